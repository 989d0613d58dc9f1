/* SPDX-License-Identifier: MIT */
/* Helpers shared by the store's unit tests: a fresh database (a file in a temporary directory,
 * or, when the test runs against PostgreSQL, a database of its own on the server), a raw SQLite
 * connection for the SQLite-only tests, and a raw connection of either kind (rdb_*) to look at
 * (or tamper with) what the store wrote, in SQL both dialects accept.
 *
 * Backend: SQLite, unless LC_TEST_BACKEND=postgres (ctest sets it for the tests labelled `pg`);
 * the server is then the one LECTERN_TEST_PG names (a URL whose database the test user may
 * create other databases from, e.g. postgres://postgres@127.0.0.1:55432/postgres). Without it,
 * such a run prints why and exits 77, which ctest reports as skipped. */
#ifndef LECTERN_TEST_STORE_TEST_H
#define LECTERN_TEST_STORE_TEST_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "lectern/log.h"
#include "lectern/store.h"

typedef struct tdb {
    char dir[256];
    char path[300]; /* PostgreSQL: the database's name */
    char url[1024];
    bool pg;
} tdb_t;

/* The group setup of every store test: no log, or all of it (debug) when LC_TEST_LOG is set. */
static inline int tdb_group_setup(void **state) {
    (void)state;
    lc_log_set_level(getenv("LC_TEST_LOG") ? LC_LOG_DEBUG : LC_LOG_OFF);
    return 0;
}

/* True when this run is against PostgreSQL. */
static inline bool tdb_is_pg(void) {
    const char *b = getenv("LC_TEST_BACKEND");
    return b != NULL && strcmp(b, "postgres") == 0;
}

/* A run against PostgreSQL without a server is skipped as a whole, before any test starts. */
__attribute__((constructor)) static void tdb_check_backend(void) {
    const char *pg = getenv("LECTERN_TEST_PG");
    if (tdb_is_pg() && (pg == NULL || *pg == '\0')) {
        printf("skipped: LECTERN_TEST_PG is not set (a PostgreSQL URL, e.g. "
               "postgres://postgres@127.0.0.1:55432/postgres)\n");
        exit(77);
    }
}

/* base (a postgres:// URL) with its database replaced by db. */
static inline void tdb_pg_url(const char *base, const char *db, char *out, size_t n) {
    const char *auth = strstr(base, "://");
    assert_non_null(auth);
    auth += 3;
    size_t head = strcspn(auth, "/?") + (size_t)(auth - base);
    const char *rest = base + head;
    if (*rest == '/')
        rest += strcspn(rest, "?");
    int w = snprintf(out, n, "%.*s/%s%s", (int)head, base, db, rest);
    assert_true(w > 0 && (size_t)w < n);
}

/* Runs sql on the server's database of LECTERN_TEST_PG (not the test's). */
static inline void tdb_pg_quiet(void *arg, const char *msg) {
    (void)arg;
    (void)msg;
}

