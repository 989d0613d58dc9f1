/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_copy.c, lc_store_copy (SQLite to SQLite): a store seeded through the
 * domain API so that every column of every table holds a value somewhere is copied, and every
 * row of every table is then compared value by value and type by type with a raw connection
 * (ids included). A copy into a store that holds rows, from or to a store at another schema
 * version, or that fails half-way (a refused row, an allocation failure) changes nothing. */
#include "store_test.h"

#include <time.h>

#include "lectern/alloc.h"
#include "lectern/permission.h"
#include "store_int.h"

/* Tables that lc_store_copy leaves out on purpose (besides schema_migrations). */
static bool not_copied(const char *table) {
    return strcmp(table, "console_sessions") == 0 || strcmp(table, "rate_counters") == 0;
}

/* --- the seed ----------------------------------------------------------------------------- */

#define T0 1700000000

static void hash_of(uint8_t h[32], uint8_t seed) {
    for (int i = 0; i < 32; i++)
        h[i] = (uint8_t)(seed * 31 + i * 7);
    h[5] = 0; /* a NUL byte inside: blobs are not strings */
}

/* Two tenants with users (with and without a password, deactivated, locked out, logged in),
 * custom roles and their holders, tokens (with and without a subset, expiring, used), courses,
 * enrollments (started, ended), audit events of every kind (through a token too, with detail),
 * a Console session, a tenant rate limit. Text with quotes, backslashes, '%', '_' and
 * non-ASCII characters. */
