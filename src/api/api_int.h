/* SPDX-License-Identifier: MIT */
/* Inside src/api: the binding tables each resolve_*.c file exports, the helpers they share
 * (context, errors with codes, input validation, opaque IDs, pages and connections, scalars)
 * and the small field accessors that read a member of a store record. Nothing here is for other
 * modules; the unit tests include it to check the helpers directly. */
#ifndef LECTERN_API_INT_H
#define LECTERN_API_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gql/execute.h"
#include "gql/schema.h"
#include "gql/value.h"
#include "lectern/api.h"
#include "lectern/model.h"
#include "lectern/store.h"

/* ---- Binding tables ------------------------------------------------------------------------
 *
 * Every resolver is bound through one dispatcher (api.c) that checks the field's permission
 * (user_tag) before calling `fn`; the entry is the field's resolve_ctx, so that the small
 * accessors below find the member they read (`off`) and, for IDs, the type name (`aux`). */
typedef struct lc__api_bind {
    const char *coordinate; /* "Type.field" */
    gql_resolve_fn fn;
    size_t off;      /* accessors: offset of the member in the parent's record */
    const char *aux; /* accessors of IDs: the ID's type name ("User") */
} lc__api_bind_t;

/* A resolver of its own. */
#define LC__API_RESOLVER(coord, fn)                                                                \
    { (coord), (fn), 0, NULL }
/* An accessor of `member` of the parent's record type `rec`. */
#define LC__API_FIELD(coord, fn, rec, member)                                                      \
    { (coord), (fn), offsetof(rec, member), NULL }
/* The opaque ID of the record's `member` (an int64_t), as an ID of type `type`. */
#define LC__API_ID(coord, rec, member, type)                                                       \
    { (coord), lc__api_f_id, offsetof(rec, member), (type) }

typedef struct lc__api_binds {
    const lc__api_bind_t *items;
    size_t n;
} lc__api_binds_t;

extern const lc__api_binds_t lc__api_viewer_binds;  /* resolve_viewer.c */
extern const lc__api_binds_t lc__api_users_binds;   /* resolve_users.c */
extern const lc__api_binds_t lc__api_roles_binds;   /* resolve_roles.c */
extern const lc__api_binds_t lc__api_courses_binds; /* resolve_courses.c */
extern const lc__api_binds_t lc__api_tokens_binds;  /* resolve_tokens.c */
extern const lc__api_binds_t lc__api_audit_binds;   /* resolve_audit.c */

/* Object types whose values are property maps (GQL_VAL_MAP) read by the engine's default
 * resolver; every other object type of the schema must have all its fields bound (api.c checks
 * it at start-up). NULL-terminated. */
extern const char *const lc__api_map_types[];

/* ---- Context ------------------------------------------------------------------------------- */

/* The request's context; NULL when the request has none (then every data field fails). */
static inline const lc_api_ctx_t *lc__api_ctx(const gql_resolve_info_t *info) {
    return (const lc_api_ctx_t *)info->context;
}
/* The binding entry of the field being resolved. */
static inline const lc__api_bind_t *lc__api_entry(const gql_resolve_info_t *info) {
    return (const lc__api_bind_t *)info->field->resolve_ctx;
}
static inline lc_actor_t lc__api_actor(const lc_api_ctx_t *c) {
    return (lc_actor_t){c->tenant_id, c->user_id, c->token_id, c->ip};
}
/* The argument `name` of the field being resolved (by its definition), or NULL. */
const gql_val_t *lc__api_arg(const gql_resolve_info_t *info, const gql_val_t *args,
                             const char *name);

/* ---- Errors ---------------------------------------------------------------------------------
 *
 * Each records a field error (message, path, extensions.code and more) and returns a non-LC_OK
 * status for the resolver to return. Messages never quote a secret or a password. */

#define LC__API_FORBIDDEN "FORBIDDEN"
#define LC__API_BAD_INPUT "BAD_USER_INPUT"
#define LC__API_NOT_FOUND "NOT_FOUND"
#define LC__API_CONFLICT "CONFLICT"
#define LC__API_INTERNAL "INTERNAL_SERVER_ERROR"
#define LC__API_UNAUTHENTICATED "UNAUTHENTICATED"
#define LC__API_UNAVAILABLE "UNAVAILABLE"

