#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# armcpu(1) is what `armcpu help` says: every command's usage and help text
# is in the built page, and groff formats it without a warning.
# usage: test_man.sh ARMCPU MANPAGE
set -u
A=$1
MAN=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$A" help --man | cmp -s - "$MAN" || { echo "FAIL: $MAN is not what 'armcpu help --man' prints"; fails=$((fails + 1)); }
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$MAN" 2>"$tmp/warn"
    [ -s "$tmp/warn" ] && { echo "FAIL: groff warns:"; head "$tmp/warn"; fails=$((fails + 1)); }
    groff -man -Tascii "$MAN" 2>/dev/null | col -bx | tr -s ' \n' '  ' >"$tmp/page"
    for c in $("$A" help | sed -n 's/^  armcpu \([a-z-]*\).*/\1/p' | sort -u); do
        # the first line of each command's help, as words
        first=$("$A" help "$c" | sed -n '3p' | tr -s ' ' ' ')
        grep -qF -- "$first" "$tmp/page" || { echo "FAIL: the man page lacks '$first' ($c)"; fails=$((fails + 1)); }
    done
else
    echo "note: groff missing; only the page's source was compared"
fi
[ $fails = 0 ] || exit 1
echo "man: armcpu(1) matches armcpu help"
