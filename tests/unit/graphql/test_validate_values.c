/* SPDX-License-Identifier: MIT */
/* Unit tests of src/graphql/validate_values.c: ValuesOfCorrectType (Oct 2021 §5.6.1, §5.6.2,
 * §5.6.4) with graphql-js 16's cases for every built-in scalar, enums, lists, input objects,
 * directive arguments, variable default values and custom scalars (with and without a parse
 * hook); and UniqueInputFieldNames (§5.6.3). */
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

#define RULE VH_RULE(VALUES_OF_CORRECT_TYPE)

/* "{ complicatedArgs { <field> } }" laid out as graphql-js's tests write it */
#define CA(field)                                                                                  \
    "\n        {\n          complicatedArgs {\n            " field                                 \
    "\n          }\n        }\n      "
#define DOG(field)                                                                                 \
    "\n        {\n          dog {\n            " field "\n          }\n        }\n      "

static void test_valid_values(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {CA("intArgField(intArg: 2)"), {NULL}},
        {CA("intArgField(intArg: -2)"), {NULL}},
        {CA("booleanArgField(booleanArg: true)"), {NULL}},
        {CA("stringArgField(stringArg: \"foo\")"), {NULL}},
        {CA("stringArgField(stringArg: \"\"\"block\"\"\")"), {NULL}},
        {CA("floatArgField(floatArg: 1.1)"), {NULL}},
        {CA("floatArgField(floatArg: -1.1)"), {NULL}},
        {CA("floatArgField(floatArg: 1)"), {NULL}},
        {CA("idArgField(idArg: 1)"), {NULL}},
        {CA("idArgField(idArg: \"someIdString\")"), {NULL}},
        {DOG("doesKnowCommand(dogCommand: SIT)"), {NULL}},
        {CA("enumArgField(enumArg: UNKNOWN)"), {NULL}},
        {CA("enumArgField(enumArg: NO_FUR)"), {NULL}},
        {CA("intArgField(intArg: null)"), {NULL}},
        {"\n"
         "        {\n"
         "          dog(a: null, b: null, c:{ requiredField: true, intField: null }) {\n"
         "            name\n"
         "          }\n"
         "        }\n"
         "      ",
         {NULL}},
        /* the Int range's ends */
        {CA("intArgField(intArg: 2147483647)"), {NULL}},
        {CA("intArgField(intArg: -2147483648)"), {NULL}},
        /* variables are checked elsewhere (VariablesInAllowedPosition) */
        {"query ($a: String) { complicatedArgs { intArgField(intArg: $a) } }", {NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static void test_invalid_scalars(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {CA("stringArgField(stringArg: 1)"),
         {"String cannot represent a non string value: 1 @ 4:39", NULL}},
        {CA("stringArgField(stringArg: 1.0)"),
         {"String cannot represent a non string value: 1.0 @ 4:39", NULL}},
        {CA("stringArgField(stringArg: true)"),
         {"String cannot represent a non string value: true @ 4:39", NULL}},
        {CA("stringArgField(stringArg: BAR)"),
         {"String cannot represent a non string value: BAR @ 4:39", NULL}},
        {CA("intArgField(intArg: \"3\")"),
         {"Int cannot represent non-integer value: \"3\" @ 4:33", NULL}},
        {CA("intArgField(intArg: 829384293849283498239482938)"),
         {"Int cannot represent non 32-bit signed integer value: 829384293849283498239482938 @ "
          "4:33",
          NULL}},
        {CA("intArgField(intArg: 2147483648)"),
         {"Int cannot represent non 32-bit signed integer value: 2147483648 @ 4:33", NULL}},
        {CA("intArgField(intArg: -2147483649)"),
         {"Int cannot represent non 32-bit signed integer value: -2147483649 @ 4:33", NULL}},
        {CA("intArgField(intArg: FOO)"),
         {"Int cannot represent non-integer value: FOO @ 4:33", NULL}},
        {CA("intArgField(intArg: 3.0)"),
         {"Int cannot represent non-integer value: 3.0 @ 4:33", NULL}},
        {CA("intArgField(intArg: 3.333)"),
         {"Int cannot represent non-integer value: 3.333 @ 4:33", NULL}},
        {CA("floatArgField(floatArg: \"3.333\")"),
         {"Float cannot represent non numeric value: \"3.333\" @ 4:37", NULL}},
        {CA("floatArgField(floatArg: true)"),
         {"Float cannot represent non numeric value: true @ 4:37", NULL}},
        {CA("floatArgField(floatArg: FOO)"),
         {"Float cannot represent non numeric value: FOO @ 4:37", NULL}},
        {CA("booleanArgField(booleanArg: 2)"),
         {"Boolean cannot represent a non boolean value: 2 @ 4:41", NULL}},
        {CA("booleanArgField(booleanArg: 1.0)"),
         {"Boolean cannot represent a non boolean value: 1.0 @ 4:41", NULL}},
        {CA("booleanArgField(booleanArg: \"true\")"),
         {"Boolean cannot represent a non boolean value: \"true\" @ 4:41", NULL}},
        {CA("booleanArgField(booleanArg: TRUE)"),
         {"Boolean cannot represent a non boolean value: TRUE @ 4:41", NULL}},
        {CA("idArgField(idArg: 1.0)"),
         {"ID cannot represent a non-string and non-integer value: 1.0 @ 4:31", NULL}},
        {CA("idArgField(idArg: true)"),
         {"ID cannot represent a non-string and non-integer value: true @ 4:31", NULL}},
        {CA("idArgField(idArg: SOMETHING)"),
         {"ID cannot represent a non-string and non-integer value: SOMETHING @ 4:31", NULL}},
        /* a literal printed back as graphql-js prints it */
        {CA("stringArgField(stringArg: {a: [1, \"x\\n\"], b: null})"),
         {"String cannot represent a non string value: {a: [1, \"x\\n\"], b: null} @ 4:39", NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static void test_invalid_enums(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {DOG("doesKnowCommand(dogCommand: 2)"),
         {"Enum \"DogCommand\" cannot represent non-enum value: 2. @ 4:41", NULL}},
        {DOG("doesKnowCommand(dogCommand: 1.0)"),
         {"Enum \"DogCommand\" cannot represent non-enum value: 1.0. @ 4:41", NULL}},
        {DOG("doesKnowCommand(dogCommand: \"SIT\")"),
         {"Enum \"DogCommand\" cannot represent non-enum value: \"SIT\". Did you mean the enum "
          "value \"SIT\"? @ 4:41",
          NULL}},
        {DOG("doesKnowCommand(dogCommand: true)"),
         {"Enum \"DogCommand\" cannot represent non-enum value: true. @ 4:41", NULL}},
        {DOG("doesKnowCommand(dogCommand: JUGGLE)"),
         {"Value \"JUGGLE\" does not exist in \"DogCommand\" enum. @ 4:41", NULL}},
        {DOG("doesKnowCommand(dogCommand: sit)"),
         {"Value \"sit\" does not exist in \"DogCommand\" enum. Did you mean the enum value "
          "\"SIT\"? @ 4:41",
          NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static void test_lists(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {CA("stringListArgField(stringListArg: [\"one\", null, \"two\"])"), {NULL}},
        {CA("stringListArgField(stringListArg: [])"), {NULL}},
        {CA("stringListArgField(stringListArg: null)"), {NULL}},
        {CA("stringListArgField(stringListArg: \"one\")"), {NULL}},
        {CA("stringListArgField(stringListArg: [\"one\", 2])"),
         {"String cannot represent a non string value: 2 @ 4:55", NULL}},
        {CA("stringListArgField(stringListArg: 1)"),
         {"String cannot represent a non string value: 1 @ 4:47", NULL}},
        /* non-null items */
        {CA("stringListNonNullArgField(stringListNonNullArg: [\"one\", null])"),
         {"Expected value of type \"String!\", found null. @ 4:69", NULL}},
        /* a list where a scalar is expected: checked whole, items not visited */
        {CA("stringArgField(stringArg: [\"one\", 2])"),
         {"String cannot represent a non string value: [\"one\", 2] @ 4:39", NULL}},
        /* a list where an input object is expected: the item type is the position's, so the
         * list is reported whole against it */
        {CA("complexArgField(complexArg: [{ requiredField: 1 }])"),
         {"Expected value of type \"ComplexInput\", found [{requiredField: 1}]. @ 4:41", NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static void test_non_null_and_objects(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {DOG("isHouseTrained(atOtherHomes: true)"), {NULL}},
        {DOG("isHouseTrained"), {NULL}},
        {CA("multipleReqs(req1: 1, req2: 2)"), {NULL}},
        {CA("multipleReqs(req2: 2, req1: 1)"), {NULL}},
        {CA("multipleOptAndReq(req1: 3, req2: 4, opt1: 5, opt2: 6)"), {NULL}},
        {CA("multipleReqs(req2: \"two\", req1: \"one\")"),
         {"Int cannot represent non-integer value: \"two\" @ 4:32",
          "Int cannot represent non-integer value: \"one\" @ 4:45", NULL}},
        {CA("multipleReqs(req1: \"one\")"),
         {"Int cannot represent non-integer value: \"one\" @ 4:32", NULL}},
        {CA("multipleReqs(req1: null)"),
         {"Expected value of type \"Int!\", found null. @ 4:32", NULL}},
        {CA("complexArgField"), {NULL}},
        {CA("complexArgField(complexArg: { requiredField: true })"), {NULL}},
        {CA("complexArgField(complexArg: { requiredField: false })"), {NULL}},
        {CA("complexArgField(complexArg: { requiredField: true, intField: 4 })"), {NULL}},
        {"\n"
         "        {\n"
         "          complicatedArgs {\n"
         "            complexArgField(complexArg: {\n"
         "              requiredField: true,\n"
         "              intField: 4,\n"
         "              stringField: \"foo\",\n"
         "              booleanField: false,\n"
         "              stringListField: [\"one\", \"two\"]\n"
         "            })\n"
         "          }\n"
         "        }\n"
         "      ",
         {NULL}},
        {CA("complexArgField(complexArg: { intField: 4 })"),
         {"Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided. "
          "@ 4:41",
          NULL}},
        {"\n"
         "        {\n"
         "          complicatedArgs {\n"
         "            complexArgField(complexArg: {\n"
         "              stringListField: [\"one\", 2],\n"
         "              requiredField: true,\n"
         "            })\n"
         "          }\n"
         "        }\n"
         "      ",
         {"String cannot represent a non string value: 2 @ 5:40", NULL}},
        {"\n"
         "        {\n"
         "          complicatedArgs {\n"
         "            complexArgField(complexArg: {\n"
         "              requiredField: true,\n"
         "              nonNullField: null,\n"
         "            })\n"
         "          }\n"
         "        }\n"
         "      ",
         {"Expected value of type \"Boolean!\", found null. @ 6:29", NULL}},
        {"\n"
         "        {\n"
         "          complicatedArgs {\n"
         "            complexArgField(complexArg: {\n"
         "              requiredField: true,\n"
         "              invalidField: \"value\"\n"
         "            })\n"
         "          }\n"
         "        }\n"
         "      ",
         {"Field \"invalidField\" is not defined by type \"ComplexInput\". Did you mean "
          "\"intField\"? @ 6:15",
          NULL}},
        /* an object where a scalar is expected: checked whole, fields not visited */
        {CA("intArgField(intArg: { requiredField: \"x\" })"),
         {"Int cannot represent non-integer value: {requiredField: \"x\"} @ 4:33", NULL}},
        /* an object where an enum is expected */
        {CA("enumArgField(enumArg: { a: 1 })"),
         {"Enum \"FurColor\" cannot represent non-enum value: {a: 1}. @ 4:35", NULL}},
        /* a scalar where an input object is expected */
        {CA("complexArgField(complexArg: 1)"),
         {"Expected value of type \"ComplexInput\", found 1. @ 4:41", NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

static void test_directives_and_defaults(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "        {\n"
         "          dog @include(if: true) {\n"
         "            name\n"
         "          }\n"
         "          human @skip(if: false) {\n"
         "            name\n"
         "          }\n"
         "        }\n"
         "      ",
         {NULL}},
        {"\n"
         "        {\n"
         "          dog @include(if: \"yes\") {\n"
         "            name @skip(if: ENUM)\n"
         "          }\n"
         "        }\n"
         "      ",
         {"Boolean cannot represent a non boolean value: \"yes\" @ 3:28",
          "Boolean cannot represent a non boolean value: ENUM @ 4:28", NULL}},
        {"\n"
         "        query WithDefaultValues(\n"
         "          $a: Int = 1,\n"
         "          $b: String = \"ok\",\n"
         "          $c: ComplexInput = { requiredField: true, intField: 3 }\n"
         "          $d: Int! = 123\n"
         "        ) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {NULL}},
        {"\n"
         "        query WithDefaultValues(\n"
         "          $a: Int = null,\n"
         "          $b: String = null,\n"
         "          $c: ComplexInput = { requiredField: true, intField: null }\n"
         "        ) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {NULL}},
        {"\n"
         "        query WithDefaultValues(\n"
         "          $a: Int! = null,\n"
         "          $b: String! = null,\n"
         "          $c: ComplexInput = { requiredField: null, intField: null }\n"
         "        ) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {"Expected value of type \"Int!\", found null. @ 3:22",
          "Expected value of type \"String!\", found null. @ 4:25",
          "Expected value of type \"Boolean!\", found null. @ 5:47", NULL}},
        {"\n"
         "        query InvalidDefaultValues(\n"
         "          $a: Int = \"one\",\n"
         "          $b: String = 4,\n"
         "          $c: ComplexInput = \"NotVeryComplex\"\n"
         "        ) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {"Int cannot represent non-integer value: \"one\" @ 3:21",
          "String cannot represent a non string value: 4 @ 4:24",
          "Expected value of type \"ComplexInput\", found \"NotVeryComplex\". @ 5:30", NULL}},
        {"\n"
         "        query WithDefaultValues(\n"
         "          $a: ComplexInput = { requiredField: 123, intField: \"abc\" }\n"
         "        ) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {"Boolean cannot represent a non boolean value: 123 @ 3:47",
          "Int cannot represent non-integer value: \"abc\" @ 3:62", NULL}},
        {"\n"
         "        query MissingRequiredField($a: ComplexInput = {intField: 3}) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {"Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided. @ "
          "2:55",
          NULL}},
        {"\n"
         "        query InvalidItem($a: [String] = [\"one\", 2]) {\n"
         "          dog { name }\n"
         "        }\n"
         "      ",
         {"String cannot represent a non string value: 2 @ 2:50", NULL}},
        /* arguments of an unknown field or directive are not checked */
        {"{ dog { unknown(a: 1) name @unknown(if: 1) } }", {NULL}},
    };
    vh_run(schema, RULE, cases, N_(cases));
}

/* ---- Custom scalars -------------------------------------------------------------------------- */

static int parse_invalid(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                         const char **why) {
    (void)ctx, (void)out;
    *why = lc_arena_printf(arena, "Invalid scalar is always invalid: %lld",
                           in->kind == GQL_VAL_INT ? (long long)in->i : -1LL);
    return LC_EINVAL;
}

static int parse_silent(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                        const char **why) {
    (void)ctx, (void)arena, (void)in, (void)out, (void)why;
    return LC_EINVAL;
}

/* Accepts only a map with an int "deep" list: checks that the literal arrives converted. */
static int parse_shape(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                       const char **why) {
    (void)ctx, (void)arena;
    if (in->kind == GQL_VAL_MAP && in->count == 1 && lc_str_eq_cstr(in->props[0].name, "deep") &&
        in->props[0].value.kind == GQL_VAL_LIST && in->props[0].value.count == 2 &&
        in->props[0].value.items[0].kind == GQL_VAL_INT &&
        in->props[0].value.items[1].kind == GQL_VAL_STRING) {
        *out = *in;
        return LC_OK;
    }
    *why = "not the expected shape";
    return LC_EINVAL;
}

static void test_custom_scalars(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("scalar Invalid\nscalar CustomScalar\nscalar Any\nscalar Shape\n"
                               "type Query {\n"
                               "  invalidArg(arg: Invalid): String\n"
                               "  customArg(arg: CustomScalar): String\n"
                               "  anyArg(arg: Any): String\n"
                               "  shapeArg(arg: Shape): String\n"
                               "}\n");
    assert_int_equal(gql_schema_bind_scalar(s, "Invalid", NULL, parse_invalid, NULL), LC_OK);
    assert_int_equal(gql_schema_bind_scalar(s, "CustomScalar", NULL, parse_silent, NULL), LC_OK);
    assert_int_equal(gql_schema_bind_scalar(s, "Shape", NULL, parse_shape, NULL), LC_OK);
    static const vh_case_t cases[] = {
        {"{ invalidArg(arg: 123) }",
         {"Expected value of type \"Invalid\", found 123; Invalid scalar is always invalid: 123 "
          "@ 1:19",
          NULL}},
        {"{ customArg(arg: 123) }",
         {"Expected value of type \"CustomScalar\", found 123. @ 1:18", NULL}},
        {"\n"
         "          {\n"
         "            test1: anyArg(arg: 123)\n"
         "            test2: anyArg(arg: \"abc\")\n"
         "            test3: anyArg(arg: [123, \"abc\"])\n"
         "            test4: anyArg(arg: {deep: [123, \"abc\"]})\n"
         "          }\n"
         "        ",
         {NULL}},
        {"{ shapeArg(arg: {deep: [123, \"abc\"]}) }", {NULL}},
        {"{ shapeArg(arg: {deep: [\"abc\", 123]}) }",
         {"Expected value of type \"Shape\", found {deep: [\"abc\", 123]}; not the expected shape "
          "@ 1:17",
          NULL}},
        /* a variable inside: graphql-js passes no variables, the hook is not asked */
        {"query ($v: Int) { shapeArg(arg: {deep: [$v]}) }", {NULL}},
    };
    vh_current_sdl = NULL; /* hooks graphql-js cannot have */
    vh_run(s, RULE, cases, N_(cases));
    vh_current_sdl = vh_test_sdl;
    gql_schema_destroy(s);
}

/* ---- §5.6.3 UniqueInputFieldNames ---------------------------------------------------------- */

static void test_unique_input_field_names(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      {\n        field(arg: { f: true })\n      }\n    ", {NULL}},
        {"\n      {\n        field(arg1: { f: true }, arg2: { f: true })\n      }\n    ", {NULL}},
        {"\n      {\n        field(arg: { f1: \"value\", f2: \"value\", f3: \"value\" })\n      "
         "}\n    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        field(arg: {\n"
         "          deep: {\n"
         "            deep: {\n"
         "              id: 1\n"
         "            }\n"
         "            id: 1\n"
         "          }\n"
         "          id: 1\n"
         "        })\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n      {\n        field(arg: { f1: \"value\", f1: \"value\" })\n      }\n    ",
         {"There can be only one input field named \"f1\". @ 3:22, 3:35", NULL}},
        {"\n      {\n        field(arg: { f1: \"value\", f1: \"value\", f1: \"value\" })\n      "
         "}\n    ",
         {"There can be only one input field named \"f1\". @ 3:22, 3:35",
          "There can be only one input field named \"f1\". @ 3:22, 3:48", NULL}},
        {"\n      {\n        field(arg: { f1: {f2: \"value\", f2: \"value\" }})\n      }\n    ",
         {"There can be only one input field named \"f2\". @ 3:27, 3:40", NULL}},
        /* errors come in the walk's order: the inner duplicate before the outer one */
        {"{ field(arg: { a: { x: 1, x: 2 }, a: 3 }) }",
         {"There can be only one input field named \"x\". @ 1:21, 1:27",
          "There can be only one input field named \"a\". @ 1:16, 1:35", NULL}},
        /* many fields (a table, not pairs) */
        {"{ field(arg: { a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1, a8: 1, a9: 1, a2: 2 "
         "}) }",
         {"There can be only one input field named \"a2\". @ 1:23, 1:79", NULL}},
        /* in a default value of a variable and in a directive argument */
        {"query ($a: ComplexInput = { intField: 1, intField: 2 }) { dog @include(if: { x: 1, x: 2 "
         "}) "
         "{ name } }",
         {"There can be only one input field named \"intField\". @ 1:29, 1:42",
          "There can be only one input field named \"x\". @ 1:78, 1:84", NULL}},
    };
    vh_run(schema, VH_RULE(UNIQUE_INPUT_FIELD_NAMES), cases, N_(cases));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_values),
        cmocka_unit_test(test_invalid_scalars),
        cmocka_unit_test(test_invalid_enums),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_non_null_and_objects),
        cmocka_unit_test(test_directives_and_defaults),
        cmocka_unit_test(test_custom_scalars),
        cmocka_unit_test(test_unique_input_field_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
