/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/parser.c: input -> printed AST for every construct of the grammar,
 * input -> "line:column message" for syntax errors, the AST's shape and locations, the named
 * limits, out-of-memory at every allocation, and the value/type entry points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gql/parse.h"
#include "gql/print.h"
#include "lectern/alloc.h"

/* Parses src and returns its print, or "line:col message" (arena storage). */
static const char *outcome(lc_arena_t *a, const char *src, size_t len,
                           const gql_parse_limits_t *limits, int *status) {
    gql_document_t *doc = NULL;
    gql_error_t err;
    int rc = gql_parse_document(a, src, len, limits, &doc, &err);
    if (status)
        *status = rc;
    if (rc != LC_OK)
        return lc_arena_printf(a, "%u:%u %s", (unsigned)err.loc.line, (unsigned)err.loc.column,
                               err.message);
    lc_buf_t b;
    lc_buf_init(&b, a, 0, 0);
    assert_int_equal(gql_print_document(&b, doc), LC_OK);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    return b.data;
}

typedef struct {
    const char *src;
    const char *want;
} parse_case_t;

static void run_table(const parse_case_t *cases, size_t n, int want_status) {
    for (size_t i = 0; i < n; i++) {
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        int rc;
        const char *got = outcome(&a, cases[i].src, strlen(cases[i].src), NULL, &rc);
        if (rc != want_status || strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: input [%s]\n  want %d [%s]\n  got  %d [%s]", i, cases[i].src,
                     want_status, cases[i].want, rc, got);
        lc_arena_dispose(&a);
    }
}

/* ---- Everything the grammar accepts, as printed back ------------------------------------- */

