/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend of the store (URLs postgres:// and postgresql://, handed whole to
 * libpq), for several lectern nodes sharing one database. Shaped like sqlite.c: each thread
 * that uses the store gets its own connection (opened lazily, kept in the store's registry of
 * store_conns.c: closed at thread exit or by lc_store_close) with its own cache of prepared
 * statements, so connections never need a lock. Every query is parameterised: integers and text
 * travel as text, blobs as binary; results come back as text (bytea as hex, decoded here).
 *
 * Write transactions serialise with each other across every node, as SQLite's BEGIN IMMEDIATE
 * does on one machine: BEGIN, then a transaction-scoped advisory lock that every writer (and
 * every migration) takes first. A broken connection (server stopped or restarted, network
 * gone) is closed and reported as LC_EUNAVAILABLE; the thread's next call reconnects, with a
 * short store-wide backoff so that an outage costs requests no connect timeouts. A listener
 * thread on its own connection LISTENs for the generation announcements of the other nodes
 * (NOTIFY inside each write that changes authentication or authorization).
 *
 * lc_store_open on such a URL (open_check): LC_EUNAVAILABLE (logged with libpq's reason, never
 * the URL) when the server cannot be reached or refuses the connection; LC_ENOTFOUND when it has
 * no such database, which `create` creates instead. Every later call may return
 * LC_EUNAVAILABLE too, while the server is away. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lectern/alloc.h"
#include "lectern/limits.h"
#include "lectern/log.h"

/* The advisory lock of write transactions and migrations ("lectern" in ASCII). */
#define WRITE_LOCK_SQL "SELECT pg_advisory_xact_lock(30510775313724014)"
/* The channel of generation announcements. */
#define CHANNEL "lectern_generation"
/* Connection defaults; the URL's own settings win (they come after these). */
#define CONNECT_TIMEOUT_S "2"
/* Store-wide reconnect backoff during an outage: doubles from MIN to MAX. */
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 2000
/* The listener wakes at least this often to check its connection (a quiet server sends
 * nothing), and sends a heartbeat query after HEARTBEAT_MS of silence. */
#define LISTEN_POLL_MS 1000
#define HEARTBEAT_MS 5000
/* bytea's type oid (catalog/pg_type.h, not part of libpq's headers). */
#define BYTEA_OID 17

/* X(ID, SQL): the statements of this backend itself (the domain's are in store_sql.def). Never
 * build SQL from values: everything variable is a bound parameter. */
#define STMTS(X)                                                                                   \
    X(MIGRATIONS_EXIST, "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0"         \
                        " ELSE 1 END")                                                             \
    X(MIGRATIONS_CREATE, "CREATE TABLE IF NOT EXISTS schema_migrations ("                          \
                         "version BIGINT PRIMARY KEY, name TEXT NOT NULL,"                         \
                         " applied_at BIGINT NOT NULL)")                                           \
    X(MIGRATIONS_MAX, "SELECT coalesce(max(version), 0) FROM schema_migrations")                   \
    X(MIGRATION_RECORD, "INSERT INTO schema_migrations (version, name, applied_at)"                \
                        " VALUES ($1, $2, $3)")                                                    \
    X(ANNOUNCE, "SELECT pg_notify('" CHANNEL "', $1)")                                             \
    X(IDS_SYNC, IDS_SYNC_SQL)

/* The next id generated for `table` follows its largest id (1 for an empty table). */
#define SETVAL(table)                                                                              \
    "setval(pg_get_serial_sequence('" #table "', 'id'),"                                           \
    " coalesce((SELECT max(id) FROM " #table "), 0) + 1, false)"
/* Every table with an identity id (clang-format cannot lay out this concatenation). */
// clang-format off
#define IDS_SYNC_SQL                                                                               \
    "SELECT " SETVAL(tenants) ", " SETVAL(users) ", " SETVAL(roles) ", "                           \
    SETVAL(developer_tokens) ", " SETVAL(courses) ", " SETVAL(enrollments) ", "                    \
    SETVAL(audit_events) ", " SETVAL(console_sessions)
// clang-format on

LC__STMT_TABLES(STMTS);

typedef struct pg_store pg_store_t;
typedef struct lc__conn conn_t;

/* A domain statement (lc__stmt_t) on a connection: allocated and prepared on first use. The
 * whole result is fetched by the first step; later steps walk its rows. */
typedef struct pg_stmt {
    lc__stmt_t base;
    conn_t *c;
    lc__q_t id;
    int nparams; /* the highest $n of the SQL */
    int err;     /* the first binding failure, returned by step; cleared by reset */
    PGresult *res;
    int row, nrows; /* row: the current one, -1 before the first step */
    const char *values[LC__Q_MAX_PARAMS];
    int lengths[LC__Q_MAX_PARAMS];
    int formats[LC__Q_MAX_PARAMS];
    char ints[LC__Q_MAX_PARAMS][24]; /* integers as text */
    /* The current row's bytea columns decoded, each at its own offset (col_blob). */
    unsigned char *blob;
    size_t blob_cap;
} pg_stmt_t;

/* One thread's connection. Used only by its thread; kept in the store's registry. */
struct lc__conn {
    lc__conn_link_t link;
    pg_store_t *store;
    PGconn *pg;
    bool broken; /* the server is gone: discarded by the next conn_get or rollback */
    bool prepared[S__COUNT];
    pg_stmt_t *q[LC__Q_COUNT];
};

