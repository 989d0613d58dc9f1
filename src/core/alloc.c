/* SPDX-License-Identifier: MIT */
/* The heap allocation wrapper with its failure-injection hook for unit tests. The hook costs one
 * relaxed atomic load per allocation, which is off the hot path (requests use arenas). */
#include "lectern/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_after = -1; /* < 0: disabled */
static atomic_long failures = 0;

static int should_fail(void) {
    long n = atomic_load_explicit(&fail_after, memory_order_relaxed);
    if (n < 0)
        return 0;
    while (n > 0) {
        if (atomic_compare_exchange_weak(&fail_after, &n, n - 1))
            return 0;
        if (n < 0)
            return 0;
    }
    atomic_fetch_add(&failures, 1);
    return 1;
}

void *lc_malloc(size_t size) {
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *lc_calloc(size_t n, size_t size) {
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *lc_realloc(void *p, size_t size) {
    if (should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

char *lc_strndup(const char *s, size_t n) {
    if (!s)
        return NULL;
    char *d = lc_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *lc_strdup(const char *s) {
    return s ? lc_strndup(s, strlen(s)) : NULL;
}

void lc_free(void *p) {
    free(p);
}

void lc_alloc_fail_after(long n) {
    atomic_store(&failures, 0);
    atomic_store(&fail_after, n);
}

void lc_alloc_fail_reset(void) {
    atomic_store(&fail_after, -1);
}

long lc_alloc_failures(void) {
    return atomic_load(&failures);
}
