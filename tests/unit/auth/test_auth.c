/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/auth.c against a store: Bearer success and every failure reason, live
 * permissions (a change of roles is seen on the very next request), subsets, the cache (a hit
 * reaches no store and allocates nothing; the TTL and the generation make it re-read),
 * coalesced last-used writes, many threads on one token, and the rate limits of a principal.
 * Built twice: test_auth (real SQLite store) and test_auth_fake (tests/unit/auth/fake_store.c). */
#include <pthread.h>

#include "auth_fixture.h"
#include "lectern/alloc.h"

static void bearer_success(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    int64_t id = fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    assert_int_equal(
        lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok), "192.0.2.1", &p, &fail), LC_OK);
    assert_int_equal(p.tenant_id, f->tenant_id);
    assert_int_equal(p.user_id, f->admin_id);
    assert_int_equal(p.token_id, id);
    assert_int_equal(p.session_id, 0);
    assert_true(p.perms == LC_PERMSET_ALL);
    assert_int_equal(p.rate_limit, LC_AUTH_DEFAULT_RATE_LIMIT);
    assert_int_equal(p.rate_window_s, LC_AUTH_DEFAULT_RATE_WINDOW_S);

    /* Scheme in any case, white space around and between. */
    static const char *const forms[][2] = {
        {"bearer ", ""}, {"BEARER  ", ""}, {"\tBearer\t", " \t"}, {"  BeArEr ", ""}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(hdr, sizeof hdr, "%s%s%s", forms[i][0], tok, forms[i][1]);
        assert_int_equal(lc_auth_bearer(f->auth, lc_str_from(hdr), NULL, &p, &fail), LC_OK);
        assert_int_equal(p.token_id, id);
    }
    sodium_memzero(tok, sizeof tok);
}

/* Asserts a refusal with `reason` and a message containing `text`. */
static void refused(fx_t *f, lc_str_t header, lc_auth_reason_t reason, const char *text) {
    lc_principal_t p = {.token_id = -7};
    lc_auth_failure_t fail;
    memset(&fail, 0, sizeof fail);
    assert_int_equal(lc_auth_bearer(f->auth, header, "192.0.2.1", &p, &fail), LC_EDENIED);
    assert_int_equal(p.token_id, -7); /* untouched */
    if (fail.reason != reason)
        fail_msg("reason %s, want %s (%s)", lc_auth_reason_name(fail.reason),
                 lc_auth_reason_name(reason), fail.message);
    if (!strstr(fail.message, text))
        fail_msg("message \"%s\" lacks \"%s\"", fail.message, text);
}

static void bearer_refusals_before_the_store(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[80];
    fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_auth_stats_t before = fx_stats(f);
#ifdef LC_FAKE_STORE
    long calls = fake_store_calls;
#endif

    refused(f, LC_STR_NULL, LC_AUTH_MISSING, "Authorization: Bearer");
    refused(f, LC_STR("   "), LC_AUTH_MISSING, "Authentication required");
    refused(f, LC_STR("Basic dXNlcjpwYXNz"), LC_AUTH_BAD_SCHEME, "\"Bearer\"");
    refused(f, LC_STR("Bearer"), LC_AUTH_BAD_SCHEME, "\"Bearer\"");
    refused(f, LC_STR("Bearer   "), LC_AUTH_BAD_SCHEME, "\"Bearer\"");
    refused(f, lc_str_from(tok), LC_AUTH_BAD_SCHEME, "\"Bearer\""); /* the token alone */
    snprintf(hdr, sizeof hdr, "Bearer %s extra", tok);
    refused(f, lc_str_from(hdr), LC_AUTH_BAD_SCHEME, "\"Bearer\"");
    snprintf(hdr, sizeof hdr, "Bearer: %s", tok);
    refused(f, lc_str_from(hdr), LC_AUTH_BAD_SCHEME, "\"Bearer\"");
    refused(f, LC_STR("Bearer ghp_abcdefabcdefabcdefabcdefabcdefabcdef"), LC_AUTH_MALFORMED,
            "The token is malformed: it does not start with \"lct_\"");
    snprintf(hdr, sizeof hdr, "Bearer %.39s", tok);
    refused(f, lc_str_from(hdr), LC_AUTH_MALFORMED, "40 characters");
    snprintf(hdr, sizeof hdr, "Bearer %s", tok);
    hdr[7 + 10] = '-';
    refused(f, lc_str_from(hdr), LC_AUTH_MALFORMED, "letter or a digit");
    snprintf(hdr, sizeof hdr, "Bearer %s", tok);
    hdr[7 + 10] = hdr[7 + 10] == 'a' ? 'b' : 'a';
    refused(f, lc_str_from(hdr), LC_AUTH_MALFORMED, "checksum");

    /* None of these reached the store. */
    assert_int_equal(fx_stats(f).token_reads, before.token_reads);
#ifdef LC_FAKE_STORE
    assert_int_equal(fake_store_calls, calls);
#endif
    assert_int_equal(fx_stats(f).failures, before.failures + 12);
}