static const parse_case_t accepted[] = {
    /* OperationDefinition (§2.3) */
    {"{ a }", "{\n  a\n}"},
    {"query { a, b }", "{\n  a\n  b\n}"},
    {"query Q { a }", "query Q {\n  a\n}"},
    {"mutation { a }", "mutation {\n  a\n}"},
    {"subscription S { a }", "subscription S {\n  a\n}"},
    {"query ($v: Int) { a }", "query ($v: Int) {\n  a\n}"},
    {"query @d { a }", "query @d {\n  a\n}"},
    {"query Q($a: Int = 1 @x, $b: [String!]! = [\"s\"], $c: In = {k: [1, 2]}) @d(x: 1) @e { a "
     "}",
     "query Q($a: Int = 1 @x, $b: [String!]! = [\"s\"], $c: In = {k: [1, 2]}) @d(x: 1) @e {\n"
     "  a\n}"},
    {"{ a } { b } query { c }", "{\n  a\n}\n\n{\n  b\n}\n\n{\n  c\n}"},
    /* Fields, aliases, arguments, directives, nesting (§2.4 - §2.7) */
    {"{ alias: field(a: 1, b: $v) @skip(if: $c) @d { sub { leaf } } }",
     "{\n  alias: field(a: 1, b: $v) @skip(if: $c) @d {\n    sub {\n      leaf\n    }\n  }\n}"},
    {"{a{b{c{d}}}}", "{\n  a {\n    b {\n      c {\n        d\n      }\n    }\n  }\n}"},
    {"{ f(a: 1,,, b: 2,) }", "{\n  f(a: 1, b: 2)\n}"},
    /* Fragments (§2.8) */
    {"{ ...F ...G @d ... on T { a } ... @s(if: true) { b } ... { c } }",
     "{\n  ...F\n  ...G @d\n  ... on T {\n    a\n  }\n  ... @s(if: true) {\n    b\n  }\n"
     "  ... {\n    c\n  }\n}"},
    {"fragment F on T @d { a }", "fragment F on T @d {\n  a\n}"},
    {"fragment F on on { on }", "fragment F on on {\n  on\n}"},
    /* Values (§2.9) */
    {"{ f(i: 0, j: -12, k: 1.5, l: -1.5e-3, m: 2E10) }",
     "{\n  f(i: 0, j: -12, k: 1.5, l: -1.5e-3, m: 2E10)\n}"},
    {"{ f(s: \"str\", e: \"a\\\"b\\\\c\\/d\\n\\u00e9\", b: \"\"\"block\"\"\") }",
     "{\n  f(s: \"str\", e: \"a\\\"b\\\\c/d\\n\xC3\xA9\", b: \"\"\"block\"\"\")\n}"},
    {"{ f(t: true, f: false, n: null, e: ENUM_V, o: on, q: query) }",
     "{\n  f(t: true, f: false, n: null, e: ENUM_V, o: on, q: query)\n}"},
    {"{ f(l: [], m: [1 2 [3]], o: {}, p: {a: 1 b: {c: [$v]}}) }",
     "{\n  f(l: [], m: [1, 2, [3]], o: {}, p: {a: 1, b: {c: [$v]}})\n}"},
    /* Keywords are names where a name is expected */
    {"{ query mutation subscription fragment on type true false null extend }",
     "{\n  query\n  mutation\n  subscription\n  fragment\n  on\n  type\n  true\n  false\n"
     "  null\n  extend\n}"},
    {"query query { schema: type }", "query query {\n  schema: type\n}"},
    /* Schema (§3.3) */
    {"schema @d { query: Q mutation: M subscription: S }",
     "schema @d {\n  query: Q\n  mutation: M\n  subscription: S\n}"},
    {"\"d\" schema { query: Q }", "\"d\"\nschema {\n  query: Q\n}"},
    {"extend schema @d", "extend schema @d"},
    {"extend schema { subscription: S }", "extend schema {\n  subscription: S\n}"},
    /* Scalars, objects, interfaces (§3.5 - §3.7) */
    {"scalar Date @specifiedBy(url: \"u\")", "scalar Date @specifiedBy(url: \"u\")"},
    {"extend scalar Date @d", "extend scalar Date @d"},
    {"type T", "type T"},
    {"type T implements & A & B @d { f: Int g(a: Int = 1 @x, b: [In!]): [T!]! @y }",
     "type T implements A & B @d {\n  f: Int\n  g(a: Int = 1 @x, b: [In!]): [T!]! @y\n}"},
    {"interface I implements J & K { f: Int }", "interface I implements J & K {\n  f: Int\n}"},
    {"extend type T implements I", "extend type T implements I"},
    {"extend type T @d", "extend type T @d"},
    {"extend type T { f: Int }", "extend type T {\n  f: Int\n}"},
    {"extend interface I implements J", "extend interface I implements J"},
    {"extend interface I { f: Int }", "extend interface I {\n  f: Int\n}"},
    /* Unions, enums, input objects (§3.8 - §3.10) */
    {"union U = | A | B", "union U = A | B"},
    {"union U @d = A", "union U @d = A"},
    {"union U", "union U"},
    {"extend union U = C", "extend union U = C"},
    {"extend union U @d", "extend union U @d"},
    {"enum E { A B @d on type }", "enum E {\n  A\n  B @d\n  on\n  type\n}"},
    {"enum E", "enum E"},
    {"extend enum E { C }", "extend enum E {\n  C\n}"},
    {"extend enum E @d", "extend enum E @d"},
    {"input In @d { a: Int = 1 @x b: [In!]! = [{a: 2}] }",
     "input In @d {\n  a: Int = 1 @x\n  b: [In!]! = [{a: 2}]\n}"},
    {"input In", "input In"},
    {"extend input In { c: Float = 1.5e3 }", "extend input In {\n  c: Float = 1.5e3\n}"},
    {"extend input In @d", "extend input In @d"},
    /* Directives (§3.13) */
    {"directive @d on FIELD", "directive @d on FIELD"},
    {"directive @d(a: Int = 1, b: String) repeatable on | QUERY | MUTATION | SUBSCRIPTION | FIELD "
     "| FRAGMENT_DEFINITION | FRAGMENT_SPREAD | INLINE_FRAGMENT | VARIABLE_DEFINITION",
     "directive @d(a: Int = 1, b: String) repeatable on QUERY | MUTATION | SUBSCRIPTION | FIELD | "
     "FRAGMENT_DEFINITION | FRAGMENT_SPREAD | INLINE_FRAGMENT | VARIABLE_DEFINITION"},
    {"directive @d on SCHEMA | SCALAR | OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | "
     "INTERFACE | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
     "directive @d on SCHEMA | SCALAR | OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | "
     "INTERFACE | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"},
    {"directive @repeatable repeatable on FIELD", "directive @repeatable repeatable on FIELD"},
    /* Descriptions on everything that takes one (§3.2) */
    {"\"s\" scalar S \"\"\"t\"\"\" type T { \"f\" f(\"a\" a: Int): Int } \"i\" interface I "
     "\"u\" union U \"e\" enum E { \"v\" V } \"in\" input In { \"x\" x: Int } \"d\" directive "
     "@d(\"a\" a: Int) on FIELD",
     "\"s\"\nscalar S\n\n\"\"\"t\"\"\"\ntype T {\n  \"f\"\n  f(\n    \"a\"\n    a: Int\n  ): Int\n"
     "}\n\n\"i\"\ninterface I\n\n\"u\"\nunion U\n\n\"e\"\nenum E {\n  \"v\"\n  V\n}\n\n\"in\"\n"
     "input In {\n  \"x\"\n  x: Int\n}\n\n\"d\"\ndirective @d(\n  \"a\"\n  a: Int\n) on FIELD"},
    /* Executable and type system definitions mix (the validator rejects it, not the parser) */
    {"type Query { a: Int } { a }", "type Query {\n  a: Int\n}\n\n{\n  a\n}"},
    /* Ignored tokens everywhere */
    {"\xEF\xBB\xBF# c\n{,a # c\n,\n}", "{\n  a\n}"},
};

static void test_accepted(void **state) {
    (void)state;
    run_table(accepted, sizeof accepted / sizeof accepted[0], LC_OK);
}

/* ---- Syntax errors ----------------------------------------------------------------------- */

