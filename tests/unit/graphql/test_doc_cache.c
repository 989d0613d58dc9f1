/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/doc_cache.c: hits and misses, LRU eviction order, the entry and byte
 * bounds, cached parse / validation / limit errors, documents too large to keep, the execution
 * plan kept in an entry (including selections that depend on variables, which must not be
 * memoized), statistics, and allocation failure at every step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

#include "gql/parse.h"
#include "lectern/alloc.h"

static const char SDL[] =
    "type Query { a: Int b: String hero: Hero echo(x: Int, y: String = \"d\"): "
    "String }\n"
    "type Hero { name: String friends: [Hero] }\n";
static const char DATA[] = "{\"a\":1,\"b\":\"two\",\"hero\":{\"name\":\"H\",\"friends\":"
                           "[{\"name\":\"F1\"},{\"name\":\"F2\"}]}}";

typedef struct fixture {
    gql_schema_t *schema;
    gql_doc_cache_t *cache;
    lc_arena_t arena;
    gql_diags_t diags;
} fixture_t;

static int setup(void **state) {
    fixture_t *f = calloc(1, sizeof *f);
    f->schema = t_schema(SDL);
    t_bind_generic(f->schema);
    lc_arena_init(&f->arena, 0, 0);
    gql_diags_init(&f->diags, &f->arena, 0);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    lc_alloc_fail_reset();
    gql_doc_cache_destroy(f->cache);
    gql_schema_destroy(f->schema);
    lc_arena_dispose(&f->arena);
    free(f);
    return 0;
}

static int get(fixture_t *f, const char *q, const gql_document_t **doc) {
    gql_diags_init(&f->diags, &f->arena, 0);
    const gql_document_t *d = NULL;
    int rc = gql_doc_cache_get(f->cache, q, strlen(q), &f->diags, &d);
    if (doc)
        *doc = d;
    return rc;
}

static gql_doc_cache_stats_t stats(const fixture_t *f) {
    gql_doc_cache_stats_t st;
    gql_doc_cache_stats(f->cache, &st);
    return st;
}

static void test_hits_and_misses(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 0, NULL, &f->cache), LC_OK);
    const gql_document_t *d1, *d2, *d3;
    assert_int_equal(get(f, "{ a }", &d1), LC_OK);
    assert_int_equal(get(f, "{ a }", &d2), LC_OK);
    assert_ptr_equal(d1, d2);                       /* the same parsed document */
    assert_int_equal(get(f, "{ a  }", &d3), LC_OK); /* another text is another entry */
    assert_ptr_not_equal(d1, d3);
    gql_doc_cache_stats_t st = stats(f);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 2);
    assert_int_equal(st.entries, 2);
    assert_int_equal(st.evictions, 0);
    assert_true(st.bytes > 0);
    /* The text is copied: the caller's buffer may change after get. */
    char buf[16];
    snprintf(buf, sizeof buf, "{ b }");
    assert_int_equal(gql_doc_cache_get(f->cache, buf, strlen(buf), &f->diags, &d1), LC_OK);
    memset(buf, 'x', sizeof buf - 1);
    assert_int_equal(get(f, "{ b }", &d2), LC_OK);
    assert_ptr_equal(d1, d2);
}

static void test_lru_order(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 2, 0, NULL, &f->cache), LC_OK);
    const gql_document_t *a1, *a2;
    assert_int_equal(get(f, "{ a }", &a1), LC_OK);  /* miss: [A] */
    assert_int_equal(get(f, "{ b }", NULL), LC_OK); /* miss: [B A] */
    assert_int_equal(get(f, "{ a }", &a2), LC_OK);  /* hit:  [A B] */
    assert_ptr_equal(a1, a2);
    assert_int_equal(get(f, "{ a b }", NULL), LC_OK); /* miss: [C A], B evicted */
    gql_doc_cache_stats_t st = stats(f);
    assert_int_equal(st.evictions, 1);
    assert_int_equal(st.entries, 2);
    assert_int_equal(get(f, "{ a }", &a2), LC_OK); /* still there: hit, [A C] */
    assert_ptr_equal(a1, a2);
    assert_int_equal(get(f, "{ b }", NULL), LC_OK); /* B was evicted: miss, C goes */
    st = stats(f);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.misses, 4);
    assert_int_equal(st.evictions, 2);
    assert_int_equal(get(f, "{ a }", NULL), LC_OK); /* A survived */
    assert_int_equal(stats(f).hits, 3);
    assert_int_equal(get(f, "{ a b }", NULL), LC_OK); /* C did not */
    assert_int_equal(stats(f).misses, 5);
}

