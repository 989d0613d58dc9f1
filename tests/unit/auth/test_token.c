/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/token.c: the test vector of docs/token-format.md, generate -> check round
 * trips, every fault kind at every position, the hint and the hash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/password.h"
#include "lectern/token.h"

/* docs/token-format.md, "Test vector". */
#define VEC_BODY "0123456789ABCDEFGHIJabcdefghij"
#define VEC_CRC 0xf59cf7aeu
#define VEC_CHECKSUM "4Us3aw"
#define VEC_TOKEN "lct_" VEC_BODY VEC_CHECKSUM
#define VEC_SHA256 "cc19e886d8998ad1d10e5dfc4971b0236be7cf507402f4b8f114f3bc0d1c1ac4"
#define VEC_HINT "lct_\xE2\x80\xA6s3aw"

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void hex(const uint8_t *p, size_t n, char *out) {
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void test_vector(void **state) {
    (void)state;
    /* CRC-32/IEEE's own check value, then the documented one. */
    assert_int_equal(lc_token_crc32("123456789", 9), 0xcbf43926u);
    assert_int_equal(lc_token_crc32("", 0), 0);
    assert_int_equal(lc_token_crc32(VEC_BODY, 30), VEC_CRC);
    assert_int_equal(strlen(VEC_TOKEN), LC_TOKEN_LEN);
    assert_int_equal(lc_token_check(LC_STR(VEC_TOKEN)), LC_TOKEN_OK);

    uint8_t h[LC_TOKEN_HASH_LEN];
    char hx[2 * LC_TOKEN_HASH_LEN + 1];
    lc_token_hash(LC_STR(VEC_TOKEN), h);
    hex(h, sizeof h, hx);
    assert_string_equal(hx, VEC_SHA256);

    char hint[LC_TOKEN_HINT_MAX];
    lc_token_hint(LC_STR(VEC_TOKEN), hint);
    assert_string_equal(hint, VEC_HINT);
    assert_true(strlen(hint) < LC_TOKEN_HINT_MAX);

    /* A second vector, with checksum leading zero digits. */
    assert_int_equal(lc_token_check(LC_STR("lct_LecternDeveloperTokenTestVec010dj5EM")),
                     LC_TOKEN_OK);
}

static void generate_round_trip(void **state) {
    (void)state;
    char tok[LC_TOKEN_LEN + 1], prev[LC_TOKEN_LEN + 1] = "";
    unsigned freq[62] = {0};
    enum { N = 10000 };
    for (int i = 0; i < N; i++) {
        assert_int_equal(lc_token_generate(tok), LC_OK);
        assert_int_equal(strlen(tok), LC_TOKEN_LEN);
        assert_memory_equal(tok, LC_TOKEN_PREFIX, LC_TOKEN_PREFIX_LEN);
        assert_int_equal(lc_token_check(lc_str_from(tok)), LC_TOKEN_OK);
        assert_string_not_equal(tok, prev);
        for (int k = LC_TOKEN_PREFIX_LEN; k < LC_TOKEN_PREFIX_LEN + LC_TOKEN_BODY_LEN; k++) {
            const char *p = strchr(base62, tok[k]);
            assert_non_null(p);
            freq[p - base62]++;
        }
        memcpy(prev, tok, sizeof tok);
    }
    /* 300,000 characters over 62 digits: about 4,839 each. A gross bias (a modulo bias, a
     * fixed character) would land far outside. */
    for (int d = 0; d < 62; d++) {
        assert_true(freq[d] > 4300);
        assert_true(freq[d] < 5400);
    }
}

static void fault_prefix(void **state) {
    (void)state;
    static const char *const cases[] = {
        "",
        "l",
        "lct",
        "LCT_" VEC_BODY VEC_CHECKSUM,
        "lcx_" VEC_BODY VEC_CHECKSUM,
        "lct-" VEC_BODY VEC_CHECKSUM,
        " lct_" VEC_BODY VEC_CHECKSUM,
        "Bearer lct_" VEC_BODY VEC_CHECKSUM,
        "ghp_" VEC_BODY VEC_CHECKSUM,
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(lc_token_check(lc_str_from(cases[i])), LC_TOKEN_BAD_PREFIX);
    assert_int_equal(lc_token_check(LC_STR_NULL), LC_TOKEN_BAD_PREFIX);
    assert_int_equal(lc_token_check(lc_str_make(NULL, 40)), LC_TOKEN_BAD_PREFIX);
}

static void fault_length(void **state) {
    (void)state;
    char buf[64];
    /* 39 and 41, and every other length from the bare prefix to a few past. */
    for (size_t n = LC_TOKEN_PREFIX_LEN; n < 50; n++) {
        if (n == LC_TOKEN_LEN)
            continue;
        memset(buf, 'A', sizeof buf);
        memcpy(buf, VEC_TOKEN, n < LC_TOKEN_LEN ? n : LC_TOKEN_LEN);
        assert_int_equal(lc_token_check(lc_str_make(buf, n)), LC_TOKEN_BAD_LENGTH);
    }
    assert_int_equal(lc_token_check(LC_STR(VEC_TOKEN "\n")), LC_TOKEN_BAD_LENGTH);
    assert_int_equal(lc_token_check(LC_STR(VEC_TOKEN " ")), LC_TOKEN_BAD_LENGTH);
    /* The NUL is not the end: the slice's length is. */
    assert_int_equal(lc_token_check(lc_str_make(VEC_TOKEN "\0", 41)), LC_TOKEN_BAD_LENGTH);
}

static void fault_chars_every_position(void **state) {
    (void)state;
    static const char bad[] = {'-', '_',  ' ',  '\0',   '=',        '+',        '/',
                               '.', '\t', '\n', '\x7f', (char)0x80, (char)0xC3, (char)0xFF};
    char buf[LC_TOKEN_LEN];
    for (size_t pos = LC_TOKEN_PREFIX_LEN; pos < LC_TOKEN_LEN; pos++) {
        for (size_t b = 0; b < sizeof bad; b++) {
            memcpy(buf, VEC_TOKEN, LC_TOKEN_LEN);
            buf[pos] = bad[b];
            assert_int_equal(lc_token_check(lc_str_make(buf, LC_TOKEN_LEN)), LC_TOKEN_BAD_CHARS);
        }
    }
}

static void fault_checksum(void **state) {
    (void)state;
    char buf[LC_TOKEN_LEN];
    /* Every single-character substitution, in the body or in the checksum, is caught: CRC-32
     * detects every error within 32 consecutive bits. */
    for (size_t pos = LC_TOKEN_PREFIX_LEN; pos < LC_TOKEN_LEN; pos++) {
        for (size_t d = 0; d < 62; d++) {
            if (base62[d] == VEC_TOKEN[pos])
                continue;
            memcpy(buf, VEC_TOKEN, LC_TOKEN_LEN);
            buf[pos] = base62[d];
            assert_int_equal(lc_token_check(lc_str_make(buf, LC_TOKEN_LEN)), LC_TOKEN_BAD_CHECKSUM);
        }
    }
    /* Adjacent transpositions (the commonest slip when copying by hand). */
    for (size_t pos = LC_TOKEN_PREFIX_LEN; pos + 1 < LC_TOKEN_LEN; pos++) {
        memcpy(buf, VEC_TOKEN, LC_TOKEN_LEN);
        if (buf[pos] == buf[pos + 1])
            continue;
        char c = buf[pos];
        buf[pos] = buf[pos + 1];
        buf[pos + 1] = c;
        assert_int_equal(lc_token_check(lc_str_make(buf, LC_TOKEN_LEN)), LC_TOKEN_BAD_CHECKSUM);
    }
    /* Case matters: base62 is case-sensitive. */
    assert_int_equal(lc_token_check(LC_STR("lct_" VEC_BODY "4US3AW")), LC_TOKEN_BAD_CHECKSUM);
}

static void fault_texts(void **state) {
    (void)state;
    const lc_token_fault_t all[] = {LC_TOKEN_OK, LC_TOKEN_BAD_PREFIX, LC_TOKEN_BAD_LENGTH,
                                    LC_TOKEN_BAD_CHARS, LC_TOKEN_BAD_CHECKSUM};
    for (size_t i = 0; i < 5; i++) {
        const char *t = lc_token_fault_text(all[i]);
        assert_non_null(t);
        assert_true(strlen(t) > 10);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(t, lc_token_fault_text(all[k]));
    }
    assert_non_null(strstr(lc_token_fault_text(LC_TOKEN_BAD_PREFIX), "lct_"));
    assert_non_null(strstr(lc_token_fault_text(LC_TOKEN_BAD_LENGTH), "40"));
    assert_non_null(strstr(lc_token_fault_text(LC_TOKEN_BAD_CHECKSUM), "checksum"));
    assert_non_null(lc_token_fault_text((lc_token_fault_t)99));
}

static void hint_and_hash(void **state) {
    (void)state;
    char tok[LC_TOKEN_LEN + 1], hint[LC_TOKEN_HINT_MAX];
    assert_int_equal(lc_token_generate(tok), LC_OK);
    lc_token_hint(lc_str_from(tok), hint);
    assert_memory_equal(hint, "lct_\xE2\x80\xA6", 7);
    assert_string_equal(hint + 7, tok + LC_TOKEN_LEN - 4);
    /* The hint shows only checksum digits: nothing of the body's secret. */
    assert_int_equal(strlen(hint), 7 + 4);

    /* Defensive on short input. */
    lc_token_hint(LC_STR("ab"), hint);
    assert_string_equal(hint, "lct_\xE2\x80\xA6"
                              "ab");
    lc_token_hint(LC_STR_NULL, hint);
    assert_string_equal(hint, "lct_\xE2\x80\xA6");

    /* Hash: SHA-256 of exactly the token's bytes. */
    uint8_t h1[32], h2[32];
    char hx[65];
    lc_token_hash(LC_STR("abc"), h1);
    hex(h1, 32, hx);
    assert_string_equal(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    lc_token_hash(lc_str_from(tok), h1);
    tok[5] ^= 1;
    lc_token_hash(lc_str_from(tok), h2);
    assert_memory_not_equal(h1, h2, 32);
    lc_token_hash(LC_STR_NULL, h1);
    hex(h1, 32, hx);
    assert_string_equal(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static int setup(void **state) {
    (void)state;
    return lc_auth_init() == LC_OK ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),
        cmocka_unit_test(generate_round_trip),
        cmocka_unit_test(fault_prefix),
        cmocka_unit_test(fault_length),
        cmocka_unit_test(fault_chars_every_position),
        cmocka_unit_test(fault_checksum),
        cmocka_unit_test(fault_texts),
        cmocka_unit_test(hint_and_hash),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
