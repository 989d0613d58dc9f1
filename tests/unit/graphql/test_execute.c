/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/execute.c: a table of (schema, query, variables, data) -> response whose
 * expectations were produced by graphql-js 16 (execute() over the same schema and data, with
 * resolvers that echo their arguments or throw), then hand-written cases for what graphql-js
 * cannot show: scalar hooks, resolveType hooks, mutation ordering, extensions, error limits,
 * result flags, and out-of-memory at every point of an execution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

#include "gql/parse.h"
#include "lectern/alloc.h"
#include "lectern/json.h"

/* ---- graphql-js parity table ------------------------------------------------------------- */

static const char SDL[] =
    "type Query {\n"
    "  hero: Character\n"
    "  heroes: [Character]\n"
    "  search: [SearchResult!]!\n"
    "  artists: [Artist]\n"
    "  nn: String!\n"
    "  nnList: [String!]\n"
    "  listNN: [String]!\n"
    "  deep: Deep\n"
    "  echo(i: Int, f: Float, s: String, b: Boolean, id: ID, e: Color, l: [Int], in: In, nn: Int! "
    "= 5, d: Int = 7, ll: [[Int!]]): String\n"
    "  echoReq(r: Int!): String\n"
    "  boom: String\n"
    "  boomNN: String!\n"
    "  failing: String\n"
    "  num: Int\n"
    "  big: Int\n"
    "  frac: Int\n"
    "  color: Color\n"
    "  badColor: Color\n"
    "  colors: [Color]\n"
    "  float: Float\n"
    "  str: String\n"
    "  bool: Boolean\n"
    "  ident: ID\n"
    "  identNum: ID\n"
    "  strFromInt: String\n"
    "  intFromStr: Int\n"
    "}\n"
    "type Mutation { echoM(i: Int): String num: Int }\n"
    "enum Color { RED GREEN BLUE }\n"
    "input In { a: Int!, b: String = \"dflt\", c: [Int], d: Color, nested: In }\n"
    "interface Character { name: String! friends: [Character] }\n"
    "type Human implements Character { name: String! friends: [Character] height: Float }\n"
    "type Droid implements Character { name: String! friends: [Character] primaryFunction: String "
    "}\n"
    "union SearchResult = Human | Droid\n"
    "type Artist { name: String! songs: [Song] }\n"
    "type Song { name: String! duration: Int }\n"
    "type Deep { a: Deep, nn: Deep!, v: String, vnn: String!, list: [Deep!], items: [[Int!]] }\n";
static const char ROOT[] =
    "{\"hero\":{\"__typename\":\"Human\",\"name\":\"Luke\",\"height\":1.72,\"friends\":[{\"__"
    "typename\":\"Droid\","
    "\"name\":\"R2-D2\",\"primaryFunction\":\"Astromech\"},null]},\"heroes\":[{\"__typename\":"
    "\"Droid\","
    "\"name\":\"C-3PO\",\"primaryFunction\":\"Protocol\"},{\"__typename\":\"Human\",\"name\":"
    "\"Han\"}"
    "],\"search\":[{\"__typename\":\"Droid\",\"name\":\"R2\",\"primaryFunction\":\"Astromech\"},"
    "{\"__typename\":\"Human\",\"name\":\"Leia\",\"height\":1.5}],\"artists\":[{\"name\":\"A\","
    "\"songs\":[{\"name\":\"s1\","
    "\"duration\":10},{\"duration\":20}]},{\"name\":\"B\",\"songs\":[]}],\"nn\":null,\"nnList\":["
    "\"a\","
    "null,\"c\"],\"listNN\":null,\"deep\":{\"a\":{\"v\":\"x\",\"vnn\":null},\"nn\":{\"nn\":{"
    "\"vnn\":null}"
    ",\"vnn\":\"ok\"},\"v\":\"top\",\"vnn\":\"top!\",\"list\":[{\"vnn\":\"1\"},{\"vnn\":null}],"
    "\"items\":[[1,"
    "null],[2,3],null]},\"num\":42,\"big\":3000000000,\"frac\":1.5,\"color\":\"GREEN\","
    "\"badColor\":\"PURPLE\","
    "\"colors\":[\"RED\",\"BLUE\"],\"float\":2.5,\"str\":\"hé \\\"quoted\\\"\\n\",\"bool\":true,"
    "\"ident\":\"abc\",\"identNum\":12,\"strFromInt\":7,\"intFromStr\":\"12\"}";

