/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/lexer.c: input -> tokens (with decoded string values), token
 * locations, and input -> "line:column message" for every lexical error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "graphql_int.h"

/* Renders the tokens of src as "Name:foo Int:1 { }" (strings decoded, with \n shown as \\n),
 * or "line:col message" at the first error. */
static void render(const char *src, size_t len, char *out, size_t cap) {
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql__lexer_t lx;
    gql__lexer_init(&lx, src, len);
    gql_error_t err;
    size_t o = 0;
    out[0] = '\0';
    for (;;) {
        gql__token_t t;
        if (gql__lex(&lx, &t, &err) != LC_OK) {
            snprintf(out + o, cap - o, "%s%u:%u %s", o ? " " : "", (unsigned)err.loc.line,
                     (unsigned)err.loc.column, err.message);
            break;
        }
        if (t.kind == GQL__TOK_EOF)
            break;
        if (o)
            o += (size_t)snprintf(out + o, cap - o, " ");
        const char *desc = gql__token_kind_desc((gql__token_kind_t)t.kind);
        if (t.kind == GQL__TOK_STRING || t.kind == GQL__TOK_BLOCK_STRING) {
            lc_str_t v;
            assert_int_equal(gql__token_string_value(&a, src, &t, &v), LC_OK);
            o += (size_t)snprintf(out + o, cap - o, "%s:", desc);
            for (size_t i = 0; i < v.len && o + 3 < cap; i++) {
                if (v.ptr[i] == '\n') {
                    out[o++] = '\\';
                    out[o++] = 'n';
                } else {
                    out[o++] = v.ptr[i];
                }
            }
            out[o] = '\0';
        } else if (t.kind >= GQL__TOK_NAME) {
            o += (size_t)snprintf(out + o, cap - o, "%s:%.*s", desc, (int)(t.end - t.start),
                                  src + t.start);
        } else {
            /* Punctuators render bare: "{" rather than "\"{\"". */
            o += (size_t)snprintf(out + o, cap - o, "%.*s", (int)(t.end - t.start), src + t.start);
        }
        assert_true(o < cap);
    }
    lc_arena_dispose(&a);
}

typedef struct {
    const char *src;
    const char *want;
} lex_case_t;

