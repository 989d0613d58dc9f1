/* SPDX-License-Identifier: MIT */
/* GraphQL over HTTP (the GraphQL-over-HTTP specification, 2024 draft, as graphql-http's audit
 * checks it): one handler for POST application/json and GET query parameters, Accept
 * negotiation between application/graphql-response+json and application/json, the status
 * codes of each case, and errors for a malformed envelope. Shared by the songs benchmark server
 * and lectern's /api/graphql, which adds authentication through the `admit` hook.
 *
 * Request path: envelope (jansson) -> document cache (parse + validate, per worker thread) ->
 * operation selection (GET may not mutate) -> admit hook -> gql_execute into the response
 * buffer. */
#ifndef LECTERN_GRAPHQL_HTTP_H
#define LECTERN_GRAPHQL_HTTP_H

#include "gql/execute.h"
#include "gql/parse.h"
#include "gql/schema.h"
#include "lectern/http.h"
#include "lectern/status.h"

typedef struct lc_gql_http lc_gql_http_t;

/* What the hooks see of a request. `content_type` is the negotiated response media type
 * (with charset), to use for an answer a hook writes itself. document and operation are NULL
 * for the authenticate hook, which runs before the query is parsed. */
typedef struct lc_gql_http_op {
    const char *content_type;
    const gql_document_t *document;
    const gql_operation_definition_t *operation;
    bool introspection_only; /* every root field is __schema, __type or __typename; computed
                                only when no context was set (else false) */
} lc_gql_http_op_t;

/* A hook deciding whether the request may go on. Return LC_OK to go on, possibly setting
 * *context (handed to resolvers; in/out: the admit hook sees what authenticate set) and adding
 * response headers; or fill resp completely (status, headers, body) and return any other
 * status to answer with it instead. Runs on the worker thread of the request.
 * - authenticate: after the envelope is read, before the query is parsed, so that bad
 *   credentials are refused before any GraphQL work and every authenticated request counts
 *   against rate limits;
 * - admit: after parsing, validation and operation selection (e.g. to let introspection-only
 *   operations run without credentials). */
typedef int (*lc_gql_http_admit_fn)(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp,
                                    const lc_gql_http_op_t *op, void **context);

/* A hook after execution: resp holds the result (status, content type, body) and may be
 * adjusted from what the resolvers recorded in context (e.g. a 503 with Retry-After when the
 * storage behind them was unavailable). Returns LC_OK, or a failure for the server's 500. */
typedef int (*lc_gql_http_done_fn)(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp,
                                   void *context);

typedef struct lc_gql_http_options {
    const gql_schema_t *schema;        /* borrowed; must outlive the handler */
    const gql_val_t *root_value;       /* borrowed; NULL = null */
    gql_parse_limits_t limits;         /* zeros = engine defaults */
    uint32_t cache_entries;            /* per worker thread; 0 = engine default */
    size_t cache_bytes;                /* per worker thread; 0 = engine default */
    uint32_t max_errors;               /* per response; 0 = 100 */
    lc_gql_http_admit_fn authenticate; /* NULL = none */
    lc_gql_http_admit_fn admit;        /* NULL = everything is admitted */
    lc_gql_http_done_fn done;          /* NULL = none */
    void *admit_ctx;                   /* ctx of the three hooks */
} lc_gql_http_options_t;

/* *out owned: lc_gql_http_destroy after the HTTP server has stopped. LC_ENOMEM, LC_EINVAL. */
int lc_gql_http_create(const lc_gql_http_options_t *o, lc_gql_http_t **out) LC_MUST_CHECK;
void lc_gql_http_destroy(lc_gql_http_t *h);

/* An lc_http_handler_fn: register it with ctx = the lc_gql_http_t for GET and POST. */
int lc_gql_http_handle(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp);

#endif
