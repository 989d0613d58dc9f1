/* SPDX-License-Identifier: MIT */
/* The type system's validation rules (Oct 2021 §3) over a built schema, with graphql-js 16's
 * validateSchema messages and locations: root operation types (§3.3.1), reserved names (§3.1),
 * fields and arguments of the right input/output kinds (§3.6), interface implementation
 * (§3.6.1 IsValidImplementation, incl. interfaces implementing interfaces, §3.7), union members
 * (§3.8), enum values (§3.9), input objects and their non-null cycles (§3.10.1), directive
 * definitions (§3.13), @deprecated only on optional inputs (§3.13.3), and default values valid
 * for their types (§3.6.1, §3.10; a simple form of §5.6.1 as graphql-js 17 does). Runs last in
 * gql_schema_build; every problem is reported, none stops the others. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gql/print.h"
#include "gql/schema.h"
#include "lectern/buf.h"
#include "schema_int.h"

#define TBUF 256

/* ---- Literals against input types (default values, directive arguments) -------------------- */

/* graphql-js print(valueNode) for messages; long values are cut with "...". */
static const char *value_str(const gql_value_t *v, char *buf, size_t cap) {
    lc_buf_t b;
    lc_buf_init_fixed(&b, buf, cap - 4);
    (void)gql_print_value(&b, v);
    size_t n = b.len;
    if (b.err != LC_OK) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

static void literal_error(gql__schema_builder_t *b, const gql_value_t *v, const char *prefix,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void literal_error(gql__schema_builder_t *b, const gql_value_t *v, const char *prefix,
                          const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gql__schema_error(b, &v->loc, 1, "%s%s", prefix, msg);
}

static void expected(gql__schema_builder_t *b, const gql_value_t *v, const gql_schema_type_t *t,
                     const char *prefix) {
    char tbuf[TBUF], vbuf[TBUF];
    literal_error(b, v, prefix, "Expected value of type \"%s\", found %s.",
                  gql__schema_type_str(t, tbuf, sizeof tbuf), value_str(v, vbuf, sizeof vbuf));
}

/* §3.5 input coercion of the built-in scalars, for literals. */
static void check_builtin_scalar(gql__schema_builder_t *b, const gql_value_t *v,
                                 const gql_schema_type_t *t, const char *prefix) {
    bool ok;
    if (lc_str_eq_cstr(t->name, "Int")) {
        int64_t n;
        if (v->kind != GQL_INT_VALUE) {
            ok = false;
        } else if (lc_str_to_i64(v->lexeme, INT32_MIN, INT32_MAX, &n) != LC_OK) {
            char vbuf[TBUF];
            value_str(v, vbuf, sizeof vbuf);
            literal_error(b, v, prefix,
                          "Expected value of type \"Int\", found %s; Int cannot represent non "
                          "32-bit signed integer value: %s",
                          vbuf, vbuf);
            return;
        } else {
            ok = true;
        }
    } else if (lc_str_eq_cstr(t->name, "Float")) {
        ok = v->kind == GQL_INT_VALUE || v->kind == GQL_FLOAT_VALUE;
    } else if (lc_str_eq_cstr(t->name, "String")) {
        ok = v->kind == GQL_STRING_VALUE;
    } else if (lc_str_eq_cstr(t->name, "Boolean")) {
        ok = v->kind == GQL_BOOLEAN_VALUE;
    } else if (lc_str_eq_cstr(t->name, "ID")) {
        ok = v->kind == GQL_STRING_VALUE || v->kind == GQL_INT_VALUE;
    } else {
        ok = true;
    }
    if (!ok)
        expected(b, v, t, prefix);
}

static void check_object_literal(gql__schema_builder_t *b, const gql_value_t *v,
                                 const gql_schema_type_t *t, const char *prefix) {
    char tbuf[TBUF];
    const gql_object_field_list_t *fl = &v->object;
    for (uint32_t i = 0; i < fl->count; i++) {
        const gql_object_field_t *of = fl->items[i];
        bool dup = false;
        for (uint32_t k = 0; k < i && !dup; k++) {
            if (lc_str_eq(fl->items[k]->name, of->name)) {
                /* §5.6.3 Input Object Field Uniqueness */
                gql_loc_t locs[2] = {fl->items[k]->loc, of->loc};
                gql__schema_error(b, locs, 2, "%sThere can be only one input field named \"%.*s\".",
                                  prefix, GQL__STR_ARG(of->name));
                dup = true;
            }
        }
        if (dup)
            continue;
        const gql_schema_input_value_t *def = NULL;
        for (uint32_t k = 0; k < t->ninput_fields && !def; k++)
            if (lc_str_eq(t->input_fields[k].name, of->name))
                def = &t->input_fields[k];
        if (!def) {
            /* §5.6.2 Input Object Field Names */
            gql__schema_error(b, &of->loc, 1, "%sField \"%.*s\" is not defined by type \"%.*s\".",
                              prefix, GQL__STR_ARG(of->name), GQL__STR_ARG(t->name));
            continue;
        }
        gql__schema_check_literal(b, of->value, def->type, prefix);
    }
    for (uint32_t k = 0; k < t->ninput_fields; k++) {
        const gql_schema_input_value_t *def = &t->input_fields[k];
        if (!def->type || def->type->kind != GQL_TK_NON_NULL || def->default_value)
            continue;
        bool given = false;
        for (uint32_t i = 0; i < fl->count && !given; i++)
            given = lc_str_eq(fl->items[i]->name, def->name);
        if (!given) /* §5.6.4 Input Object Required Fields */
            literal_error(b, v, prefix,
                          "Field \"%.*s.%.*s\" of required type \"%s\" was not provided.",
                          GQL__STR_ARG(t->name), GQL__STR_ARG(def->name),
                          gql__schema_type_str(def->type, tbuf, sizeof tbuf));
    }
}

void gql__schema_check_literal(gql__schema_builder_t *b, const gql_value_t *v,
                               const gql_schema_type_t *type, const char *prefix) {
    if (!v || !type)
        return;
    if (v->kind == GQL_VARIABLE) {
        literal_error(b, v, prefix, "Unexpected variable \"$%.*s\" in constant value.",
                      GQL__STR_ARG(v->name));
        return;
    }
    if (type->kind == GQL_TK_NON_NULL) {
        if (v->kind == GQL_NULL_VALUE)
            expected(b, v, type, prefix);
        else
            gql__schema_check_literal(b, v, type->of_type, prefix);
        return;
    }
    if (v->kind == GQL_NULL_VALUE)
        return;
    switch (type->kind) {
    case GQL_TK_LIST:
        /* §3.11 input coercion: a single value stands for a list of one. */
        if (v->kind == GQL_LIST_VALUE)
            for (uint32_t i = 0; i < v->list.count; i++)
                gql__schema_check_literal(b, v->list.items[i], type->of_type, prefix);
        else
            gql__schema_check_literal(b, v, type->of_type, prefix);
        break;
    case GQL_TK_INPUT_OBJECT:
        if (v->kind != GQL_OBJECT_VALUE)
            expected(b, v, type, prefix);
        else
            check_object_literal(b, v, type, prefix);
        break;
    case GQL_TK_ENUM: {
        bool found = false;
        if (v->kind != GQL_ENUM_VALUE) {
            expected(b, v, type, prefix);
            break;
        }
        for (uint32_t i = 0; i < type->nvalues && !found; i++)
            found = lc_str_eq(type->values[i].name, v->name);
        if (!found)
            literal_error(b, v, prefix, "Value \"%.*s\" does not exist in \"%.*s\" enum.",
                          GQL__STR_ARG(v->name), GQL__STR_ARG(type->name));
        break;
    }
    case GQL_TK_SCALAR:
        /* A custom scalar's literal is its parse hook's business, bound after the build. */
        if (type->builtin)
            check_builtin_scalar(b, v, type, prefix);
        break;
    default:
        break; /* not an input type: reported where the type is declared */
    }
}

/* ---- Helpers ------------------------------------------------------------------------------- */

static bool is_input_type(const gql_schema_type_t *t) {
    const gql_schema_type_t *n = gql_type_named(t);
    return n &&
           (n->kind == GQL_TK_SCALAR || n->kind == GQL_TK_ENUM || n->kind == GQL_TK_INPUT_OBJECT);
}

static bool is_output_type(const gql_schema_type_t *t) {
    const gql_schema_type_t *n = gql_type_named(t);
    return n && n->kind != GQL_TK_INPUT_OBJECT;
}

static bool is_required(const gql_schema_input_value_t *v) {
    return v->type && v->type->kind == GQL_TK_NON_NULL && !v->default_value;
}

static bool reserved(lc_str_t name) {
    return name.len >= 2 && name.ptr[0] == '_' && name.ptr[1] == '_';
}

/* §3.1 Names: "__" is for introspection. */
static void validate_name(gql__schema_builder_t *b, lc_str_t name, gql_loc_t loc) {
    if (reserved(name))
        gql__schema_error(b, &loc, 1,
                          "Name \"%.*s\" must not begin with \"__\", which is reserved by GraphQL "
                          "introspection.",
                          GQL__STR_ARG(name));
}

static gql_loc_t deprecated_loc(const gql_directive_list_t *dl) {
    for (uint32_t i = 0; i < dl->count; i++)
        if (lc_str_eq_cstr(dl->items[i]->name, "deprecated"))
            return dl->items[i]->loc;
    return (gql_loc_t){0, 0, 0};
}

static gql_loc_t type_loc(const gql_type_t *t) {
    return t ? t->loc : (gql_loc_t){0, 0, 0};
}

/* The definition and extension nodes of a type, for "must define one or more" messages. */
static uint32_t def_locs(const gql__schema_btype_t *bt, gql_loc_t *locs, uint32_t n) {
    if (n < GQL_DIAG_MAX_LOCATIONS)
        locs[n++] = bt->def->loc;
    for (const gql__schema_ext_t *e = bt->exts; e && n < GQL_DIAG_MAX_LOCATIONS; e = e->next)
        locs[n++] = e->ast->loc;
    return n;
}

/* The `implements` (members == false) or union member (members == true) nodes naming `name`
 * in a type's definition and extensions; appended to locs[*n..]. */
static void named_nodes(const gql__schema_btype_t *bt, bool members, lc_str_t name, gql_loc_t *locs,
                        uint32_t *n) {
    const gql_type_definition_t *node = bt->def;
    const gql__schema_ext_t *e = bt->exts;
    while (node) {
        const gql_type_list_t *tl = members ? &node->types : &node->interfaces;
        for (uint32_t i = 0; i < tl->count && *n < GQL_DIAG_MAX_LOCATIONS; i++)
            if (lc_str_eq(tl->items[i]->name, name))
                locs[(*n)++] = tl->items[i]->loc;
        node = e ? e->ast : NULL;
        e = e ? e->next : NULL;
    }
}

static gql__schema_btype_t *bt_of(const gql__schema_builder_t *b, const gql_schema_type_t *t) {
    return b->by_index[t->index];
}

/* §3.6.1, §3.10: a default value must be valid for its type. */
static void validate_default(gql__schema_builder_t *b, const gql_schema_input_value_t *v,
                             const char *coordinate) {
    if (!v->default_value || !v->type)
        return;
    char prefix[600]; /* a coordinate (< 512) and the phrase */
    snprintf(prefix, sizeof prefix, "%s has invalid default value: ", coordinate);
    gql__schema_check_literal(b, v->default_value, v->type, prefix);
}

/* ---- §3.3.1 Root operation types ------------------------------------------------------------- */

static void validate_roots(gql__schema_builder_t *b) {
    const gql_schema_t *s = b->s;
    const gql_schema_type_t *roots[3] = {s->query, s->mutation, s->subscription};
    static const char *const names[3] = {"Query", "Mutation", "Subscription"};
    if (!s->query && !b->root_ast[0]) {
        gql_loc_t loc = b->schema_def ? b->schema_def->loc : (gql_loc_t){0, 0, 0};
        gql__schema_error(b, &loc, 1, "Query root type must be provided.");
    }
    for (int op = 0; op < 3; op++) {
        const gql_schema_type_t *t = roots[op];
        if (!t || t->kind == GQL_TK_OBJECT)
            continue;
        gql_loc_t loc = b->root_ast[op] ? b->root_ast[op]->type->loc : bt_of(b, t)->def->loc;
        gql__schema_error(b, &loc, 1, "%s root type must be Object type%s, it cannot be %.*s.",
                          names[op], op ? " if provided" : "", GQL__STR_ARG(t->name));
    }
}

/* ---- §3.13 Directive definitions ---------------------------------------------------------- */

static void validate_input_values(gql__schema_builder_t *b, const gql_schema_input_value_t *vals,
                                  uint32_t n, const char *owner, bool args) {
    char coord[512], tbuf[TBUF];
    for (uint32_t i = 0; i < n; i++) {
        const gql_schema_input_value_t *v = &vals[i];
        if (args)
            snprintf(coord, sizeof coord, "%s(%.*s:)", owner, GQL__STR_ARG(v->name));
        else
            snprintf(coord, sizeof coord, "%s.%.*s", owner, GQL__STR_ARG(v->name));
        validate_name(b, v->name, v->ast->loc);
        if (v->type && !is_input_type(v->type)) {
            /* graphql-js points at a directive's argument, at a field argument's type. */
            gql_loc_t loc = owner[0] == '@' ? v->ast->loc : type_loc(v->ast->type);
            gql__schema_error(b, &loc, 1, "The type of %s must be Input Type but got: %s.", coord,
                              gql__schema_type_str(v->type, tbuf, sizeof tbuf));
        }
        if (is_required(v) && v->deprecated) {
            gql_loc_t locs[2] = {deprecated_loc(&v->ast->directives), type_loc(v->ast->type)};
            gql__schema_error(b, locs, 2, "Required %s %s cannot be deprecated.",
                              args ? "argument" : "input field", coord);
        }
        validate_default(b, v, coord);
    }
}

static void validate_directives(gql__schema_builder_t *b) {
    char owner[256];
    for (uint32_t i = 0; i < b->s->ndirectives; i++) {
        const gql_schema_directive_t *d = b->s->directives[i];
        if (d->builtin)
            continue;
        validate_name(b, d->name, b->dir_ast[i]->loc);
        snprintf(owner, sizeof owner, "@%.*s", GQL__STR_ARG(d->name));
        validate_input_values(b, d->args, d->nargs, owner, true);
    }
}

/* ---- §3.6 Objects and interfaces ----------------------------------------------------------- */

static void validate_fields(gql__schema_builder_t *b, const gql__schema_btype_t *bt) {
    const gql_schema_type_t *t = bt->type;
    char owner[256], tbuf[TBUF];
    if (t->nfields == 0) {
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t n = def_locs(bt, locs, 0);
        gql__schema_error(b, locs, n, "Type %.*s must define one or more fields.",
                          GQL__STR_ARG(t->name));
    }
    for (uint32_t i = 0; i < t->nfields; i++) {
        const gql_schema_field_t *f = &t->fields[i];
        validate_name(b, f->name, f->ast->loc);
        if (f->type && !is_output_type(f->type)) {
            gql_loc_t loc = type_loc(f->ast->type);
            gql__schema_error(b, &loc, 1, "The type of %.*s.%.*s must be Output Type but got: %s.",
                              GQL__STR_ARG(t->name), GQL__STR_ARG(f->name),
                              gql__schema_type_str(f->type, tbuf, sizeof tbuf));
        }
        snprintf(owner, sizeof owner, "%.*s.%.*s", GQL__STR_ARG(t->name), GQL__STR_ARG(f->name));
        validate_input_values(b, f->args, f->nargs, owner, true);
    }
}

/* graphql-js isTypeSubTypeOf: covariance of field types for §3.6.1 IsValidImplementation. */
static bool is_subtype(const gql_schema_t *s, const gql_schema_type_t *sub,
                       const gql_schema_type_t *super) {
    if (sub == super)
        return true;
    if (super->kind == GQL_TK_NON_NULL)
        return sub->kind == GQL_TK_NON_NULL && is_subtype(s, sub->of_type, super->of_type);
    if (sub->kind == GQL_TK_NON_NULL)
        return is_subtype(s, sub->of_type, super);
    if (super->kind == GQL_TK_LIST)
        return sub->kind == GQL_TK_LIST && is_subtype(s, sub->of_type, super->of_type);
    if (sub->kind == GQL_TK_LIST)
        return false;
    return (super->kind == GQL_TK_INTERFACE || super->kind == GQL_TK_UNION) &&
           (sub->kind == GQL_TK_INTERFACE || sub->kind == GQL_TK_OBJECT) &&
           gql_schema_is_possible_type(s, super, sub);
}

static const gql_schema_input_value_t *find_arg(const gql_schema_field_t *f, lc_str_t name) {
    for (uint32_t i = 0; i < f->nargs; i++)
        if (lc_str_eq(f->args[i].name, name))
            return &f->args[i];
    return NULL;
}

/* §3.6.1 IsValidImplementation(type, iface). */
static void validate_implementation(gql__schema_builder_t *b, const gql__schema_btype_t *bt,
                                    const gql_schema_type_t *iface) {
    const gql_schema_type_t *t = bt->type;
    char t1[TBUF], t2[TBUF];
    for (uint32_t i = 0; i < iface->nfields; i++) {
        const gql_schema_field_t *ifield = &iface->fields[i];
        const gql_schema_field_t *f = gql_schema_find_field(b->s, t, ifield->name, false);
        if (!f) {
            gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
            locs[0] = ifield->ast->loc;
            uint32_t n = def_locs(bt, locs, 1);
            gql__schema_error(b, locs, n,
                              "Interface field %.*s.%.*s expected but %.*s does not "
                              "provide it.",
                              GQL__STR_ARG(iface->name), GQL__STR_ARG(ifield->name),
                              GQL__STR_ARG(t->name));
            continue;
        }
        if (f->type && ifield->type && !is_subtype(b->s, f->type, ifield->type)) {
            gql_loc_t locs[2] = {type_loc(ifield->ast->type), type_loc(f->ast->type)};
            gql__schema_error(b, locs, 2,
                              "Interface field %.*s.%.*s expects type %s but %.*s.%.*s is type "
                              "%s.",
                              GQL__STR_ARG(iface->name), GQL__STR_ARG(ifield->name),
                              gql__schema_type_str(ifield->type, t1, sizeof t1),
                              GQL__STR_ARG(t->name), GQL__STR_ARG(f->name),
                              gql__schema_type_str(f->type, t2, sizeof t2));
        }
        for (uint32_t k = 0; k < ifield->nargs; k++) {
            const gql_schema_input_value_t *iarg = &ifield->args[k];
            const gql_schema_input_value_t *arg = find_arg(f, iarg->name);
            if (!arg) {
                gql_loc_t locs[2] = {iarg->ast->loc, f->ast->loc};
                gql__schema_error(b, locs, 2,
                                  "Interface field argument %.*s.%.*s(%.*s:) expected but "
                                  "%.*s.%.*s does not provide it.",
                                  GQL__STR_ARG(iface->name), GQL__STR_ARG(ifield->name),
                                  GQL__STR_ARG(iarg->name), GQL__STR_ARG(t->name),
                                  GQL__STR_ARG(f->name));
                continue;
            }
            /* Invariant argument types (interned, so pointer equality). */
            if (arg->type && iarg->type && arg->type != iarg->type) {
                gql_loc_t locs[2] = {type_loc(iarg->ast->type), type_loc(arg->ast->type)};
                gql__schema_error(
                    b, locs, 2,
                    "Interface field argument %.*s.%.*s(%.*s:) expects type %s but "
                    "%.*s.%.*s(%.*s:) is type %s.",
                    GQL__STR_ARG(iface->name), GQL__STR_ARG(ifield->name), GQL__STR_ARG(iarg->name),
                    gql__schema_type_str(iarg->type, t1, sizeof t1), GQL__STR_ARG(t->name),
                    GQL__STR_ARG(f->name), GQL__STR_ARG(arg->name),
                    gql__schema_type_str(arg->type, t2, sizeof t2));
            }
        }
        for (uint32_t k = 0; k < f->nargs; k++) {
            const gql_schema_input_value_t *arg = &f->args[k];
            if (is_required(arg) && !find_arg(ifield, arg->name)) {
                gql_loc_t locs[2] = {arg->ast->loc, ifield->ast->loc};
                gql__schema_error(b, locs, 2,
                                  "Object field %.*s.%.*s includes required argument %.*s that is "
                                  "missing from the Interface field %.*s.%.*s.",
                                  GQL__STR_ARG(t->name), GQL__STR_ARG(f->name),
                                  GQL__STR_ARG(arg->name), GQL__STR_ARG(iface->name),
                                  GQL__STR_ARG(ifield->name));
            }
        }
    }
}

static bool declares(const gql_schema_type_t *t, const gql_schema_type_t *iface) {
    for (uint32_t i = 0; i < t->ninterfaces; i++)
        if (t->interfaces[i] == iface)
            return true;
    return false;
}

static void validate_interfaces(gql__schema_builder_t *b, const gql__schema_btype_t *bt) {
    const gql_schema_type_t *t = bt->type;
    for (uint32_t i = 0; i < t->ninterfaces; i++) {
        const gql_schema_type_t *iface = t->interfaces[i];
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t n = 0;
        named_nodes(bt, false, iface->name, locs, &n);
        if (iface->kind != GQL_TK_INTERFACE) {
            gql__schema_error(b, locs, n,
                              "Type %.*s must only implement Interface types, it cannot implement "
                              "%.*s.",
                              GQL__STR_ARG(t->name), GQL__STR_ARG(iface->name));
            continue;
        }
        if (iface == t) {
            gql__schema_error(b, locs, n,
                              "Type %.*s cannot implement itself because it would create a "
                              "circular reference.",
                              GQL__STR_ARG(t->name));
            continue;
        }
        bool dup = false;
        for (uint32_t k = 0; k < i && !dup; k++)
            dup = t->interfaces[k] == iface;
        if (dup) {
            gql__schema_error(b, locs, n, "Type %.*s can only implement %.*s once.",
                              GQL__STR_ARG(t->name), GQL__STR_ARG(iface->name));
            continue;
        }
        /* §3.7: the interfaces of an implemented interface must be declared too. */
        for (uint32_t k = 0; k < iface->ninterfaces; k++) {
            const gql_schema_type_t *transitive = iface->interfaces[k];
            if (declares(t, transitive))
                continue;
            gql_loc_t tl[GQL_DIAG_MAX_LOCATIONS];
            uint32_t tn = 0;
            named_nodes(bt_of(b, iface), false, transitive->name, tl, &tn);
            named_nodes(bt, false, iface->name, tl, &tn);
            if (transitive == t)
                gql__schema_error(b, tl, tn,
                                  "Type %.*s cannot implement %.*s because it would create a "
                                  "circular reference.",
                                  GQL__STR_ARG(t->name), GQL__STR_ARG(iface->name));
            else
                gql__schema_error(b, tl, tn,
                                  "Type %.*s must implement %.*s because it is implemented by "
                                  "%.*s.",
                                  GQL__STR_ARG(t->name), GQL__STR_ARG(transitive->name),
                                  GQL__STR_ARG(iface->name));
        }
        validate_implementation(b, bt, iface);
    }
}

/* ---- §3.8 Unions, §3.9 Enums --------------------------------------------------------------- */

static void validate_union(gql__schema_builder_t *b, const gql__schema_btype_t *bt) {
    const gql_schema_type_t *t = bt->type;
    if (t->npossible == 0) {
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t n = def_locs(bt, locs, 0);
        gql__schema_error(b, locs, n, "Union type %.*s must define one or more member types.",
                          GQL__STR_ARG(t->name));
    }
    for (uint32_t i = 0; i < t->npossible; i++) {
        const gql_schema_type_t *m = t->possible_types[i];
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t n = 0;
        bool dup = false;
        for (uint32_t k = 0; k < i && !dup; k++)
            dup = t->possible_types[k] == m;
        named_nodes(bt, true, m->name, locs, &n);
        if (dup) {
            gql__schema_error(b, locs, n, "Union type %.*s can only include type %.*s once.",
                              GQL__STR_ARG(t->name), GQL__STR_ARG(m->name));
            continue;
        }
        if (m->kind != GQL_TK_OBJECT)
            gql__schema_error(b, locs, n,
                              "Union type %.*s can only include Object types, it cannot include "
                              "%.*s.",
                              GQL__STR_ARG(t->name), GQL__STR_ARG(m->name));
    }
}

static void validate_enum(gql__schema_builder_t *b, const gql__schema_btype_t *bt) {
    const gql_schema_type_t *t = bt->type;
    if (t->nvalues == 0) {
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t n = def_locs(bt, locs, 0);
        gql__schema_error(b, locs, n, "Enum type %.*s must define one or more values.",
                          GQL__STR_ARG(t->name));
    }
    for (uint32_t i = 0; i < t->nvalues; i++)
        validate_name(b, t->values[i].name, bt->value_ast[i]->loc);
}

/* ---- §3.10 Input objects ------------------------------------------------------------------- */

static void validate_input_object(gql__schema_builder_t *b, const gql__schema_btype_t *bt) {
    const gql_schema_type_t *t = bt->type;
    char owner[256];
    if (t->ninput_fields == 0) {
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t n = def_locs(bt, locs, 0);
        gql__schema_error(b, locs, n, "Input Object type %.*s must define one or more fields.",
                          GQL__STR_ARG(t->name));
    }
    snprintf(owner, sizeof owner, "%.*s", GQL__STR_ARG(t->name));
    validate_input_values(b, t->input_fields, t->ninput_fields, owner, false);
}

/* §3.10.1: an input object must not reach itself through non-null fields only, or no finite
 * value could be given. graphql-js's DFS: each type is explored once, every cycle found on the
 * way is reported. */
typedef struct cycles {
    bool *visited;                         /* by type index */
    int32_t *path_index;                   /* by type index: position on the path, or -1 */
    const gql_schema_input_value_t **path; /* the fields followed */
    uint32_t depth;
} cycles_t;

static void detect_cycles(gql__schema_builder_t *b, cycles_t *c, const gql_schema_type_t *t) {
    if (c->visited[t->index])
        return;
    c->visited[t->index] = true;
    c->path_index[t->index] = (int32_t)c->depth;
    for (uint32_t i = 0; i < t->ninput_fields; i++) {
        const gql_schema_input_value_t *f = &t->input_fields[i];
        if (!f->type || f->type->kind != GQL_TK_NON_NULL ||
            f->type->of_type->kind != GQL_TK_INPUT_OBJECT)
            continue;
        const gql_schema_type_t *ft = f->type->of_type;
        int32_t at = c->path_index[ft->index];
        c->path[c->depth++] = f;
        if (at < 0) {
            detect_cycles(b, c, ft);
        } else {
            char path[1024];
            gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
            uint32_t nlocs = 0;
            lc_buf_t pb;
            lc_buf_init_fixed(&pb, path, sizeof path - 1);
            for (uint32_t k = (uint32_t)at; k < c->depth; k++) {
                if (k > (uint32_t)at)
                    lc_buf_putc(&pb, '.');
                lc_buf_append_str(&pb, c->path[k]->name);
                if (nlocs < GQL_DIAG_MAX_LOCATIONS)
                    locs[nlocs++] = c->path[k]->ast->loc;
            }
            path[pb.len] = '\0';
            gql__schema_error(b, locs, nlocs,
                              "Cannot reference Input Object \"%.*s\" within itself through a "
                              "series of non-null fields: \"%s\".",
                              GQL__STR_ARG(ft->name), path);
        }
        c->depth--;
    }
    c->path_index[t->index] = -1;
}

/* ---- Entry ------------------------------------------------------------------------------- */

void gql__schema_validate(gql__schema_builder_t *b) {
    const gql_schema_t *s = b->s;
    cycles_t c = {0};

    validate_roots(b);
    validate_directives(b);

    c.visited = lc_arena_calloc(b->scratch, s->ntypes + 1, sizeof *c.visited);
    c.path_index = lc_arena_calloc(b->scratch, s->ntypes + 1, sizeof *c.path_index);
    c.path = lc_arena_calloc(b->scratch, s->ntypes + 1, sizeof *c.path);
    if (!c.visited || !c.path_index || !c.path) {
        gql__schema_nomem(b);
        return;
    }
    for (uint32_t i = 0; i < s->ntypes; i++)
        c.path_index[i] = -1;

    /* In document order, so that the diagnostics read top to bottom. */
    for (uint32_t i = 0; i < b->nbt; i++) {
        const gql__schema_btype_t *bt = &b->bt[i];
        const gql_schema_type_t *t = bt->type;
        if (t->builtin)
            continue;
        validate_name(b, t->name, bt->def->loc);
        switch (t->kind) {
        case GQL_TK_OBJECT:
        case GQL_TK_INTERFACE:
            validate_fields(b, bt);
            validate_interfaces(b, bt);
            break;
        case GQL_TK_UNION:
            validate_union(b, bt);
            break;
        case GQL_TK_ENUM:
            validate_enum(b, bt);
            break;
        case GQL_TK_INPUT_OBJECT:
            validate_input_object(b, bt);
            detect_cycles(b, &c, t);
            break;
        default:
            break;
        }
    }
}
