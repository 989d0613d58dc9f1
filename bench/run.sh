#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks lectern's songs-server against the mercurius peer and the libmicrohttpd ceiling,
# in one run, on the three requests of the songs workload, and lectern itself (`lectern demo`)
# on the authenticated `users` request of its own API (bench/README.md). Builds nothing: give
# it a build directory where `ceiling`, `songs-server` and `lectern` are built (and
# `bench/auth-bench`, whose output is added to the report when it exists).
#
#   bench/run.sh [BUILD_DIR]          default: build/release
#
# Environment: DURATION (10, seconds per run), RUNS (3), WARMUP (3, seconds), CONNECTIONS (50),
# SERVER_CPU (0), CLIENT_CPU (1), SERVERS ("songs mercurius ceiling lectern"),
# REQUESTS ("simple complex post users"), READY_TIMEOUT (20, seconds),
# AUTH_BENCH (1; 0 skips the micro-benchmarks auth-bench and parse-bench), RESULTS_DIR
# (bench/results), LECTERN_PG (a PostgreSQL base URL such as
# postgres://postgres@127.0.0.1:55400/postgres: lectern then stores the demo in a fresh database
# of that server instead of SQLite; the database server's CPU is not pinned nor counted).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $# -gt 0 ]]; then
    BUILD=$(cd "$1" 2>/dev/null && pwd) || {
        echo "run.sh: build directory '$1' not found" >&2
        exit 2
    }
else
    BUILD=$ROOT/build/release
fi

DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-50}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
SERVERS=${SERVERS:-songs mercurius ceiling lectern}
REQUESTS=${REQUESTS:-simple complex post users}
READY_TIMEOUT=${READY_TIMEOUT:-20}
AUTH_BENCH=${AUTH_BENCH:-1}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results}
LECTERN_PG=${LECTERN_PG:-}

for v in DURATION RUNS WARMUP CONNECTIONS SERVER_CPU CLIENT_CPU READY_TIMEOUT AUTH_BENCH; do
    [[ ${!v} =~ ^[0-9]+$ ]] || {
        echo "run.sh: $v must be a non-negative integer" >&2
        exit 2
    }
done
((DURATION >= 1 && RUNS >= 1 && CONNECTIONS >= 1)) || {
    echo "run.sh: DURATION, RUNS and CONNECTIONS must be at least 1" >&2
    exit 2
}

for tool in wrk taskset curl node; do
    command -v "$tool" >/dev/null || {
        echo "run.sh: '$tool' is required" >&2
        exit 2
    }
done
NCPU=$(nproc)
if ((SERVER_CPU >= NCPU || CLIENT_CPU >= NCPU)); then
    echo "run.sh: SERVER_CPU=$SERVER_CPU / CLIENT_CPU=$CLIENT_CPU but only $NCPU CPU(s)" >&2
    exit 2
fi
if ((SERVER_CPU == CLIENT_CPU)); then
    echo "run.sh: warning: server and wrk share CPU $SERVER_CPU; numbers will be low" >&2
fi

ANSWER=$ROOT/bench/songs/simple-answer.json
POST_LUA=$ROOT/bench/wrk/post.lua
USERS_LUA=$ROOT/bench/wrk/users.lua
SONGS_BIN=$BUILD/bench/songs/songs-server
CEILING_BIN=$BUILD/bench/ceiling
LECTERN_BIN=$BUILD/lectern
AUTH_BENCH_BIN=$BUILD/bench/auth-bench
MERCURIUS=$ROOT/bench/peer/mercurius.mjs

# The three requests of docs/notes/performance-baseline (the-benchmarker/graphql-benchmarks).
SIMPLE_Q='{artists{name,origin,songs{name,duration,likes}}}'
COMPLEX_Q='{artists{name,origin,songs{name,duration,likes}},__schema{types{name,fields{name}}}}'
POST_BODY='{"query":"mutation{like(artist:\"Fazerdaze\",song:\"Jennifer\"){likes}}"}'
urlenc() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }
SIMPLE_PATH="/graphql?query=$(urlenc "$SIMPLE_Q")"
COMPLEX_PATH="/graphql?query=$(urlenc "$COMPLEX_Q")"
# lectern's own API: the first page of users of the demo tenant, with a developer token
# (wrk/users.lua sends the same body; keep the two in step).
USERS_BODY='{"query":"{ users(first: 20) { edges { node { id email name roles { name } } } } }"}'
USERS_PATH=/api/graphql