static const lex_case_t tokens[] = {
    {"", ""},
    {" \t,,\n\r\n\r ", ""},
    {"\xEF\xBB\xBF foo", "Name:foo"},
    {"foo\xEF\xBB\xBF"
     "bar",
     "Name:foo Name:bar"},
    {"# only a comment", ""},
    {"# comment\nfoo # trailing \xC3\xA9\t\n# more", "Name:foo"},
    {"! $ & ( ) ... : = @ [ ] { | }", "! $ & ( ) ... : = @ [ ] { | }"},
    {"...foo", "... Name:foo"},
    {"a,b,,c", "Name:a Name:b Name:c"},
    {"_a9 Z __typename on", "Name:_a9 Name:Z Name:__typename Name:on"},
    {"0 -0 4 -4 9876543210", "Int:0 Int:-0 Int:4 Int:-4 Int:9876543210"},
    {"0.0 -1.5 1e10 1E-3 2.5e+7 -0.5e0 0e0",
     "Float:0.0 Float:-1.5 Float:1e10 Float:1E-3 Float:2.5e+7 Float:-0.5e0 Float:0e0"},
    {"1,2]", "Int:1 Int:2 ]"},
    {"\"simple\"", "String:simple"},
    {"\"\"", "String:"},
    {"\" white space \"", "String: white space "},
    {"\"quote \\\" slash \\\\ \\/ n\\n t\\t\"", "String:quote \" slash \\ / n\\n t\t"},
    {"\"\\u00e9\\u0041\\u00E9\"", "String:\xC3\xA9"
                                  "A\xC3\xA9"},
    {"\"\\uD83D\\uDE00\"", "String:\xF0\x9F\x98\x80"},
    {"\"\\uFFFF\\u0000\"", "String:\xEF\xBF\xBF"}, /* NUL ends the rendered C string */
    {"\"unicode \xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8\"",
     "String:unicode \xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8"},
    {"\"\xEF\xBB\xBF\"", "String:\xEF\xBB\xBF"},
    {"\"\"\"simple\"\"\"", "BlockString:simple"},
    {"\"\"\"\"\"\"", "BlockString:"},
    {"\"\"\"  white space  \"\"\"", "BlockString:  white space  "},
    {"\"\"\"contains \" quote\"\"\"", "BlockString:contains \" quote"},
    {"\"\"\"contains \\\"\"\" triple quote\"\"\"", "BlockString:contains \"\"\" triple quote"},
    {"\"\"\"multi\nline\"\"\"", "BlockString:multi\\nline"},
    {"\"\"\"multi\rline\r\nnormalized\"\"\"", "BlockString:multi\\nline\\nnormalized"},
    {"\"\"\"unescaped \\n\\r\\b\\t\\f\\u1234\"\"\"",
     "BlockString:unescaped \\n\\r\\b\\t\\f\\u1234"},
    {"\"\"\"slashes \\\\ \\/\"\"\"", "BlockString:slashes \\\\ \\/"},
    {"\"\"\"\n\n   spans\n     multiple\n   lines\n\n  \"\"\"",
     "BlockString:spans\\n  multiple\\nlines"},
    {"\"\"\"  first\n    second\n  third\"\"\"", "BlockString:  first\\n  second\\nthird"},
    {"\"\"\"\n  \t \n   \n\"\"\"", "BlockString:"},
    {"\"\"\"\n    a\n\n    b\n\"\"\"", "BlockString:a\\n\\nb"},
    {"\"\"\"\n    a\n  \n      b\n\"\"\"", "BlockString:a\\n\\n  b"},
    {"\"\"\"\r\n  a\r\n  b\r\n\"\"\"", "BlockString:a\\nb"},
    {"\"\"\"\n  a\n  \\\"\"\"\n\"\"\"", "BlockString:a\\n\"\"\""},
    {"\"\"\"\\\\\"\"\"\"\"\"", "BlockString:\\\"\"\""},
    {"\"\"\"x\"\"\"\"", "BlockString:x 1:9 Syntax Error: Unterminated string."},
};

