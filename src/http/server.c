/* SPDX-License-Identifier: MIT */
/* libmicrohttpd glue: the first layer of the request path. MHD's worker threads (epoll, a pool
 * of one per core) parse HTTP; this file gives each connection an arena that is reset at every
 * request, reads the body into it under the size limit, asks the router for a handler, sends the
 * handler's response straight from the arena, writes the access log, and counts in-flight
 * requests so that shutdown can drain them.
 *
 * MHD callback order for one request on a connection (all on the connection's worker thread):
 *   on_connection(STARTED) once per connection -> on_uri (request line parsed)
 *   -> on_access (headers done) -> on_access (each body piece) -> on_access (final: respond)
 *   -> on_completed (response sent, or the connection failed) ... -> on_connection(CLOSED). */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_int.h"
#include "lectern/alloc.h"
#include "lectern/limits.h"
#include "lectern/log.h"

/* How often the drain loop looks at the in-flight count. */
#define DRAIN_POLL_MS 5
/* Paths longer than this are cut in the access log and in error messages. */
#define LOG_PATH_MAX 1024

typedef enum phase {
    PH_NEW,     /* request line seen, access handler not called yet */
    PH_BODY,    /* headers accepted, body being read */
    PH_DISCARD, /* body refused (too large); the rest is read and dropped, then answered */
    PH_DONE,    /* response queued */
} phase_t;

typedef struct conn conn_t;

/* One request. Lives inside its connection: MHD handles a connection's requests one after the
 * other, so one slot suffices and starting a request allocates nothing. */
typedef struct request {
    lc_http_server_t *srv;
    conn_t *conn;
    phase_t phase;
    bool counted;                  /* included in srv->inflight */
    const lc_http__route_t *match; /* the route for path and method (begin); NULL: none */
    unsigned allow;                /* methods of the path's routes when match is NULL (405) */
    size_t route;                  /* index of match in the router; router.n: none */
    int status;       /* status of the queued response; 0 when MHD or nobody answered */
    size_t bytes;     /* body bytes of the queued response */
    size_t discarded; /* body bytes dropped in PH_DISCARD */
    struct timespec start;
    lc_buf_t body; /* request body, arena, at most max_body_bytes */
    lc_http_req_t req;
    lc_http_resp_t resp;
    char id[LC_HTTP__REQUEST_ID_LEN + 1];
} request_t;

struct conn {
    lc_arena_t arena; /* reset at the start of each request */
    request_t r;
    char ip[INET6_ADDRSTRLEN];
};

/* lc_http_route_stats_t, counted by every worker thread. */
typedef struct route_stats {
    atomic_ullong status[6];
    atomic_ullong bucket[LC_HTTP_LATENCY_BUCKETS + 1];
    atomic_ullong count;
    atomic_ullong duration_us;
} route_stats_t;

struct lc_http_server {
    struct MHD_Daemon *d;
    lc_http__router_t router;
    lc_http_options_t opts; /* opts.host points to host */
    char *host;             /* owned */
    int listen_fd;          /* owned while MHD does not own it (before start, after quiesce) */
    uint16_t port;
    unsigned threads;
    char keep_alive[32];        /* Keep-Alive header value: "timeout=<conn_timeout_s>" */
    atomic_long inflight;       /* requests past on_uri and not yet through on_completed */
    atomic_long conns;          /* open connections (NOTIFY_CONNECTION started, not closed) */
    atomic_llong refused_log_s; /* when a refused connection was last logged (rate limit) */
    atomic_bool draining;       /* shutdown began: answer with Connection: close */
    atomic_bool started;        /* MHD_start_daemon returned: its messages become debug noise */
    route_stats_t *stats;       /* router.n + 1, owned */
    lc_cidr_list_t proxies;     /* opts.trusted_proxies, copied */
};

