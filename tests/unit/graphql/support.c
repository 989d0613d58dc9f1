/* SPDX-License-Identifier: MIT */
/* Shared helpers of the GraphQL engine's unit tests (see support.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

#include "gql/parse.h"
#include "lectern/alloc.h"
#include "lectern/json.h"

gql_schema_t *t_schema(const char *sdl) {
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_diags_t d;
    gql_diags_init(&d, &a, 0);
    gql_schema_t *s = NULL;
    int rc = gql_schema_build(sdl, strlen(sdl), &d, &s);
    if (rc != LC_OK) {
        lc_buf_t b;
        lc_buf_init(&b, &a, 0, 0);
        gql_diags_write_json(&d, &b);
        lc_buf_terminate(&b);
        fail_msg("schema does not build (%d): %s\n%s", rc, b.data ? b.data : "", sdl);
    }
    lc_arena_dispose(&a);
    return s;
}

/* ---- JSON <-> values ----------------------------------------------------------------------- */

gql_val_t t_val_from_json(lc_arena_t *a, const json_t *j) {
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(j), i = 0;
        gql_prop_t *props = lc_arena_alloc(a, (n ? n : 1) * sizeof *props);
        assert_non_null(props);
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)j, key, v) {
            props[i].name = lc_str_from(lc_arena_strdup(a, key));
            props[i].value = t_val_from_json(a, v);
            i++;
        }
        return gql_val_map(props, (uint32_t)n);
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        gql_val_t *items = lc_arena_alloc(a, (n ? n : 1) * sizeof *items);
        assert_non_null(items);
        for (size_t i = 0; i < n; i++)
            items[i] = t_val_from_json(a, json_array_get(j, i));
        return gql_val_list(items, (uint32_t)n);
    }
    case JSON_STRING: {
        size_t n = json_string_length(j);
        return gql_val_str(lc_str_make(lc_arena_strndup(a, json_string_value(j), n), n));
    }
    case JSON_INTEGER:
        return gql_val_int(json_integer_value(j));
    case JSON_REAL:
        return gql_val_float(json_real_value(j));
    case JSON_TRUE:
        return gql_val_bool(true);
    case JSON_FALSE:
        return gql_val_bool(false);
    default:
        return gql_val_null();
    }
}

gql_val_t t_val_parse(lc_arena_t *a, const char *text) {
    if (!text)
        return gql_val_null();
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    if (!j)
        fail_msg("bad JSON in test: %s: %s", err.text, text);
    gql_val_t v = t_val_from_json(a, j);
    json_decref(j);
    return v;
}

void t_val_write(lc_buf_t *b, const gql_val_t *v) {
    switch (v->kind) {
    case GQL_VAL_UNDEFINED:
    case GQL_VAL_NULL:
        lc_json_write_null(b);
        break;
    case GQL_VAL_BOOL:
        lc_json_write_bool(b, v->b);
        break;
    case GQL_VAL_INT:
        lc_json_write_i64(b, v->i);
        break;
    case GQL_VAL_FLOAT:
        lc_json_write_double(b, v->f);
        break;
    case GQL_VAL_STRING:
    case GQL_VAL_ENUM:
        lc_json_write_str(b, v->s);
        break;
    case GQL_VAL_RAW:
        lc_buf_append_str(b, v->s);
        break;
    case GQL_VAL_LIST:
        lc_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->count; i++) {
            if (i)
                lc_buf_putc(b, ',');
            t_val_write(b, &v->items[i]);
        }
        lc_buf_putc(b, ']');
        break;
    case GQL_VAL_MAP: {
        lc_buf_putc(b, '{');
        bool first = true;
        for (uint32_t i = 0; i < v->count; i++) {
            if (v->props[i].value.kind == GQL_VAL_UNDEFINED)
                continue;
            if (!first)
                lc_buf_putc(b, ',');
            first = false;
            lc_json_write_str(b, v->props[i].name);
            lc_buf_putc(b, ':');
            t_val_write(b, &v->props[i].value);
        }
        lc_buf_putc(b, '}');
        break;
    }
    case GQL_VAL_OBJECT:
        lc_buf_append_cstr(b, "\"<object>\"");
        break;
    }
}

/* ---- Generic resolvers --------------------------------------------------------------------- */

static int echo_resolver(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    lc_buf_t b;
    lc_buf_init(&b, info->arena, 64, 0);
    lc_buf_putc(&b, '{');
    bool first = true;
    for (uint32_t i = 0; i < info->field->nargs; i++) {
        if (args[i].kind == GQL_VAL_UNDEFINED)
            continue;
        if (!first)
            lc_buf_putc(&b, ',');
        first = false;
        lc_json_write_str(&b, info->field->args[i].name);
        lc_buf_putc(&b, ':');
        t_val_write(&b, &args[i]);
    }
    lc_buf_putc(&b, '}');
    if (b.err)
        return b.err;
    *out = gql_val_str(lc_buf_str(&b));
    return LC_OK;
}

static int boom_resolver(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    (void)out;
    gql_field_error(info, "BOOM", "boom");
    return LC_EDENIED;
}

static int fail_resolver(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)parent;
    (void)args;
    (void)out;
    return LC_ESTORE;
}

