/* SPDX-License-Identifier: MIT */
/* `lectern migrate`: applies pending schema migrations (serve also does it on start). */
#include <stdio.h>

#include "cli_int.h"

static int run(lc_cli_t *cli) {
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

static const lc_cli_opt_t opts[] = {{NULL, NULL, NULL}};

const lc_cli_cmd_t lc__cmd_migrate = {
    .name = "migrate",
    .summary = "apply pending schema migrations",
    .description = "Applies the schema migrations this binary knows and the database lacks, each "
                   "in its own transaction.\nRefuses a database whose schema is newer than the "
                   "binary. `lectern serve` does the same on start.",
    .opts = opts,
    .run = run,
};
