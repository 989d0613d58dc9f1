/* SPDX-License-Identifier: MIT */
/* Execution of a validated operation (Oct 2021 §6): operation selection, CollectFields, field
 * resolution and value completion, writing the response JSON straight into the output buffer
 * in selection order. Null propagation (§6.4.4) rewinds the buffer to where the nearest
 * nullable position began and writes null there. What depends only on the document and the
 * object type is planned once (exec_int.h) and reused by later executions of a cached
 * document. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exec_int.h"
#include "gql/print.h"
#include "lectern/json.h"

/* Return codes of the completion functions besides LC_OK (0) and fatal failures (< 0). */
#define PROPAGATE 1  /* this position is null after an error: its nearest nullable parent is */
#define FIELD_NULL 2 /* the resolver failed (error recorded): the field's value is null */

struct gql_exec {
    lc_arena_t *arena; /* request arena: scratch, coerced values, transient plans */
    const gql_request_t *req;
    const gql_schema_t *schema;
    lc_buf_t *out;
    gql_diags_t diags;
    gql__vars_t vars;
    lc_arena_t *plan_arena; /* where memoized plans go */
    gql__plan_t *plan;
    int fatal;      /* LC_ENOMEM once the arena failed */
    uint32_t depth; /* objects being completed, for GQL__EXEC_MAX_DEPTH */
    /* The values of the Boolean variables that @skip/@include read (bit i: variable i), which
     * select among memoized plans of selections that depend on them. */
    uint64_t sig, sig_def;
    /* Why the last collection failed (an @skip/@include `if` that is not a Boolean), when
     * cond_msg is set: an error of the selection being collected. */
    const char *cond_msg;
    gql_loc_t cond_loc;
};

/* What a resolver sees, plus what gql_field_error needs to locate its error. */
typedef struct rinfo {
    gql_resolve_info_t info; /* first: gql_field_error converts back */
    const gql__pfield_t *pf;
    bool errored;
} rinfo_t;

static const gql_val_t null_val = {.kind = GQL_VAL_NULL};

/* ---- Output fast paths ---------------------------------------------------------------------- */

/* Buffer writes inlined for the common case of room in the buffer; the sticky error is checked
 * once per object. */
static inline void put_c(lc_buf_t *b, char c) {
    if (b->len < b->cap && !b->err)
        b->data[b->len++] = c;
    else
        lc_buf_putc(b, c);
}

/* Bytes a JSON string cannot hold as they are (lc_json_write_string handles them). */
static const uint8_t json_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* A JSON string: plain ASCII without quotes, backslashes or controls is copied in one piece. */
static inline void put_json_str(lc_buf_t *b, lc_str_t s) {
    const unsigned char *p = (const unsigned char *)s.ptr;
    size_t i = 0;
    /* Eight bytes a step (exact bit tricks: a byte below 0x20, '"' or '\\' as a zero byte, or
     * a high bit) while a whole word remains; the table finishes. */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    for (; i + 8 <= s.len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
        if ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | w) & highs)
            break;
    }
    while (i < s.len && !json_special[p[i]])
        i++;
    if (i == s.len && b->cap - b->len >= s.len + 2 && !b->err) {
        char *d = b->data + b->len;
        d[0] = '"';
        memcpy(d + 1, s.ptr, s.len);
        d[s.len + 1] = '"';
        b->len += s.len + 2;
        return;
    }
    lc_json_write_str(b, s);
}

/* Field and property names are short: an inline loop beats a call to memcmp. */
static inline bool name_eq(lc_str_t a, lc_str_t b) {
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (a.ptr[i] != b.ptr[i])
            return false;
    return true;
}

/* The planned `,"key":` text, padded to KEY_PAD bytes so that short keys copy as one
 * fixed-size move. */
#define KEY_PAD 16
static inline void put_key(lc_buf_t *b, const gql__pfield_t *pf, bool first) {
    const char *k = pf->key_json + first;
    size_t n = pf->key_json_len - first;
    if (b->cap - b->len >= KEY_PAD && !b->err && pf->key_json_len < KEY_PAD) {
        memcpy(b->data + b->len, k, KEY_PAD - 1);
        b->len += n;
        return;
    }
    lc_buf_append_fast(b, k, n);
}

static inline void put_int(lc_buf_t *b, int64_t v) {
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    lc_buf_append_fast(b, p, (size_t)(e - p));
}

/* Built-in scalars whose common representation is written without the general completion. */
enum { LEAF_NONE, LEAF_STRING, LEAF_INT, LEAF_BOOL, LEAF_ID };

static uint8_t leaf_code(const gql_schema_type_t *t) {
    if (t->kind == GQL_TK_NON_NULL)
        t = t->of_type;
    if (!t->builtin || t->kind != GQL_TK_SCALAR)
        return LEAF_NONE;
    switch (t->name.len) {
    case 6:
        return LEAF_STRING;
    case 3:
        return LEAF_INT;
    case 7:
        return LEAF_BOOL;
    case 2:
        return LEAF_ID;
    default:
        return LEAF_NONE;
    }
}

/* Writes v when it is non-null and in the leaf's common representation; false otherwise (the
 * general completion then handles nulls, coercions and errors). */
static inline bool put_leaf(lc_buf_t *b, uint8_t leaf, const gql_val_t *v) {
    switch (leaf) {
    case LEAF_STRING:
    case LEAF_ID:
        if (v->kind != GQL_VAL_STRING)
            return false;
        put_json_str(b, v->s);
        return true;
    case LEAF_INT:
        if (v->kind != GQL_VAL_INT || v->i < INT32_MIN || v->i > INT32_MAX)
            return false;
        put_int(b, v->i);
        return true;
    case LEAF_BOOL:
        if (v->kind != GQL_VAL_BOOL)
            return false;
        lc_json_write_bool(b, v->b);
        return true;
    default:
        return false;
    }
}

