/* SPDX-License-Identifier: MIT */
/* `lectern tenant create|list`: more tenants on an initialised data directory, each with its
 * built-in roles and its first Console Admin (the same bootstrap as `lectern init`), and the
 * list of the tenants there are. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"

static int create(lc_cli_t *cli) {
    const char *slug = lc__cli_opt(cli, "tenant");
    const char *tenant_name = lc__cli_opt(cli, "tenant-name");
    const char *email = lc__cli_opt(cli, "admin-email");
    const char *admin_name = lc__cli_opt(cli, "admin-name");
    const char *password = NULL;
    char generated[LC__CLI_GENERATED_MAX] = {0};
    bool is_generated = false;
    char hash[LC_PASSWORD_HASH_MAX];
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t existing;
    int rc = LC_EXIT_USAGE;

    lc_arena_init(&arena, 0, 0);
    if (!slug || !lc__cli_valid_slug(slug)) {
        lc__cli_err(cli,
                    "--tenant SLUG is required: 1 to %d lower-case letters, digits or '-', not "
                    "starting or ending with '-'",
                    LC_LIMIT_TENANT_SLUG_MAX);
        goto out;
    }
    if (!email || !lc__cli_valid_email(email)) {
        lc__cli_err(cli, "--admin-email EMAIL is required and must be an email address such as "
                         "admin@example.com");
        goto out;
    }
    if (!tenant_name)
        tenant_name = slug;
    if (!admin_name)
        admin_name = "Administrator";
    if (!lc__cli_valid_name(tenant_name) || !lc__cli_valid_name(admin_name)) {
        lc__cli_err(cli,
                    "names must be 1 to %d characters of UTF-8 text without control "
                    "characters",
                    LC_LIMIT_NAME_MAX);
        goto out;
    }
    if (lc_auth_init() != LC_OK) {
        lc__cli_err(cli, "cannot initialise the crypto library");
        rc = LC_EXIT_FAIL;
        goto out;
    }
    rc = lc__cli_admin_password(cli, generated, &password, &is_generated);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = lc__cli_open_current(&cli->config, &store);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    int src = lc_store_tenant_by_slug(store, &arena, slug, &existing);
    if (src == LC_OK) {
        lc__cli_err(cli, "tenant \"%s\" already exists (%s); nothing was changed", slug,
                    existing.name);
        goto out;
    }
    if (src != LC_ENOTFOUND) {
        lc__cli_err(cli, "cannot read the database: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    if (lc_password_hash(password, strlen(password), hash) != LC_OK) {
        lc__cli_err(cli, "cannot hash the password (out of memory?)");
        goto out;
    }
    lc_store_bootstrap_t b = {.tenant_slug = slug,
                              .tenant_name = tenant_name,
                              .admin_email = email,
                              .admin_name = admin_name,
                              .admin_password_hash = hash};
    int64_t tenant_id = 0, user_id = 0;
    src = lc_store_bootstrap_tenant(store, &b, &tenant_id, &user_id);
    if (src == LC_EEXIST) {
        lc__cli_err(cli, "tenant \"%s\" already exists; nothing was changed", slug);
        goto out;
    }
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot create the tenant: %s", lc_status_text(src));
        goto out;
    }
    printf("Created tenant %s (%s)\n", slug, tenant_name);
    printf("  admin:    %s (Console Admin)\n", email);
    if (is_generated) {
        lc__cli_print_secret("  password: ", generated);
        printf("  (generated: shown this once, store it now)\n");
    } else {
        printf("  password: as given\n");
    }
    rc = LC_EXIT_OK;
out:
    sodium_memzero(generated, sizeof generated);
    sodium_memzero(hash, sizeof hash);
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
    if (src == LC_OK)
        src = lc__cli_table_print(&t, stdout);
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot list the tenants: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    rc = LC_EXIT_OK;
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
