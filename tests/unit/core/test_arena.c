/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/arena.c: alignment, chunk chaining, oversized allocations, reset and
 * reuse, the `max` limit, deferred callbacks, and clean failure under allocation faults. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lectern/alloc.h"
#include "lectern/arena.h"

#define ALIGN _Alignof(max_align_t)

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

static void assert_aligned(const void *p) {
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % ALIGN, 0);
}

static size_t round_up(size_t n) {
    return n == 0 ? ALIGN : (n + ALIGN - 1) / ALIGN * ALIGN;
}

static void test_init_allocates_nothing(void **state) {
    (void)state;
    lc_arena_t a;
    lc_alloc_fail_after(0);
    lc_arena_init(&a, 0, 0);
    assert_int_equal(a.chunk_size, 16 * 1024);
    assert_int_equal(lc_arena_used(&a), 0);
    lc_arena_reset(&a);
    lc_arena_dispose(&a);
    assert_int_equal(lc_alloc_failures(), 0);
}

/* Every size from 0 to 300 in turn, over small chunks so that allocations cross chunks and some
 * get chunks of their own: each result is aligned and writable without touching its neighbours. */
static void test_alignment_every_size(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 512, 0);
    unsigned char *ptrs[301];
    for (size_t n = 0; n <= 300; n++) {
        ptrs[n] = lc_arena_alloc(&a, n);
        assert_aligned(ptrs[n]);
        memset(ptrs[n], (int)(n & 0xff), n);
    }
    for (size_t n = 0; n <= 300; n++)
        for (size_t i = 0; i < n; i++)
            assert_int_equal(ptrs[n][i], n & 0xff);
    /* Odd sizes after odd sizes. */
    for (size_t n = 1; n < 200; n += 7) {
        assert_aligned(lc_arena_alloc(&a, n));
        assert_aligned(lc_arena_calloc(&a, n, 3));
        assert_aligned(lc_arena_strndup(&a, "abcdefg", n % 7));
        assert_aligned(lc_arena_printf(&a, "%zu", n));
    }
    lc_arena_dispose(&a);
}

static void test_zero_size_is_unique(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    void *p = lc_arena_alloc(&a, 0);
    void *q = lc_arena_alloc(&a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    lc_arena_dispose(&a);
}

/* Thousands of small allocations over many chunks: no overlap, and lc_arena_used counts at
 * least every byte handed out. */
static void test_many_small_span_chunks(void **state) {
    (void)state;
    enum { N = 5000 };
    static uint32_t *p[N];
    lc_arena_t a;
    lc_arena_init(&a, 1024, 0);
    size_t handed = 0;
    for (uint32_t i = 0; i < N; i++) {
        size_t sz = 4 + (i % 5) * 4;
        p[i] = lc_arena_alloc(&a, sz);
        assert_aligned(p[i]);
        for (size_t k = 0; k < sz / 4; k++)
            p[i][k] = i;
        handed += round_up(sz);
    }
    for (uint32_t i = 0; i < N; i++) {
        size_t sz = 4 + (i % 5) * 4;
        for (size_t k = 0; k < sz / 4; k++)
            assert_int_equal(p[i][k], i);
    }
    assert_true(lc_arena_used(&a) >= handed);
    /* Wasted tails are bounded: at most a quarter chunk per chunk. */
    assert_true(lc_arena_used(&a) <= handed + handed / 2);
    lc_arena_dispose(&a);
    assert_int_equal(lc_arena_used(&a), 0);
}

/* Within one chunk, lc_arena_used is exactly the rounded sizes handed out. */
static void test_used_exact(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 4096, 0);
    size_t want = 0;
    const size_t sizes[] = {1, 7, 16, 17, 100, 0, 33};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_non_null(lc_arena_alloc(&a, sizes[i]));
        want += round_up(sizes[i]);
        assert_int_equal(lc_arena_used(&a), want);
    }
    lc_arena_dispose(&a);
}

