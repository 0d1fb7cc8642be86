#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every --json output is an object that names its format and version first
# (include/armcpu/armcpu.h ARMCPU_JSON_FORMAT_VERSION, docs/json-formats.md):
# each command the help lists with --json is run and its document checked.
# usage: test_json_versions.sh ARMCPU
set -u
A=$1
fails=0
n=0
run() { # format, command...
    want=$1; shift
    n=$((n + 1))
    out=$("$@" 2>/dev/null)
    got=$(printf '%s' "$out" | jq -r 'if type == "object" then "\(keys_unsorted[0]) \(.format) \(.version)" else "not an object" end' 2>&1)
    [ "$got" = "format $want 1" ] ||
        { echo "FAIL: '$*': $got (want format $want, version 1, first)"; fails=$((fails + 1)); }
}
run armcpu-regs "$A" regs --json
run armcpu-register "$A" regs ID_AA64ISAR0_EL1 --json
run armcpu-decode "$A" decode CTR_EL0 0x3444c004 --json
run armcpu-qmp "$A" models --json
run armcpu-qmp "$A" models --host graviton3-linux-6.12 --json
run armcpu-props "$A" props --json
run armcpu-props-info "$A" props --host graviton3-linux-6.12 --json
run armcpu-expansion "$A" expand grace-v1 --json
run armcpu-features "$A" features grace-v1 --json
run armcpu-check "$A" check grace-v1 --host graviton3-linux-6.12 --json
run armcpu-fix "$A" fix grace-v1 --host graviton3-linux-6.12 --json
run armcpu-compare "$A" compare graviton3-linux-6.12 graviton4-linux-6.12 --json
run armcpu-diff "$A" diff graviton3-linux-6.12 graviton4-linux-6.12 --json
run armcpu-baseline "$A" baseline graviton3-linux-6.12 graviton4-linux-6.12 --json
run armcpu-plan "$A" plan graviton3-linux-6.12 graviton4-linux-6.12 --json
run armcpu-upgrade "$A" plan graviton3-linux-6.12 --from 6.12 --to 7.3 --json
# every command whose usage offers --json is covered above
for c in $("$A" help | grep -- '--json' | sed -n 's/^  armcpu \([a-z-]*\).*/\1/p' | sort -u); do
    grep -q "\"\$A\" $c " "$0" || { echo "FAIL: $c takes --json but is not checked here"; fails=$((fails + 1)); }
done
[ $fails = 0 ] || exit 1
echo "json-versions: $n documents, each with its format and version"
