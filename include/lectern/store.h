/* SPDX-License-Identifier: MIT */
/* The storage interface: backend-neutral. SQLite (embedded default) implements it today and
 * PostgreSQL will implement the same functions, so nothing here names a backend's types.
 *
 * Threads: a store is shared by every worker thread; each thread gets its own connection on
 * first use (with its own cache of prepared statements), closed when the thread exits or by
 * lc_store_close. Functions are thread-safe (lc_store_open/close excepted, see there).
 * Errors: LC_ESTORE for a backend failure (the reason is logged, never with bound values),
 * LC_ENOTFOUND, LC_EEXIST for a uniqueness conflict, LC_EVERSION for a database newer than the
 * binary, LC_EBUSY when the database stayed locked past the busy timeout
 * (LC_LIMIT_STORE_BUSY_TIMEOUT_MS), LC_ENOMEM. When a write breaks a rule of the schema the
 * caller should have checked: LC_EINVAL for a value out of its domain (CHECK, NOT NULL,
 * immutability triggers), LC_ENOTFOUND for a reference to a row that does not exist or belongs
 * to another tenant (foreign keys). A failed write changes nothing (one transaction each). */
#ifndef LECTERN_STORE_H
#define LECTERN_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/arena.h"
#include "lectern/model.h"
#include "lectern/status.h"

typedef struct lc_store lc_store_t;

/* Opens the store named by `url` (borrowed): "sqlite:PATH" (scheme case-insensitive) or a plain
 * PATH to a SQLite file (write "./a:b.db" for a file whose name looks like a scheme). A missing
 * file is created, mode 0600, when `create` is true, else LC_ENOTFOUND (also for a missing
 * directory); LC_EIO when it cannot be created. The database is put in WAL mode; a file that is
 * not a SQLite database gives LC_ESTORE. LC_EINVAL for an unknown scheme (logged with the
 * supported ones; the rest of the URL is never logged, it may hold a password), an empty path,
 * or ":memory:" (every thread would see a different database). Does not migrate. Opens the
 * calling thread's connection. *out is owned, written only on success: close with
 * lc_store_close. postgres:// and postgresql:// URLs: see src/store/postgres.c. */
int lc_store_open(const char *url, bool create, lc_store_t **out) LC_MUST_CHECK;
/* Closes every thread's connection and frees s. NULL is a no-op. Call when no other thread
 * uses s any more (threads may still be alive; their exit then does not touch s). */
void lc_store_close(lc_store_t *s);
/* "sqlite" (static). */
const char *lc_store_backend(const lc_store_t *s);

/* Schema version of the database (0 if never migrated) and the newest this binary knows.
 * Either pointer may be NULL. */
int lc_store_schema_version(lc_store_t *s, int *current, int *latest) LC_MUST_CHECK;
/* Applies pending migrations in order, each in its own transaction together with its row in
 * schema_migrations, logging each ("store.migrate"). Safe against another process migrating at
 * the same time. *applied = how many ran (may be NULL; written only on success). LC_EVERSION
 * when the database is newer than the binary (nothing is changed). On any failure the
 * migration that failed left nothing behind; earlier ones stay applied. */
int lc_store_migrate(lc_store_t *s, int *applied) LC_MUST_CHECK;
/* Readiness (/readyz): the store answers and its schema is exactly the binary's. LC_OK;
 * LC_EVERSION for an older (not migrated) or newer database; LC_ESTORE, LC_EBUSY, LC_ENOMEM.
 * Does not log LC_EVERSION. */
int lc_store_ping(lc_store_t *s) LC_MUST_CHECK;

