// SPDX-License-Identifier: MIT
// Differential conformance: every request of tests/e2e/corpus/songs.mjs goes to songs-server
// (lectern's engine) and to graphql-js behind graphql-http's handler (bench/songs/
// reference.mjs), both started fresh on the same schema and data. Required for each request:
// the same HTTP status, the same `data`, errors present on both or neither, as many errors,
// the same error paths, and the same locations wherever graphql-js gives them. Error messages
// are compared too: for syntax and validation errors they must be graphql-js's word for word
// (they are meant to match; exceptions go into messageAllowlist with the reason); for the
// others, how many agree is only reported. Error order is not specified, so both lists are
// compared sorted by location, path and message.
//
// One known deviation of the reference is corrected for: for a result without `data`
// (variable coercion failed) graphql-http answers 200 even to application/graphql-response+json,
// where GraphQL over HTTP asks for a 4xx (graphql-http's own audit 86EE); we expect 400 there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReference } from '../../bench/songs/reference.mjs';
import { corpus } from './corpus/songs.mjs';
import { GQL_MEDIA, postGraphQL, startSongs } from './lib/songs.mjs';

// case name -> why its syntax or validation messages may differ from graphql-js's. A listed
// case whose messages all match fails the run, so that the list stays true.
const messageAllowlist = {
  'custom scalar default of the wrong kind, unused':
    'songs-server\'s Date parser explains itself ("Date must be a string such as ...") and the ' +
    'engine appends that as graphql-js does when parseLiteral throws; the reference\'s ' +
    'Date.parseLiteral returns undefined instead, which graphql-js reports without a reason',
};

// case name -> why songs-server is allowed to answer it differently from graphql-js (status,
// data, errors, paths or locations). Same rule: a listed case that agrees fails the run.
// lectern implements the October 2021 specification; graphql-js 16.15 follows later drafts in
// the lexer (braced escapes, control characters) and serves later introspection additions.
const POST_2021_INTROSPECTION =
  'October 2021 introspection: graphql-js 16.15 also serves the later @oneOf directive, ' +
  '__Type.isOneOf, __Directive.isDeprecated/deprecationReason and the DIRECTIVE_DEFINITION ' +
  'location (tests/e2e/22-graphql-introspection.test.mjs compares everything else)';
const expectedDifferences = {
  'string argument with a braced \\u{} escape':
    'October 2021 spec: EscapedUnicode is exactly four hex digits; the braced form \\u{...} came ' +
    'later, so lectern answers a syntax error where graphql-js 16 reads the escape',
  'control characters are allowed inside a string':
    'October 2021 spec: SourceCharacter excludes control characters other than tab, LF and CR, ' +
    'so U+0001 in a string is a syntax error (graphql-js 16 follows the later spec)',
  'control characters are allowed inside a block string':
    'October 2021 spec: SourceCharacter excludes control characters other than tab, LF and CR, ' +
    'so U+0001 in a block string is a syntax error (graphql-js 16 follows the later spec)',
  'control characters are allowed inside a comment':
    'October 2021 spec: SourceCharacter excludes control characters other than tab, LF and CR, ' +
    'so the comment ends before U+0007, which is then an unexpected character (graphql-js 16 ' +
    'follows the later spec)',
  'typename on introspection types': POST_2021_INTROSPECTION,
  '__Type fields': POST_2021_INTROSPECTION,
  '__DirectiveLocation enum values': POST_2021_INTROSPECTION,
  'directives with arguments': POST_2021_INTROSPECTION,
  '__EnumValue and __Directive fields': POST_2021_INTROSPECTION,
};

const MESSAGE_KINDS = new Set(['syntax', 'validation']);
const FACETS = ['status', 'contentType', 'data', 'errorsPresent', 'errorCount', 'paths',
  'locations', 'messages'];

async function send(url, kase) {
  const method = kase.method ?? 'POST';
  let res;
  if (method === 'GET') {
    const params = new URLSearchParams({ query: kase.query });
    if (kase.variables !== undefined) params.set('variables', JSON.stringify(kase.variables));
    if (kase.operationName != null) params.set('operationName', kase.operationName);
    res = await fetch(`${url}?${params}`, { headers: { accept: GQL_MEDIA } });
  } else {
    const body = { query: kase.query };
    if ('variables' in kase) body.variables = kase.variables;
    if ('operationName' in kase) body.operationName = kase.operationName;
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: GQL_MEDIA },
      body: JSON.stringify(body),
    });
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const ct = res.headers.get('content-type');
  return { status: res.status, media: ct ? ct.split(';')[0].trim() : null, body: json, text };
}

