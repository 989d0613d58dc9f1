/* SPDX-License-Identifier: MIT */
/* Unit tests of src/graphql/validate_fragments.c and the fragment rules of validate_rules.c
 * (Oct 2021 §5.5, §5.2.3.1): UniqueFragmentNames, KnownFragmentNames, NoUnusedFragments,
 * PossibleFragmentSpreads, NoFragmentCycles, SingleFieldSubscriptions and graphql-js's
 * MaxIntrospectionDepth, with graphql-js 16's cases; then long fragment chains, which every
 * traversal must follow without recursion. */
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

/* ---- §5.5.1.1 UniqueFragmentNames, §5.5.2.1 KnownFragmentNames ------------------------------ */

static void test_fragment_names(void **state) {
    (void)state;
    static const vh_case_t unique[] = {
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "        ...fragB\n"
         "        ...fragC\n"
         "      }\n"
         "      fragment fragA on Type {\n"
         "        fieldA\n"
         "      }\n"
         "      fragment fragB on Type {\n"
         "        fieldB\n"
         "      }\n"
         "      fragment fragC on Type {\n"
         "        fieldC\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        ...fragA\n"
         "      }\n"
         "      fragment fragA on Type {\n"
         "        fieldA\n"
         "      }\n"
         "      fragment fragA on Type {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"There can be only one fragment named \"fragA\". @ 5:16, 8:16", NULL}},
        {"\n"
         "      fragment fragA on Type {\n"
         "        fieldA\n"
         "      }\n"
         "      fragment fragA on Type {\n"
         "        fieldB\n"
         "      }\n"
         "    ",
         {"There can be only one fragment named \"fragA\". @ 2:16, 5:16", NULL}},
        /* a fragment may share an operation's name */
        {"query Foo { ...Foo }\nfragment Foo on Type { f }", {NULL}},
    };
    vh_run(schema, VH_RULE(UNIQUE_FRAGMENT_NAMES), unique, N_(unique));

    static const vh_case_t known[] = {
        {"\n"
         "      {\n"
         "        human(id: 4) {\n"
         "          ...HumanFields1\n"
         "          ... on Human {\n"
         "            ...HumanFields2\n"
         "          }\n"
         "          ... {\n"
         "            name\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "      fragment HumanFields1 on Human {\n"
         "        name\n"
         "        ...HumanFields3\n"
         "      }\n"
         "      fragment HumanFields2 on Human {\n"
         "        name\n"
         "      }\n"
         "      fragment HumanFields3 on Human {\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      {\n"
         "        human(id: 4) {\n"
         "          ...UnknownFragment1\n"
         "          ... on Human {\n"
         "            ...UnknownFragment2\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "      fragment HumanFields on Human {\n"
         "        name\n"
         "        ...UnknownFragment3\n"
         "      }\n"
         "    ",
         {"Unknown fragment \"UnknownFragment1\". @ 4:14",
          "Unknown fragment \"UnknownFragment2\". @ 6:16",
          "Unknown fragment \"UnknownFragment3\". @ 12:12", NULL}},
        /* the name is located after the spread and any white space */
        {"{ ...   \n  Missing }", {"Unknown fragment \"Missing\". @ 2:3", NULL}},
    };
    vh_run(schema, VH_RULE(KNOWN_FRAGMENT_NAMES), known, N_(known));
}

/* ---- §5.5.1.4 NoUnusedFragments -------------------------------------------------------------- */

static void test_no_unused_fragments(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      {\n"
         "        human(id: 4) {\n"
         "          ...HumanFields1\n"
         "          ... on Human {\n"
         "            ...HumanFields2\n"
         "          }\n"
         "        }\n"
         "      }\n"
         "      fragment HumanFields1 on Human {\n"
         "        name\n"
         "        ...HumanFields3\n"
         "      }\n"
         "      fragment HumanFields2 on Human {\n"
         "        name\n"
         "      }\n"
         "      fragment HumanFields3 on Human {\n"
         "        name\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      query Foo {\n"
         "        human(id: 4) {\n"
         "          ...HumanFields1\n"
         "        }\n"
         "      }\n"
         "      query Bar {\n"
         "        human(id: 4) {\n"
         "          ...HumanFields2\n"
         "        }\n"
         "      }\n"
         "      fragment HumanFields1 on Human {\n"
         "        name\n"
         "        ...HumanFields3\n"
         "      }\n"
         "      fragment HumanFields2 on Human {\n"
         "        name\n"
         "      }\n"
         "      fragment HumanFields3 on Human {\n"
         "        name\n"
         "      }\n"
         "      fragment Unused1 on Human {\n"
         "        name\n"
         "      }\n"
         "      fragment Unused2 on Human {\n"
         "        name\n"
         "      }\n"
         "    ",
         {"Fragment \"Unused1\" is never used. @ 22:7",
          "Fragment \"Unused2\" is never used. @ 25:7", NULL}},
        /* fragments only reachable from unused ones are unused; cycles among them too */
        {"\n"
         "      query Foo {\n"
         "        human(id: 4) {\n"
         "          ...bar\n"
         "        }\n"
         "      }\n"
         "      fragment foo on Human {\n"
         "        name\n"
         "      }\n"
         "      fragment bar on Human {\n"
         "        ...foo\n"
         "      }\n"
         "      fragment Unused1 on Human {\n"
         "        ...Unused2\n"
         "      }\n"
         "      fragment Unused2 on Human {\n"
         "        ...Unused1\n"
         "      }\n"
         "    ",
         {"Fragment \"Unused1\" is never used. @ 13:7",
          "Fragment \"Unused2\" is never used. @ 16:7", NULL}},
        /* no operation at all */
        {"fragment A on Dog { name }", {"Fragment \"A\" is never used. @ 1:1", NULL}},
    };
    vh_run(schema, VH_RULE(NO_UNUSED_FRAGMENTS), cases, N_(cases));
}

