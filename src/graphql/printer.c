/* SPDX-License-Identifier: MIT */
/* AST -> canonical GraphQL text, matching graphql-js 16 `print()` (as of 16.15) byte for byte,
 * with one exception explained at print_document. graphql-js builds strings bottom-up and
 * indents a finished block by replacing every newline in it; this printer streams into one
 * buffer instead and writes the indentation as it writes each newline, which gives the same
 * text. Where graphql-js decides a layout from the printed size of a part (field arguments past
 * 80 columns; argument or variable definitions one of which spans lines), the part is printed
 * inline, measured, and rewritten if needed. */
#include <string.h>

#include "gql/print.h"

#define MAX_LINE_LENGTH 80   /* graphql-js: field arguments wrap past this */
#define BLOCK_LINE_LENGTH 70 /* graphql-js printBlockString: longer values go multi-line */

typedef struct printer {
    lc_buf_t *b;     /* borrowed */
    uint32_t indent; /* levels of two spaces written after each newline */
} printer_t;

static inline void put(printer_t *w, const char *s, size_t n) {
    lc_buf_append_fast(w->b, s, n);
}
#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static inline void put_str(printer_t *w, lc_str_t s) {
    put(w, s.ptr, s.len);
}

static void nl(printer_t *w) {
    static const char spaces[] = "                                                                ";
    lc_buf_putc(w->b, '\n');
    for (size_t n = (size_t)w->indent * 2; n > 0;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        put(w, spaces, k);
        n -= k;
    }
}

/* Length of b->data[from..len) as graphql-js measures it: UTF-16 code units, without the
 * indentation this printer has already written after newlines. */
static size_t printed_length(const printer_t *w, size_t from) {
    const lc_buf_t *b = w->b;
    size_t units = 0, newlines = 0;
    if (b->err != LC_OK)
        return 0;
    for (size_t i = from; i < b->len; i++) {
        unsigned c = (unsigned char)b->data[i];
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1;
        newlines += c == '\n';
    }
    return units - newlines * 2 * w->indent;
}

static bool printed_newline(const printer_t *w, size_t from) {
    const lc_buf_t *b = w->b;
    return b->err == LC_OK && b->len > from && memchr(b->data + from, '\n', b->len - from);
}

/* Drops what was written since `mark` (to print it again another way). */
static void rewind_to(printer_t *w, size_t mark) {
    if (w->b->err == LC_OK)
        w->b->len = mark;
}

/* ---- Strings ----------------------------------------------------------------------------- */

/* graphql-js printString: escapes `"`, `\`, U+0000-U+001F and U+007F-U+009F. */
static void print_string(printer_t *w, lc_str_t s) {
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s.ptr;
    size_t run = 0;
    PUTS(w, "\"");
    for (size_t i = 0; i < s.len; i++) {
        unsigned c = p[i];
        const char *esc = NULL;
        char u[6];
        unsigned cp = c;
        if (c == 0xC2 && i + 1 < s.len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            cp = p[i + 1]; /* U+0080-U+009F, C1 controls */
        else if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
            continue;
        put(w, s.ptr + run, i - run);
        switch (cp) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[cp >> 4];
            u[5] = hex[cp & 0xF];
            put(w, u, 6);
            break;
        }
        if (esc)
            put(w, esc, strlen(esc));
        if (cp != c)
            i++; /* the second byte of a C1 control */
        run = i + 1;
    }
    put(w, s.ptr + run, s.len - run);
    PUTS(w, "\"");
}

static inline bool is_blank_char(unsigned c) {
    return c == ' ' || c == '\t';
}

/* graphql-js printBlockString (v16): """-delimited, `"""` escaped as `\"""`, and leading and
 * trailing newlines added where they keep BlockStringValue() from changing the value. */
