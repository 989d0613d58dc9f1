/* SPDX-License-Identifier: MIT */
/* `lectern version`: the binary's version and the libraries it runs with. */
#include <microhttpd.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cli_int.h"

static int run(lc_cli_t *cli) {
    (void)cli;
    printf("lectern %s\n", LC_VERSION);
    printf("libmicrohttpd %s, SQLite %s\n", MHD_get_version(), sqlite3_libversion());
    return LC_EXIT_OK;
}

static const lc_cli_opt_t opts[] = {{NULL, NULL, NULL}};

const lc_cli_cmd_t lc__cmd_version = {
    .name = "version",
    .summary = "print the version of lectern and of its libraries",
    .description = "Prints the version of lectern and of the libraries it was built with.",
    .opts = opts,
    .run = run,
};
