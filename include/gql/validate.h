/* SPDX-License-Identifier: MIT */
/* Validation of an executable document against a schema: every rule of Oct 2021 §5, in the
 * order graphql-js's specifiedRules lists them, with graphql-js's messages so that clients and
 * tests see the same words. A document that passes may be executed any number of times (with
 * any variables) without being validated again: cache the pair. */
#ifndef GQL_VALIDATE_H
#define GQL_VALIDATE_H

#include <stdint.h>

#include "gql/ast.h"
#include "gql/diag.h"
#include "gql/schema.h"
#include "lectern/arena.h"

typedef struct gql_validate_options {
    uint32_t max_errors; /* stop after this many ("Too many validation errors, error limit
                            reached. Validation aborted."); 0 = 100 as graphql-js */
} gql_validate_options_t;

/* Returns LC_OK when `doc` is valid for `schema`; LC_EINVAL with the errors appended to
 * `diags` (each with message and locations, no path, no code); LC_ENOMEM. `arena` is for
 * scratch memory and the diagnostics. opts may be NULL. */
int gql_validate(lc_arena_t *arena, const gql_schema_t *schema, const gql_document_t *doc,
                 const gql_validate_options_t *opts, gql_diags_t *diags) LC_MUST_CHECK;

#endif