static void print_block_string(printer_t *w, lc_str_t s) {
    const unsigned char *p = (const unsigned char *)s.ptr;
    bool single_line = true, all_later_lines_indented = true;
    size_t units = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned c = p[i];
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1;
        if (c == '\n' || c == '\r') {
            single_line = false;
            if (c == '\r' && i + 1 < s.len && p[i + 1] == '\n')
                i++;
            /* The next line must be empty or start with white space. */
            if (i + 1 < s.len && p[i + 1] != '\n' && p[i + 1] != '\r' && !is_blank_char(p[i + 1]))
                all_later_lines_indented = false;
        }
    }
    /* Does the escaped value end with \"""? Only if the last `"""` that the left-to-right
     * replacement escapes ends the value (`""""` escapes as `\""""`). */
    size_t last_escape_end = 0;
    for (size_t i = 0; i + 2 < s.len; i++)
        if (p[i] == '"' && p[i + 1] == '"' && p[i + 2] == '"')
            last_escape_end = (i += 2) + 1;
    bool force_leading_newline = !single_line && all_later_lines_indented;
    bool trailing_triple_quotes = s.len >= 3 && last_escape_end == s.len;
    bool trailing_quote = s.len > 0 && p[s.len - 1] == '"' && !trailing_triple_quotes;
    bool trailing_slash = s.len > 0 && p[s.len - 1] == '\\';
    bool force_trailing_newline = trailing_quote || trailing_slash;
    bool multiple_lines = !single_line || units > BLOCK_LINE_LENGTH || force_trailing_newline ||
                          force_leading_newline || trailing_triple_quotes;
    bool skip_leading_newline = single_line && s.len > 0 && is_blank_char(p[0]);

    PUTS(w, "\"\"\"");
    if ((multiple_lines && !skip_leading_newline) || force_leading_newline)
        nl(w);
    size_t run = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (p[i] == '\n') {
            put(w, s.ptr + run, i - run);
            nl(w);
            run = i + 1;
        } else if (p[i] == '"' && i + 2 < s.len && p[i + 1] == '"' && p[i + 2] == '"') {
            put(w, s.ptr + run, i - run);
            PUTS(w, "\\\"\"\"");
            i += 2;
            run = i + 1;
        }
    }
    put(w, s.ptr + run, s.len - run);
    if (multiple_lines || force_trailing_newline)
        nl(w);
    PUTS(w, "\"\"\"");
}

/* ---- Values, types, directives ----------------------------------------------------------- */

static void print_value(printer_t *w, const gql_value_t *v) {
    switch (v->kind) {
    case GQL_VARIABLE:
        PUTS(w, "$");
        put_str(w, v->name);
        break;
    case GQL_INT_VALUE:
    case GQL_FLOAT_VALUE:
        put_str(w, v->lexeme);
        break;
    case GQL_STRING_VALUE:
        if (v->string.block)
            print_block_string(w, v->string.value);
        else
            print_string(w, v->string.value);
        break;
    case GQL_BOOLEAN_VALUE:
        if (v->boolean)
            PUTS(w, "true");
        else
            PUTS(w, "false");
        break;
    case GQL_NULL_VALUE:
        PUTS(w, "null");
        break;
    case GQL_ENUM_VALUE:
        put_str(w, v->name);
        break;
    case GQL_LIST_VALUE:
        PUTS(w, "[");
        for (uint32_t i = 0; i < v->list.count; i++) {
            if (i)
                PUTS(w, ", ");
            print_value(w, v->list.items[i]);
        }
        PUTS(w, "]");
        break;
    case GQL_OBJECT_VALUE:
        PUTS(w, "{");
        for (uint32_t i = 0; i < v->object.count; i++) {
            if (i)
                PUTS(w, ", ");
            put_str(w, v->object.items[i]->name);
            PUTS(w, ": ");
            print_value(w, v->object.items[i]->value);
        }
        PUTS(w, "}");
        break;
    default:
        break;
    }
}

static void print_type(printer_t *w, const gql_type_t *t) {
    switch (t->kind) {
    case GQL_NAMED_TYPE:
        put_str(w, t->name);
        break;
    case GQL_LIST_TYPE:
        PUTS(w, "[");
        print_type(w, t->of);
        PUTS(w, "]");
        break;
    case GQL_NON_NULL_TYPE:
        print_type(w, t->of);
        PUTS(w, "!");
        break;
    default:
        break;
    }
}

