#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes the embedded snapshots that are derived, not measured: each
# measured Graviton guest view (hosts/gravitonN-linux-6.1.json, Firecracker
# fingerprints read under Amazon Linux 6.1) re-derived by armcpu's view rules
# for the kernels users run today (`hosts show --kernel V`: values by
# kernels/linux-V.view, masks by kernels/linux-V.masks, bits the 6.1 view hid
# marked unknown; the vCPU configuration by armcpu_config_for_kernel, then
# tools/gen-hosts/vcpu-config.json's entries for the derived name).
# usage: tools/gen-hosts/derive.sh ARMCPU [KERNEL...]
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
        # measured facts of the derived host itself (a fingerprint under
        # that kernel) replace the derived ones
        if jq -e --arg n "$name" 'has($n)' "$here/tools/gen-hosts/vcpu-config.json" >/dev/null; then
            "$here/tools/gen-hosts/add-config.sh" "$name"
        fi
    done
done
