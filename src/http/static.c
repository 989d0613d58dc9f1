/* SPDX-License-Identifier: MIT */
/* Embedded static files over HTTP (lectern/http_static.h): the router hands a path here, the
 * file is found by name in a table built at start-up, and its bytes go out from the binary's
 * read-only data. Validation is by ETag only: the files change exactly when the binary does. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lectern/alloc.h"
#include "lectern/http_static.h"
#include "lectern/log.h"

typedef struct asset {
    lc_str_t name;
    const lc_embed_file_t *file;
    const char *content_type; /* static */
    char etag[20];            /* "\"" + 16 hex + "\"" */
} asset_t;

struct lc_http_static {
    asset_t *assets;
    size_t n;
    lc_str_t prefix;
    const asset_t *fallback;
    lc_http_header_t headers[LC_HTTP_STATIC_MAX_HEADERS];
    size_t nheaders;
};

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && memcmp(name + n - e, types[i].ext, e) == 0)
            return types[i].type;
    }
    return NULL;
}

/* FNV-1a, 64 bits: an ETag only has to change when the bytes do (not resist an attacker). */
static uint64_t fnv1a(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static const asset_t *find(const lc_http_static_t *st, lc_str_t name) {
    for (size_t i = 0; i < st->n; i++)
        if (lc_str_eq(st->assets[i].name, name))
            return &st->assets[i];
    return NULL;
}

int lc_http_static_create(const lc_http_static_options_t *o, lc_http_static_t **out) {
    lc_http_static_t *st = NULL;
    int rc = LC_EINVAL;
    size_t n = 0;

    if (!o || !o->files || !o->prefix || !out || o->nheaders > LC_HTTP_STATIC_MAX_HEADERS ||
        (o->nheaders && !o->headers))
        return LC_EINVAL;
    while (o->files[n].name)
        n++;
    rc = LC_ENOMEM;
    st = lc_calloc(1, sizeof *st);
    if (!st || (n && !(st->assets = lc_calloc(n, sizeof *st->assets))))
        goto out;
    rc = LC_EINVAL;
    for (size_t i = 0; i < n; i++) {
        asset_t *a = &st->assets[i];
        a->file = &o->files[i];
        a->name = lc_str_from(a->file->name);
        a->content_type = type_of(a->file->name);
        if (!a->content_type) {
            lc_log_rec_t rec;
            lc_log_begin(&rec, LC_LOG_ERROR, "http.static_unknown_type");
            lc_log_cstr(&rec, "file", a->file->name);
            lc_log_end(&rec);
            goto out;
        }
        snprintf(a->etag, sizeof a->etag, "\"%016llx\"",
                 (unsigned long long)fnv1a(a->file->data, a->file->len));
    }
    st->n = n;
    st->prefix = lc_str_from(o->prefix);
    if (o->fallback && !(st->fallback = find(st, lc_str_from(o->fallback))))
        goto out;
    for (size_t i = 0; i < o->nheaders; i++)
        st->headers[i] = o->headers[i];
    st->nheaders = o->nheaders;
    *out = st;
    st = NULL;
    rc = LC_OK;
out:
    lc_http_static_destroy(st);
    return rc;
}

void lc_http_static_destroy(lc_http_static_t *st) {
    if (!st)
        return;
    lc_free(st->assets);
    lc_free(st);
}

/* If-None-Match: a list of entity tags, or "*" (RFC 9110 §13.1.2; weak comparison). */
static bool none_match(lc_str_t header, const char *etag) {
    size_t elen = strlen(etag);
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        const char *start = p;
        while (p < end && *p != ',')
            p++;
        const char *stop = p;
        while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
            stop--;
        if (stop - start >= 2 && start[0] == 'W' && start[1] == '/')
            start += 2;
        if ((stop - start == 1 && *start == '*') ||
            ((size_t)(stop - start) == elen && memcmp(start, etag, elen) == 0))
            return true;
    }
    return false;
}

int lc_http_static_handle(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    const lc_http_static_t *st = ctx;
    const asset_t *a;

    for (size_t i = 0; i < st->nheaders; i++)
        if (lc_http_resp_header(resp, st->headers[i].name, st->headers[i].value) != LC_OK)
            return LC_ELIMIT;
    if (lc_str_starts_with(req->path, st->prefix))
        a = find(st, lc_str_make(req->path.ptr + st->prefix.len, req->path.len - st->prefix.len));
    else
        a = st->fallback;
    if (!a) {
        lc_http_resp_error(resp, 404, "NOT_FOUND", "no such file");
        return LC_OK;
    }
    if (lc_http_resp_header(resp, "ETag", a->etag) != LC_OK ||
        lc_http_resp_header(resp, "Cache-Control", "no-cache") != LC_OK)
        return LC_ELIMIT;
    lc_str_t inm = lc_http_req_header(req, "If-None-Match");
    if (inm.ptr && none_match(inm, a->etag)) {
        resp->status = 304;
        resp->content_type = NULL;
        resp->static_body = "";
        resp->static_len = 0;
        return LC_OK;
    }
    resp->content_type = a->content_type;
    resp->static_body = a->file->data;
    resp->static_len = a->file->len;
    return LC_OK;
}
