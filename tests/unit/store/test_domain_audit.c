/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_audit.c, store_tenants.c and store_sessions.c: the audit log read
 * newest first with its filters, standalone events, tenants and their rate settings, the login
 * counters and lockout, and Console sessions. */
#include "domain_test.h"

static void audit_list(void **state) {
    fx_t *f = *state;
    /* acme: bootstrap + 6 events; globex: bootstrap + 1. */
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", 0);
    assert_int_equal(lc_store_user_update(f->s, &f->act1, bob, "Robert", NULL, NULL), LC_OK);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_learn1), LC_OK);
    lc_actor_t by_bob = {.tenant_id = f->t1, .user_id = bob, .ip = "198.51.100.7"};
    assert_int_equal(
        lc_store_audit(f->s, &by_bob, "token.refused", "user", bob, "{\"reason\":\"escalation\"}"),
        LC_OK);
    assert_int_equal(lc_store_audit(f->s, &f->act1, "tokenx.other", NULL, 0, NULL), LC_OK);
    assert_int_equal(lc_store_audit(f->s, &f->act1, "token.cli", NULL, 0, NULL), LC_OK);
    assert_int_equal(lc_store_audit(f->s, &f->act2, "token.cli", NULL, 0, NULL), LC_OK);
    uint64_t gen = lc_store_generation(f->s);

    lc_audit_event_t *e = NULL;
    uint32_t n = 0;
    lc_page_info_t info;
    lc_page_t page = {0, 4};
    assert_int_equal(lc_store_audit_list(f->s, &f->a, f->t1, NULL, &page, &e, &n, &info), LC_OK);
    assert_int_equal(info.total, 7);
    assert_int_equal(n, 4);
    assert_true(info.has_next);
    /* Newest first. */
    assert_string_equal(e[0].action, "token.cli");
    assert_string_equal(e[1].action, "tokenx.other");
    assert_string_equal(e[2].action, "token.refused");
    assert_int_equal(e[2].actor_user_id, bob);
    assert_int_equal(e[2].actor_token_id, 0);
    assert_string_equal(e[2].target_type, "user");
    assert_int_equal(e[2].target_id, bob);
    assert_string_equal(e[2].ip, "198.51.100.7");
    assert_string_equal(e[2].detail, "{\"reason\":\"escalation\"}");
    assert_int_equal(e[2].tenant_id, f->t1);
    assert_null(e[1].target_type);
    assert_null(e[1].detail);
    assert_true(e[0].id > e[1].id && e[1].id > e[2].id);
    page.after = e[3].id;
    assert_int_equal(lc_store_audit_list(f->s, &f->a, f->t1, NULL, &page, &e, &n, &info), LC_OK);
    assert_int_equal(n, 3);
    assert_false(info.has_next);
    assert_string_equal(e[2].action, "tenant.bootstrap");
    assert_int_equal(e[2].actor_user_id, 0);
    assert_null(e[2].ip);

    page = (lc_page_t){0, 100};
    struct {
        lc_audit_filter_t f;
        uint32_t n;
    } cases[] = {
        {{.action = "token."}, 2}, /* a prefix: not "tokenx.other" */
        {{.action = "token"}, 0},  /* exact */
        {{.action = "token.cli"}, 1},
        {{.action = "TOKEN.CLI"}, 0},
        {{.action = "user."}, 2},
        {{.actor_user_id = bob}, 1},
        {{.actor_user_id = f->admin2}, 0},
        {{.since = 1}, 7},
        {{.until = 1}, 0},
        {{.since = 1, .until = INT64_MAX, .action = "role.assign"}, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(lc_store_audit_list(f->s, &f->a, f->t1, &cases[i].f, &page, &e, &n, &info),
                         LC_OK);
        if (n != cases[i].n || info.total != cases[i].n)
            fail_msg("case %zu: n %u", i, n);
    }
    assert_int_equal(lc_store_audit_list(f->s, &f->a, f->t2, NULL, &page, &e, &n, &info), LC_OK);
    assert_int_equal(n, 2);

    /* Standalone events obey the schema: a detail that is no JSON object, an actor of another
     * tenant. Nothing is written then. */
    int64_t before = fx_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(lc_store_audit(f->s, &f->act1, "x.y", NULL, 0, "[1]"), LC_EINVAL);
    assert_int_equal(lc_store_audit(f->s, &f->act1, "x.y", NULL, 0, "not json"), LC_EINVAL);
    lc_actor_t wrong = {.tenant_id = f->t1, .user_id = f->admin2};
    assert_int_equal(lc_store_audit(f->s, &wrong, "x.y", NULL, 0, NULL), LC_ENOTFOUND);
    assert_int_equal(lc_store_audit(f->s, &f->act1, NULL, NULL, 0, NULL), LC_EINVAL);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), before);
    assert_int_equal(lc_store_generation(f->s), gen);
}

