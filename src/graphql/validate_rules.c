/* SPDX-License-Identifier: MIT */
/* The validation rules that look at one node at a time: definitions, operation and fragment
 * names, types of fragments and variables, fields and their leaves, fragment spreads,
 * directives and arguments. The walk of validate.c calls each with graphql-js's TypeInfo
 * state; messages are graphql-js 16's. */
#include <string.h>

#include "validate_int.h"

#define S(x) (int)(x).len, (x).ptr

/* ---- Directives known to the document ------------------------------------------------------ */

/* A directive as the rules see it: graphql-js lets a directive defined in the document itself
 * (a type system definition, rejected by ExecutableDefinitions) shadow the schema's. */
typedef struct {
    const gql_schema_directive_t *sd;
    const gql_directive_definition_t *dd;
} dir_t;

static bool find_directive(const gql__vctx_t *c, lc_str_t name, dir_t *out) {
    out->sd = NULL;
    out->dd = NULL;
    if (c->has_doc_directives) {
        const gql__vsent_t *e = gql__vsmap_find(c, &c->doc_directives, name);
        if (e) {
            out->dd = &c->doc->definitions.items[e->val]->directive;
            return true;
        }
    }
    out->sd = gql_schema_find_directive(c->schema, name);
    return out->sd != NULL;
}

/* ---- §5.1.1 Executable Definitions ---------------------------------------------------------- */

void gql__vr_executable_definitions(gql__vctx_t *c) {
    const gql_document_t *doc = c->doc;
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        gql_kind_t k = def->node.kind;
        if (k == GQL_OPERATION_DEFINITION || k == GQL_FRAGMENT_DEFINITION)
            continue;
        if (k == GQL_SCHEMA_DEFINITION || k == GQL_SCHEMA_EXTENSION)
            gql__v_report(c, &def->node.loc, 1, "The schema definition is not executable.");
        else if (k == GQL_DIRECTIVE_DEFINITION)
            gql__v_report(c, &def->node.loc, 1, "The \"%.*s\" definition is not executable.",
                          S(def->directive.name));
        else
            gql__v_report(c, &def->node.loc, 1, "The \"%.*s\" definition is not executable.",
                          S(def->type.name));
    }
}

/* ---- §5.2.1.1 Operation Name Uniqueness ------------------------------------------------------ */

void gql__vr_unique_operation_name(gql__vctx_t *c, const gql_operation_definition_t *op,
                                   uint32_t index) {
    bool added;
    if (!op->name.ptr)
        return;
    gql__vsent_t *e = gql__vsmap_add(c, &c->op_names, op->name, index, &added);
    if (!e || added)
        return;
    const gql_operation_definition_t *prev = &c->doc->definitions.items[e->val]->operation;
    gql_loc_t locs[2] = {gql__v_name_loc(c, prev->name, prev->loc),
                         gql__v_name_loc(c, op->name, op->loc)};
    gql__v_report(c, locs, 2, "There can be only one operation named \"%.*s\".", S(op->name));
}

/* ---- §5.2.2.1 Lone Anonymous Operation ------------------------------------------------------- */

void gql__vr_lone_anonymous_operation(gql__vctx_t *c, const gql_operation_definition_t *op) {
    if (!op->name.ptr && c->noperations > 1)
        gql__v_report(c, &op->loc, 1,
                      "This anonymous operation must be the only defined operation.");
}

/* ---- §5.5.1.2 Fragment Spread Type Existence, §5.8.2 (the types named): KnownTypeNames ------- */

