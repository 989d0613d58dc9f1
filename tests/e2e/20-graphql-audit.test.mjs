// SPDX-License-Identifier: MIT
// GraphQL over HTTP conformance: graphql-http's server audits (the GraphQL-over-HTTP
// specification as its reference implementation checks it) against songs-server, which serves
// lectern's engine through the same handler as lectern's /api/graphql. One test per audit:
// MUST, SHOULD and MAY audits all have to pass unless listed in expectedFailures with the
// reason. The score is printed at the end, next to graphql-js's own (graphql-http's handler on
// the same schema) for comparison.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { startReference } from '../../bench/songs/reference.mjs';
import { postGraphQL, startSongs } from './lib/songs.mjs';

// id -> why this audit is allowed to fail. An audit listed here that passes fails the run,
// so that the list stays true.
const expectedFailures = {};

const LEVELS = ['MUST', 'SHOULD', 'MAY'];

// Reads what is left of a failed audit's response for the failure message.
async function describeResponse(res) {
  if (!res) return '(no response)';
  let body = '';
  try {
    body = await res.clone().text();
  } catch {
    try {
      body = await res.text();
    } catch {
      body = '(body already read by the audit)';
    }
  }
  const ct = res.headers?.get?.('content-type');
  return `status ${res.status}, content-type ${ct}, body ${body.slice(0, 500)}`;
}

function score(results) {
  const s = Object.fromEntries(LEVELS.map((l) => [l, { ok: 0, all: 0 }]));
  for (const r of results) {
    const level = r.name.split(' ')[0];
    s[level].all++;
    if (r.status === 'ok') s[level].ok++;
  }
  return LEVELS.map((l) => `${l} ${s[l].ok}/${s[l].all}`).join(', ');
}

describe('graphql-http server audits against songs-server', () => {
  let srv;
  const results = [];
  // The audits are built once with a URL resolved when they run (the port is known only then).
  const audits = serverAudits({ url: () => srv.url });

  before(async () => {
    srv = await startSongs();
  });
  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0, 'songs-server did not exit cleanly');
  });

  test('the audit list is the one this file knows', () => {
    assert.ok(audits.length >= 30, `only ${audits.length} audits`);
    for (const id of Object.keys(expectedFailures)) {
      assert.ok(audits.some((a) => a.id === id), `expectedFailures names unknown audit ${id}`);
    }
    for (const a of audits) assert.ok(LEVELS.includes(a.name.split(' ')[0]), a.name);
  });

  for (const a of audits) {
    test(`${a.id} ${a.name}`, async () => {
      const r = await a.fn();
      results.push(r);
      const expected = expectedFailures[a.id];
      if (expected) {
        assert.notEqual(r.status, 'ok',
          `audit ${a.id} passes now: remove it from expectedFailures (${expected})`);
        return;
      }
      if (r.status !== 'ok') {
        assert.fail(`${r.status}: ${r.reason}; ${await describeResponse(r.response)}`);
      }
    });
  }

  test('score, and the server still answers after every audit', async (t) => {
    assert.equal(results.length, audits.length);
    const ours = score(results);
    t.diagnostic(`songs-server: ${ours}`);
    console.log(`graphql-http audit, songs-server: ${ours}`);
    for (const r of results.filter((x) => x.status !== 'ok')) {
      t.diagnostic(`  failed ${r.id} ${r.name}: ${r.reason}` +
        (expectedFailures[r.id] ? ` (expected: ${expectedFailures[r.id]})` : ''));
    }

    // For scale: graphql-js behind graphql-http's own handler, same schema.
    const ref = await startReference({ port: 0 });
    try {
      const refResults = [];
      for (const a of serverAudits({ url: ref.url })) refResults.push(await a.fn());
      const theirs = score(refResults);
      t.diagnostic(`graphql-js reference: ${theirs}`);
      console.log(`graphql-http audit, graphql-js reference: ${theirs}`);
    } finally {
      await ref.close();
    }

    assert.ok(srv.alive(), 'songs-server died during the audits');
    const r = await postGraphQL(srv.url, { query: '{ artists { name } }' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      data: { artists: [{ name: 'Fazerdaze' }, { name: 'Viagra Boys' }] },
    });
  });
});
