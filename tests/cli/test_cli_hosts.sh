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
for h in graviton2-linux-6.12 graviton3-linux-6.12 graviton4-linux-6.12 qemu-neoverse-n1-linux-6.12 qemu-max-linux-6.12; do
    has "^$h	"
done
# each embedded snapshot is one kernel's view: the measured Graviton 6.1
# fingerprints (no masks: 6.1 has none) and their derived 6.12/6.18 views
has "^graviton3-linux-6.1	6.1.172.*values: Linux 6.1 guest view.*writable masks: none"
has "^graviton3-linux-6.12	6.12	DERIVED, not measured: graviton3-linux-6.1 re-derived for Linux 6.12"
has "^graviton3-linux-6.18	6.18	DERIVED, not measured"
# an unversioned name is its newest view
"$A" hosts show graviton3 | jq -e '.name == "graviton3-linux-6.18"' >/dev/null ||
    { echo "FAIL: graviton3 is not graviton3-linux-6.18"; fails=$((fails + 1)); }
hosts=$("$A" hosts | cut -f1)

# show / import round trip: an embedded snapshot saved and re-imported is equal
check "hosts show" "$A" hosts show graviton3-linux-6.12
cp "$tmp/out" "$tmp/g3.json"
expect_rc 4 "check from file" "$A" check graviton3-v1 --host "$tmp/g3.json"
"$A" check graviton3-v1 --host graviton3-linux-6.12 > "$tmp/a"
cmp -s "$tmp/out" "$tmp/a" || { echo "FAIL: snapshot file and embedded name disagree"; fails=$((fails + 1)); }

# import: a REGNAME listing plus masks, atomically written
REF=$SRC/../shared/reference
if [ -f "$REF/measured-hosts/graviton3-kvm-6.1.txt" ]; then
    check "import" "$A" hosts import "$REF/measured-hosts/graviton3-kvm-6.1.txt" \
        --vcpu-features none --name g3copy \
        --kernel 6.1.172-216.329.amzn2023.aarch64 --source test --unlisted absent -o "$tmp/g3copy.json"
    "$A" check graviton3-v1 --host "$tmp/g3copy.json" | tail -n +2 > "$tmp/b"
    "$A" check graviton3-v1 --host graviton3-linux-6.1 | tail -n +2 > "$tmp/c"
    cmp -s "$tmp/b" "$tmp/c" || { echo "FAIL: imported snapshot checks differently"; fails=$((fails + 1)); }
fi
# Every ID-space register of the newest sysreg file imports, by name and by
# encoding, each with its most significant field's lowest bit set: none is dropped or
# refused, and the value lands in the register of that encoding.
NEWEST=$REF/linux-sysreg-newest-idregs.txt
if [ -f "$NEWEST" ]; then
    awk '$1 == "Sysreg" && $3 == 3 && ($4 == 0 || $4 == 1 || $4 == 3) && $5 == 0 { reg = $2; enc = "S" $3 "_" $4 "_C" $5 "_C" $6 "_" $7; lsb = -1; next }
         reg != "" && ($1 == "Field" || $1 ~ /Enum$/) && lsb < 0 {
             split($2, b, ":"); lsb = (2 in b) ? b[2] : b[1]; v = "0x"
             for (i = 15; i >= 0; i--) v = v sprintf("%x", i == int(lsb / 4) ? 2 ^ (lsb % 4) : 0)
             print reg, enc, v }
         $1 == "EndSysreg" { reg = "" }' "$NEWEST" > "$tmp/newest.regs"
    [ "$(wc -l < "$tmp/newest.regs")" -ge 45 ] || { echo "FAIL: too few registers read from $NEWEST"; fails=$((fails + 1)); }
    : > "$tmp/by-name.txt"; : > "$tmp/by-enc.txt"
    while read -r reg enc v; do
        echo "$reg $v" >> "$tmp/by-name.txt"
        echo "$enc $v" >> "$tmp/by-enc.txt"
    done < "$tmp/newest.regs"
    for form in by-name by-enc; do
        check "import every newest register ($form)" "$A" hosts import "$tmp/$form.txt" --name newest -o "$tmp/$form.json"
        while read -r reg enc v; do
            got=$(jq -r ".registers.\"$reg\".value" "$tmp/$form.json")
            [ "$got" = "$v" ] || { echo "FAIL: $form: $reg ($enc) imported as $got, want $v"; fails=$((fails + 1)); }
        done < "$tmp/newest.regs"
    done
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
# the probe's CONFIG lines: the vCPU configuration items (vcpu_config)
printf 'ARMCPU-PROBE-BEGIN\nUNAME 6.12.1\nREG (3,0,0,6,0) 0x1120\nCONFIG sve_vls 0x3\nCONFIG pmu_counters 6\nCONFIG ipa_bits 48\nCONFIG psci_version 0x10001\nCONFIG smccc_wa1 0x2\nCONFIG fw_vendor_hyp_bmap 0x3\nARMCPU-PROBE-END ok\n' > "$tmp/probe-cfg.txt"
check "import probe CONFIG" "$A" hosts import "$tmp/probe-cfg.txt" --name p
has '"sve_vls": "128,256"'; has '"pmu_counters": "6"'; has '"ipa_bits": "48"'; has '"psci_version": "1.1"'
has '"smccc_wa1": "not_required"'; has '"fw_vendor_hyp_bmap": "0x3"'
sed 's/CONFIG pmu_counters 6/CONFIG pmu_counters 40/' "$tmp/probe-cfg.txt" > "$tmp/probe-cfg-bad.txt"
expect_fail 1 "probe-cfg-bad.txt:5: CONFIG pmu_counters: value '40' is not allowed" "$A" hosts import "$tmp/probe-cfg-bad.txt" --name p
sed 's/CONFIG sve_vls 0x3/CONFIG sve_vls 0x0/' "$tmp/probe-cfg.txt" > "$tmp/probe-cfg-bad.txt"
expect_fail 1 "probe-cfg-bad.txt:4: CONFIG sve_vls '0x0'" "$A" hosts import "$tmp/probe-cfg-bad.txt" --name p
sed 's/CONFIG ipa_bits 48/CONFIG ipa_bitz 48/' "$tmp/probe-cfg.txt" > "$tmp/probe-cfg-bad.txt"
expect_fail 1 "'ipa_bitz' is not a vCPU configuration item" "$A" hosts import "$tmp/probe-cfg-bad.txt" --name p
sed 's/CONFIG ipa_bits 48/CONFIG psci_version 0x10000/' "$tmp/probe-cfg.txt" > "$tmp/probe-cfg-bad.txt"
expect_fail 1 "CONFIG psci_version is listed twice" "$A" hosts import "$tmp/probe-cfg-bad.txt" --name p
printf 'ARMCPU-PROBE-BEGIN\nCONFIG sve_vls\nARMCPU-PROBE-END ok\n' > "$tmp/probe-cfg-bad.txt"
expect_fail 1 "expected 'CONFIG <item> <value>'" "$A" hosts import "$tmp/probe-cfg-bad.txt" --name p
expect_fail 2 "cannot open" "$A" hosts import "$tmp/none.txt" --name x
# a failed -o write leaves nothing behind
expect_fail 2 "x.json: cannot write: directory .*no/dir. does not exist" "$A" hosts import "$tmp/probe.txt" --name p -o "$tmp/no/dir/x.json"
[ ! -e "$tmp/no/dir/x.json" ] || { echo "FAIL: half-written file"; fails=$((fails + 1)); }

