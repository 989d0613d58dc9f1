/* SPDX-License-Identifier: MIT */
/* Console passwords: argon2id hashes (libsodium's crypto_pwhash_str, interactive limits) for
 * storage in users.password_hash, verification at login, and generated passwords for
 * `lectern init` and password resets. Passwords are never logged and never copied: buffers
 * lectern fills with one are wiped with sodium_memzero by whoever owns them.
 *
 * Thread-safe after lc_auth_init(). Lengths are in bytes. */
#ifndef LECTERN_PASSWORD_H
#define LECTERN_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/status.h"

/* Room for a hash string including its NUL (crypto_pwhash_STRBYTES). */
#define LC_PASSWORD_HASH_MAX 128
/* Length of a generated password (base62 characters, about 119 bits). */
#define LC_PASSWORD_GENERATED_LEN 20

/* Initialises libsodium. Call once at start-up, before threads start (calling it again is
 * harmless). LC_EIO if libsodium cannot initialise (no usable random source). */
int lc_auth_init(void) LC_MUST_CHECK;

/* Hashes pw[0..len) with argon2id into out, a NUL-terminated "$argon2id$..." string.
 * LC_EINVAL when pw is NULL or len is outside [LC_LIMIT_PASSWORD_MIN, LC_LIMIT_PASSWORD_MAX];
 * LC_ENOMEM when the hash's working memory (64 MiB) cannot be allocated. out is caller's
 * storage, written only on success. pw is borrowed and left untouched (the caller wipes it). */
int lc_password_hash(const char *pw, size_t len, char out[LC_PASSWORD_HASH_MAX]) LC_MUST_CHECK;

/* Checks pw[0..len) against a hash made by lc_password_hash. LC_OK on a match; LC_EDENIED on a
 * mismatch, on a malformed hash, and for a password shorter than LC_LIMIT_PASSWORD_MIN (no such
 * password was ever hashed); LC_EINVAL for pw NULL or len > LC_LIMIT_PASSWORD_MAX (refused
 * before any work). hash NULL runs a verification of the same cost against a dummy hash and
 * returns LC_EDENIED: call it for an unknown email so that the response time does not tell
 * which emails exist. Takes tens of milliseconds and 64 MiB by design. */
int lc_password_verify(const char *hash, const char *pw, size_t len) LC_MUST_CHECK;

/* True when hash was made with other parameters than the current ones (or is malformed), so
 * that login should store a fresh lc_password_hash of the password it just verified. */
bool lc_password_needs_rehash(const char *hash);

/* Writes n-1 random base62 characters from the OS CSPRNG and a NUL into out (caller's
 * storage of n bytes). LC_EINVAL when n-1 is outside [LC_LIMIT_PASSWORD_MIN,
 * LC_LIMIT_PASSWORD_MAX] or out is NULL. Use n = LC_PASSWORD_GENERATED_LEN + 1. */
int lc_password_generate(char *out, size_t n) LC_MUST_CHECK;

#endif
