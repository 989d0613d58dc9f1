/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/graphql_envelope.c: Accept negotiation, the Content-Type check, POST
 * bodies and GET arguments read into query / operationName / variables, the status and message
 * of every refusal, hostile JSON (duplicate keys, NUL, 10,000 levels of nesting), and out of
 * memory at every allocation with nothing leaked (jansson's allocations are counted too). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "graphql_http_int.h"
#include "lectern/alloc.h"
#include "lectern/arena.h"
#include "lectern/buf.h"

#define NONE LC_GQLHTTP__MEDIA_NONE
#define JSON LC_GQLHTTP__MEDIA_JSON
#define GQLR LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE

/* ---- jansson through the allocation wrapper, counted --------------------------------------- */

static long json_live; /* blocks jansson holds: 0 after every arena dispose */

static void *json_alloc(size_t n) {
    void *p = lc_malloc(n);
    if (p)
        json_live++;
    return p;
}

static void json_free(void *p) {
    if (p)
        json_live--;
    lc_free(p);
}

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    long live = json_live;
    json_live = 0; /* a failed test leaks; do not blame the next one */
    assert_int_equal(live, 0);
    return 0;
}

/* ---- Helpers ------------------------------------------------------------------------------- */

/* A compact JSON-like rendering of an engine value: maps and lists as in JSON, strings quoted
 * with NUL shown as \0, floats %.17g, and "undefined" for GQL_VAL_UNDEFINED. */
static void render(lc_buf_t *b, const gql_val_t *v) {
    switch (v->kind) {
    case GQL_VAL_UNDEFINED:
        lc_buf_append_cstr(b, "undefined");
        break;
    case GQL_VAL_NULL:
        lc_buf_append_cstr(b, "null");
        break;
    case GQL_VAL_BOOL:
        lc_buf_append_cstr(b, v->b ? "true" : "false");
        break;
    case GQL_VAL_INT:
        lc_buf_append_i64(b, v->i);
        break;
    case GQL_VAL_FLOAT:
        lc_buf_printf(b, "%.17g", v->f);
        break;
    case GQL_VAL_STRING:
        lc_buf_putc(b, '"');
        for (size_t i = 0; i < v->s.len; i++) {
            if (v->s.ptr[i] == '\0')
                lc_buf_append_cstr(b, "\\0");
            else
                lc_buf_putc(b, v->s.ptr[i]);
        }
        lc_buf_putc(b, '"');
        break;
    case GQL_VAL_LIST:
        lc_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->count; i++) {
            if (i)
                lc_buf_putc(b, ',');
            render(b, &v->items[i]);
        }
        lc_buf_putc(b, ']');
        break;
    case GQL_VAL_MAP:
        lc_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->count; i++) {
            if (i)
                lc_buf_putc(b, ',');
            lc_buf_printf(b, "\"%.*s\":", (int)v->props[i].name.len, v->props[i].name.ptr);
            render(b, &v->props[i].value);
        }
        lc_buf_putc(b, '}');
        break;
    default:
        lc_buf_append_cstr(b, "?");
        break;
    }
}

static void assert_vars(lc_arena_t *a, const gql_val_t *v, const char *want) {
    lc_buf_t b;
    lc_buf_init(&b, a, 64, 0);
    render(&b, v);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    assert_string_equal(b.data, want);
}

/* GET arguments: name, value pairs ending with a NULL name. */
typedef struct args {
    const char *kv[12];
} args_t;

static lc_str_t args_lookup(void *ctx, const char *name) {
    const args_t *args = ctx;
    for (size_t i = 0; args->kv[i]; i += 2)
        if (strcmp(args->kv[i], name) == 0)
            return lc_str_from(args->kv[i + 1]);
    return LC_STR_NULL;
}

static lc_str_t opt(const char *s) {
    return s ? lc_str_from(s) : LC_STR_NULL;
}

/* What a case expects. For LC_OK: media, query, operationName (NULL = absent) and the rendered
 * variables; for LC_EINVAL: media, status, a substring of the message and the extra header. */
typedef struct expect {
    int rc;
    lc_gqlhttp__media_t media;
    int status;
    const char *message; /* substring */
    const char *header;  /* "Name: value", NULL for none */
    const char *query;
    size_t query_len; /* 0 = strlen(query) */
    const char *operation_name;
    size_t operation_name_len; /* 0 = strlen(operation_name) */
    const char *variables;
} expect_t;

static void check(const char *name, lc_arena_t *a, int rc, const lc_gqlhttp__params_t *p,
                  const lc_gqlhttp__refusal_t *r, const expect_t *e) {
    print_message("case %s\n", name);
    assert_int_equal(rc, e->rc);
    if (rc == LC_OK) {
        assert_int_equal(p->media, e->media);
        size_t qlen = e->query_len ? e->query_len : strlen(e->query);
        assert_non_null(p->query.ptr);
        assert_int_equal(p->query.len, qlen);
        assert_memory_equal(p->query.ptr, e->query, qlen);
        if (e->operation_name) {
            assert_non_null(p->operation_name.ptr);
            size_t olen = e->operation_name_len ? e->operation_name_len : strlen(e->operation_name);
            assert_int_equal(p->operation_name.len, olen);
            assert_memory_equal(p->operation_name.ptr, e->operation_name, olen);
        } else {
            assert_null(p->operation_name.ptr);
        }
        assert_vars(a, &p->variables, e->variables ? e->variables : "undefined");
        return;
    }
    assert_int_equal(r->media, e->media);
    assert_int_equal(r->status, e->status);
    assert_non_null(r->message);
    if (!strstr(r->message, e->message))
        fail_msg("message \"%s\" lacks \"%s\"", r->message, e->message);
    if (e->header) {
        char h[200];
        assert_non_null(r->header_name);
        snprintf(h, sizeof h, "%s: %s", r->header_name, r->header_value);
        assert_string_equal(h, e->header);
    } else {
        assert_null(r->header_name);
    }
}

