/* SPDX-License-Identifier: MIT */
/* The one heap allocation wrapper. Every heap allocation in lectern goes through these, so a
 * unit test can make the Nth allocation fail and check that the failure is a clean LC_ENOMEM
 * with nothing leaked (scripts/check-src.sh forbids raw malloc elsewhere). */
#ifndef LECTERN_ALLOC_H
#define LECTERN_ALLOC_H

#include <stddef.h>

/* Return NULL on failure (or when the test hook says so). Result is owned: free with lc_free. */
void *lc_malloc(size_t size) __attribute__((malloc, warn_unused_result));
void *lc_calloc(size_t n, size_t size) __attribute__((malloc, warn_unused_result));
/* On failure returns NULL and leaves p untouched (still owned by the caller). */
void *lc_realloc(void *p, size_t size) __attribute__((warn_unused_result));
/* Owned NUL-terminated copy of s (NULL if s is NULL or on failure); free with lc_free. */
char *lc_strdup(const char *s) __attribute__((malloc, warn_unused_result));
char *lc_strndup(const char *s, size_t n) __attribute__((malloc, warn_unused_result));
void lc_free(void *p);

/* Test hook: after `n` more successful allocations, every allocation fails until
 * lc_alloc_fail_reset(). n < 0 disables. Process-wide, atomic; for unit tests only. */
void lc_alloc_fail_after(long n);
void lc_alloc_fail_reset(void);
/* Number of allocations that failed because of the hook since the last lc_alloc_fail_after()
 * (lc_alloc_fail_reset() keeps the count, so a test can read it after restoring allocation). */
long lc_alloc_failures(void);

#endif
