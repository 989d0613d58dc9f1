#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A private, throw-away PostgreSQL cluster for the test suite (scripts/test.sh, the e2e cluster
# tests): Debian's server binaries (/usr/lib/postgresql/<newest>/bin), its own data directory in
# DIR, listening on 127.0.0.1:PORT only and on a unix socket in DIR. Trust authentication and no
# durability (fsync=off and friends): for local tests only, never for data you want to keep.
#
#   scripts/pg-cluster.sh start DIR PORT   create the cluster in DIR if needed, start it, print its URL
#   scripts/pg-cluster.sh stop DIR         stop it (fast shutdown); nothing to do is not an error
#   scripts/pg-cluster.sh url DIR          print its URL: postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh status DIR       exit 0 when it runs, 3 when it does not
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user of
# Debian's package (a system user `lectern-pg` is created when there is none), which then owns
# DIR; parent directories it cannot traverse get o+x (traverse only, not list). As any other user
# the server runs as that user. Only the URL goes to stdout; progress and errors go to stderr.
set -euo pipefail

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}
usage() {
    echo "usage: $0 start DIR PORT | stop DIR | url DIR | status DIR" >&2
    exit 2
}

bindir() {
    local d
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ ! -x "$d/pg_ctl" ] || [ ! -x "$d/initdb" ]; then
        die "no PostgreSQL server in /usr/lib/postgresql/*/bin (scripts/install-deps.sh installs it)"
    fi
    echo "$d"
}

# The user the server runs as, and how to run a command as that user.
run_user=
as_user() {
    if [ -n "$run_user" ]; then
        runuser -u "$run_user" -- "$@"
    else
        "$@"
    fi
}
pick_user() {
    [ "$(id -u)" = 0 ] || return 0
    if getent passwd postgres >/dev/null; then
        run_user=postgres
    else
        run_user=lectern-pg
        getent passwd "$run_user" >/dev/null ||
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
                "$run_user" || die "cannot create the system user $run_user"
    fi
}

# DIR as an absolute path; refuses characters that would need quoting in postgresql.conf.
abs_dir() {
    local d=$1
    case $d in
    /*) ;;
    *) d="$PWD/$d" ;;
    esac
    case $d in
    *"'"* | *\\* | *[[:space:]]*) die "DIR must not contain quotes, backslashes or spaces: $d" ;;
    esac
    # the unix socket path (DIR/.s.PGSQL.PORT) must fit in sun_path (107 bytes)
    [ ${#d} -le 80 ] || die "DIR is too long for a unix socket path (max 80 characters): $d"
    echo "${d%/}"
}

# As root: let the server's user reach DIR (o+x on each parent it cannot traverse).
reachable() {
    local dir=$1 p
    [ -n "$run_user" ] || return 0
    p=$(dirname "$dir")
    while [ "$p" != / ]; do
        if ! runuser -u "$run_user" -- test -x "$p"; then
            echo "pg-cluster: chmod o+x $p (so that $run_user can reach $dir)" >&2
            chmod o+x "$p"
        fi
        p=$(dirname "$p")
    done
}

url_of() {
    local dir=$1
    [ -f "$dir/port" ] || die "no cluster in $dir (run: $0 start $dir PORT)"
    echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

running() {
    local dir=$1 bin=$2
    [ -f "$dir/data/PG_VERSION" ] || return 1
    as_user "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

cmd_start() {
    local dir port bin
    [ $# = 2 ] || usage
    dir=$(abs_dir "$1")
    port=$2
    if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
        die "PORT must be a number from 1024 to 65535: $port"
    fi
    bin=$(bindir)
    pick_user

    mkdir -p "$dir"
    if [ -n "$run_user" ]; then
        chown "$run_user" "$dir"
        reachable "$dir"
    fi
    chmod 700 "$dir"

    if running "$dir" "$bin"; then
        [ "$(cat "$dir/port" 2>/dev/null)" = "$port" ] ||
            die "a cluster already runs in $dir on port $(cat "$dir/port" 2>/dev/null || echo '?')"
        url_of "$dir"
        return 0
    fi

    if [ ! -f "$dir/data/PG_VERSION" ]; then
        echo "pg-cluster: initdb $dir/data ($("$bin/postgres" --version))" >&2
        as_user "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C \
            --no-sync --no-instructions >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; die "initdb failed"; }
        echo "include_if_exists = 'lectern-test.conf'" | as_user tee -a "$dir/data/postgresql.conf" >/dev/null
    fi

    # Rewritten on every start: the port may change between starts.
    as_user tee "$dir/data/lectern-test.conf" >/dev/null <<EOF
# Written by scripts/pg-cluster.sh: a throw-away test cluster. No durability, trust auth.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
checkpoint_timeout = 30min
max_wal_size = 2GB
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
EOF
    echo "$port" >"$dir/port"
    if ! as_user "$bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/postgres.log" >/dev/null; then
        tail -n 20 "$dir/postgres.log" >&2 || true
        die "the server did not start (log: $dir/postgres.log)"
    fi
    url_of "$dir"
}

cmd_stop() {
    local dir bin
    [ $# = 1 ] || usage
    dir=$(abs_dir "$1")
    [ -f "$dir/data/PG_VERSION" ] || return 0
    bin=$(bindir)
    pick_user
    running "$dir" "$bin" || return 0
    if ! as_user "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null; then
        echo "pg-cluster: fast shutdown timed out; immediate shutdown" >&2
        as_user "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null || true
        if running "$dir" "$bin"; then die "cannot stop the cluster in $dir"; fi
    fi
    return 0
}

cmd_status() {
    local dir bin
    [ $# = 1 ] || usage
    dir=$(abs_dir "$1")
    bin=$(bindir)
    pick_user
    running "$dir" "$bin" || return 3
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
url)
    [ $# = 1 ] || usage
    url_of "$(abs_dir "$1")"
    ;;
status) cmd_status "$@" ;;
*) usage ;;
esac
