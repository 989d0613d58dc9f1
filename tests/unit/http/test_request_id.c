/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/request_id.c: format, per-process prefix, uniqueness across threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"

static void test_format(void **state) {
    (void)state;
    char id[LC_HTTP__REQUEST_ID_LEN + 1];
    lc_http__request_id_format(0, 0, id);
    assert_string_equal(id, "0000000000000000");
    lc_http__request_id_format(0xdeadbeef, 1, id);
    assert_string_equal(id, "deadbeef00000001");
    lc_http__request_id_format(0xffffffff, 0xffffffff, id);
    assert_string_equal(id, "ffffffffffffffff");
    lc_http__request_id_format(0x01234567, 0x89abcdef, id);
    assert_string_equal(id, "0123456789abcdef");
}

static void test_next(void **state) {
    (void)state;
    char a[LC_HTTP__REQUEST_ID_LEN + 1], b[LC_HTTP__REQUEST_ID_LEN + 1];
    lc_http__request_id_next(a);
    lc_http__request_id_next(b);
    assert_int_equal(strlen(a), LC_HTTP__REQUEST_ID_LEN);
    assert_int_equal(strspn(a, "0123456789abcdef"), LC_HTTP__REQUEST_ID_LEN);
    /* same process prefix, next counter */
    assert_memory_equal(a, b, 8);
    assert_int_equal(strtoul(b + 8, NULL, 16), strtoul(a + 8, NULL, 16) + 1);
}

#define THREADS 4
#define PER_THREAD 1000

static char ids[THREADS * PER_THREAD][LC_HTTP__REQUEST_ID_LEN + 1];

static void *worker(void *arg) {
    size_t base = (size_t)(uintptr_t)arg * PER_THREAD;
    for (size_t i = 0; i < PER_THREAD; i++)
        lc_http__request_id_next(ids[base + i]);
    return NULL;
}

static int cmp(const void *x, const void *y) {
    return strcmp(x, y);
}

static void test_unique_across_threads(void **state) {
    (void)state;
    pthread_t t[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    qsort(ids, THREADS * PER_THREAD, sizeof ids[0], cmp);
    for (size_t i = 1; i < THREADS * PER_THREAD; i++)
        assert_string_not_equal(ids[i - 1], ids[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_unique_across_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
