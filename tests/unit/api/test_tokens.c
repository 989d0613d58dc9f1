/* SPDX-License-Identifier: MIT */
/* Tests of src/api/resolve_tokens.c: generation (the secret returned once, its hash and hint
 * stored, the secret nowhere in the database), refusals (a token cannot create tokens, a subset
 * beyond the creator's permissions, an expiry in the past), live effective permissions, the
 * EXPIRED status, listing with filters, and updates. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "lectern/token.h"

static const char *create_doc =
    "mutation($i: CreateDeveloperTokenInput!) { createDeveloperToken(input: $i) { secret"
    " token { id name hint status creator { email } createdAt lastUsedAt lastUsedIp expiresAt"
    " permissionSubset effectivePermissions } } }";

/* Every text column of every row of the database, searched for s. */
static int64_t rows_containing(fx_t *f, const char *s) {
    static const char *const cols[][2] = {
        {"developer_tokens", "name"},        {"developer_tokens", "hint"},
        {"developer_tokens", "permissions"}, {"developer_tokens", "hex(token_hash)"},
        {"audit_events", "detail"},          {"audit_events", "action"},
    };
    int64_t n = 0;
    char sql[400];
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE instr(%s, '%s') > 0", cols[i][0],
                 cols[i][1], s);
        n += fx_sql_int(f, sql);
    }
    return n;
}

