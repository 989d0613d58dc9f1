#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite, as CI runs it (.ci/run) on a fresh Debian 12 machine as root:
# install dependencies, check sources and formatting, build the debug and the sanitizer
# (ASan + UBSan) builds, run the unit tests and fuzz-corpus replays on both, each libFuzzer
# target for a short bounded time on the clang build, and the end-to-end suite on both.
# The output ends with the summary of Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/check-src.sh

jobs=$(nproc)
for preset in debug asan; do
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
done
cmake --build build/debug --target format-check

echo "== unit tests and fuzz replays (asan) =="
(cd build/asan && ctest -L 'unit|fuzz' --output-on-failure -j "$jobs")
echo "== fuzzing, ${FUZZ_SECONDS:=20} s per target (clang, ASan + UBSan) =="
FUZZ_SECONDS=$FUZZ_SECONDS scripts/fuzz-smoke.sh
echo "== end-to-end tests (asan) =="
LECTERN_BIN="$PWD/build/asan/lectern" node --test --test-concurrency=1 tests/e2e/
echo "== unit tests and fuzz replays (debug) =="
(cd build/debug && ctest -L 'unit|fuzz' --output-on-failure -j "$jobs")
echo "== end-to-end tests (debug) =="
LECTERN_BIN="$PWD/build/debug/lectern" node --test --test-concurrency=1 tests/e2e/
