/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/introspect.c: graphql-js's full getIntrospectionQuery() against a schema
 * using every kind of type, every wrapper, descriptions, deprecations (fields, arguments, input
 * fields, enum values), default values of every literal kind, @specifiedBy and a repeatable
 * directive, compared with graphql-js 16's answer; then the facts clients rely on, one by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

#include "lectern/alloc.h"

static const char INTRO_SDL[] =
    "\"\"\"The schema\"\"\"\n"
    "schema { query: Root mutation: Mut }\n"
    "\"\"\"Root query\"\"\"\n"
    "type Root {\n"
    "  \"a field\"\n"
    "  node(id: ID!): Node\n"
    "  old: String @deprecated(reason: \"use new\")\n"
    "  older: String @deprecated\n"
    "  search(term: String = \"x\", limit: Int = 10, kinds: [Kind!] = [A, B], filter: Filter = {a: "
    "1, b: \"q\"}, oldArg: Int @deprecated(reason: \"no\")): [Result!]!\n"
    "  float: Float\n"
    "  date: Date\n"
    "}\n"
    "type Mut { bump(by: Int! = 1): Int }\n"
    "\"\"\"A node\"\"\"\n"
    "interface Node { id: ID! }\n"
    "interface Named implements Node { id: ID! name: String }\n"
    "type Thing implements Node & Named { id: ID! name: String }\n"
    "type Other implements Node { id: ID! }\n"
    "union Result = Thing | Other\n"
    "enum Kind { A \"b\" B C @deprecated(reason: \"gone\") }\n"
    "input Filter { a: Int! b: String = \"d\" c: [Float] old: Int @deprecated }\n"
    "scalar Date @specifiedBy(url: \"https://example.com/date\")\n"
    "\"\"\"Tags\"\"\"\n"
    "directive @tag(name: String! = \"t\") repeatable on FIELD_DEFINITION | OBJECT\n";

static const char INTROSPECTION_QUERY[] = "\n"
                                          "    query IntrospectionQuery {\n"
                                          "      __schema {\n"
                                          "        description\n"
                                          "        queryType { name kind }\n"
                                          "        mutationType { name kind }\n"
                                          "        subscriptionType { name kind }\n"
                                          "        types {\n"
                                          "          ...FullType\n"
                                          "        }\n"
                                          "        directives {\n"
                                          "          name\n"
                                          "          description\n"
                                          "          isRepeatable\n"
                                          "          \n"
                                          "          \n"
                                          "          locations\n"
                                          "          args(includeDeprecated: true) {\n"
                                          "            ...InputValue\n"
                                          "          }\n"
                                          "        }\n"
                                          "      }\n"
                                          "    }\n"
                                          "\n"
                                          "    fragment FullType on __Type {\n"
                                          "      kind\n"
                                          "      name\n"
                                          "      description\n"
                                          "      specifiedByURL\n"
                                          "      \n"
                                          "      fields(includeDeprecated: true) {\n"
                                          "        name\n"
                                          "        description\n"
                                          "        args(includeDeprecated: true) {\n"
                                          "          ...InputValue\n"
                                          "        }\n"
                                          "        type {\n"
                                          "          ...TypeRef\n"
                                          "        }\n"
                                          "        isDeprecated\n"
                                          "        deprecationReason\n"
                                          "      }\n"
                                          "      inputFields(includeDeprecated: true) {\n"
                                          "        ...InputValue\n"
                                          "      }\n"
                                          "      interfaces {\n"
                                          "        ...TypeRef\n"
                                          "      }\n"
                                          "      enumValues(includeDeprecated: true) {\n"
                                          "        name\n"
                                          "        description\n"
                                          "        isDeprecated\n"
                                          "        deprecationReason\n"
                                          "      }\n"
                                          "      possibleTypes {\n"
                                          "        ...TypeRef\n"
                                          "      }\n"
                                          "    }\n"
                                          "\n"
                                          "    fragment InputValue on __InputValue {\n"
                                          "      name\n"
                                          "      description\n"
                                          "      type { ...TypeRef }\n"
                                          "      defaultValue\n"
                                          "      isDeprecated\n"
                                          "      deprecationReason\n"
                                          "    }\n"
                                          "\n"
                                          "    fragment TypeRef on __Type {\n"
                                          "      kind\n"
                                          "      name\n"
                                          "      ofType {\n"
                                          "        name\n"
                                          "        kind\n"
                                          "        ofType {\n"
                                          "          name\n"
                                          "          kind\n"
                                          "          ofType {\n"
                                          "            name\n"
                                          "            kind\n"
                                          "            ofType {\n"
                                          "              name\n"
                                          "              kind\n"
                                          "              ofType {\n"
                                          "                name\n"
                                          "                kind\n"
                                          "                ofType {\n"
                                          "                  name\n"
                                          "                  kind\n"
                                          "                  ofType {\n"
                                          "                    name\n"
                                          "                    kind\n"
                                          "                    ofType {\n"
                                          "                      name\n"
                                          "                      kind\n"
                                          "                      ofType {\n"
                                          "                        name\n"
                                          "                        kind\n"
                                          "                      }\n"
                                          "                    }\n"
                                          "                  }\n"
                                          "                }\n"
                                          "              }\n"
                                          "            }\n"
                                          "          }\n"
                                          "        }\n"
                                          "      }\n"
                                          "    }\n"
                                          "  \n";

