#!/bin/sh
# End-to-end tests of models, props and expand.  usage: test_cli_models.sh ARMCPU SRCDIR
set -u
A=$1
SRC=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/lib.sh"

# models: the seeds' hierarchy is there, with parents and realizability.
check "models" "$A" models
for line in "kvm-base-v1 .* - .* no" "arm-v8_4-a-v1 .*kvm-base-v1" \
            "arm-v9_0-a-v1 .*arm-v8_4-a-v1" "neoverse-v1-v1 .*arm-v8_4-a-v1 .*yes" \
            "graviton3-v1 .*neoverse-v1-v1 .*yes" "neoverse-v2-v1 .*arm-v9_0-a-v1" \
            "grace-v1 .*neoverse-v2-v1 .*yes .*any .*-$" "grace-v2 .*neoverse-v2-v2 .*yes .*6.15- .*grace$"; do
    has "$line"
done
# the unversioned names per kernel: 6.12-6.14 keep NV (v1/v2), 6.15+ hide it (v2/v3)
check "models --kernel 6.12" "$A" models --kernel 6.12
has "grace-v1 .*any .*grace$"; has "grace-v2 .*6.15- .*-$"
has "neoverse-v1-v2 .*6.12-6.14 .*neoverse-v1$"; has "neoverse-v1-v3 .*6.15- .*-$"
check "models --kernel 7.3" "$A" models --kernel 7.3.4+deb13-arm64
has "neoverse-v1-v3 .*6.15- .*neoverse-v1$"; has "graviton3-v2 .*graviton3$"; has "graviton3-v1 .*-$"
expect_fail 1 "--kernel 'new' is not a kernel release" "$A" models --kernel new
check "models --json" "$A" models --json
has '"name": "grace-v1"'; has '"typename": "grace-v1-arm-cpu"'; has '"alias-of": "grace-v2"'
has '"kernels": "6.15-"'; has '"namesakes": \['
has '"static": true'; has '"deprecated": false'; has '"parent": "neoverse-v2-v1"'

# --model-file: a user model derived from a shipped one
check "user model" "$A" models --model-file "$SRC/tests/data/user.model"
has "my-n1-v1 .*neoverse-n1-v1 .*yes"
check "expand user model" "$A" expand my-n1 --model-file "$SRC/tests/data/user.model"
has "feat_AES=off"; has "feat_SHA1=off"
expect_fail 2 "cannot open" "$A" models --model-file "$tmp/none.model"
printf 'model x\nversion 1\nparent none\nsource s\nfeat_AES = 99\nend\n' > "$tmp/bad.model"
expect_fail 1 "bad.model:5: property feat_AES" "$A" models --model-file "$tmp/bad.model"
printf 'model x\nversion 1\nparent nope-v1\nend\n' > "$tmp/orphan.model"
expect_fail 1 "parent 'nope-v1'" "$A" models --model-file "$tmp/orphan.model"

# props
check "props" "$A" props
has "^feat_AES (feat, string): off, aes, pmull"
has "^hw_prop_TGRAN4_2 (hw, string): tgran4, off, imp, 52_bit"
has "^feat_CSV2 (fractional, fraction)"; has "^sve (composite, boolean): off, on"
has "^SYSREG_ID_AA64ISAR0_EL1_AES (sysreg, number)"
check "props --json" "$A" props --json
has '"name": "feat_AES"'; has '"ID_AA64ISAR0_EL1.AES"'

# expand
check "expand grace" "$A" expand grace-v1,feat_AES=aes,sve=off
has "^model grace-v1"; has "feat_AES=aes"; has "sve=off"; has "ID_AA64ZFR0_EL1    0x0000000000000000"
check "expand json full" "$A" expand grace-v1 --json
has '"model": {'; has '"props": {'; has '"registers": {'
check "expand json static" "$A" expand grace,feat_AES=aes --json --type static
has '"name": "grace-v2"'; has '"feat_AES": "aes"'
expect_fail 1 "abstract" "$A" expand arm-v9_0-a-v1
check "expand abstract allowed" "$A" expand arm-v9_0-a-v1 --abstract
expect_fail 1 "unknown model 'gracee'" "$A" expand gracee
expect_fail 1 "did you mean: grace-v1" "$A" expand gracee
expect_fail 1 "unknown property 'feat_AESX'" "$A" expand grace-v1,feat_AESX=aes
expect_fail 1 "allowed: off, aes, pmull" "$A" expand grace-v1,feat_AES=sha
expect_fail 1 "feat_AES=aes and SYSREG_ID_AA64ISAR0_EL1_AES=0x2" "$A" expand grace-v1,feat_AES=aes,SYSREG_ID_AA64ISAR0_EL1_AES=0x2
expect_fail 1 "not a valid combination" "$A" expand grace-v1,feat_CSV2=3.1
expect_fail 1 "empty property" "$A" expand grace-v1,,feat_AES=aes
expect_fail 1 "--type 'dynamic'" "$A" expand grace-v1 --type dynamic
"$A" expand neoverse-v1-v1,feat_AA64ZFR0_BF16=off,sve=on >/dev/null 2>"$tmp/err" || true
grep -q "warning: sve=on overrides feat_AA64ZFR0_BF16=off" "$tmp/err" || {
    echo "FAIL: composite override warning missing"; cat "$tmp/err"; fails=$((fails + 1)); }

