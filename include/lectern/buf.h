/* SPDX-License-Identifier: MIT */
/* Bounded growable byte buffers. Every buffer has a maximum size fixed at creation, so that no
 * input can make it grow without bound. Storage comes from an arena (released with it) or, when
 * no arena is given, from the heap (released by lc_buf_dispose).
 *
 * Errors are sticky: the first failed append sets `err` (LC_ENOMEM or LC_ELIMIT), later appends
 * do nothing, and the writer checks once at the end. This keeps writers such as the JSON
 * response serializer free of a branch per byte. */
#ifndef LECTERN_BUF_H
#define LECTERN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/arena.h"
#include "lectern/status.h"
#include "lectern/str.h"

typedef struct lc_buf {
    char *data;        /* arena or owned, see arena; NULL until the first append */
    size_t len;        /* bytes written */
    size_t cap;        /* bytes available at data */
    size_t max;        /* hard limit on len; 0 = SIZE_MAX */
    lc_arena_t *arena; /* borrowed; NULL = heap (or fixed) */
    int err;           /* LC_OK, or the first failure */
    int fixed;         /* 1 = caller's storage of fixed size, never grown nor freed */
    size_t hint;       /* size of the first allocation */
} lc_buf_t;

/* Caller's storage. `arena` is borrowed and must outlive the buffer (NULL = heap). `initial`
 * is a hint for the first allocation; `max` the hard limit (0 = none). Allocates nothing. */
void lc_buf_init(lc_buf_t *b, lc_arena_t *arena, size_t initial, size_t max);
/* Caller's storage for both the struct and the bytes: `mem` of `cap` bytes is borrowed and is
 * never grown; appending past it sets LC_ELIMIT. Used for log lines on the stack. */
void lc_buf_init_fixed(lc_buf_t *b, char *mem, size_t cap);
/* Frees heap storage (no-op for arena storage) and clears the buffer. */
void lc_buf_dispose(lc_buf_t *b);
/* Forgets the contents and a sticky error, keeping the storage. */
void lc_buf_clear(lc_buf_t *b);

/* Makes room for n more bytes and returns a pointer to them (the caller then calls
 * lc_buf_commit(b, k) with k <= n), or NULL with b->err set. */
char *lc_buf_reserve(lc_buf_t *b, size_t n);
static inline void lc_buf_commit(lc_buf_t *b, size_t n) {
    b->len += n;
}

/* Appenders return b->err after the call (LC_OK, LC_ENOMEM or LC_ELIMIT). */
int lc_buf_append(lc_buf_t *b, const void *p, size_t n);
int lc_buf_append_str(lc_buf_t *b, lc_str_t s);
int lc_buf_append_cstr(lc_buf_t *b, const char *s);
int lc_buf_putc(lc_buf_t *b, char c);
int lc_buf_printf(lc_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lc_buf_vprintf(lc_buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Decimal integers without printf. */
int lc_buf_append_i64(lc_buf_t *b, int64_t v);
int lc_buf_append_u64(lc_buf_t *b, uint64_t v);

/* Appends a NUL that is not counted in len, so data can be used as a C string. */
int lc_buf_terminate(lc_buf_t *b);

/* Fast path for the common case of a fitting append. */
static inline int lc_buf_append_fast(lc_buf_t *b, const void *p, size_t n) {
    /* n == 0 goes the slow way: data may still be NULL, and memcpy(NULL, p, 0) is undefined. */
    if (n && b->cap - b->len >= n && b->err == LC_OK) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        return LC_OK;
    }
    return lc_buf_append(b, p, n);
}

static inline lc_str_t lc_buf_str(const lc_buf_t *b) {
    return (lc_str_t){b->data, b->len};
}

#endif
