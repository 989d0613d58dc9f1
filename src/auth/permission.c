/* SPDX-License-Identifier: MIT */
/* The permission catalog as C tables, generated from permission.def: names and descriptions by
 * bit, and the parser the store and the API use to turn "read:users" into its bit. */
#include "lectern/permission.h"

#include <string.h>

#include "lectern/status.h"

static const lc_str_t names[LC_PERM_COUNT] = {
#define LC_PERM(id, name, desc) [LC_PERM_##id] = LC_STR(name),
#include "lectern/permission.def"
#undef LC_PERM
};

static const char *const descriptions[LC_PERM_COUNT] = {
#define LC_PERM(id, name, desc) [LC_PERM_##id] = desc,
#include "lectern/permission.def"
#undef LC_PERM
};

const char *lc_perm_name(lc_perm_t p) {
    return (unsigned)p < LC_PERM_COUNT ? names[p].ptr : NULL;
}

const char *lc_perm_description(lc_perm_t p) {
    return (unsigned)p < LC_PERM_COUNT ? descriptions[p] : NULL;
}

int lc_perm_parse(lc_str_t name, lc_perm_t *out) {
    /* A linear scan of a few dozen short names: no faster structure is worth its code. */
    for (unsigned i = 0; i < LC_PERM_COUNT; i++) {
        if (lc_str_eq(name, names[i])) {
            *out = (lc_perm_t)i;
            return LC_OK;
        }
    }
    return LC_ENOTFOUND;
}