# features: Arm's FEAT_ names follow the realized fields.
check "features" "$A" features neoverse-v1-v1
has "^FEAT_SVE .*ID_AA64PFR0_EL1.SVE >= 1"; has "^FEAT_PMULL .*ID_AA64ISAR0_EL1.AES >= 2"
check "features sve=off" "$A" features neoverse-v1-v1,sve=off,feat_AES=off
if grep -q "FEAT_SVE \|FEAT_AES\|FEAT_PMULL" "$tmp/out"; then echo "FAIL: features after sve=off"; fails=$((fails + 1)); fi
check "features json" "$A" features grace-v1 --json
has '"feature": "FEAT_AES"'
expect_fail 1 "unknown model" "$A" features nosuch

# lint: every shipped model is consistent with Arm's data.
for m in $("$A" models | awk 'NR > 1 { print $1 }'); do
    "$A" lint "$m" --abstract >"$tmp/out" 2>"$tmp/err" || {
        echo "FAIL: lint $m"; cat "$tmp/out"; fails=$((fails + 1)); }
    grep -q "^$m: 0 errors, 0 warnings" "$tmp/out" || { echo "FAIL: lint $m not clean"; fails=$((fails + 1)); }
done
check "lint deviation" "$A" lint neoverse-v1-v1
has "^deviation: FEAT_TLBIRANGE is mandatory (v8Ap4)"
check "lint SVE2 without SVE" "$A" lint neoverse-n2-v1,feat_SVE=off
has "^warning: FEAT_SVE2 (ID_AA64ZFR0_EL1.SVEver >= 1) requires ((FEAT_SME || FEAT_SVE)"
check "lint verbose" "$A" lint grace-v1 --verbose
has "^undecidable: FEAT_PAuth is mandatory"
printf 'model lowv84\nversion 1\nparent arm-v8_4-a-v1\nrealizable yes\nsource test\nfeat_DIT = off\nend\n' > "$tmp/low.model"
"$A" lint lowv84 --model-file "$tmp/low.model" >"$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "^error: FEAT_DIT is mandatory (v8Ap4) but not implemented" "$tmp/out" || {
    echo "FAIL: lint of a model below its architecture (exit $rc)"; cat "$tmp/out"; fails=$((fails + 1)); }
printf 'model devx\nversion 1\nparent none\ndeviation TLBIRANGE\nend\n' > "$tmp/dev.model"
expect_fail 1 "deviation needs 'FEAT_NAME reason" "$A" models --model-file "$tmp/dev.model"

# Round trip: the --spec expansion realizes the same registers.
for m in neoverse-n1-v1 graviton3-v1 grace-v1,sve=off,feat_AES=aes; do
    spec=$("$A" expand "$m" --spec)
    "$A" expand "$m" --registers >"$tmp/a"
    "$A" expand "$spec" --registers >"$tmp/b"
    cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: round trip of $m"; fails=$((fails + 1)); }
done

# Order independence on the command line.
"$A" expand grace-v1,sve=off,feat_AES=aes,pmu=off --registers >"$tmp/a"
"$A" expand grace-v1,pmu=off,feat_AES=aes,sve=off --registers >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: order dependence"; fails=$((fails + 1)); }

# models --namesakes: every row's answer is check's on the same facts (the
# namesake's snapshot for that kernel, else its measured 6.1 one re-derived)
for k in 6.12 6.18 7.3; do
    check "models --namesakes --kernel $k" "$A" models --namesakes --kernel $k --json
    jq -r '.rows[] | select(.namesake) | "\(.version) \(.namesake) \(.answer)"' "$tmp/out" > "$tmp/rows"
    [ "$(wc -l < "$tmp/rows")" -ge 8 ] || { echo "FAIL: models --namesakes --kernel $k: $(wc -l < "$tmp/rows") rows"; fails=$((fails + 1)); }
    while read -r ver host answer; do
        # the snapshot for k, else the newest older measured one (not DERIVED)
        snap=""
        for c in $host-linux-$k $host-linux-6.12 $host-linux-6.1; do
            src=$("$A" hosts show "$c" 2>/dev/null | jq -r .source) || continue
            [ -n "$src" ] || continue
            case "$c:$src" in *-linux-$k:*) snap=$c; break ;; *:DERIVED*) ;; *) snap=$c; break ;; esac
        done
        got=$("$A" check "$ver" --host "$snap" --kernel $k 2>/dev/null | tail -n1)
        case "$answer" in
            usable) want="usable: 0 blockers" ;;
            *) want=$answer ;;
        esac
        [ "$got" = "$want" ] || { echo "FAIL: models --namesakes says '$answer' for $ver on $host under $k, check on $snap says '$got'"; fails=$((fails + 1)); }
        case "$answer" in usable*) ;; *) echo "FAIL: $ver is not usable on its namesake $host under $k: $answer"; fails=$((fails + 1)) ;; esac
    done < "$tmp/rows"
done
expect_fail 1 "--namesakes checks the models on their own namesakes: no --host" "$A" models --namesakes --host graviton3
expect_fail 1 "--kernel '5.4': no kernel view table" "$A" models --namesakes --kernel 5.4

[ $fails = 0 ] && echo "cli-models: all passed"
exit $((fails > 0))
