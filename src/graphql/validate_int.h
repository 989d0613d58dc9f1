/* SPDX-License-Identifier: MIT */
/* Private to the validator (validate*.c): the validation context with the walk's TypeInfo
 * state (graphql-js TypeInfo: parent type, field definition, expected input type), the index
 * of the document's fragments, the rule list, and the helpers the rule files share: arena
 * vectors and hash maps, type references, suggestions, and error reporting. */
#ifndef GQL_VALIDATE_INT_H
#define GQL_VALIDATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gql/ast.h"
#include "gql/diag.h"
#include "gql/limits.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "lectern/arena.h"
#include "lectern/buf.h"
#include "lectern/str.h"

/* X(id, name): the rules in graphql-js 16.15's specifiedRules order, which is also the order
 * in which errors found at one node are reported. MaxIntrospectionDepth is graphql-js's one
 * "recommended" rule, which specifiedRules includes. */
#define GQL__RULE_LIST(X)                                                                          \
    X(EXECUTABLE_DEFINITIONS, "ExecutableDefinitions")                                             \
    X(UNIQUE_OPERATION_NAMES, "UniqueOperationNames")                                              \
    X(LONE_ANONYMOUS_OPERATION, "LoneAnonymousOperation")                                          \
    X(SINGLE_FIELD_SUBSCRIPTIONS, "SingleFieldSubscriptions")                                      \
    X(KNOWN_TYPE_NAMES, "KnownTypeNames")                                                          \
    X(FRAGMENTS_ON_COMPOSITE_TYPES, "FragmentsOnCompositeTypes")                                   \
    X(VARIABLES_ARE_INPUT_TYPES, "VariablesAreInputTypes")                                         \
    X(SCALAR_LEAFS, "ScalarLeafs")                                                                 \
    X(FIELDS_ON_CORRECT_TYPE, "FieldsOnCorrectType")                                               \
    X(UNIQUE_FRAGMENT_NAMES, "UniqueFragmentNames")                                                \
    X(KNOWN_FRAGMENT_NAMES, "KnownFragmentNames")                                                  \
    X(NO_UNUSED_FRAGMENTS, "NoUnusedFragments")                                                    \
    X(POSSIBLE_FRAGMENT_SPREADS, "PossibleFragmentSpreads")                                        \
    X(NO_FRAGMENT_CYCLES, "NoFragmentCycles")                                                      \
    X(UNIQUE_VARIABLE_NAMES, "UniqueVariableNames")                                                \
    X(NO_UNDEFINED_VARIABLES, "NoUndefinedVariables")                                              \
    X(NO_UNUSED_VARIABLES, "NoUnusedVariables")                                                    \
    X(KNOWN_DIRECTIVES, "KnownDirectives")                                                         \
    X(UNIQUE_DIRECTIVES_PER_LOCATION, "UniqueDirectivesPerLocation")                               \
    X(KNOWN_ARGUMENT_NAMES, "KnownArgumentNames")                                                  \
    X(UNIQUE_ARGUMENT_NAMES, "UniqueArgumentNames")                                                \
    X(VALUES_OF_CORRECT_TYPE, "ValuesOfCorrectType")                                               \
    X(PROVIDED_REQUIRED_ARGUMENTS, "ProvidedRequiredArguments")                                    \
    X(VARIABLES_IN_ALLOWED_POSITION, "VariablesInAllowedPosition")                                 \
    X(OVERLAPPING_FIELDS_CAN_BE_MERGED, "OverlappingFieldsCanBeMerged")                            \
    X(UNIQUE_INPUT_FIELD_NAMES, "UniqueInputFieldNames")                                           \
    X(MAX_INTROSPECTION_DEPTH, "MaxIntrospectionDepth")

typedef enum gql__rule {
#define GQL__X(id, name) GQL__RULE_##id,
    GQL__RULE_LIST(GQL__X)
#undef GQL__X
        GQL__RULE_COUNT
} gql__rule_t;

#define GQL__RULE_BIT(id) (1u << GQL__RULE_##id)
#define GQL__RULES_ALL ((1u << GQL__RULE_COUNT) - 1u)

