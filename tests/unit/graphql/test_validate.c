/* SPDX-License-Identifier: MIT */
/* Unit tests of src/graphql/validate.c and validate_rules.c: the rules that look at one node
 * (executable definitions, operation names, known types, fragment types, leaf selections,
 * fields on their types, fragment spreads, directives, argument names and presence, the
 * introspection depth), each with graphql-js 16's cases (accepted and rejected, with messages
 * and locations); then the whole rule set together: error order, the error limit, and
 * out-of-memory at every allocation. */
#include "validate_harness.h"

#include "lectern/alloc.h"

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

/* ---- §5.1.1 ExecutableDefinitions -------------------------------------------------------- */

static void test_executable_definitions(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query Foo {\n"
         "        dog {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo {\n"
         "        dog {\n"
         "          name\n"
         "          ...Frag\n"
         "        }\n"
         "      }\n"
         "\n"
         "      fragment Frag on Dog {\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo {\n"
         "        dog {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "\n"
         "      type Cow {\n"
         "        name: String\n"
         "      }\n"
         "\n"
         "      extend type Dog {\n"
         "        color: String\n"
         "      }\n"
         "    ",
         {"The \"Cow\" definition is not executable. @ 8:7",
          "The \"Dog\" definition is not executable. @ 12:7", NULL}},
        {"\n"
         "      schema {\n"
         "        query: Query\n"
         "      }\n"
         "\n"
         "      type Query {\n"
         "        test: String\n"
         "      }\n"
         "\n"
         "      extend schema @directive\n"
         "    ",
         {"The schema definition is not executable. @ 2:7",
          "The \"Query\" definition is not executable. @ 6:7",
          "The schema definition is not executable. @ 10:7", NULL}},
        /* a description: the definition starts there, as in graphql-js */
        {"{ dog { name } }\n\"\"\"doc\"\"\"\nscalar S\ndirective @d on FIELD",
         {"The \"S\" definition is not executable. @ 2:1",
          "The \"d\" definition is not executable. @ 4:1", NULL}},
    };
    vh_run(schema, VH_RULE(EXECUTABLE_DEFINITIONS), cases, N_(cases));
}

/* ---- §5.2.1.1 UniqueOperationNames ------------------------------------------------------- */

static void test_unique_operation_names(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      fragment fragA on Type {\n        field\n      }\n    ", {NULL}},
        {"\n      {\n        field\n      }\n    ", {NULL}},
        {"\n      query Foo {\n        field\n      }\n    ", {NULL}},
        {"\n"
         "      query Foo {\n"
         "        field\n"
         "      }\n"
         "\n"
         "      query Bar {\n"
         "        field\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo {\n"
         "        field\n"
         "      }\n"
         "\n"
         "      mutation Bar {\n"
         "        field\n"
         "      }\n"
         "\n"
         "      subscription Baz {\n"
         "        field\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo {\n"
         "        ...Foo\n"
         "      }\n"
         "      fragment Foo on Type {\n"
         "        field\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo {\n"
         "        fieldA\n"
         "      }\n"
         "      query Foo {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"There can be only one operation named \"Foo\". @ 2:13, 5:13", NULL}},
        {"\n"
         "      query Foo {\n"
         "        fieldA\n"
         "      }\n"
         "      mutation Foo {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"There can be only one operation named \"Foo\". @ 2:13, 5:16", NULL}},
        {"\n"
         "      query Foo {\n"
         "        fieldA\n"
         "      }\n"
         "      subscription Foo {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"There can be only one operation named \"Foo\". @ 2:13, 5:20", NULL}},
        /* three: each later one against the first */
        {"query A { a } query A { b } query A { c }",
         {"There can be only one operation named \"A\". @ 1:7, 1:21",
          "There can be only one operation named \"A\". @ 1:7, 1:35", NULL}},
    };
    vh_run(schema, VH_RULE(UNIQUE_OPERATION_NAMES), cases, N_(cases));
}

/* ---- §5.2.2.1 LoneAnonymousOperation ----------------------------------------------------- */

static void test_lone_anonymous_operation(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      fragment fragA on Type {\n        field\n      }\n    ", {NULL}},
        {"\n      {\n        field\n      }\n    ", {NULL}},
        {"\n"
         "      query Foo {\n"
         "        field\n"
         "      }\n"
         "\n"
         "      query Bar {\n"
         "        field\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        ...Foo\n"
         "      }\n"
         "      fragment Foo on Type {\n"
         "        field\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        fieldA\n"
         "      }\n"
         "      {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"This anonymous operation must be the only defined operation. @ 2:7",
          "This anonymous operation must be the only defined operation. @ 5:7", NULL}},
        {"\n"
         "      {\n"
         "        fieldA\n"
         "      }\n"
         "      mutation Foo {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"This anonymous operation must be the only defined operation. @ 2:7", NULL}},
        {"\n"
         "      {\n"
         "        fieldA\n"
         "      }\n"
         "      subscription Foo {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"This anonymous operation must be the only defined operation. @ 2:7", NULL}},
    };
    vh_run(schema, VH_RULE(LONE_ANONYMOUS_OPERATION), cases, N_(cases));
}

/* ---- KnownTypeNames ------------------------------------------------------------------------ */

static void test_known_type_names(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query Foo(\n"
         "        $var: String\n"
         "        $required: [Int!]!\n"
         "        $introspectionType: __EnumValue\n"
         "      ) {\n"
         "        user(id: 4) {\n"
         "          pets { ... on Pet { name }, ...PetFields, ... { name } }\n"
         "        }\n"
         "      }\n"
         "\n"
         "      fragment PetFields on Pet {\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($var: JumbledUpLetters) {\n"
         "        user(id: 4) {\n"
         "          name\n"
         "          pets { ... on Badger { name }, ...PetFields }\n"
         "        }\n"
         "      }\n"
         "      fragment PetFields on Peat {\n"
         "        name\n"
         "      }\n"
         "    ",
         {"Unknown type \"JumbledUpLetters\". @ 2:23", "Unknown type \"Badger\". @ 5:25",
          "Unknown type \"Peat\". Did you mean \"Pet\" or \"Cat\"? @ 8:29", NULL}},
        /* a type defined in the document itself is known (graphql-js definedTypes) */
        {"query ($a: Local) { dog { name } }\ninput Local { x: Int }", {NULL}},
        /* references inside type system definitions are checked too */
        {"type T { f: Missing }", {"Unknown type \"Missing\". @ 1:13", NULL}},
    };
    vh_run(schema, VH_RULE(KNOWN_TYPE_NAMES), cases, N_(cases));
}

