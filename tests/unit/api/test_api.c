/* SPDX-License-Identifier: MIT */
/* Tests of src/api/api.c: start-up refuses a schema whose descriptions, @requires directives,
 * permission names or bindings disagree; the generic permission check before every guarded
 * field (null + FORBIDDEN with path and extensions.permission, the other fields resolving);
 * requests without a context; introspection. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "gql/parse.h"
#include "lectern/alloc.h"
#include "lectern/log.h"

/* ---- Start-up ------------------------------------------------------------------------------ */

/* The embedded SDL with `from` replaced (exactly once) by `to`; heap, lc_free. */
static char *sdl_with(const char *from, const char *to) {
    lc_str_t sdl = lc_api_sdl();
    const char *hit = memmem(sdl.ptr, sdl.len, from, strlen(from));
    if (!hit)
        fail_msg("not in schema.graphql: %s", from);
    assert_null(memmem(hit + 1, sdl.len - (size_t)(hit + 1 - sdl.ptr), from, strlen(from)));
    size_t pre = (size_t)(hit - sdl.ptr), fl = strlen(from), tl = strlen(to);
    char *s = lc_malloc(sdl.len - fl + tl + 1);
    assert_non_null(s);
    memcpy(s, sdl.ptr, pre);
    memcpy(s + pre, to, tl);
    memcpy(s + pre + tl, hit + fl, sdl.len - pre - fl);
    s[sdl.len - fl + tl] = '\0';
    return s;
}

/* Start-up must fail on the SDL with the replacement, with an error containing `want`. */
static void refuses(const char *from, const char *to, const char *want) {
    char *sdl = sdl_with(from, to);
    char err[512];
    lc_api_t *api = NULL;
    lc_log_level_t level = lc_log_get_level();
    lc_log_set_level(LC_LOG_OFF); /* the refusal is logged: expected here */
    int rc = lc_api_create_from_sdl(sdl, strlen(sdl), err, sizeof err, &api);
    lc_log_set_level(level);
    lc_free(sdl);
    if (rc == LC_OK) {
        lc_api_destroy(api);
        fail_msg("started with %s -> %s", from, to);
    }
    assert_int_equal(rc, LC_EINVAL);
    assert_null(api);
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not mention \"%s\"", err, want);
}

static void startup_embedded_schema(void **state) {
    (void)state;
    lc_api_t *api = NULL;
    assert_true(lc_api_sdl().len > 1000);
    assert_int_equal(lc_api_create(&api), LC_OK);
    const gql_schema_t *s = lc_api_schema(api);
    assert_non_null(s->query);
    assert_non_null(s->mutation);
    /* Tags: Query.users needs read:users; Query.viewer nothing. */
    const gql_schema_field_t *f = gql_schema_find_field(s, s->query, LC_STR("users"), false);
    assert_int_equal(f->user_tag, (uintptr_t)LC_PERM_READ_USERS + 1);
    f = gql_schema_find_field(s, s->query, LC_STR("viewer"), false);
    assert_int_equal(f->user_tag, 0);
    f = gql_schema_find_field(s, s->mutation, LC_STR("createDeveloperToken"), false);
    assert_int_equal(f->user_tag, (uintptr_t)LC_PERM_CREATE_DEVELOPER_TOKENS + 1);
    /* Every field of every object type has a resolver, except on property-map types. */
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_schema_type_t *t = s->types[i];
        if (t->builtin || t->kind != GQL_TK_OBJECT)
            continue;
        bool map = false;
        for (const char *const *m = lc__api_map_types; *m; m++)
            map |= lc_str_eq_cstr(t->name, *m);
        for (uint32_t k = 0; k < t->nfields; k++)
            if (!map && !t->fields[k].resolve)
                fail_msg("%.*s.%.*s unbound", (int)t->name.len, t->name.ptr,
                         (int)t->fields[k].name.len, t->fields[k].name.ptr);
    }
    lc_api_destroy(api);
    lc_api_destroy(NULL);
}

