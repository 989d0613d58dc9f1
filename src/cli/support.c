/* SPDX-License-Identifier: MIT */
/* Helpers of the operator subcommands (init, tenant, user, token, demo): input checks that match
 * the store's, lookups by the names an operator types (tenant slug, email, role name), secrets
 * printed without a format string, times, and aligned tables. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/limits.h"
#include "lectern/password.h"
#include "lectern/str.h"

/* Page size of the lookups below (the store leaves the bound to its caller). */
#define PAGE 100

void lc__cli_err(const lc_cli_t *cli, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "lectern %s: ", cli->cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

bool lc__cli_valid_slug(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > LC_LIMIT_TENANT_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return false;
    return true;
}

/* A pragmatic address check: delivery is not our concern. */
bool lc__cli_valid_email(const char *s) {
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > LC_LIMIT_EMAIL_MAX || !at || at == s || strchr(at + 1, '@') ||
        !strchr(at + 1, '.') || at[1] == '.' || s[n - 1] == '.' || !lc_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return false;
    return true;
}

bool lc__cli_valid_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > LC_LIMIT_NAME_MAX || !lc_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            return false;
    return true;
}

int lc__cli_make_dirs(const char *path) {
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

int lc__cli_open_current(const lc_config_t *c, lc_store_t **out) {
    lc_store_t *s = NULL;
    int rc = lc__cli_open_store(c, false, &s);
    if (rc == LC_EXIT_OK)
        rc = lc__cli_migrate(s);
    if (rc != LC_EXIT_OK) {
        lc_store_close(s);
        return rc;
    }
    *out = s;
    return LC_EXIT_OK;
}

int lc__cli_open_tenant(const lc_cli_t *cli, lc_arena_t *a, lc_store_t **store, lc_tenant_t *t) {
    int rc = lc__cli_open_current(&cli->config, store);
    if (rc == LC_EXIT_OK)
        rc = lc__cli_tenant(cli, *store, a, t);
    return rc;
}

lc_actor_t lc__cli_system_actor(const lc_tenant_t *t) {
    return (lc_actor_t){.tenant_id = t->id, .user_id = 0, .token_id = 0, .ip = NULL};
}

/* The store has no tenant listing: tenants are never deleted and their ids are SQLite rowids
 * handed out without gaps, so reading ids upwards until `count` were found finds them all. The
 * bound on misses keeps a database edited by hand from looping long. */
int lc__cli_tenants(lc_store_t *s, lc_arena_t *a, lc_tenant_t **out, uint32_t *n) {
    int64_t count = 0;
    int rc = lc_store_tenant_count(s, &count);
    if (rc != LC_OK)
        return rc;
    lc_tenant_t *t = lc_arena_calloc(a, (size_t)count + 1, sizeof *t);
    if (!t)
        return LC_ENOMEM;
    uint32_t got = 0;
    int64_t misses = 0;
    for (int64_t id = 1; got < (uint64_t)count && misses < 10000; id++) {
        rc = lc_store_tenant_get(s, a, id, &t[got]);
        if (rc == LC_ENOTFOUND) {
            misses++;
            continue;
        }
        if (rc != LC_OK)
            return rc;
        got++;
    }
    *out = t;
    *n = got;
    return LC_OK;
}

int lc__cli_tenant(const lc_cli_t *cli, lc_store_t *s, lc_arena_t *a, lc_tenant_t *out) {
    const char *slug = lc__cli_opt(cli, "tenant");
    if (!slug || !lc__cli_valid_slug(slug)) {
        lc__cli_err(cli, "--tenant SLUG is required: the tenant's short name (see `lectern "
                         "tenant list`)");
        return LC_EXIT_USAGE;
    }
    int rc = lc_store_tenant_by_slug(s, a, slug, out);
    if (rc == LC_OK)
        return LC_EXIT_OK;
    if (rc != LC_ENOTFOUND) {
        lc__cli_err(cli, "cannot read tenant \"%s\": %s (details in the log above)", slug,
                    lc_status_text(rc));
        return LC_EXIT_FAIL;
    }
    lc_tenant_t *all = NULL;
    uint32_t n = 0;
    fprintf(stderr, "lectern %s: no tenant \"%s\"", cli->cmd->name, slug);
    if (lc__cli_tenants(s, a, &all, &n) == LC_OK) {
        fprintf(stderr, "; tenants: ");
        for (uint32_t i = 0; i < n; i++)
            fprintf(stderr, "%s%s", i ? ", " : "", all[i].slug);
        if (n == 0)
            fprintf(stderr, "none");
    }
    fprintf(stderr, " (create one with `lectern tenant create`)\n");
    return LC_EXIT_FAIL;
}

static bool ascii_ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

int lc__cli_user_by_email(const lc_cli_t *cli, lc_store_t *s, lc_arena_t *a, const lc_tenant_t *t,
                          const char *email, lc_user_t *out) {
    lc_user_filter_t f = {.email_contains = email, .status = -1};
    lc_page_t page = {.after = 0, .first = PAGE};
    lc_page_info_t info;
    for (;;) {
        lc_user_t *users = NULL;
        uint32_t n = 0;
        int rc = lc_store_users_list(s, a, t->id, &f, &page, &users, &n, &info);
        if (rc != LC_OK) {
            lc__cli_err(cli, "cannot read users: %s (details in the log above)",
                        lc_status_text(rc));
            return LC_EXIT_FAIL;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (ascii_ieq(users[i].email, email)) {
                *out = users[i];
                return LC_EXIT_OK;
            }
        }
        if (!info.has_next || n == 0)
            break;
        page.after = users[n - 1].id;
    }
    lc__cli_err(cli, "no user with email %s in tenant %s (see `lectern user list --tenant %s`)",
                email, t->slug, t->slug);
    return LC_EXIT_FAIL;
}

int lc__cli_roles(lc_store_t *s, lc_arena_t *a, int64_t tenant_id, lc_role_t **out, uint32_t *n) {
    lc_page_t page = {.after = 0, .first = PAGE};
    lc_page_info_t info;
    lc_role_t *all = NULL;
    uint32_t got = 0;
    for (;;) {
        lc_role_t *r = NULL;
        uint32_t k = 0;
        int rc = lc_store_roles_list(s, a, tenant_id, &page, &r, &k, &info);
        if (rc != LC_OK)
            return rc;
        lc_role_t *grown = lc_arena_calloc(a, (size_t)got + k + 1, sizeof *grown);
        if (!grown)
            return LC_ENOMEM;
        if (got)
            memcpy(grown, all, got * sizeof *all);
        if (k)
            memcpy(grown + got, r, k * sizeof *r);
        all = grown;
        got += k;
        if (!info.has_next || k == 0)
            break;
        page.after = r[k - 1].id;
    }
    *out = all;
    *n = got;
    return LC_OK;
}

int lc__cli_role_by_name(const lc_cli_t *cli, lc_store_t *s, lc_arena_t *a, const lc_tenant_t *t,
                         const char *name, lc_role_t *out) {
    lc_role_t *roles = NULL;
    uint32_t n = 0;
    int rc = lc__cli_roles(s, a, t->id, &roles, &n);
    if (rc != LC_OK) {
        lc__cli_err(cli, "cannot read roles: %s (details in the log above)", lc_status_text(rc));
        return LC_EXIT_FAIL;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (ascii_ieq(roles[i].name, name)) {
            *out = roles[i];
            return LC_EXIT_OK;
        }
    }
    fprintf(stderr, "lectern %s: no role \"%s\" in tenant %s; roles: ", cli->cmd->name, name,
            t->slug);
    for (uint32_t i = 0; i < n; i++)
        fprintf(stderr, "%s\"%s\"", i ? ", " : "", roles[i].name);
    fputc('\n', stderr);
    return LC_EXIT_FAIL;
}

const char *lc__cli_role_names(lc_arena_t *a, const lc_role_t *roles, uint32_t n) {
    size_t len = 2;
    for (uint32_t i = 0; i < n; i++)
        len += strlen(roles[i].name) + 2;
    char *p = lc_arena_alloc(a, len);
    if (!p)
        return NULL;
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += (size_t)snprintf(p + k, len - k, "%s%s", i ? ", " : "", roles[i].name);
    if (n == 0)
        snprintf(p, len, "-");
    return p;
}

const char *lc__cli_perm_names(lc_arena_t *a, lc_permset_t set) {
    size_t len = sizeof "(none)";
    for (unsigned i = 0; i < LC_PERM_COUNT; i++)
        if (lc_permset_has(set, (lc_perm_t)i))
            len += strlen(lc_perm_name((lc_perm_t)i)) + 2;
    char *p = lc_arena_alloc(a, len);
    if (!p)
        return NULL;
    size_t k = 0;
    snprintf(p, len, "(none)");
    for (unsigned i = 0; i < LC_PERM_COUNT; i++)
        if (lc_permset_has(set, (lc_perm_t)i))
            k +=
                (size_t)snprintf(p + k, len - k, "%s%s", k ? ", " : "", lc_perm_name((lc_perm_t)i));
    return p;
}

int lc__cli_password_env(const lc_cli_t *cli, const char *var, const char **out) {
    const char *pw = getenv(var);
    if (pw) {
        size_t n = strlen(pw);
        if (n < LC_LIMIT_PASSWORD_MIN || n > LC_LIMIT_PASSWORD_MAX) {
            lc__cli_err(cli, "the password in %s must have %d to %d characters", var,
                        LC_LIMIT_PASSWORD_MIN, LC_LIMIT_PASSWORD_MAX);
            return LC_EXIT_USAGE;
        }
    }
    *out = pw;
    return LC_EXIT_OK;
}

int lc__cli_admin_password(const lc_cli_t *cli, char gen[LC__CLI_GENERATED_MAX], const char **out,
                           bool *generated) {
    const char *pw = lc__cli_opt(cli, "admin-password");
    *generated = false;
    if (!pw)
        pw = getenv("LECTERN_ADMIN_PASSWORD");
    if (pw) {
        size_t n = strlen(pw);
        if (n < LC_LIMIT_PASSWORD_MIN || n > LC_LIMIT_PASSWORD_MAX) {
            lc__cli_err(cli, "the admin password must have %d to %d characters",
                        LC_LIMIT_PASSWORD_MIN, LC_LIMIT_PASSWORD_MAX);
            return LC_EXIT_USAGE;
        }
        *out = pw;
        return LC_EXIT_OK;
    }
    if (lc_password_generate(gen, LC_PASSWORD_GENERATED_LEN + 1) != LC_OK) {
        lc__cli_err(cli, "cannot generate a password");
        return LC_EXIT_FAIL;
    }
    *out = gen;
    *generated = true;
    return LC_EXIT_OK;
}

void lc__cli_print_secret(const char *label, const char *secret) {
    fputs(label, stdout);
    fputs(secret, stdout);
    fputc('\n', stdout);
}

/* ---- Tenant bootstrap (init, tenant create) ---- */

int lc__cli_bootstrap_parse(const lc_cli_t *cli, lc__cli_bootstrap_t *b) {
    memset(b, 0, sizeof *b);
    b->slug = lc__cli_opt(cli, "tenant");
    b->tenant_name = lc__cli_opt(cli, "tenant-name");
    b->email = lc__cli_opt(cli, "admin-email");
    b->admin_name = lc__cli_opt(cli, "admin-name");
    if (!b->slug || !lc__cli_valid_slug(b->slug)) {
        lc__cli_err(cli,
                    "--tenant SLUG is required: 1 to %d lower-case letters, digits or '-', not "
                    "starting or ending with '-'",
                    LC_LIMIT_TENANT_SLUG_MAX);
        return LC_EXIT_USAGE;
    }
    if (!b->email || !lc__cli_valid_email(b->email)) {
        lc__cli_err(cli, "--admin-email EMAIL is required and must be an email address such as "
                         "admin@example.com");
        return LC_EXIT_USAGE;
    }
    if (!b->tenant_name)
        b->tenant_name = b->slug;
    if (!b->admin_name)
        b->admin_name = "Administrator";
    if (!lc__cli_valid_name(b->tenant_name) || !lc__cli_valid_name(b->admin_name)) {
        lc__cli_err(cli,
                    "names must be 1 to %d characters of UTF-8 text without control "
                    "characters",
                    LC_LIMIT_NAME_MAX);
        return LC_EXIT_USAGE;
    }
    if (lc_auth_init() != LC_OK) {
        lc__cli_err(cli, "cannot initialise the crypto library");
        return LC_EXIT_FAIL;
    }
    return lc__cli_admin_password(cli, b->generated, &b->password, &b->is_generated);
}

int lc__cli_bootstrap_create(const lc_cli_t *cli, lc_store_t *s, const lc__cli_bootstrap_t *b) {
    char hash[LC_PASSWORD_HASH_MAX];
    int rc = LC_EXIT_FAIL;
    if (lc_password_hash(b->password, strlen(b->password), hash) != LC_OK) {
        lc__cli_err(cli, "cannot hash the password (out of memory?)");
        goto out;
    }
    lc_store_bootstrap_t sb = {.tenant_slug = b->slug,
                               .tenant_name = b->tenant_name,
                               .admin_email = b->email,
                               .admin_name = b->admin_name,
                               .admin_password_hash = hash};
    int64_t tenant_id = 0, user_id = 0;
    int src = lc_store_bootstrap_tenant(s, &sb, &tenant_id, &user_id);
    if (src == LC_EEXIST) {
        lc__cli_err(cli, "tenant \"%s\" already exists; nothing was changed", b->slug);
        goto out;
    }
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot create the tenant: %s", lc_status_text(src));
        goto out;
    }
    rc = LC_EXIT_OK;
out:
    sodium_memzero(hash, sizeof hash);
    return rc;
}

