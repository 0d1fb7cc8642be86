#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig, step 3 (make check-kvm): boot Debian arm64 kernels under
# qemu-system-aarch64 TCG with EL2 and check what KVM reports:
#   - Linux 6.12 (trixie) on several emulated CPUs: KVM works, capability 230
#     (KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES) is there, ID_AA64PFR0_EL1.GIC
#     reads 1 with the vGICv3, the writable masks equal the committed
#     tests/kvm/expected/kvm-6.12-masks.txt and (when present) the shared
#     reference kvm-6.12-writable-masks.txt, and are the same on every CPU;
#   - Linux 6.1 (bookworm): KVM works, no mask capability;
#   - the newest trixie-backports kernel: masks recorded to (or, once
#     committed, compared with) tests/kvm/expected/kvm-<major.minor>-masks.txt;
#     6.19 kernels are also compared with the shared kvm-6.19 reference.
# env: KVM_DIR (build-kvm), KVM_REF (../shared/reference), KVM_CPUS (the 6.12
#      CPU list), KVM_UPDATE_EXPECTED=1 (rewrite the expected files),
#      KVM_SKIP_FETCH=1 (use what fetch.sh left in KVM_DIR)
# Exit: 0 all passed, 1 a check failed, 2 missing host packages, 77 skipped
# (kernels cannot be downloaded).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export KVM_DIR=${KVM_DIR:-$root/build-kvm}
KVM_REF=${KVM_REF:-$root/../shared/reference}
# max: pauth-impdef=on replaces QEMU's slow QARMA5 emulation (6.5 s -> 2.6 s)
KVM_CPUS=${KVM_CPUS:-"neoverse-n1 cortex-a72 max,pauth-impdef=on"}
EXPECTED=$here/expected
UPDATE=${KVM_UPDATE_EXPECTED:-0}

pass=0 fail=0
timing=()
ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
bad() { echo "  FAIL $*"; fail=$((fail + 1)); }

# ---- kernels ----
if [ "${KVM_SKIP_FETCH:-0}" != 1 ]; then
  "$here/fetch.sh"
  rc=$?
  if [ $rc = 77 ]; then
    echo "check-kvm: SKIP: the arm64 kernels cannot be downloaded (no network?)"
    exit 77
  elif [ $rc != 0 ]; then
    echo "check-kvm: fetch.sh failed (exit $rc)"
    exit $rc
  fi
fi
kver_of() { cat "$KVM_DIR/kernels/$1.ver" 2>/dev/null; }
K61=$(kver_of bookworm) K612=$(kver_of trixie) KBPO=$(kver_of trixie-backports)
[ -n "$K61" ] && [ -n "$K612" ] && [ -n "$KBPO" ] ||
  { echo "check-kvm: kernels missing in $KVM_DIR/kernels (run tests/kvm/fetch.sh)"; exit 1; }

