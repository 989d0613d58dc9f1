/* SPDX-License-Identifier: MIT */
/* An in-memory stand-in for the part of include/lectern/store.h that authentication and its
 * tests use, with the same contract (tenancy, generation advances, login counters, sessions
 * ended by deactivation). test_auth.c and test_session.c run against it (test_auth_*_fake) and
 * against the real SQLite store; the fake also counts every call, so a test can prove that a
 * cache hit does not reach the store at all. Test-only; single mutex; small fixed tables. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fake_store.h"
#include "lectern/alloc.h"
#include "lectern/store.h"

enum { MAXT = 8, MAXR = 32, MAXU = 64, MAXK = 256, MAXS = 64, MAXUR = 8 };

typedef struct ftenant {
    int64_t id;
    char slug[64];
    int64_t rate_limit, rate_window;
} ftenant_t;

typedef struct frole {
    int64_t id, tenant;
    lc_role_builtin_t builtin;
    lc_permset_t perms;
} frole_t;

typedef struct fuser {
    int64_t id, tenant;
    char email[256];
    lc_active_t status;
    char hash[256];
    bool has_hash;
    int64_t failed, locked_until, last_login;
    int64_t roles[MAXUR];
    int nroles;
} fuser_t;

typedef struct ftoken {
    int64_t id, tenant, creator;
    uint8_t hash[32];
    lc_active_t status;
    bool has_subset;
    lc_permset_t subset;
    int64_t expires_at, last_used_at, created_at;
    char last_ip[46];
} ftoken_t;

typedef struct fsession {
    int64_t id, tenant, user;
    uint8_t sh[32], ch[32];
    int64_t created, last_seen, expires;
    bool live;
} fsession_t;

struct lc_store {
    pthread_mutex_t lock;
    _Atomic uint64_t generation;
    ftenant_t t[MAXT];
    int nt;
    frole_t r[MAXR];
    int nr;
    fuser_t u[MAXU];
    int nu;
    ftoken_t k[MAXK];
    int nk;
    fsession_t s[MAXS];
    int ns;
    int64_t next_id;
};

_Atomic long fake_store_calls;
int fake_store_fail_next;

#define ENTER(st)                                                                                  \
    do {                                                                                           \
        atomic_fetch_add(&fake_store_calls, 1);                                                    \
        pthread_mutex_lock(&(st)->lock);                                                           \
    } while (0)
#define LEAVE(st, rc)                                                                              \
    do {                                                                                           \
        pthread_mutex_unlock(&(st)->lock);                                                         \
        return (rc);                                                                               \
    } while (0)

static void bump(lc_store_t *s) {
    atomic_fetch_add(&s->generation, 1);
}

static fuser_t *user_of(lc_store_t *s, int64_t tenant, int64_t id) {
    for (int i = 0; i < s->nu; i++)
        if (s->u[i].id == id && s->u[i].tenant == tenant)
            return &s->u[i];
    return NULL;
}

static frole_t *role_of(lc_store_t *s, int64_t tenant, int64_t id) {
    for (int i = 0; i < s->nr; i++)
        if (s->r[i].id == id && s->r[i].tenant == tenant)
            return &s->r[i];
    return NULL;
}

static lc_permset_t perms_of(lc_store_t *s, const fuser_t *u) {
    lc_permset_t p = 0;
    for (int i = 0; i < u->nroles; i++) {
        const frole_t *r = role_of(s, u->tenant, u->roles[i]);
        if (r)
            p |= r->builtin == LC_ROLE_CONSOLE_ADMIN ? LC_PERMSET_ALL : r->perms;
    }
    return p;
}

static void end_sessions(lc_store_t *s, int64_t tenant, int64_t user) {
    for (int i = 0; i < s->ns; i++)
        if (s->s[i].tenant == tenant && s->s[i].user == user)
            s->s[i].live = false;
}

int lc_store_open(const char *url, bool create, lc_store_t **out) {
    (void)url;
    (void)create;
    lc_store_t *s = lc_calloc(1, sizeof *s);
    if (!s)
        return LC_ENOMEM;
    pthread_mutex_init(&s->lock, NULL);
    s->next_id = 1;
    *out = s;
    return LC_OK;
}

void lc_store_close(lc_store_t *s) {
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    lc_free(s);
}

int lc_store_migrate(lc_store_t *s, int *applied) {
    (void)s;
    if (applied)
        *applied = 1;
    return LC_OK;
}

uint64_t lc_store_generation(const lc_store_t *s) {
    /* Not counted as a call: it reads memory, and every request reads it. */
    return atomic_load(&((lc_store_t *)s)->generation);
}

