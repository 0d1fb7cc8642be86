#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `armcpu help CMD` lists every flag CMD accepts: each flag the option parser
# knows is tried on each command (and subcommand); one it does not refuse as
# unknown must appear in the command's help.  usage: test_help_flags.sh ARMCPU
set -u
A=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
tried=0
flags="--json --u128 --spec --abstract --registers --verbose --xml --force --type --host --masks
--name --kernel --source -o --base --dialect --vcpu-features --hosts-from --unlisted --form
--kvm --after-run"
# --model-file is global (main.c takes it out before dispatch): the overview says so
"$A" help | grep -q -- "Every command takes --model-file FILE" ||
    { echo "FAIL: 'armcpu help' does not document the global --model-file"; fails=$((fails + 1)); }
# commands from `armcpu help`, with the subcommands of hosts and migrate
cmds=$("$A" help | sed -n 's/^  armcpu \([a-z-]*\).*/\1/p' | sort -u)
for c in $cmds; do
    case $c in
        hosts) forms="hosts:show hosts:import hosts:probe" ;;
        migrate) forms="migrate:save migrate:load" ;;
        help) continue ;;
        *) forms=$c ;;
    esac
    "$A" help "$c" >"$tmp/help" 2>&1
    for form in $forms; do
        set -- $(echo "$form" | tr ':' ' ')
        for f in $flags; do
            tried=$((tried + 1))
            # a value that is no file, no host and no spec: the command fails
            # fast after parsing, or refuses the flag as unknown
            timeout 20 "$A" "$@" "$f" /nonexistent/x >/dev/null 2>"$tmp/err" </dev/null
            if grep -q "unknown option '$f'" "$tmp/err"; then
                continue
            fi
            grep -q -- "$f\\b" "$tmp/help" ||
                { echo "FAIL: armcpu $* takes $f but 'armcpu help $c' does not list it"; fails=$((fails + 1)); }
        done
    done
done
[ $fails = 0 ] || exit 1
echo "help-flags: every flag any command takes is in its help ($tried tries)"
