/* SPDX-License-Identifier: MIT */
/* Runtime values: the property lookup the default resolver uses to read a parent GQL_VAL_MAP's
 * property of the field's name (Oct 2021 §6.4.2 ResolveFieldValue). */
#include "gql/value.h"

const gql_val_t *gql_val_get(const gql_val_t *map, lc_str_t name) {
    if (!map || map->kind != GQL_VAL_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->count; i++)
        if (lc_str_eq(map->props[i].name, name))
            return &map->props[i].value;
    return NULL;
}
