/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/config.c: defaults, the file < env < flag precedence, the file syntax,
 * every kind of bad value with the file:line and key in the message, listen addresses, key
 * spellings, and that --print-config never shows a store password. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lectern/alloc.h"
#include "lectern/config.h"
#include "lectern/log.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))

static char tmp_path[512];

static void env_name(int k, char *out, size_t outlen) {
    const char *name = lc_config_key_name(k);
    size_t i = (size_t)snprintf(out, outlen, "LECTERN_");
    for (; *name && i + 1 < outlen; name++)
        out[i++] = (char)(*name >= 'a' && *name <= 'z' ? *name - 'a' + 'A' : *name);
    out[i] = '\0';
}

static void clear_env(void) {
    for (int k = 0; k < LC_CFG_NKEYS; k++) {
        char var[64];
        env_name(k, var, sizeof var);
        unsetenv(var);
    }
}

static int setup(void **state) {
    (void)state;
    clear_env();
    tmp_path[0] = '\0';
    return 0;
}

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    clear_env();
    if (tmp_path[0])
        unlink(tmp_path);
    tmp_path[0] = '\0';
    return 0;
}

/* Writes a temporary configuration file (removed by teardown); returns its path. */
static const char *write_conf(const char *text, size_t len) {
    if (tmp_path[0])
        unlink(tmp_path);
    const char *dir = getenv("TMPDIR");
    snprintf(tmp_path, sizeof tmp_path, "%s/lectern-test-XXXXXX.conf", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(tmp_path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return tmp_path;
}

static const char *conf(const char *text) {
    return write_conf(text, strlen(text));
}

static void init(lc_config_t *c) {
    assert_int_equal(lc_config_init(c), LC_OK);
}

static void test_defaults(void **state) {
    (void)state;
    lc_config_t c;
    init(&c);
    assert_string_equal(c.data_dir, "./lectern-data");
    assert_string_equal(c.store, "");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 8080);
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.max_body_bytes, LC_LIMIT_MAX_BODY_BYTES);
    assert_int_equal(c.max_header_bytes, LC_LIMIT_MAX_HEADER_BYTES);
    assert_int_equal(c.conn_timeout_s, LC_LIMIT_CONN_TIMEOUT_S);
    assert_int_equal(c.max_connections, LC_LIMIT_MAX_CONNECTIONS);
    assert_int_equal(c.shutdown_timeout_s, LC_LIMIT_SHUTDOWN_TIMEOUT_S);
    assert_int_equal(c.log_level, LC_LOG_INFO);
    assert_true(c.access_log);
    for (int k = 0; k < LC_CFG_NKEYS; k++)
        assert_int_equal(c.source[k], LC_CFG_SRC_DEFAULT);
    lc_config_dispose(&c);
    lc_config_dispose(&c); /* twice is harmless */
}

/* default < file < env < flag, and source[] records where each value came from. */
static void test_precedence(void **state) {
    (void)state;
    char err[LC_CONFIG_ERR_MAX];
    lc_config_t c;
    init(&c);
    const char *path = conf("threads = 2\nconn_timeout_s = 5\nlog_level = warn\n");
    assert_int_equal(lc_config_load_file(&c, path, err), LC_OK);
    assert_int_equal(c.threads, 2);
    assert_int_equal(c.source[LC_CFG_KEY_threads], LC_CFG_SRC_FILE);

    setenv("LECTERN_THREADS", "3", 1);
    setenv("LECTERN_LOG_LEVEL", "error", 1);
    setenv("LECTERN_MAX_BODY_BYTES", "2M", 1);
    assert_int_equal(lc_config_load_env(&c, err), LC_OK);
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.source[LC_CFG_KEY_threads], LC_CFG_SRC_ENV);
    assert_int_equal(c.log_level, LC_LOG_ERROR);
    assert_int_equal(c.max_body_bytes, 2 << 20);

    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR("4"), LC_CFG_SRC_FLAG, "--threads", err),
        LC_OK);
    assert_int_equal(c.threads, 4);

    assert_int_equal(c.source[LC_CFG_KEY_threads], LC_CFG_SRC_FLAG);
    assert_int_equal(c.source[LC_CFG_KEY_log_level], LC_CFG_SRC_ENV);
    assert_int_equal(c.source[LC_CFG_KEY_max_body_bytes], LC_CFG_SRC_ENV);
    assert_int_equal(c.source[LC_CFG_KEY_conn_timeout_s], LC_CFG_SRC_FILE);
    assert_int_equal(c.conn_timeout_s, 5);
    assert_int_equal(c.source[LC_CFG_KEY_listen], LC_CFG_SRC_DEFAULT);
    assert_int_equal(c.source[LC_CFG_KEY_data_dir], LC_CFG_SRC_DEFAULT);
    lc_config_dispose(&c);
}

