/* SPDX-License-Identifier: MIT */
/* Bump allocation over a chain of chunks. A request that needs more than a chunk gets more
 * chunks (a large allocation gets a chunk of its own); reset keeps the first chunk so that
 * keep-alive requests on a connection reuse it without calling malloc. */
#include "lectern/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lectern/alloc.h"
#include "lectern/limits.h"

#define ALIGN _Alignof(max_align_t)

struct lc_arena_chunk {
    lc_arena_chunk_t *next;
    size_t size; /* usable bytes after the header */
    _Alignas(max_align_t) char mem[];
};

struct lc_arena_defer {
    lc_arena_defer_t *next;
    void (*fn)(void *ctx);
    void *ctx;
};

void lc_arena_init(lc_arena_t *a, size_t chunk_size, size_t max) {
    memset(a, 0, sizeof *a);
    a->chunk_size = chunk_size ? chunk_size : LC_ARENA_CHUNK_DEFAULT;
    a->max = max;
}

static void run_defers(lc_arena_t *a) {
    /* A callback may not allocate from this arena: the list is detached first. */
    lc_arena_defer_t *d = a->defers;
    a->defers = NULL;
    for (; d; d = d->next)
        d->fn(d->ctx);
}

void lc_arena_dispose(lc_arena_t *a) {
    run_defers(a);
    lc_arena_chunk_t *c = a->head;
    while (c) {
        lc_arena_chunk_t *next = c->next;
        lc_free(c);
        c = next;
    }
    a->head = NULL;
    a->cur = a->end = NULL;
    a->used = 0;
}

void lc_arena_reset(lc_arena_t *a) {
    run_defers(a);
    /* Keep one regular-sized chunk for reuse; oversized ones go back to the heap so that one
     * large request does not pin its memory to the connection. */
    lc_arena_chunk_t *c = a->head, *keep = NULL;
    while (c) {
        lc_arena_chunk_t *next = c->next;
        if (!keep && c->size == a->chunk_size)
            keep = c;
        else
            lc_free(c);
        c = next;
    }
    a->head = keep;
    a->used = 0;
    a->cur = a->end = NULL;
    if (keep) {
        keep->next = NULL;
        a->cur = keep->mem;
        a->end = keep->mem + keep->size;
        a->used = sizeof(lc_arena_chunk_t) + keep->size;
    }
}

static void *alloc_slow(lc_arena_t *a, size_t size) {
    size_t want = size > a->chunk_size / 4 ? size : a->chunk_size;
    if (want > SIZE_MAX - sizeof(lc_arena_chunk_t))
        return NULL;
    size_t total = sizeof(lc_arena_chunk_t) + want;
    if (a->max && (total > a->max || a->used > a->max - total))
        return NULL;
    lc_arena_chunk_t *c = lc_malloc(total);
    if (!c)
        return NULL;
    c->size = want;
    a->used += total;
    if (want == a->chunk_size || !a->head) {
        /* Regular chunk: becomes the one being filled. */
        c->next = a->head;
        a->head = c;
        a->cur = c->mem + size;
        a->end = c->mem + want;
    } else {
        /* Oversized allocation: its own chunk, linked behind head so head keeps filling. */
        c->next = a->head->next;
        a->head->next = c;
    }
    return c->mem;
}

void *lc_arena_alloc(lc_arena_t *a, size_t size) {
    size_t rounded = (size + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
    if (rounded < size)
        return NULL;
    if (rounded == 0)
        rounded = ALIGN;
    if ((size_t)(a->end - a->cur) >= rounded) {
        void *p = a->cur;
        a->cur += rounded;
        return p;
    }
    return alloc_slow(a, rounded);
}

void *lc_arena_calloc(lc_arena_t *a, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = lc_arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *lc_arena_strndup(lc_arena_t *a, const char *p, size_t n) {
    if (n == SIZE_MAX)
        return NULL;
    char *d = lc_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

char *lc_arena_strdup(lc_arena_t *a, const char *s) {
    return s ? lc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *lc_arena_printf(lc_arena_t *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *d = lc_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

int lc_arena_defer(lc_arena_t *a, void (*fn)(void *ctx), void *ctx) {
    lc_arena_defer_t *d = lc_arena_alloc(a, sizeof *d);
    if (!d)
        return LC_ENOMEM;
    d->fn = fn;
    d->ctx = ctx;
    d->next = a->defers;
    a->defers = d;
    return LC_OK;
}

size_t lc_arena_used(const lc_arena_t *a) {
    size_t n = 0;
    for (const lc_arena_chunk_t *c = a->head; c; c = c->next)
        n += c == a->head ? (size_t)(a->cur - c->mem) : c->size;
    return n;
}
