/* SPDX-License-Identifier: MIT */
/* Reading a built schema: O(1) lookups of types, fields (with the §4.1 meta-fields) and
 * directives on the validator's and executor's hot path, possible types for abstract types,
 * type references as text; binding C resolvers and hooks before the schema is shared; and the
 * lookup tables' construction at the end of gql_schema_build. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gql/schema.h"
#include "lectern/alloc.h"
#include "schema_int.h"

const char *gql_type_kind_name(gql_type_kind_t kind) {
    switch (kind) {
    case GQL_TK_SCALAR:
        return "SCALAR";
    case GQL_TK_OBJECT:
        return "OBJECT";
    case GQL_TK_INTERFACE:
        return "INTERFACE";
    case GQL_TK_UNION:
        return "UNION";
    case GQL_TK_ENUM:
        return "ENUM";
    case GQL_TK_INPUT_OBJECT:
        return "INPUT_OBJECT";
    case GQL_TK_LIST:
        return "LIST";
    case GQL_TK_NON_NULL:
        return "NON_NULL";
    }
    return "UNKNOWN";
}

void gql_schema_destroy(gql_schema_t *s) {
    if (!s)
        return;
    lc_arena_dispose(&s->arena);
    lc_free(s);
}

/* ---- Lookups -------------------------------------------------------------------------------- */

const gql_schema_type_t *gql_schema_find_type(const gql_schema_t *s, lc_str_t name) {
    const gql__schema_index_t *ix = s->internal;
    uint32_t i = gql__schema_hash(name) & ix->types_mask;
    for (const gql_schema_type_t *t; (t = ix->types[i]) != NULL; i = (i + 1) & ix->types_mask)
        if (lc_str_eq(t->name, name))
            return t;
    return NULL;
}

static bool is_meta_name(lc_str_t name) {
    return name.len > 2 && name.ptr[0] == '_' && name.ptr[1] == '_';
}

const gql_schema_field_t *gql_schema_find_field(const gql_schema_t *s,
                                                const gql_schema_type_t *type, lc_str_t name,
                                                bool meta) {
    const gql__schema_index_t *ix = s->internal;
    if (!type)
        return NULL;
    /* §4.1: __typename is valid on every composite type (unions too, as in graphql-js's
     * getFieldDef); __schema and __type only on the query root. No type's own field begins with
     * "__" (§3.6: reserved), so these never shadow a real field. */
    if (meta && is_meta_name(name) &&
        (type->kind == GQL_TK_OBJECT || type->kind == GQL_TK_INTERFACE ||
         type->kind == GQL_TK_UNION)) {
        if (lc_str_eq(name, ix->meta_typename.name))
            return &ix->meta_typename;
        if (type == s->query) {
            if (lc_str_eq(name, ix->meta_schema.name))
                return &ix->meta_schema;
            if (lc_str_eq(name, ix->meta_type.name))
                return &ix->meta_type;
        }
    }
    if (type->kind != GQL_TK_OBJECT && type->kind != GQL_TK_INTERFACE)
        return NULL;
    uint32_t i = gql__schema_field_hash(type, name) & ix->fields_mask;
    for (const gql_schema_field_t *f; (f = ix->fields[i]) != NULL; i = (i + 1) & ix->fields_mask)
        if (f->parent == type && lc_str_eq(f->name, name))
            return f;
    return NULL;
}

const gql_schema_directive_t *gql_schema_find_directive(const gql_schema_t *s, lc_str_t name) {
    const gql__schema_index_t *ix = s->internal;
    uint32_t i = gql__schema_hash(name) & ix->directives_mask;
    for (const gql_schema_directive_t *d; (d = ix->directives[i]) != NULL;
         i = (i + 1) & ix->directives_mask)
        if (lc_str_eq(d->name, name))
            return d;
    return NULL;
}

bool gql_schema_is_possible_type(const gql_schema_t *s, const gql_schema_type_t *abstract,
                                 const gql_schema_type_t *obj) {
    const gql__schema_index_t *ix = s->internal;
    if (!abstract || !obj)
        return false;
    if (abstract == obj)
        return true;
    if (!obj->name.ptr || obj->index >= s->ntypes || s->types[obj->index] != obj)
        return false; /* a wrapper, or not a type of this schema */
    if (!abstract->name.ptr || abstract->index >= s->ntypes)
        return false;
    const uint64_t *bits = ix->possible[abstract->index];
    return bits && (bits[obj->index / 64] >> (obj->index % 64)) & 1u;
}

const gql_schema_type_t *gql_type_named(const gql_schema_type_t *t) {
    while (t && (t->kind == GQL_TK_LIST || t->kind == GQL_TK_NON_NULL))
        t = t->of_type;
    return t;
}