static void bearer_unknown(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    /* Well-formed, never stored. */
    assert_int_equal(lc_token_generate(tok), LC_OK);
    uint64_t reads = fx_stats(f).token_reads;
    refused(f, fx_bearer(hdr, sizeof hdr, tok), LC_AUTH_UNKNOWN, "The token is not recognised.");
    assert_int_equal(fx_stats(f).token_reads, reads + 1);

    /* A token of another tenant works for that tenant only, and an unknown token says nothing
     * about any tenant. */
    lc_store_bootstrap_t b = {"globex", "Globex", "hank@globex.test", "Hank", fx_hash};
    int64_t t2 = 0, admin2 = 0;
    assert_int_equal(lc_store_bootstrap_tenant(f->store, &b, &t2, &admin2), LC_OK);
    char tok2[LC_TOKEN_LEN + 1];
    int64_t id2 = fx_token_in(f, t2, admin2, false, 0, 0, tok2);
    lc_principal_t p;
    lc_auth_failure_t fail;
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok2), NULL, &p, &fail),
                     LC_OK);
    assert_int_equal(p.tenant_id, t2);
    assert_int_equal(p.token_id, id2);
    assert_int_equal(p.user_id, admin2);
    refused(f, fx_bearer(hdr, sizeof hdr, tok), LC_AUTH_UNKNOWN, "not recognised");
}

static void bearer_deactivated_and_back(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    int64_t id = fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);

    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    /* Deactivated: the very next request is refused, no clock movement needed. */
    assert_int_equal(lc_store_token_update(f->store, &f->actor, id, NULL, LC_DEACTIVATED), LC_OK);
    refused(f, h, LC_AUTH_DEACTIVATED, "The token has been deactivated.");
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_EDENIED);
    assert_int_equal(fail.tenant_id, f->tenant_id);
    assert_int_equal(fail.token_id, id);
    /* Reactivated: works again at once. */
    assert_int_equal(lc_store_token_update(f->store, &f->actor, id, NULL, LC_ACTIVE), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(p.token_id, id);
}

