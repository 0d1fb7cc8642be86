#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Merges the vCPU configuration facts of tools/gen-hosts/vcpu-config.json
# (each with its source) into the embedded snapshots they name, replacing
# what those snapshots recorded of the same items.
# usage: tools/gen-hosts/add-config.sh [SNAPSHOT-NAME...]  (default: every one named)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
facts=$here/tools/gen-hosts/vcpu-config.json
names=${*:-$(jq -r 'keys[] | select(startswith("_") | not)' "$facts")}
for n in $names; do
    f=$here/hosts/$n.json
    [ -f "$f" ] || { echo "add-config.sh: no snapshot hosts/$n.json" >&2; exit 2; }
    tmp=$(mktemp)
    jq --arg n "$n" --slurpfile facts "$facts" \
       '.vcpu_config = ((.vcpu_config // {}) + $facts[0][$n])' "$f" > "$tmp"
    mv "$tmp" "$f"
    echo "config: hosts/$n.json"
done
