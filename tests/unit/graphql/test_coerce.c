/* SPDX-License-Identifier: MIT */
/* Tests for src/graphql/coerce.c through the public executor: result coercion of every built-in
 * scalar and enums from every kind of value, input coercion of variables (raw JSON values) and
 * of literals for scalars, enums, lists and input objects, with graphql-js 16's messages and
 * paths. Expectations were produced by graphql-js (execute() over the same schema and data). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

#include "lectern/alloc.h"

static const char SDL[] =
    "type Query {\n"
    "  ints: [Int] floats: [Float] strings: [String] bools: [Boolean] ids: [ID] colors: [Color]\n"
    "  int: Int nnInt: Int!\n"
    "  echo(i: Int, f: Float, s: String, b: Boolean, id: ID, c: Color, li: [Int], lli: [[Int]], "
    "lnn: [Int!]! = [0], in: In, lin: [In!]): String\n"
    "}\n"
    "enum Color { RED GREEN BLUE RED2 }\n"
    "input In { x: Int!, y: [String] = [\"d1\", \"d2\"], z: Color = GREEN, w: Float }\n";
static const char ROOT[] =
    "{\"ints\":[1,2147483647,2147483648,-2147483648,-2147483649,3,0.5,\"12\",\"x\",\"\",true,false,"
    "[1],{\"a\":1},\" 7 "
    "\",\"1e3\",1e+100],\"floats\":[1,1.5,0,\"2.5\",\"x\",true,[1],1e+300],\"strings\":[\"s\","
    "1,1.5,true,false,[1],{\"a\":1},\"é\\t\"],\"bools\":[true,false,1,0,2.5,\"true\",[1]],\"ids\":["
    "\"a\","
    "1,1,1.5,true,[1],-3],\"colors\":[\"RED\",\"PURPLE\",1,\"red\"],\"int\":5,\"nnInt\":\"x\"}";

static const t_case_t coerce_cases[] = {
    {"serialize Int", SDL, "{ ints }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed integer value: "
     "2147483648\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",2]},{\"message\":"
     "\"Int cannot represent non 32-bit signed integer value: "
     "-2147483649\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",4]},{\"message\":"
     "\"Int cannot represent non-integer value: "
     "0.5\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",6]},{\"message\":\"Int "
     "cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",8]},{\"message\":"
     "\"Int cannot represent non-integer value: "
     "\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",9]},{\"message\":"
     "\"Int cannot represent non-integer value: "
     "[1]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",12]},{\"message\":\"Int "
     "cannot represent non-integer value: { a: 1 "
     "}\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",13]},{\"message\":\"Int "
     "cannot represent non 32-bit signed integer value: "
     "1e+100\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",16]}],\"data\":{"
     "\"ints\":[1,2147483647,null,-2147483648,null,3,null,12,null,null,1,0,null,null,7,1000,null]}"
     "}"},
    {"serialize Float", SDL, "{ floats }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Float cannot represent non numeric value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",4]},{\"message\":"
     "\"Float cannot represent non numeric value: "
     "[1]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",6]}],\"data\":{"
     "\"floats\":[1,1.5,0,2.5,null,1,null,1e+300]}}"},
    {"serialize String", SDL, "{ strings }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"String cannot represent value: "
     "[1]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"strings\",5]},{\"message\":"
     "\"String cannot represent value: { a: 1 "
     "}\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"strings\",6]}],\"data\":{"
     "\"strings\":[\"s\",\"1\",\"1.5\",\"true\",\"false\",null,null,\"é\\t\"]}}"},
    {"serialize Boolean", SDL, "{ bools }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Boolean cannot represent a non boolean value: "
     "\\\"true\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"bools\",5]},{"
     "\"message\":\"Boolean cannot represent a non boolean value: "
     "[1]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"bools\",6]}],\"data\":{\"bools\":"
     "[true,false,true,false,true,null,null]}}"},
    {"serialize ID", SDL, "{ ids }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"ID cannot represent value: "
     "1.5\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ids\",3]},{\"message\":\"ID "
     "cannot represent value: "
     "true\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ids\",4]},{\"message\":\"ID "
     "cannot represent value: "
     "[1]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ids\",5]}],\"data\":{\"ids\":["
     "\"a\",\"1\",\"1\",null,null,null,\"-3\"]}}"},
    {"serialize enum", SDL, "{ colors }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Enum \\\"Color\\\" cannot represent value: "
     "\\\"PURPLE\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",1]},{"
     "\"message\":\"Enum \\\"Color\\\" cannot represent value: "
     "1\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",2]},{\"message\":\"Enum "
     "\\\"Color\\\" cannot represent value: "
     "\\\"red\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",3]}],\"data\":{"
     "\"colors\":[\"RED\",null,null,null]}}"},
    {"serialize nonnull error to data", SDL, "{ int nnInt }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"nnInt\"]}],\"data\":null}"},
    {"input Int", SDL, "query ($v: [Int]) { echo(li: $v) }",
     "{\"v\":[1,2147483647,2147483648,-2147483649,3,0.5,\"12\",true,[1],{\"a\":1},null]}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value 2147483648 at "
     "\\\"v[2]\\\"; Int cannot represent non 32-bit signed integer value: "
     "2147483648\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value -2147483649 at \\\"v[3]\\\"; Int cannot represent non 32-bit signed "
     "integer value: "
     "-2147483649\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value 0.5 at \\\"v[5]\\\"; Int cannot represent non-integer value: "
     "0.5\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" got "
     "invalid value \\\"12\\\" at \\\"v[6]\\\"; Int cannot represent non-integer value: "
     "\\\"12\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value true at \\\"v[7]\\\"; Int cannot represent non-integer value: "
     "true\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" got "
     "invalid value [1] at \\\"v[8]\\\"; Int cannot represent non-integer value: "
     "[1]\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" got "
     "invalid value { a: 1 } at \\\"v[9]\\\"; Int cannot represent non-integer value: { a: 1 "
     "}\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input Float", SDL,
     "query ($v: Float, $w: Float, $x: Float, $y: Float) { echo(f: $v) a: echo(f: $w) }",
     "{\"v\":1,\"w\":2.5,\"x\":\"1\",\"y\":true}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value \\\"1\\\"; Float cannot "
     "represent non numeric value: "
     "\\\"1\\\"\",\"locations\":[{\"line\":1,\"column\":30}]},{\"message\":\"Variable \\\"$y\\\" "
     "got invalid value true; Float cannot represent non numeric value: "
     "true\",\"locations\":[{\"line\":1,\"column\":41}]}]}"},
    {"input String", SDL, "query ($v: String, $w: String, $x: String) { echo(s: $v) }",
     "{\"v\":\"ok\",\"w\":1,\"x\":[\"a\"]}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$w\\\" got invalid value 1; String cannot represent "
     "a non string value: 1\",\"locations\":[{\"line\":1,\"column\":20}]},{\"message\":\"Variable "
     "\\\"$x\\\" got invalid value [\\\"a\\\"]; String cannot represent a non string value: "
     "[\\\"a\\\"]\",\"locations\":[{\"line\":1,\"column\":32}]}]}"},
    {"input Boolean", SDL, "query ($v: Boolean, $w: Boolean, $x: Boolean) { echo(b: $v) }",
     "{\"v\":false,\"w\":0,\"x\":\"true\"}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$w\\\" got invalid value 0; Boolean cannot "
     "represent a non boolean value: "
     "0\",\"locations\":[{\"line\":1,\"column\":21}]},{\"message\":\"Variable \\\"$x\\\" got "
     "invalid value \\\"true\\\"; Boolean cannot represent a non boolean value: "
     "\\\"true\\\"\",\"locations\":[{\"line\":1,\"column\":34}]}]}"},
    {"input ID", SDL,
     "query ($v: ID, $w: ID, $x: ID, $y: ID, $z: ID) { echo(id: $v) a: echo(id: $w) b: echo(id: "
     "$z) }",
     "{\"v\":\"a\",\"w\":-5,\"x\":1.5,\"y\":{},\"z\":2}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value 1.5; ID cannot represent "
     "value: 1.5\",\"locations\":[{\"line\":1,\"column\":24}]},{\"message\":\"Variable \\\"$y\\\" "
     "got invalid value {}; ID cannot represent value: "
     "{}\",\"locations\":[{\"line\":1,\"column\":32}]}]}"},
    {"input enum", SDL, "query ($v: Color, $w: Color, $x: Color, $y: Color) { echo(c: $v) }",
     "{\"v\":\"RED2\",\"w\":\"RED3\",\"x\":\"BLUEE\",\"y\":true}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$w\\\" got invalid value \\\"RED3\\\"; Value "
     "\\\"RED3\\\" does not exist in \\\"Color\\\" enum. Did you mean the enum value \\\"RED\\\" "
     "or \\\"RED2\\\"?\",\"locations\":[{\"line\":1,\"column\":19}]},{\"message\":\"Variable "
     "\\\"$x\\\" got invalid value \\\"BLUEE\\\"; Value \\\"BLUEE\\\" does not exist in "
     "\\\"Color\\\" enum. Did you mean the enum value "
     "\\\"BLUE\\\"?\",\"locations\":[{\"line\":1,\"column\":30}]},{\"message\":\"Variable "
     "\\\"$y\\\" got invalid value true; Enum \\\"Color\\\" cannot represent non-string value: "
     "true. Did you mean the enum value "
     "\\\"BLUE\\\"?\",\"locations\":[{\"line\":1,\"column\":41}]}]}"},
    {"input enum many suggestions", SDL, "query ($v: Color) { echo(c: $v) }", "{\"v\":\"RE\"}",
     ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"RE\\\"; Value "
     "\\\"RE\\\" does not exist in \\\"Color\\\" enum. Did you mean the enum value "
     "\\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input nested list", SDL, "query ($v: [[Int]]) { echo(lli: $v) }",
     "{\"v\":[[1],2,null,[null,\"x\"]]}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"x\\\" at "
     "\\\"v[3][1]\\\"; Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input nonnull list", SDL, "query ($v: [Int!]!) { echo(lnn: $v) }", "{\"v\":[1,null]}", ROOT,
     NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value null at \\\"v[1]\\\"; "
     "Expected non-nullable type \\\"Int!\\\" not to be "
     "null.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input nonnull list single", SDL, "query ($v: [Int!]!) { echo(lnn: $v) }", "{\"v\":9}", ROOT,
     NULL, "{\"data\":{\"echo\":\"{\\\"lnn\\\":[9]}\"}}"},
    {"input object defaults", SDL, "query ($v: In) { echo(in: $v) }", "{\"v\":{\"x\":1}}", ROOT,
     NULL,
     "{\"data\":{\"echo\":\"{\\\"lnn\\\":[0],\\\"in\\\":{\\\"x\\\":1,\\\"y\\\":[\\\"d1\\\","
     "\\\"d2\\\"],\\\"z\\\":\\\"GREEN\\\"}}\"}}"},
    {"input object explicit null field", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\":{\"x\":1,\"y\":null,\"z\":null}}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"lnn\\\":[0],\\\"in\\\":{\\\"x\\\":1,\\\"y\\\":null,\\\"z\\\":null}"
     "}\"}}"},
    {"input object field order", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\":{\"w\":1.5,\"z\":\"BLUE\",\"x\":2}}", ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"lnn\\\":[0],\\\"in\\\":{\\\"x\\\":2,\\\"y\\\":[\\\"d1\\\","
     "\\\"d2\\\"],\\\"z\\\":\\\"BLUE\\\",\\\"w\\\":1.5}}\"}}"},
    {"input object errors", SDL, "query ($v: In) { echo(in: $v) }",
     "{\"v\":{\"x\":null,\"y\":\"one\",\"z\":\"PINK\",\"q\":1}}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value null at \\\"v.x\\\"; "
     "Expected non-nullable type \\\"Int!\\\" not to be "
     "null.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" got "
     "invalid value \\\"PINK\\\" at \\\"v.z\\\"; Value \\\"PINK\\\" does not exist in "
     "\\\"Color\\\" enum.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable "
     "\\\"$v\\\" got invalid value { x: null, y: \\\"one\\\", z: \\\"PINK\\\", q: 1 }; Field "
     "\\\"q\\\" is not defined by type \\\"In\\\". Did you mean \\\"w\\\", \\\"x\\\", \\\"y\\\", "
     "or \\\"z\\\"?\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input list of objects", SDL, "query ($v: [In!]) { echo(lin: $v) }",
     "{\"v\":[{\"x\":1},null,{\"x\":\"a\"}]}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value null at \\\"v[1]\\\"; "
     "Expected non-nullable type \\\"In!\\\" not to be "
     "null.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" got "
     "invalid value \\\"a\\\" at \\\"v[2].x\\\"; Int cannot represent non-integer value: "
     "\\\"a\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input object single to list", SDL, "query ($v: [In!]) { echo(lin: $v) }", "{\"v\":{\"x\":3}}",
     ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"lnn\\\":[0],\\\"lin\\\":[{\\\"x\\\":3,\\\"y\\\":[\\\"d1\\\","
     "\\\"d2\\\"],\\\"z\\\":\\\"GREEN\\\"}]}\"}}"},
    {"input object not object", SDL, "query ($v: In) { echo(in: $v) }", "{\"v\":\"x\"}", ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"x\\\"; Expected type "
     "\\\"In\\\" to be an object.\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
    {"input many errors capped", SDL, "query ($v: [Int]) { echo(li: $v) }",
     "{\"v\":[\"s0\",\"s1\",\"s2\",\"s3\",\"s4\",\"s5\",\"s6\",\"s7\",\"s8\",\"s9\",\"s10\","
     "\"s11\",\"s12\",\"s13\",\"s14\",\"s15\",\"s16\",\"s17\",\"s18\",\"s19\",\"s20\",\"s21\","
     "\"s22\",\"s23\",\"s24\",\"s25\",\"s26\",\"s27\",\"s28\",\"s29\",\"s30\",\"s31\",\"s32\","
     "\"s33\",\"s34\",\"s35\",\"s36\",\"s37\",\"s38\",\"s39\",\"s40\",\"s41\",\"s42\",\"s43\","
     "\"s44\",\"s45\",\"s46\",\"s47\",\"s48\",\"s49\",\"s50\",\"s51\",\"s52\",\"s53\",\"s54\","
     "\"s55\",\"s56\",\"s57\",\"s58\",\"s59\"]}",
     ROOT, NULL,
     "{\"errors\":[{\"message\":\"Variable \\\"$v\\\" got invalid value \\\"s0\\\" at "
     "\\\"v[0]\\\"; Int cannot represent non-integer value: "
     "\\\"s0\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s1\\\" at \\\"v[1]\\\"; Int cannot represent non-integer value: "
     "\\\"s1\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s2\\\" at \\\"v[2]\\\"; Int cannot represent non-integer value: "
     "\\\"s2\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s3\\\" at \\\"v[3]\\\"; Int cannot represent non-integer value: "
     "\\\"s3\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s4\\\" at \\\"v[4]\\\"; Int cannot represent non-integer value: "
     "\\\"s4\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s5\\\" at \\\"v[5]\\\"; Int cannot represent non-integer value: "
     "\\\"s5\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s6\\\" at \\\"v[6]\\\"; Int cannot represent non-integer value: "
     "\\\"s6\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s7\\\" at \\\"v[7]\\\"; Int cannot represent non-integer value: "
     "\\\"s7\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s8\\\" at \\\"v[8]\\\"; Int cannot represent non-integer value: "
     "\\\"s8\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s9\\\" at \\\"v[9]\\\"; Int cannot represent non-integer value: "
     "\\\"s9\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s10\\\" at \\\"v[10]\\\"; Int cannot represent non-integer value: "
     "\\\"s10\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s11\\\" at \\\"v[11]\\\"; Int cannot represent non-integer value: "
     "\\\"s11\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s12\\\" at \\\"v[12]\\\"; Int cannot represent non-integer value: "
     "\\\"s12\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s13\\\" at \\\"v[13]\\\"; Int cannot represent non-integer value: "
     "\\\"s13\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s14\\\" at \\\"v[14]\\\"; Int cannot represent non-integer value: "
     "\\\"s14\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s15\\\" at \\\"v[15]\\\"; Int cannot represent non-integer value: "
     "\\\"s15\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s16\\\" at \\\"v[16]\\\"; Int cannot represent non-integer value: "
     "\\\"s16\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s17\\\" at \\\"v[17]\\\"; Int cannot represent non-integer value: "
     "\\\"s17\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s18\\\" at \\\"v[18]\\\"; Int cannot represent non-integer value: "
     "\\\"s18\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s19\\\" at \\\"v[19]\\\"; Int cannot represent non-integer value: "
     "\\\"s19\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s20\\\" at \\\"v[20]\\\"; Int cannot represent non-integer value: "
     "\\\"s20\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s21\\\" at \\\"v[21]\\\"; Int cannot represent non-integer value: "
     "\\\"s21\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s22\\\" at \\\"v[22]\\\"; Int cannot represent non-integer value: "
     "\\\"s22\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s23\\\" at \\\"v[23]\\\"; Int cannot represent non-integer value: "
     "\\\"s23\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s24\\\" at \\\"v[24]\\\"; Int cannot represent non-integer value: "
     "\\\"s24\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s25\\\" at \\\"v[25]\\\"; Int cannot represent non-integer value: "
     "\\\"s25\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s26\\\" at \\\"v[26]\\\"; Int cannot represent non-integer value: "
     "\\\"s26\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s27\\\" at \\\"v[27]\\\"; Int cannot represent non-integer value: "
     "\\\"s27\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s28\\\" at \\\"v[28]\\\"; Int cannot represent non-integer value: "
     "\\\"s28\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s29\\\" at \\\"v[29]\\\"; Int cannot represent non-integer value: "
     "\\\"s29\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s30\\\" at \\\"v[30]\\\"; Int cannot represent non-integer value: "
     "\\\"s30\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s31\\\" at \\\"v[31]\\\"; Int cannot represent non-integer value: "
     "\\\"s31\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s32\\\" at \\\"v[32]\\\"; Int cannot represent non-integer value: "
     "\\\"s32\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s33\\\" at \\\"v[33]\\\"; Int cannot represent non-integer value: "
     "\\\"s33\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s34\\\" at \\\"v[34]\\\"; Int cannot represent non-integer value: "
     "\\\"s34\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s35\\\" at \\\"v[35]\\\"; Int cannot represent non-integer value: "
     "\\\"s35\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s36\\\" at \\\"v[36]\\\"; Int cannot represent non-integer value: "
     "\\\"s36\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s37\\\" at \\\"v[37]\\\"; Int cannot represent non-integer value: "
     "\\\"s37\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s38\\\" at \\\"v[38]\\\"; Int cannot represent non-integer value: "
     "\\\"s38\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s39\\\" at \\\"v[39]\\\"; Int cannot represent non-integer value: "
     "\\\"s39\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s40\\\" at \\\"v[40]\\\"; Int cannot represent non-integer value: "
     "\\\"s40\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s41\\\" at \\\"v[41]\\\"; Int cannot represent non-integer value: "
     "\\\"s41\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s42\\\" at \\\"v[42]\\\"; Int cannot represent non-integer value: "
     "\\\"s42\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s43\\\" at \\\"v[43]\\\"; Int cannot represent non-integer value: "
     "\\\"s43\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s44\\\" at \\\"v[44]\\\"; Int cannot represent non-integer value: "
     "\\\"s44\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s45\\\" at \\\"v[45]\\\"; Int cannot represent non-integer value: "
     "\\\"s45\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s46\\\" at \\\"v[46]\\\"; Int cannot represent non-integer value: "
     "\\\"s46\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s47\\\" at \\\"v[47]\\\"; Int cannot represent non-integer value: "
     "\\\"s47\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s48\\\" at \\\"v[48]\\\"; Int cannot represent non-integer value: "
     "\\\"s48\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$v\\\" "
     "got invalid value \\\"s49\\\" at \\\"v[49]\\\"; Int cannot represent non-integer value: "
     "\\\"s49\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Too many errors "
     "processing variables, error limit reached. Execution aborted.\"}]}"},
    {"literal bad Int", SDL, "{ echo(i: 1.5) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"i\\\" has invalid value "
     "1.5.\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{\"echo\":"
     "null}}"},
    {"literal Int out of range", SDL, "{ echo(i: 2147483648) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"i\\\" has invalid value "
     "2147483648.\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal string for Int", SDL, "{ echo(i: \"1\") }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"i\\\" has invalid value "
     "\\\"1\\\".\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal bad enum", SDL, "{ echo(c: PURPLE) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"c\\\" has invalid value "
     "PURPLE.\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal string for enum", SDL, "{ echo(c: \"RED\") }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"c\\\" has invalid value "
     "\\\"RED\\\".\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal object missing field", SDL, "{ echo(in: {y: \"a\"}) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"in\\\" has invalid value {y: "
     "\\\"a\\\"}.\",\"locations\":[{\"line\":1,\"column\":12}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal object ok", SDL, "{ echo(in: {x: 1, z: BLUE, w: 2}) }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"lnn\\\":[0],\\\"in\\\":{\\\"x\\\":1,\\\"y\\\":[\\\"d1\\\","
     "\\\"d2\\\"],\\\"z\\\":\\\"BLUE\\\",\\\"w\\\":2}}\"}}"},
    {"literal list", SDL, "{ echo(li: [1, 2], lli: [[1], [null]], lnn: 3) }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"li\\\":[1,2],\\\"lli\\\":[[1],[null]],\\\"lnn\\\":[3]}\"}}"},
    {"literal bad list item", SDL, "{ echo(li: [1, \"x\"]) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"li\\\" has invalid value [1, "
     "\\\"x\\\"].\",\"locations\":[{\"line\":1,\"column\":12}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal null into nonnull list", SDL, "{ echo(lnn: null) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"lnn\\\" of non-null type \\\"[Int!]!\\\" must not "
     "be "
     "null.\",\"locations\":[{\"line\":1,\"column\":13}],\"path\":[\"echo\"]}],\"data\":{\"echo\":"
     "null}}"},
    {"literal ID int", SDL, "{ echo(id: 123456789012) }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"id\\\":\\\"123456789012\\\",\\\"lnn\\\":[0]}\"}}"},
    {"literal Float from int", SDL, "{ echo(f: -4) }", NULL, ROOT, NULL,
     "{\"data\":{\"echo\":\"{\\\"f\\\":-4,\\\"lnn\\\":[0]}\"}}"},
    {"literal Float bad", SDL, "{ echo(f: \"x\") }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"f\\\" has invalid value "
     "\\\"x\\\".\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{"
     "\"echo\":null}}"},
    {"literal Boolean bad", SDL, "{ echo(b: 1) }", NULL, ROOT, NULL,
     "{\"errors\":[{\"message\":\"Argument \\\"b\\\" has invalid value "
     "1.\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{\"echo\":"
     "null}}"},
};

static void test_graphql_js_parity(void **state) {
    (void)state;
    t_run_cases(coerce_cases, sizeof coerce_cases / sizeof coerce_cases[0]);
}

/* Values only C resolvers produce: 64-bit integers, non-finite floats, raw JSON, enums. */
static int odd_values(const gql_resolve_info_t *info, const gql_val_t *parent,
                      const gql_val_t *args, gql_val_t *out) {
    (void)parent;
    (void)args;
    static gql_val_t items[8];
    items[0] = gql_val_int(INT64_MAX);
    items[1] = gql_val_float(1.0 / 0.0);
    items[2] = gql_val_float(0.0 / 0.0);
    items[3] = (gql_val_t){.kind = GQL_VAL_RAW, .s = LC_STR("{\"raw\":true}")};
    items[4] = gql_val_enum(LC_STR("RED"));
    items[5] = gql_val_float(1e21);
    items[6] = gql_val_float(1e-7);
    items[7] = gql_val_float(123.456);
    lc_str_t n = info->field->name;
    uint32_t count = 8;
    *out = gql_val_list(items, count);
    (void)n;
    return LC_OK;
}

