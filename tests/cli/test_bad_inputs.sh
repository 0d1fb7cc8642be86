#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bad-input catalogue: every command given malformed, out-of-range,
# contradictory or hostile input.  Each case asserts the exact exit code
# (1 input error, 2 environment error, 5 an artifact refused for a host the
# spec is blocked on), a stderr pattern naming the input and
# what is allowed, and an empty stdout (nothing half printed).
# usage: test_bad_inputs.sh ARMCPU SRCDIR
set -u
A=$1
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
known=0
table="$tmp/table"
: >"$table"

# run KIND ID CODE PATTERN COMMAND...   KIND: case | known (a known library
# bug: reported, not failed; see the comment at the case).
run() {
    kind=$1 id=$2 code=$3 pat=$4
    shift 4
    n=$((n + 1))
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    st=ok
    if [ "$rc" -ne "$code" ]; then
        st="exit $rc"
    elif ! grep -Eq -- "$pat" "$tmp/err"; then
        st="stderr"
    elif [ -s "$tmp/out" ]; then
        st="stdout not empty"
    fi
    if [ "$st" != ok ]; then
        if [ "$kind" = known ]; then
            known=$((known + 1))
            st="KNOWN BUG ($st)"
        else
            fails=$((fails + 1))
            echo "FAIL: $id: $st (want exit $code, stderr /$pat/, empty stdout)"
            echo "      command: $(printf '%s ' "$@" | cut -c1-200)"
            echo "      exit $rc, stderr: $(head -c 400 "$tmp/err")"
            [ -s "$tmp/out" ] && echo "      stdout: $(head -c 200 "$tmp/out")"
            st="FAIL ($st)"
        fi
    elif [ "$kind" = known ]; then
        st="ok (known bug fixed: make it a case)"
    fi
    printf '%-3s %-30s %s/%-3s %s\n' "$n" "$id" "$code" "$rc" "$st" >>"$table"
}
case_() { run case "$@"; }
known() { run known "$@"; }

mf() { # name, printf format...: writes $tmp/NAME.model
    f=$1
    shift
    # shellcheck disable=SC2059
    printf "$@" >"$tmp/$f.model"
}

# ------------------------------------------------------------ model specs
case_ unknown-model 1 "unknown model 'gracee'.*did you mean: grace-v1" "$A" expand gracee
case_ unknown-property 1 "unknown property 'feat_AESX'.*did you mean: .*feat_AES" \
    "$A" expand grace-v1,feat_AESX=aes
case_ property-twice 1 "feat_AES=aes and feat_AES=pmull both set ID_AA64ISAR0_EL1.AES.*keep one" \
    "$A" expand grace-v1,feat_AES=aes,feat_AES=pmull
case_ two-props-one-field 1 "feat_AES=aes and SYSREG_ID_AA64ISAR0_EL1_AES=0x2 both set" \
    "$A" expand grace-v1,feat_AES=aes,SYSREG_ID_AA64ISAR0_EL1_AES=0x2
case_ value-not-number 1 "SYSREG_ID_AA64ISAR0_EL1_AES: value 'zz' is not allowed; allowed: a number 0..0xf" \
    "$A" expand grace-v1,SYSREG_ID_AA64ISAR0_EL1_AES=zz
case_ value-too-wide 1 "SYSREG_ID_AA64ISAR0_EL1_AES: value '0x10' is not allowed; allowed: a number 0..0xf" \
    "$A" expand grace-v1,SYSREG_ID_AA64ISAR0_EL1_AES=0x10
case_ value-over-64-bits 1 "revidr: value '0x10000000000000000' .*(not allowed|does not fit)" \
    "$A" expand grace-v1,revidr=0x10000000000000000
case_ value-name-unknown 1 "feat_AES: value 'sha' is not allowed; allowed: off, aes, pmull" \
    "$A" expand grace-v1,feat_AES=sha
case_ fraction-invalid 1 "feat_CSV2: '2.1' is not a valid combination.*CSV2 == 1" \
    "$A" expand grace-v1,feat_CSV2=2.1
