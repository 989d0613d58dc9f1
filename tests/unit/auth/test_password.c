/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/password.c: argon2id round trip, refusals, generated passwords. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/limits.h"
#include "lectern/password.h"

static const char pw[] = "correct horse battery staple";

static void hash_verify_round_trip(void **state) {
    (void)state;
    char h1[LC_PASSWORD_HASH_MAX], h2[LC_PASSWORD_HASH_MAX];
    assert_int_equal(lc_password_hash(pw, strlen(pw), h1), LC_OK);
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_non_null(strstr(h1, "m=65536,t=2,p=1"));
    assert_true(strlen(h1) < LC_PASSWORD_HASH_MAX);
    assert_int_equal(lc_password_verify(h1, pw, strlen(pw)), LC_OK);
    /* Salted: the same password hashes differently each time, and both verify. */
    assert_int_equal(lc_password_hash(pw, strlen(pw), h2), LC_OK);
    assert_string_not_equal(h1, h2);
    assert_int_equal(lc_password_verify(h2, pw, strlen(pw)), LC_OK);
    assert_false(lc_password_needs_rehash(h1));
    /* Length is explicit: embedded NULs and non-ASCII bytes are part of the password. */
    static const char odd[] = "p\0ssw\xc3\xb6rd-with-nul";
    assert_int_equal(lc_password_hash(odd, sizeof odd - 1, h1), LC_OK);
    assert_int_equal(lc_password_verify(h1, odd, sizeof odd - 1), LC_OK);
    assert_int_equal(lc_password_verify(h1, odd, 1 + 12), LC_EDENIED);
}

static void wrong_password_denied(void **state) {
    (void)state;
    char h[LC_PASSWORD_HASH_MAX];
    assert_int_equal(lc_password_hash(pw, strlen(pw), h), LC_OK);
    static const char *const wrong[] = {
        "correct horse battery stapl",
        "Correct horse battery staple",
        "correct horse battery staple ",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "short",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        assert_int_equal(lc_password_verify(h, wrong[i], strlen(wrong[i])), LC_EDENIED);
    /* A prefix of the right password, by length. */
    assert_int_equal(lc_password_verify(h, pw, strlen(pw) - 1), LC_EDENIED);
    /* Unknown user: same cost, always denied. */
    assert_int_equal(lc_password_verify(NULL, pw, strlen(pw)), LC_EDENIED);
    /* Malformed or foreign hashes are denied, not trusted. */
    assert_int_equal(lc_password_verify("", pw, strlen(pw)), LC_EDENIED);
    assert_int_equal(lc_password_verify("$2b$12$abcdefghijklmnopqrstuv", pw, strlen(pw)),
                     LC_EDENIED);
    assert_int_equal(lc_password_verify("$argon2id$v=19$garbage", pw, strlen(pw)), LC_EDENIED);
    char unterminated[LC_PASSWORD_HASH_MAX];
    memcpy(unterminated, h, sizeof unterminated);
    memset(unterminated + strlen(h), 'A', sizeof unterminated - strlen(h));
    assert_int_equal(lc_password_verify(unterminated, pw, strlen(pw)), LC_EDENIED);
    assert_true(lc_password_needs_rehash("$2b$12$abcdefghijklmnopqrstuv"));
    assert_true(lc_password_needs_rehash(NULL));
}

static void length_limits(void **state) {
    (void)state;
    char h[LC_PASSWORD_HASH_MAX] = "untouched";
    char big[LC_LIMIT_PASSWORD_MAX + 2];
    memset(big, 'p', sizeof big);
    assert_int_equal(lc_password_hash(pw, LC_LIMIT_PASSWORD_MIN - 1, h), LC_EINVAL);
    assert_int_equal(lc_password_hash("", 0, h), LC_EINVAL);
    assert_int_equal(lc_password_hash(NULL, 20, h), LC_EINVAL);
    assert_int_equal(lc_password_hash(big, LC_LIMIT_PASSWORD_MAX + 1, h), LC_EINVAL);
    assert_string_equal(h, "untouched");
    /* Exactly at the limits: fine. */
    assert_int_equal(lc_password_hash(pw, LC_LIMIT_PASSWORD_MIN, h), LC_OK);
    assert_int_equal(lc_password_verify(h, pw, LC_LIMIT_PASSWORD_MIN), LC_OK);
    assert_int_equal(lc_password_hash(big, LC_LIMIT_PASSWORD_MAX, h), LC_OK);
    assert_int_equal(lc_password_verify(h, big, LC_LIMIT_PASSWORD_MAX), LC_OK);
    /* Verification refuses oversized input before doing any work. */
    assert_int_equal(lc_password_verify(h, big, LC_LIMIT_PASSWORD_MAX + 1), LC_EINVAL);
    assert_int_equal(lc_password_verify(h, NULL, 0), LC_EINVAL);
}

static void generate(void **state) {
    (void)state;
    char a[LC_PASSWORD_GENERATED_LEN + 1], b[LC_PASSWORD_GENERATED_LEN + 1];
    assert_int_equal(lc_password_generate(a, sizeof a), LC_OK);
    assert_int_equal(lc_password_generate(b, sizeof b), LC_OK);
    assert_int_equal(strlen(a), LC_PASSWORD_GENERATED_LEN);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < LC_PASSWORD_GENERATED_LEN; i++) {
        char c = a[i];
        assert_true((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }
    /* Usable as a password as it is. */
    char h[LC_PASSWORD_HASH_MAX];
    assert_int_equal(lc_password_hash(a, strlen(a), h), LC_OK);
    assert_int_equal(lc_password_verify(h, a, strlen(a)), LC_OK);
    /* Every character of the alphabet shows up over many draws (no bias towards a subset). */
    int seen[128] = {0};
    for (int k = 0; k < 200; k++) {
        assert_int_equal(lc_password_generate(a, sizeof a), LC_OK);
        for (size_t i = 0; i < LC_PASSWORD_GENERATED_LEN; i++)
            seen[(unsigned char)a[i]]++;
    }
    int distinct = 0;
    for (int c = 0; c < 128; c++)
        distinct += seen[c] > 0;
    assert_int_equal(distinct, 62);
    /* Sizes outside the password limits. */
    char small[LC_LIMIT_PASSWORD_MIN];
    assert_int_equal(lc_password_generate(small, sizeof small), LC_EINVAL);
    assert_int_equal(lc_password_generate(NULL, 21), LC_EINVAL);
    assert_int_equal(lc_password_generate(a, 0), LC_EINVAL);
}

static int group_setup(void **state) {
    (void)state;
    return lc_auth_init() == LC_OK ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_verify_round_trip),
        cmocka_unit_test(wrong_password_denied),
        cmocka_unit_test(length_limits),
        cmocka_unit_test(generate),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