static const t_case_t exec_cases[] = {
    {"aliases", SDL, "{ a: num b: num str x: __typename }", NULL, ROOT, NULL,
     "{\"data\":{\"a\":42,\"b\":42,\"str\":\"hé \\\"quoted\\\"\\n\",\"x\":\"Query\"}}"},
    {"leaves", SDL, "{ num float str bool ident identNum strFromInt intFromStr color colors }",
     NULL, ROOT, NULL,
     "{\"data\":{\"num\":42,\"float\":2.5,\"str\":\"hé "
     "\\\"quoted\\\"\\n\",\"bool\":true,\"ident\":\"abc\",\"identNum\":\"12\",\"strFromInt\":\"7\","
     "\"intFromStr\":12,\"color\":\"GREEN\",\"colors\":[\"RED\",\"BLUE\"]}}"},
    {"interface fragments", SDL,
     "{ hero { name ... on Human { height } ... on Droid { primaryFunction } friends { name "
     "__typename } } }",
     NULL, ROOT, NULL,
     "{\"data\":{\"hero\":{\"name\":\"Luke\",\"height\":1.72,\"friends\":[{\"name\":\"R2-D2\",\"__"
     "typename\":\"Droid\"},null]}}}"},
    {"union spreads", SDL,
     "{ search { __typename ... on Human { name height } ...D } } fragment D on Droid { name "
     "primaryFunction }",
     NULL, ROOT, NULL,
     "{\"data\":{\"search\":[{\"__typename\":\"Droid\",\"name\":\"R2\",\"primaryFunction\":"
     "\"Astromech\"},{\"__typename\":\"Human\",\"name\":\"Leia\",\"height\":1.5}]}}"},
    {"abstract list", SDL,
     "{ heroes { ... on Character { name } ... on Droid { primaryFunction } } }", NULL, ROOT, NULL,
     "{\"data\":{\"heroes\":[{\"name\":\"C-3PO\",\"primaryFunction\":\"Protocol\"},{\"name\":"
     "\"Han\"}]}}"},
    {"typename root", SDL, "{ __typename }", NULL, ROOT, NULL,
     "{\"data\":{\"__typename\":\"Query\"}}"},
    {"typename mutation", SDL, "mutation { __typename }", NULL, ROOT, NULL,
     "{\"data\":{\"__typename\":\"Mutation\"}}"},
    {"skip include literals", SDL,
     "{ num @skip(if: true) str @include(if: false) bool @include(if: true) float @skip(if: false) "
     "@include(if: true) ident @skip(if: true) @include(if: true) }",
     NULL, ROOT, NULL, "{\"data\":{\"bool\":true,\"float\":2.5}}"},
    {"skip include vars 1", SDL,
     "query Q($s: Boolean!, $i: Boolean = true) { num @skip(if: $s) str @include(if: $i) ... on "
     "Query @skip(if: $s) { bool } }",
     "{\"s\": true}", ROOT, NULL, "{\"data\":{\"str\":\"hé \\\"quoted\\\"\\n\"}}"},
    {"skip include vars 2", SDL,
     "query Q($s: Boolean!, $i: Boolean = true) { num @skip(if: $s) str @include(if: $i) ... on "
     "Query @skip(if: $s) { bool } }",
     "{\"s\": false, \"i\": false}", ROOT, NULL, "{\"data\":{\"num\":42,\"bool\":true}}"},
    {"skip on fragment spread", SDL,
     "query Q($s: Boolean!) { ...F @skip(if: $s) num } fragment F on Query { str }",
     "{\"s\": false}", ROOT, NULL, "{\"data\":{\"str\":\"hé \\\"quoted\\\"\\n\",\"num\":42}}"},
    {"fragment visited once", SDL,
     "{ ...F ...F hero { ...H } } fragment F on Query { num } fragment H on Character { name ...H2 "
     "} fragment H2 on Character { name }",
     NULL, ROOT, NULL, "{\"data\":{\"num\":42,\"hero\":{\"name\":\"Luke\"}}}"},
    {"merged fields", SDL, "{ hero { name } hero { ... on Human { height } name } }", NULL, ROOT,
     NULL, "{\"data\":{\"hero\":{\"name\":\"Luke\",\"height\":1.72}}}"},
    {"merged with skip var", SDL,
     "query ($s: Boolean!) { hero { name @skip(if: $s) } hero { ... on Human { height } } }",
     "{\"s\": true}", ROOT, NULL, "{\"data\":{\"hero\":{\"height\":1.72}}}"},
    {"nonnull propagates to nullable parent", SDL, "{ deep { v a { v vnn } } }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Deep.vnn.\",\"locations\":[{\"line\":1,\"column\":18}],\"path\":[\"deep\",\"a\",\"vnn\"]}],"
     "\"data\":{\"deep\":{\"v\":\"top\",\"a\":null}}}"},
    {"nonnull chain", SDL, "{ deep { nn { nn { vnn } } v } }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Deep.vnn.\",\"locations\":[{\"line\":1,\"column\":20}],\"path\":[\"deep\",\"nn\",\"nn\","
     "\"vnn\"]}],\"data\":{\"deep\":null}}"},
    {"nonnull to data", SDL, "{ num nn }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Query.nn.\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"nn\"]}],\"data\":null}"},
    {"nonnull item nulls list", SDL, "{ nnList }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Query.nnList.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"nnList\",1]}],\"data\":"
     "{\"nnList\":null}}"},
    {"nonnull list null to data", SDL, "{ num listNN }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Query.listNN.\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"listNN\"]}],\"data\":"
     "null}"},
    {"list of nonnull objects", SDL, "{ deep { list { vnn } } }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Deep.vnn.\",\"locations\":[{\"line\":1,\"column\":17}],\"path\":[\"deep\",\"list\",1,\"vnn\"]"
     "}],\"data\":{\"deep\":{\"list\":null}}}"},
    {"nested lists", SDL, "{ deep { items } }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Deep.items.\",\"locations\":[{\"line\":1,\"column\":10}],\"path\":[\"deep\",\"items\",0,1]}],"
     "\"data\":{\"deep\":{\"items\":[null,[2,3],null]}}}"},
    {"error path with indices", SDL, "{ artists { name songs { name duration } } }", NULL, ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Song.name.\",\"locations\":[{\"line\":1,\"column\":26}],\"path\":[\"artists\",0,\"songs\",1,"
     "\"name\"]}],\"data\":{\"artists\":[{\"name\":\"A\",\"songs\":[{\"name\":\"s1\",\"duration\":"
     "10},null]},{\"name\":\"B\",\"songs\":[]}]}}"},
    {"int out of range", SDL, "{ big }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed integer value: "
     "3000000000\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"big\"]}],\"data\":{"
     "\"big\":null}}"},
    {"int non integer", SDL, "{ frac }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: "
     "1.5\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"frac\"]}],\"data\":{\"frac\":"
     "null}}"},
    {"enum bad value", SDL, "{ badColor }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Enum \\\"Color\\\" cannot represent value: "
     "\\\"PURPLE\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"badColor\"]}],"
     "\"data\":{\"badColor\":null}}"},
    {"abstract no typename", SDL, "{ hero { name } }", "{\"hero\":{\"name\":\"x\"}}", ROOT, NULL,
     "{\"data\":{\"hero\":{\"name\":\"Luke\"}}}"},
    {"abstract unknown typename", SDL, "{ hero { name } }",
     "{\"hero\":{\"__typename\":\"Wookie\",\"name\":\"x\"}}", ROOT, NULL,
     "{\"data\":{\"hero\":{\"name\":\"Luke\"}}}"},
    {"abstract non object typename", SDL, "{ hero { name } }",
     "{\"hero\":{\"__typename\":\"Song\",\"name\":\"x\"}}", ROOT, NULL,
     "{\"data\":{\"hero\":{\"name\":\"Luke\"}}}"},
    {"abstract not possible", SDL, "{ search { __typename } }",
     "{\"search\":[{\"__typename\":\"Artist\"}]}", ROOT, NULL,
     "{\"data\":{\"search\":[{\"__typename\":\"Droid\"},{\"__typename\":\"Human\"}]}}"},
    {"expected iterable", SDL, "{ artists { name } }", "{\"artists\":\"nope\"}", ROOT, NULL,
     "{\"data\":{\"artists\":[{\"name\":\"A\"},{\"name\":\"B\"}]}}"},
    {"resolver error", SDL, "{ boom num }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"boom\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":["
     "\"boom\"],\"extensions\":{\"code\":\"BOOM\"}}],\"data\":{\"boom\":null,\"num\":42}}"},
    {"resolver error nonnull", SDL, "{ num boomNN }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"boom\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":["
     "\"boomNN\"],\"extensions\":{\"code\":\"BOOM\"}}],\"data\":null}"},
    {"resolver fails silently", SDL, "{ failing }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Internal "
     "error\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"failing\"],\"extensions\":{"
     "\"code\":\"INTERNAL_SERVER_ERROR\"}}],\"data\":{\"failing\":null}}"},
    {"echo literals", SDL,
     "{ echo(i: 1, f: 2, s: \"x\", b: true, id: 5, e: RED, l: 3, in: {a: 1, d: BLUE, c: [1, 2]}) }",
     NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"i\\\":1,\\\"f\\\":2,\\\"s\\\":\\\"x\\\",\\\"b\\\":true,\\\"id\\\":"
     "\\\"5\\\",\\\"e\\\":\\\"RED\\\",\\\"l\\\":[3],\\\"in\\\":{\\\"a\\\":1,\\\"b\\\":\\\"dflt\\\","
     "\\\"c\\\":[1,2],\\\"d\\\":\\\"BLUE\\\"},\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"echo defaults", SDL, "{ echo }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"echo explicit null", SDL, "{ echo(i: null, nn: 3, d: null) }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"i\\\":null,\\\"nn\\\":3,\\\"d\\\":null}\"}}"},
    {"echo nested list literal", SDL, "{ echo(ll: [[1], [2, 3]]) a: echo(ll: 4) }", NULL, ROOT,
     NULL,
     "{\"data\":{\"echo\":\"{\\\"nn\\\":5,\\\"d\\\":7,\\\"ll\\\":[[1],[2,3]]}\",\"a\":\"{"
     "\\\"nn\\\":5,\\\"d\\\":7,\\\"ll\\\":[[4]]}\"}}"},
    {"echo float from int", SDL, "{ echo(f: 1e3) }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"f\\\":1000,\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"echo id string", SDL, "{ echo(id: \"x1\") }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"id\\\":\\\"x1\\\",\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"echo input nested default", SDL, "{ echo(in: {a: 1, nested: {a: 2, b: \"y\"}}) }", NULL, ROOT,
     NULL,
     "{\"data\":{\"echo\":\"{\\\"in\\\":{\\\"a\\\":1,\\\"b\\\":\\\"dflt\\\",\\\"nested\\\":{"
     "\\\"a\\\":2,\\\"b\\\":\\\"y\\\"}},\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var required missing", SDL, "query ($v: Int!) { echo(i: $v) }", "{}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" of required type \\\"Int!\\\" was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var nonnull null", SDL, "query ($v: Int!) { echo(i: $v) }", "{\"v\": null}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" of non-null type \\\"Int!\\\" must not be "
     "null.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var int non integer", SDL, "query ($v: Int) { echo(i: $v) }", "{\"v\": 1.5}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value 1.5; Int cannot represent "
     "non-integer value: 1.5\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var int out of range", SDL, "query ($v: Int) { echo(i: $v) }", "{\"v\": 3000000000}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value 3000000000; Int cannot "
     "represent non 32-bit signed integer value: "
     "3000000000\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var int from string", SDL, "query ($v: Int) { echo(i: $v) }", "{\"v\": \"1\"}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"1\\\"; Int cannot "
     "represent non-integer value: \\\"1\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var int integral float", SDL, "query ($v: Int) { echo(i: $v) }", "{\"v\": 2.0}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"i\\\":2,\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var default when absent", SDL, "query ($v: Int = 3) { echo(i: $v) }", "{}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"i\\\":3,\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var explicit null over default", SDL, "query ($v: Int = 3) { echo(i: $v) }", "{\"v\": null}",
     ROOT, NULL, "{\"data\":{\"echo\":\"{\\\"i\\\":null,\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var absent no default", SDL, "query ($v: Int) { echo(i: $v) }", "{}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var absent to arg with default", SDL, "query ($v: Int) { echo(d: $v) }", "{}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var absent to nonnull arg with default", SDL, "query ($v: Int) { echo(nn: $v) }", "{}", ROOT,
     NULL, "{\"data\":{\"echo\":\"{\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var list of one", SDL, "query ($v: [Int]) { echo(l: $v) }", "{\"v\": 4}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"l\\\":[4],\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var list", SDL, "query ($v: [Int]) { echo(l: $v) }", "{\"v\": [1, null, 3]}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"l\\\":[1,null,3],\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var list bad item", SDL, "query ($v: [Int]) { echo(l: $v) }", "{\"v\": [1, \"x\", 2.5]}",
     ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"x\\\" at \\\"v[1]\\\"; "
     "Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value 2.5 at \\\"v[2]\\\"; Int cannot represent non-integer value: "
     "2.5\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var nested list one", SDL, "query ($v: [[Int!]]) { echo(ll: $v) }", "{\"v\": 5}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"nn\\\":5,\\\"d\\\":7,\\\"ll\\\":[[5]]}\"}}"},
    {"var nested list null item", SDL, "query ($v: [[Int!]]) { echo(ll: $v) }",
     "{\"v\": [[1, null]]}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value null at \\\"v[0][1]\\\"; "
     "Expected non-nullable type \\\"Int!\\\" not to be "
     "null.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var input object", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\": {\"a\": 1, \"c\": 2, \"d\": \"RED\"}}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"in\\\":{\\\"a\\\":1,\\\"b\\\":\\\"dflt\\\",\\\"c\\\":[2],"
     "\\\"d\\\":\\\"RED\\\"},\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var input unknown field", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\": {\"a\": 1, \"zz\": 2}}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value { a: 1, zz: 2 }; Field "
     "\\\"zz\\\" is not defined by type "
     "\\\"In\\\".\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var input unknown field suggest", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\": {\"a\": 1, \"bb\": 2, \"nestd\": null}}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value { a: 1, bb: 2, nestd: null "
     "}; Field \\\"bb\\\" is not defined by type \\\"In\\\". Did you mean "
     "\\\"b\\\"?\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value { a: 1, bb: 2, nestd: null }; Field \\\"nestd\\\" is not defined by type "
     "\\\"In\\\". Did you mean \\\"nested\\\"?\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var input missing field", SDL, "query ($v: In) { echo(in: $v) }", "{\"v\": {\"b\": \"x\"}}",
     ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value { b: \\\"x\\\" }; Field "
     "\\\"a\\\" of required type \\\"Int!\\\" was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var input not object", SDL, "query ($v: In) { echo(in: $v) }", "{\"v\": [1]}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value [1]; Expected type "
     "\\\"In\\\" to be an object.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var input nested path", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\": {\"a\": 1, \"c\": [1, \"x\"], \"nested\": {\"a\": \"no\"}}}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"x\\\" at "
     "\\\"v.c[1]\\\"; Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"no\\\" at \\\"v.nested.a\\\"; Int cannot represent non-integer value: "
     "\\\"no\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var enum from string", SDL, "query ($c: Color) { echo(e: $c) }", "{\"c\": \"GREEN\"}", ROOT,
     NULL, "{\"data\":{\"echo\":\"{\\\"e\\\":\\\"GREEN\\\",\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var enum unknown", SDL, "query ($c: Color) { echo(e: $c) }", "{\"c\": \"PURPLE\"}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$c\\\" got invalid value \\\"PURPLE\\\"; Value "
     "\\\"PURPLE\\\" does not exist in \\\"Color\\\" "
     "enum.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var enum case suggest", SDL, "query ($c: Color) { echo(e: $c) }", "{\"c\": \"red\"}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$c\\\" got invalid value \\\"red\\\"; Value "
     "\\\"red\\\" does not exist in \\\"Color\\\" enum. Did you mean the enum value "
     "\\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var enum non string", SDL, "query ($c: Color) { echo(e: $c) }", "{\"c\": 1}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$c\\\" got invalid value 1; Enum \\\"Color\\\" "
     "cannot represent non-string value: 1.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var id from int", SDL, "query ($x: ID) { echo(id: $x) }", "{\"x\": 7}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"id\\\":\\\"7\\\",\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var id from bool", SDL, "query ($x: ID) { echo(id: $x) }", "{\"x\": true}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value true; ID cannot represent "
     "value: true\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var string from int", SDL, "query ($x: String) { echo(s: $x) }", "{\"x\": 7}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value 7; String cannot represent "
     "a non string value: 7\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var bool from int", SDL, "query ($x: Boolean) { echo(b: $x) }", "{\"x\": 1}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value 1; Boolean cannot "
     "represent a non boolean value: 1\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var float from string", SDL, "query ($x: Float) { echo(f: $x) }", "{\"x\": \"1.5\"}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value \\\"1.5\\\"; Float cannot "
     "represent non numeric value: \\\"1.5\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"var float from int", SDL, "query ($x: Float) { echo(f: $x) }", "{\"x\": 3}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"f\\\":3,\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var multiple errors", SDL,
     "query ($a: Int!, $b: String!, $c: Int) { echo(i: $a, s: $b, d: $c) }", "{\"c\": \"x\"}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$a\\\" of required type \\\"Int!\\\" was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$b\\\" of "
     "required type \\\"String!\\\" was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":18}]},{\"message\":\"Variable \\\"$c\\\" "
     "got invalid value \\\"x\\\"; Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":31}]}]}"},
    {"var in list literal", SDL, "query ($v: Int) { echo(l: [1, $v, 3]) }", "{\"v\": 2}", ROOT,
     NULL, "{\"data\":{\"echo\":\"{\\\"l\\\":[1,2,3],\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var missing in list literal", SDL, "query ($v: Int) { echo(l: [1, $v]) }", "{}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"l\\\":[1,null],\\\"nn\\\":5,\\\"d\\\":7}\"}}"},
    {"var in object literal", SDL, "query ($v: String) { echo(in: {a: 1, b: $v}) }",
     "{\"v\": \"vv\"}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"in\\\":{\\\"a\\\":1,\\\"b\\\":\\\"vv\\\"},\\\"nn\\\":5,\\\"d\\\":"
     "7}\"}}"},
    {"var missing in object literal uses default", SDL,
     "query ($v: String) { echo(in: {a: 1, b: $v}) }", "{}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"in\\\":{\\\"a\\\":1,\\\"b\\\":\\\"dflt\\\"},\\\"nn\\\":5,"
     "\\\"d\\\":7}\"}}"},
    {"required arg missing", SDL, "{ echoReq }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"r\\\" of required type \\\"Int!\\\" was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"echoReq\"]}],\"data\":{"
     "\"echoReq\":null}}"},
    {"required arg null var", SDL, "query ($v: Int) { echoReq(r: $v) }", "{\"v\": null}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"r\\\" of non-null type \\\"Int!\\\" must not be "
     "null.\",\"locations\":[{\"line\":1,\"column\":30}],\"path\":[\"echoReq\"]}],\"data\":{"
     "\"echoReq\":null}}"},
    {"required arg absent var", SDL, "query ($v: Int) { echoReq(r: $v) }", "{}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"r\\\" of required type \\\"Int!\\\" was provided "
     "the variable \\\"$v\\\" which was not provided a runtime "
     "value.\",\"locations\":[{\"line\":1,\"column\":30}],\"path\":[\"echoReq\"]}],\"data\":{"
     "\"echoReq\":null}}"},
    {"mutation serial", SDL, "mutation { a: echoM(i: 1) b: num c: echoM(i: 2) }", NULL, ROOT, NULL,
     "{\"data\":{\"a\":\"{\\\"i\\\":1}\",\"b\":42,\"c\":\"{\\\"i\\\":2}\"}}"},
    {"op by name", SDL, "query A { num } query B { str }", NULL, ROOT, "B",
     "{\"data\":{\"str\":\"hé \\\"quoted\\\"\\n\"}}"},
    {"op multiple without name", SDL, "query A { num } query B { str }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Must provide operation name if query contains multiple "
     "operations.\"}]}"},
    {"op unknown name", SDL, "query A { num }", NULL, ROOT, "C",
     "{\"errors\":[{\"message\":\"Unknown operation named \\\"C\\\".\"}]}"},
    {"merged field error locations", SDL, "{ boom\n  boom }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"boom\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":2,"
     "\"column\":3}],\"path\":[\"boom\"],\"extensions\":{\"code\":\"BOOM\"}}],\"data\":{\"boom\":"
     "null}}"},
    {"error inside fragment on list", SDL,
     "{ artists { ...A } } fragment A on Artist { songs { name } }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Song.name.\",\"locations\":[{\"line\":1,\"column\":53}],\"path\":[\"artists\",0,\"songs\",1,"
     "\"name\"]}],\"data\":{\"artists\":[{\"songs\":[{\"name\":\"s1\"},null]},{\"songs\":[]}]}}"},
    {"aliased typename in union", SDL, "{ search { t: __typename ... on Droid { n: name } } }",
     NULL, ROOT, NULL,
     "{\"data\":{\"search\":[{\"t\":\"Droid\",\"n\":\"R2\"},{\"t\":\"Human\"}]}}"},
    {"nonnull in list of list", SDL, "{ deep { items } d2: deep { v } }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Deep.items.\",\"locations\":[{\"line\":1,\"column\":10}],\"path\":[\"deep\",\"items\",0,1]}],"
     "\"data\":{\"deep\":{\"items\":[null,[2,3],null]},\"d2\":{\"v\":\"top\"}}}"},
    {"same field different aliases with args", SDL, "{ x: echo(i: 1) y: echo(i: 2) }", NULL, ROOT,
     NULL,
     "{\"data\":{\"x\":\"{\\\"i\\\":1,\\\"nn\\\":5,\\\"d\\\":7}\",\"y\":\"{\\\"i\\\":2,\\\"nn\\\":"
     "5,\\\"d\\\":7}\"}}"},
};

static void test_graphql_js_parity(void **state) {
    (void)state;
    t_run_cases(exec_cases, sizeof exec_cases / sizeof exec_cases[0]);
}

/* Variables an operation does not define (a document that skipped validation): absent. */
static const char UNDEF_SDL[] =
    "type Query { echo(i: Int, r: Int! = 3, l: [Int]): String echoNN(r: Int!): String }";
static const t_case_t undefined_variables[] = {
    {"undefined variables", UNDEF_SDL, "{ echo(i: $x, r: $y, l: [1, $z]) }", NULL, NULL, NULL,
     "{\"data\":{\"echo\":\"{\\\"r\\\":3,\\\"l\\\":[1,null]}\"}}"},
    {"undefined variable for a required argument", UNDEF_SDL, "{ echoNN(r: $x) }", NULL, NULL, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"r\\\" of required type \\\"Int!\\\" was "
     "provided the variable \\\"$x\\\" which was not provided a runtime value.\",\"locations\":"
     "[{\"line\":1,\"column\":13}],\"path\":[\"echoNN\"]}],\"data\":{\"echoNN\":null}}"},
};

static void test_undefined_variables(void **state) {
    (void)state;
    t_run_cases(undefined_variables, sizeof undefined_variables / sizeof undefined_variables[0]);
}

/* §3.13 / graphql-js shouldIncludeNode: the `if` of @skip and @include is a Boolean!, so an
 * explicit null (a defaulted variable given null), a variable without a value, or a missing
 * argument is an error of the selection being collected: at the root, the whole result (data
 * null, no path); below, the field or list item whose sub-selection it is, with null
 * propagating as for any field error. Located at the `if` value (or the directive when
 * absent). @skip is read before @include. Expected answers are graphql-js 16's. */
#define IF_NULL "Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null."
static const t_case_t condition_errors[] = {
    {"null skip at the root", SDL,
     "query ($s: Boolean = true) { num artists @skip(if: $s) { name } }", "{\"s\":null}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":52}]}],"
     "\"data\":null}"},
    {"null include in a list", SDL,
     "query ($i: Boolean = true) { artists { name @include(if: $i) } }", "{\"i\":null}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":58}],"
     "\"path\":[\"artists\",0]},{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,"
     "\"column\":58}],\"path\":[\"artists\",1]}],\"data\":{\"artists\":[null,null]}}"},
    {"null include in a list of non-null items", SDL,
     "query ($i: Boolean = true) { num search { ... on Human @include(if: $i) { name } } }",
     "{\"i\":null}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":69}],"
     "\"path\":[\"search\",0]}],\"data\":null}"},
    {"skip is read before include", SDL,
     "query ($s: Boolean, $i: Boolean = false) { num @include(if: $i) @skip(if: $s) }",
     "{\"s\":null}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":75}]}],"
     "\"data\":null}"},
    {"variable without a value", SDL, "query ($s: Boolean) { num @skip(if: $s) }", "{}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of required type \\\"Boolean!\\\" was "
     "provided the variable \\\"$s\\\" which was not provided a runtime value.\",\"locations\":"
     "[{\"line\":1,\"column\":37}]}],\"data\":null}"},
    {"undefined variable", SDL, "{ num @include(if: $x) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of required type \\\"Boolean!\\\" was "
     "provided the variable \\\"$x\\\" which was not provided a runtime value.\",\"locations\":"
     "[{\"line\":1,\"column\":20}]}],\"data\":null}"},
    {"literal null", SDL, "{ num @skip(if: null) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":17}]}],"
     "\"data\":null}"},
    {"no if argument", SDL, "{ num @skip }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of required type \\\"Boolean!\\\" was not "
     "provided.\",\"locations\":[{\"line\":1,\"column\":7}]}],\"data\":null}"},
    {"null skip on a spread under an abstract field", SDL,
     "query ($s: Boolean = false) { num hero { ...F @skip(if: $s) } } "
     "fragment F on Character { name }",
     "{\"s\":null}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":57}],"
     "\"path\":[\"hero\"]}],\"data\":{\"num\":42,\"hero\":null}}"},
    {"null skip in a list with a null item", SDL,
     "query ($s: Boolean = true) { hero { name friends { name @skip(if: $s) } } }", "{\"s\":null}",
     ROOT, NULL,
     "{\"errors\":[{\"message\":\"" IF_NULL "\",\"locations\":[{\"line\":1,\"column\":67}],"
     "\"path\":[\"hero\",\"friends\",0]}],\"data\":{\"hero\":{\"name\":\"Luke\",\"friends\":"
     "[null,null]}}}"},
    /* Without validation: a literal of another kind is an error; a variable's value of another
     * kind is neither true nor false (graphql-js's `=== true`, `=== false`). */
    {"literal of another kind", SDL, "{ num @include(if: \"yes\") }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"if\\\" has invalid value \\\"yes\\\".\","
     "\"locations\":[{\"line\":1,\"column\":20}]}],\"data\":null}"},
    {"list literal", SDL, "{ num @skip(if: [true]) str }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"if\\\" has invalid value [true].\","
     "\"locations\":[{\"line\":1,\"column\":17}]}],\"data\":null}"},
    {"variable of another kind", SDL,
     "query ($v: String = \"x\") { num @include(if: $v) str @skip(if: $v) }", NULL, ROOT, NULL,
     "{\"data\":{\"num\":42,\"str\":\"h\u00e9 \\\"quoted\\\"\\n\"}}"},
};
#undef IF_NULL