int lc_store_bootstrap_tenant(lc_store_t *s, const lc_store_bootstrap_t *b, int64_t *tenant_id,
                              int64_t *admin_user_id) {
    ENTER(s);
    for (int i = 0; i < s->nt; i++)
        if (strcmp(s->t[i].slug, b->tenant_slug) == 0)
            LEAVE(s, LC_EEXIST);
    ftenant_t *t = &s->t[s->nt++];
    t->id = s->next_id++;
    snprintf(t->slug, sizeof t->slug, "%s", b->tenant_slug);
    t->rate_limit = t->rate_window = -1;
    frole_t *admin = &s->r[s->nr++];
    *admin = (frole_t){s->next_id++, t->id, LC_ROLE_CONSOLE_ADMIN, 0};
    frole_t *learner = &s->r[s->nr++];
    *learner = (frole_t){s->next_id++, t->id, LC_ROLE_LEARNER, 0};
    fuser_t *u = &s->u[s->nu++];
    memset(u, 0, sizeof *u);
    u->id = s->next_id++;
    u->tenant = t->id;
    snprintf(u->email, sizeof u->email, "%s", b->admin_email);
    snprintf(u->hash, sizeof u->hash, "%s", b->admin_password_hash);
    u->has_hash = true;
    u->roles[u->nroles++] = admin->id;
    if (tenant_id)
        *tenant_id = t->id;
    if (admin_user_id)
        *admin_user_id = u->id;
    LEAVE(s, LC_OK);
}

int lc_store_tenant_set_rate(lc_store_t *s, const lc_actor_t *actor, int64_t limit,
                             int64_t window_s) {
    ENTER(s);
    for (int i = 0; i < s->nt; i++) {
        if (s->t[i].id == actor->tenant_id) {
            s->t[i].rate_limit = limit;
            s->t[i].rate_window = window_s;
            bump(s);
            LEAVE(s, LC_OK);
        }
    }
    LEAVE(s, LC_ENOTFOUND);
}

int lc_store_user_permissions(lc_store_t *s, int64_t tenant_id, int64_t user_id,
                              lc_permset_t *perms, lc_active_t *status) {
    ENTER(s);
    fuser_t *u = user_of(s, tenant_id, user_id);
    if (!u)
        LEAVE(s, LC_ENOTFOUND);
    *perms = perms_of(s, u);
    *status = u->status;
    LEAVE(s, LC_OK);
}

int lc_store_user_create(lc_store_t *s, const lc_actor_t *actor, const lc_user_new_t *n,
                         int64_t *id) {
    ENTER(s);
    for (int i = 0; i < s->nu; i++)
        if (s->u[i].tenant == actor->tenant_id && strcasecmp(s->u[i].email, n->email) == 0)
            LEAVE(s, LC_EEXIST);
    for (uint32_t i = 0; i < n->nroles; i++)
        if (!role_of(s, actor->tenant_id, n->role_ids[i]))
            LEAVE(s, LC_ENOTFOUND);
    fuser_t *u = &s->u[s->nu++];
    memset(u, 0, sizeof *u);
    u->id = s->next_id++;
    u->tenant = actor->tenant_id;
    snprintf(u->email, sizeof u->email, "%s", n->email);
    if (n->password_hash) {
        snprintf(u->hash, sizeof u->hash, "%s", n->password_hash);
        u->has_hash = true;
    }
    for (uint32_t i = 0; i < n->nroles && i < MAXUR; i++)
        u->roles[u->nroles++] = n->role_ids[i];
    bump(s);
    *id = u->id;
    LEAVE(s, LC_OK);
}

