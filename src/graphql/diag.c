/* SPDX-License-Identifier: MIT */
/* Diagnostics of a request (or of a schema build): a list in an arena, and its JSON form for
 * the response's "errors" (Oct 2021 §7.1.2), keys in graphql-js's order: message, locations,
 * path, extensions. */
#include "gql/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lectern/json.h"

void gql_diags_init(gql_diags_t *d, lc_arena_t *arena, uint32_t max) {
    memset(d, 0, sizeof *d);
    d->arena = arena;
    d->max = max;
}

gql_diag_t *gql_diags_add(gql_diags_t *d, const gql_loc_t *locs, uint32_t nlocs, const char *fmt,
                          ...) {
    gql_diag_t *diag = NULL;
    char *msg = NULL;
    va_list ap;

    if (d->max && d->count >= d->max) {
        d->dropped++;
        goto out;
    }
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        goto out;
    msg = lc_arena_alloc(d->arena, (size_t)n + 1);
    diag = lc_arena_calloc(d->arena, 1, sizeof *diag);
    if (!msg || !diag) {
        diag = NULL;
        goto out;
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    diag->message = lc_str_make(msg, (size_t)n);
    for (uint32_t i = 0; i < nlocs && diag->nlocations < GQL_DIAG_MAX_LOCATIONS; i++)
        diag->locations[diag->nlocations++] = locs[i];
    if (d->tail)
        d->tail->next = diag;
    else
        d->head = diag;
    d->tail = diag;
    d->count++;
out:
    return diag;
}

int gql_diag_set_path(gql_diags_t *d, gql_diag_t *diag, const gql_path_t *path) {
    int rc = LC_OK;
    gql_path_t *head = NULL, *prev_copy = NULL;

    /* Copy leaf to root, keeping the links leaf -> root; keys are copied too, since the caller's
     * path may point at stack storage. */
    for (const gql_path_t *p = path; p; p = p->prev) {
        gql_path_t *c = lc_arena_alloc(d->arena, sizeof *c);
        if (!c) {
            rc = LC_ENOMEM;
            goto out;
        }
        c->prev = NULL;
        c->index = p->index;
        c->key = p->key;
        if (p->key.ptr) {
            char *k = lc_arena_strndup(d->arena, p->key.ptr, p->key.len);
            if (!k) {
                rc = LC_ENOMEM;
                goto out;
            }
            c->key = lc_str_make(k, p->key.len);
        }
        if (prev_copy)
            prev_copy->prev = c;
        else
            head = c;
        prev_copy = c;
    }
    diag->path = head;
out:
    return rc;
}

int gql_diag_add_ext(gql_diags_t *d, gql_diag_t *diag, const char *key, lc_str_t value) {
    int rc = LC_OK;
    gql_diag_ext_t *e = lc_arena_alloc(d->arena, sizeof *e);
    char *v = lc_arena_strndup(d->arena, value.ptr ? value.ptr : "", value.len);
    if (!e || !v) {
        rc = LC_ENOMEM;
        goto out;
    }
    e->next = NULL;
    e->key = key;
    e->value = lc_str_make(v, value.len);
    gql_diag_ext_t **tail = &diag->ext;
    while (*tail)
        tail = &(*tail)->next;
    *tail = e;
out:
    return rc;
}

gql_diag_t *gql_diags_add_parse_error(gql_diags_t *d, const gql_error_t *err) {
    gql_diag_t *diag = gql_diags_add(d, &err->loc, err->loc.line ? 1 : 0, "%s", err->message);
    if (diag)
        diag->code = "GRAPHQL_PARSE_FAILED";
    return diag;
}

/* Root first: the list is linked from the leaf, and paths are as deep as the query. */
static void write_path(lc_buf_t *b, const gql_path_t *p, bool *first) {
    if (p->prev)
        write_path(b, p->prev, first);
    if (!*first)
        lc_buf_putc(b, ',');
    *first = false;
    if (p->key.ptr)
        lc_json_write_str(b, p->key);
    else
        lc_json_write_i64(b, p->index);
}

static void write_diag(lc_buf_t *b, const gql_diag_t *diag) {
    lc_buf_append_cstr(b, "{\"message\":");
    lc_json_write_str(b, diag->message);
    uint32_t nlocs = 0;
    for (uint32_t i = 0; i < diag->nlocations; i++)
        nlocs += diag->locations[i].line != 0;
    if (nlocs) {
        lc_buf_append_cstr(b, ",\"locations\":[");
        bool first = true;
        for (uint32_t i = 0; i < diag->nlocations; i++) {
            if (diag->locations[i].line == 0)
                continue;
            lc_buf_append_cstr(b, first ? "{\"line\":" : ",{\"line\":");
            lc_buf_append_u64(b, diag->locations[i].line);
            lc_buf_append_cstr(b, ",\"column\":");
            lc_buf_append_u64(b, diag->locations[i].column);
            lc_buf_putc(b, '}');
            first = false;
        }
        lc_buf_putc(b, ']');
    }
    if (diag->path) {
        bool first = true;
        lc_buf_append_cstr(b, ",\"path\":[");
        write_path(b, diag->path, &first);
        lc_buf_putc(b, ']');
    }
    if (diag->code || diag->ext) {
        bool first = true;
        lc_buf_append_cstr(b, ",\"extensions\":{");
        if (diag->code) {
            lc_buf_append_cstr(b, "\"code\":");
            lc_json_write_string(b, diag->code, strlen(diag->code));
            first = false;
        }
        for (const gql_diag_ext_t *e = diag->ext; e; e = e->next) {
            if (!first)
                lc_buf_putc(b, ',');
            first = false;
            lc_json_write_string(b, e->key, strlen(e->key));
            lc_buf_putc(b, ':');
            lc_json_write_str(b, e->value);
        }
        lc_buf_putc(b, '}');
    }
    lc_buf_putc(b, '}');
}

int gql_diags_write_json(const gql_diags_t *d, lc_buf_t *b) {
    lc_buf_putc(b, '[');
    for (const gql_diag_t *diag = d->head; diag; diag = diag->next) {
        if (diag != d->head)
            lc_buf_putc(b, ',');
        write_diag(b, diag);
    }
    return lc_buf_putc(b, ']');
}
