/* SPDX-License-Identifier: MIT */
/* Users: reads and filters (Console user list, resolvers), their roles and live permissions,
 * and every write to a user: create, update, password, status, role assignment. Writes keep
 * the tenant's last active Console Admin (PRODUCT.md, No escalation) and end the sessions of a
 * user who is deactivated or gets a new password. Backend-neutral, over store_db.c. */
#include "store_int.h"

#include <string.h>

int lc__user_read(lc__stmt_t *st, int col, lc_arena_t *a, lc_user_t *out) {
    int rc = LC_OK;
    lc_user_t u = {
        .id = lc__col_i64(st, col),
        .tenant_id = lc__col_i64(st, col + 1),
        .email = lc__col_str(st, col + 2, a, &rc),
        .name = lc__col_str(st, col + 3, a, &rc),
        .status = lc__col_active(st, col + 4),
        .has_password = lc__col_i64(st, col + 5) != 0,
        .last_login_at = lc__col_i64(st, col + 6),
        .created_at = lc__col_i64(st, col + 7),
        .updated_at = lc__col_i64(st, col + 8),
    };
    if (rc == LC_OK)
        *out = u;
    return rc;
}

static int read_user_item(lc__stmt_t *st, lc_arena_t *a, void *item) {
    return lc__user_read(st, 0, a, item);
}

int lc_store_user_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                      lc_user_t *out) {
    return lc__get_one(s, arena, LC__Q_USER_GET, tenant_id, id, read_user_item, out);
}

/* "%text%" for LIKE ... ESCAPE '\', with the wildcards of text escaped; NULL for NULL text
 * (sets *rc on failure). */
static const char *contains(lc_arena_t *a, const char *text, int *rc) {
    if (text == NULL)
        return NULL;
    size_t n = strlen(text);
    char *p = lc_arena_alloc(a, 2 * n + 3);
    if (p == NULL) {
        *rc = LC_ENOMEM;
        return NULL;
    }
    size_t k = 0;
    p[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            p[k++] = '\\';
        p[k++] = text[i];
    }
    p[k++] = '%';
    p[k] = '\0';
    return p;
}

int lc_store_users_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                        const lc_user_filter_t *f, const lc_page_t *page, lc_user_t **out,
                        uint32_t *n, lc_page_info_t *info) {
    static const lc_user_filter_t any = {.status = -1};
    lc__db_t db;
    int rc = LC_OK;
    int64_t qid = 0;
    if (s == NULL || arena == NULL || page == NULL || out == NULL || n == NULL || info == NULL)
        return LC_EINVAL;
    if (f == NULL)
        f = &any;
    if (f->status != -1 && f->status != LC_ACTIVE && f->status != LC_DEACTIVATED)
        return LC_EINVAL;
    const char *query = contains(arena, f->query, &rc);
    const char *name = contains(arena, f->name_contains, &rc);
    const char *email = contains(arena, f->email_contains, &rc);
    if (rc != LC_OK)
        return rc;
    /* The query is also an id when it is a decimal number. */
    bool numeric =
        f->query != NULL && lc_str_to_i64(lc_str_from(f->query), 1, INT64_MAX, &qid) == LC_OK;
    lc__arg_t args[] = {
        LC__INT(tenant_id),
        LC__TEXT(query),
        numeric ? LC__INT(qid) : LC__NULL,
        LC__TEXT(name),
        LC__TEXT(email),
        LC__INT(f->id),
        LC__INT(f->role_id),
        LC__TEXT(f->status == -1 ? NULL : lc__active_name((lc_active_t)f->status)),
    };
    void *items = NULL;
    rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__list(&db, arena, LC__Q_USERS_COUNT, LC__Q_USERS_PAGE, args, LC__NARGS(args), page,
                      sizeof(lc_user_t), read_user_item, &items, n, info);
    if (rc == LC_OK)
        *out = items;
    return rc;
}

