/* SPDX-License-Identifier: MIT */
/* SDL -> schema (Oct 2021 §3): the first step of start-up, before any request. The prelude of
 * built-ins and the user's SDL are parsed into the schema's arena and walked in phases —
 * collect the named types and directives, attach extensions, build directive arguments, build
 * each type's members, apply directive uses (§3.13: known, allowed here, not repeated, valid
 * arguments; @deprecated and @specifiedBy take effect), leave out the built-in scalars nothing
 * names, sort and index — then the §3 type validation of schema_validate.c runs. The SDL-level
 * rules (graphql-js's specifiedSDLRules: unique names, known types, possible extensions, ...)
 * are checked on the way. Every problem becomes a diagnostic; a schema with any problem is not
 * returned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gql/parse.h"
#include "gql/schema.h"
#include "graphql_int.h"
#include "lectern/alloc.h"
#include "schema_int.h"

#define LOC_NONE ((gql_loc_t){0, 0, 0})
#define DEFAULT_DEPRECATION_REASON "No longer supported"

/* gql__location_names has one name per bit of gql_directive_location_t. */
_Static_assert(GQL_DL_INPUT_FIELD_DEFINITION == 1u << (GQL__NLOCATIONS - 1),
               "gql__location_names and gql_directive_location_t differ");

static const char *location_name(uint32_t bit) {
    for (uint32_t i = 0; i < GQL__NLOCATIONS; i++)
        if (bit == 1u << i)
            return gql__location_names[i];
    return "UNKNOWN";
}

static const char *const operation_names[] = {"query", "mutation", "subscription"};

/* ---- Allocation ------------------------------------------------------------------------------ */

static void *zalloc(gql__schema_builder_t *b, size_t n, size_t size) {
    void *p = lc_arena_calloc(b->arena, n ? n : 1, size);
    if (!p)
        gql__schema_nomem(b);
    return p;
}

static void *scratch(gql__schema_builder_t *b, size_t n, size_t size) {
    void *p = lc_arena_calloc(b->scratch, n ? n : 1, size);
    if (!p)
        gql__schema_nomem(b);
    return p;
}

/* ---- Small helpers ------------------------------------------------------------------------- */

static lc_str_t description_of(const gql_value_t *d) {
    return d && d->kind == GQL_STRING_VALUE ? d->string.value : LC_STR_NULL;
}

static gql_type_kind_t kind_of(gql_kind_t k) {
    switch (k) {
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
        return GQL_TK_OBJECT;
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        return GQL_TK_INTERFACE;
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        return GQL_TK_UNION;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        return GQL_TK_ENUM;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return GQL_TK_INPUT_OBJECT;
    default:
        return GQL_TK_SCALAR;
    }
}

/* graphql-js PossibleTypeExtensionsRule's words for a kind. */
static const char *kind_word(gql_type_kind_t k) {
    switch (k) {
    case GQL_TK_OBJECT:
        return "object";
    case GQL_TK_INTERFACE:
        return "interface";
    case GQL_TK_UNION:
        return "union";
    case GQL_TK_ENUM:
        return "enum";
    case GQL_TK_INPUT_OBJECT:
        return "input object";
    default:
        return "scalar";
    }
}

static uint32_t directive_location(gql_type_kind_t k) {
    switch (k) {
    case GQL_TK_OBJECT:
        return GQL_DL_OBJECT;
    case GQL_TK_INTERFACE:
        return GQL_DL_INTERFACE;
    case GQL_TK_UNION:
        return GQL_DL_UNION;
    case GQL_TK_ENUM:
        return GQL_DL_ENUM;
    case GQL_TK_INPUT_OBJECT:
        return GQL_DL_INPUT_OBJECT;
    default:
        return GQL_DL_SCALAR;
    }
}

static gql_loc_t name_loc(const gql__schema_builder_t *b, lc_str_t name, gql_loc_t fallback) {
    return gql__schema_name_loc(b, name, fallback);
}

/* The definition and extensions of a type, as one list for the member loops. */
static uint32_t type_nodes(const gql__schema_btype_t *bt, const gql_type_definition_t **nodes,
                           uint32_t cap) {
    uint32_t n = 0;
    if (n < cap)
        nodes[n++] = bt->def;
    for (const gql__schema_ext_t *e = bt->exts; e && n < cap; e = e->next)
        nodes[n++] = e->ast;
    return n;
}

static const gql_type_definition_t **all_nodes(gql__schema_builder_t *b,
                                               const gql__schema_btype_t *bt, uint32_t *n) {
    const gql_type_definition_t **nodes = scratch(b, bt->nexts + 1, sizeof *nodes);
    *n = nodes ? type_nodes(bt, nodes, bt->nexts + 1) : 0;
    return nodes;
}

/* ---- Types and wrappers -------------------------------------------------------------------- */

/* Interned wrappers: one `[T]` and one `T!` per T, so type equality is pointer equality. */
static const gql_schema_type_t *wrap(gql__schema_builder_t *b, const gql_schema_type_t *inner,
                                     gql_type_kind_t kind) {
    if (kind == GQL_TK_NON_NULL && inner->kind == GQL_TK_NON_NULL)
        return inner;
    /* The builder owns every type it hands out; the public fields are const for readers. */
    gql_schema_type_t *in = (gql_schema_type_t *)inner;
    const gql_schema_type_t **slot = kind == GQL_TK_LIST ? &in->list_of : &in->non_null_of;
    if (!*slot) {
        gql_schema_type_t *w = zalloc(b, 1, sizeof *w);
        if (!w)
            return NULL;
        w->kind = kind;
        w->of_type = inner;
        *slot = w;
    }
    return *slot;
}