static const parse_case_t rejected[] = {
    {"", "1:1 Syntax Error: Unexpected <EOF>."},
    {"  # just a comment\n", "2:1 Syntax Error: Unexpected <EOF>."},
    {"{", "1:2 Syntax Error: Expected Name, found <EOF>."},
    {"{ }", "1:3 Syntax Error: Expected Name, found \"}\"."},
    {"{ a", "1:4 Syntax Error: Expected Name, found <EOF>."},
    {"{ a }}", "1:6 Syntax Error: Unexpected \"}\"."},
    {"{ a } garbage", "1:7 Syntax Error: Unexpected Name \"garbage\"."},
    {"notAnOperation Foo { field }", "1:1 Syntax Error: Unexpected Name \"notAnOperation\"."},
    {"...", "1:1 Syntax Error: Unexpected \"...\"."},
    {"{ \"\" }", "1:3 Syntax Error: Expected Name, found String \"\"."},
    {"{ a(b: \"x\\ny\") c: \"long string that goes on and on and on and on and on and on and on "
     "\" }",
     "1:19 Syntax Error: Expected Name, found String \"long string that goes on and on and on "
     "and on and on and on and on \"."},
    /* A quoted token is cut (with "...") only where the message could not hold it. */
    {"{ a(b: \"x\\ny\") c: \"0123456789012345678901234567890123456789012345678901234567890123456789"
     "012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012"
     "3"
     "45678901234567890123456789012345678901234567890123456789012345678901234567890123456789\" }",
     "1:19 Syntax Error: Expected Name, found String "
     "\"012345678901234567890123456789012345678901234567"
     "89012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
     "012345678901234567890123456789012345678901234567890123456789012345678901234567890123456..."
     "\"."},
    {"{ field: {} }", "1:10 Syntax Error: Expected Name, found \"{\"."},
    {"{ f() }", "1:5 Syntax Error: Expected Name, found \")\"."},
    {"{ f(a) }", "1:6 Syntax Error: Expected \":\", found \")\"."},
    {"{ f(a: ) }", "1:8 Syntax Error: Unexpected \")\"."},
    {"{ f(a: [1, 2) }", "1:13 Syntax Error: Unexpected \")\"."},
    {"{ f(a: {b}) }", "1:10 Syntax Error: Expected \":\", found \"}\"."},
    {"{ f(a: $) }", "1:9 Syntax Error: Expected Name, found \")\"."},
    {"{ f @ }", "1:7 Syntax Error: Expected Name, found \"}\"."},
    {"{ ...on }", "1:9 Syntax Error: Expected Name, found \"}\"."},
    {"{ ... on T }", "1:12 Syntax Error: Expected \"{\", found \"}\"."},
    {"{ ... @d }", "1:10 Syntax Error: Expected \"{\", found \"}\"."},
    {"{ ...MissingOn }\nfragment MissingOn Type",
     "2:20 Syntax Error: Expected \"on\", found Name \"Type\"."},
    {"fragment on on T { a }", "1:10 Syntax Error: Unexpected Name \"on\"."},
    {"fragment F on T", "1:16 Syntax Error: Expected \"{\", found <EOF>."},
    {"query", "1:6 Syntax Error: Expected \"{\", found <EOF>."},
    {"query Q() { a }", "1:9 Syntax Error: Expected \"$\", found \")\"."},
    {"query Q($a) { a }", "1:11 Syntax Error: Expected \":\", found \")\"."},
    {"query Q($a: ) { a }", "1:13 Syntax Error: Expected Name, found \")\"."},
    {"query Q($a: [Int) { a }", "1:17 Syntax Error: Expected \"]\", found \")\"."},
    {"query Q($a: Int!!) { a }", "1:17 Syntax Error: Expected \"$\", found \"!\"."},
    {"query Q($a: Int = $b) { a }",
     "1:19 Syntax Error: Unexpected variable \"$b\" in constant value."},
    {"query Q($a: In = {x: [$b]}) { a }",
     "1:23 Syntax Error: Unexpected variable \"$b\" in constant value."},
    {"query Q($a: Int = $) { a }", "1:19 Syntax Error: Unexpected \"$\"."},
    {"query Q($a: Int @d(x: $b)) { a }",
     "1:23 Syntax Error: Unexpected variable \"$b\" in constant value."},
    /* Descriptions on executable definitions came after October 2021 (graphql-js 16 accepts
     * them); where graphql-js rejects a description, its words. */
    {"\"desc\" query { a }",
     "1:1 Syntax Error: Unexpected description, descriptions are supported only on type "
     "definitions."},
    {"\"desc\" fragment F on T { a }",
     "1:1 Syntax Error: Unexpected description, descriptions are supported only on type "
     "definitions."},
    {"\"desc\" { a }",
     "1:1 Syntax Error: Unexpected description, descriptions are not supported on shorthand "
     "queries."},
    {"\"desc\" extend type T @d",
     "1:1 Syntax Error: Unexpected description, only GraphQL definitions support descriptions."},
    {"\"desc\" foo",
     "1:1 Syntax Error: Unexpected description, only GraphQL definitions support descriptions."},
    {"\"desc\" \"again\"", "1:8 Syntax Error: Unexpected String \"again\"."},
    {"\"desc\"", "1:7 Syntax Error: Unexpected <EOF>."},
    {"\"desc\" ?", "1:8 Syntax Error: Unexpected character: \"?\"."},
    {"schema {}", "1:9 Syntax Error: Expected Name, found \"}\"."},
    {"schema @d", "1:10 Syntax Error: Expected \"{\", found <EOF>."},
    {"schema { foo: Bar }", "1:10 Syntax Error: Unexpected Name \"foo\"."},
    {"schema { query Q }", "1:16 Syntax Error: Expected \":\", found Name \"Q\"."},
    {"extend schema", "1:14 Syntax Error: Unexpected <EOF>."},
    {"extend", "1:7 Syntax Error: Unexpected <EOF>."},
    {"extend foo", "1:8 Syntax Error: Unexpected Name \"foo\"."},
    {"extend scalar S", "1:16 Syntax Error: Unexpected <EOF>."},
    {"extend type T", "1:14 Syntax Error: Unexpected <EOF>."},
    {"extend interface I", "1:19 Syntax Error: Unexpected <EOF>."},
    {"extend union U", "1:15 Syntax Error: Unexpected <EOF>."},
    {"extend enum E", "1:14 Syntax Error: Unexpected <EOF>."},
    {"extend input In", "1:16 Syntax Error: Unexpected <EOF>."},
    {"type T { }", "1:10 Syntax Error: Expected Name, found \"}\"."},
    {"type T { f }", "1:12 Syntax Error: Expected \":\", found \"}\"."},
    {"type T { f(): Int }", "1:12 Syntax Error: Expected Name, found \")\"."},
    {"type T { f(a: Int = $v): Int }",
     "1:21 Syntax Error: Unexpected variable \"$v\" in constant value."},
    {"type T implements { f: Int }", "1:19 Syntax Error: Expected Name, found \"{\"."},
    {"type T implements A & { f: Int }", "1:23 Syntax Error: Expected Name, found \"{\"."},
    {"type T implements A, B { f: Int }", "1:22 Syntax Error: Unexpected Name \"B\"."},
    {"union U =", "1:10 Syntax Error: Expected Name, found <EOF>."},
    {"union U = A |", "1:14 Syntax Error: Expected Name, found <EOF>."},
    {"union U = | | A", "1:13 Syntax Error: Expected Name, found \"|\"."},
    {"enum E { }", "1:10 Syntax Error: Expected Name, found \"}\"."},
    {"enum E { true }",
     "1:10 Syntax Error: Name \"true\" is reserved and cannot be used for an enum value."},
    {"enum E { A false }",
     "1:12 Syntax Error: Name \"false\" is reserved and cannot be used for an enum value."},
    {"enum E { null }",
     "1:10 Syntax Error: Name \"null\" is reserved and cannot be used for an enum value."},
    {"input In { a }", "1:14 Syntax Error: Expected \":\", found \"}\"."},
    {"input In { a(b: Int): Int }", "1:13 Syntax Error: Expected \":\", found \"(\"."},
    {"directive @d", "1:13 Syntax Error: Expected \"on\", found <EOF>."},
    {"directive d on FIELD", "1:11 Syntax Error: Expected \"@\", found Name \"d\"."},
    {"directive @d on", "1:16 Syntax Error: Expected Name, found <EOF>."},
    {"directive @d on FIELD | UNKNOWN", "1:25 Syntax Error: Unexpected Name \"UNKNOWN\"."},
    {"directive @d on field", "1:17 Syntax Error: Unexpected Name \"field\"."},
    {"directive @d repeatable", "1:24 Syntax Error: Expected \"on\", found <EOF>."},
    {"{ a(x: 1.2.3) }", "1:11 Syntax Error: Invalid number, expected digit but got: \".\"."},
    {"{ a(x: \"\\uD800\") }", "1:9 Syntax Error: Invalid Unicode escape sequence: \"\\uD800\"."},
    {"{\n  a(x: \"unterminated)\n}", "2:22 Syntax Error: Unterminated string."},
    {"{ a(x: 1) @d(y: \"\xC3\xA9\") b: ? }", "1:25 Syntax Error: Unexpected character: \"?\"."},
};