/* Every key can be set from its LECTERN_<KEY> variable. */
static void test_env_every_key(void **state) {
    (void)state;
    static const struct {
        int key;
        const char *value;
    } vals[] = {
        {LC_CFG_KEY_data_dir, "/srv/lectern"},
        {LC_CFG_KEY_store, "postgres://u:pw@db/lectern"},
        {LC_CFG_KEY_listen, "[::1]:9000"},
        {LC_CFG_KEY_threads, "8"},
        {LC_CFG_KEY_max_body_bytes, "4M"},
        {LC_CFG_KEY_max_header_bytes, "64k"},
        {LC_CFG_KEY_conn_timeout_s, "60"},
        {LC_CFG_KEY_max_connections, "10"},
        {LC_CFG_KEY_shutdown_timeout_s, "0"},
        {LC_CFG_KEY_log_level, "debug"},
        {LC_CFG_KEY_access_log, "off"},
        {LC_CFG_KEY_rate_limit, "500"},
        {LC_CFG_KEY_rate_window_s, "30"},
        {LC_CFG_KEY_token_rate_limit, "7"},
        {LC_CFG_KEY_session_idle_s, "600"},
        {LC_CFG_KEY_session_max_s, "3600"},
        {LC_CFG_KEY_secure_cookies, "on"},
        {LC_CFG_KEY_metrics_listen, "0.0.0.0:9464"},
        {LC_CFG_KEY_trusted_proxies, "10.0.0.0/8, ::1"},
    };
    assert_int_equal(N_(vals), LC_CFG_NKEYS);
    for (size_t i = 0; i < N_(vals); i++) {
        char var[64];
        env_name(vals[i].key, var, sizeof var);
        setenv(var, vals[i].value, 1);
    }
    char err[LC_CONFIG_ERR_MAX];
    lc_config_t c;
    init(&c);
    assert_int_equal(lc_config_load_env(&c, err), LC_OK);
    for (int k = 0; k < LC_CFG_NKEYS; k++)
        assert_int_equal(c.source[k], LC_CFG_SRC_ENV);
    assert_string_equal(c.data_dir, "/srv/lectern");
    assert_string_equal(c.store, "postgres://u:pw@db/lectern");
    assert_string_equal(c.listen_host, "::1");
    assert_int_equal(c.listen_port, 9000);
    assert_string_equal(c.trusted_proxies, "10.0.0.0/8, ::1");
    assert_string_equal(c.metrics_host, "0.0.0.0");
    assert_int_equal(c.metrics_port, 9464);
    assert_int_equal(c.threads, 8);
    assert_int_equal(c.max_body_bytes, 4 << 20);
    assert_int_equal(c.max_header_bytes, 64 << 10);
    assert_int_equal(c.conn_timeout_s, 60);
    assert_int_equal(c.max_connections, 10);
    assert_int_equal(c.shutdown_timeout_s, 0);
    assert_int_equal(c.log_level, LC_LOG_DEBUG);
    assert_false(c.access_log);
    assert_int_equal(c.rate_limit, 500);
    assert_int_equal(c.rate_window_s, 30);
    assert_int_equal(c.token_rate_limit, 7);
    assert_int_equal(c.session_idle_s, 600);
    assert_int_equal(c.session_max_s, 3600);
    assert_true(c.secure_cookies);
    lc_config_dispose(&c);
}

