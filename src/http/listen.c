/* SPDX-License-Identifier: MIT */
/* Server options, the open-files limit and the listening socket. We bind the socket ourselves
 * and hand it to libmicrohttpd (MHD_OPTION_LISTEN_SOCKET) so that a bind failure is reported
 * with its errno and the address family (IPv4 or IPv6) follows the configured host. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_int.h"
#include "lectern/limits.h"
#include "lectern/log.h"

void lc_http_options_default(lc_http_options_t *o) {
    o->host = "127.0.0.1";
    o->port = 8080;
    o->threads = 0;
    o->max_body_bytes = LC_LIMIT_MAX_BODY_BYTES;
    o->max_header_bytes = LC_LIMIT_MAX_HEADER_BYTES;
    o->conn_timeout_s = LC_LIMIT_CONN_TIMEOUT_S;
    o->max_connections = LC_LIMIT_MAX_CONNECTIONS;
    o->shutdown_timeout_s = LC_LIMIT_SHUTDOWN_TIMEOUT_S;
    o->access_log = true;
    o->trusted_proxies = NULL;
}

static int bad(const char *option, const char *why) {
    lc_log_rec_t rec;
    lc_log_begin(&rec, LC_LOG_ERROR, "http.options");
    lc_log_cstr(&rec, "option", option);
    lc_log_cstr(&rec, "msg", why);
    lc_log_end(&rec);
    return LC_EINVAL;
}

int lc_http__options_check(const lc_http_options_t *o) {
    if (!o)
        return LC_EINVAL;
    if (!o->host || !o->host[0])
        return bad("host", "an address to listen on is required");
    if (o->threads > LC_LIMIT_MAX_THREADS)
        return bad("threads", "more threads than LC_LIMIT_MAX_THREADS");
    if (o->max_body_bytes == 0 || o->max_body_bytes > LC_LIMIT_REQUEST_ARENA_BYTES)
        return bad("max_body_bytes", "must be between 1 byte and the request memory limit");
    if (o->max_header_bytes < LC_HTTP__MIN_HEADER_BYTES ||
        o->max_header_bytes > LC_HTTP__MAX_HEADER_BYTES)
        return bad("max_header_bytes", "must be between 256 bytes and 1 MiB");
    if (o->conn_timeout_s == 0)
        return bad("conn_timeout_s", "must be at least 1 second");
    if (o->max_connections == 0)
        return bad("max_connections", "must be at least 1");
    return LC_OK;
}

unsigned lc_http__threads_effective(unsigned threads) {
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)(n > LC_LIMIT_MAX_THREADS ? LC_LIMIT_MAX_THREADS : n) : 1;
    }
    return threads > LC_LIMIT_MAX_THREADS ? LC_LIMIT_MAX_THREADS : threads;
}

void lc_http__fd_limit_raise(unsigned max_connections) {
    struct rlimit rl;
    rlim_t want = (rlim_t)max_connections + LC_HTTP__FD_RESERVE;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
        return;
    /* The soft limit is often 1024 while the hard one is far higher: take what we need. */
    rlim_t old = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        rl.rlim_cur = old;
    if (rl.rlim_cur < want) {
        lc_log_rec_t rec;
        lc_log_begin(&rec, LC_LOG_WARN, "http.fd_limit");
        lc_log_i64(&rec, "max_connections", max_connections);
        lc_log_i64(&rec, "open_files_limit", (int64_t)rl.rlim_cur);
        lc_log_cstr(&rec, "msg",
                    "the open files limit (ulimit -n) is below max_connections: "
                    "connections past it wait");
        lc_log_end(&rec);
    }
}

static void log_bind_error(const char *host, uint16_t port, const char *what, const char *why) {
    lc_log_rec_t rec;
    lc_log_begin(&rec, LC_LOG_ERROR, "http.bind");
    lc_log_cstr(&rec, "host", host);
    lc_log_i64(&rec, "port", port);
    lc_log_cstr(&rec, "step", what);
    lc_log_cstr(&rec, "msg", why);
    lc_log_end(&rec);
}

static uint16_t sock_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return 0;
}

int lc_http__listen(const char *host, uint16_t port, int *fd_out, uint16_t *port_out) {
    int rc = LC_EINVAL;
    struct addrinfo hints, *res = NULL;
    char service[8];
    char name[256];
    size_t hl;
    int fd = -1;
    int gai;
    const char *step = "resolve";
    int err = 0;

    if (!host || !host[0])
        goto out;
    /* "[::1]" is how users write IPv6 next to a port; getaddrinfo wants it bare. */
    hl = strlen(host);
    if (hl >= sizeof name)
        goto out;
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        memcpy(name, host + 1, hl - 2);
        name[hl - 2] = '\0';
    } else {
        memcpy(name, host, hl + 1);
    }
    snprintf(service, sizeof service, "%u", (unsigned)port);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    gai = getaddrinfo(name, service, &hints, &res);
    if (gai != 0) {
        log_bind_error(host, port, step, gai_strerror(gai));
        rc = LC_EINVAL;
        goto out;
    }
    rc = LC_EIO;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int one = 1;
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            step = "socket";
            err = errno;
            continue;
        }
        /* A restarted server must not wait out TIME_WAIT of its predecessor's connections. */
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            if (listen(fd, SOMAXCONN) == 0)
                break;
            step = "listen";
        } else {
            step = "bind";
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        log_bind_error(host, port, step, strerror(err));
        goto out;
    }
    *port_out = sock_port(fd);
    *fd_out = fd;
    fd = -1;
    rc = LC_OK;
out:
    if (fd >= 0)
        close(fd);
    if (res)
        freeaddrinfo(res);
    return rc;
}
