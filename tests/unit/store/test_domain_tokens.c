/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_tokens.c: generation (hash and hint only), the permission subset as
 * a JSON array of names, reads and pages, rename / deactivate / reactivate with their audit
 * actions, the authentication join (creator status, live roles, tenant rate), last use, tenant
 * isolation and allocation failures. */
#include "domain_test.h"

#include "lectern/token.h"

static const lc_permset_t READ_ALL = (1ull << LC_PERM_READ_USERS) | (1ull << LC_PERM_READ_COURSES) |
                                     (1ull << LC_PERM_READ_ENROLLMENTS);

static void hash_of(uint8_t h[32], int n) {
    memset(h, 0, 32);
    h[0] = (uint8_t)n;
    h[31] = 0xA5;
}

static int64_t token(fx_t *f, const lc_actor_t *act, int64_t creator, const char *name, int n,
                     bool has_subset, lc_permset_t subset) {
    uint8_t h[32];
    hash_of(h, n);
    lc_token_new_t t = {.creator_id = creator,
                        .name = name,
                        .hash = h,
                        .hint = "lct_…abcd",
                        .has_subset = has_subset,
                        .subset = subset};
    int64_t id = 0;
    assert_int_equal(lc_store_token_create(f->s, act, &t, &id), LC_OK);
    assert_true(id > 0);
    return id;
}

static void create_and_get(void **state) {
    fx_t *f = *state;
    uint64_t gen = lc_store_generation(f->s);
    uint8_t h[32];
    hash_of(h, 1);
    lc_token_new_t t = {.creator_id = f->admin1,
                        .name = "ETL",
                        .hash = h,
                        .hint = "lct_…abcd",
                        .has_subset = true,
                        .subset = READ_ALL,
                        .expires_at = 4102444800};
    int64_t id = 0;
    assert_int_equal(lc_store_token_create(f->s, &f->act1, &t, &id), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    /* The subset is stored as a JSON array of names; the hash as 32 bytes. */
    assert_string_equal(
        fx_text(f, "SELECT permissions FROM developer_tokens WHERE id = %lld", (long long)id),
        "[\"read:users\",\"read:courses\",\"read:enrollments\"]");
    assert_int_equal(
        fx_int(f, "SELECT length(token_hash) FROM developer_tokens WHERE id = %lld", (long long)id),
        32);
    char want[512];
    snprintf(want, sizeof want,
             "token.create|%lld||developer_token|%lld|192.0.2.1|{\"name\":\"ETL\",\"creator_id\":"
             "%lld,\"permissions\":[\"read:users\",\"read:courses\",\"read:enrollments\"],"
             "\"expires_at\":4102444800}",
             (long long)f->admin1, (long long)id, (long long)f->admin1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    fx_no_secrets_in_audit(f);

    lc_devtoken_t d;
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_int_equal(d.id, id);
    assert_int_equal(d.tenant_id, f->t1);
    assert_int_equal(d.creator_id, f->admin1);
    assert_string_equal(d.name, "ETL");
    assert_string_equal(d.hint, "lct_…abcd");
    assert_int_equal(d.status, LC_ACTIVE);
    assert_true(d.has_subset);
    assert_int_equal(d.subset, READ_ALL);
    assert_int_equal(d.expires_at, 4102444800);
    assert_int_equal(d.last_used_at, 0);
    assert_null(d.last_used_ip);
    assert_true(d.created_at > 0);

    /* No subset: NULL in the column, has_subset false. An empty subset is "[]". */
    int64_t all = token(f, &f->act1, f->admin1, "All", 2, false, 0);
    assert_int_equal(fx_int(f, "SELECT permissions IS NULL FROM developer_tokens WHERE id = %lld",
                            (long long)all),
                     1);
    assert_non_null(strstr(fx_last_audit(f, f->t1), "\"permissions\":null,\"expires_at\":null"));
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, all, &d), LC_OK);
    assert_false(d.has_subset);
    assert_int_equal(d.expires_at, 0);
    int64_t none = token(f, &f->act1, f->admin1, "None", 3, true, 0);
    assert_string_equal(
        fx_text(f, "SELECT permissions FROM developer_tokens WHERE id = %lld", (long long)none),
        "[]");
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, none, &d), LC_OK);
    assert_true(d.has_subset);
    assert_int_equal(d.subset, 0);

    /* The same hash twice: LC_EEXIST. A creator of another tenant: LC_ENOTFOUND. */
    int64_t keep = -1;
    assert_int_equal(lc_store_token_create(f->s, &f->act1, &t, &keep), LC_EEXIST);
    hash_of(h, 9);
    t.creator_id = f->admin2;
    assert_int_equal(lc_store_token_create(f->s, &f->act1, &t, &keep), LC_ENOTFOUND);
    /* Expiry not after creation: the schema refuses. */
    t.creator_id = f->admin1;
    t.expires_at = 1;
    assert_int_equal(lc_store_token_create(f->s, &f->act1, &t, &keep), LC_EINVAL);
    assert_int_equal(keep, -1);
    t.hash = NULL;
    assert_int_equal(lc_store_token_create(f->s, &f->act1, &t, &keep), LC_EINVAL);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM developer_tokens"), 3);
    assert_int_equal(fx_audits(f, f->t1, "token.create"), 3);

    /* Another tenant's id is missing. */
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t2, id, &d), LC_ENOTFOUND);
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, 987654, &d), LC_ENOTFOUND);
}