case_ fraction-malformed 1 "feat_CSV2: value '1\.' is not allowed; allowed:" \
    "$A" expand grace-v1,feat_CSV2=1.
case_ composite-conflict 1 "sve is given twice: sve=off and sve=on; keep one" \
    "$A" expand grace-v1,sve=on,sve=off
case_ composite-bad-value 1 "sve: value 'maybe' is not allowed; allowed: on, off" \
    "$A" expand grace-v1,sve=maybe
case_ composite-on-nothing 1 "sve=on: model arm-v8_4-a-v1 has no sve to restore.*only off is allowed" \
    "$A" expand arm-v8_4-a-v1,sve=on --abstract
case_ abstract-model 1 "model arm-v9_0-a-v1 is abstract" "$A" expand arm-v9_0-a-v1
case_ empty-spec 1 "empty model spec \(expected MODEL\[,prop=value...\]" "$A" expand ''
case_ empty-property 1 "empty property at offset 9" "$A" expand grace-v1,,feat_AES=aes
case_ empty-model-name 1 "empty model name at offset 0" "$A" expand ,feat_AES=aes
case_ not-prop-value 1 "'feat_AES' at offset 9 is not prop=value" "$A" expand grace-v1,feat_AES
case_ empty-value 1 "'feat_AES=' at offset 9 is not prop=value" "$A" expand grace-v1,feat_AES=
case_ spaces-in-spec 1 "byte 0x20 at offset 9 is not allowed \(printable ASCII without spaces\)" \
    "$A" expand 'grace-v1, feat_AES=aes'
case_ non-utf8-spec 1 "byte 0xff at offset 18 is not allowed" \
    "$A" expand "$(printf 'grace-v1,feat_AES=\377')"
case_ non-ascii-utf8-spec 1 "byte 0xc3 at offset 18 is not allowed" \
    "$A" expand "$(printf 'grace-v1,feat_AES=\303\251')"
case_ control-char-spec 1 "byte 0x09 at offset 8 is not allowed" \
    "$A" expand "$(printf 'grace-v1\tfeat_AES=aes')"
# The library refuses specs over 256 KiB, but Linux refuses a single argv
# string over 128 KiB (MAX_ARG_STRLEN) before armcpu runs: the biggest spec a
# command line can carry is checked here; the 256 KiB limit itself is
# replayed by check-fuzz (tests/fuzz/regressions/realize/huge-spec-300k).
big=$(awk 'BEGIN { s = "grace-v1"; for (i = 0; i < 9000; i++) s = s ",feat_AES=aes"; print s ",feat_AES=pmull" }')
case_ huge-spec-120k 1 "feat_AES=aes and feat_AES=pmull both set" "$A" expand "$big"
case_ features-unknown-model 1 "unknown model 'nosuch'" "$A" features nosuch
case_ features-bad-value 1 "feat_AES: value 'sha' is not allowed; allowed: off, aes, pmull" \
    "$A" features grace-v1,feat_AES=sha
case_ expand-bad-type 1 "--type 'dynamic' is not static or full" "$A" expand grace-v1 --type dynamic
case_ expand-type-missing 1 "--type needs (static or full|a value)" "$A" expand grace-v1 --type
case_ expand-two-specs 1 "unexpected argument 'grace-v1'" "$A" expand neoverse-n1-v1 grace-v1
case_ expand-unknown-option 1 "unknown option '--frobnicate'" "$A" expand grace-v1 --frobnicate
case_ expand-no-spec 1 "expected one model spec" "$A" expand
case_ features-unknown-option 1 "unknown option '--spec'" "$A" features grace-v1 --spec

# ------------------------------------------------------------ registers
case_ regs-unknown 1 "unknown register 'ID_AA64ISAR9_EL1'; did you mean: ID_AA64ISAR" "$A" regs ID_AA64ISAR9_EL1
case_ regs-extra 1 "unexpected argument 'CTR_EL0'" "$A" regs ID_AA64ISAR0_EL1 CTR_EL0
case_ decode-unknown-reg 1 "unknown register 'NOSUCH'" "$A" decode NOSUCH 0
case_ decode-not-number 1 "register value: 'abc' is not a number \(expected decimal, 0x hex or 0b binary" \
    "$A" decode CTR_EL0 abc
