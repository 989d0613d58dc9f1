/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/log.c: log lines are captured in a temporary file (lc_log_set_fd) and
 * each one is parsed with jansson: one JSON object a line, ts/level/event first, the caller's
 * fields, level filtering, and the "truncated" replacement for lines past LC_LOG_LINE_MAX. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lectern/log.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))

static int cap_fd = -1;

static int group_setup(void **state) {
    (void)state;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/lectern-test-log-XXXXXX", dir && *dir ? dir : "/tmp");
    cap_fd = mkstemp(path);
    if (cap_fd < 0)
        return -1;
    unlink(path);
    lc_log_set_fd(cap_fd);
    return 0;
}

static int group_teardown(void **state) {
    (void)state;
    lc_log_set_fd(2);
    close(cap_fd);
    return 0;
}

static int setup(void **state) {
    (void)state;
    lc_log_set_level(LC_LOG_INFO);
    if (ftruncate(cap_fd, 0) != 0 || lseek(cap_fd, 0, SEEK_SET) != 0)
        return -1;
    return 0;
}

/* Everything logged since setup, NUL-terminated; caller frees. Clears the capture. */
static char *capture(size_t *len) {
    struct stat st;
    assert_int_equal(fstat(cap_fd, &st), 0);
    char *text = malloc((size_t)st.st_size + 1);
    assert_non_null(text);
    ssize_t n = pread(cap_fd, text, (size_t)st.st_size, 0);
    assert_int_equal(n, st.st_size);
    text[n] = '\0';
    *len = (size_t)n;
    assert_int_equal(ftruncate(cap_fd, 0), 0);
    assert_int_equal(lseek(cap_fd, 0, SEEK_SET), 0);
    return text;
}

/* Splits the capture into lines: every line ends with '\n' and parses as a JSON object whose
 * first three keys are ts, level and event. Returns the number of lines; objs[i] owned. */
static size_t parse_lines(const char *text, size_t len, json_t **objs, size_t max) {
    size_t count = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            fail_msg("last line does not end with a newline: %s", p);
        if ((size_t)(nl - p) + 1 > LC_LOG_LINE_MAX)
            fail_msg("line of %zu bytes is past LC_LOG_LINE_MAX", (size_t)(nl - p) + 1);
        if (!(nl - p > 7 && memcmp(p, "{\"ts\":\"", 7) == 0))
            fail_msg("line does not start with ts: %.*s", (int)(nl - p), p);
        json_error_t err;
        json_t *j = json_loadb(p, (size_t)(nl - p), 0, &err);
        if (!j || !json_is_object(j))
            fail_msg("line is not a JSON object (%s): %.*s", err.text, (int)(nl - p), p);
        if (count == max)
            fail_msg("more than %zu lines", max);
        objs[count++] = j;
        p = nl + 1;
    }
    return count;
}

static void free_lines(json_t **objs, size_t n) {
    for (size_t i = 0; i < n; i++)
        json_decref(objs[i]);
}

/* One line from the capture; fails unless there is exactly one. */
static json_t *one_line(void) {
    size_t len;
    char *text = capture(&len);
    json_t *objs[2];
    size_t n = parse_lines(text, len, objs, 2);
    if (n != 1)
        fail_msg("%zu lines logged, want 1: %s", n, text);
    free(text);
    return objs[0];
}

static const char *get_str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("field %s is not a string", key);
    return json_string_value(v);
}