void lc__cli_bootstrap_print_password(const lc__cli_bootstrap_t *b) {
    if (b->is_generated) {
        lc__cli_print_generated(b->generated);
    } else {
        printf("  password: as given\n");
    }
}

void lc__cli_bootstrap_dispose(lc__cli_bootstrap_t *b) {
    sodium_memzero(b->generated, sizeof b->generated);
}

void lc__cli_print_generated(const char *password) {
    lc__cli_print_secret("  password: ", password);
    printf("  (generated: shown this once, store it now)\n");
}

void lc__cli_time(int64_t t, const char *none, char out[LC__CLI_TIME_MAX]) {
    struct tm tm;
    time_t tt = (time_t)t;
    if (t == 0 || !gmtime_r(&tt, &tm)) {
        snprintf(out, LC__CLI_TIME_MAX, "%s", none);
        return;
    }
    strftime(out, LC__CLI_TIME_MAX, "%Y-%m-%dT%H:%MZ", &tm);
}

int64_t lc__cli_now(void) {
    return (int64_t)time(NULL);
}

/* ---- Tables ---- */

void lc__cli_table_init(lc__cli_table_t *t, lc_arena_t *a, int ncols, const char *const *head) {
    memset(t, 0, sizeof *t);
    t->arena = a;
    t->ncols = ncols < LC__CLI_TABLE_MAX_COLS ? ncols : LC__CLI_TABLE_MAX_COLS;
    t->head = head;
}

