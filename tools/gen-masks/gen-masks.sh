#!/bin/bash
# Writes the shipped KVM writable-mask tables (kernels/linux-<ver>.masks) from
# the rig's measurements (tests/kvm/expected/kvm-<ver>-masks.txt, written by
# `make check-kvm-all KVM_UPDATE_EXPECTED=1`) and, for the versions Debian
# never shipped (6.7-6.11, 6.13-6.15: the rig cannot boot them), from the
# measured Linux 6.12 table and the changes of each release (below). The
# provenance names the Debian package and version the expected file's header
# records (check.sh's write_expected).
# usage: gen-masks.sh SRCDIR
set -eu
src=$1
exp=$src/tests/kvm/expected
out=$src/kernels
mkdir -p "$out"

emit() { # version provenance capabilities input
    ver=$1 prov=$2 caps=$3 in=$4
    tmp=$(mktemp "$out/.linux-$ver.XXXXXX")
    {
        echo "# kernel: $ver"
        echo "# masks: yes"
        echo "# capabilities: $caps"
        echo "# provenance: $prov"
        grep -v '^#' "$in"
    } > "$tmp"
    mv "$tmp" "$out/linux-$ver.masks"
}

# Linux 6.1: no KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES at all (measured: the
# rig's 6.1.0-50-arm64 probe reports capability 230 = 0).
tmp=$(mktemp "$out/.linux-6.1.XXXXXX")
cat > "$tmp" <<'EOT'
# kernel: 6.1
# masks: no
# capabilities:
# provenance: measured by the rig: Debian 6.1.0-50-arm64 (package linux-image-6.1.0-50-arm64 6.1.176-1, bookworm) reports no KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES (nothing writable)
EOT
mv "$tmp" "$out/linux-6.1.masks"

for f in "$exp"/kvm-*-masks.txt; do
    ver=$(basename "$f" | sed 's/^kvm-//; s/-masks.txt$//')
    release=$(sed -n '1s/.* reported by Linux \([^ ]*\).*/\1/p' "$f")
    # "(Debian arm64 kernel package <pkg> <version>, <suite>)" on line 2
    pkg=$(sed -n '2s/^# (Debian arm64 kernel package \([^ ]*\) \([^,]*\), \([^)]*\)).*/\1 \2, \3/p' "$f")
    caps=""
    # MIDR/REVIDR/AIDR writable: KVM applies them only with the VMM capability
    if grep -q '^(3,0,0,0,0) 0x00000000ffffffff' "$f"; then
        caps="KVM_CAP_ARM_WRITABLE_IMP_ID_REGS"
    fi
    emit "$ver" "measured by the rig (tests/kvm, make check-kvm-all) on Debian $release${pkg:+ (package $pkg)} under qemu-system-aarch64 TCG" "$caps" "$f"
done

# The derived tables: Linux versions Debian never shipped (so the rig cannot
# boot them), written from the measured 6.12 table by undoing or adding what
# each release changed in arch/arm64/kvm/sys_regs.c (the .val of the feature ID
# descriptors) and arch/arm64/tools/sysreg (the RES0 bits ~RES0 masks leave
# out), commit by commit; kernels/MASKS-NOTES.md gives the evidence for each
# step. Not measured. The chain: 6.12 (6.12.117, measured) -> 6.13 -> 6.14 ->
# 6.15, and 6.12 -> (6.12.0, not written) -> 6.11 -> 6.10 -> 6.9 -> 6.8 -> 6.7.
put() { # file key value: set that line's mask
    printf '%s 0x%016x\n' "$2" $(( $3 )) > "$1.line"
    awk -v k="$2" 'NR == FNR { line = $0; next } $1 == k { print line; next } { print }' \
        "$1.line" "$1" > "$1.new"
    mv "$1.new" "$1"
    rm -f "$1.line"
}
get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
or_mask() { put "$1" "$2" "$(( $(get "$1" "$2") | $3 ))"; }
clear_mask() { put "$1" "$2" "$(( $(get "$1" "$2") & ~$3 ))"; }
step() { # from to: start table 'to' as a copy of 'from'
    cp "$out/.d-$1.tmp" "$out/.d-$2.tmp"
}
grep -v '^#' "$exp/kvm-6.12-masks.txt" > "$out/.d-6.12.tmp"

# 6.13: 6.12.117 carries "KVM: arm64: Make all 32bit ID registers fully
# writable" (6.18-rc, backported to 6.12.y): 6.13 has AA32_ID_SANITISED (mask
# 0) for the AArch32 ID registers and PerfMon|CopDbg for ID_DFR0_EL1.
# "KVM: arm64: Make L1Ip feature in CTR_EL0 writable from userspace" is 6.13.
# (ASIDBITS unwritable and the MPAM changes are 6.13 mainline, in 6.12.117 as
# backports: nothing to undo.)
step 6.12 6.13
t=$out/.d-6.13.tmp
for e in 1,0 1,1 1,4 1,5 1,6 1,7 2,0 2,1 2,2 2,3 2,4 2,5 2,6 2,7 3,0 3,1 3,2 3,4 3,6; do
    put "$t" "(3,0,0,$e)" 0
