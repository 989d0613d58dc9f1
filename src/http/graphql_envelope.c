/* SPDX-License-Identifier: MIT */
/* The GraphQL-over-HTTP envelope: Accept negotiation, the Content-Type check and the request
 * parameters from a JSON body (POST) or the query string (GET), read with jansson into engine
 * values in the request arena. First step of lc_gql_http_handle, before the document cache;
 * pure (no socket, no libmicrohttpd), so unit tests and fuzz/fuzz_envelope.c drive it directly.
 * Rules: the GraphQL-over-HTTP draft specification's "Request" and "Response" sections, as
 * graphql-http's server audits check them. */
#include "graphql_http_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define CT_JSON "application/json; charset=utf-8"
#define CT_GQL "application/graphql-response+json; charset=utf-8"

const char *lc_gqlhttp__media_content_type(lc_gqlhttp__media_t m) {
    return m == LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE ? CT_GQL : CT_JSON;
}

/* ---- Header values ------------------------------------------------------------------------ */

/* The next element of a delimited list starting at *p (before end), trimmed; advances *p past
 * the delimiter. Quoted strings are not special: a delimiter inside one only makes the rest of
 * that element unrecognisable, which is harmless here. */
static lc_str_t next_item(const char **p, const char *end, char delim) {
    const char *s = *p;
    const char *d = memchr(s, delim, (size_t)(end - s));
    const char *e = d ? d : end;
    *p = d ? d + 1 : end;
    return lc_str_trim(lc_str_make(s, (size_t)(e - s)));
}

/* weight = OWS ";" OWS "q=" qvalue; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 * (RFC 9110 §12.4.2), in thousandths. Leniently: any digits, extra fraction digits ignored,
 * clamped to 1000; anything else (empty, a sign, letters) is malformed and counts as 0. */
