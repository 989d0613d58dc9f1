/* SPDX-License-Identifier: MIT */
/* Configuration: defaults, then a `key = value` file, then LECTERN_* environment variables,
 * then command-line flags; a later source wins. The keys are listed once, in config.def.
 * Every error names the key, the source (file:line, variable, or flag) and the reason. */
#ifndef LECTERN_CONFIG_H
#define LECTERN_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lectern/limits.h"
#include "lectern/status.h"
#include "lectern/str.h"

#define LC_CFG_CTYPE_STR char *
#define LC_CFG_CTYPE_INT int64_t
#define LC_CFG_CTYPE_SIZE int64_t
#define LC_CFG_CTYPE_BOOL bool
#define LC_CFG_CTYPE_LEVEL int64_t
#define LC_CFG_CTYPE_LISTEN char *

typedef enum lc_config_key {
#define LC_CFG(key, type, def, min, max, secret, help) LC_CFG_KEY_##key,
#include "lectern/config.def"
#undef LC_CFG
    LC_CFG_NKEYS
} lc_config_key_t;

typedef enum lc_config_source {
    LC_CFG_SRC_DEFAULT = 0,
    LC_CFG_SRC_FILE,
    LC_CFG_SRC_ENV,
    LC_CFG_SRC_FLAG,
} lc_config_source_t;

typedef struct lc_config {
#define LC_CFG(key, type, def, min, max, secret, help) LC_CFG_CTYPE_##type key;
#include "lectern/config.def"
#undef LC_CFG
    lc_config_source_t source[LC_CFG_NKEYS];
    char listen_host[64]; /* parsed from listen */
    uint16_t listen_port;
    char metrics_host[64]; /* parsed from metrics_listen; "" = off */
    uint16_t metrics_port;
} lc_config_t;

#define LC_CONFIG_ERR_MAX 512

/* Fills defaults. Strings are owned by the config. LC_ENOMEM. */
int lc_config_init(lc_config_t *c) LC_MUST_CHECK;
void lc_config_dispose(lc_config_t *c);

/* Key by name: "max_body_bytes" or the flag spelling "max-body-bytes"; -1 when unknown. */
int lc_config_key_find(lc_str_t name);
const char *lc_config_key_name(int key);

/* Sets one key from text. `origin` names the source for the message ("lectern.conf:3",
 * "LECTERN_THREADS", "--threads"). LC_EINVAL with err filled for a bad value. */
int lc_config_set(lc_config_t *c, int key, lc_str_t value, lc_config_source_t src,
                  const char *origin, char err[LC_CONFIG_ERR_MAX]) LC_MUST_CHECK;

/* Reads a `key = value` file ('#' starts a comment line; values may be "double-quoted").
 * LC_ENOTFOUND if missing, LC_EINVAL for unknown keys, duplicates, bad values or bad lines,
 * LC_ELIMIT for a file past LC_LIMIT_CONFIG_FILE_BYTES; err says which line and why. */
int lc_config_load_file(lc_config_t *c, const char *path,
                        char err[LC_CONFIG_ERR_MAX]) LC_MUST_CHECK;
/* Reads LECTERN_<KEY> for every key (upper case). LC_EINVAL for a bad value. */
int lc_config_load_env(lc_config_t *c, char err[LC_CONFIG_ERR_MAX]) LC_MUST_CHECK;

/* Writes `key = value  # source` lines; secrets masked. */
void lc_config_print(const lc_config_t *c, FILE *out);
/* Writes the key table (flag, variable, default, help) for --help. */
void lc_config_print_help(FILE *out);

/* Copies url into out (truncated to outlen, NUL-terminated) with every password masked: the
 * user information of a URL ("postgres://u:****@h/db") and `password=` values of a libpq
 * key=value string or URL query ("host=h password=****"). */
void lc_config_mask_url(const char *url, char *out, size_t outlen);

#endif