struct pg_store {
    lc_store_t base;
    char *url;            /* owned; may hold a password: never logged, wiped at close */
    lc__conns_t conns;    /* each thread's conn_t */
    pthread_mutex_t lock; /* guards listening (listener_start) */
    bool lock_ok;
    /* Availability: down from the first failure seen until a connection succeeds again;
     * while down, one thread at a time may try to connect, at most every backoff_ms. */
    atomic_bool down;
    atomic_int_least64_t retry_at_ms;
    atomic_int backoff_ms;
    /* The listener thread (started by the first statement-interface call). */
    atomic_bool listening; /* written under lock */
    pthread_t listener;
    PGconn *listener_pg; /* its first connection, handed over at start */
    atomic_bool stop;
    int wake[2]; /* a pipe: close() writes to wake the listener */
    /* The payload of this store's announcements: its own listener skips them (the writer
     * advanced its generation already). */
    char id[33];
};

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- errors ------------------------------------------------------------------------------- */

/* SQLSTATEs that mean the server (or the way to it) is gone: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300
 * too_many_connections. */
static bool state_unavailable(const char *st) {
    if (st == NULL)
        return false;
    return strncmp(st, "08", 2) == 0 || strcmp(st, "57P01") == 0 || strcmp(st, "57P02") == 0 ||
           strcmp(st, "57P03") == 0 || strcmp(st, "53300") == 0;
}

/* SQLSTATE -> lectern status, as sqlite.c maps SQLite's codes for the same situations:
 * constraint failures are the caller's input breaking a rule, not a storage failure. */
static int map_state(const char *st) {
    if (st == NULL)
        return LC_ESTORE;
    if (strcmp(st, "23505") == 0) /* unique_violation */
        return LC_EEXIST;
    if (strcmp(st, "23503") == 0) /* foreign_key_violation */
        return LC_ENOTFOUND;
    if (strcmp(st, "23514") == 0 || strcmp(st, "23502") == 0 || /* check, not null */
        strcmp(st, "P0001") == 0 ||                             /* a trigger's RAISE */
        strncmp(st, "22", 2) == 0)                              /* data exception */
        return LC_EINVAL;
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || /* serialization, deadlock */
        strcmp(st, "55P03") == 0 || strcmp(st, "57014") == 0)   /* lock_not_available, cancel */
        return LC_EBUSY;
    if (state_unavailable(st))
        return LC_EUNAVAILABLE;
    return LC_ESTORE;
}

/* The first line of libpq's message (they end with a newline and may add hints). */
static void first_line(const char *msg, char *out, size_t n) {
    size_t len = msg != NULL ? strcspn(msg, "\n") : 0;
    snprintf(out, n, "%.*s", (int)len, msg != NULL ? msg : "");
}

/* The store is unreachable: logged once per outage (not once per request or thread). */
static void went_down(pg_store_t *s, const char *why) {
    if (atomic_exchange(&s->down, true))
        return;
    char reason[256];
    first_line(why, reason, sizeof reason);
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.unavailable");
    lc_log_cstr(&r, "backend", "postgres");
    lc_log_cstr(&r, "reason", reason);
    lc_log_cstr(&r, "msg",
                "the PostgreSQL server cannot be reached; requests get 503 until "
                "it can");
    lc_log_end(&r);
}

static void came_up(pg_store_t *s) {
    atomic_store(&s->backoff_ms, BACKOFF_MIN_MS);
    atomic_store(&s->retry_at_ms, 0);
    if (atomic_exchange(&s->down, false))
        lc_log_msg(LC_LOG_INFO, "store.available", "the PostgreSQL server is reachable again");
}

/* Logs a failure of `what` on c (res may be NULL) and returns its status; marks c broken when
 * the server is gone. Only the SQLSTATE, the constraint and the server's primary message are
 * logged, never a bound value: a DETAIL may quote a row, and data exceptions (class 22) quote
 * the offending value in the message itself, so theirs is left out. */
static int fail(conn_t *c, const char *what, const PGresult *res) {
    const char *st = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    bool gone = PQstatus(c->pg) != CONNECTION_OK || state_unavailable(st);
    if (gone) {
        c->broken = true;
        went_down(c->store, res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
        return LC_EUNAVAILABLE;
    }
    /* No result on a live connection: libpq could not allocate one. */
    int rc = res == NULL ? LC_ENOMEM : map_state(st);
    bool expected = rc == LC_EEXIST || rc == LC_EINVAL || rc == LC_ENOTFOUND;
    lc_log_rec_t r;
    lc_log_begin(&r, expected ? LC_LOG_DEBUG : LC_LOG_ERROR, "store.error");
    lc_log_cstr(&r, "backend", "postgres");
    lc_log_cstr(&r, "op", what);
    if (st != NULL)
        lc_log_cstr(&r, "sqlstate", st);
    if (res != NULL) {
        const char *k = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
        const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        if (k != NULL)
            lc_log_cstr(&r, "constraint", k);
        if (m != NULL && (st == NULL || strncmp(st, "22", 2) != 0))
            lc_log_cstr(&r, "reason", m);
    }
    lc_log_cstr(&r, "status", lc_status_name(rc));
    lc_log_end(&r);
    return rc;
}

/* Checks a result: LC_OK for a command or rows, else the failure (logged). Clears res. */
static int result_ok(conn_t *c, const char *what, PGresult *res) {
    ExecStatusType t = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? LC_OK : fail(c, what, res);
    PQclear(res);
    return rc;
}

/* Notices (e.g. "relation already exists, skipping") would go to stderr: they go to the
 * debug log instead, primary message only. An error the server sends to an idle session
 * arrives here too: a termination (57P01 on shutdown or pg_terminate_backend) marks the
 * connection (arg, when not NULL) broken before its end of file is even read. */
static void notice_receiver(void *arg, const PGresult *res) {
    bool *broken = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (broken != NULL &&
        (state_unavailable(PQresultErrorField(res, PG_DIAG_SQLSTATE)) ||
         (sev != NULL && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))))
        *broken = true;
    if (!lc_log_enabled(LC_LOG_DEBUG))
        return;
    const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    lc_log_msg(LC_LOG_DEBUG, "store.notice", "%s", m != NULL ? m : "");
}

