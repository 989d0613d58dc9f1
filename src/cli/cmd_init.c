/* SPDX-License-Identifier: MIT */
/* `lectern init`: creates the data directory and database, a tenant, and its first user with
 * the built-in Console Admin role. Refuses to run on a database that already has a tenant. */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

static int run(lc_cli_t *cli) {
    lc__cli_bootstrap_t b;
    lc_store_t *store = NULL;
    int rc = lc__cli_bootstrap_parse(cli, &b);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    if (!cli->config.store[0]) {
        int e = lc__cli_make_dirs(cli->config.data_dir);
        if (e) {
            lc__cli_err(cli, "cannot create data directory %s: %s", cli->config.data_dir,
                        strerror(e));
            goto out;
        }
    }
    if (lc__cli_open_store(&cli->config, true, &store) != LC_EXIT_OK)
        goto out;
    if (lc__cli_migrate(store) != LC_EXIT_OK)
        goto out;
    int64_t tenants = 0;
    if (lc_store_tenant_count(store, &tenants) != LC_OK) {
        lc__cli_err(cli, "cannot read the database (details in the log above)");
        goto out;
    }
    if (tenants > 0) {
        lc__cli_err(cli,
                    "%s is already initialised (it has %lld tenant%s); nothing was changed. Use "
                    "`lectern serve` to run it, or `lectern tenant create` to add a tenant.",
                    cli->config.store[0] ? "the store" : cli->config.data_dir, (long long)tenants,
                    tenants == 1 ? "" : "s");
        goto out;
    }
    if (lc__cli_bootstrap_create(cli, store, &b) != LC_EXIT_OK)
        goto out;
    char url[4096], where[4096], flags[4200];
    lc__cli_store_url(&cli->config, url, sizeof url);
    lc_config_mask_url(url, where, sizeof where);
    lc__cli_store_flags(&cli->config, flags, sizeof flags);
    printf("Initialised lectern in %s\n", cli->config.store[0] ? where : cli->config.data_dir);
    printf("  tenant:   %s (%s)\n", b.slug, b.tenant_name);
    printf("  admin:    %s\n", b.email);
    lc__cli_bootstrap_print_password(&b);
    printf("Next: lectern serve %s\n", flags);
    rc = LC_EXIT_OK;
out:
    lc__cli_bootstrap_dispose(&b);
    lc_store_close(store);
    return rc;
}

static const lc_cli_opt_t opts[] = {
    {"tenant", "SLUG", "the tenant's short name: lower-case letters, digits, '-' (required)"},
    {"tenant-name", "NAME", "the tenant's display name (default: the slug)"},
    {"admin-email", "EMAIL", "email of the first Console Admin (required)"},
    {"admin-name", "NAME", "name of the first Console Admin (default: Administrator)"},
    {"admin-password", "PASSWORD",
     "password of the first Console Admin; prefer LECTERN_ADMIN_PASSWORD (flags show in ps); "
     "generated and printed once when neither is given"},
    {NULL, NULL, NULL},
};

const lc_cli_cmd_t lc__cmd_init = {
    .name = "init",
    .summary = "create the data directory, database, a tenant and its first admin",
    .description = "Creates the data directory and the database (running the migrations), a "
                   "tenant, its built-in roles\n(Console Admin, Learner) and its first user, who "
                   "holds Console Admin. Refuses to run twice.",
    .opts = opts,
    .run = run,
};
