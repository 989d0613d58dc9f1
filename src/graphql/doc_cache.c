/* SPDX-License-Identifier: MIT */
/* The per-thread cache of parsed and validated documents, keyed by query text: the first step of
 * every request after the HTTP layer. A hit costs one hash of the text and one compare; the
 * entry also keeps the document's execution plan (exec_int.h), so a repeated query skips
 * parsing, validation and field collection. Invalid documents are cached with their errors, so
 * a hostile repeated bad query costs no more than a good one. Bounded by entries and bytes,
 * evicting the least recently used. Not thread-safe: one cache per worker thread. */
#include <string.h>
#include <time.h>

#include "exec_int.h"
#include "gql/validate.h"
#include "lectern/alloc.h"

#define DEFAULT_MAX_ENTRIES 512
#define DEFAULT_MAX_BYTES (16u * 1024u * 1024u)
#define MAX_CACHED_DIAGS 100 /* errors kept per invalid document (graphql-js's own cap) */
#define CODE_PARSE "GRAPHQL_PARSE_FAILED"
#define CODE_VALIDATION "GRAPHQL_VALIDATION_FAILED"

typedef struct cdiag {
    lc_str_t message;
    gql_loc_t locations[GQL_DIAG_MAX_LOCATIONS];
    uint32_t nlocations;
} cdiag_t;

typedef struct entry {
    struct entry *hnext;       /* hash chain */
    struct entry *prev, *next; /* LRU list, most recent first */
    lc_arena_t arena;          /* owns this entry, the text, the document and the plan */
    uint64_t hash;
    const char *text;
    size_t len;
    size_t bytes;              /* arena bytes as last accounted */
    int status;                /* LC_OK, LC_EINVAL (parse or validation errors), LC_ELIMIT */
    bool parse_failed;         /* the errors are the parse error `perr` */
    const gql_document_t *doc; /* LC_OK */
    gql_error_t perr;
    cdiag_t *diags; /* validation errors */
    uint32_t ndiags;
    gql__plan_t plan;
} entry_t;

struct gql_doc_cache {
    const gql_schema_t *schema;
    uint32_t max_entries;
    size_t max_bytes;
    gql_parse_limits_t limits;
    bool has_limits;
    size_t max_doc_bytes; /* the parser's byte limit: longer texts are refused uncopied */
    uint64_t seed;
    entry_t **buckets;
    uint32_t mask;
    entry_t *head, *tail;
    entry_t *last;      /* the entry the last get returned (its plan is in use) */
    entry_t *transient; /* too large to keep: freed at the next get */
    uint32_t entries, invalid;
    size_t bytes;
    uint64_t hits, misses, evictions;
    lc_arena_t scratch; /* the validator's scratch memory, reset after each miss */
};

/* A 64-bit multiply-mix hash, 8 bytes a step, seeded per cache so chains are not predictable. */
static uint64_t hash_text(uint64_t seed, const char *p, size_t n) {
    uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebull;
    return h ^ (h >> 29);
}

int gql_doc_cache_create(const gql_schema_t *schema, uint32_t max_entries, size_t max_bytes,
                         const gql_parse_limits_t *limits, gql_doc_cache_t **out) {
    gql_doc_cache_t *c = lc_calloc(1, sizeof *c);
    if (!c)
        return LC_ENOMEM;
    c->schema = schema;
    c->max_entries = max_entries ? max_entries : DEFAULT_MAX_ENTRIES;
    c->max_bytes = max_bytes ? max_bytes : DEFAULT_MAX_BYTES;
    if (limits) {
        c->limits = *limits;
        c->has_limits = true;
    }
    c->max_doc_bytes = limits && limits->max_bytes ? limits->max_bytes : GQL_LIMIT_DOCUMENT_BYTES;
    if (c->max_doc_bytes > GQL_LIMIT_DOCUMENT_BYTES_MAX)
        c->max_doc_bytes = GQL_LIMIT_DOCUMENT_BYTES_MAX;
    uint32_t nb = 16;
    while (nb < c->max_entries && nb < (1u << 30))
        nb *= 2;
    c->buckets = lc_calloc(nb, sizeof *c->buckets);
    if (!c->buckets) {
        lc_free(c);
        return LC_ENOMEM;
    }
    c->mask = nb - 1;
    c->seed = (uint64_t)(uintptr_t)c * 0x9E3779B97F4A7C15ull ^ (uint64_t)time(NULL);
    lc_arena_init(&c->scratch, 0, 0);
    *out = c;
    return LC_OK;
}

