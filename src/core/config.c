/* SPDX-License-Identifier: MIT */
/* Configuration sources and validation, driven by the key table in config.def. */
#include "lectern/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/alloc.h"
#include "lectern/log.h"
#include "lectern/netaddr.h"

typedef enum { T_STR, T_INT, T_SIZE, T_BOOL, T_LEVEL, T_LISTEN } ktype_t;

typedef struct {
    const char *name;
    ktype_t type;
    const char *def;
    int64_t min, max;
    bool secret;
    const char *help;
    size_t offset;
} keydef_t;

static const keydef_t keys[LC_CFG_NKEYS] = {
#define LC_CFG(key, type, def, min, max, secret, help)                                             \
    {#key, T_##type, def, min, max, secret, help, offsetof(lc_config_t, key)},
#include "lectern/config.def"
#undef LC_CFG
};

static const char *const source_names[] = {"default", "file", "env", "flag"};

static void *field(lc_config_t *c, int k) {
    return (char *)c + keys[k].offset;
}

static const void *cfield(const lc_config_t *c, int k) {
    return (const char *)c + keys[k].offset;
}

int lc_config_key_find(lc_str_t name) {
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        const char *n = keys[k].name;
        size_t len = strlen(n);
        if (len != name.len)
            continue;
        size_t i = 0;
        for (; i < len; i++) {
            char c = name.ptr[i] == '-' ? '_' : name.ptr[i];
            if (c != n[i])
                break;
        }
        if (i == len)
            return k;
    }
    return -1;
}

const char *lc_config_key_name(int key) {
    return key >= 0 && key < LC_CFG_NKEYS ? keys[key].name : NULL;
}

/* "HOST:PORT", "[v6]:PORT"; host must be non-empty. */
static int parse_listen(lc_str_t v, char host[64], uint16_t *port) {
    lc_str_t h, p;
    if (v.len && v.ptr[0] == '[') {
        const char *close = memchr(v.ptr, ']', v.len);
        if (!close || (size_t)(close - v.ptr) + 1 >= v.len || close[1] != ':')
            return LC_EINVAL;
        h = lc_str_make(v.ptr + 1, (size_t)(close - v.ptr) - 1);
        p = lc_str_make(close + 2, v.len - (size_t)(close - v.ptr) - 2);
    } else {
        const char *colon = NULL;
        for (size_t i = v.len; i > 0; i--)
            if (v.ptr[i - 1] == ':') {
                colon = v.ptr + i - 1;
                break;
            }
        if (!colon)
            return LC_EINVAL;
        h = lc_str_make(v.ptr, (size_t)(colon - v.ptr));
        p = lc_str_make(colon + 1, v.len - h.len - 1);
        if (memchr(h.ptr, ':', h.len))
            return LC_EINVAL; /* bare IPv6 needs brackets */
    }
    if (h.len == 0 || h.len >= 64)
        return LC_EINVAL;
    for (size_t i = 0; i < h.len; i++)
        if (!isalnum((unsigned char)h.ptr[i]) && !strchr(".-:", h.ptr[i]))
            return LC_EINVAL;
    int64_t n;
    if (lc_str_to_i64(p, 0, 65535, &n) != LC_OK)
        return LC_EINVAL;
    memcpy(host, h.ptr, h.len);
    host[h.len] = '\0';
    *port = (uint16_t)n;
    return LC_OK;
}