static inline void tdb_pg_admin(const char *sql) {
    PGconn *pg = PQconnectdb(getenv("LECTERN_TEST_PG"));
    if (PQstatus(pg) != CONNECTION_OK)
        fail_msg("LECTERN_TEST_PG: %s", PQerrorMessage(pg));
    PQsetNoticeProcessor(pg, tdb_pg_quiet, NULL);
    PGresult *r = PQexec(pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(pg);
}

static inline void tdb_init(tdb_t *t) {
    static int seq;
    const char *tmp = getenv("TMPDIR");
    memset(t, 0, sizeof *t);
    t->pg = tdb_is_pg();
    if (t->pg) {
        char sql[400];
        snprintf(t->path, sizeof t->path, "lc_test_%ld_%d", (long)getpid(), ++seq);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", t->path);
        tdb_pg_admin(sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->path);
        tdb_pg_admin(sql);
        tdb_pg_url(getenv("LECTERN_TEST_PG"), t->path, t->url, sizeof t->url);
        return;
    }
    snprintf(t->dir, sizeof t->dir, "%s/lc-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/lectern.db", t->dir);
    snprintf(t->url, sizeof t->url, "sqlite:%s", t->path);
}

static inline void tdb_dispose(tdb_t *t) {
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[400];
    if (t->pg) {
        /* FORCE: a failed test may have left a store open. */
        snprintf(p, sizeof p, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->path);
        tdb_pg_admin(p);
        return;
    }
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    rmdir(t->dir);
}

/* A migrated store on a fresh file. */
static inline lc_store_t *tdb_store(tdb_t *t) {
    lc_store_t *s = NULL;
    int applied = -1;
    assert_int_equal(lc_store_open(t->url, true, &s), LC_OK);
    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_true(applied > 0);
    return s;
}

/* Raw connection, foreign keys on as in the store. */
static inline sqlite3 *raw_open(const tdb_t *t) {
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

/* True when nobody holds the write lock: a writer gets it without waiting. */
static inline bool raw_write_lock_free(const tdb_t *t) {
    sqlite3 *db = raw_open(t);
    sqlite3_busy_timeout(db, 0);
    bool free_ = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    if (free_)
        assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    return free_;
}

/* Runs sql, returns SQLite's extended result code. */
static inline int raw_exec(sqlite3 *db, const char *sql) {
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? rc : sqlite3_extended_errcode(db);
}

/* First column of the first row of sql, as an integer. */
static inline int64_t raw_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* First column of the first row of sql as text into out (empty for NULL). */
static inline void raw_text(sqlite3 *db, const char *sql, char *out, size_t n) {
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *v = sqlite3_column_text(st, 0);
    snprintf(out, n, "%s", v ? (const char *)v : "");
    sqlite3_finalize(st);
}

/* ---- A raw connection to the test's database, either backend -------------------------- */

typedef struct rdb {
    sqlite3 *lite;
    PGconn *pg;
} rdb_t;

static inline rdb_t *rdb_open(const tdb_t *t) {
    rdb_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    if (!t->pg) {
        r->lite = raw_open(t);
        return r;
    }
    r->pg = PQconnectdb(t->url);
    if (PQstatus(r->pg) != CONNECTION_OK)
        fail_msg("raw connection: %s", PQerrorMessage(r->pg));
    PQsetNoticeProcessor(r->pg, tdb_pg_quiet, NULL);
    return r;
}

static inline void rdb_close(rdb_t *r) {
    if (r == NULL)
        return;
    sqlite3_close(r->lite);
    PQfinish(r->pg);
    free(r);
}

/* Runs sql with up to two parameters ($1 text, $2 integer; NULL/0 count: none): 0 on success,
 * else SQLite's extended code or 1 (PostgreSQL). */
static inline int rdb_exec_args(rdb_t *r, const char *sql, int nargs, const char *text,
                                long long i) {
    if (r->lite != NULL) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(r->lite, sql, -1, &st, NULL);
        if (rc == SQLITE_OK && nargs >= 1)
            sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK && nargs >= 2)
            sqlite3_bind_int64(st, 2, i);
        if (rc == SQLITE_OK) {
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            }
            rc = rc == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(r->lite);
        }
        sqlite3_finalize(st);
        return rc;
    }
    char num[32];
    snprintf(num, sizeof num, "%lld", i);
    const char *vals[2] = {text, num};
    PGresult *res = PQexecParams(r->pg, sql, nargs, NULL, vals, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(res);
    PQclear(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : 1;
}

static inline int rdb_exec(rdb_t *r, const char *sql) {
    return r->lite != NULL ? raw_exec(r->lite, sql) : rdb_exec_args(r, sql, 0, NULL, 0);
}

/* First column of the first row of sql as text into out (empty for NULL). */
static inline void rdb_text(rdb_t *r, const char *sql, char *out, size_t n) {
    if (r->lite != NULL) {
        raw_text(r->lite, sql, out, n);
        return;
    }
    PGresult *res = PQexec(r->pg, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1)
        fail_msg("%s: %s", sql, PQresultErrorMessage(res));
    snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
}

/* First column of the first row of sql, as an integer (a PostgreSQL boolean as 0 or 1). */
static inline int64_t rdb_int(rdb_t *r, const char *sql) {
    if (r->lite != NULL)
        return raw_int(r->lite, sql);
    char v[64];
    rdb_text(r, sql, v, sizeof v);
    if (strcmp(v, "t") == 0 || strcmp(v, "f") == 0)
        return v[0] == 't';
    char *end = NULL;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end != '\0')
        fail_msg("%s: not an integer: %s", sql, v);
    return x;
}

