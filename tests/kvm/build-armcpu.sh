#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig: the armcpu CLI, static, for arm64, plus the rig's /init.
#
# - json-c and cmocka for arm64: Debian's libjson-c-dev/libjson-c5 and
#   libcmocka-dev/libcmocka0 (:arm64) of this machine's own suite, DOWNLOADED
#   (never installed) with a private apt configuration under
#   $KVM_DIR/apt/<suite>-sysroot/ and unpacked into $KVM_DIR/sysroot.
# - A meson cross build ($KVM_DIR/cross-build, static, aarch64-linux-gnu-gcc)
#   of the repository; only the `armcpu` target is built, copied to
#   $KVM_DIR/armcpu-arm64.
# - tests/kvm/rig-init.c -> $KVM_DIR/rig-init.
# Idempotent (ninja decides what to rebuild).
# Exit: 0 ok, 1 build failure, 77 the packages cannot be downloaded.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KVM_DIR=${KVM_DIR:-$root/build-kvm}
CROSS_CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
MIRROR=${KVM_MIRROR:-http://deb.debian.org/debian}
SUITE=${KVM_SYSROOT_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}
PKGS="libjson-c-dev libjson-c5 libcmocka-dev libcmocka0"
sysroot=$KVM_DIR/sysroot
log() { echo "kvm-build: $*" >&2; }

# ---- 1. arm64 libraries into the sysroot (download only) ----
d=$KVM_DIR/apt/$SUITE-sysroot
. "$here/apt-private.sh"
apt_priv() { apt_private "$d" arm64 "$@"; } # apt-get/apt-cache, args...
if [ ! -s "$sysroot/.done" ]; then
  mkdir -p "$KVM_DIR/debs-sysroot"
  apt_private_init "$d" arm64 "$SUITE" "$MIRROR"
  if ! apt_priv apt-get update > "$d/update.log" 2>&1 || grep -qE '^(W|E): (Failed|Some index)' "$d/update.log"; then
    cat "$d/update.log" >&2
    log "SKIP: cannot download the $SUITE arm64 index"; exit 77
  fi
  rm -rf "$sysroot.tmp" && mkdir -p "$sysroot.tmp"
  for p in $PKGS; do
    ( cd "$KVM_DIR/debs-sysroot" && apt_priv apt-get -o APT::Sandbox::User=root download "$p:arm64" >&2 ) ||
      { log "SKIP: download of $p:arm64 failed"; exit 77; }
  done
  for deb in "$KVM_DIR"/debs-sysroot/*.deb; do dpkg-deb -x "$deb" "$sysroot.tmp"; done
  # the .pc files say prefix=/usr: pkg-config's sysroot prefix fixes -I/-L
  ls "$KVM_DIR"/debs-sysroot/*.deb | sed 's|.*/||' > "$sysroot.tmp/.done"
  rm -rf "$sysroot" && mv "$sysroot.tmp" "$sysroot"
  log "sysroot: $(tr '\n' ' ' < "$sysroot/.done")"
fi

# ---- 2. meson cross build, static ----
cross=$KVM_DIR/cross-arm64.ini
cat > "$cross.tmp" <<EOF
[binaries]
c = '$CROSS_CC'
ar = '${CROSS_CC%gcc}ar'
strip = '${CROSS_CC%gcc}strip'
pkgconfig = 'pkg-config'

[properties]
sys_root = '$sysroot'
pkg_config_libdir = ['$sysroot/usr/lib/aarch64-linux-gnu/pkgconfig', '$sysroot/usr/share/pkgconfig']

[built-in options]
b_pie = false

[host_machine]
system = 'linux'
cpu_family = 'aarch64'
cpu = 'armv8-a'
endian = 'little'
EOF
cmp -s "$cross.tmp" "$cross" && rm -f "$cross.tmp" || { mv -f "$cross.tmp" "$cross"; rm -rf "$KVM_DIR/cross-build"; }
b=$KVM_DIR/cross-build
if [ ! -f "$b/build.ninja" ]; then
  meson setup "$b" "$root" --cross-file "$cross" -Dbuildtype=release > "$KVM_DIR/cross-setup.log" 2>&1 ||
    { cat "$KVM_DIR/cross-setup.log" >&2; log "meson cross setup failed"; exit 1; }
fi
# the library (with the generated model/host tables) through meson; the CLI
# linked statically here (meson's armcpu target links the shared library)
ninja -C "$b" libarmcpu.a > "$KVM_DIR/cross-build.log" 2>&1 ||
  { tail -n 40 "$KVM_DIR/cross-build.log" >&2; log "cross build of libarmcpu.a failed"; exit 1; }
"$CROSS_CC" -static -O2 -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
  -I"$root/include" -I"$sysroot/usr/include" -o "$KVM_DIR/armcpu-arm64.tmp" \
  "$root"/tools/armcpu/*.c "$b/libarmcpu.a" -L"$sysroot/usr/lib/aarch64-linux-gnu" -ljson-c \
  >> "$KVM_DIR/cross-build.log" 2>&1 ||
  { tail -n 40 "$KVM_DIR/cross-build.log" >&2; log "static link of armcpu failed"; exit 1; }
mv -f "$KVM_DIR/armcpu-arm64.tmp" "$KVM_DIR/armcpu-arm64"

# ---- 3. the rig's /init ----
if [ ! -x "$KVM_DIR/rig-init" ] || [ "$here/rig-init.c" -nt "$KVM_DIR/rig-init" ]; then
  "$CROSS_CC" -static -O2 -std=c11 -Wall -Wextra -Werror -o "$KVM_DIR/rig-init.tmp" "$here/rig-init.c"
  mv -f "$KVM_DIR/rig-init.tmp" "$KVM_DIR/rig-init"
fi
log "armcpu for arm64: $KVM_DIR/armcpu-arm64 ($(stat -c %s "$KVM_DIR/armcpu-arm64") bytes, static)"