/* Errors render as "line:col message" after the tokens read before them. */
static const lex_case_t errors[] = {
    {"\"", "1:2 Syntax Error: Unterminated string."},
    {"\"no end", "1:8 Syntax Error: Unterminated string."},
    {"\"multi\nline\"", "1:7 Syntax Error: Unterminated string."},
    {"\"multi\rline\"", "1:7 Syntax Error: Unterminated string."},
    {"\"\\", "1:2 Syntax Error: Invalid character escape sequence: \"\\\"."},
    {"\"bad \\x esc\"", "1:6 Syntax Error: Invalid character escape sequence: \"\\x\"."},
    {"\"bad \\u1 esc\"", "1:6 Syntax Error: Invalid Unicode escape sequence: \"\\u1 es\"."},
    {"\"bad \\u0XX1 esc\"", "1:6 Syntax Error: Invalid Unicode escape sequence: \"\\u0XX1\"."},
    {"\"bad \\uXXXX esc\"", "1:6 Syntax Error: Invalid Unicode escape sequence: \"\\uXXXX\"."},
    {"\"bad \\uFXXX esc\"", "1:6 Syntax Error: Invalid Unicode escape sequence: \"\\uFXXX\"."},
    /* \u{...} came after October 2021: rejected, quoted whole; graphql-js 16 accepts it. */
    {"\"bad \\u{1F600} esc\"",
     "1:6 Syntax Error: Invalid Unicode escape sequence: \"\\u{1F600}\"."},
    {"\"\\u{41}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{41}\"."},
    {"\"\\u{00000041}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{00000041}\"."},
    /* Braced escapes graphql-js rejects too, quoted as graphql-js quotes them: up to the
     * character that made it fail. */
    {"\"\\u{110000}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\"."},
    {"\"\\u{D800}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\"."},
    {"\"\\u{}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{}\"."},
    {"\"\\u{XYZ}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{X\"."},
    {"\"\\u{41\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{41\"\"."},
    {"\"\\u{41 \"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{41 \"."},
    {"\"\\u{80000000}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{80000000\"."},
    {"\"\\u{000000041}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{000000041\"."},
    {"\"\\u{", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{\"."},
    {"\"\\u{\xC3\xA9}\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u{\xC3\xA9\"."},
    {"\"\\uD800\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uD800\"."},
    {"\"\\uDBFF\\u0041\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uDBFF\"."},
    {"\"\\uDC00\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uDC00\"."},
    {"\"\\uD83D\\uDBFF\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\"."},
    {"\"\\uD83D\"", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\"."},
    {"\"\\u12", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u12\"."},
    {"\"\\u", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u\"."},
    /* The fixed form quotes the six UTF-16 code units from the backslash, whatever they are. */
    {"\"\\u12\") x", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u12\")\"."},
    {"\"\\u\xC3\xA9xyz\"",
     "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u\xC3\xA9xyz\"."},
    {"\"\\u12\xF0\x9F\x98\x80\"",
     "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u12\xF0\x9F\x98\x80\"."},
    /* graphql-js would end the quote with half of the surrogate pair; UTF-8 cannot. */
    {"\"\\u123\xF0\x9F\x98\x80\"",
     "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u123\"."},
    {"\"\\u1\x07", "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u1\x07\"."},
    {"\"a\\\xC3\xA9\"", "1:3 Syntax Error: Invalid character escape sequence: \"\\\xC3\xA9\"."},
    {"\"a\\\tb\"", "1:3 Syntax Error: Invalid character escape sequence: \"\\\t\"."},
    {"\"a\\\nb\"", "1:3 Syntax Error: Invalid character escape sequence: \"\\\n\"."},
    {"\"a\\\rb\"", "1:3 Syntax Error: Invalid character escape sequence: \"\\\r\"."},
    {"\"a\\\x01\"", "1:3 Syntax Error: Invalid character escape sequence: \"\\\x01\"."},
    {"\"contains \x07 bell\"", "1:11 Syntax Error: Invalid character within String: U+0007."},
    {"\"\"\"no end", "1:10 Syntax Error: Unterminated string."},
    {"\"\"\"a\n\x01\"\"\"", "2:1 Syntax Error: Invalid character within String: U+0001."},
    {"0x", "1:2 Syntax Error: Invalid number, expected digit but got: \"x\"."},
    {"00", "1:2 Syntax Error: Invalid number, unexpected digit after 0: \"0\"."},
    {"01", "1:2 Syntax Error: Invalid number, unexpected digit after 0: \"1\"."},
    {"-", "1:2 Syntax Error: Invalid number, expected digit but got: <EOF>."},
    {"-a", "1:2 Syntax Error: Invalid number, expected digit but got: \"a\"."},
    {"1.", "1:3 Syntax Error: Invalid number, expected digit but got: <EOF>."},
    {"1.A", "1:3 Syntax Error: Invalid number, expected digit but got: \"A\"."},
    {"1.e1", "1:3 Syntax Error: Invalid number, expected digit but got: \"e\"."},
    {"1e", "1:3 Syntax Error: Invalid number, expected digit but got: <EOF>."},
    {"1e+", "1:4 Syntax Error: Invalid number, expected digit but got: <EOF>."},
    {"1.0e\"", "1:5 Syntax Error: Invalid number, expected digit but got: '\"'."},
    {"123abc", "1:4 Syntax Error: Invalid number, expected digit but got: \"a\"."},
    {"1_000", "1:2 Syntax Error: Invalid number, expected digit but got: \"_\"."},
    {"1.2.3", "1:4 Syntax Error: Invalid number, expected digit but got: \".\"."},
    {"1.23f", "1:5 Syntax Error: Invalid number, expected digit but got: \"f\"."},
    {"+1", "1:1 Syntax Error: Unexpected character: \"+\"."},
    {".5", "1:1 Syntax Error: Unexpected character: \".\"."},
    {"..", "1:1 Syntax Error: Unexpected character: \".\"."},
    {"..name", "1:1 Syntax Error: Unexpected character: \".\"."},
    {"-.5", "1:2 Syntax Error: Invalid number, expected digit but got: \".\"."},
    {"a . b", "Name:a 1:3 Syntax Error: Unexpected character: \".\"."},
    {"?", "1:1 Syntax Error: Unexpected character: \"?\"."},
    {"'single'", "1:1 Syntax Error: Unexpected single quote character ('), did you mean to use a "
                 "double quote (\")?"},
    {"\x07", "1:1 Syntax Error: Unexpected character: U+0007."},
    {"{ \x1F }", "{ 1:3 Syntax Error: Unexpected character: U+001F."},
    {"\x7F", "1:1 Syntax Error: Unexpected character: U+007F."},
    {"\xC3\xA9", "1:1 Syntax Error: Unexpected character: U+00E9."},
    {"\xE2\x80\xA8", "1:1 Syntax Error: Unexpected character: U+2028."},
    {"\xF0\x9F\x98\x80", "1:1 Syntax Error: Unexpected character: U+1F600."},
    {"\xFF", "1:1 Syntax Error: Invalid UTF-8 sequence starting with byte 0xFF."},
    {"\xC0\x80", "1:1 Syntax Error: Invalid UTF-8 sequence starting with byte 0xC0."},
    {"\xED\xA0\x80", "1:1 Syntax Error: Invalid UTF-8 sequence starting with byte 0xED."},
    {"\xF4\x90\x80\x80", "1:1 Syntax Error: Invalid UTF-8 sequence starting with byte 0xF4."},
    {"\"\xE2\x82\"", "1:2 Syntax Error: Invalid UTF-8 sequence starting with byte 0xE2."},
    {"\"\"\"\xC3\"\"\"", "1:4 Syntax Error: Invalid UTF-8 sequence starting with byte 0xC3."},
    {"# \xFF", "1:3 Syntax Error: Invalid UTF-8 sequence starting with byte 0xFF."},
    /* October 2021: a control character is not a CommentChar, so the comment ends before it
     * and it is then an unexpected character (graphql-js 16 allows it in a comment). */
    {"# bell \x07 here", "1:8 Syntax Error: Unexpected character: U+0007."},
    {"a # \x1B[0m\nb", "Name:a 1:5 Syntax Error: Unexpected character: U+001B."},
    {"\"\xC3\xA9\" ?", "String:\xC3\xA9 1:5 Syntax Error: Unexpected character: \"?\"."},
    {"\"\xF0\x9F\x98\x80\" ?",
     "String:\xF0\x9F\x98\x80 1:6 Syntax Error: Unexpected character: \"?\"."},
    {"\n\n  ?", "3:3 Syntax Error: Unexpected character: \"?\"."},
    {"\r\n\r\n?", "3:1 Syntax Error: Unexpected character: \"?\"."},
    {"\"\"\"\nx\n\"\"\" ?", "BlockString:x 3:5 Syntax Error: Unexpected character: \"?\"."},
};

static void run_table(const lex_case_t *cases, size_t n) {
    char got[512];
    for (size_t i = 0; i < n; i++) {
        render(cases[i].src, strlen(cases[i].src), got, sizeof got);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: input [%s]\n  want [%s]\n  got  [%s]", i, cases[i].src,
                     cases[i].want, got);
    }
}

