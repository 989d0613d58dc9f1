/* SPDX-License-Identifier: MIT */
/* GraphQL over HTTP: the envelope (read by graphql_envelope.c), then the engine: document
 * cache, operation selection, the admit hook, execution. Every failure before execution is
 * answered here with a GraphQL-shaped JSON error and the status the GraphQL-over-HTTP
 * specification asks for; nothing a client sends can crash the server. */
#include "lectern/graphql_http.h"

#include <pthread.h>
#include <string.h>

#include "graphql_http_int.h"
#include "lectern/alloc.h"
#include "lectern/json.h"
#include "lectern/log.h"

/* A worker thread's caches: parsed and validated documents, and parsed POST envelopes. */
typedef struct thread_cache {
    struct thread_cache *next;
    gql_doc_cache_t *cache;
    lc_gqlhttp__envelope_cache_t *envelopes;
} thread_cache_t;

struct lc_gql_http {
    lc_gql_http_options_t o;
    pthread_key_t key;    /* -> this thread's thread_cache_t */
    pthread_mutex_t lock; /* guards caches (the list, not the caches' contents) */
    thread_cache_t *caches;
};

int lc_gql_http_create(const lc_gql_http_options_t *o, lc_gql_http_t **out) {
    if (!o || !o->schema)
        return LC_EINVAL;
    lc_gql_http_t *h = lc_calloc(1, sizeof *h);
    if (!h)
        return LC_ENOMEM;
    h->o = *o;
    if (!h->o.max_errors)
        h->o.max_errors = 100;
    if (pthread_key_create(&h->key, NULL) != 0) {
        lc_free(h);
        return LC_ENOMEM;
    }
    pthread_mutex_init(&h->lock, NULL);
    *out = h;
    return LC_OK;
}

void lc_gql_http_destroy(lc_gql_http_t *h) {
    if (!h)
        return;
    for (thread_cache_t *t = h->caches, *next; t; t = next) {
        next = t->next;
        gql_doc_cache_destroy(t->cache);
        lc_gqlhttp__envelope_cache_destroy(t->envelopes);
        lc_free(t);
    }
    pthread_key_delete(h->key);
    pthread_mutex_destroy(&h->lock);
    lc_free(h);
}

/* The calling worker thread's caches, created on its first request. */
static thread_cache_t *thread_cache(lc_gql_http_t *h) {
    thread_cache_t *t = pthread_getspecific(h->key);
    if (t)
        return t;
    t = lc_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (gql_doc_cache_create(h->o.schema, h->o.cache_entries, h->o.cache_bytes, &h->o.limits,
                             &t->cache) != LC_OK)
        goto fail;
    if (lc_gqlhttp__envelope_cache_create(&t->envelopes) != LC_OK)
        goto fail;
    if (pthread_setspecific(h->key, t) != 0)
        goto fail;
    pthread_mutex_lock(&h->lock);
    t->next = h->caches;
    h->caches = t;
    pthread_mutex_unlock(&h->lock);
    return t;
fail:
    gql_doc_cache_destroy(t->cache);
    lc_gqlhttp__envelope_cache_destroy(t->envelopes);
    lc_free(t);
    return NULL;
}

/* ---- Replies ---------------------------------------------------------------------------- */

/* {"errors":[{"message": msg}]} with the given status. */
static int reply_error(lc_http_resp_t *resp, lc_gqlhttp__media_t media, int status,
                       const char *msg) {
    resp->status = status;
    resp->content_type = lc_gqlhttp__media_content_type(media);
    lc_buf_clear(&resp->body);
    lc_buf_append_cstr(&resp->body, "{\"errors\":[{\"message\":");
    lc_json_write_string(&resp->body, msg, strlen(msg));
    lc_buf_append_cstr(&resp->body, "}]}");
    return resp->body.err;
}

