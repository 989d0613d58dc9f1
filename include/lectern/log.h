/* SPDX-License-Identifier: MIT */
/* Structured logs: one JSON object a line on stderr (or a configured fd), written with a single
 * write() so lines from different threads never interleave. A line has "ts" (UTC, RFC 3339 with
 * milliseconds), "level", "event", then the fields the caller adds.
 *
 * Never log a header value, a request body, a password, a token or a session ID: these APIs
 * take no format string for that reason (lc_log_msg formats only the message text). */
#ifndef LECTERN_LOG_H
#define LECTERN_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/json.h"
#include "lectern/str.h"

typedef enum lc_log_level {
    LC_LOG_DEBUG = 0,
    LC_LOG_INFO = 1,
    LC_LOG_WARN = 2,
    LC_LOG_ERROR = 3,
    LC_LOG_OFF = 4,
} lc_log_level_t;

#define LC_LOG_LINE_MAX 4096

/* Process-wide settings; set them at start-up before threads start. */
void lc_log_set_level(lc_log_level_t level);
void lc_log_set_fd(int fd);
lc_log_level_t lc_log_get_level(void);
/* "debug", "info", "warn", "error", "off"; LC_EINVAL otherwise. */
int lc_log_level_parse(lc_str_t s, lc_log_level_t *out) LC_MUST_CHECK;
const char *lc_log_level_name(lc_log_level_t level);

static inline bool lc_log_enabled(lc_log_level_t level) {
    return level >= lc_log_get_level();
}

/* A log line under construction, on the caller's stack. */
typedef struct lc_log_rec {
    bool on; /* false when the level is filtered out: the field calls do nothing */
    lc_log_level_t level;
    const char *event;
    lc_buf_t buf;
    lc_jw_t w;
    char mem[LC_LOG_LINE_MAX];
} lc_log_rec_t;

/* `event` is a static dotted name such as "http.access" or "store.migrate". */
void lc_log_begin(lc_log_rec_t *r, lc_log_level_t level, const char *event);
void lc_log_str(lc_log_rec_t *r, const char *key, lc_str_t v);
void lc_log_cstr(lc_log_rec_t *r, const char *key, const char *v);
void lc_log_i64(lc_log_rec_t *r, const char *key, int64_t v);
void lc_log_bool(lc_log_rec_t *r, const char *key, bool v);
/* Writes the line. A line that did not fit is replaced by a short one marked "truncated". */
void lc_log_end(lc_log_rec_t *r);

/* One-call form: {"ts","level","event","msg": formatted}. */
void lc_log_msg(lc_log_level_t level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
