/* SPDX-License-Identifier: MIT */
/* Developer tokens: Query.developerTokens / developerToken, the DeveloperToken type, and
 * createDeveloperToken / updateDeveloperToken (PRODUCT.md, "Developer tokens"). The secret of a
 * new token exists in three places only, for the length of one request: the stack buffer it is
 * generated into (wiped at once), the request arena that carries it into the response, and the
 * response itself. The store gets its SHA-256 and a display hint; audit details, logs and
 * error messages never see it. */
#include <sodium.h>
#include <string.h>

#include "api_int.h"
#include "lectern/limits.h"
#include "lectern/log.h"
#include "lectern/token.h"

/* Tokens read at most when a status filter must be applied here (the store filters by stored
 * status only; EXPIRED depends on the request's time). Far above any real tenant's count. */
#define TOKEN_SCAN_MAX 10000u

int lc__api_token_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_devtoken_t t = {0};
    int rc =
        id > 0 ? lc_store_token_get(c->store, info->arena, c->tenant_id, id, &t) : LC_ENOTFOUND;
    return lc__api_object_or_null(info, rc, &t, sizeof t, out);
}

typedef enum token_status { TS_ACTIVE, TS_DEACTIVATED, TS_EXPIRED } token_status_t;

/* What a token is now: expired once its expiry has passed, whatever its stored status. */
static token_status_t status_of(const lc_devtoken_t *t, int64_t now) {
    if (t->expires_at && t->expires_at <= now)
        return TS_EXPIRED;
    return t->status == LC_ACTIVE ? TS_ACTIVE : TS_DEACTIVATED;
}

/* The tokens of filter f whose status now is `want`, paged here: the store cannot see time. */
static int tokens_by_status(const gql_resolve_info_t *info, const lc_token_filter_t *f,
                            token_status_t want, const lc_page_t *page, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_devtoken_t *sel = lc_arena_alloc(info->arena, (page->first ? page->first : 1) * sizeof *sel);
    if (!sel)
        return LC_ENOMEM;
    uint32_t n = 0, seen = 0;
    lc_page_info_t res = {false, 0};
    lc_page_t sp = {0, LC_API_PAGE_MAX};
    for (;;) {
        lc_devtoken_t *items = NULL;
        uint32_t cnt = 0;
        lc_page_info_t pi;
        int rc =
            lc_store_tokens_list(c->store, info->arena, c->tenant_id, f, &sp, &items, &cnt, &pi);
        if (rc != LC_OK)
            return lc__api_store_error(info, rc, NULL);
        for (uint32_t i = 0; i < cnt; i++) {
            if (status_of(&items[i], c->now) != want)
                continue;
            res.total++;
            if (page->after != 0 &&
                (f->newest_first ? items[i].id >= page->after : items[i].id <= page->after))
                continue;
            if (n < page->first)
                sel[n++] = items[i];
            else
                res.has_next = true;
        }
        seen += cnt;
        if (!pi.has_next || cnt == 0)
            break;
        if (seen >= TOKEN_SCAN_MAX) {
            lc_log_msg(LC_LOG_WARN, "api.tokens",
                       "developer token list by status stopped after %u tokens", seen);
            break;
        }
        sp.after = items[cnt - 1].id;
    }
    return lc__api_connection(info, sel, sizeof *sel, n, page, &res, out);
}

static int q_tokens(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_page_t page;
    int rc = lc__api_page(info, args, &page);
    if (rc != LC_OK)
        return rc;
    lc_token_filter_t f = {.creator_id = 0, .status = -1, .newest_first = false};
    const gql_val_t *order = lc__api_arg(info, args, "orderBy");
    const gql_val_t *v;
    /* Validation has checked the enum; CREATED_AT is the only field and follows the ids. */
    if ((v = lc__api_in(order, "direction")))
        f.newest_first = lc_str_eq_cstr(v->s, "DESC");
    const gql_val_t *filter = lc__api_arg(info, args, "filter");
    if ((v = lc__api_in(filter, "creatorId")) && !lc__api_id_arg(v, "User", &f.creator_id))
        return lc__api_connection_empty(info, out);
    if ((v = lc__api_in(filter, "status"))) {
        token_status_t want = lc_str_eq_cstr(v->s, "ACTIVE")        ? TS_ACTIVE
                              : lc_str_eq_cstr(v->s, "DEACTIVATED") ? TS_DEACTIVATED
                                                                    : TS_EXPIRED;
        if (want != TS_EXPIRED)
            f.status = want == TS_ACTIVE ? LC_ACTIVE : LC_DEACTIVATED;
        return tokens_by_status(info, &f, want, &page, out);
    }
    lc_devtoken_t *items = NULL;
    uint32_t n = 0;
    lc_page_info_t pi;
    rc = lc_store_tokens_list(c->store, info->arena, c->tenant_id, &f, &page, &items, &n, &pi);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return lc__api_connection(info, items, sizeof *items, n, &page, &pi, out);
}

