#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/check_host.c does what its comment says on embedded data.
# usage: test_example.sh EXAMPLE
set -u
X=$1
fails=0
out=$("$X" neoverse-n1-v1 qemu-neoverse-n1-linux-6.12); rc=$?
[ $rc = 0 ] || { echo "FAIL: example exit $rc"; fails=$((fails + 1)); }
echo "$out" | grep -q "^  blocked: ID_DFR0_EL1.CopSDbg: " || { echo "FAIL: no blocker line"; fails=$((fails + 1)); }
echo "$out" | grep -q "^fix: neoverse-n1-v1,SYSREG_ID_DFR0_EL1_CopSDbg=0x0$" || { echo "FAIL: no fix line"; fails=$((fails + 1)); }
echo "$out" | grep -q "^qemu: -cpu host,sve=off,pauth=off,SYSREG_ID_AA64PFR0_EL1_EL2=0x0," || { echo "FAIL: no qemu line"; fails=$((fails + 1)); }
"$X" neoverse-n1-v1 no-such-host >/dev/null 2>&1; rc=$?
[ $rc = 1 ] || { echo "FAIL: bad host exit $rc"; fails=$((fails + 1)); }
[ $fails = 0 ] || { echo "$out"; exit 1; }
echo "example: check_host works"