int gql_type_print(lc_buf_t *b, const gql_schema_type_t *t) {
    if (!t)
        return b->err;
    switch (t->kind) {
    case GQL_TK_LIST:
        lc_buf_putc(b, '[');
        gql_type_print(b, t->of_type);
        return lc_buf_putc(b, ']');
    case GQL_TK_NON_NULL:
        gql_type_print(b, t->of_type);
        return lc_buf_putc(b, '!');
    default:
        return lc_buf_append_str(b, t->name);
    }
}

const char *gql__schema_type_str(const gql_schema_type_t *t, char *buf, size_t cap) {
    lc_buf_t b;
    lc_buf_init_fixed(&b, buf, cap - 1);
    (void)gql_type_print(&b, t);
    buf[b.len] = '\0';
    return buf;
}

/* ---- Binding -------------------------------------------------------------------------------- */

/* "Type.field" -> the field of an object type: resolvers and tags are read by the executor on
 * the concrete object type's field, so an interface field would never be consulted. */
static gql_schema_field_t *find_object_field(gql_schema_t *s, const char *coordinate) {
    if (!s || !coordinate)
        return NULL;
    const char *dot = strchr(coordinate, '.');
    if (!dot)
        return NULL;
    const gql_schema_type_t *t =
        gql_schema_find_type(s, lc_str_make(coordinate, (size_t)(dot - coordinate)));
    if (!t || t->kind != GQL_TK_OBJECT)
        return NULL;
    lc_str_t fname = lc_str_from(dot + 1);
    for (uint32_t i = 0; i < t->nfields; i++)
        if (lc_str_eq(t->fields[i].name, fname))
            return &t->fields[i];
    return NULL;
}

int gql_schema_bind(gql_schema_t *s, const char *coordinate, gql_resolve_fn fn, void *ctx) {
    gql_schema_field_t *f = find_object_field(s, coordinate);
    if (!f)
        return LC_ENOTFOUND;
    f->resolve = fn;
    f->resolve_ctx = ctx;
    return LC_OK;
}

int gql_schema_tag(gql_schema_t *s, const char *coordinate, uintptr_t tag) {
    gql_schema_field_t *f = find_object_field(s, coordinate);
    if (!f)
        return LC_ENOTFOUND;
    f->user_tag = tag;
    return LC_OK;
}

/* The types are the schema's own (arena) objects; the public API hands them out const because
 * readers must not change them. Binding happens before the schema is shared. */
static gql_schema_type_t *find_mutable_type(gql_schema_t *s, const char *name) {
    if (!s || !name)
        return NULL;
    const gql_schema_type_t *t = gql_schema_find_type(s, lc_str_from(name));
    return t ? s->types[t->index] : NULL;
}

int gql_schema_bind_scalar(gql_schema_t *s, const char *scalar, gql_scalar_serialize_fn ser,
                           gql_scalar_parse_fn parse, void *ctx) {
    gql_schema_type_t *t = find_mutable_type(s, scalar);
    /* Built-in scalars coerce as §3.5.1-§3.5.5 say; only custom scalars take hooks. */
    if (!t || t->kind != GQL_TK_SCALAR || t->builtin)
        return LC_ENOTFOUND;
    t->serialize = ser;
    t->parse = parse;
    t->scalar_ctx = ctx;
    return LC_OK;
}

int gql_schema_bind_type_resolver(gql_schema_t *s, const char *abstract_type,
                                  gql_resolve_type_fn fn, void *ctx) {
    gql_schema_type_t *t = find_mutable_type(s, abstract_type);
    if (!t || (t->kind != GQL_TK_INTERFACE && t->kind != GQL_TK_UNION))
        return LC_ENOTFOUND;
    t->resolve_type = fn;
    t->resolve_type_ctx = ctx;
    return LC_OK;
}

/* ---- Shared by the build -------------------------------------------------------------------- */

uint32_t gql__schema_table_size(uint32_t n) {
    uint32_t size = 8;
    while (size < 2 * (uint64_t)n)
        size *= 2;
    return size;
}

gql_schema_type_t *gql__schema_lookup(const gql__schema_builder_t *b, lc_str_t name) {
    const gql_schema_type_t *t = gql_schema_find_type(b->s, name);
    /* The builder owns every type; see find_mutable_type. */
    return (gql_schema_type_t *)t;
}

void gql__schema_nomem(gql__schema_builder_t *b) {
    b->status = LC_ENOMEM;
}

