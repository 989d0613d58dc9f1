/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_users.c: users' reads, filters and pages, roles and live
 * permissions, and every write to a user with its audit row, its generation, the sessions it
 * ends and the last-Console-Admin rule. */
#include "domain_test.h"

#include <pthread.h>

static const uint8_t H1[32] = {1};
static const uint8_t H2[32] = {2};
static const uint8_t H3[32] = {3};

static void session(fx_t *f, int64_t tenant, int64_t user, const uint8_t hash[32]) {
    assert_int_equal(
        lc_store_session_create(f->s, tenant, user, hash, H3, 1000, 999999999999, "::1", "ua"),
        LC_OK);
}

static void get_and_tenant_isolation(void **state) {
    fx_t *f = *state;
    lc_user_t u;
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, f->admin1, &u), LC_OK);
    assert_int_equal(u.id, f->admin1);
    assert_int_equal(u.tenant_id, f->t1);
    assert_string_equal(u.email, "admin@acme.test");
    assert_string_equal(u.name, "Ada Admin");
    assert_int_equal(u.status, LC_ACTIVE);
    assert_true(u.has_password);
    assert_int_equal(u.last_login_at, 0);
    assert_true(u.created_at > 0 && u.updated_at == u.created_at);

    /* Another tenant's id is a missing one; *out is untouched. */
    lc_user_t keep = {.id = -5};
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, f->admin2, &keep), LC_ENOTFOUND);
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t2, f->admin1, &keep), LC_ENOTFOUND);
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, 999999, &keep), LC_ENOTFOUND);
    assert_int_equal(keep.id, -5);
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, f->admin1, NULL), LC_EINVAL);
}

static void create_with_roles_and_audit(void **state) {
    fx_t *f = *state;
    uint64_t gen = lc_store_generation(f->s);
    int64_t roles[] = {f->r_learn1};
    lc_user_new_t nu = {.email = "Bob@Acme.test",
                        .name = "Bob",
                        .password_hash = NULL,
                        .role_ids = roles,
                        .nroles = 1};
    int64_t id = 0;
    assert_int_equal(lc_store_user_create(f->s, &f->act1, &nu, &id), LC_OK);
    assert_true(id > 0);
    lc_user_t u;
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, id, &u), LC_OK);
    assert_string_equal(u.email, "Bob@Acme.test");
    assert_false(u.has_password);
    char want[512];
    snprintf(want, sizeof want,
             "user.create|%lld||user|%lld|192.0.2.1|{\"email\":\"Bob@Acme.test\",\"name\":\"Bob\","
             "\"password\":false,\"role_ids\":[%lld]}",
             (long long)f->admin1, (long long)id, (long long)f->r_learn1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM user_roles WHERE user_id = %lld", (long long)id), 1);
    /* A new user changes nothing any cache holds. */
    assert_int_equal(lc_store_generation(f->s), gen);

    /* Email taken, ignoring ASCII case: LC_EEXIST, nothing written, *id untouched. */
    int64_t keep = -1;
    nu.email = "bob@ACME.test";
    nu.nroles = 0;
    int64_t audits = fx_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(lc_store_user_create(f->s, &f->act1, &nu, &keep), LC_EEXIST);
    assert_int_equal(keep, -1);
    /* The same email in the other tenant is fine. */
    assert_int_equal(lc_store_user_create(f->s, &f->act2, &nu, NULL), LC_OK);
    audits++;

    /* An unknown role, or another tenant's: LC_ENOTFOUND and no user left behind. */
    int64_t users = fx_int(f, "SELECT count(*) FROM users");
    int64_t bad[][2] = {{f->r_learn1, 987654}, {f->r_learn1, f->r_admin2}};
    for (size_t i = 0; i < 2; i++) {
        lc_user_new_t x = {
            .email = "carol@acme.test", .name = "Carol", .role_ids = bad[i], .nroles = 2};
        assert_int_equal(lc_store_user_create(f->s, &f->act1, &x, &keep), LC_ENOTFOUND);
    }
    assert_int_equal(fx_int(f, "SELECT count(*) FROM users"), users);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits);
    /* The same role twice is one assignment. */
    int64_t twice[] = {f->r_learn1, f->r_learn1};
    lc_user_new_t x = {.email = "dan@acme.test", .name = "Dan", .role_ids = twice, .nroles = 2};
    assert_int_equal(lc_store_user_create(f->s, &f->act1, &x, &id), LC_OK);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM user_roles WHERE user_id = %lld", (long long)id), 1);
    /* The schema's last line: a bad email is LC_EINVAL. */
    x = (lc_user_new_t){.email = "no-at-sign", .name = "Eve"};
    assert_int_equal(lc_store_user_create(f->s, &f->act1, &x, NULL), LC_EINVAL);
    assert_int_equal(lc_store_user_create(f->s, &f->act1, NULL, NULL), LC_EINVAL);
    fx_no_secrets_in_audit(f);
}

