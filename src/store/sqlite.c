/* SPDX-License-Identifier: MIT */
/* The SQLite backend of the store: the embedded default. One database file in WAL mode; each
 * thread that uses the store gets its own connection (opened lazily, kept in the store's
 * registry of store_conns.c: closed at thread exit or by lc_store_close) with its own cache of
 * prepared statements, so connections never need a lock. Writers serialise on SQLite's write lock
 * (BEGIN IMMEDIATE), waiting up to LC_LIMIT_STORE_BUSY_TIMEOUT_MS. The domain runs on the statement
 * interface of store_int.h, implemented at the end of this file; what is SQLite's own
 * (transactions, the migration bookkeeping, the online backup of `lectern backup`) stays here.
 * SQLite's heap goes through lc_malloc, so allocation-failure tests reach into SQLite too. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lectern/alloc.h"
#include "lectern/limits.h"
#include "lectern/log.h"

/* X(ID, SQL): the statements of this backend itself (the domain's are in store_sql.def),
 * prepared once per connection on first use. Never build SQL from values: everything variable
 * is a bound parameter. */
#define STMTS(X)                                                                                   \
    X(BEGIN, "BEGIN IMMEDIATE")                                                                    \
    X(COMMIT, "COMMIT")                                                                            \
    X(ROLLBACK, "ROLLBACK")                                                                        \
    X(MIGRATIONS_EXIST, "SELECT count(*) FROM sqlite_schema"                                       \
                        " WHERE type = 'table' AND name = 'schema_migrations'")                    \
    X(MIGRATIONS_CREATE, "CREATE TABLE IF NOT EXISTS schema_migrations ("                          \
                         "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"                        \
                         " applied_at INTEGER NOT NULL)")                                          \
    X(MIGRATIONS_MAX, "SELECT coalesce(max(version), 0) FROM schema_migrations")                   \
    X(MIGRATION_RECORD, "INSERT INTO schema_migrations (version, name, applied_at)"                \
                        " VALUES (?1, ?2, ?3)")

LC__STMT_TABLES(STMTS);

typedef struct sq_store sq_store_t;
typedef struct lc__conn conn_t;

/* A domain statement (lc__stmt_t) on a connection. */
typedef struct sq_stmt {
    lc__stmt_t base;
    sqlite3_stmt *st; /* NULL until prepared */
    conn_t *c;
    lc__q_t id;
    int err; /* the first binding failure, returned by step; cleared by reset */
    /* SQLite numbers named parameters in order of first appearance: $n is index param[n]. */
    uint8_t param[LC__Q_MAX_PARAMS + 1];
} sq_stmt_t;

/* One thread's connection. Used only by its thread; kept in the store's registry. */
struct lc__conn {
    lc__conn_link_t link;
    sqlite3 *db;
    sqlite3_stmt *stmt[S__COUNT];
    sq_stmt_t q[LC__Q_COUNT];
};

struct sq_store {
    lc_store_t base;
    char *path;        /* owned */
    lc__conns_t conns; /* each thread's conn_t */
};

/* --- SQLite's heap through lc_malloc ------------------------------------------------------ */

/* SQLite asks for the size of its allocations; keep it in a header that preserves the
 * alignment lc_malloc gives. */
#define MEM_HDR alignof(max_align_t)

static void *mem_malloc(int n) {
    if (n < 0)
        return NULL;
    unsigned char *p = lc_malloc((size_t)n + MEM_HDR);
    if (p == NULL)
        return NULL;
    size_t sz = (size_t)n;
    memcpy(p, &sz, sizeof sz);
    return p + MEM_HDR;
}

static void mem_free(void *p) {
    if (p != NULL)
        lc_free((unsigned char *)p - MEM_HDR);
}

static void *mem_realloc(void *p, int n) {
    if (p == NULL)
        return mem_malloc(n);
    if (n < 0)
        return NULL;
    unsigned char *h = lc_realloc((unsigned char *)p - MEM_HDR, (size_t)n + MEM_HDR);
    if (h == NULL)
        return NULL;
    size_t sz = (size_t)n;
    memcpy(h, &sz, sizeof sz);
    return h + MEM_HDR;
}

static int mem_size(void *p) {
    size_t sz = 0;
    if (p != NULL)
        memcpy(&sz, (unsigned char *)p - MEM_HDR, sizeof sz);
    return (int)sz;
}

