/* SPDX-License-Identifier: MIT */
/* Tests of src/api/resolve_users.c through real documents: the users connection (pages,
 * cursors, filters), tenancy (another tenant's IDs behave as missing ones), createUser /
 * updateUser validation and conflicts, the last active Console Admin, and no escalation through
 * roles or through another user's password. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

static void users_pages(void **state) {
    fx_t *f = *state;
    char email[64];
    for (int i = 1; i <= 5; i++) {
        snprintf(email, sizeof email, "learner%d@acme.test", i);
        fx_user(f, f->ta, email, "Learner");
    }
    fx_user(f, f->tb, "other@globex.test", "Other");
    const char *q = "query($first: Int, $after: String) { users(first: $first, after: $after) {"
                    "  totalCount edges { cursor node { id email } } nodes { email }"
                    "  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    json_t *r = fx_run(f, &f->a, q, "{\"first\": 2}");
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.users.totalCount"), 6);
    assert_int_equal(json_array_size(jget(r, "data.users.edges")), 2);
    assert_string_equal(jstr(r, "data.users.nodes.0.email"), "admin@acme.test");
    assert_true(jbool(r, "data.users.pageInfo.hasNextPage"));
    assert_false(jbool(r, "data.users.pageInfo.hasPreviousPage"));
    assert_string_equal(jstr(r, "data.users.pageInfo.startCursor"),
                        jstr(r, "data.users.edges.0.cursor"));
    assert_string_equal(jstr(r, "data.users.pageInfo.endCursor"),
                        jstr(r, "data.users.edges.1.cursor"));
    assert_int_equal(fx_num(jstr(r, "data.users.edges.0.node.id"), "User"), f->admin_a);
    char vars[600];
    /* Walk the pages to the end: 2 + 2 + 2. */
    int pages = 1;
    while (jbool(r, "data.users.pageInfo.hasNextPage")) {
        snprintf(vars, sizeof vars, "{\"first\": 2, \"after\": \"%s\"}",
                 jstr(r, "data.users.pageInfo.endCursor"));
        json_decref(r);
        r = fx_run(f, &f->a, q, vars);
        assert_no_errors(r);
        assert_true(jbool(r, "data.users.pageInfo.hasPreviousPage"));
        pages++;
    }
    assert_int_equal(pages, 3);
    assert_string_equal(jstr(r, "data.users.nodes.1.email"), "learner5@acme.test");
    json_decref(r);

    /* The default page is 20; 0 is an empty page; 100 is the most. */
    r = fx_run(f, &f->a, "{ users { nodes { id } pageInfo { endCursor hasNextPage } } }", NULL);
    assert_int_equal(json_array_size(jget(r, "data.users.nodes")), 6);
    json_decref(r);
    r = fx_run(f, &f->a, "{ users(first: 0) { totalCount nodes { id } pageInfo { endCursor } } }",
               NULL);
    assert_no_errors(r);
    assert_int_equal(json_array_size(jget(r, "data.users.nodes")), 0);
    assert_int_equal(jint(r, "data.users.totalCount"), 6);
    assert_true(jnull(r, "data.users.pageInfo.endCursor"));
    json_decref(r);
    r = fx_run(f, &f->a, "{ users(first: 100) { totalCount } }", NULL);
    assert_no_errors(r);
    json_decref(r);
    static const char *const bad_first[] = {"101", "-1", "100000"};
    for (size_t i = 0; i < 3; i++) {
        char doc[128];
        snprintf(doc, sizeof doc, "{ users(first: %s) { totalCount } viewer { permissions } }",
                 bad_first[i]);
        r = fx_run(f, &f->a, doc, NULL);
        assert_error(r, "BAD_USER_INPUT", "field", "first");
        assert_true(jnull(r, "data.users"));
        assert_non_null(jget(r, "data.viewer.permissions"));
        json_decref(r);
    }
    static const char *const bad_after[] = {"nope", "VXNlcjo0Mg", ""};
    for (size_t i = 0; i < 3; i++) {
        snprintf(vars, sizeof vars, "{\"after\": \"%s\"}", bad_after[i]);
        r = fx_run(f, &f->a, q, vars);
        assert_error(r, "BAD_USER_INPUT", "field", "after");
        json_decref(r);
    }
}

