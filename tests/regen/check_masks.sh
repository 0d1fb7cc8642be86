#!/bin/sh
# The shipped writable-mask tables (kernels/) are what the rig measured
# (tests/kvm/expected/, compared with each kernel's report by check-kvm):
# regenerate them and compare.  usage: check_masks.sh SRCDIR
set -eu
src=$1
command -v bash >/dev/null || { echo "no bash: skipping"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tests/kvm" "$tmp/kernels"
cp -r "$src/tests/kvm/expected" "$tmp/tests/kvm/"
bash "$src/tools/gen-masks/gen-masks.sh" "$tmp" >/dev/null
for f in "$tmp"/kernels/*.masks; do
    if ! cmp -s "$f" "$src/kernels/$(basename "$f")"; then
        echo "kernels/$(basename "$f") differs from a fresh 'make masks'" >&2
        diff "$src/kernels/$(basename "$f")" "$f" | head -10 >&2
        exit 1
    fi
done
[ "$(ls "$tmp"/kernels | wc -l)" = "$(ls "$src"/kernels/*.masks | wc -l)" ] ||
    { echo "kernels/ has tables that 'make masks' does not write" >&2; exit 1; }
echo "kernels/*.masks match the rig's measurements"