static int mem_roundup(int n) {
    return n > INT_MAX - 7 ? n : (n + 7) & ~7;
}

static int mem_init(void *ctx) {
    (void)ctx;
    return SQLITE_OK;
}

static void mem_shutdown(void *ctx) {
    (void)ctx;
}

static pthread_once_t mem_once = PTHREAD_ONCE_INIT;

static void mem_setup(void) {
    static sqlite3_mem_methods m = {mem_malloc,  mem_free, mem_realloc,  mem_size,
                                    mem_roundup, mem_init, mem_shutdown, NULL};
    /* Fails only when SQLite was used before the first store was opened (then it keeps its
     * own heap, which is correct, just invisible to the allocation-failure hook). */
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
        lc_log_msg(LC_LOG_DEBUG, "store.sqlite", "SQLite already initialised: own heap kept");
}

/* --- errors ------------------------------------------------------------------------------- */

/* Extended result code -> lectern status. Constraint failures are the caller's input breaking a
 * rule (a duplicate, a bad value, a missing or other tenant's row), not a storage failure. */
static int map_rc(int xrc) {
    switch (xrc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return LC_EEXIST;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return LC_ENOTFOUND;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_TRIGGER:
    case SQLITE_CONSTRAINT_DATATYPE:
        return LC_EINVAL;
    default:
        break;
    }
    switch (xrc & 0xff) {
    case SQLITE_NOMEM:
        return LC_ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return LC_EBUSY;
    default:
        return LC_ESTORE;
    }
}

/* Logs a failure of `what` on db (may be NULL) and returns its status. Only SQLite's message
 * and the statement's name: never a bound value. Constraint failures are expected outcomes
 * and logged at debug level. */
static int fail(sqlite3 *db, const char *what, int xrc) {
    int rc = map_rc(xrc);
    lc_log_rec_t r;
    bool expected = rc == LC_EEXIST || rc == LC_EINVAL || rc == LC_ENOTFOUND;
    lc_log_begin(&r, expected ? LC_LOG_DEBUG : LC_LOG_ERROR, "store.error");
    lc_log_cstr(&r, "backend", "sqlite");
    lc_log_cstr(&r, "op", what);
    lc_log_i64(&r, "code", xrc);
    lc_log_cstr(&r, "reason", db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(xrc));
    lc_log_cstr(&r, "status", lc_status_name(rc));
    lc_log_end(&r);
    return rc;
}

/* --- statements --------------------------------------------------------------------------- */

static int stmt_prepare(conn_t *c, stmt_id_t id) {
    if (c->stmt[id] != NULL)
        return LC_OK;
    int xrc =
        sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[id], NULL);
    if (xrc != SQLITE_OK) {
        c->stmt[id] = NULL;
        return fail(c->db, stmt_name[id], xrc);
    }
    return LC_OK;
}

/* Ready to step: prepared (once) and bound. Pair every call with stmt_done, also on failure.
 * Text is bound SQLITE_STATIC: the caller's strings outlive the statement's use. */
static int stmt_bind(conn_t *c, stmt_id_t id, const lc__arg_t *args, int nargs) {
    int rc = stmt_prepare(c, id);
    if (rc != LC_OK)
        return rc;
    sqlite3_stmt *st = c->stmt[id];
    for (int k = 0; k < nargs; k++) {
        int xrc;
        if (args[k].type == 't')
            xrc = sqlite3_bind_text(st, k + 1, args[k].p, -1, SQLITE_STATIC);
        else if (args[k].type == 'i')
            xrc = sqlite3_bind_int64(st, k + 1, args[k].i);
        else
            xrc = sqlite3_bind_null(st, k + 1);
        if (xrc != SQLITE_OK)
            return fail(c->db, stmt_name[id], xrc);
    }
    return LC_OK;
}

/* Steps once: *row = true on a row, false when done. */
static int stmt_step(conn_t *c, stmt_id_t id, bool *row) {
    int xrc = sqlite3_step(c->stmt[id]);
    if (xrc == SQLITE_ROW || xrc == SQLITE_DONE) {
        *row = xrc == SQLITE_ROW;
        return LC_OK;
    }
    return fail(c->db, stmt_name[id], xrc);
}

static void stmt_done(conn_t *c, stmt_id_t id) {
    if (c->stmt[id] != NULL) {
        sqlite3_reset(c->stmt[id]);
        sqlite3_clear_bindings(c->stmt[id]);
    }
}

