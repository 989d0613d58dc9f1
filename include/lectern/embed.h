/* SPDX-License-Identifier: MIT */
/* Files embedded into the binary at build time by cmake/embed.cmake (migrations, schema,
 * Console assets). Tables end with an entry whose name is NULL. Static storage. */
#ifndef LECTERN_EMBED_H
#define LECTERN_EMBED_H

#include <stddef.h>

typedef struct lc_embed_file {
    const char *name;          /* base file name, e.g. "0001_init.sql" */
    const unsigned char *data; /* NUL-terminated (the NUL is not counted in len) */
    size_t len;
} lc_embed_file_t;

#endif