# applies REQ SERVER: whether SERVER serves request REQ. lectern serves only its own users
# request, which the songs servers cannot answer; the ceiling answers everything (with the
# simple answer), so it gives the HTTP ceiling of every request, users included.
applies() {
    case $2 in
    lectern) [[ $1 == users ]] ;;
    ceiling) return 0 ;;
    *) [[ $1 != users ]] ;;
    esac
}

# lectern reads ./lectern.conf and LECTERN_* variables; run it without either, so that only
# the flags below configure it (a stray LECTERN_TOKEN_RATE_LIMIT would measure 429s).
LECTERN_ENV=(env)
while IFS= read -r v; do
    [[ $v == LECTERN_* ]] && LECTERN_ENV+=(-u "$v")
done < <(compgen -e)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lectern-bench.XXXXXX")
SERVER_PID=""   # the one server running at a time, stopped by cleanup on any exit
WRK_PID=""      # the wrk (under timeout) running, if any
AUX_PID=""      # auth-bench (under timeout) running, if any
# The developer token the users request sends (wrk/users.lua reads it from the environment):
# the one `lectern token create` printed for the running lectern; for the ceiling, which
# does not read it, a placeholder of the same length so that the requests are the same size.
PLACEHOLDER_TOKEN=lct_000000000000000000000000000000000000
BENCH_TOKEN=$PLACEHOLDER_TOKEN
RAW=$TMP/raw.tsv     # request server run rps p99_ms non2xx sockerr requests cpu_us_per_req
STATUS=$TMP/status.tsv # request server status note
: >"$RAW"
: >"$STATUS"
FAILED=0

stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

stop_server() {
    stop_pid "$SERVER_PID"
    SERVER_PID=""
}

# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
    if [[ -n $WRK_PID ]]; then stop_pid "$WRK_PID"; fi
    if [[ -n $AUX_PID ]]; then stop_pid "$AUX_PID"; fi
    if [[ -n $SERVER_PID ]]; then stop_pid "$SERVER_PID"; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    node -e 'const s = require("net").createServer();
             s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Node helper: check.mjs MODE FILE [ANSWER] verifies one response body.
cat >"$TMP/check.mjs" <<'EOF'
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
const [mode, file, answerFile] = process.argv.slice(2);
const raw = readFileSync(file, 'utf8');
let got;
try { got = JSON.parse(raw); } catch { console.log(`not JSON: ${raw.slice(0, 200)}`); process.exit(1); }
const fail = (why) => { console.log(`${why}: ${raw.slice(0, 300)}`); process.exit(1); };
if (got.errors) fail('errors in response');
if (mode === 'simple' || mode === 'complex') {
    const answerRaw = readFileSync(answerFile, 'utf8');
    const want = JSON.parse(answerRaw);
    if (mode === 'simple') {
        if (!isDeepStrictEqual(got, want)) fail('differs from simple-answer.json');
        console.log(raw === answerRaw ? 'matches simple-answer.json byte for byte'
                                      : 'matches simple-answer.json as JSON (bytes differ)');
    } else {
        if (!isDeepStrictEqual(got?.data?.artists, want.data.artists)) fail('artists differ');
        const types = got?.data?.__schema?.types;
        if (!Array.isArray(types) || !types.some((t) => t.name === 'Song')) fail('no __schema');
        console.log(`artists match, __schema has ${types.length} types`);
    }
} else if (mode === 'post') {
    const likes = got?.data?.like?.likes;
    if (!Number.isInteger(likes) || likes < 1) fail('like did not return likes >= 1');
    console.log(`like returned likes=${likes}`);
} else if (mode === 'users') {
    const edges = got?.data?.users?.edges;
    if (!Array.isArray(edges)) fail('no data.users.edges');
    if (edges.length !== 20) fail(`data.users.edges has ${edges.length} nodes, not 20`);
    const bad = edges.findIndex(({ node } = {}) => !node || node.id == null ||
        typeof node.email !== 'string' || typeof node.name !== 'string' || !Array.isArray(node.roles));
    if (bad >= 0) fail(`users node ${bad} lacks id, email, name or roles`);
    console.log(`20 users, ${raw.length} bytes, first ${edges[0].node.email}`);
}
EOF