/* Prometheus' usual buckets from 5 ms up, and finer ones below: most answers take under 1 ms. */
const int64_t lc_http_latency_bucket_us[LC_HTTP_LATENCY_BUCKETS] = {
    250,   500,    1000,   2500,   5000,    10000,   25000,
    50000, 100000, 250000, 500000, 1000000, 2500000, 10000000};

/* Status of the last response MHD sent on its own on this thread (see on_mhd_log); 0 = none. */
static _Thread_local int mhd_status;

/* Marks a request whose connection has no context (allocation failed); answered 503. */
static char no_context;

static const char internal_body[] =
    "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"internal error\"}}";
static const char unavailable_body[] =
    "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"server out of memory\"}}";

static int64_t elapsed_us(const struct timespec *from) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - from->tv_sec) * 1000000 +
           (int64_t)(now.tv_nsec - from->tv_nsec) / 1000;
}

static lc_str_t cut(lc_str_t s, size_t max) {
    if (s.len > max)
        s.len = max;
    return s;
}

/* ---- Requests as handlers see them ---- */

lc_str_t lc_http_req_header(const lc_http_req_t *req, const char *name) {
    const char *v = NULL;
    size_t n = 0;
    if (!req || !req->conn || !name)
        return LC_STR_NULL;
    if (MHD_lookup_connection_value_n(req->conn, MHD_HEADER_KIND, name, strlen(name), &v, &n) !=
        MHD_YES)
        return LC_STR_NULL;
    return v ? lc_str_make(v, n) : lc_str_make("", 0);
}

typedef struct query_find {
    lc_str_t key;
    lc_str_t val;
    bool found;
} query_find_t;

/* MHD's own lookup compares keys without case; query keys are case-sensitive. */
static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size) {
    query_find_t *q = cls;
    (void)kind;
    if (!key || !lc_str_eq(q->key, lc_str_make(key, key_size)))
        return MHD_YES;
    q->val = value ? lc_str_make(value, value_size) : lc_str_make("", 0);
    q->found = true;
    return MHD_NO;
}

lc_str_t lc_http_req_query(const lc_http_req_t *req, const char *name) {
    query_find_t q = {.key = lc_str_from(name)};
    if (!req || !req->conn || !name)
        return LC_STR_NULL;
    MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
    return q.found ? q.val : LC_STR_NULL;
}

/* ---- Responses ---- */

static struct MHD_Response *build(lc_http_server_t *s, request_t *r, const char *ctype,
                                  const char *data, size_t len, bool with_handler_headers) {
    struct MHD_Response *mr;
    bool ok = true;
    /* PERSISTENT: MHD sends straight from our memory, which is arena (kept until the next
     * request on this connection resets it) or static. */
    mr = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!mr)
        return NULL;
    if (ctype)
        ok = ok && MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, ctype) == MHD_YES;
    ok = ok && MHD_add_response_header(mr, "X-Request-Id", r->id) == MHD_YES;
    for (unsigned i = 0; ok && with_handler_headers && i < r->resp.nheaders; i++) {
        const lc_http_header_t *h = &r->resp.headers[i];
        if (MHD_add_response_header(mr, h->name, h->value) != MHD_YES) {
            lc_log_rec_t rec;
            lc_log_begin(&rec, LC_LOG_ERROR, "http.bad_header");
            lc_log_cstr(&rec, "name", h->name); /* never the value */
            lc_log_cstr(&rec, "request_id", r->id);
            lc_log_end(&rec);
            ok = false;
        }
    }
    if (ok && atomic_load_explicit(&s->draining, memory_order_relaxed))
        ok = MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
    else if (ok)
        /* Tells clients when we close an idle connection, so that they do not send a request
         * on it just as we close it (undici and others honour the hint). */
        ok = MHD_add_response_header(mr, "Keep-Alive", s->keep_alive) == MHD_YES;
    if (!ok) {
        MHD_destroy_response(mr);
        return NULL;
    }
    return mr;
}

