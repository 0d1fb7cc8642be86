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
#   - the newest trixie-backports kernel, the pinned KVM_EXTRA_KERNELS (6.19.14)
#     and the newest fetched build of each major.minor series of KVM_KERNELS
#     (default "6.18"; "all", as `make check-kvm-all` sets it: every series
#     fetched or with an expected file): masks recorded to (or, once
#     committed, compared with) tests/kvm/expected/kvm-<major.minor>-masks.txt
#     and the shipped table kernels/linux-<major.minor>.masks (masks, and its
#     capabilities line lists KVM_CAP_ARM_WRITABLE_IMP_ID_REGS exactly when
#     the probe sees capability 239); 6.19 kernels are also compared with the
#     shared kvm-6.19 reference.
#   - armcpu itself on KVM (issue 5; build-armcpu.sh cross-builds it): under
#     each kernel of KVM_RIG_KERNELS (6.12), on each host of KVM_RIG_CPUS
#     (neoverse-n1, cortex-a76, cortex-a72 and max; CPU@qemu10 with QEMU 10)
#     that has a snapshot hosts/<qemu>-<cpu>-linux-<major.minor>.json, one
#     boot each: `armcpu hosts probe` equals the probe and the embedded
#     snapshot; every shipped model, its `armcpu fix` and the fleet baseline
#     get their verdict from `armcpu check --host <snapshot>` on x86: usable
#     ones are applied and read exactly by a guest (`realize --kvm`), blocked
#     ones are refused before any write (same fields) and, forced, refused by
#     KVM on every blocked register; raising a field is refused; on the
#     migration pair's source EBUSY after KVM_RUN and aarch32=off; a migration
#     rehearsal SRC -> DST (KVM_MIGRATE_PAIR, n1 -> a76) fails with host
#     passthrough and passes with their baseline (MIDR: identity finding); on
#     the newest kernel (KVM_RIG_NEWEST) MIDR is writable and the pair
#     migrates with MIDR/REVIDR/AIDR pinned.
#   - a rolling kernel upgrade (tests/kvm/upgrade.sh, booted in the background
#     meanwhile): for each host of KVM_UPGRADE_CPUS, `armcpu plan SNAPSHOT
#     --from A --to B` on x86, then a boot under A (migrate save of host
#     passthrough and of plan's spec) and one under B (migrate load of both)
#     of the same emulated CPU: KVM must do what plan says.
#   - the guest views (tests/kvm/views.sh, x86 only): for every probe block of
#     the run, the view armcpu derives for its kernel from QEMU's raw values of
#     the emulated core (../shared/reference/core-idregs.json, QEMU's board
#     adjustments as tests/unit/test_views.c makes them) equals what KVM showed
#     on every known field; the unknown fields are exactly test_views.c's
#     UNKNOWABLE ones ('max' has no raw values: skipped).
# env: KVM_DIR (build-kvm), KVM_REF (../shared/reference), KVM_CPUS (the 6.12
#      CPU list), KVM_UPDATE_EXPECTED=1 (rewrite the expected files),
#      KVM_SKIP_FETCH=1 (use what fetch.sh left in KVM_DIR), ARMCPU (the x86
#      armcpu computing specs: build/armcpu), KVM_MODELS (models to try; default
#      every realizable one), KVM_SKIP_ARMCPU=1 (only the probe checks),
#      KVM_RIG_CPUS (the hosts armcpu runs on, CPU[@qemu10]; default
#      neoverse-n1 cortex-a76 cortex-a72 max,pauth-impdef=on), KVM_RIG_KERNELS
#      (the kernels it runs under: major.minor series, fetched versions, suite
#      names or "newest"; default 6.12), KVM_MIGRATE_PAIR ("SRC DST", hosts of
#      KVM_RIG_CPUS; default "neoverse-n1 cortex-a76"; empty: no rehearsal),
#      KVM_RIG_NEWEST (the kernel of the MIDR checks, 6.15+; default newest;
#      empty: none), KVM_SNAPSHOT_DIR (where their
#      <qemu>-<cpu>-linux-<major.minor>.json snapshots are read: hosts/; a
#      missing one is a SKIP, a FAIL for a default host under 6.12), KVM_KERNELS
#      (the extra major.minor series booted, also fetched by fetch.sh; "all"),
#      KVM_EXTRA_KERNELS (pinned suite:package kernels, as for fetch.sh),
#      KVM_UPGRADE_CPUS (the upgrade rehearsal's hosts, CPU[@qemu10]; default
#      "neoverse-n1 neoverse-v1,pauth-qarma5=on@qemu10"; empty: none),
#      KVM_UPGRADE_FROM / KVM_UPGRADE_TO (its kernels A and B: 6.12, newest)
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
# the same defaults as fetch.sh's
export KVM_KERNELS=${KVM_KERNELS-"6.18"}
export KVM_EXTRA_KERNELS=${KVM_EXTRA_KERNELS-"trixie-backports:linux-image-6.19.14+deb13-arm64"}
# the armcpu part (rig_section): its hosts CPU[@qemu10], kernels, migration
# pair and MIDR-pinning kernel; the defaults are the default set (a missing
# snapshot there is a FAIL, elsewhere a SKIP)
rig_cpus_default="neoverse-n1 cortex-a76 cortex-a72 max,pauth-impdef=on"
rig_kernels_default=6.12
rig_pair_default="neoverse-n1 cortex-a76"
rig_pair_given=${KVM_MIGRATE_PAIR+yes}
KVM_RIG_CPUS=${KVM_RIG_CPUS:-$rig_cpus_default}
KVM_RIG_KERNELS=${KVM_RIG_KERNELS:-$rig_kernels_default}
KVM_MIGRATE_PAIR=${KVM_MIGRATE_PAIR-$rig_pair_default}
KVM_RIG_NEWEST=${KVM_RIG_NEWEST-newest}

pass=0 fail=0 skipped=0
timing=()
ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
bad() { echo "  FAIL $*"; fail=$((fail + 1)); }
# a known library gap, named and counted, not a failure (the summary says how many)
known() { echo "  KNOWN $*"; known_gaps=$((known_gaps + 1)); }
known_gaps=0

