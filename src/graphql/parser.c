/* SPDX-License-Identifier: MIT */
/* The GraphQL parser (Oct 2021 §2 and §3, grammar summary in Appendix B): recursive descent
 * over the lexer's tokens, building the AST of gql/ast.h in the caller's arena. First step of
 * every request (text -> document -> validate -> execute) and of loading the schema.
 *
 * Each parse function opens with the grammar rule it implements. A function returns its node,
 * or NULL after recording the first failure in the parser (later failures never overwrite it);
 * there is nothing to release on failure, as everything lives in the arena, so functions
 * return early instead of jumping to a cleanup label. Children are collected on a scratch
 * stack and copied into an exact-size arena array when their list closes. Nesting depth and
 * the token count are checked as the parse goes, so no input can exhaust the C stack. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "graphql_int.h"

static const char *const kind_names[] = {
#define GQL_X(kind, name) name,
    GQL_KIND_LIST(GQL_X)
#undef GQL_X
};

const char *gql_kind_name(gql_kind_t kind) {
    return (unsigned)kind < GQL_KIND_COUNT ? kind_names[kind] : "Unknown";
}

#define STACK_INLINE 256

typedef struct parser {
    gql__lexer_t lx;
    gql__token_t tok; /* the current token */
    const char *src;  /* borrowed */
    size_t len;
    lc_arena_t *arena; /* borrowed */
    gql_error_t *err;  /* borrowed, may be NULL */
    int status;        /* LC_OK, or the first failure */
    uint32_t tokens, max_tokens;
    uint32_t depth, max_depth;
    void **stack; /* scratch stack of children being collected: inline, then arena */
    uint32_t sp, cap;
    void *stack_inline[STACK_INLINE];
} parser_t;

/* ---- Failures ---------------------------------------------------------------------------- */

/* After a failure the current token reads as <EOF>, so that every loop ends and every caller
 * returns; the entry points report p->status. */
static void failed(parser_t *p, int status) {
    if (p->status == LC_OK)
        p->status = status;
    p->tok.kind = GQL__TOK_EOF;
}

