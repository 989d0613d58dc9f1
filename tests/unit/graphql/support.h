/* SPDX-License-Identifier: MIT */
/* Helpers shared by the GraphQL engine's unit tests: build a schema from SDL, convert JSON
 * (jansson) into engine values, run a query against JSON data served by the default resolver,
 * and compare JSON texts structurally. Failures end the current cmocka test. */
#ifndef GQL_TEST_SUPPORT_H
#define GQL_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "gql/execute.h"
#include "gql/schema.h"
#include "gql/value.h"
#include "lectern/arena.h"

/* Builds a schema from SDL; fails the test (printing the diagnostics) when it does not build.
 * Owned: gql_schema_destroy. */
gql_schema_t *t_schema(const char *sdl);

/* Binds the generic test resolvers to every field of the schema's object types whose name says
 * so: `echo*` returns its coerced arguments as a JSON string (absent ones left out), `boom*`
 * fails with gql_field_error "boom" (code "BOOM"), `fail*` fails without an error (the
 * engine's "Internal error"). */
void t_bind_generic(gql_schema_t *s);

/* A JSON value (jansson) as an engine value in `a`: objects become GQL_VAL_MAP in key order,
 * integers GQL_VAL_INT, reals GQL_VAL_FLOAT. */
gql_val_t t_val_from_json(lc_arena_t *a, const json_t *j);
/* The same from JSON text; fails the test on a syntax error. NULL text gives GQL_VAL_NULL. */
gql_val_t t_val_parse(lc_arena_t *a, const char *json);
/* Writes an engine value as JSON (enums as strings, undefined map entries left out). */
void t_val_write(lc_buf_t *b, const gql_val_t *v);

typedef struct t_run {
    const char *vars;      /* JSON object text, or NULL */
    const char *root;      /* JSON text of the root value (the data), or NULL */
    const char *operation; /* operation name, or NULL */
    uint32_t max_errors;
    gql_doc_cache_t *cache; /* when set, the document comes from it (parse + validate) */
    void *context;
} t_run_t;

/* Parses `query` (no validation unless through the cache), executes it and returns the response
 * JSON as a heap string (lc_free()). *status receives gql_execute's status, *res its result (both
 * may be NULL). */
char *t_exec(const gql_schema_t *s, const char *query, const t_run_t *run, int *status,
             gql_result_t *res);

/* Fails the test unless the two JSON texts parse to equal values (object key order ignored). */
void t_assert_json(const char *got, const char *want, const char *what);

/* A case of a table: schema, query, variables, data, expected response. */
typedef struct t_case {
    const char *name;
    const char *sdl;
    const char *query;
    const char *vars;
    const char *root;
    const char *operation;
    const char *want;
} t_case_t;

/* Runs each case (building the schema once per distinct SDL pointer) and compares. */
void t_run_cases(const t_case_t *cases, size_t n);

#endif
