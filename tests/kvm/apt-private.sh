# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by fetch.sh and fetch-qemu.sh: apt with a PRIVATE configuration
# (sources list, state and cache under one directory), so packages of other
# suites are downloaded, never installed.

# apt_private DIR ARCH TOOL ARGS...: apt-get/apt-cache on that configuration
apt_private() {
  local d=$1 arch=$2 tool=$3; shift 3
  "$tool" -q \
    -o Dir::Etc::SourceList="$d/sources.list" \
    -o Dir::Etc::SourceParts="$d/sources.list.d" \
    -o Dir::Etc::Preferences="$d/preferences" \
    -o Dir::Etc::PreferencesParts="$d/preferences.d" \
    -o Dir::State="$d/state" \
    -o Dir::State::status="$d/state/status" \
    -o Dir::Cache="$d/cache" \
    -o APT::Architecture="$arch" \
    -o APT::Architectures::="$arch" \
    -o Acquire::Languages=none \
    -o Debug::NoLocking=1 \
    "$@"
}

# apt_private_init DIR ARCH SUITE MIRROR: the directory tree and sources.list
apt_private_init() {
  local d=$1 arch=$2 suite=$3 mirror=$4
  mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/state/lists/partial" "$d/cache/archives/partial"
  : > "$d/preferences"
  [ -f "$d/state/status" ] || : > "$d/state/status"
  echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$d/sources.list"
}