# ---- helpers ----
# boot KERNEL CPU -> probe block in $f (= $out/<kver>-<cpu>.txt); status = run.sh's
out=$KVM_DIR/probe-out
mkdir -p "$out"
f=""
boot() {
  local k=$1 cpu=$2 rc secs
  f="$out/$k-$cpu.txt"
  KVM_QUIET=1 "$here/run.sh" "$k" "$cpu" > "$f" 2> "$f.err"
  rc=$?
  secs=$(cat "$KVM_DIR/logs/$k-$cpu.log.secs" 2>/dev/null || echo "?")
  timing+=("$(printf '%-22s %-20s %5ss  %s' "$k" "$cpu" "$secs" "$([ $rc = 0 ] && echo ok || echo "FAILED rc=$rc")")")
  [ $rc = 0 ] || cat "$f.err" >&2
  return $rc
}
# normalised masks of a probe block: "(3,0,0,1,0) 0x..." x192
masks_of() { awk '$1 == "MASK" { print $2, $3 }' "$1"; }
# a shared reference file (names, CRLF, only the named registers) normalised
# to the same 192 lines: registers it does not list have mask 0
ref_masks() {
  tr -d '\r' < "$1" | awk '
    !/^#/ && NF >= 3 { m[$2] = $3 }
    END {
      split("0 1 3", op1, " ")
      for (i = 1; i <= 3; i++) for (crm = 0; crm < 8; crm++) for (op2 = 0; op2 < 8; op2++) {
        t = "(3," op1[i] ",0," crm "," op2 ")"
        print t, (t in m) ? m[t] : "0x0000000000000000"
      }
    }'
}
expected_masks() { grep -v '^#' "$1"; }
field() { # probe-file tuple shift -> 4-bit field of the REG value
  local v
  v=$(awk -v t="$2" '$1 == "REG" && $2 == t { print $3 }' "$1")
  case "$v" in 0x*) echo $(( (v >> $3) & 0xf )) ;; *) echo "$v" ;; esac
}
cap_of() { awk -v c="$2" '$1 == "CAP" && $2 == c { print $3 }' "$1"; }
write_expected() { # probe-file dest kver cpu
  {
    echo "# Writable masks (KVM_ARM_GET_REG_WRITABLE_MASKS, feature ID range) reported by Linux $3"
    echo "# (Debian arm64 kernel) inside qemu-system-aarch64 $(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG, -cpu $4, virtualization=on;"
    echo "# measured by tests/kvm/check.sh (probe.c). Columns: (op0,op1,crn,crm,op2) mask; all 192 encodings."
    masks_of "$1"
  } > "$2"
}
# compare masks of probe file $1 with expected file $2 (normalised lists)
same_masks() { diff <(masks_of "$1") "$2" > "$out/diff.txt"; }

# ---- Linux 6.12 on several CPUs ----
echo "== Linux $K612 (trixie)"
exp612=$EXPECTED/kvm-6.12-masks.txt
first=""
for cpu in $KVM_CPUS; do
  boot "$K612" "$cpu"
  if [ $? != 0 ] || ! grep -q '^ARMCPU-PROBE-BEGIN' "$f"; then
    bad "$cpu: KVM probe did not complete (see $KVM_DIR/logs/$K612-$cpu.log)"
    continue
  fi
  u=$(awk '$1 == "UNAME" { print $2 }' "$f")
  case "$u" in 6.12.*) ok "$cpu: KVM works in the guest, uname $u" ;; *) bad "$cpu: uname '$u', want 6.12.*" ;; esac
  c=$(cap_of "$f" 230)
  [ "${c:-0}" -gt 0 ] 2>/dev/null && ok "$cpu: KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES = $c" || bad "$cpu: capability 230 = '${c}'"
  g=$(field "$f" "(3,0,0,4,0)" 24)
  [ "$g" = 1 ] && ok "$cpu: ID_AA64PFR0_EL1.GIC = 1 with the vGICv3" || bad "$cpu: ID_AA64PFR0_EL1.GIC = '$g', want 1"
  n=$(masks_of "$f" | wc -l)
  [ "$n" = 192 ] || { bad "$cpu: $n MASK lines, want 192"; continue; }
  if [ ! -f "$exp612" ] || [ "$UPDATE" = 1 ] && [ -z "$first" ]; then
    mkdir -p "$EXPECTED"
    write_expected "$f" "$exp612" "$u" "$cpu"
    echo "  note wrote $exp612 from $cpu"
  fi
  if same_masks "$f" <(expected_masks "$exp612"); then
    ok "$cpu: masks equal tests/kvm/expected/kvm-6.12-masks.txt"
  else
    bad "$cpu: masks differ from kvm-6.12-masks.txt:"; sed 's/^/       /' "$out/diff.txt"
  fi
  if [ -f "$KVM_REF/kvm-6.12-writable-masks.txt" ]; then
    if same_masks "$f" <(ref_masks "$KVM_REF/kvm-6.12-writable-masks.txt"); then
      ok "$cpu: masks equal the shared reference kvm-6.12-writable-masks.txt"
    else
      bad "$cpu: masks differ from the shared reference:"; sed 's/^/       /' "$out/diff.txt"
    fi
  fi
  [ -n "$first" ] || first=$f
