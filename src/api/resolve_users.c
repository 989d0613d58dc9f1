/* SPDX-License-Identifier: MIT */
/* Users: Query.users (filtered, paged), Query.user, the User type, and the mutations that
 * create, change, deactivate and reactivate users and give or take their roles. The rules of
 * no escalation live here: a role can only be given or taken by someone who holds every one of
 * its permissions, and a user's email or password can only be changed by someone who holds
 * every permission the user holds (else changing an admin's password would be a way in). */
#include <sodium.h>
#include <string.h>

#include "api_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"

#define LAST_ADMIN                                                                                 \
    "This user is the last active Console Admin of the tenant: give the Console Admin role to "    \
    "another active user first."
#define MAX_ROLE_IDS 64

int lc__api_user_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_user_t u = {0};
    int rc = id > 0 ? lc_store_user_get(c->store, info->arena, c->tenant_id, id, &u) : LC_ENOTFOUND;
    return lc__api_object_or_null(info, rc, &u, sizeof u, out);
}

/* A filter text: NULL when absent or empty. */
static int filter_text(const gql_resolve_info_t *info, const gql_val_t *filter, const char *name,
                       const char *field, const char **out) {
    *out = NULL;
    const gql_val_t *v = lc__api_in(filter, name);
    if (!v || (v->kind == GQL_VAL_STRING && v->s.len == 0))
        return LC_OK;
    return lc__api_text(info, v, field, 0, LC_LIMIT_EMAIL_MAX, out);
}

static int q_users(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_page_t page;
    int rc = lc__api_page(info, args, &page);
    if (rc != LC_OK)
        return rc;
    lc_user_filter_t f = {.status = -1};
    const gql_val_t *filter = lc__api_arg(info, args, "filter");
    if (filter && filter->kind == GQL_VAL_MAP) {
        if ((rc = filter_text(info, filter, "query", "filter.query", &f.query)) != LC_OK ||
            (rc = filter_text(info, filter, "name", "filter.name", &f.name_contains)) != LC_OK ||
            (rc = filter_text(info, filter, "email", "filter.email", &f.email_contains)) != LC_OK)
            return rc;
        /* An opaque ID typed into the search box finds that user. */
        int64_t qid;
        if (f.query && lc__api_id_parse(lc_str_from(f.query), "User", &qid)) {
            f.query = NULL;
            f.id = qid;
        }
        const gql_val_t *v;
        int64_t id;
        if ((v = lc__api_in(filter, "id"))) {
            /* A malformed ID, or another one than the query's, matches nobody. */
            if (!lc__api_id_arg(v, "User", &id) || (f.id && f.id != id))
                return lc__api_connection_empty(info, out);
            f.id = id;
        }
        if ((v = lc__api_in(filter, "roleId"))) {
            if (!lc__api_id_arg(v, "Role", &id))
                return lc__api_connection_empty(info, out);
            f.role_id = id;
        }
        if ((v = lc__api_in(filter, "status")))
            f.status = lc_str_eq_cstr(v->s, "ACTIVE") ? LC_ACTIVE : LC_DEACTIVATED;
    }
    lc_user_t *items = NULL;
    uint32_t n = 0;
    lc_page_info_t pi;
    rc = lc_store_users_list(c->store, info->arena, c->tenant_id, &f, &page, &items, &n, &pi);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    /* The page's roles are then read together, on the first User.roles (memo.c). */
    if ((rc = lc__api_memo_users(info, items, n)) != LC_OK)
        return rc;
    return lc__api_connection(info, items, sizeof *items, n, &page, &pi, out);
}

static int q_user(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out) {
    (void)parent;
    return lc__api_by_id(info, &args[0], "User", lc__api_user_val, out);
}

/* ---- User fields ------------------------------------------------------------------------------
 */

static int user_roles(const gql_resolve_info_t *info, const gql_val_t *parent,
                      const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_user_t *u = lc__api_rec(parent);
    const lc_role_t *roles = NULL;
    uint32_t n = 0;
    int rc = lc__api_user_roles(info, u, &roles, &n);
    if (rc != LC_OK)
        return rc;
    gql_val_t *items = lc_arena_alloc(info->arena, (n ? n : 1) * sizeof *items);
    if (!items)
        return LC_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        items[i] = gql_val_object(&roles[i], NULL);
    *out = gql_val_list(items, n);
    return LC_OK;
}

static int user_permissions(const gql_resolve_info_t *info, const gql_val_t *parent,
                            const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_user_t *u = lc__api_rec(parent);
    lc_permset_t perms;
    int rc = lc__api_user_perms(info, u, &perms);
    if (rc != LC_OK)
        return rc;
    return lc__api_perm_names(info->arena, perms, out);
}

static int user_enrollments(const gql_resolve_info_t *info, const gql_val_t *parent,
                            const gql_val_t *args, gql_val_t *out) {
    const lc_user_t *u = lc__api_rec(parent);
    lc_enrollment_filter_t f = {.user_id = u->id};
    return lc__api_enrollments_conn(info, args, &f, out);
}

/* ---- Mutations ---------------------------------------------------------------------------------
 */

