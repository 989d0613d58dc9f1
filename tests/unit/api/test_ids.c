/* SPDX-License-Identifier: MIT */
/* Tests of src/api/ids.c and src/api/scalars.c: opaque IDs and cursors (canonical, typed,
 * malformed ones refused without reading past the input) and the Date / DateTime formats. */
#include "api_test.h"

#include <string.h>

#include "api_int.h"

static void ids_round_trip(void **state) {
    (void)state;
    char buf[128];
    /* "User:42" */
    assert_int_equal(lc__api_id_encode("User", 42, buf, sizeof buf), 10);
    assert_string_equal(buf, "VXNlcjo0Mg");
    static const int64_t ids[] = {1, 9, 10, 99, 12345, 4294967296LL, INT64_MAX};
    static const char *const types[] = {"User", "Role", "DeveloperToken", "AuditEvent", "cursor"};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            size_t n = lc__api_id_encode(types[t], ids[i], buf, sizeof buf);
            assert_true(n > 0);
            assert_int_equal(strlen(buf), n);
            for (size_t k = 0; k < n; k++) /* URL-safe, no padding */
                assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_",
                                       buf[k]));
            int64_t back = 0;
            assert_true(lc__api_id_parse(lc_str_from(buf), types[t], &back));
            assert_int_equal(back, ids[i]);
            /* Another type: a missing ID. */
            assert_false(lc__api_id_parse(lc_str_from(buf), t ? "User" : "Role", &back));
        }
    }
}

static void ids_refuse_malformed(void **state) {
    (void)state;
    static const char *const bad[] = {
        "",
        "42",           /* a raw number */
        "VXNlcjo0Mg==", /* padding */
        "VXNlcjo0Mw+",  /* not base64url */
        "VXNlcjo0Mh",   /* non-zero trailing bits: a second text for "User:42" */
        "VXNlcjo",      /* "User:" */
        "VXNlcjowNDI",  /* "User:042": not canonical */
        "VXNlcjowMA",   /* "User:00" */
        "VXNlcjow",     /* "User:0" */
        "VXNlcjotMQ",   /* "User:-1" */
        "VXNlcjo5OTk5OTk5OTk5OTk5OTk5OTk5OQ", /* past INT64_MAX */
        "VXNlcg",                             /* "User" */
        "dXNlcjo0Mg",                         /* "user:42": types are case-sensitive */
        "VXNlcjo0MiA",                        /* "User:42 " */
        "V",                                  /* a length no base64 text has */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t id = -7;
        if (lc__api_id_parse(lc_str_from(bad[i]), "User", &id))
            fail_msg("accepted %s", bad[i]);
        assert_int_equal(id, -7);
    }
    /* Longer than any ID: refused before decoding. */
    char longer[LC__API_ID_MAX + 2];
    memset(longer, 'A', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    int64_t id;
    assert_false(lc__api_id_parse(lc_str_from(longer), "User", &id));
    assert_false(lc__api_id_parse(LC_STR_NULL, "User", &id));
    /* id 0 and negatives have no ID. */
    char buf[128];
    assert_int_equal(lc__api_id_encode("User", 0, buf, sizeof buf), 0);
    assert_int_equal(lc__api_id_encode("User", -5, buf, sizeof buf), 0);
    assert_int_equal(lc__api_id_encode("User", 42, buf, 10), 0); /* no room for the NUL */
}

static void dates(void **state) {
    (void)state;
    int64_t t;
    assert_true(lc__api_date_parse(LC_STR("2026-11-28"), &t));
    assert_int_equal(t, 1795824000);
    assert_true(lc__api_date_parse(LC_STR("2024-02-29"), &t)); /* leap year */
    assert_true(lc__api_date_parse(LC_STR("2000-02-29"), &t)); /* 400-year rule */
    assert_true(lc__api_date_parse(LC_STR("1970-01-02"), &t));
    assert_int_equal(t, 86400);
    assert_true(lc__api_date_parse(LC_STR("9999-12-31"), &t));
    static const char *const bad[] = {
        "2023-02-29",  "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-01-00",  "2026-1-01",  "26-01-01",   "2026/01/01", "2026-01-01T00:00:00Z",
        " 2026-01-01", "1970-01-01", /* the store's "none" */
        "0000-01-01",  "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (lc__api_date_parse(lc_str_from(bad[i]), &t))
            fail_msg("accepted date %s", bad[i]);
    char out[21];
    assert_true(lc__api_date_format(1795824000, out));
    assert_string_equal(out, "2026-11-28");
}

static void datetimes(void **state) {
    (void)state;
    static const struct {
        const char *in;
        int64_t t;
    } ok[] = {
        {"2026-11-28T12:00:00Z", 1795867200},
        {"2026-11-28t12:00:00z", 1795867200},
        {"2026-11-28T12:00:00.123456Z", 1795867200},
        {"2026-11-28T14:30:00+02:30", 1795867200},
        {"2026-11-28T07:00:00-05:00", 1795867200},
        {"1970-01-01T00:00:00Z", 0},
        {"1969-12-31T23:59:59Z", -1},
        {"0001-01-01T00:00:00Z", -62135596800LL},
        {"9999-12-31T23:59:59Z", 253402300799LL},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t t = 0;
        if (!lc__api_datetime_parse(lc_str_from(ok[i].in), &t))
            fail_msg("refused %s", ok[i].in);
        assert_int_equal(t, ok[i].t);
    }
    static const char *const bad[] = {
        "2026-11-28T12:00:00",  /* no offset */
        "2026-11-28 12:00:00Z", /* space */
        "2026-11-28T24:00:00Z",
        "2026-11-28T12:60:00Z",
        "2026-11-28T12:00:60Z",
        "2026-11-28T12:00:00.Z",
        "2026-11-28T12:00:00.1234567890Z",
        "2026-11-28T12:00:00+0200",
        "2026-11-28T12:00:00+24:00",
        "2026-02-30T12:00:00Z",
        "2026-11-28T12:00:00ZZ",
        "2026-11-28",
        "1795867200",
        "2026-11-28T1:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t;
        if (lc__api_datetime_parse(lc_str_from(bad[i]), &t))
            fail_msg("accepted %s", bad[i]);
    }
    char out[21];
    assert_true(lc__api_datetime_format(1795867200, out));
    assert_string_equal(out, "2026-11-28T12:00:00Z");
    assert_true(lc__api_datetime_format(0, out));
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    assert_true(lc__api_datetime_format(-1, out));
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    assert_true(lc__api_datetime_format(253402300799LL, out));
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    assert_false(lc__api_datetime_format(253402300800LL, out));
    /* Every instant written is read back as itself. */
    for (int64_t t = -86400 * 800; t < 86400LL * 365 * 40; t += 86400 * 7 + 3671) {
        int64_t back;
        assert_true(lc__api_datetime_format(t, out));
        assert_true(lc__api_datetime_parse(lc_str_from(out), &back));
        assert_int_equal(back, t);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_round_trip),
        cmocka_unit_test(ids_refuse_malformed),
        cmocka_unit_test(dates),
        cmocka_unit_test(datetimes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
