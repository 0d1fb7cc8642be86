#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig: the rolling-kernel-upgrade rehearsal of
# `armcpu plan SNAPSHOT --from A --to B`.
#
# For each emulated host of KVM_UPGRADE_CPUS, the verdicts come first, on the
# x86 side, from build/armcpu and the host's embedded snapshot under kernel A
# (hosts/<qemu>-<cpu>-linux-<A>.json):
#   plan SNAPSHOT --from A --to B --json
# gives (1) whether a host-passthrough guest started under A moves to the same
# host under B (and the fields that refuse it or that A's view hid), and (2)
# the spec both views accept (.baseline.spec), or none (.baseline.conflicts).
# Then two boots of the same emulated CPU, the second carrying the state the
# first saved (as the MIDR-pinning rehearsal of check.sh does: `cat` in the
# first boot's rig.cmds, the file put into the second boot's KVM_RIG_DIR):
#   kernel A: hosts probe (= the snapshot the verdicts come from), migrate
#             save host; with a spec: realize SPEC, migrate save SPEC; with
#             none: realize SPEC_A (armcpu fix BASE --kernel A) and, forced,
#             SPEC_B (fix BASE --kernel B)
#   kernel B: migrate load host STATE; realize host,FIELD=A's value... --force
#             for the fields plan says refuse the passthrough guest; with a
#             spec: realize SPEC, migrate load SPEC STATE; with none: realize
#             SPEC_B and, forced, SPEC_A
# and what KVM does must match plan: a passthrough guest plan says does not
# move must not get A's value of any field plan names (KVM refuses the write,
# or accepts it and the field reads back otherwise: then `migrate load` must
# not count the register as restored), and migrate load must refuse no other
# ID register than those plan names or calls unknown; one it says moves is
# restored completely; where plan says "unknown" (fields A's view hid) the
# rehearsal shows what KVM did. With a spec, its state must load with no ID
# register refused; without one, each kernel's own spec must be usable there
# and not honoured by the other kernel on the conflicting fields. Registers
# outside the ID space that KVM refuses on load (plan has no verdict on them)
# are failures too, by kind (B lacks a register A listed: ENOENT; other). The
# live B view is compared with plan's derived one (`hosts show SNAPSHOT
# --kernel B`) on every bit plan knows.
#
# Sourced by check.sh (the functions below; the boots run in the background
# while check.sh's own armcpu boots run), or run on its own:
#   tests/kvm/upgrade.sh        (KVM_SKIP_FETCH-style: uses the fetched kernels)
# env: KVM_UPGRADE_CPUS  hosts, CPU[@QEMU]: "neoverse-n1 neoverse-v1,pauth-qarma5=on@qemu10"
#                        (@qemu10: build-kvm/qemu10 of fetch-qemu.sh; SKIP when it
#                        cannot be fetched); empty: no rehearsal
#      KVM_UPGRADE_FROM  kernel A: a major.minor series (newest fetched build of
#                        it), a fetched version, a suite name or "newest"; 6.12
#      KVM_UPGRADE_TO    kernel B, the same forms; newest (the newest
#                        trixie-backports kernel)
#      KVM_SNAPSHOT_DIR (hosts/), ARMCPU (build/armcpu), KVM_DIR (build-kvm)
# Exit (standalone): 0 passed, 1 a check failed, 77 skipped.

up_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
up_root=$(cd "$up_here/../.." && pwd)
KVM_UPGRADE_CPUS=${KVM_UPGRADE_CPUS-"neoverse-n1 neoverse-v1,pauth-qarma5=on@qemu10"}
KVM_UPGRADE_FROM=${KVM_UPGRADE_FROM:-6.12}
KVM_UPGRADE_TO=${KVM_UPGRADE_TO:-newest}