case_ decode-negative 1 "register value: '-1' is not a number" "$A" decode CTR_EL0 -1
case_ decode-too-wide 1 "register value: '0x1ffffffffffffffff' does not fit 64 bits" \
    "$A" decode CTR_EL0 0x1ffffffffffffffff
case_ decode-bad-binary 1 "register value: '0b102' is not a number" "$A" decode CTR_EL0 0b102
case_ decode-missing-value 1 "expected REG and VALUE" "$A" decode CTR_EL0
case_ encode-op-range 1 "op0:4 out of range \(0\.\.3\)" "$A" encode 'op0:4 op1:0 crn:0 crm:0 op2:0'
case_ encode-missing-op2 1 "expected 'op2:' at offset 23 \(format: 'op0:3 op1:0 crn:0 crm:7 op2:4'\)" \
    "$A" encode 'op0:3 op1:0 crn:0 crm:0'
case_ encode-trailing 1 "unexpected 'x' after op2" "$A" encode 'op0:3 op1:0 crn:0 crm:0 op2:0 x'
case_ encode-not-decimal 1 "crn needs a decimal number at offset" "$A" encode 'op0:3 op1:0 crn:x crm:0 op2:0'
case_ encode-unknown-reg 1 "unknown register 'NOSUCH'" "$A" encode NOSUCH
case_ decode-id-not-arm64 1 "0x0000000000000123 is not an arm64 KVM register id \(top byte must be 0x60\)" \
    "$A" decode-id 0x123
case_ decode-id-coproc 1 "not a system register id \(coprocessor 0x14, expected 0x13\)" \
    "$A" decode-id 0x603000000014c030
case_ decode-id-size 1 "has size code 0x5; system registers are U64 \(0x3\) or U128 \(0x4\)" \
    "$A" decode-id 0x605000000013c030
case_ decode-id-stray-bits 1 "has bits set outside the system-register id layout" \
    "$A" decode-id 0x603000010013c030
case_ decode-id-not-number 1 "KVM register id: 'zz' is not a number" "$A" decode-id zz
case_ safe-value-too-wide 1 "VALUE 0x10 does not fit ID_AA64ISAR0_EL1.AES \(4 bits: 0\.\.0xf\)" \
    "$A" safe ID_AA64ISAR0_EL1.AES 16 1
case_ safe-host-too-wide 1 "HOST_VALUE 0x10 does not fit ID_AA64ISAR0_EL1.AES" \
    "$A" safe ID_AA64ISAR0_EL1.AES 1 16
case_ safe-unknown-field 1 "register ID_AA64ISAR0_EL1 has no field 'NOPE'" "$A" safe ID_AA64ISAR0_EL1.NOPE 1 1
case_ safe-ambiguous-field 1 "field name 'AES' is ambiguous: it names .*ID_AA64ISAR0_EL1.AES.*write REG.FIELD" \
    "$A" safe AES 1 1
case_ safe-not-number 1 "VALUE: 'x' is not a number" "$A" safe ID_AA64ISAR0_EL1.AES x 1
case_ safe-missing-arg 1 "expected REG.FIELD VALUE HOST_VALUE" "$A" safe ID_AA64ISAR0_EL1.AES 1

# ------------------------------------------------------------ other commands
case_ models-extra 1 "unexpected argument 'grace'" "$A" models grace
case_ props-unknown-option 1 "unknown option '--bogus'" "$A" props --bogus
case_ doc-extra 1 "unexpected argument .extra." "$A" doc extra
mkdir -p "$tmp/docdir"
case_ doc-missing-dir 2 "$tmp/missing/props.md: cannot write: directory '$tmp/missing' does not exist" \
    "$A" doc -o "$tmp/missing/props.md"
