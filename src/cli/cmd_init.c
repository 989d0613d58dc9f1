/* SPDX-License-Identifier: MIT */
/* `lectern init`: creates the data directory and database, a tenant, and its first user with
 * the built-in Console Admin role. Refuses to run on a database that already has a tenant. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"

/* Slug: lower-case letters, digits and '-', starting with a letter or digit. */
static bool valid_slug(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > LC_LIMIT_TENANT_SLUG_MAX || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return false;
    return true;
}

/* A pragmatic address check: one '@', something on both sides, a dot in the domain, no
 * white space or control characters. Delivery is not our concern. */
static bool valid_email(const char *s) {
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n == 0 || n > LC_LIMIT_EMAIL_MAX || !at || at == s || strchr(at + 1, '@') ||
        !strchr(at + 1, '.') || at[1] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return false;
    return true;
}

static bool valid_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > LC_LIMIT_NAME_MAX || !lc_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            return false;
    return true;
}

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(const char *path) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return ENAMETOOLONG;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return errno;
        *p = '/';
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
        return errno;
    return 0;
}

static int run(lc_cli_t *cli) {
    const char *slug = lc__cli_opt(cli, "tenant");
    const char *tenant_name = lc__cli_opt(cli, "tenant-name");
    const char *email = lc__cli_opt(cli, "admin-email");
    const char *admin_name = lc__cli_opt(cli, "admin-name");
    const char *password = lc__cli_opt(cli, "admin-password");
    char generated[32] = {0};
    char hash[LC_PASSWORD_HASH_MAX];
    lc_store_t *store = NULL;
    int rc = LC_EXIT_USAGE;

    if (!slug || !valid_slug(slug)) {
        fprintf(stderr, "lectern init: --tenant SLUG is required: 1 to %d lower-case letters, "
                        "digits or '-', not starting with '-'\n",
                LC_LIMIT_TENANT_SLUG_MAX);
        goto out;
    }
    if (!email || !valid_email(email)) {
        fprintf(stderr, "lectern init: --admin-email EMAIL is required and must be an email "
                        "address such as admin@example.com\n");
        goto out;
    }
    if (!tenant_name)
        tenant_name = slug;
    if (!admin_name)
        admin_name = "Administrator";
    if (!valid_name(tenant_name) || !valid_name(admin_name)) {
        fprintf(stderr, "lectern init: names must be 1 to %d characters of UTF-8 text without "
                        "control characters\n",
                LC_LIMIT_NAME_MAX);
        goto out;
    }
    if (!password)
        password = getenv("LECTERN_ADMIN_PASSWORD");
    if (password) {
        size_t n = strlen(password);
        if (n < LC_LIMIT_PASSWORD_MIN || n > LC_LIMIT_PASSWORD_MAX) {
            fprintf(stderr, "lectern init: the admin password must have %d to %d characters\n",
                    LC_LIMIT_PASSWORD_MIN, LC_LIMIT_PASSWORD_MAX);
            goto out;
        }
    }

    rc = LC_EXIT_FAIL;
    if (lc_auth_init() != LC_OK) {
        fprintf(stderr, "lectern init: cannot initialise the crypto library\n");
        goto out;
    }
    if (!password) {
        if (lc_password_generate(generated, LC_PASSWORD_GENERATED_LEN + 1) != LC_OK)
            goto out;
        password = generated;
    }
    if (!cli->config.store[0]) {
        int e = make_dirs(cli->config.data_dir);
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
        fprintf(stderr,
                "lectern init: %s is already initialised (it has %lld tenant%s); nothing was "
                "changed. Use `lectern serve` to run it.\n",
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
    if (generated[0])
        printf("  password: %s\n  (generated: shown this once, store it now)\n", generated);
    else
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
