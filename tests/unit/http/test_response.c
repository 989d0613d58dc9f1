/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/response.c: defaults, the JSON error shape (escaped, whatever the
 * message holds), the header limit, and the sticky error an exhausted arena leaves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http_int.h"
#include "lectern/alloc.h"
#include "lectern/arena.h"

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

static void assert_body(const lc_http_resp_t *resp, const char *want) {
    assert_int_equal(resp->body.err, LC_OK);
    assert_int_equal(resp->body.len, strlen(want));
    assert_memory_equal(resp->body.data, want, strlen(want));
}

static void test_defaults(void **state) {
    (void)state;
    lc_arena_t a;
    lc_http_resp_t resp;
    lc_arena_init(&a, 0, 0);
    memset(&resp, 0x5a, sizeof resp);
    lc_http__resp_init(&resp, &a);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.content_type, "application/json");
    assert_int_equal(resp.body.len, 0);
    assert_int_equal(resp.body.err, LC_OK);
    assert_ptr_equal(resp.body.arena, &a);
    assert_int_equal(resp.nheaders, 0);
    lc_arena_dispose(&a);
}

static void test_error_bodies(void **state) {
    (void)state;
    static const struct {
        int status;
        const char *code;
        const char *message;
        const char *want;
    } cases[] = {
        {404, "NOT_FOUND", "no route for /x",
         "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route for /x\"}}"},
        {413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit of 1024 bytes",
         "{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\",\"message\":\"request body exceeds the limit "
         "of 1024 bytes\"}}"},
        /* hostile paths end up in messages: quotes, backslashes and controls are escaped */
        {404, "NOT_FOUND", "no route for /\"a\\b\n\x01",
         "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route for "
         "/\\\"a\\\\b\\n\\u0001\"}}"},
        /* invalid UTF-8 becomes U+FFFD, so the body stays valid JSON */
        {404, "NOT_FOUND", "/\xff",
         "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"/\\ufffd\"}}"},
        /* a failed message allocation still gives a well-formed body */
        {431, "REQUEST_HEADER_FIELDS_TOO_LARGE", NULL,
         "{\"error\":{\"code\":\"REQUEST_HEADER_FIELDS_TOO_LARGE\",\"message\":\"\"}}"},
        {500, NULL, "x", "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"x\"}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_arena_t a;
        lc_http_resp_t resp;
        lc_arena_init(&a, 0, 0);
        lc_http__resp_init(&resp, &a);
        resp.content_type = "text/plain";
        assert_int_equal(lc_buf_append_cstr(&resp.body, "partial output"), LC_OK);
        lc_http_resp_error(&resp, cases[i].status, cases[i].code, cases[i].message);
        assert_int_equal(resp.status, cases[i].status);
        assert_string_equal(resp.content_type, "application/json");
        assert_body(&resp, cases[i].want);
        lc_arena_dispose(&a);
    }
}

static void test_headers(void **state) {
    (void)state;
    lc_arena_t a;
    lc_http_resp_t resp;
    lc_arena_init(&a, 0, 0);
    lc_http__resp_init(&resp, &a);
    for (unsigned i = 0; i < LC_HTTP_MAX_RESP_HEADERS; i++)
        assert_int_equal(lc_http_resp_header(&resp, "X-N", "v"), LC_OK);
    assert_int_equal(lc_http_resp_header(&resp, "X-Over", "v"), LC_ELIMIT);
    assert_int_equal(resp.nheaders, LC_HTTP_MAX_RESP_HEADERS);
    assert_string_equal(resp.headers[0].name, "X-N");
    lc_http__resp_init(&resp, &a);
    assert_int_equal(resp.nheaders, 0);
    assert_int_equal(lc_http_resp_header(&resp, NULL, "v"), LC_EINVAL);
    assert_int_equal(lc_http_resp_header(&resp, "X", NULL), LC_EINVAL);
    assert_int_equal(resp.nheaders, 0);
    lc_arena_dispose(&a);
}

static void test_error_out_of_memory(void **state) {
    (void)state;
    lc_arena_t a;
    lc_http_resp_t resp;
    lc_arena_init(&a, 0, 0);
    lc_http__resp_init(&resp, &a);
    lc_alloc_fail_after(0);
    lc_http_resp_error(&resp, 404, "NOT_FOUND", "no route for /x");
    lc_alloc_fail_reset();
    /* The server sees the sticky error and answers its static 500 instead. */
    assert_int_equal(resp.body.err, LC_ENOMEM);
    assert_int_equal(resp.status, 404);
    lc_arena_dispose(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_defaults, teardown),
        cmocka_unit_test_teardown(test_error_bodies, teardown),
        cmocka_unit_test_teardown(test_headers, teardown),
        cmocka_unit_test_teardown(test_error_out_of_memory, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
