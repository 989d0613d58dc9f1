/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/router.c: method names, exact and prefix matching, 404 versus 405 and
 * the Allow value, route validation, and clean failure of every allocation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http_int.h"
#include "lectern/alloc.h"

static int h_a, h_b, h_c, h_d, h_e, h_f;

static int handler(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    (void)req;
    (void)resp;
    return LC_OK;
}

static const lc_http_route_t routes[] = {
    {"/healthz", LC_HTTP_GET, handler, &h_a},
    {"/readyz", LC_HTTP_GET, handler, &h_b},
    {"/api/graphql", LC_HTTP_GET | LC_HTTP_POST, handler, &h_c},
    {"/console/*", LC_HTTP_GET, handler, &h_d},
    {"/console/api/*", LC_HTTP_POST, handler, &h_e},
    {"/items", LC_HTTP_DELETE, handler, &h_f},
    {"/items", LC_HTTP_PUT, handler, &h_a},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

static void test_method_names(void **state) {
    (void)state;
    static const struct {
        const char *name;
        lc_http_method_t m;
    } cases[] = {
        {"GET", LC_HTTP_GET},         {"HEAD", LC_HTTP_HEAD},     {"POST", LC_HTTP_POST},
        {"PUT", LC_HTTP_PUT},         {"DELETE", LC_HTTP_DELETE}, {"PATCH", LC_HTTP_PATCH},
        {"OPTIONS", LC_HTTP_OPTIONS}, {"get", LC_HTTP_OTHER},     {"GETX", LC_HTTP_OTHER},
        {"GE", LC_HTTP_OTHER},        {"", LC_HTTP_OTHER},        {"TRACE", LC_HTTP_OTHER},
        {"CONNECT", LC_HTTP_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(lc_http__method_parse(lc_str_from(cases[i].name)), cases[i].m);
        if (cases[i].m != LC_HTTP_OTHER)
            assert_string_equal(lc_http__method_name(cases[i].m), cases[i].name);
    }
    assert_string_equal(lc_http__method_name(LC_HTTP_OTHER), "OTHER");
    assert_string_equal(lc_http__method_name(LC_HTTP_GET | LC_HTTP_POST), "OTHER");
}

static void test_allow_format(void **state) {
    (void)state;
    char buf[LC_HTTP__ALLOW_MAX];
    static const struct {
        unsigned set;
        const char *want;
    } cases[] = {
        {0, ""},
        {LC_HTTP_GET, "GET, HEAD"},
        {LC_HTTP_POST, "POST"},
        {LC_HTTP_POST | LC_HTTP_GET, "GET, HEAD, POST"},
        {LC_HTTP_HEAD, "HEAD"},
        {LC_HTTP_DELETE | LC_HTTP_PUT, "PUT, DELETE"},
        {LC_HTTP_GET | LC_HTTP_HEAD | LC_HTTP_POST | LC_HTTP_PUT | LC_HTTP_DELETE | LC_HTTP_PATCH |
             LC_HTTP_OPTIONS,
         "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(lc_http__allow_format(cases[i].set, buf), cases[i].want);
}

static void test_match_table(void **state) {
    (void)state;
    lc_http__router_t r;
    assert_int_equal(lc_http__router_init(&r, routes, NROUTES), LC_OK);
    static const struct {
        const char *path;
        lc_http_method_t m;
        void *want_ctx; /* NULL: no route */
        unsigned want_allow;
    } cases[] = {
        /* exact */
        {"/healthz", LC_HTTP_GET, &h_a, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/readyz", LC_HTTP_GET, &h_b, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/api/graphql", LC_HTTP_POST, &h_c, LC_HTTP_GET | LC_HTTP_HEAD | LC_HTTP_POST},
        {"/api/graphql", LC_HTTP_GET, &h_c, LC_HTTP_GET | LC_HTTP_HEAD | LC_HTTP_POST},
        /* HEAD is served by a GET route */
        {"/healthz", LC_HTTP_HEAD, &h_a, LC_HTTP_GET | LC_HTTP_HEAD},
        /* 405: the path exists, the method does not */
        {"/healthz", LC_HTTP_POST, NULL, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/healthz", LC_HTTP_OTHER, NULL, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/api/graphql", LC_HTTP_DELETE, NULL, LC_HTTP_GET | LC_HTTP_HEAD | LC_HTTP_POST},
        /* two routes, one path: each method finds its own handler, Allow has both */
        {"/items", LC_HTTP_PUT, &h_a, LC_HTTP_PUT | LC_HTTP_DELETE},
        {"/items", LC_HTTP_DELETE, &h_f, LC_HTTP_PUT | LC_HTTP_DELETE},
        {"/items", LC_HTTP_GET, NULL, LC_HTTP_PUT | LC_HTTP_DELETE},
        /* 404: exact routes match nothing longer, shorter, or differently cased */
        {"/healthz/", LC_HTTP_GET, NULL, 0},
        {"/healthzz", LC_HTTP_GET, NULL, 0},
        {"/health", LC_HTTP_GET, NULL, 0},
        {"/HEALTHZ", LC_HTTP_GET, NULL, 0},
        {"/", LC_HTTP_GET, NULL, 0},
        {"", LC_HTTP_GET, NULL, 0},
        {"/nope", LC_HTTP_POST, NULL, 0},
        /* prefix: "/console/" + star covers everything below /console/, not /console itself */
        {"/console/", LC_HTTP_GET, &h_d, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/console/app.js", LC_HTTP_GET, &h_d, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/console/a/b/c", LC_HTTP_HEAD, &h_d, LC_HTTP_GET | LC_HTTP_HEAD},
        {"/console", LC_HTTP_GET, NULL, 0},
        {"/consolex", LC_HTTP_GET, NULL, 0},
        {"/console/app.js", LC_HTTP_POST, NULL, LC_HTTP_GET | LC_HTTP_HEAD},
        /* the longer prefix wins, and its methods alone make Allow */
        {"/console/api/x", LC_HTTP_POST, &h_e, LC_HTTP_POST},
        {"/console/api/x", LC_HTTP_GET, NULL, LC_HTTP_POST},
        {"/console/api", LC_HTTP_GET, &h_d, LC_HTTP_GET | LC_HTTP_HEAD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned allow = 12345;
        const lc_http__route_t *hit =
            lc_http__router_match(&r, lc_str_from(cases[i].path), cases[i].m, &allow);
        if (cases[i].want_ctx) {
            assert_non_null(hit);
            assert_ptr_equal(hit->ctx, cases[i].want_ctx);
            assert_ptr_equal(hit->fn, handler);
        } else {
            assert_null(hit);
        }
        assert_int_equal(allow, cases[i].want_allow);
    }
    lc_http__router_dispose(&r);
    lc_http__router_dispose(&r); /* idempotent */
}

static void test_paths_are_copied(void **state) {
    (void)state;
    char path[] = "/dynamic/*";
    lc_http_route_t one = {path, LC_HTTP_GET, handler, &h_a};
    lc_http__router_t r;
    unsigned allow;
    assert_int_equal(lc_http__router_init(&r, &one, 1), LC_OK);
    memset(path, 'x', sizeof path - 1);
    assert_non_null(lc_http__router_match(&r, LC_STR("/dynamic/1"), LC_HTTP_GET, &allow));
    assert_null(lc_http__router_match(&r, LC_STR("xxxxxxxxx1"), LC_HTTP_GET, &allow));
    lc_http__router_dispose(&r);
}

static void test_catch_all_and_exact_precedence(void **state) {
    (void)state;
    const lc_http_route_t rs[] = {
        {"*", LC_HTTP_GET, handler, &h_a},
        {"/x", LC_HTTP_POST, handler, &h_b},
        {"/x*", LC_HTTP_GET, handler, &h_c},
    };
    lc_http__router_t r;
    unsigned allow;
    assert_int_equal(lc_http__router_init(&r, rs, 3), LC_OK);
    /* an exact route beats any prefix, even for a method only the prefix has */
    assert_null(lc_http__router_match(&r, LC_STR("/x"), LC_HTTP_GET, &allow));
    assert_int_equal(allow, LC_HTTP_POST);
    assert_ptr_equal(lc_http__router_match(&r, LC_STR("/xy"), LC_HTTP_GET, &allow)->ctx, &h_c);
    assert_ptr_equal(lc_http__router_match(&r, LC_STR("/anything"), LC_HTTP_GET, &allow)->ctx,
                     &h_a);
    assert_ptr_equal(lc_http__router_match(&r, LC_STR(""), LC_HTTP_GET, &allow)->ctx, &h_a);
    lc_http__router_dispose(&r);
}

static void test_empty_router(void **state) {
    (void)state;
    lc_http__router_t r;
    unsigned allow = 7;
    assert_int_equal(lc_http__router_init(&r, NULL, 0), LC_OK);
    assert_null(lc_http__router_match(&r, LC_STR("/healthz"), LC_HTTP_GET, &allow));
    assert_int_equal(allow, 0);
    lc_http__router_dispose(&r);
}

static void test_invalid_routes(void **state) {
    (void)state;
    static const lc_http_route_t bad[] = {
        {NULL, LC_HTTP_GET, handler, NULL},      /* no path */
        {"", LC_HTTP_GET, handler, NULL},        /* empty path */
        {"healthz", LC_HTTP_GET, handler, NULL}, /* not absolute */
        {"/a*b", LC_HTTP_GET, handler, NULL},    /* star inside */
        {"/a**", LC_HTTP_GET, handler, NULL},    /* two stars */
        {"/a", 0, handler, NULL},                /* no method */
        {"/a", LC_HTTP_OTHER, handler, NULL},    /* "other" is not a method */
        {"/a", 1u << 20, handler, NULL},         /* unknown bit */
        {"/a", LC_HTTP_GET | (1u << 9), handler, NULL},
        {"/a", LC_HTTP_GET, NULL, NULL}, /* no handler */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_http__router_t r;
        lc_http_route_t two[2] = {routes[0], bad[i]};
        assert_int_equal(lc_http__router_init(&r, two, 2), LC_EINVAL);
        assert_null(r.routes);
        assert_int_equal(r.n, 0);
        lc_http__router_dispose(&r);
    }
    lc_http__router_t r;
    assert_int_equal(lc_http__router_init(&r, NULL, 1), LC_EINVAL);
}

static void test_alloc_failure(void **state) {
    (void)state;
    for (long n = 0;; n++) {
        lc_http__router_t r;
        lc_alloc_fail_after(n);
        int rc = lc_http__router_init(&r, routes, NROUTES);
        long failures = lc_alloc_failures();
        lc_alloc_fail_reset();
        if (rc == LC_OK) {
            assert_int_equal(failures, 0);
            lc_http__router_dispose(&r);
            break;
        }
        assert_int_equal(rc, LC_ENOMEM);
        assert_null(r.routes);
        lc_http__router_dispose(&r);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_method_names, teardown),
        cmocka_unit_test_teardown(test_allow_format, teardown),
        cmocka_unit_test_teardown(test_match_table, teardown),
        cmocka_unit_test_teardown(test_paths_are_copied, teardown),
        cmocka_unit_test_teardown(test_catch_all_and_exact_precedence, teardown),
        cmocka_unit_test_teardown(test_empty_router, teardown),
        cmocka_unit_test_teardown(test_invalid_routes, teardown),
        cmocka_unit_test_teardown(test_alloc_failure, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
