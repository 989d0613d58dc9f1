// SPDX-License-Identifier: MIT
// Introspection as tools use it: graphql-js's getIntrospectionQuery() (plain, and with every
// option) against songs-server, buildClientSchema on the answer, printSchema, and the result
// must be the songs SDL as graphql-js itself prints it. The raw answer is also compared with
// what graphql-js returns for the same query on the same schema, which covers what
// printSchema leaves out (built-in scalars' and directives' descriptions, introspection types).
// The order of __schema.types is left open by the specification: it is normalized before both
// comparisons and only reported.
//
// lectern implements the October 2021 specification; graphql-js 16.15 already serves a few
// introspection additions made after it (OneOf input objects, deprecated directives). Those,
// and only those, are taken out of graphql-js's answer before the raw comparison
// (withoutPost2021), and a query that asks for one of them (isOneOf) must get the validation
// error graphql-js itself gives for a field its schema does not have.
//
// Limited to the songs schema: it is the only schema served over HTTP without authentication
// (interfaces, unions, enums, input objects and deprecations are covered by the engine's unit
// tests, tests/unit/graphql/test_introspect.c, not here).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  graphql,
  printSchema,
} from 'graphql';
import { createSongsSchema } from '../../bench/songs/reference.mjs';
import { postGraphQL, repoFile, startSongs } from './lib/songs.mjs';

const SDL = fs.readFileSync(repoFile('bench/songs/songs.graphql'), 'utf8');
const expectedPrinted = printSchema(buildSchema(SDL));

const VARIANTS = [
  ['default options', {}],
  ['every option', {
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  }],
  ['no descriptions', { descriptions: false }],
  // graphql-js 16.9+ tools may ask for isOneOf (OneOf input objects): not in Oct 2021.
  ['oneOf', { oneOf: true }, { post2021: true }],
];

// What graphql-js 16.15's introspection has beyond the October 2021 specification, each with
// where it shows; withoutPost2021 removes exactly these from a copy of graphql-js's answer (and
// fails when one is not there to remove, so that the list stays true).
//   @oneOf and __Type.isOneOf: OneOf input objects (RFC, graphql-js 16.9).
//   __Directive.isDeprecated / deprecationReason, __Schema.directives(includeDeprecated:),
//   DIRECTIVE_DEFINITION in __DirectiveLocation and in @deprecated's locations: deprecated
//   directives (graphql-js 16.10+).
const POST_2021 = {
  directives: ['oneOf'],
  directiveLocations: { deprecated: ['DIRECTIVE_DEFINITION'] },
  fields: {
    __Type: ['isOneOf'],
    __Directive: ['isDeprecated', 'deprecationReason'],
  },
  args: { '__Schema.directives': ['includeDeprecated'] },
  enumValues: { __DirectiveLocation: ['DIRECTIVE_DEFINITION'] },
};

function withoutPost2021(data) {
  const copy = structuredClone(data);
  const schema = copy.__schema;
  const drop = (list, names, what) => {
    for (const n of names) {
      const i = list.findIndex((x) => (typeof x === 'string' ? x : x.name) === n);
      assert.ok(i >= 0, `graphql-js no longer has ${what} ${n}: update POST_2021`);
      list.splice(i, 1);
    }
  };
  const type = (name) => schema.types.find((t) => t.name === name);
  drop(schema.directives, POST_2021.directives, 'directive');
  for (const [d, locs] of Object.entries(POST_2021.directiveLocations)) {
    drop(schema.directives.find((x) => x.name === d).locations, locs, `@${d} location`);
  }
  for (const [t, names] of Object.entries(POST_2021.fields)) {
    drop(type(t).fields, names, `${t} field`);
  }
  for (const [coord, names] of Object.entries(POST_2021.args)) {
    const [t, f] = coord.split('.');
    drop(type(t).fields.find((x) => x.name === f).args, names, `${coord} argument`);
  }
  for (const [t, names] of Object.entries(POST_2021.enumValues)) {
    drop(type(t).enumValues, names, `${t} value`);
  }
  return copy;
}

// Types and directives in name order: the specification does not order __schema.types or
// __schema.directives. Everything else (fields, arguments, enum values) keeps its order.
function normalize(data) {
  const copy = structuredClone(data);
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  copy.__schema.types.sort(byName);
  copy.__schema.directives.sort(byName);
  return copy;
}

// __schema.types in the order graphql-js has them for the SDL (first definition or
// reference), the rest after in their own order. printSchema prints types in this order, and
// the specification leaves it open, so the SDL comparison does not depend on it.
const sdlOrder = Object.keys(buildSchema(SDL).getTypeMap());
function inSdlOrder(data) {
  const copy = structuredClone(data);
  const rank = (t) => {
    const i = sdlOrder.indexOf(t.name);
    return i < 0 ? sdlOrder.length : i;
  };
  copy.__schema.types = copy.__schema.types
    .map((t, i) => [t, i])
    .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
    .map(([t]) => t);
  return copy;
}

