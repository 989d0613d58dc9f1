/* SPDX-License-Identifier: MIT */
/* Validation driver (Oct 2021 §5): the second step of a request, after parsing and before
 * execution. One walk over the document keeps graphql-js's TypeInfo (parent type, field
 * definition, expected input type) and calls, at each node, every rule interested in it in
 * graphql-js's specifiedRules order, so that errors come out in graphql-js's order. Rules that
 * need the whole document (fragment cycles, variable usages through fragments, field merging)
 * read the fragment index of validate_fragments.c. Scratch memory is the caller's arena. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gql/limits.h"
#include "gql/validate.h"
#include "validate_int.h"

#define ON(c, id) (!(c)->collecting && ((c)->rules & GQL__RULE_BIT(id)) != 0)

/* ---- Context helpers ----------------------------------------------------------------------- */

bool gql__v_nomem(gql__vctx_t *c) {
    c->status = LC_ENOMEM;
    return false;
}

void *gql__v_alloc(gql__vctx_t *c, size_t size) {
    void *p = lc_arena_alloc(c->arena, size ? size : 1);
    if (!p)
        gql__v_nomem(c);
    return p;
}

void gql__v_report(gql__vctx_t *c, const gql_loc_t *locs, uint32_t nlocs, const char *fmt, ...) {
    va_list ap;
    char *msg = NULL;
    uint32_t dropped = c->diags->dropped;

    if (gql__v_stop(c))
        return;
    if (c->nerrors >= c->max_errors) {
        /* graphql-js: the error past the limit is replaced by this one, then validation stops */
        if (!gql_diags_add(c->diags, NULL, 0, "%s",
                           "Too many validation errors, error limit reached. Validation "
                           "aborted.") &&
            c->diags->dropped == dropped)
            gql__v_nomem(c);
        c->aborted = true;
        return;
    }
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    msg = gql__v_alloc(c, (size_t)n + 1);
    if (!msg)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    c->nerrors++;
    if (!gql_diags_add(c->diags, locs,
                       nlocs > GQL_DIAG_MAX_LOCATIONS ? GQL_DIAG_MAX_LOCATIONS : nlocs, "%s",
                       msg) &&
        c->diags->dropped == dropped)
        gql__v_nomem(c);
}

void gql__v_abort(gql__vctx_t *c) {
    uint32_t dropped = c->diags->dropped;
    if (gql__v_stop(c))
        return;
    if (!gql_diags_add(c->diags, NULL, 0, "%s", "Validation aborted.") &&
        c->diags->dropped == dropped)
        gql__v_nomem(c);
    c->aborted = true;
}

gql_loc_t gql__v_name_loc(const gql__vctx_t *c, lc_str_t name, gql_loc_t near) {
    const char *src = c->doc->source.ptr;
    size_t len = c->doc->source.len;
    if (!name.ptr || !src || name.ptr < src || name.ptr > src + len)
        return near;
    size_t off = (size_t)(name.ptr - src);
    if (near.line == 0 || near.offset > off)
        return gql_loc_at(src, len, off);
    /* Count as the lexer does: LF, CR and CRLF end lines; columns are UTF-16 code units. */
    gql_loc_t loc = near;
    for (size_t i = near.offset; i < off; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '\n' || (ch == '\r' && !(i + 1 < len && src[i + 1] == '\n'))) {
            loc.line++;
            loc.column = 1;
        } else if (ch == '\r') {
            continue; /* the LF that follows ends the line */
        } else if ((ch & 0xC0) == 0x80) {
            continue; /* continuation byte */
        } else {
            loc.column += ch >= 0xF0 ? 2 : 1;
        }
    }
    loc.offset = (uint32_t)off;
    return loc;
}

void gql__v_buf_init(gql__vctx_t *c, lc_buf_t *b) {
    lc_buf_init(b, c->arena, 128, 0);
}

const char *gql__v_buf_cstr(gql__vctx_t *c, lc_buf_t *b) {
    if (lc_buf_terminate(b) != LC_OK || !b->data) {
        gql__v_nomem(c);
        return NULL;
    }
    return b->data;
}

