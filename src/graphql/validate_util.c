/* SPDX-License-Identifier: MIT */
/* Helpers of the validator: arena vectors and seeded hash maps (names come from the request,
 * so a per-validation seed keeps collisions out of an attacker's reach), type references
 * (typeFromAST, sub-typing, overlap), text for messages, and graphql-js's "Did you mean"
 * suggestions (suggestionList's lexical distance and naturalCompare). */
#include <stdlib.h>
#include <string.h>

#include "gql/print.h"
#include "validate_int.h"

/* ---- Vectors --------------------------------------------------------------------------------- */

bool gql__vvec_reserve(gql__vctx_t *c, gql__vvec_t *v, size_t elem, uint32_t extra) {
    if (c->status != LC_OK)
        return false;
    if (v->cap - v->n >= extra)
        return true;
    uint64_t cap = v->cap ? (uint64_t)v->cap * 2 : 8;
    while (cap < (uint64_t)v->n + extra)
        cap *= 2;
    if (cap > UINT32_MAX / 2)
        return gql__v_nomem(c);
    void *items = lc_arena_alloc(c->arena, (size_t)cap * elem);
    if (!items)
        return gql__v_nomem(c);
    if (v->n)
        memcpy(items, v->items, (size_t)v->n * elem);
    v->items = items;
    v->cap = (uint32_t)cap;
    return true;
}

/* ---- Hash maps ------------------------------------------------------------------------------- */

static inline uint64_t fmix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint32_t str_hash(const gql__vctx_t *c, lc_str_t s) {
    uint64_t h = c->seed ^ ((uint64_t)s.len * 0x9E3779B97F4A7C15ull);
    size_t i = 0;
    for (; i + 8 <= s.len; i += 8) {
        uint64_t w;
        memcpy(&w, s.ptr + i, 8);
        h = fmix64(h ^ w);
    }
    uint64_t w = 0;
    if (i < s.len)
        memcpy(&w, s.ptr + i, s.len - i);
    h = fmix64(h ^ w ^ 0x5bd1e9955bd1e995ull);
    return (uint32_t)(h >> 32) | 1u;
}

gql__vsent_t *gql__vsmap_find(const gql__vctx_t *c, const gql__vsmap_t *m, lc_str_t key) {
    if (!m->slots)
        return NULL;
    uint32_t h = str_hash(c, key);
    for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
        gql__vsent_t *e = &m->slots[i];
        if (!e->hash)
            return NULL;
        if (e->hash == h && lc_str_eq(e->key, key))
            return e;
    }
}

static bool vsmap_grow(gql__vctx_t *c, gql__vsmap_t *m) {
    uint32_t size = m->slots ? (m->mask + 1) * 2 : 16;
    gql__vsent_t *slots = lc_arena_calloc(c->arena, size, sizeof *slots);
    if (!slots)
        return gql__v_nomem(c);
    if (m->slots) {
        for (uint32_t i = 0; i <= m->mask; i++) {
            const gql__vsent_t *e = &m->slots[i];
            if (!e->hash)
                continue;
            uint32_t k = e->hash & (size - 1);
            while (slots[k].hash)
                k = (k + 1) & (size - 1);
            slots[k] = *e;
        }
    }
    m->slots = slots;
    m->mask = size - 1;
    return true;
}

gql__vsent_t *gql__vsmap_add(gql__vctx_t *c, gql__vsmap_t *m, lc_str_t key, uint32_t val,
                             bool *added) {
    *added = false;
    if (c->status != LC_OK)
        return NULL;
    if ((!m->slots || (m->count + 1) * 2 > m->mask + 1) && !vsmap_grow(c, m))
        return NULL;
    uint32_t h = str_hash(c, key);
    for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
        gql__vsent_t *e = &m->slots[i];
        if (!e->hash) {
            e->hash = h;
            e->key = key;
            e->val = val;
            m->count++;
            *added = true;
            return e;
        }
        if (e->hash == h && lc_str_eq(e->key, key))
            return e;
    }
}

static inline uint32_t u64_hash(const gql__vctx_t *c, uint64_t k) {
    return (uint32_t)(fmix64(k ^ c->seed) >> 32);
}