/* A failure that is ours, not the server's: an answer we cannot read, a malformed statement
 * (a build error, found by the first test that prepares it). */
static int bad(const char *op, const char *why) {
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.error");
    lc_log_cstr(&r, "backend", "postgres");
    lc_log_cstr(&r, "op", op);
    lc_log_cstr(&r, "reason", why);
    lc_log_end(&r);
    return LC_ESTORE;
}

/* --- connections -------------------------------------------------------------------------- */

/* A libpq connection to url (dbname, when not NULL, overrides the URL's database). Check
 * PQstatus: a failed connection carries libpq's message; NULL when libpq had no memory. The
 * caller finishes it either way. */
static PGconn *pg_connect(const char *url, const char *dbname, const char *app) {
    /* Ours first so that the URL's own settings override them; the encoding last: text is
     * UTF-8 throughout lectern. The expanded URL's dbname is overridden by a later plain
     * dbname (libpq: only the first dbname is expanded). */
    const char *keys[] = {"connect_timeout",
                          "application_name",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "dbname",
                          "client_encoding",
                          dbname != NULL ? "dbname" : NULL,
                          NULL};
    const char *vals[] = {CONNECT_TIMEOUT_S, app, "10", "5", "3", url, "UTF8", dbname, NULL};
    return PQconnectdbParams(keys, vals, 1);
}

/* Per-session settings our decoding relies on, whatever the server's defaults; and SQLite's
 * busy timeout: a writer that waits longer than that for the write lock (or any lock) gets
 * LC_EBUSY (55P03), as on SQLite. */
static int session_setup(conn_t *c) {
    char sql[160];
    PQsetNoticeReceiver(c->pg, notice_receiver, &c->broken);
    snprintf(sql, sizeof sql,
             "SET bytea_output = 'hex'; SET standard_conforming_strings = on;"
             " SET lock_timeout = %d",
             LC_LIMIT_STORE_BUSY_TIMEOUT_MS);
    return result_ok(c, "session setup", PQexec(c->pg, sql));
}

static void stmt_free(pg_stmt_t *q) {
    if (q == NULL)
        return;
    PQclear(q->res);
    lc_free(q->blob);
    lc_free(q);
}

static void conn_free(lc__conn_t *c) {
    if (c == NULL)
        return;
    for (int i = 0; i < LC__Q_COUNT; i++)
        stmt_free(c->q[i]);
    PQfinish(c->pg);
    lc_free(c);
}

/* During an outage, whether this thread may try to connect now (one thread per backoff
 * period does; the others fail at once rather than each wait for a connect timeout). */
static bool may_connect(pg_store_t *s) {
    if (!atomic_load(&s->down))
        return true;
    int64_t now = now_ms();
    int_least64_t at = atomic_load(&s->retry_at_ms);
    if (now < at)
        return false;
    return atomic_compare_exchange_strong(&s->retry_at_ms, &at, now + atomic_load(&s->backoff_ms));
}

static void connect_failed(pg_store_t *s, PGconn *pg) {
    went_down(s, pg != NULL ? PQerrorMessage(pg) : "out of memory");
    int b = atomic_load(&s->backoff_ms) * 2;
    atomic_store(&s->backoff_ms, b > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : b);
    atomic_store(&s->retry_at_ms, now_ms() + atomic_load(&s->backoff_ms));
}

static int conn_open(pg_store_t *s, conn_t **out) {
    conn_t *c = NULL;
    int rc = LC_ENOMEM;

    if (!may_connect(s))
        return LC_EUNAVAILABLE;
    c = lc_calloc(1, sizeof *c);
    if (c == NULL)
        goto out;
    c->store = s;
    c->pg = pg_connect(s->url, NULL, "lectern");
    if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
        connect_failed(s, c->pg);
        rc = LC_EUNAVAILABLE;
        goto out;
    }
    rc = session_setup(c);
    if (rc != LC_OK)
        goto out;
    came_up(s);
    *out = c;
    c = NULL;
out:
    conn_free(c);
    return rc;
}

/* Opens a connection and makes it this thread's. */
static int conn_attach(pg_store_t *s, conn_t **out) {
    conn_t *c = NULL;
    int rc = conn_open(s, &c);
    if (rc == LC_OK)
        rc = lc__conns_add(&s->conns, c);
    if (rc == LC_OK)
        *out = c;
    return rc;
}

/* Whether c can no longer be used. An idle connection whose server has gone away (restart,
 * shutdown, terminated backend) has the server's last words and its end of file waiting in
 * the socket: reading them without blocking finds out, so that the call reconnects instead of
 * failing once. */