# bad snapshots
cp "$tmp/g3.json" "$tmp/trunc.json"; truncate -s 300 "$tmp/trunc.json"
expect_fail 1 "trunc.json: the JSON ends at byte 300 before it is complete (a truncated file?)" "$A" check grace-v1 --host "$tmp/trunc.json"
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
has "neoverse-n1-v1 .*blocked by feat_CopSDbg$"
check "models --host json" "$A" models --host graviton4-linux-6.12 --json
has '"unavailable-features": \['
# a model nothing blocks but that rests on unknown fields: not "usable", and
# QMP's unavailable-features is absent (runnability not known)
printf 'model t-fixed\nversion 1\nparent neoverse-n1-v1\nrealizable yes\nsource test\nID_DFR0_EL1.CopSDbg = 0\nend\n' > "$tmp/fixed.model"
check "models --host unknown" "$A" --model-file "$tmp/fixed.model" models --host qemu-neoverse-n1-linux-6.12
has "^  t-fixed-v1 *usable, 1 field unknown$"; hasnt "^  t-fixed-v1 *usable$"
check "models --host unknown json" "$A" --model-file "$tmp/fixed.model" models --host qemu-neoverse-n1-linux-6.12 --json
jq -e '.format == "armcpu-qmp" and .command == "query-cpu-definitions"' "$tmp/out" >/dev/null ||
    { echo "FAIL: models --host --json is not a versioned QMP reply"; fails=$((fails + 1)); }
jq -e '.return[] | select(.name == "t-fixed-v1") | has("unavailable-features") | not' "$tmp/out" >/dev/null ||
    { echo "FAIL: unavailable-features present for a model whose runnability is unknown"; fails=$((fails + 1)); }
jq -e '.return[] | select(.name == "neoverse-n1-v1") | .["unavailable-features"] == ["feat_CopSDbg"]' "$tmp/out" >/dev/null ||
    { echo "FAIL: neoverse-n1-v1's unavailable-features"; fails=$((fails + 1)); }
check "models --host unknown xml" "$A" --model-file "$tmp/fixed.model" models --host qemu-neoverse-n1-linux-6.12 --xml
has "<model usable='unknown' vendor='ARM'>t-fixed-v1</model>"
check "models --host xml" "$A" models --host qemu-neoverse-n1-linux-6.12 --xml
has "<model usable='no' vendor='ARM'>neoverse-n1-v1</model>"
has "<blockers model='neoverse-n1-v1'>"
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
check "props --host" "$A" props --host graviton3-linux-6.12
has "^feat_AES: off, aes, pmull$"
has "^hw_prop_TGRAN4_2: tgran4$"     # not writable on 6.12: only the host's
has "^cpu_partnum: 0xd40$"
has "^feat_SVE: unknown"             # measured with the sve vCPU feature off
has "^feat_CopDbg: armv8, vhe, debugv8p2, debugv8p4$"   # set_id_dfr0_el1 refuses < Armv8
check "props --host n1" "$A" props --host qemu-neoverse-n1-linux-6.12
has "^feat_PerfMon: off, pmuv3, pmuv3p1$"   # 1..2 refused by set_id_dfr0_el1, 0xf rewritten
has "^feat_DebugVer: imp, vhe, v8p2$" # below Armv8 refused; LOWER above
check "props --host json" "$A" props --host graviton3-linux-6.12 --json
has '"name": "feat_AES"'
# the converged query-cpu-props-info shape: typed entries, booleans as
# JSON booleans, strings as their names, numbers as sorted disjoint
# inclusive ranges of JSON integers (a schema held by python)
python3 - "$tmp/out" <<'PYEOF' || { echo "FAIL: props-info schema"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["format"], d["version"], d["command"]) == ("armcpu-props-info", 1, "query-cpu-props-info"), d
assert isinstance(d["follows"], str) and "RFC v3" in d["follows"]
seen = set()
for e in d["return"]:
    assert set(e) == {"name", "type", "supported-values", "writable", "known"}, e
    assert e["name"] not in seen; seen.add(e["name"])
    assert isinstance(e["writable"], bool) and isinstance(e["known"], bool)
    sv = e["supported-values"]
    assert isinstance(sv, list)
    if e["type"] == "boolean":
        assert all(isinstance(v, bool) for v in sv) and len(set(sv)) == len(sv), e
    elif e["type"] in ("string", "fraction"):
        assert all(isinstance(v, str) and v for v in sv), e
    elif e["type"] == "number":
        last = -2
        for r in sv:
            assert set(r) == {"min", "max"}, r
            assert all(isinstance(r[k], int) and not isinstance(r[k], bool) for k in r), r
            assert last + 1 < r["min"] <= r["max"], (e["name"], sv)
            last = r["max"]
    else:
        raise AssertionError(e["type"])
aes = [e for e in d["return"] if e["name"] == "feat_AES"][0]
assert aes["type"] == "string" and aes["supported-values"] == ["off", "aes", "pmull"], aes
PYEOF