static void test_byte_bound(void **state) {
    fixture_t *f = *state;
    const size_t max = 64 * 1024;
    assert_int_equal(gql_doc_cache_create(f->schema, 1000, max, NULL, &f->cache), LC_OK);
    char q[64];
    for (int i = 0; i < 100; i++) {
        snprintf(q, sizeof q, "{ x%d: a }", i);
        assert_int_equal(get(f, q, NULL), LC_OK);
        assert_true(stats(f).bytes <= max);
    }
    gql_doc_cache_stats_t st = stats(f);
    assert_true(st.entries < 100);
    assert_int_equal(st.evictions, 100 - st.entries);
    /* The most recent ones are the ones kept. */
    assert_int_equal(get(f, "{ x99: a }", NULL), LC_OK);
    assert_int_equal(stats(f).hits, 1);
}

static void test_too_large_to_keep(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 16 * 1024, NULL, &f->cache), LC_OK);
    /* A document whose entry exceeds a quarter of the bytes is served once, never kept. */
    static char big[8192];
    size_t n = 0;
    n += (size_t)snprintf(big + n, sizeof big - n, "{");
    for (int i = 0; n < sizeof big - 32; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, " f%d: a", i);
    snprintf(big + n, sizeof big - n, " }");
    const gql_document_t *d;
    assert_int_equal(get(f, big, &d), LC_OK);
    assert_non_null(d);
    t_run_t run = {.cache = f->cache, .root = DATA};
    char *out = t_exec(f->schema, big, &run, NULL, NULL);
    assert_non_null(strstr(out, "\"f0\":1"));
    lc_free(out);
    gql_doc_cache_stats_t st = stats(f);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.misses, 2);
    assert_int_equal(get(f, "{ a }", NULL), LC_OK); /* frees the transient entry (ASan) */
    assert_int_equal(stats(f).entries, 1);
}

static void test_errors_cached(void **state) {
    fixture_t *f = *state;
    gql_parse_limits_t limits = {.max_tokens = 20};
    assert_int_equal(gql_doc_cache_create(f->schema, 8, 0, &limits, &f->cache), LC_OK);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(get(f, "{ a", NULL), LC_EINVAL);
        assert_int_equal(f->diags.count, 1);
        assert_string_equal(f->diags.head->code, "GRAPHQL_PARSE_FAILED");
        assert_true(lc_str_starts_with(f->diags.head->message, LC_STR("Syntax Error:")));
        assert_int_equal(f->diags.head->locations[0].line, 1);
        assert_int_equal(f->diags.head->locations[0].column, 4);

        assert_int_equal(get(f, "type T { a: Int }", NULL), LC_EINVAL);
        assert_true(f->diags.count >= 1);
        assert_string_equal(f->diags.head->code, "GRAPHQL_VALIDATION_FAILED");
        assert_int_equal(f->diags.head->locations[0].line, 1);

        assert_int_equal(get(f, "{ a a a a a a a a a a a a a a a a a a a a a a a a }", NULL),
                         LC_ELIMIT);
        assert_int_equal(f->diags.count, 1);
        assert_string_equal(f->diags.head->code, "GRAPHQL_PARSE_FAILED");
    }
    gql_doc_cache_stats_t st = stats(f);
    assert_int_equal(st.misses, 3);
    assert_int_equal(st.hits, 3);
    assert_int_equal(st.entries, 3);
    /* A text over the byte limit is refused without being copied or kept. */
    gql_parse_limits_t small = {.max_bytes = 64};
    gql_doc_cache_t *c2;
    assert_int_equal(gql_doc_cache_create(f->schema, 8, 0, &small, &c2), LC_OK);
    char big[200];
    memset(big, ' ', sizeof big);
    big[0] = '{';
    big[1] = 'a';
    big[sizeof big - 1] = '}';
    gql_diags_init(&f->diags, &f->arena, 0);
    const gql_document_t *bd;
    assert_int_equal(gql_doc_cache_get(c2, big, sizeof big, &f->diags, &bd), LC_ELIMIT);
    assert_int_equal(f->diags.count, 1);
    assert_string_equal(f->diags.head->code, "GRAPHQL_PARSE_FAILED");
    gql_doc_cache_stats_t st2;
    gql_doc_cache_stats(c2, &st2);
    assert_int_equal(st2.entries, 0);
    assert_int_equal(st2.bytes, 0);
    gql_doc_cache_destroy(c2);
    /* diags may be NULL: the status alone. */
    const gql_document_t *d;
    assert_int_equal(gql_doc_cache_get(f->cache, "{ a", 3, NULL, &d), LC_EINVAL);
}