static void entry_free(entry_t *e) {
    lc_arena_t a = e->arena; /* the entry lives in its own arena */
    lc_arena_dispose(&a);
}

static void unlink_entry(gql_doc_cache_t *c, entry_t *e) {
    entry_t **pp = &c->buckets[e->hash & c->mask];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    c->entries--;
    c->invalid -= e->status != LC_OK;
    c->bytes -= e->bytes;
    if (c->last == e)
        c->last = NULL;
}

void gql_doc_cache_destroy(gql_doc_cache_t *c) {
    if (!c)
        return;
    for (entry_t *e = c->head, *next; e; e = next) {
        next = e->next;
        entry_free(e);
    }
    if (c->transient)
        entry_free(c->transient);
    lc_arena_dispose(&c->scratch);
    lc_free(c->buckets);
    lc_free(c);
}

static void push_front(gql_doc_cache_t *c, entry_t *e) {
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    else
        c->tail = e;
    c->head = e;
}

static void evict(gql_doc_cache_t *c, entry_t *e) {
    unlink_entry(c, e);
    entry_free(e);
    c->evictions++;
}

/* Evicts from the LRU end until within bounds, sparing `keep`. Invalid documents may hold at
 * most a quarter of the entries, so a flood of bad queries cannot push out the good ones. */
static void enforce_bounds(gql_doc_cache_t *c, entry_t *keep) {
    while (c->invalid > c->max_entries / 4 + 1) {
        entry_t *e = c->tail;
        while (e && (e->status == LC_OK || e == keep))
            e = e->prev;
        if (!e)
            break;
        evict(c, e);
    }
    while ((c->entries > c->max_entries || c->bytes > c->max_bytes) && c->tail && c->tail != keep)
        evict(c, c->tail);
}

/* Re-accounts an entry whose arena grew (its plan is built during executions). */
static void account(gql_doc_cache_t *c, entry_t *e) {
    size_t now = lc_arena_used(&e->arena);
    if (now != e->bytes) {
        c->bytes = c->bytes - e->bytes + now;
        e->bytes = now;
    }
}

static int replay(const entry_t *e, gql_diags_t *diags) {
    if (!diags)
        return e->status;
    if (e->parse_failed) {
        gql_diags_add_parse_error(diags, &e->perr);
        return e->status;
    }
    for (uint32_t i = 0; i < e->ndiags; i++) {
        const cdiag_t *d = &e->diags[i];
        gql_diag_t *nd = gql_diags_add(diags, d->locations, d->nlocations, "%.*s",
                                       (int)d->message.len, d->message.ptr);
        if (nd)
            nd->code = CODE_VALIDATION;
    }
    return e->status;
}

/* Parses and validates into a new entry. LC_OK with *out (whatever the document's validity);
 * LC_ENOMEM. */
