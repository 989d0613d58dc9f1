/* SPDX-License-Identifier: MIT */
/* Developer tokens: generation (the hash and hint only: the secret never reaches the store),
 * reads, rename / deactivate / reactivate, and the authentication read that every API request
 * makes on a cache miss: the token, its creator's status and live permissions and the tenant's
 * rate settings in one statement. Backend-neutral, over store_db.c. */
#include "store_int.h"

#include <string.h>

#include "lectern/token.h"

/* developer_tokens.permissions of 18 names: well under this. */
#define PERMS_JSON_MAX 2048

int lc__token_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_devtoken_t *out) {
    int rc = LC_OK;
    const char *perms = NULL;
    size_t perms_len = 0;
    lc_devtoken_t t = {
        .id = lc__col_i64(st, col),
        .tenant_id = lc__col_i64(st, col + 1),
        .creator_id = lc__col_i64(st, col + 2),
        .name = lc__col_str(st, col + 3, a, &rc),
        .hint = lc__col_str(st, col + 4, a, &rc),
        .status = lc__col_active(st, col + 5),
        .expires_at = lc__col_i64(st, col + 7),
        .last_used_at = lc__col_i64(st, col + 8),
        .last_used_ip = lc__col_str(st, col + 9, a, &rc),
        .created_at = lc__col_i64(st, col + 10),
        .updated_at = lc__col_i64(st, col + 11),
    };
    int prc = st->ops->col_text(st, col + 6, &perms, &perms_len);
    if (rc == LC_OK)
        rc = prc;
    /* NULL: every permission the creator holds; else the subset (unknown names dropped). */
    t.has_subset = perms != NULL;
    t.subset = perms != NULL ? lc__perms_json_parse(perms, perms_len) : LC_PERMSET_NONE;
    if (rc == LC_OK)
        *out = t;
    return rc;
}

static int read_token_item(lc__stmt_t *st, lc_arena_t *a, void *item) {
    return lc__token_read(st, 0, a, item);
}

int lc_store_token_create(lc_store_t *s, const lc_actor_t *actor, const lc_token_new_t *t,
                          int64_t *id) {
    lc__db_t db;
    lc__detail_t d;
    lc_buf_t perms;
    char perms_mem[PERMS_JSON_MAX];
    int64_t tid = 0;
    if (s == NULL || actor == NULL || t == NULL || t->hash == NULL || t->name == NULL ||
        t->hint == NULL || (t->has_subset && (t->subset & ~LC_PERMSET_ALL) != 0))
        return LC_EINVAL;
    lc_buf_init_fixed(&perms, perms_mem, sizeof perms_mem);
    if (t->has_subset &&
        (lc__perms_json_write(&perms, t->subset) != LC_OK || lc_buf_terminate(&perms) != LC_OK))
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t row[] = {LC__INT(actor->tenant_id), LC__INT(t->creator_id),
                       LC__TEXT(t->name),         LC__BLOB(t->hash, LC_TOKEN_HASH_LEN),
                       LC__TEXT(t->hint),         LC__TEXT(t->has_subset ? perms.data : NULL),
                       LC__OPT(t->expires_at),    LC__INT(db.now)};
    /* A creator of another tenant fails the foreign key: LC_ENOTFOUND. */
    rc = lc__exec_i64(&db, LC__Q_TOKEN_INSERT, row, LC__NARGS(row), &tid);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "name");
    lc_jw_cstr(&d.w, t->name);
    lc_jw_key(&d.w, "creator_id");
    lc_jw_i64(&d.w, t->creator_id);
    lc_jw_key(&d.w, "permissions");
    if (t->has_subset)
        lc__jw_perms(&d.w, t->subset);
    else
        lc_jw_null(&d.w);
    lc_jw_key(&d.w, "expires_at");
    if (t->expires_at != 0)
        lc_jw_i64(&d.w, t->expires_at);
    else
        lc_jw_null(&d.w);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "token.create", "developer_token", tid, detail);
    db.bump = true;
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK && id != NULL)
        *id = tid;
    return rc;
}

int lc_store_token_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                       lc_devtoken_t *out) {
    return lc__get_one(s, arena, LC__Q_TOKEN_GET, tenant_id, id, read_token_item, out);
}

