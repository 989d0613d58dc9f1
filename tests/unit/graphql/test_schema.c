/* SPDX-License-Identifier: MIT */
/* Unit tests of the schema layer (src/graphql/schema*.c): SDL of every kind builds and looks up
 * right (types, fields, arguments, defaults, deprecation, possible types, interned wrappers,
 * the built-ins and introspection types, meta-fields); every invalid SDL is refused with
 * graphql-js's messages and locations; binding errors; clean LC_ENOMEM under allocation
 * faults. Expected messages and locations of the invalid table were checked against
 * graphql-js 16 (buildSchema + validateSchema) where graphql-js checks the rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "gql/print.h"
#include "gql/schema.h"
#include "lectern/alloc.h"

#define N_(t) (sizeof(t) / sizeof((t)[0]))
#define S_(s) (int)(s).len, (s).ptr

/* ---- Fixtures ---------------------------------------------------------------------------- */

/* /work/shared/fixtures/songs/songs.graphql (the benchmark schema). */
static const char songs_sdl[] = "type Query {\n"
                                "  artist(name: String!): Artist\n"
                                "  artists: [Artist]\n"
                                "}\n"
                                "\n"
                                "type Mutation {\n"
                                "  like(artist: String!, song: String!): Song\n"
                                "}\n"
                                "\n"
                                "type Artist {\n"
                                "  name: String!\n"
                                "  songs: [Song]\n"
                                "  origin: [String]\n"
                                "}\n"
                                "\n"
                                "type Song {\n"
                                "  name: String!\n"
                                "  artist: Artist\n"
                                "  duration: Int\n"
                                "  release: Date\n"
                                "  likes: Int\n"
                                "}\n"
                                "\n"
                                "scalar Date\n";

/* Every kind, extensions of every kind, interfaces implementing interfaces, descriptions
 * (string and block), deprecation everywhere it may be, @specifiedBy, custom directives
 * (repeatable, with defaults), a schema definition with description and extension. */
static const char rich_sdl[] =
    "\"\"\"\n"
    "The root of it all.\n"
    "Second line with \"quotes\" and \\ backslash.\n"
    "\"\"\"\n"
    "schema @tag(name: \"s\") {\n"
    "  query: Root\n"
    "  mutation: Mut\n"
    "}\n"
    "\n"
    "\"A custom tag\"\n"
    "directive @tag(name: String!) repeatable on SCHEMA | OBJECT | FIELD_DEFINITION | INTERFACE "
    "| UNION | ENUM | ENUM_VALUE | SCALAR | INPUT_OBJECT | INPUT_FIELD_DEFINITION | "
    "ARGUMENT_DEFINITION\n"
    "\n"
    "directive @auth(requires: Role = ADMIN, scopes: [String!] = [\"read\"]) on FIELD_DEFINITION "
    "| OBJECT\n"
    "\n"
    "\"\"\"Node interface\"\"\"\n"
    "interface Node {\n"
    "  id: ID!\n"
    "}\n"
    "\n"
    "interface Resource implements Node {\n"
    "  id: ID!\n"
    "  url(absolute: Boolean = false): String\n"
    "}\n"
    "\n"
    "type Image implements Resource & Node @tag(name: \"img\") {\n"
    "  id: ID!\n"
    "  url(absolute: Boolean = false, size: Int = 100): String\n"
    "  width: Int @deprecated\n"
    "  height: Int @deprecated(reason: \"Use `size`.\")\n"
    "}\n"
    "\n"
    "type Page implements Node & Resource {\n"
    "  id: ID!\n"
    "  url(absolute: Boolean = false): String\n"
    "  title: String! @auth(requires: USER)\n"
    "}\n"
    "\n"
    "union Media = Image | Page\n"
    "\n"
    "extend union Media @tag(name: \"m\")\n"
    "\n"
    "enum Role {\n"
    "  \"Administrators\"\n"
    "  ADMIN\n"
    "  USER @deprecated(reason: \"Use MEMBER\")\n"
    "  GUEST @deprecated\n"
    "}\n"
    "\n"
    "extend enum Role {\n"
    "  MEMBER\n"
    "}\n"
    "\n"
    "scalar DateTime @specifiedBy(url: \"https://tools.ietf.org/html/rfc3339\")\n"
    "\n"
    "\"\"\"\n"
    "An input with block description\n"
    "\n"
    "  indented line\n"
    "\"\"\"\n"
    "input Filter {\n"
    "  \"the kinds\"\n"
    "  kinds: [Role!] = [ADMIN, USER]\n"
    "  after: DateTime\n"
    "  nested: Filter\n"
    "  limit: Int = 10 @deprecated(reason: \"use first\")\n"
    "  first: Int! = 5\n"
    "  obj: Point = { x: 1.5, y: -2 }\n"
    "}\n"
    "\n"
    "input Point {\n"
    "  x: Float!\n"
    "  y: Float!\n"
    "}\n"
    "\n"
    "extend input Filter {\n"
    "  text: String = \"hello\\nworld\"\n"
    "}\n"
    "\n"
    "type Root @auth {\n"
    "  node(id: ID!): Node\n"
    "  search(filter: Filter = { kinds: [GUEST], first: 3 }, old: Int @deprecated): [Media!]!\n"
    "  nodes(ids: [ID!]!): [[Node]!]\n"
    "  when: DateTime\n"
    "  \"Same type as `search`, to check interning\"\n"
    "  again: [Media!]!\n"
    "}\n"
    "\n"
    "extend type Root {\n"
    "  role: Role\n"
    "}\n"
    "\n"
    "type Mut {\n"
    "  set(role: Role! = USER, reason: String @deprecated(reason: null)): Boolean\n"
    "}\n"
    "\n"
    "extend schema @tag(name: \"t\")\n"
    "\n"
    "extend interface Node @tag(name: \"n\")\n"
    "\n"
    "extend scalar DateTime @tag(name: \"d\")\n"
    "\n"
    "type Sub { tick: Int }\n"
    "\n"
    "extend schema { subscription: Sub }\n";

/* Interfaces implementing interfaces, three levels, and the defaults of the root types. */
static const char ifaces_sdl[] = "interface A { a: Int }\n"
                                 "interface B implements A { a: Int b: Int }\n"
                                 "interface C implements B & A { a: Int b: Int c: Int }\n"
                                 "type X implements C & B & A { a: Int b: Int c: Int x: Int }\n"
                                 "type Y implements A { a: Int }\n"
                                 "type Z { z: Int }\n"
                                 "union XY = X | Y\n"
                                 "type Query { c: C cs: [C] xy: XY }\n"
                                 "type Mutation { m: Int }\n"
                                 "type Subscription { s: Int }\n";

static const char *const valid_sdls[] = {songs_sdl, rich_sdl, ifaces_sdl};

static gql_schema_t *build_ok(const char *sdl) {
    lc_arena_t a;
    gql_diags_t d;
    gql_schema_t *s = NULL;
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 0);
    int rc = gql_schema_build(sdl, strlen(sdl), &d, &s);
    for (const gql_diag_t *x = d.head; x; x = x->next)
        print_error("unexpected: %.*s (%u:%u)\n", S_(x->message),
                    x->nlocations ? x->locations[0].line : 0,
                    x->nlocations ? x->locations[0].column : 0);
    assert_int_equal(rc, LC_OK);
    assert_int_equal(d.count, 0);
    assert_non_null(s);
    lc_arena_dispose(&a);
    return s;
}

static const gql_schema_type_t *type_named(const gql_schema_t *s, const char *name) {
    const gql_schema_type_t *t = gql_schema_find_type(s, lc_str_from(name));
    if (!t)
        fail_msg("no type %s", name);
    return t;
}

static const gql_schema_field_t *field_at(const gql_schema_t *s, const char *type,
                                          const char *field) {
    const gql_schema_field_t *f =
        gql_schema_find_field(s, type_named(s, type), lc_str_from(field), false);
    if (!f)
        fail_msg("no field %s.%s", type, field);
    return f;
}

/* "Type.field", "Type.field(arg:)", "Input.field", "Enum.VALUE", "@dir(arg:)": the input value
 * named, or NULL with *field / *value set for fields and enum values. */
typedef struct coord {
    const gql_schema_type_t *type;
    const gql_schema_field_t *field;
    const gql_schema_input_value_t *input;
    const gql_schema_enum_value_t *value;
    const gql_schema_directive_t *directive;
} coord_t;

