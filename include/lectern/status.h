/* SPDX-License-Identifier: MIT */
/* Status codes shared by every lectern module (not the GraphQL engine, which has gql_status).
 * Success is 0, failures are negative; a result travels through a trailing out-parameter that
 * is written only on success. */
#ifndef LECTERN_STATUS_H
#define LECTERN_STATUS_H

#define LC_MUST_CHECK __attribute__((warn_unused_result))

/* X(name, value, text): the one table of status codes; lc_status_name() reads it. */
#define LC_STATUS_LIST(X)                                                                          \
    X(LC_OK, 0, "ok")                                                                              \
    X(LC_ENOMEM, -1, "out of memory")                                                              \
    X(LC_EINVAL, -2, "invalid argument")                                                           \
    X(LC_ENOTFOUND, -3, "not found")                                                               \
    X(LC_ELIMIT, -4, "limit exceeded")                                                             \
    X(LC_EDENIED, -5, "permission denied")                                                         \
    X(LC_EEXIST, -6, "already exists")                                                             \
    X(LC_EIO, -7, "input/output error")                                                            \
    X(LC_ESTORE, -8, "storage error")                                                              \
    X(LC_EVERSION, -9, "version mismatch")                                                         \
    X(LC_EBUSY, -10, "busy")                                                                       \
    X(LC_ECONFLICT, -11, "conflict")                                                               \
    X(LC_EUNAVAILABLE, -12, "service unavailable")

typedef enum lc_status {
#define LC_X(name, value, text) name = value,
    LC_STATUS_LIST(LC_X)
#undef LC_X
} lc_status_t;

/* Returns the constant's name ("LC_ENOMEM"), or "LC_UNKNOWN"; static storage. */
const char *lc_status_name(int status);
/* Returns a short human text ("out of memory"), or "unknown status"; static storage. */
const char *lc_status_text(int status);

#endif
