/* SPDX-License-Identifier: MIT */
/* /api/graphql and the Console session endpoints: where an HTTP request becomes an
 * lc_api_ctx_t. Credentials are checked before the query is parsed (a bad token is refused
 * before any GraphQL work); an operation that only introspects may run without any. */
#include "lectern/api_http.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "lectern/alloc.h"
#include "lectern/graphql_http.h"
#include "lectern/json.h"
#include "lectern/log.h"

struct lc_api_http {
    lc_api_http_options_t o;
    lc_gql_http_t *gql;
};

/* ---- Answers ------------------------------------------------------------------------------ */

/* {"errors":[{"message":..,"extensions":{"code":..[,"reason":..]}}]} */
static int graphql_error(lc_http_resp_t *resp, const char *content_type, int status,
                         const char *code, const char *reason, const char *message) {
    resp->status = status;
    resp->content_type = content_type;
    lc_buf_clear(&resp->body);
    lc_jw_t w;
    lc_jw_init(&w, &resp->body);
    lc_jw_obj_begin(&w);
    lc_jw_key(&w, "errors");
    lc_jw_arr_begin(&w);
    lc_jw_obj_begin(&w);
    lc_jw_key(&w, "message");
    lc_jw_cstr(&w, message);
    lc_jw_key(&w, "extensions");
    lc_jw_obj_begin(&w);
    lc_jw_key(&w, "code");
    lc_jw_cstr(&w, code);
    if (reason) {
        lc_jw_key(&w, "reason");
        lc_jw_cstr(&w, reason);
    }
    lc_jw_obj_end(&w);
    lc_jw_obj_end(&w);
    lc_jw_arr_end(&w);
    lc_jw_obj_end(&w);
    return lc_jw_finish(&w);
}

/* 401 with WWW-Authenticate (RFC 6750 §3): error="invalid_token" when credentials were sent. */
static int unauthenticated(lc_http_resp_t *resp, const char *content_type, bool sent_token,
                           const char *reason, const char *message) {
    int rc = graphql_error(resp, content_type, 401, "UNAUTHENTICATED", reason, message);
    if (rc == LC_OK)
        rc = lc_http_resp_header(resp, "WWW-Authenticate",
                                 sent_token ? "Bearer realm=\"lectern\", error=\"invalid_token\""
                                            : "Bearer realm=\"lectern\"");
    return rc != LC_OK ? rc : LC_EDENIED;
}

/* 503 with Retry-After: credentials could not be checked. A store that cannot be reached says
 * so itself (logged once by the store, not once per request). */
static int unavailable(lc_http_resp_t *resp, const char *content_type, int rc) {
    if (rc != LC_EUNAVAILABLE)
        lc_log_msg(LC_LOG_ERROR, "api.auth", "authentication could not reach the store: %s",
                   lc_status_name(rc));
    int wrc = graphql_error(resp, content_type, 503, "UNAVAILABLE", NULL,
                            rc == LC_EUNAVAILABLE
                                ? LC_API_STORE_UNAVAILABLE_MSG
                                : "The service cannot check credentials right now; retry shortly.");
    if (wrc == LC_OK)
        wrc = lc_http_resp_header(resp, "Retry-After", LC_API_RETRY_AFTER_S);
    return wrc != LC_OK ? wrc : LC_EBUSY;
}

/* ---- /api/graphql hooks ------------------------------------------------------------------- */

static bool forwarded_https(const lc_http_req_t *req) {
    return lc_str_eq_nocase(lc_http_req_header(req, "X-Forwarded-Proto"), LC_STR("https"));
}

static lc_str_t session_cookie(const lc_http_req_t *req) {
    lc_str_t cookies = lc_http_req_header(req, "Cookie");
    return cookies.ptr ? lc_auth_cookie_get(cookies, LC_AUTH_SESSION_COOKIE) : LC_STR_NULL;
}

