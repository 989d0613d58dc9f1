/* SPDX-License-Identifier: MIT */
/* Rate-limit counters shared by the nodes of a cluster (store.h): one upsert that adds a node's
 * requests to the window's counter and returns the total, the read of the counters changed
 * since a time, and the purge of old windows. Each is a single autocommitted statement: a
 * node's sync must not queue behind the domain's write transactions (which serialise), and a
 * lost push only makes the limit a little late. */
#include "store_int.h"

int lc_store_rate_add(lc_store_t *s, int kind, int64_t id, int64_t window_end, int64_t delta,
                      int64_t at_ms, int64_t *total) {
    lc__db_t db;
    int64_t v = 0;
    if (s == NULL || total == NULL || (kind != 1 && kind != 2) || id <= 0 || delta < 0)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(kind), LC__INT(id), LC__INT(window_end), LC__INT(delta),
                        LC__INT(at_ms)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec_i64(&db, LC__Q_RATE_ADD, args, LC__NARGS(args), &v);
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK)
        *total = v;
    return rc;
}

int lc_store_rate_changed(lc_store_t *s, int64_t since_ms, int64_t now_s, lc_store_rate_fn fn,
                          void *ctx) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    if (s == NULL || fn == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(since_ms), LC__INT(now_s)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query(&db, LC__Q_RATE_CHANGED, args, LC__NARGS(args), &st);
    bool row = true;
    while (rc == LC_OK && (rc = lc__step(st, &row)) == LC_OK && row)
        fn(ctx, (int)lc__col_i64(st, 0), lc__col_i64(st, 1), lc__col_i64(st, 2),
           lc__col_i64(st, 3));
    lc__done(st);
    return lc__db_end(&db, rc);
}

int lc_store_rate_purge(lc_store_t *s, int64_t before) {
    lc__db_t db;
    if (s == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(before)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec(&db, LC__Q_RATE_PURGE, args, LC__NARGS(args), NULL);
    return lc__db_end(&db, rc);
}
