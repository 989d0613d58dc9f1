/* SPDX-License-Identifier: MIT */
/* Structured log lines, built on the caller's stack and written with one write(2). */
#include "lectern/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static atomic_int log_level = LC_LOG_INFO;
static atomic_int log_fd = 2;

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void lc_log_set_level(lc_log_level_t level) {
    atomic_store(&log_level, (int)level);
}

void lc_log_set_fd(int fd) {
    atomic_store(&log_fd, fd);
}

lc_log_level_t lc_log_get_level(void) {
    return (lc_log_level_t)atomic_load_explicit(&log_level, memory_order_relaxed);
}

const char *lc_log_level_name(lc_log_level_t level) {
    return (unsigned)level <= LC_LOG_OFF ? level_names[level] : "unknown";
}

int lc_log_level_parse(lc_str_t s, lc_log_level_t *out) {
    for (int i = 0; i <= LC_LOG_OFF; i++) {
        if (lc_str_eq_nocase(s, lc_str_from(level_names[i]))) {
            *out = (lc_log_level_t)i;
            return LC_OK;
        }
    }
    return LC_EINVAL;
}

static void write_prefix(lc_log_rec_t *r, lc_log_level_t level, const char *event) {
    struct timespec ts;
    struct tm tm;
    char when[96];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    lc_jw_obj_begin(&r->w);
    lc_jw_key(&r->w, "ts");
    lc_jw_cstr(&r->w, when);
    lc_jw_key(&r->w, "level");
    lc_jw_cstr(&r->w, lc_log_level_name(level));
    lc_jw_key(&r->w, "event");
    lc_jw_cstr(&r->w, event);
}

void lc_log_begin(lc_log_rec_t *r, lc_log_level_t level, const char *event) {
    r->on = level < LC_LOG_OFF && lc_log_enabled(level);
    if (!r->on)
        return;
    lc_buf_init_fixed(&r->buf, r->mem, sizeof r->mem - 1); /* room for the newline */
    lc_jw_init(&r->w, &r->buf);
    write_prefix(r, level, event);
    r->level = level;
    r->event = event;
}

void lc_log_str(lc_log_rec_t *r, const char *key, lc_str_t v) {
    if (!r->on)
        return;
    lc_jw_key(&r->w, key);
    lc_jw_str(&r->w, v);
}

void lc_log_cstr(lc_log_rec_t *r, const char *key, const char *v) {
    if (!r->on)
        return;
    lc_jw_key(&r->w, key);
    lc_jw_cstr(&r->w, v);
}

void lc_log_i64(lc_log_rec_t *r, const char *key, int64_t v) {
    if (!r->on)
        return;
    lc_jw_key(&r->w, key);
    lc_jw_i64(&r->w, v);
}

void lc_log_bool(lc_log_rec_t *r, const char *key, bool v) {
    if (!r->on)
        return;
    lc_jw_key(&r->w, key);
    lc_jw_bool(&r->w, v);
}

static void emit(const char *p, size_t n) {
    int fd = atomic_load_explicit(&log_fd, memory_order_relaxed);
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return; /* nowhere to report a failing log */
        p += k;
        n -= (size_t)k;
    }
}

void lc_log_end(lc_log_rec_t *r) {
    if (!r->on)
        return;
    lc_jw_obj_end(&r->w);
    /* Too long (or misuse): keep the event, drop the fields; if the event itself is too long,
     * drop it too, so that every line stays one valid JSON object. */
    for (int i = 0; i < 2 && lc_jw_finish(&r->w) != LC_OK; i++) {
        lc_buf_init_fixed(&r->buf, r->mem, sizeof r->mem - 1);
        lc_jw_init(&r->w, &r->buf);
        write_prefix(r, r->level, i == 0 ? r->event : NULL);
        lc_jw_key(&r->w, "truncated");
        lc_jw_bool(&r->w, true);
        lc_jw_obj_end(&r->w);
    }
    r->mem[r->buf.len] = '\n';
    emit(r->mem, r->buf.len + 1);
    r->on = false;
}

void lc_log_msg(lc_log_level_t level, const char *event, const char *fmt, ...) {
    if (!lc_log_enabled(level) || level >= LC_LOG_OFF)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lc_log_rec_t r;
    lc_log_begin(&r, level, event);
    lc_log_cstr(&r, "msg", msg);
    lc_log_end(&r);
}