static void update_actions(void **state) {
    fx_t *f = *state;
    int64_t id = token(f, &f->act1, f->admin1, "ETL", 1, false, 0);
    char want[512];
    uint64_t gen = lc_store_generation(f->s);

    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, "Nightly ETL", -1), LC_OK);
    assert_int_equal(lc_store_generation(f->s), gen); /* a name changes no permission */
    snprintf(want, sizeof want,
             "token.rename|%lld||developer_token|%lld|192.0.2.1|{\"name\":\"Nightly ETL\","
             "\"previous_name\":\"ETL\"}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);

    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, NULL, LC_DEACTIVATED), LC_OK);
    assert_true(lc_store_generation(f->s) > gen);
    snprintf(want, sizeof want,
             "token.deactivate|%lld||developer_token|%lld|192.0.2.1|{\"status\":\"deactivated\"}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    lc_devtoken_t d;
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_int_equal(d.status, LC_DEACTIVATED);
    assert_string_equal(d.name, "Nightly ETL");

    /* Nothing changes: no audit, no generation. */
    gen = lc_store_generation(f->s);
    int64_t audits = fx_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, "Nightly ETL", LC_DEACTIVATED),
                     LC_OK);
    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, NULL, -1), LC_OK);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits);
    assert_int_equal(lc_store_generation(f->s), gen);

    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, NULL, LC_ACTIVE), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "token.reactivate"), 1);
    assert_true(lc_store_generation(f->s) > gen);
    /* Both at once: token.update. */
    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, "ETL", LC_DEACTIVATED), LC_OK);
    snprintf(want, sizeof want,
             "token.update|%lld||developer_token|%lld|192.0.2.1|{\"name\":\"ETL\","
             "\"previous_name\":\"Nightly ETL\",\"status\":\"deactivated\"}",
             (long long)f->admin1, (long long)id);
    assert_string_equal(fx_last_audit(f, f->t1), want);

    /* Through a token: the audit row names it. */
    lc_actor_t via = f->act1;
    via.token_id = id;
    assert_int_equal(lc_store_token_update(f->s, &via, id, "Via token", -1), LC_OK);
    snprintf(want, sizeof want, "token.rename|%lld|%lld|developer_token|%lld|",
             (long long)f->admin1, (long long)id, (long long)id);
    assert_memory_equal(fx_last_audit(f, f->t1), want, strlen(want));

    /* Another tenant; bad values. */
    assert_int_equal(lc_store_token_update(f->s, &f->act2, id, "Mine", -1), LC_ENOTFOUND);
    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, NULL, 5), LC_EINVAL);
    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, "", -1), LC_EINVAL);
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_string_equal(d.name, "Via token");
}