#define OK_Q(m, q, op, vars)                                                                       \
    { .rc = LC_OK, .media = (m), .query = (q), .operation_name = (op), .variables = (vars) }
#define REFUSED(m, st, msg, hdr)                                                                   \
    { .rc = LC_EINVAL, .media = (m), .status = (st), .message = (msg), .header = (hdr) }
#define BAD(msg) REFUSED(JSON, 400, msg, NULL)

/* ---- Accept -------------------------------------------------------------------------------- */

static void test_accept(void **state) {
    (void)state;
    static const struct {
        const char *accept; /* NULL = no header */
        lc_gqlhttp__media_t want;
    } cases[] = {
        /* absent or empty: application/json (legacy clients, audit 80D8) */
        {NULL, JSON},
        {"", JSON},
        {"  \t", JSON},
        {" , ,", JSON},
        /* the two types and the wildcards (audits 22EB, 4655, 47DE) */
        {"*/*", JSON},
        {"application/*", JSON},
        {"application/json", JSON},
        {"application/graphql-response+json", GQLR},
        /* listed by name with an equal q: graphql-response+json wins, whatever the order */
        {"application/graphql-response+json, application/json", GQLR},
        {"application/json, application/graphql-response+json", GQLR},
        {"application/json,application/graphql-response+json;q=1.0", GQLR},
        /* q-values decide otherwise */
        {"application/graphql-response+json;q=0.9, application/json", JSON},
        {"application/graphql-response+json, application/json;q=0.9", GQLR},
        {"application/json;q=0.5, application/graphql-response+json;q=0.4", JSON},
        {"application/graphql-response+json;q=0.5, application/*;q=0.6", JSON},
        {"application/graphql-response+json;q=0.5, */*;q=0.8", JSON},
        {"application/*;q=0.5, application/graphql-response+json", GQLR},
        {"application/graphql-response+json;q=0.001", GQLR},
        /* nothing acceptable: 406 */
        {"text/html", NONE},
        {"text/html, application/xhtml+xml", NONE},
        {"text/*", NONE},
        {"application/xml", NONE},
        {"application/graphql+json", NONE},
        {"application/jsonx", NONE},
        {"application/json-seq", NONE},
        {"json", NONE},
        /* a browser's default: the wildcard at q=0.8 admits application/json */
        {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON},
        /* q=0 excludes, and the most specific range decides (RFC 9110 §12.5.1) */
        {"application/json;q=0", NONE},
        {"application/graphql-response+json;q=0", NONE},
        {"*/*;q=0", NONE},
        {"application/json;q=0, */*", GQLR},
        {"application/graphql-response+json;q=0, */*", JSON},
        {"application/graphql-response+json;q=0, application/json;q=0, */*", NONE},
        {"*/*, application/json;q=0", GQLR},
        {"application/*;q=0, application/json", JSON},
        {"application/json;q=0.000", NONE},
        {"application/json;q=0.001", JSON},
        {"application/json;q=0.0001", NONE}, /* only three decimals count */
        /* case and white space */
        {"APPLICATION/GRAPHQL-RESPONSE+JSON", GQLR},
        {"Application/Json", JSON},
        {"application/json;Q=0", NONE},
        {"application/json ; q = 0", NONE},
        {"  application/graphql-response+json  ", GQLR},
        /* parameters other than q are ignored; what follows q is accept-ext */
        {"application/json; charset=utf-8", JSON},
        {"application/graphql-response+json; charset=utf-8; q=0.5, text/html", GQLR},
        {"application/json;level=1;q=0", NONE},
        {"application/json;q=0;level=1", NONE},
        {"application/json;q=0.5;q=0", JSON},
        /* malformed q counts as 0; above 1 as 1 */
        {"application/json;q=abc", NONE},
        {"application/json;q=", NONE},
        {"application/json;q=-1", NONE},
        {"application/json;q=.5", NONE},
        {"application/json;q=0.5x", NONE},
        {"application/json;q=2", JSON},
        {"application/json;q=99999999999999999999", JSON},
        /* a comma inside a quoted parameter only spoils that element */
        {"text/html;x=\"a,b\", application/json", JSON},
        {"application/json;x=\"a,b\"", JSON},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("accept \"%s\"\n", cases[i].accept ? cases[i].accept : "(absent)");
        assert_int_equal(lc_gqlhttp__accept_negotiate(opt(cases[i].accept)), cases[i].want);
    }
    /* a slice, not a C string: bytes past len are not read */
    const char *s = "application/jsonXXX";
    assert_int_equal(lc_gqlhttp__accept_negotiate(lc_str_make(s, 16)), JSON);
    assert_int_equal(lc_gqlhttp__accept_negotiate(lc_str_make(s, 0)), JSON);
}

