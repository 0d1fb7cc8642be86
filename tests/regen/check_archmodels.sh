#!/bin/sh
# models/arm-arch.model is generated from Arm's AARCHMRS data by
# tools/gen-archmodels/gen-archmodels.py; fail if it is out of date.
# Skips (77) without ../shared/reference or python3.
set -eu
armcpu=$1
src=$2
ref=$src/../shared/reference
[ -f "$ref/aarchmrs-feat-deps.tsv" ] || { echo "no $ref: skipping"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipping"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 "$src/tools/gen-archmodels/gen-archmodels.py" --ref "$ref" --armcpu "$armcpu" -o "$out"
if ! cmp -s "$out" "$src/models/arm-arch.model"; then
    echo "models/arm-arch.model is out of date: rerun tools/gen-archmodels/gen-archmodels.py" >&2
    diff "$src/models/arm-arch.model" "$out" | head -20 >&2
    exit 1
fi
echo "models/arm-arch.model matches a fresh generation"