# request_url REQ PORT; wrk_extra REQ: the URL and extra wrk arguments of a request type.
request_url() {
    case $1 in
    simple) echo "http://127.0.0.1:$2$SIMPLE_PATH" ;;
    complex) echo "http://127.0.0.1:$2$COMPLEX_PATH" ;;
    post) echo "http://127.0.0.1:$2/graphql" ;;
    users) echo "http://127.0.0.1:$2$USERS_PATH" ;;
    esac
}

# ready_url SERVER PORT: what wait_ready polls (lectern answers /graphql only with a token).
ready_url() {
    if [[ $1 == lectern ]]; then
        echo "http://127.0.0.1:$2/readyz"
    else
        request_url simple "$2"
    fi
}

# probe REQ URL OUT: one request with curl as wrk will send it; prints the HTTP status.
probe() {
    if [[ $1 == post ]]; then
        curl -s --max-time 5 -o "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary "$POST_BODY" "$2" || true
    elif [[ $1 == users ]]; then
        curl -s --max-time 5 -o "$3" -w '%{http_code}' -H 'Content-Type: application/json' \
            -H "Authorization: Bearer $BENCH_TOKEN" --data-binary "$USERS_BODY" "$2" || true
    else
        curl -s --max-time 5 -o "$3" -w '%{http_code}' "$2" || true
    fi
}

# store_args DATA_DIR: the --store flags of every lectern command on DATA_DIR. With LECTERN_PG,
# DATA_DIR's own database (created on first use, named after the directory).
store_args() {
    STORE_ARGS=()
    [[ -z $LECTERN_PG ]] && return 0
    local db
    db=bench_$(basename "$1" | tr -c 'a-z0-9\n' '_')
    if [[ ! -e $1.pgdb ]]; then
        psql -q -X "$LECTERN_PG" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
            >/dev/null || return 1
        touch "$1.pgdb"
    fi
    STORE_ARGS=(--store "${LECTERN_PG%/*}/$db")
}

# start_server NAME PORT LOG [DATA_DIR]: starts NAME pinned to SERVER_CPU; sets SERVER_PID.
# lectern: `lectern demo` seeds the demo tenant into the fresh DATA_DIR, then serves it with
# one HTTP thread, no access log and no rate limit (else the benchmark would measure 429s).
start_server() {
    local cmd
    case $1 in
    songs) cmd=("$SONGS_BIN" --listen "127.0.0.1:$2") ;;
    mercurius) cmd=(node "$MERCURIUS" --port "$2") ;;
    ceiling) cmd=("$CEILING_BIN" --listen "127.0.0.1:$2" --threads 1) ;;
    lectern)
        store_args "$4" || return 1
        cmd=("${LECTERN_ENV[@]}" "$LECTERN_BIN" demo --data-dir "$4" --listen "127.0.0.1:$2"
            --threads 1 --access-log off --rate-limit 0 "${STORE_ARGS[@]}")
        ;;
    esac
    if [[ $1 == lectern ]]; then
        # In $TMP: lectern would read a ./lectern.conf of the current directory.
        (cd "$TMP" && exec taskset -c "$SERVER_CPU" "${cmd[@]}") >"$3" 2>&1 &
    else
        taskset -c "$SERVER_CPU" "${cmd[@]}" >"$3" 2>&1 &
    fi
    SERVER_PID=$!
}

# create_token DATA_DIR OUT: `lectern token create` on the running demo's data directory (it
# is SQLite in WAL mode: the CLI writes while the server runs); sets BENCH_TOKEN to the
# lct_ secret it prints once.
create_token() {
    local tok
    store_args "$1" || return 1
    (cd "$TMP" && "${LECTERN_ENV[@]}" "$LECTERN_BIN" token create --tenant demo \
        --user admin@demo.test --name bench --data-dir "$1" "${STORE_ARGS[@]}") >"$2" 2>&1 ||
        return 1
    tok=$(grep -oE '\blct_[0-9A-Za-z]{36}\b' "$2" | head -1) || true
    [[ -n $tok ]] || return 1
    BENCH_TOKEN=$tok
}

