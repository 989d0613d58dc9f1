/* SPDX-License-Identifier: MIT */
/* Literal values (Oct 2021 §5.6): ValuesOfCorrectType (§5.6.1, with input object fields known
 * §5.6.2 and required fields present §5.6.4) and UniqueInputFieldNames (§5.6.3). A literal is
 * checked against the input type TypeInfo expects where it stands, with graphql-js's messages:
 * the built-in scalars' parseLiteral errors, enum values with suggestions, and a custom
 * scalar's own parse hook when it has one (graphql-js calls parseLiteral here too). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gql/value.h"
#include "validate_int.h"

#define S(x) (int)(x).len, (x).ptr

static void expected(gql__vctx_t *c, const gql_value_t *v, const gql_schema_type_t *t) {
    gql__v_report(c, &v->loc, 1, "Expected value of type \"%s\", found %s.", gql__v_type_str(c, t),
                  gql__v_value_str(c, v));
}

/* ---- Enums ----------------------------------------------------------------------------------- */

static void enum_literal(gql__vctx_t *c, const gql_schema_type_t *e, const gql_value_t *v) {
    lc_str_t sugg[5];
    lc_buf_t b;

    if (v->kind == GQL_ENUM_VALUE) {
        for (uint32_t i = 0; i < e->nvalues; i++)
            if (lc_str_eq(e->values[i].name, v->name))
                return;
    }
    const char *vs = gql__v_value_str(c, v);
    lc_str_t *names = gql__v_alloc(c, (size_t)(e->nvalues ? e->nvalues : 1) * sizeof *names);
    if (!names)
        return;
    for (uint32_t i = 0; i < e->nvalues; i++)
        names[i] = e->values[i].name;
    uint32_t ns = gql__v_suggest(c, lc_str_from(vs), names, e->nvalues, sugg, 5);
    gql__v_buf_init(c, &b);
    if (v->kind != GQL_ENUM_VALUE)
        lc_buf_printf(&b, "Enum \"%.*s\" cannot represent non-enum value: %s.", S(e->name), vs);
    else
        lc_buf_printf(&b, "Value \"%s\" does not exist in \"%.*s\" enum.", vs, S(e->name));
    gql__v_did_you_mean(&b, "the enum value", sugg, ns);
    const char *msg = gql__v_buf_cstr(c, &b);
    if (msg)
        gql__v_report(c, &v->loc, 1, "%s", msg);
}

/* ---- Built-in scalars (§3.5.1 - §3.5.5), as graphql-js's parseLiteral ------------------------ */

/* An Int lexeme within 32 bits. Int lexemes have no leading zeros (§2.9.1). */
static bool int32_lexeme(lc_str_t s) {
    size_t i = 0;
    bool neg = false;
    int64_t v = 0;
    if (i < s.len && s.ptr[i] == '-')
        neg = true, i++;
    if (s.len - i > 10)
        return false;
    for (; i < s.len; i++)
        v = v * 10 + (s.ptr[i] - '0');
    return neg ? v <= 2147483648ll : v <= 2147483647ll;
}

static bool builtin_literal(gql__vctx_t *c, const gql_schema_type_t *t, const gql_value_t *v) {
    lc_str_t n = t->name;
    const char *what = NULL;

    if (lc_str_eq_cstr(n, "Int")) {
        if (v->kind == GQL_INT_VALUE) {
            if (!int32_lexeme(v->lexeme))
                gql__v_report(c, &v->loc, 1,
                              "Int cannot represent non 32-bit signed integer value: %.*s",
                              S(v->lexeme));
            return true;
        }
        what = "Int cannot represent non-integer value: ";
    } else if (lc_str_eq_cstr(n, "Float")) {
        if (v->kind == GQL_INT_VALUE || v->kind == GQL_FLOAT_VALUE)
            return true;
        what = "Float cannot represent non numeric value: ";
    } else if (lc_str_eq_cstr(n, "String")) {
        if (v->kind == GQL_STRING_VALUE)
            return true;
        what = "String cannot represent a non string value: ";
    } else if (lc_str_eq_cstr(n, "Boolean")) {
        if (v->kind == GQL_BOOLEAN_VALUE)
            return true;
        what = "Boolean cannot represent a non boolean value: ";
    } else if (lc_str_eq_cstr(n, "ID")) {
        if (v->kind == GQL_STRING_VALUE || v->kind == GQL_INT_VALUE)
            return true;
        what = "ID cannot represent a non-string and non-integer value: ";
    } else {
        return false;
    }
    gql__v_report(c, &v->loc, 1, "%s%s", what, gql__v_value_str(c, v));
    return true;
}

