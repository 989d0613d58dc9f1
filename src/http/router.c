/* SPDX-License-Identifier: MIT */
/* The router: maps a request's path and method to a handler, or says why not (404, 405 with
 * the Allow value). Built once when the server is created and read-only afterwards, so worker
 * threads share it without a lock. A handful of routes are expected: matching is a linear scan. */
#include <string.h>

#include "http_int.h"
#include "lectern/alloc.h"

/* Fixed order of the Allow value and of the names table. */
static const struct {
    lc_http_method_t m;
    lc_str_t name;
} methods[] = {
    {LC_HTTP_GET, LC_STR("GET")},         {LC_HTTP_HEAD, LC_STR("HEAD")},
    {LC_HTTP_POST, LC_STR("POST")},       {LC_HTTP_PUT, LC_STR("PUT")},
    {LC_HTTP_DELETE, LC_STR("DELETE")},   {LC_HTTP_PATCH, LC_STR("PATCH")},
    {LC_HTTP_OPTIONS, LC_STR("OPTIONS")},
};
#define NMETHODS (sizeof methods / sizeof methods[0])
#define ALL_METHODS                                                                                \
    (LC_HTTP_GET | LC_HTTP_HEAD | LC_HTTP_POST | LC_HTTP_PUT | LC_HTTP_DELETE | LC_HTTP_PATCH |    \
     LC_HTTP_OPTIONS)

lc_http_method_t lc_http__method_parse(lc_str_t name) {
    for (size_t i = 0; i < NMETHODS; i++)
        if (lc_str_eq(name, methods[i].name))
            return methods[i].m;
    return LC_HTTP_OTHER;
}

const char *lc_http__method_name(lc_http_method_t m) {
    for (size_t i = 0; i < NMETHODS; i++)
        if (methods[i].m == m)
            return methods[i].name.ptr;
    return "OTHER";
}

char *lc_http__allow_format(unsigned set, char out[LC_HTTP__ALLOW_MAX]) {
    size_t len = 0;
    if (set & LC_HTTP_GET)
        set |= LC_HTTP_HEAD;
    out[0] = '\0';
    for (size_t i = 0; i < NMETHODS; i++) {
        if (!(set & methods[i].m))
            continue;
        /* The table's names total 44 bytes with separators: always fits. */
        if (len) {
            memcpy(out + len, ", ", 2);
            len += 2;
        }
        memcpy(out + len, methods[i].name.ptr, methods[i].name.len);
        len += methods[i].name.len;
        out[len] = '\0';
    }
    return out;
}

/* A path is '/' followed by anything but '*', with at most one '*' as its last byte; a lone
 * "*" (every path) is allowed too. */
static bool path_valid(const char *p) {
    size_t n;
    const char *star;
    if (!p)
        return false;
    n = strlen(p);
    if (n == 1 && p[0] == '*')
        return true;
    if (n == 0 || p[0] != '/')
        return false;
    star = strchr(p, '*');
    return !star || star == p + n - 1;
}

int lc_http__router_init(lc_http__router_t *r, const lc_http_route_t *routes, size_t n) {
    int rc = LC_EINVAL;
    size_t bytes = 0;
    char *block = NULL;
    char *text;

    r->routes = NULL;
    r->n = 0;
    if (n && !routes)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (!routes[i].fn || !path_valid(routes[i].path) || !(routes[i].methods & ALL_METHODS) ||
            (routes[i].methods & ~(unsigned)ALL_METHODS))
            goto out;
        bytes += strlen(routes[i].path) + 1;
    }
    rc = LC_ENOMEM;
    if (n > (SIZE_MAX - bytes) / sizeof(lc_http__route_t))
        goto out;
    block = lc_malloc(n * sizeof(lc_http__route_t) + bytes + 1);
    if (!block)
        goto out;
    r->routes = (lc_http__route_t *)(void *)block;
    text = block + n * sizeof(lc_http__route_t);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(routes[i].path);
        lc_http__route_t *e = &r->routes[i];
        memcpy(text, routes[i].path, len + 1);
        e->prefix = len > 0 && text[len - 1] == '*';
        e->pattern = lc_str_make(text, e->prefix ? len - 1 : len);
        e->methods = routes[i].methods;
        e->fn = routes[i].fn;
        e->ctx = routes[i].ctx;
        text += len + 1;
    }
    r->n = n;
    block = NULL;
    rc = LC_OK;
out:
    lc_free(block);
    return rc;
}

void lc_http__router_dispose(lc_http__router_t *r) {
    lc_free(r->routes);
    r->routes = NULL;
    r->n = 0;
}

static bool accepts(const lc_http__route_t *e, lc_http_method_t m) {
    if (m == LC_HTTP_OTHER)
        return false;
    return (e->methods & (unsigned)m) || (m == LC_HTTP_HEAD && (e->methods & LC_HTTP_GET));
}

const lc_http__route_t *lc_http__router_match(const lc_http__router_t *r, lc_str_t path,
                                              lc_http_method_t method, unsigned *allow) {
    const lc_http__route_t *hit = NULL;
    const lc_http__route_t *best = NULL; /* any route of the winning pattern */
    unsigned set = 0;

    for (size_t i = 0; i < r->n; i++) {
        const lc_http__route_t *e = &r->routes[i];
        if (!e->prefix && lc_str_eq(e->pattern, path)) {
            best = e;
            break;
        }
    }
    if (!best) {
        for (size_t i = 0; i < r->n; i++) {
            const lc_http__route_t *e = &r->routes[i];
            if (e->prefix && lc_str_starts_with(path, e->pattern) &&
                (!best || e->pattern.len > best->pattern.len))
                best = e;
        }
    }
    if (!best) {
        *allow = 0;
        return NULL;
    }
    /* Several routes may share the winning pattern (GET and POST with different handlers). */
    for (size_t i = 0; i < r->n; i++) {
        const lc_http__route_t *e = &r->routes[i];
        if (e->prefix != best->prefix || !lc_str_eq(e->pattern, best->pattern))
            continue;
        set |= e->methods;
        if (!hit && accepts(e, method))
            hit = e;
    }
    if (set & LC_HTTP_GET)
        set |= LC_HTTP_HEAD;
    *allow = set;
    return hit;
}
