/* SPDX-License-Identifier: MIT */
/* Command-line parsing shared by the subcommands: --option VALUE / --option=VALUE for the
 * subcommand's own options and for every configuration key, then the configuration sources in
 * order of precedence (default < file < environment < flags). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_int.h"
#include "lectern/alloc.h"
#include "lectern/log.h"

static int find_opt(const lc_cli_cmd_t *cmd, lc_str_t name) {
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
        if (lc_str_eq_cstr(name, cmd->opts[i].name))
            return i;
    return -1;
}

const char *lc__cli_opt(const lc_cli_t *cli, const char *name) {
    int i = find_opt(cli->cmd, lc_str_from(name));
    return i >= 0 ? cli->values[i] : NULL;
}

bool lc__cli_flag(const lc_cli_t *cli, const char *name) {
    int i = find_opt(cli->cmd, lc_str_from(name));
    return i >= 0 && cli->given[i];
}

size_t lc__cli_opt_all(const lc_cli_t *cli, const char *name,
                       const char *out[LC_CLI_MAX_OCCURRENCES]) {
    int o = find_opt(cli->cmd, lc_str_from(name));
    size_t n = 0;
    for (int i = 0; o >= 0 && i < cli->nocc; i++)
        if (cli->occ_opt[i] == o)
            out[n++] = cli->occ_value[i];
    return n;
}

void lc__cli_print_actions(const lc_cli_cmd_t *group, FILE *out) {
    size_t skip = strlen(group->name) + 1;
    for (int i = 0; group->actions[i]; i++)
        fprintf(out, "%s%s", i ? ", " : "", group->actions[i]->name + skip);
}

static void print_group_help(const lc_cli_cmd_t *g) {
    size_t skip = strlen(g->name) + 1;
    printf("Usage: lectern %s <action> [options]\n\n%s\n\nActions:\n", g->name, g->description);
    for (int i = 0; g->actions[i]; i++)
        printf("  %-12s %s\n", g->actions[i]->name + skip, g->actions[i]->summary);
    printf("\nRun `lectern %s <action> --help` for an action's options.\n", g->name);
}

void lc__cli_print_help(const lc_cli_cmd_t *cmd) {
    if (cmd->actions) {
        print_group_help(cmd);
        return;
    }
    printf("Usage: lectern %s [options]\n\n%s\n\n", cmd->name, cmd->description);
    if (cmd->opts && cmd->opts[0].name) {
        printf("Options:\n");
        for (int i = 0; cmd->opts[i].name; i++) {
            char left[64];
            snprintf(left, sizeof left, "%s%s%s", cmd->opts[i].name, cmd->opts[i].arg ? " " : "",
                     cmd->opts[i].arg ? cmd->opts[i].arg : "");
            printf("  --%-20s %s\n", left, cmd->opts[i].help);
        }
        printf("\n");
    }
    printf("Configuration (file `key = value`, environment LECTERN_<KEY>, or flag; flags win):\n");
    printf("  --%-20s %s\n", "config FILE",
           "configuration file (also LECTERN_CONFIG; default ./lectern.conf if present)");
    lc_config_print_help(stdout);
}

typedef struct {
    int key;
    const char *value;
    char origin[80];
} pending_t;

int lc__cli_parse(lc_cli_t *cli, const lc_cli_cmd_t *cmd, int argc, char **argv) {
    pending_t *pending = NULL;
    int npending = 0, rc = LC_EXIT_USAGE;
    const char *config_path = NULL;
    bool config_loaded = false;

    memset(cli, 0, sizeof *cli);
    cli->cmd = cmd;
    pending = lc_calloc((size_t)argc + 1, sizeof *pending); /* bounded by argc */
    if (!pending) {
        fprintf(stderr, "lectern: out of memory\n");
        return LC_EXIT_FAIL;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            lc__cli_print_help(cmd);
            rc = -1;
            goto out;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            fprintf(stderr, "lectern %s: unexpected argument \"%s\" (see lectern %s --help)\n",
                    cmd->name, a, cmd->name);
            goto out;
        }
        const char *eq = strchr(a + 2, '=');
        lc_str_t name = lc_str_make(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
        const char *value = eq ? eq + 1 : NULL;
        int o = find_opt(cmd, name);
        bool takes_value = o >= 0 ? cmd->opts[o].arg != NULL : true;
        if (takes_value && !value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lectern %s: option --%.*s needs a value\n", cmd->name,
                        (int)name.len, name.ptr);
                goto out;
            }
            value = argv[++i];
        } else if (!takes_value && value) {
            fprintf(stderr, "lectern %s: option --%.*s takes no value\n", cmd->name, (int)name.len,
                    name.ptr);
            goto out;
        }
        if (o >= 0) {
            if (cli->nocc == LC_CLI_MAX_OCCURRENCES) {
                fprintf(stderr, "lectern %s: more than %d options\n", cmd->name,
                        LC_CLI_MAX_OCCURRENCES);
                goto out;
            }
            cli->values[o] = value;
            cli->given[o] = true;
            cli->occ_opt[cli->nocc] = o;
            cli->occ_value[cli->nocc++] = value;
        } else if (lc_str_eq_cstr(name, "config")) {
            config_path = value;
        } else {
            int k = lc_config_key_find(name);
            if (k < 0) {
                fprintf(stderr, "lectern %s: unknown option --%.*s (see lectern %s --help)\n",
                        cmd->name, (int)name.len, name.ptr, cmd->name);
                goto out;
            }
            pending[npending].key = k;
            pending[npending].value = value;
            snprintf(pending[npending].origin, sizeof pending[npending].origin, "--%.*s",
                     (int)(name.len > 60 ? 60 : name.len), name.ptr);
            npending++;
        }
    }

    if (lc_config_init(&cli->config) != LC_OK) {
        fprintf(stderr, "lectern: out of memory\n");
        rc = LC_EXIT_FAIL;
        goto out;
    }
    config_loaded = true;
    char err[LC_CONFIG_ERR_MAX];
    if (!config_path)
        config_path = getenv("LECTERN_CONFIG");
    bool must_exist = config_path != NULL;
    if (!config_path)
        config_path = "lectern.conf";
    struct stat st;
    if (must_exist || stat(config_path, &st) == 0) {
        if (lc_config_load_file(&cli->config, config_path, err) != LC_OK) {
            fprintf(stderr, "lectern: config: %s\n", err);
            goto out;
        }
    }
    if (lc_config_load_env(&cli->config, err) != LC_OK) {
        fprintf(stderr, "lectern: config: %s\n", err);
        goto out;
    }
    for (int i = 0; i < npending; i++) {
        if (lc_config_set(&cli->config, pending[i].key, lc_str_from(pending[i].value),
                          LC_CFG_SRC_FLAG, pending[i].origin, err) != LC_OK) {
            fprintf(stderr, "lectern: config: %s\n", err);
            goto out;
        }
    }
    lc_log_set_level((lc_log_level_t)cli->config.log_level);
    rc = LC_EXIT_OK;