# wait_ready PID URL: until the simple URL answers 200, the process dies, or the timeout.
wait_ready() {
    local deadline=$((SECONDS + READY_TIMEOUT)) code
    while ((SECONDS < deadline)); do
        kill -0 "$1" 2>/dev/null || return 1
        code=$(curl -s --max-time 1 -o /dev/null -w '%{http_code}' "$2" || true)
        [[ $code == 200 ]] && return 0
        sleep 0.1
    done
    return 1
}

cpu_ticks() { # utime + stime of a process (all threads), in clock ticks
    { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null || echo; } | awk '{ print ($12 == "" ? "nan" : $12 + $13) }'
}
CLK_TCK=$(getconf CLK_TCK)

# to_ms VALUE: wrk latency (850.00us, 1.23ms, 1.02s, 1.50m) to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1;
        if (f < 0) { print "nan"; exit } printf "%.3f\n", n * f }'
}

# run_wrk REQ URL SECONDS OUT
run_wrk() {
    local args=(-t1 "-c$CONNECTIONS" "-d${3}s" --latency)
    [[ $1 == post ]] && args+=(-s "$POST_LUA")
    [[ $1 == users ]] && args+=(-s "$USERS_LUA")
    # In the background so that a signal to this script is handled at once, not after the run.
    BENCH_TOKEN=$BENCH_TOKEN timeout $(($3 + 30)) taskset -c "$CLIENT_CPU" wrk "${args[@]}" "$2" \
        >"$4" 2>&1 &
    WRK_PID=$!
    local rc=0
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    return "$rc"
}

note() { printf '%s\n' "$*" >&2; }
set_status() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$STATUS"; }

