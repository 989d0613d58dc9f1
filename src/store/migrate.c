/* SPDX-License-Identifier: MIT */
/* Versioned schema migrations, backend-neutral: numbered SQL files embedded in the binary
 * ("0001_init.sql" is version 1) are applied in order, each in its own transaction by the
 * backend's migration_apply, and recorded in schema_migrations. Runs at start-up (`lectern
 * serve`, `lectern migrate`); lc_store_ping backs /readyz. */
#include "store_int.h"

#include <limits.h>

#include "lectern/log.h"

static int bad_name(const char *name) {
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.migrate");
    lc_log_cstr(&r, "file", name);
    lc_log_cstr(&r, "msg", "migration file names must be NNNN_name.sql with increasing numbers");
    lc_log_end(&r);
    return LC_ESTORE;
}

size_t lc__migration_count(const lc__store_ops_t *ops) {
    size_t n = 0;
    while (ops->migrations[n].name != NULL)
        n++;
    return n;
}

/* name = 1*DIGIT "_" 1*CHAR ".sql" */
int lc__migration_get(const lc__store_ops_t *ops, size_t i, lc__migration_t *out) {
    const lc_embed_file_t *f = &ops->migrations[i];
    const char *p = f->name;
    long v = 0;

    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > INT_MAX)
            return bad_name(f->name);
        p++;
    }
    lc_str_t name = lc_str_from(f->name);
    if (p == f->name || *p != '_' || v == 0 || name.len < 6 ||
        !lc_str_eq_cstr(lc_str_make(name.ptr + name.len - 4, 4), ".sql"))
        return bad_name(f->name);
    *out = (lc__migration_t){(int)v, f->name, (const char *)f->data};
    return LC_OK;
}

int lc__migration_latest(const lc__store_ops_t *ops, int *latest) {
    int last = 0;
    for (size_t i = 0, n = lc__migration_count(ops); i < n; i++) {
        lc__migration_t m;
        int rc = lc__migration_get(ops, i, &m);
        if (rc != LC_OK)
            return rc;
        if (m.version <= last)
            return bad_name(m.name);
        last = m.version;
    }
    *latest = last;
    return LC_OK;
}

int lc_store_schema_version(lc_store_t *s, int *current, int *latest) {
    int cur = 0, lat = 0;
    int rc = lc__migration_latest(s->ops, &lat);
    if (rc == LC_OK)
        rc = s->ops->schema_version(s, &cur);
    if (rc != LC_OK)
        return rc;
    if (current != NULL)
        *current = cur;
    if (latest != NULL)
        *latest = lat;
    return LC_OK;
}

static void log_newer(const lc_store_t *s, int current, int latest) {
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "store.migrate");
    lc_log_cstr(&r, "backend", s->ops->name);
    lc_log_i64(&r, "db_version", current);
    lc_log_i64(&r, "binary_version", latest);
    lc_log_cstr(&r, "msg", "the database was migrated by a newer lectern; refusing to use it");
    lc_log_end(&r);
}

int lc_store_migrate(lc_store_t *s, int *applied) {
    int current = 0, latest = 0, ran_count = 0;
    int rc = lc_store_schema_version(s, &current, &latest);
    if (rc != LC_OK)
        goto out;
    if (current > latest) {
        log_newer(s, current, latest);
        rc = LC_EVERSION;
        goto out;
    }
    for (size_t i = 0, n = lc__migration_count(s->ops); i < n; i++) {
        lc__migration_t m;
        bool ran = false;
        rc = lc__migration_get(s->ops, i, &m);
        if (rc != LC_OK)
            goto out;
        if (m.version <= current)
            continue;
        rc = s->ops->migration_apply(s, &m, &ran);
        if (rc != LC_OK) {
            lc_log_rec_t r;
            lc_log_begin(&r, LC_LOG_ERROR, "store.migrate");
            lc_log_cstr(&r, "backend", s->ops->name);
            lc_log_i64(&r, "version", m.version);
            lc_log_cstr(&r, "file", m.name);
            lc_log_cstr(&r, "status", lc_status_name(rc));
            lc_log_end(&r);
            goto out;
        }
        if (ran) {
            lc_log_rec_t r;
            lc_log_begin(&r, LC_LOG_INFO, "store.migrate");
            lc_log_cstr(&r, "backend", s->ops->name);
            lc_log_i64(&r, "version", m.version);
            lc_log_cstr(&r, "file", m.name);
            lc_log_end(&r);
            ran_count++;
        }
    }
    /* A newer binary may have migrated concurrently (between our check and our first write);
     * report it rather than run against a schema we do not know. */
    rc = s->ops->schema_version(s, &current);
    if (rc == LC_OK && current > latest) {
        log_newer(s, current, latest);
        rc = LC_EVERSION;
    }
    if (rc == LC_OK && applied != NULL)
        *applied = ran_count;
out:
    return rc;
}

int lc_store_ping(lc_store_t *s) {
    int current = 0, latest = 0;
    int rc = lc_store_schema_version(s, &current, &latest);
    if (rc != LC_OK)
        return rc;
    return current == latest ? LC_OK : LC_EVERSION;
}
