/* SPDX-License-Identifier: MIT */
/* `lectern migrate`: applies pending schema migrations (serve also does it on start). With
 * --from sqlite:PATH --to URL it moves a whole tenant base into another store instead (SQLite to
 * PostgreSQL, or to another SQLite file): lc_store_copy, with the checks that make a refused
 * move change nothing, and a table of row counts that shows the move is complete. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "lectern/str.h"

#define URL_MAX 4096

static int upgrade(lc_cli_t *cli) {
    lc_store_t *store = NULL;
    int rc = lc__cli_open_store(&cli->config, false, &store);
    if (rc != LC_EXIT_OK)
        return rc;
    int before = 0, latest = 0, after = 0;
    if (lc_store_schema_version(store, &before, &latest) != LC_OK) {
        fprintf(stderr, "lectern: cannot read the schema version (details in the log above)\n");
        rc = LC_EXIT_FAIL;
        goto out;
    }
    rc = lc__cli_migrate(store);
    if (rc != LC_EXIT_OK)
        goto out;
    if (lc_store_schema_version(store, &after, &latest) != LC_OK) {
        rc = LC_EXIT_FAIL;
        goto out;
    }
    if (after == before)
        printf("schema is current (version %d)\n", after);
    else
        printf("migrated schema from version %d to %d\n", before, after);
out:
    lc_store_close(store);
    return rc;
}

/* --- the move: --from sqlite:PATH --to URL ------------------------------------------------- */

typedef enum { URL_BAD, URL_SQLITE, URL_POSTGRES } url_kind_t;

/* The kind of a store URL by its scheme; *path = the file of a sqlite: URL. */
static url_kind_t url_kind(const char *url, const char **path) {
    const char *colon = strchr(url, ':');
    if (colon == NULL)
        return URL_BAD;
    lc_str_t scheme = lc_str_make(url, (size_t)(colon - url));
    if (lc_str_eq_nocase(scheme, LC_STR("sqlite"))) {
        *path = colon + 1;
        return colon[1] != '\0' ? URL_SQLITE : URL_BAD;
    }
    if (lc_str_eq_nocase(scheme, LC_STR("postgres")) ||
        lc_str_eq_nocase(scheme, LC_STR("postgresql")))
        return URL_POSTGRES;
    return URL_BAD;
}

/* The scheme of a URL for a message (never the rest: it may hold a password). */
static int scheme_len(const char *url) {
    const char *colon = strchr(url, ':');
    size_t n = colon ? (size_t)(colon - url) : strlen(url);
    return (int)(n > 32 ? 32 : n);
}

typedef struct report {
    lc__cli_table_t table;
    lc_arena_t *arena;
    int64_t rows;
    bool committed; /* on_table was called: the copy is in the destination */
    bool differ;
} report_t;

static const char *num(lc_arena_t *a, int64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return lc_arena_strndup(a, buf, strlen(buf));
}

static void on_table(void *ctx, const lc_store_copy_table_t *t) {
    report_t *r = ctx;
    r->committed = true;
    const char *cells[4] = {t->name, num(r->arena, t->source_rows), "-",
                            "not copied: users sign in again"};
    if (t->copied) {
        cells[2] = num(r->arena, t->dest_rows);
        cells[3] = t->dest_rows == t->source_rows ? "ok" : "DIFFERENT";
        r->differ |= t->dest_rows != t->source_rows;
        r->rows += t->dest_rows;
    }
    lc__cli_table_row(&r->table, cells);
}

/* Removes a SQLite file this command created, with its companions. */
static void remove_created(const char *path) {
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[URL_MAX + 16];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        if (snprintf(p, sizeof p, "%s%s", path, suffix[i]) < (int)sizeof p)
            (void)unlink(p);
    }
}

