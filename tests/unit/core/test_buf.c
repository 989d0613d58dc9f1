/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/buf.c: heap, arena and fixed storage, growth, the sticky LC_ELIMIT and
 * LC_ENOMEM errors, printf on both sides of its 256-byte stack path, integers, terminate. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lectern/alloc.h"
#include "lectern/buf.h"

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

static void assert_buf(const lc_buf_t *b, const char *want) {
    size_t n = strlen(want);
    if (b->len != n || (n && memcmp(b->data, want, n) != 0))
        fail_msg("buffer holds \"%.*s\" (%zu bytes), want \"%s\" (%zu)", (int)b->len,
                 b->data ? b->data : "", b->len, want, n);
}

static void test_init_allocates_nothing(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 100, 0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.err, LC_OK);
    assert_int_equal(lc_buf_append(&b, "", 0), LC_OK); /* empty append: still nothing */
    assert_int_equal(lc_buf_append(&b, NULL, 0), LC_OK);
    assert_int_equal(lc_buf_append_fast(&b, "", 0), LC_OK);
    assert_int_equal(b.len, 0);
    lc_buf_dispose(&b);
}

static void test_heap_growth(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    assert_int_equal(lc_buf_append_cstr(&b, "hello"), LC_OK);
    assert_int_equal(lc_buf_putc(&b, ' '), LC_OK);
    assert_int_equal(lc_buf_append_str(&b, LC_STR("world")), LC_OK);
    assert_buf(&b, "hello world");
    assert_true(b.cap >= b.len);
    /* Grow well past the first allocation, one byte at a time and in blocks. */
    for (int i = 0; i < 100000; i++)
        assert_int_equal(lc_buf_putc(&b, (char)('a' + i % 26)), LC_OK);
    char block[1000];
    memset(block, 'z', sizeof block);
    for (int i = 0; i < 100; i++)
        assert_int_equal(lc_buf_append(&b, block, sizeof block), LC_OK);
    assert_int_equal(b.len, 11 + 100000 + 100000);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.data[11 + i], 'a' + i % 26);
    assert_int_equal(b.data[b.len - 1], 'z');
    lc_buf_dispose(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_initial_hint(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 10, 0);
    assert_int_equal(lc_buf_append(&b, "abc", 3), LC_OK);
    assert_int_equal(b.cap, 10);
    assert_int_equal(lc_buf_append(&b, "0123456789", 10), LC_OK);
    assert_int_equal(b.cap, 20);
    assert_buf(&b, "abc0123456789");
    lc_buf_dispose(&b);
}

static void test_arena_mode(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 1024, 0);
    lc_buf_t b;
    lc_buf_init(&b, &a, 16, 0);
    char want[5001];
    for (int i = 0; i < 5000; i++) {
        want[i] = (char)('0' + i % 10);
        assert_int_equal(lc_buf_putc(&b, want[i]), LC_OK);
    }
    want[5000] = '\0';
    assert_buf(&b, want);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    assert_string_equal(b.data, want);
    lc_buf_dispose(&b); /* no-op for arena storage: the arena frees it */
    assert_null(b.data);
    lc_arena_dispose(&a);
}

static void test_fixed_mode(void **state) {
    (void)state;
    char mem[8];
    lc_buf_t b;
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(lc_buf_append(&b, "1234", 4), LC_OK);
    assert_ptr_equal(b.data, mem);
    assert_int_equal(lc_buf_append(&b, "56789", 5), LC_ELIMIT);
    assert_int_equal(b.len, 4);
    /* Sticky: even what would fit is refused. */
    assert_int_equal(lc_buf_putc(&b, 'x'), LC_ELIMIT);
    assert_int_equal(lc_buf_append(&b, "y", 1), LC_ELIMIT);
    assert_int_equal(b.len, 4);
    assert_memory_equal(mem, "1234", 4);
    /* Clear forgets contents and error, keeps the storage. */
    lc_buf_clear(&b);
    assert_int_equal(b.err, LC_OK);
    assert_int_equal(lc_buf_append(&b, "12345678", 8), LC_OK); /* exactly full */
    assert_ptr_equal(b.data, mem);
    assert_int_equal(lc_buf_putc(&b, '9'), LC_ELIMIT);
    assert_int_equal(b.len, 8);
    lc_buf_dispose(&b); /* never frees caller storage */
    assert_null(b.data);
}

