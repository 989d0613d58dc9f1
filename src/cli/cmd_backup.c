/* SPDX-License-Identifier: MIT */
/* `lectern backup --to FILE`: a consistent copy of the SQLite store into a new file, taken while
 * `lectern serve` keeps running and writing (lc_store_backup), then opened as a store to show
 * what it holds. A PostgreSQL store is backed up with pg_dump. */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_int.h"

#define URL_MAX 4096

/* What the backup holds, read by opening it as lectern would: *version and *tenants. */
static int inspect(const char *path, int *version, int64_t *tenants) {
    char url[URL_MAX];
    lc_store_t *s = NULL;
    if (snprintf(url, sizeof url, "sqlite:%s", path) >= (int)sizeof url)
        return LC_EINVAL;
    int rc = lc_store_open(url, false, &s);
    if (rc == LC_OK)
        rc = lc_store_schema_version(s, version, NULL);
    if (rc == LC_OK)
        rc = lc_store_tenant_count(s, tenants);
    lc_store_close(s);
    return rc;
}

static int run(lc_cli_t *cli) {
    const char *to = lc__cli_opt(cli, "to");
    char url[URL_MAX], masked[URL_MAX];
    lc_store_t *store = NULL;
    struct timespec t0, t1;
    struct stat sb;

    if (to == NULL || to[0] == '\0') {
        lc__cli_err(cli, "--to FILE is required: the new file to write the backup to");
        return LC_EXIT_USAGE;
    }
    int rc = lc__cli_open_store(&cli->config, false, &store);
    if (rc != LC_EXIT_OK)
        return rc;
    lc__cli_store_url(&cli->config, url, sizeof url);
    lc_config_mask_url(url, masked, sizeof masked);
    rc = LC_EXIT_FAIL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int brc = lc_store_backup(store, to);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    switch (brc) {
    case LC_OK:
        break;
    case LC_EEXIST:
        lc__cli_err(cli,
                    "%s already exists: a backup never replaces a file; choose a new name "
                    "(nothing was written)",
                    to);
        goto out;
    case LC_ENOTFOUND:
        lc__cli_err(cli, "the directory of %s does not exist (nothing was written)", to);
        goto out;
    case LC_EUNAVAILABLE:
        lc__cli_err(cli,
                    "the store is %s, which lectern does not back up: use pg_dump, e.g. "
                    "`pg_dump --format=custom --file=FILE 'postgres://...'` (nothing was written)",
                    lc_store_backend(store));
        goto out;
    case LC_EIO:
        lc__cli_err(cli, "cannot write %s (details in the log above); nothing was left behind", to);
        goto out;
    default:
        lc__cli_err(cli, "the backup failed: %s (details in the log above); nothing was written",
                    lc_status_text(brc));
        goto out;
    }
    long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    long long bytes = stat(to, &sb) == 0 ? (long long)sb.st_size : -1;
    int version = 0;
    int64_t tenants = 0;
    int irc = inspect(to, &version, &tenants);
    if (irc != LC_OK) {
        lc__cli_err(cli,
                    "wrote %s, but it does not open as a store: %s (details in the log "
                    "above); do not rely on it",
                    to, lc_status_text(irc));
        goto out;
    }
    printf("Backed up %s to %s\n", masked, to);
    printf("  size:           %lld bytes (%.1f MiB)\n", bytes, (double)bytes / (1024.0 * 1024.0));
    printf("  schema version: %d\n", version);
    printf("  tenants:        %lld\n", (long long)tenants);
    printf("  took:           %lld ms\n", ms);
    printf("Restore: stop lectern and put the file in place of the database (or serve it as it "
           "is with --store sqlite:%s)\n",
           to);
    rc = LC_EXIT_OK;
out:
    lc_store_close(store);
    return rc;
}

static const lc_cli_opt_t opts[] = {
    {"to", "FILE", "the new file to write (required; never replaced when it exists)"},
    {NULL, NULL, NULL},
};

const lc_cli_cmd_t lc__cmd_backup = {
    .name = "backup",
    .summary = "write a consistent copy of the SQLite store to a new file, while serving",
    .description =
        "Copies the SQLite store named by --data-dir / --store into a new file, consistently, "
        "while\n`lectern serve` keeps running: the copy is one snapshot of the database, taken in "
        "small steps\nthat never block the server's writes. It is written to a temporary file "
        "beside FILE, checked,\nflushed to disk and only then named FILE, so FILE never holds a "
        "partial copy; an existing FILE\nis refused. The backup is a lectern database (mode "
        "0600): restore it by putting it in place of\nlectern.db while lectern is stopped, or "
        "serve it with --store sqlite:FILE.\nA PostgreSQL store is backed up with pg_dump.",
    .opts = opts,
    .run = run,
};
