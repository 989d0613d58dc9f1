/* SPDX-License-Identifier: MIT */
/* What every resolver of src/api shares: field errors with their codes (FORBIDDEN,
 * BAD_USER_INPUT, NOT_FOUND, CONFLICT), the mapping of store failures onto them, validation of
 * input text, emails, permission lists and dates, pages and Relay connections, and the small
 * accessors that read one member of a store record. Runs inside gql_execute, on the request's
 * arena. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "lectern/limits.h"
#include "lectern/log.h"

const gql_val_t *lc__api_arg(const gql_resolve_info_t *info, const gql_val_t *args,
                             const char *name) {
    lc_str_t n = lc_str_from(name);
    for (uint32_t i = 0; i < info->field->nargs; i++)
        if (lc_str_eq(info->field->args[i].name, n))
            return &args[i];
    return NULL;
}

/* ---- Errors -----------------------------------------------------------------------------------
 */

static int verror(const gql_resolve_info_t *info, const char *code, const char *ext_key,
                  const char *ext_val, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static int verror(const gql_resolve_info_t *info, const char *code, const char *ext_key,
                  const char *ext_val, const char *fmt, va_list ap) {
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    gql_diag_t *d = gql_field_error(info, code, "%s", msg);
    if (!d)
        return LC_ENOMEM;
    if (ext_key && ext_val && gql_field_error_ext(info, d, ext_key, lc_str_from(ext_val)) != LC_OK)
        return LC_ENOMEM;
    return LC_OK;
}

int lc__api_fail(const gql_resolve_info_t *info, const char *code, const char *field,
                 const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = verror(info, code, "field", field, fmt, ap);
    va_end(ap);
    return rc == LC_OK ? LC_EINVAL : rc;
}

int lc__api_forbidden(const gql_resolve_info_t *info, lc_perm_t p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = verror(info, LC__API_FORBIDDEN, "permission", lc_perm_name(p), fmt, ap);
    va_end(ap);
    return rc == LC_OK ? LC_EDENIED : rc;
}

int lc__api_require_subset(const gql_resolve_info_t *info, lc_permset_t want, const char *verb) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_permset_t lacking = want & ~c->perms;
    if (!lacking)
        return LC_OK;
    lc_perm_t p = (lc_perm_t)__builtin_ctzll(lacking);
    return lc__api_forbidden(info, p, "You cannot %s the %s permission: you do not hold it.", verb,
                             lc_perm_name(p));
}

int lc__api_store_error(const gql_resolve_info_t *info, int rc, const lc__api_store_msgs_t *m) {
    static const lc__api_store_msgs_t none;
    if (!m)
        m = &none;
    int r;
    switch (rc) {
    case LC_EEXIST:
        r = lc__api_fail(info, LC__API_CONFLICT, m->field, "%s",
                         m->exists ? m->exists : "This already exists.");
        break;
    case LC_ECONFLICT:
        r = lc__api_fail(info, LC__API_CONFLICT, NULL, "%s",
                         m->conflict ? m->conflict : "This change conflicts with another one.");
        break;
    case LC_ENOTFOUND:
        r = lc__api_fail(info, LC__API_NOT_FOUND, m->field, "%s",
                         m->notfound ? m->notfound : "Not found.");
        break;
    case LC_EDENIED:
        r = lc__api_fail(info, LC__API_FORBIDDEN, NULL, "%s",
                         m->denied ? m->denied : "This cannot be changed.");
        break;
    case LC_EUNAVAILABLE: {
        /* The store logged the outage once; the request as a whole becomes a 503. The
         * context is the request's own (gql_request_t.context is not const). */
        lc_api_ctx_t *c = (lc_api_ctx_t *)info->context;
        if (c != NULL)
            c->store_unavailable = true;
        r = lc__api_fail(info, LC__API_UNAVAILABLE, NULL, "%s", LC_API_STORE_UNAVAILABLE_MSG);
        break;
    }
    default: {
        lc_log_rec_t lr;
        lc_log_begin(&lr, LC_LOG_ERROR, "api.store");
        lc_log_str(&lr, "type", info->parent_type->name);
        lc_log_str(&lr, "field", info->field->name);
        lc_log_cstr(&lr, "status", lc_status_name(rc));
        lc_log_end(&lr);
        r = lc__api_fail(info, LC__API_INTERNAL, NULL,
                         "Internal error: the request could not be completed. Try again later.");
        break;
    }
    }
    /* Out of memory while recording the error: the engine's generic error stands in. */
    return r == LC_ENOMEM ? r : rc == LC_OK ? LC_EINVAL : rc;
}