static void list_filters_and_pages(void **state) {
    fx_t *f = *state;
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", f->r_admin1);
    int64_t ids[9];
    for (int i = 0; i < 9; i++)
        ids[i] = token(f, &f->act1, i % 3 ? f->admin1 : bob, "T", i + 1, false, 0);
    token(f, &f->act2, f->admin2, "Theirs", 50, false, 0);
    assert_int_equal(lc_store_token_update(f->s, &f->act1, ids[4], NULL, LC_DEACTIVATED), LC_OK);
    uint64_t gen = lc_store_generation(f->s);

    lc_devtoken_t *t = NULL;
    uint32_t n = 0;
    lc_page_info_t info;
    lc_page_t page = {0, 4};
    int seen = 0;
    for (int pg = 0; pg < 3; pg++) {
        assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t1, NULL, &page, &t, &n, &info),
                         LC_OK);
        assert_int_equal(info.total, 9);
        assert_int_equal(n, pg < 2 ? 4 : 1);
        assert_int_equal(info.has_next, pg < 2);
        for (uint32_t i = 0; i < n; i++)
            assert_int_equal(t[i].id, ids[seen++]);
        page.after = t[n - 1].id;
    }
    /* Newest first: the same tokens in reverse, paged by an upper bound. */
    lc_token_filter_t newest = {.status = -1, .newest_first = true};
    page = (lc_page_t){0, 4};
    seen = 9;
    for (int pg = 0; pg < 3; pg++) {
        assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t1, &newest, &page, &t, &n, &info),
                         LC_OK);
        assert_int_equal(info.total, 9);
        assert_int_equal(n, pg < 2 ? 4 : 1);
        assert_int_equal(info.has_next, pg < 2);
        for (uint32_t i = 0; i < n; i++)
            assert_int_equal(t[i].id, ids[--seen]);
        page.after = t[n - 1].id;
    }
    assert_int_equal(seen, 0);
    /* With a filter: Bob's three (tokens 0, 3, 6), newest first. */
    lc_token_filter_t bobs_newest = {.creator_id = bob, .status = -1, .newest_first = true};
    page = (lc_page_t){ids[6], 100};
    assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t1, &bobs_newest, &page, &t, &n, &info),
                     LC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].id, ids[3]);
    assert_int_equal(t[1].id, ids[0]);
    page = (lc_page_t){0, 100};
    lc_token_filter_t by_bob = {.creator_id = bob, .status = -1};
    assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t1, &by_bob, &page, &t, &n, &info),
                     LC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(info.total, 3);
    lc_token_filter_t off = {.status = LC_DEACTIVATED};
    assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t1, &off, &page, &t, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].id, ids[4]);
    lc_token_filter_t theirs = {.creator_id = f->admin2, .status = -1};
    assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t1, &theirs, &page, &t, &n, &info),
                     LC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lc_store_tokens_list(f->s, &f->a, f->t2, NULL, &page, &t, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lc_store_generation(f->s), gen);
}