/* A statement without result rows. */
static int stmt_exec(conn_t *c, stmt_id_t id, const lc__arg_t *args, int nargs) {
    bool row = false;
    int rc = stmt_bind(c, id, args, nargs);
    if (rc == LC_OK)
        rc = stmt_step(c, id, &row);
    stmt_done(c, id);
    return rc;
}

/* A statement whose first row's first column is an integer. */
static int stmt_int(conn_t *c, stmt_id_t id, int64_t *out) {
    bool row = false;
    int rc = stmt_bind(c, id, NULL, 0);
    if (rc == LC_OK)
        rc = stmt_step(c, id, &row);
    if (rc == LC_OK && !row)
        rc = fail(c->db, stmt_name[id], SQLITE_ERROR);
    if (rc == LC_OK)
        *out = sqlite3_column_int64(c->stmt[id], 0);
    stmt_done(c, id);
    return rc;
}

static int tx_begin(conn_t *c) {
    return stmt_exec(c, S_BEGIN, NULL, 0);
}

static int tx_commit(conn_t *c) {
    return stmt_exec(c, S_COMMIT, NULL, 0);
}

/* After a failure inside a transaction. SQLite may have rolled back already (some errors do).
 * A connection left inside a transaction would hold the write lock and poison every later
 * request of its thread, so if the rollback itself fails (out of memory) the connection is
 * closed at once, which rolls back, and the thread opens a new one on its next use. c must not
 * be used after this call. */
static void tx_rollback(conn_t *c) {
    if (sqlite3_get_autocommit(c->db))
        return;
    int rc = stmt_exec(c, S_ROLLBACK, NULL, 0);
    if (rc != LC_OK || !sqlite3_get_autocommit(c->db)) {
        lc_log_msg(LC_LOG_WARN, "store.sqlite", "rollback failed; connection closed");
        lc__conns_discard(c);
    }
}

/* --- connections -------------------------------------------------------------------------- */

static void conn_free(lc__conn_t *c) {
    if (c == NULL)
        return;
    for (int i = 0; i < S__COUNT; i++)
        sqlite3_finalize(c->stmt[i]);
    for (int i = 0; i < LC__Q_COUNT; i++)
        sqlite3_finalize(c->q[i].st);
    /* _v2: never leaves the handle open, even if a statement were still alive. */
    sqlite3_close_v2(c->db);
    lc_free(c);
}

