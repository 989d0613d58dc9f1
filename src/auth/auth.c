/* SPDX-License-Identifier: MIT */
/* The authenticator of include/lectern/auth.h: Bearer tokens through a lock-free token cache
 * in front of lc_store_token_auth, effective permissions, coalesced last-used writes, and the
 * rate limits of a principal. The API layer calls lc_auth_bearer then lc_auth_rate_check on
 * every /api/graphql request; Console sessions are in session.c. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth_int.h"
#include "lectern/alloc.h"
#include "lectern/log.h"
#include "lectern/token.h"

/* ---- Options, lifecycle, clock, failures ---- */

void lc_auth_options_default(lc_auth_options_t *o) {
    *o = (lc_auth_options_t){
        .rate_limit = LC_AUTH_DEFAULT_RATE_LIMIT,
        .rate_window_s = LC_AUTH_DEFAULT_RATE_WINDOW_S,
        .token_rate_limit = 0,
        .token_rate_window_s = LC_AUTH_DEFAULT_RATE_WINDOW_S,
        .session_idle_s = LC_AUTH_DEFAULT_SESSION_IDLE_S,
        .session_max_s = LC_AUTH_DEFAULT_SESSION_MAX_S,
        .lockout_attempts = LC_AUTH_DEFAULT_LOCKOUT_ATTEMPTS,
        .lockout_s = LC_AUTH_DEFAULT_LOCKOUT_S,
        .touch_interval_s = LC_AUTH_DEFAULT_TOUCH_INTERVAL_S,
        .cache_entries = LC_AUTH_DEFAULT_CACHE_ENTRIES,
        .cache_ttl_ms = LC_AUTH_DEFAULT_CACHE_TTL_MS,
        .rate_entries = LC_AUTH_DEFAULT_RATE_ENTRIES,
        .lockout_entries = LC_AUTH_DEFAULT_LOCKOUT_ENTRIES,
    };
}

/* The first option out of its range, or NULL. */
static const char *bad_option(const lc_auth_options_t *o) {
    if (o->rate_limit < 0)
        return "rate_limit";
    if (o->rate_window_s <= 0)
        return "rate_window_s";
    if (o->token_rate_limit < 0)
        return "token_rate_limit";
    if (o->token_rate_window_s <= 0)
        return "token_rate_window_s";
    if (o->session_idle_s <= 0)
        return "session_idle_s";
    if (o->session_max_s <= 0)
        return "session_max_s";
    if (o->lockout_attempts <= 0)
        return "lockout_attempts";
    if (o->lockout_s <= 0)
        return "lockout_s";
    if (o->touch_interval_s < 0)
        return "touch_interval_s";
    if (o->cache_entries == 0 || o->cache_entries > (1u << 24))
        return "cache_entries";
    if (o->cache_ttl_ms < 0)
        return "cache_ttl_ms";
    if (o->rate_entries == 0 || o->rate_entries > (1u << 26))
        return "rate_entries";
    if (o->lockout_entries == 0 || o->lockout_entries > (1u << 20))
        return "lockout_entries";
    return NULL;
}

int lc_auth_create(lc_store_t *store, const lc_auth_options_t *o, lc_auth_t **out) {
    lc_auth_t *a = NULL;
    int rc = LC_EINVAL;
    const char *bad = o ? bad_option(o) : "options";

    if (store == NULL || out == NULL || bad) {
        lc_log_msg(LC_LOG_ERROR, "auth.config", "invalid authentication option: %s",
                   bad ? bad : "store");
        goto out;
    }
    rc = LC_ENOMEM;
    a = lc_calloc(1, sizeof *a);
    if (!a)
        goto out;
    a->store = store;
    a->o = *o;
    uint64_t nsets = 1;
    while (nsets * LC__CACHE_WAYS < o->cache_entries)
        nsets <<= 1;
    a->set_mask = nsets - 1;
    a->slots = lc_calloc(nsets * LC__CACHE_WAYS, sizeof *a->slots);
    a->lockout = lc_calloc(o->lockout_entries, sizeof *a->lockout);
    if (!a->slots || !a->lockout)
        goto out;
    rc = lc__ratelimit_create(o->rate_entries, &a->rate);
    if (rc != LC_OK)
        goto out;
    for (unsigned i = 0; i < LC__CACHE_SHARDS; i++)
        pthread_mutex_init(&a->cache_lock[i], NULL);
    pthread_mutex_init(&a->lockout_lock, NULL);
    *out = a;
    a = NULL;
    rc = LC_OK;
out:
    if (a) {
        lc_free(a->slots);
        lc_free(a->lockout);
        lc_free(a);
    }
    return rc;
}

