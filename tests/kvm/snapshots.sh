#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig: `make snapshots` regenerates the embedded emulated-host
# snapshots hosts/qemu-<cpu>-linux-<major.minor>.json from fresh probes.
#
# For each CPU@KERNEL of KVM_SNAPSHOTS it boots run.sh KERNEL CPU (the probe,
# tests/kvm/probe.c, as /init), then
#   build/armcpu hosts import PROBE_BLOCK --name NAME --source "..." -o hosts/NAME.json
# (written atomically). NAME is <prefix>-<CPU up to the first comma>-linux-<major.minor>,
# <prefix> being qemu for the system QEMU.
# KERNEL is a suite fetch.sh recorded (bookworm, trixie, trixie-backports) or a
# version prefix (6.19: the newest kernels/6.19.* fetched).
# Afterwards it says, per snapshot, whether anything but `source` changed
# (compared with the previous file: git's HEAD version when there is one).
# env: KVM_DIR (build-kvm), ARMCPU (build/armcpu), KVM_SNAPSHOTS (the list),
#      KVM_SKIP_FETCH=1 (use what fetch.sh left in KVM_DIR),
#      KVM_SNAPSHOT_DIR (hosts/ of the repository)
#      QEMU: the qemu-system-aarch64 (default: the system one), e.g. the QEMU 10
#        wrapper QEMU=$(tests/kvm/fetch-qemu.sh); with another QEMU than the
#        system one, the names' prefix is qemu<major> (qemu10-...), so that
#        the system QEMU's snapshots are never overwritten, and the boot logs
#        are tagged with it (KVM_LOG_TAG of run.sh)
#      KVM_SNAPSHOT_PREFIX (the names' prefix), KVM_MACHINE (run.sh's -M)
# Exit: 0 written, 1 a boot or an import failed, 2 missing host packages,
# 77 skipped (kernels cannot be downloaded).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export KVM_DIR=${KVM_DIR:-$root/build-kvm}
ARMCPU=${ARMCPU:-$root/build/armcpu}
dest=${KVM_SNAPSHOT_DIR:-$root/hosts}
KVM_SNAPSHOTS=${KVM_SNAPSHOTS:-"neoverse-n1@bookworm neoverse-n1@trixie neoverse-n1@6.19 cortex-a72@trixie cortex-a76@trixie max,pauth-impdef=on@trixie"}

if [ "${KVM_SKIP_FETCH:-0}" != 1 ]; then
  "$here/fetch.sh"
  rc=$?
  [ $rc = 77 ] && { echo "snapshots: SKIP: the arm64 kernels cannot be downloaded (no network?)"; exit 77; }
  [ $rc = 0 ] || { echo "snapshots: fetch.sh failed (exit $rc)"; exit $rc; }
fi
if [ ! -x "$ARMCPU" ]; then
  make -C "$root" build > "$KVM_DIR/native-build.log" 2>&1 ||
    { echo "snapshots: no $ARMCPU (make build failed; see $KVM_DIR/native-build.log)"; exit 1; }
fi

# the QEMU run.sh boots; another than the system one names its snapshots apart
export QEMU=${QEMU:-qemu-system-aarch64}
qemu_set=""
[ "$(command -v "$QEMU")" = "$(command -v qemu-system-aarch64)" ] || qemu_set=1
export KVM_MACHINE=${KVM_MACHINE:-virt,virtualization=on,gic-version=3}
qver=$("$QEMU" --version 2>/dev/null | sed -n '1s/.*version \([^ ]*\).*/\1/p')
[ -n "$qver" ] || { echo "snapshots: '$QEMU --version' failed (QEMU=\$(tests/kvm/fetch-qemu.sh) for QEMU 10)"; exit 2; }
if [ -n "$qemu_set" ]; then
  prefix=${KVM_SNAPSHOT_PREFIX:-qemu${qver%%.*}}
  export KVM_LOG_TAG=${KVM_LOG_TAG-$prefix}
else
  prefix=${KVM_SNAPSHOT_PREFIX:-qemu}
fi
today=$(date -u +%F)
out=$KVM_DIR/snapshots
mkdir -p "$out" "$dest"

kernel_of() { # suite or version prefix -> a kernel version under $KVM_DIR/kernels
  local sel=$1
  if [ -f "$KVM_DIR/kernels/$sel.ver" ]; then cat "$KVM_DIR/kernels/$sel.ver"; return; fi
  # the newest fetched kernel of that version prefix
  (cd "$KVM_DIR/kernels" 2>/dev/null && ls -d "$sel".*/ 2>/dev/null | tr -d / | sort -V | tail -n1)
}
core() { jq -S 'del(.source)' "$1"; }

fail=0
summary=()
for item in $KVM_SNAPSHOTS; do
  cpu=${item%@*} sel=${item##*@}
  k=$(kernel_of "$sel")
  if [ -z "$k" ] || [ ! -s "$KVM_DIR/kernels/$k/vmlinuz" ]; then
    echo "snapshots: no kernel for '$sel' in $KVM_DIR/kernels (run tests/kvm/fetch.sh)"; fail=1; continue
  fi
  mm=$(echo "$k" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
  name=$prefix-${cpu%%,*}-linux-$mm
  f=$out/$name.probe
  if ! KVM_QUIET=1 "$here/run.sh" "$k" "$cpu" > "$f" 2> "$f.err"; then
    echo "snapshots: $name: the probe boot failed (see $KVM_DIR/logs/${KVM_LOG_TAG:+$KVM_LOG_TAG-}$k-$cpu.log):"; sed 's/^/  /' "$f.err"
    fail=1; continue
  fi
  u=$(awk '$1 == "UNAME" { print $2 }' "$f")
  [ "$u" = "$k" ] || { echo "snapshots: $name: the guest runs '$u', want $k"; fail=1; continue; }
  src="qemu-system-aarch64 $qver TCG -M $KVM_MACHINE -cpu $cpu, Debian arm64 kernel ${k%-arm64}; probed by tests/kvm/probe.c (make snapshots) on $today"
  old=$out/$name.old.json
  rm -f "$old"
  git -C "$root" show "HEAD:hosts/$name.json" > "$old" 2>/dev/null || { rm -f "$old"; [ -f "$dest/$name.json" ] && cp "$dest/$name.json" "$old"; }
  if ! "$ARMCPU" hosts import "$f" --name "$name" --source "$src" -o "$dest/$name.json"; then
    echo "snapshots: $name: armcpu hosts import failed"; fail=1; continue
  fi
  if [ ! -f "$old" ]; then
    summary+=("$(printf '%-30s %-28s new' "$name" "$k")")
  elif diff <(core "$old") <(core "$dest/$name.json") > "$out/$name.diff"; then
    summary+=("$(printf '%-30s %-28s same values (only source differs)' "$name" "$k")")
  else
    summary+=("$(printf '%-30s %-28s VALUES CHANGED: see %s' "$name" "$k" "$out/$name.diff")")
  fi
done
echo "== snapshots in $dest (qemu-system-aarch64 $qver, $today)"
[ ${#summary[@]} = 0 ] || printf '  %s\n' "${summary[@]}"
exit $fail
