#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's command lines (indented `armcpu ...` lines of its code blocks)
# name real commands, and every flag they show is in that command's help.
# usage: test_readme.sh ARMCPU SRCDIR
set -u
A=$1
SRC=$2
fails=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -E '^    (build/)?armcpu ' "$SRC/README.md" | sed 's/#.*//' >"$tmp/lines"
while read -r line; do
    set -- $line
    shift # armcpu
    cmd=$1
    while [ "${cmd#-}" != "$cmd" ]; do # global options before the command
        [ "$cmd" = --model-file ] && shift
        shift
        cmd=${1:-}
    done
    case $cmd in --version|""|...|"|") continue ;; esac
    n=$((n + 1))
    if ! "$A" help "$cmd" >"$tmp/help" 2>/dev/null; then
        echo "FAIL: README shows 'armcpu $cmd', which is no command"; fails=$((fails + 1)); continue
    fi
    for w in $line; do
        f=$(printf '%s' "$w" | sed -n 's/^\[*\(--[a-z0-9-]*\).*/\1/p')
        [ -n "$f" ] || continue
        [ "$f" = --model-file ] && continue
        grep -q -- "$f" "$tmp/help" ||
            { echo "FAIL: README shows 'armcpu $cmd ... $f', which 'armcpu help $cmd' lacks"; fails=$((fails + 1)); }
    done
done <"$tmp/lines"
[ $n -gt 20 ] || { echo "FAIL: only $n README command lines found"; fails=$((fails + 1)); }
[ $fails = 0 ] || exit 1
echo "readme: $n command lines, every command and flag in armcpu help"