/* ---- The walk ------------------------------------------------------------------------------ */

static void walk_value(gql__vctx_t *c, const gql_value_t *v);
static void walk_selection_set(gql__vctx_t *c, const gql_selection_set_t *ss, bool in_inline);

/* NamedType nodes under a type reference: KnownTypeNames. */
static void walk_type(gql__vctx_t *c, const gql_type_t *t, bool sdl) {
    while (t && t->kind != GQL_NAMED_TYPE)
        t = t->of;
    if (t && ON(c, KNOWN_TYPE_NAMES))
        gql__vr_known_type_name(c, t, sdl);
}

static const gql_schema_input_value_t *find_arg(const gql_schema_input_value_t *args, uint32_t n,
                                                lc_str_t name) {
    for (uint32_t i = 0; i < n; i++)
        if (lc_str_eq(args[i].name, name))
            return &args[i];
    return NULL;
}

static void walk_argument(gql__vctx_t *c, const gql_argument_t *a, bool in_directive) {
    gql__vtypeinfo_t saved = c->ti;
    const gql_schema_input_value_t *def = NULL;

    if (gql__v_stop(c))
        return;
    /* TypeInfo: the directive's arguments, else (also inside an unknown directive, as
     * graphql-js does) the field's. */
    if (c->ti.directive)
        def = find_arg(c->ti.directive->args, c->ti.directive->nargs, a->name);
    else if (c->ti.field_def)
        def = find_arg(c->ti.field_def->args, c->ti.field_def->nargs, a->name);
    c->ti.argument = def;
    c->ti.default_value = def ? def->default_value : NULL;
    c->ti.has_default = def && def->default_value;
    c->ti.parent_input_type = c->ti.input_type;
    c->ti.input_type = def && gql__v_is_input_type(def->type) ? def->type : NULL;
    /* KnownArgumentNames does not visit a directive's arguments (its Directive hook returns
     * false); it checks them at the directive. */
    if (!in_directive && ON(c, KNOWN_ARGUMENT_NAMES))
        gql__vr_known_field_argument(c, a);
    walk_value(c, a->value);
    c->ti = saved;
}

static void walk_directive(gql__vctx_t *c, const gql_directive_t *d, uint32_t loc_bit,
                           const char *loc_name) {
    const gql_schema_directive_t *saved = c->ti.directive;

    if (gql__v_stop(c))
        return;
    c->ti.directive = gql_schema_find_directive(c->schema, d->name);
    if (ON(c, KNOWN_DIRECTIVES))
        gql__vr_known_directive(c, d, loc_bit, loc_name);
    if (ON(c, KNOWN_ARGUMENT_NAMES))
        gql__vr_known_directive_arguments(c, d);
    if (ON(c, UNIQUE_ARGUMENT_NAMES))
        gql__vr_unique_arguments(c, &d->arguments);
    for (uint32_t i = 0; i < d->arguments.count; i++)
        walk_argument(c, d->arguments.items[i], true);
    if (ON(c, PROVIDED_REQUIRED_ARGUMENTS))
        gql__vr_required_directive_arguments(c, d);
    c->ti.directive = saved;
}

static void walk_directives(gql__vctx_t *c, const gql_directive_list_t *dirs, uint32_t loc_bit,
                            const char *loc_name) {
    for (uint32_t i = 0; i < dirs->count; i++)
        walk_directive(c, dirs->items[i], loc_bit, loc_name);
}

static bool vct_on(const gql__vctx_t *c) {
    return ON(c, VALUES_OF_CORRECT_TYPE) && !c->vct_skip;
}

