/* SPDX-License-Identifier: MIT */
/* The client's address behind trusted proxies (http_int.h, lc_http__forwarded_client).
 *
 * Each proxy appends, to X-Forwarded-For, the address it received the request from. Only what
 * trusted proxies appended can be believed, so the entries are read from the right (the
 * nearest hop first): a trusted address means one more trusted hop, and the first address that
 * is not trusted is the client. Whatever a client put in the header itself sits to the left of
 * that and is never read. A malformed entry ends the walk at the last address believed. Several
 * X-Forwarded-For lines count as one list in their order (a proxy may add a line instead of
 * appending to the last). */
#include <microhttpd.h>
#include <strings.h>

#include "http_int.h"

#define MAX_LINES 16

typedef struct lines {
    lc_str_t v[MAX_LINES]; /* the last MAX_LINES header lines, oldest first */
    unsigned n;
} lines_t;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                               const char *value, size_t value_size) {
    lines_t *l = cls;
    (void)kind;
    (void)key_size;
    if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    if (l->n == MAX_LINES) { /* keep the nearest hops */
        memmove(l->v, l->v + 1, (MAX_LINES - 1) * sizeof l->v[0]);
        l->n--;
    }
    l->v[l->n++] = lc_str_make(value, value_size);
    return MHD_YES;
}

const char *lc_http__forwarded_client(const lc_cidr_list_t *trusted, void *conn, const char *peer,
                                      lc_arena_t *arena) {
    lc_ip_t ip, believed;
    if (trusted == NULL || trusted->n == 0 || conn == NULL ||
        !lc_ip_parse(lc_str_from(peer), false, &believed) ||
        !lc_cidr_list_contains(trusted, &believed))
        return peer;
    lines_t l = {.n = 0};
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect, &l);
    bool moved = false;
    for (unsigned h = l.n; h-- > 0;) {
        lc_str_t v = l.v[h];
        size_t end = v.len;
        for (;;) {
            size_t start = end;
            while (start > 0 && v.ptr[start - 1] != ',')
                start--;
            if (!lc_ip_parse(lc_str_make(v.ptr + start, end - start), true, &ip))
                goto done;
            believed = ip;
            moved = true;
            if (!lc_cidr_list_contains(trusted, &ip))
                goto done;
            if (start == 0)
                break;
            end = start - 1; /* before the comma */
        }
    }
done:
    if (!moved)
        return peer;
    char *out = lc_arena_alloc(arena, 46);
    if (out == NULL)
        return peer;
    lc_ip_format(&believed, out);
    return out;
}
