/* SPDX-License-Identifier: MIT */
/* The audit log: Query.auditEvents (newest first) and the AuditEvent type. Events are written by
 * the store with every change; here they are only read. Who did something (actor, actorToken)
 * is guarded by the permission to read users and tokens, so that read:audit_events alone does
 * not open the user directory. */
#include <string.h>

#include "api_int.h"

#define ACTION_MAX 64

static int q_audit(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_page_t page;
    int rc = lc__api_page(info, args, &page);
    if (rc != LC_OK)
        return rc;
    lc_audit_filter_t f = {0};
    const gql_val_t *filter = lc__api_arg(info, args, "filter");
    const gql_val_t *v;
    if ((v = lc__api_in(filter, "actorId")) && !lc__api_id_arg(v, "User", &f.actor_user_id))
        return lc__api_connection_empty(info, out);
    if ((v = lc__api_in(filter, "action")) &&
        (rc = lc__api_text(info, v, "filter.action", 1, ACTION_MAX, &f.action)) != LC_OK)
        return rc;
    if ((v = lc__api_in(filter, "since")) &&
        (rc = lc__api_time_in(info, v, "filter.since", false, &f.since)) != LC_OK)
        return rc;
    if ((v = lc__api_in(filter, "until")) &&
        (rc = lc__api_time_in(info, v, "filter.until", false, &f.until)) != LC_OK)
        return rc;
    /* 0 means "open" to the store: an instant of exactly the epoch is open anyway for `since`,
     * and nothing is before it for `until`. */
    if (lc__api_in(filter, "until") && f.until == 0)
        return lc__api_connection_empty(info, out);
    lc_audit_event_t *items = NULL;
    uint32_t n = 0;
    lc_page_info_t pi;
    rc = lc_store_audit_list(c->store, info->arena, c->tenant_id, &f, &page, &items, &n, &pi);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return lc__api_connection(info, items, sizeof *items, n, &page, &pi, out);
}

static int audit_actor(const gql_resolve_info_t *info, const gql_val_t *parent,
                       const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_audit_event_t *e = lc__api_rec(parent);
    return lc__api_user_val(info, e->actor_user_id, out);
}

static int audit_token(const gql_resolve_info_t *info, const gql_val_t *parent,
                       const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_audit_event_t *e = lc__api_rec(parent);
    return lc__api_token_val(info, e->actor_token_id, out);
}

/* The target's opaque ID: its stored type "developer_token" is the API's "DeveloperToken". */
static int audit_target_id(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_audit_event_t *e = lc__api_rec(parent);
    *out = gql_val_null();
    if (!e->target_type || e->target_id <= 0)
        return LC_OK;
    char type[65];
    size_t n = 0;
    bool up = true;
    for (const char *p = e->target_type; *p && n + 1 < sizeof type; p++) {
        if (*p == '_') {
            up = true;
            continue;
        }
        type[n++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        up = false;
    }
    type[n] = '\0';
    return lc__api_id_val(info->arena, type, e->target_id, out);
}

static int audit_detail(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    const lc_audit_event_t *e = lc__api_rec(parent);
    /* Already JSON (the database checks it): written verbatim. */
    if (e->detail)
        *out = (gql_val_t){.kind = GQL_VAL_RAW, .s = lc_str_from(e->detail)};
    else
        *out = gql_val_null();
    return LC_OK;
}

static const lc__api_bind_t binds[] = {
    LC__API_RESOLVER("Query.auditEvents", q_audit),
    LC__API_ID("AuditEvent.id", lc_audit_event_t, id, "AuditEvent"),
    LC__API_FIELD("AuditEvent.action", lc__api_f_str, lc_audit_event_t, action),
    LC__API_RESOLVER("AuditEvent.actor", audit_actor),
    LC__API_RESOLVER("AuditEvent.actorToken", audit_token),
    LC__API_FIELD("AuditEvent.targetType", lc__api_f_str, lc_audit_event_t, target_type),
    LC__API_RESOLVER("AuditEvent.targetId", audit_target_id),
    LC__API_FIELD("AuditEvent.ip", lc__api_f_str, lc_audit_event_t, ip),
    LC__API_RESOLVER("AuditEvent.detail", audit_detail),
    LC__API_FIELD("AuditEvent.createdAt", lc__api_f_time, lc_audit_event_t, created_at),
};

const lc__api_binds_t lc__api_audit_binds = {binds, sizeof binds / sizeof binds[0]};