static void print_argument(printer_t *w, const gql_argument_t *a) {
    put_str(w, a->name);
    PUTS(w, ": ");
    print_value(w, a->value);
}

/* `(a: 1, b: 2)`, or nothing. */
static void print_arguments(printer_t *w, const gql_argument_list_t *args) {
    if (!args->count)
        return;
    PUTS(w, "(");
    for (uint32_t i = 0; i < args->count; i++) {
        if (i)
            PUTS(w, ", ");
        print_argument(w, args->items[i]);
    }
    PUTS(w, ")");
}

static void print_directive(printer_t *w, const gql_directive_t *d) {
    PUTS(w, "@");
    put_str(w, d->name);
    print_arguments(w, &d->arguments);
}

/* ` @a @b(x: 1)`: each directive preceded by a space; nothing when there are none. */
static void print_directives(printer_t *w, const gql_directive_list_t *ds) {
    for (uint32_t i = 0; i < ds->count; i++) {
        PUTS(w, " ");
        print_directive(w, ds->items[i]);
    }
}

/* ---- Executable definitions -------------------------------------------------------------- */

static void print_selection_set(printer_t *w, const gql_selection_set_t *ss);

static void print_field(printer_t *w, const gql_field_t *f) {
    size_t start = w->b->len;
    if (f->alias.ptr) {
        put_str(w, f->alias);
        PUTS(w, ": ");
    }
    put_str(w, f->name);
    if (f->arguments.count) {
        size_t prefix_end = w->b->len;
        print_arguments(w, &f->arguments);
        if (printed_length(w, start) > MAX_LINE_LENGTH) {
            rewind_to(w, prefix_end);
            PUTS(w, "(");
            w->indent++;
            for (uint32_t i = 0; i < f->arguments.count; i++) {
                nl(w);
                print_argument(w, f->arguments.items[i]);
            }
            w->indent--;
            nl(w);
            PUTS(w, ")");
        }
    }
    print_directives(w, &f->directives);
    if (f->selection_set) {
        PUTS(w, " ");
        print_selection_set(w, f->selection_set);
    }
}

static void print_selection(printer_t *w, const gql_selection_t *s) {
    switch (s->node.kind) {
    case GQL_FIELD:
        print_field(w, &s->field);
        break;
    case GQL_FRAGMENT_SPREAD:
        PUTS(w, "...");
        put_str(w, s->spread.name);
        print_directives(w, &s->spread.directives);
        break;
    case GQL_INLINE_FRAGMENT:
        PUTS(w, "...");
        if (s->inline_fragment.type_condition) {
            PUTS(w, " on ");
            print_type(w, s->inline_fragment.type_condition);
        }
        print_directives(w, &s->inline_fragment.directives);
        PUTS(w, " ");
        print_selection_set(w, s->inline_fragment.selection_set);
        break;
    default:
        break;
    }
}

static void print_selection_set(printer_t *w, const gql_selection_set_t *ss) {
    PUTS(w, "{");
    w->indent++;
    for (uint32_t i = 0; i < ss->selections.count; i++) {
        nl(w);
        print_selection(w, ss->selections.items[i]);
    }
    w->indent--;
    nl(w);
    PUTS(w, "}");
}

static void print_variable_definition(printer_t *w, const gql_variable_definition_t *vd) {
    PUTS(w, "$");
    put_str(w, vd->name);
    PUTS(w, ": ");
    print_type(w, vd->type);
    if (vd->default_value) {
        PUTS(w, " = ");
        print_value(w, vd->default_value);
    }
    print_directives(w, &vd->directives);
}

static const char *operation_keyword(gql_operation_type_t op) {
    return op == GQL_OP_MUTATION       ? "mutation"
           : op == GQL_OP_SUBSCRIPTION ? "subscription"
                                       : "query";
}

