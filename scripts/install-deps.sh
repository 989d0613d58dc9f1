#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package lectern builds, tests and benchmarks with, and the npm
# packages of the end-to-end tests: PostgreSQL (a private cluster per test run, see
# scripts/pg-cluster.sh), nginx (the cluster test's load balancer), Debian's Chromium (the
# Console's browser tests drive it through playwright-core; no browser is downloaded). Idempotent: when everything is present it only checks.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
with_npm=1
[ "${1:-}" = "--no-npm" ] && with_npm=0

debs=(
    build-essential cmake ninja-build pkg-config git ca-certificates curl
    clang clang-format libclang-rt-14-dev llvm
    libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev libjansson-dev libcmocka-dev
    nodejs npm wrk
    postgresql nginx-light
    chromium fonts-dejavu-core
)

missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Debian's nodejs may be replaced by another node install on developer machines; accept any node>=18.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=("${missing[@]/nodejs/}")
    missing=("${missing[@]/npm/}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done

if [ ${#want[@]} -gt 0 ]; then
    echo "install-deps: installing ${want[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi

if [ $with_npm = 1 ] && [ -f "$here/package.json" ]; then
    stamp="$here/node_modules/.lectern-stamp"
    if [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
        (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
        touch "$stamp"
    fi
fi