/* ---- Errors --------------------------------------------------------------------------------- */

/* Checked like printf at each caller (see the format attributes of its callers). */
__attribute__((format(printf, 2, 0))) static char *vformat(lc_arena_t *a, const char *fmt,
                                                           va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = lc_arena_alloc(a, (size_t)n + 1);
    if (!s)
        return NULL;
    if ((size_t)n < sizeof tmp)
        memcpy(s, tmp, (size_t)n + 1);
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Adds a diagnostic; sets x->fatal when it failed for want of memory (not when over max). */
static gql_diag_t *add_diag(gql_exec_t *x, const gql_loc_t *locs, uint32_t nlocs,
                            const gql_path_t *path, const char *code, const char *msg) {
    uint32_t dropped = x->diags.dropped;
    gql_diag_t *d = gql_diags_add(&x->diags, locs, nlocs, "%s", msg ? msg : "Internal error");
    if (!d) {
        if (x->diags.dropped == dropped)
            x->fatal = LC_ENOMEM;
        return NULL;
    }
    d->code = code;
    if (path && gql_diag_set_path(&x->diags, d, path) != LC_OK)
        x->fatal = LC_ENOMEM;
    return d;
}

/* A field error located at every node of the field (graphql-js locatedError(fieldNodes)). */
__attribute__((format(printf, 5, 0))) static gql_diag_t *
vfield_error(gql_exec_t *x, const gql__pfield_t *pf, const gql_path_t *path, const char *code,
             const char *fmt, va_list ap) {
    gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
    uint32_t n = pf->nnodes < GQL_DIAG_MAX_LOCATIONS ? pf->nnodes : GQL_DIAG_MAX_LOCATIONS;
    for (uint32_t i = 0; i < n; i++)
        locs[i] = pf->nodes[i]->loc;
    char *msg = vformat(x->arena, fmt, ap);
    if (!msg) {
        x->fatal = LC_ENOMEM;
        return NULL;
    }
    return add_diag(x, locs, n, path, code, msg);
}

__attribute__((format(printf, 5, 6))) static int field_error(gql_exec_t *x, const gql__pfield_t *pf,
                                                             const gql_path_t *path,
                                                             const char *code, const char *fmt,
                                                             ...) {
    va_list ap;
    va_start(ap, fmt);
    vfield_error(x, pf, path, code, fmt, ap);
    va_end(ap);
    return x->fatal ? x->fatal : PROPAGATE;
}

gql_diag_t *gql_field_error(const gql_resolve_info_t *info, const char *code, const char *fmt,
                            ...) {
    /* Every info handed to a resolver is the head of an rinfo_t on the executor's stack. */
    rinfo_t *ri = (rinfo_t *)info;
    ri->errored = true;
    va_list ap;
    va_start(ap, fmt);
    gql_diag_t *d = vfield_error(info->exec, ri->pf, info->path, code, fmt, ap);
    va_end(ap);
    return d;
}

int gql_field_error_ext(const gql_resolve_info_t *info, gql_diag_t *d, const char *key,
                        lc_str_t value) {
    if (!d)
        return LC_EINVAL;
    return gql_diag_add_ext(&info->exec->diags, d, key, value);
}

/* ---- Operation selection (§6.1 GetOperation) ----------------------------------------------- */

int gql_select_operation(const gql_document_t *doc, lc_str_t operation_name,
                         const gql_operation_definition_t **out) {
    const gql_operation_definition_t *found = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *d = doc->definitions.items[i];
        if (d->node.kind != GQL_OPERATION_DEFINITION)
            continue;
        const gql_operation_definition_t *op = &d->operation;
        if (operation_name.ptr) {
            if (op->name.ptr && lc_str_eq(op->name, operation_name)) {
                *out = op;
                return LC_OK;
            }
        } else if (n++ == 0) {
            found = op;
        }
    }
    if (operation_name.ptr || n == 0)
        return LC_ENOTFOUND;
    if (n > 1)
        return LC_EINVAL;
    *out = found;
    return LC_OK;
}

/* ---- CollectFields (§6.3.2) ------------------------------------------------------------------ */

typedef struct collector {
    gql_exec_t *x;
    const gql_schema_type_t *type; /* the object type being collected for */
    const gql_field_t **flat;      /* fields in collection order; grouped afterwards */
    uint32_t n, cap;
    lc_str_t *visited; /* fragment names already spread */
    uint32_t nvisited, vcap;
    bool vary;      /* an @skip/@include read a variable */
    bool unkeyable; /* ... one past the 64 a signature holds */
} collector_t;

static bool grow(gql_exec_t *x, void **items, uint32_t *cap, uint32_t n, size_t size) {
    if (n < *cap)
        return true;
    uint32_t ncap = *cap ? *cap * 2 : 16;
    void *p = lc_arena_alloc(x->arena, (size_t)ncap * size);
    if (!p) {
        x->fatal = LC_ENOMEM;
        return false;
    }
    if (n)
        memcpy(p, *items, (size_t)n * size);
    *items = p;
    *cap = ncap;
    return true;
}

#define COND_ABSENT 2

/* The `if` of the first @skip or @include (`name`) in ds, as graphql-js getDirectiveValues()
 * reads it: 1 true, 0 false, COND_ABSENT without such a directive, -1 when the Boolean! cannot
 * be read (an explicit null, a variable without a value, no argument, a literal of another
 * kind) with x->cond_msg set (or x->fatal). A variable makes the collection depend on the
 * variables. A variable's value of another kind (impossible after validation) is neither true
 * nor false for graphql-js's `=== true` and `=== false`: COND_ABSENT. */
