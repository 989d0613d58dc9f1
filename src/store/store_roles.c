/* SPDX-License-Identifier: MIT */
/* Roles: reads (with their permissions and number of holders) and the writes to custom roles.
 * The two built-in roles take their permissions from the catalog in code (Console Admin: all of
 * it, so a permission added later is part of it at once; Learner: none) and cannot be edited
 * or deleted. Custom roles keep their permissions as rows of names. Backend-neutral. */
#include "store_int.h"

int lc__role_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_role_t *out) {
    int rc = LC_OK;
    lc_role_t r = {
        .id = lc__col_i64(st, col),
        .tenant_id = lc__col_i64(st, col + 1),
        .name = lc__col_str(st, col + 2, a, &rc),
        .description = lc__col_str(st, col + 3, a, &rc),
        .builtin = LC_ROLE_CUSTOM,
        .permissions = LC_PERMSET_NONE,
        .user_count = lc__col_i64(st, col + 5),
        .created_at = lc__col_i64(st, col + 6),
        .updated_at = lc__col_i64(st, col + 7),
    };
    if (lc__col_is(st, col + 4, "console_admin")) {
        r.builtin = LC_ROLE_CONSOLE_ADMIN;
        r.permissions = LC_PERMSET_ALL;
    } else if (lc__col_is(st, col + 4, "learner")) {
        r.builtin = LC_ROLE_LEARNER;
    }
    if (rc == LC_OK)
        *out = r;
    return rc;
}

int lc__roles_fill_perms(lc__db_t *db, int64_t tenant_id, lc_role_t *r, uint32_t n) {
    int64_t lo = INT64_MAX, hi = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (r[i].builtin != LC_ROLE_CUSTOM)
            continue;
        if (r[i].id < lo)
            lo = r[i].id;
        if (r[i].id > hi)
            hi = r[i].id;
    }
    if (hi == 0)
        return LC_OK; /* no custom role */
    lc__arg_t range[] = {LC__INT(tenant_id), LC__INT(lo), LC__INT(hi)};
    lc__stmt_t *st = NULL;
    bool row = false;
    int rc = lc__query(db, LC__Q_ROLE_PERMS_RANGE, range, LC__NARGS(range), &st);
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        int64_t id = lc__col_i64(st, 0);
        const char *name = NULL;
        size_t len = 0;
        rc = st->ops->col_text(st, 1, &name, &len);
        lc_permset_t p = name != NULL ? lc__perm_from_name(name, len) : LC_PERMSET_NONE;
        for (uint32_t i = 0; i < n && rc == LC_OK; i++) {
            if (r[i].id == id && r[i].builtin == LC_ROLE_CUSTOM)
                r[i].permissions |= p;
        }
    }
    lc__done(st);
    return rc;
}

static int read_role_item(lc__stmt_t *st, lc_arena_t *a, void *item) {
    return lc__role_read(st, 0, a, item);
}

int lc_store_role_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                      lc_role_t *out) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    lc_role_t r;
    if (s == NULL || arena == NULL || out == NULL)
        return LC_EINVAL;
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query_row(&db, LC__Q_ROLE_GET, tenant_id, id, &st);
    if (rc == LC_OK)
        rc = lc__role_read(st, 0, arena, &r);
    lc__done(st);
    if (rc == LC_OK)
        rc = lc__roles_fill_perms(&db, tenant_id, &r, 1);
    if (rc == LC_OK)
        *out = r;
    return rc;
}

int lc_store_roles_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, const lc_page_t *page,
                        lc_role_t **out, uint32_t *n, lc_page_info_t *info) {
    lc__db_t db;
    void *items = NULL;
    uint32_t got = 0;
    lc_page_info_t pi;
    if (s == NULL || arena == NULL || page == NULL || out == NULL || n == NULL || info == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(tenant_id)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__list(&db, arena, LC__Q_ROLES_COUNT, LC__Q_ROLES_PAGE, args, LC__NARGS(args), page,
                      sizeof(lc_role_t), read_role_item, &items, &got, &pi);
    if (rc == LC_OK)
        rc = lc__roles_fill_perms(&db, tenant_id, items, got);
    if (rc == LC_OK) {
        *out = items;
        *n = got;
        *info = pi;
    }
    return rc;
}

/* Replaces the permission rows of custom role `id` by p. */
static int set_perms(lc__db_t *db, int64_t tenant_id, int64_t id, lc_permset_t p) {
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(id)};
    int rc = lc__exec(db, LC__Q_ROLE_PERMS_CLEAR, key, LC__NARGS(key), NULL);
    for (int i = 0; i < LC_PERM_COUNT && rc == LC_OK; i++) {
        if (!lc_permset_has(p, (lc_perm_t)i))
            continue;
        lc__arg_t row[] = {LC__INT(tenant_id), LC__INT(id), LC__TEXT(lc_perm_name((lc_perm_t)i))};
        rc = lc__exec(db, LC__Q_ROLE_PERM_INSERT, row, LC__NARGS(row), NULL);
    }
    return rc;
}