/* ---- Input ------------------------------------------------------------------------------------
 */

const gql_val_t *lc__api_in(const gql_val_t *map, const char *name) {
    const gql_val_t *v = map ? gql_val_get(map, lc_str_from(name)) : NULL;
    if (!v || v->kind == GQL_VAL_NULL || v->kind == GQL_VAL_UNDEFINED)
        return NULL;
    return v;
}

bool lc__api_in_null(const gql_val_t *map, const char *name) {
    const gql_val_t *v = map ? gql_val_get(map, lc_str_from(name)) : NULL;
    return v && v->kind == GQL_VAL_NULL;
}

/* Code points of valid UTF-8 s; *ctl set when one is a control character (C0, DEL, C1; line
 * breaks and tabs excepted when `lines`). */
static size_t utf8_count(lc_str_t s, bool lines, bool *ctl) {
    size_t n = 0;
    *ctl = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c & 0xc0) != 0x80)
            n++;
        if ((c < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
            *ctl = true;
        /* U+0080..U+009F are C2 80..C2 9F. */
        if (c == 0xc2 && i + 1 < s.len && (unsigned char)s.ptr[i + 1] <= 0x9f)
            *ctl = true;
    }
    return n;
}

static bool blank(lc_str_t s) {
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\n' && s.ptr[i] != '\r')
            return false;
    return true;
}

static int text(const gql_resolve_info_t *info, const gql_val_t *v, const char *field, size_t min,
                size_t max, bool lines, const char **out) {
    if (!v || v->kind != GQL_VAL_STRING)
        return lc__api_fail(info, LC__API_BAD_INPUT, field, "%s must be a string.", field);
    if (!lc_utf8_valid(v->s.ptr, v->s.len))
        return lc__api_fail(info, LC__API_BAD_INPUT, field, "%s is not valid UTF-8.", field);
    bool ctl;
    size_t n = utf8_count(v->s, lines, &ctl);
    if (n < min || n > max) {
        if (min == max)
            return lc__api_fail(info, LC__API_BAD_INPUT, field,
                                "%s must be %zu characters long; it has %zu.", field, min, n);
        if (min == 0)
            return lc__api_fail(info, LC__API_BAD_INPUT, field,
                                "%s must be at most %zu characters long; it has %zu.", field, max,
                                n);
        return lc__api_fail(info, LC__API_BAD_INPUT, field,
                            "%s must be %zu to %zu characters long; it has %zu.", field, min, max,
                            n);
    }
    if (ctl)
        return lc__api_fail(info, LC__API_BAD_INPUT, field,
                            "%s must not contain control characters (such as a line break).",
                            field);
    if (min > 0 && blank(v->s))
        return lc__api_fail(info, LC__API_BAD_INPUT, field, "%s must not be blank.", field);
    char *s = lc_arena_strndup(info->arena, v->s.ptr, v->s.len);
    if (!s)
        return LC_ENOMEM;
    *out = s;
    return LC_OK;
}

int lc__api_text(const gql_resolve_info_t *info, const gql_val_t *v, const char *field, size_t min,
                 size_t max, const char **out) {
    return text(info, v, field, min, max, false, out);
}

int lc__api_text_lines(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                       size_t min, size_t max, const char **out) {
    return text(info, v, field, min, max, true, out);
}

int lc__api_email(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                  const char **out) {
    if (!v || v->kind != GQL_VAL_STRING)
        return lc__api_fail(info, LC__API_BAD_INPUT, field, "%s must be a string.", field);
    lc_str_t s = v->s;
    if (s.len > LC_LIMIT_EMAIL_MAX)
        return lc__api_fail(info, LC__API_BAD_INPUT, field,
                            "%s must be at most %d bytes long; it has %zu.", field,
                            LC_LIMIT_EMAIL_MAX, s.len);
    bool ok = s.len >= 3 && lc_utf8_valid(s.ptr, s.len);
    size_t at = 0, nat = 0;
    for (size_t i = 0; ok && i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';')
            ok = false;
        if (c == '@') {
            at = i;
            nat++;
        }
    }
    if (ok && nat == 1 && at > 0 && at + 1 < s.len && at <= 64) {
        lc_str_t dom = lc_str_make(s.ptr + at + 1, s.len - at - 1);
        ok = dom.ptr[0] != '.' && dom.ptr[dom.len - 1] != '.' && !memmem(dom.ptr, dom.len, "..", 2);
    } else {
        ok = false;
    }
    if (!ok)
        return lc__api_fail(info, LC__API_BAD_INPUT, field,
                            "%s must be an email address such as ada@example.com.", field);
    char *d = lc_arena_strndup(info->arena, s.ptr, s.len);
    if (!d)
        return LC_ENOMEM;
    *out = d;
    return LC_OK;
}