static void test_condition_errors(void **state) {
    (void)state;
    t_run_cases(condition_errors, sizeof condition_errors / sizeof condition_errors[0]);
}

/* ---- The benchmark's songs query ------------------------------------------------------------ */

static const char SONGS_SDL[] =
    "type Query { artist(name: String!): Artist artists: [Artist] }\n"
    "type Mutation { like(artist: String!, song: String!): Song }\n"
    "type Artist { name: String! songs: [Song] origin: [String] }\n"
    "type Song { name: String! artist: Artist duration: Int release: Date likes: Int }\n"
    "scalar Date\n";

static const char SONGS_DATA[] =
    "{\"artists\":[{\"name\":\"Fazerdaze\",\"origin\":[\"Morningside\",\"Auckland\",\"New "
    "Zealand\"],"
    "\"songs\":[{\"name\":\"Jennifer\",\"duration\":240,\"release\":\"2017-05-05\",\"likes\":0},"
    "{\"name\":\"Lucky Girl\",\"duration\":170,\"release\":\"2017-05-05\",\"likes\":0},"
    "{\"name\":\"Friends\",\"duration\":194,\"release\":\"2017-05-05\",\"likes\":0},"
    "{\"name\":\"Reel\",\"duration\":193,\"release\":\"2015-11-02\",\"likes\":0}]},"
    "{\"name\":\"Viagra Boys\",\"origin\":[\"Stockholm\",\"Sweden\"],"
    "\"songs\":[{\"name\":\"Down In The Basement\",\"duration\":216,\"release\":\"2018-09-28\","
    "\"likes\":0},{\"name\":\"Frogstrap\",\"duration\":195,\"release\":\"2018-09-28\",\"likes\":0},"
    "{\"name\":\"Worms\",\"duration\":208,\"release\":\"2018-09-28\",\"likes\":0},"
    "{\"name\":\"Amphetanarchy\",\"duration\":346,\"release\":\"2018-09-28\",\"likes\":0}]}]}";

