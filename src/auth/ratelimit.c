/* SPDX-License-Identifier: MIT */
/* Request counters for the per-tenant and per-token rate limits (auth_int.h): fixed windows,
 * one counter a key, in a bounded table sharded by mutexes. lc_auth_rate_check (auth.c) calls
 * it on every API request after authentication, so a hit is a hash, a lock and a few loads. */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth_int.h"
#include "lectern/alloc.h"

#define SHARDS 64u
#define PROBES 8u

typedef struct entry {
    uint64_t key;       /* kind in the top bits, id below; 0 = free */
    int64_t window_end; /* unix seconds: end of the window the count belongs to */
    int64_t count;      /* requests this process let through in the window */
    int64_t pending;    /* of count, not yet added to the shared counter (lc__ratelimit_sync) */
    int64_t others;     /* other processes' requests in the window, as last learned */
} entry_t;

typedef struct shard {
    pthread_mutex_t lock;
    entry_t *e; /* per_shard entries, owned by the limiter's one allocation */
} shard_t;

struct lc__ratelimit {
    shard_t shard[SHARDS];
    uint32_t per_shard; /* a power of two >= PROBES */
    entry_t *entries;   /* SHARDS * per_shard, owned */
};

/* splitmix64's finaliser: ids are small consecutive integers, the table wants spread bits. */
static uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static uint64_t key_of(lc__rate_kind_t kind, int64_t id) {
    /* Store ids are positive; two bits of kind above 62 bits of id never collide with 0. */
    return ((uint64_t)kind << 62) | ((uint64_t)id & ((1ull << 62) - 1));
}

int lc__ratelimit_create(uint32_t capacity, lc__ratelimit_t **out) {
    if (capacity == 0)
        return LC_EINVAL;
    uint32_t per = PROBES;
    while ((uint64_t)per * SHARDS < capacity)
        per <<= 1;
    lc__ratelimit_t *rl = lc_calloc(1, sizeof *rl);
    if (!rl)
        return LC_ENOMEM;
    rl->entries = lc_calloc((size_t)per * SHARDS, sizeof *rl->entries);
    if (!rl->entries) {
        lc_free(rl);
        return LC_ENOMEM;
    }
    rl->per_shard = per;
    for (unsigned i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&rl->shard[i].lock, NULL);
        rl->shard[i].e = rl->entries + (size_t)i * per;
    }
    *out = rl;
    return LC_OK;
}

void lc__ratelimit_destroy(lc__ratelimit_t *rl) {
    if (!rl)
        return;
    for (unsigned i = 0; i < SHARDS; i++)
        pthread_mutex_destroy(&rl->shard[i].lock);
    lc_free(rl->entries);
    lc_free(rl);
}

/* The entry of key in its shard (locked by the caller), or a reusable one (free, or whose
 * window has ended, which a new window would reset anyway) set to key with a zero count, or
 * NULL when all PROBES neighbours are busy. */
static entry_t *find(const lc__ratelimit_t *rl, shard_t *sh, uint64_t key, uint64_t h,
                     int64_t now_s) {
    uint32_t mask = rl->per_shard - 1;
    entry_t *reuse = NULL;
    for (uint32_t i = 0; i < PROBES; i++) {
        entry_t *e = &sh->e[(h + i) & mask];
        if (e->key == key)
            return e;
        if (!reuse && (e->key == 0 || e->window_end <= now_s))
            reuse = e;
    }
    if (reuse) {
        reuse->key = key;
        reuse->window_end = 0;
        reuse->count = 0;
        reuse->pending = 0;
        reuse->others = 0;
    }
    return reuse;
}

static int64_t window_end_of(int64_t now_s, int64_t window_s) {
    int64_t k = now_s >= 0 ? now_s / window_s : 0;
    return (k + 1) * window_s;
}

bool lc__ratelimit_hit(lc__ratelimit_t *rl, lc__rate_kind_t kind, int64_t id, int64_t limit,
                       int64_t window_s, int64_t now_s, lc_rate_policy_t *out, bool *overflow) {
    uint64_t key = key_of(kind, id);
    uint64_t h = mix(key);
    shard_t *sh = &rl->shard[h % SHARDS];
    int64_t end = window_end_of(now_s, window_s);
    bool allowed;
    int64_t count;

    if (overflow)
        *overflow = false;
    pthread_mutex_lock(&sh->lock);
    entry_t *e = find(rl, sh, key, h / SHARDS, now_s);
    if (!e) {
        allowed = true;
        count = 1;
        if (overflow)
            *overflow = true;
    } else {
        /* A new window (or a changed window length, or a clock that went back) starts over. */
        if (e->window_end != end) {
            e->window_end = end;
            e->count = 0;
            e->pending = 0;
            e->others = 0;
        }
        allowed = e->count + e->others < limit;
        if (allowed) {
            e->count++;
            e->pending++;
        }
        count = e->count + e->others;
    }
    pthread_mutex_unlock(&sh->lock);

    out->quota = limit;
    out->window_s = window_s;
    out->remaining = limit > count ? limit - count : 0;
    out->reset_s = end - now_s;
    return allowed;
}

void lc__ratelimit_refund(lc__ratelimit_t *rl, lc__rate_kind_t kind, int64_t id, int64_t window_s,
                          int64_t now_s) {
    uint64_t key = key_of(kind, id);
    uint64_t h = mix(key);
    shard_t *sh = &rl->shard[h % SHARDS];
    int64_t end = window_end_of(now_s, window_s);
    uint32_t mask = rl->per_shard - 1;

    pthread_mutex_lock(&sh->lock);
    for (uint32_t i = 0; i < PROBES; i++) {
        entry_t *e = &sh->e[(h / SHARDS + i) & mask];
        if (e->key == key) {
            if (e->window_end == end && e->count > 0) {
                e->count--;
                /* Already added to the shared counter: it stays counted there (one request
                 * too many for the window, never one too few). */
                if (e->pending > 0)
                    e->pending--;
            }
            break;
        }
    }
    pthread_mutex_unlock(&sh->lock);
}

