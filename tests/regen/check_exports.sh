#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shared library exports exactly the functions the public headers
# declare (ARMCPU_API in include/armcpu/*.h), with the version node of
# src/armcpu.map, and no data.  usage: check_exports.sh LIBARMCPU.so SRCDIR
set -eu
lib=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v nm >/dev/null || { echo "check-exports: no nm (binutils)"; exit 77; }
# declared: ARMCPU_API ... armcpu_name( possibly with the name on the line
sed -n 's/^ARMCPU_API .*[^a-z0-9_]\(armcpu_[a-z0-9_]*\)(.*/\1/p' "$src"/include/armcpu/*.h | sort -u > "$tmp/declared"
nm -D --defined-only "$lib" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u > "$tmp/exported"
nm -D --defined-only "$lib" | awk '$2 != "T" && $2 != "A" { print }' > "$tmp/other"
fails=0
if ! cmp -s "$tmp/declared" "$tmp/exported"; then
    echo "FAIL: exported functions differ from the headers' ARMCPU_API declarations (< headers, > library):"
    diff "$tmp/declared" "$tmp/exported" | grep '^[<>]'
    fails=1
fi
if [ -s "$tmp/other" ]; then
    echo "FAIL: the library exports data or other symbols:"; cat "$tmp/other"; fails=1
fi
nm -D --defined-only "$lib" | grep -q ' A ARMCPU_0.1$' || { echo "FAIL: no ARMCPU_0.1 version node"; fails=1; }
n=$(wc -l < "$tmp/declared")
[ "$n" -gt 200 ] || { echo "FAIL: only $n declarations found: the pattern no longer matches the headers"; fails=1; }
[ $fails = 0 ] && echo "check-exports: $n functions, exactly the public headers' ARMCPU_API declarations"
exit $fails