case_ doc-into-directory 2 "docdir: is a directory \(give a file name\)" "$A" doc -o "$tmp/docdir"
if [ -e "$tmp/missing" ] || [ -e "$tmp/docdir.tmp" ] || [ -n "$(ls -A "$tmp/docdir")" ]; then
    echo "FAIL: doc -o left a file behind"; fails=$((fails + 1))
fi
case_ help-unknown 1 "armcpu help: unknown command 'nosuch'" "$A" help nosuch
case_ help-extra 1 "unexpected argument 'extra'" "$A" help regs extra
case_ unknown-command 1 "armcpu: unknown command 'nosuchcmd'" "$A" nosuchcmd
case_ no-command 1 "Commands:" "$A"
case_ version-extra 1 "armcpu --version: unexpected argument 'x'" "$A" --version x
case_ single-dash-option 1 "unknown option '-j'" "$A" regs -j

# ------------------------------------------------------------ --model-file
case_ model-file-no-name 1 "armcpu: --model-file needs a file name" "$A" models --model-file
set --
for _ in $(seq 1 17); do set -- "$@" --model-file "$SRC/tests/data/user.model"; done
case_ model-file-too-many 1 "at most 16 --model-file options" "$A" models "$@"
case_ model-file-missing 2 "$tmp/none.model: cannot open: No such file or directory" \
    "$A" models --model-file "$tmp/none.model"
# A directory opens but cannot be read: an environment error (root reads
# chmod 000 files, so this is the portable unreadable file).
case_ model-file-unreadable 2 "$tmp/docdir: is a directory, not a file" "$A" models --model-file "$tmp/docdir"
mf cycle 'model a\nversion 1\nparent b-v1\nend\nmodel b\nversion 1\nparent a-v1\nend\n'
case_ model-parent-cycle 1 "cycle.model: model a-v1 is in a parent cycle" "$A" models --model-file "$tmp/cycle.model"
mf self 'model a\nversion 1\nparent a-v1\nend\n'
case_ model-parent-self 1 "self.model: model a-v1 is in a parent cycle" "$A" models --model-file "$tmp/self.model"
mf orphan 'model x\nversion 1\nparent nope-v1\nend\n'
case_ model-missing-parent 1 "orphan.model: model x-v1 has parent 'nope-v1', which is not defined" \
    "$A" models --model-file "$tmp/orphan.model"
mf unversioned-parent 'model x\nversion 1\nparent grace\nend\n'
case_ model-parent-alias 1 "has parent 'grace', which is not defined \(parents are full versioned names" \
    "$A" models --model-file "$tmp/unversioned-parent.model"
mf nosource 'model x\nversion 1\nparent grace-v1\nfeat_AES = off\nend\n'
case_ model-missing-source 1 "nosource.model:4: feat_AES has no provenance: put a 'source TEXT' line before it" \
    "$A" models --model-file "$tmp/nosource.model"
mf kr-bad 'model x\nversion 1\nparent grace-v1\nkernels 6.15\nend\n'
case_ model-kernels-no-range 1 "kr-bad.model:4: kernels '6.15' is not a range MAJOR.MINOR-\[MAJOR.MINOR\]" \
    "$A" models --model-file "$tmp/kr-bad.model"
mf kr-rev 'model x\nversion 1\nparent grace-v1\nkernels 6.15-6.12\nend\n'
case_ model-kernels-reversed 1 "kr-rev.model:4: kernels '6.15-6.12' is not a range .*the first end not after the second" \
    "$A" models --model-file "$tmp/kr-rev.model"
mf kr-junk 'model x\nversion 1\nparent grace-v1\nkernels 6.15x-\nend\n'
case_ model-kernels-junk 1 "kr-junk.model:4: kernels '6.15x-' is not a range" "$A" models --model-file "$tmp/kr-junk.model"
mf kr-two 'model x\nversion 1\nparent grace-v1\nkernels 6.15-\nkernels 6.12-\nend\n'
case_ model-kernels-twice 1 "kr-two.model:5: model x has a second 'kernels' line" "$A" models --model-file "$tmp/kr-two.model"
mf ns-bad 'model x\nversion 1\nparent grace-v1\nnamesakes Graviton3\nend\n'
case_ model-namesakes-bad 1 "ns-bad.model:4: namesakes needs host names \(lower-case letters" \
    "$A" models --model-file "$tmp/ns-bad.model"