/* ---- Custom scalars ---------------------------------------------------------------------------
 */

/* graphql-js valueFromASTUntyped for a literal without variables; false when it has one (the
 * scalar is then not asked: graphql-js passes no variables at validation). */
static bool untyped(gql__vctx_t *c, const gql_value_t *v, gql_val_t *out) {
    switch (v->kind) {
    case GQL_INT_VALUE:
    case GQL_FLOAT_VALUE: {
        char buf[32];
        if (v->kind == GQL_INT_VALUE && v->lexeme.len < sizeof buf) {
            memcpy(buf, v->lexeme.ptr, v->lexeme.len);
            buf[v->lexeme.len] = '\0';
            char *end;
            long long x = strtoll(buf, &end, 10);
            if (*end == '\0' && x != LLONG_MAX && x != LLONG_MIN) {
                *out = gql_val_int(x);
                return true;
            }
        }
        /* a float, or an Int too large for 64 bits (a float in JavaScript too) */
        char *fbuf = gql__v_alloc(c, v->lexeme.len + 1);
        if (!fbuf)
            return false;
        memcpy(fbuf, v->lexeme.ptr, v->lexeme.len);
        fbuf[v->lexeme.len] = '\0';
        *out = gql_val_float(strtod(fbuf, NULL));
        return true;
    }
    case GQL_STRING_VALUE:
        *out = gql_val_str(v->string.value);
        return true;
    case GQL_BOOLEAN_VALUE:
        *out = gql_val_bool(v->boolean);
        return true;
    case GQL_NULL_VALUE:
        *out = gql_val_null();
        return true;
    case GQL_ENUM_VALUE:
        *out = gql_val_str(v->name);
        return true;
    case GQL_LIST_VALUE: {
        gql_val_t *items = gql__v_alloc(c, (size_t)v->list.count * sizeof *items);
        if (!items)
            return false;
        for (uint32_t i = 0; i < v->list.count; i++)
            if (!untyped(c, v->list.items[i], &items[i]))
                return false;
        *out = gql_val_list(items, v->list.count);
        return true;
    }
    case GQL_OBJECT_VALUE: {
        gql_prop_t *props = gql__v_alloc(c, (size_t)v->object.count * sizeof *props);
        if (!props)
            return false;
        for (uint32_t i = 0; i < v->object.count; i++) {
            props[i].name = v->object.items[i]->name;
            if (!untyped(c, v->object.items[i]->value, &props[i].value))
                return false;
        }
        *out = gql_val_map(props, v->object.count);
        return true;
    }
    default:
        return false;
    }
}

static void custom_literal(gql__vctx_t *c, const gql_schema_type_t *t,
                           const gql_schema_type_t *loc_type, const gql_value_t *v) {
    gql_val_t in, out;
    const char *why = NULL;
    if (!t->parse || !untyped(c, v, &in))
        return;
    if (t->parse(t->scalar_ctx, c->arena, &in, &out, &why) == LC_OK)
        return;
    if (why)
        gql__v_report(c, &v->loc, 1, "Expected value of type \"%s\", found %s; %s",
                      gql__v_type_str(c, loc_type), gql__v_value_str(c, v), why);
    else
        expected(c, v, loc_type);
}

/* graphql-js isValidValueNode: a literal against the leaf type expected here. */
static void valid_value_node(gql__vctx_t *c, const gql_value_t *v) {
    const gql_schema_type_t *loc_type = c->ti.input_type;
    if (!loc_type)
        return;
    const gql_schema_type_t *t = gql_type_named(loc_type);
    if (!gql__v_is_leaf(t)) {
        expected(c, v, loc_type);
        return;
    }
    if (t->kind == GQL_TK_ENUM)
        enum_literal(c, t, v);
    else if (!(t->builtin && builtin_literal(c, t, v)))
        custom_literal(c, t, loc_type, v);
}

