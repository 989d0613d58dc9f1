/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the GraphQL lexer, parser and printer: whatever the input, parsing must
 * fail cleanly (a status and a located message) or succeed, and then print -> parse -> print
 * must reproduce the first print exactly. The same check runs on gcc builds through replay.c
 * over fuzz/corpus/parse and fuzz/crashers/parse (ctest fuzz_parse_replay). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gql/parse.h"
#include "gql/print.h"
#include "lectern/arena.h"
#include "lectern/buf.h"
#include "lectern/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, lc_str_t first, lc_str_t second, const gql_error_t *err) {
    fprintf(stderr, "fuzz_parse: %s\n", what);
    if (first.ptr)
        fprintf(stderr, "--- first print:\n%.*s\n", (int)first.len, first.ptr);
    if (second.ptr)
        fprintf(stderr, "--- second print:\n%.*s\n", (int)second.len, second.ptr);
    if (err)
        fprintf(stderr, "--- error %u:%u: %s\n", (unsigned)err->loc.line, (unsigned)err->loc.column,
                err->message);
    abort();
}

/* A failed parse must say why and where. */
static void check_error(int rc, const gql_error_t *err, size_t size) {
    size_t n = strnlen(err->message, sizeof err->message);
    if (rc != LC_EINVAL && rc != LC_ELIMIT)
        fail("unexpected status", LC_STR_NULL, LC_STR_NULL, err);
    if (n == 0 || n == sizeof err->message || !lc_utf8_valid(err->message, n))
        fail("bad error message", LC_STR_NULL, LC_STR_NULL, err);
    if (rc == LC_EINVAL && (err->loc.line == 0 || err->loc.column == 0 || err->loc.offset > size))
        fail("syntax error without a location", LC_STR_NULL, LC_STR_NULL, err);
}

/* The printed text parses again (with room for the indentation printing adds) and prints the
 * same. kind: 0 document, 1 value, 2 type. */
static void check_round_trip(lc_arena_t *arena, int kind, lc_str_t first) {
    gql_parse_limits_t roomy = {.max_bytes = first.len + 1};
    gql_error_t err;
    lc_buf_t b2;
    lc_buf_init(&b2, arena, first.len + 16, 0);
    int rc;
    if (kind == 0) {
        gql_document_t *doc = NULL;
        rc = gql_parse_document(arena, first.ptr, first.len, &roomy, &doc, &err);
        if (rc == LC_OK)
            rc = gql_print_document(&b2, doc);
    } else if (kind == 1) {
        gql_value_t *v = NULL;
        rc = gql_parse_value(arena, first.ptr, first.len, &roomy, false, &v, &err);
        if (rc == LC_OK)
            rc = gql_print_value(&b2, v);
    } else {
        gql_type_t *t = NULL;
        rc = gql_parse_type(arena, first.ptr, first.len, &roomy, &t, &err);
        if (rc == LC_OK)
            rc = gql_print_type(&b2, t);
    }
    if (rc != LC_OK)
        fail("printed text does not parse", first, LC_STR_NULL, &err);
    if (!lc_str_eq(first, lc_buf_str(&b2)))
        fail("second print differs", first, lc_buf_str(&b2), NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *src = (const char *)data;
    lc_arena_t arena;
    lc_arena_init(&arena, 0, 0);
    gql_error_t err;
    lc_buf_t b;

    gql_document_t *doc = NULL;
    int rc = gql_parse_document(&arena, src, size, NULL, &doc, &err);
    if (rc == LC_OK) {
        lc_buf_init(&b, &arena, size + 16, 0);
        if (gql_print_document(&b, doc) != LC_OK)
            fail("print failed", LC_STR_NULL, LC_STR_NULL, NULL);
        check_round_trip(&arena, 0, lc_buf_str(&b));
    } else {
        check_error(rc, &err, size);
    }

    /* The same bytes as a lone value and as a type reference. */
    gql_value_t *v = NULL;
    rc = gql_parse_value(&arena, src, size, NULL, false, &v, &err);
    if (rc == LC_OK) {
        lc_buf_init(&b, &arena, size + 16, 0);
        if (gql_print_value(&b, v) != LC_OK)
            fail("print failed", LC_STR_NULL, LC_STR_NULL, NULL);
        check_round_trip(&arena, 1, lc_buf_str(&b));
    } else {
        check_error(rc, &err, size);
    }
    gql_type_t *t = NULL;
    rc = gql_parse_type(&arena, src, size, NULL, &t, &err);
    if (rc == LC_OK) {
        lc_buf_init(&b, &arena, size + 16, 0);
        if (gql_print_type(&b, t) != LC_OK)
            fail("print failed", LC_STR_NULL, LC_STR_NULL, NULL);
        check_round_trip(&arena, 2, lc_buf_str(&b));
    } else {
        check_error(rc, &err, size);
    }

    lc_arena_dispose(&arena);
    return 0;
}