/* An allocation larger than a chunk gets a chunk of its own, and the chunk being filled keeps
 * filling: the next small allocation follows the previous one. */
static void test_larger_than_chunk(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 1024, 0);
    char *s1 = lc_arena_alloc(&a, 16);
    assert_non_null(s1);
    char *big = lc_arena_alloc(&a, 100000);
    assert_aligned(big);
    memset(big, 0xab, 100000);
    char *s2 = lc_arena_alloc(&a, 16);
    assert_ptr_equal(s2, s1 + 16);
    assert_int_equal(lc_arena_used(&a), 32 + 100000);
    /* A first allocation that is oversized works too. */
    lc_arena_t b;
    lc_arena_init(&b, 1024, 0);
    char *big2 = lc_arena_alloc(&b, 5000);
    assert_aligned(big2);
    memset(big2, 1, 5000);
    char *big3 = lc_arena_alloc(&b, 5000);
    assert_aligned(big3);
    memset(big3, 2, 5000);
    char *small = lc_arena_alloc(&b, 8);
    assert_aligned(small);
    assert_int_equal(big2[4999], 1);
    lc_arena_dispose(&b);
    lc_arena_dispose(&a);
}

/* Reset keeps one regular chunk: after it, allocations up to a chunk need no malloc at all
 * (checked by making every malloc fail), and lc_arena_used starts from zero again. */
static void test_reset_keeps_one_chunk(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 1024, 0);
    for (int i = 0; i < 100; i++)
        assert_non_null(lc_arena_alloc(&a, 100));
    assert_non_null(lc_arena_alloc(&a, 50000));
    assert_true(lc_arena_used(&a) > 50000);

    lc_arena_reset(&a);
    assert_int_equal(lc_arena_used(&a), 0);
    lc_alloc_fail_after(0);
    char *first = lc_arena_alloc(&a, 64);
    assert_aligned(first);
    size_t got = 64;
    while (got + 64 <= 1024) {
        assert_non_null(lc_arena_alloc(&a, 64));
        got += 64;
    }
    assert_int_equal(lc_arena_used(&a), 1024);
    /* The chunk is full: the next allocation needs malloc, which fails cleanly. */
    assert_null(lc_arena_alloc(&a, 64));
    assert_int_equal(lc_alloc_failures(), 1);
    lc_alloc_fail_reset();

    /* Resetting again hands out the very same memory. */
    lc_arena_reset(&a);
    assert_ptr_equal(lc_arena_alloc(&a, 64), first);
    lc_arena_dispose(&a);
}

/* Oversized chunks are freed on reset, not kept: with a limit that fits one oversized
 * allocation, the same allocation succeeds after every reset. A kept oversized chunk would
 * count against the limit and make the second round fail. */
static void test_reset_frees_oversized(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 1024, 64 * 1024);
    for (int round = 0; round < 5; round++) {
        assert_non_null(lc_arena_alloc(&a, 16));
        char *big = lc_arena_alloc(&a, 40000);
        assert_non_null(big);
        memset(big, round, 40000);
        assert_null(lc_arena_alloc(&a, 40000)); /* two would pass the limit */
        lc_arena_reset(&a);
        assert_int_equal(lc_arena_used(&a), 0);
    }
    /* An arena whose only chunk was oversized is empty after reset. */
    lc_arena_t b;
    lc_arena_init(&b, 1024, 0);
    assert_non_null(lc_arena_alloc(&b, 10000));
    lc_arena_reset(&b);
    assert_int_equal(lc_arena_used(&b), 0);
    assert_non_null(lc_arena_alloc(&b, 10));
    lc_arena_dispose(&b);
    lc_arena_dispose(&a);
}

/* The limit covers chunk headers too: allocation stops before `max` bytes of chunks are held,
 * returns NULL, and leaves the arena usable for what still fits. */