static int condition(collector_t *c, const gql_directive_list_t *ds, lc_str_t name) {
    gql_exec_t *x = c->x;
    const gql_directive_t *d = NULL;
    for (uint32_t i = 0; i < ds->count && !d; i++)
        if (lc_str_eq(ds->items[i]->name, name))
            d = ds->items[i];
    if (!d)
        return COND_ABSENT;
    const gql_value_t *v = NULL;
    for (uint32_t k = 0; k < d->arguments.count && !v; k++)
        if (lc_str_eq(d->arguments.items[k]->name, LC_STR("if")))
            v = d->arguments.items[k]->value;
    if (!v) {
        x->cond_msg = "Argument \"if\" of required type \"Boolean!\" was not provided.";
        x->cond_loc = d->loc;
        return -1;
    }
    x->cond_loc = v->loc;
    if (v->kind == GQL_BOOLEAN_VALUE)
        return v->boolean;
    if (v->kind == GQL_NULL_VALUE) {
        x->cond_msg = "Argument \"if\" of non-null type \"Boolean!\" must not be null.";
        return -1;
    }
    if (v->kind != GQL_VARIABLE) {
        lc_buf_t b;
        lc_buf_init(&b, x->arena, 64, 0);
        lc_buf_append_cstr(&b, "Argument \"if\" has invalid value ");
        gql_print_value(&b, v);
        lc_buf_append(&b, ".", 1);
        if (lc_buf_terminate(&b) != LC_OK) {
            x->fatal = LC_ENOMEM;
            return -1;
        }
        x->cond_msg = b.data;
        return -1;
    }
    c->vary = true;
    const gql_val_t *val = gql__var_lookup(&x->vars, v->name);
    if (val && val - x->vars.vals >= 64)
        c->unkeyable = true;
    if (!val || val->kind == GQL_VAL_UNDEFINED) {
        x->cond_msg = lc_arena_printf(x->arena,
                                      "Argument \"if\" of required type \"Boolean!\" was provided "
                                      "the variable \"$%.*s\" which was not provided a runtime "
                                      "value.",
                                      (int)v->name.len, v->name.ptr);
        if (!x->cond_msg)
            x->fatal = LC_ENOMEM;
        return -1;
    }
    if (val->kind == GQL_VAL_NULL) {
        x->cond_msg = "Argument \"if\" of non-null type \"Boolean!\" must not be null.";
        return -1;
    }
    return val->kind == GQL_VAL_BOOL ? val->b : COND_ABSENT;
}

/* §3.13 @skip / @include on a selection, as graphql-js shouldIncludeNode(): @skip first, then
 * @include. 1 include, 0 leave out, -1 an error (x->cond_msg, or x->fatal). */
static int should_include(collector_t *c, const gql_directive_list_t *ds) {
    if (ds->count == 0)
        return 1;
    int skip = condition(c, ds, LC_STR("skip"));
    if (skip < 0)
        return -1;
    if (skip == 1)
        return 0;
    int include = condition(c, ds, LC_STR("include"));
    if (include < 0)
        return -1;
    return include != 0;
}

static const gql_fragment_definition_t *find_fragment(const gql_document_t *doc, lc_str_t name) {
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *d = doc->definitions.items[i];
        if (d->node.kind == GQL_FRAGMENT_DEFINITION && lc_str_eq(d->fragment.name, name))
            return &d->fragment;
    }
    return NULL;
}

/* DoesFragmentTypeApply (§6.3.2). */
static bool type_applies(const gql_schema_t *s, const gql_type_t *cond,
                         const gql_schema_type_t *ot) {
    if (!cond)
        return true;
    const gql_schema_type_t *ct = gql_schema_find_type(s, cond->name);
    if (!ct)
        return false;
    if (ct == ot)
        return true;
    if (ct->kind == GQL_TK_INTERFACE || ct->kind == GQL_TK_UNION)
        return gql_schema_is_possible_type(s, ct, ot);
    return false;
}

/* Collects ss into c. false on failure: x->fatal, or x->cond_msg for an @skip/@include `if`
 * that is not a Boolean. */
