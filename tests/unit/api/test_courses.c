/* SPDX-License-Identifier: MIT */
/* Tests of src/api/resolve_courses.c: courses and enrollments, their status enums, Date values
 * (real calendar dates, endDate not before startDate, null clearing a date), progress bounds,
 * conflicts, tenancy, and the guarded links between them. */
#include "api_test.h"

#include <stdio.h>
#include <string.h>

static const char *create_course(fx_t *f, const lc_api_ctx_t *c, const char *title,
                                 const char *code, const char *status, char *id) {
    char doc[400];
    snprintf(doc, sizeof doc,
             "mutation { createCourse(input: {title: \"%s\", code: \"%s\"%s%s}) { id } }", title,
             code, status ? ", status: " : "", status ? status : "");
    json_t *r = fx_run(f, c, doc, NULL);
    assert_no_errors(r);
    snprintf(id, 128, "%s", jstr(r, "data.createCourse.id"));
    json_decref(r);
    return id;
}

static void courses(void **state) {
    fx_t *f = *state;
    char c1[128], c2[128], vars[600];
    create_course(f, &f->a, "Intro to C", "C101", NULL, c1);
    create_course(f, &f->a, "Advanced C", "C201", "PUBLISHED", c2);
    json_t *r = fx_run(f, &f->a,
                       "{ all: courses { totalCount nodes { title code status createdAt } }"
                       "  pub: courses(status: PUBLISHED) { totalCount nodes { code } } }",
                       NULL);
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.all.totalCount"), 2);
    assert_string_equal(jstr(r, "data.all.nodes.0.status"), "DRAFT");
    assert_int_equal(jint(r, "data.pub.totalCount"), 1);
    assert_string_equal(jstr(r, "data.pub.nodes.0.code"), "C201");
    json_decref(r);
    /* Codes are unique within the tenant (ignoring case), not across tenants. */
    const char *m = "mutation($i: CreateCourseInput!) { createCourse(input: $i) { code } }";
    r = fx_run(f, &f->a, m, "{\"i\": {\"title\": \"Again\", \"code\": \"c101\"}}");
    assert_error(r, "CONFLICT", "field", "input.code");
    assert_string_equal(jstr(r, "errors.0.message"), "A course with this code already exists.");
    json_decref(r);
    r = fx_run(f, &f->b, m, "{\"i\": {\"title\": \"Again\", \"code\": \"c101\"}}");
    assert_no_errors(r);
    json_decref(r);
    char code[80];
    memset(code, 'k', 65);
    code[65] = '\0';
    snprintf(vars, sizeof vars, "{\"i\": {\"title\": \"T\", \"code\": \"%s\"}}", code);
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "input.code");
    json_decref(r);
    r = fx_run(f, &f->a, m, "{\"i\": {\"title\": \"\", \"code\": \"X\"}}");
    assert_error(r, "BAD_USER_INPUT", "field", "input.title");
    json_decref(r);
    /* Update, and the other tenant cannot. */
    const char *up = "mutation($id: ID!, $i: UpdateCourseInput!) { updateCourse(id: $id, input: "
                     "$i) { title code status } }";
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"status\": \"ARCHIVED\"}}", c1);
    r = fx_run(f, &f->a, up, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.updateCourse.status"), "ARCHIVED");
    assert_string_equal(jstr(r, "data.updateCourse.code"), "C101");
    json_decref(r);
    r = fx_run(f, &f->b, up, vars);
    assert_error(r, "NOT_FOUND", "field", "id");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"code\": \"C201\"}}", c1);
    r = fx_run(f, &f->a, up, vars);
    assert_error(r, "CONFLICT", "field", "input.code");
    json_decref(r);
    snprintf(vars, sizeof vars, "{ course(id: \"%s\") { title } }", c2);
    r = fx_run(f, &f->b, vars, NULL);
    assert_no_errors(r);
    assert_true(jnull(r, "data.course"));
    json_decref(r);
}

