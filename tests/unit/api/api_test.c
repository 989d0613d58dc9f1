/* SPDX-License-Identifier: MIT */
/* Shared helpers of the API's unit tests (see api_test.h). */
#include "api_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_int.h"
#include "gql/parse.h"
#include "gql/validate.h"
#include "lectern/alloc.h"
#include "lectern/json.h"
#include "lectern/log.h"
#include "lectern/password.h"

#define TEST_HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"

int fx_setup(void **state) {
    fx_t *f = lc_calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(lc_auth_init(), LC_OK);
    lc_log_set_level(LC_LOG_WARN); /* keep migrations quiet, failures visible */
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/lc-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/lectern.db", f->dir);
    char url[320];
    snprintf(url, sizeof url, "sqlite:%s", f->path);
    assert_int_equal(lc_store_open(url, true, &f->store), LC_OK);
    int applied = 0;
    assert_int_equal(lc_store_migrate(f->store, &applied), LC_OK);
    lc_store_bootstrap_t a = {"acme", "Acme Inc.", "admin@acme.test", "Ada Admin", TEST_HASH};
    lc_store_bootstrap_t b = {"globex", "Globex", "admin@globex.test", "Gil Admin", TEST_HASH};
    assert_int_equal(lc_store_bootstrap_tenant(f->store, &a, &f->ta, &f->admin_a), LC_OK);
    assert_int_equal(lc_store_bootstrap_tenant(f->store, &b, &f->tb, &f->admin_b), LC_OK);
    assert_int_equal(lc_api_create(&f->api), LC_OK);
    f->now = (int64_t)time(NULL);
    f->a = fx_ctx(f, f->ta, f->admin_a);
    f->b = fx_ctx(f, f->tb, f->admin_b);
    assert_int_equal(f->a.perms, LC_PERMSET_ALL);
    *state = f;
    return 0;
}

int fx_teardown(void **state) {
    fx_t *f = *state;
    lc_api_destroy(f->api);
    lc_store_close(f->store);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[340];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    lc_free(f);
    return 0;
}

/* ---- Running --------------------------------------------------------------------------------- */

static gql_val_t from_json(lc_arena_t *a, const json_t *j) {
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(j), i = 0;
        gql_prop_t *props = lc_arena_alloc(a, (n ? n : 1) * sizeof *props);
        assert_non_null(props);
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)j, key, v) {
            props[i].name = lc_str_from(lc_arena_strdup(a, key));
            props[i].value = from_json(a, v);
            i++;
        }
        return gql_val_map(props, (uint32_t)n);
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        gql_val_t *items = lc_arena_alloc(a, (n ? n : 1) * sizeof *items);
        assert_non_null(items);
        for (size_t i = 0; i < n; i++)
            items[i] = from_json(a, json_array_get(j, i));
        return gql_val_list(items, (uint32_t)n);
    }
    case JSON_STRING: {
        size_t n = json_string_length(j);
        return gql_val_str(lc_str_make(lc_arena_strndup(a, json_string_value(j), n), n));
    }
    case JSON_INTEGER:
        return gql_val_int(json_integer_value(j));
    case JSON_REAL:
        return gql_val_float(json_real_value(j));
    case JSON_TRUE:
        return gql_val_bool(true);
    case JSON_FALSE:
        return gql_val_bool(false);
    default:
        return gql_val_null();
    }
}

static char *run(fx_t *f, const lc_api_ctx_t *ctx, const char *query, const char *vars,
                 bool must_validate) {
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_buf_t out;
    lc_buf_init(&out, &a, 0, 0);
    const gql_schema_t *s = lc_api_schema(f->api);
    gql_document_t *doc = NULL;
    gql_error_t err;
    if (gql_parse_document(&a, query, strlen(query), NULL, &doc, &err) != LC_OK)
        fail_msg("query does not parse: %s\n%s", err.message, query);
    gql_diags_t d;
    gql_diags_init(&d, &a, 0);
    if (gql_validate(&a, s, doc, NULL, &d) != LC_OK) {
        lc_buf_t eb;
        lc_buf_init(&eb, &a, 0, 0);
        gql_diags_write_json(&d, &eb);
        lc_buf_terminate(&eb);
        if (must_validate)
            fail_msg("query does not validate: %s\n%s", eb.data, query);
        lc_buf_append_cstr(&out, "{\"errors\":");
        lc_buf_append_str(&out, lc_buf_str(&eb));
        lc_buf_putc(&out, '}');
    } else {
        gql_val_t v = gql_val_null();
        if (vars) {
            json_error_t je;
            json_t *j = json_loads(vars, JSON_ALLOW_NUL, &je);
            if (!j)
                fail_msg("bad variables JSON: %s: %s", je.text, vars);
            v = from_json(&a, j);
            json_decref(j);
        }
        /* The context as the HTTP glue would hand it: a per-request copy, without a memo. */
        lc_api_ctx_t c;
        if (ctx) {
            c = *ctx;
            c.memo = NULL;
        }
        gql_request_t req = {
            .schema = s,
            .document = doc,
            .variables = vars ? &v : NULL,
            .context = ctx ? &c : NULL,
        };
        assert_int_equal(gql_execute(&a, &req, &out, NULL), LC_OK);
    }
    lc_buf_terminate(&out);
    char *text = lc_strdup(out.data ? out.data : "");
    lc_arena_dispose(&a);
    return text;
}