/* Queues r->resp; falls back to a static 500 when the handler's response is unusable. */
static enum MHD_Result respond(lc_http_server_t *s, request_t *r, struct MHD_Connection *mc) {
    lc_http_resp_t *resp = &r->resp;
    struct MHD_Response *mr = NULL;
    enum MHD_Result ret;
    int status = resp->status;
    size_t len = resp->static_body ? resp->static_len : resp->body.len;

    r->phase = PH_DONE;
    if (resp->body.err != LC_OK || status < 100 || status > 599) {
        lc_log_rec_t rec;
        lc_log_begin(&rec, LC_LOG_ERROR, "http.bad_response");
        lc_log_cstr(&rec, "request_id", r->id);
        lc_log_i64(&rec, "status", status);
        lc_log_cstr(&rec, "body_error", lc_status_name(resp->body.err));
        lc_log_end(&rec);
    } else {
        const char *data = resp->static_body ? resp->static_body
                           : resp->body.data ? resp->body.data
                                             : "";
        mr = build(s, r, resp->content_type, data, len, true);
    }
    if (!mr) {
        status = 500;
        len = sizeof internal_body - 1;
        mr = build(s, r, "application/json", internal_body, len, false);
        if (!mr)
            return MHD_NO; /* MHD closes the connection */
    }
    ret = MHD_queue_response(mc, (unsigned)status, mr);
    MHD_destroy_response(mr);
    if (ret == MHD_YES) {
        r->status = status;
        r->bytes = r->req.method == LC_HTTP_HEAD ? 0 : len;
    }
    return ret;
}

static enum MHD_Result respond_error(lc_http_server_t *s, request_t *r, struct MHD_Connection *mc,
                                     int status, const char *code, const char *message) {
    lc_http_resp_error(&r->resp, status, code, message);
    return respond(s, r, mc);
}

/* ---- MHD callbacks ---- */

/* max_connections: a connection past the limit is closed at once, so that the client learns
 * it (MHD's own limit would leave it waiting in the kernel's backlog). The count is read here and
 * changed in on_connection, so workers accepting at the same moment may overshoot by a few;
 * MHD's own limit, a little higher, is the hard bound. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen) {
    lc_http_server_t *s = cls;
    struct timespec now;
    long long last;
    (void)addr;
    (void)addrlen;
    if (atomic_load_explicit(&s->conns, memory_order_relaxed) < (long)s->opts.max_connections)
        return MHD_YES;
    /* One line a second at most: a flood of refusals must not become a flood of logs. */
    clock_gettime(CLOCK_MONOTONIC, &now);
    last = atomic_load_explicit(&s->refused_log_s, memory_order_relaxed);
    if (now.tv_sec != last &&
        atomic_compare_exchange_strong(&s->refused_log_s, &last, (long long)now.tv_sec)) {
        lc_log_rec_t rec;
        lc_log_begin(&rec, LC_LOG_WARN, "http.conn_limit");
        lc_log_i64(&rec, "max_connections", s->opts.max_connections);
        lc_log_cstr(&rec, "msg", "connection refused: max_connections reached");
        lc_log_end(&rec);
    }
    return MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
    lc_http_server_t *s = cls;
    conn_t *c;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        atomic_fetch_sub_explicit(&s->conns, 1, memory_order_relaxed);
        c = *socket_context;
        if (c) {
            lc_arena_dispose(&c->arena);
            lc_free(c);
            *socket_context = NULL;
        }
        return;
    }
    atomic_fetch_add_explicit(&s->conns, 1, memory_order_relaxed);
    /* Once per connection, not per request: keep-alive requests reuse all of this. */
    c = lc_calloc(1, sizeof *c);
    if (c) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        const struct sockaddr *sa = ci ? ci->client_addr : NULL;
        lc_arena_init(&c->arena, 0, LC_LIMIT_REQUEST_ARENA_BYTES);
        if (sa && sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, c->ip,
                      sizeof c->ip);
        else if (sa && sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, c->ip,
                      sizeof c->ip);
    }
    *socket_context = c;
}

