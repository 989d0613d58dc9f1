/* SPDX-License-Identifier: MIT */
/* The GraphQL abstract syntax tree (Oct 2021 §2 and §3), built by gql_parse_document() and read
 * by the validator, the executor, the schema builder and the printer.
 *
 * Representation, chosen for the readers:
 * - Every node is a struct that begins with `kind` and `loc` (gql_node_t is that common head),
 *   so any node can be passed as a `const gql_node_t *` and dispatched on `kind`.
 * - Children are arena arrays of pointers with a count: `list.items[i]` for i < `list.count`
 *   (items is NULL when count is 0). Arrays give random access and a known length, which the
 *   validator's pairwise checks and the executor's argument and field loops use directly.
 * - Nodes of one grammatical role but several shapes are unions over a common head:
 *   gql_selection_t (field, fragment spread, inline fragment) and gql_definition_t (operation,
 *   fragment, schema, type and directive definitions and extensions). Read `node.kind`, then the
 *   member named for it. Values (gql_value_t) and type references (gql_type_t) are single
 *   structs with a kind.
 * - Names and other text are lc_str_t slices. Names, numbers, and strings that need no
 *   unescaping point into the source text; decoded strings live in the arena. Either way they
 *   are not NUL-terminated. An absent optional name has ptr == NULL.
 * - Every node has a location: 1-based line and column of its first token, and the byte
 *   offset of that token in the source. Columns count UTF-16 code units, as graphql-js does, so
 *   that clients highlight the same character; they equal byte columns on ASCII lines.
 *
 * Lifetime: every node is *arena* (lives until the arena passed to the parser is reset or
 * disposed) and slices *borrow* the source text, which must outlive the tree: to cache a
 * parsed document, copy the source into the cache's arena before parsing. The tree is never
 * mutated after parsing, so one cached document may be read by many threads at once. */
#ifndef GQL_AST_H
#define GQL_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/str.h"

/* X(kind, name): every node kind; name is graphql-js's Kind string, returned by gql_kind_name. */
#define GQL_KIND_LIST(X)                                                                           \
    X(GQL_NAME, "Name")                                                                            \
    X(GQL_DOCUMENT, "Document")                                                                    \
    X(GQL_OPERATION_DEFINITION, "OperationDefinition")                                             \
    X(GQL_VARIABLE_DEFINITION, "VariableDefinition")                                               \
    X(GQL_SELECTION_SET, "SelectionSet")                                                           \
    X(GQL_FIELD, "Field")                                                                          \
    X(GQL_ARGUMENT, "Argument")                                                                    \
    X(GQL_FRAGMENT_SPREAD, "FragmentSpread")                                                       \
    X(GQL_INLINE_FRAGMENT, "InlineFragment")                                                       \
    X(GQL_FRAGMENT_DEFINITION, "FragmentDefinition")                                               \
    X(GQL_VARIABLE, "Variable")                                                                    \
    X(GQL_INT_VALUE, "IntValue")                                                                   \
    X(GQL_FLOAT_VALUE, "FloatValue")                                                               \
    X(GQL_STRING_VALUE, "StringValue")                                                             \
    X(GQL_BOOLEAN_VALUE, "BooleanValue")                                                           \
    X(GQL_NULL_VALUE, "NullValue")                                                                 \
    X(GQL_ENUM_VALUE, "EnumValue")                                                                 \
    X(GQL_LIST_VALUE, "ListValue")                                                                 \
    X(GQL_OBJECT_VALUE, "ObjectValue")                                                             \
    X(GQL_OBJECT_FIELD, "ObjectField")                                                             \
    X(GQL_DIRECTIVE, "Directive")                                                                  \
    X(GQL_NAMED_TYPE, "NamedType")                                                                 \
    X(GQL_LIST_TYPE, "ListType")                                                                   \
    X(GQL_NON_NULL_TYPE, "NonNullType")                                                            \
    X(GQL_SCHEMA_DEFINITION, "SchemaDefinition")                                                   \
    X(GQL_OPERATION_TYPE_DEFINITION, "OperationTypeDefinition")                                    \
    X(GQL_SCALAR_TYPE_DEFINITION, "ScalarTypeDefinition")                                          \
    X(GQL_OBJECT_TYPE_DEFINITION, "ObjectTypeDefinition")                                          \
    X(GQL_FIELD_DEFINITION, "FieldDefinition")                                                     \
    X(GQL_INPUT_VALUE_DEFINITION, "InputValueDefinition")                                          \
    X(GQL_INTERFACE_TYPE_DEFINITION, "InterfaceTypeDefinition")                                    \
    X(GQL_UNION_TYPE_DEFINITION, "UnionTypeDefinition")                                            \
    X(GQL_ENUM_TYPE_DEFINITION, "EnumTypeDefinition")                                              \
    X(GQL_ENUM_VALUE_DEFINITION, "EnumValueDefinition")                                            \
    X(GQL_INPUT_OBJECT_TYPE_DEFINITION, "InputObjectTypeDefinition")                               \
    X(GQL_DIRECTIVE_DEFINITION, "DirectiveDefinition")                                             \
    X(GQL_SCHEMA_EXTENSION, "SchemaExtension")                                                     \
    X(GQL_SCALAR_TYPE_EXTENSION, "ScalarTypeExtension")                                            \
    X(GQL_OBJECT_TYPE_EXTENSION, "ObjectTypeExtension")                                            \
    X(GQL_INTERFACE_TYPE_EXTENSION, "InterfaceTypeExtension")                                      \
    X(GQL_UNION_TYPE_EXTENSION, "UnionTypeExtension")                                              \
    X(GQL_ENUM_TYPE_EXTENSION, "EnumTypeExtension")                                                \
    X(GQL_INPUT_OBJECT_TYPE_EXTENSION, "InputObjectTypeExtension")