static void users_filters(void **state) {
    fx_t *f = *state;
    int64_t ann = fx_user(f, f->ta, "ann@acme.test", "Ann Smith");
    fx_user(f, f->ta, "bob@example.org", "Bob Smithers");
    int64_t cy = fx_user(f, f->ta, "cy@acme.test", "Cy Jones");
    int64_t role = fx_role(f, f->ta, "Graders", fx_perms("read:courses", NULL));
    fx_assign(f, f->ta, cy, role);
    fx_user(f, f->tb, "smith@globex.test", "Other Smith");
    lc_actor_t sys = {f->ta, 0, 0, NULL};
    assert_int_equal(lc_store_user_set_status(f->store, &sys, ann, LC_DEACTIVATED), LC_OK);

    const char *q = "query($f: UserFilter) { users(filter: $f) { totalCount nodes { email } } }";
    static const struct {
        const char *filter;
        int64_t count;
    } cases[] = {
        {"{\"query\": \"smith\"}", 2},
        {"{\"query\": \"SMITH\"}", 2},
        {"{\"name\": \"smithers\"}", 1},
        {"{\"email\": \"acme.test\"}", 3},
        {"{\"email\": \"%\"}", 0}, /* wildcards are text */
        {"{\"status\": \"DEACTIVATED\"}", 1},
        {"{\"status\": \"ACTIVE\"}", 3},
        {"{\"query\": \"smith\", \"status\": \"ACTIVE\"}", 1},
        {"{\"id\": \"nonsense\"}", 0},
        {"{\"roleId\": \"nonsense\"}", 0},
        {"{\"query\": \"\"}", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char vars[600];
        snprintf(vars, sizeof vars, "{\"f\": %s}", cases[i].filter);
        json_t *r = fx_run(f, &f->a, q, vars);
        assert_no_errors(r);
        if (jint(r, "data.users.totalCount") != cases[i].count)
            fail_msg("filter %s: %lld users", cases[i].filter,
                     (long long)jint(r, "data.users.totalCount"));
        json_decref(r);
    }
    char id[128], vars[512];
    /* By ID, by the ID typed into the search, by role. */
    snprintf(vars, sizeof vars, "{\"f\": {\"id\": \"%s\"}}", fx_id(id, "User", cy));
    json_t *r = fx_run(f, &f->a, q, vars);
    assert_int_equal(jint(r, "data.users.totalCount"), 1);
    assert_string_equal(jstr(r, "data.users.nodes.0.email"), "cy@acme.test");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"f\": {\"query\": \"%s\"}}", id);
    r = fx_run(f, &f->a, q, vars);
    assert_int_equal(jint(r, "data.users.totalCount"), 1);
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"f\": {\"roleId\": \"%s\"}}", fx_id(id, "Role", role));
    r = fx_run(f, &f->a, q, vars);
    assert_int_equal(jint(r, "data.users.totalCount"), 1);
    assert_string_equal(jstr(r, "data.users.nodes.0.email"), "cy@acme.test");
    json_decref(r);
    /* A filter text past its limit is refused, not cut. */
    char longq[400];
    memset(longq, 'a', 300);
    longq[300] = '\0';
    snprintf(vars, sizeof vars, "{\"f\": {\"name\": \"%s\"}}", longq);
    r = fx_run(f, &f->a, q, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "filter.name");
    json_decref(r);
}

