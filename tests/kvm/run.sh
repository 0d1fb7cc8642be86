#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig, step 2: boot one arm64 kernel under qemu-system-aarch64
# TCG with EL2 (so /dev/kvm works inside) and the probe as /init; print the
# probe block (ARMCPU-PROBE-BEGIN .. ARMCPU-PROBE-END) from the console.
#
# usage: run.sh KERNEL CPU
#   KERNEL  path to a vmlinuz, a version under $KVM_DIR/kernels/ (e.g.
#           6.12.117+deb13-arm64), or a suite name fetch.sh recorded
#           (bookworm, trixie, trixie-backports)
#   CPU     a qemu -cpu type: max, neoverse-n1, cortex-a76, cortex-a72, ...
# env: KVM_DIR (build-kvm), KVM_TIMEOUT (120 s), CROSS_CC (aarch64-linux-gnu-gcc),
#      KVM_QUIET=1 (no timing line on stderr)
#      QEMU: the qemu-system-aarch64 to run (default: the system one), e.g. the
#        QEMU 10 wrapper of fetch-qemu.sh: QEMU=$(tests/kvm/fetch-qemu.sh)
#      KVM_MACHINE: the -M argument (virt,virtualization=on,gic-version=3)
#      KVM_LOG_TAG: logs are named <tag>-<version>-<cpu>.log (default: no tag),
#        so that boots of another QEMU keep the system QEMU's logs
#      KVM_RIG_DIR: a directory appended to the initramfs (rig.cmds + files):
#        /init is then rig-init (tests/kvm/rig-init.c), which runs /probe and
#        the commands of /rig.cmds with /armcpu (build-armcpu.sh); their
#        output (ARMCPU-RUN/FILE blocks) goes to KVM_RIG_OUT (default
#        $KVM_DIR/logs/[<tag>-]<version>-<cpu>.rig)
# The full console log goes to $KVM_DIR/logs/[<tag>-]<version>-<cpu>.log.
# -nic none: neither QEMU 7.2 nor 10 finds efi-virtio.rom (Debian's ipxe-qemu
# is not installed), which the default virtio NIC would need.
# Exit: 0 probe block ended ok; 1 no block / probe error / timeout; 2 usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KVM_DIR=${KVM_DIR:-$root/build-kvm}
KVM_TIMEOUT=${KVM_TIMEOUT:-120}
QEMU=${QEMU:-qemu-system-aarch64}
KVM_MACHINE=${KVM_MACHINE:-virt,virtualization=on,gic-version=3}
CROSS_CC=${CROSS_CC:-aarch64-linux-gnu-gcc}