static int q_token(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out) {
    (void)parent;
    return lc__api_by_id(info, &args[0], "DeveloperToken", lc__api_token_val, out);
}

/* ---- DeveloperToken fields ------------------------------------------------------------------ */

static int token_creator(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_devtoken_t *t = lc__api_rec(parent);
    return lc__api_user_val(info, t->creator_id, out);
}

static int token_status(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)args;
    static const char *const names[] = {"ACTIVE", "DEACTIVATED", "EXPIRED"};
    const lc_devtoken_t *t = lc__api_rec(parent);
    *out = gql_val_enum(lc_str_from(names[status_of(t, lc__api_ctx(info)->now)]));
    return LC_OK;
}

static int token_subset(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_devtoken_t *t = lc__api_rec(parent);
    if (!t->has_subset) {
        *out = gql_val_null();
        return LC_OK;
    }
    return lc__api_perm_names(info->arena, t->subset, out);
}

static int token_effective(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    const lc_devtoken_t *t = lc__api_rec(parent);
    lc_permset_t perms = LC_PERMSET_NONE;
    lc_active_t creator = LC_DEACTIVATED;
    int rc = lc_store_user_permissions(c->store, c->tenant_id, t->creator_id, &perms, &creator);
    if (rc != LC_OK && rc != LC_ENOTFOUND)
        return lc__api_store_error(info, rc, NULL);
    /* Live: the creator's permissions now, none once the creator is deactivated. */
    if (rc != LC_OK || creator != LC_ACTIVE)
        perms = LC_PERMSET_NONE;
    if (t->has_subset)
        perms &= t->subset;
    return lc__api_perm_names(info->arena, perms, out);
}

/* ---- Mutations ---------------------------------------------------------------------------------
 */

static const char *const payload_fields[] = {"token", "secret"};

/* Runs when the request's arena is released: the arena copy of a secret does not outlive the
 * request in freed memory. */
static void wipe_secret(void *p) {
    sodium_memzero(p, LC_TOKEN_LEN);
}