static coord_t resolve_coord(const gql_schema_t *s, const char *c) {
    coord_t r = {0};
    char type[128] = {0}, member[128] = {0}, arg[128] = {0};
    const char *dot = strchr(c, '.'), *paren = strchr(c, '(');
    if (c[0] == '@') {
        snprintf(type, sizeof type, "%.*s", (int)(paren - c - 1), c + 1);
        snprintf(arg, sizeof arg, "%.*s", (int)(strlen(paren) - 3), paren + 1);
        r.directive = gql_schema_find_directive(s, lc_str_from(type));
        assert_non_null(r.directive);
        for (uint32_t i = 0; i < r.directive->nargs; i++)
            if (lc_str_eq_cstr(r.directive->args[i].name, arg))
                r.input = &r.directive->args[i];
        if (!r.input)
            fail_msg("no %s", c);
        return r;
    }
    snprintf(type, sizeof type, "%.*s", (int)(dot - c), c);
    if (paren) {
        snprintf(member, sizeof member, "%.*s", (int)(paren - dot - 1), dot + 1);
        snprintf(arg, sizeof arg, "%.*s", (int)(strlen(paren) - 3), paren + 1);
    } else {
        snprintf(member, sizeof member, "%s", dot + 1);
    }
    r.type = type_named(s, type);
    if (r.type->kind == GQL_TK_INPUT_OBJECT) {
        for (uint32_t i = 0; i < r.type->ninput_fields; i++)
            if (lc_str_eq_cstr(r.type->input_fields[i].name, member))
                r.input = &r.type->input_fields[i];
    } else if (r.type->kind == GQL_TK_ENUM) {
        for (uint32_t i = 0; i < r.type->nvalues; i++)
            if (lc_str_eq_cstr(r.type->values[i].name, member))
                r.value = &r.type->values[i];
    } else {
        r.field = field_at(s, type, member);
        if (paren)
            for (uint32_t i = 0; i < r.field->nargs; i++)
                if (lc_str_eq_cstr(r.field->args[i].name, arg))
                    r.input = &r.field->args[i];
    }
    if (!r.input && !r.value && !(r.field && !paren))
        fail_msg("no %s", c);
    return r;
}

static void assert_type_str(const gql_schema_type_t *t, const char *want) {
    char mem[256];
    lc_buf_t b;
    lc_buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(gql_type_print(&b, t), LC_OK);
    if (b.len != strlen(want) || memcmp(mem, want, b.len) != 0)
        fail_msg("type %.*s, want %s", (int)b.len, mem, want);
}

static void assert_str(lc_str_t got, const char *want) {
    if (!want) {
        if (got.ptr)
            fail_msg("got \"%.*s\", want none", S_(got));
        return;
    }
    if (!got.ptr || !lc_str_eq_cstr(got, want))
        fail_msg("got \"%.*s\", want \"%s\"", got.ptr ? (int)got.len : 6,
                 got.ptr ? got.ptr : "(null)", want);
}

static int teardown(void **state) {
    (void)state;
    lc_alloc_fail_reset();
    return 0;
}

/* ---- Valid schemas: structural invariants ---------------------------------------------- */

static void check_wrapper_chain(const gql_schema_type_t *t) {
    for (; t && t->kind >= GQL_TK_LIST; t = t->of_type) {
        assert_null(t->name.ptr);
        assert_non_null(t->of_type);
        if (t->kind == GQL_TK_LIST)
            assert_ptr_equal(t->of_type->list_of, t);
        else
            assert_ptr_equal(t->of_type->non_null_of, t);
    }
}

static void check_invariants(const gql_schema_t *s) {
    /* Int, Float and ID are there only when named (test_unreferenced_scalars). */
    static const char *const builtins[] = {
        "String",  "Boolean",      "__Schema",    "__Type",      "__TypeKind",
        "__Field", "__InputValue", "__EnumValue", "__Directive", "__DirectiveLocation",
    };
    for (size_t i = 0; i < N_(builtins); i++)
        assert_true(type_named(s, builtins[i])->builtin);
    static const char *const optional[] = {"Int", "Float", "ID"};
    for (size_t i = 0; i < N_(optional); i++) {
        const gql_schema_type_t *t = gql_schema_find_type(s, lc_str_from(optional[i]));
        assert_true(!t || t->builtin);
    }
    assert_non_null(s->query);
    assert_int_equal(s->query->kind, GQL_TK_OBJECT);
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_schema_type_t *t = s->types[i];
        assert_int_equal(t->index, i);
        assert_ptr_equal(gql_schema_find_type(s, t->name), t);
        if (i > 0) {
            const gql_schema_type_t *p = s->types[i - 1];
            size_t n = p->name.len < t->name.len ? p->name.len : t->name.len;
            int c = memcmp(p->name.ptr, t->name.ptr, n);
            assert_true(c < 0 || (c == 0 && p->name.len < t->name.len));
        }
        if (!t->builtin)
            assert_non_null(t->ast);
        for (uint32_t k = 0; k < t->nfields; k++) {
            const gql_schema_field_t *f = &t->fields[k];
            assert_ptr_equal(gql_schema_find_field(s, t, f->name, false), f);
            assert_ptr_equal(gql_schema_find_field(s, t, f->name, true), f);
            assert_ptr_equal(f->parent, t);
            assert_non_null(f->type);
            check_wrapper_chain(f->type);
            for (uint32_t a = 0; a < f->nargs; a++)
                check_wrapper_chain(f->args[a].type);
        }
        for (uint32_t k = 0; k < t->ninput_fields; k++)
            check_wrapper_chain(t->input_fields[k].type);
        for (uint32_t k = 0; k < t->npossible; k++) {
            assert_int_equal(t->possible_types[k]->kind, GQL_TK_OBJECT);
            assert_true(gql_schema_is_possible_type(s, t, t->possible_types[k]));
        }
        for (uint32_t k = 0; k < t->ninterfaces; k++) {
            const gql_schema_type_t *iface = t->interfaces[k];
            assert_true(gql_schema_is_possible_type(s, iface, t));
            bool listed = t->kind != GQL_TK_OBJECT;
            for (uint32_t j = 0; j < iface->npossible; j++)
                listed |= iface->possible_types[j] == t;
            assert_true(listed);
        }
        assert_true(gql_schema_is_possible_type(s, t, t));
        if (t->list_of)
            assert_ptr_equal(t->list_of->of_type, t);
    }
    for (uint32_t i = 0; i < s->ndirectives; i++)
        assert_ptr_equal(gql_schema_find_directive(s, s->directives[i]->name), s->directives[i]);
    assert_null(gql_schema_find_type(s, LC_STR("NoSuchType")));
    assert_null(gql_schema_find_type(s, LC_STR("")));
    assert_null(gql_schema_find_directive(s, LC_STR("nope")));
}

static void test_valid_sdls(void **state) {
    (void)state;
    static const struct {
        const char *name, *sdl;
    } more[] = {
        /* Checked by graphql-js to be valid too. */
        {"iface covariance ok",
         "type Query implements I { a: Int!, b: [Query!]!, c: Query }\ninterface I { a: Int, b: "
         "[I], c: I }"},
        {"extra optional arg ok", "type Query implements I { a(x: Int, y: Int! = 1, z: Int): Int "
                                  "}\ninterface I { a(x: Int): Int }"},
        {"input cycle broken by list", "type Query { a(i: A): Int }\ninput A { self: [A!]! }"},
        {"input cycle broken by nullable",
         "type Query { a(i: A): Int }\ninput A { b: B! }\ninput B { a: A }"},
        {"repeatable ok", "directive @tag(name: String) repeatable on FIELD_DEFINITION\ntype "
                          "Query { a: Int @tag(name: \"x\") @tag(name: \"y\") }"},
        {"deprecated optional ok",
         "type Query { a(x: Int @deprecated, y: Int! = 2 @deprecated): Int }"},
        {"good defaults",
         "type Query { a(x: [Int] = 1, y: I = {x: 1, l: [A]}, z: ID = 4, f: Float = 1, n: Int = "
         "null, c: Custom = {any: [thing]}): Int }\ninput I { x: Int!, l: [E!] }\nenum E { "
         "A }\nscalar Custom"},
        {"redefine builtin scalar ok", "type Query { a: String }\nscalar String"},
        {"directive used before its definition",
         "type Query { a: Int @d(x: 1) }\ndirective @d(x: Int) on FIELD_DEFINITION"},
        {"unicode description", "\"\"\"Grüße, 日本, 🎉\"\"\"\ntype Query { a: Int }"},
        {"every extension kind",
         "type Query { a: Int }\nextend type Query { b: Int }\ninterface I { a: Int }\nextend "
         "interface I { b: Int }\nunion U = Query\ntype O { a: Int }\nextend union U = O\nenum E "
         "{ A }\nextend enum E { B }\ninput In { a: Int }\nextend input In { b: Int }\nscalar "
         "S\ndirective @d on SCALAR\nextend scalar S @d"},
        {"comments and commas", "# comment\ntype Query {\n  a: Int, # trailing\n  b: Int,\n}"},
        {"root via schema extension only", "type Q { a: Int }\nextend schema { query: Q }"},
    };
    for (size_t i = 0; i < N_(valid_sdls); i++) {
        gql_schema_t *s = build_ok(valid_sdls[i]);
        check_invariants(s);
        gql_schema_destroy(s);
    }
    for (size_t i = 0; i < N_(more); i++) {
        gql_schema_t *s = NULL;
        lc_arena_t a;
        gql_diags_t d;
        lc_arena_init(&a, 0, 0);
        gql_diags_init(&d, &a, 0);
        int rc = gql_schema_build(more[i].sdl, strlen(more[i].sdl), &d, &s);
        if (rc != LC_OK)
            fail_msg("%s: rc %d, first error: %.*s", more[i].name, rc,
                     d.head ? (int)d.head->message.len : 0, d.head ? d.head->message.ptr : "");
        check_invariants(s);
        gql_schema_destroy(s);
        lc_arena_dispose(&a);
    }
}

