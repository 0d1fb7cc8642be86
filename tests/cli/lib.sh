# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared helpers of the CLI tests (sourced). The caller sets $tmp (a scratch
# directory) and fails=0; each helper reports a failure and counts it.

check() { # description, command...; expects exit 0
    desc=$1; shift
    if ! "$@" >"$tmp/out" 2>"$tmp/err"; then
        echo "FAIL: $desc (exit $?)"; cat "$tmp/err"; fails=$((fails + 1))
    fi
}
expect_rc() { # code, description, command...; expects exactly that exit code
    code=$1; desc=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -ne "$code" ]; then
        echo "FAIL: $desc: exit $rc (want $code)"; cat "$tmp/err"; fails=$((fails + 1))
    fi
}
expect_fail() { # code, pattern, command...
    code=$1; pat=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -ne "$code" ] || ! grep -q -- "$pat" "$tmp/err"; then
        echo "FAIL: '$*' exit $rc (want $code), stderr:"; cat "$tmp/err"
        echo "      (wanted pattern: $pat)"; fails=$((fails + 1))
    fi
}
has() { # pattern (grep regex) in the last stdout
    grep -q -- "$1" "$tmp/out" || { echo "FAIL: output lacks '$1'"; fails=$((fails + 1)); }
}
hasnt() { # pattern not in the last stdout
    ! grep -q -- "$1" "$tmp/out" || { echo "FAIL: output has '$1'"; fails=$((fails + 1)); }
}