/* Runs a PRAGMA that answers one text row and checks the answer (case-insensitive). */
static int pragma_expect(sqlite3 *db, const char *sql, const char *want) {
    sqlite3_stmt *st = NULL;
    int rc = LC_OK;
    int xrc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (xrc == SQLITE_OK)
        xrc = sqlite3_step(st);
    if (xrc != SQLITE_ROW) {
        rc = fail(db, sql, xrc);
        goto out;
    }
    const unsigned char *got = sqlite3_column_text(st, 0);
    if (got == NULL) {
        /* Converting the value to text may need memory. */
        rc = fail(db, sql, sqlite3_errcode(db) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR);
        goto out;
    }
    if (!lc_str_eq_nocase(lc_str_from((const char *)got), lc_str_from(want))) {
        lc_log_rec_t r;
        lc_log_begin(&r, LC_LOG_ERROR, "store.error");
        lc_log_cstr(&r, "backend", "sqlite");
        lc_log_cstr(&r, "op", sql);
        lc_log_cstr(&r, "reason", "unexpected answer");
        lc_log_end(&r);
        rc = LC_ESTORE;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

static int conn_open(sq_store_t *s, bool create, conn_t **out) {
    conn_t *c = NULL;
    int rc = LC_ENOMEM, xrc, fk = 0;

    c = lc_calloc(1, sizeof *c);
    if (c == NULL)
        goto out;
    /* NOMUTEX: a connection is only ever used by its own thread. No URI parsing: the path is a
     * path. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                SQLITE_OPEN_PRIVATECACHE | (create ? SQLITE_OPEN_CREATE : 0);
    xrc = sqlite3_open_v2(s->path, &c->db, flags, NULL);
    if (xrc != SQLITE_OK) {
        rc = fail(c->db, "open", xrc);
        goto out;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, LC_LIMIT_STORE_BUSY_TIMEOUT_MS);
    /* Defensive: no writable_schema or other ways to corrupt the file from SQL. (The schema
     * stays trusted: its CHECK constraints call json_valid(), which SQLite 3.40 does not mark
     * innocuous.) */
    xrc = sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    if (xrc == SQLITE_OK)
        xrc = sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &fk);
    if (xrc != SQLITE_OK || fk != 1) {
        rc = fail(c->db, "db_config", xrc != SQLITE_OK ? xrc : SQLITE_ERROR);
        goto out;
    }
    /* WAL is a property of the file (set once, kept); synchronous is per connection. NORMAL
     * in WAL mode cannot corrupt the database; a power loss may lose the last commits. */
    rc = pragma_expect(c->db, "PRAGMA journal_mode = WAL", "wal");
    if (rc != LC_OK)
        goto out;
    xrc = sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    if (xrc != SQLITE_OK) {
        rc = fail(c->db, "PRAGMA synchronous", xrc);
        goto out;
    }
    /* Prepared now so that a rollback never needs memory it might not get. */
    for (stmt_id_t id = S_BEGIN; id <= S_ROLLBACK; id++) {
        rc = stmt_prepare(c, id);
        if (rc != LC_OK)
            goto out;
    }
    *out = c;
    c = NULL;
    rc = LC_OK;
out:
    conn_free(c);
    return rc;
}

/* Opens a connection and makes it this thread's. */
static int conn_attach(sq_store_t *s, bool create, conn_t **out) {
    conn_t *c = NULL;
    int rc = conn_open(s, create, &c);
    if (rc == LC_OK)
        rc = lc__conns_add(&s->conns, c);
    if (rc == LC_OK)
        *out = c;
    return rc;
}

/* This thread's connection, opened on first use. */
static int conn_get(sq_store_t *s, conn_t **out) {
    conn_t *c = lc__conns_mine(&s->conns);
    if (c == NULL)
        return conn_attach(s, false, out);
    *out = c;
    return LC_OK;
}

/* --- store -------------------------------------------------------------------------------- */

static void sq_close(lc_store_t *base) {
    sq_store_t *s = (sq_store_t *)base;
    if (s == NULL)
        return;
    lc__conns_dispose(&s->conns);
    lc_free(s->path);
    lc_free(s);
}

/* The database file is created here, mode 0600, rather than by SQLite (which would use 0644):
 * it holds password and token hashes. SQLite gives its -wal and -shm files the same mode. */
static int prepare_file(const char *path, bool create) {
    if (create) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd >= 0) {
            close(fd);
            return LC_OK;
        }
    } else {
        struct stat sb;
        if (stat(path, &sb) == 0)
            return LC_OK;
    }
    int err = errno;
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.open");
    lc_log_cstr(&r, "backend", "sqlite");
    lc_log_cstr(&r, "path", path);
    lc_log_cstr(&r, "reason", strerror(err));
    lc_log_end(&r);
    return err == ENOENT ? LC_ENOTFOUND : LC_EIO;
}

static int sq_open(const char *url, const char *target, bool create, lc_store_t **out) {
    sq_store_t *s = NULL;
    conn_t *c = NULL;
    int rc = LC_EINVAL;

    (void)url;
    /* Each thread has its own connection: an in-memory database would be a different one in
     * every thread. */
    if (strcmp(target, ":memory:") == 0) {
        lc_log_msg(LC_LOG_ERROR, "store.open", "sqlite needs a file, not :memory:");
        goto out;
    }
    pthread_once(&mem_once, mem_setup);
    rc = prepare_file(target, create);
    if (rc != LC_OK)
        goto out;
    rc = LC_ENOMEM;
    s = lc_calloc(1, sizeof *s);
    if (s == NULL)
        goto out;
    s->base.ops = &lc__store_sqlite_ops;
    s->path = lc_strdup(target);
    if (s->path == NULL)
        goto out;
    rc = lc__conns_init(&s->conns, conn_free);
    if (rc != LC_OK)
        goto out;
    /* Open the first connection now, so that a missing or foreign file fails here. */
    rc = conn_attach(s, create, &c);
    if (rc != LC_OK)
        goto out;
    *out = &s->base;
    s = NULL;
out:
    sq_close(s ? &s->base : NULL);
    return rc;
}