int lc_store_user_roles(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t user_id,
                        lc_role_t **out, uint32_t *n) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    lc_role_t *roles = NULL;
    uint32_t got = 0, cap = 0;
    bool row = false;
    if (s == NULL || arena == NULL || out == NULL || n == NULL)
        return LC_EINVAL;
    int rc = lc__db_read(s, &db);
    if (rc != LC_OK)
        goto out;
    /* A user of another tenant must not look like one without roles. */
    rc = lc__query_row(&db, LC__Q_USER_GET, tenant_id, user_id, &st);
    lc__done(st);
    st = NULL;
    if (rc != LC_OK)
        goto out;
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(user_id)};
    rc = lc__query(&db, LC__Q_USER_ROLES, key, LC__NARGS(key), &st);
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        if (got == cap) {
            uint32_t bigger = cap ? 2 * cap : 8;
            lc_role_t *r = lc_arena_calloc(arena, bigger, sizeof *r);
            if (r == NULL) {
                rc = LC_ENOMEM;
                break;
            }
            if (got > 0)
                memcpy(r, roles, got * sizeof *r);
            roles = r;
            cap = bigger;
        }
        rc = lc__role_read(st, 0, arena, &roles[got]);
        got++;
    }
    lc__done(st);
    st = NULL;
    if (rc == LC_OK)
        rc = lc__roles_fill_perms(&db, tenant_id, roles, got);
out:
    if (rc == LC_OK) {
        *out = roles;
        *n = got;
    }
    return rc;
}

/* One chunk of USERS_ROLES: rows appended to (*uids, *roles), growing them in the arena. */
static int users_roles_chunk(lc__db_t *db, lc_arena_t *arena, int64_t tenant_id, const int64_t *ids,
                             uint32_t n, int64_t **uids, lc_role_t **roles, uint32_t *got,
                             uint32_t *cap) {
    lc__arg_t args[1 + LC__USERS_ROLES_IDS];
    lc__stmt_t *st = NULL;
    bool row = false;
    args[0] = LC__INT(tenant_id);
    for (uint32_t k = 0; k < LC__USERS_ROLES_IDS; k++)
        args[1 + k] = LC__INT(ids[k < n ? k : n - 1]); /* padding repeats the last id */
    int rc = lc__query(db, LC__Q_USERS_ROLES, args, LC__NARGS(args), &st);
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        if (*got == *cap) {
            uint32_t bigger = *cap ? 2 * *cap : 32;
            int64_t *u = lc_arena_calloc(arena, bigger, sizeof *u);
            lc_role_t *r = lc_arena_calloc(arena, bigger, sizeof *r);
            if (u == NULL || r == NULL) {
                rc = LC_ENOMEM;
                break;
            }
            if (*got > 0) {
                memcpy(u, *uids, *got * sizeof *u);
                memcpy(r, *roles, *got * sizeof *r);
            }
            *uids = u;
            *roles = r;
            *cap = bigger;
        }
        (*uids)[*got] = lc__col_i64(st, 0);
        rc = lc__role_read(st, 1, arena, &(*roles)[*got]);
        (*got)++;
    }
    lc__done(st);
    return rc;
}

int lc_store_users_roles(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                         const int64_t *user_ids, uint32_t n, lc_user_roles_t **out) {
    lc__db_t db;
    int64_t *uids = NULL;
    lc_role_t *roles = NULL;
    uint32_t got = 0, cap = 0;
    if (s == NULL || arena == NULL || out == NULL || (n > 0 && user_ids == NULL))
        return LC_EINVAL;
    lc_user_roles_t *res = lc_arena_calloc(arena, n ? n : 1, sizeof *res);
    if (res == NULL)
        return LC_ENOMEM;
    int rc = n > 0 ? lc__db_read(s, &db) : LC_OK;
    for (uint32_t i = 0; i < n && rc == LC_OK; i += LC__USERS_ROLES_IDS) {
        uint32_t k = n - i < LC__USERS_ROLES_IDS ? n - i : LC__USERS_ROLES_IDS;
        rc = users_roles_chunk(&db, arena, tenant_id, user_ids + i, k, &uids, &roles, &got, &cap);
    }
    if (rc == LC_OK && got > 0)
        rc = lc__roles_fill_perms(&db, tenant_id, roles, got);
    if (rc != LC_OK)
        return rc;
    /* Each chunk's rows are grouped by user: a user's roles are the first run of its id (a
     * repeated id in a later chunk has the same rows again). */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = 0;
        while (k < got && uids[k] != user_ids[i])
            k++;
        uint32_t end = k;
        while (end < got && uids[end] == user_ids[i])
            end++;
        res[i] = (lc_user_roles_t){k < got ? &roles[k] : NULL, end - k};
    }
    *out = res;
    return LC_OK;
}