static void seed(lc_store_t *s) {
    lc_store_bootstrap_t b = {"acme", "Åcme \"Ünïcode\" \\ 100% _x_", "Admin@Acme.test",
                              "Ada O'Admin", TEST_HASH};
    int64_t t1 = 0, a1 = 0, t2 = 0, a2 = 0;
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, &t1, &a1), LC_OK);
    b = (lc_store_bootstrap_t){"globex", "Globex", "admin@globex.test", "Gus", TEST_HASH};
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, &t2, &a2), LC_OK);
    lc_actor_t act = {.tenant_id = t1, .user_id = a1, .ip = "192.0.2.1"};
    lc_actor_t act2 = {.tenant_id = t2, .user_id = a2, .ip = "2001:db8::2"};
    assert_int_equal(lc_store_tenant_set_rate(s, &act, 500, 30), LC_OK);

    int64_t role = 0, role2 = 0;
    assert_int_equal(lc_store_role_create(s, &act, "Support «desk»", "Helps; 'quoted' \\ text",
                                          lc_permset_of(LC_PERM_READ_USERS) |
                                              lc_permset_of(LC_PERM_UPDATE_USERS),
                                          &role),
                     LC_OK);
    assert_int_equal(lc_store_role_create(s, &act2, "Auditors", "",
                                          lc_permset_of(LC_PERM_READ_AUDIT_EVENTS), &role2),
                     LC_OK);
    int64_t users[6];
    for (int i = 0; i < 6; i++) {
        char email[64], name[64];
        snprintf(email, sizeof email, "User%d@Acme.test", i);
        snprintf(name, sizeof name, "Zoë %d_%%", i);
        lc_user_new_t u = {.email = email,
                           .name = name,
                           .password_hash = i % 2 ? TEST_HASH : NULL,
                           .role_ids = &role,
                           .nroles = i < 3 ? 1 : 0};
        assert_int_equal(lc_store_user_create(s, &act, &u, &users[i]), LC_OK);
    }
    lc_user_new_t g = {.email = "g@globex.test", .name = "G", .role_ids = &role2, .nroles = 1};
    int64_t guser = 0;
    assert_int_equal(lc_store_user_create(s, &act2, &g, &guser), LC_OK);
    assert_int_equal(lc_store_user_set_status(s, &act, users[4], LC_DEACTIVATED), LC_OK);
    int64_t locked = 0;
    assert_int_equal(lc_store_login_failed(s, t1, users[1], T0, 1, 900, "198.51.100.7", &locked),
                     LC_OK);
    assert_int_equal(locked, T0 + 900);
    assert_int_equal(lc_store_login_succeeded(s, t1, a1, T0 + 5, "198.51.100.8"), LC_OK);

    uint8_t h1[32], h2[32], h3[32];
    hash_of(h1, 1);
    hash_of(h2, 2);
    hash_of(h3, 3);
    int64_t tok1 = 0, tok2 = 0, tok3 = 0;
    lc_token_new_t tk = {
        .creator_id = a1, .name = "CI \"deploy\"", .hash = h1, .hint = "lct_ab…yz"};
    assert_int_equal(lc_store_token_create(s, &act, &tk, &tok1), LC_OK);
    tk = (lc_token_new_t){.creator_id = a1,
                          .name = "read-only",
                          .hash = h2,
                          .hint = "lct_cd…wx",
                          .has_subset = true,
                          .subset = lc_permset_of(LC_PERM_READ_USERS),
                          .expires_at = (int64_t)time(NULL) + 86400};
    assert_int_equal(lc_store_token_create(s, &act, &tk, &tok2), LC_OK);
    tk = (lc_token_new_t){.creator_id = a2, .name = "g", .hash = h3, .hint = "lct_ef…uv"};
    assert_int_equal(lc_store_token_create(s, &act2, &tk, &tok3), LC_OK);
    assert_int_equal(lc_store_token_touch(s, tok1, T0 + 60, "203.0.113.9"), LC_OK);
    assert_int_equal(lc_store_token_update(s, &act2, tok3, NULL, LC_DEACTIVATED), LC_OK);

    int64_t c1 = 0, c2 = 0, e1 = 0, e2 = 0;
    assert_int_equal(
        lc_store_course_create(s, &act, "SQL 101 — «basics»", "SQL-101", "published", &c1), LC_OK);
    assert_int_equal(lc_store_course_create(s, &act, "Draft", "dr-1", NULL, &c2), LC_OK);
    lc_enrollment_t e = {.user_id = users[0],
                         .course_id = c1,
                         .status = "in_progress",
                         .progress = 40,
                         .started_at = T0 + 100};
    assert_int_equal(lc_store_enrollment_create(s, &act, &e, &e1), LC_OK);
    e = (lc_enrollment_t){.user_id = users[1],
                          .course_id = c1,
                          .status = "completed",
                          .progress = 100,
                          .started_at = T0 + 100,
                          .ended_at = T0 + 200};
    assert_int_equal(lc_store_enrollment_create(s, &act, &e, &e2), LC_OK);

    lc_actor_t via_token = {.tenant_id = t1, .user_id = a1, .token_id = tok1, .ip = "192.0.2.9"};
    assert_int_equal(lc_store_audit(s, &via_token, "export.run", "course", c1,
                                    "{\"rows\": 3, \"note\": \"ünï \\\"q\\\"\"}"),
                     LC_OK);
    uint8_t sh[32], ch[32];
    hash_of(sh, 7);
    hash_of(ch, 8);
    assert_int_equal(lc_store_session_create(s, t1, a1, sh, ch, T0, T0 + 3600, "192.0.2.1", "UA"),
                     LC_OK);
}

/* A JSON permissions text the API would never write: the copy keeps it byte for byte. */
#define ODD_PERMISSIONS "[ \"read:users\" ,\t\"no:such_permission\"]"

/* --- comparing two databases -------------------------------------------------------------- */

