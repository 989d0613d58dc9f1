/* SPDX-License-Identifier: MIT */
/* `lectern serve`: opens the store (migrating it), serves HTTP until SIGTERM/SIGINT, then shuts
 * down gracefully: stop accepting, let in-flight requests finish, close the store. The serving
 * itself, with every route, is lc__cli_serve: `lectern demo` serves through it too. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_int.h"
#include "lectern/api.h"
#include "lectern/api_http.h"
#include "lectern/auth.h"
#include "lectern/http.h"
#include "lectern/http_static.h"
#include "lectern/log.h"
#include "lectern/password.h"

/* GET /healthz: the process is up and serving HTTP. */
static int healthz(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    (void)req;
    return lc_buf_append_cstr(&resp->body, "{\"status\":\"ok\"}");
}

/* GET /readyz: the store answers and its schema is current; 503 otherwise, so that a load
 * balancer sends no traffic to a node that cannot serve it. */
static int readyz(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)req;
    int rc = lc_store_ping(ctx);
    if (rc == LC_OK)
        return lc_buf_append_cstr(&resp->body, "{\"status\":\"ready\"}");
    resp->status = 503;
    lc_jw_t w;
    lc_jw_init(&w, &resp->body);
    lc_jw_obj_begin(&w);
    lc_jw_key(&w, "status");
    lc_jw_cstr(&w, "not ready");
    lc_jw_key(&w, "reason");
    lc_jw_cstr(&w, rc == LC_EVERSION ? "schema version mismatch" : "store unavailable");
    lc_jw_obj_end(&w);
    /* An outage passes (the store reconnects by itself); a schema mismatch does not. */
    if (rc != LC_EVERSION && lc_http_resp_header(resp, "Retry-After", "1") != LC_OK)
        return LC_ENOMEM;
    return lc_jw_finish(&w);
}

/* The Console's assets (src/console/, embedded by lc_console). */
extern const lc_embed_file_t lc_console_assets[];

/* Every Console page and asset carries these (docs/console.md): its scripts and styles come only
 * from /console/static/, nothing inline, nothing framed, no referrer leaves the site. */
static const lc_http_header_t console_headers[] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

/* GET /console: the app lives under /console/ (relative URLs and the cookie path agree). */
static int console_root(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    (void)req;
    lc_http_resp_error(resp, 308, "MOVED", "the Console is at /console/");
    return lc_http_resp_header(resp, "Location", "/console/");
}

/* The one place that knows lectern's routes: health, readiness, /api/graphql and the Console's
 * session endpoints, over one authenticator and one API. */