/* ---- §5.5.1.3 FragmentsOnCompositeTypes ----------------------------------------------------- */

static void test_fragments_on_composite_types(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      fragment validFragment on Dog {\n        barks\n      }\n    ", {NULL}},
        {"\n      fragment validFragment on Pet {\n        name\n      }\n    ", {NULL}},
        {"\n"
         "      fragment validFragment on Pet {\n"
         "        ... on Dog {\n"
         "          barks\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment validFragment on Pet {\n"
         "        ... {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n      fragment validFragment on CatOrDog {\n        __typename\n      }\n    ", {NULL}},
        {"\n      fragment scalarFragment on Boolean {\n        bad\n      }\n    ",
         {"Fragment \"scalarFragment\" cannot condition on non composite type \"Boolean\". @ 2:34",
          NULL}},
        {"\n      fragment scalarFragment on FurColor {\n        bad\n      }\n    ",
         {"Fragment \"scalarFragment\" cannot condition on non composite type \"FurColor\". @ "
          "2:34",
          NULL}},
        {"\n"
         "      fragment inputFragment on ComplexInput {\n"
         "        stringField\n"
         "      }\n"
         "    ",
         {"Fragment \"inputFragment\" cannot condition on non composite type \"ComplexInput\". @ "
          "2:33",
          NULL}},
        {"\n"
         "      fragment invalidFragment on Pet {\n"
         "        ... on String {\n"
         "          barks\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Fragment cannot condition on non composite type \"String\". @ 3:16", NULL}},
    };
    vh_run(schema, VH_RULE(FRAGMENTS_ON_COMPOSITE_TYPES), cases, N_(cases));
}

/* ---- §5.8.2 VariablesAreInputTypes ------------------------------------------------------- */

static void test_variables_are_input_types(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      query Foo($a: Unknown, $b: [[Unknown!]]!) {\n        field(a: $a, b: $b)\n      "
         "}\n    ",
         {NULL}},
        {"\n"
         "      query Foo($a: String, $b: [Boolean!]!, $c: ComplexInput) {\n"
         "        field(a: $a, b: $b, c: $c)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) {\n"
         "        field(a: $a, b: $b, c: $c)\n"
         "      }\n"
         "    ",
         {"Variable \"$a\" cannot be non-input type \"Dog\". @ 2:21",
          "Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\". @ 2:30",
          "Variable \"$c\" cannot be non-input type \"Pet\". @ 2:50", NULL}},
    };
    vh_run(schema, VH_RULE(VARIABLES_ARE_INPUT_TYPES), cases, N_(cases));
}

/* ---- §5.3.3 ScalarLeafs -------------------------------------------------------------------- */

static void test_scalar_leafs(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      fragment scalarSelection on Dog {\n        barks\n      }\n    ", {NULL}},
        {"\n"
         "      query directQueryOnObjectWithoutSubFields {\n"
         "        human\n"
         "      }\n"
         "    ",
         {"Field \"human\" of type \"Human\" must have a selection of subfields. Did you mean "
          "\"human { ... }\"? @ 3:9",
          NULL}},
        {"\n      {\n        human { pets }\n      }\n    ",
         {"Field \"pets\" of type \"[Pet]\" must have a selection of subfields. Did you mean "
          "\"pets { ... }\"? @ 3:17",
          NULL}},
        {"\n"
         "      fragment scalarSelectionWithArgs on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment scalarSelectionsNotAllowedOnBoolean on Dog {\n"
         "        barks { sinceWhen }\n"
         "      }\n"
         "    ",
         {"Field \"barks\" must not have a selection since type \"Boolean\" has no subfields. @ "
          "3:15",
          NULL}},
        {"\n"
         "      fragment scalarSelectionsNotAllowedOnEnum on Cat {\n"
         "        furColor { inHexDec }\n"
         "      }\n"
         "    ",
         {"Field \"furColor\" must not have a selection since type \"FurColor\" has no "
          "subfields. @ 3:18",
          NULL}},
        {"\n"
         "      fragment scalarSelectionsNotAllowedWithArgs on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT) { sinceWhen }\n"
         "      }\n"
         "    ",
         {"Field \"doesKnowCommand\" must not have a selection since type \"Boolean\" has no "
          "subfields. @ 3:42",
          NULL}},
        {"\n"
         "      fragment scalarSelectionsNotAllowedWithDirectives on Dog {\n"
         "        name @include(if: true) { isAlsoHumanName }\n"
         "      }\n"
         "    ",
         {"Field \"name\" must not have a selection since type \"String\" has no subfields. @ "
          "3:33",
          NULL}},
        {"\n"
         "      fragment scalarSelectionsNotAllowedWithDirectivesAndArgs on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT) @include(if: true) { sinceWhen }\n"
         "      }\n"
         "    ",
         {"Field \"doesKnowCommand\" must not have a selection since type \"Boolean\" has no "
          "subfields. @ 3:61",
          NULL}},
        /* a non-null list of objects prints whole */
        {"{ human { relatives } }",
         {"Field \"relatives\" of type \"[Human]!\" must have a selection of subfields. Did you "
          "mean \"relatives { ... }\"? @ 1:11",
          NULL}},
    };
    vh_run(schema, VH_RULE(SCALAR_LEAFS), cases, N_(cases));
}

/* ---- §5.3.1 FieldsOnCorrectType ------------------------------------------------------------- */