mf dup 'model grace\nversion 1\nparent none\nend\n'
case_ model-duplicate-shipped 1 "dup.model:4: model grace-v1 is already defined" "$A" models --model-file "$tmp/dup.model"
mf dup2 'model x\nversion 1\nparent none\nend\nmodel x\nversion 1\nparent none\nend\n'
case_ model-duplicate-in-file 1 "dup2.model:8: model x-v1 is already defined" "$A" models --model-file "$tmp/dup2.model"
case_ model-file-twice 1 "user.model:10: model my-n1-v1 is already defined" \
    "$A" models --model-file "$SRC/tests/data/user.model" --model-file "$SRC/tests/data/user.model"
mf res0 'model x\nversion 1\nparent grace-v1\nsource s\nID_AA64ISAR0_EL1 = 0x1\nend\n'
case_ model-res0-bits 1 "res0.model:5: ID_AA64ISAR0_EL1 = 0x1: RES0 bits 0x[0-9a-f]+ must be clear and RES1 bits 0x[0-9a-f]+ set" \
    "$A" models --model-file "$tmp/res0.model"
mf res1 'model x\nversion 1\nparent grace-v1\nsource s\nCTR_EL0 = 0x0\nend\n'
case_ model-res1-clear 1 "res1.model:5: CTR_EL0 = 0x0: RES0 bits .* and RES1 bits 0x80000000 set" \
    "$A" models --model-file "$tmp/res1.model"
mf wide 'model x\nversion 1\nparent grace-v1\nsource s\nID_AA64ISAR0_EL1.AES = 16\nend\n'
case_ model-field-too-wide 1 "wide.model:5: .*(0x10|16).*(does not fit|AES)" "$A" models --model-file "$tmp/wide.model"
mf nonascii 'model x\nversion 1\nparent grace-v1\ndescription caf\303\251\nend\n'
case_ model-non-ascii 1 "nonascii.model:4: byte 0xc3 at column 16: model files are printable ASCII" \
    "$A" models --model-file "$tmp/nonascii.model"
mf nul 'model x\nversion 1\n\000parent grace-v1\nend\n'
case_ model-nul-byte 1 "nul.model: contains a NUL byte \(a model file is text\)" "$A" models --model-file "$tmp/nul.model"
: >"$tmp/empty.model"
case_ model-empty-file 1 "empty.model: empty model file" "$A" models --model-file "$tmp/empty.model"
mf comments '# nothing but a comment\n\n'
case_ model-no-model 1 "comments.model: no model in the file" "$A" models --model-file "$tmp/comments.model"
{ cat "$SRC/tests/data/user.model"; yes '# padding padding padding padding padding padding' | head -c 4200000; } >"$tmp/huge.model"
case_ model-huge-file 1 "huge.model: .* bytes is larger than the 4194304-byte limit for a model file" \
    "$A" models --model-file "$tmp/huge.model"
mf noend 'model x\nversion 1\nparent grace-v1\n'
case_ model-missing-end 1 "noend.model: model x is not closed with 'end'" "$A" models --model-file "$tmp/noend.model"
mf nested 'model x\nversion 1\nmodel y\nend\n'
case_ model-nested 1 "nested.model:3: 'model' inside model x \(missing 'end'\)" "$A" models --model-file "$tmp/nested.model"
mf outside 'version 1\n'
case_ model-outside-block 1 "outside.model:1: 'version' outside a model block" "$A" models --model-file "$tmp/outside.model"
mf unknownline 'model x\nversion 1\nfrobnicate yes\nend\n'
case_ model-unknown-line 1 "unknownline.model:3: unknown line 'frobnicate yes' \(expected model, version" \
    "$A" models --model-file "$tmp/unknownline.model"
mf badversion 'model x\nversion 1.5\nend\n'
case_ model-bad-version 1 "badversion.model:2: version '1.5' is not a number 1..999" \
    "$A" models --model-file "$tmp/badversion.model"