static void bearer_expired(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    /* Expires at the next midnight UTC at least a day away: the message shows the date. */
    int64_t day = 86400;
    int64_t expires = (fx_now_s(f) / day + 2) * day;
    fx_token(f, f->admin_id, false, 0, expires, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    f->now_ms = (expires - 1) * 1000;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    f->now_ms = expires * 1000;
    char date[32], want[64];
    time_t t = (time_t)expires;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    snprintf(want, sizeof want, "The token expired on %s.", date);
    refused(f, h, LC_AUTH_EXPIRED, want);

    /* Not at midnight: the time too. */
    char tok2[LC_TOKEN_LEN + 1];
    f->now_ms = (int64_t)time(NULL) * 1000;
    int64_t exp2 = (fx_now_s(f) / day + 2) * day + 13 * 3600 + 45 * 60;
    fx_token(f, f->admin_id, false, 0, exp2, tok2);
    f->now_ms = (exp2 + 10) * 1000;
    refused(f, fx_bearer(hdr, sizeof hdr, tok2), LC_AUTH_EXPIRED, "at 13:45 UTC.");
}

static void bearer_creator_deactivated(void **state) {
    fx_t *f = *state;
    int64_t r = fx_role(f, "Readers", P(READ_USERS));
    int64_t u = fx_user(f, "bob@acme.test", &r, 1);
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    int64_t id = fx_token(f, u, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(p.user_id, u);
    assert_true(p.perms == P(READ_USERS));
    assert_int_equal(lc_store_user_set_status(f->store, &f->actor, u, LC_DEACTIVATED), LC_OK);
    refused(f, h, LC_AUTH_CREATOR_DEACTIVATED, "The token's creator is deactivated.");
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_EDENIED);
    assert_int_equal(fail.token_id, id);
    /* A deactivated token of a deactivated creator: the token's own state is said first. */
    assert_int_equal(lc_store_token_update(f->store, &f->actor, id, NULL, LC_DEACTIVATED), LC_OK);
    refused(f, h, LC_AUTH_DEACTIVATED, "deactivated");
    assert_int_equal(lc_store_token_update(f->store, &f->actor, id, NULL, LC_ACTIVE), LC_OK);
    assert_int_equal(lc_store_user_set_status(f->store, &f->actor, u, LC_ACTIVE), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
}

static void live_permissions(void **state) {
    fx_t *f = *state;
    int64_t r1 = fx_role(f, "Users", P(READ_USERS) | P(UPDATE_USERS));
    int64_t r2 = fx_role(f, "Courses", P(READ_COURSES));
    int64_t roles[] = {r1, r2};
    int64_t u = fx_user(f, "carol@acme.test", roles, 2);
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, u, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == (P(READ_USERS) | P(UPDATE_USERS) | P(READ_COURSES)));

    /* Remove a role: fewer permissions on the very next request (same clock). */
    uint64_t reads = fx_stats(f).token_reads;
    assert_int_equal(lc_store_role_unassign(f->store, &f->actor, u, r2), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == (P(READ_USERS) | P(UPDATE_USERS)));
    assert_int_equal(fx_stats(f).token_reads, reads + 1);

    /* Remove a permission from a role. */
    assert_int_equal(lc_store_role_update(f->store, &f->actor, r1, NULL, NULL, true, P(READ_USERS)),
                     LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == P(READ_USERS));

    /* Give a role back: the token has it again. */
    assert_int_equal(lc_store_role_assign(f->store, &f->actor, u, r2), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == (P(READ_USERS) | P(READ_COURSES)));

    /* No role at all: authenticated, with no permission. */
    assert_int_equal(lc_store_role_unassign(f->store, &f->actor, u, r1), LC_OK);
    assert_int_equal(lc_store_role_unassign(f->store, &f->actor, u, r2), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == LC_PERMSET_NONE);
}

static void subset_intersection(void **state) {
    fx_t *f = *state;
    int64_t r = fx_role(f, "Some", P(READ_USERS) | P(READ_COURSES));
    int64_t u = fx_user(f, "dave@acme.test", &r, 1);
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, u, true, P(READ_USERS), 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == P(READ_USERS));
    /* The creator gains a permission outside the subset: the token does not. */
    assert_int_equal(lc_store_role_update(f->store, &f->actor, r, NULL, NULL, true,
                                          P(READ_USERS) | P(READ_COURSES) | P(READ_ROLES)),
                     LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == P(READ_USERS));
    /* The creator loses the subset's permission: the token has nothing. */
    assert_int_equal(
        lc_store_role_update(f->store, &f->actor, r, NULL, NULL, true, P(READ_COURSES)), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_true(p.perms == LC_PERMSET_NONE);

    /* An empty subset is a token with no permission, not one with all. */
    char tok2[LC_TOKEN_LEN + 1];
    fx_token(f, f->admin_id, true, LC_PERMSET_NONE, 0, tok2);
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok2), NULL, &p, &fail),
                     LC_OK);
    assert_true(p.perms == LC_PERMSET_NONE);
}