void lc_auth_destroy(lc_auth_t *a) {
    if (!a)
        return;
    for (unsigned i = 0; i < LC__CACHE_SHARDS; i++)
        pthread_mutex_destroy(&a->cache_lock[i]);
    pthread_mutex_destroy(&a->lockout_lock);
    lc__ratelimit_destroy(a->rate);
    /* The lockout table holds hashes of emails: not secrets, but nobody else's business. */
    sodium_memzero(a->lockout, (size_t)a->o.lockout_entries * sizeof *a->lockout);
    lc_free(a->lockout);
    lc_free(a->slots);
    lc_free(a);
}

int64_t lc__auth_now_ms(const lc_auth_t *a) {
    if (a->o.clock)
        return a->o.clock(a->o.clock_ctx);
    struct timespec ts;
#ifdef CLOCK_REALTIME_COARSE
    /* A few ms of resolution is plenty for second-granular expiry, a 1 s TTL and 60 s
     * coalescing, and it costs a third of CLOCK_REALTIME on the hot path. */
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
#else
    clock_gettime(CLOCK_REALTIME, &ts);
#endif
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *const reason_names[] = {
    [LC_AUTH_OK] = "ok",
    [LC_AUTH_MISSING] = "missing",
    [LC_AUTH_BAD_SCHEME] = "bad_scheme",
    [LC_AUTH_MALFORMED] = "token_malformed",
    [LC_AUTH_UNKNOWN] = "token_unknown",
    [LC_AUTH_DEACTIVATED] = "token_deactivated",
    [LC_AUTH_EXPIRED] = "token_expired",
    [LC_AUTH_CREATOR_DEACTIVATED] = "creator_deactivated",
    [LC_AUTH_SESSION_MISSING] = "session_missing",
    [LC_AUTH_SESSION_UNKNOWN] = "session_unknown",
    [LC_AUTH_SESSION_IDLE] = "session_idle",
    [LC_AUTH_SESSION_EXPIRED] = "session_expired",
    [LC_AUTH_CSRF_MISSING] = "csrf_missing",
    [LC_AUTH_CSRF_MISMATCH] = "csrf_mismatch",
    [LC_AUTH_USER_DEACTIVATED] = "user_deactivated",
    [LC_AUTH_BAD_CREDENTIALS] = "bad_credentials",
    [LC_AUTH_LOCKED] = "locked",
};

const char *lc_auth_reason_name(lc_auth_reason_t r) {
    if ((unsigned)r < sizeof reason_names / sizeof reason_names[0] && reason_names[r])
        return reason_names[r];
    return "unknown";
}

int lc__auth_fail(lc_auth_t *a, lc_auth_failure_t *fail, lc_auth_reason_t reason, int64_t tenant_id,
                  int64_t token_id, const char *fmt, ...) {
    va_list ap;
    fail->reason = reason;
    fail->tenant_id = tenant_id;
    fail->token_id = token_id;
    va_start(ap, fmt);
    vsnprintf(fail->message, sizeof fail->message, fmt, ap);
    va_end(ap);
    atomic_fetch_add_explicit(&a->failures, 1, memory_order_relaxed);

    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_INFO, "auth.failure");
    lc_log_cstr(&r, "reason", lc_auth_reason_name(reason));
    if (tenant_id)
        lc_log_i64(&r, "tenant_id", tenant_id);
    if (token_id)
        lc_log_i64(&r, "token_id", token_id);
    lc_log_end(&r);
    return LC_EDENIED;
}