static void update(void **state) {
    fx_t *f = *state;
    uint64_t gen = lc_store_generation(f->s);
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", 0);
    fx_user(f, &f->act1, "carol@acme.test", "Carol", 0);
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, "Robert", NULL, NULL), LC_OK);
    lc_user_t u;
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, bob, &u), LC_OK);
    assert_string_equal(u.name, "Robert");
    assert_string_equal(u.email, "bob@acme.test");
    char want[256];
    snprintf(want, sizeof want, "user.update|%lld||user|%lld|192.0.2.1|{\"name\":\"Robert\"}",
             (long long)f->admin1, (long long)bob);
    assert_string_equal(fx_last_audit(f, f->t1), want);

    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, NULL, "rob@acme.test", NULL), LC_OK);
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, NULL, "CAROL@acme.test", NULL),
                     LC_EEXIST);
    /* Nothing to change: LC_OK, no audit row; a missing user is still LC_ENOTFOUND. */
    int64_t audits = fx_audits(f, f->t1, "user.update");
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, NULL, NULL, NULL), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "user.update"), audits);
    assert_int_equal(lc_store_user_update(f->s, &f->act1, 999999, NULL, NULL, NULL), LC_ENOTFOUND);
    /* Another tenant's user. */
    assert_int_equal(lc_store_user_update(f->s, &f->act2, bob, "Mallory", NULL, NULL),
                     LC_ENOTFOUND);
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, bob, &u), LC_OK);
    assert_string_equal(u.name, "Robert");
    assert_string_equal(u.email, "rob@acme.test");
    assert_int_equal(fx_audits(f, f->t2, "user.update"), 0);
    assert_int_equal(lc_store_generation(f->s), gen);
}

