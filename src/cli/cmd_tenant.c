/* SPDX-License-Identifier: MIT */
/* `lectern tenant create|list`: more tenants on an initialised data directory, each with its
 * built-in roles and its first Console Admin (the same bootstrap as `lectern init`), and the
 * list of the tenants there are. */
#include <stdio.h>
#include "cli_int.h"

static int create(lc_cli_t *cli) {
    lc__cli_bootstrap_t b;
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t existing;

    lc_arena_init(&arena, 0, 0);
    int rc = lc__cli_bootstrap_parse(cli, &b);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = lc__cli_open_current(&cli->config, &store);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    int src = lc_store_tenant_by_slug(store, &arena, b.slug, &existing);
    if (src == LC_OK) {
        lc__cli_err(cli, "tenant \"%s\" already exists (%s); nothing was changed", b.slug,
                    existing.name);
        goto out;
    }
    if (src != LC_ENOTFOUND) {
        lc__cli_err(cli, "cannot read the database: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    if (lc__cli_bootstrap_create(cli, store, &b) != LC_EXIT_OK)
        goto out;
    printf("Created tenant %s (%s)\n", b.slug, b.tenant_name);
    printf("  admin:    %s (Console Admin)\n", b.email);
    lc__cli_bootstrap_print_password(&b);
    rc = LC_EXIT_OK;
out:
    lc__cli_bootstrap_dispose(&b);
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static int list(lc_cli_t *cli) {
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t *tenants = NULL;
    uint32_t n = 0;
    lc_arena_init(&arena, 0, 0);
    int rc = lc__cli_open_current(&cli->config, &store);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    int src = lc__cli_tenants(store, &arena, &tenants, &n);
    static const char *const head[] = {"id", "slug", "name", "users"};
    lc__cli_table_t t;
    lc__cli_table_init(&t, &arena, 4, head);
    for (uint32_t i = 0; i < n && src == LC_OK; i++) {
        lc_page_t page = {.after = 0, .first = 1};
        lc_page_info_t info;
        lc_user_t *u = NULL;
        uint32_t k = 0;
        src = lc_store_users_list(store, &arena, tenants[i].id, NULL, &page, &u, &k, &info);
        if (src != LC_OK)
            break;
        const char *row[] = {lc_arena_printf(&arena, "%lld", (long long)tenants[i].id),
                             tenants[i].slug, tenants[i].name,
                             lc_arena_printf(&arena, "%lld", (long long)info.total)};
        lc__cli_table_row(&t, row);
    }
    rc = lc__cli_list_finish(cli, &t, src, "tenants", NULL, 0);
out:
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static const lc_cli_opt_t create_opts[] = {
    {"tenant", "SLUG", "the tenant's short name: lower-case letters, digits, '-' (required)"},
    {"tenant-name", "NAME", "the tenant's display name (default: the slug)"},
    {"admin-email", "EMAIL", "email of its first Console Admin (required)"},
    {"admin-name", "NAME", "name of its first Console Admin (default: Administrator)"},
    {"admin-password", "PASSWORD",
     "password of its first Console Admin; prefer LECTERN_ADMIN_PASSWORD (flags show in ps); "
     "generated and printed once when neither is given"},
    {NULL, NULL, NULL},
};

static const lc_cli_cmd_t tenant_create = {
    .name = "tenant create",
    .summary = "add a tenant and its first Console Admin to an initialised data directory",
    .description = "Creates a tenant with its built-in roles (Console Admin, Learner) and its "
                   "first user, who\n"
                   "holds Console Admin, in the database of an initialised data directory (see "
                   "`lectern init`).\n"
                   "Tenants never see each other's data.",
    .opts = create_opts,
    .run = create,
};

static const lc_cli_opt_t list_opts[] = {{NULL, NULL, NULL}};

static const lc_cli_cmd_t tenant_list = {
    .name = "tenant list",
    .summary = "list the tenants and their number of users",
    .description = "Prints a table of the tenants: id, slug, name and number of users.",
    .opts = list_opts,
    .run = list,
};

static const lc_cli_cmd_t *const actions[] = {&tenant_create, &tenant_list, NULL};

const lc_cli_cmd_t lc__cmd_tenant = {
    .name = "tenant",
    .summary = "manage tenants: create, list",
    .description = "Tenants are the organisations a lectern server holds; each has its own users, "
                   "roles, tokens,\n"
                   "courses and audit log.",
    .actions = actions,
};
