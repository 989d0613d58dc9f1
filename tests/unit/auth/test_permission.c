/* SPDX-License-Identifier: MIT */
/* Tests of src/auth/permission.c: name <-> bit round trip over the whole catalog, unknown names,
 * the seed's wording of the developer-token permissions, and docs/permissions.md against
 * permission.def (the docs table must list the catalog exactly, in order). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/permission.h"

#ifndef LC_SOURCE_DIR
#error "LC_SOURCE_DIR: the repository root, to find docs/permissions.md"
#endif

static void round_trip(void **state) {
    (void)state;
    assert_true(LC_PERM_COUNT >= 18);
    for (unsigned i = 0; i < LC_PERM_COUNT; i++) {
        const char *name = lc_perm_name((lc_perm_t)i);
        const char *desc = lc_perm_description((lc_perm_t)i);
        assert_non_null(name);
        assert_non_null(desc);
        lc_perm_t p = LC_PERM_COUNT;
        assert_int_equal(lc_perm_parse(lc_str_from(name), &p), LC_OK);
        assert_int_equal(p, i);
        /* action:resource, lower case and '_' only, one colon. */
        const char *colon = strchr(name, ':');
        assert_non_null(colon);
        assert_true(colon > name && colon[1] != '\0');
        assert_null(strchr(colon + 1, ':'));
        for (const char *c = name; *c; c++)
            assert_true((*c >= 'a' && *c <= 'z') || *c == '_' || *c == ':');
        assert_true(strncmp(desc, "Grants a user the ability to ", 29) == 0);
        for (unsigned k = 0; k < i; k++)
            assert_string_not_equal(name, lc_perm_name((lc_perm_t)k));
    }
    assert_null(lc_perm_name(LC_PERM_COUNT));
    assert_null(lc_perm_name((lc_perm_t)-1));
    assert_null(lc_perm_description(LC_PERM_COUNT));
}

static void required_catalog(void **state) {
    (void)state;
    /* PRODUCT.md's minimum, and the seed's wording of the three developer-token permissions. */
    static const char *const required[] = {
        "read:users",
        "create:users",
        "update:users",
        "deactivate:users",
        "read:roles",
        "create:roles",
        "update:roles",
        "assign:roles",
        "read:courses",
        "create:courses",
        "update:courses",
        "read:enrollments",
        "create:enrollments",
        "update:enrollments",
        "read:developer_tokens",
        "create:developer_tokens",
        "update:developer_tokens",
        "read:audit_events",
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        lc_perm_t p;
        assert_int_equal(lc_perm_parse(lc_str_from(required[i]), &p), LC_OK);
    }
    assert_string_equal(lc_perm_description(LC_PERM_READ_DEVELOPER_TOKENS),
                        "Grants a user the ability to read applicable developer_tokens");
    assert_string_equal(lc_perm_description(LC_PERM_CREATE_DEVELOPER_TOKENS),
                        "Grants a user the ability to create applicable developer_tokens");
    assert_string_equal(lc_perm_description(LC_PERM_UPDATE_DEVELOPER_TOKENS),
                        "Grants a user the ability to update applicable developer_tokens");
}

static void unknown_names(void **state) {
    (void)state;
    static const char *const bad[] = {
        "",           "read",        "read:",        ":users",       "read:user",   "READ:USERS",
        "Read:users", "read:users ", " read:users",  "read:users:x", "write:users", "read_users",
        "read:*",     "*",           "delete:users",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_perm_t p = (lc_perm_t)77;
        assert_int_equal(lc_perm_parse(lc_str_from(bad[i]), &p), LC_ENOTFOUND);
        assert_int_equal(p, 77); /* untouched on failure */
    }
    lc_perm_t p = (lc_perm_t)77;
    /* A slice longer than the name (an embedded NUL) is another name. */
    assert_int_equal(lc_perm_parse(lc_str_make("read:users\0x", 12), &p), LC_ENOTFOUND);
    assert_int_equal(lc_perm_parse(LC_STR_NULL, &p), LC_ENOTFOUND);
    /* A prefix slice of a longer string is the name it spells. */
    assert_int_equal(lc_perm_parse(lc_str_make("read:usersXYZ", 10), &p), LC_OK);
    assert_int_equal(p, LC_PERM_READ_USERS);
}

static void permsets(void **state) {
    (void)state;
    assert_int_equal(__builtin_popcountll(LC_PERMSET_ALL), LC_PERM_COUNT);
    lc_permset_t s = lc_permset_of(LC_PERM_READ_USERS) | lc_permset_of(LC_PERM_READ_ROLES);
    assert_true(lc_permset_has(s, LC_PERM_READ_USERS));
    assert_false(lc_permset_has(s, LC_PERM_CREATE_USERS));
    assert_true(lc_permset_subset(s, LC_PERMSET_ALL));
    assert_true(lc_permset_subset(LC_PERMSET_NONE, s));
    assert_false(lc_permset_subset(LC_PERMSET_ALL, s));
    assert_true(lc_permset_subset(lc_permset_of(LC_PERM_READ_ROLES), s));
}

/* docs/permissions.md: between the catalog markers, the header, the separator, then exactly one
 * row per catalog entry in catalog order: | `name` | description | yes | no |  (Console Admin
 * holds every permission, Learner none). */
static void docs_match_catalog(void **state) {
    (void)state;
    const char *path = LC_SOURCE_DIR "/docs/permissions.md";
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[1024];
    bool in = false, seen_begin = false, seen_end = false;
    unsigned row = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "<!-- catalog:begin", 18) == 0) {
            in = seen_begin = true;
            continue;
        }
        if (strncmp(line, "<!-- catalog:end", 16) == 0) {
            in = false;
            seen_end = true;
            continue;
        }
        if (!in || strncmp(line, "| `", 3) != 0)
            continue;
        if (row >= LC_PERM_COUNT)
            fail_msg("docs/permissions.md lists more permissions than permission.def: %s", line);
        char want[1024];
        snprintf(want, sizeof want, "| `%s` | %s | yes | no |", lc_perm_name((lc_perm_t)row),
                 lc_perm_description((lc_perm_t)row));
        if (strcmp(line, want) != 0)
            fail_msg("docs/permissions.md row %u disagrees with permission.def:\n  docs: %s\n  "
                     "want: %s",
                     row + 1, line, want);
        row++;
    }
    fclose(f);
    assert_true(seen_begin);
    assert_true(seen_end);
    if (row != LC_PERM_COUNT)
        fail_msg("docs/permissions.md lists %u permissions, permission.def %d", row,
                 (int)LC_PERM_COUNT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),         cmocka_unit_test(required_catalog),
        cmocka_unit_test(unknown_names),      cmocka_unit_test(permsets),
        cmocka_unit_test(docs_match_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
