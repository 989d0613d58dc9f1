/* SPDX-License-Identifier: MIT */
/* Tests of src/store/migrations/0001_init.sql: the constraints that keep the data model sound
 * whatever the code above does (uniqueness, tenant isolation, foreign keys, value ranges,
 * immutability triggers), exercised with raw SQL on a migrated database. */
#include "store_test.h"

typedef struct fixture {
    tdb_t t;
    lc_store_t *s;
    sqlite3 *db;
    int64_t a, b;               /* tenants acme, globex */
    int64_t ua, ub;             /* their admins */
    int64_t ra_admin, rb_admin; /* their Console Admin roles */
} fixture_t;

static fixture_t fixture;

static int setup(void **state) {
    fixture_t *f = &fixture;
    memset(f, 0, sizeof *f);
    tdb_init(&f->t);
    f->s = tdb_store(&f->t);
    /* The same admin email in two tenants is fine. */
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@example.test");
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &f->a, &f->ua), LC_OK);
    b = test_bootstrap("globex", "admin@example.test");
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &f->b, &f->ub), LC_OK);
    f->db = raw_open(&f->t);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT id FROM roles WHERE tenant_id = %lld AND builtin = 'console_admin'",
             (long long)f->a);
    f->ra_admin = raw_int(f->db, sql);
    snprintf(sql, sizeof sql,
             "SELECT id FROM roles WHERE tenant_id = %lld AND builtin = 'console_admin'",
             (long long)f->b);
    f->rb_admin = raw_int(f->db, sql);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    sqlite3_close(f->db);
    lc_store_close(f->s);
    tdb_dispose(&f->t);
    return 0;
}

/* Runs a formatted statement, returns SQLite's extended result code. */
static int run(fixture_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(fixture_t *f, const char *fmt, ...) {
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof sql);
    return raw_exec(f->db, sql);
}

#define USER_SQL                                                                                   \
    "INSERT INTO users (tenant_id, email, name, created_at, updated_at) VALUES (%lld, '%s', "      \
    "'U', 1, 1)"
#define TOKEN_SQL                                                                                  \
    "INSERT INTO developer_tokens (tenant_id, creator_user_id, name, token_hash, hint, "           \
    "permissions, created_at, updated_at) VALUES (%lld, %lld, 'ci', %s, 'lct_...abcd', %s, 1, 1)"

static void email_unique_per_tenant_nocase(void **state) {
    fixture_t *f = *state;
    assert_int_equal(run(f, USER_SQL, (long long)f->a, "Admin@Example.TEST"),
                     SQLITE_CONSTRAINT_UNIQUE);
    assert_int_equal(run(f, USER_SQL, (long long)f->a, "learner@example.test"), SQLITE_OK);
    assert_int_equal(run(f, USER_SQL, (long long)f->b, "LEARNER@example.test"), SQLITE_OK);
    /* Login looks users up by email in the tenant's index, whatever the case typed. */
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM users WHERE tenant_id = %lld AND email = 'ADMIN@example.test'",
             (long long)f->a);
    assert_int_equal(raw_int(f->db, sql), 1);
    /* Shapes the schema refuses on its own. */
    assert_int_equal(run(f, USER_SQL, (long long)f->a, "no-at-sign"), SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f,
                         "INSERT INTO users (tenant_id, email, name, status, created_at,"
                         " updated_at) VALUES (%lld, 'x@y.z', 'X', 'banned', 1, 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f,
                         "INSERT INTO users (tenant_id, email, name, password_hash, created_at,"
                         " updated_at) VALUES (%lld, 'x@y.z', 'X', 'hunter2', 1, 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f,
                         "INSERT INTO users (tenant_id, email, name, created_at, updated_at)"
                         " VALUES (%lld, 'x@y.z', 'X', 'yesterday', 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_DATATYPE);
}