void t_bind_generic(gql_schema_t *s) {
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_schema_type_t *t = s->types[i];
        if (t->kind != GQL_TK_OBJECT || t->builtin)
            continue;
        for (uint32_t k = 0; k < t->nfields; k++) {
            lc_str_t name = t->fields[k].name;
            gql_resolve_fn fn = NULL;
            if (lc_str_starts_with(name, LC_STR("echo")))
                fn = echo_resolver;
            else if (lc_str_starts_with(name, LC_STR("boom")))
                fn = boom_resolver;
            else if (lc_str_starts_with(name, LC_STR("fail")))
                fn = fail_resolver;
            if (!fn)
                continue;
            char coord[256];
            snprintf(coord, sizeof coord, "%.*s.%.*s", (int)t->name.len, t->name.ptr, (int)name.len,
                     name.ptr);
            assert_int_equal(gql_schema_bind(s, coord, fn, NULL), LC_OK);
        }
    }
}

/* ---- Running ------------------------------------------------------------------------------- */

char *t_exec(const gql_schema_t *s, const char *query, const t_run_t *run, int *status,
             gql_result_t *res) {
    static const t_run_t none;
    if (!run)
        run = &none;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    const gql_document_t *doc = NULL;
    char *text = NULL;
    lc_buf_t out;
    lc_buf_init(&out, &a, 0, 0);
    if (run->cache) {
        gql_diags_t d;
        gql_diags_init(&d, &a, 0);
        int rc = gql_doc_cache_get(run->cache, query, strlen(query), &d, &doc);
        if (rc != LC_OK) {
            lc_buf_append_cstr(&out, "{\"errors\":");
            gql_diags_write_json(&d, &out);
            lc_buf_putc(&out, '}');
            if (status)
                *status = rc;
            goto done;
        }
    } else {
        gql_document_t *d = NULL;
        gql_error_t err;
        int rc = gql_parse_document(&a, query, strlen(query), NULL, &d, &err);
        if (rc != LC_OK)
            fail_msg("query does not parse: %s\n%s", err.message, query);
        doc = d;
    }
    gql_val_t vars = run->vars ? t_val_parse(&a, run->vars) : gql_val_null();
    gql_val_t root = t_val_parse(&a, run->root);
    gql_request_t req = {
        .schema = s,
        .document = doc,
        .operation_name = run->operation ? lc_str_from(run->operation) : LC_STR_NULL,
        .variables = run->vars ? &vars : NULL,
        .root_value = run->root ? &root : NULL,
        .context = run->context,
        .max_errors = run->max_errors,
        .doc_cache = run->cache,
    };
    int rc = gql_execute(&a, &req, &out, res);
    if (status)
        *status = rc;
done:
    lc_buf_terminate(&out);
    text = lc_strdup(out.data ? out.data : "");
    lc_arena_dispose(&a);
    return text;
}

void t_assert_json(const char *got, const char *want, const char *what) {
    json_error_t e1, e2;
    json_t *g = json_loads(got, JSON_DECODE_ANY, &e1);
    json_t *w = json_loads(want, JSON_DECODE_ANY, &e2);
    if (!w)
        fail_msg("%s: expected JSON does not parse (%s): %s", what, e2.text, want);
    if (!g)
        fail_msg("%s: response is not JSON (%s): %s", what, e1.text, got);
    bool eq = json_equal(g, w);
    json_decref(g);
    json_decref(w);
    if (!eq)
        fail_msg("%s:\n  got  %s\n  want %s", what, got, want);
}

void t_run_cases(const t_case_t *cases, size_t n) {
    const char *sdl = NULL;
    gql_schema_t *s = NULL;
    gql_doc_cache_t *cache = NULL;
    for (size_t i = 0; i < n; i++) {
        const t_case_t *c = &cases[i];
        if (c->sdl != sdl) {
            gql_doc_cache_destroy(cache);
            gql_schema_destroy(s);
            s = t_schema(c->sdl);
            t_bind_generic(s);
            assert_int_equal(gql_doc_cache_create(s, 0, 0, NULL, &cache), LC_OK);
            sdl = c->sdl;
        }
        t_run_t run = {.vars = c->vars, .root = c->root, .operation = c->operation};
        char *got = t_exec(s, c->query, &run, NULL, NULL);
        char what[160];
        snprintf(what, sizeof what, "case %zu (%s)", i, c->name);
        t_assert_json(got, c->want, what);
        lc_free(got);
        /* Through the cache, twice: the second execution runs on the plan the first one left
         * in the entry. Documents that do not validate (some cases exercise the executor's
         * own checks) are skipped here. */
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        gql_diags_t d;
        gql_diags_init(&d, &a, 0);
        const gql_document_t *doc;
        int rc = gql_doc_cache_get(cache, c->query, strlen(c->query), &d, &doc);
        lc_arena_dispose(&a);
        if (rc != LC_OK)
            continue;
        run.cache = cache;
        for (int k = 0; k < 2; k++) {
            got = t_exec(s, c->query, &run, NULL, NULL);
            snprintf(what, sizeof what, "case %zu (%s), cached run %d", i, c->name, k + 1);
            t_assert_json(got, c->want, what);
            lc_free(got);
        }
    }
    gql_doc_cache_destroy(cache);
    gql_schema_destroy(s);
}