/* ---- §5.6.1 Values of Correct Type ------------------------------------------------------------
 */

bool gql__vr_value_list(gql__vctx_t *c, const gql_value_t *v) {
    /* TypeInfo already steps into the item type: the list's own type is the parent's. */
    const gql_schema_type_t *t = gql__v_nullable(c->ti.parent_input_type);
    if (t && t->kind == GQL_TK_LIST)
        return false;
    valid_value_node(c, v);
    return true;
}

bool gql__vr_value_object(gql__vctx_t *c, const gql_value_t *v) {
    const gql_schema_type_t *t = gql_type_named(c->ti.input_type);
    if (!t || t->kind != GQL_TK_INPUT_OBJECT) {
        valid_value_node(c, v);
        return true;
    }
    /* §5.6.4 Input Object Required Fields */
    for (uint32_t i = 0; i < t->ninput_fields && !gql__v_stop(c); i++) {
        const gql_schema_input_value_t *f = &t->input_fields[i];
        if (f->type->kind != GQL_TK_NON_NULL || f->default_value)
            continue;
        bool present = false;
        for (uint32_t k = 0; k < v->object.count && !present; k++)
            present = lc_str_eq(v->object.items[k]->name, f->name);
        if (!present)
            gql__v_report(c, &v->loc, 1,
                          "Field \"%.*s.%.*s\" of required type \"%s\" was not provided.",
                          S(t->name), S(f->name), gql__v_type_str(c, f->type));
    }
    return false;
}

/* §5.6.2 Input Object Field Names */
void gql__vr_value_object_field(gql__vctx_t *c, const gql_object_field_t *f) {
    const gql_schema_type_t *parent = gql_type_named(c->ti.parent_input_type);
    lc_str_t sugg[5];
    lc_buf_t b;

    if (c->ti.input_type || !parent || parent->kind != GQL_TK_INPUT_OBJECT)
        return;
    uint32_t n = parent->ninput_fields;
    lc_str_t *names = gql__v_alloc(c, (size_t)(n ? n : 1) * sizeof *names);
    if (!names)
        return;
    for (uint32_t i = 0; i < n; i++)
        names[i] = parent->input_fields[i].name;
    uint32_t ns = gql__v_suggest(c, f->name, names, n, sugg, 5);
    gql__v_buf_init(c, &b);
    lc_buf_printf(&b, "Field \"%.*s\" is not defined by type \"%.*s\".", S(f->name),
                  S(parent->name));
    gql__v_did_you_mean(&b, NULL, sugg, ns);
    const char *msg = gql__v_buf_cstr(c, &b);
    if (msg)
        gql__v_report(c, &f->loc, 1, "%s", msg);
}

void gql__vr_value_null(gql__vctx_t *c, const gql_value_t *v) {
    const gql_schema_type_t *t = c->ti.input_type;
    if (t && t->kind == GQL_TK_NON_NULL)
        expected(c, v, t);
}

void gql__vr_value_leaf(gql__vctx_t *c, const gql_value_t *v) {
    valid_value_node(c, v);
}

/* ---- §5.6.3 Input Object Field Uniqueness ---------------------------------------------------- */

uint32_t *gql__vr_input_field_dups(gql__vctx_t *c, const gql_value_t *obj) {
    uint32_t n = obj->object.count, *first, *next;
    if (n < 2)
        return NULL;
    lc_str_t *names = gql__v_alloc(c, (size_t)n * sizeof *names);
    if (!names)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        names[i] = obj->object.items[i]->name;
    if (!gql__v_dup_groups(c, names, n, &first, &next))
        return NULL;
    return first;
}

void gql__vr_unique_input_field(gql__vctx_t *c, const gql_value_t *obj, uint32_t i,
                                const uint32_t *dups) {
    if (dups[i] == i)
        return;
    const gql_object_field_t *f = obj->object.items[i];
    gql_loc_t locs[2] = {obj->object.items[dups[i]]->loc, f->loc};
    gql__v_report(c, locs, 2, "There can be only one input field named \"%.*s\".", S(f->name));
}
