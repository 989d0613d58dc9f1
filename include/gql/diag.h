/* SPDX-License-Identifier: MIT */
/* Diagnostics a client sees in the response's "errors": validation errors, variable and
 * argument coercion errors, field errors raised by resolvers. Each has a message, locations,
 * a path (field errors), and extensions (a code such as "FORBIDDEN" and extra string fields).
 * They are data in the request arena, collected in a list; nothing here aborts.
 * (Parse failures use the single gql_error_t of gql/parse.h, converted with gql_diag_parse.) */
#ifndef GQL_DIAG_H
#define GQL_DIAG_H

#include <stdint.h>

#include "gql/ast.h"
#include "gql/parse.h"
#include "lectern/arena.h"
#include "lectern/buf.h"
#include "lectern/status.h"
#include "lectern/str.h"

/* A response path, linked from the leaf to the root; nodes live on the executor's stack or in
 * the arena. key.ptr == NULL means a list index. */
typedef struct gql_path {
    const struct gql_path *prev;
    lc_str_t key;
    int64_t index;
} gql_path_t;

typedef struct gql_diag_ext {
    struct gql_diag_ext *next;
    const char *key; /* static or arena */
    lc_str_t value;  /* written as a JSON string */
} gql_diag_ext_t;

#define GQL_DIAG_MAX_LOCATIONS 8

typedef struct gql_diag {
    struct gql_diag *next;
    lc_str_t message; /* arena, UTF-8 */
    gql_loc_t locations[GQL_DIAG_MAX_LOCATIONS];
    uint32_t nlocations;
    const gql_path_t *path; /* arena copy; NULL for request errors */
    const char *code;       /* extensions.code: static or arena; NULL = none */
    gql_diag_ext_t *ext;    /* further extensions, in order */
} gql_diag_t;

/* The list of a request. The caller's storage; diagnostics are arena. */
typedef struct gql_diags {
    lc_arena_t *arena; /* borrowed */
    gql_diag_t *head, *tail;
    uint32_t count;
    uint32_t max; /* 0 = unlimited; past it, further ones are counted but not kept */
    uint32_t dropped;
} gql_diags_t;

void gql_diags_init(gql_diags_t *d, lc_arena_t *arena, uint32_t max);

/* Appends a diagnostic with a printf-formatted message and `nlocs` locations (at most
 * GQL_DIAG_MAX_LOCATIONS kept). Returns it for adding path/extensions, or NULL on LC_ENOMEM
 * or when over max. */
gql_diag_t *gql_diags_add(gql_diags_t *d, const gql_loc_t *locs, uint32_t nlocs, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));
/* Copies a path (which may live on the stack) into the arena and attaches it. */
int gql_diag_set_path(gql_diags_t *d, gql_diag_t *diag, const gql_path_t *path) LC_MUST_CHECK;
/* Adds extensions.key = value (value copied into the arena). */
int gql_diag_add_ext(gql_diags_t *d, gql_diag_t *diag, const char *key,
                     lc_str_t value) LC_MUST_CHECK;
/* Converts a parse failure into a diagnostic (code GRAPHQL_PARSE_FAILED). */
gql_diag_t *gql_diags_add_parse_error(gql_diags_t *d, const gql_error_t *err);

/* Writes the JSON array of diagnostics in order:
 * [{"message":..,"locations":[{"line":..,"column":..}],"path":[..],"extensions":{"code":..}}] */
int gql_diags_write_json(const gql_diags_t *d, lc_buf_t *b);

#endif
