#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite, as CI runs it (.ci/run) on a fresh Debian 12 machine as root:
# install dependencies, check sources and formatting, build the debug and the sanitizer
# (ASan + UBSan) builds, run the unit tests and fuzz-corpus replays on both, each libFuzzer
# target for a short bounded time on the clang build, and the end-to-end suite three times:
# on SQLite and on PostgreSQL with the sanitizer build, then on SQLite with the debug build
# (without the Console's browser tests, which the sanitizer runs covered on both backends; they
# are half of a run's time). PostgreSQL is a private throw-away cluster (scripts/pg-cluster.sh)
# in a temporary folder on 127.0.0.1:55400 (LECTERN_TEST_PG_PORT; the next ports up to +9 when
# it is taken), stopped and removed on every exit; the unit tests labelled `pg` and the
# PostgreSQL end-to-end run get its URL as LECTERN_TEST_PG. Stops at the first failing step.
# The output ends with the summary of Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."

# A section header with the minutes and seconds since the start.
section() {
    printf '== %s [%d:%02d] ==\n' "$1" $((SECONDS / 60)) $((SECONDS % 60))
}

scripts/install-deps.sh
scripts/check-src.sh

jobs=$(nproc)
for preset in debug asan; do
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
done
cmake --build build/debug --target format-check

pg_tmp=$(mktemp -d "${TMPDIR:-/tmp}/lectern-test-pg.XXXXXX")
stop_pg() {
    scripts/pg-cluster.sh stop "$pg_tmp/pg" || true
    rm -rf "$pg_tmp"
}
trap stop_pg EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_port=${LECTERN_TEST_PG_PORT:-55400}
LECTERN_TEST_PG=
for port in $(seq "$pg_port" $((pg_port + 9))); do
    if LECTERN_TEST_PG=$(scripts/pg-cluster.sh start "$pg_tmp/pg" "$port" 2>"$pg_tmp/start.log"); then
        break
    fi
    LECTERN_TEST_PG=
done
if [ -z "$LECTERN_TEST_PG" ]; then
    cat "$pg_tmp/start.log" >&2
    echo "test.sh: cannot start PostgreSQL on ports $pg_port..$((pg_port + 9))" >&2
    exit 1
fi
export LECTERN_TEST_PG
section "PostgreSQL $LECTERN_TEST_PG (scripts/pg-cluster.sh, $pg_tmp/pg)"

section "unit tests and fuzz replays (asan; pg-labelled tests on PostgreSQL)"
(cd build/asan && ctest -L 'unit|fuzz|pg' --output-on-failure -j "$jobs")
section "fuzzing, ${FUZZ_SECONDS:=20} s per target (clang, ASan + UBSan)"
FUZZ_SECONDS=$FUZZ_SECONDS scripts/fuzz-smoke.sh
section "end-to-end tests (asan, SQLite)"
LECTERN_TEST_PG="" LECTERN_BIN="$PWD/build/asan/lectern" node --test --test-concurrency=1 tests/e2e/
section "end-to-end tests (asan, PostgreSQL)"
LECTERN_BIN="$PWD/build/asan/lectern" node --test --test-concurrency=1 tests/e2e/
section "unit tests and fuzz replays (debug; pg-labelled tests on PostgreSQL)"
(cd build/debug && ctest -L 'unit|fuzz|pg' --output-on-failure -j "$jobs")
section "end-to-end tests (debug, SQLite; the Console's browser tests ran above)"
e2e_debug=()
for f in tests/e2e/*.test.mjs; do
    case $f in */40-console-*) ;; *) e2e_debug+=("$f") ;; esac
done
LECTERN_TEST_PG="" LECTERN_BIN="$PWD/build/debug/lectern" node --test --test-concurrency=1 "${e2e_debug[@]}"