int lc_store_user_set_status(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                             lc_active_t status) {
    ENTER(s);
    fuser_t *u = user_of(s, actor->tenant_id, id);
    if (!u)
        LEAVE(s, LC_ENOTFOUND);
    u->status = status;
    if (status != LC_ACTIVE)
        end_sessions(s, u->tenant, u->id);
    bump(s);
    LEAVE(s, LC_OK);
}

int lc_store_role_create(lc_store_t *s, const lc_actor_t *actor, const char *name,
                         const char *description, lc_permset_t permissions, int64_t *id) {
    (void)name;
    (void)description;
    ENTER(s);
    frole_t *r = &s->r[s->nr++];
    *r = (frole_t){s->next_id++, actor->tenant_id, LC_ROLE_CUSTOM, permissions};
    bump(s);
    *id = r->id;
    LEAVE(s, LC_OK);
}

int lc_store_role_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                         const char *description, bool set_permissions, lc_permset_t permissions) {
    (void)name;
    (void)description;
    ENTER(s);
    frole_t *r = role_of(s, actor->tenant_id, id);
    if (!r)
        LEAVE(s, LC_ENOTFOUND);
    if (r->builtin != LC_ROLE_CUSTOM)
        LEAVE(s, LC_EDENIED);
    if (set_permissions)
        r->perms = permissions;
    bump(s);
    LEAVE(s, LC_OK);
}

int lc_store_role_assign(lc_store_t *s, const lc_actor_t *actor, int64_t user_id, int64_t role_id) {
    ENTER(s);
    fuser_t *u = user_of(s, actor->tenant_id, user_id);
    if (!u || !role_of(s, actor->tenant_id, role_id))
        LEAVE(s, LC_ENOTFOUND);
    for (int i = 0; i < u->nroles; i++)
        if (u->roles[i] == role_id)
            LEAVE(s, LC_OK);
    if (u->nroles == MAXUR)
        LEAVE(s, LC_ELIMIT);
    u->roles[u->nroles++] = role_id;
    bump(s);
    LEAVE(s, LC_OK);
}

int lc_store_role_unassign(lc_store_t *s, const lc_actor_t *actor, int64_t user_id,
                           int64_t role_id) {
    ENTER(s);
    fuser_t *u = user_of(s, actor->tenant_id, user_id);
    if (!u)
        LEAVE(s, LC_ENOTFOUND);
    for (int i = 0; i < u->nroles; i++) {
        if (u->roles[i] == role_id) {
            u->roles[i] = u->roles[--u->nroles];
            bump(s);
            LEAVE(s, LC_OK);
        }
    }
    LEAVE(s, LC_ENOTFOUND);
}

static ftoken_t *token_of(lc_store_t *s, int64_t tenant, int64_t id) {
    for (int i = 0; i < s->nk; i++)
        if (s->k[i].id == id && s->k[i].tenant == tenant)
            return &s->k[i];
    return NULL;
}

static void token_out(const ftoken_t *k, lc_devtoken_t *out) {
    *out = (lc_devtoken_t){
        .id = k->id,
        .tenant_id = k->tenant,
        .creator_id = k->creator,
        .name = "token",
        .hint = "lct_\xE2\x80\xA6xxxx",
        .status = k->status,
        .has_subset = k->has_subset,
        .subset = k->subset,
        .expires_at = k->expires_at,
        .last_used_at = k->last_used_at,
        .last_used_ip = k->last_ip[0] ? k->last_ip : NULL,
        .created_at = k->created_at,
        .updated_at = k->created_at,
    };
}