/* `max` gives LC_ELIMIT, and the error is sticky: every appender becomes a no-op, len and the
 * bytes already written stay as they were. Table: one over-limit append per appender. */
static void test_max_sticky(void **state) {
    (void)state;
    enum { OP_APPEND, OP_PUTC, OP_PRINTF, OP_PRINTF_LONG, OP_I64, OP_U64, OP_RESERVE, OP_TERM };
    for (int op = OP_APPEND; op <= OP_TERM; op++) {
        lc_buf_t b;
        lc_buf_init(&b, NULL, 4, 10);
        assert_int_equal(lc_buf_append(&b, "abcdefgh", 8), LC_OK);
        assert_int_equal(lc_buf_append(&b, "123", 3), LC_ELIMIT);
        assert_int_equal(b.err, LC_ELIMIT);
        int rc = LC_OK;
        switch (op) {
        case OP_APPEND:
            rc = lc_buf_append(&b, "x", 1);
            break;
        case OP_PUTC:
            rc = lc_buf_putc(&b, 'x');
            break;
        case OP_PRINTF:
            rc = lc_buf_printf(&b, "%d", 1);
            break;
        case OP_PRINTF_LONG:
            rc = lc_buf_printf(&b, "%0400d", 1);
            break;
        case OP_I64:
            rc = lc_buf_append_i64(&b, -1);
            break;
        case OP_U64:
            rc = lc_buf_append_u64(&b, 1);
            break;
        case OP_RESERVE:
            assert_null(lc_buf_reserve(&b, 1));
            rc = b.err;
            break;
        case OP_TERM:
            rc = lc_buf_terminate(&b);
            break;
        }
        if (rc != LC_ELIMIT || b.len != 8)
            fail_msg("op %d: rc %d, len %zu", op, rc, b.len);
        assert_memory_equal(b.data, "abcdefgh", 8);
        lc_buf_dispose(&b);
    }
}

static void test_max_exact_fit(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 10);
    assert_int_equal(lc_buf_append(&b, "0123456789", 10), LC_OK);
    assert_true(b.cap <= 10); /* never allocates past the limit */
    assert_int_equal(lc_buf_append(&b, "", 0), LC_OK);
    assert_int_equal(lc_buf_putc(&b, 'x'), LC_ELIMIT);
    assert_int_equal(b.len, 10);
    lc_buf_dispose(&b);

    /* One append larger than the limit on an empty buffer. */
    lc_buf_init(&b, NULL, 0, 10);
    assert_int_equal(lc_buf_append(&b, "0123456789a", 11), LC_ELIMIT);
    assert_int_equal(b.len, 0);
    lc_buf_dispose(&b);

    /* An arena buffer honours the limit too. */
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_buf_init(&b, &a, 0, 300);
    assert_int_equal(lc_buf_printf(&b, "%0299d", 5), LC_OK);
    assert_int_equal(b.len, 299);
    assert_int_equal(lc_buf_append(&b, "ab", 2), LC_ELIMIT);
    assert_int_equal(b.len, 299);
    lc_arena_dispose(&a);
}

