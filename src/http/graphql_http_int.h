/* SPDX-License-Identifier: MIT */
/* Private to src/http: the GraphQL-over-HTTP envelope (method, Content-Type, Accept, body,
 * query parameters) read into the request parameters the engine needs, or refused with the
 * status the specification asks for. graphql_http.c feeds it from libmicrohttpd; unit tests and
 * the fuzz target call it directly, without a socket. It depends on jansson and lc_core only. */
#ifndef LECTERN_GRAPHQL_HTTP_INT_H
#define LECTERN_GRAPHQL_HTTP_INT_H

#include "gql/value.h"
#include "lectern/arena.h"
#include "lectern/http.h"
#include "lectern/status.h"
#include "lectern/str.h"

/* The media type of the answer. */
typedef enum lc_gqlhttp__media {
    LC_GQLHTTP__MEDIA_NONE = 0,         /* nothing the client accepts: 406 */
    LC_GQLHTTP__MEDIA_JSON,             /* application/json (legacy clients, the default) */
    LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE, /* application/graphql-response+json */
} lc_gqlhttp__media_t;

/* The Content-Type value for a media type, with "; charset=utf-8"; static. MEDIA_NONE gives the
 * application/json one (what a 406 is written in). */
const char *lc_gqlhttp__media_content_type(lc_gqlhttp__media_t m);

/* The media type to answer with, from an Accept value ({NULL,0} when the header is absent).
 * Each of the two types gets the q of the most specific range that matches it (RFC 9110
 * §12.5.1: "application/json" over "application/ANY" over "ANY/ANY"; q=0 excludes). Then:
 * application/graphql-response+json when the client lists it by name with a q at least as high
 * as application/json's; otherwise application/json when acceptable; otherwise
 * application/graphql-response+json when a wildcard admits it; otherwise MEDIA_NONE. An absent
 * or empty Accept is application/json (spec: legacy clients). Media-type parameters other than
 * q are ignored; a malformed q counts as 0. */
lc_gqlhttp__media_t lc_gqlhttp__accept_negotiate(lc_str_t accept);

/* True for application/json (any case) whose charset parameter, if present, is utf-8 (quoted or
 * not, any case): JSON text is UTF-8 (RFC 8259 §8.1). False for {NULL,0}. */
bool lc_gqlhttp__content_type_is_json(lc_str_t content_type);

/* Looks up a decoded query-string argument by name; {NULL,0} when absent. */
typedef lc_str_t (*lc_gqlhttp__query_fn)(void *ctx, const char *name);

/* What the envelope parser reads. All borrowed for the call; body and the query values must
 * live as long as the arena, since the parameters may point into them. */
typedef struct lc_gqlhttp__envelope_in {
    lc_http_method_t method;    /* GET and HEAD read the URL, POST the body; others get 405 */
    lc_str_t accept;            /* {NULL,0} when absent */
    lc_str_t content_type;      /* {NULL,0} when absent; only read for POST */
    lc_str_t body;              /* only read for POST */
    lc_gqlhttp__query_fn query; /* only called for GET and HEAD; NULL = no arguments */
    void *query_ctx;
} lc_gqlhttp__envelope_in_t;

/* The GraphQL-over-HTTP request parameters. Every pointer is *arena* (or points into the body
 * or the query values). */
typedef struct lc_gqlhttp__params {
    lc_gqlhttp__media_t media; /* JSON or GRAPHQL_RESPONSE */
    lc_str_t query;            /* present (ptr non-NULL), possibly empty, not yet parsed */
    lc_str_t operation_name;   /* ptr NULL when absent or null */
    gql_val_t variables;       /* GQL_VAL_MAP, or GQL_VAL_UNDEFINED when absent or null */
} lc_gqlhttp__params_t;

/* Why the envelope is refused: answer {"errors":[{"message": message}]} with status, in media,
 * and the header when header_name is not NULL. */
typedef struct lc_gqlhttp__refusal {
    lc_gqlhttp__media_t media; /* JSON or GRAPHQL_RESPONSE (JSON for a 406) */
    int status;                /* 400, 405, 406 or 415 */
    const char *message;       /* static or arena; valid UTF-8 is not guaranteed (escape it) */
    const char *header_name;   /* static; NULL for none */
    const char *header_value;  /* static */
} lc_gqlhttp__refusal_t;

/* Reads the envelope in this order: the method (405 with Allow unless GET, HEAD or POST), the
 * Accept header (406), then for POST the Content-Type (415 with Accept-Post), the body (400:
 * empty, not JSON, duplicate keys, nesting past jansson's 2048 levels, not an object) and its
 * parameters; for GET and HEAD the query, operationName, variables and extensions arguments
 * (variables and extensions are JSON text). Parameters of the wrong type get a 400: query must
 * be a string; operationName a string or null; variables and extensions an object or null.
 * Unknown parameters are ignored.
 *
 * Returns LC_OK with *out written; LC_EINVAL with *refusal written; LC_ENOMEM when the arena
 * (or jansson) runs out of memory, with neither written. Parsed JSON is released with the
 * arena (a deferred callback), also on failure. */
int lc_gqlhttp__envelope_parse(lc_arena_t *a, const lc_gqlhttp__envelope_in_t *in,
                               lc_gqlhttp__params_t *out,
                               lc_gqlhttp__refusal_t *refusal) LC_MUST_CHECK;

/* ---- Parsed-envelope cache (graphql_envelope_cache.c) ---- */

/* Bodies up to this size are cached (larger ones are parsed every time). */
#define LC_GQLHTTP__ENVELOPE_CACHE_BODY_MAX 2048u

/* Per worker thread, not thread-safe: the parsed parameters of recently seen POST bodies,
 * keyed by the exact body bytes. */
typedef struct lc_gqlhttp__envelope_cache lc_gqlhttp__envelope_cache_t;

/* LC_ENOMEM. *out owned: lc_gqlhttp__envelope_cache_destroy. */
int lc_gqlhttp__envelope_cache_create(lc_gqlhttp__envelope_cache_t **out) LC_MUST_CHECK;
void lc_gqlhttp__envelope_cache_destroy(lc_gqlhttp__envelope_cache_t *c);
/* True with *out set (query, operation_name and variables point into the cache, valid until the
 * next put on it; media is left for the caller to set) when this exact body was put before. */
bool lc_gqlhttp__envelope_cache_get(lc_gqlhttp__envelope_cache_t *c, lc_str_t body,
                                    lc_gqlhttp__params_t *out);
/* Keeps a copy of body's successfully parsed parameters (best effort; never fails). */
void lc_gqlhttp__envelope_cache_put(lc_gqlhttp__envelope_cache_t *c, lc_str_t body,
                                    const lc_gqlhttp__params_t *p);

#endif