static void walk_object(gql__vctx_t *c, const gql_value_t *v) {
    uint32_t *dups = NULL;

    if (vct_on(c) && gql__vr_value_object(c, v))
        c->vct_skip = (const gql_node_t *)v;
    if (ON(c, UNIQUE_INPUT_FIELD_NAMES))
        dups = gql__vr_input_field_dups(c, v);
    const gql_schema_type_t *obj = gql_type_named(c->ti.input_type);
    for (uint32_t i = 0; i < v->object.count && !gql__v_stop(c); i++) {
        const gql_object_field_t *f = v->object.items[i];
        gql__vtypeinfo_t saved = c->ti;
        const gql_schema_input_value_t *def = NULL;
        if (obj && obj->kind == GQL_TK_INPUT_OBJECT)
            def = find_arg(obj->input_fields, obj->ninput_fields, f->name);
        c->ti.default_value = def ? def->default_value : NULL;
        c->ti.has_default = def && def->default_value;
        c->ti.parent_input_type = c->ti.input_type;
        c->ti.input_type = def && gql__v_is_input_type(def->type) ? def->type : NULL;
        if (vct_on(c))
            gql__vr_value_object_field(c, f);
        if (dups)
            gql__vr_unique_input_field(c, v, i, dups);
        walk_value(c, f->value);
        c->ti = saved;
    }
    if (c->vct_skip == (const gql_node_t *)v)
        c->vct_skip = NULL;
}

static void walk_value(gql__vctx_t *c, const gql_value_t *v) {
    if (!v || gql__v_stop(c))
        return;
    switch (v->kind) {
    case GQL_VARIABLE:
        if (c->collecting) {
            gql__vusage_t u = {v, c->ti.input_type, c->ti.has_default};
            (void)GQL__VVEC_PUSH(c, c->usages, gql__vusage_t, u);
        }
        break;
    case GQL_INT_VALUE:
    case GQL_FLOAT_VALUE:
    case GQL_STRING_VALUE:
    case GQL_BOOLEAN_VALUE:
    case GQL_ENUM_VALUE:
        if (vct_on(c))
            gql__vr_value_leaf(c, v);
        break;
    case GQL_NULL_VALUE:
        if (vct_on(c))
            gql__vr_value_null(c, v);
        break;
    case GQL_LIST_VALUE: {
        gql__vtypeinfo_t saved = c->ti;
        /* TypeInfo: items expect the list's item type; a list where no list is expected
         * gives its items the position's own type. Lists have no default values. */
        const gql_schema_type_t *lt = gql__v_nullable(c->ti.input_type);
        const gql_schema_type_t *item = lt && lt->kind == GQL_TK_LIST ? lt->of_type : lt;
        c->ti.default_value = NULL;
        c->ti.has_default = false;
        c->ti.parent_input_type = c->ti.input_type;
        c->ti.input_type = gql__v_is_input_type(item) ? item : NULL;
        if (vct_on(c) && gql__vr_value_list(c, v))
            c->vct_skip = (const gql_node_t *)v;
        for (uint32_t i = 0; i < v->list.count && !gql__v_stop(c); i++)
            walk_value(c, v->list.items[i]);
        if (c->vct_skip == (const gql_node_t *)v)
            c->vct_skip = NULL;
        c->ti = saved;
        break;
    }
    case GQL_OBJECT_VALUE:
        walk_object(c, v);
        break;
    default:
        break;
    }
}

static void walk_field(gql__vctx_t *c, const gql_field_t *f) {
    gql__vtypeinfo_t saved = c->ti;
    const gql_schema_field_t *def = NULL;

    if (gql__v_stop(c))
        return;
    if (c->ti.parent_type)
        def = gql_schema_find_field(c->schema, c->ti.parent_type, f->name, true);
    c->ti.field_def = def;
    c->ti.type = def ? def->type : NULL;
    if (ON(c, SCALAR_LEAFS))
        gql__vr_scalar_leafs(c, f);
    if (ON(c, FIELDS_ON_CORRECT_TYPE))
        gql__vr_field_on_correct_type(c, f);
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &f->directives, LC_STR_NULL, false);
    if (ON(c, UNIQUE_ARGUMENT_NAMES))
        gql__vr_unique_arguments(c, &f->arguments);
    if (ON(c, MAX_INTROSPECTION_DEPTH) && !c->mid_skip && gql__vr_max_introspection_depth(c, f))
        c->mid_skip = f;
    for (uint32_t i = 0; i < f->arguments.count; i++)
        walk_argument(c, f->arguments.items[i], false);
    walk_directives(c, &f->directives, GQL_DL_FIELD, "FIELD");
    if (f->selection_set)
        walk_selection_set(c, f->selection_set, false);
    /* ProvidedRequiredArguments reports on leave, after the errors inside the field. */
    if (ON(c, PROVIDED_REQUIRED_ARGUMENTS) && !gql__v_stop(c))
        gql__vr_required_field_arguments(c, f);
    if (c->mid_skip == f)
        c->mid_skip = NULL;
    c->ti = saved;
}

