/* SPDX-License-Identifier: MIT */
/* Permissions as bits. A role's, a user's and a token's permissions are lc_permset_t values,
 * so the check a resolver makes on the hot path is one AND. The catalog is permission.def. */
#ifndef LECTERN_PERMISSION_H
#define LECTERN_PERMISSION_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/str.h"

typedef enum lc_perm {
#define LC_PERM(id, name, desc) LC_PERM_##id,
#include "lectern/permission.def"
#undef LC_PERM
    LC_PERM_COUNT
} lc_perm_t;

typedef uint64_t lc_permset_t;

_Static_assert(LC_PERM_COUNT <= 64, "lc_permset_t holds at most 64 permissions");

#define LC_PERMSET_NONE ((lc_permset_t)0)
#define LC_PERMSET_ALL                                                                             \
    ((lc_permset_t)((LC_PERM_COUNT == 64) ? ~0ull : ((1ull << LC_PERM_COUNT) - 1)))

static inline lc_permset_t lc_permset_of(lc_perm_t p) {
    return (lc_permset_t)1 << p;
}
static inline bool lc_permset_has(lc_permset_t s, lc_perm_t p) {
    return (s >> p) & 1u;
}
/* a ⊆ b */
static inline bool lc_permset_subset(lc_permset_t a, lc_permset_t b) {
    return (a & ~b) == 0;
}

/* "read:users" (static), or NULL for an out-of-range value. */
const char *lc_perm_name(lc_perm_t p);
/* The catalog's one-line description (static), or NULL. */
const char *lc_perm_description(lc_perm_t p);
/* The permission named `name`; LC_ENOTFOUND (as int) when the catalog has none. */
int lc_perm_parse(lc_str_t name, lc_perm_t *out) LC_MUST_CHECK;

#endif