static void test_values_from_c(void **state) {
    (void)state;
    gql_schema_t *s = t_schema("scalar JSON\nenum Color { RED }\n"
                               "type Query { ints: [Int] floats: [Float] strings: [String] "
                               "json: [JSON] colors: [Color] }\n");
    const char *fields[] = {"Query.ints", "Query.floats", "Query.strings", "Query.json",
                            "Query.colors"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(gql_schema_bind(s, fields[i], odd_values, NULL), LC_OK);
    static const struct {
        const char *query, *want;
    } cases[] = {
        {"{ ints }", "{\"data\":{\"ints\":[null,null,null,null,null,null,null,null]},\"errors\":["
                     "{\"message\":\"Int cannot represent non 32-bit signed integer value: "
                     "9223372036854775807\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",0]},"
                     "{\"message\":\"Int cannot represent non-integer value: Infinity\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",1]},"
                     "{\"message\":\"Int cannot represent non-integer value: NaN\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",2]},"
                     "{\"message\":\"Int cannot represent non-integer value: {\\\"raw\\\":true}\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",3]},"
                     "{\"message\":\"Int cannot represent non-integer value: \\\"RED\\\"\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",4]},"
                     "{\"message\":\"Int cannot represent non 32-bit signed integer value: 1e+21\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",5]},"
                     "{\"message\":\"Int cannot represent non-integer value: 1e-7\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",6]},"
                     "{\"message\":\"Int cannot represent non-integer value: 123.456\","
                     "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",7]}]}"},
        {"{ floats }",
         "{\"data\":{\"floats\":[9223372036854775807,null,null,null,null,1e21,1e-7,123.456]},"
         "\"errors\":[{\"message\":\"Float cannot represent non numeric value: Infinity\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",1]},"
         "{\"message\":\"Float cannot represent non numeric value: NaN\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",2]},"
         "{\"message\":\"Float cannot represent non numeric value: {\\\"raw\\\":true}\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",3]},"
         "{\"message\":\"Float cannot represent non numeric value: \\\"RED\\\"\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",4]}]}"},
        {"{ json }",
         "{\"data\":{\"json\":[9223372036854775807,null,null,{\"raw\":true},\"RED\",1e21,1e-7,"
         "123.456]},\"errors\":[{\"message\":\"Expected a value of type \\\"JSON\\\" but received: "
         "Infinity\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"json\",1]},"
         "{\"message\":\"Expected a value of type \\\"JSON\\\" but received: NaN\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"json\",2]}]}"},
        {"{ colors }",
         "{\"data\":{\"colors\":[null,null,null,null,\"RED\",null,null,null]},\"errors\":["
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: 9223372036854775807\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",0]},"
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: Infinity\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",1]},"
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: NaN\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",2]},"
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: {\\\"raw\\\":true}\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",3]},"
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: 1e+21\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",5]},"
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: 1e-7\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",6]},"
         "{\"message\":\"Enum \\\"Color\\\" cannot represent value: 123.456\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"colors\",7]}]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = t_exec(s, cases[i].query, NULL, NULL, NULL);
        t_assert_json(got, cases[i].want, cases[i].query);
        lc_free(got);
    }
    gql_schema_destroy(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphql_js_parity),
        cmocka_unit_test(test_values_from_c),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