static void test_invalid_entries_bounded(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 16, 0, NULL, &f->cache), LC_OK);
    for (int i = 0; i < 8; i++) {
        char q[32];
        snprintf(q, sizeof q, "{ g%d: a }", i);
        assert_int_equal(get(f, q, NULL), LC_OK);
    }
    for (int i = 0; i < 100; i++) {
        char q[32];
        snprintf(q, sizeof q, "{ bad%d", i);
        assert_int_equal(get(f, q, NULL), LC_EINVAL);
    }
    /* A flood of bad queries evicted bad queries, not the good ones. */
    for (int i = 0; i < 8; i++) {
        char q[32];
        snprintf(q, sizeof q, "{ g%d: a }", i);
        uint64_t hits = stats(f).hits;
        assert_int_equal(get(f, q, NULL), LC_OK);
        assert_int_equal(stats(f).hits, hits + 1);
    }
}

/* Runs q through the cache with vars; returns the response (lc_free). */
static char *run(fixture_t *f, const char *q, const char *vars) {
    t_run_t r = {.cache = f->cache, .root = DATA, .vars = vars};
    int status;
    char *out = t_exec(f->schema, q, &r, &status, NULL);
    assert_int_equal(status, LC_OK);
    return out;
}

static void test_plan_reuse(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 0, NULL, &f->cache), LC_OK);
    static const struct {
        const char *query, *vars, *want;
    } cases[] = {
        {"{ a hero { name friends { name } } }", NULL,
         "{\"data\":{\"a\":1,\"hero\":{\"name\":\"H\",\"friends\":[{\"name\":\"F1\"},"
         "{\"name\":\"F2\"}]}}}"},
        /* Selections that depend on variables are collected per execution. */
        {"query ($s: Boolean!) { a @skip(if: $s) hero { name @include(if: $s) friends { name "
         "@skip(if: $s) } } }",
         "{\"s\":true}", "{\"data\":{\"hero\":{\"name\":\"H\",\"friends\":[{},{}]}}}"},
        {"query ($s: Boolean!) { a @skip(if: $s) hero { name @include(if: $s) friends { name "
         "@skip(if: $s) } } }",
         "{\"s\":false}",
         "{\"data\":{\"a\":1,\"hero\":{\"friends\":[{\"name\":\"F1\"},{\"name\":\"F2\"}]}}}"},
        /* Constant arguments are planned once; variable ones coerced each time. */
        {"query ($x: Int) { e1: echo(x: 1) e2: echo(x: $x) }", "{\"x\":5}",
         "{\"data\":{\"e1\":\"{\\\"x\\\":1,\\\"y\\\":\\\"d\\\"}\",\"e2\":"
         "\"{\\\"x\\\":5,\\\"y\\\":\\\"d\\\"}\"}}"},
        {"query ($x: Int) { e1: echo(x: 1) e2: echo(x: $x) }", "{\"x\":6}",
         "{\"data\":{\"e1\":\"{\\\"x\\\":1,\\\"y\\\":\\\"d\\\"}\",\"e2\":"
         "\"{\\\"x\\\":6,\\\"y\\\":\\\"d\\\"}\"}}"},
        {"query A { a } query B { b }", NULL, NULL},
    };
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            if (!cases[i].want)
                continue;
            char *got = run(f, cases[i].query, cases[i].vars);
            t_assert_json(got, cases[i].want, cases[i].query);
            lc_free(got);
        }
    }
    /* Two operations of one document, planned side by side in its entry. */
    for (int round = 0; round < 2; round++) {
        t_run_t r = {.cache = f->cache, .root = DATA, .operation = "B"};
        char *got = t_exec(f->schema, "query A { a } query B { b }", &r, NULL, NULL);
        t_assert_json(got, "{\"data\":{\"b\":\"two\"}}", "operation B");
        lc_free(got);
        r.operation = "A";
        got = t_exec(f->schema, "query A { a } query B { b }", &r, NULL, NULL);
        t_assert_json(got, "{\"data\":{\"a\":1}}", "operation A");
        lc_free(got);
    }
    /* The plan grows the entry: the bytes say so. */
    size_t before = stats(f).bytes;
    char *got = run(f, "{ b hero { friends { friends { name } } } }", NULL);
    lc_free(got);
    size_t mid = stats(f).bytes;
    got = run(f, "{ b hero { friends { friends { name } } } }", NULL);
    lc_free(got);
    assert_true(mid > before);
    assert_int_equal(stats(f).bytes, mid); /* the second run planned nothing new */
}

