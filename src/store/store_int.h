/* SPDX-License-Identifier: MIT */
/* Inside the store: the vtable every backend implements (sqlite.c, postgres.c) and the
 * backend-neutral helpers they share. store.c parses the URL, validates arguments and
 * dispatches here; migrate.c runs the migration loop over ops->migration_apply. The domain
 * (store_tenants.c, store_users.c, ...) is written once, over the statement interface below:
 * statements written once in store_sql.def, in SQL that SQLite and PostgreSQL both accept. Nothing
 * in this file names a backend's types. */
#ifndef LECTERN_STORE_INT_H
#define LECTERN_STORE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/buf.h"
#include "lectern/embed.h"
#include "lectern/json.h"
#include "lectern/store.h"

/* ---- Statements ----------------------------------------------------------------------------
 *
 * Every statement of the domain has an id (LC__Q_USER_GET, ...) and one SQL text, in
 * store_sql.def. Parameters are written $1..$N (SQLite reads them as named parameters, PostgreSQL
 * as positional ones), numbered from 1 without gaps, at most LC__Q_MAX_PARAMS; a parameter whose
 * type PostgreSQL could not infer from its context (IS NULL, = 0, a function argument) is
 * written CAST($n AS BIGINT) / CAST($n AS TEXT). Result columns are integers, text or blobs,
 * never booleans. */
typedef enum lc__q {
#define LC__Q(id, sql) LC__Q_##id,
#include "store_sql.def"
#undef LC__Q
    LC__Q_COUNT
} lc__q_t;

#define LC__Q_MAX_PARAMS 21

/* Ids bound by one USERS_ROLES statement ($2..$21): the API's default page. A longer list goes
 * in chunks of this size, a shorter one is padded by repeating its last id. A fixed arity keeps
 * the statement cached and the SQL the same on both backends (no list formatted into SQL, no
 * array or JSON parameter, whose syntax differs between them). */
#define LC__USERS_ROLES_IDS 20

extern const char *const lc__q_sql[LC__Q_COUNT];
extern const char *const lc__q_name[LC__Q_COUNT]; /* "USER_GET": for logs */

/* A connection (one per thread, the backend's) and a statement prepared on it. Every backend's
 * connection struct starts with lc__conn_link_t (store_conns.c keeps it in its registry), and
 * every backend's statement struct starts with lc__stmt_t. */
typedef struct lc__conn lc__conn_t;
typedef struct lc__conn_link {
    struct lc__conns *conns; /* the registry the connection is in */
    lc__conn_t *next;        /* guarded by conns->lock */
} lc__conn_link_t;
typedef struct lc__stmt {
    const struct lc__store_ops *ops;
} lc__stmt_t;

/* One migration file, parsed from its embedded name "NNNN_what.sql". Static storage. */
typedef struct lc__migration {
    int version;      /* the number prefix, > 0 */
    const char *name; /* the file name */
    const char *sql;  /* NUL-terminated script, without BEGIN/COMMIT */
} lc__migration_t;

