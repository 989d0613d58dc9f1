/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store.c: URL parsing and dispatch, argument checks, and the bootstrap of a
 * tenant through the public interface (on PostgreSQL too, in a run against it). */
#include "store_test.h"

#include <fcntl.h>

#include "lectern/limits.h"
#include "lectern/log.h"
#include "store_int.h"

/* The tests of SQLite's URL forms and files are skipped in a run against PostgreSQL. */
#define SQLITE_ONLY()                                                                              \
    do {                                                                                           \
        if (tdb_is_pg())                                                                           \
            skip();                                                                                \
    } while (0)

static void open_rejects_unknown_schemes(void **state) {
    (void)state;
    SQLITE_ONLY();
    static const char *const urls[] = {
        "mysql:x.db", "mysql://user:secret@db.example/lectern",
        "foo:bar.db", "sqlite:",
        "",           "sqlite::memory:",
        ":memory:",
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        lc_store_t *s = (lc_store_t *)&urls; /* untouched on failure */
        assert_int_equal(lc_store_open(urls[i], true, &s), LC_EINVAL);
        assert_ptr_equal(s, (lc_store_t *)&urls);
    }
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(NULL, true, &s), LC_EINVAL);
}

/* postgres:// and postgresql:// go to the PostgreSQL backend, whole: a server that cannot be
 * reached is LC_EUNAVAILABLE (not a crash, not a hang), *out untouched, and the URL's password
 * appears in no log line. Needs no server: nothing listens on port 1. */
static void open_postgres_unreachable(void **state) {
    (void)state;
    static const char *const urls[] = {
        "postgres://lectern:s3cr3t-pw@127.0.0.1:1/lectern",
        "postgresql://lectern:s3cr3t-pw@127.0.0.1:1/lectern?sslmode=disable",
        "PostgreSQL://lectern:s3cr3t-pw@127.0.0.1:1/lectern",
    };
    char logpath[] = "/tmp/lc-store-log-XXXXXX";
    int fd = mkstemp(logpath);
    assert_true(fd >= 0);
    lc_log_set_fd(fd);
    lc_log_set_level(LC_LOG_DEBUG);
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        for (int create = 0; create < 2; create++) {
            lc_store_t *s = (lc_store_t *)&urls; /* untouched on failure */
            assert_int_equal(lc_store_open(urls[i], create, &s), LC_EUNAVAILABLE);
            assert_ptr_equal(s, (lc_store_t *)&urls);
        }
    }
    lc_log_set_level(LC_LOG_OFF);
    lc_log_set_fd(2);
    char buf[16384];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    unlink(logpath);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "\"event\":\"store.open\""));
    assert_non_null(strstr(buf, "cannot connect to PostgreSQL"));
    assert_null(strstr(buf, "s3cr3t"));
}

/* The dialects' migrations go in step: the same versions and file names (a database moved
 * between backends, `lectern migrate --from/--to`, keeps its version). */
static void backends_share_migrations(void **state) {
    (void)state;
    const lc__store_ops_t *lite = &lc__store_sqlite_ops, *pg = &lc__store_postgres_ops;
    int la = 0, lb = 0;
    assert_int_equal(lc__migration_latest(lite, &la), LC_OK);
    assert_int_equal(lc__migration_latest(pg, &lb), LC_OK);
    assert_int_equal(la, lb);
    assert_int_equal(lc__migration_count(lite), lc__migration_count(pg));
    assert_true(lc__migration_count(pg) >= 2);
    for (size_t i = 0; i < lc__migration_count(pg); i++) {
        lc__migration_t a, b;
        assert_int_equal(lc__migration_get(lite, i, &a), LC_OK);
        assert_int_equal(lc__migration_get(pg, i, &b), LC_OK);
        assert_int_equal(a.version, b.version);
        assert_string_equal(a.name, b.name);
        assert_true(strlen(b.sql) > 0);
    }
    assert_string_equal(pg->name, "postgres");
    assert_non_null(pg->announce);
    assert_non_null(pg->ids_sync);
    assert_null(pg->backup);
}