function isDeepEqual(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

// What differs between two lists of named introspection records (types or directives), in
// words: missing and extra names, then for each common name the keys that differ, and for
// lists of named things (fields, args, enumValues, inputFields) which names differ.
function listDiffs(what, ours, theirs) {
  const out = [];
  const o = new Map(ours.map((x) => [x.name, x]));
  const t = new Map(theirs.map((x) => [x.name, x]));
  for (const name of t.keys()) if (!o.has(name)) out.push(`${what} ${name}: missing`);
  for (const name of o.keys()) if (!t.has(name)) out.push(`${what} ${name}: not in graphql-js`);
  for (const [name, theirsRec] of t) {
    const oursRec = o.get(name);
    if (!oursRec || isDeepEqual(oursRec, theirsRec)) continue;
    for (const key of new Set([...Object.keys(theirsRec), ...Object.keys(oursRec)])) {
      const a = oursRec[key];
      const b = theirsRec[key];
      if (isDeepEqual(a, b)) continue;
      if (Array.isArray(a) && Array.isArray(b) && b.every((x) => x && typeof x.name === 'string')) {
        const an = a.map((x) => x.name);
        const bn = b.map((x) => x.name);
        const missing = bn.filter((n) => !an.includes(n));
        const extra = an.filter((n) => !bn.includes(n));
        const named = (list, n) => list.find((x) => x.name === n);
        const changed = bn.filter((n) => an.includes(n) && !isDeepEqual(named(a, n), named(b, n)));
        const changes = changed.map((n) => `${JSON.stringify(named(a, n))} vs graphql-js ` +
          JSON.stringify(named(b, n)));
        let text = `${what} ${name}.${key}:`;
        if (missing.length) text += ` missing ${missing.join(', ')};`;
        if (extra.length) text += ` extra ${extra.join(', ')};`;
        if (changes.length) text += ` differing ${changes.join('; ')};`;
        if (!missing.length && !extra.length && !changes.length) {
          text += ` order ${an.join(',')} vs ${bn.join(',')}`;
        }
        out.push(text);
      } else {
        out.push(`${what} ${name}.${key}: ${JSON.stringify(a)}, graphql-js ${JSON.stringify(b)}`);
      }
    }
  }
  return out;
}

describe('introspection of songs-server', () => {
  let srv;
  before(async () => {
    srv = await startSongs();
  });
  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0);
  });

  for (const [label, options, { post2021 } = {}] of VARIANTS) {
    const query = getIntrospectionQuery(options);

    if (post2021) {
      test(`getIntrospectionQuery (${label}) asks for what October 2021 does not have`,
        async () => {
          const r = await postGraphQL(srv.url, { query, operationName: 'IntrospectionQuery' });
          assert.equal(r.status, 400, r.text);
          const ref = await graphql({ schema: createSongsSchema(), source: query });
          assert.equal(ref.errors, undefined);
          assert.deepEqual(r.body.errors.map((e) => e.message),
            ['Cannot query field "isOneOf" on type "__Type".']);
        });
      continue;
    }

    test(`getIntrospectionQuery (${label}) → buildClientSchema → printSchema is the SDL`,
      async () => {
        const r = await postGraphQL(srv.url, { query, operationName: 'IntrospectionQuery' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
        const client = buildClientSchema(inSdlOrder(r.body.data));
        assert.equal(printSchema(client), expectedPrinted);
      });

    test(`getIntrospectionQuery (${label}): the answer equals graphql-js's`, async () => {
      const r = await postGraphQL(srv.url, { query });
      assert.equal(r.status, 200, r.text);
      const ref = await graphql({ schema: createSongsSchema(), source: query });
      assert.equal(ref.errors, undefined);
      assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
      const ours = normalize(r.body.data);
      const theirs = normalize(withoutPost2021(JSON.parse(JSON.stringify(ref.data))));
      // Every difference at once, by type and directive, then the whole for the record.
      const diffs = [
        ...listDiffs('type', ours.__schema.types, theirs.__schema.types),
        ...listDiffs('directive', ours.__schema.directives, theirs.__schema.directives),
      ];
      for (const k of Object.keys(theirs.__schema)) {
        if (k === 'types' || k === 'directives') continue;
        if (!isDeepEqual(ours.__schema[k], theirs.__schema[k])) {
          diffs.push(`__schema.${k}: ${JSON.stringify(ours.__schema[k])}, ` +
            `graphql-js ${JSON.stringify(theirs.__schema[k])}`);
        }
      }
      assert.deepEqual(diffs, []);
      assert.deepEqual(ours, theirs);
    });
  }

  test('order of __schema.types (not asserted: the specification leaves it open)', async (t) => {
    const r = await postGraphQL(srv.url, { query: '{ __schema { types { name } } }' });
    assert.equal(r.status, 200, r.text);
    const ours = r.body.data.__schema.types.map((x) => x.name);
    const same = ours.join() === sdlOrder.join();
    t.diagnostic(`__schema.types order ${same ? 'is' : 'is not'} graphql-js's: ${ours.join(' ')}`);
  });

  test('the introspection query over GET gives the same answer as over POST', async () => {
    const query = getIntrospectionQuery();
    const post = await postGraphQL(srv.url, { query });
    const res = await fetch(`${srv.url}?${new URLSearchParams({ query })}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), post.body);
  });
});