typedef struct lc__store_ops {
    const char *name; /* "sqlite": lc_store_backend() */
    /* The backend's migrations (lc_embed output: sorted by name, ended by a NULL name);
     * versions must increase. */
    const lc_embed_file_t *migrations;

    /* target: the URL without "scheme:" (url is the whole URL, for backends that want it).
     * Same contract as lc_store_open; *out->ops is set by the backend. */
    int (*open)(const char *url, const char *target, bool create, lc_store_t **out);
    void (*close)(lc_store_t *s);
    /* Highest version recorded in schema_migrations; 0 for a database never migrated. */
    int (*schema_version)(lc_store_t *s, int *current);
    /* In one transaction: re-reads the version under the write lock; if it is already
     * >= m->version does nothing (*ran = false: another process got there first); else runs
     * m->sql and records (version, name, now), *ran = true. Nothing is changed on failure. */
    int (*migration_apply)(lc_store_t *s, const lc__migration_t *m, bool *ran);
    /* Connections currently open (for metrics and tests). */
    size_t (*connections)(lc_store_t *s);

    /* -- The statement interface: what the domain runs on. -- */

    /* This thread's connection, opened on first use (*out borrowed: it lives until the thread
     * exits, lc_store_close, or a rollback that had to discard it). */
    int (*conn)(lc_store_t *s, lc__conn_t **out);
    /* A write transaction that serialises with every other write transaction on the database,
     * so that what it reads stays true until it commits (the last-Console-Admin rule relies on
     * it). SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN, then an advisory lock held until the
     * transaction ends (postgres.c). */
    int (*begin)(lc__conn_t *c);
    int (*commit)(lc__conn_t *c);
    /* After any failure inside a transaction (also one that already ended it). c must not be
     * used afterwards: the backend may have closed it (the thread then gets a new one). */
    void (*rollback)(lc__conn_t *c);
    /* The statement `id` with text `sql` (lc__q_sql[id]), prepared once per connection and
     * cached by id; *out is borrowed from c, reset (no bindings, before its first row). */
    int (*prepare)(lc__conn_t *c, lc__q_t id, const char *sql, lc__stmt_t **out);
    /* Bind parameter $n (1-based). Errors are sticky: the first one is returned by step. Text
     * and blobs are borrowed until reset; bind_text(NULL) binds NULL. */
    void (*bind_i64)(lc__stmt_t *st, int n, int64_t v);
    void (*bind_text)(lc__stmt_t *st, int n, const char *v);
    void (*bind_blob)(lc__stmt_t *st, int n, const void *p, size_t len);
    void (*bind_null)(lc__stmt_t *st, int n);
    /* Runs the statement (first call) or advances it: *row = true on a row, false when done. */
    int (*step)(lc__stmt_t *st, bool *row);
    /* Columns of the current row, 0-based. col_i64 reads NULL as 0. col_text and col_blob give
     * *p = NULL for NULL, borrowed until the next step or reset; LC_ENOMEM when the backend
     * could not convert the value. */
    bool (*col_null)(lc__stmt_t *st, int i);
    int64_t (*col_i64)(lc__stmt_t *st, int i);
    int (*col_text)(lc__stmt_t *st, int i, const char **p, size_t *len);
    int (*col_blob)(lc__stmt_t *st, int i, const void **p, size_t *len);
    /* Ends the statement's current run and clears its bindings and sticky error. Always called
     * after use, also after a failure; NULL is a no-op. */
    void (*reset)(lc__stmt_t *st);

    /* -- Cluster, copy and backup: NULL where the backend has no such thing. -- */

    /* Inside a write transaction that advanced the generation (db->bump), just before its
     * commit: tells the other processes that share the database, whose caches must then drop
     * what they hold (PostgreSQL: NOTIFY, which is delivered only if the transaction commits). */
    int (*announce)(lc__conn_t *c);
    /* Inside the write transaction of `lectern migrate --from/--to`, after rows were inserted
     * with their ids: makes the next id generated for every table follow the largest one copied
     * (PostgreSQL: setval of each identity sequence; SQLite needs nothing). */
    int (*ids_sync)(lc__conn_t *c);
    /* A consistent copy of the whole database into a new file at path, taken while the server
     * keeps reading and writing (SQLite: the online backup API). LC_EEXIST when path exists;
     * nothing is left at path on failure. */
    int (*backup)(lc_store_t *s, const char *path);
} lc__store_ops_t;

/* Every backend's store struct starts with this. */
struct lc_store {
    const lc__store_ops_t *ops;
    /* lc_store_generation(); starts at 1 (a cache that never saw one holds 0). */
    atomic_uint_least64_t generation;
};

/* ---- Per-thread connections (store_conns.c) --------------------------------------------------
 *
 * Each thread that uses a store gets its own connection, so that a connection never needs a
 * lock. The backend opens and frees connections; the registry, embedded in the backend's store
 * struct, makes one the calling thread's (a pthread key whose destructor frees it when the
 * thread exits), keeps every open one in a list for lc__conns_dispose (lc_store_close) and counts
 * them (ops->connections). */
typedef void (*lc__conn_free_fn)(lc__conn_t *c);
typedef struct lc__conns {
    pthread_key_t key;    /* this thread's connection */
    pthread_mutex_t lock; /* guards list and n */
    lc__conn_t *list;
    size_t n;
    lc__conn_free_fn free_conn; /* the backend's: closes and frees one connection */
    bool key_ok, lock_ok;
} lc__conns_t;