static bool collect(collector_t *c, const gql_selection_set_t *ss) {
    gql_exec_t *x = c->x;
    int inc;
    for (uint32_t i = 0; i < ss->selections.count; i++) {
        const gql_selection_t *sel = ss->selections.items[i];
        switch (sel->node.kind) {
        case GQL_FIELD:
            inc = should_include(c, &sel->field.directives);
            if (inc < 0)
                return false;
            if (!inc)
                continue;
            if (!grow(x, (void **)&c->flat, &c->cap, c->n, sizeof *c->flat))
                return false;
            c->flat[c->n++] = &sel->field;
            break;
        case GQL_FRAGMENT_SPREAD: {
            lc_str_t name = sel->spread.name;
            bool seen = false;
            for (uint32_t k = 0; k < c->nvisited && !seen; k++)
                seen = lc_str_eq(c->visited[k], name);
            if (seen)
                continue;
            inc = should_include(c, &sel->spread.directives);
            if (inc < 0)
                return false;
            if (!inc)
                continue;
            if (!grow(x, (void **)&c->visited, &c->vcap, c->nvisited, sizeof *c->visited))
                return false;
            c->visited[c->nvisited++] = name;
            const gql_fragment_definition_t *f = find_fragment(x->req->document, name);
            if (!f || !type_applies(x->schema, f->type_condition, c->type))
                continue;
            if (!collect(c, f->selection_set))
                return false;
            break;
        }
        case GQL_INLINE_FRAGMENT:
            inc = should_include(c, &sel->inline_fragment.directives);
            if (inc < 0)
                return false;
            if (!inc || !type_applies(x->schema, sel->inline_fragment.type_condition, c->type))
                continue;
            if (!collect(c, sel->inline_fragment.selection_set))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

static inline lc_str_t response_key(const gql_field_t *f) {
    return f->alias.ptr ? f->alias : f->name;
}

static uint32_t hash_str(lc_str_t s) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < s.len; i++)
        h = (h ^ (unsigned char)s.ptr[i]) * 16777619u;
    return h;
}

static bool has_variables(const gql_value_t *v) {
    switch (v->kind) {
    case GQL_VARIABLE:
        return true;
    case GQL_LIST_VALUE:
        for (uint32_t i = 0; i < v->list.count; i++)
            if (has_variables(v->list.items[i]))
                return true;
        return false;
    case GQL_OBJECT_VALUE:
        for (uint32_t i = 0; i < v->object.count; i++)
            if (has_variables(v->object.items[i]->value))
                return true;
        return false;
    default:
        return false;
    }
}

/* What execution needs of one grouped response key, decided once. */
static bool plan_field(gql_exec_t *x, lc_arena_t *a, const gql_schema_type_t *type,
                       gql__pfield_t *pf) {
    const gql_field_t *node = pf->nodes[0];
    pf->key = response_key(node);
    char *kj = lc_arena_calloc(a, 1, pf->key.len + 4 < KEY_PAD ? KEY_PAD : pf->key.len + 4);
    if (!kj)
        goto nomem;
    kj[0] = ',';
    kj[1] = '"';
    memcpy(kj + 2, pf->key.ptr, pf->key.len);
    kj[pf->key.len + 2] = '"';
    kj[pf->key.len + 3] = ':';
    pf->key_json = kj;
    pf->key_json_len = (uint32_t)pf->key.len + 4;

    if (lc_str_eq(node->name, LC_STR("__typename"))) {
        pf->how = GQL__HOW_TYPENAME;
        return true;
    }
    pf->def = gql_schema_find_field(x->schema, type, node->name, true);
    if (!pf->def)
        return true; /* not executed (graphql-js skips unknown fields) */
    pf->leaf = leaf_code(pf->def->type);
    pf->intro = gql__introspect_field_id(x->schema, type, node->name);
    pf->how = pf->def->resolve ? GQL__HOW_RESOLVER
              : pf->intro      ? GQL__HOW_INTROSPECT
                               : GQL__HOW_DEFAULT;
    if (pf->def->resolve)
        pf->intro = 0;
    if (pf->def->nargs == 0)
        return true;

    /* Arguments without variables are coerced now, once; the rest on each execution. */
    pf->args_mode = GQL__ARGS_DYNAMIC;
    for (uint32_t i = 0; i < node->arguments.count; i++)
        if (has_variables(node->arguments.items[i]->value))
            return true;
    gql_val_t *args = lc_arena_alloc(a, pf->def->nargs * sizeof *args);
    if (!args)
        goto nomem;
    gql__vars_t none = {NULL, NULL};
    gql__arg_error_t err;
    int rc = gql__coerce_arguments(a, x->schema, &none, pf->def->args, pf->def->nargs,
                                   &node->arguments, node->loc, args, &err);
    if (rc == LC_ENOMEM)
        goto nomem;
    if (rc == LC_OK) {
        pf->args_mode = GQL__ARGS_CONST;
        pf->args = args;
    }
    return true;
nomem:
    x->fatal = LC_ENOMEM;
    return false;
}

/* Groups the collected fields by response key, first occurrence first, and plans each group.
 * The set goes in `a`. */
static gql__pset_t *build_set(gql_exec_t *x, collector_t *c, lc_arena_t *a) {
    uint32_t n = c->n, ngroups = 0;
    uint32_t *group = lc_arena_alloc(x->arena, (size_t)n * 2 * sizeof *group + 1);
    uint32_t tsize = 16;
    while (tsize < n * 2)
        tsize *= 2;
    uint32_t *table = lc_arena_calloc(x->arena, tsize, sizeof *table); /* group index + 1 */
    if (!group || !table)
        goto nomem;
    uint32_t *first = group + n; /* first flat index of each group */
    uint32_t *count = lc_arena_calloc(x->arena, n + 1, sizeof *count);
    if (!count)
        goto nomem;
    for (uint32_t i = 0; i < n; i++) {
        lc_str_t key = response_key(c->flat[i]);
        uint32_t h = hash_str(key) & (tsize - 1);
        while (table[h] && !lc_str_eq(response_key(c->flat[first[table[h] - 1]]), key))
            h = (h + 1) & (tsize - 1);
        if (!table[h]) {
            first[ngroups] = i;
            table[h] = ++ngroups;
        }
        group[i] = table[h] - 1;
        count[group[i]]++;
    }

    gql__pset_t *ps = lc_arena_calloc(a, 1, sizeof *ps);
    gql__pfield_t *fields = lc_arena_calloc(a, ngroups ? ngroups : 1, sizeof *fields);
    const gql_field_t **nodes = lc_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *nodes);
    if (!ps || !fields || !nodes)
        goto nomem;
    ps->type = c->type;
    ps->fields = fields;
    /* Each group's nodes are a slice of `nodes`, in document order. */
    uint32_t at = 0;
    for (uint32_t g = 0; g < ngroups; g++) {
        fields[g].nodes = nodes + at;
        at += count[g];
    }
    for (uint32_t i = 0; i < n; i++) {
        gql__pfield_t *pf = &fields[group[i]];
        ((const gql_field_t **)pf->nodes)[pf->nnodes++] = c->flat[i];
    }
    uint32_t kept = 0;
    for (uint32_t g = 0; g < ngroups; g++) {
        if (!plan_field(x, a, c->type, &fields[g]))
            return NULL;
        if (fields[g].how == GQL__HOW_TYPENAME || fields[g].def)
            fields[kept++] = fields[g];
    }
    ps->nfields = kept;
    return ps;
nomem:
    x->fatal = LC_ENOMEM;
    return NULL;
}

static bool plan_matches(const gql_exec_t *x, const gql__pset_t *s, const gql_schema_type_t *ot) {
    return s->type == ot && (!s->vary || (s->sig == x->sig && s->sig_def == x->sig_def));
}