# bench_one REQ SERVER: fresh server, verify, warm up, RUNS measured runs, stop.
bench_one() {
    local req=$1 srv=$2 port url log pid r out rps p99 non2xx sockerr nreq t0 t1 cpu msg
    if [[ $srv == songs && ! -x $SONGS_BIN ]]; then
        note "  songs: skipped — $SONGS_BIN does not exist yet"
        set_status "$req" "$srv" skipped "songs-server not built"
        return 0
    fi
    if [[ $srv == ceiling && ! -x $CEILING_BIN ]]; then
        note "  ceiling: skipped — $CEILING_BIN not built (cmake --build $BUILD --target ceiling)"
        set_status "$req" "$srv" skipped "ceiling not built"
        return 0
    fi
    if [[ $srv == mercurius && ! -d $ROOT/node_modules/mercurius ]]; then
        note "  mercurius: skipped — node_modules missing (npm ci)"
        set_status "$req" "$srv" skipped "node_modules missing"
        return 0
    fi
    if [[ $srv == lectern && ! -x $LECTERN_BIN ]]; then
        note "  lectern: skipped — $LECTERN_BIN not built (cmake --build $BUILD --target lectern)"
        set_status "$req" "$srv" skipped "lectern not built"
        return 0
    fi
    port=$(free_port)
    log=$TMP/$srv-$req.log
    BENCH_TOKEN=$PLACEHOLDER_TOKEN
    start_server "$srv" "$port" "$log" "$TMP/$srv-$req-data"
    pid=$SERVER_PID
    if ! wait_ready "$pid" "$(ready_url "$srv" "$port")"; then
        note "  $srv: did not start within ${READY_TIMEOUT}s; its output:"
        sed 's/^/    /' "$log" >&2 || true
        set_status "$req" "$srv" failed "did not start"
        FAILED=1
        stop_server
        return 0
    fi
    if [[ $srv == lectern ]] && ! create_token "$TMP/$srv-$req-data" "$TMP/token.out"; then
        note "  lectern: \`lectern token create\` gave no token; its output:"
        sed 's/^/    /' "$TMP/token.out" >&2 || true
        set_status "$req" "$srv" failed "no token"
        FAILED=1
        stop_server
        return 0
    fi

    # Correctness first: the simple answer, then the request about to be measured (the
    # ceiling answers everything with the simple answer, so only that is checked; lectern
    # serves only users: 200, 20 users, no errors).
    url=$(request_url "$req" "$port")
    local checks=(simple) q code
    [[ $srv == lectern ]] && checks=()
    [[ $srv != ceiling && $req != simple ]] && checks+=("$req")
    for q in "${checks[@]}"; do
        code=$(probe "$q" "$(request_url "$q" "$port")" "$TMP/probe.json")
        msg=""
        if [[ $code != 200 ]] || ! msg=$(node "$TMP/check.mjs" "$q" "$TMP/probe.json" "$ANSWER"); then
            note "  $srv: wrong answer to $q (HTTP $code): $msg"
            set_status "$req" "$srv" failed "wrong answer to $q"
            FAILED=1
            stop_server
            return 0
        fi
        note "  $srv: $q ok — $msg"
    done

    if ((WARMUP > 0)); then
        run_wrk "$req" "$url" "$WARMUP" "$TMP/warmup.txt" || true
        # lectern under load must keep answering 200: a 401 or 429 flood (a rate limit that
        # is on after all, a token that stopped working) would be measured as speed.
        if [[ $srv == lectern ]]; then
            non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$TMP/warmup.txt")
            if ((${non2xx:-0} > 0)); then
                note "  lectern: $non2xx non-2xx answers during the warm-up; not measured"
                probe "$req" "$url" "$TMP/probe.json" >/dev/null
                note "    a request now: $(head -c 300 "$TMP/probe.json")"
                set_status "$req" "$srv" failed "non-2xx during warm-up"
                FAILED=1
                stop_server
                return 0
            fi
        fi
    fi
    for ((r = 1; r <= RUNS; r++)); do
        out=$TMP/$srv-$req-$r.txt
        t0=$(cpu_ticks "$pid")
        if ! run_wrk "$req" "$url" "$DURATION" "$out"; then
            note "  $srv: wrk failed on run $r:"
            sed 's/^/    /' "$out" >&2
            set_status "$req" "$srv" failed "wrk failed"
            FAILED=1
            stop_server
            return 0
        fi
        t1=$(cpu_ticks "$pid")
        rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
        p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
        non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
        sockerr=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")
        nreq=$(awk '/requests in/ { print $1 }' "$out")
        cpu=$(awk -v a="$t0" -v b="$t1" -v n="${nreq:-0}" -v hz="$CLK_TCK" \
            'BEGIN { if (n > 0) printf "%.2f", (b - a) / hz * 1e6 / n; else print "nan" }')
        printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n' "$req" "$srv" "$r" "${rps:-nan}" \
            "${p99:-nan}" "${non2xx:-0}" "${sockerr:-0}" "${nreq:-0}" "$cpu" >>"$RAW"
        msg=""
        ((${non2xx:-0} + ${sockerr:-0} > 0)) && msg=" — ${non2xx:-0} non-2xx, ${sockerr:-0} socket errors"
        note "  $srv: run $r: ${rps:-?} req/s, p99 ${p99:-?} ms, $cpu µs CPU/req$msg"
    done
    set_status "$req" "$srv" ok ""
    stop_server
}

STAMP=$(date -u +%Y-%m-%d-%H%M%S)
for req in $REQUESTS; do
    case $req in simple | complex | post | users) ;; *)
        note "run.sh: unknown request '$req'"
        exit 2
        ;;
    esac
done
for srv in $SERVERS; do
    case $srv in songs | mercurius | ceiling | lectern) ;; *)
        note "run.sh: unknown server '$srv'"
        exit 2
        ;;
    esac
done
note "lectern benchmark (songs workload + users) — build $BUILD"
note "server on CPU $SERVER_CPU, wrk -t1 -c$CONNECTIONS on CPU $CLIENT_CPU," \
    "${WARMUP}s warm-up, $RUNS × ${DURATION}s per server and request"
for req in $REQUESTS; do
    note "== $req"
    ran=0
    for srv in $SERVERS; do
        applies "$req" "$srv" || continue
        ran=1
        bench_one "$req" "$srv"
    done
    ((ran)) || note "  (no server of SERVERS serves $req)"
done

