/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_roles.c: built-in roles (catalog permissions, immutable), custom
 * roles' permissions stored by name, reads and pages, writes with their audit rows and
 * generation, tenant isolation and allocation failures. */
#include "domain_test.h"

static const lc_permset_t TOKENS = (1ull << LC_PERM_READ_DEVELOPER_TOKENS) |
                                   (1ull << LC_PERM_CREATE_DEVELOPER_TOKENS) |
                                   (1ull << LC_PERM_UPDATE_DEVELOPER_TOKENS);

static void builtins(void **state) {
    fx_t *f = *state;
    lc_role_t r;
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, f->r_admin1, &r), LC_OK);
    assert_string_equal(r.name, "Console Admin");
    assert_int_equal(r.builtin, LC_ROLE_CONSOLE_ADMIN);
    assert_int_equal(r.permissions, LC_PERMSET_ALL);
    assert_int_equal(r.user_count, 1);
    assert_int_equal(r.tenant_id, f->t1);
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, f->r_learn1, &r), LC_OK);
    assert_string_equal(r.name, "Learner");
    assert_int_equal(r.builtin, LC_ROLE_LEARNER);
    assert_int_equal(r.permissions, LC_PERMSET_NONE);
    assert_int_equal(r.user_count, 0);
    assert_true(strlen(r.description) > 0);

    /* Built-ins cannot be edited or deleted: LC_EDENIED, nothing written. */
    uint64_t gen = lc_store_generation(f->s);
    int64_t audits = fx_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(lc_store_role_update(f->s, &f->act1, f->r_admin1, "Boss", NULL, false, 0),
                     LC_EDENIED);
    assert_int_equal(lc_store_role_update(f->s, &f->act1, f->r_learn1, NULL, NULL, true, TOKENS),
                     LC_EDENIED);
    assert_int_equal(lc_store_role_update(f->s, &f->act1, f->r_learn1, NULL, NULL, false, 0),
                     LC_EDENIED);
    assert_int_equal(lc_store_role_delete(f->s, &f->act1, f->r_admin1), LC_EDENIED);
    assert_int_equal(lc_store_role_delete(f->s, &f->act1, f->r_learn1), LC_EDENIED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM role_permissions"), 0);
    assert_int_equal(lc_store_generation(f->s), gen);
    /* Another tenant's built-in is a missing role, not a denied one. */
    assert_int_equal(lc_store_role_delete(f->s, &f->act1, f->r_admin2), LC_ENOTFOUND);
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, f->r_admin2, &r), LC_ENOTFOUND);
}