/* Name and password in one call: one transaction, both audited; an error changes neither. */
static void update_with_password(void **state) {
    fx_t *f = *state;
    static const char *const HASH1 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdDE$aGFzaDE";
    static const char *const HASH2 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdDI$aGFzaDI";
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", 0);
    fx_user(f, &f->act1, "carol@acme.test", "Carol", 0);
    assert_int_equal(lc_store_user_set_password(f->s, &f->act1, bob, HASH1), LC_OK);
    session(f, f->t1, bob, H1);

    /* A taken email: the name, the password and the session stay as they were. */
    uint64_t gen = lc_store_generation(f->s);
    int64_t audits = fx_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, "Robert", "carol@acme.test", HASH2),
                     LC_EEXIST);
    assert_string_equal(fx_text(f, "SELECT name FROM users WHERE id = %lld", (long long)bob),
                        "Bob");
    assert_string_equal(
        fx_text(f, "SELECT password_hash FROM users WHERE id = %lld", (long long)bob), HASH1);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM console_sessions WHERE user_id = %lld", (long long)bob), 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits);
    assert_int_equal(lc_store_generation(f->s), gen);

    /* The password's part failing after the name was written (ending the sessions fails):
     * the name stays too. */
    rdb_fail_op(f->db, "DELETE", "console_sessions", true);
    assert_int_not_equal(lc_store_user_update(f->s, &f->act1, bob, "Robert", NULL, HASH2), LC_OK);
    rdb_fail_op(f->db, "DELETE", "console_sessions", false);
    assert_string_equal(fx_text(f, "SELECT name FROM users WHERE id = %lld", (long long)bob),
                        "Bob");
    assert_string_equal(
        fx_text(f, "SELECT password_hash FROM users WHERE id = %lld", (long long)bob), HASH1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits);
    assert_int_equal(lc_store_generation(f->s), gen);

    /* Both at once. */
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, "Robert", NULL, HASH2), LC_OK);
    assert_string_equal(fx_text(f, "SELECT name FROM users WHERE id = %lld", (long long)bob),
                        "Robert");
    assert_string_equal(
        fx_text(f, "SELECT password_hash FROM users WHERE id = %lld", (long long)bob), HASH2);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM console_sessions WHERE user_id = %lld", (long long)bob), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits + 2);
    assert_true(lc_store_generation(f->s) > gen);
    /* A password alone; an unknown user changes nothing. */
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, NULL, NULL, HASH1), LC_OK);
    assert_string_equal(
        fx_text(f, "SELECT password_hash FROM users WHERE id = %lld", (long long)bob), HASH1);
    assert_int_equal(lc_store_user_update(f->s, &f->act1, 999999, NULL, NULL, HASH2), LC_ENOTFOUND);
    assert_int_equal(lc_store_user_update(f->s, &f->act2, bob, NULL, NULL, HASH2), LC_ENOTFOUND);
    assert_string_equal(
        fx_text(f, "SELECT password_hash FROM users WHERE id = %lld", (long long)bob), HASH1);
    fx_no_secrets_in_audit(f);
}

static void password_ends_sessions(void **state) {
    fx_t *f = *state;
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", 0);
    session(f, f->t1, bob, H1);
    session(f, f->t1, f->admin1, H2);
    /* Locked out: a new password lifts it. */
    int64_t until = 0;
    for (int i = 0; i < 2; i++)
        assert_int_equal(lc_store_login_failed(f->s, f->t1, bob, 1000, 2, 60, NULL, &until), LC_OK);
    assert_int_equal(until, 1060);

    uint64_t gen = lc_store_generation(f->s);
    static const char *const NEW_HASH = "$argon2id$v=19$m=65536,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA";
    assert_int_equal(lc_store_user_set_password(f->s, &f->act1, bob, NEW_HASH), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    assert_string_equal(
        fx_text(f, "SELECT password_hash FROM users WHERE id = %lld", (long long)bob), NEW_HASH);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM console_sessions WHERE user_id = %lld", (long long)bob), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM console_sessions"), 1); /* the admin's */
    assert_int_equal(fx_int(f,
                            "SELECT coalesce(locked_until, 0) + failed_logins FROM users"
                            " WHERE id = %lld",
                            (long long)bob),
                     0);
    char want[256];
    snprintf(want, sizeof want, "user.password|%lld||user|%lld|192.0.2.1|{\"password\":true}",
             (long long)f->admin1, (long long)bob);
    assert_string_equal(fx_last_audit(f, f->t1), want);

    /* NULL removes Console login. */
    assert_int_equal(lc_store_user_set_password(f->s, &f->act1, bob, NULL), LC_OK);
    lc_user_t u;
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, bob, &u), LC_OK);
    assert_false(u.has_password);
    assert_non_null(strstr(fx_last_audit(f, f->t1), "{\"password\":false}"));

    /* Not an argon2 string: the schema refuses (LC_EINVAL). Another tenant: LC_ENOTFOUND. */
    assert_int_equal(lc_store_user_set_password(f->s, &f->act1, bob, "hunter2"), LC_EINVAL);
    gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_user_set_password(f->s, &f->act2, bob, NEW_HASH), LC_ENOTFOUND);
    assert_int_equal(lc_store_generation(f->s), gen); /* failed writes do not advance it */
    fx_no_secrets_in_audit(f);
}

