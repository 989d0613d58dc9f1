/* SPDX-License-Identifier: MIT */
/* `lectern`: one binary, one subcommand per file. main() only dispatches: a command, or a group
 * and one of its actions ("lectern user create"). */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

static const lc_cli_cmd_t *const commands[] = {&lc__cmd_serve,   &lc__cmd_init,   &lc__cmd_demo,
                                               &lc__cmd_tenant,  &lc__cmd_user,   &lc__cmd_token,
                                               &lc__cmd_migrate, &lc__cmd_backup, &lc__cmd_version};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
    fprintf(out,
            "lectern %s - learning-platform server with a GraphQL API opened by developer "
            "tokens\n\nUsage: lectern <command> [options]\n\nCommands:\n",
            LC_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (!commands[i]->actions) {
            fprintf(out, "  %-18s %s\n", commands[i]->name, commands[i]->summary);
            continue;
        }
        for (int k = 0; commands[i]->actions[k]; k++)
            fprintf(out, "  %-18s %s\n", commands[i]->actions[k]->name,
                    commands[i]->actions[k]->summary);
    }
    fprintf(out, "\nRun `lectern <command> --help` for a command's options.\n");
}

static bool is_help(const char *a) {
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0;
}

static const lc_cli_cmd_t *find_command(const char *name) {
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i]->name) == 0)
            return commands[i];
    return NULL;
}

/* The action of group g named `word` ("create" for "user create"), or NULL. */
static const lc_cli_cmd_t *find_action(const lc_cli_cmd_t *g, const char *word) {
    size_t skip = strlen(g->name) + 1;
    for (int i = 0; g->actions[i]; i++)
        if (strcmp(g->actions[i]->name + skip, word) == 0)
            return g->actions[i];
    return NULL;
}

static void unknown_action(const lc_cli_cmd_t *g, const char *word) {
    if (word)
        fprintf(stderr, "lectern %s: unknown action \"%s\"; ", g->name, word);
    else
        fprintf(stderr, "lectern %s: which action? ", g->name);
    fprintf(stderr, "one of: ");
    lc__cli_print_actions(g, stderr);
    fprintf(stderr, " (see lectern %s --help)\n", g->name);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return LC_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (is_help(name)) {
        const lc_cli_cmd_t *cmd = argc > 2 ? find_command(argv[2]) : NULL;
        if (cmd && cmd->actions && argc > 3 && find_action(cmd, argv[3]))
            cmd = find_action(cmd, argv[3]);
        if (cmd)
            lc__cli_print_help(cmd);
        else
            usage(stdout);
        return LC_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    const lc_cli_cmd_t *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "lectern: unknown command \"%s\"\n\n", name);
        usage(stderr);
        return LC_EXIT_USAGE;
    }
    int first = 2; /* argv index of the command's first option */
    if (cmd->actions) {
        if (argc >= 3 && is_help(argv[2])) {
            lc__cli_print_help(cmd);
            return LC_EXIT_OK;
        }
        if (argc < 3 || argv[2][0] == '-') {
            unknown_action(cmd, NULL); /* `lectern user --tenant x`: no action named */
            return LC_EXIT_USAGE;
        }
        const lc_cli_cmd_t *action = find_action(cmd, argv[2]);
        if (!action) {
            unknown_action(cmd, argv[2]);
            return LC_EXIT_USAGE;
        }
        cmd = action;
        first = 3;
    }
    lc_cli_t cli;
    int rc = lc__cli_parse(&cli, cmd, argc - first, argv + first);
    if (rc < 0)
        return LC_EXIT_OK; /* --help */
    if (rc != LC_EXIT_OK)
        return rc;
    rc = cmd->run(&cli);
    lc_config_dispose(&cli.config);
    return rc;
}
