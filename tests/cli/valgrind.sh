#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a representative set of CLI commands (success and failure paths, with
# and without --model-file) under valgrind memcheck and fails on any memory
# error or leak of any kind (definite, indirect, possible, still reachable),
# or on an unexpected exit code.
# usage: valgrind.sh ARMCPU SRCDIR     (exit 77 = skipped: no valgrind, or a
# sanitizer build, which valgrind cannot run)
set -u
A=$1
SRC=$2
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: not installed, skipped"; exit 77
fi
if nm -D "$A" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
    echo "valgrind: $A is a sanitizer build, skipped"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
UM=$SRC/tests/data/user.model
printf 'model x\nversion 1\nparent nope-v1\nend\n' >"$tmp/orphan.model"
printf 'model a\nversion 1\nparent b-v1\nend\nmodel b\nversion 1\nparent a-v1\nend\n' >"$tmp/cycle.model"
printf 'model x\nversion 1\nparent grace-v1\nsource s\nfeat_AES = sha\nend\n' >"$tmp/badprop.model"
printf 'model x\nversion 1\n\000\nend\n' >"$tmp/nul.model"
printf 'model x\nversion 1\nparent grace-v1\n' >"$tmp/noend.model"
n=0
fails=0

# vg WANT_EXIT COMMAND-ARGS...
vg() {
    want=$1
    shift
    n=$((n + 1))
    valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
        --error-exitcode=99 --log-file="$tmp/vg.log" "$A" "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    if [ "$rc" = 99 ] || [ -s "$tmp/vg.log" ]; then
        echo "FAIL: valgrind reports errors or leaks: armcpu $*"; cat "$tmp/vg.log"
        fails=$((fails + 1))
    elif [ "$rc" != "$want" ]; then
        echo "FAIL: armcpu $* exit $rc (want $want)"; head -5 "$tmp/err"
        fails=$((fails + 1))
    else
        printf '  ok  exit %s  armcpu %s\n' "$rc" "$(printf '%s ' "$@" | cut -c1-100)"
    fi
}

# success paths
vg 0 --version
vg 0 help
vg 0 help expand
vg 0 regs
vg 0 regs ID_AA64ISAR0_EL1 --json
vg 0 decode ID_AA64ISAR0_EL1 0x1011111110212120
vg 0 decode CTR_EL0 0x3444c004 --json
vg 0 encode 'op0:3 op1:0 crn:0 crm:6 op2:0' --u128
vg 0 decode-id 0x603000000013c030
vg 0 safe ID_AA64ISAR0_EL1.AES 2 1
vg 0 models --json
vg 0 props
vg 0 props --json --model-file "$UM"
vg 0 models --model-file "$UM"
vg 0 expand grace-v1,feat_AES=aes,sve=off,pmu=off --json
vg 0 expand grace,feat_CSV2=1.1 --type static --json
vg 0 expand neoverse-v1-v1,feat_AA64ZFR0_BF16=off,sve=on
vg 0 expand my-n1 --model-file "$UM" --spec
vg 0 expand my-n1 --model-file "$UM" --registers
vg 0 expand arm-v9_0-a-v1 --abstract
vg 0 features graviton3-v1 --json
vg 0 features my-n1 --model-file "$UM"
vg 0 doc -o "$tmp/props.md"
vg 0 doc -o "$tmp/props2.md" --model-file "$UM"
vg 0 qemu-args neoverse-v1-v1,sve=off,feat_AES=aes,feat_NV=0.0
vg 0 qemu-args grace-v1 --dialect sysreg --kernel 6.12
vg 4 qemu-args neoverse-n1-v1,feat_CopSDbg=0 --dialect sysreg --host qemu-neoverse-n1-linux-6.12
vg 0 libvirt neoverse-v1-v1,sve=off,feat_AES=aes --form values
vg 4 firecracker neoverse-n1-v1,feat_CopSDbg=0 --host qemu-neoverse-n1-linux-6.12 -o "$tmp/fc.json"
vg 0 help --man
# failure paths
vg 1
vg 1 nosuchcmd
vg 1 help nosuch
vg 1 regs NOSUCH
vg 1 decode CTR_EL0 0x1ffffffffffffffff
vg 1 encode 'op0:4 op1:0 crn:0 crm:0 op2:0'
vg 1 decode-id 0x605000000013c030
vg 1 safe AES 1 1
vg 1 expand gracee
vg 1 expand grace-v1,feat_AES=aes,feat_AES=pmull
vg 1 expand grace-v1,sve=on,sve=off
vg 1 expand grace-v1,feat_CSV2=2.1,feat_AESX=1
vg 1 expand 'grace-v1, feat_AES=aes'
vg 1 expand arm-v8_4-a-v1,sve=on --abstract
vg 1 expand grace-v1 --type dynamic
vg 1 features nosuch
vg 1 models --model-file "$tmp/orphan.model"
vg 1 models --model-file "$tmp/cycle.model"
vg 1 expand grace-v1 --model-file "$tmp/badprop.model"
vg 1 features grace-v1 --model-file "$tmp/nul.model"
vg 1 doc -o "$tmp/props3.md" --model-file "$tmp/noend.model"
vg 1 props --model-file "$UM" --model-file "$UM"
vg 2 models --model-file "$tmp/none.model"
vg 2 models --model-file "$tmp"
vg 2 doc -o "$tmp/missing/props.md"
vg 1 libvirt neoverse-v1-v1,feat_AES=aes
vg 5 qemu-args grace-v1 --host qemu-neoverse-n1-linux-6.12
vg 2 firecracker neoverse-n1-v1,feat_CopSDbg=0 --host qemu-neoverse-n1-linux-6.12 -o "$tmp/missing/fc.json"
vg 3 baseline graviton2-linux-6.12 graviton3-linux-6.12 --target-impls "$tmp/ti.json"
vg 2 baseline graviton2-linux-6.12 graviton3-linux-6.12 --target-impls "$tmp/missing/ti.json"

[ $fails = 0 ] && echo "valgrind: $n commands, no memory errors or leaks"
exit $((fails > 0))