/* ---- The token cache (auth_int.h) ---- */

static lc__cache_slot_t *set_of(lc_auth_t *a, const uint64_t hw[4], unsigned *shard) {
    /* The words of a SHA-256 are uniform: the first one picks the set as well as any mix. */
    uint64_t set = hw[0] & a->set_mask;
    *shard = (unsigned)(set % LC__CACHE_SHARDS);
    return &a->slots[set * LC__CACHE_WAYS];
}

/* A consistent copy of the slot's words; false when a writer kept it busy (then it is a miss:
 * the store answers instead, nobody waits on a preempted writer).
 * The seqlock without fences (Boehm, "Can seqlocks get along with programming language memory
 * models?", 2012, §5): the writer stores the words with release after making the sequence odd,
 * so a reader whose acquire load of a word sees a new value also sees the odd sequence when it
 * reads it again, and retries. Free on x86; ThreadSanitizer understands it. */
static bool slot_read(lc__cache_slot_t *sl, lc__cache_entry_t *e) {
    for (int tries = 0; tries < 16; tries++) {
        uint64_t s1 = atomic_load_explicit(&sl->seq, memory_order_acquire);
        if (s1 & 1u)
            continue;
        for (int i = 0; i < LC__WORDS; i++)
            e->w[i] = atomic_load_explicit(&sl->w[i], memory_order_acquire);
        if (atomic_load_explicit(&sl->seq, memory_order_relaxed) == s1)
            return true;
    }
    return false;
}

static bool same_hash(const uint64_t *w, const uint64_t hw[4]) {
    return w[0] == hw[0] && w[1] == hw[1] && w[2] == hw[2] && w[3] == hw[3];
}

static lc__cache_slot_t *cache_lookup(lc_auth_t *a, const uint64_t hw[4], lc__cache_entry_t *e) {
    unsigned shard;
    lc__cache_slot_t *set = set_of(a, hw, &shard);
    for (int i = 0; i < LC__CACHE_WAYS; i++) {
        lc__cache_slot_t *sl = &set[i];
        /* A cheap look at one word first; a torn read only makes a false miss or is caught by
         * the full, checked read below. */
        if (atomic_load_explicit(&sl->w[LC__W_HASH0], memory_order_relaxed) != hw[0])
            continue;
        if (slot_read(sl, e) && (e->w[LC__W_FLAGS] & LC__F_VALID) && same_hash(e->w, hw))
            return sl;
    }
    return NULL;
}

/* Writes e into the set of its hash: over the slot of the same token (keeping its last-touch
 * time), else a free slot, else the slot written longest ago. Returns the slot. */
static lc__cache_slot_t *cache_store(lc_auth_t *a, lc__cache_entry_t *e, int64_t last_used_ms) {
    unsigned shard;
    lc__cache_slot_t *set = set_of(a, e->w, &shard);
    lc__cache_slot_t *victim = NULL, *free_slot = NULL, *oldest_slot = NULL;
    uint64_t oldest = UINT64_MAX;

    pthread_mutex_lock(&a->cache_lock[shard]);
    /* Writers of this set hold the lock, so relaxed reads here see settled words. */
    for (int i = 0; i < LC__CACHE_WAYS && !victim; i++) {
        lc__cache_slot_t *sl = &set[i];
        uint64_t w[4];
        for (int k = 0; k < 4; k++)
            w[k] = atomic_load_explicit(&sl->w[LC__W_HASH0 + k], memory_order_relaxed);
        uint64_t flags = atomic_load_explicit(&sl->w[LC__W_FLAGS], memory_order_relaxed);
        uint64_t stamp = atomic_load_explicit(&sl->w[LC__W_STAMP], memory_order_relaxed);
        if (!(flags & LC__F_VALID)) {
            if (!free_slot)
                free_slot = sl;
        } else if (same_hash(w, e->w)) {
            int64_t t = atomic_load_explicit(&sl->last_touch_ms, memory_order_relaxed);
            if (t > last_used_ms)
                last_used_ms = t;
            victim = sl;
        } else if (!oldest_slot || stamp < oldest) {
            oldest_slot = sl;
            oldest = stamp;
        }
    }
    if (!victim)
        victim = free_slot ? free_slot : oldest_slot;
    e->w[LC__W_STAMP] = atomic_fetch_add_explicit(&a->cache_stamp, 1, memory_order_relaxed) + 1;
    uint64_t s = atomic_load_explicit(&victim->seq, memory_order_relaxed);
    atomic_store_explicit(&victim->seq, s + 1, memory_order_relaxed);
    for (int i = 0; i < LC__WORDS; i++)
        atomic_store_explicit(&victim->w[i], e->w[i], memory_order_release);
    atomic_store_explicit(&victim->last_touch_ms, last_used_ms, memory_order_relaxed);
    atomic_store_explicit(&victim->seq, s + 2, memory_order_release);
    pthread_mutex_unlock(&a->cache_lock[shard]);
    return victim;
}