static void test_rejected(void **state) {
    (void)state;
    run_table(rejected, sizeof rejected / sizeof rejected[0], LC_EINVAL);
}

/* ---- AST shape and locations ------------------------------------------------------------- */

static void assert_loc(gql_loc_t loc, unsigned line, unsigned column, unsigned offset) {
    if (loc.line != line || loc.column != column || loc.offset != offset)
        fail_msg("want %u:%u@%u, got %u:%u@%u", line, column, offset, (unsigned)loc.line,
                 (unsigned)loc.column, (unsigned)loc.offset);
}

static bool in_source(const char *src, lc_str_t s) {
    return s.ptr >= src && s.ptr + s.len <= src + strlen(src);
}

static void test_executable_ast(void **state) {
    (void)state;
    static const char src[] = "query Q($v: [Int!] = 3) {\n"
                              "  alias: field(arg: \"x\", esc: \"\\n\") @dir {\n"
                              "    ... on T { x }\n"
                              "    ...Frag @d\n"
                              "  }\n"
                              "}\n"
                              "fragment Frag on T { y }";
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc = NULL;
    gql_error_t err;
    assert_int_equal(gql_parse_document(&a, src, sizeof src - 1, NULL, &doc, &err), LC_OK);
    assert_int_equal(doc->kind, GQL_DOCUMENT);
    assert_ptr_equal(doc->source.ptr, src);
    assert_int_equal(doc->definitions.count, 2);

    gql_definition_t *d0 = doc->definitions.items[0];
    assert_int_equal(d0->node.kind, GQL_OPERATION_DEFINITION);
    gql_operation_definition_t *op = &d0->operation;
    assert_loc(op->loc, 1, 1, 0);
    assert_int_equal(op->operation, GQL_OP_QUERY);
    assert_true(lc_str_eq_cstr(op->name, "Q") && in_source(src, op->name));
    assert_int_equal(op->variables.count, 1);
    gql_variable_definition_t *vd = op->variables.items[0];
    assert_int_equal(vd->kind, GQL_VARIABLE_DEFINITION);
    assert_loc(vd->loc, 1, 9, 8);
    assert_true(lc_str_eq_cstr(vd->name, "v"));
    assert_int_equal(vd->type->kind, GQL_LIST_TYPE);
    assert_loc(vd->type->loc, 1, 13, 12);
    assert_int_equal(vd->type->of->kind, GQL_NON_NULL_TYPE);
    assert_int_equal(vd->type->of->of->kind, GQL_NAMED_TYPE);
    assert_true(lc_str_eq_cstr(vd->type->of->of->name, "Int"));
    assert_int_equal(vd->default_value->kind, GQL_INT_VALUE);
    assert_true(lc_str_eq_cstr(vd->default_value->lexeme, "3"));
    assert_int_equal(op->directives.count, 0);

    gql_selection_set_t *ss = op->selection_set;
    assert_int_equal(ss->kind, GQL_SELECTION_SET);
    assert_loc(ss->loc, 1, 25, 24);
    assert_int_equal(ss->selections.count, 1);
    gql_selection_t *s0 = ss->selections.items[0];
    assert_int_equal(s0->node.kind, GQL_FIELD);
    gql_field_t *f = &s0->field;
    assert_loc(f->loc, 2, 3, 28);
    assert_true(lc_str_eq_cstr(f->alias, "alias"));
    assert_true(lc_str_eq_cstr(f->name, "field"));
    assert_int_equal(f->arguments.count, 2);
    gql_argument_t *arg = f->arguments.items[0];
    assert_int_equal(arg->kind, GQL_ARGUMENT);
    assert_loc(arg->loc, 2, 16, 41);
    assert_true(lc_str_eq_cstr(arg->name, "arg"));
    assert_int_equal(arg->value->kind, GQL_STRING_VALUE);
    assert_false(arg->value->string.block);
    assert_true(lc_str_eq_cstr(arg->value->string.value, "x"));
    assert_true(in_source(src, arg->value->string.value)); /* no escapes: a slice */
    gql_value_t *esc = f->arguments.items[1]->value;
    assert_true(lc_str_eq_cstr(esc->string.value, "\n"));
    assert_false(in_source(src, esc->string.value)); /* decoded: an arena copy */
    assert_int_equal(f->directives.count, 1);
    assert_loc(f->directives.items[0]->loc, 2, 37, 62);
    assert_true(lc_str_eq_cstr(f->directives.items[0]->name, "dir"));
    assert_int_equal(f->directives.items[0]->arguments.count, 0);

    gql_selection_set_t *inner = f->selection_set;
    assert_int_equal(inner->selections.count, 2);
    gql_selection_t *s1 = inner->selections.items[0];
    assert_int_equal(s1->node.kind, GQL_INLINE_FRAGMENT);
    assert_loc(s1->node.loc, 3, 5, 73);
    assert_true(lc_str_eq_cstr(s1->inline_fragment.type_condition->name, "T"));
    assert_loc(s1->inline_fragment.type_condition->loc, 3, 12, 80);
    assert_int_equal(s1->inline_fragment.selection_set->selections.count, 1);
    gql_field_t *x = &s1->inline_fragment.selection_set->selections.items[0]->field;
    assert_null(x->alias.ptr);
    assert_null(x->selection_set);
    assert_int_equal(x->arguments.count, 0);
    assert_null(x->arguments.items);
    gql_selection_t *s2 = inner->selections.items[1];
    assert_int_equal(s2->node.kind, GQL_FRAGMENT_SPREAD);
    assert_loc(s2->spread.loc, 4, 5, 92);
    assert_true(lc_str_eq_cstr(s2->spread.name, "Frag"));
    assert_int_equal(s2->spread.directives.count, 1);

    gql_definition_t *d1 = doc->definitions.items[1];
    assert_int_equal(d1->node.kind, GQL_FRAGMENT_DEFINITION);
    assert_loc(d1->fragment.loc, 7, 1, 109);
    assert_true(lc_str_eq_cstr(d1->fragment.name, "Frag"));
    assert_true(lc_str_eq_cstr(d1->fragment.type_condition->name, "T"));
    assert_int_equal(doc->token_count, 47);
    lc_arena_dispose(&a);
}

