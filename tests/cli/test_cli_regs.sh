#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# End-to-end tests of the layer-1 commands of the armcpu CLI: regs, decode,
# encode, decode-id, safe, --version, help. Every success output and every
# error path (exit code 1 for input errors, a message on stderr naming the bad
# input, nothing on stdout).
#
# Expected values are facts from ../shared/reference: the kernel's sysreg
# layout and cpufeature.c policies, KVM's ONE_REG id layout, and the Graviton3
# (Neoverse V1) register values in measured-hosts/graviton3-kvm-6.1.txt.
#
# usage: test_cli_regs.sh PATH_TO_ARMCPU
set -eu

ARMCPU=${1:?usage: test_cli_regs.sh PATH_TO_ARMCPU}
[ -x "$ARMCPU" ] || { echo "not executable: $ARMCPU" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

count=0
failures=0
desc=

# run ARGS... : runs armcpu, stdout in $TMP/out, stderr in $TMP/err, exit in $rc
run() {
    set +e
    "$ARMCPU" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set -e
}

bad() {
    failures=$((failures + 1))
    printf 'FAIL: armcpu %s\n    %s\n' "$desc" "$1"
    sed -n '1,15s/^/    stdout: /p' "$TMP/out"
    sed -n '1,15s/^/    stderr: /p' "$TMP/err"
}

# expect_ok PATTERN ARGS... : exit 0, a stdout line matches the extended
# regular expression PATTERN, stderr empty.
expect_ok() {
    pat=$1
    shift
    desc="$*"
    count=$((count + 1))
    run "$@"
    if [ "$rc" -ne 0 ]; then
        bad "exit $rc, expected 0"
    elif ! grep -Eq -- "$pat" "$TMP/out"; then
        bad "stdout does not match /$pat/"
    elif [ -s "$TMP/err" ]; then
        bad "unexpected output on stderr"
    fi
}

# expect_fail CODE PATTERN ARGS... : exit CODE, stderr matches PATTERN,
# stdout empty.
expect_fail() {
    code=$1
    pat=$2
    shift 2
    desc="$*"
    count=$((count + 1))
    run "$@"
    if [ "$rc" -ne "$code" ]; then
        bad "exit $rc, expected $code"
    elif ! grep -Eq -- "$pat" "$TMP/err"; then
        bad "stderr does not match /$pat/"
    elif [ -s "$TMP/out" ]; then
        bad "unexpected output on stdout of a failing command"
    fi
}

# Further checks on the output of the last command.
also() {
    count=$((count + 1))
    grep -Eq -- "$1" "$TMP/out" || bad "stdout does not match /$1/"
}
also_not() {
    count=$((count + 1))
    if grep -Eq -- "$1" "$TMP/out"; then bad "stdout matches /$1/"; fi
}
also_err() {
    count=$((count + 1))
    grep -Eq -- "$1" "$TMP/err" || bad "stderr does not match /$1/"
}
lines_are() {
    count=$((count + 1))
    n=$(wc -l <"$TMP/out" | tr -d ' ')
    [ "$n" -eq "$1" ] || bad "$n lines of output, expected $1"
}

# ------------------------------------------------------------ --version, help

expect_ok '^armcpu [0-9]+\.[0-9]+\.[0-9]+$' --version
lines_are 1
expect_ok '^armcpu [0-9]+\.[0-9]+\.[0-9]+$' version

for h in help --help -h; do
    expect_ok '^Commands:' $h
    for c in 'regs \[REG\]' 'decode REG VALUE' 'encode REG' 'decode-id KVM_ID' \
        'safe REG.FIELD VALUE HOST_VALUE' 'help \[COMMAND\]'; do
        also "^  armcpu $c"
    done
    also 'Exit codes: 0 ok, 1 usage or input error'
done
for c in regs decode encode decode-id safe help; do
    expect_ok "^usage: armcpu $c( |\$)" help "$c"
    also '^[A-Z]' # a sentence of help text follows
done

# -------------------------------------------------------------------- regs

expect_ok '^ID_AA64ISAR0_EL1 +op0:3 op1:0 crn:0 crm:6 op2:0 +0x603000000013c030 +15 fields$' regs
also '^MIDR_EL1 +op0:3 op1:0 crn:0 crm:0 op2:0 +0x603000000013c000 +5 fields$'
also '^REVIDR_EL1 +op0:3 op1:0 crn:0 crm:0 op2:6 +0x603000000013c006 +1 fields$'
also '^AIDR_EL1 +op0:3 op1:1 crn:0 crm:0 op2:7 +0x603000000013c807 +1 fields$'
also '^CTR_EL0 +op0:3 op1:3 crn:0 crm:0 op2:1 +0x603000000013d801 +8 fields$'
also '^ID_AA64MMFR0_EL1 +op0:3 op1:0 crn:0 crm:7 op2:0 +0x603000000013c038 +14 fields$'
cp "$TMP/out" "$TMP/regs.txt"
nregs=$(wc -l <"$TMP/regs.txt" | tr -d ' ')
# one line per register, in ascending KVM id order, no duplicates
count=$((count + 1))
if ! awk '{ print $7 }' "$TMP/regs.txt" | sort -c -u 2>/dev/null; then
    desc=regs
    bad "register list not strictly ascending by KVM id"
fi

expect_ok '^ID_AA64ISAR0_EL1  op0:3 op1:0 crn:0 crm:6 op2:0  kvm_id 0x603000000013c030  default 0x0000000000000000$' \
    regs ID_AA64ISAR0_EL1
also '^FIELD +BITS +SIGN +POLICY +SAFE +DEFAULT +VALUES$'
also '^AES +\[7:4\] +unsig +LOWER +0x0 +0x0 +0=NI 1=AES\(FEAT_AES\) 2=PMULL\(FEAT_PMULL\)$'
also '^SHA2 +\[15:12\] +unsig +LOWER +0x0 +0x0 +0=NI 1=SHA256\(FEAT_SHA256\) 2=SHA512\(FEAT_SHA512\)$'
also '^TME +\[27:24\] +unsig +HOST_ONLY '
lines_are 17 # header, column titles, 15 fields
cp "$TMP/out" "$TMP/isar0.txt"
# case-insensitive, suffix optional: the same output
for name in id_aa64isar0_el1 ID_AA64ISAR0 Id_Aa64Isar0; do
    expect_ok '^ID_AA64ISAR0_EL1 ' regs "$name"
    count=$((count + 1))
    cmp -s "$TMP/out" "$TMP/isar0.txt" || bad "output differs from 'regs ID_AA64ISAR0_EL1'"
done

expect_ok '^TGRAN4 +\[31:28\] +signed +LOWER +0xf +0xf ' regs ID_AA64MMFR0_EL1
also '^TGRAN4_2 +\[43:40\] +unsig +EXACT +0x1 +0x1 +0=TGRAN4 1=NI'
also 'default 0x00000111ff000000$'
expect_ok '^CWG +\[27:24\] +unsig +HIGHER_OR_ZERO +0x0 ' regs CTR_EL0
also '^ERG +\[23:20\] +unsig +HIGHER_OR_ZERO '
also '^L1Ip +\[15:14\] +unsig +EXACT +0x2 +0x2 .*2=VIPT 3=PIPT'
also 'default 0x0000000080008000$' # RES1 bit 31 + L1Ip VIPT
expect_ok '^FP +\[19:16\] +signed +LOWER +0xf +0xf ' regs ID_AA64PFR0_EL1
also '^AdvSIMD +\[23:20\] +signed +LOWER +0xf +0xf '
expect_ok '^PartNum +\[15:4\] +unsig +HOST_ONLY ' regs MIDR_EL1
also '^Implementer +\[31:24\] '
also '^Architecture +\[19:16\] +unsig +HOST_ONLY +0xf +0xf'
also 'default 0x00000000000f0000$'
lines_are 7
expect_ok '^IMPLEMENTATION_DEFINED +\[63:0\] ' regs AIDR_EL1
expect_ok '^PMUVer +\[11:8\] +unsig +EXACT ' regs ID_AA64DFR0_EL1

expect_ok '"name": "ID_AA64ISAR0_EL1"' regs --json
also '"kvm_id": "0x603000000013c030"'
also '"name": "PMULL"'
cp "$TMP/out" "$TMP/regs.json"
count=$((count + 1))
n=$(grep -c '"kvm_id"' "$TMP/regs.json" || true)
[ "$n" -eq "$nregs" ] || { desc='regs --json'; bad "$n registers in JSON, $nregs in the list"; }
expect_ok '"name": "ID_AA64ISAR0_EL1"' regs ID_AA64ISAR0_EL1 --json
cp "$TMP/out" "$TMP/isar0.json"
expect_ok '"name": "ID_AA64ISAR0_EL1"' regs --json id_aa64isar0
count=$((count + 1))
cmp -s "$TMP/out" "$TMP/isar0.json" || bad "flag position changes the output"
count=$((count + 1))
n=$(grep -c '"lsb"' "$TMP/isar0.json" || true)
[ "$n" -eq 15 ] || { desc='regs ID_AA64ISAR0_EL1 --json'; bad "$n fields, expected 15"; }

# ------------------------------------------------------------------ decode

# Graviton3 guest view: AES 2 (PMULL), SHA2 2 (SHA512), ATOMIC 2 (LSE) ...
expect_ok '^ID_AA64ISAR0_EL1 = 0x1011111110212120$' decode ID_AA64ISAR0_EL1 0x1011111110212120
also '^  AES +\[7:4\] +0x2 +PMULL$'
also '^  SHA2 +\[15:12\] +0x2 +SHA512$'
also '^  SHA1 +\[11:8\] +0x1 +IMP$'
also '^  ATOMIC +\[23:20\] +0x2 +IMP$'
also '^  TME +\[27:24\] +0x0 +NI$'
also '^  TLB +\[59:56\] +0x0 +NI$'
also '^  RNDR +\[63:60\] +0x1 +IMP$'
also_not 'warning'
lines_are 16
expect_ok '^  AES +\[7:4\] +0x2 +PMULL$' decode id_aa64isar0 1157725344193650976 # decimal
expect_ok '^  warning: RES0 bits set: 0x0000000000000001$' decode ID_AA64ISAR0_EL1 0x1011111110212121
expect_ok '^  L1Ip +\[15:14\] +0x3 +PIPT$' decode CTR_EL0 0xb444c004
also '^  CWG +\[27:24\] +0x4 *$'
also '^  IminLine +\[3:0\] +0x4 *$'
also_not 'warning'
expect_ok '^  warning: RES1 bits clear: 0x0000000080000000$' decode CTR_EL0 0x3444c004
expect_ok '^  PartNum +\[15:4\] +0xd40 *$' decode MIDR_EL1 0x411fd401
also '^  Implementer +\[31:24\] +0x41 *$'
also '^  Architecture +\[19:16\] +0xf *$'
expect_ok '^  Revision +\[3:0\] +0x1 *$' decode MIDR 0b1000001000111111101010000000001
expect_ok '^  TGRAN4 +\[31:28\] +0xf +NI$' decode ID_AA64MMFR0_EL1 0xf0000000
# a value the sysreg file does not name
expect_ok '^  AES +\[7:4\] +0x3 +\(reserved\)$' decode ID_AA64ISAR0_EL1 0x30
expect_ok '"register": "ID_AA64ISAR0_EL1"' decode ID_AA64ISAR0_EL1 0x1011111110212120 --json
also '"value": "0x1011111110212120"'
also '"value_name": "PMULL"'
cp "$TMP/out" "$TMP/decode.json"
expect_ok '"signed_value": -1' decode --json ID_AA64MMFR0_EL1 0xf0000000
cp "$TMP/out" "$TMP/decode-mmfr0.json"

# ------------------------------------------------------------------ encode

expect_ok '^0x603000000013c030$' encode ID_AA64ISAR0_EL1
lines_are 1
expect_ok '^0x603000000013c030$' encode id_aa64isar0
expect_ok '^0x603000000013c030$' encode 'op0:3 op1:0 crn:0 crm:6 op2:0'
expect_ok '^0x604000000013c030$' encode ID_AA64ISAR0_EL1 --u128
expect_ok '^0x604000000013c030$' encode --u128 'op0:3 op1:0 crn:0 crm:6 op2:0'
expect_ok '^0x603000000013d801$' encode CTR_EL0
expect_ok '^0x603000000013c807$' encode AIDR_EL1
# any system register, not only ID registers (SCTLR_EL1)
expect_ok '^0x603000000013c080$' encode 'op0:3 op1:0 crn:1 crm:0 op2:0'

# --------------------------------------------------------------- decode-id

expect_ok '^op0:3 op1:0 crn:0 crm:6 op2:0 size:64 ID_AA64ISAR0_EL1$' decode-id 0x603000000013c030
lines_are 1
expect_ok '^op0:3 op1:0 crn:0 crm:6 op2:0 size:128 ID_AA64ISAR0_EL1$' decode-id 0x604000000013c030
expect_ok '^op0:3 op1:3 crn:0 crm:0 op2:1 size:64 CTR_EL0$' decode-id 6931039826524493825
expect_ok '^op0:3 op1:0 crn:1 crm:0 op2:0 size:64 \(not an ID register\)$' decode-id 0x603000000013c080

# -------------------------------------------------------------------- safe

expect_ok '^safe$' safe ID_AA64ISAR0_EL1.AES 1 2
lines_are 1
expect_ok '^safe$' safe ID_AA64ISAR0_EL1.AES 2 2
expect_ok '^unsafe: .*LOWER' safe ID_AA64ISAR0_EL1.AES 2 1
lines_are 1
expect_ok '^safe$' safe id_aa64isar0.aes 0 1
expect_ok '^safe$' safe ID_AA64PFR0_EL1.FP 0xf 0 # signed: -1 below 0
expect_ok '^unsafe: ' safe ID_AA64PFR0_EL1.FP 1 0xf
expect_ok '^safe$' safe TGRAN4 0xf 0 # bare field name, unique
expect_ok '^safe$' safe CTR_EL0.CWG 5 4
expect_ok '^safe$' safe CTR_EL0.CWG 0 4
expect_ok '^unsafe: .*HIGHER_OR_ZERO' safe CTR_EL0.CWG 3 4
expect_ok '^unsafe: ' safe CTR_EL0.CWG 1 0
expect_ok '^safe$' safe ID_AA64MMFR0_EL1.TGRAN4_2 1 2
expect_ok '^unsafe: .*EXACT' safe ID_AA64MMFR0_EL1.TGRAN4_2 0 2
expect_ok '^unsafe: .*HOST_ONLY' safe MIDR_EL1.PartNum 0xd4f 0xd40
expect_ok '^safe$' safe MIDR_EL1.PartNum 0xd40 0xd40
expect_ok '^safe$' safe ID_AA64DFR0_EL1.DebugVer 7 8 # KVM: LOWER, not EXACT
expect_ok '^safe$' safe ID_AA64MMFR1_EL1.SpecSEI 2 1  # HIGHER
expect_ok '^unsafe: ' safe ID_AA64MMFR1_EL1.SpecSEI 0 1
expect_ok '^safe$' safe AIDR_EL1.IMPLEMENTATION_DEFINED 0xffffffffffffffff 0xffffffffffffffff
# 'on' stays IMP for fields a newer sysreg file gave more levels than NI/IMP
# (B16B16 gained BFSCALE, CSSC gained CMPBR): specs written before still parse
expect_ok '^  SYSREG_ID_AA64ZFR0_EL1_B16B16=0x1$' expand neoverse-n1-v1,feat_B16B16=on
expect_ok '^  SYSREG_ID_AA64ISAR2_EL1_CSSC=0x1$' expand neoverse-n1-v1,feat_CSSC=on
expect_ok '^  SYSREG_ID_AA64ZFR0_EL1_B16B16=0x2$' expand neoverse-n1-v1,feat_B16B16=bfscale
expect_fail 1 "property feat_SHA2: value 'on' is not allowed" expand neoverse-n1-v1,feat_SHA2=on  # no IMP level

# ------------------------------------------------------------ error paths

expect_fail 1 'Commands:' # no command at all
expect_fail 1 "unknown command 'bogus'" bogus
expect_fail 1 "unknown command 'REGS'" REGS
expect_fail 1 "unknown command 'unknown'" help unknown
expect_fail 1 "unexpected argument 'extra'" help regs extra

# unknown options
expect_fail 1 "unknown option '--bogus'" regs --bogus
also_err '^usage: armcpu regs'
expect_fail 1 "unknown option '--u128'" regs --u128
expect_fail 1 "unknown option '--u128'" decode ID_AA64ISAR0_EL1 1 --u128
expect_fail 1 "unknown option '--json'" encode ID_AA64ISAR0_EL1 --json
expect_fail 1 "unknown option '--json'" decode-id --json 0x603000000013c030
expect_fail 1 "unknown option '--json'" safe --json ID_AA64ISAR0_EL1.AES 1 1

# missing and extra arguments, for each command
expect_fail 1 "unexpected argument 'ID_AA64PFR0_EL1'" regs ID_AA64ISAR0_EL1 ID_AA64PFR0_EL1
expect_fail 1 'expected REG and VALUE' decode
also_err '^usage: armcpu decode REG VALUE'
expect_fail 1 'expected REG and VALUE' decode ID_AA64ISAR0_EL1
expect_fail 1 "unexpected argument '3'" decode ID_AA64ISAR0_EL1 1 3
expect_fail 1 'expected one register name or encoding' encode
also_err '^usage: armcpu encode'
expect_fail 1 "unexpected argument 'CTR_EL0'" encode ID_AA64ISAR0_EL1 CTR_EL0
expect_fail 1 'expected one KVM register id' decode-id
expect_fail 1 "unexpected argument '0x603000000013c031'" decode-id 0x603000000013c030 0x603000000013c031
expect_fail 1 'expected REG.FIELD VALUE HOST_VALUE' safe
expect_fail 1 'expected REG.FIELD VALUE HOST_VALUE' safe ID_AA64ISAR0_EL1.AES 1
also_err '^usage: armcpu safe'
expect_fail 1 "unexpected argument '4'" safe ID_AA64ISAR0_EL1.AES 1 2 4

# unknown register, with suggestions
expect_fail 1 "unknown register 'ID_AA64ISR0'; did you mean: .*ID_AA64ISAR0_EL1" regs ID_AA64ISR0
expect_fail 1 "unknown register 'ID_AA64ISAR0_EL2'; did you mean: .*ID_AA64ISAR0_EL1" decode ID_AA64ISAR0_EL2 1
expect_fail 1 "unknown register 'CTR_EL'.*did you mean: .*CTR_EL0" encode CTR_EL
expect_fail 1 "unknown register 'AA64ISAR0'; did you mean: .*ID_AA64ISAR0_EL1" regs AA64ISAR0
expect_fail 1 "unknown register 'NOSUCHREG'" safe NOSUCHREG.AES 1 1
expect_fail 1 "unknown register ''" regs ''

# unknown and ambiguous fields
expect_fail 1 "no field 'AESX'; did you mean: .*AES" safe ID_AA64ISAR0_EL1.AESX 1 1
expect_fail 1 "unknown field 'TGRAN4_3'; did you mean: .*TGRAN4_2" safe TGRAN4_3 1 1
expect_fail 1 "'AES' is ambiguous: .*ID_AA64ISAR0_EL1\.AES" safe AES 1 1
also_err 'ID_ISAR5_EL1\.AES'
also_err 'ID_AA64ZFR0_EL1\.AES'
expect_fail 1 'empty field name' safe '' 1 1

# numbers
expect_fail 1 "register value: 'abc' is not a number" decode ID_AA64ISAR0_EL1 abc
expect_fail 1 "'-1' is not a number" decode ID_AA64ISAR0_EL1 -1
expect_fail 1 "'0x' is not a number" decode ID_AA64ISAR0_EL1 0x
expect_fail 1 "'0b102' is not a number" decode ID_AA64ISAR0_EL1 0b102
expect_fail 1 "'0x1ffffffffffffffff' does not fit 64 bits" decode ID_AA64ISAR0_EL1 0x1ffffffffffffffff
expect_fail 1 "'18446744073709551616' does not fit 64 bits" decode ID_AA64ISAR0_EL1 18446744073709551616
expect_fail 1 "^armcpu safe: VALUE: 'x' is not a number" safe ID_AA64ISAR0_EL1.AES x 1
expect_fail 1 "^armcpu safe: HOST_VALUE: 'two' is not a number" safe ID_AA64ISAR0_EL1.AES 1 two
expect_fail 1 "KVM register id: 'xyz' is not a number" decode-id xyz

# values too wide for the field
expect_fail 1 'VALUE 0x10 does not fit ID_AA64ISAR0_EL1\.AES \(4 bits' safe ID_AA64ISAR0_EL1.AES 16 1
expect_fail 1 'HOST_VALUE 0x10 does not fit ID_AA64ISAR0_EL1\.AES' safe ID_AA64ISAR0_EL1.AES 1 0x10
expect_fail 1 'VALUE 0x4 does not fit CTR_EL0\.L1Ip \(2 bits' safe CTR_EL0.L1Ip 4 2

# malformed encoding text
expect_fail 1 "encoding 'op0:3 op1:0 crn:0 crm:6': expected 'op2:'" encode 'op0:3 op1:0 crn:0 crm:6'
expect_fail 1 "encoding 'op0:3 op1:0 crm:6 op2:0': expected 'crn:'" encode 'op0:3 op1:0 crm:6 op2:0'
expect_fail 1 "op0:4 out of range" encode 'op0:4 op1:0 crn:0 crm:6 op2:0'
expect_fail 1 "crn:16 out of range" encode 'op0:3 op1:0 crn:16 crm:6 op2:0'
expect_fail 1 "op2:8 out of range" encode 'op0:3 op1:0 crn:0 crm:6 op2:8'
expect_fail 1 "unexpected 'junk' after op2" encode 'op0:3 op1:0 crn:0 crm:6 op2:0 junk'
expect_fail 1 "op1 needs a decimal number" encode 'op0:3 op1:x crn:0 crm:6 op2:0'

# bad KVM ids
expect_fail 1 '0x703000000013c030 is not an arm64 KVM register id' decode-id 0x703000000013c030
expect_fail 1 '0x602000000013c030 has size code 0x2' decode-id 0x602000000013c030
expect_fail 1 '0x6030000000100000 is not a system register id' decode-id 0x6030000000100000
expect_fail 1 '0x603000100013c030 has bits set outside' decode-id 0x603000100013c030
expect_fail 1 '0x0000000000000000 is not an arm64' decode-id 0

# ------------------------------------------------------- JSON (python3)

if command -v python3 >/dev/null 2>&1; then
    count=$((count + 1))
    desc='regs --json / decode --json (python3 validation)'
    if ! python3 - "$TMP/regs.json" "$TMP/isar0.json" "$TMP/decode.json" \
        "$TMP/decode-mmfr0.json" "$nregs" >"$TMP/py.out" 2>&1 <<'EOF'; then
import json, sys

regs_path, isar0_path, decode_path, mmfr0_path, nregs = sys.argv[1:6]

def check_reg(r):
    want = {"name", "op0", "op1", "crn", "crm", "op2", "kvm_id", "fields"}
    missing = want - set(r)
    assert not missing, (r.get("name"), "missing keys", missing)
    assert isinstance(r["name"], str) and r["name"]
    for k in ("op0", "op1", "crn", "crm", "op2"):
        assert isinstance(r[k], int) and not isinstance(r[k], bool), (r["name"], k)
    # KVM uapi: 0x6030 0000 0013 <op0:2><op1:3><crn:4><crm:4><op2:3>
    kid = (0x6030000000130000 | r["op0"] << 14 | r["op1"] << 11 | r["crn"] << 7
           | r["crm"] << 3 | r["op2"])
    assert r["kvm_id"] == "0x%016x" % kid, (r["name"], r["kvm_id"])
    assert (r["op0"], r["crn"]) == (3, 0) and r["op1"] in (0, 1, 3), r["name"]
    used = 0
    for f in r["fields"]:
        fk = {"name", "lsb", "width", "signed", "policy", "safe_value",
              "default", "values"}
        missing = fk - set(f)
        assert not missing, (r["name"], f.get("name"), "missing", missing)
        assert isinstance(f["signed"], bool)
        assert f["policy"] in ("LOWER", "HIGHER", "HIGHER_OR_ZERO", "EXACT",
                               "HOST_ONLY"), f["policy"]
        m = ((1 << f["width"]) - 1) << f["lsb"]
        assert f["lsb"] + f["width"] <= 64 and not (used & m), (r["name"], f["name"])
        used |= m
        assert 0 <= f["safe_value"] < 1 << f["width"]
        assert 0 <= f["default"] < 1 << f["width"]
        for v in f["values"]:
            assert {"value", "name"} <= set(v), (r["name"], f["name"], v)
            assert 0 <= v["value"] < 1 << f["width"], (r["name"], f["name"], v)
            assert isinstance(v["name"], str) and v["name"]
    return r

doc = json.load(open(regs_path))
assert (doc["format"], doc["version"]) == ("armcpu-regs", 1), doc.get("format")
regs = doc["registers"]
assert isinstance(regs, list) and len(regs) == int(nregs), (len(regs), nregs)
byname = {check_reg(r)["name"]: r for r in regs}
assert len(byname) == len(regs), "duplicate register names"
ids = [int(r["kvm_id"], 16) for r in regs]
assert ids == sorted(ids) and len(set(ids)) == len(ids), "not sorted by id"

isar0 = json.load(open(isar0_path))
assert (isar0.pop("format"), isar0.pop("version")) == ("armcpu-register", 1)
isar0 = check_reg(isar0)
assert isar0 == byname["ID_AA64ISAR0_EL1"], "regs REG --json differs from regs --json"
assert len(isar0["fields"]) == 15, len(isar0["fields"])
aes = [f for f in isar0["fields"] if f["name"] == "AES"][0]
assert (aes["lsb"], aes["width"], aes["signed"], aes["policy"]) == (4, 4, False, "LOWER"), aes
assert [(v["value"], v["name"]) for v in aes["values"]] == \
    [(0, "NI"), (1, "AES"), (2, "PMULL")], aes["values"]
assert aes["values"][2].get("feat") == "FEAT_PMULL", aes["values"][2]
t4 = [f for f in byname["ID_AA64MMFR0_EL1"]["fields"] if f["name"] == "TGRAN4"][0]
assert (t4["signed"], t4["policy"], t4["safe_value"], t4["default"]) == \
    (True, "LOWER", 15, 15), t4
ctr = byname["CTR_EL0"]
assert ctr["res1"] == "0x0000000080000000", ctr.get("res1")

d = json.load(open(decode_path))
assert {"register", "value", "fields"} <= set(d), set(d)
assert d["register"] == "ID_AA64ISAR0_EL1" and d["value"] == "0x1011111110212120"
got = {f["name"]: (f["value"], f["value_name"]) for f in d["fields"]}
assert [f["name"] for f in d["fields"]] == [f["name"] for f in isar0["fields"]]
assert got["AES"] == (2, "PMULL") and got["SHA2"] == (2, "SHA512"), got
assert got["TLB"] == (0, "NI") and got["RNDR"] == (1, "IMP"), got
assert d["res0_bits_set"] == "0x0000000000000000"
assert d["res1_bits_clear"] == "0x0000000000000000"

m = json.load(open(mmfr0_path))
f = {x["name"]: x for x in m["fields"]}
assert f["TGRAN4"]["value"] == 15 and f["TGRAN4"]["signed_value"] == -1, f["TGRAN4"]
assert f["TGRAN4"]["value_name"] == "NI"
assert "signed_value" not in f["PARANGE"], f["PARANGE"]
assert f["PARANGE"]["value"] == 0 and f["PARANGE"]["value_name"] == "32"
EOF
        failures=$((failures + 1))
        printf 'FAIL: %s\n' "$desc"
        sed 's/^/    /' "$TMP/py.out"
    fi
else
    echo "SKIP: python3 not found; JSON structure not validated"
fi

echo "$count checks, $failures failed"
[ "$failures" -eq 0 ] || exit 1
exit 0