static int m_create_token(const gql_resolve_info_t *info, const gql_val_t *parent,
                          const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    /* A leaked token must not be able to mint its own successors (PRODUCT.md, No escalation). */
    if (c->token_id != 0)
        return lc__api_fail(info, LC__API_FORBIDDEN, NULL,
                            "A developer token cannot create developer tokens: generate one in "
                            "the Console (Settings > API Tokens) or with `lectern token create`.");
    const gql_val_t *in = &args[0];
    const gql_val_t *v;
    const char *name = NULL;
    int rc = lc__api_text(info, lc__api_in(in, "name"), "input.name", 1, LC_LIMIT_NAME_MAX, &name);
    if (rc != LC_OK)
        return rc;
    lc_token_new_t t = {.creator_id = c->user_id, .name = name};
    if ((v = lc__api_in(in, "expiresAt"))) {
        if ((rc = lc__api_time_in(info, v, "input.expiresAt", false, &t.expires_at)) != LC_OK)
            return rc;
        if (t.expires_at <= c->now)
            return lc__api_fail(info, LC__API_BAD_INPUT, "input.expiresAt",
                                "input.expiresAt must be in the future.");
    }
    if ((v = lc__api_in(in, "permissions"))) {
        if ((rc = lc__api_perms_in(info, v, "input.permissions", &t.subset)) != LC_OK)
            return rc;
        t.has_subset = true;
        /* The subset may only name what the creator holds now (with a session: ctx->perms). */
        if ((rc = lc__api_require_subset(info, t.subset, "give a token")) != LC_OK)
            return rc;
    }

    char secret[LC_TOKEN_LEN + 1];
    uint8_t hash[LC_TOKEN_HASH_LEN];
    char hint[LC_TOKEN_HINT_MAX];
    char *shown = NULL;
    rc = lc_token_generate(secret);
    if (rc == LC_OK) {
        lc_str_t s = lc_str_make(secret, LC_TOKEN_LEN);
        lc_token_hash(s, hash);
        lc_token_hint(s, hint);
        /* The copy the response is written from; made before storing, so that running out of
         * memory cannot leave a token nobody ever saw. */
        shown = lc_arena_strndup(info->arena, secret, LC_TOKEN_LEN);
        if (!shown)
            rc = LC_ENOMEM;
        else if ((rc = lc_arena_defer(info->arena, wipe_secret, shown)) != LC_OK)
            sodium_memzero(shown, LC_TOKEN_LEN);
    }
    sodium_memzero(secret, sizeof secret);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    t.hash = hash;
    t.hint = hint;
    lc_actor_t actor = lc__api_actor(c);
    int64_t id = 0;
    rc = lc_store_token_create(c->store, &actor, &t, &id);
    gql_val_t vals[2];
    if (rc == LC_OK)
        rc = lc__api_token_val(info, id, &vals[0]);
    else
        rc = lc__api_store_error(info, rc, NULL);
    if (rc == LC_OK && vals[0].kind == GQL_VAL_NULL)
        rc = lc__api_store_error(info, LC_ESTORE, NULL);
    if (rc != LC_OK) {
        sodium_memzero(shown, LC_TOKEN_LEN);
        return rc;
    }
    vals[1] = gql_val_str(lc_str_make(shown, LC_TOKEN_LEN));
    return lc__api_map(info->arena, payload_fields, vals, 2, out);
}

static int m_update_token(const gql_resolve_info_t *info, const gql_val_t *parent,
                          const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    int rc = lc__api_id_in(info, &args[0], "DeveloperToken", "developer token", "id", &id);
    if (rc != LC_OK)
        return rc;
    const gql_val_t *in = &args[1];
    const gql_val_t *v;
    const char *name = NULL;
    int status = -1;
    if ((v = lc__api_in(in, "name")) &&
        (rc = lc__api_text(info, v, "input.name", 1, LC_LIMIT_NAME_MAX, &name)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "active")))
        status = v->b ? LC_ACTIVE : LC_DEACTIVATED;
    lc_actor_t actor = lc__api_actor(c);
    rc = lc_store_token_update(c->store, &actor, id, name, status);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "id", .notfound = "No developer token with this ID."});
    return lc__api_token_val(info, id, out);
}

static const lc__api_bind_t binds[] = {
    LC__API_RESOLVER("Query.developerTokens", q_tokens),
    LC__API_RESOLVER("Query.developerToken", q_token),
    LC__API_ID("DeveloperToken.id", lc_devtoken_t, id, "DeveloperToken"),
    LC__API_FIELD("DeveloperToken.name", lc__api_f_str, lc_devtoken_t, name),
    LC__API_FIELD("DeveloperToken.hint", lc__api_f_str, lc_devtoken_t, hint),
    LC__API_RESOLVER("DeveloperToken.creator", token_creator),
    LC__API_RESOLVER("DeveloperToken.status", token_status),
    LC__API_FIELD("DeveloperToken.createdAt", lc__api_f_time, lc_devtoken_t, created_at),
    LC__API_FIELD("DeveloperToken.updatedAt", lc__api_f_time, lc_devtoken_t, updated_at),
    LC__API_FIELD("DeveloperToken.lastUsedAt", lc__api_f_time, lc_devtoken_t, last_used_at),
    LC__API_FIELD("DeveloperToken.lastUsedIp", lc__api_f_str, lc_devtoken_t, last_used_ip),
    LC__API_FIELD("DeveloperToken.expiresAt", lc__api_f_time, lc_devtoken_t, expires_at),
    LC__API_RESOLVER("DeveloperToken.permissionSubset", token_subset),
    LC__API_RESOLVER("DeveloperToken.effectivePermissions", token_effective),
    LC__API_RESOLVER("Mutation.createDeveloperToken", m_create_token),
    LC__API_RESOLVER("Mutation.updateDeveloperToken", m_update_token),
};

const lc__api_binds_t lc__api_tokens_binds = {binds, sizeof binds / sizeof binds[0]};