static void test_type_system_ast(void **state) {
    (void)state;
    static const char src[] = "\"\"\"\n  Described\n\"\"\"\n"
                              "type T implements I & J @k { f(a: Int = 1): [T] }\n"
                              "union U = A | B\n"
                              "enum E { \"v\" V }\n"
                              "directive @d repeatable on FIELD | QUERY\n"
                              "extend input In { x: Int }\n"
                              "schema { query: T }";
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc = NULL;
    assert_int_equal(gql_parse_document(&a, src, sizeof src - 1, NULL, &doc, NULL), LC_OK);
    assert_int_equal(doc->definitions.count, 6);

    gql_type_definition_t *t = &doc->definitions.items[0]->type;
    assert_int_equal(t->kind, GQL_OBJECT_TYPE_DEFINITION);
    assert_true(gql_kind_is_type_definition(t->kind));
    assert_false(gql_kind_is_extension(t->kind));
    assert_loc(t->loc, 1, 1, 0); /* the description's */
    assert_true(t->description->string.block);
    assert_true(lc_str_eq_cstr(t->description->string.value, "Described"));
    assert_true(in_source(src, t->description->string.value));
    assert_true(lc_str_eq_cstr(t->name, "T"));
    assert_int_equal(t->interfaces.count, 2);
    assert_true(lc_str_eq_cstr(t->interfaces.items[1]->name, "J"));
    assert_int_equal(t->directives.count, 1);
    assert_int_equal(t->fields.count, 1);
    gql_field_definition_t *fd = t->fields.items[0];
    assert_int_equal(fd->kind, GQL_FIELD_DEFINITION);
    assert_loc(fd->loc, 4, 30, 49);
    assert_int_equal(fd->arguments.count, 1);
    assert_int_equal(fd->arguments.items[0]->kind, GQL_INPUT_VALUE_DEFINITION);
    assert_true(lc_str_eq_cstr(fd->arguments.items[0]->default_value->lexeme, "1"));
    assert_int_equal(fd->type->kind, GQL_LIST_TYPE);
    assert_int_equal(t->types.count + t->values.count + t->input_fields.count, 0);

    gql_type_definition_t *u = &doc->definitions.items[1]->type;
    assert_int_equal(u->kind, GQL_UNION_TYPE_DEFINITION);
    assert_null(u->description);
    assert_int_equal(u->types.count, 2);
    assert_loc(u->types.items[0]->loc, 5, 11, 80);

    gql_type_definition_t *e = &doc->definitions.items[2]->type;
    assert_int_equal(e->kind, GQL_ENUM_TYPE_DEFINITION);
    assert_int_equal(e->values.count, 1);
    assert_int_equal(e->values.items[0]->kind, GQL_ENUM_VALUE_DEFINITION);
    assert_true(lc_str_eq_cstr(e->values.items[0]->description->string.value, "v"));
    assert_loc(e->values.items[0]->loc, 6, 10, 95);

    gql_directive_definition_t *dd = &doc->definitions.items[3]->directive;
    assert_int_equal(dd->kind, GQL_DIRECTIVE_DEFINITION);
    assert_true(dd->repeatable);
    assert_int_equal(dd->locations.count, 2);
    assert_int_equal(dd->locations.items[1]->kind, GQL_NAME);
    assert_true(lc_str_eq_cstr(dd->locations.items[1]->value, "QUERY"));

    gql_type_definition_t *in = &doc->definitions.items[4]->type;
    assert_int_equal(in->kind, GQL_INPUT_OBJECT_TYPE_EXTENSION);
    assert_true(gql_kind_is_extension(in->kind));
    assert_int_equal(in->input_fields.count, 1);

    gql_schema_definition_t *sd = &doc->definitions.items[5]->schema;
    assert_int_equal(sd->kind, GQL_SCHEMA_DEFINITION);
    assert_int_equal(sd->operation_types.count, 1);
    assert_int_equal(sd->operation_types.items[0]->operation, GQL_OP_QUERY);
    assert_true(lc_str_eq_cstr(sd->operation_types.items[0]->type->name, "T"));
    lc_arena_dispose(&a);
}