/* graphql-js 16 answer, types sorted by name, introspection types @oneOf and the location
 * DIRECTIVE_DEFINITION (both newer than Oct 2021) left out. */
static const char INTRO_WANT[] =
    "{\"data\":{\"__schema\":{\"description\":\"The "
    "schema\",\"queryType\":{\"name\":\"Root\",\"kind\":\"OBJEC"
    "T\"},\"mutationType\":{\"name\":\"Mut\",\"kind\":\"OBJECT\"},\"subscriptionType\":null,"
    "\"types\":[{\"kin"
    "d\":\"SCALAR\",\"name\":\"Boolean\",\"description\":\"The `Boolean` scalar type represents "
    "`true` "
    "or "
    "`false`.\",\"specifiedByURL\":null,\"fields\":null,\"inputFields\":null,\"interfaces\":null,"
    "\"e"
    "numValues\":null,\"possibleTypes\":null},{\"kind\":\"SCALAR\",\"name\":\"Date\","
    "\"description\":null,"
    "\"specifiedByURL\":\"https://example.com/"
    "date\",\"fields\":null,\"inputFields\":null,\"interfaces"
    "\":null,\"enumValues\":null,\"possibleTypes\":null},{\"kind\":\"INPUT_OBJECT\",\"name\":"
    "\"Filter\",\"d"
    "escription\":null,\"specifiedByURL\":null,\"fields\":null,\"inputFields\":[{\"name\":\"a\","
    "\"descrip"
    "tion\":null,\"type\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{\"name\":\"Int\","
    "\"kind\":\"SCALAR\","
    "\"ofType\":null}},\"defaultValue\":null,\"isDeprecated\":false,\"deprecationReason\":null},{"
    "\"nam"
    "e\":\"b\",\"description\":null,\"type\":{\"kind\":\"SCALAR\",\"name\":\"String\",\"ofType\":"
    "null},\"defaul"
    "tValue\":\"\\\"d\\\"\",\"isDeprecated\":false,\"deprecationReason\":null},{\"name\":\"c\","
    "\"description\""
    ":null,\"type\":{\"kind\":\"LIST\",\"name\":null,\"ofType\":{\"name\":\"Float\",\"kind\":"
    "\"SCALAR\",\"ofType"
    "\":null}},\"defaultValue\":null,\"isDeprecated\":false,\"deprecationReason\":null},{\"name\":"
    "\"old"
    "\",\"description\":null,\"type\":{\"kind\":\"SCALAR\",\"name\":\"Int\",\"ofType\":null},"
    "\"defaultValue\":"
    "null,\"isDeprecated\":true,\"deprecationReason\":\"No longer "
    "supported\"}],\"interfaces\":null,\""
    "enumValues\":null,\"possibleTypes\":null},{\"kind\":\"SCALAR\",\"name\":\"Float\","
    "\"description\":\"Th"
    "e `Float` scalar type represents signed double-precision fractional values as specified "
    "by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).\",\"specifiedByURL\":null"
    ",\"fields\":null,\"inputFields\":null,\"interfaces\":null,\"enumValues\":null,"
    "\"possibleTypes\":nu"
    "ll},{\"kind\":\"SCALAR\",\"name\":\"ID\",\"description\":\"The `ID` scalar type represents a "
    "unique"
    " identifier, often used to refetch an object or as key for a cache. The ID type appears "
    "in a JSON response as a String; however, it is not intended to be human-readable. When e"
    "xpected as an input type, any string (such as `\\\"4\\\"`) or integer (such as `4`) input va"
    "lue will be accepted as an "
    "ID.\",\"specifiedByURL\":null,\"fields\":null,\"inputFields\":null,\""
    "interfaces\":null,\"enumValues\":null,\"possibleTypes\":null},{\"kind\":\"SCALAR\",\"name\":"
    "\"Int\",\""
    "description\":\"The `Int` scalar type represents non-fractional signed whole numeric value"
    "s. Int can represent values between -(2^31) and 2^31 - 1.\",\"specifiedByURL\":null,\"fields"
    "\":null,\"inputFields\":null,\"interfaces\":null,\"enumValues\":null,\"possibleTypes\":null},{"
    "\"ki"
    "nd\":\"ENUM\",\"name\":\"Kind\",\"description\":null,\"specifiedByURL\":null,\"fields\":null,"
    "\"inputFi"
    "elds\":null,\"interfaces\":null,\"enumValues\":[{\"name\":\"A\",\"description\":null,"
    "\"isDeprecated\""
    ":false,\"deprecationReason\":null},{\"name\":\"B\",\"description\":\"b\",\"isDeprecated\":"
    "false,\"dep"
    "recationReason\":null},{\"name\":\"C\",\"description\":null,\"isDeprecated\":true,"
    "\"deprecationRea"
    "son\":\"gone\"}],\"possibleTypes\":null},{\"kind\":\"OBJECT\",\"name\":\"Mut\","
    "\"description\":null,\"sp"
    "ecifiedByURL\":null,\"fields\":[{\"name\":\"bump\",\"description\":null,\"args\":[{\"name\":"
    "\"by\",\"des"
    "cription\":null,\"type\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{\"name\":\"Int\","
    "\"kind\":\"SCAL"
    "AR\",\"ofType\":null}},\"defaultValue\":\"1\",\"isDeprecated\":false,\"deprecationReason\":"
    "null}],\""
    "type\":{\"kind\":\"SCALAR\",\"name\":\"Int\",\"ofType\":null},\"isDeprecated\":false,"
    "\"deprecationReas"
    "on\":null}],\"inputFields\":null,\"interfaces\":[],\"enumValues\":null,\"possibleTypes\":null}"
    ",{\""
    "kind\":\"INTERFACE\",\"name\":\"Named\",\"description\":null,\"specifiedByURL\":null,"
    "\"fields\":[{\"na"
    "me\":\"id\",\"description\":null,\"args\":[],\"type\":{\"kind\":\"NON_NULL\",\"name\":null,"
    "\"ofType\":{\"n"
    "ame\":\"ID\",\"kind\":\"SCALAR\",\"ofType\":null}},\"isDeprecated\":false,"
    "\"deprecationReason\":null}"
    ",{\"name\":\"name\",\"description\":null,\"args\":[],\"type\":{\"kind\":\"SCALAR\",\"name\":"
    "\"String\",\"of"
    "Type\":null},\"isDeprecated\":false,\"deprecationReason\":null}],\"inputFields\":null,"
    "\"interfac"
    "es\":[{\"kind\":\"INTERFACE\",\"name\":\"Node\",\"ofType\":null}],\"enumValues\":null,"
    "\"possibleTypes\""
    ":[{\"kind\":\"OBJECT\",\"name\":\"Thing\",\"ofType\":null}]},{\"kind\":\"INTERFACE\",\"name\":"
    "\"Node\",\"de"
    "scription\":\"A "
    "node\",\"specifiedByURL\":null,\"fields\":[{\"name\":\"id\",\"description\":null,\"arg"
    "s\":[],\"type\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{\"name\":\"ID\",\"kind\":"
    "\"SCALAR\",\"ofTyp"
    "e\":null}},\"isDeprecated\":false,\"deprecationReason\":null}],\"inputFields\":null,"
    "\"interfaces"
    "\":[],\"enumValues\":null,\"possibleTypes\":[{\"kind\":\"OBJECT\",\"name\":\"Thing\","
    "\"ofType\":null},{"
    "\"kind\":\"OBJECT\",\"name\":\"Other\",\"ofType\":null}]},{\"kind\":\"OBJECT\",\"name\":"
    "\"Other\",\"descrip"
    "tion\":null,\"specifiedByURL\":null,\"fields\":[{\"name\":\"id\",\"description\":null,"
    "\"args\":[],\"ty"
    "pe\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{\"name\":\"ID\",\"kind\":\"SCALAR\","
    "\"ofType\":null}}"
    ",\"isDeprecated\":false,\"deprecationReason\":null}],\"inputFields\":null,\"interfaces\":[{"
    "\"kind"
    "\":\"INTERFACE\",\"name\":\"Node\",\"ofType\":null}],\"enumValues\":null,\"possibleTypes\":"
    "null},{\"ki"
    "nd\":\"UNION\",\"name\":\"Result\",\"description\":null,\"specifiedByURL\":null,\"fields\":"
    "null,\"inpu"
    "tFields\":null,\"interfaces\":null,\"enumValues\":null,\"possibleTypes\":[{\"kind\":"
    "\"OBJECT\",\"nam"
    "e\":\"Thing\",\"ofType\":null},{\"kind\":\"OBJECT\",\"name\":\"Other\",\"ofType\":null}]},{"
    "\"kind\":\"OBJE"
    "CT\",\"name\":\"Root\",\"description\":\"Root "
    "query\",\"specifiedByURL\":null,\"fields\":[{\"name\":\"no"
    "de\",\"description\":\"a "
    "field\",\"args\":[{\"name\":\"id\",\"description\":null,\"type\":{\"kind\":\"NON_"
    "NULL\",\"name\":null,\"ofType\":{\"name\":\"ID\",\"kind\":\"SCALAR\",\"ofType\":null}},"
    "\"defaultValue\":n"
    "ull,\"isDeprecated\":false,\"deprecationReason\":null}],\"type\":{\"kind\":\"INTERFACE\","
    "\"name\":\"N"
    "ode\",\"ofType\":null},\"isDeprecated\":false,\"deprecationReason\":null},{\"name\":\"old\","
    "\"descri"
    "ption\":null,\"args\":[],\"type\":{\"kind\":\"SCALAR\",\"name\":\"String\",\"ofType\":null},"
    "\"isDeprecat"
    "ed\":true,\"deprecationReason\":\"use "
    "new\"},{\"name\":\"older\",\"description\":null,\"args\":[],\"ty"
    "pe\":{\"kind\":\"SCALAR\",\"name\":\"String\",\"ofType\":null},\"isDeprecated\":true,"
    "\"deprecationReas"
    "on\":\"No longer "
    "supported\"},{\"name\":\"search\",\"description\":null,\"args\":[{\"name\":\"term\",\"d"
    "escription\":null,\"type\":{\"kind\":\"SCALAR\",\"name\":\"String\",\"ofType\":null},"
    "\"defaultValue\":\""
    "\\\"x\\\"\",\"isDeprecated\":false,\"deprecationReason\":null},{\"name\":\"limit\","
    "\"description\":null"
    ",\"type\":{\"kind\":\"SCALAR\",\"name\":\"Int\",\"ofType\":null},\"defaultValue\":\"10\","
    "\"isDeprecated\":"
    "false,\"deprecationReason\":null},{\"name\":\"kinds\",\"description\":null,\"type\":{\"kind\":"
    "\"LIST\""
    ",\"name\":null,\"ofType\":{\"name\":null,\"kind\":\"NON_NULL\",\"ofType\":{\"name\":\"Kind\","
    "\"kind\":\"ENU"
    "M\",\"ofType\":null}}},\"defaultValue\":\"[A, "
    "B]\",\"isDeprecated\":false,\"deprecationReason\":nul"
    "l},{\"name\":\"filter\",\"description\":null,\"type\":{\"kind\":\"INPUT_OBJECT\",\"name\":"
    "\"Filter\",\"of"
    "Type\":null},\"defaultValue\":\"{a: 1, b: "
    "\\\"q\\\"}\",\"isDeprecated\":false,\"deprecationReason\":n"
    "ull},{\"name\":\"oldArg\",\"description\":null,\"type\":{\"kind\":\"SCALAR\",\"name\":\"Int\","
    "\"ofType\":n"
    "ull},\"defaultValue\":null,\"isDeprecated\":true,\"deprecationReason\":\"no\"}],\"type\":{"
    "\"kind\":\""
    "NON_NULL\",\"name\":null,\"ofType\":{\"name\":null,\"kind\":\"LIST\",\"ofType\":{\"name\":"
    "null,\"kind\":\""
    "NON_NULL\",\"ofType\":{\"name\":\"Result\",\"kind\":\"UNION\",\"ofType\":null}}}},"
    "\"isDeprecated\":fals"
    "e,\"deprecationReason\":null},{\"name\":\"float\",\"description\":null,\"args\":[],\"type\":{"
    "\"kind\":"
    "\"SCALAR\",\"name\":\"Float\",\"ofType\":null},\"isDeprecated\":false,\"deprecationReason\":"
    "null},{\""
    "name\":\"date\",\"description\":null,\"args\":[],\"type\":{\"kind\":\"SCALAR\",\"name\":"
    "\"Date\",\"ofType\""
    ":null},\"isDeprecated\":false,\"deprecationReason\":null}],\"inputFields\":null,"
    "\"interfaces\":["
    "],\"enumValues\":null,\"possibleTypes\":null},{\"kind\":\"SCALAR\",\"name\":\"String\","
    "\"description\""
    ":\"The `String` scalar type represents textual data, represented as UTF-8 character seque"
    "nces. The String type is most often used by GraphQL to represent free-form human-readabl"
    "e "
    "text.\",\"specifiedByURL\":null,\"fields\":null,\"inputFields\":null,\"interfaces\":null,"
    "\"enumV"
    "alues\":null,\"possibleTypes\":null},{\"kind\":\"OBJECT\",\"name\":\"Thing\",\"description\":"
    "null,\"sp"
    "ecifiedByURL\":null,\"fields\":[{\"name\":\"id\",\"description\":null,\"args\":[],\"type\":{"
    "\"kind\":\"N"
    "ON_NULL\",\"name\":null,\"ofType\":{\"name\":\"ID\",\"kind\":\"SCALAR\",\"ofType\":null}},"
    "\"isDeprecated"
    "\":false,\"deprecationReason\":null},{\"name\":\"name\",\"description\":null,\"args\":[],"
    "\"type\":{\"k"
    "ind\":\"SCALAR\",\"name\":\"String\",\"ofType\":null},\"isDeprecated\":false,"
    "\"deprecationReason\":nu"
    "ll}],\"inputFields\":null,\"interfaces\":[{\"kind\":\"INTERFACE\",\"name\":\"Node\","
    "\"ofType\":null},{"
    "\"kind\":\"INTERFACE\",\"name\":\"Named\",\"ofType\":null}],\"enumValues\":null,"
    "\"possibleTypes\":null"
    "}],\"directives\":[{\"name\":\"tag\",\"description\":\"Tags\",\"isRepeatable\":true,"
    "\"locations\":[\"FI"
    "ELD_DEFINITION\",\"OBJECT\"],\"args\":[{\"name\":\"name\",\"description\":null,\"type\":{"
    "\"kind\":\"NON_"
    "NULL\",\"name\":null,\"ofType\":{\"name\":\"String\",\"kind\":\"SCALAR\",\"ofType\":null}},"
    "\"defaultValu"
    "e\":\"\\\"t\\\"\",\"isDeprecated\":false,\"deprecationReason\":null}]},{\"name\":\"include\","
    "\"descripti"
    "on\":\"Directs the executor to include this field or fragment only when the `if` argument "
    "is "
    "true.\",\"isRepeatable\":false,\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_"
    "FRAGMENT\"]"
    ",\"args\":[{\"name\":\"if\",\"description\":\"Included when "
    "true.\",\"type\":{\"kind\":\"NON_NULL\",\"nam"
    "e\":null,\"ofType\":{\"name\":\"Boolean\",\"kind\":\"SCALAR\",\"ofType\":null}},"
    "\"defaultValue\":null,\""
    "isDeprecated\":false,\"deprecationReason\":null}]},{\"name\":\"skip\",\"description\":"
    "\"Directs th"
    "e executor to skip this field or fragment when the `if` argument is true.\",\"isRepeatable"
    "\":false,\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_FRAGMENT\"],\"args\":[{"
    "\"name\":\"if\",\""
    "description\":\"Skipped when "
    "true.\",\"type\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{\"name\""
    ":\"Boolean\",\"kind\":\"SCALAR\",\"ofType\":null}},\"defaultValue\":null,\"isDeprecated\":"
    "false,\"dep"
    "recationReason\":null}]},{\"name\":\"deprecated\",\"description\":\"Marks an element of a "
    "GraphQ"
    "L schema as no longer "
    "supported.\",\"isRepeatable\":false,\"locations\":[\"FIELD_DEFINITION\",\""
    "ARGUMENT_DEFINITION\",\"INPUT_FIELD_DEFINITION\",\"ENUM_VALUE\"],\"args\":[{\"name\":"
    "\"reason\",\"de"
    "scription\":\"Explains why this element was deprecated, usually also including a suggestio"
    "n for how to access supported similar data. Formatted using the Markdown syntax, as spec"
    "ified by "
    "[CommonMark](https://commonmark.org/).\",\"type\":{\"kind\":\"SCALAR\",\"name\":\"String\""
    ",\"ofType\":null},\"defaultValue\":\"\\\"No longer "
    "supported\\\"\",\"isDeprecated\":false,\"deprecati"
    "onReason\":null}]},{\"name\":\"specifiedBy\",\"description\":\"Exposes a URL that specifies "
    "the "
    "behavior of this "
    "scalar.\",\"isRepeatable\":false,\"locations\":[\"SCALAR\"],\"args\":[{\"name\":\"u"
    "rl\",\"description\":\"The URL that specifies the behavior of this "
    "scalar.\",\"type\":{\"kind\":\""
    "NON_NULL\",\"name\":null,\"ofType\":{\"name\":\"String\",\"kind\":\"SCALAR\",\"ofType\":null}}"
    ",\"default"
    "Value\":null,\"isDeprecated\":false,\"deprecationReason\":null}]}]}}}";