static void create_update_delete(void **state) {
    fx_t *f = *state;
    uint64_t gen = lc_store_generation(f->s);
    int64_t id = 0;
    assert_int_equal(
        lc_store_role_create(f->s, &f->act1, "Token admins", "Manage API tokens", TOKENS, &id),
        LC_OK);
    /* Nobody holds a new role: the generation stays. */
    assert_int_equal(lc_store_generation(f->s), gen);
    /* Stored by catalog name. */
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM role_permissions WHERE role_id = %lld", (long long)id), 3);
    assert_int_equal(fx_int(f,
                            "SELECT count(*) FROM role_permissions WHERE role_id = %lld AND"
                            " permission IN ('read:developer_tokens', 'create:developer_tokens',"
                            " 'update:developer_tokens')",
                            (long long)id),
                     3);
    char want[512];
    snprintf(want, sizeof want,
             "role.create|%lld||role|%lld|192.0.2.1|{\"name\":\"Token admins\",\"permissions\":"
             "[\"read:developer_tokens\",\"create:developer_tokens\",\"update:developer_tokens\"]}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    lc_role_t r;
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, id, &r), LC_OK);
    assert_string_equal(r.name, "Token admins");
    assert_string_equal(r.description, "Manage API tokens");
    assert_int_equal(r.builtin, LC_ROLE_CUSTOM);
    assert_int_equal(r.permissions, TOKENS);

    /* Names are unique per tenant, ignoring case; the other tenant may reuse it. */
    int64_t keep = -1;
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "TOKEN ADMINS", NULL, 0, &keep),
                     LC_EEXIST);
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "learner", NULL, 0, &keep), LC_EEXIST);
    assert_int_equal(keep, -1);
    assert_int_equal(lc_store_role_create(f->s, &f->act2, "Token admins", NULL, 0, NULL), LC_OK);
    /* Bits outside the catalog. */
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "X", NULL, 1ull << 63, NULL), LC_EINVAL);

    /* A rename does not change what anyone may do: no generation. */
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, "Tokens", NULL, false, 0), LC_OK);
    assert_int_equal(lc_store_generation(f->s), gen);
    snprintf(want, sizeof want, "role.update|%lld||role|%lld|192.0.2.1|{\"name\":\"Tokens\"}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    /* New permissions: a new generation. */
    lc_permset_t readers = lc_permset_of(LC_PERM_READ_USERS) | lc_permset_of(LC_PERM_READ_ROLES);
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, NULL, "Readers", true, readers),
                     LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    snprintf(want, sizeof want,
             "role.update|%lld||role|%lld|192.0.2.1|{\"description\":\"Readers\","
             "\"permissions\":[\"read:users\",\"read:roles\"]}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, id, &r), LC_OK);
    assert_string_equal(r.name, "Tokens");
    assert_string_equal(r.description, "Readers");
    assert_int_equal(r.permissions, readers);
    /* To none at all. */
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, NULL, NULL, true, 0), LC_OK);
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, id, &r), LC_OK);
    assert_int_equal(r.permissions, 0);
    /* Nothing to change: LC_OK without audit; unknown: LC_ENOTFOUND; taken name: LC_EEXIST. */
    int64_t audits = fx_audits(f, f->t1, "role.update");
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, NULL, NULL, false, 0), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "role.update"), audits);
    assert_int_equal(lc_store_role_update(f->s, &f->act1, 987654, "Y", NULL, false, 0),
                     LC_ENOTFOUND);
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, "Console admin", NULL, false, 0),
                     LC_EEXIST);
    /* Another tenant. */
    assert_int_equal(lc_store_role_update(f->s, &f->act2, id, "Z", NULL, true, TOKENS),
                     LC_ENOTFOUND);
    assert_int_equal(lc_store_role_delete(f->s, &f->act2, id), LC_ENOTFOUND);

    /* Delete: the role leaves its holders too. */
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", id);
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, NULL, NULL, true, TOKENS), LC_OK);
    lc_permset_t p = 0;
    lc_active_t st;
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(p, TOKENS);
    gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_role_delete(f->s, &f->act1, id), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    snprintf(want, sizeof want,
             "role.delete|%lld||role|%lld|192.0.2.1|{\"name\":\"Tokens\",\"users\":1}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, id, &r), LC_ENOTFOUND);
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(p, 0);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM user_roles WHERE role_id = %lld", (long long)id), 0);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM role_permissions WHERE role_id = %lld", (long long)id), 0);
    assert_int_equal(lc_store_role_delete(f->s, &f->act1, id), LC_ENOTFOUND);
}

/* A permission name the catalog does not know (written by a newer binary, or removed) grants
 * nothing and breaks nothing. */