/* Every table of db other than SQLite's own and schema_migrations, by name, into out. */
static int tables_of(sqlite3 *db, char out[][64], int max) {
    sqlite3_stmt *st = NULL;
    int n = 0;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%' AND name <>"
                                        " 'schema_migrations' ORDER BY name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && n < max)
        snprintf(out[n++], 64, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return n;
}

/* Rows of table in a and b are the same, in the same order (by the first three columns: the
 * id, or the whole key of a link table), with the same storage type and the same bytes. */
static void assert_same_rows(sqlite3 *a, sqlite3 *b, const char *table) {
    char sql[160];
    sqlite3_stmt *sa = NULL, *sb = NULL;
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2, 3", table);
    assert_int_equal(sqlite3_prepare_v2(a, sql, -1, &sa, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(b, sql, -1, &sb, NULL), SQLITE_OK);
    int ncols = sqlite3_column_count(sa);
    assert_int_equal(sqlite3_column_count(sb), ncols);
    long rows = 0;
    for (;;) {
        int ra = sqlite3_step(sa), rb = sqlite3_step(sb);
        assert_int_equal(ra, rb);
        if (ra != SQLITE_ROW)
            break;
        rows++;
        for (int i = 0; i < ncols; i++) {
            int type = sqlite3_column_type(sa, i);
            if (type != sqlite3_column_type(sb, i))
                fail_msg("%s row %ld column %s: type %d vs %d", table, rows,
                         sqlite3_column_name(sa, i), type, sqlite3_column_type(sb, i));
            if (type == SQLITE_INTEGER) {
                assert_int_equal(sqlite3_column_int64(sa, i), sqlite3_column_int64(sb, i));
            } else if (type != SQLITE_NULL) {
                const void *pa = sqlite3_column_blob(sa, i), *pb = sqlite3_column_blob(sb, i);
                int na = sqlite3_column_bytes(sa, i), nb = sqlite3_column_bytes(sb, i);
                if (na != nb || (na > 0 && memcmp(pa, pb, (size_t)na) != 0))
                    fail_msg("%s row %ld column %s differs", table, rows,
                             sqlite3_column_name(sa, i));
            }
        }
    }
    assert_int_equal(sqlite3_errcode(a), SQLITE_DONE);
    sqlite3_finalize(sa);
    sqlite3_finalize(sb);
}

/* Every column of table holds a non-NULL value in some row of db: the seed exercises it, so a
 * column the copy forgot would show. */
static void assert_columns_used(sqlite3 *db, const char *table) {
    char sql[4400];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')", table);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int ncols = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char col[64];
        snprintf(col, sizeof col, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s IS NOT NULL", table, col);
        if (raw_int(db, sql) == 0)
            fail_msg("the seed leaves %s.%s NULL everywhere", table, col);
        ncols++;
    }
    sqlite3_finalize(st);
    assert_true(ncols >= 3);
}

static int64_t total_rows(sqlite3 *db) {
    char tables[32][64];
    int n = tables_of(db, tables, 32);
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        char sql[2200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        total += raw_int(db, sql);
    }
    return total;
}

/* --- the report --------------------------------------------------------------------------- */

typedef struct seen {
    lc_store_copy_table_t t[32];
    int n;
} seen_t;

static void on_table(void *ctx, const lc_store_copy_table_t *t) {
    seen_t *s = ctx;
    assert_true(s->n < 32);
    s->t[s->n++] = *t;
}

static const lc_store_copy_table_t *reported(const seen_t *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0)
            return &s->t[i];
    return NULL;
}

/* --- fixture: a seeded source and an empty, migrated destination ------------------------- */

/* A SQLite file whatever the run's backend (tdb_init follows LC_TEST_BACKEND): the tests
 * compare databases with raw SQLite connections. */
static void lite_init(tdb_t *t) {
    const char *tmp = getenv("TMPDIR");
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "%s/lc-copy-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/lectern.db", t->dir);
    snprintf(t->url, sizeof t->url, "sqlite:%s", t->path);
}

typedef struct fx {
    tdb_t ts, td;
    lc_store_t *src, *dst;
    sqlite3 *rs, *rd; /* raw connections */
} fx_t;

static int fx_setup(void **state) {
    fx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    lite_init(&f->ts);
    lite_init(&f->td);
    f->src = tdb_store(&f->ts);
    f->dst = tdb_store(&f->td);
    seed(f->src);
    f->rs = raw_open(&f->ts);
    f->rd = raw_open(&f->td);
    assert_int_equal(raw_exec(f->rs, "UPDATE developer_tokens SET permissions = '" ODD_PERMISSIONS
                                     "' WHERE name = 'read-only'"),
                     SQLITE_OK);
    *state = f;
    return 0;
}

static int fx_teardown(void **state) {
    fx_t *f = *state;
    sqlite3_close(f->rs);
    sqlite3_close(f->rd);
    lc_store_close(f->src);
    lc_store_close(f->dst);
    tdb_dispose(&f->ts);
    tdb_dispose(&f->td);
    free(f);
    return 0;
}

/* --- tests -------------------------------------------------------------------------------- */