/* ---- Lookups: types of fields, arguments, input fields ------------------------------------ */

static void test_type_refs(void **state) {
    (void)state;
    static const struct {
        int sdl;
        const char *coord, *type;
    } cases[] = {
        {0, "Query.artist", "Artist"},
        {0, "Query.artist(name:)", "String!"},
        {0, "Query.artists", "[Artist]"},
        {0, "Mutation.like(song:)", "String!"},
        {0, "Song.release", "Date"},
        {0, "Artist.origin", "[String]"},
        {1, "Root.search", "[Media!]!"},
        {1, "Root.nodes", "[[Node]!]"},
        {1, "Root.nodes(ids:)", "[ID!]!"},
        {1, "Root.search(filter:)", "Filter"},
        {1, "Root.role", "Role"},
        {1, "Filter.kinds", "[Role!]"},
        {1, "Filter.first", "Int!"},
        {1, "Point.x", "Float!"},
        {1, "Filter.text", "String"},
        {1, "Image.url(size:)", "Int"},
        {1, "Mut.set(role:)", "Role!"},
        {1, "@auth(scopes:)", "[String!]"},
        {1, "@tag(name:)", "String!"},
        {1, "@deprecated(reason:)", "String"},
        {1, "@include(if:)", "Boolean!"},
        {1, "__Schema.types", "[__Type!]!"},
        {1, "__Type.fields", "[__Field!]"},
        {1, "__Type.fields(includeDeprecated:)", "Boolean"},
        {1, "__Directive.locations", "[__DirectiveLocation!]!"},
        {2, "X.c", "Int"},
        {2, "Query.xy", "XY"},
    };
    gql_schema_t *schemas[N_(valid_sdls)];
    for (size_t i = 0; i < N_(valid_sdls); i++)
        schemas[i] = build_ok(valid_sdls[i]);
    for (size_t i = 0; i < N_(cases); i++) {
        coord_t c = resolve_coord(schemas[cases[i].sdl], cases[i].coord);
        assert_type_str(c.input ? c.input->type : c.field->type, cases[i].type);
        assert_ptr_equal(
            gql_type_named(c.input ? c.input->type : c.field->type),
            gql_schema_find_type(schemas[cases[i].sdl],
                                 gql_type_named(c.input ? c.input->type : c.field->type)->name));
    }
    for (size_t i = 0; i < N_(valid_sdls); i++)
        gql_schema_destroy(schemas[i]);
}

static void test_interned_wrappers(void **state) {
    (void)state;
    gql_schema_t *s = build_ok(rich_sdl);
    const gql_schema_field_t *search = field_at(s, "Root", "search");
    const gql_schema_field_t *again = field_at(s, "Root", "again");
    const gql_schema_type_t *media = type_named(s, "Media");
    assert_ptr_equal(search->type, again->type);
    assert_ptr_equal(search->type, media->non_null_of->list_of->non_null_of);
    assert_int_equal(search->type->kind, GQL_TK_NON_NULL);
    assert_int_equal(search->type->of_type->kind, GQL_TK_LIST);
    assert_ptr_equal(gql_type_named(search->type), media);
    /* ID! is shared by every `id` field and by the node(id:) argument. */
    assert_ptr_equal(field_at(s, "Node", "id")->type, field_at(s, "Image", "id")->type);
    assert_ptr_equal(field_at(s, "Root", "node")->args[0].type, field_at(s, "Page", "id")->type);
    /* A type never used as [T] has no list wrapper. */
    assert_null(type_named(s, "Point")->list_of);
    assert_null(gql_type_named(NULL));
    gql_schema_destroy(s);
}

static void test_defaults(void **state) {
    (void)state;
    static const struct {
        const char *coord, *printed; /* NULL: no default */
    } cases[] = {
        {"Image.url(absolute:)", "false"},
        {"Image.url(size:)", "100"},
        {"Filter.kinds", "[ADMIN, USER]"},
        {"Filter.after", NULL},
        {"Filter.first", "5"},
        {"Filter.obj", "{x: 1.5, y: -2}"},
        {"Filter.text", "\"hello\\nworld\""},
        {"Root.search(filter:)", "{kinds: [GUEST], first: 3}"},
        {"Root.node(id:)", NULL},
        {"Mut.set(role:)", "USER"},
        {"@auth(requires:)", "ADMIN"},
        {"@auth(scopes:)", "[\"read\"]"},
        {"@deprecated(reason:)", "\"No longer supported\""},
        {"__Type.fields(includeDeprecated:)", "false"},
        {"__Field.args(includeDeprecated:)", "false"},
        {"__Directive.args(includeDeprecated:)", "false"},
        {"__Type.inputFields(includeDeprecated:)", "false"},
        {"__Type.enumValues(includeDeprecated:)", "false"},
    };
    gql_schema_t *s = build_ok(rich_sdl);
    for (size_t i = 0; i < N_(cases); i++) {
        coord_t c = resolve_coord(s, cases[i].coord);
        assert_non_null(c.input);
        if (!cases[i].printed) {
            assert_null(c.input->default_value);
            continue;
        }
        assert_non_null(c.input->default_value);
        char mem[256];
        lc_buf_t b;
        lc_buf_init_fixed(&b, mem, sizeof mem);
        assert_int_equal(gql_print_value(&b, c.input->default_value), LC_OK);
        if (b.len != strlen(cases[i].printed) || memcmp(mem, cases[i].printed, b.len))
            fail_msg("%s: default %.*s, want %s", cases[i].coord, (int)b.len, mem,
                     cases[i].printed);
    }
    gql_schema_destroy(s);
}

static void test_deprecation(void **state) {
    (void)state;
    static const struct {
        const char *coord;
        bool deprecated;
        const char *reason; /* NULL: none */
    } cases[] = {
        {"Image.width", true, "No longer supported"},
        {"Image.height", true, "Use `size`."},
        {"Image.id", false, NULL},
        {"Root.search(old:)", true, "No longer supported"},
        {"Root.search(filter:)", false, NULL},
        {"Mut.set(reason:)", true, NULL}, /* @deprecated(reason: null) */
        {"Filter.limit", true, "use first"},
        {"Filter.first", false, NULL},
        {"Role.USER", true, "Use MEMBER"},
        {"Role.GUEST", true, "No longer supported"},
        {"Role.ADMIN", false, NULL},
        {"Role.MEMBER", false, NULL},
    };
    gql_schema_t *s = build_ok(rich_sdl);
    for (size_t i = 0; i < N_(cases); i++) {
        coord_t c = resolve_coord(s, cases[i].coord);
        bool dep;
        lc_str_t reason;
        if (c.input) {
            dep = c.input->deprecated;
            reason = c.input->deprecation_reason;
        } else if (c.value) {
            dep = c.value->deprecated;
            reason = c.value->deprecation_reason;
        } else {
            dep = c.field->deprecated;
            reason = c.field->deprecation_reason;
        }
        if (dep != cases[i].deprecated)
            fail_msg("%s: deprecated %d", cases[i].coord, dep);
        assert_str(reason, cases[i].reason);
    }
    gql_schema_destroy(s);
}

static void test_descriptions(void **state) {
    (void)state;
    gql_schema_t *s = build_ok(rich_sdl);
    assert_str(s->description,
               "The root of it all.\nSecond line with \"quotes\" and \\ backslash.");
    assert_str(type_named(s, "Node")->description, "Node interface");
    assert_str(type_named(s, "Filter")->description,
               "An input with block description\n\n  indented line");
    assert_str(type_named(s, "Root")->description, NULL);
    assert_str(resolve_coord(s, "Filter.kinds").input->description, "the kinds");
    assert_str(resolve_coord(s, "Role.ADMIN").value->description, "Administrators");
    assert_str(resolve_coord(s, "Role.USER").value->description, NULL);
    assert_str(field_at(s, "Root", "again")->description,
               "Same type as `search`, to check interning");
    assert_str(gql_schema_find_directive(s, LC_STR("tag"))->description, "A custom tag");
    gql_schema_destroy(s);

    s = build_ok("\"\"\"Grüße, 日本, 🎉\"\"\"\ntype Query { a: Int }");
    assert_str(s->query->description, "Grüße, 日本, 🎉");
    assert_str(s->description, NULL);
    gql_schema_destroy(s);
}