static const char fields_sdl[] = "interface Pet {\n"
                                 "  name: String\n"
                                 "}\n"
                                 "type Dog implements Pet {\n"
                                 "  name: String\n"
                                 "  nickname: String\n"
                                 "  barkVolume: Int\n"
                                 "}\n"
                                 "type Cat implements Pet {\n"
                                 "  name: String\n"
                                 "  nickname: String\n"
                                 "  meowVolume: Int\n"
                                 "}\n"
                                 "union CatOrDog = Cat | Dog\n"
                                 "type Human {\n"
                                 "  name: String\n"
                                 "  pets: [Pet]\n"
                                 "}\n"
                                 "type Query {\n"
                                 "  human: Human\n"
                                 "}\n";

static void test_fields_on_correct_type(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      fragment objectFieldSelection on Dog {\n"
         "        __typename\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment aliasedObjectFieldSelection on Dog {\n"
         "        tn : __typename\n"
         "        otherName : name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment interfaceFieldSelection on Pet {\n"
         "        __typename\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n      fragment lyingAliasSelection on Dog {\n        name : nickname\n      }\n    ",
         {NULL}},
        {"\n"
         "      fragment unknownSelection on UnknownType {\n"
         "        unknownField\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment typeKnownAgain on Pet {\n"
         "        unknown_pet_field {\n"
         "          ... on Cat {\n"
         "            unknown_cat_field\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Cannot query field \"unknown_pet_field\" on type \"Pet\". @ 3:9",
          "Cannot query field \"unknown_cat_field\" on type \"Cat\". @ 5:13", NULL}},
        {"\n      fragment fieldNotDefined on Dog {\n        meowVolume\n      }\n    ",
         {"Cannot query field \"meowVolume\" on type \"Dog\". Did you mean \"barkVolume\"? @ 3:9",
          NULL}},
        {"\n"
         "      fragment deepFieldNotDefined on Dog {\n"
         "        unknown_field {\n"
         "          deeper_unknown_field\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Cannot query field \"unknown_field\" on type \"Dog\". @ 3:9", NULL}},
        {"\n"
         "      fragment subFieldNotDefined on Human {\n"
         "        pets {\n"
         "          unknown_field\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Cannot query field \"unknown_field\" on type \"Pet\". @ 4:11", NULL}},
        {"\n"
         "      fragment fieldNotDefined on Pet {\n"
         "        ... on Dog {\n"
         "          meowVolume\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Cannot query field \"meowVolume\" on type \"Dog\". Did you mean \"barkVolume\"? @ 4:11",
          NULL}},
        {"\n"
         "      fragment aliasedFieldTargetNotDefined on Dog {\n"
         "        volume : mooVolume\n"
         "      }\n"
         "    ",
         {"Cannot query field \"mooVolume\" on type \"Dog\". Did you mean \"barkVolume\"? @ 3:9",
          NULL}},
        {"\n"
         "      fragment aliasedLyingFieldTargetNotDefined on Dog {\n"
         "        barkVolume : kawVolume\n"
         "      }\n"
         "    ",
         {"Cannot query field \"kawVolume\" on type \"Dog\". Did you mean \"barkVolume\"? @ 3:9",
          NULL}},
        {"\n      fragment notDefinedOnInterface on Pet {\n        tailLength\n      }\n    ",
         {"Cannot query field \"tailLength\" on type \"Pet\". @ 3:9", NULL}},
        {"\n"
         "      fragment definedOnImplementorsButNotInterface on Pet {\n"
         "        nickname\n"
         "      }\n"
         "    ",
         {"Cannot query field \"nickname\" on type \"Pet\". Did you mean to use an inline "
          "fragment on \"Cat\" or \"Dog\"? @ 3:9",
          NULL}},
        {"\n"
         "      fragment directFieldSelectionOnUnion on CatOrDog {\n"
         "        __typename\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment directFieldSelectionOnUnion on CatOrDog {\n"
         "        directField\n"
         "      }\n"
         "    ",
         {"Cannot query field \"directField\" on type \"CatOrDog\". @ 3:9", NULL}},
        {"\n"
         "      fragment definedOnImplementorsQueriedOnUnion on CatOrDog {\n"
         "        name\n"
         "      }\n"
         "    ",
         {"Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline "
          "fragment on \"Pet\", \"Cat\", or \"Dog\"? @ 3:9",
          NULL}},
        {"\n"
         "      fragment objectFieldSelection on Pet {\n"
         "        ... on Dog {\n"
         "          name\n"
         "        }\n"
         "        ... {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        /* meta-fields: __schema and __type only on the query root */
        {"{ __schema { queryType { name } } __type(name: \"Dog\") { name } }", {NULL}},
        {"{ human { __schema { queryType { name } } } }",
         {"Cannot query field \"__schema\" on type \"Human\". @ 1:11", NULL}},
    };
    vh_run_sdl(fields_sdl, VH_RULE(FIELDS_ON_CORRECT_TYPE), cases, N_(cases));

    /* the message's suggestions, each against its own schema */
    static const struct {
        const char *sdl, *query, *want;
    } msgs[] = {
        {"type T { fieldWithVeryLongNameThatWillNeverBeSuggested: String }\ntype Query { t: T }",
         "{ t { f } }", "Cannot query field \"f\" on type \"T\". @ 1:7"},
        {"union T = A | B\ntype Query { t: T }\ntype A { f: String }\ntype B { f: String }",
         "{ t { f } }",
         "Cannot query field \"f\" on type \"T\". Did you mean to use an inline fragment on \"A\" "
         "or \"B\"? @ 1:7"},
        {"type T { y: String\n z: String }\ntype Query { t: T }", "{ t { f } }",
         "Cannot query field \"f\" on type \"T\". Did you mean \"y\" or \"z\"? @ 1:7"},
        {"interface T { y: String\n z: String }\ntype Query { t: T }\n"
         "type A implements T { f: String\n y: String\n z: String }\n"
         "type B implements T { f: String\n y: String\n z: String }",
         "{ t { f } }",
         "Cannot query field \"f\" on type \"T\". Did you mean to use an inline fragment on \"A\" "
         "or \"B\"? @ 1:7"},
        {"interface T { bar: String }\ntype Query { t: T }\n"
         "interface Z implements T { foo: String\n bar: String }\n"
         "interface Y implements Z & T { foo: String\n bar: String }\n"
         "type X implements Y & Z & T { foo: String\n bar: String }",
         "{ t { foo } }",
         "Cannot query field \"foo\" on type \"T\". Did you mean to use an inline fragment on "
         "\"Z\", \"Y\", or \"X\"? @ 1:7"},
        {"interface Animal { name: String }\n"
         "interface Mammal implements Animal { name: String }\n"
         "interface Canine implements Animal & Mammal { name: String }\n"
         "type Dog implements Animal & Mammal & Canine { name: String }\n"
         "interface Feline implements Animal & Mammal { name: String }\n"
         "type Cat implements Animal & Mammal & Feline { name: String }\n"
         "union CatOrDog = Cat | Dog\n"
         "type Query { catOrDog: CatOrDog }",
         "{ catOrDog { name } }",
         "Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline "
         "fragment on \"Animal\", \"Mammal\", \"Canine\", \"Dog\", or \"Feline\"? @ 1:14"},
        {"union T = A | B | C | D | E | F\ntype Query { t: T }\n"
         "type A { f: String }\ntype B { f: String }\ntype C { f: String }\n"
         "type D { f: String }\ntype E { f: String }\ntype F { f: String }",
         "{ t { f } }",
         "Cannot query field \"f\" on type \"T\". Did you mean to use an inline fragment on \"A\", "
         "\"B\", \"C\", \"D\", or \"E\"? @ 1:7"},
        {"type T { u: String\n v: String\n w: String\n x: String\n y: String\n z: String }\n"
         "type Query { t: T }",
         "{ t { f } }",
         "Cannot query field \"f\" on type \"T\". Did you mean \"u\", \"v\", \"w\", \"x\", or "
         "\"y\"? @ 1:7"},
    };
    for (size_t i = 0; i < N_(msgs); i++) {
        vh_case_t one = {msgs[i].query, {msgs[i].want, NULL}};
        vh_run_sdl(msgs[i].sdl, VH_RULE(FIELDS_ON_CORRECT_TYPE), &one, 1);
    }
}