/* ---- §5.5.2.3 PossibleFragmentSpreads ------------------------------------------------------- */

static void test_possible_fragment_spreads(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      fragment objectWithinObject on Dog { ...dogFragment }\n"
         "      fragment dogFragment on Dog { barkVolume }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment objectWithinObjectAnon on Dog { ... on Dog { barkVolume } }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment objectWithinInterface on Pet { ...dogFragment }\n"
         "      fragment dogFragment on Dog { barkVolume }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment objectWithinUnion on CatOrDog { ...dogFragment }\n"
         "      fragment dogFragment on Dog { barkVolume }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment unionWithinObject on Dog { ...catOrDogFragment }\n"
         "      fragment catOrDogFragment on CatOrDog { __typename }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment unionWithinInterface on Pet { ...catOrDogFragment }\n"
         "      fragment catOrDogFragment on CatOrDog { __typename }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment interfaceWithinObject on Dog { ...petFragment }\n"
         "      fragment petFragment on Pet { name }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment interfaceWithinInterface on Pet { ...mammalFragment }\n"
         "      fragment mammalFragment on Mammal { mother { __typename } }\n"
         "    ",
         {NULL}},
        /* an interface implemented by an interface */
        {"fragment f on Mammal { ...c }\nfragment c on Canine { name }", {NULL}},
        {"\n"
         "      fragment petFragment on Pet { ...badInADifferentWay }\n"
         "      fragment badInADifferentWay on String { name }\n"
         "    ",
         {NULL}},
        {"\n      fragment petFragment on Pet { ...badInADifferentWay }\n    ", {NULL}},
        {"\n"
         "      fragment invalidObjectWithinObject on Cat { ...dogFragment }\n"
         "      fragment dogFragment on Dog { barkVolume }\n"
         "    ",
         {"Fragment \"dogFragment\" cannot be spread here as objects of type \"Cat\" can never be "
          "of type \"Dog\". @ 2:51",
          NULL}},
        {"\n"
         "      fragment invalidObjectWithinObjectAnon on Cat {\n"
         "        ... on Dog { barkVolume }\n"
         "      }\n"
         "    ",
         {"Fragment cannot be spread here as objects of type \"Cat\" can never be of type "
          "\"Dog\". @ 3:9",
          NULL}},
        {"\n"
         "      fragment invalidObjectWithinInterface on Pet { ...humanFragment }\n"
         "      fragment humanFragment on Human { pets { name } }\n"
         "    ",
         {"Fragment \"humanFragment\" cannot be spread here as objects of type \"Pet\" can never "
          "be of type \"Human\". @ 2:54",
          NULL}},
        {"\n"
         "      fragment invalidObjectWithinUnion on CatOrDog { ...humanFragment }\n"
         "      fragment humanFragment on Human { pets { name } }\n"
         "    ",
         {"Fragment \"humanFragment\" cannot be spread here as objects of type \"CatOrDog\" can "
          "never be of type \"Human\". @ 2:55",
          NULL}},
        {"fragment f on Human { ...u }\nfragment u on CatOrDog { __typename }",
         {"Fragment \"u\" cannot be spread here as objects of type \"Human\" can never be of type "
          "\"CatOrDog\". @ 1:23",
          NULL}},
        /* two abstract types without a common possible type */
        {"fragment f on Canine { ...u }\nfragment u on CatOrDog { __typename }", {NULL}},
        {"fragment f on Mammal { ... on Pet { name } }", {NULL}},
        {"fragment f on Canine { ... on Cat { name } }",
         {"Fragment cannot be spread here as objects of type \"Canine\" can never be of type "
          "\"Cat\". @ 1:24",
          NULL}},
    };
    vh_run(schema, VH_RULE(POSSIBLE_FRAGMENT_SPREADS), cases, N_(cases));
}

