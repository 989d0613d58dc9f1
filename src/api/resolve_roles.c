/* SPDX-License-Identifier: MIT */
/* Roles: Query.roles, Query.role, the Role type, and createRole / updateRole / deleteRole. A
 * role may only hold permissions its author holds (no escalation), and the two built-in roles
 * (Console Admin, Learner) cannot be changed or deleted. */
#include "api_int.h"
#include "lectern/limits.h"

#define ROLE_DESCRIPTION_MAX 1000
#define BUILTIN_DENIED "Built-in roles (Console Admin, Learner) cannot be changed or deleted."

int lc__api_role_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_role_t r = {0};
    int rc = id > 0 ? lc_store_role_get(c->store, info->arena, c->tenant_id, id, &r) : LC_ENOTFOUND;
    return lc__api_object_or_null(info, rc, &r, sizeof r, out);
}

static int q_roles(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_page_t page;
    int rc = lc__api_page(info, args, &page);
    if (rc != LC_OK)
        return rc;
    lc_role_t *items = NULL;
    uint32_t n = 0;
    lc_page_info_t pi;
    rc = lc_store_roles_list(c->store, info->arena, c->tenant_id, &page, &items, &n, &pi);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return lc__api_connection(info, items, sizeof *items, n, &page, &pi, out);
}

static int q_role(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out) {
    (void)parent;
    return lc__api_by_id(info, &args[0], "Role", lc__api_role_val, out);
}

/* ---- Role fields ------------------------------------------------------------------------------
 */

static int role_kind(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)info;
    (void)args;
    const lc_role_t *r = lc__api_rec(parent);
    const char *k = r->builtin == LC_ROLE_CONSOLE_ADMIN ? "CONSOLE_ADMIN"
                    : r->builtin == LC_ROLE_LEARNER     ? "LEARNER"
                                                        : "CUSTOM";
    *out = gql_val_enum(lc_str_from(k));
    return LC_OK;
}

static int role_builtin(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    const lc_role_t *r = lc__api_rec(parent);
    *out = gql_val_bool(r->builtin != LC_ROLE_CUSTOM);
    return LC_OK;
}

static int role_permissions(const gql_resolve_info_t *info, const gql_val_t *parent,
                            const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_role_t *r = lc__api_rec(parent);
    return lc__api_perm_objects(info->arena, r->permissions, out);
}

/* ---- Mutations ---------------------------------------------------------------------------------
 */

/* Name, description and permissions of a role input; each NULL / false when absent. */
typedef struct role_in {
    const char *name;
    const char *description;
    bool has_perms;
    lc_permset_t perms;
} role_in_t;

static int read_role_in(const gql_resolve_info_t *info, const gql_val_t *in, role_in_t *r) {
    const gql_val_t *v;
    int rc;
    *r = (role_in_t){0};
    if ((v = lc__api_in(in, "name")) &&
        (rc = lc__api_text(info, v, "input.name", 1, LC_LIMIT_NAME_MAX, &r->name)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "description")) &&
        (rc = lc__api_text_lines(info, v, "input.description", 0, ROLE_DESCRIPTION_MAX,
                                 &r->description)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "permissions"))) {
        if ((rc = lc__api_perms_in(info, v, "input.permissions", &r->perms)) != LC_OK)
            return rc;
        r->has_perms = true;
        /* No escalation: a role holds only what its author holds. */
        if ((rc = lc__api_require_subset(info, r->perms, "grant")) != LC_OK)
            return rc;
    }
    return LC_OK;
}

static int m_create_role(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    role_in_t r;
    int rc = read_role_in(info, &args[0], &r);
    if (rc != LC_OK)
        return rc;
    if (!r.name)
        return lc__api_fail(info, LC__API_BAD_INPUT, "input.name", "input.name is required.");
    lc_actor_t actor = lc__api_actor(c);
    int64_t id = 0;
    rc = lc_store_role_create(c->store, &actor, r.name, r.description ? r.description : "", r.perms,
                              &id);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "input.name",
                                    .exists = "A role with this name already exists."});
    return lc__api_role_val(info, id, out);
}

/* The custom role of a mutation's ID argument. */
static int custom_role(const gql_resolve_info_t *info, const gql_val_t *v, lc_role_t *r) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    int rc = lc__api_id_in(info, v, "Role", "role", "id", &id);
    if (rc != LC_OK)
        return rc;
    rc = lc_store_role_get(c->store, info->arena, c->tenant_id, id, r);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc, &(lc__api_store_msgs_t){.field = "id", .notfound = "No role with this ID."});
    if (r->builtin != LC_ROLE_CUSTOM)
        return lc__api_fail(info, LC__API_FORBIDDEN, "id", BUILTIN_DENIED);
    return LC_OK;
}

static int m_update_role(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_role_t role;
    role_in_t r;
    int rc;
    if ((rc = custom_role(info, &args[0], &role)) != LC_OK ||
        (rc = read_role_in(info, &args[1], &r)) != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    rc = lc_store_role_update(c->store, &actor, role.id, r.name, r.description, r.has_perms,
                              r.perms);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = rc == LC_EEXIST ? "input.name" : "id",
                                    .exists = "A role with this name already exists.",
                                    .notfound = "No role with this ID.",
                                    .denied = BUILTIN_DENIED});
    return lc__api_role_val(info, role.id, out);
}

static int m_delete_role(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_role_t role;
    int rc = custom_role(info, &args[0], &role);
    if (rc != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    rc = lc_store_role_delete(c->store, &actor, role.id);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc,
                                   &(lc__api_store_msgs_t){.field = "id",
                                                           .notfound = "No role with this ID.",
                                                           .denied = BUILTIN_DENIED});
    return lc__api_id_val(info->arena, "Role", role.id, out);
}

static const lc__api_bind_t binds[] = {
    LC__API_RESOLVER("Query.roles", q_roles),
    LC__API_RESOLVER("Query.role", q_role),
    LC__API_ID("Role.id", lc_role_t, id, "Role"),
    LC__API_FIELD("Role.name", lc__api_f_str, lc_role_t, name),
    LC__API_FIELD("Role.description", lc__api_f_str, lc_role_t, description),
    LC__API_RESOLVER("Role.kind", role_kind),
    LC__API_RESOLVER("Role.builtIn", role_builtin),
    LC__API_RESOLVER("Role.permissions", role_permissions),
    LC__API_FIELD("Role.userCount", lc__api_f_int, lc_role_t, user_count),
    LC__API_FIELD("Role.createdAt", lc__api_f_time, lc_role_t, created_at),
    LC__API_FIELD("Role.updatedAt", lc__api_f_time, lc_role_t, updated_at),
    LC__API_RESOLVER("Mutation.createRole", m_create_role),
    LC__API_RESOLVER("Mutation.updateRole", m_update_role),
    LC__API_RESOLVER("Mutation.deleteRole", m_delete_role),
};

const lc__api_binds_t lc__api_roles_binds = {binds, sizeof binds / sizeof binds[0]};