static void auth_join(void **state) {
    fx_t *f = *state;
    /* Bob holds a custom role with the token permissions and Learner. */
    lc_permset_t tokp = lc_permset_of(LC_PERM_READ_DEVELOPER_TOKENS) |
                        lc_permset_of(LC_PERM_CREATE_DEVELOPER_TOKENS);
    int64_t role = 0;
    assert_int_equal(lc_store_role_create(f->s, &f->act1, "Tok", NULL, tokp, &role), LC_OK);
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", role);
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_learn1), LC_OK);
    int64_t id =
        token(f, &f->act1, bob, "Bob's", 7, true,
              lc_permset_of(LC_PERM_READ_USERS) | lc_permset_of(LC_PERM_READ_DEVELOPER_TOKENS));
    assert_int_equal(lc_store_tenant_set_rate(f->s, &f->act1, 250, 60), LC_OK);
    uint8_t h[32];
    hash_of(h, 7);
    uint64_t gen = lc_store_generation(f->s);

    lc_token_auth_t a;
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.token.id, id);
    assert_int_equal(a.token.tenant_id, f->t1);
    assert_int_equal(a.token.creator_id, bob);
    assert_int_equal(a.token.status, LC_ACTIVE);
    assert_true(a.token.has_subset);
    assert_int_equal(a.token.subset, lc_permset_of(LC_PERM_READ_USERS) |
                                         lc_permset_of(LC_PERM_READ_DEVELOPER_TOKENS));
    assert_int_equal(a.creator_status, LC_ACTIVE);
    assert_int_equal(a.creator_permissions, tokp);
    assert_int_equal(a.tenant_rate_limit, 250);
    assert_int_equal(a.tenant_rate_window_s, 60);
    /* Reading does not advance the generation. */
    assert_int_equal(lc_store_generation(f->s), gen);

    /* Live: a permission removed from the role is gone on the next read. */
    assert_int_equal(lc_store_role_update(f->s, &f->act1, role, NULL, NULL, true,
                                          lc_permset_of(LC_PERM_READ_DEVELOPER_TOKENS)),
                     LC_OK);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.creator_permissions, lc_permset_of(LC_PERM_READ_DEVELOPER_TOKENS));
    /* The role removed from the creator: nothing left (Learner grants nothing). */
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, role), LC_OK);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.creator_permissions, 0);
    /* No role at all: still found, with nothing. */
    assert_int_equal(lc_store_role_unassign(f->s, &f->act1, bob, f->r_learn1), LC_OK);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.creator_permissions, 0);
    /* Console Admin: every permission of the catalog. */
    assert_int_equal(lc_store_role_assign(f->s, &f->act1, bob, f->r_admin1), LC_OK);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.creator_permissions, LC_PERMSET_ALL);
    /* Creator deactivated: the token is found, the creator's status says no. */
    assert_int_equal(lc_store_user_set_status(f->s, &f->act1, bob, LC_DEACTIVATED), LC_OK);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.creator_status, LC_DEACTIVATED);
    /* Token deactivated. */
    assert_int_equal(lc_store_token_update(f->s, &f->act1, id, NULL, LC_DEACTIVATED), LC_OK);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
    assert_int_equal(a.token.status, LC_DEACTIVATED);

    /* An unknown hash; the default rate settings of the other tenant. */
    uint8_t other[32];
    hash_of(other, 8);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, other, &a), LC_ENOTFOUND);
    token(f, &f->act2, f->admin2, "Theirs", 8, false, 0);
    assert_int_equal(lc_store_token_auth(f->s, &f->a, other, &a), LC_OK);
    assert_int_equal(a.token.tenant_id, f->t2);
    assert_false(a.token.has_subset);
    assert_int_equal(a.creator_permissions, LC_PERMSET_ALL);
    assert_int_equal(a.tenant_rate_limit, -1);
    assert_int_equal(a.tenant_rate_window_s, -1);
}

/* The subset column as a newer binary (or a hand) might have left it. */
static void subset_column_variants(void **state) {
    fx_t *f = *state;
    int64_t id = token(f, &f->act1, f->admin1, "T", 1, true, 0);
    struct {
        const char *json;
        lc_permset_t want;
    } cases[] = {
        {"[\"read:users\", \"fly:spaceships\"]", lc_permset_of(LC_PERM_READ_USERS)},
        {" [ \"read:audit_events\" ] ", lc_permset_of(LC_PERM_READ_AUDIT_EVENTS)},
        {"[]", 0},
        {"[\"read:us\\u0065rs\"]", 0}, /* an escape: not a catalog name */
        {"[1, \"read:users\"]", 0},    /* malformed for us: the empty set */
        {"[\"read:users\",]", 0},
        {"[\"read:users\"", 0},
    };
    uint8_t h[32];
    hash_of(h, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (rdb_exec_args(f->db, "UPDATE developer_tokens SET permissions = $1 WHERE id = $2", 2,
                          cases[i].json, (long long)id) != 0)
            continue; /* the schema refused it (not valid JSON): nothing to read */
        lc_token_auth_t a;
        assert_int_equal(lc_store_token_auth(f->s, &f->a, h, &a), LC_OK);
        if (!a.token.has_subset || a.token.subset != cases[i].want)
            fail_msg("case %zu: %llx", i, (unsigned long long)a.token.subset);
    }
}