static void status_and_last_admin(void **state) {
    fx_t *f = *state;
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", 0);
    session(f, f->t1, bob, H1);
    uint64_t gen = lc_store_generation(f->s);

    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, bob, LC_DEACTIVATED), LC_OK);
    uint64_t gen2 = lc_store_generation(f->s);
    assert_true(gen2 > gen);
    lc_user_t u;
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, bob, &u), LC_OK);
    assert_int_equal(u.status, LC_DEACTIVATED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM console_sessions"), 0);
    char want[256];
    snprintf(want, sizeof want, "user.deactivate|%lld||user|%lld|192.0.2.1|", (long long)f->admin1,
             (long long)bob);
    assert_string_equal(fx_last_audit(f, f->t1), want);

    /* The same status again: a no-op, no audit, no generation. */
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, bob, LC_DEACTIVATED), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "user.deactivate"), 1);
    assert_int_equal(lc_store_generation(f->s), gen2);

    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, bob, LC_ACTIVE), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "user.reactivate"), 1);
    assert_true(lc_store_generation(f->s) > gen2);

    /* The last active Console Admin cannot be deactivated... */
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, f->admin1, LC_DEACTIVATED),
                     LC_ECONFLICT);
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t1, f->admin1, &u), LC_OK);
    assert_int_equal(u.status, LC_ACTIVE);
    assert_int_equal(fx_audits(f, f->t1, "user.deactivate"), 1);
    /* ...until there is another (a deactivated one does not count). */
    int64_t carol = fx_user(f, &f->act1, "carol@acme.test", "Carol", f->r_admin1);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, carol, LC_DEACTIVATED), LC_OK);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, f->admin1, LC_DEACTIVATED),
                     LC_ECONFLICT);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, carol, LC_ACTIVE), LC_OK);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, f->admin1, LC_DEACTIVATED), LC_OK);
    /* Now carol is the last one. */
    lc_actor_t by_carol = {.tenant_id = f->t1, .user_id = carol};
    assert_int_equal(lc_store_user_set_status(f->s, &by_carol, carol, LC_DEACTIVATED),
                     LC_ECONFLICT);

    /* Tenant isolation, and values out of the domain. */
    assert_int_equal(lc_store_user_set_status(f->s, &f->act2, bob, LC_DEACTIVATED), LC_ENOTFOUND);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, bob, (lc_active_t)7), LC_EINVAL);
    /* The other tenant's admin is untouched by all of this. */
    assert_int_equal(lc_store_user_get(f->s, &f->a, f->t2, f->admin2, &u), LC_OK);
    assert_int_equal(u.status, LC_ACTIVE);
}

static void assign_unassign(void **state) {
    fx_t *f = *state;
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", 0);
    lc_role_t *roles = NULL;
    uint32_t n = 99;
    assert_int_equal(lc_store_user_roles(f->s, &f->a, f->t1, bob, &roles, &n), LC_OK);
    assert_int_equal(n, 0);

    uint64_t gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_learn1), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    char want[256];
    snprintf(want, sizeof want,
             "role.assign|%lld||user|%lld|192.0.2.1|{\"role_id\":%lld,\"role\":\"Learner\"}",
             (long long)f->admin1, (long long)bob, (long long)f->r_learn1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    /* Already held: LC_OK, nothing written, generation kept. */
    gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_learn1), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "role.assign"), 1);
    assert_int_equal(lc_store_generation(f->s), gen);

    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_admin1), LC_OK);
    assert_int_equal(lc_store_user_roles(f->s, &f->a, f->t1, bob, &roles, &n), LC_OK);
    assert_int_equal(n, 2);
    /* By name. */
    assert_string_equal(roles[0].name, "Console Admin");
    assert_int_equal(roles[0].builtin, LC_ROLE_CONSOLE_ADMIN);
    assert_int_equal(roles[0].permissions, LC_PERMSET_ALL);
    assert_string_equal(roles[1].name, "Learner");
    assert_int_equal(roles[1].permissions, LC_PERMSET_NONE);

    /* Cross-tenant users and roles are missing ones. */
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_learn2), LC_ENOTFOUND);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, f->admin2, f->r_learn1), LC_ENOTFOUND);
    assert_int_equal(lc_store_role_assign(f->s, &f->act2, bob, f->r_learn2), LC_ENOTFOUND);
    assert_int_equal(lc_store_role_unassign(f->s, &f->act2, bob, f->r_learn1), LC_ENOTFOUND);
    assert_int_equal(lc_store_user_roles(f->s, &f->a, f->t2, bob, &roles, &n), LC_ENOTFOUND);

    gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, f->r_learn1), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    snprintf(want, sizeof want,
             "role.unassign|%lld||user|%lld|192.0.2.1|{\"role_id\":%lld,\"role\":\"Learner\"}",
             (long long)f->admin1, (long long)bob, (long long)f->r_learn1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    /* Not held: LC_ENOTFOUND. */
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, f->r_learn1), LC_ENOTFOUND);

    /* Two admins: each may lose the role, but not both. */
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, f->admin1, f->r_admin1), LC_OK);
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, f->r_admin1), LC_ECONFLICT);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM user_roles WHERE user_id = %lld", (long long)bob), 1);
    /* A deactivated holder does not count as an admin. */
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, f->admin1, f->r_admin1), LC_OK);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, f->admin1, LC_DEACTIVATED), LC_OK);
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, f->r_admin1), LC_ECONFLICT);
    /* ...and removing the role of the deactivated one is fine. */
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, f->admin1, f->r_admin1), LC_OK);
}