int lc_config_set(lc_config_t *c, int k, lc_str_t v, lc_config_source_t src, const char *origin,
                  char err[LC_CONFIG_ERR_MAX]) {
    if (k < 0 || k >= LC_CFG_NKEYS) {
        snprintf(err, LC_CONFIG_ERR_MAX, "%s: unknown configuration key", origin);
        return LC_EINVAL;
    }
    const keydef_t *d = &keys[k];
    if (!v.ptr)
        v = lc_str_make("", 0); /* LC_STR_NULL: no NULL reaches memchr or "%.*s" */
    int64_t n = 0;
    int rc = LC_OK;
    switch (d->type) {
    case T_STR:
    case T_LISTEN: {
        if (memchr(v.ptr, '\0', v.len)) {
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: %s must not contain a NUL byte", origin, d->name);
            return LC_EINVAL;
        }
        char host[sizeof c->listen_host] = {0};
        uint16_t port = 0;
        bool off = d->type == T_LISTEN && k != LC_CFG_KEY_listen && v.len == 0;
        if (d->type == T_LISTEN && !off && parse_listen(v, host, &port) != LC_OK) {
            snprintf(err, LC_CONFIG_ERR_MAX,
                     "%s: bad value \"%.*s\" for %s: expected HOST:PORT, e.g. 127.0.0.1:8080 or "
                     "[::1]:8080, with PORT from 0 to 65535%s",
                     origin, (int)(v.len > 100 ? 100 : v.len), v.ptr, d->name,
                     k == LC_CFG_KEY_listen ? "" : ", or nothing for off");
            return LC_EINVAL;
        }
        if (d->type == T_STR && k == LC_CFG_KEY_data_dir && v.len == 0) {
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: %s must not be empty", origin, d->name);
            return LC_EINVAL;
        }
        if (k == LC_CFG_KEY_trusted_proxies) {
            lc_cidr_list_t list;
            char why[200];
            if (lc_cidr_list_parse(v, &list, why, sizeof why) != LC_OK) {
                snprintf(err, LC_CONFIG_ERR_MAX, "%s: bad value for %s: %s", origin, d->name, why);
                return LC_EINVAL;
            }
        }
        char *s = lc_strndup(v.ptr, v.len);
        if (!s) {
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: out of memory", origin);
            return LC_ENOMEM;
        }
        char **slot = field(c, k);
        lc_free(*slot);
        *slot = s;
        if (k == LC_CFG_KEY_listen) { /* only now: on LC_ENOMEM all three stay as they were */
            memcpy(c->listen_host, host, sizeof host);
            c->listen_port = port;
        } else if (k == LC_CFG_KEY_metrics_listen) {
            memcpy(c->metrics_host, host, sizeof host);
            c->metrics_port = port;
        }
        break;
    }
    case T_INT:
        rc = lc_str_to_i64(v, d->min, d->max, &n);
        if (rc != LC_OK) {
            snprintf(err, LC_CONFIG_ERR_MAX,
                     "%s: bad value \"%.*s\" for %s: expected a whole number from %lld to %lld",
                     origin, (int)(v.len > 100 ? 100 : v.len), v.ptr, d->name, (long long)d->min,
                     (long long)d->max);
            return LC_EINVAL;
        }
        *(int64_t *)field(c, k) = n;
        break;
    case T_SIZE: {
        uint64_t u;
        rc = lc_str_to_size(v, (uint64_t)d->max, &u);
        if (rc != LC_OK || u < (uint64_t)d->min) {
            snprintf(err, LC_CONFIG_ERR_MAX,
                     "%s: bad value \"%.*s\" for %s: expected a size in bytes from %lld to %lld "
                     "(suffixes k, M, G allowed)",
                     origin, (int)(v.len > 100 ? 100 : v.len), v.ptr, d->name, (long long)d->min,
                     (long long)d->max);
            return LC_EINVAL;
        }
        *(int64_t *)field(c, k) = (int64_t)u;
        break;
    }
    case T_BOOL: {
        bool b;
        if (lc_str_to_bool(v, &b) != LC_OK) {
            snprintf(err, LC_CONFIG_ERR_MAX,
                     "%s: bad value \"%.*s\" for %s: expected on or off (true/false, yes/no)",
                     origin, (int)(v.len > 100 ? 100 : v.len), v.ptr, d->name);
            return LC_EINVAL;
        }
        *(bool *)field(c, k) = b;
        break;
    }
    case T_LEVEL: {
        lc_log_level_t l;
        if (lc_log_level_parse(v, &l) != LC_OK) {
            snprintf(err, LC_CONFIG_ERR_MAX,
                     "%s: bad value \"%.*s\" for %s: expected debug, info, warn, error or off",
                     origin, (int)(v.len > 100 ? 100 : v.len), v.ptr, d->name);
            return LC_EINVAL;
        }
        *(int64_t *)field(c, k) = l;
        break;
    }
    }
    c->source[k] = src;
    return LC_OK;
}

int lc_config_init(lc_config_t *c) {
    memset(c, 0, sizeof *c);
    char err[LC_CONFIG_ERR_MAX];
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        int rc = lc_config_set(c, k, lc_str_from(keys[k].def), LC_CFG_SRC_DEFAULT, "default", err);
        if (rc != LC_OK) {
            lc_config_dispose(c);
            return rc;
        }
    }
    return LC_OK;
}