static void test_env_errors(void **state) {
    (void)state;
    char err[LC_CONFIG_ERR_MAX] = "";
    lc_config_t c;
    init(&c);
    setenv("LECTERN_MAX_BODY_BYTES", "huge", 1);
    assert_int_equal(lc_config_load_env(&c, err), LC_EINVAL);
    assert_non_null(strstr(err, "LECTERN_MAX_BODY_BYTES"));
    assert_non_null(strstr(err, "max_body_bytes"));
    assert_non_null(strstr(err, "huge"));
    unsetenv("LECTERN_MAX_BODY_BYTES");

    setenv("LECTERN_THREADS", "", 1); /* set but empty is not "unset" */
    assert_int_equal(lc_config_load_env(&c, err), LC_EINVAL);
    assert_non_null(strstr(err, "LECTERN_THREADS"));
    unsetenv("LECTERN_THREADS");

    setenv("LECTERN_STORE", "", 1); /* an empty string is a valid store value */
    assert_int_equal(lc_config_load_env(&c, err), LC_OK);
    assert_int_equal(c.source[LC_CFG_KEY_store], LC_CFG_SRC_ENV);
    lc_config_dispose(&c);
}

/* Comments, blank lines, quotes, white space around `=` and CRLF line ends. */
static void test_file_syntax(void **state) {
    (void)state;
    static const char text[] = "# lectern.conf\n"
                               "\n"
                               "   \n"
                               "  # an indented comment\n"
                               "threads=4\n"
                               "max_body_bytes   =   2M  \n"
                               "\tlog_level\t=\tdebug\r\n"
                               "data_dir = \"/tmp/with spaces \"\n"
                               "store = \"postgres://u:p@h/db?sslmode=require&x=#1\"\n"
                               "listen = [::1]:9090\r\n"
                               "access_log = off\n"
                               "max_header_bytes = 64KiB\n"
                               "# last line without a newline\n"
                               "conn_timeout_s = 7";
    char err[LC_CONFIG_ERR_MAX];
    lc_config_t c;
    init(&c);
    const char *path = write_conf(text, sizeof text - 1);
    int rc = lc_config_load_file(&c, path, err);
    if (rc != LC_OK)
        fail_msg("rc %d: %s", rc, err);
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.max_body_bytes, 2 << 20);
    assert_int_equal(c.log_level, LC_LOG_DEBUG);
    assert_string_equal(c.data_dir, "/tmp/with spaces ");
    assert_string_equal(c.store, "postgres://u:p@h/db?sslmode=require&x=#1");
    assert_string_equal(c.listen, "[::1]:9090");
    assert_string_equal(c.listen_host, "::1");
    assert_int_equal(c.listen_port, 9090);
    assert_false(c.access_log);
    assert_int_equal(c.max_header_bytes, 64 << 10);
    assert_int_equal(c.conn_timeout_s, 7);
    assert_int_equal(c.source[LC_CFG_KEY_conn_timeout_s], LC_CFG_SRC_FILE);
    assert_int_equal(c.source[LC_CFG_KEY_max_connections], LC_CFG_SRC_DEFAULT);
    lc_config_dispose(&c);

    /* An empty file and a file of comments change nothing. */
    init(&c);
    assert_int_equal(lc_config_load_file(&c, conf(""), err), LC_OK);
    assert_int_equal(lc_config_load_file(&c, conf("#\n\n#x = 1\n"), err), LC_OK);
    for (int k = 0; k < LC_CFG_NKEYS; k++)
        assert_int_equal(c.source[k], LC_CFG_SRC_DEFAULT);
    lc_config_dispose(&c);
}

