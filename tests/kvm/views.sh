#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig: the guest view armcpu derives from QEMU's raw CPU values
# against what KVM showed, for every fresh probe block (the rig form of
# tests/unit/test_views.c's raw_case, which does it for the embedded snapshots
# only). All on the x86 side, with build/armcpu, after the boots; no boot of
# its own. For a probe block of -cpu CPU under kernel K (major.minor M):
#   1. the listing `REG 0xVALUE` of every table register (`armcpu regs`):
#      QEMU's values of the core (../shared/reference/core-idregs.json,
#      cores.<CPU up to its first comma>; GMID_EL1_BS is the GMID_EL1.BS
#      field), 0 for every register the core's entry lacks, then QEMU's board
#      adjustments as test_views.c makes them: BOARD (no EL3, GICv3) and, for
#      QEMU 10 and later, BOARD_QEMU10 (TCG's feature clearing; BF16 on
#      neoverse-v1). The lists are read from tests/unit/test_views.c itself, so
#      the rig and the unit test cannot drift apart. A CPU without raw values
#      (QEMU's max) is skipped with a note.
#   2. armcpu hosts import LISTING --view host --kernel M --vcpu-features F
#      (F: the vCPU features the probe used) -> the derived view, and
#      armcpu hosts import PROBE -> what KVM showed.
#   3. on every register the probe has: every field the derived view knows
#      equals KVM's, and the fields it marks unknown are exactly those of
#      test_views.c's UNKNOWABLE for kernel M (a field counts as unknown when
#      any of its bits is).
# One ok/FAIL line per (QEMU, kernel, CPU), naming the differing fields (REG.FIELD
# derived 0x.., KVM 0x..) and the fields whose unknown state is wrong. A
# second probe block of the same (QEMU, kernel, CPU) with the same REG lines
# (the armcpu and upgrade boots repeat some) is counted, not checked again;
# one with other values is checked on its own line.
#
# Sourced by check.sh (views_begin, views_check, views_end; ok/bad/note_ are
# check.sh's), or run on its own on probe blocks of any age:
#   tests/kvm/views.sh PROBE CPU[@qemu10] ...
# e.g. tests/kvm/views.sh build-kvm/probe-out/qemu10-neoverse-n2-7.3.4+deb13-arm64.txt neoverse-n2@qemu10
# (its files: build-kvm/probe-out/views-standalone/; check.sh's: views/)
# env: KVM_REF (../shared/reference), ARMCPU (build/armcpu), KVM_DIR (build-kvm)
# Exit (standalone): 0 passed, 1 a check failed, 77 no core-idregs.json.

vw_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vw_root=$(cd "$vw_here/../.." && pwd)
vw_ready="" vw_standalone="" vw_native="" vw_dir="" vw_ref="" vw_ms=0
vw_checked=0 vw_skipped=0 vw_same=0
vw_regs=""                     # table registers, in table order
declare -A vw_seen=()          # "qemu|kver|cpu" -> the probe block checked
declare -A vw_lsb=() vw_width=() vw_fields=() vw_qv=()
vw_board=() vw_board10=() vw_unknowable=()
# probe blocks written before this stamp (check.sh sources this file before
# its first boot) are left over from another run: check.sh skips them
vw_stamp=${out:-${KVM_DIR:-$vw_root/build-kvm}/probe-out}/views.stamp
[ "${BASH_SOURCE[0]}" = "$0" ] || { mkdir -p "$(dirname "$vw_stamp")" && : > "$vw_stamp"; }