/* Called by MHD as soon as the request line is parsed: the request starts here, so a client
 * that is still sending headers or a body when shutdown begins is waited for. `uri` is raw:
 * not yet split at '?' nor percent-decoded. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc) {
    lc_http_server_t *s = cls;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_t *c = ci ? ci->socket_context : NULL;
    request_t *r;
    const char *path = NULL;

    mhd_status = 0;
    if (!c)
        return NULL;
    r = &c->r;
    lc_arena_reset(&c->arena);
    memset(r, 0, sizeof *r);
    r->srv = s;
    r->conn = c;
    r->phase = PH_NEW;
    r->route = s->router.n;
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    lc_http__request_id_next(r->id);
    if (uri) {
        /* The query string is left out: it may carry secrets and is never logged. */
        const char *q = strchr(uri, '?');
        path = lc_arena_strndup(&c->arena, uri, q ? (size_t)(q - uri) : strlen(uri));
    }
    r->req.path = lc_str_from(path ? path : "");
    r->req.method_name = lc_str_make("", 0);
    r->req.body = lc_str_make("", 0);
    r->req.request_id = r->id;
    r->req.client_ip = c->ip;
    r->req.peer_ip = c->ip;
    r->req.arena = &c->arena;
    atomic_fetch_add_explicit(&s->inflight, 1, memory_order_relaxed);
    r->counted = true;
    return r;
}

/* Content-Length as declared; false when absent or not a plain number (MHD rejects those). */
static bool content_length(struct MHD_Connection *mc, uint64_t *out, bool *huge) {
    const char *v = NULL;
    size_t n = 0;
    int64_t len;
    int rc;
    if (MHD_lookup_connection_value_n(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH,
                                      sizeof MHD_HTTP_HEADER_CONTENT_LENGTH - 1, &v,
                                      &n) != MHD_YES ||
        !v)
        return false;
    rc = lc_str_to_i64(lc_str_trim(lc_str_make(v, n)), 0, INT64_MAX, &len);
    if (rc == LC_ELIMIT) {
        *huge = true;
        return true;
    }
    if (rc != LC_OK)
        return false;
    *out = (uint64_t)len;
    return true;
}

/* First call: headers are complete. Checks the limits that can be checked before the body;
 * otherwise returns without queuing (queuing now would cost a GET its keep-alive). */
static enum MHD_Result begin(lc_http_server_t *s, request_t *r, struct MHD_Connection *mc,
                             const char *url, const char *method) {
    lc_arena_t *a = &r->conn->arena;
    const union MHD_ConnectionInfo *ci;
    const char *name = lc_arena_strdup(a, method ? method : "");
    uint64_t declared = 0;
    bool huge = false;

    r->phase = PH_BODY;
    r->req.conn = mc;
    r->req.method_name = lc_str_from(name ? name : "");
    r->req.method = lc_http__method_parse(r->req.method_name);
    if (r->req.path.len == 0 && url) {
        const char *p = lc_arena_strdup(a, url);
        r->req.path = lc_str_from(p ? p : "");
    }
    lc_http__resp_init(&r->resp, a);
    lc_buf_init(&r->body, a, 0, s->opts.max_body_bytes);
    r->req.client_ip = lc_http__forwarded_client(&s->proxies, mc, r->conn->ip, a);
    /* Routed before the body is read, so that an answer given early (413, 431) is counted
     * under the route it was meant for. */
    r->match = lc_http__router_match(&s->router, r->req.path, r->req.method, &r->allow);
    if (r->match)
        r->route = (size_t)(r->match - s->router.routes);

    ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (ci && ci->header_size > s->opts.max_header_bytes)
        return respond_error(s, r, mc, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                             "REQUEST_HEADER_FIELDS_TOO_LARGE",
                             lc_arena_printf(a, "request headers exceed the limit of %zu bytes",
                                             s->opts.max_header_bytes));
    if (content_length(mc, &declared, &huge)) {
        if (huge || declared > s->opts.max_body_bytes)
            return respond_error(s, r, mc, MHD_HTTP_CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                                 lc_arena_printf(a, "request body exceeds the limit of %zu bytes",
                                                 s->opts.max_body_bytes));
        /* The exact size up front: one arena allocation instead of doublings. */
        lc_buf_init(&r->body, a, (size_t)declared, s->opts.max_body_bytes);
    }
    return MHD_YES;
}

