/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/server.c in-process, over loopback: what the lectern binary's routes
 * cannot show from outside (header and query lookup, handler failures, response headers, the
 * arena reset between keep-alive requests, the access log's fields), creation failures, the
 * shutdown signal and the drain of an in-flight request. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http_int.h"
#include "lectern/alloc.h"
#include "lectern/limits.h"
#include "lectern/log.h"

#include "test_client.h"

/* ---- Routes ---- */

static int h_echo(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    resp->content_type = "application/octet-stream";
    if (lc_http_resp_header(resp, "X-Len", lc_arena_printf(req->arena, "%zu", req->body.len)) !=
        LC_OK)
        return LC_ENOMEM;
    return lc_buf_append(&resp->body, req->body.ptr, req->body.len);
}

static void put_str(lc_jw_t *w, const char *key, lc_str_t v) {
    lc_jw_key(w, key);
    if (v.ptr)
        lc_jw_str(w, v);
    else
        lc_jw_null(w);
}

static int h_lookup(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    lc_jw_t w;
    (void)ctx;
    lc_jw_init(&w, &resp->body);
    lc_jw_obj_begin(&w);
    put_str(&w, "x_test", lc_http_req_header(req, "x-TEST"));
    put_str(&w, "missing", lc_http_req_header(req, "X-Missing"));
    put_str(&w, "q", lc_http_req_query(req, "q"));
    put_str(&w, "Q", lc_http_req_query(req, "Q"));
    put_str(&w, "empty", lc_http_req_query(req, "empty"));
    put_str(&w, "none", lc_http_req_query(req, "none"));
    put_str(&w, "path", req->path);
    put_str(&w, "method", req->method_name);
    lc_jw_key(&w, "id_len");
    lc_jw_i64(&w, (int64_t)strlen(req->request_id));
    put_str(&w, "ip", lc_str_from(req->client_ip));
    lc_jw_obj_end(&w);
    return lc_jw_finish(&w);
}

static int h_fail(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    (void)req;
    lc_buf_append_cstr(&resp->body, "half-written");
    return LC_ESTORE;
}

static int h_bad_status(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    (void)req;
    resp->status = 42;
    return LC_OK;
}

static int h_bad_header(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    (void)req;
    return lc_http_resp_header(resp, "X-Split", "a\r\nSet-Cookie: evil=1");
}

/* Allocates the same amount at every request and reports the arena's use: constant across
 * keep-alive requests only if the arena is reset between them. */
static int h_arena(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    (void)ctx;
    if (!lc_arena_alloc(req->arena, 40000))
        return LC_ENOMEM;
    return lc_buf_printf(&resp->body, "%zu", lc_arena_used(req->arena));
}

static int h_slow(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    struct timespec ts = {0, 400 * 1000000L};
    (void)ctx;
    (void)req;
    nanosleep(&ts, NULL);
    return lc_buf_append_cstr(&resp->body, "done");
}

static const lc_http_route_t routes[] = {
    {"/echo", LC_HTTP_POST | LC_HTTP_PUT, h_echo, NULL},
    {"/lookup/*", LC_HTTP_GET, h_lookup, NULL},
    {"/fail", LC_HTTP_GET, h_fail, NULL},
    {"/bad-status", LC_HTTP_GET, h_bad_status, NULL},
    {"/bad-header", LC_HTTP_GET, h_bad_header, NULL},
    {"/arena", LC_HTTP_GET, h_arena, NULL},
    {"/slow", LC_HTTP_GET, h_slow, NULL},
};
#define NROUTES (sizeof routes / sizeof routes[0])

/* ---- Fixture: one server, its log captured in a temporary file ---- */

typedef struct fixture {
    lc_http_server_t *s;
    uint16_t port;
    FILE *log;
} fixture_t;

static int setup(void **state) {
    fixture_t *f = calloc(1, sizeof *f);
    lc_http_options_t o;
    lc_http_options_default(&o);
    o.port = 0;
    o.threads = 2;
    o.max_body_bytes = 64;
    f->log = tmpfile();
    lc_log_set_fd(fileno(f->log));
    lc_log_set_level(LC_LOG_INFO);
    if (!f->log || lc_http_server_create(&o, routes, NROUTES, &f->s) != LC_OK)
        return -1;
    f->port = lc_http_server_port(f->s);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    lc_http_server_destroy(f->s);
    lc_log_set_fd(2);
    fclose(f->log);
    free(f);
    lc_alloc_fail_reset();
    return 0;
}

/* Every log line so far, NUL-terminated (caller frees). */
static char *read_log(fixture_t *f) {
    long n;
    char *text;
    fflush(f->log);
    n = lseek(fileno(f->log), 0, SEEK_END);
    text = calloc(1, (size_t)n + 1);
    assert_int_equal(pread(fileno(f->log), text, (size_t)n, 0), n);
    return text;
}

static void test_lookup(void **state) {
    fixture_t *f = *state;
    response_t r = get(f->port, "GET /lookup/a%20b?q=1%2B2&Q=upper&empty=&secret=s1 HTTP/1.1\r\n"
                                "Host: x\r\nX-Test: hello\r\n\r\n");
    assert_int_equal(r.status, 200);
    /* path is raw (not decoded); query values are decoded; keys are case-sensitive; an empty
     * value is "" and an absent one null; header names are case-insensitive */
    assert_string_equal(r.body,
                        "{\"x_test\":\"hello\",\"missing\":null,\"q\":\"1+2\",\"Q\":\"upper\","
                        "\"empty\":\"\",\"none\":null,\"path\":\"/lookup/a%20b\","
                        "\"method\":\"GET\",\"id_len\":16,\"ip\":\"127.0.0.1\"}");
    assert_non_null(strstr(r.head, "\r\nContent-Type: application/json"));
}

static void test_echo_body_and_headers(void **state) {
    fixture_t *f = *state;
    response_t r = get(f->port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n"
                                "hello world");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 11);
    assert_memory_equal(r.body, "hello world", 11);
    assert_non_null(strstr(r.head, "\r\nX-Len: 11"));
    assert_non_null(strstr(r.head, "\r\nContent-Type: application/octet-stream"));
    assert_non_null(strstr(r.head, "\r\nX-Request-Id: "));
    /* chunked, exactly at the limit (64) */
    r = get(f->port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "20\r\n0123456789abcdef0123456789abcdef\r\n"
                     "20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 64);
    /* one byte more */
    r = get(f->port, "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "20\r\n0123456789abcdef0123456789abcdef\r\n"
                     "21\r\n0123456789abcdef0123456789abcdefX\r\n0\r\n\r\n");
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(r.body, "\"PAYLOAD_TOO_LARGE\""));
    /* empty body */
    r = get(f->port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
}

static void test_handler_failures_are_500(void **state) {
    fixture_t *f = *state;
    static const char *paths[] = {"/fail", "/bad-status", "/bad-header"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char req[128];
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", paths[i]);
        response_t r = get(f->port, req);
        assert_int_equal(r.status, 500);
        assert_string_equal(r.body,
                            "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"internal error\"}}");
        assert_null(strstr(r.head, "evil"));
        assert_null(strstr(r.body, "half-written"));
    }
}

static void test_keep_alive_resets_the_arena(void **state) {
    fixture_t *f = *state;
    int fd = client_connect(f->port);
    char first[sizeof((response_t *)0)->body] = "";
    for (int i = 0; i < 4; i++) {
        response_t r;
        client_send(fd, "GET /arena HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_int_equal(client_read(fd, &r), 0);
        assert_int_equal(r.status, 200);
        assert_null(strcasestr(r.head, "Connection: close"));
        if (i == 0)
            memcpy(first, r.body, sizeof first);
        else
            assert_string_equal(r.body, first);
    }
    close(fd);
}

static void test_access_log(void **state) {
    fixture_t *f = *state;
    response_t r = get(f->port, "GET /lookup/x?token=query-secret HTTP/1.1\r\nHost: x\r\n"
                                "Authorization: Bearer header-secret\r\n\r\n");
    assert_int_equal(r.status, 200);
    char id[LC_HTTP__REQUEST_ID_LEN + 1];
    const char *h = strstr(r.head, "X-Request-Id: ");
    assert_non_null(h);
    memcpy(id, h + 14, LC_HTTP__REQUEST_ID_LEN);
    id[LC_HTTP__REQUEST_ID_LEN] = '\0';
    /* the line is written after the response is sent: give the worker a moment */
    char *log = NULL;
    const char *line = NULL;
    for (int i = 0; i < 200 && !line; i++) {
        free(log);
        log = read_log(f);
        line = strstr(log, id);
        if (!line) {
            struct timespec ts = {0, 5 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    assert_non_null(line);
    const char *start = line;
    while (start > log && start[-1] != '\n')
        start--;
    const char *end = strchr(line, '\n');
    assert_non_null(end);
    char *one = strndup(start, (size_t)(end - start));
    assert_non_null(strstr(one, "\"event\":\"http.access\""));
    assert_non_null(strstr(one, "\"method\":\"GET\""));
    assert_non_null(strstr(one, "\"path\":\"/lookup/x\""));
    assert_non_null(strstr(one, "\"status\":200"));
    assert_non_null(strstr(one, "\"bytes\":"));
    assert_non_null(strstr(one, "\"duration_us\":"));
    assert_non_null(strstr(one, "\"ip\":\"127.0.0.1\""));
    assert_null(strstr(log, "query-secret"));
    assert_null(strstr(log, "header-secret"));
    free(one);
    free(log);
}

static void test_out_of_memory(void **state) {
    fixture_t *f = *state;
    response_t r;
    /* No memory for a new connection's context: a static 503, then service as usual. */
    lc_alloc_fail_after(0);
    r = get(f->port, "GET /lookup/x HTTP/1.1\r\nHost: x\r\n\r\n");
    lc_alloc_fail_reset();
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body, "\"UNAVAILABLE\""));
    /* No memory inside a request (the handler's arena allocation): 500, connection kept. */
    int fd = client_connect(f->port);
    client_send(fd, "GET /arena HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(client_read(fd, &r), 0);
    assert_int_equal(r.status, 200);
    lc_alloc_fail_after(0);
    client_send(fd, "GET /arena HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(client_read(fd, &r), 0);
    lc_alloc_fail_reset();
    assert_int_equal(r.status, 500);
    client_send(fd, "GET /arena HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(client_read(fd, &r), 0);
    assert_int_equal(r.status, 200);
    close(fd);
}

/* A chunked body far past the limit is not read to its end: the connection is closed. */
static void test_endless_body_is_cut_off(void **state) {
    fixture_t *f = *state;
    static char chunk[70000];
    int fd = client_connect(f->port);
    size_t sent = 0;
    char c;
    client_send(fd, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    memset(chunk, 'z', sizeof chunk);
    memcpy(chunk, "10000\r\n", 7); /* 64 KiB chunks, framing included */
    memcpy(chunk + 7 + 0x10000, "\r\n", 2);
    struct timeval tv = {.tv_sec = 5};
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
    bool cut = false;
    /* Up to 16 MiB: kernel buffers absorb a few MiB after the server stops reading. */
    for (int i = 0; i < 256 && !cut; i++) {
        ssize_t w = send(fd, chunk, 7 + 0x10000 + 2, MSG_NOSIGNAL);
        if (w <= 0)
            cut = true; /* the server hung up: what we expect */
        else
            sent += (size_t)w;
    }
    assert_true(cut);
    assert_true(sent > LC_LIMIT_HTTP_DISCARD_BYTES);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 5000), 1);
    assert_true(recv(fd, &c, 1, 0) <= 0); /* closed, no answer */
    close(fd);
    response_t r = get(f->port, "GET /lookup/x HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(r.status, 200);
}

typedef struct slow_call {
    uint16_t port;
    int fd;
    response_t r;
    int rc;
} slow_call_t;

static void *slow_client(void *arg) {
    slow_call_t *c = arg;
    c->rc = client_read(c->fd, &c->r);
    return NULL;
}

static void test_destroy_drains_in_flight(void **state) {
    fixture_t *f = *state;
    slow_call_t c = {.port = f->port};
    pthread_t t;
    struct timespec ts = {0, 100 * 1000000L};
    c.fd = client_connect(f->port);
    client_send(c.fd, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(pthread_create(&t, NULL, slow_client, &c), 0);
    nanosleep(&ts, NULL); /* the handler is sleeping now */
    lc_http_server_destroy(f->s);
    f->s = NULL;
    pthread_join(t, NULL);
    assert_int_equal(c.rc, 0);
    assert_int_equal(c.r.status, 200);
    assert_string_equal(c.r.body, "done");
    assert_non_null(strcasestr(c.r.head, "Connection: close"));
    close(c.fd);
    char *log = read_log(f);
    assert_non_null(strstr(log, "\"event\":\"http.drained\""));
    assert_non_null(strstr(log, "\"abandoned\":0"));
    free(log);
}

/* The counters of route i once `count` requests are in them: they are counted after the
 * response is sent, so a client may get there first (a wait for an event, not a timing). */
static lc_http_route_stats_t stats_at(fixture_t *f, size_t i, uint64_t count) {
    lc_http_route_stats_t st;
    for (int tries = 0; tries < 500; tries++) {
        lc_http_server_route_stats(f->s, i, &st);
        if (st.count >= count)
            break;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(st.count, count);
    return st;
}

static size_t route_index(fixture_t *f, const char *path) {
    for (size_t i = 0; i < lc_http_server_nroutes(f->s); i++)
        if (strcmp(lc_http_server_route_path(f->s, i), path) == 0)
            return i;
    fail_msg("no route %s", path);
    return 0;
}

static void test_route_stats(void **state) {
    fixture_t *f = *state;
    size_t n = lc_http_server_nroutes(f->s);
    assert_int_equal(n, NROUTES);
    assert_string_equal(lc_http_server_route_path(f->s, 1), "/lookup/*"); /* as given */
    assert_null(lc_http_server_route_path(f->s, n));
    size_t lookup = route_index(f, "/lookup/*"), echo = route_index(f, "/echo");
    size_t fail = route_index(f, "/fail");

    for (int i = 0; i < 3; i++)
        assert_int_equal(get(f->port, "GET /lookup/x HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
    assert_int_equal(get(f->port, "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n").status, 500);
    /* Answered before the handler ran: still the route's. */
    assert_int_equal(
        get(f->port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n").status, 413);
    assert_int_equal(
        get(f->port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi").status, 200);
    /* No route for the path, or none for the method: the last index. */
    assert_int_equal(get(f->port, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n").status, 404);
    assert_int_equal(get(f->port, "DELETE /fail HTTP/1.1\r\nHost: x\r\n\r\n").status, 405);
    /* One that takes 400 ms lands in the bucket of 500 ms. */
    assert_int_equal(get(f->port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);

    lc_http_route_stats_t st = stats_at(f, lookup, 3);
    assert_int_equal(st.status[2], 3);
    assert_int_equal(st.status[4] + st.status[5] + st.status[0], 0);
    uint64_t in_buckets = 0;
    for (size_t j = 0; j <= LC_HTTP_LATENCY_BUCKETS; j++)
        in_buckets += st.bucket[j];
    assert_int_equal(in_buckets, 3);
    st = stats_at(f, fail, 1);
    assert_int_equal(st.status[5], 1);
    st = stats_at(f, echo, 2);
    assert_int_equal(st.status[4], 1);
    assert_int_equal(st.status[2], 1);
    st = stats_at(f, n, 2);
    assert_int_equal(st.status[4], 2);
    st = stats_at(f, route_index(f, "/slow"), 1);
    size_t j = 0;
    while (lc_http_latency_bucket_us[j] < 400000)
        j++;
    assert_int_equal(lc_http_latency_bucket_us[j], 500000);
    assert_int_equal(st.bucket[j], 1);
    assert_true(st.duration_us >= 400000);
    /* A route never asked for, an index past the end: zeros. */
    st = stats_at(f, route_index(f, "/arena"), 0);
    lc_http_server_route_stats(f->s, n + 1, &st);
    assert_int_equal(st.count, 0);

    /* Load: one idle keep-alive connection open, nothing in flight. */
    int fd = client_connect(f->port);
    response_t r;
    client_send(fd, "GET /arena HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(client_read(fd, &r), 0);
    stats_at(f, route_index(f, "/arena"), 1);
    uint64_t conns = 0, in_flight = 9;
    lc_http_server_load(f->s, &conns, &in_flight);
    assert_int_equal(conns, 1);
    assert_int_equal(in_flight, 0);
    close(fd);
}

/* The "ip" h_lookup reports for a request with these extra header lines. */
static void expect_client(uint16_t port, const char *headers, const char *want) {
    char req[1024], ip[80];
    snprintf(req, sizeof req, "GET /lookup/ip HTTP/1.1\r\nHost: x\r\n%s\r\n", headers);
    response_t r = get(port, req);
    assert_int_equal(r.status, 200);
    snprintf(ip, sizeof ip, "\"ip\":\"%s\"", want);
    if (!strstr(r.body, ip))
        fail_msg("headers [%s]: want %s, got %s", headers, want, r.body);
}

static void test_forwarded_client(void **state) {
    fixture_t *f = *state;
    /* Not a trusted peer (the fixture trusts nobody): the header is ignored. */
    expect_client(f->port, "X-Forwarded-For: 198.51.100.7\r\n", "127.0.0.1");

    lc_http_server_t *s = NULL;
    lc_http_options_t o;
    lc_http_options_default(&o);
    o.port = 0;
    o.threads = 1;
    lc_cidr_list_t trusted;
    char err[200];
    assert_int_equal(
        lc_cidr_list_parse(lc_str_from("127.0.0.1 203.0.113.0/24"), &trusted, err, sizeof err),
        LC_OK);
    o.trusted_proxies = &trusted;
    assert_int_equal(lc_http_server_create(&o, routes, NROUTES, &s), LC_OK);
    memset(&trusted, 0, sizeof trusted); /* the server keeps its own copy */
    uint16_t port = lc_http_server_port(s);
    static const struct {
        const char *headers, *want;
    } cases[] = {
        {"", "127.0.0.1"},
        {"X-Forwarded-For: 198.51.100.7\r\n", "198.51.100.7"},
        /* What the client wrote itself is to the left of what the proxy appended. */
        {"X-Forwarded-For: 1.1.1.1, 198.51.100.7\r\n", "198.51.100.7"},
        {"X-Forwarded-For: 127.0.0.1, 198.51.100.7\r\n", "198.51.100.7"},
        /* A second trusted hop is passed over. */
        {"X-Forwarded-For: 198.51.100.7, 203.0.113.5\r\n", "198.51.100.7"},
        {"x-forwarded-for: 198.51.100.7,203.0.113.5 , 203.0.113.9\r\n", "198.51.100.7"},
        /* Only trusted hops: the farthest. */
        {"X-Forwarded-For: 203.0.113.5\r\n", "203.0.113.5"},
        /* Malformed: the walk stops at the last address believed. */
        {"X-Forwarded-For: 198.51.100.7, unknown\r\n", "127.0.0.1"},
        {"X-Forwarded-For: unknown, 198.51.100.7\r\n", "198.51.100.7"},
        {"X-Forwarded-For: 198.51.100.7, unknown, 203.0.113.5\r\n", "203.0.113.5"},
        {"X-Forwarded-For: \r\n", "127.0.0.1"},
        {"X-Forwarded-For: 198.51.100.7,\r\n", "127.0.0.1"},
        /* Ports, brackets, IPv6, mapped IPv4. */
        {"X-Forwarded-For: 198.51.100.7:5555\r\n", "198.51.100.7"},
        {"X-Forwarded-For: [2001:db8::7]:443\r\n", "2001:db8::7"},
        {"X-Forwarded-For: 2001:DB8::7\r\n", "2001:db8::7"},
        {"X-Forwarded-For: ::ffff:198.51.100.7\r\n", "198.51.100.7"},
        /* Several lines are one list, in order. */
        {"X-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 198.51.100.7\r\n", "198.51.100.7"},
        {"X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-For: 203.0.113.5\r\n", "198.51.100.7"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_client(port, cases[i].headers, cases[i].want);
    lc_http_server_destroy(s);

    /* The access log names the client and, behind a proxy, the peer. */
    char *log = read_log(f);
    assert_non_null(strstr(log, "\"ip\":\"198.51.100.7\",\"peer\":\"127.0.0.1\""));
    free(log);
}

static void test_create_failures(void **state) {
    (void)state;
    lc_http_options_t o;
    lc_http_server_t *s = NULL, *s2 = NULL;
    lc_log_set_level(LC_LOG_OFF);

    lc_http_options_default(&o);
    o.port = 0;
    o.max_body_bytes = 0;
    assert_int_equal(lc_http_server_create(&o, routes, NROUTES, &s), LC_EINVAL);
    assert_null(s);
    lc_http_options_default(&o);
    o.port = 0;
    assert_int_equal(lc_http_server_create(NULL, routes, NROUTES, &s), LC_EINVAL);
    assert_int_equal(lc_http_server_create(&o, routes, NROUTES, NULL), LC_EINVAL);
    const lc_http_route_t bad = {"nope", LC_HTTP_GET, h_fail, NULL};
    assert_int_equal(lc_http_server_create(&o, &bad, 1, &s), LC_EINVAL);
    assert_null(s);

    /* the port of a running server */
    assert_int_equal(lc_http_server_create(&o, routes, NROUTES, &s), LC_OK);
    o.port = lc_http_server_port(s);
    assert_int_equal(lc_http_server_create(&o, routes, NROUTES, &s2), LC_EIO);
    assert_null(s2);
    lc_http_server_destroy(s);
    lc_http_server_destroy(NULL);

    /* every allocation of ours failing in turn: LC_ENOMEM, nothing leaked (ASan checks) */
    o.port = 0;
    for (long n = 0;; n++) {
        lc_alloc_fail_after(n);
        int rc = lc_http_server_create(&o, routes, NROUTES, &s);
        long failures = lc_alloc_failures();
        lc_alloc_fail_reset();
        if (rc == LC_OK) {
            assert_int_equal(failures, 0);
            lc_http_server_destroy(s);
            break;
        }
        assert_int_equal(rc, LC_ENOMEM);
        assert_true(n < 100);
    }
    lc_log_set_level(LC_LOG_INFO);
}

static void test_shutdown_signal(void **state) {
    (void)state;
    lc_log_set_level(LC_LOG_OFF);
    /* SIGTERM is blocked by now (the fixture's server was created), so it stays pending for
     * sigwait instead of ending the test. */
    assert_int_equal(kill(getpid(), SIGTERM), 0);
    assert_int_equal(lc_http_wait_for_shutdown_signal(), SIGTERM);
    assert_int_equal(kill(getpid(), SIGINT), 0);
    assert_int_equal(lc_http_wait_for_shutdown_signal(), SIGINT);
    /* SIGPIPE is ignored: writing to a closed pipe is an error, not death */
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[0]);
    assert_int_equal(write(p[1], "x", 1), -1);
    assert_int_equal(errno, EPIPE);
    close(p[1]);
    lc_log_set_level(LC_LOG_INFO);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_echo_body_and_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handler_failures_are_500, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_alive_resets_the_arena, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endless_body_is_cut_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_drains_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forwarded_client, setup, teardown),
        cmocka_unit_test(test_create_failures),
        cmocka_unit_test_setup_teardown(test_shutdown_signal, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
