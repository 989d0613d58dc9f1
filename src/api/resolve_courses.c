/* SPDX-License-Identifier: MIT */
/* Courses and enrollments: Query.courses / course / enrollments / enrollment, the Course and
 * Enrollment types, and createCourse / updateCourse / enrollUser / updateEnrollment. Statuses
 * are stored as lower-case words ("in_progress") and served as enum values ("IN_PROGRESS");
 * dates are stored as unix seconds of their midnight UTC. */
#include "api_int.h"
#include "lectern/limits.h"

#define COURSE_CODE_MAX 64

int lc__api_course_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_course_t r = {0};
    int rc =
        id > 0 ? lc_store_course_get(c->store, info->arena, c->tenant_id, id, &r) : LC_ENOTFOUND;
    return lc__api_object_or_null(info, rc, &r, sizeof r, out);
}

int lc__api_enrollment_val(const gql_resolve_info_t *info, int64_t id, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_enrollment_t r = {0};
    int rc = id > 0 ? lc_store_enrollment_get(c->store, info->arena, c->tenant_id, id, &r)
                    : LC_ENOTFOUND;
    return lc__api_object_or_null(info, rc, &r, sizeof r, out);
}

int lc__api_enrollments_conn(const gql_resolve_info_t *info, const gql_val_t *args,
                             const lc_enrollment_filter_t *f, gql_val_t *out) {
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_page_t page;
    int rc = lc__api_page(info, args, &page);
    if (rc != LC_OK)
        return rc;
    lc_enrollment_t *items = NULL;
    uint32_t n = 0;
    lc_page_info_t pi;
    rc = lc_store_enrollments_list(c->store, info->arena, c->tenant_id, f, &page, &items, &n, &pi);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return lc__api_connection(info, items, sizeof *items, n, &page, &pi, out);
}

/* An enum input as its stored word; NULL when absent. */
static int status_word(const gql_resolve_info_t *info, const gql_val_t *v, const char **out) {
    *out = NULL;
    if (!v)
        return LC_OK;
    char *w = lc__api_enum_lower(info->arena, v->s);
    if (!w)
        return LC_ENOMEM;
    *out = w;
    return LC_OK;
}

/* ---- Queries -----------------------------------------------------------------------------------
 */

static int q_courses(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    lc_page_t page;
    const char *status = NULL;
    int rc = lc__api_page(info, args, &page);
    const gql_val_t *sv = lc__api_arg(info, args, "status");
    if (rc == LC_OK && sv && sv->kind == GQL_VAL_ENUM)
        rc = status_word(info, sv, &status);
    if (rc != LC_OK)
        return rc;
    lc_course_t *items = NULL;
    uint32_t n = 0;
    lc_page_info_t pi;
    rc = lc_store_courses_list(c->store, info->arena, c->tenant_id, status, &page, &items, &n, &pi);
    if (rc != LC_OK)
        return lc__api_store_error(info, rc, NULL);
    return lc__api_connection(info, items, sizeof *items, n, &page, &pi, out);
}

static int q_course(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)parent;
    return lc__api_by_id(info, &args[0], "Course", lc__api_course_val, out);
}

static int q_enrollments(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    lc_enrollment_filter_t f = {0};
    const gql_val_t *filter = lc__api_arg(info, args, "filter");
    if (filter && filter->kind == GQL_VAL_MAP) {
        const gql_val_t *v;
        /* A malformed ID matches nothing, like an ID that does not exist. */
        if ((v = lc__api_in(filter, "userId")) && !lc__api_id_arg(v, "User", &f.user_id))
            return lc__api_connection_empty(info, out);
        if ((v = lc__api_in(filter, "courseId")) && !lc__api_id_arg(v, "Course", &f.course_id))
            return lc__api_connection_empty(info, out);
        int rc = status_word(info, lc__api_in(filter, "status"), &f.status);
        if (rc != LC_OK)
            return rc;
    }
    return lc__api_enrollments_conn(info, args, &f, out);
}

static int q_enrollment(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    return lc__api_by_id(info, &args[0], "Enrollment", lc__api_enrollment_val, out);
}

/* ---- Fields -------------------------------------------------------------------------------------
 */

static int course_enrollments(const gql_resolve_info_t *info, const gql_val_t *parent,
                              const gql_val_t *args, gql_val_t *out) {
    const lc_course_t *co = lc__api_rec(parent);
    lc_enrollment_filter_t f = {.course_id = co->id};
    return lc__api_enrollments_conn(info, args, &f, out);
}

static int enrollment_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_enrollment_t *e = lc__api_rec(parent);
    return lc__api_user_val(info, e->user_id, out);
}

static int enrollment_course(const gql_resolve_info_t *info, const gql_val_t *parent,
                             const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const lc_enrollment_t *e = lc__api_rec(parent);
    return lc__api_course_val(info, e->course_id, out);
}