/* ---- §5.5.2.2 NoFragmentCycles --------------------------------------------------------------- */

static void test_no_fragment_cycles(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      fragment fragA on Dog { ...fragB }\n"
         "      fragment fragB on Dog { name }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragB, ...fragB }\n"
         "      fragment fragB on Dog { name }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragB, ...fragC }\n"
         "      fragment fragB on Dog { ...fragC }\n"
         "      fragment fragC on Dog { name }\n"
         "    ",
         {NULL}},
        {"\n"
         "      fragment nameFragment on Pet {\n"
         "        ... on Dog { name }\n"
         "        ... on Cat { name }\n"
         "      }\n"
         "\n"
         "      fragment spreadsInAnon on Pet {\n"
         "        ... on Dog { ...nameFragment }\n"
         "        ... on Cat { ...nameFragment }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n      fragment nameFragment on Pet {\n        ...UnknownFragment\n      }\n    ",
         {NULL}},
        {"\n      fragment fragA on Human { relatives { ...fragA } },\n    ",
         {"Cannot spread fragment \"fragA\" within itself. @ 2:45", NULL}},
        {"\n      fragment fragA on Dog { ...fragA }\n    ",
         {"Cannot spread fragment \"fragA\" within itself. @ 2:31", NULL}},
        {"\n"
         "      fragment fragA on Pet {\n"
         "        ... on Dog {\n"
         "          ...fragA\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Cannot spread fragment \"fragA\" within itself. @ 4:11", NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragB }\n"
         "      fragment fragB on Dog { ...fragA }\n"
         "    ",
         {"Cannot spread fragment \"fragA\" within itself via \"fragB\". @ 2:31, 3:31", NULL}},
        {"\n"
         "      fragment fragB on Dog { ...fragA }\n"
         "      fragment fragA on Dog { ...fragB }\n"
         "    ",
         {"Cannot spread fragment \"fragB\" within itself via \"fragA\". @ 2:31, 3:31", NULL}},
        {"\n"
         "      fragment fragA on Pet {\n"
         "        ... on Dog {\n"
         "          ...fragB\n"
         "        }\n"
         "      }\n"
         "      fragment fragB on Pet {\n"
         "        ... on Dog {\n"
         "          ...fragA\n"
         "        }\n"
         "      }\n"
         "    ",
         {"Cannot spread fragment \"fragA\" within itself via \"fragB\". @ 4:11, 9:11", NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragB }\n"
         "      fragment fragB on Dog { ...fragC }\n"
         "      fragment fragC on Dog { ...fragO }\n"
         "      fragment fragX on Dog { ...fragY }\n"
         "      fragment fragY on Dog { ...fragZ }\n"
         "      fragment fragZ on Dog { ...fragO }\n"
         "      fragment fragO on Dog { ...fragP }\n"
         "      fragment fragP on Dog { ...fragA, ...fragX }\n"
         "    ",
         {"Cannot spread fragment \"fragA\" within itself via \"fragB\", \"fragC\", \"fragO\", "
          "\"fragP\". @ 2:31, 3:31, 4:31, 8:31, 9:31",
          "Cannot spread fragment \"fragO\" within itself via \"fragP\", \"fragX\", \"fragY\", "
          "\"fragZ\". @ 8:31, 9:41, 5:31, 6:31, 7:31",
          NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragB, ...fragC }\n"
         "      fragment fragB on Dog { ...fragA }\n"
         "      fragment fragC on Dog { ...fragA }\n"
         "    ",
         {"Cannot spread fragment \"fragA\" within itself via \"fragB\". @ 2:31, 3:31",
          "Cannot spread fragment \"fragA\" within itself via \"fragC\". @ 2:41, 4:31", NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragC }\n"
         "      fragment fragB on Dog { ...fragC }\n"
         "      fragment fragC on Dog { ...fragA, ...fragB }\n"
         "    ",
         {"Cannot spread fragment \"fragA\" within itself via \"fragC\". @ 2:31, 4:31",
          "Cannot spread fragment \"fragC\" within itself via \"fragB\". @ 4:41, 3:31", NULL}},
        {"\n"
         "      fragment fragA on Dog { ...fragB }\n"
         "      fragment fragB on Dog { ...fragB, ...fragC }\n"
         "      fragment fragC on Dog { ...fragA, ...fragB }\n"
         "    ",
         {"Cannot spread fragment \"fragB\" within itself. @ 3:31",
          "Cannot spread fragment \"fragA\" within itself via \"fragB\", \"fragC\". @ 2:31, 3:41, "
          "4:31",
          "Cannot spread fragment \"fragB\" within itself via \"fragC\". @ 3:41, 4:41", NULL}},
    };
    vh_run(schema, VH_RULE(NO_FRAGMENT_CYCLES), cases, N_(cases));
}

