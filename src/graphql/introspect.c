/* SPDX-License-Identifier: MIT */
/* Introspection (Oct 2021 §4): the meta fields __schema and __type on the query root and every
 * field of __Schema, __Type, __Field, __InputValue, __EnumValue and __Directive, resolved over
 * the schema structs of gql/schema.h. The executor plans these fields like any other and calls
 * here instead of a bound resolver; values are GQL_VAL_OBJECTs pointing at schema elements. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "exec_int.h"
#include "gql/print.h"
#include "graphql_int.h"

enum {
    I_NONE,
    I_META_SCHEMA,
    I_META_TYPE,
    I_S_DESCRIPTION,
    I_S_TYPES,
    I_S_QUERY,
    I_S_MUTATION,
    I_S_SUBSCRIPTION,
    I_S_DIRECTIVES,
    I_T_KIND,
    I_T_NAME,
    I_T_DESCRIPTION,
    I_T_SPECIFIED_BY,
    I_T_FIELDS,
    I_T_INTERFACES,
    I_T_POSSIBLE,
    I_T_ENUM_VALUES,
    I_T_INPUT_FIELDS,
    I_T_OF_TYPE,
    I_F_NAME,
    I_F_DESCRIPTION,
    I_F_ARGS,
    I_F_TYPE,
    I_F_IS_DEPRECATED,
    I_F_DEPRECATION_REASON,
    I_IV_NAME,
    I_IV_DESCRIPTION,
    I_IV_TYPE,
    I_IV_DEFAULT,
    I_IV_IS_DEPRECATED,
    I_IV_DEPRECATION_REASON,
    I_EV_NAME,
    I_EV_DESCRIPTION,
    I_EV_IS_DEPRECATED,
    I_EV_DEPRECATION_REASON,
    I_D_NAME,
    I_D_DESCRIPTION,
    I_D_IS_REPEATABLE,
    I_D_LOCATIONS,
    I_D_ARGS,
};

static const struct {
    const char *type, *field;
    uint16_t id;
} fields[] = {
    {"__Schema", "description", I_S_DESCRIPTION},
    {"__Schema", "types", I_S_TYPES},
    {"__Schema", "queryType", I_S_QUERY},
    {"__Schema", "mutationType", I_S_MUTATION},
    {"__Schema", "subscriptionType", I_S_SUBSCRIPTION},
    {"__Schema", "directives", I_S_DIRECTIVES},
    {"__Type", "kind", I_T_KIND},
    {"__Type", "name", I_T_NAME},
    {"__Type", "description", I_T_DESCRIPTION},
    {"__Type", "specifiedByURL", I_T_SPECIFIED_BY},
    {"__Type", "fields", I_T_FIELDS},
    {"__Type", "interfaces", I_T_INTERFACES},
    {"__Type", "possibleTypes", I_T_POSSIBLE},
    {"__Type", "enumValues", I_T_ENUM_VALUES},
    {"__Type", "inputFields", I_T_INPUT_FIELDS},
    {"__Type", "ofType", I_T_OF_TYPE},
    {"__Field", "name", I_F_NAME},
    {"__Field", "description", I_F_DESCRIPTION},
    {"__Field", "args", I_F_ARGS},
    {"__Field", "type", I_F_TYPE},
    {"__Field", "isDeprecated", I_F_IS_DEPRECATED},
    {"__Field", "deprecationReason", I_F_DEPRECATION_REASON},
    {"__InputValue", "name", I_IV_NAME},
    {"__InputValue", "description", I_IV_DESCRIPTION},
    {"__InputValue", "type", I_IV_TYPE},
    {"__InputValue", "defaultValue", I_IV_DEFAULT},
    {"__InputValue", "isDeprecated", I_IV_IS_DEPRECATED},
    {"__InputValue", "deprecationReason", I_IV_DEPRECATION_REASON},
    {"__EnumValue", "name", I_EV_NAME},
    {"__EnumValue", "description", I_EV_DESCRIPTION},
    {"__EnumValue", "isDeprecated", I_EV_IS_DEPRECATED},
    {"__EnumValue", "deprecationReason", I_EV_DEPRECATION_REASON},
    {"__Directive", "name", I_D_NAME},
    {"__Directive", "description", I_D_DESCRIPTION},
    {"__Directive", "isRepeatable", I_D_IS_REPEATABLE},
    {"__Directive", "locations", I_D_LOCATIONS},
    {"__Directive", "args", I_D_ARGS},
};

uint16_t gql__introspect_field_id(const gql_schema_t *s, const gql_schema_type_t *type,
                                  lc_str_t name) {
    if (type == s->query) {
        if (lc_str_eq(name, LC_STR("__schema")))
            return I_META_SCHEMA;
        if (lc_str_eq(name, LC_STR("__type")))
            return I_META_TYPE;
        return I_NONE;
    }
    if (!type->builtin || type->name.len < 2 || memcmp(type->name.ptr, "__", 2) != 0)
        return I_NONE;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (lc_str_eq_cstr(type->name, fields[i].type) && lc_str_eq_cstr(name, fields[i].field))
            return fields[i].id;
    return I_NONE;
}

static gql_val_t str_or_null(lc_str_t s) {
    return s.ptr ? gql_val_str(s) : gql_val_null();
}

static gql_val_t obj(const void *p) {
    return p ? gql_val_object(p, NULL) : gql_val_null();
}

static bool flag(const gql_val_t *args, uint32_t i) {
    return args && args[i].kind == GQL_VAL_BOOL && args[i].b;
}

/* A list of GQL_VAL_OBJECTs over n elements of `stride` bytes at base (or an array of pointers
 * when stride is 0), keeping those not deprecated unless include_deprecated. */