/* Makes every `op` (INSERT, UPDATE or DELETE) of a row of table fail (on = false: undoes it),
 * as a constraint would. */
static inline void rdb_fail_op(rdb_t *r, const char *op, const char *table, bool on) {
    char sql[256];
    if (!on)
        snprintf(sql, sizeof sql, "DROP TRIGGER test_fail_%s_%s%s%s", op, table,
                 r->pg ? " ON " : "", r->pg ? table : "");
    else if (r->pg)
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER test_fail_%s_%s BEFORE %s ON %s FOR EACH ROW"
                 " EXECUTE FUNCTION lc_refuse('no')",
                 op, table, op, table);
    else
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER test_fail_%s_%s BEFORE %s ON %s BEGIN SELECT RAISE(ABORT, 'no');"
                 " END",
                 op, table, op, table);
    assert_int_equal(rdb_exec(r, sql), 0);
}

static inline void rdb_fail_inserts(rdb_t *r, const char *table, bool on) {
    rdb_fail_op(r, "INSERT", table, on);
}

/* True when no write transaction holds the write lock (SQLite: a writer gets it without
 * waiting; PostgreSQL: nobody holds an advisory lock in the test's database). */
static inline bool rdb_write_lock_free(const tdb_t *t) {
    if (!t->pg)
        return raw_write_lock_free(t);
    rdb_t *r = rdb_open(t);
    int64_t n = rdb_int(r, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND"
                           " database = (SELECT oid FROM pg_database"
                           " WHERE datname = current_database())");
    rdb_close(r);
    return n == 0;
}

/* ---- Races: each thread waits at the barrier, then acts ---------------------------------- */

/* A node starting on url: opens a store of its own, then migrates it; rc and applied of
 * lc_store_migrate. */
typedef struct tdb_migrator {
    const char *url;
    pthread_barrier_t *go;
    int rc, applied;
} tdb_migrator_t;

static inline void *tdb_migrator_main(void *arg) {
    tdb_migrator_t *m = arg;
    lc_store_t *s = NULL;
    m->rc = lc_store_open(m->url, false, &s);
    pthread_barrier_wait(m->go);
    if (m->rc == LC_OK)
        m->rc = lc_store_migrate(s, &m->applied);
    lc_store_close(s);
    return NULL;
}

/* An admin (actor) deactivating the user target through s; rc of lc_store_user_set_status. */
typedef struct tdb_deactivator {
    lc_store_t *s;
    lc_actor_t actor;
    int64_t target;
    pthread_barrier_t *b;
    int rc;
} tdb_deactivator_t;

static inline void *tdb_deactivator_main(void *p) {
    tdb_deactivator_t *r = p;
    pthread_barrier_wait(r->b);
    r->rc = lc_store_user_set_status(r->s, &r->actor, r->target, LC_DEACTIVATED);
    return NULL;
}

/* A valid-looking argon2id hash (the store does not verify it). */
#define TEST_HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"

static inline lc_store_bootstrap_t test_bootstrap(const char *slug, const char *email) {
    return (lc_store_bootstrap_t){slug, "Acme Inc.", email, "Ada Admin", TEST_HASH};
}

#endif
