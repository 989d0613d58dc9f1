/* SPDX-License-Identifier: MIT */
/* Console passwords: argon2id hashing and verification (libsodium), and generated passwords.
 * Used by `lectern init`/`lectern user` to store users.password_hash and by the Console login
 * to check it; nothing here logs, and nothing copies a password. */
#include "lectern/password.h"

#include <sodium.h>
#include <string.h>

#include "lectern/limits.h"

_Static_assert(LC_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "hash buffer size");
_Static_assert(LC_PASSWORD_GENERATED_LEN >= LC_LIMIT_PASSWORD_MIN, "generated too short");

/* Hash of a random password nobody knows, made with the interactive limits (t=2, m=64 MiB),
 * so that verifying against it costs what a real verification costs. */
static const char dummy_hash[LC_PASSWORD_HASH_MAX] =
    "$argon2id$v=19$m=65536,t=2,p=1$W/2eOj/kbFNy+oYrUMBjQQ$"
    "BeSZILRBoxTFP0b/aFs4It+t9SUXr4QeVo765nSYpdA";

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int lc_auth_init(void) {
    return sodium_init() < 0 ? LC_EIO : LC_OK;
}

int lc_password_hash(const char *pw, size_t len, char out[LC_PASSWORD_HASH_MAX]) {
    char tmp[LC_PASSWORD_HASH_MAX];
    int rc = LC_EINVAL;

    if (pw == NULL || out == NULL || len < LC_LIMIT_PASSWORD_MIN || len > LC_LIMIT_PASSWORD_MAX)
        goto out;
    /* The only failure of crypto_pwhash_str_alg with valid limits is the allocation of its
     * working memory. */
    if (crypto_pwhash_str_alg(tmp, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        rc = LC_ENOMEM;
        goto out;
    }
    memcpy(out, tmp, sizeof tmp);
    rc = LC_OK;
out:
    sodium_memzero(tmp, sizeof tmp);
    return rc;
}

/* A hash string is NUL-terminated within LC_PASSWORD_HASH_MAX bytes; libsodium reads it as a
 * C string, so check the bound before handing it over. */
static bool hash_well_formed(const char *hash) {
    return strnlen(hash, LC_PASSWORD_HASH_MAX) < LC_PASSWORD_HASH_MAX &&
           strncmp(hash, "$argon2id$", 10) == 0;
}

int lc_password_verify(const char *hash, const char *pw, size_t len) {
    if (pw == NULL || len > LC_LIMIT_PASSWORD_MAX)
        return LC_EINVAL;
    /* Every refusal costs one verification, so that the response time tells neither whether
     * the user exists nor anything about the stored hash. Spend the time, discard the answer. */
    if (hash == NULL || len < LC_LIMIT_PASSWORD_MIN || !hash_well_formed(hash)) {
        int spent = crypto_pwhash_str_verify(dummy_hash, pw, len);
        (void)spent;
        return LC_EDENIED;
    }
    return crypto_pwhash_str_verify(hash, pw, len) == 0 ? LC_OK : LC_EDENIED;
}

bool lc_password_needs_rehash(const char *hash) {
    if (hash == NULL || !hash_well_formed(hash))
        return true;
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

int lc_password_generate(char *out, size_t n) {
    if (out == NULL || n < LC_LIMIT_PASSWORD_MIN + 1 || n > LC_LIMIT_PASSWORD_MAX + 1)
        return LC_EINVAL;
    /* randombytes_uniform is unbiased: every character carries log2(62) bits. */
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = base62[randombytes_uniform(sizeof base62 - 1)];
    out[n - 1] = '\0';
    return LC_OK;
}