/* r zeroed (a calloc'ed store struct) before the call. LC_ENOMEM when the mutex cannot be made,
 * LC_ELIMIT (logged) when no thread-specific key is left. lc__conns_dispose undoes it, also
 * after a failure. */
int lc__conns_init(lc__conns_t *r, lc__conn_free_fn free_conn) LC_MUST_CHECK;
/* Frees every connection still open (with r->free_conn), then the key and the mutex. The caller
 * guarantees that no other thread still uses the store; a thread that exits later frees
 * nothing. */
void lc__conns_dispose(lc__conns_t *r);
/* The calling thread's connection (borrowed), or NULL when it has none yet. */
lc__conn_t *lc__conns_mine(lc__conns_t *r);
/* Makes c, just opened, the calling thread's connection. Takes ownership: on failure
 * (LC_ENOMEM) c has been freed. */
int lc__conns_add(lc__conns_t *r, lc__conn_t *c) LC_MUST_CHECK;
/* Closes and frees the calling thread's connection c: its next use of the store opens a new
 * one (a rollback that could not leave the transaction, a connection whose server is gone). */
void lc__conns_discard(lc__conn_t *c);
/* Connections currently open. */
size_t lc__conns_count(lc__conns_t *r);

/* A backend's own statements (besides the domain's of store_sql.def), listed once as an X-macro
 * STMTS(X) of X(ID, SQL): LC__STMT_TABLES(STMTS) defines the enum stmt_id (S_ID, ..., S__COUNT),
 * and the file-local arrays stmt_sql[] (the texts) and stmt_name[] ("ID", for logs). */
#define LC__STMT_ID(id, sql) S_##id,
#define LC__STMT_SQL(id, sql) sql,
#define LC__STMT_NAME(id, sql) #id,
#define LC__STMT_TABLES(STMTS)                                                                     \
    typedef enum stmt_id { STMTS(LC__STMT_ID) S__COUNT } stmt_id_t;                                \
    static const char *const stmt_sql[] = {STMTS(LC__STMT_SQL)};                                   \
    static const char *const stmt_name[] = {STMTS(LC__STMT_NAME)}

/* Number of migrations of ops. */
size_t lc__migration_count(const lc__store_ops_t *ops);
/* The i-th migration of ops (i < lc__migration_count). LC_ESTORE (logged) for a malformed file
 * name, which is a build error. */
int lc__migration_get(const lc__store_ops_t *ops, size_t i, lc__migration_t *out) LC_MUST_CHECK;
/* Newest version ops knows (0 when it has none). LC_ESTORE (logged) when names are malformed
 * or versions do not strictly increase. */
int lc__migration_latest(const lc__store_ops_t *ops, int *latest) LC_MUST_CHECK;

/* Built-in roles created in every tenant (the permissions of Console Admin come from the
 * catalog in code, not from rows). */
#define LC__ROLE_ADMIN_NAME "Console Admin"
#define LC__ROLE_ADMIN_DESC                                                                        \
    "Every permission, including those added by later versions. Built in: cannot be edited or "    \
    "deleted."
#define LC__ROLE_LEARNER_NAME "Learner"
#define LC__ROLE_LEARNER_DESC "No administrative permission. Built in: cannot be edited or deleted."
/* Audit action written by the bootstrap of a tenant. */
#define LC__AUDIT_TENANT_BOOTSTRAP "tenant.bootstrap"

/* Backends. */
extern const lc__store_ops_t lc__store_sqlite_ops;
extern const lc__store_ops_t lc__store_postgres_ops; /* postgres://, postgresql:// */

/* ---- The domain's helpers over the statement interface (store_db.c) ---------------------- */

/* A value bound to $k (args[k-1]). */
typedef struct lc__arg {
    char type;     /* 'i' integer, 't' text (NULL binds NULL), 'b' blob, 'n' NULL */
    const void *p; /* borrowed until the statement is reset */
    int64_t i;     /* the integer, or the blob's length */
} lc__arg_t;

