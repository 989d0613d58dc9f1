/* SPDX-License-Identifier: MIT */
/* The response a handler fills: status, content type, an arena-backed body and a few headers.
 * server.c turns it into a libmicrohttpd response that sends the body straight from the arena.
 * Error bodies share one shape: {"error":{"code":"NOT_FOUND","message":"..."}}. */
#include "http_int.h"
#include "lectern/json.h"
#include "lectern/limits.h"

void lc_http__resp_init(lc_http_resp_t *resp, lc_arena_t *arena) {
    resp->status = 200;
    resp->content_type = "application/json";
    lc_buf_init(&resp->body, arena, 0, LC_LIMIT_REQUEST_ARENA_BYTES);
    resp->nheaders = 0;
    resp->static_body = NULL;
    resp->static_len = 0;
}

int lc_http_resp_header(lc_http_resp_t *resp, const char *name, const char *value) {
    if (!name || !value)
        return LC_EINVAL;
    if (resp->nheaders >= LC_HTTP_MAX_RESP_HEADERS)
        return LC_ELIMIT;
    resp->headers[resp->nheaders].name = name;
    resp->headers[resp->nheaders].value = value;
    resp->nheaders++;
    return LC_OK;
}

void lc_http_resp_error(lc_http_resp_t *resp, int status, const char *code, const char *message) {
    lc_jw_t w;
    resp->status = status;
    resp->content_type = "application/json";
    resp->static_body = NULL;
    lc_buf_clear(&resp->body);
    lc_jw_init(&w, &resp->body);
    lc_jw_obj_begin(&w);
    lc_jw_key(&w, "error");
    lc_jw_obj_begin(&w);
    lc_jw_key(&w, "code");
    lc_jw_cstr(&w, code ? code : "INTERNAL");
    lc_jw_key(&w, "message");
    lc_jw_cstr(&w, message ? message : "");
    lc_jw_obj_end(&w);
    lc_jw_obj_end(&w);
    /* A failure stays sticky in resp->body.err; the server then answers a static 500. */
    (void)lc_jw_finish(&w);
}
