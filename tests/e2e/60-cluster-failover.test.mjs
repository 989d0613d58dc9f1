// SPDX-License-Identifier: MIT
// A node of the cluster dies (SIGKILL) while clients stream requests through nginx: the stream
// keeps succeeding through the other node. nginx skips a node that refuses connections or
// drops them (proxy_next_upstream error) and leaves it alone for fail_timeout. A GET (a GraphQL
// query) that reached the dying node is sent again to the other one, so no GET may fail. A
// POST that had already reached the dying node is not sent again (it may have been a mutation
// that committed: nginx resends only idempotent requests), so a POST may fail with 502 — only
// one sent while the node was dying, and at most one per POST client (the requests in flight at
// that moment). The counts are reported on a line that starts with CLUSTER-FAILOVER.
//
// Runs only on PostgreSQL: LECTERN_TEST_PG names the cluster (scripts/test.sh starts one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, createToken, gql, login, ok } from './lib/api.mjs';
import { startNginx } from './lib/nginx.mjs';
import { sleep, startLectern } from './lib/server.mjs';
import { onPostgres } from './lib/store.mjs';

const SKIP = onPostgres ? false
  : 'a cluster needs PostgreSQL: set LECTERN_TEST_PG to a base URL (scripts/pg-cluster.sh starts a private cluster; scripts/test.sh does)';

const CLIENTS = { GET: 2, POST: 2 }; // concurrent request loops of each method
const BEFORE_KILL_MS = 1500;
const AFTER_KILL_MS = 2500;
const Q = '{ viewer { user { email } } }';

describe('a node killed during a request stream through nginx', { skip: SKIP }, () => {
  let A;
  let B;
  let lb;
  let admin;

  before(async () => {
    A = await startLectern({ args: ['--rate-limit', '0'] });
    B = await startLectern({ init: false, store: A.store, args: ['--rate-limit', '0'] });
    lb = await startNginx([A, B]);
    admin = await login(A, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  after(async () => {
    await lb?.stop();
    if (B) assert.equal(await B.stop(), 0);
    if (A) await A.stop('SIGKILL');
  });

  test('the stream keeps succeeding through the other node; only requests in flight at the kill may fail', async (t) => {
    const tok = await createToken(A, admin);
    const aAddr = `127.0.0.1:${A.port}`;
    const bAddr = `127.0.0.1:${B.port}`;
    const results = []; // {method, start, end, ok, status, upstream, error, body}
    let killAt = Infinity;
    let deadAt = Infinity; // when this process saw the node's exit: it was dying until then
    const stopAt = () => killAt + AFTER_KILL_MS;

    async function client(method) {
      while (performance.now() < stopAt()) {
        const start = performance.now();
        let rec;
        try {
          const r = await gql(lb, Q, null, { token: tok.secret, method });
          const good = r.status === 200 && r.body?.data?.viewer?.user?.email === ADMIN_EMAIL && !r.body.errors;
          rec = { status: r.status, ok: good, upstream: r.headers['x-upstream'] ?? '', body: good ? undefined : r.body };
        } catch (err) {
          rec = { status: 0, ok: false, upstream: '', error: err.message };
        }
        results.push({ method, start, end: performance.now(), ...rec });
      }
    }
    const loops = Object.entries(CLIENTS).flatMap(([m, n]) => Array.from({ length: n }, () => client(m)));
    await sleep(BEFORE_KILL_MS);
    killAt = performance.now();
    A.proc.kill('SIGKILL');
    const exit = await A.exited;
    deadAt = performance.now();
    await Promise.all(loops);
    assert.equal(exit.signal, 'SIGKILL');

    const before = results.filter((r) => r.end < killAt);
    const afterDeath = results.filter((r) => r.start > deadAt);
    const failed = results.filter((r) => !r.ok);
    const count = (m) => failed.filter((r) => r.method === m).length;
    const line = `CLUSTER-FAILOVER requests=${results.length} failed=${failed.length} ` +
      `(GET ${count('GET')}, POST ${count('POST')}) clients=GET:${CLIENTS.GET},POST:${CLIENTS.POST} ` +
      `before_kill=${before.length} after_death=${afterDeath.length} dying_ms=${(deadAt - killAt).toFixed(1)} ` +
      '(SIGKILL of one of two nodes behind nginx)';
    t.diagnostic(line);
    console.log(line);
    const describeFailure = (f) => `${f.method} ${(f.start - killAt).toFixed(1)}..${(f.end - killAt).toFixed(1)} ms ` +
      `from the kill, via ${f.upstream || '?'}: ${f.status} ${f.error ?? String(JSON.stringify(f.body)).slice(0, 120)}`;
    for (const f of failed) t.diagnostic(`failed: ${describeFailure(f)}`);

    // Before the kill both nodes served and nothing failed.
    assert.ok(before.length >= 20, `only ${before.length} requests before the kill`);
    assert.deepEqual(before.filter((r) => !r.ok).map(describeFailure), [], 'requests failed before the kill');
    const usedBefore = new Set(before.map((r) => r.upstream));
    assert.ok(usedBefore.has(aAddr) && usedBefore.has(bAddr), `before the kill: ${[...usedBefore]}`);
    // The bound: no GET fails; a POST fails only if it reached A while A was dying, at most one
    // per POST client.
    assert.deepEqual(failed.filter((f) => f.method === 'GET').map(describeFailure), [], 'a GET failed');
    assert.ok(count('POST') <= CLIENTS.POST, `${count('POST')} POSTs failed, more than the ${CLIENTS.POST} that can be in flight`);
    for (const f of failed) {
      assert.ok(f.start >= killAt - 1000 && f.start <= deadAt, `failed outside the kill: ${describeFailure(f)}`);
      assert.ok(f.upstream === '' || f.upstream.split(', ').includes(aAddr), `failed without A: ${describeFailure(f)}`);
    }
    // After the kill: many requests, all answered by B (nginx may try A first and move on).
    assert.ok(afterDeath.length >= 20, `only ${afterDeath.length} requests after the kill`);
    assert.deepEqual(afterDeath.filter((r) => !r.ok).map(describeFailure), [], 'requests failed after the node died');
    assert.deepEqual([...new Set(afterDeath.map((r) => r.upstream.split(', ').at(-1)))], [bAddr],
      'after the node died, B answers every request');
    // Normal requests still work, through the balancer and on B.
    await ok(lb, Q, null, { token: tok.secret });
    await ok(B, Q, null, { session: admin });
    const ready = await fetch(`${lb.url}/readyz`);
    assert.equal(ready.status, 200);
    await ready.arrayBuffer();
  });
});
