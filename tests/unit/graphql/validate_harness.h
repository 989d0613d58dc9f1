/* SPDX-License-Identifier: MIT */
/* Helpers of the validator's unit tests (test_validate*.c), after graphql-js's
 * src/validation/__tests__/harness.ts: its testSchema as SDL, and table runners that parse a
 * query, validate it with one rule (or all) and compare the errors, in order, with the
 * expected "message @ line:column, line:column" strings. Cases come from graphql-js 16's rule
 * tests, with their original white space so that the locations are theirs. */
#ifndef GQL_TEST_VALIDATE_HARNESS_H
#define GQL_TEST_VALIDATE_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>

#include "../../../src/graphql/validate_int.h"
#include "gql/parse.h"
#include "gql/validate.h"
#include "support.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))
#define VH_MAX_ERRORS 16

/* graphql-js harness.ts testSchema (its OneOfInput left out: no @oneOf here). */
static const char vh_test_sdl[] =
    "interface Mammal {\n"
    "  mother: Mammal\n"
    "  father: Mammal\n"
    "}\n"
    "interface Pet {\n"
    "  name(surname: Boolean): String\n"
    "}\n"
    "interface Canine implements Mammal {\n"
    "  name(surname: Boolean): String\n"
    "  mother: Canine\n"
    "  father: Canine\n"
    "}\n"
    "enum DogCommand {\n"
    "  SIT\n"
    "  HEEL\n"
    "  DOWN\n"
    "}\n"
    "type Dog implements Pet & Mammal & Canine {\n"
    "  name(surname: Boolean): String\n"
    "  nickname: String\n"
    "  barkVolume: Int\n"
    "  barks: Boolean\n"
    "  doesKnowCommand(dogCommand: DogCommand): Boolean\n"
    "  isHouseTrained(atOtherHomes: Boolean = true): Boolean\n"
    "  isAtLocation(x: Int, y: Int): Boolean\n"
    "  mother: Dog\n"
    "  father: Dog\n"
    "}\n"
    "type Cat implements Pet {\n"
    "  name(surname: Boolean): String\n"
    "  nickname: String\n"
    "  meows: Boolean\n"
    "  meowsVolume: Int\n"
    "  furColor: FurColor\n"
    "}\n"
    "union CatOrDog = Cat | Dog\n"
    "type Human {\n"
    "  name(surname: Boolean): String\n"
    "  pets: [Pet]\n"
    "  relatives: [Human]!\n"
    "}\n"
    "enum FurColor {\n"
    "  BROWN\n"
    "  BLACK\n"
    "  TAN\n"
    "  SPOTTED\n"
    "  NO_FUR\n"
    "  UNKNOWN\n"
    "}\n"
    "input ComplexInput {\n"
    "  requiredField: Boolean!\n"
    "  nonNullField: Boolean! = false\n"
    "  intField: Int\n"
    "  stringField: String\n"
    "  booleanField: Boolean\n"
    "  stringListField: [String]\n"
    "}\n"
    "type ComplicatedArgs {\n"
    "  intArgField(intArg: Int): String\n"
    "  nonNullIntArgField(nonNullIntArg: Int!): String\n"
    "  stringArgField(stringArg: String): String\n"
    "  booleanArgField(booleanArg: Boolean): String\n"
    "  enumArgField(enumArg: FurColor): String\n"
    "  floatArgField(floatArg: Float): String\n"
    "  idArgField(idArg: ID): String\n"
    "  stringListArgField(stringListArg: [String]): String\n"
    "  stringListNonNullArgField(stringListNonNullArg: [String!]): String\n"
    "  complexArgField(complexArg: ComplexInput): String\n"
    "  multipleReqs(req1: Int!, req2: Int!): String\n"
    "  nonNullFieldWithDefault(arg: Int! = 0): String\n"
    "  multipleOpts(opt1: Int = 0, opt2: Int = 0): String\n"
    "  multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String\n"
    "}\n"
    "type QueryRoot {\n"
    "  human(id: ID): Human\n"
    "  dog: Dog\n"
    "  cat: Cat\n"
    "  pet: Pet\n"
    "  catOrDog: CatOrDog\n"
    "  complicatedArgs: ComplicatedArgs\n"
    "}\n"
    "schema {\n"
    "  query: QueryRoot\n"
    "}\n"
    "directive @onField on FIELD\n";

/* With VH_DUMP=<file> in the environment, every case run is appended to <file> as a JSON line
 * {sdl, rules, query, got}, for checking against graphql-js itself (see vh_run). The SDL is the
 * one of the schema in use; NULL (not dumped) for schemas with bound hooks. */
static const char *vh_current_sdl = vh_test_sdl;