static void test_line_shape(void **state) {
    (void)state;
    time_t before = time(NULL);
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_INFO, "test.shape");
    lc_log_str(&r, "s", LC_STR("value"));
    lc_log_cstr(&r, "c", "cstr");
    lc_log_cstr(&r, "nul", NULL);
    lc_log_i64(&r, "n", -42);
    lc_log_i64(&r, "big", INT64_MAX);
    lc_log_bool(&r, "yes", true);
    lc_log_bool(&r, "no", false);
    lc_log_end(&r);
    time_t after = time(NULL);

    json_t *o = one_line();
    assert_int_equal(json_object_size(o), 10);
    assert_string_equal(get_str(o, "level"), "info");
    assert_string_equal(get_str(o, "event"), "test.shape");
    assert_string_equal(get_str(o, "s"), "value");
    assert_string_equal(get_str(o, "c"), "cstr");
    assert_true(json_is_null(json_object_get(o, "nul")));
    assert_int_equal(json_integer_value(json_object_get(o, "n")), -42);
    assert_int_equal(json_integer_value(json_object_get(o, "big")), INT64_MAX);
    assert_true(json_is_true(json_object_get(o, "yes")));
    assert_true(json_is_false(json_object_get(o, "no")));

    /* ts: UTC, RFC 3339 with milliseconds, within the time of the call. */
    const char *ts = get_str(o, "ts");
    assert_int_equal(strlen(ts), 24);
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    for (size_t i = 0; i < 24; i++)
        if (shape[i] == 'd' ? (ts[i] < '0' || ts[i] > '9') : ts[i] != shape[i])
            fail_msg("ts %s is not YYYY-MM-DDTHH:MM:SS.mmmZ", ts);
    struct tm tm = {0};
    assert_non_null(strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm));
    time_t t = timegm(&tm);
    assert_true(t >= before - 1 && t <= after + 1); /* time() may read a coarser clock */
    json_decref(o);
}

/* A line is written for a record only when its level is at least the configured one; "off" is
 * never written, whatever the configuration. */
static void test_level_filtering(void **state) {
    (void)state;
    for (int set = LC_LOG_DEBUG; set <= LC_LOG_OFF; set++) {
        lc_log_set_level((lc_log_level_t)set);
        assert_int_equal(lc_log_get_level(), set);
        int want = 0;
        for (int lvl = LC_LOG_DEBUG; lvl <= LC_LOG_OFF; lvl++) {
            assert_int_equal(lc_log_enabled((lc_log_level_t)lvl), lvl >= set);
            lc_log_rec_t r;
            lc_log_begin(&r, (lc_log_level_t)lvl, "test.level");
            assert_int_equal(r.on, lvl >= set && lvl < LC_LOG_OFF);
            lc_log_i64(&r, "lvl", lvl);
            lc_log_str(&r, "s", LC_STR("x"));
            lc_log_cstr(&r, "c", "x");
            lc_log_bool(&r, "b", true);
            lc_log_end(&r);
            lc_log_msg((lc_log_level_t)lvl, "test.level.msg", "lvl %d", lvl);
            if (lvl >= set && lvl < LC_LOG_OFF)
                want += 2;
        }
        size_t len;
        char *text = capture(&len);
        json_t *objs[16];
        size_t n = parse_lines(text, len, objs, N_(objs));
        if ((int)n != want)
            fail_msg("level %d: %zu lines, want %d", set, n, want);
        for (size_t i = 0; i < n; i++) {
            const char *lvl = get_str(objs[i], "level");
            lc_log_level_t parsed;
            assert_int_equal(lc_log_level_parse(lc_str_from(lvl), &parsed), LC_OK);
            assert_true((int)parsed >= set);
        }
        free_lines(objs, n);
        free(text);
    }
}

