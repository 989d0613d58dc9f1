/* SPDX-License-Identifier: MIT */
/* Tenants: the bootstrap of a tenant (lectern init), reads by id and slug (login, token
 * authentication), and the per-tenant rate settings. Backend-neutral, over store_db.c. */
#include "store_int.h"

int lc__tenant_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_tenant_t *out) {
    int rc = LC_OK;
    lc_tenant_t t = {
        .id = lc__col_i64(st, col),
        .slug = lc__col_str(st, col + 1, a, &rc),
        .name = lc__col_str(st, col + 2, a, &rc),
        .rate_limit = lc__col_i64(st, col + 3),
        .rate_window_s = lc__col_i64(st, col + 4),
    };
    if (rc == LC_OK)
        *out = t;
    return rc;
}

int lc__tenant_bootstrap(lc_store_t *s, const lc_store_bootstrap_t *b, int64_t *tenant_id,
                         int64_t *admin_user_id) {
    lc__db_t db;
    int64_t tid = 0, admin_role = 0, learner_role = 0, uid = 0, added = 0;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;

    lc__arg_t tenant[] = {LC__TEXT(b->tenant_slug), LC__TEXT(b->tenant_name), LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_TENANT_INSERT, tenant, LC__NARGS(tenant), &tid);
    if (rc != LC_OK)
        goto out;

    lc__arg_t admin[] = {LC__INT(tid), LC__TEXT(LC__ROLE_ADMIN_NAME), LC__TEXT(LC__ROLE_ADMIN_DESC),
                         LC__TEXT("console_admin"), LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_ROLE_INSERT_BUILTIN, admin, LC__NARGS(admin), &admin_role);
    if (rc != LC_OK)
        goto out;
    lc__arg_t learner[] = {LC__INT(tid), LC__TEXT(LC__ROLE_LEARNER_NAME),
                           LC__TEXT(LC__ROLE_LEARNER_DESC), LC__TEXT("learner"), LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_ROLE_INSERT_BUILTIN, learner, LC__NARGS(learner), &learner_role);
    if (rc != LC_OK)
        goto out;

    lc__arg_t user[] = {LC__INT(tid), LC__TEXT(b->admin_email), LC__TEXT(b->admin_name),
                        LC__TEXT(b->admin_password_hash), LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_USER_INSERT, user, LC__NARGS(user), &uid);
    if (rc != LC_OK)
        goto out;
    lc__arg_t holds[] = {LC__INT(tid), LC__INT(uid), LC__INT(admin_role), LC__INT(db.now)};
    rc = lc__exec(&db, LC__Q_USER_ROLE_INSERT, holds, LC__NARGS(holds), &added);
    if (rc != LC_OK)
        goto out;

    /* The system (lectern init) is the actor, not a user. */
    lc_actor_t system = {.tenant_id = tid};
    rc = lc__audit(&db, &system, LC__AUDIT_TENANT_BOOTSTRAP, "tenant", tid, NULL);
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK) {
        if (tenant_id != NULL)
            *tenant_id = tid;
        if (admin_user_id != NULL)
            *admin_user_id = uid;
    }
    return rc;
}

int lc_store_tenant_count(lc_store_t *s, int64_t *n) {
    lc__db_t db;
    int64_t v = 0;
    if (s == NULL || n == NULL)
        return LC_EINVAL;
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec_i64(&db, LC__Q_TENANT_COUNT, NULL, 0, &v);
    if (rc == LC_OK)
        *n = v;
    return rc;
}

static int tenant_one(lc_store_t *s, lc_arena_t *arena, lc__q_t q, lc__arg_t key,
                      lc_tenant_t *out) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    bool row = false;
    if (s == NULL || arena == NULL || out == NULL)
        return LC_EINVAL;
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query(&db, q, &key, 1, &st);
    if (rc == LC_OK)
        rc = lc__step(st, &row);
    if (rc == LC_OK && !row)
        rc = LC_ENOTFOUND;
    if (rc == LC_OK)
        rc = lc__tenant_read(st, 0, arena, out);
    lc__done(st);
    return rc;
}

int lc_store_tenant_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, lc_tenant_t *out) {
    return tenant_one(s, arena, LC__Q_TENANT_GET, LC__INT(tenant_id), out);
}

int lc_store_tenant_by_slug(lc_store_t *s, lc_arena_t *arena, const char *slug, lc_tenant_t *out) {
    if (slug == NULL)
        return LC_EINVAL;
    return tenant_one(s, arena, LC__Q_TENANT_BY_SLUG, LC__TEXT(slug), out);
}

/* Rate settings travel with every token authentication, so caches must see the change. */
int lc_store_tenant_set_rate(lc_store_t *s, const lc_actor_t *actor, int64_t limit,
                             int64_t window_s) {
    lc__db_t db;
    lc__detail_t d;
    int64_t id = 0;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(limit), LC__INT(window_s),
                        LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_TENANT_SET_RATE, args, LC__NARGS(args), &id);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "rate_limit");
    lc_jw_i64(&d.w, limit);
    lc_jw_key(&d.w, "rate_window_s");
    lc_jw_i64(&d.w, window_s);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "tenant.rate", "tenant", actor->tenant_id, detail);
    db.bump = true;
out:
    return lc__db_end(&db, rc);
}
