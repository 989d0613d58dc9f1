/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the GraphQL-over-HTTP envelope (src/http/graphql_envelope.c): whatever
 * the method, headers, body and query arguments, lc_gqlhttp__envelope_parse must either read
 * the parameters or refuse with a well-formed answer, never crash, leak, or read past its
 * input. The same check runs on gcc builds through replay.c over fuzz/corpus/envelope and
 * fuzz/crashers/envelope (ctest fuzz_envelope_replay).
 *
 * Input layout: byte 0 picks the method, byte 1 the Content-Type, byte 2 the Accept value (an
 * index past the table takes the value from the data instead), byte 3 the arena's byte limit
 * (most values: none). The rest is split at 0xFF bytes (never valid in UTF-8): first the
 * Content-Type and Accept values when they come from the data, then the POST body, or for GET
 * and HEAD the query, operationName, variables and extensions arguments (missing = absent). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphql_http_int.h"
#include "lectern/arena.h"
#include "lectern/buf.h"
#include "lectern/json.h"
#include "lectern/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP 0xFF

static const lc_http_method_t methods[] = {
    LC_HTTP_POST, LC_HTTP_POST, LC_HTTP_POST, LC_HTTP_GET,
    LC_HTTP_GET,  LC_HTTP_HEAD, LC_HTTP_PUT,  LC_HTTP_OTHER,
};

static const char *const content_types[] = {
    "application/json",
    NULL,
    "application/json; charset=utf-8",
    "application/json;charset=\"UTF-8\"",
    "application/json; charset=latin1",
    "text/plain;charset=UTF-8",
    "application/graphql",
    "APPLICATION/JSON ; foo=bar",
    "",
};
#define N_CONTENT_TYPES (sizeof content_types / sizeof content_types[0])

