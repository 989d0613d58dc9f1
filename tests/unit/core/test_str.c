/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/str.c: strict number, size and boolean parsing (which guard every
 * configuration value and size read from outside), trimming, comparison, UTF-8 validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>

#include "lectern/str.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))

static void test_to_i64(void **state) {
    (void)state;
    static const struct {
        const char *in;
        int64_t min, max;
        int rc;
        int64_t want;
    } cases[] = {
        {"0", INT64_MIN, INT64_MAX, LC_OK, 0},
        {"-0", INT64_MIN, INT64_MAX, LC_OK, 0},
        {"7", INT64_MIN, INT64_MAX, LC_OK, 7},
        {"-7", INT64_MIN, INT64_MAX, LC_OK, -7},
        {"007", INT64_MIN, INT64_MAX, LC_OK, 7},
        {"1234567890123", INT64_MIN, INT64_MAX, LC_OK, 1234567890123},
        {"9223372036854775807", INT64_MIN, INT64_MAX, LC_OK, INT64_MAX},
        {"-9223372036854775808", INT64_MIN, INT64_MAX, LC_OK, INT64_MIN},
        {"-9223372036854775807", INT64_MIN, INT64_MAX, LC_OK, INT64_MIN + 1},
        /* malformed: LC_EINVAL */
        {"", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"-", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"--1", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {" 1", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"1 ", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"+1", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"12a", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"a12", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"1.0", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"1e3", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"0x10", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"1-", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        {"\t1", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        /* malformed wins over too long: junk after an overflowing number is still junk */
        {"99999999999999999999999x", INT64_MIN, INT64_MAX, LC_EINVAL, 0},
        /* out of range: LC_ELIMIT */
        {"9223372036854775808", INT64_MIN, INT64_MAX, LC_ELIMIT, 0},
        {"-9223372036854775809", INT64_MIN, INT64_MAX, LC_ELIMIT, 0},
        {"18446744073709551615", INT64_MIN, INT64_MAX, LC_ELIMIT, 0},
        {"18446744073709551616", INT64_MIN, INT64_MAX, LC_ELIMIT, 0},
        {"99999999999999999999999999999", INT64_MIN, INT64_MAX, LC_ELIMIT, 0},
        {"-99999999999999999999999999999", INT64_MIN, INT64_MAX, LC_ELIMIT, 0},
        /* the caller's range */
        {"10", 0, 10, LC_OK, 10},
        {"0", 0, 10, LC_OK, 0},
        {"11", 0, 10, LC_ELIMIT, 0},
        {"-1", 0, 10, LC_ELIMIT, 0},
        {"-0", 0, 10, LC_OK, 0},
        {"-5", -5, -1, LC_OK, -5},
        {"-6", -5, -1, LC_ELIMIT, 0},
        {"0", -5, -1, LC_ELIMIT, 0},
        {"65535", 0, 65535, LC_OK, 65535},
        {"65536", 0, 65535, LC_ELIMIT, 0},
        {"x", 0, 65535, LC_EINVAL, 0},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        int64_t out = 0x5a5a;
        int rc = lc_str_to_i64(lc_str_from(cases[i].in), cases[i].min, cases[i].max, &out);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (rc == LC_OK && out != cases[i].want)
            fail_msg("\"%s\": got %" PRId64 ", want %" PRId64, cases[i].in, out, cases[i].want);
        if (rc != LC_OK && out != 0x5a5a)
            fail_msg("\"%s\": out written on failure", cases[i].in);
    }
    /* A slice is read to its length, not to a NUL. */
    int64_t out;
    assert_int_equal(lc_str_to_i64(lc_str_make("12345", 2), 0, 100, &out), LC_OK);
    assert_int_equal(out, 12);
    assert_int_equal(lc_str_to_i64(lc_str_make("1\0002", 3), 0, 1000, &out), LC_EINVAL);
    assert_int_equal(lc_str_to_i64(LC_STR_NULL, 0, 1000, &out), LC_EINVAL);
}

static void test_to_size(void **state) {
    (void)state;
    static const struct {
        const char *in;
        uint64_t max;
        int rc;
        uint64_t want;
    } cases[] = {
        {"0", UINT64_MAX, LC_OK, 0},
        {"1048576", UINT64_MAX, LC_OK, 1048576},
        {"1k", UINT64_MAX, LC_OK, 1024},
        {"1K", UINT64_MAX, LC_OK, 1024},
        {"512k", UINT64_MAX, LC_OK, 512 * 1024},
        {"1M", UINT64_MAX, LC_OK, 1024 * 1024},
        {"1m", UINT64_MAX, LC_OK, 1024 * 1024},
        {"2G", UINT64_MAX, LC_OK, 2ull << 30},
        {"1KiB", UINT64_MAX, LC_OK, 1024},
        {"1kib", UINT64_MAX, LC_OK, 1024},
        {"3MiB", UINT64_MAX, LC_OK, 3u << 20},
        {"4GIB", UINT64_MAX, LC_OK, 4ull << 30},
        {"0k", UINT64_MAX, LC_OK, 0},
        {"9223372036854775807", UINT64_MAX, LC_OK, INT64_MAX},
        /* malformed */
        {"", UINT64_MAX, LC_EINVAL, 0},
        {"k", UINT64_MAX, LC_EINVAL, 0},
        {"KiB", UINT64_MAX, LC_EINVAL, 0},
        {"1x", UINT64_MAX, LC_EINVAL, 0},
        {"1kb", UINT64_MAX, LC_EINVAL, 0},
        {"1 k", UINT64_MAX, LC_EINVAL, 0},
        {" 1k", UINT64_MAX, LC_EINVAL, 0},
        {"1k ", UINT64_MAX, LC_EINVAL, 0},
        {"1kk", UINT64_MAX, LC_EINVAL, 0},
        {"1Ki", UINT64_MAX, LC_EINVAL, 0},
        {"1T", UINT64_MAX, LC_EINVAL, 0},
        {"1.5M", UINT64_MAX, LC_EINVAL, 0},
        {"+1k", UINT64_MAX, LC_EINVAL, 0},
        {"-", UINT64_MAX, LC_EINVAL, 0},
        /* too large */
        {"-1", UINT64_MAX, LC_ELIMIT, 0},
        {"9223372036854775808", UINT64_MAX, LC_ELIMIT, 0},
        {"17179869184G", UINT64_MAX, LC_ELIMIT, 0}, /* 2^34 G = 2^64 */
        {"8589934592G", UINT64_MAX, LC_OK, 1ull << 63},
        {"1025", 1024, LC_ELIMIT, 0},
        {"1024", 1024, LC_OK, 1024},
        {"1k", 1024, LC_OK, 1024},
        {"2k", 2047, LC_ELIMIT, 0},
        {"1k", 1023, LC_ELIMIT, 0},
        {"64M", 64 << 20, LC_OK, 64 << 20},
        {"65M", 64 << 20, LC_ELIMIT, 0},
        {"65537k", 64 << 20, LC_ELIMIT, 0},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        uint64_t out = 0x5a5a;
        int rc = lc_str_to_size(lc_str_from(cases[i].in), cases[i].max, &out);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (rc == LC_OK && out != cases[i].want)
            fail_msg("\"%s\": got %" PRIu64 ", want %" PRIu64, cases[i].in, out, cases[i].want);
        if (rc != LC_OK && out != 0x5a5a)
            fail_msg("\"%s\": out written on failure", cases[i].in);
    }
}

static void test_to_bool(void **state) {
    (void)state;
    static const struct {
        const char *in;
        int rc;
        bool want;
    } cases[] = {
        {"on", LC_OK, true},       {"ON", LC_OK, true},       {"true", LC_OK, true},
        {"True", LC_OK, true},     {"yes", LC_OK, true},      {"1", LC_OK, true},
        {"off", LC_OK, false},     {"OFF", LC_OK, false},     {"false", LC_OK, false},
        {"no", LC_OK, false},      {"0", LC_OK, false},       {"", LC_EINVAL, false},
        {"2", LC_EINVAL, false},   {"y", LC_EINVAL, false},   {" on", LC_EINVAL, false},
        {"on ", LC_EINVAL, false}, {"onn", LC_EINVAL, false}, {"enable", LC_EINVAL, false},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        bool out = !cases[i].want;
        int rc = lc_str_to_bool(lc_str_from(cases[i].in), &out);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (rc == LC_OK && out != cases[i].want)
            fail_msg("\"%s\": got %d", cases[i].in, out);
    }
}

static void test_trim(void **state) {
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"a", "a"},
        {"  a", "a"},
        {"a  ", "a"},
        {" \t\r\na b\r\n", "a b"},
        {"   ", ""},
        {"\n", ""},
        {"\va\v", "\va\v"},
        {"a \t b", "a \t b"},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        lc_str_t t = lc_str_trim(lc_str_from(cases[i].in));
        if (!lc_str_eq_cstr(t, cases[i].want))
            fail_msg("trim(\"%s\") = \"%.*s\"", cases[i].in, (int)t.len, t.ptr);
    }
    lc_str_t t = lc_str_trim(LC_STR_NULL);
    assert_int_equal(t.len, 0);
}

static void test_compare(void **state) {
    (void)state;
    assert_true(lc_str_eq(LC_STR("abc"), lc_str_from("abc")));
    assert_false(lc_str_eq(LC_STR("abc"), LC_STR("abd")));
    assert_false(lc_str_eq(LC_STR("abc"), LC_STR("ab")));
    assert_true(lc_str_eq(LC_STR_NULL, LC_STR("")));
    assert_true(lc_str_eq_nocase(LC_STR("Content-Type"), LC_STR("content-type")));
    assert_false(lc_str_eq_nocase(LC_STR("a"), LC_STR("ab")));
    assert_false(lc_str_eq_nocase(LC_STR("\xc3\xa9"), LC_STR("\xc3\x89"))); /* ASCII only */
    assert_true(lc_str_starts_with(LC_STR("Bearer xyz"), LC_STR("Bearer ")));
    assert_true(lc_str_starts_with(LC_STR("abc"), LC_STR("")));
    assert_false(lc_str_starts_with(LC_STR("Bear"), LC_STR("Bearer")));
    assert_int_equal(lc_str_from(NULL).len, 0);
}

static void test_utf8_valid(void **state) {
    (void)state;
    static const struct {
        const char *in;
        size_t len; /* 0: strlen */
        bool ok;
        const char *what;
    } cases[] = {
        {"", 0, true, "empty"},
        {"plain ascii", 0, true, "ascii"},
        {"\x00", 1, true, "NUL is a valid code point"},
        {"\x7f", 0, true, "DEL"},
        {"\xc2\x80", 0, true, "U+0080, smallest 2-byte"},
        {"\xc3\xa9", 0, true, "e acute"},
        {"\xdf\xbf", 0, true, "U+07FF, largest 2-byte"},
        {"\xe0\xa0\x80", 0, true, "U+0800, smallest 3-byte"},
        {"\xe2\x82\xac", 0, true, "euro sign"},
        {"\xed\x9f\xbf", 0, true, "U+D7FF, below surrogates"},
        {"\xee\x80\x80", 0, true, "U+E000, above surrogates"},
        {"\xef\xbf\xbf", 0, true, "U+FFFF"},
        {"\xf0\x90\x80\x80", 0, true, "U+10000, smallest 4-byte"},
        {"\xf0\x9f\x98\x80", 0, true, "emoji"},
        {"\xf4\x8f\xbf\xbf", 0, true, "U+10FFFF, largest"},
        {"a\xc3\xa9z\xe2\x82\xac\xf0\x9f\x98\x80!", 0, true, "mixed"},
        /* ill-formed */
        {"\x80", 0, false, "lone continuation"},
        {"\xbf", 0, false, "lone continuation (last)"},
        {"a\x80z", 0, false, "continuation between ASCII"},
        {"\xc0\x80", 0, false, "overlong NUL"},
        {"\xc0\xaf", 0, false, "overlong /"},
        {"\xc1\xbf", 0, false, "overlong 2-byte"},
        {"\xe0\x80\xaf", 0, false, "overlong 3-byte /"},
        {"\xe0\x9f\xbf", 0, false, "overlong U+07FF in 3 bytes"},
        {"\xf0\x80\x80\xaf", 0, false, "overlong 4-byte /"},
        {"\xf0\x8f\xbf\xbf", 0, false, "overlong U+FFFF in 4 bytes"},
        {"\xed\xa0\x80", 0, false, "surrogate U+D800"},
        {"\xed\xbf\xbf", 0, false, "surrogate U+DFFF"},
        {"\xed\xa0\xbd\xed\xb8\x80", 0, false, "CESU-8 surrogate pair"},
        {"\xf4\x90\x80\x80", 0, false, "U+110000"},
        {"\xf5\x80\x80\x80", 0, false, "F5 lead"},
        {"\xf7\xbf\xbf\xbf", 0, false, "F7 lead"},
        {"\xf8\x88\x80\x80\x80", 0, false, "5-byte form"},
        {"\xfc\x84\x80\x80\x80\x80", 0, false, "6-byte form"},
        {"\xfe", 0, false, "FE"},
        {"\xff", 0, false, "FF"},
        {"\xc3", 0, false, "truncated 2-byte"},
        {"\xe2\x82", 0, false, "truncated 3-byte"},
        {"\xe2", 0, false, "truncated 3-byte, lead only"},
        {"\xf0\x9f\x98", 0, false, "truncated 4-byte"},
        {"\xf0\x9f", 0, false, "truncated 4-byte, 2 of 4"},
        {"\xc3z", 0, false, "ASCII where a continuation is due"},
        {"\xe2\x82z", 0, false, "ASCII as third byte"},
        {"\xf0\x9f\x98z", 0, false, "ASCII as fourth byte"},
        {"\xc3\xa9\xa9", 0, false, "one continuation too many"},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
        if (lc_utf8_valid(cases[i].in, n) != cases[i].ok)
            fail_msg("%s: expected %s", cases[i].what, cases[i].ok ? "valid" : "invalid");
    }
    /* A valid sequence cut anywhere inside is invalid; the length bounds the read. */
    const char *emoji = "\xf0\x9f\x98\x80";
    for (size_t n = 1; n < 4; n++)
        assert_false(lc_utf8_valid(emoji, n));
    assert_true(lc_utf8_valid(emoji, 4));
    assert_true(lc_utf8_valid("ab\xff", 2));
}

/* Every code point, encoded by hand: valid exactly when it is a scalar value. */
static void test_utf8_every_code_point(void **state) {
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        unsigned char s[4];
        size_t n;
        if (cp < 0x80) {
            s[0] = (unsigned char)cp;
            n = 1;
        } else if (cp < 0x800) {
            s[0] = (unsigned char)(0xC0 | cp >> 6);
            s[1] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            s[0] = (unsigned char)(0xE0 | cp >> 12);
            s[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            s[2] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            s[0] = (unsigned char)(0xF0 | cp >> 18);
            s[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
            s[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            s[3] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        bool want = cp < 0xD800 || cp > 0xDFFF;
        if (lc_utf8_valid((const char *)s, n) != want)
            fail_msg("U+%04X: expected %s", (unsigned)cp, want ? "valid" : "invalid");
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_i64),
        cmocka_unit_test(test_to_size),
        cmocka_unit_test(test_to_bool),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_every_code_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