/* extensions.code = code; extensions.field = field when not NULL. Returns LC_EINVAL. */
int lc__api_fail(const gql_resolve_info_t *info, const char *code, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* FORBIDDEN with extensions.permission = the name of p. Returns LC_EDENIED. */
int lc__api_forbidden(const gql_resolve_info_t *info, lc_perm_t p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* LC_OK when want ⊆ ctx->perms; else FORBIDDEN naming the first permission (catalog order)
 * the caller lacks: "You cannot <verb> the <perm> permission: you do not hold it." */
int lc__api_require_subset(const gql_resolve_info_t *info, lc_permset_t want, const char *verb);

/* Messages of a store failure, by status; NULL picks a generic text. */
typedef struct lc__api_store_msgs {
    const char *field;    /* extensions.field of NOT_FOUND / CONFLICT, or NULL */
    const char *exists;   /* LC_EEXIST -> CONFLICT */
    const char *notfound; /* LC_ENOTFOUND -> NOT_FOUND */
    const char *conflict; /* LC_ECONFLICT -> CONFLICT */
    const char *denied;   /* LC_EDENIED -> FORBIDDEN */
} lc__api_store_msgs_t;
/* Maps a failed store call to a field error: LC_EEXIST and LC_ECONFLICT -> CONFLICT,
 * LC_ENOTFOUND -> NOT_FOUND, LC_EDENIED -> FORBIDDEN, LC_EUNAVAILABLE -> UNAVAILABLE ("retry
 * shortly"; the context's store_unavailable is set, which makes the answer a 503), anything
 * else -> INTERNAL_SERVER_ERROR with the status logged ("api.store": the field's coordinate and
 * the status, never a value). Returns rc. */
int lc__api_store_error(const gql_resolve_info_t *info, int rc, const lc__api_store_msgs_t *m);

/* ---- Input ----------------------------------------------------------------------------------
 *
 * Input objects arrive as GQL_VAL_MAP without their absent fields. A null is treated as absent
 * unless the field documents a meaning for it (dates of UpdateEnrollmentInput). */

/* The property `name` of an input map, or NULL when absent or null. */
const gql_val_t *lc__api_in(const gql_val_t *map, const char *name);
/* True when the property is present and null. */
bool lc__api_in_null(const gql_val_t *map, const char *name);

/* A text input: at least `min` and at most `max` characters (code points) of valid UTF-8 with
 * no control character, and not only white space when min > 0. LC_OK with *out (arena,
 * NUL-terminated); BAD_USER_INPUT naming `field` otherwise. */
int lc__api_text(const gql_resolve_info_t *info, const gql_val_t *v, const char *field, size_t min,
                 size_t max, const char **out);
/* The same, with line breaks and tabs allowed (descriptions). */
int lc__api_text_lines(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                       size_t min, size_t max, const char **out);
/* An email: 3..LC_LIMIT_EMAIL_MAX bytes, one '@' with text on both sides, no white space or
 * control character, a domain without empty labels. Same contract as lc__api_text. */
int lc__api_email(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                  const char **out);
/* Permission names of a list input; BAD_USER_INPUT naming `field` for a name not in the
 * catalog. */
int lc__api_perms_in(const gql_resolve_info_t *info, const gql_val_t *list, const char *field,
                     lc_permset_t *out);
/* A Date or DateTime input (see scalars.c: well-formed ones are GQL_VAL_INT unix seconds).
 * BAD_USER_INPUT naming `field` for a malformed one. */
int lc__api_time_in(const gql_resolve_info_t *info, const gql_val_t *v, const char *field,
                    bool date, int64_t *out);
/* A record ID input of `type` for a mutation: LC_OK with *id, or NOT_FOUND naming `field`
 * ("No <what> with this ID.") for a malformed ID or one of another type. */
int lc__api_id_in(const gql_resolve_info_t *info, const gql_val_t *v, const char *type,
                  const char *what, const char *field, int64_t *id);

/* ---- Opaque IDs and cursors (ids.c) ----------------------------------------------------------
 *
 * An ID is base64url without padding of "<Type>:<decimal id>", e.g. "VXNlcjo0Mg" for User 42;
 * a cursor is the same with the type "cursor". IDs are canonical: exactly one text per (type,
 * id), so that clients may compare them. */

#define LC__API_ID_MAX 96 /* longest ID text accepted (bytes) */

/* The ID text into out (NUL-terminated); returns its length, or 0 when out is too small or the
 * type is too long. id > 0. */
size_t lc__api_id_encode(const char *type, int64_t id, char *out, size_t outlen);
/* Arena copy of the ID text; NULL on ENOMEM. */
char *lc__api_id_format(lc_arena_t *a, const char *type, int64_t id);
/* true with *id when s is the canonical ID of a positive id of `type`; false otherwise. */
bool lc__api_id_parse(lc_str_t s, const char *type, int64_t *id);
/* The same for a coerced ID value (GQL_VAL_STRING); false for anything else. */
static inline bool lc__api_id_arg(const gql_val_t *v, const char *type, int64_t *id) {
    return v && v->kind == GQL_VAL_STRING && lc__api_id_parse(v->s, type, id);
}
/* The ID as a GQL value (null for id 0); returns LC_ENOMEM or LC_OK. */
int lc__api_id_val(lc_arena_t *a, const char *type, int64_t id, gql_val_t *out);

#define LC__API_CURSOR "cursor"

/* ---- Pages and connections (api.c) ---------------------------------------------------------- */

/* Reads `first` (0..LC_API_PAGE_MAX, default LC_API_PAGE_DEFAULT) and `after` (a cursor) of
 * the field. BAD_USER_INPUT on `first` or `after`. */
int lc__api_page(const gql_resolve_info_t *info, const gql_val_t *args, lc_page_t *page);

/* A Relay connection as a property map: edges { node cursor }, nodes, pageInfo, totalCount.
 * items: n records of `size` bytes, each beginning with its int64_t id (the cursor);
 * has_prev: a page after a cursor. */
int lc__api_connection(const gql_resolve_info_t *info, const void *items, size_t size, uint32_t n,
                       const lc_page_t *page, const lc_page_info_t *pi, gql_val_t *out);
/* An empty connection (a filter that can match nothing, e.g. a malformed ID). */
int lc__api_connection_empty(const gql_resolve_info_t *info, gql_val_t *out);

/* ---- Values ------------------------------------------------------------------------------- */

/* A property map from names and values (copied into the arena). */
int lc__api_map(lc_arena_t *a, const char *const *names, const gql_val_t *vals, uint32_t n,
                gql_val_t *out);
/* An arena copy of a record as an object value for the next resolvers. */
int lc__api_object(lc_arena_t *a, const void *rec, size_t size, gql_val_t *out);
/* A NUL-terminated string as a value: null for NULL. */
static inline gql_val_t lc__api_cstr(const char *s) {
    return s ? gql_val_str(lc_str_from(s)) : gql_val_null();
}
/* Names of the permissions of p in catalog order: a list of strings. */
int lc__api_perm_names(lc_arena_t *a, lc_permset_t p, gql_val_t *out);
/* The Permission objects of p in catalog order. */
int lc__api_perm_objects(lc_arena_t *a, lc_permset_t p, gql_val_t *out);
/* Store status words ("in_progress") as enum values ("IN_PROGRESS") and back; arena. */
int lc__api_enum_upper(lc_arena_t *a, const char *word, gql_val_t *out);
char *lc__api_enum_lower(lc_arena_t *a, lc_str_t name);
static inline gql_val_t lc__api_active_enum(lc_active_t v) {
    return gql_val_enum(v == LC_ACTIVE ? lc_str_from("ACTIVE") : lc_str_from("DEACTIVATED"));
}

/* ---- Accessors: one member of the parent's record (entry->off) ---------------------------- */
int lc__api_f_id(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                 gql_val_t *out); /* int64_t, aux = type */
int lc__api_f_str(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out); /* const char *, NULL = null */
int lc__api_f_int(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out); /* int64_t */
int lc__api_f_bool(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out); /* bool */
int lc__api_f_time(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                   gql_val_t *out); /* int64_t, 0 = null */
int lc__api_f_active(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out); /* lc_active_t */
int lc__api_f_upper(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out); /* const char * status word */

/* The parent's record. */
static inline const void *lc__api_rec(const gql_val_t *parent) {
    return parent->kind == GQL_VAL_OBJECT ? parent->obj.ptr : NULL;
}

/* ---- Shared lookups ----------------------------------------------------------------------- */

/* The user `id` of the caller's tenant as a User value; null when there is none (out is then
 * null and LC_OK is returned). Other store failures are recorded as field errors. The other
 * *_val do the same for their type. */
typedef int (*lc__api_val_fn)(const gql_resolve_info_t *info, int64_t id, gql_val_t *out);
int lc__api_user_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out);
int lc__api_token_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out);
int lc__api_role_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out);
int lc__api_course_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out);
int lc__api_enrollment_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out);
/* What the *_val above share: rc is the store's get of `rec` (size bytes, or not called and
 * LC_ENOTFOUND for an id <= 0); the object for LC_OK, null for LC_ENOTFOUND, else the store
 * error as a field error (out null). */
