/* SPDX-License-Identifier: MIT */
/* Query.viewer (who is calling: the user, the token if one was used, the permissions in effect
 * and the tenant) and Query.permissions (the catalog). Neither needs a permission: every
 * authenticated caller may know who they are and what could be granted. */
#include "api_int.h"

static int q_viewer(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)parent;
    (void)args;
    /* The Viewer is the request's context itself: its fields read from it lazily. */
    *out = gql_val_object(lc__api_ctx(info), NULL);
    return LC_OK;
}

static int q_permissions(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    return lc__api_perm_objects(info->arena, LC_PERMSET_ALL, out);
}

static int viewer_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                       const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    if (!c)
        return LC_EINVAL;
    return lc__api_user_val(info, c->user_id, out);
}

static int viewer_token(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    if (!c)
        return LC_EINVAL;
    return lc__api_token_val(info, c->token_id, out);
}

static int viewer_permissions(const gql_resolve_info_t *info, const gql_val_t *parent,
                              const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    if (!c)
        return LC_EINVAL;
    return lc__api_perm_names(info->arena, c->perms, out);
}

static const char *const tenant_fields[] = {"id", "slug", "name"};

static int viewer_tenant(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    if (!c)
        return LC_EINVAL;
    lc_tenant_t t;
    int rc = lc_store_tenant_get(c->store, info->arena, c->tenant_id, &t);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    gql_val_t v[3];
    if (lc__api_id_val(info->arena, "Tenant", t.id, &v[0]) != LC_OK)
        return LC_ENOMEM;
    v[1] = lc__api_cstr(t.slug);
    v[2] = lc__api_cstr(t.name);
    return lc__api_map(info->arena, tenant_fields, v, 3, out);
}

static const lc__api_bind_t binds[] = {
    LC__API_RESOLVER("Query.viewer", q_viewer),
    LC__API_RESOLVER("Query.permissions", q_permissions),
    LC__API_RESOLVER("Viewer.user", viewer_user),
    LC__API_RESOLVER("Viewer.token", viewer_token),
    LC__API_RESOLVER("Viewer.permissions", viewer_permissions),
    LC__API_RESOLVER("Viewer.tenant", viewer_tenant),
};

const lc__api_binds_t lc__api_viewer_binds = {binds, sizeof binds / sizeof binds[0]};
