/* SPDX-License-Identifier: MIT */
/* Copies of a store, outside the request path: lc_store_copy moves a whole tenant base from one
 * store to another (`lectern migrate --from/--to`: SQLite to PostgreSQL, or SQLite to SQLite),
 * written once over the statement interface with the COPY_* statements of store_sql.def, so it
 * works between any two backends; lc_store_backup hands the online backup of the whole database
 * to the backend (`lectern backup`). */
#include "store_int.h"

#include <string.h>
#include <time.h>

#include "lectern/log.h"

/* One table: its statements and one type letter per column of its SELECT (and INSERT, whose
 * parameters are the same columns in the same order): i integer, t text, b blob; any may be
 * NULL. In foreign-key order: a row only ever points at rows of tables above it. */
typedef struct table {
    const char *name;
    lc__q_t count, select, insert;
    const char *types;
} table_t;

#define TABLE(name, q, types)                                                                      \
    { name, LC__Q_COPY_##q##_COUNT, LC__Q_COPY_##q##_SELECT, LC__Q_COPY_##q##_INSERT, types }

static const table_t tables[] = {
    TABLE("tenants", TENANTS, "itttiiii"),      TABLE("users", USERS, "iittttiiiii"),
    TABLE("roles", ROLES, "iitttii"),           TABLE("role_permissions", ROLE_PERMISSIONS, "iit"),
    TABLE("user_roles", USER_ROLES, "iiii"),    TABLE("developer_tokens", TOKENS, "iiitbtttiitii"),
    TABLE("courses", COURSES, "iitttii"),       TABLE("enrollments", ENROLLMENTS, "iiiitiiiii"),
    TABLE("audit_events", AUDIT, "iiiittitti"),
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* Not copied, but counted in the source so that the report says what stayed behind: a session
 * is a login on one server (its user signs in again). schema_migrations belongs to each
 * database; rate-limit counters are minutes old at most and start again. */
typedef struct skipped {
    const char *name;
    lc__q_t count;
} skipped_t;

static const skipped_t skipped[] = {
    {"console_sessions", LC__Q_COPY_SESSIONS_COUNT},
};
#define NSKIPPED (sizeof skipped / sizeof skipped[0])

static int log_copy(const char *table, const char *msg, int rc) {
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.copy");
    if (table != NULL)
        lc_log_cstr(&r, "table", table);
    lc_log_cstr(&r, "msg", msg);
    lc_log_cstr(&r, "status", lc_status_name(rc));
    lc_log_end(&r);
    return rc;
}

/* Binds column i of the source row `from` to parameter i + 1 of `to`, as type `type`. Text is
 * bound NUL-terminated (the interface's bind_text): a value with a NUL byte inside would be cut
 * short, so it is refused instead (neither backend's schema lets one in). */
static int bind_col(lc__stmt_t *from, lc__stmt_t *to, int i, char type) {
    const lc__store_ops_t *ops = to->ops;
    if (from->ops->col_null(from, i)) {
        ops->bind_null(to, i + 1);
        return LC_OK;
    }
    const void *p = NULL;
    size_t n = 0;
    int rc = LC_OK;
    switch (type) {
    case 'i':
        ops->bind_i64(to, i + 1, from->ops->col_i64(from, i));
        break;
    case 't':
        rc = from->ops->col_text(from, i, (const char **)&p, &n);
        if (rc == LC_OK && memchr(p, '\0', n) != NULL)
            rc = LC_EINVAL;
        if (rc == LC_OK)
            ops->bind_text(to, i + 1, p);
        break;
    default:
        rc = from->ops->col_blob(from, i, &p, &n);
        if (rc == LC_OK)
            ops->bind_blob(to, i + 1, p, n);
        break;
    }
    return rc;
}

/* Every row of t from src to dst, one INSERT a row (each source row is read, bound and written
 * before the next is read: values are borrowed from the source's statement). *rows = how many. */
static int copy_rows(lc__db_t *src, lc__db_t *dst, const table_t *t, int64_t *rows) {
    lc__stmt_t *sel = NULL, *ins = NULL;
    int ncols = (int)strlen(t->types);
    int64_t n = 0;
    bool row = false;
    int rc = lc__query(src, t->select, NULL, 0, &sel);
    while (rc == LC_OK) {
        rc = lc__step(sel, &row);
        if (rc != LC_OK || !row)
            break;
        rc = lc__query(dst, t->insert, NULL, 0, &ins);
        for (int i = 0; rc == LC_OK && i < ncols; i++)
            rc = bind_col(sel, ins, i, t->types[i]);
        bool ignored = false;
        if (rc == LC_OK)
            rc = lc__step(ins, &ignored);
        lc__done(ins);
        ins = NULL;
        if (rc == LC_OK)
            n++;
    }
    lc__done(sel);
    if (rc != LC_OK)
        return log_copy(t->name, "row not copied", rc);
    *rows = n;
    return LC_OK;
}

static int schema_is_current(lc_store_t *s, int latest) {
    int current = 0, mine = 0;
    int rc = lc_store_schema_version(s, &current, &mine);
    if (rc != LC_OK)
        return rc;
    return current == latest && mine == latest ? LC_OK : LC_EVERSION;
}

/* Inside dst's transaction: LC_ECONFLICT unless every table is empty. */
static int dst_empty(lc__db_t *dst) {
    for (size_t i = 0; i < NTABLES; i++) {
        int64_t n = 0;
        int rc = lc__exec_i64(dst, tables[i].count, NULL, 0, &n);
        if (rc != LC_OK)
            return rc;
        if (n != 0)
            return LC_ECONFLICT;
    }
    return LC_OK;
}

/* The copy itself, inside both transactions; src_rows[i] gets table i's count in the source
 * snapshot, skipped_rows[i] those of the tables left out. */
static int copy_all(lc__db_t *src, lc__db_t *dst, int64_t src_rows[NTABLES],
                    int64_t skipped_rows[NSKIPPED]) {
    int rc = dst_empty(dst);
    for (size_t i = 0; rc == LC_OK && i < NTABLES; i++) {
        const table_t *t = &tables[i];
        int64_t copied = 0, written = 0;
        rc = lc__exec_i64(src, t->count, NULL, 0, &src_rows[i]);
        if (rc == LC_OK)
            rc = copy_rows(src, dst, t, &copied);
        if (rc == LC_OK)
            rc = lc__exec_i64(dst, t->count, NULL, 0, &written);
        /* What was read is what the snapshot holds, and what was written is all there. */
        if (rc == LC_OK && (copied != src_rows[i] || written != copied))
            rc = log_copy(t->name, "rows written differ from the source's count", LC_ESTORE);
    }
    for (size_t i = 0; rc == LC_OK && i < NSKIPPED; i++)
        rc = lc__exec_i64(src, skipped[i].count, NULL, 0, &skipped_rows[i]);
    if (rc == LC_OK && dst->s->ops->ids_sync != NULL) {
        rc = dst->s->ops->ids_sync(dst->c);
        if (rc != LC_OK)
            log_copy(NULL, "ids_sync failed", rc);
    }
    return rc;
}

int lc_store_copy(lc_store_t *src, lc_store_t *dst, lc_store_copy_fn on_table, void *ctx) {
    int64_t src_rows[NTABLES] = {0}, dst_rows[NTABLES] = {0}, skipped_rows[NSKIPPED] = {0};
    lc__db_t sdb = {0}, ddb = {0};
    int latest = 0;
    struct timespec t0, t1;

    if (src == NULL || dst == NULL || src == dst)
        return LC_EINVAL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = lc__migration_latest(src->ops, &latest);
    if (rc == LC_OK)
        rc = schema_is_current(src, latest);
    if (rc == LC_OK)
        rc = schema_is_current(dst, latest);
    if (rc != LC_OK)
        return rc;

    /* The source first: its snapshot is taken before anything is written anywhere. */
    rc = lc__db_write(src, &sdb);
    if (rc == LC_OK)
        rc = lc__db_write(dst, &ddb);
    if (rc == LC_OK)
        rc = copy_all(&sdb, &ddb, src_rows, skipped_rows);
    rc = lc__db_end(&ddb, rc);
    /* Nothing was written to the source: its transaction ends by a rollback. */
    if (sdb.in_tx)
        src->ops->rollback(sdb.c);
    if (rc != LC_OK)
        return rc;

    /* Counted again, now that the copy is committed: what a server on dst will see. The copy
     * is in, so the report is made whatever happens here. */
    rc = lc__db_read(dst, &ddb);
    for (size_t i = 0; i < NTABLES; i++) {
        if (rc != LC_OK || lc__exec_i64(&ddb, tables[i].count, NULL, 0, &dst_rows[i]) != LC_OK)
            dst_rows[i] = -1;
    }
    int64_t total = 0;
    for (size_t i = 0; i < NTABLES; i++) {
        lc_store_copy_table_t t = {tables[i].name, true, src_rows[i], dst_rows[i]};
        if (dst_rows[i] != src_rows[i])
            rc = log_copy(t.name,
                          dst_rows[i] < 0 ? "cannot count the destination's rows after the commit"
                                          : "rows differ after the commit: another process "
                                            "writes to the destination",
                          LC_ESTORE);
        total += dst_rows[i];
        if (on_table != NULL)
            on_table(ctx, &t);
    }
    for (size_t i = 0; i < NSKIPPED; i++) {
        lc_store_copy_table_t t = {skipped[i].name, false, skipped_rows[i], 0};
        if (on_table != NULL)
            on_table(ctx, &t);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    lc_log_rec_t r;
    lc_log_begin(&r, rc == LC_OK ? LC_LOG_INFO : LC_LOG_ERROR, "store.copy");
    lc_log_cstr(&r, "from", src->ops->name);
    lc_log_cstr(&r, "to", dst->ops->name);
    lc_log_i64(&r, "rows", total);
    lc_log_i64(&r, "ms",
               (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
    lc_log_cstr(&r, "status", lc_status_name(rc));
    lc_log_end(&r);
    return rc;
}

int lc_store_backup(lc_store_t *s, const char *path) {
    if (s == NULL || path == NULL || path[0] == '\0')
        return LC_EINVAL;
    if (s->ops->backup == NULL) {
        lc_log_rec_t r;
        lc_log_begin(&r, LC_LOG_ERROR, "store.backup");
        lc_log_cstr(&r, "backend", s->ops->name);
        lc_log_cstr(&r, "msg", "this backend has no online backup; use the database's own tools");
        lc_log_end(&r);
        return LC_EUNAVAILABLE;
    }
    return s->ops->backup(s, path);
}