/* ---- Limits ------------------------------------------------------------------------------ */

typedef struct {
    gql_parse_limits_t limits;
    const char *src;
    int status;
    gql_parse_limit_t which;
    const char *want; /* "line:col message", or the print on success */
} limit_case_t;

static const limit_case_t limit_cases[] = {
    {{.max_bytes = 5}, "{ a }", LC_OK, GQL_PARSE_LIMIT_NONE, "{\n  a\n}"},
    {{.max_bytes = 4},
     "{ a }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_BYTES,
     "0:0 Document exceeds the limit of 4 bytes."},
    {{.max_tokens = 3}, "{ a }", LC_OK, GQL_PARSE_LIMIT_NONE, "{\n  a\n}"},
    {{.max_tokens = 3},
     "{ a b }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_TOKENS,
     "1:7 Document exceeds the limit of 3 tokens."},
    {{.max_tokens = 3}, "# comments, commas\n{ a,,,, }", LC_OK, GQL_PARSE_LIMIT_NONE, "{\n  a\n}"},
    {{.max_depth = 2}, "{ a { b } }", LC_OK, GQL_PARSE_LIMIT_NONE, "{\n  a {\n    b\n  }\n}"},
    {{.max_depth = 2},
     "{ a { b { c } } }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_DEPTH,
     "1:9 Document exceeds the limit of 2 levels of nesting."},
    {{.max_depth = 2}, "{ a(x: [1]) }", LC_OK, GQL_PARSE_LIMIT_NONE, "{\n  a(x: [1])\n}"},
    {{.max_depth = 2},
     "{ a(x: [[1]]) }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_DEPTH,
     "1:9 Document exceeds the limit of 2 levels of nesting."},
    {{.max_depth = 2},
     "{ a(x: {y: {z: 1}}) }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_DEPTH,
     "1:12 Document exceeds the limit of 2 levels of nesting."},
    {{.max_depth = 2},
     "query ($v: [[Int]]) { a }",
     LC_OK,
     GQL_PARSE_LIMIT_NONE,
     "query ($v: [[Int]]) {\n  a\n}"},
    {{.max_depth = 2},
     "query ($v: [[[Int]]]) { a }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_DEPTH,
     "1:14 Document exceeds the limit of 2 levels of nesting."},
    {{.max_depth = 2},
     "type T { f(a: [[[Int]]]): Int }",
     LC_ELIMIT,
     GQL_PARSE_LIMIT_DEPTH,
     "1:17 Document exceeds the limit of 2 levels of nesting."},
};

