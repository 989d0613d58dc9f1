#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzz smoke test: configures the `fuzz` preset (clang, libFuzzer, ASan + UBSan), builds every
# libFuzzer target it defines and runs each for FUZZ_SECONDS (default 30). A target fuzz_<name>
# starts from fuzz/corpus/<name> and replays fuzz/crashers/<name> first, with fuzz/<name>.dict
# when there is one. New inputs go to a scratch corpus under the build tree, so the checked-in
# seeds do not change. Fails on any crash, leak, timeout or out-of-memory, and when no target
# was built. A crashing input is left in build/fuzz/fuzz-smoke/<name>/: fix the bug, then copy
# the input into fuzz/crashers/<name>/ so that ctest replays it on every build.
#
#   scripts/fuzz-smoke.sh                     every target, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz-smoke.sh    longer
#   scripts/fuzz-smoke.sh envelope            only fuzz_envelope
#   FUZZ_BUILD_DIR=build/x scripts/fuzz-smoke.sh   the fuzz preset in another build tree
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
case $seconds in
'' | *[!0-9]*)
    echo "fuzz-smoke: FUZZ_SECONDS must be a whole number of seconds" >&2
    exit 2
    ;;
esac
build=${FUZZ_BUILD_DIR:-build/fuzz} # the preset's binaryDir unless told otherwise

cmake --preset fuzz -B "$build" >/dev/null

# The libFuzzer targets fuzz/CMakeLists.txt defines (fuzz_<name>; not the *_replay drivers),
# built alone: the rest of the tree is built and tested by the debug and asan presets.
targets=()
for t in $(cmake --build "$build" --target help |
           grep -oE '^(\.\.\. )?fuzz_[A-Za-z0-9_]+' | sed 's/^\.\.\. //' | sort -u); do
    name=${t#fuzz_}
    case $name in *_replay) continue ;; esac
    if [ $# -gt 0 ]; then
        wanted=0
        for w in "$@"; do [ "$w" = "$name" ] && wanted=1; done
        [ $wanted = 1 ] || continue
    fi
    targets+=("$name")
done
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz-smoke: no libFuzzer target defined in $build (is clang installed?)" >&2
    exit 1
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

failed=()
for name in "${targets[@]}"; do
    out=$build/fuzz-smoke/$name
    rm -rf "$out"
    mkdir -p "$out/corpus"
    args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix="$out/")
    [ -f "fuzz/$name.dict" ] && args+=(-dict="fuzz/$name.dict")
    dirs=("$out/corpus") # written by libFuzzer; the seeds below are only read
    [ -d "fuzz/corpus/$name" ] && dirs+=("fuzz/corpus/$name")
    [ -d "fuzz/crashers/$name" ] && dirs+=("fuzz/crashers/$name")
    echo "== fuzz_$name: ${seconds}s =="
    if "$build/fuzz/fuzz_$name" "${args[@]}" "${dirs[@]}" >"$out/log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$out/log" || true
    else
        echo "fuzz-smoke: fuzz_$name FAILED; the last lines of $out/log:" >&2
        tail -n 40 "$out/log" >&2
        ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null >&2 || true
        failed+=("$name")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz-smoke: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz-smoke: ${#targets[@]} target(s) ran ${seconds}s each without a finding"
