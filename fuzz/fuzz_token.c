/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the developer token format and the credential parsers (src/auth):
 * whatever the bytes, lc_token_check must agree with a plain reference implementation of
 * docs/token-format.md (bitwise CRC-32, no tables), lc_auth_bearer_parse must return a slice
 * of its input without white space that parses again the same, and lc_auth_cookie_get must stay
 * inside its input. The bytes are also turned into a token body whose checksum must check,
 * while every single-character change of it must not. The same checks run on gcc builds
 * through replay.c over fuzz/corpus/token and fuzz/crashers/token (ctest fuzz_token_replay). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/alloc.h"
#include "lectern/auth.h"
#include "lectern/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void fail(const char *what) {
    fprintf(stderr, "fuzz_token: %s\n", what);
    abort();
}

static uint32_t ref_crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

static void ref_checksum(const uint8_t *body, char out[6]) {
    uint32_t c = ref_crc32(body, LC_TOKEN_BODY_LEN);
    for (int i = 5; i >= 0; i--) {
        out[i] = base62[c % 62u];
        c /= 62u;
    }
}

static int is_base62(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* docs/token-format.md, literally: prefix, then length, then alphabet, then checksum. */
static lc_token_fault_t ref_check(const uint8_t *p, size_t n) {
    if (n < 4 || memcmp(p, "lct_", 4) != 0)
        return LC_TOKEN_BAD_PREFIX;
    if (n != 40)
        return LC_TOKEN_BAD_LENGTH;
    for (size_t i = 4; i < 40; i++)
        if (!is_base62(p[i]))
            return LC_TOKEN_BAD_CHARS;
    char want[6];
    ref_checksum(p + 4, want);
    return memcmp(want, p + 34, 6) == 0 ? LC_TOKEN_OK : LC_TOKEN_BAD_CHECKSUM;
}

static void check_token(const uint8_t *data, size_t size) {
    lc_str_t s = {(const char *)data, size};
    lc_token_fault_t got = lc_token_check(s);
    if (got != ref_check(data, size))
        fail("lc_token_check disagrees with the reference");
    if (lc_token_fault_text(got) == NULL)
        fail("no fault text");
    if (got == LC_TOKEN_OK) {
        char hint[LC_TOKEN_HINT_MAX];
        uint8_t h[LC_TOKEN_HASH_LEN];
        lc_token_hint(s, hint);
        if (strlen(hint) != 11 || memcmp(hint + 7, data + 36, 4) != 0)
            fail("bad hint");
        lc_token_hash(s, h);
    }
}

/* A token built from the input: its checksum checks, and any one character changed to
 * another base62 character breaks it. */
static void check_built(const uint8_t *data, size_t size) {
    uint8_t tok[LC_TOKEN_LEN];
    if (size == 0)
        return;
    memcpy(tok, "lct_", 4);
    for (size_t i = 0; i < LC_TOKEN_BODY_LEN; i++)
        tok[4 + i] = (uint8_t)base62[data[i % size] % 62u];
    ref_checksum(tok + 4, (char *)tok + 34);
    lc_str_t s = {(const char *)tok, sizeof tok};
    if (lc_token_check(s) != LC_TOKEN_OK)
        fail("a token with the reference checksum does not check");
    size_t pos = 4 + data[0] % 36u;
    uint8_t old = tok[pos];
    tok[pos] = (uint8_t)base62[(size > 1 ? data[1] : 1u) % 62u];
    if (tok[pos] == old)
        tok[pos] = (uint8_t)base62[(strchr(base62, old) - base62 + 1) % 62];
    if (lc_token_check(s) != LC_TOKEN_BAD_CHECKSUM)
        fail("a one-character change was not caught by the checksum");
}

static void check_bearer(const uint8_t *data, size_t size) {
    lc_str_t s = {(const char *)data, size};
    lc_str_t tok = {NULL, 0};
    int rc = lc_auth_bearer_parse(s, &tok);
    if (rc != LC_OK) {
        if (rc != LC_ENOTFOUND && rc != LC_EINVAL)
            fail("unexpected status from lc_auth_bearer_parse");
        return;
    }
    if (tok.len == 0 || tok.ptr < s.ptr || tok.ptr + tok.len > s.ptr + s.len)
        fail("the token is not a non-empty slice of the header");
    for (size_t i = 0; i < tok.len; i++)
        if (tok.ptr[i] == ' ' || tok.ptr[i] == '\t')
            fail("white space inside the token");
    check_token((const uint8_t *)tok.ptr, tok.len);

    /* "Bearer " + token parses back to the token. */
    char *again = lc_malloc(tok.len + 7);
    if (!again)
        return;
    memcpy(again, "Bearer ", 7);
    memcpy(again + 7, tok.ptr, tok.len);
    lc_str_t t2;
    if (lc_auth_bearer_parse(lc_str_make(again, tok.len + 7), &t2) != LC_OK || !lc_str_eq(t2, tok))
        fail("Bearer + token does not parse back");
    lc_free(again);
}

static void check_cookie(const uint8_t *data, size_t size) {
    static const char *const names[] = {LC_AUTH_SESSION_COOKIE, LC_AUTH_CSRF_COOKIE, "a"};
    lc_str_t s = {(const char *)data, size};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        lc_str_t v = lc_auth_cookie_get(s, names[i]);
        if (v.ptr && (v.ptr < s.ptr || v.ptr + v.len > s.ptr + s.len))
            fail("cookie value outside the header");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_token(data, size);
    check_built(data, size);
    check_bearer(data, size);
    check_cookie(data, size);
    return 0;
}