static const char *const accepts[] = {
    NULL,
    "application/json",
    "application/graphql-response+json",
    "*/*",
    "application/graphql-response+json, application/json;q=0.9",
    "application/json;q=0, */*",
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/*;q=0.5, application/graphql-response+json;q=0",
    "",
};
#define N_ACCEPTS (sizeof accepts / sizeof accepts[0])

static void fail(const char *what) {
    fprintf(stderr, "fuzz_envelope: %s\n", what);
    abort();
}

/* The next 0xFF-separated segment of [*p, end); {NULL,0} when the input is used up. */
static lc_str_t segment(const char **p, const char *end) {
    if (!*p)
        return LC_STR_NULL;
    const char *sep = memchr(*p, SEP, (size_t)(end - *p));
    lc_str_t s = lc_str_make(*p, (size_t)((sep ? sep : end) - *p));
    *p = sep ? sep + 1 : NULL;
    return s;
}

/* GET arguments as the server has them: NUL-terminated (MHD's are), so each is copied into
 * the arena. A value with a NUL inside ends at it, as it would after URL decoding by MHD. */
typedef struct args {
    lc_str_t query, operation_name, variables, extensions;
} args_t;

static lc_str_t args_lookup(void *ctx, const char *name) {
    const args_t *a = ctx;
    if (strcmp(name, "query") == 0)
        return a->query;
    if (strcmp(name, "operationName") == 0)
        return a->operation_name;
    if (strcmp(name, "variables") == 0)
        return a->variables;
    if (strcmp(name, "extensions") == 0)
        return a->extensions;
    return LC_STR_NULL;
}

static lc_str_t arena_copy(lc_arena_t *a, lc_str_t s) {
    if (!s.ptr)
        return s;
    char *d = lc_arena_strndup(a, s.ptr, s.len);
    if (!d)
        fail("arena copy failed");
    return lc_str_from(d);
}

/* Every byte of a value is readable and its shape is consistent; returns the node count. */
static size_t walk(const gql_val_t *v, unsigned depth, unsigned *checksum) {
    if (depth > 4096)
        fail("value nested deeper than jansson allows");
    size_t n = 1;
    switch (v->kind) {
    case GQL_VAL_NULL:
    case GQL_VAL_BOOL:
    case GQL_VAL_INT:
    case GQL_VAL_FLOAT:
        break;
    case GQL_VAL_STRING:
        if (v->s.len && !v->s.ptr)
            fail("string without bytes");
        for (size_t i = 0; i < v->s.len; i++)
            *checksum += (unsigned char)v->s.ptr[i];
        if (!lc_utf8_valid(v->s.ptr, v->s.len))
            fail("string is not UTF-8");
        break;
    case GQL_VAL_LIST:
        if (v->count && !v->items)
            fail("list without items");
        for (uint32_t i = 0; i < v->count; i++)
            n += walk(&v->items[i], depth + 1, checksum);
        break;
    case GQL_VAL_MAP:
        if (v->count && !v->props)
            fail("map without properties");
        for (uint32_t i = 0; i < v->count; i++) {
            const gql_prop_t *p = &v->props[i];
            if (!p->name.ptr || !lc_utf8_valid(p->name.ptr, p->name.len))
                fail("bad property name");
            for (uint32_t j = 0; j < i && v->count < 64; j++)
                if (lc_str_eq(v->props[j].name, p->name))
                    fail("duplicate property name");
            n += walk(&p->value, depth + 1, checksum);
        }
        break;
    default:
        fail("unexpected value kind");
    }
    return n;
}

/* The answer lc_gql_http_handle writes for a refusal must be JSON that jansson reads back. */
static void check_refusal_body(lc_arena_t *a, const lc_gqlhttp__refusal_t *r) {
    lc_buf_t b;
    lc_buf_init(&b, a, 256, 0);
    lc_buf_append_cstr(&b, "{\"errors\":[{\"message\":");
    lc_json_write_string(&b, r->message, strlen(r->message));
    lc_buf_append_cstr(&b, "}]}");
    if (b.err != LC_OK)
        return; /* a limited arena ran out: not the envelope's concern */
    json_error_t err;
    json_t *j = json_loadb(b.data, b.len, 0, &err);
    if (!j)
        fail("refusal body is not JSON");
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4)
        return 0;
    lc_http_method_t method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    unsigned ct_i = data[1] % (N_CONTENT_TYPES + 1), acc_i = data[2] % (N_ACCEPTS + 1);
    size_t limit = data[3] >= 0xF0 ? (size_t)(data[3] - 0xEF) * 384 : 0;
    const char *p = (const char *)data + 4, *end = (const char *)data + size;

    lc_arena_t arena;
    lc_arena_init(&arena, limit ? 256 : 0, limit);
    lc_gqlhttp__envelope_in_t in = {.method = method};
    in.content_type = ct_i < N_CONTENT_TYPES ? lc_str_from(content_types[ct_i]) : segment(&p, end);
    in.accept = acc_i < N_ACCEPTS ? lc_str_from(accepts[acc_i]) : segment(&p, end);
    args_t args = {LC_STR_NULL, LC_STR_NULL, LC_STR_NULL, LC_STR_NULL};
    lc_arena_t scratch; /* for the GET copies: not limited, not the arena under test */
    lc_arena_init(&scratch, 0, 0);
    if (method == LC_HTTP_POST) {
        in.body = p ? lc_str_make(p, (size_t)(end - p)) : LC_STR_NULL;
    } else {
        args.query = arena_copy(&scratch, segment(&p, end));
        args.operation_name = arena_copy(&scratch, segment(&p, end));
        args.variables = arena_copy(&scratch, segment(&p, end));
        args.extensions = arena_copy(&scratch, segment(&p, end));
        in.query = args_lookup;
        in.query_ctx = &args;
        in.body = LC_STR("{\"query\":\"{ ignored }\"}");
    }

    lc_gqlhttp__params_t out;
    lc_gqlhttp__refusal_t r;
    int rc = lc_gqlhttp__envelope_parse(&arena, &in, &out, &r);
    lc_gqlhttp__media_t media = lc_gqlhttp__accept_negotiate(in.accept);
    unsigned checksum = 0;
    if (rc == LC_OK) {
        if (method != LC_HTTP_POST && method != LC_HTTP_GET && method != LC_HTTP_HEAD)
            fail("accepted a method other than GET, HEAD or POST");
        if (media == LC_GQLHTTP__MEDIA_NONE || out.media != media)
            fail("answer media differs from the negotiated one");
        if (method == LC_HTTP_POST && !lc_gqlhttp__content_type_is_json(in.content_type))
            fail("accepted a POST that is not application/json");
        if (!out.query.ptr)
            fail("no query");
        for (size_t i = 0; i < out.query.len; i++)
            checksum += (unsigned char)out.query.ptr[i];
        for (size_t i = 0; out.operation_name.ptr && i < out.operation_name.len; i++)
            checksum += (unsigned char)out.operation_name.ptr[i];
        if (out.variables.kind != GQL_VAL_UNDEFINED && out.variables.kind != GQL_VAL_MAP)
            fail("variables neither absent nor a map");
        if (out.variables.kind == GQL_VAL_MAP)
            walk(&out.variables, 0, &checksum);
    } else if (rc == LC_EINVAL) {
        if (!r.message || !r.message[0])
            fail("refusal without a message");
        if (r.media == LC_GQLHTTP__MEDIA_NONE)
            fail("refusal without a media type");
        switch (r.status) {
        case 405:
            if (!r.header_name || strcmp(r.header_name, "Allow") != 0 || !r.header_value)
                fail("405 without Allow");
            break;
        case 406:
            if (media != LC_GQLHTTP__MEDIA_NONE || r.header_name)
                fail("406 for an acceptable media type");
            break;
        case 415:
            if (!r.header_name || strcmp(r.header_name, "Accept-Post") != 0 || !r.header_value ||
                lc_gqlhttp__content_type_is_json(in.content_type))
                fail("bad 415");
            break;
        case 400:
            if (r.header_name)
                fail("400 with a header");
            break;
        default:
            fail("unexpected status");
        }
        check_refusal_body(&scratch, &r);
    } else if (rc == LC_ENOMEM) {
        if (!limit)
            fail("out of memory without an arena limit");
    } else {
        fail("unexpected status code");
    }
    /* keep the reads above from being optimised away */
    if (checksum == 0xFFFFFFFFu)
        fprintf(stderr, "%u\n", checksum);

    lc_arena_dispose(&arena);
    lc_arena_dispose(&scratch);
    return 0;
}
