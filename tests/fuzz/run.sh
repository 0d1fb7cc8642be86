#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the libFuzzer targets: replays tests/fuzz/regressions/<target>/, then
# fuzzes each target SECONDS seconds from tests/fuzz/corpus/<target> (new
# inputs go to $FUZZ_DIR/corpus/<target>, the committed seeds are read only).
# Fails on any crash, leak, timeout, out-of-memory or sanitizer report, and
# prints where the reproducer is.  usage: run.sh SECONDS TARGET...
# Environment: FUZZ_DIR (default build-fuzz), ARMCPU (CLI for dictionaries).
set -u
secs=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
ARMCPU=${ARMCPU:-build/armcpu}
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
fails=0
table=""

q() { sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/'; }

# Dictionaries from the CLI's own lists (property, value, model, register
# and field names), so they follow the table and the models.
gen_dict() { # target
    d=$FUZZ_DIR/$1.dict
    {
        "$ARMCPU" models | awk 'NR > 1 { print $1; if ($5 != "-") print $5 }'
        "$ARMCPU" regs | awk '{ print $1 }'
        case $1 in
        realize)
            "$ARMCPU" props | awk '/^[^ ]/ { print $1 "=" }'
            "$ARMCPU" props | sed -n 's/^[^ ]* ([^)]*): //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u
            printf '%s\n' , on off 0x 0b . 1.1 SYSREG_ feat_ hw_prop_ ;;
        model_file)
            "$ARMCPU" props | awk '/^[^ ]/ { print $1 }'
            "$ARMCPU" regs --json | sed -n 's/^ *"name": "\([A-Za-z0-9_]*\)",*$/\1/p' | sort -u
            printf '%s\n' 'model ' 'version 1' 'parent ' 'parent none' 'realizable yes' \
                'realizable no' 'description ' 'source ' end ' = ' '#' 0x 0b ;;
        parse)
            "$ARMCPU" regs --json | sed -n 's/^ *"name": "\([A-Za-z0-9_]*\)",*$/\1/p' | sort -u
            printf '%s\n' op0: op1: crn: crm: op2: 0x 0b . _EL1 _EL0 ;;
        host|check)
            "$ARMCPU" props | awk '/^[^ ]/ { print $1 "=" }'
            printf '%s\n' '"format"' '"armcpu-host-snapshot"' '"version"' '"name"' '"source"' \
                '"kernel"' '"writable_masks"' '"vcpu_features"' '"registers"' '"value"' \
                '"writable"' '"absent"' '"ENOENT"' '"sve"' '"pmu"' '"ptrauth"' true false \
                '0x0000000000000000' '0xffffffffffffffff' ARMCPU-PROBE-BEGIN ARMCPU-PROBE-END \
                'REG (3,0,0,6,0)' 'MASK (3,0,0,6,0)' 'UNAME ' 'CAP 230 1' ;;
        esac
    } 2>/dev/null | grep -v '^$' | sort -u | q >"$d"
    echo "$d"
}

for t in "$@"; do
    bin=$FUZZ_DIR/fuzz-$t
    if [ ! -x "$bin" ]; then
        echo "run.sh: $bin missing (make fuzz-build)"; exit 2
    fi
    log=$FUZZ_DIR/$t.log
    art=$FUZZ_DIR/artifacts/$t
    mkdir -p "$FUZZ_DIR/corpus/$t" "$art"
    status=ok
    # 1. Every regression input once.
    nreg=0
    if [ -d "$here/regressions/$t" ]; then
        nreg=$(find "$here/regressions/$t" -type f ! -name '.*' | wc -l)
    fi
    if [ "$nreg" -gt 0 ]; then
        # shellcheck disable=SC2046 # file names are ours: no spaces
        if ! "$bin" -runs=1 $(find "$here/regressions/$t" -type f ! -name '.*' | sort) \
            >"$FUZZ_DIR/$t.regressions.log" 2>&1; then
            echo "FAIL: $t: a regression input crashes again; log: $FUZZ_DIR/$t.regressions.log"
            grep -E "ERROR|invariant|runtime error|Running:" "$FUZZ_DIR/$t.regressions.log" | tail -5
            status=REGRESSION
        fi
    fi
    # 2. Fuzz.
    case $t in
    realize) maxlen=4096 ;;
    model_file) maxlen=16384 ;;
    *) maxlen=256 ;;
    esac
    dict=$(gen_dict "$t")
    echo "fuzz-$t: ${secs}s, corpus $FUZZ_DIR/corpus/$t + tests/fuzz/corpus/$t, $nreg regression input(s)"
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
        -dict="$dict" -artifact_prefix="$art/" -print_final_stats=1 \
        "$FUZZ_DIR/corpus/$t" "$here/corpus/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ $rc != 0 ]; then
        status="CRASH(rc=$rc)"
        echo "FAIL: fuzz-$t exit $rc; log: $log"
        grep -E "ERROR:|invariant failed|runtime error|Test unit written|SUMMARY" "$log" | head -8
        echo "  reproduce: $bin <artifact>; keep it: cp <artifact> tests/fuzz/regressions/$t/"
    fi
    [ "$status" = ok ] || fails=$((fails + 1))
    table="$table$(printf '%-12s %-16s %12s %9s %7s %7s' "$t" "$status" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}")
"
done
printf '\n%-12s %-16s %12s %9s %7s %7s\n' TARGET STATUS EXECS EXEC/S COV FT
printf '%s' "$table"
[ $fails = 0 ] && echo "fuzz: all targets clean (${secs}s each)"
exit $((fails > 0))
