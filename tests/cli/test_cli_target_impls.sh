#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# baseline --target-impls FILE (README "Errata across a migration domain"):
# the file's document, the agreeing and the unknown cases, and a path that
# cannot be written.  usage: test_cli_target_impls.sh ARMCPU SRCDIR
set -u
A=$1
SRC=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/lib.sh"

jqok() { # description, file, jq filter that must be true
    jq -e "$3" "$2" >/dev/null 2>&1 || { echo "FAIL: $1: $3"; fails=$((fails + 1)); }
}

# three Graviton generations: impossible as a baseline (exit 3), the list
# written all the same, one entry each in host order
expect_rc 3 "baseline g2 g3 g4 --target-impls" "$A" baseline graviton2-linux-6.12 \
    graviton3-linux-6.12 graviton4-linux-6.12 --target-impls "$tmp/ti.json"
has "^  target implementations: 3 in $tmp/ti.json$"
jqok "g2-g4 format" "$tmp/ti.json" 'keys_unsorted[0:2] == ["format", "version"] and .format == "armcpu-target-impls" and .version == 1'
jqok "g2-g4 list" "$tmp/ti.json" '.needed and .complete and .implementations == 3 and (.targets | length) == 3'
jqok "g2-g4 version" "$tmp/ti.json" '."hypercall-version" == {"major": 1, "minor": 0, "r1": "0x0000000000010000"}'
jqok "g2-g4 entries" "$tmp/ti.json" '[.targets[] | [.index, .midr, .revidr, .aidr, .part, ."host-classes"[0]]] == [
    [0, "0x00000000413fd0c1", "0x00000000000000ff", "0x0000000000000000", 3340, "graviton2-linux-6.12"],
    [1, "0x00000000411fd401", "0x0000000000000001", "0x0000000000000000", 3392, "graviton3-linux-6.12"],
    [2, "0x00000000410fd4f1", "0x0000000000000017", "0x0000000000000000", 3407, "graviton4-linux-6.12"]]'
jqok "g2-g4 6.12 cannot write" "$tmp/ti.json" '."hosts-not-writable" | length == 3'
jqok "g2-g4 vmm" "$tmp/ti.json" '.vmm.capability == "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS" and
    .vmm."firmware-register" == "KVM_REG_ARM_VENDOR_HYP_BMAP_2" and .vmm."firmware-value" == "0x0000000000000003" and
    ([.vmm.hypercalls[]."function-id"] == ["0xc6000040", "0xc6000041"]) and
    .vmm."min-host-kernel" == "6.15" and .vmm."min-guest-kernel" == "6.15"'
# with --json stdout stays the baseline document; the file is the same
expect_rc 3 "baseline --json --target-impls" "$A" baseline graviton2-linux-6.12 \
    graviton3-linux-6.12 graviton4-linux-6.12 --json --target-impls "$tmp/ti2.json"
jq -e '.format == "armcpu-baseline"' "$tmp/out" >/dev/null || { echo "FAIL: --json stdout is not the baseline"; fails=$((fails + 1)); }
cmp -s "$tmp/ti.json" "$tmp/ti2.json" || { echo "FAIL: --json changed the target list"; fails=$((fails + 1)); }

# writable on both (Linux 7.3): the baseline's values for every vCPU
expect_rc 4 "baseline n2 v1 (7.3)" "$A" baseline qemu10-neoverse-n2-linux-7.3 \
    qemu10-neoverse-v1-linux-7.3 --target-impls "$tmp/w.json"
jqok "n2-v1" "$tmp/w.json" '.implementations == 2 and (."hosts-not-writable" | length) == 0 and
    (."vcpu-values".MIDR_EL1 | test("^0x[0-9a-f]{16}$"))'

# agreeing hosts: no list, the reason, a line that says so
expect_rc 4 "baseline g2 6.12 + 6.18" "$A" baseline graviton2-linux-6.12 graviton2-linux-6.18 \
    --target-impls "$tmp/same.json"
has "^  target implementations: none needed ($tmp/same.json)$"
jqok "agreeing" "$tmp/same.json" '(.needed | not) and .complete and .implementations == 0 and .targets == [] and (.reason | test("no list is needed"))'

# a host whose REVIDR_EL1 is unknown: named, the list not complete
"$A" hosts show graviton4-linux-6.12 | jq '.name = "g4-no-revidr" | del(.registers.REVIDR_EL1)' >"$tmp/g4.json"
"$A" baseline graviton2-linux-6.12 "$tmp/g4.json" --target-impls "$tmp/unk.json" >"$tmp/out" 2>"$tmp/err"
has "target implementations: none needed ($tmp/unk.json); some host's MIDR/REVIDR/AIDR is unknown"
jqok "unknown" "$tmp/unk.json" '(.complete | not) and ."unknown-hosts" == [{"host": "g4-no-revidr", "registers": ["REVIDR_EL1"]}] and (.reason | test("cannot tell"))'

# a path that cannot be written: exit 2, named, nothing left behind
expect_fail 2 "cannot write: directory '$tmp/missing' does not exist" "$A" baseline \
    graviton2-linux-6.12 graviton3-linux-6.12 --target-impls "$tmp/missing/ti.json"
[ -e "$tmp/missing" ] && { echo "FAIL: a failed write left $tmp/missing"; fails=$((fails + 1)); }
expect_fail 1 "option --target-impls needs a value" "$A" baseline graviton2-linux-6.12 --target-impls
expect_fail 1 "unknown option '--target-impls'" "$A" diff graviton2-linux-6.12 graviton3-linux-6.12 --target-impls x

[ $fails = 0 ] && echo "cli-target-impls: all passed"
exit $((fails > 0))
