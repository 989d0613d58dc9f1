/* SPDX-License-Identifier: MIT */
/* Shared by the lectern subcommands: option parsing, configuration loading (file, environment,
 * flags), opening the store the configuration names, serving it, and the helpers of the
 * operator subcommands (tenant, user, token, demo). Private to src/cli. */
#ifndef LECTERN_CLI_INT_H
#define LECTERN_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lectern/arena.h"
#include "lectern/auth.h"
#include "lectern/config.h"
#include "lectern/http.h"
#include "lectern/store.h"

/* Exit codes: 0 success, 1 the operation failed, 2 bad usage or configuration. */
enum { LC_EXIT_OK = 0, LC_EXIT_FAIL = 1, LC_EXIT_USAGE = 2 };

/* An option of one subcommand (beside the configuration keys every subcommand accepts). */
typedef struct lc_cli_opt {
    const char *name; /* without the leading "--" */
    const char *arg;  /* value placeholder for help ("EMAIL"), NULL for a switch */
    const char *help;
} lc_cli_opt_t;

#define LC_CLI_MAX_OPTS 16
/* Occurrences of a subcommand's own options on one command line (repeatable ones included). */
#define LC_CLI_MAX_OCCURRENCES 64

typedef struct lc_cli_cmd lc_cli_cmd_t;

/* The parsed command line of one subcommand. */
typedef struct lc_cli {
    const lc_cli_cmd_t *cmd;
    lc_config_t config;
    const char *values[LC_CLI_MAX_OPTS]; /* borrowed from argv; NULL when absent; the last wins */
    bool given[LC_CLI_MAX_OPTS];
    /* Every occurrence in command-line order (option index, value borrowed from argv). */
    int occ_opt[LC_CLI_MAX_OCCURRENCES];
    const char *occ_value[LC_CLI_MAX_OCCURRENCES];
    int nocc;
} lc_cli_t;

struct lc_cli_cmd {
    const char *name; /* "serve"; an action of a group is named with it: "user create" */
    const char *summary;
    const char *description;
    const lc_cli_opt_t *opts; /* terminated by {NULL} */
    int (*run)(lc_cli_t *cli);
    /* A group of actions ("user"): NULL-terminated, each named "<group> <action>"; run is then
     * NULL and opts unused. */
    const lc_cli_cmd_t *const *actions;
};

/* Parses argv (after the subcommand name) and loads the configuration. Prints help and
 * returns -1 for --help (exit 0); prints the error and returns LC_EXIT_USAGE for bad usage or
 * configuration; LC_EXIT_OK otherwise. On LC_EXIT_OK the caller disposes cli->config. */
int lc__cli_parse(lc_cli_t *cli, const lc_cli_cmd_t *cmd, int argc, char **argv);
/* Value of the subcommand's option `name` (the last one given), or NULL. */
const char *lc__cli_opt(const lc_cli_t *cli, const char *name);
bool lc__cli_flag(const lc_cli_t *cli, const char *name);
/* Every value given to the repeatable option `name`, in order, into out (borrowed from argv);
 * returns how many. */
size_t lc__cli_opt_all(const lc_cli_t *cli, const char *name,
                       const char *out[LC_CLI_MAX_OCCURRENCES]);

/* The store URL the configuration names ("sqlite:<data_dir>/lectern.db" by default), written
 * into out. */
void lc__cli_store_url(const lc_config_t *c, char *out, size_t outlen);
/* The flags that name the same store on another command line, for the "Next: ..." hints:
 * "--data-dir DIR", or "--store 'URL'" with any password masked. */
void lc__cli_store_flags(const lc_config_t *c, char *out, size_t outlen);
/* Opens the store; with `create` false a missing database is an error that says to run
 * `lectern init`. Prints the error and returns LC_EXIT_FAIL, or LC_EXIT_OK with *out owned. */
int lc__cli_open_store(const lc_config_t *c, bool create, lc_store_t **out);
/* Applies pending migrations, printing what happened to the log. LC_EXIT_OK or LC_EXIT_FAIL. */
int lc__cli_migrate(lc_store_t *s);

/* Help of a subcommand, or of a group and its actions, on stdout. */
void lc__cli_print_help(const lc_cli_cmd_t *cmd);
/* The one-line list of a group's actions ("create, list, passwd") for messages. */
void lc__cli_print_actions(const lc_cli_cmd_t *group, FILE *out);

/* ---- Serving (cmd_serve.c) ---- */

