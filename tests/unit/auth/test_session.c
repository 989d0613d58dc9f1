/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/session.c against a store: Console login (argon2id), the same answer for
 * unknown emails and wrong passwords, the lockout after 5 failures and its end 30 minutes
 * later, sessions stored as hashes only, idle and absolute expiry, CSRF on state-changing
 * requests, live permissions, logout, and the cookies' Set-Cookie values.
 * Built twice: test_auth_session (real SQLite store) and test_auth_session_fake. */
#include "auth_fixture.h"

static lc_auth_login_req_t req_for(const char *slug, const char *email, const char *pw) {
    return (lc_auth_login_req_t){slug, email, pw, strlen(pw), "192.0.2.7", "TestAgent/1.0"};
}

static int login(fx_t *f, const char *email, const char *pw, lc_auth_login_result_t *res,
                 lc_auth_failure_t *fail) {
    lc_auth_login_req_t r = req_for("acme", email, pw);
    return lc_auth_login(f->auth, &r, res, fail);
}

/* Expects a refused login with this reason and message text. */
static void login_refused(fx_t *f, const char *slug, const char *email, const char *pw,
                          lc_auth_reason_t reason, const char *text) {
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    memset(&res, 0x5a, sizeof res);
    lc_auth_login_req_t r = req_for(slug, email, pw);
    int rc = lc_auth_login(f->auth, &r, &res, &fail);
    if (rc != LC_EDENIED)
        fail_msg("login %s: %s, want LC_EDENIED", email, lc_status_name(rc));
    if (fail.reason != reason || !strstr(fail.message, text))
        fail_msg("login %s: %s \"%s\", want %s \"%s\"", email, lc_auth_reason_name(fail.reason),
                 fail.message, lc_auth_reason_name(reason), text);
    assert_int_equal(res.session[0], 0x5a); /* untouched */
}

static void session_refused(fx_t *f, lc_str_t cookie, lc_str_t csrf, bool state_changing,
                            lc_auth_reason_t reason, const char *text) {
    lc_principal_t p = {.session_id = -7};
    lc_auth_failure_t fail;
    int rc = lc_auth_session(f->auth, cookie, csrf, state_changing, &p, &fail);
    if (rc != LC_EDENIED)
        fail_msg("session: %s, want LC_EDENIED", lc_status_name(rc));
    if (fail.reason != reason || !strstr(fail.message, text))
        fail_msg("session: %s \"%s\", want %s \"%s\"", lc_auth_reason_name(fail.reason),
                 fail.message, lc_auth_reason_name(reason), text);
    assert_int_equal(p.session_id, -7);
}

static void hash_of_secret(const char *text, uint8_t out[32]) {
    uint8_t bin[LC_AUTH_SECRET_BYTES];
    size_t n = 0;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, text, strlen(text), NULL, &n, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    assert_int_equal(n, sizeof bin);
    crypto_hash_sha256(out, bin, sizeof bin);
}

static void login_and_use(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    assert_int_equal(strlen(res.session), LC_AUTH_SECRET_LEN);
    assert_int_equal(strlen(res.csrf), LC_AUTH_SECRET_LEN);
    assert_string_not_equal(res.session, res.csrf);
    assert_int_equal(res.tenant_id, f->tenant_id);
    assert_int_equal(res.user_id, f->admin_id);
    assert_int_equal(res.expires_at, fx_now_s(f) + LC_AUTH_DEFAULT_SESSION_MAX_S);
    assert_int_equal(res.max_age_s, LC_AUTH_DEFAULT_SESSION_MAX_S);
    for (const char *c = res.session; *c; c++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *c));

    /* The store holds SHA-256 of the decoded secrets, and only that. */
    uint8_t sh[32], ch[32];
    hash_of_secret(res.session, sh);
    hash_of_secret(res.csrf, ch);
    lc_session_t s;
    assert_int_equal(lc_store_session_get(f->store, sh, &s), LC_OK);
    assert_int_equal(s.user_id, f->admin_id);
    assert_int_equal(s.tenant_id, f->tenant_id);
    assert_memory_equal(s.csrf_hash, ch, 32);
    assert_int_equal(s.expires_at, res.expires_at);

    /* Case-insensitive email, as the store compares it. */
    lc_auth_login_result_t res2;
    assert_int_equal(login(f, "ADA@Acme.Test", FX_PASSWORD, &res2, &fail), LC_OK);
    assert_string_not_equal(res2.session, res.session);

    lc_principal_t p;
    assert_int_equal(
        lc_auth_session(f->auth, lc_str_from(res.session), LC_STR_NULL, false, &p, &fail), LC_OK);
    assert_int_equal(p.tenant_id, f->tenant_id);
    assert_int_equal(p.user_id, f->admin_id);
    assert_int_equal(p.token_id, 0);
    assert_int_equal(p.session_id, s.id);
    assert_true(p.perms == LC_PERMSET_ALL);
    assert_int_equal(p.rate_limit, 0);
    sodium_memzero(&res, sizeof res);
    sodium_memzero(&res2, sizeof res2);
}