vw_now() { date +%s%3N; }
# the entries of a C array initializer `NAME[] = { {...}, ... };` of
# test_views.c, one a line, quotes and spaces removed: "a,b[,c]"
vw_c_array() { # name
  awk -v n="$1" '
    index($0, n "[] = {") { p = 1 }
    p { s = s $0 }
    p && /};/ { exit }
    END {
      while (match(s, /\{[^{}]*\}/)) {
        e = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
        gsub(/[" \t]/, "", e); print e
      }
    }' "$vw_root/tests/unit/test_views.c"
}
# QEMU's major version of a binary (cached)
declare -A vw_qemu_major_of=()
views_qemu_major() { # binary
  local b=$1 v
  if [ -z "${vw_qemu_major_of[$b]:-}" ]; then
    v=$("$b" --version 2> /dev/null | sed -n '1s/.*version \([0-9]*\)\..*/\1/p')
    vw_qemu_major_of[$b]=${v:-0}
  fi
  echo "${vw_qemu_major_of[$b]}"
}

# -> 0 ready; otherwise it has said why (SKIP, or FAIL for a broken setup)
views_begin() { # native-armcpu header
  local t0 r f l w e
  [ "$vw_ready" != no ] || return 1
  t0=$(vw_now)
  echo "== $2"
  if [ -z "$vw_ready" ]; then
    vw_native=$1
    vw_ref=${KVM_REF:-$vw_root/../shared/reference}/core-idregs.json
    vw_dir=${out:-${KVM_DIR:-$vw_root/build-kvm}/probe-out}/views${vw_standalone:+-standalone}
    if [ ! -f "$vw_ref" ]; then
      echo "  SKIP views: no $vw_ref (QEMU's raw CPU values)"; vw_ready=no; return 1
    fi
    if [ ! -x "$vw_native" ] && ! make -C "$vw_root" build > "$vw_dir.build.log" 2>&1; then
      bad "views: no native $vw_native (make build failed: $vw_dir.build.log)"; vw_ready=no; return 1
    fi
    rm -rf "$vw_dir" && mkdir -p "$vw_dir"
    # the table: "REG FIELD lsb width", registers in table order
    # (a register without fields, ID_AA64AFR1_EL1: "REG - - -")
    while read -r r f l w; do
      case " $vw_regs " in *" $r "*) ;; *) vw_regs+="$r " vw_fields[$r]="" ;; esac
      [ "$f" = - ] || { vw_fields[$r]+="$f " vw_lsb[$r.$f]=$l vw_width[$r.$f]=$w; }
    done < <("$vw_native" regs --json | jq -r '.registers[] | .name as $r |
               if (.fields | length) == 0 then "\($r) - - -" else .fields[] | "\($r) \(.name) \(.lsb) \(.width)" end')
    # test_views.c's lists: BOARD "FIELD,value", BOARD_QEMU10 "CORE|NULL,FIELD,value",
    # UNKNOWABLE "FIELD|REG,since"
    mapfile -t vw_board < <(vw_c_array BOARD)
    mapfile -t vw_board10 < <(vw_c_array BOARD_QEMU10)
    mapfile -t vw_unknowable < <(vw_c_array UNKNOWABLE)
    for e in "${vw_board[@]}" "${vw_board10[@]#*,}"; do
      [ -n "${vw_lsb[${e%,*}]:-}" ] || { bad "views: test_views.c's board field ${e%,*} is not a table field"; vw_ready=no; return 1; }
    done
    for e in "${vw_unknowable[@]}"; do
      [ -n "${vw_lsb[${e%,*}]:-}" ] || [ -n "${vw_fields[${e%,*}]+x}" ] ||
        { bad "views: test_views.c's unknowable ${e%,*} is no table field or register"; vw_ready=no; return 1; }
    done
    if [ -z "$vw_regs" ] || [ ${#vw_board[@]} = 0 ] || [ ${#vw_board10[@]} = 0 ] || [ ${#vw_unknowable[@]} = 0 ]; then
      bad "views: could not read the register table ($vw_native regs --json) or BOARD/BOARD_QEMU10/UNKNOWABLE of tests/unit/test_views.c"
      vw_ready=no; return 1
    fi
    # QEMU's raw values, every core: "CORE KEY VALUE"
    jq -r '.cores | to_entries[] | .key as $c | .value | to_entries[] | "\($c) \(.key) \(.value)"' "$vw_ref" > "$vw_dir/cores.txt" ||
      { bad "views: cannot read $vw_ref"; vw_ready=no; return 1; }
    vw_ready=yes
    echo "  from tests/unit/test_views.c: ${#vw_board[@]} board adjustments, ${#vw_board10[@]} more for QEMU 10, ${#vw_unknowable[@]} unknowable entries"
  fi
  vw_ms=$((vw_ms + $(vw_now) - t0))
  [ "$vw_ready" = yes ]
}

# is REG.FIELD unknowable under kernel key K (test_views.c's unknowable())
vw_is_unknowable() { # reg field key
  local e n
  for e in "${vw_unknowable[@]}"; do
    n=${e%,*}
    if { [ "$n" = "$1.$2" ] || [ "$n" = "$1" ]; } && [ "$3" -ge "${e##*,}" ]; then return 0; fi
  done
  return 1
}
# set REG.FIELD in vw_qv[REG] (64-bit bash arithmetic)
vw_set() { # reg.field value
  local r=${1%%.*} l=${vw_lsb[$1]} w=${vw_width[$1]} m
  m=$(( w >= 64 ? -1 : (1 << w) - 1 ))
  vw_qv[$r]=$(( (${vw_qv[$r]} & ~(m << l)) | (($2 & m) << l) ))
}

# one probe block -> one ok/FAIL line (or a note: skipped / same as checked)
views_check() { # probe-file cpu qemu-major [source label]
  local p=$1 cpu=$2 qm=$3 src=${4:-} t0 core kver mm kkey key d lab e k val reg pv dv du fld l w m a b
  local n=0 nr=0 diffs="" unk_bad="" unk_list="" feats all some nf
  [ "$vw_ready" = yes ] || return
  [ -f "$p" ] || return
  # check.sh: only this run's probe blocks
  if [ "${BASH_SOURCE[0]}" != "$0" ] && ! [ "$p" -nt "$vw_stamp" ]; then return; fi
  t0=$(vw_now)
  core=${cpu%%,*}
  kver=$(awk '$1 == "UNAME" { print $2 }' "$p")
  mm=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<< "$kver")
  lab="$kver $cpu (QEMU $qm${src:+, $src})"
  if ! grep -q '^ARMCPU-PROBE-END ok$' "$p" || [ -z "$mm" ]; then
    note_ "views $lab: incomplete probe block $(basename "$p") (its boot failed): not checked"; return
  fi
  key="$qm|$kver|$cpu"
  if [ -n "${vw_seen[$key]:-}" ]; then
    if cmp -s <(grep '^REG ' "${vw_seen[$key]}") <(grep '^REG ' "$p"); then
      vw_same=$((vw_same + 1)); vw_ms=$((vw_ms + $(vw_now) - t0)); return
    fi
    lab="$lab, $(basename "$p"): other register values than $(basename "${vw_seen[$key]}")"
  else
    vw_seen[$key]=$p
  fi
  views_guest "$p" "$lab"
  if ! grep -q "^$core " "$vw_dir/cores.txt"; then
    note_ "views $lab: core-idregs.json has no raw values for '$core'$([ "$core" = max ] && echo " (QEMU's max is no real core)"): skipped"
    vw_skipped=$((vw_skipped + 1)); vw_ms=$((vw_ms + $(vw_now) - t0)); return
  fi
  d=$vw_dir/qemu$qm-$kver-$core${src:+-${src// /-}}
  [ ! -e "$d" ] || d=$d-$vw_checked
  mkdir -p "$d"
  # 1. the listing
  vw_qv=()
  for reg in $vw_regs; do vw_qv[$reg]=0; done
  while read -r k val; do
    case $k in
      _*) continue ;;
      GMID_EL1_BS) vw_set GMID_EL1.BS "$((val))" ;;
      *)
        [ -n "${vw_qv[$k]+x}" ] || { bad "views $lab: core-idregs.json's $core has $k, not a table register"; return; }
        vw_qv[$k]=$((val)) ;;
    esac
  done < <(awk -v c="$core" '$1 == c { print $2, $3 }' "$vw_dir/cores.txt")
  for e in "${vw_board[@]}"; do vw_set "${e%,*}" "${e##*,}"; done
  if [ "$qm" -ge 10 ]; then
    for e in "${vw_board10[@]}"; do
      [ "${e%%,*}" = NULL ] || [ "${e%%,*}" = "$core" ] || continue
      e=${e#*,}; vw_set "${e%,*}" "${e##*,}"
    done
  fi
  for reg in $vw_regs; do printf '%s 0x%016x\n' "$reg" "${vw_qv[$reg]}"; done > "$d/raw.txt"
  # 2. what KVM showed, and the derived view of the listing with its features
  if ! "$vw_native" hosts import "$p" --name probe -o "$d/probe.json" 2> "$d/probe.err"; then
    bad "views $lab: the probe block does not import: $(cat "$d/probe.err")"; return
  fi
  feats=$(jq -r '.vcpu_features | if length == 0 then "none" else join(",") end' "$d/probe.json")
  if ! "$vw_native" hosts import "$d/raw.txt" --name raw --view host --kernel "$mm" --vcpu-features "$feats" \
         -o "$d/derived.json" 2> "$d/derived.err"; then
    bad "views $lab: hosts import --view host --kernel $mm failed: $(cat "$d/derived.err")"; return
  fi
  # 3. field by field on every register the probe has
  kkey=$(( ${mm%%.*} * 1000 + ${mm#*.} ))
  while read -r reg pv dv du; do
    nr=$((nr + 1))
    if [ "$dv" = - ]; then diffs+="$reg: KVM shows it, the derived view has no value; "; continue; fi
    all=1 some="" nf=0
    for fld in ${vw_fields[$reg]}; do
      l=${vw_lsb[$reg.$fld]} w=${vw_width[$reg.$fld]}
      m=$(( w >= 64 ? -1 : (1 << w) - 1 ))
      if [ $(( du & (m << l) )) != 0 ]; then
        vw_is_unknowable "$reg" "$fld" "$kkey" || unk_bad+="$reg.$fld unknown but knowable; "
        some+="$reg.$fld " nf=$((nf + 1))
        continue
      fi
      all=0
      vw_is_unknowable "$reg" "$fld" "$kkey" && unk_bad+="$reg.$fld known but unknowable (derived $(printf '0x%x' $(( (dv >> l) & m ))), KVM $(printf '0x%x' $(( (pv >> l) & m )))); "
      a=$(( (dv >> l) & m )) b=$(( (pv >> l) & m ))
      [ "$a" = "$b" ] || diffs+="$reg.$fld derived $(printf '0x%x' "$a"), KVM $(printf '0x%x' "$b"); "
      n=$((n + 1))
    done
    # an unknown register is named once, with its field count
    if [ "$all" = 1 ] && [ "$nf" -gt 1 ]; then unk_list+="$reg (all $nf fields) "; else unk_list+=$some; fi
  done < <(jq -r --slurpfile d "$d/derived.json" '.registers | to_entries[] | select(.value.value) |
             [.key, .value.value, ($d[0].registers[.key].value // "-"), ($d[0].registers[.key].unknown // "0x0")] | @tsv' "$d/probe.json")
  vw_checked=$((vw_checked + 1))
  if [ -z "$diffs" ] && [ -z "$unk_bad" ] && [ "$nr" -gt 0 ]; then
    ok "views $lab: armcpu's $mm view of QEMU's raw $core values = KVM's on all $n known fields of $nr registers; unknown exactly the unknowable ${unk_list% }"
  else
    bad "views $lab: armcpu's $mm view of QEMU's raw $core values differs from KVM's ($nr registers, $n known fields compared): ${diffs%; }${diffs:+${unk_bad:+; }}${unk_bad:+unknown state: ${unk_bad%; }}$([ "$nr" -gt 0 ] || echo "no register in the probe")"
  fi
  vw_ms=$((vw_ms + $(vw_now) - t0))
}

# What the vCPU's own mrs read (the probe's GUEST lines) against KVM's copy
# (its REG lines): every differing bit must lie in a field that
# `armcpu check host` calls host-given on that probe's snapshot (an untrapped
# CTR_EL0: the guest reads the CPU). Any host, with or without raw values.
vw_guest_n=0
views_guest() { # probe-file label
  local p=$1 lab=$2 j reg v g x fld l w m bad_f="" given="" seen="" vd frq
  grep -q '^GUEST ' "$p" || { note_ "guest $lab: no GUEST lines (a probe older than its guest reads): not checked"; return; }
  vw_guest_n=$((vw_guest_n + 1))
  j=$vw_dir/guest-$vw_guest_n.json
  if ! "$vw_native" hosts import "$p" --name probe -o "$j" 2> "$j.err"; then
    bad "guest $lab: the probe block does not import: $(cat "$j.err")"; return
  fi
  "$vw_native" check host --host "$j" --json 2> /dev/null |
    jq -r '.fields[] | "\(.sysreg) \(.verdict)"' > "$j.verdicts"
  while read -r reg v g; do
    seen+="$reg "
    x=$(( v ^ g ))
    [ "$x" != 0 ] || continue
    for fld in ${vw_fields[$reg]}; do
      l=${vw_lsb[$reg.$fld]} w=${vw_width[$reg.$fld]}
      m=$(( w >= 64 ? -1 : (1 << w) - 1 ))
      [ $(( x & (m << l) )) != 0 ] || continue
      x=$(( x & ~(m << l) ))
      vd=$(awk -v s="SYSREG_${reg}_$fld" '$1 == s { print $2 }' "$j.verdicts")
      if [ "$vd" = host-given ]; then
        given+="$reg.$fld (guest $(printf '0x%x' $(( (g >> l) & m ))), KVM $(printf '0x%x' $(( (v >> l) & m )))) "
      else
        bad_f+="$reg.$fld guest $(printf '0x%x' $(( (g >> l) & m ))), KVM $(printf '0x%x' $(( (v >> l) & m ))), armcpu's verdict '${vd:-none}'; "
      fi
    done
    [ "$x" = 0 ] || bad_f+="$reg: bits $(printf '0x%x' "$x") outside every field differ; "
  done < <(jq -r '.registers | to_entries[] | select(.value.guest_read) | "\(.key) \(.value.value) \(.value.guest_read)"' "$j")
  frq=$(jq -r '.cntfrq_el0 // "none"' "$j")
  if [ -z "$seen" ]; then
    bad "guest $lab: GUEST lines, but no table register read by the guest in the snapshot"
  elif [ -n "$bad_f" ]; then
    bad "guest $lab: the vCPU reads other values than KVM's copy that armcpu does not call host-given: ${bad_f%; }"
  elif [ -n "$given" ]; then
    ok "guest $lab: the vCPU's mrs of ${seen% } differs from KVM's copy only in ${given% }, which armcpu check calls host-given (untrapped); CNTFRQ_EL0 $frq"
  else
    ok "guest $lab: the vCPU's mrs of ${seen% } reads KVM's copy; CNTFRQ_EL0 $frq"
  fi
}

views_end() {
  [ "$vw_ready" = yes ] || return
  note_ "views: $vw_checked probe blocks checked, $vw_skipped skipped (no raw values), $vw_same repeats with the same registers; $(awk -v m="$vw_ms" 'BEGIN { printf "%.1f", m / 1000 }') s (listings and comparisons in $vw_dir)"
}

# ---- standalone: tests/kvm/views.sh PROBE CPU[@qemu10] ... ----
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  [ $# -ge 2 ] && [ $(($# % 2)) = 0 ] || { echo "usage: $0 PROBE CPU[@qemu10] ..." >&2; exit 2; }
  export KVM_DIR=${KVM_DIR:-$vw_root/build-kvm}
  out=$KVM_DIR/probe-out vw_standalone=1
  pass=0 fail=0
  ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
  bad() { echo "  FAIL $*"; fail=$((fail + 1)); }
  note_() { echo "  note $*"; }
  views_begin "${ARMCPU:-$vw_root/build/armcpu}" "views: armcpu's guest views of QEMU's raw values against probe blocks"
  rc=$?
  [ "$vw_ready" = no ] && [ $fail = 0 ] && exit 77
  [ $rc = 0 ] || exit 1
  while [ $# -ge 2 ]; do
    c=$2 q=7
    case $c in *@qemu10) c=${c%@qemu10} q=10 ;; *@*) echo "$0: $2: only @qemu10" >&2; exit 2 ;; esac
    [ -f "$1" ] || bad "views: no probe block $1"
    views_check "$1" "$c" "$q"
    shift 2
  done
  views_end
  echo "views: $pass passed, $fail failed"
  [ "$fail" = 0 ]
fi