static void tenants(void **state) {
    fx_t *f = *state;
    lc_tenant_t t;
    assert_int_equal(lc_store_tenant_get(f->s, &f->a, f->t1, &t), LC_OK);
    assert_int_equal(t.id, f->t1);
    assert_string_equal(t.slug, "acme");
    assert_string_equal(t.name, "Acme Inc.");
    assert_int_equal(t.rate_limit, -1);
    assert_int_equal(t.rate_window_s, -1);
    assert_int_equal(lc_store_tenant_by_slug(f->s, &f->a, "globex", &t), LC_OK);
    assert_int_equal(t.id, f->t2);
    assert_int_equal(lc_store_tenant_by_slug(f->s, &f->a, "nope", &t), LC_ENOTFOUND);
    assert_int_equal(lc_store_tenant_get(f->s, &f->a, 987654, &t), LC_ENOTFOUND);

    uint64_t gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_tenant_set_rate(f->s, &f->act1, 0, 30), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    char want[256];
    snprintf(want, sizeof want,
             "tenant.rate|%lld||tenant|%lld|192.0.2.1|{\"rate_limit\":0,\"rate_window_s\":30}",
             (long long)f->admin1, (long long)f->t1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(lc_store_tenant_get(f->s, &f->a, f->t1, &t), LC_OK);
    assert_int_equal(t.rate_limit, 0);
    assert_int_equal(t.rate_window_s, 30);
    /* Only the actor's tenant changes. */
    assert_int_equal(lc_store_tenant_get(f->s, &f->a, f->t2, &t), LC_OK);
    assert_int_equal(t.rate_limit, -1);
    /* Out of the domain. */
    assert_int_equal(lc_store_tenant_set_rate(f->s, &f->act1, -2, 30), LC_EINVAL);
    assert_int_equal(lc_store_tenant_set_rate(f->s, &f->act1, 10, 0), LC_EINVAL);
    assert_int_equal(lc_store_tenant_set_rate(f->s, &f->act1, -1, -1), LC_OK);
}

static void login_lockout(void **state) {
    fx_t *f = *state;
    lc_tenant_t t;
    lc_user_login_t u;
    /* Email ignoring case; tenant by slug. */
    assert_int_equal(lc_store_login_lookup(f->s, &f->a, "acme", "ADMIN@acme.TEST", &t, &u), LC_OK);
    assert_int_equal(t.id, f->t1);
    assert_int_equal(u.user.id, f->admin1);
    assert_string_equal(u.password_hash, TEST_HASH);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.locked_until, 0);
    assert_int_equal(lc_store_login_lookup(f->s, &f->a, "globex", "admin@acme.test", &t, &u),
                     LC_ENOTFOUND);
    assert_int_equal(lc_store_login_lookup(f->s, &f->a, "nope", "admin@acme.test", &t, &u),
                     LC_ENOTFOUND);
    /* A LIKE pattern is not a wildcard here. */
    assert_int_equal(lc_store_login_lookup(f->s, &f->a, "acme", "%@acme.test", &t, &u),
                     LC_ENOTFOUND);

    uint64_t gen = lc_store_generation(f->s);
    int64_t until = -1;
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(
            lc_store_login_failed(f->s, f->t1, f->admin1, 1000 + i, 5, 1800, "203.0.113.9", &until),
            LC_OK);
        assert_int_equal(until, 0);
        assert_int_equal(lc_store_login_lookup(f->s, &f->a, "acme", "admin@acme.test", &t, &u),
                         LC_OK);
        assert_int_equal(u.failed_logins, i);
    }
    char want[256];
    snprintf(want, sizeof want, "login.failure|||user|%lld|203.0.113.9|{\"attempt\":4}",
             (long long)f->admin1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    /* The fifth: locked for lock_s, the count starts again. */
    assert_int_equal(
        lc_store_login_failed(f->s, f->t1, f->admin1, 1005, 5, 1800, "203.0.113.9", &until), LC_OK);
    assert_int_equal(until, 1005 + 1800);
    assert_int_equal(lc_store_login_lookup(f->s, &f->a, "acme", "admin@acme.test", &t, &u), LC_OK);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.locked_until, 2805);
    snprintf(want, sizeof want,
             "login.locked|||user|%lld|203.0.113.9|{\"attempts\":5,\"locked_until\":2805}",
             (long long)f->admin1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(fx_audits(f, f->t1, "login.failure"), 5);
    assert_int_equal(fx_int(f, "SELECT created_at FROM audit_events ORDER BY id DESC LIMIT 1"),
                     1005);

    /* Success clears both and records the time. */
    assert_int_equal(lc_store_login_succeeded(f->s, f->t1, f->admin1, 3000, "203.0.113.9"), LC_OK);
    assert_int_equal(lc_store_login_lookup(f->s, &f->a, "acme", "admin@acme.test", &t, &u), LC_OK);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.locked_until, 0);
    assert_int_equal(u.user.last_login_at, 3000);
    snprintf(want, sizeof want, "login.success|%lld||user|%lld|203.0.113.9|", (long long)f->admin1,
             (long long)f->admin1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    /* Login bookkeeping is no authorization change. */
    assert_int_equal(lc_store_generation(f->s), gen);

    /* Another tenant's user: LC_ENOTFOUND, nothing counted. */
    assert_int_equal(lc_store_login_failed(f->s, f->t2, f->admin1, 1, 5, 60, NULL, &until),
                     LC_ENOTFOUND);
    assert_int_equal(lc_store_login_succeeded(f->s, f->t2, f->admin1, 1, NULL), LC_ENOTFOUND);
    assert_int_equal(fx_audits(f, f->t2, "login.failure"), 0);
    assert_int_equal(lc_store_login_failed(f->s, f->t1, f->admin1, 1, 0, 60, NULL, &until),
                     LC_EINVAL);
    fx_no_secrets_in_audit(f);
}