static int by_name(const void *a, const void *b) {
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return strcmp(json_string_value(json_object_get(x, "name")),
                  json_string_value(json_object_get(y, "name")));
}

/* Our answer in the expectation's form: types sorted by name, introspection types left out
 * (graphql-js 16.15's carry fields newer than the Oct 2021 spec). */
static json_t *normalize(const char *text) {
    json_t *j = json_loads(text, 0, NULL);
    assert_non_null(j);
    json_t *schema = json_object_get(json_object_get(j, "data"), "__schema");
    assert_non_null(schema);
    json_t *types = json_object_get(schema, "types");
    size_t n = json_array_size(types), k = 0;
    json_t **v = calloc(n ? n : 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(types, i);
        if (strncmp(json_string_value(json_object_get(t, "name")), "__", 2) != 0)
            v[k++] = json_incref(t);
    }
    qsort(v, k, sizeof *v, by_name);
    json_t *sorted = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(sorted, v[i]);
    free(v);
    json_object_set_new(schema, "types", sorted);
    return j;
}

static void test_full_introspection_query(void **state) {
    (void)state;
    gql_schema_t *s = t_schema(INTRO_SDL);
    char *got = t_exec(s, INTROSPECTION_QUERY, NULL, NULL, NULL);
    json_t *g = normalize(got);
    json_t *w = json_loads(INTRO_WANT, 0, NULL);
    assert_non_null(w);
    if (!json_equal(g, w)) {
        /* Print the first differing type or directive for a readable failure. */
        json_t *gs = json_object_get(json_object_get(g, "data"), "__schema");
        json_t *ws = json_object_get(json_object_get(w, "data"), "__schema");
        const char *keys[] = {"types", "directives"};
        for (size_t k = 0; k < 2; k++) {
            json_t *ga = json_object_get(gs, keys[k]), *wa = json_object_get(ws, keys[k]);
            for (size_t i = 0; i < json_array_size(wa) || i < json_array_size(ga); i++) {
                if (json_equal(json_array_get(ga, i), json_array_get(wa, i)))
                    continue;
                char *a = json_dumps(json_array_get(ga, i), JSON_COMPACT);
                char *b = json_dumps(json_array_get(wa, i), JSON_COMPACT);
                fail_msg("%s[%zu]:\n  got  %s\n  want %s", keys[k], i, a ? a : "(none)",
                         b ? b : "(none)");
            }
        }
        char *a = json_dumps(gs, JSON_COMPACT);
        fail_msg("introspection differs: %s", a);
    }
    json_decref(g);
    json_decref(w);
    lc_free(got);
    gql_schema_destroy(s);
}