void gql__schema_error(gql__schema_builder_t *b, const gql_loc_t *locs, uint32_t nlocs,
                       const char *fmt, ...) {
    gql_loc_t kept[GQL_DIAG_MAX_LOCATIONS];
    uint32_t nkept = 0;
    char *msg = NULL;
    va_list ap;

    b->nerrors++;
    if (!b->diags)
        goto out;
    for (uint32_t i = 0; i < nlocs && nkept < GQL_DIAG_MAX_LOCATIONS; i++)
        if (locs[i].line != 0)
            kept[nkept++] = locs[i];
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        goto out;
    msg = lc_arena_alloc(b->diags->arena, (size_t)n + 1);
    if (!msg)
        goto out; /* the diagnostic is lost; the build still fails with LC_EINVAL */
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    (void)gql_diags_add(b->diags, kept, nkept, "%s", msg);
out:
    return;
}

gql_loc_t gql__schema_name_loc(const gql__schema_builder_t *b, lc_str_t name, gql_loc_t fallback) {
    if (name.ptr && b->src && name.ptr >= b->src && name.ptr < b->src + b->len)
        return gql_loc_at(b->src, b->len, (size_t)(name.ptr - b->src));
    return fallback;
}

static void insert_field(gql__schema_index_t *ix, const gql_schema_field_t *f) {
    uint32_t i = gql__schema_field_hash(f->parent, f->name) & ix->fields_mask;
    while (ix->fields[i])
        i = (i + 1) & ix->fields_mask;
    ix->fields[i] = f;
}

static inline void set_bit(uint64_t *bits, uint32_t i) {
    bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool test_bit(const uint64_t *bits, uint32_t i) {
    return (bits[i / 64] >> (i % 64)) & 1u;
}

int gql__schema_index(gql__schema_builder_t *b) {
    int rc = LC_OK;
    gql_schema_t *s = b->s;
    gql__schema_index_t *ix = b->ix;
    uint32_t nfields = 0, words = (s->ntypes + 63) / 64;

    for (uint32_t i = 0; i < s->ntypes; i++)
        nfields += s->types[i]->nfields;
    ix->fields_mask = gql__schema_table_size(nfields) - 1;
    ix->fields = lc_arena_calloc(b->arena, ix->fields_mask + 1, sizeof *ix->fields);
    if (!ix->fields) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < s->ntypes; i++)
        for (uint32_t k = 0; k < s->types[i]->nfields; k++)
            insert_field(ix, &s->types[i]->fields[k]);

    /* Possible types (§3.7, §3.8): bitsets for O(1) answers. A union's possible_types are its
     * members as declared (the builder set them; §3.8 validation requires objects). An
     * interface's are the object types declaring it, in the schema's name order; its bitset also
     * has the interfaces declaring it. Repeated declarations (an error) count once. */
    uint64_t **bits = lc_arena_calloc(b->arena, s->ntypes ? s->ntypes : 1, sizeof *bits);
    uint32_t *counts = lc_arena_calloc(b->scratch, s->ntypes ? s->ntypes : 1, sizeof *counts);
    if (!bits || !counts) {
        rc = LC_ENOMEM;
        goto out;
    }
    ix->possible = (const uint64_t **)bits;
    for (uint32_t i = 0; i < s->ntypes; i++) {
        gql_type_kind_t k = s->types[i]->kind;
        if (k == GQL_TK_INTERFACE || k == GQL_TK_UNION) {
            bits[i] = lc_arena_calloc(b->arena, words ? words : 1, sizeof(uint64_t));
            if (!bits[i]) {
                rc = LC_ENOMEM;
                goto out;
            }
        }
    }
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_schema_type_t *t = s->types[i];
        if (t->kind == GQL_TK_UNION) {
            for (uint32_t m = 0; m < t->npossible; m++)
                set_bit(bits[i], t->possible_types[m]->index);
        } else if (t->kind == GQL_TK_OBJECT || t->kind == GQL_TK_INTERFACE) {
            for (uint32_t k = 0; k < t->ninterfaces; k++) {
                const gql_schema_type_t *iface = t->interfaces[k];
                if (iface->kind != GQL_TK_INTERFACE || test_bit(bits[iface->index], i))
                    continue;
                set_bit(bits[iface->index], i);
                counts[iface->index] += t->kind == GQL_TK_OBJECT;
            }
        }
    }
    for (uint32_t i = 0; i < s->ntypes; i++) {
        gql_schema_type_t *t = s->types[i];
        if (t->kind != GQL_TK_INTERFACE || !counts[i])
            continue;
        t->possible_types = lc_arena_alloc(b->arena, counts[i] * sizeof *t->possible_types);
        if (!t->possible_types) {
            rc = LC_ENOMEM;
            goto out;
        }
        for (uint32_t k = 0; k < s->ntypes; k++)
            if (s->types[k]->kind == GQL_TK_OBJECT && test_bit(bits[i], k))
                t->possible_types[t->npossible++] = s->types[k];
    }
out:
    return rc;
}
