/* SPDX-License-Identifier: MIT */
/* The domain's toolkit over the backend's statement interface: the statement table of
 * store_sql.def, calls and their transactions, binding, column decoding, keyset lists, audit
 * rows, and permissions as the database stores them (names). Backend-neutral: every domain
 * file (store_users.c, ...) is written once over these. */
#include "store_int.h"

#include <string.h>
#include <time.h>

#include "lectern/log.h"

const char *const lc__q_sql[LC__Q_COUNT] = {
#define LC__Q(id, sql) sql,
#include "store_sql.def"
#undef LC__Q
};

const char *const lc__q_name[LC__Q_COUNT] = {
#define LC__Q(id, sql) #id,
#include "store_sql.def"
#undef LC__Q
};

uint64_t lc_store_generation(const lc_store_t *s) {
    return atomic_load_explicit(&s->generation, memory_order_acquire);
}

/* --- calls and transactions ------------------------------------------------------------------ */

int lc__db_read(lc_store_t *s, lc__db_t *db) {
    *db = (lc__db_t){.s = s, .now = (int64_t)time(NULL)};
    return s->ops->conn(s, &db->c);
}

int lc__db_write(lc_store_t *s, lc__db_t *db) {
    int rc = lc__db_read(s, db);
    if (rc == LC_OK)
        rc = s->ops->begin(db->c);
    if (rc == LC_OK)
        db->in_tx = true;
    return rc;
}

int lc__db_end(lc__db_t *db, int rc) {
    if (!db->in_tx)
        return rc;
    db->in_tx = false;
    /* Other processes sharing the database learn of the new generation from the commit itself
     * (PostgreSQL delivers a NOTIFY only if its transaction commits). */
    if (rc == LC_OK && db->bump && db->s->ops->announce != NULL)
        rc = db->s->ops->announce(db->c);
    if (rc == LC_OK)
        rc = db->s->ops->commit(db->c);
    if (rc != LC_OK) {
        db->s->ops->rollback(db->c);
        db->c = NULL;
        return rc;
    }
    if (db->bump)
        atomic_fetch_add_explicit(&db->s->generation, 1, memory_order_acq_rel);
    return LC_OK;
}

/* --- statements --------------------------------------------------------------------------------
 */

int lc__query(lc__db_t *db, lc__q_t id, const lc__arg_t *args, int nargs, lc__stmt_t **out) {
    const lc__store_ops_t *ops = db->s->ops;
    lc__stmt_t *st = NULL;
    *out = NULL;
    int rc = ops->prepare(db->c, id, lc__q_sql[id], &st);
    if (rc != LC_OK)
        return rc;
    *out = st;
    for (int k = 0; k < nargs; k++) {
        const lc__arg_t *a = &args[k];
        switch (a->type) {
        case 'i':
            ops->bind_i64(st, k + 1, a->i);
            break;
        case 't':
            ops->bind_text(st, k + 1, a->p);
            break;
        case 'b':
            ops->bind_blob(st, k + 1, a->p, (size_t)a->i);
            break;
        default:
            ops->bind_null(st, k + 1);
            break;
        }
    }
    return LC_OK;
}

int lc__exec(lc__db_t *db, lc__q_t id, const lc__arg_t *args, int nargs, int64_t *rows) {
    lc__stmt_t *st = NULL;
    bool row = true;
    int64_t n = 0;
    int rc = lc__query(db, id, args, nargs, &st);
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        n++;
    }
    lc__done(st);
    if (rc == LC_OK && rows != NULL)
        *rows = n;
    return rc;
}

int lc__exec_i64(lc__db_t *db, lc__q_t id, const lc__arg_t *args, int nargs, int64_t *out) {
    lc__stmt_t *st = NULL;
    bool row = false;
    int rc = lc__query(db, id, args, nargs, &st);
    if (rc == LC_OK)
        rc = lc__step(st, &row);
    if (rc == LC_OK && !row)
        rc = LC_ENOTFOUND;
    if (rc == LC_OK)
        *out = lc__col_i64(st, 0);
    lc__done(st);
    return rc;
}

int lc__query_row(lc__db_t *db, lc__q_t id, int64_t tenant_id, int64_t row_id, lc__stmt_t **out) {
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(row_id)};
    bool row = false;
    int rc = lc__query(db, id, key, LC__NARGS(key), out);
    if (rc == LC_OK)
        rc = lc__step(*out, &row);
    if (rc == LC_OK && !row)
        rc = LC_ENOTFOUND;
    return rc;
}

