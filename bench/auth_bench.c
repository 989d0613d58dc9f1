/* SPDX-License-Identifier: MIT */
/* auth-bench: the cost of authenticating one /api/graphql request by its Bearer token when the
 * token is in the cache (header -> scheme -> format and checksum -> SHA-256 -> cache -> effective
 * permissions), in ns/op, on one thread and on several sharing one token; and its parts, so
 * that a regression can be placed. Runs over a real SQLite store in a temporary directory with
 * the default options (so a store read per cache TTL and a last-used write per minute are part
 * of the numbers, as in production).
 *
 *     build/release/bench/auth-bench [iterations] [threads]      (defaults 2000000, 4) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "lectern/auth.h"
#include "lectern/log.h"
#include "lectern/password.h"
#include "lectern/store.h"
#include "lectern/token.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef struct run {
    lc_auth_t *auth;
    lc_str_t header;
    long iterations;
    long failures;
    double ns;
} run_t;

static void *bearer_loop(void *arg) {
    run_t *r = arg;
    lc_principal_t p;
    lc_auth_failure_t fail;
    double t0 = now_ns();
    for (long i = 0; i < r->iterations; i++) {
        if (lc_auth_bearer(r->auth, r->header, "192.0.2.1", &p, &fail) != LC_OK ||
            p.perms != LC_PERMSET_ALL)
            r->failures++;
    }
    r->ns = now_ns() - t0;
    return NULL;
}

/* Keeps the compiler from dropping a computation whose result is otherwise unused. */
static volatile uint64_t sink;

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000000;
    int threads = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 4;
    char dir[] = "/tmp/lc-auth-bench-XXXXXX", path[128], url[140], tok[LC_TOKEN_LEN + 1];
    char header[64], hint[LC_TOKEN_HINT_MAX], pwhash[LC_PASSWORD_HASH_MAX];
    uint8_t hash[LC_TOKEN_HASH_LEN];
    lc_store_t *store = NULL;
    lc_auth_t *auth = NULL;
    int64_t tenant = 0, admin = 0, token_id = 0;
    int rc = 1;

    if (n <= 0 || threads <= 0 || threads > 256) {
        fprintf(stderr, "usage: auth-bench [iterations] [threads]\n");
        return 2;
    }
    lc_log_set_level(LC_LOG_WARN);
    if (lc_auth_init() != LC_OK || !mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/bench.db", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    static const char pw[] = "benchmark password 1234";
    lc_store_bootstrap_t b = {"bench", "Bench", "admin@bench.test", "Admin", pwhash};
    if (lc_password_hash(pw, sizeof pw - 1, pwhash) != LC_OK ||
        lc_store_open(url, true, &store) != LC_OK || lc_store_migrate(store, NULL) != LC_OK ||
        lc_store_bootstrap_tenant(store, &b, &tenant, &admin) != LC_OK ||
        lc_token_generate(tok) != LC_OK) {
        fprintf(stderr, "auth-bench: store setup failed\n");
        goto out;
    }
    lc_token_hash(lc_str_from(tok), hash);
    lc_token_hint(lc_str_from(tok), hint);
    lc_token_new_t t = {admin, "bench", hash, hint, false, 0, 0};
    lc_actor_t actor = {tenant, admin, 0, NULL};
    lc_auth_options_t o;
    lc_auth_options_default(&o);
    if (lc_store_token_create(store, &actor, &t, &token_id) != LC_OK ||
        lc_auth_create(store, &o, &auth) != LC_OK) {
        fprintf(stderr, "auth-bench: token setup failed\n");
        goto out;
    }
    snprintf(header, sizeof header, "Bearer %s", tok);
    lc_str_t h = lc_str_from(header);

    /* The parts. */
    lc_str_t slice = lc_str_make(header + 7, LC_TOKEN_LEN);
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        lc_str_t x;
        sink += (uint64_t)lc_auth_bearer_parse(h, &x) + x.len;
    }
    double parse_ns = (now_ns() - t0) / (double)n;
    t0 = now_ns();
    for (long i = 0; i < n; i++)
        sink += lc_token_check(slice);
    double check_ns = (now_ns() - t0) / (double)n;
    t0 = now_ns();
    for (long i = 0; i < n; i++) {
        lc_token_hash(slice, hash);
        sink += hash[0];
    }
    double sha_ns = (now_ns() - t0) / (double)n;

    /* The whole path, one thread (after one miss that fills the cache). */
    run_t one = {auth, h, n, 0, 0};
    bearer_loop(&(run_t){auth, h, 1000, 0, 0});
    bearer_loop(&one);

    /* Several threads on the same token. */
    pthread_t th[256];
    run_t runs[256];
    for (int i = 0; i < threads; i++) {
        runs[i] = (run_t){auth, h, n, 0, 0};
        pthread_create(&th[i], NULL, bearer_loop, &runs[i]);
    }
    double worst = 0;
    long failures = one.failures;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        failures += runs[i].failures;
        if (runs[i].ns > worst)
            worst = runs[i].ns;
    }
    lc_rate_result_t rr;
    lc_principal_t p = {
        .tenant_id = tenant, .token_id = token_id, .rate_limit = 1000000000, .rate_window_s = 60};
    t0 = now_ns();
    for (long i = 0; i < n; i++) {
        lc_auth_rate_check(auth, &p, &rr);
        sink += rr.allowed;
    }
    double rate_ns = (now_ns() - t0) / (double)n;

    lc_auth_stats_t st;
    lc_auth_stats(auth, &st);
    printf("auth-bench: %ld iterations, libsodium %s\n", n, sodium_version_string());
    printf("  Authorization parse          %8.1f ns/op\n", parse_ns);
    printf("  lc_token_check               %8.1f ns/op\n", check_ns);
    printf("  SHA-256 of the token         %8.1f ns/op\n", sha_ns);
    printf("  bearer, cache hit, 1 thread  %8.1f ns/op\n", one.ns / (double)n);
    printf("  bearer, cache hit, %d threads %7.1f ns/op per thread, %.2f M ops/s in all\n", threads,
           worst / (double)n, (double)threads * (double)n / worst * 1e3);
    printf("  rate check (tenant)          %8.1f ns/op\n", rate_ns);
    printf("  store reads %llu, last-used writes %llu, failures %ld\n",
           (unsigned long long)st.token_reads, (unsigned long long)st.token_touches, failures);
    rc = failures ? 1 : 0;
out:
    sodium_memzero(tok, sizeof tok);
    sodium_memzero(header, sizeof header);
    lc_auth_destroy(auth);
    lc_store_close(store);
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p2[160];
        snprintf(p2, sizeof p2, "%s%s", path, suffix[i]);
        unlink(p2);
    }
    rmdir(dir);
    return rc;
}