mf noversion 'model x\nparent grace-v1\nend\n'
case_ model-no-version 1 "noversion.model:3: model x has no 'version'" "$A" models --model-file "$tmp/noversion.model"
mf badname 'model My-CPU\nversion 1\nend\n'
case_ model-bad-name 1 "badname.model:1: model name 'My-CPU' is not valid \(lower-case letters" \
    "$A" models --model-file "$tmp/badname.model"
mf badrealizable 'model x\nversion 1\nrealizable maybe\nend\n'
case_ model-bad-realizable 1 "badrealizable.model:3: realizable must be yes or no, not 'maybe'" \
    "$A" models --model-file "$tmp/badrealizable.model"
awk 'BEGIN { printf "model x\nversion 1\ndescription "; for (i = 0; i < 1100; i++) printf "d"; print ""; print "end" }' >"$tmp/longline.model"
case_ model-long-line 1 "longline.model:3: line longer than 1000 bytes" "$A" models --model-file "$tmp/longline.model"
mf composite 'model x\nversion 1\nparent grace-v1\nsource s\nsve = off\nend\n'
case_ model-composite 1 "composite.model:5: composite property sve cannot be used in a model; set the fields" \
    "$A" models --model-file "$tmp/composite.model"
mf novalue 'model x\nversion 1\nparent grace-v1\nsource s\nfeat_AES =\nend\n'
case_ model-no-value 1 "novalue.model:5: 'feat_AES =' needs a value" "$A" models --model-file "$tmp/novalue.model"
mf samefield 'model x\nversion 1\nparent grace-v1\nsource s\nfeat_AES = aes\nfeat_AES = aes\nend\n'
case_ model-same-target-twice 1 "samefield.model:6: feat_AES sets ID_AA64ISAR0_EL1.AES, already set by feat_AES at line 5 of model x" \
    "$A" models --model-file "$tmp/samefield.model"
mf badprop 'model x\nversion 1\nparent grace-v1\nsource s\nfeat_AES = sha\nend\n'
case_ model-bad-property-value 1 "badprop.model:5: property feat_AES: value 'sha' is not allowed; allowed: off, aes, pmull" \
    "$A" models --model-file "$tmp/badprop.model"
# A bad model file fails every command that opens the models, and doc
# writes nothing.
case_ expand-bad-model-file 1 "orphan.model: model x-v1 has parent 'nope-v1'" \
    "$A" expand grace-v1 --model-file "$tmp/orphan.model"
case_ features-bad-model-file 1 "nul.model: contains a NUL byte" "$A" features grace-v1 --model-file "$tmp/nul.model"
case_ props-bad-model-file 2 "cannot open" "$A" props --model-file "$tmp/none.model"
case_ doc-bad-model-file 1 "cycle.model: model a-v1 is in a parent cycle" \
    "$A" doc -o "$tmp/docdir/props.md" --model-file "$tmp/cycle.model"
if [ -n "$(ls -A "$tmp/docdir")" ]; then
    echo "FAIL: doc with a bad model file left $(ls "$tmp/docdir")"; fails=$((fails + 1))
fi

# ---------------------------------------------- one field, one assignment; depth
# docs/model-format.md: "a later assignment to the same field in the same
# model is an error", whatever the spelling (these were found by the catalogue).
mf samefield2 'model x\nversion 1\nparent grace-v1\nsource s\nID_AA64ISAR0_EL1.AES = 1\nfeat_AES = pmull\nend\n'
case_ model-same-field-two-names 1 "samefield2.model:6: .*(already set|twice)" \
    "$A" models --model-file "$tmp/samefield2.model"
mf samefield3 'model x\nversion 1\nparent grace-v1\nsource s\nID_AA64ISAR0_EL1.AES = 1\nID_AA64ISAR0.AES = 2\nend\n'
case_ model-same-field-suffix 1 "samefield3.model:6: .*(already set|twice)" \
    "$A" models --model-file "$tmp/samefield3.model"