gql__vpent_t *gql__vpmap_find(const gql__vctx_t *c, const gql__vpmap_t *m, uint64_t key) {
    if (!m->slots)
        return NULL;
    for (uint32_t i = u64_hash(c, key) & m->mask;; i = (i + 1) & m->mask) {
        gql__vpent_t *e = &m->slots[i];
        if (!e->key)
            return NULL;
        if (e->key == key)
            return e;
    }
}

static bool vpmap_grow(gql__vctx_t *c, gql__vpmap_t *m) {
    uint32_t size = m->slots ? (m->mask + 1) * 2 : 16;
    gql__vpent_t *slots = lc_arena_calloc(c->arena, size, sizeof *slots);
    if (!slots)
        return gql__v_nomem(c);
    if (m->slots) {
        for (uint32_t i = 0; i <= m->mask; i++) {
            const gql__vpent_t *e = &m->slots[i];
            if (!e->key)
                continue;
            uint32_t k = u64_hash(c, e->key) & (size - 1);
            while (slots[k].key)
                k = (k + 1) & (size - 1);
            slots[k] = *e;
        }
    }
    m->slots = slots;
    m->mask = size - 1;
    return true;
}

gql__vpent_t *gql__vpmap_add(gql__vctx_t *c, gql__vpmap_t *m, uint64_t key, void *val,
                             bool *added) {
    *added = false;
    if (c->status != LC_OK)
        return NULL;
    if ((!m->slots || (m->count + 1) * 2 > m->mask + 1) && !vpmap_grow(c, m))
        return NULL;
    for (uint32_t i = u64_hash(c, key) & m->mask;; i = (i + 1) & m->mask) {
        gql__vpent_t *e = &m->slots[i];
        if (!e->key) {
            e->key = key;
            e->val = val;
            m->count++;
            *added = true;
            return e;
        }
        if (e->key == key)
            return e;
    }
}

/* ---- Types ----------------------------------------------------------------------------------- */

bool gql__v_is_input_type(const gql_schema_type_t *t) {
    t = gql_type_named(t);
    return t &&
           (t->kind == GQL_TK_SCALAR || t->kind == GQL_TK_ENUM || t->kind == GQL_TK_INPUT_OBJECT);
}

bool gql__v_is_output_type(const gql_schema_type_t *t) {
    t = gql_type_named(t);
    return t && t->kind != GQL_TK_INPUT_OBJECT;
}

static const gql_schema_type_t *wrap(gql__vctx_t *c, const gql_schema_type_t *t,
                                     gql_type_kind_t kind) {
    const gql_schema_type_t *own = kind == GQL_TK_LIST ? t->list_of : t->non_null_of;
    if (own)
        return own;
    uint64_t key = (uint64_t)(uintptr_t)t | (kind == GQL_TK_NON_NULL ? 1u : 0u);
    gql__vpent_t *e = gql__vpmap_find(c, &c->wrappers, key);
    if (e)
        return e->val;
    gql_schema_type_t *w = lc_arena_calloc(c->arena, 1, sizeof *w);
    bool added;
    if (!w) {
        gql__v_nomem(c);
        return NULL;
    }
    w->kind = kind;
    w->of_type = t;
    if (!gql__vpmap_add(c, &c->wrappers, key, w, &added))
        return NULL;
    return w;
}

const gql_schema_type_t *gql__v_list_of(gql__vctx_t *c, const gql_schema_type_t *t) {
    return t ? wrap(c, t, GQL_TK_LIST) : NULL;
}

const gql_schema_type_t *gql__v_non_null_of(gql__vctx_t *c, const gql_schema_type_t *t) {
    return t ? wrap(c, t, GQL_TK_NON_NULL) : NULL;
}

const gql_schema_type_t *gql__v_type_from_ast(gql__vctx_t *c, const gql_type_t *ast) {
    /* Unwrap to the named type, then wrap back inside out; the wrappers are a chain. */
    const gql_type_t *chain[2 * GQL_LIMIT_DOCUMENT_DEPTH_MAX + 2];
    uint32_t n = 0;
    while (ast && ast->kind != GQL_NAMED_TYPE) {
        if (n == sizeof chain / sizeof chain[0])
            return NULL;
        chain[n++] = ast;
        ast = ast->of;
    }
    if (!ast)
        return NULL;
    const gql_schema_type_t *t = gql_schema_find_type(c->schema, ast->name);
    while (t && n > 0) {
        const gql_type_t *w = chain[--n];
        t = w->kind == GQL_LIST_TYPE ? gql__v_list_of(c, t) : gql__v_non_null_of(c, t);
    }
    return t;
}