void gql__vr_known_type_name(gql__vctx_t *c, const gql_type_t *named, bool sdl) {
    lc_str_t name = named->name;
    if (gql_schema_find_type(c->schema, name) || gql__vsmap_find(c, &c->doc_types, name))
        return;
    (void)sdl; /* the standard names graphql-js allows in SDL are always in our schemas */
    uint32_t n = c->schema->ntypes + c->doc_types.count, k = 0;
    lc_str_t *names = gql__v_alloc(c, (size_t)(n ? n : 1) * sizeof *names);
    lc_str_t sugg[5];
    if (!names)
        return;
    for (uint32_t i = 0; i < c->schema->ntypes; i++)
        names[k++] = c->schema->types[i]->name;
    for (uint32_t i = 0; c->doc_types.slots && i <= c->doc_types.mask; i++)
        if (c->doc_types.slots[i].hash)
            names[k++] = c->doc_types.slots[i].key;
    uint32_t ns = gql__v_suggest(c, name, names, k, sugg, 5);
    lc_buf_t b;
    gql__v_buf_init(c, &b);
    lc_buf_printf(&b, "Unknown type \"%.*s\".", S(name));
    gql__v_did_you_mean(&b, NULL, sugg, ns);
    const char *msg = gql__v_buf_cstr(c, &b);
    if (msg)
        gql__v_report(c, &named->loc, 1, "%s", msg);
}

/* ---- §5.5.1.3 Fragments On Composite Types -------------------------------------------------- */

void gql__vr_inline_fragment_composite(gql__vctx_t *c, const gql_inline_fragment_t *f) {
    if (!f->type_condition)
        return;
    const gql_schema_type_t *t = gql__v_type_from_ast(c, f->type_condition);
    if (t && !gql__v_is_composite(t))
        gql__v_report(c, &f->type_condition->loc, 1,
                      "Fragment cannot condition on non composite type \"%s\".",
                      gql__v_ast_type_str(c, f->type_condition));
}

void gql__vr_fragment_composite(gql__vctx_t *c, const gql_fragment_definition_t *f) {
    const gql_schema_type_t *t = gql__v_type_from_ast(c, f->type_condition);
    if (t && !gql__v_is_composite(t))
        gql__v_report(c, &f->type_condition->loc, 1,
                      "Fragment \"%.*s\" cannot condition on non composite type \"%s\".",
                      S(f->name), gql__v_ast_type_str(c, f->type_condition));
}

/* ---- §5.8.2 Variables Are Input Types ------------------------------------------------------- */

void gql__vr_variable_input_type(gql__vctx_t *c, const gql_variable_definition_t *v) {
    const gql_schema_type_t *t = gql__v_type_from_ast(c, v->type);
    if (t && !gql__v_is_input_type(t))
        gql__v_report(c, &v->type->loc, 1, "Variable \"$%.*s\" cannot be non-input type \"%s\".",
                      S(v->name), gql__v_ast_type_str(c, v->type));
}

/* ---- §5.3.3 Leaf Field Selections ------------------------------------------------------------ */

void gql__vr_scalar_leafs(gql__vctx_t *c, const gql_field_t *f) {
    const gql_schema_type_t *type = c->ti.type;
    if (!type)
        return;
    if (gql__v_is_leaf(gql_type_named(type))) {
        if (f->selection_set)
            gql__v_report(c, &f->selection_set->loc, 1,
                          "Field \"%.*s\" must not have a selection since type \"%s\" has no "
                          "subfields.",
                          S(f->name), gql__v_type_str(c, type));
    } else if (!f->selection_set) {
        gql__v_report(c, &f->loc, 1,
                      "Field \"%.*s\" of type \"%s\" must have a selection of subfields. Did you "
                      "mean \"%.*s { ... }\"?",
                      S(f->name), gql__v_type_str(c, type), S(f->name));
    }
}

/* ---- §5.3.1 Field Selections ---------------------------------------------------------------- */

typedef struct {
    const gql_schema_type_t *t;
    uint32_t usage;
} sugg_type_t;

/* graphql-js getSuggestedTypeNames' order: more usages first, then super types before their
 * sub types, then naturalCompare. */
static int cmp_sugg_type(const gql__vctx_t *c, const sugg_type_t *a, const sugg_type_t *b) {
    if (a->usage != b->usage)
        return a->usage > b->usage ? -1 : 1;
    if (a->t->kind == GQL_TK_INTERFACE && gql__v_is_possible(c, a->t, b->t))
        return -1;
    if (b->t->kind == GQL_TK_INTERFACE && gql__v_is_possible(c, b->t, a->t))
        return 1;
    return gql__v_natural_compare(a->t->name, b->t->name);
}

