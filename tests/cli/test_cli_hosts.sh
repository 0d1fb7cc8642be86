#!/bin/sh
# End-to-end tests of the host commands on the embedded snapshots.
# usage: test_cli_hosts.sh ARMCPU SRCDIR
set -u
A=$1
SRC=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/lib.sh"

# hosts: one per line, name first
check "hosts" "$A" hosts
for h in graviton2 graviton3 graviton4 qemu-neoverse-n1-linux-6.12 qemu-max-linux-6.12; do
    has "^$h	"
done
has "^graviton3	6.1.172.*values: Linux 6.1 guest view.*masks: Linux 6.12"
hosts=$("$A" hosts | cut -f1)

# show / import round trip: an embedded snapshot saved and re-imported is equal
check "hosts show" "$A" hosts show graviton3
cp "$tmp/out" "$tmp/g3.json"
check "check from file" "$A" check graviton3-v1 --host "$tmp/g3.json"
"$A" check graviton3-v1 --host graviton3 > "$tmp/a"
cmp -s "$tmp/out" "$tmp/a" || { echo "FAIL: snapshot file and embedded name disagree"; fails=$((fails + 1)); }

# import: a REGNAME listing plus masks, atomically written
REF=$SRC/../shared/reference
if [ -f "$REF/measured-hosts/graviton3-kvm-6.1.txt" ]; then
    check "import" "$A" hosts import "$REF/measured-hosts/graviton3-kvm-6.1.txt" \
        --masks "$REF/kvm-6.12-writable-masks.txt" --vcpu-features none --name g3copy \
        --kernel 6.1.172-216.329.amzn2023.aarch64 --source test -o "$tmp/g3copy.json"
    "$A" check graviton3-v1 --host "$tmp/g3copy.json" | tail -n +2 > "$tmp/b"
    tail -n +2 "$tmp/a" > "$tmp/c"
    cmp -s "$tmp/b" "$tmp/c" || { echo "FAIL: imported snapshot checks differently"; fails=$((fails + 1)); }
fi
printf 'ID_AA64ISAR0_EL1 0x0000000000001120\nID_AA64ISAR0_EL1 0x0\n' > "$tmp/dup.txt"
expect_fail 1 "listed twice" "$A" hosts import "$tmp/dup.txt" --name x
printf 'ID_AA64ISAR0_EL1 banana\n' > "$tmp/junk.txt"
expect_fail 1 "junk.txt:1: expected 'REGNAME 0xVALUE'" "$A" hosts import "$tmp/junk.txt" --name x
expect_fail 1 "needs --name" "$A" hosts import "$tmp/junk.txt"
expect_fail 1 "host name 'bad name'" "$A" hosts import "$REF/measured-hosts/graviton3-kvm-6.1.txt" --name 'bad name'
printf 'ARMCPU-PROBE-BEGIN\nUNAME 6.12.1\nREG (3,0,0,6,0) 0x1120\n' > "$tmp/probe.txt"
expect_fail 1 "without ARMCPU-PROBE-END" "$A" hosts import "$tmp/probe.txt" --name p
printf 'ARMCPU-PROBE-BEGIN\nUNAME 6.12.1\nCAP 230 1 X\nVCPU target=5 features=psci-0.2,pmu-v3\nREG (3,0,0,6,0) 0x1120\nREG (3,3,0,0,7) ENOENT\nMASK (3,0,0,6,0) 0xfffffffffffffff0\nARMCPU-PROBE-END ok\n' > "$tmp/probe.txt"
check "import probe" "$A" hosts import "$tmp/probe.txt" --name p
has '"kernel": "6.12.1"'; has '"absent": "ENOENT"'; has '"writable": "0xfffffffffffffff0"'; has '"pmu"'
expect_fail 2 "cannot open" "$A" hosts import "$tmp/none.txt" --name x
# a failed -o write leaves nothing behind
expect_fail 2 "cannot create" "$A" hosts import "$tmp/probe.txt" --name p -o "$tmp/no/dir/x.json"
[ ! -e "$tmp/no/dir/x.json" ] || { echo "FAIL: half-written file"; fails=$((fails + 1)); }