bool gql__v_is_possible(const gql__vctx_t *c, const gql_schema_type_t *abstract,
                        const gql_schema_type_t *t) {
    if (!gql__v_is_abstract(abstract) || !t || abstract == t)
        return false;
    return gql_schema_is_possible_type(c->schema, abstract, t);
}

bool gql__v_is_subtype(const gql__vctx_t *c, const gql_schema_type_t *sub,
                       const gql_schema_type_t *super) {
    for (;;) {
        if (!sub || !super)
            return false;
        if (sub == super)
            return true;
        if (super->kind == GQL_TK_NON_NULL) {
            if (sub->kind != GQL_TK_NON_NULL)
                return false;
            sub = sub->of_type;
            super = super->of_type;
            continue;
        }
        if (sub->kind == GQL_TK_NON_NULL) {
            sub = sub->of_type;
            continue;
        }
        if (super->kind == GQL_TK_LIST) {
            if (sub->kind != GQL_TK_LIST)
                return false;
            sub = sub->of_type;
            super = super->of_type;
            continue;
        }
        if (sub->kind == GQL_TK_LIST)
            return false;
        return gql__v_is_abstract(super) &&
               (sub->kind == GQL_TK_INTERFACE || sub->kind == GQL_TK_OBJECT) &&
               gql__v_is_possible(c, super, sub);
    }
}

bool gql__v_types_overlap(const gql__vctx_t *c, const gql_schema_type_t *a,
                          const gql_schema_type_t *b) {
    if (a == b)
        return true;
    if (gql__v_is_abstract(a)) {
        if (gql__v_is_abstract(b)) {
            for (uint32_t i = 0; i < a->npossible; i++)
                if (gql__v_is_possible(c, b, a->possible_types[i]))
                    return true;
            return false;
        }
        return gql__v_is_possible(c, a, b);
    }
    if (gql__v_is_abstract(b))
        return gql__v_is_possible(c, b, a);
    return false;
}

/* ---- Text for messages ----------------------------------------------------------------------- */

const char *gql__v_type_str(gql__vctx_t *c, const gql_schema_type_t *t) {
    lc_buf_t b;
    gql__v_buf_init(c, &b);
    (void)gql_type_print(&b, t);
    const char *s = gql__v_buf_cstr(c, &b);
    return s ? s : "";
}

const char *gql__v_ast_type_str(gql__vctx_t *c, const gql_type_t *t) {
    lc_buf_t b;
    gql__v_buf_init(c, &b);
    (void)gql_print_type(&b, t);
    const char *s = gql__v_buf_cstr(c, &b);
    return s ? s : "";
}

const char *gql__v_value_str(gql__vctx_t *c, const gql_value_t *v) {
    lc_buf_t b;
    gql__v_buf_init(c, &b);
    (void)gql_print_value(&b, v);
    const char *s = gql__v_buf_cstr(c, &b);
    return s ? s : "";
}

/* ---- Suggestions ----------------------------------------------------------------------------- */

/* UTF-16 code units of s, ASCII letters lowered (JavaScript strings are UTF-16; GraphQL names
 * are ASCII, so toLowerCase() beyond ASCII only matters for printed string values). */
