/* SPDX-License-Identifier: MIT */
/* Unit tests of src/graphql/validate_vars.c (Oct 2021 §5.8): UniqueVariableNames,
 * NoUndefinedVariables, NoUnusedVariables and VariablesInAllowedPosition with graphql-js 16's
 * cases: variables used through fragments (nested, shared by operations, recursive),
 * list/non-null positions and default values on either side. */
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

/* ---- §5.8.1 UniqueVariableNames ---------------------------------------------------------- */

static void test_unique_variable_names(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query A($x: Int, $y: String) { __typename }\n"
         "      query B($x: String, $y: Int) { __typename }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query A($x: Int, $x: Int, $x: String) { __typename }\n"
         "      query B($x: String, $x: Int) { __typename }\n"
         "      query C($x: Int, $x: Int) { __typename }\n"
         "    ",
         {"There can be only one variable named \"$x\". @ 2:16, 2:25, 2:34",
          "There can be only one variable named \"$x\". @ 3:16, 3:28",
          "There can be only one variable named \"$x\". @ 4:16, 4:25", NULL}},
        /* groups in the order of their first definition */
        {"query ($b: Int, $a: Int, $b: Int, $a: Int) { __typename }",
         {"There can be only one variable named \"$b\". @ 1:9, 1:27",
          "There can be only one variable named \"$a\". @ 1:18, 1:36", NULL}},
    };
    vh_run(schema, VH_RULE(UNIQUE_VARIABLE_NAMES), cases, N_(cases));
}

/* ---- §5.8.3 NoUndefinedVariables ------------------------------------------------------------ */

static void test_no_undefined_variables(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        field(a: $a, b: $b, c: $c)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        ... on Type {\n"
         "          field(a: $a) {\n"
         "            field(b: $b) {\n"
         "              ... on Type {\n"
         "                field(c: $c)\n"
         "              }\n"
         "            }\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a) {\n"
         "          ...FragB\n"
         "        }\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b) {\n"
         "          ...FragC\n"
         "        }\n"
         "      }\n"
         "      fragment FragC on Type {\n"
         "        field(c: $c)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      query Bar($a: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a) {\n"
         "          ...FragA\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        field(a: $a, b: $b, c: $c, d: $d)\n"
         "      }\n"
         "    ",
         {"Variable \"$d\" is not defined by operation \"Foo\". @ 3:39, 2:7", NULL}},
        {"\n      {\n        field(a: $a)\n      }\n    ",
         {"Variable \"$a\" is not defined. @ 3:18, 2:7", NULL}},
        {"\n"
         "      query Foo($b: String) {\n"
         "        field(a: $a, b: $b, c: $c)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" is not defined by operation \"Foo\". @ 3:18, 2:7",
          "Variable \"$c\" is not defined by operation \"Foo\". @ 3:32, 2:7", NULL}},
        {"\n"
         "      {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" is not defined. @ 6:18, 2:7", NULL}},
        {"\n"
         "      query Foo($b: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a) {\n"
         "          ...FragB\n"
         "        }\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b) {\n"
         "          ...FragC\n"
         "        }\n"
         "      }\n"
         "      fragment FragC on Type {\n"
         "        field(c: $c)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" is not defined by operation \"Foo\". @ 6:18, 2:7",
          "Variable \"$c\" is not defined by operation \"Foo\". @ 16:18, 2:7", NULL}},
        {"\n"
         "      query Foo($a: String) {\n"
         "        ...FragAB\n"
         "      }\n"
         "      query Bar($a: String) {\n"
         "        ...FragAB\n"
         "      }\n"
         "      fragment FragAB on Type {\n"
         "        field(a: $a, b: $b)\n"
         "      }\n"
         "    ",
         {"Variable \"$b\" is not defined by operation \"Foo\". @ 9:25, 2:7",
          "Variable \"$b\" is not defined by operation \"Bar\". @ 9:25, 5:7", NULL}},
        {"\n"
         "      query Foo($b: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      query Bar($a: String) {\n"
         "        ...FragB\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a)\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" is not defined by operation \"Foo\". @ 9:18, 2:7",
          "Variable \"$b\" is not defined by operation \"Bar\". @ 12:18, 5:7", NULL}},
        {"\n"
         "      query Foo($b: String) {\n"
         "        ...FragAB\n"
         "      }\n"
         "      query Bar($a: String) {\n"
         "        ...FragAB\n"
         "      }\n"
         "      fragment FragAB on Type {\n"
         "        field1(a: $a, b: $b)\n"
         "        ...FragC\n"
         "        field3(a: $a, b: $b)\n"
         "      }\n"
         "      fragment FragC on Type {\n"
         "        field2(c: $c)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" is not defined by operation \"Foo\". @ 9:19, 2:7",
          "Variable \"$a\" is not defined by operation \"Foo\". @ 11:19, 2:7",
          "Variable \"$c\" is not defined by operation \"Foo\". @ 14:19, 2:7",
          "Variable \"$b\" is not defined by operation \"Bar\". @ 9:26, 5:7",
          "Variable \"$b\" is not defined by operation \"Bar\". @ 11:26, 5:7",
          "Variable \"$c\" is not defined by operation \"Bar\". @ 14:19, 5:7", NULL}},
        /* in directives of the operation; not in a variable's own directives */
        {"query Q @dir(a: $x) { f }",
         {"Variable \"$x\" is not defined by operation \"Q\". @ 1:17, 1:1", NULL}},
    };
    vh_run(schema, VH_RULE(NO_UNDEFINED_VARIABLES), cases, N_(cases));
}