static void wrong_password_and_unknown_email_look_alike(void **state) {
    fx_t *f = *state;
    login_refused(f, "acme", FX_ADMIN_EMAIL, "not the password at all", LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");
    login_refused(f, "acme", "nobody@acme.test", FX_PASSWORD, LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");
    login_refused(f, "no-such-tenant", FX_ADMIN_EMAIL, FX_PASSWORD, LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");
    login_refused(f, "acme", FX_ADMIN_EMAIL, "short", LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");
    /* A learner without a password cannot sign in. */
    lc_user_new_t u = {"lea@acme.test", "Lea Learner", NULL, NULL, 0};
    int64_t id;
    assert_int_equal(lc_store_user_create(f->store, &f->actor, &u, &id), LC_OK);
    login_refused(f, "acme", "lea@acme.test", FX_PASSWORD, LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");

    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    lc_auth_login_req_t r = req_for("acme", FX_ADMIN_EMAIL, FX_PASSWORD);
    r.password = NULL;
    assert_int_equal(lc_auth_login(f->auth, &r, &res, &fail), LC_EINVAL);
    r = req_for("acme", FX_ADMIN_EMAIL, FX_PASSWORD);
    r.password_len = LC_LIMIT_PASSWORD_MAX + 1;
    assert_int_equal(lc_auth_login(f->auth, &r, &res, &fail), LC_EINVAL);
}

static void lockout_after_five(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;

    /* Failures are counted in a row: a success in between starts over. */
    for (int i = 0; i < 4; i++)
        login_refused(f, "acme", FX_ADMIN_EMAIL, "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                      "Invalid email or password.");
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    for (int i = 0; i < 4; i++)
        login_refused(f, "acme", FX_ADMIN_EMAIL, "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                      "Invalid email or password.");
    /* The 5th in a row locks. */
    login_refused(f, "acme", FX_ADMIN_EMAIL, "wrong password 123", LC_AUTH_LOCKED,
                  "Too many failed attempts: the account is locked for 30 minutes.");
    /* Locked: even the right password is refused, without saying it was right. */
    fx_advance(f, 60);
    login_refused(f, "acme", FX_ADMIN_EMAIL, FX_PASSWORD, LC_AUTH_LOCKED,
                  "try again in 29 minutes");
    fx_advance(f, 28 * 60 + 59);
    login_refused(f, "acme", FX_ADMIN_EMAIL, FX_PASSWORD, LC_AUTH_LOCKED, "try again in 1 minute.");
    /* 30 minutes after the lock: open again. */
    fx_advance(f, 1);
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    sodium_memzero(&res, sizeof res);
}

static void unknown_email_locks_alike(void **state) {
    fx_t *f = *state;
    /* The same sequence of answers as lockout_after_five: no way to tell which emails exist. */
    for (int i = 0; i < 4; i++)
        login_refused(f, "acme", "ghost@acme.test", "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                      "Invalid email or password.");
    login_refused(f, "acme", "Ghost@ACME.test", "wrong password 123", LC_AUTH_LOCKED,
                  "Too many failed attempts: the account is locked for 30 minutes.");
    fx_advance(f, 60);
    login_refused(f, "acme", "ghost@acme.test", FX_PASSWORD, LC_AUTH_LOCKED,
                  "try again in 29 minutes");
    /* Another tenant's same email is another key. */
    login_refused(f, "other", "ghost@acme.test", FX_PASSWORD, LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");
    fx_advance(f, 29 * 60);
    login_refused(f, "acme", "ghost@acme.test", FX_PASSWORD, LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");

    /* A full table forgets the oldest, and keeps working. */
    f->opt.lockout_entries = 2;
    fx_auth_reset(f);
    login_refused(f, "acme", "g1@acme.test", "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                  "Invalid");
    fx_advance(f, 1);
    login_refused(f, "acme", "g2@acme.test", "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                  "Invalid");
    fx_advance(f, 1);
    login_refused(f, "acme", "g3@acme.test", "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                  "Invalid");
}

static void deactivated_user_login(void **state) {
    fx_t *f = *state;
    int64_t r = fx_role(f, "Readers", P(READ_USERS));
    int64_t u = fx_user(f, "bob@acme.test", &r, 1);
    assert_int_equal(lc_store_user_set_status(f->store, &f->actor, u, LC_DEACTIVATED), LC_OK);
    /* Wrong password: the usual answer. Right password: the account's state. */
    login_refused(f, "acme", "bob@acme.test", "wrong password 123", LC_AUTH_BAD_CREDENTIALS,
                  "Invalid email or password.");
    login_refused(f, "acme", "bob@acme.test", FX_PASSWORD, LC_AUTH_USER_DEACTIVATED, "deactivated");
}

static void session_idle_expiry(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    lc_principal_t p;
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    lc_str_t c = lc_str_from(res.session);

    /* Activity every 29 minutes keeps it alive. */
    for (int i = 0; i < 4; i++) {
        fx_advance(f, 29 * 60);
        assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    }
    /* 30 minutes of silence end it, and it stays ended. */
    fx_advance(f, 30 * 60);
    session_refused(f, c, LC_STR_NULL, false, LC_AUTH_SESSION_IDLE,
                    "after 30 minutes without activity");
    session_refused(f, c, LC_STR_NULL, false, LC_AUTH_SESSION_UNKNOWN, "sign in again");
    sodium_memzero(&res, sizeof res);
}

static void session_absolute_expiry(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    lc_principal_t p;
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    lc_str_t c = lc_str_from(res.session);
    /* Busy all day: still ends 12 hours after sign-in. */
    for (int i = 0; i < 12 * 3 - 1; i++) {
        fx_advance(f, 20 * 60);
        assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    }
    fx_advance(f, 20 * 60 - 1);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    fx_advance(f, 1);
    session_refused(f, c, LC_STR_NULL, false, LC_AUTH_SESSION_EXPIRED,
                    "expired 12 hours after sign-in");
    session_refused(f, c, LC_STR_NULL, false, LC_AUTH_SESSION_UNKNOWN, "sign in again");
    sodium_memzero(&res, sizeof res);
}

static void csrf_on_state_changing(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res, other;
    lc_auth_failure_t fail;
    lc_principal_t p;
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &other, &fail), LC_OK);
    lc_str_t c = lc_str_from(res.session);

    /* Reads need no CSRF header. */
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    session_refused(f, c, LC_STR_NULL, true, LC_AUTH_CSRF_MISSING, LC_AUTH_CSRF_HEADER);
    session_refused(f, c, LC_STR(""), true, LC_AUTH_CSRF_MISSING, LC_AUTH_CSRF_HEADER);
    session_refused(f, c, LC_STR("garbage"), true, LC_AUTH_CSRF_MISMATCH, "does not match");
    /* Another session's CSRF token, and the session ID itself, are not this session's. */
    session_refused(f, c, lc_str_from(other.csrf), true, LC_AUTH_CSRF_MISMATCH, "does not match");
    session_refused(f, c, c, true, LC_AUTH_CSRF_MISMATCH, "does not match");
    char flipped[LC_AUTH_SECRET_LEN + 1];
    memcpy(flipped, res.csrf, sizeof flipped);
    flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
    session_refused(f, c, lc_str_from(flipped), true, LC_AUTH_CSRF_MISMATCH, "does not match");
    assert_int_equal(lc_auth_session(f->auth, c, lc_str_from(res.csrf), true, &p, &fail), LC_OK);
    /* The refusals did not end the session. */
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    sodium_memzero(&res, sizeof res);
    sodium_memzero(&other, sizeof other);
}

static void bad_cookies(void **state) {
    fx_t *f = *state;
    session_refused(f, LC_STR_NULL, LC_STR_NULL, false, LC_AUTH_SESSION_MISSING, "Not signed in");
    session_refused(f, LC_STR(""), LC_STR_NULL, false, LC_AUTH_SESSION_MISSING, "Not signed in");
    session_refused(f, LC_STR("x"), LC_STR_NULL, false, LC_AUTH_SESSION_UNKNOWN, "not valid");
    session_refused(f, LC_STR("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+"), LC_STR_NULL, false,
                    LC_AUTH_SESSION_UNKNOWN, "not valid");
    session_refused(f, LC_STR("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), LC_STR_NULL, false,
                    LC_AUTH_SESSION_UNKNOWN, "not valid");
    /* Well-formed, never issued. */
    char fake[LC_AUTH_SECRET_LEN + 1];
    uint8_t bin[LC_AUTH_SECRET_BYTES];
    randombytes_buf(bin, sizeof bin);
    sodium_bin2base64(fake, sizeof fake, bin, sizeof bin, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    session_refused(f, lc_str_from(fake), LC_STR_NULL, false, LC_AUTH_SESSION_UNKNOWN,
                    "The session has ended");
}

static void logout_ends_it(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    lc_principal_t p;
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    lc_str_t c = lc_str_from(res.session);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    assert_int_equal(lc_auth_logout(f->auth, c), LC_OK);
    session_refused(f, c, LC_STR_NULL, false, LC_AUTH_SESSION_UNKNOWN, "The session has ended");
    /* Twice, or with nonsense: nothing to do, no error. */
    assert_int_equal(lc_auth_logout(f->auth, c), LC_OK);
    assert_int_equal(lc_auth_logout(f->auth, LC_STR("nonsense")), LC_OK);
    assert_int_equal(lc_auth_logout(f->auth, LC_STR_NULL), LC_OK);
    sodium_memzero(&res, sizeof res);
}

static void session_live_permissions(void **state) {
    fx_t *f = *state;
    int64_t r1 = fx_role(f, "Users", P(READ_USERS));
    int64_t r2 = fx_role(f, "Tokens", P(READ_DEVELOPER_TOKENS) | P(CREATE_DEVELOPER_TOKENS));
    int64_t roles[] = {r1, r2};
    int64_t u = fx_user(f, "carol@acme.test", roles, 2);
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    lc_principal_t p;
    assert_int_equal(login(f, "carol@acme.test", FX_PASSWORD, &res, &fail), LC_OK);
    lc_str_t c = lc_str_from(res.session);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    assert_true(p.perms == (P(READ_USERS) | P(READ_DEVELOPER_TOKENS) | P(CREATE_DEVELOPER_TOKENS)));
    assert_int_equal(lc_store_role_unassign(f->store, &f->actor, u, r2), LC_OK);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    assert_true(p.perms == P(READ_USERS));
    /* Deactivation ends the user's sessions (the store deletes them). */
    assert_int_equal(lc_store_user_set_status(f->store, &f->actor, u, LC_DEACTIVATED), LC_OK);
    session_refused(f, c, LC_STR_NULL, false, LC_AUTH_SESSION_UNKNOWN, "The session has ended");
    sodium_memzero(&res, sizeof res);
}

static void last_seen_coalesced(void **state) {
    fx_t *f = *state;
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    lc_principal_t p;
    assert_int_equal(login(f, FX_ADMIN_EMAIL, FX_PASSWORD, &res, &fail), LC_OK);
    lc_str_t c = lc_str_from(res.session);
    uint8_t sh[32];
    hash_of_secret(res.session, sh);
    int64_t t0 = fx_now_s(f);

    fx_advance(f, 10);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    fx_advance(f, 49);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).session_touches, 0);
    lc_session_t s;
    assert_int_equal(lc_store_session_get(f->store, sh, &s), LC_OK);
    assert_int_equal(s.last_seen_at, t0);
    fx_advance(f, 1);
    assert_int_equal(lc_auth_session(f->auth, c, LC_STR_NULL, false, &p, &fail), LC_OK);
    assert_int_equal(fx_stats(f).session_touches, 1);
    assert_int_equal(lc_store_session_get(f->store, sh, &s), LC_OK);
    assert_int_equal(s.last_seen_at, t0 + 60);
    assert_int_equal(fx_stats(f).session_reads, 3);
    sodium_memzero(&res, sizeof res);
}

static void set_cookie_values(void **state) {
    (void)state;
    lc_arena_t arena;
    lc_arena_init(&arena, 0, 0);
    const char *v = "abc_DEF-123";
    assert_string_equal(lc_auth_set_cookie(&arena, LC_AUTH_SESSION_COOKIE, v, 43200, true),
                        "lectern_session=abc_DEF-123; Path=/; Max-Age=43200; SameSite=Lax; "
                        "HttpOnly; Secure");
    assert_string_equal(lc_auth_set_cookie(&arena, LC_AUTH_CSRF_COOKIE, v, 43200, false),
                        "lectern_csrf=abc_DEF-123; Path=/; Max-Age=43200; SameSite=Lax");
    assert_string_equal(lc_auth_set_cookie(&arena, LC_AUTH_SESSION_COOKIE, NULL, 43200, false),
                        "lectern_session=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly");
    lc_arena_t tiny;
    lc_arena_init(&tiny, 16, 16);
    assert_null(lc_auth_set_cookie(&tiny, LC_AUTH_SESSION_COOKIE, v, 1, true));
    lc_arena_dispose(&tiny);
    lc_arena_dispose(&arena);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(login_and_use),
        T(wrong_password_and_unknown_email_look_alike),
        T(lockout_after_five),
        T(unknown_email_locks_alike),
        T(deactivated_user_login),
        T(session_idle_expiry),
        T(session_absolute_expiry),
        T(csrf_on_state_changing),
        T(bad_cookies),
        T(logout_ends_it),
        T(session_live_permissions),
        T(last_seen_coalesced),
        cmocka_unit_test(set_cookie_values),
    };
    return cmocka_run_group_tests(tests, fx_group_setup, NULL);
}