void lc_config_dispose(lc_config_t *c) {
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        if (keys[k].type == T_STR || keys[k].type == T_LISTEN) {
            char **slot = field(c, k);
            lc_free(*slot);
            *slot = NULL;
        }
    }
}

int lc_config_load_file(lc_config_t *c, const char *path, char err[LC_CONFIG_ERR_MAX]) {
    int rc = LC_OK;
    char *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno; /* snprintf and strerror may change errno */
        snprintf(err, LC_CONFIG_ERR_MAX, "%s: cannot open configuration file: %s", path,
                 strerror(e));
        return e == ENOENT ? LC_ENOTFOUND : LC_EIO;
    }
    text = lc_malloc(LC_LIMIT_CONFIG_FILE_BYTES + 1);
    if (!text) {
        rc = LC_ENOMEM;
        snprintf(err, LC_CONFIG_ERR_MAX, "%s: out of memory", path);
        goto out;
    }
    size_t n = fread(text, 1, LC_LIMIT_CONFIG_FILE_BYTES + 1, f);
    if (ferror(f)) {
        rc = LC_EIO;
        snprintf(err, LC_CONFIG_ERR_MAX, "%s: read error", path);
        goto out;
    }
    if (n > LC_LIMIT_CONFIG_FILE_BYTES) {
        rc = LC_ELIMIT;
        snprintf(err, LC_CONFIG_ERR_MAX, "%s: larger than the limit of %u bytes", path,
                 (unsigned)LC_LIMIT_CONFIG_FILE_BYTES);
        goto out;
    }
    int seen_line[LC_CFG_NKEYS] = {0};
    size_t pos = 0;
    for (int line = 1; pos < n; line++) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - start) : n - pos;
        pos += len + (nl ? 1 : 0);
        char origin[300];
        snprintf(origin, sizeof origin, "%s:%d", path, line);
        if (len > LC_LIMIT_CONFIG_LINE_BYTES) {
            rc = LC_EINVAL;
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: line longer than %d bytes", origin,
                     LC_LIMIT_CONFIG_LINE_BYTES);
            goto out;
        }
        lc_str_t l = lc_str_trim(lc_str_make(start, len));
        if (l.len == 0 || l.ptr[0] == '#')
            continue;
        const char *eq = memchr(l.ptr, '=', l.len);
        if (!eq) {
            rc = LC_EINVAL;
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: expected `key = value`", origin);
            goto out;
        }
        lc_str_t key = lc_str_trim(lc_str_make(l.ptr, (size_t)(eq - l.ptr)));
        lc_str_t val = lc_str_trim(lc_str_make(eq + 1, (size_t)(l.ptr + l.len - (eq + 1))));
        if (val.len >= 2 && val.ptr[0] == '"' && val.ptr[val.len - 1] == '"')
            val = lc_str_make(val.ptr + 1, val.len - 2);
        int k = -1;
        for (int i = 0; i < LC_CFG_NKEYS; i++)
            if (lc_str_eq_cstr(key, keys[i].name))
                k = i;
        if (k < 0) {
            rc = LC_EINVAL;
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: unknown key \"%.*s\" (see lectern --help)",
                     origin, (int)(key.len > 100 ? 100 : key.len), key.ptr);
            goto out;
        }
        if (seen_line[k]) {
            rc = LC_EINVAL;
            snprintf(err, LC_CONFIG_ERR_MAX, "%s: key %s is already set on line %d", origin,
                     keys[k].name, seen_line[k]);
            goto out;
        }
        seen_line[k] = line;
        rc = lc_config_set(c, k, val, LC_CFG_SRC_FILE, origin, err);
        if (rc != LC_OK)
            goto out;
    }
out:
    lc_free(text);
    fclose(f);
    return rc;
}

/* LECTERN_<KEY>: the environment variable of key k. */
static void env_var(int k, char var[64]) {
    size_t i = 0;
    for (const char *p = "LECTERN_"; *p; p++)
        var[i++] = *p;
    for (const char *p = keys[k].name; *p && i < 63; p++)
        var[i++] = (char)toupper((unsigned char)*p);
    var[i] = '\0';
}