int lc_store_role_create(lc_store_t *s, const lc_actor_t *actor, const char *name,
                         const char *description, lc_permset_t permissions, int64_t *id) {
    lc__db_t db;
    lc__detail_t d;
    int64_t rid = 0;
    if (s == NULL || actor == NULL || name == NULL || (permissions & ~LC_PERMSET_ALL) != 0)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t row[] = {LC__INT(actor->tenant_id), LC__TEXT(name),
                       LC__TEXT(description != NULL ? description : ""), LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_ROLE_INSERT, row, LC__NARGS(row), &rid);
    if (rc == LC_OK)
        rc = set_perms(&db, actor->tenant_id, rid, permissions);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "name");
    lc_jw_cstr(&d.w, name);
    lc_jw_key(&d.w, "permissions");
    lc__jw_perms(&d.w, permissions);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "role.create", "role", rid, detail);
    /* No generation: nobody holds the new role yet. */
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK && id != NULL)
        *id = rid;
    return rc;
}

/* The role's row for a write: LC_ENOTFOUND, LC_EDENIED for a built-in role (the schema's
 * triggers would refuse too, as LC_EINVAL: this says why). Its name and number of holders go
 * into d when d is not NULL. */
static int custom_role(lc__db_t *db, int64_t tenant_id, int64_t id, lc__detail_t *d) {
    lc__stmt_t *st = NULL;
    int rc = lc__query_row(db, LC__Q_ROLE_GET, tenant_id, id, &st);
    if (rc == LC_OK && !lc__col_null(st, 4))
        rc = LC_EDENIED;
    if (rc == LC_OK && d != NULL) {
        lc_jw_key(&d->w, "name");
        rc = lc__jw_col(&d->w, st, 2);
        lc_jw_key(&d->w, "users");
        lc_jw_i64(&d->w, lc__col_i64(st, 5));
    }
    lc__done(st);
    return rc;
}

int lc_store_role_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                         const char *description, bool set_permissions, lc_permset_t permissions) {
    lc__db_t db;
    lc__detail_t d;
    if (s == NULL || actor == NULL || (set_permissions && (permissions & ~LC_PERMSET_ALL) != 0))
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    rc = custom_role(&db, actor->tenant_id, id, NULL);
    if (rc != LC_OK || (name == NULL && description == NULL && !set_permissions))
        goto out;
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(id), LC__TEXT(name),
                        LC__TEXT(description), LC__INT(db.now)};
    rc = lc__exec(&db, LC__Q_ROLE_UPDATE, args, LC__NARGS(args), NULL);
    if (rc == LC_OK && set_permissions)
        rc = set_perms(&db, actor->tenant_id, id, permissions);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc__detail_text(&d, "name", name);
    lc__detail_text(&d, "description", description);
    if (set_permissions) {
        lc_jw_key(&d.w, "permissions");
        lc__jw_perms(&d.w, permissions);
    }
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "role.update", "role", id, detail);
    /* What the holders (and their tokens) may do changed. */
    db.bump = set_permissions;
out:
    return lc__db_end(&db, rc);
}

int lc_store_role_delete(lc_store_t *s, const lc_actor_t *actor, int64_t id) {
    lc__db_t db;
    lc__detail_t d;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    /* The detail keeps the name and how many held it: the row is gone afterwards. */
    lc__detail_begin(&d);
    rc = custom_role(&db, actor->tenant_id, id, &d);
    if (rc != LC_OK)
        goto out;
    lc__arg_t key[] = {LC__INT(actor->tenant_id), LC__INT(id)};
    rc = lc__exec(&db, LC__Q_ROLE_DELETE, key, LC__NARGS(key), NULL);
    if (rc != LC_OK)
        goto out;
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "role.delete", "role", id, detail);
    db.bump = true;
out:
    return lc__db_end(&db, rc);
}