static void test_media_content_type(void **state) {
    (void)state;
    assert_string_equal(lc_gqlhttp__media_content_type(JSON), "application/json; charset=utf-8");
    assert_string_equal(lc_gqlhttp__media_content_type(GQLR),
                        "application/graphql-response+json; charset=utf-8");
    assert_string_equal(lc_gqlhttp__media_content_type(NONE), "application/json; charset=utf-8");
}

/* ---- Content-Type -------------------------------------------------------------------------- */

static void test_content_type(void **state) {
    (void)state;
    static const struct {
        const char *ct; /* NULL = no header */
        bool json;
    } cases[] = {
        {NULL, false},
        {"", false},
        {"application/json", true},
        {"application/json; charset=utf-8", true},
        {"application/json;charset=UTF-8", true},
        {"APPLICATION/JSON; Charset=\"Utf-8\"", true},
        {"application/json ; charset = utf-8 ", true},
        {"application/json;", true},
        {"application/json; foo=bar", true},
        {"application/json; foo", true},
        {"application/json; charset=latin1", false},
        {"application/json; charset=iso-8859-1", false},
        {"application/json; charset=utf-16", false},
        {"application/json; charset=utf8", false},
        {"application/json; charset=", false},
        {"application/json; charset=\"\"", false},
        {"application/json; foo=bar; charset=latin1", false},
        {"text/plain", false},
        {"text/plain;charset=UTF-8", false}, /* what fetch sends for a string body */
        {"application/x-www-form-urlencoded", false},
        {"multipart/form-data; boundary=x", false},
        {"application/graphql", false},
        {"application/graphql-response+json", false},
        {"application/jsonx", false},
        {"application/json-patch+json", false},
        {"*/*", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("content-type \"%s\"\n", cases[i].ct ? cases[i].ct : "(absent)");
        assert_int_equal(lc_gqlhttp__content_type_is_json(opt(cases[i].ct)), cases[i].json);
    }
}

/* ---- POST ---------------------------------------------------------------------------------- */

#define CT "application/json"

typedef struct post_case {
    const char *name;
    lc_http_method_t method;
    const char *accept; /* NULL = absent */
    const char *ct;     /* NULL = absent */
    const char *body;
    size_t body_len; /* 0 = strlen(body) */
    expect_t e;
} post_case_t;

static const post_case_t post_cases[] = {
    /* the audits' good requests */
    {"minimal", LC_HTTP_POST, NULL, CT, "{\"query\":\"{ __typename }\"}", 0,
     OK_Q(JSON, "{ __typename }", NULL, NULL)},
    {"graphql-response", LC_HTTP_POST, "application/graphql-response+json", CT,
     "{\"query\":\"{a}\"}", 0, OK_Q(GQLR, "{a}", NULL, NULL)},
    {"charset utf-8", LC_HTTP_POST, NULL, "application/json; charset=utf-8",
     "{\"query\":\"{ __type(name: \\\"Run\xf0\x9f\x8f\x83Swim\xf0\x9f\x8f\x8a\\\") { name } }\"}",
     0,
     OK_Q(JSON, "{ __type(name: \"Run\xf0\x9f\x8f\x83Swim\xf0\x9f\x8f\x8a\") { name } }", NULL,
          NULL)},
    {"all parameters", LC_HTTP_POST, "application/json", CT,
     "{\"query\":\"query Q($x:Int){a}\",\"operationName\":\"Q\",\"variables\":{\"x\":1},"
     "\"extensions\":{\"persistedQuery\":{\"version\":1}}}",
     0, OK_Q(JSON, "query Q($x:Int){a}", "Q", "{\"x\":1}")},
    {"unknown keys ignored", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"qeury\":[1,{}]}", 0,
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"query empty string", LC_HTTP_POST, NULL, CT, "{\"query\":\"\"}", 0,
     OK_Q(JSON, "", NULL, NULL)},
    {"escapes unescaped", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a(s:\\\"\\u00e9\\\\n\\\")}\"}", 0,
     OK_Q(JSON, "{a(s:\"\xc3\xa9\\n\")}", NULL, NULL)},
    {"white space around", LC_HTTP_POST, NULL, CT, " \r\n\t{ \"query\" : \"{a}\" } \n", 0,
     OK_Q(JSON, "{a}", NULL, NULL)},

    /* method, Accept and Content-Type come first, in that order */
    {"PUT", LC_HTTP_PUT, NULL, CT, "{\"query\":\"{a}\"}", 0,
     REFUSED(JSON, 405, "Method Not Allowed", "Allow: GET, HEAD, POST")},
    {"OTHER", LC_HTTP_OTHER, "text/html", NULL, "", 0,
     REFUSED(JSON, 405, "Method Not Allowed", "Allow: GET, HEAD, POST")},
    {"PATCH in graphql-response", LC_HTTP_PATCH, "application/graphql-response+json", CT, "", 0,
     REFUSED(GQLR, 405, "Method Not Allowed", "Allow: GET, HEAD, POST")},
    {"406 before 415", LC_HTTP_POST, "text/html", NULL, "{\"query\":\"{a}\"}", 0,
     REFUSED(JSON, 406, "Not Acceptable", NULL)},
    {"406 before body", LC_HTTP_POST, "application/json;q=0", CT, "not json", 0,
     REFUSED(JSON, 406, "Not Acceptable", NULL)},
    {"no Content-Type", LC_HTTP_POST, NULL, NULL, "{\"query\":\"{a}\"}", 0,
     REFUSED(JSON, 415, "Unsupported Media Type", "Accept-Post: application/json")},
    {"text/plain", LC_HTTP_POST, "application/graphql-response+json", "text/plain;charset=UTF-8",
     "{\"query\":\"{a}\"}", 0,
     REFUSED(GQLR, 415, "Unsupported Media Type", "Accept-Post: application/json")},
    {"charset latin1", LC_HTTP_POST, NULL, "application/json; charset=latin1",
     "{\"query\":\"{a}\"}", 0,
     REFUSED(JSON, 415, "Unsupported Media Type", "Accept-Post: application/json")},
    {"415 before body", LC_HTTP_POST, NULL, "application/graphql", "{ a }", 0,
     REFUSED(JSON, 415, "Unsupported Media Type", "Accept-Post: application/json")},

    /* bodies (audits A5BF, BCF8, B7N8) */
    {"empty body", LC_HTTP_POST, NULL, CT, "", 0, BAD("The request body is empty")},
    {"blank body", LC_HTTP_POST, NULL, CT, " \r\n\t ", 0, BAD("The request body is empty")},
    {"not JSON", LC_HTTP_POST, NULL, CT, "{ \"not a JSON", 0,
     BAD("The request body is not valid JSON: ")},
    {"not JSON, graphql-response", LC_HTTP_POST, "application/graphql-response+json", CT,
     "{ \"not a JSON", 0, REFUSED(GQLR, 400, "not valid JSON", NULL)},
    {"position in message", LC_HTTP_POST, NULL, CT, "{\"query\":\n  x}", 0,
     BAD("(line 2, column 3)")},
    {"trailing garbage", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\"} x", 0, BAD("not valid JSON")},
    {"two objects", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\"}{\"query\":\"{b}\"}", 0,
     BAD("not valid JSON")},
    {"truncated", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\"", 0, BAD("not valid JSON")},
    {"single quotes", LC_HTTP_POST, NULL, CT, "{'query':'{a}'}", 0, BAD("not valid JSON")},
    {"comment", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\" /* x */}", 0, BAD("not valid JSON")},
    {"array", LC_HTTP_POST, NULL, CT, "[{\"query\":\"{a}\"}]", 0,
     BAD("The request body must be a JSON object.")},
    {"string", LC_HTTP_POST, NULL, CT, "\"{a}\"", 0,
     BAD("The request body must be a JSON object.")},
    {"number", LC_HTTP_POST, NULL, CT, "42", 0, BAD("The request body must be a JSON object.")},
    {"null", LC_HTTP_POST, NULL, CT, "null", 0, BAD("The request body must be a JSON object.")},
    {"true", LC_HTTP_POST, NULL, CT, "true", 0, BAD("The request body must be a JSON object.")},
    {"invalid UTF-8", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a\xff}\"}", 0, BAD("not valid JSON")},
    {"overlong UTF-8", LC_HTTP_POST, NULL, CT, "{\"query\":\"\xc0\xaf\"}", 0,
     BAD("not valid JSON")},
    {"lone surrogate escape", LC_HTTP_POST, NULL, CT, "{\"query\":\"\\ud800\"}", 0,
     BAD("not valid JSON")},
    {"raw control character", LC_HTTP_POST, NULL, CT, "{\"query\":\"{\n}\"}", 0,
     BAD("not valid JSON")},
    {"byte order mark", LC_HTTP_POST, NULL, CT, "\xef\xbb\xbf{\"query\":\"{a}\"}", 0,
     BAD("not valid JSON")},

    /* query (audits 423L, LKJ0-3, 3E3A) */
    {"{}", LC_HTTP_POST, NULL, CT, "{}", 0, BAD("Missing query")},
    {"typo", LC_HTTP_POST, "application/graphql-response+json", CT, "{\"qeury\":\"{a}\"}", 0,
     REFUSED(GQLR, 400, "Missing query", NULL)},
    {"query null", LC_HTTP_POST, NULL, CT, "{\"query\":null}", 0, BAD("Missing query")},
    {"query number", LC_HTTP_POST, NULL, CT, "{\"query\":0}", 0, BAD("Invalid query")},
    {"query float", LC_HTTP_POST, NULL, CT, "{\"query\":1.5}", 0, BAD("Invalid query")},
    {"query false", LC_HTTP_POST, NULL, CT, "{\"query\":false}", 0, BAD("Invalid query")},
    {"query object", LC_HTTP_POST, NULL, CT, "{\"query\":{\"obj\":\"ect\"}}", 0,
     BAD("Invalid query")},
    {"query array", LC_HTTP_POST, NULL, CT, "{\"query\":[\"array\"]}", 0, BAD("Invalid query")},
    {"query case matters", LC_HTTP_POST, NULL, CT, "{\"Query\":\"{a}\"}", 0, BAD("Missing query")},

    /* operationName (audits 6C00-3, 94B1, 0221) */
    {"operationName null", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"operationName\":null}", 0,
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"operationName empty", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"operationName\":\"\"}", 0,
     OK_Q(JSON, "{a}", "", NULL)},
    {"operationName number", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"operationName\":0}", 0,
     BAD("Invalid operationName")},
    {"operationName false", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"operationName\":false}",
     0, BAD("Invalid operationName")},
    {"operationName object", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"operationName\":{\"obj\":\"ect\"}}", 0, BAD("Invalid operationName")},
    {"operationName array", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"operationName\":[\"array\"]}", 0, BAD("Invalid operationName")},

    /* variables (audits 4760-3, 94B0, 0220, 2EA1, 28B9) */
    {"variables null", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":null}", 0,
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"variables {}", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":{}}", 0,
     OK_Q(JSON, "{a}", NULL, "{}")},
    {"variables string", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":\"{}\"}", 0,
     BAD("Invalid variables")},
    {"variables number", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":0}", 0,
     BAD("Invalid variables")},
    {"variables false", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":false}", 0,
     BAD("Invalid variables")},
    {"variables array", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":[\"array\"]}", 0,
     BAD("Invalid variables")},
    {"variables every type", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"variables\":{\"s\":\"x\",\"i\":-7,\"f\":2.5,\"e\":1e3,\"t\":true,"
     "\"n\":null,\"l\":[1,[2,[]],{}],\"o\":{\"p\":{\"q\":[false]}}}}",
     0,
     OK_Q(JSON, "{a}", NULL,
          "{\"s\":\"x\",\"i\":-7,\"f\":2.5,\"e\":1000,\"t\":true,\"n\":null,"
          "\"l\":[1,[2,[]],{}],\"o\":{\"p\":{\"q\":[false]}}}")},
    {"variables key order kept", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"variables\":{\"z\":1,\"a\":2,\"m\":3}}", 0,
     OK_Q(JSON, "{a}", NULL, "{\"z\":1,\"a\":2,\"m\":3}")},
    {"int64 bounds", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"variables\":{\"max\":9223372036854775807,"
     "\"min\":-9223372036854775808}}",
     0, OK_Q(JSON, "{a}", NULL, "{\"max\":9223372036854775807,\"min\":-9223372036854775808}")},
    /* jansson has no big integers: a number past int64 is refused, not rounded */
    {"integer past int64", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"variables\":{\"n\":9223372036854775808}}", 0, BAD("not valid JSON")},
    {"float overflow", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":{\"n\":1e999}}", 0,
     BAD("not valid JSON")},
    {"NaN", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":{\"n\":NaN}}", 0,
     BAD("not valid JSON")},

    /* extensions (audits 58B0-3, 94B2, 0222, 428F, 1B7A) */
    {"extensions null", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"extensions\":null}", 0,
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"extensions map", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"extensions\":{\"some\":\"value\"}}", 0, OK_Q(JSON, "{a}", NULL, NULL)},
    {"extensions string", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"extensions\":\"string\"}",
     0, BAD("Invalid extensions")},
    {"extensions number", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"extensions\":0}", 0,
     BAD("Invalid extensions")},
    {"extensions false", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"extensions\":false}", 0,
     BAD("Invalid extensions")},
    {"extensions array", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"extensions\":[\"array\"]}",
     0, BAD("Invalid extensions")},

    /* duplicate keys: which one wins is undefined (RFC 8259 §4), so neither does */
    {"duplicate query", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"query\":\"{b}\"}", 0,
     BAD("duplicate object key")},
    {"duplicate in variables", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"variables\":{\"x\":{\"y\":1,\"y\":2}}}", 0, BAD("duplicate object key")},
    {"duplicate unknown key", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"z\":1,\"z\":1}", 0,
     BAD("duplicate object key")},

    /* NUL: escaped in strings it is data (slices keep it), in keys jansson refuses it, raw it is
     * not JSON */
    {"NUL in query",
     LC_HTTP_POST,
     NULL,
     CT,
     "{\"query\":\"{a}\\u0000x\"}",
     0,
     {.rc = LC_OK, .media = JSON, .query = "{a}\0x", .query_len = 5}},
    {"NUL in operationName",
     LC_HTTP_POST,
     NULL,
     CT,
     "{\"query\":\"{a}\",\"operationName\":\"\\u0000\"}",
     0,
     {.rc = LC_OK, .media = JSON, .query = "{a}", .operation_name = "\0", .operation_name_len = 1}},
    {"NUL in a variable", LC_HTTP_POST, NULL, CT,
     "{\"query\":\"{a}\",\"variables\":{\"s\":\"a\\u0000b\"}}", 0,
     OK_Q(JSON, "{a}", NULL, "{\"s\":\"a\\0b\"}")},
    {"NUL in a key", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\",\"variables\":{\"a\\u0000b\":1}}",
     0, BAD("NUL byte in object key")},
    {"raw NUL", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\0\"}", 16, BAD("not valid JSON")},
    {"raw NUL after the object", LC_HTTP_POST, NULL, CT, "{\"query\":\"{a}\"}\0", 16,
     BAD("not valid JSON")},
};

static void run_post_case(const post_case_t *c) {
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_gqlhttp__envelope_in_t in = {
        .method = c->method,
        .accept = opt(c->accept),
        .content_type = opt(c->ct),
        .body = lc_str_make(c->body, c->body_len ? c->body_len : strlen(c->body)),
    };
    lc_gqlhttp__params_t p;
    lc_gqlhttp__refusal_t r;
    int rc = lc_gqlhttp__envelope_parse(&a, &in, &p, &r);
    check(c->name, &a, rc, &p, &r, &c->e);
    lc_arena_dispose(&a);
    assert_int_equal(json_live, 0);
}

static void test_post(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof post_cases / sizeof post_cases[0]; i++)
        run_post_case(&post_cases[i]);
}

