/* SPDX-License-Identifier: MIT */
/* A GraphQL schema built from SDL text (Oct 2021 §3), with C resolvers bound by coordinate
 * ("Type.field"), scalar hooks and resolveType hooks. Built once at start-up, then immutable and
 * shared read-only by every thread: the validator, the executor and introspection read these
 * structs directly (fields are public for that; applications should treat them as read-only).
 *
 * Types: named types and the wrappers List and NonNull are all gql_schema_type_t, as in
 * introspection's __Type. Wrappers are interned (one `[T!]` per schema), so two type references
 * are equal exactly when their pointers are. String, Boolean, the introspection types
 * (__Schema, __Type, ...) and the directives @skip, @include, @deprecated and @specifiedBy are
 * part of every schema; the built-in scalars Int, Float and ID only when the SDL names them (a
 * field, argument, input field or directive argument of that type, or `scalar ID`), as in
 * graphql-js, so that introspection and validation see the same types as graphql-js's. */
#ifndef GQL_SCHEMA_H
#define GQL_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "gql/ast.h"
#include "gql/diag.h"
#include "gql/parse.h"
#include "gql/value.h"
#include "lectern/arena.h"
#include "lectern/buf.h"
#include "lectern/status.h"

typedef struct gql_schema gql_schema_t;
typedef struct gql_schema_field gql_schema_field_t;
typedef struct gql_schema_input_value gql_schema_input_value_t;
typedef struct gql_schema_enum_value gql_schema_enum_value_t;
typedef struct gql_schema_directive gql_schema_directive_t;
typedef struct gql_resolve_info gql_resolve_info_t;

typedef enum gql_type_kind {
    GQL_TK_SCALAR,
    GQL_TK_OBJECT,
    GQL_TK_INTERFACE,
    GQL_TK_UNION,
    GQL_TK_ENUM,
    GQL_TK_INPUT_OBJECT,
    GQL_TK_LIST,
    GQL_TK_NON_NULL,
} gql_type_kind_t;

/* Introspection's __TypeKind name ("OBJECT", "NON_NULL"); static storage. */
const char *gql_type_kind_name(gql_type_kind_t kind);

/* Directive locations (§3.13) as bits. */
typedef enum gql_directive_location {
    GQL_DL_QUERY = 1u << 0,
    GQL_DL_MUTATION = 1u << 1,
    GQL_DL_SUBSCRIPTION = 1u << 2,
    GQL_DL_FIELD = 1u << 3,
    GQL_DL_FRAGMENT_DEFINITION = 1u << 4,
    GQL_DL_FRAGMENT_SPREAD = 1u << 5,
    GQL_DL_INLINE_FRAGMENT = 1u << 6,
    GQL_DL_VARIABLE_DEFINITION = 1u << 7,
    GQL_DL_SCHEMA = 1u << 8,
    GQL_DL_SCALAR = 1u << 9,
    GQL_DL_OBJECT = 1u << 10,
    GQL_DL_FIELD_DEFINITION = 1u << 11,
    GQL_DL_ARGUMENT_DEFINITION = 1u << 12,
    GQL_DL_INTERFACE = 1u << 13,
    GQL_DL_UNION = 1u << 14,
    GQL_DL_ENUM = 1u << 15,
    GQL_DL_ENUM_VALUE = 1u << 16,
    GQL_DL_INPUT_OBJECT = 1u << 17,
    GQL_DL_INPUT_FIELD_DEFINITION = 1u << 18,
} gql_directive_location_t;

/* ---- Hooks ------------------------------------------------------------------------------ */

/* Field resolver. `parent` is the parent object's value (the root value for root fields);
 * `args` are the field's coerced arguments, one per argument definition in definition order
 * (GQL_VAL_UNDEFINED when absent without default), so args[i] goes with field->args[i].
 * On success write *out (arena values, or pointers into application data that outlives the
 * request) and return LC_OK. To fail the field, record the error with gql_field_error()
 * (gql/execute.h) and return any non-LC_OK status: the field becomes null, and null
 * propagates per §6.4.4. */
typedef int (*gql_resolve_fn)(const gql_resolve_info_t *info, const gql_val_t *parent,
                              const gql_val_t *args, gql_val_t *out);

