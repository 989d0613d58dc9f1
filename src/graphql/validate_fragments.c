/* SPDX-License-Identifier: MIT */
/* Fragments across the document: the index of fragment definitions and the spreads they hold
 * (graphql-js ValidationContext: getFragment, getFragmentSpreads, the fragments operations
 * reach, variable usages), and the rules that follow spreads: no cycles (Oct 2021 §5.5.2.2),
 * every fragment used (§5.5.1.4), a subscription's single root field (§5.2.3.1), and
 * graphql-js's MaxIntrospectionDepth. As in graphql-js 16.15, following fragments is metered
 * by a work budget that aborts validation when spent, and the fragments an operation reaches
 * come breadth first. Every traversal that follows spreads uses an explicit stack: a chain of
 * fragments is as long as the document allows, and the C stack must not be. */
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"

#define S(x) (int)(x).len, (x).ptr

/* ---- Index ------------------------------------------------------------------------------------
 */

void gql__v_index_fragments(gql__vctx_t *c) {
    const gql_document_t *doc = c->doc;
    uint32_t n = 0;
    bool added;

    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        gql_kind_t k = doc->definitions.items[i]->node.kind;
        n += k == GQL_FRAGMENT_DEFINITION;
        c->noperations += k == GQL_OPERATION_DEFINITION;
    }
    c->frag_work = 50000;
    c->frags = gql__v_alloc(c, (size_t)(n ? n : 1) * sizeof *c->frags);
    if (!c->frags)
        return;
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        if (def->node.kind != GQL_FRAGMENT_DEFINITION)
            continue;
        gql__vsent_t *e = gql__vsmap_add(c, &c->frag_ids, def->fragment.name, c->nfrags, &added);
        if (!e)
            return;
        if (added) {
            memset(&c->frags[c->nfrags], 0, sizeof c->frags[0]);
            c->frags[c->nfrags].name = def->fragment.name;
            c->frags[c->nfrags].cyc_index = -1;
            c->frags[c->nfrags].mid_checked = c->frags[c->nfrags].mid_exceeded = -1;
            c->nfrags++;
        }
        c->frags[e->val].def = &def->fragment; /* the last definition of a name wins */
    }
    for (uint32_t i = 0; i < c->nfrags; i++)
        c->frags[i].type = gql__v_type_from_ast(c, c->frags[i].def->type_condition);
}

gql__vfrag_t *gql__v_fragment(const gql__vctx_t *c, lc_str_t name) {
    const gql__vsent_t *e = gql__vsmap_find(c, &c->frag_ids, name);
    return e ? &c->frags[e->val] : NULL;
}

/* ---- Spreads ----------------------------------------------------------------------------------
 */

bool gql__v_spreads_of(gql__vctx_t *c, const gql_selection_set_t *ss, gql__vvec_t *out) {
    gql__vvec_t sets = {0};
    /* graphql-js's order: a set's spreads in order, nested sets last in, first out */
    if (!GQL__VVEC_PUSH(c, &sets, const gql_selection_set_t *, ss))
        return false;
    while (sets.n > 0) {
        const gql_selection_set_t *set = GQL__VVEC_AT(&sets, const gql_selection_set_t *, --sets.n);
        for (uint32_t i = 0; i < set->selections.count; i++) {
            const gql_selection_t *sel = set->selections.items[i];
            bool ok = true;
            if (sel->node.kind == GQL_FRAGMENT_SPREAD)
                ok = GQL__VVEC_PUSH(c, out, const gql_fragment_spread_t *, &sel->spread);
            else if (sel->node.kind == GQL_FIELD && sel->field.selection_set)
                ok =
                    GQL__VVEC_PUSH(c, &sets, const gql_selection_set_t *, sel->field.selection_set);
            else if (sel->node.kind == GQL_INLINE_FRAGMENT)
                ok = GQL__VVEC_PUSH(c, &sets, const gql_selection_set_t *,
                                    sel->inline_fragment.selection_set);
            if (!ok)
                return false;
        }
    }
    return true;
}