static void test_tokens(void **state) {
    (void)state;
    run_table(tokens, sizeof tokens / sizeof tokens[0]);
}

static void test_errors(void **state) {
    (void)state;
    run_table(errors, sizeof errors / sizeof errors[0]);
}

/* Inputs with NUL bytes, which the tables' C strings cannot carry. */
static void test_nul_bytes(void **state) {
    (void)state;
    char got[256];
    static const char nul_top[] = "a\0b";
    render(nul_top, sizeof nul_top - 1, got, sizeof got);
    assert_string_equal(got, "Name:a 1:2 Syntax Error: Unexpected character: U+0000.");
    static const char nul_comment[] = "a # x\0y";
    render(nul_comment, sizeof nul_comment - 1, got, sizeof got);
    assert_string_equal(got, "Name:a 1:6 Syntax Error: Unexpected character: U+0000.");
    /* graphql-js would quote the NUL after the backslash; a C string cannot. */
    static const char nul_after_escape[] = "\"a\\\0\"";
    render(nul_after_escape, sizeof nul_after_escape - 1, got, sizeof got);
    assert_string_equal(got, "1:4 Syntax Error: Invalid character within String: U+0000.");
    static const char nul_in_unicode[] = "\"\\u1\0x\"";
    render(nul_in_unicode, sizeof nul_in_unicode - 1, got, sizeof got);
    assert_string_equal(got, "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u1\".");
    static const char nul_escape[] = "\"x\\u0000y\"";
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql__lexer_t lx;
    gql__lexer_init(&lx, nul_escape, sizeof nul_escape - 1);
    gql__token_t t;
    assert_int_equal(gql__lex(&lx, &t, NULL), LC_OK);
    lc_str_t v;
    assert_int_equal(gql__token_string_value(&a, nul_escape, &t, &v), LC_OK);
    assert_int_equal(v.len, 3);
    assert_memory_equal(v.ptr, "x\0y", 3);
    lc_arena_dispose(&a);
}