/* Custom scalar output (§3.5, result coercion): write the JSON of `v` to b; return LC_OK, or
 * LC_EINVAL when v cannot be serialized (a field error follows). NULL hook: the value is
 * written by its kind (string, int, float, bool, raw). */
typedef int (*gql_scalar_serialize_fn)(void *ctx, const gql_val_t *v, lc_buf_t *b);
/* Custom scalar input coercion: `in` is a literal or variable value (GQL_VAL_STRING, INT,
 * FLOAT, BOOL, LIST, MAP); write the coerced value to *out (arena) and return LC_OK, or return
 * LC_EINVAL and write a reason (NUL-terminated, static or arena) to *why. NULL hook: any
 * non-null value is accepted as is. */
typedef int (*gql_scalar_parse_fn)(void *ctx, lc_arena_t *arena, const gql_val_t *in,
                                   gql_val_t *out, const char **why);
/* Abstract type resolution (§6.4.3 ResolveAbstractType): the concrete object type of `v`, which
 * must be a possible type of `abstract`; NULL when unknown (a field error follows). */
typedef const gql_schema_type_t *(*gql_resolve_type_fn)(void *ctx, const gql_val_t *v,
                                                        const gql_schema_type_t *abstract);

/* ---- Schema elements ---------------------------------------------------------------------- */

struct gql_schema_type {
    gql_type_kind_t kind;
    lc_str_t name;                    /* named types; {NULL, 0} for LIST and NON_NULL */
    lc_str_t description;             /* ptr NULL when none */
    const gql_schema_type_t *of_type; /* LIST, NON_NULL */
    uint32_t index;                   /* named types: position in schema->types */
    bool builtin;                     /* a built-in scalar or introspection type */

    /* OBJECT, INTERFACE */
    gql_schema_field_t *fields;
    uint32_t nfields;
    const gql_schema_type_t **interfaces; /* declared, transitively complete per §3.7 */
    uint32_t ninterfaces;

    /* INTERFACE: the object types that declare it, in name order; UNION: its members, in
     * declared order. Objects only: gql_schema_is_possible_type() also answers true for an
     * interface that implements an interface (graphql-js isSubType). */
    const gql_schema_type_t **possible_types;
    uint32_t npossible;

    /* ENUM */
    gql_schema_enum_value_t *values;
    uint32_t nvalues;

    /* INPUT_OBJECT */
    gql_schema_input_value_t *input_fields;
    uint32_t ninput_fields;

    /* SCALAR */
    lc_str_t specified_by_url; /* ptr NULL when none */
    gql_scalar_serialize_fn serialize;
    gql_scalar_parse_fn parse;
    void *scalar_ctx;

    /* INTERFACE, UNION */
    gql_resolve_type_fn resolve_type;
    void *resolve_type_ctx;

    const gql_schema_type_t *list_of;     /* interned [this], created on demand at build */
    const gql_schema_type_t *non_null_of; /* interned this! */
    const gql_type_definition_t *ast;     /* definition node (NULL for built-ins) */
};

struct gql_schema_input_value {
    lc_str_t name;
    lc_str_t description;
    const gql_schema_type_t *type;
    const gql_value_t *default_value; /* const AST literal; NULL when none */
    bool deprecated;
    lc_str_t deprecation_reason;
    const gql_input_value_definition_t *ast;
};

struct gql_schema_field {
    lc_str_t name;
    lc_str_t description;
    const gql_schema_type_t *type;
    gql_schema_input_value_t *args;
    uint32_t nargs;
    bool deprecated;
    lc_str_t deprecation_reason;
    const gql_schema_type_t *parent; /* the object or interface that declares it */
    gql_resolve_fn resolve;          /* NULL: the default resolver (GQL_VAL_MAP property) */
    void *resolve_ctx;
    /* Application annotations, read by resolvers through info->field: lectern stores the
     * permission a field needs here. */
    uintptr_t user_tag;
    const gql_field_definition_t *ast;
};

struct gql_schema_enum_value {
    lc_str_t name;
    lc_str_t description;
    bool deprecated;
    lc_str_t deprecation_reason;
};

