/* SPDX-License-Identifier: MIT */
/* The audit log: reading it (newest first) and writing an event that goes with no other write.
 * Every other write of the domain writes its own event in its own transaction (lc__audit).
 * Backend-neutral, over store_db.c. */
#include "store_int.h"

#include <string.h>

static int audit_read(lc__stmt_t *st, lc_arena_t *a, void *item) {
    int rc = LC_OK;
    lc_audit_event_t e = {
        .id = lc__col_i64(st, 0),
        .tenant_id = lc__col_i64(st, 1),
        .actor_user_id = lc__col_i64(st, 2),
        .actor_token_id = lc__col_i64(st, 3),
        .action = lc__col_str(st, 4, a, &rc),
        .target_type = lc__col_str(st, 5, a, &rc),
        .target_id = lc__col_i64(st, 6),
        .ip = lc__col_str(st, 7, a, &rc),
        .detail = lc__col_str(st, 8, a, &rc),
        .created_at = lc__col_i64(st, 9),
    };
    if (rc == LC_OK)
        *(lc_audit_event_t *)item = e;
    return rc;
}

int lc_store_audit_list(lc_store_t *s, lc_arena_t *arena, int64_t tenant_id,
                        const lc_audit_filter_t *f, const lc_page_t *page, lc_audit_event_t **out,
                        uint32_t *n, lc_page_info_t *info) {
    static const lc_audit_filter_t any = {0};
    lc__db_t db;
    void *items = NULL;
    if (s == NULL || arena == NULL || page == NULL || out == NULL || n == NULL || info == NULL)
        return LC_EINVAL;
    if (f == NULL)
        f = &any;
    /* "token." is a prefix, anything else an exact action. */
    size_t len = f->action != NULL ? strlen(f->action) : 0;
    bool prefix = len > 0 && f->action[len - 1] == '.';
    lc__arg_t args[] = {
        LC__INT(tenant_id),
        LC__INT(f->actor_user_id),
        LC__TEXT(prefix ? NULL : f->action),
        LC__TEXT(prefix ? f->action : NULL),
        LC__INT(f->since),
        LC__INT(f->until),
    };
    int rc = lc__db_read(s, &db);
    if (rc == LC_OK)
        rc = lc__list(&db, arena, LC__Q_AUDIT_COUNT, LC__Q_AUDIT_PAGE, args, LC__NARGS(args), page,
                      sizeof(lc_audit_event_t), audit_read, &items, n, info);
    if (rc == LC_OK)
        *out = items;
    return rc;
}

int lc_store_audit(lc_store_t *s, const lc_actor_t *actor, const char *action,
                   const char *target_type, int64_t target_id, const char *detail_json) {
    lc__db_t db;
    if (s == NULL || actor == NULL || action == NULL)
        return LC_EINVAL;
    int rc = lc__db_write(s, &db);
    if (rc == LC_OK)
        rc = lc__audit(&db, actor, action, target_type, target_id, detail_json);
    return lc__db_end(&db, rc);
}