static void copies_every_row_exactly(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    seen_t seen = {0};
    char tables[32][64];
    int ntables = tables_of(f->rs, tables, 32);
    assert_true(ntables >= 10);

    assert_int_equal(lc_store_copy(f->src, f->dst, on_table, &seen), LC_OK);
    int copied = 0;
    for (int i = 0; i < ntables; i++) {
        const char *t = tables[i];
        const lc_store_copy_table_t *r = reported(&seen, t);
        char sql[2200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", t);
        if (not_copied(t)) {
            assert_int_equal(raw_int(f->rd, sql), 0);
            /* Sessions are reported (with the source's count); rate counters are not. */
            if (r != NULL) {
                assert_false(r->copied);
                assert_int_equal(r->source_rows, raw_int(f->rs, sql));
            }
            continue;
        }
        /* A table the copy does not know would fail here: every other table must be copied. */
        if (r == NULL)
            fail_msg("table %s was not copied", t);
        assert_true(r->copied);
        assert_true(r->source_rows > 0);
        assert_int_equal(r->source_rows, raw_int(f->rs, sql));
        assert_int_equal(r->dest_rows, r->source_rows);
        assert_columns_used(f->rs, t);
        assert_same_rows(f->rs, f->rd, t);
        copied++;
    }
    assert_int_equal(copied, 9);
    assert_int_equal(seen.n, copied + 1); /* and console_sessions, reported as not copied */
    assert_non_null(reported(&seen, "console_sessions"));
    assert_int_equal(reported(&seen, "console_sessions")->source_rows, 1);
    /* Tables are reported in foreign-key order. */
    assert_string_equal(seen.t[0].name, "tenants");
    assert_string_equal(seen.t[1].name, "users");

    char text[256];
    raw_text(f->rd, "SELECT permissions FROM developer_tokens WHERE name = 'read-only'", text,
             sizeof text);
    assert_string_equal(text, ODD_PERMISSIONS);
    raw_text(f->rd, "SELECT name FROM tenants WHERE slug = 'acme'", text, sizeof text);
    assert_string_equal(text, "Åcme \"Ünïcode\" \\ 100% _x_");
    assert_int_equal(raw_int(f->rd, "SELECT count(*) FROM developer_tokens"
                                    " WHERE permissions IS NULL"),
                     2);
    /* Neither store is left locked; the source was not written. */
    assert_true(raw_write_lock_free(&f->ts));
    assert_true(raw_write_lock_free(&f->td));
    assert_int_equal(raw_int(f->rs, "SELECT count(*) FROM console_sessions"), 1);
}

/* The destination works as a store, and its new rows get ids past the copied ones. */
static void destination_serves_and_continues_ids(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_OK);
    assert_int_equal(lc_store_ping(f->dst), LC_OK);

    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_tenant_t t;
    assert_int_equal(lc_store_tenant_by_slug(f->dst, &a, "acme", &t), LC_OK);
    assert_int_equal(t.rate_limit, 500);
    uint8_t h[32];
    hash_of(h, 1);
    lc_token_auth_t auth;
    assert_int_equal(lc_store_token_auth(f->dst, &a, h, &auth), LC_OK);
    lc_user_login_t login;
    lc_tenant_t lt;
    assert_int_equal(lc_store_login_lookup(f->dst, &a, "acme", "admin@acme.test", &lt, &login),
                     LC_OK);

    int64_t max_user = raw_int(f->rd, "SELECT max(id) FROM users");
    int64_t max_audit = raw_int(f->rd, "SELECT max(id) FROM audit_events");
    lc_actor_t act = {.tenant_id = t.id, .user_id = 0};
    lc_user_new_t u = {.email = "new@acme.test", .name = "New"};
    int64_t id = 0;
    assert_int_equal(lc_store_user_create(f->dst, &act, &u, &id), LC_OK);
    assert_true(id > max_user);
    assert_true(raw_int(f->rd, "SELECT max(id) FROM audit_events") > max_audit);
    lc_arena_dispose(&a);
}

