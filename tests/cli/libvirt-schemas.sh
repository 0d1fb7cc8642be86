#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Downloads (never installs) upstream libvirt's RelaxNG schemas from Debian
# trixie's libvirt-common (libvirt 11.x) into DIR, for validating the
# domain-capabilities XML in full: Debian 12's libvirt 9.0 schema predates
# <blockers>. A private apt configuration under DIR/apt (its own sources
# list, state and cache) keeps the machine's apt untouched.
# Usage: libvirt-schemas.sh DIR   -> DIR/schemas/domaincaps.rng; exit 0 even
# offline (then no schemas: the test validates what the 9.0 schema knows).
set -u
dir=${1:?usage: libvirt-schemas.sh DIR}
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
[ -f "$dir/schemas/domaincaps.rng" ] && exit 0
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || exit 0
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
a="$dir/apt"
# the rig's private-apt helper (tests/kvm/apt-private.sh), for this machine's architecture
. "$(dirname "$0")/../kvm/apt-private.sh"
arch=$(dpkg --print-architecture)
apt_private_init "$a" "$arch" trixie "$mirror"
apt_priv() { apt_private "$a" "$arch" apt-get "$@"; }
if ! apt_priv update > "$dir/apt.log" 2>&1 ||
   ! (cd "$a/cache/archives" && apt_priv download libvirt-common >> "$dir/apt.log" 2>&1); then
  echo "libvirt-schemas: cannot download trixie's libvirt-common (offline?): see $dir/apt.log"
  exit 0
fi
deb=$(ls "$a"/cache/archives/libvirt-common_*.deb 2>/dev/null | head -n1)
rm -rf "$dir/x" && dpkg-deb -x "$deb" "$dir/x" &&
  [ -f "$dir/x/usr/share/libvirt/schemas/domaincaps.rng" ] || { echo "libvirt-schemas: no schemas in $deb"; exit 0; }
rm -rf "$dir/schemas.tmp" && cp -r "$dir/x/usr/share/libvirt/schemas" "$dir/schemas.tmp" &&
  basename "$deb" > "$dir/schemas.tmp/FROM" && mv "$dir/schemas.tmp" "$dir/schemas"
rm -rf "$dir/x"
echo "libvirt-schemas: $(cat "$dir/schemas/FROM") -> $dir/schemas"
