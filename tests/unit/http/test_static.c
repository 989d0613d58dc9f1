/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/static.c over a real server on loopback: content types by extension,
 * the ETag and 304 (also for a list and for W/ tags), the single-page fallback, 404 for an
 * unknown file under the prefix, the caller's headers on every answer, HEAD, and the creation
 * errors (unknown type, missing fallback, too many headers). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lectern/http_static.h"
#include "lectern/log.h"
#include "test_client.h"

static const unsigned char index_data[] = "<!doctype html><p>shell</p>";
static const unsigned char app_data[] = "export const x = 1;\n";
static const unsigned char css_data[] = "body{margin:0}";
static const lc_embed_file_t files[] = {
    {"app.css", css_data, sizeof css_data - 1},
    {"app.js", app_data, sizeof app_data - 1},
    {"index.html", index_data, sizeof index_data - 1},
    {NULL, NULL, 0},
};
static const lc_http_header_t extra[] = {
    {"Content-Security-Policy", "default-src 'none'"},
    {"X-Content-Type-Options", "nosniff"},
};

typedef struct fixture {
    lc_http_static_t *st;
    lc_http_server_t *s;
    uint16_t port;
} fixture_t;

static int setup(void **state) {
    static fixture_t f;
    lc_http_static_options_t so = {.files = files,
                                   .prefix = "/app/static/",
                                   .fallback = "index.html",
                                   .headers = extra,
                                   .nheaders = 2};
    lc_http_options_t o;
    memset(&f, 0, sizeof f);
    lc_log_set_level(LC_LOG_OFF);
    if (lc_http_static_create(&so, &f.st) != LC_OK)
        return -1;
    lc_http_route_t routes[] = {{"/app/*", LC_HTTP_GET, lc_http_static_handle, f.st}};
    lc_http_options_default(&o);
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    if (lc_http_server_create(&o, routes, 1, &f.s) != LC_OK)
        return -1;
    f.port = lc_http_server_port(f.s);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    lc_http_server_destroy(f->s);
    lc_http_static_destroy(f->st);
    return 0;
}

/* The value of header name in r's head (copied into out), or NULL. */
static const char *header(const response_t *r, const char *name, char *out, size_t cap) {
    char key[128];
    snprintf(key, sizeof key, "\r\n%s: ", name);
    const char *p = strcasestr(r->head, key);
    if (!p)
        return NULL;
    p += strlen(key);
    size_t n = strcspn(p, "\r");
    if (n >= cap)
        return NULL;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static response_t fetch(uint16_t port, const char *method, const char *path, const char *more) {
    char req[1024];
    snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n", method,
             path, more ? more : "");
    return get(port, req);
}

static void test_types_and_headers(void **state) {
    fixture_t *f = *state;
    char v[256];
    response_t r = fetch(f->port, "GET", "/app/static/app.js", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/javascript; charset=utf-8");
    assert_int_equal(r.body_len, sizeof app_data - 1);
    assert_memory_equal(r.body, app_data, r.body_len);
    assert_string_equal(header(&r, "Content-Security-Policy", v, sizeof v), "default-src 'none'");
    assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
    assert_string_equal(header(&r, "Cache-Control", v, sizeof v), "no-cache");
    r = fetch(f->port, "GET", "/app/static/app.css", NULL);
    assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/css; charset=utf-8");
}

static void test_fallback_and_404(void **state) {
    fixture_t *f = *state;
    char v[256];
    const char *paths[] = {"/app/", "/app/users/42", "/app/settings/tokens?x=1"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        response_t r = fetch(f->port, "GET", paths[i], NULL);
        assert_int_equal(r.status, 200);
        assert_string_equal(header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
        assert_memory_equal(r.body, index_data, sizeof index_data - 1);
    }
    /* Under the prefix only real files; names are matched exactly (no path walking). */
    const char *missing[] = {"/app/static/nope.js", "/app/static/", "/app/static/../index.html",
                             "/app/static/app.js/", "/app/static/APP.JS"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        response_t r = fetch(f->port, "GET", missing[i], NULL);
        assert_int_equal(r.status, 404);
        assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
    }
}

static void test_etag_304(void **state) {
    fixture_t *f = *state;
    char etag[64], v[256], more[768];
    response_t r = fetch(f->port, "GET", "/app/static/app.js", NULL);
    assert_non_null(header(&r, "ETag", etag, sizeof etag));
    assert_int_equal(strlen(etag), 18);
    assert_int_equal(etag[0], '"');
    /* Another file has another tag. */
    response_t c = fetch(f->port, "GET", "/app/static/app.css", NULL);
    assert_string_not_equal(header(&c, "ETag", v, sizeof v), etag);

    char forms[5][128];
    snprintf(forms[0], sizeof forms[0], "%s", etag);
    snprintf(forms[1], sizeof forms[1], "W/%s", etag);
    snprintf(forms[2], sizeof forms[2], "\"nope\", %s", etag);
    snprintf(forms[3], sizeof forms[3], "*");
    snprintf(forms[4], sizeof forms[4], "\"a\",%s ,\"b\"", etag);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const char *inm = forms[i];
        snprintf(more, sizeof more, "If-None-Match: %s\r\n", inm);
        r = fetch(f->port, "GET", "/app/static/app.js", more);
        assert_int_equal(r.status, 304);
        assert_int_equal(r.body_len, 0);
        assert_string_equal(header(&r, "ETag", v, sizeof v), etag);
        assert_string_equal(header(&r, "Content-Security-Policy", v, sizeof v),
                            "default-src 'none'");
    }
    snprintf(more, sizeof more, "If-None-Match: \"0000000000000000\"\r\n");
    r = fetch(f->port, "GET", "/app/static/app.js", more);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, sizeof app_data - 1);
}

static void test_head(void **state) {
    fixture_t *f = *state;
    char v[64];
    int fd = client_connect(f->port);
    client_send(fd, "HEAD /app/static/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    char buf[2048];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    close(fd);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    snprintf(v, sizeof v, "Content-Length: %zu\r\n", sizeof app_data - 1);
    assert_non_null(strstr(buf, v));
    char *end = strstr(buf, "\r\n\r\n");
    assert_non_null(end);
    assert_int_equal(end + 4, buf + len); /* no body */
}

static void test_create_errors(void **state) {
    (void)state;
    lc_http_static_t *st = NULL;
    static const unsigned char bin[] = "x";
    const lc_embed_file_t odd[] = {{"data.bin", bin, 1}, {NULL, NULL, 0}};
    lc_http_static_options_t so = {.files = files, .prefix = "/s/", .fallback = "missing.html"};
    assert_int_equal(lc_http_static_create(&so, &st), LC_EINVAL);
    so.fallback = NULL;
    so.nheaders = LC_HTTP_STATIC_MAX_HEADERS + 1;
    so.headers = extra;
    assert_int_equal(lc_http_static_create(&so, &st), LC_EINVAL);
    so.nheaders = 0;
    so.files = odd;
    assert_int_equal(lc_http_static_create(&so, &st), LC_EINVAL);
    so.files = NULL;
    assert_int_equal(lc_http_static_create(&so, &st), LC_EINVAL);
    assert_int_equal(lc_http_static_create(NULL, &st), LC_EINVAL);
    assert_null(st);
    so.files = files;
    assert_int_equal(lc_http_static_create(&so, &st), LC_OK);
    lc_http_static_destroy(st);
    lc_http_static_destroy(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_headers), cmocka_unit_test(test_fallback_and_404),
        cmocka_unit_test(test_etag_304),          cmocka_unit_test(test_head),
        cmocka_unit_test(test_create_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