# The cross-built armcpu from the current tree: meson lists hosts/*.json,
# kernels/*.masks and kernels/*.view at configure time, so a cross build
# configured before a file appeared (or vanished) would embed the old set
# (ninja alone does not notice): reconfigure it then, and build.
# -> build-armcpu.sh's status (77: the arm64 packages cannot be downloaded)
armcpu_cross_build() { # log
  local b=$KVM_DIR/cross-build want have
  if [ -f "$b/build.ninja" ]; then
    want=$(cd "$up_root" && ls hosts/*.json kernels/*.masks kernels/*.view 2> /dev/null | LC_ALL=C sort)
    have=$(grep -o '\.\./\(hosts\|kernels\)/[A-Za-z0-9._+-]*\.\(json\|masks\|view\)' "$b/build.ninja" |
           sed 's|^\(\.\./\)*||' | LC_ALL=C sort -u)
    if [ "$want" != "$have" ]; then
      echo "kvm-build: the cross build embeds other hosts/kernels files than the tree:" \
        "$(comm -3 <(echo "$have") <(echo "$want") | tr -d '\t' | tr '\n' ' ')-> meson setup --reconfigure" >> "$1"
      meson setup --reconfigure "$b" "$up_root" >> "$1" 2>&1 || rm -rf "$b"
    fi
  fi
  "$up_here/build-armcpu.sh" >> "$1" 2>&1
}

# ---- helpers (prefixed: check.sh has its own) ----
up_kver_of() { cat "$KVM_DIR/kernels/$1.ver" 2> /dev/null; }
up_mm() { sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<< "$1"; }
up_kernel() { # newest | suite | fetched version | major.minor -> fetched version
  local v
  case $1 in
    newest) up_kver_of trixie-backports; return ;;
  esac
  [ -s "$KVM_DIR/kernels/$1/vmlinuz" ] && { echo "$1"; return; }
  [ -f "$KVM_DIR/kernels/$1.ver" ] && { up_kver_of "$1"; return; }
  for v in $(cd "$KVM_DIR/kernels" 2> /dev/null && ls -d "$1".*/ 2> /dev/null | tr -d /); do
    [ "$(up_mm "$v")" = "$1" ] && [ -s "$KVM_DIR/kernels/$v/vmlinuz" ] && echo "$v"
  done | sort -V | tail -n1
}
up_run_out() { awk -v n="$2" '$0 == "ARMCPU-RUN-BEGIN " n {p=1; next} p && /^ARMCPU-RUN-END / {exit} p' "$1"; }
up_run_rc() { sed -n "s/^ARMCPU-RUN-END $2 rc=\([0-9]*\)$/\1/p" "$1"; }
up_file_out() { awk -v n="$2" '$0 == "ARMCPU-FILE-BEGIN " n {p=1; next} $0 == "ARMCPU-FILE-END " n {exit} p' "$1"; }
up_regs() { sed 's/[.:].*//' | LC_ALL=C sort -u; }
up_list() { tr '\n' ' ' | sed 's/ $//'; }
up_none() { local x; x=$(cat); echo "${x:-none}"; }
up_indent() { sed 's/^/       /'; }
# the fields an `armcpu check --json` blocks, as REG.FIELD
up_blocked() { jq -r '.fields[] | select(.blocks) | .sysreg' | sed 's/^SYSREG_\(.*_EL[0-3]\)_\(.*\)$/\1.\2/' | LC_ALL=C sort -u; }
# refusals of a `migrate load` output: "KIND REG[.FIELD]" per line
up_refusals() { awk '$1 ~ /^(feature|geometry|identity|other)$/ { r = $2; sub(/:$/, "", r); print $1, r }'; }

