/* SPDX-License-Identifier: MIT */
/* Tests of src/store/migrate.c: file names and versions, the migration loop against a fake
 * backend, and the real SQLite migrations (fresh database, re-run, database newer than the
 * binary, allocation failures). */
#include "store_test.h"

#include <pthread.h>

#include "lectern/alloc.h"
#include "store_int.h"

/* --- a fake backend, to test the loop alone ------------------------------------------------ */

static struct fake {
    lc_store_t base;
    int current;
    int fail_version;  /* migration_apply fails with LC_ESTORE at this version */
    int other_version; /* "another process" applies up to this before our apply runs */
    int applied[8];
    int napplied;
} fake;

static int fake_version(lc_store_t *s, int *current) {
    (void)s;
    *current = fake.current;
    return LC_OK;
}

static int fake_apply(lc_store_t *s, const lc__migration_t *m, bool *ran) {
    (void)s;
    if (fake.other_version > fake.current)
        fake.current = fake.other_version;
    if (m->version == fake.fail_version)
        return LC_ESTORE;
    if (fake.current >= m->version) {
        *ran = false;
        return LC_OK;
    }
    fake.applied[fake.napplied++] = m->version;
    fake.current = m->version;
    *ran = true;
    return LC_OK;
}

static const lc_embed_file_t fake_files[] = {
    {"0001_init.sql", (const unsigned char *)"", 0},
    {"0002_more.sql", (const unsigned char *)"", 0},
    {"0010_later.sql", (const unsigned char *)"", 0},
    {NULL, NULL, 0},
};

static const lc__store_ops_t fake_ops = {
    .name = "fake",
    .migrations = fake_files,
    .schema_version = fake_version,
    .migration_apply = fake_apply,
};

static lc_store_t *fake_reset(int current) {
    memset(&fake, 0, sizeof fake);
    fake.base.ops = &fake_ops;
    fake.current = current;
    return &fake.base;
}