char *fx_run_raw(fx_t *f, const lc_api_ctx_t *ctx, const char *query, const char *vars) {
    return run(f, ctx, query, vars, false);
}

json_t *fx_run(fx_t *f, const lc_api_ctx_t *ctx, const char *query, const char *vars) {
    char *text = run(f, ctx, query, vars, true);
    json_error_t je;
    json_t *r = json_loads(text, 0, &je);
    if (!r)
        fail_msg("response is not JSON (%s): %s", je.text, text);
    lc_free(text);
    return r;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

json_t *jget(json_t *root, const char *path) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
        if (json_is_array(cur)) {
            char *end;
            long i = strtol(tok, &end, 10);
            cur = *end ? NULL : json_array_get(cur, (size_t)i);
        } else {
            cur = json_object_get(cur, tok);
        }
    }
    return cur;
}

static void dump_fail(json_t *root, const char *what, const char *path) {
    char *s = json_dumps(root, JSON_COMPACT);
    char msg[4096];
    snprintf(msg, sizeof msg, "%s at %s in %s", what, path, s ? s : "?");
    free(s);
    fail_msg("%s", msg);
}

const char *jstr(json_t *root, const char *path) {
    json_t *v = jget(root, path);
    if (!json_is_string(v))
        dump_fail(root, "no string", path);
    return json_string_value(v);
}

int64_t jint(json_t *root, const char *path) {
    json_t *v = jget(root, path);
    if (!json_is_integer(v))
        dump_fail(root, "no integer", path);
    return json_integer_value(v);
}

bool jbool(json_t *root, const char *path) {
    json_t *v = jget(root, path);
    if (!json_is_boolean(v))
        dump_fail(root, "no boolean", path);
    return json_is_true(v);
}

bool jnull(json_t *root, const char *path) {
    json_t *v = jget(root, path);
    return v && json_is_null(v);
}

void assert_no_errors(json_t *r) {
    if (json_object_get(r, "errors"))
        dump_fail(r, "unexpected errors", "errors");
}

void assert_error(json_t *r, const char *code, const char *key, const char *val) {
    json_t *errs = json_object_get(r, "errors");
    if (!json_is_array(errs) || json_array_size(errs) != 1)
        dump_fail(r, "expected exactly one error", "errors");
    json_t *ext = jget(r, "errors.0.extensions");
    const char *got = json_string_value(json_object_get(ext, "code"));
    if (!got || strcmp(got, code) != 0)
        dump_fail(r, code, "errors.0.extensions.code");
    if (key) {
        const char *gv = json_string_value(json_object_get(ext, key));
        if (!gv || strcmp(gv, val) != 0)
            dump_fail(r, val, key);
    }
}

/* ---- Fixtures ---------------------------------------------------------------------------------
 */

const char *fx_id(char *out, const char *type, int64_t id) {
    assert_true(lc__api_id_encode(type, id, out, 128) > 0);
    return out;
}

int64_t fx_num(const char *id, const char *type) {
    int64_t n = 0;
    if (!lc__api_id_parse(lc_str_from(id), type, &n))
        fail_msg("not an ID of %s: %s", type, id);
    return n;
}

int64_t fx_user(fx_t *f, int64_t tenant, const char *email, const char *name) {
    lc_actor_t sys = {tenant, 0, 0, NULL};
    lc_user_new_t u = {email, name, NULL, NULL, 0};
    int64_t id = 0;
    assert_int_equal(lc_store_user_create(f->store, &sys, &u, &id), LC_OK);
    return id;
}

int64_t fx_role(fx_t *f, int64_t tenant, const char *name, lc_permset_t perms) {
    lc_actor_t sys = {tenant, 0, 0, NULL};
    int64_t id = 0;
    assert_int_equal(lc_store_role_create(f->store, &sys, name, "", perms, &id), LC_OK);
    return id;
}

void fx_assign(fx_t *f, int64_t tenant, int64_t user, int64_t role) {
    lc_actor_t sys = {tenant, 0, 0, NULL};
    assert_int_equal(lc_store_role_assign(f->store, &sys, user, role), LC_OK);
}

lc_api_ctx_t fx_ctx(fx_t *f, int64_t tenant, int64_t user) {
    lc_permset_t p = 0;
    lc_active_t st;
    assert_int_equal(lc_store_user_permissions(f->store, tenant, user, &p, &st), LC_OK);
    return (lc_api_ctx_t){f->store, tenant, user, 0, p, "192.0.2.1", f->now, NULL, false};
}

lc_api_ctx_t fx_token_ctx(fx_t *f, int64_t tenant, int64_t user, int64_t token_id,
                          lc_permset_t subset) {
    lc_api_ctx_t c = fx_ctx(f, tenant, user);
    c.token_id = token_id;
    c.perms &= subset;
    return c;
}

lc_permset_t fx_perms(const char *first, ...) {
    lc_permset_t set = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *n = first; n; n = va_arg(ap, const char *)) {
        lc_perm_t p;
        if (lc_perm_parse(lc_str_from(n), &p) != LC_OK)
            fail_msg("unknown permission %s", n);
        set |= lc_permset_of(p);
    }
    va_end(ap);
    return set;
}

int64_t fx_sql_int(fx_t *f, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void fx_sql_text(fx_t *f, const char *sql, char *out, size_t n) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *v = sqlite3_column_text(st, 0);
    snprintf(out, n, "%s", v ? (const char *)v : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
}