static void startup_refuses_disagreement(void **state) {
    (void)state;
    /* The description names another permission than the directive. */
    refuses("\"The tenant's users, filtered and paged. Requires `read:users`.\"",
            "\"The tenant's users, filtered and paged. Requires `read:roles`.\"", "Query.users");
    /* The directive without its sentence. */
    refuses("\"The tenant's roles, built-in ones first. Requires `read:roles`.\"",
            "\"The tenant's roles, built-in ones first.\"", "does not say");
    /* The sentence without a directive. */
    refuses("\"The permission catalog: every permission a role or a token can hold.\"",
            "\"The permission catalog. Requires `read:roles`.\"", "no @requires directive");
    /* A permission the catalog does not know, in both places. */
    refuses("\"The audit log, newest first. Requires `read:audit_events`.\"",
            "\"The audit log, newest first. Requires `read:audits`.\"", "Query.auditEvents");
    refuses("AuditEventConnection @requires(permission: \"read:audit_events\")",
            "AuditEventConnection @requires(permission: \"read:audits\")",
            "not a permission of the catalog");
}

static void startup_refuses_missing_resolvers(void **state) {
    (void)state;
    /* A root field nobody resolves. */
    refuses("type Query {\n", "type Query {\n  \"Extra.\"\n  extra: Int\n", "Query.extra");
    /* A field of a record type nobody resolves (it would always be null). */
    refuses("type User {\n", "type User {\n  \"Nickname.\"\n  nickname: String\n", "User.nickname");
    /* A resolver bound to a field the schema lacks. */
    refuses(
        "  \"The user's roles. Requires `read:roles`.\"\n  roles: [Role!] @requires(permission: "
        "\"read:roles\")\n",
        "", "User.roles");
    /* A guarded field that cannot be null. */
    refuses("user(id: ID!): User @requires", "user(id: ID!): User! @requires", "nullable");
    /* SDL that does not build. */
    refuses("type Viewer {", "type Viewer {{", "schema.graphql:");
}

static void startup_out_of_memory(void **state) {
    (void)state;
    /* Each allocation failing in turn: a clean LC_ENOMEM (nothing leaks: ASan checks), until
     * start-up needs no more. */
    lc_log_level_t level = lc_log_get_level();
    lc_log_set_level(LC_LOG_OFF);
    int rc = LC_ENOMEM;
    long n;
    for (n = 0; n < 100000 && rc != LC_OK; n++) {
        lc_api_t *api = NULL;
        lc_alloc_fail_after(n);
        rc = lc_api_create(&api);
        lc_alloc_fail_reset();
        if (rc == LC_OK)
            lc_api_destroy(api);
        else if (rc != LC_ENOMEM)
            fail_msg("allocation %ld failing gave %s", n, lc_status_name(rc));
        else
            assert_null(api);
    }
    lc_log_set_level(level);
    assert_int_equal(rc, LC_OK);
    assert_true(n > 1);
}

/* ---- Permission checks ---------------------------------------------------------------------- */

static void forbidden_field_is_null_and_others_resolve(void **state) {
    fx_t *f = *state;
    int64_t learner = fx_user(f, f->ta, "lea@acme.test", "Lea Learner");
    lc_api_ctx_t c = fx_ctx(f, f->ta, learner);
    assert_int_equal(c.perms, 0);
    json_t *r = fx_run(f, &c,
                       "{ viewer { user { email } permissions } users { totalCount }"
                       "  permissions { name } }",
                       NULL);
    assert_string_equal(jstr(r, "data.viewer.user.email"), "lea@acme.test");
    assert_int_equal(json_array_size(jget(r, "data.viewer.permissions")), 0);
    assert_true(jnull(r, "data.users"));
    assert_int_equal(json_array_size(jget(r, "data.permissions")), LC_PERM_COUNT);
    assert_error(r, "FORBIDDEN", "permission", "read:users");
    assert_string_equal(jstr(r, "errors.0.message"),
                        "You need the read:users permission to read Query.users.");
    assert_string_equal(jstr(r, "errors.0.path.0"), "users");
    assert_int_equal(jint(r, "errors.0.locations.0.line"), 1);
    json_decref(r);

    /* A mutation says "call". */
    r = fx_run(f, &c, "mutation { createCourse(input: {title: \"T\", code: \"C\"}) { id } }", NULL);
    assert_true(jnull(r, "data.createCourse"));
    assert_error(r, "FORBIDDEN", "permission", "create:courses");
    assert_string_equal(jstr(r, "errors.0.message"),
                        "You need the create:courses permission to call Mutation.createCourse.");
    json_decref(r);
    /* Nothing was written. */
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM courses"), 0);
}