/* Rate limits of a token request: the RateLimit headers on every answer, 429 past the limit. */
static int rate_limit(lc_api_http_t *h, lc_http_req_t *req, lc_http_resp_t *resp,
                      const char *content_type, const lc_principal_t *p) {
    lc_rate_result_t r;
    lc_auth_rate_check(h->o.auth, p, &r);
    lc_rate_headers_t hv = {0};
    if (lc_auth_rate_headers(&r, req->arena, &hv) != LC_OK)
        return LC_ENOMEM;
    if (hv.policy && (lc_http_resp_header(resp, "RateLimit-Policy", hv.policy) != LC_OK ||
                      lc_http_resp_header(resp, "RateLimit", hv.ratelimit) != LC_OK))
        return LC_ENOMEM;
    if (r.allowed)
        return LC_OK;
    char msg[200];
    const lc_rate_policy_t *pol = &r.policy[0];
    for (uint32_t i = 0; i < r.n; i++)
        if (r.policy[i].remaining <= 0)
            pol = &r.policy[i];
    snprintf(msg, sizeof msg,
             "Rate limit exceeded: %lld requests per %lld s for this %s. Retry in %lld s.",
             (long long)pol->quota, (long long)pol->window_s, pol->name,
             (long long)r.retry_after_s);
    int rc = graphql_error(resp, content_type, 429, "RATE_LIMITED", NULL, msg);
    if (rc == LC_OK && hv.retry_after)
        rc = lc_http_resp_header(resp, "Retry-After", hv.retry_after);
    return rc != LC_OK ? rc : LC_ELIMIT;
}

/* Before parsing: Bearer token or Console session; none is decided by admit(). */
static int authenticate(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp,
                        const lc_gql_http_op_t *op, void **context) {
    lc_api_http_t *h = ctx;
    lc_str_t authz = lc_http_req_header(req, "Authorization");
    lc_str_t session = session_cookie(req);
    lc_principal_t p;
    lc_auth_failure_t fail;
    int rc;
    if (authz.ptr)
        rc = lc_auth_bearer(h->o.auth, authz, req->client_ip, &p, &fail);
    else if (session.ptr)
        rc = lc_auth_session(h->o.auth, session, lc_http_req_header(req, LC_AUTH_CSRF_HEADER),
                             req->method == LC_HTTP_POST, &p, &fail);
    else
        return LC_OK;
    if (rc == LC_EDENIED &&
        (fail.reason == LC_AUTH_CSRF_MISSING || fail.reason == LC_AUTH_CSRF_MISMATCH)) {
        /* The session is fine; the request is not one its page made: forbidden, not a
         * credentials problem (no Bearer challenge). */
        rc = graphql_error(resp, op->content_type, 403, "FORBIDDEN",
                           lc_auth_reason_name(fail.reason), fail.message);
        return rc != LC_OK ? rc : LC_EDENIED;
    }
    if (rc == LC_EDENIED)
        return unauthenticated(resp, op->content_type, authz.ptr != NULL,
                               lc_auth_reason_name(fail.reason), fail.message);
    if (rc != LC_OK)
        return unavailable(resp, op->content_type, rc);
    if (p.token_id && (rc = rate_limit(h, req, resp, op->content_type, &p)) != LC_OK)
        return rc;

    lc_api_ctx_t *c = lc_arena_calloc(req->arena, 1, sizeof *c);
    if (!c)
        return LC_ENOMEM;
    c->store = h->o.store;
    c->tenant_id = p.tenant_id;
    c->user_id = p.user_id;
    c->token_id = p.token_id;
    c->perms = p.perms;
    c->ip = req->client_ip;
    c->now = (int64_t)time(NULL);
    *context = c;
    return LC_OK;
}

/* After parsing: without credentials, only introspection runs (PRODUCT.md). */
static int admit(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp, const lc_gql_http_op_t *op,
                 void **context) {
    (void)ctx;
    (void)req;
    if (*context || op->introspection_only)
        return LC_OK;
    return unauthenticated(resp, op->content_type, false, "missing",
                           "Authentication required: send `Authorization: Bearer <developer "
                           "token>`. Only introspection (__schema, __type, __typename) works "
                           "without one.");
}

/* After execution: a resolver that found the store unavailable makes the whole answer a 503
 * with Retry-After and one UNAVAILABLE error, as when authentication finds it so. No partial
 * data: the client retries the request as a whole, as after any request lost in transit. */
static int done(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp, void *context) {
    (void)ctx;
    (void)req;
    const lc_api_ctx_t *c = context;
    if (c == NULL || !c->store_unavailable)
        return LC_OK;
    int rc = graphql_error(resp, resp->content_type, 503, "UNAVAILABLE", NULL,
                           LC_API_STORE_UNAVAILABLE_MSG);
    return rc != LC_OK ? rc : lc_http_resp_header(resp, "Retry-After", LC_API_RETRY_AFTER_S);
}