static void foreign_keys_enforced(void **state) {
    fixture_t *f = *state;
    assert_int_equal(run(f, USER_SQL, 999LL, "ghost@example.test"), SQLITE_CONSTRAINT_FOREIGNKEY);
    assert_int_equal(run(f, "INSERT INTO user_roles VALUES (%lld, 999, %lld, 1)", (long long)f->a,
                         (long long)f->ra_admin),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    /* A referenced user cannot disappear. */
    assert_int_equal(run(f, "DELETE FROM users WHERE id = %lld", (long long)f->ua),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
}

static void cross_tenant_links_impossible(void **state) {
    fixture_t *f = *state;
    /* A user of acme with globex's Console Admin role, whichever tenant the row claims. */
    assert_int_equal(run(f, "INSERT INTO user_roles VALUES (%lld, %lld, %lld, 1)", (long long)f->a,
                         (long long)f->ua, (long long)f->rb_admin),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    assert_int_equal(run(f, "INSERT INTO user_roles VALUES (%lld, %lld, %lld, 1)", (long long)f->b,
                         (long long)f->ua, (long long)f->rb_admin),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    /* A token of globex created by acme's admin. */
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->b, (long long)f->ua, "randomblob(32)", "NULL"),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    /* An enrollment of acme's user in globex's course. */
    assert_int_equal(run(f,
                         "INSERT INTO courses (tenant_id, title, code, created_at, updated_at)"
                         " VALUES (%lld, 'Safety', 'SAF-1', 1, 1)",
                         (long long)f->b),
                     SQLITE_OK);
    int64_t course = sqlite3_last_insert_rowid(f->db);
    assert_int_equal(run(f,
                         "INSERT INTO enrollments (tenant_id, course_id, user_id, created_at,"
                         " updated_at) VALUES (%lld, %lld, %lld, 1, 1)",
                         (long long)f->b, (long long)course, (long long)f->ua),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    /* An audit event of globex whose actor is acme's admin. */
    assert_int_equal(run(f,
                         "INSERT INTO audit_events (tenant_id, actor_user_id, action, created_at)"
                         " VALUES (%lld, %lld, 'user.update', 1)",
                         (long long)f->b, (long long)f->ua),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    /* A session of globex for acme's admin. */
    assert_int_equal(run(f,
                         "INSERT INTO console_sessions (tenant_id, user_id, session_hash,"
                         " csrf_hash, created_at, last_seen_at, expires_at) VALUES"
                         " (%lld, %lld, randomblob(32), randomblob(32), 1, 1, 2)",
                         (long long)f->b, (long long)f->ua),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    /* The same links within one tenant are fine. */
    assert_int_equal(run(f,
                         "INSERT INTO enrollments (tenant_id, course_id, user_id, created_at,"
                         " updated_at) VALUES (%lld, %lld, %lld, 1, 1)",
                         (long long)f->b, (long long)course, (long long)f->ub),
                     SQLITE_OK);
}

static void token_constraints(void **state) {
    fixture_t *f = *state;
    const char *hash = "x'00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'";
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->a, (long long)f->ua, hash, "NULL"), SQLITE_OK);
    int64_t tok = sqlite3_last_insert_rowid(f->db);
    /* The hash is unique across all tenants. */
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->b, (long long)f->ub, hash, "NULL"),
                     SQLITE_CONSTRAINT_UNIQUE);
    /* 32 bytes exactly, and a blob. */
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->a, (long long)f->ua, "randomblob(31)", "NULL"),
                     SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->a, (long long)f->ua,
                         "'0123456789abcdef0123456789abcdef'", "NULL"),
                     SQLITE_CONSTRAINT_DATATYPE);
    /* The permission subset is a JSON array. */
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->a, (long long)f->ua, "randomblob(32)",
                         "'[\"read:users\",\"read:courses\"]'"),
                     SQLITE_OK);
    assert_int_equal(run(f, TOKEN_SQL, (long long)f->a, (long long)f->ua, "randomblob(32)",
                         "'{\"read:users\":true}'"),
                     SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(
        run(f, TOKEN_SQL, (long long)f->a, (long long)f->ua, "randomblob(32)", "'[read:users'"),
        SQLITE_CONSTRAINT_CHECK);
    /* Rename, deactivate, record use: fine. */
    assert_int_equal(run(f,
                         "UPDATE developer_tokens SET name = 'renamed', status = 'deactivated',"
                         " last_used_at = 5, last_used_ip = '192.0.2.1' WHERE id = %lld",
                         (long long)tok),
                     SQLITE_OK);
    assert_int_equal(
        run(f, "UPDATE developer_tokens SET status = 'revoked' WHERE id = %lld", (long long)tok),
        SQLITE_CONSTRAINT_CHECK);
    /* The creator can never change, not even to a colleague of the same tenant; nor the tenant
     * or the hash. */
    assert_int_equal(run(f, USER_SQL, (long long)f->a, "colleague@example.test"), SQLITE_OK);
    int64_t colleague = sqlite3_last_insert_rowid(f->db);
    assert_int_equal(run(f, "UPDATE developer_tokens SET creator_user_id = %lld WHERE id = %lld",
                         (long long)colleague, (long long)tok),
                     SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(run(f,
                         "UPDATE developer_tokens SET token_hash = randomblob(32) WHERE id = %lld",
                         (long long)tok),
                     SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(run(f, "UPDATE developer_tokens SET tenant_id = %lld WHERE id = %lld",
                         (long long)f->b, (long long)tok),
                     SQLITE_CONSTRAINT_TRIGGER);
    /* Setting the same value is not a change. */
    assert_int_equal(run(f, "UPDATE developer_tokens SET creator_user_id = %lld WHERE id = %lld",
                         (long long)f->ua, (long long)tok),
                     SQLITE_OK);
    /* Expiry after creation. */
    assert_int_equal(run(f,
                         "INSERT INTO developer_tokens (tenant_id, creator_user_id, name,"
                         " token_hash, hint, expires_at, created_at, updated_at) VALUES"
                         " (%lld, %lld, 'old', randomblob(32), 'h', 5, 10, 10)",
                         (long long)f->a, (long long)f->ua),
                     SQLITE_CONSTRAINT_CHECK);
}

static void enrollment_constraints(void **state) {
    fixture_t *f = *state;
    assert_int_equal(run(f,
                         "INSERT INTO courses (tenant_id, title, code, created_at, updated_at)"
                         " VALUES (%lld, 'Onboarding', 'ONB-1', 1, 1)",
                         (long long)f->a),
                     SQLITE_OK);
    int64_t course = sqlite3_last_insert_rowid(f->db);
    /* Course codes are unique per tenant, whatever the case; another tenant may reuse one. */
    assert_int_equal(run(f,
                         "INSERT INTO courses (tenant_id, title, code, created_at, updated_at)"
                         " VALUES (%lld, 'Other', 'onb-1', 1, 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_UNIQUE);
    assert_int_equal(run(f,
                         "INSERT INTO courses (tenant_id, title, code, created_at, updated_at)"
                         " VALUES (%lld, 'Onboarding', 'ONB-1', 1, 1)",
                         (long long)f->b),
                     SQLITE_OK);
    static const struct {
        int progress;
        int want;
    } cases[] = {
        {-1, SQLITE_CONSTRAINT_CHECK},
        {101, SQLITE_CONSTRAINT_CHECK},
        {0, SQLITE_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run(f,
                     "INSERT INTO enrollments (tenant_id, course_id, user_id, progress,"
                     " created_at, updated_at) VALUES (%lld, %lld, %lld, %d, 1, 1)",
                     (long long)f->a, (long long)course, (long long)f->ua, cases[i].progress);
        if (rc != cases[i].want)
            fail_msg("progress %d: %d", cases[i].progress, rc);
    }
    assert_int_equal(run(f, "UPDATE enrollments SET progress = 100, status = 'completed'"),
                     SQLITE_OK);
    assert_int_equal(run(f, "UPDATE enrollments SET progress = 100.5"), SQLITE_CONSTRAINT_DATATYPE);
    assert_int_equal(run(f, "UPDATE enrollments SET status = 'dropped'"), SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f, "UPDATE enrollments SET started_at = 10, ended_at = 9"),
                     SQLITE_CONSTRAINT_CHECK);
    /* One enrollment per user and course. */
    assert_int_equal(run(f,
                         "INSERT INTO enrollments (tenant_id, course_id, user_id, created_at,"
                         " updated_at) VALUES (%lld, %lld, %lld, 1, 1)",
                         (long long)f->a, (long long)course, (long long)f->ua),
                     SQLITE_CONSTRAINT_UNIQUE);
}

static void roles_constraints(void **state) {
    fixture_t *f = *state;
    /* Built-in roles cannot be edited, deleted or given permission rows. */
    assert_int_equal(
        run(f, "UPDATE roles SET name = 'Boss' WHERE id = %lld", (long long)f->ra_admin),
        SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(run(f, "DELETE FROM roles WHERE id = %lld", (long long)f->ra_admin),
                     SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(run(f, "INSERT INTO role_permissions VALUES (%lld, %lld, 'read:users')",
                         (long long)f->a, (long long)f->ra_admin),
                     SQLITE_CONSTRAINT_TRIGGER);
    /* A third built-in role of the same kind is impossible. */
    assert_int_equal(run(f,
                         "INSERT INTO roles (tenant_id, name, builtin, created_at, updated_at)"
                         " VALUES (%lld, 'Admins 2', 'console_admin', 1, 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_UNIQUE);
    /* Custom roles: names unique per tenant regardless of case. */
    assert_int_equal(run(f,
                         "INSERT INTO roles (tenant_id, name, created_at, updated_at)"
                         " VALUES (%lld, 'Token Managers', 1, 1)",
                         (long long)f->a),
                     SQLITE_OK);
    int64_t custom = sqlite3_last_insert_rowid(f->db);
    assert_int_equal(run(f,
                         "INSERT INTO roles (tenant_id, name, created_at, updated_at)"
                         " VALUES (%lld, 'token managers', 1, 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_UNIQUE);
    assert_int_equal(run(f,
                         "INSERT INTO roles (tenant_id, name, created_at, updated_at)"
                         " VALUES (%lld, 'console admin', 1, 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_UNIQUE);
    /* No role becomes built in later. */
    assert_int_equal(
        run(f, "UPDATE roles SET builtin = 'learner' WHERE id = %lld", (long long)custom),
        SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(
        run(f, "INSERT INTO role_permissions VALUES (%lld, %lld, 'read:developer_tokens')",
            (long long)f->a, (long long)custom),
        SQLITE_OK);
    assert_int_equal(
        run(f, "INSERT INTO role_permissions VALUES (%lld, %lld, 'read:developer_tokens')",
            (long long)f->a, (long long)custom),
        SQLITE_CONSTRAINT_PRIMARYKEY);
    assert_int_equal(run(f, "INSERT INTO role_permissions VALUES (%lld, %lld, 'READ:users')",
                         (long long)f->a, (long long)custom),
                     SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f, "INSERT INTO role_permissions VALUES (%lld, %lld, 'read:users')",
                         (long long)f->b, (long long)custom),
                     SQLITE_CONSTRAINT_FOREIGNKEY);
    assert_int_equal(run(f, "INSERT INTO user_roles VALUES (%lld, %lld, %lld, 1)", (long long)f->a,
                         (long long)f->ua, (long long)custom),
                     SQLITE_OK);
    assert_int_equal(run(f, "INSERT INTO user_roles VALUES (%lld, %lld, %lld, 1)", (long long)f->a,
                         (long long)f->ua, (long long)custom),
                     SQLITE_CONSTRAINT_PRIMARYKEY);
    /* Deleting a custom role takes its permissions and assignments with it. */
    assert_int_equal(run(f, "DELETE FROM roles WHERE id = %lld", (long long)custom), SQLITE_OK);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM role_permissions WHERE role_id = %lld) +"
             " (SELECT count(*) FROM user_roles WHERE role_id = %lld)",
             (long long)custom, (long long)custom);
    assert_int_equal(raw_int(f->db, sql), 0);
}

static void tenant_and_audit_constraints(void **state) {
    fixture_t *f = *state;
    static const char *const slugs[] = {"Acme", "a b", "-a", "a-", "", "a_b"};
    for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
        int rc = run(f,
                     "INSERT INTO tenants (slug, name, created_at, updated_at)"
                     " VALUES ('%s', 'X', 1, 1)",
                     slugs[i]);
        if (rc != SQLITE_CONSTRAINT_CHECK)
            fail_msg("slug '%s': %d", slugs[i], rc);
    }
    assert_int_equal(run(f, "INSERT INTO tenants (slug, name, created_at, updated_at)"
                            " VALUES ('acme', 'Again', 1, 1)"),
                     SQLITE_CONSTRAINT_UNIQUE);
    /* Audit events: append-only, JSON object detail, a token implies its user. */
    assert_int_equal(run(f,
                         "INSERT INTO audit_events (tenant_id, actor_user_id, action, target_type,"
                         " target_id, ip, detail, created_at) VALUES (%lld, %lld, 'user.create',"
                         " 'user', 7, '2001:db8::1', '{\"email_changed\":false}', 1)",
                         (long long)f->a, (long long)f->ua),
                     SQLITE_OK);
    assert_int_equal(run(f, "UPDATE audit_events SET action = 'nothing'"),
                     SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(run(f, "DELETE FROM audit_events"), SQLITE_CONSTRAINT_TRIGGER);
    assert_int_equal(run(f,
                         "INSERT INTO audit_events (tenant_id, action, detail, created_at)"
                         " VALUES (%lld, 'x', '[1]', 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_CHECK);
    assert_int_equal(run(f,
                         "INSERT INTO audit_events (tenant_id, actor_token_id, action, created_at)"
                         " VALUES (%lld, 1, 'x', 1)",
                         (long long)f->a),
                     SQLITE_CONSTRAINT_CHECK);
    /* Sessions: hashes only, unique. */
#define SESSION_SQL                                                                                \
    "INSERT INTO console_sessions (tenant_id, user_id, session_hash, csrf_hash, created_at,"       \
    " last_seen_at, expires_at) VALUES (%lld, %lld, %s, %s, 1, 1, 2)"
    assert_int_equal(
        run(f, SESSION_SQL, (long long)f->a, (long long)f->ua, "zeroblob(32)", "randomblob(32)"),
        SQLITE_OK);
    assert_int_equal(
        run(f, SESSION_SQL, (long long)f->a, (long long)f->ua, "zeroblob(32)", "randomblob(32)"),
        SQLITE_CONSTRAINT_UNIQUE);
    assert_int_equal(
        run(f, SESSION_SQL, (long long)f->a, (long long)f->ua, "randomblob(16)", "randomblob(32)"),
        SQLITE_CONSTRAINT_CHECK);
}

/* Lookups PRODUCT.md implies use an index, not a scan. */
static void lookups_use_indexes(void **state) {
    fixture_t *f = *state;
    static const char *const queries[] = {
        "SELECT id FROM developer_tokens WHERE token_hash = zeroblob(32)",
        "SELECT id FROM users WHERE tenant_id = 1 AND email = 'a@b.c'",
        "SELECT user_id FROM user_roles WHERE tenant_id = 1 AND role_id = 2",
        "SELECT id FROM enrollments WHERE tenant_id = 1 AND user_id = 2",
        "SELECT id FROM audit_events WHERE tenant_id = 1 ORDER BY created_at DESC",
        "SELECT id FROM console_sessions WHERE session_hash = zeroblob(32)",
        "SELECT id FROM developer_tokens WHERE tenant_id = 1 AND creator_user_id = 2",
        "SELECT id FROM users WHERE tenant_id = 1 ORDER BY name COLLATE NOCASE",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[i]);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
        bool indexed = false, scan = false;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 3);
            if (strstr(d, "USING") != NULL)
                indexed = true;
            if (strncmp(d, "SCAN", 4) == 0 && strstr(d, "USING") == NULL)
                scan = true;
        }
        sqlite3_finalize(st);
        if (!indexed || scan)
            fail_msg("no index for: %s", queries[i]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(email_unique_per_tenant_nocase, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(cross_tenant_links_impossible, setup, teardown),
        cmocka_unit_test_setup_teardown(token_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(enrollment_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(roles_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(tenant_and_audit_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(lookups_use_indexes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