/* __Directive.locations in the order the definition lists them, as graphql-js (and the spec's
 * own definitions: @deprecated is FIELD_DEFINITION | ARGUMENT_DEFINITION |
 * INPUT_FIELD_DEFINITION | ENUM_VALUE), repeats included as graphql-js keeps them. */
static void test_directive_locations_order(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("type Query { a: String }\n"
                               "directive @d(n: Int) on FIELD | OBJECT | FIELD_DEFINITION | QUERY\n"
                               "directive @e on INPUT_FIELD_DEFINITION | SCHEMA | ENUM_VALUE | "
                               "SCHEMA\n");
    char *got = t_exec(s, "{ __schema { directives { name locations } } }", NULL, NULL, NULL);
    t_assert_json(got,
                  "{\"data\":{\"__schema\":{\"directives\":["
                  "{\"name\":\"d\",\"locations\":[\"FIELD\",\"OBJECT\",\"FIELD_DEFINITION\","
                  "\"QUERY\"]},"
                  "{\"name\":\"e\",\"locations\":[\"INPUT_FIELD_DEFINITION\",\"SCHEMA\","
                  "\"ENUM_VALUE\",\"SCHEMA\"]},"
                  "{\"name\":\"include\",\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\","
                  "\"INLINE_FRAGMENT\"]},"
                  "{\"name\":\"skip\",\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\","
                  "\"INLINE_FRAGMENT\"]},"
                  "{\"name\":\"deprecated\",\"locations\":[\"FIELD_DEFINITION\","
                  "\"ARGUMENT_DEFINITION\",\"INPUT_FIELD_DEFINITION\",\"ENUM_VALUE\"]},"
                  "{\"name\":\"specifiedBy\",\"locations\":[\"SCALAR\"]}]}}}",
                  "directive locations");
    lc_free(got);
    gql_schema_destroy(s);
}