static void names_and_versions(void **state) {
    (void)state;
    int latest = -1;
    assert_int_equal(lc__migration_latest(&fake_ops, &latest), LC_OK);
    assert_int_equal(latest, 10);
    assert_int_equal(lc__migration_count(&fake_ops), 3);
    lc__migration_t m;
    assert_int_equal(lc__migration_get(&fake_ops, 2, &m), LC_OK);
    assert_int_equal(m.version, 10);
    assert_string_equal(m.name, "0010_later.sql");

    static const char *const bad[][2] = {
        {"init.sql", NULL},
        {"0001init.sql", NULL},
        {"0001_init.txt", NULL},
        {"0000_zero.sql", NULL},
        {"_x.sql", NULL},
        {"99999999999_big.sql", NULL},
        {"0001_a.sql", "0001_b.sql"},
        {"0002_a.sql", "0002_a.sql"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_embed_file_t files[3] = {{0}};
        files[0].name = bad[i][0];
        files[0].data = (const unsigned char *)"";
        if (bad[i][1] != NULL) {
            files[1].name = bad[i][1];
            files[1].data = (const unsigned char *)"";
        }
        lc__store_ops_t ops = fake_ops;
        ops.migrations = files;
        latest = -1;
        if (lc__migration_latest(&ops, &latest) != LC_ESTORE)
            fail_msg("case %zu accepted", i);
        assert_int_equal(latest, -1);
    }
    /* No migrations at all: version 0. */
    lc_embed_file_t none[1] = {{0}};
    lc__store_ops_t ops = fake_ops;
    ops.migrations = none;
    assert_int_equal(lc__migration_latest(&ops, &latest), LC_OK);
    assert_int_equal(latest, 0);
}

static void loop_applies_pending_in_order(void **state) {
    (void)state;
    int applied = -1, cur = -1, lat = -1;
    lc_store_t *s = fake_reset(0);
    assert_int_equal(lc_store_schema_version(s, &cur, &lat), LC_OK);
    assert_int_equal(cur, 0);
    assert_int_equal(lat, 10);
    assert_int_equal(lc_store_ping(s), LC_EVERSION); /* older is not current either */
    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_int_equal(applied, 3);
    assert_int_equal(fake.napplied, 3);
    assert_int_equal(fake.applied[0], 1);
    assert_int_equal(fake.applied[1], 2);
    assert_int_equal(fake.applied[2], 10);
    assert_int_equal(lc_store_ping(s), LC_OK);

    /* Partly migrated: only what is missing. */
    s = fake_reset(2);
    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_int_equal(applied, 1);
    assert_int_equal(fake.applied[0], 10);

    /* Up to date: nothing. */
    s = fake_reset(10);
    assert_int_equal(lc_store_migrate(s, NULL), LC_OK);
    assert_int_equal(fake.napplied, 0);
}

static void loop_stops_at_failure(void **state) {
    (void)state;
    int applied = -1;
    lc_store_t *s = fake_reset(0);
    fake.fail_version = 2;
    assert_int_equal(lc_store_migrate(s, &applied), LC_ESTORE);
    assert_int_equal(applied, -1); /* written only on success */
    assert_int_equal(fake.napplied, 1);
    assert_int_equal(fake.current, 1);
}

static void loop_refuses_newer_database(void **state) {
    (void)state;
    lc_store_t *s = fake_reset(11);
    assert_int_equal(lc_store_migrate(s, NULL), LC_EVERSION);
    assert_int_equal(fake.napplied, 0);
    assert_int_equal(lc_store_ping(s), LC_EVERSION);

    /* Another process got there first (same binary): not counted, not an error. */
    int applied = -1;
    s = fake_reset(0);
    fake.other_version = 2;
    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_int_equal(applied, 1);

    /* A newer binary migrated while we were running: reported. */
    s = fake_reset(0);
    fake.other_version = 12;
    assert_int_equal(lc_store_migrate(s, &applied), LC_EVERSION);
}

/* --- SQLite -------------------------------------------------------------------------------- */

static const char *const tables[] = {
    "schema_migrations", "tenants", "users",       "roles",        "role_permissions", "user_roles",
    "developer_tokens",  "courses", "enrollments", "audit_events", "console_sessions",
};

/* Everything that defines the database: schema text and migration records. */
static void snapshot(const tdb_t *t, char *out, size_t n) {
    sqlite3 *db = raw_open(t);
    raw_text(db,
             "SELECT coalesce((SELECT group_concat(name || ':' || coalesce(sql, ''), ';')"
             " FROM (SELECT name, sql FROM sqlite_schema ORDER BY name)), '') || '#' ||"
             " coalesce((SELECT group_concat(version || name || applied_at, ';')"
             " FROM schema_migrations), '')",
             out, n);
    sqlite3_close(db);
}

static void sqlite_fresh_database(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = NULL;
    int cur = -1, lat = -1, applied = -1;
    assert_int_equal(lc_store_open(t.url, true, &s), LC_OK);
    assert_int_equal(lc_store_schema_version(s, &cur, &lat), LC_OK);
    assert_int_equal(cur, 0);
    assert_true(lat >= 1);
    assert_int_equal(lc_store_ping(s), LC_EVERSION);

    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_int_equal(applied, (int)lc__migration_count(&lc__store_sqlite_ops));
    assert_int_equal(lc_store_schema_version(s, &cur, NULL), LC_OK);
    assert_int_equal(cur, lat);
    assert_int_equal(lc_store_ping(s), LC_OK);

    sqlite3 *db = raw_open(&t);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'",
                 tables[i]);
        if (raw_int(db, sql) != 1)
            fail_msg("table %s missing", tables[i]);
    }
    char buf[100];
    raw_text(db, "SELECT name FROM schema_migrations WHERE version = 1", buf, sizeof buf);
    assert_string_equal(buf, "0001_init.sql");
    assert_true(raw_int(db, "SELECT applied_at FROM schema_migrations WHERE version = 1") >
                1700000000);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM schema_migrations"), applied);
    /* The schema is sound: no dangling foreign keys, integrity ok. */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    raw_text(db, "PRAGMA integrity_check", buf, sizeof buf);
    assert_string_equal(buf, "ok");
    sqlite3_close(db);
    lc_store_close(s);
    tdb_dispose(&t);
}