bool gql__v_fragment_spreads(gql__vctx_t *c, gql__vfrag_t *f) {
    if (f->spreads_done)
        return true;
    gql__vvec_t v = {0};
    if (!gql__v_spreads_of(c, f->def->selection_set, &v))
        return false;
    f->spreads = v.items;
    f->nspreads = v.n;
    f->spreads_done = true;
    return true;
}

uint32_t gql__v_name_id(gql__vctx_t *c, lc_str_t name) {
    const gql__vfrag_t *f = gql__v_fragment(c, name);
    bool added;
    if (f)
        return (uint32_t)(f - c->frags);
    gql__vsent_t *e =
        gql__vsmap_add(c, &c->undefined_ids, name, c->nfrags + c->undefined_ids.count, &added);
    return e ? e->val : UINT32_MAX;
}

bool gql__v_spend_fragment_work(gql__vctx_t *c, uint32_t cost) {
    c->frag_work -= cost;
    if (c->frag_work < 0) {
        gql__v_abort(c);
        return false;
    }
    return true;
}

/* An ordered set of name ids (Set semantics: first insertion wins). */
typedef struct {
    gql__vvec_t ids; /* uint32_t */
    gql__vpmap_t seen;
} idset_t;

static bool idset_add(gql__vctx_t *c, idset_t *s, uint32_t id) {
    bool added;
    if (id == UINT32_MAX || !gql__vpmap_add(c, &s->seen, (uint64_t)id + 1, NULL, &added))
        return false;
    return !added || GQL__VVEC_PUSH(c, &s->ids, uint32_t, id);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

gql__vrefs_t *gql__v_referenced_fragments(gql__vctx_t *c,
                                          const gql_operation_definition_t *const *ops,
                                          uint32_t nops) {
    idset_t names = {{0}, {0}};
    gql__vrefs_t *r;

    for (uint32_t i = 0; i < nops; i++) {
        gql__vvec_t spreads = {0};
        if (!gql__v_spreads_of(c, ops[i]->selection_set, &spreads))
            return NULL;
        for (uint32_t k = 0; k < spreads.n; k++)
            if (!idset_add(c, &names,
                           gql__v_name_id(
                               c, GQL__VVEC_AT(&spreads, const gql_fragment_spread_t *, k)->name)))
                return NULL;
    }
    /* graphql-js's SetMap: the same names in any order are the same key */
    uint32_t *sorted = gql__v_alloc(c, (size_t)(names.ids.n ? names.ids.n : 1) * sizeof *sorted);
    if (!sorted)
        return NULL;
    if (names.ids.n)
        memcpy(sorted, names.ids.items, (size_t)names.ids.n * sizeof *sorted);
    qsort(sorted, names.ids.n, sizeof *sorted, cmp_u32);
    for (r = c->refs; r; r = r->next)
        if (r->nids == names.ids.n &&
            (r->nids == 0 || memcmp(r->ids, sorted, r->nids * sizeof *sorted) == 0))
            return r;

    r = gql__v_alloc(c, sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->ids = sorted;
    r->nids = names.ids.n;
    if (!gql__v_spend_fragment_work(c, names.ids.n))
        return NULL;
    /* breadth first: the set grows while it is read */
    gql__vvec_t frags = {0};
    for (uint32_t k = 0; k < names.ids.n; k++) {
        uint32_t id = GQL__VVEC_AT(&names.ids, uint32_t, k);
        if (id >= c->nfrags)
            continue; /* never defined */
        gql__vfrag_t *f = &c->frags[id];
        if (!GQL__VVEC_PUSH(c, &frags, gql__vfrag_t *, f) || !gql__v_fragment_spreads(c, f) ||
            !gql__v_spend_fragment_work(c, f->nspreads))
            return NULL;
        for (uint32_t i = 0; i < f->nspreads; i++)
            if (!idset_add(c, &names, gql__v_name_id(c, f->spreads[i]->name)))
                return NULL;
    }
    r->frags = frags.items;
    r->nfrags = frags.n;
    r->next = c->refs;
    c->refs = r;
    return r;
}

/* ---- Variable usages ---------------------------------------------------------------------------
 */

/* graphql-js getVariableUsages of a fragment definition, cached. */
static bool fragment_usages(gql__vctx_t *c, gql__vfrag_t *f) {
    if (f->usages_done)
        return true;
    gql__vvec_t v = {0};
    gql__v_collect_usages(c, (const gql_definition_t *)(const void *)f->def, &v);
    if (c->status != LC_OK)
        return false;
    f->usages = v.items;
    f->nusages = v.n;
    f->usages_done = true;
    return true;
}

bool gql__v_recursive_usages(gql__vctx_t *c, const gql_operation_definition_t *op,
                             gql__vvec_t *out) {
    gql__vrefs_t *r = gql__v_referenced_fragments(c, &op, 1);
    if (!r)
        return false;
    if (!r->usages_done) {
        gql__vvec_t all = {0};
        if (!gql__v_spend_fragment_work(c, r->nfrags))
            return false;
        for (uint32_t i = 0; i < r->nfrags; i++) {
            gql__vfrag_t *f = r->frags[i];
            if (!fragment_usages(c, f) || !gql__v_spend_fragment_work(c, f->nusages))
                return false;
            if (f->nusages == 0)
                continue;
            if (!gql__vvec_reserve(c, &all, sizeof(gql__vusage_t), f->nusages))
                return false;
            memcpy((gql__vusage_t *)all.items + all.n, f->usages,
                   (size_t)f->nusages * sizeof(gql__vusage_t));
            all.n += f->nusages;
        }
        r->usages = all.items;
        r->nusages = all.n;
        r->usages_done = true;
    }
    if (!gql__v_spend_fragment_work(c, r->nusages))
        return false;
    gql__v_collect_usages(c, (const gql_definition_t *)(const void *)op, out);
    if (c->status != LC_OK || !gql__vvec_reserve(c, out, sizeof(gql__vusage_t), r->nusages))
        return false;
    if (r->nusages)
        memcpy((gql__vusage_t *)out->items + out->n, r->usages,
               (size_t)r->nusages * sizeof(gql__vusage_t));
    out->n += r->nusages;
    return true;
}

/* ---- §5.5.2.2 Fragment spreads must not form cycles ------------------------------------------ */

typedef struct {
    gql__vfrag_t *frag;
    const gql_fragment_spread_t **spreads;
    uint32_t n, i;
} cyc_frame_t;

static void report_cycle(gql__vctx_t *c, const gql_fragment_spread_t *const *path, uint32_t n,
                         lc_str_t name) {
    gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
    uint32_t nl = 0;
    lc_buf_t b;

    gql__v_buf_init(c, &b);
    lc_buf_printf(&b, "Cannot spread fragment \"%.*s\" within itself", S(name));
    for (uint32_t i = 0; i + 1 < n; i++)
        lc_buf_printf(&b, "%s\"%.*s\"", i ? ", " : " via ", S(path[i]->name));
    lc_buf_putc(&b, '.');
    for (uint32_t i = 0; i < n && nl < GQL_DIAG_MAX_LOCATIONS; i++)
        locs[nl++] = path[i]->loc;
    const char *msg = gql__v_buf_cstr(c, &b);
    if (msg)
        gql__v_report(c, locs, nl, "%s", msg);
}

/* graphql-js detectCycleRecursive, with the recursion on an explicit stack. visitedFrags,
 * spreadPath and spreadPathIndexByName live across the whole document. */
void gql__vr_no_fragment_cycles(gql__vctx_t *c, const gql_fragment_definition_t *def) {
    gql__vfrag_t *f = gql__v_fragment(c, def->name);
    gql__vvec_t frames = {0}, path = {0};
    cyc_frame_t top;

    if (!f || f->cyc_visited)
        return;
    f->cyc_visited = true;
    if (def == f->def) {
        if (!gql__v_fragment_spreads(c, f))
            return;
        top = (cyc_frame_t){f, f->spreads, f->nspreads, 0};
    } else {
        /* an earlier definition of a duplicated name: its own spreads */
        gql__vvec_t v = {0};
        if (!gql__v_spreads_of(c, def->selection_set, &v))
            return;
        top = (cyc_frame_t){f, v.items, v.n, 0};
    }
    if (top.n == 0)
        return;
    f->cyc_index = 0;
    if (!GQL__VVEC_PUSH(c, &frames, cyc_frame_t, top))
        return;
    while (frames.n > 0 && !gql__v_stop(c)) {
        cyc_frame_t *t = &GQL__VVEC_AT(&frames, cyc_frame_t, frames.n - 1);
        if (t->i == t->n) {
            t->frag->cyc_index = -1;
            frames.n--;
            if (frames.n > 0)
                path.n--; /* the spread that led into the finished fragment */
            continue;
        }
        const gql_fragment_spread_t *s = t->spreads[t->i++];
        gql__vfrag_t *sf = gql__v_fragment(c, s->name);
        if (!GQL__VVEC_PUSH(c, &path, const gql_fragment_spread_t *, s))
            return;
        if (sf && sf->cyc_index >= 0) {
            const gql_fragment_spread_t **p = path.items;
            report_cycle(c, p + sf->cyc_index, path.n - (uint32_t)sf->cyc_index, s->name);
        } else if (sf && !sf->cyc_visited) {
            sf->cyc_visited = true;
            if (!gql__v_fragment_spreads(c, sf))
                return;
            if (sf->nspreads > 0) {
                sf->cyc_index = (int32_t)path.n;
                if (!GQL__VVEC_PUSH(c, &frames, cyc_frame_t,
                                    ((cyc_frame_t){sf, sf->spreads, sf->nspreads, 0})))
                    return;
                continue; /* the spread stays on the path while sf is explored */
            }
        }
        path.n--;
    }
}

/* ---- §5.5.1.4 Fragments Must Be Used ----------------------------------------------------------
 */

void gql__vr_no_unused_fragments(gql__vctx_t *c) {
    const gql_document_t *doc = c->doc;
    gql__vrefs_t *r = gql__v_referenced_fragments(
        c, (const gql_operation_definition_t *const *)c->operations.items, c->operations.n);
    bool *used = gql__v_alloc(c, (size_t)(c->nfrags ? c->nfrags : 1) * sizeof *used);
    if (!r || !used)
        return;
    memset(used, 0, (size_t)(c->nfrags ? c->nfrags : 1) * sizeof *used);
    for (uint32_t i = 0; i < r->nfrags; i++)
        used[r->frags[i] - c->frags] = true;
    for (uint32_t i = 0; i < doc->definitions.count && !gql__v_stop(c); i++) {
        const gql_definition_t *def = doc->definitions.items[i];
        if (def->node.kind != GQL_FRAGMENT_DEFINITION)
            continue;
        const gql__vfrag_t *f = gql__v_fragment(c, def->fragment.name);
        if (f && used[f - c->frags])
            continue;
        gql__v_report(c, &def->node.loc, 1, "Fragment \"%.*s\" is never used.",
                      S(def->fragment.name));
    }
}

/* ---- §5.2.3.1 Single root field ----------------------------------------------------------------
 */

/* graphql-js shouldIncludeNode with no variables: @skip(if: true) and @include(if: false)
 * leave a selection out. Where getArgumentValues cannot tell (a variable, a missing or invalid
 * `if`), graphql-js throws its error out of validate(); here it is reported and validation
 * stops. Returns 1 to include, 0 to leave out, -1 after such an error. */
static int directive_if(gql__vctx_t *c, const gql_directive_list_t *dirs, const char *name) {
    const gql_directive_t *d = NULL;
    const gql_argument_t *arg = NULL;
    for (uint32_t i = 0; i < dirs->count && !d; i++)
        if (lc_str_eq_cstr(dirs->items[i]->name, name))
            d = dirs->items[i];
    if (!d)
        return -2; /* no such directive */
    for (uint32_t k = 0; k < d->arguments.count; k++)
        if (lc_str_eq_cstr(d->arguments.items[k]->name, "if"))
            arg = d->arguments.items[k]; /* the last, as keyMap keeps */
    if (!arg) {
        gql__v_report(c, &d->loc, 1,
                      "Argument \"if\" of required type \"Boolean!\" was not provided.");
    } else if (arg->value->kind == GQL_VARIABLE) {
        gql__v_report(c, &arg->value->loc, 1,
                      "Argument \"if\" of required type \"Boolean!\" was provided the variable "
                      "\"$%.*s\" which was not provided a runtime value.",
                      S(arg->value->name));
    } else if (arg->value->kind == GQL_NULL_VALUE) {
        gql__v_report(c, &arg->value->loc, 1,
                      "Argument \"if\" of non-null type \"Boolean!\" must not be null.");
    } else if (arg->value->kind != GQL_BOOLEAN_VALUE) {
        gql__v_report(c, &arg->value->loc, 1, "Argument \"if\" has invalid value %s.",
                      gql__v_value_str(c, arg->value));
    } else {
        return arg->value->boolean;
    }
    c->aborted = true;
    return -1;
}

static int included(gql__vctx_t *c, const gql_directive_list_t *dirs) {
    int skip = directive_if(c, dirs, "skip");
    if (skip == -1)
        return -1;
    if (skip == 1)
        return 0;
    int include = directive_if(c, dirs, "include");
    if (include == -1)
        return -1;
    return include != 0;
}

/* SingleFieldSubscriptions' reserveSelectionSetWork (graphql-js 16.15) */
static bool reserve_set_work(gql__vctx_t *c, const gql_selection_set_t *ss) {
    if (!gql__v_spend_fragment_work(c, ss->selections.count))
        return false;
    for (uint32_t i = 0; i < ss->selections.count; i++) {
        const gql_selection_t *sel = ss->selections.items[i];
        const gql_directive_list_t *dirs = sel->node.kind == GQL_FIELD ? &sel->field.directives
                                           : sel->node.kind == GQL_FRAGMENT_SPREAD
                                               ? &sel->spread.directives
                                               : &sel->inline_fragment.directives;
        if (!gql__v_spend_fragment_work(c, dirs->count))
            return false;
        for (uint32_t k = 0; k < dirs->count; k++) {
            lc_str_t n = dirs->items[k]->name;
            if ((lc_str_eq_cstr(n, "skip") || lc_str_eq_cstr(n, "include")) &&
                !gql__v_spend_fragment_work(c, dirs->items[k]->arguments.count))
                return false;
        }
    }
    return true;
}

static bool condition_matches(gql__vctx_t *c, const gql_type_t *cond,
                              const gql_schema_type_t *type) {
    if (!cond)
        return true;
    const gql_schema_type_t *t = gql__v_type_from_ast(c, cond);
    if (t == type)
        return true;
    return gql__v_is_abstract(t) && gql__v_is_possible(c, t, type);
}

typedef struct {
    const gql_selection_set_t *set;
    uint32_t i;
} set_frame_t;

typedef struct {
    const gql_field_t *field;
    uint32_t next; /* next field of the same response key */
} sub_field_t;

void gql__vr_single_field_subscription(gql__vctx_t *c, const gql_operation_definition_t *op) {
    const gql_schema_type_t *root = c->schema->subscription;
    gql__vvec_t stack = {0}, fields = {0}, heads = {0}, tails = {0};
    gql__vsmap_t keys = {0};
    uint32_t epoch = ++c->mark_epoch;
    bool added;

    if (op->operation != GQL_OP_SUBSCRIPTION || !root)
        return;
    /* graphql-js indexes the fragments once, metered */
    if (!c->sub_fragments_done) {
        c->sub_fragments_done = true;
        if (!gql__v_spend_fragment_work(c, c->doc->definitions.count))
            return;
    }
    /* graphql-js collectFields over the root selection set */
    if (!reserve_set_work(c, op->selection_set) ||
        !GQL__VVEC_PUSH(c, &stack, set_frame_t, ((set_frame_t){op->selection_set, 0})))
        return;
    while (stack.n > 0 && !gql__v_stop(c)) {
        set_frame_t *t = &GQL__VVEC_AT(&stack, set_frame_t, stack.n - 1);
        if (t->i == t->set->selections.count) {
            stack.n--;
            continue;
        }
        const gql_selection_t *sel = t->set->selections.items[t->i++];
        const gql_selection_set_t *next = NULL;
        int inc;
        if (sel->node.kind == GQL_FIELD) {
            const gql_field_t *f = &sel->field;
            if ((inc = included(c, &f->directives)) <= 0) {
                if (inc < 0)
                    return;
                continue;
            }
            lc_str_t key = f->alias.ptr ? f->alias : f->name;
            gql__vsent_t *e = gql__vsmap_add(c, &keys, key, heads.n, &added);
            if (!e)
                return;
            uint32_t idx = fields.n;
            if (!GQL__VVEC_PUSH(c, &fields, sub_field_t, ((sub_field_t){f, UINT32_MAX})))
                return;
            if (added) {
                if (!GQL__VVEC_PUSH(c, &heads, uint32_t, idx) ||
                    !GQL__VVEC_PUSH(c, &tails, uint32_t, idx))
                    return;
            } else {
                uint32_t *tail = &GQL__VVEC_AT(&tails, uint32_t, e->val);
                GQL__VVEC_AT(&fields, sub_field_t, *tail).next = idx;
                *tail = idx;
            }
        } else if (sel->node.kind == GQL_INLINE_FRAGMENT) {
            const gql_inline_fragment_t *f = &sel->inline_fragment;
            if ((inc = included(c, &f->directives)) <= 0) {
                if (inc < 0)
                    return;
                continue;
            }
            if (!condition_matches(c, f->type_condition, root))
                continue;
            next = f->selection_set;
        } else if (sel->node.kind == GQL_FRAGMENT_SPREAD) {
            const gql_fragment_spread_t *s = &sel->spread;
            gql__vfrag_t *fr = gql__v_fragment(c, s->name);
            /* visitedFragmentNames holds undefined names too, to no effect */
            if (fr && fr->mark == epoch)
                continue;
            if ((inc = included(c, &s->directives)) <= 0) {
                if (inc < 0)
                    return;
                continue;
            }
            if (!fr)
                continue;
            fr->mark = epoch;
            if (!condition_matches(c, fr->def->type_condition, root))
                continue;
            next = fr->def->selection_set;
        }
        if (next && (!reserve_set_work(c, next) ||
                     !GQL__VVEC_PUSH(c, &stack, set_frame_t, ((set_frame_t){next, 0}))))
            return;
    }
    if (gql__v_stop(c))
        return;

    const sub_field_t *fv = fields.items;
    if (heads.n > 1) {
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t nl = 0;
        for (uint32_t g = 1; g < heads.n && nl < GQL_DIAG_MAX_LOCATIONS; g++)
            for (uint32_t k = GQL__VVEC_AT(&heads, uint32_t, g);
                 k != UINT32_MAX && nl < GQL_DIAG_MAX_LOCATIONS; k = fv[k].next)
                locs[nl++] = fv[k].field->loc;
        if (op->name.ptr)
            gql__v_report(c, locs, nl,
                          "Subscription \"%.*s\" must select only one top level field.",
                          S(op->name));
        else
            gql__v_report(c, locs, nl,
                          "Anonymous Subscription must select only one top level field.");
    }
    for (uint32_t g = 0; g < heads.n && !gql__v_stop(c); g++) {
        uint32_t h = GQL__VVEC_AT(&heads, uint32_t, g);
        lc_str_t name = fv[h].field->name;
        if (name.len < 2 || name.ptr[0] != '_' || name.ptr[1] != '_')
            continue;
        gql_loc_t locs[GQL_DIAG_MAX_LOCATIONS];
        uint32_t nl = 0;
        for (uint32_t k = h; k != UINT32_MAX && nl < GQL_DIAG_MAX_LOCATIONS; k = fv[k].next)
            locs[nl++] = fv[k].field->loc;
        if (op->name.ptr)
            gql__v_report(c, locs, nl,
                          "Subscription \"%.*s\" must not select an introspection top level field.",
                          S(op->name));
        else
            gql__v_report(c, locs, nl,
                          "Anonymous Subscription must not select an introspection top level "
                          "field.");
    }
}

/* ---- MaxIntrospectionDepth (graphql-js, not in the spec) ------------------------------------- */

/* graphql-js 16.15 counts the introspection list fields on a path below __schema or __type and
 * rejects three, following spreads; its memo per fragment (entry depths that completed below
 * the limit, that reached it, that are being visited) keeps that polynomial. The same here,
 * with its recursion on an explicit stack. */

#define MID_MAX 3

static bool is_list_name(lc_str_t n) {
    return lc_str_eq_cstr(n, "fields") || lc_str_eq_cstr(n, "interfaces") ||
           lc_str_eq_cstr(n, "possibleTypes") || lc_str_eq_cstr(n, "inputFields");
}

typedef struct {
    const gql_selection_set_t *set;
    uint32_t i;
    int8_t depth;
    int32_t frag; /* the fragment whose selection this is, or -1 */
} mid_frame_t;

/* graphql-js checkDepth from a __schema or __type field. */
static bool mid_check(gql__vctx_t *c, const gql_field_t *root) {
    gql__vvec_t stack = {0};
    uint32_t epoch = ++c->mark_epoch;

    if (!root->selection_set ||
        !GQL__VVEC_PUSH(c, &stack, mid_frame_t, ((mid_frame_t){root->selection_set, 0, 0, -1})))
        return false;
    while (stack.n > 0) {
        mid_frame_t *t = &GQL__VVEC_AT(&stack, mid_frame_t, stack.n - 1);
        if (t->i == t->set->selections.count) {
            if (t->frag >= 0) /* completed below the limit */
                c->frags[t->frag].mid_checked = t->depth;
            stack.n--;
            continue;
        }
        const gql_selection_t *sel = t->set->selections.items[t->i++];
        int8_t depth = t->depth;
        mid_frame_t next = {NULL, 0, depth, -1};
        if (sel->node.kind == GQL_FIELD) {
            if (is_list_name(sel->field.name) && ++depth >= MID_MAX)
                goto exceeded;
            next.set = sel->field.selection_set;
            next.depth = depth;
        } else if (sel->node.kind == GQL_INLINE_FRAGMENT) {
            next.set = sel->inline_fragment.selection_set;
        } else {
            gql__vfrag_t *f = gql__v_fragment(c, sel->spread.name);
            if (!f)
                continue; /* KnownFragmentNames reports it */
            if (f->mid_exceeded >= 0 && f->mid_exceeded <= depth)
                goto exceeded;
            if ((f->mid_epoch == epoch && f->mid_visited >= depth) || f->mid_checked >= depth)
                continue; /* a cycle, or checked already at this depth */
            f->mid_epoch = epoch;
            f->mid_visited = depth;
            next.set = f->def->selection_set;
            next.frag = (int32_t)(f - c->frags);
        }
        if (next.set && !GQL__VVEC_PUSH(c, &stack, mid_frame_t, next))
            return false;
    }
    return false;
exceeded:
    /* every fragment being checked reached the limit at its entry depth */
    for (uint32_t i = stack.n; i-- > 0;) {
        const mid_frame_t *t = &GQL__VVEC_AT(&stack, mid_frame_t, i);
        if (t->frag >= 0)
            c->frags[t->frag].mid_exceeded = t->depth;
    }
    return true;
}

bool gql__vr_max_introspection_depth(gql__vctx_t *c, const gql_field_t *f) {
    if (!lc_str_eq_cstr(f->name, "__schema") && !lc_str_eq_cstr(f->name, "__type"))
        return false;
    if (!mid_check(c, f))
        return false;
    gql__v_report(c, &f->loc, 1, "Maximum introspection depth exceeded");
    return true;
}