static uint32_t suggested_types(gql__vctx_t *c, const gql_schema_type_t *type, lc_str_t field,
                                lc_str_t *out, uint32_t cap) {
    uint32_t n = 0, max = 0;
    if (!gql__v_is_abstract(type))
        return 0;
    for (uint32_t i = 0; i < type->npossible; i++)
        max += 1 + type->possible_types[i]->ninterfaces;
    sugg_type_t *v = gql__v_alloc(c, (size_t)(max ? max : 1) * sizeof *v);
    if (!v)
        return 0;
    for (uint32_t i = 0; i < type->npossible; i++) {
        const gql_schema_type_t *p = type->possible_types[i];
        if (!gql_schema_find_field(c->schema, p, field, false))
            continue;
        uint32_t k = 0;
        while (k < n && v[k].t != p)
            k++;
        if (k == n)
            v[n++] = (sugg_type_t){p, 0};
        v[k].usage = 1;
        for (uint32_t j = 0; j < p->ninterfaces; j++) {
            const gql_schema_type_t *iface = p->interfaces[j];
            if (!gql_schema_find_field(c->schema, iface, field, false))
                continue;
            k = 0;
            while (k < n && v[k].t != iface)
                k++;
            if (k == n)
                v[n++] = (sugg_type_t){iface, 0};
            v[k].usage++;
        }
    }
    /* V8's sort for short arrays (TimSort's first run, then binary insertion), so that the
     * order is JavaScript's even where this comparator is not transitive */
    uint32_t run = n < 2 ? n : 2;
    if (n >= 2) {
        bool descending = cmp_sugg_type(c, &v[1], &v[0]) < 0;
        while (run < n && (cmp_sugg_type(c, &v[run], &v[run - 1]) < 0) == descending)
            run++;
        for (uint32_t i = 0; descending && i < run / 2; i++) {
            sugg_type_t t = v[i];
            v[i] = v[run - 1 - i];
            v[run - 1 - i] = t;
        }
    }
    for (uint32_t i = run; i < n; i++) {
        sugg_type_t x = v[i];
        uint32_t lo = 0, hi = i;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (cmp_sugg_type(c, &x, &v[mid]) < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        memmove(&v[lo + 1], &v[lo], (i - lo) * sizeof *v);
        v[lo] = x;
    }
    uint32_t w = 0;
    for (uint32_t i = 0; i < n && w < cap; i++)
        out[w++] = v[i].t->name;
    return w;
}

void gql__vr_field_on_correct_type(gql__vctx_t *c, const gql_field_t *f) {
    const gql_schema_type_t *type = c->ti.parent_type;
    lc_str_t sugg[5];
    uint32_t ns;
    lc_buf_t b;

    if (!type || c->ti.field_def)
        return;
    gql__v_buf_init(c, &b);
    lc_buf_printf(&b, "Cannot query field \"%.*s\" on type \"%.*s\".", S(f->name), S(type->name));
    ns = suggested_types(c, type, f->name, sugg, 5);
    if (ns) {
        gql__v_did_you_mean(&b, "to use an inline fragment on", sugg, ns);
    } else if (type->kind == GQL_TK_OBJECT || type->kind == GQL_TK_INTERFACE) {
        lc_str_t *names =
            gql__v_alloc(c, (size_t)(type->nfields ? type->nfields : 1) * sizeof *names);
        if (!names)
            return;
        for (uint32_t i = 0; i < type->nfields; i++)
            names[i] = type->fields[i].name;
        ns = gql__v_suggest(c, f->name, names, type->nfields, sugg, 5);
        gql__v_did_you_mean(&b, NULL, sugg, ns);
    }
    const char *msg = gql__v_buf_cstr(c, &b);
    if (msg)
        gql__v_report(c, &f->loc, 1, "%s", msg);
}

/* ---- §5.5.1.1 Fragment Name Uniqueness ------------------------------------------------------- */

void gql__vr_unique_fragment_name(gql__vctx_t *c, const gql_fragment_definition_t *f,
                                  uint32_t index) {
    bool added;
    gql__vsent_t *e = gql__vsmap_add(c, &c->fragment_names, f->name, index, &added);
    if (!e || added)
        return;
    const gql_fragment_definition_t *prev = &c->doc->definitions.items[e->val]->fragment;
    gql_loc_t locs[2] = {gql__v_name_loc(c, prev->name, prev->loc),
                         gql__v_name_loc(c, f->name, f->loc)};
    gql__v_report(c, locs, 2, "There can be only one fragment named \"%.*s\".", S(f->name));
}

/* ---- §5.5.2.1 Fragment Spread Target Defined ------------------------------------------------ */

void gql__vr_known_fragment_name(gql__vctx_t *c, const gql_fragment_spread_t *s) {
    if (gql__v_fragment(c, s->name))
        return;
    gql_loc_t loc = gql__v_name_loc(c, s->name, s->loc);
    gql__v_report(c, &loc, 1, "Unknown fragment \"%.*s\".", S(s->name));
}

/* ---- §5.5.2.3 Fragment Spread Is Possible ---------------------------------------------------- */

void gql__vr_possible_inline_spread(gql__vctx_t *c, const gql_inline_fragment_t *f) {
    const gql_schema_type_t *frag = c->ti.type, *parent = c->ti.parent_type;
    if (gql__v_is_composite(frag) && gql__v_is_composite(parent) &&
        !gql__v_types_overlap(c, frag, parent))
        gql__v_report(c, &f->loc, 1,
                      "Fragment cannot be spread here as objects of type \"%.*s\" can never be "
                      "of type \"%.*s\".",
                      S(parent->name), S(frag->name));
}

void gql__vr_possible_fragment_spread(gql__vctx_t *c, const gql_fragment_spread_t *s) {
    const gql__vfrag_t *f = gql__v_fragment(c, s->name);
    const gql_schema_type_t *frag = f && gql__v_is_composite(f->type) ? f->type : NULL;
    const gql_schema_type_t *parent = c->ti.parent_type;
    if (frag && parent && !gql__v_types_overlap(c, frag, parent))
        gql__v_report(c, &s->loc, 1,
                      "Fragment \"%.*s\" cannot be spread here as objects of type \"%.*s\" can "
                      "never be of type \"%.*s\".",
                      S(s->name), S(parent->name), S(frag->name));
}

/* ---- §5.7.1 Directives Are Defined, §5.7.2 Directives Are In Valid Locations ---------------- */

void gql__vr_known_directive(gql__vctx_t *c, const gql_directive_t *d, uint32_t loc_bit,
                             const char *loc_name) {
    dir_t dir;
    bool ok = false;
    if (!find_directive(c, d->name, &dir)) {
        gql__v_report(c, &d->loc, 1, "Unknown directive \"@%.*s\".", S(d->name));
        return;
    }
    if (dir.sd) {
        ok = (dir.sd->locations & loc_bit) != 0;
    } else {
        for (uint32_t i = 0; i < dir.dd->locations.count && !ok; i++)
            ok = lc_str_eq_cstr(dir.dd->locations.items[i]->value, loc_name);
    }
    if (!ok)
        gql__v_report(c, &d->loc, 1, "Directive \"@%.*s\" may not be used on %s.", S(d->name),
                      loc_name);
}

/* ---- §5.7.3 Directives Are Unique Per Location ---------------------------------------------- */

static bool is_unique_directive(const gql__vctx_t *c, lc_str_t name) {
    dir_t dir;
    if (!find_directive(c, name, &dir))
        return false;
    return dir.sd ? !dir.sd->repeatable : !dir.dd->repeatable;
}

/* Type system definitions of one type (its definition and extensions) share one set of seen
 * directives, as do the schema definition and its extensions. */
static void unique_directives_shared(gql__vctx_t *c, const gql_directive_list_t *dirs,
                                     lc_str_t scope, bool schema_scope) {
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gql_directive_t *d = dirs->items[i];
        if (!is_unique_directive(c, d->name))
            continue;
        size_t len = (schema_scope ? 0 : scope.len) + 1 + d->name.len;
        char *key = gql__v_alloc(c, len);
        bool added;
        if (!key)
            return;
        if (!schema_scope)
            memcpy(key, scope.ptr, scope.len);
        key[len - d->name.len - 1] = schema_scope ? '\x02' : '\x01';
        memcpy(key + len - d->name.len, d->name.ptr, d->name.len);
        /* the value is the first one's offset in the document (SDL in a request is rare: its
         * location is recomputed from the offset) */
        gql__vsent_t *e = gql__vsmap_add(c, &c->sdl_directives, lc_str_make(key, len), 0, &added);
        if (!e)
            return;
        if (added) {
            e->val = d->loc.offset;
            continue;
        }
        gql_loc_t first = gql_loc_at(c->doc->source.ptr, c->doc->source.len, e->val);
        gql_loc_t locs[2] = {first, d->loc};
        gql__v_report(c, locs, 2, "The directive \"@%.*s\" can only be used once at this location.",
                      S(d->name));
    }
}

