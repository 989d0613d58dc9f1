#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what lectern needs, builds the release binary, initialises ./lectern-data on the
# embedded SQLite store the first time (tenant "demo", admin admin@demo.test; the password is
# LECTERN_ADMIN_PASSWORD or generated and printed once), then serves on 127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --no-npm
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

data=${LECTERN_DATA_DIR:-./lectern-data}
if [ ! -f "$data/lectern.db" ]; then
    build/release/lectern init --data-dir "$data" --tenant demo --tenant-name "Demo" \
        --admin-email admin@demo.test
fi
exec build/release/lectern serve --data-dir "$data" "$@"