/* ---- §5.7.1, §5.7.2 KnownDirectives ------------------------------------------------------- */

static const char directives_sdl[] =
    "type Query {\n"
    "  dummy: String\n"
    "}\n"
    "directive @onQuery on QUERY\n"
    "directive @onMutation on MUTATION\n"
    "directive @onSubscription on SUBSCRIPTION\n"
    "directive @onField on FIELD\n"
    "directive @onFragmentDefinition on FRAGMENT_DEFINITION\n"
    "directive @onFragmentSpread on FRAGMENT_SPREAD\n"
    "directive @onInlineFragment on INLINE_FRAGMENT\n"
    "directive @onVariableDefinition on VARIABLE_DEFINITION\n"
    "directive @onSchema on SCHEMA\n"
    "directive @onScalar on SCALAR\n"
    "directive @onObject on OBJECT\n"
    "directive @onFieldDefinition on FIELD_DEFINITION\n"
    "directive @onArgumentDefinition on ARGUMENT_DEFINITION\n"
    "directive @onInterface on INTERFACE\n"
    "directive @onUnion on UNION\n"
    "directive @onEnum on ENUM\n"
    "directive @onEnumValue on ENUM_VALUE\n"
    "directive @onInputObject on INPUT_OBJECT\n"
    "directive @onInputFieldDefinition on INPUT_FIELD_DEFINITION\n";