static void test_limits(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof limit_cases / sizeof limit_cases[0]; i++) {
        const limit_case_t *c = &limit_cases[i];
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        gql_document_t *doc = NULL;
        gql_error_t err = {.limit = GQL_PARSE_LIMIT_NONE};
        int rc = gql_parse_document(&a, c->src, strlen(c->src), &c->limits, &doc, &err);
        const char *got = outcome(&a, c->src, strlen(c->src), &c->limits, NULL);
        if (rc != c->status || strcmp(got, c->want) != 0 || (rc != LC_OK && err.limit != c->which))
            fail_msg("case %zu: want %d [%s], got %d [%s] limit %d", i, c->status, c->want, rc, got,
                     (int)err.limit);
        lc_arena_dispose(&a);
    }
}

/* Hostile nesting far past the limit is a clean LC_ELIMIT, not a stack overflow. */
static void test_deep_nesting(void **state) {
    (void)state;
    enum { N = 100000 };
    static char src[4 * N + 16];
    static const struct {
        const char *open, *close;
        const char *pre, *post;
    } shapes[] = {
        {"{a", "}", "", ""},           {"[", "]", "{a(x:", ")}"},
        {"{a:", "}", "{a(x:", ")}"},   {"[", "]", "query($v:", "Int){a}"},
        {"... on T {", "}", "{", "}"},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t n = 0;
        n += (size_t)snprintf(src + n, sizeof src - n, "%s", shapes[s].pre);
        for (int i = 0; i < N / 10 && n + 16 < sizeof src; i++)
            n += (size_t)snprintf(src + n, sizeof src - n, "%s", shapes[s].open);
        for (int i = 0; i < N / 10 && n + 16 < sizeof src; i++)
            n += (size_t)snprintf(src + n, sizeof src - n, "%s", shapes[s].close);
        n += (size_t)snprintf(src + n, sizeof src - n, "%s", shapes[s].post);
        gql_parse_limits_t limits = {.max_bytes = sizeof src, .max_tokens = 10 * N};
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        gql_document_t *doc = NULL;
        gql_error_t err;
        assert_int_equal(gql_parse_document(&a, src, n, &limits, &doc, &err), LC_ELIMIT);
        assert_int_equal(err.limit, GQL_PARSE_LIMIT_DEPTH);
        assert_string_equal(err.message, "Document exceeds the limit of 64 levels of nesting.");
        /* A caller's larger limit is clamped to the hard ceiling. */
        limits.max_depth = 1000000;
        assert_int_equal(gql_parse_document(&a, src, n, &limits, &doc, &err), LC_ELIMIT);
        assert_string_equal(err.message, "Document exceeds the limit of 256 levels of nesting.");
        lc_arena_dispose(&a);
    }
}

/* The default token limit, and the default byte limit. */
static void test_default_limits(void **state) {
    (void)state;
    static char src[GQL_LIMIT_DOCUMENT_BYTES + 2];
    size_t n = 0;
    src[n++] = '{';
    while (n < 2 * GQL_LIMIT_DOCUMENT_TOKENS)
        src[n++] = 'a', src[n++] = ' ';
    src[n++] = '}';
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc = NULL;
    gql_error_t err;
    assert_int_equal(gql_parse_document(&a, src, n, NULL, &doc, &err), LC_ELIMIT);
    assert_int_equal(err.limit, GQL_PARSE_LIMIT_TOKENS);
    assert_string_equal(err.message, "Document exceeds the limit of 20000 tokens.");
    assert_int_equal(err.loc.offset, 2 * GQL_LIMIT_DOCUMENT_TOKENS - 1);

    memset(src, ' ', sizeof src);
    src[0] = '{', src[1] = 'a', src[sizeof src - 1] = '}';
    assert_int_equal(gql_parse_document(&a, src, sizeof src, NULL, &doc, &err), LC_ELIMIT);
    assert_int_equal(err.limit, GQL_PARSE_LIMIT_BYTES);
    assert_string_equal(err.message, "Document exceeds the limit of 262144 bytes.");
    assert_int_equal(err.loc.line, 0);
    assert_int_equal(gql_parse_document(&a, src + 2, GQL_LIMIT_DOCUMENT_BYTES, NULL, &doc, &err),
                     LC_EINVAL); /* at the limit: parsed (and rejected for its content) */
    lc_arena_dispose(&a);
}

/* ---- Out of memory: every allocation may fail, and each failure is a clean LC_ENOMEM ---- */

static void test_oom(void **state) {
    (void)state;
    static const char src[] = "query Q($a: [Int!] = [1, 2] @d) { a: b(c: {d: \"e\\n\"}) { ...F "
                              "... on T @x { y } } }\nfragment F on T { z }\n"
                              "\"\"\"\n  doc\n  more\n\"\"\" type T implements I { f(a: Int): T }";
    int failures = 0;
    for (size_t max = 64;; max += 32) {
        lc_arena_t a;
        lc_arena_init(&a, 64, max);
        gql_document_t *doc = NULL;
        gql_error_t err;
        int rc = gql_parse_document(&a, src, sizeof src - 1, NULL, &doc, &err);
        lc_arena_dispose(&a);
        if (rc == LC_OK)
            break;
        assert_int_equal(rc, LC_ENOMEM);
        assert_string_equal(err.message, "Out of memory while parsing.");
        assert_int_equal(err.loc.line, 0);
        failures++;
        assert_true(max < 1024 * 1024);
    }
    assert_true(failures > 10);
    /* Heap allocation failures under the arena, through the test hook. */
    for (long n = 0;; n++) {
        lc_arena_t a;
        lc_arena_init(&a, 256, 0);
        gql_document_t *doc = NULL;
        lc_alloc_fail_after(n);
        int rc = gql_parse_document(&a, src, sizeof src - 1, NULL, &doc, NULL);
        lc_alloc_fail_reset();
        lc_arena_dispose(&a);
        if (rc == LC_OK)
            break;
        assert_int_equal(rc, LC_ENOMEM);
        assert_true(n < 1000);
    }
}