#define LC__INT(v) ((lc__arg_t){'i', NULL, (int64_t)(v)})
#define LC__TEXT(v) ((lc__arg_t){'t', (v), 0})
#define LC__BLOB(v, n) ((lc__arg_t){'b', (v), (int64_t)(n)})
#define LC__NULL ((lc__arg_t){'n', NULL, 0})
/* An optional id or time where 0 means none: 0 binds NULL. */
#define LC__OPT(v) ((v) != 0 ? LC__INT(v) : LC__NULL)
#define LC__NARGS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* One call of the domain: this thread's connection, and the write transaction if one is open.
 * Pattern: lc__db_read or lc__db_write, statements (each lc__done before the end),
 * then return lc__db_end(&db, rc). */
typedef struct lc__db {
    lc_store_t *s;
    lc__conn_t *c; /* NULL until the connection is had */
    bool in_tx;
    bool bump;   /* the write changes authentication or authorization: advance the generation */
    int64_t now; /* unix seconds at the start of the call: every row of one write has the same */
} lc__db_t;

/* A call that only reads (each statement sees the database as of its own start). */
int lc__db_read(lc_store_t *s, lc__db_t *db) LC_MUST_CHECK;
/* A call that writes: one transaction (ops->begin). */
int lc__db_write(lc_store_t *s, lc__db_t *db) LC_MUST_CHECK;
/* Ends the call. rc == LC_OK: commits (the commit's failure is returned) and then advances the
 * generation when db->bump (announcing it first, inside the transaction, when the backend has
 * ops->announce); otherwise rolls back and returns rc. Every statement must have been
 * lc__done'd before (a rollback may close the connection). */
int lc__db_end(lc__db_t *db, int rc) LC_MUST_CHECK;

/* Statement `id` prepared (cached) with args bound, ready to step. *out is written also on
 * failure (or NULL): always pass it to lc__done. */
int lc__query(lc__db_t *db, lc__q_t id, const lc__arg_t *args, int nargs,
              lc__stmt_t **out) LC_MUST_CHECK;
/* Runs `id` to its end; *rows (may be NULL) gets the number of result rows (RETURNING). */
int lc__exec(lc__db_t *db, lc__q_t id, const lc__arg_t *args, int nargs,
             int64_t *rows) LC_MUST_CHECK;
/* The first column of the first row, as an integer. LC_ENOTFOUND when there is no row. */
int lc__exec_i64(lc__db_t *db, lc__q_t id, const lc__arg_t *args, int nargs,
                 int64_t *out) LC_MUST_CHECK;
/* The row of `id` keyed by (tenant_id, row_id), with *out left on it for the lc__col_* reads;
 * LC_ENOTFOUND when there is none. As with lc__query, always pass *out to lc__done. */
int lc__query_row(lc__db_t *db, lc__q_t id, int64_t tenant_id, int64_t row_id,
                  lc__stmt_t **out) LC_MUST_CHECK;

static inline int lc__step(lc__stmt_t *st, bool *row) {
    return st->ops->step(st, row);
}
static inline void lc__done(lc__stmt_t *st) {
    if (st != NULL)
        st->ops->reset(st);
}
static inline int64_t lc__col_i64(lc__stmt_t *st, int i) {
    return st->ops->col_i64(st, i);
}
static inline bool lc__col_null(lc__stmt_t *st, int i) {
    return st->ops->col_null(st, i);
}
/* Arena copy of a text column; NULL for NULL. On failure returns NULL and sets *rc (if it is
 * still LC_OK) to the error, so that a row is decoded with one check at the end. */
const char *lc__col_str(lc__stmt_t *st, int i, lc_arena_t *a, int *rc);
/* A text column compared with s (NULL column: false). */
bool lc__col_is(lc__stmt_t *st, int i, const char *s);

/* Lists (keyset pagination): runs count_q with args (the filter; $1 is the tenant), then
 * page_q with the same args followed by page->after and page->first + 1, decoding each of at
 * most page->first rows with read() into an arena array of `size`-byte items. */
typedef int (*lc__read_fn)(lc__stmt_t *st, lc_arena_t *a, void *item);
int lc__list(lc__db_t *db, lc_arena_t *a, lc__q_t count_q, lc__q_t page_q, const lc__arg_t *args,
             int nargs, const lc_page_t *page, size_t size, lc__read_fn read, void **out,
             uint32_t *n, lc_page_info_t *info) LC_MUST_CHECK;