# ---- kernels ----
if [ "${KVM_SKIP_FETCH:-0}" != 1 ]; then
  # the major.minor series the armcpu part boots are fetched too (not probed
  # as KVM_KERNELS' are); those of the suites' kernels are there anyway
  fetch_series=$KVM_KERNELS
  for x in $KVM_RIG_KERNELS $KVM_RIG_NEWEST; do
    [ "$fetch_series" != all ] || break
    x=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<< "$x")
    for s in bookworm trixie; do
      [ "$x" != "$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' "$KVM_DIR/kernels/$s.ver" 2> /dev/null)" ] || x=""
    done
    [ -z "$x" ] || [[ " $fetch_series " == *" $x "* ]] || fetch_series+="${fetch_series:+ }$x"
  done
  KVM_KERNELS=$fetch_series "$here/fetch.sh"
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
  timing+=("$(printf '%-22s %-28s %5ss  %s' "$k" "$cpu" "$secs" "$([ $rc = 0 ] && echo ok || echo "FAILED rc=$rc")")")
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
  local deb pkg dver suite
  # "<package> <Debian version> <suite>", written by fetch.sh
  read -r pkg dver suite < "$KVM_DIR/kernels/$3/debian" 2>/dev/null || pkg=""
  [ -n "$pkg" ] && deb="Debian arm64 kernel package $pkg $dver, $suite" || deb="Debian arm64 kernel"
  {
    echo "# Writable masks (KVM_ARM_GET_REG_WRITABLE_MASKS, feature ID range) reported by Linux $3"
    echo "# ($deb) inside qemu-system-aarch64 $("${QEMU:-qemu-system-aarch64}" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG, -cpu $4, virtualization=on;"
    echo "# measured by tests/kvm/check.sh (probe.c). Columns: (op0,op1,crn,crm,op2) mask; all 192 encodings."
    masks_of "$1"
  } > "$2"
}
# compare masks of probe file $1 with expected file $2 (normalised lists)
same_masks() { diff <(masks_of "$1") "$2" > "$out/diff.txt"; }
# the shipped table kernels/linux-<mm>.masks (make masks) against a probe:
# the same masks, and KVM_CAP_ARM_WRITABLE_IMP_ID_REGS listed exactly when
# the probe sees capability 239. Only a note while the expected files are
# being (re)written: `make masks` comes after.
table_ok() { # probe-file major.minor label
  local t=$root/kernels/linux-$2.masks c caps have=no want=no say=bad
  [ "$UPDATE" = 1 ] || [ "${4:-}" = recorded ] && say=note_
  if [ ! -f "$t" ]; then
    $say "$3: no shipped table kernels/linux-$2.masks (make masks)"; return
  fi
  if same_masks "$1" <(grep -v '^#' "$t"); then
    ok "$3: masks equal the shipped kernels/linux-$2.masks"
  else
    $say "$3: masks differ from the shipped kernels/linux-$2.masks (make masks):"; sed 's/^/       /' "$out/diff.txt"
  fi
  c=$(cap_of "$1" 239)
  caps=$(sed -n 's/^# capabilities: *//p' "$t")
  [ "${c:-0}" -gt 0 ] 2>/dev/null && want=yes
  grep -qw KVM_CAP_ARM_WRITABLE_IMP_ID_REGS <<< "$caps" && have=yes
  if [ $want = $have ]; then
    ok "$3: capability 239 (WRITABLE_IMP_ID_REGS) = ${c:-?}; linux-$2.masks capabilities: ${caps:-none}"
  else
    $say "$3: capability 239 = '${c}' but linux-$2.masks lists capabilities '${caps}'"
  fi
}
note_() { echo "  note $*"; }
# the rolling-upgrade rehearsal (upgrade_start / upgrade_finish) and
# armcpu_cross_build
. "$here/upgrade.sh"
# the guest views derived from QEMU's raw CPU values against each probe block
# (views_begin / views_check / views_end; sourcing stamps the start of the run)
. "$here/views.sh"

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
  [ -n "$first" ] || table_ok "$f" 6.12 "$cpu"
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
  grep -q '^# masks: no$' "$root/kernels/linux-6.1.masks" 2>/dev/null &&
    ok "6.1: the shipped kernels/linux-6.1.masks says 'masks: no'" || bad "6.1: kernels/linux-6.1.masks does not say 'masks: no'"
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
  local rec=""
  if [ ! -f "$exp" ] || [ "$UPDATE" = 1 ]; then
    write_expected "$f" "$exp" "$u" neoverse-n1
    echo "  note recorded the $u masks to tests/kvm/expected/kvm-$mm-masks.txt"
    rec=recorded
  elif same_masks "$f" <(expected_masks "$exp"); then
    ok "$k: masks equal tests/kvm/expected/kvm-$mm-masks.txt"
  else
    bad "$k: masks differ from kvm-$mm-masks.txt:"; sed 's/^/       /' "$out/diff.txt"
  fi
  table_ok "$f" "$mm" "$k" $rec
  if [ -f "$KVM_REF/kvm-$mm-writable-masks.txt" ]; then
    if same_masks "$f" <(ref_masks "$KVM_REF/kvm-$mm-writable-masks.txt"); then
      ok "$k: masks equal the shared reference kvm-$mm-writable-masks.txt"
    else
      bad "$k: masks differ from the shared reference kvm-$mm-writable-masks.txt:"; sed 's/^/       /' "$out/diff.txt"
    fi
  fi
}
check_newer "$KBPO" "newest trixie-backports"
# the other kernels: the pinned KVM_EXTRA_KERNELS and the newest fetched build
# of each series of KVM_KERNELS ("all": every series fetched or with a
# committed expected file)
mm_of() { sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<< "$1"; }
newest_of() { # major.minor -> newest fetched kernel of that series
  local v
  for v in $(cd "$KVM_DIR/kernels" && ls -d "$1".*/ 2>/dev/null | tr -d /); do
    [ "$(mm_of "$v")" = "$1" ] && [ -s "$KVM_DIR/kernels/$v/vmlinuz" ] && echo "$v"
  done | sort -V | tail -n1
}
declare -A label=()
for e in $KVM_EXTRA_KERNELS; do
  k=${e#*:}; k=${k#linux-image-}; k=${k#linux-binary-}
  [ -s "$KVM_DIR/kernels/$k/vmlinuz" ] && label[$k]="pinned ${e#*:}"
done
series=$KVM_KERNELS
if [ "$series" = all ]; then
  series=$( { for d in "$KVM_DIR"/kernels/*/; do [ -s "$d/vmlinuz" ] && mm_of "$(basename "$d")"; done
              for x in "$EXPECTED"/kvm-*-masks.txt; do [ -f "$x" ] && basename "$x" | sed 's/^kvm-//; s/-masks.txt$//'; done
            } | sort -uV)
fi
for mm in $series; do
  case "$mm" in "$(mm_of "$K61")"|"$(mm_of "$K612")"|"$(mm_of "$KBPO")") continue ;; esac
  k=$(newest_of "$mm")
  if [ -z "$k" ]; then
    echo "== Linux $mm"
    echo "  SKIP no $mm.* kernel fetched (none in the trixie-backports index? see fetch.sh's log)"
    skipped=$((skipped + 1)); continue
  fi
  label[$k]="newest $mm fetched${label[$k]:+, ${label[$k]}}"
done
for k in $(printf '%s\n' "${!label[@]}" | sort -V); do
  case "$k" in "$K61"|"$K612"|"$KBPO") continue ;; esac
  check_newer "$k" "${label[$k]}"
done

# ---- the views armcpu derives from QEMU's raw CPU values (views.sh) ----
# For every probe block above (and, after the armcpu part, those of its boots
# and of the upgrade rehearsal's): the guest view `armcpu hosts import LISTING
# --view host --kernel <major.minor>` derives from the emulated core's raw
# values (core-idregs.json with QEMU's board adjustments, as
# tests/unit/test_views.c makes them) must equal what KVM showed on every known
# field, and be unknown on exactly test_views.c's UNKNOWABLE fields. On the
# x86 side only: no boot.
views_probe_boots() {
  local qm k cpu
  views_begin "${ARMCPU:-$root/build/armcpu}" "views: armcpu's guest view of QEMU's raw CPU values = what KVM showed (the boots above)" || return
  qm=$(views_qemu_major "${QEMU:-qemu-system-aarch64}")
  for cpu in $KVM_CPUS; do views_check "$out/$K612-$cpu.txt" "$cpu" "$qm"; done
  views_check "$out/$K61-neoverse-n1.txt" neoverse-n1 "$qm"
  views_check "$out/$KBPO-neoverse-n1.txt" neoverse-n1 "$qm"
  for k in $(printf '%s\n' "${!label[@]}" | sort -V); do
    case "$k" in "$K61"|"$K612"|"$KBPO") continue ;; esac
    views_check "$out/$k-neoverse-n1.txt" neoverse-n1 "$qm"
  done
}
views_probe_boots
views_later_boots() { # the armcpu part's boots, the upgrade rehearsal's (QEMU 10 among them)
  local cpu l side p q
  views_begin "${ARMCPU:-$root/build/armcpu}" "views: the same for the armcpu and upgrade boots (CPUs and QEMUs not probed above)" || return
  for l in "${rig_views[@]}"; do # probe-block TAB cpu TAB qemu (rig_boot)
    IFS=$'\t' read -r p cpu q <<< "$l"
    views_check "$p" "$cpu" "$(views_qemu_major "$q")" "armcpu boot"
  done
  for l in "${up_hosts[@]}"; do
    for side in A B; do
      views_check "$up_dir/$l/$side.txt" "${up_cpu[$l]}" "$(views_qemu_major "${up_qemu[$l]}")" "upgrade boot $side"
    done
  done
  # the CTR_EL0 boots of QEMU 10's neoverse-n2 (6.1 among them: never trapped)
  for l in ${ctr_ks:-}; do
    views_check "$ctr_dir/$l/probe.txt" "neoverse-n2,pauth-qarma5=on" 10 "CTR boot"
  done
  views_end
}

# ---- armcpu on KVM: library probe, writeback, guest view, migration ----
# (issue 5) armcpu itself, static for arm64, runs in the emulated machines:
# under each kernel of KVM_RIG_KERNELS (default 6.12), one boot per host of
# KVM_RIG_CPUS (CPU, or CPU@qemu10 booted with QEMU 10), each with its embedded
# snapshot hosts/<qemu>-<cpu>-linux-<major.minor>.json (<qemu>: qemu, or qemu10
# for CPU@qemu10; <cpu>: CPU up to its first comma; make snapshots). A host
# without a snapshot under a kernel is a SKIP there (a FAIL in the default set:
# the default hosts under the default kernel). Every verdict comes from the x86
# side (`armcpu check SPEC --host SNAPSHOT`), every spec is then tried on the
# host's real KVM in one boot per host and kernel:
#   usable  -> `realize SPEC --kvm` must pass: written, read back, and the
#              guest reads every field (no false "usable");
#   blocked -> `realize SPEC --kvm` must refuse it before any write, naming
#              exactly the fields the snapshot check blocks, and
#              `realize SPEC --kvm --force` must be refused by KVM itself on
#              every register the check blocks (no false "blocked").
# Specs: every realizable shipped model, its `armcpu fix` on that host (usable
# by construction), the fleet baseline (of the hosts' snapshots or, when they
# have none, of the largest subset that has one) and the baseline of the
# migration pair KVM_MIGRATE_PAIR="SRC DST"; plus a field raised above the host
# (refused). On SRC (without a pair: the first host) also `realize --after-run`
# (EBUSY) and aarch32=off; SRC saves host passthrough and the pair baseline,
# DST (booted after it) loads them. Then, under KVM_RIG_NEWEST, MIDR written on
# SRC and the MIDR-pinning rehearsal SRC -> DST (rig_newest).
# The model `armcpu fix` fits to each host for the raised field and SRC's
# checks (any model serves: fix takes it down to the host).
rig_fix_model=neoverse-n1-v1
rig_skipped=0 rig_views=()
declare -A rig_snap=() # "<major.minor>|HOST" -> the snapshot of HOST the verdicts under that kernel came from
# the name of a host in messages: neoverse-n1 -> n1, max,pauth-impdef=on -> max,
# neoverse-v1,pauth-qarma5=on@qemu10 -> v1@qemu10
rig_short() {
  local c=${1%@*}
  c=${c%%,*}
  echo "${c##*-}$([ "${1%@*}" = "$1" ] || echo "@${1##*@}")"
}
# QEMU 10 for the CPU@qemu10 hosts, fetched once (upgrade.sh's up_qemu10):
# true with $up_qemu10 its wrapper, false when it cannot be fetched
rig_qemu10() {
  local rc
  if [ -z "$up_qemu10" ]; then
    up_qemu10=$("$here/fetch-qemu.sh" 2>> "$out/fetch-qemu.log")
    rc=$?
    if [ $rc != 0 ] || [ ! -x "$up_qemu10" ]; then
      [ $rc = 77 ] || { bad "fetch-qemu.sh failed (exit $rc):"; tail -n 5 "$out/fetch-qemu.log" | sed 's/^/       /'; }
      up_qemu10=skip
    fi
  fi
  [ "$up_qemu10" != skip ]
}
rig_section() {
  local rc native e cpu qt kk k o allmodels rig_ks=() hosts=() order=() pair=() msrc="" mdst="" ms="" md="" hdr=""
  local -A hcpu=() hpre=() hq=()
  for kk in $KVM_RIG_KERNELS; do
    k=$(up_kernel "$kk")
    [ -z "$k" ] || { rig_ks+=("$k"); hdr+="${hdr:+, }$k"; }
  done
  echo "== armcpu on KVM (Linux ${hdr:-none}): hosts probe, realize --kvm on ${KVM_RIG_CPUS// /, }; migrate${KVM_MIGRATE_PAIR:+ $(sed 's/ \+/ -> /' <<< "$KVM_MIGRATE_PAIR")}"
  for kk in $KVM_RIG_KERNELS; do
    [ -z "$(up_kernel "$kk")" ] || continue
    echo "  SKIP armcpu on KVM under '$kk' (KVM_RIG_KERNELS): no such kernel fetched (fetch.sh fetches the major.minor series listed; not with KVM_SKIP_FETCH=1)"
    rig_skipped=$((rig_skipped + 1))
  done
  if ! grep -q "src/kvm/kvm.c" "$root/meson.build" || ! grep -q "cmd_migrate" "$root/tools/armcpu/main.c"; then
    echo "  SKIP armcpu on KVM: src/kvm and the realize/migrate commands are not wired into meson.build / tools/armcpu/main.c yet"; return
  fi
  : > "$out/build-armcpu.log"
  armcpu_cross_build "$out/build-armcpu.log"
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
  # armcpu's answers (check, fix, baseline): exit 0 yes, 4 yes with some
  # fields unknown, 3 no; true for a yes
  answer() { "$native" "$@"; local rc=$?; [ $rc = 0 ] || [ $rc = 4 ]; }
  MODELS=${KVM_MODELS:-$("$native" models | awk 'NR > 1 && $4 == "yes" { print $1 }' | tr '\n' ' ')}
  allmodels=$("$native" models | awk 'NR > 1 { print $1 }' | tr '\n' ' ')
  # the rolling-upgrade rehearsal: its verdicts now, its boots in the
  # background while the ones below run (upgrade_finish reports it)
  upgrade_start "$native"
  ctr_guest_rig start "$native"

  # -- the hosts: CPU (the system QEMU) or CPU@qemu10 --
  for e in $KVM_RIG_CPUS; do
    cpu=${e%@*} qt=""
    [ "$cpu" = "$e" ] || qt=${e##*@}
    case $qt in
      "") hpre[$e]=qemu hq[$e]=${QEMU:-qemu-system-aarch64} ;;
      qemu10)
        if ! rig_qemu10; then
          echo "  SKIP $e: QEMU 10 cannot be fetched (fetch-qemu.sh; see $out/fetch-qemu.log)"
          rig_skipped=$((rig_skipped + 1)); continue
        fi
        hpre[$e]=qemu10 hq[$e]=$up_qemu10 ;;
      *) bad "$e (KVM_RIG_CPUS): unknown QEMU '@$qt' (only @qemu10)"; continue ;;
    esac
    hcpu[$e]=$cpu hosts+=("$e")
  done
  [ ${#hosts[@]} -gt 0 ] || return
  # -- the migration pair: SRC saves, DST loads; both hosts of KVM_RIG_CPUS --
  read -r -a pair <<< "$KVM_MIGRATE_PAIR"
  if [ ${#pair[@]} = 0 ]; then
    echo "  note no migration rehearsal: KVM_MIGRATE_PAIR is empty"
  elif [ ${#pair[@]} != 2 ] || [ "${pair[0]}" = "${pair[1]}" ]; then
    bad "KVM_MIGRATE_PAIR='$KVM_MIGRATE_PAIR': want two different hosts, SRC DST"
  elif [[ " $KVM_RIG_CPUS " != *" ${pair[0]} "* || " $KVM_RIG_CPUS " != *" ${pair[1]} "* ]]; then
    if [ -n "$rig_pair_given" ]; then
      bad "KVM_MIGRATE_PAIR='$KVM_MIGRATE_PAIR': both must be hosts of KVM_RIG_CPUS ($KVM_RIG_CPUS)"
    else
      echo "  SKIP the migration rehearsal ${pair[0]} -> ${pair[1]} (the default KVM_MIGRATE_PAIR): not both in KVM_RIG_CPUS"
      rig_skipped=$((rig_skipped + 1))
    fi
  elif [ -z "${hcpu[${pair[0]}]:-}" ] || [ -z "${hcpu[${pair[1]}]:-}" ]; then
    echo "  SKIP the migration rehearsal ${pair[0]} -> ${pair[1]}: one of them is skipped (above)"
  else
    msrc=${pair[0]} mdst=${pair[1]}
    ms=$(rig_short "$msrc") md=$(rig_short "$mdst")
  fi
  # SRC boots first (it saves the migration state), the others in list order
  [ -z "$msrc" ] || order=("$msrc")
  for e in "${hosts[@]}"; do [ "$e" = "$msrc" ] || order+=("$e"); done

  rig_boot() { # kernel host dir [newest] -> $rig (the rig output), $f (its probe block)
    local k=$1 e=$2 dir=$3 cpu=${hcpu[$2]} p="" tag="" w=${4:+-$4} rc secs
    # QEMU 10's files and logs are tagged (qemu10-...), the newest part's too
    [ "${hpre[$e]}" = qemu ] || { p=${hpre[$e]}- tag=${hpre[$e]}-rig; }
    [ -z "${4:-}" ] || tag=$p$4
    f="$out/$p$k-$cpu$w-rig.txt"; rig="$out/$p$k-$cpu$w.rig"
    QEMU=${hq[$e]} KVM_QUIET=1 KVM_LOG_TAG=$tag KVM_RIG_DIR=$dir KVM_RIG_OUT=$rig "$here/run.sh" "$k" "$cpu" > "$f" 2> "$f.err"
    rc=$?
    rig_views+=("$f"$'\t'"$cpu"$'\t'"${hq[$e]}")
    secs=$(cat "$KVM_DIR/logs/${tag:+$tag-}$k-$cpu.log.secs" 2>/dev/null || echo "?")
    timing+=("$(printf '%-22s %-28s %5ss  %s' "$k" "$e+armcpu${4:+ $4}" "$secs" "$([ $rc = 0 ] && echo ok || echo "FAILED rc=$rc")")")
    [ $rc = 0 ] || { cat "$f.err" >&2; bad "$e: the rig boot failed (see $KVM_DIR/logs/${tag:+$tag-}$k-$cpu.log)"; }
    return $rc
  }
  run_out() { awk -v n="$2" '$0 == "ARMCPU-RUN-BEGIN " n {p=1; next} p && /^ARMCPU-RUN-END / {exit} p' "$1"; }
  run_rc() { sed -n "s/^ARMCPU-RUN-END $2 rc=\([0-9]*\)$/\1/p" "$1"; }
  file_out() { awk -v n="$2" '$0 == "ARMCPU-FILE-BEGIN " n {p=1; next} $0 == "ARMCPU-FILE-END " n {exit} p' "$1"; }
  snap_core() { jq -S '{writable_masks, vcpu_features, vcpu_config, registers}' "$1"; }
  # the fields an `armcpu check --json` blocks, as REG.FIELD, one a line
  check_blocked() { jq -r '.fields[] | select(.blocks) | .sysreg' | sed 's/^SYSREG_\(.*_EL[0-3]\)_\(.*\)$/\1.\2/' | sort -u; }
  regs_of() { sed 's/[.:].*//' | sort -u; }
  check_probe() { # rig-out probe-block label committed-snapshot dir
    local r=$1 blk=$2 lab=$3 want=$4 dir=$5
    file_out "$r" /tmp/local.json > "$dir/local.json"
    if [ "$(run_rc "$r" hostsprobe)" != 0 ] || ! jq -e . "$dir/local.json" > /dev/null 2>&1; then
      bad "$lab: armcpu hosts probe failed:"; run_out "$r" hostsprobe | sed 's/^/       /'; return
    fi
    "$native" hosts import "$blk" --name local -o "$dir/probe.json" ||
      { bad "$lab: the probe block does not import"; return; }
    if diff <(snap_core "$dir/local.json") <(snap_core "$dir/probe.json") > "$out/diff.txt"; then
      ok "$lab: armcpu hosts probe = tests/kvm/probe.c (every register, mask, vCPU feature, vCPU configuration item)"
    else
      bad "$lab: armcpu hosts probe differs from the probe:"; head -n 20 "$out/diff.txt" | sed 's/^/       /'
    fi
    if diff <(snap_core "$dir/local.json") <(snap_core "$want") > "$out/diff.txt"; then
      ok "$lab: the live snapshot equals the embedded $(basename "$want" .json) (the verdicts below come from it)"
    else
      bad "$lab: the live snapshot differs from $(basename "$want" .json), which the verdicts come from (make snapshots):"
      head -n 20 "$out/diff.txt" | sed 's/^/       /'
    fi
  }
  ioctl_line() { # "N KVM_SET_ONE_REG for M differing" -> "N M"
    run_out "$1" "$2" | sed -n 's/^  KVM ioctls: \([0-9]*\) KVM_SET_ONE_REG for \([0-9]*\) differing.*/\1 \2/p' | head -n1
  }
  # a spec usable on SNAP plus one LOWER field raised above the host's value
  # (0 -> 1, writable): "SPEC REG.FIELD"
  raise_of() {
    local snap=$1 fx c
    fx=$(answer fix "$rig_fix_model" --host "$snap" | head -n1)
    for c in ID_AA64ISAR0_EL1.SHA3 ID_AA64ISAR1_EL1.XS ID_AA64ISAR2_EL1.BC ID_AA64ISAR2_EL1.MOPS; do
      if { "$native" check "$fx,SYSREG_${c/./_}=0x1" --host "$snap" --json || true; } |
         jq -e --arg s "SYSREG_${c/./_}" '[.fields[] | select(.blocks)] | length == 1 and .[0].sysreg == $s and
           .[0].verdict == "over-promise" and .[0]["host-value"] == "0x0"' > /dev/null; then
        echo "$fx,SYSREG_${c/./_}=0x1 $c"; return
      fi
    done
  }
  add_spec() { # name spec -> specs.tsv line "name verdict spec"; the fields it blocks in $dm/name.blocked
    local j
    # exit 0 usable, 4 usable with unknown fields, 3 blocked
    j=$("$native" check "$2" --host "$snap" --json 2> "$dm/$1.check.err")
    case $? in 0|3|4) ;; *) bad "$lab: armcpu check $2 failed: $(cat "$dm/$1.check.err")"; return ;; esac
    check_blocked <<< "$j" > "$dm/$1.blocked"
    echo "$j" > "$dm/$1.check.json"
    printf '%s\t%s\t%s\n' "$1" "$(jq -r 'if .answer == "blocked" then "blocked" else "usable" end' <<< "$j")" "$2" >> "$entries"
  }

  for k in "${rig_ks[@]}"; do rig_kernel "$k"; done
  rig_newest
}

