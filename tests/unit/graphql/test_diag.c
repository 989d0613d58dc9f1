/* SPDX-License-Identifier: MIT */
/* Unit tests of src/graphql/diag.c: the diagnostics list (formatting, locations, the maximum,
 * paths copied off the stack, extensions, parse errors) and its JSON form, parsed back with
 * jansson and compared byte for byte where graphql-js's key order matters. Also
 * src/graphql/value.c's gql_val_get. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "gql/diag.h"
#include "gql/value.h"
#include "lectern/alloc.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

/* The JSON of d, NUL-terminated, in arena a. */
static const char *to_json(const gql_diags_t *d, lc_arena_t *a) {
    lc_buf_t b;
    lc_buf_init(&b, a, 64, 0);
    assert_int_equal(gql_diags_write_json(d, &b), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    return b.data;
}

static json_t *parse_json(const char *text) {
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("invalid JSON (%s): %s", err.text, text);
    return j;
}

static void test_add_and_format(void **state) {
    (void)state;
    lc_arena_t a;
    gql_diags_t d;
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 0);
    assert_null(d.head);
    assert_string_equal(to_json(&d, &a), "[]");

    gql_loc_t locs[10];
    for (uint32_t i = 0; i < 10; i++)
        locs[i] = (gql_loc_t){i + 1, 2 * i + 1, 0};
    gql_diag_t *x = gql_diags_add(&d, locs, 1, "Cannot query field \"%s\" on type \"%.*s\".",
                                  "nope", 5, "Query!!");
    assert_non_null(x);
    assert_true(lc_str_eq_cstr(x->message, "Cannot query field \"nope\" on type \"Query\"."));
    assert_int_equal(x->nlocations, 1);
    /* Locations past GQL_DIAG_MAX_LOCATIONS are dropped. */
    gql_diag_t *y = gql_diags_add(&d, locs, 10, "many");
    assert_int_equal(y->nlocations, GQL_DIAG_MAX_LOCATIONS);
    assert_int_equal(y->locations[7].line, 8);
    gql_diag_t *z = gql_diags_add(&d, NULL, 0, "%s", "");
    assert_int_equal(z->message.len, 0);
    assert_int_equal(d.count, 3);
    assert_ptr_equal(d.head, x);
    assert_ptr_equal(x->next, y);
    assert_ptr_equal(d.tail, z);
    assert_null(z->next);
    lc_arena_dispose(&a);
}

static void test_max(void **state) {
    (void)state;
    lc_arena_t a;
    gql_diags_t d;
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 2);
    assert_non_null(gql_diags_add(&d, NULL, 0, "one"));
    assert_non_null(gql_diags_add(&d, NULL, 0, "two"));
    assert_null(gql_diags_add(&d, NULL, 0, "three"));
    assert_null(gql_diags_add(&d, NULL, 0, "four"));
    assert_int_equal(d.count, 2);
    assert_int_equal(d.dropped, 2);
    assert_string_equal(to_json(&d, &a), "[{\"message\":\"one\"},{\"message\":\"two\"}]");
    lc_arena_dispose(&a);
}