static void test_known_directives(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      query Foo {\n"
         "        name\n"
         "        ...Frag\n"
         "      }\n"
         "\n"
         "      fragment Frag on Dog {\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        human @skip(if: false) {\n"
         "          name\n"
         "          pets {\n"
         "            ... on Dog @include(if: true) {\n"
         "              name\n"
         "            }\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        human @unknown(directive: \"value\") {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Unknown directive \"@unknown\". @ 3:15", NULL}},
        {"\n"
         "      {\n"
         "        __typename @unknown\n"
         "        human @unknown {\n"
         "          name\n"
         "          pets @unknown {\n"
         "            name\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Unknown directive \"@unknown\". @ 3:20", "Unknown directive \"@unknown\". @ 4:15",
          "Unknown directive \"@unknown\". @ 6:16", NULL}},
        {"\n"
         "      query ($var: Boolean @onVariableDefinition) @onQuery {\n"
         "        human @onField {\n"
         "          ...Frag @onFragmentSpread\n"
         "          ... @onInlineFragment {\n"
         "            name @onField\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "\n"
         "      mutation @onMutation {\n"
         "        someField @onField\n"
         "      }\n"
         "\n"
         "      subscription @onSubscription {\n"
         "        someField @onField\n"
         "      }\n"
         "\n"
         "      fragment Frag on Human @onFragmentDefinition {\n"
         "        name @onField\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query ($var: Boolean @onQuery) @onMutation {\n"
         "        human @onQuery {\n"
         "          ...Frag @onQuery\n"
         "          ... @onQuery {\n"
         "            name @onQuery\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "\n"
         "      mutation @onQuery {\n"
         "        someField @onQuery\n"
         "      }\n"
         "\n"
         "      subscription @onQuery {\n"
         "        someField @onQuery\n"
         "      }\n"
         "\n"
         "      fragment Frag on Human @onQuery {\n"
         "        name @onQuery\n"
         "      }\n"
         "    ",
         {"Directive \"@onQuery\" may not be used on VARIABLE_DEFINITION. @ 2:28",
          "Directive \"@onMutation\" may not be used on QUERY. @ 2:38",
          "Directive \"@onQuery\" may not be used on FIELD. @ 3:15",
          "Directive \"@onQuery\" may not be used on FRAGMENT_SPREAD. @ 4:19",
          "Directive \"@onQuery\" may not be used on INLINE_FRAGMENT. @ 5:15",
          "Directive \"@onQuery\" may not be used on FIELD. @ 6:18",
          "Directive \"@onQuery\" may not be used on MUTATION. @ 11:16",
          "Directive \"@onQuery\" may not be used on FIELD. @ 12:19",
          "Directive \"@onQuery\" may not be used on SUBSCRIPTION. @ 15:20",
          "Directive \"@onQuery\" may not be used on FIELD. @ 16:19",
          "Directive \"@onQuery\" may not be used on FRAGMENT_DEFINITION. @ 19:30",
          "Directive \"@onQuery\" may not be used on FIELD. @ 20:14", NULL}},
        /* type system definitions in a request are walked too (ExecutableDefinitions rejects
         * them; graphql-js still runs every rule over them) */
        {"\n"
         "          type MyObj implements MyInterface @onInterface {\n"
         "            myField(myArg: Int @onInputFieldDefinition): String @onInputFieldDefinition\n"
         "          }\n"
         "\n"
         "          scalar MyScalar @onEnum\n"
         "\n"
         "          interface MyInterface @onObject {\n"
         "            myField(myArg: Int @onInputFieldDefinition): String @onInputFieldDefinition\n"
         "          }\n"
         "\n"
         "          union MyUnion @onEnumValue = MyObj | Other\n"
         "\n"
         "          enum MyEnum @onScalar {\n"
         "            MY_VALUE @onUnion\n"
         "          }\n"
         "\n"
         "          input MyInput @onEnum {\n"
         "            myField: Int @onArgumentDefinition\n"
         "          }\n"
         "\n"
         "          schema @onObject {\n"
         "            query: MyQuery\n"
         "          }\n"
         "\n"
         "          extend schema @onObject\n"
         "        ",
         {"Directive \"@onInterface\" may not be used on OBJECT. @ 2:45",
          "Directive \"@onInputFieldDefinition\" may not be used on ARGUMENT_DEFINITION. @ 3:32",
          "Directive \"@onInputFieldDefinition\" may not be used on FIELD_DEFINITION. @ 3:65",
          "Directive \"@onEnum\" may not be used on SCALAR. @ 6:27",
          "Directive \"@onObject\" may not be used on INTERFACE. @ 8:33",
          "Directive \"@onInputFieldDefinition\" may not be used on ARGUMENT_DEFINITION. @ 9:32",
          "Directive \"@onInputFieldDefinition\" may not be used on FIELD_DEFINITION. @ 9:65",
          "Directive \"@onEnumValue\" may not be used on UNION. @ 12:25",
          "Directive \"@onScalar\" may not be used on ENUM. @ 14:23",
          "Directive \"@onUnion\" may not be used on ENUM_VALUE. @ 15:22",
          "Directive \"@onEnum\" may not be used on INPUT_OBJECT. @ 18:25",
          "Directive \"@onArgumentDefinition\" may not be used on INPUT_FIELD_DEFINITION. @ 19:26",
          "Directive \"@onObject\" may not be used on SCHEMA. @ 22:18",
          "Directive \"@onObject\" may not be used on SCHEMA. @ 26:25", NULL}},
        /* a directive defined in the document is known, with its own locations */
        {"{ dummy @local }\ndirective @local on FIELD", {NULL}},
        {"{ dummy @local }\ndirective @local on QUERY",
         {"Directive \"@local\" may not be used on FIELD. @ 1:9", NULL}},
        {"query @deprecated { dummy }\ndirective @deprecated on QUERY", {NULL}},
    };
    vh_run_sdl(directives_sdl, VH_RULE(KNOWN_DIRECTIVES), cases, N_(cases));
}

/* ---- §5.7.3 UniqueDirectivesPerLocation ------------------------------------------------------ */