int lc_store_token_create(lc_store_t *s, const lc_actor_t *actor, const lc_token_new_t *t,
                          int64_t *id) {
    ENTER(s);
    if (!user_of(s, actor->tenant_id, t->creator_id))
        LEAVE(s, LC_ENOTFOUND);
    if (s->nk == MAXK)
        LEAVE(s, LC_ELIMIT);
    ftoken_t *k = &s->k[s->nk++];
    memset(k, 0, sizeof *k);
    k->id = s->next_id++;
    k->tenant = actor->tenant_id;
    k->creator = t->creator_id;
    memcpy(k->hash, t->hash, 32);
    k->has_subset = t->has_subset;
    k->subset = t->subset;
    k->expires_at = t->expires_at;
    k->created_at = (int64_t)time(NULL);
    bump(s);
    *id = k->id;
    LEAVE(s, LC_OK);
}

int lc_store_token_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                       lc_devtoken_t *out) {
    (void)arena;
    ENTER(s);
    ftoken_t *k = token_of(s, tenant_id, id);
    if (!k)
        LEAVE(s, LC_ENOTFOUND);
    token_out(k, out);
    LEAVE(s, LC_OK);
}

int lc_store_token_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                          int status) {
    (void)name;
    ENTER(s);
    ftoken_t *k = token_of(s, actor->tenant_id, id);
    if (!k)
        LEAVE(s, LC_ENOTFOUND);
    if (status >= 0)
        k->status = (lc_active_t)status;
    bump(s);
    LEAVE(s, LC_OK);
}

int lc_store_token_auth(lc_store_t *s, lc_arena_t *arena, const uint8_t hash[32],
                        lc_token_auth_t *out) {
    ENTER(s);
    /* Like the real store, the result's strings live in the arena. */
    if (!lc_arena_alloc(arena, 64))
        LEAVE(s, LC_ENOMEM);
    if (fake_store_fail_next) {
        int rc = fake_store_fail_next;
        fake_store_fail_next = 0;
        LEAVE(s, rc);
    }
    for (int i = 0; i < s->nk; i++) {
        ftoken_t *k = &s->k[i];
        if (memcmp(k->hash, hash, 32) != 0)
            continue;
        fuser_t *u = user_of(s, k->tenant, k->creator);
        const ftenant_t *t = NULL;
        for (int j = 0; j < s->nt; j++)
            if (s->t[j].id == k->tenant)
                t = &s->t[j];
        token_out(k, &out->token);
        out->creator_status = u->status;
        out->creator_permissions = perms_of(s, u);
        out->tenant_rate_limit = t->rate_limit;
        out->tenant_rate_window_s = t->rate_window;
        LEAVE(s, LC_OK);
    }
    LEAVE(s, LC_ENOTFOUND);
}

int lc_store_token_touch(lc_store_t *s, int64_t token_id, int64_t now, const char *ip) {
    ENTER(s);
    for (int i = 0; i < s->nk; i++) {
        if (s->k[i].id == token_id) {
            s->k[i].last_used_at = now;
            snprintf(s->k[i].last_ip, sizeof s->k[i].last_ip, "%s", ip ? ip : "");
            LEAVE(s, LC_OK);
        }
    }
    LEAVE(s, LC_ENOTFOUND);
}

int lc_store_login_lookup(lc_store_t *s, lc_arena_t *arena, const char *tenant_slug,
                          const char *email, lc_tenant_t *tenant, lc_user_login_t *out) {
    ENTER(s);
    for (int i = 0; i < s->nt; i++) {
        if (strcmp(s->t[i].slug, tenant_slug) != 0)
            continue;
        for (int j = 0; j < s->nu; j++) {
            fuser_t *u = &s->u[j];
            if (u->tenant != s->t[i].id || strcasecmp(u->email, email) != 0)
                continue;
            *tenant = (lc_tenant_t){s->t[i].id, s->t[i].slug, "Tenant", s->t[i].rate_limit,
                                    s->t[i].rate_window};
            memset(out, 0, sizeof *out);
            out->user.id = u->id;
            out->user.tenant_id = u->tenant;
            out->user.email = lc_arena_strdup(arena, u->email);
            out->user.status = u->status;
            out->user.has_password = u->has_hash;
            out->password_hash = u->has_hash ? lc_arena_strdup(arena, u->hash) : NULL;
            out->failed_logins = u->failed;
            out->locked_until = u->locked_until;
            LEAVE(s, LC_OK);
        }
    }
    LEAVE(s, LC_ENOTFOUND);
}

