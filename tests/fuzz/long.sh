#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# One long libFuzzer run of one target: RUNS executions (default 10 M), one
# process, nice 5, from a copy of the binary (so a rebuild does not disturb
# it) on $FUZZ_DIR/long/<target>/corpus (a copy of tests/fuzz/corpus/<target>
# plus $FUZZ_DIR/corpus/<target>), with the options of run.sh.  Prints
# libFuzzer's final stats and the last cov/ft.  usage: long.sh TARGET [RUNS [SECONDS]]
# (SECONDS: stop there even when RUNS is not reached).
# Environment: FUZZ_DIR (default build-fuzz), ARMCPU (CLI for dictionaries).
set -u
t=$1
runs=${2:-10000000}
limit=${3:+-max_total_time=$3}
here=$(cd "$(dirname "$0")" && pwd)
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
d=$FUZZ_DIR/long/$t
rm -rf "$d"
mkdir -p "$d/corpus" "$d/artifacts"
cp "$FUZZ_DIR/fuzz-$t" "$d/fuzz-$t"
cp "$here/corpus/$t"/* "$d/corpus/" 2>/dev/null
[ -d "$FUZZ_DIR/corpus/$t" ] && cp "$FUZZ_DIR/corpus/$t"/* "$d/corpus/" 2>/dev/null
dict=$FUZZ_DIR/$t.dict
[ -s "$dict" ] || { echo "long.sh: $dict missing (make fuzz-one FUZZ_TARGET=$t FUZZ_SECONDS=1)"; exit 2; }
case $t in
realize) maxlen=4096 ;;
model_file) maxlen=16384 ;;
*) maxlen=256 ;;
esac
echo "fuzz-$t: $runs runs from $(ls "$d/corpus" | wc -l) inputs; log $d/log"
start=$(date +%s)
# shellcheck disable=SC2086 # $limit is empty or one word
nice -n 5 "$d/fuzz-$t" -runs="$runs" $limit -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
    -dict="$dict" -artifact_prefix="$d/artifacts/" -print_final_stats=1 \
    "$d/corpus" >"$d/log" 2>&1
rc=$?
end=$(date +%s)
echo "rc=$rc wall=$((end - start))s" >>"$d/log"
grep -E '^#[0-9]+' "$d/log" | tail -1
grep -E '^stat::' "$d/log"
echo "fuzz-$t: rc=$rc, wall $((end - start)) s"
exit $rc