static void create_token(void **state) {
    fx_t *f = *state;
    json_t *r = fx_run(f, &f->a, create_doc, "{\"i\": {\"name\": \"HRIS sync\"}}");
    assert_no_errors(r);
    const char *secret = jstr(r, "data.createDeveloperToken.secret");
    assert_int_equal(strlen(secret), LC_TOKEN_LEN);
    assert_int_equal(lc_token_check(lc_str_from(secret)), LC_TOKEN_OK);
    char hint[LC_TOKEN_HINT_MAX];
    lc_token_hint(lc_str_from(secret), hint);
    assert_string_equal(jstr(r, "data.createDeveloperToken.token.hint"), hint);
    assert_string_equal(jstr(r, "data.createDeveloperToken.token.name"), "HRIS sync");
    assert_string_equal(jstr(r, "data.createDeveloperToken.token.status"), "ACTIVE");
    assert_string_equal(jstr(r, "data.createDeveloperToken.token.creator.email"),
                        "admin@acme.test");
    assert_true(jnull(r, "data.createDeveloperToken.token.lastUsedAt"));
    assert_true(jnull(r, "data.createDeveloperToken.token.expiresAt"));
    assert_true(jnull(r, "data.createDeveloperToken.token.permissionSubset"));
    assert_int_equal(
        json_array_size(jget(r, "data.createDeveloperToken.token.effectivePermissions")),
        LC_PERM_COUNT);
    int64_t id = fx_num(jstr(r, "data.createDeveloperToken.token.id"), "DeveloperToken");

    /* Only SHA-256 of the secret is stored; the secret itself is nowhere. */
    uint8_t hash[LC_TOKEN_HASH_LEN];
    lc_token_hash(lc_str_from(secret), hash);
    char hex[2 * LC_TOKEN_HASH_LEN + 1], sql[200], got[128];
    for (int i = 0; i < LC_TOKEN_HASH_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02X", hash[i]);
    snprintf(sql, sizeof sql, "SELECT hex(token_hash) FROM developer_tokens WHERE id = %lld",
             (long long)id);
    fx_sql_text(f, sql, got, sizeof got);
    assert_string_equal(got, hex);
    assert_int_equal(rows_containing(f, secret), 0);
    assert_int_equal(rows_containing(f, secret + LC_TOKEN_PREFIX_LEN), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_events WHERE action = 'token.create' AND target_id = %lld"
             " AND actor_user_id = %lld",
             (long long)id, (long long)f->admin_a);
    assert_int_equal(fx_sql_int(f, sql), 1);
    json_decref(r);

    /* The secret is shown once: reading the token never shows it again. */
    char q[400], tid[128];
    snprintf(q, sizeof q, "{ developerToken(id: \"%s\") { name hint } }",
             fx_id(tid, "DeveloperToken", id));
    r = fx_run(f, &f->a, q, NULL);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.developerToken.name"), "HRIS sync");
    json_decref(r);
    /* And the schema has no field that could. */
    r = fx_run(f, NULL, "{ __type(name: \"DeveloperToken\") { fields { name } } }", NULL);
    json_t *fields = jget(r, "data.__type.fields");
    for (size_t i = 0; i < json_array_size(fields); i++)
        assert_null(
            strstr(json_string_value(json_object_get(json_array_get(fields, i), "name")), "ecret"));
    json_decref(r);
}

static void token_cannot_create_tokens(void **state) {
    fx_t *f = *state;
    json_t *r = fx_run(f, &f->a, create_doc, "{\"i\": {\"name\": \"first\"}}");
    int64_t id = fx_num(jstr(r, "data.createDeveloperToken.token.id"), "DeveloperToken");
    json_decref(r);
    lc_api_ctx_t c = fx_token_ctx(f, f->ta, f->admin_a, id, LC_PERMSET_ALL);
    assert_true(c.perms & fx_perms("create:developer_tokens", NULL));
    r = fx_run(f, &c, create_doc, "{\"i\": {\"name\": \"successor\"}}");
    assert_error(r, "FORBIDDEN", NULL, NULL);
    assert_true(jnull(r, "data.createDeveloperToken"));
    assert_non_null(strstr(jstr(r, "errors.0.message"), "A developer token cannot create"));
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM developer_tokens"), 1);
}

static void subset_and_validation(void **state) {
    fx_t *f = *state;
    int64_t role = fx_role(f, f->ta, "Token admins",
                           fx_perms("read:developer_tokens", "create:developer_tokens",
                                    "update:developer_tokens", "read:users", NULL));
    int64_t u = fx_user(f, f->ta, "tok@acme.test", "Tok");
    fx_assign(f, f->ta, u, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    json_t *r = fx_run(f, &c, create_doc,
                       "{\"i\": {\"name\": \"n\", \"permissions\": [\"read:users\", "
                       "\"read:roles\"]}}");
    assert_error(r, "FORBIDDEN", "permission", "read:roles");
    assert_string_equal(jstr(r, "errors.0.message"),
                        "You cannot give a token the read:roles permission: you do not hold it.");
    json_decref(r);
    char vars[400];
    snprintf(vars, sizeof vars, "{\"i\": {\"name\": \"n\", \"expiresAt\": \"%s\"}}",
             "2001-01-01T00:00:00Z");
    r = fx_run(f, &c, create_doc, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "input.expiresAt");
    json_decref(r);
    static const struct {
        const char *vars;
        const char *field;
    } bad[] = {
        {"{\"i\": {\"name\": \"n\", \"expiresAt\": \"next week\"}}", "input.expiresAt"},
        {"{\"i\": {\"name\": \"n\", \"expiresAt\": \"2099-02-30T00:00:00Z\"}}", "input.expiresAt"},
        {"{\"i\": {\"name\": \"\"}}", "input.name"},
        {"{\"i\": {\"name\": \"n\", \"permissions\": [\"write:users\"]}}", "input.permissions"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = fx_run(f, &c, create_doc, bad[i].vars);
        assert_error(r, "BAD_USER_INPUT", "field", bad[i].field);
        json_decref(r);
    }
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM developer_tokens"), 0);
    r = fx_run(f, &c, create_doc,
               "{\"i\": {\"name\": \"readers\", \"expiresAt\": \"2099-01-01T00:00:00+01:00\","
               " \"permissions\": [\"read:users\", \"read:users\"]}}");
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.createDeveloperToken.token.expiresAt"),
                        "2098-12-31T23:00:00Z");
    assert_int_equal(json_array_size(jget(r, "data.createDeveloperToken.token.permissionSubset")),
                     1);
    assert_string_equal(jstr(r, "data.createDeveloperToken.token.effectivePermissions.0"),
                        "read:users");
    json_decref(r);
}

static void live_permissions(void **state) {
    fx_t *f = *state;
    int64_t role = fx_role(f, f->ta, "Ops",
                           fx_perms("create:developer_tokens", "read:users", "read:courses", NULL));
    int64_t u = fx_user(f, f->ta, "ops@acme.test", "Ops");
    fx_assign(f, f->ta, u, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    json_t *r = fx_run(f, &c, create_doc,
                       "{\"i\": {\"name\": \"sub\", \"permissions\": [\"read:users\"]}}");
    assert_no_errors(r);
    json_decref(r);
    r = fx_run(f, &c, create_doc, "{\"i\": {\"name\": \"all\"}}");
    assert_no_errors(r);
    json_decref(r);
    const char *q = "{ developerTokens { totalCount nodes { name permissionSubset"
                    " effectivePermissions status } } }";
    r = fx_run(f, &f->a, q, NULL);
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.developerTokens.totalCount"), 2);
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes.0.effectivePermissions")),
                     1);
    assert_true(jnull(r, "data.developerTokens.nodes.1.permissionSubset"));
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes.1.effectivePermissions")),
                     3);
    json_decref(r);
    /* The creator loses read:users: so do both tokens, at once. */
    lc_actor_t sys = {f->ta, 0, 0, NULL};
    assert_int_equal(
        lc_store_role_update(f->store, &sys, role, NULL, NULL, true,
                             fx_perms("create:developer_tokens", "read:courses", NULL)),
        LC_OK);
    r = fx_run(f, &f->a, q, NULL);
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes.0.effectivePermissions")),
                     0);
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes.1.effectivePermissions")),
                     2);
    json_decref(r);
    /* A deactivated creator's tokens can do nothing. */
    assert_int_equal(lc_store_user_set_status(f->store, &sys, u, LC_DEACTIVATED), LC_OK);
    r = fx_run(f, &f->a, q, NULL);
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes.1.effectivePermissions")),
                     0);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.1.status"), "ACTIVE");
    json_decref(r);
}

