/* SPDX-License-Identifier: MIT */
/* Courses and enrollments: the learning data the API serves and changes. Nothing here touches
 * authentication, so no write advances the generation. Backend-neutral, over store_db.c. */
#include "store_int.h"

static int course_read(lc__stmt_t *st, lc_arena_t *a, void *item) {
    int rc = LC_OK;
    lc_course_t c = {
        .id = lc__col_i64(st, 0),
        .tenant_id = lc__col_i64(st, 1),
        .title = lc__col_str(st, 2, a, &rc),
        .code = lc__col_str(st, 3, a, &rc),
        .status = lc__col_str(st, 4, a, &rc),
        .created_at = lc__col_i64(st, 5),
        .updated_at = lc__col_i64(st, 6),
    };
    if (rc == LC_OK)
        *(lc_course_t *)item = c;
    return rc;
}

static int enrollment_read(lc__stmt_t *st, lc_arena_t *a, void *item) {
    int rc = LC_OK;
    lc_enrollment_t e = {
        .id = lc__col_i64(st, 0),
        .tenant_id = lc__col_i64(st, 1),
        .user_id = lc__col_i64(st, 2),
        .course_id = lc__col_i64(st, 3),
        .status = lc__col_str(st, 4, a, &rc),
        .progress = lc__col_i64(st, 5),
        .started_at = lc__col_i64(st, 6),
        .ended_at = lc__col_i64(st, 7),
        .created_at = lc__col_i64(st, 8),
        .updated_at = lc__col_i64(st, 9),
    };
    if (rc == LC_OK)
        *(lc_enrollment_t *)item = e;
    return rc;
}

/* LC_OK when the row (tenant, id) of q is there, else LC_ENOTFOUND. */
static int exists(lc__db_t *db, lc__q_t q, int64_t tenant_id, int64_t id) {
    lc__arg_t key[] = {LC__INT(tenant_id), LC__INT(id)};
    int64_t rows = 0;
    int rc = lc__exec(db, q, key, LC__NARGS(key), &rows);
    return rc == LC_OK && rows == 0 ? LC_ENOTFOUND : rc;
}

/* --- courses --------------------------------------------------------------------------------- */

int lc_store_course_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                        lc_course_t *out) {
    return lc__get_one(s, arena, LC__Q_COURSE_GET, tenant_id, id, course_read, out);
}

int lc_store_courses_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, const char *status,
                          const lc_page_t *page, lc_course_t **out, uint32_t *n,
                          lc_page_info_t *info) {
    lc__db_t db;
    void *items = NULL;
    if (s == NULL || arena == NULL || page == NULL || out == NULL || n == NULL || info == NULL)
        return LC_EINVAL;
    lc__arg_t args[] = {LC__INT(tenant_id), LC__TEXT(status)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__list(&db, arena, LC__Q_COURSES_COUNT, LC__Q_COURSES_PAGE, args, LC__NARGS(args),
                      page, sizeof(lc_course_t), course_read, &items, n, info);
    if (rc == LC_OK)
        *out = items;
    return rc;
}

/* {"title":..., "code":..., "status":...} with the fields that are not NULL. */
static void course_detail(lc__detail_t *d, const char *title, const char *code,
                          const char *status) {
    lc__detail_begin(d);
    lc__detail_text(d, "title", title);
    lc__detail_text(d, "code", code);
    lc__detail_text(d, "status", status);
}

int lc_store_course_create(lc_store_t *s, const lc_actor_t *actor, const char *title,
                           const char *code, const char *status, int64_t *id) {
    lc__db_t db;
    lc__detail_t d;
    int64_t cid = 0;
    if (s == NULL || actor == NULL || title == NULL || code == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t row[] = {LC__INT(actor->tenant_id), LC__TEXT(title), LC__TEXT(code), LC__TEXT(status),
                       LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_COURSE_INSERT, row, LC__NARGS(row), &cid);
    if (rc != LC_OK)
        goto out;
    course_detail(&d, title, code, status != NULL ? status : "draft");
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "course.create", "course", cid, detail);
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK && id != NULL)
        *id = cid;
    return rc;
}

int lc_store_course_update(lc_store_t *s, const lc_actor_t *actor, int64_t id, const char *title,
                           const char *code, const char *status) {
    lc__db_t db;
    lc__detail_t d;
    int64_t got = 0;
    if (s == NULL || actor == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t args[] = {LC__INT(actor->tenant_id), LC__INT(id),    LC__TEXT(title), LC__TEXT(code),
                        LC__TEXT(status),          LC__INT(db.now)};
    if (title == NULL && code == NULL && status == NULL) {
        rc = exists(&db, LC__Q_COURSE_GET, actor->tenant_id, id); /* nothing to change */
        goto out;
    }
    rc = lc__exec_i64(&db, LC__Q_COURSE_UPDATE, args, LC__NARGS(args), &got);
    if (rc != LC_OK)
        goto out;
    course_detail(&d, title, code, status);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "course.update", "course", id, detail);
out:
    return lc__db_end(&db, rc);
}