void gql__vr_unique_directives(gql__vctx_t *c, const gql_directive_list_t *dirs, lc_str_t scope,
                               bool schema_scope) {
    if (dirs->count == 0)
        return;
    if (scope.ptr || schema_scope) {
        unique_directives_shared(c, dirs, scope, schema_scope);
        return;
    }
    if (dirs->count == 1)
        return;
    lc_str_t *names = gql__v_alloc(c, (size_t)dirs->count * sizeof *names);
    uint32_t *first, *next;
    if (!names)
        return;
    for (uint32_t i = 0; i < dirs->count; i++)
        names[i] = dirs->items[i]->name;
    if (!gql__v_dup_groups(c, names, dirs->count, &first, &next))
        return;
    for (uint32_t i = 0; i < dirs->count; i++) {
        if (first[i] == i || !is_unique_directive(c, names[i]))
            continue;
        gql_loc_t locs[2] = {dirs->items[first[i]]->loc, dirs->items[i]->loc};
        gql__v_report(c, locs, 2, "The directive \"@%.*s\" can only be used once at this location.",
                      S(names[i]));
    }
}

/* ---- §5.4.1 Argument Names ------------------------------------------------------------------- */

void gql__vr_known_field_argument(gql__vctx_t *c, const gql_argument_t *a) {
    const gql_schema_field_t *fd = c->ti.field_def;
    const gql_schema_type_t *parent = c->ti.parent_type;
    lc_str_t sugg[5];
    lc_buf_t b;

    if (c->ti.argument || !fd || !parent)
        return;
    lc_str_t *names = gql__v_alloc(c, (size_t)(fd->nargs ? fd->nargs : 1) * sizeof *names);
    if (!names)
        return;
    for (uint32_t i = 0; i < fd->nargs; i++)
        names[i] = fd->args[i].name;
    uint32_t ns = gql__v_suggest(c, a->name, names, fd->nargs, sugg, 5);
    gql__v_buf_init(c, &b);
    lc_buf_printf(&b, "Unknown argument \"%.*s\" on field \"%.*s.%.*s\".", S(a->name),
                  S(parent->name), S(fd->name));
    gql__v_did_you_mean(&b, NULL, sugg, ns);
    const char *msg = gql__v_buf_cstr(c, &b);
    if (msg)
        gql__v_report(c, &a->loc, 1, "%s", msg);
}