static void test_scalars_and_directives(void **state) {
    (void)state;
    gql_schema_t *s = build_ok(rich_sdl);
    const gql_schema_type_t *dt = type_named(s, "DateTime");
    assert_int_equal(dt->kind, GQL_TK_SCALAR);
    assert_false(dt->builtin);
    assert_str(dt->specified_by_url, "https://tools.ietf.org/html/rfc3339");
    assert_str(type_named(s, "Int")->specified_by_url, NULL);

    /* Built-ins first, in graphql-js order, then the SDL's in definition order. */
    static const char *const order[] = {"include",     "skip", "deprecated",
                                        "specifiedBy", "tag",  "auth"};
    assert_int_equal(s->ndirectives, N_(order));
    for (size_t i = 0; i < N_(order); i++) {
        assert_str(s->directives[i]->name, order[i]);
        assert_int_equal(s->directives[i]->builtin, i < 4);
    }
    const gql_schema_directive_t *tag = gql_schema_find_directive(s, LC_STR("tag"));
    assert_true(tag->repeatable);
    assert_int_equal(tag->locations, GQL_DL_SCHEMA | GQL_DL_OBJECT | GQL_DL_FIELD_DEFINITION |
                                         GQL_DL_INTERFACE | GQL_DL_UNION | GQL_DL_ENUM |
                                         GQL_DL_ENUM_VALUE | GQL_DL_SCALAR | GQL_DL_INPUT_OBJECT |
                                         GQL_DL_INPUT_FIELD_DEFINITION |
                                         GQL_DL_ARGUMENT_DEFINITION);
    const gql_schema_directive_t *auth = gql_schema_find_directive(s, LC_STR("auth"));
    assert_false(auth->repeatable);
    assert_int_equal(auth->nargs, 2);
    assert_int_equal(auth->locations, GQL_DL_FIELD_DEFINITION | GQL_DL_OBJECT);
    const gql_schema_directive_t *dep = gql_schema_find_directive(s, LC_STR("deprecated"));
    assert_int_equal(dep->locations, GQL_DL_FIELD_DEFINITION | GQL_DL_ARGUMENT_DEFINITION |
                                         GQL_DL_INPUT_FIELD_DEFINITION | GQL_DL_ENUM_VALUE);
    assert_int_equal(gql_schema_find_directive(s, LC_STR("skip"))->locations,
                     GQL_DL_FIELD | GQL_DL_FRAGMENT_SPREAD | GQL_DL_INLINE_FRAGMENT);
    assert_int_equal(gql_schema_find_directive(s, LC_STR("specifiedBy"))->locations, GQL_DL_SCALAR);
    gql_schema_destroy(s);
}

static void test_roots(void **state) {
    (void)state;
    gql_schema_t *s = build_ok(ifaces_sdl);
    assert_ptr_equal(s->query, type_named(s, "Query"));
    assert_ptr_equal(s->mutation, type_named(s, "Mutation"));
    assert_ptr_equal(s->subscription, type_named(s, "Subscription"));
    gql_schema_destroy(s);

    s = build_ok(songs_sdl);
    assert_ptr_equal(s->mutation, type_named(s, "Mutation"));
    assert_null(s->subscription);
    gql_schema_destroy(s);

    s = build_ok(rich_sdl); /* schema {} and extend schema {} */
    assert_ptr_equal(s->query, type_named(s, "Root"));
    assert_ptr_equal(s->mutation, type_named(s, "Mut"));
    assert_ptr_equal(s->subscription, type_named(s, "Sub"));
    gql_schema_destroy(s);

    /* With a schema definition, the default names do not apply. */
    s = build_ok("schema { query: Q } type Q { a: Int } type Mutation { b: Int }");
    assert_ptr_equal(s->query, type_named(s, "Q"));
    assert_null(s->mutation);
    gql_schema_destroy(s);
}

static void test_possible_types(void **state) {
    (void)state;
    gql_schema_t *s = build_ok(ifaces_sdl);
    const gql_schema_type_t *a = type_named(s, "A"), *b = type_named(s, "B"),
                            *c = type_named(s, "C"), *x = type_named(s, "X"),
                            *y = type_named(s, "Y"), *z = type_named(s, "Z"),
                            *xy = type_named(s, "XY");
    /* possible_types: objects only, name order for interfaces, declared order for unions. */
    assert_int_equal(a->npossible, 2);
    assert_ptr_equal(a->possible_types[0], x);
    assert_ptr_equal(a->possible_types[1], y);
    assert_int_equal(b->npossible, 1);
    assert_ptr_equal(b->possible_types[0], x);
    assert_int_equal(c->npossible, 1);
    assert_int_equal(z->npossible, 0);
    assert_int_equal(xy->npossible, 2);
    assert_ptr_equal(xy->possible_types[0], x);
    assert_ptr_equal(xy->possible_types[1], y);
    /* Interfaces as declared. */
    assert_int_equal(c->ninterfaces, 2);
    assert_ptr_equal(c->interfaces[0], b);
    assert_ptr_equal(c->interfaces[1], a);
    assert_int_equal(x->ninterfaces, 3);

    static const struct {
        const char *abstract, *type;
        bool want;
    } cases[] = {
        {"A", "X", true},    {"A", "Y", true},  {"A", "Z", false},  {"A", "B", true},
        {"A", "C", true},    {"B", "C", true},  {"B", "A", false},  {"C", "Y", false},
        {"XY", "X", true},   {"XY", "Y", true}, {"XY", "Z", false}, {"XY", "A", false},
        {"X", "X", true},    {"Z", "X", false}, {"A", "A", true},   {"Query", "X", false},
        {"A", "Int", false},
    };
    for (size_t i = 0; i < N_(cases); i++)
        if (gql_schema_is_possible_type(s, type_named(s, cases[i].abstract),
                                        type_named(s, cases[i].type)) != cases[i].want)
            fail_msg("is_possible_type(%s, %s) != %d", cases[i].abstract, cases[i].type,
                     cases[i].want);
    /* Wrappers and NULL are never possible types. */
    assert_false(gql_schema_is_possible_type(s, a, field_at(s, "Query", "cs")->type));
    assert_true(gql_schema_is_possible_type(s, a, field_at(s, "Query", "c")->type));
    assert_false(gql_schema_is_possible_type(s, a, NULL));
    assert_false(gql_schema_is_possible_type(s, NULL, x));
    gql_schema_destroy(s);
}

static void test_meta_fields(void **state) {
    (void)state;
    gql_schema_t *s = build_ok(rich_sdl);
    const gql_schema_type_t *root = s->query, *image = type_named(s, "Image"),
                            *node = type_named(s, "Node"), *media = type_named(s, "Media"),
                            *role = type_named(s, "Role");
    const gql_schema_field_t *tn = gql_schema_find_field(s, image, LC_STR("__typename"), true);
    assert_non_null(tn);
    assert_type_str(tn->type, "String!");
    assert_ptr_equal(gql_schema_find_field(s, node, LC_STR("__typename"), true), tn);
    assert_ptr_equal(gql_schema_find_field(s, media, LC_STR("__typename"), true), tn);
    assert_ptr_equal(gql_schema_find_field(s, root, LC_STR("__typename"), true), tn);
    assert_null(gql_schema_find_field(s, image, LC_STR("__typename"), false));
    assert_null(gql_schema_find_field(s, media, LC_STR("__typename"), false));
    assert_null(gql_schema_find_field(s, role, LC_STR("__typename"), true));
    assert_null(gql_schema_find_field(s, media, LC_STR("id"), true));

    const gql_schema_field_t *sf = gql_schema_find_field(s, root, LC_STR("__schema"), true);
    const gql_schema_field_t *tf = gql_schema_find_field(s, root, LC_STR("__type"), true);
    assert_non_null(sf);
    assert_non_null(tf);
    assert_type_str(sf->type, "__Schema!");
    assert_type_str(tf->type, "__Type");
    assert_int_equal(tf->nargs, 1);
    assert_str(tf->args[0].name, "name");
    assert_type_str(tf->args[0].type, "String!");
    assert_ptr_equal(sf->parent, root);
    assert_str(tn->description, "The name of the current Object type at runtime.");
    assert_str(sf->description, "Access the current type schema of this server.");
    assert_str(tf->description, "Request the type information of a single type.");
    assert_null(gql_schema_find_field(s, image, LC_STR("__schema"), true));
    assert_null(gql_schema_find_field(s, image, LC_STR("__type"), true));
    assert_null(gql_schema_find_field(s, root, LC_STR("__schema"), false));
    assert_null(gql_schema_find_field(s, root, LC_STR("__other"), true));
    assert_null(gql_schema_find_field(s, root, LC_STR("nope"), true));
    assert_null(gql_schema_find_field(s, NULL, LC_STR("a"), true));
    gql_schema_destroy(s);
}