/* Final call: the whole body is in. Routes and queues the response. */
static enum MHD_Result dispatch(lc_http_server_t *s, request_t *r, struct MHD_Connection *mc) {
    lc_arena_t *a = &r->conn->arena;
    lc_http_req_t *req = &r->req;
    const lc_http__route_t *route = r->match;
    unsigned allow = r->allow;

    if (r->body.len)
        req->body = lc_buf_str(&r->body);
    if (!route && allow) {
        char *value = lc_arena_alloc(a, LC_HTTP__ALLOW_MAX);
        if (!value)
            return respond_error(s, r, mc, 500, "INTERNAL", "internal error");
        lc_http_resp_error(&r->resp, MHD_HTTP_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                           lc_arena_printf(a, "method %.*s is not allowed for %.*s",
                                           (int)cut(req->method_name, 32).len, req->method_name.ptr,
                                           (int)cut(req->path, LOG_PATH_MAX).len, req->path.ptr));
        (void)lc_http_resp_header(&r->resp, "Allow", lc_http__allow_format(allow, value));
        return respond(s, r, mc);
    }
    if (!route)
        return respond_error(s, r, mc, MHD_HTTP_NOT_FOUND, "NOT_FOUND",
                             lc_arena_printf(a, "no route for %.*s",
                                             (int)cut(req->path, LOG_PATH_MAX).len, req->path.ptr));
    if (route->fn(route->ctx, req, &r->resp) != LC_OK)
        lc_http_resp_error(&r->resp, 500, "INTERNAL", "internal error");
    return respond(s, r, mc);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *mc, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **req_cls) {
    lc_http_server_t *s = cls;
    request_t *r = *req_cls;
    (void)version;

    if (r == NULL) {
        /* No connection context: the only answer that needs no memory of ours. */
        struct MHD_Response *mr;
        enum MHD_Result ret;
        *req_cls = &no_context;
        mr = MHD_create_response_from_buffer(sizeof unavailable_body - 1, (void *)unavailable_body,
                                             MHD_RESPMEM_PERSISTENT);
        if (!mr)
            return MHD_NO;
        ret = MHD_queue_response(mc, MHD_HTTP_SERVICE_UNAVAILABLE, mr);
        MHD_destroy_response(mr);
        return ret;
    }
    if ((void *)r == (void *)&no_context) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->phase == PH_NEW)
        return begin(s, r, mc, url, method);
    if (*upload_data_size != 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->phase == PH_BODY) {
            if (lc_buf_append(&r->body, upload_data, n) == LC_OK)
                return MHD_YES;
            /* MHD 0.9.75 refuses to queue a response while a body is arriving: prepare the
             * answer, drop the rest of the body, and send the answer when the body ends. */
            if (r->body.err == LC_ELIMIT)
                lc_http_resp_error(&r->resp, MHD_HTTP_CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                                   lc_arena_printf(&r->conn->arena,
                                                   "request body exceeds the limit of %zu bytes",
                                                   s->opts.max_body_bytes));
            else
                lc_http_resp_error(&r->resp, 500, "INTERNAL", "out of memory reading the body");
            r->phase = PH_DISCARD;
        } else if (r->phase == PH_DISCARD) {
            r->discarded += n;
            /* A body that goes on and on is not worth reading to the end: hang up. */
            if (r->discarded > LC_LIMIT_HTTP_DISCARD_BYTES)
                return MHD_NO;
        }
        return MHD_YES;
    }
    if (r->phase == PH_DISCARD)
        return respond(s, r, mc);
    if (r->phase != PH_BODY)
        return MHD_YES;
    return dispatch(s, r, mc);
}

