/* SPDX-License-Identifier: MIT */
/* Input and result coercion (Oct 2021 §3.5 scalars, §3.9 enums, §3.10 input objects, §3.11
 * lists; §6.1.2 CoerceVariableValues; §6.4.1 CoerceArgumentValues) with graphql-js 16's
 * messages. Variables arrive as raw JSON-like values (coerceInputValue); arguments and defaults
 * as AST literals (valueFromAST). Leaves written to the response go through
 * gql__serialize_leaf unless the executor's fast path already wrote them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"
#include "gql/print.h"
#include "lectern/json.h"

#define STR_ARGS(s) (int)(s).len, (s).ptr
#define MAX_VARIABLE_ERRORS 50 /* graphql-js coerceVariableValues maxErrors */
#define MAX_SUGGEST_INPUT 256  /* longer unknown names get no "Did you mean" (cost bound) */
#define MAX_SUGGESTIONS 5

/* ---- Small helpers ------------------------------------------------------------------------- */

static const gql_val_t *map_prop(const gql_val_t *m, lc_str_t name) {
    if (m->kind != GQL_VAL_MAP)
        return NULL;
    for (uint32_t i = 0; i < m->count; i++)
        if (lc_str_eq(m->props[i].name, name))
            return &m->props[i].value;
    return NULL;
}

const gql_val_t *gql__var_lookup(const gql__vars_t *vars, lc_str_t name) {
    if (!vars->op || !vars->vals)
        return NULL;
    const gql_variable_definition_list_t *defs = &vars->op->variables;
    for (uint32_t i = 0; i < defs->count; i++)
        if (lc_str_eq(defs->items[i]->name, name))
            return &vars->vals[i];
    return NULL;
}