/* Bootstrap of a tenant (lectern init): in one transaction, the tenant, its built-in roles
 * (Console Admin, Learner: their permissions come from the catalog in code), its first user
 * holding Console Admin, and an audit event "tenant.bootstrap" with the system as actor.
 * Strings are borrowed, NUL-terminated, valid UTF-8 without control characters:
 *   tenant_slug  1..LC_LIMIT_TENANT_SLUG_MAX bytes of [a-z0-9-], not starting or ending in '-';
 *   tenant_name, admin_name  1..LC_LIMIT_NAME_MAX bytes;
 *   admin_email  3..LC_LIMIT_EMAIL_MAX bytes, one '@' with text on both sides, no space
 *                (stored as given; unique per tenant ignoring ASCII case);
 *   admin_password_hash  an argon2id string from lc_password_hash.
 * LC_EINVAL when one of them breaks these rules (nothing is written), LC_EEXIST if the slug is
 * taken. *tenant_id and *admin_user_id (each may be NULL) are written only on success. */
typedef struct lc_store_bootstrap {
    const char *tenant_slug;
    const char *tenant_name;
    const char *admin_email;
    const char *admin_name;
    const char *admin_password_hash;
} lc_store_bootstrap_t;
int lc_store_bootstrap_tenant(lc_store_t *s, const lc_store_bootstrap_t *b, int64_t *tenant_id,
                              int64_t *admin_user_id) LC_MUST_CHECK;
/* Number of tenants (init refuses to run twice on a database that has one). LC_EINVAL for
 * n NULL. */
int lc_store_tenant_count(lc_store_t *s, int64_t *n) LC_MUST_CHECK;

/* ==== Copies of a store (lectern backup, lectern migrate --from/--to) ====================== */

/* A consistent copy of the whole database into a new file at `path` (borrowed), taken while
 * other threads and processes keep reading and writing it. SQLite: the online backup API, from
 * one read snapshot (writers are never blocked by it), in steps of a bounded number of pages
 * with a short pause between them; the copy goes to a temporary file "PATH.tmp-XXXXXX" beside
 * path, is checked (PRAGMA quick_check) and flushed to disk, and only then gets its name, so
 * path never holds a partial file. The result is a SQLite database of mode 0600 that lectern
 * opens as it is (--store sqlite:PATH). Blocks until done; thread-safe.
 * Returns LC_OK; LC_EINVAL for s or path NULL or path empty; LC_EEXIST when path exists (it is
 * never replaced); LC_ENOTFOUND when its directory does not exist; LC_EIO when the file cannot
 * be written (permissions, disk full; logged); LC_EUNAVAILABLE when the backend has no online
 * backup (PostgreSQL: use pg_dump); LC_ESTORE, LC_EBUSY, LC_ENOMEM. On failure nothing is left
 * at path or beside it (only a crash can leave a temporary file behind). */
int lc_store_backup(lc_store_t *s, const char *path) LC_MUST_CHECK;

/* What lc_store_copy did to one table. */
typedef struct lc_store_copy_table {
    const char *name;    /* the table (static) */
    bool copied;         /* false: deliberately not copied (see lc_store_copy) */
    int64_t source_rows; /* rows in the source's snapshot */
    int64_t dest_rows;   /* rows in the destination, counted after the commit (0 if not copied,
                            -1 when it could not be counted) */
} lc_store_copy_table_t;
/* Called once per table in copy order, then for the tables not copied; t is borrowed for the
 * call. */
typedef void (*lc_store_copy_fn)(void *ctx, const lc_store_copy_table_t *t);