int lc__get_one(lc_store_t *s, lc_arena_t *arena, lc__q_t q, int64_t tenant_id, int64_t id,
                lc__read_fn read, void *out) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    if (s == NULL || arena == NULL || out == NULL)
        return LC_EINVAL;
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query_row(&db, q, tenant_id, id, &st);
    if (rc == LC_OK)
        rc = read(st, arena, out);
    lc__done(st);
    return rc;
}

const char *lc__col_str(lc__stmt_t *st, int i, lc_arena_t *a, int *rc) {
    const char *p = NULL;
    size_t n = 0;
    int r = st->ops->col_text(st, i, &p, &n);
    char *copy = NULL;
    if (r == LC_OK && p != NULL) {
        copy = lc_arena_strndup(a, p, n);
        if (copy == NULL)
            r = LC_ENOMEM;
    }
    if (r != LC_OK && *rc == LC_OK)
        *rc = r;
    return copy;
}

bool lc__col_is(lc__stmt_t *st, int i, const char *s) {
    const char *p = NULL;
    size_t n = 0;
    if (st->ops->col_text(st, i, &p, &n) != LC_OK || p == NULL)
        return false;
    return lc_str_eq(lc_str_make(p, n), lc_str_from(s));
}

int lc__list(lc__db_t *db, lc_arena_t *a, lc__q_t count_q, lc__q_t page_q, const lc__arg_t *args,
             int nargs, const lc_page_t *page, size_t size, lc__read_fn read, void **out,
             uint32_t *n, lc_page_info_t *info) {
    lc__arg_t all[LC__Q_MAX_PARAMS];
    lc__stmt_t *st = NULL;
    char *items = NULL;
    uint32_t got = 0;
    bool row = false, more = false;
    int64_t total = 0;

    if (nargs + 2 > LC__Q_MAX_PARAMS)
        return LC_EINVAL;
    int rc = lc__exec_i64(db, count_q, args, nargs, &total);
    if (rc != LC_OK)
        goto out;
    /* Room for what can come: no more than the page, no more than there are. */
    uint64_t cap = page->first;
    if ((uint64_t)total < cap)
        cap = (uint64_t)total;
    items = lc_arena_calloc(a, cap ? cap : 1, size);
    if (items == NULL) {
        rc = LC_ENOMEM;
        goto out;
    }
    memcpy(all, args, (size_t)nargs * sizeof *args);
    all[nargs] = LC__INT(page->after);
    all[nargs + 1] = LC__INT((int64_t)page->first + 1);
    rc = lc__query(db, page_q, all, nargs + 2, &st);
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        if (got == page->first) {
            more = true;
            break;
        }
        /* Rows added since the count: grow, up to page->first. */
        if (got == cap) {
            uint64_t more_cap = 2 * cap + 8 < page->first ? 2 * cap + 8 : page->first;
            char *bigger = lc_arena_calloc(a, more_cap, size);
            if (bigger == NULL) {
                rc = LC_ENOMEM;
                break;
            }
            memcpy(bigger, items, (size_t)got * size);
            items = bigger;
            cap = more_cap;
        }
        rc = read(st, a, items + (size_t)got * size);
        got++;
    }
out:
    lc__done(st);
    if (rc == LC_OK) {
        *out = items;
        *n = got;
        *info = (lc_page_info_t){.has_next = more, .total = total};
    }
    return rc;
}

/* --- audit ----------------------------------------------------------------------------------- */

int lc__audit(lc__db_t *db, const lc_actor_t *actor, const char *action, const char *target_type,
              int64_t target_id, const char *detail) {
    lc__arg_t args[] = {
        LC__INT(actor->tenant_id), LC__OPT(actor->user_id), LC__OPT(actor->token_id),
        LC__TEXT(action),          LC__TEXT(target_type),   LC__OPT(target_id),
        LC__TEXT(actor->ip),       LC__TEXT(detail),        LC__INT(db->now)};
    return lc__exec(db, LC__Q_AUDIT_INSERT, args, LC__NARGS(args), NULL);
}

void lc__detail_begin(lc__detail_t *d) {
    lc_buf_init_fixed(&d->b, d->mem, sizeof d->mem);
    lc_jw_init(&d->w, &d->b);
    lc_jw_obj_begin(&d->w);
}