/* Deepest nesting the validator follows where fragments let a comparison go deeper than the
 * parsed tree (OverlappingFieldsCanBeMerged's sub-selection comparisons): past it, deeper
 * sub-selections are not compared, so the C stack stays bounded whatever the fragments (in
 * graphql-js the complexity budget or the JavaScript stack runs out first). */
#define GQL__VALIDATE_MAX_DEPTH GQL_LIMIT_DOCUMENT_DEPTH_MAX

/* The work behind gql_validate: only the rules in the `rules` mask (GQL__RULE_BIT) run, so a
 * unit test can check one rule as graphql-js's tests do. max_errors 0 means 100. */
int gql__validate_rules(lc_arena_t *arena, const gql_schema_t *schema, const gql_document_t *doc,
                        uint32_t max_errors, uint32_t rules, gql_diags_t *diags) LC_MUST_CHECK;

/* ---- Arena vectors and hash maps ---------------------------------------------------------- */

typedef struct gql__vctx gql__vctx_t;
typedef struct gql__vrefs gql__vrefs_t;

/* A growable array in the arena (old storage is left to the arena when it grows). */
typedef struct gql__vvec {
    void *items;
    uint32_t n, cap;
} gql__vvec_t;

/* Makes room for `extra` more items of `elem` bytes; false (and c->status LC_ENOMEM) on
 * failure. */
bool gql__vvec_reserve(gql__vctx_t *c, gql__vvec_t *v, size_t elem, uint32_t extra);
#define GQL__VVEC_AT(vec, T, i) (((T *)(vec)->items)[i])
#define GQL__VVEC_PUSH(c, vec, T, x)                                                               \
    (gql__vvec_reserve((c), (vec), sizeof(T), 1) ? (((T *)(vec)->items)[(vec)->n++] = (x), true)   \
                                                 : false)

/* String -> uint32 map; open addressing, at most half full. */
typedef struct gql__vsent {
    lc_str_t key;
    uint32_t hash; /* 0: empty slot */
    uint32_t val;
} gql__vsent_t;

typedef struct gql__vsmap {
    gql__vsent_t *slots;
    uint32_t mask, count;
} gql__vsmap_t;

/* The entry for key, or NULL. */
gql__vsent_t *gql__vsmap_find(const gql__vctx_t *c, const gql__vsmap_t *m, lc_str_t key);
/* The entry for key, added with `val` when absent (*added then true); NULL on LC_ENOMEM. The
 * pointer is valid until the next add. */
gql__vsent_t *gql__vsmap_add(gql__vctx_t *c, gql__vsmap_t *m, lc_str_t key, uint32_t val,
                             bool *added);

/* uint64 (never 0) -> pointer map. */
typedef struct gql__vpent {
    uint64_t key; /* 0: empty slot */
    void *val;
} gql__vpent_t;

typedef struct gql__vpmap {
    gql__vpent_t *slots;
    uint32_t mask, count;
} gql__vpmap_t;

gql__vpent_t *gql__vpmap_find(const gql__vctx_t *c, const gql__vpmap_t *m, uint64_t key);
gql__vpent_t *gql__vpmap_add(gql__vctx_t *c, gql__vpmap_t *m, uint64_t key, void *val, bool *added);

/* ---- The document index ------------------------------------------------------------------- */

/* A variable usage (graphql-js getVariableUsages): the variable, the input type expected where
 * it stands (NULL when unknown) and whether that position has a default value. */
typedef struct gql__vusage {
    const gql_value_t *var;
    const gql_schema_type_t *type;
    bool has_default;
} gql__vusage_t;

/* A defined fragment name; duplicates share one entry whose `def` is the last definition, as
 * graphql-js's getFragment() answers. */
