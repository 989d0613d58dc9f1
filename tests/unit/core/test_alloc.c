/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/alloc.c: the heap wrapper and its failure-injection hook, which every
 * other out-of-memory test relies on (so it is tested first and on its own). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lectern/alloc.h"
#include "lectern/status.h"

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

static void test_plain_allocations(void **state) {
    (void)state;
    char *p = lc_malloc(16);
    assert_non_null(p);
    memset(p, 'x', 16);
    char *q = lc_realloc(p, 4096);
    assert_non_null(q);
    assert_int_equal(q[15], 'x');
    lc_free(q);

    int *z = lc_calloc(8, sizeof(int));
    assert_non_null(z);
    for (int i = 0; i < 8; i++)
        assert_int_equal(z[i], 0);
    lc_free(z);

    /* Size 0 still gives a pointer that can be freed, so callers need no special case. */
    void *e = lc_malloc(0);
    assert_non_null(e);
    lc_free(e);
    e = lc_calloc(0, 0);
    assert_non_null(e);
    lc_free(e);
    lc_free(NULL);
}

static void test_lc_strdup(void **state) {
    (void)state;
    char *s = lc_strdup("hello");
    assert_non_null(s);
    assert_string_equal(s, "hello");
    lc_free(s);

    s = lc_strndup("hello world", 5);
    assert_non_null(s);
    assert_string_equal(s, "hello");
    lc_free(s);

    /* strndup copies exactly n bytes, even past a NUL: it is used on slices. */
    s = lc_strndup("a\0b", 3);
    assert_non_null(s);
    assert_memory_equal(s, "a\0b\0", 4);
    lc_free(s);

    s = lc_strndup("", 0);
    assert_non_null(s);
    assert_string_equal(s, "");
    lc_free(s);

    assert_null(lc_strdup(NULL));
    assert_null(lc_strndup(NULL, 3));
}

static void test_fail_after_zero(void **state) {
    (void)state;
    lc_alloc_fail_after(0);
    assert_int_equal(lc_alloc_failures(), 0);
    assert_null(lc_malloc(1));
    assert_null(lc_calloc(1, 1));
    assert_null(lc_strdup("x"));
    assert_null(lc_strndup("x", 1));
    assert_int_equal(lc_alloc_failures(), 4);
    lc_alloc_fail_reset();
    void *p = lc_malloc(1);
    assert_non_null(p);
    lc_free(p);
}

/* fail_after(n): exactly n allocations succeed, then every one fails until reset. */
static void test_fail_after_counting(void **state) {
    (void)state;
    for (long n = 0; n <= 5; n++) {
        void *ok[8] = {0};
        lc_alloc_fail_after(n);
        long got = 0;
        for (int i = 0; i < 8; i++) {
            ok[i] = lc_malloc(8);
            if (ok[i])
                got++;
            else
                assert_true(i >= n); /* no success after the first failure either */
        }
        assert_int_equal(got, n);
        assert_int_equal(lc_alloc_failures(), 8 - n);
        lc_alloc_fail_reset();
        for (int i = 0; i < 8; i++)
            lc_free(ok[i]);
    }
}

/* Every entry point counts against the same budget. */
static void test_fail_after_mixed_calls(void **state) {
    (void)state;
    lc_alloc_fail_after(3);
    void *a = lc_malloc(4);
    void *b = lc_calloc(2, 2);
    char *c = lc_strdup("abc");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    void *d = lc_realloc(a, 64);
    assert_null(d); /* the 4th allocation */
    assert_int_equal(lc_alloc_failures(), 1);
    lc_alloc_fail_reset();
    lc_free(a); /* a failed realloc leaves the block with the caller */
    lc_free(b);
    lc_free(c);
}

static void test_realloc_failure_keeps_block(void **state) {
    (void)state;
    char *p = lc_malloc(32);
    assert_non_null(p);
    memcpy(p, "keep me", 8);
    lc_alloc_fail_after(0);
    char *q = lc_realloc(p, 1 << 20);
    assert_null(q);
    lc_alloc_fail_reset();
    assert_string_equal(p, "keep me");
    lc_free(p);
}

/* fail_after() zeroes the count; fail_reset() disables the hook but keeps the count readable,
 * so a test can check it after restoring normal allocation. */
static void test_failures_count_and_reset(void **state) {
    (void)state;
    lc_alloc_fail_after(0);
    assert_null(lc_malloc(1));
    assert_null(lc_malloc(1));
    assert_int_equal(lc_alloc_failures(), 2);
    lc_alloc_fail_reset();
    assert_int_equal(lc_alloc_failures(), 2);
    void *p = lc_malloc(1);
    assert_non_null(p);
    lc_free(p);
    assert_int_equal(lc_alloc_failures(), 2);
    lc_alloc_fail_after(10);
    assert_int_equal(lc_alloc_failures(), 0);
    lc_alloc_fail_reset();

    /* A negative count disables the hook. */
    lc_alloc_fail_after(-1);
    p = lc_malloc(1);
    assert_non_null(p);
    lc_free(p);
    assert_int_equal(lc_alloc_failures(), 0);
}

static void test_status_names(void **state) {
    (void)state;
    assert_string_equal(lc_status_name(LC_OK), "LC_OK");
    assert_string_equal(lc_status_name(LC_ENOMEM), "LC_ENOMEM");
    assert_string_equal(lc_status_name(LC_ECONFLICT), "LC_ECONFLICT");
    assert_string_equal(lc_status_name(12345), "LC_UNKNOWN");
    assert_string_equal(lc_status_text(LC_ELIMIT), "limit exceeded");
    assert_string_equal(lc_status_text(-999), "unknown status");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_plain_allocations, teardown),
        cmocka_unit_test_teardown(test_lc_strdup, teardown),
        cmocka_unit_test_teardown(test_fail_after_zero, teardown),
        cmocka_unit_test_teardown(test_fail_after_counting, teardown),
        cmocka_unit_test_teardown(test_fail_after_mixed_calls, teardown),
        cmocka_unit_test_teardown(test_realloc_failure_keeps_block, teardown),
        cmocka_unit_test_teardown(test_failures_count_and_reset, teardown),
        cmocka_unit_test_teardown(test_status_names, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