typedef enum gql_kind {
#define GQL_X(kind, name) kind,
    GQL_KIND_LIST(GQL_X)
#undef GQL_X
        GQL_KIND_COUNT
} gql_kind_t;

/* graphql-js's name of a kind ("Field"), or "Unknown"; static storage. */
const char *gql_kind_name(gql_kind_t kind);

/* Where a node starts. line and column are 1-based; offset is in bytes from the start of the
 * source. A line of 0 means "no location" (used only in errors). */
typedef struct gql_loc {
    uint32_t line;
    uint32_t column; /* in UTF-16 code units, see above */
    uint32_t offset;
} gql_loc_t;

/* The head every node begins with. */
typedef struct gql_node {
    gql_kind_t kind;
    gql_loc_t loc;
} gql_node_t;

typedef enum gql_operation_type {
    GQL_OP_QUERY,
    GQL_OP_MUTATION,
    GQL_OP_SUBSCRIPTION,
} gql_operation_type_t;

typedef struct gql_value gql_value_t;
typedef struct gql_type gql_type_t;
typedef struct gql_name gql_name_t;
typedef struct gql_argument gql_argument_t;
typedef struct gql_object_field gql_object_field_t;
typedef struct gql_directive gql_directive_t;
typedef struct gql_variable_definition gql_variable_definition_t;
typedef struct gql_selection_set gql_selection_set_t;
typedef union gql_selection gql_selection_t;
typedef struct gql_operation_type_definition gql_operation_type_definition_t;
typedef struct gql_field_definition gql_field_definition_t;
typedef struct gql_input_value_definition gql_input_value_definition_t;
typedef struct gql_enum_value_definition gql_enum_value_definition_t;
typedef union gql_definition gql_definition_t;

/* Child arrays: items[0..count), NULL when count is 0. */
#define GQL_LIST_TYPEDEF(list_t, item_t)                                                           \
    typedef struct {                                                                               \
        item_t **items;                                                                            \
        uint32_t count;                                                                            \
    } list_t

GQL_LIST_TYPEDEF(gql_value_list_t, gql_value_t);
GQL_LIST_TYPEDEF(gql_object_field_list_t, gql_object_field_t);
GQL_LIST_TYPEDEF(gql_argument_list_t, gql_argument_t);
GQL_LIST_TYPEDEF(gql_directive_list_t, gql_directive_t);
GQL_LIST_TYPEDEF(gql_variable_definition_list_t, gql_variable_definition_t);
GQL_LIST_TYPEDEF(gql_selection_list_t, gql_selection_t);
GQL_LIST_TYPEDEF(gql_type_list_t, gql_type_t); /* named types only */
GQL_LIST_TYPEDEF(gql_name_list_t, gql_name_t);
GQL_LIST_TYPEDEF(gql_operation_type_definition_list_t, gql_operation_type_definition_t);
GQL_LIST_TYPEDEF(gql_field_definition_list_t, gql_field_definition_t);
GQL_LIST_TYPEDEF(gql_input_value_definition_list_t, gql_input_value_definition_t);
GQL_LIST_TYPEDEF(gql_enum_value_definition_list_t, gql_enum_value_definition_t);
GQL_LIST_TYPEDEF(gql_definition_list_t, gql_definition_t);

/* ---- Names, values, types, directives (§2.1.9, §2.9, §2.11, §2.12) ---------------------- */

/* A name that is a node of its own: only directive locations (the rest are lc_str_t fields of
 * their node, located by it). */
struct gql_name {
    gql_kind_t kind; /* GQL_NAME */
    gql_loc_t loc;
    lc_str_t value;
};