/* The source: an existing store at this binary's schema version with at least one tenant. */
static int open_source(lc_cli_t *cli, const char *from, lc_store_t **out) {
    lc_store_t *s = NULL;
    int cur = 0, latest = 0;
    int64_t tenants = 0;
    int rc = lc_store_open(from, false, &s);
    if (rc == LC_ENOTFOUND) {
        lc__cli_err(cli, "no database at %s (--from); nothing was changed", from);
        return LC_EXIT_FAIL;
    }
    if (rc != LC_OK) {
        lc__cli_err(cli, "cannot open %s (--from): %s (details in the log above)", from,
                    lc_status_text(rc));
        return LC_EXIT_FAIL;
    }
    rc = LC_EXIT_FAIL;
    if (lc_store_schema_version(s, &cur, &latest) != LC_OK ||
        lc_store_tenant_count(s, &tenants) != LC_OK) {
        lc__cli_err(cli, "cannot read %s (--from) (details in the log above)", from);
        goto out;
    }
    if (cur < latest) {
        lc__cli_err(cli,
                    "%s has schema version %d, this binary's is %d: run `lectern migrate --store "
                    "%s` on it first; nothing was changed",
                    from, cur, latest, from);
        goto out;
    }
    if (cur > latest) {
        lc__cli_err(cli,
                    "%s has schema version %d, newer than this binary's %d: use the lectern that "
                    "wrote it; nothing was changed",
                    from, cur, latest);
        goto out;
    }
    if (tenants == 0) {
        lc__cli_err(cli, "%s holds no tenant: nothing to copy", from);
        goto out;
    }
    *out = s;
    s = NULL;
    rc = LC_EXIT_OK;
out:
    lc_store_close(s);
    return rc;
}

/* The destination, opened (created when it is a missing SQLite file: *created) and migrated,
 * refused before any change when it holds a tenant or is newer than this binary. */
static int open_dest(lc_cli_t *cli, const char *to, const char *masked, lc_store_t **out,
                     bool *created) {
    const char *path = NULL;
    struct stat sb;
    lc_store_t *s = NULL;
    int cur = 0, latest = 0;
    int64_t tenants = 0;

    *created = url_kind(to, &path) == URL_SQLITE && stat(path, &sb) != 0 && errno == ENOENT;
    int rc = lc_store_open(to, true, &s);
    if (rc == LC_ENOTFOUND) {
        lc__cli_err(cli, "cannot create %s (--to): its directory does not exist", masked);
        return LC_EXIT_FAIL;
    }
    if (rc != LC_OK) {
        lc__cli_err(cli, "cannot open %s (--to): %s (details in the log above)", masked,
                    lc_status_text(rc));
        return LC_EXIT_FAIL;
    }
    rc = LC_EXIT_FAIL;
    if (lc_store_schema_version(s, &cur, &latest) != LC_OK ||
        (cur > 0 && lc_store_tenant_count(s, &tenants) != LC_OK)) {
        lc__cli_err(cli, "cannot read %s (--to) (details in the log above)", masked);
        goto out;
    }
    if (tenants > 0) {
        lc__cli_err(cli,
                    "%s (--to) already holds %lld tenant%s: a move needs an empty store; nothing "
                    "was changed",
                    masked, (long long)tenants, tenants == 1 ? "" : "s");
        goto out;
    }
    rc = lc__cli_migrate(s);
    if (rc != LC_EXIT_OK)
        goto out;
    *out = s;
    s = NULL;
out:
    lc_store_close(s);
    return rc;
}