# expand host / check
check "expand host" "$A" expand host --host graviton3-linux-6.12
has "^model host"; has "SYSREG_ID_AA64ISAR0_EL1_AES=0x2"
check "expand host with props" "$A" expand host,feat_AES=aes --host graviton3-linux-6.12
has "feat_AES=aes"
expect_fail 1 "model 'host' means a host's own values" "$A" expand host
# every verdict at once: MPAM reads 0 under 6.12 (hidden) and cannot be
# written, LRCPC3 is above the host's, the AArch32 registers of a spec
# without AArch32 are the host's, SVE/PMU/pauth were measured off, and what
# the 6.1 fingerprint hid is unknown
expect_rc 3 "check" "$A" check graviton3-v1,aarch32=off,SYSREG_ID_AA64PFR0_EL1_MPAM=0x1,feat_LRCPC=lrcpc3 --host graviton3-linux-6.12 --json
has '"usable": false'; has '"answer": "blocked"'; has '"verdict": "not-writable"'; has '"verdict": "over-promise"'
has '"verdict": "host-given"'; has '"verdict": "unchecked"'; has '"verdict": "unknown"'
expect_rc 3 "check identity" "$A" check neoverse-n1-v1 --host graviton4-linux-6.12
has "identity .*cpu_partnum"
# "we don't know" is never "usable": unknown fields make exit 4 and say so
# graviton3-v1 on its namesake's 6.12 view: usable, with 27 fields that the
# 6.1 fingerprint (and SVE/PMU/pauth off) cannot tell
expect_rc 4 "check unknown" "$A" check graviton3-v1 --host graviton3-linux-6.12
has "^usable, 27 fields unknown$"
# a listing of two registers is not a host armcpu can answer for
printf 'MIDR_EL1 0x413fd0c1\nID_PFR0_EL1 0x131\n' > "$tmp/two.txt"
check "import two registers" "$A" hosts import "$tmp/two.txt" --masks "$REF/kvm-6.12-writable-masks.txt" --name two -o "$tmp/two.json"
grep -q "warning: two lacks 10 AArch64 ID registers every KVM exposes (ID_AA64PFR0_EL1, ID_AA64PFR1_EL1" "$tmp/err" ||
    { echo "FAIL: import of a 2-register listing does not name the missing core registers"; cat "$tmp/err"; fails=$((fails + 1)); }
check "models on two registers" "$A" models --host "$tmp/two.json"
hasnt " usable$"; has "^  grace-v1 *usable, [0-9]* fields unknown$"
expect_rc 4 "check on two registers" "$A" check grace-v1 --host "$tmp/two.json"
has "^usable, [0-9][0-9][0-9] fields unknown$"
grep -q "warning: two lacks" "$tmp/err" || { echo "FAIL: check does not warn about the 2-register snapshot"; fails=$((fails + 1)); }

# fix: for every shipped model on every embedded snapshot, the printed spec
# passes check with the same answer (exit 0, or 4 with unknown fields)
for h in $hosts; do
    for m in $("$A" models | awk 'NR > 1 && $4 == "yes" { print $1 }'); do
        "$A" fix "$m" --host "$h" >"$tmp/fix" 2>"$tmp/err"; frc=$?
        if [ $frc = 0 ] || [ $frc = 4 ]; then
            spec=$(cat "$tmp/fix")
            "$A" check "$spec" --host "$h" >/dev/null 2>&1; crc=$?
            [ $crc = $frc ] || { echo "FAIL: fix $m --host $h (exit $frc) gave a spec check answers $crc"; fails=$((fails + 1)); }
        else
            echo "FAIL: fix $m --host $h (exit $frc)"; cat "$tmp/err"; fails=$((fails + 1))
        fi
    done
done
expect_rc 4 "fix graviton3-linux-6.12" "$A" fix graviton3-v1,SYSREG_ID_AA64PFR0_EL1_MPAM=0x1 --host graviton3-linux-6.12
has "^graviton3-v1,SYSREG_ID_AA64PFR0_EL1_MPAM=0x0$"
expect_rc 4 "fix json" "$A" fix graviton3-v1,SYSREG_ID_AA64PFR0_EL1_MPAM=0x1 --host graviton3-linux-6.12 --json
has '"answer": "unknown"'; has '"spec": "graviton3-v1,SYSREG_ID_AA64PFR0_EL1_MPAM=0x0"'

# compare: all four answers
check "compare identical" "$A" compare grace-v1 neoverse-v2-v1
has "^identical"
check "compare superset" "$A" compare graviton3-v1 graviton3-v1,sve=off
has "^superset"; has "feat_SVE"
check "compare subset" "$A" compare graviton3-v1,sve=off graviton3-v1
has "^subset"
check "compare incompatible" "$A" compare graviton3-linux-6.12 graviton4-linux-6.12 --json
has '"result": "incompatible"'; has '"responsible-properties"'; has '"hw_prop_TGRAN4_2"'
hasnt '"cpu_partnum"'
hasnt '"feat_CopDbg"'   # graviton4-linux-6.12 has no AArch32: the AArch32 registers do not count
# only checkable differences: not the fields a host measured with the vCPU
# feature off cannot tell (SVE, PMU, pointer auth), not cache geometry the
# model leaves to the host, not registers KVM does not expose (DCZID_EL0)
check "compare host and model" "$A" compare graviton4-linux-6.12 graviton4-v1
for p in feat_SVE feat_PMUVer hw_prop_APA hw_prop_GPA hw_prop_LoC hw_prop_Ctype1 hw_prop_DCZID_BS; do
    hasnt "^  $p$"
done
# MPAM is hidden under 6.12 (both 0), DebugVer unknown (6.1 showed 6 to
# every guest): what is left is EL3 and EL2, which the model has and the
# guest view lacks
has "^superset$"; has "^  el3_mode$"; has "^  el2_mode$"; hasnt "feat_MPAM"; hasnt "feat_DebugVer"
check "compare aarch32 superset" "$A" compare graviton3-v1 graviton3-v1,aarch32=off
has "^superset$"; has "^  el0_mode$"; [ "$(wc -l < "$tmp/out")" = 2 ] ||
    { echo "FAIL: compare with aarch32=off names more than el0_mode"; fails=$((fails + 1)); }
check "compare without aarch32" "$A" compare graviton3-v1,aarch32=off graviton3-v1,aarch32=off,SYSREG_ID_DFR0_EL1_CopDbg=0x6
has "^identical$"
expect_fail 1 "neither a host" "$A" compare graviton3-linux-6.12 nosuchthing

# baseline
# a one-host baseline is the host's own view wherever its kernel lets the
# field be written (EL2, CTR_EL0.IDC raised to the host's; CopSDbg lowered)
expect_rc 4 "baseline one host" "$A" baseline qemu-neoverse-n1-linux-6.12
has "^neoverse-n1-v1,SYSREG_ID_DFR0_EL1_CopSDbg=0x0,el2_mode=aarch64,hw_prop_IDC=on$"
has "^  el2_mode=aarch64 *(the meet is richer than the model)$"
has "^  1 field unknown on some host (armcpu check lists them): DCZID_EL0.BS$"
"$A" baseline graviton3-linux-6.12 graviton4-linux-6.12 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 3 ] || { echo "FAIL: baseline graviton3-linux-6.12 graviton4-linux-6.12 exit $rc (want 3)"; fails=$((fails + 1)); }
has "^impossible"; has "TGRAN4_2"; has "TGRAN64_2"; has "TGRAN16_2"
hasnt "ID_DFR0_EL1"   # AArch32 registers: UNKNOWN to a guest without AArch32
[ "$(grep -c 'no value every host accepts' "$tmp/out")" = 3 ] ||
    { echo "FAIL: graviton3+4 on 6.12: exactly the three TGRAN*_2"; fails=$((fails + 1)); }