done
put "$t" "(3,0,0,1,2)" 0x0f00000f              # ID_DFR0_EL1: PerfMon | CopDbg
or_mask "$t" "(3,3,0,0,1)" 0x000000000000c000  # CTR_EL0.L1Ip
# 6.14: "KVM: arm64: Allow control of dpISA extensions in ID_AA64ISAR3_EL1" and
# the DDI0601 2024-09 sysreg updates of the same series ("arm64: Support 2024
# dpISA extensions", arm64 for-next/cpufeature, merged by kvmarm-6.14), which
# turn RES0 bits into fields of the ~RES0 masks.
step 6.13 6.14
t=$out/.d-6.14.tmp
or_mask "$t" "(3,0,0,4,4)" 0x000f00000000f000  # ID_AA64ZFR0_EL1.F16MM, EltPerm
or_mask "$t" "(3,0,0,4,7)" 0x000000000c000000  # ID_AA64FPFR0_EL1.F8MM8, F8MM4
or_mask "$t" "(3,0,0,6,2)" 0x0000f00000000000  # ID_AA64ISAR2_EL1.PCDPHINT
put "$t" "(3,0,0,6,3)" 0x00000000f00000f0      # ID_AA64ISAR3_EL1: FPRCVT | FAMINMAX
# 6.15: 6.14 plus what the 6.15 pull request made writable ("KVM/arm64 updates
# for 6.15", Oliver Upton, <Z9uZpZKfqWP8ZwH8@linux.dev>;
# shared/reference/kvm-writable-idregs.md): MIDR/REVIDR/AIDR behind
# KVM_CAP_ARM_WRITABLE_IMP_ID_REGS, ID_AA64MMFR0_EL1.TGRAN{4,16,64}_2 and
# ID_AA64MMFR4_EL1.NV_frac. The result equals the measured 6.16 table.
step 6.14 6.15
t=$out/.d-6.15.tmp
or_mask "$t" "(3,0,0,0,0)" 0x00000000ffffffff  # MIDR_EL1
or_mask "$t" "(3,0,0,0,6)" 0xffffffffffffffff  # REVIDR_EL1
or_mask "$t" "(3,1,0,0,7)" 0xffffffffffffffff  # AIDR_EL1
or_mask "$t" "(3,0,0,7,0)" 0x00000fff00000000  # ID_AA64MMFR0_EL1.TGRAN*_2
or_mask "$t" "(3,0,0,7,4)" 0x0000000000f00000  # ID_AA64MMFR4_EL1.NV_frac

# 6.12.0 (not written): 6.13 less L1Ip and less "KVM: arm64: Do not allow
# ID_AA64MMFR0_EL1.ASIDbits to be overridden" (6.13-rc, backported to 6.12.y).
step 6.13 6.12.0
t=$out/.d-6.12.0.tmp
clear_mask "$t" "(3,3,0,0,1)" 0x000000000000c000
or_mask "$t" "(3,0,0,7,0)" 0x00000000000000f0  # ID_AA64MMFR0_EL1.ASIDBits
# 6.11: 6.12.0 less the 6.12 merge window ("KVM/arm64 updates for 6.12"
# <20240912091229.411782-1-maz@kernel.org>: "Zero ID_AA64PFR0_EL1.GIC when no
# GICv3 is presented to the guest", "Expose ID_AA64PFR2_EL1 to userspace and
# guests", "Expose ID_AA64FPFR0_EL1 as a writable ID reg"; "KVM: arm64:
# Sanitise ID_AA64MMFR3_EL1" of the POE series, arm64 tree) and less
# "KVM/arm64 fixes for 6.12, take #2"
# <20241011132756.3793137-1-maz@kernel.org> ("Allow userspace to change
# ID_AA64PFR1_EL1", "Make the exposed feature bits in AA64DFR0_EL1 writable
# from userspace", "Expose S1PIE to guests").
step 6.12.0 6.11
t=$out/.d-6.11.tmp
clear_mask "$t" "(3,0,0,4,0)" 0x000000000f000000  # ID_AA64PFR0_EL1.GIC
put "$t" "(3,0,0,4,1)" 0                       # ID_AA64PFR1_EL1: ID_SANITISED
put "$t" "(3,0,0,4,2)" 0                       # ID_AA64PFR2_EL1: ID_UNALLOCATED(4,2)
put "$t" "(3,0,0,4,7)" 0                       # ID_AA64FPFR0_EL1: ID_UNALLOCATED(4,7)
put "$t" "(3,0,0,5,0)" 0x0000000000000f0f      # ID_AA64DFR0_EL1: PMUVer | DebugVer
put "$t" "(3,0,0,7,3)" 0                       # ID_AA64MMFR3_EL1: ID_SANITISED
# 6.10: 6.11 less the ctr-el0 series ("KVM/arm64 updates for 6.11"
# <ZpTIYCFIgvKogfE4@linux.dev>: "KVM: arm64: Treat CTR_EL0 as a VM feature ID
# register", "KVM: arm64: show writable masks for feature registers"): CTR_EL0
# is an invariant register again (not in the mask range's descriptors) and
# CLIDR_EL1, a feature register that is not an ID register, gets ~0UL.
step 6.11 6.10
t=$out/.d-6.10.tmp
put "$t" "(3,3,0,0,1)" 0
put "$t" "(3,1,0,0,1)" 0xffffffffffffffff
# 6.9 and 6.8: their merge windows changed no mask (6.9 added ID_AA64MMFR4_EL1
# as ID_SANITISED, mask 0).
step 6.10 6.9
step 6.9 6.8
# 6.7: before "arm64/sysreg: Update ID_AA64ISAR2_EL1 defintion for DDI0601
# 2023-09" (6.8): ATS1A, LUT, PRFMSLC, SYSINSTR_128, SYSREG_128 were RES0.
step 6.8 6.7
clear_mask "$out/.d-6.7.tmp" "(3,0,0,6,2)" 0xff000fff00000000