# auth-bench: the micro-benchmark of the Bearer path (ns/op), alongside the users request.
AUTH_BENCH_OUT=$TMP/auth-bench.txt
: >"$AUTH_BENCH_OUT"
if ((AUTH_BENCH)) && [[ " $SERVERS " == *" lectern "* ]]; then
    if [[ -x $AUTH_BENCH_BIN ]]; then
        note "== auth-bench"
        timeout 300 "$AUTH_BENCH_BIN" >"$AUTH_BENCH_OUT" 2>&1 &
        AUX_PID=$!
        rc=0
        wait "$AUX_PID" || rc=$?
        AUX_PID=""
        sed 's/^/  /' "$AUTH_BENCH_OUT" >&2
        if ((rc != 0)); then
            note "  auth-bench failed (exit $rc)"
            echo "(auth-bench exited with status $rc)" >>"$AUTH_BENCH_OUT"
            FAILED=1
        fi
    else
        note "== auth-bench: skipped — $AUTH_BENCH_BIN not built (--target auth-bench)"
    fi
fi
# parse-bench: the cold cost of a query (parse, parse + validate), alongside the songs requests;
# its lines join auth-bench's in the report's micro-benchmark section.
PARSE_BENCH_BIN=$BUILD/bench/parse-bench
if ((AUTH_BENCH)) && [[ " $SERVERS " == *" songs "* ]]; then
    if [[ -x $PARSE_BENCH_BIN ]]; then
        note "== parse-bench"
        rc=0
        timeout 300 "$PARSE_BENCH_BIN" >>"$AUTH_BENCH_OUT" 2>&1 || rc=$?
        sed 's/^/  /' "$AUTH_BENCH_OUT" >&2
        if ((rc != 0)); then
            note "  parse-bench failed (exit $rc)"
            FAILED=1
        fi
    else
        note "== parse-bench: skipped — $PARSE_BENCH_BIN not built (--target parse-bench)"
    fi
fi