int lc__api_object_or_null(const gql_resolve_info_t *info, int rc, const void *rec, size_t size,
                           gql_val_t *out);
/* A single-object query (Query.user(id:) and the like): the object `val` finds for the ID
 * argument `arg` of GraphQL type `type`; null for an ID that is malformed or of another type. */
int lc__api_by_id(const gql_resolve_info_t *info, const gql_val_t *arg, const char *type,
                  lc__api_val_fn val, gql_val_t *out);
/* Enrollments of a filter as a connection (Query.enrollments, User.enrollments,
 * Course.enrollments). */
int lc__api_enrollments_conn(const gql_resolve_info_t *info, const gql_val_t *args,
                             const lc_enrollment_filter_t *f, gql_val_t *out);

/* ---- Per-request memo (memo.c) -------------------------------------------------------------
 *
 * DataLoader's idea within one request: a resolver that lists users remembers the page it
 * returns (lc__api_memo_users); the first User.roles or User.permissions of a user of that page
 * loads the roles of the whole page with one lc_store_users_roles call and keeps them in the
 * request arena, and the page's other users read them from there. A user not reached through a
 * remembered page (Query.user, a mutation's result, Enrollment.user, ...) is a record of its
 * own, so it is read alone, as before: a mutation never sees roles remembered before it ran.
 * Permission checks are the dispatcher's, unchanged. */