# A parent chain deeper than realization's limit is refused at load.
awk 'BEGIN { p = "neoverse-n1-v1"; for (i = 1; i <= 70; i++) { printf "model c%d\nversion 1\nparent %s\nrealizable yes\nend\n", i, p; p = "c" i "-v1" } }' >"$tmp/deep.model"
case_ model-chain-too-deep 1 "deep.model: model .* has more than 63 ancestors" "$A" models --model-file "$tmp/deep.model"

# ---------------------------------------------- hosts and artifacts
# What a new user hit (issue: every artifact equals the spec): a directory as
# --host, a truncated snapshot, -o into a missing directory, a libvirt value
# today's schema cannot hold, artifact flags.
mkdir -p "$tmp/hostdir"
case_ host-is-directory 2 "hostdir/: is a directory, not a file" "$A" check grace-v1 --host "$tmp/hostdir/"
"$A" hosts show graviton3-linux-6.12 | head -c 1500 >"$tmp/trunc-host.json"
case_ host-truncated-json 1 "trunc-host.json: the JSON ends at byte 1500 before it is complete \(a truncated file\?\)" \
    "$A" check grace-v1 --host "$tmp/trunc-host.json"
printf 'MIDR_EL1 0x410fd0c0\n' >"$tmp/listing.txt"
case_ import-o-missing-dir 2 "nodir/x.json: cannot write: directory '$tmp/nodir' does not exist" \
    "$A" hosts import "$tmp/listing.txt" --name x -o "$tmp/nodir/x.json"
# an ID register newer than the table (ID_AA64DFR2_EL1, Linux 6.13+) with a
# non-zero value is refused, never dropped (zero is what the table means)
printf 'MIDR_EL1 0x410fd0c0\nS3_0_C0_C5_3 0x10\n' >"$tmp/newreg.txt"
case_ import-unknown-id-register 1 "newreg.txt:2: S3_0_C0_C5_3 is 0x0000000000000010, an ID register this field table does not know" \
    "$A" hosts import "$tmp/newreg.txt" --name x
jq '.guest_cpu_config.reg_modifiers += [{"addr": "0x603000000013c02b", "bitmap": "0b1"}]' \
    "$SRC/tests/data/firecracker/fingerprint_ARM_NEOVERSE_N1_6.1host.json" >"$tmp/newreg-fp.json"
case_ fingerprint-unknown-id-register 1 "S3_0_C0_C5_3 \(0x603000000013c02b\) is 0x0000000000000001, an ID register this field table does not know" \
    "$A" hosts import "$tmp/newreg-fp.json" --name x
case_ firecracker-o-directory 2 "hostdir: is a directory \(give a file name\)" \
    "$A" firecracker graviton2-v1,feat_DebugVer=imp --host graviton2-linux-6.12 -o "$tmp/hostdir"
case_ firecracker-no-host 1 "give --host" "$A" firecracker grace-v1
case_ libvirt-valued-property 1 "1 property of the spec has a value: feat_AES=aes \(the value form, --form values, says them\)" \
    "$A" libvirt neoverse-v1-v1,feat_AES=aes
case_ libvirt-bad-form 1 "--form 'xml' is not custom or values" "$A" libvirt grace-v1 --form xml
case_ qemu-args-bad-kernel 1 "no writable-mask table for kernel '5.4'" \
    "$A" qemu-args grace-v1 --dialect sysreg --kernel 5.4
case_ qemu-args-kernel-no-masks 1 "Linux 6.1 has no writable ID registers" \
    "$A" qemu-args grace-v1 --dialect sysreg --kernel 6.1
case_ qemu-args-blocked 5 "grace-v1 is blocked on qemu-neoverse-n1-linux-6.12; nothing printed" \
    "$A" qemu-args grace-v1 --host qemu-neoverse-n1-linux-6.12

# views: the snapshot keys 'view' and 'unknown', import --view, plan --from/--to
"$A" hosts show graviton3-linux-6.12 | jq '.view = "bogus"' >"$tmp/view-bogus.json"
case_ snapshot-bad-view 1 "key 'view' must be \"guest\" .* or \"host\"" \
    "$A" check grace-v1 --host "$tmp/view-bogus.json"