static void sqlite_rerun_changes_nothing(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    char before[16384], after[16384];
    snapshot(&t, before, sizeof before);
    int applied = -1;
    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_int_equal(applied, 0);
    lc_store_close(s);
    /* And from a new process's point of view (a fresh open). */
    assert_int_equal(lc_store_open(t.path, false, &s), LC_OK);
    assert_int_equal(lc_store_migrate(s, &applied), LC_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(lc_store_ping(s), LC_OK);
    snapshot(&t, after, sizeof after);
    assert_string_equal(before, after);
    lc_store_close(s);
    tdb_dispose(&t);
}

static void sqlite_newer_database_refused(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    int cur = 0, lat = 0;
    assert_int_equal(lc_store_schema_version(s, &cur, &lat), LC_OK);
    sqlite3 *db = raw_open(&t);
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations VALUES (%d, '%04d_future.sql', 1893456000)", lat + 1,
             lat + 1);
    assert_int_equal(raw_exec(db, sql), SQLITE_OK);
    sqlite3_close(db);

    char before[16384], after[16384];
    snapshot(&t, before, sizeof before);
    int applied = -1;
    assert_int_equal(lc_store_migrate(s, &applied), LC_EVERSION);
    assert_int_equal(applied, -1);
    assert_int_equal(lc_store_ping(s), LC_EVERSION);
    assert_int_equal(lc_store_schema_version(s, &cur, NULL), LC_OK);
    assert_int_equal(cur, lat + 1);
    lc_store_close(s);
    /* Same from a fresh open. */
    assert_int_equal(lc_store_open(t.url, false, &s), LC_OK);
    assert_int_equal(lc_store_migrate(s, &applied), LC_EVERSION);
    assert_int_equal(lc_store_ping(s), LC_EVERSION);
    lc_store_close(s);
    snapshot(&t, after, sizeof after);
    assert_string_equal(before, after);
    tdb_dispose(&t);
}

/* Each failed allocation during migration is a clean LC_ENOMEM that leaves the database as it
 * was (one transaction per migration), and the store stays usable. */
static void sqlite_migrate_out_of_memory(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(t.url, true, &s), LC_OK);
    int rc = LC_ENOMEM, lat = 0, cur = -1;
    assert_int_equal(lc_store_schema_version(s, &cur, &lat), LC_OK);
    long n = 0;
    for (; n < 100000 && rc != LC_OK; n++) {
        lc_alloc_fail_after(n);
        rc = lc_store_migrate(s, NULL);
        lc_alloc_fail_reset();
        if (rc != LC_OK) {
            if (rc != LC_ENOMEM)
                fail_msg("n=%ld: %s", n, lc_status_name(rc));
            /* All or nothing per migration: the one that failed left nothing behind, the
             * earlier ones stay applied (so any version from 0 to the latest is possible; a
             * failure after the last commit leaves them all applied). */
            assert_true(raw_write_lock_free(&t));
            assert_int_equal(lc_store_schema_version(s, &cur, NULL), LC_OK);
            if (cur < 0 || cur > lat)
                fail_msg("n=%ld: version %d", n, cur);
            sqlite3 *db = raw_open(&t);
            int64_t ntables =
                raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
            sqlite3_close(db);
            assert_true(cur == 0 ? ntables == 0 : ntables > 1);
        }
    }
    assert_int_equal(rc, LC_OK);
    assert_true(n > 1);
    print_message("lc_store_migrate: %ld allocation failures checked\n", n - 1);
    assert_int_equal(lc_store_schema_version(s, &cur, NULL), LC_OK);
    assert_int_equal(cur, lat);
    assert_int_equal(lc_store_ping(s), LC_OK);
    lc_store_close(s);
    tdb_dispose(&t);
}

/* Two processes (two stores on one file) migrating at once: each migration runs once. */
static void sqlite_concurrent_migrations(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(t.url, true, &s), LC_OK);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 2);
    tdb_migrator_t r[2] = {{t.url, &go, -1, -1}, {t.url, &go, -1, -1}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, tdb_migrator_main, &r[i]), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(r[i].rc, LC_OK);
    }
    pthread_barrier_destroy(&go);
    assert_int_equal(r[0].applied + r[1].applied, (int)lc__migration_count(&lc__store_sqlite_ops));
    assert_int_equal(lc_store_ping(s), LC_OK);
    sqlite3 *db = raw_open(&t);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM schema_migrations"),
                     (int)lc__migration_count(&lc__store_sqlite_ops));
    sqlite3_close(db);
    lc_store_close(s);
    tdb_dispose(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_versions),
        cmocka_unit_test(loop_applies_pending_in_order),
        cmocka_unit_test(loop_stops_at_failure),
        cmocka_unit_test(loop_refuses_newer_database),
        cmocka_unit_test(sqlite_fresh_database),
        cmocka_unit_test(sqlite_rerun_changes_nothing),
        cmocka_unit_test(sqlite_newer_database_refused),
        cmocka_unit_test(sqlite_concurrent_migrations),
        cmocka_unit_test(sqlite_migrate_out_of_memory),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
