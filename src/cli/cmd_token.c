/* SPDX-License-Identifier: MIT */
/* `lectern token list|create|deactivate|reactivate`: developer tokens of one tenant, for
 * operators. `create` makes a token for a user, as that user would in the Console: the secret is
 * generated here, printed once on stdout and wiped; the store gets only its hash and hint. The
 * token's optional permission subset must lie within the user's live permissions. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"
#include "lectern/token.h"

#define PAGE 100

/* What a token is now, as the API says it: expired once its expiry has passed, whatever its
 * stored status. */
static const char *token_status(const lc_devtoken_t *t, int64_t now) {
    if (t->expires_at && t->expires_at <= now)
        return "expired";
    return t->status == LC_ACTIVE ? "active" : "deactivated";
}

/* "YYYY-MM-DD" -> 00:00 UTC of that day. false for anything else (also 2025-02-30). */
static bool parse_date(const char *s, int64_t *out) {
    struct tm tm = {0};
    int64_t y = 0, m = 0, d = 0;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        lc_str_to_i64(lc_str_make(s, 4), 1970, 9999, &y) != LC_OK ||
        lc_str_to_i64(lc_str_make(s + 5, 2), 1, 12, &m) != LC_OK ||
        lc_str_to_i64(lc_str_make(s + 8, 2), 1, 31, &d) != LC_OK)
        return false;
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)m - 1;
    tm.tm_mday = (int)d;
    time_t t = timegm(&tm);
    struct tm back;
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != (int)d ||
        back.tm_mon != (int)m - 1)
        return false;
    *out = (int64_t)t;
    return true;
}

/* The --permission values (repeatable, each may be a comma-separated list) as a set.
 * LC_EXIT_USAGE (printed, with the catalog) for a name the catalog does not have. */
static int parse_permissions(const lc_cli_t *cli, lc_permset_t *out, bool *any) {
    const char *vals[LC_CLI_MAX_OCCURRENCES];
    size_t n = lc__cli_opt_all(cli, "permission", vals);
    lc_permset_t set = LC_PERMSET_NONE;
    *any = n > 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = vals[i];
        for (;;) {
            while (*p == ' ' || *p == ',')
                p++;
            if (!*p)
                break;
            size_t len = strcspn(p, ", ");
            lc_perm_t perm;
            if (lc_perm_parse(lc_str_make(p, len), &perm) != LC_OK) {
                fprintf(stderr, "lectern %s: unknown permission \"%.*s\"; the catalog has: ",
                        cli->cmd->name, (int)(len > 64 ? 64 : len), p);
                for (unsigned k = 0; k < LC_PERM_COUNT; k++)
                    fprintf(stderr, "%s%s", k ? ", " : "", lc_perm_name((lc_perm_t)k));
                fputc('\n', stderr);
                return LC_EXIT_USAGE;
            }
            set |= lc_permset_of(perm);
            p += len;
        }
    }
    if (*any && set == LC_PERMSET_NONE) {
        lc__cli_err(cli, "--permission names no permission");
        return LC_EXIT_USAGE;
    }
    *out = set;
    return LC_EXIT_OK;
}