static int list_of(lc_arena_t *a, const void *base, size_t stride, uint32_t n,
                   size_t deprecated_offset, bool include_deprecated, gql_val_t *out) {
    gql_val_t *items = lc_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *items);
    if (!items)
        return LC_ENOMEM;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        const void *e = stride ? (const char *)base + i * stride : ((const void *const *)base)[i];
        if (!include_deprecated && deprecated_offset != SIZE_MAX &&
            *(const bool *)((const char *)e + deprecated_offset))
            continue;
        items[k++] = gql_val_object(e, NULL);
    }
    *out = gql_val_list(items, k);
    return LC_OK;
}

/* ---- defaultValue: graphql-js print(astFromValue(coerced default, type)) ------------------ */

static void js_number(lc_buf_t *b, double d) {
    lc_buf_t tmp;
    char mem[40];
    lc_buf_init_fixed(&tmp, mem, sizeof mem);
    gql_val_t v = gql_val_float(d);
    gql__inspect(&tmp, &v); /* JavaScript's String(number) */
    lc_buf_append(b, tmp.data, tmp.len);
}

static bool is_int_text(lc_str_t s) {
    size_t i = s.len && s.ptr[0] == '-';
    if (i == s.len)
        return false;
    if (s.ptr[i] == '0')
        return i + 1 == s.len;
    for (; i < s.len; i++)
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
    return true;
}

/* astFromValue: 1 written; 0 no literal (an absent value: a list or object leaves it out); -1
 * a value that cannot be a literal (an object or list for a custom scalar: graphql-js then
 * fails the whole defaultValue, which shows null). */
static int print_default(lc_buf_t *b, const gql_val_t *v, const gql_schema_type_t *t) {
    if (t->kind == GQL_TK_NON_NULL)
        return v->kind == GQL_VAL_NULL ? 0 : print_default(b, v, t->of_type);
    if (v->kind == GQL_VAL_UNDEFINED)
        return 0;
    if (v->kind == GQL_VAL_NULL) {
        lc_buf_append_cstr(b, "null");
        return 1;
    }
    switch (t->kind) {
    case GQL_TK_LIST: {
        if (v->kind != GQL_VAL_LIST)
            return print_default(b, v, t->of_type);
        lc_buf_putc(b, '[');
        bool first = true;
        for (uint32_t i = 0; i < v->count; i++) {
            size_t mark = b->len;
            if (!first)
                lc_buf_append(b, ", ", 2);
            int rc = print_default(b, &v->items[i], t->of_type);
            if (rc < 0)
                return rc;
            if (rc > 0)
                first = false;
            else
                b->len = mark;
        }
        lc_buf_putc(b, ']');
        return 1;
    }
    case GQL_TK_INPUT_OBJECT: {
        if (v->kind != GQL_VAL_MAP)
            return 0;
        lc_buf_putc(b, '{');
        bool first = true;
        for (uint32_t i = 0; i < t->ninput_fields; i++) {
            const gql_schema_input_value_t *f = &t->input_fields[i];
            const gql_val_t *fv = gql_val_get(v, f->name);
            if (!fv)
                continue;
            size_t mark = b->len;
            if (!first)
                lc_buf_append(b, ", ", 2);
            lc_buf_append_str(b, f->name);
            lc_buf_append(b, ": ", 2);
            int rc = print_default(b, fv, f->type);
            if (rc < 0)
                return rc;
            if (rc > 0)
                first = false;
            else
                b->len = mark;
        }
        lc_buf_putc(b, '}');
        return 1;
    }
    case GQL_TK_ENUM:
        if (v->kind != GQL_VAL_ENUM && v->kind != GQL_VAL_STRING)
            return 0;
        lc_buf_append_str(b, v->s);
        return 1;
    case GQL_TK_SCALAR:
        switch (v->kind) {
        case GQL_VAL_BOOL:
            lc_buf_append_cstr(b, v->b ? "true" : "false");
            return 1;
        case GQL_VAL_INT:
            lc_buf_append_i64(b, v->i);
            return 1;
        case GQL_VAL_FLOAT:
            js_number(b, v->f);
            return 1;
        case GQL_VAL_STRING:
        case GQL_VAL_ENUM:
            /* An ID that reads as an integer is written as one. */
            if (t->builtin && lc_str_eq(t->name, LC_STR("ID")) && is_int_text(v->s))
                lc_buf_append_str(b, v->s);
            else
                gql_print_string(b, v->s);
            return 1;
        default:
            return -1;
        }
    default:
        return -1;
    }
}