has "identity: MIDR_EL1.PartNum"
expect_rc 4 "baseline json" "$A" baseline graviton3-linux-6.12 graviton3-linux-6.12 --json
has '"possible": true'; has '"spec": "graviton3-v1,'; has '"answer": "unknown"'
has '"hosts": 2'; has '"host-classes": 1'
expect_rc 4 "baseline --base" "$A" baseline graviton3-linux-6.12 --base neoverse-v1-v1
has "^neoverse-v1-v1"
# the issue's case: graviton3-linux-6.12 and a copy without vcpu_features (all three
# features taken as on): one spec that check passes on both
"$A" hosts show graviton3-linux-6.12 | jq 'del(.vcpu_features) | .name = "g"' > "$tmp/g.json"
expect_rc 4 "baseline graviton3-linux-6.12 g.json" "$A" baseline graviton3-linux-6.12 "$tmp/g.json"
spec=$(head -1 "$tmp/out")
hasnt "internal"; grep -q internal "$tmp/err" && { echo "FAIL: baseline said internal"; fails=$((fails + 1)); }
for h in graviton3-linux-6.12 "$tmp/g.json"; do
    "$A" check "$spec" --host "$h" >/dev/null 2>&1; rc=$?
    [ $rc = 0 ] || [ $rc = 4 ] || { echo "FAIL: the graviton3-linux-6.12 + g.json baseline is blocked on $h"; fails=$((fails + 1)); }
done
# A Firecracker fingerprint imports directly: kernel, vCPU features (none:
# Firecracker's default), every ID register, table registers it lacks
# absent: the snapshot the text listing of the same file gives, plus the
# firmware registers as the vCPU configuration (the listing has none)
FP="$SRC/tests/data/firecracker/fingerprint_ARM_NEOVERSE_N1_6.1host.json"
check "import fingerprint" "$A" hosts import "$FP" --name g2fp -o "$tmp/fp.json"
check "import listing" "$A" hosts import "$SRC/../shared/reference/measured-hosts/graviton2-kvm-6.1.txt" \
    --name g2fp --kernel 6.1.129-138.220.amzn2023.aarch64 --vcpu-features none --unlisted absent -o "$tmp/ls.json"
[ "$(jq -c '.vcpu_config | map_values(.value)' "$tmp/fp.json")" = \
  '{"psci_version":"1.1","smccc_wa1":"not_required","smccc_wa2":"not_avail","smccc_wa3":"avail","fw_std_bmap":"0x1","fw_std_hyp_bmap":"0x1","fw_vendor_hyp_bmap":"0x3","fw_vendor_hyp_bmap_2":"0x0"}' ] ||
    { echo "FAIL: the fingerprint's firmware registers are not its vcpu_config: $(jq -c .vcpu_config "$tmp/fp.json")"; fails=$((fails + 1)); }
if [ -f "$SRC/../shared/reference/measured-hosts/graviton2-kvm-6.1.txt" ]; then
    [ "$(jq -S 'del(.source) | del(.vcpu_config)' "$tmp/fp.json")" = "$(jq -S 'del(.source)' "$tmp/ls.json")" ] ||
        { echo "FAIL: the fingerprint and its listing import differently"; fails=$((fails + 1)); }
fi
jq -e '.kernel == "6.1.129-138.220.amzn2023.aarch64" and .vcpu_features == [] and
       .registers.ID_AA64ISAR0_EL1.value == "0x0000100010211120"' "$tmp/fp.json" >/dev/null ||
    { echo "FAIL: fingerprint snapshot"; jq '.kernel, .vcpu_features, .registers.ID_AA64ISAR0_EL1' "$tmp/fp.json"; fails=$((fails + 1)); }
expect_fail 1 "is a Firecracker fingerprint, which has no masks" \
    "$A" hosts import "$FP" --name x --masks "$FP"
jq '.guest_cpu_config.reg_modifiers[0].bitmap = "0bxx"' "$FP" > "$tmp/fpx.json"
expect_fail 1 "reg_modifiers\[0\].*0 and 1\|needs an addr" "$A" hosts import "$tmp/fpx.json" --name x
# KVM's whole-register rule on a field the meet leaves to the model: with
# the PMU off the host shows PerfMon 0, the model writes its own PerfMon, and
# set_id_dfr0_el1 then refuses the host's CopDbg 0 (below Armv8). A conflict
# named as such, not a spec check would block (found by fuzz-fleet).
"$A" hosts show qemu-neoverse-n1-linux-6.12 |
    jq '.name = "nopmu" | .vcpu_features = ["sve", "ptrauth"] |
        .registers.ID_DFR0_EL1.value = "0x0000000000010000"' > "$tmp/nopmu.json"
expect_rc 3 "baseline, rule refusing the model's write" "$A" baseline "$tmp/nopmu.json" --base neoverse-n1-v1
has "^  ID_DFR0_EL1.CopDbg: on nopmu KVM (set_id_dfr0_el1) refuses CopDbg below Armv8 (0x6) in any ID_DFR0_EL1 write; neoverse-n1-v1 writes this register for fields no host's data decides: PerfMon$"
hasnt "armcpu defect"
# a spec without AArch32 has EL0/EL1 1 (aarch32=off): a host showing EL1 3,
# not writable, is a conflict of that field, with the reason (fuzz-fleet)
"$A" hosts show qemu-neoverse-n1-linux-6.12 |
    jq '.name = "el1" | .registers.ID_AA64PFR0_EL1.value = "0x1100000011110132" |
        .registers.ID_AA64PFR0_EL1.writable = "0xffff00f00f00ff0f"' > "$tmp/el1.json"
"$A" hosts show qemu-neoverse-n1-linux-6.12 |
    jq '.name = "el0" | .registers.ID_AA64PFR0_EL1.value = "0x1100000011110111"' > "$tmp/el0.json"