static void cache_hit_touches_no_store(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.1", &p, &fail), LC_OK);
    lc_auth_stats_t s0 = fx_stats(f);
#ifdef LC_FAKE_STORE
    long calls = fake_store_calls;
#endif
    /* Hits allocate nothing: every allocation would fail. */
    lc_alloc_fail_after(0);
    for (int i = 0; i < 1000; i++) {
        int rc = lc_auth_bearer(f->auth, h, "192.0.2.1", &p, &fail);
        if (rc != LC_OK) {
            lc_alloc_fail_reset();
            fail_msg("hit %d: %s", i, lc_status_name(rc));
        }
    }
    lc_alloc_fail_reset();
    assert_int_equal(lc_alloc_failures(), 0);
    lc_auth_stats_t s1 = fx_stats(f);
    assert_int_equal(s1.token_reads, s0.token_reads);
    assert_int_equal(s1.token_touches, s0.token_touches);
#ifdef LC_FAKE_STORE
    assert_int_equal(fake_store_calls, calls);
#endif
}

static void cache_ttl_rereads(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;

    uint64_t r0 = fx_stats(f).token_reads;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    f->now_ms += LC_AUTH_DEFAULT_CACHE_TTL_MS - 1;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_reads, r0 + 1);
    /* Past the TTL (another process may have changed the database): read again. */
    f->now_ms += 1;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_reads, r0 + 2);
    /* A clock that went back does not make an entry fresh for ever. */
    f->now_ms -= 5000;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_reads, r0 + 3);

    /* cache_ttl_ms 0: the store answers every request. */
    f->opt.cache_ttl_ms = 0;
    fx_auth_reset(f);
    r0 = fx_stats(f).token_reads;
    for (int i = 0; i < 3; i++)
        assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_reads, r0 + 3);
}

static void cache_small_evicts(void **state) {
    fx_t *f = *state;
    /* One set of 8 ways, 20 tokens in turn: every token still authenticates correctly. */
    f->opt.cache_entries = 1;
    fx_auth_reset(f);
    enum { N = 20 };
    char tok[N][LC_TOKEN_LEN + 1], hdr[64];
    int64_t id[N];
    for (int i = 0; i < N; i++)
        id[i] = fx_token(f, f->admin_id, false, 0, 0, tok[i]);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            lc_principal_t p;
            lc_auth_failure_t fail;
            assert_int_equal(
                lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok[i]), NULL, &p, &fail),
                LC_OK);
            assert_int_equal(p.token_id, id[i]);
        }
    }
    /* The last 8 are cached: hits, no reads. */
    uint64_t r0 = fx_stats(f).token_reads;
    for (int i = N - 8; i < N; i++) {
        lc_principal_t p;
        lc_auth_failure_t fail;
        assert_int_equal(
            lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok[i]), NULL, &p, &fail), LC_OK);
    }
    assert_int_equal(fx_stats(f).token_reads, r0);
}

