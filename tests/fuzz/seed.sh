#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Regenerates the seed corpora tests/fuzz/corpus/<target>/ from the shipped
# models (models/*.model), the user-model test data and the specs, names and
# numbers the CLI tests (tests/cli/*.sh) use.  usage: seed.sh ARMCPU SRCDIR
# Seeds are named by content (sha1), so re-running only adds files.
set -eu
A=$1
SRC=$2
C=$SRC/tests/fuzz/corpus
mkdir -p "$C/realize" "$C/model_file" "$C/parse" "$C/host" "$C/check"

put() { # target, content (printf %s)
    f=$(mktemp)
    printf '%s' "$2" >"$f"
    mv "$f" "$C/$1/$(sha1sum <"$f" | cut -c1-16)"
}
put_file() { # target, file
    cp "$2" "$C/$1/$(sha1sum <"$2" | cut -c1-16)"
}

# --- realize: every model name, the specs of the CLI tests, one expansion.
for m in $("$A" models | awk 'NR > 1 { print $1; if ($5 != "-") print $5 }'); do
    put realize "$m"
done
grep -ohE "(expand|features) +\"?[a-zA-Z0-9_.,=-]+,[a-zA-Z0-9_.,=-]+" "$SRC"/tests/cli/*.sh "$SRC"/Makefile |
    sed -E 's/^(expand|features) +"?//' | sort -u | while read -r s; do put realize "$s"; done
for s in grace-v1,feat_CSV2=1.1 grace-v1,feat_CSV2=2.1 grace-v1,feat_MPAM=0.1 \
         neoverse-n1-v1,aarch32=off neoverse-n1-v1,pauth=on grace-v1,pauth=off,pauth=on \
         grace-v1,sve=on,sve=off grace-v1,SVE=ON,sve=off graviton3-v1,cpu_partnum=0xd4f \
         graviton3-v1,el1_mode=aarch32,el0_mode=aarch64 grace-v1,hw_prop_PARANGE=48 \
         grace-v1,feat_AES=FEAT_PMULL grace-v1,revidr=0xffffffffffffffff \
         kvm-base-v1,aidr=1 arm-v8_4-a-v1,pmu=on grace-v1,SYSREG_ID_AA64ISAR0_EL1_AES=0x10 \
         grace-v1,feat_Swap=0.1 grace-v1,feat_NV=0.1 'grace-v1,feat_AES=aes,feat_AES=aes' \
         neoverse-v1-v1,sve128=on,sve256=on neoverse-v1-v1,sve256=off,sve128=on host,sve256=off \
         grace-v1,pmu_counters=4,psci_version=1.0,smccc_wa2=avail,fw_std_bmap=0x1,ipa_bits=40 \
         grace-v1,sve=off,sve128=on grace-v1,fw_vendor_hyp_bmap_2=0x3,smccc_wa3=not_required; do
    put realize "$s"
done
put realize "$("$A" expand neoverse-n1-v1,sve=off --spec)"

# --- model_file: the shipped files, the user model, small variants.
for f in "$SRC"/models/*.model "$SRC"/tests/data/*.model; do
    put_file model_file "$f"
done
put model_file "$(printf 'model x\nversion 1\nparent neoverse-n1-v1\nrealizable yes\ndescription d\nsource s\nfeat_AES = off\nID_AA64ISAR0_EL1.SHA1 = 0\nID_AA64ZFR0_EL1 = 0x0\nfeat_CSV2 = 1.1\nend\n')"
put model_file "$(printf 'model a\nversion 1\nparent b-v1\nend\nmodel b\nversion 1\nparent a-v1\nend\n')"
put model_file "$(printf 'model a\nversion 2\nparent grace-v1\nrealizable no\nsource s # c\nsve = off\nend\n')"
put model_file "$(printf 'model r\nversion 1\nparent none\nsource s\nCTR_EL0 = 0x0\nend\n')"

# --- parse: numbers, encodings, register and field names, KVM ids.
for s in 0 1 18446744073709551615 18446744073709551616 0x0 0xffffffffffffffff 0x1ffffffffffffffff \
         0b0 0b101 0x 0b 0b2 1157725344193650976 0x1011111110212120 \
         'op0:3 op1:0 crn:0 crm:6 op2:0' 'op0:3,op1:0,crn:0,crm:7,op2:4' 'OP0:3 OP1:3 CRN:0 CRM:0 OP2:1' \
         'op0:4 op1:0 crn:0 crm:0 op2:0' \
         ID_AA64ISAR0_EL1 id_aa64isar0 CTR_EL0 ctr MIDR_EL1 ID_AA64ISAR0_EL1.AES ID_AA64ZFR0.AES \
         AES SHA1 PARange ID_AA64MMFR0_EL1.PARANGE MIDR_EL1.PartNum nosuch.AES ID_AA64ISAR0_EL1.
do
    put parse "$s"
done
# KVM ids as 8 little-endian bytes (+ a 9th byte: 1 = bias to the sysreg space).
for id in 603000000013c030 604000000013c030 6030000000130000 6030000000120000 6020000000130000; do
    bytes=""
    for i in 15 13 11 9 7 5 3 1; do
        bytes="$bytes$(printf '\\%03o' "0x$(echo "$id" | cut -c"$i-$((i + 1))")")"
    done
    # shellcheck disable=SC2059 # the format is the octal escapes
    printf "$bytes" >"$C/parse/id-$id"
done

# --- host: the embedded snapshots, a listing, a probe output.
for f in "$SRC"/hosts/*.json; do
    put_file host "$f"
done
put host "$(printf 'MIDR_EL1 0x00000000411fd401\nID_AA64ISAR0_EL1 0x1011111110212120\nS3_0_C0_C3_3 0x0\nMPIDR_EL1 0x80000000\n')"
put host "$(printf 'ARMCPU-PROBE-BEGIN\nUNAME 6.12.1\nCAP 230 1 X\nCAP 170 0 SVE\nVCPU target=5 features=psci-0.2,pmu-v3\nREG (3,0,0,6,0) 0x1120\nREG (3,3,0,0,7) ENOENT\nMASK (3,0,0,6,0) 0xfffffffffffffff0\nARMCPU-PROBE-END ok\n')"

# --- check: a spec line, then a snapshot.
for spec in graviton3-v1 neoverse-n1-v1,sve=off grace-v1,feat_AES=aes host host,feat_AES=off; do
    for f in "$SRC"/hosts/graviton3-linux-6.12.json "$SRC"/hosts/qemu-neoverse-n1-linux-6.12.json; do
        put check "$(printf '%s\n' "$spec"; cat "$f")"
    done
done
