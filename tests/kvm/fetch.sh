#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig, step 1: host tools + arm64 Debian kernels.
#
# - Installs the missing host packages from the machine's own suite (root),
#   otherwise prints the apt-get line and exits 2.
# - With a PRIVATE apt configuration per suite (sources list, state and cache
#   under $KVM_DIR/apt/<suite>/, APT::Architecture=arm64) downloads -- never
#   installs -- the arm64 kernel image packages of:
#     bookworm          linux-image-arm64 -> linux-image-6.1.*-arm64
#     trixie            linux-image-arm64 -> linux-image-6.12.*-arm64
#     trixie-backports  newest linux-image-<ver>-arm64 of the index
#   plus, from trixie-backports, the newest Debian build of each major.minor
#   series listed in KVM_KERNELS (default "6.18", what `make check` boots;
#   "all" = every series of the index: 6.16 6.17 6.18 6.19 7.0 ... 7.3) and
#   the pinned packages of KVM_EXTRA_KERNELS (suite:package, default the
#   6.19.14 the shared reference was measured on).
#   Newer Debian kernels ship the image in linux-binary-<ver>-arm64 and
#   linux-image-<ver>-arm64 is only a wrapper depending on it: both handled.
# - Extracts vmlinuz (+ config, checked for CONFIG_KVM=y) into
#   $KVM_DIR/kernels/<version>/ with `package` (the package name) and
#   `debian` ("<package> <Debian version> <suite>"), and writes
#   $KVM_DIR/kernels/<suite>.ver.
# Idempotent: what is already there is skipped.
# Exit: 0 ok, 2 missing host packages (non-root), 77 no network (skip).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KVM_DIR=${KVM_DIR:-$root/build-kvm}
MIRROR=${KVM_MIRROR:-http://deb.debian.org/debian}
SUITES=${KVM_SUITES:-"bookworm trixie trixie-backports"}
EXTRA=${KVM_EXTRA_KERNELS-"trixie-backports:linux-image-6.19.14+deb13-arm64"}
# major.minor series fetched from trixie-backports (newest build of each), or "all"
SERIES=${KVM_KERNELS-"6.18"}
BPO=trixie-backports
HOST_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio"

log() { echo "kvm-fetch: $*"; }
# generic arm64 flavour: linux-image-6.1.0-50-arm64, linux-image-6.12.117+deb13-arm64
IMG_RE='^linux-image-[0-9][0-9.]*(-[0-9]+)?(\+[a-z0-9.]+)?-arm64$'
# the same for the image packages of the linux-binary split (7.x)
BIN_RE='^linux-binary-[0-9][0-9.]*(-[0-9]+)?(\+[a-z0-9.]+)?-arm64$'

# ---- 1. host packages (from the machine's own suite only) ----
missing=""
for p in $HOST_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; } ||
      { log "cannot install$missing (no network?)"; exit 77; }
  else
    echo "kvm-fetch: missing packages; run as root:"
    echo "  apt-get install -y --no-install-recommends$missing"
    exit 2
  fi
fi

mkdir -p "$KVM_DIR/kernels" "$KVM_DIR/debs"

# ---- 2. private apt configuration per suite ----
. "$here/apt-private.sh"
apt_priv() { # suite, apt-get/apt-cache, args...
  local suite=$1; shift
  apt_private "$KVM_DIR/apt/$suite" arm64 "$@"
}

setup_suite() {
  local suite=$1 d="$KVM_DIR/apt/$1"
  apt_private_init "$d" arm64 "$suite" "$MIRROR"
  # refresh the index at most once a day
  local stamp="$d/state/updated"
  if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
    log "apt update ($suite, arm64, private config)"
    if ! apt_priv "$suite" apt-get update > "$d/update.log" 2>&1 ||
       grep -qE '^(W|E): (Failed|Some index)' "$d/update.log"; then
      cat "$d/update.log" >&2
      if ls "$d/state/lists/"*_Packages >/dev/null 2>&1; then
        log "update failed, using the old index of $suite"
      else
        log "SKIP: cannot download the $suite index (no network?)"
        exit 77
      fi
    else
      touch "$stamp"
    fi
  fi
}

