#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes the embedded snapshots that are derived, not measured: each
# measured Graviton guest view (hosts/gravitonN-linux-6.1.json, Firecracker
# fingerprints read under Amazon Linux 6.1) re-derived by armcpu's view rules
# for the kernels users run today (`hosts show --kernel V`: values by
# kernels/linux-V.view, masks by kernels/linux-V.masks, bits the 6.1 view hid
# marked unknown). usage: tools/gen-hosts/derive.sh ARMCPU [KERNEL...]
set -eu
armcpu=$1
shift
kernels=${*:-6.12 6.18}
here=$(cd "$(dirname "$0")/../.." && pwd)
for src in "$here"/hosts/graviton*-linux-6.1.json; do
    base=$(basename "$src" .json)
    host=${base%-linux-6.1}
    for k in $kernels; do
        name=$host-linux-$k
        tmp=$(mktemp)
        "$armcpu" hosts show "$base" --kernel "$k" 2>/dev/null |
            jq --arg n "$name" --arg k "$k" --arg b "$base" \
               '.name = $n | .source = "DERIVED, not measured: " + $b + " re-derived for Linux " + $k + " by armcpu (tools/gen-hosts/derive.sh: values by the view rules kernels/linux-6.1.view -> Linux " + $k + "'"'"'s (armcpu kernels), masks: Linux " + $k + "'"'"'s table; bits the 6.1 view hid are unknown). From: " + .source' \
               > "$tmp"
        mv "$tmp" "$here/hosts/$name.json"
        echo "wrote hosts/$name.json"
    done
done