/* Reads the token from the store and caches it, stamped with `gen` read *before* the store
 * read: a write committing meanwhile advances the generation, so the entry is already stale
 * and the next request reads again. */
static int token_load(lc_auth_t *a, const uint8_t hash[LC_TOKEN_HASH_LEN], uint64_t gen,
                      int64_t now_ms, lc__cache_entry_t *e, lc__cache_slot_t **slot) {
    lc_arena_t arena;
    lc_token_auth_t ta;
    lc_arena_init(&arena, 1024, 0);
    atomic_fetch_add_explicit(&a->token_reads, 1, memory_order_relaxed);
    int rc = lc_store_token_auth(a->store, &arena, hash, &ta);
    lc_arena_dispose(&arena); /* only the numbers below are kept */
    if (rc != LC_OK)
        return rc;

    int64_t limit = ta.tenant_rate_limit, window = ta.tenant_rate_window_s;
    if (limit < 0)
        limit = a->o.rate_limit;
    if (window <= 0)
        window = a->o.rate_window_s;
    memset(e, 0, sizeof *e);
    memcpy(&e->w[LC__W_HASH0], hash, LC_TOKEN_HASH_LEN);
    e->w[LC__W_TOKEN_ID] = (uint64_t)ta.token.id;
    e->w[LC__W_TENANT_ID] = (uint64_t)ta.token.tenant_id;
    e->w[LC__W_CREATOR_ID] = (uint64_t)ta.token.creator_id;
    e->w[LC__W_SUBSET] = ta.token.has_subset ? ta.token.subset : LC_PERMSET_ALL;
    e->w[LC__W_CREATOR_PERMS] = ta.creator_permissions;
    e->w[LC__W_EXPIRES_AT] = (uint64_t)ta.token.expires_at;
    e->w[LC__W_FLAGS] = LC__F_VALID | (ta.token.status != LC_ACTIVE ? LC__F_TOKEN_DEACTIVATED : 0) |
                        (ta.creator_status != LC_ACTIVE ? LC__F_CREATOR_DEACTIVATED : 0);
    e->w[LC__W_RATE_LIMIT] = (uint64_t)limit;
    e->w[LC__W_RATE_WINDOW] = (uint64_t)window;
    e->w[LC__W_GENERATION] = gen;
    e->w[LC__W_LOADED_MS] = (uint64_t)now_ms;
    /* The store's last use (maybe by another node) seeds the coalescing. */
    *slot = cache_store(a, e, ta.token.last_used_at * 1000);
    return LC_OK;
}

static bool fresh(const lc_auth_t *a, const lc__cache_entry_t *e, uint64_t gen, int64_t now_ms) {
    int64_t age = now_ms - (int64_t)e->w[LC__W_LOADED_MS];
    return e->w[LC__W_GENERATION] == gen && age >= 0 && age < a->o.cache_ttl_ms;
}

/* ---- Bearer ---- */

/* Addresses longer than an IPv6 text form are not addresses (the store keeps <= 45 bytes). */
static const char *storable_ip(const char *ip) {
    return ip && strnlen(ip, 46) <= 45 ? ip : NULL;
}