# bad snapshots
cp "$tmp/g3.json" "$tmp/trunc.json"; truncate -s 300 "$tmp/trunc.json"
expect_fail 1 "trunc.json: not valid JSON" "$A" check grace-v1 --host "$tmp/trunc.json"
sed 's/"version": 1/"version": 2/' "$tmp/g3.json" > "$tmp/v2.json"
expect_fail 1 "v2.json: key 'version' is 2; this armcpu reads version 1" "$A" check grace-v1 --host "$tmp/v2.json"
sed 's/"ID_AA64ISAR0_EL1"/"ID_AA64ISAR7_EL1"/' "$tmp/g3.json" > "$tmp/unk.json"
expect_fail 1 "registers.ID_AA64ISAR7_EL1: unknown register" "$A" check grace-v1 --host "$tmp/unk.json"
sed 's/"value": "0x1011111110212120"/"value": "0x11011111110212120"/' "$tmp/g3.json" > "$tmp/wide.json"
expect_fail 1 "registers.ID_AA64ISAR0_EL1.value must be" "$A" check grace-v1 --host "$tmp/wide.json"
awk '/"ID_AA64ISAR0_EL1"/ {print; getline; sub(/,$/, ""); print; getline; next} {print}' "$tmp/g3.json" > "$tmp/nomask.json"
expect_fail 1 "missing 'writable' mask" "$A" check grace-v1 --host "$tmp/nomask.json"
expect_fail 1 "unknown host 'graviton9'" "$A" check grace-v1 --host graviton9
expect_fail 2 "host 'local' needs a live probe" "$A" check grace-v1 --host local

# models --host: QMP shape and libvirt shape
check "models --host" "$A" models --host qemu-neoverse-n1-linux-6.12
has "neoverse-n1-v1 .*blocked by feat_CopSDbg"
check "models --host json" "$A" models --host graviton4 --json
has '"unavailable-features": \['
check "models --host xml" "$A" models --host graviton3 --xml
has "<model usable='no' vendor='ARM'>graviton3-v1</model>"
has "<blockers model='graviton3-v1'>"
# Upstream libvirt's schema (trixie's libvirt 11.x, downloaded by make check
# into build-libvirt/ by tests/cli/libvirt-schemas.sh) knows <blockers>:
# validate all of it. Debian 12's own 9.0 schema predates <blockers>:
# validate the rest with it too.
LVS=${LIBVIRT_SCHEMAS:-$SRC/build-libvirt/schemas}
if [ -f "$LVS/domaincaps.rng" ] && command -v xmllint >/dev/null; then
    xmllint --noout --relaxng "$LVS/domaincaps.rng" "$tmp/out" >"$tmp/xv" 2>&1 ||
        { echo "FAIL: domain capabilities do not validate against $(cat "$LVS/FROM")"; cat "$tmp/xv"; fails=$((fails + 1)); }
    "$A" models --host qemu-max-linux-6.12 --xml >"$tmp/caps2.xml"
    xmllint --noout --relaxng "$LVS/domaincaps.rng" "$tmp/caps2.xml" >"$tmp/xv" 2>&1 ||
        { echo "FAIL: domain capabilities (qemu-max) do not validate"; cat "$tmp/xv"; fails=$((fails + 1)); }
    # the schema is not vacuous: a <blockers> without its model attribute fails
    sed "s/<blockers model='[^']*'>/<blockers>/" "$tmp/out" >"$tmp/bad.xml"
    ! xmllint --noout --relaxng "$LVS/domaincaps.rng" "$tmp/bad.xml" >/dev/null 2>&1 ||
        { echo "FAIL: a <blockers> without model validated"; fails=$((fails + 1)); }
