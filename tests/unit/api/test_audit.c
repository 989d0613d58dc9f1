/* SPDX-License-Identifier: MIT */
/* Tests of src/api/resolve_audit.c: the audit log newest first with its filters and cursors,
 * JSON details, opaque target IDs, who-did-it guarded by read:users / read:developer_tokens,
 * and tenancy. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

#include "api_int.h"

static const char *all_doc =
    "query($f: AuditEventFilter, $first: Int, $after: String) {"
    " auditEvents(filter: $f, first: $first, after: $after) { totalCount"
    "  nodes { id action actor { email } actorToken { name } targetType targetId ip detail"
    "  createdAt } pageInfo { hasNextPage endCursor } } }";

static void audit_log(void **state) {
    fx_t *f = *state;
    /* Some history: a course, a user, a token; the token then creates a course. */
    json_t *r = fx_run(f, &f->a,
                       "mutation { createCourse(input: {title: \"T\", code: \"C1\"}) { id }"
                       " createUser(input: {email: \"u@acme.test\", name: \"U\"}) { id }"
                       " createDeveloperToken(input: {name: \"bot\"}) { token { id } } }",
                       NULL);
    assert_no_errors(r);
    char uid[128], tid[128];
    snprintf(uid, sizeof uid, "%s", jstr(r, "data.createUser.id"));
    snprintf(tid, sizeof tid, "%s", jstr(r, "data.createDeveloperToken.token.id"));
    json_decref(r);
    lc_api_ctx_t bot =
        fx_token_ctx(f, f->ta, f->admin_a, fx_num(tid, "DeveloperToken"), LC_PERMSET_ALL);
    bot.ip = "198.51.100.7";
    r = fx_run(f, &bot, "mutation { createCourse(input: {title: \"T2\", code: \"C2\"}) { id } }",
               NULL);
    assert_no_errors(r);
    json_decref(r);
    json_decref(fx_run(
        f, &f->b, "mutation { createCourse(input: {title: \"B\", code: \"B1\"}) { id } }", NULL));

    r = fx_run(f, &f->a, all_doc, NULL);
    assert_no_errors(r);
    /* tenant.bootstrap + course + user + token + course */
    assert_int_equal(jint(r, "data.auditEvents.totalCount"), 5);
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.action"), "course.create");
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.actorToken.name"), "bot");
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.actor.email"), "admin@acme.test");
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.ip"), "198.51.100.7");
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.targetType"), "course");
    fx_num(jstr(r, "data.auditEvents.nodes.0.targetId"), "Course");
    assert_true(json_is_object(jget(r, "data.auditEvents.nodes.0.detail")));
    assert_string_equal(jstr(r, "data.auditEvents.nodes.1.action"), "token.create");
    assert_string_equal(jstr(r, "data.auditEvents.nodes.1.targetId"), tid);
    assert_true(jnull(r, "data.auditEvents.nodes.1.actorToken"));
    assert_string_equal(jstr(r, "data.auditEvents.nodes.2.targetId"), uid);
    assert_string_equal(jstr(r, "data.auditEvents.nodes.4.action"), "tenant.bootstrap");
    assert_true(jnull(r, "data.auditEvents.nodes.4.actor"));
    assert_true(jnull(r, "data.auditEvents.nodes.4.ip"));
    assert_int_equal(strlen(jstr(r, "data.auditEvents.nodes.4.createdAt")), 20);
    json_decref(r);

    /* Pages, newest first. */
    r = fx_run(f, &f->a, all_doc, "{\"first\": 3}");
    assert_true(jbool(r, "data.auditEvents.pageInfo.hasNextPage"));
    char vars[600];
    snprintf(vars, sizeof vars, "{\"first\": 3, \"after\": \"%s\"}",
             jstr(r, "data.auditEvents.pageInfo.endCursor"));
    json_decref(r);
    r = fx_run(f, &f->a, all_doc, vars);
    assert_no_errors(r);
    assert_int_equal(json_array_size(jget(r, "data.auditEvents.nodes")), 2);
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.action"), "course.create");
    assert_string_equal(jstr(r, "data.auditEvents.nodes.1.action"), "tenant.bootstrap");
    assert_false(jbool(r, "data.auditEvents.pageInfo.hasNextPage"));
    json_decref(r);

    /* Filters. */
    static const struct {
        const char *filter;
        int64_t count;
    } cases[] = {
        {"{\"action\": \"course.create\"}", 2},
        {"{\"action\": \"course.\"}", 2},
        {"{\"action\": \"token.\"}", 1},
        {"{\"action\": \"course\"}", 0},
        {"{\"since\": \"2000-01-01T00:00:00Z\"}", 5},
        {"{\"until\": \"2000-01-01T00:00:00Z\"}", 0},
        {"{\"since\": \"2999-01-01T00:00:00Z\"}", 0},
        {"{\"actorId\": \"junk\"}", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(vars, sizeof vars, "{\"f\": %s}", cases[i].filter);
        r = fx_run(f, &f->a, all_doc, vars);
        assert_no_errors(r);
        if (jint(r, "data.auditEvents.totalCount") != cases[i].count)
            fail_msg("filter %s: %lld", cases[i].filter,
                     (long long)jint(r, "data.auditEvents.totalCount"));
        json_decref(r);
    }
    char admin[128];
    snprintf(vars, sizeof vars, "{\"f\": {\"actorId\": \"%s\"}}", fx_id(admin, "User", f->admin_a));
    r = fx_run(f, &f->a, all_doc, vars);
    assert_int_equal(jint(r, "data.auditEvents.totalCount"), 4);
    json_decref(r);
    r = fx_run(f, &f->a, all_doc, "{\"f\": {\"since\": \"last tuesday\"}}");
    assert_error(r, "BAD_USER_INPUT", "field", "filter.since");
    json_decref(r);

    /* The other tenant sees only its own. */
    r = fx_run(f, &f->b, all_doc, NULL);
    assert_int_equal(jint(r, "data.auditEvents.totalCount"), 2);
    json_decref(r);
}

static void audit_guards(void **state) {
    fx_t *f = *state;
    int64_t role = fx_role(f, f->ta, "Auditors", fx_perms("read:audit_events", NULL));
    int64_t u = fx_user(f, f->ta, "aud@acme.test", "Aud");
    fx_assign(f, f->ta, u, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, u);
    /* role.create, user.create and role.assign by the system, and the bootstrap. */
    json_t *r =
        fx_run(f, &c, "{ auditEvents(first: 1) { nodes { action actor { email } } } }", NULL);
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.action"), "role.assign");
    /* The permission is checked before anything is read, also for the system's events. */
    assert_true(jnull(r, "data.auditEvents.nodes.0.actor"));
    assert_error(r, "FORBIDDEN", "permission", "read:users");
    json_decref(r);
    r = fx_run(f, &f->a, "mutation { createCourse(input: {title: \"T\", code: \"C\"}) { id } }",
               NULL);
    json_decref(r);
    r = fx_run(f, &c, "{ auditEvents(first: 1) { nodes { action actor { email } } } }", NULL);
    assert_string_equal(jstr(r, "data.auditEvents.nodes.0.action"), "course.create");
    assert_true(jnull(r, "data.auditEvents.nodes.0.actor"));
    assert_error(r, "FORBIDDEN", "permission", "read:users");
    json_decref(r);
    r = fx_run(f, &c, "{ auditEvents(first: 1) { nodes { actorToken { name } } } }", NULL);
    assert_error(r, "FORBIDDEN", "permission", "read:developer_tokens");
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(audit_log, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(audit_guards, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