/* Plans a collected set in the plan's arena, or in the request's when it cannot be kept: under
 * a transient parent, or when it depends on variables in a way the memo cannot key or bound. */
static gql__pset_t *plan_set(gql_exec_t *x, collector_t *c, bool parent_transient,
                             uint32_t nvariants) {
    bool transient =
        parent_transient || (c->vary && (c->unkeyable || nvariants >= GQL__MAX_VARIANTS ||
                                         x->plan->nvariants >= GQL__MAX_PLAN_VARIANTS));
    gql__pset_t *s = build_set(x, c, transient ? x->arena : x->plan_arena);
    if (!s)
        return NULL;
    s->vary = c->vary;
    s->transient = transient;
    if (c->vary && !transient)
        x->plan->nvariants++;
    s->sig = x->sig;
    s->sig_def = x->sig_def;
    return s;
}

/* The plan of `nodes`' merged selection sets for object type `ot` (CollectSubfields). */
static gql__pset_t *sub_plan(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                             const gql_schema_type_t *ot) {
    for (gql__pset_t *s = pf->subs; s; s = s->next)
        if (plan_matches(x, s, ot))
            return s;
    collector_t c = {.x = x, .type = ot};
    for (uint32_t i = 0; i < pf->nnodes; i++)
        if (pf->nodes[i]->selection_set && !collect(&c, pf->nodes[i]->selection_set))
            return NULL;
    gql__pset_t *s = plan_set(x, &c, ps->transient, pf->nvariants);
    if (!s)
        return NULL;
    if (!s->transient || ps->transient) { /* a transient set under a kept field is not kept */
        s->next = pf->subs;
        pf->subs = s;
        pf->nvariants += s->vary;
    }
    return s;
}

/* ---- Completion (§6.4.3 CompleteValue) ------------------------------------------------------ */

/* After sub_plan failed: out of memory, or an @skip/@include `if` that is not a Boolean, which
 * is an error of the position whose sub-selection it is (graphql-js throws it from
 * completeObjectValue, so it is located at the `if` value and nulls that position). */
static int collect_failed(gql_exec_t *x, const gql_path_t *path) {
    if (x->fatal || !x->cond_msg)
        return x->fatal ? x->fatal : LC_ENOMEM;
    add_diag(x, &x->cond_loc, 1, path, NULL, x->cond_msg);
    x->cond_msg = NULL;
    return x->fatal ? x->fatal : PROPAGATE;
}

static int exec_set(gql_exec_t *x, const gql__pset_t *ps, const gql_val_t *parent,
                    const gql_path_t *path);
static int complete(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                    const gql_schema_type_t *t, const gql_val_t *v, const gql_path_t *path);

/* An object value's selection set, one level deeper. Data nested deeper than any client needs
 * (a cycle in the schema and the data) would otherwise recurse without bound. */
static int exec_object(gql_exec_t *x, const gql__pset_t *sub, const gql__pfield_t *pf,
                       const gql_val_t *v, const gql_path_t *path) {
    if (x->depth >= GQL__EXEC_MAX_DEPTH)
        return field_error(x, pf, path, NULL, "Query exceeds the maximum depth of %u.",
                           (unsigned)GQL__EXEC_MAX_DEPTH);
    x->depth++;
    int rc = exec_set(x, sub, v, path);
    x->depth--;
    return rc;
}

#define STR_ARGS(s) (int)(s).len, (s).ptr

static int complete_leaf(gql_exec_t *x, const gql__pfield_t *pf, const gql_schema_type_t *t,
                         const gql_val_t *v, const gql_path_t *path) {
    lc_buf_t *b = x->out;
    if (put_leaf(b, leaf_code(t), v))
        return LC_OK;
    size_t mark = b->len;
    const char *why = NULL;
    int rc = gql__serialize_leaf(x->arena, t, v, b, &why);
    if (rc == LC_OK)
        return LC_OK;
    b->len = mark;
    if (rc == LC_ENOMEM) {
        x->fatal = LC_ENOMEM;
        return LC_ENOMEM;
    }
    return field_error(x, pf, path, NULL, "%s", why ? why : "Internal error");
}

static int complete_list(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                         const gql_schema_type_t *t, const gql_val_t *v, const gql_path_t *path) {
    if (v->kind != GQL_VAL_LIST)
        return field_error(x, pf, path, NULL,
                           "Expected Iterable, but did not find one for field \"%.*s.%.*s\".",
                           STR_ARGS(ps->type->name), STR_ARGS(pf->def->name));
    lc_buf_t *b = x->out;
    const gql_schema_type_t *it = t->of_type;
    bool item_nn = it->kind == GQL_TK_NON_NULL;
    const gql_schema_type_t *named = item_nn ? it->of_type : it;
    uint8_t leaf = leaf_code(it);
    /* Items of an object type share one plan: look it up once for the list. */
    const gql__pset_t *sub = NULL;
    if (named->kind == GQL_TK_OBJECT && v->count) {
        sub = sub_plan(x, ps, pf, named);
        if (!sub && x->fatal)
            return x->fatal;
        /* A failed collection is an error of each item (not null) that needs it: those go
         * through complete(), which collects again and reports it at the item's path. */
        x->cond_msg = NULL;
    }
    put_c(b, '[');
    for (uint32_t i = 0; i < v->count; i++) {
        if (i)
            put_c(b, ',');
        const gql_val_t *item = &v->items[i];
        if (leaf && put_leaf(b, leaf, item))
            continue;
        gql_path_t ip = {path, LC_STR_NULL, (int64_t)i};
        int rc;
        if (sub && item->kind > GQL_VAL_NULL) {
            size_t mark = b->len;
            rc = exec_object(x, sub, pf, item, &ip);
            if (rc == PROPAGATE && !item_nn) {
                b->len = mark;
                lc_json_write_null(b);
                rc = LC_OK;
            }
        } else {
            rc = complete(x, ps, pf, it, item, &ip);
        }
        if (rc != LC_OK)
            return rc; /* an item of [T!] is null: the list is (§6.4.4) */
    }
    put_c(b, ']');
    return LC_OK;
}