/* A refused envelope: its status, message and header. */
static int reply_refusal(lc_http_resp_t *resp, const lc_gqlhttp__refusal_t *r) {
    int rc = reply_error(resp, r->media, r->status, r->message);
    if (rc == LC_OK && r->header_name)
        rc = lc_http_resp_header(resp, r->header_name, r->header_value);
    return rc;
}

/* A request error (parse, validation, operation selection): no data; 400 for
 * application/graphql-response+json, 200 for legacy application/json clients. */
static int reply_diags(lc_http_resp_t *resp, lc_gqlhttp__media_t media, const gql_diags_t *d) {
    resp->status = media == LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE ? 400 : 200;
    resp->content_type = lc_gqlhttp__media_content_type(media);
    lc_buf_clear(&resp->body);
    lc_buf_append_cstr(&resp->body, "{\"errors\":");
    gql_diags_write_json(d, &resp->body);
    lc_buf_putc(&resp->body, '}');
    return resp->body.err;
}

static lc_str_t query_arg(void *ctx, const char *name) {
    return lc_http_req_query(ctx, name);
}

/* True when the operation selects only introspection at its root (§4.2 meta-fields), through
 * fragments too: such requests may run without credentials. */
static bool root_is_introspection(const gql_document_t *doc, const gql_selection_set_t *set,
                                  unsigned depth) {
    if (depth > 64)
        return false;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gql_selection_t *s = set->selections.items[i];
        switch (s->node.kind) {
        case GQL_FIELD:
            if (!lc_str_eq_cstr(s->field.name, "__schema") &&
                !lc_str_eq_cstr(s->field.name, "__type") &&
                !lc_str_eq_cstr(s->field.name, "__typename"))
                return false;
            break;
        case GQL_INLINE_FRAGMENT:
            if (!root_is_introspection(doc, s->inline_fragment.selection_set, depth + 1))
                return false;
            break;
        case GQL_FRAGMENT_SPREAD: {
            const gql_fragment_definition_t *f = NULL;
            for (uint32_t d = 0; d < doc->definitions.count && !f; d++) {
                const gql_definition_t *def = doc->definitions.items[d];
                if (def->node.kind == GQL_FRAGMENT_DEFINITION &&
                    lc_str_eq(def->fragment.name, s->spread.name))
                    f = &def->fragment;
            }
            if (!f || !root_is_introspection(doc, f->selection_set, depth + 1))
                return false;
            break;
        }
        default:
            return false;
        }
    }
    return true;
}

