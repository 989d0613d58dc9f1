/* SPDX-License-Identifier: MIT */
/* AST -> canonical GraphQL text, in graphql-js 16.15 `print()` form: two-space indentation, one
 * selection or field per line, `query` omitted only for an anonymous operation without
 * variables or directives, block strings kept as block strings, descriptions above what they
 * describe, field arguments wrapped one per line past 80 columns. Comments and insignificant
 * commas are not kept. Printing a parsed document and parsing the result gives a document
 * that prints identically (fuzz/fuzz_parse.c checks this); for that, an anonymous query right
 * after a body-less `type T` (or enum, input, interface, `extend schema`) keeps its `query`
 * keyword, where graphql-js would print a `{` that reads back as the type's body.
 *
 * Used for tools, tests, persisted-query normalisation, and values quoted in diagnostics. */
#ifndef GQL_PRINT_H
#define GQL_PRINT_H

#include "gql/ast.h"
#include "lectern/buf.h"
#include "lectern/str.h"

/* Each appends to `b` (borrowed) and returns b->err afterwards: LC_OK, or the buffer's sticky
 * LC_ENOMEM / LC_ELIMIT (the output is then incomplete). Nodes are borrowed. No trailing
 * newline is written. The printer recurses as deep as the tree, which the parser's depth
 * limit bounds. */
int gql_print_document(lc_buf_t *b, const gql_document_t *doc);
int gql_print_value(lc_buf_t *b, const gql_value_t *value);
int gql_print_type(lc_buf_t *b, const gql_type_t *type);
/* Any node, dispatched on node->kind: a definition, selection, selection set, argument,
 * directive, value, type, field definition, ... */
int gql_print_node(lc_buf_t *b, const gql_node_t *node);

/* A string value as a GraphQL string literal: `"..."` with `"`, `\`, and C0 and C1 control
 * characters escaped (graphql-js printString). `s` must be valid UTF-8. */
int gql_print_string(lc_buf_t *b, lc_str_t s);
/* A string value as a block string literal (graphql-js printBlockString) at indentation 0. */
int gql_print_block_string(lc_buf_t *b, lc_str_t s);

#endif