static bool conn_stale(conn_t *c) {
    if (c->broken || !PQconsumeInput(c->pg))
        return true;
    /* PQconsumeInput only reads; parsing (a termination notice sets c->broken) is PQisBusy's. */
    (void)PQisBusy(c->pg);
    return c->broken || PQstatus(c->pg) != CONNECTION_OK;
}

/* This thread's connection, opened on first use or when the last one went stale. */
static int conn_get(pg_store_t *s, conn_t **out) {
    conn_t *c = lc__conns_mine(&s->conns);
    if (c != NULL && conn_stale(c)) {
        lc_log_msg(LC_LOG_DEBUG, "store.postgres", "connection lost; reconnecting");
        lc__conns_discard(c);
        c = NULL;
    }
    if (c == NULL)
        return conn_attach(s, out);
    *out = c;
    return LC_OK;
}

/* --- the backend's own statements --------------------------------------------------------- */

/* Runs statement id (prepared once per connection) with args (integers and text); *res gets
 * the rows when not NULL (the caller clears it). */
static int stmt_run(conn_t *c, stmt_id_t id, const lc__arg_t *args, int nargs, PGresult **res) {
    char name[16], ints[4][24];
    const char *vals[4];
    if (c->broken)
        return LC_EUNAVAILABLE;
    if (nargs > 4)
        return bad(stmt_name[id], "more than 4 parameters");
    if (!c->prepared[id]) {
        snprintf(name, sizeof name, "lc_s%d", (int)id);
        int rc = result_ok(c, stmt_name[id], PQprepare(c->pg, name, stmt_sql[id], 0, NULL));
        if (rc != LC_OK)
            return rc;
        c->prepared[id] = true;
    }
    for (int k = 0; k < nargs; k++) {
        if (args[k].type == 'i') {
            snprintf(ints[k], sizeof ints[k], "%lld", (long long)args[k].i);
            vals[k] = ints[k];
        } else {
            vals[k] = args[k].p;
        }
    }
    snprintf(name, sizeof name, "lc_s%d", (int)id);
    PGresult *r = PQexecPrepared(c->pg, name, nargs, vals, NULL, NULL, 0);
    ExecStatusType t = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        int rc = fail(c, stmt_name[id], r);
        PQclear(r);
        return rc;
    }
    if (res != NULL)
        *res = r;
    else
        PQclear(r);
    return LC_OK;
}

/* A statement whose first row's first column is an integer. */
static int stmt_int(conn_t *c, stmt_id_t id, int64_t *out) {
    PGresult *r = NULL;
    int rc = stmt_run(c, id, NULL, 0, &r);
    if (rc != LC_OK)
        return rc;
    int64_t v = 0;
    if (PQntuples(r) < 1 || PQnfields(r) < 1 ||
        lc_str_to_i64(lc_str_from(PQgetvalue(r, 0, 0)), INT64_MIN, INT64_MAX, &v) != LC_OK)
        rc = bad(stmt_name[id], "no integer in the answer");
    PQclear(r);
    if (rc == LC_OK)
        *out = v;
    return rc;
}

/* BEGIN, then the write lock (one round trip): every writer of every node queues here, so that
 * what a transaction reads stays true until it commits (READ COMMITTED: each statement after
 * the lock sees every commit made before it was granted). */