static const char SONGS_ANSWER[] =
    "{\"data\":{\"artists\":[{\"name\":\"Fazerdaze\",\"origin\":[\"Morningside\",\"Auckland\","
    "\"New Zealand\"],\"songs\":[{\"name\":\"Jennifer\",\"duration\":240,\"likes\":0},"
    "{\"name\":\"Lucky Girl\",\"duration\":170,\"likes\":0},{\"name\":\"Friends\",\"duration\":194,"
    "\"likes\":0},{\"name\":\"Reel\",\"duration\":193,\"likes\":0}]},{\"name\":\"Viagra Boys\","
    "\"origin\":[\"Stockholm\",\"Sweden\"],\"songs\":[{\"name\":\"Down In The Basement\","
    "\"duration\":216,\"likes\":0},{\"name\":\"Frogstrap\",\"duration\":195,\"likes\":0},"
    "{\"name\":\"Worms\",\"duration\":208,\"likes\":0},{\"name\":\"Amphetanarchy\","
    "\"duration\":346,\"likes\":0}]}]}}";

static void test_songs_byte_exact(void **state) {
    (void)state;
    gql_schema_t *s = t_schema(SONGS_SDL);
    t_run_t run = {.root = SONGS_DATA};
    char *got = t_exec(s, "{artists{name,origin,songs{name,duration,likes}}}", &run, NULL, NULL);
    assert_string_equal(got, SONGS_ANSWER); /* same bytes as the benchmark's reference answer */
    lc_free(got);
    /* A custom scalar without hooks is written by its value's kind. */
    got = t_exec(s, "{artists{songs{release}}}", &run, NULL, NULL);
    assert_non_null(strstr(got, "\"release\":\"2015-11-02\""));
    lc_free(got);
    gql_schema_destroy(s);
}