static void sessions(void **state) {
    fx_t *f = *state;
    uint8_t h1[32], h2[32], h3[32], csrf[32];
    memset(h1, 1, 32);
    memset(h2, 2, 32);
    memset(h3, 3, 32);
    memset(csrf, 0xC5, 32);
    assert_int_equal(
        lc_store_session_create(f->s, f->t1, f->admin1, h1, csrf, 1000, 2000, "::1", "curl/8"),
        LC_OK);
    assert_int_equal(
        lc_store_session_create(f->s, f->t1, f->admin1, h2, csrf, 1000, 5000, NULL, NULL), LC_OK);
    assert_int_equal(
        lc_store_session_create(f->s, f->t1, f->admin1, h1, csrf, 1000, 2000, NULL, NULL),
        LC_EEXIST);
    /* A user of another tenant. */
    assert_int_equal(
        lc_store_session_create(f->s, f->t2, f->admin1, h3, csrf, 1000, 2000, NULL, NULL),
        LC_ENOTFOUND);
    lc_session_t s;
    assert_int_equal(lc_store_session_get(f->s, h1, &s), LC_OK);
    assert_int_equal(s.tenant_id, f->t1);
    assert_int_equal(s.user_id, f->admin1);
    assert_memory_equal(s.csrf_hash, csrf, 32);
    assert_int_equal(s.created_at, 1000);
    assert_int_equal(s.last_seen_at, 1000);
    assert_int_equal(s.expires_at, 2000);
    assert_int_equal(lc_store_session_touch(f->s, s.id, 1500), LC_OK);
    assert_int_equal(lc_store_session_get(f->s, h1, &s), LC_OK);
    assert_int_equal(s.last_seen_at, 1500);
    assert_int_equal(lc_store_session_get(f->s, h3, &s), LC_ENOTFOUND);

    int64_t removed = -1;
    assert_int_equal(lc_store_sessions_expire(f->s, 2000, &removed), LC_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(lc_store_session_get(f->s, h1, &s), LC_ENOTFOUND);
    assert_int_equal(lc_store_session_touch(f->s, 987654, 1500), LC_ENOTFOUND);
    assert_int_equal(lc_store_session_delete(f->s, h2), LC_OK);
    assert_int_equal(lc_store_session_delete(f->s, h2), LC_ENOTFOUND);
    assert_int_equal(lc_store_sessions_expire(f->s, 9999, &removed), LC_OK);
    assert_int_equal(removed, 0);
    /* Sessions are no audited domain writes. */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events WHERE action LIKE 'session%%'"),
                     0);
}

/* Shared rate-limit counters (store_rates.c): adds return the running total per (kind, id,
 * window), keys are independent, the purge drops only windows that ended before its bound. */
