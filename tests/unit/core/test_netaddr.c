/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core/netaddr.c: addresses with and without ports and brackets, both
 * families in one form, ranges, lists and their errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lectern/netaddr.h"
#include "lectern/status.h"

static const char *fmt(const char *text, bool port_ok) {
    static char out[46];
    lc_ip_t ip;
    if (!lc_ip_parse(lc_str_from(text), port_ok, &ip))
        return "-";
    lc_ip_format(&ip, out);
    return out;
}

static void parse_addresses(void **state) {
    (void)state;
    static const struct {
        const char *in;
        bool port_ok;
        const char *want; /* "-" = refused */
    } cases[] = {
        {"192.0.2.1", false, "192.0.2.1"},
        {"  192.0.2.1\t", false, "192.0.2.1"},
        {"2001:db8::1", false, "2001:db8::1"},
        {"2001:DB8:0:0:0:0:0:1", false, "2001:db8::1"},
        {"[2001:db8::1]", false, "2001:db8::1"},
        {"::ffff:192.0.2.1", false, "192.0.2.1"}, /* mapped: the same address as IPv4 */
        {"::1", false, "::1"},
        {"192.0.2.1:8080", false, "-"},
        {"192.0.2.1:8080", true, "192.0.2.1"},
        {"[2001:db8::1]:443", true, "2001:db8::1"},
        {"[2001:db8::1]:443", false, "-"},
        {"[2001:db8::1]x", true, "-"},
        {"[192.0.2.1]", true, "-"},
        {"192.0.2.1:", true, "-"},
        {"192.0.2.1:99999999", true, "-"},
        {"192.0.2", false, "-"},
        {"192.0.2.256", false, "-"},
        {"01.2.3.4", false, "-"},
        {"unknown", true, "-"},
        {"host:80", true, "-"},
        {"", true, "-"},
        {"[", true, "-"},
        {"2001:db8::1::2", false, "-"},
        {"0123456789012345678901234567890123456789012345678901234567890123456789", true, "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = fmt(cases[i].in, cases[i].port_ok);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("\"%s\" (port_ok %d): got %s, want %s", cases[i].in, cases[i].port_ok, got,
                     cases[i].want);
    }
    /* A NUL inside is never an address. */
    lc_ip_t ip;
    assert_false(lc_ip_parse(lc_str_make("1.2.3.4\0", 8), true, &ip));
}

static bool in(const lc_cidr_list_t *l, const char *ip_text) {
    lc_ip_t ip;
    assert_true(lc_ip_parse(lc_str_from(ip_text), false, &ip));
    return lc_cidr_list_contains(l, &ip);
}

static void lists_and_matching(void **state) {
    (void)state;
    char err[256];
    lc_cidr_list_t l;
    assert_int_equal(lc_cidr_list_parse(lc_str_from("127.0.0.1, 10.0.0.0/8 fd00::/8,,\t::1"), &l,
                                        err, sizeof err),
                     LC_OK);
    assert_int_equal(l.n, 4);
    assert_true(in(&l, "127.0.0.1"));
    assert_false(in(&l, "127.0.0.2"));
    assert_true(in(&l, "10.0.0.0"));
    assert_true(in(&l, "10.255.255.255"));
    assert_false(in(&l, "11.0.0.0"));
    assert_false(in(&l, "9.255.255.255"));
    assert_true(in(&l, "::ffff:10.1.2.3")); /* an IPv4 peer seen through a v6 socket */
    assert_true(in(&l, "fd12:3456::1"));
    assert_false(in(&l, "fe80::1"));
    assert_true(in(&l, "::1"));
    assert_false(in(&l, "::2"));

    /* Prefixes that do not end on a byte; all of IPv4; everything. */
    assert_int_equal(lc_cidr_list_parse(lc_str_from("192.0.2.128/25"), &l, err, sizeof err), LC_OK);
    assert_true(in(&l, "192.0.2.200"));
    assert_false(in(&l, "192.0.2.127"));
    assert_int_equal(lc_cidr_list_parse(lc_str_from("0.0.0.0/0"), &l, err, sizeof err), LC_OK);
    assert_true(in(&l, "203.0.113.9"));
    assert_false(in(&l, "2001:db8::1"));
    assert_int_equal(lc_cidr_list_parse(lc_str_from("::/0"), &l, err, sizeof err), LC_OK);
    assert_true(in(&l, "2001:db8::1"));
    assert_true(in(&l, "203.0.113.9"));

    /* Empty: matches nothing. */
    assert_int_equal(lc_cidr_list_parse(lc_str_from(" , "), &l, err, sizeof err), LC_OK);
    assert_int_equal(l.n, 0);
    assert_false(in(&l, "127.0.0.1"));
    assert_false(lc_cidr_list_contains(NULL, &(lc_ip_t){{0}}));
}

static void list_errors(void **state) {
    (void)state;
    static const struct {
        const char *in, *msg;
    } cases[] = {
        {"10.0.0.0/33", "bad entry \"10.0.0.0/33\": the prefix length must be 0 to 32"},
        {"fd00::/129", "bad entry \"fd00::/129\": the prefix length must be 0 to 128"},
        {"10.0.0.0/", "the prefix length must be"},
        {"10.0.0.0/x", "the prefix length must be"},
        {"10.0.0.0/-1", "the prefix length must be"},
        {"10.1.0.0/8", "bad entry \"10.1.0.0/8\": the address has bits set past the prefix"},
        {"127.0.0.1, nginx", "bad entry \"nginx\": expected an IP address or a range"},
        {"[::1]", "bad entry \"[::1]\""},
        {"1.2.3.4:80", "bad entry \"1.2.3.4:80\""},
        {"/8", "bad entry \"/8\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        lc_cidr_list_t l = {.n = 7};
        int rc = lc_cidr_list_parse(lc_str_from(cases[i].in), &l, err, sizeof err);
        if (rc != LC_EINVAL || strstr(err, cases[i].msg) == NULL)
            fail_msg("\"%s\": rc %d, err \"%s\"", cases[i].in, rc, err);
        assert_int_equal(l.n, 7); /* untouched */
    }
    char text[(LC_CIDR_LIST_MAX + 1) * 16] = "";
    for (int i = 0; i <= LC_CIDR_LIST_MAX; i++) {
        char one[16];
        snprintf(one, sizeof one, "10.0.0.%d ", i);
        strcat(text, one);
    }
    char err[256];
    lc_cidr_list_t l;
    assert_int_equal(lc_cidr_list_parse(lc_str_from(text), &l, err, sizeof err), LC_ELIMIT);
    assert_non_null(strstr(err, "more than 32 entries"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_addresses),
        cmocka_unit_test(lists_and_matching),
        cmocka_unit_test(list_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