/* ---- §5.8.4 NoUnusedVariables --------------------------------------------------------------- */

static void test_no_unused_variables(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query ($a: String, $b: String, $c: String) {\n"
         "        field(a: $a, b: $b, c: $c)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a) {\n"
         "          ...FragB\n"
         "        }\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b) {\n"
         "          ...FragC\n"
         "        }\n"
         "      }\n"
         "      fragment FragC on Type {\n"
         "        field(c: $c)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a) {\n"
         "          ...FragA\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query ($a: String, $b: String, $c: String) {\n"
         "        field(a: $a, b: $b)\n"
         "      }\n"
         "    ",
         {"Variable \"$c\" is never used. @ 2:38", NULL}},
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        field(b: $b)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" is never used in operation \"Foo\". @ 2:17",
          "Variable \"$c\" is never used in operation \"Foo\". @ 2:41", NULL}},
        {"\n"
         "      query Foo($a: String, $b: String, $c: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a) {\n"
         "          ...FragB\n"
         "        }\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b) {\n"
         "          ...FragC\n"
         "        }\n"
         "      }\n"
         "      fragment FragC on Type {\n"
         "        field\n"
         "      }\n"
         "    ",
         {"Variable \"$c\" is never used in operation \"Foo\". @ 2:41", NULL}},
        {"\n"
         "      query Foo($b: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a)\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b)\n"
         "      }\n"
         "    ",
         {"Variable \"$b\" is never used in operation \"Foo\". @ 2:17", NULL}},
        {"\n"
         "      query Foo($b: String) {\n"
         "        ...FragA\n"
         "      }\n"
         "      query Bar($a: String) {\n"
         "        ...FragB\n"
         "      }\n"
         "      fragment FragA on Type {\n"
         "        field(a: $a)\n"
         "      }\n"
         "      fragment FragB on Type {\n"
         "        field(b: $b)\n"
         "      }\n"
         "    ",
         {"Variable \"$b\" is never used in operation \"Foo\". @ 2:17",
          "Variable \"$a\" is never used in operation \"Bar\". @ 5:17", NULL}},
        /* a variable's default value or directives do not use another variable */
        {"query ($a: Int, $b: Int = 1) { f(b: $b) }",
         {"Variable \"$a\" is never used. @ 1:8", NULL}},
    };
    vh_run(schema, VH_RULE(NO_UNUSED_VARIABLES), cases, N_(cases));
}

/* ---- §5.8.5 VariablesInAllowedPosition --------------------------------------------------------
 */