static void *syntax_error(parser_t *p, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void *syntax_error(parser_t *p, uint32_t offset, const char *fmt, ...) {
    if (p->status == LC_OK && p->err) {
        char msg[GQL_ERROR_MESSAGE_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        gql__error_at(p->err, p->src, p->len, offset, "%s", msg);
    }
    failed(p, LC_EINVAL);
    return NULL;
}

static void *limit_error(parser_t *p, gql_parse_limit_t which, uint32_t offset, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));
static void *limit_error(parser_t *p, gql_parse_limit_t which, uint32_t offset, const char *fmt,
                         ...) {
    if (p->status == LC_OK && p->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
        va_end(ap);
        p->err->loc = gql_loc_at(p->src, p->len, offset);
        p->err->limit = which;
    }
    failed(p, LC_ELIMIT);
    return NULL;
}

static void *oom(parser_t *p) {
    if (p->status == LC_OK && p->err) {
        snprintf(p->err->message, sizeof p->err->message, "Out of memory while parsing.");
        p->err->loc = (gql_loc_t){0, 0, 0};
        p->err->limit = GQL_PARSE_LIMIT_NONE;
    }
    failed(p, LC_ENOMEM);
    return NULL;
}

/* Room for a token's description in a message: what "Syntax Error: " and the longest wording
 * around a description leave of GQL_ERROR_MESSAGE_MAX. */
#define DESC_MAX (GQL_ERROR_MESSAGE_MAX - 80)

/* "Unexpected Name \"foo\"." at token t. */
static void *unexpected(parser_t *p, const gql__token_t *t) {
    char desc[DESC_MAX];
    gql__token_desc(p->src, t, desc, sizeof desc);
    return syntax_error(p, t->start, "Unexpected %s.", desc);
}

/* ---- Tokens ------------------------------------------------------------------------------ */

static bool advance(parser_t *p) {
    if (p->status != LC_OK)
        return false;
    int rc = gql__lex(&p->lx, &p->tok, p->err);
    if (rc != LC_OK) {
        failed(p, rc);
        return false;
    }
    if (p->tok.kind != GQL__TOK_EOF && ++p->tokens > p->max_tokens) {
        limit_error(p, GQL_PARSE_LIMIT_TOKENS, p->tok.start,
                    "Document exceeds the limit of %lu tokens.", (unsigned long)p->max_tokens);
        return false;
    }
    return true;
}

/* The token after the current one, without consuming anything. */
static bool lookahead(parser_t *p, gql__token_t *t) {
    if (p->status != LC_OK)
        return false;
    gql__lexer_t saved = p->lx;
    int rc = gql__lex(&p->lx, t, p->err);
    p->lx = saved;
    if (rc != LC_OK) {
        failed(p, rc);
        return false;
    }
    return true;
}

static inline bool peek(const parser_t *p, gql__token_kind_t kind) {
    return p->tok.kind == kind;
}

static bool token_is(const parser_t *p, const gql__token_t *t, const char *word, size_t n) {
    return t->kind == GQL__TOK_NAME && t->end - t->start == n &&
           memcmp(p->src + t->start, word, n) == 0;
}
#define TOKEN_IS(p, t, lit) token_is((p), (t), (lit), sizeof(lit) - 1)
#define PEEK_KEYWORD(p, lit) TOKEN_IS((p), &(p)->tok, lit)

/* Consumes a token of `kind`, or fails with "Expected ..., found ...". */
static bool expect(parser_t *p, gql__token_kind_t kind) {
    if (p->tok.kind == kind)
        return advance(p);
    char found[DESC_MAX];
    gql__token_desc(p->src, &p->tok, found, sizeof found);
    syntax_error(p, p->tok.start, "Expected %s, found %s.", gql__token_kind_desc(kind), found);
    return false;
}

/* Consumes a token of `kind` if it is next. */
static bool skip(parser_t *p, gql__token_kind_t kind) {
    if (p->tok.kind != kind)
        return false;
    advance(p);
    return true;
}

static bool expect_keyword_n(parser_t *p, const char *word, size_t n) {
    if (token_is(p, &p->tok, word, n))
        return advance(p);
    char found[DESC_MAX];
    gql__token_desc(p->src, &p->tok, found, sizeof found);
    syntax_error(p, p->tok.start, "Expected \"%s\", found %s.", word, found);
    return false;
}
#define EXPECT_KEYWORD(p, lit) expect_keyword_n((p), (lit), sizeof(lit) - 1)

static bool skip_keyword_n(parser_t *p, const char *word, size_t n) {
    if (!token_is(p, &p->tok, word, n))
        return false;
    advance(p);
    return true;
}
#define SKIP_KEYWORD(p, lit) skip_keyword_n((p), (lit), sizeof(lit) - 1)

static inline gql_loc_t tok_loc(const gql__token_t *t) {
    return (gql_loc_t){t->line, t->column, t->start};
}

static inline lc_str_t tok_text(const parser_t *p, const gql__token_t *t) {
    return lc_str_make(p->src + t->start, t->end - t->start);
}

/* ---- Nodes and lists --------------------------------------------------------------------- */

static void *node_new(parser_t *p, size_t size) {
    void *n = lc_arena_calloc(p->arena, 1, size);
    if (!n)
        oom(p);
    return n;
}
#define NEW(p, type) ((type *)node_new((p), sizeof(type)))

static bool push(parser_t *p, void *item) {
    if (p->sp == p->cap) {
        uint32_t cap = p->cap * 2;
        void **d = lc_arena_alloc(p->arena, cap * sizeof *d);
        if (!d) {
            oom(p);
            return false;
        }
        memcpy(d, p->stack, p->sp * sizeof *d);
        p->stack = d;
        p->cap = cap;
    }
    p->stack[p->sp++] = item;
    return true;
}

/* Moves the items pushed since `mark` into `list` (an arena array of exact size). Typed copy
 * rather than memcpy, so each element is stored as the pointer type it is read as. */
#define LIST_FINISH(p, mark, list)                                                                 \
    do {                                                                                           \
        uint32_t n_ = (p)->sp - (mark);                                                            \
        (list).count = 0;                                                                          \
        (list).items = NULL;                                                                       \
        if (n_ && (p)->status == LC_OK) {                                                          \
            (list).items = lc_arena_alloc((p)->arena, n_ * sizeof *(list).items);                  \
            if (!(list).items) {                                                                   \
                oom(p);                                                                            \
            } else {                                                                               \
                for (uint32_t i_ = 0; i_ < n_; i_++)                                               \
                    (list).items[i_] = (p)->stack[(mark) + i_];                                    \
                (list).count = n_;                                                                 \
            }                                                                                      \
        }                                                                                          \
        (p)->sp = (mark);                                                                          \
    } while (0)

static bool depth_enter(parser_t *p) {
    if (++p->depth > p->max_depth) {
        limit_error(p, GQL_PARSE_LIMIT_DEPTH, p->tok.start,
                    "Document exceeds the limit of %lu levels of nesting.",
                    (unsigned long)p->max_depth);
        return false;
    }
    return true;
}

/* ---- Names, values, types, directives ---------------------------------------------------- */

/* Name :: /[_A-Za-z][_0-9A-Za-z]* / (§2.1.9). Returns the slice, ptr NULL on failure. */
static lc_str_t parse_name(parser_t *p) {
    gql__token_t t = p->tok;
    if (!expect(p, GQL__TOK_NAME))
        return LC_STR_NULL;
    return tok_text(p, &t);
}

static gql_value_t *parse_value(parser_t *p, bool is_const);

/* StringValue (§2.9.4), also Description (§3.2). */
static gql_value_t *parse_string(parser_t *p) {
    gql__token_t t = p->tok;
    gql_value_t *v = NEW(p, gql_value_t);
    if (!v)
        return NULL;
    v->kind = GQL_STRING_VALUE;
    v->loc = tok_loc(&t);
    v->string.block = t.kind == GQL__TOK_BLOCK_STRING;
    if (gql__token_string_value(p->arena, p->src, &t, &v->string.value) != LC_OK)
        return oom(p);
    advance(p);
    return v;
}

/* Description :: StringValue (§3.2); NULL when absent (check p->status for failure). */
static gql_value_t *parse_description(parser_t *p) {
    if (peek(p, GQL__TOK_STRING) || peek(p, GQL__TOK_BLOCK_STRING))
        return parse_string(p);
    return NULL;
}

/* Variable :: `$` Name (§2.10) */
static gql_value_t *parse_variable(parser_t *p) {
    gql_value_t *v = NEW(p, gql_value_t);
    if (!v)
        return NULL;
    v->kind = GQL_VARIABLE;
    v->loc = tok_loc(&p->tok);
    if (!expect(p, GQL__TOK_DOLLAR))
        return NULL;
    v->name = parse_name(p);
    return v->name.ptr ? v : NULL;
}

/* ObjectField[Const] :: Name `:` Value[?Const] (§2.9.8) */
static gql_object_field_t *parse_object_field(parser_t *p, bool is_const) {
    gql_object_field_t *f = NEW(p, gql_object_field_t);
    if (!f)
        return NULL;
    f->kind = GQL_OBJECT_FIELD;
    f->loc = tok_loc(&p->tok);
    f->name = parse_name(p);
    if (!f->name.ptr || !expect(p, GQL__TOK_COLON))
        return NULL;
    f->value = parse_value(p, is_const);
    return f->value ? f : NULL;
}

/* Value[Const] :: [~Const] Variable | IntValue | FloatValue | StringValue | BooleanValue |
 *                 NullValue | EnumValue | ListValue[?Const] | ObjectValue[?Const] (§2.9)
 * ListValue[Const] :: `[` `]` | `[` Value[?Const]+ `]`
 * ObjectValue[Const] :: `{` `}` | `{` ObjectField[?Const]+ `}` */
static gql_value_t *parse_value(parser_t *p, bool is_const) {
    gql__token_t t = p->tok;
    gql_value_t *v;
    switch ((gql__token_kind_t)t.kind) {
    case GQL__TOK_BRACKET_L: {
        if (!depth_enter(p) || !(v = NEW(p, gql_value_t)))
            return NULL;
        v->kind = GQL_LIST_VALUE;
        v->loc = tok_loc(&t);
        advance(p);
        uint32_t mark = p->sp;
        while (!skip(p, GQL__TOK_BRACKET_R)) {
            gql_value_t *item = parse_value(p, is_const);
            if (!item || !push(p, item))
                return NULL;
        }
        LIST_FINISH(p, mark, v->list);
        p->depth--;
        return v;
    }
    case GQL__TOK_BRACE_L: {
        if (!depth_enter(p) || !(v = NEW(p, gql_value_t)))
            return NULL;
        v->kind = GQL_OBJECT_VALUE;
        v->loc = tok_loc(&t);
        advance(p);
        uint32_t mark = p->sp;
        while (!skip(p, GQL__TOK_BRACE_R)) {
            gql_object_field_t *f = parse_object_field(p, is_const);
            if (!f || !push(p, f))
                return NULL;
        }
        LIST_FINISH(p, mark, v->object);
        p->depth--;
        return v;
    }
    case GQL__TOK_INT:
    case GQL__TOK_FLOAT:
        if (!(v = NEW(p, gql_value_t)))
            return NULL;
        v->kind = t.kind == GQL__TOK_INT ? GQL_INT_VALUE : GQL_FLOAT_VALUE;
        v->loc = tok_loc(&t);
        v->lexeme = tok_text(p, &t);
        advance(p);
        return v;
    case GQL__TOK_STRING:
    case GQL__TOK_BLOCK_STRING:
        return parse_string(p);
    case GQL__TOK_NAME:
        /* BooleanValue :: true | false; NullValue :: null; EnumValue :: Name but not those */
        if (!(v = NEW(p, gql_value_t)))
            return NULL;
        v->loc = tok_loc(&t);
        if (TOKEN_IS(p, &t, "true") || TOKEN_IS(p, &t, "false")) {
            v->kind = GQL_BOOLEAN_VALUE;
            v->boolean = TOKEN_IS(p, &t, "true");
        } else if (TOKEN_IS(p, &t, "null")) {
            v->kind = GQL_NULL_VALUE;
        } else {
            v->kind = GQL_ENUM_VALUE;
            v->name = tok_text(p, &t);
        }
        advance(p);
        return v;
    case GQL__TOK_DOLLAR:
        if (is_const) {
            advance(p);
            if (peek(p, GQL__TOK_NAME))
                return syntax_error(p, t.start, "Unexpected variable \"$%.*s\" in constant value.",
                                    (int)(p->tok.end - p->tok.start), p->src + p->tok.start);
            return unexpected(p, &t);
        }
        return parse_variable(p);
    default:
        return unexpected(p, &t);
    }
}

/* Type :: NamedType | ListType | NonNullType (§2.11)
 * NamedType :: Name;  ListType :: `[` Type `]`;  NonNullType :: NamedType `!` | ListType `!` */
static gql_type_t *parse_named_type(parser_t *p) {
    gql_type_t *t = NEW(p, gql_type_t);
    if (!t)
        return NULL;
    t->kind = GQL_NAMED_TYPE;
    t->loc = tok_loc(&p->tok);
    t->name = parse_name(p);
    return t->name.ptr ? t : NULL;
}

static gql_type_t *parse_type(parser_t *p) {
    gql__token_t start = p->tok;
    gql_type_t *t;
    if (peek(p, GQL__TOK_BRACKET_L)) {
        if (!depth_enter(p) || !(t = NEW(p, gql_type_t)))
            return NULL;
        advance(p);
        t->kind = GQL_LIST_TYPE;
        t->loc = tok_loc(&start);
        if (!(t->of = parse_type(p)) || !expect(p, GQL__TOK_BRACKET_R))
            return NULL;
        p->depth--;
    } else if (!(t = parse_named_type(p))) {
        return NULL;
    }
    if (peek(p, GQL__TOK_BANG)) {
        gql_type_t *nn = NEW(p, gql_type_t);
        if (!nn)
            return NULL;
        advance(p);
        nn->kind = GQL_NON_NULL_TYPE;
        nn->loc = tok_loc(&start);
        nn->of = t;
        return nn;
    }
    return t;
}

/* Arguments[Const] :: `(` Argument[?Const]+ `)`;  Argument[Const] :: Name `:` Value[?Const]
 * (§2.6). Optional: an empty list when absent. */
static bool parse_arguments(parser_t *p, bool is_const, gql_argument_list_t *out) {
    out->items = NULL;
    out->count = 0;
    if (!skip(p, GQL__TOK_PAREN_L))
        return p->status == LC_OK;
    uint32_t mark = p->sp;
    do {
        gql_argument_t *a = NEW(p, gql_argument_t);
        if (!a)
            return false;
        a->kind = GQL_ARGUMENT;
        a->loc = tok_loc(&p->tok);
        a->name = parse_name(p);
        if (!a->name.ptr || !expect(p, GQL__TOK_COLON) || !(a->value = parse_value(p, is_const)) ||
            !push(p, a))
            return false;
    } while (!skip(p, GQL__TOK_PAREN_R));
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* Directives[Const] :: Directive[?Const]+;  Directive[Const] :: `@` Name Arguments[?Const]?
 * (§2.12). Optional: an empty list when absent. */
static bool parse_directives(parser_t *p, bool is_const, gql_directive_list_t *out) {
    uint32_t mark = p->sp;
    while (peek(p, GQL__TOK_AT)) {
        gql_directive_t *d = NEW(p, gql_directive_t);
        if (!d)
            return false;
        d->kind = GQL_DIRECTIVE;
        d->loc = tok_loc(&p->tok);
        advance(p);
        d->name = parse_name(p);
        if (!d->name.ptr || !parse_arguments(p, is_const, &d->arguments) || !push(p, d))
            return false;
    }
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* ---- Executable definitions -------------------------------------------------------------- */

static gql_selection_set_t *parse_selection_set(parser_t *p);

/* Field :: Alias? Name Arguments? Directives? SelectionSet? (§2.5); Alias :: Name `:` */
static gql_selection_t *parse_field(parser_t *p) {
    gql_selection_t *s = NEW(p, gql_selection_t);
    if (!s)
        return NULL;
    gql_field_t *f = &s->field;
    f->kind = GQL_FIELD;
    f->loc = tok_loc(&p->tok);
    lc_str_t name = parse_name(p);
    if (!name.ptr)
        return NULL;
    if (skip(p, GQL__TOK_COLON)) {
        f->alias = name;
        if (!(name = parse_name(p)).ptr)
            return NULL;
    }
    f->name = name;
    if (!parse_arguments(p, false, &f->arguments) || !parse_directives(p, false, &f->directives))
        return NULL;
    if (peek(p, GQL__TOK_BRACE_L) && !(f->selection_set = parse_selection_set(p)))
        return NULL;
    return s;
}

/* FragmentName :: Name but not `on` (§2.8) */
static lc_str_t parse_fragment_name(parser_t *p) {
    if (PEEK_KEYWORD(p, "on")) {
        unexpected(p, &p->tok);
        return LC_STR_NULL;
    }
    return parse_name(p);
}

/* FragmentSpread :: `...` FragmentName Directives?
 * InlineFragment :: `...` TypeCondition? Directives? SelectionSet   (§2.8, §2.8.2)
 * TypeCondition :: `on` NamedType */
static gql_selection_t *parse_fragment(parser_t *p) {
    gql_selection_t *s = NEW(p, gql_selection_t);
    if (!s)
        return NULL;
    gql_loc_t loc = tok_loc(&p->tok);
    advance(p); /* `...` */
    bool has_type_condition = SKIP_KEYWORD(p, "on");
    if (!has_type_condition && peek(p, GQL__TOK_NAME)) {
        gql_fragment_spread_t *fs = &s->spread;
        fs->kind = GQL_FRAGMENT_SPREAD;
        fs->loc = loc;
        fs->name = parse_name(p);
        if (!fs->name.ptr || !parse_directives(p, false, &fs->directives))
            return NULL;
        return s;
    }
    gql_inline_fragment_t *in = &s->inline_fragment;
    in->kind = GQL_INLINE_FRAGMENT;
    in->loc = loc;
    if (has_type_condition && !(in->type_condition = parse_named_type(p)))
        return NULL;
    if (!parse_directives(p, false, &in->directives) ||
        !(in->selection_set = parse_selection_set(p)))
        return NULL;
    return s;
}

/* SelectionSet :: `{` Selection+ `}`;  Selection :: Field | FragmentSpread | InlineFragment
 * (§2.4) */
static gql_selection_set_t *parse_selection_set(parser_t *p) {
    gql_selection_set_t *ss = NEW(p, gql_selection_set_t);
    if (!ss)
        return NULL;
    ss->kind = GQL_SELECTION_SET;
    ss->loc = tok_loc(&p->tok);
    if (!depth_enter(p) || !expect(p, GQL__TOK_BRACE_L))
        return NULL;
    uint32_t mark = p->sp;
    do {
        gql_selection_t *s = peek(p, GQL__TOK_SPREAD) ? parse_fragment(p) : parse_field(p);
        if (!s || !push(p, s))
            return NULL;
    } while (!skip(p, GQL__TOK_BRACE_R));
    LIST_FINISH(p, mark, ss->selections);
    p->depth--;
    return p->status == LC_OK ? ss : NULL;
}

/* OperationType :: one of `query` `mutation` `subscription` (§2.3) */
static bool parse_operation_type(parser_t *p, gql_operation_type_t *out) {
    gql__token_t t = p->tok;
    if (!expect(p, GQL__TOK_NAME))
        return false;
    if (TOKEN_IS(p, &t, "query"))
        *out = GQL_OP_QUERY;
    else if (TOKEN_IS(p, &t, "mutation"))
        *out = GQL_OP_MUTATION;
    else if (TOKEN_IS(p, &t, "subscription"))
        *out = GQL_OP_SUBSCRIPTION;
    else {
        unexpected(p, &t);
        return false;
    }
    return true;
}

/* VariableDefinitions :: `(` VariableDefinition+ `)`
 * VariableDefinition :: Variable `:` Type DefaultValue? Directives[Const]?
 * DefaultValue :: `=` Value[Const]   (§2.10) */
static bool parse_variable_definitions(parser_t *p, gql_variable_definition_list_t *out) {
    out->items = NULL;
    out->count = 0;
    if (!skip(p, GQL__TOK_PAREN_L))
        return p->status == LC_OK;
    uint32_t mark = p->sp;
    do {
        gql_variable_definition_t *vd = NEW(p, gql_variable_definition_t);
        if (!vd)
            return false;
        vd->kind = GQL_VARIABLE_DEFINITION;
        vd->loc = tok_loc(&p->tok);
        if (!expect(p, GQL__TOK_DOLLAR) || !(vd->name = parse_name(p)).ptr ||
            !expect(p, GQL__TOK_COLON) || !(vd->type = parse_type(p)))
            return false;
        if (skip(p, GQL__TOK_EQUALS) && !(vd->default_value = parse_value(p, true)))
            return false;
        if (!parse_directives(p, true, &vd->directives) || !push(p, vd))
            return false;
    } while (!skip(p, GQL__TOK_PAREN_R));
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* OperationDefinition :: OperationType Name? VariableDefinitions? Directives? SelectionSet
 *                      | SelectionSet   (§2.3) */
static gql_definition_t *parse_operation_definition(parser_t *p) {
    gql_definition_t *d = NEW(p, gql_definition_t);
    if (!d)
        return NULL;
    gql_operation_definition_t *op = &d->operation;
    op->kind = GQL_OPERATION_DEFINITION;
    op->loc = tok_loc(&p->tok);
    if (!peek(p, GQL__TOK_BRACE_L)) {
        if (!parse_operation_type(p, &op->operation))
            return NULL;
        if (peek(p, GQL__TOK_NAME))
            op->name = parse_name(p);
        if (!parse_variable_definitions(p, &op->variables) ||
            !parse_directives(p, false, &op->directives))
            return NULL;
    }
    op->selection_set = parse_selection_set(p);
    return op->selection_set ? d : NULL;
}

/* FragmentDefinition :: `fragment` FragmentName TypeCondition Directives? SelectionSet (§2.8) */
static gql_definition_t *parse_fragment_definition(parser_t *p) {
    gql_definition_t *d = NEW(p, gql_definition_t);
    if (!d)
        return NULL;
    gql_fragment_definition_t *fr = &d->fragment;
    fr->kind = GQL_FRAGMENT_DEFINITION;
    fr->loc = tok_loc(&p->tok);
    advance(p); /* `fragment` */
    if (!(fr->name = parse_fragment_name(p)).ptr || !EXPECT_KEYWORD(p, "on") ||
        !(fr->type_condition = parse_named_type(p)) ||
        !parse_directives(p, false, &fr->directives) ||
        !(fr->selection_set = parse_selection_set(p)))
        return NULL;
    return d;
}

/* ---- Type system definitions ------------------------------------------------------------- */

/* ImplementsInterfaces :: `implements` `&`? NamedType | ImplementsInterfaces `&` NamedType
 * (§3.6). Optional. */
static bool parse_implements(parser_t *p, gql_type_list_t *out) {
    uint32_t mark = p->sp;
    if (SKIP_KEYWORD(p, "implements")) {
        skip(p, GQL__TOK_AMP);
        do {
            gql_type_t *t = parse_named_type(p);
            if (!t || !push(p, t))
                return false;
        } while (skip(p, GQL__TOK_AMP));
    }
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* InputValueDefinition :: Description? Name `:` Type DefaultValue? Directives[Const]? (§3.6.1)
 */
static gql_input_value_definition_t *parse_input_value_definition(parser_t *p) {
    gql_input_value_definition_t *iv = NEW(p, gql_input_value_definition_t);
    if (!iv)
        return NULL;
    iv->kind = GQL_INPUT_VALUE_DEFINITION;
    iv->loc = tok_loc(&p->tok);
    iv->description = parse_description(p);
    if (!(iv->name = parse_name(p)).ptr || !expect(p, GQL__TOK_COLON) ||
        !(iv->type = parse_type(p)))
        return NULL;
    if (skip(p, GQL__TOK_EQUALS) && !(iv->default_value = parse_value(p, true)))
        return NULL;
    if (!parse_directives(p, true, &iv->directives))
        return NULL;
    return iv;
}

/* ArgumentsDefinition :: `(` InputValueDefinition+ `)` (§3.6.1)
 * InputFieldsDefinition :: `{` InputValueDefinition+ `}` (§3.10). Optional. */
static bool parse_input_values(parser_t *p, gql__token_kind_t open, gql__token_kind_t close,
                               gql_input_value_definition_list_t *out) {
    out->items = NULL;
    out->count = 0;
    if (!skip(p, open))
        return p->status == LC_OK;
    uint32_t mark = p->sp;
    do {
        gql_input_value_definition_t *iv = parse_input_value_definition(p);
        if (!iv || !push(p, iv))
            return false;
    } while (!skip(p, close));
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* FieldsDefinition :: `{` FieldDefinition+ `}`
 * FieldDefinition :: Description? Name ArgumentsDefinition? `:` Type Directives[Const]?
 * (§3.6). Optional. */
static bool parse_fields_definition(parser_t *p, gql_field_definition_list_t *out) {
    out->items = NULL;
    out->count = 0;
    if (!skip(p, GQL__TOK_BRACE_L))
        return p->status == LC_OK;
    uint32_t mark = p->sp;
    do {
        gql_field_definition_t *fd = NEW(p, gql_field_definition_t);
        if (!fd)
            return false;
        fd->kind = GQL_FIELD_DEFINITION;
        fd->loc = tok_loc(&p->tok);
        fd->description = parse_description(p);
        if (!(fd->name = parse_name(p)).ptr ||
            !parse_input_values(p, GQL__TOK_PAREN_L, GQL__TOK_PAREN_R, &fd->arguments) ||
            !expect(p, GQL__TOK_COLON) || !(fd->type = parse_type(p)) ||
            !parse_directives(p, true, &fd->directives) || !push(p, fd))
            return false;
    } while (!skip(p, GQL__TOK_BRACE_R));
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* UnionMemberTypes :: `=` `|`? NamedType | UnionMemberTypes `|` NamedType (§3.8). Optional. */
static bool parse_union_members(parser_t *p, gql_type_list_t *out) {
    uint32_t mark = p->sp;
    if (skip(p, GQL__TOK_EQUALS)) {
        skip(p, GQL__TOK_PIPE);
        do {
            gql_type_t *t = parse_named_type(p);
            if (!t || !push(p, t))
                return false;
        } while (skip(p, GQL__TOK_PIPE));
    }
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* EnumValuesDefinition :: `{` EnumValueDefinition+ `}`
 * EnumValueDefinition :: Description? EnumValue Directives[Const]?   (§3.9)
 * EnumValue :: Name but not `true`, `false` or `null`. Optional. */
static bool parse_enum_values(parser_t *p, gql_enum_value_definition_list_t *out) {
    out->items = NULL;
    out->count = 0;
    if (!skip(p, GQL__TOK_BRACE_L))
        return p->status == LC_OK;
    uint32_t mark = p->sp;
    do {
        gql_enum_value_definition_t *ev = NEW(p, gql_enum_value_definition_t);
        if (!ev)
            return false;
        ev->kind = GQL_ENUM_VALUE_DEFINITION;
        ev->loc = tok_loc(&p->tok);
        ev->description = parse_description(p);
        if (PEEK_KEYWORD(p, "true") || PEEK_KEYWORD(p, "false") || PEEK_KEYWORD(p, "null")) {
            char desc[DESC_MAX];
            gql__token_desc(p->src, &p->tok, desc, sizeof desc);
            syntax_error(p, p->tok.start, "%s is reserved and cannot be used for an enum value.",
                         desc);
            return false;
        }
        if (!(ev->name = parse_name(p)).ptr || !parse_directives(p, true, &ev->directives) ||
            !push(p, ev))
            return false;
    } while (!skip(p, GQL__TOK_BRACE_R));
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

/* RootOperationTypeDefinition :: OperationType `:` NamedType (§3.3.1); the list, `{` ... `}`,
 * is required in a SchemaDefinition and optional in a SchemaExtension. */
static bool parse_operation_types(parser_t *p, bool required,
                                  gql_operation_type_definition_list_t *out) {
    out->items = NULL;
    out->count = 0;
    if (required ? !expect(p, GQL__TOK_BRACE_L) : !skip(p, GQL__TOK_BRACE_L))
        return p->status == LC_OK;
    uint32_t mark = p->sp;
    do {
        gql_operation_type_definition_t *ot = NEW(p, gql_operation_type_definition_t);
        if (!ot)
            return false;
        ot->kind = GQL_OPERATION_TYPE_DEFINITION;
        ot->loc = tok_loc(&p->tok);
        if (!parse_operation_type(p, &ot->operation) || !expect(p, GQL__TOK_COLON) ||
            !(ot->type = parse_named_type(p)) || !push(p, ot))
            return false;
    } while (!skip(p, GQL__TOK_BRACE_R));
    LIST_FINISH(p, mark, *out);
    return p->status == LC_OK;
}

const char *const gql__location_names[GQL__NLOCATIONS] = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
};

/* DirectiveLocation :: ExecutableDirectiveLocation | TypeSystemDirectiveLocation (§3.13) */
static bool is_directive_location(lc_str_t s) {
    for (size_t i = 0; i < GQL__NLOCATIONS; i++)
        if (lc_str_eq_cstr(s, gql__location_names[i]))
            return true;
    return false;
}

/* DirectiveDefinition :: Description? `directive` `@` Name ArgumentsDefinition? `repeatable`?
 *                        `on` DirectiveLocations
 * DirectiveLocations :: `|`? DirectiveLocation | DirectiveLocations `|` DirectiveLocation
 * (§3.13) */
static gql_definition_t *parse_directive_definition(parser_t *p, gql_definition_t *d) {
    gql_directive_definition_t *dd = &d->directive;
    dd->kind = GQL_DIRECTIVE_DEFINITION;
    if (!EXPECT_KEYWORD(p, "directive") || !expect(p, GQL__TOK_AT) ||
        !(dd->name = parse_name(p)).ptr ||
        !parse_input_values(p, GQL__TOK_PAREN_L, GQL__TOK_PAREN_R, &dd->arguments))
        return NULL;
    dd->repeatable = SKIP_KEYWORD(p, "repeatable");
    if (!EXPECT_KEYWORD(p, "on"))
        return NULL;
    skip(p, GQL__TOK_PIPE);
    uint32_t mark = p->sp;
    do {
        gql__token_t t = p->tok;
        gql_name_t *n = NEW(p, gql_name_t);
        if (!n)
            return NULL;
        n->kind = GQL_NAME;
        n->loc = tok_loc(&t);
        if (!(n->value = parse_name(p)).ptr)
            return NULL;
        if (!is_directive_location(n->value))
            return unexpected(p, &t);
        if (!push(p, n))
            return NULL;
    } while (skip(p, GQL__TOK_PIPE));
    LIST_FINISH(p, mark, dd->locations);
    return p->status == LC_OK ? d : NULL;
}

/* TypeSystemDefinition with its Description already parsed into d (§3):
 * SchemaDefinition :: Description? `schema` Directives[Const]? `{`
 *                     RootOperationTypeDefinition+ `}`
 * ScalarTypeDefinition :: Description? `scalar` Name Directives[Const]?
 * ObjectTypeDefinition :: Description? `type` Name ImplementsInterfaces? Directives[Const]?
 *                         FieldsDefinition?
 * InterfaceTypeDefinition :: Description? `interface` Name ImplementsInterfaces?
 *                            Directives[Const]? FieldsDefinition?
 * UnionTypeDefinition :: Description? `union` Name Directives[Const]? UnionMemberTypes?
 * EnumTypeDefinition :: Description? `enum` Name Directives[Const]? EnumValuesDefinition?
 * InputObjectTypeDefinition :: Description? `input` Name Directives[Const]?
 *                              InputFieldsDefinition? */
static gql_definition_t *parse_type_system_definition(parser_t *p, gql_loc_t loc) {
    gql_definition_t *d = NEW(p, gql_definition_t);
    if (!d)
        return NULL;
    gql_value_t *description = parse_description(p);
    if (p->status != LC_OK)
        return NULL;
    if (PEEK_KEYWORD(p, "schema")) {
        gql_schema_definition_t *sd = &d->schema;
        sd->kind = GQL_SCHEMA_DEFINITION;
        sd->loc = loc;
        sd->description = description;
        advance(p);
        if (!parse_directives(p, true, &sd->directives) ||
            !parse_operation_types(p, true, &sd->operation_types))
            return NULL;
        return d;
    }
    if (PEEK_KEYWORD(p, "directive")) {
        d->directive.loc = loc;
        d->directive.description = description;
        return parse_directive_definition(p, d);
    }
    gql_type_definition_t *td = &d->type;
    td->loc = loc;
    td->description = description;
    bool ok;
    if (PEEK_KEYWORD(p, "scalar")) {
        td->kind = GQL_SCALAR_TYPE_DEFINITION;
        advance(p);
        ok = (td->name = parse_name(p)).ptr && parse_directives(p, true, &td->directives);
    } else if (PEEK_KEYWORD(p, "type") || PEEK_KEYWORD(p, "interface")) {
        td->kind =
            PEEK_KEYWORD(p, "type") ? GQL_OBJECT_TYPE_DEFINITION : GQL_INTERFACE_TYPE_DEFINITION;
        advance(p);
        ok = (td->name = parse_name(p)).ptr && parse_implements(p, &td->interfaces) &&
             parse_directives(p, true, &td->directives) && parse_fields_definition(p, &td->fields);
    } else if (PEEK_KEYWORD(p, "union")) {
        td->kind = GQL_UNION_TYPE_DEFINITION;
        advance(p);
        ok = (td->name = parse_name(p)).ptr && parse_directives(p, true, &td->directives) &&
             parse_union_members(p, &td->types);
    } else if (PEEK_KEYWORD(p, "enum")) {
        td->kind = GQL_ENUM_TYPE_DEFINITION;
        advance(p);
        ok = (td->name = parse_name(p)).ptr && parse_directives(p, true, &td->directives) &&
             parse_enum_values(p, &td->values);
    } else { /* "input": the caller checked the keyword */
        td->kind = GQL_INPUT_OBJECT_TYPE_DEFINITION;
        advance(p);
        ok = (td->name = parse_name(p)).ptr && parse_directives(p, true, &td->directives) &&
             parse_input_values(p, GQL__TOK_BRACE_L, GQL__TOK_BRACE_R, &td->input_fields);
    }
    return ok ? d : NULL;
}

/* TypeSystemExtension :: SchemaExtension | TypeExtension (§3.1, §3.3.2, §3.4.3 ...):
 * SchemaExtension :: `extend` `schema` Directives[Const]? `{` RootOperationTypeDefinition+ `}`
 *                  | `extend` `schema` Directives[Const]   [lookahead != `{`]
 * ScalarTypeExtension :: `extend` `scalar` Name Directives[Const]
 * ObjectTypeExtension :: `extend` `type` Name ImplementsInterfaces? Directives[Const]?
 *                        FieldsDefinition   (or with only the interfaces or the directives)
 * InterfaceTypeExtension: likewise with `interface`
 * UnionTypeExtension :: `extend` `union` Name Directives[Const]? UnionMemberTypes
 *                     | `extend` `union` Name Directives[Const]
 * EnumTypeExtension :: `extend` `enum` Name Directives[Const]? EnumValuesDefinition | ...
 * InputObjectTypeExtension :: `extend` `input` Name Directives[Const]? InputFieldsDefinition
 * Each must extend something: an extension with nothing after its name is an error. */
static gql_definition_t *parse_extension(parser_t *p) {
    gql_definition_t *d = NEW(p, gql_definition_t);
    if (!d)
        return NULL;
    gql_loc_t loc = tok_loc(&p->tok);
    advance(p); /* `extend` */
    gql__token_t kw = p->tok;
    if (PEEK_KEYWORD(p, "schema")) {
        gql_schema_definition_t *sd = &d->schema;
        sd->kind = GQL_SCHEMA_EXTENSION;
        sd->loc = loc;
        advance(p);
        if (!parse_directives(p, true, &sd->directives) ||
            !parse_operation_types(p, false, &sd->operation_types))
            return NULL;
        if (sd->directives.count == 0 && sd->operation_types.count == 0)
            return unexpected(p, &p->tok);
        return d;
    }
    gql_type_definition_t *td = &d->type;
    td->loc = loc;
    if (TOKEN_IS(p, &kw, "scalar"))
        td->kind = GQL_SCALAR_TYPE_EXTENSION;
    else if (TOKEN_IS(p, &kw, "type"))
        td->kind = GQL_OBJECT_TYPE_EXTENSION;
    else if (TOKEN_IS(p, &kw, "interface"))
        td->kind = GQL_INTERFACE_TYPE_EXTENSION;
    else if (TOKEN_IS(p, &kw, "union"))
        td->kind = GQL_UNION_TYPE_EXTENSION;
    else if (TOKEN_IS(p, &kw, "enum"))
        td->kind = GQL_ENUM_TYPE_EXTENSION;
    else if (TOKEN_IS(p, &kw, "input"))
        td->kind = GQL_INPUT_OBJECT_TYPE_EXTENSION;
    else
        return unexpected(p, &kw);
    advance(p);
    if (!(td->name = parse_name(p)).ptr)
        return NULL;
    bool ok = true;
    if (td->kind == GQL_OBJECT_TYPE_EXTENSION || td->kind == GQL_INTERFACE_TYPE_EXTENSION)
        ok = parse_implements(p, &td->interfaces);
    ok = ok && parse_directives(p, true, &td->directives);
    switch (td->kind) {
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        ok = ok && parse_fields_definition(p, &td->fields);
        break;
    case GQL_UNION_TYPE_EXTENSION:
        ok = ok && parse_union_members(p, &td->types);
        break;
    case GQL_ENUM_TYPE_EXTENSION:
        ok = ok && parse_enum_values(p, &td->values);
        break;
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        ok = ok && parse_input_values(p, GQL__TOK_BRACE_L, GQL__TOK_BRACE_R, &td->input_fields);
        break;
    default:
        break;
    }
    if (!ok)
        return NULL;
    if (td->interfaces.count + td->directives.count + td->fields.count + td->types.count +
            td->values.count + td->input_fields.count ==
        0)
        return unexpected(p, &p->tok);
    return d;
}

/* Definition :: ExecutableDefinition | TypeSystemDefinitionOrExtension (§2.2)
 * ExecutableDefinition :: OperationDefinition | FragmentDefinition */
static gql_definition_t *parse_definition(parser_t *p) {
    if (peek(p, GQL__TOK_BRACE_L))
        return parse_operation_definition(p);
    /* Many definitions begin with a description: the keyword is then one token further. */
    bool has_description = peek(p, GQL__TOK_STRING) || peek(p, GQL__TOK_BLOCK_STRING);
    gql__token_t kw = p->tok;
    if (has_description && !lookahead(p, &kw))
        return NULL;
    if (kw.kind == GQL__TOK_NAME) {
        if (TOKEN_IS(p, &kw, "schema") || TOKEN_IS(p, &kw, "scalar") || TOKEN_IS(p, &kw, "type") ||
            TOKEN_IS(p, &kw, "interface") || TOKEN_IS(p, &kw, "union") ||
            TOKEN_IS(p, &kw, "enum") || TOKEN_IS(p, &kw, "input") || TOKEN_IS(p, &kw, "directive"))
            return parse_type_system_definition(p, tok_loc(&p->tok));
        bool executable = TOKEN_IS(p, &kw, "query") || TOKEN_IS(p, &kw, "mutation") ||
                          TOKEN_IS(p, &kw, "subscription") || TOKEN_IS(p, &kw, "fragment");
        /* Descriptions of executable definitions came after October 2021 (graphql-js 16 reads
         * them); other words are graphql-js's. */
        if (has_description)
            return syntax_error(p, p->tok.start,
                                executable ? "Unexpected description, descriptions are supported "
                                             "only on type definitions."
                                           : "Unexpected description, only GraphQL definitions "
                                             "support descriptions.");
        if (TOKEN_IS(p, &kw, "fragment"))
            return parse_fragment_definition(p);
        if (executable)
            return parse_operation_definition(p);
        if (TOKEN_IS(p, &kw, "extend"))
            return parse_extension(p);
    } else if (has_description && kw.kind == GQL__TOK_BRACE_L) {
        return syntax_error(p, p->tok.start,
                            "Unexpected description, descriptions are not supported on shorthand "
                            "queries.");
    }
    return unexpected(p, &kw);
}

/* Document :: Definition+ (§2.2) */
static gql_document_t *parse_document(parser_t *p) {
    gql_document_t *doc = NEW(p, gql_document_t);
    if (!doc)
        return NULL;
    doc->kind = GQL_DOCUMENT;
    doc->loc = (gql_loc_t){1, 1, 0};
    doc->source = lc_str_make(p->src, p->len);
    uint32_t mark = p->sp;
    do {
        gql_definition_t *d = parse_definition(p);
        if (!d || !push(p, d))
            return NULL;
    } while (!peek(p, GQL__TOK_EOF));
    LIST_FINISH(p, mark, doc->definitions);
    doc->token_count = p->tokens;
    return p->status == LC_OK ? doc : NULL;
}

/* ---- Entry points ------------------------------------------------------------------------ */

/* Sets up p and reads the first token; LC_OK or the failure (with err filled). */
static int parser_start(parser_t *p, lc_arena_t *arena, const char *src, size_t len,
                        const gql_parse_limits_t *limits, gql_error_t *err) {
    size_t max_bytes = limits && limits->max_bytes ? limits->max_bytes : GQL_LIMIT_DOCUMENT_BYTES;
    uint32_t max_tokens =
        limits && limits->max_tokens ? limits->max_tokens : GQL_LIMIT_DOCUMENT_TOKENS;
    uint32_t max_depth = limits && limits->max_depth ? limits->max_depth : GQL_LIMIT_DOCUMENT_DEPTH;
    if (max_bytes > GQL_LIMIT_DOCUMENT_BYTES_MAX)
        max_bytes = GQL_LIMIT_DOCUMENT_BYTES_MAX;
    if (max_depth > GQL_LIMIT_DOCUMENT_DEPTH_MAX)
        max_depth = GQL_LIMIT_DOCUMENT_DEPTH_MAX;

    memset(p, 0, offsetof(parser_t, stack_inline));
    p->src = src ? src : "";
    p->len = src ? len : 0;
    p->arena = arena;
    p->err = err;
    p->max_tokens = max_tokens;
    p->max_depth = max_depth;
    p->stack = p->stack_inline;
    p->cap = STACK_INLINE;
    if (p->len > max_bytes) {
        limit_error(p, GQL_PARSE_LIMIT_BYTES, 0, "Document exceeds the limit of %lu bytes.",
                    (unsigned long)max_bytes);
        if (err)
            err->loc = (gql_loc_t){0, 0, 0};
        return p->status;
    }
    gql__lexer_init(&p->lx, p->src, p->len);
    advance(p);
    return p->status;
}

int gql_parse_document(lc_arena_t *arena, const char *src, size_t len,
                       const gql_parse_limits_t *limits, gql_document_t **out, gql_error_t *err) {
    parser_t p;
    int rc = parser_start(&p, arena, src, len, limits, err);
    if (rc != LC_OK)
        goto out;
    gql_document_t *doc = parse_document(&p);
    rc = p.status;
    if (rc == LC_OK)
        *out = doc;
out:
    return rc;
}

int gql_parse_value(lc_arena_t *arena, const char *src, size_t len,
                    const gql_parse_limits_t *limits, bool constant, gql_value_t **out,
                    gql_error_t *err) {
    parser_t p;
    int rc = parser_start(&p, arena, src, len, limits, err);
    if (rc != LC_OK)
        goto out;
    gql_value_t *v = parse_value(&p, constant);
    if (v)
        expect(&p, GQL__TOK_EOF);
    rc = p.status;
    if (rc == LC_OK)
        *out = v;
out:
    return rc;
}

int gql_parse_type(lc_arena_t *arena, const char *src, size_t len, const gql_parse_limits_t *limits,
                   gql_type_t **out, gql_error_t *err) {
    parser_t p;
    int rc = parser_start(&p, arena, src, len, limits, err);
    if (rc != LC_OK)
        goto out;
    gql_type_t *t = parse_type(&p);
    if (t)
        expect(&p, GQL__TOK_EOF);
    rc = p.status;
    if (rc == LC_OK)
        *out = t;
out:
    return rc;
}