static const gql_val_t *map_prop(const gql_val_t *m, lc_str_t name) {
    for (uint32_t i = 0; i < m->count; i++)
        if (lc_str_eq(m->props[i].name, name))
            return &m->props[i].value;
    return NULL;
}

/* §6.4.3 ResolveAbstractType: the value's own type, the type's hook, or — as graphql-js's
 * default type resolver — a map's "__typename" property. */
static int complete_abstract(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                             const gql_schema_type_t *t, const gql_val_t *v,
                             const gql_path_t *path) {
    const gql_schema_type_t *rt = NULL;
    if (v->kind == GQL_VAL_OBJECT && v->obj.type) {
        rt = v->obj.type;
    } else if (t->resolve_type) {
        rt = t->resolve_type(t->resolve_type_ctx, v, t);
    } else if (v->kind == GQL_VAL_MAP) {
        const gql_val_t *tn = map_prop(v, LC_STR("__typename"));
        if (tn && tn->kind == GQL_VAL_STRING) {
            rt = gql_schema_find_type(x->schema, tn->s);
            if (!rt)
                return field_error(x, pf, path, NULL,
                                   "Abstract type \"%.*s\" was resolved to a type \"%.*s\" that "
                                   "does not exist inside the schema.",
                                   STR_ARGS(t->name), STR_ARGS(tn->s));
        }
    }
    if (!rt)
        return field_error(x, pf, path, NULL,
                           "Abstract type \"%.*s\" must resolve to an Object type at runtime for "
                           "field \"%.*s.%.*s\". Either the \"%.*s\" type should provide a "
                           "\"resolveType\" function or each possible type should provide an "
                           "\"isTypeOf\" function.",
                           STR_ARGS(t->name), STR_ARGS(ps->type->name), STR_ARGS(pf->def->name),
                           STR_ARGS(t->name));
    if (rt->kind != GQL_TK_OBJECT)
        return field_error(x, pf, path, NULL,
                           "Abstract type \"%.*s\" was resolved to a non-object type \"%.*s\".",
                           STR_ARGS(t->name), STR_ARGS(rt->name));
    if (!gql_schema_is_possible_type(x->schema, t, rt))
        return field_error(x, pf, path, NULL,
                           "Runtime Object type \"%.*s\" is not a possible type for \"%.*s\".",
                           STR_ARGS(rt->name), STR_ARGS(t->name));
    const gql__pset_t *sub = sub_plan(x, ps, pf, rt);
    if (!sub)
        return collect_failed(x, path);
    return exec_object(x, sub, pf, v, path);
}

/* CompleteValue for a value known not to be null, of a nullable type kind. */
static int complete_nn(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                       const gql_schema_type_t *t, const gql_val_t *v, const gql_path_t *path) {
    switch (t->kind) {
    case GQL_TK_SCALAR:
    case GQL_TK_ENUM:
        return complete_leaf(x, pf, t, v, path);
    case GQL_TK_LIST:
        return complete_list(x, ps, pf, t, v, path);
    case GQL_TK_OBJECT: {
        const gql__pset_t *sub = sub_plan(x, ps, pf, t);
        if (!sub)
            return collect_failed(x, path);
        return exec_object(x, sub, pf, v, path);
    }
    case GQL_TK_INTERFACE:
    case GQL_TK_UNION:
        return complete_abstract(x, ps, pf, t, v, path);
    default:
        return field_error(x, pf, path, NULL, "Internal error");
    }
}

static int complete(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                    const gql_schema_type_t *t, const gql_val_t *v, const gql_path_t *path) {
    if (t->kind == GQL_TK_NON_NULL) {
        if (v->kind <= GQL_VAL_NULL)
            return field_error(x, pf, path, NULL,
                               "Cannot return null for non-nullable field %.*s.%.*s.",
                               STR_ARGS(ps->type->name), STR_ARGS(pf->def->name));
        return complete_nn(x, ps, pf, t->of_type, v, path);
    }
    if (v->kind <= GQL_VAL_NULL)
        return lc_json_write_null(x->out), LC_OK;
    size_t mark = x->out->len;
    int rc = complete_nn(x, ps, pf, t, v, path);
    if (rc == PROPAGATE) {
        /* §6.4.4: a nullable position absorbs the null of a non-null descendant. */
        x->out->len = mark;
        lc_json_write_null(x->out);
        return LC_OK;
    }
    return rc;
}

/* ---- Fields (§6.4 ExecuteField) ------------------------------------------------------------- */

static int call_resolver(gql_exec_t *x, const gql__pset_t *ps, gql__pfield_t *pf,
                         const gql_val_t *parent, const gql_path_t *path, gql_val_t *out) {
    const gql_schema_field_t *def = pf->def;
    const gql_val_t *args = pf->args;
    if (pf->args_mode == GQL__ARGS_DYNAMIC) {
        gql_val_t *a = lc_arena_alloc(x->arena, def->nargs * sizeof *a);
        if (!a)
            return x->fatal = LC_ENOMEM;
        gql__arg_error_t err;
        const gql_field_t *node = pf->nodes[0];
        int rc = gql__coerce_arguments(x->arena, x->schema, &x->vars, def->args, def->nargs,
                                       &node->arguments, node->loc, a, &err);
        if (rc == LC_EINVAL) {
            add_diag(x, &err.loc, 1, path, NULL, err.message);
            return x->fatal ? x->fatal : FIELD_NULL;
        }
        if (rc != LC_OK)
            return x->fatal = LC_ENOMEM;
        args = a;
    }
    if (pf->how == GQL__HOW_INTROSPECT) {
        if (gql__introspect_resolve(x->schema, x->arena, pf->intro, parent, args, out) != LC_OK)
            return x->fatal = LC_ENOMEM;
        return LC_OK;
    }
    rinfo_t ri = {
        .info = {.schema = x->schema,
                 .field = def,
                 .parent_type = ps->type,
                 .node = pf->nodes[0],
                 .path = path,
                 .arena = x->arena,
                 .context = x->req->context,
                 .exec = x},
        .pf = pf,
    };
    *out = null_val;
    int rc = def->resolve(&ri.info, parent, args, out);
    if (rc == LC_OK)
        return LC_OK;
    if (!ri.errored)
        field_error(x, pf, path, "INTERNAL_SERVER_ERROR", "Internal error");
    return x->fatal ? x->fatal : FIELD_NULL;
}