int lc_store_login_failed(lc_store_t *s, int64_t tenant_id, int64_t user_id, int64_t now,
                          int64_t max_attempts, int64_t lock_s, const char *ip,
                          int64_t *locked_until) {
    (void)ip;
    ENTER(s);
    fuser_t *u = user_of(s, tenant_id, user_id);
    if (!u)
        LEAVE(s, LC_ENOTFOUND);
    int64_t lock = 0;
    if (++u->failed >= max_attempts) {
        u->failed = 0;
        u->locked_until = lock = now + lock_s;
    }
    if (locked_until)
        *locked_until = lock;
    LEAVE(s, LC_OK);
}

int lc_store_login_succeeded(lc_store_t *s, int64_t tenant_id, int64_t user_id, int64_t now,
                             const char *ip) {
    (void)ip;
    ENTER(s);
    fuser_t *u = user_of(s, tenant_id, user_id);
    if (!u)
        LEAVE(s, LC_ENOTFOUND);
    u->failed = 0;
    u->locked_until = 0;
    u->last_login = now;
    LEAVE(s, LC_OK);
}

int lc_store_session_create(lc_store_t *s, int64_t tenant_id, int64_t user_id,
                            const uint8_t session_hash[32], const uint8_t csrf_hash[32],
                            int64_t now, int64_t expires_at, const char *ip,
                            const char *user_agent) {
    (void)ip;
    ENTER(s);
    if (user_agent && strlen(user_agent) > 512)
        LEAVE(s, LC_EINVAL);
    if (s->ns == MAXS || expires_at <= now || !user_of(s, tenant_id, user_id))
        LEAVE(s, LC_EINVAL);
    fsession_t *x = &s->s[s->ns++];
    *x = (fsession_t){.id = s->next_id++,
                      .tenant = tenant_id,
                      .user = user_id,
                      .created = now,
                      .last_seen = now,
                      .expires = expires_at,
                      .live = true};
    memcpy(x->sh, session_hash, 32);
    memcpy(x->ch, csrf_hash, 32);
    LEAVE(s, LC_OK);
}

static fsession_t *session_of(lc_store_t *s, const uint8_t h[32]) {
    for (int i = 0; i < s->ns; i++)
        if (s->s[i].live && memcmp(s->s[i].sh, h, 32) == 0)
            return &s->s[i];
    return NULL;
}

int lc_store_session_get(lc_store_t *s, const uint8_t session_hash[32], lc_session_t *out) {
    ENTER(s);
    fsession_t *x = session_of(s, session_hash);
    if (!x)
        LEAVE(s, LC_ENOTFOUND);
    *out = (lc_session_t){.id = x->id,
                          .tenant_id = x->tenant,
                          .user_id = x->user,
                          .created_at = x->created,
                          .last_seen_at = x->last_seen,
                          .expires_at = x->expires};
    memcpy(out->csrf_hash, x->ch, 32);
    LEAVE(s, LC_OK);
}

int lc_store_session_touch(lc_store_t *s, int64_t session_id, int64_t now) {
    ENTER(s);
    for (int i = 0; i < s->ns; i++) {
        if (s->s[i].live && s->s[i].id == session_id) {
            s->s[i].last_seen = now;
            LEAVE(s, LC_OK);
        }
    }
    LEAVE(s, LC_ENOTFOUND);
}

int lc_store_session_delete(lc_store_t *s, const uint8_t session_hash[32]) {
    ENTER(s);
    fsession_t *x = session_of(s, session_hash);
    if (!x)
        LEAVE(s, LC_ENOTFOUND);
    x->live = false;
    LEAVE(s, LC_OK);
}
