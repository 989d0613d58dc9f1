/* SPDX-License-Identifier: MIT */
/* Private to the executor (execute.c, coerce.c, introspect.c, doc_cache.c): the execution plan
 * that memoizes what depends only on (document, operation, object type) — CollectFields' grouped
 * field nodes, the schema field of each response key, constant arguments — and the coercion and
 * introspection entry points the executor calls.
 *
 * A plan is built lazily while executing: the first execution of a document walks the AST, later
 * ones walk the plan. A cached document's plan lives in its cache entry's arena (the cache is
 * per thread, so nothing here is locked); a document executed without the cache gets a plan in
 * the request arena that dies with the request. Selection sets whose @skip/@include read
 * variables are memoized per combination of those variables' values (at most GQL__MAX_VARIANTS
 * per field); past that they are collected on each execution, in the request arena. */
#ifndef GQL_EXEC_INT_H
#define GQL_EXEC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "gql/ast.h"
#include "gql/diag.h"
#include "gql/execute.h"
#include "gql/schema.h"
#include "gql/value.h"
#include "lectern/arena.h"
#include "lectern/buf.h"

typedef struct gql__pset gql__pset_t;

/* Objects nested in one response (each level costs a few hundred bytes of stack). The parser's
 * depth limit bounds a query's own nesting, but fragments can stack nestings, and a schema with
 * a cycle serves data as deep as asked. */
#define GQL__EXEC_MAX_DEPTH 256u

/* Plans kept per field (or operation) for different values of the variables that @skip and
 * @include read: variables are the client's, so the number of combinations must be bounded. */
#define GQL__MAX_VARIANTS 8u
/* ... and per document, since variants nest: sets under a variant are variants too. */
#define GQL__MAX_PLAN_VARIANTS 64u

/* How a planned field gets its value. */
typedef enum gql__how {
    GQL__HOW_DEFAULT,    /* the parent map's property of the field's name */
    GQL__HOW_RESOLVER,   /* field->resolve */
    GQL__HOW_TYPENAME,   /* __typename: the object type's name */
    GQL__HOW_INTROSPECT, /* __schema, __type and the fields of the introspection types */
} gql__how_t;

/* How a planned field gets its arguments. */
typedef enum gql__args_mode {
    GQL__ARGS_NONE,    /* the field has no argument definitions: args is NULL */
    GQL__ARGS_CONST,   /* coerced once at plan time (no variables): args */
    GQL__ARGS_DYNAMIC, /* coerced on each execution (variables, or a failing literal) */
} gql__args_mode_t;

/* One response key of a collected field set (§6.3.2 CollectFields): its field nodes in document
 * order, and what execution needs of them. */
typedef struct gql__pfield {
    lc_str_t key;         /* response key: alias or name */
    const char *key_json; /* `,"key":`, zero-padded to 16 bytes; from offset 1 when first */
    uint32_t key_json_len;
    uint8_t how;       /* gql__how_t */
    uint8_t args_mode; /* gql__args_mode_t */
    uint8_t leaf;      /* fast path for a built-in scalar type (execute.c), or 0 */
    uint8_t nvariants; /* memoized sub-plans that depend on variables */
    uint16_t intro;    /* introspection field id (introspect.c) */
    uint32_t nnodes;
    uint32_t prop_hint;              /* GQL__HOW_DEFAULT: index of the property found last time */
    const gql_schema_field_t *def;   /* NULL for __typename */
    const gql_field_t *const *nodes; /* nnodes >= 1; nodes[0] is the first in document order */
    const gql_val_t *args;           /* GQL__ARGS_CONST */
    gql__pset_t *subs;               /* memoized sub-plans, one per runtime object type */
} gql__pfield_t;

/* The collected fields of an object type for a selection (or merged selections). */
struct gql__pset {
    const gql_schema_type_t *type; /* the object type */
    gql__pset_t *next;             /* next sibling in the parent field's `subs` */
    gql__pfield_t *fields;
    uint32_t nfields;
    bool vary;      /* @skip/@include read variables: valid for sig/sig_def only */
    bool transient; /* in the request arena: neither it nor its sub-plans outlive the request */
    uint64_t sig, sig_def; /* the condition variables' values when collected (see execute.c) */
};

typedef struct gql__oplan {
    struct gql__oplan *next;
    const gql_operation_definition_t *op;
    gql__pset_t *roots; /* memoized root plans (one, or one per variant) */
    uint32_t nvariants;
    uint64_t cond_mask; /* variables (by index < 64) that some @skip/@include reads */
} gql__oplan_t;

/* The plan of one document for one schema. */
typedef struct gql__plan {
    lc_arena_t *arena; /* owns the plan's memory (borrowed) */
    const gql_schema_t *schema;
    const gql_document_t *doc;
    gql__oplan_t *ops;
    uint32_t nvariants; /* kept sets that depend on variables, all fields together */
} gql__plan_t;

