/* SPDX-License-Identifier: MIT */
/* The HTTP server: libmicrohttpd underneath (epoll, a thread pool, keep-alive), a small router
 * on top. Knows nothing of lectern's domain: the lectern binary and the songs benchmark server
 * both register their routes here.
 *
 * Request path: MHD accepts -> the connection's arena is reset -> headers and body (bounded)
 * are read into it -> the route's handler fills an lc_http_resp_t -> the body is sent straight
 * from the arena (no copy) -> one access-log line. */
#ifndef LECTERN_HTTP_H
#define LECTERN_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/arena.h"
#include "lectern/buf.h"
#include "lectern/netaddr.h"
#include "lectern/status.h"
#include "lectern/str.h"

typedef struct lc_http_server lc_http_server_t;

typedef enum lc_http_method {
    LC_HTTP_OTHER = 0,
    LC_HTTP_GET = 1 << 0,
    LC_HTTP_HEAD = 1 << 1,
    LC_HTTP_POST = 1 << 2,
    LC_HTTP_PUT = 1 << 3,
    LC_HTTP_DELETE = 1 << 4,
    LC_HTTP_PATCH = 1 << 5,
    LC_HTTP_OPTIONS = 1 << 6,
} lc_http_method_t;

typedef struct lc_http_options {
    const char *host;            /* borrowed; "127.0.0.1", "::1", "0.0.0.0" */
    uint16_t port;               /* 0 = pick a free port (see lc_http_server_port) */
    unsigned threads;            /* 0 = one per core */
    size_t max_body_bytes;       /* larger body -> 413 */
    size_t max_header_bytes;     /* larger request head -> 431 */
    unsigned conn_timeout_s;     /* idle or slow connection is closed */
    unsigned max_connections;    /* beyond: new connections refused */
    unsigned shutdown_timeout_s; /* graceful drain bound */
    bool access_log;             /* one JSON line per request */
    /* Peers whose X-Forwarded-For names the client (copied at create; NULL or empty: the header
     * is ignored and the client is the peer). See lc_http_req_t.client_ip. */
    const lc_cidr_list_t *trusted_proxies;
} lc_http_options_t;

/* Defaults from lectern/limits.h. */
void lc_http_options_default(lc_http_options_t *o);

/* One request. Everything it points to is *arena* (lives until the response is sent). */
typedef struct lc_http_req {
    lc_arena_t *arena; /* the request arena, for handlers' allocations */
    lc_http_method_t method;
    lc_str_t method_name;   /* as sent, e.g. "GET" */
    lc_str_t path;          /* without the query string, not decoded */
    lc_str_t body;          /* complete body (empty for none) */
    const char *request_id; /* also sent back as X-Request-Id */
    /* The client's address as text: the peer's, or, when the peer is a trusted proxy, the
     * X-Forwarded-For entry nearest to lectern that is not itself a trusted proxy (entries are
     * read right to left: each proxy appends the address it received the request from, so only
     * the entries appended by trusted proxies are believed). A malformed entry ends the walk at
     * the last address believed. */
    const char *client_ip;
    const char *peer_ip; /* the address that connected (the proxy's, behind one) */
    void *conn;          /* internal (struct MHD_Connection *) */
} lc_http_req_t;

/* Header value by case-insensitive name; {NULL,0} when absent. Arena/borrowed. */
lc_str_t lc_http_req_header(const lc_http_req_t *req, const char *name);
/* Decoded query-string argument; {NULL,0} when absent. */
lc_str_t lc_http_req_query(const lc_http_req_t *req, const char *name);

#define LC_HTTP_MAX_RESP_HEADERS 16

typedef struct lc_http_header {
    const char *name;  /* static or arena */
    const char *value; /* static or arena */
} lc_http_header_t;

/* The response a handler fills. status defaults to 200, content_type to application/json. */
typedef struct lc_http_resp {
    int status;
    const char *content_type;
    lc_buf_t body; /* arena-backed, limited by the server */
    lc_http_header_t headers[LC_HTTP_MAX_RESP_HEADERS];
    unsigned nheaders;
    /* When not NULL, sent instead of body: static storage (an embedded file), never copied. */
    const void *static_body;
    size_t static_len;
} lc_http_resp_t;