static void test_level_names(void **state) {
    (void)state;
    static const struct {
        const char *in;
        int rc;
        lc_log_level_t want;
        const char *name;
    } cases[] = {
        {"debug", LC_OK, LC_LOG_DEBUG, "debug"}, {"info", LC_OK, LC_LOG_INFO, "info"},
        {"warn", LC_OK, LC_LOG_WARN, "warn"},    {"error", LC_OK, LC_LOG_ERROR, "error"},
        {"off", LC_OK, LC_LOG_OFF, "off"},       {"INFO", LC_OK, LC_LOG_INFO, "info"},
        {"Warn", LC_OK, LC_LOG_WARN, "warn"},    {"", LC_EINVAL, 0, NULL},
        {"warning", LC_EINVAL, 0, NULL},         {"verbose", LC_EINVAL, 0, NULL},
        {" info", LC_EINVAL, 0, NULL},           {"2", LC_EINVAL, 0, NULL},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        lc_log_level_t out = (lc_log_level_t)99;
        int rc = lc_log_level_parse(lc_str_from(cases[i].in), &out);
        if (rc != cases[i].rc || (rc == LC_OK && out != cases[i].want))
            fail_msg("\"%s\": rc %d, level %d", cases[i].in, rc, (int)out);
        if (rc == LC_OK)
            assert_string_equal(lc_log_level_name(out), cases[i].name);
        else
            assert_int_equal(out, 99); /* untouched on failure */
    }
    assert_string_equal(lc_log_level_name((lc_log_level_t)7), "unknown");
    assert_string_equal(lc_log_level_name((lc_log_level_t)-1), "unknown");
}

/* Values with quotes, controls and ill-formed UTF-8 still give one valid line. */
static void test_field_escaping(void **state) {
    (void)state;
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_ERROR, "test.escape");
    lc_log_str(&r, "v", LC_STR("a\"b\\c\nd\x01\xff\xe2\x80\xa8"));
    lc_log_str(&r, "k\"ey", LC_STR("x"));
    lc_log_end(&r);
    json_t *o = one_line();
    assert_string_equal(get_str(o, "level"), "error");
    assert_string_equal(get_str(o, "v"), "a\"b\\c\nd\x01\xef\xbf\xbd\xe2\x80\xa8");
    assert_string_equal(get_str(o, "k\"ey"), "x");
    json_decref(o);
}

static void log_with_value(size_t n) {
    char *v = malloc(n + 1);
    assert_non_null(v);
    memset(v, 'x', n);
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_WARN, "test.size");
    lc_log_str(&r, "v", lc_str_make(v, n));
    lc_log_end(&r);
    free(v);
}

static void assert_truncated(json_t *o, const char *event) {
    assert_true(json_is_true(json_object_get(o, "truncated")));
    assert_string_equal(get_str(o, "event"), event);
    assert_string_equal(get_str(o, "level"), "warn");
    assert_int_equal(json_object_size(o), 4); /* ts, level, event, truncated */
}

/* A line that would pass LC_LOG_LINE_MAX (newline included) is replaced by one marked
 * "truncated"; a line of exactly LC_LOG_LINE_MAX is written whole. */
static void test_truncation_boundary(void **state) {
    (void)state;
    log_with_value(0);
    size_t len;
    char *text = capture(&len);
    size_t base = len; /* the line with an empty value, newline included */
    free(text);
    assert_true(base < 200);

    size_t fit = LC_LOG_LINE_MAX - base;
    log_with_value(fit);
    text = capture(&len);
    assert_int_equal(len, LC_LOG_LINE_MAX);
    json_t *objs[2];
    assert_int_equal(parse_lines(text, len, objs, 2), 1);
    assert_int_equal(json_string_length(json_object_get(objs[0], "v")), fit);
    assert_null(json_object_get(objs[0], "truncated"));
    free_lines(objs, 1);
    free(text);

    for (size_t over = fit + 1; over <= fit + 3; over++) {
        log_with_value(over);
        json_t *o = one_line();
        assert_truncated(o, "test.size");
        json_decref(o);
    }
    log_with_value(100000);
    json_t *o = one_line();
    assert_truncated(o, "test.size");
    json_decref(o);
}

/* Many small fields that together pass the limit are truncated the same way. */
static void test_truncation_many_fields(void **state) {
    (void)state;
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_WARN, "test.many");
    for (int i = 0; i < 500; i++) {
        char key[16];
        snprintf(key, sizeof key, "field%d", i);
        lc_log_i64(&r, key, i);
    }
    lc_log_end(&r);
    json_t *o = one_line();
    assert_truncated(o, "test.many");
    json_decref(o);
}