# Depends of a package (candidate of this suite's index), one name a line.
deps_of() { # suite pkg
  apt_priv "$1" apt-cache show --no-all-versions "$2" 2>/dev/null |
    sed -n 's/^\(Pre-\)\?Depends: //p' | tr ',' '\n' | sed 's/[|(].*//; s/^ *//; s/ *$//' | grep -v '^$' || true
}

# The image package for a suite: linux-image-<kver>-arm64 (not -unsigned/-dbg).
choose_image() { # suite -> prints package name
  local suite=$1 pkg
  case "$suite" in
    *-backports)
      # newest linux-image-<ver>-arm64 of the backports index
      # (generic flavour only: not -rt/-cloud/-16k/-dbg/-unsigned)
      pkg=$(apt_priv "$suite" apt-cache pkgnames linux-image- | grep -E "$IMG_RE" | sort -V | tail -n1) ;;
    *)
      pkg=$(deps_of "$suite" linux-image-arm64 | grep -E "$IMG_RE" | head -n1) ;;
  esac
  [ -n "$pkg" ] || { log "no arm64 kernel image package found in $suite" >&2; return 1; }
  echo "$pkg"
}

# Every generic kernel version of a suite's index (6.16.12+deb13-arm64, ...),
# from linux-image-<ver>-arm64 and linux-binary-<ver>-arm64 names, sorted.
index_kernels() { # suite
  { apt_priv "$1" apt-cache pkgnames linux-image- | grep -E "$IMG_RE" | sed 's/^linux-image-//'
    apt_priv "$1" apt-cache pkgnames linux-binary- | grep -E "$BIN_RE" | sed 's/^linux-binary-//'
  } | sort -uV
}
series_of() { sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<< "$1"; }

download() { # suite pkg -> prints .deb path
  local suite=$1 pkg=$2 ver fname
  ver=$(apt_priv "$suite" apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -n1)
  fname=$(apt_priv "$suite" apt-cache show --no-all-versions "$pkg" | sed -n 's/^Filename: //p' | head -n1)
  [ -n "$fname" ] || { log "$pkg: not in the $suite index" >&2; return 1; }
  local deb="$KVM_DIR/debs/$(basename "$fname")"
  if [ ! -s "$deb" ]; then
    log "downloading $pkg $ver ($suite)" >&2
    ( cd "$KVM_DIR/debs" && apt_priv "$suite" apt-get -o APT::Sandbox::User=root download "$pkg=$ver" >&2 ) ||
      { log "SKIP: download of $pkg failed (no network?)" >&2; exit 77; }
  fi
  echo "$deb"
}

# "<package> <Debian version> <suite>" of the package a kernel came from
debian_line() { # suite pkg
  echo "$2 $(apt_priv "$1" apt-cache show --no-all-versions "$2" | sed -n 's/^Version: //p' | head -n1) $1"
}

