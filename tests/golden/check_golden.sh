#!/bin/sh
# Stability guarantee: every versioned model realizes exactly the registers
# pinned in tests/golden/<model>.json. A changed model needs a new version.
# usage: check_golden.sh ARMCPU SRCDIR [--update]
set -eu
armcpu=$1
dir=$2/tests/golden
update=${3:-}
models=$("$armcpu" models | awk 'NR > 1 { print $1 }')
[ -n "$models" ] || { echo "no models listed" >&2; exit 1; }
fail=0
for m in $models; do
    out=$(mktemp)
    "$armcpu" expand "$m" --abstract --registers > "$out"
    if [ "$update" = --update ]; then
        if [ ! -f "$dir/$m.json" ]; then
            mv "$out" "$dir/$m.json"; echo "new golden file: $m.json"; continue
        fi
    fi
    if [ ! -f "$dir/$m.json" ]; then
        echo "FAIL: no golden file tests/golden/$m.json (run 'make golden' for a NEW model)" >&2
        fail=1
    elif ! cmp -s "$out" "$dir/$m.json"; then
        echo "FAIL: $m realizes different registers than tests/golden/$m.json;" \
             "released models never change: add a new version instead" >&2
        diff "$dir/$m.json" "$out" >&2 || true
        fail=1
    fi
    rm -f "$out"
done
# A golden file without a model means a released model disappeared.
for g in "$dir"/*.json; do
    [ -e "$g" ] || continue
    name=$(basename "$g" .json)
    echo "$models" | grep -qx "$name" || { echo "FAIL: model $name was removed" >&2; fail=1; }
done
[ $fail = 0 ] && echo "golden: $(echo "$models" | wc -w) models unchanged"
exit $fail
