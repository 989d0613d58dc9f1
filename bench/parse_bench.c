/* SPDX-License-Identifier: MIT */
/* parse-bench: the cold cost of a query that is not in the document cache yet — lexing and
 * parsing (gql_parse_document) and validating (gql_validate) — in ns/op, for the songs
 * benchmark's queries and for graphql-js's full introspection query, against the songs schema.
 * Each iteration resets one arena, as a request does.
 *
 *     build/release/bench/parse-bench [iterations]      (default 200000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gql/parse.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "lectern/embed.h"

extern const lc_embed_file_t lc_parse_bench_files[];

/* graphql-js 16's getIntrospectionQuery() with descriptions, as IDEs send it (abridged of
 * nothing: the whole document, fragments included). */
static const char introspection[] =
    "query IntrospectionQuery { __schema { queryType { name } mutationType { name } "
    "subscriptionType { name } types { ...FullType } directives { name description "
    "isRepeatable locations args { ...InputValue } } } } "
    "fragment FullType on __Type { kind name description specifiedByURL "
    "fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef "
    "} isDeprecated deprecationReason } inputFields { ...InputValue } interfaces { ...TypeRef } "
    "enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } "
    "possibleTypes { ...TypeRef } } "
    "fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } "
    "fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind "
    "name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } "
    "} }";

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Runs `iterations` parses (and validations when `validate`) of q; returns ns/op, or -1. */
static double measure(const gql_schema_t *schema, const char *q, long iterations, bool validate) {
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    double t0 = now_ns();
    for (long i = 0; i < iterations; i++) {
        lc_arena_reset(&a);
        gql_document_t *doc;
        gql_error_t err;
        if (gql_parse_document(&a, q, strlen(q), NULL, &doc, &err) != LC_OK) {
            fprintf(stderr, "parse-bench: %s\n", err.message);
            lc_arena_dispose(&a);
            return -1;
        }
        if (validate) {
            gql_diags_t d;
            gql_diags_init(&d, &a, 0);
            if (gql_validate(&a, schema, doc, NULL, &d) != LC_OK) {
                fprintf(stderr, "parse-bench: the query does not validate\n");
                lc_arena_dispose(&a);
                return -1;
            }
        }
    }
    double ns = (now_ns() - t0) / (double)iterations;
    lc_arena_dispose(&a);
    return ns;
}

int main(int argc, char **argv) {
    long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
    if (iterations <= 0) {
        fprintf(stderr, "usage: parse-bench [iterations]\n");
        return 2;
    }
    const lc_embed_file_t *sdl = &lc_parse_bench_files[0];
    gql_schema_t *schema = NULL;
    if (gql_schema_build((const char *)sdl->data, sdl->len, NULL, &schema) != LC_OK) {
        fprintf(stderr, "parse-bench: the songs schema does not build\n");
        return 1;
    }
    static const struct {
        const char *name;
        const char *query;
        long scale; /* fewer iterations for the long document */
    } cases[] = {
        {"simple", "{artists{name,origin,songs{name,duration,likes}}}", 1},
        {"complex",
         "{artists{name,origin,songs{name,duration,likes}},__schema{types{name,fields{name}}}}", 1},
        {"post", "mutation{like(artist:\"Fazerdaze\",song:\"Jennifer\"){likes}}", 1},
        {"introspection", introspection, 10},
    };
    int rc = 0;
    printf("parse-bench: %ld iterations (introspection: %ld), ns/op\n", iterations,
           iterations / 10);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long n = iterations / cases[i].scale;
        double parse = measure(schema, cases[i].query, n, false);
        double both = measure(schema, cases[i].query, n, true);
        if (parse < 0 || both < 0) {
            rc = 1;
            continue;
        }
        printf("  %-14s %5zu bytes   parse %8.0f   parse+validate %8.0f\n", cases[i].name,
               strlen(cases[i].query), parse, both);
    }
    gql_schema_destroy(schema);
    return rc;
}
