// SPDX-License-Identifier: MIT
// A cluster: two lectern nodes (`serve`) on one PostgreSQL database behind nginx. A change made
// through one node — a token deactivated, a role taken from a token's creator, the creator
// deactivated — must take effect on the other node within one second (PRODUCT.md: "a
// deactivation on one node takes effect on every node within one second"; the nodes hear each
// other through LISTEN/NOTIFY, and their token caches expire after 1 s anyway). Each check polls
// both nodes directly until the change shows, with a deadline of one second from the moment the
// change's response came back; the delays of 20 revocations are reported (median and maximum)
// on a line that starts with CLUSTER-REVOCATION-DELAY.
//
// Runs only on PostgreSQL: LECTERN_TEST_PG names the cluster (scripts/test.sh starts one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, assertUnauthenticated, createRole, createToken, createUser,
  gql, login, ok, setTokenActive, setUserActive, unique,
} from './lib/api.mjs';
import { startNginx } from './lib/nginx.mjs';
import { sleep, startLectern } from './lib/server.mjs';
import { onPostgres } from './lib/store.mjs';

const SKIP = onPostgres ? false
  : 'a cluster needs PostgreSQL: set LECTERN_TEST_PG to a base URL (scripts/pg-cluster.sh starts a private cluster; scripts/test.sh does)';

// The bound of PRODUCT.md.
const WITHIN_MS = 1000;
const REVOCATIONS = 20;
const POLL_MS = 2;

const Q_VIEWER = '{ viewer { user { id } } }';
const Q_USERS = '{ users(first: 1) { totalCount } }';
const DEACTIVATED = 'The token has been deactivated.';
const CREATOR = "The token's creator is deactivated.";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => Number(x.toFixed(1));

// Polls `node` with the token until `refused(response)`; resolves the milliseconds since t0
// (performance.now() when the change's response arrived). Fails when WITHIN_MS passes first,
// and checks that the next requests stay refused (no node flips back).
async function untilRefused(node, name, token, query, refused, t0, what) {
  let last;
  for (;;) {
    last = await gql(node, query, null, { token });
    const now = performance.now() - t0;
    if (refused(last)) {
      for (let i = 0; i < 3; i++) {
        const again = await gql(node, query, null, { token });
        assert.ok(refused(again), `${what}: node ${name} accepted the token again after refusing it: ` +
          `${again.status} ${JSON.stringify(again.body)}`);
      }
      return { response: last, ms: now };
    }
    assert.ok(now <= WITHIN_MS, `${what}: node ${name} still accepts the token ${ms(now)} ms after ` +
      `the change (bound: ${WITHIN_MS} ms): ${last.status} ${JSON.stringify(last.body)}`);
    await sleep(POLL_MS);
  }
}

// untilRefused on every node at once: {A: {response, ms}, B: {...}}.
async function refusedEverywhere(nodes, token, query, refused, t0, what) {
  const names = Object.keys(nodes);
  const r = await Promise.all(names.map((n) => untilRefused(nodes[n], n, token, query, refused, t0, what)));
  return Object.fromEntries(names.map((n, i) => [n, r[i]]));
}