/* ---- Custom scalar hooks -------------------------------------------------------------------- */

/* Date: output "D<text>"; input only strings of 10 characters. */
static int date_serialize(void *ctx, const gql_val_t *v, lc_buf_t *b) {
    (void)ctx;
    if (v->kind != GQL_VAL_STRING)
        return LC_EINVAL;
    lc_buf_putc(b, '"');
    lc_buf_putc(b, 'D');
    lc_buf_append_str(b, v->s);
    lc_buf_putc(b, '"');
    return LC_OK;
}

static int date_parse(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                      const char **why) {
    (void)ctx;
    if (in->kind != GQL_VAL_STRING || in->s.len != 10) {
        *why = "Date must be YYYY-MM-DD";
        return LC_EINVAL;
    }
    char *p = lc_arena_printf(arena, "parsed:%.*s", (int)in->s.len, in->s.ptr);
    if (!p)
        return LC_ENOMEM;
    *out = gql_val_str(lc_str_from(p));
    return LC_OK;
}

static void test_custom_scalar_hooks(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("scalar Date\n"
                               "type Query { d: Date ds: [Date] bad: Date nn: Date!\n"
                               "  echo(d: Date, l: [Date]): String }\n");
    assert_int_equal(gql_schema_bind_scalar(s, "Date", date_serialize, date_parse, NULL), LC_OK);
    t_bind_generic(s);
    t_run_t run = {.root = "{\"d\":\"2020-01-01\",\"ds\":[\"a\",\"b\"],\"bad\":5,\"nn\":[1]}"};
    static const struct {
        const char *query, *vars, *want;
    } cases[] = {
        {"{ d ds }", NULL, "{\"data\":{\"d\":\"D2020-01-01\",\"ds\":[\"Da\",\"Db\"]}}"},
        {"{ bad }", NULL,
         "{\"data\":{\"bad\":null},\"errors\":[{\"message\":\"Expected a value of type "
         "\\\"Date\\\" "
         "but received: 5\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"bad\"]}]}"},
        {"{ d nn }", NULL,
         "{\"data\":null,\"errors\":[{\"message\":\"Expected a value of type \\\"Date\\\" but "
         "received: [1]\",\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"nn\"]}]}"},
        {"{ echo(d: \"2021-02-03\", l: \"2021-02-04\") }", NULL,
         "{\"data\":{\"echo\":\"{\\\"d\\\":\\\"parsed:2021-02-03\\\",\\\"l\\\":[\\\"parsed:2021-02-"
         "04\\\"]}\"}}"},
        {"{ echo(d: \"x\") }", NULL,
         "{\"data\":{\"echo\":null},\"errors\":[{\"message\":\"Argument \\\"d\\\" has invalid "
         "value "
         "\\\"x\\\".\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}]}"},
        {"query ($d: Date) { echo(d: $d) }", "{\"d\":\"2022-12-31\"}",
         "{\"data\":{\"echo\":\"{\\\"d\\\":\\\"parsed:2022-12-31\\\"}\"}}"},
        {"query ($d: Date) { echo(d: $d) }", "{\"d\":\"2022\"}",
         "{\"errors\":[{\"message\":\"Variable \\\"$d\\\" got invalid value \\\"2022\\\"; Date "
         "must be "
         "YYYY-MM-DD\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
        {"query ($d: [Date]) { echo(l: $d) }", "{\"d\":[\"2022-12-31\", 7]}",
         "{\"errors\":[{\"message\":\"Variable \\\"$d\\\" got invalid value 7 at \\\"d[1]\\\"; "
         "Date "
         "must be YYYY-MM-DD\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run.vars = cases[i].vars;
        char *got = t_exec(s, cases[i].query, &run, NULL, NULL);
        t_assert_json(got, cases[i].want, cases[i].query);
        lc_free(got);
    }
    gql_schema_destroy(s);
}

/* ---- resolveType hooks and typed objects ---------------------------------------------------- */

typedef struct pet {
    const char *kind, *name;
} pet_t;

static const gql_schema_type_t *pet_type(void *ctx, const gql_val_t *v,
                                         const gql_schema_type_t *abstract) {
    const gql_schema_t *s = ctx;
    (void)abstract;
    if (v->kind != GQL_VAL_OBJECT)
        return NULL;
    const pet_t *p = v->obj.ptr;
    return gql_schema_find_type(s, lc_str_from(p->kind));
}

static int pet_name(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)info;
    (void)args;
    *out = gql_val_str(lc_str_from(((const pet_t *)parent->obj.ptr)->name));
    return LC_OK;
}

static const pet_t pets[] = {
    {"Dog", "Rex"}, {"Cat", "Tom"}, {"Query", "Odd"}, {"Fish", "Nemo"}, {"Cat", "Felix"}};

static int pets_resolver(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    uint32_t n = (uint32_t)args[0].i;
    gql_val_t *items = lc_arena_alloc(info->arena, n * sizeof *items);
    if (!items)
        return LC_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        items[i] = gql_val_object(&pets[i], NULL);
    *out = gql_val_list(items, n);
    return LC_OK;
}

static int typed_pet(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)parent;
    (void)args;
    *out = gql_val_object(&pets[4], gql_schema_find_type(info->schema, LC_STR("Cat")));
    return LC_OK;
}

