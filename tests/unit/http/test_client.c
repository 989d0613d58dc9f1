/* SPDX-License-Identifier: MIT */
/* The loopback client of the in-process server tests (test_client.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_client.h"

int client_connect(uint16_t port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

void client_send(int fd, const char *data) {
    size_t n = strlen(data);
    while (n) {
        ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
        assert_true(w > 0);
        data += w;
        n -= (size_t)w;
    }
}

int client_read(int fd, response_t *r) {
    static char buf[16384];
    size_t len = 0;
    memset(r, 0, sizeof *r);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        char *end = memmem(buf, len, "\r\n\r\n", 4);
        if (end) {
            size_t head_len = (size_t)(end - buf);
            const char *cl = strcasestr(buf, "\r\nContent-Length:");
            size_t body_len = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
            if (len >= head_len + 4 + body_len) {
                assert_true(head_len < sizeof r->head && body_len < sizeof r->body);
                memcpy(r->head, buf, head_len);
                memcpy(r->body, end + 4, body_len);
                r->body_len = body_len;
                r->status = (int)strtol(buf + 9, NULL, 10);
                return 0;
            }
        }
        if (poll(&p, 1, 5000) != 1 || len == sizeof buf)
            return -1;
        ssize_t n = recv(fd, buf + len, sizeof buf - len, 0);
        if (n <= 0)
            return -1;
        len += (size_t)n;
    }
}

response_t get(uint16_t port, const char *request) {
    response_t r;
    int fd = client_connect(port);
    client_send(fd, request);
    assert_int_equal(client_read(fd, &r), 0);
    close(fd);
    return r;
}