static void test_unique_directives_per_location(void **state) {
    (void)state;
    static const char sdl[] = "type Query { field: String }\n"
                              "directive @directive on FIELD | FRAGMENT_DEFINITION\n"
                              "directive @directiveA on FIELD | FRAGMENT_DEFINITION\n"
                              "directive @directiveB on FIELD | FRAGMENT_DEFINITION\n"
                              "directive @repeatable repeatable on FIELD | FRAGMENT_DEFINITION\n";
    static const vh_case_t cases[] = {
        {"\n      fragment Test on Type {\n        field\n      }\n    ", {NULL}},
        {"\n"
         "      fragment Test on Type @directiveA {\n"
         "        field @directiveB\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment Test on Type @directiveA @directiveB {\n"
         "        field @directiveA @directiveB\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment Test on Type @directiveA {\n"
         "        field @directiveA\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment Test on Type {\n"
         "        field @directive\n"
         "        field @directive\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment Test on Type @repeatable @repeatable {\n"
         "        field @repeatable @repeatable\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      type Test @unknown @unknown {\n"
         "        field: String! @unknown @unknown\n"
         "      }\n"
         "\n"
         "      extend type Test @unknown {\n"
         "        anotherField: String!\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment Test on Type {\n"
         "        field @directive @directive\n"
         "      }\n"
         "    ",
         {"The directive \"@directive\" can only be used once at this location. @ 3:15, 3:26",
          NULL}},
        {"\n"
         "      fragment Test on Type {\n"
         "        field @directive @directive @directive\n"
         "      }\n"
         "    ",
         {"The directive \"@directive\" can only be used once at this location. @ 3:15, 3:26",
          "The directive \"@directive\" can only be used once at this location. @ 3:15, 3:37",
          NULL}},
        {"\n"
         "      fragment Test on Type {\n"
         "        field @directiveA @directiveB @directiveA @directiveB\n"
         "      }\n"
         "    ",
         {"The directive \"@directiveA\" can only be used once at this location. @ 3:15, 3:39",
          "The directive \"@directiveB\" can only be used once at this location. @ 3:27, 3:51",
          NULL}},
        {"\n"
         "      fragment Test on Type @directive @directive {\n"
         "        field @directive @directive\n"
         "      }\n"
         "    ",
         {"The directive \"@directive\" can only be used once at this location. @ 2:29, 2:40",
          "The directive \"@directive\" can only be used once at this location. @ 3:15, 3:26",
          NULL}},
        /* built-in directives are not repeatable */
        {"{ field @skip(if: false) @skip(if: false) }",
         {"The directive \"@skip\" can only be used once at this location. @ 1:9, 1:26", NULL}},
        /* type system definitions: a type's definition and its extensions share one set */
        {"\n"
         "      directive @nonRepeatable on SCHEMA | SCALAR | OBJECT | INTERFACE | UNION | "
         "INPUT_OBJECT\n"
         "\n"
         "      schema @nonRepeatable @nonRepeatable { query: Dummy }\n"
         "\n"
         "      scalar TestScalar @nonRepeatable @nonRepeatable\n"
         "      type TestObject @nonRepeatable @nonRepeatable\n"
         "      interface TestInterface @nonRepeatable @nonRepeatable\n"
         "      union TestUnion @nonRepeatable @nonRepeatable\n"
         "      input TestInput @nonRepeatable @nonRepeatable\n"
         "    ",
         {"The directive \"@nonRepeatable\" can only be used once at this location. @ 4:14, 4:29",
          "The directive \"@nonRepeatable\" can only be used once at this location. @ 6:25, 6:40",
          "The directive \"@nonRepeatable\" can only be used once at this location. @ 7:23, 7:38",
          "The directive \"@nonRepeatable\" can only be used once at this location. @ 8:31, 8:46",
          "The directive \"@nonRepeatable\" can only be used once at this location. @ 9:23, 9:38",
          "The directive \"@nonRepeatable\" can only be used once at this location. @ 10:23, 10:38",
          NULL}},
        {"\n"
         "      directive @nonRepeatable on SCHEMA | OBJECT\n"
         "\n"
         "      schema @nonRepeatable { query: Dummy }\n"
         "      extend schema @nonRepeatable\n"
         "      type T @nonRepeatable\n"
         "      extend type T @nonRepeatable\n"
         "    ",
         {"The directive \"@nonRepeatable\" can only be used once at this location. @ 4:14, 5:21",
          "The directive \"@nonRepeatable\" can only be used once at this location. @ 6:14, 7:21",
          NULL}},
    };
    vh_run_sdl(sdl, VH_RULE(UNIQUE_DIRECTIVES_PER_LOCATION), cases, N_(cases));
}

/* ---- §5.4.1 KnownArgumentNames -----------------------------------------------------------------
 */

static void test_known_argument_names(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      fragment argOnRequiredArg on Dog {\n"
         "        doesKnowCommand(dogCommand: SIT)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment multipleArgs on ComplicatedArgs {\n"
         "        multipleReqs(req1: 1, req2: 2)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment argOnUnknownField on Dog {\n"
         "        unknownField(unknownArg: SIT)\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n      fragment noArgOnOptionalArg on Dog {\n        isHouseTrained\n      }\n    ",
         {NULL}},
        {"\n      {\n        dog @skip(if: true)\n      }\n    ", {NULL}},
        {"\n      {\n        dog @skip(unless: true)\n      }\n    ",
         {"Unknown argument \"unless\" on directive \"@skip\". @ 3:19", NULL}},
        {"\n      {\n        dog @onField\n      }\n    ", {NULL}},
        {"\n      {\n        dog @onField(if: true)\n      }\n    ",
         {"Unknown argument \"if\" on directive \"@onField\". @ 3:22", NULL}},
        {"\n      {\n        dog @skip(iff: true)\n      }\n    ",
         {"Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"? @ 3:19", NULL}},
        {"\n"
         "      fragment invalidArgName on Dog {\n"
         "        doesKnowCommand(unknown: true)\n"
         "      }\n"
         "    ",
         {"Unknown argument \"unknown\" on field \"Dog.doesKnowCommand\". @ 3:25", NULL}},
        {"\n"
         "      fragment invalidArgName on Dog {\n"
         "        doesKnowCommand(DogCommand: true)\n"
         "      }\n"
         "    ",
         {"Unknown argument \"DogCommand\" on field \"Dog.doesKnowCommand\". Did you mean "
          "\"dogCommand\"? @ 3:25",
          NULL}},
        {"\n"
         "      fragment oneGoodArgOneInvalidArg on Dog {\n"
         "        doesKnowCommand(whoKnows: 1, dogCommand: SIT, unknown: true)\n"
         "      }\n"
         "    ",
         {"Unknown argument \"whoKnows\" on field \"Dog.doesKnowCommand\". @ 3:25",
          "Unknown argument \"unknown\" on field \"Dog.doesKnowCommand\". @ 3:55", NULL}},
        {"\n"
         "      {\n"
         "        dog {\n"
         "          doesKnowCommand(unknown: true)\n"
         "        }\n"
         "        human {\n"
         "          pet {\n"
         "            ... on Dog {\n"
         "              doesKnowCommand(unknown: true)\n"
         "            }\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Unknown argument \"unknown\" on field \"Dog.doesKnowCommand\". @ 4:27",
          "Unknown argument \"unknown\" on field \"Dog.doesKnowCommand\". @ 9:31", NULL}},
        /* an interface's field is named after the interface */
        {"{ pet { name(surnam: true) } }",
         {"Unknown argument \"surnam\" on field \"Pet.name\". Did you mean \"surname\"? @ 1:14",
          NULL}},
        /* a directive defined in the document */
        {"{ dog @local(b: 1) }\ndirective @local(a: Int) on FIELD",
         {"Unknown argument \"b\" on directive \"@local\". Did you mean \"a\"? @ 1:14", NULL}},
    };
    vh_run(schema, VH_RULE(KNOWN_ARGUMENT_NAMES), cases, N_(cases));
}

