/* SPDX-License-Identifier: MIT */
/* Rate limits across the nodes of a cluster (auth.h, lc_rate_share_*): one thread per node that,
 * every interval, adds the requests this node let through to counters in the shared store
 * (lc__ratelimit_sync) and then learns, in one query, every counter that any node changed since
 * its previous look (lc__ratelimit_learn), so that a tenant's limit holds for the cluster,
 * overshooting by at most what the nodes admit within one interval of each other's requests. It
 * also purges counters of windows long over. Only started when the store is shared. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "auth_int.h"
#include "lectern/alloc.h"
#include "lectern/log.h"
#include "lectern/store.h"

#define PURGE_EVERY_MS 60000
/* How far back, before its previous look, a node asks for changed counters: covers the nodes'
 * clocks disagreeing (each stamps with its own) and a push committed after being stamped.
 * Reading a counter twice is harmless: what is learned is a total, not an increment. */
#define LOOK_BACK_MS 2000
/* Counters are kept an hour past their window (longer than any window a node may still be
 * in, given clocks that disagree by a little). */
#define KEEP_S 3600

struct lc_rate_share {
    lc_auth_t *auth;   /* borrowed */
    lc_store_t *store; /* borrowed */
    int64_t interval_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC */
    bool stop;
    bool failing;  /* the last round failed: logged once per outage */
    int round_rc;  /* the current round's first failure, LC_OK while none */
    int64_t now_s; /* of the current round, for learn() */
};

/* rc of a round: logged when the sharing starts failing, not on every round. */
static void report(lc_rate_share_t *rs, int rc) {
    if (rc != LC_OK && !rs->failing) {
        lc_log_rec_t rec;
        lc_log_begin(&rec, LC_LOG_WARN, "auth.rate_share_failed");
        lc_log_cstr(&rec, "status", lc_status_name(rc));
        lc_log_end(&rec);
    }
    rs->failing = rc != LC_OK;
}

static int push(void *ctx, lc__rate_kind_t kind, int64_t id, int64_t window_end, int64_t delta,
                int64_t *total) {
    lc_rate_share_t *rs = ctx;
    int rc = lc_store_rate_add(rs->store, (int)kind, id, window_end, delta,
                               lc__auth_now_ms(rs->auth), total);
    if (rc != LC_OK && rs->round_rc == LC_OK)
        rs->round_rc = rc;
    return rc;
}

static void learn(void *ctx, int kind, int64_t id, int64_t window_end, int64_t total) {
    lc_rate_share_t *rs = ctx;
    if (kind == LC__RATE_TENANT || kind == LC__RATE_TOKEN)
        lc__ratelimit_learn(rs->auth->rate, (lc__rate_kind_t)kind, id, window_end, total,
                            rs->now_s);
}

/* One round: push what this node let through, then learn every counter any node changed since
 * this node's previous look (its own pushes included, which learn() discounts), so that a node
 * that has been idle for a key knows the cluster's count before it lets the next request
 * through. *since_ms: where the next look starts (unchanged when this one failed). */
static void sync_round(lc_rate_share_t *rs, int64_t *since_ms) {
    int64_t now_ms = lc__auth_now_ms(rs->auth);
    rs->now_s = now_ms / 1000;
    rs->round_rc = LC_OK;
    lc__ratelimit_sync(rs->auth->rate, rs->now_s, push, rs);
    int rc = lc_store_rate_changed(rs->store, *since_ms, rs->now_s, learn, rs);
    if (rc == LC_OK)
        *since_ms = now_ms - LOOK_BACK_MS;
    else if (rs->round_rc == LC_OK)
        rs->round_rc = rc;
    report(rs, rs->round_rc);
}

static void deadline_after(struct timespec *ts, int64_t ms) {
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *run(void *arg) {
    lc_rate_share_t *rs = arg;
    int64_t since_purge = PURGE_EVERY_MS; /* purge once at start */
    int64_t since_ms = 0;                 /* the first look learns every current window */
    pthread_mutex_lock(&rs->lock);
    while (!rs->stop) {
        struct timespec ts;
        deadline_after(&ts, rs->interval_ms);
        while (!rs->stop && pthread_cond_timedwait(&rs->cond, &rs->lock, &ts) != ETIMEDOUT) {
        }
        bool last = rs->stop;
        pthread_mutex_unlock(&rs->lock);
        /* Also on the way out: what this node counted reaches the others. */
        sync_round(rs, &since_ms);
        int64_t now_s = rs->now_s;
        since_purge += rs->interval_ms;
        if (!last && since_purge >= PURGE_EVERY_MS) {
            since_purge = 0;
            if (lc_store_rate_purge(rs->store, now_s - KEEP_S) != LC_OK && !rs->failing) {
                lc_log_rec_t rec;
                lc_log_begin(&rec, LC_LOG_WARN, "auth.rate_purge_failed");
                lc_log_end(&rec);
            }
        }
        pthread_mutex_lock(&rs->lock);
    }
    pthread_mutex_unlock(&rs->lock);
    return NULL;
}

int lc_rate_share_start(lc_auth_t *a, lc_store_t *store, int64_t interval_ms,
                        lc_rate_share_t **out) {
    pthread_condattr_t ca;
    if (a == NULL || store == NULL || out == NULL || interval_ms < 10 || interval_ms > 60000)
        return LC_EINVAL;
    lc_rate_share_t *rs = lc_calloc(1, sizeof *rs);
    if (rs == NULL)
        return LC_ENOMEM;
    rs->auth = a;
    rs->store = store;
    rs->interval_ms = interval_ms;
    pthread_mutex_init(&rs->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&rs->cond, &ca);
    pthread_condattr_destroy(&ca);
    /* Signals belong to the thread that waits for SIGTERM (lc_http_wait_for_shutdown_signal):
     * the thread starts with every signal blocked, the caller's mask is restored after. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int started = pthread_create(&rs->thread, NULL, run, rs);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started != 0) {
        pthread_cond_destroy(&rs->cond);
        pthread_mutex_destroy(&rs->lock);
        lc_free(rs);
        return LC_ENOMEM;
    }
    *out = rs;
    return LC_OK;
}

void lc_rate_share_stop(lc_rate_share_t *rs) {
    if (rs == NULL)
        return;
    pthread_mutex_lock(&rs->lock);
    rs->stop = true;
    pthread_cond_signal(&rs->cond);
    pthread_mutex_unlock(&rs->lock);
    pthread_join(rs->thread, NULL);
    pthread_cond_destroy(&rs->cond);
    pthread_mutex_destroy(&rs->lock);
    lc_free(rs);
}