/* A type reference (§3.4.1 KnownTypeNames: "Unknown type"). NULL when unknown. */
static const gql_schema_type_t *resolve(gql__schema_builder_t *b, const gql_type_t *ref) {
    const gql_schema_type_t *t = NULL;
    if (!ref)
        return NULL;
    switch (ref->kind) {
    case GQL_NAMED_TYPE:
        t = gql__schema_lookup(b, ref->name);
        if (!t)
            gql__schema_error(b, &ref->loc, 1, "Unknown type \"%.*s\".", GQL__STR_ARG(ref->name));
        return t;
    case GQL_LIST_TYPE:
        t = resolve(b, ref->of);
        return t ? wrap(b, t, GQL_TK_LIST) : NULL;
    case GQL_NON_NULL_TYPE:
        t = resolve(b, ref->of);
        return t ? wrap(b, t, GQL_TK_NON_NULL) : NULL;
    default:
        return NULL;
    }
}

static gql_schema_directive_t *find_directive(const gql__schema_builder_t *b, lc_str_t name) {
    return (gql_schema_directive_t *)gql_schema_find_directive(b->s, name);
}

/* ---- Phase 1: collect named types, directives, schema definitions (§3.3, §3.4, §3.13) -------- */

static void add_type(gql__schema_builder_t *b, const gql_type_definition_t *def) {
    gql_schema_type_t *old = gql__schema_lookup(b, def->name);
    gql_loc_t here = name_loc(b, def->name, def->loc);
    if (old) {
        if (old->builtin && !b->builtin) {
            /* graphql-js's buildASTSchema keeps the standard scalar for `scalar String`, and it
             * is then one of the document's types. */
            if (old->kind == GQL_TK_SCALAR && def->kind == GQL_SCALAR_TYPE_DEFINITION) {
                b->bt[old->index].referenced = true;
                return;
            }
            gql__schema_error(b, &here, 1,
                              "Type \"%.*s\" already exists in the schema. It cannot also be "
                              "defined in this type definition.",
                              GQL__STR_ARG(def->name));
        } else {
            const gql_type_definition_t *first = b->bt[old->index].def;
            gql_loc_t locs[2] = {name_loc(b, first->name, first->loc), here};
            /* §3.3 (UniqueTypeNamesRule) */
            gql__schema_error(b, locs, 2, "There can be only one type named \"%.*s\".",
                              GQL__STR_ARG(def->name));
        }
        return;
    }
    gql_schema_type_t *t = zalloc(b, 1, sizeof *t);
    if (!t)
        return;
    t->kind = kind_of(def->kind);
    t->name = def->name;
    t->description = description_of(def->description);
    t->builtin = b->builtin;
    t->ast = b->builtin ? NULL : def;
    t->index = b->nbt;
    gql__schema_btype_t *bt = &b->bt[b->nbt++];
    bt->type = t;
    bt->def = def;
    b->s->types[b->s->ntypes++] = t;
    gql__schema_index_t *ix = b->ix;
    uint32_t i = gql__schema_hash(t->name) & ix->types_mask;
    while (ix->types[i])
        i = (i + 1) & ix->types_mask;
    ix->types[i] = t;
}

static void add_directive(gql__schema_builder_t *b, const gql_directive_definition_t *def) {
    gql_schema_directive_t *old = find_directive(b, def->name);
    gql_loc_t here = name_loc(b, def->name, def->loc);
    if (old) {
        if (old->builtin && !b->builtin) {
            gql__schema_error(b, &here, 1,
                              "Directive \"@%.*s\" already exists in the schema. It cannot be "
                              "redefined.",
                              GQL__STR_ARG(def->name));
        } else {
            gql_loc_t locs[2] = {here, here};
            for (uint32_t i = 0; i < b->s->ndirectives; i++)
                if (b->s->directives[i] == old)
                    locs[0] = name_loc(b, b->dir_ast[i]->name, b->dir_ast[i]->loc);
            /* §3.13 (UniqueDirectiveNamesRule) */
            gql__schema_error(b, locs, 2, "There can be only one directive named \"@%.*s\".",
                              GQL__STR_ARG(def->name));
        }
        return;
    }
    gql_schema_directive_t *d = zalloc(b, 1, sizeof *d);
    if (!d)
        return;
    d->name = def->name;
    d->description = description_of(def->description);
    d->repeatable = def->repeatable;
    d->builtin = b->builtin;
    b->dir_ast[b->s->ndirectives] = def;
    b->s->directives[b->s->ndirectives++] = d;
    gql__schema_index_t *ix = b->ix;
    uint32_t i = gql__schema_hash(d->name) & ix->directives_mask;
    while (ix->directives[i])
        i = (i + 1) & ix->directives_mask;
    ix->directives[i] = d;
}

static void add_schema_node(gql__schema_builder_t *b, const gql_schema_definition_t *sd) {
    gql__schema_sdef_t *n = scratch(b, 1, sizeof *n);
    if (!n)
        return;
    n->ast = sd;
    if (sd->kind == GQL_SCHEMA_DEFINITION) {
        if (b->schema_def) {
            /* §3.3 (LoneSchemaDefinitionRule); its contents are still checked, as an
             * extension's would be. */
            gql__schema_error(b, &sd->loc, 1, "Must provide only one schema definition.");
            goto append;
        }
        b->schema_def = sd;
        n->next = b->sdefs; /* the definition first, then the extensions */
        b->sdefs = n;
        if (!b->sdefs_tail)
            b->sdefs_tail = n;
        return;
    }
append:
    if (b->sdefs_tail)
        b->sdefs_tail->next = n;
    else
        b->sdefs = n;
    b->sdefs_tail = n;
}

