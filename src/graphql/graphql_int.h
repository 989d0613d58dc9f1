/* SPDX-License-Identifier: MIT */
/* Private to src/graphql: the lexer's tokens and state, token value decoding, and the
 * diagnostic helpers shared by the lexer and the parser. */
#ifndef GQL_GRAPHQL_INT_H
#define GQL_GRAPHQL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gql/parse.h"
#include "lectern/arena.h"
#include "lectern/str.h"

/* X(kind, description): token kinds (§2.1.6 Token and §2.1.8 Punctuator); the description is
 * graphql-js's getTokenKindDesc(), used in "Expected Name, found \"}\"." */
#define GQL__TOKEN_LIST(X)                                                                         \
    X(GQL__TOK_EOF, "<EOF>")                                                                       \
    X(GQL__TOK_BANG, "\"!\"")                                                                      \
    X(GQL__TOK_DOLLAR, "\"$\"")                                                                    \
    X(GQL__TOK_AMP, "\"&\"")                                                                       \
    X(GQL__TOK_PAREN_L, "\"(\"")                                                                   \
    X(GQL__TOK_PAREN_R, "\")\"")                                                                   \
    X(GQL__TOK_SPREAD, "\"...\"")                                                                  \
    X(GQL__TOK_COLON, "\":\"")                                                                     \
    X(GQL__TOK_EQUALS, "\"=\"")                                                                    \
    X(GQL__TOK_AT, "\"@\"")                                                                        \
    X(GQL__TOK_BRACKET_L, "\"[\"")                                                                 \
    X(GQL__TOK_BRACKET_R, "\"]\"")                                                                 \
    X(GQL__TOK_BRACE_L, "\"{\"")                                                                   \
    X(GQL__TOK_PIPE, "\"|\"")                                                                      \
    X(GQL__TOK_BRACE_R, "\"}\"")                                                                   \
    X(GQL__TOK_NAME, "Name")                                                                       \
    X(GQL__TOK_INT, "Int")                                                                         \
    X(GQL__TOK_FLOAT, "Float")                                                                     \
    X(GQL__TOK_STRING, "String")                                                                   \
    X(GQL__TOK_BLOCK_STRING, "BlockString")

typedef enum gql__token_kind {
#define GQL__X(kind, desc) kind,
    GQL__TOKEN_LIST(GQL__X)
#undef GQL__X
        GQL__TOK_COUNT
} gql__token_kind_t;

/* Token flags. */
#define GQL__TOKF_ESCAPED 0x1 /* STRING: has escape sequences; BLOCK_STRING: has \""" */

/* A significant token. start/end delimit its whole text in the source (quotes included for
 * strings); line and column are where it starts (column in UTF-16 code units). */
typedef struct gql__token {
    uint8_t kind; /* gql__token_kind_t */
    uint8_t flags;
    uint32_t start, end;
    uint32_t line, column;
} gql__token_t;

/* Lexer state: a cursor over the source. Plain data; copying it saves a position (the parser
 * looks one token ahead that way). */
typedef struct gql__lexer {
    const char *src; /* borrowed */
    uint32_t len;
    uint32_t pos;        /* next byte to read */
    uint32_t line;       /* 1-based line of pos */
    uint32_t line_start; /* offset where that line starts */
    uint32_t col_adjust; /* bytes on this line before pos that are not UTF-16 code units */
} gql__lexer_t;

/* len must be <= GQL_LIMIT_DOCUMENT_BYTES_MAX (the parser checks before). */
void gql__lexer_init(gql__lexer_t *lx, const char *src, size_t len);
/* Reads the next significant token, skipping ignored ones (§2.1.7). Returns LC_OK with *t
 * filled (GQL__TOK_EOF at the end, repeatedly), or LC_EINVAL with *err filled (err may be
 * NULL). Allocates nothing. */
int gql__lex(gql__lexer_t *lx, gql__token_t *t, gql_error_t *err);

/* graphql-js's description of a token kind ("Name", "\"}\"", "<EOF>"). */
const char *gql__token_kind_desc(gql__token_kind_t kind);

/* Value of a STRING token (escapes resolved) or a BLOCK_STRING token (BlockStringValue()).
 * A slice of the source when no rewriting is needed, else a copy in `arena`. The token must
 * have come from gql__lex over the same source. Returns LC_OK or LC_ENOMEM. */
int gql__token_string_value(lc_arena_t *arena, const char *src, const gql__token_t *t,
                            lc_str_t *out) LC_MUST_CHECK;
/* The same, written into out[0..cap) (truncated) for diagnostics; returns the full length. */
size_t gql__token_string_copy(const char *src, const gql__token_t *t, char *out, size_t cap);

/* Diagnostics. gql__error_at formats "Syntax Error: <fmt>" at byte `offset` of src (err may be
 * NULL) and returns LC_EINVAL. */
int gql__error_at(gql_error_t *err, const char *src, size_t len, size_t offset, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
/* Writes "<desc> \"value\"" of token t into out (cap bytes, NUL-terminated): graphql-js
 * getTokenDesc(), whole; the value is cut with "..." only when out cannot hold it or at a NUL
 * (just the kind when cap cannot even hold that form). */
void gql__token_desc(const char *src, const gql__token_t *t, char *out, size_t cap);
/* Writes graphql-js printCodePointAt() for the character at offset into out (>= 16 bytes):
 * "\"x\"" for printable ASCII, "'\"'" for a quote, "U+XXXX", or "<EOF>". */
void gql__code_point_desc(const char *src, size_t len, size_t offset, char *out, size_t cap);

/* §3.13 DirectiveLocation names, written once (parser.c): bit i of gql_directive_location_t
 * (gql/schema.h) is gql__location_names[i]. The parser accepts these names, the schema builder
 * turns them into bits and introspection lists them. */
#define GQL__NLOCATIONS 19
extern const char *const gql__location_names[GQL__NLOCATIONS];

/* UTF-8: decodes one well-formed scalar value at p[0..n) (n >= 1); returns its length (1..4)
 * and stores it in *cp, or 0 for an ill-formed sequence (overlong, surrogate, > U+10FFFF,
 * truncated, stray continuation byte). */
size_t gql__utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

#endif