void gql__plan_init(gql__plan_t *p, lc_arena_t *arena, const gql_schema_t *schema,
                    const gql_document_t *doc);

/* The plan the cache holds for `doc` when doc is the document its last get returned for
 * `schema`; NULL otherwise (the executor then plans in the request arena). */
gql__plan_t *gql__doc_cache_plan(gql_doc_cache_t *c, const gql_schema_t *schema,
                                 const gql_document_t *doc);

/* ---- Coercion (coerce.c) ------------------------------------------------------------------- */

/* Positive status: a literal references a variable while none are available (plan time). */
#define GQL__NEEDS_VARS 1

/* The operation's coerced variables, looked up by name from literals. `vals` parallels
 * op->variables; GQL_VAL_UNDEFINED = not provided and no default. op NULL or vals NULL: no
 * variables available (plan time) — a variable reference yields GQL__NEEDS_VARS. */
typedef struct gql__vars {
    const gql_operation_definition_t *op;
    const gql_val_t *vals;
} gql__vars_t;

/* The coerced value of variable `name`, or NULL when not defined by the operation or when no
 * variables are available. GQL_VAL_UNDEFINED when not provided. */
const gql_val_t *gql__var_lookup(const gql__vars_t *vars, lc_str_t name);

/* The schema type of an AST type reference: interned wrappers when the schema has them, else
 * wrappers made in `arena`. NULL when the named type is unknown or on LC_ENOMEM. */
const gql_schema_type_t *gql__type_from_ast(lc_arena_t *arena, const gql_schema_t *s,
                                            const gql_type_t *t);

/* §6.1.2 CoerceVariableValues. Writes op->variables.count values to *out (arena; NULL when the
 * operation has no variables). LC_OK; LC_EINVAL with the errors added to `diags` (graphql-js
 * wording, location of the variable definition); LC_ENOMEM. `raw` may be NULL. */
int gql__coerce_variables(lc_arena_t *arena, const gql_schema_t *s,
                          const gql_operation_definition_t *op, const gql_val_t *raw,
                          gql_diags_t *diags, gql_val_t **out) LC_MUST_CHECK;

/* valueFromAST (§6.4.1 literal part): LC_OK with *out; LC_EINVAL when invalid for `type`;
 * GQL__NEEDS_VARS; LC_ENOMEM. A missing variable is invalid here; callers handle top-level
 * variables themselves as §6.4.1 says. */
int gql__value_from_ast(lc_arena_t *arena, const gql_schema_t *s, const gql__vars_t *vars,
                        const gql_value_t *lit, const gql_schema_type_t *type,
                        gql_val_t *out) LC_MUST_CHECK;

/* A failed argument coercion, for a field error: arena message and the node it points at. */
typedef struct gql__arg_error {
    const char *message;
    gql_loc_t loc;
} gql__arg_error_t;

/* §6.4.1 CoerceArgumentValues for `ndefs` definitions from the nodes `args`: writes ndefs
 * values to out[] (GQL_VAL_UNDEFINED for absent). LC_OK; LC_EINVAL with *err (message,
 * location; `at` is the location for "not provided"); GQL__NEEDS_VARS; LC_ENOMEM. */
int gql__coerce_arguments(lc_arena_t *arena, const gql_schema_t *s, const gql__vars_t *vars,
                          const gql_schema_input_value_t *defs, uint32_t ndefs,
                          const gql_argument_list_t *args, gql_loc_t at, gql_val_t *out,
                          gql__arg_error_t *err) LC_MUST_CHECK;

/* Result coercion (§3.5, §3.9) of a leaf value of named type `t` (scalar or enum) into b.
 * LC_OK; LC_EINVAL with *why (arena message, graphql-js wording); LC_ENOMEM. On LC_EINVAL the
 * caller rewinds b. */
int gql__serialize_leaf(lc_arena_t *arena, const gql_schema_type_t *t, const gql_val_t *v,
                        lc_buf_t *b, const char **why) LC_MUST_CHECK;

/* graphql-js inspect() of a value, for messages: `"str"`, `1.5`, `[1, 2]`, `{ a: 1 }`. */
void gql__inspect(lc_buf_t *b, const gql_val_t *v);

/* ---- Introspection (introspect.c) ---------------------------------------------------------- */

/* The introspection field id of field `name` of `type` (an introspection type, or the query root
 * for __schema and __type); 0 when it is not one. */
uint16_t gql__introspect_field_id(const gql_schema_t *s, const gql_schema_type_t *type,
                                  lc_str_t name);
/* Resolves introspection field `id` of `parent` (a GQL_VAL_OBJECT holding a schema element),
 * lists in `arena`. LC_OK with *out; LC_ENOMEM. */
int gql__introspect_resolve(const gql_schema_t *s, lc_arena_t *arena, uint16_t id,
                            const gql_val_t *parent, const gql_val_t *args,
                            gql_val_t *out) LC_MUST_CHECK;

#endif
