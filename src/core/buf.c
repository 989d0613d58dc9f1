/* SPDX-License-Identifier: MIT */
/* Bounded growable buffers over an arena, the heap, or fixed caller storage. Growth doubles,
 * so an arena-backed buffer wastes at most as much arena as it finally holds. */
#include "lectern/buf.h"

#include <stdio.h>

#include "lectern/alloc.h"

void lc_buf_init(lc_buf_t *b, lc_arena_t *arena, size_t initial, size_t max) {
    memset(b, 0, sizeof *b);
    b->arena = arena;
    b->max = max ? max : SIZE_MAX;
    b->hint = initial;
}

void lc_buf_init_fixed(lc_buf_t *b, char *mem, size_t cap) {
    memset(b, 0, sizeof *b);
    b->data = mem;
    b->cap = cap;
    b->max = cap;
    b->fixed = 1;
}

void lc_buf_dispose(lc_buf_t *b) {
    if (!b->arena && !b->fixed)
        lc_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = LC_OK;
}

void lc_buf_clear(lc_buf_t *b) {
    b->len = 0;
    b->err = LC_OK;
}

static int grow(lc_buf_t *b, size_t need) {
    if (b->err)
        return b->err;
    if (need > b->max - b->len) {
        b->err = LC_ELIMIT;
        return b->err;
    }
    if (b->fixed) {
        b->err = LC_ELIMIT;
        return b->err;
    }
    size_t want = b->len + need;
    size_t cap = b->cap ? b->cap : (b->hint ? b->hint : 256);
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
    if (cap > b->max)
        cap = b->max;
    char *d;
    if (b->arena) {
        d = lc_arena_alloc(b->arena, cap);
        if (d && b->len)
            memcpy(d, b->data, b->len);
    } else {
        d = lc_realloc(b->data, cap);
    }
    if (!d) {
        b->err = LC_ENOMEM;
        return b->err;
    }
    b->data = d;
    b->cap = cap;
    return LC_OK;
}

char *lc_buf_reserve(lc_buf_t *b, size_t n) {
    if (b->err)
        return NULL;
    /* !data: even reserve(0) returns a usable pointer, not NULL + 0. */
    if ((b->cap - b->len < n || !b->data) && grow(b, n) != LC_OK)
        return NULL;
    return b->data + b->len;
}

int lc_buf_append(lc_buf_t *b, const void *p, size_t n) {
    if (n == 0)
        return b->err; /* allocates nothing, and p may be NULL */
    char *d = lc_buf_reserve(b, n);
    if (d) {
        memcpy(d, p, n);
        b->len += n;
    }
    return b->err;
}

int lc_buf_append_str(lc_buf_t *b, lc_str_t s) {
    return lc_buf_append(b, s.ptr, s.len);
}

int lc_buf_append_cstr(lc_buf_t *b, const char *s) {
    return lc_buf_append(b, s, strlen(s));
}

int lc_buf_putc(lc_buf_t *b, char c) {
    if (b->cap > b->len && !b->err) {
        b->data[b->len++] = c;
        return LC_OK;
    }
    return lc_buf_append(b, &c, 1);
}

int lc_buf_vprintf(lc_buf_t *b, const char *fmt, va_list ap) {
    if (b->err)
        return b->err;
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->err = LC_EINVAL;
        return b->err;
    }
    if ((size_t)n < sizeof tmp)
        return lc_buf_append(b, tmp, (size_t)n);
    /* vsnprintf also writes a NUL. When the text fits the limit exactly there is no room for
     * it in the buffer: format on the heap instead of failing with LC_ELIMIT. */
    if (b->max - b->len == (size_t)n) {
        char *t = lc_malloc((size_t)n + 1);
        if (!t) {
            b->err = LC_ENOMEM;
            return b->err;
        }
        vsnprintf(t, (size_t)n + 1, fmt, ap);
        lc_buf_append(b, t, (size_t)n);
        lc_free(t);
        return b->err;
    }
    char *d = lc_buf_reserve(b, (size_t)n + 1);
    if (!d)
        return b->err;
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return LC_OK;
}

int lc_buf_printf(lc_buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = lc_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int lc_buf_append_u64(lc_buf_t *b, uint64_t v) {
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return lc_buf_append_fast(b, tmp + i, sizeof tmp - i);
}

int lc_buf_append_i64(lc_buf_t *b, int64_t v) {
    if (v < 0) {
        lc_buf_putc(b, '-');
        return lc_buf_append_u64(b, (uint64_t)0 - (uint64_t)v);
    }
    return lc_buf_append_u64(b, (uint64_t)v);
}

int lc_buf_terminate(lc_buf_t *b) {
    char *d = lc_buf_reserve(b, 1);
    if (d)
        *d = '\0';
    return b->err;
}