const isStatus = (status) => (r) => r.status === status;
// data.users is null with FORBIDDEN naming read:users (the token lost the permission).
const usersForbidden = (r) => r.status === 200 && r.body?.data?.users === null &&
  (r.body.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN' && e.extensions?.permission === 'read:users');

describe('two nodes on one PostgreSQL database behind nginx', { skip: SKIP }, () => {
  let A;
  let B;
  let lb;
  let admin;
  let nodes;

  before(async () => {
    // No tenant rate limit: the tests send many requests within a minute.
    A = await startLectern({ args: ['--rate-limit', '0'] });
    B = await startLectern({ init: false, store: A.store, args: ['--rate-limit', '0'] });
    lb = await startNginx([A, B]);
    nodes = { A, B };
    // One Console session, made through A; sessions live in the database, so B knows it too.
    admin = await login(A, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  after(async () => {
    await lb?.stop();
    for (const n of [A, B]) if (n) assert.equal(await n.stop(), 0, 'a node did not exit cleanly');
  });

  test('the nodes share one database: a session and a token made through A work on B', async () => {
    assert.equal(A.store, B.store);
    assert.notEqual(A.port, B.port);
    const d = await ok(B, '{ viewer { user { email } } }', null, { session: admin });
    assert.equal(d.viewer.user.email, ADMIN_EMAIL);
    const tok = await createToken(A, admin);
    for (const n of [A, B]) {
      const v = await ok(n, '{ viewer { token { id } } }', null, { token: tok.secret });
      assert.equal(v.viewer.token.id, tok.token.id);
    }
  });

  test('through the balancer: a token made through A answers from both nodes', async () => {
    const tok = await createToken(A, admin);
    const upstreams = new Set();
    for (let i = 0; i < 6; i++) {
      const r = await gql(lb, Q_VIEWER, null, { token: tok.secret });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.errors, undefined, JSON.stringify(r.body));
      upstreams.add(r.headers['x-upstream']);
    }
    assert.deepEqual([...upstreams].sort(), [`127.0.0.1:${A.port}`, `127.0.0.1:${B.port}`].sort(),
      'the balancer did not use both nodes');
  });

  test('a token deactivated through B is refused by both nodes within one second, and reactivated through A works on both again', async (t) => {
    const tok = await createToken(A, admin);
    for (const n of [A, B, lb]) await ok(n, Q_VIEWER, null, { token: tok.secret }); // cached everywhere

    await setTokenActive(B, admin, tok.token.id, false);
    let t0 = performance.now();
    const off = await refusedEverywhere(nodes, tok.secret, Q_VIEWER, isStatus(401), t0, 'deactivation');
    for (const n of Object.values(off)) assertUnauthenticated(n.response, DEACTIVATED);
    assertUnauthenticated(await gql(lb, Q_VIEWER, null, { token: tok.secret }), DEACTIVATED, 'through the balancer');

    await setTokenActive(A, admin, tok.token.id, true);
    t0 = performance.now();
    const on = await refusedEverywhere(nodes, tok.secret, Q_VIEWER, isStatus(200), t0, 'reactivation');
    await ok(lb, Q_VIEWER, null, { token: tok.secret });
    t.diagnostic(`deactivation through B seen after A ${ms(off.A.ms)} ms, B ${ms(off.B.ms)} ms; ` +
      `reactivation through A seen after A ${ms(on.A.ms)} ms, B ${ms(on.B.ms)} ms`);
  });

  test(`${REVOCATIONS} revocations through B: every one refused by both nodes within one second (delays reported)`, async (t) => {
    const remote = [];
    const local = [];
    for (let i = 0; i < REVOCATIONS; i++) {
      const tok = await createToken(A, admin, { name: unique(`rev${i}-`) });
      await ok(A, Q_VIEWER, null, { token: tok.secret });
      await ok(B, Q_VIEWER, null, { token: tok.secret });
      await setTokenActive(B, admin, tok.token.id, false);
      const t0 = performance.now();
      const r = await refusedEverywhere(nodes, tok.secret, Q_VIEWER, isStatus(401), t0, `revocation ${i + 1}`);
      assertUnauthenticated(r.A.response, DEACTIVATED);
      remote.push(r.A.ms);
      local.push(r.B.ms);
    }
    const line = `CLUSTER-REVOCATION-DELAY n=${REVOCATIONS} ` +
      `other_node_median_ms=${ms(median(remote))} other_node_max_ms=${ms(Math.max(...remote))} ` +
      `same_node_median_ms=${ms(median(local))} same_node_max_ms=${ms(Math.max(...local))} ` +
      `bound_ms=${WITHIN_MS} poll_ms=${POLL_MS} (from the deactivation's response to the first 401; ` +
      `deactivated through node B, "other node" = A)`;
    t.diagnostic(line);
    console.log(line);
    t.diagnostic(`other node, each (ms): ${remote.map(ms).join(' ')}`);
  });

  test('a role taken from the token\'s creator through B: the permission is gone on both nodes within one second', async () => {
    const roleId = await createRole(A, admin, ['read:users', 'create:developer_tokens'], unique('readers-'));
    const password = `pw ${unique()} long enough`;
    const u = await createUser(A, admin, { password, roleIds: [roleId] });
    const session = await login(A, TENANT, u.email, password);
    const tok = await createToken(A, session);
    for (const n of [A, B]) {
      const d = await ok(n, Q_USERS, null, { token: tok.secret });
      assert.ok(d.users.totalCount >= 2);
    }
    await ok(B, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }',
      { u: u.id, r: roleId }, { session: admin });
    const t0 = performance.now();
    await refusedEverywhere(nodes, tok.secret, Q_USERS, usersForbidden, t0, 'role removal');
    // The token itself still authenticates: only the permission went.
    await ok(A, Q_VIEWER, null, { token: tok.secret });
    // Given back through A: on both nodes again.
    await ok(A, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }',
      { u: u.id, r: roleId }, { session: admin });
    await refusedEverywhere(nodes, tok.secret, Q_USERS, (r) => r.status === 200 && r.body?.data?.users?.totalCount >= 2,
      performance.now(), 'role given back');
  });

  test('the token\'s creator deactivated through B: refused by both nodes within one second', async () => {
    const roleId = await createRole(A, admin, ['read:users', 'create:developer_tokens'], unique('creators-'));
    const password = `pw ${unique()} long enough`;
    const u = await createUser(A, admin, { password, roleIds: [roleId] });
    const session = await login(A, TENANT, u.email, password);
    const tok = await createToken(A, session);
    for (const n of [A, B]) await ok(n, Q_USERS, null, { token: tok.secret });

    await setUserActive(B, admin, u.id, false);
    const t0 = performance.now();
    const r = await refusedEverywhere(nodes, tok.secret, Q_USERS, isStatus(401), t0, 'creator deactivation');
    for (const n of Object.values(r)) assertUnauthenticated(n.response, CREATOR);
    // Their Console session ended too, on both nodes.
    for (const n of [A, B]) {
      const s = await gql(n, Q_VIEWER, null, { session });
      assert.equal(s.status, 401, JSON.stringify(s.body));
    }
    // Normal requests still work through the balancer.
    const d = await ok(lb, '{ viewer { user { email } } }', null, { session: admin });
    assert.equal(d.viewer.user.email, ADMIN_EMAIL);
  });
});