static void permissions_live(void **state) {
    fx_t *f = *state;
    lc_permset_t p = 0;
    lc_active_t st = LC_DEACTIVATED;
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, f->admin1, &p, &st), LC_OK);
    assert_int_equal(p, LC_PERMSET_ALL);
    assert_int_equal(st, LC_ACTIVE);

    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", f->r_learn1);
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(p, LC_PERMSET_NONE);
    lc_permset_t tok = lc_permset_of(LC_PERM_READ_DEVELOPER_TOKENS) |
                       lc_permset_of(LC_PERM_CREATE_DEVELOPER_TOKENS);
    lc_permset_t users = lc_permset_of(LC_PERM_READ_USERS);
    int64_t r1 = 0, r2 = 0;
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "Tokens", "", tok, &r1), LC_OK);
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "Readers", NULL, users | tok, &r2),
                     LC_OK);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, r1), LC_OK);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, r2), LC_OK);
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(p, tok | users);
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, r2), LC_OK);
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(p, tok);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, bob, LC_DEACTIVATED), LC_OK);
    assert_int_equal(lc_store_user_permissions(f->s, f->t1, bob, &p, &st), LC_OK);
    assert_int_equal(st, LC_DEACTIVATED);
    /* Another tenant's user; *out untouched. */
    p = 77;
    assert_int_equal(lc_store_user_permissions(f->s, f->t2, bob, &p, &st), LC_ENOTFOUND);
    assert_int_equal(p, 77);
}