static void last_used_coalesced(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    int64_t id = fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;
    lc_arena_t arena;
    lc_devtoken_t t;
    lc_arena_init(&arena, 0, 0);

    uint64_t t0 = fx_stats(f).token_touches;
    int64_t first = fx_now_s(f);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.10", &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_touches, t0 + 1);
    assert_int_equal(lc_store_token_get(f->store, &arena, f->tenant_id, id, &t), LC_OK);
    assert_int_equal(t.last_used_at, first);
    assert_string_equal(t.last_used_ip, "192.0.2.10");

    /* Within 60 s, even across cache reloads: no write. */
    fx_advance(f, 30);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.11", &p, &fail), LC_OK);
    fx_advance(f, 29);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.12", &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_touches, t0 + 1);
    /* 60 s after the last write: one more. */
    fx_advance(f, 1);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.13", &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_touches, t0 + 2);
    assert_int_equal(lc_store_token_get(f->store, &arena, f->tenant_id, id, &t), LC_OK);
    assert_int_equal(t.last_used_at, first + 60);
    assert_string_equal(t.last_used_ip, "192.0.2.13");

    /* A refused request is not a use. */
    assert_int_equal(lc_store_token_update(f->store, &f->actor, id, NULL, LC_DEACTIVATED), LC_OK);
    fx_advance(f, 120);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.14", &p, &fail), LC_EDENIED);
    assert_int_equal(fx_stats(f).token_touches, t0 + 2);

    /* A new authenticator (a restart, another node) trusts the stored last use. */
    assert_int_equal(lc_store_token_update(f->store, &f->actor, id, NULL, LC_ACTIVE), LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.15", &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_touches, t0 + 3);
    fx_auth_reset(f);
    fx_advance(f, 10);
    assert_int_equal(lc_auth_bearer(f->auth, h, "192.0.2.16", &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).token_touches, 0);
    lc_arena_dispose(&arena);
}

#ifdef LC_FAKE_STORE
static void store_failure_is_not_a_401(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_principal_t p = {.token_id = -7};
    lc_auth_failure_t fail = {.reason = LC_AUTH_OK};
    fake_store_fail_next = LC_ESTORE;
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok), NULL, &p, &fail),
                     LC_ESTORE);
    assert_int_equal(p.token_id, -7);
    assert_int_equal(fail.reason, LC_AUTH_OK);
    /* Nothing was cached: the next request asks again and succeeds. */
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, tok), NULL, &p, &fail),
                     LC_OK);
}
#endif

/* ---- Threads ---- */

typedef struct worker {
    fx_t *f;
    lc_str_t h;
    int64_t token_id;
    int ok;
} worker_t;

static void *worker_main(void *arg) {
    worker_t *w = arg;
    for (int i = 0; i < 20000; i++) {
        lc_principal_t p;
        lc_auth_failure_t fail;
        if (lc_auth_bearer(w->f->auth, w->h, "192.0.2.1", &p, &fail) == LC_OK &&
            p.token_id == w->token_id && p.perms == LC_PERMSET_ALL)
            w->ok++;
    }
    return NULL;
}

static void threads_share_the_cache(void **state) {
    fx_t *f = *state;
    enum { T = 8 };
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    int64_t id = fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    lc_auth_stats_t s0 = fx_stats(f);

    pthread_t th[T];
    worker_t w[T];
    for (int i = 0; i < T; i++) {
        w[i] = (worker_t){f, h, id, 0};
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].ok, 20000);
    }
    lc_auth_stats_t s1 = fx_stats(f);
    assert_int_equal(s1.token_reads, s0.token_reads);
    assert_int_equal(s1.token_touches, s0.token_touches);
}

/* Readers on many tokens while misses rewrite the same small cache: every answer is the right
 * token's (a torn read would give another token's id). */
typedef struct churn {
    fx_t *f;
    char (*tok)[LC_TOKEN_LEN + 1];
    int64_t *id;
    int n, seed, wrong;
} churn_t;

static void *churn_main(void *arg) {
    churn_t *c = arg;
    char hdr[64];
    unsigned x = (unsigned)c->seed;
    for (int i = 0; i < 4000; i++) {
        x = x * 1103515245u + 12345u;
        int k = (int)((x >> 8) % (unsigned)c->n);
        lc_principal_t p;
        lc_auth_failure_t fail;
        int rc = lc_auth_bearer(c->f->auth, fx_bearer(hdr, sizeof hdr, c->tok[k]), NULL, &p, &fail);
        if (rc != LC_OK || p.token_id != c->id[k])
            c->wrong++;
    }
    return NULL;
}