static void test_variables_in_allowed_position(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query Query($booleanArg: Boolean)\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          booleanArgField(booleanArg: $booleanArg)\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment booleanArgFrag on ComplicatedArgs {\n"
         "        booleanArgField(booleanArg: $booleanArg)\n"
         "      }\n"
         "      query Query($booleanArg: Boolean)\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          ...booleanArgFrag\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Query($nonNullBooleanArg: Boolean!)\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          booleanArgField(booleanArg: $nonNullBooleanArg)\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Query($stringListVar: [String!])\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          stringListArgField(stringListArg: $stringListVar)\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Query($stringVar: String!)\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          stringListArgField(stringListArg: [$stringVar])\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Query($boolVar: Boolean = false)\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          complexArgField(complexArg: {requiredArg: $boolVar})\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Query($boolVar: Boolean!)\n"
         "      {\n"
         "        dog @include(if: $boolVar)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Query($intArg: Int) {\n"
         "        complicatedArgs {\n"
         "          nonNullIntArgField(nonNullIntArg: $intArg)\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Variable \"$intArg\" of type \"Int\" used in position expecting type \"Int!\". @ 2:19, "
          "4:45",
          NULL}},
        {"\n"
         "      fragment nonNullIntArgFieldFrag on ComplicatedArgs {\n"
         "        nonNullIntArgField(nonNullIntArg: $intArg)\n"
         "      }\n"
         "\n"
         "      query Query($intArg: Int) {\n"
         "        complicatedArgs {\n"
         "          ...nonNullIntArgFieldFrag\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Variable \"$intArg\" of type \"Int\" used in position expecting type \"Int!\". @ 6:19, "
          "3:43",
          NULL}},
        {"\n"
         "      fragment outerFrag on ComplicatedArgs {\n"
         "        ...nonNullIntArgFieldFrag\n"
         "      }\n"
         "\n"
         "      fragment nonNullIntArgFieldFrag on ComplicatedArgs {\n"
         "        nonNullIntArgField(nonNullIntArg: $intArg)\n"
         "      }\n"
         "\n"
         "      query Query($intArg: Int) {\n"
         "        complicatedArgs {\n"
         "          ...outerFrag\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Variable \"$intArg\" of type \"Int\" used in position expecting type \"Int!\". @ 10:19, "
          "7:43",
          NULL}},
        {"\n"
         "      query Query($stringVar: String) {\n"
         "        complicatedArgs {\n"
         "          booleanArgField(booleanArg: $stringVar)\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Variable \"$stringVar\" of type \"String\" used in position expecting type \"Boolean\". "
          "@ 2:19, 4:39",
          NULL}},
        {"\n"
         "      query Query($stringVar: String) {\n"
         "        complicatedArgs {\n"
         "          stringListArgField(stringListArg: $stringVar)\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Variable \"$stringVar\" of type \"String\" used in position expecting type "
          "\"[String]\". @ 2:19, 4:45",
          NULL}},
        {"\n"
         "      query Query($boolVar: Boolean) {\n"
         "        dog @include(if: $boolVar)\n"
         "      }\n"
         "    ",
         {"Variable \"$boolVar\" of type \"Boolean\" used in position expecting type "
          "\"Boolean!\". @ 2:19, 3:26",
          NULL}},
        {"\n"
         "      query Query($stringVar: String) {\n"
         "        dog @include(if: $stringVar)\n"
         "      }\n"
         "    ",
         {"Variable \"$stringVar\" of type \"String\" used in position expecting type "
          "\"Boolean!\". @ 2:19, 3:26",
          NULL}},
        {"\n"
         "      query Query($stringListVar: [String])\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          stringListNonNullArgField(stringListNonNullArg: $stringListVar)\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Variable \"$stringListVar\" of type \"[String]\" used in position expecting type "
          "\"[String!]\". @ 2:19, 5:59",
          NULL}},
        {"\n"
         "        query Query($intVar: Int = null) {\n"
         "          complicatedArgs {\n"
         "            nonNullIntArgField(nonNullIntArg: $intVar)\n"
         "          }\n"
         "        }\n"
         "      ",
         {"Variable \"$intVar\" of type \"Int\" used in position expecting type \"Int!\". @ 2:21, "
          "4:47",
          NULL}},
        {"\n"
         "        query Query($intVar: Int = 1) {\n"
         "          complicatedArgs {\n"
         "            nonNullIntArgField(nonNullIntArg: $intVar)\n"
         "          }\n"
         "        }",
         {NULL}},
        {"\n"
         "        query Query($intVar: Int) {\n"
         "          complicatedArgs {\n"
         "            nonNullFieldWithDefault(nonNullIntArg: $intVar)\n"
         "          }\n"
         "        }",
         {NULL}},
        /* the argument's own default lets a nullable variable in */
        {"query Query($intVar: Int) { complicatedArgs { nonNullFieldWithDefault(arg: $intVar) } }",
         {NULL}},
        {"\n"
         "        query Query($boolVar: Boolean = false) {\n"
         "          dog @include(if: $boolVar)\n"
         "        }",
         {NULL}},
        {"\n        {\n          dog @include(if: $x)\n        }", {NULL}},
        /* a variable of an unknown type is left to other rules */
        {"query ($a: Unknown) { complicatedArgs { intArgField(intArg: $a) } }", {NULL}},
        /* list nesting and non-null items in an object field */
        {"query ($v: [[String]]) { complicatedArgs { stringListArgField(stringListArg: $v) } }",
         {"Variable \"$v\" of type \"[[String]]\" used in position expecting type \"[String]\". @ "
          "1:8, 1:78",
          NULL}},
        {"query ($v: Boolean) { complicatedArgs { complexArgField(complexArg: {requiredField: "
         "$v}) } }",
         {"Variable \"$v\" of type \"Boolean\" used in position expecting type \"Boolean!\". @ "
          "1:8, 1:85",
          NULL}},
        {"query ($v: Boolean) { complicatedArgs { complexArgField(complexArg: {nonNullField: "
         "$v}) } }",
         {NULL}},
    };
    vh_run(schema, VH_RULE(VARIABLES_IN_ALLOWED_POSITION), cases, N_(cases));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique_variable_names),
        cmocka_unit_test(test_no_undefined_variables),
        cmocka_unit_test(test_no_unused_variables),
        cmocka_unit_test(test_variables_in_allowed_position),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