/* The introspection types exactly as graphql-js 16 defines them for the Oct 2021 spec. */
static void test_prelude(void **state) {
    (void)state;
    static const struct {
        const char *type;
        gql_type_kind_t kind;
        const char *members; /* fields or enum values, space-separated, in order */
    } cases[] = {
        {"__Schema", GQL_TK_OBJECT,
         "description types queryType mutationType subscriptionType directives"},
        {"__Type", GQL_TK_OBJECT,
         "kind name description specifiedByURL fields interfaces possibleTypes enumValues "
         "inputFields ofType"},
        {"__Field", GQL_TK_OBJECT, "name description args type isDeprecated deprecationReason"},
        {"__InputValue", GQL_TK_OBJECT,
         "name description type defaultValue isDeprecated deprecationReason"},
        {"__EnumValue", GQL_TK_OBJECT, "name description isDeprecated deprecationReason"},
        {"__Directive", GQL_TK_OBJECT, "name description isRepeatable locations args"},
        {"__TypeKind", GQL_TK_ENUM,
         "SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL"},
        {"__DirectiveLocation", GQL_TK_ENUM,
         "QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT "
         "VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION "
         "INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION"},
        {"Int", GQL_TK_SCALAR, ""},
        {"Float", GQL_TK_SCALAR, ""},
        {"String", GQL_TK_SCALAR, ""},
        {"Boolean", GQL_TK_SCALAR, ""},
        {"ID", GQL_TK_SCALAR, ""},
    };
    /* The songs schema names neither Float nor ID: an extension does, so that all are there. */
    char sdl[sizeof songs_sdl + 64];
    snprintf(sdl, sizeof sdl, "%sextend type Query { f: Float id: ID }\n", songs_sdl);
    gql_schema_t *s = build_ok(sdl);
    assert_int_equal(s->ntypes, 13 + 5); /* built-ins + Query Mutation Artist Song Date */
    for (size_t i = 0; i < N_(cases); i++) {
        const gql_schema_type_t *t = type_named(s, cases[i].type);
        assert_int_equal(t->kind, cases[i].kind);
        assert_true(t->builtin);
        assert_null(t->ast);
        assert_non_null(t->description.ptr);
        char names[512] = {0};
        size_t n = 0;
        uint32_t count = t->kind == GQL_TK_ENUM ? t->nvalues : t->nfields;
        for (uint32_t k = 0; k < count; k++) {
            lc_str_t name = t->kind == GQL_TK_ENUM ? t->values[k].name : t->fields[k].name;
            n += (size_t)snprintf(names + n, sizeof names - n, "%s%.*s", k ? " " : "", S_(name));
        }
        if (strcmp(names, cases[i].members) != 0)
            fail_msg("%s: %s", cases[i].type, names);
    }
    assert_str(type_named(s, "Boolean")->description,
               "The `Boolean` scalar type represents `true` or `false`.");
    assert_str(type_named(s, "__TypeKind")->description,
               "An enum describing what kind of type a given `__Type` is.");
    assert_str(resolve_coord(s, "__TypeKind.LIST").value->description,
               "Indicates this type is a list. `ofType` is a valid field.");
    assert_str(field_at(s, "__Schema", "types")->description,
               "A list of all types supported by this server.");
    assert_str(gql_schema_find_directive(s, LC_STR("include"))->description,
               "Directs the executor to include this field or fragment only when the `if` "
               "argument is true.");
    assert_str(gql_schema_find_directive(s, LC_STR("skip"))->args[0].description,
               "Skipped when true.");
    assert_str(gql_schema_find_directive(s, LC_STR("specifiedBy"))->description,
               "Exposes a URL that specifies the behavior of this scalar.");
    assert_str(type_named(s, "ID")->description,
               "The `ID` scalar type represents a unique identifier, often used to refetch an "
               "object or as key for a cache. The ID type appears in a JSON response as a "
               "String; however, it is not intended to be human-readable. When expected as an "
               "input type, any string (such as `\"4\"`) or integer (such as `4`) input value "
               "will be accepted as an ID.");
    assert_false(type_named(s, "Date")->builtin);
    gql_schema_destroy(s);
}

/* A built-in scalar that nothing names is not part of the schema, as in graphql-js: a field,
 * an argument, an input field or a directive's argument names it, or the document declares it
 * (`scalar Float`). String and Boolean are named by the introspection types. */
static void test_unreferenced_scalars(void **state) {
    (void)state;
    static const struct {
        const char *sdl;
        const char *present; /* of Int Float ID, space-separated */
    } cases[] = {
        {"type Query { a: String }", ""},
        {"type Query { a: [Int!] }", "Int"},
        {"type Query { a(x: Float): String }", "Float"},
        {"type Query { a(i: In): String } input In { x: [ID!]! }", "ID"},
        {"type Query { a: String } directive @d(x: Int, y: ID = 1) on FIELD", "Int ID"},
        {"type Query { a: String } scalar Float", "Float"},
        {"type Query { a: String } interface I { f(x: Int): String }", "Int"},
        {"type Query { a: String } extend type Query { b: ID }", "ID"},
    };
    static const char *const names[] = {"Int", "Float", "ID"};
    for (size_t i = 0; i < N_(cases); i++) {
        gql_schema_t *s = build_ok(cases[i].sdl);
        check_invariants(s);
        char present[64] = {0};
        size_t n = 0;
        for (size_t k = 0; k < N_(names); k++)
            if (gql_schema_find_type(s, lc_str_from(names[k])))
                n += (size_t)snprintf(present + n, sizeof present - n, "%s%s", n ? " " : "",
                                      names[k]);
        if (strcmp(present, cases[i].present) != 0)
            fail_msg("case %zu: %s present, want %s", i, present, cases[i].present);
        /* 10 built-ins always (String, Boolean, the introspection types), and the document's
         * own types. */
        uint32_t own = 0;
        for (uint32_t k = 0; k < s->ntypes; k++)
            own += !s->types[k]->builtin;
        uint32_t nscalars = 0;
        for (size_t k = 0; cases[i].present[k]; k++)
            nscalars += k == 0 || cases[i].present[k - 1] == ' ';
        assert_int_equal(s->ntypes, 10 + nscalars + own);
        gql_schema_destroy(s);
    }
}

static void test_type_kind_names(void **state) {
    (void)state;
    static const struct {
        gql_type_kind_t kind;
        const char *name;
    } cases[] = {
        {GQL_TK_SCALAR, "SCALAR"},
        {GQL_TK_OBJECT, "OBJECT"},
        {GQL_TK_INTERFACE, "INTERFACE"},
        {GQL_TK_UNION, "UNION"},
        {GQL_TK_ENUM, "ENUM"},
        {GQL_TK_INPUT_OBJECT, "INPUT_OBJECT"},
        {GQL_TK_LIST, "LIST"},
        {GQL_TK_NON_NULL, "NON_NULL"},
        {(gql_type_kind_t)99, "UNKNOWN"},
    };
    for (size_t i = 0; i < N_(cases); i++)
        assert_string_equal(gql_type_kind_name(cases[i].kind), cases[i].name);
}

/* Many types and fields: the tables grow and every lookup still finds its entry. */
static void test_large_schema(void **state) {
    (void)state;
    lc_buf_t b;
    lc_arena_t a;
    lc_arena_init(&a, 0, 0);
    lc_buf_init(&b, &a, 1 << 16, 0);
    lc_buf_append_cstr(&b, "type Query {");
    for (int i = 0; i < 1500; i++)
        lc_buf_printf(&b, " t%d: T%d", i, i);
    lc_buf_append_cstr(&b, " }\n");
    for (int i = 0; i < 1500; i++)
        lc_buf_printf(&b, "type T%d { a%d: Int b: [T%d!] c(x: Int = %d): String }\n", i, i,
                      (i + 1) % 1500, i);
    assert_int_equal(lc_buf_terminate(&b), LC_OK);
    gql_schema_t *s = build_ok(b.data);
    assert_int_equal(s->ntypes, 1500 + 1 + 11); /* no Float, no ID */
    check_invariants(s);
    char name[32];
    for (int i = 0; i < 1500; i++) {
        snprintf(name, sizeof name, "T%d", i);
        const gql_schema_type_t *t = type_named(s, name);
        snprintf(name, sizeof name, "a%d", i);
        assert_non_null(gql_schema_find_field(s, t, lc_str_from(name), false));
        snprintf(name, sizeof name, "a%d", i + 1);
        assert_null(gql_schema_find_field(s, t, lc_str_from(name), false));
    }
    gql_schema_destroy(s);
    lc_arena_dispose(&a);
}

/* ---- Invalid schemas ------------------------------------------------------------------- */

typedef struct expect {
    const char *message;
    const char *locs; /* "line:col line:col" */
} expect_t;

