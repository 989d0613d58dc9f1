/* SPDX-License-Identifier: MIT */
/* Shared by the lectern subcommands: option parsing, configuration loading (file, environment,
 * flags), and opening the store the configuration names. Private to src/cli. */
#ifndef LECTERN_CLI_INT_H
#define LECTERN_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/config.h"
#include "lectern/store.h"

/* Exit codes: 0 success, 1 the operation failed, 2 bad usage or configuration. */
enum { LC_EXIT_OK = 0, LC_EXIT_FAIL = 1, LC_EXIT_USAGE = 2 };

/* An option of one subcommand (beside the configuration keys every subcommand accepts). */
typedef struct lc_cli_opt {
    const char *name;  /* without the leading "--" */
    const char *arg;   /* value placeholder for help ("EMAIL"), NULL for a switch */
    const char *help;
} lc_cli_opt_t;

#define LC_CLI_MAX_OPTS 16

typedef struct lc_cli_cmd lc_cli_cmd_t;

/* The parsed command line of one subcommand. */
typedef struct lc_cli {
    const lc_cli_cmd_t *cmd;
    lc_config_t config;
    const char *values[LC_CLI_MAX_OPTS]; /* borrowed from argv; NULL when absent */
    bool given[LC_CLI_MAX_OPTS];
} lc_cli_t;

struct lc_cli_cmd {
    const char *name;
    const char *summary;
    const char *description;
    const lc_cli_opt_t *opts; /* terminated by {NULL} */
    int (*run)(lc_cli_t *cli);
};

/* Parses argv (after the subcommand name) and loads the configuration. Prints help and
 * returns -1 for --help (exit 0); prints the error and returns LC_EXIT_USAGE for bad usage or
 * configuration; LC_EXIT_OK otherwise. On LC_EXIT_OK the caller disposes cli->config. */
int lc__cli_parse(lc_cli_t *cli, const lc_cli_cmd_t *cmd, int argc, char **argv);
/* Value of the subcommand's option `name`, or NULL. */
const char *lc__cli_opt(const lc_cli_t *cli, const char *name);
bool lc__cli_flag(const lc_cli_t *cli, const char *name);

/* The store URL the configuration names ("sqlite:<data_dir>/lectern.db" by default), written
 * into out. */
void lc__cli_store_url(const lc_config_t *c, char *out, size_t outlen);
/* Opens the store; with `create` false a missing database is an error that says to run
 * `lectern init`. Prints the error and returns LC_EXIT_FAIL, or LC_EXIT_OK with *out owned. */
int lc__cli_open_store(const lc_config_t *c, bool create, lc_store_t **out);
/* Applies pending migrations, printing what happened to the log. LC_EXIT_OK or LC_EXIT_FAIL. */
int lc__cli_migrate(lc_store_t *s);

void lc__cli_print_help(const lc_cli_cmd_t *cmd);

extern const lc_cli_cmd_t lc__cmd_serve, lc__cmd_init, lc__cmd_migrate, lc__cmd_version;

#endif