# ---- 1. verdicts on x86, command lists (before any boot) ----
# globals: up_hosts (labels), up_<...> per label in associative arrays
declare -A up_cpu=() up_qemu=() up_tag=() up_snap=() up_spec=() up_sa=() up_sb=()
up_hosts=() up_skipped=0 up_pid="" up_ka="" up_kb="" up_a="" up_b="" up_dir="" up_qemu10="" up_native=""
# check.sh and the standalone run: verdicts and command lists now (their
# messages are printed by upgrade_finish), then the boots in the background
upgrade_start() { # native-armcpu
  up_dir=$out/upgrade
  rm -rf "$up_dir" && mkdir -p "$up_dir"
  upgrade_prepare "$1" > "$up_dir/prepare.out" 2>&1
  upgrade_launch
}
upgrade_prepare() { # native-armcpu
  local native=$1 e cpu qt pre label snap d j rc s sa sb base
  up_native=$native
  : > "$up_dir/timing"
  up_hosts=()
  [ -n "${KVM_UPGRADE_CPUS// /}" ] || { echo "  SKIP the rolling-upgrade rehearsal: KVM_UPGRADE_CPUS is empty"; return; }
  up_ka=$(up_kernel "$KVM_UPGRADE_FROM") up_kb=$(up_kernel "$KVM_UPGRADE_TO")
  up_a=$(up_mm "$up_ka") up_b=$(up_mm "$up_kb")
  if [ -z "$up_ka" ] || [ -z "$up_kb" ]; then
    bad "upgrade: no fetched kernel for KVM_UPGRADE_FROM=$KVM_UPGRADE_FROM ('$up_ka') or KVM_UPGRADE_TO=$KVM_UPGRADE_TO ('$up_kb')"; return
  fi
  if [ "$up_a" = "$up_b" ]; then
    bad "upgrade: $up_ka and $up_kb are the same series $up_a: nothing to upgrade"; return
  fi
  if ! "$native" help plan 2>&1 | grep -q -- '--from A --to B'; then
    bad "upgrade: $native has no plan --from/--to (make build)"; return
  fi
  echo "  kernel A = $up_ka (plan --from $up_a), kernel B = $up_kb (--to $up_b)"
  for e in $KVM_UPGRADE_CPUS; do
    cpu=${e%@*} qt=""
    [ "$cpu" = "$e" ] || qt=${e##*@}
    case $qt in
      "") pre=qemu ;;
      qemu10)
        pre=qemu10
        if [ -z "$up_qemu10" ]; then
          up_qemu10=$("$up_here/fetch-qemu.sh" 2>> "$up_dir/fetch-qemu.log")
          rc=$?
          if [ $rc = 77 ]; then
            up_qemu10=skip
          elif [ $rc != 0 ] || [ ! -x "$up_qemu10" ]; then
            bad "upgrade: fetch-qemu.sh failed (exit $rc):"; tail -n 5 "$up_dir/fetch-qemu.log" | up_indent
            up_qemu10=skip
          fi
        fi
        if [ "$up_qemu10" = skip ]; then
          echo "  SKIP $cpu@qemu10: QEMU 10 cannot be fetched (fetch-qemu.sh exit 77; see $up_dir/fetch-qemu.log)"
          up_skipped=$((up_skipped + 1)); continue
        fi ;;
      *) bad "upgrade: $e: unknown QEMU '@$qt' (only @qemu10)"; continue ;;
    esac
    label=$pre-${cpu%%,*}
    snap=${KVM_SNAPSHOT_DIR:-$up_root/hosts}/$label-linux-$up_a.json
    if [ ! -f "$snap" ]; then
      bad "upgrade $label: no snapshot $(basename "$snap") (make snapshots$([ "$pre" = qemu ] || echo " with QEMU=\$(tests/kvm/fetch-qemu.sh)"))"; continue
    fi
    d=$up_dir/$label
    mkdir -p "$d/A" "$d/B"
    j=$("$native" plan "$snap" --from "$up_a" --to "$up_b" --json 2> "$d/plan.err")
    rc=$?
    case $rc in 0|3|4) ;; *) bad "upgrade $label: armcpu plan failed (exit $rc): $(cat "$d/plan.err")"; continue ;; esac
    echo "$j" > "$d/plan.json"
    "$native" plan "$snap" --from "$up_a" --to "$up_b" > "$d/plan.txt" 2>&1
    up_cpu[$label]=$cpu up_tag[$label]=$pre-upgrade up_snap[$label]=$snap
    [ "$pre" = qemu ] && up_qemu[$label]=${QEMU:-qemu-system-aarch64} || up_qemu[$label]=$up_qemu10
    # the plan's fields: blockers and unknown ones of the passthrough guest
    jq -r '.hosts[0].fields[] | select(.verdict != "unknown") | .field' "$d/plan.json" | LC_ALL=C sort -u > "$d/pt.blockers"
    jq -r '.hosts[0].fields[] | select(.verdict == "unknown") | .field' "$d/plan.json" | LC_ALL=C sort -u > "$d/pt.unknown"
    jq -r '.baseline.conflicts[] | sub(":.*"; "")' "$d/plan.json" | grep '_EL[0-3]\.' | LC_ALL=C sort -u > "$d/conflicts"
    # the live B view against plan's: its derived view of the snapshot
    "$native" hosts show "$snap" --kernel "$up_b" > "$d/view-b.json" 2> "$d/view-b.err" ||
      bad "upgrade $label: hosts show $(basename "$snap") --kernel $up_b: $(cat "$d/view-b.err")"
    {
      echo "run hostsprobe /armcpu hosts probe -o /tmp/local.json"
      echo "cat /tmp/local.json"
      echo "run save-host /armcpu migrate save host -o /tmp/host.json"
      echo "cat /tmp/host.json"
    } > "$d/A/rig.cmds"
    echo "run load-host /armcpu migrate load host /host.json" > "$d/B/rig.cmds"
    # plan's blocking fields at A's values, forced under B: refused or dropped?
    s=$(jq -r '[.hosts[0].fields[] | select(.verdict != "unknown") |
               "SYSREG_\(.field | sub("\\."; "_"))=\(.before)"] | join(",")' "$d/plan.json")
    if [ -n "$s" ]; then
      echo "run pt-fields /armcpu realize host,$s --kvm --force" >> "$d/B/rig.cmds"
      "$native" check "host,$s" --host "$snap" --kernel "$up_b" --json 2> /dev/null | up_blocked > "$d/pt.check"
      cmp -s "$d/pt.check" "$d/pt.blockers" ||
        bad "upgrade $label: check host,$s --kernel $up_b blocks $(up_list < "$d/pt.check"), plan's passthrough $(up_list < "$d/pt.blockers")"
    fi
    s=$(jq -r 'if .baseline.possible then .baseline.spec // "" else "" end' "$d/plan.json")
    up_spec[$label]=$s up_sa[$label]="" up_sb[$label]=""
    if [ -n "$s" ]; then
      {
        echo "run spec /armcpu realize $s --kvm"
        echo "run save-spec /armcpu migrate save $s -o /tmp/spec.json"
        echo "cat /tmp/spec.json"
      } >> "$d/A/rig.cmds"
      {
        echo "run spec /armcpu realize $s --kvm"
        echo "run load-spec /armcpu migrate load $s /spec.json"
      } >> "$d/B/rig.cmds"
    else
      # no spec serves both: the best spec of each kernel alone (armcpu fix
      # of plan's base model in that kernel's view) must be refused by the
      # other kernel's KVM on the conflicting registers
      base=$(jq -r '.baseline.model // ""' "$d/plan.json")
      sa=$("$native" fix "$base" --host "$snap" --kernel "$up_a" 2> /dev/null | head -n1)
      sb=$("$native" fix "$base" --host "$snap" --kernel "$up_b" 2> /dev/null | head -n1)
      case "$sa" in "$base"*) ;; *) sa="" ;; esac
      case "$sb" in "$base"*) ;; *) sb="" ;; esac
      if [ -z "$base" ] || [ -z "$sa" ] || [ -z "$sb" ]; then
        bad "upgrade $label: plan has no spec, and armcpu fix ${base:-?} --host $(basename "$snap") --kernel $up_a/$up_b gave none to rehearse it with"
      else
        up_sa[$label]=$sa up_sb[$label]=$sb
        # x86: each is usable in its own view and blocked in the other's
        for s in a b; do
          local sp k ko
          [ $s = a ] && { sp=$sa k=$up_a ko=$up_b; } || { sp=$sb k=$up_b ko=$up_a; }
          "$native" check "$sp" --host "$snap" --kernel "$k" > /dev/null 2>&1
          case $? in 0|4) ;; *) bad "upgrade $label: armcpu fix --kernel $k gave $sp, which check --kernel $k blocks" ;; esac
          "$native" check "$sp" --host "$snap" --kernel "$ko" --json 2> /dev/null | up_blocked > "$d/cand-$s.blocked-in-other"
          [ -s "$d/cand-$s.blocked-in-other" ] ||
            bad "upgrade $label: plan says no spec serves both kernels, but the $k spec $sp is usable in the $ko view too"
        done
        {
          echo "run cand-a /armcpu realize $sa --kvm"
          echo "run cand-b-force /armcpu realize $sb --kvm --force"
        } >> "$d/A/rig.cmds"
        {
          echo "run cand-b /armcpu realize $sb --kvm"
          echo "run cand-a-force /armcpu realize $sa --kvm --force"
        } >> "$d/B/rig.cmds"
      fi
    fi
    up_hosts+=("$label")
  done
}