static void collect(gql__schema_builder_t *b, const gql_document_t *doc) {
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        switch (def->node.kind) {
        case GQL_SCHEMA_DEFINITION:
        case GQL_SCHEMA_EXTENSION:
            add_schema_node(b, &def->schema);
            break;
        case GQL_DIRECTIVE_DEFINITION:
            add_directive(b, &def->directive);
            break;
        case GQL_OPERATION_DEFINITION:
            if (def->operation.name.ptr)
                gql__schema_error(b, &def->node.loc, 1,
                                  "The \"%.*s\" definition is not a type system definition.",
                                  GQL__STR_ARG(def->operation.name));
            else
                gql__schema_error(b, &def->node.loc, 1,
                                  "The anonymous operation definition is not a type system "
                                  "definition.");
            break;
        case GQL_FRAGMENT_DEFINITION:
            gql__schema_error(b, &def->node.loc, 1,
                              "The \"%.*s\" definition is not a type system definition.",
                              GQL__STR_ARG(def->fragment.name));
            break;
        default:
            if (gql_kind_is_type_definition(def->node.kind) &&
                !gql_kind_is_extension(def->node.kind))
                add_type(b, &def->type);
            break;
        }
        if (b->status)
            return;
    }
}

/* ---- Phase 2: attach type extensions (§3.4.3; PossibleTypeExtensionsRule) ------------------- */

static void attach_extensions(gql__schema_builder_t *b, const gql_document_t *doc) {
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        if (!gql_kind_is_type_definition(def->node.kind) || !gql_kind_is_extension(def->node.kind))
            continue;
        const gql_type_definition_t *ext = &def->type;
        gql_schema_type_t *t = gql__schema_lookup(b, ext->name);
        if (!t || t->builtin) {
            gql_loc_t at = name_loc(b, ext->name, ext->loc);
            gql__schema_error(b, &at, 1, "Cannot extend type \"%.*s\" because it is not defined.",
                              GQL__STR_ARG(ext->name));
            continue;
        }
        gql__schema_btype_t *bt = &b->bt[t->index];
        if (t->kind != kind_of(ext->kind)) {
            gql_loc_t locs[2] = {bt->def->loc, ext->loc};
            gql__schema_error(b, locs, 2, "Cannot extend non-%s type \"%.*s\".",
                              kind_word(kind_of(ext->kind)), GQL__STR_ARG(ext->name));
            continue;
        }
        gql__schema_ext_t *e = scratch(b, 1, sizeof *e);
        if (!e)
            return;
        e->ast = ext;
        if (bt->exts_tail)
            bt->exts_tail->next = e;
        else
            bt->exts = e;
        bt->exts_tail = e;
        bt->nexts++;
    }
}

/* ---- Phase 3 and 4: directive arguments, type members --------------------------------------- */

typedef enum { IV_ARGUMENT, IV_INPUT_FIELD } iv_role_t;

/* Argument definitions (§3.6.1 / §3.13) or input fields (§3.10) from one or more lists (a type
 * and its extensions). `owner` names the parent in messages: "Type.field", "@directive" or
 * "Input". */
static void build_input_values(gql__schema_builder_t *b,
                               const gql_input_value_definition_list_t *const *lists,
                               uint32_t nlists, iv_role_t role, const char *owner,
                               gql_schema_input_value_t **out, uint32_t *nout) {
    uint32_t total = 0, n = 0;
    for (uint32_t l = 0; l < nlists; l++)
        total += lists[l]->count;
    *out = NULL;
    *nout = 0;
    if (!total)
        return;
    gql_schema_input_value_t *vals = zalloc(b, total, sizeof *vals);
    if (!vals)
        return;
    for (uint32_t l = 0; l < nlists; l++) {
        for (uint32_t i = 0; i < lists[l]->count; i++) {
            const gql_input_value_definition_t *ast = lists[l]->items[i];
            const gql_schema_input_value_t *dup = NULL;
            for (uint32_t k = 0; k < n && !dup; k++)
                if (lc_str_eq(vals[k].name, ast->name))
                    dup = &vals[k];
            if (dup) {
                gql_loc_t locs[2] = {name_loc(b, dup->name, dup->ast->loc),
                                     name_loc(b, ast->name, ast->loc)};
                if (role == IV_ARGUMENT) /* UniqueArgumentDefinitionNamesRule */
                    gql__schema_error(b, locs, 2,
                                      "Argument \"%s(%.*s:)\" can only be defined once.", owner,
                                      GQL__STR_ARG(ast->name));
                else /* UniqueFieldDefinitionNamesRule */
                    gql__schema_error(b, locs, 2, "Field \"%s.%.*s\" can only be defined once.",
                                      owner, GQL__STR_ARG(ast->name));
                continue;
            }
            gql_schema_input_value_t *v = &vals[n++];
            v->name = ast->name;
            v->description = description_of(ast->description);
            v->type = resolve(b, ast->type);
            v->default_value = ast->default_value;
            v->ast = ast;
        }
    }
    *out = vals;
    *nout = n;
}

/* "A.b" or "@d" into buf, for messages. */
static const char *owner_str(char *buf, size_t cap, const char *prefix, lc_str_t a, lc_str_t f) {
    if (f.ptr)
        snprintf(buf, cap, "%s%.*s.%.*s", prefix, GQL__STR_ARG(a), GQL__STR_ARG(f));
    else
        snprintf(buf, cap, "%s%.*s", prefix, GQL__STR_ARG(a));
    return buf;
}