static const struct {
    const char *name, *sdl;
    expect_t errors[6];
} invalid[] = {
    {"no query", "type Foo { a: Int }", {{"Query root type must be provided.", ""}}},
    {"query not object",
     "schema { query: Q } enum Q { A }",
     {{"Query root type must be Object type, it cannot be Q.", "1:17"}}},
    {"default query not object",
     "input Query { a: Int }",
     {{"Query root type must be Object type, it cannot be Query.", "1:1"}}},
    {"mutation not object",
     "type Query { a: Int } schema { query: Query mutation: M } union M = Query",
     {{"Mutation root type must be Object type if provided, it cannot be M.", "1:55"}}},
    {"reserved type name",
     "type Query { a: Int } type __Foo { a: Int }",
     {{"Name \"__Foo\" must not begin with \"__\", which is reserved by GraphQL introspection.",
       "1:23"}}},
    {"reserved field name",
     "type Query { __a: Int }",
     {{"Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.",
       "1:14"}}},
    {"reserved arg name",
     "type Query { a(__b: Int): Int }",
     {{"Name \"__b\" must not begin with \"__\", which is reserved by GraphQL introspection.",
       "1:16"}}},
    {"reserved enum value",
     "type Query { a: E } enum E { __A B }",
     {{"Name \"__A\" must not begin with \"__\", which is reserved by GraphQL introspection.",
       "1:30"}}},
    {"dup type",
     "type Query { a: Int }\ntype Query { b: Int }",
     {{"There can be only one type named \"Query\".", "1:6 2:6"}}},
    {"dup field",
     "type Query {\n  a: Int\n  a: String\n}",
     {{"Field \"Query.a\" can only be defined once.", "2:3 3:3"}}},
    {"dup arg",
     "type Query {\n  a(x: Int, x: Int): Int\n}",
     {{"Argument \"Query.a(x:)\" can only be defined once.", "2:5 2:13"}}},
    {"dup enum value",
     "type Query { a: E }\nenum E { A B A }",
     {{"Enum value \"E.A\" can only be defined once.", "2:10 2:14"}}},
    {"dup directive",
     "type Query { a: Int }\ndirective @d on FIELD\ndirective @d on FIELD",
     {{"There can be only one directive named \"@d\".", "2:12 3:12"}}},
    {"dup input field",
     "type Query { a(i: I): Int }\ninput I { x: Int x: Int }",
     {{"Field \"I.x\" can only be defined once.", "2:11 2:18"}}},
    {"output as arg",
     "type Query { a(x: Query): Int }",
     {{"The type of Query.a(x:) must be Input Type but got: Query.", "1:19"}}},
    {"input as field",
     "type Query { a: I }\ninput I { x: Int }",
     {{"The type of Query.a must be Output Type but got: I.", "1:17"}}},
    {"object in input",
     "type Query { a(i: I): Int }\ninput I { x: Query }",
     {{"The type of I.x must be Input Type but got: Query.", "2:14"}}},
    {"union non-object",
     "type Query { a: U }\nunion U = Query | E\nenum E { A }",
     {{"Union type U can only include Object types, it cannot include E.", "2:19"}}},
    {"union dup",
     "type Query { a: U }\nunion U = Query | Query",
     {{"Union type U can only include type Query once.", "2:11 2:19"}}},
    {"no fields", "type Query\n", {{"Type Query must define one or more fields.", "1:1"}}},
    {"empty enum",
     "type Query { a: E }\nenum E",
     {{"Enum type E must define one or more values.", "2:1"}}},
    {"empty union",
     "type Query { a: U }\nunion U",
     {{"Union type U must define one or more member types.", "2:1"}}},
    {"empty input",
     "type Query { a(i: I): Int }\ninput I",
     {{"Input Object type I must define one or more fields.", "2:1"}}},
    {"unknown type",
     "type Query {\n  a: Foo\n  b(x: [Bar!]): Int\n}",
     {{"Unknown type \"Foo\".", "2:6"}, {"Unknown type \"Bar\".", "3:9"}}},
    {"unknown interface",
     "type Query implements Node { a: Int }",
     {{"Unknown type \"Node\".", "1:23"}}},
    {"implements non-interface",
     "type Query implements Other { a: Int }\ntype Other { a: Int }",
     {{"Type Query must only implement Interface types, it cannot implement Other.", "1:23"}}},
    {"implements self",
     "type Query { a: I }\ninterface I implements I { a: Int }",
     {{"Type I cannot implement itself because it would create a circular reference.", "2:24"}}},
    {"implements twice",
     "type Query implements I & I { a: Int }\ninterface I { a: Int }",
     {{"Type Query can only implement I once.", "1:23 1:27"}}},
    {"missing iface field",
     "type Query implements I { b: Int }\ninterface I { a: Int }",
     {{"Interface field I.a expected but Query does not provide it.", "2:15 1:1"}}},
    {"wrong iface field type",
     "type Query implements I { a: String }\ninterface I { a: Int }",
     {{"Interface field I.a expects type Int but Query.a is type String.", "2:18 1:30"}}},
    {"iface covariance bad",
     "type Query implements I { a: [Int], b: Int }\ninterface I { a: Int, b: [Int] }",
     {{"Interface field I.a expects type Int but Query.a is type [Int].", "2:18 1:30"},
      {"Interface field I.b expects type [Int] but Query.b is type Int.", "2:26 1:40"}}},
    {"missing iface arg",
     "type Query implements I { a: Int }\ninterface I { a(x: Int): Int }",
     {{"Interface field argument I.a(x:) expected but Query.a does not provide it.", "2:17 1:27"}}},
    {"wrong iface arg type",
     "type Query implements I { a(x: String): Int }\ninterface I { a(x: Int): Int }",
     {{"Interface field argument I.a(x:) expects type Int but Query.a(x:) is type String.",
       "2:20 1:32"}}},
    {"extra required arg",
     "type Query implements I { a(x: Int, y: Int!): Int }\ninterface I { a(x: Int): Int }",
     {{"Object field Query.a includes required argument y that is missing from the Interface field "
       "I.a.",
       "1:37 2:15"}}},
    {"transitive missing",
     "type Query implements B { a: Int }\ninterface A { a: Int }\ninterface B implements A { a: "
     "Int }",
     {{"Type Query must implement A because it is implemented by B.", "3:24 1:23"}}},
    {"transitive cycle",
     "type Query { a: Int }\ninterface A implements B { a: Int }\ninterface B implements A { a: "
     "Int }",
     {{"Type A cannot implement B because it would create a circular reference.", "3:24 2:24"},
      {"Type B cannot implement A because it would create a circular reference.", "2:24 3:24"}}},
    {"input cycle",
     "type Query { a(i: A): Int }\ninput A { b: B! }\ninput B { a: A! c: Int }",
     {{"Cannot reference Input Object \"A\" within itself through a series of non-null fields: "
       "\"b.a\".",
       "2:11 3:11"}}},
    {"input self cycle",
     "type Query { a(i: A): Int }\ninput A {\n  self: A!\n}",
     {{"Cannot reference Input Object \"A\" within itself through a series of non-null fields: "
       "\"self\".",
       "3:3"}}},
    {"directive reserved",
     "type Query { a: Int }\ndirective @__d on FIELD",
     {{"Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection.",
       "2:1"}}},
    {"directive arg output",
     "type Query { a: Int }\ndirective @d(x: Query) on FIELD",
     {{"The type of @d(x:) must be Input Type but got: Query.", "2:14"}}},
    {"unknown directive", "type Query { a: Int @foo }", {{"Unknown directive \"@foo\".", "1:21"}}},
    {"misplaced directive",
     "type Query @deprecated { a: Int }",
     {{"Directive \"@deprecated\" may not be used on OBJECT.", "1:12"}}},
    {"repeated directive",
     "type Query { a: Int @deprecated @deprecated }",
     {{"The directive \"@deprecated\" can only be used once at this location.", "1:21 1:33"}}},
    {"repeated across extension",
     "directive @d on OBJECT\ntype Query @d { a: Int }\nextend type Query @d",
     {{"The directive \"@d\" can only be used once at this location.", "2:12 3:19"}}},
    {"unknown directive arg",
     "type Query { a: Int @deprecated(why: \"x\") }",
     {{"Unknown argument \"why\" on directive \"@deprecated\".", "1:33"}}},
    {"missing directive arg",
     "scalar Date @specifiedBy\ntype Query { a: Date }",
     {{"Directive \"@specifiedBy\" argument \"url\" of type \"String!\" is required, but it was "
       "not provided.",
       "1:13"}}},
    {"directive arg wrong type",
     "type Query { a: Int @deprecated(reason: 1) }",
     {{"Expected value of type \"String\", found 1.", "1:41"}}},
    {"deprecated required arg",
     "type Query {\n  a(x: Int! @deprecated): Int\n}",
     {{"Required argument Query.a(x:) cannot be deprecated.", "2:13 2:8"}}},
    {"deprecated required input field",
     "type Query { a(i: I): Int }\ninput I {\n  x: Int! @deprecated(reason: \"no\")\n}",
     {{"Required input field I.x cannot be deprecated.", "3:11 3:6"}}},
    {"deprecated directive arg",
     "type Query { a: Int }\ndirective @d(x: Int! @deprecated) on FIELD",
     {{"Required argument @d(x:) cannot be deprecated.", "2:22 2:17"}}},
    {"extend unknown",
     "type Query { a: Int }\nextend type Foo { b: Int }",
     {{"Cannot extend type \"Foo\" because it is not defined.", "2:13"}}},
    {"extend wrong kind",
     "type Query { a: Int }\nenum E { A }\nextend type E { b: Int }",
     {{"Cannot extend non-object type \"E\".", "2:1 3:1"}}},
    {"extend wrong kind 2",
     "type Query { a: Int }\ntype O { a: Int }\nextend input O { b: Int }",
     {{"Cannot extend non-input object type \"O\".", "2:1 3:1"}}},
    {"two schemas",
     "type Query { a: Int }\nschema { query: Query }\nschema { query: Query }",
     {{"Must provide only one schema definition.", "3:1"},
      {"There can be only one query type in schema.", "2:10 3:10"}}},
    {"dup operation type",
     "type Query { a: Int }\nschema { query: Query query: Query }",
     {{"There can be only one query type in schema.", "2:10 2:23"}}},
    {"extend dup field",
     "type Query { a: Int }\nextend type Query { a: String }",
     {{"Field \"Query.a\" can only be defined once.", "1:14 2:21"}}},
    {"bad default int",
     "type Query { a(x: Int = \"s\"): Int }",
     {{"Query.a(x:) has invalid default value: Expected value of type \"Int\", found \"s\".",
       "1:25"}}},
    {"bad default enum",
     "type Query { a(x: E = C): Int }\nenum E { A B }",
     {{"Query.a(x:) has invalid default value: Value \"C\" does not exist in \"E\" enum.",
       "1:23"}}},
    {"bad default input",
     "type Query { a(x: I = {y: 1}): Int }\ninput I { x: Int! }",
     {{"Query.a(x:) has invalid default value: Field \"y\" is not defined by type \"I\".", "1:24"},
      {"Query.a(x:) has invalid default value: Field \"I.x\" of required type \"Int!\" was not "
       "provided.",
       "1:23"}}},
    {"bad default null",
     "type Query { a(x: Int! = null): Int }",
     {{"Query.a(x:) has invalid default value: Expected value of type \"Int!\", found null.",
       "1:26"}}},
    {"bad default list",
     "type Query { a(x: [Int] = [1, \"a\"]): Int }",
     {{"Query.a(x:) has invalid default value: Expected value of type \"Int\", found \"a\".",
       "1:31"}}},
    {"int out of range",
     "type Query { a(x: Int = 3000000000): Int }",
     {{"Query.a(x:) has invalid default value: Expected value of type \"Int\", found 3000000000; "
       "Int cannot represent non 32-bit signed integer value: 3000000000",
       "1:25"}}},
    {"operation in sdl",
     "type Query { a: Int }\nquery Q { a }",
     {{"The \"Q\" definition is not a type system definition.", "2:1"}}},
    {"redefine builtin directive",
     "type Query { a: Int }\ndirective @skip(if: Boolean!) on FIELD",
     {{"Directive \"@skip\" already exists in the schema. It cannot be redefined.", "2:12"}}},
    {"redefine builtin scalar as type",
     "type Query { a: Int }\ntype String { a: Int }",
     {{"Type \"String\" already exists in the schema. It cannot also be defined in this type "
       "definition.",
       "2:6"}}},
    {"extend builtin",
     "type Query { a: Int }\nextend scalar Int @deprecated",
     {{"Cannot extend type \"Int\" because it is not defined.", "2:15"}}},
    {"subscription not object",
     "type Query { a: Int }\nscalar Subscription",
     {{"Subscription root type must be Object type if provided, it cannot be Subscription.",
       "2:1"}}},
    {"interface field args dup in iface",
     "type Query { a: Int }\ninterface I { a(x: Int, x: Int): Int }",
     {{"Argument \"I.a(x:)\" can only be defined once.", "2:17 2:25"}}},
    {"input field default bad",
     "type Query { a(i: I): Int }\ninput I { x: Int = true }",
     {{"I.x has invalid default value: Expected value of type \"Int\", found true.", "2:20"}}},
    {"enum arg on directive ok",
     "enum Level { LOW HIGH }\ndirective @auth(level: Level = LOW) on FIELD_DEFINITION\ntype Query "
     "{ a: Int @auth(level: HIGH) b: Int @auth(level: MID) }",
     {{"Value \"MID\" does not exist in \"Level\" enum.", "3:60"}}},
    {"unknown union member",
     "type Query { a: U }\nunion U = Query | Nope",
     {{"Unknown type \"Nope\".", "2:19"}}},
    {"unknown root type",
     "schema { query: Root }\ntype Query { a: Int }",
     {{"Unknown type \"Root\".", "1:17"}}},
    {"extend schema unknown",
     "type Query { a: Int }\nextend schema { mutation: Mut }",
     {{"Unknown type \"Mut\".", "2:27"}}},
    {"extend schema dup op",
     "type Query { a: Int }\nschema { query: Query }\nextend schema { query: Query }",
     {{"There can be only one query type in schema.", "2:10 3:17"}}},
    {"directive unknown arg type",
     "type Query { a: Int }\ndirective @d(x: Nope) on FIELD",
     {{"Unknown type \"Nope\".", "2:17"}}},
    {"specifiedBy on object",
     "type Query @specifiedBy(url: \"x\") { a: Int }",
     {{"Directive \"@specifiedBy\" may not be used on OBJECT.", "1:12"}}},
    {"deprecated on enum type",
     "type Query { a: E }\nenum E @deprecated { A }",
     {{"Directive \"@deprecated\" may not be used on ENUM.", "2:8"}}},
    {"interface extension adds field not provided",
     "type Query implements I { a: Int }\ninterface I { a: Int }\nextend interface I { b: Int }",
     {{"Interface field I.b expected but Query does not provide it.", "3:22 1:1"}}},
    {"empty object with extension",
     "type Query { a: O }\ntype O\nextend type O @d\ndirective @d on OBJECT",
     {{"Type O must define one or more fields.", "2:1 3:1"}}},
    {"dup arg on directive use",
     "type Query { a: Int @deprecated(reason: \"a\", reason: \"b\") }",
     {{"There can be only one argument named \"reason\".", "1:33 1:46"}}},
    {"input object default dup field",
     "type Query { a(i: I = {x: 1, x: 2}): Int }\ninput I { x: Int }",
     {{"Query.a(i:) has invalid default value: There can be only one input field named \"x\".",
       "1:24 1:30"}}},
    {"input object default not object",
     "type Query { a(i: I = 1): Int }\ninput I { x: Int }",
     {{"Query.a(i:) has invalid default value: Expected value of type \"I\", found 1.", "1:23"}}},
    {"enum default as string",
     "type Query { a(e: E = \"A\"): Int }\nenum E { A }",
     {{"Query.a(e:) has invalid default value: Expected value of type \"E\", found \"A\".",
       "1:23"}}},
    {"string default for enum via list",
     "type Query { a(e: [E] = [A, \"B\"]): Int }\nenum E { A B }",
     {{"Query.a(e:) has invalid default value: Expected value of type \"E\", found \"B\".",
       "1:29"}}},
    {"many errors",
     "type Query {\n  a: Nope\n  __b: Int\n}\ninput I { x: Query }\nunion U = I\nenum E\n",
     {{"Unknown type \"Nope\".", "2:6"},
      {"Name \"__b\" must not begin with \"__\", which is reserved by GraphQL introspection.",
       "3:3"},
      {"The type of I.x must be Input Type but got: Query.", "5:14"},
      {"Union type U can only include Object types, it cannot include I.", "6:11"},
      {"Enum type E must define one or more values.", "7:1"}}},
};