static void users_tenancy(void **state) {
    fx_t *f = *state;
    int64_t a_user = fx_user(f, f->ta, "x@acme.test", "X");
    char id[128], vars[600];
    fx_id(id, "User", a_user);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", id);
    /* The other tenant's admin: the user does not exist for them. */
    json_t *r = fx_run(f, &f->b, "query($id: ID!) { user(id: $id) { email } }", vars);
    assert_no_errors(r);
    assert_true(jnull(r, "data.user"));
    json_decref(r);
    /* Exactly as an ID that exists nowhere, or a malformed one. */
    r = fx_run(f, &f->b, "{ user(id: \"VXNlcjo5OTk5\") { email } a: user(id: \"junk\") { email } }",
               NULL);
    assert_no_errors(r);
    assert_true(jnull(r, "data.user"));
    assert_true(jnull(r, "data.a"));
    json_decref(r);
    static const char *const muts[] = {
        "mutation($id: ID!) { updateUser(id: $id, input: {name: \"Hacked\"}) { id } }",
        "mutation($id: ID!) { deactivateUser(id: $id) { id } }",
        "mutation($id: ID!) { reactivateUser(id: $id) { id } }",
    };
    for (size_t i = 0; i < 3; i++) {
        r = fx_run(f, &f->b, muts[i], vars);
        assert_error(r, "NOT_FOUND", "field", "id");
        assert_string_equal(jstr(r, "errors.0.message"), "No user with this ID.");
        json_decref(r);
        /* A malformed ID says the same. */
        r = fx_run(f, &f->b, muts[i], "{\"id\": \"junk\"}");
        assert_error(r, "NOT_FOUND", "field", "id");
        assert_string_equal(jstr(r, "errors.0.message"), "No user with this ID.");
        json_decref(r);
    }
    char name[64];
    fx_sql_text(f, "SELECT name FROM users WHERE email = 'x@acme.test'", name, sizeof name);
    assert_string_equal(name, "X");
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM users WHERE status <> 'active'"), 0);
}

static void create_user(void **state) {
    fx_t *f = *state;
    json_t *r = fx_run(f, &f->a,
                       "mutation { createUser(input: {email: \"new@acme.test\", name: \"Nia New\","
                       " password: \"correct horse battery\"}) { id email name status canLogIn"
                       " lastLoginAt createdAt roles { name } permissions } }",
                       NULL);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.createUser.email"), "new@acme.test");
    assert_string_equal(jstr(r, "data.createUser.status"), "ACTIVE");
    assert_true(jbool(r, "data.createUser.canLogIn"));
    assert_true(jnull(r, "data.createUser.lastLoginAt"));
    assert_int_equal(strlen(jstr(r, "data.createUser.createdAt")), 20);
    assert_int_equal(json_array_size(jget(r, "data.createUser.roles")), 0);
    int64_t id = fx_num(jstr(r, "data.createUser.id"), "User");
    json_decref(r);
    /* Stored with an argon2id hash, and audited with the actor and ip of the request. */
    char buf[256];
    snprintf(buf, sizeof buf, "SELECT password_hash FROM users WHERE id = %lld", (long long)id);
    char hash[256];
    fx_sql_text(f, buf, hash, sizeof hash);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    snprintf(buf, sizeof buf,
             "SELECT count(*) FROM audit_events WHERE action = 'user.create' AND target_id = %lld"
             " AND actor_user_id = %lld AND ip = '192.0.2.1'",
             (long long)id, (long long)f->admin_a);
    assert_int_equal(fx_sql_int(f, buf), 1);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM audit_events WHERE detail LIKE '%horse%'"),
                     0);

    /* The email is unique within the tenant, ignoring case; not across tenants. */
    const char *dup = "mutation($e: String!) { createUser(input: {email: $e, name: \"Dup\"}) {"
                      " email canLogIn } }";
    r = fx_run(f, &f->a, dup, "{\"e\": \"NEW@acme.test\"}");
    assert_error(r, "CONFLICT", "field", "input.email");
    assert_string_equal(jstr(r, "errors.0.message"), "A user with this email already exists.");
    json_decref(r);
    r = fx_run(f, &f->b, dup, "{\"e\": \"new@acme.test\"}");
    assert_no_errors(r);
    assert_false(jbool(r, "data.createUser.canLogIn"));
    json_decref(r);
}