static const char *outcome(enum MHD_RequestTerminationCode toe) {
    switch (toe) {
    case MHD_REQUEST_TERMINATED_COMPLETED_OK:
        return "ok";
    case MHD_REQUEST_TERMINATED_WITH_ERROR:
        return "error";
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
        return "timeout";
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
        return "shutdown";
    case MHD_REQUEST_TERMINATED_READ_ERROR:
        return "read_error";
    case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
        return "client_abort";
    }
    return "unknown";
}

/* Counts a completed request for lc_http_server_route_stats. */
static void count(lc_http_server_t *s, const request_t *r, int64_t took_us) {
    route_stats_t *st = &s->stats[r->route <= s->router.n ? r->route : s->router.n];
    int k = r->status >= 100 && r->status < 600 ? r->status / 100 : 0;
    size_t j = 0;
    while (j < LC_HTTP_LATENCY_BUCKETS && took_us > lc_http_latency_bucket_us[j])
        j++;
    atomic_fetch_add_explicit(&st->status[k], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->bucket[j], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->duration_us, took_us > 0 ? (unsigned long long)took_us : 0,
                              memory_order_relaxed);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **req_cls,
                         enum MHD_RequestTerminationCode toe) {
    lc_http_server_t *s = cls;
    request_t *r = *req_cls;
    (void)mc;

    *req_cls = NULL;
    if (!r || (void *)r == (void *)&no_context)
        return;
    if (r->status == 0 && mhd_status != 0)
        r->status = mhd_status;
    mhd_status = 0;
    int64_t took_us = elapsed_us(&r->start);
    count(s, r, took_us);
    if (s->opts.access_log && lc_log_enabled(LC_LOG_INFO)) {
        /* Method, path, status, sizes, timing and ids only: never a header value, the query
         * string or the body, any of which may carry a secret. */
        lc_log_rec_t rec;
        lc_log_begin(&rec, LC_LOG_INFO, "http.access");
        if (r->req.method_name.len)
            lc_log_str(&rec, "method", cut(r->req.method_name, 32));
        lc_log_str(&rec, "path", cut(r->req.path, LOG_PATH_MAX));
        lc_log_i64(&rec, "status", r->status);
        lc_log_i64(&rec, "bytes", (int64_t)r->bytes);
        lc_log_i64(&rec, "duration_us", took_us);
        lc_log_cstr(&rec, "request_id", r->id);
        lc_log_cstr(&rec, "ip", r->req.client_ip);
        if (r->req.client_ip != r->conn->ip)
            lc_log_cstr(&rec, "peer", r->conn->ip);
        if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
            lc_log_cstr(&rec, "outcome", outcome(toe));
        lc_log_end(&rec);
    }
    if (r->counted) {
        r->counted = false;
        atomic_fetch_sub_explicit(&s->inflight, 1, memory_order_release);
    }
}

/* MHD's own diagnostics. At start-up they explain a failure; afterwards they mostly narrate
 * what clients did wrong (debug). They name paths at most, never header values.
 *
 * When MHD answers a request itself (a malformed head, a head past the memory pool) no callback
 * tells us the status; its diagnostic does, on the connection's thread, before on_completed. */
__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt,
                                                             va_list ap) {
    static const char answered[] = "Error processing request (HTTP response code is %u";
    lc_http_server_t *s = cls;
    lc_log_level_t level =
        atomic_load_explicit(&s->started, memory_order_relaxed) ? LC_LOG_DEBUG : LC_LOG_ERROR;
    char msg[512];
    size_t n;
    if (strncmp(fmt, answered, sizeof answered - 1) == 0) {
        va_list copy;
        va_copy(copy, ap);
        mhd_status = (int)va_arg(copy, unsigned);
        va_end(copy);
    }
    if (!lc_log_enabled(level))
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    lc_log_msg(level, "http.mhd", "%s", msg);
}

