/* SPDX-License-Identifier: MIT */
/* Authentication and rate limiting: who is calling /api/graphql, with which permissions, and
 * whether they may call again now. The API layer calls this once per request, after routing and
 * before executing; docs/authentication.md explains the design.
 *
 * Request path (Bearer): Authorization header -> lc_auth_bearer_parse -> lc_token_check (a
 * malformed token never reaches storage) -> SHA-256 -> token cache (stamped with
 * lc_store_generation(), so that a change of roles, statuses or tokens is seen on the very next
 * request) -> on a miss lc_store_token_auth -> the principal with its effective permissions ->
 * lc_auth_rate_check. Console requests take lc_auth_session instead of lc_auth_bearer.
 *
 * Libraries: the parsers at the top (lc_auth_bearer_parse, lc_auth_cookie_get) and
 * lc_auth_rate_headers are in lc_auth (no store); everything that takes an lc_auth_t is in
 * lc_authn, which links lc_store.
 *
 * Threads: an lc_auth_t is shared by every worker thread; all functions taking one are
 * thread-safe. Secrets (tokens, passwords, session IDs, CSRF tokens) are never logged, never
 * kept in the clear and never copied into a failure message. */
#ifndef LECTERN_AUTH_H
#define LECTERN_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/arena.h"
#include "lectern/permission.h"
#include "lectern/status.h"
#include "lectern/store.h"
#include "lectern/str.h"

/* ==== Parsing credentials (lc_auth) ======================================================= */

/* The token of an Authorization header value (RFC 7235 credentials: auth-scheme 1*SP token68).
 * Lenient on white space (spaces and tabs around the value and between scheme and token),
 * strict on everything else: the scheme is "Bearer" in any case, and the token is the rest of
 * the value. LC_OK with *token (borrowed from `authorization`); LC_ENOTFOUND for an absent or
 * blank value; LC_EINVAL for another scheme, or "Bearer" without a token or with two words. */
int lc_auth_bearer_parse(lc_str_t authorization, lc_str_t *token) LC_MUST_CHECK;

/* The value of the first cookie called `name` in a Cookie header value ("a=1; b=2", RFC 6265
 * §4.2.1; quotes around a value are removed); {NULL, 0} when there is none. Borrowed. */
lc_str_t lc_auth_cookie_get(lc_str_t cookie_header, const char *name);

/* ==== The authenticator (lc_authn) ======================================================== */

typedef struct lc_auth lc_auth_t;

/* Defaults of lc_auth_options_t (docs/authentication.md). */
#define LC_AUTH_DEFAULT_RATE_LIMIT 100       /* requests per window and tenant */
#define LC_AUTH_DEFAULT_RATE_WINDOW_S 60     /* seconds */
#define LC_AUTH_DEFAULT_SESSION_IDLE_S 1800  /* 30 min without a request ends a session */
#define LC_AUTH_DEFAULT_SESSION_MAX_S 43200  /* 12 h after login, a session ends */
#define LC_AUTH_DEFAULT_LOCKOUT_ATTEMPTS 5   /* failed logins in a row ... */
#define LC_AUTH_DEFAULT_LOCKOUT_S 1800       /* ... lock the account this long */
#define LC_AUTH_DEFAULT_TOUCH_INTERVAL_S 60  /* last-used / last-seen writes, at most */
#define LC_AUTH_DEFAULT_CACHE_ENTRIES 4096   /* tokens kept in the cache */
#define LC_AUTH_DEFAULT_CACHE_TTL_MS 1000    /* re-read a cached token at least this often */
#define LC_AUTH_DEFAULT_RATE_ENTRIES 65536   /* tenants + tokens tracked by the rate limiter */
#define LC_AUTH_DEFAULT_LOCKOUT_ENTRIES 4096 /* unknown emails tracked by the lockout */

/* The clock: unix time in milliseconds. Tests inject one; NULL = CLOCK_REALTIME_COARSE. */
typedef int64_t (*lc_auth_clock_fn)(void *ctx);