static void build_directive(gql__schema_builder_t *b, uint32_t i) {
    gql_schema_directive_t *d = b->s->directives[i];
    const gql_directive_definition_t *ast = b->dir_ast[i];
    char owner[256];
    uint32_t *list = zalloc(b, ast->locations.count ? ast->locations.count : 1, sizeof *list);
    if (!list)
        return;
    for (uint32_t k = 0; k < ast->locations.count; k++) {
        const gql_name_t *loc = ast->locations.items[k];
        uint32_t bit = 0;
        for (uint32_t j = 0; j < GQL__NLOCATIONS && !bit; j++)
            if (lc_str_eq_cstr(loc->value, gql__location_names[j]))
                bit = 1u << j;
        if (!bit) { /* the parser accepts only DirectiveLocation names; kept for safety */
            gql__schema_error(b, &loc->loc, 1, "Unexpected Name \"%.*s\".",
                              GQL__STR_ARG(loc->value));
            continue;
        }
        d->locations |= bit;
        list[d->nlocations++] = bit;
    }
    d->location_list = list;
    const gql_input_value_definition_list_t *lists[1] = {&ast->arguments};
    build_input_values(b, lists, 1, IV_ARGUMENT,
                       owner_str(owner, sizeof owner, "@", d->name, LC_STR_NULL), &d->args,
                       &d->nargs);
}

static void build_fields(gql__schema_builder_t *b, gql__schema_btype_t *bt,
                         const gql_type_definition_t **nodes, uint32_t nnodes) {
    gql_schema_type_t *t = bt->type;
    uint32_t total = 0, n = 0;
    char owner[256];
    for (uint32_t l = 0; l < nnodes; l++)
        total += nodes[l]->fields.count;
    if (!total)
        return;
    t->fields = zalloc(b, total, sizeof *t->fields);
    if (!t->fields)
        return;
    for (uint32_t l = 0; l < nnodes; l++) {
        for (uint32_t i = 0; i < nodes[l]->fields.count; i++) {
            const gql_field_definition_t *ast = nodes[l]->fields.items[i];
            const gql_schema_field_t *dup = NULL;
            for (uint32_t k = 0; k < n && !dup; k++)
                if (lc_str_eq(t->fields[k].name, ast->name))
                    dup = &t->fields[k];
            if (dup) {
                gql_loc_t locs[2] = {name_loc(b, dup->name, dup->ast->loc),
                                     name_loc(b, ast->name, ast->loc)};
                /* §3.6 (UniqueFieldDefinitionNamesRule) */
                gql__schema_error(b, locs, 2, "Field \"%.*s.%.*s\" can only be defined once.",
                                  GQL__STR_ARG(t->name), GQL__STR_ARG(ast->name));
                continue;
            }
            gql_schema_field_t *f = &t->fields[n++];
            f->name = ast->name;
            f->description = description_of(ast->description);
            f->type = resolve(b, ast->type);
            f->parent = t;
            f->ast = ast;
            const gql_input_value_definition_list_t *lists[1] = {&ast->arguments};
            build_input_values(b, lists, 1, IV_ARGUMENT,
                               owner_str(owner, sizeof owner, "", t->name, f->name), &f->args,
                               &f->nargs);
        }
    }
    t->nfields = n;
}

/* Named types from `implements` lists or union member lists; unknown ones are reported and
 * left out. */
static void build_type_list(gql__schema_builder_t *b, const gql_type_definition_t **nodes,
                            uint32_t nnodes, bool members, const gql_schema_type_t ***out,
                            uint32_t *nout) {
    uint32_t total = 0, n = 0;
    for (uint32_t l = 0; l < nnodes; l++)
        total += members ? nodes[l]->types.count : nodes[l]->interfaces.count;
    if (!total)
        return;
    const gql_schema_type_t **list = zalloc(b, total, sizeof *list);
    if (!list)
        return;
    for (uint32_t l = 0; l < nnodes; l++) {
        const gql_type_list_t *tl = members ? &nodes[l]->types : &nodes[l]->interfaces;
        for (uint32_t i = 0; i < tl->count; i++) {
            const gql_schema_type_t *t = resolve(b, tl->items[i]);
            if (t)
                list[n++] = t;
        }
    }
    *out = list;
    *nout = n;
}

static void build_enum_values(gql__schema_builder_t *b, gql__schema_btype_t *bt,
                              const gql_type_definition_t **nodes, uint32_t nnodes) {
    gql_schema_type_t *t = bt->type;
    uint32_t total = 0, n = 0;
    for (uint32_t l = 0; l < nnodes; l++)
        total += nodes[l]->values.count;
    if (!total)
        return;
    t->values = zalloc(b, total, sizeof *t->values);
    bt->value_ast = scratch(b, total, sizeof *bt->value_ast);
    if (!t->values || !bt->value_ast)
        return;
    for (uint32_t l = 0; l < nnodes; l++) {
        for (uint32_t i = 0; i < nodes[l]->values.count; i++) {
            const gql_enum_value_definition_t *ast = nodes[l]->values.items[i];
            uint32_t dup = n;
            for (uint32_t k = 0; k < n && dup == n; k++)
                if (lc_str_eq(t->values[k].name, ast->name))
                    dup = k;
            if (dup < n) {
                gql_loc_t locs[2] = {name_loc(b, bt->value_ast[dup]->name, bt->value_ast[dup]->loc),
                                     name_loc(b, ast->name, ast->loc)};
                /* §3.9 (UniqueEnumValueNamesRule) */
                gql__schema_error(b, locs, 2, "Enum value \"%.*s.%.*s\" can only be defined once.",
                                  GQL__STR_ARG(t->name), GQL__STR_ARG(ast->name));
                continue;
            }
            bt->value_ast[n] = ast;
            t->values[n].name = ast->name;
            t->values[n].description = description_of(ast->description);
            n++;
        }
    }
    t->nvalues = n;
}