static void list_filters_and_pages(void **state) {
    fx_t *f = *state;
    /* acme: the admin and 11 more; globex: its admin and one "Zed". */
    char email[64], name[64];
    int64_t ids[12] = {f->admin1};
    for (int i = 1; i < 12; i++) {
        snprintf(email, sizeof email, "user%02d@acme.test", i);
        snprintf(name, sizeof name, i % 2 ? "Odd %02d" : "Even %02d", i);
        ids[i] = fx_user(f, &f->act1, email, name, i % 3 == 0 ? f->r_learn1 : 0);
    }
    fx_user(f, &f->act2, "zed@globex.test", "Zed", 0);
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, ids[5], LC_DEACTIVATED), LC_OK);
    uint64_t gen = lc_store_generation(f->s);

    lc_user_t *u = NULL;
    uint32_t n = 0;
    lc_page_info_t info;
    lc_page_t page = {.after = 0, .first = 5};
    /* Pages of 5 by id: 5 + 5 + 2, has_next on the first two, total always 12. */
    int64_t seen = 0;
    for (int pg = 0; pg < 3; pg++) {
        assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, NULL, &page, &u, &n, &info),
                         LC_OK);
        assert_int_equal(info.total, 12);
        assert_int_equal(n, pg < 2 ? 5 : 2);
        assert_int_equal(info.has_next, pg < 2);
        for (uint32_t i = 0; i < n; i++) {
            assert_int_equal(u[i].id, ids[seen++]);
            assert_int_equal(u[i].tenant_id, f->t1);
        }
        page.after = u[n - 1].id;
    }
    assert_int_equal(seen, 12);
    /* Past the end: empty, total still counted. */
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, NULL, &page, &u, &n, &info), LC_OK);
    assert_int_equal(n, 0);
    assert_false(info.has_next);
    assert_int_equal(info.total, 12);
    /* first = 0: nothing, but has_next and total say what there is. */
    page = (lc_page_t){0, 0};
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, NULL, &page, &u, &n, &info), LC_OK);
    assert_int_equal(n, 0);
    assert_true(info.has_next);
    assert_int_equal(info.total, 12);

    page = (lc_page_t){0, 100};
    struct {
        lc_user_filter_t f;
        int64_t total;
    } cases[] = {
        {{.query = "ODD", .status = -1}, 6},
        {{.query = "odd 0", .status = -1}, 5},
        {{.query = "user1", .status = -1}, 2},      /* email contains */
        {{.query = "ACME.TEST", .status = -1}, 12}, /* case-insensitive */
        {{.query = "globex", .status = -1}, 0},     /* other tenant */
        {{.query = "%", .status = -1}, 0},          /* wildcards are literal */
        {{.query = "_", .status = -1}, 0},
        {{.name_contains = "even", .status = -1}, 5},
        {{.email_contains = "USER0", .status = -1}, 9},
        {{.name_contains = "even", .email_contains = "user1", .status = -1}, 1},
        {{.role_id = 0, .status = LC_DEACTIVATED}, 1},
        {{.status = LC_ACTIVE}, 11},
        {{.status = -1}, 12},
        {{.role_id = -1, .status = -1}, 0},
        {{.query = "Odd", .status = LC_ACTIVE}, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &cases[i].f, &page, &u, &n, &info),
                         LC_OK);
        if (info.total != cases[i].total || n != (uint32_t)cases[i].total)
            fail_msg("case %zu: total %lld, n %u", i, (long long)info.total, n);
    }
    /* By role (learners are users 3, 6, 9), by id, and the query as an id. */
    lc_user_filter_t byrole = {.role_id = f->r_learn1, .status = -1};
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &byrole, &page, &u, &n, &info), LC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(u[0].id, ids[3]);
    assert_int_equal(u[2].id, ids[9]);
    byrole.role_id = f->r_learn2;
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &byrole, &page, &u, &n, &info), LC_OK);
    assert_int_equal(n, 0);
    lc_user_filter_t byid = {.id = ids[4], .status = -1};
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &byid, &page, &u, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(u[0].id, ids[4]);
    char q[32];
    snprintf(q, sizeof q, "%lld", (long long)ids[7]);
    lc_user_filter_t byq = {.query = q, .status = -1};
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &byq, &page, &u, &n, &info), LC_OK);
    assert_true(n >= 1);
    bool found = false;
    for (uint32_t i = 0; i < n; i++)
        found |= u[i].id == ids[7];
    assert_true(found);
    /* Another tenant's id through the query: nothing. */
    snprintf(q, sizeof q, "%lld", (long long)f->admin2);
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &byq, &page, &u, &n, &info), LC_OK);
    for (uint32_t i = 0; i < n; i++)
        assert_int_not_equal(u[i].id, f->admin2);
    lc_user_filter_t bad = {.status = 3};
    assert_int_equal(lc_store_users_list(f->s, &f->a, f->t1, &bad, &page, &u, &n, &info),
                     LC_EINVAL);
    /* Reads never advance the generation. */
    assert_int_equal(lc_store_generation(f->s), gen);
}

/* Two admins deactivating each other at the same time: the write transaction makes one of
 * them see the other's commit, so exactly one succeeds. */
