// SPDX-License-Identifier: MIT
// Rate limits across the nodes of a cluster: a tenant's limit holds for the cluster, not per
// node. Each node adds what it let through to counters in PostgreSQL every 100 ms and then reads
// every counter any node changed since its last look (src/auth/rate_share.c), so the nodes
// together overshoot by at most what they let through within one sync of each other's requests.
// The test waits well past a sync before each check (the bound it checks is on counts, not on
// time): without sharing, node B would let through a whole limit of its own after node A had
// spent it.
//
// Runs only on PostgreSQL: LECTERN_TEST_PG names the cluster (scripts/test.sh starts one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, awayFromWindowEdge, createToken, gql, login,
} from './lib/api.mjs';
import { sleep, startLectern } from './lib/server.mjs';
import { onPostgres, sql } from './lib/store.mjs';

const SKIP = onPostgres ? false
  : 'sharing rate limits needs a shared store: set LECTERN_TEST_PG (scripts/test.sh does)';

const LIMIT = 30;
const WINDOW_S = 60;
// Several sync intervals (100 ms), so that a loaded machine still gets a sync in between.
const SETTLE_MS = 1000;
const Q = '{ viewer { user { id } } }';

async function send(node, token, n) {
  const counts = { ok: 0, limited: 0 };
  let last;
  for (let i = 0; i < n; i++) {
    last = await gql(node, Q, null, { token });
    if (last.status === 200) counts.ok++;
    else if (last.status === 429) counts.limited++;
    else assert.fail(`unexpected ${last.status}: ${JSON.stringify(last.body)}`);
  }
  return { ...counts, last };
}

describe('a tenant rate limit shared by two nodes on one PostgreSQL database', { skip: SKIP }, () => {
  let A;
  let B;
  let token;

  before(async () => {
    const args = ['--rate-limit', String(LIMIT), '--rate-window-s', String(WINDOW_S)];
    A = await startLectern({ args });
    B = await startLectern({ init: false, store: A.store, args });
    const admin = await login(A, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    token = (await createToken(A, admin)).secret;
  });

  after(async () => {
    for (const n of [A, B]) if (n) assert.equal(await n.stop(), 0, 'a node did not exit cleanly');
  });

  test('what node A let through counts on node B; both refuse once the window is spent', async () => {
    // Everything below must fall in one fixed window; the sends and waits take ~5 s.
    await awayFromWindowEdge(WINDOW_S, 20);
    const a1 = await send(A, token, 20);
    assert.equal(a1.ok, 20);
    // B's first request. B may push it before A has pushed its 20 (CI once saw that): B must
    // learn them all the same, though it has nothing more to push.
    const b1 = await send(B, token, 1);
    assert.equal(b1.ok, 1);
    await sleep(SETTLE_MS);
    // 21 are spent: B lets 9 more through, not the 29 a node of its own would.
    const b2 = await send(B, token, 15);
    assert.equal(b2.ok, LIMIT - 21, `B let ${b2.ok} through after A's 20 and its 1`);
    assert.equal(b2.limited, 15 - (LIMIT - 21));
    assert.equal(b2.last.status, 429);
    assert.ok(Number(b2.last.headers['retry-after']) >= 1, 'Retry-After');
    assert.equal(b2.last.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    await sleep(SETTLE_MS);
    // A, idle since its 20, has read B's counts in the meantime: nothing more gets through.
    const a2 = await send(A, token, 3);
    assert.equal(a2.ok, 0, 'A still lets requests through after the window was spent on B');
    assert.equal(a2.last.status, 429);
    const admitted = a1.ok + b1.ok + b2.ok + a2.ok;
    assert.equal(admitted, LIMIT);
    // The shared counter holds every request let through (and nothing refused).
    await sleep(SETTLE_MS);
    const hits = Number(await sql(A.dataDir,
      `SELECT sum(hits) FROM rate_counters WHERE kind = 1 AND window_end > ${Math.floor(Date.now() / 1000)}`));
    assert.equal(hits, admitted);
  });
});
