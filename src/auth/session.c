/* SPDX-License-Identifier: MIT */
/* Console sign-in and sessions (include/lectern/auth.h): argon2id login with a lockout that
 * does not reveal which emails exist, sessions whose ID and CSRF token are stored only as
 * SHA-256, idle and absolute expiry, CSRF on state-changing requests. The API layer calls
 * lc_auth_session instead of lc_auth_bearer for requests that carry the session cookie. */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include "auth_int.h"
#include "lectern/buf.h"
#include "lectern/limits.h"
#include "lectern/log.h"
#include "lectern/password.h"

_Static_assert(LC_AUTH_SECRET_LEN + 1 ==
                   sodium_base64_ENCODED_LEN(LC_AUTH_SECRET_BYTES,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "base64url of the secrets");

#define UA_MAX 512 /* console_sessions.user_agent */

/* ---- Secrets ---- */

/* 32 random bytes: raw into bin (for the hash), base64url into text (for the client). */
static void secret_new(uint8_t bin[LC_AUTH_SECRET_BYTES], char text[LC_AUTH_SECRET_LEN + 1]) {
    randombytes_buf(bin, LC_AUTH_SECRET_BYTES);
    sodium_bin2base64(text, LC_AUTH_SECRET_LEN + 1, bin, LC_AUTH_SECRET_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Strict: exactly LC_AUTH_SECRET_LEN base64url characters. */
static bool secret_decode(lc_str_t s, uint8_t bin[LC_AUTH_SECRET_BYTES]) {
    size_t n = 0;
    const char *end = NULL;
    if (s.len != LC_AUTH_SECRET_LEN)
        return false;
    return sodium_base642bin(bin, LC_AUTH_SECRET_BYTES, s.ptr, s.len, NULL, &n, &end,
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
           n == LC_AUTH_SECRET_BYTES && end == s.ptr + s.len;
}

/* SHA-256 of the decoded secret, what the store keeps; false for a value that is not one. */
static bool secret_hash(lc_str_t s, uint8_t hash[32]) {
    uint8_t bin[LC_AUTH_SECRET_BYTES];
    bool ok = secret_decode(s, bin);
    if (ok)
        crypto_hash_sha256(hash, bin, sizeof bin);
    sodium_memzero(bin, sizeof bin);
    return ok;
}

/* ---- Lockout of unknown emails ----
 * A failure for an email that does not exist (in a tenant that may not exist) is counted here
 * exactly as the store counts a real account's, so that the 5th attempt locks both alike. The
 * table is bounded: when full, the entry that failed longest ago is forgotten. */

static void email_key(const char *slug, const char *email, uint8_t key[16]) {
    crypto_hash_sha256_state st;
    uint8_t h[32];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)slug, strlen(slug) + 1);
    /* The store compares emails ignoring ASCII case. */
    for (const char *p = email; *p; p++) {
        unsigned char c = (unsigned char)tolower((unsigned char)*p);
        crypto_hash_sha256_update(&st, &c, 1);
    }
    crypto_hash_sha256_final(&st, h);
    memcpy(key, h, 16);
    key[0] |= 1; /* never all zero: zero marks a free entry */
}

/* The entry of key (lock held), or a new one when `create`, or NULL. */
static lc__lockout_entry_t *lockout_find(lc_auth_t *a, const uint8_t key[16], bool create) {
    lc__lockout_entry_t *e = a->lockout, *free_e = NULL, *oldest = NULL;
    for (uint32_t i = 0; i < a->o.lockout_entries; i++) {
        if (memcmp(e[i].key, key, 16) == 0)
            return &e[i];
        if (e[i].key[0] == 0) {
            if (!free_e)
                free_e = &e[i];
        } else if (!oldest || e[i].last_s < oldest->last_s) {
            oldest = &e[i];
        }
    }
    if (!create)
        return NULL;
    lc__lockout_entry_t *v = free_e ? free_e : oldest;
    if (!v)
        return NULL; /* no entries at all: lc_auth_create refuses that */
    memset(v, 0, sizeof *v);
    memcpy(v->key, key, 16);
    return v;
}

/* locked_until of the unknown email if locked at now_s, else 0. */
static int64_t lockout_locked(lc_auth_t *a, const uint8_t key[16], int64_t now_s) {
    pthread_mutex_lock(&a->lockout_lock);
    lc__lockout_entry_t *e = lockout_find(a, key, false);
    int64_t until = e && e->locked_until > now_s ? e->locked_until : 0;
    pthread_mutex_unlock(&a->lockout_lock);
    return until;
}

/* Counts a failure; returns the lock it sets (0 if none), as lc_store_login_failed does. */
static int64_t lockout_failed(lc_auth_t *a, const uint8_t key[16], int64_t now_s) {
    int64_t until = 0;
    pthread_mutex_lock(&a->lockout_lock);
    lc__lockout_entry_t *e = lockout_find(a, key, true);
    if (e) {
        e->last_s = now_s;
        if (++e->failures >= a->o.lockout_attempts) {
            e->failures = 0;
            e->locked_until = until = now_s + a->o.lockout_s;
        }
    }
    pthread_mutex_unlock(&a->lockout_lock);
    return until;
}

/* ---- Login ---- */

static int64_t minutes(int64_t s) {
    return s <= 0 ? 1 : (s + 59) / 60;
}

static int fail_locked_now(lc_auth_t *a, lc_auth_failure_t *fail, int64_t tenant_id) {
    int64_t m = minutes(a->o.lockout_s);
    return lc__auth_fail(a, fail, LC_AUTH_LOCKED, tenant_id, 0,
                         "Too many failed attempts: the account is locked for %" PRId64
                         " minute%s.",
                         m, m == 1 ? "" : "s");
}

static int fail_still_locked(lc_auth_t *a, lc_auth_failure_t *fail, int64_t tenant_id,
                             int64_t left_s) {
    int64_t m = minutes(left_s);
    return lc__auth_fail(a, fail, LC_AUTH_LOCKED, tenant_id, 0,
                         "The account is locked after too many failed attempts: try again in "
                         "%" PRId64 " minute%s.",
                         m, m == 1 ? "" : "s");
}

static int fail_credentials(lc_auth_t *a, lc_auth_failure_t *fail, int64_t tenant_id) {
    return lc__auth_fail(a, fail, LC_AUTH_BAD_CREDENTIALS, tenant_id, 0,
                         "Invalid email or password.");
}

/* The user agent as the store may keep it: valid UTF-8 of at most UA_MAX bytes, cut at a
 * character boundary; NULL when there is none or it is not text. */
static const char *storable_ua(const char *ua, char buf[UA_MAX + 1]) {
    if (!ua)
        return NULL;
    size_t n = strnlen(ua, UA_MAX + 1);
    if (n > UA_MAX) {
        n = UA_MAX;
        while (n > 0 && ((unsigned char)ua[n] & 0xC0) == 0x80)
            n--;
    }
    if (!lc_utf8_valid(ua, n))
        return NULL;
    memcpy(buf, ua, n);
    buf[n] = '\0';
    return buf;
}

static const char *storable_ip(const char *ip) {
    return ip && strnlen(ip, 46) <= 45 ? ip : NULL;
}

int lc_auth_login(lc_auth_t *a, const lc_auth_login_req_t *req, lc_auth_login_result_t *out,
                  lc_auth_failure_t *fail) {
    lc_arena_t arena;
    lc_tenant_t tenant;
    lc_user_login_t u;
    uint8_t sid[LC_AUTH_SECRET_BYTES], csrf[LC_AUTH_SECRET_BYTES];
    uint8_t sid_hash[32], csrf_hash[32];
    lc_auth_login_result_t res;
    char ua[UA_MAX + 1];
    int rc;

    if (!req || !req->tenant_slug || !req->email || !req->password || !out || !fail ||
        req->password_len > LC_LIMIT_PASSWORD_MAX)
        return LC_EINVAL;
    int64_t now_s = lc__auth_now_ms(a) / 1000;
    const char *ip = storable_ip(req->ip);

    memset(&res, 0, sizeof res);
    lc_arena_init(&arena, 1024, 0);
    rc = lc_store_login_lookup(a->store, &arena, req->tenant_slug, req->email, &tenant, &u);
    if (rc == LC_ENOTFOUND) {
        /* No such tenant or email: the same cost and the same answers as a real account. */
        uint8_t key[16];
        email_key(req->tenant_slug, req->email, key);
        int64_t until = lockout_locked(a, key, now_s);
        int spent = lc_password_verify(NULL, req->password, req->password_len);
        (void)spent;
        if (until)
            rc = fail_still_locked(a, fail, 0, until - now_s);
        else if (lockout_failed(a, key, now_s))
            rc = fail_locked_now(a, fail, 0);
        else
            rc = fail_credentials(a, fail, 0);
        goto out;
    }
    if (rc != LC_OK)
        goto out;

    if (u.locked_until > now_s) {
        /* Verify anyway, so that a locked account answers as slowly as any other, and say
         * nothing about whether the password was right. */
        int spent = lc_password_verify(u.password_hash, req->password, req->password_len);
        (void)spent;
        rc = fail_still_locked(a, fail, tenant.id, u.locked_until - now_s);
        goto out;
    }
    if (lc_password_verify(u.password_hash, req->password, req->password_len) != LC_OK) {
        int64_t until = 0;
        rc = lc_store_login_failed(a->store, tenant.id, u.user.id, now_s, a->o.lockout_attempts,
                                   a->o.lockout_s, ip, &until);
        if (rc != LC_OK)
            goto out;
        rc = until > now_s ? fail_locked_now(a, fail, tenant.id)
                           : fail_credentials(a, fail, tenant.id);
        goto out;
    }
    if (u.user.status != LC_ACTIVE) {
        rc = lc__auth_fail(a, fail, LC_AUTH_USER_DEACTIVATED, tenant.id, 0,
                           "The account is deactivated: ask an administrator of your "
                           "organisation to reactivate it.");
        goto out;
    }

    rc = lc_store_login_succeeded(a->store, tenant.id, u.user.id, now_s, ip);
    if (rc != LC_OK)
        goto out;
    secret_new(sid, res.session);
    secret_new(csrf, res.csrf);
    crypto_hash_sha256(sid_hash, sid, sizeof sid);
    crypto_hash_sha256(csrf_hash, csrf, sizeof csrf);
    res.tenant_id = tenant.id;
    res.user_id = u.user.id;
    res.expires_at = now_s + a->o.session_max_s;
    res.max_age_s = a->o.session_max_s;
    rc = lc_store_session_create(a->store, tenant.id, u.user.id, sid_hash, csrf_hash, now_s,
                                 res.expires_at, ip, storable_ua(req->user_agent, ua));
    if (rc != LC_OK)
        goto out;
    *out = res;

    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_INFO, "auth.login");
    lc_log_i64(&r, "tenant_id", tenant.id);
    lc_log_i64(&r, "user_id", u.user.id);
    lc_log_end(&r);
out:
    sodium_memzero(sid, sizeof sid);
    sodium_memzero(csrf, sizeof csrf);
    sodium_memzero(&res, sizeof res);
    lc_arena_dispose(&arena);
    return rc;
}

/* ---- Sessions ---- */

static void session_end(lc_auth_t *a, const uint8_t hash[32]) {
    int rc = lc_store_session_delete(a->store, hash);
    if (rc != LC_OK && rc != LC_ENOTFOUND)
        lc_log_msg(LC_LOG_WARN, "auth.session_delete", "could not delete a session: %s",
                   lc_status_name(rc));
}

int lc_auth_session(lc_auth_t *a, lc_str_t session_cookie, lc_str_t csrf_header,
                    bool state_changing, lc_principal_t *out, lc_auth_failure_t *fail) {
    uint8_t sh[32], ch[32];
    lc_session_t s;
    int rc;

    if (session_cookie.ptr == NULL || session_cookie.len == 0)
        return lc__auth_fail(a, fail, LC_AUTH_SESSION_MISSING, 0, 0,
                             "Not signed in: sign in to the Console, or send a developer token.");
    if (!secret_hash(session_cookie, sh))
        return lc__auth_fail(a, fail, LC_AUTH_SESSION_UNKNOWN, 0, 0,
                             "The session is not valid: sign in again.");
    atomic_fetch_add_explicit(&a->session_reads, 1, memory_order_relaxed);
    rc = lc_store_session_get(a->store, sh, &s);
    if (rc == LC_ENOTFOUND)
        return lc__auth_fail(a, fail, LC_AUTH_SESSION_UNKNOWN, 0, 0,
                             "The session has ended: sign in again.");
    if (rc != LC_OK)
        return rc;

    int64_t now_s = lc__auth_now_ms(a) / 1000;
    if (now_s >= s.expires_at) {
        session_end(a, sh);
        int64_t hours = (s.expires_at - s.created_at + 3599) / 3600;
        return lc__auth_fail(a, fail, LC_AUTH_SESSION_EXPIRED, s.tenant_id, 0,
                             "The session expired %" PRId64 " hour%s after sign-in: sign in "
                             "again.",
                             hours, hours == 1 ? "" : "s");
    }
    if (now_s - s.last_seen_at >= a->o.session_idle_s) {
        session_end(a, sh);
        int64_t m = minutes(a->o.session_idle_s);
        return lc__auth_fail(a, fail, LC_AUTH_SESSION_IDLE, s.tenant_id, 0,
                             "The session ended after %" PRId64 " minute%s without activity: "
                             "sign in again.",
                             m, m == 1 ? "" : "s");
    }
    if (state_changing) {
        if (csrf_header.ptr == NULL || csrf_header.len == 0)
            return lc__auth_fail(a, fail, LC_AUTH_CSRF_MISSING, s.tenant_id, 0,
                                 "This request changes data and needs the " LC_AUTH_CSRF_HEADER
                                 " header of the session.");
        bool ok = secret_hash(csrf_header, ch);
        /* Constant time: the stored hash is not the attacker's to probe byte by byte. */
        if (!ok || sodium_memcmp(ch, s.csrf_hash, sizeof ch) != 0)
            return lc__auth_fail(a, fail, LC_AUTH_CSRF_MISMATCH, s.tenant_id, 0,
                                 "The " LC_AUTH_CSRF_HEADER
                                 " header does not match the session: reload the Console.");
    }

    lc_permset_t perms = 0;
    lc_active_t status = LC_DEACTIVATED;
    rc = lc_store_user_permissions(a->store, s.tenant_id, s.user_id, &perms, &status);
    if (rc == LC_ENOTFOUND) {
        session_end(a, sh);
        return lc__auth_fail(a, fail, LC_AUTH_SESSION_UNKNOWN, s.tenant_id, 0,
                             "The session has ended: sign in again.");
    }
    if (rc != LC_OK)
        return rc;
    if (status != LC_ACTIVE) {
        session_end(a, sh);
        return lc__auth_fail(a, fail, LC_AUTH_USER_DEACTIVATED, s.tenant_id, 0,
                             "The account is deactivated.");
    }

    if (now_s - s.last_seen_at >= a->o.touch_interval_s) {
        atomic_fetch_add_explicit(&a->session_touches, 1, memory_order_relaxed);
        rc = lc_store_session_touch(a->store, s.id, now_s);
        /* During a store outage the store has logged it already. */
        if (rc != LC_OK)
            lc_log_msg(rc == LC_EUNAVAILABLE ? LC_LOG_DEBUG : LC_LOG_WARN, "auth.session_touch",
                       "could not record activity: %s", lc_status_name(rc));
    }
    *out = (lc_principal_t){
        .tenant_id = s.tenant_id,
        .user_id = s.user_id,
        .token_id = 0,
        .session_id = s.id,
        .perms = perms & LC_PERMSET_ALL,
        .rate_limit = 0,
        .rate_window_s = 0,
    };
    return LC_OK;
}

int lc_auth_logout(lc_auth_t *a, lc_str_t session_cookie) {
    uint8_t sh[32];
    if (!secret_hash(session_cookie, sh))
        return LC_OK;
    int rc = lc_store_session_delete(a->store, sh);
    return rc == LC_ENOTFOUND ? LC_OK : rc;
}

char *lc_auth_set_cookie(lc_arena_t *arena, const char *name, const char *value, int64_t max_age_s,
                         bool secure) {
    /* Appended, not formatted: the value is a secret and never goes through a format. */
    lc_buf_t b;
    lc_buf_init(&b, arena, 160, 1024);
    lc_buf_append_cstr(&b, name);
    lc_buf_putc(&b, '=');
    if (value)
        lc_buf_append_cstr(&b, value);
    lc_buf_append_cstr(&b, "; Path=/; Max-Age=");
    lc_buf_append_i64(&b, value ? max_age_s : 0);
    lc_buf_append_cstr(&b, "; SameSite=Lax");
    /* The CSRF cookie is the one the Console's script reads; every other is HttpOnly. */
    if (strcmp(name, LC_AUTH_CSRF_COOKIE) != 0)
        lc_buf_append_cstr(&b, "; HttpOnly");
    if (secure)
        lc_buf_append_cstr(&b, "; Secure");
    return lc_buf_terminate(&b) == LC_OK ? b.data : NULL;
}
