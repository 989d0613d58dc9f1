/* SPDX-License-Identifier: MIT */
/* Tests of src/api/resolve_roles.c: the roles connection with the built-in roles first,
 * createRole / updateRole / deleteRole with their validation, conflicts, no escalation, and
 * the built-in roles that cannot change. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

static void list_roles(void **state) {
    fx_t *f = *state;
    int64_t lea = fx_user(f, f->ta, "lea@acme.test", "Lea");
    int64_t custom = fx_role(f, f->ta, "Graders", fx_perms("read:courses", "read:users", NULL));
    fx_assign(f, f->ta, lea, custom);
    fx_role(f, f->tb, "Globex only", 0);
    json_t *r = fx_run(f, &f->a,
                       "{ roles { totalCount nodes { id name description kind builtIn userCount"
                       " createdAt updatedAt permissions { name } } } }",
                       NULL);
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.roles.totalCount"), 3);
    assert_string_equal(jstr(r, "data.roles.nodes.0.name"), "Console Admin");
    assert_string_equal(jstr(r, "data.roles.nodes.0.kind"), "CONSOLE_ADMIN");
    assert_true(jbool(r, "data.roles.nodes.0.builtIn"));
    assert_int_equal(jint(r, "data.roles.nodes.0.userCount"), 1);
    assert_int_equal(json_array_size(jget(r, "data.roles.nodes.0.permissions")), LC_PERM_COUNT);
    assert_string_equal(jstr(r, "data.roles.nodes.1.kind"), "LEARNER");
    assert_int_equal(json_array_size(jget(r, "data.roles.nodes.1.permissions")), 0);
    assert_string_equal(jstr(r, "data.roles.nodes.2.kind"), "CUSTOM");
    assert_false(jbool(r, "data.roles.nodes.2.builtIn"));
    assert_int_equal(jint(r, "data.roles.nodes.2.userCount"), 1);
    /* Catalog order. */
    assert_string_equal(jstr(r, "data.roles.nodes.2.permissions.0.name"), "read:users");
    assert_string_equal(jstr(r, "data.roles.nodes.2.permissions.1.name"), "read:courses");
    char id[128], q[256];
    snprintf(q, sizeof q, "{ role(id: \"%s\") { name } other: role(id: \"%s\") { name } }",
             jstr(r, "data.roles.nodes.2.id"), fx_id(id, "Role", 99));
    json_decref(r);
    r = fx_run(f, &f->a, q, NULL);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.role.name"), "Graders");
    assert_true(jnull(r, "data.other"));
    json_decref(r);
    /* The other tenant sees neither. */
    r = fx_run(f, &f->b, q, NULL);
    assert_no_errors(r);
    assert_true(jnull(r, "data.role"));
    json_decref(r);
}

static void create_role(void **state) {
    fx_t *f = *state;
    const char *m = "mutation($i: CreateRoleInput!) { createRole(input: $i) { id name description"
                    " kind permissions { name } } }";
    json_t *r = fx_run(f, &f->a, m,
                       "{\"i\": {\"name\": \"Token admins\", \"permissions\": "
                       "[\"read:developer_tokens\", \"create:developer_tokens\","
                       " \"update:developer_tokens\"]}}");
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.createRole.kind"), "CUSTOM");
    assert_string_equal(jstr(r, "data.createRole.description"), "");
    assert_int_equal(json_array_size(jget(r, "data.createRole.permissions")), 3);
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM audit_events WHERE action = "
                                   "'role.create' AND actor_user_id = 1"),
                     1);
    /* Names are unique within the tenant (ignoring case). */
    r = fx_run(f, &f->a, m, "{\"i\": {\"name\": \"TOKEN ADMINS\", \"permissions\": []}}");
    assert_error(r, "CONFLICT", "field", "input.name");
    json_decref(r);
    r = fx_run(f, &f->a, m, "{\"i\": {\"name\": \"X\", \"permissions\": [\"read:everything\"]}}");
    assert_error(r, "BAD_USER_INPUT", "field", "input.permissions");
    assert_non_null(strstr(jstr(r, "errors.0.message"), "read:everything"));
    json_decref(r);
    char desc[1100], vars[1300];
    memset(desc, 'd', 1001);
    desc[1001] = '\0';
    snprintf(vars, sizeof vars,
             "{\"i\": {\"name\": \"X\", \"description\": \"%s\", \"permissions\": []}}", desc);
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "input.description");
    json_decref(r);
    desc[1000] = '\0';
    snprintf(vars, sizeof vars,
             "{\"i\": {\"name\": \"X\", \"description\": \"%s\\nsecond line\", \"permissions\": "
             "[]}}",
             desc + 12);
    r = fx_run(f, &f->a, m, vars);
    assert_no_errors(r);
    json_decref(r);

    /* No escalation: only permissions the author holds. */
    int64_t role = fx_role(f, f->ta, "Role makers", fx_perms("create:roles", "read:users", NULL));
    int64_t u = fx_user(f, f->ta, "maker@acme.test", "Maker");
    fx_assign(f, f->ta, u, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    r = fx_run(f, &c, m,
               "{\"i\": {\"name\": \"Escalate\", \"permissions\": [\"read:users\", "
               "\"update:users\", \"assign:roles\"]}}");
    assert_error(r, "FORBIDDEN", "permission", "update:users");
    assert_string_equal(jstr(r, "errors.0.message"),
                        "You cannot grant the update:users permission: you do not hold it.");
    json_decref(r);
    r = fx_run(f, &c, m, "{\"i\": {\"name\": \"Readers\", \"permissions\": [\"read:users\"]}}");
    assert_no_errors(r);
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM roles WHERE name = 'Escalate'"), 0);
}