/* A destination with rows is refused and left exactly as it was; so is the source. */
static void non_empty_destination_refused(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_OK);
    lc_actor_t act = {.tenant_id = 1, .user_id = 0};
    lc_user_new_t u = {.email = "only-in-dst@acme.test", .name = "Dst"};
    assert_int_equal(lc_store_user_create(f->dst, &act, &u, NULL), LC_OK);
    int64_t before = total_rows(f->rd);

    seen_t seen = {0};
    assert_int_equal(lc_store_copy(f->src, f->dst, on_table, &seen), LC_ECONFLICT);
    assert_int_equal(seen.n, 0);
    assert_int_equal(total_rows(f->rd), before);
    assert_int_equal(
        raw_int(f->rd, "SELECT count(*) FROM users WHERE email = 'only-in-dst@acme.test'"), 1);
    assert_true(raw_write_lock_free(&f->ts));
    assert_true(raw_write_lock_free(&f->td));

    /* A store without tenants but with a stray row elsewhere is not empty either. */
    tdb_t t3;
    lite_init(&t3);
    lc_store_t *d3 = tdb_store(&t3);
    sqlite3 *r3 = raw_open(&t3);
    assert_int_equal(raw_exec(r3, "PRAGMA foreign_keys = OFF"), SQLITE_OK);
    assert_int_equal(raw_exec(r3, "INSERT INTO courses (id, tenant_id, title, code, created_at,"
                                  " updated_at) VALUES (1, 99, 'stray', 'S', 1, 1)"),
                     SQLITE_OK);
    assert_int_equal(lc_store_copy(f->src, d3, NULL, NULL), LC_ECONFLICT);
    assert_int_equal(raw_int(r3, "SELECT count(*) FROM tenants"), 0);
    sqlite3_close(r3);
    lc_store_close(d3);
    tdb_dispose(&t3);
}

static void other_schema_versions_refused(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    int64_t v = raw_int(f->rs, "SELECT max(version) FROM schema_migrations");
    char sql[200];
    /* A source one migration behind: nothing is read, the destination stays empty. */
    snprintf(sql, sizeof sql, "DELETE FROM schema_migrations WHERE version = %lld", (long long)v);
    assert_int_equal(raw_exec(f->rs, sql), SQLITE_OK);
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_EVERSION);
    assert_int_equal(total_rows(f->rd), 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%lld, 'x', 0)",
             (long long)v);
    assert_int_equal(raw_exec(f->rs, sql), SQLITE_OK);
    /* A destination not migrated to the end, or newer than the binary. */
    snprintf(sql, sizeof sql, "DELETE FROM schema_migrations WHERE version = %lld", (long long)v);
    assert_int_equal(raw_exec(f->rd, sql), SQLITE_OK);
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_EVERSION);
    assert_int_equal(raw_exec(f->rd, "INSERT INTO schema_migrations (version, name, applied_at)"
                                     " VALUES (9999, '9999_future.sql', 0)"),
                     SQLITE_OK);
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_EVERSION);
    assert_int_equal(total_rows(f->rd), 0);
    assert_true(raw_write_lock_free(&f->ts));
    assert_true(raw_write_lock_free(&f->td));
    /* Both current again: the copy goes through. */
    assert_int_equal(raw_exec(f->rd, "DELETE FROM schema_migrations WHERE version = 9999"),
                     SQLITE_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%lld, 'x', 0)",
             (long long)v);
    assert_int_equal(raw_exec(f->rd, sql), SQLITE_OK);
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_OK);
}

static void bad_arguments(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    assert_int_equal(lc_store_copy(NULL, f->dst, NULL, NULL), LC_EINVAL);
    assert_int_equal(lc_store_copy(f->src, NULL, NULL, NULL), LC_EINVAL);
    assert_int_equal(lc_store_copy(f->src, f->src, NULL, NULL), LC_EINVAL);
    assert_int_equal(total_rows(f->rd), 0);
}

/* A row the destination refuses half-way (here: a trigger on the last table) rolls the whole
 * copy back. */
static void failure_half_way_leaves_nothing(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    assert_int_equal(raw_exec(f->rd, "CREATE TRIGGER refuse BEFORE INSERT ON audit_events"
                                     " WHEN NEW.action = 'export.run'"
                                     " BEGIN SELECT RAISE(ABORT, 'refused'); END"),
                     SQLITE_OK);
    seen_t seen = {0};
    assert_int_equal(lc_store_copy(f->src, f->dst, on_table, &seen), LC_EINVAL);
    assert_int_equal(seen.n, 0);
    assert_int_equal(total_rows(f->rd), 0);
    assert_true(raw_write_lock_free(&f->ts));
    assert_true(raw_write_lock_free(&f->td));
    /* Once the cause is gone, the copy goes through. */
    assert_int_equal(raw_exec(f->rd, "DROP TRIGGER refuse"), SQLITE_OK);
    assert_int_equal(lc_store_copy(f->src, f->dst, NULL, NULL), LC_OK);
    assert_same_rows(f->rs, f->rd, "audit_events");
}