/* ---- /console/login, /console/logout, /console/session ------------------------------------ */

#define JSON_CT "application/json; charset=utf-8"

/* {"error":{"code":..,"message":..}} */
static int console_error(lc_http_resp_t *resp, int status, const char *code, const char *msg) {
    lc_http_resp_error(resp, status, code, msg);
    resp->content_type = JSON_CT;
    return LC_OK;
}

/* 503 UNAVAILABLE with Retry-After, after a failure of the store (rc): `msg` unless the store
 * could not be reached at all. */
static int console_unavailable(lc_http_resp_t *resp, int rc, const char *msg) {
    console_error(resp, 503, "UNAVAILABLE",
                  rc == LC_EUNAVAILABLE ? LC_API_STORE_UNAVAILABLE_MSG : msg);
    return lc_http_resp_header(resp, "Retry-After", LC_API_RETRY_AFTER_S);
}

static int set_cookies(lc_api_http_t *h, lc_http_req_t *req, lc_http_resp_t *resp,
                       const char *session, const char *csrf, int64_t max_age) {
    bool secure = h->o.secure_cookies || forwarded_https(req);
    char *a = lc_auth_set_cookie(req->arena, LC_AUTH_SESSION_COOKIE, session, max_age, secure);
    char *b = lc_auth_set_cookie(req->arena, LC_AUTH_CSRF_COOKIE, csrf, max_age, secure);
    if (!a || !b)
        return LC_ENOMEM;
    if (lc_http_resp_header(resp, "Set-Cookie", a) != LC_OK ||
        lc_http_resp_header(resp, "Set-Cookie", b) != LC_OK)
        return LC_ENOMEM;
    return lc_http_resp_header(resp, "Cache-Control", "no-store");
}

static void wipe_json_string(json_t *s) {
    if (json_is_string(s))
        sodium_memzero((char *)json_string_value(s), json_string_length(s));
}

/* POST /console/login {"tenant","email","password"}: a session cookie, a CSRF cookie and the
 * CSRF token in the body. The password is wiped from the request's memory once verified. */
static int login(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    lc_api_http_t *h = ctx;
    /* JSON only: a cross-site HTML form cannot send it without a CORS preflight, so no other
     * site can log a browser into an account of its choosing (login CSRF). */
    lc_str_t ct = lc_http_req_header(req, "Content-Type");
    if (!lc_str_starts_with(ct, LC_STR("application/json"))) {
        sodium_memzero((char *)req->body.ptr, req->body.len);
        return console_error(resp, 415, "UNSUPPORTED_MEDIA_TYPE",
                             "Send the login as application/json.");
    }
    json_error_t jerr;
    json_t *root = json_loadb(req->body.ptr, req->body.len, JSON_REJECT_DUPLICATES, &jerr);
    sodium_memzero((char *)req->body.ptr, req->body.len);
    json_t *tenant = json_object_get(root, "tenant"), *email = json_object_get(root, "email"),
           *password = json_object_get(root, "password");
    int rc = LC_OK;
    if (!json_is_object(root) || !json_is_string(tenant) || !json_is_string(email) ||
        !json_is_string(password)) {
        rc = console_error(resp, 400, "BAD_REQUEST",
                           "Send a JSON object with the strings \"tenant\", \"email\" and "
                           "\"password\".");
        goto out;
    }
    lc_auth_login_req_t lr = {
        .tenant_slug = json_string_value(tenant),
        .email = json_string_value(email),
        .password = json_string_value(password),
        .password_len = json_string_length(password),
        .ip = req->client_ip,
        .user_agent = NULL,
    };
    lc_str_t ua = lc_http_req_header(req, "User-Agent");
    if (ua.ptr)
        lr.user_agent = lc_arena_strndup(req->arena, ua.ptr, ua.len > 512 ? 512 : ua.len);
    lc_auth_login_result_t res;
    lc_auth_failure_t fail;
    int lrc = lc_auth_login(h->o.auth, &lr, &res, &fail);
    wipe_json_string(password);
    if (lrc == LC_EDENIED) {
        const char *code = fail.reason == LC_AUTH_LOCKED             ? "LOCKED"
                           : fail.reason == LC_AUTH_USER_DEACTIVATED ? "USER_DEACTIVATED"
                                                                     : "INVALID_CREDENTIALS";
        rc = console_error(resp, 401, code, fail.message);
        goto out;
    }
    if (lrc == LC_EINVAL) {
        rc = console_error(resp, 400, "BAD_REQUEST", "The password is too long.");
        goto out;
    }
    if (lrc != LC_OK) {
        rc = console_unavailable(resp, lrc, "The service cannot log you in right now.");
        goto out;
    }
    rc = set_cookies(h, req, resp, res.session, res.csrf, res.max_age_s);
    if (rc == LC_OK) {
        lc_jw_t w;
        lc_jw_init(&w, &resp->body);
        lc_jw_obj_begin(&w);
        lc_jw_key(&w, "csrfToken");
        lc_jw_cstr(&w, res.csrf);
        lc_jw_key(&w, "expiresAt");
        lc_jw_i64(&w, res.expires_at);
        lc_jw_obj_end(&w);
        rc = lc_jw_finish(&w);
        resp->content_type = JSON_CT;
    }
    sodium_memzero(&res, sizeof res);
out:
    json_decref(root);
    return rc;
}