static inline void vh_dump(uint32_t rules, const char *query, const char *const *got, uint32_t n) {
    const char *path = getenv("VH_DUMP");
    if (!path || !vh_current_sdl)
        return;
    json_t *g = json_array();
    for (uint32_t i = 0; i < n; i++)
        json_array_append_new(g, json_string(got[i]));
    json_t *o = json_pack("{s:s,s:i,s:s,s:o}", "sdl", vh_current_sdl, "rules", (json_int_t)rules,
                          "query", query, "got", g);
    char *line = json_dumps(o, JSON_COMPACT);
    FILE *f = fopen(path, "a");
    if (f && line)
        fprintf(f, "%s\n", line);
    if (f)
        fclose(f);
    free(line);
    json_decref(o);
}

typedef struct vh_case {
    const char *query;
    const char *want[VH_MAX_ERRORS]; /* "message @ line:col, line:col", NULL after the last */
} vh_case_t;

/* Runs `query` with the rules in `rules` and writes each error as a string into got[] (arena);
 * returns the number of errors, or fails the test when the query does not parse. */
static inline uint32_t vh_errors(lc_arena_t *a, const gql_schema_t *s, uint32_t rules,
                                 uint32_t max_errors, const char *query, const char **got,
                                 uint32_t cap, int *status) {
    gql_document_t *doc = NULL;
    gql_error_t perr;
    gql_diags_t d;
    uint32_t n = 0;

    if (gql_parse_document(a, query, strlen(query), NULL, &doc, &perr) != LC_OK)
        fail_msg("query does not parse (%u:%u %s):\n%s", (unsigned)perr.loc.line,
                 (unsigned)perr.loc.column, perr.message, query);
    gql_diags_init(&d, a, 0);
    int rc = gql__validate_rules(a, s, doc, max_errors, rules, &d);
    if (status)
        *status = rc;
    for (const gql_diag_t *e = d.head; e; e = e->next) {
        lc_buf_t b;
        lc_buf_init(&b, a, 0, 0);
        lc_buf_append_str(&b, e->message);
        for (uint32_t i = 0; i < e->nlocations; i++)
            lc_buf_printf(&b, "%s%u:%u", i ? ", " : " @ ", (unsigned)e->locations[i].line,
                          (unsigned)e->locations[i].column);
        assert_int_equal(lc_buf_terminate(&b), LC_OK);
        if (n < cap)
            got[n] = b.data;
        n++;
    }
    if ((rc == LC_OK) != (d.count == 0))
        fail_msg("status %d with %u errors:\n%s", rc, (unsigned)d.count, query);
    return n;
}

static inline void vh_run(const gql_schema_t *s, uint32_t rules, const vh_case_t *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        lc_arena_t a;
        const char *got[VH_MAX_ERRORS + 4];
        uint32_t nwant = 0;
        lc_arena_init(&a, 0, 0);
        uint32_t ngot = vh_errors(&a, s, rules, 0, cases[i].query, got, N_(got), NULL);
        vh_dump(rules, cases[i].query, got, ngot < N_(got) ? ngot : N_(got));
        while (nwant < VH_MAX_ERRORS && cases[i].want[nwant])
            nwant++;
        bool ok = ngot == nwant;
        for (uint32_t k = 0; ok && k < nwant; k++)
            ok = strcmp(got[k], cases[i].want[k]) == 0;
        if (!ok) {
            lc_buf_t b;
            lc_buf_init(&b, &a, 0, 0);
            lc_buf_printf(&b, "case %zu:%s\n  want %u:", i, cases[i].query, (unsigned)nwant);
            for (uint32_t k = 0; k < nwant; k++)
                lc_buf_printf(&b, "\n    [%s]", cases[i].want[k]);
            lc_buf_printf(&b, "\n  got %u:", (unsigned)ngot);
            for (uint32_t k = 0; k < ngot && k < N_(got); k++)
                lc_buf_printf(&b, "\n    [%s]", got[k]);
            (void)lc_buf_terminate(&b);
            fprintf(stderr, "%s\n", b.data); /* cmocka truncates long messages */
            fail_msg("case %zu differs", i);
        }
        lc_arena_dispose(&a);
    }
}

/* The same against a schema built from `sdl` for these cases only. */
static inline void vh_run_sdl(const char *sdl, uint32_t rules, const vh_case_t *cases, size_t n) {
    gql_schema_t *s = t_schema(sdl);
    const char *was = vh_current_sdl;
    vh_current_sdl = sdl;
    vh_run(s, rules, cases, n);
    vh_current_sdl = was;
    gql_schema_destroy(s);
}

#define VH_RULE(id) GQL__RULE_BIT(id)

/* Time a hostile document may take: generous, as the quadratic versions take seconds to
 * minutes; more under sanitizers. */
#if defined(__SANITIZE_ADDRESS__)
#define VH_FAST_SECONDS 4.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VH_FAST_SECONDS 4.0
#endif
#endif
#ifndef VH_FAST_SECONDS
#define VH_FAST_SECONDS 1.0
#endif

#endif