static void open_missing_without_create(void **state) {
    (void)state;
    SQLITE_ONLY();
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(t.url, false, &s), LC_ENOTFOUND);
    assert_int_equal(lc_store_open(t.path, false, &s), LC_ENOTFOUND);
    assert_null(s);
    assert_int_equal(access(t.path, F_OK), -1); /* not created */
    /* A directory that does not exist cannot be created into. */
    char deep[400];
    snprintf(deep, sizeof deep, "%s/no/such/dir.db", t.dir);
    assert_int_equal(lc_store_open(deep, true, &s), LC_ENOTFOUND);
    tdb_dispose(&t);
}

static void open_url_forms(void **state) {
    (void)state;
    SQLITE_ONLY();
    tdb_t t;
    tdb_init(&t);
    char upper[340];
    snprintf(upper, sizeof upper, "SQLite:%s", t.path);
    const char *const urls[] = {t.url, t.path, upper};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        lc_store_t *s = NULL;
        assert_int_equal(lc_store_open(urls[i], true, &s), LC_OK);
        assert_non_null(s);
        assert_string_equal(lc_store_backend(s), "sqlite");
        lc_store_close(s);
    }
    lc_store_close(NULL);
    tdb_dispose(&t);
}

static void bootstrap_creates_tenant_roles_admin(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    int64_t n = -1, tid = 0, uid = 0;
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, 0);

    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, &tid, &uid), LC_OK);
    assert_true(tid > 0);
    assert_true(uid > 0);
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, 1);

    rdb_t *db = rdb_open(&t);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM roles"), 2);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM roles WHERE builtin = 'console_admin'"
                                 " AND name = 'Console Admin'"),
                     1);
    assert_int_equal(
        rdb_int(db, "SELECT count(*) FROM roles WHERE builtin = 'learner' AND name = 'Learner'"),
        1);
    /* The admin holds Console Admin, and only that; built-in roles have no permission rows. */
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM user_roles"), 1);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM user_roles ur JOIN roles r"
                                 " ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id"
                                 " WHERE r.builtin = 'console_admin'"),
                     1);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM role_permissions"), 0);
    char buf[200];
    rdb_text(db, "SELECT email || '|' || name || '|' || status FROM users", buf, sizeof buf);
    assert_string_equal(buf, "admin@acme.test|Ada Admin|active");
    rdb_text(db, "SELECT password_hash FROM users", buf, sizeof buf);
    assert_string_equal(buf, TEST_HASH);
    rdb_text(db, "SELECT slug || '|' || name FROM tenants", buf, sizeof buf);
    assert_string_equal(buf, "acme|Acme Inc.");
    /* The bootstrap is audited, with the system as actor. */
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM audit_events WHERE action ="
                                 " 'tenant.bootstrap' AND actor_user_id IS NULL"
                                 " AND target_type = 'tenant'"),
                     1);
    rdb_close(db);

    /* Duplicate slug: LC_EEXIST, nothing added; out-params untouched. */
    int64_t tid2 = -7, uid2 = -7;
    b = test_bootstrap("acme", "other@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, &tid2, &uid2), LC_EEXIST);
    assert_int_equal(tid2, -7);
    assert_int_equal(uid2, -7);
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, 1);

    /* Another tenant, same admin email: allowed (emails are unique per tenant). */
    b = test_bootstrap("globex", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, &tid2, &uid2), LC_OK);
    assert_true(tid2 != tid);
    assert_true(uid2 != uid);
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, 2);
    /* Out-params are optional. */
    b = test_bootstrap("initech", "admin@initech.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_OK);

    db = rdb_open(&t);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM roles"), 6);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM users"), 3);
    rdb_close(db);
    lc_store_close(s);
    tdb_dispose(&t);
}

static void bootstrap_is_one_transaction(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    /* Make the user insert, late in the bootstrap, fail. */
    rdb_t *db = rdb_open(&t);
    rdb_fail_inserts(db, "users", true);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_EINVAL);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM tenants"), 0);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM roles"), 0);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM audit_events"), 0);
    /* The connection is usable afterwards (not left inside a transaction). */
    rdb_fail_inserts(db, "users", false);
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_OK);
    assert_int_equal(rdb_int(db, "SELECT count(*) FROM tenants"), 1);
    rdb_close(db);
    lc_store_close(s);
    tdb_dispose(&t);
}