struct gql_schema_directive {
    lc_str_t name;
    lc_str_t description;
    gql_schema_input_value_t *args;
    uint32_t nargs;
    uint32_t locations; /* gql_directive_location_t bits */
    /* The same locations in the order the definition lists them, repeats included (one
     * gql_directive_location_t bit each), as introspection's __Directive.locations shows them. */
    const uint32_t *location_list;
    uint32_t nlocations;
    bool repeatable;
    bool builtin;
};

struct gql_schema {
    lc_arena_t arena; /* owns everything below and a copy of the SDL text */
    lc_str_t description;
    const gql_schema_type_t *query;        /* never NULL in a valid schema */
    const gql_schema_type_t *mutation;     /* NULL when none */
    const gql_schema_type_t *subscription; /* NULL when none */
    gql_schema_type_t **types;             /* named types, built-ins included, sorted by name */
    uint32_t ntypes;
    gql_schema_directive_t **directives; /* built-ins first, then in definition order */
    uint32_t ndirectives;
    /* Lookup tables private to the engine follow (see src/graphql/schema_int.h). */
    void *internal;
};

/* ---- Building ------------------------------------------------------------------------------ */

/* Builds a schema from SDL (type system definitions and extensions; executable definitions are
 * an error). The text is copied. Applies the type system's validation rules (§3: names not
 * starting with "__", unique names, fields and arguments of the right input/output kinds,
 * interface implementation rules §3.6.1 incl. interfaces implementing interfaces, union members
 * are objects, input object cycles through non-null fields, directive locations and arguments,
 * default values valid for their types, @deprecated on allowed positions, root types are
 * objects, ...). Returns LC_OK with *out owned (gql_schema_destroy); LC_EINVAL with every
 * problem in `diags` (message and location) — a schema with an error never loads; LC_ENOMEM.
 * diags may be NULL. */
int gql_schema_build(const char *sdl, size_t len, gql_diags_t *diags,
                     gql_schema_t **out) LC_MUST_CHECK;
void gql_schema_destroy(gql_schema_t *s);

/* Named type by name, or NULL. O(1) average. */
const gql_schema_type_t *gql_schema_find_type(const gql_schema_t *s, lc_str_t name);
/* Field of an object or interface type by name, or NULL. Includes __typename only when
 * `meta` is true (on unions too), and __schema/__type on the query root. The meta-fields are
 * shared by all types: their `parent` is NULL (__typename) or the query root. O(1) average. */
const gql_schema_field_t *gql_schema_find_field(const gql_schema_t *s,
                                                const gql_schema_type_t *type, lc_str_t name,
                                                bool meta);
const gql_schema_directive_t *gql_schema_find_directive(const gql_schema_t *s, lc_str_t name);
/* True when `obj` is a possible type of `abstract`, an interface implementing the interface
 * `abstract`, or `abstract` itself. O(1). */
bool gql_schema_is_possible_type(const gql_schema_t *s, const gql_schema_type_t *abstract,
                                 const gql_schema_type_t *obj);
/* The named type under any wrappers. */
const gql_schema_type_t *gql_type_named(const gql_schema_type_t *t);
/* Writes the type reference's SDL spelling ("[String!]!") to b. */
int gql_type_print(lc_buf_t *b, const gql_schema_type_t *t);

/* Binding, before the schema is shared with other threads. Each returns LC_ENOTFOUND (with
 * nothing changed) when the coordinate names nothing suitable, so a typo fails start-up:
 * bind and tag take a field of an object type (the executor reads the concrete type's field),
 * bind_scalar a custom scalar (built-ins coerce per §3.5), bind_type_resolver an interface or
 * union. */
int gql_schema_bind(gql_schema_t *s, const char *coordinate /* "Type.field" */, gql_resolve_fn fn,
                    void *ctx) LC_MUST_CHECK;
int gql_schema_tag(gql_schema_t *s, const char *coordinate, uintptr_t tag) LC_MUST_CHECK;
int gql_schema_bind_scalar(gql_schema_t *s, const char *scalar, gql_scalar_serialize_fn ser,
                           gql_scalar_parse_fn parse, void *ctx) LC_MUST_CHECK;
int gql_schema_bind_type_resolver(gql_schema_t *s, const char *abstract_type,
                                  gql_resolve_type_fn fn, void *ctx) LC_MUST_CHECK;

#endif