/* ---- §5.4.2 UniqueArgumentNames ----------------------------------------------------------------
 */

static void test_unique_argument_names(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n      {\n        field\n      }\n    ", {NULL}},
        {"\n      {\n        field(arg: \"value\")\n      }\n    ", {NULL}},
        {"\n      {\n        field(arg1: \"value\", arg2: \"value\")\n      }\n    ", {NULL}},
        {"\n      {\n        one: field(arg: \"value\")\n        two: field(arg: \"value\")\n      "
         "}\n    ",
         {NULL}},
        {"\n      {\n        field(arg: \"value\") @directive(arg: \"value\")\n      }\n    ",
         {NULL}},
        {"\n      {\n        field(arg1: \"value\", arg1: \"value\")\n      }\n    ",
         {"There can be only one argument named \"arg1\". @ 3:15, 3:30", NULL}},
        {"\n      {\n        field(arg1: \"value\", arg1: \"value\", arg1: \"value\")\n      }\n   "
         " ",
         {"There can be only one argument named \"arg1\". @ 3:15, 3:30, 3:45", NULL}},
        {"\n      {\n        field @directive(arg1: \"value\", arg1: \"value\")\n      }\n    ",
         {"There can be only one argument named \"arg1\". @ 3:26, 3:41", NULL}},
        {"\n"
         "      {\n"
         "        field @directive(arg1: \"value\", arg1: \"value\", arg1: \"value\")\n"
         "      }\n"
         "    ",
         {"There can be only one argument named \"arg1\". @ 3:26, 3:41, 3:56", NULL}},
        /* many arguments: groups in order of their first use */
        {"{ f(b: 1, a: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1, a: 2, b: 2) }",
         {"There can be only one argument named \"b\". @ 1:5, 1:65",
          "There can be only one argument named \"a\". @ 1:11, 1:59", NULL}},
    };
    vh_run(schema, VH_RULE(UNIQUE_ARGUMENT_NAMES), cases, N_(cases));
}

/* ---- §5.4.2.1 ProvidedRequiredArguments --------------------------------------------------------
 */

static void test_provided_required_arguments(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      {\n"
         "        dog {\n"
         "          isHouseTrained(unknownArgument: true)\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        dog {\n"
         "          isHouseTrained(atOtherHomes: true)\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"{ complicatedArgs { multipleReqs(req1: 1, req2: 2) } }", {NULL}},
        {"{ complicatedArgs { multipleOpts } }", {NULL}},
        {"{ complicatedArgs { nonNullFieldWithDefault } }", {NULL}},
        {"{ complicatedArgs { multipleOptAndReq(req1: 3, req2: 4) } }", {NULL}},
        {"\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          multipleReqs(req2: 2)\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not "
          "provided. @ 4:11",
          NULL}},
        {"\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          multipleReqs\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not "
          "provided. @ 4:11",
          "Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not "
          "provided. @ 4:11",
          NULL}},
        {"\n"
         "      {\n"
         "        complicatedArgs {\n"
         "          multipleReqs(req1: \"one\")\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not "
          "provided. @ 4:11",
          NULL}},
        {"\n      {\n        dog @unknown\n      }\n    ", {NULL}},
        {"\n"
         "      {\n"
         "        dog @include(if: true) {\n"
         "          name\n"
         "        }\n"
         "        human @skip(if: false) {\n"
         "          name\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        dog @include {\n"
         "          name @skip\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not "
          "provided. @ 3:13",
          "Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not "
          "provided. @ 4:16",
          NULL}},
        /* a field's check comes on leave, after those inside it */
        {"{ complicatedArgs { multipleReqs(req1: 1) @skip } }",
         {"Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not "
          "provided. @ 1:43",
          "Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not "
          "provided. @ 1:21",
          NULL}},
        /* a directive defined in the document: its own required arguments, printed from SDL */
        {"{ dog @local }\ndirective @local(a: [Int!]!, b: Int! = 1, c: Int) on FIELD",
         {"Directive \"@local\" argument \"a\" of type \"[Int!]!\" is required, but it was not "
          "provided. @ 1:7",
          NULL}},
    };
    vh_run(schema, VH_RULE(PROVIDED_REQUIRED_ARGUMENTS), cases, N_(cases));
}

/* ---- All rules together ------------------------------------------------------------------------
 */

static void test_all_rules(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        /* a valid document with every construct */
        {"query Q($id: ID = 4, $cmd: DogCommand!, $skip: Boolean = false) {\n"
         "  human(id: $id) { name(surname: true) pets { ...PetFields } relatives { name } }\n"
         "  dog @skip(if: $skip) { doesKnowCommand(dogCommand: $cmd) ... on Dog { barks } }\n"
         "  catOrDog { __typename ... on Cat { meows } ... on Dog { barks } }\n"
         "  complicatedArgs { complexArgField(complexArg: { requiredField: true, "
         "stringListField: [\"a\"] }) }\n"
         "}\n"
         "fragment PetFields on Pet { name ... on Dog { isHouseTrained(atOtherHomes: false) } }",
         {NULL}},
        /* errors at one node in specifiedRules order, then the node's children */
        {"query Q($v: Int) {\n"
         "  dog { unknown(x: 1) nickname { a } doesKnowCommand(dogCommand: 1) }\n"
         "}",
         {"Cannot query field \"unknown\" on type \"Dog\". @ 2:9",
          "Field \"nickname\" must not have a selection since type \"String\" has no subfields. "
          "@ 2:32",
          "Enum \"DogCommand\" cannot represent non-enum value: 1. @ 2:66",
          "Variable \"$v\" is never used in operation \"Q\". @ 1:9", NULL}},
        /* ExecutableDefinitions before anything else; other rules still see the definitions */
        {"{ dog { name } }\ntype T { f: Missing @unknown }",
         {"The \"T\" definition is not executable. @ 2:1", "Unknown type \"Missing\". @ 2:13",
          "Unknown directive \"@unknown\". @ 2:21", NULL}},
    };
    vh_run(schema, GQL__RULES_ALL, cases, N_(cases));
}

