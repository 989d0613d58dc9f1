/* SPDX-License-Identifier: MIT */
/* Start-up of the API: builds the schema from the embedded schema.graphql, binds every resolver
 * through one dispatcher that checks the field's permission before the resolver runs, and reads
 * each field's @requires directive into its user_tag. A schema whose descriptions, directives,
 * permission names or bindings disagree refuses to start, so that what the documentation says
 * is what the server enforces. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "lectern/alloc.h"
#include "lectern/embed.h"
#include "lectern/log.h"

extern const lc_embed_file_t lc__api_schema_files[];

struct lc_api {
    gql_schema_t *schema; /* owned */
};

const char *const lc__api_map_types[] = {
    "Tenant",
    "Permission",
    "PageInfo",
    "CreateDeveloperTokenPayload",
    "UserConnection",
    "UserEdge",
    "RoleConnection",
    "RoleEdge",
    "CourseConnection",
    "CourseEdge",
    "EnrollmentConnection",
    "EnrollmentEdge",
    "DeveloperTokenConnection",
    "DeveloperTokenEdge",
    "AuditEventConnection",
    "AuditEventEdge",
    NULL,
};

static const lc__api_binds_t *const all_binds[] = {
    &lc__api_viewer_binds,  &lc__api_users_binds,  &lc__api_roles_binds,
    &lc__api_courses_binds, &lc__api_tokens_binds, &lc__api_audit_binds,
};

/* ---- The dispatcher ------------------------------------------------------------------------- */

static bool is_root(const gql_resolve_info_t *info) {
    return info->parent_type == info->schema->query || info->parent_type == info->schema->mutation;
}

/* Every bound field: the permission check (PRODUCT.md, API conventions: the field is null, an
 * error with its path, code FORBIDDEN and the permission needed; other fields still resolve),
 * then the resolver of the binding entry. */
static int dispatch(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    uintptr_t tag = info->field->user_tag;
    bool mutation = info->parent_type == info->schema->mutation;
    if (!c && (tag || is_root(info)))
        return lc__api_fail(
            info, LC__API_UNAUTHENTICATED, NULL, "Authentication is required to %s %.*s.%.*s.",
            mutation ? "call" : "read", (int)info->parent_type->name.len,
            info->parent_type->name.ptr, (int)info->field->name.len, info->field->name.ptr);
    if (tag) {
        lc_perm_t p = (lc_perm_t)(tag - 1);
        if (!lc_permset_has(c->perms, p))
            return lc__api_forbidden(info, p, "You need the %s permission to %s %.*s.%.*s.",
                                     lc_perm_name(p), mutation ? "call" : "read",
                                     (int)info->parent_type->name.len, info->parent_type->name.ptr,
                                     (int)info->field->name.len, info->field->name.ptr);
    }
    return lc__api_entry(info)->fn(info, parent, args, out);
}

/* ---- Start-up checks ------------------------------------------------------------------------ */

typedef struct problems {
    char *err;
    size_t errlen;
    int count;
} problems_t;

static void problem(problems_t *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(problems_t *pr, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "api.schema");
    lc_log_cstr(&r, "problem", msg);
    lc_log_end(&r);
    if (pr->count++ == 0 && pr->err && pr->errlen)
        snprintf(pr->err, pr->errlen, "%s", msg);
}

#define STR_ARGS(s) (int)(s).len, (s).ptr

/* The permission names a description states with "Requires `perm`": the first into *first,
 * how many in all. */
static int described(lc_str_t desc, lc_str_t *first) {
    static const char needle[] = "Requires `";
    int n = 0;
    const char *p = desc.ptr, *end = desc.ptr + desc.len;
    while (p && p < end) {
        const char *hit = memmem(p, (size_t)(end - p), needle, sizeof needle - 1);
        if (!hit)
            break;
        const char *name = hit + sizeof needle - 1;
        const char *close = memchr(name, '`', (size_t)(end - name));
        if (!close)
            break;
        if (n++ == 0)
            *first = lc_str_make(name, (size_t)(close - name));
        p = close + 1;
    }
    return n;
}

/* The permission of a field's @requires directive: 1 with *perm, 0 when it has none, -1 for a
 * malformed one (reported). */
static int requires_of(problems_t *pr, const gql_schema_type_t *t, const gql_schema_field_t *f,
                       lc_perm_t *perm) {
    if (!f->ast)
        return 0;
    const gql_directive_list_t *dl = &f->ast->directives;
    for (uint32_t i = 0; i < dl->count; i++) {
        const gql_directive_t *d = dl->items[i];
        if (!lc_str_eq(d->name, LC_STR("requires")))
            continue;
        const gql_value_t *v = NULL;
        for (uint32_t k = 0; k < d->arguments.count; k++)
            if (lc_str_eq(d->arguments.items[k]->name, LC_STR("permission")))
                v = d->arguments.items[k]->value;
        if (!v || v->kind != GQL_STRING_VALUE) {
            problem(pr, "%.*s.%.*s: @requires needs a permission: \"action:resource\" string.",
                    STR_ARGS(t->name), STR_ARGS(f->name));
            return -1;
        }
        if (lc_perm_parse(v->string.value, perm) != LC_OK) {
            problem(pr,
                    "%.*s.%.*s: @requires names \"%.*s\", which is not a permission of the "
                    "catalog (include/lectern/permission.def).",
                    STR_ARGS(t->name), STR_ARGS(f->name), STR_ARGS(v->string.value));
            return -1;
        }
        return 1;
    }
    return 0;
}

static bool is_map_type(lc_str_t name) {
    for (const char *const *m = lc__api_map_types; *m; m++)
        if (lc_str_eq_cstr(name, *m))
            return true;
    return false;
}

