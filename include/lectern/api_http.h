/* SPDX-License-Identifier: MIT */
/* lectern's HTTP endpoints over the API and the authenticator: /api/graphql (GraphQL over HTTP,
 * opened by `Authorization: Bearer <token>` or by a Console session cookie + CSRF header, with
 * introspection allowed without credentials and rate limits on token requests), and the
 * Console's session endpoints /console/login, /console/logout and /console/session.
 * One authorization layer for integrations and the Console. */
#ifndef LECTERN_API_HTTP_H
#define LECTERN_API_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "gql/parse.h"
#include "lectern/api.h"
#include "lectern/auth.h"
#include "lectern/http.h"
#include "lectern/status.h"
#include "lectern/store.h"

typedef struct lc_api_http lc_api_http_t;

typedef struct lc_api_http_options {
    lc_store_t *store;         /* borrowed: outlives the endpoints */
    const lc_api_t *api;       /* borrowed */
    lc_auth_t *auth;           /* borrowed */
    bool secure_cookies;       /* Secure on cookies (also when X-Forwarded-Proto is https) */
    gql_parse_limits_t limits; /* zeros = engine defaults */
} lc_api_http_options_t;

/* LC_ENOMEM, LC_EINVAL. *out owned: lc_api_http_destroy after the HTTP server stopped. */
int lc_api_http_create(const lc_api_http_options_t *o, lc_api_http_t **out) LC_MUST_CHECK;
void lc_api_http_destroy(lc_api_http_t *h);

/* Writes the endpoints' routes (at most `max`) and returns how many there are (4). The
 * routes' ctx is h. */
size_t lc_api_http_routes(lc_api_http_t *h, lc_http_route_t *routes, size_t max);

#endif