/* Value[Const]. A variable's loc is its '$'. */
struct gql_value {
    gql_kind_t kind; /* GQL_VARIABLE .. GQL_OBJECT_VALUE */
    gql_loc_t loc;
    union {
        lc_str_t name;   /* GQL_VARIABLE (without '$'), GQL_ENUM_VALUE */
        lc_str_t lexeme; /* GQL_INT_VALUE, GQL_FLOAT_VALUE: the source text, e.g. "-1.5e3" */
        struct {
            lc_str_t value;    /* decoded: escapes resolved, BlockStringValue() applied; UTF-8 */
            bool block;        /* written as a block string """...""" */
        } string;              /* GQL_STRING_VALUE */
        bool boolean;          /* GQL_BOOLEAN_VALUE */
        gql_value_list_t list; /* GQL_LIST_VALUE */
        gql_object_field_list_t object; /* GQL_OBJECT_VALUE, fields in source order */
    };
};

struct gql_object_field {
    gql_kind_t kind; /* GQL_OBJECT_FIELD */
    gql_loc_t loc;
    lc_str_t name;
    gql_value_t *value;
};

/* Type reference: NamedType, ListType `[of]`, NonNullType `of!` (of is never non-null). */
struct gql_type {
    gql_kind_t kind; /* GQL_NAMED_TYPE, GQL_LIST_TYPE, GQL_NON_NULL_TYPE */
    gql_loc_t loc;
    lc_str_t name;  /* GQL_NAMED_TYPE only */
    gql_type_t *of; /* GQL_LIST_TYPE and GQL_NON_NULL_TYPE only */
};

struct gql_argument {
    gql_kind_t kind; /* GQL_ARGUMENT */
    gql_loc_t loc;
    lc_str_t name;
    gql_value_t *value;
};

struct gql_directive {
    gql_kind_t kind; /* GQL_DIRECTIVE; loc is its '@' */
    gql_loc_t loc;
    lc_str_t name;
    gql_argument_list_t arguments;
};

/* ---- Executable definitions (§2.3 - §2.8) ------------------------------------------------ */

struct gql_variable_definition {
    gql_kind_t kind; /* GQL_VARIABLE_DEFINITION; loc is its '$' */
    gql_loc_t loc;
    lc_str_t name; /* without '$' */
    gql_type_t *type;
    gql_value_t *default_value; /* const; NULL when absent */
    gql_directive_list_t directives;
};

/* `{ ... }`: never empty (the grammar requires one selection). */
struct gql_selection_set {
    gql_kind_t kind; /* GQL_SELECTION_SET; loc is its '{' */
    gql_loc_t loc;
    gql_selection_list_t selections;
};

typedef struct gql_field {
    gql_kind_t kind; /* GQL_FIELD; loc is the alias if any, else the name */
    gql_loc_t loc;
    lc_str_t alias; /* ptr NULL when absent; the response key is alias.ptr ? alias : name */
    lc_str_t name;
    gql_argument_list_t arguments;
    gql_directive_list_t directives;
    gql_selection_set_t *selection_set; /* NULL for a leaf */
} gql_field_t;

typedef struct gql_fragment_spread {
    gql_kind_t kind; /* GQL_FRAGMENT_SPREAD; loc is its '...' */
    gql_loc_t loc;
    lc_str_t name;
    gql_directive_list_t directives;
} gql_fragment_spread_t;

typedef struct gql_inline_fragment {
    gql_kind_t kind; /* GQL_INLINE_FRAGMENT; loc is its '...' */
    gql_loc_t loc;
    gql_type_t *type_condition; /* a named type; NULL when absent */
    gql_directive_list_t directives;
    gql_selection_set_t *selection_set;
} gql_inline_fragment_t;

/* Selection: read node.kind, then field, spread or inline_fragment. */
union gql_selection {
    gql_node_t node;
    gql_field_t field;
    gql_fragment_spread_t spread;
    gql_inline_fragment_t inline_fragment;
};

typedef struct gql_operation_definition {
    gql_kind_t kind; /* GQL_OPERATION_DEFINITION */
    gql_loc_t loc;
    gql_operation_type_t operation; /* GQL_OP_QUERY for the `{ ... }` shorthand */
    lc_str_t name;                  /* ptr NULL when anonymous */
    gql_variable_definition_list_t variables;
    gql_directive_list_t directives;
    gql_selection_set_t *selection_set;
} gql_operation_definition_t;

typedef struct gql_fragment_definition {
    gql_kind_t kind; /* GQL_FRAGMENT_DEFINITION */
    gql_loc_t loc;
    lc_str_t name;
    gql_type_t *type_condition; /* a named type */
    gql_directive_list_t directives;
    gql_selection_set_t *selection_set;
} gql_fragment_definition_t;