/* Selections that depend on 4 variables: 16 combinations, more than the plans kept per field;
 * every one must still answer right, from a kept plan or a transient one. */
static void test_plan_variants(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 0, NULL, &f->cache), LC_OK);
    const char *q = "query ($p: Boolean!, $q: Boolean!, $r: Boolean!, $s: Boolean!) { "
                    "a @include(if: $p) hero { name @include(if: $q) ...F } } "
                    "fragment F on Hero { friends @include(if: $r) { name @skip(if: $s) } }";
    for (int round = 0; round < 2; round++) {
        for (int m = 0; m < 16; m++) {
            bool p = m & 1, qq = m & 2, r = m & 4, sk = m & 8;
            char vars[128], want[256];
            snprintf(vars, sizeof vars, "{\"p\":%s,\"q\":%s,\"r\":%s,\"s\":%s}",
                     p ? "true" : "false", qq ? "true" : "false", r ? "true" : "false",
                     sk ? "true" : "false");
            const char *friends = !r   ? ""
                                  : sk ? "\"friends\":[{},{}]"
                                       : "\"friends\":[{\"name\":\"F1\"},{\"name\":\"F2\"}]";
            snprintf(want, sizeof want, "{\"data\":{%s\"hero\":{%s%s%s}}}", p ? "\"a\":1," : "",
                     qq ? "\"name\":\"H\"" : "", qq && r ? "," : "", friends);
            char *got = run(f, q, vars);
            t_assert_json(got, want, vars);
            lc_free(got);
        }
    }
}

/* A condition variable given null makes the collection fail (graphql-js: "Argument "if" of
 * non-null type ..."): nothing may be memoized for it, and no plan kept for true, false or the
 * default may answer it; after it, true and false are still answered right. */
static void test_plan_null_conditions(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 0, NULL, &f->cache), LC_OK);
#define IF_NULL                                                                                    \
    "{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
    static const char q1[] =
        "query ($s: Boolean = true) { a hero { name @include(if: $s) friends { name @skip(if: $s) "
        "} } }";
    static const char q2[] = "query ($s: Boolean = true) { a hero { name friends { name @skip(if: "
                             "$s) } } }";
    static const char q3[] = "query ($s: Boolean = true) { a @skip(if: $s) b }";
    static const struct {
        const char *query, *vars, *want;
    } cases[] = {
        {q1, "{\"s\":true}", "{\"data\":{\"a\":1,\"hero\":{\"name\":\"H\",\"friends\":[{},{}]}}}"},
        {q1, "{\"s\":null}",
         "{\"errors\":[" IF_NULL "\"locations\":[{\"line\":1,\"column\":57}],\"path\":[\"hero\"]}],"
         "\"data\":{\"a\":1,\"hero\":null}}"},
        {q1, NULL, "{\"data\":{\"a\":1,\"hero\":{\"name\":\"H\",\"friends\":[{},{}]}}}"},
        {q1, "{\"s\":false}",
         "{\"data\":{\"a\":1,\"hero\":{\"friends\":[{\"name\":\"F1\"},{\"name\":\"F2\"}]}}}"},
        {q2, "{\"s\":false}",
         "{\"data\":{\"a\":1,\"hero\":{\"name\":\"H\",\"friends\":[{\"name\":\"F1\"},{\"name\":"
         "\"F2\"}]}}}"},
        {q2, "{\"s\":null}",
         "{\"errors\":[" IF_NULL "\"locations\":[{\"line\":1,\"column\":69}],\"path\":[\"hero\","
         "\"friends\",0]}," IF_NULL "\"locations\":[{\"line\":1,\"column\":69}],\"path\":[\"hero\","
         "\"friends\",1]}],\"data\":{\"a\":1,\"hero\":{\"name\":\"H\",\"friends\":[null,null]}}}"},
        {q3, "{\"s\":false}", "{\"data\":{\"a\":1,\"b\":\"two\"}}"},
        {q3, "{\"s\":null}",
         "{\"errors\":[" IF_NULL "\"locations\":[{\"line\":1,\"column\":42}]}],\"data\":null}"},
        {q3, "{}", "{\"data\":{\"b\":\"two\"}}"},
    };
