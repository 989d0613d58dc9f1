/* SPDX-License-Identifier: MIT */
/* `lectern user create|list|passwd|deactivate|reactivate`: the users of one tenant, for
 * operators. Writes go through the store with the system as actor (user 0, no IP), so that each
 * leaves its audit event saying the command line did it; the store keeps the rules (unique
 * email, last active Console Admin). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"

#define PAGE 100
#define PASSWORD_ENV "LECTERN_USER_PASSWORD"

/* --email EMAIL: LC_EXIT_USAGE (printed) when missing or malformed. */
static int email_opt(const lc_cli_t *cli, const char **out) {
    const char *email = lc__cli_opt(cli, "email");
    if (!email || !lc__cli_valid_email(email)) {
        lc__cli_err(cli, "--email EMAIL is required and must be an email address such as "
                         "jane@example.com");
        return LC_EXIT_USAGE;
    }
    *out = email;
    return LC_EXIT_OK;
}

static int create(lc_cli_t *cli) {
    const char *email = NULL, *name = lc__cli_opt(cli, "name"), *password = NULL;
    const char *role_names[LC_CLI_MAX_OCCURRENCES];
    size_t nrole_names = lc__cli_opt_all(cli, "role", role_names);
    bool from_env = lc__cli_flag(cli, "password-from-env");
    bool generate = lc__cli_flag(cli, "generate-password");
    char generated[LC__CLI_GENERATED_MAX] = {0};
    char hash[LC_PASSWORD_HASH_MAX] = {0};
    int64_t role_ids[LC_CLI_MAX_OCCURRENCES];
    lc_role_t roles[LC_CLI_MAX_OCCURRENCES];
    uint32_t nroles = 0;
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    int rc = email_opt(cli, &email);

    lc_arena_init(&arena, 0, 0);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_USAGE;
    if (!name || !lc__cli_valid_name(name)) {
        lc__cli_err(cli,
                    "--name NAME is required: 1 to %d characters of UTF-8 text without "
                    "control characters",
                    LC_LIMIT_NAME_MAX);
        goto out;
    }
    if (from_env && generate) {
        lc__cli_err(cli, "--password-from-env and --generate-password exclude each other");
        goto out;
    }
    if (from_env) {
        rc = lc__cli_password_env(cli, PASSWORD_ENV, &password);
        if (rc != LC_EXIT_OK)
            goto out;
        rc = LC_EXIT_USAGE;
        if (!password) {
            lc__cli_err(cli, "--password-from-env: %s is not set", PASSWORD_ENV);
            goto out;
        }
    }
    rc = LC_EXIT_FAIL;
    if ((from_env || generate) && lc_auth_init() != LC_OK) {
        lc__cli_err(cli, "cannot initialise the crypto library");
        goto out;
    }
    if (generate) {
        if (lc_password_generate(generated, LC_PASSWORD_GENERATED_LEN + 1) != LC_OK)
            goto out;
        password = generated;
    }
    rc = lc__cli_open_tenant(cli, &arena, &store, &tenant);
    if (rc != LC_EXIT_OK)
        goto out;
    for (size_t i = 0; i < nrole_names; i++) {
        lc_role_t r;
        rc = lc__cli_role_by_name(cli, store, &arena, &tenant, role_names[i], &r);
        if (rc != LC_EXIT_OK)
            goto out;
        bool dup = false;
        for (uint32_t k = 0; k < nroles; k++)
            dup |= role_ids[k] == r.id;
        if (!dup) {
            roles[nroles] = r;
            role_ids[nroles++] = r.id;
        }
    }
    rc = LC_EXIT_FAIL;
    if (password && lc_password_hash(password, strlen(password), hash) != LC_OK) {
        lc__cli_err(cli, "cannot hash the password (out of memory?)");
        goto out;
    }
    lc_actor_t actor = lc__cli_system_actor(&tenant);
    lc_user_new_t u = {.email = email,
                       .name = name,
                       .password_hash = password ? hash : NULL,
                       .role_ids = role_ids,
                       .nroles = nroles};
    int64_t id = 0;
    int src = lc_store_user_create(store, &actor, &u, &id);
    if (src == LC_EEXIST) {
        lc__cli_err(cli, "a user with email %s already exists in tenant %s; nothing was changed",
                    email, tenant.slug);
        goto out;
    }
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot create the user: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    printf("Created user %lld in tenant %s\n", (long long)id, tenant.slug);
    printf("  email:    %s\n  name:     %s\n", email, name);
    printf("  roles:    %s\n", nroles ? lc__cli_role_names(&arena, roles, nroles) : "(none)");
    if (generate) {
        lc__cli_print_generated(generated);
    } else if (from_env) {
        printf("  password: from %s\n", PASSWORD_ENV);
    } else {
        printf("  password: none (no Console login; set one with `lectern user passwd`)\n");
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
    const char *query = lc__cli_opt(cli, "query"), *status = lc__cli_opt(cli, "status");
    const char *role_name = lc__cli_opt(cli, "role");
    lc_user_filter_t f = {.query = query, .status = -1};
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    int rc = LC_EXIT_USAGE;

    lc_arena_init(&arena, 0, 0);
    if (status && strcmp(status, "active") == 0) {
        f.status = LC_ACTIVE;
    } else if (status && strcmp(status, "deactivated") == 0) {
        f.status = LC_DEACTIVATED;
    } else if (status) {
        lc__cli_err(cli, "--status must be active or deactivated, not \"%s\"", status);
        goto out;
    }
    rc = lc__cli_open_tenant(cli, &arena, &store, &tenant);
    if (rc != LC_EXIT_OK)
        goto out;
    if (role_name) {
        lc_role_t r;
        rc = lc__cli_role_by_name(cli, store, &arena, &tenant, role_name, &r);
        if (rc != LC_EXIT_OK)
            goto out;
        f.role_id = r.id;
    }
    rc = LC_EXIT_FAIL;
    static const char *const head[] = {"id", "email", "name", "status", "roles"};
    lc__cli_table_t t;
    lc__cli_table_init(&t, &arena, 5, head);
    lc_page_t page = {.after = 0, .first = PAGE};
    lc_page_info_t info = {0};
    int src = LC_OK;
    int64_t shown = 0;
    for (;;) {
        lc_user_t *users = NULL;
        uint32_t n = 0;
        src = lc_store_users_list(store, &arena, tenant.id, &f, &page, &users, &n, &info);
        for (uint32_t i = 0; i < n && src == LC_OK; i++) {
            lc_role_t *roles = NULL;
            uint32_t nr = 0;
            src = lc_store_user_roles(store, &arena, tenant.id, users[i].id, &roles, &nr);
            if (src != LC_OK)
                break;
            const char *row[] = {lc_arena_printf(&arena, "%lld", (long long)users[i].id),
                                 users[i].email, users[i].name,
                                 users[i].status == LC_ACTIVE ? "active" : "deactivated",
                                 lc__cli_role_names(&arena, roles, nr)};
            lc__cli_table_row(&t, row);
            shown++;
        }
        if (src != LC_OK || !info.has_next || n == 0)
            break;
        page.after = users[n - 1].id;
    }
    rc = lc__cli_list_finish(cli, &t, src, "users", "user", shown);
out:
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static int passwd(lc_cli_t *cli) {
    const char *email = NULL, *password = NULL;
    char generated[LC__CLI_GENERATED_MAX] = {0};
    char hash[LC_PASSWORD_HASH_MAX] = {0};
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    lc_user_t user;
    int rc = email_opt(cli, &email);

    lc_arena_init(&arena, 0, 0);
    if (rc == LC_EXIT_OK)
        rc = lc__cli_password_env(cli, PASSWORD_ENV, &password);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    if (lc_auth_init() != LC_OK) {
        lc__cli_err(cli, "cannot initialise the crypto library");
        goto out;
    }
    rc = lc__cli_open_tenant(cli, &arena, &store, &tenant);
    if (rc == LC_EXIT_OK)
        rc = lc__cli_user_by_email(cli, store, &arena, &tenant, email, &user);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    bool is_generated = password == NULL;
    if (is_generated) {
        if (lc_password_generate(generated, LC_PASSWORD_GENERATED_LEN + 1) != LC_OK)
            goto out;
        password = generated;
    }
    if (lc_password_hash(password, strlen(password), hash) != LC_OK) {
        lc__cli_err(cli, "cannot hash the password (out of memory?)");
        goto out;
    }
    lc_actor_t actor = lc__cli_system_actor(&tenant);
    int src = lc_store_user_set_password(store, &actor, user.id, hash);
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot set the password: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    printf("Set a new Console password for %s (user %lld, tenant %s); their sessions were "
           "ended\n",
           user.email, (long long)user.id, tenant.slug);
    if (is_generated) {
        lc__cli_print_generated(generated);
    } else {
        printf("  password: from %s\n", PASSWORD_ENV);
    }
    if (user.status != LC_ACTIVE)
        printf("  note: the user is deactivated and cannot log in until `lectern user "
               "reactivate`\n");
    rc = LC_EXIT_OK;
out:
    sodium_memzero(generated, sizeof generated);
    sodium_memzero(hash, sizeof hash);
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static int set_status(lc_cli_t *cli, lc_active_t status) {
    const char *email = NULL;
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    lc_user_t user;
    int rc = email_opt(cli, &email);

    lc_arena_init(&arena, 0, 0);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = lc__cli_open_tenant(cli, &arena, &store, &tenant);
    if (rc == LC_EXIT_OK)
        rc = lc__cli_user_by_email(cli, store, &arena, &tenant, email, &user);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    if (user.status == status) {
        printf("%s (user %lld, tenant %s) is already %s; nothing was changed\n", user.email,
               (long long)user.id, tenant.slug, status == LC_ACTIVE ? "active" : "deactivated");
        rc = LC_EXIT_OK;
        goto out;
    }
    lc_actor_t actor = lc__cli_system_actor(&tenant);
    int src = lc_store_user_set_status(store, &actor, user.id, status);
    if (src == LC_ECONFLICT) {
        lc__cli_err(cli,
                    "%s is the last active Console Admin of tenant %s: give Console Admin to "
                    "another active user first; nothing was changed",
                    user.email, tenant.slug);
        goto out;
    }
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot change the user: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    printf("%s %s (user %lld, tenant %s)%s\n",
           status == LC_DEACTIVATED ? "Deactivated" : "Reactivated", user.email, (long long)user.id,
           tenant.slug,
           status == LC_DEACTIVATED
               ? ": their sessions were ended and their developer tokens stop working"
               : ": they can log in again and their active developer tokens work again");
    rc = LC_EXIT_OK;
out:
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static int deactivate(lc_cli_t *cli) {
    return set_status(cli, LC_DEACTIVATED);
}

static int reactivate(lc_cli_t *cli) {
    return set_status(cli, LC_ACTIVE);
}

static const lc_cli_opt_t create_opts[] = {
    LC__CLI_TENANT_OPT,
    {"email", "EMAIL", "the user's email, unique in the tenant (required)"},
    {"name", "NAME", "the user's name (required)"},
    {"role", "NAME",
     "a role to give, by name (repeatable): \"Console Admin\", \"Learner\", or a "
     "custom role"},
    {"password-from-env", NULL, "Console password from " PASSWORD_ENV},
    {"generate-password", NULL, "generate a Console password and print it once"},
    {NULL, NULL, NULL},
};

static const lc_cli_opt_t list_opts[] = {
    LC__CLI_TENANT_OPT,
    {"query", "Q", "name or email contains Q (any case), or the user's id"},
    {"status", "STATUS", "active or deactivated"},
    {"role", "NAME", "only users holding this role"},
    {NULL, NULL, NULL},
};

static const lc_cli_opt_t email_opts[] = {
    LC__CLI_TENANT_OPT,
    {"email", "EMAIL", "the user's email (required)"},
    {NULL, NULL, NULL},
};

static const lc_cli_cmd_t user_create = {
    .name = "user create",
    .summary = "create a user of a tenant, with roles and optionally a Console password",
    .description = "Creates a user in the tenant. Without --password-from-env or "
                   "--generate-password the user\n"
                   "has no Console login (a learner, say); `lectern user passwd` can give one "
                   "later. The audit\n"
                   "log records the system as actor.",
    .opts = create_opts,
    .run = create,
};

static const lc_cli_cmd_t user_list = {
    .name = "user list",
    .summary = "list the users of a tenant: id, email, name, status, roles",
    .description =
        "Prints a table of the tenant's users (id, email, name, status, roles), filtered by the\n"
        "options given.",
    .opts = list_opts,
    .run = list,
};

static const lc_cli_cmd_t user_passwd = {
    .name = "user passwd",
    .summary = "set a user's Console password and end their sessions",
    .description =
        "Sets the user's Console password from LECTERN_USER_PASSWORD or, when it is not set,\n"
        "generates one and prints it once. Ends the user's Console sessions and lifts a login\n"
        "lockout.",
    .opts = email_opts,
    .run = passwd,
};

static const lc_cli_cmd_t user_deactivate = {
    .name = "user deactivate",
    .summary = "deactivate a user: no login, their developer tokens stop working",
    .description = "Deactivates the user: ends their sessions; their developer tokens stop "
                   "working on the next request.\nRefuses to deactivate the tenant's last active "
                   "Console Admin.",
    .opts = email_opts,
    .run = deactivate,
};

static const lc_cli_cmd_t user_reactivate = {
    .name = "user reactivate",
    .summary = "reactivate a deactivated user",
    .description = "Reactivates the user: they can log in again and their active developer "
                   "tokens work again.",
    .opts = email_opts,
    .run = reactivate,
};

static const lc_cli_cmd_t *const actions[] = {&user_create,     &user_list,       &user_passwd,
                                              &user_deactivate, &user_reactivate, NULL};

const lc_cli_cmd_t lc__cmd_user = {
    .name = "user",
    .summary = "manage the users of a tenant",
    .description = "Manage the users of one tenant (--tenant SLUG). Writes are recorded in the "
                   "tenant's audit\n"
                   "log with the system as actor.",
    .actions = actions,
};
