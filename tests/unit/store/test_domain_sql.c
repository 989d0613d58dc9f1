/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_db.c, store_sql.def and the statement interface of the backend under
 * test (sqlite.c, or postgres.c in a run against PostgreSQL): every
 * statement prepares, keeps to the SQL both backends accept, numbers its parameters $1..$N;
 * binding errors are sticky; the generation counter; permission sets as stored. */
#include "domain_test.h"

#include <ctype.h>

#include "store_int.h"

/* Every statement of store_sql.def prepares against the migrated schema (also the ones no
 * other test happens to run). */
static void every_statement_prepares(void **state) {
    fx_t *f = *state;
    lc__conn_t *c = NULL;
    assert_int_equal(f->s->ops->conn(f->s, &c), LC_OK);
    for (int id = 0; id < LC__Q_COUNT; id++) {
        lc__stmt_t *st = NULL;
        int rc = f->s->ops->prepare(c, (lc__q_t)id, lc__q_sql[id], &st);
        if (rc != LC_OK)
            fail_msg("%s: %s", lc__q_name[id], lc_status_name(rc));
        f->s->ops->reset(st);
    }
}

static bool has_word(const char *sql, const char *word) {
    size_t n = strlen(word);
    for (const char *p = sql; (p = strcasestr(p, word)) != NULL; p += n) {
        bool start = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool end = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (start && end)
            return true;
    }
    return false;
}

/* The portable subset: $n parameters numbered without gaps, nothing that only SQLite (or only
 * PostgreSQL) understands. */
static void statements_are_portable(void **state) {
    (void)state;
    static const char *const banned[] = {
        "ILIKE",     "NOCASE",  "GLOB",          "COLLATE",   "IFNULL",   "last_insert_rowid",
        "changes",   "rowid",   "json_extract",  "json_each", "strftime", "datetime",
        "INSERT OR", "REPLACE", "AUTOINCREMENT", "TRUE",      "FALSE",    "ISNULL",
        "NOTNULL",   "||", /* PostgreSQL has it too, but with different NULL and type rules */
    };
    for (int id = 0; id < LC__Q_COUNT; id++) {
        const char *sql = lc__q_sql[id];
        for (size_t b = 0; b < sizeof banned / sizeof banned[0]; b++) {
            bool hit = isalpha((unsigned char)banned[b][0]) ? has_word(sql, banned[b])
                                                            : strstr(sql, banned[b]) != NULL;
            if (hit)
                fail_msg("%s uses %s", lc__q_name[id], banned[b]);
        }
        if (strchr(sql, '?') != NULL)
            fail_msg("%s: parameters are $n", lc__q_name[id]);
        bool seen[LC__Q_MAX_PARAMS + 2] = {false};
        int max = 0;
        for (const char *p = sql; (p = strchr(p, '$')) != NULL;) {
            char *end = NULL;
            long n = strtol(p + 1, &end, 10);
            if (end == p + 1 || n < 1 || n > LC__Q_MAX_PARAMS)
                fail_msg("%s: bad parameter at %.10s", lc__q_name[id], p);
            seen[n] = true;
            if (n > max)
                max = (int)n;
            p = end;
        }
        for (int n = 1; n <= max; n++) {
            if (!seen[n])
                fail_msg("%s: $%d is missing", lc__q_name[id], n);
        }
    }
}

/* Binding a parameter the statement does not have is a programming error that surfaces at
 * step as LC_ESTORE, and reset clears it. */
static void binding_errors_are_sticky(void **state) {
    fx_t *f = *state;
    lc__db_t db;
    assert_int_equal(lc__db_read(f->s, &db), LC_OK);
    lc__stmt_t *st = NULL;
    lc__arg_t args[] = {LC__INT(f->t1), LC__INT(f->admin1), LC__INT(3)};
    assert_int_equal(lc__query(&db, LC__Q_USER_GET, args, 3, &st), LC_OK);
    bool row = false;
    assert_int_equal(lc__step(st, &row), LC_ESTORE);
    lc__done(st);
    assert_int_equal(lc__query(&db, LC__Q_USER_GET, args, 2, &st), LC_OK);
    assert_int_equal(lc__step(st, &row), LC_OK);
    assert_true(row);
    assert_int_equal(lc__col_i64(st, 0), f->admin1);
    lc__done(st);
    /* Parameters bound out of order of appearance land where their number says. */
    int64_t id = 0;
    lc__arg_t page[] = {LC__INT(f->t1), LC__INT(0), LC__INT(1)};
    assert_int_equal(lc__exec_i64(&db, LC__Q_ROLES_PAGE, page, 3, &id), LC_OK);
    assert_int_equal(id, f->r_admin1);
    page[1] = LC__INT(f->r_admin1);
    assert_int_equal(lc__exec_i64(&db, LC__Q_ROLES_PAGE, page, 3, &id), LC_OK);
    assert_int_equal(id, f->r_learn1);
}