/* ---- §5.2.3.1 SingleFieldSubscriptions --------------------------------------------------------
 */

static const char subscription_sdl[] = "type Message {\n"
                                       "  body: String\n"
                                       "  sender: String\n"
                                       "}\n"
                                       "type SubscriptionRoot {\n"
                                       "  importantEmails: [String]\n"
                                       "  notImportantEmails: [String]\n"
                                       "  moreImportantEmails: [String]\n"
                                       "  spamEmails: [String]\n"
                                       "  deletedEmails: [String]\n"
                                       "  newMessage: Message\n"
                                       "}\n"
                                       "type QueryRoot {\n"
                                       "  dummy: String\n"
                                       "}\n"
                                       "schema {\n"
                                       "  query: QueryRoot\n"
                                       "  subscription: SubscriptionRoot\n"
                                       "}\n";

static void test_single_field_subscriptions(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        {"\n"
         "      subscription ImportantEmails {\n"
         "        importantEmails\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      subscription sub {\n"
         "        ...newMessageFields\n"
         "      }\n"
         "\n"
         "      fragment newMessageFields on SubscriptionRoot {\n"
         "        newMessage {\n"
         "          body\n"
         "          sender\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      subscription sub {\n"
         "        newMessage {\n"
         "          body\n"
         "        }\n"
         "        ...newMessageFields\n"
         "      }\n"
         "\n"
         "      fragment newMessageFields on SubscriptionRoot {\n"
         "        newMessage {\n"
         "          body\n"
         "          sender\n"
         "        }\n"
         "      }\n"
         "    ",
         {NULL}},
        {"\n"
         "      subscription ImportantEmails {\n"
         "        importantEmails\n"
         "        notImportantEmails\n"
         "      }\n"
         "    ",
         {"Subscription \"ImportantEmails\" must select only one top level field. @ 4:9", NULL}},
        {"\n"
         "      subscription ImportantEmails {\n"
         "        importantEmails\n"
         "        __typename\n"
         "      }\n"
         "    ",
         {"Subscription \"ImportantEmails\" must select only one top level field. @ 4:9",
          "Subscription \"ImportantEmails\" must not select an introspection top level field. @ "
          "4:9",
          NULL}},
        {"\n"
         "      subscription ImportantEmails {\n"
         "        importantEmails\n"
         "        notImportantEmails\n"
         "        spamEmails\n"
         "      }\n"
         "    ",
         {"Subscription \"ImportantEmails\" must select only one top level field. @ 4:9, 5:9",
          NULL}},
        {"\n"
         "      subscription ImportantEmails {\n"
         "        importantEmails\n"
         "        ... {\n"
         "          more: moreImportantEmails\n"
         "        }\n"
         "        ...NotImportantEmails\n"
         "      }\n"
         "      fragment NotImportantEmails on SubscriptionRoot {\n"
         "        notImportantEmails\n"
         "        deleted: deletedEmails\n"
         "        ...SpamEmails\n"
         "      }\n"
         "      fragment SpamEmails on SubscriptionRoot {\n"
         "        spamEmails\n"
         "      }\n"
         "    ",
         {"Subscription \"ImportantEmails\" must select only one top level field. @ 5:11, 10:9, "
          "11:9, 15:9",
          NULL}},
        {"\n"
         "      subscription {\n"
         "        importantEmails\n"
         "        notImportantEmails\n"
         "      }\n"
         "    ",
         {"Anonymous Subscription must select only one top level field. @ 4:9", NULL}},
        {"\n      subscription ImportantEmails {\n        __typename\n      }\n    ",
         {"Subscription \"ImportantEmails\" must not select an introspection top level field. @ "
          "3:9",
          NULL}},
        {"\n      subscription {\n        __typename\n      }\n    ",
         {"Anonymous Subscription must not select an introspection top level field. @ 3:9", NULL}},
        /* one response key selected twice is one field */
        {"subscription { importantEmails importantEmails }", {NULL}},
        /* @skip(if: true) and @include(if: false) leave a field out */
        {"subscription { importantEmails spamEmails @skip(if: true) "
         "deletedEmails @include(if: false) }",
         {NULL}},
        /* where graphql-js cannot tell, it throws out of validate(): the error, then a stop */
        {"subscription ($v: Boolean!) { importantEmails spamEmails @skip(if: $v) }",
         {"Argument \"if\" of required type \"Boolean!\" was provided the variable \"$v\" which "
          "was not provided a runtime value. @ 1:68",
          NULL}},
        {"subscription { importantEmails @include spamEmails }",
         {"Argument \"if\" of required type \"Boolean!\" was not provided. @ 1:32", NULL}},
        {"subscription { importantEmails @skip(if: null) }",
         {"Argument \"if\" of non-null type \"Boolean!\" must not be null. @ 1:42", NULL}},
        {"subscription { importantEmails @skip(if: \"yes\") }",
         {"Argument \"if\" has invalid value \"yes\". @ 1:42", NULL}},
        /* fragments whose type does not apply, and recursive fragments */
        {"subscription { importantEmails ... on QueryRoot { dummy } ...F }\n"
         "fragment F on SubscriptionRoot { ...F }",
         {NULL}},
        /* not a subscription */
        {"query { a b }", {NULL}},
    };
    vh_run_sdl(subscription_sdl, VH_RULE(SINGLE_FIELD_SUBSCRIPTIONS), cases, N_(cases));

    /* a schema without a subscription type: nothing to check */
    static const vh_case_t none[] = {
        {"subscription { a b }", {NULL}},
    };
    vh_run(schema, VH_RULE(SINGLE_FIELD_SUBSCRIPTIONS), none, N_(none));
}