else
    echo "note: no upstream libvirt schemas in $LVS (offline?): <blockers> validated only by Debian 12's schema minus <blockers>"
fi
if command -v virt-xml-validate >/dev/null; then
    sed '/<blockers/,/<\/blockers>/d' "$tmp/out" > "$tmp/caps.xml"
    virt-xml-validate "$tmp/caps.xml" domaincaps >/dev/null 2>&1 ||
        { echo "FAIL: domain capabilities do not validate"; fails=$((fails + 1)); }
fi

# props --host: what this host supports per property
check "props --host" "$A" props --host graviton3
has "^feat_AES: off, aes, pmull$"
has "^hw_prop_TGRAN4_2: tgran4$"     # not writable on 6.12: only the host's
has "^cpu_partnum: 0xd40$"
check "props --host json" "$A" props --host graviton3 --json
has '"name": "feat_AES"'; has '"supported": \['

# expand host / check
check "expand host" "$A" expand host --host graviton3
has "^model host"; has "SYSREG_ID_AA64ISAR0_EL1_AES=0x2"
check "expand host with props" "$A" expand host,feat_AES=aes --host graviton3
has "feat_AES=aes"
expect_fail 1 "model 'host' means a host's own values" "$A" expand host
check "check" "$A" check graviton3-v1 --host graviton3 --json
has '"usable": false'; has '"verdict": "not-writable"'; has '"verdict": "over-promise"'
has '"verdict": "host-given"'; has '"verdict": "unchecked"'
check "check identity" "$A" check neoverse-n1-v1 --host graviton4
has "identity .*cpu_partnum"

# fix: for every shipped model on every embedded snapshot, the printed spec is usable
for h in $hosts; do
    for m in $("$A" models | awk 'NR > 1 && $4 == "yes" { print $1 }'); do
        if "$A" fix "$m" --host "$h" >"$tmp/fix" 2>"$tmp/err"; then
            spec=$(cat "$tmp/fix")
            "$A" check "$spec" --host "$h" | tail -1 | grep -q '^usable' ||
                { echo "FAIL: fix $m --host $h gave an unusable spec"; fails=$((fails + 1)); }
        else
            echo "FAIL: fix $m --host $h"; cat "$tmp/err"; fails=$((fails + 1))
        fi
    done
done
"$A" fix graviton3-v1 --host graviton3 > "$tmp/out"
has "^graviton3-v1,SYSREG_ID_AA64PFR0_EL1_MPAM=0x1,feat_DebugVer=imp$"

# compare: all four answers
check "compare identical" "$A" compare grace-v1 neoverse-v2-v1
has "^identical"
check "compare superset" "$A" compare graviton3-v1 graviton3-v1,sve=off
has "^superset"; has "feat_SVE"
check "compare subset" "$A" compare graviton3-v1,sve=off graviton3-v1
has "^subset"
check "compare incompatible" "$A" compare graviton3 graviton4 --json
has '"result": "incompatible"'; has '"responsible-properties"'; has '"hw_prop_TGRAN4_2"'
hasnt '"cpu_partnum"'
hasnt '"feat_CopDbg"'   # graviton4 has no AArch32: the AArch32 registers do not count
check "compare aarch32 superset" "$A" compare graviton3-v1 graviton3-v1,aarch32=off
has "^superset$"; has "^  el0_mode$"; [ "$(wc -l < "$tmp/out")" = 2 ] ||
    { echo "FAIL: compare with aarch32=off names more than el0_mode"; fails=$((fails + 1)); }
check "compare without aarch32" "$A" compare graviton3-v1,aarch32=off graviton3-v1,aarch32=off,SYSREG_ID_DFR0_EL1_CopDbg=0x6
has "^identical$"
expect_fail 1 "neither a host" "$A" compare graviton3 nosuchthing

