/* SPDX-License-Identifier: MIT */
/* The per-request memo of the API (api_int.h): pages of users remembered by the resolvers that
 * list them, and their roles loaded once per page on first use, so that `users { roles }` costs
 * one store call for the page instead of one for each user. Runs inside gql_execute; everything
 * lives in the request arena, reached through lc_api_ctx_t.memo. */
#include <stdint.h>

#include "api_int.h"

typedef struct memo_page {
    struct memo_page *next;
    const lc_user_t *items;
    uint32_t n;
    lc_user_roles_t *roles; /* n entries once loaded, else NULL */
} memo_page_t;

typedef struct memo {
    memo_page_t *pages; /* newest first */
} memo_t;

static _Thread_local lc__api_memo_counts_t counts;
static _Thread_local bool disabled;

void lc__api_memo_counts(lc__api_memo_counts_t *out) {
    *out = counts;
}

void lc__api_memo_enable(bool on) {
    disabled = !on;
}

/* The context as the resolvers may change it: gql_request_t.context is not const, and the
 * memo is the one member the API writes. */
static lc_api_ctx_t *ctx_mut(const gql_resolve_info_t *info) {
    return (lc_api_ctx_t *)info->context;
}

int lc__api_memo_users(const gql_resolve_info_t *info, const lc_user_t *items, uint32_t n) {
    lc_api_ctx_t *c = ctx_mut(info);
    if (c == NULL || n == 0 || disabled)
        return LC_OK;
    memo_t *m = c->memo;
    if (m == NULL) {
        m = lc_arena_calloc(info->arena, 1, sizeof *m);
        if (m == NULL)
            return LC_ENOMEM;
        c->memo = m;
    }
    memo_page_t *p = lc_arena_calloc(info->arena, 1, sizeof *p);
    if (p == NULL)
        return LC_ENOMEM;
    *p = (memo_page_t){m->pages, items, n, NULL};
    m->pages = p;
    return LC_OK;
}

/* The page that holds the record u itself (not another record of the same user: a copy made
 * later, e.g. by a mutation, is read alone), with *i its index; NULL when none does. Addresses
 * are compared as integers: u may belong to no page at all. */
static memo_page_t *page_of(const lc_api_ctx_t *c, const lc_user_t *u, uint32_t *i) {
    const memo_t *m = c->memo;
    uintptr_t a = (uintptr_t)u;
    for (memo_page_t *p = m ? m->pages : NULL; p != NULL; p = p->next) {
        uintptr_t lo = (uintptr_t)p->items;
        if (a < lo || a >= lo + (uintptr_t)p->n * sizeof *p->items)
            continue;
        if ((a - lo) % sizeof *p->items != 0)
            continue;
        *i = (uint32_t)((a - lo) / sizeof *p->items);
        return p;
    }
    return NULL;
}

/* The roles of the page's users, loaded on first use. */
static int page_roles(const gql_resolve_info_t *info, memo_page_t *p) {
    if (p->roles != NULL) {
        counts.hits++;
        return LC_OK;
    }
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t *ids = lc_arena_alloc(info->arena, p->n * sizeof *ids);
    if (ids == NULL)
        return LC_ENOMEM;
    for (uint32_t k = 0; k < p->n; k++)
        ids[k] = p->items[k].id;
    counts.batch++;
    return lc_store_users_roles(c->store, info->arena, c->tenant_id, ids, p->n, &p->roles);
}

int lc__api_user_roles(const gql_resolve_info_t *info, const lc_user_t *u, const lc_role_t **out,
                       uint32_t *n) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    uint32_t i = 0;
    memo_page_t *p = page_of(c, u, &i);
    int rc;
    if (p != NULL) {
        rc = page_roles(info, p);
        if (rc != LC_OK)
            return lc__api_store_error(info, rc, NULL);
        *out = p->roles[i].roles;
        *n = p->roles[i].n;
        return LC_OK;
    }
    lc_role_t *roles = NULL;
    counts.single++;
    rc = lc_store_user_roles(c->store, info->arena, c->tenant_id, u->id, &roles, n);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    *out = roles;
    return LC_OK;
}

int lc__api_user_perms(const gql_resolve_info_t *info, const lc_user_t *u, lc_permset_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    uint32_t i = 0;
    memo_page_t *p = page_of(c, u, &i);
    int rc;
    if (p != NULL) {
        /* What lc_store_user_permissions computes: the union of the roles' permissions
         * (Console Admin: all of the catalog; Learner: none; a custom role: its rows). */
        rc = page_roles(info, p);
        if (rc != LC_OK)
            return lc__api_store_error(info, rc, NULL);
        lc_permset_t perms = LC_PERMSET_NONE;
        for (uint32_t k = 0; k < p->roles[i].n; k++)
            perms |= p->roles[i].roles[k].permissions;
        *out = perms;
        return LC_OK;
    }
    lc_active_t status;
    counts.single++;
    rc = lc_store_user_permissions(c->store, c->tenant_id, u->id, out, &status);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return LC_OK;
}
