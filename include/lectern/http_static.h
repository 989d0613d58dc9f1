/* SPDX-License-Identifier: MIT */
/* Static files embedded into the binary (lc_embed), served over lc_http: a content type from the
 * file's extension, a strong ETag computed at start-up, `Cache-Control: no-cache` (a browser
 * revalidates and gets 304 when nothing changed), and headers the caller adds to every answer
 * (the Console's Content-Security-Policy and friends). Bodies are sent from the binary's own
 * storage, never copied. Serves the Console (src/console/); knows nothing else of lectern. */
#ifndef LECTERN_HTTP_STATIC_H
#define LECTERN_HTTP_STATIC_H

#include <stddef.h>

#include "lectern/embed.h"
#include "lectern/http.h"
#include "lectern/status.h"

#define LC_HTTP_STATIC_MAX_HEADERS 8

typedef struct lc_http_static_options {
    /* The files (lc_embed table ended by a NULL name). Borrowed: static storage. */
    const lc_embed_file_t *files;
    /* Request paths that name a file: prefix + file name ("/console/static/" + "app.js"). A path
     * with this prefix and no such file gets 404. Borrowed, static. */
    const char *prefix;
    /* The file served for every other path the route sends here (a single-page app's shell:
     * "index.html"), or NULL for 404. Must be among files. Borrowed, static. */
    const char *fallback;
    /* Added to every answer, also 304 and 404. Borrowed: static storage. */
    const lc_http_header_t *headers;
    size_t nheaders; /* <= LC_HTTP_STATIC_MAX_HEADERS */
} lc_http_static_options_t;

typedef struct lc_http_static lc_http_static_t;

/* Builds the table (content types, ETags). LC_EINVAL for missing files, an unknown fallback,
 * too many headers or a file whose extension has no known content type (a build mistake:
 * logged with the file name); LC_ENOMEM. *out is owned: lc_http_static_destroy. Immutable after
 * creation, so one instance serves every worker thread. */
int lc_http_static_create(const lc_http_static_options_t *o, lc_http_static_t **out) LC_MUST_CHECK;
/* NULL is a no-op. */
void lc_http_static_destroy(lc_http_static_t *st);

/* An lc_http_handler_fn: ctx is the lc_http_static_t. GET and HEAD. */
int lc_http_static_handle(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp);

#endif