# baseline
check "baseline one host" "$A" baseline qemu-neoverse-n1-linux-6.12
has "^neoverse-n1-v1,SYSREG_ID_DFR0_EL1_CopSDbg=0x0$"
"$A" baseline graviton3 graviton4 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || { echo "FAIL: baseline graviton3 graviton4 exit $rc"; fails=$((fails + 1)); }
has "^impossible"; has "TGRAN4_2"; has "TGRAN64_2"; has "TGRAN16_2"
hasnt "ID_DFR0_EL1"   # AArch32 registers: UNKNOWN to a guest without AArch32
[ "$(grep -c 'no value every host accepts' "$tmp/out")" = 3 ] ||
    { echo "FAIL: graviton3+4 on 6.12: exactly the three TGRAN*_2"; fails=$((fails + 1)); }
has "identity: MIDR_EL1.PartNum"
check "baseline json" "$A" baseline graviton3 graviton3 --json
has '"possible": true'; has '"spec": "graviton3-v1,'
check "baseline --base" "$A" baseline graviton3 --base neoverse-v1-v1
has "^neoverse-v1-v1"
expect_fail 1 "abstract" "$A" baseline graviton3 --base arm-v8_4-a-v1
expect_fail 1 "expected at least one host" "$A" baseline

# diff
check "diff" "$A" diff graviton3 graviton4
has "hw_prop_TGRAN4_2 .*not fixable: not writable on both"
has "fields differ between graviton3 and graviton4"
has "feat_CopDbg .*fixable by aarch32=off"     # graviton4 has no AArch32
has "cpu_partnum .*not fixable"                 # 6.12 cannot write MIDR
check "diff --kernel 6.19" "$A" diff graviton3 graviton4 --kernel 6.19
has "cpu_partnum .*fixable, common 0xd40"; has "hw_prop_TGRAN4_2 .*fixable, common 0x1"
has "^112 fields differ between graviton3 and graviton4, 112 fixable$"
check "diff json" "$A" diff graviton3 graviton4 --json
has '"by": "aarch32=off"'

# qemu-args with a host: only what its kernel can write
check "qemu-args host" "$A" qemu-args grace-v1 --dialect sysreg --host graviton4
has "SYSREG_ID_AA64ISAR0_EL1_AES=0x2"; hasnt "SYSREG_MIDR_EL1"; hasnt "TGRAN4_2"

# kernels and plan: what-if kernels
check "kernels" "$A" kernels
has "^6.1	-	measured"; has "^6.12	-	measured"; has "^6.15	KVM_CAP_ARM_WRITABLE_IMP_ID_REGS	derived"
has "^6.19	KVM_CAP_ARM_WRITABLE_IMP_ID_REGS	measured"
# Graviton3 has AArch32, Graviton4 does not: the common spec drops AArch32
# (aarch32=off), so the AArch32 registers (where KVM refuses ID_DFR0_EL1.CopDbg
# below Armv8) are the host's business; on 6.19 TGRAN*_2 = 1 joins them.
check "baseline graviton3+4 --kernel 6.19" "$A" baseline graviton3 graviton4 --kernel 6.19
has "^graviton3-v1,aarch32=off,.*hw_prop_TGRAN4_2=off,hw_prop_TGRAN64_2=off,hw_prop_TGRAN16_2=off$"
has "^  aarch32=off  *needed by 1 host (first: graviton4)"
hasnt "no value every host accepts"; hasnt "CopDbg"
spec=$(head -1 "$tmp/out")
for h in graviton3 graviton4; do
    "$A" check "$spec" --host "$h" --kernel 6.19 | tail -1 | grep -q '^usable' ||
        { echo "FAIL: the graviton3+4 6.19 baseline is not usable on $h"; fails=$((fails + 1)); }
    "$A" check "$spec" --host "$h" --kernel 6.12 | tail -1 | grep -q '^not usable: 3 blockers' ||
        { echo "FAIL: on 6.12 the graviton3+4 baseline is not blocked by exactly 3 fields on $h"; fails=$((fails + 1)); }