/* Fail the 1st, 2nd, 3rd... allocation of a copy (SQLite's included): each is a clean
 * LC_ENOMEM that leaves the destination empty and both stores unlocked. */
static void out_of_memory(void **state) {
    fx_t *f = *state;
    if (tdb_is_pg())
        skip(); /* SQLite only: see round_trip */
    int rc = LC_ENOMEM;
    long n = 0;
    for (; n < 200000 && rc != LC_OK; n++) {
        lc_alloc_fail_after(n);
        rc = lc_store_copy(f->src, f->dst, NULL, NULL);
        lc_alloc_fail_reset();
        if (rc != LC_OK) {
            if (rc != LC_ENOMEM)
                fail_msg("n=%ld: %s", n, lc_status_name(rc));
            assert_int_equal(total_rows(f->rd), 0);
            assert_true(raw_write_lock_free(&f->ts));
            assert_true(raw_write_lock_free(&f->td));
        }
    }
    assert_int_equal(rc, LC_OK);
    assert_true(n > 10);
    print_message("lc_store_copy: %ld allocation failures checked\n", n - 1);
    assert_same_rows(f->rs, f->rd, "users");
}

/* SQLite -> the run's backend (PostgreSQL in the `pg` run) -> SQLite: every value comes back
 * byte for byte, and the middle store serves the copy with ids that continue after it. */
static void round_trip(void **state) {
    fx_t *f = *state;
    tdb_t tm;
    tdb_init(&tm);
    lc_store_t *mid = tdb_store(&tm);
    seen_t seen = {0};
    assert_int_equal(lc_store_copy(f->src, mid, on_table, &seen), LC_OK);
    for (int i = 0; i < seen.n; i++) {
        if (seen.t[i].copied)
            assert_int_equal(seen.t[i].dest_rows, seen.t[i].source_rows);
    }
    assert_int_equal(lc_store_copy(mid, f->dst, NULL, NULL), LC_OK);
    char tables[32][64];
    int ntables = tables_of(f->rs, tables, 32);
    for (int i = 0; i < ntables; i++) {
        if (!not_copied(tables[i]))
            assert_same_rows(f->rs, f->rd, tables[i]);
    }
    /* A second copy into the middle store is refused. */
    assert_int_equal(lc_store_copy(f->src, mid, NULL, NULL), LC_ECONFLICT);

    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_tenant_t t;
    uint8_t h[32];
    hash_of(h, 2);
    lc_token_auth_t auth;
    assert_int_equal(lc_store_token_auth(mid, &a, h, &auth), LC_OK);
    assert_int_equal(lc_store_tenant_by_slug(mid, &a, "acme", &t), LC_OK);
    lc_actor_t act = {.tenant_id = t.id, .user_id = 0};
    lc_user_new_t u = {.email = "after@acme.test", .name = "After"};
    int64_t id = 0, course = 0, role = 0;
    assert_int_equal(lc_store_user_create(mid, &act, &u, &id), LC_OK);
    assert_true(id > raw_int(f->rs, "SELECT max(id) FROM users"));
    assert_int_equal(lc_store_course_create(mid, &act, "After", "AFT-1", NULL, &course), LC_OK);
    assert_true(course > raw_int(f->rs, "SELECT max(id) FROM courses"));
    assert_int_equal(lc_store_role_create(mid, &act, "After", "", LC_PERMSET_NONE, &role), LC_OK);
    assert_true(role > raw_int(f->rs, "SELECT max(id) FROM roles"));
    lc_arena_dispose(&a);
    lc_store_close(mid);
    tdb_dispose(&tm);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(copies_every_row_exactly, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(destination_serves_and_continues_ids, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(non_empty_destination_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(other_schema_versions_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_arguments, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(failure_half_way_leaves_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(out_of_memory, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(round_trip, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