/* keyword: write `query` even where the shorthand would do (see print_document). */
static void print_operation(printer_t *w, const gql_operation_definition_t *op, bool keyword) {
    if (!keyword && op->operation == GQL_OP_QUERY && !op->name.ptr && !op->variables.count &&
        !op->directives.count) {
        print_selection_set(w, op->selection_set); /* the query shorthand */
        return;
    }
    const char *kw = operation_keyword(op->operation);
    put(w, kw, strlen(kw));
    if (op->name.ptr) {
        PUTS(w, " ");
        put_str(w, op->name);
    }
    if (op->variables.count) {
        if (!op->name.ptr)
            PUTS(w, " ");
        /* Inline, or one per line (not indented) when one of them spans lines. */
        size_t mark = w->b->len;
        PUTS(w, "(");
        for (uint32_t i = 0; i < op->variables.count; i++) {
            if (i)
                PUTS(w, ", ");
            print_variable_definition(w, op->variables.items[i]);
        }
        PUTS(w, ")");
        if (printed_newline(w, mark)) {
            rewind_to(w, mark);
            PUTS(w, "(");
            for (uint32_t i = 0; i < op->variables.count; i++) {
                nl(w);
                print_variable_definition(w, op->variables.items[i]);
            }
            nl(w);
            PUTS(w, ")");
        }
    }
    print_directives(w, &op->directives);
    PUTS(w, " ");
    print_selection_set(w, op->selection_set);
}

static void print_fragment_definition(printer_t *w, const gql_fragment_definition_t *fr) {
    PUTS(w, "fragment ");
    put_str(w, fr->name);
    PUTS(w, " on ");
    print_type(w, fr->type_condition);
    print_directives(w, &fr->directives);
    PUTS(w, " ");
    print_selection_set(w, fr->selection_set);
}

/* ---- Type system definitions ------------------------------------------------------------- */

static void print_description(printer_t *w, const gql_value_t *description) {
    if (description) {
        print_value(w, description);
        nl(w);
    }
}

static void print_input_value_definition(printer_t *w, const gql_input_value_definition_t *iv) {
    print_description(w, iv->description);
    put_str(w, iv->name);
    PUTS(w, ": ");
    print_type(w, iv->type);
    if (iv->default_value) {
        PUTS(w, " = ");
        print_value(w, iv->default_value);
    }
    print_directives(w, &iv->directives);
}

/* Argument definitions: inline, or one per line when any of them spans lines. */
static void print_argument_definitions(printer_t *w, const gql_input_value_definition_list_t *a) {
    if (!a->count)
        return;
    size_t mark = w->b->len;
    PUTS(w, "(");
    for (uint32_t i = 0; i < a->count; i++) {
        if (i)
            PUTS(w, ", ");
        print_input_value_definition(w, a->items[i]);
    }
    PUTS(w, ")");
    if (!printed_newline(w, mark))
        return;
    rewind_to(w, mark);
    PUTS(w, "(");
    w->indent++;
    for (uint32_t i = 0; i < a->count; i++) {
        nl(w);
        print_input_value_definition(w, a->items[i]);
    }
    w->indent--;
    nl(w);
    PUTS(w, ")");
}

static void print_field_definition(printer_t *w, const gql_field_definition_t *fd) {
    print_description(w, fd->description);
    put_str(w, fd->name);
    print_argument_definitions(w, &fd->arguments);
    PUTS(w, ": ");
    print_type(w, fd->type);
    print_directives(w, &fd->directives);
}

static void print_enum_value_definition(printer_t *w, const gql_enum_value_definition_t *ev) {
    print_description(w, ev->description);
    put_str(w, ev->name);
    print_directives(w, &ev->directives);
}

static void print_operation_type_definition(printer_t *w,
                                            const gql_operation_type_definition_t *ot) {
    const char *kw = operation_keyword(ot->operation);
    put(w, kw, strlen(kw));
    PUTS(w, ": ");
    print_type(w, ot->type);
}