/* Both are SQLite files and the same file (by device and inode, whatever the spelling). */
static bool same_file(const char *from, const char *to) {
    const char *a = NULL, *b = NULL;
    struct stat sa, sb;
    if (url_kind(from, &a) != URL_SQLITE || url_kind(to, &b) != URL_SQLITE)
        return false;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int move(lc_cli_t *cli, const char *from, const char *to) {
    static const char *const head[] = {"table", "source", "destination", "check"};
    char masked[URL_MAX];
    const char *ignored = NULL, *to_path = NULL;
    lc_store_t *src = NULL, *dst = NULL;
    bool created = false;
    lc_arena_t arena;
    report_t report = {.arena = &arena};
    struct timespec t0, t1;
    int rc = LC_EXIT_USAGE;

    lc_arena_init(&arena, 0, 0);
    lc__cli_table_init(&report.table, &arena, 4, head);
    if (from == NULL || to == NULL) {
        lc__cli_err(cli, "%s",
                    from == NULL ? "--to needs --from sqlite:PATH (the store to copy)"
                                 : "--from needs --to URL (postgres://USER@HOST/DB "
                                   "or sqlite:PATH: the store to copy into)");
        goto out;
    }
    if (url_kind(from, &ignored) != URL_SQLITE) {
        if (strchr(from, ':') == NULL)
            lc__cli_err(cli,
                        "--from must be sqlite:PATH (the SQLite store to copy): write "
                        "--from sqlite:%s",
                        from);
        else
            lc__cli_err(cli,
                        "--from must be sqlite:PATH (the SQLite store to copy), not a "
                        "\"%.*s:\" URL",
                        scheme_len(from), from);
        goto out;
    }
    url_kind_t kind = url_kind(to, &to_path);
    if (kind == URL_BAD) {
        lc__cli_err(cli,
                    "--to must be postgres://USER[:PASSWORD]@HOST[:PORT]/DB or sqlite:PATH; "
                    "unknown scheme \"%.*s\"",
                    scheme_len(to), to);
        goto out;
    }
    if (same_file(from, to)) {
        lc__cli_err(cli, "--from and --to name the same database");
        goto out;
    }
    lc_config_mask_url(to, masked, sizeof masked);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = open_source(cli, from, &src);
    if (rc == LC_EXIT_OK)
        rc = open_dest(cli, to, masked, &dst, &created);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    int crc = lc_store_copy(src, dst, on_table, &report);
    if (crc == LC_ECONFLICT) {
        lc__cli_err(cli,
                    "%s (--to) is not empty: a move needs an empty store; nothing was "
                    "changed",
                    masked);
        goto out;
    }
    if (crc != LC_OK && !report.committed) {
        lc__cli_err(cli, "the copy failed: %s (details in the log above); %s was left as it was",
                    lc_status_text(crc), masked);
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    int version = 0;
    if (lc_store_schema_version(dst, &version, NULL) != LC_OK)
        version = -1;
    printf("Copied %s to %s: %lld rows in %lld ms (schema version %d)\n", from, masked,
           (long long)report.rows, ms, version);
    if (lc__cli_table_print(&report.table, stdout) != LC_OK) {
        lc__cli_err(cli, "out of memory");
        goto out;
    }
    if (crc != LC_OK || report.differ) {
        created = false; /* committed: the operator decides what to do with it */
        lc__cli_err(cli, "the row counts differ after the copy (see DIFFERENT above): another "
                         "process wrote to the destination; do not use it as it is");
        goto out;
    }
    printf("Every table matches. Next: lectern serve --store '%s'\n", masked);
    rc = LC_EXIT_OK;
out:
    lc_store_close(src);
    lc_store_close(dst);
    if (rc != LC_EXIT_OK && created)
        remove_created(to_path);
    lc_arena_dispose(&arena);
    return rc;
}

static int run(lc_cli_t *cli) {
    const char *from = lc__cli_opt(cli, "from"), *to = lc__cli_opt(cli, "to");
    if (from != NULL || to != NULL)
        return move(cli, from, to);
    return upgrade(cli);
}

static const lc_cli_opt_t opts[] = {
    {"from", "URL",
     "move: the SQLite store to copy, sqlite:PATH (at this binary's schema version; read only)"},
    {"to", "URL",
     "move: the store to copy it into, postgres://USER[:PASSWORD]@HOST[:PORT]/DB or sqlite:PATH "
     "(a missing SQLite file is created); it must hold no tenant"},
    {NULL, NULL, NULL},
};

const lc_cli_cmd_t lc__cmd_migrate = {
    .name = "migrate",
    .summary = "apply pending schema migrations, or move a store (--from/--to)",
    .description =
        "Applies the schema migrations this binary knows and the database lacks, each in its own "
        "transaction.\nRefuses a database whose schema is newer than the binary. `lectern serve` "
        "does the same on start.\n\nWith --from sqlite:PATH --to URL, copies the whole tenant base "
        "instead: every tenant, user,\nrole, developer token, course, enrollment and audit event, "
        "with their ids, read from one consistent\nsnapshot and written in one transaction (all or "
        "nothing), then counts the rows of every table on\nboth sides. The destination is created "
        "(SQLite) and migrated first, and must hold no tenant.\nConsole sessions are not copied: "
        "users sign in again. Developer tokens keep working. Stop the\nserver first: writes made "
        "after the copy would not be in the destination.",
    .opts = opts,
    .run = run,
};
