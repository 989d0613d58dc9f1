/* SPDX-License-Identifier: MIT */
/* The parsed-envelope cache: a hit gives exactly the parameters of the body that was put, deep
 * copies survive the request arena, other bodies (even with other variables) miss, large bodies
 * are not kept, and allocation failures only lose the entry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "graphql_http_int.h"
#include "lectern/alloc.h"

/* The property `name` of a map (gql_val_get lives in the engine, which this test does not
 * link). */
static const gql_val_t *prop(const gql_val_t *map, const char *name) {
    for (uint32_t i = 0; map->kind == GQL_VAL_MAP && i < map->count; i++)
        if (lc_str_eq_cstr(map->props[i].name, name))
            return &map->props[i].value;
    return NULL;
}

/* Parses body as a POST with the real envelope parser, in arena a. */
static lc_gqlhttp__params_t parse(lc_arena_t *a, const char *body) {
    lc_gqlhttp__envelope_in_t in = {
        .method = LC_HTTP_POST,
        .accept = LC_STR_NULL,
        .content_type = LC_STR("application/json"),
        .body = lc_str_from(body),
    };
    lc_gqlhttp__params_t p;
    lc_gqlhttp__refusal_t r;
    assert_int_equal(lc_gqlhttp__envelope_parse(a, &in, &p, &r), LC_OK);
    return p;
}

static void test_hit_is_a_deep_copy(void **state) {
    (void)state;
    lc_gqlhttp__envelope_cache_t *c;
    assert_int_equal(lc_gqlhttp__envelope_cache_create(&c), LC_OK);
    const char *body =
        "{\"query\":\"query Q($n: String, $l: [Int]) { a }\",\"operationName\":\"Q\","
        "\"variables\":{\"n\":\"x\",\"l\":[1,2,{\"deep\":true}]}}";
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_gqlhttp__params_t p = parse(&a, body);
    lc_gqlhttp__envelope_cache_put(c, lc_str_from(body), &p);
    lc_arena_dispose(&a); /* the request is over: the cache must not point into it */

    lc_gqlhttp__params_t q;
    char copy[512];
    strcpy(copy, body); /* another buffer with the same bytes */
    assert_true(lc_gqlhttp__envelope_cache_get(c, lc_str_from(copy), &q));
    assert_true(lc_str_eq_cstr(q.query, "query Q($n: String, $l: [Int]) { a }"));
    assert_true(lc_str_eq_cstr(q.operation_name, "Q"));
    assert_int_equal(q.variables.kind, GQL_VAL_MAP);
    assert_int_equal(q.variables.count, 2);
    const gql_val_t *n = prop(&q.variables, "n");
    const gql_val_t *l = prop(&q.variables, "l");
    assert_non_null(n);
    assert_true(lc_str_eq_cstr(n->s, "x"));
    assert_int_equal(l->kind, GQL_VAL_LIST);
    assert_int_equal(l->count, 3);
    assert_int_equal(l->items[1].i, 2);
    assert_int_equal(l->items[2].kind, GQL_VAL_MAP);
    assert_true(prop(&l->items[2], "deep")->b);
    lc_gqlhttp__envelope_cache_destroy(c);
}

static void test_other_bodies_miss(void **state) {
    (void)state;
    lc_gqlhttp__envelope_cache_t *c;
    assert_int_equal(lc_gqlhttp__envelope_cache_create(&c), LC_OK);
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    const char *b1 = "{\"query\":\"query($x:Int){a(x:$x)}\",\"variables\":{\"x\":1}}";
    const char *b2 = "{\"query\":\"query($x:Int){a(x:$x)}\",\"variables\":{\"x\":2}}";
    lc_gqlhttp__params_t p = parse(&a, b1), q;
    lc_gqlhttp__envelope_cache_put(c, lc_str_from(b1), &p);
    assert_false(lc_gqlhttp__envelope_cache_get(c, lc_str_from(b2), &q));
    assert_false(lc_gqlhttp__envelope_cache_get(c, lc_str_make(b1, strlen(b1) - 1), &q));
    assert_true(lc_gqlhttp__envelope_cache_get(c, lc_str_from(b1), &q));
    assert_int_equal(prop(&q.variables, "x")->i, 1);
    /* The second body, once put, is found with its own variables. */
    p = parse(&a, b2);
    lc_gqlhttp__envelope_cache_put(c, lc_str_from(b2), &p);
    assert_true(lc_gqlhttp__envelope_cache_get(c, lc_str_from(b2), &q));
    assert_int_equal(prop(&q.variables, "x")->i, 2);
    /* Many bodies: each hit is exactly its own, whatever it evicted. */
    char body[128];
    for (int i = 0; i < 500; i++) {
        snprintf(body, sizeof body, "{\"query\":\"{a}\",\"variables\":{\"i\":%d}}", i);
        p = parse(&a, body);
        lc_gqlhttp__envelope_cache_put(c, lc_str_from(body), &p);
        assert_true(lc_gqlhttp__envelope_cache_get(c, lc_str_from(body), &q));
        assert_int_equal(prop(&q.variables, "i")->i, i);
    }
    lc_arena_dispose(&a);
    lc_gqlhttp__envelope_cache_destroy(c);
}

static void test_large_bodies_are_not_kept(void **state) {
    (void)state;
    lc_gqlhttp__envelope_cache_t *c;
    assert_int_equal(lc_gqlhttp__envelope_cache_create(&c), LC_OK);
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    size_t n = LC_GQLHTTP__ENVELOPE_CACHE_BODY_MAX + 100;
    char *body = lc_malloc(n + 1);
    assert_non_null(body);
    int k = snprintf(body, n + 1, "{\"query\":\"{a}\",\"extensions\":{\"pad\":\"");
    memset(body + k, 'p', n - (size_t)k - 3);
    memcpy(body + n - 3, "\"}}", 4);
    lc_gqlhttp__params_t p = parse(&a, body), q;
    lc_gqlhttp__envelope_cache_put(c, lc_str_from(body), &p);
    assert_false(lc_gqlhttp__envelope_cache_get(c, lc_str_from(body), &q));
    lc_free(body);
    lc_arena_dispose(&a);
    lc_gqlhttp__envelope_cache_destroy(c);
}

static void test_allocation_failure_loses_only_the_entry(void **state) {
    (void)state;
    const char *body = "{\"query\":\"{a}\",\"variables\":{\"s\":\"abc\",\"l\":[1,2,3]}}";
    for (long fail = 0; fail < 8; fail++) {
        lc_gqlhttp__envelope_cache_t *c;
        assert_int_equal(lc_gqlhttp__envelope_cache_create(&c), LC_OK);
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        lc_gqlhttp__params_t p = parse(&a, body), q;
        lc_alloc_fail_after(fail);
        lc_gqlhttp__envelope_cache_put(c, lc_str_from(body), &p);
        bool failed = lc_alloc_failures() > 0;
        lc_alloc_fail_reset();
        /* Either the entry is complete or there is none. */
        bool hit = lc_gqlhttp__envelope_cache_get(c, lc_str_from(body), &q);
        assert_true(hit == !failed);
        if (hit)
            assert_true(lc_str_eq_cstr(prop(&q.variables, "s")->s, "abc"));
        lc_arena_dispose(&a);
        lc_gqlhttp__envelope_cache_destroy(c);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_is_a_deep_copy),
        cmocka_unit_test(test_other_bodies_miss),
        cmocka_unit_test(test_large_bodies_are_not_kept),
        cmocka_unit_test(test_allocation_failure_loses_only_the_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