# -- the armcpu part under one kernel: every host of KVM_RIG_CPUS with a snapshot of it --
rig_kernel() { # kernel (called by rig_section: its hosts, pair and helpers)
  local k=$1 mm kp="" lab snap s m d dm r name verdict entries raise rfield n nu nb nbad nkept want got miss
  local cpus=() snaps=() single="" ss="" ssnap="" dsnap="" fixs="" pairbase="" pairname="" fleet="" fleetnote="" dflt=""
  local -A snapof=()
  mm=$(mm_of "$k")
  [ ${#rig_ks[@]} = 1 ] || { kp="$k "; echo "-- Linux $k"; }
  [ "$mm" != "$rig_kernels_default" ] || dflt=yes
  # -- the hosts' snapshots under this kernel --
  for e in "${order[@]}"; do
    cpu=${hcpu[$e]}
    snap=${KVM_SNAPSHOT_DIR:-$root/hosts}/${hpre[$e]}-${cpu%%,*}-linux-$mm.json
    if [ ! -f "$snap" ]; then
      if [ -n "$dflt" ] && [[ " $rig_cpus_default " == *" $e "* ]]; then
        bad "$kp$e: no snapshot $(basename "$snap") (make snapshots)"
      else
        echo "  SKIP $kp$e: no snapshot $(basename "$snap") (make snapshots$([ "${hpre[$e]}" = qemu ] || echo " with QEMU=\$(tests/kvm/fetch-qemu.sh)")): not booted under $k"
        rig_skipped=$((rig_skipped + 1))
      fi
      continue
    fi
    snapof[$e]=$snap snaps+=("$snap") cpus+=("$e") rig_snap[$mm|$e]=$snap
  done
  [ ${#snaps[@]} -gt 0 ] || return
  # SRC's single-host checks; without a pair, on the first host
  single=${msrc:-${cpus[0]}} ss=$(rig_short "${msrc:-${cpus[0]}}")
  if [ -n "$msrc" ]; then
    ssnap=${snapof[$msrc]:-} dsnap=${snapof[$mdst]:-} pairname="$ms+$md"
    [ -n "$ssnap" ] && [ -n "$dsnap" ] ||
      echo "  SKIP ${kp}the migration rehearsal $ms -> $md: no snapshot of $([ -n "$ssnap" ] && echo "$mdst" || echo "$msrc") under $k (above)"
  fi

  # -- the fleet baseline: all hosts, else the largest subsets that have one --
  local nh=${#snaps[@]} mask size i sub names
  if fleet=$(answer baseline "${snaps[@]}" 2> /dev/null | head -n1) && [ -n "$fleet" ]; then
    fleetnote="the baseline of the $nh host$([ $nh = 1 ] || echo s)"
  else
    fleet=""
    for ((size = nh - 1; size >= 2; size--)); do
      for ((mask = 1; mask < (1 << nh); mask++)); do
        sub=() names=""
        for ((i = 0; i < nh; i++)); do
          (( mask >> i & 1 )) && { sub+=("${snaps[$i]}"); names+="$(basename "${snaps[$i]}" .json) "; }
        done
        [ ${#sub[@]} = "$size" ] || continue
        if s=$(answer baseline "${sub[@]}" 2> /dev/null | head -n1) && [ -n "$s" ]; then
          fleet=$s; fleetnote="the $nh hosts have no common spec ($("$native" baseline "${snaps[@]}" 2>&1 |
            awk 'NR > 1 && $1 != "identity:" { sub(/:$/, "", $1); printf "%s%s", n++ ? " " : "", $1 }' | cut -c1-120)...); the baseline of the largest subset that has one: ${names% }"
          break
        fi
      done
      [ -z "$fleet" ] || break
    done
    [ -n "$fleet" ] || fleetnote="no two of the $nh hosts have a common spec: no fleet baseline"
  fi
  echo "  ${kp}fleet baseline: $fleetnote${fleet:+: $fleet}"
  # -- the pair's baseline: a shipped model's spec, usable on both (the default
  #    set must have one; another pair may have none: then only host
  #    passthrough is rehearsed) --
  if [ -n "$ssnap" ] && [ -n "$dsnap" ]; then
    o=$("$native" baseline "$ssnap" "$dsnap" 2> "$out/pair-baseline.err")
    rc=$?
    pairbase=$(head -n1 <<< "$o")
    # hosts whose SVE vector lengths differ (issue 13 item 8): the pair's spec
    # has the lengths both have; `armcpu baseline` does not set them yet, so
    # they are added here
    local svs0 svd0 common="" i sa=() sd=()
    svs0=$(jq -r '.vcpu_config.sve_vls // empty' "$ssnap") svd0=$(jq -r '.vcpu_config.sve_vls // empty' "$dsnap")
    if [ $rc != 3 ] && [ -n "$pairbase" ] && [ -n "$svs0" ] && [ -n "$svd0" ] && [ "$svs0" != "$svd0" ] &&
       ! grep -Eq '(^|,)sve[0-9]+=on' <<< "$pairbase"; then
      IFS=, read -r -a sa <<< "$svs0"; IFS=, read -r -a sd <<< "$svd0"
      for ((i = 0; i < ${#sa[@]} && i < ${#sd[@]}; i++)); do
        [ "${sa[$i]}" = "${sd[$i]}" ] || break
        common+=",sve${sa[$i]}=on"
      done
      if [ -n "$common" ]; then
        pairbase+=$common
        echo "  note ${kp}$ms has vector lengths $svs0, $md $svd0: the $ms+$md baseline sets none, the pair's spec adds the common ones (${common#,})"
      fi
    fi
    if [ $rc = 3 ] && ! { [ -n "$dflt" ] && [ "$msrc $mdst" = "$rig_pair_default" ]; }; then
      echo "  note ${kp}$ms and $md have no common spec ($(awk 'NR > 1 && $1 != "identity:" { sub(/:$/, "", $1); printf "%s%s", n++ ? " " : "", $1 }' <<< "$o")): the migration $ms -> $md is rehearsed with host passthrough only"
      pairbase=""
    elif { [ $rc != 0 ] && [ $rc != 4 ]; } || [[ " $allmodels " != *" ${pairbase%%,*} "* ]] ||
         ! answer check "$pairbase" --host "$ssnap" > /dev/null 2>&1 || ! answer check "$pairbase" --host "$dsnap" > /dev/null 2>&1; then
      bad "${kp}baseline of the $ms and $md snapshots: '$pairbase' (exit $rc; a shipped model's spec usable on both wanted) $(cat "$out/pair-baseline.err")"
      pairbase=""
    fi
  fi
  if [ -n "${snapof[$single]:-}" ]; then
    fixs=$(answer fix "$rig_fix_model" --host "${snapof[$single]}" | head -n1)
    case "$fixs" in "$rig_fix_model"*) ;; *) bad "$kp$single: armcpu fix $rig_fix_model gave no spec: '$fixs'"; fixs="" ;; esac
  fi

  # -- one boot per host: build its command list from the x86 verdicts --
  for e in "${cpus[@]}"; do
    snap=${snapof[$e]} cpu=${hcpu[$e]} lab=$kp$e
    d=$out/rig-$mm-${hpre[$e]}-${cpu%%,*} dm=$out/rig-$mm-${hpre[$e]}-${cpu%%,*}.specs # d: appended to the initramfs
    rm -rf "$d" "$dm" && mkdir -p "$d" "$dm"
    entries=$dm/specs.tsv; : > "$entries"
    for m in $MODELS; do
      add_spec "model-$m" "$m"
      s=$(answer fix "$m" --host "$snap" 2> /dev/null | head -n1)
      case "$s" in "$m"*) add_spec "fixed-$m" "$s" ;; *) bad "$lab: armcpu fix $m --host $(basename "$snap" .json) gave no spec" ;; esac
    done
    [ -z "$fleet" ] || add_spec fleet-base "$fleet"
    [ -z "$pairbase" ] || [ "$pairbase" = "$fleet" ] || add_spec pair-base "$pairbase"
    # the vCPU's features come from the spec (issue 13): host passthrough
    # without SVE / a PMU / pointer auth the host has, on a vCPU created so
    pfr0=$(jq -r '.registers.ID_AA64PFR0_EL1.value // "0x0"' "$snap")
    dfr0=$(jq -r '.registers.ID_AA64DFR0_EL1.value // "0x0"' "$snap")
    isar1=$(jq -r '.registers.ID_AA64ISAR1_EL1.value // "0x0"' "$snap")
    [ $(( (pfr0 >> 32) & 0xf )) = 0 ] || add_spec vcpu-nosve "host,sve=off"
    [ $(( (dfr0 >> 8) & 0xf )) = 0 ] || add_spec vcpu-nopmu "host,pmu=off"
    [ $(( isar1 & 0xff000ff0 )) = 0 ] || add_spec vcpu-nopauth "host,pauth=off"
    raise=$(raise_of "$snap")
    rfield=${raise#* } raise=${raise%% *}
    # the vCPU configuration items (rig_config): the shorter cap of the
    # vector lengths (sve128 alone) where the host has SVE, one PMU counter
    # fewer, PSCI 1.0, no PV_TIME; and one counter more than the host's
    cfgspec="" cfgwant=() pmun=$(jq -r '.vcpu_config.pmu_counters // empty' "$snap")
    [ -z "$(jq -r '.vcpu_config.sve_vls // empty' "$snap")" ] || { cfgspec+=",sve128=on"; cfgwant+=("sve_vls: 128 "); }
    [ -z "$pmun" ] || [ "$pmun" = 0 ] || { cfgspec+=",pmu_counters=$((pmun - 1))"; cfgwant+=("pmu_counters: $((pmun - 1)) "); }
    [ -z "$(jq -r '.vcpu_config.psci_version // empty' "$snap")" ] || { cfgspec+=",psci_version=1.0"; cfgwant+=("psci_version: 1.0 "); }
    [ -z "$(jq -r '.vcpu_config.fw_std_hyp_bmap // empty' "$snap")" ] || { cfgspec+=",fw_std_hyp_bmap=0x0"; cfgwant+=("fw_std_hyp_bmap: 0x0 "); }
    {
      echo "run hostsprobe /armcpu hosts probe -o /tmp/local.json"
      echo "cat /tmp/local.json"
      [ -z "$cfgspec" ] || echo "run config /armcpu realize host$cfgspec --kvm"
      [ -z "$pmun" ] || echo "run config-over /armcpu realize host,pmu_counters=$((pmun + 1)) --kvm"
      if [ -n "$raise" ]; then
        echo "run raise /armcpu realize $raise --kvm"
        echo "run raise-force /armcpu realize $raise --kvm --force"
      fi
      while IFS=$'\t' read -r name verdict spec; do
        echo "run $name /armcpu realize $spec --kvm"
        [ "$verdict" = usable ] || echo "run $name-force /armcpu realize $spec --kvm --force"
      done < "$entries"
      if [ "$e" = "$single" ] && [ -n "$fixs" ]; then
        echo "run fix /armcpu realize $fixs --kvm --after-run $fixs,feat_AES=off"
        echo "run noaa32 /armcpu realize $fixs,aarch32=off --kvm"
      fi
      if [ "$e" = "$msrc" ] && [ -n "$dsnap" ]; then
        echo "run save-host /armcpu migrate save host -o /tmp/src-host.json"
        echo "cat /tmp/src-host.json"
        if [ -n "$pairbase" ]; then
          echo "run save-base /armcpu migrate save $pairbase -o /tmp/src-base.json"
          echo "cat /tmp/src-base.json"
        fi
      fi
      if [ "$e" = "$mdst" ] && [ -n "$ssnap" ]; then
        # the states SRC saved (it booted first), into DST's initramfs
        for s in host ${pairbase:+base}; do
          [ -f "$out/rig-$mm-${hpre[$msrc]}-${hcpu[$msrc]%%,*}/src-$s.json" ] || continue
          cp "$out/rig-$mm-${hpre[$msrc]}-${hcpu[$msrc]%%,*}/src-$s.json" "$d/"
          [ $s = host ] && echo "run load-host /armcpu migrate load host /src-host.json" ||
            echo "run load-base /armcpu migrate load $pairbase /src-base.json"
        done
      fi
    } > "$d/rig.cmds"

    rig_boot "$k" "$e" "$d" || continue
    r=$rig
    check_probe "$r" "$f" "$lab" "$snap" "$dm"
    rig_config

    # raising a field above the host
    if [ -z "$raise" ]; then
      bad "$lab: found no LOWER field at 0 to raise on $(basename "$snap" .json)"
    else
      o=$(run_out "$r" raise)
      if [ "$(run_rc "$r" raise)" = 1 ] && grep -q 'REFUSED BEFORE ANY WRITE' <<< "$o" &&
         grep -q '^  KVM ioctls: 0 KVM_SET_ONE_REG' <<< "$o" && grep -q "^  blocked .*$rfield: wanted 0x1, the vCPU has 0x0" <<< "$o"; then
        ok "$lab: raising $rfield above the host is refused before any write (0 KVM_SET_ONE_REG), naming field, wanted and current"
      else
        bad "$lab: realize $raise --kvm:"; sed 's/^/       /' <<< "$o"
      fi
      o=$(run_out "$r" raise-force)
      if [ "$(run_rc "$r" raise-force)" = 1 ] && grep -q "^  refused .*$rfield: .*EINVAL" <<< "$o"; then
        ok "$lab: forced, KVM itself refuses the raised $rfield (EINVAL), reported by field"
      else
        bad "$lab: realize $raise --kvm --force:"; sed 's/^/       /' <<< "$o"
      fi
    fi

    # every spec: the x86 verdict against the real KVM
    nu=0 nb=0 nbad=0
    while IFS=$'\t' read -r name verdict spec; do
      o=$(run_out "$r" "$name")
      if [ "$verdict" = usable ]; then
        if [ "$(run_rc "$r" "$name")" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
          nu=$((nu + 1))
        else
          nbad=$((nbad + 1))
          bad "$lab: $name: usable by the check on $(basename "$snap" .json), but not on the vCPU (a false 'usable'):"
          grep -v '^  [A-Z].*_EL[0-3] .* ok$' <<< "$o" | sed 's/^/       /'
        fi
        continue
      fi
      nb=$((nb + 1))
      # not forced: refused before any write, naming exactly the check's fields
      want=$(cat "$dm/$name.blocked")
      got=$(awk '$1 == "blocked" { f = $2; sub(/:$/, "", f); print f }' <<< "$o" | sort -u)
      if ! grep -q 'REFUSED BEFORE ANY WRITE' <<< "$o" || ! grep -q '^  KVM ioctls: 0 KVM_SET_ONE_REG' <<< "$o"; then
        nbad=$((nbad + 1)); bad "$lab: $name: blocked by the check but not refused before writing:"; sed 's/^/       /' <<< "$o"
      elif [ "$want" != "$got" ]; then
        nbad=$((nbad + 1))
        bad "$lab: $name: the vCPU's own check blocks other fields than the snapshot check (< snapshot, > vCPU):"
        diff <(echo "$want") <(echo "$got") | grep '^[<>]' | sed 's/^/       /'
      fi
      # forced: KVM itself refuses every register the check blocks
      o=$(run_out "$r" "$name-force")
      miss=$(comm -23 <(regs_of <<< "$want") <(awk '$1 == "refused" { print $2 }' <<< "$o" | regs_of) | tr '\n' ' ')
      if [ "$(run_rc "$r" "$name-force")" != 1 ]; then
        nbad=$((nbad + 1))
        bad "$lab: $name: blocked by the check but KVM accepted the forced write of ${miss:-it} (a false 'blocked'):"
        sed 's/^/       /' <<< "$o"
      elif [ -n "$miss" ]; then
        # KVM took these registers (the write failed elsewhere): does it keep
        # its own value of the blocked fields? (rig_kept, below)
        printf '%s\t%s\n' "$name" "$miss" >> "$dm/missed.tsv"
        echo "$o" > "$dm/$name-force.out"
      fi
    done < "$entries"
    nkept=0
    [ ! -s "$dm/missed.tsv" ] || rig_kept
    n=$(wc -l < "$entries")
    [ $nbad = 0 ] && ok "$lab: $n specs ($(echo $MODELS | wc -w) models, their 'armcpu fix'$([ -n "$fleet" ] && echo ", the fleet baseline")$([ -n "$pairbase" ] && [ "$pairbase" != "$fleet" ] && echo ", the $pairname baseline")) checked against $(basename "$snap" .json): $nu usable, each applied and read back by the guest field by field; $nb blocked, each refused before any write (same fields) and, forced, refused by KVM on every blocked register$([ $nkept = 0 ] || echo " or ($nkept of them, notes above) taken by KVM, which keeps its own value of the blocked fields")"
    for name in fleet-base pair-base; do
      verdict=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$entries")
      [ -n "$verdict" ] && [ $nbad = 0 ] && ok "$lab: the $([ $name = fleet-base ] && echo fleet || echo "$pairname") baseline is $verdict here$([ "$verdict" = usable ] && echo ": the guest reads it exactly" || echo ": KVM refuses it, as the check says")"
    done

    # SRC (or the first host): the write after KVM_RUN, and no AArch32
    if [ "$e" = "$single" ] && [ -n "$fixs" ]; then
      o=$(run_out "$r" fix)
      if [ "$(run_rc "$r" fix)" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
        n=$(ioctl_line "$r" fix)
        ok "$kp$ss: realize $fixs --kvm: the guest reads the model field by field ($(cut -d' ' -f1 <<< "$n") KVM_SET_ONE_REG for $(cut -d' ' -f2 <<< "$n") differing registers)"
      else
        bad "$kp$ss: realize $fixs --kvm:"; sed 's/^/       /' <<< "$o"
      fi
      grep -q '^  busy .*EBUSY' <<< "$o" && ok "$kp$ss: an ID-register write after KVM_RUN is reported as EBUSY" ||
        bad "$kp$ss: no EBUSY after KVM_RUN"
      # without AArch32 the AArch32 registers stay the host's: ID_DFR0_EL1
      # with CopDbg 0 (which KVM refuses) is never written
      o=$(run_out "$r" noaa32)
      if [ "$(run_rc "$r" noaa32)" = 0 ] && grep -q '^result: PASS' <<< "$o" &&
         grep -q '^  host-given ID_DFR0_EL1: the spec has no AArch32' <<< "$o" &&
         ! grep -q '^  written    ID_DFR0_EL1' <<< "$o" && grep -Eq '^  ID_DFR0_EL1 .* host-given:' <<< "$o"; then
        ok "$kp$ss: $fixs,aarch32=off: AArch32 registers left to the host (not written, the guest reads the host's), PASS"
      else
        bad "$kp$ss: realize $fixs,aarch32=off --kvm:"; sed 's/^/       /' <<< "$o"
      fi
    fi
    # the migration SRC -> DST: saved on SRC ...
    if [ "$e" = "$msrc" ] && [ -n "$dsnap" ]; then
      for s in host ${pairbase:+base}; do
        [ "$(run_rc "$r" save-$s)" = 0 ] && file_out "$r" /tmp/src-$s.json > "$d/src-$s.json" && jq -e .registers "$d/src-$s.json" > /dev/null &&
          ok "$kp$ms: migrate save $s: $(jq '.registers | length' "$d/src-$s.json") registers of KVM_GET_REG_LIST" ||
          { bad "$kp$ms: migrate save $s:"; run_out "$r" save-$s | sed 's/^/       /'; rm -f "$d/src-$s.json"; }
      done
    fi
    # ... and loaded on DST
    if [ "$e" = "$mdst" ] && [ -n "$ssnap" ]; then
      if ! grep -q '^run load-host' "$d/rig.cmds" || { [ -n "$pairbase" ] && ! grep -q '^run load-base' "$d/rig.cmds"; }; then
        bad "${kp}migration $ms -> $md: no state saved on $msrc"; continue
      fi
      o=$(run_out "$r" load-host)
      svs=$(jq -r '.vcpu_config.sve_vls // empty' "$ssnap") svd=$(jq -r '.vcpu_config.sve_vls // empty' "$dsnap")
      if [ -n "$svs" ] && [ -n "$svd" ] && [ "$svs" != "$svd" ]; then
        # issue 13 item 8: the vector lengths differ; judged on x86 first
        mc=$("$native" migrate check "$d/src-host.json" --host "$dsnap" 2>&1); rc=$?
        if [ $rc = 3 ] && grep -q '^  refused    sve_vls (KVM_REG_ARM64_SVE_VLS): saved '"$svs" <<< "$mc"; then
          ok "${kp}migrate check of $ms's host-passthrough state on $(basename "$dsnap" .json): refused, naming sve_vls (saved $svs, the host has $svd)"
        else
          bad "${kp}migrate check of $ms's host-passthrough state on $(basename "$dsnap" .json) (rc $rc, want 3 naming sve_vls):"; sed 's/^/       /' <<< "$mc"
        fi
        if [ "$(run_rc "$r" load-host)" = 1 ] && grep -q '^  blocked    sve_vls (KVM_REG_ARM64_SVE_VLS): wanted '"$svs" <<< "$o" &&
           grep -q 'REFUSED BEFORE ANY WRITE' <<< "$o"; then
          ok "${kp}migration $ms -> $md with host passthrough: the saved vector lengths ($svs; $md has $svd) are refused before any write"
        else
          bad "${kp}migration $ms -> $md with host passthrough: not refused before writing on sve_vls:"; sed 's/^/       /' <<< "$o"
        fi
      elif [ "$(run_rc "$r" load-host)" = 1 ] && grep -q '^  feature ' <<< "$o"; then
        ok "${kp}migration $ms -> $md with host passthrough fails on feature fields: $(awk '$1 == "feature" { r = $2; sub(/:$/, "", r); printf "%s ", r }' <<< "$o")"
      else
        bad "${kp}migration $ms -> $md with host passthrough did not fail on feature fields:"; sed 's/^/       /' <<< "$o"
      fi
      [ -n "$pairbase" ] || continue
      if [ -n "$svs" ] && [ -n "$svd" ] && [ "$svs" != "$svd" ]; then
        # the pair's common lengths: the baseline sets them, x86 says loadable,
        # and the loaded vCPU reads them back
        sb=$("$native" expand "$pairbase" 2> /dev/null | grep -o 'sve[0-9]*=on' | tr '\n' ' ')
        mc=$("$native" migrate check "$d/src-base.json" --host "$dsnap" 2>&1); rc=$?
        if { [ $rc = 0 ] || [ $rc = 4 ]; } && ! grep -q '^  refused ' <<< "$mc"; then
          ok "${kp}migrate check of $ms's baseline state on $(basename "$dsnap" .json): loadable (rc $rc; the baseline's vector lengths: ${sb:-none set})"
        else
          bad "${kp}migrate check of $ms's baseline state on $(basename "$dsnap" .json) (rc $rc):"; sed 's/^/       /' <<< "$mc"
        fi
        o=$(run_out "$r" load-base)
        grep -q '^  config     sve_vls: ' <<< "$o" && ok "${kp}migration $ms -> $md with their baseline: the vCPU reads back $(sed -n 's/^  config     sve_vls: \([^ ]*\).*/\1/p' <<< "$o" | head -n1)-bit vectors (KVM_REG_ARM64_SVE_VLS)" ||
          bad "${kp}migration $ms -> $md with their baseline: no sve_vls read back:"$'\n'"$(sed 's/^/       /' <<< "$o")"
      fi
      o=$(run_out "$r" load-base)
      # (a kernel that writes MIDR, 6.15+, restores it too: no identity finding)
      if [ "$(run_rc "$r" load-base)" = 0 ] && grep -q '^result: PASS' <<< "$o" && ! grep -q '^  feature ' <<< "$o" &&
         { grep -q '^  identity .*different MIDR' <<< "$o" || grep -q '^result: PASS: every register restored' <<< "$o"; }; then
        ok "${kp}migration $ms -> $md with their baseline passes on every feature register; $(grep -q '^  identity .*different MIDR' <<< "$o" && echo "MIDR is an identity finding" || echo "MIDR restored too") ($(grep -o '[0-9]* of [0-9]* saved registers restored' <<< "$o"))"
      else
        bad "${kp}migration $ms -> $md with their baseline:"; sed 's/^/       /' <<< "$o"
      fi
    fi
  done
}

# The vCPU configuration items on one host (called by rig_kernel: $r, $cfgspec,
# $cfgwant, $pmun, $lab): realize host,<items> --kvm passes and the vCPU reads
# each back (the "config" lines of the apply: KVM_GET_ONE_REG after the
# writes); one PMU counter above the host's is refused before any write.
rig_config() {
  local o w miss=""
  if [ -n "$cfgspec" ]; then
    o=$(run_out "$r" config)
    for w in "${cfgwant[@]}"; do grep -q "^  config     $w" <<< "$o" || miss+="${w% } "; done
    if [ "$(run_rc "$r" config)" = 0 ] && grep -q '^result: PASS' <<< "$o" && [ -z "$miss" ]; then
      ok "$lab: realize host$cfgspec --kvm: applied, the vCPU reads back $(printf '%s; ' "${cfgwant[@]}" | sed 's/ ;/;/g; s/; $//')"
    else
      bad "$lab: realize host$cfgspec --kvm (not read back: ${miss:-all read back}):"; sed 's/^/       /' <<< "$o"
    fi
  fi
  [ -n "$pmun" ] || return
  o=$(run_out "$r" config-over)
  if [ "$(run_rc "$r" config-over)" = 1 ] && grep -q 'REFUSED BEFORE ANY WRITE' <<< "$o" &&
     grep -q '^  KVM ioctls: 0 KVM_SET_ONE_REG' <<< "$o" && grep -q "^  blocked    pmu_counters (PMCR_EL0.N): wanted $((pmun + 1)), the vCPU has $pmun" <<< "$o"; then
    ok "$lab: pmu_counters=$((pmun + 1)) (the host has $pmun) is refused before any write (0 KVM_SET_ONE_REG)"
  else
    bad "$lab: realize host,pmu_counters=$((pmun + 1)) --kvm:"; sed 's/^/       /' <<< "$o"
  fi
}

# A blocked spec whose forced write KVM failed without refusing some of the
# registers the check blocks: KVM took them, and the write failed elsewhere
# (the registers were set back), so whether KVM honours them is not shown.
# armcpu's "not-writable" says KVM refuses such a write "or takes it and keeps
# its own value" (Linux 7.3 takes ID_AA64MMFR2_EL1.NV 2 and keeps 0 on QEMU
# 10's FEAT_NV2 CPUs): a second boot writes each blocked field of those
# registers alone, forced, at the spec's value. The spec is not a false
# "blocked" only if each is refused (EINVAL) or reads back otherwise.
rig_kept() { # called by rig_kernel for host $e: $dm/missed.tsv (name TAB registers)
  local kd=$d-kept i=0 sy val fl o x fates kr
  local -A fate=()
  rm -rf "$kd" && mkdir -p "$kd"
  while IFS=$'\t' read -r name miss; do
    for x in $miss; do
      jq -r --arg r "SYSREG_${x}_" '.fields[] | select(.blocks and (.sysreg | startswith($r))) | "\(.sysreg) \(.["model-value"])"' "$dm/$name.check.json"
    done
  done < "$dm/missed.tsv" | sort -u > "$dm/kept.fields"
  while read -r sy val; do
    i=$((i + 1)); echo "run kept-$i /armcpu realize host,$sy=$val --kvm --force"
  done < "$dm/kept.fields" > "$kd/rig.cmds"
  if rig_boot "$k" "$e" "$kd" kept; then
    i=0
    while read -r sy val; do
      i=$((i + 1))
      fl=$(sed 's/^SYSREG_\(.*_EL[0-3]\)_\(.*\)$/\1.\2/' <<< "$sy")
      o=$(run_out "$rig" "kept-$i")
      if grep -q "^  refused    $fl: " <<< "$o"; then
        fate["$sy=$val"]="$fl: refused (EINVAL)"
      elif x=$(sed -n "s/^  mismatch   $fl reads back \(0x[0-9a-f]*\),.*/\1/p" <<< "$o" | head -n1) && [ -n "$x" ] && [ $((x)) != $((val)) ]; then
        fate["$sy=$val"]="$fl: written without error, reads back $x"
      else
        fate["$sy=$val"]="$fl: HONOURED (wanted $val; realize rc=$(run_rc "$rig" "kept-$i"))"
      fi
    done < "$dm/kept.fields"
  fi
  while IFS=$'\t' read -r name miss; do
    fates="" x=ok
    for kr in $miss; do
      while read -r sy val; do
        fates+="${fates:+; }${fate["$sy=$val"]:-$(sed 's/^SYSREG_\(.*_EL[0-3]\)_\(.*\)$/\1.\2/' <<< "$sy"): not tried (the boot failed)}"
        case ${fate["$sy=$val"]:-} in *refused*|*"reads back"*) ;; *) x=bad ;; esac
      done < <(jq -r --arg r "SYSREG_${kr}_" '.fields[] | select(.blocks and (.sysreg | startswith($r))) | "\(.sysreg) \(.["model-value"])"' "$dm/$name.check.json")
    done
    if [ $x = ok ]; then
      nkept=$((nkept + 1))
      echo "  note $lab: $name: forced, KVM takes ${miss% } without EINVAL but keeps its own value of the blocked fields (written alone: $fates): blocked, as the check says"
    else
      nbad=$((nbad + 1))
      bad "$lab: $name: blocked by the check but KVM accepted the forced write of $miss(a false 'blocked'; written alone: $fates):"
      sed 's/^/       /' "$dm/$name-force.out"
    fi
  done < "$dm/missed.tsv"
}

# -- the newest kernel (6.15+): MIDR/REVIDR/AIDR writable with KVM_CAP_ARM_WRITABLE_IMP_ID_REGS --
# Under KVM_RIG_NEWEST, on SRC (without a pair: the first host): the fix spec
# with another PartNum (DST's) is written and read. Then the MIDR-pinning
# rehearsal: the SRC+DST baseline in that kernel's view pins MIDR (no identity
# finding), plus REVIDR and AIDR pinned to values neither CPU has; the guests
# of both read them and the migration SRC -> DST passes completely. Each host's
# snapshot of that kernel when there is one, else the one of the first
# KVM_RIG_KERNELS kernel it has, seen with `--kernel <major.minor>`.
rig_newest() { # called by rig_section
  local kn mm s ss h own x v from to pn o nd="" pin="" pinmidr="" rn rd kopt=() need=()
  local -A nsnap=() mf=()
  if [ -z "$KVM_RIG_NEWEST" ]; then
    echo "  note no newest-kernel part (MIDR written, MIDR pinned): KVM_RIG_NEWEST is empty"; return
  fi
  kn=$(up_kernel "$KVM_RIG_NEWEST")
  if [ -z "$kn" ]; then
    echo "  SKIP the newest-kernel part: no fetched kernel for KVM_RIG_NEWEST=$KVM_RIG_NEWEST"
    rig_skipped=$((rig_skipped + 1)); return
  fi
  mm=$(mm_of "$kn")
  if ! grep -q '^# capabilities:.*KVM_CAP_ARM_WRITABLE_IMP_ID_REGS' "$root/kernels/linux-$mm.masks" 2> /dev/null; then
    echo "  SKIP the newest-kernel part on $kn: kernels/linux-$mm.masks does not list KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (MIDR is writable from 6.15 on)"
    rig_skipped=$((rig_skipped + 1)); return
  fi
  s=${msrc:-${hosts[0]}} ss=$(rig_short "${msrc:-${hosts[0]}}")
  need=("$s"); [ -z "$msrc" ] || need+=("$mdst")
  for h in "${need[@]}"; do
    own=${KVM_SNAPSHOT_DIR:-$root/hosts}/${hpre[$h]}-${hcpu[$h]%%,*}-linux-$mm.json
    if [ -f "$own" ]; then
      nsnap[$h]=$own
    else
      for x in "${rig_ks[@]}"; do
        v=${rig_snap[$(mm_of "$x")|$h]:-}
        [ -z "$v" ] || { nsnap[$h]=$v kopt=(--kernel "$mm"); break; }
      done
    fi
  done
  [ -z "$mdst" ] || nd=${nsnap[$mdst]:-}
  if [ -z "${nsnap[$s]:-}" ]; then
    echo "  SKIP the newest-kernel part on $kn: $s has no snapshot of it nor of a KVM_RIG_KERNELS kernel (make snapshots)"
    rig_skipped=$((rig_skipped + 1)); return
  fi
  local fx
  rn=$out/rig-newest-src rd=$out/rig-newest-dst
  rm -rf "$rn" "$rd" && mkdir -p "$rn" "$rd"
  fx=$(answer fix "$rig_fix_model" --host "${nsnap[$s]}" 2> "$rn/fix.err" | head -n1)
  case "$fx" in "$rig_fix_model"*) ;; *) bad "$kn $ss: armcpu fix $rig_fix_model --host $(basename "${nsnap[$s]}" .json) gave no spec: '$fx' $(cat "$rn/fix.err")"; return ;; esac
  # MIDR with another PartNum: DST's, or (the same, or no pair) the spec's ^ 1
  x=$("$native" expand "$fx" | sed -n 's/^  SYSREG_MIDR_EL1_PartNum=//p')
  pn=""
  [ -z "$nd" ] || pn=$(printf '0x%x' $(( ($(jq -r .registers.MIDR_EL1.value "$nd") >> 4) & 0xfff )))
  [ -n "$pn" ] && [ $((pn)) != $((x)) ] || pn=$(printf '0x%x' $(( x ^ 1 )))
  from=$(printf '0x%016x' "$(jq -r .registers.MIDR_EL1.value "${nsnap[$s]}")")
  while IFS== read -r x v; do mf[${x#  SYSREG_MIDR_EL1_}]=$v; done < <("$native" expand "$fx,cpu_partnum=$pn" | grep '^  SYSREG_MIDR_EL1_')
  to=$(printf '0x%016x' $(( mf[Implementer] << 24 | mf[Variant] << 20 | mf[Architecture] << 16 | mf[PartNum] << 4 | mf[Revision] )))
  # The SRC+DST baseline in the newest kernel's view pins MIDR (no identity
  # finding), plus REVIDR and AIDR pinned to values neither CPU has: the
  # migration rehearsal SRC -> DST must then pass completely, MIDR included.
  if [ -n "$nd" ]; then
    o=$("$native" baseline "${nsnap[$msrc]}" "$nd" "${kopt[@]}" 2> "$rn/baseline.err")
    rc=$?
    if [ $rc = 3 ] && [ "$msrc $mdst" != "$rig_pair_default" ]; then
      echo "  note $ms and $md have no common spec on Linux $mm ($(awk 'NR > 1 && $1 != "identity:" { sub(/:$/, "", $1); printf "%s%s", n++ ? " " : "", $1 }' <<< "$o")): no MIDR-pinning rehearsal"
    elif [ $rc != 0 ] && [ $rc != 4 ]; then
      bad "baseline of $ms + $md with Linux $mm masks (make masks?):"; cat - "$rn/baseline.err" <<< "$o" | sed 's/^/       /'
    elif grep -q '^ *identity' <<< "$o"; then
      bad "baseline of $ms + $md on Linux $mm still has identity findings:"; sed 's/^/       /' <<< "$o"
    else
      pin="$(head -n1 <<< "$o"),revidr=0x5,SYSREG_AIDR_EL1_IMPLEMENTATION_DEFINED=0x3"
      pinmidr=$("$native" expand "$pin" | sed -n 's/^  SYSREG_MIDR_EL1_PartNum=//p')
      for h in "$msrc" "$mdst"; do
        answer check "$pin" --host "${nsnap[$h]}" "${kopt[@]}" | tail -n1 | grep -q '^usable' ||
          { bad "the MIDR-pinning spec is not usable on $(basename "${nsnap[$h]}" .json)${kopt:+ with Linux $mm masks}"; pin=""; }
      done
    fi
  elif [ -n "$msrc" ]; then
    echo "  SKIP the MIDR-pinning rehearsal $ms -> $md on $kn: $mdst has no snapshot of it nor of a KVM_RIG_KERNELS kernel"
  fi
  {
    echo "run midr /armcpu realize $fx,cpu_partnum=$pn --kvm"
    if [ -n "$pin" ]; then
      echo "run pin /armcpu realize $pin --kvm"
      echo "run save-pin /armcpu migrate save $pin -o /tmp/src-pin.json"
      echo "cat /tmp/src-pin.json"
    fi
  } > "$rn/rig.cmds"
  rig_boot "$kn" "$s" "$rn" newest || return
  local rigsrc=$rig
  o=$(run_out "$rig" midr)
  if [ "$(run_rc "$rig" midr)" = 0 ] && grep -q "^  written    MIDR_EL1: $from -> $to" <<< "$o" &&
     grep -q '^result: PASS' <<< "$o"; then
    ok "$kn $ss: MIDR written (KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled by the scratch VM); the guest reads PartNum $pn"
  else
    bad "$kn $ss: realize with cpu_partnum=$pn (want MIDR_EL1 $from -> $to written):"; sed 's/^/       /' <<< "$o"
  fi
  [ -n "$pin" ] || return
  # pinned identity on both CPUs: written, read back, and what the guest mrs's
  pinned_ok() { # rig-output run-name host
    local o
    o=$(run_out "$1" "$2")
    if [ "$(run_rc "$1" "$2")" = 0 ] && grep -q '^result: PASS' <<< "$o" &&
       grep -Eq '^  MIDR_EL1 +(0x[0-9a-f]{16}) \1 ok$' <<< "$o" &&
       grep -Eq "^  MIDR_EL1 +0x[0-9a-f]{12}${pinmidr#0x}[0-9a-f] " <<< "$o" &&
       grep -Eq '^  REVIDR_EL1 +0x0000000000000005 0x0000000000000005 ok$' <<< "$o" &&
       grep -Eq '^  AIDR_EL1 +0x0000000000000003 0x0000000000000003 ok$' <<< "$o" &&
       ! grep -Eq '^  identity|[1-9][0-9]* identity,' <<< "$o"; then
      ok "$kn $3: the guest reads the pinned MIDR (PartNum $pinmidr), REVIDR 0x5 and AIDR 0x3"
    else
      bad "$kn $3: realize $pin --kvm:"; sed 's/^/       /' <<< "$o"
    fi
  }
  pinned_ok "$rigsrc" pin "$msrc"
  if [ "$(run_rc "$rigsrc" save-pin)" = 0 ] && file_out "$rigsrc" /tmp/src-pin.json > "$rd/src-pin.json" &&
     jq -e '.registers' "$rd/src-pin.json" > /dev/null; then
    ok "$kn $ms: migrate save of the MIDR-pinning spec: $(jq '.registers | length' "$rd/src-pin.json") registers"
  else
    bad "$kn $ms: migrate save $pin:"; run_out "$rigsrc" save-pin | sed 's/^/       /'; return
  fi
  {
    echo "run pin /armcpu realize $pin --kvm"
    echo "run load-pin /armcpu migrate load $pin /src-pin.json"
  } > "$rd/rig.cmds"
  rig_boot "$kn" "$mdst" "$rd" newest || return
  pinned_ok "$rig" pin "$mdst"
  o=$(run_out "$rig" load-pin)
  if [ "$(run_rc "$rig" load-pin)" = 0 ] && grep -q '^result: PASS: every register restored' <<< "$o" &&
     ! grep -Eq '^  (identity|feature|geometry|other) ' <<< "$o"; then
    ok "migration $ms -> $md on $kn with the MIDR-pinning spec passes completely, MIDR/REVIDR/AIDR included ($(grep -o '[0-9]* of [0-9]* saved registers restored' <<< "$o"))"
  else
    bad "migration $ms -> $md on $kn with $pin:"; sed 's/^/       /' <<< "$o"
  fi
}
# ---- CTR_EL0: what the guest reads, not only KVM_GET_ONE_REG (QEMU 10 neoverse-n2) ----
# QEMU 10's neoverse-n2 has CTR_EL0 0x4b444c004 (TminLine 4); KVM's copy
# (KVM_GET_ONE_REG, the snapshots hosts/qemu10-neoverse-n2-linux-<mm>.json)
# shows 0xb444c004 (TminLine 0). On this FEAT_EVT host KVM does not trap CTR_EL0
# while the VM's value is the host's (6.12: never with EVT; 6.11+: only when it
# differs), so the guest reads 4, and `armcpu check host` calls the field
# host-given. `ctr_guest_rig start NATIVE` (in rig_section: x86 verdicts, rig.cmds,
# the boots under 6.12 and the newest kernel in the background);
# `ctr_guest_rig finish`: the guest's TminLine (realize host --kvm's guest view)
# is 4, the probe's and snapshot's 0, the x86 verdict host-given; a CTR_EL0
# mismatch realize reports must be exactly that TminLine.
ctr_dir="" ctr_pid="" ctr_ks=""
ctr_guest_rig() { # start NATIVE | finish
  local cpu="neoverse-n2,pauth-qarma5=on" k mm snap d rc q v g gt pt st o line res
  if [ "$1" = start ]; then
    ctr_dir=$out/ctr-n2; rm -rf "$ctr_dir"; mkdir -p "$ctr_dir"; : > "$ctr_dir/timing"
    q=${up_qemu10:-}
    if [ -z "$q" ]; then
      q=$("$here/fetch-qemu.sh" 2>> "$ctr_dir/fetch-qemu.log"); rc=$?
      [ $rc = 0 ] && [ -x "$q" ] || { [ $rc = 77 ] && q=skip || q="fail rc=$rc"; }
    fi
    case $q in
      skip) echo "  SKIP CTR_EL0 guest view: QEMU 10 cannot be fetched (fetch-qemu.sh exit 77)" > "$ctr_dir/prepare.out"; return ;;
      fail*) echo "  FAIL CTR_EL0 guest view: fetch-qemu.sh failed ($q, see $ctr_dir/fetch-qemu.log)" > "$ctr_dir/prepare.out"; return ;;
    esac
    for k in "$K61" "$K612" "$KBPO"; do
      mm=$(mm_of "$k") snap=${KVM_SNAPSHOT_DIR:-$root/hosts}/qemu10-neoverse-n2-linux-$mm.json d=$ctr_dir/$k
      [ -f "$snap" ] || { echo "  FAIL CTR_EL0 guest view: no snapshot $(basename "$snap")" >> "$ctr_dir/prepare.out"; continue; }
      mkdir -p "$d/rig"
      echo "run ctr /armcpu realize host --kvm" > "$d/rig/rig.cmds"
      "$2" check host --host "$snap" --json 2> /dev/null |
        jq -r '.fields[] | select(.sysreg == "SYSREG_CTR_EL0_TminLine") | .verdict' > "$d/verdict"
      jq -r '.registers.CTR_EL0.value' "$snap" > "$d/snap-ctr"
      ctr_ks+="$k "
    done
    (
      for k in $ctr_ks; do
        d=$ctr_dir/$k
        QEMU=$q KVM_QUIET=1 KVM_LOG_TAG=qemu10-ctr KVM_RIG_DIR=$d/rig KVM_RIG_OUT=$d/out.rig \
          "$here/run.sh" "$k" "$cpu" > "$d/probe.txt" 2> "$d/err"
        rc=$?; echo $rc > "$d/rc"
        printf '%-22s %-28s %5ss  %s\n' "$k" "n2@qemu10+ctr" "$(cat "$KVM_DIR/logs/qemu10-ctr-$k-$cpu.log.secs" 2> /dev/null || echo "?")" \
          "$([ $rc = 0 ] && echo ok || echo "FAILED rc=$rc")" >> "$ctr_dir/timing"
      done
    ) > /dev/null 2>&1 &
    ctr_pid=$!
    return
  fi
  [ -n "$ctr_dir" ] || return
  [ -z "$ctr_pid" ] || wait "$ctr_pid"
  echo "== CTR_EL0 as the guest reads it: QEMU 10 -cpu $cpu, realize host --kvm (Linux ${ctr_ks% })"
  [ ! -f "$ctr_dir/prepare.out" ] || { cat "$ctr_dir/prepare.out"; grep -q '^  FAIL' "$ctr_dir/prepare.out" && fail=$((fail + 1)); }
  while IFS= read -r line; do timing+=("$line"); done < "$ctr_dir/timing"
  for k in $ctr_ks; do
    d=$ctr_dir/$k
    if [ "$(cat "$d/rc" 2> /dev/null)" != 0 ]; then
      bad "n2@qemu10 $k: the boot failed (see $KVM_DIR/logs/qemu10-ctr-$k-$cpu.log):"; tail -n 5 "$d/err" 2> /dev/null | sed 's/^/       /'; continue
    fi
    o=$(up_run_out "$d/out.rig" ctr) rc=$(up_run_rc "$d/out.rig" ctr)
    v=$(cat "$d/verdict") st=$(( ($(cat "$d/snap-ctr") >> 32) & 0xf ))
    pt=$(field "$d/probe.txt" "(3,3,0,0,1)" 32)
    line=$(awk '$1 == "CTR_EL0" && $2 ~ /^0x/ && $3 ~ /^0x/' <<< "$o")
    g=$(awk '{ print $2 }' <<< "$line"); gt=$([ -n "$g" ] && echo $(( (g >> 32) & 0xf )))
    res=$(sed 's/^ *CTR_EL0 *0x[0-9a-f]* *0x[0-9a-f]* *//' <<< "$line")
    if [ "$gt" = 4 ] && [ "$pt" = 0 ] && [ "$st" = 0 ] && [ "$v" = host-given ]; then
      ok "n2@qemu10 $k: the guest reads CTR_EL0 $g (TminLine 4); KVM_GET_ONE_REG (probe) and the snapshot show TminLine 0; armcpu check host on x86 says CTR_EL0.TminLine host-given"
    else
      bad "n2@qemu10 $k: CTR_EL0.TminLine: guest '${gt:-none}' (want 4), probe '$pt' and snapshot '$st' (want 0), x86 verdict '${v:-none}' (want host-given)"
    fi
    # what realize says about it; any other register not read as the spec: FAIL
    case $res in
      ok|host-given:*) ;;
      "MISMATCH: TminLine: guest 0x4 model 0x0;") [ "$v" = host-given ] || bad "n2@qemu10 $k: realize's CTR_EL0 mismatch is TminLine, which armcpu check does not call host-given ('$v')" ;;
      *) bad "n2@qemu10 $k: realize's CTR_EL0 result is not explained by TminLine alone: '$res'" ;;
    esac
    if grep -Ev '^  CTR_EL0 ' <<< "$o" | grep -q 'MISMATCH'; then
      bad "n2@qemu10 $k: realize host --kvm: other registers mismatch:"; grep 'MISMATCH' <<< "$o" | sed 's/^/       /'
    elif [ "$rc" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
      ok "n2@qemu10 $k: realize host --kvm passes (CTR_EL0: $res)"
    elif [ "$rc" = 1 ] && [ "$res" = "MISMATCH: TminLine: guest 0x4 model 0x0;" ] && [ "$v" = host-given ]; then
      known "n2@qemu10 $k: realize host --kvm exits 1 only because of CTR_EL0.TminLine (guest 0x4, spec and KVM_GET_ONE_REG 0x0), which its own report and armcpu check call host-given: the guest-view comparison (tools/armcpu/kvmcmds.c compare_guest) accepts a host-given field only when the guest reads KVM's copy, which an untrapped CTR_EL0 is not ('$(grep '^guest: ' <<< "$o")')"
    else
      bad "n2@qemu10 $k: realize host --kvm rc=$rc:"; grep -v '^  [A-Z].*_EL[0-3] .* ok$' <<< "$o" | sed 's/^/       /'
    fi
  done
}
if [ "${KVM_SKIP_ARMCPU:-0}" != 1 ]; then
  rig_section
  upgrade_finish
  ctr_guest_rig finish
fi
views_later_boots

# ---- summary ----
echo "== boot times (qemu-system-aarch64 TCG, EL2, 1 vCPU, 512 MiB)"
printf '  %s\n' "${timing[@]}"
echo "kvm: $pass passed, $fail failed$([ $known_gaps = 0 ] || echo ", $known_gaps known gaps (KNOWN lines above: open issues)")$([ $skipped = 0 ] || echo ", $skipped kernel series skipped (not fetched)")$([ "$up_skipped" = 0 ] || echo ", $up_skipped upgrade host(s) skipped (QEMU 10 not fetched)")$([ "$rig_skipped" = 0 ] || echo ", $rig_skipped armcpu-on-KVM host/kernel part(s) skipped (SKIP lines above)")"
[ "$fail" = 0 ]