int lc__api_perms_in(const gql_resolve_info_t *info, const gql_val_t *list, const char *field,
                     lc_permset_t *out) {
    lc_permset_t set = LC_PERMSET_NONE;
    if (list->kind != GQL_VAL_LIST)
        return lc__api_fail(info, LC__API_BAD_INPUT, field,
                            "%s must be a list of permission names.", field);
    for (uint32_t i = 0; i < list->count; i++) {
        const gql_val_t *it = &list->items[i];
        lc_perm_t p;
        if (it->kind != GQL_VAL_STRING || lc_perm_parse(it->s, &p) != LC_OK) {
            lc_str_t s = it->kind == GQL_VAL_STRING ? it->s : LC_STR("");
            bool printable = lc_utf8_valid(s.ptr, s.len) && s.len <= 64;
            return lc__api_fail(info, LC__API_BAD_INPUT, field,
                                "%s[%u]%s%.*s%s is not a permission of the catalog (see "
                                "Query.permissions).",
                                field, i, printable ? " \"" : "", printable ? (int)s.len : 0,
                                printable ? s.ptr : "", printable ? "\"" : "");
        }
        set |= lc_permset_of(p);
    }
    *out = set;
    return LC_OK;
}

int lc__api_time_in(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                    bool date, int64_t *out) {
    if (v && v->kind == GQL_VAL_INT) {
        *out = v->i;
        return LC_OK;
    }
    if (date)
        return lc__api_fail(info, LC__API_BAD_INPUT, field,
                            "%s must be a real calendar date written YYYY-MM-DD, from 1970-01-02 "
                            "to 9999-12-31.",
                            field);
    return lc__api_fail(info, LC__API_BAD_INPUT, field,
                        "%s must be a date and time in RFC 3339 form, such as "
                        "2026-11-28T12:00:00Z.",
                        field);
}

int lc__api_id_in(const gql_resolve_info_t *info, const gql_val_t *v, const char *type,
                  const char *what, const char *field, int64_t *id) {
    if (lc__api_id_arg(v, type, id))
        return LC_OK;
    return lc__api_fail(info, LC__API_NOT_FOUND, field, "No %s with this ID.", what);
}

/* ---- Pages and connections ---------------------------------------------------------------- */

int lc__api_page(const gql_resolve_info_t *info, const gql_val_t *args, lc_page_t *page) {
    const gql_val_t *first = lc__api_arg(info, args, "first");
    const gql_val_t *after = lc__api_arg(info, args, "after");
    page->first = LC_API_PAGE_DEFAULT;
    page->after = 0;
    if (first && first->kind == GQL_VAL_INT) {
        if (first->i < 0 || first->i > LC_API_PAGE_MAX)
            return lc__api_fail(info, LC__API_BAD_INPUT, "first",
                                "first must be from 0 to %d; it is %lld.", LC_API_PAGE_MAX,
                                (long long)first->i);
        page->first = (uint32_t)first->i;
    }
    if (after && after->kind == GQL_VAL_STRING &&
        !lc__api_id_parse(after->s, LC__API_CURSOR, &page->after))
        return lc__api_fail(info, LC__API_BAD_INPUT, "after",
                            "after is not a cursor of this API: pass the endCursor of the "
                            "previous page.");
    return LC_OK;
}

static const char *const conn_names[] = {"edges", "nodes", "pageInfo", "totalCount"};
static const char *const edge_names[] = {"node", "cursor"};
static const char *const pageinfo_names[] = {"hasNextPage", "hasPreviousPage", "startCursor",
                                             "endCursor"};