/* ` {` items one per line `}`; nothing for an empty list. */
#define PRINT_BLOCK(w, list, print_item)                                                           \
    do {                                                                                           \
        if ((list).count) {                                                                        \
            PUTS((w), " {");                                                                       \
            (w)->indent++;                                                                         \
            for (uint32_t i_ = 0; i_ < (list).count; i_++) {                                       \
                nl(w);                                                                             \
                print_item((w), (list).items[i_]);                                                 \
            }                                                                                      \
            (w)->indent--;                                                                         \
            nl(w);                                                                                 \
            PUTS((w), "}");                                                                        \
        }                                                                                          \
    } while (0)

static void print_schema_definition(printer_t *w, const gql_schema_definition_t *sd) {
    if (sd->kind == GQL_SCHEMA_EXTENSION) {
        PUTS(w, "extend schema");
    } else {
        print_description(w, sd->description);
        PUTS(w, "schema");
    }
    print_directives(w, &sd->directives);
    PRINT_BLOCK(w, sd->operation_types, print_operation_type_definition);
}

static void print_type_definition(printer_t *w, const gql_type_definition_t *td) {
    const char *kw;
    switch (td->kind) {
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
        kw = "scalar ";
        break;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
        kw = "type ";
        break;
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        kw = "interface ";
        break;
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        kw = "union ";
        break;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        kw = "enum ";
        break;
    default:
        kw = "input ";
        break;
    }
    if (gql_kind_is_extension(td->kind))
        PUTS(w, "extend ");
    else
        print_description(w, td->description);
    put(w, kw, strlen(kw));
    put_str(w, td->name);
    for (uint32_t i = 0; i < td->interfaces.count; i++) {
        if (i)
            PUTS(w, " & ");
        else
            PUTS(w, " implements ");
        print_type(w, td->interfaces.items[i]);
    }
    print_directives(w, &td->directives);
    PRINT_BLOCK(w, td->fields, print_field_definition);
    for (uint32_t i = 0; i < td->types.count; i++) {
        if (i)
            PUTS(w, " | ");
        else
            PUTS(w, " = ");
        print_type(w, td->types.items[i]);
    }
    PRINT_BLOCK(w, td->values, print_enum_value_definition);
    PRINT_BLOCK(w, td->input_fields, print_input_value_definition);
}

static void print_directive_definition(printer_t *w, const gql_directive_definition_t *dd) {
    print_description(w, dd->description);
    PUTS(w, "directive @");
    put_str(w, dd->name);
    print_argument_definitions(w, &dd->arguments);
    if (dd->repeatable)
        PUTS(w, " repeatable");
    PUTS(w, " on ");
    for (uint32_t i = 0; i < dd->locations.count; i++) {
        if (i)
            PUTS(w, " | ");
        put_str(w, dd->locations.items[i]->value);
    }
}

/* Would a `{` printed after d be read as d's own body? True for the definitions whose
 * optional `{ ... }` block is absent: `type T`, `enum E`, `extend schema @d`, ... */
static bool takes_brace(const gql_definition_t *d) {
    switch (d->node.kind) {
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        return d->type.fields.count == 0;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        return d->type.values.count == 0;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return d->type.input_fields.count == 0;
    case GQL_SCHEMA_EXTENSION:
        return d->schema.operation_types.count == 0;
    default:
        return false;
    }
}

static void print_definition(printer_t *w, const gql_definition_t *d, bool after_open_body) {
    switch (d->node.kind) {
    case GQL_OPERATION_DEFINITION:
        print_operation(w, &d->operation, after_open_body);
        break;
    case GQL_FRAGMENT_DEFINITION:
        print_fragment_definition(w, &d->fragment);
        break;
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
        print_schema_definition(w, &d->schema);
        break;
    case GQL_DIRECTIVE_DEFINITION:
        print_directive_definition(w, &d->directive);
        break;
    default:
        if (gql_kind_is_type_definition(d->node.kind))
            print_type_definition(w, &d->type);
        break;
    }
}

/* Definitions separated by a blank line. One departure from graphql-js: the `{ ... }` query
 * shorthand right after a body-less `type T` (or enum, input, interface, schema extension)
 * would be read back as that definition's body, so the operation keeps its `query` keyword
 * there (found by fuzz/fuzz_parse.c; fuzz/crashers/parse/shorthand-after-type). */