/* Called once the server listens: the configured host and the port actually bound. */
typedef void (*lc__cli_listening_fn)(void *ctx, const char *host, unsigned port);
/* Serves the store (borrowed, open and migrated) over HTTP with every route lectern has, as
 * configured in cli->config, until SIGTERM/SIGINT; then stops gracefully. `serve` and `demo`
 * both call it: the routes live here only. on_listening may be NULL. LC_EXIT_OK after a signal,
 * LC_EXIT_FAIL (printed) when the server cannot start. */
int lc__cli_serve(lc_cli_t *cli, lc_store_t *store, lc__cli_listening_fn on_listening, void *ctx);

/* ---- Prometheus /metrics (metrics.c) ---- */

/* What GET /metrics reports on; everything borrowed, alive while the metrics server is. */
typedef struct lc__cli_metrics {
    const lc_http_server_t *api; /* the API's server: its routes' counters */
    lc_auth_t *auth;
    lc_store_t *store;
    int64_t start_s; /* the process's start, unix seconds */
} lc__cli_metrics_t;
/* lc_http_handler_fn of GET /metrics; ctx is an lc__cli_metrics_t. */
int lc__cli_metrics(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp);

/* ---- Helpers of the operator subcommands (support.c) ---- */

/* "lectern <cmd>: " + the message + "\n" on stderr. */
void lc__cli_err(const lc_cli_t *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Input checks, matching what the store accepts. Slug: 1 to LC_LIMIT_TENANT_SLUG_MAX of
 * [a-z0-9-], not starting or ending with '-'. Email: one '@' with text on both sides, a dot in
 * the domain, no white space or control characters. Name: 1 to LC_LIMIT_NAME_MAX bytes of UTF-8
 * without control characters. */
bool lc__cli_valid_slug(const char *s);
bool lc__cli_valid_email(const char *s);
bool lc__cli_valid_name(const char *s);
/* mkdir -p with mode 0700 for what it creates: 0 or an errno value. */
int lc__cli_make_dirs(const char *path);

/* Opens the store of an initialised data directory (never creates one) and applies pending
 * migrations. LC_EXIT_OK with *out owned (lc_store_close), else printed and LC_EXIT_FAIL. */
int lc__cli_open_current(const lc_config_t *c, lc_store_t **out);

/* lc__cli_open_current, then lc__cli_tenant: the store and the tenant every per-tenant action
 * starts from. Returns their LC_EXIT_ code (errors printed). *store is owned (lc_store_close)
 * whenever the store opened, also when the tenant lookup then failed; *t is in the arena. */
int lc__cli_open_tenant(const lc_cli_t *cli, lc_arena_t *a, lc_store_t **store, lc_tenant_t *t);
/* The --tenant option of the per-tenant actions, for their option tables. */
#define LC__CLI_TENANT_OPT                                                                         \
    { "tenant", "SLUG", "the tenant (required; see `lectern tenant list`)" }
/* The system as the actor of an operator's write in tenant t (user 0, no IP), so that the audit
 * event says the command line did it. */
lc_actor_t lc__cli_system_actor(const lc_tenant_t *t);

/* Every tenant, by id (arena). */
int lc__cli_tenants(lc_store_t *s, lc_arena_t *a, lc_tenant_t **out, uint32_t *n) LC_MUST_CHECK;
/* The tenant named by --tenant: LC_EXIT_USAGE when the option is missing or malformed,
 * LC_EXIT_FAIL when there is no such tenant (the message lists those there are). */
int lc__cli_tenant(const lc_cli_t *cli, lc_store_t *s, lc_arena_t *a, lc_tenant_t *out);
/* The user of the tenant with this email (ignoring ASCII case); LC_EXIT_FAIL (printed) when
 * there is none. */
int lc__cli_user_by_email(const lc_cli_t *cli, lc_store_t *s, lc_arena_t *a, const lc_tenant_t *t,
                          const char *email, lc_user_t *out);
/* Every role of the tenant (arena). */
int lc__cli_roles(lc_store_t *s, lc_arena_t *a, int64_t tenant_id, lc_role_t **out,
                  uint32_t *n) LC_MUST_CHECK;
/* The role of the tenant with this name (ignoring ASCII case); LC_EXIT_FAIL (printed, with the
 * roles there are) when there is none. */
int lc__cli_role_by_name(const lc_cli_t *cli, lc_store_t *s, lc_arena_t *a, const lc_tenant_t *t,
                         const char *name, lc_role_t *out);
/* "Console Admin, Support" (arena), "-" for none; NULL when out of memory. */
const char *lc__cli_role_names(lc_arena_t *a, const lc_role_t *roles, uint32_t n);
/* "read:users, update:users" (arena), "(none)" for the empty set; NULL when out of memory. */
const char *lc__cli_perm_names(lc_arena_t *a, lc_permset_t p);

/* A password from the environment variable `var` when it is set: LC_EXIT_OK with *out borrowed
 * from the environment (NULL when unset), LC_EXIT_USAGE (printed) when its length is outside
 * [LC_LIMIT_PASSWORD_MIN, LC_LIMIT_PASSWORD_MAX]. */
int lc__cli_password_env(const lc_cli_t *cli, const char *var, const char **out);
/* The first Console Admin's password (init, tenant create, demo): --admin-password, else
 * LECTERN_ADMIN_PASSWORD, else generated into gen (then *generated is true: print it once).
 * *out is borrowed (argv, environment or gen). LC_EXIT_USAGE (printed) for a bad length,
 * LC_EXIT_FAIL when no password can be generated. Call lc_auth_init first. */
#define LC__CLI_GENERATED_MAX 32
int lc__cli_admin_password(const lc_cli_t *cli, char gen[LC__CLI_GENERATED_MAX], const char **out,
                           bool *generated);
/* Prints a secret (a password, a token) on stdout without passing it through a format string. */
void lc__cli_print_secret(const char *label, const char *secret);
/* The "  password: " line of a generated password and the note that it is shown once. */
void lc__cli_print_generated(const char *password);

/* A tenant and its first Console Admin, as `init` and `tenant create` take them: --tenant,
 * --tenant-name (default: the slug), --admin-email, --admin-name (default: Administrator) and
 * the admin password of lc__cli_admin_password. Strings are borrowed from argv, the environment
 * or `generated`; lc__cli_bootstrap_dispose wipes `generated`. */
typedef struct lc__cli_bootstrap {
    const char *slug, *tenant_name, *email, *admin_name, *password;
    char generated[LC__CLI_GENERATED_MAX];
    bool is_generated;
} lc__cli_bootstrap_t;
/* Reads and checks those options and initialises the crypto library. LC_EXIT_OK, else printed
 * and LC_EXIT_USAGE (bad options) or LC_EXIT_FAIL. Call lc__cli_bootstrap_dispose on every path
 * once this has been called. */
int lc__cli_bootstrap_parse(const lc_cli_t *cli, lc__cli_bootstrap_t *b);
/* Hashes the password and creates the tenant with its built-in roles and its first user.
 * LC_EXIT_OK, else printed and LC_EXIT_FAIL (an existing slug says so). */
int lc__cli_bootstrap_create(const lc_cli_t *cli, lc_store_t *s, const lc__cli_bootstrap_t *b);
/* The "  password: " lines of the summary: the generated password once, or "as given". */
void lc__cli_bootstrap_print_password(const lc__cli_bootstrap_t *b);
void lc__cli_bootstrap_dispose(lc__cli_bootstrap_t *b);

/* Unix seconds as "2025-03-01T14:02Z" (UTC), or `none` for 0. */
#define LC__CLI_TIME_MAX 32
void lc__cli_time(int64_t t, const char *none, char out[LC__CLI_TIME_MAX]);
/* Current unix time. */
int64_t lc__cli_now(void);

/* A text table printed with aligned columns (widths in UTF-8 code points). Cells are borrowed
 * until printed (use the arena or static strings). */
#define LC__CLI_TABLE_MAX_COLS 10
typedef struct lc__cli_table {
    lc_arena_t *arena;
    int ncols;
    const char *const *head;
    const char **cells; /* nrows * ncols */
    size_t nrows, cap;
    int rc; /* LC_ENOMEM once a row could not be kept */
} lc__cli_table_t;
void lc__cli_table_init(lc__cli_table_t *t, lc_arena_t *a, int ncols, const char *const *head);
void lc__cli_table_row(lc__cli_table_t *t, const char *const *cells);
/* LC_OK, or LC_ENOMEM when a row was lost (nothing is printed then). */
int lc__cli_table_print(const lc__cli_table_t *t, FILE *out) LC_MUST_CHECK;
/* The end of a listing: when `src` (the listing's status) is LC_OK, prints the table and, when
 * `noun` is not NULL, a count line "(3 users)"; otherwise says the `what` could not be listed.
 * Returns the exit code. */
int lc__cli_list_finish(lc_cli_t *cli, const lc__cli_table_t *t, int src, const char *what,
                        const char *noun, long long shown);

extern const lc_cli_cmd_t lc__cmd_serve, lc__cmd_init, lc__cmd_demo, lc__cmd_tenant, lc__cmd_user,
    lc__cmd_token, lc__cmd_migrate, lc__cmd_backup, lc__cmd_version;

#endif