/* The default resolver: the parent map's property of the field's name. Maps of one kind of
 * object list their properties in one order, so last time's index usually hits. */
static inline const gql_val_t *default_value(gql__pfield_t *pf, const gql_val_t *parent) {
    if (parent->kind != GQL_VAL_MAP)
        return &null_val;
    lc_str_t name = pf->def->name;
    uint32_t h = pf->prop_hint;
    const gql_prop_t *props = parent->props;
    if (h < parent->count && name_eq(props[h].name, name))
        return &props[h].value;
    for (uint32_t i = 0; i < parent->count; i++) {
        if (name_eq(props[i].name, name)) {
            pf->prop_hint = i;
            return &props[i].value;
        }
    }
    return &null_val;
}

/* §6.3 ExecuteSelectionSet with §6.4 ExecuteField inlined, fields in order. Also §6.2.2's serial
 * execution of mutation root fields: each field completes before the next one starts. */
static int exec_set(gql_exec_t *x, const gql__pset_t *ps, const gql_val_t *parent,
                    const gql_path_t *path) {
    lc_buf_t *b = x->out;
    put_c(b, '{');
    for (uint32_t i = 0; i < ps->nfields; i++) {
        gql__pfield_t *pf = &ps->fields[i];
        put_key(b, pf, i == 0);
        gql_path_t fp = {path, pf->key, 0};
        const gql_val_t *vp;
        gql_val_t v;
        if (pf->how == GQL__HOW_DEFAULT) {
            vp = default_value(pf, parent);
        } else if (pf->how == GQL__HOW_TYPENAME) {
            put_json_str(b, ps->type->name);
            continue;
        } else {
            int rc = call_resolver(x, ps, pf, parent, &fp, &v);
            if (rc == FIELD_NULL) {
                if (pf->def->type->kind == GQL_TK_NON_NULL)
                    return PROPAGATE; /* siblings are not executed after this (graphql-js) */
                lc_json_write_null(b);
                continue;
            }
            if (rc != LC_OK)
                return rc;
            vp = &v;
        }
        if (pf->leaf && put_leaf(b, pf->leaf, vp))
            continue;
        int rc = complete(x, ps, pf, pf->def->type, vp, &fp);
        if (rc != LC_OK)
            return rc;
    }
    put_c(b, '}');
    return b->err;
}

/* ---- Requests ------------------------------------------------------------------------------ */

void gql__plan_init(gql__plan_t *p, lc_arena_t *arena, const gql_schema_t *schema,
                    const gql_document_t *doc) {
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->schema = schema;
    p->doc = doc;
}

/* Marks in *mask the variables (by index) that an @skip/@include under `ss` reads; sets *over
 * for one past index 63. */
static void condition_variables(const gql_operation_definition_t *op, const gql_selection_set_t *ss,
                                uint64_t *mask, bool *over) {
    for (uint32_t i = 0; ss && i < ss->selections.count; i++) {
        const gql_selection_t *sel = ss->selections.items[i];
        const gql_directive_list_t *ds = sel->node.kind == GQL_FIELD ? &sel->field.directives
                                         : sel->node.kind == GQL_FRAGMENT_SPREAD
                                             ? &sel->spread.directives
                                             : &sel->inline_fragment.directives;
        for (uint32_t k = 0; k < ds->count; k++) {
            const gql_directive_t *d = ds->items[k];
            for (uint32_t j = 0; j < d->arguments.count; j++) {
                const gql_value_t *v = d->arguments.items[j]->value;
                if (v->kind != GQL_VARIABLE)
                    continue;
                for (uint32_t n = 0; n < op->variables.count; n++) {
                    if (!lc_str_eq(op->variables.items[n]->name, v->name))
                        continue;
                    if (n < 64)
                        *mask |= (uint64_t)1 << n;
                    else
                        *over = true;
                }
            }
        }
        if (sel->node.kind == GQL_FIELD)
            condition_variables(op, sel->field.selection_set, mask, over);
        else if (sel->node.kind == GQL_INLINE_FRAGMENT)
            condition_variables(op, sel->inline_fragment.selection_set, mask, over);
    }
}

static gql__oplan_t *op_plan(gql_exec_t *x, gql__plan_t *plan,
                             const gql_operation_definition_t *op) {
    gql__oplan_t *o = plan->ops;
    while (o && o->op != op)
        o = o->next;
    if (o)
        return o;
    o = lc_arena_calloc(plan->arena, 1, sizeof *o);
    if (!o) {
        x->fatal = LC_ENOMEM;
        return NULL;
    }
    o->op = op;
    /* Which variables can select plans: those read by @skip/@include in the operation or in any
     * fragment of the document (a superset of those it spreads, which is enough). */
    bool over = false;
    condition_variables(op, op->selection_set, &o->cond_mask, &over);
    const gql_document_t *doc = plan->doc;
    for (uint32_t i = 0; i < doc->definitions.count; i++)
        if (doc->definitions.items[i]->node.kind == GQL_FRAGMENT_DEFINITION)
            condition_variables(op, doc->definitions.items[i]->fragment.selection_set,
                                &o->cond_mask, &over);
    o->next = plan->ops;
    plan->ops = o;
    return o;
}

