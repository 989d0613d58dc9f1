/* SPDX-License-Identifier: MIT */
/* Runtime values of the engine: what resolvers return, what coerced arguments and variables
 * are, and what the HTTP layer hands in as raw variables (converted from JSON). One small
 * tagged struct, passed by value or pointer, never malloc'd on its own: lists and maps are
 * arena arrays.
 *
 * Objects returned by resolvers are opaque to the engine (GQL_VAL_OBJECT: a pointer the next
 * resolvers receive as `parent`), or property maps (GQL_VAL_MAP) that the default resolver
 * reads by field name. */
#ifndef GQL_VALUE_H
#define GQL_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/str.h"

typedef struct gql_schema_type gql_schema_type_t;
typedef struct gql_val gql_val_t;
typedef struct gql_prop gql_prop_t;

typedef enum gql_val_kind {
    GQL_VAL_UNDEFINED = 0, /* absent (an argument or input field not given): not null */
    GQL_VAL_NULL,
    GQL_VAL_BOOL,
    GQL_VAL_INT, /* 64-bit; Int fields accept only values within 32 bits (§3.5.1) */
    GQL_VAL_FLOAT,
    GQL_VAL_STRING, /* UTF-8; also the coerced value of ID and custom scalars given as text */
    GQL_VAL_ENUM,   /* an enum value by name (input coercion yields this) */
    GQL_VAL_LIST,   /* items[0..count) */
    GQL_VAL_MAP,    /* props[0..count): input objects, raw JSON objects, property bags */
    GQL_VAL_OBJECT, /* an application object: ptr, and optionally its concrete type */
    GQL_VAL_RAW,    /* already serialized JSON, written verbatim (custom scalar output) */
} gql_val_kind_t;

struct gql_val {
    gql_val_kind_t kind;
    uint32_t count; /* GQL_VAL_LIST, GQL_VAL_MAP */
    union {
        bool b;
        int64_t i;
        double f;
        lc_str_t s; /* GQL_VAL_STRING, GQL_VAL_ENUM, GQL_VAL_RAW */
        const gql_val_t *items;
        const gql_prop_t *props;
        struct {
            const void *ptr;               /* borrowed from the application */
            const gql_schema_type_t *type; /* concrete object type, or NULL: then an abstract
                                              field asks the type's resolve_type hook */
        } obj;
    };
};

struct gql_prop {
    lc_str_t name;
    gql_val_t value;
};

static inline gql_val_t gql_val_null(void) {
    return (gql_val_t){.kind = GQL_VAL_NULL};
}
static inline gql_val_t gql_val_bool(bool b) {
    return (gql_val_t){.kind = GQL_VAL_BOOL, .b = b};
}
static inline gql_val_t gql_val_int(int64_t i) {
    return (gql_val_t){.kind = GQL_VAL_INT, .i = i};
}
static inline gql_val_t gql_val_float(double f) {
    return (gql_val_t){.kind = GQL_VAL_FLOAT, .f = f};
}
static inline gql_val_t gql_val_str(lc_str_t s) {
    return (gql_val_t){.kind = GQL_VAL_STRING, .s = s};
}
static inline gql_val_t gql_val_enum(lc_str_t name) {
    return (gql_val_t){.kind = GQL_VAL_ENUM, .s = name};
}
static inline gql_val_t gql_val_list(const gql_val_t *items, uint32_t count) {
    return (gql_val_t){.kind = GQL_VAL_LIST, .count = count, .items = items};
}
static inline gql_val_t gql_val_map(const gql_prop_t *props, uint32_t count) {
    return (gql_val_t){.kind = GQL_VAL_MAP, .count = count, .props = props};
}
static inline gql_val_t gql_val_object(const void *ptr, const gql_schema_type_t *type) {
    return (gql_val_t){.kind = GQL_VAL_OBJECT, .obj = {ptr, type}};
}

/* The property `name` of a GQL_VAL_MAP, or NULL (also for other kinds). Linear: maps are
 * small. */
const gql_val_t *gql_val_get(const gql_val_t *map, lc_str_t name);

#endif