static void build_type(gql__schema_builder_t *b, gql__schema_btype_t *bt) {
    gql_schema_type_t *t = bt->type;
    uint32_t nnodes;
    const gql_type_definition_t **nodes = all_nodes(b, bt, &nnodes);
    if (!nodes)
        return;
    switch (t->kind) {
    case GQL_TK_OBJECT:
    case GQL_TK_INTERFACE:
        build_type_list(b, nodes, nnodes, false, &t->interfaces, &t->ninterfaces);
        build_fields(b, bt, nodes, nnodes);
        break;
    case GQL_TK_UNION:
        /* possible_types of a union are its members as declared; §3.8 validation checks them. */
        build_type_list(b, nodes, nnodes, true, &t->possible_types, &t->npossible);
        break;
    case GQL_TK_ENUM:
        build_enum_values(b, bt, nodes, nnodes);
        break;
    case GQL_TK_INPUT_OBJECT: {
        const gql_input_value_definition_list_t **lists = scratch(b, nnodes, sizeof *lists);
        char owner[256];
        if (!lists)
            return;
        for (uint32_t l = 0; l < nnodes; l++)
            lists[l] = &nodes[l]->input_fields;
        build_input_values(b, lists, nnodes, IV_INPUT_FIELD,
                           owner_str(owner, sizeof owner, "", t->name, LC_STR_NULL),
                           &t->input_fields, &t->ninput_fields);
        break;
    }
    default:
        break;
    }
}

/* §3.3 root operation types: from the schema definition and extensions, else by the default
 * names Query, Mutation and Subscription. */
static void build_roots(gql__schema_builder_t *b) {
    gql_schema_t *s = b->s;
    const gql_schema_type_t **roots[3] = {&s->query, &s->mutation, &s->subscription};
    if (b->schema_def)
        s->description = description_of(b->schema_def->description);
    for (const gql__schema_sdef_t *n = b->sdefs; n; n = n->next) {
        for (uint32_t i = 0; i < n->ast->operation_types.count; i++) {
            const gql_operation_type_definition_t *ot = n->ast->operation_types.items[i];
            uint32_t op = (uint32_t)ot->operation;
            if (op > 2)
                continue;
            if (b->root_ast[op]) {
                gql_loc_t locs[2] = {b->root_ast[op]->loc, ot->loc};
                /* UniqueOperationTypesRule */
                gql__schema_error(b, locs, 2, "There can be only one %s type in schema.",
                                  operation_names[op]);
                continue;
            }
            b->root_ast[op] = ot;
            *roots[op] = resolve(b, ot->type);
        }
    }
    if (b->schema_def)
        return;
    static const lc_str_t defaults[3] = {LC_STR("Query"), LC_STR("Mutation"),
                                         LC_STR("Subscription")};
    for (uint32_t op = 0; op < 3; op++)
        if (!b->root_ast[op])
            *roots[op] = gql__schema_lookup(b, defaults[op]);
}

/* ---- Phase 5: directive uses (§3.13, §5.7 as applied to the SDL) ------------------------------
 */

typedef struct effects {
    bool deprecated;
    lc_str_t reason;
    lc_str_t url;
} effects_t;

static const gql_argument_t *find_arg(const gql_directive_t *dn, lc_str_t name) {
    for (uint32_t i = 0; i < dn->arguments.count; i++)
        if (lc_str_eq(dn->arguments.items[i]->name, name))
            return dn->arguments.items[i];
    return NULL;
}

static void check_directive_args(gql__schema_builder_t *b, const gql_directive_t *dn,
                                 const gql_schema_directive_t *d) {
    char tbuf[256];
    for (uint32_t i = 0; i < dn->arguments.count; i++) {
        const gql_argument_t *a = dn->arguments.items[i];
        bool seen = false;
        for (uint32_t k = 0; k < i && !seen; k++)
            seen = lc_str_eq(dn->arguments.items[k]->name, a->name);
        if (seen)
            continue;
        /* §5.4.2 Argument Uniqueness: one error naming every occurrence. */
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t nlocs = 0;
        for (uint32_t k = i; k < dn->arguments.count; k++)
            if (lc_str_eq(dn->arguments.items[k]->name, a->name) && nlocs < GQL_DIAG_MAX_LOCATIONS)
                locs[nlocs++] = dn->arguments.items[k]->loc;
        if (nlocs > 1)
            gql__schema_error(b, locs, nlocs, "There can be only one argument named \"%.*s\".",
                              GQL__STR_ARG(a->name));
        const gql_schema_input_value_t *def = NULL;
        for (uint32_t k = 0; k < d->nargs && !def; k++)
            if (lc_str_eq(d->args[k].name, a->name))
                def = &d->args[k];
        if (!def) {
            /* §5.4.1 Argument Names (KnownArgumentNamesOnDirectivesRule) */
            gql__schema_error(b, &a->loc, 1, "Unknown argument \"%.*s\" on directive \"@%.*s\".",
                              GQL__STR_ARG(a->name), GQL__STR_ARG(d->name));
            continue;
        }
        /* §5.6.1 Values of Correct Type */
        gql__schema_check_literal(b, a->value, def->type, "");
    }
    for (uint32_t k = 0; k < d->nargs; k++) {
        const gql_schema_input_value_t *def = &d->args[k];
        /* §5.4.2.1 Required Arguments (ProvidedRequiredArgumentsOnDirectivesRule) */
        if (def->type && def->type->kind == GQL_TK_NON_NULL && !def->default_value &&
            !find_arg(dn, def->name))
            gql__schema_error(b, &dn->loc, 1,
                              "Directive \"@%.*s\" argument \"%.*s\" of type \"%s\" is required, "
                              "but it was not provided.",
                              GQL__STR_ARG(d->name), GQL__STR_ARG(def->name),
                              gql__schema_type_str(def->type, tbuf, sizeof tbuf));
    }
}