/* The body is a slice: nothing past its length is read, and it need not end in a NUL. */
static void test_post_body_is_a_slice(void **state) {
    (void)state;
    static const char text[] = "{\"query\":\"{a}\"}garbage";
    char *exact = lc_malloc(15);
    assert_non_null(exact);
    memcpy(exact, text, 15);
    post_case_t c = {"slice", LC_HTTP_POST, NULL, CT, exact, 15, OK_Q(JSON, "{a}", NULL, NULL)};
    run_post_case(&c);
    lc_free(exact);
}

/* ---- Nesting ------------------------------------------------------------------------------- */

/* prefix + n copies of open + middle + n copies of close + suffix, in the arena. */
static lc_str_t nest(lc_arena_t *a, const char *prefix, const char *open, const char *middle,
                     const char *close, const char *suffix, size_t n) {
    lc_buf_t b;
    lc_buf_init(&b, a, 1024, 0);
    lc_buf_append_cstr(&b, prefix);
    for (size_t i = 0; i < n; i++)
        lc_buf_append_cstr(&b, open);
    lc_buf_append_cstr(&b, middle);
    for (size_t i = 0; i < n; i++)
        lc_buf_append_cstr(&b, close);
    lc_buf_append_cstr(&b, suffix);
    assert_int_equal(b.err, LC_OK);
    return lc_buf_str(&b);
}