static void create_user_validation(void **state) {
    fx_t *f = *state;
    char longname[260], vars[1400];
    memset(longname, 'n', 201);
    longname[201] = '\0';
    char longmail[300];
    memset(longmail, 'm', 250);
    memcpy(longmail + 250, "@a.io", 6);
    static const char *const shaped[] = {"plain",         "@acme.test",   "a@",
                                         "a b@acme.test", "a@@acme.test", "a@acme..test",
                                         "a@.acme.test",  "a@acme.test."};
    struct {
        char vars[1400];
        const char *field;
    } cases[20];
    size_t n = 0;
    snprintf(cases[n].vars, sizeof vars, "{\"i\": {\"email\": \"a@acme.test\", \"name\": \"%s\"}}",
             longname);
    cases[n++].field = "input.name";
    snprintf(cases[n].vars, sizeof vars, "{\"i\": {\"email\": \"a@acme.test\", \"name\": \"\"}}");
    cases[n++].field = "input.name";
    snprintf(cases[n].vars, sizeof vars,
             "{\"i\": {\"email\": \"a@acme.test\", \"name\": \"   \"}}");
    cases[n++].field = "input.name";
    snprintf(cases[n].vars, sizeof vars,
             "{\"i\": {\"email\": \"a@acme.test\", \"name\": \"Line\\nbreak\"}}");
    cases[n++].field = "input.name";
    /* No silent truncation at a NUL byte either. */
    snprintf(cases[n].vars, sizeof vars,
             "{\"i\": {\"email\": \"a@acme.test\", \"name\": \"Ada\\u0000Root\"}}");
    cases[n++].field = "input.name";
    snprintf(cases[n].vars, sizeof vars,
             "{\"i\": {\"email\": \"a@acme.test\\u0000x\", \"name\": \"A\"}}");
    cases[n++].field = "input.email";
    snprintf(cases[n].vars, sizeof vars, "{\"i\": {\"email\": \"%s\", \"name\": \"N\"}}", longmail);
    cases[n++].field = "input.email";
    for (size_t i = 0; i < sizeof shaped / sizeof shaped[0]; i++) {
        snprintf(cases[n].vars, sizeof vars, "{\"i\": {\"email\": \"%s\", \"name\": \"N\"}}",
                 shaped[i]);
        cases[n++].field = "input.email";
    }
    snprintf(cases[n].vars, sizeof vars,
             "{\"i\": {\"email\": \"a@acme.test\", \"name\": \"N\", \"password\": \"short\"}}");
    cases[n++].field = "input.password";
    for (size_t i = 0; i < n; i++) {
        json_t *r =
            fx_run(f, &f->a, "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                   cases[i].vars);
        json_t *errs = json_object_get(r, "errors");
        if (json_array_size(errs) != 1 ||
            strcmp(jstr(r, "errors.0.extensions.code"), "BAD_USER_INPUT") != 0 ||
            strcmp(jstr(r, "errors.0.extensions.field"), cases[i].field) != 0)
            fail_msg("case %zu (%s): %s", i, cases[i].vars, json_dumps(r, JSON_COMPACT));
        json_decref(r);
    }
    /* 200 characters of a non-ASCII name fit (characters, not bytes). */
    char wide[700] = "";
    for (int i = 0; i < 200; i++)
        strcat(wide, "\xc3\xa9");
    snprintf(vars, sizeof vars, "{\"i\": {\"email\": \"e@acme.test\", \"name\": \"%s\"}}", wide);
    json_t *r =
        fx_run(f, &f->a, "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }", vars);
    assert_no_errors(r);
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM users"), 3);
}

/* A custom-role user with some permissions; returns their session context. */
static lc_api_ctx_t helper(fx_t *f, const char *email, lc_permset_t perms, int64_t *uid) {
    int64_t role = fx_role(f, f->ta, email, perms);
    int64_t u = fx_user(f, f->ta, email, "Helper");
    fx_assign(f, f->ta, u, role);
    if (uid)
        *uid = u;
    return fx_ctx(f, f->ta, u);
}

static void create_user_with_roles(void **state) {
    fx_t *f = *state;
    int64_t graders = fx_role(f, f->ta, "Graders", fx_perms("read:courses", NULL));
    int64_t auditors = fx_role(f, f->ta, "Auditors", fx_perms("read:audit_events", NULL));
    char g[128], a[128], adm[128], vars[512];
    fx_id(g, "Role", graders);
    fx_id(a, "Role", auditors);
    int64_t admin_role = fx_sql_int(f, "SELECT id FROM roles WHERE builtin = 'console_admin'"
                                       " AND tenant_id = 1");
    fx_id(adm, "Role", admin_role);
    const char *m = "mutation($r: [ID!]) { createUser(input: {email: \"r@acme.test\","
                    " name: \"R\", roleIds: $r}) { roles { name } permissions } }";
    /* Without assign:roles: refused, naming it. */
    lc_api_ctx_t c = helper(f, "h@acme.test", fx_perms("create:users", "read:courses", NULL), NULL);
    snprintf(vars, sizeof vars, "{\"r\": [\"%s\"]}", g);
    json_t *r = fx_run(f, &c, m, vars);
    assert_error(r, "FORBIDDEN", "permission", "assign:roles");
    json_decref(r);
    /* With it, but not every permission of the role. */
    c = helper(f, "h2@acme.test", fx_perms("create:users", "assign:roles", "read:courses", NULL),
               NULL);
    snprintf(vars, sizeof vars, "{\"r\": [\"%s\", \"%s\"]}", g, a);
    r = fx_run(f, &c, m, vars);
    assert_error(r, "FORBIDDEN", "permission", "read:audit_events");
    assert_string_equal(jstr(r, "errors.0.message"),
                        "You cannot assign a role with the read:audit_events permission: you do "
                        "not hold it.");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"r\": [\"%s\"]}", adm);
    r = fx_run(f, &c, m, vars);
    assert_error(r, "FORBIDDEN", "permission", "read:users");
    json_decref(r);
    /* Another tenant's role is a missing one. */
    int64_t b_role = fx_role(f, f->tb, "B", 0);
    char b[128];
    snprintf(vars, sizeof vars, "{\"r\": [\"%s\"]}", fx_id(b, "Role", b_role));
    r = fx_run(f, &c, m, vars);
    assert_error(r, "NOT_FOUND", "field", "input.roleIds");
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM users WHERE email = 'r@acme.test'"), 0);
    /* Allowed: the role's permissions are the caller's. Duplicates are one role. */
    snprintf(vars, sizeof vars, "{\"r\": [\"%s\", \"%s\"]}", g, g);
    r = fx_run(f, &f->a, m, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.createUser.roles.0.name"), "Graders");
    assert_int_equal(json_array_size(jget(r, "data.createUser.roles")), 1);
    assert_string_equal(jstr(r, "data.createUser.permissions.0"), "read:courses");
    json_decref(r);
}

static void update_user(void **state) {
    fx_t *f = *state;
    int64_t lea = fx_user(f, f->ta, "lea@acme.test", "Lea");
    int64_t other = fx_user(f, f->ta, "taken@acme.test", "Taken");
    (void)other;
    char id[128], vars[512];
    fx_id(id, "User", lea);
    const char *m = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) {"
                    " name email canLogIn } }";
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"name\": \"Lea L.\"}}", id);
    json_t *r = fx_run(f, &f->a, m, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.updateUser.name"), "Lea L.");
    assert_string_equal(jstr(r, "data.updateUser.email"), "lea@acme.test");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"email\": \"TAKEN@acme.test\"}}", id);
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "CONFLICT", "field", "input.email");
    json_decref(r);
    snprintf(vars, sizeof vars,
             "{\"id\": \"%s\", \"i\": {\"password\": \"a long enough password\", \"name\": null}}",
             id);
    r = fx_run(f, &f->a, m, vars);
    assert_no_errors(r);
    assert_true(jbool(r, "data.updateUser.canLogIn"));
    assert_string_equal(jstr(r, "data.updateUser.name"), "Lea L.");
    json_decref(r);
    /* Name, a taken email and a password at once: one transaction, nothing changes. */
    char hash_before[256], hash_after[256], name_after[64];
    snprintf(vars, sizeof vars, "SELECT password_hash FROM users WHERE id = %lld", (long long)lea);
    fx_sql_text(f, vars, hash_before, sizeof hash_before);
    snprintf(vars, sizeof vars,
             "{\"id\": \"%s\", \"i\": {\"name\": \"Not Lea\", \"email\": \"taken@acme.test\","
             " \"password\": \"another long password\"}}",
             id);
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "CONFLICT", "field", "input.email");
    json_decref(r);
    snprintf(vars, sizeof vars, "SELECT password_hash FROM users WHERE id = %lld", (long long)lea);
    fx_sql_text(f, vars, hash_after, sizeof hash_after);
    assert_string_equal(hash_after, hash_before);
    snprintf(vars, sizeof vars, "SELECT name FROM users WHERE id = %lld", (long long)lea);
    fx_sql_text(f, vars, name_after, sizeof name_after);
    assert_string_equal(name_after, "Lea L.");

    /* No escalation: update:users may not take over someone who holds more. */
    int64_t hid;
    lc_api_ctx_t c = helper(f, "h@acme.test", fx_perms("update:users", "read:users", NULL), &hid);
    char admin[128];
    fx_id(admin, "User", f->admin_a);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"password\": \"mine now, all mine\"}}",
             admin);
    r = fx_run(f, &c, m, vars);
    assert_error(r, "FORBIDDEN", "permission", "create:users");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"email\": \"me@evil.test\"}}", admin);
    r = fx_run(f, &c, m, vars);
    assert_error(r, "FORBIDDEN", "permission", "create:users");
    json_decref(r);
    /* ... but may rename them, and change a learner's password, and their own. */
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"name\": \"Ada A.\"}}", admin);
    r = fx_run(f, &c, m, vars);
    assert_no_errors(r);
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"password\": \"learner password\"}}",
             id);
    r = fx_run(f, &c, m, vars);
    assert_no_errors(r);
    json_decref(r);
    char self[128];
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"email\": \"h.new@acme.test\"}}",
             fx_id(self, "User", hid));
    r = fx_run(f, &c, m, vars);
    assert_no_errors(r);
    json_decref(r);
    char email[64];
    fx_sql_text(f, "SELECT email FROM users WHERE id = 1", email, sizeof email);
    assert_string_equal(email, "admin@acme.test");
}

