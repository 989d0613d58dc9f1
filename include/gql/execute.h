/* SPDX-License-Identifier: MIT */
/* Execution (Oct 2021 §6) of a validated document, writing the response JSON straight into one
 * buffer in selection order: no tree of intermediate values. Null propagation (§6.4.4) rewinds
 * the buffer to where the nearest nullable parent began and writes null there.
 *
 * Also the per-thread cache of parsed and validated documents, keyed by query text, so that a
 * repeated query costs neither parsing nor validation. */
#ifndef GQL_EXECUTE_H
#define GQL_EXECUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "gql/ast.h"
#include "gql/diag.h"
#include "gql/parse.h"
#include "gql/schema.h"
#include "gql/value.h"
#include "lectern/arena.h"
#include "lectern/buf.h"

typedef struct gql_exec gql_exec_t;           /* internal state of one execution */
typedef struct gql_doc_cache gql_doc_cache_t; /* see below */

/* What a resolver knows about the field it resolves. Borrowed for the resolver call. */
struct gql_resolve_info {
    const gql_schema_t *schema;
    const gql_schema_field_t *field;      /* field->user_tag carries application data */
    const gql_schema_type_t *parent_type; /* the concrete object type */
    const gql_field_t *node;              /* the first field node of the merged set */
    const gql_path_t *path;               /* response path of this field */
    lc_arena_t *arena;                    /* the request arena, for results */
    void *context;                        /* gql_request_t.context */
    gql_exec_t *exec;
};

/* Records a field error at info's path and field location, with extensions.code `code` (may be
 * NULL) and a printf-formatted message; returns the diagnostic for extra extensions (NULL on
 * ENOMEM). The resolver then returns a non-LC_OK status (e.g. LC_EDENIED). A resolver that
 * fails without recording an error gets a generic "Internal error" with code
 * INTERNAL_SERVER_ERROR (its status is logged by the application, not shown). */
gql_diag_t *gql_field_error(const gql_resolve_info_t *info, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds an extension to a diagnostic made by gql_field_error. */
int gql_field_error_ext(const gql_resolve_info_t *info, gql_diag_t *d, const char *key,
                        lc_str_t value) LC_MUST_CHECK;

typedef struct gql_request {
    const gql_schema_t *schema;
    const gql_document_t *document; /* parsed and validated against schema */
    lc_str_t operation_name;        /* ptr NULL: the document's only operation */
    const gql_val_t *variables;     /* raw (JSON-like) GQL_VAL_MAP, or NULL for none */
    const gql_val_t *root_value;    /* parent of root fields; NULL = null */
    void *context;                  /* handed to resolvers */
    uint32_t max_errors;            /* 0 = unlimited */
    /* Optional: the cache whose last gql_doc_cache_get returned `document`. Its entry then keeps
     * the execution plan (collected fields, constant arguments) across requests; without it the
     * plan is rebuilt in `arena` on each execution. Borrowed. */
    gql_doc_cache_t *doc_cache;
} gql_request_t;

typedef struct gql_result {
    bool request_error; /* no "data" key: operation not found or variables invalid (§7.1.2) */
    bool data_null;     /* "data": null after propagation to the root */
    uint32_t nerrors;
} gql_result_t;

/* Selects the operation (§6.1 GetOperation) without executing it, e.g. to refuse a mutation
 * over GET. LC_ENOTFOUND (no operation of that name, or none), LC_EINVAL (several operations and
 * no name); *out written on LC_OK. */
int gql_select_operation(const gql_document_t *doc, lc_str_t operation_name,
                         const gql_operation_definition_t **out) LC_MUST_CHECK;

/* Executes and appends the whole response object to `out`:
 * {"data":...} / {"data":...,"errors":[...]} / {"errors":[...]} for request errors.
 * Everything is allocated in `arena`. Returns LC_OK whenever a response was written (errors
 * included); LC_ENOMEM / LC_ELIMIT when `out` or the arena ran out (the response is then
 * incomplete and the caller should answer 500). res may be NULL. */
int gql_execute(lc_arena_t *arena, const gql_request_t *req, lc_buf_t *out,
                gql_result_t *res) LC_MUST_CHECK;

/* ---- Document cache ------------------------------------------------------------------------ */

/* A bounded LRU of query text -> parsed and validated document (or its errors), for one
 * schema. NOT thread-safe: keep one per worker thread. An entry returned by get stays valid
 * until the next get on the same cache. */
/* max_entries 0 = 512; max_bytes 0 = 16 MiB (entry arenas and texts). *out owned:
 * gql_doc_cache_destroy. LC_ENOMEM. */
int gql_doc_cache_create(const gql_schema_t *schema, uint32_t max_entries, size_t max_bytes,
                         const gql_parse_limits_t *limits, gql_doc_cache_t **out) LC_MUST_CHECK;
void gql_doc_cache_destroy(gql_doc_cache_t *c);

/* The document for `src`: from the cache, or parsed and validated now (and cached). LC_OK with
 * *doc set; LC_EINVAL when the text does not parse or validate: the errors are appended to
 * `diags` (copied into diags->arena), code GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED;
 * LC_ELIMIT for a parse limit (diags says which); LC_ENOMEM. */
int gql_doc_cache_get(gql_doc_cache_t *c, const char *src, size_t len, gql_diags_t *diags,
                      const gql_document_t **doc) LC_MUST_CHECK;

typedef struct gql_doc_cache_stats {
    uint64_t hits, misses, evictions;
    uint32_t entries;
    size_t bytes;
} gql_doc_cache_stats_t;
void gql_doc_cache_stats(const gql_doc_cache_t *c, gql_doc_cache_stats_t *out);

#endif