int lc_store_tokens_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                         const lc_token_filter_t *f, const lc_page_t *page, lc_devtoken_t **out,
                         uint32_t *n, lc_page_info_t *info) {
    static const lc_token_filter_t any = {.status = -1};
    lc__db_t db;
    void *items = NULL;
    if (s == NULL || arena == NULL || page == NULL || out == NULL || n == NULL || info == NULL)
        return LC_EINVAL;
    if (f == NULL)
        f = &any;
    if (f->status != -1 && f->status != LC_ACTIVE && f->status != LC_DEACTIVATED)
        return LC_EINVAL;
    lc__arg_t args[] = {
        LC__INT(tenant_id),
        LC__INT(f->creator_id),
        LC__TEXT(f->status == -1 ? NULL : lc__active_name((lc_active_t)f->status)),
    };
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__list(&db, arena, LC__Q_TOKENS_COUNT,
                      f->newest_first ? LC__Q_TOKENS_PAGE_DESC : LC__Q_TOKENS_PAGE, args,
                      LC__NARGS(args), page, sizeof(lc_devtoken_t), read_token_item, &items, n,
                      info);
    if (rc == LC_OK)
        *out = items;
    return rc;
}

int lc_store_token_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                          int status) {
    lc__db_t db;
    lc__detail_t d;
    lc__stmt_t *st = NULL;
    bool rename = false, restatus = false;
    if (s == NULL || actor == NULL ||
        (status != -1 && status != LC_ACTIVE && status != LC_DEACTIVATED))
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    rc = lc__query_row(&db, LC__Q_TOKEN_GET, actor->tenant_id, id, &st);
    if (rc == LC_OK) {
        rename = name != NULL && !lc__col_is(st, 3, name);
        restatus = status != -1 && lc__col_active(st, 5) != (lc_active_t)status;
        if (rename) {
            lc_jw_key(&d.w, "name");
            lc_jw_cstr(&d.w, name);
            lc_jw_key(&d.w, "previous_name");
            rc = lc__jw_col(&d.w, st, 3);
        }
    }
    lc__done(st);
    if (rc != LC_OK || (!rename && !restatus))
        goto out; /* nothing changes: nothing to audit */
    if (restatus) {
        lc_jw_key(&d.w, "status");
        lc_jw_cstr(&d.w, lc__active_name((lc_active_t)status));
    }
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(id), LC__TEXT(rename ? name : NULL),
                        LC__TEXT(restatus ? lc__active_name((lc_active_t)status) : NULL),
                        LC__INT(db.now)};
    rc = lc__exec(&db, LC__Q_TOKEN_UPDATE, args, LC__NARGS(args), NULL);
    if (rc != LC_OK)
        goto out;
    const char *action = "token.update";
    if (!rename)
        action = status == LC_DEACTIVATED ? "token.deactivate" : "token.reactivate";
    else if (!restatus)
        action = "token.rename";
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, action, "developer_token", id, detail);
    db.bump = restatus;
out:
    return lc__db_end(&db, rc);
}

/* Columns of TOKEN_AUTH after the token's. */
enum { AUTH_CREATOR_STATUS = LC__NCOLS_TOKEN, AUTH_RATE_LIMIT, AUTH_RATE_WINDOW, AUTH_GRANT };

int lc_store_token_auth(lc_store_t *s, lc_arena_t *arena, const uint8_t hash[32],
                        lc_token_auth_t *out) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    lc_token_auth_t a = {0};
    bool row = false, found = false;
    if (s == NULL || arena == NULL || hash == NULL || out == NULL)
        return LC_EINVAL;
    lc__arg_t key[] = {LC__BLOB(hash, LC_TOKEN_HASH_LEN)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query(&db, LC__Q_TOKEN_AUTH, key, LC__NARGS(key), &st);
    /* One row per grant of the creator (one with NULLs when they hold no role). */
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        if (!found) {
            found = true;
            rc = lc__token_read(st, 0, arena, &a.token);
            a.creator_status = lc__col_active(st, AUTH_CREATOR_STATUS);
            a.tenant_rate_limit = lc__col_i64(st, AUTH_RATE_LIMIT);
            a.tenant_rate_window_s = lc__col_i64(st, AUTH_RATE_WINDOW);
        }
        if (rc == LC_OK)
            rc = lc__col_grant(st, AUTH_GRANT, &a.creator_permissions);
    }
    lc__done(st);
    if (rc == LC_OK && !found)
        rc = LC_ENOTFOUND;
    if (rc == LC_OK)
        *out = a;
    return rc;
}

int lc_store_token_touch(lc_store_t *s, int64_t token_id, int64_t now, const char *ip) {
    lc__db_t db;
    int64_t got = 0;
    if (s == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(token_id), LC__INT(now), LC__TEXT(ip)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec_i64(&db, LC__Q_TOKEN_TOUCH, args, LC__NARGS(args), &got);
    /* Not written: used in the last minute (by another node, say), or no such token. */
    if (rc == LC_ENOTFOUND)
        rc = lc__exec_i64(&db, LC__Q_TOKEN_EXISTS, args, 1, &got);
    return rc;
}
