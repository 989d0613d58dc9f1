/* SPDX-License-Identifier: MIT */
/* lectern's GraphQL API: the schema of src/api/schema.graphql (embedded in the binary) with
 * every resolver bound, and the per-request context the authentication glue hands to it.
 *
 * Request path: HTTP -> GraphQL-over-HTTP (parse, validate) -> authentication fills an
 * lc_api_ctx_t -> gql_execute(schema = lc_api_schema(api), context = &ctx) -> resolvers here
 * -> the store (include/lectern/store.h), always scoped to ctx->tenant_id.
 *
 * Permissions: every field the SDL marks `@requires(permission: "...")` is checked before its
 * resolver runs, against ctx->perms; a field the caller may not read is null with a FORBIDDEN
 * error naming the permission (extensions.permission), and the other fields still resolve.
 *
 * Threads: an lc_api_t is built at start-up and then immutable: one is shared by every worker
 * thread. A context belongs to one request. */
#ifndef LECTERN_API_H
#define LECTERN_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gql/schema.h"
#include "lectern/limits.h"
#include "lectern/permission.h"
#include "lectern/status.h"
#include "lectern/store.h"

/* Page sizes of list fields: LC_LIMIT_API_PAGE_DEFAULT / LC_LIMIT_API_PAGE_MAX (limits.h). */
#define LC_API_PAGE_DEFAULT LC_LIMIT_API_PAGE_DEFAULT
#define LC_API_PAGE_MAX LC_LIMIT_API_PAGE_MAX

typedef struct lc_api lc_api_t;

/* What a request knows about its caller. The authentication glue fills it (after
 * lc_auth_bearer or lc_auth_session) and passes it as gql_request_t.context. Every pointer is
 * borrowed for the request. */
typedef struct lc_api_ctx {
    lc_store_t *store;  /* borrowed */
    int64_t tenant_id;  /* every store call is scoped to it */
    int64_t user_id;    /* the Console user, or the token's creator */
    int64_t token_id;   /* 0 = Console session */
    lc_permset_t perms; /* effective now (a token's: creator's live permissions & its subset) */
    const char *ip;     /* borrowed, may be NULL: recorded in audit events */
    int64_t now;        /* unix seconds of the request: token expiry, "in the future" checks */
    /* The API's per-request memo (src/api/memo.c): NULL when the request starts (the glue
     * zeroes the context), then set by the resolvers; lives in the request arena. A context
     * copied for a new request must start with it NULL again. */
    void *memo;
    /* Set by a resolver whose store call found the store unavailable (LC_EUNAVAILABLE: the
     * database cannot be reached); the HTTP glue then answers 503 with Retry-After. Starts
     * false. */
    bool store_unavailable;
} lc_api_ctx_t;

/* What a client is told when the store cannot be reached (with HTTP 503 and Retry-After). */
#define LC_API_STORE_UNAVAILABLE_MSG "The store is unavailable; retry shortly."
/* Seconds a client is asked to wait (Retry-After) before retrying then. */
#define LC_API_RETRY_AFTER_S "1"

/* Builds the API from the embedded schema.graphql: parses the SDL, binds every resolver and
 * the Date, DateTime and JSON scalars, and reads each field's @requires directive into its
 * user_tag (permission bit + 1; 0 = unguarded). Start-up fails (LC_EINVAL, every problem
 * logged as "api.schema") when the SDL does not build, when a field's description and its
 * directive disagree (the description must say "Requires `perm`." exactly for the directive's
 * permission, and a field without the directive must say no such thing), when a permission is
 * not in the catalog, when a root field or a guarded field has no resolver, or when a resolver
 * is bound to a coordinate the schema lacks. LC_ENOMEM. *out owned: lc_api_destroy. */
int lc_api_create(lc_api_t **out) LC_MUST_CHECK;

/* The same from another SDL text (borrowed for the call; tests use it to check that a broken
 * schema refuses to start). When err is not NULL, the first problem's text is written to it
 * (NUL-terminated, truncated to errlen). */
int lc_api_create_from_sdl(const char *sdl, size_t len, char *err, size_t errlen,
                           lc_api_t **out) LC_MUST_CHECK;

/* NULL is a no-op. After every request that uses the schema has ended. */
void lc_api_destroy(lc_api_t *api);

/* The executable schema (borrowed from api; immutable, shared by every thread). */
const gql_schema_t *lc_api_schema(const lc_api_t *api);

/* The embedded SDL text (static storage, NUL-terminated), e.g. for docs and tests. */
lc_str_t lc_api_sdl(void);

#endif
