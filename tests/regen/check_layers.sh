#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The library's layering and portability, as its sources say them:
#   - src/regs and src/util include only themselves and armcpu/armcpu.h
#     (the field table and the judgement sit under everything);
#   - src/host never includes armcpu/kvm.h and src/fleet headers, src/kvm
#     never the fleet layer (the host/kvm import circle is gone: the live
#     probe is reached from src/fleet/open.c);
#   - only the Linux KVM file (src/kvm/kvm.c) asks for GNU extensions; every
#     other file builds with -D_POSIX_C_SOURCE=200809L alone, so a glibc-only
#     call there is an implicit declaration, which -Werror refuses.
# usage: check_layers.sh SRCDIR
set -u
src=$1/src
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
for f in "$src"/regs/*.c "$src"/regs/*.h "$src"/util/*.c "$src"/util/*.h; do
    grep -o '#include "[^"]*"' "$f" | sed 's/#include //; s/"//g' | while read -r inc; do
        case $inc in
            idregs.h|judge.h|util.h|jsonscan.h|../util/util.h|armcpu/armcpu.h) ;;
            *) echo "FAIL: $(basename "$f") (layer ${f#"$src"/}) includes $inc" ;;
        esac
    done
done | grep . && fails=$((fails + 1))
for f in "$src"/host/*.c; do
    grep -q '#include "armcpu/kvm.h"\|#include "armcpu/fleet.h"\|fleet/' "$f" && bad "${f#"$src"/} reaches up into kvm or fleet"
done
for f in "$src"/kvm/*.c "$src"/kvm/*.h; do
    grep -q '#include "armcpu/fleet.h"\|fleet/' "$f" && bad "${f#"$src"/} reaches up into the fleet layer"
done
grep -rln '_GNU_SOURCE\|_DEFAULT_SOURCE\|_BSD_SOURCE' "$src" | grep -v '/kvm/kvm.c$' | while read -r f; do
    echo "FAIL: ${f#"$src"/} asks for non-POSIX extensions"
done | grep . && fails=$((fails + 1))
[ $fails = 0 ] && echo "check-layers: regs/util at the bottom, no host<->kvm circle, GNU extensions only in src/kvm/kvm.c"
exit $((fails > 0))