static void threads_churn_small_cache(void **state) {
    fx_t *f = *state;
    f->opt.cache_entries = 8;
    fx_auth_reset(f);
    enum { N = 24, T = 6 };
    char tok[N][LC_TOKEN_LEN + 1];
    int64_t id[N];
    for (int i = 0; i < N; i++)
        id[i] = fx_token(f, f->admin_id, false, 0, 0, tok[i]);
    pthread_t th[T];
    churn_t c[T];
    for (int i = 0; i < T; i++) {
        c[i] = (churn_t){f, tok, id, N, i + 1, 0};
        assert_int_equal(pthread_create(&th[i], NULL, churn_main, &c[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(c[i].wrong, 0);
    }
}

/* ---- Rate limits ---- */

static void rate_tenant(void **state) {
    fx_t *f = *state;
    char tok[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, f->admin_id, false, 0, 0, tok);
    lc_str_t h = fx_bearer(hdr, sizeof hdr, tok);
    lc_principal_t p;
    lc_auth_failure_t fail;
    lc_rate_result_t r;

    /* Default: 100 per 60 s. */
    f->now_ms = (f->now_ms / 60000 + 1) * 60000; /* the start of a window */
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    lc_auth_rate_check(f->auth, &p, &r);
    assert_true(r.allowed);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.policy[0].name, "tenant");
    assert_int_equal(r.policy[0].quota, 100);
    assert_int_equal(r.policy[0].window_s, 60);
    assert_int_equal(r.policy[0].remaining, 99);
    assert_int_equal(r.policy[0].reset_s, 60);

    /* The tenant's own limit, seen by the cache on the next request. */
    lc_actor_t actor = f->actor;
    assert_int_equal(lc_store_tenant_set_rate(f->store, &actor, 3, 10), LC_OK);
    f->now_ms += LC_AUTH_DEFAULT_CACHE_TTL_MS; /* in case the store does not advance the
                                                  generation for this write */
    f->now_ms = (f->now_ms / 10000 + 1) * 10000;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(p.rate_limit, 3);
    assert_int_equal(p.rate_window_s, 10);
    for (int i = 0; i < 3; i++) {
        lc_auth_rate_check(f->auth, &p, &r);
        assert_true(r.allowed);
        assert_int_equal(r.policy[0].remaining, 2 - i);
    }
    fx_advance(f, 4);
    lc_auth_rate_check(f->auth, &p, &r);
    assert_false(r.allowed);
    assert_int_equal(r.retry_after_s, 6);
    assert_int_equal(r.policy[0].reset_s, 6);
    assert_int_equal(fx_stats(f).rate_denied, 1);

    lc_arena_t arena;
    lc_arena_init(&arena, 0, 0);
    lc_rate_headers_t hv;
    assert_int_equal(lc_auth_rate_headers(&r, &arena, &hv), LC_OK);
    assert_string_equal(hv.policy, "\"tenant\";q=3;w=10");
    assert_string_equal(hv.ratelimit, "\"tenant\";r=0;t=6");
    assert_string_equal(hv.retry_after, "6");
    lc_arena_dispose(&arena);

    /* The next window. */
    fx_advance(f, 6);
    lc_auth_rate_check(f->auth, &p, &r);
    assert_true(r.allowed);

    /* 0 = unlimited: no policy, no header. */
    assert_int_equal(lc_store_tenant_set_rate(f->store, &actor, 0, -1), LC_OK);
    f->now_ms += LC_AUTH_DEFAULT_CACHE_TTL_MS;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(p.rate_limit, 0);
    for (int i = 0; i < 500; i++) {
        lc_auth_rate_check(f->auth, &p, &r);
        assert_true(r.allowed);
        assert_int_equal(r.n, 0);
    }
    /* Back to the server default. */
    assert_int_equal(lc_store_tenant_set_rate(f->store, &actor, -1, -1), LC_OK);
    f->now_ms += LC_AUTH_DEFAULT_CACHE_TTL_MS;
    assert_int_equal(lc_auth_bearer(f->auth, h, NULL, &p, &fail), LC_OK);
    assert_int_equal(p.rate_limit, 100);
    assert_int_equal(p.rate_window_s, 60);

    /* Sessions are not counted (docs/authentication.md). */
    lc_principal_t session = {.tenant_id = f->tenant_id, .user_id = f->admin_id, .session_id = 9};
    lc_auth_rate_check(f->auth, &session, &r);
    assert_true(r.allowed);
    assert_int_equal(r.n, 0);
}

static void rate_tenant_shared_by_tokens(void **state) {
    fx_t *f = *state;
    f->opt.rate_limit = 5;
    fx_auth_reset(f);
    char t1[LC_TOKEN_LEN + 1], t2[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, f->admin_id, false, 0, 0, t1);
    fx_token(f, f->admin_id, false, 0, 0, t2);
    lc_principal_t p1, p2;
    lc_auth_failure_t fail;
    lc_rate_result_t r;
    f->now_ms = (f->now_ms / 60000 + 1) * 60000;
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, t1), NULL, &p1, &fail),
                     LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, t2), NULL, &p2, &fail),
                     LC_OK);
    int allowed = 0;
    for (int i = 0; i < 10; i++) {
        lc_auth_rate_check(f->auth, i % 2 ? &p1 : &p2, &r);
        allowed += r.allowed;
    }
    assert_int_equal(allowed, 5);
}

