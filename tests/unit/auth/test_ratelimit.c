/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/ratelimit.c: fixed-window behaviour under an injected clock, independence of
 * keys, refunds, a full table failing open, threads hammering one tenant never getting more
 * than the limit, and the RateLimit header values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>

#include <cmocka.h>

#include "auth_int.h"
#include "lectern/alloc.h"
#include "lectern/arena.h"

static lc__ratelimit_t *rl_new(uint32_t capacity) {
    lc__ratelimit_t *rl = NULL;
    assert_int_equal(lc__ratelimit_create(capacity, &rl), LC_OK);
    return rl;
}

static bool hit(lc__ratelimit_t *rl, int64_t id, int64_t limit, int64_t window, int64_t now,
                lc_rate_policy_t *p) {
    bool overflow = true;
    bool ok = lc__ratelimit_hit(rl, LC__RATE_TENANT, id, limit, window, now, p, &overflow);
    assert_false(overflow);
    return ok;
}

static void fixed_window(void **state) {
    (void)state;
    lc__ratelimit_t *rl = rl_new(1024);
    lc_rate_policy_t p;
    /* Windows are aligned on multiples of 60 s: [120, 180). */
    for (int i = 0; i < 3; i++) {
        assert_true(hit(rl, 1, 3, 60, 120, &p));
        assert_int_equal(p.quota, 3);
        assert_int_equal(p.window_s, 60);
        assert_int_equal(p.remaining, 2 - i);
        assert_int_equal(p.reset_s, 60);
    }
    assert_false(hit(rl, 1, 3, 60, 150, &p));
    assert_int_equal(p.remaining, 0);
    assert_int_equal(p.reset_s, 30);
    assert_false(hit(rl, 1, 3, 60, 179, &p));
    assert_int_equal(p.reset_s, 1);
    /* The next window starts over. */
    assert_true(hit(rl, 1, 3, 60, 180, &p));
    assert_int_equal(p.remaining, 2);
    assert_int_equal(p.reset_s, 60);
    /* Refused requests were not counted: after a quiet window, all three again. */
    for (int i = 0; i < 3; i++)
        assert_true(hit(rl, 1, 3, 60, 301, &p));
    assert_int_equal(p.reset_s, 59);
    assert_false(hit(rl, 1, 3, 60, 301, &p));
    lc__ratelimit_destroy(rl);
}

static void keys_are_independent(void **state) {
    (void)state;
    lc__ratelimit_t *rl = rl_new(1024);
    lc_rate_policy_t p;
    assert_true(hit(rl, 1, 1, 60, 0, &p));
    assert_false(hit(rl, 1, 1, 60, 0, &p));
    assert_true(hit(rl, 2, 1, 60, 0, &p));
    /* The same id as a token is another key. */
    assert_true(lc__ratelimit_hit(rl, LC__RATE_TOKEN, 1, 1, 60, 0, &p, NULL));
    assert_false(lc__ratelimit_hit(rl, LC__RATE_TOKEN, 1, 1, 60, 0, &p, NULL));
    lc__ratelimit_destroy(rl);
}

static void changed_limits(void **state) {
    (void)state;
    lc__ratelimit_t *rl = rl_new(64);
    lc_rate_policy_t p;
    assert_true(hit(rl, 7, 2, 60, 60, &p));
    assert_true(hit(rl, 7, 2, 60, 60, &p));
    assert_false(hit(rl, 7, 2, 60, 60, &p));
    /* A raised limit applies at once to the same window. */
    assert_true(hit(rl, 7, 5, 60, 60, &p));
    assert_int_equal(p.remaining, 2);
    /* A new window length starts a new count. */
    assert_true(hit(rl, 7, 2, 10, 61, &p));
    assert_int_equal(p.remaining, 1);
    assert_int_equal(p.reset_s, 9);
    /* A clock that goes back starts over rather than locking out. */
    assert_true(hit(rl, 7, 2, 10, 65, &p));
    assert_false(hit(rl, 7, 2, 10, 65, &p));
    assert_true(hit(rl, 7, 2, 10, 55, &p));
    lc__ratelimit_destroy(rl);
}