static int tx_begin(conn_t *c, bool patient) {
    if (c->broken)
        return LC_EUNAVAILABLE;
    /* A migration waits for another node's as long as that takes. */
    int rc =
        result_ok(c, "BEGIN",
                  PQexec(c->pg, patient ? "BEGIN ISOLATION LEVEL READ COMMITTED;"
                                          " SET LOCAL lock_timeout = 0; " WRITE_LOCK_SQL
                                        : "BEGIN ISOLATION LEVEL READ COMMITTED; " WRITE_LOCK_SQL));
    /* A BEGIN that went through but a lock that failed must not leave the connection in an
     * aborted transaction. */
    if (rc != LC_OK && !c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        (void)result_ok(c, "ROLLBACK", PQexec(c->pg, "ROLLBACK"));
    return rc;
}

/* COMMIT of a transaction that had failed answers ROLLBACK, not an error: check the tag. A
 * connection lost during COMMIT leaves its outcome unknown; it is LC_EUNAVAILABLE like any
 * other loss (the client is asked to retry). */
static int tx_commit(conn_t *c) {
    if (c->broken)
        return LC_EUNAVAILABLE;
    PGresult *r = PQexec(c->pg, "COMMIT");
    if (r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK &&
        strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        PQclear(r);
        return bad("COMMIT", "the transaction had failed and was rolled back");
    }
    return result_ok(c, "COMMIT", r);
}

/* After a failure inside a transaction (PostgreSQL has aborted it at the first error). A
 * connection left inside a transaction would hold the write lock and poison every later
 * request of its thread, so a broken connection, or one whose ROLLBACK fails, is closed, and
 * the thread opens a new one on its next use. c must not be used after this call. */
static void tx_rollback(conn_t *c) {
    if (!c->broken && PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        return;
    if (!c->broken)
        (void)result_ok(c, "ROLLBACK", PQexec(c->pg, "ROLLBACK"));
    if (c->broken || PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        lc_log_msg(LC_LOG_DEBUG, "store.postgres", "rollback impossible; connection closed");
        lc__conns_discard(c);
    }
}

/* --- the listener ------------------------------------------------------------------------- */

static void bump(pg_store_t *s) {
    atomic_fetch_add_explicit(&s->base.generation, 1, memory_order_acq_rel);
}

/* Sleeps ms, or less when close() wakes us. Returns true when asked to stop. */
static bool listener_wait(pg_store_t *s, int fd, int ms) {
    struct pollfd p[2] = {{.fd = s->wake[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    int n = poll(p, fd >= 0 ? 2 : 1, ms);
    (void)n;
    return atomic_load(&s->stop) || (p[0].revents & (POLLIN | POLLHUP)) != 0;
}

/* A connection LISTENing on the channel, or NULL. *broken (the listener thread's; NULL for
 * none yet) is set by the notice receiver when the server terminates the session. */
static PGconn *listener_connect(pg_store_t *s, bool *broken) {
    PGconn *pg = pg_connect(s->url, NULL, "lectern listener");
    if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
        PQfinish(pg);
        return NULL;
    }
    if (broken != NULL)
        *broken = false;
    PQsetNoticeReceiver(pg, notice_receiver, broken);
    PGresult *r = PQexec(pg, "LISTEN " CHANNEL);
    bool ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/* Every announcement of another store (another node, or another store of this process)
 * advances the generation, and so does every reconnection: announcements made while the
 * listener was away are lost. This store's own announcements are skipped: lc__db_end advanced
 * its generation already, at commit. */
static void *listener_main(void *arg) {
    pg_store_t *s = arg;
    bool broken = false;
    PGconn *pg = s->listener_pg;
    int backoff = BACKOFF_MIN_MS;
    bool lost = false;
    int64_t heard = now_ms();
    if (pg != NULL)
        PQsetNoticeReceiver(pg, notice_receiver, &broken);
    s->listener_pg = NULL;
    while (!atomic_load(&s->stop)) {
        if (pg == NULL) {
            pg = listener_connect(s, &broken);
            if (pg == NULL) {
                if (listener_wait(s, -1, backoff))
                    break;
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
                continue;
            }
            if (lost)
                lc_log_msg(LC_LOG_INFO, "store.listener", "listening for announcements again");
            lost = false;
            backoff = BACKOFF_MIN_MS;
            heard = now_ms();
            bump(s);
        }
        if (listener_wait(s, PQsocket(pg), LISTEN_POLL_MS))
            break;
        bool ok = PQconsumeInput(pg) == 1 && !broken;
        if (ok && now_ms() - heard >= HEARTBEAT_MS) {
            /* A dead peer sends no end of file: ask something now and then. */
            PGresult *r = PQexec(pg, "SELECT 1");
            ok = r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK;
            PQclear(r);
            heard = now_ms();
        }
        for (PGnotify *n; ok && (n = PQnotifies(pg)) != NULL;) {
            if (n->extra == NULL || strcmp(n->extra, s->id) != 0)
                bump(s);
            heard = now_ms();
            PQfreemem(n);
        }
        if (!ok || PQstatus(pg) != CONNECTION_OK) {
            char reason[256];
            first_line(broken ? "terminated by the server" : PQerrorMessage(pg), reason,
                       sizeof reason);
            lc_log_rec_t r;
            lc_log_begin(&r, LC_LOG_WARN, "store.listener");
            lc_log_cstr(&r, "reason", reason);
            lc_log_cstr(&r, "msg", "lost the announcement connection; reconnecting");
            lc_log_end(&r);
            PQfinish(pg);
            pg = NULL;
            lost = true;
        }
    }
    PQfinish(pg);
    return NULL;
}

/* Starts the listener once, called by the statement interface: after lc_store_open has set
 * the generation (the listener advances it), and only in processes that run the domain. The
 * first connection is made here, before the caller's first statement, so that no announcement
 * can slip by between the store's first read and the LISTEN (and none needs assuming). When
 * the server cannot be reached the thread starts without it and connects as it reconnects. A
 * thread that cannot start is logged and tried again by the next call: without the listener,
 * caches still expire by their TTL. */
static void listener_start(pg_store_t *s) {
    pthread_mutex_lock(&s->lock);
    if (!atomic_load(&s->listening) && s->wake[0] >= 0) {
        s->listener_pg = listener_connect(s, NULL);
        /* Created with every signal blocked: a process signal (SIGTERM for the server's
         * shutdown) must never land in this thread, whatever the caller's mask. */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        int err = pthread_create(&s->listener, NULL, listener_main, s);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (err == 0) {
            atomic_store_explicit(&s->listening, true, memory_order_release);
        } else {
            lc_log_msg(LC_LOG_WARN, "store.listener", "cannot start the listener thread");
            PQfinish(s->listener_pg);
            s->listener_pg = NULL;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

/* --- store -------------------------------------------------------------------------------- */

static void pg_close(lc_store_t *base) {
    pg_store_t *s = (pg_store_t *)base;
    if (s == NULL)
        return;
    if (atomic_load(&s->listening)) {
        atomic_store(&s->stop, true);
        ssize_t w = write(s->wake[1], "x", 1);
        (void)w;
        pthread_join(s->listener, NULL);
    }
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    lc__conns_dispose(&s->conns);
    if (s->lock_ok)
        pthread_mutex_destroy(&s->lock);
    if (s->url != NULL) {
        memset(s->url, 0, strlen(s->url));
        lc_free(s->url);
    }
    lc_free(s);
}

/* Before the store exists: whether the server answers and has the database. One it does not
 * have is LC_ENOTFOUND (`lectern serve`: "run lectern init"), or, with `create` (`lectern init`,
 * `demo`), created through the server's maintenance database "postgres" (one created meanwhile
 * by another node is fine). Whether it is missing is asked of pg_database, not read from
 * libpq's message (in the server's language). Any other failure is LC_EUNAVAILABLE, logged
 * with libpq's reason (host, port, database, user; never the password). */
static int open_check(const char *url, bool create) {
    PGconn *probe = pg_connect(url, NULL, "lectern"), *m = NULL;
    PGresult *r = NULL;
    char *ident = NULL;
    int rc = LC_OK;
    if (probe != NULL && PQstatus(probe) == CONNECTION_OK)
        goto out;
    rc = LC_EUNAVAILABLE;
    const char *db = probe != NULL ? PQdb(probe) : NULL;
    m = db != NULL ? pg_connect(url, "postgres", "lectern") : NULL;
    if (m == NULL || PQstatus(m) != CONNECTION_OK)
        goto out;
    const char *p[] = {db};
    r = PQexecParams(m, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, p, NULL, NULL, 0);
    if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 0)
        goto out; /* there, or we cannot tell: the probe's reason stands */
    lc_log_rec_t lr;
    if (!create) {
        lc_log_begin(&lr, LC_LOG_ERROR, "store.open");
        lc_log_cstr(&lr, "backend", "postgres");
        lc_log_cstr(&lr, "database", db);
        lc_log_cstr(&lr, "reason", "the server has no such database");
        lc_log_end(&lr);
        rc = LC_ENOTFOUND;
        goto out;
    }
    ident = PQescapeIdentifier(m, db, strlen(db));
    if (ident == NULL)
        goto out;
    char sql[512];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", ident);
    PQclear(r);
    r = PQexec(m, sql);
    const char *st = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    bool ok = (r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK) ||
              (st != NULL && strcmp(st, "42P04") == 0); /* duplicate_database */
    lc_log_begin(&lr, ok ? LC_LOG_INFO : LC_LOG_ERROR, "store.create");
    lc_log_cstr(&lr, "backend", "postgres");
    lc_log_cstr(&lr, "database", db);
    if (!ok)
        lc_log_cstr(&lr, "reason",
                    r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL);
    lc_log_end(&lr);
    rc = ok ? LC_OK : LC_ESTORE;
out:
    if (rc == LC_EUNAVAILABLE) {
        char reason[256];
        first_line(probe != NULL ? PQerrorMessage(probe) : "out of memory", reason, sizeof reason);
        lc_log_rec_t er;
        lc_log_begin(&er, LC_LOG_ERROR, "store.open");
        lc_log_cstr(&er, "backend", "postgres");
        lc_log_cstr(&er, "reason", reason);
        lc_log_cstr(&er, "msg", "cannot connect to PostgreSQL");
        lc_log_end(&er);
    }
    PQfreemem(ident);
    PQclear(r);
    PQfinish(m);
    PQfinish(probe);
    return rc;
}

static int pg_open(const char *url, const char *target, bool create, lc_store_t **out) {
    pg_store_t *s = NULL;
    conn_t *c = NULL;
    int rc = LC_ENOMEM;

    (void)target;
    rc = open_check(url, create);
    if (rc != LC_OK)
        goto out;
    rc = LC_ENOMEM;
    s = lc_calloc(1, sizeof *s);
    if (s == NULL)
        goto out;
    s->base.ops = &lc__store_postgres_ops;
    s->wake[0] = s->wake[1] = -1;
    atomic_init(&s->down, false);
    atomic_init(&s->retry_at_ms, 0);
    atomic_init(&s->backoff_ms, BACKOFF_MIN_MS);
    atomic_init(&s->stop, false);
    atomic_init(&s->listening, false);
    s->url = lc_strdup(url);
    if (s->url == NULL)
        goto out;
    /* Unique enough among the stores sharing a database: random, else time and process. */
    uint64_t r[2] = {0, 0};
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        r[0] = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32);
        r[1] = (uint64_t)(uintptr_t)s;
    }
    snprintf(s->id, sizeof s->id, "%016llx%016llx", (unsigned long long)r[0],
             (unsigned long long)r[1]);
    if (pthread_mutex_init(&s->lock, NULL) != 0)
        goto out;
    s->lock_ok = true;
    rc = lc__conns_init(&s->conns, conn_free);
    if (rc != LC_OK)
        goto out;
    if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        s->wake[0] = s->wake[1] = -1;
        rc = LC_ELIMIT;
        goto out;
    }
    /* The calling thread's connection, as on SQLite. */
    rc = conn_attach(s, &c);
    if (rc != LC_OK)
        goto out;
    *out = &s->base;
    s = NULL;
out:
    pg_close(s ? &s->base : NULL);
    return rc;
}

static int pg_schema_version_conn(conn_t *c, int *current) {
    int64_t exists = 0, v = 0;
    int rc = stmt_int(c, S_MIGRATIONS_EXIST, &exists);
    if (rc == LC_OK && exists)
        rc = stmt_int(c, S_MIGRATIONS_MAX, &v);
    if (rc != LC_OK)
        return rc;
    if (v < 0 || v > INT_MAX)
        return bad(stmt_name[S_MIGRATIONS_MAX], "version out of range");
    *current = (int)v;
    return LC_OK;
}

static int pg_schema_version(lc_store_t *base, int *current) {
    conn_t *c = NULL;
    int rc = conn_get((pg_store_t *)base, &c);
    if (rc == LC_OK)
        rc = pg_schema_version_conn(c, current);
    return rc;
}

/* Several nodes may start at once: the write lock is taken before the version is re-read, so
 * a second node waits for the first one's migration and then finds it done. */
static int pg_migration_apply(lc_store_t *base, const lc__migration_t *m, bool *ran) {
    conn_t *c = NULL;
    int current = 0;
    bool in_tx = false;
    int rc = conn_get((pg_store_t *)base, &c);
    if (rc != LC_OK)
        goto out;
    rc = tx_begin(c, true);
    if (rc != LC_OK)
        goto out;
    in_tx = true;
    rc = stmt_run(c, S_MIGRATIONS_CREATE, NULL, 0, NULL);
    if (rc == LC_OK)
        rc = pg_schema_version_conn(c, &current);
    if (rc != LC_OK)
        goto out;
    if (current >= m->version) {
        *ran = false;
        goto out; /* rolled back below: only the empty table may have been created */
    }
    rc = result_ok(c, m->name, PQexec(c->pg, m->sql));
    if (rc != LC_OK)
        goto out;
    lc__arg_t rec[] = {LC__INT(m->version), LC__TEXT(m->name), LC__INT(time(NULL))};
    rc = stmt_run(c, S_MIGRATION_RECORD, rec, LC__NARGS(rec), NULL);
    if (rc == LC_OK)
        rc = tx_commit(c);
    if (rc == LC_OK) {
        in_tx = false;
        *ran = true;
    }
out:
    if (in_tx)
        tx_rollback(c);
    return rc;
}

static size_t pg_connections(lc_store_t *base) {
    return lc__conns_count(&((pg_store_t *)base)->conns);
}

/* --- the statement interface (store_int.h) ------------------------------------------------ */

static int pg_conn(lc_store_t *base, lc__conn_t **out) {
    pg_store_t *s = (pg_store_t *)base;
    if (!atomic_load_explicit(&s->listening, memory_order_acquire))
        listener_start(s);
    return conn_get(s, out);
}

static int pg_begin(lc__conn_t *c) {
    return tx_begin(c, false);
}

static int pg_commit(lc__conn_t *c) {
    return tx_commit(c);
}

static void pg_rollback(lc__conn_t *c) {
    tx_rollback(c);
}

static int bad_stmt(lc__q_t id, const char *why) {
    return bad(lc__q_name[id], why);
}

/* The highest $n of sql (the server wants exactly that many values), or -1. */
static int count_params(const char *sql) {
    int max = 0;
    for (const char *p = sql; (p = strchr(p, '$')) != NULL;) {
        int n = 0;
        p++;
        if (*p < '1' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9' && n <= LC__Q_MAX_PARAMS)
            n = n * 10 + (*p++ - '0');
        if (n > LC__Q_MAX_PARAMS)
            return -1;
        if (n > max)
            max = n;
    }
    return max;
}

static int pg_prepare(lc__conn_t *c, lc__q_t id, const char *sql, lc__stmt_t **out) {
    pg_stmt_t *q = c->q[id];
    if (c->broken)
        return LC_EUNAVAILABLE;
    if (q == NULL) {
        int n = count_params(sql);
        if (n < 0)
            return bad_stmt(id, "parameters must be written $1..$N");
        q = lc_calloc(1, sizeof *q);
        if (q == NULL)
            return LC_ENOMEM;
        char name[16];
        snprintf(name, sizeof name, "lc_q%d", (int)id);
        int rc = result_ok(c, lc__q_name[id], PQprepare(c->pg, name, sql, 0, NULL));
        if (rc != LC_OK) {
            lc_free(q);
            return rc;
        }
        q->base.ops = &lc__store_postgres_ops;
        q->c = c;
        q->id = id;
        q->nparams = n;
        q->row = -1;
        c->q[id] = q;
    }
    *out = &q->base;
    return LC_OK;
}

/* The slot of $n, or -1 (and the sticky error set) when the statement has no $n. */
static int param_index(pg_stmt_t *q, int n) {
    if (q->err != LC_OK)
        return -1;
    if (n < 1 || n > q->nparams) {
        q->err = bad_stmt(q->id, "binds a parameter the statement does not have");
        return -1;
    }
    return n - 1;
}

static void pg_bind_i64(lc__stmt_t *st, int n, int64_t v) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    int k = param_index(q, n);
    if (k < 0)
        return;
    snprintf(q->ints[k], sizeof q->ints[k], "%lld", (long long)v);
    q->values[k] = q->ints[k];
    q->lengths[k] = 0;
    q->formats[k] = 0;
}

/* Text and blobs are borrowed: the caller keeps them alive until reset. */
static void pg_bind_text(lc__stmt_t *st, int n, const char *v) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    int k = param_index(q, n);
    if (k < 0)
        return;
    q->values[k] = v;
    q->lengths[k] = 0;
    q->formats[k] = 0;
}

static void pg_bind_blob(lc__stmt_t *st, int n, const void *p, size_t len) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    int k = param_index(q, n);
    if (k < 0)
        return;
    if (len > INT_MAX) {
        q->err = LC_EINVAL;
        return;
    }
    /* A NULL pointer would bind NULL: an empty blob is not NULL. */
    q->values[k] = p != NULL ? p : "";
    q->lengths[k] = (int)len;
    q->formats[k] = 1;
}

static void pg_bind_null(lc__stmt_t *st, int n) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    int k = param_index(q, n);
    if (k < 0)
        return;
    q->values[k] = NULL;
    q->lengths[k] = 0;
    q->formats[k] = 0;
}

static int pg_step(lc__stmt_t *st, bool *row) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    if (q->err != LC_OK)
        return q->err;
    if (q->res == NULL) {
        if (q->c->broken)
            return LC_EUNAVAILABLE;
        char name[16];
        snprintf(name, sizeof name, "lc_q%d", (int)q->id);
        PGresult *r =
            PQexecPrepared(q->c->pg, name, q->nparams, q->values, q->lengths, q->formats, 0);
        ExecStatusType t = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
            q->err = fail(q->c, lc__q_name[q->id], r);
            PQclear(r);
            return q->err;
        }
        q->res = r;
        q->nrows = PQntuples(r);
        q->row = -1;
    }
    if (q->row < q->nrows)
        q->row++;
    *row = q->row < q->nrows;
    return LC_OK;
}