typedef struct gql__vfrag {
    lc_str_t name;
    const gql_fragment_definition_t *def;
    const gql_schema_type_t *type; /* typeFromAST(type condition), or NULL */
    /* getFragmentSpreads(def->selection_set), computed on first use */
    const gql_fragment_spread_t **spreads;
    uint32_t nspreads;
    bool spreads_done;
    /* variable usages of the definition, computed on first use */
    gql__vusage_t *usages;
    uint32_t nusages;
    bool usages_done;
    /* scratch of the rules walking fragments */
    uint32_t mark;     /* getRecursivelyReferencedFragments: epoch of the last visit */
    bool cyc_visited;  /* NoFragmentCycles: visitedFrags */
    int32_t cyc_index; /* NoFragmentCycles: spreadPathIndexByName, -1 when not on the path */
    /* MaxIntrospectionDepth (graphql-js 16.15's memo; -1 for none): the greatest entry depth at
     * which a check of the fragment completed below the limit, the smallest at which one
     * reached it, and the greatest at which it was entered in the current root check */
    int8_t mid_checked, mid_exceeded, mid_visited;
    uint32_t mid_epoch; /* the root check mid_visited belongs to */
} gql__vfrag_t;

/* graphql-js TypeInfo, the part that the walk saves and restores around each node. */
typedef struct gql__vtypeinfo {
    const gql_schema_type_t *type;        /* getType(): output type of the current field */
    const gql_schema_type_t *parent_type; /* getParentType(): composite type of the selection */
    const gql_schema_field_t *field_def;  /* getFieldDef() */
    const gql_schema_type_t *input_type;  /* getInputType() */
    const gql_schema_type_t *parent_input_type; /* getParentInputType() */
    const gql_value_t *default_value;           /* getDefaultValue() */
    bool has_default;
    const gql_schema_directive_t *directive;  /* getDirective() */
    const gql_schema_input_value_t *argument; /* getArgument() */
} gql__vtypeinfo_t;

struct gql__vctx {
    lc_arena_t *arena;
    const gql_schema_t *schema;
    const gql_document_t *doc;
    gql_diags_t *diags;
    uint32_t rules;
    uint32_t max_errors, nerrors;
    bool aborted; /* the error limit was reached: stop everything */
    int status;   /* LC_OK, or LC_ENOMEM (sticky) */
    uint64_t seed;

    gql__vtypeinfo_t ti;
    bool collecting;             /* walking only to collect variable usages */
    gql__vvec_t *usages;         /* where a collecting walk puts them (gql__vusage_t) */
    const gql_node_t *vct_skip;  /* ValuesOfCorrectType returned false at this value */
    const gql_field_t *mid_skip; /* MaxIntrospectionDepth returned false at this field */

    /* fragments */
    gql__vfrag_t *frags;
    uint32_t nfrags;
    gql__vsmap_t frag_ids; /* name -> index in frags */
    uint32_t noperations;
    uint32_t mark_epoch; /* fresh value for gql__vfrag_t.mark per traversal */

    /* directives defined in the document itself (graphql-js honours them in several rules) */
    gql__vsmap_t doc_directives; /* name -> index in doc->definitions */
    bool has_doc_directives;
    /* type names defined in the document (KnownTypeNames) */
    gql__vsmap_t doc_types;

    /* wrappers of named types that the schema did not intern, interned here */
    gql__vpmap_t wrappers;

    /* rule state */
    gql__vsmap_t op_names;         /* UniqueOperationNames: name -> definition index */
    gql__vsmap_t fragment_names;   /* UniqueFragmentNames */
    gql__vsmap_t sdl_directives;   /* UniqueDirectivesPerLocation: per type / schema */
    gql__vsmap_t undefined_ids;    /* names spread but not defined -> id past c->nfrags */
    gql__vrefs_t *refs;            /* cache of gql__v_referenced_fragments */
    int64_t frag_work;             /* graphql-js's fragment work budget */
    gql__vvec_t operations;        /* NoUnusedFragments: the operations, in order */
    bool sub_fragments_done;       /* SingleFieldSubscriptions indexed the fragments */
    struct gql__voverlap *overlap; /* OverlappingFieldsCanBeMerged state */
};

/* ---- Context helpers (validate.c) --------------------------------------------------------- */

/* Marks the context out of memory; returns false for `return gql__v_nomem(c)` chains. */
bool gql__v_nomem(gql__vctx_t *c);
/* Arena allocation that records LC_ENOMEM. */
void *gql__v_alloc(gql__vctx_t *c, size_t size);

/* Reports a validation error (graphql-js context.reportError): at the error limit, appends
 * graphql-js's "Too many validation errors" instead and aborts the validation. */