/* Copies a whole tenant base from src to dst (both borrowed and open; the backends may differ):
 * every tenant with all it owns, table by table in foreign-key order, with ids preserved and
 * values exactly as stored (text, integers, blobs, NULLs). src is read in one consistent
 * snapshot: a write transaction of src's, which the copy never writes to and rolls back at the
 * end (a process still writing to src waits for the copy, up to its busy timeout). dst is
 * written in one transaction: all or nothing. Before the commit, the rows written are checked
 * against the source's counts, and the destination's id generators are moved past the copied
 * ids (PostgreSQL: its sequences), so that new rows get new ids; after the commit, the rows of
 * every table are counted again on both sides and reported to on_table (may be NULL) with ctx.
 * Not copied: Console sessions (their users sign in again), schema_migrations (dst has its
 * own) and rate-limit counters (they start again). Both stores must be at this binary's schema
 * version: migrate dst first (and src, if it is older).
 * Returns LC_OK; LC_EINVAL for src or dst NULL or the same store; LC_EVERSION when either is
 * not at this binary's schema version; LC_ECONFLICT when dst already holds rows; for those
 * three nothing is read or written. A value dst refuses (LC_EINVAL, LC_EEXIST, LC_ENOTFOUND
 * from its constraints), LC_ESTORE, LC_EBUSY, LC_ENOMEM: dst is left as it was, and on_table is
 * not called. LC_ESTORE (logged) also when the counts after the commit differ or cannot be
 * read, which only another process using dst at the same time can cause: the copy is committed
 * and on_table has been called for every table (it is called only once the copy committed). */
int lc_store_copy(lc_store_t *src, lc_store_t *dst, lc_store_copy_fn on_table,
                  void *ctx) LC_MUST_CHECK;

/* ==== Domain (PRODUCT.md) ==================================================================
 *
 * Conventions for everything below:
 * - Every function is scoped to one tenant: a row of another tenant behaves exactly like a
 *   missing one (LC_ENOTFOUND), never like a forbidden one.
 * - Results are *arena* (the `arena` argument); strings are NUL-terminated UTF-8.
 * - Every write takes an lc_actor_t and writes its audit event (action, target, ip, detail) in
 *   the same transaction as the change: there is no change without its audit row.
 * - Writes that can change what a token or session may do (users' status, roles, role
 *   permissions, role assignments, tokens) advance lc_store_generation() after they commit, so
 *   authentication caches can notice on the very next request.
 * - Validation of lengths and formats is the caller's (the API's BAD_USER_INPUT); the schema's
 *   CHECK constraints are the last line and give LC_EINVAL.
 * - Lists are keyset-paginated by id ascending: `after` is the last id seen (0 = from the
 *   start), `first` the page size (the caller bounds it); *total counts all matches. */

typedef struct lc_page {
    int64_t after; /* 0 = from the start */
    uint32_t first;
} lc_page_t;

typedef struct lc_page_info {
    bool has_next;
    int64_t total;
} lc_page_info_t;

/* Advances after every committed write that may change authentication or authorization. */
uint64_t lc_store_generation(const lc_store_t *s);

/* ---- Tenants ---- */
int lc_store_tenant_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                        lc_tenant_t *out) LC_MUST_CHECK;
int lc_store_tenant_by_slug(lc_store_t *s, lc_arena_t *arena, const char *slug,
                            lc_tenant_t *out) LC_MUST_CHECK;
/* Per-tenant rate limit (limit -1 / window -1 = server default; limit 0 = unlimited). */
int lc_store_tenant_set_rate(lc_store_t *s, const lc_actor_t *actor, int64_t limit,
                             int64_t window_s) LC_MUST_CHECK;

/* ---- Users ---- */
typedef struct lc_user_filter {
    const char *query;          /* name or email contains (case-insensitive), or the exact id
                                   when it is a decimal number; NULL = any */
    const char *name_contains;  /* NULL = any */
    const char *email_contains; /* NULL = any */
    int64_t id;                 /* 0 = any */
    int64_t role_id;            /* 0 = any */
    int status;                 /* -1 = any, else lc_active_t */
} lc_user_filter_t;

int lc_store_user_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                      lc_user_t *out) LC_MUST_CHECK;
int lc_store_users_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                        const lc_user_filter_t *f, const lc_page_t *page, lc_user_t **out,
                        uint32_t *n, lc_page_info_t *info) LC_MUST_CHECK;
/* The user's roles, by name. */
int lc_store_user_roles(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t user_id,
                        lc_role_t **out, uint32_t *n) LC_MUST_CHECK;