static bool pg_col_null(lc__stmt_t *st, int i) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    return PQgetisnull(q->res, q->row, i) != 0;
}

static int64_t pg_col_i64(lc__stmt_t *st, int i) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    int64_t v = 0;
    if (PQgetisnull(q->res, q->row, i))
        return 0;
    if (lc_str_to_i64(
            lc_str_make(PQgetvalue(q->res, q->row, i), (size_t)PQgetlength(q->res, q->row, i)),
            INT64_MIN, INT64_MAX, &v) != LC_OK)
        return 0;
    return v;
}

static int pg_col_text(lc__stmt_t *st, int i, const char **p, size_t *len) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    *p = NULL;
    *len = 0;
    if (PQgetisnull(q->res, q->row, i))
        return LC_OK;
    *p = PQgetvalue(q->res, q->row, i);
    *len = (size_t)PQgetlength(q->res, q->row, i);
    return LC_OK;
}

/* Bytes of the bytea column j of the current row once decoded ("\x" and two digits a byte). */
static size_t blob_size(const pg_stmt_t *q, int j) {
    if (PQftype(q->res, j) != BYTEA_OID || PQgetisnull(q->res, q->row, j))
        return 0;
    int n = PQgetlength(q->res, q->row, j);
    return n >= 2 ? (size_t)(n - 2) / 2 : 0;
}

