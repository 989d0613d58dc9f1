/* SPDX-License-Identifier: MIT */
/* Unit tests of src/http/listen.c: option defaults and range checks, the thread count, and the
 * listening socket (IPv4, IPv6, port 0, a port in use, a host that is not an address). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "http_int.h"
#include "lectern/limits.h"
#include "lectern/log.h"

static int setup(void **state) {
    (void)state;
    lc_log_set_level(LC_LOG_OFF); /* the failures below log on purpose */
    return 0;
}

static void test_defaults(void **state) {
    (void)state;
    lc_http_options_t o;
    lc_http_options_default(&o);
    assert_string_equal(o.host, "127.0.0.1");
    assert_int_equal(o.threads, 0);
    assert_int_equal(o.max_body_bytes, LC_LIMIT_MAX_BODY_BYTES);
    assert_int_equal(o.max_header_bytes, LC_LIMIT_MAX_HEADER_BYTES);
    assert_int_equal(o.conn_timeout_s, LC_LIMIT_CONN_TIMEOUT_S);
    assert_int_equal(o.max_connections, LC_LIMIT_MAX_CONNECTIONS);
    assert_int_equal(o.shutdown_timeout_s, LC_LIMIT_SHUTDOWN_TIMEOUT_S);
    assert_true(o.access_log);
    assert_int_equal(lc_http__options_check(&o), LC_OK);
}

static void test_check(void **state) {
    (void)state;
    lc_http_options_t o;
    assert_int_equal(lc_http__options_check(NULL), LC_EINVAL);
#define BAD(field, value)                                                                          \
    do {                                                                                           \
        lc_http_options_default(&o);                                                               \
        o.field = value;                                                                           \
        assert_int_equal(lc_http__options_check(&o), LC_EINVAL);                                   \
    } while (0)
#define GOOD(field, value)                                                                         \
    do {                                                                                           \
        lc_http_options_default(&o);                                                               \
        o.field = value;                                                                           \
        assert_int_equal(lc_http__options_check(&o), LC_OK);                                       \
    } while (0)
    BAD(host, NULL);
    BAD(host, "");
    BAD(threads, LC_LIMIT_MAX_THREADS + 1);
    GOOD(threads, LC_LIMIT_MAX_THREADS);
    BAD(max_body_bytes, 0);
    GOOD(max_body_bytes, 1);
    GOOD(max_body_bytes, LC_LIMIT_REQUEST_ARENA_BYTES);
    BAD(max_body_bytes, LC_LIMIT_REQUEST_ARENA_BYTES + 1);
    BAD(max_header_bytes, LC_HTTP__MIN_HEADER_BYTES - 1);
    GOOD(max_header_bytes, LC_HTTP__MIN_HEADER_BYTES);
    GOOD(max_header_bytes, LC_HTTP__MAX_HEADER_BYTES);
    BAD(max_header_bytes, LC_HTTP__MAX_HEADER_BYTES + 1);
    BAD(conn_timeout_s, 0);
    BAD(max_connections, 0);
    GOOD(shutdown_timeout_s, 0);
#undef BAD
#undef GOOD
}

static void test_threads(void **state) {
    (void)state;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned t0 = lc_http__threads_effective(0);
    assert_true(t0 >= 1 && t0 <= LC_LIMIT_MAX_THREADS);
    if (cpus > 0 && cpus <= LC_LIMIT_MAX_THREADS)
        assert_int_equal(t0, (unsigned)cpus);
    assert_int_equal(lc_http__threads_effective(3), 3);
    assert_int_equal(lc_http__threads_effective(100000), LC_LIMIT_MAX_THREADS);
}

static void test_listen_v4_and_port_in_use(void **state) {
    (void)state;
    int fd = -1, fd2 = -1;
    uint16_t port = 0, port2 = 0;
    assert_int_equal(lc_http__listen("127.0.0.1", 0, &fd, &port), LC_OK);
    assert_true(fd >= 0);
    assert_true(port > 0);
    assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    /* The same port again: a clean LC_EIO, nothing left open. */
    assert_int_equal(lc_http__listen("127.0.0.1", port, &fd2, &port2), LC_EIO);
    assert_int_equal(fd2, -1);
    close(fd);
}

static void test_listen_v6(void **state) {
    (void)state;
    int fd = -1;
    uint16_t port = 0;
    int rc = lc_http__listen("::1", 0, &fd, &port);
    if (rc == LC_EIO || rc == LC_EINVAL)
        skip(); /* no IPv6 loopback on this machine */
    assert_int_equal(rc, LC_OK);
    assert_true(port > 0);
    close(fd);
    fd = -1;
    assert_int_equal(lc_http__listen("[::1]", 0, &fd, &port), LC_OK);
    close(fd);
}

static void test_listen_bad_host(void **state) {
    (void)state;
    int fd = -1;
    uint16_t port = 0;
    assert_int_equal(lc_http__listen("", 0, &fd, &port), LC_EINVAL);
    assert_int_equal(lc_http__listen("no such host.invalid", 0, &fd, &port), LC_EINVAL);
    assert_int_equal(lc_http__listen("999.1.1.1", 0, &fd, &port) != LC_OK, 1);
    assert_int_equal(fd, -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),  cmocka_unit_test(test_check),
        cmocka_unit_test(test_threads),   cmocka_unit_test(test_listen_v4_and_port_in_use),
        cmocka_unit_test(test_listen_v6), cmocka_unit_test(test_listen_bad_host),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