static void walk_inline_fragment(gql__vctx_t *c, const gql_inline_fragment_t *f) {
    gql__vtypeinfo_t saved = c->ti;

    if (gql__v_stop(c))
        return;
    const gql_schema_type_t *t =
        f->type_condition ? gql__v_type_from_ast(c, f->type_condition) : gql_type_named(c->ti.type);
    c->ti.type = gql__v_is_output_type(t) ? t : NULL;
    if (ON(c, FRAGMENTS_ON_COMPOSITE_TYPES))
        gql__vr_inline_fragment_composite(c, f);
    if (ON(c, POSSIBLE_FRAGMENT_SPREADS))
        gql__vr_possible_inline_spread(c, f);
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &f->directives, LC_STR_NULL, false);
    if (f->type_condition)
        walk_type(c, f->type_condition, false);
    walk_directives(c, &f->directives, GQL_DL_INLINE_FRAGMENT, "INLINE_FRAGMENT");
    walk_selection_set(c, f->selection_set, true);
    c->ti = saved;
}

static void walk_spread(gql__vctx_t *c, const gql_fragment_spread_t *s) {
    if (gql__v_stop(c))
        return;
    if (ON(c, KNOWN_FRAGMENT_NAMES))
        gql__vr_known_fragment_name(c, s);
    if (ON(c, POSSIBLE_FRAGMENT_SPREADS))
        gql__vr_possible_fragment_spread(c, s);
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &s->directives, LC_STR_NULL, false);
    walk_directives(c, &s->directives, GQL_DL_FRAGMENT_SPREAD, "FRAGMENT_SPREAD");
}

static void walk_selection_set(gql__vctx_t *c, const gql_selection_set_t *ss, bool in_inline) {
    gql__vtypeinfo_t saved = c->ti;

    if (!ss || gql__v_stop(c))
        return;
    const gql_schema_type_t *named = gql_type_named(c->ti.type);
    c->ti.parent_type = gql__v_is_composite(named) ? named : NULL;
    if (ON(c, OVERLAPPING_FIELDS_CAN_BE_MERGED))
        gql__vr_overlapping_fields(c, ss, in_inline);
    for (uint32_t i = 0; i < ss->selections.count && !gql__v_stop(c); i++) {
        const gql_selection_t *sel = ss->selections.items[i];
        switch (sel->node.kind) {
        case GQL_FIELD:
            walk_field(c, &sel->field);
            break;
        case GQL_INLINE_FRAGMENT:
            walk_inline_fragment(c, &sel->inline_fragment);
            break;
        case GQL_FRAGMENT_SPREAD:
            walk_spread(c, &sel->spread);
            break;
        default:
            break;
        }
    }
    c->ti = saved;
}

static void walk_variable_definition(gql__vctx_t *c, const gql_variable_definition_t *vd) {
    gql__vtypeinfo_t saved = c->ti;

    if (gql__v_stop(c))
        return;
    const gql_schema_type_t *t = gql__v_type_from_ast(c, vd->type);
    c->ti.parent_input_type = c->ti.input_type;
    c->ti.input_type = gql__v_is_input_type(t) ? t : NULL;
    if (ON(c, VARIABLES_ARE_INPUT_TYPES))
        gql__vr_variable_input_type(c, vd);
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &vd->directives, LC_STR_NULL, false);
    walk_type(c, vd->type, false);
    walk_value(c, vd->default_value);
    walk_directives(c, &vd->directives, GQL_DL_VARIABLE_DEFINITION, "VARIABLE_DEFINITION");
    c->ti = saved;
}