int lc_store_user_permissions(lc_store_t *s, int64_t tenant_id, int64_t user_id,
                              lc_permset_t *perms, lc_active_t *status) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    lc_permset_t p = LC_PERMSET_NONE;
    lc_active_t a = LC_DEACTIVATED;
    bool row = false, found = false;
    if (s == NULL || perms == NULL || status == NULL)
        return LC_EINVAL;
    int rc = lc__db_read(s, &db);
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(user_id)};
    if (rc == LC_OK)
        rc = lc__query(&db, LC__Q_USER_GRANTS, key, LC__NARGS(key), &st);
    while (rc == LC_OK) {
        rc = lc__step(st, &row);
        if (rc != LC_OK || !row)
            break;
        found = true;
        a = lc__col_active(st, 0);
        rc = lc__col_grant(st, 1, &p);
    }
    lc__done(st);
    if (rc == LC_OK && !found)
        rc = LC_ENOTFOUND;
    if (rc == LC_OK) {
        *perms = p;
        *status = a;
    }
    return rc;
}

/* --- writes ---------------------------------------------------------------------------------- */

int lc_store_user_create(lc_store_t *s, const lc_actor_t *actor, const lc_user_new_t *u,
                         int64_t *id) {
    lc__db_t db;
    lc__detail_t d;
    int64_t uid = 0;
    if (s == NULL || actor == NULL || u == NULL || (u->nroles > 0 && u->role_ids == NULL))
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t row[] = {LC__INT(actor->tenant_id), LC__TEXT(u->email), LC__TEXT(u->name),
                       LC__TEXT(u->password_hash), LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_USER_INSERT, row, LC__NARGS(row), &uid);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "email");
    lc_jw_cstr(&d.w, u->email);
    lc_jw_key(&d.w, "name");
    lc_jw_cstr(&d.w, u->name);
    lc_jw_key(&d.w, "password");
    lc_jw_bool(&d.w, u->password_hash != NULL);
    lc_jw_key(&d.w, "role_ids");
    lc_jw_arr_begin(&d.w);
    for (uint32_t i = 0; i < u->nroles && rc == LC_OK; i++) {
        /* An unknown role, or one of another tenant, fails the foreign key: LC_ENOTFOUND. */
        lc__arg_t holds[] = {LC__INT(actor->tenant_id), LC__INT(uid), LC__INT(u->role_ids[i]),
                             LC__INT(db.now)};
        rc = lc__exec(&db, LC__Q_USER_ROLE_INSERT, holds, LC__NARGS(holds), NULL);
        lc_jw_i64(&d.w, u->role_ids[i]);
    }
    lc_jw_arr_end(&d.w);
    if (rc != LC_OK)
        goto out;
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "user.create", "user", uid, detail);
    /* No generation: nothing can hold a token or a session of a user who did not exist. */
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK && id != NULL)
        *id = uid;
    return rc;
}

static int end_sessions(lc__db_t *db, int64_t tenant_id, int64_t user_id) {
    lc__arg_t args[] = {LC__INT(tenant_id), LC__INT(user_id)};
    return lc__exec(db, LC__Q_USER_SESSIONS_DELETE, args, LC__NARGS(args), NULL);
}