/* The public entry point: options, the error limit, statuses. */
static void test_gql_validate(void **state) {
    (void)state;
    lc_arena_t a;
    lc_buf_t q;
    gql_document_t *doc;
    gql_error_t perr;
    gql_diags_t d;

    lc_arena_init(&a, 0, 0);
    const char *ok = "{ dog { name } }";
    assert_int_equal(gql_parse_document(&a, ok, strlen(ok), NULL, &doc, &perr), LC_OK);
    gql_diags_init(&d, &a, 0);
    assert_int_equal(gql_validate(&a, schema, doc, NULL, &d), LC_OK);
    assert_int_equal(d.count, 0);

    /* 150 unknown fields: 100 errors, then graphql-js's message, without location */
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ dog {");
    for (int i = 0; i < 150; i++)
        lc_buf_printf(&q, " f%d", i);
    lc_buf_append_cstr(&q, " } }");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    assert_int_equal(gql_parse_document(&a, q.data, q.len, NULL, &doc, &perr), LC_OK);
    gql_diags_init(&d, &a, 0);
    assert_int_equal(gql_validate(&a, schema, doc, NULL, &d), LC_EINVAL);
    assert_int_equal(d.count, 101);
    assert_string_equal(d.tail->message.ptr,
                        "Too many validation errors, error limit reached. Validation aborted.");
    assert_int_equal(d.tail->nlocations, 0);
    assert_null(d.tail->code);
    assert_null(d.tail->path);

    gql_validate_options_t opts = {.max_errors = 2};
    gql_diags_init(&d, &a, 0);
    assert_int_equal(gql_validate(&a, schema, doc, &opts, &d), LC_EINVAL);
    assert_int_equal(d.count, 3);
    assert_string_equal(d.head->message.ptr, "Cannot query field \"f0\" on type \"Dog\".");

    /* exactly at the limit: no abort message */
    opts.max_errors = 150;
    gql_diags_init(&d, &a, 0);
    assert_int_equal(gql_validate(&a, schema, doc, &opts, &d), LC_EINVAL);
    assert_int_equal(d.count, 150);

    /* a diagnostics list that keeps fewer than the validator reports is not out of memory */
    gql_diags_init(&d, &a, 5);
    assert_int_equal(gql_validate(&a, schema, doc, NULL, &d), LC_EINVAL);
    assert_int_equal(d.count, 5);
    lc_arena_dispose(&a);
}

/* Out of memory at every point: a clean LC_ENOMEM, or the right answer. */
static void test_out_of_memory(void **state) {
    (void)state;
    static const char query[] =
        "query Q($v: Int, $w: Int) {\n"
        "  dog { a: name b: name a: nickname doesKnowCommand(dogCommand: SITT) ...F ...G }\n"
        "  human(id: $v) { pets { ... on Dog { name } ... on Cat { name } } }\n"
        "  complicatedArgs { complexArgField(complexArg: { intField: \"x\", y: 1, y: 2 }) }\n"
        "}\n"
        "fragment F on Dog { a: barks ...G }\n"
        "fragment G on Dog { mother { name } ...F }\n"
        "subscription { __typename }";
    lc_arena_t pa;
    gql_document_t *doc;
    gql_error_t perr;
    lc_arena_init(&pa, 0, 0);
    assert_int_equal(gql_parse_document(&pa, query, strlen(query), NULL, &doc, &perr), LC_OK);

    /* the reference answer */
    lc_arena_t a;
    gql_diags_t d;
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 0);
    assert_int_equal(gql_validate(&a, schema, doc, NULL, &d), LC_EINVAL);
    uint32_t want = d.count;
    size_t used = lc_arena_used(&a);
    assert_true(want >= 8);
    lc_arena_dispose(&a);

    /* an arena that runs out at every size up to what the validation needs */
    bool succeeded = false;
    for (size_t max = 256; max < used + 65536 && !succeeded; max += max / 16 + 64) {
        lc_arena_init(&a, 1024, max);
        gql_diags_init(&d, &a, 0);
        int rc = gql_validate(&a, schema, doc, NULL, &d);
        if (rc == LC_EINVAL) {
            assert_int_equal(d.count, want);
            succeeded = true;
        } else {
            assert_int_equal(rc, LC_ENOMEM);
        }
        lc_arena_dispose(&a);
    }
    assert_true(succeeded);

    /* malloc failing at the nth call */
    succeeded = false;
    for (long n = 0; n < 200 && !succeeded; n++) {
        lc_arena_init(&a, 512, 0);
        gql_diags_init(&d, &a, 0);
        lc_alloc_fail_after(n);
        int rc = gql_validate(&a, schema, doc, NULL, &d);
        lc_alloc_fail_reset();
        if (rc == LC_EINVAL) {
            assert_int_equal(d.count, want);
            succeeded = true;
        } else {
            assert_int_equal(rc, LC_ENOMEM);
        }
        lc_arena_dispose(&a);
    }
    assert_true(succeeded);
    lc_arena_dispose(&pa);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_executable_definitions),
        cmocka_unit_test(test_unique_operation_names),
        cmocka_unit_test(test_lone_anonymous_operation),
        cmocka_unit_test(test_known_type_names),
        cmocka_unit_test(test_fragments_on_composite_types),
        cmocka_unit_test(test_variables_are_input_types),
        cmocka_unit_test(test_scalar_leafs),
        cmocka_unit_test(test_fields_on_correct_type),
        cmocka_unit_test(test_known_directives),
        cmocka_unit_test(test_unique_directives_per_location),
        cmocka_unit_test(test_known_argument_names),
        cmocka_unit_test(test_unique_argument_names),
        cmocka_unit_test(test_provided_required_arguments),
        cmocka_unit_test(test_all_rules),
        cmocka_unit_test(test_gql_validate),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