static void walk_operation(gql__vctx_t *c, const gql_operation_definition_t *op, uint32_t index) {
    gql__vtypeinfo_t saved = c->ti;
    const gql_schema_type_t *root = NULL;
    uint32_t loc_bit = GQL_DL_QUERY;
    const char *loc_name = "QUERY";

    if (gql__v_stop(c))
        return;
    switch (op->operation) {
    case GQL_OP_QUERY:
        root = c->schema->query;
        break;
    case GQL_OP_MUTATION:
        root = c->schema->mutation;
        loc_bit = GQL_DL_MUTATION;
        loc_name = "MUTATION";
        break;
    case GQL_OP_SUBSCRIPTION:
        root = c->schema->subscription;
        loc_bit = GQL_DL_SUBSCRIPTION;
        loc_name = "SUBSCRIPTION";
        break;
    }
    c->ti.type = root && root->kind == GQL_TK_OBJECT ? root : NULL;
    if (ON(c, NO_UNUSED_FRAGMENTS) &&
        !GQL__VVEC_PUSH(c, &c->operations, const gql_operation_definition_t *, op))
        return;
    if (ON(c, UNIQUE_OPERATION_NAMES))
        gql__vr_unique_operation_name(c, op, index);
    if (ON(c, LONE_ANONYMOUS_OPERATION))
        gql__vr_lone_anonymous_operation(c, op);
    if (ON(c, SINGLE_FIELD_SUBSCRIPTIONS))
        gql__vr_single_field_subscription(c, op);
    if (ON(c, UNIQUE_VARIABLE_NAMES))
        gql__vr_unique_variable_names(c, op);
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &op->directives, LC_STR_NULL, false);
    /* A walk that collects variable usages skips the definitions (graphql-js
     * getVariableUsages: VariableDefinition returns false). */
    if (!c->collecting)
        for (uint32_t i = 0; i < op->variables.count; i++)
            walk_variable_definition(c, op->variables.items[i]);
    walk_directives(c, &op->directives, loc_bit, loc_name);
    walk_selection_set(c, op->selection_set, false);
    if (!c->collecting && !gql__v_stop(c))
        gql__vr_operation_leave(c, op);
    c->ti = saved;
}

static void walk_fragment(gql__vctx_t *c, const gql_fragment_definition_t *f, uint32_t index) {
    gql__vtypeinfo_t saved = c->ti;

    if (gql__v_stop(c))
        return;
    const gql_schema_type_t *t = gql__v_type_from_ast(c, f->type_condition);
    c->ti.type = gql__v_is_output_type(t) ? t : NULL;
    if (ON(c, FRAGMENTS_ON_COMPOSITE_TYPES))
        gql__vr_fragment_composite(c, f);
    if (ON(c, UNIQUE_FRAGMENT_NAMES))
        gql__vr_unique_fragment_name(c, f, index);
    if (ON(c, NO_FRAGMENT_CYCLES))
        gql__vr_no_fragment_cycles(c, f);
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &f->directives, LC_STR_NULL, false);
    walk_type(c, f->type_condition, false);
    walk_directives(c, &f->directives, GQL_DL_FRAGMENT_DEFINITION, "FRAGMENT_DEFINITION");
    walk_selection_set(c, f->selection_set, false);
    c->ti = saved;
}

/* ---- Type system definitions in a request ---------------------------------------------------
 * ExecutableDefinitions rejects them, but graphql-js runs every rule over the whole document, so
 * the rules that apply to them (known types and directives, directive arguments and values)
 * see them too. */