done
if [ -z "$first" ]; then
  bad "no 6.12 boot succeeded"
elif [ -f "$KVM_REF/kvm-6.12-writable-masks.txt" ]; then
  if ! diff -q <(expected_masks "$exp612") <(ref_masks "$KVM_REF/kvm-6.12-writable-masks.txt") > /dev/null; then
    bad "committed kvm-6.12-masks.txt differs from the shared reference"
  fi
fi

# ---- Linux 6.1 ----
echo "== Linux $K61 (bookworm)"
if boot "$K61" neoverse-n1; then
  u=$(awk '$1 == "UNAME" { print $2 }' "$f")
  case "$u" in 6.1.*) ok "6.1: KVM works in the guest, uname $u" ;; *) bad "6.1: uname '$u', want 6.1.*" ;; esac
  c=$(cap_of "$f" 230)
  [ "$c" = 0 ] && grep -q '^MASKS unsupported' "$f" && ok "6.1: no writable-mask capability (230 = 0)" ||
    bad "6.1: capability 230 = '$c', want 0"
  g=$(field "$f" "(3,0,0,4,0)" 24)
  [ "$g" = 1 ] && ok "6.1: ID_AA64PFR0_EL1.GIC = 1 with the vGICv3" || bad "6.1: ID_AA64PFR0_EL1.GIC = '$g'"
else
  bad "6.1: KVM probe did not complete (see $KVM_DIR/logs/$K61-neoverse-n1.log)"
fi

# ---- newest trixie-backports kernel (+ pinned extra kernels fetched) ----
check_newer() { # kver label
  local k=$1 label=$2 u c mm exp
  echo "== Linux $k ($label)"
  if ! boot "$k" neoverse-n1; then
    bad "$k: KVM probe did not complete (see $KVM_DIR/logs/$k-neoverse-n1.log)"; return
  fi
  u=$(awk '$1 == "UNAME" { print $2 }' "$f")
  [ "$u" = "$k" ] && ok "$k: KVM works in the guest" || bad "$k: uname '$u'"
  c=$(cap_of "$f" 230)
  [ "${c:-0}" -gt 0 ] 2>/dev/null && ok "$k: capability 230 = $c" || { bad "$k: capability 230 = '$c'"; return; }
  mm=$(echo "$k" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
  exp=$EXPECTED/kvm-$mm-masks.txt
  if [ ! -f "$exp" ] || [ "$UPDATE" = 1 ]; then
    write_expected "$f" "$exp" "$u" neoverse-n1
    echo "  note recorded the $u masks to tests/kvm/expected/kvm-$mm-masks.txt"
  elif same_masks "$f" <(expected_masks "$exp"); then
    ok "$k: masks equal tests/kvm/expected/kvm-$mm-masks.txt"
  else
    bad "$k: masks differ from kvm-$mm-masks.txt:"; sed 's/^/       /' "$out/diff.txt"
  fi
  if [ -f "$KVM_REF/kvm-$mm-writable-masks.txt" ]; then
    if same_masks "$f" <(ref_masks "$KVM_REF/kvm-$mm-writable-masks.txt"); then
      ok "$k: masks equal the shared reference kvm-$mm-writable-masks.txt"
    else
      bad "$k: masks differ from the shared reference kvm-$mm-writable-masks.txt:"; sed 's/^/       /' "$out/diff.txt"
    fi
  fi
}
check_newer "$KBPO" "newest trixie-backports"
for d in "$KVM_DIR"/kernels/*/; do
  k=$(basename "$d")
  case "$k" in "$K61"|"$K612"|"$KBPO") continue ;; esac
  [ -s "$d/vmlinuz" ] && check_newer "$k" "extra kernel"
done

# ---- summary ----
echo "== boot times (qemu-system-aarch64 TCG, EL2, 1 vCPU, 512 MiB)"
printf '  %s\n' "${timing[@]}"
echo "kvm: $pass passed, $fail failed"
[ "$fail" = 0 ]
