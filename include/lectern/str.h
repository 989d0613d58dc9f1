/* SPDX-License-Identifier: MIT */
/* String slices: a pointer and a length, not NUL-terminated, usually pointing into a request
 * body or another buffer that outlives the slice. A slice never owns its bytes. */
#ifndef LECTERN_STR_H
#define LECTERN_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lectern/status.h"

typedef struct lc_str {
    const char *ptr; /* borrowed */
    size_t len;
} lc_str_t;

/* A slice of a string literal. */
#define LC_STR(lit) ((lc_str_t){(lit), sizeof(lit) - 1})
#define LC_STR_NULL ((lc_str_t){NULL, 0})

static inline lc_str_t lc_str_from(const char *s) {
    return (lc_str_t){s, s ? strlen(s) : 0};
}
static inline lc_str_t lc_str_make(const char *p, size_t n) {
    return (lc_str_t){p, n};
}
static inline bool lc_str_eq(lc_str_t a, lc_str_t b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}
static inline bool lc_str_eq_cstr(lc_str_t a, const char *b) {
    return lc_str_eq(a, lc_str_from(b));
}
/* ASCII case-insensitive comparison (header names, enum-like config values). */
bool lc_str_eq_nocase(lc_str_t a, lc_str_t b);
bool lc_str_starts_with(lc_str_t s, lc_str_t prefix);
/* s without leading and trailing ASCII white space (space, tab, CR, LF). */
lc_str_t lc_str_trim(lc_str_t s);

/* Strict decimal integer: optional '-', digits only, no white space, in [min, max].
 * Returns LC_EINVAL for a malformed number, LC_ELIMIT for one out of range; *out untouched. */
int lc_str_to_i64(lc_str_t s, int64_t min, int64_t max, int64_t *out) LC_MUST_CHECK;
/* Size with an optional unit suffix: "1048576", "512k", "1M", "2G" (binary multiples, case
 * insensitive, "KiB"/"MiB"/"GiB" also accepted). Same errors as lc_str_to_i64. */
int lc_str_to_size(lc_str_t s, uint64_t max, uint64_t *out) LC_MUST_CHECK;
/* "on/off", "true/false", "yes/no", "1/0". LC_EINVAL otherwise. */
int lc_str_to_bool(lc_str_t s, bool *out) LC_MUST_CHECK;

/* Returns true when [p, p+n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool lc_utf8_valid(const char *p, size_t n);

#endif