static void rate_counters(void **state) {
    fx_t *f = *state;
    int64_t total = -1;
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 180, 6, 1000, &total), LC_OK);
    assert_int_equal(total, 6);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 180, 4, 1000, &total), LC_OK);
    assert_int_equal(total, 10);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 180, 0, 1000, &total), LC_OK);
    assert_int_equal(total, 10);
    assert_int_equal(lc_store_rate_add(f->s, 2, f->t1, 180, 1, 1000, &total), LC_OK);
    assert_int_equal(total, 1);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t2, 180, 3, 1000, &total), LC_OK);
    assert_int_equal(total, 3);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 240, 2, 1000, &total), LC_OK);
    assert_int_equal(total, 2);
    total = -1;
    assert_int_equal(lc_store_rate_add(f->s, 3, f->t1, 180, 1, 1000, &total), LC_EINVAL);
    assert_int_equal(lc_store_rate_add(f->s, 1, 0, 180, 1, 1000, &total), LC_EINVAL);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 180, -1, 1000, &total), LC_EINVAL);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 180, 1, 1000, NULL), LC_EINVAL);
    assert_int_equal(total, -1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM rate_counters"), 4);
    assert_int_equal(lc_store_rate_purge(f->s, 240), LC_OK);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM rate_counters"), 1);
    assert_int_equal(fx_int(f, "SELECT hits FROM rate_counters WHERE window_end = 240"), 2);
    /* Not an authorization change: caches are not disturbed. */
    uint64_t gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 240, 1, 1000, &total), LC_OK);
    assert_int_equal(lc_store_generation(f->s), gen);
}

/* What lc_store_rate_changed hands over: (kind, id, window_end, total) rows, in any order. */
typedef struct seen_rates {
    int n;
    int64_t row[8][4];
} seen_rates_t;

static void seen_rate(void *ctx, int kind, int64_t id, int64_t window_end, int64_t total) {
    seen_rates_t *sr = ctx;
    assert_true(sr->n < 8);
    int64_t *r = sr->row[sr->n++];
    r[0] = kind;
    r[1] = id;
    r[2] = window_end;
    r[3] = total;
}

static bool has_rate(const seen_rates_t *sr, int64_t kind, int64_t id, int64_t window_end,
                     int64_t total) {
    for (int i = 0; i < sr->n; i++)
        if (sr->row[i][0] == kind && sr->row[i][1] == id && sr->row[i][2] == window_end &&
            sr->row[i][3] == total)
            return true;
    return false;
}

static void rate_counters_changed(void **state) {
    fx_t *f = *state;
    int64_t total = 0;
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 1180, 6, 5000, &total), LC_OK);
    assert_int_equal(lc_store_rate_add(f->s, 2, f->t1, 1180, 1, 6000, &total), LC_OK);
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t2, 1120, 3, 7000, &total), LC_OK);
    /* Every counter stamped at or after since, of a window still running at now_s. */
    seen_rates_t sr = {0};
    assert_int_equal(lc_store_rate_changed(f->s, 0, 1100, seen_rate, &sr), LC_OK);
    assert_int_equal(sr.n, 3);
    sr.n = 0;
    assert_int_equal(lc_store_rate_changed(f->s, 6000, 1100, seen_rate, &sr), LC_OK);
    assert_int_equal(sr.n, 2);
    assert_true(has_rate(&sr, 2, f->t1, 1180, 1));
    assert_true(has_rate(&sr, 1, f->t2, 1120, 3));
    sr.n = 0;
    assert_int_equal(lc_store_rate_changed(f->s, 0, 1120, seen_rate, &sr), LC_OK);
    assert_int_equal(sr.n, 2); /* t2's window ended at 1120 */
    assert_false(has_rate(&sr, 1, f->t2, 1120, 3));
    /* An add restamps the counter and the total is what is handed over. */
    assert_int_equal(lc_store_rate_add(f->s, 1, f->t1, 1180, 4, 9000, &total), LC_OK);
    sr.n = 0;
    assert_int_equal(lc_store_rate_changed(f->s, 8000, 1100, seen_rate, &sr), LC_OK);
    assert_int_equal(sr.n, 1);
    assert_true(has_rate(&sr, 1, f->t1, 1180, 10));
    sr.n = 0;
    assert_int_equal(lc_store_rate_changed(f->s, 9001, 1100, seen_rate, &sr), LC_OK);
    assert_int_equal(sr.n, 0);
    assert_int_equal(lc_store_rate_changed(f->s, 0, 1100, NULL, &sr), LC_EINVAL);
    assert_int_equal(lc_store_rate_changed(NULL, 0, 1100, seen_rate, &sr), LC_EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        FX_TEST(rate_counters), FX_TEST(rate_counters_changed), FX_TEST(audit_list),
        FX_TEST(tenants),       FX_TEST(login_lockout),         FX_TEST(sessions),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
