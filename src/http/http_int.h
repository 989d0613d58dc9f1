/* SPDX-License-Identifier: MIT */
/* Private to src/http: the router, the request-id generator, method names, the listening
 * socket and the option checks that server.c glues to libmicrohttpd. Split out so that unit
 * tests can drive them without a socket. */
#ifndef LECTERN_HTTP_INT_H
#define LECTERN_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/http.h"
#include "lectern/str.h"

/* ---- Methods (router.c) ---- */

/* The method token as sent, case-sensitive (RFC 9110 §9.1); LC_HTTP_OTHER for any other. */
lc_http_method_t lc_http__method_parse(lc_str_t name);
/* "GET", ...; "OTHER" for LC_HTTP_OTHER or a value that is not a single method. Static. */
const char *lc_http__method_name(lc_http_method_t m);

/* Longest Allow value: "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS" plus the NUL. */
#define LC_HTTP__ALLOW_MAX 64
/* Writes the Allow header value for a method set into out (LC_HTTP__ALLOW_MAX bytes): methods
 * in a fixed order, ", "-separated; HEAD is included whenever GET is (MHD answers HEAD for a
 * GET route). Returns out. */
char *lc_http__allow_format(unsigned methods, char out[LC_HTTP__ALLOW_MAX]);

/* ---- Client address behind proxies (forwarded.c) ---- */

/* The client of the request on conn (a struct MHD_Connection *) whose peer is `peer`: the peer
 * itself unless it is in `trusted`, otherwise read from X-Forwarded-For as lc_http_req_t's
 * client_ip says. Returns peer or an arena string. */
const char *lc_http__forwarded_client(const lc_cidr_list_t *trusted, void *conn, const char *peer,
                                      lc_arena_t *arena);

/* ---- Router (router.c) ---- */

/* One route as the router keeps it: the pattern without its trailing '*'. */
typedef struct lc_http__route {
    lc_str_t pattern; /* points into the router's own block */
    bool prefix;      /* the route's path ended with '*' */
    unsigned methods;
    lc_http_handler_fn fn;
    void *ctx; /* borrowed */
} lc_http__route_t;

/* Immutable after init, so every worker thread reads it without a lock. */
typedef struct lc_http__router {
    lc_http__route_t *routes; /* owned, one block with the pattern bytes */
    size_t n;
} lc_http__router_t;

/* Copies routes (paths included) into one owned block. LC_EINVAL when a route has no handler,
 * no method, or a path that is NULL, does not start with '/' (a lone "*" is allowed), or has
 * a '*' anywhere but at the end; LC_ENOMEM. On failure r is left empty (dispose is safe). */
int lc_http__router_init(lc_http__router_t *r, const lc_http_route_t *routes,
                         size_t n) LC_MUST_CHECK;
void lc_http__router_dispose(lc_http__router_t *r);

/* Finds the route for (path, method). Exact routes win over prefix routes, and a longer prefix
 * over a shorter one; among the routes of the winning pattern the first that accepts the method
 * is returned (HEAD is accepted by a GET route). *allow (never NULL) receives the methods the
 * winning pattern accepts, 0 when no pattern matches the path. Returns NULL when no route fits:
 * *allow == 0 means 404, otherwise 405. Result is borrowed from the router. */
const lc_http__route_t *lc_http__router_match(const lc_http__router_t *r, lc_str_t path,
                                              lc_http_method_t method, unsigned *allow);

/* ---- Responses (response.c) ---- */

/* Resets resp for a new request: status 200, application/json, empty arena-backed body
 * limited to LC_LIMIT_REQUEST_ARENA_BYTES, no headers. */
void lc_http__resp_init(lc_http_resp_t *resp, lc_arena_t *arena);

/* ---- Request ids (request_id.c) ---- */

/* 16 lowercase hex digits and a NUL. */
#define LC_HTTP__REQUEST_ID_LEN 16
/* Formats a per-process random 32-bit prefix (from getrandom) and a 32-bit counter.
 * Thread-safe; never fails (falls back to time and pid if the kernel has no entropy call). */
void lc_http__request_id_next(char out[LC_HTTP__REQUEST_ID_LEN + 1]);
/* The formatting half, for tests: prefix and counter as 8 + 8 hex digits. */
void lc_http__request_id_format(uint32_t prefix, uint32_t counter,
                                char out[LC_HTTP__REQUEST_ID_LEN + 1]);

/* ---- Options and the listening socket (listen.c) ---- */

/* Range of max_header_bytes. MHD's per-connection memory pool is sized from it. */
#define LC_HTTP__MIN_HEADER_BYTES 256u
#define LC_HTTP__MAX_HEADER_BYTES (1024u * 1024u)

/* LC_EINVAL (and a log line naming the option) when an option is out of range: no host,
 * threads > LC_LIMIT_MAX_THREADS, max_body_bytes 0 or above LC_LIMIT_REQUEST_ARENA_BYTES,
 * max_header_bytes outside [LC_HTTP__MIN_HEADER_BYTES, LC_HTTP__MAX_HEADER_BYTES], zero
 * max_connections or a zero conn_timeout_s. shutdown_timeout_s 0 is valid (no drain). */
int lc_http__options_check(const lc_http_options_t *o) LC_MUST_CHECK;

/* Thread count actually used: o->threads, or the number of online CPUs when 0, clamped to
 * [1, LC_LIMIT_MAX_THREADS]. */
unsigned lc_http__threads_effective(unsigned threads);

/* Descriptors kept for everything but client connections (listen socket, epoll, store...). */
#define LC_HTTP__FD_RESERVE 64u
/* Raises the soft RLIMIT_NOFILE to max_connections + LC_HTTP__FD_RESERVE when the hard limit
 * allows; logs a warning when it cannot. */
void lc_http__fd_limit_raise(unsigned max_connections);

/* Opens a non-blocking TCP socket listening on host:port (IPv4 or IPv6 literal, or a name that
 * resolves to one). *fd is owned (close it); *bound_port is the port the kernel gave. LC_EIO
 * when no address could be bound (logged with the reason), LC_EINVAL for an unusable host. */
int lc_http__listen(const char *host, uint16_t port, int *fd, uint16_t *bound_port) LC_MUST_CHECK;

#endif