static void print_document(printer_t *w, const gql_document_t *doc) {
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        if (i) {
            nl(w);
            nl(w);
        }
        print_definition(w, doc->definitions.items[i],
                         i > 0 && takes_brace(doc->definitions.items[i - 1]));
    }
}

/* ---- Entry points ------------------------------------------------------------------------ */

int gql_print_document(lc_buf_t *b, const gql_document_t *doc) {
    printer_t w = {b, 0};
    print_document(&w, doc);
    return b->err;
}

int gql_print_value(lc_buf_t *b, const gql_value_t *value) {
    printer_t w = {b, 0};
    print_value(&w, value);
    return b->err;
}

int gql_print_type(lc_buf_t *b, const gql_type_t *type) {
    printer_t w = {b, 0};
    print_type(&w, type);
    return b->err;
}

int gql_print_string(lc_buf_t *b, lc_str_t s) {
    printer_t w = {b, 0};
    print_string(&w, s);
    return b->err;
}

int gql_print_block_string(lc_buf_t *b, lc_str_t s) {
    printer_t w = {b, 0};
    print_block_string(&w, s);
    return b->err;
}

int gql_print_node(lc_buf_t *b, const gql_node_t *node) {
    printer_t w = {b, 0};
    switch (node->kind) {
    case GQL_NAME:
        put_str(&w, ((const gql_name_t *)node)->value);
        break;
    case GQL_DOCUMENT:
        print_document(&w, (const gql_document_t *)node);
        break;
    case GQL_OPERATION_DEFINITION:
    case GQL_FRAGMENT_DEFINITION:
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
    case GQL_DIRECTIVE_DEFINITION:
        print_definition(&w, (const gql_definition_t *)node, false);
        break;
    case GQL_VARIABLE_DEFINITION:
        print_variable_definition(&w, (const gql_variable_definition_t *)node);
        break;
    case GQL_SELECTION_SET:
        print_selection_set(&w, (const gql_selection_set_t *)node);
        break;
    case GQL_FIELD:
    case GQL_FRAGMENT_SPREAD:
    case GQL_INLINE_FRAGMENT:
        print_selection(&w, (const gql_selection_t *)node);
        break;
    case GQL_ARGUMENT:
        print_argument(&w, (const gql_argument_t *)node);
        break;
    case GQL_VARIABLE:
    case GQL_INT_VALUE:
    case GQL_FLOAT_VALUE:
    case GQL_STRING_VALUE:
    case GQL_BOOLEAN_VALUE:
    case GQL_NULL_VALUE:
    case GQL_ENUM_VALUE:
    case GQL_LIST_VALUE:
    case GQL_OBJECT_VALUE:
        print_value(&w, (const gql_value_t *)node);
        break;
    case GQL_OBJECT_FIELD: {
        const gql_object_field_t *f = (const gql_object_field_t *)node;
        put_str(&w, f->name);
        PUTS(&w, ": ");
        print_value(&w, f->value);
        break;
    }
    case GQL_DIRECTIVE:
        print_directive(&w, (const gql_directive_t *)node);
        break;
    case GQL_NAMED_TYPE:
    case GQL_LIST_TYPE:
    case GQL_NON_NULL_TYPE:
        print_type(&w, (const gql_type_t *)node);
        break;
    case GQL_OPERATION_TYPE_DEFINITION:
        print_operation_type_definition(&w, (const gql_operation_type_definition_t *)node);
        break;
    case GQL_FIELD_DEFINITION:
        print_field_definition(&w, (const gql_field_definition_t *)node);
        break;
    case GQL_INPUT_VALUE_DEFINITION:
        print_input_value_definition(&w, (const gql_input_value_definition_t *)node);
        break;
    case GQL_ENUM_VALUE_DEFINITION:
        print_enum_value_definition(&w, (const gql_enum_value_definition_t *)node);
        break;
    default:
        if (gql_kind_is_type_definition(node->kind))
            print_definition(&w, (const gql_definition_t *)node, false);
        break;
    }
    return b->err;
}