/* The lc_store_*_get of one row: the row of q keyed by (tenant_id, id) decoded with read() into
 * out. LC_EINVAL for s, arena or out NULL; LC_ENOTFOUND when there is no such row. */
int lc__get_one(lc_store_t *s, lc_arena_t *arena, lc__q_t q, int64_t tenant_id, int64_t id,
                lc__read_fn read, void *out) LC_MUST_CHECK;

/* Writes the audit event of a write, in its transaction: the actor's tenant, user, token and
 * ip; target_type NULL for none, target_id 0 for none; detail a JSON object or NULL. */
int lc__audit(lc__db_t *db, const lc_actor_t *actor, const char *action, const char *target_type,
              int64_t target_id, const char *detail) LC_MUST_CHECK;

/* The detail of an audit event: a JSON object built on the stack (no allocation). Never put a
 * secret, a password hash or a token hash into one. */
#define LC__DETAIL_MAX 4096
typedef struct lc__detail {
    lc_buf_t b;
    lc_jw_t w;
    char mem[LC__DETAIL_MAX];
} lc__detail_t;
void lc__detail_begin(lc__detail_t *d);
/* Closes the object and returns it NUL-terminated (in d), or NULL with *rc = LC_EINVAL when it
 * did not fit (values are bounded by the caller's validation; the schema allows 4096 bytes). */
const char *lc__detail_end(lc__detail_t *d, int *rc);
/* Adds "key": value when value is not NULL: the fields an update changes (NULL = left as is). */
void lc__detail_text(lc__detail_t *d, const char *key, const char *value);
/* Writes a text column of the current row as a JSON string (null for NULL). */
int lc__jw_col(lc_jw_t *w, lc__stmt_t *st, int i) LC_MUST_CHECK;
/* Writes p as an array of permission names (catalog order). */
void lc__jw_perms(lc_jw_t *w, lc_permset_t p);

/* Statuses as stored: "active", "deactivated". */
const char *lc__active_name(lc_active_t v);
lc_active_t lc__col_active(lc__stmt_t *st, int i); /* anything but "active" is deactivated */

/* Permissions are stored by name (lc_perm_name, the catalog of permission.def). Unknown names
 * grant nothing: a database written by a newer binary must not break an older one. */
lc_permset_t lc__perm_from_name(const char *name, size_t len); /* NONE when unknown */
/* What a role grants: a built-in (roles.builtin: "console_admin" is every permission of the
 * catalog, "learner" none) or one permission row. Either may be NULL. */
lc_permset_t lc__grant(const char *builtin, size_t builtin_len, const char *perm, size_t perm_len);
/* Adds the grant of the row's columns (builtin, permission) at i, i + 1 to *acc. */
int lc__col_grant(lc__stmt_t *st, int i, lc_permset_t *acc) LC_MUST_CHECK;
/* developer_tokens.permissions: a JSON array of names. _write appends p's to b; _parse reads
 * one (unknown names ignored; anything malformed is the empty set: fail closed). */
int lc__perms_json_write(lc_buf_t *b, lc_permset_t p);
lc_permset_t lc__perms_json_parse(const char *json, size_t len);

/* lc_store_bootstrap_tenant once store.c has checked the arguments (store_tenants.c). */
int lc__tenant_bootstrap(lc_store_t *s, const lc_store_bootstrap_t *b, int64_t *tenant_id,
                         int64_t *admin_user_id) LC_MUST_CHECK;

/* Row readers shared between files (columns LC__COLS_* from `col`). */
int lc__tenant_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_tenant_t *out) LC_MUST_CHECK;
int lc__user_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_user_t *out) LC_MUST_CHECK;
int lc__token_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_devtoken_t *out) LC_MUST_CHECK;
/* A role row; a custom role's permissions are then filled by lc__roles_fill_perms. */
int lc__role_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_role_t *out) LC_MUST_CHECK;
/* Fills the permissions of the custom roles among r[0..n) (one query). */
int lc__roles_fill_perms(lc__db_t *db, int64_t tenant_id, lc_role_t *r, uint32_t n) LC_MUST_CHECK;

/* Test hook: number of open connections of s (each thread that used s holds one). */
size_t lc__store_connections(lc_store_t *s);

#endif