static void refund(void **state) {
    (void)state;
    lc__ratelimit_t *rl = rl_new(64);
    lc_rate_policy_t p;
    assert_true(hit(rl, 3, 2, 60, 0, &p));
    assert_true(hit(rl, 3, 2, 60, 0, &p));
    assert_false(hit(rl, 3, 2, 60, 0, &p));
    lc__ratelimit_refund(rl, LC__RATE_TENANT, 3, 60, 10);
    assert_true(hit(rl, 3, 2, 60, 20, &p));
    assert_int_equal(p.remaining, 0);
    /* A refund for a window that has passed changes nothing. */
    lc__ratelimit_refund(rl, LC__RATE_TENANT, 3, 60, 60);
    assert_false(hit(rl, 3, 2, 60, 30, &p));
    /* Unknown keys: nothing to refund. */
    lc__ratelimit_refund(rl, LC__RATE_TENANT, 999, 60, 0);
    lc__ratelimit_destroy(rl);
}

static void full_table_fails_open(void **state) {
    (void)state;
    /* The smallest table (64 shards of 8) and 20,000 keys in one window: some find no room,
     * and are let through uncounted. */
    lc__ratelimit_t *rl = rl_new(1);
    lc_rate_policy_t p;
    int overflowed = 0;
    for (int64_t id = 1; id <= 20000; id++) {
        bool overflow = false;
        assert_true(lc__ratelimit_hit(rl, LC__RATE_TOKEN, id, 1, 60, 0, &p, &overflow));
        overflowed += overflow;
        assert_int_equal(p.remaining, 0);
    }
    assert_true(overflowed > 10000);
    /* Once their window has passed, entries are reused: no overflow for new keys. */
    for (int64_t id = 30001; id <= 30100; id++) {
        bool overflow = true;
        assert_true(lc__ratelimit_hit(rl, LC__RATE_TOKEN, id, 1, 60, 60, &p, &overflow));
        assert_false(overflow);
    }
    lc__ratelimit_destroy(rl);
    assert_int_equal(lc__ratelimit_create(0, &rl), LC_EINVAL);
}

static void create_out_of_memory(void **state) {
    (void)state;
    for (long n = 0; n < 2; n++) {
        lc__ratelimit_t *rl = NULL;
        lc_alloc_fail_after(n);
        int rc = lc__ratelimit_create(100, &rl);
        lc_alloc_fail_reset();
        assert_int_equal(rc, LC_ENOMEM);
        assert_null(rl);
    }
}

/* ---- Concurrency ---- */

enum { THREADS = 8, PER_THREAD = 200000, LIMIT = THREADS * PER_THREAD / 2 };

typedef struct hammer {
    lc__ratelimit_t *rl;
    pthread_barrier_t *start;
    int allowed;
} hammer_t;

static void *hammer_main(void *arg) {
    hammer_t *h = arg;
    lc_rate_policy_t p;
    pthread_barrier_wait(h->start); /* all at once, or they might never overlap */
    for (int i = 0; i < PER_THREAD; i++) {
        /* One tenant everyone fights over, and a private one each to stir other shards. */
        if (lc__ratelimit_hit(h->rl, LC__RATE_TENANT, 42, LIMIT, 60, 600, &p, NULL))
            h->allowed++;
        (void)lc__ratelimit_hit(h->rl, LC__RATE_TENANT, 1000 + i % 97, LIMIT, 60, 600, &p, NULL);
    }
    return NULL;
}