static int create(lc_cli_t *cli) {
    const char *email = lc__cli_opt(cli, "user"), *name = lc__cli_opt(cli, "name");
    const char *expires = lc__cli_opt(cli, "expires");
    char secret[LC_TOKEN_LEN + 1] = {0};
    uint8_t hash[LC_TOKEN_HASH_LEN] = {0};
    char hint[LC_TOKEN_HINT_MAX] = {0};
    lc_permset_t subset = LC_PERMSET_NONE, held = LC_PERMSET_NONE;
    bool has_subset = false;
    int64_t expires_at = 0;
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    lc_user_t user;
    int rc = LC_EXIT_USAGE;

    lc_arena_init(&arena, 0, 0);
    if (!email || !lc__cli_valid_email(email)) {
        lc__cli_err(cli, "--user EMAIL is required: the email of the user the token acts for");
        goto out;
    }
    if (!name || !lc__cli_valid_name(name)) {
        lc__cli_err(cli,
                    "--name NAME is required: 1 to %d characters of UTF-8 text without "
                    "control characters",
                    LC_LIMIT_NAME_MAX);
        goto out;
    }
    if (expires && !parse_date(expires, &expires_at)) {
        lc__cli_err(cli, "--expires must be a date YYYY-MM-DD, not \"%s\"", expires);
        goto out;
    }
    if (expires && expires_at <= lc__cli_now()) {
        lc__cli_err(cli,
                    "--expires %s is not in the future (the token expires at 00:00 UTC on "
                    "that day)",
                    expires);
        goto out;
    }
    rc = parse_permissions(cli, &subset, &has_subset);
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
    if (user.status != LC_ACTIVE) {
        lc__cli_err(cli,
                    "%s is deactivated: a deactivated user's tokens do not work "
                    "(reactivate them first); nothing was changed",
                    user.email);
        goto out;
    }
    lc_active_t status;
    int src = lc_store_user_permissions(store, tenant.id, user.id, &held, &status);
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot read the user's permissions: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    /* No escalation: a subset can only name what the creator holds now. */
    if (has_subset && !lc_permset_subset(subset, held)) {
        lc__cli_err(cli,
                    "%s does not hold %s, so a token of theirs cannot carry it (they hold: %s); "
                    "nothing was changed",
                    user.email, lc__cli_perm_names(&arena, subset & ~held),
                    lc__cli_perm_names(&arena, held));
        goto out;
    }
    if (lc_token_generate(secret) != LC_OK) {
        lc__cli_err(cli, "cannot generate a token");
        goto out;
    }
    lc_token_hash(lc_str_make(secret, LC_TOKEN_LEN), hash);
    lc_token_hint(lc_str_make(secret, LC_TOKEN_LEN), hint);
    lc_actor_t actor = lc__cli_system_actor(&tenant);
    lc_token_new_t t = {.creator_id = user.id,
                        .name = name,
                        .hash = hash,
                        .hint = hint,
                        .has_subset = has_subset,
                        .subset = subset,
                        .expires_at = expires_at};
    int64_t id = 0;
    src = lc_store_token_create(store, &actor, &t, &id);
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot create the token: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    char when[LC__CLI_TIME_MAX];
    lc__cli_time(expires_at, "never", when);
    printf("Created developer token %lld \"%s\" (%s) for %s in tenant %s\n", (long long)id, name,
           hint, user.email, tenant.slug);
    if (has_subset)
        printf("  permissions: %s (as long as %s holds them)\n", lc__cli_perm_names(&arena, subset),
               user.email);
    else
        printf("  permissions: all of %s's, live (now: %s)\n", user.email,
               held == LC_PERMSET_ALL ? "every permission" : lc__cli_perm_names(&arena, held));
    printf("  expires:     %s\n", when);
    lc__cli_print_secret("  token:       ", secret);
    printf("Copy the token now: it will not be shown again (lectern keeps only its hash).\n");
    if (held == LC_PERMSET_NONE)
        printf("Note: %s holds no permission now, so the token can do nothing until they get "
               "a role that grants some.\n",
               user.email);
    rc = LC_EXIT_OK;
out:
    sodium_memzero(secret, sizeof secret);
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static int list(lc_cli_t *cli) {
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    lc_arena_init(&arena, 0, 0);
    int rc = lc__cli_open_tenant(cli, &arena, &store, &tenant);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    static const char *const head[] = {"id",      "name",      "hint",    "creator",    "status",
                                       "created", "last used", "expires", "permissions"};
    lc__cli_table_t t;
    lc__cli_table_init(&t, &arena, 9, head);
    lc_page_t page = {.after = 0, .first = PAGE};
    lc_page_info_t info;
    int64_t now = lc__cli_now(), shown = 0;
    int src = LC_OK;
    for (;;) {
        lc_devtoken_t *tokens = NULL;
        uint32_t n = 0;
        src = lc_store_tokens_list(store, &arena, tenant.id, NULL, &page, &tokens, &n, &info);
        for (uint32_t i = 0; i < n && src == LC_OK; i++) {
            const lc_devtoken_t *k = &tokens[i];
            lc_user_t creator;
            src = lc_store_user_get(store, &arena, tenant.id, k->creator_id, &creator);
            if (src != LC_OK)
                break;
            char created[LC__CLI_TIME_MAX], used[LC__CLI_TIME_MAX], exp[LC__CLI_TIME_MAX];
            lc__cli_time(k->created_at, "-", created);
            lc__cli_time(k->last_used_at, "never", used);
            lc__cli_time(k->expires_at, "never", exp);
            const char *row[] = {
                lc_arena_printf(&arena, "%lld", (long long)k->id),
                k->name,
                k->hint,
                creator.email,
                token_status(k, now),
                lc_arena_strdup(&arena, created),
                k->last_used_ip ? lc_arena_printf(&arena, "%s from %s", used, k->last_used_ip)
                                : lc_arena_strdup(&arena, used),
                lc_arena_strdup(&arena, exp),
                k->has_subset ? lc__cli_perm_names(&arena, k->subset) : "all of the creator's",
            };
            lc__cli_table_row(&t, row);
            shown++;
        }
        if (src != LC_OK || !info.has_next || n == 0)
            break;
        page.after = tokens[n - 1].id;
    }
    rc = lc__cli_list_finish(cli, &t, src, "tokens", "token", shown);
out:
    lc_store_close(store);
    lc_arena_dispose(&arena);
    return rc;
}

static int set_status(lc_cli_t *cli, lc_active_t status) {
    const char *id_text = lc__cli_opt(cli, "id");
    int64_t id = 0;
    lc_store_t *store = NULL;
    lc_arena_t arena;
    lc_tenant_t tenant;
    lc_devtoken_t tok;
    int rc = LC_EXIT_USAGE;

    lc_arena_init(&arena, 0, 0);
    if (!id_text || lc_str_to_i64(lc_str_from(id_text), 1, INT64_MAX, &id) != LC_OK) {
        lc__cli_err(cli, "--id ID is required: the token's id (see `lectern token list`)");
        goto out;
    }
    rc = lc__cli_open_tenant(cli, &arena, &store, &tenant);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    int src = lc_store_token_get(store, &arena, tenant.id, id, &tok);
    if (src == LC_ENOTFOUND) {
        lc__cli_err(cli,
                    "no token with id %lld in tenant %s (see `lectern token list --tenant %s`)",
                    (long long)id, tenant.slug, tenant.slug);
        goto out;
    }
    if (src == LC_OK && tok.status != status) {
        lc_actor_t actor = lc__cli_system_actor(&tenant);
        src = lc_store_token_update(store, &actor, id, NULL, (int)status);
    } else if (src == LC_OK) {
        printf("Token %lld \"%s\" (%s) is already %s; nothing was changed\n", (long long)id,
               tok.name, tok.hint, status == LC_ACTIVE ? "active" : "deactivated");
        rc = LC_EXIT_OK;
        goto out;
    }
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot change the token: %s (details in the log above)",
                    lc_status_text(src));
        goto out;
    }
    printf("%s token %lld \"%s\" (%s) of tenant %s\n",
           status == LC_ACTIVE ? "Reactivated" : "Deactivated", (long long)id, tok.name, tok.hint,
           tenant.slug);
    if (status == LC_ACTIVE && tok.expires_at && tok.expires_at <= lc__cli_now())
        printf("Note: the token has expired, so it still does not work.\n");
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
    {"user", "EMAIL", "the user the token acts for: its creator, for good (required)"},
    {"name", "NAME", "what the token is for, e.g. \"HRIS sync\" (required)"},
    {"expires", "YYYY-MM-DD", "the token stops working at 00:00 UTC on this day (default: never)"},
    {"permission", "P",
     "limit the token to permission P, e.g. read:users (repeatable or comma-separated; each must "
     "be one the user holds; default: all of the user's, live)"},
    {NULL, NULL, NULL},
};