/* ---- Course mutations ---------------------------------------------------------------------- */

typedef struct course_in {
    const char *title, *code, *status;
} course_in_t;

static int read_course_in(const gql_resolve_info_t *info, const gql_val_t *in, course_in_t *r) {
    const gql_val_t *v;
    int rc;
    *r = (course_in_t){0};
    if ((v = lc__api_in(in, "title")) &&
        (rc = lc__api_text(info, v, "input.title", 1, LC_LIMIT_NAME_MAX, &r->title)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "code")) &&
        (rc = lc__api_text(info, v, "input.code", 1, COURSE_CODE_MAX, &r->code)) != LC_OK)
        return rc;
    return status_word(info, lc__api_in(in, "status"), &r->status);
}

#define CODE_TAKEN "A course with this code already exists."

static int m_create_course(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    course_in_t r;
    int rc = read_course_in(info, &args[0], &r);
    if (rc != LC_OK)
        return rc;
    if (!r.title)
        return lc__api_fail(info, LC__API_BAD_INPUT, "input.title", "input.title is required.");
    if (!r.code)
        return lc__api_fail(info, LC__API_BAD_INPUT, "input.code", "input.code is required.");
    lc_actor_t actor = lc__api_actor(c);
    int64_t id = 0;
    rc = lc_store_course_create(c->store, &actor, r.title, r.code, r.status ? r.status : "draft",
                                &id);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc, &(lc__api_store_msgs_t){.field = "input.code", .exists = CODE_TAKEN});
    return lc__api_course_val(info, id, out);
}

static int m_update_course(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    course_in_t r;
    int rc;
    if ((rc = lc__api_id_in(info, &args[0], "Course", "course", "id", &id)) != LC_OK ||
        (rc = read_course_in(info, &args[1], &r)) != LC_OK)
        return rc;
    lc_actor_t actor = lc__api_actor(c);
    rc = lc_store_course_update(c->store, &actor, id, r.title, r.code, r.status);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = rc == LC_EEXIST ? "input.code" : "id",
                                    .exists = CODE_TAKEN,
                                    .notfound = "No course with this ID."});
    return lc__api_course_val(info, id, out);
}

/* ---- Enrollment mutations ------------------------------------------------------------------ */

static int progress_in(const gql_resolve_info_t *info, const gql_val_t *v, int64_t *out) {
    if (v->kind != GQL_VAL_INT || v->i < 0 || v->i > 100)
        return lc__api_fail(info, LC__API_BAD_INPUT, "input.progress",
                            "input.progress must be from 0 to 100.");
    *out = v->i;
    return LC_OK;
}

#define END_BEFORE_START "input.endDate must not be before the start date."

static int m_enroll_user(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    const gql_val_t *in = &args[0];
    lc_enrollment_t e = {.progress = 0};
    const gql_val_t *v;
    int rc;
    if ((rc = lc__api_id_in(info, lc__api_in(in, "userId"), "User", "user", "input.userId",
                            &e.user_id)) != LC_OK ||
        (rc = lc__api_id_in(info, lc__api_in(in, "courseId"), "Course", "course", "input.courseId",
                            &e.course_id)) != LC_OK ||
        (rc = status_word(info, lc__api_in(in, "status"), &e.status)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "progress")) && (rc = progress_in(info, v, &e.progress)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "startDate")) &&
        (rc = lc__api_time_in(info, v, "input.startDate", true, &e.started_at)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "endDate")) &&
        (rc = lc__api_time_in(info, v, "input.endDate", true, &e.ended_at)) != LC_OK)
        return rc;
    if (e.started_at && e.ended_at && e.ended_at < e.started_at)
        return lc__api_fail(info, LC__API_BAD_INPUT, "input.endDate", END_BEFORE_START);
    if (!e.status)
        e.status = "enrolled";

    /* Which of the two is missing, for a precise error (the store only says one is). */
    gql_val_t probe;
    if ((rc = lc__api_user_val(info, e.user_id, &probe)) != LC_OK)
        return rc;
    if (probe.kind == GQL_VAL_NULL)
        return lc__api_fail(info, LC__API_NOT_FOUND, "input.userId", "No user with this ID.");
    if ((rc = lc__api_course_val(info, e.course_id, &probe)) != LC_OK)
        return rc;
    if (probe.kind == GQL_VAL_NULL)
        return lc__api_fail(info, LC__API_NOT_FOUND, "input.courseId", "No course with this ID.");

    e.tenant_id = c->tenant_id;
    lc_actor_t actor = lc__api_actor(c);
    int64_t id = 0;
    rc = lc_store_enrollment_create(c->store, &actor, &e, &id);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = rc == LC_EEXIST ? "input.courseId" : "input.userId",
                                    .exists = "The user is already enrolled in this course.",
                                    .notfound = "No user or course with this ID."});
    return lc__api_enrollment_val(info, id, out);
}