static void rate_per_token(void **state) {
    fx_t *f = *state;
    f->opt.token_rate_limit = 2;
    f->opt.token_rate_window_s = 60;
    f->opt.rate_limit = 4;
    fx_auth_reset(f);
    char t1[LC_TOKEN_LEN + 1], t2[LC_TOKEN_LEN + 1], hdr[64];
    fx_token(f, f->admin_id, false, 0, 0, t1);
    fx_token(f, f->admin_id, false, 0, 0, t2);
    lc_principal_t p1, p2;
    lc_auth_failure_t fail;
    lc_rate_result_t r;
    f->now_ms = (f->now_ms / 60000 + 1) * 60000 + 15000;
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, t1), NULL, &p1, &fail),
                     LC_OK);
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, t2), NULL, &p2, &fail),
                     LC_OK);

    lc_auth_rate_check(f->auth, &p1, &r);
    assert_true(r.allowed);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.policy[0].name, "tenant");
    assert_int_equal(r.policy[0].remaining, 3);
    assert_string_equal(r.policy[1].name, "token");
    assert_int_equal(r.policy[1].quota, 2);
    assert_int_equal(r.policy[1].remaining, 1);
    assert_int_equal(r.policy[1].reset_s, 45);
    lc_auth_rate_check(f->auth, &p1, &r);
    assert_true(r.allowed);
    /* Token 1 is out; its refusal does not use the tenant's quota. */
    lc_auth_rate_check(f->auth, &p1, &r);
    assert_false(r.allowed);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.policy[0].name, "token");
    assert_int_equal(r.retry_after_s, 45);
    lc_auth_rate_check(f->auth, &p2, &r);
    assert_true(r.allowed);
    assert_int_equal(r.policy[0].remaining, 1); /* tenant: 4 - 3 */
    lc_auth_rate_check(f->auth, &p2, &r);
    assert_true(r.allowed);
    assert_int_equal(r.policy[0].remaining, 0);
    /* Token 3 has its own quota left, the tenant has none: refused by the tenant, and the
     * token's count is given back. */
    char t3[LC_TOKEN_LEN + 1];
    fx_token(f, f->admin_id, false, 0, 0, t3);
    lc_principal_t p3;
    assert_int_equal(lc_auth_bearer(f->auth, fx_bearer(hdr, sizeof hdr, t3), NULL, &p3, &fail),
                     LC_OK);
    lc_auth_rate_check(f->auth, &p3, &r);
    assert_false(r.allowed);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.policy[0].name, "tenant");
    assert_int_equal(r.policy[1].remaining, 2);
    lc_arena_t arena;
    lc_arena_init(&arena, 0, 0);
    lc_rate_headers_t hv;
    assert_int_equal(lc_auth_rate_headers(&r, &arena, &hv), LC_OK);
    assert_string_equal(hv.policy, "\"tenant\";q=4;w=60, \"token\";q=2;w=60");
    assert_string_equal(hv.ratelimit, "\"tenant\";r=0;t=45, \"token\";r=2;t=45");
    assert_string_equal(hv.retry_after, "45");
    lc_arena_dispose(&arena);
}