static int sq_schema_version_conn(conn_t *c, int *current) {
    int64_t exists = 0, v = 0;
    int rc = stmt_int(c, S_MIGRATIONS_EXIST, &exists);
    if (rc == LC_OK && exists)
        rc = stmt_int(c, S_MIGRATIONS_MAX, &v);
    if (rc != LC_OK)
        return rc;
    if (v < 0 || v > INT_MAX)
        return fail(c->db, stmt_name[S_MIGRATIONS_MAX], SQLITE_MISMATCH);
    *current = (int)v;
    return LC_OK;
}

static int sq_schema_version(lc_store_t *base, int *current) {
    conn_t *c = NULL;
    int rc = conn_get((sq_store_t *)base, &c);
    if (rc == LC_OK)
        rc = sq_schema_version_conn(c, current);
    return rc;
}

static int sq_migration_apply(lc_store_t *base, const lc__migration_t *m, bool *ran) {
    conn_t *c = NULL;
    int current = 0, xrc;
    bool in_tx = false;
    int rc = conn_get((sq_store_t *)base, &c);
    if (rc != LC_OK)
        goto out;
    rc = tx_begin(c);
    if (rc != LC_OK)
        goto out;
    in_tx = true;
    rc = stmt_exec(c, S_MIGRATIONS_CREATE, NULL, 0);
    if (rc == LC_OK)
        rc = sq_schema_version_conn(c, &current);
    if (rc != LC_OK)
        goto out;
    if (current >= m->version) {
        *ran = false;
        goto out; /* rolled back below: only the empty table may have been created */
    }
    xrc = sqlite3_exec(c->db, m->sql, NULL, NULL, NULL);
    if (xrc != SQLITE_OK) {
        rc = fail(c->db, m->name, xrc);
        goto out;
    }
    lc__arg_t rec[] = {LC__INT(m->version), LC__TEXT(m->name), LC__INT(time(NULL))};
    rc = stmt_exec(c, S_MIGRATION_RECORD, rec, LC__NARGS(rec));
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

static size_t sq_connections(lc_store_t *base) {
    return lc__conns_count(&((sq_store_t *)base)->conns);
}

/* --- online backup (lc_store_backup) ------------------------------------------------------- */

/* The copy goes in steps of BACKUP_STEP_PAGES pages (1 MiB at the default 4 KiB page size) with
 * a pause of BACKUP_PAUSE_MS after each. It reads from one snapshot, so it never blocks a writer;
 * the pause leaves the disk to the server between steps. A step that meets a lock waits and
 * tries again, up to LC_LIMIT_STORE_BUSY_TIMEOUT_MS of waiting in all. */
#define BACKUP_STEP_PAGES 256
#define BACKUP_PAUSE_MS 2
#define BACKUP_TMP_SUFFIX ".tmp-XXXXXX"

static void pause_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int64_t elapsed_ms(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A file-system failure of the backup: logged with the path (the operator's own), mapped. */
static int backup_io(const char *op, const char *path, int err) {
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.backup");
    lc_log_cstr(&r, "op", op);
    lc_log_cstr(&r, "path", path);
    lc_log_cstr(&r, "reason", strerror(err));
    lc_log_end(&r);
    if (err == EEXIST)
        return LC_EEXIST;
    return err == ENOENT || err == ENOTDIR ? LC_ENOTFOUND : LC_EIO;
}

/* A failure SQLite reports during the backup; the destination's file system (full, unwritable)
 * is LC_EIO rather than a store failure. */
static int backup_fail(sqlite3 *db, const char *what, int xrc) {
    int rc = fail(db, what, xrc);
    switch (xrc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return LC_EIO;
    default:
        return rc;
    }
}

static int fsync_path(const char *path, bool dir) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return backup_io("open", path, errno);
    int rc = fsync(fd) == 0 ? LC_OK : backup_io("fsync", path, errno);
    close(fd);
    return rc;
}

/* A connection of its own to the store's file, inside a read transaction: the snapshot the
 * backup copies. Held across every step, it keeps the copy consistent and keeps it from
 * starting over each time a writer commits (which a backup without a transaction of its own
 * does, and under steady writes would never finish); in WAL mode it blocks no writer. */
static int backup_source(const sq_store_t *s, sqlite3 **out) {
    sqlite3 *db = NULL;
    int xrc = sqlite3_open_v2(s->path, &db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                                  SQLITE_OPEN_PRIVATECACHE,
                              NULL);
    if (xrc == SQLITE_OK) {
        sqlite3_busy_timeout(db, LC_LIMIT_STORE_BUSY_TIMEOUT_MS);
        /* The SELECT takes the read lock that BEGIN alone defers. */
        xrc = sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    }
    if (xrc != SQLITE_OK) {
        int rc = fail(db, "backup source", xrc);
        sqlite3_close_v2(db);
        return rc;
    }
    *out = db;
    return LC_OK;
}

/* The empty temporary file as a connection that writes without a journal or syncs: a failed
 * copy is thrown away, and the finished one is synced once, by backup_publish. */
static int backup_dest(const char *tmp, sqlite3 **out) {
    sqlite3 *db = NULL;
    int xrc = sqlite3_open_v2(tmp, &db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                                  SQLITE_OPEN_PRIVATECACHE,
                              NULL);
    if (xrc == SQLITE_OK)
        xrc = sqlite3_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
                           NULL);
    if (xrc != SQLITE_OK) {
        int rc = backup_fail(db, "backup destination", xrc);
        sqlite3_close_v2(db);
        return rc;
    }
    *out = db;
    return LC_OK;
}

/* Copies every page of src's snapshot into dst, step by step. *pages = the database's size. */
static int backup_pages(sqlite3 *src, sqlite3 *dst, int *pages) {
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (b == NULL)
        return backup_fail(dst, "backup_init", sqlite3_extended_errcode(dst));
    int xrc, waited = 0;
    for (;;) {
        xrc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
        if (xrc == SQLITE_DONE)
            break;
        bool locked = (xrc & 0xff) == SQLITE_BUSY || (xrc & 0xff) == SQLITE_LOCKED;
        if (xrc != SQLITE_OK && !(locked && waited < LC_LIMIT_STORE_BUSY_TIMEOUT_MS))
            break;
        if (locked)
            waited += BACKUP_PAUSE_MS;
        pause_ms(BACKUP_PAUSE_MS);
    }
    *pages = sqlite3_backup_pagecount(b);
    /* finish returns the failure of the last step again, or OK. */
    int frc = sqlite3_backup_finish(b);
    if (xrc != SQLITE_DONE)
        return backup_fail(dst, "backup_step", xrc);
    if (frc != SQLITE_OK)
        return backup_fail(dst, "backup_finish", frc);
    return LC_OK;
}

/* Gives the finished copy its name, never replacing a file that appeared meanwhile, and syncs
 * the directory so that the name survives a crash. */
static int backup_publish(const char *tmp, const char *path) {
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
        if (errno != EINVAL && errno != ENOSYS)
            return backup_io("rename", path, errno);
        /* A file system without RENAME_NOREPLACE: a hard link does not replace either. */
        if (link(tmp, path) != 0)
            return backup_io("link", path, errno);
        (void)unlink(tmp);
    }
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    /* The copy is complete and in place; a directory that cannot be synced only makes the name
     * less durable. */
    if (fsync_path(dir, true) != LC_OK)
        lc_log_msg(LC_LOG_WARN, "store.backup", "the backup's directory could not be synced");
    return LC_OK;
}