expect_rc 3 "baseline, EL1 3 without AArch32" "$A" baseline "$tmp/el1.json" "$tmp/el0.json" --base neoverse-n1-v1
has "^  ID_AA64PFR0_EL1.EL1: no value every host accepts: el1 has 0x3 (not writable) el0 has 0x1 (writable); a spec without AArch32 has 0x1 (AArch64 only) here$"
hasnt "armcpu defect"
expect_rc 4 "plan graviton3-linux-6.12 g.json" "$A" plan graviton3-linux-6.12 "$tmp/g.json" --json
for spec in $(jq -r '.kernels[] | select(.migratable) | .spec' "$tmp/out"); do
    k=$(jq -r --arg s "$spec" '.kernels[] | select(.spec == $s) | .kernel' "$tmp/out" | head -1)
    for h in graviton3-linux-6.12 "$tmp/g.json"; do
        "$A" check "$spec" --host "$h" --kernel "$k" >/dev/null 2>&1; rc=$?
        [ $rc = 0 ] || [ $rc = 4 ] || { echo "FAIL: plan's $k spec is blocked on $h"; fails=$((fails + 1)); }
    done
done

# fleets from a directory, a list file and standard input (JSON Lines),
# identical snapshots folded into one class with a count
mkdir "$tmp/fleet"
for i in 1 2 3; do "$A" hosts show graviton3-linux-6.12 | jq ".name = \"g3-$i\"" > "$tmp/fleet/g3-$i.json"; done
"$A" hosts show graviton4-linux-6.12 > "$tmp/fleet/g4.json"
expect_rc 3 "baseline --hosts-from dir" "$A" baseline --hosts-from "$tmp/fleet"
has "^impossible: no spec runs on all 4 hosts"; has "^  (4 hosts in 2 distinct snapshots)$"
printf '# a list\ngraviton3\n\n%s\ngraviton3\n' "$tmp/fleet/g4.json" > "$tmp/list.txt"
expect_rc 3 "baseline --hosts-from list" "$A" baseline --hosts-from "$tmp/list.txt"
has "^  (3 hosts in 2 distinct snapshots)$"
for i in $(seq 1 50); do "$A" hosts show graviton3-linux-6.12 | jq -c ".name = \"h$i\""; done > "$tmp/fleet.jsonl"
"$A" hosts show graviton4-linux-6.12 | jq -c . >> "$tmp/fleet.jsonl"
expect_rc 3 "baseline --hosts-from - (JSON Lines)" sh -c "\"$A\" baseline --hosts-from - --json < \"$tmp/fleet.jsonl\""
has '"hosts": 51'; has '"host-classes": 2'
expect_rc 4 "baseline --kernel 6.19 --hosts-from" "$A" baseline --hosts-from "$tmp/fleet.jsonl" --kernel 6.19
# 6.19: the 6.15+ version graviton3-v2 (AArch64-only EL0, NV 0) is the nearest
has "^graviton3-v2,"; has "needed by 1 host (first: graviton4-linux-6.12)"
has "^  (51 hosts in 2 distinct snapshots)$"
printf 'graviton3-linux-6.12\nnosuch\n' > "$tmp/badlist.txt"
expect_fail 1 "badlist.txt:2: unknown host 'nosuch'" "$A" baseline --hosts-from "$tmp/badlist.txt"
head -c 300 "$tmp/fleet.jsonl" > "$tmp/trunc.jsonl"
expect_fail 1 "trunc.jsonl:1: the JSON ends at byte 300 before it is complete" "$A" baseline --hosts-from "$tmp/trunc.jsonl"
expect_fail 1 "no \*.json snapshot" "$A" baseline --hosts-from "$SRC/docs"
expect_fail 1 "no host" sh -c "\"$A\" baseline --hosts-from - < /dev/null"
expect_fail 1 "abstract" "$A" baseline graviton3-linux-6.12 --base arm-v8_4-a-v1
expect_fail 1 "expected at least one host" "$A" baseline

# diff
check "diff" "$A" diff graviton3-linux-6.12 graviton4-linux-6.12
has "hw_prop_TGRAN4_2 .*not fixable: ID_AA64MMFR0_EL1.TGRAN4_2: no value every host accepts: graviton3-linux-6.12 has 0x0 (not writable) graviton4-linux-6.12 has 0x2 (not writable)"
has "fields differ between graviton3-linux-6.12 and graviton4-linux-6.12"
has "^  91 AArch32 fields differ; aarch32=off fixes them"     # graviton4-linux-6.12 has no AArch32
hasnt "feat_CopDbg "
cp "$tmp/out" "$tmp/diff.out"
check "diff --verbose" "$A" diff graviton3-linux-6.12 graviton4-linux-6.12 --verbose
has "feat_CopDbg .*fixable by aarch32=off"; hasnt "AArch32 fields differ;"
[ "$(grep -c 'fixable by aarch32=off' "$tmp/out")" = 91 ] || { echo "FAIL: diff --verbose does not list the 91"; fails=$((fails + 1)); }
cp "$tmp/diff.out" "$tmp/out"

has "cpu_partnum .*identity: each guest sees its host's"   # 6.12 cannot write MIDR
# a fix names each field with a property its blocker line shows (the
# friendly one for a named level, the SYSREG_ one for a number)
"$A" check graviton4-v1 --host graviton2-linux-6.12 > "$tmp/blk" 2>/dev/null
for t in $("$A" fix graviton4-v1 --host graviton2-linux-6.12 2>/dev/null | head -1 | tr ',' ' ' | cut -d' ' -f2-); do
    p=${t%%=*}
    [ "$p" = aarch32 ] && continue
    grep -E "^  (over-promise|not-writable|refused) .* $p( |$)" "$tmp/blk" >/dev/null ||
        { echo "FAIL: fix's $t names no blocker line of check"; fails=$((fails + 1)); }
done
expect_rc 3 "check folds AArch32" "$A" check graviton4-v1 --host graviton2-linux-6.12
has "^  host-given    85 AArch32 fields differ: the spec has no AArch32"; hasnt "host-given    feat_State1"
# diff's not-fixable fields are exactly the pair's baseline conflicts
"$A" diff graviton3-linux-6.12 graviton4-linux-6.12 | grep "not fixable" | sed 's/.*not fixable: //' | sort > "$tmp/d1"
"$A" baseline graviton3-linux-6.12 graviton4-linux-6.12 --json | jq -r '.conflicts[]' | sort > "$tmp/d2"
cmp -s "$tmp/d1" "$tmp/d2" || { echo "FAIL: diff's not-fixable fields differ from baseline's conflicts"; fails=$((fails + 1)); }
check "diff --kernel 6.19" "$A" diff graviton3-linux-6.12 graviton4-linux-6.12 --kernel 6.19
has "cpu_partnum .*fixable, common 0xd40"; has "hw_prop_TGRAN4_2 .*fixable, common 0x1"
# and the vector lengths (Graviton3 128+256, Graviton4 128): one more
has "^  sve_vls  *KVM_REG_ARM64_SVE_VLS  *128,256  *128  *fixable, common 128 (sve128=on)$"
has "^113 fields differ between graviton3-linux-6.12 and graviton4-linux-6.12, 113 fixable$"
check "diff json" "$A" diff graviton3-linux-6.12 graviton4-linux-6.12 --json
has '"by": "aarch32=off"'