const gql_schema_type_t *gql__type_from_ast(lc_arena_t *arena, const gql_schema_t *s,
                                            const gql_type_t *t) {
    if (t->kind == GQL_NAMED_TYPE)
        return gql_schema_find_type(s, t->name);
    const gql_schema_type_t *of = gql__type_from_ast(arena, s, t->of);
    if (!of)
        return NULL;
    const gql_schema_type_t *w = t->kind == GQL_LIST_TYPE ? of->list_of : of->non_null_of;
    if (w)
        return w;
    /* A wrapper the schema never spells: a private one; coercion reads only kind and of_type. */
    gql_schema_type_t *n = lc_arena_calloc(arena, 1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = t->kind == GQL_LIST_TYPE ? GQL_TK_LIST : GQL_TK_NON_NULL;
    n->of_type = of;
    return n;
}

/* The type's SDL spelling, NUL-terminated in the arena ("?" when out of memory). */
static const char *type_str(lc_arena_t *a, const gql_schema_type_t *t) {
    lc_buf_t b;
    lc_buf_init(&b, a, 32, 0);
    if (t->kind == GQL_TK_NON_NULL) {
        lc_buf_append_cstr(&b, type_str(a, t->of_type));
        lc_buf_putc(&b, '!');
    } else if (t->kind == GQL_TK_LIST) {
        lc_buf_putc(&b, '[');
        lc_buf_append_cstr(&b, type_str(a, t->of_type));
        lc_buf_putc(&b, ']');
    } else {
        lc_buf_append_str(&b, t->name);
    }
    return lc_buf_terminate(&b) == LC_OK ? b.data : "?";
}

/* Checked like printf at each caller: a va_list helper takes its format through the caller's
 * own format attribute. */
__attribute__((format(printf, 2, 0))) static char *vfmt(lc_arena_t *a, const char *fmt,
                                                        va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = lc_arena_alloc(a, (size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

__attribute__((format(printf, 2, 3))) static char *fmt(lc_arena_t *a, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *s = vfmt(a, f, ap);
    va_end(ap);
    return s;
}

/* ---- inspect() ------------------------------------------------------------------------------ */

/* JavaScript's Number.prototype.toString for a double. */
static void write_js_number(lc_buf_t *b, double d) {
    if (isnan(d)) {
        lc_buf_append_cstr(b, "NaN");
        return;
    }
    if (isinf(d)) {
        lc_buf_append_cstr(b, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (d == 0) {
        lc_buf_putc(b, '0');
        return;
    }
    /* Shortest digits that read back, then JS's layout rules. */
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    const char *s = tmp;
    if (*s == '-') {
        lc_buf_putc(b, '-');
        s++;
    }
    char digits[20];
    int k = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[k++] = *s;
    int e = *s == 'e' ? (int)strtol(s + 1, NULL, 10) : 0;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    int n = e + 1;
    if (k <= n && n <= 21) {
        lc_buf_append(b, digits, (size_t)k);
        for (int i = k; i < n; i++)
            lc_buf_putc(b, '0');
    } else if (0 < n && n <= 21) {
        lc_buf_append(b, digits, (size_t)n);
        lc_buf_putc(b, '.');
        lc_buf_append(b, digits + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        lc_buf_append(b, "0.", 2);
        for (int i = 0; i < -n; i++)
            lc_buf_putc(b, '0');
        lc_buf_append(b, digits, (size_t)k);
    } else {
        lc_buf_putc(b, digits[0]);
        if (k > 1) {
            lc_buf_putc(b, '.');
            lc_buf_append(b, digits + 1, (size_t)(k - 1));
        }
        lc_buf_printf(b, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
    }
}

/* graphql-js jsutils/inspect: arrays past 10 items elided, nesting past 2 levels summarized. */
static void inspect(lc_buf_t *b, const gql_val_t *v, int depth) {
    switch (v->kind) {
    case GQL_VAL_UNDEFINED:
        lc_buf_append_cstr(b, "undefined");
        break;
    case GQL_VAL_NULL:
        lc_buf_append_cstr(b, "null");
        break;
    case GQL_VAL_BOOL:
        lc_buf_append_cstr(b, v->b ? "true" : "false");
        break;
    case GQL_VAL_INT:
        lc_buf_append_i64(b, v->i);
        break;
    case GQL_VAL_FLOAT:
        write_js_number(b, v->f);
        break;
    case GQL_VAL_STRING:
    case GQL_VAL_ENUM:
        lc_json_write_str(b, v->s);
        break;
    case GQL_VAL_RAW:
        lc_buf_append_str(b, v->s);
        break;
    case GQL_VAL_LIST: {
        if (v->count == 0) {
            lc_buf_append_cstr(b, "[]");
            break;
        }
        if (depth >= 2) {
            lc_buf_append_cstr(b, "[Array]");
            break;
        }
        uint32_t n = v->count < 10 ? v->count : 10;
        lc_buf_putc(b, '[');
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                lc_buf_append(b, ", ", 2);
            inspect(b, &v->items[i], depth + 1);
        }
        if (v->count - n == 1)
            lc_buf_append_cstr(b, ", ... 1 more item");
        else if (v->count > n)
            lc_buf_printf(b, ", ... %u more items", v->count - n);
        lc_buf_putc(b, ']');
        break;
    }
    case GQL_VAL_MAP:
        if (v->count == 0) {
            lc_buf_append_cstr(b, "{}");
            break;
        }
        if (depth >= 2) {
            lc_buf_append_cstr(b, "[Object]");
            break;
        }
        lc_buf_append(b, "{ ", 2);
        for (uint32_t i = 0; i < v->count; i++) {
            if (i)
                lc_buf_append(b, ", ", 2);
            lc_buf_append_str(b, v->props[i].name);
            lc_buf_append(b, ": ", 2);
            inspect(b, &v->props[i].value, depth + 1);
        }
        lc_buf_append(b, " }", 2);
        break;
    case GQL_VAL_OBJECT:
        lc_buf_append_cstr(b, "{}");
        break;
    }
}

void gql__inspect(lc_buf_t *b, const gql_val_t *v) {
    inspect(b, v, 0);
}

static const char *inspect_str(lc_arena_t *a, const gql_val_t *v) {
    lc_buf_t b;
    lc_buf_init(&b, a, 64, 0);
    inspect(&b, v, 0);
    return lc_buf_terminate(&b) == LC_OK ? b.data : "?";
}

/* ---- "Did you mean" (graphql-js suggestionList / didYouMean) ------------------------------- */

static unsigned char lower(unsigned char c) {
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Damerau-Levenshtein distance with transpositions, case-insensitive, capped at threshold
 * (graphql-js LexicalDistance); -1 when over it. Byte-wise: names are ASCII. */
static int lexical_distance(lc_str_t input, lc_str_t option, int threshold) {
    if (lc_str_eq(input, option))
        return 0;
    if (input.len == option.len) {
        bool same = true;
        for (size_t i = 0; i < input.len && same; i++)
            same = lower((unsigned char)input.ptr[i]) == lower((unsigned char)option.ptr[i]);
        if (same)
            return 1;
    }
    lc_str_t a = option, b = input;
    if (a.len < b.len) {
        a = input;
        b = option;
    }
    if ((int)(a.len - b.len) > threshold || b.len > MAX_SUGGEST_INPUT)
        return -1;
    int rows[3][MAX_SUGGEST_INPUT + 1];
    for (size_t j = 0; j <= b.len; j++)
        rows[0][j] = (int)j;
    for (size_t i = 1; i <= a.len; i++) {
        int *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        int smallest = cur[0] = (int)i;
        for (size_t j = 1; j <= b.len; j++) {
            unsigned char ai = lower((unsigned char)a.ptr[i - 1]);
            unsigned char bj = lower((unsigned char)b.ptr[j - 1]);
            int cost = ai == bj ? 0 : 1;
            int cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell)
                cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell)
                cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && ai == lower((unsigned char)b.ptr[j - 2]) &&
                lower((unsigned char)a.ptr[i - 2]) == bj) {
                int dd = rows[(i - 2) % 3][j - 2] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return -1;
    }
    int d = rows[a.len % 3][b.len];
    return d <= threshold ? d : -1;
}

/* graphql-js naturalCompare: digit runs compare as numbers. */
static int natural_compare(lc_str_t a, lc_str_t b) {
    size_t i = 0, j = 0;
    while (i < a.len && j < b.len) {
        unsigned char ca = (unsigned char)a.ptr[i], cb = (unsigned char)b.ptr[j];
        if (ca >= '0' && ca <= '9' && cb >= '0' && cb <= '9') {
            uint64_t na = 0, nb = 0;
            do
                na = na * 10 + (uint64_t)(a.ptr[i++] - '0');
            while (i < a.len && a.ptr[i] >= '0' && a.ptr[i] <= '9');
            do
                nb = nb * 10 + (uint64_t)(b.ptr[j++] - '0');
            while (j < b.len && b.ptr[j] >= '0' && b.ptr[j] <= '9');
            if (na != nb)
                return na < nb ? -1 : 1;
        } else {
            if (ca != cb)
                return ca < cb ? -1 : 1;
            i++;
            j++;
        }
    }
    return (int)(a.len - i) - (int)(b.len - j);
}

/* Appends " Did you mean [sub ]"a", "b", or "c"?" for the options near `input`. */
static void did_you_mean(lc_buf_t *b, const char *sub, lc_str_t input, const lc_str_t *options,
                         size_t stride, uint32_t n) {
    if (input.len > MAX_SUGGEST_INPUT)
        return;
    lc_str_t best[MAX_SUGGESTIONS + 1];
    int dist[MAX_SUGGESTIONS + 1];
    uint32_t nbest = 0;
    int threshold = (int)(input.len * 4 / 10) + 1;
    for (uint32_t i = 0; i < n; i++) {
        lc_str_t o = *(const lc_str_t *)((const char *)options + i * stride);
        int d = lexical_distance(input, o, threshold);
        if (d < 0)
            continue;
        /* insertion into the sorted top list */
        uint32_t at = nbest;
        while (at > 0 &&
               (dist[at - 1] > d || (dist[at - 1] == d && natural_compare(best[at - 1], o) > 0)))
            at--;
        if (at >= MAX_SUGGESTIONS)
            continue;
        uint32_t end = nbest < MAX_SUGGESTIONS ? nbest : MAX_SUGGESTIONS - 1;
        for (uint32_t k = end; k > at; k--) {
            best[k] = best[k - 1];
            dist[k] = dist[k - 1];
        }
        best[at] = o;
        dist[at] = d;
        if (nbest < MAX_SUGGESTIONS)
            nbest++;
    }
    if (!nbest)
        return;
    lc_buf_append_cstr(b, " Did you mean ");
    if (sub) {
        lc_buf_append_cstr(b, sub);
        lc_buf_putc(b, ' ');
    }
    for (uint32_t i = 0; i < nbest; i++) {
        if (i && nbest > 2)
            lc_buf_append(b, ", ", 2);
        if (i && i == nbest - 1)
            lc_buf_append_cstr(b, nbest > 2 ? "or " : " or ");
        lc_buf_printf(b, "\"%.*s\"", STR_ARGS(best[i]));
    }
    lc_buf_putc(b, '?');
}

static const gql_schema_enum_value_t *enum_value(const gql_schema_type_t *t, lc_str_t name) {
    for (uint32_t i = 0; i < t->nvalues; i++)
        if (lc_str_eq(t->values[i].name, name))
            return &t->values[i];
    return NULL;
}

/* ---- Leaf input coercion from raw values (parseValue) -------------------------------------- */

static bool is_builtin(const gql_schema_type_t *t, const char *name) {
    return t->builtin && t->kind == GQL_TK_SCALAR && lc_str_eq_cstr(t->name, name);
}

static bool integral(double d) {
    return isfinite(d) && d == floor(d);
}

/* *why = prefix + inspect(v); returns LC_EINVAL (LC_ENOMEM when that fails). */
static int fail(lc_arena_t *a, const char **why, const char *prefix, const gql_val_t *v) {
    *why = fmt(a, "%s%s", prefix, inspect_str(a, v));
    return *why ? LC_EINVAL : LC_ENOMEM;
}

/* LC_OK with *out, LC_EINVAL with *why (arena), LC_ENOMEM. */
static int parse_leaf(lc_arena_t *a, const gql_schema_type_t *t, const gql_val_t *v, gql_val_t *out,
                      const char **why) {
    if (t->kind == GQL_TK_ENUM) {
        if (v->kind == GQL_VAL_STRING || v->kind == GQL_VAL_ENUM) {
            const gql_schema_enum_value_t *ev = enum_value(t, v->s);
            if (ev) {
                *out = gql_val_enum(ev->name);
                return LC_OK;
            }
        }
        lc_buf_t b;
        lc_buf_init(&b, a, 128, 0);
        lc_str_t shown;
        if (v->kind == GQL_VAL_STRING || v->kind == GQL_VAL_ENUM) {
            lc_buf_printf(&b, "Value \"%.*s\" does not exist in \"%.*s\" enum.", STR_ARGS(v->s),
                          STR_ARGS(t->name));
            shown = v->s;
        } else {
            const char *s = inspect_str(a, v);
            lc_buf_printf(&b, "Enum \"%.*s\" cannot represent non-string value: %s.",
                          STR_ARGS(t->name), s);
            shown = lc_str_from(s);
        }
        did_you_mean(&b, "the enum value", shown, &t->values[0].name, sizeof t->values[0],
                     t->nvalues);
        if (lc_buf_terminate(&b) != LC_OK)
            return LC_ENOMEM;
        *why = b.data;
        return LC_EINVAL;
    }
    if (!t->builtin) {
        if (!t->parse) {
            *out = *v;
            return LC_OK;
        }
        const char *reason = NULL;
        int rc = t->parse(t->scalar_ctx, a, v, out, &reason);
        if (rc == LC_OK)
            return LC_OK;
        if (rc == LC_ENOMEM)
            return rc;
        *why = reason ? reason : fmt(a, "Expected type \"%.*s\".", STR_ARGS(t->name));
        return *why ? LC_EINVAL : LC_ENOMEM;
    }
    const char *msg = NULL;
    if (is_builtin(t, "Int")) {
        if (v->kind == GQL_VAL_INT || (v->kind == GQL_VAL_FLOAT && integral(v->f))) {
            double d = v->kind == GQL_VAL_INT ? (double)v->i : v->f;
            if (d >= INT32_MIN && d <= INT32_MAX) {
                *out = gql_val_int(v->kind == GQL_VAL_INT ? v->i : (int64_t)v->f);
                return LC_OK;
            }
            msg = "Int cannot represent non 32-bit signed integer value: ";
        } else {
            msg = "Int cannot represent non-integer value: ";
        }
    } else if (is_builtin(t, "Float")) {
        if (v->kind == GQL_VAL_INT) {
            *out = gql_val_float((double)v->i);
            return LC_OK;
        }
        if (v->kind == GQL_VAL_FLOAT && isfinite(v->f)) {
            *out = *v;
            return LC_OK;
        }
        msg = "Float cannot represent non numeric value: ";
    } else if (is_builtin(t, "String")) {
        if (v->kind == GQL_VAL_STRING) {
            *out = *v;
            return LC_OK;
        }
        msg = "String cannot represent a non string value: ";
    } else if (is_builtin(t, "Boolean")) {
        if (v->kind == GQL_VAL_BOOL) {
            *out = *v;
            return LC_OK;
        }
        msg = "Boolean cannot represent a non boolean value: ";
    } else if (is_builtin(t, "ID")) {
        if (v->kind == GQL_VAL_STRING) {
            *out = *v;
            return LC_OK;
        }
        if (v->kind == GQL_VAL_INT || (v->kind == GQL_VAL_FLOAT && integral(v->f))) {
            char *s =
                v->kind == GQL_VAL_INT ? fmt(a, "%lld", (long long)v->i) : fmt(a, "%.0f", v->f);
            if (!s)
                return LC_ENOMEM;
            *out = gql_val_str(lc_str_from(s));
            return LC_OK;
        }
        msg = "ID cannot represent value: ";
    } else {
        *out = *v;
        return LC_OK;
    }
    return fail(a, why, msg, v);
}

/* ---- coerceInputValue (variables) ----------------------------------------------------------- */

typedef struct icx {
    lc_arena_t *arena;
    const gql_schema_t *s;
    gql_diags_t *diags;
    const gql_variable_definition_t *vd;
    uint32_t nerrors; /* over all variables */
    int rc;           /* LC_EINVAL after an error, LC_ENOMEM, LC_ELIMIT = too many */
} icx_t;

static void write_path(lc_buf_t *b, const gql_path_t *p) {
    if (!p)
        return;
    write_path(b, p->prev);
    if (p->key.ptr)
        lc_buf_printf(b, ".%.*s", STR_ARGS(p->key));
    else
        lc_buf_printf(b, "[%lld]", (long long)p->index);
}

static void add_error(icx_t *c, const gql_loc_t *loc, const char *msg) {
    if (c->rc == LC_ENOMEM || c->rc == LC_ELIMIT)
        return;
    if (c->nerrors >= MAX_VARIABLE_ERRORS) {
        msg = "Too many errors processing variables, error limit reached. Execution aborted.";
        loc = NULL;
        c->rc = LC_ELIMIT;
    } else {
        c->rc = LC_EINVAL;
    }
    c->nerrors++;
    uint32_t dropped = c->diags->dropped;
    if (!gql_diags_add(c->diags, loc, loc ? 1 : 0, "%s", msg) && c->diags->dropped == dropped)
        c->rc = LC_ENOMEM;
}

/* `Variable "$x" got invalid value <v>[ at "x.path"]; <msg>` */
static void input_error(icx_t *c, const gql_path_t *path, const gql_val_t *v, const char *msg) {
    lc_buf_t b;
    lc_buf_init(&b, c->arena, 128, 0);
    lc_buf_printf(&b, "Variable \"$%.*s\" got invalid value ", STR_ARGS(c->vd->name));
    inspect(&b, v, 0);
    if (path) {
        lc_buf_printf(&b, " at \"%.*s", STR_ARGS(c->vd->name));
        write_path(&b, path);
        lc_buf_putc(&b, '"');
    }
    lc_buf_append(&b, "; ", 2);
    lc_buf_append_cstr(&b, msg ? msg : "?");
    if (lc_buf_terminate(&b) != LC_OK || !msg) {
        c->rc = LC_ENOMEM;
        return;
    }
    add_error(c, &c->vd->loc, b.data);
}

static bool live(const icx_t *c) {
    return c->rc != LC_ENOMEM && c->rc != LC_ELIMIT;
}

static void coerce_input(icx_t *c, const gql_val_t *v, const gql_schema_type_t *t,
                         const gql_path_t *path, gql_val_t *out) {
    *out = gql_val_null();
    if (!live(c))
        return;
    if (t->kind == GQL_TK_NON_NULL) {
        if (v->kind <= GQL_VAL_NULL) {
            input_error(c, path, v,
                        fmt(c->arena, "Expected non-nullable type \"%s\" not to be null.",
                            type_str(c->arena, t)));
            return;
        }
        coerce_input(c, v, t->of_type, path, out);
        return;
    }
    if (v->kind <= GQL_VAL_NULL)
        return;
    switch (t->kind) {
    case GQL_TK_LIST: {
        uint32_t n = v->kind == GQL_VAL_LIST ? v->count : 1;
        gql_val_t *items = lc_arena_alloc(c->arena, (size_t)(n ? n : 1) * sizeof *items);
        if (!items) {
            c->rc = LC_ENOMEM;
            return;
        }
        if (v->kind == GQL_VAL_LIST) {
            for (uint32_t i = 0; i < n; i++) {
                gql_path_t ip = {path, LC_STR_NULL, (int64_t)i};
                coerce_input(c, &v->items[i], t->of_type, &ip, &items[i]);
            }
        } else {
            coerce_input(c, v, t->of_type, path, &items[0]); /* §3.11: a list of one */
        }
        *out = gql_val_list(items, n);
        return;
    }
    case GQL_TK_INPUT_OBJECT: {
        if (v->kind != GQL_VAL_MAP) {
            input_error(
                c, path, v,
                fmt(c->arena, "Expected type \"%.*s\" to be an object.", STR_ARGS(t->name)));
            return;
        }
        gql_prop_t *props =
            lc_arena_alloc(c->arena, (size_t)(t->ninput_fields + 1) * sizeof *props);
        if (!props) {
            c->rc = LC_ENOMEM;
            return;
        }
        uint32_t n = 0;
        for (uint32_t i = 0; i < t->ninput_fields; i++) {
            const gql_schema_input_value_t *f = &t->input_fields[i];
            const gql_val_t *fv = map_prop(v, f->name);
            if (!fv || fv->kind == GQL_VAL_UNDEFINED) {
                if (f->default_value) {
                    gql__vars_t none = {NULL, NULL};
                    props[n].name = f->name;
                    int rc = gql__value_from_ast(c->arena, c->s, &none, f->default_value, f->type,
                                                 &props[n].value);
                    if (rc == LC_ENOMEM)
                        c->rc = rc;
                    if (rc == LC_OK)
                        n++;
                } else if (f->type->kind == GQL_TK_NON_NULL) {
                    input_error(c, path, v,
                                fmt(c->arena,
                                    "Field \"%.*s\" of required type \"%s\" was not "
                                    "provided.",
                                    STR_ARGS(f->name), type_str(c->arena, f->type)));
                }
                continue;
            }
            gql_path_t fp = {path, f->name, 0};
            props[n].name = f->name;
            coerce_input(c, fv, f->type, &fp, &props[n].value);
            n++;
        }
        for (uint32_t i = 0; i < v->count && live(c); i++) {
            lc_str_t name = v->props[i].name;
            bool known = false;
            for (uint32_t k = 0; k < t->ninput_fields && !known; k++)
                known = lc_str_eq(t->input_fields[k].name, name);
            if (known)
                continue;
            lc_buf_t b;
            lc_buf_init(&b, c->arena, 128, 0);
            lc_buf_printf(&b, "Field \"%.*s\" is not defined by type \"%.*s\".", STR_ARGS(name),
                          STR_ARGS(t->name));
            if (t->ninput_fields)
                did_you_mean(&b, NULL, name, &t->input_fields[0].name, sizeof t->input_fields[0],
                             t->ninput_fields);
            input_error(c, path, v, lc_buf_terminate(&b) == LC_OK ? b.data : NULL);
        }
        *out = gql_val_map(props, n);
        return;
    }
    case GQL_TK_SCALAR:
    case GQL_TK_ENUM: {
        const char *why = NULL;
        int rc = parse_leaf(c->arena, t, v, out, &why);
        if (rc == LC_ENOMEM)
            c->rc = rc;
        else if (rc != LC_OK)
            input_error(c, path, v, why);
        return;
    }
    default:
        input_error(c, path, v, "Expected an input type.");
        return;
    }
}

int gql__coerce_variables(lc_arena_t *arena, const gql_schema_t *s,
                          const gql_operation_definition_t *op, const gql_val_t *raw,
                          gql_diags_t *diags, gql_val_t **out) {
    uint32_t n = op->variables.count;
    if (n == 0) {
        *out = NULL;
        return LC_OK;
    }
    gql_val_t *vals = lc_arena_calloc(arena, n, sizeof *vals);
    if (!vals)
        return LC_ENOMEM;
    icx_t c = {.arena = arena, .s = s, .diags = diags, .rc = LC_OK};
    for (uint32_t i = 0; i < n && live(&c); i++) {
        const gql_variable_definition_t *vd = op->variables.items[i];
        c.vd = vd;
        const gql_schema_type_t *t = gql__type_from_ast(arena, s, vd->type);
        lc_buf_t ts;
        lc_buf_init(&ts, arena, 32, 0);
        gql_print_type(&ts, vd->type);
        if (lc_buf_terminate(&ts) != LC_OK)
            return LC_ENOMEM;
        if (!t ||
            (gql_type_named(t)->kind != GQL_TK_SCALAR && gql_type_named(t)->kind != GQL_TK_ENUM &&
             gql_type_named(t)->kind != GQL_TK_INPUT_OBJECT)) {
            add_error(&c, &vd->loc,
                      fmt(arena,
                          "Variable \"$%.*s\" expected value of type \"%s\" which cannot be used "
                          "as an input type.",
                          STR_ARGS(vd->name), ts.data));
            continue;
        }
        const gql_val_t *v = raw ? map_prop(raw, vd->name) : NULL;
        if (!v || v->kind == GQL_VAL_UNDEFINED) {
            if (vd->default_value) {
                gql__vars_t none = {NULL, NULL};
                int rc = gql__value_from_ast(arena, s, &none, vd->default_value, t, &vals[i]);
                if (rc == LC_ENOMEM)
                    return rc;
            } else if (t->kind == GQL_TK_NON_NULL) {
                add_error(&c, &vd->loc,
                          fmt(arena, "Variable \"$%.*s\" of required type \"%s\" was not provided.",
                              STR_ARGS(vd->name), ts.data));
            }
            continue;
        }
        if (v->kind == GQL_VAL_NULL && t->kind == GQL_TK_NON_NULL) {
            add_error(&c, &vd->loc,
                      fmt(arena, "Variable \"$%.*s\" of non-null type \"%s\" must not be null.",
                          STR_ARGS(vd->name), ts.data));
            continue;
        }
        coerce_input(&c, v, t, NULL, &vals[i]);
    }
    if (c.rc == LC_ENOMEM)
        return LC_ENOMEM;
    if (c.rc != LC_OK)
        return LC_EINVAL;
    *out = vals;
    return LC_OK;
}

/* ---- valueFromAST (literals) ---------------------------------------------------------------- */

static bool missing_variable(const gql__vars_t *vars, const gql_value_t *lit) {
    if (lit->kind != GQL_VARIABLE || !vars->vals)
        return false;
    const gql_val_t *v = gql__var_lookup(vars, lit->name);
    return !v || v->kind == GQL_VAL_UNDEFINED;
}

/* valueFromASTUntyped: a literal as a raw value, for custom scalars' parse hooks. */
static int untyped(lc_arena_t *a, const gql__vars_t *vars, const gql_value_t *lit, gql_val_t *out) {
    switch (lit->kind) {
    case GQL_NULL_VALUE:
        *out = gql_val_null();
        return LC_OK;
    case GQL_INT_VALUE:
    case GQL_FLOAT_VALUE: {
        int64_t i;
        if (lit->kind == GQL_INT_VALUE &&
            lc_str_to_i64(lit->lexeme, INT64_MIN, INT64_MAX, &i) == LC_OK) {
            *out = gql_val_int(i);
            return LC_OK;
        }
        /* a float, or an integer too large for 64 bits: a double, as in JavaScript */
        char *s = lc_arena_strndup(a, lit->lexeme.ptr, lit->lexeme.len);
        if (!s)
            return LC_ENOMEM;
        *out = gql_val_float(strtod(s, NULL));
        return LC_OK;
    }
    case GQL_STRING_VALUE:
        *out = gql_val_str(lit->string.value);
        return LC_OK;
    case GQL_BOOLEAN_VALUE:
        *out = gql_val_bool(lit->boolean);
        return LC_OK;
    case GQL_ENUM_VALUE:
        *out = gql_val_str(lit->name);
        return LC_OK;
    case GQL_VARIABLE: {
        if (!vars->vals)
            return GQL__NEEDS_VARS;
        const gql_val_t *v = gql__var_lookup(vars, lit->name);
        *out = v ? *v : (gql_val_t){.kind = GQL_VAL_UNDEFINED};
        return LC_OK;
    }
    case GQL_LIST_VALUE: {
        gql_val_t *items = lc_arena_alloc(a, (size_t)(lit->list.count + 1) * sizeof *items);
        if (!items)
            return LC_ENOMEM;
        for (uint32_t i = 0; i < lit->list.count; i++) {
            int rc = untyped(a, vars, lit->list.items[i], &items[i]);
            if (rc != LC_OK)
                return rc;
            if (items[i].kind == GQL_VAL_UNDEFINED)
                items[i] = gql_val_null();
        }
        *out = gql_val_list(items, lit->list.count);
        return LC_OK;
    }
    case GQL_OBJECT_VALUE: {
        gql_prop_t *props = lc_arena_alloc(a, (size_t)(lit->object.count + 1) * sizeof *props);
        if (!props)
            return LC_ENOMEM;
        uint32_t n = 0;
        for (uint32_t i = 0; i < lit->object.count; i++) {
            props[n].name = lit->object.items[i]->name;
            int rc = untyped(a, vars, lit->object.items[i]->value, &props[n].value);
            if (rc != LC_OK)
                return rc;
            if (props[n].value.kind != GQL_VAL_UNDEFINED)
                n++;
        }
        *out = gql_val_map(props, n);
        return LC_OK;
    }
    default:
        return LC_EINVAL;
    }
}

static int leaf_from_ast(lc_arena_t *a, const gql__vars_t *vars, const gql_value_t *lit,
                         const gql_schema_type_t *t, gql_val_t *out) {
    if (t->kind == GQL_TK_ENUM) {
        if (lit->kind != GQL_ENUM_VALUE)
            return LC_EINVAL;
        const gql_schema_enum_value_t *ev = enum_value(t, lit->name);
        if (!ev)
            return LC_EINVAL;
        *out = gql_val_enum(ev->name);
        return LC_OK;
    }
    if (!t->builtin) {
        gql_val_t raw;
        int rc = untyped(a, vars, lit, &raw);
        if (rc != LC_OK)
            return rc;
        if (!t->parse) {
            *out = raw;
            return LC_OK;
        }
        const char *why = NULL;
        rc = t->parse(t->scalar_ctx, a, &raw, out, &why);
        return rc == LC_ENOMEM ? rc : rc == LC_OK ? LC_OK : LC_EINVAL;
    }
    if (is_builtin(t, "Int")) {
        int64_t i;
        if (lit->kind != GQL_INT_VALUE ||
            lc_str_to_i64(lit->lexeme, INT32_MIN, INT32_MAX, &i) != LC_OK)
            return LC_EINVAL;
        *out = gql_val_int(i);
        return LC_OK;
    }
    if (is_builtin(t, "Float")) {
        if (lit->kind != GQL_INT_VALUE && lit->kind != GQL_FLOAT_VALUE)
            return LC_EINVAL;
        char tmp[64];
        const char *s = tmp;
        if (lit->lexeme.len < sizeof tmp) {
            memcpy(tmp, lit->lexeme.ptr, lit->lexeme.len);
            tmp[lit->lexeme.len] = '\0';
        } else if (!(s = lc_arena_strndup(a, lit->lexeme.ptr, lit->lexeme.len))) {
            return LC_ENOMEM;
        }
        double d = strtod(s, NULL);
        if (!isfinite(d))
            return LC_EINVAL;
        *out = gql_val_float(d);
        return LC_OK;
    }
    if (is_builtin(t, "String")) {
        if (lit->kind != GQL_STRING_VALUE)
            return LC_EINVAL;
        *out = gql_val_str(lit->string.value);
        return LC_OK;
    }
    if (is_builtin(t, "Boolean")) {
        if (lit->kind != GQL_BOOLEAN_VALUE)
            return LC_EINVAL;
        *out = gql_val_bool(lit->boolean);
        return LC_OK;
    }
    if (is_builtin(t, "ID")) {
        if (lit->kind == GQL_STRING_VALUE)
            *out = gql_val_str(lit->string.value);
        else if (lit->kind == GQL_INT_VALUE)
            *out = gql_val_str(lit->lexeme);
        else
            return LC_EINVAL;
        return LC_OK;
    }
    return untyped(a, vars, lit, out);
}

int gql__value_from_ast(lc_arena_t *a, const gql_schema_t *s, const gql__vars_t *vars,
                        const gql_value_t *lit, const gql_schema_type_t *t, gql_val_t *out) {
    if (lit->kind == GQL_VARIABLE) {
        if (!vars->vals)
            return GQL__NEEDS_VARS;
        const gql_val_t *v = gql__var_lookup(vars, lit->name);
        if (!v || v->kind == GQL_VAL_UNDEFINED)
            return LC_EINVAL;
        if (v->kind == GQL_VAL_NULL && t->kind == GQL_TK_NON_NULL)
            return LC_EINVAL;
        *out = *v; /* coerced for the variable's type, compatible per §5.8.5 */
        return LC_OK;
    }
    if (t->kind == GQL_TK_NON_NULL) {
        if (lit->kind == GQL_NULL_VALUE)
            return LC_EINVAL;
        return gql__value_from_ast(a, s, vars, lit, t->of_type, out);
    }
    if (lit->kind == GQL_NULL_VALUE) {
        *out = gql_val_null();
        return LC_OK;
    }
    switch (t->kind) {
    case GQL_TK_LIST: {
        if (lit->kind != GQL_LIST_VALUE) {
            gql_val_t *one = lc_arena_alloc(a, sizeof *one);
            if (!one)
                return LC_ENOMEM;
            int rc = gql__value_from_ast(a, s, vars, lit, t->of_type, one);
            if (rc != LC_OK)
                return rc;
            *out = gql_val_list(one, 1);
            return LC_OK;
        }
        uint32_t n = lit->list.count;
        gql_val_t *items = lc_arena_alloc(a, (size_t)(n + 1) * sizeof *items);
        if (!items)
            return LC_ENOMEM;
        for (uint32_t i = 0; i < n; i++) {
            const gql_value_t *item = lit->list.items[i];
            if (missing_variable(vars, item)) {
                if (t->of_type->kind == GQL_TK_NON_NULL)
                    return LC_EINVAL;
                items[i] = gql_val_null();
                continue;
            }
            int rc = gql__value_from_ast(a, s, vars, item, t->of_type, &items[i]);
            if (rc != LC_OK)
                return rc;
        }
        *out = gql_val_list(items, n);
        return LC_OK;
    }
    case GQL_TK_INPUT_OBJECT: {
        if (lit->kind != GQL_OBJECT_VALUE)
            return LC_EINVAL;
        gql_prop_t *props = lc_arena_alloc(a, (size_t)(t->ninput_fields + 1) * sizeof *props);
        if (!props)
            return LC_ENOMEM;
        uint32_t n = 0;
        gql__vars_t none = {NULL, NULL};
        for (uint32_t i = 0; i < t->ninput_fields; i++) {
            const gql_schema_input_value_t *f = &t->input_fields[i];
            const gql_value_t *fv = NULL;
            for (uint32_t k = 0; k < lit->object.count && !fv; k++)
                if (lc_str_eq(lit->object.items[k]->name, f->name))
                    fv = lit->object.items[k]->value;
            props[n].name = f->name;
            int rc;
            if (!fv || missing_variable(vars, fv)) {
                if (f->default_value)
                    rc = gql__value_from_ast(a, s, &none, f->default_value, f->type,
                                             &props[n].value);
                else if (f->type->kind == GQL_TK_NON_NULL)
                    rc = LC_EINVAL;
                else
                    continue;
            } else {
                rc = gql__value_from_ast(a, s, vars, fv, f->type, &props[n].value);
            }
            if (rc != LC_OK)
                return rc;
            n++;
        }
        *out = gql_val_map(props, n);
        return LC_OK;
    }
    case GQL_TK_SCALAR:
    case GQL_TK_ENUM:
        return leaf_from_ast(a, vars, lit, t, out);
    default:
        return LC_EINVAL;
    }
}

/* ---- CoerceArgumentValues (§6.4.1) ---------------------------------------------------------- */

static int arg_default(lc_arena_t *a, const gql_schema_t *s, const gql_schema_input_value_t *d,
                       gql_loc_t at, gql_val_t *out, gql__arg_error_t *err, const char *why) {
    if (d->default_value) {
        gql__vars_t none = {NULL, NULL};
        return gql__value_from_ast(a, s, &none, d->default_value, d->type, out);
    }
    if (d->type->kind != GQL_TK_NON_NULL) {
        *out = (gql_val_t){.kind = GQL_VAL_UNDEFINED};
        return LC_OK;
    }
    err->loc = at;
    err->message = why;
    return err->message ? LC_EINVAL : LC_ENOMEM;
}

int gql__coerce_arguments(lc_arena_t *a, const gql_schema_t *s, const gql__vars_t *vars,
                          const gql_schema_input_value_t *defs, uint32_t ndefs,
                          const gql_argument_list_t *args, gql_loc_t at, gql_val_t *out,
                          gql__arg_error_t *err) {
    for (uint32_t i = 0; i < ndefs; i++) {
        const gql_schema_input_value_t *d = &defs[i];
        const gql_argument_t *node = NULL;
        for (uint32_t k = 0; k < args->count && !node; k++)
            if (lc_str_eq(args->items[k]->name, d->name))
                node = args->items[k];
        int rc;
        if (!node) {
            rc = arg_default(a, s, d, at, &out[i], err,
                             d->default_value || d->type->kind != GQL_TK_NON_NULL
                                 ? ""
                                 : fmt(a,
                                       "Argument \"%.*s\" of required type \"%s\" was not "
                                       "provided.",
                                       STR_ARGS(d->name), type_str(a, d->type)));
            if (rc != LC_OK)
                return rc;
            continue;
        }
        const gql_value_t *lit = node->value;
        bool is_null = lit->kind == GQL_NULL_VALUE;
        if (lit->kind == GQL_VARIABLE) {
            if (!vars->vals)
                return GQL__NEEDS_VARS;
            const gql_val_t *v = gql__var_lookup(vars, lit->name);
            if (!v || v->kind == GQL_VAL_UNDEFINED) {
                rc = arg_default(a, s, d, lit->loc, &out[i], err,
                                 d->default_value || d->type->kind != GQL_TK_NON_NULL
                                     ? ""
                                     : fmt(a,
                                           "Argument \"%.*s\" of required type \"%s\" was "
                                           "provided the variable \"$%.*s\" which was not "
                                           "provided a runtime value.",
                                           STR_ARGS(d->name), type_str(a, d->type),
                                           STR_ARGS(lit->name)));
                if (rc != LC_OK)
                    return rc;
                continue;
            }
            is_null = v->kind == GQL_VAL_NULL;
        }
        if (is_null && d->type->kind == GQL_TK_NON_NULL) {
            err->loc = lit->loc;
            err->message = fmt(a, "Argument \"%.*s\" of non-null type \"%s\" must not be null.",
                               STR_ARGS(d->name), type_str(a, d->type));
            return err->message ? LC_EINVAL : LC_ENOMEM;
        }
        rc = gql__value_from_ast(a, s, vars, lit, d->type, &out[i]);
        if (rc == LC_EINVAL) {
            lc_buf_t b;
            lc_buf_init(&b, a, 64, 0);
            lc_buf_printf(&b, "Argument \"%.*s\" has invalid value ", STR_ARGS(d->name));
            gql_print_value(&b, lit);
            lc_buf_putc(&b, '.');
            if (lc_buf_terminate(&b) != LC_OK)
                return LC_ENOMEM;
            err->loc = lit->loc;
            err->message = b.data;
            return LC_EINVAL;
        }
        if (rc != LC_OK)
            return rc;
    }
    return LC_OK;
}

/* ---- Result coercion (serialize) ------------------------------------------------------------ */

/* A JavaScript Number(string) for numeric strings ("12", " 1.5 "); false otherwise. */
static bool js_number(lc_str_t s, double *out) {
    s = lc_str_trim(s);
    if (s.len == 0 || s.len > 64)
        return false;
    char tmp[72];
    memcpy(tmp, s.ptr, s.len);
    tmp[s.len] = '\0';
    char *end;
    double d = strtod(tmp, &end);
    if (*end != '\0' ||
        (tmp[0] != '-' && tmp[0] != '+' && tmp[0] != '.' && (tmp[0] < '0' || tmp[0] > '9')))
        return false;
    *out = d;
    return true;
}

/* Any value as JSON: custom scalars without a serialize hook. */
static int write_json_value(lc_buf_t *b, const gql_val_t *v, int depth) {
    if (depth > 64)
        return LC_EINVAL;
    switch (v->kind) {
    case GQL_VAL_UNDEFINED:
    case GQL_VAL_NULL:
        lc_json_write_null(b);
        return LC_OK;
    case GQL_VAL_BOOL:
        lc_json_write_bool(b, v->b);
        return LC_OK;
    case GQL_VAL_INT:
        lc_json_write_i64(b, v->i);
        return LC_OK;
    case GQL_VAL_FLOAT:
        if (!isfinite(v->f))
            return LC_EINVAL;
        lc_json_write_double(b, v->f);
        return LC_OK;
    case GQL_VAL_STRING:
    case GQL_VAL_ENUM:
        lc_json_write_str(b, v->s);
        return LC_OK;
    case GQL_VAL_RAW:
        lc_buf_append_str(b, v->s);
        return LC_OK;
    case GQL_VAL_LIST:
        lc_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->count; i++) {
            if (i)
                lc_buf_putc(b, ',');
            if (write_json_value(b, &v->items[i], depth + 1) != LC_OK)
                return LC_EINVAL;
        }
        lc_buf_putc(b, ']');
        return LC_OK;
    case GQL_VAL_MAP:
        lc_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->count; i++) {
            if (i)
                lc_buf_putc(b, ',');
            lc_json_write_str(b, v->props[i].name);
            lc_buf_putc(b, ':');
            if (write_json_value(b, &v->props[i].value, depth + 1) != LC_OK)
                return LC_EINVAL;
        }
        lc_buf_putc(b, '}');
        return LC_OK;
    default:
        return LC_EINVAL;
    }
}

int gql__serialize_leaf(lc_arena_t *a, const gql_schema_type_t *t, const gql_val_t *v, lc_buf_t *b,
                        const char **why) {
    if (t->kind == GQL_TK_ENUM) {
        if ((v->kind == GQL_VAL_ENUM || v->kind == GQL_VAL_STRING) && enum_value(t, v->s)) {
            lc_json_write_str(b, v->s);
            return LC_OK;
        }
        *why = fmt(a, "Enum \"%.*s\" cannot represent value: %s", STR_ARGS(t->name),
                   inspect_str(a, v));
        return *why ? LC_EINVAL : LC_ENOMEM;
    }
    if (!t->builtin) {
        if (t->serialize) {
            int rc = t->serialize(t->scalar_ctx, v, b);
            if (rc == LC_OK || rc == LC_ENOMEM)
                return rc;
            *why = fmt(a, "Expected a value of type \"%.*s\" but received: %s", STR_ARGS(t->name),
                       inspect_str(a, v));
            return *why ? LC_EINVAL : LC_ENOMEM;
        }
        if (write_json_value(b, v, 0) == LC_OK)
            return LC_OK;
        *why = fmt(a, "Expected a value of type \"%.*s\" but received: %s", STR_ARGS(t->name),
                   inspect_str(a, v));
        return *why ? LC_EINVAL : LC_ENOMEM;
    }
    double d;
    if (is_builtin(t, "Int")) {
        /* graphql-js serializeInt: booleans as 0/1, numeric strings as numbers. */
        if (v->kind == GQL_VAL_INT) {
            if (v->i < INT32_MIN || v->i > INT32_MAX)
                return fail(a, why, "Int cannot represent non 32-bit signed integer value: ", v);
            lc_json_write_i64(b, v->i);
            return LC_OK;
        }
        if (v->kind == GQL_VAL_BOOL) {
            lc_buf_putc(b, v->b ? '1' : '0');
            return LC_OK;
        }
        if (v->kind == GQL_VAL_FLOAT)
            d = v->f;
        else if (v->kind != GQL_VAL_STRING || !js_number(v->s, &d))
            return fail(a, why, "Int cannot represent non-integer value: ", v);
        if (!integral(d))
            return fail(a, why, "Int cannot represent non-integer value: ", v);
        if (d < INT32_MIN || d > INT32_MAX)
            return fail(a, why, "Int cannot represent non 32-bit signed integer value: ", v);
        lc_json_write_i64(b, (int64_t)d);
        return LC_OK;
    }
    if (is_builtin(t, "Float")) {
        if (v->kind == GQL_VAL_INT) {
            lc_json_write_i64(b, v->i);
            return LC_OK;
        }
        if (v->kind == GQL_VAL_BOOL) {
            lc_buf_putc(b, v->b ? '1' : '0');
            return LC_OK;
        }
        if (v->kind == GQL_VAL_FLOAT)
            d = v->f;
        else if (v->kind != GQL_VAL_STRING || !js_number(v->s, &d))
            return fail(a, why, "Float cannot represent non numeric value: ", v);
        if (!isfinite(d))
            return fail(a, why, "Float cannot represent non numeric value: ", v);
        lc_json_write_double(b, d);
        return LC_OK;
    }
    if (is_builtin(t, "String") || is_builtin(t, "ID")) {
        bool id = t->name.len == 2;
        switch (v->kind) {
        case GQL_VAL_STRING:
            lc_json_write_str(b, v->s);
            return LC_OK;
        case GQL_VAL_INT:
            lc_buf_putc(b, '"');
            lc_json_write_i64(b, v->i);
            lc_buf_putc(b, '"');
            return LC_OK;
        case GQL_VAL_FLOAT:
            if (id ? !integral(v->f) : !isfinite(v->f))
                break;
            lc_buf_putc(b, '"');
            write_js_number(b, v->f);
            lc_buf_putc(b, '"');
            return LC_OK;
        case GQL_VAL_BOOL:
            if (id)
                break;
            lc_buf_append_cstr(b, v->b ? "\"true\"" : "\"false\"");
            return LC_OK;
        default:
            break;
        }
        return fail(a, why,
                    id ? "ID cannot represent value: " : "String cannot represent value: ", v);
    }
    if (is_builtin(t, "Boolean")) {
        if (v->kind == GQL_VAL_BOOL) {
            lc_json_write_bool(b, v->b);
            return LC_OK;
        }
        if (v->kind == GQL_VAL_INT) {
            lc_json_write_bool(b, v->i != 0);
            return LC_OK;
        }
        if (v->kind == GQL_VAL_FLOAT && isfinite(v->f)) {
            lc_json_write_bool(b, v->f != 0);
            return LC_OK;
        }
        return fail(a, why, "Boolean cannot represent a non boolean value: ", v);
    }
    if (write_json_value(b, v, 0) == LC_OK)
        return LC_OK;
    return fail(a, why, "Cannot serialize value: ", v);
}