static void expiry_and_filters(void **state) {
    fx_t *f = *state;
    char vars[400];
    const char *names[] = {"soon", "later", "never"};
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        char when[32] = "";
        if (i < 2) {
            int64_t t = f->now + (i == 0 ? 60 : 86400 * 30);
            assert_true(lc__api_datetime_format(t, when));
            snprintf(vars, sizeof vars, "{\"i\": {\"name\": \"%s\", \"expiresAt\": \"%s\"}}",
                     names[i], when);
        } else {
            snprintf(vars, sizeof vars, "{\"i\": {\"name\": \"%s\"}}", names[i]);
        }
        json_t *r = fx_run(f, &f->a, create_doc, vars);
        assert_no_errors(r);
        ids[i] = fx_num(jstr(r, "data.createDeveloperToken.token.id"), "DeveloperToken");
        json_decref(r);
    }
    /* Deactivate "never". */
    char id[128];
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", fx_id(id, "DeveloperToken", ids[2]));
    json_t *r = fx_run(f, &f->a,
                       "mutation($id: ID!) { updateDeveloperToken(id: $id, input: {active: false,"
                       " name: \"never (old)\"}) { name status updatedAt } }",
                       vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.updateDeveloperToken.status"), "DEACTIVATED");
    assert_string_equal(jstr(r, "data.updateDeveloperToken.name"), "never (old)");
    json_decref(r);
    /* Two minutes later, "soon" has expired though it was never deactivated. */
    lc_api_ctx_t later = f->a;
    later.now = f->now + 120;
    const char *q = "query($s: DeveloperTokenStatus, $first: Int) { developerTokens(first: $first,"
                    " filter: {status: $s}) { totalCount nodes { name status }"
                    " pageInfo { hasNextPage } } }";
    r = fx_run(f, &later, q, NULL);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.0.status"), "EXPIRED");
    assert_string_equal(jstr(r, "data.developerTokens.nodes.1.status"), "ACTIVE");
    assert_string_equal(jstr(r, "data.developerTokens.nodes.2.status"), "DEACTIVATED");
    json_decref(r);
    static const struct {
        const char *status;
        const char *name;
    } by[] = {{"EXPIRED", "soon"}, {"ACTIVE", "later"}, {"DEACTIVATED", "never (old)"}};
    for (int i = 0; i < 3; i++) {
        snprintf(vars, sizeof vars, "{\"s\": \"%s\"}", by[i].status);
        r = fx_run(f, &later, q, vars);
        assert_no_errors(r);
        assert_int_equal(jint(r, "data.developerTokens.totalCount"), 1);
        assert_string_equal(jstr(r, "data.developerTokens.nodes.0.name"), by[i].name);
        json_decref(r);
    }
    /* Now: none expired; a page of one of the two active ones. */
    r = fx_run(f, &f->a, q, "{\"s\": \"ACTIVE\", \"first\": 1}");
    assert_int_equal(jint(r, "data.developerTokens.totalCount"), 2);
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes")), 1);
    assert_true(jbool(r, "data.developerTokens.pageInfo.hasNextPage"));
    json_decref(r);
    /* Newest first, alone and with a status filter (paged here, not in the store). */
    const char *qo = "query($s: DeveloperTokenStatus, $first: Int, $after: String) {"
                     " developerTokens(first: $first, after: $after, filter: {status: $s},"
                     " orderBy: {direction: DESC}) { totalCount nodes { name }"
                     " pageInfo { hasNextPage endCursor } } }";
    r = fx_run(f, &later, qo, "{\"first\": 2}");
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.developerTokens.totalCount"), 3);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.0.name"), "never (old)");
    assert_string_equal(jstr(r, "data.developerTokens.nodes.1.name"), "later");
    assert_true(jbool(r, "data.developerTokens.pageInfo.hasNextPage"));
    char after_vars[200];
    snprintf(after_vars, sizeof after_vars, "{\"first\": 2, \"after\": \"%s\"}",
             jstr(r, "data.developerTokens.pageInfo.endCursor"));
    json_decref(r);
    r = fx_run(f, &later, qo, after_vars);
    assert_no_errors(r);
    assert_int_equal(json_array_size(jget(r, "data.developerTokens.nodes")), 1);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.0.name"), "soon");
    assert_false(jbool(r, "data.developerTokens.pageInfo.hasNextPage"));
    json_decref(r);
    r = fx_run(f, &f->a, qo, "{\"s\": \"ACTIVE\", \"first\": 1}");
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.developerTokens.totalCount"), 2);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.0.name"), "later");
    snprintf(after_vars, sizeof after_vars, "{\"s\": \"ACTIVE\", \"first\": 1, \"after\": \"%s\"}",
             jstr(r, "data.developerTokens.pageInfo.endCursor"));
    json_decref(r);
    r = fx_run(f, &f->a, qo, after_vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.0.name"), "soon");
    assert_false(jbool(r, "data.developerTokens.pageInfo.hasNextPage"));
    json_decref(r);
    /* By creator. */
    char creator[128], doc[400];
    snprintf(doc, sizeof doc,
             "{ mine: developerTokens(filter: {creatorId: \"%s\"}) { totalCount }"
             "  junk: developerTokens(filter: {creatorId: \"junk\"}) { totalCount } }",
             fx_id(creator, "User", f->admin_a));
    r = fx_run(f, &f->a, doc, NULL);
    assert_int_equal(jint(r, "data.mine.totalCount"), 3);
    assert_int_equal(jint(r, "data.junk.totalCount"), 0);
    json_decref(r);
}