/* Bad files: the message starts with "<path>:<line>: " and names the key and the value. */
static void test_file_errors(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *need1, *need2;
    } cases[] = {
        {"nope = 1\n", 1, "unknown key", "\"nope\""},
        {"# c\nThreads = 1\n", 2, "unknown key", "Threads"},
        {"= 5\n", 1, "unknown key", "\"\""},
        {"threads = 1\nthreads = 2\n", 2, "threads", "line 1"},
        {"threads = 1\n\n# x\nlog_level = info\nthreads = 1\n", 5, "threads", "line 1"},
        {"# c\n\nthreads 4\n", 3, "key = value", NULL},
        {"[server]\n", 1, "key = value", NULL},
        {"threads = 257\n", 1, "threads", "\"257\""},
        {"threads = -1\n", 1, "threads", "\"-1\""},
        {"threads = 1x\n", 1, "threads", "\"1x\""},
        {"threads = 0x10\n", 1, "threads", "0x10"},
        {"threads =\n", 1, "threads", "\"\""},
        {"threads = 4 # four\n", 1, "threads", "# four"},
        {"threads = \"4\n", 1, "threads", NULL},
        {"threads = 99999999999999999999999\n", 1, "threads", "from 0 to 256"},
        {"max_body_bytes = 1023\n", 1, "max_body_bytes", "\"1023\""},
        {"max_body_bytes = 65M\n", 1, "max_body_bytes", "\"65M\""},
        {"max_body_bytes = 1x\n", 1, "max_body_bytes", "\"1x\""},
        {"max_body_bytes = -1M\n", 1, "max_body_bytes", "\"-1M\""},
        {"max_header_bytes = 1G\n", 1, "max_header_bytes", "\"1G\""},
        {"conn_timeout_s = 0\n", 1, "conn_timeout_s", "from 1 to 3600"},
        {"max_connections = 1000001\n", 1, "max_connections", "\"1000001\""},
        {"shutdown_timeout_s = 601\n", 1, "shutdown_timeout_s", "\"601\""},
        {"access_log = maybe\n", 1, "access_log", "\"maybe\""},
        {"log_level = verbose\n", 1, "log_level", "\"verbose\""},
        {"listen = 8080\n", 1, "listen", "\"8080\""},
        {"listen = :80\n", 1, "listen", "\":80\""},
        {"listen = ::1:80\n", 1, "listen", "\"::1:80\""},
        {"listen = host:70000\n", 1, "listen", "\"host:70000\""},
        {"data_dir =\n", 1, "data_dir", "empty"},
        {"data_dir = \"\"\n", 1, "data_dir", "empty"},
        {"\n\n\n\n\n\n\n\n\n\nlog_level = loud\r\n", 11, "log_level", "\"loud\""},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        char err[LC_CONFIG_ERR_MAX] = "";
        lc_config_t c;
        init(&c);
        const char *path = conf(cases[i].text);
        int rc = lc_config_load_file(&c, path, err);
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%s:%d: ", path, cases[i].line);
        if (rc != LC_EINVAL)
            fail_msg("case %zu (%s): rc %d, want LC_EINVAL", i, cases[i].text, rc);
        if (strncmp(err, prefix, strlen(prefix)) != 0)
            fail_msg("case %zu: message \"%s\" does not start with \"%s\"", i, err, prefix);
        if (cases[i].need1 && !strstr(err, cases[i].need1))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err, cases[i].need1);
        if (cases[i].need2 && !strstr(err, cases[i].need2))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err, cases[i].need2);
        lc_config_dispose(&c);
    }
}

static void test_file_missing_and_limits(void **state) {
    (void)state;
    char err[LC_CONFIG_ERR_MAX] = "";
    lc_config_t c;
    init(&c);
    const char *missing = "/nonexistent-dir-for-lectern-tests/lectern.conf";
    assert_int_equal(lc_config_load_file(&c, missing, err), LC_ENOTFOUND);
    assert_non_null(strstr(err, missing));

    /* A directory opens but cannot be read. */
    assert_int_equal(lc_config_load_file(&c, "/", err), LC_EIO);

    /* Exactly LC_LIMIT_CONFIG_FILE_BYTES of comment lines is fine; one byte more is not. */
    size_t max = LC_LIMIT_CONFIG_FILE_BYTES;
    char *text = malloc(max + 2);
    assert_non_null(text);
    for (size_t i = 0; i < max + 1; i++)
        text[i] = i % 64 == 63 ? '\n' : '#';
    assert_int_equal(lc_config_load_file(&c, write_conf(text, max), err), LC_OK);
    assert_int_equal(lc_config_load_file(&c, write_conf(text, max + 1), err), LC_ELIMIT);
    assert_non_null(strstr(err, tmp_path));

    /* A line of LC_LIMIT_CONFIG_LINE_BYTES is fine, a longer one is refused. */
    size_t line = LC_LIMIT_CONFIG_LINE_BYTES;
    memset(text, '#', line + 1);
    text[line] = '\n';
    assert_int_equal(lc_config_load_file(&c, write_conf(text, line + 1), err), LC_OK);
    memset(text, '#', line + 1);
    text[line + 1] = '\n';
    assert_int_equal(lc_config_load_file(&c, write_conf(text, line + 2), err), LC_EINVAL);
    assert_non_null(strstr(err, ":1: "));
    free(text);
    lc_config_dispose(&c);
}