static void apply_effects(const gql_directive_t *dn, const gql_schema_directive_t *d,
                          effects_t *e) {
    if (!d->builtin)
        return;
    if (lc_str_eq_cstr(d->name, "deprecated")) {
        /* §3.13.3: the reason defaults to "No longer supported"; an explicit null leaves the
         * element deprecated without a reason. */
        const gql_argument_t *a = find_arg(dn, LC_STR("reason"));
        e->deprecated = true;
        e->reason = LC_STR(DEFAULT_DEPRECATION_REASON);
        if (a && a->value->kind == GQL_STRING_VALUE)
            e->reason = a->value->string.value;
        else if (a && a->value->kind == GQL_NULL_VALUE)
            e->reason = LC_STR_NULL;
    } else if (lc_str_eq_cstr(d->name, "specifiedBy")) {
        const gql_argument_t *a = find_arg(dn, LC_STR("url"));
        if (a && a->value->kind == GQL_STRING_VALUE)
            e->url = a->value->string.value;
    }
}

/* The directives of one element, possibly spread over a definition and its extensions. */
static void apply_directives(gql__schema_builder_t *b, const gql_directive_list_t *const *lists,
                             uint32_t nlists, uint32_t location, effects_t *e) {
    uint32_t total = 0, n = 0;
    for (uint32_t l = 0; l < nlists; l++)
        total += lists[l]->count;
    if (!total)
        return;
    const gql_directive_t **all = scratch(b, total, sizeof *all);
    if (!all)
        return;
    for (uint32_t l = 0; l < nlists; l++)
        for (uint32_t i = 0; i < lists[l]->count; i++)
            all[n++] = lists[l]->items[i];
    for (uint32_t i = 0; i < n; i++) {
        const gql_directive_t *dn = all[i];
        const gql_schema_directive_t *d = find_directive(b, dn->name);
        if (!d) {
            /* §5.7.1 Directives Are Defined (KnownDirectivesRule) */
            gql__schema_error(b, &dn->loc, 1, "Unknown directive \"@%.*s\".",
                              GQL__STR_ARG(dn->name));
            continue;
        }
        bool placed = (d->locations & location) != 0;
        if (!placed) /* §5.7.2 Directives Are in Valid Locations */
            gql__schema_error(b, &dn->loc, 1, "Directive \"@%.*s\" may not be used on %s.",
                              GQL__STR_ARG(dn->name), location_name(location));
        if (!d->repeatable) {
            /* §5.7.3 Directives Are Unique Per Location (UniqueDirectivesPerLocationRule) */
            for (uint32_t k = 0; k < i; k++) {
                if (lc_str_eq(all[k]->name, dn->name)) {
                    gql_loc_t locs[2] = {all[k]->loc, dn->loc};
                    gql__schema_error(b, locs, 2,
                                      "The directive \"@%.*s\" can only be used once at this "
                                      "location.",
                                      GQL__STR_ARG(dn->name));
                    break;
                }
            }
        }
        check_directive_args(b, dn, d);
        if (placed && e)
            apply_effects(dn, d, e);
    }
}

static void apply_one(gql__schema_builder_t *b, const gql_directive_list_t *list, uint32_t location,
                      effects_t *e) {
    const gql_directive_list_t *lists[1] = {list};
    apply_directives(b, lists, 1, location, e);
}

static void apply_input_values(gql__schema_builder_t *b, gql_schema_input_value_t *vals, uint32_t n,
                               uint32_t location) {
    for (uint32_t i = 0; i < n; i++) {
        effects_t e = {0};
        apply_one(b, &vals[i].ast->directives, location, &e);
        vals[i].deprecated = e.deprecated;
        vals[i].deprecation_reason = e.reason;
    }
}

static void apply_type_directives(gql__schema_builder_t *b, gql__schema_btype_t *bt) {
    gql_schema_type_t *t = bt->type;
    uint32_t nnodes;
    const gql_type_definition_t **nodes = all_nodes(b, bt, &nnodes);
    const gql_directive_list_t **lists = scratch(b, nnodes, sizeof *lists);
    if (!nodes || !lists)
        return;
    for (uint32_t l = 0; l < nnodes; l++)
        lists[l] = &nodes[l]->directives;
    effects_t e = {0};
    apply_directives(b, lists, nnodes, directive_location(t->kind), &e);
    if (t->kind == GQL_TK_SCALAR)
        t->specified_by_url = e.url;
    for (uint32_t i = 0; i < t->nfields; i++) {
        gql_schema_field_t *f = &t->fields[i];
        effects_t fe = {0};
        apply_one(b, &f->ast->directives, GQL_DL_FIELD_DEFINITION, &fe);
        f->deprecated = fe.deprecated;
        f->deprecation_reason = fe.reason;
        apply_input_values(b, f->args, f->nargs, GQL_DL_ARGUMENT_DEFINITION);
    }
    for (uint32_t i = 0; i < t->nvalues; i++) {
        effects_t ve = {0};
        apply_one(b, &bt->value_ast[i]->directives, GQL_DL_ENUM_VALUE, &ve);
        t->values[i].deprecated = ve.deprecated;
        t->values[i].deprecation_reason = ve.reason;
    }
    apply_input_values(b, t->input_fields, t->ninput_fields, GQL_DL_INPUT_FIELD_DEFINITION);
}

