/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/printer.c: documents -> canonical text (graphql-js 16 print()),
 * strings and block strings -> literals, argument wrapping, printing any node, idempotence
 * (print -> parse -> print), and a full buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gql/parse.h"
#include "gql/print.h"

/* Parses src (which must parse) and returns its print, in arena storage. */
static const char *print_src(lc_arena_t *a, const char *src, size_t len) {
    gql_document_t *doc = NULL;
    gql_error_t err;
    int rc = gql_parse_document(a, src, len, NULL, &doc, &err);
    if (rc != LC_OK)
        fail_msg("parse failed: %u:%u %s\n[%s]", (unsigned)err.loc.line, (unsigned)err.loc.column,
                 err.message, src);
    lc_buf_t b;
    lc_buf_init(&b, a, 0, 0);
    assert_int_equal(gql_print_document(&b, doc), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    return b.data;
}

/* Checks print(src) == want and print(parse(want)) == want. */
static void check_print(size_t i, const char *src, const char *want) {
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    const char *got = print_src(&a, src, strlen(src));
    if (strcmp(got, want) != 0)
        fail_msg("case %zu:\n--- input\n%s\n--- want\n%s\n--- got\n%s", i, src, want, got);
    const char *again = print_src(&a, got, strlen(got));
    if (strcmp(again, want) != 0)
        fail_msg("case %zu: not idempotent:\n%s", i, again);
    lc_arena_dispose(&a);
}

/* ---- Documents --------------------------------------------------------------------------- */

static const char query_sink[] =
    "query heroes($first: Int = 10, $kind: Kind = HUMAN) @live {\n"
    "  leader: hero(id: [7, 8]) {\n"
    "    id ,\n"
    "    ... on Droid @inline {\n"
    "      friends {\n"
    "        id ,\n"
    "        nick: name(first:3, after:$first,) @include(if: $kind) {\n"
    "          id,\n"
    "          ...parts @spread\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "    ... @skip(if: $kind) {\n"
    "      id\n"
    "    }\n"
    "    ... {\n"
    "      id\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "mutation vote @mut {\n"
    "  vote(id: 5) @f {\n"
    "    poll {\n"
    "      id @f\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "subscription OnVote(\n"
    "  $input: VoteInput @varDir\n"
    ")\n"
    "  @sub {\n"
    "  onVote(input: $input) {\n"
    "    poll {\n"
    "      voters {\n"
    "        total\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "fragment parts on Character @frag {\n"
    "  bar(\n"
    "    size: $size\n"
    "    other: $o\n"
    "    obj: {\n"
    "      key: \"value\"\n"
    "      block: \"\"\"\n"
    "      block string uses \\\"\"\"\n"
    "      \"\"\"\n"
    "    }\n"
    "  )\n"
    "}\n"
    "\n"
    "{\n"
    "  plain(yes: true, no: false, nothing: null)\n"
    "  query\n"
    "}\n"
    "\n"
    "query { __typename }\n";

static const char query_sink_printed[] =
    "query heroes($first: Int = 10, $kind: Kind = HUMAN) @live {\n"
    "  leader: hero(id: [7, 8]) {\n"
    "    id\n"
    "    ... on Droid @inline {\n"
    "      friends {\n"
    "        id\n"
    "        nick: name(first: 3, after: $first) @include(if: $kind) {\n"
    "          id\n"
    "          ...parts @spread\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "    ... @skip(if: $kind) {\n"
    "      id\n"
    "    }\n"
    "    ... {\n"
    "      id\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "mutation vote @mut {\n"
    "  vote(id: 5) @f {\n"
    "    poll {\n"
    "      id @f\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "subscription OnVote($input: VoteInput @varDir) @sub {\n"
    "  onVote(input: $input) {\n"
    "    poll {\n"
    "      voters {\n"
    "        total\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "fragment parts on Character @frag {\n"
    "  bar(\n"
    "    size: $size\n"
    "    other: $o\n"
    "    obj: {key: \"value\", block: \"\"\"\n"
    "    block string uses \\\"\"\"\n"
    "    \"\"\"}\n"
    "  )\n"
    "}\n"
    "\n"
    "{\n"
    "  plain(yes: true, no: false, nothing: null)\n"
    "  query\n"
    "}\n"
    "\n"
    "{\n"
    "  __typename\n"
    "}";

static const char sdl_sink[] = "\"\"\"The schema of a library.\"\"\"\n"
                               "schema {\n"
                               "  query: Library\n"
                               "  mutation: Desk\n"
                               "}\n"
                               "\n"
                               "\"\"\"\n"
                               "A book\n"
                               "on a `Shelf`.\n"
                               "\"\"\"\n"
                               "type Book implements Item & Lendable & Node {\n"
                               "  \"The `title` field.\"\n"
                               "  title: String\n"
                               "  \"\"\"\n"
                               "  The `author` field.\n"
                               "  \"\"\"\n"
                               "  author(\n"
                               "    \"\"\"\n"
                               "    The `style` argument.\n"
                               "    \"\"\"\n"
                               "    style: NameStyle!\n"
                               "  ): Person\n"
                               "  \"\"\"The `pages` field.\"\"\"\n"
                               "  pages(from: Int, to: Int): Int\n"
                               "  tags(prefix: String = \"x\"): [String]\n"
                               "  isbn(format: [String] = [\"a\", \"b\"]): String\n"
                               "  cover(size: Size = {w: 1}): Image\n"
                               "  rating(scale: Int = null): Float\n"
                               "}\n"
                               "\n"
                               "type Annotated @obj(arg: \"v\") {\n"
                               "  field(arg: Type = \"d\" @argDef): Type @fieldDef\n"
                               "}\n"
                               "\n"
                               "type Empty\n"
                               "\n"
                               "extend type Book {\n"
                               "  shelf(at: [String]): Shelf\n"
                               "}\n"
                               "\n"
                               "extend type Book @onType\n"
                               "\n"
                               "interface Item {\n"
                               "  id: ID\n"
                               "}\n"
                               "\n"
                               "interface Lendable implements Node & Item\n"
                               "\n"
                               "extend interface Item implements Node {\n"
                               "  node(id: ID!): Node\n"
                               "}\n"
                               "\n"
                               "extend interface Item @onInterface\n"
                               "\n"
                               "union Media =\n"
                               "  | Book\n"
                               "  | Film\n"
                               "\n"
                               "union Dir @u = A | B\n"
                               "\n"
                               "union Lead @u = | A | B\n"
                               "\n"
                               "union Nothing\n"
                               "\n"
                               "extend union Media = Song | Game\n"
                               "\n"
                               "extend union Media @onUnion\n"
                               "\n"
                               "scalar Url\n"
                               "\n"
                               "scalar Date @spec\n"
                               "\n"
                               "extend scalar Url @onScalar\n"
                               "\n"
                               "enum Size {\n"
                               "  \"\"\"\n"
                               "  The `SMALL` value\n"
                               "  \"\"\"\n"
                               "  SMALL\n"
                               "\n"
                               "  \"\"\"The `LARGE` value\"\"\"\n"
                               "  LARGE\n"
                               "\n"
                               "  \"The `HUGE` value\"\n"
                               "  HUGE\n"
                               "}\n"
                               "\n"
                               "enum Empty2\n"
                               "\n"
                               "extend enum Size { TINY }\n"
                               "\n"
                               "extend enum Size @onEnum\n"
                               "\n"
                               "input Filter {\n"
                               "  key: String!\n"
                               "  limit: Int = 10\n"
                               "}\n"
                               "\n"
                               "input NoFields\n"
                               "\n"
                               "extend input Filter {\n"
                               "  ratio: Float = 1.5e3 @inDef\n"
                               "}\n"
                               "\n"
                               "extend input Filter @onInput\n"
                               "\n"
                               "\"\"\"\n"
                               "The `@cached` directive\n"
                               "\"\"\"\n"
                               "directive @cached(\n"
                               "  \"\"\"The `ttl` argument\"\"\"\n"
                               "  ttl: Int! @argDef\n"
                               ") on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
                               "\n"
                               "directive @log(level: Int!)\n"
                               "  on FIELD\n"
                               "   | QUERY\n"
                               "\n"
                               "directive @log2(level: Int!) on\n"
                               "  | FIELD\n"
                               "  | QUERY\n"
                               "\n"
                               "directive @tag(name: String!) repeatable on\n"
                               "  | OBJECT\n"
                               "  | INTERFACE\n"
                               "\n"
                               "extend schema @onSchema\n"
                               "\n"
                               "extend schema @onSchema {\n"
                               "  subscription: Feed\n"
                               "}\n";

static const char sdl_sink_printed[] = "\"\"\"The schema of a library.\"\"\"\n"
                                       "schema {\n"
                                       "  query: Library\n"
                                       "  mutation: Desk\n"
                                       "}\n"
                                       "\n"
                                       "\"\"\"\n"
                                       "A book\n"
                                       "on a `Shelf`.\n"
                                       "\"\"\"\n"
                                       "type Book implements Item & Lendable & Node {\n"
                                       "  \"The `title` field.\"\n"
                                       "  title: String\n"
                                       "  \"\"\"The `author` field.\"\"\"\n"
                                       "  author(\n"
                                       "    \"\"\"The `style` argument.\"\"\"\n"
                                       "    style: NameStyle!\n"
                                       "  ): Person\n"
                                       "  \"\"\"The `pages` field.\"\"\"\n"
                                       "  pages(from: Int, to: Int): Int\n"
                                       "  tags(prefix: String = \"x\"): [String]\n"
                                       "  isbn(format: [String] = [\"a\", \"b\"]): String\n"
                                       "  cover(size: Size = {w: 1}): Image\n"
                                       "  rating(scale: Int = null): Float\n"
                                       "}\n"
                                       "\n"
                                       "type Annotated @obj(arg: \"v\") {\n"
                                       "  field(arg: Type = \"d\" @argDef): Type @fieldDef\n"
                                       "}\n"
                                       "\n"
                                       "type Empty\n"
                                       "\n"
                                       "extend type Book {\n"
                                       "  shelf(at: [String]): Shelf\n"
                                       "}\n"
                                       "\n"
                                       "extend type Book @onType\n"
                                       "\n"
                                       "interface Item {\n"
                                       "  id: ID\n"
                                       "}\n"
                                       "\n"
                                       "interface Lendable implements Node & Item\n"
                                       "\n"
                                       "extend interface Item implements Node {\n"
                                       "  node(id: ID!): Node\n"
                                       "}\n"
                                       "\n"
                                       "extend interface Item @onInterface\n"
                                       "\n"
                                       "union Media = Book | Film\n"
                                       "\n"
                                       "union Dir @u = A | B\n"
                                       "\n"
                                       "union Lead @u = A | B\n"
                                       "\n"
                                       "union Nothing\n"
                                       "\n"
                                       "extend union Media = Song | Game\n"
                                       "\n"
                                       "extend union Media @onUnion\n"
                                       "\n"
                                       "scalar Url\n"
                                       "\n"
                                       "scalar Date @spec\n"
                                       "\n"
                                       "extend scalar Url @onScalar\n"
                                       "\n"
                                       "enum Size {\n"
                                       "  \"\"\"The `SMALL` value\"\"\"\n"
                                       "  SMALL\n"
                                       "  \"\"\"The `LARGE` value\"\"\"\n"
                                       "  LARGE\n"
                                       "  \"The `HUGE` value\"\n"
                                       "  HUGE\n"
                                       "}\n"
                                       "\n"
                                       "enum Empty2\n"
                                       "\n"
                                       "extend enum Size {\n"
                                       "  TINY\n"
                                       "}\n"
                                       "\n"
                                       "extend enum Size @onEnum\n"
                                       "\n"
                                       "input Filter {\n"
                                       "  key: String!\n"
                                       "  limit: Int = 10\n"
                                       "}\n"
                                       "\n"
                                       "input NoFields\n"
                                       "\n"
                                       "extend input Filter {\n"
                                       "  ratio: Float = 1.5e3 @inDef\n"
                                       "}\n"
                                       "\n"
                                       "extend input Filter @onInput\n"
                                       "\n"
                                       "\"\"\"The `@cached` directive\"\"\"\n"
                                       "directive @cached(\n"
                                       "  \"\"\"The `ttl` argument\"\"\"\n"
                                       "  ttl: Int! @argDef\n"
                                       ") on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
                                       "\n"
                                       "directive @log(level: Int!) on FIELD | QUERY\n"
                                       "\n"
                                       "directive @log2(level: Int!) on FIELD | QUERY\n"
                                       "\n"
                                       "directive @tag(name: String!) repeatable on OBJECT | "
                                       "INTERFACE\n"
                                       "\n"
                                       "extend schema @onSchema\n"
                                       "\n"
                                       "extend schema @onSchema {\n"
                                       "  subscription: Feed\n"
                                       "}";

static void test_kitchen_sinks(void **state) {
    (void)state;
    check_print(0, query_sink, query_sink_printed);
    check_print(1, sdl_sink, sdl_sink_printed);
}

typedef struct {
    const char *src;
    const char *want;
} print_case_t;

static const print_case_t documents[] = {
    /* The query keyword is left out only for an anonymous query without extras. */
    {"query { id, name }", "{\n  id\n  name\n}"},
    {"mutation { id }", "mutation {\n  id\n}"},
    {"query ($foo: TestType) @dir { id }", "query ($foo: TestType) @dir {\n  id\n}"},
    {"subscription ($foo: T) { id }", "subscription ($foo: T) {\n  id\n}"},
    {"query ($foo: T = {a: 123} @d(if: true) @e) { id }",
     "query ($foo: T = {a: 123} @d(if: true) @e) {\n  id\n}"},
    /* Field arguments: one line up to 80 columns, then one per line. */
    {"{route(accessible:false departAt:false){time}}",
     "{\n  route(accessible: false, departAt: false) {\n    time\n  }\n}"},
    {"{route(accessible:false departAt:false includeCancelled:true walkingReluctance:2000)"
     "{time}}",
     "{\n  route(\n    accessible: false\n    departAt: false\n    includeCancelled: true\n"
     "    walkingReluctance: 2000\n  ) {\n    time\n  }\n}"},
    {"{f(x: \"123456789012345678901234567890123456789012345678901234567890123456789012\")}",
     "{\n  f(x: \"123456789012345678901234567890123456789012345678901234567890123456789012\")\n}"},
    {"{f(x: \"1234567890123456789012345678901234567890123456789012345678901234567890123\")}",
     "{\n  f(\n    x: "
     "\"1234567890123456789012345678901234567890123456789012345678901234567890123\"\n"
     "  )\n}"},
    /* Nesting indents the line but does not count towards its length. */
    {"{a{b{f(x: \"123456789012345678901234567890123456789012345678901234567890123456789012\")}}}",
     "{\n  a {\n    b {\n      f(x: "
     "\"123456789012345678901234567890123456789012345678901234567890123456789012\")\n    }\n  "
     "}\n}"},
    /* The alias counts; columns are UTF-16 units, not bytes. */
    {"{a: f(x: \"1234567890123456789012345678901234567890123456789012345678901234567890\")}",
     "{\n  a: f(\n    x: "
     "\"1234567890123456789012345678901234567890123456789012345678901234567890\"\n"
     "  )\n}"},
    {"{f(x: \"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
     "12345678901234567890123456789012345678901234567890123456789012\")}",
     "{\n  f(x: \"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
     "12345678901234567890123456789012345678901234567890123456789012\")\n}"},
    /* A multi-line block string in an argument is part of the measured line. */
    {"{f(x: \"\"\"a\nb\"\"\")}", "{\n  f(x: \"\"\"\n  a\n  b\n  \"\"\")\n}"},
    /* Argument definitions go one per line when one of them spans lines. */
    {"type T { f(a: Int, b: String = \"\"\"x\ny\"\"\"): Int }",
     "type T {\n  f(\n    a: Int\n    b: String = \"\"\"\n    x\n    y\n    \"\"\"\n  ): Int\n}"},
    {"directive @d(\"a\" a: Int, b: Int) on FIELD",
     "directive @d(\n  \"a\"\n  a: Int\n  b: Int\n) on FIELD"},
    /* Descriptions keep their kind; block descriptions are re-indented with their block. */
    {"type T { \"\"\"\n  a\n    b\n  \"\"\" f: Int }",
     "type T {\n  \"\"\"\n  a\n    b\n  \"\"\"\n  f: Int\n}"},
    {"type T { \"\"\"\n  a\n\n  b\n  \"\"\" f: Int }",
     "type T {\n  \"\"\"\n  a\n  \n  b\n  \"\"\"\n  f: Int\n}"},
    {"\"s\" type T", "\"s\"\ntype T"},
    /* The query shorthand after a body-less definition would read back as its body: the
     * keyword stays (fuzz/crashers/parse/shorthand-after-type). */
    {"type Query query { a }", "type Query\n\nquery {\n  a\n}"},
    {"extend schema @d query { a }", "extend schema @d\n\nquery {\n  a\n}"},
    {"enum E query { a }", "enum E\n\nquery {\n  a\n}"},
    {"input I extend interface J @d query { a }",
     "input I\n\nextend interface J @d\n\nquery {\n  a\n}"},
    {"type T { f: Int } query { a }", "type T {\n  f: Int\n}\n\n{\n  a\n}"},
    {"union U query { a }", "union U\n\n{\n  a\n}"},
    /* Values */
    {"{f(a: [], b: {}, c: [[1], {x: [2]}], d: -0.5e-10, e: ENUM)}",
     "{\n  f(a: [], b: {}, c: [[1], {x: [2]}], d: -0.5e-10, e: ENUM)\n}"},
    {"{f(s: \"\\u0001\\b\\f\\n\\r\\t\\\"\\\\\\/\\u007f\\u0080\\u00a0\")}",
     "{\n  f(s: \"\\u0001\\b\\f\\n\\r\\t\\\"\\\\/\\u007F\\u0080\xC2\xA0\")\n}"},
};

static void test_documents(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++)
        check_print(i, documents[i].src, documents[i].want);
}

/* ---- String literals --------------------------------------------------------------------- */

static const print_case_t block_strings[] = {
    {"", "\"\"\"\"\"\""},
    {"abc", "\"\"\"abc\"\"\""},
    {"  abc", "\"\"\"  abc\"\"\""},
    {"\tabc", "\"\"\"\tabc\"\"\""},
    {"abc\ndef", "\"\"\"\nabc\ndef\n\"\"\""},
    {"abc\n  def", "\"\"\"\nabc\n  def\n\"\"\""},
    {"  abc\ndef", "\"\"\"\n  abc\ndef\n\"\"\""},
    {"a\n\nb", "\"\"\"\na\n\nb\n\"\"\""},
    {"ends \"", "\"\"\"\nends \"\n\"\"\""},
    {"  lead ws \"", "\"\"\"  lead ws \"\n\"\"\""},
    {"ends \\", "\"\"\"\nends \\\n\"\"\""},
    {"triple \"\"\" inside", "\"\"\"triple \\\"\"\" inside\"\"\""},
    {"ends \"\"\"", "\"\"\"\nends \\\"\"\"\n\"\"\""},
    {"\"\"\"\"", "\"\"\"\n\\\"\"\"\"\n\"\"\""},
    {"1234567890123456789012345678901234567890123456789012345678901234567890",
     "\"\"\"1234567890123456789012345678901234567890123456789012345678901234567890\"\"\""},
    {"12345678901234567890123456789012345678901234567890123456789012345678901",
     "\"\"\"\n12345678901234567890123456789012345678901234567890123456789012345678901\n\"\"\""},
};

static void test_block_strings(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof block_strings / sizeof block_strings[0]; i++) {
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        lc_buf_t b;
        lc_buf_init(&b, &a, 0, 0);
        assert_int_equal(gql_print_block_string(&b, lc_str_from(block_strings[i].src)), LC_OK);
        lc_buf_terminate(&b);
        if (strcmp(b.data, block_strings[i].want) != 0)
            fail_msg("case %zu: want [%s], got [%s]", i, block_strings[i].want, b.data);
        /* The literal reads back as the value. */
        gql_value_t *v = NULL;
        assert_int_equal(gql_parse_value(&a, b.data, b.len, NULL, true, &v, NULL), LC_OK);
        assert_true(v->string.block);
        if (!lc_str_eq(v->string.value, lc_str_from(block_strings[i].src)))
            fail_msg("case %zu: read back as [%.*s]", i, (int)v->string.value.len,
                     v->string.value.ptr);
        lc_arena_dispose(&a);
    }
}

static void test_strings(void **state) {
    (void)state;
    static const struct {
        const char *value;
        size_t len;
        const char *want;
    } cases[] = {
        {"", 0, "\"\""},
        {"plain", 5, "\"plain\""},
        {"a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\""},
        {"\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\""},
        {"\x01\x1F\x7F", 3, "\"\\u0001\\u001F\\u007F\""},
        {"\0x", 2, "\"\\u0000x\""},
        {"\xC2\x80\xC2\x9F\xC2\xA0", 6, "\"\\u0080\\u009F\xC2\xA0\""},
        {"\xC3\xA9\xF0\x9F\x98\x80\xE2\x80\xA8", 9, "\"\xC3\xA9\xF0\x9F\x98\x80\xE2\x80\xA8\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        lc_buf_t b;
        lc_buf_init(&b, &a, 0, 0);
        lc_str_t v = lc_str_make(cases[i].value, cases[i].len);
        assert_int_equal(gql_print_string(&b, v), LC_OK);
        lc_buf_terminate(&b);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("case %zu: want [%s], got [%s]", i, cases[i].want, b.data);
        gql_value_t *back = NULL;
        assert_int_equal(gql_parse_value(&a, b.data, b.len, NULL, true, &back, NULL), LC_OK);
        assert_true(lc_str_eq(back->string.value, v));
        lc_arena_dispose(&a);
    }
}

/* ---- Any node ---------------------------------------------------------------------------- */

static void test_print_node(void **state) {
    (void)state;
    static const char src[] = "query Q($v: [Int!] = [1]) { al: f(a: {b: 1}) @d(x: 2) { g } ...F "
                              "... on T { h } }\n"
                              "type T implements I { \"doc\" f(a: Int): T }\n"
                              "directive @d on FIELD | QUERY\n"
                              "enum E { V @x }\n"
                              "schema { query: T }\n"
                              "extend union U = A";
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc = NULL;
    assert_int_equal(gql_parse_document(&a, src, sizeof src - 1, NULL, &doc, NULL), LC_OK);
    gql_operation_definition_t *op = &doc->definitions.items[0]->operation;
    gql_field_t *f = &op->selection_set->selections.items[0]->field;
    gql_type_definition_t *t = &doc->definitions.items[1]->type;
    gql_directive_definition_t *dd = &doc->definitions.items[2]->directive;
    gql_type_definition_t *e = &doc->definitions.items[3]->type;
    gql_schema_definition_t *sd = &doc->definitions.items[4]->schema;
    const struct {
        const gql_node_t *node;
        const char *want;
    } cases[] = {
        {(const gql_node_t *)op->variables.items[0], "$v: [Int!] = [1]"},
        {(const gql_node_t *)op->variables.items[0]->type, "[Int!]"},
        {(const gql_node_t *)op->variables.items[0]->default_value, "[1]"},
        {(const gql_node_t *)f, "al: f(a: {b: 1}) @d(x: 2) {\n  g\n}"},
        {(const gql_node_t *)f->arguments.items[0], "a: {b: 1}"},
        {(const gql_node_t *)f->arguments.items[0]->value->object.items[0], "b: 1"},
        {(const gql_node_t *)f->directives.items[0], "@d(x: 2)"},
        {(const gql_node_t *)f->selection_set, "{\n  g\n}"},
        {(const gql_node_t *)op->selection_set->selections.items[1], "...F"},
        {(const gql_node_t *)op->selection_set->selections.items[2], "... on T {\n  h\n}"},
        {(const gql_node_t *)t, "type T implements I {\n  \"doc\"\n  f(a: Int): T\n}"},
        {(const gql_node_t *)t->fields.items[0], "\"doc\"\nf(a: Int): T"},
        {(const gql_node_t *)t->fields.items[0]->arguments.items[0], "a: Int"},
        {(const gql_node_t *)dd, "directive @d on FIELD | QUERY"},
        {(const gql_node_t *)dd->locations.items[1], "QUERY"},
        {(const gql_node_t *)e->values.items[0], "V @x"},
        {(const gql_node_t *)sd->operation_types.items[0], "query: T"},
        {(const gql_node_t *)doc->definitions.items[5], "extend union U = A"},
        {(const gql_node_t *)doc->definitions.items[0], NULL}, /* whole operation, below */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_buf_t b;
        lc_buf_init(&b, &a, 0, 0);
        assert_int_equal(gql_print_node(&b, cases[i].node), LC_OK);
        lc_buf_terminate(&b);
        const char *want = cases[i].want
                               ? cases[i].want
                               : "query Q($v: [Int!] = [1]) {\n  al: f(a: {b: 1}) @d(x: 2) {\n"
                                 "    g\n  }\n  ...F\n  ... on T {\n    h\n  }\n}";
        if (strcmp(b.data, want) != 0)
            fail_msg("case %zu: want [%s], got [%s]", i, want, b.data);
    }
    lc_arena_dispose(&a);
}

/* A full buffer is reported, not overrun. */
static void test_buffer_limit(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc = NULL;
    static const char src[] = "{ a(x: \"\"\"y\nz\"\"\") { b } }";
    assert_int_equal(gql_parse_document(&a, src, sizeof src - 1, NULL, &doc, NULL), LC_OK);
    for (size_t max = 1; max < 48; max++) {
        lc_buf_t b;
        lc_buf_init(&b, &a, 0, max);
        int rc = gql_print_document(&b, doc);
        assert_int_equal(rc, max < 41 ? LC_ELIMIT : LC_OK);
        assert_true(b.len <= max);
    }
    lc_arena_dispose(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kitchen_sinks), cmocka_unit_test(test_documents),
        cmocka_unit_test(test_block_strings), cmocka_unit_test(test_strings),
        cmocka_unit_test(test_print_node),    cmocka_unit_test(test_buffer_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