/* ---- MaxIntrospectionDepth --------------------------------------------------------------------
 */

static void test_max_introspection_depth(void **state) {
    (void)state;
    static const vh_case_t cases[] = {
        /* the usual introspection query goes two list fields deep */
        {"{ __schema { types { fields { type { fields { name } } } inputFields { name } "
         "interfaces { name } possibleTypes { name } } } }",
         {NULL}},
        {"{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
         {"Maximum introspection depth exceeded @ 1:3", NULL}},
        {"{ __type(name: \"Dog\") { fields { type { interfaces { possibleTypes { name } } } } } }",
         {"Maximum introspection depth exceeded @ 1:3", NULL}},
        /* through fragments and inline fragments */
        {"{ __schema { types { ...T } } }\n"
         "fragment T on __Type { fields { type { ... on __Type { ...U } } } }\n"
         "fragment U on __Type { inputFields { type { interfaces { name } } } }",
         {"Maximum introspection depth exceeded @ 1:3", NULL}},
        /* only below __schema and __type */
        {"{ dog { fields: name } }", {NULL}},
        /* nested: reported once at the outer field */
        {"{ __schema { types { fields { type { fields { type { fields { "
         "__type: name } } } } } } } }",
         {"Maximum introspection depth exceeded @ 1:3", NULL}},
        /* a recursive fragment is followed again one list deeper, as graphql-js 16.15 does */
        {"{ __schema { types { ...R } } }\nfragment R on __Type { fields { type { ...R } } }",
         {"Maximum introspection depth exceeded @ 1:3", NULL}},
        {"{ __schema { types { ...R } } }\nfragment R on __Type { name ofType { ...R } }", {NULL}},
    };
    vh_run(schema, VH_RULE(MAX_INTROSPECTION_DEPTH), cases, N_(cases));
}

