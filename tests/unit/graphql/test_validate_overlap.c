/* SPDX-License-Identifier: MIT */
/* Unit tests of src/graphql/validate_overlap.c, Oct 2021 §5.3.2 Field Selection Merging:
 * graphql-js 16's OverlappingFieldsCanBeMergedRule cases (messages, nested reasons, locations,
 * fragments, recursive fragments, return type shapes), what 16.15 changed (inline fragments
 * left to the enclosing selection, long reasons cut, the complexity budget), and hostile
 * documents that must stay fast and end as graphql-js 16.15 ends them. */
#include <time.h>

#include "validate_harness.h"

static gql_schema_t *schema;

static int setup(void **state) {
    (void)state;
    schema = t_schema(vh_test_sdl);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    gql_schema_destroy(schema);
    return 0;
}

#define RULE VH_RULE(OVERLAPPING_FIELDS_CAN_BE_MERGED)
#define USE_ALIASES ". Use different aliases on the fields to fetch both if this was intentional."

static void test_basic(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      fragment uniqueFields on Dog {\n        name\n        nickname\n      }\n    ",
         {NULL}},
        {"\n      fragment mergeIdenticalFields on Dog {\n        name\n        name\n      }\n   "
         " ",
         {NULL}},
        {"\n"
         "      fragment mergeIdenticalFieldsWithIdenticalArgs on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT)\n"
         "        doesKnowCommand(dogCommand: SIT)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment mergeSameFieldsWithSameDirectives on Dog {\n"
         "        name @include(if: true)\n"
         "        name @include(if: true)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment differentArgsWithDifferentAliases on Dog {\n"
         "        knowsSit: doesKnowCommand(dogCommand: SIT)\n"
         "        knowsDown: doesKnowCommand(dogCommand: DOWN)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment differentDirectivesWithDifferentAliases on Dog {\n"
         "        nameIfTrue: name @include(if: true)\n"
         "        nameIfFalse: name @include(if: false)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment differentDirectivesWithDifferentAliases on Dog {\n"
         "        name @include(if: true)\n"
         "        name @include(if: false)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment sameAliasesWithDifferentFieldTargets on Dog {\n"
         "        fido: name\n"
         "        fido: nickname\n"
         "      }\n"
         "    ",
         {"Fields \"fido\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 3:9, 4:9",
          NULL}},
        {"\n"
         "      fragment sameAliasesWithDifferentFieldTargets on Pet {\n"
         "        ... on Dog {\n"
         "          name\n"
         "        }\n"
         "        ... on Cat {\n"
         "          name: nickname\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment aliasMaskingDirectFieldAccess on Dog {\n"
         "        name: nickname\n"
         "        name\n"
         "      }\n"
         "    ",
         {"Fields \"name\" conflict because \"nickname\" and \"name\" are different "
          "fields" USE_ALIASES " @ 3:9, 4:9",
          NULL}},
        {"\n"
         "      fragment conflictingArgs on Dog {\n"
         "        doesKnowCommand\n"
         "        doesKnowCommand(dogCommand: HEEL)\n"
         "      }\n"
         "    ",
         {"Fields \"doesKnowCommand\" conflict because they have differing arguments" USE_ALIASES
          " @ 3:9, 4:9",
          NULL}},
        {"\n"
         "      fragment conflictingArgs on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT)\n"
         "        doesKnowCommand\n"
         "      }\n"
         "    ",
         {"Fields \"doesKnowCommand\" conflict because they have differing arguments" USE_ALIASES
          " @ 3:9, 4:9",
          NULL}},
        {"\n"
         "      fragment conflictingArgs on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT)\n"
         "        doesKnowCommand(dogCommand: HEEL)\n"
         "      }\n"
         "    ",
         {"Fields \"doesKnowCommand\" conflict because they have differing arguments" USE_ALIASES
          " @ 3:9, 4:9",
          NULL}},
        {"\n"
         "      fragment conflictingArgs on Dog {\n"
         "        isAtLocation(x: 0)\n"
         "        isAtLocation(y: 0)\n"
         "      }\n"
         "    ",
         {"Fields \"isAtLocation\" conflict because they have differing arguments" USE_ALIASES
          " @ 3:9, 4:9",
          NULL}},
        {"\n"
         "      fragment conflictingArgs on Pet {\n"
         "        ... on Dog {\n"
         "          name(surname: true)\n"
         "        }\n"
         "        ... on Cat {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        /* values compare by value: an Int is not a Float, a string is not a block string */
        {"{ dog { isAtLocation(x: 1) isAtLocation(x: 1.0) } }",
         {"Fields \"isAtLocation\" conflict because they have differing arguments" USE_ALIASES
          " @ 1:9, 1:28",
          NULL}},
        {"{ human(id: \"a\") { name } human(id: \"\"\"a\"\"\") { name } }",
         {"Fields \"human\" conflict because they have differing arguments" USE_ALIASES
          " @ 1:3, 1:27",
          NULL}},
        {"{ human(id: \"a\\u0062\") { name } human(id: \"ab\") { name } }", {NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

/* graphql-js 16.15: an inline fragment's selection set is compared as part of the enclosing
 * one only; a reason is cut after 1000 characters; each side keeps 20 nodes. */
static void test_limits_16_15(void **state) {
    (void)state;
    lc_arena_t a;
    lc_buf_t q;
    const char *got[4];
    int rc;
    static const vh_case_t cases[] = {
        {"{ dog { ... on Dog { name: nickname name } } }",
         {"Fields \"name\" conflict because \"nickname\" and \"name\" are different "
          "fields" USE_ALIASES " @ 1:22, 1:37",
          NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));

    lc_arena_init(&a, 0, 0);
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog { mother {");
    for (int i = 0; i < 40; i++)
        lc_buf_printf(&q, " a%d: name", i);
    lc_buf_append_cstr(&q, " } mother {");
    for (int i = 0; i < 40; i++)
        lc_buf_printf(&q, " a%d: nickname", i);
    lc_buf_append_cstr(&q, " } } }");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    assert_int_equal(vh_errors(&a, schema, RULE, 0, q.data, got, N_(got), &rc), 1);
    const char *tail = "\"a12\" conflict because \"name\" and \"nickn..." USE_ALIASES
                       " @ 1:9, 1:18, 1:27, 1:36, 1:45, 1:54, 1:63, 1:72";
    size_t n = strlen(got[0]), nt = strlen(tail);
    assert_true(n > nt);
    assert_string_equal(got[0] + n - nt, tail);
    /* "Fields \"mother\" conflict because " + 1000 + "..." + the advice + locations */
    assert_int_equal(n - strlen(" @ 1:9, 1:18, 1:27, 1:36, 1:45, 1:54, 1:63, 1:72"), 1112);
    lc_arena_dispose(&a);
}

static void test_argument_order(void **state) {
    (void)state;
    static const vh_case_t unordered[] = {
        {"\n"
         "        {\n"
         "          someField(a: null, b: null)\n"
         "          someField(b: null, a: null)\n"
         "        }\n"
         "      ",
         {NULL}},
    };
    vh_run_sdl("type Query { someField(a: String, b: String): String }", RULE, unordered,
               N_(unordered));
    static const vh_case_t fields[] = {
        {"\n"
         "        {\n"
         "          someField(arg: { a: null, b: null })\n"
         "          someField(arg: { b: null, a: null })\n"
         "        }\n"
         "      ",
         {NULL}},
        {"{ someField(arg: { a: \"x\", b: [1, {c: 2, d: 3}] }) "
         "someField(arg: { b: [1, {d: 3, c: 2}], a: \"x\" }) }",
         {NULL}},
        {"{ someField(arg: { a: \"x\", b: [1, 2] }) someField(arg: { b: [2, 1], a: \"x\" }) }",
         {"Fields \"someField\" conflict because they have differing arguments" USE_ALIASES
          " @ 1:3, 1:41",
          NULL}},
    };
    vh_run_sdl("input SomeInput { a: String\n b: String }\n"
               "type Query { someField(arg: SomeInput): String }",
               RULE, fields, N_(fields));
}

static void test_fragments(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      {\n"
         "        ...A\n"
         "        ...B\n"
         "      }\n"
         "      fragment A on Type {\n"
         "        x: a\n"
         "      }\n"
         "      fragment B on Type {\n"
         "        x: b\n"
         "      }\n"
         "    ",
         {"Fields \"x\" conflict because \"a\" and \"b\" are different fields" USE_ALIASES
          " @ 7:9, 10:9",
          NULL}},
        {"\n"
         "      {\n"
         "        f1 {\n"
         "          ...A\n"
         "          ...B\n"
         "        }\n"
         "        f2 {\n"
         "          ...B\n"
         "          ...A\n"
         "        }\n"
         "        f3 {\n"
         "          ...A\n"
         "          ...B\n"
         "          x: c\n"
         "        }\n"
         "      }\n"
         "      fragment A on Type {\n"
         "        x: a\n"
         "      }\n"
         "      fragment B on Type {\n"
         "        x: b\n"
         "      }\n"
         "    ",
         {"Fields \"x\" conflict because \"a\" and \"b\" are different fields" USE_ALIASES
          " @ 18:9, 21:9",
          "Fields \"x\" conflict because \"c\" and \"a\" are different fields" USE_ALIASES
          " @ 14:11, 18:9",
          "Fields \"x\" conflict because \"c\" and \"b\" are different fields" USE_ALIASES
          " @ 14:11, 21:9",
          NULL}},
        {"\n"
         "      {\n"
         "        field {\n"
         "          x: a\n"
         "        },\n"
         "        field {\n"
         "          x: b\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Fields \"field\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are "
          "different fields" USE_ALIASES " @ 3:9, 4:11, 6:9, 7:11",
          NULL}},
        {"\n"
         "      {\n"
         "        field {\n"
         "          x: a\n"
         "          y: c\n"
         "        },\n"
         "        field {\n"
         "          x: b\n"
         "          y: d\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Fields \"field\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are "
          "different fields and subfields \"y\" conflict because \"c\" and \"d\" are different "
          "fields" USE_ALIASES " @ 3:9, 4:11, 5:11, 7:9, 8:11, 9:11",
          NULL}},
        {"\n"
         "      {\n"
         "        field {\n"
         "          deepField {\n"
         "            x: a\n"
         "          }\n"
         "        },\n"
         "        field {\n"
         "          deepField {\n"
         "            x: b\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Fields \"field\" conflict because subfields \"deepField\" conflict because subfields "
          "\"x\" conflict because \"a\" and \"b\" are different fields" USE_ALIASES
          " @ 3:9, 4:11, 5:13, 8:9, 9:11, 10:13",
          NULL}},
        {"\n"
         "      {\n"
         "        field {\n"
         "          deepField {\n"
         "            x: a\n"
         "          }\n"
         "          deepField {\n"
         "            x: b\n"
         "          }\n"
         "        },\n"
         "        field {\n"
         "          deepField {\n"
         "            y\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Fields \"deepField\" conflict because subfields \"x\" conflict because \"a\" and \"b\" "
          "are different fields" USE_ALIASES " @ 4:11, 5:13, 7:11, 8:13",
          NULL}},
        {"\n"
         "      {\n"
         "        field {\n"
         "          ...F\n"
         "        }\n"
         "        field {\n"
         "          ...F\n"
         "        }\n"
         "      }\n"
         "      fragment F on T {\n"
         "        deepField {\n"
         "          deeperField {\n"
         "            x: a\n"
         "          }\n"
         "          deeperField {\n"
         "            x: b\n"
         "          }\n"
         "        },\n"
         "        deepField {\n"
         "          deeperField {\n"
         "            y\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Fields \"deeperField\" conflict because subfields \"x\" conflict because \"a\" and "
          "\"b\" are different fields" USE_ALIASES " @ 12:11, 13:13, 15:11, 16:13",
          NULL}},
        {"\n"
         "      {\n"
         "        field {\n"
         "          ...I\n"
         "        }\n"
         "        field {\n"
         "          ...F\n"
         "        }\n"
         "      }\n"
         "      fragment F on T {\n"
         "        x: a\n"
         "        ...G\n"
         "      }\n"
         "      fragment G on T {\n"
         "        y: c\n"
         "      }\n"
         "      fragment I on T {\n"
         "        y: d\n"
         "        ...J\n"
         "      }\n"
         "      fragment J on T {\n"
         "        x: b\n"
         "      }\n"
         "    ",
         {"Fields \"field\" conflict because subfields \"y\" conflict because \"d\" and \"c\" are "
          "different fields and subfields \"x\" conflict because \"b\" and \"a\" are different "
          "fields" USE_ALIASES " @ 3:9, 18:9, 22:9, 6:9, 15:9, 11:9",
          NULL}},
        {"\n"
         "      fragment F on T {\n"
         "        ...G\n"
         "      }\n"
         "      fragment G on T {\n"
         "        ...H\n"
         "      }\n"
         "      fragment H on T {\n"
         "        x: a\n"
         "      }\n"
         "      {\n"
         "        x: b\n"
         "        ...F\n"
         "      }\n"
         "    ",
         {"Fields \"x\" conflict because \"b\" and \"a\" are different fields" USE_ALIASES
          " @ 12:9, 9:9",
          NULL}},
        {"\n"
         "      {\n"
         "        field\n"
         "        ...Unknown\n"
         "        ...Known\n"
         "      }\n"
         "\n"
         "      fragment Known on T {\n"
         "        field\n"
         "        ...OtherUnknown\n"
         "      }\n"
         "    ",
         {NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static void test_recursive_fragments(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "      }\n"
         "\n"
         "      fragment fragA on Human { name, relatives { name, ...fragA } }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "      }\n"
         "\n"
         "      fragment fragA on Human { name, ...fragA }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "        fragA\n"
         "      }\n"
         "\n"
         "      fragment fragA on Query { ...fragA }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        fragA\n"
         "        ...fragA\n"
         "      }\n"
         "\n"
         "      fragment fragA on Type {\n"
         "        fragA: b\n"
         "      }\n"
         "    ",
         {"Fields \"fragA\" conflict because \"fragA\" and \"b\" are different fields" USE_ALIASES
          " @ 3:9, 8:9",
          NULL}},
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "        fragB\n"
         "      }\n"
         "\n"
         "      fragment fragA on Human { name, ...fragB }\n"
         "      fragment fragB on Human { name, ...fragC }\n"
         "      fragment fragC on Human { name, ...fragA }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment sameAliasesWithDifferentFieldTargets on Dog {\n"
         "        ...sameAliasesWithDifferentFieldTargets\n"
         "        fido: name\n"
         "        fido: nickname\n"
         "      }\n"
         "    ",
         {"Fields \"fido\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 4:9, 5:9",
          NULL}},
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "        ...fragB\n"
         "      }\n"
         "\n"
         "      fragment fragA on T {\n"
         "        x {\n"
         "          ...fragA\n"
         "          x {\n"
         "            ...fragA\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "\n"
         "      fragment fragB on T {\n"
         "        x {\n"
         "          ...fragB\n"
         "          x {\n"
         "            ...fragB\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static const char box_sdl[] =
    "interface SomeBox {\n"
    "  deepBox: SomeBox\n"
    "  unrelatedField: String\n"
    "}\n"
    "type StringBox implements SomeBox {\n"
    "  scalar: String\n"
    "  deepBox: StringBox\n"
    "  unrelatedField: String\n"
    "  listStringBox: [StringBox]\n"
    "  stringBox: StringBox\n"
    "  intBox: IntBox\n"
    "}\n"
    "type IntBox implements SomeBox {\n"
    "  scalar: Int\n"
    "  deepBox: IntBox\n"
    "  unrelatedField: String\n"
    "  listStringBox: [StringBox]\n"
    "  stringBox: StringBox\n"
    "  intBox: IntBox\n"
    "}\n"
    "interface NonNullStringBox1 {\n"
    "  scalar: String!\n"
    "}\n"
    "type NonNullStringBox1Impl implements SomeBox & NonNullStringBox1 {\n"
    "  scalar: String!\n"
    "  unrelatedField: String\n"
    "  deepBox: SomeBox\n"
    "}\n"
    "interface NonNullStringBox2 {\n"
    "  scalar: String!\n"
    "}\n"
    "type NonNullStringBox2Impl implements SomeBox & NonNullStringBox2 {\n"
    "  scalar: String!\n"
    "  unrelatedField: String\n"
    "  deepBox: SomeBox\n"
    "}\n"
    "type Connection {\n"
    "  edges: [Edge]\n"
    "}\n"
    "type Edge {\n"
    "  node: Node\n"
    "}\n"
    "type Node {\n"
    "  id: ID\n"
    "  name: String\n"
    "}\n"
    "type Query {\n"
    "  someBox: SomeBox\n"
    "  connection: Connection\n"
    "}\n";

static void test_return_types(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ...on IntBox {\n"
         "                scalar\n"
         "              }\n"
         "              ...on NonNullStringBox1 {\n"
         "                scalar\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"scalar\" conflict because they return conflicting types \"Int\" and "
          "\"String!\"" USE_ALIASES " @ 5:17, 8:17",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on SomeBox {\n"
         "                deepBox {\n"
         "                  unrelatedField\n"
         "                }\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                deepBox {\n"
         "                  unrelatedField\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                scalar\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                scalar\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"scalar\" conflict because they return conflicting types \"Int\" and "
          "\"String\"" USE_ALIASES " @ 5:17, 8:17",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                deepBox {\n"
         "                  ...X\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "            someBox {\n"
         "              ... on StringBox {\n"
         "                deepBox {\n"
         "                  ...Y\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "            memoed: someBox {\n"
         "              ... on IntBox {\n"
         "                deepBox {\n"
         "                  ...X\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "            memoed: someBox {\n"
         "              ... on StringBox {\n"
         "                deepBox {\n"
         "                  ...Y\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "            other: someBox {\n"
         "              ...X\n"
         "            }\n"
         "            other: someBox {\n"
         "              ...Y\n"
         "            }\n"
         "          }\n"
         "          fragment X on SomeBox {\n"
         "            scalar\n"
         "          }\n"
         "          fragment Y on SomeBox {\n"
         "            scalar: unrelatedField\n"
         "          }\n"
         "        ",
         {"Fields \"other\" conflict because subfields \"scalar\" conflict because \"scalar\" and "
          "\"unrelatedField\" are different fields" USE_ALIASES " @ 31:13, 39:13, 34:13, 42:13",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on NonNullStringBox1 {\n"
         "                scalar\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                scalar\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"scalar\" conflict because they return conflicting types \"String!\" and "
          "\"String\"" USE_ALIASES " @ 5:17, 8:17",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                box: listStringBox {\n"
         "                  scalar\n"
         "                }\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                box: stringBox {\n"
         "                  scalar\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"box\" conflict because they return conflicting types \"[StringBox]\" and "
          "\"StringBox\"" USE_ALIASES " @ 5:17, 10:17",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                box: stringBox {\n"
         "                  scalar\n"
         "                }\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                box: listStringBox {\n"
         "                  scalar\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"box\" conflict because they return conflicting types \"StringBox\" and "
          "\"[StringBox]\"" USE_ALIASES " @ 5:17, 10:17",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                box: stringBox {\n"
         "                  val: scalar\n"
         "                  val: unrelatedField\n"
         "                }\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                box: stringBox {\n"
         "                  val: scalar\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"val\" conflict because \"scalar\" and \"unrelatedField\" are different "
          "fields" USE_ALIASES " @ 6:19, 7:19",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                box: stringBox {\n"
         "                  scalar\n"
         "                }\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                box: intBox {\n"
         "                  scalar\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"box\" conflict because subfields \"scalar\" conflict because they return "
          "conflicting types \"String\" and \"Int\"" USE_ALIASES " @ 5:17, 6:19, 10:17, 11:19",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ... on IntBox {\n"
         "                scalar: unrelatedField\n"
         "              }\n"
         "              ... on StringBox {\n"
         "                scalar\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ...on NonNullStringBox1 {\n"
         "                scalar\n"
         "              }\n"
         "              ...on NonNullStringBox2 {\n"
         "                scalar\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {NULL}},
        {"\n"
         "          {\n"
         "            a\n"
         "            ... {\n"
         "              a\n"
         "            }\n"
         "          }\n"
         "        ",
         {NULL}},
        {"\n"
         "          {\n"
         "            connection {\n"
         "              ...edgeID\n"
         "              edges {\n"
         "                node {\n"
         "                  id: name\n"
         "                }\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "\n"
         "          fragment edgeID on Connection {\n"
         "            edges {\n"
         "              node {\n"
         "                id\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {"Fields \"edges\" conflict because subfields \"node\" conflict because subfields \"id\" "
          "conflict because \"name\" and \"id\" are different fields" USE_ALIASES
          " @ 5:15, 6:17, 7:19, 14:13, 15:15, 16:17",
          NULL}},
        {"\n"
         "          {\n"
         "            someBox {\n"
         "              ...on UnknownType {\n"
         "                scalar\n"
         "              }\n"
         "              ...on NonNullStringBox2 {\n"
         "                scalar\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        ",
         {NULL}},
    };
    vh_run_sdl(box_sdl, RULE, cases, N_(cases));

    static const vh_case_t keywords[] = {
        {"\n"
         "          {\n"
         "            foo {\n"
         "              constructor\n"
         "            }\n"
         "          }\n"
         "        ",
         {NULL}},
    };
    vh_run_sdl("type Foo { constructor: String }\ntype Query { foo: Foo }", RULE, keywords,
               N_(keywords));
}

/* ---- Repeated fields: every pair is compared and reported, as graphql-js does --------------- */

static void test_repeated_fields(void **state) {
    (void)state;
    /* 12 copies (more than the threshold for classes) of one shape with a conflict inside:
     * graphql-js reports the inner conflict in each copy's own selection set, and each pair of
     * copies at the top: 66 pairs, cut at the error limit. */
    lc_arena_t a;
    lc_buf_t q;
    const char *got[200];
    lc_arena_init(&a, 0, 0);
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{\n");
    for (int i = 0; i < 12; i++)
        lc_buf_append_cstr(&q, "field { x: a x: b }\n");
    lc_buf_append_cstr(&q, "field { y }\n}");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    int rc;
    uint32_t n = vh_errors(&a, schema, RULE, 1000, q.data, got, N_(got), &rc);
    assert_int_equal(rc, LC_EINVAL);
    /* top level: pairs (i, j) of the 12 copies, in order, each with 2 x 2 sub-conflicts; then
     * each copy's own conflict */
    assert_int_equal(n, 66 + 12);
    assert_string_equal(got[0], "Fields \"field\" conflict because subfields \"x\" conflict "
                                "because \"a\" and \"b\" are different fields and subfields "
                                "\"x\" conflict because \"b\" and \"a\" are different "
                                "fields" USE_ALIASES " @ 2:1, 2:9, 2:14, 3:1, 3:14, 3:9");
    assert_string_equal(got[1], "Fields \"field\" conflict because subfields \"x\" conflict "
                                "because \"a\" and \"b\" are different fields and subfields "
                                "\"x\" conflict because \"b\" and \"a\" are different "
                                "fields" USE_ALIASES " @ 2:1, 2:9, 2:14, 4:1, 4:14, 4:9");
    assert_string_equal(got[65], "Fields \"field\" conflict because subfields \"x\" conflict "
                                 "because \"a\" and \"b\" are different fields and subfields "
                                 "\"x\" conflict because \"b\" and \"a\" are different "
                                 "fields" USE_ALIASES " @ 12:1, 12:9, 12:14, 13:1, 13:14, 13:9");
    assert_string_equal(got[66], "Fields \"x\" conflict because \"a\" and \"b\" are different "
                                 "fields" USE_ALIASES " @ 2:9, 2:14");
    lc_arena_dispose(&a);

    /* copies and one different field: only the pairs with the odd one conflict */
    static const vh_case_t cases[] = {
        {"{ dog {\n"
         "name name name name name name name name name name\n"
         "name: nickname\n"
         "name name\n"
         "} }",
         {"Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:1, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:6, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:11, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:16, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:21, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:26, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:31, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:36, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:41, 3:1",
          "Fields \"name\" conflict because \"name\" and \"nickname\" are different "
          "fields" USE_ALIASES " @ 2:46, 3:1",
          "Fields \"name\" conflict because \"nickname\" and \"name\" are different "
          "fields" USE_ALIASES " @ 3:1, 4:1",
          "Fields \"name\" conflict because \"nickname\" and \"name\" are different "
          "fields" USE_ALIASES " @ 3:1, 4:6",
          NULL}},
        /* copies that differ only inside an argument, or a nested selection */
        {"{ dog {\n"
         "a: doesKnowCommand(dogCommand: SIT) a: doesKnowCommand(dogCommand: SIT)\n"
         "a: doesKnowCommand(dogCommand: SIT) a: doesKnowCommand(dogCommand: SIT)\n"
         "a: doesKnowCommand(dogCommand: SIT) a: doesKnowCommand(dogCommand: SIT)\n"
         "a: doesKnowCommand(dogCommand: SIT) a: doesKnowCommand(dogCommand: SIT)\n"
         "a: doesKnowCommand(dogCommand: SIT) a: doesKnowCommand(dogCommand: HEEL)\n"
         "} }",
         {"Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 2:1, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 2:37, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 3:1, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 3:37, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 4:1, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 4:37, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 5:1, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 5:37, 6:37",
          "Fields \"a\" conflict because they have differing arguments" USE_ALIASES " @ 6:1, 6:37",
          NULL}},
        /* a leaf repeated with its arguments in another order, or with one given twice */
        {"{ dog { isAtLocation(x: 1, y: 2) isAtLocation(x: 1, y: 2) isAtLocation(y: 2, x: 1) } }",
         {NULL}},
        {"{ dog { isAtLocation(x: 1, x: 2) isAtLocation(x: 1, x: 2) } }",
         {"Fields \"isAtLocation\" conflict because they have differing arguments" USE_ALIASES
          " @ 1:9, 1:34",
          NULL}},
        {"{ dog {\n"
         "mother { name } mother { name } mother { name } mother { name } mother { name }\n"
         "mother { name } mother { name } mother { name } mother { name } mother { name }\n"
         "mother { n: name }\n"
         "} }",
         {NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

/* ---- Hostile documents stay fast --------------------------------------------------------------
 */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Validates `query` with every rule and checks that it took little time and ended as graphql-js
 * 16.15 does: with no error, or with `last` as the last error (its budget's "Validation
 * aborted." for most hostile documents). */
static void expect_fast(const char *what, const char *query, const char *last) {
    lc_arena_t a;
    const char *got[128];
    int rc;
    lc_arena_init(&a, 0, 0);
    double t0 = now();
    uint32_t n = vh_errors(&a, schema, GQL__RULES_ALL, 0, query, got, N_(got), &rc);
    double dt = now() - t0;
    if (last ? n == 0 || n > N_(got) || strcmp(got[n - 1], last) != 0 : n != 0)
        fail_msg("%s: %u errors (first: %s), want %s", what, (unsigned)n, n ? got[0] : "",
                 last ? last : "none");
    if (dt > VH_FAST_SECONDS)
        fail_msg("%s: %.3f s", what, dt);
    lc_arena_dispose(&a);
}

static void test_hostile(void **state) {
    (void)state;
    lc_arena_t a;
    lc_buf_t q;
    lc_arena_init(&a, 0, 0);

    /* 4000 copies of one field with a sub-selection: 8 million comparisons, past graphql-js's
     * complexity budget */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog {");
    for (int i = 0; i < 4000; i++)
        lc_buf_append_cstr(&q, " mother { name }");
    lc_buf_append_cstr(&q, " } }");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("repeated field", q.data, "Validation aborted.");

    /* the same, in two fragments spread side by side */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog { ...A ...B } }\nfragment A on Dog {");
    for (int i = 0; i < 2000; i++)
        lc_buf_append_cstr(&q, " mother { name }");
    lc_buf_append_cstr(&q, " }\nfragment B on Dog {");
    for (int i = 0; i < 2000; i++)
        lc_buf_append_cstr(&q, " mother { name }");
    lc_buf_append_cstr(&q, " }");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("repeated field in fragments", q.data, "Validation aborted.");

    /* conflicts in every pair: the error limit is reached first */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog {");
    for (int i = 0; i < 100; i++)
        lc_buf_append_cstr(&q, " a: name a: nickname");
    lc_buf_append_cstr(&q, " } }");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("conflicting pairs", q.data,
                "Too many validation errors, error limit reached. Validation aborted.");
    /* ... or the budget, when there are enough of them */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog {");
    for (int i = 0; i < 400; i++)
        lc_buf_append_cstr(&q, " a: name a: nickname");
    lc_buf_append_cstr(&q, " } }");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("many conflicting pairs", q.data, "Validation aborted.");

    /* fragments that each spread the next one twice (2^n paths): the memos keep it small */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog { ...F0 } }\n");
    for (int i = 0; i < 200; i++)
        lc_buf_printf(&q, "fragment F%d on Dog { name ...F%d mother { ...F%d } }\n", i, i + 1,
                      i + 1);
    lc_buf_append_cstr(&q, "fragment F200 on Dog { name }\n");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("fragment ladder", q.data, NULL);

    /* many fragments all spread together: every pair is compared once */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog {");
    for (int i = 0; i < 300; i++)
        lc_buf_printf(&q, " ...F%d", i);
    lc_buf_append_cstr(&q, " } }\n");
    for (int i = 0; i < 300; i++)
        lc_buf_printf(&q, "fragment F%d on Dog { name mother { name } }\n", i);
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("fragment pairs", q.data, NULL);

    /* a chain of 850 fragments, each one level deeper: the C stack must not follow it */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog { ...C0 } dog { ...D0 } }\n");
    for (int i = 0; i < 850; i++)
        lc_buf_printf(&q, "fragment C%d on Dog { mother { ...C%d } }\n", i, i + 1);
    lc_buf_append_cstr(&q, "fragment C850 on Dog { name }\n");
    for (int i = 0; i < 850; i++)
        lc_buf_printf(&q, "fragment D%d on Dog { mother { ...D%d } }\n", i, i + 1);
    lc_buf_append_cstr(&q, "fragment D850 on Dog { name }\n");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("deep fragment chain", q.data, NULL);

    /* a chain of 2200 fragments with a field each: the fields are compared n^2 / 2 times */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog { ...F0 } }\n");
    for (int i = 0; i < 2200; i++)
        lc_buf_printf(&q, "fragment F%d on Dog { name ...F%d }\n", i, i + 1);
    lc_buf_append_cstr(&q, "fragment F2200 on Dog { name }\n");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    expect_fast("fragment chain with fields", q.data, "Validation aborted.");

    lc_arena_dispose(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_limits_16_15),
        cmocka_unit_test(test_argument_order),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_recursive_fragments),
        cmocka_unit_test(test_return_types),
        cmocka_unit_test(test_repeated_fields),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