static void test_deep_nesting(void **state) {
    (void)state;
    static const struct {
        const char *prefix, *open, *middle, *close, *suffix;
        size_t n;
        int rc;
    } cases[] = {
        /* 10,000 levels: a clean 400, not a stack overflow */
        {"", "[", "", "", "", 10000, LC_EINVAL},
        {"", "[", "", "]", "", 10000, LC_EINVAL},
        {"", "{\"a\":", "1", "}", "", 10000, LC_EINVAL},
        {"{\"query\":\"{a}\",\"variables\":{\"x\":", "[", "", "", "", 10000, LC_EINVAL},
        {"{\"query\":\"{a}\",\"variables\":{\"x\":", "[", "1", "]", "}}", 10000, LC_EINVAL},
        {"{\"query\":\"{a}\",\"extensions\":", "{\"e\":", "{}", "}", "}", 10000, LC_EINVAL},
        {"{\"query\":\"{a}\",\"unknown\":", "[", "", "]", "}", 100000, LC_EINVAL},
        /* within jansson's 2048 levels: read whole into engine values */
        {"{\"query\":\"{a}\",\"variables\":{\"x\":", "[", "1", "]", "}}", 2000, LC_OK},
        {"{\"query\":\"{a}\",\"variables\":{\"x\":", "{\"a\":", "1", "}", "}}", 2000, LC_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("nesting case %zu\n", i);
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        lc_str_t body = nest(&a, cases[i].prefix, cases[i].open, cases[i].middle, cases[i].close,
                             cases[i].suffix, cases[i].n);
        lc_gqlhttp__envelope_in_t in = {
            .method = LC_HTTP_POST, .content_type = LC_STR(CT), .body = body};
        lc_gqlhttp__params_t p;
        lc_gqlhttp__refusal_t r;
        int rc = lc_gqlhttp__envelope_parse(&a, &in, &p, &r);
        assert_int_equal(rc, cases[i].rc);
        if (rc == LC_EINVAL) {
            assert_int_equal(r.status, 400);
            assert_non_null(strstr(r.message, "not valid JSON"));
        } else {
            /* walk down to the innermost value */
            assert_int_equal(p.variables.kind, GQL_VAL_MAP);
            assert_int_equal(p.variables.count, 1);
            assert_true(lc_str_eq_cstr(p.variables.props[0].name, "x"));
            const gql_val_t *v = &p.variables.props[0].value;
            size_t depth = 0;
            while (v && (v->kind == GQL_VAL_LIST || v->kind == GQL_VAL_MAP) && v->count == 1) {
                v = v->kind == GQL_VAL_LIST ? &v->items[0] : &v->props[0].value;
                depth++;
            }
            assert_int_equal(depth, cases[i].n);
            assert_non_null(v);
            assert_int_equal(v->kind, GQL_VAL_INT);
        }
        lc_arena_dispose(&a);
        assert_int_equal(json_live, 0);
    }
    /* GET variables too */
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_str_t deep = nest(&a, "", "[", "", "", "", 10000);
    char *vars = lc_arena_strndup(&a, deep.ptr, deep.len);
    assert_non_null(vars);
    args_t args = {{"query", "{a}", "variables", vars, "extensions", vars, NULL}};
    lc_gqlhttp__envelope_in_t in = {
        .method = LC_HTTP_GET, .query = args_lookup, .query_ctx = &args};
    lc_gqlhttp__params_t p;
    lc_gqlhttp__refusal_t r;
    assert_int_equal(lc_gqlhttp__envelope_parse(&a, &in, &p, &r), LC_EINVAL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.message, "Invalid variables"));
    lc_arena_dispose(&a);
}