# qemu-args with a host: a spec check blocks there is refused (exit 5), the
# blockers named, nothing on stdout; --force prints it; the spec fix gives
# prints the fields that differ from the host's view (unit-out applies it)
blocked=grace-v1,SYSREG_ID_AA64PFR0_EL1_MPAM=0x1
expect_fail 5 "$blocked is blocked on graviton4-linux-6.12; nothing printed" \
    "$A" qemu-args "$blocked" --dialect sysreg --host graviton4-linux-6.12
[ -s "$tmp/out" ] && { echo "FAIL: a refused artifact printed something"; fails=$((fails + 1)); }
grep -q "^  ID_AA64PFR0_EL1.MPAM (feat_MPAM): not-writable" "$tmp/err" ||
    { echo "FAIL: the refusal does not name MPAM"; fails=$((fails + 1)); }
expect_rc 0 "qemu-args --force" "$A" qemu-args "$blocked" --dialect sysreg --host graviton4-linux-6.12 --force
has "^-cpu host,"; grep -q "warning: --force" "$tmp/err" || { echo "FAIL: --force without a warning"; fails=$((fails + 1)); }
spec=$("$A" fix "$blocked" --host graviton4-linux-6.12 2>/dev/null | head -1)
# the fix spec is "usable, 30 fields unknown" there: the artifact says so, as check exits
expect_rc 4 "qemu-args fix spec" "$A" qemu-args "$spec" --dialect sysreg --host graviton4-linux-6.12
grep -q "note: on graviton4-linux-6.12, 30 fields of the spec cannot be told from the host data" "$tmp/err" ||
    { echo "FAIL: qemu-args does not say what check leaves unknown"; fails=$((fails + 1)); }
has "^-cpu host,SYSREG_ID_AA64PFR0_EL1_EL3=0x0,SYSREG_ID_AA64PFR0_EL1_EL2=0x0,"; hasnt "SYSREG_MIDR_EL1"; hasnt "TGRAN4_2"
expect_rc 4 "libvirt values" "$A" libvirt grace-v1,feat_DebugVer=v8p2 --host graviton4-linux-6.12 --form values
has "<feature policy='require' name='feat_DebugVer' value='v8p2'/>"
expect_rc 5 "firecracker blocked" "$A" firecracker "$blocked" --host graviton4-linux-6.12 -o "$tmp/fc.json"
[ ! -e "$tmp/fc.json" ] || { echo "FAIL: a refused template was written"; fails=$((fails + 1)); }
expect_rc 4 "firecracker fix spec" "$A" firecracker "$spec" --host graviton4-linux-6.12 -o "$tmp/fc.json"
jq -e '.reg_modifiers | length > 0 and all(.addr | test("^0x603000000013[0-9a-f]{4}$"))' "$tmp/fc.json" >/dev/null ||
    { echo "FAIL: firecracker addr"; fails=$((fails + 1)); }
jq -e '.reg_modifiers | all(.bitmap | test("^0b[01x]{128}$"))' "$tmp/fc.json" >/dev/null ||
    { echo "FAIL: firecracker bitmap"; fails=$((fails + 1)); }
jq -e '.vcpu_features == [{"index": 0, "bitmap": "0b1111xxx"}]' "$tmp/fc.json" >/dev/null ||
    { echo "FAIL: firecracker vcpu_features"; cat "$tmp/fc.json"; fails=$((fails + 1)); }
# Firecracker's own JSON Schema for templates (../shared/reference/firecracker)
FCS="$SRC/../shared/reference/firecracker/schema.json"
if [ -f "$FCS" ] && python3 -c 'import jsonschema' 2>/dev/null; then
    python3 - "$FCS" "$tmp/fc.json" <<'PYEOF' || { echo "FAIL: the template does not validate against Firecracker's schema"; fails=$((fails + 1)); }
import json, sys, jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.validate(doc, schema)
# the schema leaves bitmaps free text: hold them to its description
for m in doc["reg_modifiers"]:
    assert m["bitmap"].startswith("0b") and len(m["bitmap"]) == 130, m
    assert set(m["bitmap"][2:]) <= set("01x"), m
PYEOF
else
    echo "note: python3 jsonschema or $FCS missing: the template's schema is checked by unit-out's shape test only"
fi
expect_fail 1 "give --host" "$A" firecracker grace-v1
expect_fail 2 "nodir/fc.json: cannot write: directory .*nodir. does not exist" \
    "$A" firecracker "$spec" --host graviton4-linux-6.12 -o "$tmp/nodir/fc.json"