static void format_locs(const gql_diag_t *d, char *out, size_t cap) {
    size_t n = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < d->nlocations && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%u:%u", i ? " " : "", d->locations[i].line,
                              d->locations[i].column);
}

static void test_invalid_sdls(void **state) {
    (void)state;
    for (size_t i = 0; i < N_(invalid); i++) {
        lc_arena_t a;
        gql_diags_t d;
        gql_schema_t *s = (gql_schema_t *)&a; /* must stay untouched */
        lc_arena_init(&a, 0, 0);
        gql_diags_init(&d, &a, 0);
        int rc = gql_schema_build(invalid[i].sdl, strlen(invalid[i].sdl), &d, &s);
        if (rc != LC_EINVAL)
            fail_msg("%s: rc %d", invalid[i].name, rc);
        assert_ptr_equal(s, (gql_schema_t *)&a);
        uint32_t want = 0;
        while (want < N_(invalid[i].errors) && invalid[i].errors[want].message)
            want++;
        const gql_diag_t *x = d.head;
        for (uint32_t k = 0; k < want || x; k++, x = x ? x->next : NULL) {
            char locs[128];
            if (!x)
                fail_msg("%s: missing error \"%s\"", invalid[i].name, invalid[i].errors[k].message);
            format_locs(x, locs, sizeof locs);
            if (k >= want)
                fail_msg("%s: unexpected error \"%.*s\" at %s", invalid[i].name, S_(x->message),
                         locs);
            if (!lc_str_eq_cstr(x->message, invalid[i].errors[k].message) ||
                strcmp(locs, invalid[i].errors[k].locs) != 0)
                fail_msg("%s: error %u\n  got  \"%.*s\" at %s\n  want \"%s\" at %s",
                         invalid[i].name, k, S_(x->message), locs, invalid[i].errors[k].message,
                         invalid[i].errors[k].locs);
            assert_null(x->code);
        }
        assert_int_equal(d.count, want);
        lc_arena_dispose(&a);
    }
}

static void test_parse_errors(void **state) {
    (void)state;
    static const struct {
        const char *sdl, *message, *locs;
    } cases[] = {
        {"type Query { a: Int", "Syntax Error: Expected Name, found <EOF>.", "1:20"},
        {"", "Syntax Error: Unexpected <EOF>.", "1:1"},
        {"type Query {\n  a: Int!!\n}", "Syntax Error: Expected Name, found \"!\".", "2:10"},
    };
    for (size_t i = 0; i < N_(cases); i++) {
        lc_arena_t a;
        gql_diags_t d;
        gql_schema_t *s = NULL;
        lc_arena_init(&a, 0, 0);
        gql_diags_init(&d, &a, 0);
        assert_int_equal(gql_schema_build(cases[i].sdl, strlen(cases[i].sdl), &d, &s), LC_EINVAL);
        assert_null(s);
        assert_int_equal(d.count, 1);
        char locs[64];
        format_locs(d.head, locs, sizeof locs);
        if (!lc_str_eq_cstr(d.head->message, cases[i].message) || strcmp(locs, cases[i].locs))
            fail_msg("got \"%.*s\" at %s", S_(d.head->message), locs);
        assert_string_equal(d.head->code, "GRAPHQL_PARSE_FAILED");
        lc_arena_dispose(&a);
    }
}

