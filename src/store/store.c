/* SPDX-License-Identifier: MIT */
/* The store's backend-neutral front: picks the backend from the URL, checks the arguments every
 * backend would otherwise check alike, and dispatches through the backend's lc__store_ops_t.
 * Called at start-up (open, migrate) and by resolvers on the request path. */
#include "store_int.h"

#include <string.h>

#include "lectern/limits.h"
#include "lectern/log.h"
#include "lectern/str.h"

typedef struct backend {
    const char *scheme;
    const lc__store_ops_t *ops;
} backend_t;

static const backend_t backends[] = {
    {"sqlite", &lc__store_sqlite_ops},
    {"postgres", &lc__store_postgres_ops},
    {"postgresql", &lc__store_postgres_ops},
};

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"  (RFC 3986 §3.1). Returns the
 * scheme's length, or 0 when url does not start with one (then it is a plain path). */
static size_t scheme_len(const char *url) {
    size_t i = 0;
    if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
        return 0;
    for (i = 1; url[i] != '\0' && url[i] != ':'; i++) {
        char c = url[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 0;
    }
    return url[i] == ':' ? i : 0;
}

int lc_store_open(const char *url, bool create, lc_store_t **out) {
    const backend_t *be = &backends[0];
    const char *target = url;
    lc_store_t *s = NULL;
    int rc = LC_EINVAL;

    if (url == NULL || out == NULL)
        goto out;
    size_t n = scheme_len(url);
    if (n > 0) {
        lc_str_t scheme = lc_str_make(url, n);
        be = NULL;
        for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
            if (lc_str_eq_nocase(scheme, lc_str_from(backends[i].scheme))) {
                be = &backends[i];
                break;
            }
        }
        if (be == NULL) {
            /* Only the scheme: the rest of a URL may hold a password. */
            lc_log_rec_t r;
            lc_log_begin(&r, LC_LOG_ERROR, "store.open");
            lc_log_str(&r, "scheme", scheme);
            lc_log_cstr(&r, "msg",
                        "unknown store scheme; supported: sqlite:PATH, a file path, "
                        "postgres://... or postgresql://...");
            lc_log_end(&r);
            goto out;
        }
        target = url + n + 1;
    }
    if (target[0] == '\0') {
        lc_log_msg(LC_LOG_ERROR, "store.open", "store URL names no database");
        goto out;
    }
    rc = be->ops->open(url, target, create, &s);
    if (rc != LC_OK)
        goto out;
    atomic_init(&s->generation, 1);
    *out = s;
out:
    return rc;
}

void lc_store_close(lc_store_t *s) {
    if (s != NULL)
        s->ops->close(s);
}

const char *lc_store_backend(const lc_store_t *s) {
    return s->ops->name;
}

size_t lc__store_connections(lc_store_t *s) {
    return s->ops->connections(s);
}

/* Lengths in bytes, valid UTF-8, no control characters (they have no place in a name and
 * would make logs and CSV exports ambiguous). */
static bool text_ok(const char *s, size_t min, size_t max) {
    if (s == NULL)
        return false;
    size_t n = strnlen(s, max + 1);
    if (n < min || n > max || !lc_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

/* Tenant slug: a DNS label in lower case, [a-z0-9] at both ends, '-' inside. */
static bool slug_ok(const char *s) {
    if (!text_ok(s, 1, LC_LIMIT_TENANT_SLUG_MAX))
        return false;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !(c == '-' && i > 0 && i + 1 < n))
            return false;
    }
    return true;
}

/* Deliberately loose (RFC 5321 addresses are hard to validate and delivery proves them):
 * one '@' with something on both sides, no white space. */
static bool email_ok(const char *s) {
    if (!text_ok(s, 3, LC_LIMIT_EMAIL_MAX))
        return false;
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
        return false;
    return strchr(s, ' ') == NULL;
}

int lc_store_bootstrap_tenant(lc_store_t *s, const lc_store_bootstrap_t *b, int64_t *tenant_id,
                              int64_t *admin_user_id) {
    if (s == NULL || b == NULL || !slug_ok(b->tenant_slug) ||
        !text_ok(b->tenant_name, 1, LC_LIMIT_NAME_MAX) || !email_ok(b->admin_email) ||
        !text_ok(b->admin_name, 1, LC_LIMIT_NAME_MAX) || b->admin_password_hash == NULL ||
        strncmp(b->admin_password_hash, "$argon2id$", 10) != 0 ||
        !text_ok(b->admin_password_hash, 10, 255))
        return LC_EINVAL;
    return lc__tenant_bootstrap(s, b, tenant_id, admin_user_id);
}