/* The roles of each of n users, read together (for a page of users: no query per user).
 * out[i] (arena, n entries; *out is non-NULL also for n = 0) holds the roles of user_ids[i] by
 * name, each as lc_store_user_roles gives it (built-in roles' permissions from the catalog,
 * custom roles' from their rows). A user that is unknown or of another tenant gets no roles
 * (no LC_ENOTFOUND: the caller knows its users exist). Ids may repeat. Costs one query per
 * LC__USERS_ROLES_IDS (20) ids plus one for custom roles' permissions; none for n = 0.
 * user_ids borrowed; LC_EINVAL for a NULL argument (user_ids may be NULL when n = 0). */
typedef struct lc_user_roles {
    const lc_role_t *roles; /* arena; NULL when n = 0 */
    uint32_t n;
} lc_user_roles_t;
int lc_store_users_roles(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                         const int64_t *user_ids, uint32_t n, lc_user_roles_t **out) LC_MUST_CHECK;
/* The user's live permissions (union of their roles) and status. */
int lc_store_user_permissions(lc_store_t *s, int64_t tenant_id, int64_t user_id,
                              lc_permset_t *perms, lc_active_t *status) LC_MUST_CHECK;

typedef struct lc_user_new {
    const char *email;
    const char *name;
    const char *password_hash; /* NULL = no Console login */
    const int64_t *role_ids;   /* assigned in the same transaction */
    uint32_t nroles;
} lc_user_new_t;
/* LC_EEXIST when the email is taken in the tenant; LC_ENOTFOUND for an unknown role. */
int lc_store_user_create(lc_store_t *s, const lc_actor_t *actor, const lc_user_new_t *u,
                         int64_t *id) LC_MUST_CHECK;
/* NULL leaves a field as it is; a password_hash sets the password as lc_store_user_set_password
 * does (ending the user's sessions). One transaction: on any error nothing has changed.
 * LC_EEXIST for a taken email, LC_ENOTFOUND for an unknown user. */
int lc_store_user_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                         const char *email, const char *password_hash) LC_MUST_CHECK;
/* Sets the password hash (NULL removes Console login) and ends the user's sessions. */
int lc_store_user_set_password(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                               const char *password_hash) LC_MUST_CHECK;
/* Deactivating ends the user's sessions. LC_ECONFLICT when it would leave the tenant without an
 * active Console Admin. Setting the current status is a no-op (LC_OK, no audit row). */
int lc_store_user_set_status(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                             lc_active_t status) LC_MUST_CHECK;
/* LC_OK also when already assigned (no audit row then). */
int lc_store_role_assign(lc_store_t *s, const lc_actor_t *actor, int64_t user_id,
                         int64_t role_id) LC_MUST_CHECK;
/* LC_ECONFLICT when it would leave the tenant without an active Console Admin; LC_ENOTFOUND
 * when the user does not hold the role. */
int lc_store_role_unassign(lc_store_t *s, const lc_actor_t *actor, int64_t user_id,
                           int64_t role_id) LC_MUST_CHECK;

/* ---- Console login ---- */
/* The user with this email in the tenant with this slug. LC_ENOTFOUND for either. */
int lc_store_login_lookup(lc_store_t *s, lc_arena_t *arena, const char *tenant_slug,
                          const char *email, lc_tenant_t *tenant,
                          lc_user_login_t *out) LC_MUST_CHECK;
/* A failed attempt: increments failed_logins; when it reaches max_attempts, sets locked_until =
 * now + lock_s and resets the count. *locked_until (may be NULL) gets the lock, 0 if none.
 * Writes audit "login.failure" (and "login.locked"). */
int lc_store_login_failed(lc_store_t *s, int64_t tenant_id, int64_t user_id, int64_t now,
                          int64_t max_attempts, int64_t lock_s, const char *ip,
                          int64_t *locked_until) LC_MUST_CHECK;
/* A successful login: failed_logins = 0, locked_until cleared, last_login_at = now. Audit
 * "login.success". */
int lc_store_login_succeeded(lc_store_t *s, int64_t tenant_id, int64_t user_id, int64_t now,
                             const char *ip) LC_MUST_CHECK;

