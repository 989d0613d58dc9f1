/* SPDX-License-Identifier: MIT */
/* Tests of src/api/memo.c: User.roles and User.permissions of a users page cost one store call
 * for the whole page instead of one per user (the N+1 of `users { roles }`), and the response
 * is byte for byte the one the per-user reads give, permission errors included; users not
 * reached through a page are still read alone. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "lectern/alloc.h"

/* The response to q as ctx, with the memo on or off, and the store calls it made. */
static char *run_counted(fx_t *f, const lc_api_ctx_t *ctx, const char *q, bool memo,
                         lc__api_memo_counts_t *d) {
    lc__api_memo_counts_t a, b;
    lc__api_memo_enable(memo);
    lc__api_memo_counts(&a);
    char *text = fx_run_raw(f, ctx, q, NULL);
    lc__api_memo_counts(&b);
    lc__api_memo_enable(true);
    *d = (lc__api_memo_counts_t){b.batch - a.batch, b.single - a.single, b.hits - a.hits};
    return text;
}

/* Tenant acme: 24 more users (25 with its admin) holding a mix of Learner, a custom role, two
 * custom roles or Console Admin; globex gets users with roles too. */
static void seed(fx_t *f) {
    int64_t graders = fx_role(f, f->ta, "graders", fx_perms("read:users", "read:roles", NULL));
    int64_t alpha = fx_role(f, f->ta, "Alpha", fx_perms("read:courses", NULL));
    int64_t learner =
        fx_sql_int(f, "SELECT id FROM roles WHERE tenant_id = 1 AND builtin = 'learner'");
    int64_t admin =
        fx_sql_int(f, "SELECT id FROM roles WHERE tenant_id = 1 AND builtin = 'console_admin'");
    char email[64];
    for (int i = 0; i < 24; i++) {
        snprintf(email, sizeof email, "u%02d@acme.test", i);
        int64_t u = fx_user(f, f->ta, email, "User");
        if (i % 2 == 0)
            fx_assign(f, f->ta, u, learner);
        if (i % 3 == 0)
            fx_assign(f, f->ta, u, graders);
        if (i % 4 == 0)
            fx_assign(f, f->ta, u, alpha);
        if (i == 7)
            fx_assign(f, f->ta, u, admin);
    }
    int64_t other = fx_role(f, f->tb, "globex role", fx_perms("read:users", NULL));
    for (int i = 0; i < 3; i++) {
        snprintf(email, sizeof email, "g%d@globex.test", i);
        fx_assign(f, f->tb, fx_user(f, f->tb, email, "Globex"), other);
    }
}

#define PAGE_Q(first)                                                                              \
    "{ users(first: " #first ") { totalCount edges { cursor node { id email name"                  \
    " roles { id name kind builtIn permissions { name } userCount } permissions } }"               \
    " nodes { id roles { name } } } }"

/* The measured request: 20 users with their roles. Before the memo, one lc_store_user_roles
 * per user and field (3 SQL statements each); now one lc_store_users_roles for the page. */
static void page_roles_one_call(void **state) {
    fx_t *f = *state;
    seed(f);
    static const char *const queries[] = {
        PAGE_Q(20),
        PAGE_Q(100),
        "{ users(first: 20) { edges { node { id email name roles { name } } } } }",
        "{ users(first: 20) { nodes { permissions } } }",
    };
    static const uint64_t per_user_fields[] = {3, 3, 1, 1};
    static const uint64_t users[] = {20, 25, 20, 20};
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
        lc__api_memo_counts_t off, on;
        char *before = run_counted(f, &f->a, queries[k], false, &off);
        char *after = run_counted(f, &f->a, queries[k], true, &on);
        if (strcmp(before, after) != 0)
            fail_msg("responses differ:\n%s\n%s", before, after);
        if (strstr(after, "\"errors\""))
            fail_msg("%s", after);
        /* The admins are there, with their role or their permissions. */
        assert_true(strstr(after, "Console Admin") || strstr(after, "create:users"));
        assert_int_equal(off.batch, 0);
        assert_int_equal(off.single, per_user_fields[k] * users[k]);
        assert_int_equal(on.batch, 1);
        assert_int_equal(on.single, 0);
        assert_int_equal(on.hits, per_user_fields[k] * users[k] - 1);
        lc_free(before);
        lc_free(after);
    }
    /* The same for the other tenant: its own users' roles only. */
    lc__api_memo_counts_t off, on;
    char *before = run_counted(f, &f->b, PAGE_Q(20), false, &off);
    char *after = run_counted(f, &f->b, PAGE_Q(20), true, &on);
    assert_string_equal(before, after);
    assert_non_null(strstr(after, "globex role"));
    assert_null(strstr(after, "graders"));
    assert_int_equal(on.batch, 1);
    assert_int_equal(on.single, 0);
    lc_free(before);
    lc_free(after);
}

/* Permission checks are the dispatcher's, before the memo: a caller without read:roles gets
 * the same FORBIDDEN errors, and no roles are read for it. */
static void permissions_unchanged(void **state) {
    fx_t *f = *state;
    seed(f);
    lc_api_ctx_t c = fx_token_ctx(f, f->ta, f->admin_a, 1, fx_perms("read:users", NULL));
    lc__api_memo_counts_t off, on;
    char *before = run_counted(f, &c, PAGE_Q(20), false, &off);
    char *after = run_counted(f, &c, PAGE_Q(20), true, &on);
    assert_string_equal(before, after);
    assert_non_null(strstr(after, "FORBIDDEN"));
    assert_int_equal(on.batch + on.single, off.batch + off.single);
    lc_free(before);
    lc_free(after);
}

/* A user not reached through a page (Query.user, a mutation's result) is read alone, also
 * when the same user is in a page of the request: a mutation never sees remembered roles. */
static void single_users_read_alone(void **state) {
    fx_t *f = *state;
    seed(f);
    char id[128], q[512];
    fx_id(id, "User", f->admin_a);
    snprintf(q, sizeof q,
             "{ users(first: 3) { nodes { id roles { name } permissions } }"
             " user(id: \"%s\") { roles { name } permissions } }",
             id);
    lc__api_memo_counts_t off, on;
    char *before = run_counted(f, &f->a, q, false, &off);
    char *after = run_counted(f, &f->a, q, true, &on);
    assert_string_equal(before, after);
    assert_int_equal(off.single, 8);
    assert_int_equal(on.batch, 1);
    assert_int_equal(on.single, 2);
    lc_free(before);
    lc_free(after);

    int64_t learner =
        fx_sql_int(f, "SELECT id FROM roles WHERE tenant_id = 1 AND builtin = 'learner'");
    char rid[128];
    fx_id(rid, "Role", learner);
    snprintf(q, sizeof q,
             "mutation { assignRole(userId: \"%s\", roleId: \"%s\") { roles { name } } }", id, rid);
    after = run_counted(f, &f->a, q, true, &on);
    assert_non_null(strstr(after, "Learner"));
    assert_int_equal(on.batch, 0);
    assert_int_equal(on.single, 1);
    lc_free(after);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(page_roles_one_call, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(permissions_unchanged, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(single_users_read_alone, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
