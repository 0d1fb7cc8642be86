#!/bin/bash
# Writes the shipped KVM writable-mask tables (kernels/linux-<ver>.masks) from
# the rig's measurements (tests/kvm/expected/kvm-<ver>-masks.txt, written by
# `make check-kvm-all KVM_UPDATE_EXPECTED=1`) and, for Linux 6.15, which Debian
# never shipped (so the rig cannot boot it), from Linux 6.12's plus the
# changes of the 6.15 merge window. The provenance names the Debian package
# and version the expected file's header records (check.sh's write_expected).
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

# Linux 6.15: 6.12's masks plus what the 6.15 pull request made writable
# ("KVM/arm64 updates for 6.15", Oliver Upton, <Z9uZpZKfqWP8ZwH8@linux.dev>;
# shared/reference/kvm-writable-idregs.md): MIDR/REVIDR/AIDR behind
# KVM_CAP_ARM_WRITABLE_IMP_ID_REGS, ID_AA64MMFR0_EL1.TGRAN{4,16,64}_2 and
# ID_AA64MMFR4_EL1.NV_frac. Not measured.
or_mask() { # line-key value-to-or
    local cur
    cur=$(awk -v k="$1" '$1 == k { print $2 }' "$out/.615.tmp")
    printf '%s 0x%016x\n' "$1" $(( cur | $2 )) > "$out/.615.line"
    awk -v k="$1" 'NR == FNR { line = $0; next } $1 == k { print line; next } { print }' \
        "$out/.615.line" "$out/.615.tmp" > "$out/.615.new"
    mv "$out/.615.new" "$out/.615.tmp"
}
grep -v '^#' "$exp/kvm-6.12-masks.txt" > "$out/.615.tmp"
or_mask "(3,0,0,0,0)" 0x00000000ffffffff
or_mask "(3,0,0,0,6)" 0xffffffffffffffff
or_mask "(3,1,0,0,7)" 0xffffffffffffffff
or_mask "(3,0,0,7,0)" 0x00000fff00000000
or_mask "(3,0,0,7,4)" 0x0000000000f00000
rm -f "$out/.615.line"
emit 6.15 "derived, not measured: Linux 6.12 as measured by the rig plus the 6.15 merge window's changes (MIDR/REVIDR/AIDR, TGRAN4_2/16_2/64_2, NV_frac; KVM/arm64 updates for 6.15, <Z9uZpZKfqWP8ZwH8@linux.dev>)" \
    "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS" "$out/.615.tmp"
rm -f "$out/.615.tmp"
ls "$out"
