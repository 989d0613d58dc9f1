/* SPDX-License-Identifier: MIT */
/* Private to the schema files of src/graphql (schema.c, schema_build.c, schema_validate.c,
 * schema_prelude.c): the lookup tables behind gql_schema_t.internal, read on the validator's and
 * executor's hot path, and the builder's state, shared by the build and the §3 validation. */
#ifndef GQL_SCHEMA_INT_H
#define GQL_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gql/ast.h"
#include "gql/diag.h"
#include "gql/schema.h"
#include "lectern/arena.h"
#include "lectern/str.h"

/* ---- Lookup tables (immutable after the build; read by any thread) -------------------------- */

/* Open addressing with linear probing over power-of-two tables at most half full; a NULL slot
 * ends a probe. Keys: a named type by name; a field by (parent type, name); a directive by
 * name. `possible` holds, per type index, a bitset over type indexes for interfaces and unions
 * (NULL for the other kinds): the object types in possible_types plus, for an interface, the
 * interfaces that implement it (graphql-js isSubType). */
typedef struct gql__schema_index {
    const gql_schema_type_t **types;
    uint32_t types_mask;
    const gql_schema_field_t **fields;
    uint32_t fields_mask;
    const gql_schema_directive_t **directives;
    uint32_t directives_mask;
    const uint64_t **possible;
    /* Meta-fields (§4.1): __typename on every composite type, __schema and __type on the query
     * root only. */
    gql_schema_field_t meta_typename;
    gql_schema_field_t meta_schema;
    gql_schema_field_t meta_type;
    gql_schema_input_value_t meta_type_name_arg;
} gql__schema_index_t;

/* FNV-1a over the bytes of s: names are short, and this needs no alignment or length tricks. */
static inline uint32_t gql__schema_hash(lc_str_t s) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < s.len; i++)
        h = (h ^ (unsigned char)s.ptr[i]) * 16777619u;
    return h;
}
/* The field table's hash: the name's, mixed with the parent type's index. */
static inline uint32_t gql__schema_field_hash(const gql_schema_type_t *parent, lc_str_t name) {
    return gql__schema_hash(name) ^ (parent->index * 0x9E3779B1u);
}

/* Slot count for n keys: a power of two with load at most 1/2 (at least 8). */
uint32_t gql__schema_table_size(uint32_t n);

/* ---- Builder state (lives for one gql_schema_build) ----------------------------------------- */

/* An extension node attached to its type, in document order. */
typedef struct gql__schema_ext {
    struct gql__schema_ext *next;
    const gql_type_definition_t *ast;
} gql__schema_ext_t;

/* Builder-side view of a named type: its definition and extensions (the public struct keeps
 * only the definition), and the AST of each enum value (the public struct has none). */
typedef struct gql__schema_btype {
    gql_schema_type_t *type;
    const gql_type_definition_t *def; /* also set for built-ins (type->ast is NULL for them) */
    gql__schema_ext_t *exts, *exts_tail;
    uint32_t nexts;
    const gql_enum_value_definition_t **value_ast; /* [type->nvalues] */
    bool referenced; /* named by a field, argument, input field, or the document itself */
} gql__schema_btype_t;

/* The schema definition and extensions, in document order. */
typedef struct gql__schema_sdef {
    struct gql__schema_sdef *next;
    const gql_schema_definition_t *ast;
} gql__schema_sdef_t;

typedef struct gql__schema_builder {
    gql_schema_t *s;
    gql__schema_index_t *ix;
    lc_arena_t *arena;   /* the schema's: everything that outlives the build */
    lc_arena_t *scratch; /* builder-only data, released at the end of the build */
    gql_diags_t *diags;  /* may be NULL */
    uint32_t nerrors;
    int status;      /* LC_OK, or LC_ENOMEM once an allocation failed (sticky) */
    const char *src; /* the user's SDL (schema arena copy), to locate names inside nodes */
    size_t len;
    bool builtin; /* processing the prelude */

    gql__schema_btype_t *bt; /* named types in creation (document) order */
    uint32_t nbt;
    gql__schema_btype_t **by_index;             /* by type->index, once the types are sorted */
    const gql_directive_definition_t **dir_ast; /* parallel to s->directives */
    gql__schema_sdef_t *sdefs, *sdefs_tail;     /* schema definition first if any, then exts */
    const gql_schema_definition_t *schema_def;  /* the one schema definition, or NULL */
    const gql_operation_type_definition_t *root_ast[3]; /* where each root type was named */
} gql__schema_builder_t;

/* Records a problem: counts it, and appends a diagnostic when there is a list. Locations with
 * line 0 are left out. */
void gql__schema_error(gql__schema_builder_t *b, const gql_loc_t *locs, uint32_t nlocs,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Marks the build as failed for lack of memory. */
void gql__schema_nomem(gql__schema_builder_t *b);

/* Where a name slice starts: a location inside the user's SDL, or `fallback` (a slice of the
 * prelude, or of a decoded string). */
gql_loc_t gql__schema_name_loc(const gql__schema_builder_t *b, lc_str_t name, gql_loc_t fallback);

/* Named type by name during the build (the index table is filled as types are created). */
gql_schema_type_t *gql__schema_lookup(const gql__schema_builder_t *b, lc_str_t name);

/* A simple form of §5.6.1 Values of Correct Type for a const literal in the SDL (a default
 * value, a directive argument): literal kinds against scalars, enum membership, input object
 * fields (known, unique, required ones present), lists, non-null. Each problem is reported at
 * the offending literal with `prefix` (a complete leading phrase, "" for none) before
 * graphql-js's message. `type` may be NULL (unknown type, already reported): nothing is
 * checked. */
void gql__schema_check_literal(gql__schema_builder_t *b, const gql_value_t *v,
                               const gql_schema_type_t *type, const char *prefix);

/* Writes the type reference ("[String!]!") into buf[0..cap) NUL-terminated, truncated if
 * needed; returns buf. For messages. */
const char *gql__schema_type_str(const gql_schema_type_t *t, char *buf, size_t cap);

/* The built-in definitions (§3.5.1-§3.5.5 scalars, §3.13 directives, §4.5 introspection
 * types), as SDL, NUL-terminated; schema_prelude.c. */
extern const char gql__schema_prelude[];
extern const size_t gql__schema_prelude_len;

/* The §3 type validation rules over a built schema (graphql-js validateSchema, plus default
 * values); schema_validate.c. Reports through gql__schema_error. */
void gql__schema_validate(gql__schema_builder_t *b);

/* Fills the lookup tables and possible types once every type is built and sorted; schema.c.
 * Returns LC_OK or LC_ENOMEM. */
int gql__schema_index(gql__schema_builder_t *b) LC_MUST_CHECK;

#define GQL__STR_ARG(s) (int)(s).len, (s).ptr

#endif
