/* SPDX-License-Identifier: MIT */
/* Helpers shared by the store's unit tests: a fresh database file in a temporary directory,
 * and a raw SQLite connection to look at (or tamper with) what the store wrote. */
#ifndef LECTERN_TEST_STORE_TEST_H
#define LECTERN_TEST_STORE_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "lectern/store.h"

typedef struct tdb {
    char dir[256];
    char path[300];
    char url[320];
} tdb_t;

static inline void tdb_init(tdb_t *t) {
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/lc-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/lectern.db", t->dir);
    snprintf(t->url, sizeof t->url, "sqlite:%s", t->path);
}

static inline void tdb_dispose(tdb_t *t) {
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[320];
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

/* A valid-looking argon2id hash (the store does not verify it). */
#define TEST_HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"

static inline lc_store_bootstrap_t test_bootstrap(const char *slug, const char *email) {
    return (lc_store_bootstrap_t){slug, "Acme Inc.", email, "Ada Admin", TEST_HASH};
}

#endif