/* ---- Signals ---- */

static void signal_set(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

/* Threads inherit the mask of their creator: blocking here, before MHD starts its workers,
 * leaves the signals to the thread in lc_http_wait_for_shutdown_signal(). */
static void signals_prepare(void) {
    sigset_t set;
    struct sigaction sa;
    signal_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
}

int lc_http_wait_for_shutdown_signal(void) {
    sigset_t set;
    int sig = 0;
    signals_prepare();
    signal_set(&set);
    while (sigwait(&set, &sig) != 0)
        ;
    lc_log_rec_t rec;
    lc_log_begin(&rec, LC_LOG_INFO, "http.signal");
    lc_log_cstr(&rec, "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    lc_log_end(&rec);
    return sig;
}

/* ---- Server ---- */

int lc_http_server_create(const lc_http_options_t *o, const lc_http_route_t *routes, size_t nroutes,
                          lc_http_server_t **out) {
    int rc = LC_EINVAL;
    lc_http_server_t *s = NULL;
    struct MHD_OptionItem ops[12];
    size_t n = 0;

    if (!out || lc_http__options_check(o) != LC_OK)
        goto out;
    rc = LC_ENOMEM;
    s = lc_calloc(1, sizeof *s);
    if (!s)
        goto out;
    s->listen_fd = -1;
    atomic_init(&s->inflight, 0);
    atomic_init(&s->conns, 0);
    atomic_init(&s->refused_log_s, 0);
    atomic_init(&s->draining, false);
    atomic_init(&s->started, false);
    s->opts = *o;
    if (o->trusted_proxies != NULL)
        s->proxies = *o->trusted_proxies;
    s->opts.trusted_proxies = NULL; /* borrowed: the copy above is what is used */
    s->host = lc_strdup(o->host);
    if (!s->host)
        goto out;
    s->opts.host = s->host;
    rc = lc_http__router_init(&s->router, routes, nroutes);
    if (rc != LC_OK)
        goto out;
    rc = LC_ENOMEM;
    s->stats = lc_calloc(s->router.n + 1, sizeof *s->stats);
    if (!s->stats)
        goto out;
    for (size_t i = 0; i <= s->router.n; i++) {
        route_stats_t *st = &s->stats[i];
        for (size_t k = 0; k < 6; k++)
            atomic_init(&st->status[k], 0);
        for (size_t j = 0; j <= LC_HTTP_LATENCY_BUCKETS; j++)
            atomic_init(&st->bucket[j], 0);
        atomic_init(&st->count, 0);
        atomic_init(&st->duration_us, 0);
    }
    snprintf(s->keep_alive, sizeof s->keep_alive, "timeout=%u", o->conn_timeout_s);
    s->threads = lc_http__threads_effective(o->threads);
    /* MHD splits its connection limit between its workers; each needs a share. */
    if (s->threads > o->max_connections)
        s->threads = o->max_connections;
    lc_http__fd_limit_raise(o->max_connections);
    rc = lc_http__listen(s->host, o->port, &s->listen_fd, &s->port);
    if (rc != LC_OK)
        goto out;
    signals_prepare();

    /* The logger first, or MHD reports option errors through its default logger. */
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, s};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, s->listen_fd, NULL};
    if (s->threads > 1)
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, s->threads, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT,
                                       (intptr_t)o->max_connections + s->threads, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, o->conn_timeout_s, NULL};
    ops[n++] = (struct MHD_OptionItem){
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (intptr_t)(o->max_header_bytes + LC_LIMIT_HTTP_POOL_SLACK_BYTES), NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    s->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0,
                            on_accept, s, on_access, s, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
    /* The socket is MHD's now, even when it failed (it closes the socket then): ours again only
     * when MHD_quiesce_daemon hands it back. */
    s->listen_fd = -1;
    if (!s->d) {
        lc_log_msg(LC_LOG_ERROR, "http.start", "libmicrohttpd could not start the server");
        rc = LC_EIO;
        goto out;
    }
    atomic_store(&s->started, true);

    lc_log_rec_t rec;
    lc_log_begin(&rec, LC_LOG_INFO, "http.listening");
    lc_log_cstr(&rec, "host", s->host);
    lc_log_i64(&rec, "port", s->port);
    lc_log_i64(&rec, "threads", s->threads);
    lc_log_end(&rec);
    *out = s;
    s = NULL;
    rc = LC_OK;
out:
    lc_http_server_destroy(s);
    return rc;
}

