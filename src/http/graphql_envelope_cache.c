/* SPDX-License-Identifier: MIT */
/* A per-thread cache of parsed POST envelopes, keyed by the exact body bytes: a client that
 * sends the same small body again (the same query with the same variables: polling, retries,
 * dashboards) skips JSON parsing, as the document cache lets it skip GraphQL parsing. It caches
 * the request's parsed form only: every request is still authenticated and executed.
 *
 * Direct-mapped: a slot per hash bucket, the newest body wins. Each slot owns an arena holding
 * the body and copies of the parameters, so a hit's slices stay valid until the next put on this
 * cache (the same thread's next request). Not thread-safe by design. */
#include <string.h>

#include "graphql_http_int.h"
#include "lectern/alloc.h"

#define SLOTS 64 /* power of two */

typedef struct slot {
    uint64_t hash;
    lc_str_t body; /* slot arena; ptr NULL when empty */
    lc_gqlhttp__params_t params;
    lc_arena_t arena;
} slot_t;

struct lc_gqlhttp__envelope_cache {
    slot_t slots[SLOTS];
};

int lc_gqlhttp__envelope_cache_create(lc_gqlhttp__envelope_cache_t **out) {
    lc_gqlhttp__envelope_cache_t *c = lc_calloc(1, sizeof *c);
    if (!c)
        return LC_ENOMEM;
    for (size_t i = 0; i < SLOTS; i++)
        lc_arena_init(&c->slots[i].arena, 1024, 4 * LC_GQLHTTP__ENVELOPE_CACHE_BODY_MAX);
    *out = c;
    return LC_OK;
}

void lc_gqlhttp__envelope_cache_destroy(lc_gqlhttp__envelope_cache_t *c) {
    if (!c)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        lc_arena_dispose(&c->slots[i].arena);
    lc_free(c);
}

/* FNV-1a: bodies are small and attacker-chosen collisions only cost a miss (the bytes are
 * compared in full). */
static uint64_t hash_body(lc_str_t b) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < b.len; i++) {
        h ^= (unsigned char)b.ptr[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

bool lc_gqlhttp__envelope_cache_get(lc_gqlhttp__envelope_cache_t *c, lc_str_t body,
                                    lc_gqlhttp__params_t *out) {
    if (body.len > LC_GQLHTTP__ENVELOPE_CACHE_BODY_MAX)
        return false;
    uint64_t h = hash_body(body);
    const slot_t *s = &c->slots[h & (SLOTS - 1)];
    if (!s->body.ptr || s->hash != h || !lc_str_eq(s->body, body))
        return false;
    *out = s->params;
    return true;
}

static bool copy_str(lc_arena_t *a, lc_str_t in, lc_str_t *out) {
    if (!in.ptr) {
        *out = in;
        return true;
    }
    char *p = lc_arena_alloc(a, in.len ? in.len : 1);
    if (!p)
        return false;
    if (in.len)
        memcpy(p, in.ptr, in.len);
    *out = lc_str_make(p, in.len);
    return true;
}

/* A deep copy of a variables value into the slot's arena. Depth is bounded by the JSON
 * parser's own nesting limit on bodies this small. */
static bool copy_val(lc_arena_t *a, const gql_val_t *in, gql_val_t *out) {
    *out = *in;
    switch (in->kind) {
    case GQL_VAL_STRING:
    case GQL_VAL_ENUM:
    case GQL_VAL_RAW:
        return copy_str(a, in->s, &out->s);
    case GQL_VAL_LIST: {
        gql_val_t *items = in->count ? lc_arena_alloc(a, in->count * sizeof *items) : NULL;
        if (in->count && !items)
            return false;
        for (uint32_t i = 0; i < in->count; i++)
            if (!copy_val(a, &in->items[i], &items[i]))
                return false;
        out->items = items;
        return true;
    }
    case GQL_VAL_MAP: {
        gql_prop_t *props = in->count ? lc_arena_alloc(a, in->count * sizeof *props) : NULL;
        if (in->count && !props)
            return false;
        for (uint32_t i = 0; i < in->count; i++)
            if (!copy_str(a, in->props[i].name, &props[i].name) ||
                !copy_val(a, &in->props[i].value, &props[i].value))
                return false;
        out->props = props;
        return true;
    }
    default:
        return true;
    }
}

void lc_gqlhttp__envelope_cache_put(lc_gqlhttp__envelope_cache_t *c, lc_str_t body,
                                    const lc_gqlhttp__params_t *p) {
    if (body.len > LC_GQLHTTP__ENVELOPE_CACHE_BODY_MAX)
        return;
    uint64_t h = hash_body(body);
    slot_t *s = &c->slots[h & (SLOTS - 1)];
    s->body.ptr = NULL; /* empty until the copy is complete */
    lc_arena_reset(&s->arena);
    lc_gqlhttp__params_t q = *p;
    lc_str_t b;
    if (!copy_str(&s->arena, body, &b) || !copy_str(&s->arena, p->query, &q.query) ||
        !copy_str(&s->arena, p->operation_name, &q.operation_name) ||
        !copy_val(&s->arena, &p->variables, &q.variables))
        return; /* best effort: out of memory just means no cache entry */
    s->hash = h;
    s->params = q;
    s->body = b;
}