/* graphql-js's order of keys and shapes, byte for byte. */
static void test_json_exact(void **state) {
    (void)state;
    static const struct {
        const char *message;
        uint32_t nlocs;
        gql_loc_t locs[3];
        int path; /* 0: none, 1: hero.friends[1].name */
        const char *code;
        const char *ext_key, *ext_value;
        const char *json;
    } cases[] = {
        {"plain", 0, {{0}}, 0, NULL, NULL, NULL, "{\"message\":\"plain\"}"},
        {"at",
         2,
         {{1, 2, 0}, {3, 4, 9}},
         0,
         NULL,
         NULL,
         NULL,
         "{\"message\":\"at\",\"locations\":[{\"line\":1,\"column\":2},{\"line\":3,\"column\":4}]"
         "}"},
        /* A location with line 0 is "no location" and is left out. */
        {"nowhere",
         2,
         {{0, 0, 0}, {5, 6, 0}},
         0,
         NULL,
         NULL,
         NULL,
         "{\"message\":\"nowhere\",\"locations\":[{\"line\":5,\"column\":6}]}"},
        {"only nowhere", 1, {{0, 0, 0}}, 0, NULL, NULL, NULL, "{\"message\":\"only nowhere\"}"},
        {"field",
         1,
         {{2, 3, 0}},
         1,
         "FORBIDDEN",
         NULL,
         NULL,
         "{\"message\":\"field\",\"locations\":[{\"line\":2,\"column\":3}],\"path\":[\"hero\","
         "\"friends\",1,\"name\"],\"extensions\":{\"code\":\"FORBIDDEN\"}}"},
        {"ext",
         0,
         {{0}},
         0,
         "BAD_USER_INPUT",
         "field",
         "a\"b",
         "{\"message\":\"ext\",\"extensions\":{\"code\":\"BAD_USER_INPUT\",\"field\":\"a\\\"b\"}}"},
        {"ext only",
         0,
         {{0}},
         1,
         NULL,
         "permission",
         "users:read",
         "{\"message\":\"ext only\",\"path\":[\"hero\",\"friends\",1,\"name\"],\"extensions\":{"
         "\"permission\":\"users:read\"}}"},
        {"esc \"q\" \\ \n\t \x01 é \xe2\x80\xa8",
         0,
         {{0}},
         0,
         NULL,
         NULL,
         NULL,
         "{\"message\":\"esc \\\"q\\\" \\\\ \\n\\t \\u0001 é \\u2028\"}"},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        lc_arena_t a;
        gql_diags_t d;
        lc_arena_init(&a, 0, 0);
        gql_diags_init(&d, &a, 0);
        gql_diag_t *x = gql_diags_add(&d, cases[i].locs, cases[i].nlocs, "%s", cases[i].message);
        assert_non_null(x);
        if (cases[i].path) {
            gql_path_t p0 = {NULL, LC_STR("hero"), 0};
            gql_path_t p1 = {&p0, LC_STR("friends"), 0};
            gql_path_t p2 = {&p1, LC_STR_NULL, 1};
            gql_path_t p3 = {&p2, LC_STR("name"), 0};
            assert_int_equal(gql_diag_set_path(&d, x, &p3), LC_OK);
        }
        x->code = cases[i].code;
        if (cases[i].ext_key)
            assert_int_equal(
                gql_diag_add_ext(&d, x, cases[i].ext_key, lc_str_from(cases[i].ext_value)), LC_OK);
        const char *json = to_json(&d, &a);
        char want[512];
        snprintf(want, sizeof want, "[%s]", cases[i].json);
        assert_string_equal(json, want);
        json_decref(parse_json(json));
        lc_arena_dispose(&a);
    }
}

/* A realistic list, parsed back with jansson. */
static void test_json_roundtrip(void **state) {
    (void)state;
    lc_arena_t a;
    gql_diags_t d;
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 0);

    char key[16];
    gql_path_t root = {NULL, LC_STR("users"), 0};
    gql_path_t idx = {&root, LC_STR_NULL, 3};
    memcpy(key, "email", 6);
    gql_path_t leaf = {&idx, lc_str_make(key, 5), 0};
    gql_loc_t loc = {4, 7, 30};
    gql_diag_t *x = gql_diags_add(&d, &loc, 1, "Field \"%s\" is forbidden.", "email");
    assert_int_equal(gql_diag_set_path(&d, x, &leaf), LC_OK);
    memset(key, 'x', sizeof key); /* the path was copied */
    x->code = "FORBIDDEN";
    assert_int_equal(gql_diag_add_ext(&d, x, "permission", LC_STR("users:read")), LC_OK);
    assert_int_equal(gql_diag_add_ext(&d, x, "tenant", LC_STR("t1")), LC_OK);
    gql_error_t perr = {.message = "Syntax Error: Expected Name, found <EOF>.", .loc = {1, 9, 8}};
    gql_diag_t *p = gql_diags_add_parse_error(&d, &perr);
    assert_non_null(p);
    assert_string_equal(p->code, "GRAPHQL_PARSE_FAILED");
    gql_error_t big = {.message = "Document exceeds the limit of 20000 tokens."};
    assert_non_null(gql_diags_add_parse_error(&d, &big));

    json_t *j = parse_json(to_json(&d, &a));
    assert_true(json_is_array(j));
    assert_int_equal(json_array_size(j), 3);

    json_t *e0 = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(e0, "message")),
                        "Field \"email\" is forbidden.");
    json_t *l0 = json_array_get(json_object_get(e0, "locations"), 0);
    assert_int_equal(json_integer_value(json_object_get(l0, "line")), 4);
    assert_int_equal(json_integer_value(json_object_get(l0, "column")), 7);
    json_t *path = json_object_get(e0, "path");
    assert_int_equal(json_array_size(path), 3);
    assert_string_equal(json_string_value(json_array_get(path, 0)), "users");
    assert_int_equal(json_integer_value(json_array_get(path, 1)), 3);
    assert_string_equal(json_string_value(json_array_get(path, 2)), "email");
    json_t *ext = json_object_get(e0, "extensions");
    assert_string_equal(json_string_value(json_object_get(ext, "code")), "FORBIDDEN");
    assert_string_equal(json_string_value(json_object_get(ext, "permission")), "users:read");
    assert_string_equal(json_string_value(json_object_get(ext, "tenant")), "t1");

    json_t *e1 = json_array_get(j, 1);
    assert_string_equal(json_string_value(json_object_get(e1, "message")),
                        "Syntax Error: Expected Name, found <EOF>.");
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(e1, "locations"), 0), "column")),
                     9);
    assert_null(json_object_get(e1, "path"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(e1, "extensions"), "code")),
        "GRAPHQL_PARSE_FAILED");

    json_t *e2 = json_array_get(j, 2);
    assert_null(json_object_get(e2, "locations"));
    json_decref(j);
    lc_arena_dispose(&a);
}