static void test_listen(void **state) {
    (void)state;
    static const struct {
        const char *in;
        const char *host; /* NULL: invalid */
        int port;
    } cases[] = {
        {"127.0.0.1:8080", "127.0.0.1", 8080},
        {"[::1]:80", "::1", 80},
        {"localhost:0", "localhost", 0},
        {"0.0.0.0:65535", "0.0.0.0", 65535},
        {"[fe80::1]:443", "fe80::1", 443},
        {"[::]:1", "::", 1},
        {"my-host.example.com:1", "my-host.example.com", 1},
        {"8080", NULL, 0},
        {":80", NULL, 0},
        {"::1:80", NULL, 0},
        {"host:70000", NULL, 0},
        {"host:65536", NULL, 0},
        {"host:", NULL, 0},
        {"host:-1", NULL, 0},
        {"host:+80", NULL, 0},
        {"host:80x", NULL, 0},
        {"host: 80", NULL, 0},
        {"host :80", NULL, 0},
        {"ho/st:80", NULL, 0},
        {"ho st:80", NULL, 0},
        {"[::1]", NULL, 0},
        {"[::1]:", NULL, 0},
        {"[::1]80", NULL, 0},
        {"[]:80", NULL, 0},
        {"[::1:80", NULL, 0},
        {"a:b:80", NULL, 0},
        {"", NULL, 0},
        {"0123456789012345678901234567890123456789012345678901234567890123:80", NULL, 0},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        char err[LC_CONFIG_ERR_MAX] = "";
        lc_config_t c;
        init(&c);
        int rc = lc_config_set(&c, LC_CFG_KEY_listen, lc_str_from(cases[i].in), LC_CFG_SRC_FLAG,
                               "--listen", err);
        if (cases[i].host) {
            if (rc != LC_OK)
                fail_msg("\"%s\": rc %d: %s", cases[i].in, rc, err);
            assert_string_equal(c.listen, cases[i].in);
            assert_string_equal(c.listen_host, cases[i].host);
            assert_int_equal(c.listen_port, cases[i].port);
            assert_int_equal(c.source[LC_CFG_KEY_listen], LC_CFG_SRC_FLAG);
        } else {
            if (rc != LC_EINVAL)
                fail_msg("\"%s\": rc %d, want LC_EINVAL", cases[i].in, rc);
            assert_true(strncmp(err, "--listen: ", 10) == 0);
            /* A bad value leaves the previous one in place. */
            assert_string_equal(c.listen, "127.0.0.1:8080");
            assert_string_equal(c.listen_host, "127.0.0.1");
            assert_int_equal(c.listen_port, 8080);
            assert_int_equal(c.source[LC_CFG_KEY_listen], LC_CFG_SRC_DEFAULT);
        }
        lc_config_dispose(&c);
    }
    /* A 63-character host name is the longest accepted. */
    char err[LC_CONFIG_ERR_MAX];
    lc_config_t c;
    init(&c);
    char host[80];
    memset(host, 'h', 63);
    memcpy(host + 63, ":1", 3);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_listen, lc_str_from(host), LC_CFG_SRC_FLAG, "--listen", err),
        LC_OK);
    assert_int_equal(strlen(c.listen_host), 63);
    lc_config_dispose(&c);

    /* metrics_listen: off (empty) by default and when set empty; a bad value is refused like
     * listen's and leaves the previous one; listen itself is untouched. */
    init(&c);
    assert_string_equal(c.metrics_listen, "");
    assert_string_equal(c.metrics_host, "");
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_metrics_listen, LC_STR("[::1]:9464"),
                                   LC_CFG_SRC_FLAG, "--metrics-listen", err),
                     LC_OK);
    assert_string_equal(c.metrics_host, "::1");
    assert_int_equal(c.metrics_port, 9464);
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 8080);
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_metrics_listen, LC_STR("9464"), LC_CFG_SRC_FLAG,
                                   "--metrics-listen", err),
                     LC_EINVAL);
    assert_non_null(strstr(err, "--metrics-listen: bad value \"9464\" for metrics_listen"));
    assert_string_equal(c.metrics_host, "::1");
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_metrics_listen, LC_STR(""), LC_CFG_SRC_FLAG,
                                   "--metrics-listen", err),
                     LC_OK);
    assert_string_equal(c.metrics_host, "");
    assert_int_equal(c.metrics_port, 0);

    /* trusted_proxies: checked when set, with the entry and the reason in the message. */
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_trusted_proxies, LC_STR("10.0.0.0/8 fd00::/8"),
                                   LC_CFG_SRC_FLAG, "--trusted-proxies", err),
                     LC_OK);
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_trusted_proxies, LC_STR("10.0.0.1/8"),
                                   LC_CFG_SRC_FILE, "lectern.conf:4", err),
                     LC_EINVAL);
    assert_string_equal(err, "lectern.conf:4: bad value for trusted_proxies: bad entry "
                             "\"10.0.0.1/8\": the address has bits set past the prefix length "
                             "(the range starts at a lower address)");
    assert_string_equal(c.trusted_proxies, "10.0.0.0/8 fd00::/8");
    lc_config_dispose(&c);
}

