/* SPDX-License-Identifier: MIT */
/* Oct 2021 §5.3.2 Field Selection Merging (graphql-js OverlappingFieldsCanBeMergedRule): in
 * every selection set, fields with the same response name must be the same field with the
 * same arguments (unless their parents are different object types) and have shapes that can
 * be merged, fragments included.
 *
 * This is graphql-js 16.15's algorithm step for step (its steps A-J are named below), so that
 * the errors, their order, their wording and their locations are graphql-js's, and so is the
 * point where a hostile document is given up: graphql-js meters the work with a complexity
 * budget and aborts validation ("Validation aborted.") when it runs out; the same work is
 * metered here at the same points. Within the budget, graphql-js's caches keep the work
 * polynomial: the fields of a selection set are collected once per parent type, a field map
 * is compared with a fragment once and a pair of fragments once per exclusivity (memos kept
 * here as bit matrices), and the response names two field maps share are found once.
 *
 * Beyond graphql-js: its recursions that follow fragment spreads run on explicit stacks, and
 * sub-selection comparisons stop at GQL__VALIDATE_MAX_DEPTH, which only fragments can reach
 * (graphql-js would exhaust its budget or its stack first). Conflicts are not kept beyond
 * what can be reported (the error limit; graphql-js's 1000-character and 20-node caps). */
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"

#define S(x) (int)(x).len, (x).ptr

/* graphql-js's caps (MAX_CONFLICT_DETAIL_LENGTH, MAX_CONFLICT_NODES, MAX_COMPLEXITY_BUDGET) */
#define DETAIL_MAX 1000
#define NODES_MAX 20
#define BUDGET 500000

/* graphql-js FieldDetails, with the lazily computed parts of its FieldInfo. */
typedef struct {
    const gql_schema_type_t *parent; /* may be NULL */
    const gql_field_t *node;
    const gql_schema_field_t *def; /* may be NULL */
    bool simple_leaf;              /* no arguments, no selection set */
    uint32_t id;                   /* for the cache of compared pairs */
} ofield_t;

typedef struct {
    lc_str_t name; /* response name */
    uint32_t start, count;
} okey_t;

/* graphql-js CollectFieldsResult: fields by response name (names in first-seen order) and
 * the fragments spread, each name once in first-seen order. Fragment ids below c->nfrags are
 * defined fragments; above are names spread but never defined. */
typedef struct {
    okey_t *keys;
    uint32_t nkeys;
    ofield_t *fields;
    uint32_t *frags;
    uint32_t nfrags;
    gql__vsmap_t index; /* response name -> key, when there are many keys */
    uint32_t id;
    /* comparedFragments: two bits per defined fragment ("compared as not exclusive",
     * "compared at all"), NULL until needed */
    uint64_t *memo;
} ofmap_t;

/* One selection set's collected fields per parent type (graphql-js caches by both). */
typedef struct omaps {
    const gql_schema_type_t *parent;
    ofmap_t *map;
    struct omaps *next;
} omaps_t;

/* A conflict on its way to whoever collects it: graphql-js's { responseName, reason,
 * fields1, fields2 }. */
typedef struct {
    lc_str_t name;
    const char *reason;
    size_t reason_len;
    const gql_field_t *const *f1, *const *f2;
    uint32_t n1, n2;
} oview_t;

/* A stored conflict (the ones a selection set reports). */
typedef struct {
    lc_str_t name;
    const char *reason;
    size_t reason_len;
    const gql_field_t *f1[NODES_MAX], *f2[NODES_MAX];
    uint32_t n1, n2;
} oconflict_t;

/* Where conflicts go: a selection set's list (top) or, for the sub-fields of two fields, the
 * message and nodes of graphql-js's subfieldConflicts, built as the conflicts arrive. */
typedef struct {
    bool top;
    uint32_t count;
    /* top */
    gql__vvec_t list; /* oconflict_t, at most cap */
    uint32_t cap;
    /* sub-fields */
    lc_buf_t msg;
    bool msg_done;
    const gql_field_t *f1[NODES_MAX], *f2[NODES_MAX];
    uint32_t n1, n2;
    bool f1_done, f2_done;
} osink_t;

typedef struct {
    uint32_t a, b;
} opair_t;

struct gql__voverlap {
    gql__vpmap_t maps;      /* selection set -> omaps_t */
    gql__vpmap_t canon;     /* argument value -> canonical text (lc_str_t) */
    gql__vpmap_t reasons;   /* (field id, field id) -> 1 same, 3 other arguments */
    gql__vpmap_t overlap;   /* (map id, map id) pairs that met */
    gql__vsmap_t undefined; /* names spread but not defined -> id (from c->nfrags) */
    uint64_t *pairs;        /* comparedFragmentPairs: nfrags x nfrags, two bits each */
    uint32_t words;         /* 64-bit words per row of fragments */
    const ofmap_t **frag_maps;
    uint32_t nmaps, nfields;
    int64_t budget;
    uint32_t depth;
    osink_t **sinks; /* one per depth of sub-selection comparison, reused */
    uint32_t nsinks;
    lc_buf_t tmp; /* a simple conflict's reason */
};