/* Adds a header (name and value must outlive the response: static or arena).
 * LC_ELIMIT past LC_HTTP_MAX_RESP_HEADERS. */
int lc_http_resp_header(lc_http_resp_t *resp, const char *name, const char *value);
/* Sets status and a JSON body {"error":{"code":code,"message":message}}. */
void lc_http_resp_error(lc_http_resp_t *resp, int status, const char *code, const char *message);

/* A handler returns LC_OK after filling resp; any other status makes the server answer 500 with
 * a generic JSON error (the handler logs the cause). `ctx` is the route's. */
typedef int (*lc_http_handler_fn)(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp);

typedef struct lc_http_route {
    const char *path; /* exact path, or a prefix when it ends with '*' (e.g. "/console/" + "*") */
    unsigned methods; /* OR of lc_http_method_t; others get 405 with Allow */
    lc_http_handler_fn fn;
    void *ctx; /* borrowed */
} lc_http_route_t;

/* Creates and starts a server listening on o->host:o->port with the given routes (copied).
 * Unknown paths get 404 with a JSON body. Returns LC_EINVAL for bad options, LC_EIO when the
 * address cannot be bound (logged with the reason), LC_ENOMEM. *out is owned: stop with
 * lc_http_server_destroy. */
int lc_http_server_create(const lc_http_options_t *o, const lc_http_route_t *routes, size_t nroutes,
                          lc_http_server_t **out) LC_MUST_CHECK;
/* The port actually bound (useful with port 0). */
uint16_t lc_http_server_port(const lc_http_server_t *s);
/* Graceful stop: stop accepting, let in-flight requests finish for at most
 * shutdown_timeout_s, close every connection, free the server. NULL is a no-op. */
void lc_http_server_destroy(lc_http_server_t *s);

/* ---- Counters (what lectern's /metrics reports) ----
 * Every request that reaches a handler or an error answer of the server is counted, when it
 * completes, under the route it was for: index i < lc_http_server_nroutes() in the order
 * given to lc_http_server_create (lc_http_server_route_path names it), also when the
 * server answered before the handler ran (413, 431), or under index nroutes when no route fits
 * the path and method (404, 405). Counted when the response has been sent, so a client that
 * has read its response may look a moment before its request is counted. Each counter is a
 * relaxed atomic: a read is exact per counter, not a snapshot across counters. */
#define LC_HTTP_LATENCY_BUCKETS 14
/* Upper bounds of the latency buckets, in microseconds, ascending. */
extern const int64_t lc_http_latency_bucket_us[LC_HTTP_LATENCY_BUCKETS];

typedef struct lc_http_route_stats {
    uint64_t status[6]; /* [k]: answers with a status of k00-k99 (k 1..5); [0]: none known */
    uint64_t bucket[LC_HTTP_LATENCY_BUCKETS + 1]; /* [j]: took at most bound j (and more than
                                                     bound j-1); the last: slower than all */
    uint64_t count;                               /* requests */
    uint64_t duration_us; /* their total time, from the request line to the response sent */
} lc_http_route_stats_t;

/* Routes plus one: the last index counts the requests no route answered. */
size_t lc_http_server_nroutes(const lc_http_server_t *s);
/* The path of route i as given to lc_http_server_create ("/console/" + "*" for a prefix), or
 * NULL for i >= nroutes. Borrowed from the server. */
const char *lc_http_server_route_path(const lc_http_server_t *s, size_t i);
/* Counters of route i (i <= nroutes; zeros otherwise). */
void lc_http_server_route_stats(const lc_http_server_t *s, size_t i, lc_http_route_stats_t *out);
/* Connections open and requests being handled now. */
void lc_http_server_load(const lc_http_server_t *s, uint64_t *connections, uint64_t *in_flight);

/* Blocks the calling thread until SIGTERM or SIGINT arrives (signals are blocked in the
 * server's threads). Returns the signal number. */
int lc_http_wait_for_shutdown_signal(void);

#endif
