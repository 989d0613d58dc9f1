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
 * lc_store_close. */
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

#endif
