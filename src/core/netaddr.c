/* SPDX-License-Identifier: MIT */
/* IP addresses and CIDR ranges (netaddr.h): parsing with inet_pton, matching by prefix. */
#include "lectern/netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lectern/status.h"

static lc_str_t trim(lc_str_t s) {
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

static bool all_digits(lc_str_t s) {
    if (s.len == 0 || s.len > 5)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
    return true;
}

/* inet_pton needs a NUL-terminated copy; no address is longer than 45 characters. */
static bool pton(lc_str_t s, lc_ip_t *out) {
    char buf[64];
    if (s.len == 0 || s.len >= sizeof buf || memchr(s.ptr, '\0', s.len))
        return false;
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    uint8_t v4[4];
    if (inet_pton(AF_INET, buf, v4) == 1) {
        memset(out->b, 0, 10);
        out->b[10] = 0xff;
        out->b[11] = 0xff;
        memcpy(out->b + 12, v4, 4);
        return true;
    }
    return memchr(buf, ':', s.len) != NULL && inet_pton(AF_INET6, buf, out->b) == 1;
}

bool lc_ip_parse(lc_str_t s, bool port_ok, lc_ip_t *out) {
    s = trim(s);
    if (s.len && s.ptr[0] == '[') {
        const char *close = memchr(s.ptr, ']', s.len);
        if (!close)
            return false;
        lc_str_t rest = lc_str_make(close + 1, s.len - (size_t)(close + 1 - s.ptr));
        if (rest.len &&
            !(port_ok && rest.ptr[0] == ':' && all_digits(lc_str_make(rest.ptr + 1, rest.len - 1))))
            return false;
        lc_str_t inner = lc_str_make(s.ptr + 1, (size_t)(close - s.ptr) - 1);
        return memchr(inner.ptr, ':', inner.len) != NULL && pton(inner, out);
    }
    if (pton(s, out))
        return true;
    /* "a.b.c.d:port": exactly one colon, so never a bare IPv6 address. */
    const char *colon = memchr(s.ptr, ':', s.len);
    if (!port_ok || !colon || memchr(colon + 1, ':', s.len - (size_t)(colon + 1 - s.ptr)))
        return false;
    lc_str_t host = lc_str_make(s.ptr, (size_t)(colon - s.ptr));
    lc_str_t port = lc_str_make(colon + 1, s.len - host.len - 1);
    return all_digits(port) && memchr(host.ptr, '.', host.len) != NULL && pton(host, out);
}

static bool is_v4(const lc_ip_t *ip) {
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(ip->b, prefix, sizeof prefix) == 0;
}

void lc_ip_format(const lc_ip_t *ip, char out[46]) {
    if (is_v4(ip))
        inet_ntop(AF_INET, ip->b + 12, out, 46);
    else
        inet_ntop(AF_INET6, ip->b, out, 46);
}

static bool prefix_matches(const lc_ip_t *a, const lc_ip_t *b, unsigned bits) {
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a->b, b->b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (a->b[whole] & mask) == (b->b[whole] & mask);
}

/* One entry: an address or address/prefix. */
static int parse_one(lc_str_t e, lc_cidr_t *out, char *err, size_t errlen) {
    const char *slash = memchr(e.ptr, '/', e.len);
    lc_str_t addr = slash ? lc_str_make(e.ptr, (size_t)(slash - e.ptr)) : e;
    int shown = (int)(e.len > 60 ? 60 : e.len);
    if (!lc_ip_parse(addr, false, &out->net) || (addr.len && addr.ptr[0] == '[')) {
        snprintf(err, errlen,
                 "bad entry \"%.*s\": expected an IP address or a range such as 10.0.0.0/8 or "
                 "fd00::/8",
                 shown, e.ptr);
        return LC_EINVAL;
    }
    unsigned max = is_v4(&out->net) ? 32 : 128, bits = max;
    if (slash) {
        lc_str_t p = lc_str_make(slash + 1, e.len - addr.len - 1);
        bits = 0;
        bool ok = p.len > 0 && p.len <= 3;
        for (size_t i = 0; ok && i < p.len; i++) {
            ok = p.ptr[i] >= '0' && p.ptr[i] <= '9';
            bits = bits * 10 + (unsigned)(p.ptr[i] - '0');
        }
        if (!ok || bits > max) {
            snprintf(err, errlen, "bad entry \"%.*s\": the prefix length must be 0 to %u", shown,
                     e.ptr, max);
            return LC_EINVAL;
        }
    }
    out->bits = (uint8_t)(max == 32 ? bits + 96 : bits);
    lc_ip_t cleared = {{0}};
    unsigned whole = out->bits / 8, rest = out->bits % 8;
    memcpy(cleared.b, out->net.b, whole);
    if (rest)
        cleared.b[whole] = (uint8_t)(out->net.b[whole] & (0xffu << (8 - rest)));
    if (memcmp(cleared.b, out->net.b, sizeof cleared.b) != 0) {
        snprintf(err, errlen,
                 "bad entry \"%.*s\": the address has bits set past the prefix length (the range "
                 "starts at a lower address)",
                 shown, e.ptr);
        return LC_EINVAL;
    }
    return LC_OK;
}

static bool is_sep(char c) {
    return c == ',' || c == ' ' || c == '\t';
}

int lc_cidr_list_parse(lc_str_t text, lc_cidr_list_t *out, char *err, size_t errlen) {
    lc_cidr_list_t l;
    l.n = 0;
    size_t i = 0;
    if (errlen)
        err[0] = '\0';
    while (i < text.len) {
        while (i < text.len && is_sep(text.ptr[i]))
            i++;
        size_t start = i;
        while (i < text.len && !is_sep(text.ptr[i]))
            i++;
        if (i == start)
            continue;
        if (l.n == LC_CIDR_LIST_MAX) {
            snprintf(err, errlen, "more than %d entries", LC_CIDR_LIST_MAX);
            return LC_ELIMIT;
        }
        int rc = parse_one(lc_str_make(text.ptr + start, i - start), &l.e[l.n], err, errlen);
        if (rc != LC_OK)
            return rc;
        l.n++;
    }
    *out = l;
    return LC_OK;
}

bool lc_cidr_list_contains(const lc_cidr_list_t *l, const lc_ip_t *ip) {
    for (unsigned i = 0; l && i < l->n; i++)
        if (prefix_matches(&l->e[i].net, ip, l->e[i].bits))
            return true;
    return false;
}