/* POST /console/logout: ends the session (the CSRF header is required, as on every
 * state-changing request with the cookie) and clears both cookies. */
static int logout(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    lc_api_http_t *h = ctx;
    lc_str_t session = session_cookie(req);
    if (session.ptr) {
        lc_principal_t p;
        lc_auth_failure_t fail;
        int rc = lc_auth_session(h->o.auth, session, lc_http_req_header(req, LC_AUTH_CSRF_HEADER),
                                 true, &p, &fail);
        if (rc == LC_EDENIED &&
            (fail.reason == LC_AUTH_CSRF_MISSING || fail.reason == LC_AUTH_CSRF_MISMATCH))
            return console_error(resp, 403, "CSRF", fail.message);
        if (rc == LC_OK && (rc = lc_auth_logout(h->o.auth, session)) != LC_OK)
            return console_unavailable(resp, rc, "The session could not be ended.");
    }
    int rc = set_cookies(h, req, resp, NULL, NULL, 0);
    if (rc == LC_OK)
        rc = lc_buf_append_cstr(&resp->body, "{\"ok\":true}");
    resp->content_type = JSON_CT;
    return rc;
}

/* GET /console/session: whether the cookie is a live session (the Console's first call). */
static int session_info(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    lc_api_http_t *h = ctx;
    lc_principal_t p;
    lc_auth_failure_t fail;
    int rc = lc_auth_session(h->o.auth, session_cookie(req), LC_STR_NULL, false, &p, &fail);
    if (rc == LC_EDENIED)
        return console_error(resp, 401, "UNAUTHENTICATED", fail.message);
    if (rc != LC_OK)
        return console_unavailable(resp, rc, "The session cannot be checked now.");
    resp->content_type = JSON_CT;
    lc_http_resp_header(resp, "Cache-Control", "no-store");
    return lc_buf_append_cstr(&resp->body, "{\"authenticated\":true}");
}

/* ---- Lifecycle ------------------------------------------------------------------------------ */

int lc_api_http_create(const lc_api_http_options_t *o, lc_api_http_t **out) {
    if (!o || !o->store || !o->api || !o->auth)
        return LC_EINVAL;
    lc_api_http_t *h = lc_calloc(1, sizeof *h);
    if (!h)
        return LC_ENOMEM;
    h->o = *o;
    lc_gql_http_options_t go = {
        .schema = lc_api_schema(o->api),
        .limits = o->limits,
        .authenticate = authenticate,
        .admit = admit,
        .done = done,
        .admit_ctx = h,
    };
    int rc = lc_gql_http_create(&go, &h->gql);
    if (rc != LC_OK) {
        lc_free(h);
        return rc;
    }
    *out = h;
    return LC_OK;
}

void lc_api_http_destroy(lc_api_http_t *h) {
    if (!h)
        return;
    lc_gql_http_destroy(h->gql);
    lc_free(h);
}

size_t lc_api_http_routes(lc_api_http_t *h, lc_http_route_t *routes, size_t max) {
    const lc_http_route_t all[] = {
        {"/api/graphql", LC_HTTP_GET | LC_HTTP_POST, lc_gql_http_handle, h->gql},
        {"/console/login", LC_HTTP_POST, login, h},
        {"/console/logout", LC_HTTP_POST, logout, h},
        {"/console/session", LC_HTTP_GET, session_info, h},
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n && i < max; i++)
        routes[i] = all[i];
    return n;
}