/* LC_ENOMEM from the allocation hook is sticky too, in heap and arena mode. */
static void test_enomem_sticky(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 1024, 0);
    for (int mode = 0; mode < 2; mode++) {
        lc_buf_t b;
        lc_buf_init(&b, mode ? &a : NULL, 16, 0);
        lc_alloc_fail_after(0);
        assert_int_equal(lc_buf_append(&b, "abc", 3), LC_ENOMEM);
        assert_int_equal(b.len, 0);
        lc_alloc_fail_reset();
        /* Memory is back, but the error sticks until clear. */
        assert_int_equal(lc_buf_append(&b, "abc", 3), LC_ENOMEM);
        assert_int_equal(lc_buf_putc(&b, 'x'), LC_ENOMEM);
        assert_int_equal(lc_buf_printf(&b, "%d", 5), LC_ENOMEM);
        assert_int_equal(lc_buf_append_i64(&b, 5), LC_ENOMEM);
        assert_int_equal(lc_buf_terminate(&b), LC_ENOMEM);
        assert_int_equal(b.len, 0);
        lc_buf_clear(&b);
        assert_int_equal(lc_buf_append(&b, "abc", 3), LC_OK);
        assert_buf(&b, "abc");

        /* Failing on growth keeps what was written (2000 bytes: more than the arena's chunk,
         * so the arena must call malloc too). */
        lc_alloc_fail_after(0);
        char big[2000];
        memset(big, 'q', sizeof big);
        assert_int_equal(lc_buf_append(&b, big, sizeof big), LC_ENOMEM);
        assert_buf(&b, "abc");
        lc_alloc_fail_reset();
        lc_buf_dispose(&b);
    }
    lc_arena_dispose(&a);
}

static void test_printf(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    assert_int_equal(lc_buf_printf(&b, "%s=%d", "x", 42), LC_OK);
    assert_buf(&b, "x=42");
    assert_int_equal(lc_buf_printf(&b, "%s", ""), LC_OK);
    assert_buf(&b, "x=42");

    /* Lengths around the 256-byte stack buffer, appended to existing content. */
    const int lens[] = {254, 255, 256, 257, 1000, 70000};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        lc_buf_clear(&b);
        assert_int_equal(lc_buf_append(&b, "<", 1), LC_OK);
        assert_int_equal(lc_buf_printf(&b, "%0*d>", lens[i] - 1, 7), LC_OK);
        if (b.len != (size_t)lens[i] + 1)
            fail_msg("len %d: got %zu", lens[i], b.len);
        assert_int_equal(b.data[0], '<');
        assert_int_equal(b.data[1], '0');
        assert_int_equal(b.data[b.len - 2], '7');
        assert_int_equal(b.data[b.len - 1], '>');
    }
    lc_buf_dispose(&b);
}

/* A long printf that fits a fixed buffer exactly succeeds: the NUL vsnprintf writes must not
 * count against the limit. */
static void test_printf_long_exact_fit(void **state) {
    (void)state;
    char mem[300];
    lc_buf_t b;
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(lc_buf_printf(&b, "%0300d", 3), LC_OK);
    assert_int_equal(b.len, 300);
    assert_int_equal(mem[299], '3');
    lc_buf_clear(&b);
    assert_int_equal(lc_buf_printf(&b, "%0301d", 3), LC_ELIMIT);
    assert_int_equal(b.len, 0);

    /* Same at a heap buffer's max, after existing content. */
    lc_buf_init(&b, NULL, 0, 400);
    assert_int_equal(lc_buf_append(&b, "0123456789", 10), LC_OK);
    assert_int_equal(lc_buf_printf(&b, "%0390d", 9), LC_OK);
    assert_int_equal(b.len, 400);
    assert_int_equal(b.data[399], '9');
    lc_buf_dispose(&b);

    /* And under memory pressure a long printf fails cleanly. */
    lc_buf_init(&b, NULL, 0, 0);
    lc_alloc_fail_after(0);
    assert_int_equal(lc_buf_printf(&b, "%0400d", 1), LC_ENOMEM);
    lc_alloc_fail_reset();
    assert_int_equal(b.len, 0);
    lc_buf_dispose(&b);
}