#undef IF_NULL
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char *got = run(f, cases[i].query, cases[i].vars);
            t_assert_json(got, cases[i].want, cases[i].vars ? cases[i].vars : cases[i].query);
            lc_free(got);
        }
    }
}

/* A document from one cache executed with another cache in the request: no plan is shared. */
static void test_plan_needs_matching_entry(void **state) {
    fixture_t *f = *state;
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 0, NULL, &f->cache), LC_OK);
    const gql_document_t *doc;
    assert_int_equal(get(f, "{ a }", &doc), LC_OK);
    assert_int_equal(get(f, "{ b }", NULL), LC_OK); /* the last get is now another entry */
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_buf_t out;
    lc_buf_init(&out, &a, 0, 0);
    gql_val_t root = t_val_parse(&a, DATA);
    gql_request_t req = {
        .schema = f->schema, .document = doc, .root_value = &root, .doc_cache = f->cache};
    assert_int_equal(gql_execute(&a, &req, &out, NULL), LC_OK);
    assert_int_equal(lc_buf_terminate(&out), LC_OK);
    t_assert_json(out.data, "{\"data\":{\"a\":1}}", "plan in the request arena");
    lc_arena_dispose(&a);
}

static void test_out_of_memory(void **state) {
    fixture_t *f = *state;
    /* Creation. */
    for (long n = 0; n < 4; n++) {
        lc_alloc_fail_after(n);
        gql_doc_cache_t *c = NULL;
        int rc = gql_doc_cache_create(f->schema, 0, 0, NULL, &c);
        lc_alloc_fail_reset();
        if (rc == LC_OK) {
            gql_doc_cache_destroy(c);
            break;
        }
        assert_int_equal(rc, LC_ENOMEM);
    }
    assert_int_equal(gql_doc_cache_create(f->schema, 0, 0, NULL, &f->cache), LC_OK);
    /* A miss (parse, validate, copy) failing at each heap allocation. */
    const char *q = "query ($s: Boolean!) { a @skip(if: $s) hero { name friends { name } } }";
    bool done = false;
    for (long n = 0; n < 64 && !done; n++) {
        lc_alloc_fail_after(n);
        int rc = get(f, q, NULL);
        lc_alloc_fail_reset();
        if (rc == LC_OK)
            done = true;
        else
            assert_int_equal(rc, LC_ENOMEM);
    }
    assert_true(done);
    /* And an invalid document whose errors are being cached. */
    done = false;
    for (long n = 0; n < 64 && !done; n++) {
        lc_alloc_fail_after(n);
        int rc = get(f, "type T { a: Int }", NULL);
        lc_alloc_fail_reset();
        if (rc == LC_EINVAL)
            done = true;
        else
            assert_int_equal(rc, LC_ENOMEM);
    }
    assert_true(done);
    char *got = run(f, q, "{\"s\":false}");
    t_assert_json(got,
                  "{\"data\":{\"a\":1,\"hero\":{\"name\":\"H\",\"friends\":[{\"name\":\"F1\"},"
                  "{\"name\":\"F2\"}]}}}",
                  "after failures");
    lc_free(got);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hits_and_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lru_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_large_to_keep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_entries_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_null_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_needs_matching_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
