/* SPDX-License-Identifier: MIT */
/* Developer token format (docs/token-format.md):
 *
 *     lct_ <body: 30 base62 chars> <checksum: 6 base62 chars>      (40 characters in all)
 *
 * The body is 30 characters drawn uniformly from [0-9A-Za-z] by the OS CSPRNG (libsodium's
 * randombytes_uniform): log2(62^30) ≈ 178.6 bits. The checksum is the CRC-32 (IEEE 802.3, as
 * zlib's crc32) of the 30 body bytes, written in base62, most significant digit first,
 * left-padded with '0' to 6 characters. It lets lectern reject a mistyped or truncated token
 * without touching storage, and lets secret scanners recognise a lectern token with few false
 * positives. It adds no secrecy.
 *
 * At rest only SHA-256 of the whole 40-character token is kept, and a hint for people: "lct_…"
 * and the last 4 characters (part of the checksum: no secret bits). */
#ifndef LECTERN_TOKEN_H
#define LECTERN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "lectern/status.h"
#include "lectern/str.h"

#define LC_TOKEN_PREFIX "lct_"
#define LC_TOKEN_PREFIX_LEN 4
#define LC_TOKEN_BODY_LEN 30
#define LC_TOKEN_CHECKSUM_LEN 6
#define LC_TOKEN_LEN (LC_TOKEN_PREFIX_LEN + LC_TOKEN_BODY_LEN + LC_TOKEN_CHECKSUM_LEN) /* 40 */
#define LC_TOKEN_HASH_LEN 32
#define LC_TOKEN_HINT_MAX 16 /* "lct_…" + 4 chars + NUL, in UTF-8 */

/* Why a string is not a well-formed token; each has its own message for the 401. */
typedef enum lc_token_fault {
    LC_TOKEN_OK = 0,
    LC_TOKEN_BAD_PREFIX,   /* does not start with "lct_" */
    LC_TOKEN_BAD_LENGTH,   /* not 40 characters */
    LC_TOKEN_BAD_CHARS,    /* a character outside [0-9A-Za-z] after the prefix */
    LC_TOKEN_BAD_CHECKSUM, /* the checksum does not match the body */
} lc_token_fault_t;

/* Generates a new token into out (caller's storage of LC_TOKEN_LEN + 1 bytes, NUL-terminated).
 * The caller wipes it with sodium_memzero once it has been shown. LC_OK; never fails once
 * libsodium is initialised (lc_auth_init). */
int lc_token_generate(char out[LC_TOKEN_LEN + 1]) LC_MUST_CHECK;

/* Checks the format and checksum only (no storage): LC_TOKEN_OK or the fault. Constant work
 * for a given length; reads at most LC_TOKEN_LEN + 1 bytes of s. */
lc_token_fault_t lc_token_check(lc_str_t s);
/* A person-readable reason for a fault ("the token's checksum does not match: it was
 * mistyped or truncated"); static storage. */
const char *lc_token_fault_text(lc_token_fault_t f);

/* SHA-256 of the token's bytes. */
void lc_token_hash(lc_str_t token, uint8_t out[LC_TOKEN_HASH_LEN]);
/* The display hint of a well-formed token: "lct_…" + its last 4 characters (NUL-terminated). */
void lc_token_hint(lc_str_t token, char out[LC_TOKEN_HINT_MAX]);

/* CRC-32 (IEEE) of [p, p+n), exposed for tests and docs/token-format.md's test vector. */
uint32_t lc_token_crc32(const void *p, size_t n);

#endif
