/* SPDX-License-Identifier: MIT */
/* Variables (Oct 2021 §5.8): unique names (§5.8.1), every use defined (§5.8.3), every
 * definition used (§5.8.4) and every use in an allowed position (§5.8.5). The last three read
 * an operation's variable usages, its own and those of every fragment it reaches, once the
 * operation has been walked (graphql-js's OperationDefinition leave). */
#include <string.h>

#include "validate_int.h"

#define S(x) (int)(x).len, (x).ptr

/* ---- §5.8.1 Variable Uniqueness ---------------------------------------------------------------
 */

void gql__vr_unique_variable_names(gql__vctx_t *c, const gql_operation_definition_t *op) {
    uint32_t n = op->variables.count, *first, *next;
    if (n < 2)
        return;
    lc_str_t *names = gql__v_alloc(c, (size_t)n * sizeof *names);
    if (!names)
        return;
    for (uint32_t i = 0; i < n; i++)
        names[i] = op->variables.items[i]->name;
    if (!gql__v_dup_groups(c, names, n, &first, &next))
        return;
    for (uint32_t i = 0; i < n && !gql__v_stop(c); i++) {
        if (first[i] != i || next[i] == UINT32_MAX)
            continue;
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t nl = 0;
        for (uint32_t k = i; k != UINT32_MAX && nl < GQL_DIAG_MAX_LOCATIONS; k = next[k]) {
            const gql_variable_definition_t *vd = op->variables.items[k];
            locs[nl++] = gql__v_name_loc(c, vd->name, vd->loc); /* the name, after '$' */
        }
        gql__v_report(c, locs, nl, "There can be only one variable named \"$%.*s\".", S(names[i]));
    }
}

/* ---- Usages -----------------------------------------------------------------------------------
 */

/* graphql-js allowedVariableUsage: a nullable variable may stand where a non-null value is
 * expected when it, or the position, has a default value (§5.8.5). */
static bool allowed_usage(gql__vctx_t *c, const gql_schema_type_t *var_type,
                          const gql_value_t *var_default, const gql_schema_type_t *loc_type,
                          bool loc_has_default) {
    if (loc_type->kind == GQL_TK_NON_NULL && var_type->kind != GQL_TK_NON_NULL) {
        bool var_has_default = var_default && var_default->kind != GQL_NULL_VALUE;
        if (!var_has_default && !loc_has_default)
            return false;
        return gql__v_is_subtype(c, var_type, loc_type->of_type);
    }
    return gql__v_is_subtype(c, var_type, loc_type);
}

void gql__vr_operation_leave(gql__vctx_t *c, const gql_operation_definition_t *op) {
    bool undefined_on = gql__v_on(c, GQL__RULE_BIT(NO_UNDEFINED_VARIABLES));
    bool unused_on = gql__v_on(c, GQL__RULE_BIT(NO_UNUSED_VARIABLES));
    bool position_on = gql__v_on(c, GQL__RULE_BIT(VARIABLES_IN_ALLOWED_POSITION));
    gql__vvec_t usages = {0};
    gql__vsmap_t defs = {0}, used = {0};
    bool added;

    /* graphql-js getRecursiveVariableUsages, asked (and metered) once for the three rules */
    if (!undefined_on && !unused_on && !position_on)
        return;
    if (!gql__v_recursive_usages(c, op, &usages))
        return;
    const gql__vusage_t *u = usages.items;

    /* name -> the last definition of that name (graphql-js keeps the last in its maps) */
    for (uint32_t i = 0; i < op->variables.count; i++) {
        gql__vsent_t *e = gql__vsmap_add(c, &defs, op->variables.items[i]->name, i, &added);
        if (!e)
            return;
        e->val = i;
    }

    /* §5.8.3 All Variable Uses Defined */
    for (uint32_t i = 0; undefined_on && i < usages.n && !gql__v_stop(c); i++) {
        if (gql__vsmap_find(c, &defs, u[i].var->name))
            continue;
        gql_loc_t locs[2] = {u[i].var->loc, op->loc};
        if (op->name.ptr)
            gql__v_report(c, locs, 2, "Variable \"$%.*s\" is not defined by operation \"%.*s\".",
                          S(u[i].var->name), S(op->name));
        else
            gql__v_report(c, locs, 2, "Variable \"$%.*s\" is not defined.", S(u[i].var->name));
    }

    /* §5.8.4 All Variables Used */
    if (unused_on) {
        for (uint32_t i = 0; i < usages.n; i++)
            if (!gql__vsmap_add(c, &used, u[i].var->name, 0, &added))
                return;
        for (uint32_t i = 0; i < op->variables.count && !gql__v_stop(c); i++) {
            const gql_variable_definition_t *vd = op->variables.items[i];
            if (gql__vsmap_find(c, &used, vd->name))
                continue;
            if (op->name.ptr)
                gql__v_report(c, &vd->loc, 1,
                              "Variable \"$%.*s\" is never used in operation \"%.*s\".",
                              S(vd->name), S(op->name));
            else
                gql__v_report(c, &vd->loc, 1, "Variable \"$%.*s\" is never used.", S(vd->name));
        }
    }

    /* §5.8.5 All Variable Usages Are Allowed */
    for (uint32_t i = 0; position_on && i < usages.n && !gql__v_stop(c); i++) {
        const gql__vsent_t *e = gql__vsmap_find(c, &defs, u[i].var->name);
        if (!e || !u[i].type)
            continue;
        const gql_variable_definition_t *vd = op->variables.items[e->val];
        const gql_schema_type_t *var_type = gql__v_type_from_ast(c, vd->type);
        if (!var_type || allowed_usage(c, var_type, vd->default_value, u[i].type, u[i].has_default))
            continue;
        gql_loc_t locs[2] = {vd->loc, u[i].var->loc};
        gql__v_report(
            c, locs, 2, "Variable \"$%.*s\" of type \"%s\" used in position expecting type \"%s\".",
            S(u[i].var->name), gql__v_type_str(c, var_type), gql__v_type_str(c, u[i].type));
    }
}