static void token_touch(lc_auth_t *a, lc__cache_slot_t *sl, int64_t token_id, int64_t now_ms,
                        const char *ip) {
    int64_t interval = a->o.touch_interval_s * 1000;
    int64_t last = atomic_load_explicit(&sl->last_touch_ms, memory_order_relaxed);
    if (last <= now_ms && now_ms - last < interval)
        return;
    /* One thread wins the minute; the others go on without writing. */
    if (!atomic_compare_exchange_strong_explicit(&sl->last_touch_ms, &last, now_ms,
                                                 memory_order_relaxed, memory_order_relaxed))
        return;
    atomic_fetch_add_explicit(&a->token_touches, 1, memory_order_relaxed);
    int rc = lc_store_token_touch(a->store, token_id, now_ms / 1000, storable_ip(ip));
    if (rc != LC_OK) {
        /* Last-used is informative: the request goes on, the next minute tries again. An
         * unreachable store has logged its outage once already. */
        lc_log_rec_t r;
        lc_log_begin(&r, rc == LC_EUNAVAILABLE ? LC_LOG_DEBUG : LC_LOG_WARN, "auth.token_touch");
        lc_log_cstr(&r, "status", lc_status_name(rc));
        lc_log_i64(&r, "token_id", token_id);
        lc_log_end(&r);
    }
}

/* "2026-01-01", or "2026-01-01 at 13:45 UTC" when the expiry is not at midnight. */
static void format_expiry(int64_t t, char *out, size_t n) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(out, n, "%" PRId64, t);
        return;
    }
    if (tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0)
        strftime(out, n, "%Y-%m-%d", &tm);
    else
        strftime(out, n, "%Y-%m-%d at %H:%M UTC", &tm);
}

int lc_auth_bearer(lc_auth_t *a, lc_str_t authorization, const char *ip, lc_principal_t *out,
                   lc_auth_failure_t *fail) {
    lc_str_t token;
    int rc = lc_auth_bearer_parse(authorization, &token);
    if (rc == LC_ENOTFOUND)
        return lc__auth_fail(a, fail, LC_AUTH_MISSING, 0, 0,
                             "Authentication required: send the header "
                             "\"Authorization: Bearer <token>\" with a developer token.");
    if (rc != LC_OK)
        return lc__auth_fail(a, fail, LC_AUTH_BAD_SCHEME, 0, 0,
                             "The Authorization header must be \"Bearer\", one space, then the "
                             "developer token.");
    lc_token_fault_t fault = lc_token_check(token);
    if (fault != LC_TOKEN_OK)
        return lc__auth_fail(a, fail, LC_AUTH_MALFORMED, 0, 0, "The token is malformed: %s.",
                             lc_token_fault_text(fault));

    uint8_t hash[LC_TOKEN_HASH_LEN];
    uint64_t hw[4];
    lc_token_hash(token, hash);
    memcpy(hw, hash, sizeof hw);
    uint64_t gen = lc_store_generation(a->store);
    int64_t now_ms = lc__auth_now_ms(a);

    lc__cache_entry_t e;
    lc__cache_slot_t *sl = cache_lookup(a, hw, &e);
    if (!sl || !fresh(a, &e, gen, now_ms)) {
        rc = token_load(a, hash, gen, now_ms, &e, &sl);
        if (rc == LC_ENOTFOUND)
            return lc__auth_fail(a, fail, LC_AUTH_UNKNOWN, 0, 0, "The token is not recognised.");
        if (rc != LC_OK)
            return rc;
    }

    int64_t tenant_id = (int64_t)e.w[LC__W_TENANT_ID];
    int64_t token_id = (int64_t)e.w[LC__W_TOKEN_ID];
    int64_t expires_at = (int64_t)e.w[LC__W_EXPIRES_AT];
    uint64_t flags = e.w[LC__W_FLAGS];
    if (flags & LC__F_TOKEN_DEACTIVATED)
        return lc__auth_fail(a, fail, LC_AUTH_DEACTIVATED, tenant_id, token_id,
                             "The token has been deactivated.");
    if (expires_at != 0 && now_ms / 1000 >= expires_at) {
        char when[40];
        format_expiry(expires_at, when, sizeof when);
        return lc__auth_fail(a, fail, LC_AUTH_EXPIRED, tenant_id, token_id,
                             "The token expired on %s.", when);
    }
    if (flags & LC__F_CREATOR_DEACTIVATED)
        return lc__auth_fail(a, fail, LC_AUTH_CREATOR_DEACTIVATED, tenant_id, token_id,
                             "The token's creator is deactivated.");

    *out = (lc_principal_t){
        .tenant_id = tenant_id,
        .user_id = (int64_t)e.w[LC__W_CREATOR_ID],
        .token_id = token_id,
        .session_id = 0,
        .perms = e.w[LC__W_CREATOR_PERMS] & e.w[LC__W_SUBSET] & LC_PERMSET_ALL,
        .rate_limit = (int64_t)e.w[LC__W_RATE_LIMIT],
        .rate_window_s = (int64_t)e.w[LC__W_RATE_WINDOW],
    };
    token_touch(a, sl, token_id, now_ms, ip);
    return LC_OK;
}

