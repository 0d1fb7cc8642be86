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
#   - armcpu itself on KVM (issue 5; build-armcpu.sh cross-builds it): on
#     Linux 6.12 / neoverse-n1 and cortex-a76, `armcpu hosts probe` equals the
#     probe; every shipped model is refused before any write when the checks
#     block it and then refused by KVM when forced, and its `armcpu fix` spec is
#     applied and read exactly by a guest (`realize --kvm`); raising a field is
#     refused; EBUSY after KVM_RUN; a migration rehearsal n1 -> a76 fails with
#     host passthrough and passes with the baseline (MIDR: identity finding).
# env: KVM_DIR (build-kvm), KVM_REF (../shared/reference), KVM_CPUS (the 6.12
#      CPU list), KVM_UPDATE_EXPECTED=1 (rewrite the expected files),
#      KVM_SKIP_FETCH=1 (use what fetch.sh left in KVM_DIR), ARMCPU (the x86
#      armcpu computing specs: build/armcpu), KVM_MODELS (models to try; default
#      every realizable one), KVM_SKIP_ARMCPU=1 (only the probe checks)
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

pass=0 fail=0 known=0
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

# ---- armcpu on KVM: library probe, writeback, guest view, migration ----
# (issue 5) armcpu itself, static for arm64, runs in the emulated machines:
# Linux 6.12 on neoverse-n1 (host A) and cortex-a76 (host B). The specs come
# from the x86 side: `armcpu fix` on the embedded qemu-neoverse-n1-linux-6.12
# snapshot, and the fleet baseline of that snapshot and the committed
# tests/kvm/expected/qemu-cortex-a76-linux-6.12.json (the embedded n1 and
# cortex-a72 snapshots have no common spec: FP, AdvSIMD, RAS, VH, ... differ and
# are not writable on 6.12).
rig_section() {
  local rc native a76snap n1snap=qemu-neoverse-n1-linux-6.12 fixn1 base raise m fixm
  echo "== armcpu on KVM (Linux $K612): hosts probe, realize --kvm, migrate"
  if ! grep -q "src/kvm/kvm.c" "$root/meson.build" || ! grep -q "cmd_migrate" "$root/tools/armcpu/main.c"; then
    echo "  SKIP armcpu on KVM: src/kvm and the realize/migrate commands are not wired into meson.build / tools/armcpu/main.c yet"; return
  fi
  "$here/build-armcpu.sh" > "$out/build-armcpu.log" 2>&1
  rc=$?
  if [ $rc = 77 ]; then
    echo "  SKIP armcpu on KVM: the arm64 json-c/cmocka packages cannot be downloaded"; return
  elif [ $rc != 0 ]; then
    bad "cross build of armcpu for arm64 failed:"; tail -n 20 "$out/build-armcpu.log" | sed 's/^/       /'; return
  fi
  if ! grep -q 'migrate save SPEC' "$KVM_DIR/armcpu-arm64"; then
    echo "  SKIP armcpu on KVM: the CLI has no realize/migrate commands yet (tools/armcpu/main.c not wired)"; return
  fi
  native=${ARMCPU:-$root/build/armcpu}
  [ -x "$native" ] || make -C "$root" build > "$out/native-build.log" 2>&1 ||
    { bad "no native $native (make build failed)"; return; }
  MODELS=${KVM_MODELS:-$("$native" models | awk 'NR > 1 && $4 == "yes" { print $1 }' | tr '\n' ' ')}
  MODELS_ON_N1=$("$native" models --host $n1snap)
  a76snap=$EXPECTED/qemu-cortex-a76-linux-6.12.json
  fixn1=$("$native" fix neoverse-n1-v1 --host $n1snap) || { bad "armcpu fix neoverse-n1-v1 failed"; return; }
  base=$("$native" baseline $n1snap "$a76snap" | head -n1)
  case "$base" in neoverse-n1-v1*) ;; *) bad "baseline of $n1snap and cortex-a76: '$base'"; return ;; esac
  raise="$fixn1,feat_SHA3=on"
  local rd=$out/rig-a rdb=$out/rig-b
  rm -rf "$rd" "$rdb" && mkdir -p "$rd" "$rdb"
  {
    echo "run hostsprobe /armcpu hosts probe -o /tmp/local.json"
    echo "cat /tmp/local.json"
    echo "run fix /armcpu realize $fixn1 --kvm --after-run $fixn1,feat_AES=off"
    echo "run raise /armcpu realize $raise --kvm"
    echo "run raise-force /armcpu realize $raise --kvm --force"
    for m in $MODELS; do
      fixm=$("$native" fix "$m" --host $n1snap 2>/dev/null | head -n1)
      echo "run model-$m /armcpu realize $m --kvm"
      echo "run force-$m /armcpu realize $m --kvm --force"
      case "$fixm" in "$m"*) echo "run fixed-$m /armcpu realize $fixm --kvm" ;; esac
    done
    echo "run base /armcpu realize $base --kvm"
    echo "run save-host /armcpu migrate save host -o /tmp/n1-host.json"
    echo "cat /tmp/n1-host.json"
    echo "run save-base /armcpu migrate save $base -o /tmp/n1-base.json"
    echo "cat /tmp/n1-base.json"
  } > "$rd/rig.cmds"
  rig_boot() { # kernel cpu dir -> $rig (the rig output)
    local k=$1 cpu=$2 dir=$3 rc secs
    f="$out/$k-$cpu-rig.txt"; rig="$out/$k-$cpu.rig"
    KVM_QUIET=1 KVM_RIG_DIR=$dir KVM_RIG_OUT=$rig "$here/run.sh" "$k" "$cpu" > "$f" 2> "$f.err"
    rc=$?
    secs=$(cat "$KVM_DIR/logs/$k-$cpu.log.secs" 2>/dev/null || echo "?")
    timing+=("$(printf '%-22s %-20s %5ss  %s' "$k" "$cpu+armcpu" "$secs" "$([ $rc = 0 ] && echo ok || echo "FAILED rc=$rc")")")
    [ $rc = 0 ] || { cat "$f.err" >&2; bad "$cpu: the rig boot failed (see $KVM_DIR/logs/$k-$cpu.log)"; }
    return $rc
  }
  run_out() { awk -v n="$2" '$0 == "ARMCPU-RUN-BEGIN " n {p=1; next} p && /^ARMCPU-RUN-END / {exit} p' "$1"; }
  run_rc() { sed -n "s/^ARMCPU-RUN-END $2 rc=\([0-9]*\)$/\1/p" "$1"; }
  file_out() { awk -v n="$2" '$0 == "ARMCPU-FILE-BEGIN " n {p=1; next} $0 == "ARMCPU-FILE-END " n {exit} p' "$1"; }
  snap_core() { jq -S '{writable_masks, vcpu_features, registers}' "$1"; }
  check_probe() { # rig-out probe-block cpu committed-snapshot
    local r=$1 blk=$2 cpu=$3 want=$4
    file_out "$r" /tmp/local.json > "$out/$cpu-local.json"
    if [ "$(run_rc "$r" hostsprobe)" != 0 ] || ! jq -e . "$out/$cpu-local.json" > /dev/null 2>&1; then
      bad "$cpu: armcpu hosts probe failed:"; run_out "$r" hostsprobe | sed 's/^/       /'; return
    fi
    "$native" hosts import "$blk" --name local -o "$out/$cpu-probe.json" ||
      { bad "$cpu: the probe block does not import"; return; }
    if diff <(snap_core "$out/$cpu-local.json") <(snap_core "$out/$cpu-probe.json") > "$out/diff.txt"; then
      ok "$cpu: armcpu hosts probe = tests/kvm/probe.c (every register, mask, vCPU feature)"
    else
      bad "$cpu: armcpu hosts probe differs from the probe:"; head -n 20 "$out/diff.txt" | sed 's/^/       /'
    fi
    if [ -n "$want" ]; then
      if diff <(snap_core "$out/$cpu-local.json") <(snap_core "$want") > /dev/null; then
        ok "$cpu: the live snapshot equals $(basename "$want" .json)"
      else
        echo "  note $cpu: the live snapshot differs from $(basename "$want" .json) (specs were computed from the latter)"
      fi
    fi
  }
  ioctl_line() { # "N KVM_SET_ONE_REG for M differing" -> "N M"
    run_out "$1" "$2" | sed -n 's/^  KVM ioctls: \([0-9]*\) KVM_SET_ONE_REG for \([0-9]*\) differing.*/\1 \2/p' | head -n1
  }

  # -- host A: neoverse-n1 --
  rig_boot "$K612" neoverse-n1 "$rd" || return
  local ra=$rig
  check_probe "$ra" "$f" neoverse-n1 ""
  if diff <(snap_core "$out/neoverse-n1-local.json") <("$native" hosts show $n1snap | snap_core /dev/stdin) > /dev/null; then
    ok "neoverse-n1: the live snapshot equals the embedded $n1snap"
  else
    echo "  note neoverse-n1: the live snapshot differs from the embedded $n1snap"
  fi
  local o n
  o=$(run_out "$ra" fix)
  if [ "$(run_rc "$ra" fix)" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
    n=$(ioctl_line "$ra" fix)
    ok "n1: realize $fixn1 --kvm: the guest reads the model field by field ($(cut -d' ' -f1 <<< "$n") KVM_SET_ONE_REG for $(cut -d' ' -f2 <<< "$n") differing registers)"
  else
    bad "n1: realize $fixn1 --kvm:"; sed 's/^/       /' <<< "$o"
  fi
  grep -q '^  busy .*EBUSY' <<< "$o" && ok "n1: an ID-register write after KVM_RUN is reported as EBUSY" ||
    bad "n1: no EBUSY after KVM_RUN"
  o=$(run_out "$ra" raise)
  if [ "$(run_rc "$ra" raise)" = 1 ] && grep -q 'REFUSED BEFORE ANY WRITE' <<< "$o" &&
     grep -q '^  KVM ioctls: 0 KVM_SET_ONE_REG' <<< "$o" && grep -q '^  blocked .*ID_AA64ISAR0_EL1.SHA3: wanted 0x1, the vCPU has 0x0' <<< "$o"; then
    ok "n1: raising SHA3 above the host is refused before any write (0 KVM_SET_ONE_REG), naming field, wanted and current"
  else
    bad "n1: realize $raise --kvm:"; sed 's/^/       /' <<< "$o"
  fi
  o=$(run_out "$ra" raise-force)
  if [ "$(run_rc "$ra" raise-force)" = 1 ] && grep -q '^  refused .*ID_AA64ISAR0_EL1.SHA3: .*EINVAL' <<< "$o"; then
    ok "n1: forced, KVM itself refuses the raised SHA3 (EINVAL), reported by field"
  else
    bad "n1: realize $raise --kvm --force:"; sed 's/^/       /' <<< "$o"
  fi
  local blocked refused missing nb=0 nf=0 nu=0
  for m in $MODELS; do
    o=$(run_out "$ra" "model-$m")
    if [ "$(run_rc "$ra" "model-$m")" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
      nu=$((nu + 1))
      grep -q "^  $m .*blocked" <(printf '%s\n' "$MODELS_ON_N1") && bad "$m: usable on the vCPU but the snapshot check calls it blocked"
    elif grep -q 'REFUSED BEFORE ANY WRITE' <<< "$o" && grep -q '^  KVM ioctls: 0 KVM_SET_ONE_REG' <<< "$o"; then
      nb=$((nb + 1))
      blocked=$(awk '$1 == "blocked" { r = $2; sub(/[.:].*/, "", r); print r }' <<< "$o" | sort -u)
      refused=$(run_out "$ra" "force-$m" | awk '$1 == "refused" { r = $2; sub(/[.:].*/, "", r); print r }' | sort -u)
      missing=$(comm -23 <(echo "$blocked") <(echo "$refused") | tr '\n' ' ')
      if [ -z "$missing" ] && [ "$(run_rc "$ra" "force-$m")" = 1 ]; then
        nf=$((nf + 1))
      else
        bad "$m: blocked by the checks but KVM accepted the forced write of: ${missing:-?} (a false 'blocked')"
        run_out "$ra" "force-$m" | sed 's/^/       /'
      fi
    else
      bad "$m: realize --kvm neither passed nor was refused before writing:"; sed 's/^/       /' <<< "$o"
    fi
    if run_out "$ra" "fixed-$m" | grep -q .; then
      if [ "$(run_rc "$ra" "fixed-$m")" = 0 ] && run_out "$ra" "fixed-$m" | grep -q '^result: PASS'; then
        nu=$((nu + 1))
      elif run_out "$ra" "fixed-$m" | grep -q 'REFUSED BEFORE ANY WRITE' &&
           ! run_out "$ra" "fixed-$m" | awk '$1 == "blocked"' | grep -vq '(kvm-rule)'; then
        # apply refuses it before writing by a KVM rule the snapshot checks
        # (src/query/check.c) do not model yet: a known gap, listed loudly
        known=$((known + 1))
        echo "  KNOWN $m: 'armcpu fix' on $n1snap gives a spec KVM refuses; apply says, before any write:"
        run_out "$ra" "fixed-$m" | awk '$1 == "blocked"' | sed 's/^ */       /'
      else
        bad "$m: the fixed spec (armcpu fix on $n1snap) fails on the vCPU:"; run_out "$ra" "fixed-$m" | sed 's/^/       /'
      fi
    fi
  done
  ok "n1: $(echo $MODELS | wc -w) shipped models: $nb blocked and refused before any write, $nf of them refused by KVM itself when forced (every blocked register), $nu usable specs (their 'armcpu fix') read back and seen by the guest exactly"
  o=$(run_out "$ra" base)
  [ "$(run_rc "$ra" base)" = 0 ] && grep -q '^result: PASS' <<< "$o" && ok "n1: the n1+a76 baseline passes in the guest" ||
    { bad "n1: realize $base --kvm:"; sed 's/^/       /' <<< "$o"; }
  for x in host base; do
    [ "$(run_rc "$ra" save-$x)" = 0 ] && file_out "$ra" /tmp/n1-$x.json > "$rdb/n1-$x.json" && jq -e .registers "$rdb/n1-$x.json" > /dev/null &&
      ok "n1: migrate save $x: $(jq '.registers | length' "$rdb/n1-$x.json") registers of KVM_GET_REG_LIST" ||
      { bad "n1: migrate save $x:"; run_out "$ra" save-$x | sed 's/^/       /'; }
  done

  # -- host B: cortex-a76 --
  {
    echo "run hostsprobe /armcpu hosts probe -o /tmp/local.json"
    echo "cat /tmp/local.json"
    echo "run base /armcpu realize $base --kvm"
    echo "run load-host /armcpu migrate load host /n1-host.json"
    echo "run load-base /armcpu migrate load $base /n1-base.json"
  } > "$rdb/rig.cmds"
  rig_boot "$K612" cortex-a76 "$rdb" || return
  local rb=$rig
  check_probe "$rb" "$f" cortex-a76 "$a76snap"
  o=$(run_out "$rb" base)
  [ "$(run_rc "$rb" base)" = 0 ] && grep -q '^result: PASS' <<< "$o" && ok "a76: the n1+a76 baseline passes in the guest" ||
    { bad "a76: realize $base --kvm:"; sed 's/^/       /' <<< "$o"; }
  o=$(run_out "$rb" load-host)
  if [ "$(run_rc "$rb" load-host)" = 1 ] && grep -q '^  feature ' <<< "$o"; then
    ok "migration n1 -> a76 with host passthrough fails on feature fields: $(awk '$1 == "feature" { r = $2; sub(/:$/, "", r); printf "%s ", r }' <<< "$o")"
  else
    bad "migration n1 -> a76 with host passthrough did not fail on feature fields:"; sed 's/^/       /' <<< "$o"
  fi
  o=$(run_out "$rb" load-base)
  if [ "$(run_rc "$rb" load-base)" = 0 ] && grep -q '^result: PASS' <<< "$o" && ! grep -q '^  feature ' <<< "$o" &&
     grep -q '^  identity .*different MIDR' <<< "$o"; then
    ok "migration n1 -> a76 with the baseline passes on every feature register; MIDR is an identity finding ($(grep -o '[0-9]* of [0-9]* saved registers restored' <<< "$o"))"
  else
    bad "migration n1 -> a76 with the baseline:"; sed 's/^/       /' <<< "$o"
  fi

  # -- newest kernel (6.15+): MIDR becomes writable with KVM_CAP_ARM_WRITABLE_IMP_ID_REGS --
  local rc2=$out/rig-c
  rm -rf "$rc2" && mkdir -p "$rc2"
  echo "run midr /armcpu realize $fixn1,cpu_partnum=0xd0b --kvm" > "$rc2/rig.cmds"
  rig_boot "$KBPO" neoverse-n1 "$rc2" || return
  o=$(run_out "$rig" midr)
  if [ "$(run_rc "$rig" midr)" = 0 ] && grep -q '^  written    MIDR_EL1: 0x00000000414fd0c1 -> 0x00000000414fd0b1' <<< "$o" &&
     grep -q '^result: PASS' <<< "$o"; then
    ok "$KBPO: MIDR written (KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled by the scratch VM); the guest reads PartNum 0xd0b"
  else
    bad "$KBPO: realize with cpu_partnum=0xd0b:"; sed 's/^/       /' <<< "$o"
  fi
}
if [ "${KVM_SKIP_ARMCPU:-0}" != 1 ]; then
  rig_section
fi

# ---- summary ----
echo "== boot times (qemu-system-aarch64 TCG, EL2, 1 vCPU, 512 MiB)"
printf '  %s\n' "${timing[@]}"
echo "kvm: $pass passed, $fail failed$([ $known = 0 ] || echo ", $known known gaps (KNOWN above)")"
[ "$fail" = 0 ]