/* The SDL need not be NUL-terminated, is copied, and may be freed right after the build. */
static void test_sdl_is_copied(void **state) {
    (void)state;
    size_t len = strlen(songs_sdl);
    char *copy = lc_malloc(len);
    assert_non_null(copy);
    memcpy(copy, songs_sdl, len);
    gql_schema_t *s = NULL;
    assert_int_equal(gql_schema_build(copy, len, NULL, &s), LC_OK);
    memset(copy, 'x', len);
    lc_free(copy);
    assert_non_null(gql_schema_find_type(s, LC_STR("Artist")));
    assert_str(field_at(s, "Song", "duration")->name, "duration");
    gql_schema_destroy(s);
    gql_schema_destroy(NULL);
}

static void test_no_diags_list(void **state) {
    (void)state;
    gql_schema_t *s = NULL;
    const char *bad = "type Query { a: Nope }";
    assert_int_equal(gql_schema_build(bad, strlen(bad), NULL, &s), LC_EINVAL);
    assert_null(s);
    assert_int_equal(gql_schema_build("{", 1, NULL, &s), LC_EINVAL);
    assert_null(s);
}

/* A diagnostics list with a maximum keeps the first ones; the build still fails. */
static void test_diags_max(void **state) {
    (void)state;
    lc_arena_t a;
    gql_diags_t d;
    gql_schema_t *s = NULL;
    const char *bad = "type Query { a: A b: B c: C d: D }";
    lc_arena_init(&a, 0, 0);
    gql_diags_init(&d, &a, 2);
    assert_int_equal(gql_schema_build(bad, strlen(bad), &d, &s), LC_EINVAL);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.dropped, 2);
    assert_true(lc_str_eq_cstr(d.head->message, "Unknown type \"A\"."));
    lc_arena_dispose(&a);
}

/* ---- Binding ----------------------------------------------------------------------------- */

static int resolver(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)info, (void)parent, (void)args, (void)out;
    return LC_OK;
}

static int serialize(void *ctx, const gql_val_t *v, lc_buf_t *b) {
    (void)ctx, (void)v, (void)b;
    return LC_OK;
}

static int parse_hook(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                      const char **why) {
    (void)ctx, (void)arena, (void)in, (void)out, (void)why;
    return LC_OK;
}

static const gql_schema_type_t *resolve_type(void *ctx, const gql_val_t *v,
                                             const gql_schema_type_t *abstract) {
    (void)ctx, (void)v, (void)abstract;
    return NULL;
}

static void test_bind(void **state) {
    (void)state;
    int ctx;
    gql_schema_t *s = build_ok(rich_sdl);
    static const struct {
        const char *coord;
        int rc;
    } fields[] = {
        {"Root.search", LC_OK},
        {"Image.url", LC_OK},
        {"Mut.set", LC_OK},
        {"__Type.fields", LC_OK},
        {"Root.nope", LC_ENOTFOUND},
        {"Nope.search", LC_ENOTFOUND},
        {"Node.id", LC_ENOTFOUND}, /* interface field: never resolved */
        {"Filter.kinds", LC_ENOTFOUND},
        {"Role.ADMIN", LC_ENOTFOUND},
        {"Root", LC_ENOTFOUND},
        {"Root.", LC_ENOTFOUND},
        {".search", LC_ENOTFOUND},
        {"Root.search.x", LC_ENOTFOUND},
        {"", LC_ENOTFOUND},
        {"Root.__typename", LC_ENOTFOUND},
    };
    for (size_t i = 0; i < N_(fields); i++) {
        if (gql_schema_bind(s, fields[i].coord, resolver, &ctx) != fields[i].rc)
            fail_msg("bind %s", fields[i].coord);
        if (gql_schema_tag(s, fields[i].coord, 42 + i) != fields[i].rc)
            fail_msg("tag %s", fields[i].coord);
    }
    const gql_schema_field_t *f = field_at(s, "Root", "search");
    assert_ptr_equal(f->resolve, resolver);
    assert_ptr_equal(f->resolve_ctx, &ctx);
    assert_int_equal(f->user_tag, 42);
    assert_null(field_at(s, "Root", "node")->resolve);
    assert_null(field_at(s, "Node", "id")->resolve);
    assert_int_equal(field_at(s, "Node", "id")->user_tag, 0);
    assert_int_equal(gql_schema_bind(s, NULL, resolver, NULL), LC_ENOTFOUND);
    assert_int_equal(gql_schema_bind(NULL, "Root.search", resolver, NULL), LC_ENOTFOUND);

    assert_int_equal(gql_schema_bind_scalar(s, "DateTime", serialize, parse_hook, &ctx), LC_OK);
    const gql_schema_type_t *dt = type_named(s, "DateTime");
    assert_ptr_equal(dt->serialize, serialize);
    assert_ptr_equal(dt->parse, parse_hook);
    assert_ptr_equal(dt->scalar_ctx, &ctx);
    static const char *const not_scalars[] = {"Root", "Role",   "Filter", "Media",
                                              "Int",  "String", "Nope",   ""};
    for (size_t i = 0; i < N_(not_scalars); i++)
        if (gql_schema_bind_scalar(s, not_scalars[i], serialize, parse_hook, NULL) != LC_ENOTFOUND)
            fail_msg("bind_scalar %s", not_scalars[i]);
    assert_null(type_named(s, "Int")->serialize);

    assert_int_equal(gql_schema_bind_type_resolver(s, "Media", resolve_type, &ctx), LC_OK);
    assert_int_equal(gql_schema_bind_type_resolver(s, "Node", resolve_type, NULL), LC_OK);
    assert_ptr_equal(type_named(s, "Media")->resolve_type, resolve_type);
    assert_ptr_equal(type_named(s, "Media")->resolve_type_ctx, &ctx);
    static const char *const not_abstract[] = {"Root", "DateTime", "Role", "Filter", "Nope"};
    for (size_t i = 0; i < N_(not_abstract); i++)
        if (gql_schema_bind_type_resolver(s, not_abstract[i], resolve_type, NULL) != LC_ENOTFOUND)
            fail_msg("bind_type_resolver %s", not_abstract[i]);
    assert_null(type_named(s, "Root")->resolve_type);
    gql_schema_destroy(s);
}

/* ---- Allocation failure -------------------------------------------------------------------- */

/* The Nth allocation fails, for every N until the build succeeds: each failure is a clean
 * LC_ENOMEM (ASan checks that nothing leaks); an invalid schema gives LC_ENOMEM or its
 * LC_EINVAL, never anything else. */
static void test_alloc_failure(void **state) {
    (void)state;
    static const struct {
        const char *sdl;
        int final;
    } cases[] = {
        {songs_sdl, LC_OK},
        {rich_sdl, LC_OK},
        {"type Query { a: Nope b(x: Int = \"s\"): Int } input I { i: I! }", LC_EINVAL},
    };
    for (size_t c = 0; c < N_(cases); c++) {
        long n;
        for (n = 0; n < 100000; n++) {
            lc_arena_t a;
            gql_diags_t d;
            gql_schema_t *s = NULL;
            lc_arena_init(&a, 0, 0);
            gql_diags_init(&d, &a, 0);
            lc_alloc_fail_after(n);
            int rc = gql_schema_build(cases[c].sdl, strlen(cases[c].sdl), &d, &s);
            long failures = lc_alloc_failures();
            lc_alloc_fail_reset();
            lc_arena_dispose(&a);
            if (failures == 0) {
                assert_int_equal(rc, cases[c].final);
                if (rc == LC_OK) {
                    check_invariants(s);
                    gql_schema_destroy(s);
                }
                break;
            }
            if (rc != LC_ENOMEM && rc != cases[c].final)
                fail_msg("case %zu, failing after %ld allocations: rc %d", c, n, rc);
            if (rc == LC_OK)
                gql_schema_destroy(s);
            else
                assert_null(s);
        }
        assert_true(n > 0 && n < 100000);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_sdls),
        cmocka_unit_test(test_type_refs),
        cmocka_unit_test(test_interned_wrappers),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_deprecation),
        cmocka_unit_test(test_descriptions),
        cmocka_unit_test(test_scalars_and_directives),
        cmocka_unit_test(test_roots),
        cmocka_unit_test(test_possible_types),
        cmocka_unit_test(test_meta_fields),
        cmocka_unit_test(test_prelude),
        cmocka_unit_test(test_unreferenced_scalars),
        cmocka_unit_test(test_type_kind_names),
        cmocka_unit_test(test_large_schema),
        cmocka_unit_test(test_invalid_sdls),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_sdl_is_copied),
        cmocka_unit_test(test_no_diags_list),
        cmocka_unit_test(test_diags_max),
        cmocka_unit_test(test_bind),
        cmocka_unit_test_teardown(test_alloc_failure, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
