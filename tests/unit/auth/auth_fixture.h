/* SPDX-License-Identifier: MIT */
/* Shared by test_auth.c and test_session.c: a migrated store on a fresh file in a temporary
 * directory (the real SQLite store, or fake_store.c when LC_FAKE_STORE is defined), a tenant
 * with its Console Admin, an authenticator whose clock the test moves, and helpers that make
 * roles, users and tokens through the store's public API. */
#ifndef LECTERN_TEST_AUTH_FIXTURE_H
#define LECTERN_TEST_AUTH_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "lectern/auth.h"
#include "lectern/limits.h"
#include "lectern/log.h"
#include "lectern/password.h"
#include "lectern/store.h"
#include "lectern/token.h"

#ifdef LC_FAKE_STORE
#include "fake_store.h"
#endif

#define FX_PASSWORD "correct horse battery staple"
#define FX_ADMIN_EMAIL "ada@acme.test"

typedef struct fx {
    char dir[256];
    char path[300];
    char url[320];
    lc_store_t *store;
    lc_auth_t *auth;
    lc_auth_options_t opt;
    int64_t now_ms; /* the authenticator's clock */
    int64_t tenant_id, admin_id;
    lc_actor_t actor; /* the admin, for setup writes */
} fx_t;

/* The argon2id hash of FX_PASSWORD, made once per process (it costs tens of ms). */
static char fx_hash[LC_PASSWORD_HASH_MAX];

static inline int64_t fx_clock(void *ctx) {
    return ((const fx_t *)ctx)->now_ms;
}

static inline int64_t fx_now_s(const fx_t *f) {
    return f->now_ms / 1000;
}

static inline void fx_advance(fx_t *f, int64_t seconds) {
    f->now_ms += seconds * 1000;
}

/* Re-creates the authenticator with f->opt (after a test changed an option). */
static inline void fx_auth_reset(fx_t *f) {
    lc_auth_destroy(f->auth);
    f->auth = NULL;
    f->opt.clock = fx_clock;
    f->opt.clock_ctx = f;
    assert_int_equal(lc_auth_create(f->store, &f->opt, &f->auth), LC_OK);
}

static inline int fx_group_setup(void **state) {
    (void)state;
    if (lc_auth_init() != LC_OK)
        return -1;
    /* Failures are logged at info: keep the test output for cmocka. */
    lc_log_set_level(LC_LOG_ERROR);
    return lc_password_hash(FX_PASSWORD, strlen(FX_PASSWORD), fx_hash) == LC_OK ? 0 : -1;
}

static inline int fx_setup(void **state) {
    fx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/lc-auth-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/lectern.db", f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
    int applied = 0;
    assert_int_equal(lc_store_open(f->url, true, &f->store), LC_OK);
    assert_int_equal(lc_store_migrate(f->store, &applied), LC_OK);
    lc_store_bootstrap_t b = {"acme", "Acme Inc.", FX_ADMIN_EMAIL, "Ada Admin", fx_hash};
    assert_int_equal(lc_store_bootstrap_tenant(f->store, &b, &f->tenant_id, &f->admin_id), LC_OK);
    f->actor = (lc_actor_t){f->tenant_id, f->admin_id, 0, NULL};
    /* The store stamps rows with the real time: start the injected clock there. */
    f->now_ms = (int64_t)time(NULL) * 1000 + 123;
    lc_auth_options_default(&f->opt);
    fx_auth_reset(f);
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state) {
    fx_t *f = *state;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[340];
    lc_auth_destroy(f->auth);
    lc_store_close(f->store);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static inline int64_t fx_role(fx_t *f, const char *name, lc_permset_t perms) {
    int64_t id = 0;
    assert_int_equal(lc_store_role_create(f->store, &f->actor, name, "test role", perms, &id),
                     LC_OK);
    return id;
}

/* A user with a password (FX_PASSWORD) and the given roles. */
static inline int64_t fx_user(fx_t *f, const char *email, const int64_t *roles, uint32_t n) {
    int64_t id = 0;
    lc_user_new_t u = {email, "Test User", fx_hash, roles, n};
    assert_int_equal(lc_store_user_create(f->store, &f->actor, &u, &id), LC_OK);
    return id;
}

/* A token of `creator` (subset when has_subset; expires_at 0 = never) into tok. */
static inline int64_t fx_token_in(fx_t *f, int64_t tenant_id, int64_t creator, bool has_subset,
                                  lc_permset_t subset, int64_t expires_at,
                                  char tok[LC_TOKEN_LEN + 1]) {
    uint8_t hash[LC_TOKEN_HASH_LEN];
    char hint[LC_TOKEN_HINT_MAX];
    int64_t id = 0;
    assert_int_equal(lc_token_generate(tok), LC_OK);
    lc_token_hash(lc_str_from(tok), hash);
    lc_token_hint(lc_str_from(tok), hint);
    lc_token_new_t t = {creator, "test token", hash, hint, has_subset, subset, expires_at};
    lc_actor_t actor = {tenant_id, creator, 0, NULL};
    assert_int_equal(lc_store_token_create(f->store, &actor, &t, &id), LC_OK);
    return id;
}

static inline int64_t fx_token(fx_t *f, int64_t creator, bool has_subset, lc_permset_t subset,
                               int64_t expires_at, char tok[LC_TOKEN_LEN + 1]) {
    return fx_token_in(f, f->tenant_id, creator, has_subset, subset, expires_at, tok);
}

/* "Bearer <tok>" in buf (tok cut to fit). */
static inline lc_str_t fx_bearer(char *buf, size_t n, const char *tok) {
    size_t k = strnlen(tok, n - 8);
    memcpy(buf, "Bearer ", 7);
    memcpy(buf + 7, tok, k);
    buf[7 + k] = '\0';
    return lc_str_make(buf, 7 + k);
}

static inline lc_auth_stats_t fx_stats(fx_t *f) {
    lc_auth_stats_t s;
    lc_auth_stats(f->auth, &s);
    return s;
}

#define P(x) lc_permset_of(LC_PERM_##x)

#endif