void lc__cli_table_row(lc__cli_table_t *t, const char *const *cells) {
    if (t->rc != LC_OK)
        return;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        const char **c = lc_arena_calloc(t->arena, cap * (size_t)t->ncols, sizeof *c);
        if (!c) {
            t->rc = LC_ENOMEM;
            return;
        }
        if (t->nrows)
            memcpy(c, t->cells, t->nrows * (size_t)t->ncols * sizeof *c);
        t->cells = c;
        t->cap = cap;
    }
    for (int i = 0; i < t->ncols; i++)
        t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = cells[i] ? cells[i] : "";
    t->nrows++;
}

/* Display width: code points (continuation bytes do not count). */
static size_t width(const char *s) {
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void print_row(const lc__cli_table_t *t, const char *const *cells, const size_t *w,
                      FILE *out) {
    for (int i = 0; i < t->ncols; i++) {
        fputs(cells[i], out);
        if (i + 1 == t->ncols)
            break;
        for (size_t k = width(cells[i]); k < w[i] + 2; k++)
            fputc(' ', out);
    }
    fputc('\n', out);
}

int lc__cli_table_print(const lc__cli_table_t *t, FILE *out) {
    size_t w[LC__CLI_TABLE_MAX_COLS] = {0};
    if (t->rc != LC_OK)
        return t->rc;
    for (int i = 0; i < t->ncols; i++)
        w[i] = width(t->head[i]);
    for (size_t r = 0; r < t->nrows; r++)
        for (int i = 0; i < t->ncols; i++) {
            size_t k = width(t->cells[r * (size_t)t->ncols + (size_t)i]);
            if (k > w[i])
                w[i] = k;
        }
    print_row(t, t->head, w, out);
    for (size_t r = 0; r < t->nrows; r++)
        print_row(t, t->cells + r * (size_t)t->ncols, w, out);
    return LC_OK;
}

int lc__cli_list_finish(lc_cli_t *cli, const lc__cli_table_t *t, int src, const char *what,
                        const char *noun, long long shown) {
    if (src == LC_OK)
        src = lc__cli_table_print(t, stdout);
    if (src != LC_OK) {
        lc__cli_err(cli, "cannot list the %s: %s (details in the log above)", what,
                    lc_status_text(src));
        return LC_EXIT_FAIL;
    }
    if (noun)
        printf("(%lld %s%s)\n", shown, noun, shown == 1 ? "" : "s");
    return LC_EXIT_OK;
}