static void walk_sdl_input_value(gql__vctx_t *c, const gql_input_value_definition_t *iv,
                                 bool input_field) {
    if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
        gql__vr_unique_directives(c, &iv->directives, LC_STR_NULL, false);
    walk_type(c, iv->type, true);
    walk_value(c, iv->default_value);
    if (input_field)
        walk_directives(c, &iv->directives, GQL_DL_INPUT_FIELD_DEFINITION,
                        "INPUT_FIELD_DEFINITION");
    else
        walk_directives(c, &iv->directives, GQL_DL_ARGUMENT_DEFINITION, "ARGUMENT_DEFINITION");
}

static void sdl_location(gql_kind_t k, uint32_t *bit, const char **name) {
    switch (k) {
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
        *bit = GQL_DL_SCALAR, *name = "SCALAR";
        break;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
        *bit = GQL_DL_OBJECT, *name = "OBJECT";
        break;
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        *bit = GQL_DL_INTERFACE, *name = "INTERFACE";
        break;
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        *bit = GQL_DL_UNION, *name = "UNION";
        break;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        *bit = GQL_DL_ENUM, *name = "ENUM";
        break;
    default:
        *bit = GQL_DL_INPUT_OBJECT, *name = "INPUT_OBJECT";
        break;
    }
}

static void walk_sdl(gql__vctx_t *c, const gql_definition_t *def) {
    gql_kind_t k = def->node.kind;

    if (k == GQL_SCHEMA_DEFINITION || k == GQL_SCHEMA_EXTENSION) {
        const gql_schema_definition_t *s = &def->schema;
        if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
            gql__vr_unique_directives(c, &s->directives, LC_STR_NULL, true);
        walk_directives(c, &s->directives, GQL_DL_SCHEMA, "SCHEMA");
        for (uint32_t i = 0; i < s->operation_types.count; i++)
            walk_type(c, s->operation_types.items[i]->type, true);
    } else if (gql_kind_is_type_definition(k)) {
        const gql_type_definition_t *t = &def->type;
        uint32_t bit;
        const char *name;
        sdl_location(k, &bit, &name);
        if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
            gql__vr_unique_directives(c, &t->directives, t->name, false);
        for (uint32_t i = 0; i < t->interfaces.count; i++)
            walk_type(c, t->interfaces.items[i], true);
        walk_directives(c, &t->directives, bit, name);
        for (uint32_t i = 0; i < t->fields.count && !gql__v_stop(c); i++) {
            const gql_field_definition_t *f = t->fields.items[i];
            if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
                gql__vr_unique_directives(c, &f->directives, LC_STR_NULL, false);
            for (uint32_t a = 0; a < f->arguments.count; a++)
                walk_sdl_input_value(c, f->arguments.items[a], false);
            walk_type(c, f->type, true);
            walk_directives(c, &f->directives, GQL_DL_FIELD_DEFINITION, "FIELD_DEFINITION");
        }
        for (uint32_t i = 0; i < t->types.count; i++)
            walk_type(c, t->types.items[i], true);
        for (uint32_t i = 0; i < t->values.count && !gql__v_stop(c); i++) {
            const gql_enum_value_definition_t *ev = t->values.items[i];
            if (ON(c, UNIQUE_DIRECTIVES_PER_LOCATION))
                gql__vr_unique_directives(c, &ev->directives, LC_STR_NULL, false);
            walk_directives(c, &ev->directives, GQL_DL_ENUM_VALUE, "ENUM_VALUE");
        }
        /* graphql-js tells input fields from arguments by the grandparent's kind, so the
         * fields of an input object extension count as argument definitions there. */
        for (uint32_t i = 0; i < t->input_fields.count && !gql__v_stop(c); i++)
            walk_sdl_input_value(c, t->input_fields.items[i],
                                 k == GQL_INPUT_OBJECT_TYPE_DEFINITION);
    } else if (k == GQL_DIRECTIVE_DEFINITION) {
        const gql_directive_definition_t *d = &def->directive;
        for (uint32_t i = 0; i < d->arguments.count; i++)
            walk_sdl_input_value(c, d->arguments.items[i], false);
    }
}

