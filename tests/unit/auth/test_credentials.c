/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/credentials.c: the Authorization header's Bearer token (lenient on white
 * space, strict on the rest) and cookies of a Cookie header. Table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/auth.h"

typedef struct bearer_case {
    const char *header; /* NULL: absent */
    int rc;
    const char *token; /* when LC_OK */
} bearer_case_t;

static const bearer_case_t bearer_cases[] = {
    {NULL, LC_ENOTFOUND, NULL},
    {"", LC_ENOTFOUND, NULL},
    {" \t ", LC_ENOTFOUND, NULL},
    {"Bearer abc", LC_OK, "abc"},
    {"bearer abc", LC_OK, "abc"},
    {"BEARER abc", LC_OK, "abc"},
    {"bEaReR abc", LC_OK, "abc"},
    {"Bearer    abc", LC_OK, "abc"},
    {"Bearer\tabc", LC_OK, "abc"},
    {"  Bearer abc  ", LC_OK, "abc"},
    {"\tBearer \t abc\t", LC_OK, "abc"},
    {"Bearer lct_0123456789ABCDEFGHIJabcdefghij4Us3aw", LC_OK,
     "lct_0123456789ABCDEFGHIJabcdefghij4Us3aw"},
    /* token68 may end in '=': not ours, but the parser leaves judging it to lc_token_check */
    {"Bearer abc==", LC_OK, "abc=="},
    {"Bearer", LC_EINVAL, NULL},
    {"Bearer ", LC_EINVAL, NULL},
    {"Bearer\t\t", LC_EINVAL, NULL},
    {"Bearerabc", LC_EINVAL, NULL},
    {"Bearer: abc", LC_EINVAL, NULL},
    {"Bearer abc def", LC_EINVAL, NULL},
    {"Bearer abc\tdef", LC_EINVAL, NULL},
    {"Basic dXNlcjpwYXNz", LC_EINVAL, NULL},
    {"Token abc", LC_EINVAL, NULL},
    {"Bearers abc", LC_EINVAL, NULL},
    {"Beare abc", LC_EINVAL, NULL},
    {"abc", LC_EINVAL, NULL},
    {"lct_0123456789ABCDEFGHIJabcdefghij4Us3aw", LC_EINVAL, NULL},
    {"Bearer, abc", LC_EINVAL, NULL},
    /* Only SP and HTAB are white space here (RFC 7230 OWS): CR/LF belong to the token, and
     * lc_token_check refuses it. */
    {"Bearer abc\r\n", LC_OK, "abc\r\n"},
};

static void bearer_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof bearer_cases / sizeof bearer_cases[0]; i++) {
        const bearer_case_t *c = &bearer_cases[i];
        lc_str_t tok = {"untouched", 9};
        int rc = lc_auth_bearer_parse(lc_str_from(c->header), &tok);
        if (rc != c->rc)
            fail_msg("case %zu \"%s\": %s, want %s", i, c->header ? c->header : "(null)",
                     lc_status_name(rc), lc_status_name(c->rc));
        if (rc == LC_OK) {
            assert_true(lc_str_eq_cstr(tok, c->token));
            /* A slice of the header, not a copy. */
            assert_true(tok.ptr >= c->header && tok.ptr + tok.len <= c->header + strlen(c->header));
        } else {
            assert_true(lc_str_eq_cstr(tok, "untouched"));
        }
    }
    /* The slice's length is the end: bytes past it are not read. */
    lc_str_t tok;
    assert_int_equal(lc_auth_bearer_parse(lc_str_make("Bearer abcXXX", 10), &tok), LC_OK);
    assert_true(lc_str_eq_cstr(tok, "abc"));
}

typedef struct cookie_case {
    const char *header;
    const char *name;
    const char *value; /* NULL: none */
} cookie_case_t;

static const cookie_case_t cookie_cases[] = {
    {"lectern_session=abc", "lectern_session", "abc"},
    {"a=1; lectern_session=abc; b=2", "lectern_session", "abc"},
    {"a=1;lectern_session=abc;b=2", "lectern_session", "abc"},
    {"  lectern_session = abc  ;", "lectern_session", "abc"},
    {"lectern_session=\"abc\"", "lectern_session", "abc"},
    {"lectern_session=", "lectern_session", ""},
    {"lectern_session=a=b", "lectern_session", "a=b"},
    {"x_lectern_session=abc", "lectern_session", NULL},
    {"lectern_session_x=abc", "lectern_session", NULL},
    {"LECTERN_SESSION=abc", "lectern_session", NULL},
    {"lectern_session", "lectern_session", NULL},
    {"", "lectern_session", NULL},
    {";;;", "lectern_session", NULL},
    {"lectern_session=first; lectern_session=second", "lectern_session", "first"},
    {"lectern_csrf=c; lectern_session=s", "lectern_csrf", "c"},
    {"a=\"", "a", "\""},
};

static void cookie_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof cookie_cases / sizeof cookie_cases[0]; i++) {
        const cookie_case_t *c = &cookie_cases[i];
        lc_str_t v = lc_auth_cookie_get(lc_str_from(c->header), c->name);
        if (c->value == NULL) {
            if (v.ptr != NULL)
                fail_msg("case %zu \"%s\": found \"%.*s\"", i, c->header, (int)v.len, v.ptr);
        } else {
            if (v.ptr == NULL || !lc_str_eq_cstr(v, c->value))
                fail_msg("case %zu \"%s\": got \"%.*s\", want \"%s\"", i, c->header, (int)v.len,
                         v.ptr ? v.ptr : "", c->value);
        }
    }
    assert_null(lc_auth_cookie_get(LC_STR_NULL, "a").ptr);
    assert_null(lc_auth_cookie_get(LC_STR("a=1"), "").ptr);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bearer_table),
        cmocka_unit_test(cookie_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