/* The password change of lc_store_user_set_password and lc_store_user_update, in db's
 * transaction. */
static int set_password(lc__db_t *db, const lc_actor_t *actor, int64_t id,
                        const char *password_hash) {
    lc__detail_t d;
    int64_t got = 0;
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(id), LC__TEXT(password_hash),
                        LC__INT(db->now)};
    int rc = lc__exec_i64(db, LC__Q_USER_SET_PASSWORD, args, LC__NARGS(args), &got);
    if (rc == LC_OK)
        rc = end_sessions(db, actor->tenant_id, id);
    if (rc != LC_OK)
        return rc;
    /* Whether a password is set now; never the hash. */
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "password");
    lc_jw_bool(&d.w, password_hash != NULL);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(db, actor, "user.password", "user", id, detail);
    db->bump = true;
    return rc;
}

int lc_store_user_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                         const char *email, const char *password_hash) {
    lc__db_t db;
    lc__detail_t d;
    lc__stmt_t *st = NULL;
    int64_t got = 0;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    if (name == NULL && email == NULL) {
        /* No field to change: only whether the user is there (and the password, if any). */
        rc = lc__query_row(&db, LC__Q_USER_GET, actor->tenant_id, id, &st);
        lc__done(st);
    } else {
        lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(id), LC__TEXT(name), LC__TEXT(email),
                            LC__INT(db.now)};
        rc = lc__exec_i64(&db, LC__Q_USER_UPDATE, args, LC__NARGS(args), &got);
        if (rc == LC_OK) {
            lc__detail_begin(&d);
            lc__detail_text(&d, "name", name);
            lc__detail_text(&d, "email", email);
            const char *detail = lc__detail_end(&d, &rc);
            if (rc == LC_OK)
                rc = lc__audit(&db, actor, "user.update", "user", id, detail);
        }
    }
    if (rc == LC_OK && password_hash != NULL)
        rc = set_password(&db, actor, id, password_hash);
out:
    return lc__db_end(&db, rc);
}

int lc_store_user_set_password(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                               const char *password_hash) {
    lc__db_t db;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc == LC_OK)
        rc = set_password(&db, actor, id, password_hash);
    return lc__db_end(&db, rc);
}

/* LC_ECONFLICT when user_id is the last active holder of Console Admin in the tenant (the
 * caller knows the user is active and is about to stop counting). Inside the write
 * transaction, so that two admins cannot remove each other at the same time. */
static int not_last_admin(lc__db_t *db, int64_t tenant_id, int64_t user_id) {
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(user_id)};
    int64_t is_admin = 0, others = 0;
    int rc = lc__exec_i64(db, LC__Q_USER_IS_ADMIN, key, LC__NARGS(key), &is_admin);
    if (rc != LC_OK || is_admin == 0)
        return rc;
    rc = lc__exec_i64(db, LC__Q_OTHER_ACTIVE_ADMINS, key, LC__NARGS(key), &others);
    if (rc == LC_OK && others == 0)
        rc = LC_ECONFLICT;
    return rc;
}

int lc_store_user_set_status(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                             lc_active_t status) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    int64_t got = 0;
    if (s == NULL || actor == NULL || (status != LC_ACTIVE && status != LC_DEACTIVATED))
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    rc = lc__query_row(&db, LC__Q_USER_GET, actor->tenant_id, id, &st);
    lc_active_t current = rc == LC_OK ? lc__col_active(st, 4) : LC_ACTIVE;
    lc__done(st);
    if (rc != LC_OK || current == status)
        goto out; /* the same status: nothing to do, nothing to audit */
    if (status == LC_DEACTIVATED) {
        rc = not_last_admin(&db, actor->tenant_id, id);
        if (rc != LC_OK)
            goto out;
    }
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(id), LC__TEXT(lc__active_name(status)),
                        LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_USER_SET_STATUS, args, LC__NARGS(args), &got);
    if (rc == LC_OK && status == LC_DEACTIVATED)
        rc = end_sessions(&db, actor->tenant_id, id);
    if (rc == LC_OK) {
        const char *action = status == LC_DEACTIVATED ? "user.deactivate" : "user.reactivate";
        rc = lc__audit(&db, actor, action, "user", id, NULL);
    }
    db.bump = true;