[ $# -eq 2 ] || { echo "usage: $0 KERNEL CPU" >&2; exit 2; }
kernel=$1 cpu=$2

if [ -f "$kernel" ]; then
  vmlinuz=$kernel
  kver=$(basename "$(dirname "$kernel")")
else
  kver=$kernel
  [ -f "$KVM_DIR/kernels/$kernel.ver" ] && kver=$(cat "$KVM_DIR/kernels/$kernel.ver")
  vmlinuz=$KVM_DIR/kernels/$kver/vmlinuz
  [ -f "$vmlinuz" ] || { echo "run.sh: no kernel $kernel (run tests/kvm/fetch.sh)" >&2; exit 2; }
fi

command -v "$QEMU" > /dev/null || { echo "run.sh: no QEMU '$QEMU' (QEMU=\$(tests/kvm/fetch-qemu.sh) for QEMU 10)" >&2; exit 2; }
mkdir -p "$KVM_DIR/logs"

# ---- probe + initramfs (rebuilt when probe.c changes) ----
probe=$KVM_DIR/probe
initrd=$KVM_DIR/initrd.cpio.gz
if [ ! -x "$probe" ] || [ "$here/probe.c" -nt "$probe" ]; then
  "$CROSS_CC" -static -O2 -std=c11 -Wall -Wextra -Werror -o "$probe.tmp.$$" "$here/probe.c"
  mv -f "$probe.tmp.$$" "$probe"
fi
if [ ! -s "$initrd" ] || [ "$probe" -nt "$initrd" ]; then
  stage=$(mktemp -d "$KVM_DIR/rootfs.XXXXXX")
  mkdir -p "$stage/dev" "$stage/proc" "$stage/sys"
  cp "$probe" "$stage/init"
  # /dev/console lets the kernel give /init its stdio; without root the probe
  # mounts devtmpfs and opens the console itself.
  [ "$(id -u)" = 0 ] && mknod "$stage/dev/console" c 5 1 2>/dev/null || true
  (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet | gzip -1 > "$initrd.tmp.$$")
  mv -f "$initrd.tmp.$$" "$initrd"
  rm -rf "$stage"
fi
if [ -n "${KVM_RIG_DIR:-}" ]; then
  # rig initramfs: rig-init as /init, the probe, armcpu, then KVM_RIG_DIR
  rig_base=$KVM_DIR/initrd-rig.cpio.gz
  for x in "$KVM_DIR/rig-init" "$KVM_DIR/armcpu-arm64"; do
    [ -x "$x" ] || { echo "run.sh: $x missing (run tests/kvm/build-armcpu.sh)" >&2; exit 2; }
  done
  if [ ! -s "$rig_base" ] || [ "$probe" -nt "$rig_base" ] || [ "$KVM_DIR/rig-init" -nt "$rig_base" ] ||
     [ "$KVM_DIR/armcpu-arm64" -nt "$rig_base" ]; then
    stage=$(mktemp -d "$KVM_DIR/rootfs.XXXXXX")
    mkdir -p "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
    cp "$KVM_DIR/rig-init" "$stage/init"
    cp "$probe" "$stage/probe"
    cp "$KVM_DIR/armcpu-arm64" "$stage/armcpu"
    [ "$(id -u)" = 0 ] && mknod "$stage/dev/console" c 5 1 2>/dev/null || true
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet | gzip -1 > "$rig_base.tmp.$$")
    mv -f "$rig_base.tmp.$$" "$rig_base"
    rm -rf "$stage"
  fi
  # the kernel unpacks concatenated archives in order
  initrd=$(mktemp "$KVM_DIR/initrd-boot.XXXXXX")
  trap 'rm -f "$initrd"' EXIT
  { cat "$rig_base"; (cd "$KVM_RIG_DIR" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet | gzip -1); } > "$initrd"
fi

# ---- boot ----
log=$KVM_DIR/logs/${KVM_LOG_TAG:+$KVM_LOG_TAG-}$kver-$cpu.log
start=$(date +%s.%N)
rc=0
timeout --foreground -k 5 "$KVM_TIMEOUT" \
  "$QEMU" -M "$KVM_MACHINE" -cpu "$cpu" -m 512 \
    -nographic -no-reboot -nic none \
    -kernel "$vmlinuz" -initrd "$initrd" \
    -append "console=ttyAMA0 panic=-1 quiet" \
    < /dev/null > "$log" 2>&1 || rc=$?
end=$(date +%s.%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
tr -d '\r' < "$log" > "$log.tmp" && mv -f "$log.tmp" "$log"

[ "${KVM_QUIET:-0}" = 1 ] || echo "run.sh: $kver on $cpu: ${secs}s (qemu rc=$rc)" >&2
echo "$secs" > "$log.secs"

block=$(sed -n '/^ARMCPU-PROBE-BEGIN$/,/^ARMCPU-PROBE-END/p' "$log")
if [ -z "$block" ]; then
  [ "$rc" = 124 ] && echo "run.sh: timeout after ${KVM_TIMEOUT}s" >&2
  echo "run.sh: no probe block on the console; last lines of $log:" >&2
  tail -n 25 "$log" >&2
  exit 1
fi
printf '%s\n' "$block"
if [ -n "${KVM_RIG_DIR:-}" ]; then
  rig_out=${KVM_RIG_OUT:-$KVM_DIR/logs/${KVM_LOG_TAG:+$KVM_LOG_TAG-}$kver-$cpu.rig}
  sed -n '/^ARMCPU-PROBE-END/,/^ARMCPU-RIG-END$/p' "$log" | sed 1d > "$rig_out"
  grep -q '^ARMCPU-RIG-END$' "$rig_out" || { echo "run.sh: the rig commands did not finish (see $log)" >&2; exit 1; }
fi
echo "$block" | grep -q '^ARMCPU-PROBE-END ok$' || exit 1