static void backup_discard(const char *tmp) {
    static const char *const suffix[] = {"", "-journal", "-wal", "-shm"};
    char p[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        if (snprintf(p, sizeof p, "%s%s", tmp, suffix[i]) < (int)sizeof p)
            (void)unlink(p);
    }
}

static int sq_backup(lc_store_t *base, const char *path) {
    sq_store_t *s = (sq_store_t *)base;
    sqlite3 *src = NULL, *dst = NULL;
    char *tmp = NULL;
    bool made = false;
    int rc = LC_ENOMEM, pages = 0;
    struct timespec t0;
    struct stat sb;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (lstat(path, &sb) == 0)
        return backup_io("create", path, EEXIST);
    if (errno != ENOENT)
        return backup_io("stat", path, errno);
    size_t n = strlen(path);
    if (n > PATH_MAX - sizeof BACKUP_TMP_SUFFIX)
        return backup_io("create", path, ENAMETOOLONG);
    tmp = lc_malloc(n + sizeof BACKUP_TMP_SUFFIX);
    if (tmp == NULL)
        goto out;
    memcpy(tmp, path, n);
    memcpy(tmp + n, BACKUP_TMP_SUFFIX, sizeof BACKUP_TMP_SUFFIX);
    /* Mode 0600, like the store (it holds password and token hashes). Closed at once: SQLite
     * opens its own descriptor, and closing another one of the same file later would drop
     * SQLite's POSIX locks. */
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        rc = backup_io("create", path, errno);
        goto out;
    }
    close(fd);
    made = true;
    rc = backup_source(s, &src);
    if (rc == LC_OK)
        rc = backup_dest(tmp, &dst);
    if (rc == LC_OK)
        rc = backup_pages(src, dst, &pages);
    if (rc == LC_OK)
        rc = pragma_expect(dst, "PRAGMA quick_check", "ok");
    if (rc == LC_OK) {
        int xrc = sqlite3_close(dst);
        if (xrc != SQLITE_OK)
            rc = backup_fail(dst, "backup close", xrc);
        else
            dst = NULL;
    }
    if (rc == LC_OK)
        rc = fsync_path(tmp, false);
    if (rc == LC_OK)
        rc = backup_publish(tmp, path);