static void update_and_delete_role(void **state) {
    fx_t *f = *state;
    int64_t custom = fx_role(f, f->ta, "Graders", fx_perms("read:courses", NULL));
    int64_t lea = fx_user(f, f->ta, "lea@acme.test", "Lea");
    fx_assign(f, f->ta, lea, custom);
    char id[128], vars[512];
    fx_id(id, "Role", custom);
    const char *up = "mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) {"
                     " name description permissions { name } } }";
    snprintf(vars, sizeof vars,
             "{\"id\": \"%s\", \"i\": {\"description\": \"Mark work\", \"permissions\": "
             "[\"read:courses\", \"read:enrollments\"]}}",
             id);
    json_t *r = fx_run(f, &f->a, up, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.updateRole.name"), "Graders");
    assert_string_equal(jstr(r, "data.updateRole.description"), "Mark work");
    assert_int_equal(json_array_size(jget(r, "data.updateRole.permissions")), 2);
    json_decref(r);
    /* The holder's permissions follow at once. */
    lc_permset_t p = 0;
    lc_active_t st;
    assert_int_equal(lc_store_user_permissions(f->store, f->ta, lea, &p, &st), LC_OK);
    assert_int_equal(p, fx_perms("read:courses", "read:enrollments", NULL));

    /* Built-in roles cannot change or go. */
    int64_t admin_role = fx_sql_int(f, "SELECT id FROM roles WHERE builtin = 'learner'"
                                       " AND tenant_id = 1");
    char bid[128];
    fx_id(bid, "Role", admin_role);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"name\": \"Students\"}}", bid);
    r = fx_run(f, &f->a, up, vars);
    assert_error(r, "FORBIDDEN", "field", "id");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", bid);
    r = fx_run(f, &f->a, "mutation($id: ID!) { deleteRole(id: $id) }", vars);
    assert_error(r, "FORBIDDEN", NULL, NULL);
    json_decref(r);
    /* Escalation through an update. */
    int64_t ed = fx_role(f, f->ta, "Editors", fx_perms("update:roles", "read:courses", NULL));
    int64_t u = fx_user(f, f->ta, "ed@acme.test", "Ed");
    fx_assign(f, f->ta, u, ed);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    snprintf(vars, sizeof vars,
             "{\"id\": \"%s\", \"i\": {\"permissions\": [\"read:courses\", \"read:users\"]}}", id);
    r = fx_run(f, &c, up, vars);
    assert_error(r, "FORBIDDEN", "permission", "read:users");
    json_decref(r);
    /* Another tenant: missing. */
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"name\": \"Mine\"}}", id);
    r = fx_run(f, &f->b, up, vars);
    assert_error(r, "NOT_FOUND", "field", "id");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", id);
    r = fx_run(f, &f->b, "mutation($id: ID!) { deleteRole(id: $id) }", vars);
    assert_error(r, "NOT_FOUND", "field", "id");
    json_decref(r);
    /* Delete: returns its ID; the holder loses it. */
    r = fx_run(f, &f->a, "mutation($id: ID!) { deleteRole(id: $id) }", vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.deleteRole"), id);
    json_decref(r);
    assert_int_equal(lc_store_user_permissions(f->store, f->ta, lea, &p, &st), LC_OK);
    assert_int_equal(p, 0);
    r = fx_run(f, &f->a, "mutation($id: ID!) { deleteRole(id: $id) }", vars);
    assert_error(r, "NOT_FOUND", "field", "id");
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_roles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(create_role, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(update_and_delete_role, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