static int make_entry(gql_doc_cache_t *c, const char *src, size_t len, uint64_t h, entry_t **out) {
    lc_arena_t a;
    size_t chunk = 4096;
    while (chunk < len * 16 && chunk < 64 * 1024)
        chunk *= 2;
    lc_arena_init(&a, chunk, 0);
    entry_t *e = lc_arena_calloc(&a, 1, sizeof *e);
    char *text = e ? lc_arena_strndup(&a, src, len) : NULL;
    if (!text) {
        lc_arena_dispose(&a);
        return LC_ENOMEM;
    }
    e->hash = h;
    e->text = text;
    e->len = len;
    gql_document_t *doc = NULL;
    int rc = gql_parse_document(&a, text, len, c->has_limits ? &c->limits : NULL, &doc, &e->perr);
    if (rc == LC_OK) {
        gql_diags_t vd;
        gql_diags_init(&vd, &c->scratch, MAX_CACHED_DIAGS);
        rc = gql_validate(&c->scratch, c->schema, doc, NULL, &vd);
        if (rc == LC_EINVAL) {
            e->ndiags = vd.count < MAX_CACHED_DIAGS ? vd.count : MAX_CACHED_DIAGS;
            e->diags = lc_arena_calloc(&a, e->ndiags ? e->ndiags : 1, sizeof *e->diags);
            uint32_t i = 0;
            for (const gql_diag_t *d = vd.head; d && e->diags && i < e->ndiags; d = d->next, i++) {
                char *m = lc_arena_strndup(&a, d->message.ptr, d->message.len);
                if (!m) {
                    e->diags = NULL;
                    break;
                }
                e->diags[i].message = lc_str_make(m, d->message.len);
                e->diags[i].nlocations = d->nlocations;
                memcpy(e->diags[i].locations, d->locations, sizeof d->locations);
            }
            if (!e->diags) {
                rc = LC_ENOMEM;
            } else {
                e->status = LC_EINVAL;
                rc = LC_OK;
            }
        } else if (rc == LC_OK) {
            e->doc = doc;
            gql__plan_init(&e->plan, &e->arena, c->schema, doc);
        }
        lc_arena_reset(&c->scratch);
    } else if (rc == LC_EINVAL || rc == LC_ELIMIT) {
        e->parse_failed = true;
        e->status = rc;
        rc = LC_OK;
    }
    if (rc != LC_OK) {
        lc_arena_dispose(&a);
        return LC_ENOMEM;
    }
    e->arena = a; /* from here on the arena is only used through e */
    e->bytes = lc_arena_used(&e->arena);
    *out = e;
    return LC_OK;
}

int gql_doc_cache_get(gql_doc_cache_t *c, const char *src, size_t len, gql_diags_t *diags,
                      const gql_document_t **doc) {
    if (c->transient) {
        if (c->last == c->transient)
            c->last = NULL;
        entry_free(c->transient);
        c->transient = NULL;
    }
    if (c->last) {
        account(c, c->last);
        c->last = NULL;
    }
    if (len > c->max_doc_bytes) {
        /* Refused before copying: the parser reports the limit without reading the text. */
        gql_document_t *d = NULL;
        gql_error_t err;
        int rc =
            gql_parse_document(&c->scratch, src, len, c->has_limits ? &c->limits : NULL, &d, &err);
        lc_arena_reset(&c->scratch);
        if (rc == LC_OK || rc == LC_ENOMEM)
            return LC_ENOMEM;
        c->misses++;
        if (diags)
            gql_diags_add_parse_error(diags, &err);
        return rc;
    }
    uint64_t h = hash_text(c->seed, src, len);
    entry_t *e = c->buckets[h & c->mask];
    while (e && !(e->hash == h && e->len == len && memcmp(e->text, src, len) == 0))
        e = e->hnext;
    if (e) {
        c->hits++;
        if (c->head != e) {
            e->prev->next = e->next;
            if (e->next)
                e->next->prev = e->prev;
            else
                c->tail = e->prev;
            push_front(c, e);
        }
        enforce_bounds(c, e); /* plans grew entries since they were inserted */
    } else {
        c->misses++;
        int rc = make_entry(c, src, len, h, &e);
        if (rc != LC_OK)
            return rc;
        if (e->bytes > c->max_bytes / 4) {
            c->transient = e; /* served once, never cached */
        } else {
            e->hnext = c->buckets[h & c->mask];
            c->buckets[h & c->mask] = e;
            push_front(c, e);
            c->entries++;
            c->invalid += e->status != LC_OK;
            c->bytes += e->bytes;
            enforce_bounds(c, e);
        }
    }
    if (e->status != LC_OK)
        return replay(e, diags);
    c->last = e;
    *doc = e->doc;
    return LC_OK;
}

gql__plan_t *gql__doc_cache_plan(gql_doc_cache_t *c, const gql_schema_t *schema,
                                 const gql_document_t *doc) {
    entry_t *e = c->last;
    if (!e || e->doc != doc || schema != c->schema)
        return NULL;
    return &e->plan;
}

void gql_doc_cache_stats(const gql_doc_cache_t *c, gql_doc_cache_stats_t *out) {
    out->hits = c->hits;
    out->misses = c->misses;
    out->evictions = c->evictions;
    out->entries = c->entries;
    out->bytes = c->bytes;
    if (c->last && lc_arena_used(&c->last->arena) != c->last->bytes)
        out->bytes += lc_arena_used(&c->last->arena) - c->last->bytes;
}
