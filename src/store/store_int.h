/* SPDX-License-Identifier: MIT */
/* Inside the store: the vtable every backend implements (SQLite now, PostgreSQL later) and the
 * backend-neutral helpers they share. store.c parses the URL, validates arguments and
 * dispatches here; migrate.c runs the migration loop over ops->migration_apply. Nothing in this
 * file names a backend's types. */
#ifndef LECTERN_STORE_INT_H
#define LECTERN_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/embed.h"
#include "lectern/store.h"

/* One migration file, parsed from its embedded name "NNNN_what.sql". Static storage. */
typedef struct lc__migration {
    int version;      /* the number prefix, > 0 */
    const char *name; /* the file name */
    const char *sql;  /* NUL-terminated script, without BEGIN/COMMIT */
} lc__migration_t;

typedef struct lc__store_ops {
    const char *name; /* "sqlite": lc_store_backend() */
    /* The backend's migrations (lc_embed output: sorted by name, ended by a NULL name);
     * versions must increase. */
    const lc_embed_file_t *migrations;

    /* target: the URL without "scheme:" (url is the whole URL, for backends that want it).
     * Same contract as lc_store_open; *out->ops is set by the backend. */
    int (*open)(const char *url, const char *target, bool create, lc_store_t **out);
    void (*close)(lc_store_t *s);
    /* Highest version recorded in schema_migrations; 0 for a database never migrated. */
    int (*schema_version)(lc_store_t *s, int *current);
    /* In one transaction: re-reads the version under the write lock; if it is already
     * >= m->version does nothing (*ran = false: another process got there first); else runs
     * m->sql and records (version, name, now), *ran = true. Nothing is changed on failure. */
    int (*migration_apply)(lc_store_t *s, const lc__migration_t *m, bool *ran);
    /* Arguments are validated by store.c. */
    int (*bootstrap_tenant)(lc_store_t *s, const lc_store_bootstrap_t *b, int64_t *tenant_id,
                            int64_t *admin_user_id);
    int (*tenant_count)(lc_store_t *s, int64_t *n);
    /* Connections currently open (for metrics and tests). */
    size_t (*connections)(lc_store_t *s);
} lc__store_ops_t;

/* Every backend's store struct starts with this. */
struct lc_store {
    const lc__store_ops_t *ops;
};

/* Number of migrations of ops. */
size_t lc__migration_count(const lc__store_ops_t *ops);
/* The i-th migration of ops (i < lc__migration_count). LC_ESTORE (logged) for a malformed file
 * name, which is a build error. */
int lc__migration_get(const lc__store_ops_t *ops, size_t i, lc__migration_t *out) LC_MUST_CHECK;
/* Newest version ops knows (0 when it has none). LC_ESTORE (logged) when names are malformed
 * or versions do not strictly increase. */
int lc__migration_latest(const lc__store_ops_t *ops, int *latest) LC_MUST_CHECK;

/* Built-in roles created in every tenant (the permissions of Console Admin come from the
 * catalog in code, not from rows). */
#define LC__ROLE_ADMIN_NAME "Console Admin"
#define LC__ROLE_ADMIN_DESC                                                                        \
    "Every permission, including those added by later versions. Built in: cannot be edited or "    \
    "deleted."
#define LC__ROLE_LEARNER_NAME "Learner"
#define LC__ROLE_LEARNER_DESC "No administrative permission. Built in: cannot be edited or deleted."
/* Audit action written by the bootstrap of a tenant. */
#define LC__AUDIT_TENANT_BOOTSTRAP "tenant.bootstrap"

/* Backends. */
extern const lc__store_ops_t lc__store_sqlite_ops;

/* Test hook: number of open connections of s (each thread that used s holds one). */
size_t lc__store_connections(lc_store_t *s);

#endif
