#!/bin/sh
# Regenerates the ID-register table from ../shared/reference and fails if the
# committed src/regs/idregs.gen.c differs. Skips (exit 77) without the inputs.
set -eu
gen=$1
src=$2
ref=$src/../shared/reference
if [ ! -f "$ref/linux-sysreg.txt" ] || [ ! -f "$ref/linux-sysreg-newest-idregs.txt" ] || [ ! -f "$ref/ftr-bits.tsv" ]; then
    echo "no $ref: skipping the regeneration check"
    exit 77
fi
out=$(mktemp)
trap 'rm -f "$out" "$out.tmp"' EXIT
"$gen" --sysreg "$ref/linux-sysreg.txt" --sysreg "$ref/linux-sysreg-newest-idregs.txt" --policy "$ref/ftr-bits.tsv" --policy-at 7.3 "$src/tools/gen-idregs/ftr-bits-7.3.tsv" \
    --extra "$src/tools/gen-idregs/extra-idregs.txt" \
    --feats "$ref/aarchmrs-feat-idfields.tsv" \
    --deps "$ref/aarchmrs-feat-deps.tsv" -o "$out" 2>/dev/null
if ! cmp -s "$out" "$src/src/regs/idregs.gen.c"; then
    echo "src/regs/idregs.gen.c is out of date; run 'make regen'" >&2
    diff -u "$src/src/regs/idregs.gen.c" "$out" | head -40 >&2
    exit 1
fi
echo "idregs.gen.c matches a fresh regeneration"
