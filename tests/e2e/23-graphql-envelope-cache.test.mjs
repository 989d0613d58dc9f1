// SPDX-License-Identifier: MIT
// The parsed-envelope cache (src/http/graphql_envelope_cache.c) caches how a POST body parses,
// never what it answers: a repeated mutation runs every time, bodies that differ only in their
// variables are told apart, and the header checks still apply to a cached body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSongs } from './lib/songs.mjs';

let srv;
before(async () => { srv = await startSongs(); });
after(async () => { await srv?.stop(); });

const post = (body, headers = {}) => fetch(srv.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

test('the same mutation body runs each time it is sent', async () => {
  const body = JSON.stringify({ query: 'mutation{like(artist:"Viagra Boys",song:"Worms"){likes}}' });
  for (const want of [1, 2, 3, 4]) {
    const res = await post(body);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { like: { likes: want } } });
  }
});

test('bodies that differ only in their variables get their own answers', async () => {
  const q = 'query($n: String!){ artist(name: $n){ name } }';
  for (const name of ['Fazerdaze', 'Viagra Boys', 'Fazerdaze', 'Nobody', 'Viagra Boys']) {
    const res = await post({ query: q, variables: { n: name } });
    const doc = await res.json();
    assert.deepEqual(doc, { data: { artist: name === 'Nobody' ? null : { name } } });
  }
});

test('a cached body is still checked against Accept and Content-Type', async () => {
  const body = JSON.stringify({ query: '{ artists { name } }' });
  let res = await post(body);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  res = await post(body, { accept: 'application/graphql-response+json' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/graphql-response\+json/);
  res = await post(body, { 'content-type': 'text/plain' });
  assert.equal(res.status, 415);
  res = await post(body, { accept: 'text/html' });
  assert.equal(res.status, 406);
  res = await post(body);
  assert.equal(res.status, 200);
});