/* The names of __schema.types in name order (the spec leaves their order open), joined by
 * spaces, into out. */
static void type_names(const gql_schema_t *s, char *out, size_t cap) {
    char *got = t_exec(s, "{ __schema { types { name } } }", NULL, NULL, NULL);
    json_t *j = json_loads(got, 0, NULL);
    assert_non_null(j);
    json_t *types =
        json_object_get(json_object_get(json_object_get(j, "data"), "__schema"), "types");
    size_t n = json_array_size(types);
    json_t **v = calloc(n ? n : 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(types, i);
    qsort(v, n, sizeof *v, by_name);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "",
                              json_string_value(json_object_get(v[i], "name")));
    assert_true(o < cap);
    free(v);
    json_decref(j);
    lc_free(got);
}

/* A built-in scalar is part of a schema only when something references it — a field, an
 * argument, an input field, a directive's argument, or the introspection types (String,
 * Boolean) — as graphql-js's schema collects its types: Float and ID of a schema that never
 * names them are neither in __schema.types nor found by __type or by name. */
static void test_unreferenced_builtin_scalars(void **state) {
    (void)state;
    char names[1024];
    static const char INTROSPECTION_TYPES[] =
        "__Directive __DirectiveLocation __EnumValue __Field __InputValue __Schema __Type "
        "__TypeKind";
    static const struct {
        const char *sdl, *types, *absent[3];
    } cases[] = {
        {"type Query { a: String }", "Boolean Query String", {"Float", "ID", "Int"}},
        {"type Query { a(x: ID, i: In): String }\ninput In { f: [Float!] }\n"
         "directive @d(n: Int) on FIELD",
         "Boolean Float ID In Int Query String",
         {NULL}},
        {"type Query { a: String }\ndirective @d(n: [Int!]!) on FIELD",
         "Boolean Int Query String",
         {"Float", "ID"}},
        {"type Query { a: Float }", "Boolean Float Query String", {"ID", "Int"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_schema_t *s = t_schema(cases[i].sdl);
        type_names(s, names, sizeof names);
        char want[512];
        snprintf(want, sizeof want, "%s %s", cases[i].types, INTROSPECTION_TYPES);
        if (strcmp(names, want) != 0)
            fail_msg("case %zu: types\n  got  %s\n  want %s", i, names, want);
        for (size_t k = 0; k < 3 && cases[i].absent[k]; k++) {
            const char *name = cases[i].absent[k];
            assert_null(gql_schema_find_type(s, lc_str_from(name)));
            char q[128];
            snprintf(q, sizeof q, "{ __type(name: \"%s\") { name } }", name);
            char *got = t_exec(s, q, NULL, NULL, NULL);
            t_assert_json(got, "{\"data\":{\"__type\":null}}", q);
            lc_free(got);
        }
        gql_schema_destroy(s);
    }
}

static void test_introspection_facts(void **state) {
    (void)state;
    gql_schema_t *s = t_schema(INTRO_SDL);
    static const struct {
        const char *query, *want;
    } cases[] = {
        {"{ __schema { __typename queryType { name } mutationType { name } "
         "subscriptionType { name } description } }",
         "{\"data\":{\"__schema\":{\"__typename\":\"__Schema\",\"queryType\":{\"name\":\"Root\"},"
         "\"mutationType\":{\"name\":\"Mut\"},\"subscriptionType\":null,"
         "\"description\":\"The schema\"}}}"},
        {"{ __type(name: \"Root\") { fields { name } all: fields(includeDeprecated: true) { name "
         "isDeprecated deprecationReason } } }",
         "{\"data\":{\"__type\":{\"fields\":[{\"name\":\"node\"},{\"name\":\"search\"},"
         "{\"name\":\"float\"},{\"name\":\"date\"}],\"all\":[{\"name\":\"node\",\"isDeprecated\":"
         "false,\"deprecationReason\":null},{\"name\":\"old\",\"isDeprecated\":true,"
         "\"deprecationReason\":\"use new\"},{\"name\":\"older\",\"isDeprecated\":true,"
         "\"deprecationReason\":\"No longer supported\"},{\"name\":\"search\",\"isDeprecated\":"
         "false,\"deprecationReason\":null},{\"name\":\"float\",\"isDeprecated\":false,"
         "\"deprecationReason\":null},{\"name\":\"date\",\"isDeprecated\":false,"
         "\"deprecationReason\":null}]}}}"},
        {"{ __type(name: \"Kind\") { kind enumValues { name description } "
         "all: enumValues(includeDeprecated: true) { name } fields { name } } }",
         "{\"data\":{\"__type\":{\"kind\":\"ENUM\",\"enumValues\":[{\"name\":\"A\",\"description\":"
         "null},{\"name\":\"B\",\"description\":\"b\"}],\"all\":[{\"name\":\"A\"},{\"name\":\"B\"},"
         "{\"name\":\"C\"}],\"fields\":null}}}"},
        {"{ __type(name: \"Date\") { kind specifiedByURL ofType { name } } }",
         "{\"data\":{\"__type\":{\"kind\":\"SCALAR\",\"specifiedByURL\":"
         "\"https://example.com/date\",\"ofType\":null}}}"},
        {"{ __type(name: \"Nope\") { name } }", "{\"data\":{\"__type\":null}}"},
        {"{ __type(name: \"Root\") { fields(includeDeprecated: true) { name args { name "
         "defaultValue } } } }",
         "{\"data\":{\"__type\":{\"fields\":[{\"name\":\"node\",\"args\":[{\"name\":\"id\","
         "\"defaultValue\":null}]},{\"name\":\"old\",\"args\":[]},{\"name\":\"older\","
         "\"args\":[]},{\"name\":\"search\",\"args\":[{\"name\":\"term\",\"defaultValue\":"
         "\"\\\"x\\\"\"},{\"name\":\"limit\",\"defaultValue\":\"10\"},{\"name\":\"kinds\","
         "\"defaultValue\":\"[A, B]\"},{\"name\":\"filter\",\"defaultValue\":"
         "\"{a: 1, b: \\\"q\\\"}\"}]},{\"name\":\"float\",\"args\":[]},{\"name\":\"date\","
         "\"args\":[]}]}}}"},
        {"{ __type(name: \"Result\") { kind possibleTypes { name } interfaces { name } } "
         "n: __type(name: \"Named\") { interfaces { name } possibleTypes { name } } }",
         "{\"data\":{\"__type\":{\"kind\":\"UNION\",\"possibleTypes\":[{\"name\":\"Thing\"},"
         "{\"name\":\"Other\"}],\"interfaces\":null},\"n\":{\"interfaces\":[{\"name\":\"Node\"}],"
         "\"possibleTypes\":[{\"name\":\"Thing\"}]}}}"},
        {"{ __type(name: \"Root\") { fields { name type { kind name ofType { kind name ofType { "
         "kind name ofType { kind name } } } } } } }",
         "{\"data\":{\"__type\":{\"fields\":[{\"name\":\"node\",\"type\":{\"kind\":\"INTERFACE\","
         "\"name\":\"Node\",\"ofType\":null}},{\"name\":\"search\",\"type\":{\"kind\":"
         "\"NON_NULL\",\"name\":null,\"ofType\":{\"kind\":\"LIST\",\"name\":null,\"ofType\":"
         "{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{\"kind\":\"UNION\",\"name\":"
         "\"Result\"}}}}},{\"name\":\"float\",\"type\":{\"kind\":\"SCALAR\",\"name\":\"Float\","
         "\"ofType\":null}},{\"name\":\"date\",\"type\":{\"kind\":\"SCALAR\",\"name\":\"Date\","
         "\"ofType\":null}}]}}}"},
        {"{ __type(name: \"Filter\") { inputFields { name } all: inputFields(includeDeprecated: "
         "true) { name isDeprecated } } }",
         "{\"data\":{\"__type\":{\"inputFields\":[{\"name\":\"a\"},{\"name\":\"b\"},"
         "{\"name\":\"c\"}],\"all\":[{\"name\":\"a\",\"isDeprecated\":false},{\"name\":\"b\","
         "\"isDeprecated\":false},{\"name\":\"c\",\"isDeprecated\":false},{\"name\":\"old\","
         "\"isDeprecated\":true}]}}}"},
        {"{ __type(name: \"__Type\") { name kind } __typename }",
         "{\"data\":{\"__type\":{\"name\":\"__Type\",\"kind\":\"OBJECT\"},\"__typename\":"
         "\"Root\"}}"},
        {"query ($n: String!) { __type(name: $n) { name description } }",
         "{\"data\":{\"__type\":{\"name\":\"Node\",\"description\":\"A node\"}}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_run_t run = {.vars = "{\"n\":\"Node\"}"};
        char *got = t_exec(s, cases[i].query, &run, NULL, NULL);
        t_assert_json(got, cases[i].want, cases[i].query);
        lc_free(got);
    }
    gql_schema_destroy(s);
}

static const char DEFAULTS_SDL[] =
    "scalar J\n"
    "enum E { A B }\n"
    "input In { a: Int!, b: String = \"d\", c: [Float], e: E = B, n: In2 }\n"
    "input In2 { x: ID = 7, y: J }\n"
    "type Query { f(\n"
    " s1: String = \"\"\"block\n"
    " str\"\"\", f1: Float = 1.50, f2: Float = 3, f3: Float = 1e21, l1: [Int] = 1, l2: [[Int]] = "
    "[1, [2]], i1: In = {b: \"q\", a: 1},\n"
    " i2: In = {a: 1, n: {y: {k: [1, \"z\"]}}}, id1: ID = \"12\", id2: ID = \"x1\", id3: ID = 5, "
    "j: J = {a: [1]}, j2: J = \"s\", nl: Int = null, e: [E] = A, u: String = \"é\\n\\u0001\\\"\", "
    "none: Int\n"
    "): Int }\n";
/* graphql-js 16's data (it also reports "Cannot convert value to AST" field errors for i2 and j,
 * whose defaults hold objects of a custom scalar; we show null without an error). */
static const char DEFAULTS_WANT[] = "{\"data\":{\"__type\":{\"fields\":[{\"args\":[{\"name\":"
                                    "\"s1\",\"defaultValue\":\"\\\"block\\\\nstr\\\"\"},{\"n"
                                    "ame\":\"f1\",\"defaultValue\":\"1.5\"},{\"name\":\"f2\","
                                    "\"defaultValue\":\"3\"},{\"name\":\"f3\",\"defaultVa"
                                    "lue\":\"1e+21\"},{\"name\":\"l1\",\"defaultValue\":\"[1]\"},{"
                                    "\"name\":\"l2\",\"defaultValue\":\"[[1], [2]]"
                                    "\"},{\"name\":\"i1\",\"defaultValue\":\"{a: 1, b: \\\"q\\\", "
                                    "e: B}\"},{\"name\":\"i2\",\"defaultValue\":nul"
                                    "l},{\"name\":\"id1\",\"defaultValue\":\"12\"},{\"name\":"
                                    "\"id2\",\"defaultValue\":\"\\\"x1\\\"\"},{\"name\":\"id"
                                    "3\",\"defaultValue\":\"5\"},{\"name\":\"j\",\"defaultValue\":"
                                    "null},{\"name\":\"j2\",\"defaultValue\":\"\\\"s"
                                    "\\\"\"},{\"name\":\"nl\",\"defaultValue\":\"null\"},{\"name\":"
                                    "\"e\",\"defaultValue\":\"[A]\"},{\"name\":\"u\",\""
                                    "defaultValue\":\"\\\"é\\\\n\\\\u0001\\\\\\\"\\\"\"},{\"name\":"
                                    "\"none\",\"defaultValue\":null}]}]}}}";

/* defaultValue is graphql-js's print(astFromValue(coerced default)): input object fields in
 * definition order with their own defaults, a single value as a list of one, block strings as
 * strings, floats as JavaScript prints them, integer-like IDs bare, no literal for objects of
 * a custom scalar. */
static void test_default_values(void **state) {
    (void)state;
    gql_schema_t *s = t_schema(DEFAULTS_SDL);
    char *got = t_exec(s, "{ __type(name: \"Query\") { fields { args { name defaultValue } } } }",
                       NULL, NULL, NULL);
    t_assert_json(got, DEFAULTS_WANT, "default values");
    lc_free(got);
    gql_schema_destroy(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_introspection_query),
        cmocka_unit_test(test_introspection_facts),
        cmocka_unit_test(test_directive_locations_order),
        cmocka_unit_test(test_unreferenced_builtin_scalars),
        cmocka_unit_test(test_default_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