void gql__v_collect_usages(gql__vctx_t *c, const gql_definition_t *def, gql__vvec_t *out) {
    gql__vtypeinfo_t saved = c->ti;
    bool was = c->collecting;
    gql__vvec_t *was_out = c->usages;

    memset(&c->ti, 0, sizeof c->ti);
    c->collecting = true;
    c->usages = out;
    if (def->node.kind == GQL_OPERATION_DEFINITION)
        walk_operation(c, &def->operation, 0);
    else if (def->node.kind == GQL_FRAGMENT_DEFINITION)
        walk_fragment(c, &def->fragment, 0);
    c->collecting = was;
    c->usages = was_out;
    c->ti = saved;
}

static void walk_document(gql__vctx_t *c) {
    const gql_document_t *doc = c->doc;

    if (ON(c, EXECUTABLE_DEFINITIONS))
        gql__vr_executable_definitions(c);
    for (uint32_t i = 0; i < doc->definitions.count && !gql__v_stop(c); i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        switch (def->node.kind) {
        case GQL_OPERATION_DEFINITION:
            walk_operation(c, &def->operation, i);
            break;
        case GQL_FRAGMENT_DEFINITION:
            walk_fragment(c, &def->fragment, i);
            break;
        default:
            walk_sdl(c, def);
            break;
        }
    }
    if (ON(c, NO_UNUSED_FRAGMENTS) && !gql__v_stop(c))
        gql__vr_no_unused_fragments(c);
}

/* Names the document defines: directives (which KnownDirectives, KnownArgumentNames,
 * ProvidedRequiredArguments and UniqueDirectivesPerLocation honour, as graphql-js does) and
 * types (KnownTypeNames). */
static void index_sdl(gql__vctx_t *c) {
    const gql_document_t *doc = c->doc;
    bool added;
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        gql__vsent_t *e = NULL;
        if (def->node.kind == GQL_DIRECTIVE_DEFINITION) {
            e = gql__vsmap_add(c, &c->doc_directives, def->directive.name, i, &added);
            c->has_doc_directives = true;
        } else if (gql_kind_is_type_definition(def->node.kind) &&
                   !gql_kind_is_extension(def->node.kind)) {
            e = gql__vsmap_add(c, &c->doc_types, def->type.name, i, &added);
        } else {
            continue;
        }
        if (!e)
            return;
        e->val = i; /* the last definition wins */
    }
}

static uint64_t make_seed(const gql__vctx_t *c) {
    /* Hash tables keyed by names from the request: a per-validation seed keeps an attacker
     * from choosing names that collide. */
    struct timespec ts;
    uint64_t s = (uint64_t)(uintptr_t)c * 0x9E3779B97F4A7C15ull;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
        s ^= (uint64_t)ts.tv_nsec * 0xC2B2AE3D27D4EB4Full ^ (uint64_t)ts.tv_sec;
    return s | 1u;
}

int gql__validate_rules(lc_arena_t *arena, const gql_schema_t *schema, const gql_document_t *doc,
                        uint32_t max_errors, uint32_t rules, gql_diags_t *diags) {
    gql__vctx_t c;

    memset(&c, 0, sizeof c);
    c.arena = arena;
    c.schema = schema;
    c.doc = doc;
    c.diags = diags;
    c.rules = rules;
    c.max_errors = max_errors ? max_errors : 100;
    c.seed = make_seed(&c);
    c.status = LC_OK;

    index_sdl(&c);
    gql__v_index_fragments(&c);
    if (c.status == LC_OK)
        walk_document(&c);
    if (c.status != LC_OK)
        return c.status;
    return c.nerrors || c.aborted ? LC_EINVAL : LC_OK;
}

int gql_validate(lc_arena_t *arena, const gql_schema_t *schema, const gql_document_t *doc,
                 const gql_validate_options_t *opts, gql_diags_t *diags) {
    return gql__validate_rules(arena, schema, doc, opts ? opts->max_errors : 0, GQL__RULES_ALL,
                               diags);
}