void gql__vr_known_directive_arguments(gql__vctx_t *c, const gql_directive_t *d) {
    dir_t dir;
    uint32_t nknown;
    lc_str_t *known;

    if (d->arguments.count == 0 || !find_directive(c, d->name, &dir))
        return;
    nknown = dir.sd ? dir.sd->nargs : dir.dd->arguments.count;
    known = gql__v_alloc(c, (size_t)(nknown ? nknown : 1) * sizeof *known);
    if (!known)
        return;
    for (uint32_t i = 0; i < nknown; i++)
        known[i] = dir.sd ? dir.sd->args[i].name : dir.dd->arguments.items[i]->name;
    for (uint32_t i = 0; i < d->arguments.count && !gql__v_stop(c); i++) {
        const gql_argument_t *a = d->arguments.items[i];
        bool found = false;
        for (uint32_t k = 0; k < nknown && !found; k++)
            found = lc_str_eq(known[k], a->name);
        if (found)
            continue;
        lc_str_t sugg[5];
        uint32_t ns = gql__v_suggest(c, a->name, known, nknown, sugg, 5);
        lc_buf_t b;
        gql__v_buf_init(c, &b);
        lc_buf_printf(&b, "Unknown argument \"%.*s\" on directive \"@%.*s\".", S(a->name),
                      S(d->name));
        gql__v_did_you_mean(&b, NULL, sugg, ns);
        const char *msg = gql__v_buf_cstr(c, &b);
        if (msg)
            gql__v_report(c, &a->loc, 1, "%s", msg);
    }
}