static void update_and_tenancy(void **state) {
    fx_t *f = *state;
    json_t *r = fx_run(f, &f->a, create_doc, "{\"i\": {\"name\": \"acme\"}}");
    char id[128], vars[600];
    snprintf(id, sizeof id, "%s", jstr(r, "data.createDeveloperToken.token.id"));
    json_decref(r);
    const char *up = "mutation($id: ID!, $i: UpdateDeveloperTokenInput!) {"
                     " updateDeveloperToken(id: $id, input: $i) { name status } }";
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"active\": false}}", id);
    r = fx_run(f, &f->b, up, vars);
    assert_error(r, "NOT_FOUND", "field", "id");
    assert_string_equal(jstr(r, "errors.0.message"), "No developer token with this ID.");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", id);
    r = fx_run(f, &f->b, "query($id: ID!) { developerToken(id: $id) { name } }", vars);
    assert_no_errors(r);
    assert_true(jnull(r, "data.developerToken"));
    json_decref(r);
    r = fx_run(f, &f->b, "{ developerTokens { totalCount } }", NULL);
    assert_int_equal(jint(r, "data.developerTokens.totalCount"), 0);
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"name\": \"\"}}", id);
    r = fx_run(f, &f->a, up, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "input.name");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"active\": false}}", id);
    r = fx_run(f, &f->a, up, vars);
    assert_string_equal(jstr(r, "data.updateDeveloperToken.status"), "DEACTIVATED");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"active\": true, \"name\": \"acme 2\"}}",
             id);
    r = fx_run(f, &f->a, up, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.updateDeveloperToken.status"), "ACTIVE");
    assert_string_equal(jstr(r, "data.updateDeveloperToken.name"), "acme 2");
    json_decref(r);
    /* read without update: the mutation is refused, the list is open. */
    int64_t role = fx_role(f, f->ta, "Readers", fx_perms("read:developer_tokens", NULL));
    int64_t u = fx_user(f, f->ta, "reader@acme.test", "Reader");
    fx_assign(f, f->ta, u, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    r = fx_run(f, &c, up, vars);
    assert_error(r, "FORBIDDEN", "permission", "update:developer_tokens");
    json_decref(r);
    r = fx_run(f, &c, "{ developerTokens { nodes { name creator { email } } } }", NULL);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.developerTokens.nodes.0.creator.email"), "admin@acme.test");
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_token, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(token_cannot_create_tokens, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(subset_and_validation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(live_permissions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(expiry_and_filters, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(update_and_tenancy, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