static void test_max_limit(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 1024, 4096);
    size_t total = 0;
    void *p;
    while ((p = lc_arena_alloc(&a, 128)) != NULL) {
        total += 128;
        assert_true(total <= 4096);
    }
    assert_true(total >= 2048); /* at least a couple of chunks were allowed */
    assert_true(a.used <= 4096);
    assert_null(lc_arena_alloc(&a, 128));
    assert_null(lc_arena_alloc(&a, 4096));
    assert_null(lc_arena_strdup(&a, "abc def ghi jkl mno pqr stu vwx yz0 123 456 789 abc def ghi "
                                    "jkl mno pqr stu vwx yz0 123 456 789 abc def ghi jkl mno pqr"));
    lc_arena_reset(&a);
    assert_non_null(lc_arena_alloc(&a, 128));
    lc_arena_dispose(&a);

    /* One allocation bigger than the limit. */
    lc_arena_t b;
    lc_arena_init(&b, 1024, 4096);
    assert_null(lc_arena_alloc(&b, 8192));
    assert_non_null(lc_arena_alloc(&b, 8));
    lc_arena_dispose(&b);
}

static void test_huge_sizes(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    assert_null(lc_arena_alloc(&a, SIZE_MAX));
    assert_null(lc_arena_alloc(&a, SIZE_MAX - 1));
    assert_null(lc_arena_alloc(&a, SIZE_MAX - ALIGN));
    assert_null(lc_arena_strndup(&a, "x", SIZE_MAX));
    assert_non_null(lc_arena_alloc(&a, 1));
    lc_arena_dispose(&a);
}

static void test_arena_calloc(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 256, 0);
    /* Dirty the chunk first: reset keeps it, so calloc gets the same memory back. */
    for (int i = 0; i < 4; i++)
        memset(lc_arena_alloc(&a, 48), 0xff, 48);
    lc_arena_reset(&a);
    unsigned char *z = lc_arena_calloc(&a, 12, 4);
    assert_non_null(z);
    for (int i = 0; i < 48; i++)
        assert_int_equal(z[i], 0);
    /* n * size overflow: NULL, not a short allocation. */
    assert_null(lc_arena_calloc(&a, SIZE_MAX / 2, 3));
    assert_null(lc_arena_calloc(&a, 3, SIZE_MAX / 2));
    assert_null(lc_arena_calloc(&a, (SIZE_MAX >> 4) + 2, 16));
    assert_non_null(lc_arena_calloc(&a, 0, 16));
    assert_non_null(lc_arena_calloc(&a, 16, 0));
    lc_arena_dispose(&a);
}

static void test_strings(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 128, 0);
    char *s = lc_arena_strdup(&a, "hello");
    assert_string_equal(s, "hello");
    assert_null(lc_arena_strdup(&a, NULL));
    s = lc_arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    s = lc_arena_strndup(&a, NULL, 0);
    assert_string_equal(s, "");
    s = lc_arena_strndup(&a, "a\0b", 3);
    assert_memory_equal(s, "a\0b\0", 4);

    s = lc_arena_printf(&a, "%d-%s-%c", 42, "x", 'y');
    assert_string_equal(s, "42-x-y");
    s = lc_arena_printf(&a, "%s", "");
    assert_string_equal(s, "");
    /* Longer than the chunk. */
    s = lc_arena_printf(&a, "%0500d|", 7);
    assert_non_null(s);
    assert_int_equal(strlen(s), 501);
    assert_int_equal(s[499], '7');
    assert_int_equal(s[0], '0');
    lc_arena_dispose(&a);
}

/* Deferred callbacks: reverse order of registration, once, on reset and on dispose. */
static char order[64];
static size_t norder;

static void record(void *ctx) {
    order[norder++] = *(const char *)ctx;
}