static void test_resolve_type_hook(void **state) {
    (void)state;
    gql_schema_t *s =
        t_schema("interface Pet { name: String }\n"
                 "type Dog implements Pet { name: String barks: Boolean }\n"
                 "type Cat implements Pet { name: String }\n"
                 "type Fish { name: String }\n"
                 "union Any = Dog | Cat\n"
                 "type Query { pets(n: Int!): [Pet] any(n: Int!): [Any] typed: Pet }\n");
    assert_int_equal(gql_schema_bind_type_resolver(s, "Pet", pet_type, s), LC_OK);
    assert_int_equal(gql_schema_bind_type_resolver(s, "Any", pet_type, s), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Query.pets", pets_resolver, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Query.any", pets_resolver, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Query.typed", typed_pet, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Dog.name", pet_name, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Cat.name", pet_name, NULL), LC_OK);
    static const struct {
        const char *query, *want;
    } cases[] = {
        {"{ pets(n: 2) { __typename name } typed { __typename name } }",
         "{\"data\":{\"pets\":[{\"__typename\":\"Dog\",\"name\":\"Rex\"},{\"__typename\":\"Cat\","
         "\"name\":\"Tom\"}],\"typed\":{\"__typename\":\"Cat\",\"name\":\"Felix\"}}}"},
        {"{ any(n: 2) { __typename ... on Dog { name barks } } }",
         "{\"data\":{\"any\":[{\"__typename\":\"Dog\",\"name\":\"Rex\",\"barks\":null},"
         "{\"__typename\":\"Cat\"}]}}"},
        {"{ pets(n: 3) { name } }",
         "{\"data\":{\"pets\":[{\"name\":\"Rex\"},{\"name\":\"Tom\"},null]},\"errors\":[{"
         "\"message\":"
         "\"Runtime Object type \\\"Query\\\" is not a possible type for \\\"Pet\\\".\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"pets\",2]}]}"},
        {"{ any(n: 4) { __typename } }",
         "{\"data\":{\"any\":[{\"__typename\":\"Dog\"},{\"__typename\":\"Cat\"},null,null]},"
         "\"errors\":[{\"message\":\"Runtime Object type \\\"Query\\\" is not a possible type for "
         "\\\"Any\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"any\",2]},"
         "{\"message\":\"Runtime Object type \\\"Fish\\\" is not a possible type for "
         "\\\"Any\\\".\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"any\",3]}]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = t_exec(s, cases[i].query, NULL, NULL, NULL);
        t_assert_json(got, cases[i].want, cases[i].query);
        lc_free(got);
    }
    gql_schema_destroy(s);
}

/* ---- Mutations run in order; errors carry extensions --------------------------------------- */

typedef struct counter {
    int64_t value;
    char log[64];
} counter_t;

static int add_resolver(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    counter_t *c = info->context;
    size_t n = strlen(c->log);
    snprintf(c->log + n, sizeof c->log - n, "%s%lld", n ? "," : "", (long long)args[0].i);
    c->value += args[0].i;
    *out = gql_val_int(c->value);
    return LC_OK;
}

static int denied_resolver(const gql_resolve_info_t *info, const gql_val_t *parent,
                           const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    (void)out;
    gql_diag_t *d = gql_field_error(info, "FORBIDDEN", "Needs %s", "read:users");
    assert_non_null(d);
    assert_int_equal(gql_field_error_ext(info, d, "permission", LC_STR("read:users")), LC_OK);
    return LC_EDENIED;
}

static void test_mutation_serial_and_extensions(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("type Query { value: Int denied: Int }\n"
                               "type Mutation { add(n: Int!): Int denied: Int }\n");
    assert_int_equal(gql_schema_bind(s, "Mutation.add", add_resolver, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Mutation.denied", denied_resolver, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Query.denied", denied_resolver, NULL), LC_OK);
    counter_t c = {0};
    t_run_t run = {.context = &c};
    gql_result_t res;
    char *got = t_exec(s, "mutation { a: add(n: 1) b: add(n: 10) denied c: add(n: 100) }", &run,
                       NULL, &res);
    t_assert_json(got,
                  "{\"data\":{\"a\":1,\"b\":11,\"denied\":null,\"c\":111},\"errors\":[{\"message\":"
                  "\"Needs read:users\",\"locations\":[{\"line\":1,\"column\":39}],\"path\":"
                  "[\"denied\"],\"extensions\":{\"code\":\"FORBIDDEN\",\"permission\":"
                  "\"read:users\"}}]}",
                  "mutation");
    assert_string_equal(c.log, "1,10,100");
    assert_false(res.request_error);
    assert_false(res.data_null);
    assert_int_equal(res.nerrors, 1);
    lc_free(got);
    gql_schema_destroy(s);
}

/* ---- Result flags, limits, requests that cannot run ---------------------------------------- */

static void test_result_flags_and_request_errors(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("type Query { a: String! b: Int }\n"
                               "type Subscription { tick: Int }\n");
    gql_result_t res;
    int rc;
    char *got = t_exec(s, "{ b a }", NULL, &rc, &res);
    assert_int_equal(rc, LC_OK);
    assert_true(res.data_null);
    assert_false(res.request_error);
    assert_int_equal(res.nerrors, 1);
    lc_free(got);

    got = t_exec(s, "subscription { tick }", NULL, &rc, &res);
    assert_int_equal(rc, LC_OK);
    assert_true(res.request_error);
    t_assert_json(got,
                  "{\"errors\":[{\"message\":\"Subscriptions are not supported.\","
                  "\"locations\":[{\"line\":1,\"column\":1}]}]}",
                  "subscription");
    lc_free(got);

    got = t_exec(s, "mutation { a }", NULL, &rc, &res);
    t_assert_json(got,
                  "{\"data\":null,\"errors\":[{\"message\":\"Schema is not configured to execute "
                  "mutation operation.\",\"locations\":[{\"line\":1,\"column\":1}]}]}",
                  "no mutation type");
    lc_free(got);

    got = t_exec(s, "fragment F on Query { a }", NULL, &rc, &res);
    t_assert_json(got, "{\"errors\":[{\"message\":\"Must provide an operation.\"}]}", "none");
    assert_true(res.request_error);
    lc_free(got);
    gql_schema_destroy(s);
}

static void test_max_errors(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("type Query { boom: [Int] l: [Int] }\n");
    t_run_t run = {.root = "{\"l\":[1.5,2.5,3.5,4.5,5.5]}", .max_errors = 3};
    gql_result_t res;
    char *got = t_exec(s, "{ l }", &run, NULL, &res);
    json_t *j = json_loads(got, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "errors")), 3);
    assert_int_equal(res.nerrors, 3);
    json_decref(j);
    lc_free(got);
    gql_schema_destroy(s);
}