out:
    return lc__db_end(&db, rc);
}

/* Reads the user and the role of an assignment: LC_ENOTFOUND when the tenant has no such user
 * or role. *status is the user's; *admin tells whether the role is Console Admin; the role's id
 * and name go into the detail, which this begins. */
static int assignment(lc__db_t *db, int64_t tenant_id, int64_t user_id, int64_t role_id,
                      lc_active_t *status, bool *admin, lc__detail_t *d) {
    lc__stmt_t *st = NULL;
    int rc = lc__query_row(db, LC__Q_USER_GET, tenant_id, user_id, &st);
    if (rc == LC_OK)
        *status = lc__col_active(st, 4);
    lc__done(st);
    if (rc != LC_OK)
        return rc;
    lc__detail_begin(d);
    st = NULL;
    rc = lc__query_row(db, LC__Q_ROLE_GET, tenant_id, role_id, &st);
    if (rc == LC_OK) {
        *admin = lc__col_is(st, 4, "console_admin");
        lc_jw_key(&d->w, "role_id");
        lc_jw_i64(&d->w, role_id);
        lc_jw_key(&d->w, "role");
        rc = lc__jw_col(&d->w, st, 2);
    }
    lc__done(st);
    return rc;
}

int lc_store_role_assign(lc_store_t *s, const lc_actor_t *actor, int64_t user_id, int64_t role_id) {
    lc__db_t db;
    lc__detail_t d;
    int64_t added = 0;
    lc_active_t status = LC_ACTIVE; /* reported by assignment(); only unassign needs it */
    bool admin = false;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc == LC_OK)
        rc = assignment(&db, actor->tenant_id, user_id, role_id, &status, &admin, &d);
    if (rc != LC_OK)
        goto out;
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(user_id), LC__INT(role_id),
                        LC__INT(db.now)};
    rc = lc__exec(&db, LC__Q_USER_ROLE_INSERT, args, LC__NARGS(args), &added);
    if (rc != LC_OK || added == 0)
        goto out; /* already held: nothing changed */
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "role.assign", "user", user_id, detail);
    db.bump = true;
out:
    return lc__db_end(&db, rc);
}

int lc_store_role_unassign(lc_store_t *s, const lc_actor_t *actor, int64_t user_id,
                           int64_t role_id) {
    lc__db_t db;
    lc__detail_t d;
    int64_t removed = 0;
    lc_active_t status = LC_DEACTIVATED;
    bool admin = false;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc == LC_OK)
        rc = assignment(&db, actor->tenant_id, user_id, role_id, &status, &admin, &d);
    if (rc != LC_OK)
        goto out;
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(user_id), LC__INT(role_id)};
    rc = lc__exec(&db, LC__Q_USER_ROLE_DELETE, args, LC__NARGS(args), &removed);
    if (rc == LC_OK && removed == 0)
        rc = LC_ENOTFOUND; /* the user does not hold the role */
    if (rc != LC_OK)
        goto out;
    /* A deactivated admin does not count: removing their role leaves the others as they are. */
    if (admin && status == LC_ACTIVE) {
        int64_t others = 0;
        lc__arg_t key[] = {LC__INT(actor->tenant_id), LC__INT(user_id)};
        rc = lc__exec_i64(&db, LC__Q_OTHER_ACTIVE_ADMINS, key, LC__NARGS(key), &others);
        if (rc == LC_OK && others == 0)
            rc = LC_ECONFLICT;
        if (rc != LC_OK)
            goto out;
    }
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "role.unassign", "user", user_id, detail);
    db.bump = true;
out:
    return lc__db_end(&db, rc);
}