static int qvalue_parse(lc_str_t v) {
    size_t i = 0;
    long whole = 0;
    int frac = 0, scale = 100;
    if (v.len == 0)
        return 0;
    for (; i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9'; i++)
        if (whole < 10)
            whole = whole * 10 + (v.ptr[i] - '0');
    if (i == 0)
        return 0;
    if (i < v.len && v.ptr[i] == '.') {
        for (i++; i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9'; i++) {
            frac += (v.ptr[i] - '0') * scale;
            scale /= 10;
        }
    }
    if (i != v.len)
        return 0;
    long q = whole * 1000 + frac;
    return q > 1000 ? 1000 : (int)q;
}

/* The best match so far of one of our media types against the Accept list. */
typedef struct match {
    int specificity; /* 0 none, 1 ANY/ANY, 2 application/ANY, 3 the type itself */
    int q;           /* thousandths, of the most specific matching range */
} match_t;

static void match_update(match_t *m, int specificity, int q) {
    if (specificity > m->specificity || (specificity == m->specificity && q > m->q)) {
        m->specificity = specificity;
        m->q = q;
    }
}

lc_gqlhttp__media_t lc_gqlhttp__accept_negotiate(lc_str_t accept) {
    match_t gql = {0, 0}, json = {0, 0};
    bool any = false;
    const char *p = accept.ptr, *end = accept.ptr ? accept.ptr + accept.len : NULL;
    while (p && p < end) {
        lc_str_t item = next_item(&p, end, ',');
        if (item.len == 0)
            continue; /* "a, , b": empty list elements are allowed (RFC 9110 §5.6.1) */
        any = true;
        const char *ip = item.ptr, *iend = item.ptr + item.len;
        lc_str_t range = next_item(&ip, iend, ';');
        int q = 1000;
        while (ip < iend) {
            lc_str_t param = next_item(&ip, iend, ';');
            if (param.len >= 2 && (param.ptr[0] == 'q' || param.ptr[0] == 'Q')) {
                lc_str_t rest = lc_str_trim(lc_str_make(param.ptr + 1, param.len - 1));
                if (rest.len && rest.ptr[0] == '=') {
                    q = qvalue_parse(lc_str_trim(lc_str_make(rest.ptr + 1, rest.len - 1)));
                    break; /* what follows q is accept-ext, not media-type parameters */
                }
            }
        }
        if (lc_str_eq_nocase(range, LC_STR("*/*"))) {
            match_update(&gql, 1, q);
            match_update(&json, 1, q);
        } else if (lc_str_eq_nocase(range, LC_STR("application/*"))) {
            match_update(&gql, 2, q);
            match_update(&json, 2, q);
        } else if (lc_str_eq_nocase(range, LC_STR("application/graphql-response+json"))) {
            match_update(&gql, 3, q);
        } else if (lc_str_eq_nocase(range, LC_STR("application/json"))) {
            match_update(&json, 3, q);
        }
    }
    if (!any)
        return LC_GQLHTTP__MEDIA_JSON;
    if (gql.specificity == 3 && gql.q > 0 && gql.q >= json.q)
        return LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE;
    if (json.q > 0)
        return LC_GQLHTTP__MEDIA_JSON;
    if (gql.q > 0)
        return LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE;
    return LC_GQLHTTP__MEDIA_NONE;
}

bool lc_gqlhttp__content_type_is_json(lc_str_t ct) {
    if (!ct.ptr)
        return false;
    const char *p = ct.ptr, *end = ct.ptr + ct.len;
    if (!lc_str_eq_nocase(next_item(&p, end, ';'), LC_STR("application/json")))
        return false;
    while (p < end) {
        lc_str_t param = next_item(&p, end, ';');
        const char *eq = memchr(param.ptr, '=', param.len);
        if (!eq)
            continue;
        lc_str_t name = lc_str_trim(lc_str_make(param.ptr, (size_t)(eq - param.ptr)));
        lc_str_t value = lc_str_trim(lc_str_make(eq + 1, (size_t)(param.ptr + param.len - eq - 1)));
        if (!lc_str_eq_nocase(name, LC_STR("charset")))
            continue;
        if (value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"')
            value = lc_str_make(value.ptr + 1, value.len - 2);
        if (!lc_str_eq_nocase(value, LC_STR("utf-8")))
            return false;
    }
    return true;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void json_release(void *p) {
    json_decref(p);
}

/* A JSON value as an engine value. Strings and keys borrow jansson's memory, which lives as
 * long as the arena (json_release is deferred on it); keys hold no NUL (jansson refuses them).
 * Recursion is bounded by jansson's parser depth (JSON_PARSER_MAX_DEPTH, 2048). */
static int to_val(lc_arena_t *a, json_t *j, gql_val_t *out) {
    switch (json_typeof(j)) {
    case JSON_NULL:
        *out = gql_val_null();
        return LC_OK;
    case JSON_TRUE:
        *out = gql_val_bool(true);
        return LC_OK;
    case JSON_FALSE:
        *out = gql_val_bool(false);
        return LC_OK;
    case JSON_INTEGER:
        *out = gql_val_int(json_integer_value(j));
        return LC_OK;
    case JSON_REAL:
        *out = gql_val_float(json_real_value(j));
        return LC_OK;
    case JSON_STRING:
        *out = gql_val_str(lc_str_make(json_string_value(j), json_string_length(j)));
        return LC_OK;
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        gql_val_t *items = n ? lc_arena_calloc(a, n, sizeof *items) : NULL;
        if (n && !items)
            return LC_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            int rc = to_val(a, json_array_get(j, i), &items[i]);
            if (rc != LC_OK)
                return rc;
        }
        *out = gql_val_list(items, (uint32_t)n);
        return LC_OK;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(j), i = 0;
        gql_prop_t *props = n ? lc_arena_calloc(a, n, sizeof *props) : NULL;
        if (n && !props)
            return LC_ENOMEM;
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) {
            props[i].name = lc_str_from(key);
            int rc = to_val(a, v, &props[i].value);
            if (rc != LC_OK)
                return rc;
            i++;
        }
        *out = gql_val_map(props, (uint32_t)n);
        return LC_OK;
    }
    }
    return LC_EINVAL;
}