static const lc_cli_opt_t list_opts[] = {LC__CLI_TENANT_OPT, {NULL, NULL, NULL}};

static const lc_cli_opt_t id_opts[] = {
    LC__CLI_TENANT_OPT,
    {"id", "ID", "the token's id, from `lectern token list` (required)"},
    {NULL, NULL, NULL},
};

static const lc_cli_cmd_t token_list = {
    .name = "token list",
    .summary = "list the developer tokens of a tenant",
    .description =
        "Prints a table of the tenant's developer tokens: id, name, hint, creator, status "
        "(active,\n"
        "deactivated or expired), created, last used (time and IP), expiry and permission subset.\n"
        "Secrets are never stored, so never shown.",
    .opts = list_opts,
    .run = list,
};

static const lc_cli_cmd_t token_create = {
    .name = "token create",
    .summary = "generate a developer token for a user and print it once",
    .description =
        "Generates a developer token for the user, as they would in the Console, and prints it "
        "once\n"
        "on stdout. lectern stores only its SHA-256 hash and a hint. The token can do what its\n"
        "creator can do at each request, within the --permission subset if one is given. The "
        "audit\n"
        "log records the system as actor.",
    .opts = create_opts,
    .run = create,
};

static const lc_cli_cmd_t token_deactivate = {
    .name = "token deactivate",
    .summary = "deactivate a developer token: it stops working at once",
    .description = "Deactivates the token: requests with it are refused from the next one on.",
    .opts = id_opts,
    .run = deactivate,
};

static const lc_cli_cmd_t token_reactivate = {
    .name = "token reactivate",
    .summary = "reactivate a deactivated developer token",
    .description = "Reactivates the token (an expired token stays expired).",
    .opts = id_opts,
    .run = reactivate,
};

static const lc_cli_cmd_t *const actions[] = {&token_list, &token_create, &token_deactivate,
                                              &token_reactivate, NULL};

const lc_cli_cmd_t lc__cmd_token = {
    .name = "token",
    .summary = "manage the developer tokens of a tenant",
    .description =
        "Manage the developer tokens of one tenant (--tenant SLUG). Writes are recorded in the\n"
        "tenant's audit log with the system as actor.",
    .actions = actions,
};