const char *lc__detail_end(lc__detail_t *d, int *rc) {
    lc_jw_obj_end(&d->w);
    if (lc_jw_finish(&d->w) != LC_OK || lc_buf_terminate(&d->b) != LC_OK) {
        lc_log_msg(LC_LOG_WARN, "store.audit", "audit detail too long");
        *rc = LC_EINVAL;
        return NULL;
    }
    return d->b.data;
}

void lc__detail_text(lc__detail_t *d, const char *key, const char *value) {
    if (value == NULL)
        return;
    lc_jw_key(&d->w, key);
    lc_jw_cstr(&d->w, value);
}

int lc__jw_col(lc_jw_t *w, lc__stmt_t *st, int i) {
    const char *p = NULL;
    size_t n = 0;
    int rc = st->ops->col_text(st, i, &p, &n);
    if (rc != LC_OK)
        return rc;
    if (p == NULL)
        lc_jw_null(w);
    else
        lc_jw_str(w, lc_str_make(p, n));
    return LC_OK;
}

void lc__jw_perms(lc_jw_t *w, lc_permset_t p) {
    lc_jw_arr_begin(w);
    for (int i = 0; i < LC_PERM_COUNT; i++) {
        if (lc_permset_has(p, (lc_perm_t)i))
            lc_jw_cstr(w, lc_perm_name((lc_perm_t)i));
    }
    lc_jw_arr_end(w);
}

/* --- values ---------------------------------------------------------------------------------- */

const char *lc__active_name(lc_active_t v) {
    return v == LC_ACTIVE ? "active" : "deactivated";
}

lc_active_t lc__col_active(lc__stmt_t *st, int i) {
    return lc__col_is(st, i, "active") ? LC_ACTIVE : LC_DEACTIVATED;
}

lc_permset_t lc__perm_from_name(const char *name, size_t len) {
    lc_perm_t p;
    if (lc_perm_parse(lc_str_make(name, len), &p) != LC_OK)
        return LC_PERMSET_NONE;
    return lc_permset_of(p);
}

lc_permset_t lc__grant(const char *builtin, size_t builtin_len, const char *perm, size_t perm_len) {
    lc_permset_t p = LC_PERMSET_NONE;
    if (builtin != NULL && lc_str_eq(lc_str_make(builtin, builtin_len), LC_STR("console_admin")))
        p |= LC_PERMSET_ALL;
    if (perm != NULL)
        p |= lc__perm_from_name(perm, perm_len);
    return p;
}

int lc__col_grant(lc__stmt_t *st, int i, lc_permset_t *acc) {
    const char *b = NULL, *p = NULL;
    size_t bn = 0, pn = 0;
    int rc = st->ops->col_text(st, i, &b, &bn);
    if (rc == LC_OK)
        rc = st->ops->col_text(st, i + 1, &p, &pn);
    if (rc == LC_OK)
        *acc |= lc__grant(b, bn, p, pn);
    return rc;
}

int lc__perms_json_write(lc_buf_t *b, lc_permset_t p) {
    lc_jw_t w;
    lc_jw_init(&w, b);
    lc__jw_perms(&w, p);
    return lc_jw_finish(&w);
}

static size_t skip_ws(const char *s, size_t i, size_t n) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* array = "[" [ string *( "," string ) ] "]"   (RFC 8259 §5, whitespace allowed); a string
 * with an escape cannot be a catalog name, so it is read as an unknown one. */
lc_permset_t lc__perms_json_parse(const char *s, size_t n) {
    lc_permset_t p = LC_PERMSET_NONE;
    size_t i = skip_ws(s, 0, n);
    if (i >= n || s[i] != '[')
        return LC_PERMSET_NONE;
    i = skip_ws(s, i + 1, n);
    if (i < n && s[i] == ']')
        return LC_PERMSET_NONE; /* the empty subset */
    for (;;) {
        if (i >= n || s[i] != '"')
            return LC_PERMSET_NONE;
        size_t start = ++i;
        bool escaped = false;
        while (i < n && s[i] != '"') {
            if (s[i] == '\\') {
                escaped = true;
                i++;
            }
            i++;
        }
        if (i >= n)
            return LC_PERMSET_NONE;
        if (!escaped)
            p |= lc__perm_from_name(s + start, i - start);
        i = skip_ws(s, i + 1, n);
        if (i < n && s[i] == ',') {
            i = skip_ws(s, i + 1, n);
            continue;
        }
        if (i < n && s[i] == ']' && skip_ws(s, i + 1, n) == n)
            return p;
        return LC_PERMSET_NONE;
    }
}