/* ---- Console sessions (hashes only; the cookie value never reaches the store) ---- */
int lc_store_session_create(lc_store_t *s, int64_t tenant_id, int64_t user_id,
                            const uint8_t session_hash[32], const uint8_t csrf_hash[32],
                            int64_t now, int64_t expires_at, const char *ip,
                            const char *user_agent) LC_MUST_CHECK;
/* LC_ENOTFOUND when there is no such session (expiry is the caller's to check). */
int lc_store_session_get(lc_store_t *s, const uint8_t session_hash[32],
                         lc_session_t *out) LC_MUST_CHECK;
int lc_store_session_touch(lc_store_t *s, int64_t session_id, int64_t now) LC_MUST_CHECK;
int lc_store_session_delete(lc_store_t *s, const uint8_t session_hash[32]) LC_MUST_CHECK;
/* Removes expired sessions (housekeeping). */
int lc_store_sessions_expire(lc_store_t *s, int64_t now, int64_t *removed) LC_MUST_CHECK;

/* ---- Roles ---- */
int lc_store_role_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                      lc_role_t *out) LC_MUST_CHECK;
int lc_store_roles_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, const lc_page_t *page,
                        lc_role_t **out, uint32_t *n, lc_page_info_t *info) LC_MUST_CHECK;
/* LC_EEXIST for a taken name. */
int lc_store_role_create(lc_store_t *s, const lc_actor_t *actor, const char *name,
                         const char *description, lc_permset_t permissions,
                         int64_t *id) LC_MUST_CHECK;
/* NULL leaves name/description; set_permissions false leaves them. LC_EDENIED for a built-in
 * role; LC_EEXIST for a taken name. */
int lc_store_role_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                         const char *description, bool set_permissions,
                         lc_permset_t permissions) LC_MUST_CHECK;
/* Removes the role from its users too. LC_EDENIED for a built-in role. */
int lc_store_role_delete(lc_store_t *s, const lc_actor_t *actor, int64_t id) LC_MUST_CHECK;

/* ---- Developer tokens ---- */
typedef struct lc_token_new {
    int64_t creator_id;
    const char *name;
    const uint8_t *hash; /* LC_TOKEN_HASH_LEN bytes */
    const char *hint;
    bool has_subset;
    lc_permset_t subset;
    int64_t expires_at; /* 0 = never */
} lc_token_new_t;
int lc_store_token_create(lc_store_t *s, const lc_actor_t *actor, const lc_token_new_t *t,
                          int64_t *id) LC_MUST_CHECK;
int lc_store_token_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                       lc_devtoken_t *out) LC_MUST_CHECK;
typedef struct lc_token_filter {
    int64_t creator_id; /* 0 = any */
    int status;         /* -1 = any */
    bool newest_first;  /* false: oldest first; page->after is then a lower, else an upper bound */
} lc_token_filter_t;
int lc_store_tokens_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                         const lc_token_filter_t *f, const lc_page_t *page, lc_devtoken_t **out,
                         uint32_t *n, lc_page_info_t *info) LC_MUST_CHECK;
/* NULL name leaves it; status -1 leaves it. */
int lc_store_token_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *name,
                          int status) LC_MUST_CHECK;
/* Authentication read: the token with this hash (any tenant), its creator's status and live
 * permissions, and the tenant's rate settings, in one round trip. LC_ENOTFOUND. */
int lc_store_token_auth(lc_store_t *s, lc_arena_t *arena, const uint8_t hash[32],
                        lc_token_auth_t *out) LC_MUST_CHECK;
/* Records use (no audit row; the caller coalesces to at most one write a minute a token). */
int lc_store_token_touch(lc_store_t *s, int64_t token_id, int64_t now,
                         const char *ip) LC_MUST_CHECK;