// Does graphql-js treat the case as its `kind` says? (The corpus checks itself.)
function kindProblem(kase, ref) {
  const b = ref.body ?? {};
  const errs = b.errors ?? [];
  const hasData = 'data' in b;
  switch (kase.kind) {
    case 'exec':
      return ref.status === 200 && hasData && !b.errors ? null : 'expected a clean execution';
    case 'exec-error':
      return ref.status === 200 && hasData && errs.length > 0
        ? null : 'expected data with field errors';
    case 'syntax':
      return ref.status === 400 && !hasData && errs.length === 1 &&
        errs[0].message.startsWith('Syntax Error:') ? null : 'expected one syntax error';
    case 'validation':
      return ref.status === 400 && !hasData && errs.length > 0 &&
        errs.every((e) => !e.message.startsWith('Syntax Error:') &&
          e.message !== 'Unable to detect operation AST')
        ? null : 'expected validation errors';
    case 'coercion':
      return ref.status === 200 && !hasData && errs.length > 0 &&
        errs.every((e) => e.message.startsWith('Variable "$'))
        ? null : 'expected variable coercion errors';
    case 'operation':
      return ref.status === 400 && !hasData && errs.length > 0
        ? null : 'expected an operation selection error';
    case 'http':
      return ref.status === 405 ? null : 'expected 405';
    default:
      return `unknown kind ${kase.kind}`;
  }
}

const sortKey = (e) => JSON.stringify([e.locations ?? null, e.path ?? null, e.message]);
const sorted = (errs) => [...(errs ?? [])].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

// Compares one pair of answers facet by facet. Returns {facets: {name: bool}, sameMessages,
// totalMessages, diffs: [text]}.
function compare(kase, ref, ours) {
  const diffs = [];
  const facets = {};
  const rb = ref.body ?? {};
  const ob = ours.body ?? {};
  const check = (facet, ok, what) => {
    facets[facet] = ok;
    if (!ok) diffs.push(`${facet}: ${what}`);
  };

  // graphql-http answers 200 to a result without data; GraphQL over HTTP wants a 4xx.
  const wantStatus = ref.status === 200 && ref.body && !('data' in rb) ? 400 : ref.status;
  check('status', ours.status === wantStatus, `expected ${wantStatus}, got ${ours.status}`);
  check('contentType', ref.media === null || ours.media === ref.media,
    `expected ${ref.media}, got ${ours.media}`);
  const dataSame = ('data' in rb) === ('data' in ob) &&
    isDeepEqual(unorder(rb.data, kase.unordered), unorder(ob.data, kase.unordered));
  check('data', dataSame, `expected ${JSON.stringify(rb.data)}, got ${JSON.stringify(ob.data)}`);
  check('errorsPresent', Boolean(rb.errors) === Boolean(ob.errors),
    `expected errors ${rb.errors ? 'present' : 'absent'}, got ${ob.errors ? 'present' : 'absent'}`);
  const re = sorted(rb.errors);
  const oe = sorted(ob.errors);
  check('errorCount', re.length === oe.length, `expected ${re.length}, got ${oe.length}`);
  const n = Math.min(re.length, oe.length);
  let pathsOk = true;
  let locsOk = true;
  let sameMessages = 0;
  for (let i = 0; i < n; i++) {
    if (!isDeepEqual(re[i].path, oe[i].path)) pathsOk = false;
    if (re[i].locations && !isDeepEqual(re[i].locations, oe[i].locations)) locsOk = false;
    if (re[i].message === oe[i].message) sameMessages++;
  }
  check('paths', pathsOk && re.length === oe.length,
    `expected ${JSON.stringify(re.map((e) => e.path))}, ` +
    `got ${JSON.stringify(oe.map((e) => e.path))}`);
  check('locations', locsOk && re.length === oe.length,
    `expected ${JSON.stringify(re.map((e) => e.locations))}, ` +
    `got ${JSON.stringify(oe.map((e) => e.locations))}`);
  const allSame = sameMessages === re.length && re.length === oe.length;
  facets.messages = allSame;
  if (!allSame && MESSAGE_KINDS.has(kase.kind) && !messageAllowlist[kase.name]) {
    diffs.push(`messages: expected ${JSON.stringify(re.map((e) => e.message))}, ` +
      `got ${JSON.stringify(oe.map((e) => e.message))}`);
  }
  return {
    facets,
    sameMessages,
    totalMessages: re.length,
    diffs,
    statusCorrected: wantStatus !== ref.status,
  };
}