void gql__v_report(gql__vctx_t *c, const gql_loc_t *locs, uint32_t nlocs, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* graphql-js's validationAbortedError: a work budget ran out. Appends "Validation aborted."
 * (whatever the error limit) and stops the validation. */
void gql__v_abort(gql__vctx_t *c);
/* True when no more work should be done (aborted or out of memory). */
static inline bool gql__v_stop(const gql__vctx_t *c) {
    return c->aborted || c->status != LC_OK;
}
static inline bool gql__v_on(const gql__vctx_t *c, uint32_t bit) {
    return (c->rules & bit) != 0;
}

/* Location of a name slice that points into the document, scanning forward from `near` (a
 * location at or before it); graphql-js reports some errors at a name node. */
gql_loc_t gql__v_name_loc(const gql__vctx_t *c, lc_str_t name, gql_loc_t near);

/* A string builder in the arena for messages; gql__v_buf_cstr NUL-terminates (NULL and
 * LC_ENOMEM on failure). */
void gql__v_buf_init(gql__vctx_t *c, lc_buf_t *b);
const char *gql__v_buf_cstr(gql__vctx_t *c, lc_buf_t *b);

/* ---- Types (validate_util.c) -------------------------------------------------------------- */

static inline bool gql__v_is_wrapper(const gql_schema_type_t *t) {
    return t && (t->kind == GQL_TK_LIST || t->kind == GQL_TK_NON_NULL);
}
static inline bool gql__v_is_composite(const gql_schema_type_t *t) {
    return t &&
           (t->kind == GQL_TK_OBJECT || t->kind == GQL_TK_INTERFACE || t->kind == GQL_TK_UNION);
}
static inline bool gql__v_is_abstract(const gql_schema_type_t *t) {
    return t && (t->kind == GQL_TK_INTERFACE || t->kind == GQL_TK_UNION);
}
static inline bool gql__v_is_leaf(const gql_schema_type_t *t) {
    return t && (t->kind == GQL_TK_SCALAR || t->kind == GQL_TK_ENUM);
}
bool gql__v_is_input_type(const gql_schema_type_t *t);
bool gql__v_is_output_type(const gql_schema_type_t *t);
static inline const gql_schema_type_t *gql__v_nullable(const gql_schema_type_t *t) {
    return t && t->kind == GQL_TK_NON_NULL ? t->of_type : t;
}

/* [t] and t!, interned: the schema's own wrapper when it has one, else one made here, so that
 * equal references are equal pointers throughout a validation. NULL on LC_ENOMEM. */
const gql_schema_type_t *gql__v_list_of(gql__vctx_t *c, const gql_schema_type_t *t);
const gql_schema_type_t *gql__v_non_null_of(gql__vctx_t *c, const gql_schema_type_t *t);
/* graphql-js typeFromAST: NULL when the named type is unknown. */
const gql_schema_type_t *gql__v_type_from_ast(gql__vctx_t *c, const gql_type_t *ast);
/* graphql-js isTypeSubTypeOf and doTypesOverlap. */
bool gql__v_is_subtype(const gql__vctx_t *c, const gql_schema_type_t *sub,
                       const gql_schema_type_t *super);
bool gql__v_types_overlap(const gql__vctx_t *c, const gql_schema_type_t *a,
                          const gql_schema_type_t *b);
/* graphql-js schema.isSubType(abstract, maybeSub). */
bool gql__v_is_possible(const gql__vctx_t *c, const gql_schema_type_t *abstract,
                        const gql_schema_type_t *t);

/* Text for messages, NUL-terminated in the arena ("" on LC_ENOMEM): a type reference
 * (inspect(type)), an AST type (print(typeNode)), a value (print(valueNode)). */
const char *gql__v_type_str(gql__vctx_t *c, const gql_schema_type_t *t);
const char *gql__v_ast_type_str(gql__vctx_t *c, const gql_type_t *t);
const char *gql__v_value_str(gql__vctx_t *c, const gql_value_t *v);

/* ---- Suggestions (validate_util.c) -------------------------------------------------------- */

/* graphql-js suggestionList(input, options): the options within a lexical distance of input,
 * closest first, then in naturalCompare order. Writes up to `cap` of them to out; returns how
 * many were written. */
uint32_t gql__v_suggest(gql__vctx_t *c, lc_str_t input, const lc_str_t *options, uint32_t n,
                        lc_str_t *out, uint32_t cap);
/* graphql-js didYouMean([sub,] suggestions): appends " Did you mean <sub> "A", "B", or "C"?"
 * to b (nothing for none). sub may be NULL. */
void gql__v_did_you_mean(lc_buf_t *b, const char *sub, const lc_str_t *s, uint32_t n);
/* Groups equal names: first[i] is the index of the first name equal to names[i], next[i] the
 * index of the next one (UINT32_MAX at the end). Arena arrays; false on LC_ENOMEM. */
bool gql__v_dup_groups(gql__vctx_t *c, const lc_str_t *names, uint32_t n, uint32_t **first,
                       uint32_t **next);
/* graphql-js naturalCompare. */
int gql__v_natural_compare(lc_str_t a, lc_str_t b);

/* ---- Document index (validate_fragments.c) ------------------------------------------------ */

/* Indexes the fragments (names, last definitions, type conditions). */
void gql__v_index_fragments(gql__vctx_t *c);
/* The fragment named `name`, or NULL (graphql-js getFragment). */
gql__vfrag_t *gql__v_fragment(const gql__vctx_t *c, lc_str_t name);
/* graphql-js getFragmentSpreads(selectionSet): the spreads, nested ones included, in its
 * order. The fragment's list is cached. Returns false on LC_ENOMEM. */
bool gql__v_fragment_spreads(gql__vctx_t *c, gql__vfrag_t *f);
bool gql__v_spreads_of(gql__vctx_t *c, const gql_selection_set_t *ss, gql__vvec_t *out);
/* graphql-js getRecursivelyReferencedFragmentsForOperations (16.15): the fragments the
 * operations spread, directly or not, breadth first from their spreads in order; cached by the
 * set of names the operations spread, whatever their order, as graphql-js's SetMap. Metered by
 * the fragment work budget. NULL when the budget ran out or on LC_ENOMEM. */
struct gql__vrefs {
    uint32_t *ids; /* sorted ids of the names spread (gql__v_name_id) */
    uint32_t nids;
    gql__vfrag_t **frags; /* the fragments, in graphql-js's order */
    uint32_t nfrags;
    /* the fragments' variable usages one after another (getRecursiveVariableUsages caches
     * them by this list) */
    gql__vusage_t *usages;
    uint32_t nusages;
    bool usages_done;
    struct gql__vrefs *next;
};
gql__vrefs_t *gql__v_referenced_fragments(gql__vctx_t *c,
                                          const gql_operation_definition_t *const *ops,
                                          uint32_t nops);
/* graphql-js getRecursiveVariableUsages: the operation's own usages, then its fragments'
 * (into out). Metered; false when the budget ran out or on LC_ENOMEM. */
bool gql__v_recursive_usages(gql__vctx_t *c, const gql_operation_definition_t *op,
                             gql__vvec_t *out);
/* A name spread: the fragment's index when defined, else an id past them (the same for the
 * same name). UINT32_MAX on LC_ENOMEM. */
uint32_t gql__v_name_id(gql__vctx_t *c, lc_str_t name);
/* graphql-js spendFragmentWork (16.15): a budget of 50000 for following fragments; past it,
 * validation is aborted. */
bool gql__v_spend_fragment_work(gql__vctx_t *c, uint32_t cost);

/* ---- The walk (validate.c) ---------------------------------------------------------------- */

/* Walks a definition only to collect its variable usages into *out (the TypeInfo is saved
 * and restored around it). */
void gql__v_collect_usages(gql__vctx_t *c, const gql_definition_t *def, gql__vvec_t *out);

/* ---- Rules ---------------------------------------------------------------------------------- */

/* validate_rules.c: rules at one node. */
void gql__vr_executable_definitions(gql__vctx_t *c);
void gql__vr_unique_operation_name(gql__vctx_t *c, const gql_operation_definition_t *op,
                                   uint32_t index);
void gql__vr_lone_anonymous_operation(gql__vctx_t *c, const gql_operation_definition_t *op);
void gql__vr_known_type_name(gql__vctx_t *c, const gql_type_t *named, bool sdl);
void gql__vr_inline_fragment_composite(gql__vctx_t *c, const gql_inline_fragment_t *f);
void gql__vr_fragment_composite(gql__vctx_t *c, const gql_fragment_definition_t *f);
void gql__vr_variable_input_type(gql__vctx_t *c, const gql_variable_definition_t *v);
void gql__vr_scalar_leafs(gql__vctx_t *c, const gql_field_t *f);
void gql__vr_field_on_correct_type(gql__vctx_t *c, const gql_field_t *f);
void gql__vr_unique_fragment_name(gql__vctx_t *c, const gql_fragment_definition_t *f,
                                  uint32_t index);
void gql__vr_known_fragment_name(gql__vctx_t *c, const gql_fragment_spread_t *s);
void gql__vr_possible_inline_spread(gql__vctx_t *c, const gql_inline_fragment_t *f);
void gql__vr_possible_fragment_spread(gql__vctx_t *c, const gql_fragment_spread_t *s);
/* Directive locations for KnownDirectives: the bit, and graphql-js's name of it. */
void gql__vr_known_directive(gql__vctx_t *c, const gql_directive_t *d, uint32_t loc_bit,
                             const char *loc_name);
/* `scope` names the shared set of an SDL type (its name) or the schema ("" ); {NULL,0} for a
 * node of its own. */
void gql__vr_unique_directives(gql__vctx_t *c, const gql_directive_list_t *dirs, lc_str_t scope,
                               bool schema_scope);
void gql__vr_known_field_argument(gql__vctx_t *c, const gql_argument_t *a);
void gql__vr_known_directive_arguments(gql__vctx_t *c, const gql_directive_t *d);
void gql__vr_unique_arguments(gql__vctx_t *c, const gql_argument_list_t *args);
void gql__vr_required_field_arguments(gql__vctx_t *c, const gql_field_t *f);
void gql__vr_required_directive_arguments(gql__vctx_t *c, const gql_directive_t *d);

/* validate_values.c: ValuesOfCorrectType (the list/object hooks return true to skip the
 * value's children, as graphql-js's visitor returning false) and UniqueInputFieldNames. */
bool gql__vr_value_list(gql__vctx_t *c, const gql_value_t *v);
bool gql__vr_value_object(gql__vctx_t *c, const gql_value_t *v);
void gql__vr_value_object_field(gql__vctx_t *c, const gql_object_field_t *f);
void gql__vr_value_null(gql__vctx_t *c, const gql_value_t *v);
void gql__vr_value_leaf(gql__vctx_t *c, const gql_value_t *v);
/* For each field of an object value: the index of the first earlier field of the same name,
 * or UINT32_MAX; NULL on LC_ENOMEM. */
uint32_t *gql__vr_input_field_dups(gql__vctx_t *c, const gql_value_t *obj);
void gql__vr_unique_input_field(gql__vctx_t *c, const gql_value_t *obj, uint32_t i,
                                const uint32_t *dups);

/* validate_vars.c */
void gql__vr_unique_variable_names(gql__vctx_t *c, const gql_operation_definition_t *op);
/* NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition at the operation's
 * leave. */
void gql__vr_operation_leave(gql__vctx_t *c, const gql_operation_definition_t *op);

/* validate_fragments.c */
void gql__vr_no_fragment_cycles(gql__vctx_t *c, const gql_fragment_definition_t *f);
void gql__vr_no_unused_fragments(gql__vctx_t *c);
void gql__vr_single_field_subscription(gql__vctx_t *c, const gql_operation_definition_t *op);
/* Returns true when the rule reported (and skips the field's subtree). */
bool gql__vr_max_introspection_depth(gql__vctx_t *c, const gql_field_t *f);

/* validate_overlap.c */
/* `in_inline`: the selection set is an inline fragment's (graphql-js 16.15 leaves those to the
 * enclosing one). */
void gql__vr_overlapping_fields(gql__vctx_t *c, const gql_selection_set_t *ss, bool in_inline);

#endif