# ---- 2. the boots, in the background: A, carry the states, B ----
up_boot() { # label A|B kver -> $d/<A|B>.txt (probe block), .rig, .rc; a timing line
  local label=$1 side=$2 k=$3 d=$up_dir/$1 rc secs cpu=${up_cpu[$1]} tag=${up_tag[$1]}
  QEMU=${up_qemu[$label]} KVM_QUIET=1 KVM_LOG_TAG=$tag KVM_RIG_DIR=$d/$side KVM_RIG_OUT=$d/$side.rig \
    "$up_here/run.sh" "$k" "$cpu" > "$d/$side.txt" 2> "$d/$side.err"
  rc=$?
  echo $rc > "$d/$side.rc"
  secs=$(cat "$KVM_DIR/logs/$tag-$k-$cpu.log.secs" 2> /dev/null || echo "?")
  printf '%-22s %-28s %5ss  %s\n' "$k" "$cpu+upgrade $side" "$secs" "$([ $rc = 0 ] && echo ok || echo "FAILED rc=$rc")" >> "$up_dir/timing"
  return $rc
}
upgrade_launch() {
  [ ${#up_hosts[@]} -gt 0 ] || return
  (
    for label in "${up_hosts[@]}"; do
      d=$up_dir/$label
      up_boot "$label" A "$up_ka" || continue
      # the states saved under A go into B's initramfs
      for s in host spec; do
        [ "$(up_run_rc "$d/A.rig" save-$s)" = 0 ] && up_file_out "$d/A.rig" /tmp/$s.json > "$d/B/$s.json" &&
          jq -e .registers "$d/B/$s.json" > /dev/null 2>&1 || rm -f "$d/B/$s.json"
      done
      up_boot "$label" B "$up_kb"
    done
  ) > "$up_dir/launch.log" 2>&1 &
  up_pid=$!
}

# ---- 3. what KVM did against what plan said ----
upgrade_finish() {
  local native=$up_native label d snap
  [ -n "$up_dir" ] || return
  [ -z "$up_pid" ] || wait "$up_pid"
  up_pid=""
  echo "== rolling kernel upgrade${up_a:+ (armcpu plan --from $up_a --to $up_b)}${KVM_UPGRADE_CPUS:+ on ${KVM_UPGRADE_CPUS// /, }}"
  cat "$up_dir/prepare.out"
  while IFS= read -r l; do timing+=("$l"); done < "$up_dir/timing"
  [ ${#up_hosts[@]} -gt 0 ] || return
  for label in "${up_hosts[@]}"; do
    d=$up_dir/$label snap=${up_snap[$label]}
    echo "-- $label (-cpu ${up_cpu[$label]}), Linux $up_ka -> $up_kb: armcpu plan $(basename "$snap" .json) --from $up_a --to $up_b"
    sed 's/^/     | /' "$d/plan.txt"
    # kernel A
    if [ "$(cat "$d/A.rc" 2> /dev/null)" != 0 ] || ! grep -q '^ARMCPU-RIG-END$' "$d/A.rig" 2> /dev/null; then
      bad "$label: the boot under $up_ka failed (see $KVM_DIR/logs/${up_tag[$label]}-$up_ka-${up_cpu[$label]}.log):"
      tail -n 5 "$d/A.err" 2> /dev/null | up_indent; continue
    fi
    up_file_out "$d/A.rig" /tmp/local.json > "$d/A-local.json"
    if [ "$(up_run_rc "$d/A.rig" hostsprobe)" != 0 ] || ! jq -e . "$d/A-local.json" > /dev/null 2>&1; then
      bad "$label $up_ka: armcpu hosts probe failed:"; up_run_out "$d/A.rig" hostsprobe | up_indent
    elif diff <(jq -S '{writable_masks, vcpu_features, registers}' "$d/A-local.json") \
              <(jq -S '{writable_masks, vcpu_features, registers}' "$snap") > "$d/A-local.diff"; then
      ok "$label $up_ka: the live snapshot equals $(basename "$snap" .json), which plan's verdicts come from"
    else
      bad "$label $up_ka: the live snapshot differs from $(basename "$snap" .json), which plan's verdicts come from (make snapshots):"
      head -n 20 "$d/A-local.diff" | up_indent
    fi
    for s in host ${up_spec[$label]:+spec}; do
      if [ -f "$d/B/$s.json" ]; then
        ok "$label $up_ka: migrate save $([ $s = host ] && echo host || echo "plan's spec"): $(jq '.registers | length' "$d/B/$s.json") registers"
      else
        bad "$label $up_ka: migrate save $s:"; up_run_out "$d/A.rig" save-$s | up_indent
      fi
    done
    # kernel B
    if [ ! -f "$d/B.rc" ] || [ "$(cat "$d/B.rc")" != 0 ] || ! grep -q '^ARMCPU-RIG-END$' "$d/B.rig" 2> /dev/null; then
      bad "$label: the boot under $up_kb failed (see $KVM_DIR/logs/${up_tag[$label]}-$up_kb-${up_cpu[$label]}.log):"
      tail -n 5 "$d/B.err" 2> /dev/null | up_indent; continue
    fi
    up_view_b "$native" "$label"
    up_passthrough "$label"
    if [ -n "${up_spec[$label]}" ]; then
      up_spec_both "$label"
    elif [ -n "${up_sa[$label]}" ]; then
      up_no_spec "$label"
    fi
  done
}

# the live B view (the B boot's probe block) against plan's derived view of
# the snapshot, on every bit plan knows; the bits it marked unknown are
# reported with what they really read
up_view_b() { # native label
  local native=$1 label=$2 d=$up_dir/$2 reg dv du lv bad_regs="" unk="" x n=0
  [ -s "$d/view-b.json" ] || return
  "$native" hosts import "$d/B.txt" --name live-b -o "$d/B-live.json" > /dev/null 2>&1 ||
    { bad "$label $up_kb: the probe block does not import"; return; }
  while read -r reg dv du lv; do
    n=$((n + 1))
    if [ "$lv" = - ]; then bad_regs+="$reg(absent) "; continue; fi
    [ $(( (dv ^ lv) & ~du )) = 0 ] || bad_regs+="$reg(plan $dv, live $lv) "
    [ $(( du )) = 0 ] || [ $(( (dv ^ lv) & du )) = 0 ] || unk+="$reg: $(printf '0x%x' $(( lv & du ))) under the unknown mask $du; "
  done < <(jq -r --slurpfile live "$d/B-live.json" '.registers | to_entries[] | select(.value.value) |
             [.key, .value.value, (.value.unknown // "0x0"), ($live[0].registers[.key].value // "-")] | @tsv' "$d/view-b.json")
  if [ -z "$bad_regs" ]; then
    ok "$label $up_kb: the live view equals plan's derived $up_b view of the snapshot on every known bit ($n registers)"
  else
    bad "$label $up_kb: the live view differs from plan's derived $up_b view (hosts show $(basename "${up_snap[$label]}") --kernel $up_b) on known bits: $bad_regs"
  fi
  x=$(wc -l < "$d/pt.unknown")
  if [ "$x" -gt 0 ]; then
    if [ -z "$unk" ]; then
      echo "  note $label $up_kb: the $x fields plan calls unknown (the $up_a view hid them) read under $up_kb what plan assumed before ($(up_list < "$d/pt.unknown"))"
    else
      echo "  note $label $up_kb: of the fields plan calls unknown, these read otherwise under $up_kb: $unk"
    fi
  fi
}

# What a forced `realize` did with each field of a list (REG.FIELD per line):
# "FIELD refused" (KVM_SET_ONE_REG EINVAL), "FIELD dropped X" (the write was
# accepted, the field reads back X) or "FIELD honoured"
up_fates() { # realize-output fields-file
  local f x
  while read -r f; do
    [ -n "$f" ] || continue
    if grep -q "^  refused    $f: " <<< "$1"; then
      echo "$f refused"
    elif x=$(sed -n "s/^  mismatch   $f reads back \(0x[0-9a-f]*\),.*/\1/p" <<< "$1" | head -n1) && [ -n "$x" ]; then
      echo "$f dropped $x"
    else
      echo "$f honoured"
    fi
  done < "$2"
}
up_fates_text() { # fates -> "F: refused (EINVAL); G: accepted, reads back 0x0"
  awk '{ printf "%s%s: %s", n++ ? "; " : "", $1,
         $2 == "refused" ? "refused (EINVAL)" : $2 == "dropped" ? "written without error, reads back " $3 : "honoured" }'
}

# refusals of non-ID registers in a `migrate load` output (plan has no verdict
# on them): FAIL, by kind
up_others() { # label what output state-file
  local label=$1 what=$2 o=$3 st=$4 absent="" rest id v
  while IFS= read -r l; do
    id=$(sed -n 's/.*(id \(0x[0-9a-f]*\)).*/\1/p' <<< "$l")
    v=$(jq -r --arg id "$id" '.registers[] | select(.id == $id) | .value // .bytes' "$st" 2> /dev/null | head -n1)
    absent+="$(sed -n 's/^  other *\(.*\) (id .*/\1/p' <<< "$l") (saved ${v:-?}); "
  done < <(grep '^  other .*(this vCPU has no such register)' <<< "$o")
  rest=$(grep '^  other ' <<< "$o" | grep -v '(this vCPU has no such register)')
  # Known, reported and not counted as failures (they are open issues, and
  # any other register fails): 6.19+ no longer list TCR2_EL1, PIRE0_EL1 and
  # PIR_EL1 on CPUs without FEAT_TCR2/S1PIE, which 6.12 lists (plan compares
  # ID registers only: README "Kernel-aware fleet planning"). KVM_REG_ARM64_SVE_VLS
  # goes in before the vCPU is finalized (migrate load creates it so): any
  # refusal of it is a failure.
  # (by name, or by encoding where the CLI has no name for them)
  local known_absent='^(TCR2_EL1|PIRE0_EL1|PIR_EL1|sysreg op0:3 op1:0 crn:2 crm:0 op2:3|sysreg op0:3 op1:0 crn:10 crm:2 op2:[23]) '
  local unexpected
  unexpected=$(tr ';' '\n' <<< "${absent%; }" | sed 's/^ //; /^$/d' | grep -Ev "$known_absent")
  if [ -n "$absent" ] && [ -z "$unexpected" ]; then
    known "$label: migrate load $what under $up_kb: kernel B's KVM_GET_REG_LIST lacks registers kernel A's had (ENOENT): ${absent%; }"
  elif [ -n "$absent" ]; then
    bad "$label: migrate load $what under $up_kb: kernel B's KVM_GET_REG_LIST lacks registers kernel A's had, so KVM refuses them (ENOENT): ${absent%; }"
  fi
  local rest2 vlsid=0x606000000015ffff
  rest2=$(sed '/^$/d' <<< "$rest")
  [ -z "$rest2" ] || { bad "$label: migrate load $what under $up_kb: KVM refused non-ID registers:"; up_indent <<< "$rest2"; }
  # an SVE state carries its vector lengths: restored in KVM's order
  if jq -e --arg id "$vlsid" '.registers[] | select(.id == $id)' "$st" > /dev/null 2>&1 && [ -z "$rest2" ]; then
    ok "$label: migrate load $what under $up_kb: the SVE vector lengths (KVM_REG_ARM64_SVE_VLS $(jq -r --arg id "$vlsid" '.registers[] | select(.id == $id) | .bytes' "$st" | cut -c1-20)...) restored before the vCPU was finalized"
  fi
  grep '^  identity ' <<< "$o" | sed 's/^ */  note '"$label"': /'
}

# host passthrough: plan's .hosts[0] against `migrate load host` under B and,
# for plan's blocking fields, a forced write of A's values (host,FIELD=before)
up_passthrough() { # label
  local label=$1 d=$up_dir/$1 o rc pt ref kregs pregs uregs miss notours fates honoured dropped dropregs falserest
  pt=$(jq -r '.hosts[0].passthrough' "$d/plan.json")
  [ -f "$d/B/host.json" ] || { bad "$label: no passthrough state saved under $up_ka"; return; }
  o=$(up_run_out "$d/B.rig" load-host) rc=$(up_run_rc "$d/B.rig" load-host)
  ref=$(up_refusals <<< "$o")
  # ID registers KVM refused (feature, geometry) / plan's blockers / unknown fields
  kregs=$(awk '$1 == "feature" || $1 == "geometry" { print $2 }' <<< "$ref" | up_regs | sed '/^$/d')
  pregs=$(up_regs < "$d/pt.blockers" | sed '/^$/d')
  uregs=$(up_regs < "$d/pt.unknown" | sed '/^$/d')
  echo "  passthrough: plan says '$pt'$([ -s "$d/pt.blockers" ] && echo " ($(jq -r '[.hosts[0].fields[] | select(.verdict != "unknown") | "\(.field) \(.verdict) \(.before) -> \(.after)"] | join(", ")' "$d/plan.json"))")$([ -s "$d/pt.unknown" ] && echo ", $(wc -l < "$d/pt.unknown") fields unknown")"
  echo "    KVM: migrate load host rc=$rc, $(grep -o '[0-9]* of [0-9]* saved registers restored' <<< "$o"); ID registers refused: $(awk '$1 == "feature" || $1 == "geometry" { print $2 }' <<< "$ref" | up_list | up_none); other registers refused: $(awk '$1 == "other"' <<< "$ref" | wc -l)"
  fates=""
  if [ -s "$d/pt.blockers" ]; then
    fates=$(up_fates "$(up_run_out "$d/B.rig" pt-fields)" "$d/pt.blockers")
    echo "    KVM, A's values of plan's fields forced under $up_b (realize host,FIELD=before --force): $(up_fates_text <<< "$fates")"
  fi
  honoured=$(awk '$2 == "honoured" { print $1 }' <<< "$fates" | up_list)
  dropped=$(awk '$2 == "dropped" { print $1 }' <<< "$fates")
  dropregs=$(up_regs <<< "$dropped" | sed '/^$/d')
  # refused by KVM beyond plan's blockers and unknown fields: a false "moves"
  notours=$(comm -23 <(echo "$kregs") <(printf '%s\n' "$pregs" "$uregs" | sed '/^$/d' | LC_ALL=C sort -u) | sed '/^$/d' | up_list)
  # plan's blockers KVM neither refused in the load nor dropped
  miss=$(comm -23 <(echo "$pregs") <(printf '%s\n' "$kregs" "$dropregs" | sed '/^$/d' | LC_ALL=C sort -u) | sed '/^$/d' | up_list)
  case $pt in
    yes)
      if [ -z "$kregs" ]; then
        ok "$label: plan says a host-passthrough guest started under $up_a moves to $up_b; KVM restored every ID register"
      else
        bad "$label: plan says a host-passthrough guest moves from $up_a to $up_b, but KVM refused $(echo "$kregs" | up_list):"; up_indent <<< "$o"
      fi ;;
    blocked)
      if [ -n "$honoured" ] || [ -n "$miss" ]; then
        bad "$label: plan says the passthrough guest does not move because of $(up_list < "$d/pt.blockers"), but KVM under $up_b gives the guest A's value of ${honoured:-$miss} (a false 'does not move')"
      elif [ -n "$notours" ]; then
        bad "$label: KVM refused $notours, which plan neither blocks nor calls unknown (a false 'moves' there):"; up_indent <<< "$o"
      else
        ok "$label: plan says a host-passthrough guest started under $up_a does not move to $up_b ($(up_list < "$d/pt.blockers")); KVM does not give the guest A's value of any of them ($(up_fates_text <<< "$fates"))"
        if [ -z "$dropregs" ] && [ "$kregs" = "$pregs" ]; then
          ok "$label: migrate load host under $up_kb fails on exactly the ID registers plan names: $(echo "$kregs" | up_list)"
        elif [ -n "$(comm -12 <(echo "$pregs") <(echo "$kregs") | sed '/^$/d')" ] || [ -n "$kregs" ]; then
          echo "  note $label: migrate load host refused $(echo "$kregs" | up_list) (plan names $(echo "$pregs" | up_list); the others are registers of fields plan calls unknown)"
        fi
        if [ -n "$dropregs" ]; then
          local dd
          dd=$(comm -23 <(echo "$dropregs") <(echo "$kregs") | sed '/^$/d' | up_list)
          [ -z "$dd" ] || bad "$label: migrate load host under $up_kb counts $dd as restored, but KVM does not give the guest the saved value: KVM_SET_ONE_REG accepts A's value and the field reads back otherwise ($(grep -f <(echo "$dropped") <<< "$(up_fates_text <<< "$fates" | tr ';' '\n')" | sed 's/^ //' | up_list)): migrate load does not read back what it restored, and plan's reason ('$(jq -r --arg f "$(head -n1 <<< "$dropped")" '.hosts[0].fields[] | select(.field == $f) | .reason' "$d/plan.json")') is not what KVM does"
        fi
      fi ;;
    *)
      if [ -n "$notours" ]; then
        bad "$label: plan says '$pt' (unknown: $(echo "$uregs" | up_list)); KVM refused $notours, which plan does not name:"; up_indent <<< "$o"
      elif [ -z "$kregs" ]; then
        ok "$label: plan says '$pt' for the passthrough guest ($(wc -l < "$d/pt.unknown") fields the $up_a view hid); KVM restored every ID register under $up_kb (those fields were the same)"
      else
        ok "$label: plan says '$pt' for the passthrough guest; KVM refused only registers of fields plan calls unknown: $(echo "$kregs" | up_list)"
      fi ;;
  esac
  up_others "$label" host "$o" "$d/B/host.json"
}

# plan's spec: applied and read by the guest under both kernels, its state
# saved under A restored under B
up_spec_both() { # label
  local label=$1 d=$up_dir/$1 s=${up_spec[$1]} side r o ans k
  ans=$(jq -r '.answer' "$d/plan.json")
  for side in A B; do
    r=$d/$side.rig o=$(up_run_out "$r" spec)
    [ $side = A ] && k=$up_ka || k=$up_kb
    if [ "$(up_run_rc "$r" spec)" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
      ok "$label $k: plan's spec is applied and the guest reads it field by field"
    else
      bad "$label $k: plan's spec $s (plan: '$ans') is not usable on the vCPU:"
      grep -v '^  [A-Z].*_EL[0-3] .* ok$' <<< "$o" | up_indent
    fi
  done
  [ -f "$d/B/spec.json" ] || return
  o=$(up_run_out "$d/B.rig" load-spec)
  echo "  spec: plan says '$ans' for $s"
  echo "    KVM: migrate load rc=$(up_run_rc "$d/B.rig" load-spec), $(grep -o '[0-9]* of [0-9]* saved registers restored' <<< "$o"); ID registers refused: $(up_refusals <<< "$o" | awk '$1 == "feature" || $1 == "geometry" { print $2 }' | up_list | up_none); other registers refused: $(up_refusals <<< "$o" | awk '$1 == "other"' | wc -l)"
  if grep -Eq '^  (feature|geometry) ' <<< "$o"; then
    bad "$label: plan's spec ('$ans') started under $up_ka: KVM under $up_kb refuses its ID registers:"; up_indent <<< "$o"
  else
    ok "$label: a guest started under $up_ka with plan's spec: KVM under $up_kb restores every ID register$(grep -q '^result: PASS' <<< "$o" && echo " and every other one")"
  fi
  up_others "$label" "of plan's spec" "$o" "$d/B/spec.json"
}

# no spec serves both kernels: A's own spec is not honoured by B's KVM and B's
# not by A's, on the conflicting fields
up_no_spec() { # label
  local label=$1 d=$up_dir/$1 conf side r k mine other o fates
  conf=$(up_list < "$d/conflicts")
  echo "  spec: plan says no spec serves both kernels (conflicts: ${conf:-none named}); rehearsed with each kernel's own (armcpu fix $(jq -r .baseline.model "$d/plan.json") --kernel V): $up_a: ${up_sa[$label]}; $up_b: ${up_sb[$label]}"
  for side in A B; do
    r=$d/$side.rig
    [ $side = A ] && { k=$up_ka mine=cand-a other=cand-b-force; } || { k=$up_kb mine=cand-b other=cand-a-force; }
    o=$(up_run_out "$r" $mine)
    if [ "$(up_run_rc "$r" $mine)" = 0 ] && grep -q '^result: PASS' <<< "$o"; then
      ok "$label $k: its own kernel's spec is applied and read by the guest field by field"
    else
      bad "$label $k: its own kernel's spec is not usable:"; grep -v '^  [A-Z].*_EL[0-3] .* ok$' <<< "$o" | up_indent
    fi
    o=$(up_run_out "$r" $other)
    fates=$(up_fates "$o" "$d/conflicts")
    if [ -s "$d/conflicts" ] && ! grep -q ' honoured$' <<< "$fates" && [ "$(up_run_rc "$r" $other)" != 0 ]; then
      ok "$label $k: the other kernel's spec, forced, does not get its conflicting values: $(up_fates_text <<< "$fates")"
    else
      bad "$label $k: the other kernel's spec, forced ($(up_fates_text <<< "$fates")): a value plan says conflicts is honoured (a false 'no spec serves both'?):"
      up_indent <<< "$o"
    fi
  done
}

# ---- standalone: tests/kvm/upgrade.sh ----
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  export KVM_DIR=${KVM_DIR:-$up_root/build-kvm}
  out=$KVM_DIR/probe-out
  mkdir -p "$out"
  pass=0 fail=0 timing=()
  ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
  bad() { echo "  FAIL $*"; fail=$((fail + 1)); }
  [ -n "$(up_kver_of trixie-backports)" ] || { echo "upgrade: no kernels in $KVM_DIR/kernels (tests/kvm/fetch.sh)"; exit 77; }
  : > "$out/build-armcpu.log"
  armcpu_cross_build "$out/build-armcpu.log"
  rc=$?
  [ $rc = 77 ] && { echo "  SKIP the arm64 json-c packages cannot be downloaded"; exit 77; }
  [ $rc = 0 ] || { echo "  FAIL cross build of armcpu:"; tail -n 20 "$out/build-armcpu.log" | up_indent; exit 1; }
  native=${ARMCPU:-$up_root/build/armcpu}
  [ -x "$native" ] || make -C "$up_root" build > "$out/native-build.log" 2>&1 || { echo "  FAIL no $native"; exit 1; }
  upgrade_start "$native"
  upgrade_finish
  [ ${#timing[@]} = 0 ] || { echo "== boot times"; printf '  %s\n' "${timing[@]}"; }
  echo "upgrade: $pass passed, $fail failed$([ $up_skipped = 0 ] || echo ", $up_skipped host(s) skipped")"
  [ "$fail" = 0 ]
fi