/* An event name too long for a line (a caller's bug) still gives one valid line. */
static void test_truncation_long_event(void **state) {
    (void)state;
    static char event[LC_LOG_LINE_MAX + 10];
    memset(event, 'e', sizeof event - 1);
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_WARN, event);
    lc_log_i64(&r, "n", 1);
    lc_log_end(&r);
    json_t *o = one_line();
    assert_true(json_is_true(json_object_get(o, "truncated")));
    assert_true(json_is_null(json_object_get(o, "event")));
    json_decref(o);
}

static void test_log_msg(void **state) {
    (void)state;
    lc_log_msg(LC_LOG_WARN, "test.msg", "n=%d s=%s q=%c", 7, "text", '"');
    json_t *o = one_line();
    assert_string_equal(get_str(o, "event"), "test.msg");
    assert_string_equal(get_str(o, "level"), "warn");
    assert_string_equal(get_str(o, "msg"), "n=7 s=text q=\"");
    assert_int_equal(json_object_size(o), 4);
    json_decref(o);

    /* A long message is cut, never split over lines or made invalid. */
    char big[3000];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lc_log_msg(LC_LOG_ERROR, "test.msg.long", "%s", big);
    o = one_line();
    const char *msg = get_str(o, "msg");
    assert_true(strlen(msg) > 500);
    assert_true(strlen(msg) < sizeof big);
    assert_int_equal(strspn(msg, "m"), strlen(msg));
    json_decref(o);

    lc_log_msg(LC_LOG_DEBUG, "test.msg.filtered", "not shown");
    size_t len;
    char *text = capture(&len);
    assert_int_equal(len, 0);
    free(text);
}

/* Lines from several threads never interleave: each is one write(2). */
enum { THREADS = 8, PER_THREAD = 300 };

static void *log_thread(void *arg) {
    int id = (int)(intptr_t)arg;
    char pad[600];
    memset(pad, 'a' + id, sizeof pad);
    for (int i = 0; i < PER_THREAD; i++) {
        lc_log_rec_t r;
        lc_log_begin(&r, LC_LOG_INFO, "test.thread");
        lc_log_i64(&r, "id", id);
        lc_log_i64(&r, "seq", i);
        lc_log_str(&r, "pad", lc_str_make(pad, sizeof pad));
        lc_log_end(&r);
    }
    return NULL;
}

static void test_threads_do_not_interleave(void **state) {
    (void)state;
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, log_thread, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    size_t len;
    char *text = capture(&len);
    static json_t *objs[THREADS * PER_THREAD + 1];
    size_t n = parse_lines(text, len, objs, N_(objs));
    assert_int_equal(n, THREADS * PER_THREAD);
    int next[THREADS] = {0};
    for (size_t i = 0; i < n; i++) {
        json_int_t id = json_integer_value(json_object_get(objs[i], "id"));
        assert_in_range(id, 0, THREADS - 1);
        /* each thread's lines appear in its own order */
        assert_int_equal(json_integer_value(json_object_get(objs[i], "seq")), next[id]++);
        assert_int_equal(json_string_length(json_object_get(objs[i], "pad")), 600);
    }
    free_lines(objs, n);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_line_shape, setup),
        cmocka_unit_test_setup(test_level_filtering, setup),
        cmocka_unit_test_setup(test_level_names, setup),
        cmocka_unit_test_setup(test_field_escaping, setup),
        cmocka_unit_test_setup(test_truncation_boundary, setup),
        cmocka_unit_test_setup(test_truncation_many_fields, setup),
        cmocka_unit_test_setup(test_truncation_long_event, setup),
        cmocka_unit_test_setup(test_log_msg, setup),
        cmocka_unit_test_setup(test_threads_do_not_interleave, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