/* A full output buffer: the writer reports the buffer's error. */
static void test_json_buffer_limit(void **state) {
    (void)state;
    lc_arena_t a;
    gql_diags_t d;
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 0);
    assert_non_null(gql_diags_add(&d, NULL, 0, "a message longer than the buffer"));
    lc_buf_t b;
    lc_buf_init(&b, &a, 8, 16);
    assert_int_equal(gql_diags_write_json(&d, &b), LC_ELIMIT);
    lc_arena_dispose(&a);
}

/* Each allocation failing in turn: add returns NULL, set_path and add_ext LC_ENOMEM, and the
 * list stays consistent. */
static void test_alloc_failure(void **state) {
    (void)state;
    gql_path_t p0 = {NULL, LC_STR("a"), 0};
    gql_path_t p1 = {&p0, LC_STR("b"), 0};
    for (long n = 0; n < 4; n++) {
        lc_arena_t a;
        gql_diags_t d;
        lc_arena_init(&a, 64, 0);
        gql_diags_init(&d, &a, 0);
        lc_alloc_fail_after(n);
        int ok = 0;
        for (int i = 0; i < 8; i++) {
            gql_diag_t *x = gql_diags_add(&d, NULL, 0, "diagnostic number %d of several", i);
            if (!x)
                continue;
            ok++;
            int rc = gql_diag_set_path(&d, x, &p1);
            assert_true(rc == LC_OK || rc == LC_ENOMEM);
            rc = gql_diag_add_ext(&d, x, "k", LC_STR("a value that takes some room"));
            assert_true(rc == LC_OK || rc == LC_ENOMEM);
        }
        lc_alloc_fail_reset();
        assert_int_equal(d.count, ok);
        uint32_t listed = 0;
        for (const gql_diag_t *x = d.head; x; x = x->next)
            listed++;
        assert_int_equal(listed, ok);
        json_decref(parse_json(to_json(&d, &a)));
        lc_arena_dispose(&a);
    }
}

static void test_val_get(void **state) {
    (void)state;
    gql_prop_t props[] = {
        {LC_STR("name"), {.kind = GQL_VAL_STRING, .s = LC_STR("Fazerdaze")}},
        {LC_STR("likes"), {.kind = GQL_VAL_INT, .i = 7}},
        {LC_STR("nothing"), {.kind = GQL_VAL_NULL}},
    };
    gql_val_t map = gql_val_map(props, N_(props));
    assert_ptr_equal(gql_val_get(&map, LC_STR("name")), &props[0].value);
    assert_int_equal(gql_val_get(&map, LC_STR("likes"))->i, 7);
    assert_int_equal(gql_val_get(&map, LC_STR("nothing"))->kind, GQL_VAL_NULL);
    assert_null(gql_val_get(&map, LC_STR("nam")));
    assert_null(gql_val_get(&map, LC_STR("")));
    gql_val_t empty = gql_val_map(NULL, 0);
    assert_null(gql_val_get(&empty, LC_STR("name")));
    gql_val_t list = gql_val_list(&map, 1);
    assert_null(gql_val_get(&list, LC_STR("name")));
    gql_val_t str = gql_val_str(LC_STR("name"));
    assert_null(gql_val_get(&str, LC_STR("name")));
    assert_null(gql_val_get(NULL, LC_STR("name")));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_format),
        cmocka_unit_test(test_max),
        cmocka_unit_test(test_json_exact),
        cmocka_unit_test(test_json_roundtrip),
        cmocka_unit_test(test_json_buffer_limit),
        cmocka_unit_test_teardown(test_alloc_failure, teardown),
        cmocka_unit_test(test_val_get),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