static uint32_t to_units(lc_str_t s, uint16_t *out, uint32_t cap, bool lower) {
    uint32_t n = 0;
    for (size_t i = 0; i < s.len && n < cap;) {
        unsigned char ch = (unsigned char)s.ptr[i];
        uint32_t cp;
        size_t len;
        if (ch < 0x80) {
            cp = ch, len = 1;
        } else if (ch >= 0xF0 && i + 3 < s.len) {
            cp = ((uint32_t)(ch & 0x07) << 18) | ((uint32_t)(s.ptr[i + 1] & 0x3F) << 12) |
                 ((uint32_t)(s.ptr[i + 2] & 0x3F) << 6) | (uint32_t)(s.ptr[i + 3] & 0x3F);
            len = 4;
        } else if (ch >= 0xE0 && i + 2 < s.len) {
            cp = ((uint32_t)(ch & 0x0F) << 12) | ((uint32_t)(s.ptr[i + 1] & 0x3F) << 6) |
                 (uint32_t)(s.ptr[i + 2] & 0x3F);
            len = 3;
        } else if (ch >= 0xC0 && i + 1 < s.len) {
            cp = ((uint32_t)(ch & 0x1F) << 6) | (uint32_t)(s.ptr[i + 1] & 0x3F);
            len = 2;
        } else {
            cp = 0xFFFD, len = 1;
        }
        i += len;
        if (cp >= 0x10000) {
            out[n++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            if (n < cap)
                out[n++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            if (lower && cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            out[n++] = (uint16_t)cp;
        }
    }
    return n;
}

static uint32_t utf16_len(lc_str_t s) {
    uint32_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if ((ch & 0xC0) != 0x80)
            n += ch >= 0xF0 ? 2 : 1;
    }
    return n;
}

typedef struct {
    gql__vctx_t *c;
    uint16_t *input, *input_lower;
    uint32_t ninput;
    uint16_t *opt;
    uint32_t cap;
    int32_t *rows; /* 3 rows */
} lexdist_t;

/* graphql-js LexicalDistance.measure: Damerau-Levenshtein (optimal string alignment) over
 * lowered strings, a case change alone counting as one edit; -1 past the threshold. */
static int32_t lex_measure(lexdist_t *ld, lc_str_t option, int32_t threshold) {
    uint32_t nopt = utf16_len(option);
    if (nopt > ld->cap) {
        uint32_t cap = nopt > 2 * ld->cap ? nopt : 2 * ld->cap;
        uint16_t *o = lc_arena_alloc(ld->c->arena, (size_t)cap * sizeof *o);
        int32_t *r = lc_arena_alloc(ld->c->arena, (size_t)3 * (cap + 1) * sizeof *r);
        if (!o || !r) {
            gql__v_nomem(ld->c);
            return -1;
        }
        ld->opt = o, ld->rows = r, ld->cap = cap;
    }
    uint32_t n = to_units(option, ld->opt, ld->cap, false);
    if (n == ld->ninput && memcmp(ld->opt, ld->input, n * sizeof(uint16_t)) == 0)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (ld->opt[i] >= 'A' && ld->opt[i] <= 'Z')
            ld->opt[i] += 'a' - 'A';
    if (n == ld->ninput && memcmp(ld->opt, ld->input_lower, n * sizeof(uint16_t)) == 0)
        return 1;
    const uint16_t *a = ld->opt, *b = ld->input_lower;
    uint32_t alen = n, blen = ld->ninput;
    if (alen < blen) {
        const uint16_t *t = a;
        a = b, b = t;
        uint32_t tl = alen;
        alen = blen, blen = tl;
    }
    if ((int64_t)alen - (int64_t)blen > threshold)
        return -1;
    int32_t *rows[3] = {ld->rows, ld->rows + (ld->cap + 1), ld->rows + 2 * (ld->cap + 1)};
    for (uint32_t j = 0; j <= blen; j++)
        rows[0][j] = (int32_t)j;
    for (uint32_t i = 1; i <= alen; i++) {
        int32_t *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        int32_t smallest = cur[0] = (int32_t)i;
        for (uint32_t j = 1; j <= blen; j++) {
            int32_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int32_t cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell)
                cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell)
                cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                int32_t dd = rows[(i - 2) % 3][j - 2] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return -1;
    }
    int32_t d = rows[alen % 3][blen];
    return d <= threshold ? d : -1;
}

static bool is_digit(int ch) {
    return ch >= '0' && ch <= '9';
}

int gql__v_natural_compare(lc_str_t a, lc_str_t b) {
    size_t ai = 0, bi = 0;
    while (ai < a.len && bi < b.len) {
        int ac = (unsigned char)a.ptr[ai], bc = (unsigned char)b.ptr[bi];
        if (is_digit(ac) && is_digit(bc)) {
            /* a run of digits compares as a number; a leading 0 ends its own run */
            double an = 0, bn = 0;
            do {
                ++ai;
                an = an * 10 + (ac - '0');
                ac = ai < a.len ? (unsigned char)a.ptr[ai] : -1;
            } while (is_digit(ac) && an > 0);
            do {
                ++bi;
                bn = bn * 10 + (bc - '0');
                bc = bi < b.len ? (unsigned char)b.ptr[bi] : -1;
            } while (is_digit(bc) && bn > 0);
            if (an < bn)
                return -1;
            if (an > bn)
                return 1;
        } else {
            if (ac < bc)
                return -1;
            if (ac > bc)
                return 1;
            ++ai;
            ++bi;
        }
    }
    return (int)((int64_t)a.len - (int64_t)b.len > 0) - (int)((int64_t)a.len - (int64_t)b.len < 0);
}

typedef struct {
    lc_str_t s;
    int32_t d;
} scored_t;

static int cmp_scored(const void *x, const void *y) {
    const scored_t *a = x, *b = y;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return gql__v_natural_compare(a->s, b->s);
}

uint32_t gql__v_suggest(gql__vctx_t *c, lc_str_t input, const lc_str_t *options, uint32_t n,
                        lc_str_t *out, uint32_t cap) {
    lexdist_t ld = {.c = c};
    uint32_t nin = utf16_len(input), found = 0, written = 0;
    scored_t *sc = NULL;

    if (n == 0 || cap == 0)
        return 0;
    ld.input = lc_arena_alloc(c->arena, ((size_t)nin + 1) * sizeof(uint16_t));
    ld.input_lower = lc_arena_alloc(c->arena, ((size_t)nin + 1) * sizeof(uint16_t));
    sc = lc_arena_alloc(c->arena, (size_t)n * sizeof *sc);
    if (!ld.input || !ld.input_lower || !sc) {
        gql__v_nomem(c);
        return 0;
    }
    ld.ninput = to_units(input, ld.input, nin, false);
    (void)to_units(input, ld.input_lower, nin, true);
    int32_t threshold = (int32_t)(nin * 2 / 5) + 1; /* Math.floor(length * 0.4) + 1 */
    for (uint32_t i = 0; i < n && c->status == LC_OK; i++) {
        int32_t d = lex_measure(&ld, options[i], threshold);
        if (d >= 0)
            sc[found++] = (scored_t){options[i], d};
    }
    qsort(sc, found, sizeof *sc, cmp_scored);
    for (uint32_t i = 0; i < found && written < cap; i++) {
        if (written && lc_str_eq(out[written - 1], sc[i].s))
            continue; /* an option listed twice is one suggestion */
        out[written++] = sc[i].s;
    }
    return written;
}

void gql__v_did_you_mean(lc_buf_t *b, const char *sub, const lc_str_t *s, uint32_t n) {
    if (n == 0)
        return;
    lc_buf_append_cstr(b, " Did you mean ");
    if (sub) {
        lc_buf_append_cstr(b, sub);
        lc_buf_putc(b, ' ');
    }
    if (n > 5)
        n = 5;
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0)
            lc_buf_append_cstr(b, n == 2 ? " or " : i == n - 1 ? ", or " : ", ");
        lc_buf_putc(b, '"');
        lc_buf_append_str(b, s[i]);
        lc_buf_putc(b, '"');
    }
    lc_buf_putc(b, '?');
}

