/* SPDX-License-Identifier: MIT */
/* Tests of src/store/store_learning.c: courses and enrollments, their audit rows, filters,
 * pages, uniqueness and tenant isolation. */
#include "domain_test.h"

static void courses(void **state) {
    fx_t *f = *state;
    uint64_t gen = lc_store_generation(f->s);
    int64_t c1 = 0, c2 = 0;
    assert_int_equal(lc_store_course_create(f->s, &f->act1, "Safety 101", "SAF-101", NULL, &c1),
                     LC_OK);
    char want[256];
    snprintf(want, sizeof want,
             "course.create|%lld||course|%lld|192.0.2.1|{\"title\":\"Safety 101\","
             "\"code\":\"SAF-101\",\"status\":\"draft\"}",
             (long long)f->admin1, (long long)c1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(lc_store_course_create(f->s, &f->act1, "Ethics", "ETH-1", "published", &c2),
                     LC_OK);
    lc_course_t c;
    assert_int_equal(lc_store_course_get(f->s, &f->a, f->t1, c1, &c), LC_OK);
    assert_string_equal(c.title, "Safety 101");
    assert_string_equal(c.code, "SAF-101");
    assert_string_equal(c.status, "draft");
    assert_int_equal(c.tenant_id, f->t1);

    /* Codes are unique per tenant ignoring case; other tenants may reuse them. */
    int64_t keep = -1;
    assert_int_equal(lc_store_course_create(f->s, &f->act1, "Again", "saf-101", NULL, &keep),
                     LC_EEXIST);
    assert_int_equal(lc_store_course_create(f->s, &f->act1, "Bad", "B", "deleted", &keep),
                     LC_EINVAL);
    assert_int_equal(keep, -1);
    assert_int_equal(lc_store_course_create(f->s, &f->act2, "Theirs", "SAF-101", NULL, NULL),
                     LC_OK);

    assert_int_equal(lc_store_course_update(f->s, &f->act1, c1, NULL, NULL, "published"), LC_OK);
    snprintf(want, sizeof want,
             "course.update|%lld||course|%lld|192.0.2.1|{\"status\":\"published\"}",
             (long long)f->admin1, (long long)c1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(lc_store_course_update(f->s, &f->act1, c1, "Safety", "S-1", NULL), LC_OK);
    assert_int_equal(lc_store_course_get(f->s, &f->a, f->t1, c1, &c), LC_OK);
    assert_string_equal(c.title, "Safety");
    assert_string_equal(c.code, "S-1");
    assert_string_equal(c.status, "published");
    assert_int_equal(lc_store_course_update(f->s, &f->act1, c1, NULL, "eth-1", NULL), LC_EEXIST);
    int64_t audits = fx_audits(f, f->t1, "course.update");
    assert_int_equal(lc_store_course_update(f->s, &f->act1, c1, NULL, NULL, NULL), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "course.update"), audits);
    assert_int_equal(lc_store_course_update(f->s, &f->act1, 987654, NULL, NULL, NULL),
                     LC_ENOTFOUND);
    /* Another tenant. */
    assert_int_equal(lc_store_course_get(f->s, &f->a, f->t2, c1, &c), LC_ENOTFOUND);
    assert_int_equal(lc_store_course_update(f->s, &f->act2, c1, "Mine", NULL, NULL), LC_ENOTFOUND);
    assert_int_equal(fx_audits(f, f->t2, "course.update"), 0);

    /* List: status filter and pages. */
    lc_course_t *l = NULL;
    uint32_t n = 0;
    lc_page_info_t info;
    lc_page_t page = {0, 1};
    assert_int_equal(lc_store_courses_list(f->s, &f->a, f->t1, NULL, &page, &l, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, c1);
    assert_true(info.has_next);
    assert_int_equal(info.total, 2);
    page.after = c1;
    assert_int_equal(lc_store_courses_list(f->s, &f->a, f->t1, NULL, &page, &l, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, c2);
    assert_false(info.has_next);
    page = (lc_page_t){0, 10};
    assert_int_equal(lc_store_course_update(f->s, &f->act1, c2, NULL, NULL, "archived"), LC_OK);
    assert_int_equal(lc_store_courses_list(f->s, &f->a, f->t1, "archived", &page, &l, &n, &info),
                     LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, c2);
    assert_int_equal(lc_store_courses_list(f->s, &f->a, f->t2, NULL, &page, &l, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_not_equal(l[0].id, c1);
    /* Learning data changes no permission. */
    assert_int_equal(lc_store_generation(f->s), gen);
}

static void enrollments(void **state) {
    fx_t *f = *state;
    int64_t c1 = 0, c2 = 0, theirs = 0;
    assert_int_equal(lc_store_course_create(f->s, &f->act1, "A", "A", NULL, &c1), LC_OK);
    assert_int_equal(lc_store_course_create(f->s, &f->act1, "B", "B", NULL, &c2), LC_OK);
    assert_int_equal(lc_store_course_create(f->s, &f->act2, "T", "T", NULL, &theirs), LC_OK);
    int64_t bob = fx_user(f, &f->act1, "bob@acme.test", "Bob", f->r_learn1);
    int64_t zed = fx_user(f, &f->act2, "zed@globex.test", "Zed", 0);
    uint64_t gen = lc_store_generation(f->s);

    lc_enrollment_t e = {
        .user_id = bob, .course_id = c1, .progress = -1, .started_at = 0, .ended_at = 0};
    int64_t e1 = 0, e2 = 0, keep = -1;
    assert_int_equal(lc_store_enrollment_create(f->s, &f->act1, &e, &e1), LC_OK);
    char want[256];
    snprintf(want, sizeof want,
             "enrollment.create|%lld||enrollment|%lld|192.0.2.1|{\"user_id\":%lld,"
             "\"course_id\":%lld,\"status\":\"enrolled\"}",
             (long long)f->admin1, (long long)e1, (long long)bob, (long long)c1);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    e = (lc_enrollment_t){.user_id = bob,
                          .course_id = c2,
                          .status = "in_progress",
                          .progress = 40,
                          .started_at = 1700000000};
    assert_int_equal(lc_store_enrollment_create(f->s, &f->act1, &e, &e2), LC_OK);
    lc_enrollment_t g;
    assert_int_equal(lc_store_enrollment_get(f->s, &f->a, f->t1, e2, &g), LC_OK);
    assert_string_equal(g.status, "in_progress");
    assert_int_equal(g.progress, 40);
    assert_int_equal(g.started_at, 1700000000);
    assert_int_equal(g.ended_at, 0);
    assert_int_equal(g.user_id, bob);
    assert_int_equal(g.course_id, c2);

    /* Twice: LC_EEXIST. Unknown or other tenant's user or course: LC_ENOTFOUND. */
    assert_int_equal(lc_store_enrollment_create(f->s, &f->act1, &e, &keep), LC_EEXIST);
    lc_enrollment_t bad[] = {
        {.user_id = bob, .course_id = theirs, .progress = -1},
        {.user_id = zed, .course_id = c1, .progress = -1},
        {.user_id = 987654, .course_id = c1, .progress = -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(lc_store_enrollment_create(f->s, &f->act1, &bad[i], &keep), LC_ENOTFOUND);
    assert_int_equal(keep, -1);
    assert_int_equal(fx_audits(f, f->t1, "enrollment.create"), 2);

    /* Update: leave, set, clear. */
    lc_enrollment_t u = {
        .status = "completed", .progress = 100, .started_at = -1, .ended_at = 1700086400};
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act1, e2, &u), LC_OK);
    snprintf(want, sizeof want,
             "enrollment.update|%lld||enrollment|%lld|192.0.2.1|{\"status\":\"completed\","
             "\"progress\":100,\"ended_at\":1700086400}",
             (long long)f->admin1, (long long)e2);
    assert_string_equal(fx_last_audit(f, f->t1), want);
    assert_int_equal(lc_store_enrollment_get(f->s, &f->a, f->t1, e2, &g), LC_OK);
    assert_string_equal(g.status, "completed");
    assert_int_equal(g.progress, 100);
    assert_int_equal(g.started_at, 1700000000);
    assert_int_equal(g.ended_at, 1700086400);
    u = (lc_enrollment_t){.status = NULL, .progress = -1, .started_at = 0, .ended_at = 0};
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act1, e2, &u), LC_OK);
    assert_int_equal(lc_store_enrollment_get(f->s, &f->a, f->t1, e2, &g), LC_OK);
    assert_string_equal(g.status, "completed");
    assert_int_equal(g.started_at, 0);
    assert_int_equal(g.ended_at, 0);
    /* Out of the domain (progress 101, an end before the start): the schema says LC_EINVAL. */
    u = (lc_enrollment_t){.progress = 101, .started_at = -1, .ended_at = -1};
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act1, e2, &u), LC_EINVAL);
    u = (lc_enrollment_t){.progress = -1, .started_at = 2000, .ended_at = 1000};
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act1, e2, &u), LC_EINVAL);
    /* Nothing to change; another tenant; a missing one. */
    int64_t audits = fx_audits(f, f->t1, "enrollment.update");
    u = (lc_enrollment_t){.progress = -1, .started_at = -1, .ended_at = -1};
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act1, e2, &u), LC_OK);
    assert_int_equal(fx_audits(f, f->t1, "enrollment.update"), audits);
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act1, 987654, &u), LC_ENOTFOUND);
    u.progress = 5;
    assert_int_equal(lc_store_enrollment_update(f->s, &f->act2, e2, &u), LC_ENOTFOUND);
    assert_int_equal(lc_store_enrollment_get(f->s, &f->a, f->t2, e2, &g), LC_ENOTFOUND);

    /* List with filters. */
    lc_enrollment_t *l = NULL;
    uint32_t n = 0;
    lc_page_info_t info;
    lc_page_t page = {0, 10};
    assert_int_equal(lc_store_enrollments_list(f->s, &f->a, f->t1, NULL, &page, &l, &n, &info),
                     LC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(info.total, 2);
    lc_enrollment_filter_t by_course = {.course_id = c1};
    assert_int_equal(
        lc_store_enrollments_list(f->s, &f->a, f->t1, &by_course, &page, &l, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, e1);
    lc_enrollment_filter_t by_status = {.user_id = bob, .status = "completed"};
    assert_int_equal(
        lc_store_enrollments_list(f->s, &f->a, f->t1, &by_status, &page, &l, &n, &info), LC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, e2);
    assert_int_equal(lc_store_enrollments_list(f->s, &f->a, f->t2, NULL, &page, &l, &n, &info),
                     LC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lc_store_generation(f->s), gen);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        FX_TEST(courses),
        FX_TEST(enrollments),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