int lc_config_load_env(lc_config_t *c, char err[LC_CONFIG_ERR_MAX]) {
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        char var[64];
        env_var(k, var);
        const char *v = getenv(var);
        if (!v)
            continue;
        int rc = lc_config_set(c, k, lc_str_from(v), LC_CFG_SRC_ENV, var, err);
        if (rc != LC_OK)
            return rc;
    }
    return LC_OK;
}

/* Appends [s, s+n) to out, truncating, always NUL-terminated (outlen > 0). */
static void put(char *out, size_t outlen, size_t *pos, const char *s, size_t n) {
    while (n-- && *pos + 1 < outlen)
        out[(*pos)++] = *s++;
    out[*pos] = '\0';
}

void lc_config_mask_url(const char *url, char *out, size_t outlen) {
    if (outlen == 0)
        return;
    size_t pos = 0;
    out[0] = '\0';
    const char *p = url;
    /* scheme://user:password@host/... -> scheme://user:****@host/...: the user information ends
     * at the last '@' of the authority (a password may hold an unencoded '@'), and an '@' or ':'
     * after the authority (path, query, fragment) is not part of it. */
    const char *scheme = strstr(url, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        size_t alen = strcspn(auth, "/?#");
        const char *at = NULL;
        for (size_t i = alen; i > 0 && !at; i--)
            if (auth[i - 1] == '@')
                at = auth + i - 1;
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            put(out, outlen, &pos, url, (size_t)(colon + 1 - url));
            put(out, outlen, &pos, "****", 4);
            p = at;
        }
    }
    /* libpq key=value strings and URL query parameters: mask the value of every key ending in
     * "password" (password, sslpassword), `key = 'quoted \' value'` included. */
    const char *kw;
    while ((kw = strstr(p, "password")) != NULL) {
        const char *v = kw + 8;
        while (*v == ' ')
            v++;
        if (*v != '=') {
            put(out, outlen, &pos, p, (size_t)(v - p));
            p = v;
            continue;
        }
        v++;
        while (*v == ' ')
            v++;
        put(out, outlen, &pos, p, (size_t)(v - p));
        put(out, outlen, &pos, "****", 4);
        if (*v == '\'') {
            for (v++; *v && *v != '\''; v++)
                if (*v == '\\' && v[1])
                    v++;
            if (*v)
                v++;
        } else {
            while (*v && *v != ' ' && *v != '&')
                v++;
        }
        p = v;
    }
    put(out, outlen, &pos, p, strlen(p));
}

static void format_value(const lc_config_t *c, int k, char *out, size_t outlen) {
    const keydef_t *d = &keys[k];
    switch (d->type) {
    case T_STR:
    case T_LISTEN: {
        const char *s = *(char *const *)cfield(c, k);
        if (d->secret)
            lc_config_mask_url(s ? s : "", out, outlen);
        else
            snprintf(out, outlen, "%s", s ? s : "");
        break;
    }
    case T_INT:
    case T_SIZE:
        snprintf(out, outlen, "%lld", (long long)*(const int64_t *)cfield(c, k));
        break;
    case T_BOOL:
        snprintf(out, outlen, "%s", *(const bool *)cfield(c, k) ? "on" : "off");
        break;
    case T_LEVEL:
        snprintf(out, outlen, "%s",
                 lc_log_level_name((lc_log_level_t) * (const int64_t *)cfield(c, k)));
        break;
    }
}

void lc_config_print(const lc_config_t *c, FILE *out) {
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        char v[1024];
        format_value(c, k, v, sizeof v);
        bool quote = v[0] == '\0' || v[0] == ' ' || v[strlen(v) - 1] == ' ';
        fprintf(out, "%s = %s%s%s  # %s\n", keys[k].name, quote ? "\"" : "", v, quote ? "\"" : "",
                source_names[c->source[k]]);
    }
}

void lc_config_print_help(FILE *out) {
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        char flag[64];
        size_t i = 0;
        for (const char *p = keys[k].name; *p && i < sizeof flag - 1; p++)
            flag[i++] = *p == '_' ? '-' : *p;
        flag[i] = '\0';
        char var[64];
        env_var(k, var);
        fprintf(out, "  --%-20s %s (default: %s; env %s)\n", flag, keys[k].help,
                keys[k].def[0] ? keys[k].def : "\"\"", var);
    }
}
