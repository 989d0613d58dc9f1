/* SPDX-License-Identifier: MIT */
/* Console login and sessions: the login lookup, the failed-attempt counter and its lockout, and
 * the session rows (hashes of the cookie and of the CSRF token only). Called by the Console's
 * login and by every request that carries a session cookie. Backend-neutral. */
#include "store_int.h"

#include <string.h>

/* --- login ----------------------------------------------------------------------------------- */

int lc_store_login_lookup(lc_store_t *s, lc_arena_t *arena, const char *tenant_slug,
                          const char *email, lc_tenant_t *tenant, lc_user_login_t *out) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    lc_tenant_t t;
    lc_user_login_t u = {0};
    bool row = false;
    if (s == NULL || arena == NULL || tenant_slug == NULL || email == NULL || tenant == NULL ||
        out == NULL)
        return LC_EINVAL;
    lc__arg_t key[] = {LC__TEXT(tenant_slug), LC__TEXT(email)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query(&db, LC__Q_LOGIN_LOOKUP, key, LC__NARGS(key), &st);
    if (rc == LC_OK)
        rc = lc__step(st, &row);
    if (rc == LC_OK && !row)
        rc = LC_ENOTFOUND;
    if (rc == LC_OK)
        rc = lc__tenant_read(st, 0, arena, &t);
    if (rc == LC_OK)
        rc = lc__user_read(st, LC__NCOLS_TENANT, arena, &u.user);
    if (rc == LC_OK) {
        int col = LC__NCOLS_TENANT + LC__NCOLS_USER;
        u.password_hash = lc__col_str(st, col, arena, &rc);
        u.failed_logins = lc__col_i64(st, col + 1);
        u.locked_until = lc__col_i64(st, col + 2);
    }
    lc__done(st);
    if (rc == LC_OK) {
        *tenant = t;
        *out = u;
    }
    return rc;
}

/* Login events name the user as target. A failure has no actor (whoever typed the password is
 * not known to be the user); a success is the user's own act. */
int lc_store_login_failed(lc_store_t *s, int64_t tenant_id, int64_t user_id, int64_t now,
                          int64_t max_attempts, int64_t lock_s, const char *ip,
                          int64_t *locked_until) {
    lc__db_t db;
    lc__detail_t d;
    int64_t failed = 0, until = 0;
    if (s == NULL || max_attempts < 1 || lock_s < 0)
        return LC_EINVAL;
    lc_actor_t anonymous = {.tenant_id = tenant_id, .ip = ip};
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    db.now = now;
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(user_id)};
    rc = lc__exec_i64(&db, LC__Q_LOGIN_FAILED, key, LC__NARGS(key), &failed);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "attempt");
    lc_jw_i64(&d.w, failed);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, &anonymous, "login.failure", "user", user_id, detail);
    if (rc != LC_OK || failed < max_attempts)
        goto out;
    until = now + lock_s;
    lc__arg_t lock[] = {LC__INT(tenant_id), LC__INT(user_id), LC__INT(until)};
    rc = lc__exec(&db, LC__Q_LOGIN_LOCK, lock, LC__NARGS(lock), NULL);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "attempts");
    lc_jw_i64(&d.w, failed);
    lc_jw_key(&d.w, "locked_until");
    lc_jw_i64(&d.w, until);
    detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, &anonymous, "login.locked", "user", user_id, detail);
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK && locked_until != NULL)
        *locked_until = until;
    return rc;
}

int lc_store_login_succeeded(lc_store_t *s, int64_t tenant_id, int64_t user_id, int64_t now,
                             const char *ip) {
    lc__db_t db;
    int64_t got = 0;
    if (s == NULL)
        return LC_EINVAL;
    lc_actor_t self = {.tenant_id = tenant_id, .user_id = user_id, .ip = ip};
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    db.now = now;
    lc__arg_t args[] = {LC__INT(tenant_id), LC__INT(user_id), LC__INT(now)};
    rc = lc__exec_i64(&db, LC__Q_LOGIN_SUCCEEDED, args, LC__NARGS(args), &got);
    if (rc == LC_OK)
        rc = lc__audit(&db, &self, "login.success", "user", user_id, NULL);
out:
    return lc__db_end(&db, rc);
}

/* --- sessions -------------------------------------------------------------------------------- */

int lc_store_session_create(lc_store_t *s, int64_t tenant_id, int64_t user_id,
                            const uint8_t session_hash[32], const uint8_t csrf_hash[32],
                            int64_t now, int64_t expires_at, const char *ip,
                            const char *user_agent) {
    lc__db_t db;
    if (s == NULL || session_hash == NULL || csrf_hash == NULL)
        return LC_EINVAL;
    lc__arg_t row[] = {LC__INT(tenant_id),
                       LC__INT(user_id),
                       LC__BLOB(session_hash, 32),
                       LC__BLOB(csrf_hash, 32),
                       LC__INT(now),
                       LC__INT(expires_at),
                       LC__TEXT(ip),
                       LC__TEXT(user_agent)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec(&db, LC__Q_SESSION_INSERT, row, LC__NARGS(row), NULL);
    return rc;
}

int lc_store_session_get(lc_store_t *s, const uint8_t session_hash[32], lc_session_t *out) {
    lc__db_t db;
    lc__stmt_t *st = NULL;
    bool row = false;
    if (s == NULL || session_hash == NULL || out == NULL)
        return LC_EINVAL;
    lc__arg_t key[] = {LC__BLOB(session_hash, 32)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__query(&db, LC__Q_SESSION_GET, key, LC__NARGS(key), &st);
    if (rc == LC_OK)
        rc = lc__step(st, &row);
    if (rc == LC_OK && !row)
        rc = LC_ENOTFOUND;
    if (rc == LC_OK) {
        const void *csrf = NULL;
        size_t len = 0;
        rc = st->ops->col_blob(st, 3, &csrf, &len);
        if (rc == LC_OK && (csrf == NULL || len != 32))
            rc = LC_ESTORE; /* the schema's CHECK makes this impossible */
        if (rc == LC_OK) {
            lc_session_t v = {
                .id = lc__col_i64(st, 0),
                .tenant_id = lc__col_i64(st, 1),
                .user_id = lc__col_i64(st, 2),
                .created_at = lc__col_i64(st, 4),
                .last_seen_at = lc__col_i64(st, 5),
                .expires_at = lc__col_i64(st, 6),
            };
            memcpy(v.csrf_hash, csrf, 32);
            *out = v;
        }
    }
    lc__done(st);
    return rc;
}

int lc_store_session_touch(lc_store_t *s, int64_t session_id, int64_t now) {
    lc__db_t db;
    int64_t got = 0;
    if (s == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(session_id), LC__INT(now)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec_i64(&db, LC__Q_SESSION_TOUCH, args, LC__NARGS(args), &got);
    return rc;
}

int lc_store_session_delete(lc_store_t *s, const uint8_t session_hash[32]) {
    lc__db_t db;
    int64_t got = 0;
    if (s == NULL || session_hash == NULL)
        return LC_EINVAL;
    lc__arg_t key[] = {LC__BLOB(session_hash, 32)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec_i64(&db, LC__Q_SESSION_DELETE, key, LC__NARGS(key), &got);
    return rc;
}

int lc_store_sessions_expire(lc_store_t *s, int64_t now, int64_t *removed) {
    lc__db_t db;
    int64_t n = 0;
    if (s == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(now)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__exec(&db, LC__Q_SESSIONS_EXPIRE, args, LC__NARGS(args), &n);
    if (rc == LC_OK && removed != NULL)
        *removed = n;
    return rc;
}