# Aggregate: medians per server and request, ratios, JSON + markdown + the table on stdout.
mkdir -p "$RESULTS_DIR"
OUT_BASE=$RESULTS_DIR/songs-$STAMP
cat >"$TMP/report.mjs" <<'EOF'
import { readFileSync, writeFileSync } from 'node:fs';
const [rawFile, statusFile, outBase] = process.argv.slice(2);
const env = process.env;
const rows = (f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
const median = (xs) => {
    const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
    if (!s.length) return null;
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const requests = env.REQUESTS.split(/\s+/).filter(Boolean);
const servers = env.SERVERS.split(/\s+/).filter(Boolean);
// As applies() in run.sh: lectern serves only users, which only it and the ceiling answer.
const applies = (req, srv) =>
    srv === 'lectern' ? req === 'users' : srv === 'ceiling' || req !== 'users';
const results = {};
for (const req of requests) {
    results[req] = {};
    for (const srv of servers) {
        if (applies(req, srv)) results[req][srv] = { status: 'not run', runs: [] };
    }
}
for (const [req, srv, status, note] of rows(statusFile)) {
    Object.assign(results[req][srv], { status }, note ? { note } : {});
}
for (const [req, srv, run, rps, p99, non2xx, sockerr, nreq, cpu] of rows(rawFile)) {
    results[req][srv].runs.push({
        run: +run, rps: +rps, p99_ms: +p99, non_2xx: +non2xx, socket_errors: +sockerr,
        requests: +nreq, cpu_us_per_req: +cpu,
    });
}
const ratio = (a, b) => (a != null && b ? +(a / b).toFixed(3) : null);
for (const req of requests) {
    for (const srv of servers) {
        const r = results[req][srv];
        if (!r) continue;
        r.median = r.runs.length ? {
            rps: median(r.runs.map((x) => x.rps)),
            p99_ms: median(r.runs.map((x) => x.p99_ms)),
            cpu_us_per_req: median(r.runs.map((x) => x.cpu_us_per_req)),
        } : null;
        if (r.runs.some((x) => x.non_2xx > 0 || x.socket_errors > 0)) r.warning = 'errors during run';
    }
    const rps = (s) => results[req][s]?.median?.rps ?? null;
    // users has no peer: lectern's req/s over the songs server's on the simple query (GraphQL
    // engine alone vs the whole authenticated path) and over the ceiling on the same request.
    results[req].ratios = req === 'users' ? {
        lectern_over_songs_simple: ratio(rps('lectern'), results.simple?.songs?.median?.rps ?? null),
        lectern_over_ceiling: ratio(rps('lectern'), rps('ceiling')),
    } : {
        songs_over_mercurius: ratio(rps('songs'), rps('mercurius')),
        songs_over_ceiling: ratio(rps('songs'), rps('ceiling')),
    };
}
const authBench = env.AUTH_BENCH_OUT ? readFileSync(env.AUTH_BENCH_OUT, 'utf8').trimEnd() : '';
const report = {
    benchmark: 'lectern songs (the-benchmarker/graphql-benchmarks workload) + lectern users (authenticated API)',
    date: new Date().toISOString(),
    machine: { cpu: env.CPU_MODEL, cpus: +env.NCPU, kernel: env.KERNEL },
    versions: { wrk: env.WRK_VERSION, node: process.version, commit: env.COMMIT },
    method: {
        server_cpu: +env.SERVER_CPU, client_cpu: +env.CLIENT_CPU,
        wrk: `wrk -t1 -c${env.CONNECTIONS} -d${env.DURATION}s --latency`,
        warmup_s: +env.WARMUP, runs: +env.RUNS, statistic: 'median of runs, per metric',
        fresh_server_per_request: true,
    },
    requests: {
        simple: { method: 'GET', path: env.SIMPLE_PATH },
        complex: { method: 'GET', path: env.COMPLEX_PATH },
        post: { method: 'POST', path: '/graphql', body: env.POST_BODY },
        users: {
            method: 'POST', path: env.USERS_PATH, body: env.USERS_BODY,
            headers: { Authorization: 'Bearer <developer token of admin@demo.test>' },
            server: 'lectern demo --threads 1 --access-log off --rate-limit 0',
        },
    },
    results,
    auth_bench: authBench ? authBench.split('\n') : null,
};
writeFileSync(`${outBase}.json`, JSON.stringify(report, null, 2) + '\n');

const fmtN = (v) => (v == null ? '—' : Math.round(v).toLocaleString('en-US'));
const fmtF = (d) => (v) => (v == null ? '—' : v.toFixed(d));
// Two decimals; two significant digits below 0.1 (lectern's users over the ceiling is ~0.03).
const fmtR = (v) => (v == null ? '—' : (v > 0 && v < 0.1 ? v.toPrecision(2) : v.toFixed(2)) + '×');
// One row per request and server; the last two columns are that server's req/s over the
// mercurius and ceiling medians of the same request (on the songs row: the ratios we track).
const head = ['request', 'server', 'req/s', 'p99 ms', 'CPU µs/req', '÷ mercurius', '÷ ceiling'];
const body = [];
for (const req of requests) {
    const med = (s) => results[req][s]?.median?.rps ?? null;
    for (const srv of servers) {
        const r = results[req][srv];
        if (!r) continue;
        if (!r.median) {
            body.push([req, srv, r.status, '', '', '', '']);
            continue;
        }
        const flag = r.warning ? ' ⚠' : '';
        body.push([req, srv, fmtN(r.median.rps) + flag, fmtF(2)(r.median.p99_ms),
                   fmtF(1)(r.median.cpu_us_per_req), fmtR(ratio(r.median.rps, med('mercurius'))),
                   fmtR(ratio(r.median.rps, med('ceiling')))]);
    }
}
const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
const line = (cells) =>
    '| ' + cells.map((c, i) => (i > 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
const rule = '|' + widths.map((w, i) => (i > 1 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
const table = [line(head), rule, ...body.map(line)].join('\n');

const notes = new Set();
for (const req of requests) {
    for (const srv of servers) {
        const r = results[req][srv];
        if (!r) continue;
        if (r.status === 'skipped') notes.add(`- ${srv}: skipped (${r.note})`);
        else if (r.status !== 'ok') notes.add(`- ${req} / ${srv}: ${r.status}${r.note ? ` (${r.note})` : ''}`);
        if (r.warning) notes.add(`- ${req} / ${srv}: non-2xx responses or socket errors during the run (⚠)`);
    }
}
const summary = requests
    .map((req) => req === 'users'
        ? `users: lectern/songs-simple ${fmtR(results[req].ratios.lectern_over_songs_simple)}, ` +
          `lectern/ceiling ${fmtR(results[req].ratios.lectern_over_ceiling)}`
        : `${req}: songs/mercurius ${fmtR(results[req].ratios.songs_over_mercurius)}, ` +
          `songs/ceiling ${fmtR(results[req].ratios.songs_over_ceiling)}`)
    .join('; ');
const users = requests.includes('users') ? `- users: \`POST ${env.USERS_PATH}\` \`${env.USERS_BODY}\` with
  \`Authorization: Bearer <token>\`, served by \`lectern demo --threads 1 --access-log off --rate-limit 0\`
  (the demo tenant, ~300 learners, ${env.STORE}) with a token from \`lectern token create\`; checked for 200, 20 users
  and no errors. It has no peer: its ratios are to the songs server's simple query and to the ceiling on
  the same request.
` : '';
const authMd = authBench ? `
Micro-benchmarks, ns/op, not pinned: \`${env.AUTH_BENCH_CMD}\` (the Bearer path on a cache hit) and
\`bench/parse-bench\` (a query not yet in the document cache: parse, parse + validate):

\`\`\`
${authBench}
\`\`\`
` : '';
const md = `# lectern benchmark (songs workload + users) — ${report.date}

Machine: ${env.CPU_MODEL}, ${env.NCPU} CPUs, Linux ${env.KERNEL}; ${env.WRK_VERSION}; Node ${process.version}; commit ${env.COMMIT}.

Method: each server pinned to CPU ${env.SERVER_CPU} (\`taskset\`), started fresh for each request type and
checked first (the songs servers against \`bench/songs/simple-answer.json\`); \`${report.method.wrk}\` pinned to CPU ${env.CLIENT_CPU},
keep-alive, loopback; ${env.WARMUP} s warm-up then the median of ${env.RUNS} run(s). Ratios are of req/s, measured in
this same run. µs CPU/req is the server's user+system CPU time over the requests it served.

- simple: \`GET ${env.SIMPLE_PATH}\`
- complex: \`GET ${env.COMPLEX_PATH}\`
- post: \`POST /graphql\` \`${env.POST_BODY}\`
${users}
${table}

Ratios — ${summary}.
${notes.size ? '\n' + [...notes].join('\n') + '\n' : ''}${authMd}`;
writeFileSync(`${outBase}.md`, md);
console.log(table);
console.log(`\nratios — ${summary}`);
if (notes.size) console.log([...notes].join('\n'));
if (authBench) console.log(`\n${authBench}`);
console.log(`\nwritten: ${outBase}.json, ${outBase}.md`);
EOF

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
WRK_VERSION=$(wrk --version 2>&1 | head -1 | awk '{ print $1, $2 }' || true)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
if [[ $COMMIT != none ]] && [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null | head -1) ]]; then
    COMMIT="$COMMIT (dirty)"
fi
STORE_DESC=SQLite
if [[ -n $LECTERN_PG ]]; then
    STORE_DESC="PostgreSQL $(psql -X -A -t "$LECTERN_PG" -c 'SHOW server_version' 2>/dev/null |
        cut -d' ' -f1) on this machine, not pinned"
fi
echo
CPU_MODEL=$CPU_MODEL NCPU=$NCPU KERNEL=$(uname -r) WRK_VERSION=$WRK_VERSION COMMIT=$COMMIT \
    SERVER_CPU=$SERVER_CPU CLIENT_CPU=$CLIENT_CPU CONNECTIONS=$CONNECTIONS DURATION=$DURATION \
    WARMUP=$WARMUP RUNS=$RUNS SERVERS=$SERVERS REQUESTS=$REQUESTS SIMPLE_PATH=$SIMPLE_PATH \
    COMPLEX_PATH=$COMPLEX_PATH POST_BODY=$POST_BODY USERS_PATH=$USERS_PATH USERS_BODY=$USERS_BODY \
    AUTH_BENCH_OUT=$AUTH_BENCH_OUT AUTH_BENCH_CMD="${AUTH_BENCH_BIN#"$ROOT"/}" \
    STORE=$STORE_DESC \
    node "$TMP/report.mjs" "$RAW" "$STATUS" "$OUT_BASE"
exit "$FAILED"