/* Reads, checks and tags every field of the object types. */
static void check_fields(gql_schema_t *s, problems_t *pr) {
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_schema_type_t *t = s->types[i];
        if (t->builtin || t->kind != GQL_TK_OBJECT)
            continue;
        bool root = t == s->query || t == s->mutation || t == s->subscription;
        bool map = is_map_type(t->name);
        for (uint32_t k = 0; k < t->nfields; k++) {
            const gql_schema_field_t *f = &t->fields[k];
            lc_perm_t perm = LC_PERM_COUNT;
            int req = requires_of(pr, t, f, &perm);
            if (req < 0)
                continue;
            lc_str_t said = LC_STR_NULL;
            int nsaid = described(f->description, &said);
            if (req == 0 && nsaid > 0)
                problem(pr,
                        "%.*s.%.*s: the description says \"Requires `%.*s`\" but the field has "
                        "no @requires directive.",
                        STR_ARGS(t->name), STR_ARGS(f->name), STR_ARGS(said));
            if (req == 1) {
                const char *name = lc_perm_name(perm);
                if (nsaid == 0)
                    problem(pr,
                            "%.*s.%.*s: @requires(permission: \"%s\") but the description does "
                            "not say \"Requires `%s`.\"",
                            STR_ARGS(t->name), STR_ARGS(f->name), name, name);
                else if (nsaid > 1 || !lc_str_eq_cstr(said, name))
                    problem(pr,
                            "%.*s.%.*s: @requires(permission: \"%s\") but the description says "
                            "\"Requires `%.*s`\".",
                            STR_ARGS(t->name), STR_ARGS(f->name), name, STR_ARGS(said));
                if (f->type->kind == GQL_TK_NON_NULL)
                    problem(pr,
                            "%.*s.%.*s: a field that requires a permission must be nullable "
                            "(it is null when the permission is missing).",
                            STR_ARGS(t->name), STR_ARGS(f->name));
                char coord[256];
                snprintf(coord, sizeof coord, "%.*s.%.*s", STR_ARGS(t->name), STR_ARGS(f->name));
                if (gql_schema_tag(s, coord, (uintptr_t)perm + 1) != LC_OK)
                    problem(pr, "%s: cannot be tagged.", coord);
            }
            if (!f->resolve && (root || req == 1 || !map))
                problem(pr, "%.*s.%.*s has no resolver%s.", STR_ARGS(t->name), STR_ARGS(f->name),
                        req == 1 ? " (its permission would not be checked)" : "");
        }
    }
}

static void bind_all(gql_schema_t *s, problems_t *pr) {
    for (size_t i = 0; i < sizeof all_binds / sizeof all_binds[0]; i++) {
        const lc__api_binds_t *b = all_binds[i];
        for (size_t k = 0; k < b->n; k++) {
            const lc__api_bind_t *e = &b->items[k];
            /* The engine hands resolve_ctx back untouched; the table itself is const. */
            if (gql_schema_bind(s, e->coordinate, dispatch, (void *)(uintptr_t)e) != LC_OK)
                problem(pr, "%s: no such field to bind a resolver to.", e->coordinate);
        }
    }
    if (lc__api_bind_scalars(s) != LC_OK)
        problem(pr, "the scalars Date, DateTime and JSON must be declared.");
}

int lc_api_create_from_sdl(const char *sdl, size_t len, char *err, size_t errlen, lc_api_t **out) {
    problems_t pr = {err, errlen, 0};
    if (err && errlen)
        err[0] = '\0';
    int rc = LC_ENOMEM;
    gql_schema_t *s = NULL;
    lc_api_t *api = NULL;
    lc_arena_t scratch;
    lc_arena_init(&scratch, 0, 0);
    gql_diags_t diags;
    gql_diags_init(&diags, &scratch, 0);

    rc = gql_schema_build(sdl, len, &diags, &s);
    if (rc != LC_OK) {
        for (const gql_diag_t *d = diags.head; d; d = d->next)
            problem(&pr, "schema.graphql:%u:%u: %.*s", d->nlocations ? d->locations[0].line : 0,
                    d->nlocations ? d->locations[0].column : 0, STR_ARGS(d->message));
        if (pr.count == 0)
            problem(&pr, "schema.graphql does not build (%s).", lc_status_name(rc));
        goto out;
    }
    bind_all(s, &pr);
    check_fields(s, &pr);
    if (pr.count) {
        rc = LC_EINVAL;
        goto out;
    }
    api = lc_calloc(1, sizeof *api);
    if (!api) {
        rc = LC_ENOMEM;
        goto out;
    }
    api->schema = s;
    s = NULL;
    *out = api;
    rc = LC_OK;
out:
    gql_schema_destroy(s);
    lc_arena_dispose(&scratch);
    return rc;
}

lc_str_t lc_api_sdl(void) {
    for (const lc_embed_file_t *f = lc__api_schema_files; f->name; f++)
        if (strcmp(f->name, "schema.graphql") == 0)
            return lc_str_make((const char *)f->data, f->len);
    return LC_STR_NULL;
}

int lc_api_create(lc_api_t **out) {
    lc_str_t sdl = lc_api_sdl();
    if (!sdl.ptr)
        return LC_EINVAL;
    return lc_api_create_from_sdl(sdl.ptr, sdl.len, NULL, 0, out);
}

void lc_api_destroy(lc_api_t *api) {
    if (!api)
        return;
    gql_schema_destroy(api->schema);
    lc_free(api);
}

const gql_schema_t *lc_api_schema(const lc_api_t *api) {
    return api->schema;
}
