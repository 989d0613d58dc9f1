/* SPDX-License-Identifier: MIT */
/* Inside src/auth: the rate limiter's table (ratelimit.c), the failed-login table for unknown
 * emails (session.c), and the authenticator's state shared by auth.c and session.c. Nothing
 * here is for other modules; tests include it to drive the parts with an injected clock. */
#ifndef LECTERN_AUTH_INT_H
#define LECTERN_AUTH_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "lectern/auth.h"

/* ---- Rate limiter (ratelimit.c, in lc_auth) ----
 *
 * Fixed windows aligned on multiples of the window length since the epoch: a request at time t
 * counts in the window [k*w, (k+1)*w) with k = t / w. One counter per (kind, id), in a table of
 * fixed size sharded by a mutex each. When a key finds no room in its probe range (every
 * neighbour busy in its current window) the request is let through and *overflow is set:
 * failing open is the lesser harm for a limiter that protects capacity, not secrets. */

typedef struct lc__ratelimit lc__ratelimit_t;

typedef enum lc__rate_kind {
    LC__RATE_TENANT = 1,
    LC__RATE_TOKEN = 2,
} lc__rate_kind_t;

/* capacity: keys tracked at once (rounded up). LC_EINVAL for 0, LC_ENOMEM. *out owned. */
int lc__ratelimit_create(uint32_t capacity, lc__ratelimit_t **out) LC_MUST_CHECK;
void lc__ratelimit_destroy(lc__ratelimit_t *rl);

/* Counts one request of (kind, id) at now_s against `limit` per `window_s` (both > 0) and
 * returns whether it is allowed; a refused request is not counted. Fills out->quota, window_s,
 * remaining (after this request), reset_s (1..window_s); out->name is left to the caller.
 * *overflow (may be NULL) is set to true when the table had no room (allowed, not counted). */
bool lc__ratelimit_hit(lc__ratelimit_t *rl, lc__rate_kind_t kind, int64_t id, int64_t limit,
                       int64_t window_s, int64_t now_s, lc_rate_policy_t *out, bool *overflow);
/* Gives back one request counted by lc__ratelimit_hit in the same window (when another limit
 * refused the request after all). No-op when the window has moved on. */
void lc__ratelimit_refund(lc__ratelimit_t *rl, lc__rate_kind_t kind, int64_t id, int64_t window_s,
                          int64_t now_s);

/* Adds delta (>= 1) requests of (kind, id) in the window ending at window_end to the counter
 * shared by every process, and writes the shared total (ours included) to *total. */
typedef int (*lc__rate_push_fn)(void *ctx, lc__rate_kind_t kind, int64_t id, int64_t window_end,
                                int64_t delta, int64_t *total);
/* Pushes every key's requests not yet pushed (in the window current at now_s) and keeps what the
 * other processes counted, which lc__ratelimit_hit then adds to the local count. A failed push
 * is retried by the next sync. Called from one thread at a time (the sharing thread). */
void lc__ratelimit_sync(lc__ratelimit_t *rl, int64_t now_s, lc__rate_push_fn push, void *ctx);
/* Keeps what the shared counter of (kind, id) in the window ending at window_end holds (ours
 * included), as read by the sharing thread after its push, for a key this process may not have
 * pushed lately: an idle process learns what the others spent before it lets its next request
 * through. A key not in the table is added (when its neighbourhood has room) so that its first
 * request here already counts the others'; a row of another window than the key's current one
 * is ignored. */
void lc__ratelimit_learn(lc__ratelimit_t *rl, lc__rate_kind_t kind, int64_t id, int64_t window_end,
                         int64_t total, int64_t now_s);

/* ---- Failed logins of unknown emails (session.c) ----
 * Counted like a real account's so that the lockout does not reveal which emails exist. */

typedef struct lc__lockout_entry {
    uint8_t key[16]; /* SHA-256(tenant slug NUL lower-case email), truncated; zero = free */
    int64_t failures;
    int64_t locked_until; /* unix seconds, 0 = not locked */
    int64_t last_s;       /* last failure, for eviction */
} lc__lockout_entry_t;

/* ---- The token cache (auth.c) ----
 *
 * Set-associative: a token hash picks a set of LC__CACHE_WAYS slots. Readers never lock: each
 * slot is a seqlock (an even sequence number around the words; a writer makes it odd while it
 * writes), so a hit writes no shared memory. Writers (misses) take the mutex of the set's
 * shard. Every word is atomic (acquire loads, release stores: see slot_read in auth.c), so a
 * torn read is detected by the sequence number, never undefined. */

#define LC__CACHE_WAYS 8
#define LC__CACHE_SHARDS 64

enum {
    LC__W_HASH0 = 0, /* 4 words: the token's SHA-256 */
    LC__W_TOKEN_ID = 4,
    LC__W_TENANT_ID,
    LC__W_CREATOR_ID,
    LC__W_SUBSET, /* LC_PERMSET_ALL when the token has none */
    LC__W_CREATOR_PERMS,
    LC__W_EXPIRES_AT,
    LC__W_FLAGS, /* LC__F_* */
    LC__W_RATE_LIMIT,
    LC__W_RATE_WINDOW,
    LC__W_GENERATION,
    LC__W_LOADED_MS,
    LC__W_STAMP, /* order of insertion: the set's oldest is evicted first */
    LC__WORDS
};
#define LC__F_VALID 1u
#define LC__F_TOKEN_DEACTIVATED 2u
#define LC__F_CREATOR_DEACTIVATED 4u

typedef struct lc__cache_slot {
    _Atomic uint64_t seq;
    _Atomic uint64_t w[LC__WORDS];
    /* Last time (unix ms) this slot's token was recorded as used; coalesces the writes. Outside
     * the seqlock: a race with a slot being replaced costs at most one extra or one missed
     * write, never a wrong answer. */
    _Atomic int64_t last_touch_ms;
} lc__cache_slot_t;

typedef struct lc__cache_entry {
    uint64_t w[LC__WORDS];
} lc__cache_entry_t;

struct lc_auth {
    lc_store_t *store; /* borrowed */
    lc_auth_options_t o;

    lc__cache_slot_t *slots; /* nsets * LC__CACHE_WAYS, owned */
    uint64_t set_mask;       /* nsets - 1 */
    pthread_mutex_t cache_lock[LC__CACHE_SHARDS];
    _Atomic uint64_t cache_stamp;

    lc__ratelimit_t *rate; /* owned */

    pthread_mutex_t lockout_lock;
    lc__lockout_entry_t *lockout; /* lockout_entries, owned */

    _Atomic uint64_t token_reads, token_touches, session_reads, session_touches, failures,
        rate_denied, rate_overflow;
};

/* The injected or real clock, unix milliseconds. */
int64_t lc__auth_now_ms(const lc_auth_t *a);
/* Fills *fail (reason, ids, message: printf-style, static or computed text, never a secret),
 * counts it and logs "auth.failure". Returns LC_EDENIED. */
int lc__auth_fail(lc_auth_t *a, lc_auth_failure_t *fail, lc_auth_reason_t reason, int64_t tenant_id,
                  int64_t token_id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