static void test_integers(void **state) {
    (void)state;
    static const struct {
        int64_t v;
        const char *want;
    } i64s[] = {
        {0, "0"},
        {1, "1"},
        {-1, "-1"},
        {9, "9"},
        {10, "10"},
        {-10, "-10"},
        {1234567890, "1234567890"},
        {INT64_MAX, "9223372036854775807"},
        {INT64_MIN, "-9223372036854775808"},
        {INT64_MIN + 1, "-9223372036854775807"},
    };
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    for (size_t i = 0; i < sizeof i64s / sizeof i64s[0]; i++) {
        lc_buf_clear(&b);
        assert_int_equal(lc_buf_append_i64(&b, i64s[i].v), LC_OK);
        assert_buf(&b, i64s[i].want);
    }
    static const struct {
        uint64_t v;
        const char *want;
    } u64s[] = {{0, "0"}, {7, "7"}, {UINT64_MAX, "18446744073709551615"}};
    for (size_t i = 0; i < sizeof u64s / sizeof u64s[0]; i++) {
        lc_buf_clear(&b);
        assert_int_equal(lc_buf_append_u64(&b, u64s[i].v), LC_OK);
        assert_buf(&b, u64s[i].want);
    }
    lc_buf_dispose(&b);

    /* A sign that fits and digits that do not: the error is reported. */
    char mem[3];
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(lc_buf_append_i64(&b, -123), LC_ELIMIT);
}

static void test_terminate(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    assert_int_equal(lc_buf_terminate(&b), LC_OK); /* empty: allocates room for the NUL */
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    assert_int_equal(lc_buf_append_cstr(&b, "abc"), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    /* Appending after terminate overwrites the NUL. */
    assert_int_equal(lc_buf_append_cstr(&b, "def"), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    assert_string_equal(b.data, "abcdef");
    lc_buf_dispose(&b);

    char mem[4];
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(lc_buf_append(&b, "abc", 3), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    assert_string_equal(mem, "abc");
}

static void test_reserve_commit(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    char *p = lc_buf_reserve(&b, 10);
    assert_non_null(p);
    memcpy(p, "hello", 5);
    lc_buf_commit(&b, 5);
    assert_buf(&b, "hello");
    p = lc_buf_reserve(&b, 1000);
    assert_non_null(p);
    assert_true(b.cap - b.len >= 1000);
    lc_buf_commit(&b, 0);
    assert_buf(&b, "hello");
    lc_str_t s = lc_buf_str(&b);
    assert_true(lc_str_eq_cstr(s, "hello"));
    lc_buf_dispose(&b);

    /* reserve(0) on an empty buffer is a usable pointer, not a failure. */
    lc_buf_init(&b, NULL, 0, 0);
    assert_non_null(lc_buf_reserve(&b, 0));
    assert_int_equal(b.err, LC_OK);
    lc_buf_dispose(&b);

    lc_buf_init(&b, NULL, 0, 4);
    assert_null(lc_buf_reserve(&b, 5));
    assert_int_equal(b.err, LC_ELIMIT);
    lc_buf_dispose(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_init_allocates_nothing, teardown),
        cmocka_unit_test_teardown(test_heap_growth, teardown),
        cmocka_unit_test_teardown(test_initial_hint, teardown),
        cmocka_unit_test_teardown(test_arena_mode, teardown),
        cmocka_unit_test_teardown(test_fixed_mode, teardown),
        cmocka_unit_test_teardown(test_max_sticky, teardown),
        cmocka_unit_test_teardown(test_max_exact_fit, teardown),
        cmocka_unit_test_teardown(test_enomem_sticky, teardown),
        cmocka_unit_test_teardown(test_printf, teardown),
        cmocka_unit_test_teardown(test_printf_long_exact_fit, teardown),
        cmocka_unit_test_teardown(test_integers, teardown),
        cmocka_unit_test_teardown(test_terminate, teardown),
        cmocka_unit_test_teardown(test_reserve_commit, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