static void apply_all_directives(gql__schema_builder_t *b) {
    for (uint32_t i = 0; i < b->nbt && !b->status; i++)
        apply_type_directives(b, &b->bt[i]);
    for (uint32_t i = 0; i < b->s->ndirectives && !b->status; i++)
        apply_input_values(b, b->s->directives[i]->args, b->s->directives[i]->nargs,
                           GQL_DL_ARGUMENT_DEFINITION);
    uint32_t n = 0;
    for (const gql__schema_sdef_t *sd = b->sdefs; sd; sd = sd->next)
        n++;
    if (!n)
        return;
    const gql_directive_list_t **lists = scratch(b, n, sizeof *lists);
    if (!lists)
        return;
    n = 0;
    for (const gql__schema_sdef_t *sd = b->sdefs; sd; sd = sd->next)
        lists[n++] = &sd->ast->directives;
    apply_directives(b, lists, n, GQL_DL_SCHEMA, NULL);
}

/* ---- Phase 6: the types of the schema, their order and index ------------------------------ */

static void mark_referenced(gql__schema_builder_t *b, const gql_schema_type_t *t) {
    t = t ? gql_type_named(t) : NULL;
    if (t && t->index < b->nbt && b->bt[t->index].type == t)
        b->bt[t->index].referenced = true;
}

static void mark_input_values(gql__schema_builder_t *b, const gql_schema_input_value_t *iv,
                              uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        mark_referenced(b, iv[i].type);
}

/* graphql-js's schema holds the types it reaches from the document's own types, the root
 * types, the directives' arguments and the introspection types (collectReferencedTypes): a
 * built-in scalar that none of them names (Float, ID or Int of a schema that never uses them)
 * is not part of it — neither in __schema.types nor found by name. The other built-ins are
 * named by the introspection types or the built-in directives. */
static void drop_unreferenced_scalars(gql__schema_builder_t *b) {
    gql_schema_t *s = b->s;
    for (uint32_t i = 0; i < b->nbt; i++) {
        const gql_schema_type_t *t = b->bt[i].type;
        for (uint32_t k = 0; k < t->nfields; k++) {
            mark_referenced(b, t->fields[k].type);
            mark_input_values(b, t->fields[k].args, t->fields[k].nargs);
        }
        mark_input_values(b, t->input_fields, t->ninput_fields);
    }
    for (uint32_t i = 0; i < s->ndirectives; i++)
        mark_input_values(b, s->directives[i]->args, s->directives[i]->nargs);

    /* s->types and b->bt are parallel until the types are sorted. */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < b->nbt; i++) {
        gql__schema_btype_t bt = b->bt[i];
        if (bt.type->builtin && bt.type->kind == GQL_TK_SCALAR && !bt.referenced)
            continue;
        bt.type->index = kept;
        b->bt[kept] = bt;
        s->types[kept++] = bt.type;
    }
    if (kept == b->nbt)
        return;
    b->nbt = s->ntypes = kept;
    gql__schema_index_t *ix = b->ix;
    memset(ix->types, 0, (size_t)(ix->types_mask + 1) * sizeof *ix->types);
    for (uint32_t i = 0; i < s->ntypes; i++) {
        uint32_t h = gql__schema_hash(s->types[i]->name) & ix->types_mask;
        while (ix->types[h])
            h = (h + 1) & ix->types_mask;
        ix->types[h] = s->types[i];
    }
}

static int compare_types(const void *a, const void *b) {
    const gql_schema_type_t *x = *(const gql_schema_type_t *const *)a;
    const gql_schema_type_t *y = *(const gql_schema_type_t *const *)b;
    size_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
    int c = memcmp(x->name.ptr, y->name.ptr, n);
    if (c)
        return c;
    return x->name.len < y->name.len ? -1 : x->name.len > y->name.len;
}

static void sort_types(gql__schema_builder_t *b) {
    gql_schema_t *s = b->s;
    qsort(s->types, s->ntypes, sizeof *s->types, compare_types);
    b->by_index = scratch(b, s->ntypes, sizeof *b->by_index);
    if (!b->by_index)
        return;
    for (uint32_t i = 0; i < b->nbt; i++)
        b->bt[i].type->index = UINT32_MAX;
    for (uint32_t i = 0; i < s->ntypes; i++)
        s->types[i]->index = i;
    for (uint32_t i = 0; i < b->nbt; i++)
        b->by_index[b->bt[i].type->index] = &b->bt[i];
}

/* §4.1 meta-fields, as graphql-js's TypeNameMetaFieldDef, SchemaMetaFieldDef and
 * TypeMetaFieldDef. */
static void init_meta_fields(gql__schema_builder_t *b) {
    gql__schema_index_t *ix = b->ix;
    const gql_schema_type_t *string = gql__schema_lookup(b, LC_STR("String"));
    const gql_schema_type_t *schema = gql__schema_lookup(b, LC_STR("__Schema"));
    const gql_schema_type_t *type = gql__schema_lookup(b, LC_STR("__Type"));
    const gql_schema_type_t *string_nn = string ? wrap(b, string, GQL_TK_NON_NULL) : NULL;
    const gql_schema_type_t *schema_nn = schema ? wrap(b, schema, GQL_TK_NON_NULL) : NULL;

    ix->meta_typename = (gql_schema_field_t){
        .name = LC_STR("__typename"),
        .description = LC_STR("The name of the current Object type at runtime."),
        .type = string_nn,
    };
    ix->meta_schema = (gql_schema_field_t){
        .name = LC_STR("__schema"),
        .description = LC_STR("Access the current type schema of this server."),
        .type = schema_nn,
        .parent = b->s->query,
    };
    ix->meta_type_name_arg = (gql_schema_input_value_t){
        .name = LC_STR("name"),
        .type = string_nn,
    };
    ix->meta_type = (gql_schema_field_t){
        .name = LC_STR("__type"),
        .description = LC_STR("Request the type information of a single type."),
        .type = type,
        .args = &ix->meta_type_name_arg,
        .nargs = 1,
        .parent = b->s->query,
    };
}

