/* SPDX-License-Identifier: MIT */
/* A small blocking HTTP/1.1 client over loopback for the in-process server tests
 * (test_server.c, test_static.c): cmocka assertions on every failure. */
#ifndef LECTERN_TEST_HTTP_CLIENT_H
#define LECTERN_TEST_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

typedef struct response {
    int status;
    char head[4096];
    char body[8192];
    size_t body_len;
} response_t;

int client_connect(uint16_t port);
void client_send(int fd, const char *data);
/* Reads one response with a Content-Length body (all this server sends). 0 on success. */
int client_read(int fd, response_t *r);
/* Connects, sends request, reads one response, closes. */
response_t get(uint16_t port, const char *request);

#endif