int lc__cli_serve(lc_cli_t *cli, lc_store_t *store, lc__cli_listening_fn on_listening, void *ctx) {
    const lc_config_t *c = &cli->config;
    lc_http_server_t *server = NULL;
    lc_http_server_t *metrics_server = NULL;
    lc__cli_metrics_t metrics = {.store = store, .start_s = (int64_t)time(NULL)};
    lc_auth_t *auth = NULL;
    lc_api_t *api = NULL;
    lc_api_http_t *endpoints = NULL;
    lc_http_static_t *console = NULL;
    lc_rate_share_t *rate_share = NULL;
    int rc = LC_EXIT_FAIL;

    lc_auth_options_t ao;
    lc_auth_options_default(&ao);
    ao.rate_limit = c->rate_limit;
    ao.rate_window_s = c->rate_window_s;
    ao.token_rate_limit = c->token_rate_limit;
    ao.token_rate_window_s = c->rate_window_s;
    ao.session_idle_s = c->session_idle_s;
    ao.session_max_s = c->session_max_s;
    if (lc_auth_init() != LC_OK || lc_auth_create(store, &ao, &auth) != LC_OK) {
        fprintf(stderr, "lectern: cannot start the authenticator (details in the log above)\n");
        goto out;
    }
    /* Only a shared store has other nodes whose requests count against the same limits. */
    if (strcmp(lc_store_backend(store), "postgres") == 0 &&
        lc_rate_share_start(auth, store, LC_RATE_SHARE_INTERVAL_MS, &rate_share) != LC_OK) {
        fprintf(stderr, "lectern: cannot start sharing rate limits (out of memory)\n");
        goto out;
    }
    if (lc_api_create(&api) != LC_OK) {
        fprintf(stderr, "lectern: the API schema does not load (details in the log above)\n");
        goto out;
    }
    lc_api_http_options_t eo = {
        .store = store, .api = api, .auth = auth, .secure_cookies = c->secure_cookies};
    if (lc_api_http_create(&eo, &endpoints) != LC_OK) {
        fprintf(stderr, "lectern: out of memory\n");
        goto out;
    }

    lc_http_static_options_t so = {.files = lc_console_assets,
                                   .prefix = "/console/static/",
                                   .fallback = "index.html",
                                   .headers = console_headers,
                                   .nheaders = sizeof console_headers / sizeof console_headers[0]};
    if (lc_http_static_create(&so, &console) != LC_OK) {
        fprintf(stderr, "lectern: the Console's assets do not load (details in the log above)\n");
        goto out;
    }

    lc_http_options_t o;
    lc_http_options_default(&o);
    o.host = c->listen_host;
    o.port = c->listen_port;
    o.threads = (unsigned)c->threads;
    o.max_body_bytes = (size_t)c->max_body_bytes;
    o.max_header_bytes = (size_t)c->max_header_bytes;
    o.conn_timeout_s = (unsigned)c->conn_timeout_s;
    o.max_connections = (unsigned)c->max_connections;
    o.shutdown_timeout_s = (unsigned)c->shutdown_timeout_s;
    o.access_log = c->access_log;
    lc_cidr_list_t proxies;
    char why[200];
    if (lc_cidr_list_parse(lc_str_from(c->trusted_proxies), &proxies, why, sizeof why) != LC_OK) {
        /* The configuration checked it already; only a changed rule could get here. */
        fprintf(stderr, "lectern: trusted_proxies: %s\n", why);
        goto out;
    }
    o.trusted_proxies = &proxies;
    /* The Console's pages are one document (index.html) routed in the browser: every GET under
     * /console/ that is not an endpoint or a file of /console/static/ answers it, and so does
     * GET /console/login (whose POST is the login endpoint). */
    lc_http_route_t routes[12] = {
        {"/healthz", LC_HTTP_GET | LC_HTTP_HEAD, healthz, NULL},
        {"/readyz", LC_HTTP_GET | LC_HTTP_HEAD, readyz, store},
        {"/console", LC_HTTP_GET | LC_HTTP_HEAD, console_root, NULL},
        {"/console/*", LC_HTTP_GET | LC_HTTP_HEAD, lc_http_static_handle, console},
        {"/console/login", LC_HTTP_GET | LC_HTTP_HEAD, lc_http_static_handle, console},
    };
    size_t n = 5 + lc_api_http_routes(endpoints, routes + 5, 7);
    if (lc_http_server_create(&o, routes, n, &server) != LC_OK) {
        fprintf(stderr, "lectern: cannot serve on %s (details in the log above)\n", c->listen);
        goto out;
    }
    if (c->metrics_host[0] != '\0') {
        /* Its own listener, one thread, no access log: a scrape is not API traffic. */
        lc_http_options_t mo = o;
        mo.host = c->metrics_host;
        mo.port = c->metrics_port;
        mo.threads = 1;
        mo.max_connections = 16;
        mo.access_log = false;
        mo.trusted_proxies = NULL;
        metrics.api = server;
        metrics.auth = auth;
        lc_http_route_t mroutes[] = {
            {"/metrics", LC_HTTP_GET | LC_HTTP_HEAD, lc__cli_metrics, &metrics}};
        if (lc_http_server_create(&mo, mroutes, 1, &metrics_server) != LC_OK) {
            fprintf(stderr, "lectern: cannot serve metrics on %s (details in the log above)\n",
                    c->metrics_listen);
            goto out;
        }
    }
    if (on_listening)
        on_listening(ctx, c->listen_host, lc_http_server_port(server));
    lc_http_wait_for_shutdown_signal(); /* logs http.signal */
    rc = LC_EXIT_OK;
out:
    /* The servers first: no request may be running when what it uses goes away. */
    lc_http_server_destroy(metrics_server);
    lc_http_server_destroy(server);
    lc_api_http_destroy(endpoints);
    lc_http_static_destroy(console);
    lc_rate_share_stop(rate_share);
    lc_api_destroy(api);
    lc_auth_destroy(auth);
    return rc;
}

static int run(lc_cli_t *cli) {
    const lc_config_t *c = &cli->config;
    if (lc__cli_flag(cli, "print-config")) {
        lc_config_print(c, stdout);
        return LC_EXIT_OK;
    }
    lc_store_t *store = NULL;
    int rc = lc__cli_open_store(c, false, &store);
    if (rc != LC_EXIT_OK)
        return rc;
    rc = lc__cli_migrate(store);
    if (rc == LC_EXIT_OK)
        rc = lc__cli_serve(cli, store, NULL, NULL);
    lc_store_close(store);
    if (rc == LC_EXIT_OK)
        lc_log_msg(LC_LOG_INFO, "server.stopped", "lectern stopped");
    return rc;
}

static const lc_cli_opt_t opts[] = {
    {"print-config", NULL, "print the effective configuration (secrets masked) and exit"},
    {NULL, NULL, NULL},
};

const lc_cli_cmd_t lc__cmd_serve = {
    .name = "serve",
    .summary = "serve the API and the Console over HTTP",
    .description = "Opens the store named by the configuration, applies pending migrations and "
                   "serves HTTP until SIGTERM or\nSIGINT, then stops accepting, lets in-flight "
                   "requests finish (shutdown_timeout_s) and exits.",
    .opts = opts,
    .run = run,
};
