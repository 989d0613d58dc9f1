/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/json.c: string escaping of every class of code point and of ill-formed
 * UTF-8 (checked against jansson's parser for every code point), doubles, and the structured
 * writer's commas, nesting and misuse detection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/json.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))

/* Escapes [p, p+n) into a fresh heap buffer, NUL-terminated; caller disposes. */
static void escape(lc_buf_t *b, const char *p, size_t n) {
    lc_buf_init(b, NULL, 0, 0);
    assert_int_equal(lc_json_write_string(b, p, n), LC_OK);
    assert_int_equal(lc_buf_terminate(b), LC_OK);
}

static void expect_escape(const char *in, size_t n, const char *want, const char *what) {
    lc_buf_t b;
    escape(&b, in, n);
    if (strcmp(b.data, want) != 0)
        fail_msg("%s: got %s, want %s", what, b.data, want);
    /* Whatever the input, the output is one valid JSON string. */
    json_error_t err;
    json_t *j = json_loads(b.data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j || !json_is_string(j))
        fail_msg("%s: %s does not parse: %s", what, b.data, err.text);
    json_decref(j);
    lc_buf_dispose(&b);
}

/* Encodes cp as UTF-8 (also surrogates, for the invalid cases); returns the length. */
static size_t utf8_encode(uint32_t cp, char *s) {
    unsigned char *u = (unsigned char *)s;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | cp >> 18);
    u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Each control character: the five short escapes, lower-case \u00XX for the rest. */
static void test_escape_controls(void **state) {
    (void)state;
    for (unsigned c = 0; c < 0x20; c++) {
        char in[1] = {(char)c}, want[16], what[32];
        switch (c) {
        case '\b':
            snprintf(want, sizeof want, "\"\\b\"");
            break;
        case '\f':
            snprintf(want, sizeof want, "\"\\f\"");
            break;
        case '\n':
            snprintf(want, sizeof want, "\"\\n\"");
            break;
        case '\r':
            snprintf(want, sizeof want, "\"\\r\"");
            break;
        case '\t':
            snprintf(want, sizeof want, "\"\\t\"");
            break;
        default:
            snprintf(want, sizeof want, "\"\\u%04x\"", c);
        }
        snprintf(what, sizeof what, "control 0x%02x", c);
        expect_escape(in, 1, want, what);
    }
}

static void test_escape_classes(void **state) {
    (void)state;
    static const struct {
        const char *in;
        size_t len; /* 0: strlen */
        const char *want;
        const char *what;
    } cases[] = {
        {"", 0, "\"\"", "empty"},
        {"abc XYZ 019 ~!@#$%^&*()_+-=[]{}|;':,.<>?`", 0,
         "\"abc XYZ 019 ~!@#$%^&*()_+-=[]{}|;':,.<>?`\"", "printable ASCII as is"},
        {"\"", 0, "\"\\\"\"", "quote"},
        {"\\", 0, "\"\\\\\"", "backslash"},
        {"/", 0, "\"/\"", "solidus not escaped"},
        {"</script>", 0, "\"</script>\"", "no HTML escaping"},
        {"\x7f", 0, "\"\x7f\"", "DEL not escaped"},
        {"a\0b", 3, "\"a\\u0000b\"", "embedded NUL"},
        {"line1\nline2\r\n\ttab", 0, "\"line1\\nline2\\r\\n\\ttab\"", "mixed controls"},
        {"say \"hi\"\\", 0, "\"say \\\"hi\\\"\\\\\"", "quotes and backslash in a run"},
        /* well-formed UTF-8 is copied */
        {"\xc2\x80", 0, "\"\xc2\x80\"", "U+0080"},
        {"\xc3\xa9t\xc3\xa9", 0, "\"\xc3\xa9t\xc3\xa9\"", "2-byte"},
        {"\xdf\xbf", 0, "\"\xdf\xbf\"", "U+07FF"},
        {"\xe2\x82\xac", 0, "\"\xe2\x82\xac\"", "3-byte euro"},
        {"\xef\xbf\xbd", 0, "\"\xef\xbf\xbd\"", "U+FFFD itself"},
        {"\xef\xbf\xbf", 0, "\"\xef\xbf\xbf\"", "U+FFFF"},
        {"\xf0\x9f\x98\x80", 0, "\"\xf0\x9f\x98\x80\"", "4-byte emoji"},
        {"\xf4\x8f\xbf\xbf", 0, "\"\xf4\x8f\xbf\xbf\"", "U+10FFFF"},
        /* line and paragraph separators: valid JSON, not valid JavaScript source */
        {"\xe2\x80\xa8", 0, "\"\\u2028\"", "U+2028"},
        {"\xe2\x80\xa9", 0, "\"\\u2029\"", "U+2029"},
        {"a\xe2\x80\xa8"
         "b\xe2\x80\xa9"
         "c",
         0, "\"a\\u2028b\\u2029c\"", "separators in text"},
        {"\xe2\x80\xa7\xe2\x80\xaa", 0, "\"\xe2\x80\xa7\xe2\x80\xaa\"", "neighbours of U+2028"},
        /* ill-formed: one U+FFFD per byte that does not start a well-formed sequence */
        {"\x80", 0, "\"\\ufffd\"", "lone continuation"},
        {"a\xbfz", 0, "\"a\\ufffdz\"", "continuation between ASCII"},
        {"\x80\x80", 0, "\"\\ufffd\\ufffd\"", "two continuations"},
        {"\xc3", 0, "\"\\ufffd\"", "truncated 2-byte at end"},
        {"\xe2\x82", 0, "\"\\ufffd\\ufffd\"", "truncated 3-byte at end"},
        {"\xf0\x9f\x98", 0, "\"\\ufffd\\ufffd\\ufffd\"", "truncated 4-byte at end"},
        {"\xe2\x82z", 0, "\"\\ufffd\\ufffdz\"", "truncated 3-byte before ASCII"},
        {"\xe2\x82\xe2\x82\xac", 0, "\"\\ufffd\\ufffd\xe2\x82\xac\"",
         "truncated, then well-formed"},
        {"\xc3\"", 0, "\"\\ufffd\\\"\"", "truncated before a quote"},
        {"\xc0\xaf", 0, "\"\\ufffd\\ufffd\"", "overlong /"},
        {"\xc1\xbf", 0, "\"\\ufffd\\ufffd\"", "overlong C1"},
        {"\xe0\x80\xaf", 0, "\"\\ufffd\\ufffd\\ufffd\"", "overlong 3-byte"},
        {"\xf0\x8f\xbf\xbf", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "overlong 4-byte"},
        {"\xed\xa0\x80", 0, "\"\\ufffd\\ufffd\\ufffd\"", "surrogate U+D800"},
        {"\xed\xbf\xbf", 0, "\"\\ufffd\\ufffd\\ufffd\"", "surrogate U+DFFF"},
        {"\xf4\x90\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "U+110000"},
        {"\xf5\x80\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "F5 lead"},
        {"\xf8\x88\x80\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"", "5-byte form"},
        {"\xfe\xff", 0, "\"\\ufffd\\ufffd\"", "FE FF"},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
        expect_escape(cases[i].in, n, cases[i].want, cases[i].what);
    }
}

/* Every scalar value 0..U+10FFFF: encode as UTF-8, escape, parse with jansson, compare. Blocks
 * of 4096 code points are written as one array with the structured writer and parsed at once. */
static void test_escape_round_trip_all_code_points(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    for (uint32_t base = 0; base <= 0x10FFFF; base += 0x1000) {
        lc_buf_clear(&b);
        lc_jw_t w;
        lc_jw_init(&w, &b);
        lc_jw_arr_begin(&w);
        for (uint32_t cp = base; cp < base + 0x1000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF)
                continue;
            char s[4];
            size_t n = utf8_encode(cp, s);
            lc_jw_str(&w, lc_str_make(s, n));
        }
        lc_jw_arr_end(&w);
        assert_int_equal(lc_jw_finish(&w), LC_OK);
        assert_int_equal(lc_buf_terminate(&b), LC_OK);
        json_error_t err;
        json_t *arr = json_loads(b.data, JSON_ALLOW_NUL, &err);
        if (!arr)
            fail_msg("block U+%04X: %s at %d", (unsigned)base, err.text, err.position);
        size_t idx = 0;
        for (uint32_t cp = base; cp < base + 0x1000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF)
                continue;
            char s[4];
            size_t n = utf8_encode(cp, s);
            json_t *str = json_array_get(arr, idx++);
            if (!json_is_string(str) || json_string_length(str) != n ||
                memcmp(json_string_value(str), s, n) != 0)
                fail_msg("U+%04X does not round-trip", (unsigned)cp);
        }
        assert_int_equal(json_array_size(arr), idx);
        json_decref(arr);
    }
    lc_buf_dispose(&b);
}

/* The escaped output never contains a raw control character, U+2028 or U+2029. */
static void test_escape_output_is_js_safe(void **state) {
    (void)state;
    char in[0x80 * 1 + 8];
    size_t n = 0;
    for (unsigned c = 0; c < 0x80; c++)
        in[n++] = (char)c;
    n += utf8_encode(0x2028, in + n);
    n += utf8_encode(0x2029, in + n);
    lc_buf_t b;
    escape(&b, in, n);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        assert_true(c >= 0x20);
        assert_true(c < 0x80); /* everything non-ASCII here was a separator */
    }
    lc_buf_dispose(&b);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) { /* xorshift64*: deterministic, no libc rand */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Random byte strings, biased to bytes >= 0x80: the output always parses, the parsed string is
 * well-formed UTF-8, and well-formed input comes back unchanged. */
static void test_escape_random_bytes(void **state) {
    (void)state;
    static const unsigned char pool[] = {0x00, 0x1f, '"',  '\\', 'a',  0x7f, 0x80, 0xbf, 0xc0,
                                         0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5,
                                         0xff, 0x9f, 0xa0, 0x8f, 0x90, 0x82, 0xa8};
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    for (int iter = 0; iter < 20000; iter++) {
        char in[24];
        size_t n = rng() % sizeof in;
        for (size_t i = 0; i < n; i++)
            in[i] = (char)(rng() % 3 ? pool[rng() % sizeof pool] : (unsigned char)rng());
        lc_buf_clear(&b);
        assert_int_equal(lc_json_write_string(&b, in, n), LC_OK);
        assert_int_equal(lc_buf_terminate(&b), LC_OK);
        json_error_t err;
        json_t *j = json_loads(b.data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
        if (!j)
            fail_msg("iteration %d: %s does not parse: %s", iter, b.data, err.text);
        const char *out = json_string_value(j);
        size_t outn = json_string_length(j);
        assert_true(lc_utf8_valid(out, outn));
        if (lc_utf8_valid(in, n) && (outn != n || memcmp(in, out, n) != 0))
            fail_msg("iteration %d: well-formed input changed", iter);
        json_decref(j);
    }
    lc_buf_dispose(&b);
}

static void test_write_string_limit(void **state) {
    (void)state;
    char mem[8];
    lc_buf_t b;
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(lc_json_write_string(&b, "abcdef", 6), LC_OK); /* 8 with quotes */
    lc_buf_clear(&b);
    assert_int_equal(lc_json_write_string(&b, "abcdefg", 7), LC_ELIMIT);
    lc_buf_clear(&b);
    assert_int_equal(lc_json_write_string(&b, "\n\n\n", 3), LC_OK); /* 8 escaped */
    lc_buf_clear(&b);
    assert_int_equal(lc_json_write_string(&b, "\n\n\x01", 3), LC_ELIMIT); /* 12 escaped */
    assert_int_equal(lc_json_write_str(&b, LC_STR("x")), LC_ELIMIT);      /* sticky */
}

static const char *write_double(lc_buf_t *b, double v) {
    lc_buf_clear(b);
    assert_int_equal(lc_json_write_double(b, v), LC_OK);
    assert_int_equal(lc_buf_terminate(b), LC_OK);
    return b->data;
}

static void test_doubles(void **state) {
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0.0, "0"},
        {1.0, "1"},
        {-1.0, "-1"},
        {42.0, "42"},
        {-123456.0, "-123456"},
        {1e14, "100000000000000"},
        {999999999999999.0, "999999999999999"},
        {1e15, "1e+15"},
        {9007199254740992.0, "9007199254740992"}, /* 2^53 needs 16 digits */
        {1e21, "1e+21"},
        {0.1, "0.1"},
        {0.5, "0.5"},
        {-2.5, "-2.5"},
        {123.456, "123.456"},
        {1.5e-7, "1.5e-07"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"},
        {2.0 / 3.0, "0.6666666666666666"},
        {1e300, "1e+300"},
        {-1e300, "-1e+300"},
        {1e-300, "1e-300"},
        {DBL_MAX, "1.7976931348623157e+308"},
        {-DBL_MAX, "-1.7976931348623157e+308"},
        {DBL_MIN, "2.2250738585072014e-308"},
        {-0.0, "-0"},
    };
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    for (size_t i = 0; i < N_(cases); i++) {
        const char *got = write_double(&b, cases[i].v);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%.17g: got %s, want %s", cases[i].v, got, cases[i].want);
    }
    /* -0 keeps its sign through a round trip. */
    double back = strtod(write_double(&b, -0.0), NULL);
    assert_true(back == 0.0 && signbit(back));
    assert_false(signbit(strtod(write_double(&b, 0.0), NULL)));

    assert_string_equal(write_double(&b, NAN), "null");
    assert_string_equal(write_double(&b, -NAN), "null");
    assert_string_equal(write_double(&b, INFINITY), "null");
    assert_string_equal(write_double(&b, -INFINITY), "null");
    /* The smallest subnormal is written in a form that reads back as itself. */
    assert_true(strtod(write_double(&b, 5e-324), NULL) == 5e-324);
    lc_buf_dispose(&b);
}

/* Random finite doubles (random bit patterns): the output is a JSON number that jansson reads
 * back as the same value, with at most 17 significant digits. */
static void test_doubles_round_trip_random(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    for (int iter = 0; iter < 100000; iter++) {
        uint64_t bits = rng();
        if (iter % 4 == 0) /* also plenty of small-exponent values */
            bits =
                (bits & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(1023 + (int)(rng() % 120) - 60) << 52);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        const char *s = write_double(&b, v);
        char *end;
        double back = strtod(s, &end);
        if (*end != '\0' || back != v || signbit(back) != signbit(v))
            fail_msg("%.17g written as %s", v, s);
        int digits = 0; /* significant: from the first non-zero digit to the exponent */
        for (const char *p = s; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9' && (digits || *p != '0'))
                digits++;
        if (digits > 17)
            fail_msg("%.17g written as %s: too many digits", v, s);
        json_error_t err;
        json_t *j = json_loads(s, JSON_DECODE_ANY, &err);
        if (!j || !json_is_number(j) || json_number_value(j) != v)
            fail_msg("%s: not read back by jansson: %s", s, j ? "different value" : err.text);
        json_decref(j);
    }
    lc_buf_dispose(&b);
}

static void test_scalars(void **state) {
    (void)state;
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    assert_int_equal(lc_json_write_i64(&b, INT64_MIN), LC_OK);
    assert_int_equal(lc_buf_putc(&b, ' '), LC_OK);
    assert_int_equal(lc_json_write_i64(&b, INT64_MAX), LC_OK);
    assert_int_equal(lc_buf_putc(&b, ' '), LC_OK);
    assert_int_equal(lc_json_write_bool(&b, true), LC_OK);
    assert_int_equal(lc_buf_putc(&b, ' '), LC_OK);
    assert_int_equal(lc_json_write_bool(&b, false), LC_OK);
    assert_int_equal(lc_buf_putc(&b, ' '), LC_OK);
    assert_int_equal(lc_json_write_null(&b), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    assert_string_equal(b.data, "-9223372036854775808 9223372036854775807 true false null");
    lc_buf_dispose(&b);
}

/* ---- structured writer ---- */

/* Runs a script of writer calls, one character each:
 *   { } [ ]  begin/end object/array      k  key "k"     K  key "q\"" (needs escaping)
 *   i  1     s  "s"     n  null (cstr NULL)     t  true     d  0.5     r  raw {"x":[]}  */
static int run_script(const char *script, lc_buf_t *b) {
    lc_jw_t w;
    lc_jw_init(&w, b);
    for (const char *p = script; *p; p++) {
        switch (*p) {
        case '{':
            lc_jw_obj_begin(&w);
            break;
        case '}':
            lc_jw_obj_end(&w);
            break;
        case '[':
            lc_jw_arr_begin(&w);
            break;
        case ']':
            lc_jw_arr_end(&w);
            break;
        case 'k':
            lc_jw_key(&w, "k");
            break;
        case 'K':
            lc_jw_key_str(&w, LC_STR("q\""));
            break;
        case 'i':
            lc_jw_i64(&w, 1);
            break;
        case 's':
            lc_jw_cstr(&w, "s");
            break;
        case 'n':
            lc_jw_cstr(&w, NULL);
            break;
        case 't':
            lc_jw_bool(&w, true);
            break;
        case 'd':
            lc_jw_double(&w, 0.5);
            break;
        case 'r':
            lc_jw_raw(&w, LC_STR("{\"x\":[]}"));
            break;
        default:
            fail_msg("bad script character %c", *p);
        }
    }
    return lc_jw_finish(&w);
}

static void test_writer_scripts(void **state) {
    (void)state;
    static const struct {
        const char *script;
        int rc;
        const char *want; /* for LC_OK */
    } cases[] = {
        {"{}", LC_OK, "{}"},
        {"[]", LC_OK, "[]"},
        {"i", LC_OK, "1"},
        {"s", LC_OK, "\"s\""},
        {"{ki}", LC_OK, "{\"k\":1}"},
        {"{kiks}", LC_OK, "{\"k\":1,\"k\":\"s\"}"},
        {"[isntdr]", LC_OK, "[1,\"s\",null,true,0.5,{\"x\":[]}]"},
        {"[[][]{}]", LC_OK, "[[],[],{}]"},
        {"{k[]k{}}", LC_OK, "{\"k\":[],\"k\":{}}"},
        {"{k[i{ki}[]]k{k{k[i]}}Ki}", LC_OK,
         "{\"k\":[1,{\"k\":1},[]],\"k\":{\"k\":{\"k\":[1]}},\"q\\\"\":1}"},
        /* misuse */
        {"{i}", LC_EINVAL, NULL},   /* value without key */
        {"{s}", LC_EINVAL, NULL},   /* value without key */
        {"{{}}", LC_EINVAL, NULL},  /* object without key */
        {"{kii}", LC_EINVAL, NULL}, /* second value without key */
        {"{k}", LC_EINVAL, NULL},   /* close with a value due */
        {"{kk}", LC_EINVAL, NULL},  /* two keys */
        {"{k", LC_EINVAL, NULL},    /* finish with a value due */
        {"k", LC_EINVAL, NULL},     /* key outside an object */
        {"[k]", LC_EINVAL, NULL},   /* key in an array */
        {"]", LC_EINVAL, NULL},     /* unbalanced end */
        {"}", LC_EINVAL, NULL},
        {"[]]", LC_EINVAL, NULL},
        {"{]", LC_EINVAL, NULL}, /* wrong end */
        {"[}", LC_EINVAL, NULL},
        {"{", LC_EINVAL, NULL}, /* unclosed */
        {"[", LC_EINVAL, NULL},
        {"[[]", LC_EINVAL, NULL},
        {"{k[}", LC_EINVAL, NULL},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        lc_buf_t b;
        lc_buf_init(&b, NULL, 0, 0);
        int rc = run_script(cases[i].script, &b);
        if (rc != cases[i].rc)
            fail_msg("script %s: rc %d, want %d", cases[i].script, rc, cases[i].rc);
        if (rc == LC_OK) {
            assert_int_equal(lc_buf_terminate(&b), LC_OK);
            if (strcmp(b.data, cases[i].want) != 0)
                fail_msg("script %s: got %s, want %s", cases[i].script, b.data, cases[i].want);
            json_error_t err;
            json_t *j = json_loads(b.data, JSON_DECODE_ANY, &err);
            if (!j)
                fail_msg("script %s: output does not parse: %s", cases[i].script, err.text);
            json_decref(j);
        }
        lc_buf_dispose(&b);
    }
}

/* Nesting up to LC_JW_MAX_DEPTH is fine; one more level is misuse. */
static void test_writer_depth(void **state) {
    (void)state;
    char script[2 * LC_JW_MAX_DEPTH + 8];
    for (int extra = 0; extra <= 1; extra++) {
        int depth = LC_JW_MAX_DEPTH + extra;
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            script[n++] = '[';
        for (int i = 0; i < depth; i++)
            script[n++] = ']';
        script[n] = '\0';
        lc_buf_t b;
        lc_buf_init(&b, NULL, 0, 0);
        assert_int_equal(run_script(script, &b), extra ? LC_EINVAL : LC_OK);
        lc_buf_dispose(&b);
    }
    /* Objects count the same way. */
    char obj[4 * LC_JW_MAX_DEPTH + 8];
    size_t n = 0;
    obj[n++] = '{';
    for (int i = 1; i < LC_JW_MAX_DEPTH; i++) {
        obj[n++] = 'k';
        obj[n++] = '{';
    }
    for (int i = 0; i < LC_JW_MAX_DEPTH; i++)
        obj[n++] = '}';
    obj[n] = '\0';
    lc_buf_t b;
    lc_buf_init(&b, NULL, 0, 0);
    assert_int_equal(run_script(obj, &b), LC_OK);
    lc_buf_dispose(&b);
}

/* A buffer error wins over misuse, and finish reports it. */
static void test_writer_buffer_error(void **state) {
    (void)state;
    char mem[10];
    lc_buf_t b;
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(run_script("{kikikikiki}", &b), LC_ELIMIT);
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(run_script("{ki}", &b), LC_OK);
    assert_memory_equal(mem, "{\"k\":1}", 7);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_controls),
        cmocka_unit_test(test_escape_classes),
        cmocka_unit_test(test_escape_round_trip_all_code_points),
        cmocka_unit_test(test_escape_output_is_js_safe),
        cmocka_unit_test(test_escape_random_bytes),
        cmocka_unit_test(test_write_string_limit),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_doubles_round_trip_random),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_writer_scripts),
        cmocka_unit_test(test_writer_depth),
        cmocka_unit_test(test_writer_buffer_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