/* ---- Long chains of fragments --------------------------------------------------------------- */

static void test_long_chains(void **state) {
    (void)state;
    lc_arena_t a;
    lc_buf_t q;
    const char *got[4];
    int rc;
    struct timespec t0, t1;

    /* a chain of 1500 fragments closing into a cycle: every rule that follows spreads walks it;
     * then an introspection query above fragments that spread the next one twice */
    lc_arena_init(&a, 0, 0);
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "query ($v: Int) { dog { ...F0 } }\n");
    for (int i = 0; i < 1500; i++)
        lc_buf_printf(&q, "fragment F%d on Dog { ...F%d }\n", i, i + 1);
    lc_buf_append_cstr(&q, "fragment F1500 on Dog { name(surname: $v) ...F0 }\n");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint32_t n = vh_errors(&a, schema, GQL__RULES_ALL, 0, q.data, got, N_(got), &rc);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(rc, LC_EINVAL);
    assert_int_equal(n, 2); /* $v (an Int for a Boolean) at the operation's end, then the cycle */
    assert_string_equal(got[0], "Variable \"$v\" of type \"Int\" used in position expecting "
                                "type \"Boolean\". @ 1:8, 1502:39");
    static const char cycle[] = "Cannot spread fragment \"F0\" within itself via \"F1\", \"F2\",";
    if (strncmp(got[1], cycle, sizeof cycle - 1) != 0)
        fail_msg("%.300s", got[1]);
    assert_true((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 <
                VH_FAST_SECONDS);
    lc_arena_dispose(&a);

    lc_arena_init(&a, 0, 0);
    lc_buf_init(&q, &a, 0, 0);
    lc_buf_append_cstr(&q, "{ __schema { types { ...T0 } } }\n");
    for (int i = 0; i < 300; i++)
        lc_buf_printf(&q, "fragment T%d on __Type { name ...T%d ofType { ...T%d } }\n", i, i + 1,
                      i + 1);
    lc_buf_append_cstr(&q, "fragment T300 on __Type { fields { type { fields { name } } } }\n");
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = vh_errors(&a, schema, GQL__RULES_ALL, 0, q.data, got, N_(got), &rc);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* graphql-js 16.15 gives it up: its field comparisons run out of budget */
    assert_int_equal(n, 1);
    assert_string_equal(got[0], "Validation aborted.");
    assert_true((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 <
                VH_FAST_SECONDS);
    lc_arena_dispose(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fragment_names),
        cmocka_unit_test(test_no_unused_fragments),
        cmocka_unit_test(test_possible_fragment_spreads),
        cmocka_unit_test(test_no_fragment_cycles),
        cmocka_unit_test(test_single_field_subscriptions),
        cmocka_unit_test(test_max_introspection_depth),
        cmocka_unit_test(test_long_chains),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