/* The user of a mutation's ID argument, which must exist in the caller's tenant. */
static int target_user(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                       lc_user_t *u) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    int rc = lc__api_id_in(info, v, "User", "user", field, &id);
    if (rc != LC_OK)
        return rc;
    rc = lc_store_user_get(c->store, info->arena, c->tenant_id, id, u);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc, &(lc__api_store_msgs_t){.field = field, .notfound = "No user with this ID."});
    return LC_OK;
}

static int target_role(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                       lc_role_t *r) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    int rc = lc__api_id_in(info, v, "Role", "role", field, &id);
    if (rc != LC_OK)
        return rc;
    rc = lc_store_role_get(c->store, info->arena, c->tenant_id, id, r);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc, &(lc__api_store_msgs_t){.field = field, .notfound = "No role with this ID."});
    return LC_OK;
}

/* A Console password input (NULL: none): LC_LIMIT_PASSWORD_MIN..MAX bytes, and never set
 * through a developer token: a leaked token must not be able to open a Console session, where
 * it could generate its own successors (PRODUCT.md, No escalation). */
static int password_ok(const gql_resolve_info_t *info, const gql_val_t *pw) {
    if (!pw)
        return LC_OK;
    if (lc__api_ctx(info)->token_id != 0)
        return lc__api_fail(info, LC__API_FORBIDDEN, "input.password",
                            "A developer token cannot set Console passwords: set them in the "
                            "Console.");
    if (pw->kind != GQL_VAL_STRING || pw->s.len < LC_LIMIT_PASSWORD_MIN ||
        pw->s.len > LC_LIMIT_PASSWORD_MAX)
        return lc__api_fail(info, LC__API_BAD_INPUT, "input.password",
                            "input.password must be %d to %d bytes long.", LC_LIMIT_PASSWORD_MIN,
                            LC_LIMIT_PASSWORD_MAX);
    return LC_OK;
}

/* Hashes a password that passed password_ok with argon2id. */
static int password_in(const gql_resolve_info_t *info, const gql_val_t *v,
                       char hash[LC_PASSWORD_HASH_MAX]) {
    int rc = lc_password_hash(v->s.ptr, v->s.len, hash);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return LC_OK;
}

static int m_create_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    const gql_val_t *in = &args[0];
    const char *email = NULL, *name = NULL;
    int rc;
    if ((rc = lc__api_email(info, lc__api_in(in, "email"), "input.email", &email)) != LC_OK ||
        (rc = lc__api_text(info, lc__api_in(in, "name"), "input.name", 1, LC_LIMIT_NAME_MAX,
                           &name)) != LC_OK)
        return rc;
    const gql_val_t *pw = lc__api_in(in, "password");
    if ((rc = password_ok(info, pw)) != LC_OK)
        return rc;

    /* Roles: assign:roles, and every permission of each role. */
    const gql_val_t *rl = lc__api_in(in, "roleIds");
    int64_t *role_ids = NULL;
    uint32_t nroles = 0;
    if (rl && rl->count > 0) {
        if (!lc_permset_has(c->perms, LC_PERM_ASSIGN_ROLES))
            return lc__api_forbidden(info, LC_PERM_ASSIGN_ROLES,
                                     "You need the assign:roles permission to give roles to a "
                                     "new user.");
        if (rl->count > MAX_ROLE_IDS)
            return lc__api_fail(info, LC__API_BAD_INPUT, "input.roleIds",
                                "input.roleIds may name at most %d roles.", MAX_ROLE_IDS);
        role_ids = lc_arena_alloc(info->arena, rl->count * sizeof *role_ids);
        if (!role_ids)
            return LC_ENOMEM;
        lc_permset_t want = LC_PERMSET_NONE;
        for (uint32_t i = 0; i < rl->count; i++) {
            lc_role_t r;
            if ((rc = target_role(info, &rl->items[i], "input.roleIds", &r)) != LC_OK)
                return rc;
            bool dup = false;
            for (uint32_t k = 0; k < nroles; k++)
                dup |= role_ids[k] == r.id;
            if (!dup)
                role_ids[nroles++] = r.id;
            want |= r.permissions;
        }
        if ((rc = lc__api_require_subset(info, want, "assign a role with")) != LC_OK)
            return rc;
    }

    char hash[LC_PASSWORD_HASH_MAX];
    if (pw && (rc = password_in(info, pw, hash)) != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    lc_user_new_t u = {email, name, pw ? hash : NULL, role_ids, nroles};
    int64_t id = 0;
    rc = lc_store_user_create(c->store, &actor, &u, &id);
    sodium_memzero(hash, sizeof hash);
    if (rc == LC_ENOTFOUND)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "input.roleIds", .notfound = "No role with this ID."});
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "input.email",
                                    .exists = "A user with this email already exists."});
    return lc__api_user_val(info, id, out);
}