# --kernel V without a table of its own: the nearest older one, said once
# (6.6: a view of its own, the masks 6.1's; 6.7-6.11, 6.13 and 6.14 have
# tables of their own, derived)
expect_rc 3 "check --kernel 6.6" "$A" check grace --host graviton3-linux-6.12 --kernel 6.6
[ "$(grep -c "note: no mask table for Linux 6.6; using Linux 6.1's, the nearest older one" "$tmp/err")" = 1 ] ||
    { echo "FAIL: --kernel 6.6 does not say it uses 6.1's table"; cat "$tmp/err"; fails=$((fails + 1)); }
# the masks are 6.1's, the view 6.6's own (kernels/linux-6.6.view): the
# same as checking against the host re-derived for 6.6 with 6.1's masks
"$A" hosts show graviton3-linux-6.12 --kernel 6.6 2>/dev/null | jq '.kernel = "6.1"' > "$tmp/g3v66.json"
"$A" check grace --host graviton3-linux-6.12 --kernel 6.6 2>/dev/null | tail -n +2 > "$tmp/k66"
"$A" check grace --host "$tmp/g3v66.json" | tail -n +2 > "$tmp/k61"
cmp -s "$tmp/k66" "$tmp/k61" || { echo "FAIL: --kernel 6.6 answers otherwise than 6.1's masks on 6.6's view"; fails=$((fails + 1)); }
expect_rc 3 "check --kernel 6.14" "$A" check grace --host graviton3-linux-6.12 --kernel 6.14
[ "$(grep -c "note: no mask table" "$tmp/err")" = 0 ] ||
    { echo "FAIL: --kernel 6.14 falls back although kernels/linux-6.14.masks exists"; cat "$tmp/err"; fails=$((fails + 1)); }
expect_rc 4 "baseline --kernel 7.4" "$A" baseline graviton3-linux-6.12 graviton4-linux-6.12 --kernel 7.4
[ "$(grep -c "note: no mask table for Linux 7.4; using Linux 7.3's" "$tmp/err")" = 1 ] ||
    { echo "FAIL: baseline --kernel 7.4 note"; cat "$tmp/err"; fails=$((fails + 1)); }
# rolling kernel upgrade: NV reads 2 under 6.12 and is hidden under 7.3,
# writable on neither (kernels/linux-6.12.view, linux-7.3.view)
expect_rc 3 "plan graviton3-linux-6.12 --from 6.12 --to 7.3" "$A" plan graviton3-linux-6.12 --from 6.12 --to 7.3
has "^Linux 6.12 -> 7.3: no spec serves both kernels$"
has "ID_AA64MMFR2_EL1.NV: no value every host accepts: graviton3-linux-6.12-at-6.12 has 0x2 (not writable) graviton3-linux-6.12-at-7.3 has 0x0 (not writable)"
has "^graviton3-linux-6.12, host passthrough started under 6.12: does not move"
has "^    ID_AA64MMFR2_EL1.NV: not-writable (0x2 under 6.12, 0x0 under 7.3)"
expect_rc 3 "plan graviton3-linux-6.12 --from 6.12 --to 7.3 --json" "$A" plan graviton3-linux-6.12 --from 6.12 --to 7.3 --json
[ "$(jq -r '.answer, .hosts[0].passthrough, (.hosts[0].fields[] | select(.field == "ID_AA64MMFR2_EL1.NV") | .verdict)' "$tmp/out" | tr '\n' ' ')" = "blocked blocked not-writable " ] ||
    { echo "FAIL: plan --from/--to --json"; fails=$((fails + 1)); }
# one kernel both sides: the passthrough guest moves (the baseline keeps its
# own unknown field, DCZID_EL0 being absent on this host)
expect_rc 4 "plan qemu-neoverse-n1-linux-6.12 --from 6.12 --to 6.12" "$A" plan qemu-neoverse-n1-linux-6.12 --from 6.12 --to 6.12
has "^qemu-neoverse-n1-linux-6.12, host passthrough started under 6.12: moves to the upgraded host$"
# n1 has no NV: a spec serves both, the fields 6.12 hid and 7.3 shows are unknown
expect_rc 4 "plan qemu-neoverse-n1-linux-6.12 --from 6.12 --to 7.3" "$A" plan qemu-neoverse-n1-linux-6.12 --from 6.12 --to 7.3
has "^Linux 6.12 -> 7.3: a spec serves both kernels, some fields unknown$"
has "fields unknown (the snapshot's own kernel hid them; --json says why): .*ID_AA64ISAR3_EL1.LSFE"
# kernels and plan: what-if kernels
check "kernels" "$A" kernels
has "^6.1	-	measured"; has "^6.12	-	measured"; has "^6.15	KVM_CAP_ARM_WRITABLE_IMP_ID_REGS	derived"
has "^6.8	-	derived"; has "^6.14	-	derived"
has "^6.19	KVM_CAP_ARM_WRITABLE_IMP_ID_REGS	measured"
# Graviton3 has AArch32, Graviton4 does not: the common spec has none, so the
# AArch32 registers (where KVM refuses ID_DFR0_EL1.CopDbg below Armv8) are the
# host's business; on 6.19 TGRAN*_2 = 1 joins them, and NV = 0 (6.19 hides NV,
# kernels/linux-6.15.view on). graviton3-v2, made for 6.15+, already has both,
# so the spec needs neither aarch32=off nor an NV override.
expect_rc 4 "baseline graviton3+4 --kernel 6.19" "$A" baseline graviton3-linux-6.12 graviton4-linux-6.12 --kernel 6.19
# the vCPU configuration follows the fields where the hosts differ:
# Graviton3's 128- and 256-bit SVE and Graviton4's 128-bit share 128 only
has "^graviton3-v2,.*hw_prop_TGRAN4_2=off,hw_prop_TGRAN64_2=off,hw_prop_TGRAN16_2=off,sve128=on$"
hasnt "aarch32=off"; hasnt "SYSREG_ID_AA64MMFR2_EL1_NV"
hasnt "no value every host accepts"; hasnt "CopDbg"
spec=$(head -1 "$tmp/out")
for h in graviton3-linux-6.12 graviton4-linux-6.12; do
    "$A" check "$spec" --host "$h" --kernel 6.19 | tail -1 | grep -q '^usable, [0-9]* fields unknown$' ||
        { echo "FAIL: the graviton3+4 6.19 baseline is not usable on $h"; fails=$((fails + 1)); }
    # on 6.12: the three TGRAN*_2 and NV (shown as 2 there), none writable
    "$A" check "$spec" --host "$h" --kernel 6.12 | tail -1 | grep -q '^not usable: 4 blockers' ||
        { echo "FAIL: on 6.12 the graviton3+4 baseline is not blocked by exactly 4 fields on $h"; fails=$((fails + 1)); }
    "$A" check "$spec,psci_version=1.3" --host "$h" --kernel 6.12 | grep -q '^  over-promise  psci_version .*model 1.3 .*host 1.1 ' ||
        { echo "FAIL: on 6.12 PSCI 1.3 is not an over-promise on $h"; fails=$((fails + 1)); }
done
"$A" expand "$spec" > "$tmp/exp"
for f in TGRAN4_2 TGRAN64_2 TGRAN16_2; do
    grep -q "^  SYSREG_ID_AA64MMFR0_EL1_$f=0x1\$" "$tmp/exp" ||
        { echo "FAIL: $f of the 6.19 baseline is not 1"; fails=$((fails + 1)); }
done
# The positive case: two hosts that differ only in what 6.15 made writable
# (tests/data/n1-tgran.json: the emulated neoverse-n1 with TGRAN4_2 = 2).
N1T=$SRC/tests/data/n1-tgran.json
expect_rc 4 "baseline --kernel 6.19 possible" "$A" baseline qemu-neoverse-n1-linux-6.12 "$N1T" --kernel 6.19
has "hw_prop_TGRAN4_2=off"
spec=$(head -1 "$tmp/out")
for h in qemu-neoverse-n1-linux-6.12 "$N1T"; do
    # DCZID_EL0.BS (absent) and the 8 fields 6.12 hid and 6.19 shows; not
    # ZFR0's F16MM and EltPerm: the spec (N1) has no SVE, so its vCPU has
    # none and KVM shows ID_AA64ZFR0_EL1 as 0
    "$A" check "$spec" --host "$h" --kernel 6.19 | tail -1 | grep -q '^usable, 9 fields unknown$' ||
        { echo "FAIL: the 6.19 baseline is not usable on $h"; fails=$((fails + 1)); }
done
expect_fail 1 "no writable-mask table for kernel '5.4' or an older one (known: 6.1, 6.7, 6.8, 6.9, 6.10, 6.11, 6.12, 6.13, 6.14, 6.15, 6.16, 6.17, 6.18, 6.19, 7.0, 7.1, 7.2, 7.3)" \
    "$A" baseline graviton3-linux-6.12 graviton4-linux-6.12 --kernel 5.4
check "models --kernel 6.1" "$A" models --host qemu-neoverse-n1-linux-6.12 --kernel 6.1
has "^models on qemu-neoverse-n1-linux-6.12 (6.1)"
check "props --kernel 6.1" "$A" props --host graviton3-linux-6.12 --kernel 6.1
has "^feat_AES: pmull$"     # nothing writable: only the host's value
"$A" plan graviton3-linux-6.12 graviton4-linux-6.12 >"$tmp/out" 2>&1
has "^Linux 6.12  (measured) not migratable"
[ "$(sed -n '/^Linux 6.12/,/^Linux 6.13/p' "$tmp/out" | grep -c 'no value every host accepts')" = 3 ] ||
    { echo "FAIL: plan on 6.12: exactly TGRAN4_2/64_2/16_2"; fails=$((fails + 1)); }
for f in TGRAN4_2 TGRAN64_2 TGRAN16_2; do
    sed -n '/^Linux 6.12/,/^Linux 6.15/p' "$tmp/out" | grep -q "ID_AA64MMFR0_EL1.$f: no value" ||
        { echo "FAIL: plan on 6.12 does not name $f"; fails=$((fails + 1)); }
done
has "^Linux 6.19  (measured) migratable"
has "^oldest kernel that makes the fleet migratable: Linux 6.15 (masks derived"
has "^oldest kernel with measured masks that does: Linux 6.16"
has "^    note: the spec has no AArch32 and only some hosts have it: .*must not restore them"
expect_rc 4 "plan" "$A" plan qemu-neoverse-n1-linux-6.12 "$N1T"
hasnt "no AArch32"
has "^Linux 6.12  (measured) not migratable"
has "^Linux 6.19  (measured) migratable"
has "^oldest kernel that makes the fleet migratable: Linux 6.15 (masks derived"
has "^oldest kernel with measured masks that does: Linux 6.16"
expect_rc 4 "plan json" "$A" plan qemu-neoverse-n1-linux-6.12 "$N1T" --json
has '"oldest-migratable": "6.15"'; has '"oldest-migratable-measured": "6.16"'
"$A" plan graviton2-linux-6.12 qemu-neoverse-n1-linux-6.12 >"$tmp/out" 2>&1; rc=$?
[ $rc = 3 ] || { echo "FAIL: a fleet no kernel can join should exit 3 (got $rc)"; fails=$((fails + 1)); }
has "^no known kernel makes this fleet migratable"; has "ID_AA64MMFR2_EL1.EVT"

# migrate check (no KVM): a state saved by the rig on QEMU's neoverse-n1 under
# Linux 6.12 (tests/data/n1-migrate-state.json, host passthrough), judged on
# the snapshots as the rig's migrate load finds it: refused on the a76 (SSBS,
# PARange above the host's; MIDR an identity finding), loadable on the n1
ST=$SRC/tests/data/n1-migrate-state.json
expect_rc 3 "migrate check on a76" "$A" migrate check "$ST" --host qemu-cortex-a76-linux-6.12
has "^  refused    ID_AA64PFR1_EL1.SSBS: saved 0x2, the host has 0x1"; has "^  refused    ID_AA64MMFR0_EL1.PARANGE"
has "^  identity   MIDR_EL1.PartNum"; has "^result: REFUSED"
check "migrate check on n1" "$A" migrate check "$ST" --host qemu-neoverse-n1-linux-6.12
has "^result: LOADABLE: every saved ID register"
# the same facts as check: the saved values as a spec on the a76
n_refused=$(grep -c '^  refused ' "$tmp/out" || true)
[ "$n_refused" = 0 ] || { echo "FAIL: migrate check on n1 refuses $n_refused"; fails=$((fails + 1)); }
expect_fail 1 "migrate check needs a state file and --host H" "$A" migrate check "$ST"
expect_fail 1 "not an armcpu-migration-state file" "$A" migrate check "$SRC/tests/data/n1-tgran.json" --host qemu-neoverse-n1-linux-6.12

# the counter frequency: QEMU 10's max runs its counter at 1 GHz, its
# neoverse-n2 at 62.5 MHz (the probe's guest read CNTFRQ_EL0): no spec lets a
# guest move between them, whatever the ID registers
expect_rc 3 "baseline max+n2 (CNTFRQ)" "$A" baseline qemu10-max-linux-7.3 qemu10-neoverse-n2-linux-7.3
has "^  CNTFRQ_EL0: the counter frequency differs (qemu10-max-linux-7.3 1000000000 Hz, qemu10-neoverse-n2-linux-7.3 62500000 Hz)"
check "diff max n2 (CNTFRQ)" "$A" diff qemu10-max-linux-7.3 qemu10-neoverse-n2-linux-7.3
has "^  (counter frequency, Hz) *CNTFRQ_EL0 *0x3b9aca00 0x3b9aca0 not fixable"

# the vCPU configuration across a kernel upgrade: the passthrough guest
# carries what its host recorded under 6.1 (its firmware registers); the
# 6.18 view cannot know the workaround levels, so they are unknown there
expect_rc 3 "plan graviton4 6.1 -> 6.18" "$A" plan graviton4-linux-6.1 --from 6.1 --to 6.18
has "^    smccc_wa3: unknown (not_required under 6.1, ? under 6.18): "
# measured under 6.18 (Firecracker's fingerprint): WORKAROUND_3 dropped to
# avail, so a guest saved under 6.1 is refused there, and diff says the floor
check "diff graviton4 6.1 6.18" "$A" diff graviton4-linux-6.1 graviton4-linux-6.18
has "^  smccc_wa3 .*not_required avail  *fixable, common avail (smccc_wa3=avail)$"
expect_rc 3 "6.1 wa3 on 6.18" "$A" check graviton4-v2,smccc_wa3=not_required --host graviton4-linux-6.18
has "^  over-promise  smccc_wa3 .*kvm_arm_set_fw_reg refuses it"

[ $fails = 0 ] && echo "cli-hosts: all passed"
exit $((fails > 0))