static void unknown_names_ignored(void **state) {
    fx_t *f = *state;
    int64_t id = 0;
    assert_int_equal(
        lc_store_role_create(f->s, &f->act1, "R", NULL, lc_permset_of(LC_PERM_READ_COURSES), &id),
        LC_OK);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO role_permissions VALUES (%lld, %lld, 'fly:spaceships')",
             (long long)f->t1, (long long)id);
    assert_int_equal(rdb_exec(f->db, sql), 0);
    lc_role_t r;
    assert_int_equal(lc_store_role_get(f->s, &f->a, f->t1, id, &r), LC_OK);
    assert_int_equal(r.permissions, lc_permset_of(LC_PERM_READ_COURSES));
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", id);
    lc_permset_t p = 0;
    lc_active_t st;
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(p, lc_permset_of(LC_PERM_READ_COURSES));
    /* Setting permissions replaces every row, the unknown one too. */
    assert_int_equal(lc_store_role_update(f->s, &f->act1, id, NULL, NULL, true, 0), LC_OK);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM role_permissions"), 0);
}

static void list_pages(void **state) {
    fx_t *f = *state;
    int64_t ids[7] = {f->r_admin1, f->r_learn1};
    for (int i = 2; i < 7; i++) {
        char name[32];
        snprintf(name, sizeof name, "Custom %d", i);
        assert_int_equal(
            lc_store_role_create(f->s, &f->act1, name, NULL, lc_permset_of((lc_perm_t)i), &ids[i]),
            LC_OK);
    }
    assert_int_equal(lc_store_role_create(f->s, &f->act2, "Theirs", NULL, 1, NULL), LC_OK);
    fx_user(f, &f->act1, "bob@acme.test", "Bob", ids[3]);
    uint64_t gen = lc_store_generation(f->s);
    lc_role_t *r = NULL;
    uint32_t n = 0;
    lc_page_info_t info;
    lc_page_t page = {0, 3};
    int seen = 0;
    for (int pg = 0; pg < 3; pg++) {
        assert_int_equal(lc_store_roles_list(f->s, &f->a, f->t1, &page, &r, &n, &info), LC_OK);
        assert_int_equal(info.total, 7);
        assert_int_equal(n, pg < 2 ? 3 : 1);
        assert_int_equal(info.has_next, pg < 2);
        for (uint32_t i = 0; i < n; i++, seen++) {
            assert_int_equal(r[i].id, ids[seen]);
            if (seen >= 2)
                assert_int_equal(r[i].permissions, lc_permset_of((lc_perm_t)seen));
            assert_int_equal(r[i].user_count, seen == 0 || seen == 3 ? 1 : 0);
        }
        page.after = r[n - 1].id;
    }
    assert_int_equal(r[0].permissions, lc_permset_of((lc_perm_t)6));
    page = (lc_page_t){0, 100};
    assert_int_equal(lc_store_roles_list(f->s, &f->a, f->t2, &page, &r, &n, &info), LC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(info.total, 3);
    assert_false(info.has_next);
    assert_int_equal(lc_store_generation(f->s), gen);
}

static int64_t oom_role;

static int oom_update(fx_t *f) {
    return lc_store_role_update(f->s, &f->act1, oom_role, "Renamed", "d", true, TOKENS);
}

static int oom_create(fx_t *f) {
    return lc_store_role_create(f->s, &f->act1, "Created", "d", TOKENS, NULL);
}

static void out_of_memory(void **state) {
    fx_t *f = *state;
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "Old", NULL,
                                          lc_permset_of(LC_PERM_READ_USERS), &oom_role),
                     LC_OK);
    /* Name and permission rows change together or not at all. */
    long n = fx_oom(f, oom_update,
                    "SELECT (SELECT count(*) FROM role_permissions) * 1000"
                    " + (SELECT count(*) FROM roles WHERE name = 'Renamed')");
    print_message("lc_store_role_update: %ld allocation failures checked\n", n);
    n = fx_oom(f, oom_create,
               "SELECT (SELECT count(*) FROM role_permissions) * 1000"
               " + (SELECT count(*) FROM roles)");
    print_message("lc_store_role_create: %ld allocation failures checked\n", n);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM role_permissions"), 6);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        FX_TEST(builtins),   FX_TEST(create_update_delete), FX_TEST(unknown_names_ignored),
        FX_TEST(list_pages), FX_TEST(out_of_memory),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