static void test_set_values_and_errors(void **state) {
    (void)state;
    char err[LC_CONFIG_ERR_MAX] = "";
    lc_config_t c;
    init(&c);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR("256"), LC_CFG_SRC_FLAG, "--threads", err),
        LC_OK);
    assert_int_equal(c.threads, 256);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR("9"), LC_CFG_SRC_FLAG, "--threads", err),
        LC_OK);
    assert_int_equal(c.threads, 9); /* the same source twice: the later wins */
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_max_body_bytes, LC_STR("64M"), LC_CFG_SRC_FLAG,
                                   "--max-body-bytes", err),
                     LC_OK);
    assert_int_equal(c.max_body_bytes, 64 << 20);
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_max_body_bytes, LC_STR("1024"), LC_CFG_SRC_FLAG,
                                   "--max-body-bytes", err),
                     LC_OK);
    assert_int_equal(c.max_body_bytes, 1024);
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_access_log, LC_STR("yes"), LC_CFG_SRC_FLAG,
                                   "--access-log", err),
                     LC_OK);
    assert_true(c.access_log);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_log_level, LC_STR("OFF"), LC_CFG_SRC_FLAG, "--log-level", err),
        LC_OK);
    assert_int_equal(c.log_level, LC_LOG_OFF);

    /* A bad value: LC_EINVAL, the origin and key in the message, the old value kept. */
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR("many"), LC_CFG_SRC_FLAG, "--threads", err),
        LC_EINVAL);
    assert_true(strncmp(err, "--threads: ", 11) == 0);
    assert_non_null(strstr(err, "\"many\""));
    assert_int_equal(c.threads, 9);
    /* A NUL inside a string value is refused. */
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_data_dir, lc_str_make("a\0b", 3), LC_CFG_SRC_FLAG,
                                   "--data-dir", err),
                     LC_EINVAL);
    assert_string_equal(c.data_dir, "./lectern-data");
    /* A NULL slice is the empty string. */
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_data_dir, LC_STR_NULL, LC_CFG_SRC_FLAG, "--data-dir", err),
        LC_EINVAL);
    assert_non_null(strstr(err, "must not be empty"));
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_store, LC_STR_NULL, LC_CFG_SRC_FLAG, "--store", err), LC_OK);
    assert_string_equal(c.store, "");
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_listen, LC_STR_NULL, LC_CFG_SRC_FLAG, "--listen", err),
        LC_EINVAL);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR_NULL, LC_CFG_SRC_FLAG, "--threads", err),
        LC_EINVAL);
    /* A long bad value is cut in the message, which stays within LC_CONFIG_ERR_MAX. */
    char junk[2000];
    memset(junk, 'j', sizeof junk);
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_threads, lc_str_make(junk, sizeof junk),
                                   LC_CFG_SRC_FLAG, "--threads", err),
                     LC_EINVAL);
    assert_true(strlen(err) < 300);
    /* Out-of-range keys are refused, not read past the table. */
    assert_int_equal(lc_config_set(&c, -1, LC_STR("1"), LC_CFG_SRC_FLAG, "--x", err), LC_EINVAL);
    assert_int_equal(lc_config_set(&c, LC_CFG_NKEYS, LC_STR("1"), LC_CFG_SRC_FLAG, "--x", err),
                     LC_EINVAL);
    lc_config_dispose(&c);
}