int lc__api_connection(const gql_resolve_info_t *info, const void *items, size_t size, uint32_t n,
                       const lc_page_t *page, const lc_page_info_t *pi, gql_val_t *out) {
    lc_arena_t *a = info->arena;
    gql_val_t *nodes = lc_arena_calloc(a, n ? n : 1, sizeof *nodes);
    gql_val_t *edges = lc_arena_calloc(a, n ? n : 1, sizeof *edges);
    gql_prop_t *eprops = lc_arena_calloc(a, n ? 2 * (size_t)n : 1, sizeof *eprops);
    if (!nodes || !edges || !eprops)
        return LC_ENOMEM;
    gql_val_t first_cursor = gql_val_null(), last_cursor = gql_val_null();
    for (uint32_t i = 0; i < n; i++) {
        const char *rec = (const char *)items + (size_t)i * size;
        int64_t id;
        memcpy(&id, rec, sizeof id); /* every record begins with its id */
        gql_val_t cursor;
        if (lc__api_id_val(a, LC__API_CURSOR, id, &cursor) != LC_OK)
            return LC_ENOMEM;
        nodes[i] = gql_val_object(rec, NULL);
        eprops[2 * i] = (gql_prop_t){lc_str_from(edge_names[0]), nodes[i]};
        eprops[2 * i + 1] = (gql_prop_t){lc_str_from(edge_names[1]), cursor};
        edges[i] = gql_val_map(&eprops[2 * i], 2);
        if (i == 0)
            first_cursor = cursor;
        last_cursor = cursor;
    }
    gql_val_t piv[4] = {gql_val_bool(pi->has_next), gql_val_bool(page->after != 0), first_cursor,
                        last_cursor};
    gql_val_t pageinfo;
    if (lc__api_map(a, pageinfo_names, piv, 4, &pageinfo) != LC_OK)
        return LC_ENOMEM;
    gql_val_t cv[4] = {gql_val_list(edges, n), gql_val_list(nodes, n), pageinfo,
                       gql_val_int(pi->total)};
    return lc__api_map(a, conn_names, cv, 4, out);
}

int lc__api_connection_empty(const gql_resolve_info_t *info, gql_val_t *out) {
    static const lc_page_t page = {0, 0};
    static const lc_page_info_t pi = {false, 0};
    return lc__api_connection(info, NULL, 0, 0, &page, &pi, out);
}

/* ---- Values -----------------------------------------------------------------------------------
 */

int lc__api_map(lc_arena_t *a, const char *const *names, const gql_val_t *vals, uint32_t n,
                gql_val_t *out) {
    gql_prop_t *props = lc_arena_alloc(a, (n ? n : 1) * sizeof *props);
    if (!props)
        return LC_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        props[i] = (gql_prop_t){lc_str_from(names[i]), vals[i]};
    *out = gql_val_map(props, n);
    return LC_OK;
}

int lc__api_object(lc_arena_t *a, const void *rec, size_t size, gql_val_t *out) {
    void *p = lc_arena_alloc(a, size);
    if (!p)
        return LC_ENOMEM;
    memcpy(p, rec, size);
    *out = gql_val_object(p, NULL);
    return LC_OK;
}

int lc__api_object_or_null(const gql_resolve_info_t *info, int rc, const void *rec, size_t size,
                           gql_val_t *out) {
    *out = gql_val_null();
    if (rc == LC_ENOTFOUND)
        return LC_OK;
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return lc__api_object(info->arena, rec, size, out);
}

int lc__api_by_id(const gql_resolve_info_t *info, const gql_val_t *arg, const char *type,
                  lc__api_val_fn val, gql_val_t *out) {
    int64_t id;
    *out = gql_val_null();
    if (!lc__api_id_arg(arg, type, &id))
        return LC_OK;
    return val(info, id, out);
}

int lc__api_perm_names(lc_arena_t *a, lc_permset_t p, gql_val_t *out) {
    gql_val_t *items = lc_arena_alloc(a, LC_PERM_COUNT * sizeof *items);
    if (!items)
        return LC_ENOMEM;
    uint32_t n = 0;
    for (unsigned i = 0; i < LC_PERM_COUNT; i++)
        if (lc_permset_has(p, (lc_perm_t)i))
            items[n++] = gql_val_str(lc_str_from(lc_perm_name((lc_perm_t)i)));
    *out = gql_val_list(items, n);
    return LC_OK;
}

