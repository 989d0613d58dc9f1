/* SPDX-License-Identifier: MIT */
/* GET /metrics (cli_int.h, lc__cli_metrics): the Prometheus text exposition (format 0.0.4) of
 * what a node counts — HTTP requests by route and status class with a latency histogram, the
 * authenticator's counters, the store's reachability. Served on its own listener
 * (metrics_listen), never on the API's: the numbers say how busy tenants are, which is the
 * operator's business, and a balancer in front of the API must not pass them on. Nothing here
 * names a tenant, a user or a token, so no label grows with the data. */
#include <inttypes.h>

#include "cli_int.h"
#include "lectern/auth.h"

#define ROUTE_NONE "unmatched" /* requests no route answered; no path looks like this */

static int family(lc_buf_t *b, const char *name, const char *type, const char *help) {
    return lc_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int sample(lc_buf_t *b, const char *name, uint64_t v) {
    return lc_buf_printf(b, "%s %" PRIu64 "\n", name, v);
}

/* Route paths are ours (cmd_serve.c): '/', letters and '*', nothing a label must escape. */
static const char *label_of(const lc_http_server_t *s, size_t i) {
    const char *p = lc_http_server_route_path(s, i);
    return p ? p : ROUTE_NONE;
}

/* The counters of every route with the same path (GET and POST of one path may be two routes)
 * added up into *out; false when route i is not the first of its path (already reported). */
static bool route_total(const lc_http_server_t *s, size_t i, lc_http_route_stats_t *out) {
    size_t n = lc_http_server_nroutes(s);
    const char *path = label_of(s, i);
    for (size_t k = 0; k < i; k++)
        if (strcmp(label_of(s, k), path) == 0)
            return false;
    lc_http_server_route_stats(s, i, out);
    for (size_t k = i + 1; k <= n; k++) {
        if (strcmp(label_of(s, k), path) != 0)
            continue;
        lc_http_route_stats_t more;
        lc_http_server_route_stats(s, k, &more);
        for (size_t j = 0; j < 6; j++)
            out->status[j] += more.status[j];
        for (size_t j = 0; j <= LC_HTTP_LATENCY_BUCKETS; j++)
            out->bucket[j] += more.bucket[j];
        out->count += more.count;
        out->duration_us += more.duration_us;
    }
    return true;
}

static int http_families(lc_buf_t *b, const lc_http_server_t *s) {
    static const char *const classes[6] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    size_t n = lc_http_server_nroutes(s);
    int rc = family(b, "lectern_http_requests_total", "counter",
                    "HTTP requests answered, by route and status class (none: the client left "
                    "before an answer)");
    for (size_t i = 0; rc == LC_OK && i <= n; i++) {
        lc_http_route_stats_t st;
        if (!route_total(s, i, &st))
            continue;
        for (size_t k = 0; rc == LC_OK && k < 6; k++)
            if (st.status[k] != 0 || (k == 2 && st.count == 0))
                rc = lc_buf_printf(
                    b, "lectern_http_requests_total{route=\"%s\",code=\"%s\"} %" PRIu64 "\n",
                    label_of(s, i), classes[k], st.status[k]);
    }
    if (rc == LC_OK)
        rc = family(b, "lectern_http_request_duration_seconds", "histogram",
                    "time from the request line to the response sent, by route");
    for (size_t i = 0; rc == LC_OK && i <= n; i++) {
        lc_http_route_stats_t st;
        if (!route_total(s, i, &st))
            continue;
        const char *route = label_of(s, i);
        uint64_t cumulative = 0;
        for (size_t j = 0; rc == LC_OK && j < LC_HTTP_LATENCY_BUCKETS; j++) {
            cumulative += st.bucket[j];
            rc = lc_buf_printf(b,
                               "lectern_http_request_duration_seconds_bucket{route=\"%s\","
                               "le=\"%g\"} %" PRIu64 "\n",
                               route, (double)lc_http_latency_bucket_us[j] / 1e6, cumulative);
        }
        if (rc == LC_OK)
            rc = lc_buf_printf(b,
                               "lectern_http_request_duration_seconds_bucket{route=\"%s\","
                               "le=\"+Inf\"} %" PRIu64 "\n"
                               "lectern_http_request_duration_seconds_sum{route=\"%s\"} %" PRIu64
                               ".%06" PRIu64 "\n"
                               "lectern_http_request_duration_seconds_count{route=\"%s\"} %" PRIu64
                               "\n",
                               route, st.count, route, st.duration_us / 1000000,
                               st.duration_us % 1000000, route, st.count);
    }
    uint64_t conns = 0, in_flight = 0;
    lc_http_server_load(s, &conns, &in_flight);
    if (rc == LC_OK)
        rc = family(b, "lectern_http_connections", "gauge", "HTTP connections open now");
    if (rc == LC_OK)
        rc = sample(b, "lectern_http_connections", conns);
    if (rc == LC_OK)
        rc = family(b, "lectern_http_requests_in_flight", "gauge", "HTTP requests being handled");
    if (rc == LC_OK)
        rc = sample(b, "lectern_http_requests_in_flight", in_flight);
    return rc;
}

static int auth_families(lc_buf_t *b, lc_auth_t *auth) {
    lc_auth_stats_t a;
    lc_auth_stats(auth, &a);
    const struct {
        const char *name, *help;
        uint64_t v;
    } c[] = {
        {"lectern_auth_token_loads_total",
         "token lookups that went to the store (cache misses and stale entries)", a.token_reads},
        {"lectern_auth_token_last_used_writes_total",
         "writes of a token's last use (coalesced to one a minute per token)", a.token_touches},
        {"lectern_auth_session_loads_total", "Console session lookups in the store",
         a.session_reads},
        {"lectern_auth_session_touches_total", "writes of a Console session's last activity",
         a.session_touches},
        {"lectern_auth_failures_total",
         "refused credentials: unknown, revoked or expired tokens, bad sessions, failed logins",
         a.failures},
        {"lectern_rate_limited_total", "API requests refused by a rate limit (429)", a.rate_denied},
        {"lectern_rate_table_full_total",
         "API requests let through uncounted because the rate-limit table was full",
         a.rate_overflow},
    };
    int rc = LC_OK;
    for (size_t i = 0; rc == LC_OK && i < sizeof c / sizeof c[0]; i++) {
        rc = family(b, c[i].name, "counter", c[i].help);
        if (rc == LC_OK)
            rc = sample(b, c[i].name, c[i].v);
    }
    return rc;
}

int lc__cli_metrics(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    const lc__cli_metrics_t *m = ctx;
    (void)req;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    lc_buf_t *b = &resp->body;
    int rc = family(b, "lectern_build_info", "gauge", "the running lectern's version (always 1)");
    if (rc == LC_OK)
        rc = lc_buf_printf(b, "lectern_build_info{version=\"%s\",store=\"%s\"} 1\n", LC_VERSION,
                           lc_store_backend(m->store));
    if (rc == LC_OK)
        rc = family(b, "process_start_time_seconds", "gauge",
                    "start time of the process since the Unix epoch, in seconds");
    if (rc == LC_OK)
        rc = lc_buf_printf(b, "process_start_time_seconds %" PRId64 "\n", m->start_s);
    /* The same check as /readyz: one round trip to the store a scrape. */
    if (rc == LC_OK)
        rc = family(b, "lectern_store_up", "gauge",
                    "1 when the store answers and its schema is current, else 0");
    if (rc == LC_OK)
        rc = sample(b, "lectern_store_up", lc_store_ping(m->store) == LC_OK ? 1 : 0);
    if (rc == LC_OK)
        rc = http_families(b, m->api);
    if (rc == LC_OK)
        rc = auth_families(b, m->auth);
    return rc;
}