static void test_select_operation(void **state) {
    (void)state;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    gql_document_t *doc;
    const char *q = "query A { a } mutation B { b } fragment F on Q { c }";
    assert_int_equal(gql_parse_document(&a, q, strlen(q), NULL, &doc, NULL), LC_OK);
    const gql_operation_definition_t *op = NULL;
    assert_int_equal(gql_select_operation(doc, LC_STR_NULL, &op), LC_EINVAL);
    assert_int_equal(gql_select_operation(doc, LC_STR("B"), &op), LC_OK);
    assert_int_equal(op->operation, GQL_OP_MUTATION);
    assert_int_equal(gql_select_operation(doc, LC_STR("Z"), &op), LC_ENOTFOUND);
    const char *q2 = "{ a }";
    assert_int_equal(gql_parse_document(&a, q2, strlen(q2), NULL, &doc, NULL), LC_OK);
    assert_int_equal(gql_select_operation(doc, LC_STR_NULL, &op), LC_OK);
    assert_int_equal(gql_select_operation(doc, LC_STR(""), &op), LC_ENOTFOUND);
    lc_arena_dispose(&a);
}

/* ---- Out of memory and output limits -------------------------------------------------------- */

/* Executes with an arena capped at `max` bytes: the status is LC_OK with the full answer, or
 * LC_ENOMEM/LC_ELIMIT — never a crash or a leak (ASan). */