typedef struct lc_auth_options {
    int64_t rate_limit;          /* per tenant and window when the tenant has no own; 0 = none */
    int64_t rate_window_s;       /* > 0 */
    int64_t token_rate_limit;    /* per token and window on top of the tenant's; 0 = none */
    int64_t token_rate_window_s; /* > 0 */
    int64_t session_idle_s;      /* > 0 */
    int64_t session_max_s;       /* > 0: absolute lifetime of a session */
    int64_t lockout_attempts;    /* > 0 */
    int64_t lockout_s;           /* > 0 */
    int64_t touch_interval_s;    /* >= 0; 0 writes last-used on every request */
    uint32_t cache_entries;      /* > 0; rounded up to a power of two */
    int64_t cache_ttl_ms;        /* >= 0: bounds how long another process's change (the CLI,
                                    another node) can go unseen; 0 = read the store every time */
    uint32_t rate_entries;       /* > 0 */
    uint32_t lockout_entries;    /* > 0 */
    lc_auth_clock_fn clock;      /* NULL = the real clock */
    void *clock_ctx;
} lc_auth_options_t;

/* Fills o with the LC_AUTH_DEFAULT_* values. */
void lc_auth_options_default(lc_auth_options_t *o);

/* Creates the authenticator over `store` (borrowed: it must outlive the authenticator).
 * lc_auth_init() must have been called. LC_EINVAL for an option out of its range (logged);
 * LC_ENOMEM. *out owned, written only on success: free with lc_auth_destroy once no thread
 * uses it. Allocates every cache and table here; nothing is allocated on a cache hit. */
int lc_auth_create(lc_store_t *store, const lc_auth_options_t *o, lc_auth_t **out) LC_MUST_CHECK;
/* NULL is a no-op. */
void lc_auth_destroy(lc_auth_t *a);

/* Who is calling, and what they may do right now. */
typedef struct lc_principal {
    int64_t tenant_id;
    int64_t user_id;    /* the token's creator, or the session's user */
    int64_t token_id;   /* 0 for a Console session */
    int64_t session_id; /* 0 for a token */
    lc_permset_t perms; /* effective: token: creator's live perms & subset; session: user's */
    /* The tenant's rate limit, server default applied (0 = unlimited); 0 for sessions, which
     * are not rate limited (docs/authentication.md). */
    int64_t rate_limit, rate_window_s;
} lc_principal_t;

/* Why authentication failed. Every reason has its own message (lc_auth_failure_t.message)
 * that a person can act on; none tells anything about another tenant. */
typedef enum lc_auth_reason {
    LC_AUTH_OK = 0,
    /* Bearer */
    LC_AUTH_MISSING,             /* no Authorization header */
    LC_AUTH_BAD_SCHEME,          /* not "Bearer <token>" */
    LC_AUTH_MALFORMED,           /* lc_token_check failed (prefix, length, chars, checksum) */
    LC_AUTH_UNKNOWN,             /* well-formed, but no such token */
    LC_AUTH_DEACTIVATED,         /* the token is deactivated */
    LC_AUTH_EXPIRED,             /* the token's expiry has passed */
    LC_AUTH_CREATOR_DEACTIVATED, /* the token's creator is deactivated */
    /* Console sessions */
    LC_AUTH_SESSION_MISSING,  /* no session cookie */
    LC_AUTH_SESSION_UNKNOWN,  /* no such session (logged out, ended, or a forged cookie) */
    LC_AUTH_SESSION_IDLE,     /* no request for session_idle_s */
    LC_AUTH_SESSION_EXPIRED,  /* session_max_s after login */
    LC_AUTH_CSRF_MISSING,     /* a state-changing request without the CSRF header */
    LC_AUTH_CSRF_MISMATCH,    /* ... with a CSRF header that is not the session's */
    LC_AUTH_USER_DEACTIVATED, /* the session's (or the login's) user is deactivated */
    /* Console login */
    LC_AUTH_BAD_CREDENTIALS, /* unknown tenant, unknown email or wrong password: one reason */
    LC_AUTH_LOCKED,          /* too many failed attempts in a row */
} lc_auth_reason_t;

/* "token_expired", ... (static), for logs and metrics labels. */
const char *lc_auth_reason_name(lc_auth_reason_t r);

#define LC_AUTH_MESSAGE_MAX 160