static int default_value(const gql_schema_t *s, lc_arena_t *a, const gql_schema_input_value_t *iv,
                         gql_val_t *out) {
    lc_buf_t b;
    lc_buf_init(&b, a, 32, 0);
    gql_val_t v;
    gql__vars_t none = {NULL, NULL};
    int rc = gql__value_from_ast(a, s, &none, iv->default_value, iv->type, &v);
    if (rc == LC_ENOMEM)
        return rc;
    if (rc != LC_OK) {
        gql_print_value(&b, iv->default_value); /* not coercible: the literal as written */
    } else if (print_default(&b, &v, iv->type) <= 0) {
        *out = gql_val_null();
        return LC_OK;
    }
    if (b.err)
        return LC_ENOMEM;
    *out = gql_val_str(lc_buf_str(&b));
    return LC_OK;
}

/* An interface's implementations in the order of their definitions, as graphql-js lists them
 * (the schema keeps them sorted by name). */
static int implementations(lc_arena_t *a, const gql_schema_type_t *t, gql_val_t *out) {
    int rc = list_of(a, t->possible_types, 0, t->npossible, SIZE_MAX, true, out);
    if (rc != LC_OK)
        return rc;
    gql_val_t *items = (gql_val_t *)out->items;
    for (uint32_t i = 1; i < out->count; i++) {
        gql_val_t v = items[i];
        const gql_schema_type_t *vt = v.obj.ptr;
        uint32_t key = vt->ast ? vt->ast->loc.offset : UINT32_MAX;
        uint32_t k = i;
        for (; k > 0; k--) {
            const gql_schema_type_t *pt = items[k - 1].obj.ptr;
            if ((pt->ast ? pt->ast->loc.offset : UINT32_MAX) <= key)
                break;
            items[k] = items[k - 1];
        }
        items[k] = v;
    }
    return LC_OK;
}