out:
    sqlite3_close_v2(dst);
    sqlite3_close_v2(src); /* ends the read transaction */
    if (made && rc != LC_OK)
        backup_discard(tmp);
    lc_free(tmp);
    if (rc == LC_OK) {
        lc_log_rec_t r;
        lc_log_begin(&r, LC_LOG_INFO, "store.backup");
        lc_log_cstr(&r, "path", path);
        lc_log_i64(&r, "pages", pages);
        lc_log_i64(&r, "bytes", stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1);
        lc_log_i64(&r, "ms", elapsed_ms(&t0));
        lc_log_end(&r);
    }
    return rc;
}

/* --- the statement interface (store_int.h) ---------------------------------------------------- */

static int sq_conn(lc_store_t *base, lc__conn_t **out) {
    return conn_get((sq_store_t *)base, out);
}

static int sq_begin(lc__conn_t *c) {
    return tx_begin(c);
}

static int sq_commit(lc__conn_t *c) {
    return tx_commit(c);
}

static void sq_rollback(lc__conn_t *c) {
    tx_rollback(c);
}

/* A malformed statement is a build error, found by the first test that prepares it. */
static int bad_stmt(conn_t *c, lc__q_t id, const char *why) {
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.error");
    lc_log_cstr(&r, "backend", "sqlite");
    lc_log_cstr(&r, "op", lc__q_name[id]);
    lc_log_cstr(&r, "reason", why);
    lc_log_end(&r);
    (void)c;
    return LC_ESTORE;
}

/* Parameters must be $1..$LC__Q_MAX_PARAMS: record where SQLite put each. */
static int map_params(conn_t *c, sq_stmt_t *q) {
    int count = sqlite3_bind_parameter_count(q->st);
    memset(q->param, 0, sizeof q->param);
    for (int k = 1; k <= count; k++) {
        const char *name = sqlite3_bind_parameter_name(q->st, k);
        int n = 0;
        if (name == NULL || name[0] != '$' || name[1] < '1' || name[1] > '9')
            return bad_stmt(c, q->id, "parameters must be written $1..$N");
        for (const char *p = name + 1; *p != '\0'; p++) {
            if (*p < '0' || *p > '9' || n > LC__Q_MAX_PARAMS)
                return bad_stmt(c, q->id, "parameters must be written $1..$N");
            n = n * 10 + (*p - '0');
        }
        if (n > LC__Q_MAX_PARAMS)
            return bad_stmt(c, q->id, "too many parameters");
        q->param[n] = (uint8_t)k;
    }
    return LC_OK;
}

static int sq_prepare(lc__conn_t *c, lc__q_t id, const char *sql, lc__stmt_t **out) {
    sq_stmt_t *q = &c->q[id];
    if (q->st == NULL) {
        q->base.ops = &lc__store_sqlite_ops;
        q->c = c;
        q->id = id;
        q->err = LC_OK;
        int xrc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->st, NULL);
        if (xrc != SQLITE_OK) {
            q->st = NULL;
            return fail(c->db, lc__q_name[id], xrc);
        }
        int rc = map_params(c, q);
        if (rc != LC_OK) {
            sqlite3_finalize(q->st);
            q->st = NULL;
            return rc;
        }
    }
    *out = &q->base;
    return LC_OK;
}