typedef struct lc_auth_failure {
    lc_auth_reason_t reason;
    int64_t tenant_id; /* when known and safe to log, else 0 (never sent to the client) */
    int64_t token_id;  /* likewise */
    char message[LC_AUTH_MESSAGE_MAX]; /* for the 401's GraphQL error; NUL-terminated */
} lc_auth_failure_t;

/* Authenticates an /api/graphql request by its Authorization header value (borrowed; {NULL,0}
 * when absent). `ip` (borrowed, may be NULL) is recorded as the token's last-used address,
 * at most once per touch_interval_s a token.
 * LC_OK: *out is the principal. LC_EDENIED: *fail says why (answer 401, WWW-Authenticate:
 * Bearer); the failure is logged ("auth.failure": reason, tenant and token id, never the
 * token). LC_ESTORE, LC_EBUSY, LC_ENOMEM: the store could not answer (answer 503/500; *fail
 * is untouched). *out is written only on LC_OK, *fail only on LC_EDENIED.
 * On a cache hit: no allocation, no store query (only lc_store_generation's atomic load), no
 * lock. */
int lc_auth_bearer(lc_auth_t *a, lc_str_t authorization, const char *ip, lc_principal_t *out,
                   lc_auth_failure_t *fail) LC_MUST_CHECK;

/* ---- Console sessions ---- */

/* The session cookie (HttpOnly) and the CSRF cookie (readable by the Console's script, which
 * sends its value back in the CSRF header on state-changing requests). */
#define LC_AUTH_SESSION_COOKIE "lectern_session"
#define LC_AUTH_CSRF_COOKIE "lectern_csrf"
#define LC_AUTH_CSRF_HEADER "X-CSRF-Token"
/* Session IDs and CSRF tokens: 32 random bytes, base64url without padding. */
#define LC_AUTH_SECRET_BYTES 32
#define LC_AUTH_SECRET_LEN 43

typedef struct lc_auth_login_req {
    const char *tenant_slug; /* borrowed, NUL-terminated */
    const char *email;       /* borrowed, NUL-terminated */
    const char *password;    /* borrowed; the caller wipes it */
    size_t password_len;
    const char *ip;         /* borrowed, may be NULL */
    const char *user_agent; /* borrowed, may be NULL; truncated to 512 bytes when stored */
} lc_auth_login_req_t;

typedef struct lc_auth_login_result {
    char session[LC_AUTH_SECRET_LEN + 1]; /* the session cookie's value: a secret */
    char csrf[LC_AUTH_SECRET_LEN + 1];    /* the CSRF token: a secret */
    int64_t tenant_id, user_id;
    int64_t expires_at; /* unix seconds: the absolute end of the session */
    int64_t max_age_s;  /* for the cookies' Max-Age */
} lc_auth_login_result_t;

/* Console login: argon2id verification (tens of milliseconds by design; a dummy verification
 * of the same cost for an unknown tenant or email), the lockout (lockout_attempts failures in
 * a row lock the account for lockout_s; unknown emails are locked alike so that the answers do
 * not tell which emails exist), then a new session. LC_OK: *out holds the two secrets, shown
 * once: the caller puts them in cookies and wipes *out with sodium_memzero. LC_EDENIED: *fail
 * is LC_AUTH_BAD_CREDENTIALS, LC_AUTH_LOCKED or LC_AUTH_USER_DEACTIVATED (the last only after
 * a correct password). LC_EINVAL for a NULL field or a password longer than
 * LC_LIMIT_PASSWORD_MAX; LC_ESTORE, LC_EBUSY, LC_ENOMEM. */
int lc_auth_login(lc_auth_t *a, const lc_auth_login_req_t *req, lc_auth_login_result_t *out,
                  lc_auth_failure_t *fail) LC_MUST_CHECK;

/* Authenticates a Console request by its session cookie value and CSRF header value (both
 * borrowed; {NULL,0} when absent). State-changing requests (every POST: the API layer decides)
 * need the CSRF header. Expired and idle sessions are deleted. last_seen is written at most
 * once per touch_interval_s. Same returns as lc_auth_bearer; *fail's reasons are the session
 * ones. The user's permissions are read live on every request. */
int lc_auth_session(lc_auth_t *a, lc_str_t session_cookie, lc_str_t csrf_header,
                    bool state_changing, lc_principal_t *out,
                    lc_auth_failure_t *fail) LC_MUST_CHECK;