/* ---- Lifecycle ---- */

static void create_options_and_oom(void **state) {
    fx_t *f = *state;
    lc_auth_t *a = NULL;
    lc_auth_options_t o;
    lc_auth_options_default(&o);
    o.rate_window_s = 0;
    assert_int_equal(lc_auth_create(f->store, &o, &a), LC_EINVAL);
    lc_auth_options_default(&o);
    o.session_idle_s = 0;
    assert_int_equal(lc_auth_create(f->store, &o, &a), LC_EINVAL);
    lc_auth_options_default(&o);
    o.cache_entries = 0;
    assert_int_equal(lc_auth_create(f->store, &o, &a), LC_EINVAL);
    lc_auth_options_default(&o);
    o.touch_interval_s = -1;
    assert_int_equal(lc_auth_create(f->store, &o, &a), LC_EINVAL);
    lc_auth_options_default(&o);
    assert_int_equal(lc_auth_create(NULL, &o, &a), LC_EINVAL);
    assert_int_equal(lc_auth_create(f->store, NULL, &a), LC_EINVAL);
    assert_null(a);

    /* Every allocation of create can fail, cleanly. */
    for (long n = 0; n < 10; n++) {
        lc_alloc_fail_after(n);
        int rc = lc_auth_create(f->store, &o, &a);
        long failed = lc_alloc_failures();
        lc_alloc_fail_reset();
        if (rc == LC_OK) {
            assert_int_equal(failed, 0);
            lc_auth_destroy(a);
            break;
        }
        assert_int_equal(rc, LC_ENOMEM);
        assert_null(a);
    }
    lc_auth_destroy(NULL);
}

static void reason_names(void **state) {
    (void)state;
    for (int r = LC_AUTH_OK; r <= LC_AUTH_LOCKED; r++) {
        const char *n = lc_auth_reason_name((lc_auth_reason_t)r);
        assert_non_null(n);
        assert_string_not_equal(n, "unknown");
        for (int k = LC_AUTH_OK; k < r; k++)
            assert_string_not_equal(n, lc_auth_reason_name((lc_auth_reason_t)k));
    }
    assert_string_equal(lc_auth_reason_name((lc_auth_reason_t)999), "unknown");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(bearer_success),
        T(bearer_refusals_before_the_store),
        T(bearer_unknown),
        T(bearer_deactivated_and_back),
        T(bearer_expired),
        T(bearer_creator_deactivated),
        T(live_permissions),
        T(subset_intersection),
        T(cache_hit_touches_no_store),
        T(cache_ttl_rereads),
        T(cache_small_evicts),
        T(last_used_coalesced),
#ifdef LC_FAKE_STORE
        T(store_failure_is_not_a_401),
#endif
        T(threads_share_the_cache),
        T(threads_churn_small_cache),
        T(rate_tenant),
        T(rate_tenant_shared_by_tokens),
        T(rate_per_token),
        T(create_options_and_oom),
        cmocka_unit_test(reason_names),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, NULL);
}
