#!/bin/sh
# docs/properties.md must be what `armcpu doc` writes now.  usage: check_doc.sh ARMCPU SRCDIR
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$1" doc -o "$tmp/properties.md"
if ! cmp -s "$tmp/properties.md" "$2/docs/properties.md"; then
    echo "docs/properties.md is out of date: run 'build/armcpu doc'" >&2
    diff "$2/docs/properties.md" "$tmp/properties.md" | head -20 >&2
    exit 1
fi
# A failed write leaves nothing behind and exits 2.
if "$1" doc -o "$tmp/missing-dir/x.md" 2>"$tmp/err"; then echo "doc into a missing dir succeeded" >&2; exit 1; fi
grep -q "missing-dir/x.md: cannot write: directory .*missing-dir. does not exist" "$tmp/err"
[ ! -e "$tmp/missing-dir/x.md" ]
echo "docs/properties.md is current"
