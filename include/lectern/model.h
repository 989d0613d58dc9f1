/* SPDX-License-Identifier: MIT */
/* The domain records the store returns and the API serves (PRODUCT.md, Domain). Plain structs:
 * every pointer in one is *arena* (the arena passed to the store call that filled it).
 * Times are unix seconds (UTC); 0 means "never" / "none" where a field is optional. */
#ifndef LECTERN_MODEL_H
#define LECTERN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/permission.h"

typedef enum lc_status_flag {
    LC_ACTIVE = 0,
    LC_DEACTIVATED = 1,
} lc_active_t;

typedef struct lc_tenant {
    int64_t id;
    const char *slug;
    const char *name;
    int64_t rate_limit;    /* requests per rate_window_s; -1 = server default; 0 = unlimited */
    int64_t rate_window_s; /* -1 = server default */
} lc_tenant_t;

typedef struct lc_user {
    int64_t id;
    int64_t tenant_id;
    const char *email;
    const char *name;
    lc_active_t status;
    bool has_password;     /* may log into the Console */
    int64_t last_login_at; /* 0 = never */
    int64_t created_at, updated_at;
} lc_user_t;

/* What login needs besides the user (lc_store_login_lookup). */
typedef struct lc_user_login {
    lc_user_t user;
    const char *password_hash; /* NULL when the user has no password */
    int64_t failed_logins;     /* in a row */
    int64_t locked_until;      /* 0 = not locked */
} lc_user_login_t;

typedef enum lc_role_builtin {
    LC_ROLE_CUSTOM = 0,
    LC_ROLE_CONSOLE_ADMIN = 1, /* every permission of the catalog; immutable */
    LC_ROLE_LEARNER = 2,       /* no administrative permission; immutable */
} lc_role_builtin_t;

typedef struct lc_role {
    int64_t id;
    int64_t tenant_id;
    const char *name;
    const char *description;
    lc_role_builtin_t builtin;
    lc_permset_t permissions; /* for built-ins: from the catalog */
    int64_t user_count;       /* users holding it */
    int64_t created_at, updated_at;
} lc_role_t;

typedef struct lc_devtoken {
    int64_t id;
    int64_t tenant_id;
    int64_t creator_id;
    const char *name;
    const char *hint;
    lc_active_t status;
    bool has_subset;          /* false: all of the creator's live permissions */
    lc_permset_t subset;      /* when has_subset */
    int64_t expires_at;       /* 0 = never */
    int64_t last_used_at;     /* 0 = never */
    const char *last_used_ip; /* NULL = never */
    int64_t created_at, updated_at;
} lc_devtoken_t;

/* Everything authentication needs about a token, in one read (lc_store_token_auth). */
typedef struct lc_token_auth {
    lc_devtoken_t token;
    lc_active_t creator_status;
    lc_permset_t creator_permissions;                /* union of the creator's roles now */
    int64_t tenant_rate_limit, tenant_rate_window_s; /* as lc_tenant_t */
} lc_token_auth_t;

typedef struct lc_course {
    int64_t id;
    int64_t tenant_id;
    const char *title;
    const char *code;
    const char *status; /* "draft", "published", "archived" */
    int64_t created_at, updated_at;
} lc_course_t;

typedef struct lc_enrollment {
    int64_t id;
    int64_t tenant_id;
    int64_t user_id;
    int64_t course_id;
    const char *status;           /* "enrolled", "in_progress", "completed", "withdrawn" */
    int64_t progress;             /* 0..100 */
    int64_t started_at, ended_at; /* 0 = none */
    int64_t created_at, updated_at;
} lc_enrollment_t;

typedef struct lc_audit_event {
    int64_t id;
    int64_t tenant_id;
    int64_t actor_user_id;   /* 0 = the system (CLI, bootstrap) */
    int64_t actor_token_id;  /* 0 = not through a token */
    const char *action;      /* "user.create", "token.deactivate", ... */
    const char *target_type; /* "user", "role", "developer_token", ... or NULL */
    int64_t target_id;       /* 0 = none */
    const char *ip;          /* NULL = none */
    const char *detail;      /* a JSON object (never a secret), or NULL */
    int64_t created_at;
} lc_audit_event_t;

/* Who does a write, recorded as its audit event in the same transaction. */
typedef struct lc_actor {
    int64_t tenant_id;
    int64_t user_id;  /* 0 = the system */
    int64_t token_id; /* 0 = not through a token */
    const char *ip;   /* borrowed; NULL = none */
} lc_actor_t;

typedef struct lc_session {
    int64_t id;
    int64_t tenant_id;
    int64_t user_id;
    uint8_t csrf_hash[32];
    int64_t created_at, last_seen_at, expires_at;
} lc_session_t;

#endif
