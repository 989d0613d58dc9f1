/* SPDX-License-Identifier: MIT */
/* Per-request arena: a bump allocator over a chain of chunks. Everything a request allocates
 * (body, parsed JSON, AST, variables, resolver results, the response) lives here and is released
 * by one lc_arena_reset() or lc_arena_dispose(). Foreign objects tied to a request (a jansson
 * root, a database result) are released by callbacks registered with lc_arena_defer().
 *
 * Not thread-safe: an arena belongs to one thread at a time and never crosses threads. */
#ifndef LECTERN_ARENA_H
#define LECTERN_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "lectern/status.h"

typedef struct lc_arena_chunk lc_arena_chunk_t;
typedef struct lc_arena_defer lc_arena_defer_t;

typedef struct lc_arena {
    lc_arena_chunk_t *head;   /* chunk being filled; older chunks follow */
    char *cur;                /* next free byte in head */
    char *end;                /* one past head's last byte */
    size_t chunk_size;        /* size of a regular chunk */
    size_t used;              /* bytes handed out + chunk overhead, for the limit */
    size_t max;               /* 0 = unlimited */
    lc_arena_defer_t *defers; /* run in reverse order of registration */
} lc_arena_t;

/* Caller's storage. chunk_size 0 picks LC_ARENA_CHUNK_DEFAULT; max 0 means no limit.
 * Allocates nothing until the first lc_arena_alloc(). */
void lc_arena_init(lc_arena_t *a, size_t chunk_size, size_t max);
/* Runs deferred callbacks and frees every chunk; the arena may be init'ed again. */
void lc_arena_dispose(lc_arena_t *a);
/* Runs deferred callbacks and frees all memory but the first chunk, which is kept for reuse:
 * a connection's arena is reset between requests so the hot path does not call malloc. */
void lc_arena_reset(lc_arena_t *a);

/* Returns `size` bytes aligned for any type, or NULL when out of memory or past `max`.
 * The memory is *arena*: it lives until the next reset/dispose. size 0 returns a valid
 * unique pointer. */
void *lc_arena_alloc(lc_arena_t *a, size_t size) __attribute__((malloc, warn_unused_result));
/* As lc_arena_alloc, zero-filled; n*size overflow returns NULL. */
void *lc_arena_calloc(lc_arena_t *a, size_t n, size_t size)
    __attribute__((malloc, warn_unused_result));
/* Arena copy of [p, p+n) with a NUL appended; NULL on failure. */
char *lc_arena_strndup(lc_arena_t *a, const char *p, size_t n) __attribute__((warn_unused_result));
/* Arena copy of a NUL-terminated string; NULL on failure or if s is NULL. */
char *lc_arena_strdup(lc_arena_t *a, const char *s) __attribute__((warn_unused_result));
/* Arena printf; NULL on failure. */
char *lc_arena_printf(lc_arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), warn_unused_result));

/* Registers fn(ctx) to run at the next reset/dispose, after the ones registered later.
 * Returns LC_ENOMEM (and does not register) if the record cannot be allocated: the caller
 * must then release the object itself. */
int lc_arena_defer(lc_arena_t *a, void (*fn)(void *ctx), void *ctx) LC_MUST_CHECK;

/* Bytes handed out since the last reset (for metrics and tests). */
size_t lc_arena_used(const lc_arena_t *a);

#endif
