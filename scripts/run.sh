#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what lectern needs, builds the release binary and runs `lectern demo` on the
# embedded SQLite store: the first time it creates ./lectern-data with a demo tenant (its
# Console Admin admin@demo.test; the password is LECTERN_ADMIN_PASSWORD or generated and printed
# once), custom roles, learners, courses and enrollments; later runs serve the same data.
# Serves on 127.0.0.1:8080 (LECTERN_LISTEN to change).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --no-npm
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

data=${LECTERN_DATA_DIR:-./lectern-data}
listen=${LECTERN_LISTEN:-127.0.0.1:8080}
if [ -f "$data/lectern.db" ]; then
    exec build/release/lectern serve --data-dir "$data" --listen "$listen" "$@"
fi
exec build/release/lectern demo --data-dir "$data" --listen "$listen" "$@"