/* ---- The budget ------------------------------------------------------------------------------ */

/* graphql-js spendComplexityBudget: past the budget, validation is aborted. */
static bool spend(gql__vctx_t *c, int64_t cost) {
    c->overlap->budget -= cost;
    if (c->overlap->budget < 0) {
        gql__v_abort(c);
        return false;
    }
    return true;
}

/* ---- Collecting fields -------------------------------------------------------------------------
 */

typedef struct {
    lc_str_t name;
    ofield_t f;
} oentry_t;

static uint32_t undefined_id(gql__vctx_t *c, lc_str_t name) {
    struct gql__voverlap *ov = c->overlap;
    bool added;
    gql__vsent_t *e =
        gql__vsmap_add(c, &ov->undefined, name, c->nfrags + ov->undefined.count, &added);
    return e ? e->val : UINT32_MAX;
}

/* graphql-js collectFieldsImpl (recursion as deep as the parsed tree) */
static void collect(gql__vctx_t *c, const gql_schema_type_t *parent, const gql_selection_set_t *ss,
                    gql__vvec_t *ents, gql__vvec_t *frags, uint32_t epoch, gql__vsmap_t *undef) {
    for (uint32_t i = 0; i < ss->selections.count && c->status == LC_OK; i++) {
        const gql_selection_t *sel = ss->selections.items[i];
        if (sel->node.kind == GQL_FIELD) {
            const gql_field_t *f = &sel->field;
            const gql_schema_field_t *def = NULL;
            /* graphql-js reads parentType.getFields(): no meta-fields here */
            if (parent && (parent->kind == GQL_TK_OBJECT || parent->kind == GQL_TK_INTERFACE))
                def = gql_schema_find_field(c->schema, parent, f->name, false);
            oentry_t e = {f->alias.ptr ? f->alias : f->name,
                          {parent, f, def, f->arguments.count == 0 && !f->selection_set, 0}};
            (void)GQL__VVEC_PUSH(c, ents, oentry_t, e);
        } else if (sel->node.kind == GQL_FRAGMENT_SPREAD) {
            gql__vfrag_t *fr = gql__v_fragment(c, sel->spread.name);
            bool added = true;
            uint32_t id;
            if (fr) {
                added = fr->mark != epoch;
                fr->mark = epoch;
                id = (uint32_t)(fr - c->frags);
            } else {
                if (!gql__vsmap_add(c, undef, sel->spread.name, 0, &added))
                    return;
                id = undefined_id(c, sel->spread.name);
            }
            if (added)
                (void)GQL__VVEC_PUSH(c, frags, uint32_t, id);
        } else {
            const gql_inline_fragment_t *in = &sel->inline_fragment;
            const gql_schema_type_t *t =
                in->type_condition ? gql__v_type_from_ast(c, in->type_condition) : parent;
            collect(c, t, in->selection_set, ents, frags, epoch, undef);
        }
    }
}

static uint32_t find_key(const gql__vctx_t *c, const ofmap_t *m, lc_str_t name) {
    if (m->index.slots) {
        const gql__vsent_t *e = gql__vsmap_find(c, &m->index, name);
        return e ? e->val : UINT32_MAX;
    }
    for (uint32_t k = 0; k < m->nkeys; k++)
        if (lc_str_eq(m->keys[k].name, name))
            return k;
    return UINT32_MAX;
}

static ofmap_t *build_map(gql__vctx_t *c, const gql_schema_type_t *parent,
                          const gql_selection_set_t *ss) {
    struct gql__voverlap *ov = c->overlap;
    gql__vvec_t ents = {0}, frags = {0};
    gql__vsmap_t undef = {0};
    bool added;

    collect(c, parent, ss, &ents, &frags, ++c->mark_epoch, &undef);
    size_t n = ents.n ? ents.n : 1;
    ofmap_t *m = gql__v_alloc(c, sizeof *m);
    uint32_t *key_of = gql__v_alloc(c, n * sizeof *key_of);
    okey_t *keys = gql__v_alloc(c, n * sizeof *keys);
    ofield_t *fields = gql__v_alloc(c, n * sizeof *fields);
    if (!m || !key_of || !keys || !fields)
        return NULL;
    memset(m, 0, sizeof *m);
    m->keys = keys;
    const oentry_t *e = ents.items;
    for (uint32_t i = 0; i < ents.n; i++) {
        uint32_t k;
        if (!m->index.slots && m->nkeys >= 8) {
            /* many names: index them */
            for (uint32_t j = 0; j < m->nkeys; j++)
                if (!gql__vsmap_add(c, &m->index, keys[j].name, j, &added))
                    return NULL;
        }
        if (m->index.slots) {
            gql__vsent_t *s = gql__vsmap_add(c, &m->index, e[i].name, m->nkeys, &added);
            if (!s)
                return NULL;
            k = s->val;
        } else {
            k = find_key(c, m, e[i].name);
            added = k == UINT32_MAX;
            if (added)
                k = m->nkeys;
        }
        if (added)
            keys[m->nkeys++] = (okey_t){e[i].name, 0, 0};
        keys[k].count++;
        key_of[i] = k;
    }
    for (uint32_t k = 0, at = 0; k < m->nkeys; k++) {
        keys[k].start = at;
        at += keys[k].count;
        keys[k].count = 0;
    }
    for (uint32_t i = 0; i < ents.n; i++) {
        okey_t *k = &keys[key_of[i]];
        ofield_t *f = &fields[k->start + k->count++];
        *f = e[i].f;
        f->id = ++ov->nfields;
    }
    m->fields = fields;
    m->frags = frags.items;
    m->nfrags = frags.n;
    m->id = ++ov->nmaps;
    return m;
}