"$A" hosts show graviton3-linux-6.12 | jq '.registers.ID_AA64ISAR0_EL1.unknown = "0xf0"' >"$tmp/unk-set.json"
case_ snapshot-unknown-bits-set 1 "registers.ID_AA64ISAR0_EL1: bits 0x0000000000000020 are both unknown and set in 'value'" \
    "$A" check grace-v1 --host "$tmp/unk-set.json"
"$A" hosts show graviton3-linux-6.12 | jq '.registers.ID_AA64ISAR0_EL1.unknown = "zz"' >"$tmp/unk-bad.json"
case_ snapshot-unknown-not-hex 1 "registers.ID_AA64ISAR0_EL1.unknown must be a string 0x followed by 1-16 hex" \
    "$A" check grace-v1 --host "$tmp/unk-bad.json"
# the guest's reads: registers.X.guest_read and cntfrq_el0
"$A" hosts show qemu10-neoverse-n2-linux-7.3 | jq '.registers.CTR_EL0.guest_read = "4"' >"$tmp/gr-bad.json"
case_ snapshot-guest-read-not-hex 1 "registers.CTR_EL0.guest_read must be a string 0x followed by 1-16 hex" \
    "$A" check host --host "$tmp/gr-bad.json"
"$A" hosts show qemu10-neoverse-n2-linux-7.3 | jq '.registers.SMIDR_EL1 = {absent: "ENOENT", guest_read: "0x0"}' >"$tmp/gr-absent.json"
case_ snapshot-guest-read-absent 1 "registers.SMIDR_EL1: 'absent' excludes 'value', 'writable', 'unknown' and 'guest_read'" \
    "$A" check host --host "$tmp/gr-absent.json"
"$A" hosts show qemu10-neoverse-n2-linux-7.3 | jq '.cntfrq_el0 = "0x100000000"' >"$tmp/frq-wide.json"
case_ snapshot-cntfrq-wide 1 "key 'cntfrq_el0' must be a string 0x followed by 1-8 hex digits \(CNTFRQ_EL0 is 32 bits\)" \
    "$A" check host --host "$tmp/frq-wide.json"
"$A" hosts show qemu10-neoverse-n2-linux-7.3 | jq '.cntfrq_el0 = 62500000' >"$tmp/frq-num.json"
case_ snapshot-cntfrq-number 1 "key 'cntfrq_el0' must be a string 0x" \
    "$A" check host --host "$tmp/frq-num.json"
printf 'ARMCPU-PROBE-BEGIN\nUNAME 6.12.0\nGUEST (3,3,0,0,1) 0xzz\nARMCPU-PROBE-END ok\n' >"$tmp/probe-gr.txt"
case_ probe-guest-bad 1 "probe-gr.txt:3: bad guest read '0xzz'" \
    "$A" hosts import "$tmp/probe-gr.txt" --name x
case_ import-view-bogus 1 "--view 'metal' is not guest .* or host" \
    "$A" hosts import "$tmp/listing.txt" --name x --view metal
case_ import-view-host-no-kernel 1 "--view host needs --kernel V" \
    "$A" hosts import "$tmp/listing.txt" --name x --view host
case_ import-view-host-masks 1 "--view host takes the masks of --kernel's table, not --masks" \
    "$A" hosts import "$tmp/listing.txt" --name x --view host --kernel 6.12 --masks "$tmp/listing.txt"
case_ plan-from-without-to 1 "--from and --to go together" "$A" plan graviton3-linux-6.12 --from 6.12
case_ plan-upgrade-bad-kernel 1 "no writable-mask table for kernel '5.4'" \
    "$A" plan graviton3-linux-6.12 --from 5.4 --to 6.18

printf '\n%-3s %-30s %-7s %s\n' "#" CASE "WANT/GOT" STATUS
cat "$table"
echo "bad-inputs: $n cases, $fails failed, $known known library bug(s) reported"
exit $((fails > 0))