static void test_key_find(void **state) {
    (void)state;
    static const struct {
        const char *name;
        int key;
    } cases[] = {
        {"max_body_bytes", LC_CFG_KEY_max_body_bytes},
        {"max-body-bytes", LC_CFG_KEY_max_body_bytes},
        {"threads", LC_CFG_KEY_threads},
        {"data-dir", LC_CFG_KEY_data_dir},
        {"data_dir", LC_CFG_KEY_data_dir},
        {"access-log", LC_CFG_KEY_access_log},
        {"log-level", LC_CFG_KEY_log_level},
        {"MAX_BODY_BYTES", -1},
        {"max_body", -1},
        {"max_body_bytes_", -1},
        {"nope", -1},
        {"", -1},
        {"config", -1},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        int k = lc_config_key_find(lc_str_from(cases[i].name));
        if (k != cases[i].key)
            fail_msg("\"%s\": %d, want %d", cases[i].name, k, cases[i].key);
    }
    for (int k = 0; k < LC_CFG_NKEYS; k++)
        assert_int_equal(lc_config_key_find(lc_str_from(lc_config_key_name(k))), k);
    assert_null(lc_config_key_name(-1));
    assert_null(lc_config_key_name(LC_CFG_NKEYS));
}

static char *print_config(const lc_config_t *c) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    lc_config_print(c, f);
    fclose(f);
    return text;
}

static void test_print(void **state) {
    (void)state;
    char err[LC_CONFIG_ERR_MAX];
    lc_config_t c;
    init(&c);
    char *text = print_config(&c);
    assert_non_null(strstr(text, "store = \"\"  # default\n"));
    assert_non_null(strstr(text, "listen = 127.0.0.1:8080  # default\n"));
    assert_non_null(strstr(text, "max_body_bytes = 1048576  # default\n"));
    assert_non_null(strstr(text, "log_level = info  # default\n"));
    assert_non_null(strstr(text, "access_log = on  # default\n"));
    free(text);

    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_store, LC_STR("postgres://u:secret@h/db"),
                                   LC_CFG_SRC_FLAG, "--store", err),
                     LC_OK);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR("4"), LC_CFG_SRC_FLAG, "--threads", err),
        LC_OK);
    setenv("LECTERN_DATA_DIR", " padded ", 1);
    assert_int_equal(lc_config_load_env(&c, err), LC_OK);
    text = print_config(&c);
    assert_null(strstr(text, "secret"));
    assert_non_null(strstr(text, "store = postgres://u:****@h/db  # flag\n"));
    assert_non_null(strstr(text, "threads = 4  # flag\n"));
    assert_non_null(strstr(text, "data_dir = \" padded \"  # env\n"));
    /* One line per key. */
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, LC_CFG_NKEYS);
    free(text);

    /* The libpq key=value form is masked too. */
    assert_int_equal(lc_config_set(&c, LC_CFG_KEY_store, LC_STR("host=h password=secret user=u"),
                                   LC_CFG_SRC_FLAG, "--store", err),
                     LC_OK);
    text = print_config(&c);
    assert_null(strstr(text, "secret"));
    free(text);
    lc_config_dispose(&c);
}

static void test_print_help(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    lc_config_print_help(f);
    fclose(f);
    assert_non_null(strstr(text, "--max-body-bytes"));
    assert_non_null(strstr(text, "--threads"));
    assert_non_null(strstr(text, "(default: 1M"));
    assert_non_null(strstr(text, "LECTERN_MAX_BODY_BYTES")); /* the variable, as documented */
    assert_non_null(strstr(text, "--store"));
    assert_null(strstr(text, "max_body_bytes"));
    free(text);
}