/* ---- GET ----------------------------------------------------------------------------------- */

typedef struct get_case {
    const char *name;
    lc_http_method_t method;
    const char *accept;
    const char *ct;
    args_t args;
    expect_t e;
} get_case_t;

static const get_case_t get_cases[] = {
    /* audits 5A70, D6D5, 6A70 */
    {"query",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{ __typename }", NULL}},
     OK_Q(JSON, "{ __typename }", NULL, NULL)},
    {"HEAD is GET",
     LC_HTTP_HEAD,
     NULL,
     NULL,
     {{"query", "{a}", NULL}},
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"graphql-response",
     LC_HTTP_GET,
     "application/graphql-response+json",
     NULL,
     {{"query", "query Type($name: String!) { __type(name: $name) { name } }", "variables",
       "{\"name\":\"sometype\"}", NULL}},
     OK_Q(GQLR, "query Type($name: String!) { __type(name: $name) { name } }", NULL,
          "{\"name\":\"sometype\"}")},
    {"all arguments",
     LC_HTTP_GET,
     "application/json",
     NULL,
     {{"operationName", "Q", "query", "query Q { a }", "variables", "{\"a\":[1,2.5,null]}",
       "extensions", "{\"x\":{}}", NULL}},
     OK_Q(JSON, "query Q { a }", "Q", "{\"a\":[1,2.5,null]}")},
    /* Content-Type and body are not read for GET */
    {"Content-Type ignored",
     LC_HTTP_GET,
     NULL,
     "text/plain",
     {{"query", "{a}", NULL}},
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"no query", LC_HTTP_GET, NULL, NULL, {{"variables", "{}", NULL}}, BAD("Missing query")},
    {"no arguments",
     LC_HTTP_GET,
     "application/graphql-response+json",
     NULL,
     {{NULL}},
     REFUSED(GQLR, 400, "Missing query", NULL)},
    {"query empty", LC_HTTP_GET, NULL, NULL, {{"query", "", NULL}}, OK_Q(JSON, "", NULL, NULL)},
    {"406",
     LC_HTTP_GET,
     "text/html",
     NULL,
     {{"query", "{a}", NULL}},
     REFUSED(JSON, 406, "Not Acceptable", NULL)},
    {"operationName empty",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "operationName", "", NULL}},
     OK_Q(JSON, "{a}", "", NULL)},
    /* variables is JSON text */
    {"variables empty",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "", NULL}},
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"variables null",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "null", NULL}},
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"variables {}",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", " {} ", NULL}},
     OK_Q(JSON, "{a}", NULL, "{}")},
    {"variables invalid JSON",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "{\"name\":", NULL}},
     BAD("Invalid variables: the parameter \"variables\" is not valid JSON: ")},
    {"variables not JSON at all",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "name=x", NULL}},
     BAD("is not valid JSON")},
    {"variables array",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "[1]", NULL}},
     BAD("must be a JSON object")},
    {"variables string",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "\"{}\"", NULL}},
     BAD("must be a JSON object")},
    {"variables number",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "0", NULL}},
     BAD("must be a JSON object")},
    {"variables duplicate",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "{\"a\":1,\"a\":2}", NULL}},
     BAD("duplicate object key")},
    {"variables NUL string",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "variables", "{\"s\":\"\\u0000\"}", NULL}},
     OK_Q(JSON, "{a}", NULL, "{\"s\":\"\\0\"}")},
    /* extensions likewise */
    {"extensions null",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "extensions", "null", NULL}},
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"extensions empty",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "extensions", "", NULL}},
     OK_Q(JSON, "{a}", NULL, NULL)},
    {"extensions array",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "extensions", "[]", NULL}},
     BAD("Invalid extensions")},
    {"extensions invalid JSON",
     LC_HTTP_GET,
     NULL,
     NULL,
     {{"query", "{a}", "extensions", "{", NULL}},
     BAD("Invalid extensions")},
};