static const char *const perm_fields[] = {"name", "action", "resource", "description"};

int lc__api_perm_objects(lc_arena_t *a, lc_permset_t p, gql_val_t *out) {
    gql_val_t *items = lc_arena_alloc(a, LC_PERM_COUNT * sizeof *items);
    gql_prop_t *props = lc_arena_alloc(a, 4 * LC_PERM_COUNT * sizeof *props);
    if (!items || !props)
        return LC_ENOMEM;
    uint32_t n = 0;
    for (unsigned i = 0; i < LC_PERM_COUNT; i++) {
        if (!lc_permset_has(p, (lc_perm_t)i))
            continue;
        const char *name = lc_perm_name((lc_perm_t)i);
        const char *colon = strchr(name, ':');
        lc_str_t action = lc_str_make(name, colon ? (size_t)(colon - name) : strlen(name));
        lc_str_t resource = colon ? lc_str_from(colon + 1) : LC_STR("");
        gql_prop_t *pp = &props[4 * n];
        pp[0] = (gql_prop_t){lc_str_from(perm_fields[0]), gql_val_str(lc_str_from(name))};
        pp[1] = (gql_prop_t){lc_str_from(perm_fields[1]), gql_val_str(action)};
        pp[2] = (gql_prop_t){lc_str_from(perm_fields[2]), gql_val_str(resource)};
        pp[3] = (gql_prop_t){lc_str_from(perm_fields[3]),
                             gql_val_str(lc_str_from(lc_perm_description((lc_perm_t)i)))};
        items[n++] = gql_val_map(pp, 4);
    }
    *out = gql_val_list(items, n);
    return LC_OK;
}

int lc__api_enum_upper(lc_arena_t *a, const char *word, gql_val_t *out) {
    if (!word) {
        *out = gql_val_null();
        return LC_OK;
    }
    size_t n = strlen(word);
    char *s = lc_arena_strndup(a, word, n);
    if (!s)
        return LC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
    *out = gql_val_enum(lc_str_make(s, n));
    return LC_OK;
}

char *lc__api_enum_lower(lc_arena_t *a, lc_str_t name) {
    char *s = lc_arena_strndup(a, name.ptr, name.len);
    if (!s)
        return NULL;
    for (size_t i = 0; i < name.len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
    return s;
}

/* ---- Accessors --------------------------------------------------------------------------------
 */

/* Copies the member of the parent's record this field reads (n bytes, its size) into dst; false,
 * dst untouched, when the parent has no record. Every accessor below is this and a conversion. */
static bool load(const gql_resolve_info_t *info, const gql_val_t *parent, void *dst, size_t n) {
    const char *rec = lc__api_rec(parent);
    if (!rec)
        return false;
    memcpy(dst, rec + lc__api_entry(info)->off, n);
    return true;
}

int lc__api_f_id(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                 gql_val_t *out) {
    (void)args;
    int64_t id = 0;
    load(info, parent, &id, sizeof id);
    return lc__api_id_val(info->arena, lc__api_entry(info)->aux, id, out);
}

int lc__api_f_str(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out) {
    (void)args;
    const char *s = NULL;
    load(info, parent, &s, sizeof s);
    *out = lc__api_cstr(s);
    return LC_OK;
}

int lc__api_f_int(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out) {
    (void)args;
    int64_t v = 0;
    *out = load(info, parent, &v, sizeof v) ? gql_val_int(v) : gql_val_null();
    return LC_OK;
}

int lc__api_f_bool(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out) {
    (void)args;
    bool v = false;
    *out = load(info, parent, &v, sizeof v) ? gql_val_bool(v) : gql_val_null();
    return LC_OK;
}

int lc__api_f_time(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out) {
    (void)args;
    int64_t v = 0;
    load(info, parent, &v, sizeof v);
    *out = v ? gql_val_int(v) : gql_val_null();
    return LC_OK;
}

int lc__api_f_active(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)args;
    lc_active_t v = LC_ACTIVE;
    *out = load(info, parent, &v, sizeof v) ? lc__api_active_enum(v) : gql_val_null();
    return LC_OK;
}

int lc__api_f_upper(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)args;
    const char *s = NULL;
    load(info, parent, &s, sizeof s);
    return lc__api_enum_upper(info->arena, s, out);
}