uint16_t lc_http_server_port(const lc_http_server_t *s) {
    return s ? s->port : 0;
}

size_t lc_http_server_nroutes(const lc_http_server_t *s) {
    return s ? s->router.n : 0;
}

const char *lc_http_server_route_path(const lc_http_server_t *s, size_t i) {
    /* The pattern points at the whole path as given (a prefix's '*' follows it). */
    return s && i < s->router.n ? s->router.routes[i].pattern.ptr : NULL;
}

void lc_http_server_route_stats(const lc_http_server_t *s, size_t i, lc_http_route_stats_t *out) {
    memset(out, 0, sizeof *out);
    if (!s || i > s->router.n)
        return;
    route_stats_t *st = &s->stats[i];
    for (size_t k = 0; k < 6; k++)
        out->status[k] = atomic_load_explicit(&st->status[k], memory_order_relaxed);
    for (size_t j = 0; j <= LC_HTTP_LATENCY_BUCKETS; j++)
        out->bucket[j] = atomic_load_explicit(&st->bucket[j], memory_order_relaxed);
    out->count = atomic_load_explicit(&st->count, memory_order_relaxed);
    out->duration_us = atomic_load_explicit(&st->duration_us, memory_order_relaxed);
}

void lc_http_server_load(const lc_http_server_t *s, uint64_t *connections, uint64_t *in_flight) {
    long c = s ? atomic_load_explicit(&s->conns, memory_order_relaxed) : 0;
    long f = s ? atomic_load_explicit(&s->inflight, memory_order_relaxed) : 0;
    *connections = c > 0 ? (uint64_t)c : 0;
    *in_flight = f > 0 ? (uint64_t)f : 0;
}

static void sleep_ms(long ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

void lc_http_server_destroy(lc_http_server_t *s) {
    if (!s)
        return;
    if (s->d) {
        struct timespec start;
        long left;
        int64_t waited;
        MHD_socket lfd;

        clock_gettime(CLOCK_MONOTONIC, &start);
        atomic_store(&s->draining, true);
        lfd = MHD_quiesce_daemon(s->d);
        if (lfd != MHD_INVALID_SOCKET) {
            /* Refuse new connections now; the descriptor is closed after MHD_stop_daemon (its
             * threads may still hold it). */
            shutdown(lfd, SHUT_RDWR);
            s->listen_fd = lfd;
        }
        while ((left = atomic_load_explicit(&s->inflight, memory_order_acquire)) > 0 &&
               elapsed_us(&start) < (int64_t)s->opts.shutdown_timeout_s * 1000000)
            sleep_ms(DRAIN_POLL_MS);
        waited = elapsed_us(&start) / 1000;

        lc_log_rec_t rec;
        lc_log_begin(&rec, left ? LC_LOG_WARN : LC_LOG_INFO, "http.drained");
        lc_log_i64(&rec, "waited_ms", waited);
        lc_log_i64(&rec, "abandoned", left);
        lc_log_end(&rec);
        MHD_stop_daemon(s->d);
        s->d = NULL;
    }
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    lc_http__router_dispose(&s->router);
    lc_free(s->stats);
    lc_free(s->host);
    lc_free(s);
}