static void enrollments(void **state) {
    fx_t *f = *state;
    char course[128], user[128], vars[800], eid[128];
    create_course(f, &f->a, "Intro", "I1", NULL, course);
    int64_t lea = fx_user(f, f->ta, "lea@acme.test", "Lea");
    fx_id(user, "User", lea);
    const char *m = "mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id status progress"
                    " startDate endDate user { email } course { code } } }";
    snprintf(vars, sizeof vars,
             "{\"i\": {\"userId\": \"%s\", \"courseId\": \"%s\", \"startDate\": \"2026-02-28\","
             " \"progress\": 10, \"status\": \"IN_PROGRESS\"}}",
             user, course);
    json_t *r = fx_run(f, &f->a, m, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.enrollUser.status"), "IN_PROGRESS");
    assert_int_equal(jint(r, "data.enrollUser.progress"), 10);
    assert_string_equal(jstr(r, "data.enrollUser.startDate"), "2026-02-28");
    assert_true(jnull(r, "data.enrollUser.endDate"));
    assert_string_equal(jstr(r, "data.enrollUser.user.email"), "lea@acme.test");
    assert_string_equal(jstr(r, "data.enrollUser.course.code"), "I1");
    snprintf(eid, sizeof eid, "%s", jstr(r, "data.enrollUser.id"));
    json_decref(r);
    /* Once per user and course. */
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "CONFLICT", "field", "input.courseId");
    json_decref(r);

    /* Bad input, each naming its field. */
    static const struct {
        const char *extra;
        const char *field;
    } bad[] = {
        {"\"startDate\": \"2026-02-30\"", "input.startDate"},
        {"\"startDate\": \"2026-2-1\"", "input.startDate"},
        {"\"endDate\": \"yesterday\"", "input.endDate"},
        {"\"startDate\": \"2026-03-02\", \"endDate\": \"2026-03-01\"", "input.endDate"},
        {"\"progress\": 101", "input.progress"},
        {"\"progress\": -1", "input.progress"},
    };
    int64_t bob = fx_user(f, f->ta, "bob@acme.test", "Bob");
    char bid[128];
    fx_id(bid, "User", bob);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(vars, sizeof vars, "{\"i\": {\"userId\": \"%s\", \"courseId\": \"%s\", %s}}", bid,
                 course, bad[i].extra);
        r = fx_run(f, &f->a, m, vars);
        assert_error(r, "BAD_USER_INPUT", "field", bad[i].field);
        json_decref(r);
    }
    /* A literal date is checked the same way. */
    char doc[1200];
    snprintf(doc, sizeof doc,
             "mutation { enrollUser(input: {userId: \"%s\", courseId: \"%s\", endDate: "
             "\"2025-13-01\"}) { id } }",
             bid, course);
    r = fx_run(f, &f->a, doc, NULL);
    assert_error(r, "BAD_USER_INPUT", "field", "input.endDate");
    json_decref(r);
    /* Another tenant's user or course: missing. */
    char other[128];
    snprintf(vars, sizeof vars, "{\"i\": {\"userId\": \"%s\", \"courseId\": \"%s\"}}",
             fx_id(other, "User", f->admin_b), course);
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "NOT_FOUND", "field", "input.userId");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"i\": {\"userId\": \"%s\", \"courseId\": \"%s\"}}", bid,
             fx_id(other, "Course", 999));
    r = fx_run(f, &f->a, m, vars);
    assert_error(r, "NOT_FOUND", "field", "input.courseId");
    json_decref(r);
    assert_int_equal(fx_sql_int(f, "SELECT count(*) FROM enrollments"), 1);

    /* Updates: absent stays, null clears a date, the end never before the start. */
    const char *up = "mutation($id: ID!, $i: UpdateEnrollmentInput!) { updateEnrollment(id: $id,"
                     " input: $i) { status progress startDate endDate } }";
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"endDate\": \"2026-02-27\"}}", eid);
    r = fx_run(f, &f->a, up, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "input.endDate");
    json_decref(r);
    snprintf(vars, sizeof vars,
             "{\"id\": \"%s\", \"i\": {\"status\": \"COMPLETED\", \"progress\": 100,"
             " \"endDate\": \"2026-03-31\"}}",
             eid);
    r = fx_run(f, &f->a, up, vars);
    assert_no_errors(r);
    assert_string_equal(jstr(r, "data.updateEnrollment.status"), "COMPLETED");
    assert_int_equal(jint(r, "data.updateEnrollment.progress"), 100);
    assert_string_equal(jstr(r, "data.updateEnrollment.startDate"), "2026-02-28");
    assert_string_equal(jstr(r, "data.updateEnrollment.endDate"), "2026-03-31");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"startDate\": \"2026-04-01\"}}", eid);
    r = fx_run(f, &f->a, up, vars);
    assert_error(r, "BAD_USER_INPUT", "field", "input.startDate");
    json_decref(r);
    snprintf(vars, sizeof vars, "{\"id\": \"%s\", \"i\": {\"startDate\": null}}", eid);
    r = fx_run(f, &f->a, up, vars);
    assert_no_errors(r);
    assert_true(jnull(r, "data.updateEnrollment.startDate"));
    assert_string_equal(jstr(r, "data.updateEnrollment.endDate"), "2026-03-31");
    assert_int_equal(jint(r, "data.updateEnrollment.progress"), 100);
    json_decref(r);
    r = fx_run(f, &f->b, up, vars);
    assert_error(r, "NOT_FOUND", "field", "id");
    json_decref(r);

    /* Lists: by user, by course, by status; from the user and the course. */
    snprintf(doc, sizeof doc,
             "{ enrollments(filter: {userId: \"%s\"}) { totalCount }"
             "  none: enrollments(filter: {userId: \"junk\"}) { totalCount }"
             "  done: enrollments(filter: {status: COMPLETED}) { totalCount }"
             "  user(id: \"%s\") { enrollments { nodes { course { title } } } }"
             "  course(id: \"%s\") { enrollments(first: 1) { totalCount nodes { user { name } } } }"
             "}",
             user, user, course);
    r = fx_run(f, &f->a, doc, NULL);
    assert_no_errors(r);
    assert_int_equal(jint(r, "data.enrollments.totalCount"), 1);
    assert_int_equal(jint(r, "data.none.totalCount"), 0);
    assert_int_equal(jint(r, "data.done.totalCount"), 1);
    assert_string_equal(jstr(r, "data.user.enrollments.nodes.0.course.title"), "Intro");
    assert_string_equal(jstr(r, "data.course.enrollments.nodes.0.user.name"), "Lea");
    json_decref(r);
    /* The other tenant sees no enrollment at all. */
    r = fx_run(f, &f->b, "{ enrollments { totalCount } }", NULL);
    assert_int_equal(jint(r, "data.enrollments.totalCount"), 0);
    json_decref(r);

    /* read:enrollments without read:users: the learner is null, with FORBIDDEN. */
    int64_t role = fx_role(f, f->ta, "Reporting", fx_perms("read:enrollments", NULL));
    int64_t rep = fx_user(f, f->ta, "rep@acme.test", "Rep");
    fx_assign(f, f->ta, rep, role);
    lc_api_ctx_t c = fx_ctx(f, f->ta, rep);
    r = fx_run(f, &c, "{ enrollments { nodes { progress user { email } } } }", NULL);
    assert_int_equal(jint(r, "data.enrollments.nodes.0.progress"), 100);
    assert_true(jnull(r, "data.enrollments.nodes.0.user"));
    assert_error(r, "FORBIDDEN", "permission", "read:users");
    json_decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(courses, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enrollments, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