/* ---- The build --------------------------------------------------------------------------- */

static void count_defs(const gql_document_t *doc, uint32_t *ntypes, uint32_t *ndirectives) {
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        gql_kind_t k = doc->definitions.items[i]->node.kind;
        if (k == GQL_DIRECTIVE_DEFINITION)
            (*ndirectives)++;
        else if (gql_kind_is_type_definition(k) && !gql_kind_is_extension(k))
            (*ntypes)++;
    }
}

/* Parses into the schema arena. A failure of the prelude is an engine bug, reported like a
 * user's parse error so that it is seen. */
static int parse(gql__schema_builder_t *b, const char *src, size_t len, gql_document_t **out) {
    gql_error_t err;
    gql_parse_limits_t limits = {
        .max_bytes = GQL_LIMIT_DOCUMENT_BYTES_MAX,
        .max_tokens = UINT32_MAX,
        .max_depth = GQL_LIMIT_DOCUMENT_DEPTH,
    };
    int rc = gql_parse_document(b->arena, src, len, &limits, out, &err);
    if (rc == LC_ENOMEM) {
        gql__schema_nomem(b);
    } else if (rc != LC_OK) {
        b->nerrors++;
        if (b->diags)
            (void)gql_diags_add_parse_error(b->diags, &err);
        rc = LC_EINVAL;
    }
    return rc;
}

int gql_schema_build(const char *sdl, size_t len, gql_diags_t *diags, gql_schema_t **out) {
    int rc = LC_OK;
    gql_schema_t *s = NULL;
    lc_arena_t tmp;
    gql__schema_builder_t b = {0};
    gql_document_t *prelude = NULL, *doc = NULL;

    lc_arena_init(&tmp, 0, 0);
    s = lc_calloc(1, sizeof *s);
    if (!s) {
        rc = LC_ENOMEM;
        goto out;
    }
    lc_arena_init(&s->arena, 0, 0);
    b.s = s;
    b.arena = &s->arena;
    b.scratch = &tmp;
    b.diags = diags;
    b.ix = zalloc(&b, 1, sizeof *b.ix);
    char *copy = lc_arena_alloc(&s->arena, len + 1);
    if (!b.ix || !copy) {
        rc = LC_ENOMEM;
        goto out;
    }
    if (len)
        memcpy(copy, sdl, len);
    copy[len] = '\0';
    s->internal = b.ix;
    b.src = copy;
    b.len = len;

    rc = parse(&b, gql__schema_prelude, gql__schema_prelude_len, &prelude);
    if (rc == LC_OK)
        rc = parse(&b, copy, len, &doc);
    if (rc != LC_OK)
        goto out;

    uint32_t ntypes = 0, ndirectives = 0;
    count_defs(prelude, &ntypes, &ndirectives);
    count_defs(doc, &ntypes, &ndirectives);
    b.bt = scratch(&b, ntypes, sizeof *b.bt);
    b.dir_ast = scratch(&b, ndirectives, sizeof *b.dir_ast);
    s->types = zalloc(&b, ntypes, sizeof *s->types);
    s->directives = zalloc(&b, ndirectives, sizeof *s->directives);
    b.ix->types_mask = gql__schema_table_size(ntypes) - 1;
    b.ix->types = zalloc(&b, b.ix->types_mask + 1, sizeof *b.ix->types);
    b.ix->directives_mask = gql__schema_table_size(ndirectives) - 1;
    b.ix->directives = zalloc(&b, b.ix->directives_mask + 1, sizeof *b.ix->directives);
    if (b.status)
        goto out;

    /* Phase 1: the prelude's definitions are the built-ins. */
    b.builtin = true;
    collect(&b, prelude);
    b.builtin = false;
    collect(&b, doc);
    if (b.status)
        goto out;
    /* Phase 2 */
    attach_extensions(&b, doc);
    /* Phase 3: directive arguments first, since directive uses anywhere are checked
     * against them. */
    for (uint32_t i = 0; i < s->ndirectives && !b.status; i++)
        build_directive(&b, i);
    /* Phase 4 */
    for (uint32_t i = 0; i < b.nbt && !b.status; i++)
        build_type(&b, &b.bt[i]);
    if (b.status)
        goto out;
    build_roots(&b);
    /* Phase 5: once every type is complete, so that argument values can be checked. */
    apply_all_directives(&b);
    if (b.status)
        goto out;
    /* Phase 6 */
    drop_unreferenced_scalars(&b);
    sort_types(&b);
    init_meta_fields(&b);
    if (b.status)
        goto out;
    if (gql__schema_index(&b) != LC_OK)
        gql__schema_nomem(&b);
    if (b.status)
        goto out;
    /* Phase 7: §3 type validation. */
    gql__schema_validate(&b);
    if (!b.status && b.nerrors)
        rc = LC_EINVAL;

out:
    if (rc == LC_OK && b.status)
        rc = b.status;
    lc_arena_dispose(&tmp);
    if (rc == LC_OK)
        *out = s;
    else
        gql_schema_destroy(s);
    return rc;
}