fetch_suite() { # suite [pinned image package]
  local suite=$1 pkg kver out deb x
  setup_suite "$suite"
  if [ -n "${2:-}" ]; then
    pkg=$2
    if ! apt_priv "$suite" apt-cache show --no-all-versions "$pkg" >/dev/null 2>&1; then
      log "$suite: pinned $pkg no longer in the index, skipped"
      return 0
    fi
  else
    pkg=$(choose_image "$suite") || return 1
  fi
  kver=${pkg#linux-image-}
  kver=${kver#linux-binary-}
  out="$KVM_DIR/kernels/$kver"
  if [ -s "$out/vmlinuz" ] && [ -s "$out/package" ]; then
    log "$suite: $pkg -> $out (already there)"
    [ -s "$out/debian" ] || debian_line "$suite" "$pkg" > "$out/debian"
  else
    deb=$(download "$suite" "$pkg")
    x=$(mktemp -d "$KVM_DIR/x.XXXXXX")
    dpkg-deb -x "$deb" "$x"
    find_img() { ls "$x"/boot/vmlinuz-* "$x"/usr/lib/modules/*/vmlinuz 2>/dev/null | head -n1 || true; }
    find_cfg() { ls "$x"/boot/config-* "$x"/usr/lib/modules/*/config 2>/dev/null | head -n1 || true; }
    if [ -z "$(find_img)" ]; then
      # wrapper package: the image is in linux-binary-<kver> (newer Debian)
      local bin
      bin=$(deps_of "$suite" "$pkg" | grep -E '^linux-binary-' | head -n1 || true)
      [ -n "$bin" ] || { log "$pkg has no vmlinuz and no linux-binary-* dependency"; rm -rf "$x"; return 1; }
      log "$suite: $pkg is a wrapper; image package is $bin"
      deb=$(download "$suite" "$bin")
      dpkg-deb -x "$deb" "$x"
    fi
    if [ -z "$(find_cfg)" ]; then
      # the kernel config then lives in linux-base-<kver>
      local base
      base=$( { deps_of "$suite" "$pkg"; deps_of "$suite" "linux-binary-$kver"; } | grep -Fx "linux-base-$kver" | head -n1 || true)
      if [ -n "$base" ] && deb=$(download "$suite" "$base"); then
        dpkg-deb -x "$deb" "$x"
      fi
    fi
    local img cfg
    img=$(find_img)
    cfg=$(find_cfg)
    [ -n "$img" ] || { log "no vmlinuz in $pkg"; rm -rf "$x"; return 1; }
    mkdir -p "$out"
    cp "$img" "$out/vmlinuz"
    [ -n "$cfg" ] && cp "$cfg" "$out/config"
    echo "$pkg" > "$out/package"
    debian_line "$suite" "$pkg" > "$out/debian"
    rm -rf "$x"
    log "$suite: chose $pkg -> $out/vmlinuz"
  fi
  if [ -s "$out/config" ]; then
    grep -q '^CONFIG_KVM=y' "$out/config" || { log "$kver: CONFIG_KVM is not built in"; return 1; }
    log "$kver: CONFIG_KVM=y ok"
  elif grep -aq 'kvm \[%i\]: .*mode initialized successfully' "$out/vmlinuz"; then
    # no config shipped (linux-base-<ver> gone from the index): KVM's init
    # message in the (uncompressed) Image shows that KVM is built in
    log "$kver: no config file; the image contains KVM (built in) ok"
  else
    log "$kver: WARNING no config file and no KVM string in the image"
  fi
  [ -n "${2:-}" ] || echo "$kver" > "$KVM_DIR/kernels/$suite.ver"
}

for s in $SUITES; do
  fetch_suite "$s"
done
# Extra pinned kernels (suite:package), e.g. the 6.19 the shared reference was
# measured on; skipped quietly once the archive drops them.
for e in $EXTRA; do
  fetch_suite "${e%%:*}" "${e#*:}"
done
# The newest Debian build of each requested major.minor series of
# trixie-backports (6.1 and 6.12 come from bookworm and trixie above).
series_done=""
if [ -n "$SERIES" ]; then
  setup_suite "$BPO"
  all=$(index_kernels "$BPO")
  want=$SERIES
  [ "$want" = all ] && want=$(while read -r k; do series_of "$k"; done <<< "$all" | sort -uV)
  for mm in $want; do
    case " $(for s in $SUITES; do series_of "$(cat "$KVM_DIR/kernels/$s.ver" 2>/dev/null)"; done | tr '\n' ' ') " in
      *" $mm "*) [ "$SERIES" = all ] || log "$mm: the kernel of a suite above"; continue ;;
    esac
    k=$(grep -F "$mm." <<< "$all" | while read -r v; do [ "$(series_of "$v")" = "$mm" ] && echo "$v"; done | sort -V | tail -n1 || true)
    if [ -z "$k" ]; then
      log "$mm: no linux-image/linux-binary-$mm.*-arm64 in the $BPO index, skipped"; continue
    fi
    if apt_priv "$BPO" apt-cache show --no-all-versions "linux-image-$k" > /dev/null 2>&1; then
      fetch_suite "$BPO" "linux-image-$k"
    else
      fetch_suite "$BPO" "linux-binary-$k"
    fi
    series_done="$series_done $mm:$k"
  done
fi
log "kernels:"
for s in $SUITES; do
  printf '  %-18s %s\n' "$s" "$(cat "$KVM_DIR/kernels/$s.ver")"
done
for e in $series_done; do
  printf '  %-18s %s\n' "series ${e%%:*}" "${e#*:}"
done
