#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig: a newer QEMU (10.x of bookworm-backports) next to the
# system one, without installing it.
#
# - With a PRIVATE apt configuration (sources list, state and cache under
#   $KVM_DIR/apt/<suite>-<arch>/, APT::Architecture = this machine's, e.g.
#   amd64) downloads -- never installs -- qemu-system-arm, qemu-system-common
#   and qemu-system-data of $KVM_QEMU_SUITE (bookworm-backports) and unpacks
#   them with dpkg-deb -x into $KVM_DIR/qemu10/root/.
# - Their library dependencies come from the machine's own suite: the missing
#   ones are installed with apt-get (root; otherwise the apt-get line is
#   printed and the script exits 2); one that the machine's sources do not
#   have is unpacked from the private index too and found via LD_LIBRARY_PATH.
# - Writes the wrapper $KVM_DIR/qemu10/qemu-system-aarch64 (QEMU_MODULE_DIR
#   and -L point into root/, so neither the system QEMU's modules nor its ROMs
#   are mixed in first) and prints its path on stdout; everything else goes to
#   stderr:    QEMU=$(tests/kvm/fetch-qemu.sh) tests/kvm/run.sh trixie max
# Idempotent: the index is refreshed at most once a day; packages already
# unpacked at the index's version are kept; offline, what is there is used.
# env: KVM_DIR (build-kvm), KVM_MIRROR, KVM_QEMU_SUITE (bookworm-backports)
# Exit: 0 ok, 1 error, 2 missing host libraries (non-root), 77 no network (skip).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KVM_DIR=${KVM_DIR:-$root/build-kvm}
MIRROR=${KVM_MIRROR:-http://deb.debian.org/debian}
SUITE=${KVM_QEMU_SUITE:-bookworm-backports}
PKGS="qemu-system-arm qemu-system-common qemu-system-data"
ARCH=$(dpkg --print-architecture)
Q=$KVM_DIR/qemu10
WRAPPER=$Q/qemu-system-aarch64
A=$KVM_DIR/apt/$SUITE-$ARCH

log() { echo "fetch-qemu: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
mkdir -p "$Q/debs"
# apt wants absolute Dir:: paths
KVM_DIR=$(cd "$KVM_DIR" && pwd)
Q=$KVM_DIR/qemu10
WRAPPER=$Q/qemu-system-aarch64
A=$KVM_DIR/apt/$SUITE-$ARCH

# what is unpacked already usable? (for the offline case)
have_unpacked() { [ -x "$WRAPPER" ] && [ -s "$Q/root.versions" ] && [ -x "$Q/root/usr/bin/qemu-system-aarch64" ]; }
offline() { # message
  if have_unpacked; then
    log "$1; using the QEMU already unpacked ($(tr '\n' ' ' < "$Q/root.versions"))"
    echo "$WRAPPER"; exit 0
  fi
  log "SKIP: $1 (no network?)"; exit 77
}

# ---- 1. private apt configuration (this machine's architecture) ----
. "$here/apt-private.sh"
apt_priv() { apt_private "$A" "$ARCH" "$@"; } # apt-get/apt-cache, args...
apt_private_init "$A" "$ARCH" "$SUITE" "$MIRROR"
stamp=$A/state/updated
stale=0
if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
  log "apt update ($SUITE, $ARCH, private config)"
  if ! apt_priv apt-get update > "$A/update.log" 2>&1 ||
     grep -qE '^(W|E): (Failed|Some index)' "$A/update.log"; then
    sed 's/^/  /' "$A/update.log" >&2
    if ls "$A/state/lists/"*_Packages* > /dev/null 2>&1; then
      log "update failed, using the old index of $SUITE"; stale=1
    else
      offline "cannot download the $SUITE index"
    fi
  else
    touch "$stamp"
  fi
fi

field_of() { # pkg field -> value of the index's candidate
  { apt_priv apt-cache show --no-all-versions "$1" 2>/dev/null || true; } | sed -n "s/^$2: //p" | head -n1
}
# ---- 2. the versions the index has ----
want=""
for p in $PKGS; do
  v=$(field_of "$p" Version)
  if [ -z "$v" ]; then
    [ $stale = 0 ] || offline "$p is not in the old $SUITE index"
    die "$p is not in the $SUITE index ($A)"
  fi
  want+="$p=$v"$'\n'
done
qver=$(field_of qemu-system-arm Version)
case "$qver" in *:10.*|10.*) ;; *) log "note: $SUITE has qemu-system-arm $qver, not 10.x" ;; esac

# ---- 3. library dependencies: from the machine's own suite ----
# (the three qemu packages themselves are unpacked, never installed)
deps_of() { # pkg -> one dependency a line, alternatives kept: "a (>= 1) | b"
  apt_priv apt-cache show --no-all-versions "$1" 2>/dev/null |
    sed -n 's/^\(Pre-\)\?Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^$' || true
}
satisfied() { # "name (op ver)" -> installed and new enough?
  local name op ver inst
  local d=${1//[()]/}
  read -r name op ver <<< "$d"
  inst=$(dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null | awk '$3 == "installed" { print $4 }') || true
  [ -n "$inst" ] || return 1
  [ -z "$op" ] || dpkg --compare-versions "$inst" "$op" "$ver"
}
missing=()
for p in $PKGS; do
  while IFS= read -r dep; do
    ok=0 first=""
    IFS='|' read -ra alts <<< "$dep"
    for alt in "${alts[@]}"; do
      alt=$(sed 's/^ *//; s/ *$//' <<< "$alt")
      n=${alt%% *}
      [ -n "$first" ] || first=$n
      case " $PKGS " in *" $n "*) ok=1; break ;; esac   # unpacked with it
      satisfied "$alt" && { ok=1; break; }
    done
    [ $ok = 1 ] || missing+=("$first")
  done < <(deps_of "$p")