static void test_defer_order(void **state) {
    (void)state;
    static const char ids[] = "abcdef";
    lc_arena_t a;
    lc_arena_init(&a, 256, 0);
    norder = 0;
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[0]), LC_OK);
    for (int i = 0; i < 40; i++) /* spread the records over several chunks */
        assert_non_null(lc_arena_alloc(&a, 32));
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[1]), LC_OK);
    assert_non_null(lc_arena_alloc(&a, 5000));
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[2]), LC_OK);
    assert_int_equal(norder, 0);
    lc_arena_reset(&a);
    assert_int_equal(norder, 3);
    assert_memory_equal(order, "cba", 3);

    /* Nothing runs twice. */
    lc_arena_reset(&a);
    assert_int_equal(norder, 3);

    norder = 0;
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[3]), LC_OK);
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[4]), LC_OK);
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[5]), LC_OK);
    lc_arena_dispose(&a);
    assert_int_equal(norder, 3);
    assert_memory_equal(order, "fed", 3);

    /* A disposed arena can be used again after init. */
    lc_arena_init(&a, 256, 0);
    norder = 0;
    assert_int_equal(lc_arena_defer(&a, record, (void *)&ids[0]), LC_OK);
    lc_arena_dispose(&a);
    assert_int_equal(norder, 1);
}

static void test_defer_enomem(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 256, 0);
    norder = 0;
    lc_alloc_fail_after(0);
    assert_int_equal(lc_arena_defer(&a, record, (void *)"x"), LC_ENOMEM);
    lc_alloc_fail_reset();
    lc_arena_dispose(&a);
    assert_int_equal(norder, 0); /* not registered, so not run */
}

/* Allocation faults: with malloc failing after n = 0, 1, 2 successes, every arena entry point
 * returns NULL (or LC_ENOMEM) cleanly, what was allocated stays valid, and dispose frees it all
 * (LeakSanitizer checks in the asan build). */
static void test_alloc_failure(void **state) {
    (void)state;
    for (long n = 0; n <= 2; n++) {
        lc_arena_t a;
        lc_arena_init(&a, 256, 0);
        lc_alloc_fail_after(n);
        char *got[64];
        int ngot = 0;
        for (int i = 0; i < 64; i++) {
            char *p = lc_arena_alloc(&a, 48); /* five fit in a chunk */
            if (!p)
                continue;
            memset(p, 'a' + ngot % 26, 48);
            got[ngot++] = p;
        }
        assert_int_equal(ngot, 5 * n);
        for (int i = 0; i < ngot; i++)
            assert_int_equal(got[i][47], 'a' + i % 26);
        assert_null(lc_arena_alloc(&a, 1000));
        assert_null(lc_arena_calloc(&a, 10, 100));
        assert_null(lc_arena_strdup(&a, "a string that is long enough to need another chunk of "
                                        "memory because the chunk that we have is full now, "
                                        "really quite full, with no room left in it at all."));
        assert_null(lc_arena_printf(&a, "%0300d", 1));
        assert_true(lc_alloc_failures() > 0);
        lc_alloc_fail_reset();
        lc_arena_reset(&a);
        lc_arena_dispose(&a);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_init_allocates_nothing, teardown),
        cmocka_unit_test_teardown(test_alignment_every_size, teardown),
        cmocka_unit_test_teardown(test_zero_size_is_unique, teardown),
        cmocka_unit_test_teardown(test_many_small_span_chunks, teardown),
        cmocka_unit_test_teardown(test_used_exact, teardown),
        cmocka_unit_test_teardown(test_larger_than_chunk, teardown),
        cmocka_unit_test_teardown(test_reset_keeps_one_chunk, teardown),
        cmocka_unit_test_teardown(test_reset_frees_oversized, teardown),
        cmocka_unit_test_teardown(test_max_limit, teardown),
        cmocka_unit_test_teardown(test_huge_sizes, teardown),
        cmocka_unit_test_teardown(test_arena_calloc, teardown),
        cmocka_unit_test_teardown(test_strings, teardown),
        cmocka_unit_test_teardown(test_defer_order, teardown),
        cmocka_unit_test_teardown(test_defer_enomem, teardown),
        cmocka_unit_test_teardown(test_alloc_failure, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