/* graphql-js collectFields: cached by parent type and selection set. */
static const ofmap_t *field_map(gql__vctx_t *c, const gql_schema_type_t *parent,
                                const gql_selection_set_t *ss) {
    struct gql__voverlap *ov = c->overlap;
    gql__vpent_t *e = gql__vpmap_find(c, &ov->maps, (uint64_t)(uintptr_t)ss);
    bool added;
    for (omaps_t *p = e ? e->val : NULL; p; p = p->next)
        if (p->parent == parent)
            return p->map;
    omaps_t *p = gql__v_alloc(c, sizeof *p);
    if (!p)
        return NULL;
    p->parent = parent;
    p->map = build_map(c, parent, ss);
    if (!p->map)
        return NULL;
    p->next = e ? e->val : NULL;
    if (e)
        e->val = p;
    else if (!gql__vpmap_add(c, &ov->maps, (uint64_t)(uintptr_t)ss, p, &added))
        return NULL;
    return p->map;
}

/* graphql-js collectFragmentFields (the fragment's last definition, as getFragment) */
static const ofmap_t *fragment_map(gql__vctx_t *c, uint32_t frag) {
    struct gql__voverlap *ov = c->overlap;
    if (!ov->frag_maps[frag]) {
        const gql__vfrag_t *f = &c->frags[frag];
        ov->frag_maps[frag] = field_map(c, f->type, f->def->selection_set);
    }
    return ov->frag_maps[frag];
}

/* ---- Memos of graphql-js's PairSet and comparedFragments --------------------------------------
 * A pair added as not exclusive answers both questions; one added as exclusive answers only the
 * exclusive one, and a later non-exclusive add overwrites it. Two bits per pair: "not
 * exclusive" and "any". Only defined fragments need them: for the others graphql-js returns
 * right after the memo, which nothing else reads. */

static bool bits_has(const uint64_t *not_excl, const uint64_t *any, uint32_t i, bool exclusive) {
    const uint64_t *b = exclusive ? any : not_excl;
    return (b[i / 64] >> (i % 64)) & 1u;
}