/* A failed write leaves the connection outside any transaction, and a write after it works. */
static void failed_write_rolls_back(void **state) {
    fx_t *f = *state;
    rdb_fail_inserts(f->db, "audit_events", true);
    lc_user_new_t u = {.email = "bob@acme.test", .name = "Bob"};
    uint64_t gen = lc_store_generation(f->s);
    assert_int_equal(lc_store_user_create(f->s, &f->act1, &u, NULL), LC_EINVAL);
    assert_int_equal(lc_store_user_set_password(f->s, &f->act1, f->admin1, NULL), LC_EINVAL);
    assert_int_equal(lc_store_generation(f->s), gen);
    /* No change without its audit row. */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM users WHERE email = 'bob@acme.test'"), 0);
    assert_int_equal(fx_int(f, "SELECT password_hash IS NOT NULL FROM users WHERE id = %lld",
                            (long long)f->admin1),
                     1);
    assert_true(rdb_write_lock_free(&f->t));
    rdb_fail_inserts(f->db, "audit_events", false);
    assert_int_equal(lc_store_user_create(f->s, &f->act1, &u, NULL), LC_OK);
}

static void generation(void **state) {
    fx_t *f = *state;
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(f->t.url, false, &s), LC_OK);
    assert_int_equal(lc_store_generation(s), 1); /* a cache that saw nothing holds 0 */
    lc_store_close(s);
}

static void perms_json(void **state) {
    (void)state;
    lc_buf_t b;
    char mem[1024];
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(lc__perms_json_write(&b, LC_PERMSET_ALL), LC_OK);
    assert_int_equal(lc__perms_json_parse(b.data, b.len), LC_PERMSET_ALL);
    lc_buf_clear(&b);
    assert_int_equal(lc__perms_json_write(&b, 0), LC_OK);
    assert_int_equal(b.len, 2);
    assert_memory_equal(b.data, "[]", 2);
    struct {
        const char *in;
        lc_permset_t want;
    } cases[] = {
        {"[\"read:users\"]", lc_permset_of(LC_PERM_READ_USERS)},
        {"[\"read:users\",\"read:users\"]", lc_permset_of(LC_PERM_READ_USERS)},
        {"\n[\t\"read:users\" ,\r\"x:y\" ]\n", lc_permset_of(LC_PERM_READ_USERS)},
        {"", 0},
        {"{}", 0},
        {"[", 0},
        {"[\"read:users\"]x", 0},
        {"[\"read:users", 0},
        {"[\"read:users\\\"]", 0},
        {"[null]", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (lc__perms_json_parse(cases[i].in, strlen(cases[i].in)) != cases[i].want)
            fail_msg("case %zu", i);
    }
    assert_int_equal(lc__perm_from_name("read:users", 10), lc_permset_of(LC_PERM_READ_USERS));
    assert_int_equal(lc__perm_from_name("read:user", 9), 0);
    assert_int_equal(lc__grant("console_admin", 13, NULL, 0), LC_PERMSET_ALL);
    assert_int_equal(lc__grant("learner", 7, NULL, 0), 0);
    assert_int_equal(lc__grant(NULL, 0, "read:roles", 10), lc_permset_of(LC_PERM_READ_ROLES));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        FX_TEST(every_statement_prepares),
        FX_TEST(statements_are_portable),
        FX_TEST(binding_errors_are_sticky),
        FX_TEST(failed_write_rolls_back),
        FX_TEST(generation),
        cmocka_unit_test(perms_json),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