/* SQLite's index of $n, or 0 (and the sticky error set) when the statement has no $n. */
static int param_index(sq_stmt_t *q, int n) {
    if (q->err != LC_OK)
        return 0;
    int k = n >= 1 && n <= LC__Q_MAX_PARAMS ? q->param[n] : 0;
    if (k == 0)
        q->err = bad_stmt(q->c, q->id, "binds a parameter the statement does not have");
    return k;
}

static void bound(sq_stmt_t *q, int xrc) {
    if (xrc != SQLITE_OK && q->err == LC_OK)
        q->err = fail(q->c->db, lc__q_name[q->id], xrc);
}

static void sq_bind_i64(lc__stmt_t *st, int n, int64_t v) {
    sq_stmt_t *q = (sq_stmt_t *)st;
    int k = param_index(q, n);
    if (k > 0)
        bound(q, sqlite3_bind_int64(q->st, k, v));
}

/* Text and blobs are SQLITE_STATIC: the caller keeps them alive until reset. */
static void sq_bind_text(lc__stmt_t *st, int n, const char *v) {
    sq_stmt_t *q = (sq_stmt_t *)st;
    int k = param_index(q, n);
    if (k > 0)
        bound(q, v != NULL ? sqlite3_bind_text(q->st, k, v, -1, SQLITE_STATIC)
                           : sqlite3_bind_null(q->st, k));
}

static void sq_bind_blob(lc__stmt_t *st, int n, const void *p, size_t len) {
    sq_stmt_t *q = (sq_stmt_t *)st;
    int k = param_index(q, n);
    if (k > 0)
        bound(q, sqlite3_bind_blob64(q->st, k, p, len, SQLITE_STATIC));
}

static void sq_bind_null(lc__stmt_t *st, int n) {
    sq_stmt_t *q = (sq_stmt_t *)st;
    int k = param_index(q, n);
    if (k > 0)
        bound(q, sqlite3_bind_null(q->st, k));
}

static int sq_step(lc__stmt_t *st, bool *row) {
    sq_stmt_t *q = (sq_stmt_t *)st;
    if (q->err != LC_OK)
        return q->err;
    int xrc = sqlite3_step(q->st);
    if (xrc == SQLITE_ROW || xrc == SQLITE_DONE) {
        *row = xrc == SQLITE_ROW;
        return LC_OK;
    }
    return fail(q->c->db, lc__q_name[q->id], xrc);
}

static bool sq_col_null(lc__stmt_t *st, int i) {
    return sqlite3_column_type(((sq_stmt_t *)st)->st, i) == SQLITE_NULL;
}

static int64_t sq_col_i64(lc__stmt_t *st, int i) {
    return sqlite3_column_int64(((sq_stmt_t *)st)->st, i);
}

/* A NULL pointer for a value that is not NULL means the conversion ran out of memory. */
static int sq_col_text(lc__stmt_t *st, int i, const char **p, size_t *len) {
    sqlite3_stmt *s = ((sq_stmt_t *)st)->st;
    *p = NULL;
    *len = 0;
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return LC_OK;
    const unsigned char *t = sqlite3_column_text(s, i);
    if (t == NULL)
        return LC_ENOMEM;
    *p = (const char *)t;
    *len = (size_t)sqlite3_column_bytes(s, i);
    return LC_OK;
}

static int sq_col_blob(lc__stmt_t *st, int i, const void **p, size_t *len) {
    sqlite3_stmt *s = ((sq_stmt_t *)st)->st;
    *p = NULL;
    *len = 0;
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return LC_OK;
    const void *b = sqlite3_column_blob(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (b == NULL && n > 0)
        return LC_ENOMEM;
    *p = b != NULL ? b : ""; /* an empty blob is not NULL */
    *len = n;
    return LC_OK;
}

static void sq_reset(lc__stmt_t *st) {
    sq_stmt_t *q = (sq_stmt_t *)st;
    if (q == NULL || q->st == NULL)
        return;
    sqlite3_reset(q->st);
    sqlite3_clear_bindings(q->st);
    q->err = LC_OK;
}

/* Generated from the files in migrations/ by lc_embed (src/store/CMakeLists.txt). */
extern const lc_embed_file_t lc__store_sqlite_migrations[];

const lc__store_ops_t lc__store_sqlite_ops = {
    .name = "sqlite",
    .migrations = lc__store_sqlite_migrations,
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .migration_apply = sq_migration_apply,
    .connections = sq_connections,
    .conn = sq_conn,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_null = sq_col_null,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .reset = sq_reset,
    .backup = sq_backup,
};