static int m_update_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_user_t u;
    int rc = target_user(info, &args[0], "id", &u);
    if (rc != LC_OK)
        return rc;
    const gql_val_t *in = &args[1];
    const char *name = NULL, *email = NULL;
    const gql_val_t *v;
    if ((v = lc__api_in(in, "name")) &&
        (rc = lc__api_text(info, v, "input.name", 1, LC_LIMIT_NAME_MAX, &name)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "email")) &&
        (rc = lc__api_email(info, v, "input.email", &email)) != LC_OK)
        return rc;
    const gql_val_t *pw = lc__api_in(in, "password");
    if ((rc = password_ok(info, pw)) != LC_OK)
        return rc;
    /* Who can log in as a user can do what they can: their email and password are theirs, or
     * of someone who holds at least their permissions. */
    if ((email || pw) && u.id != c->user_id) {
        lc_permset_t theirs;
        lc_active_t status;
        rc = lc_store_user_permissions(c->store, c->tenant_id, u.id, &theirs, &status);
        if (rc != LC_OK)
            return lc__api_store_error(info, rc, NULL);
        lc_permset_t lacking = theirs & ~c->perms;
        if (lacking) {
            lc_perm_t p = (lc_perm_t)__builtin_ctzll(lacking);
            return lc__api_forbidden(info, p,
                                     "You cannot change the email or password of a user who "
                                     "holds the %s permission: you do not hold it.",
                                     lc_perm_name(p));
        }
    }
    char hash[LC_PASSWORD_HASH_MAX];
    if (pw && (rc = password_in(info, pw, hash)) != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    /* Name, email and password in one transaction: an error changes none of them. */
    rc = lc_store_user_update(c->store, &actor, u.id, name, email, pw ? hash : NULL);
    if (pw)
        sodium_memzero(hash, sizeof hash);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = rc == LC_EEXIST ? "input.email" : "id",
                                    .exists = "A user with this email already exists.",
                                    .notfound = "No user with this ID."});
    return lc__api_user_val(info, u.id, out);
}

static int set_status(const gql_resolve_info_t *info, const gql_val_t *args, lc_active_t status,
                      gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    int rc = lc__api_id_in(info, &args[0], "User", "user", "id", &id);
    if (rc != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    rc = lc_store_user_set_status(c->store, &actor, id, status);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc,
                                   &(lc__api_store_msgs_t){.field = "id",
                                                           .notfound = "No user with this ID.",
                                                           .conflict = LAST_ADMIN});
    return lc__api_user_val(info, id, out);
}

static int m_deactivate_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                             const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    return set_status(info, args, LC_DEACTIVATED, out);
}

static int m_reactivate_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                             const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    return set_status(info, args, LC_ACTIVE, out);
}

static int role_change(const gql_resolve_info_t *info, const gql_val_t *args, bool assign,
                       gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_user_t u;
    lc_role_t r;
    int rc;
    if ((rc = target_user(info, &args[0], "userId", &u)) != LC_OK ||
        (rc = target_role(info, &args[1], "roleId", &r)) != LC_OK)
        return rc;
    rc = lc__api_require_subset(info, r.permissions,
                                assign ? "assign a role with" : "remove a role with");
    if (rc != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    rc = assign ? lc_store_role_assign(c->store, &actor, u.id, r.id)
                : lc_store_role_unassign(c->store, &actor, u.id, r.id);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "roleId",
                                    .notfound = assign ? "No user or role with this ID."
                                                       : "The user does not hold this role.",
                                    .conflict = LAST_ADMIN});
    return lc__api_user_val(info, u.id, out);
}

static int m_assign_role(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    return role_change(info, args, true, out);
}

static int m_unassign_role(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    return role_change(info, args, false, out);
}

static const lc__api_bind_t binds[] = {
    LC__API_RESOLVER("Query.users", q_users),
    LC__API_RESOLVER("Query.user", q_user),
    LC__API_ID("User.id", lc_user_t, id, "User"),
    LC__API_FIELD("User.email", lc__api_f_str, lc_user_t, email),
    LC__API_FIELD("User.name", lc__api_f_str, lc_user_t, name),
    LC__API_FIELD("User.status", lc__api_f_active, lc_user_t, status),
    LC__API_FIELD("User.canLogIn", lc__api_f_bool, lc_user_t, has_password),
    LC__API_FIELD("User.lastLoginAt", lc__api_f_time, lc_user_t, last_login_at),
    LC__API_FIELD("User.createdAt", lc__api_f_time, lc_user_t, created_at),
    LC__API_FIELD("User.updatedAt", lc__api_f_time, lc_user_t, updated_at),
    LC__API_RESOLVER("User.roles", user_roles),
    LC__API_RESOLVER("User.permissions", user_permissions),
    LC__API_RESOLVER("User.enrollments", user_enrollments),
    LC__API_RESOLVER("Mutation.createUser", m_create_user),
    LC__API_RESOLVER("Mutation.updateUser", m_update_user),
    LC__API_RESOLVER("Mutation.deactivateUser", m_deactivate_user),
    LC__API_RESOLVER("Mutation.reactivateUser", m_reactivate_user),
    LC__API_RESOLVER("Mutation.assignRole", m_assign_role),
    LC__API_RESOLVER("Mutation.unassignRole", m_unassign_role),
};

const lc__api_binds_t lc__api_users_binds = {binds, sizeof binds / sizeof binds[0]};
