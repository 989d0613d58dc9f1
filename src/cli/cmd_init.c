/* SPDX-License-Identifier: MIT */
/* `lectern init`: creates the data directory and database, a tenant, and its first user with
 * the built-in Console Admin role. Refuses to run on a database that already has a tenant. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"

static int run(lc_cli_t *cli) {
    const char *slug = lc__cli_opt(cli, "tenant");
    const char *tenant_name = lc__cli_opt(cli, "tenant-name");
    const char *email = lc__cli_opt(cli, "admin-email");
    const char *admin_name = lc__cli_opt(cli, "admin-name");
    const char *password = NULL;
    char generated[LC__CLI_GENERATED_MAX] = {0};
    bool is_generated = false;
    char hash[LC_PASSWORD_HASH_MAX];
    lc_store_t *store = NULL;
    int rc = LC_EXIT_USAGE;

    if (!slug || !lc__cli_valid_slug(slug)) {
        fprintf(stderr,
                "lectern init: --tenant SLUG is required: 1 to %d lower-case letters, "
                "digits or '-', not starting or ending with '-'\n",
                LC_LIMIT_TENANT_SLUG_MAX);
        goto out;
    }
    if (!email || !lc__cli_valid_email(email)) {
        fprintf(stderr, "lectern init: --admin-email EMAIL is required and must be an email "
                        "address such as admin@example.com\n");
        goto out;
    }
    if (!tenant_name)
        tenant_name = slug;
    if (!admin_name)
        admin_name = "Administrator";
    if (!lc__cli_valid_name(tenant_name) || !lc__cli_valid_name(admin_name)) {
        fprintf(stderr,
                "lectern init: names must be 1 to %d characters of UTF-8 text without "
                "control characters\n",
                LC_LIMIT_NAME_MAX);
        goto out;
    }
    if (lc_auth_init() != LC_OK) {
        fprintf(stderr, "lectern init: cannot initialise the crypto library\n");
        rc = LC_EXIT_FAIL;
        goto out;
    }
    rc = lc__cli_admin_password(cli, generated, &password, &is_generated);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    if (!cli->config.store[0]) {
        int e = lc__cli_make_dirs(cli->config.data_dir);
        if (e) {
            fprintf(stderr, "lectern init: cannot create data directory %s: %s\n",
                    cli->config.data_dir, strerror(e));
            goto out;
        }
    }
    if (lc__cli_open_store(&cli->config, true, &store) != LC_EXIT_OK)
        goto out;
    if (lc__cli_migrate(store) != LC_EXIT_OK)
        goto out;
    int64_t tenants = 0;
    if (lc_store_tenant_count(store, &tenants) != LC_OK) {
        fprintf(stderr, "lectern init: cannot read the database (details in the log above)\n");
        goto out;
    }
    if (tenants > 0) {
        fprintf(
            stderr,
            "lectern init: %s is already initialised (it has %lld tenant%s); nothing was "
            "changed. Use `lectern serve` to run it, or `lectern tenant create` to add a tenant.\n",
            cli->config.data_dir, (long long)tenants, tenants == 1 ? "" : "s");
        goto out;
    }
    if (lc_password_hash(password, strlen(password), hash) != LC_OK) {
        fprintf(stderr, "lectern init: cannot hash the password (out of memory?)\n");
        goto out;
    }
    lc_store_bootstrap_t b = {.tenant_slug = slug,
                              .tenant_name = tenant_name,
                              .admin_email = email,
                              .admin_name = admin_name,
                              .admin_password_hash = hash};
    int64_t tenant_id = 0, user_id = 0;
    int src = lc_store_bootstrap_tenant(store, &b, &tenant_id, &user_id);
    if (src != LC_OK) {
        fprintf(stderr, "lectern init: cannot create the tenant: %s\n", lc_status_text(src));
        goto out;
    }
    printf("Initialised lectern in %s\n", cli->config.data_dir);
    printf("  tenant:   %s (%s)\n", slug, tenant_name);
    printf("  admin:    %s\n", email);
    if (is_generated) {
        lc__cli_print_secret("  password: ", generated);
        printf("  (generated: shown this once, store it now)\n");
    } else
        printf("  password: as given\n");
    printf("Next: lectern serve --data-dir %s\n", cli->config.data_dir);
    rc = LC_EXIT_OK;
out:
    sodium_memzero(generated, sizeof generated);
    sodium_memzero(hash, sizeof hash);
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