static void bits_add(uint64_t *not_excl, uint64_t *any, uint32_t i, bool exclusive) {
    any[i / 64] |= (uint64_t)1 << (i % 64);
    if (!exclusive)
        not_excl[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool map_frag_first(gql__vctx_t *c, ofmap_t *m, uint32_t f, bool exclusive) {
    uint32_t words = c->overlap->words;
    if (!m->memo) {
        m->memo = lc_arena_calloc(c->arena, 2 * (size_t)words, sizeof *m->memo);
        if (!m->memo)
            return gql__v_nomem(c);
    }
    if (bits_has(m->memo, m->memo + words, f, exclusive))
        return false;
    bits_add(m->memo, m->memo + words, f, exclusive);
    return true;
}

static bool frag_pair_first(gql__vctx_t *c, uint32_t a, uint32_t b, bool exclusive) {
    struct gql__voverlap *ov = c->overlap;
    size_t row = 2 * (size_t)ov->words;
    if (!ov->pairs) {
        ov->pairs = lc_arena_calloc(c->arena, (size_t)c->nfrags * row, sizeof *ov->pairs);
        if (!ov->pairs)
            return gql__v_nomem(c);
    }
    if (a > b) {
        uint32_t t = a;
        a = b, b = t;
    }
    uint64_t *r = ov->pairs + (size_t)a * row;
    if (bits_has(r, r + ov->words, b, exclusive))
        return false;
    bits_add(r, r + ov->words, b, exclusive);
    return true;
}

/* ---- Arguments
 * ----------------------------------------------------------------------------------- */

/* Canonical text of a value: equal exactly when graphql-js's stringifyValue is, i.e. the same
 * value with object fields sorted by name (stably). Length-prefixed pieces keep it
 * unambiguous. */
static void canon_piece(lc_buf_t *b, char tag, lc_str_t s) {
    lc_buf_putc(b, tag);
    lc_buf_append_u64(b, s.len);
    lc_buf_putc(b, ':');
    lc_buf_append_str(b, s);
}

static int cmp_names(lc_str_t a, lc_str_t b) {
    size_t n = a.len < b.len ? a.len : b.len;
    int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return r ? r : (a.len > b.len) - (a.len < b.len);
}

static void sort_fields(const gql_object_field_t **a, const gql_object_field_t **tmp, uint32_t n) {
    /* merge sort: stable, n log n on hostile objects (recursion log n deep) */
    if (n < 2)
        return;
    uint32_t h = n / 2;
    sort_fields(a, tmp, h);
    sort_fields(a + h, tmp, n - h);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_names(a[j]->name, a[i]->name) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

/* Recursion as deep as the parsed value. */
static void canon_value(gql__vctx_t *c, lc_buf_t *b, const gql_value_t *v) {
    switch (v->kind) {
    case GQL_VARIABLE:
        canon_piece(b, '$', v->name);
        break;
    case GQL_INT_VALUE:
        canon_piece(b, 'i', v->lexeme);
        break;
    case GQL_FLOAT_VALUE:
        canon_piece(b, 'f', v->lexeme);
        break;
    case GQL_STRING_VALUE:
        canon_piece(b, v->string.block ? 'B' : 'S', v->string.value);
        break;
    case GQL_BOOLEAN_VALUE:
        lc_buf_putc(b, v->boolean ? 't' : 'F');
        break;
    case GQL_NULL_VALUE:
        lc_buf_putc(b, 'n');
        break;
    case GQL_ENUM_VALUE:
        canon_piece(b, 'e', v->name);
        break;
    case GQL_LIST_VALUE:
        lc_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->list.count; i++)
            canon_value(c, b, v->list.items[i]);
        lc_buf_putc(b, ']');
        break;
    case GQL_OBJECT_VALUE: {
        uint32_t n = v->object.count;
        const gql_object_field_t **f = gql__v_alloc(c, (size_t)(n ? n : 1) * sizeof *f);
        const gql_object_field_t **tmp = gql__v_alloc(c, (size_t)(n ? n : 1) * sizeof *tmp);
        if (!f || !tmp)
            return;
        if (n)
            memcpy(f, v->object.items, (size_t)n * sizeof *f);
        sort_fields(f, tmp, n);
        lc_buf_putc(b, '{');
        for (uint32_t i = 0; i < n; i++) {
            canon_piece(b, 'k', f[i]->name);
            canon_value(c, b, f[i]->value);
        }
        lc_buf_putc(b, '}');
        break;
    }
    default:
        break;
    }
}

static lc_str_t canon(gql__vctx_t *c, const gql_value_t *v) {
    struct gql__voverlap *ov = c->overlap;
    const gql__vpent_t *hit = gql__vpmap_find(c, &ov->canon, (uint64_t)(uintptr_t)v);
    lc_buf_t b;
    bool added;

    if (hit)
        return *(const lc_str_t *)hit->val;
    lc_str_t *s = gql__v_alloc(c, sizeof *s);
    if (!s)
        return LC_STR_NULL;
    gql__v_buf_init(c, &b);
    canon_value(c, &b, v);
    if (b.err != LC_OK) {
        gql__v_nomem(c);
        return LC_STR_NULL;
    }
    *s = lc_buf_str(&b);
    (void)gql__vpmap_add(c, &ov->canon, (uint64_t)(uintptr_t)v, s, &added);
    return *s;
}

/* graphql-js sameArguments over getArgumentInfo (a name given twice: its last value). */
static bool same_arguments(gql__vctx_t *c, const gql_field_t *a, const gql_field_t *b) {
    const gql_argument_list_t *a1 = &a->arguments, *a2 = &b->arguments;
    if (a1->count == 0)
        return a2->count == 0;
    if (a1->count != a2->count)
        return false;
    for (uint32_t i = 0; i < a1->count; i++) {
        const gql_argument_t *x = a1->items[i], *y = NULL;
        if (!spend(c, 1))
            return false;
        for (uint32_t k = a2->count; k-- > 0 && !y;)
            if (lc_str_eq(a2->items[k]->name, x->name))
                y = a2->items[k];
        if (!y || !lc_str_eq(canon(c, x->value), canon(c, y->value)))
            return false;
    }
    return true;
}

/* graphql-js doTypesConflict: lists and non-null must match, and leaves must be equal. */
static bool types_conflict(gql__vctx_t *c, const gql_schema_type_t *t1,
                           const gql_schema_type_t *t2) {
    for (;;) {
        if (t1 == t2 || !spend(c, 1))
            return false;
        if (t1->kind == GQL_TK_LIST) {
            if (t2->kind != GQL_TK_LIST)
                return true;
        } else if (t2->kind == GQL_TK_LIST) {
            return true;
        } else if (t1->kind == GQL_TK_NON_NULL) {
            if (t2->kind != GQL_TK_NON_NULL)
                return true;
        } else if (t2->kind == GQL_TK_NON_NULL) {
            return true;
        } else {
            return gql__v_is_leaf(t1) || gql__v_is_leaf(t2);
        }
        t1 = t1->of_type;
        t2 = t2->of_type;
    }
}

/* ---- Conflicts
 * ------------------------------------------------------------------------------------ */

/* graphql-js maybeAbbreviate, applied to the end of b from `from`. */
static void abbreviate(lc_buf_t *b, size_t from) {
    if (b->len - from > DETAIL_MAX) {
        b->len = from + DETAIL_MAX;
        lc_buf_append_cstr(b, "...");
    }
}

static void append_abbreviated(lc_buf_t *b, lc_str_t s) {
    size_t from = b->len;
    lc_buf_append_str(b, s);
    abbreviate(b, from);
}

/* Takes a conflict: into a selection set's list, or into the sub-fields conflict being built
 * (graphql-js subfieldConflicts: the message stops after DETAIL_MAX characters, each side's
 * nodes at NODES_MAX, taking the deepest of each sub-conflict first). */
static void deliver(gql__vctx_t *c, osink_t *s, const oview_t *v) {
    s->count++;
    if (s->top) {
        if (s->list.n >= s->cap || !gql__vvec_reserve(c, &s->list, sizeof(oconflict_t), 1))
            return;
        oconflict_t *x = &GQL__VVEC_AT(&s->list, oconflict_t, s->list.n++);
        x->name = v->name;
        x->reason = lc_arena_strndup(c->arena, v->reason, v->reason_len);
        x->reason_len = v->reason_len;
        if (!x->reason)
            gql__v_nomem(c);
        memcpy(x->f1, v->f1, v->n1 * sizeof *x->f1);
        memcpy(x->f2, v->f2, v->n2 * sizeof *x->f2);
        x->n1 = v->n1;
        x->n2 = v->n2;
        return;
    }
    if (!s->msg_done) {
        if (s->count > 1)
            lc_buf_append_cstr(&s->msg, " and ");
        lc_buf_append_cstr(&s->msg, "subfields \"");
        append_abbreviated(&s->msg, v->name);
        lc_buf_append_cstr(&s->msg, "\" conflict because ");
        lc_buf_append(&s->msg, v->reason, v->reason_len);
        s->msg_done = s->msg.len > DETAIL_MAX;
    }
    if (!s->f1_done) {
        uint32_t take = NODES_MAX - s->n1 < v->n1 ? NODES_MAX - s->n1 : v->n1;
        memcpy(s->f1 + s->n1, v->f1 + (v->n1 - take), take * sizeof *s->f1);
        s->n1 += take;
        s->f1_done = s->n1 == NODES_MAX;
    }
    if (!s->f2_done) {
        uint32_t take = NODES_MAX - s->n2 < v->n2 ? NODES_MAX - s->n2 : v->n2;
        memcpy(s->f2 + s->n2, v->f2 + (v->n2 - take), take * sizeof *s->f2);
        s->n2 += take;
        s->f2_done = s->n2 == NODES_MAX;
    }
}

/* The sink for the sub-fields of two fields at the current depth, emptied. */
static osink_t *sub_sink(gql__vctx_t *c, const gql_field_t *n1, const gql_field_t *n2) {
    struct gql__voverlap *ov = c->overlap;
    uint32_t d = ov->depth;
    if (d >= ov->nsinks) {
        uint32_t n = ov->nsinks ? ov->nsinks * 2 : 16;
        osink_t **s = lc_arena_calloc(c->arena, n, sizeof *s);
        if (!s) {
            gql__v_nomem(c);
            return NULL;
        }
        if (ov->nsinks)
            memcpy(s, ov->sinks, ov->nsinks * sizeof *s);
        ov->sinks = s;
        ov->nsinks = n;
    }
    if (!ov->sinks[d]) {
        ov->sinks[d] = gql__v_alloc(c, sizeof(osink_t));
        if (!ov->sinks[d])
            return NULL;
        memset(ov->sinks[d], 0, sizeof(osink_t));
        gql__v_buf_init(c, &ov->sinks[d]->msg);
    }
    osink_t *s = ov->sinks[d];
    lc_buf_clear(&s->msg);
    s->count = 0;
    s->msg_done = s->f1_done = s->f2_done = false;
    s->f1[0] = n1;
    s->f2[0] = n2;
    s->n1 = s->n2 = 1;
    return s;
}

static void between_subselections(gql__vctx_t *c, osink_t *out, bool exclusive,
                                  const gql_schema_type_t *p1, const gql_selection_set_t *ss1,
                                  const gql_schema_type_t *p2, const gql_selection_set_t *ss2);

static void simple_conflict(gql__vctx_t *c, osink_t *out, lc_str_t name, const gql_field_t *n1,
                            const gql_field_t *n2) {
    lc_buf_t *b = &c->overlap->tmp;
    if (b->err != LC_OK) {
        gql__v_nomem(c);
        return;
    }
    oview_t v = {name, b->data, b->len, &n1, &n2, 1, 1};
    deliver(c, out, &v);
}

/* graphql-js findConflict: two fields of one response name. */
static void find_conflict(gql__vctx_t *c, osink_t *out, bool parent_exclusive, lc_str_t name,
                          const ofield_t *a, const ofield_t *b) {
    struct gql__voverlap *ov = c->overlap;
    bool exclusive =
        parent_exclusive || (a->parent != b->parent && a->parent && b->parent &&
                             a->parent->kind == GQL_TK_OBJECT && b->parent->kind == GQL_TK_OBJECT);
    const gql_field_t *n1 = a->node, *n2 = b->node;
    const gql_schema_type_t *t1 = a->def ? a->def->type : NULL;
    const gql_schema_type_t *t2 = b->def ? b->def->type : NULL;

    if (!spend(c, 2))
        return;
    if (a->simple_leaf && b->simple_leaf && t1 == t2 && lc_str_eq(n1->name, n2->name))
        return;
    /* Fields that could apply at once must be the same field with the same arguments;
     * fields of different object types never apply at once. The answer is kept per pair. */
    if (!exclusive) {
        uint64_t key = ((uint64_t)a->id << 32) | b->id;
        gql__vpent_t *e = gql__vpmap_find(c, &ov->reasons, key);
        uintptr_t reason;
        bool added;
        if (e) {
            reason = (uintptr_t)e->val;
        } else {
            reason = !lc_str_eq(n1->name, n2->name) ? 2 : same_arguments(c, n1, n2) ? 1 : 3;
            if (gql__v_stop(c))
                return;
            /* graphql-js keeps every answer; only those that cost budget need keeping here */
            if (reason != 2 && n1->arguments.count && n1->arguments.count == n2->arguments.count)
                (void)gql__vpmap_add(c, &ov->reasons, key, (void *)reason, &added);
        }
        if (reason != 1) {
            lc_buf_clear(&ov->tmp);
            if (reason == 2) {
                lc_buf_putc(&ov->tmp, '"');
                append_abbreviated(&ov->tmp, n1->name);
                lc_buf_append_cstr(&ov->tmp, "\" and \"");
                append_abbreviated(&ov->tmp, n2->name);
                lc_buf_append_cstr(&ov->tmp, "\" are different fields");
            } else {
                lc_buf_append_cstr(&ov->tmp, "they have differing arguments");
            }
            simple_conflict(c, out, name, n1, n2);
            return;
        }
    }
    if (t1 && t2 && types_conflict(c, t1, t2)) {
        lc_buf_clear(&ov->tmp);
        lc_buf_printf(&ov->tmp, "they return conflicting types \"%s\" and \"%s\"",
                      gql__v_type_str(c, t1), gql__v_type_str(c, t2));
        simple_conflict(c, out, name, n1, n2);
        return;
    }
    if (gql__v_stop(c) || !n1->selection_set || !n2->selection_set)
        return;
    if (ov->depth >= GQL__VALIDATE_MAX_DEPTH)
        return; /* deeper than any parsed tree: only fragments get here; see the header */
    ov->depth++;
    osink_t *sub = sub_sink(c, n1, n2);
    if (sub)
        between_subselections(c, sub, exclusive, gql_type_named(t1), n1->selection_set,
                              gql_type_named(t2), n2->selection_set);
    ov->depth--;
    if (!sub || sub->count == 0 || gql__v_stop(c))
        return;
    abbreviate(&sub->msg, 0);
    if (sub->msg.err != LC_OK) {
        gql__v_nomem(c);
        return;
    }
    oview_t v = {name, sub->msg.data, sub->msg.len, sub->f1, sub->f2, sub->n1, sub->n2};
    deliver(c, out, &v);
}

/* graphql-js collectConflictsWithin */
static void within(gql__vctx_t *c, osink_t *out, const ofmap_t *m) {
    for (uint32_t k = 0; k < m->nkeys && !gql__v_stop(c); k++) {
        const ofield_t *f = m->fields + m->keys[k].start;
        uint32_t n = m->keys[k].count;
        for (uint32_t i = 0; i < n && !gql__v_stop(c); i++)
            for (uint32_t j = i + 1; j < n && !gql__v_stop(c); j++)
                find_conflict(c, out, false, m->keys[k].name, &f[i], &f[j]);
    }
}

/* graphql-js getOverlappingFields caches the response names two maps share, and meters the
 * work only the first time a pair of maps meets: the pairs met are kept (the names are found
 * again, unmetered, at a later meeting). Returns false when the budget ran out. */
static bool meter_overlap(gql__vctx_t *c, const ofmap_t *m1, const ofmap_t *m2) {
    struct gql__voverlap *ov = c->overlap;
    uint64_t key = ((uint64_t)m1->id << 32) | m2->id;
    bool added;
    if (gql__vpmap_find(c, &ov->overlap, key))
        return true;
    for (uint32_t k = 0; k < m1->nkeys; k++)
        if (!spend(c, 1))
            return false;
    return gql__vpmap_add(c, &ov->overlap, key, (void *)1, &added) != NULL;
}

/* graphql-js collectConflictsBetween */
static void between(gql__vctx_t *c, osink_t *out, bool exclusive, const ofmap_t *m1,
                    const ofmap_t *m2) {
    if (m1->nkeys == 0 || m2->nkeys == 0 || !meter_overlap(c, m1, m2))
        return;
    for (uint32_t k = 0; k < m1->nkeys && !gql__v_stop(c); k++) {
        uint32_t k2 = find_key(c, m2, m1->keys[k].name);
        if (k2 == UINT32_MAX)
            continue;
        const okey_t *a = &m1->keys[k], *b = &m2->keys[k2];
        for (uint32_t x = 0; x < a->count && !gql__v_stop(c); x++)
            for (uint32_t y = 0; y < b->count && !gql__v_stop(c); y++)
                find_conflict(c, out, exclusive, a->name, &m1->fields[a->start + x],
                              &m2->fields[b->start + y]);
    }
}

/* graphql-js collectConflictsBetweenFieldsAndFragment (steps D and E), its recursion over the
 * fragments a fragment spreads on a stack: fragments are taken in the recursion's order, and
 * the budget and the memo are read when one is taken, as when the call starts. */
static void between_fields_and_fragment(gql__vctx_t *c, osink_t *out, bool exclusive,
                                        const ofmap_t *m, uint32_t frag) {
    gql__vvec_t stack = {0};
    if (!GQL__VVEC_PUSH(c, &stack, uint32_t, frag))
        return;
    while (stack.n > 0 && !gql__v_stop(c)) {
        uint32_t f = GQL__VVEC_AT(&stack, uint32_t, --stack.n);
        if (!spend(c, 1) || m->nkeys == 0)
            continue;
        if (f >= c->nfrags || !map_frag_first(c, (ofmap_t *)m, f, exclusive))
            continue; /* an undefined fragment, or compared already */
        const ofmap_t *m2 = fragment_map(c, f);
        if (!m2)
            return;
        if (m == m2) /* a fragment's fields are not compared with themselves */
            continue;
        between(c, out, exclusive, m, m2);                               /* (D) */
        if (!gql__vvec_reserve(c, &stack, sizeof(uint32_t), m2->nfrags)) /* (E) */
            return;
        for (uint32_t i = m2->nfrags; i-- > 0;)
            GQL__VVEC_AT(&stack, uint32_t, stack.n++) = m2->frags[i];
    }
}

/* graphql-js collectConflictsBetweenFragments (steps F and G), its recursion on a stack as
 * above. */
static void between_fragments(gql__vctx_t *c, osink_t *out, bool exclusive, uint32_t f1,
                              uint32_t f2) {
    gql__vvec_t stack = {0};
    if (!GQL__VVEC_PUSH(c, &stack, opair_t, ((opair_t){f1, f2})))
        return;
    while (stack.n > 0 && !gql__v_stop(c)) {
        opair_t p = GQL__VVEC_AT(&stack, opair_t, --stack.n);
        if (!spend(c, 2) || p.a == p.b || p.a >= c->nfrags || p.b >= c->nfrags ||
            !frag_pair_first(c, p.a, p.b, exclusive))
            continue;
        const ofmap_t *m1 = fragment_map(c, p.a);
        const ofmap_t *m2 = fragment_map(c, p.b);
        if (!m1 || !m2)
            return;
        between(c, out, exclusive, m1, m2); /* (F) */
        /* (G) (a, each fragment of b), then (each fragment of a, b): pushed in reverse */
        if (!gql__vvec_reserve(c, &stack, sizeof(opair_t), m1->nfrags + m2->nfrags))
            return;
        for (uint32_t i = m1->nfrags; i-- > 0;)
            GQL__VVEC_AT(&stack, opair_t, stack.n++) = (opair_t){m1->frags[i], p.b};
        for (uint32_t i = m2->nfrags; i-- > 0;)
            GQL__VVEC_AT(&stack, opair_t, stack.n++) = (opair_t){p.a, m2->frags[i]};
    }
}

/* graphql-js findConflictsBetweenSubSelectionSets (steps H, I, J) */
static void between_subselections(gql__vctx_t *c, osink_t *out, bool exclusive,
                                  const gql_schema_type_t *p1, const gql_selection_set_t *ss1,
                                  const gql_schema_type_t *p2, const gql_selection_set_t *ss2) {
    const ofmap_t *m1 = field_map(c, p1, ss1);
    const ofmap_t *m2 = m1 ? field_map(c, p2, ss2) : NULL;

    if (!m1 || !m2)
        return;
    between(c, out, exclusive, m1, m2);                          /* (H) */
    for (uint32_t i = 0; i < m2->nfrags && !gql__v_stop(c); i++) /* (I) */
        between_fields_and_fragment(c, out, exclusive, m1, m2->frags[i]);
    for (uint32_t i = 0; i < m1->nfrags && !gql__v_stop(c); i++)
        between_fields_and_fragment(c, out, exclusive, m2, m1->frags[i]);
    for (uint32_t i = 0; i < m1->nfrags && !gql__v_stop(c); i++) /* (J) */
        for (uint32_t j = 0; j < m2->nfrags && !gql__v_stop(c); j++)
            between_fragments(c, out, exclusive, m1->frags[i], m2->frags[j]);
}

/* graphql-js findConflictsWithinSelectionSet (steps A, B, C) */
static void find_within(gql__vctx_t *c, osink_t *out, const gql_schema_type_t *parent,
                        const gql_selection_set_t *ss) {
    const ofmap_t *m = field_map(c, parent, ss);

    if (!m)
        return;
    within(c, out, m); /* (A) */
    /* fragments are compared with fields or with another fragment */
    if (m->nfrags == 0 || (m->nkeys == 0 && m->nfrags < 2))
        return;
    for (uint32_t i = 0; i < m->nfrags && !gql__v_stop(c); i++) {
        between_fields_and_fragment(c, out, false, m, m->frags[i]);     /* (B) */
        for (uint32_t j = i + 1; j < m->nfrags && !gql__v_stop(c); j++) /* (C) */
            between_fragments(c, out, false, m->frags[i], m->frags[j]);
    }
}

/* ---- The rule
 * -------------------------------------------------------------------------------------- */

static bool init(gql__vctx_t *c) {
    struct gql__voverlap *ov = gql__v_alloc(c, sizeof *ov);
    if (!ov)
        return false;
    memset(ov, 0, sizeof *ov);
    ov->budget = BUDGET;
    ov->words = (c->nfrags + 63) / 64;
    ov->frag_maps = lc_arena_calloc(c->arena, c->nfrags ? c->nfrags : 1, sizeof *ov->frag_maps);
    if (!ov->frag_maps)
        return gql__v_nomem(c);
    gql__v_buf_init(c, &ov->tmp);
    c->overlap = ov;
    return true;
}

void gql__vr_overlapping_fields(gql__vctx_t *c, const gql_selection_set_t *ss, bool in_inline) {
    /* graphql-js 16.15: an inline fragment's fields belong to the enclosing selection set,
     * which compares them; a lone field or spread has nothing to be compared with */
    if (in_inline ||
        (ss->selections.count <= 1 &&
         (ss->selections.count == 0 || ss->selections.items[0]->node.kind != GQL_INLINE_FRAGMENT)))
        return;
    if (!c->overlap && !init(c))
        return;
    /* conflicts past the errors still allowed are counted, not kept: validation aborts at
     * the first of them */
    osink_t out;
    memset(&out, 0, sizeof out);
    out.top = true;
    out.cap = c->max_errors - c->nerrors + 1;
    find_within(c, &out, c->ti.parent_type, ss);
    const oconflict_t *v = out.list.items;
    for (uint32_t i = 0; i < out.list.n && !gql__v_stop(c); i++) {
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t nl = 0;
        lc_buf_t b;
        for (uint32_t k = 0; k < v[i].n1 && nl < GQL_DIAG_MAX_LOCATIONS; k++)
            locs[nl++] = v[i].f1[k]->loc;
        for (uint32_t k = 0; k < v[i].n2 && nl < GQL_DIAG_MAX_LOCATIONS; k++)
            locs[nl++] = v[i].f2[k]->loc;
        gql__v_buf_init(c, &b);
        lc_buf_append_cstr(&b, "Fields \"");
        append_abbreviated(&b, v[i].name);
        lc_buf_append_cstr(&b, "\" conflict because ");
        lc_buf_append(&b, v[i].reason, v[i].reason_len);
        lc_buf_append_cstr(&b, ". Use different aliases on the fields to fetch both if this was "
                               "intentional.");
        const char *msg = gql__v_buf_cstr(c, &b);
        if (msg)
            gql__v_report(c, locs, nl, "%s", msg);
    }
}
