/* SPDX-License-Identifier: MIT */
/* IP addresses and address ranges (CIDR), for the trusted_proxies setting: which peers may say,
 * in X-Forwarded-For, whose request they pass on. Both families in one form: an IPv4 address is
 * kept as its IPv4-mapped IPv6 address (::ffff:a.b.c.d), so 10.0.0.0/8 is ::ffff:10.0.0.0/104
 * and a peer that connected over IPv4 matches it either way. Plain values, no allocation. */
#ifndef LECTERN_NETADDR_H
#define LECTERN_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/str.h"

typedef struct lc_ip {
    uint8_t b[16]; /* network order; IPv4 mapped */
} lc_ip_t;

typedef struct lc_cidr {
    lc_ip_t net;  /* host bits cleared */
    uint8_t bits; /* prefix length over the 128 bits */
} lc_cidr_t;

#define LC_CIDR_LIST_MAX 32

typedef struct lc_cidr_list {
    lc_cidr_t e[LC_CIDR_LIST_MAX];
    unsigned n;
} lc_cidr_list_t;

/* An address as text: "192.0.2.1", "2001:db8::1", "[2001:db8::1]"; with `port_ok` also
 * "192.0.2.1:8080" and "[2001:db8::1]:8080" (the port is ignored). Surrounding spaces and tabs
 * are skipped. False for anything else. */
bool lc_ip_parse(lc_str_t s, bool port_ok, lc_ip_t *out);
/* The usual text of an address: dotted quad for IPv4 (also when mapped), RFC 5952 for IPv6.
 * out needs 46 bytes (INET6_ADDRSTRLEN). */
void lc_ip_format(const lc_ip_t *ip, char out[46]);

/* A list of addresses and ranges separated by commas and/or spaces: "127.0.0.1, 10.0.0.0/8
 * ::1 fd00::/8". An address alone is a range of one; a range's host bits must be zero
 * (10.1.0.0/8 is refused as a likely mistake). An empty text is an empty list. LC_EINVAL with
 * err (errlen bytes, NUL-terminated) naming the first bad entry and why; LC_ELIMIT past
 * LC_CIDR_LIST_MAX entries. */
int lc_cidr_list_parse(lc_str_t text, lc_cidr_list_t *out, char *err, size_t errlen);
bool lc_cidr_list_contains(const lc_cidr_list_t *l, const lc_ip_t *ip);

#endif