static int hex_digit(char ch) {
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Every bytea column of the row has its own place in one buffer, sized for all of them at the
 * first call on the row: decoding one column never moves another that was read before it. */
static int pg_col_blob(lc__stmt_t *st, int i, const void **p, size_t *len) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    *p = NULL;
    *len = 0;
    if (PQgetisnull(q->res, q->row, i))
        return LC_OK;
    if (PQftype(q->res, i) != BYTEA_OID)
        return bad_stmt(q->id, "col_blob on a column that is not bytea");
    size_t total = 0, at = 0;
    int nf = PQnfields(q->res);
    for (int j = 0; j < nf; j++) {
        size_t n = blob_size(q, j);
        if (j < i)
            at += n;
        total += n;
    }
    if (total > q->blob_cap) {
        unsigned char *b = lc_realloc(q->blob, total);
        if (b == NULL)
            return LC_ENOMEM;
        q->blob = b;
        q->blob_cap = total;
    }
    const char *h = PQgetvalue(q->res, q->row, i);
    size_t n = blob_size(q, i);
    if (h[0] != '\\' || h[1] != 'x')
        return bad_stmt(q->id, "bytea not in hex format");
    for (size_t k = 0; k < n; k++) {
        int hi = hex_digit(h[2 + 2 * k]), lo = hex_digit(h[3 + 2 * k]);
        if (hi < 0 || lo < 0)
            return bad_stmt(q->id, "bytea not in hex format");
        q->blob[at + k] = (unsigned char)(hi << 4 | lo);
    }
    *p = n > 0 ? q->blob + at : (const void *)""; /* an empty blob is not NULL */
    *len = n;
    return LC_OK;
}