static int exec_capped(const gql_schema_t *s, const gql_document_t *doc, const gql_val_t *vars,
                       const gql_val_t *root, size_t max, size_t out_max, char *copy, size_t cap) {
    lc_arena_t a;
    lc_arena_init(&a, 1024, max);
    lc_buf_t out;
    lc_buf_init(&out, &a, 0, out_max);
    gql_request_t req = {.schema = s, .document = doc, .variables = vars, .root_value = root};
    int rc = gql_execute(&a, &req, &out, NULL);
    if (rc == LC_OK && copy) {
        size_t n = out.len < cap - 1 ? out.len : cap - 1;
        memcpy(copy, out.data, n);
        copy[n] = '\0';
    }
    lc_arena_dispose(&a);
    return rc;
}

static void test_out_of_memory(void **state) {
    (void)state;
    gql_schema_t *s = t_schema(SDL);
    t_bind_generic(s);
    lc_arena_t data;
    lc_arena_init(&data, 0, 0);
    gql_val_t root = t_val_parse(&data, ROOT);
    gql_val_t vars = t_val_parse(&data, "{\"v\":{\"a\":1,\"c\":[1,2]},\"s\":false}");
    const char *q = "query ($v: In, $s: Boolean!) { echo(in: $v) hero { name ... on Human "
                    "{ height friends { name } } } search { __typename } deep { list { vnn } "
                    "items } num @skip(if: $s) artists { name songs { name duration } } }";
    gql_document_t *doc;
    assert_int_equal(gql_parse_document(&data, q, strlen(q), NULL, &doc, NULL), LC_OK);
    static char full[8192], got[8192];
    assert_int_equal(exec_capped(s, doc, &vars, &root, 0, 0, full, sizeof full), LC_OK);
    size_t ok_at = 0;
    for (size_t max = 0; max < 256 * 1024 && !ok_at; max += 64) {
        int rc = exec_capped(s, doc, &vars, &root, max, 0, got, sizeof got);
        if (rc == LC_OK) {
            assert_string_equal(got, full);
            ok_at = max;
        } else if (rc != LC_ENOMEM && rc != LC_ELIMIT) {
            fail_msg("arena max %zu: status %d", max, rc);
        }
    }
    assert_true(ok_at > 0);
    /* Output limits: every cap below the answer's size is a clean LC_ELIMIT. */
    size_t len = strlen(full);
    for (size_t cap = 1; cap < len; cap += 7)
        assert_int_equal(exec_capped(s, doc, &vars, &root, 0, cap, NULL, 0), LC_ELIMIT);
    assert_int_equal(exec_capped(s, doc, &vars, &root, 0, len, got, sizeof got), LC_OK);
    /* Heap failures under the arena: the first, second, ... allocation fails. */
    for (long n = 0; n < 64; n++) {
        lc_alloc_fail_after(n);
        int rc = exec_capped(s, doc, &vars, &root, 0, 0, got, sizeof got);
        lc_alloc_fail_reset();
        if (rc == LC_OK) {
            assert_string_equal(got, full);
            break;
        }
        assert_true(rc == LC_ENOMEM || rc == LC_ELIMIT);
    }
    lc_arena_dispose(&data);
    gql_schema_destroy(s);
}

/* ---- Depth: a cyclic schema and data, nested through fragments past the parser's limit ------ */

static int node_self(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)info;
    (void)args;
    static const int node = 1;
    *out = parent->kind == GQL_VAL_OBJECT ? *parent : gql_val_object(&node, NULL);
    return LC_OK;
}

static void test_max_depth(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("type Query { node: Node } type Node { child: Node id: Int }");
    assert_int_equal(gql_schema_bind(s, "Query.node", node_self, NULL), LC_OK);
    assert_int_equal(gql_schema_bind(s, "Node.child", node_self, NULL), LC_OK);
    /* 6 fragments of 50 levels each: 300 objects deep. */
    lc_buf_t q;
    lc_buf_init(&q, NULL, 0, 0);
    lc_buf_append_cstr(&q, "{ node { ...F0 } }");
    for (int f = 0; f < 6; f++) {
        lc_buf_printf(&q, " fragment F%d on Node { id ", f);
        for (int i = 0; i < 50; i++)
            lc_buf_append_cstr(&q, "child { ");
        if (f < 5)
            lc_buf_printf(&q, "...F%d ", f + 1);
        else
            lc_buf_append_cstr(&q, "id ");
        for (int i = 0; i < 50; i++)
            lc_buf_append_cstr(&q, "} ");
        lc_buf_putc(&q, '}');
    }
    assert_int_equal(lc_buf_terminate(&q), LC_OK);
    int rc;
    char *got = t_exec(s, q.data, NULL, &rc, NULL);
    assert_int_equal(rc, LC_OK);
    json_t *j = json_loads(got, 0, NULL);
    assert_non_null(j);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "Query exceeds the maximum depth of 256.");
    assert_int_equal(json_array_size(json_object_get(e, "path")), 257);
    json_decref(j);
    lc_free(got);
    lc_buf_dispose(&q);
    gql_schema_destroy(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphql_js_parity),
        cmocka_unit_test(test_condition_errors),
        cmocka_unit_test(test_undefined_variables),
        cmocka_unit_test(test_songs_byte_exact),
        cmocka_unit_test(test_custom_scalar_hooks),
        cmocka_unit_test(test_resolve_type_hook),
        cmocka_unit_test(test_mutation_serial_and_extensions),
        cmocka_unit_test(test_result_flags_and_request_errors),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_select_operation),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_max_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