static const gql__pset_t *root_plan(gql_exec_t *x, gql__oplan_t *o, const gql_schema_type_t *root) {
    for (gql__pset_t *s = o->roots; s; s = s->next)
        if (plan_matches(x, s, root))
            return s;
    collector_t c = {.x = x, .type = root};
    if (!collect(&c, o->op->selection_set))
        return NULL;
    gql__pset_t *s = plan_set(x, &c, false, o->nvariants);
    if (!s)
        return NULL;
    if (!s->transient) {
        s->next = o->roots;
        o->roots = s;
        o->nvariants += s->vary;
    }
    return s;
}

__attribute__((format(printf, 4, 5))) static void
request_error(gql_exec_t *x, const gql_loc_t *loc, uint32_t nlocs, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(x->arena, fmt, ap);
    va_end(ap);
    if (!msg)
        x->fatal = LC_ENOMEM;
    else
        add_diag(x, loc, nlocs, NULL, NULL, msg);
}

static int write_errors_only(gql_exec_t *x, gql_result_t *res) {
    if (x->fatal)
        return x->fatal;
    lc_buf_t *b = x->out;
    lc_buf_append(b, "{\"errors\":", 10);
    gql_diags_write_json(&x->diags, b);
    lc_buf_putc(b, '}');
    if (res) {
        res->request_error = true;
        res->nerrors = x->diags.count;
    }
    return b->err;
}

int gql_execute(lc_arena_t *arena, const gql_request_t *req, lc_buf_t *out, gql_result_t *res) {
    gql_exec_t x = {.arena = arena, .req = req, .schema = req->schema, .out = out};
    gql_diags_init(&x.diags, arena, req->max_errors);
    if (res)
        memset(res, 0, sizeof *res);

    const gql_operation_definition_t *op = NULL;
    int rc = gql_select_operation(req->document, req->operation_name, &op);
    if (rc == LC_EINVAL) {
        request_error(&x, NULL, 0,
                      "Must provide operation name if query contains multiple operations.");
        return write_errors_only(&x, res);
    }
    if (rc != LC_OK) {
        if (req->operation_name.ptr)
            request_error(&x, NULL, 0, "Unknown operation named \"%.*s\".",
                          STR_ARGS(req->operation_name));
        else
            request_error(&x, NULL, 0, "Must provide an operation.");
        return write_errors_only(&x, res);
    }
    if (op->operation == GQL_OP_SUBSCRIPTION) {
        request_error(&x, &op->loc, 1, "Subscriptions are not supported.");
        return write_errors_only(&x, res);
    }
    x.vars.op = op;
    x.vars.vals = &null_val; /* variables are available (none): a reference to one is absent */
    if (op->variables.count) {
        gql_val_t *vals = NULL;
        rc = gql__coerce_variables(arena, x.schema, op, req->variables, &x.diags, &vals);
        if (rc == LC_EINVAL)
            return write_errors_only(&x, res);
        if (rc != LC_OK)
            return LC_ENOMEM;
        x.vars.vals = vals;
    }

    const gql_schema_type_t *root =
        op->operation == GQL_OP_MUTATION ? x.schema->mutation : x.schema->query;
    lc_buf_append(out, "{\"data\":", 8);
    size_t mark = out->len;
    bool data_null = false;
    if (!root) {
        request_error(&x, &op->loc, 1, "Schema is not configured to execute %s operation.",
                      op->operation == GQL_OP_MUTATION ? "mutation" : "query");
        lc_json_write_null(out);
        data_null = true;
    } else {
        gql__plan_t local, *plan = NULL;
        if (req->doc_cache)
            plan = gql__doc_cache_plan(req->doc_cache, x.schema, req->document);
        if (!plan) {
            gql__plan_init(&local, arena, x.schema, req->document);
            plan = &local;
        }
        x.plan_arena = plan->arena;
        x.plan = plan;
        gql__oplan_t *o = op_plan(&x, plan, op);
        if (!o)
            return x.fatal;
        for (uint32_t i = 0; i < op->variables.count && i < 64; i++) {
            const gql_val_t *v = &x.vars.vals[i];
            if (v->kind == GQL_VAL_BOOL && (o->cond_mask >> i & 1)) {
                x.sig_def |= (uint64_t)1 << i;
                x.sig |= (uint64_t)v->b << i;
            }
        }
        const gql__pset_t *ps = root_plan(&x, o, root);
        if (!ps && (x.fatal || !x.cond_msg))
            return x.fatal ? x.fatal : LC_ENOMEM;
        if (!ps) {
            /* An @skip/@include `if` that is not a Boolean in the root selection: graphql-js
             * throws it from executeOperation, an error of the whole result. */
            add_diag(&x, &x.cond_loc, 1, NULL, NULL, x.cond_msg);
            rc = PROPAGATE;
        } else {
            gql_val_t root_value = req->root_value ? *req->root_value : null_val;
            rc = exec_set(&x, ps, &root_value, NULL);
        }
        if (rc == PROPAGATE) {
            out->len = mark;
            lc_json_write_null(out);
            data_null = true;
        } else if (rc != LC_OK) {
            return x.fatal ? x.fatal : (out->err ? out->err : rc);
        }
    }
    if (x.fatal)
        return x.fatal;
    if (x.diags.count) {
        lc_buf_append(out, ",\"errors\":", 10);
        gql_diags_write_json(&x.diags, out);
    }
    lc_buf_putc(out, '}');
    if (out->err)
        return out->err;
    if (res) {
        res->data_null = data_null;
        res->nerrors = x.diags.count;
    }
    return LC_OK;
}