static void nested_guarded_fields(void **state) {
    fx_t *f = *state;
    /* read:users but not read:roles: each user's roles are null, with one error each. */
    int64_t role = fx_role(f, f->ta, "Directory", fx_perms("read:users", NULL));
    int64_t u = fx_user(f, f->ta, "dir@acme.test", "Dora");
    fx_assign(f, f->ta, u, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    json_t *r = fx_run(f, &c, "{ users { totalCount nodes { email roles { name } } } }", NULL);
    assert_int_equal(jint(r, "data.users.totalCount"), 2);
    assert_string_equal(jstr(r, "data.users.nodes.0.email"), "admin@acme.test");
    assert_true(jnull(r, "data.users.nodes.0.roles"));
    assert_true(jnull(r, "data.users.nodes.1.roles"));
    json_t *errs = json_object_get(r, "errors");
    assert_int_equal(json_array_size(errs), 2);
    assert_string_equal(jstr(r, "errors.1.extensions.permission"), "read:roles");
    assert_string_equal(jstr(r, "errors.1.path.0"), "users");
    assert_string_equal(jstr(r, "errors.1.path.1"), "nodes");
    assert_int_equal(jint(r, "errors.1.path.2"), 1);
    assert_string_equal(jstr(r, "errors.1.path.3"), "roles");
    json_decref(r);
}

static void no_context(void **state) {
    fx_t *f = *state;
    /* Introspection needs no context (the HTTP layer runs it without a token). */
    json_t *r = fx_run(f, NULL,
                       "{ __typename __schema { queryType { name } mutationType { name } }"
                       "  __type(name: \"Query\") { fields { name description } } }",
                       NULL);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.__schema.queryType.name"), "Query");
    json_t *fields = jget(r, "data.__type.fields");
    bool found = false;
    for (size_t i = 0; i < json_array_size(fields); i++) {
        json_t *fl = json_array_get(fields, i);
        if (strcmp(json_string_value(json_object_get(fl, "name")), "users") == 0)
            found = strstr(json_string_value(json_object_get(fl, "description")),
                           "Requires `read:users`.") != NULL;
    }
    assert_true(found);
    json_decref(r);
    /* Data without one is refused, field by field. */
    r = fx_run(f, NULL, "{ viewer { permissions } }", NULL);
    assert_error(r, "UNAUTHENTICATED", NULL, NULL);
    json_decref(r);
    r = fx_run(f, NULL, "{ users { totalCount } }", NULL);
    assert_error(r, "UNAUTHENTICATED", NULL, NULL);
    json_decref(r);
}

static void viewer_of_token(void **state) {
    fx_t *f = *state;
    json_t *r = fx_run(f, &f->a,
                       "mutation { createDeveloperToken(input: {name: \"etl\", permissions: "
                       "[\"read:users\", \"read:courses\"]}) { token { id } } }",
                       NULL);
    assert_no_errors(r);
    int64_t tid = fx_num(jstr(r, "data.createDeveloperToken.token.id"), "DeveloperToken");
    json_decref(r);
    lc_api_ctx_t c =
        fx_token_ctx(f, f->ta, f->admin_a, tid, fx_perms("read:users", "read:courses", NULL));
    r = fx_run(f, &c,
               "{ viewer { user { name } token { name hint } permissions"
               "  tenant { id slug name } } }",
               NULL);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.viewer.user.name"), "Ada Admin");
    assert_string_equal(jstr(r, "data.viewer.token.name"), "etl");
    assert_true(strncmp(jstr(r, "data.viewer.token.hint"), "lct_", 4) == 0);
    assert_string_equal(jstr(r, "data.viewer.permissions.0"), "read:users");
    assert_string_equal(jstr(r, "data.viewer.permissions.1"), "read:courses");
    assert_string_equal(jstr(r, "data.viewer.tenant.slug"), "acme");
    assert_int_equal(fx_num(jstr(r, "data.viewer.tenant.id"), "Tenant"), f->ta);
    json_decref(r);
    /* A session has no token. */
    r = fx_run(f, &f->b, "{ viewer { token { id } tenant { name } } }", NULL);
    assert_no_errors(r);
    assert_true(jnull(r, "data.viewer.token"));
    assert_string_equal(jstr(r, "data.viewer.tenant.name"), "Globex");
    json_decref(r);
}

static void permission_catalog(void **state) {
    fx_t *f = *state;
    json_t *r = fx_run(f, &f->a, "{ permissions { name action resource description } }", NULL);
    assert_no_errors(r);
    json_t *list = jget(r, "data.permissions");
    assert_int_equal(json_array_size(list), LC_PERM_COUNT);
    bool seen = false;
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *p = json_array_get(list, i);
        if (strcmp(json_string_value(json_object_get(p, "name")), "read:developer_tokens"))
            continue;
        seen = true;
        assert_string_equal(json_string_value(json_object_get(p, "action")), "read");
        assert_string_equal(json_string_value(json_object_get(p, "resource")), "developer_tokens");
        assert_string_equal(json_string_value(json_object_get(p, "description")),
                            "Grants a user the ability to read applicable developer_tokens");
    }
    assert_true(seen);
    json_decref(r);
}