static void test_mask_url(void **state) {
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"postgres://u:secret@h/db", "postgres://u:****@h/db"},
        {"postgresql://user:p%40ss@host:5432/db?sslmode=require",
         "postgresql://user:****@host:5432/db?sslmode=require"},
        {"postgres://:secret@h/db", "postgres://:****@h/db"},
        {"postgres://u:@h/db", "postgres://u:****@h/db"},
        {"postgres://u:p@ss@h/db", "postgres://u:****@h/db"}, /* unencoded '@' in password */
        {"postgres://u:secret@h/db?password=other", "postgres://u:****@h/db?password=****"},
        {"postgres://h/db?user=u&password=secret&x=1", "postgres://h/db?user=u&password=****&x=1"},
        {"postgres://h/db?sslpassword=secret", "postgres://h/db?sslpassword=****"},
        {"host=h password=secret user=u", "host=h password=**** user=u"},
        {"host=h password = secret user=u", "host=h password = **** user=u"},
        {"host=h password='se cret' user=u", "host=h password=**** user=u"},
        {"host=h password='it\\'s secret' user=u", "host=h password=**** user=u"},
        {"password=secret", "password=****"},
        /* nothing to mask */
        {"postgres://u@h/db", "postgres://u@h/db"},
        {"postgres://h:5432/db", "postgres://h:5432/db"},
        {"postgres://h:5432/db?user=a@b", "postgres://h:5432/db?user=a@b"},
        {"postgres://h/db#frag:x@y", "postgres://h/db#frag:x@y"},
        {"sqlite:/var/lib/lectern.db", "sqlite:/var/lib/lectern.db"},
        {"sqlite:./data/user:x@y.db", "sqlite:./data/user:x@y.db"},
        {"host=h user=u", "host=h user=u"},
        {"", ""},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        char out[256];
        memset(out, 'Z', sizeof out);
        lc_config_mask_url(cases[i].in, out, sizeof out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("mask(\"%s\") = \"%s\", want \"%s\"", cases[i].in, out, cases[i].want);
    }
    /* A short output buffer truncates, stays NUL-terminated, and never shows the password. */
    for (size_t outlen = 1; outlen < 30; outlen++) {
        char out[30];
        memset(out, 'Z', sizeof out);
        lc_config_mask_url("postgres://u:secret@h/db", out, outlen);
        assert_true(strlen(out) < outlen);
        assert_null(strstr(out, "sec"));
    }
}

/* Out of memory at every allocation of init, set and load: a clean LC_ENOMEM, nothing leaked
 * (LeakSanitizer checks in the asan build). */
static void test_enomem(void **state) {
    (void)state;
    char err[LC_CONFIG_ERR_MAX];
    lc_config_t c;
    long n = 0;
    for (;; n++) {
        lc_alloc_fail_after(n);
        int rc = lc_config_init(&c);
        lc_alloc_fail_reset();
        if (rc == LC_OK)
            break;
        assert_int_equal(rc, LC_ENOMEM);
        assert_true(n < 100);
    }
    assert_true(n >= 3); /* one string per STR/LISTEN key */
    lc_alloc_fail_after(0);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_store, LC_STR("x"), LC_CFG_SRC_FLAG, "--store", err),
        LC_ENOMEM);
    assert_string_equal(c.store, "");
    /* A listen address that parses but cannot be stored changes none of its three fields. */
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_listen, LC_STR("[::1]:1"), LC_CFG_SRC_FLAG, "--listen", err),
        LC_ENOMEM);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 8080);
    assert_int_equal(c.source[LC_CFG_KEY_listen], LC_CFG_SRC_DEFAULT);
    assert_int_equal(
        lc_config_set(&c, LC_CFG_KEY_threads, LC_STR("3"), LC_CFG_SRC_FLAG, "--threads", err),
        LC_OK); /* integers need no memory */
    const char *path = conf("threads = 2\n");
    assert_int_equal(lc_config_load_file(&c, path, err), LC_ENOMEM);
    lc_alloc_fail_after(1); /* the file buffer, then the string value */
    path = conf("data_dir = /x\n");
    assert_int_equal(lc_config_load_file(&c, path, err), LC_ENOMEM);
    lc_alloc_fail_reset();
    assert_string_equal(c.data_dir, "./lectern-data");
    lc_config_dispose(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_every_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_missing_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_values_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enomem, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
