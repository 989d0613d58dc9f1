/* SPDX-License-Identifier: MIT */
/* Helpers shared by the API's unit tests: a fresh SQLite store in a temporary directory with two
 * tenants (acme and globex, each with its bootstrap Console Admin), the API built from the
 * embedded schema, and a runner that parses, validates and executes a GraphQL document the way
 * the HTTP layer does, returning the response as jansson JSON. Failures end the cmocka test. */
#ifndef LECTERN_TEST_API_TEST_H
#define LECTERN_TEST_API_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "lectern/api.h"
#include "lectern/store.h"

typedef struct fx {
    char dir[256];
    char path[300];
    lc_store_t *store;
    lc_api_t *api;
    int64_t ta, tb;           /* tenants acme, globex */
    int64_t admin_a, admin_b; /* their bootstrap admins */
    lc_api_ctx_t a, b;        /* Console sessions of the two admins (every permission) */
    int64_t now;
} fx_t;

/* cmocka setup/teardown: *state is an fx_t. */
int fx_setup(void **state);
int fx_teardown(void **state);

/* Parses, validates and executes `query` with `vars` (JSON object text or NULL) as `ctx` (NULL:
 * no context). Returns the response, owned: json_decref. Fails the test when the document does
 * not parse or validate (see fx_run_raw for those). */
json_t *fx_run(fx_t *f, const lc_api_ctx_t *ctx, const char *query, const char *vars);
/* The same without failing on validation: the response text, heap (lc_free). */
char *fx_run_raw(fx_t *f, const lc_api_ctx_t *ctx, const char *query, const char *vars);

/* The value at a dotted path ("data.users.edges.0.node.id"), or NULL. Borrowed from root. */
json_t *jget(json_t *root, const char *path);
/* The string / integer / boolean at the path; fails the test when it is of another type. */
const char *jstr(json_t *root, const char *path);
int64_t jint(json_t *root, const char *path);
bool jbool(json_t *root, const char *path);
/* True when the path holds JSON null. */
bool jnull(json_t *root, const char *path);
/* Fails the test (printing the response) when it has errors. */
void assert_no_errors(json_t *r);
/* Fails the test unless the response's only error has extensions.code `code` and, when key is
 * not NULL, extensions.<key> == val. */
void assert_error(json_t *r, const char *code, const char *key, const char *val);

/* The opaque ID of (type, id) into out (at least 128 bytes). */
const char *fx_id(char *out, const char *type, int64_t id);
/* The numeric id behind an opaque ID of `type` (fails the test when malformed). */
int64_t fx_num(const char *id, const char *type);

/* Store shortcuts (system actor of the tenant): a user (no password), a custom role, an
 * assignment. */
int64_t fx_user(fx_t *f, int64_t tenant, const char *email, const char *name);
int64_t fx_role(fx_t *f, int64_t tenant, const char *name, lc_permset_t perms);
void fx_assign(fx_t *f, int64_t tenant, int64_t user, int64_t role);
/* A Console session context of the user: permissions read live from the store. */
lc_api_ctx_t fx_ctx(fx_t *f, int64_t tenant, int64_t user);
/* A token context: the creator's live permissions intersected with `subset`. */
lc_api_ctx_t fx_token_ctx(fx_t *f, int64_t tenant, int64_t user, int64_t token_id,
                          lc_permset_t subset);
/* The permission set of names ("read:users", ...), NULL-terminated. */
lc_permset_t fx_perms(const char *first, ...);

/* A raw read of the database: the first column of the first row of sql as an integer. */
int64_t fx_sql_int(fx_t *f, const char *sql);
/* ... as text (empty for NULL) into out. */
void fx_sql_text(fx_t *f, const char *sql, char *out, size_t n);

#endif