static void test_get(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof get_cases / sizeof get_cases[0]; i++) {
        const get_case_t *c = &get_cases[i];
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        lc_gqlhttp__envelope_in_t in = {
            .method = c->method,
            .accept = opt(c->accept),
            .content_type = opt(c->ct),
            .body = LC_STR("{ this is ignored"),
            .query = args_lookup,
            .query_ctx = (void *)&c->args,
        };
        lc_gqlhttp__params_t p;
        lc_gqlhttp__refusal_t r;
        int rc = lc_gqlhttp__envelope_parse(&a, &in, &p, &r);
        check(c->name, &a, rc, &p, &r, &c->e);
        lc_arena_dispose(&a);
        assert_int_equal(json_live, 0);
    }
}

/* No lookup function: a GET without arguments. */
static void test_get_without_lookup(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_gqlhttp__envelope_in_t in = {.method = LC_HTTP_GET};
    lc_gqlhttp__params_t p;
    lc_gqlhttp__refusal_t r;
    assert_int_equal(lc_gqlhttp__envelope_parse(&a, &in, &p, &r), LC_EINVAL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.message, "Missing query"));
    lc_arena_dispose(&a);
}

/* ---- Out of memory ------------------------------------------------------------------------- */

/* Fails the 1st, 2nd, ... allocation (arena chunks and jansson's blocks alike) until the parse
 * gets through: every failure before that must be a clean LC_ENOMEM with nothing written (or
 * the 400 of a JSON error, where jansson mistakes a failed allocation for one), and nothing
 * leaked. chunk is the arena's chunk size (small: more chunk allocations to fail). */