int lc_gql_http_handle(void *ctx, lc_http_req_t *req, lc_http_resp_t *resp) {
    lc_gql_http_t *h = ctx;
    lc_gqlhttp__envelope_in_t in = {
        .method = req->method,
        .accept = lc_http_req_header(req, "Accept"),
        .content_type = lc_http_req_header(req, "Content-Type"),
        .body = req->body,
        .query = query_arg,
        .query_ctx = req,
    };
    thread_cache_t *tc = thread_cache(h);
    if (!tc)
        return LC_ENOMEM;
    lc_gqlhttp__params_t p;
    int rc;
    /* A POST body seen before on this thread skips JSON parsing; the header checks that
     * lc_gqlhttp__envelope_parse makes before reading a body are made here too. */
    lc_gqlhttp__media_t media = req->method == LC_HTTP_POST
                                    ? lc_gqlhttp__accept_negotiate(in.accept)
                                    : LC_GQLHTTP__MEDIA_NONE;
    if (media != LC_GQLHTTP__MEDIA_NONE && lc_gqlhttp__content_type_is_json(in.content_type) &&
        lc_gqlhttp__envelope_cache_get(tc->envelopes, req->body, &p)) {
        p.media = media;
    } else {
        lc_gqlhttp__refusal_t refusal;
        rc = lc_gqlhttp__envelope_parse(req->arena, &in, &p, &refusal);
        if (rc == LC_EINVAL)
            return reply_refusal(resp, &refusal);
        if (rc != LC_OK)
            return rc;
        if (req->method == LC_HTTP_POST)
            lc_gqlhttp__envelope_cache_put(tc->envelopes, req->body, &p);
        media = p.media;
    }

    void *context = NULL;
    lc_gql_http_op_t info = {lc_gqlhttp__media_content_type(media), NULL, NULL, false};
    if (h->o.authenticate && h->o.authenticate(h->o.admit_ctx, req, resp, &info, &context) != LC_OK)
        return LC_OK; /* the hook wrote the answer */

    gql_doc_cache_t *cache = tc->cache;
    gql_diags_t diags;
    gql_diags_init(&diags, req->arena, h->o.max_errors);
    const gql_document_t *doc = NULL;
    rc = gql_doc_cache_get(cache, p.query.ptr, p.query.len, &diags, &doc);
    if (rc == LC_EINVAL || rc == LC_ELIMIT)
        return reply_diags(resp, media, &diags);
    if (rc != LC_OK)
        return rc;

    const gql_operation_definition_t *op = NULL;
    rc = gql_select_operation(doc, p.operation_name, &op);
    if (rc != LC_OK) {
        if (rc == LC_EINVAL)
            gql_diags_add(&diags, NULL, 0,
                          "Must provide operation name if query contains multiple operations.");
        else if (p.operation_name.ptr)
            gql_diags_add(&diags, NULL, 0, "Unknown operation named \"%.*s\".",
                          (int)(p.operation_name.len > 100 ? 100 : p.operation_name.len),
                          p.operation_name.ptr);
        else
            gql_diags_add(&diags, NULL, 0, "Must provide an operation.");
        return reply_diags(resp, media, &diags);
    }
    if (req->method != LC_HTTP_POST && op->operation != GQL_OP_QUERY) {
        /* GraphQL over HTTP, "GET": only queries; 405 and Allow: POST before anything runs. */
        int wrc = reply_error(resp, media, 405,
                              "Method Not Allowed: only query operations can be sent with GET; "
                              "send mutations and subscriptions with POST.");
        return wrc != LC_OK ? wrc : lc_http_resp_header(resp, "Allow", "POST");
    }

    if (h->o.admit) {
        info.document = doc;
        info.operation = op;
        /* Only a request that authenticate left without credentials can need the answer;
         * an authenticated one skips the walk. */
        info.introspection_only = !context && root_is_introspection(doc, op->selection_set, 0);
        if (h->o.admit(h->o.admit_ctx, req, resp, &info, &context) != LC_OK)
            return LC_OK; /* the hook wrote the answer */
    }

    gql_request_t greq = {
        .schema = h->o.schema,
        .document = doc,
        .operation_name = p.operation_name,
        .variables = p.variables.kind == GQL_VAL_MAP ? &p.variables : NULL,
        .root_value = h->o.root_value,
        .context = context,
        .max_errors = h->o.max_errors,
        .doc_cache = cache,
    };
    gql_result_t res = {0};
    resp->content_type = lc_gqlhttp__media_content_type(media);
    rc = gql_execute(req->arena, &greq, &resp->body, &res);
    if (rc != LC_OK) {
        lc_log_rec_t r;
        lc_log_begin(&r, LC_LOG_ERROR, "graphql.execute");
        lc_log_cstr(&r, "status", lc_status_name(rc));
        lc_log_cstr(&r, "request_id", req->request_id);
        lc_log_end(&r);
        return reply_error(resp, media, rc == LC_ELIMIT ? 500 : 503,
                           "The response could not be produced (it exceeded the server's memory "
                           "limit for one request).");
    }
    resp->status = res.request_error && media == LC_GQLHTTP__MEDIA_GRAPHQL_RESPONSE ? 400 : 200;
    return h->o.done ? h->o.done(h->o.admit_ctx, req, resp, context) : LC_OK;
}