static void execute_out_of_memory(void **state) {
    fx_t *f = *state;
    int64_t role = fx_role(f, f->ta, "Graders", fx_perms("read:courses", NULL));
    fx_assign(f, f->ta, f->admin_a, role);
    const char *q = "{ viewer { permissions tenant { slug } } users { totalCount edges { cursor"
                    " node { id email roles { name permissions { name } } } } }"
                    " developerTokens { totalCount } auditEvents(first: 2) { nodes { detail } } }";
    const gql_schema_t *s = lc_api_schema(f->api);
    bool completed = false;
    long n;
    for (n = 0; n < 2000 && !completed; n++) {
        lc_arena_t a;
        lc_arena_init(&a, 1024, 0);
        gql_document_t *doc = NULL;
        gql_error_t err;
        assert_int_equal(gql_parse_document(&a, q, strlen(q), NULL, &doc, &err), LC_OK);
        lc_buf_t out;
        lc_buf_init(&out, &a, 0, 0);
        lc_api_ctx_t c = f->a;
        gql_request_t req = {.schema = s, .document = doc, .context = &c};
        lc_alloc_fail_after(n);
        int rc = gql_execute(&a, &req, &out, NULL);
        long failures = lc_alloc_failures();
        lc_alloc_fail_reset();
        /* Either a response (maybe with "Internal error" fields) or a clean LC_ENOMEM. */
        assert_true(rc == LC_OK || rc == LC_ENOMEM);
        completed = rc == LC_OK && failures == 0;
        lc_arena_dispose(&a);
    }
    assert_true(completed);
    assert_true(n > 20); /* the arena really grew through failing allocations */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(startup_embedded_schema),
        cmocka_unit_test(startup_refuses_disagreement),
        cmocka_unit_test(startup_refuses_missing_resolvers),
        cmocka_unit_test(startup_out_of_memory),
        cmocka_unit_test_setup_teardown(forbidden_field_is_null_and_others_resolve, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(nested_guarded_fields, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(no_context, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(viewer_of_token, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(permission_catalog, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(execute_out_of_memory, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