static void oom_loop(const lc_gqlhttp__envelope_in_t *in, size_t chunk, int want) {
    long n;
    for (n = 0; n < 100000; n++) {
        lc_arena_t a;
        lc_arena_init(&a, chunk, 0);
        lc_gqlhttp__params_t p;
        lc_gqlhttp__refusal_t r;
        memset(&p, 0x5a, sizeof p);
        memset(&r, 0x5a, sizeof r);
        lc_alloc_fail_after(n);
        int rc = lc_gqlhttp__envelope_parse(&a, in, &p, &r);
        lc_alloc_fail_reset();
        if (lc_alloc_failures() == 0) {
            assert_int_equal(rc, want);
            lc_arena_dispose(&a);
            assert_int_equal(json_live, 0);
            break;
        }
        if (rc == LC_EINVAL) {
            /* jansson reports a failed string copy in its lexer as a syntax error */
            assert_int_equal(r.status, 400);
            assert_non_null(strstr(r.message, "JSON"));
            lc_arena_dispose(&a);
            assert_int_equal(json_live, 0);
            continue;
        }
        assert_int_equal(rc, LC_ENOMEM);
        unsigned char pat[sizeof p > sizeof r ? sizeof p : sizeof r];
        memset(pat, 0x5a, sizeof pat);
        assert_memory_equal(&p, pat, sizeof p);
        assert_memory_equal(&r, pat, sizeof r);
        lc_arena_dispose(&a);
        assert_int_equal(json_live, 0);
    }
    assert_true(n > 0 && n < 100000);
}

static void test_out_of_memory(void **state) {
    (void)state;
    static const struct {
        const char *body;
        int want;
    } cases[] = {
        {"{\"query\":\"query Q($x:In){a}\",\"operationName\":\"Q\",\"variables\":{\"x\":{\"a\":[1,"
         "2.5,\"s\",null,true,{\"b\":{}}]},\"y\":\"z\"},\"extensions\":{\"e\":[1]}}",
         LC_OK},
        {"{ \"not a JSON", LC_EINVAL},
        {"{\"query\":\"{a}\",\"query\":1}", LC_EINVAL},
        {"[1,2,3]", LC_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("oom body %zu\n", i);
        lc_gqlhttp__envelope_in_t in = {
            .method = LC_HTTP_POST, .content_type = LC_STR(CT), .body = lc_str_from(cases[i].body)};
        oom_loop(&in, 0, cases[i].want);
        oom_loop(&in, 64, cases[i].want);
    }
    args_t args = {
        {"query", "{a}", "variables", "{\"a\":[{\"b\":1},2]}", "extensions", "{\"c\":{}}", NULL}};
    lc_gqlhttp__envelope_in_t in = {
        .method = LC_HTTP_GET, .query = args_lookup, .query_ctx = &args};
    oom_loop(&in, 0, LC_OK);
    oom_loop(&in, 64, LC_OK);
    args_t bad = {{"query", "{a}", "variables", "{\"a\":", NULL}};
    in.query_ctx = &bad;
    oom_loop(&in, 0, LC_EINVAL);
}

/* An arena with a byte limit behaves like a failing allocator: LC_ENOMEM, nothing leaked. */
static void test_arena_limit(void **state) {
    (void)state;
    const char *body = "{\"query\":\"{a}\",\"variables\":{\"x\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,"
                       "15,16],\"y\":{\"a\":{\"b\":{\"c\":\"d\"}}}}}";
    bool ok = false;
    for (size_t max = 0; max < 64 * 1024 && !ok; max += 8) {
        lc_arena_t a;
        lc_arena_init(&a, 256, max);
        lc_gqlhttp__envelope_in_t in = {
            .method = LC_HTTP_POST, .content_type = LC_STR(CT), .body = lc_str_from(body)};
        lc_gqlhttp__params_t p;
        lc_gqlhttp__refusal_t r;
        int rc = lc_gqlhttp__envelope_parse(&a, &in, &p, &r);
        if (rc == LC_OK)
            ok = true;
        else
            assert_int_equal(rc, LC_ENOMEM);
        lc_arena_dispose(&a);
        assert_int_equal(json_live, 0);
    }
    assert_true(ok);
}

int main(void) {
    json_set_alloc_funcs(json_alloc, json_free);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_accept, teardown),
        cmocka_unit_test_teardown(test_media_content_type, teardown),
        cmocka_unit_test_teardown(test_content_type, teardown),
        cmocka_unit_test_teardown(test_post, teardown),
        cmocka_unit_test_teardown(test_post_body_is_a_slice, teardown),
        cmocka_unit_test_teardown(test_deep_nesting, teardown),
        cmocka_unit_test_teardown(test_get, teardown),
        cmocka_unit_test_teardown(test_get_without_lookup, teardown),
        cmocka_unit_test_teardown(test_out_of_memory, teardown),
        cmocka_unit_test_teardown(test_arena_limit, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