done
"$A" expand "$spec" > "$tmp/exp"
for f in TGRAN4_2 TGRAN64_2 TGRAN16_2; do
    grep -q "^  SYSREG_ID_AA64MMFR0_EL1_$f=0x1\$" "$tmp/exp" ||
        { echo "FAIL: $f of the 6.19 baseline is not 1"; fails=$((fails + 1)); }
done
# The positive case: two hosts that differ only in what 6.15 made writable
# (tests/data/n1-tgran.json: the emulated neoverse-n1 with TGRAN4_2 = 2).
N1T=$SRC/tests/data/n1-tgran.json
check "baseline --kernel 6.19 possible" "$A" baseline qemu-neoverse-n1-linux-6.12 "$N1T" --kernel 6.19
has "hw_prop_TGRAN4_2=off"
spec=$(head -1 "$tmp/out")
for h in qemu-neoverse-n1-linux-6.12 "$N1T"; do
    "$A" check "$spec" --host "$h" --kernel 6.19 | tail -1 | grep -q '^usable' ||
        { echo "FAIL: the 6.19 baseline is not usable on $h"; fails=$((fails + 1)); }
done
expect_fail 1 "no writable-mask table for kernel '5.4' (known: 6.1, 6.12, 6.15, 6.19, 7.3)" \
    "$A" baseline graviton3 graviton4 --kernel 5.4
check "models --kernel 6.1" "$A" models --host qemu-neoverse-n1-linux-6.12 --kernel 6.1
has "^models on qemu-neoverse-n1-linux-6.12 (6.1)"
check "props --kernel 6.1" "$A" props --host graviton3 --kernel 6.1
has "^feat_AES: pmull$"     # nothing writable: only the host's value
"$A" plan graviton3 graviton4 >"$tmp/out" 2>&1
has "^Linux 6.12  (measured) not migratable"
[ "$(sed -n '/^Linux 6.12/,/^Linux 6.15/p' "$tmp/out" | grep -c 'no value every host accepts')" = 3 ] ||
    { echo "FAIL: plan on 6.12: exactly TGRAN4_2/64_2/16_2"; fails=$((fails + 1)); }
for f in TGRAN4_2 TGRAN64_2 TGRAN16_2; do
    sed -n '/^Linux 6.12/,/^Linux 6.15/p' "$tmp/out" | grep -q "ID_AA64MMFR0_EL1.$f: no value" ||
        { echo "FAIL: plan on 6.12 does not name $f"; fails=$((fails + 1)); }
done
has "^Linux 6.19  (measured) migratable"
has "^oldest kernel that makes the fleet migratable: Linux 6.15 (masks derived"
has "^oldest kernel with measured masks that does: Linux 6.19"
has "^    note: the spec has no AArch32 and only some hosts have it: .*must not restore them"
check "plan" "$A" plan qemu-neoverse-n1-linux-6.12 "$N1T"
hasnt "no AArch32"
has "^Linux 6.12  (measured) not migratable"
has "^Linux 6.19  (measured) migratable"
has "^oldest kernel that makes the fleet migratable: Linux 6.15 (masks derived"
has "^oldest kernel with measured masks that does: Linux 6.19"
check "plan json" "$A" plan qemu-neoverse-n1-linux-6.12 "$N1T" --json
has '"oldest-migratable": "6.15"'; has '"oldest-migratable-measured": "6.19"'
"$A" plan graviton2 qemu-neoverse-n1-linux-6.12 >"$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] || { echo "FAIL: a fleet no kernel can join should exit 1 (got $rc)"; fails=$((fails + 1)); }
has "^no known kernel makes this fleet migratable"; has "ID_AA64MMFR2_EL1.EVT"

[ $fails = 0 ] && echo "cli-hosts: all passed"
exit $((fails > 0))