/* Parses any JSON text (not only objects and arrays, so that a string or a number gets a
 * message about its type, not about syntax), rejecting duplicate keys (which value would win is
 * undefined, RFC 8259 §4) and accepting \u0000 in strings (query and variables are slices).
 * LC_OK with *root alive as long as the arena; LC_EINVAL with *why (arena) saying what and
 * where; LC_ENOMEM. */
static int load_json(lc_arena_t *a, lc_str_t text, json_t **root, const char **why) {
    json_error_t err;
    memset(&err, 0, sizeof err); /* jansson leaves the code byte alone when it sets no error */
    json_t *j = json_loadb(text.ptr, text.len,
                           JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!j) {
        /* jansson says "out of memory" for some failed allocations and nothing at all for
         * others (a failed append to an array or object leaves the error text empty); a failed
         * string copy in its lexer, though, reads as a syntax error and is answered as one. */
        if (err.text[0] == '\0' || json_error_code(&err) == json_error_out_of_memory)
            return LC_ENOMEM;
        *why = lc_arena_printf(a, "%s (line %d, column %d)", err.text, err.line, err.column);
        return *why ? LC_EINVAL : LC_ENOMEM;
    }
    if (lc_arena_defer(a, json_release, j) != LC_OK) {
        json_decref(j);
        return LC_ENOMEM;
    }
    *root = j;
    return LC_OK;
}

/* ---- Parameters ---------------------------------------------------------------------------- */

/* The params_from_* functions return LC_OK, LC_ENOMEM, or LC_EINVAL with *bad (static or
 * arena) saying which parameter is wrong and why. */

/* "Request Parameters": query a String, operationName an optional String, variables and
 * extensions optional maps; null counts as absent for the optional ones. */
static int params_from_json(lc_arena_t *a, json_t *root, lc_gqlhttp__params_t *p,
                            const char **bad) {
    json_t *q = json_object_get(root, "query");
    if (!q || json_is_null(q)) {
        *bad = "Missing query: the request must have a string parameter \"query\".";
        return LC_EINVAL;
    }
    if (!json_is_string(q)) {
        *bad = "Invalid query: the parameter \"query\" must be a string.";
        return LC_EINVAL;
    }
    p->query = lc_str_make(json_string_value(q), json_string_length(q));
    json_t *op = json_object_get(root, "operationName");
    if (op && !json_is_null(op)) {
        if (!json_is_string(op)) {
            *bad = "Invalid operationName: the parameter \"operationName\" must be a string or "
                   "null.";
            return LC_EINVAL;
        }
        p->operation_name = lc_str_make(json_string_value(op), json_string_length(op));
    }
    json_t *vars = json_object_get(root, "variables");
    if (vars && !json_is_null(vars)) {
        if (!json_is_object(vars)) {
            *bad = "Invalid variables: the parameter \"variables\" must be an object or null.";
            return LC_EINVAL;
        }
        int rc = to_val(a, vars, &p->variables);
        if (rc != LC_OK)
            return rc;
    }
    json_t *ext = json_object_get(root, "extensions");
    if (ext && !json_is_null(ext) && !json_is_object(ext)) {
        *bad = "Invalid extensions: the parameter \"extensions\" must be an object or null.";
        return LC_EINVAL;
    }
    return LC_OK;
}

/* "GET": the same parameters as query-string arguments; variables and extensions are
 * JSON text. An empty variables or extensions argument counts as absent. */
