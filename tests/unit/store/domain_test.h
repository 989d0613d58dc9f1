/* SPDX-License-Identifier: MIT */
/* Fixture of the domain tests (test_domain_*.c): a migrated store with two bootstrapped
 * tenants, an arena, actors for each tenant's admin, and helpers that read what the store wrote
 * (audit rows above all) through a raw connection (SQLite, or PostgreSQL when the run is
 * against it: store_test.h), in SQL both accept. */
#ifndef LECTERN_TEST_DOMAIN_TEST_H
#define LECTERN_TEST_DOMAIN_TEST_H

#include "store_test.h"

#include "lectern/alloc.h"
#include "lectern/arena.h"

typedef struct fx {
    tdb_t t;
    lc_store_t *s;
    rdb_t *db; /* raw connection */
    lc_arena_t a;
    /* Tenant 1 ("acme") and tenant 2 ("globex"). */
    int64_t t1, t2;
    int64_t admin1, admin2;     /* bootstrap admins */
    int64_t r_admin1, r_admin2; /* Console Admin role ids */
    int64_t r_learn1, r_learn2; /* Learner role ids */
    lc_actor_t act1, act2;      /* the admins, from 192.0.2.1 / 192.0.2.2 */
} fx_t;

/* First column of the first row of sql (printf-style), as an integer. */
static inline int64_t fx_int(fx_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int64_t fx_int(fx_t *f, const char *fmt, ...) {
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return rdb_int(f->db, sql);
}

/* First column of the first row of sql as text into a static buffer ("" for NULL). */
static inline const char *fx_text(fx_t *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline const char *fx_text(fx_t *f, const char *fmt, ...) {
    static char out[4096];
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    rdb_text(f->db, sql, out, sizeof out);
    return out;
}

static inline int64_t fx_role_id(fx_t *f, int64_t tenant, const char *builtin) {
    return fx_int(f, "SELECT id FROM roles WHERE tenant_id = %lld AND builtin = '%s'",
                  (long long)tenant, builtin);
}

static inline int fx_setup(void **state) {
    fx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    tdb_init(&f->t);
    f->s = tdb_store(&f->t);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &f->t1, &f->admin1), LC_OK);
    b = test_bootstrap("globex", "admin@globex.test");
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &f->t2, &f->admin2), LC_OK);
    f->db = rdb_open(&f->t);
    f->r_admin1 = fx_role_id(f, f->t1, "console_admin");
    f->r_admin2 = fx_role_id(f, f->t2, "console_admin");
    f->r_learn1 = fx_role_id(f, f->t1, "learner");
    f->r_learn2 = fx_role_id(f, f->t2, "learner");
    f->act1 = (lc_actor_t){.tenant_id = f->t1, .user_id = f->admin1, .ip = "192.0.2.1"};
    f->act2 = (lc_actor_t){.tenant_id = f->t2, .user_id = f->admin2, .ip = "192.0.2.2"};
    lc_arena_init(&f->a, 0, 0);
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state) {
    fx_t *f = *state;
    lc_arena_dispose(&f->a);
    rdb_close(f->db);
    lc_store_close(f->s);
    tdb_dispose(&f->t);
    free(f);
    return 0;
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* Number of audit rows of the tenant with this action. */
static inline int64_t fx_audits(fx_t *f, int64_t tenant, const char *action) {
    return fx_int(f, "SELECT count(*) FROM audit_events WHERE tenant_id = %lld AND action = '%s'",
                  (long long)tenant, action);
}

/* The newest audit row of the tenant, as "action|actor_user|actor_token|target_type|target_id|
 * ip|detail" (NULLs as empty). */
static inline const char *fx_last_audit(fx_t *f, int64_t tenant) {
    return fx_text(f,
                   "SELECT action || '|' || coalesce(CAST(actor_user_id AS TEXT), '') || '|'"
                   " || coalesce(CAST(actor_token_id AS TEXT), '') || '|'"
                   " || coalesce(target_type, '') || '|'"
                   " || coalesce(CAST(target_id AS TEXT), '') || '|' || coalesce(ip, '') || '|'"
                   " || coalesce(detail, '') FROM audit_events WHERE tenant_id = %lld"
                   " ORDER BY id DESC LIMIT 1",
                   (long long)tenant);
}

/* No audit detail anywhere holds a password hash, an argon2 string or a hash in hex. */
static inline void fx_no_secrets_in_audit(fx_t *f) {
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events WHERE detail LIKE '%%argon2%%'"
                               " OR detail LIKE '%%hash%%' OR detail LIKE '%%secret%%'"),
                     0);
}

/* A user of tenant `act` with one role (0 = none). */
static inline int64_t fx_user(fx_t *f, const lc_actor_t *act, const char *email, const char *name,
                              int64_t role) {
    int64_t id = 0;
    lc_user_new_t u = {.email = email,
                       .name = name,
                       .password_hash = TEST_HASH,
                       .role_ids = &role,
                       .nroles = role ? 1 : 0};
    assert_int_equal(lc_store_user_create(f->s, act, &u, &id), LC_OK);
    assert_true(id > 0);
    return id;
}

/* Runs call() with the 1st, 2nd, 3rd... allocation failing until it succeeds; each failure must
 * be LC_ENOMEM and leave `check_sql`'s count at `before` (nothing half-written) and the write
 * lock free. The store is reopened first so that its statement cache is cold. */
typedef int (*fx_call_fn)(fx_t *f);
static inline long fx_oom(fx_t *f, fx_call_fn call, const char *check_sql) {
    lc_store_close(f->s);
    assert_int_equal(lc_store_open(f->t.url, false, &f->s), LC_OK);
    int64_t before = rdb_int(f->db, check_sql);
    int64_t audits = rdb_int(f->db, "SELECT count(*) FROM audit_events");
    int rc = LC_ENOMEM;
    long n = 0;
    for (; n < 100000 && rc != LC_OK; n++) {
        lc_alloc_fail_after(n);
        rc = call(f);
        lc_alloc_fail_reset();
        if (rc != LC_OK) {
            if (rc != LC_ENOMEM)
                fail_msg("n=%ld: %s", n, lc_status_name(rc));
            assert_true(rdb_write_lock_free(&f->t));
            assert_int_equal(rdb_int(f->db, check_sql), before);
            assert_int_equal(rdb_int(f->db, "SELECT count(*) FROM audit_events"), audits);
        }
    }
    assert_int_equal(rc, LC_OK);
    assert_true(n > 1);
    assert_true(rdb_int(f->db, check_sql) != before);
    assert_int_equal(rdb_int(f->db, "SELECT count(*) FROM audit_events"), audits + 1);
    return n - 1;
}

#endif