static void last_admin_race(void **state) {
    fx_t *f = *state;
    for (int round = 0; round < 5; round++) {
        char email[64];
        snprintf(email, sizeof email, "second%d@acme.test", round);
        int64_t other = fx_user(f, &f->act1, email, "Second", f->r_admin1);
        int64_t first = f->admin1;
        if (round > 0) {
            /* The survivor of the last round is the first admin of this one. */
            first = fx_int(f,
                           "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id"
                           " WHERE u.tenant_id = %lld AND u.status = 'active'"
                           " AND ur.role_id = %lld AND u.id <> %lld",
                           (long long)f->t1, (long long)f->r_admin1, (long long)other);
        }
        pthread_barrier_t b;
        pthread_barrier_init(&b, NULL, 2);
        tdb_deactivator_t r[2] = {{f->s, {.tenant_id = f->t1, .user_id = first}, other, &b, 0},
                                  {f->s, {.tenant_id = f->t1, .user_id = other}, first, &b, 0}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, tdb_deactivator_main, &r[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        pthread_barrier_destroy(&b);
        assert_true((r[0].rc == LC_OK && r[1].rc == LC_ECONFLICT) ||
                    (r[0].rc == LC_ECONFLICT && r[1].rc == LC_OK));
        assert_int_equal(fx_int(f,
                                "SELECT count(*) FROM users u JOIN user_roles ur"
                                " ON ur.user_id = u.id WHERE u.status = 'active'"
                                " AND ur.role_id = %lld",
                                (long long)f->r_admin1),
                         1);
    }
}

static int64_t oom_id;

static int oom_create(fx_t *f) {
    int64_t roles[] = {f->r_learn1, f->r_admin1};
    lc_user_new_t u = {.email = "oom@acme.test",
                       .name = "Oom",
                       .password_hash = TEST_HASH,
                       .role_ids = roles,
                       .nroles = 2};
    return lc_store_user_create(f->s, &f->act1, &u, &oom_id);
}

static int oom_deactivate(fx_t *f) {
    return lc_store_user_set_status(f->s, &f->act1, oom_id, LC_DEACTIVATED);
}

/* lc_store_users_roles gives each user what lc_store_user_roles gives, for lists longer than
 * one statement's ids (padding and chunks), with repeats, ids of another tenant and unknown
 * ones; no query at all for an empty list. */
static void users_roles_batch(void **state) {
    fx_t *f = *state;
    lc_permset_t graders_perms =
        lc_permset_of(LC_PERM_READ_USERS) | lc_permset_of(LC_PERM_READ_ROLES);
    int64_t graders = 0, alpha = 0;
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "graders", NULL, graders_perms, &graders),
                     LC_OK);
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "Alpha", NULL,
                                          lc_permset_of(LC_PERM_READ_COURSES), &alpha),
                     LC_OK);
    enum { NU = 45 };
    int64_t ids[NU + 4];
    for (int i = 0; i < NU; i++) {
        char email[64];
        snprintf(email, sizeof email, "u%d@acme.test", i);
        ids[i] = fx_user(f, &f->act1, email, "U", 0);
        if (i % 2 == 0)
            assert_int_equal(lc_store_role_assign(f->s, &f->act1, ids[i], f->r_learn1), LC_OK);
        if (i % 3 == 0)
            assert_int_equal(lc_store_role_assign(f->s, &f->act1, ids[i], graders), LC_OK);
        if (i % 5 == 0)
            assert_int_equal(lc_store_role_assign(f->s, &f->act1, ids[i], alpha), LC_OK);
    }
    ids[NU] = f->admin1;     /* Console Admin: every permission, from the catalog */
    ids[NU + 1] = ids[3];    /* a repeat, in another chunk */
    ids[NU + 2] = f->admin2; /* of the other tenant */
    ids[NU + 3] = 999999;    /* nobody */
    lc_user_roles_t *got = NULL;
    assert_int_equal(lc_store_users_roles(f->s, &f->a, f->t1, ids, NU + 4, &got), LC_OK);
    for (int i = 0; i < NU + 2; i++) {
        lc_role_t *want = NULL;
        uint32_t n = 0;
        assert_int_equal(lc_store_user_roles(f->s, &f->a, f->t1, ids[i], &want, &n), LC_OK);
        assert_int_equal(got[i].n, n);
        for (uint32_t k = 0; k < n; k++) {
            assert_int_equal(got[i].roles[k].id, want[k].id);
            assert_string_equal(got[i].roles[k].name, want[k].name);
            assert_int_equal(got[i].roles[k].builtin, want[k].builtin);
            assert_int_equal(got[i].roles[k].permissions, want[k].permissions);
            assert_int_equal(got[i].roles[k].user_count, want[k].user_count);
        }
    }
    /* By name, case-insensitively: Alpha, graders, Learner. */
    assert_int_equal(got[0].n, 3);
    assert_string_equal(got[0].roles[0].name, "Alpha");
    assert_int_equal(got[0].roles[0].permissions, lc_permset_of(LC_PERM_READ_COURSES));
    assert_string_equal(got[0].roles[1].name, "graders");
    assert_int_equal(got[0].roles[1].permissions, graders_perms);
    assert_string_equal(got[0].roles[2].name, "Learner");
    assert_int_equal(got[0].roles[2].permissions, LC_PERMSET_NONE);
    assert_int_equal(got[1].n, 0);
    assert_int_equal(got[NU].n, 1);
    assert_int_equal(got[NU].roles[0].builtin, LC_ROLE_CONSOLE_ADMIN);
    assert_int_equal(got[NU].roles[0].permissions, LC_PERMSET_ALL);
    assert_int_equal(got[NU + 1].n, got[3].n);
    /* Another tenant's user and an unknown one: nothing. */
    assert_int_equal(got[NU + 2].n, 0);
    assert_null(got[NU + 2].roles);
    assert_int_equal(got[NU + 3].n, 0);
    /* Seen from the other tenant, acme's users hold nothing. */
    assert_int_equal(lc_store_users_roles(f->s, &f->a, f->t2, ids, NU, &got), LC_OK);
    for (int i = 0; i < NU; i++)
        assert_int_equal(got[i].n, 0);
    /* One id (padded to the statement's arity). */
    assert_int_equal(lc_store_users_roles(f->s, &f->a, f->t2, &f->admin2, 1, &got), LC_OK);
    assert_int_equal(got[0].n, 1);
    assert_int_equal(got[0].roles[0].id, f->r_admin2);
    /* Empty input. */
    got = NULL;
    assert_int_equal(lc_store_users_roles(f->s, &f->a, f->t1, NULL, 0, &got), LC_OK);
    assert_non_null(got);
    assert_int_equal(lc_store_users_roles(f->s, &f->a, f->t1, NULL, 1, &got), LC_EINVAL);
    assert_int_equal(lc_store_users_roles(f->s, &f->a, f->t1, ids, 1, NULL), LC_EINVAL);
}

static void out_of_memory(void **state) {
    fx_t *f = *state;
    long n = fx_oom(f, oom_create, "SELECT count(*) FROM users");
    print_message("lc_store_user_create: %ld allocation failures checked\n", n);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM user_roles WHERE user_id = %lld", (long long)oom_id), 2);
    session(f, f->t1, oom_id, H1);
    /* The status and the session go together or not at all. */
    n = fx_oom(f, oom_deactivate,
               "SELECT (SELECT count(*) FROM users WHERE status = 'active') * 1000"
               " + (SELECT count(*) FROM console_sessions)");
    print_message("lc_store_user_set_status: %ld allocation failures checked\n", n);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM console_sessions"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        FX_TEST(get_and_tenant_isolation),
        FX_TEST(create_with_roles_and_audit),
        FX_TEST(update),
        FX_TEST(update_with_password),
        FX_TEST(password_ends_sessions),
        FX_TEST(status_and_last_admin),
        FX_TEST(assign_unassign),
        FX_TEST(users_roles_batch),
        FX_TEST(permissions_live),
        FX_TEST(list_filters_and_pages),
        FX_TEST(last_admin_race),
        FX_TEST(out_of_memory),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