/* --- enrollments ----------------------------------------------------------------------------- */

int lc_store_enrollment_get(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id, int64_t id,
                            lc_enrollment_t *out) {
    return lc__get_one(s, arena, LC__Q_ENROLLMENT_GET, tenant_id, id, enrollment_read, out);
}

int lc_store_enrollments_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                              const lc_enrollment_filter_t *f, const lc_page_t *page,
                              lc_enrollment_t **out, uint32_t *n, lc_page_info_t *info) {
    static const lc_enrollment_filter_t any = {0};
    lc__db_t db;
    void *items = NULL;
    if (s == NULL || arena == NULL || page == NULL || out == NULL || n == NULL || info == NULL)
        return LC_EINVAL;
    if (f == NULL)
        f = &any;
    lc__arg_t args[] = {LC__INT(tenant_id), LC__INT(f->user_id), LC__INT(f->course_id),
                        LC__TEXT(f->status)};
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__list(&db, arena, LC__Q_ENROLLMENTS_COUNT, LC__Q_ENROLLMENTS_PAGE, args,
                      LC__NARGS(args), page, sizeof(lc_enrollment_t), enrollment_read, &items, n,
                      info);
    if (rc == LC_OK)
        *out = items;
    return rc;
}

/* The changed fields of an enrollment (the same "leave" conventions as the update). */
static void enrollment_detail(lc__detail_t *d, const lc_enrollment_t *e) {
    lc__detail_text(d, "status", e->status);
    if (e->progress >= 0) {
        lc_jw_key(&d->w, "progress");
        lc_jw_i64(&d->w, e->progress);
    }
    if (e->started_at >= 0) {
        lc_jw_key(&d->w, "started_at");
        lc_jw_i64(&d->w, e->started_at);
    }
    if (e->ended_at >= 0) {
        lc_jw_key(&d->w, "ended_at");
        lc_jw_i64(&d->w, e->ended_at);
    }
}

int lc_store_enrollment_create(lc_store_t *s, const lc_actor_t *actor, const lc_enrollment_t *e,
                               int64_t *id) {
    lc__db_t db;
    lc__detail_t d;
    int64_t eid = 0;
    if (s == NULL || actor == NULL || e == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    /* An unknown user or course (or one of another tenant) fails a foreign key: LC_ENOTFOUND;
     * a second enrollment of the same user fails the unique key: LC_EEXIST. */
    lc__arg_t row[] = {LC__INT(actor->tenant_id),
                       LC__INT(e->course_id),
                       LC__INT(e->user_id),
                       LC__TEXT(e->status),
                       LC__INT(e->progress > 0 ? e->progress : 0),
                       LC__OPT(e->started_at > 0 ? e->started_at : 0),
                       LC__OPT(e->ended_at > 0 ? e->ended_at : 0),
                       LC__INT(db.now)};
    rc = lc__exec_i64(&db, LC__Q_ENROLLMENT_INSERT, row, LC__NARGS(row), &eid);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    lc_jw_key(&d.w, "user_id");
    lc_jw_i64(&d.w, e->user_id);
    lc_jw_key(&d.w, "course_id");
    lc_jw_i64(&d.w, e->course_id);
    lc_jw_key(&d.w, "status");
    lc_jw_cstr(&d.w, e->status != NULL ? e->status : "enrolled");
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "enrollment.create", "enrollment", eid, detail);
out:
    rc = lc__db_end(&db, rc);
    if (rc == LC_OK && id != NULL)
        *id = eid;
    return rc;
}

int lc_store_enrollment_update(lc_store_t *s, const lc_actor_t *actor, int64_t id,
                               const lc_enrollment_t *e) {
    lc__db_t db;
    lc__detail_t d;
    int64_t got = 0;
    if (s == NULL || actor == NULL || e == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        goto out;
    lc__arg_t args[] = {
        LC__INT(actor->tenant_id), LC__INT(id),          LC__TEXT(e->status), LC__INT(e->progress),
        LC__INT(e->started_at),    LC__INT(e->ended_at), LC__INT(db.now)};
    if (e->status == NULL && e->progress < 0 && e->started_at < 0 && e->ended_at < 0) {
        rc = exists(&db, LC__Q_ENROLLMENT_GET, actor->tenant_id, id); /* nothing to change */
        goto out;
    }
    rc = lc__exec_i64(&db, LC__Q_ENROLLMENT_UPDATE, args, LC__NARGS(args), &got);
    if (rc != LC_OK)
        goto out;
    lc__detail_begin(&d);
    enrollment_detail(&d, e);
    const char *detail = lc__detail_end(&d, &rc);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, "enrollment.update", "enrollment", id, detail);
out:
    return lc__db_end(&db, rc);
}