int gql__introspect_resolve(const gql_schema_t *s, lc_arena_t *a, uint16_t id,
                            const gql_val_t *parent, const gql_val_t *args, gql_val_t *out) {
    const void *p = parent->kind == GQL_VAL_OBJECT ? parent->obj.ptr : NULL;
    const gql_schema_type_t *t = p;
    const gql_schema_field_t *f = p;
    const gql_schema_input_value_t *iv = p;
    const gql_schema_enum_value_t *ev = p;
    const gql_schema_directive_t *d = p;
    *out = gql_val_null();
    if (!p && id != I_META_SCHEMA && id != I_META_TYPE)
        return LC_OK;
    switch (id) {
    case I_META_SCHEMA:
        *out = gql_val_object(s, NULL);
        break;
    case I_META_TYPE:
        if (args && args[0].kind == GQL_VAL_STRING)
            *out = obj(gql_schema_find_type(s, args[0].s));
        break;
    case I_S_DESCRIPTION:
        *out = str_or_null(s->description);
        break;
    case I_S_TYPES:
        return list_of(a, s->types, 0, s->ntypes, SIZE_MAX, true, out);
    case I_S_QUERY:
        *out = obj(s->query);
        break;
    case I_S_MUTATION:
        *out = obj(s->mutation);
        break;
    case I_S_SUBSCRIPTION:
        *out = obj(s->subscription);
        break;
    case I_S_DIRECTIVES: {
        /* graphql-js lists the schema's own directives first, then the specified ones. */
        gql_val_t *items = lc_arena_alloc(a, (size_t)(s->ndirectives + 1) * sizeof *items);
        if (!items)
            return LC_ENOMEM;
        uint32_t k = 0;
        for (int pass = 0; pass < 2; pass++)
            for (uint32_t i = 0; i < s->ndirectives; i++)
                if (s->directives[i]->builtin == (pass == 1))
                    items[k++] = gql_val_object(s->directives[i], NULL);
        *out = gql_val_list(items, k);
        break;
    }
    case I_T_KIND:
        *out = gql_val_enum(lc_str_from(gql_type_kind_name(t->kind)));
        break;
    case I_T_NAME:
        *out = str_or_null(t->name);
        break;
    case I_T_DESCRIPTION:
        *out = str_or_null(t->description);
        break;
    case I_T_SPECIFIED_BY:
        if (t->kind == GQL_TK_SCALAR)
            *out = str_or_null(t->specified_by_url);
        break;
    case I_T_FIELDS:
        if (t->kind == GQL_TK_OBJECT || t->kind == GQL_TK_INTERFACE)
            return list_of(a, t->fields, sizeof *t->fields, t->nfields,
                           offsetof(gql_schema_field_t, deprecated), flag(args, 0), out);
        break;
    case I_T_INTERFACES:
        if (t->kind == GQL_TK_OBJECT || t->kind == GQL_TK_INTERFACE)
            return list_of(a, t->interfaces, 0, t->ninterfaces, SIZE_MAX, true, out);
        break;
    case I_T_POSSIBLE:
        if (t->kind == GQL_TK_UNION)
            return list_of(a, t->possible_types, 0, t->npossible, SIZE_MAX, true, out);
        if (t->kind == GQL_TK_INTERFACE)
            return implementations(a, t, out);
        break;
    case I_T_ENUM_VALUES:
        if (t->kind == GQL_TK_ENUM)
            return list_of(a, t->values, sizeof *t->values, t->nvalues,
                           offsetof(gql_schema_enum_value_t, deprecated), flag(args, 0), out);
        break;
    case I_T_INPUT_FIELDS:
        if (t->kind == GQL_TK_INPUT_OBJECT)
            return list_of(a, t->input_fields, sizeof *t->input_fields, t->ninput_fields,
                           offsetof(gql_schema_input_value_t, deprecated), flag(args, 0), out);
        break;
    case I_T_OF_TYPE:
        if (t->kind == GQL_TK_LIST || t->kind == GQL_TK_NON_NULL)
            *out = obj(t->of_type);
        break;
    case I_F_NAME:
        *out = gql_val_str(f->name);
        break;
    case I_F_DESCRIPTION:
        *out = str_or_null(f->description);
        break;
    case I_F_ARGS:
        return list_of(a, f->args, sizeof *f->args, f->nargs,
                       offsetof(gql_schema_input_value_t, deprecated), flag(args, 0), out);
    case I_F_TYPE:
        *out = obj(f->type);
        break;
    case I_F_IS_DEPRECATED:
        *out = gql_val_bool(f->deprecated);
        break;
    case I_F_DEPRECATION_REASON:
        if (f->deprecated)
            *out = str_or_null(f->deprecation_reason);
        break;
    case I_IV_NAME:
        *out = gql_val_str(iv->name);
        break;
    case I_IV_DESCRIPTION:
        *out = str_or_null(iv->description);
        break;
    case I_IV_TYPE:
        *out = obj(iv->type);
        break;
    case I_IV_DEFAULT:
        if (iv->default_value)
            return default_value(s, a, iv, out);
        break;
    case I_IV_IS_DEPRECATED:
        *out = gql_val_bool(iv->deprecated);
        break;
    case I_IV_DEPRECATION_REASON:
        if (iv->deprecated)
            *out = str_or_null(iv->deprecation_reason);
        break;
    case I_EV_NAME:
        *out = gql_val_str(ev->name);
        break;
    case I_EV_DESCRIPTION:
        *out = str_or_null(ev->description);
        break;
    case I_EV_IS_DEPRECATED:
        *out = gql_val_bool(ev->deprecated);
        break;
    case I_EV_DEPRECATION_REASON:
        if (ev->deprecated)
            *out = str_or_null(ev->deprecation_reason);
        break;
    case I_D_NAME:
        *out = gql_val_str(d->name);
        break;
    case I_D_DESCRIPTION:
        *out = str_or_null(d->description);
        break;
    case I_D_IS_REPEATABLE:
        *out = gql_val_bool(d->repeatable);
        break;
    case I_D_LOCATIONS: {
        /* In the order the definition lists them (graphql-js; the spec's own definitions). */
        gql_val_t *items = lc_arena_alloc(a, (size_t)(d->nlocations + 1) * sizeof *items);
        if (!items)
            return LC_ENOMEM;
        uint32_t k = 0;
        for (uint32_t i = 0; i < d->nlocations; i++) {
            uint32_t bit = d->location_list[i];
            for (uint32_t j = 0; j < GQL__NLOCATIONS; j++)
                if (bit == 1u << j)
                    items[k++] = gql_val_enum(lc_str_from(gql__location_names[j]));
        }
        *out = gql_val_list(items, k);
        break;
    }
    case I_D_ARGS:
        return list_of(a, d->args, sizeof *d->args, d->nargs,
                       offsetof(gql_schema_input_value_t, deprecated), flag(args, 0), out);
    default:
        break;
    }
    return LC_OK;
}