static void passwords_not_through_tokens(void **state) {
    fx_t *f = *state;
    /* A token (even with every permission) cannot set a Console password: else a leaked token
     * could open a Console session and generate its successors. */
    json_t *r = fx_run(f, &f->a,
                       "mutation { createDeveloperToken(input: {name: \"t\"}) {"
                       " token { id } } }",
                       NULL);
    int64_t tid = fx_num(jstr(r, "data.createDeveloperToken.token.id"), "DeveloperToken");
    json_decref(r);
    lc_api_ctx_t c = fx_token_ctx(f, f->ta, f->admin_a, tid, LC_PERMSET_ALL);
    char id[128], vars[600];
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"password\": \"a brand new password\"}}",
             fx_id(id, "User", f->admin_a));
    r = fx_run(f, &c,
               "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
               vars);
    assert_error(r, "FORBIDDEN", "field", "input.password");
    json_decref(r);
    r = fx_run(f, &c,
               "mutation { createUser(input: {email: \"p@acme.test\", name: \"P\","
               " password: \"a brand new password\"}) { id } }",
               NULL);
    assert_error(r, "FORBIDDEN", "field", "input.password");
    json_decref(r);
    /* Without a password the token may create users. */
    r = fx_run(f, &c,
               "mutation { createUser(input: {email: \"p@acme.test\", name: \"P\"}) {"
               " canLogIn } }",
               NULL);
    assert_no_errors(r);
    assert_false(jbool(r, "data.createUser.canLogIn"));
    json_decref(r);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_events WHERE action = 'user.create' AND"
             " actor_token_id = %lld",
             (long long)tid);
    assert_int_equal(fx_sql_int(f, sql), 1);
}

