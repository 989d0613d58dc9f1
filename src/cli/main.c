/* SPDX-License-Identifier: MIT */
/* `lectern`: one binary, one subcommand per file. main() only dispatches. */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

static const lc_cli_cmd_t *const commands[] = {&lc__cmd_serve, &lc__cmd_init, &lc__cmd_migrate,
                                               &lc__cmd_version};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
    fprintf(out, "lectern %s - learning-platform server with a GraphQL API opened by developer "
                 "tokens\n\nUsage: lectern <command> [options]\n\nCommands:\n",
            LC_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\nRun `lectern <command> --help` for a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return LC_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2)
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (strcmp(argv[2], commands[i]->name) == 0) {
                    lc__cli_print_help(commands[i]);
                    return LC_EXIT_OK;
                }
        usage(stdout);
        return LC_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(name, commands[i]->name) != 0)
            continue;
        lc_cli_t cli;
        int rc = lc__cli_parse(&cli, commands[i], argc - 2, argv + 2);
        if (rc < 0)
            return LC_EXIT_OK; /* --help */
        if (rc != LC_EXIT_OK)
            return rc;
        rc = commands[i]->run(&cli);
        lc_config_dispose(&cli.config);
        return rc;
    }
    fprintf(stderr, "lectern: unknown command \"%s\"\n\n", name);
    usage(stderr);
    return LC_EXIT_USAGE;
}