/* ---- Courses and enrollments ---- */
int lc_store_course_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                        lc_course_t *out) LC_MUST_CHECK;
int lc_store_courses_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                          const char *status /* NULL = any */, const lc_page_t *page,
                          lc_course_t **out, uint32_t *n, lc_page_info_t *info) LC_MUST_CHECK;
/* LC_EEXIST for a taken code. */
int lc_store_course_create(lc_store_t *s, const lc_actor_t *actor, const char *title,
                           const char *code, const char *status, int64_t *id) LC_MUST_CHECK;
/* NULL leaves a field. */
int lc_store_course_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *title,
                           const char *code, const char *status) LC_MUST_CHECK;

typedef struct lc_enrollment_filter {
    int64_t user_id;    /* 0 = any */
    int64_t course_id;  /* 0 = any */
    const char *status; /* NULL = any */
} lc_enrollment_filter_t;
int lc_store_enrollment_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                            lc_enrollment_t *out) LC_MUST_CHECK;
int lc_store_enrollments_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                              const lc_enrollment_filter_t *f, const lc_page_t *page,
                              lc_enrollment_t **out, uint32_t *n,
                              lc_page_info_t *info) LC_MUST_CHECK;
/* LC_ENOTFOUND for an unknown user or course; LC_EEXIST when already enrolled. */
int lc_store_enrollment_create(lc_store_t *s, const lc_actor_t *actor, const lc_enrollment_t *e,
                               int64_t *id) LC_MUST_CHECK;
/* Writes status, progress, started_at, ended_at from e (e->status NULL and progress < 0 leave
 * them; started/ended < 0 leave them, 0 clears). */
int lc_store_enrollment_update(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                               const lc_enrollment_t *e) LC_MUST_CHECK;

/* ---- Audit ---- */
typedef struct lc_audit_filter {
    int64_t actor_user_id; /* 0 = any */
    const char *action;    /* exact, or a prefix ending in '.' ("token."); NULL = any */
    int64_t since, until;  /* created_at in [since, until); 0 = open */
} lc_audit_filter_t;
/* Newest first: `after` is the last id seen, lists ids below it. */
int lc_store_audit_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                        const lc_audit_filter_t *f, const lc_page_t *page, lc_audit_event_t **out,
                        uint32_t *n, lc_page_info_t *info) LC_MUST_CHECK;
/* An event that goes with no other write (e.g. a CLI action, a refused escalation). */
int lc_store_audit(lc_store_t *s, const lc_actor_t *actor, const char *action,
                   const char *target_type, int64_t target_id,
                   const char *detail_json) LC_MUST_CHECK;

/* ---- Rate-limit counters shared by the nodes of a cluster (src/auth/rate_share.c) ---- */
/* Adds delta (>= 0) to the counter of (kind 1 tenant | 2 token, id > 0, window_end), stamps it
 * with at_ms (the caller's clock, unix milliseconds: see lc_store_rate_changed) and writes the
 * counter's new total to *total. One statement, not a transaction: it never waits for the
 * write lock of the domain's transactions. LC_EINVAL for bad arguments. */
int lc_store_rate_add(lc_store_t *s, int kind, int64_t id, int64_t window_end, int64_t delta,
                      int64_t at_ms, int64_t *total) LC_MUST_CHECK;
/* Calls fn(ctx, kind, id, window_end, total) for every counter stamped at or after since_ms
 * whose window ends after now_s: how a node learns, in one query, the totals of every key some
 * node added to since it last looked. fn runs while the query is open and must not call the
 * store. LC_EINVAL for s or fn NULL. */
typedef void (*lc_store_rate_fn)(void *ctx, int kind, int64_t id, int64_t window_end,
                                 int64_t total);
int lc_store_rate_changed(lc_store_t *s, int64_t since_ms, int64_t now_s, lc_store_rate_fn fn,
                          void *ctx) LC_MUST_CHECK;
/* Deletes the counters of windows that ended before `before`. */
int lc_store_rate_purge(lc_store_t *s, int64_t before) LC_MUST_CHECK;

#endif