typedef struct {
    const char *src;
    unsigned index; /* which token */
    unsigned line, column, offset;
} loc_case_t;

static const loc_case_t locations[] = {
    {"foo", 0, 1, 1, 0},
    {"\n\n   foo", 0, 3, 4, 5},
    {"a\r\nb", 1, 2, 1, 3},
    {"a\rb", 1, 2, 1, 2},
    {"a\n\rb", 1, 3, 1, 3},
    {"a, b", 1, 1, 4, 3},
    {"# c\n  x", 0, 2, 3, 6},
    {"\xEF\xBB\xBF"
     "a",
     0, 1, 2, 3},
    {"\"\xC3\xA9\" x", 1, 1, 5, 5},         /* é: one UTF-16 unit */
    {"\"\xE2\x82\xAC\" x", 1, 1, 5, 6},     /* €: one unit */
    {"\"\xF0\x9F\x98\x80\" x", 1, 1, 6, 7}, /* 😀: a surrogate pair, two units */
    {"# \xC3\xA9\xC3\xA9\n \"\xC3\xA9\" x", 1, 2, 6, 13},
    {"\"\"\"a\nb\"\"\" c", 1, 2, 6, 10},
    {"\"\"\"a\r\n\xC3\xA9\"\"\" c", 1, 2, 6, 12},
    {"{ a { b } }", 4, 1, 9, 8},
    {"...x", 1, 1, 4, 3},
};

static void test_locations(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof locations / sizeof locations[0]; i++) {
        const loc_case_t *c = &locations[i];
        gql__lexer_t lx;
        gql__lexer_init(&lx, c->src, strlen(c->src));
        gql__token_t t;
        for (unsigned k = 0; k <= c->index; k++)
            assert_int_equal(gql__lex(&lx, &t, NULL), LC_OK);
        if (t.line != c->line || t.column != c->column || t.start != c->offset)
            fail_msg("case %zu: want %u:%u@%u, got %u:%u@%u", i, c->line, c->column, c->offset,
                     (unsigned)t.line, (unsigned)t.column, (unsigned)t.start);
        /* gql_loc_at agrees with the lexer. */
        gql_loc_t l = gql_loc_at(c->src, strlen(c->src), t.start);
        assert_int_equal(l.line, t.line);
        assert_int_equal(l.column, t.column);
        assert_int_equal(l.offset, t.start);
    }
}