static void last_admin(void **state) {
    fx_t *f = *state;
    char admin[128], vars[600], role[128];
    fx_id(admin, "User", f->admin_a);
    int64_t admin_role = fx_sql_int(f, "SELECT id FROM roles WHERE builtin = 'console_admin'"
                                       " AND tenant_id = 1");
    fx_id(role, "Role", admin_role);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", admin);
    json_t *r = fx_run(f, &f->a, "mutation($id: ID!) { deactivateUser(id: $id) { status } }", vars);
    assert_error(r, "CONFLICT", NULL, NULL);
    assert_non_null(strstr(jstr(r, "errors.0.message"), "last active Console Admin"));
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", admin, role);
    const char *un = "mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }";
    r = fx_run(f, &f->a, un, vars);
    assert_error(r, "CONFLICT", NULL, NULL);
    json_decref(r);
    /* With a second admin, the first may go; and come back. */
    int64_t second = fx_user(f, f->ta, "second@acme.test", "Second");
    char sid[128];
    fx_id(sid, "User", second);
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", sid, role);
    r = fx_run(f, &f->a,
               "mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) {"
               " roles { name kind } } }",
               vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.assignRole.roles.0.kind"), "CONSOLE_ADMIN");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\"}", admin);
    r = fx_run(f, &f->a, "mutation($id: ID!) { deactivateUser(id: $id) { status } }", vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.deactivateUser.status"), "DEACTIVATED");
    json_decref(r);
    lc_api_ctx_t c2 = fx_ctx(f, f->ta, second);
    r = fx_run(f, &c2, "mutation($id: ID!) { reactivateUser(id: $id) { status } }", vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.reactivateUser.status"), "ACTIVE");
    json_decref(r);
    /* Unassigning a role the user does not hold. */
    int64_t lea = fx_user(f, f->ta, "lea@acme.test", "Lea");
    char lid[128];
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", fx_id(lid, "User", lea), role);
    r = fx_run(f, &f->a, un, vars);
    assert_error(r, "NOT_FOUND", "field", "roleId");
    json_decref(r);
}

static void assign_escalation(void **state) {
    fx_t *f = *state;
    int64_t auditors = fx_role(f, f->ta, "Auditors", fx_perms("read:audit_events", NULL));
    int64_t graders = fx_role(f, f->ta, "Graders", fx_perms("read:courses", NULL));
    int64_t hid;
    lc_api_ctx_t c = helper(f, "h@acme.test", fx_perms("assign:roles", "read:courses", NULL), &hid);
    int64_t lea = fx_user(f, f->ta, "lea@acme.test", "Lea");
    char u[128], r1[128], r2[128], vars[600];
    fx_id(u, "User", lea);
    const char *as = "mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }";
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", u, fx_id(r1, "Role", auditors));
    json_t *r = fx_run(f, &c, as, vars);
    assert_error(r, "FORBIDDEN", "permission", "read:audit_events");
    json_decref(r);
    /* Nor to themself. */
    char self[128];
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", fx_id(self, "User", hid), r1);
    r = fx_run(f, &c, as, vars);
    assert_error(r, "FORBIDDEN", "permission", "read:audit_events");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", u, fx_id(r2, "Role", graders));
    r = fx_run(f, &c, as, vars);
    assert_no_errors(r);
    json_decref(r);
    /* Taking away a role needs its permissions too. */
    fx_assign(f, f->ta, lea, auditors);
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", u, r1);
    r = fx_run(f, &c, "mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }",
               vars);
    assert_error(r, "FORBIDDEN", "permission", "read:audit_events");
    json_decref(r);
    /* Another tenant's user or role: missing. */
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", u, r2);
    r = fx_run(f, &f->b, as, vars);
    assert_error(r, "NOT_FOUND", "field", "userId");
    json_decref(r);
    char bu[128];
    snprintf(vars, sizeof vars, "{\"u\": \"%s\", \"r\": \"%s\"}", fx_id(bu, "User", f->admin_b),
             r2);
    r = fx_run(f, &f->b, as, vars);
    assert_error(r, "NOT_FOUND", "field", "roleId");
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM user_roles WHERE tenant_id = 2"), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(users_pages, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(users_filters, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(users_tenancy, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(create_user, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(create_user_validation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(create_user_with_roles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(update_user, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(passwords_not_through_tokens, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(last_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(assign_escalation, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