// A copy of data with the lists at the given dotted paths sorted (by their JSON text).
function unorder(data, paths) {
  if (!paths || data == null) return data;
  const copy = structuredClone(data);
  for (const p of paths) {
    const keys = p.split('.');
    let parent = copy;
    for (const k of keys.slice(0, -1)) parent = parent?.[k];
    const list = parent?.[keys.at(-1)];
    if (Array.isArray(list)) {
      list.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
  }
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

async function startPair() {
  const ours = await startSongs();
  const ref = await startReference({ port: 0 });
  return {
    ours,
    ref,
    async stop() {
      await ref.close();
      return ours.stop();
    },
  };
}

describe('songs-server answers like graphql-js', () => {
  let shared;
  const sessions = new Map();
  const tally = {
    cases: 0,
    facets: Object.fromEntries(FACETS.map((f) => [f, 0])),
    byKind: {},
    errors: 0,
    sameMessages: 0,
    statusCorrected: 0,
    differing: [],
    otherMessages: [],
  };

  before(async () => {
    shared = await startPair();
  });
  after(async () => {
    for (const pair of sessions.values()) assert.equal(await pair.stop(), 0);
    if (shared) assert.equal(await shared.stop(), 0);
  });

  test('the corpus is large and its names are unique', () => {
    assert.ok(corpus.length >= 150, `only ${corpus.length} cases`);
    const names = new Set();
    for (const k of corpus) {
      assert.ok(!names.has(k.name), `duplicate case name ${k.name}`);
      names.add(k.name);
    }
    for (const name of [...Object.keys(messageAllowlist), ...Object.keys(expectedDifferences)]) {
      assert.ok(names.has(name), `an allowlist names unknown case ${name}`);
    }
  });

  for (const kase of corpus) {
    test(`${kase.kind}: ${kase.name}`, async () => {
      let pair = shared;
      let own = false;
      if (kase.session) {
        if (!sessions.has(kase.session)) sessions.set(kase.session, await startPair());
        pair = sessions.get(kase.session);
      } else if (kase.mutates) {
        pair = await startPair();
        own = true;
      }
      try {
        const ref = await send(pair.ref.url, kase);
        const ours = await send(pair.ours.url, kase);
        const problem = kindProblem(kase, ref);
        assert.equal(problem, null,
          `the corpus case is wrong: graphql-js answered ${ref.status} ${ref.text}`);
        assert.ok(ours.body && typeof ours.body === 'object',
          `songs-server did not answer JSON: ${ours.status} ${ours.text}`);

        const r = compare(kase, ref, ours);
        tally.cases++;
        const k = (tally.byKind[kase.kind] ??= { cases: 0, agree: 0 });
        k.cases++;
        for (const f of FACETS) if (r.facets[f]) tally.facets[f]++;
        tally.errors += r.totalMessages;
        tally.sameMessages += r.sameMessages;
        if (r.statusCorrected) tally.statusCorrected++;
        if (!r.facets.messages && !MESSAGE_KINDS.has(kase.kind)) {
          tally.otherMessages.push(`${kase.name}: ${JSON.stringify(
            sorted(ours.body.errors).map((e) => e.message))} vs graphql-js ${JSON.stringify(
            sorted(ref.body.errors).map((e) => e.message))}`);
        }
        if (r.diffs.length === 0) k.agree++;
        else tally.differing.push(kase.name);

        const allowed = messageAllowlist[kase.name];
        if (allowed) {
          assert.ok(!r.facets.messages,
            `messages match now: remove "${kase.name}" from messageAllowlist (${allowed})`);
        }
        const expected = expectedDifferences[kase.name];
        if (expected) {
          assert.ok(r.diffs.length > 0,
            `"${kase.name}" agrees now: remove it from expectedDifferences (${expected})`);
          return;
        }
        assert.ok(r.diffs.length === 0,
          `${kase.kind} case differs:\n  ${r.diffs.join('\n  ')}\n` +
          `  query: ${JSON.stringify(kase.query)}` +
          (kase.variables !== undefined
            ? `\n  variables: ${JSON.stringify(kase.variables)}` : '') +
          (kase.operationName !== undefined
            ? `\n  operationName: ${JSON.stringify(kase.operationName)}` : '') +
          `\n  graphql-js (${ref.status}): ${ref.text}` +
          `\n  songs-server (${ours.status}): ${ours.text}`);
      } finally {
        if (own) assert.equal(await pair.stop(), 0);
      }
    });
  }

  test('agreement, and songs-server still answers', async (t) => {
    const n = tally.cases;
    const lines = [
      `corpus: ${corpus.length} requests, ${n} compared`,
      ...FACETS.map((f) => `  ${f}: ${tally.facets[f]}/${n} agree`),
      `  error messages identical: ${tally.sameMessages}/${tally.errors}`,
      `  status corrected for graphql-http (no data → 400): ${tally.statusCorrected}`,
      ...Object.entries(tally.byKind)
        .map(([kind, v]) => `  ${kind}: ${v.agree}/${v.cases} cases agree`),
    ];
    if (tally.differing.length) lines.push(`  differing: ${tally.differing.join('; ')}`);
    lines.push(`  other messages that differ (not required): ${tally.otherMessages.length}`);
    for (const m of tally.otherMessages) lines.push(`    ${m}`);
    for (const l of lines) t.diagnostic(l);
    console.log(lines.join('\n'));

    assert.ok(shared.ours.alive(), 'songs-server died during the corpus');
    const r = await postGraphQL(shared.ours.url,
      { query: '{ artist(name: "Fazerdaze") { name } }' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { data: { artist: { name: 'Fazerdaze' } } });
  });
});
