/* SPDX-License-Identifier: MIT */
/* Limits of the GraphQL engine against hostile documents. Each is a named default that a caller
 * can lower or raise per parse through gql_parse_limits_t (include/gql/parse.h); the hard
 * ceilings below bound what a caller may ask for. lectern maps its configuration onto these;
 * the engine itself knows nothing of lectern's configuration. */
#ifndef GQL_LIMITS_H
#define GQL_LIMITS_H

/* Size of a document in bytes. Checked before lexing starts. */
#define GQL_LIMIT_DOCUMENT_BYTES (256u * 1024u)
/* Significant tokens in a document: punctuators, names, numbers and strings. Ignored tokens
 * (white space, line terminators, commas, comments, BOM) are not counted; they are bounded by
 * the document size. */
#define GQL_LIMIT_DOCUMENT_TOKENS 20000u
/* Nesting depth: the number of brackets open at once among selection sets `{`, list values `[`,
 * object values `{` and list types `[`. The parser is recursive descent; this bounds its
 * stack (and the printer's, which walks the same tree). */
#define GQL_LIMIT_DOCUMENT_DEPTH 64u

/* Hard ceilings: a larger value in gql_parse_limits_t is clamped to these. Offsets and lines
 * are stored in 32 bits; the depth ceiling keeps the parser's stack within a few hundred KiB
 * even under sanitizers. */
#define GQL_LIMIT_DOCUMENT_BYTES_MAX 0xfffffff0u
#define GQL_LIMIT_DOCUMENT_DEPTH_MAX 256u

#endif