static int params_from_query(lc_arena_t *a, const lc_gqlhttp__envelope_in_t *in,
                             lc_gqlhttp__params_t *p, const char **bad) {
    lc_str_t none = LC_STR_NULL;
    p->query = in->query ? in->query(in->query_ctx, "query") : none;
    if (!p->query.ptr) {
        *bad = "Missing query: the request must have a query parameter \"query\".";
        return LC_EINVAL;
    }
    p->operation_name = in->query(in->query_ctx, "operationName");
    lc_str_t vars = in->query(in->query_ctx, "variables");
    if (vars.ptr && vars.len) {
        json_t *j = NULL;
        const char *why = NULL;
        int rc = load_json(a, vars, &j, &why);
        if (rc == LC_EINVAL) {
            *bad = lc_arena_printf(a,
                                   "Invalid variables: the parameter \"variables\" is not valid "
                                   "JSON: %s",
                                   why);
            return *bad ? LC_EINVAL : LC_ENOMEM;
        }
        if (rc != LC_OK)
            return rc;
        if (!json_is_null(j)) {
            if (!json_is_object(j)) {
                *bad = "Invalid variables: the parameter \"variables\" must be a JSON object.";
                return LC_EINVAL;
            }
            rc = to_val(a, j, &p->variables);
            if (rc != LC_OK)
                return rc;
        }
    }
    lc_str_t ext = in->query(in->query_ctx, "extensions");
    if (ext.ptr && ext.len) {
        json_t *j = NULL;
        const char *why = NULL;
        int rc = load_json(a, ext, &j, &why);
        if (rc == LC_ENOMEM)
            return rc;
        if (rc != LC_OK || !(json_is_object(j) || json_is_null(j))) {
            *bad = "Invalid extensions: the parameter \"extensions\" must be a JSON object.";
            return LC_EINVAL;
        }
    }
    return LC_OK;
}

/* "POST": the body is a JSON object of the parameters. */
static int params_from_body(lc_arena_t *a, lc_str_t body, lc_gqlhttp__params_t *p,
                            const char **bad) {
    if (lc_str_trim(body).len == 0) {
        *bad = "The request body is empty: expected a JSON object with a \"query\".";
        return LC_EINVAL;
    }
    json_t *root = NULL;
    const char *why = NULL;
    int rc = load_json(a, body, &root, &why);
    if (rc == LC_EINVAL) {
        *bad = lc_arena_printf(a, "The request body is not valid JSON: %s", why);
        return *bad ? LC_EINVAL : LC_ENOMEM;
    }
    if (rc != LC_OK)
        return rc;
    if (!json_is_object(root)) {
        *bad = "The request body must be a JSON object.";
        return LC_EINVAL;
    }
    return params_from_json(a, root, p, bad);
}

static int refuse(lc_gqlhttp__refusal_t *r, lc_gqlhttp__media_t media, int status,
                  const char *message, const char *header_name, const char *header_value) {
    r->media = media == LC_GQLHTTP__MEDIA_NONE ? LC_GQLHTTP__MEDIA_JSON : media;
    r->status = status;
    r->message = message;
    r->header_name = header_name;
    r->header_value = header_value;
    return LC_EINVAL;
}

int lc_gqlhttp__envelope_parse(lc_arena_t *a, const lc_gqlhttp__envelope_in_t *in,
                               lc_gqlhttp__params_t *out, lc_gqlhttp__refusal_t *refusal) {
    lc_gqlhttp__media_t media = lc_gqlhttp__accept_negotiate(in->accept);
    bool post = in->method == LC_HTTP_POST;
    if (!post && in->method != LC_HTTP_GET && in->method != LC_HTTP_HEAD)
        return refuse(refusal, media, 405,
                      "Method Not Allowed: send GraphQL requests with GET or POST.", "Allow",
                      "GET, HEAD, POST");
    if (media == LC_GQLHTTP__MEDIA_NONE)
        return refuse(refusal, media, 406,
                      "Not Acceptable: this endpoint answers application/graphql-response+json or "
                      "application/json.",
                      NULL, NULL);
    if (post && !lc_gqlhttp__content_type_is_json(in->content_type))
        return refuse(refusal, media, 415,
                      "Unsupported Media Type: send the request as application/json (UTF-8).",
                      "Accept-Post", "application/json");

    lc_gqlhttp__params_t p = {.media = media};
    const char *bad = NULL;
    int rc = post ? params_from_body(a, in->body, &p, &bad) : params_from_query(a, in, &p, &bad);
    if (rc == LC_EINVAL)
        return refuse(refusal, media, 400, bad, NULL, NULL);
    if (rc != LC_OK)
        return rc;
    *out = p;
    return LC_OK;
}