static void touch(void **state) {
    fx_t *f = *state;
    int64_t id = token(f, &f->act1, f->admin1, "T", 1, false, 0);
    uint64_t gen = lc_store_generation(f->s);
    int64_t audits = fx_int(f, "SELECT count(*) FROM audit_events");
    assert_int_equal(lc_store_token_touch(f->s, id, 1700000000, "2001:db8::1"), LC_OK);
    lc_devtoken_t d;
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_int_equal(d.last_used_at, 1700000000);
    assert_string_equal(d.last_used_ip, "2001:db8::1");
    assert_int_equal(d.updated_at, d.created_at); /* use is not an update */
    assert_int_equal(lc_store_token_touch(f->s, id, 1700000060, NULL), LC_OK);
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_null(d.last_used_ip);
    /* Within a minute of the last use the store keeps (whichever node wrote it): LC_OK, and
     * nothing written, so that the nodes of a cluster do not each write every use. */
    assert_int_equal(lc_store_token_touch(f->s, id, 1700000119, "192.0.2.9"), LC_OK);
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_int_equal(d.last_used_at, 1700000060);
    assert_null(d.last_used_ip);
    assert_int_equal(lc_store_token_touch(f->s, id, 1700000120, "192.0.2.9"), LC_OK);
    assert_int_equal(lc_store_token_get(f->s, &f->a, f->t1, id, &d), LC_OK);
    assert_int_equal(d.last_used_at, 1700000120);
    assert_string_equal(d.last_used_ip, "192.0.2.9");
    assert_int_equal(fx_int(f, "SELECT count(*) FROM audit_events"), audits);
    assert_int_equal(lc_store_generation(f->s), gen);
    assert_int_equal(lc_store_token_touch(f->s, 987654, 1, NULL), LC_ENOTFOUND);
}

static int oom_create(fx_t *f) {
    uint8_t h[32];
    hash_of(h, 42);
    lc_token_new_t t = {.creator_id = f->admin1,
                        .name = "OOM",
                        .hash = h,
                        .hint = "lct_…oom1",
                        .has_subset = true,
                        .subset = READ_ALL};
    return lc_store_token_create(f->s, &f->act1, &t, NULL);
}

static void out_of_memory(void **state) {
    fx_t *f = *state;
    long n = fx_oom(f, oom_create, "SELECT count(*) FROM developer_tokens");
    print_message("lc_store_token_create: %ld allocation failures checked\n", n);
    /* And the read of the hot path. */
    lc_store_close(f->s);
    assert_int_equal(lc_store_open(f->t.url, false, &f->s), LC_OK);
    uint8_t h[32];
    hash_of(h, 42);
    int rc = LC_ENOMEM;
    for (n = 0; n < 100000 && rc != LC_OK; n++) {
        lc_token_auth_t a;
        lc_alloc_fail_after(n);
        rc = lc_store_token_auth(f->s, &f->a, h, &a);
        lc_alloc_fail_reset();
        if (rc != LC_OK && rc != LC_ENOMEM)
            fail_msg("n=%ld: %s", n, lc_status_name(rc));
        if (rc == LC_OK)
            assert_int_equal(a.token.subset, READ_ALL);
    }
    print_message("lc_store_token_auth: %ld allocation failures checked\n", n - 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        FX_TEST(create_and_get), FX_TEST(update_actions),         FX_TEST(list_filters_and_pages),
        FX_TEST(auth_join),      FX_TEST(subset_column_variants), FX_TEST(touch),
        FX_TEST(out_of_memory),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