/* ---- §5.4.2 Argument Uniqueness -------------------------------------------------------------- */

void gql__vr_unique_arguments(gql__vctx_t *c, const gql_argument_list_t *args) {
    uint32_t n = args->count, *first, *next;
    if (n < 2)
        return;
    lc_str_t *names = gql__v_alloc(c, (size_t)n * sizeof *names);
    if (!names)
        return;
    for (uint32_t i = 0; i < n; i++)
        names[i] = args->items[i]->name;
    if (!gql__v_dup_groups(c, names, n, &first, &next))
        return;
    for (uint32_t i = 0; i < n && !gql__v_stop(c); i++) {
        if (first[i] != i || next[i] == UINT32_MAX)
            continue;
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t nl = 0;
        for (uint32_t k = i; k != UINT32_MAX && nl < GQL_DIAG_MAX_LOCATIONS; k = next[k])
            locs[nl++] = args->items[k]->loc;
        gql__v_report(c, locs, nl, "There can be only one argument named \"%.*s\".", S(names[i]));
    }
}

/* ---- §5.4.2.1 Required Arguments ------------------------------------------------------------- */

static bool has_argument(const gql_argument_list_t *args, lc_str_t name) {
    for (uint32_t i = 0; i < args->count; i++)
        if (lc_str_eq(args->items[i]->name, name))
            return true;
    return false;
}

void gql__vr_required_field_arguments(gql__vctx_t *c, const gql_field_t *f) {
    const gql_schema_field_t *fd = c->ti.field_def;
    if (!fd)
        return;
    for (uint32_t i = 0; i < fd->nargs; i++) {
        const gql_schema_input_value_t *a = &fd->args[i];
        if (a->type->kind != GQL_TK_NON_NULL || a->default_value ||
            has_argument(&f->arguments, a->name))
            continue;
        gql__v_report(c, &f->loc, 1,
                      "Field \"%.*s\" argument \"%.*s\" of type \"%s\" is required, but it was "
                      "not provided.",
                      S(fd->name), S(a->name), gql__v_type_str(c, a->type));
    }
}

void gql__vr_required_directive_arguments(gql__vctx_t *c, const gql_directive_t *d) {
    dir_t dir;
    if (!find_directive(c, d->name, &dir))
        return;
    if (dir.sd) {
        for (uint32_t i = 0; i < dir.sd->nargs; i++) {
            const gql_schema_input_value_t *a = &dir.sd->args[i];
            if (a->type->kind != GQL_TK_NON_NULL || a->default_value ||
                has_argument(&d->arguments, a->name))
                continue;
            gql__v_report(c, &d->loc, 1,
                          "Directive \"@%.*s\" argument \"%.*s\" of type \"%s\" is required, but "
                          "it was not provided.",
                          S(d->name), S(a->name), gql__v_type_str(c, a->type));
        }
        return;
    }
    for (uint32_t i = 0; i < dir.dd->arguments.count; i++) {
        const gql_input_value_definition_t *a = dir.dd->arguments.items[i];
        if (a->type->kind != GQL_NON_NULL_TYPE || a->default_value ||
            has_argument(&d->arguments, a->name))
            continue;
        gql__v_report(c, &d->loc, 1,
                      "Directive \"@%.*s\" argument \"%.*s\" of type \"%s\" is required, but it "
                      "was not provided.",
                      S(d->name), S(a->name), gql__v_ast_type_str(c, a->type));
    }
}