done
# shellcheck disable=SC2207
[ ${#missing[@]} = 0 ] || missing=($(printf '%s\n' "${missing[@]}" | sort -u))
unpack_libs=()
if [ ${#missing[@]} -gt 0 ]; then
  own=()
  for m in "${missing[@]}"; do
    # does the machine's own apt configuration (its suite) have it?
    if apt-cache policy "$m" 2>/dev/null | grep -q 'Candidate: [^(]'; then own+=("$m"); else unpack_libs+=("$m"); fi
  done
  if [ ${#own[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      log "installing from the machine's suite: ${own[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${own[@]}" >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${own[@]}" >&2; } ||
        offline "cannot install ${own[*]}"
    else
      echo "fetch-qemu: QEMU $qver needs libraries that are not installed; run as root:" >&2
      echo "  apt-get install -y --no-install-recommends ${own[*]}" >&2
      exit 2
    fi
  fi
  [ ${#unpack_libs[@]} = 0 ] || log "not in the machine's suite, unpacked from $SUITE instead: ${unpack_libs[*]}"
fi
for m in "${unpack_libs[@]}"; do
  v=$(field_of "$m" Version)
  [ -n "$v" ] || die "dependency $m is neither installable here nor in the $SUITE index"
  want+="$m=$v"$'\n'
done

# ---- 4. download + unpack (skipped when the same versions are unpacked) ----
if have_unpacked && [ "$(cat "$Q/root.versions")" = "$(printf '%s' "$want")" ]; then
  log "$(printf '%s' "$want" | tr '\n' ' ')already unpacked in $Q/root"
else
  debs=()
  while IFS='=' read -r p v; do
    [ -n "$p" ] || continue
    # apt-get download's name: the epoch's colon is written %3a
    a=$(apt_priv apt-cache show --no-all-versions "$p=$v" | sed -n 's/^Architecture: //p' | head -n1 || true)
    deb=$Q/debs/${p}_${v//:/%3a}_${a:-$ARCH}.deb
    if [ ! -s "$deb" ]; then
      log "downloading $p $v ($SUITE, $ARCH)"
      ( cd "$Q/debs" && apt_priv apt-get -o APT::Sandbox::User=root download "$p=$v" > "$Q/debs/download.log" 2>&1 ) ||
        { sed 's/^/  /' "$Q/debs/download.log" >&2; offline "download of $p $v failed"; }
      [ -s "$deb" ] || die "apt-get download of $p $v left no $deb"
    fi
    debs+=("$deb")
  done <<< "$want"
  rm -rf "$Q/root.new"
  mkdir -p "$Q/root.new"
  for deb in "${debs[@]}"; do
    dpkg-deb -x "$deb" "$Q/root.new" || die "dpkg-deb -x $deb failed"
  done
  [ -x "$Q/root.new/usr/bin/qemu-system-aarch64" ] || die "no usr/bin/qemu-system-aarch64 in qemu-system-arm $qver"
  rm -rf "$Q/root.old"
  [ ! -d "$Q/root" ] || mv "$Q/root" "$Q/root.old"
  mv "$Q/root.new" "$Q/root"
  rm -rf "$Q/root.old"
  printf '%s' "$want" > "$Q/root.versions"
  # old .debs of other versions
  for f in "$Q"/debs/*.deb; do
    keep=0
    for deb in "${debs[@]}"; do [ "$f" = "$deb" ] && keep=1; done
    [ $keep = 1 ] || rm -f "$f"
  done
  log "unpacked $(printf '%s' "$want" | tr '\n' ' ')into $Q/root"
fi

# ---- 5. the wrapper ----
moddir=$(cd "$Q/root" && ls -d usr/lib/*/qemu 2>/dev/null | head -n1 || true)
libpath=""
if [ ${#unpack_libs[@]} -gt 0 ]; then
  for d in "$Q"/root/lib/*-linux-gnu* "$Q"/root/usr/lib/*-linux-gnu*; do
    [ -d "$d" ] && libpath+="${libpath:+:}\$r/${d#"$Q/root/"}"
  done
fi
{
  echo '#!/bin/sh'
  echo "# Written by tests/kvm/fetch-qemu.sh: qemu-system-aarch64 $qver of $SUITE ($ARCH),"
  echo '# unpacked (not installed) in root/ beside this script. Its modules and ROMs come'
  echo '# first from root/ (the system QEMU'"'"'s are only a fallback of -L).'
  echo 'r=$(dirname "$(readlink -f "$0")")/root'
  [ -z "$moddir" ] || echo "QEMU_MODULE_DIR=\$r/$moddir; export QEMU_MODULE_DIR"
  [ -z "$libpath" ] || echo "LD_LIBRARY_PATH=$libpath\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}; export LD_LIBRARY_PATH"
  echo 'exec "$r/usr/bin/qemu-system-aarch64" -L "$r/usr/share/qemu" "$@"'
} > "$WRAPPER.tmp"
chmod +x "$WRAPPER.tmp"
mv -f "$WRAPPER.tmp" "$WRAPPER"

# ---- 6. does it run? ----
nf=$( (r=$Q/root; [ -z "$libpath" ] || export LD_LIBRARY_PATH=${libpath//\$r/$r}; ldd "$r/usr/bin/qemu-system-aarch64") | awk '/not found/ { print $1 }' | tr '\n' ' ')
[ -z "$nf" ] || die "qemu-system-aarch64 $qver: libraries not found: $nf(install them from the machine's suite)"
v=$("$WRAPPER" --version 2>&1 | head -n1) || die "$WRAPPER --version failed: $v"
log "$v"
echo "$WRAPPER"