/* ---- Sharing the counters between processes ----
 *
 * Each process counts locally and, every sync, adds what it let through since the last sync
 * (pending) to a shared counter per (kind, id, window) and learns the total; then it learns the
 * totals of every counter any process changed (lc__ratelimit_learn), so an idle key's view is
 * fresh too. A request is let through while count + others < limit, so the processes together
 * overshoot a limit by at most what they let through within one sync of each other's requests.
 * Entries are copied out under their shard's lock and pushed without it, so that a slow store
 * never blocks a request. */

typedef struct sync_item {
    uint64_t key;
    int64_t window_end, delta;
    uint32_t slot;
} sync_item_t;

void lc__ratelimit_sync(lc__ratelimit_t *rl, int64_t now_s, lc__rate_push_fn push, void *ctx) {
    enum { BATCH = 256 };
    sync_item_t items[BATCH];
    for (unsigned si = 0; si < SHARDS; si++) {
        shard_t *sh = &rl->shard[si];
        for (uint32_t from = 0; from < rl->per_shard; from += BATCH) {
            uint32_t to = from + BATCH < rl->per_shard ? from + BATCH : rl->per_shard;
            size_t n = 0;
            pthread_mutex_lock(&sh->lock);
            for (uint32_t i = from; i < to; i++) {
                entry_t *e = &sh->e[i];
                if (e->key == 0 || e->pending == 0 || e->window_end <= now_s)
                    continue;
                items[n++] = (sync_item_t){e->key, e->window_end, e->pending, i};
                e->pending = 0;
            }
            pthread_mutex_unlock(&sh->lock);
            for (size_t k = 0; k < n; k++) {
                sync_item_t *it = &items[k];
                int64_t total = 0;
                lc__rate_kind_t kind = (lc__rate_kind_t)(it->key >> 62);
                int64_t id = (int64_t)(it->key & ((1ull << 62) - 1));
                int rc = push(ctx, kind, id, it->window_end, it->delta, &total);
                pthread_mutex_lock(&sh->lock);
                entry_t *e = &sh->e[it->slot];
                if (e->key == it->key && e->window_end == it->window_end) {
                    if (rc != LC_OK) {
                        e->pending += it->delta; /* next time */
                    } else {
                        /* What the store holds beyond our own pushed requests. */
                        int64_t mine = e->count - e->pending;
                        e->others = total > mine ? total - mine : 0;
                    }
                }
                pthread_mutex_unlock(&sh->lock);
            }
        }
    }
}

void lc__ratelimit_learn(lc__ratelimit_t *rl, lc__rate_kind_t kind, int64_t id, int64_t window_end,
                         int64_t total, int64_t now_s) {
    if (window_end <= now_s || id <= 0)
        return;
    uint64_t key = key_of(kind, id);
    uint64_t h = mix(key);
    shard_t *sh = &rl->shard[h % SHARDS];
    pthread_mutex_lock(&sh->lock);
    entry_t *e = find(rl, sh, key, h / SHARDS, now_s);
    if (e != NULL && e->window_end != window_end && e->window_end <= now_s) {
        /* New here, or its window here is over: start the row's window, as a hit would. */
        e->window_end = window_end;
        e->count = 0;
        e->pending = 0;
        e->others = 0;
    }
    if (e != NULL && e->window_end == window_end) {
        int64_t mine = e->count - e->pending;
        e->others = total > mine ? total - mine : 0;
    }
    pthread_mutex_unlock(&sh->lock);
}

/* ---- Header values (auth.h) ---- */

int lc_auth_rate_headers(const lc_rate_result_t *r, lc_arena_t *arena, lc_rate_headers_t *out) {
    lc_rate_headers_t h = {NULL, NULL, NULL};
    if (r->n == 0) {
        *out = h;
        return LC_OK;
    }
    /* Structured-field lists (RFC 8941): "name";q=..;w=.. and "name";r=..;t=.. */
    const lc_rate_policy_t *p = &r->policy[0], *q = &r->policy[1];
    if (r->n == 1) {
        h.policy = lc_arena_printf(arena, "\"%s\";q=%" PRId64 ";w=%" PRId64, p->name, p->quota,
                                   p->window_s);
        h.ratelimit = lc_arena_printf(arena, "\"%s\";r=%" PRId64 ";t=%" PRId64, p->name,
                                      p->remaining, p->reset_s);
    } else {
        h.policy = lc_arena_printf(
            arena, "\"%s\";q=%" PRId64 ";w=%" PRId64 ", \"%s\";q=%" PRId64 ";w=%" PRId64, p->name,
            p->quota, p->window_s, q->name, q->quota, q->window_s);
        h.ratelimit = lc_arena_printf(
            arena, "\"%s\";r=%" PRId64 ";t=%" PRId64 ", \"%s\";r=%" PRId64 ";t=%" PRId64, p->name,
            p->remaining, p->reset_s, q->name, q->remaining, q->reset_s);
    }
    if (!h.policy || !h.ratelimit)
        return LC_ENOMEM;
    if (!r->allowed) {
        h.retry_after = lc_arena_printf(arena, "%" PRId64, r->retry_after_s);
        if (!h.retry_after)
            return LC_ENOMEM;
    }
    *out = h;
    return LC_OK;
}