emit 6.7 'derived, not measured: Linux 6.8 without "arm64/sysreg: Update ID_AA64ISAR2_EL1 defintion for DDI0601 2023-09" (6.8; ISAR2 ATS1A, LUT, PRFMSLC, SYSINSTR_128, SYSREG_128 still RES0); 6.7 is the first KVM with writable masks (writable-id-regs; KVM/arm64 updates for 6.7 <ZUFL9AUV36xHGaBE@thinky-boi>); chained from 6.12.117 as measured, kernels/MASKS-NOTES.md' \
    "" "$out/.d-6.7.tmp"
emit 6.8 'derived, not measured: Linux 6.7 plus ID_AA64ISAR2_EL1'\''s new fields ("arm64/sysreg: Update ID_AA64ISAR2_EL1 defintion for DDI0601 2023-09", KVM/arm64 updates for 6.8 <20240105111756.930029-1-maz@kernel.org>); equals the ID table of a 6.8-era tree (KobaKoNvidia/NV-Kernels 88de840c, version by content); chained from 6.12.117 as measured, kernels/MASKS-NOTES.md' \
    "" "$out/.d-6.8.tmp"
emit 6.9 'derived, not measured: the same as Linux 6.8 (KVM/arm64 updates for 6.9 <ZeyQ5TK3pULYc32o@thinky-boi> add ID_AA64MMFR4_EL1 as ID_SANITISED, mask 0); chained from 6.12.117 as measured, kernels/MASKS-NOTES.md' \
    "" "$out/.d-6.9.tmp"
emit 6.10 'derived, not measured: the same as Linux 6.9 (KVM/arm64 updates for 6.10 <20240511095237.3993387-1-maz@kernel.org> change no mask); chained from 6.12.117 as measured, kernels/MASKS-NOTES.md' \
    "" "$out/.d-6.10.tmp"
emit 6.11 'derived, not measured: Linux 6.10 plus CTR_EL0 (DIC, IDC, DminLine, IminLine) and CLIDR_EL1 ~RES0 for ~0 ("KVM: arm64: Treat CTR_EL0 as a VM feature ID register", "KVM: arm64: show writable masks for feature registers"; KVM/arm64 updates for 6.11 <ZpTIYCFIgvKogfE4@linux.dev>); from 6.12.117 as measured less its backports and the 6.12 changes, kernels/MASKS-NOTES.md' \
    "" "$out/.d-6.11.tmp"
emit 6.13 'derived, not measured: Linux 6.12 (6.12.117, measured) less its backport of "KVM: arm64: Make all 32bit ID registers fully writable" (6.18: AArch32 ID registers unwritable, ID_DFR0_EL1 PerfMon and CopDbg only) plus CTR_EL0.L1Ip ("KVM: arm64: Make L1Ip feature in CTR_EL0 writable from userspace", KVM/arm64 changes for 6.13 <ZzWo7_GSUNXe7Ip_@linux.dev>)' \
    "" "$out/.d-6.13.tmp"
emit 6.14 'derived, not measured: Linux 6.13 plus ID_AA64ISAR3_EL1.FPRCVT, FAMINMAX ("KVM: arm64: Allow control of dpISA extensions in ID_AA64ISAR3_EL1") and the DDI0601 2024-09 fields ZFR0.F16MM, EltPerm, FPFR0.F8MM8, F8MM4, ISAR2.PCDPHINT ("arm64: Support 2024 dpISA extensions", merged by KVM/arm64 updates for 6.14 <20250117115208.1616503-1-maz@kernel.org>)' \
    "" "$out/.d-6.14.tmp"
emit 6.15 'derived, not measured: Linux 6.14 plus the 6.15 merge window'\''s changes (MIDR/REVIDR/AIDR, TGRAN4_2/16_2/64_2, NV_frac; KVM/arm64 updates for 6.15, <Z9uZpZKfqWP8ZwH8@linux.dev>); equals the measured 6.16 table' \
    "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS" "$out/.d-6.15.tmp"
rm -f "$out"/.d-*.tmp
ls "$out"