bool gql__v_dup_groups(gql__vctx_t *c, const lc_str_t *names, uint32_t n, uint32_t **first,
                       uint32_t **next) {
    uint32_t *fi = gql__v_alloc(c, (size_t)n * sizeof *fi);
    uint32_t *nx = gql__v_alloc(c, (size_t)n * sizeof *nx);
    uint32_t *last = gql__v_alloc(c, (size_t)n * sizeof *last);
    if (!fi || !nx || !last)
        return false;
    if (n <= 8) {
        /* few names: no table */
        for (uint32_t i = 0; i < n; i++) {
            fi[i] = i;
            nx[i] = UINT32_MAX;
            for (uint32_t j = 0; j < i; j++) {
                if (fi[j] == j && lc_str_eq(names[j], names[i])) {
                    fi[i] = j;
                    nx[last[j]] = i;
                    break;
                }
            }
            last[fi[i]] = i;
        }
    } else {
        gql__vsmap_t m = {0};
        for (uint32_t i = 0; i < n; i++) {
            bool added;
            gql__vsent_t *e = gql__vsmap_add(c, &m, names[i], i, &added);
            if (!e)
                return false;
            fi[i] = e->val;
            nx[i] = UINT32_MAX;
            if (!added)
                nx[last[e->val]] = i;
            last[e->val] = i;
        }
    }
    *first = fi;
    *next = nx;
    return true;
}