static void pg_reset(lc__stmt_t *st) {
    pg_stmt_t *q = (pg_stmt_t *)st;
    if (q == NULL)
        return;
    PQclear(q->res);
    q->res = NULL;
    q->row = -1;
    q->nrows = 0;
    q->err = LC_OK;
    for (int k = 0; k < q->nparams; k++) {
        q->values[k] = NULL;
        q->lengths[k] = 0;
        q->formats[k] = 0;
    }
}

/* --- cluster and copy ------------------------------------------------------------------------
 */

/* pg_notify inside the transaction: PostgreSQL delivers it only if the transaction commits. */
static int pg_announce(lc__conn_t *c) {
    lc__arg_t id[] = {LC__TEXT(c->store->id)};
    return stmt_run(c, S_ANNOUNCE, id, LC__NARGS(id), NULL);
}

static int pg_ids_sync(lc__conn_t *c) {
    return stmt_run(c, S_IDS_SYNC, NULL, 0, NULL);
}

/* Generated from the files in migrations/postgres/ by lc_embed (src/store/CMakeLists.txt). */
extern const lc_embed_file_t lc__store_postgres_migrations[];

const lc__store_ops_t lc__store_postgres_ops = {
    .name = "postgres",
    .migrations = lc__store_postgres_migrations,
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .migration_apply = pg_migration_apply,
    .connections = pg_connections,
    .conn = pg_conn,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .bind_i64 = pg_bind_i64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_null = pg_col_null,
    .col_i64 = pg_col_i64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .reset = pg_reset,
    .announce = pg_announce,
    .ids_sync = pg_ids_sync,
    .backup = NULL,
};