static void threads_never_exceed_limit(void **state) {
    (void)state;
    lc__ratelimit_t *rl = rl_new(4096);
    pthread_t th[THREADS];
    hammer_t h[THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS);
    for (int i = 0; i < THREADS; i++) {
        h[i] = (hammer_t){rl, &start, 0};
        assert_int_equal(pthread_create(&th[i], NULL, hammer_main, &h[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        total += h[i].allowed;
    }
    pthread_barrier_destroy(&start);
    /* 1.6 million attempts, half of them while the quota lasts: exactly LIMIT get through. */
    assert_int_equal(total, LIMIT);
    lc__ratelimit_destroy(rl);
}

/* ---- Header values ---- */

static void header_values(void **state) {
    (void)state;
    lc_arena_t arena;
    lc_arena_init(&arena, 0, 0);
    lc_rate_headers_t h;

    lc_rate_result_t none = {.allowed = true, .n = 0};
    assert_int_equal(lc_auth_rate_headers(&none, &arena, &h), LC_OK);
    assert_null(h.policy);
    assert_null(h.ratelimit);
    assert_null(h.retry_after);

    lc_rate_result_t one = {
        .allowed = true,
        .n = 1,
        .policy = {{"tenant", 100, 60, 42, 30}},
    };
    assert_int_equal(lc_auth_rate_headers(&one, &arena, &h), LC_OK);
    assert_string_equal(h.policy, "\"tenant\";q=100;w=60");
    assert_string_equal(h.ratelimit, "\"tenant\";r=42;t=30");
    assert_null(h.retry_after);

    lc_rate_result_t denied = {
        .allowed = false,
        .n = 2,
        .policy = {{"tenant", 100, 60, 0, 17}, {"token", 10, 60, 3, 17}},
        .retry_after_s = 17,
    };
    assert_int_equal(lc_auth_rate_headers(&denied, &arena, &h), LC_OK);
    assert_string_equal(h.policy, "\"tenant\";q=100;w=60, \"token\";q=10;w=60");
    assert_string_equal(h.ratelimit, "\"tenant\";r=0;t=17, \"token\";r=3;t=17");
    assert_string_equal(h.retry_after, "17");

    /* Out of memory: a clean LC_ENOMEM, outputs untouched. */
    lc_arena_t small;
    lc_arena_init(&small, 64, 64);
    lc_rate_headers_t keep = {"p", "r", "a"};
    assert_int_equal(lc_auth_rate_headers(&denied, &small, &keep), LC_ENOMEM);
    assert_string_equal(keep.policy, "p");
    lc_arena_dispose(&small);
    lc_arena_dispose(&arena);
}

/* ---- Sharing between nodes (lc__ratelimit_sync) ---- */

/* The store's shared counters, in memory: one (kind, id, window) at a time is all these need. */
typedef struct shared {
    int64_t kind, id, window_end, hits;
    int pushes;
    bool fail; /* the next pushes fail (the store is down) */
} shared_t;

static int shared_push(void *ctx, lc__rate_kind_t kind, int64_t id, int64_t window_end,
                       int64_t delta, int64_t *total) {
    shared_t *sh = ctx;
    sh->pushes++;
    if (sh->fail)
        return LC_EUNAVAILABLE;
    assert_true(delta > 0);
    if (sh->kind != (int64_t)kind || sh->id != id || sh->window_end != window_end) {
        sh->kind = kind;
        sh->id = id;
        sh->window_end = window_end;
        sh->hits = 0;
    }
    sh->hits += delta;
    *total = sh->hits;
    return LC_OK;
}

static int admitted_key(lc__ratelimit_t *rl, int64_t id, int n, int64_t limit, int64_t now) {
    lc_rate_policy_t p;
    int ok = 0;
    for (int i = 0; i < n; i++)
        ok += hit(rl, id, limit, 60, now, &p);
    return ok;
}

static int admitted(lc__ratelimit_t *rl, int n, int64_t limit, int64_t now) {
    return admitted_key(rl, 7, n, limit, now);
}

static void shared_between_nodes(void **state) {
    (void)state;
    lc__ratelimit_t *a = rl_new(1024), *b = rl_new(1024);
    shared_t sh = {0};
    lc_rate_policy_t p;
    /* Node a lets 6 of 10 through; once both synced, b has only 4 left. */
    assert_int_equal(admitted(a, 6, 10, 120), 6);
    lc__ratelimit_sync(a, 120, shared_push, &sh);
    assert_int_equal(sh.hits, 6);
    assert_int_equal(sh.kind, LC__RATE_TENANT);
    assert_int_equal(sh.window_end, 180);
    assert_int_equal(admitted(b, 1, 10, 121), 1);
    lc__ratelimit_sync(b, 121, shared_push, &sh); /* b learns a's 6 */
    assert_int_equal(sh.hits, 7);
    assert_int_equal(admitted(b, 5, 10, 122), 3);
    assert_false(hit(b, 7, 10, 60, 122, &p));
    assert_int_equal(p.remaining, 0);
    lc__ratelimit_sync(b, 123, shared_push, &sh);
    assert_int_equal(sh.hits, 10);
    /* a still has its view of its last sync: one more gets through (the bounded overshoot), and
     * its push of that one teaches it the rest. */
    assert_int_equal(admitted(a, 1, 10, 123), 1);
    lc__ratelimit_sync(a, 123, shared_push, &sh);
    assert_int_equal(sh.hits, 11);
    assert_int_equal(admitted(a, 1, 10, 123), 0);
    /* Nothing pending: nothing pushed. */
    int pushes = sh.pushes;
    lc__ratelimit_sync(b, 124, shared_push, &sh);
    assert_int_equal(sh.pushes, pushes);
    /* The next window starts from zero on both. */
    assert_int_equal(admitted(a, 10, 10, 180), 10);
    assert_int_equal(admitted(b, 10, 10, 180), 10);
    lc__ratelimit_destroy(a);
    lc__ratelimit_destroy(b);
}

static void shared_overshoot_is_bounded(void **state) {
    (void)state;
    lc__ratelimit_t *a = rl_new(1024), *b = rl_new(1024);
    shared_t sh = {0};
    /* Without a sync in between, each node alone may reach the limit: the documented bound. */
    assert_int_equal(admitted(a, 10, 10, 120), 10);
    assert_int_equal(admitted(b, 10, 10, 120), 10);
    lc__ratelimit_sync(a, 120, shared_push, &sh);
    lc__ratelimit_sync(b, 120, shared_push, &sh);
    assert_int_equal(sh.hits, 20);
    /* After a sync both know the window is spent. */
    assert_int_equal(admitted(a, 1, 10, 121), 0);
    assert_int_equal(admitted(b, 1, 10, 121), 0);
    lc__ratelimit_destroy(a);
    lc__ratelimit_destroy(b);
}

static void shared_push_failure_retried(void **state) {
    (void)state;
    lc__ratelimit_t *a = rl_new(1024);
    shared_t sh = {.fail = true};
    assert_int_equal(admitted(a, 4, 10, 120), 4);
    lc__ratelimit_sync(a, 120, shared_push, &sh);
    assert_int_equal(sh.pushes, 1);
    assert_int_equal(sh.hits, 0);
    /* Requests go on being counted locally while the store is away. */
    assert_int_equal(admitted(a, 2, 10, 121), 2);
    sh.fail = false;
    lc__ratelimit_sync(a, 121, shared_push, &sh);
    assert_int_equal(sh.hits, 6); /* nothing lost, nothing doubled */
    /* A refund after the push leaves the shared count alone and the local one consistent. */
    lc__ratelimit_refund(a, LC__RATE_TENANT, 7, 60, 122);
    lc__ratelimit_sync(a, 122, shared_push, &sh);
    assert_int_equal(sh.hits, 6);
    assert_int_equal(admitted(a, 10, 10, 122), 5);
    /* A window that is over is not pushed. */
    int pushes = sh.pushes;
    lc__ratelimit_sync(a, 180, shared_push, &sh);
    assert_int_equal(sh.pushes, pushes);
    lc__ratelimit_destroy(a);
}

/* lc__ratelimit_learn: what the sharing thread's look at every changed counter teaches a node. */
static void shared_learned_while_idle(void **state) {
    (void)state;
    lc__ratelimit_t *a = rl_new(1024), *b = rl_new(1024);
    shared_t sh = {0};
    /* The CI failure this guards against: b pushes its first request before a pushes its 20,
     * so b's push teaches it nothing; b then idles (nothing pending, nothing pushed). Its look
     * at the changed counters after a's push must teach it a's 20 all the same. */
    assert_int_equal(admitted(b, 1, 30, 120), 1);
    lc__ratelimit_sync(b, 120, shared_push, &sh);
    assert_int_equal(admitted(a, 20, 30, 120), 20);
    lc__ratelimit_sync(a, 120, shared_push, &sh);
    assert_int_equal(sh.hits, 21);
    lc__ratelimit_learn(b, LC__RATE_TENANT, 7, 180, sh.hits, 121);
    assert_int_equal(admitted(b, 15, 30, 121), 9);
    /* Learning the same total twice (looks overlap) changes nothing: a total, not a delta. */
    lc__ratelimit_sync(b, 121, shared_push, &sh);
    assert_int_equal(sh.hits, 30);
    lc__ratelimit_learn(b, LC__RATE_TENANT, 7, 180, sh.hits, 121);
    lc__ratelimit_learn(b, LC__RATE_TENANT, 7, 180, sh.hits, 121);
    lc_rate_policy_t p;
    assert_false(hit(b, 7, 30, 60, 121, &p));
    assert_int_equal(p.remaining, 0);
    /* Requests let through here but not yet pushed are not taken for the others'. */
    lc__ratelimit_t *c = rl_new(1024);
    assert_int_equal(admitted(c, 5, 30, 121), 5);
    lc__ratelimit_learn(c, LC__RATE_TENANT, 7, 180, 25, 121); /* 25 others, c's 5 not in it */
    assert_int_equal(admitted(c, 5, 30, 121), 0);
    /* A key this node never saw is added with the others' count; a token's count is not the
     * tenant's of the same id. */
    lc__ratelimit_t *d = rl_new(1024);
    lc__ratelimit_learn(d, LC__RATE_TOKEN, 9, 180, 28, 121);
    assert_int_equal(admitted_key(d, 9, 3, 30, 121), 3);
    lc__ratelimit_learn(d, LC__RATE_TENANT, 8, 180, 28, 121);
    assert_int_equal(admitted_key(d, 8, 5, 30, 121), 2);
    /* Rows of a window that is over, or of another window than the key's current one, are
     * ignored. */
    lc__ratelimit_learn(d, LC__RATE_TENANT, 10, 121, 100, 121);
    assert_int_equal(admitted_key(d, 10, 3, 30, 121), 3);
    lc__ratelimit_learn(d, LC__RATE_TENANT, 10, 240, 100, 121); /* must not reset the 3 */
    assert_int_equal(admitted_key(d, 10, 30, 30, 121), 27);
    /* A key whose window here is over starts the row's window. */
    assert_int_equal(admitted_key(d, 11, 30, 30, 121), 30);
    lc__ratelimit_learn(d, LC__RATE_TENANT, 11, 240, 29, 181);
    assert_int_equal(admitted_key(d, 11, 3, 30, 181), 1);
    lc__ratelimit_destroy(a);
    lc__ratelimit_destroy(b);
    lc__ratelimit_destroy(c);
    lc__ratelimit_destroy(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_window),
        cmocka_unit_test(keys_are_independent),
        cmocka_unit_test(changed_limits),
        cmocka_unit_test(refund),
        cmocka_unit_test(full_table_fails_open),
        cmocka_unit_test(create_out_of_memory),
        cmocka_unit_test(threads_never_exceed_limit),
        cmocka_unit_test(header_values),
        cmocka_unit_test(shared_between_nodes),
        cmocka_unit_test(shared_overshoot_is_bounded),
        cmocka_unit_test(shared_push_failure_retried),
        cmocka_unit_test(shared_learned_while_idle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