static int m_update_enrollment(const gql_resolve_info_t *info, const gql_val_t *parent,
                               const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    const lc_api_ctx_t *c = lc__api_ctx(info);
    int64_t id;
    int rc = lc__api_id_in(info, &args[0], "Enrollment", "enrollment", "id", &id);
    if (rc != LC_OK)
        return rc;
    lc_enrollment_t old;
    rc = lc_store_enrollment_get(c->store, info->arena, c->tenant_id, id, &old);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "id", .notfound = "No enrollment with this ID."});

    const gql_val_t *in = &args[1];
    const gql_val_t *v;
    /* The store's convention: progress < 0 and dates < 0 leave them; a date of 0 clears it. */
    lc_enrollment_t e = {.progress = -1, .started_at = -1, .ended_at = -1};
    if ((rc = status_word(info, lc__api_in(in, "status"), &e.status)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "progress")) && (rc = progress_in(info, v, &e.progress)) != LC_OK)
        return rc;
    if ((v = lc__api_in(in, "startDate")) &&
        (rc = lc__api_time_in(info, v, "input.startDate", true, &e.started_at)) != LC_OK)
        return rc;
    if (lc__api_in_null(in, "startDate"))
        e.started_at = 0;
    if ((v = lc__api_in(in, "endDate")) &&
        (rc = lc__api_time_in(info, v, "input.endDate", true, &e.ended_at)) != LC_OK)
        return rc;
    if (lc__api_in_null(in, "endDate"))
        e.ended_at = 0;
    int64_t start = e.started_at < 0 ? old.started_at : e.started_at;
    int64_t end = e.ended_at < 0 ? old.ended_at : e.ended_at;
    if (start && end && end < start)
        return lc__api_fail(
            info, LC__API_BAD_INPUT, e.ended_at > 0 ? "input.endDate" : "input.startDate",
            e.ended_at > 0 ? END_BEFORE_START : "input.startDate must not be after the end date.");

    lc_actor_t actor = lc__api_actor(c);
    rc = lc_store_enrollment_update(c->store, &actor, id, &e);
    if (rc != LC_OK)
        return lc__api_store_error(
            info, rc,
            &(lc__api_store_msgs_t){.field = "id", .notfound = "No enrollment with this ID."});
    return lc__api_enrollment_val(info, id, out);
}

static const lc__api_bind_t binds[] = {
    LC__API_RESOLVER("Query.courses", q_courses),
    LC__API_RESOLVER("Query.course", q_course),
    LC__API_RESOLVER("Query.enrollments", q_enrollments),
    LC__API_RESOLVER("Query.enrollment", q_enrollment),
    LC__API_ID("Course.id", lc_course_t, id, "Course"),
    LC__API_FIELD("Course.title", lc__api_f_str, lc_course_t, title),
    LC__API_FIELD("Course.code", lc__api_f_str, lc_course_t, code),
    LC__API_FIELD("Course.status", lc__api_f_upper, lc_course_t, status),
    LC__API_FIELD("Course.createdAt", lc__api_f_time, lc_course_t, created_at),
    LC__API_FIELD("Course.updatedAt", lc__api_f_time, lc_course_t, updated_at),
    LC__API_RESOLVER("Course.enrollments", course_enrollments),
    LC__API_ID("Enrollment.id", lc_enrollment_t, id, "Enrollment"),
    LC__API_RESOLVER("Enrollment.user", enrollment_user),
    LC__API_RESOLVER("Enrollment.course", enrollment_course),
    LC__API_FIELD("Enrollment.status", lc__api_f_upper, lc_enrollment_t, status),
    LC__API_FIELD("Enrollment.progress", lc__api_f_int, lc_enrollment_t, progress),
    LC__API_FIELD("Enrollment.startDate", lc__api_f_time, lc_enrollment_t, started_at),
    LC__API_FIELD("Enrollment.endDate", lc__api_f_time, lc_enrollment_t, ended_at),
    LC__API_FIELD("Enrollment.createdAt", lc__api_f_time, lc_enrollment_t, created_at),
    LC__API_FIELD("Enrollment.updatedAt", lc__api_f_time, lc_enrollment_t, updated_at),
    LC__API_RESOLVER("Mutation.createCourse", m_create_course),
    LC__API_RESOLVER("Mutation.updateCourse", m_update_course),
    LC__API_RESOLVER("Mutation.enrollUser", m_enroll_user),
    LC__API_RESOLVER("Mutation.updateEnrollment", m_update_enrollment),
};

const lc__api_binds_t lc__api_courses_binds = {binds, sizeof binds / sizeof binds[0]};