/* Ends the session of this cookie value. LC_OK also when there was none (or the value is not
 * a session ID); LC_ESTORE, LC_EBUSY. */
int lc_auth_logout(lc_auth_t *a, lc_str_t session_cookie) LC_MUST_CHECK;

/* A Set-Cookie value for the session cookie (HttpOnly) or the CSRF cookie (readable by
 * script): Path=/, SameSite=Lax, Secure when `secure` (behind TLS), Max-Age. value NULL
 * clears the cookie (Max-Age=0). Arena; NULL when out of memory. */
char *lc_auth_set_cookie(lc_arena_t *arena, const char *name, const char *value, int64_t max_age_s,
                         bool secure);

/* ---- Rate limits ---- */

typedef struct lc_rate_policy {
    const char *name;  /* "tenant" or "token" (static) */
    int64_t quota;     /* requests per window */
    int64_t window_s;  /* window length */
    int64_t remaining; /* requests left in the current window after this one */
    int64_t reset_s;   /* seconds until the current window ends (>= 1) */
} lc_rate_policy_t;

typedef struct lc_rate_result {
    bool allowed;
    uint32_t n; /* policies that apply (0: unlimited, send no header) */
    lc_rate_policy_t policy[2];
    int64_t retry_after_s; /* when !allowed: until the denying window ends */
} lc_rate_result_t;

/* Counts one request of p against its tenant's limit and, when token_rate_limit is set and p
 * is a token, against the token's. Fixed windows aligned on multiples of the window length
 * (docs/authentication.md). A request refused by one limit is not counted by the other.
 * Always writes *out. No allocation, no store call. */
void lc_auth_rate_check(lc_auth_t *a, const lc_principal_t *p, lc_rate_result_t *out);

/* Header values for r (draft-ietf-httpapi-ratelimit-headers): RateLimit-Policy
 * ('"tenant";q=100;w=60'), RateLimit ('"tenant";r=42;t=30') and, when !r->allowed,
 * Retry-After ('30'). Each is an arena string, or NULL when it is not to be sent (no policy,
 * or allowed for Retry-After). LC_OK; LC_ENOMEM (outputs untouched). */
typedef struct lc_rate_headers {
    const char *policy;
    const char *ratelimit;
    const char *retry_after;
} lc_rate_headers_t;
int lc_auth_rate_headers(const lc_rate_result_t *r, lc_arena_t *arena,
                         lc_rate_headers_t *out) LC_MUST_CHECK;

/* ---- Observability ---- */

/* Counters since creation (for /metrics and tests). Only the slow paths count: a cache hit
 * writes no shared counter. */
/* Rate limits across the nodes of a cluster (rate_share.c): a thread that every interval_ms
 * (10..60000) adds this node's counts to counters in `store` and learns the other nodes', so a
 * tenant's limit holds for the whole cluster; it overshoots by at most what the nodes let
 * through between two syncs (docs/deploy.md). a and store are borrowed and must outlive it.
 * LC_EINVAL, LC_ENOMEM. *out owned: lc_rate_share_stop (a last sync, then the thread ends). */
#define LC_RATE_SHARE_INTERVAL_MS 100
typedef struct lc_rate_share lc_rate_share_t;
int lc_rate_share_start(lc_auth_t *a, lc_store_t *store, int64_t interval_ms,
                        lc_rate_share_t **out) LC_MUST_CHECK;
/* NULL is a no-op. */
void lc_rate_share_stop(lc_rate_share_t *rs);

typedef struct lc_auth_stats {
    uint64_t token_reads;     /* lc_store_token_auth calls (cache misses and stale entries) */
    uint64_t token_touches;   /* lc_store_token_touch calls */
    uint64_t session_reads;   /* lc_store_session_get calls */
    uint64_t session_touches; /* lc_store_session_touch calls */
    uint64_t failures;        /* LC_EDENIED answers of bearer, session and login */
    uint64_t rate_denied;     /* requests refused by a rate limit */
    uint64_t rate_overflow;   /* requests let through because the rate table was full */
} lc_auth_stats_t;
void lc_auth_stats(lc_auth_t *a, lc_auth_stats_t *out);

#endif