/* ---- Rate limits ---- */

void lc_auth_rate_check(lc_auth_t *a, const lc_principal_t *p, lc_rate_result_t *out) {
    lc_rate_policy_t ten = {.name = "tenant"}, tok = {.name = "token"};
    bool use_tok = p->token_id != 0 && a->o.token_rate_limit > 0;
    bool use_ten = p->rate_limit > 0 && p->rate_window_s > 0;
    bool overflow = false;
    int64_t now_s = lc__auth_now_ms(a) / 1000;

    memset(out, 0, sizeof *out);
    out->allowed = true;
    if (!use_tok && !use_ten)
        return;

    /* The narrower limit first: a request its token may not make does not use up the
     * tenant's quota. */
    if (use_tok) {
        bool ok = lc__ratelimit_hit(a->rate, LC__RATE_TOKEN, p->token_id, a->o.token_rate_limit,
                                    a->o.token_rate_window_s, now_s, &tok, &overflow);
        if (overflow)
            atomic_fetch_add_explicit(&a->rate_overflow, 1, memory_order_relaxed);
        if (!ok) {
            out->allowed = false;
            out->retry_after_s = tok.reset_s;
            out->policy[out->n++] = tok;
            atomic_fetch_add_explicit(&a->rate_denied, 1, memory_order_relaxed);
            return;
        }
    }
    if (use_ten) {
        bool ok = lc__ratelimit_hit(a->rate, LC__RATE_TENANT, p->tenant_id, p->rate_limit,
                                    p->rate_window_s, now_s, &ten, &overflow);
        if (overflow)
            atomic_fetch_add_explicit(&a->rate_overflow, 1, memory_order_relaxed);
        out->policy[out->n++] = ten;
        if (!ok) {
            out->allowed = false;
            out->retry_after_s = ten.reset_s;
            atomic_fetch_add_explicit(&a->rate_denied, 1, memory_order_relaxed);
            if (use_tok) {
                lc__ratelimit_refund(a->rate, LC__RATE_TOKEN, p->token_id, a->o.token_rate_window_s,
                                     now_s);
                if (tok.remaining < tok.quota)
                    tok.remaining++;
            }
        }
    }
    if (use_tok)
        out->policy[out->n++] = tok;
}

void lc_auth_stats(lc_auth_t *a, lc_auth_stats_t *out) {
    *out = (lc_auth_stats_t){
        .token_reads = atomic_load_explicit(&a->token_reads, memory_order_relaxed),
        .token_touches = atomic_load_explicit(&a->token_touches, memory_order_relaxed),
        .session_reads = atomic_load_explicit(&a->session_reads, memory_order_relaxed),
        .session_touches = atomic_load_explicit(&a->session_touches, memory_order_relaxed),
        .failures = atomic_load_explicit(&a->failures, memory_order_relaxed),
        .rate_denied = atomic_load_explicit(&a->rate_denied, memory_order_relaxed),
        .rate_overflow = atomic_load_explicit(&a->rate_overflow, memory_order_relaxed),
    };
}