out:
    if (rc != LC_EXIT_OK && config_loaded)
        lc_config_dispose(&cli->config);
    lc_free(pending);
    return rc;
}

void lc__cli_store_url(const lc_config_t *c, char *out, size_t outlen) {
    if (c->store && c->store[0])
        snprintf(out, outlen, "%s", c->store);
    else
        snprintf(out, outlen, "sqlite:%s/lectern.db", c->data_dir);
}

void lc__cli_store_flags(const lc_config_t *c, char *out, size_t outlen) {
    char masked[4096];
    if (c->store && c->store[0]) {
        lc_config_mask_url(c->store, masked, sizeof masked);
        snprintf(out, outlen, "--store '%s'", masked);
    } else {
        snprintf(out, outlen, "--data-dir %s", c->data_dir);
    }
}

int lc__cli_open_store(const lc_config_t *c, bool create, lc_store_t **out) {
    char url[4096], masked[4096], flags[4200];
    lc__cli_store_url(c, url, sizeof url);
    lc_config_mask_url(url, masked, sizeof masked);
    int rc = lc_store_open(url, create, out);
    if (rc == LC_ENOTFOUND) {
        lc__cli_store_flags(c, flags, sizeof flags);
        fprintf(stderr,
                "lectern: no database at %s: run `lectern init %s` first (or check "
                "--data-dir / --store)\n",
                masked, flags);
        return LC_EXIT_FAIL;
    }
    if (rc != LC_OK) {
        fprintf(stderr, "lectern: cannot open the store %s: %s (details in the log above)\n",
                masked, lc_status_text(rc));
        return LC_EXIT_FAIL;
    }
    return LC_EXIT_OK;
}

int lc__cli_migrate(lc_store_t *s) {
    int applied = 0, current = 0, latest = 0;
    int rc = lc_store_migrate(s, &applied);
    if (rc == LC_EVERSION) {
        if (lc_store_schema_version(s, &current, &latest) == LC_OK)
            fprintf(stderr,
                    "lectern: the database has schema version %d, newer than this binary's %d: "
                    "upgrade lectern (nothing was changed)\n",
                    current, latest);
        else
            fprintf(stderr, "lectern: the database is newer than this binary: upgrade lectern\n");
        return LC_EXIT_FAIL;
    }
    if (rc != LC_OK) {
        fprintf(stderr, "lectern: migration failed: %s (details in the log above)\n",
                lc_status_text(rc));
        return LC_EXIT_FAIL;
    }
    return LC_EXIT_OK;
}