/* Remembers n users (the records handed to lc__api_connection, which must stay where they are
 * for the request). LC_ENOMEM. */
int lc__api_memo_users(const gql_resolve_info_t *info, const lc_user_t *items, uint32_t n);
/* The roles of u (the parent record of a User field), by name: *out arena. Store failures are
 * recorded as field errors (lc__api_store_error) and returned. */
int lc__api_user_roles(const gql_resolve_info_t *info, const lc_user_t *u, const lc_role_t **out,
                       uint32_t *n);
/* The live permissions of u (union of its roles), the same way. */
int lc__api_user_perms(const gql_resolve_info_t *info, const lc_user_t *u, lc_permset_t *out);

/* Store calls made by the two functions above on this thread since it started (tests compare
 * before and after a request). */
typedef struct lc__api_memo_counts {
    uint64_t batch;  /* lc_store_users_roles: a page's roles */
    uint64_t single; /* lc_store_user_roles / lc_store_user_permissions: one user's */
    uint64_t hits;   /* answered from the memo */
} lc__api_memo_counts_t;
void lc__api_memo_counts(lc__api_memo_counts_t *out);
/* Tests only: false turns the memo off on this thread (every user is read alone, as before the
 * memo), to compare responses with and without it. */
void lc__api_memo_enable(bool on);

/* ---- Scalars (scalars.c) ------------------------------------------------------------------- */

/* Binds Date, DateTime and JSON. Inputs: a well-formed Date or DateTime becomes GQL_VAL_INT
 * (unix seconds; a Date is its midnight UTC); a malformed string is kept as GQL_VAL_STRING so
 * that the resolver refuses it with BAD_USER_INPUT naming the field; a non-string is refused
 * by coercion. Outputs: GQL_VAL_INT unix seconds, written as `YYYY-MM-DDTHH:MM:SSZ` or
 * `YYYY-MM-DD`; JSON writes GQL_VAL_RAW text verbatim. */
int lc__api_bind_scalars(gql_schema_t *s) LC_MUST_CHECK;

/* YYYY-MM-DD, a real calendar date from 1970-01-02 to 9999-12-31 (the store keeps dates as
 * unix seconds where 0 means none) -> its midnight UTC. */
bool lc__api_date_parse(lc_str_t s, int64_t *out);
/* RFC 3339 date-time (`T` or `t`, `Z`, `z` or ±HH:MM, optional fraction, dropped) in years
 * 0001..9999 -> unix seconds. */
bool lc__api_datetime_parse(lc_str_t s, int64_t *out);
/* `YYYY-MM-DDTHH:MM:SSZ` (out of 21 bytes); false outside years 0000..9999. */
bool lc__api_datetime_format(int64_t t, char out[21]);
/* `YYYY-MM-DD` (out of 11 bytes). */
bool lc__api_date_format(int64_t t, char out[11]);

#endif