/* ---- Type system definitions and extensions (§3) ----------------------------------------- */

/* description: a GQL_STRING_VALUE node (string or block string), or NULL. Extensions have
 * none. */

typedef struct gql_schema_definition {
    gql_kind_t kind; /* GQL_SCHEMA_DEFINITION or GQL_SCHEMA_EXTENSION */
    gql_loc_t loc;
    gql_value_t *description;
    gql_directive_list_t directives;
    gql_operation_type_definition_list_t operation_types; /* empty only in an extension */
} gql_schema_definition_t;

struct gql_operation_type_definition {
    gql_kind_t kind; /* GQL_OPERATION_TYPE_DEFINITION */
    gql_loc_t loc;
    gql_operation_type_t operation;
    gql_type_t *type; /* a named type */
};

/* Scalar, object, interface, union, enum and input object types, and their extensions: one
 * shape, so that the schema builder walks them alike. The lists that a kind cannot have are
 * empty. A location is the description's when there is one (graphql-js does the same), else
 * the keyword's (`type`, `extend`). */
typedef struct gql_type_definition {
    gql_kind_t kind; /* GQL_SCALAR_TYPE_DEFINITION .. GQL_INPUT_OBJECT_TYPE_EXTENSION */
    gql_loc_t loc;
    gql_value_t *description;
    lc_str_t name;
    gql_type_list_t interfaces; /* object, interface: `implements A & B` */
    gql_directive_list_t directives;
    gql_field_definition_list_t fields;             /* object, interface */
    gql_type_list_t types;                          /* union members */
    gql_enum_value_definition_list_t values;        /* enum */
    gql_input_value_definition_list_t input_fields; /* input object */
} gql_type_definition_t;

struct gql_field_definition {
    gql_kind_t kind; /* GQL_FIELD_DEFINITION */
    gql_loc_t loc;
    gql_value_t *description;
    lc_str_t name;
    gql_input_value_definition_list_t arguments;
    gql_type_t *type;
    gql_directive_list_t directives;
};

/* An argument definition or an input object field. */
struct gql_input_value_definition {
    gql_kind_t kind; /* GQL_INPUT_VALUE_DEFINITION */
    gql_loc_t loc;
    gql_value_t *description;
    lc_str_t name;
    gql_type_t *type;
    gql_value_t *default_value; /* const; NULL when absent */
    gql_directive_list_t directives;
};

struct gql_enum_value_definition {
    gql_kind_t kind; /* GQL_ENUM_VALUE_DEFINITION */
    gql_loc_t loc;
    gql_value_t *description;
    lc_str_t name; /* never true, false or null */
    gql_directive_list_t directives;
};

typedef struct gql_directive_definition {
    gql_kind_t kind; /* GQL_DIRECTIVE_DEFINITION */
    gql_loc_t loc;
    gql_value_t *description;
    lc_str_t name; /* without '@' */
    gql_input_value_definition_list_t arguments;
    bool repeatable;
    gql_name_list_t locations; /* each one of the spec's DirectiveLocation names */
} gql_directive_definition_t;

/* Definition: read node.kind, then the member for it. */
union gql_definition {
    gql_node_t node;
    gql_operation_definition_t operation; /* GQL_OPERATION_DEFINITION */
    gql_fragment_definition_t fragment;   /* GQL_FRAGMENT_DEFINITION */
    gql_schema_definition_t schema;       /* GQL_SCHEMA_DEFINITION, GQL_SCHEMA_EXTENSION */
    gql_type_definition_t type;           /* the six type definitions and six extensions */
    gql_directive_definition_t directive; /* GQL_DIRECTIVE_DEFINITION */
};

typedef struct gql_document {
    gql_kind_t kind; /* GQL_DOCUMENT */
    gql_loc_t loc;
    gql_definition_list_t definitions; /* never empty */
    lc_str_t source;                   /* borrowed: the text parsed */
    uint32_t token_count;              /* significant tokens, for metrics and limits */
} gql_document_t;

/* True for the kinds whose definition member is `type` (gql_type_definition_t). */
static inline bool gql_kind_is_type_definition(gql_kind_t k) {
    switch (k) {
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
    case GQL_UNION_TYPE_EXTENSION:
    case GQL_ENUM_TYPE_EXTENSION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return true;
    default:
        return false;
    }
}

/* True for the extension kinds (`extend ...`): GQL_SCHEMA_EXTENSION and the six type ones. */
static inline bool gql_kind_is_extension(gql_kind_t k) {
    return k >= GQL_SCHEMA_EXTENSION && k <= GQL_INPUT_OBJECT_TYPE_EXTENSION;
}

#endif