/* EOF repeats, and its location is the end of input. */
static void test_eof(void **state) {
    (void)state;
    gql__lexer_t lx;
    gql__lexer_init(&lx, "a\n  ", 4);
    gql__token_t t;
    assert_int_equal(gql__lex(&lx, &t, NULL), LC_OK);
    assert_int_equal(t.kind, GQL__TOK_NAME);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gql__lex(&lx, &t, NULL), LC_OK);
        assert_int_equal(t.kind, GQL__TOK_EOF);
        assert_int_equal(t.start, 4);
        assert_int_equal(t.line, 2);
        assert_int_equal(t.column, 3);
    }
}

/* Values that need no rewriting are slices of the source; the others are arena copies. */
static void test_value_slices(void **state) {
    (void)state;
    static const struct {
        const char *src;
        bool slice;
    } cases[] = {
        {"\"plain\"", true},
        {"\"esc\\n\"", false},
        {"\"\"\"one line\"\"\"", true},
        {"\"\"\"\n    indented one line\n  \"\"\"", true},
        {"\"\"\"a\nb\nc\"\"\"", true},
        {"\"\"\"\n  a\n  b\n\"\"\"", false},
        {"\"\"\"a\r\nb\"\"\"", false},
        {"\"\"\"q \\\"\"\"\"\"\"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *src = cases[i].src;
        size_t len = strlen(src);
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        gql__lexer_t lx;
        gql__lexer_init(&lx, src, len);
        gql__token_t t;
        assert_int_equal(gql__lex(&lx, &t, NULL), LC_OK);
        lc_str_t v;
        assert_int_equal(gql__token_string_value(&a, src, &t, &v), LC_OK);
        bool inside = v.ptr >= src && v.ptr + v.len <= src + len;
        if (inside != cases[i].slice)
            fail_msg("case %zu: slice %d, want %d", i, inside, cases[i].slice);
        /* The diagnostic copy agrees with the value. */
        char copy[64];
        size_t n = gql__token_string_copy(src, &t, copy, sizeof copy);
        assert_int_equal(n, v.len);
        assert_memory_equal(copy, v.ptr, n);
        lc_arena_dispose(&a);
    }
}

/* A failed arena allocation while decoding is LC_ENOMEM. */
static void test_value_oom(void **state) {
    (void)state;
    static const char src[] = "\"esc\\n\"";
    lc_arena_t a;
    lc_arena_init(&a, 64, 1); /* nothing fits */
    gql__lexer_t lx;
    gql__lexer_init(&lx, src, sizeof src - 1);
    gql__token_t t;
    assert_int_equal(gql__lex(&lx, &t, NULL), LC_OK);
    lc_str_t v;
    assert_int_equal(gql__token_string_value(&a, src, &t, &v), LC_ENOMEM);
    lc_arena_dispose(&a);
}

static void test_utf8_decode(void **state) {
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        uint32_t cp;
    } cases[] = {
        {"A", 1, 'A'},
        {"\xC2\x80", 2, 0x80},
        {"\xDF\xBF", 2, 0x7FF},
        {"\xE0\xA0\x80", 3, 0x800},
        {"\xED\x9F\xBF", 3, 0xD7FF},
        {"\xEE\x80\x80", 3, 0xE000},
        {"\xF0\x90\x80\x80", 4, 0x10000},
        {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},
        {"\x80", 0, 0},
        {"\xC1\xBF", 0, 0},
        {"\xE0\x9F\xBF", 0, 0},
        {"\xED\xBF\xBF", 0, 0},
        {"\xF0\x8F\xBF\xBF", 0, 0},
        {"\xF4\x90\x80\x80", 0, 0},
        {"\xF5\x80\x80\x80", 0, 0},
        {"\xE2\x82", 0, 0},
        {"\xC3\x28", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0;
        size_t n = gql__utf8_decode((const unsigned char *)cases[i].s, strlen(cases[i].s), &cp);
        if (n != cases[i].n || (n && cp != cases[i].cp))
            fail_msg("case %zu: got %zu U+%04X", i, n, (unsigned)cp);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nul_bytes), cmocka_unit_test(test_locations),
        cmocka_unit_test(test_eof),       cmocka_unit_test(test_value_slices),
        cmocka_unit_test(test_value_oom), cmocka_unit_test(test_utf8_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
