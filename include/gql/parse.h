/* SPDX-License-Identifier: MIT */
/* Parsing GraphQL text (Oct 2021 §2, §3) into the AST of gql/ast.h: the first step of every
 * request (query text -> document -> validate -> execute) and of loading the SDL schema.
 *
 * One pass, recursive descent, with the lexer pulled one token at a time; the lexer allocates
 * nothing and the parser allocates only nodes (and decoded strings) in the caller's arena.
 * Hostile input is bounded by the limits of gql/limits.h, and every failure is a status code
 * plus a diagnostic, never an abort.
 *
 * Conformance: the October 2021 grammar. Later additions that graphql-js 16 accepts are
 * rejected: `\u{...}` escapes, control characters other than tab in strings and comments,
 * descriptions on operations, fragments and variables. A `\uXXXX` surrogate pair is one code
 * point and a lone surrogate is an error, as in graphql-js. Messages are graphql-js 16's word
 * for word, quoting what it quotes, save where UTF-8 or a C string cannot carry the quote (half
 * a surrogate pair, a NUL) and where graphql-js accepts what October 2021 does not. */
#ifndef GQL_PARSE_H
#define GQL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gql/ast.h"
#include "gql/limits.h"
#include "lectern/arena.h"
#include "lectern/status.h"

/* Per-parse limits. A zero field means the default of gql/limits.h; values above the hard
 * ceilings there are clamped to them. Pass NULL for all defaults. */
typedef struct gql_parse_limits {
    size_t max_bytes;    /* GQL_LIMIT_DOCUMENT_BYTES */
    uint32_t max_tokens; /* GQL_LIMIT_DOCUMENT_TOKENS */
    uint32_t max_depth;  /* GQL_LIMIT_DOCUMENT_DEPTH */
} gql_parse_limits_t;

/* Which limit a LC_ELIMIT failure hit, so that a server can map it to an error code. */
typedef enum gql_parse_limit {
    GQL_PARSE_LIMIT_NONE = 0,
    GQL_PARSE_LIMIT_BYTES,
    GQL_PARSE_LIMIT_TOKENS,
    GQL_PARSE_LIMIT_DEPTH,
} gql_parse_limit_t;

#define GQL_ERROR_MESSAGE_MAX 320

/* A parse failure, for a person: graphql-js's wording ("Syntax Error: Expected Name, found
 * \"}\".") and a location. The message is NUL-terminated valid UTF-8, truncated (with "...")
 * if a quoted token would not fit. Caller's storage; nothing in it points elsewhere. */
typedef struct gql_error {
    char message[GQL_ERROR_MESSAGE_MAX];
    gql_loc_t loc;           /* line 0: no location (document too large, out of memory) */
    gql_parse_limit_t limit; /* set when the status is LC_ELIMIT */
} gql_error_t;

/* Document (§2.2): executable definitions, type system definitions and extensions, in any mix
 * (the validator rejects type system definitions in a request).
 *
 * `src` is borrowed for [src, src+len) and must outlive the document (slices point into it);
 * it need not be NUL-terminated and must be valid UTF-8. `arena` is borrowed; the document and
 * everything it points to are *arena*. `limits` may be NULL. On success writes *out and
 * returns LC_OK. On failure *out is untouched and, when err is not NULL, *err is filled:
 *   LC_EINVAL  a syntax error (including invalid UTF-8), message "Syntax Error: ..." and the
 *              location of the offending character or token;
 *   LC_ELIMIT  a limit exceeded, message naming it ("Document exceeds the limit of 20000
 *              tokens."), err->limit says which;
 *   LC_ENOMEM  the arena could not allocate.
 * The arena may hold partial results after a failure; they are released with it. */
int gql_parse_document(lc_arena_t *arena, const char *src, size_t len,
                       const gql_parse_limits_t *limits, gql_document_t **out,
                       gql_error_t *err) LC_MUST_CHECK;

/* A single value (`[1, {a: "x"}]`), for tools and tests, e.g. a default value typed by a
 * person: the whole input must be one Value, or ValueConst when `constant` (variables are then
 * rejected). Same contract and errors as gql_parse_document. */
int gql_parse_value(lc_arena_t *arena, const char *src, size_t len,
                    const gql_parse_limits_t *limits, bool constant, gql_value_t **out,
                    gql_error_t *err) LC_MUST_CHECK;

/* A single type reference (`[String!]!`). Same contract and errors as gql_parse_document. */
int gql_parse_type(lc_arena_t *arena, const char *src, size_t len, const gql_parse_limits_t *limits,
                   gql_type_t **out, gql_error_t *err) LC_MUST_CHECK;

/* The location of byte `offset` of [src, src+len) (clamped to len), counted as the lexer does:
 * lines end at LF, CR or CRLF; columns count UTF-16 code units. For diagnostics that point
 * inside a node, e.g. at an argument's name. O(offset). */
gql_loc_t gql_loc_at(const char *src, size_t len, size_t offset);

#endif