/* ---- Value and type entry points --------------------------------------------------------- */

typedef struct {
    const char *src;
    bool constant;
    int status;
    const char *want;
} value_case_t;

static const value_case_t value_cases[] = {
    {"1", true, LC_OK, "1"},
    {"  [1, \"a\", {b: $c}, ENUM, null]  ", false, LC_OK, "[1, \"a\", {b: $c}, ENUM, null]"},
    {"{b: $c}", true, LC_EINVAL, "1:5 Syntax Error: Unexpected variable \"$c\" in constant value."},
    {"\"\"\"\n  x\n\"\"\"", true, LC_OK, "\"\"\"x\"\"\""},
    {"1 2", true, LC_EINVAL, "1:3 Syntax Error: Expected <EOF>, found Int \"2\"."},
    {"", true, LC_EINVAL, "1:1 Syntax Error: Unexpected <EOF>."},
    {"{", true, LC_EINVAL, "1:2 Syntax Error: Expected Name, found <EOF>."},
};

static void test_parse_value(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof value_cases / sizeof value_cases[0]; i++) {
        const value_case_t *c = &value_cases[i];
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        gql_value_t *v = NULL;
        gql_error_t err;
        int rc = gql_parse_value(&a, c->src, strlen(c->src), NULL, c->constant, &v, &err);
        char got[512];
        if (rc == LC_OK) {
            lc_buf_t b;
            lc_buf_init(&b, &a, 0, 0);
            gql_print_value(&b, v);
            snprintf(got, sizeof got, "%.*s", (int)b.len, b.data);
        } else {
            assert_null(v);
            snprintf(got, sizeof got, "%u:%u %s", (unsigned)err.loc.line, (unsigned)err.loc.column,
                     err.message);
        }
        if (rc != c->status || strcmp(got, c->want) != 0)
            fail_msg("case %zu: want %d [%s], got %d [%s]", i, c->status, c->want, rc, got);
        lc_arena_dispose(&a);
    }
}

static void test_parse_type(void **state) {
    (void)state;
    static const struct {
        const char *src;
        int status;
        const char *want;
    } cases[] = {
        {"String", LC_OK, "String"},
        {" [ [String!]! ] ", LC_OK, "[[String!]!]"},
        {"String!!", LC_EINVAL, "1:8 Syntax Error: Expected <EOF>, found \"!\"."},
        {"[String", LC_EINVAL, "1:8 Syntax Error: Expected \"]\", found <EOF>."},
        {"!", LC_EINVAL, "1:1 Syntax Error: Expected Name, found \"!\"."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_arena_t a;
        lc_arena_init(&a, 0, 0);
        gql_type_t *t = NULL;
        gql_error_t err;
        int rc = gql_parse_type(&a, cases[i].src, strlen(cases[i].src), NULL, &t, &err);
        char got[512];
        if (rc == LC_OK) {
            lc_buf_t b;
            lc_buf_init(&b, &a, 0, 0);
            gql_print_type(&b, t);
            snprintf(got, sizeof got, "%.*s", (int)b.len, b.data);
        } else {
            snprintf(got, sizeof got, "%u:%u %s", (unsigned)err.loc.line, (unsigned)err.loc.column,
                     err.message);
        }
        if (rc != cases[i].status || strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: want [%s], got [%s]", i, cases[i].want, got);
        lc_arena_dispose(&a);
    }
}

/* ---- Small things ------------------------------------------------------------------------ */

static void test_misc(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc = NULL;
    /* err may be NULL; *out is untouched on failure. */
    assert_int_equal(gql_parse_document(&a, "{", 1, NULL, &doc, NULL), LC_EINVAL);
    assert_null(doc);
    /* A source that is not NUL-terminated is read only within its length. */
    assert_int_equal(gql_parse_document(&a, "{ a }{ b", 5, NULL, &doc, NULL), LC_OK);
    assert_int_equal(doc->definitions.count, 1);
    /* NULL source with length 0 is the empty document. */
    gql_error_t err;
    assert_int_equal(gql_parse_document(&a, NULL, 0, NULL, &doc, &err), LC_EINVAL);
    assert_string_equal(err.message, "Syntax Error: Unexpected <EOF>.");
    lc_arena_dispose(&a);

    assert_string_equal(gql_kind_name(GQL_FIELD), "Field");
    assert_string_equal(gql_kind_name(GQL_INPUT_OBJECT_TYPE_EXTENSION), "InputObjectTypeExtension");
    assert_string_equal(gql_kind_name(GQL_KIND_COUNT), "Unknown");

    gql_loc_t l = gql_loc_at("ab\ncd\r\nef", 9, 8);
    assert_int_equal(l.line, 3);
    assert_int_equal(l.column, 2);
    l = gql_loc_at("ab", 2, 99); /* clamped */
    assert_int_equal(l.offset, 2);
    assert_int_equal(l.column, 3);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),       cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_executable_ast), cmocka_unit_test(test_type_system_ast),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_default_limits), cmocka_unit_test(test_oom),
        cmocka_unit_test(test_parse_value),    cmocka_unit_test(test_parse_type),
        cmocka_unit_test(test_misc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