static void bootstrap_checks_arguments(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    char long_slug[LC_LIMIT_TENANT_SLUG_MAX + 2];
    memset(long_slug, 'a', sizeof long_slug - 1);
    long_slug[sizeof long_slug - 1] = '\0';
    char long_name[LC_LIMIT_NAME_MAX + 2];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';

    const lc_store_bootstrap_t bad[] = {
        {NULL, "Acme", "a@b.c", "Ada", TEST_HASH},
        {"", "Acme", "a@b.c", "Ada", TEST_HASH},
        {"Acme", "Acme", "a@b.c", "Ada", TEST_HASH},
        {"-acme", "Acme", "a@b.c", "Ada", TEST_HASH},
        {"acme-", "Acme", "a@b.c", "Ada", TEST_HASH},
        {"ac me", "Acme", "a@b.c", "Ada", TEST_HASH},
        {"ac_me", "Acme", "a@b.c", "Ada", TEST_HASH},
        {long_slug, "Acme", "a@b.c", "Ada", TEST_HASH},
        {"acme", "", "a@b.c", "Ada", TEST_HASH},
        {"acme", NULL, "a@b.c", "Ada", TEST_HASH},
        {"acme", long_name, "a@b.c", "Ada", TEST_HASH},
        {"acme", "Ac\nme", "a@b.c", "Ada", TEST_HASH},
        {"acme", "Ac\xffme", "a@b.c", "Ada", TEST_HASH},
        {"acme", "Acme", "", "Ada", TEST_HASH},
        {"acme", "Acme", "ab", "Ada", TEST_HASH},
        {"acme", "Acme", "@b.c", "Ada", TEST_HASH},
        {"acme", "Acme", "a@", "Ada", TEST_HASH},
        {"acme", "Acme", "a@b@c", "Ada", TEST_HASH},
        {"acme", "Acme", "a b@c.d", "Ada", TEST_HASH},
        {"acme", "Acme", "abc", "Ada", TEST_HASH},
        {"acme", "Acme", "a@b.c", "", TEST_HASH},
        {"acme", "Acme", "a@b.c", NULL, TEST_HASH},
        {"acme", "Acme", "a@b.c", "Ada", NULL},
        {"acme", "Acme", "a@b.c", "Ada", "plaintext-password"},
        {"acme", "Acme", "a@b.c", "Ada", "$2b$12$bcrypt"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t tid = -1;
        if (lc_store_bootstrap_tenant(s, &bad[i], &tid, NULL) != LC_EINVAL)
            fail_msg("case %zu accepted", i);
        assert_int_equal(tid, -1);
    }
    assert_int_equal(lc_store_bootstrap_tenant(s, NULL, NULL, NULL), LC_EINVAL);
    assert_int_equal(lc_store_bootstrap_tenant(NULL, &bad[0], NULL, NULL), LC_EINVAL);
    assert_int_equal(lc_store_tenant_count(s, NULL), LC_EINVAL);

    /* Boundaries that are fine. */
    char max_slug[LC_LIMIT_TENANT_SLUG_MAX + 1];
    memset(max_slug, 'a', sizeof max_slug - 1);
    max_slug[sizeof max_slug - 1] = '\0';
    const lc_store_bootstrap_t good[] = {
        {max_slug, "Acme", "a@b.c", "Ada", TEST_HASH},
        {"a", "Ünïcødé Ltd", "ada@xn--bcher-kva.example", "Ada Lovelace", TEST_HASH},
        {"a-1", long_name + 1, "x@y", long_name + 1, TEST_HASH},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (lc_store_bootstrap_tenant(s, &good[i], NULL, NULL) != LC_OK)
            fail_msg("case %zu refused", i);
    }
    int64_t n = 0;
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, 3);
    lc_store_close(s);
    tdb_dispose(&t);
}

static void bootstrap_needs_migrated_store(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(t.url, true, &s), LC_OK);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_ESTORE);
    int64_t n = 0;
    assert_int_equal(lc_store_tenant_count(s, &n), LC_ESTORE);
    lc_store_close(s);
    tdb_dispose(&t);
}

int main(void) {
    lc_log_set_level(LC_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_rejects_unknown_schemes),
        cmocka_unit_test(open_postgres_unreachable),
        cmocka_unit_test(backends_share_migrations),
        cmocka_unit_test(open_missing_without_create),
        cmocka_unit_test(open_url_forms),
        cmocka_unit_test(bootstrap_creates_tenant_roles_admin),
        cmocka_unit_test(bootstrap_is_one_transaction),
        cmocka_unit_test(bootstrap_checks_arguments),
        cmocka_unit_test(bootstrap_needs_migrated_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
