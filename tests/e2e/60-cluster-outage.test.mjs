// SPDX-License-Identifier: MIT
// PostgreSQL goes away while lectern serves, then comes back. While it is down every API
// request and Console login is answered 503 with Retry-After and an UNAVAILABLE error (never a
// 200 with a null field, never a 401 that would make a client drop a good token), /readyz says
// "not ready" so that a balancer stops sending traffic, /healthz still answers, and the process
// stays up. Once PostgreSQL is back, the same process serves again without a restart.
//
// Stopping PostgreSQL would disturb everything else using the suite's cluster, so this file
// starts a second private cluster of its own (scripts/pg-cluster.sh) on a free port. Runs only
// when LECTERN_TEST_PG is set (the suite's PostgreSQL run), like the other cluster tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, createToken, gql, login, loginRaw, ok, unique,
} from './lib/api.mjs';
import { freePort } from './lib/songs.mjs';
import { makeTempDir, repoRoot, sleep, startLectern } from './lib/server.mjs';
import { createDatabase, onPostgres } from './lib/store.mjs';

const execFileP = promisify(execFile);

const SKIP = onPostgres ? false
  : 'the cluster tests run on PostgreSQL: set LECTERN_TEST_PG to a base URL (scripts/pg-cluster.sh starts a private cluster; scripts/test.sh does)';

const PG_CLUSTER = path.join(repoRoot, 'scripts', 'pg-cluster.sh');
// Only a guard against hanging: how long the server may take to notice PostgreSQL is back.
const RECOVERY_GUARD_MS = 30000;

const Q_TOKEN = '{ users(first: 1) { totalCount } }';
const Q_SESSION = '{ viewer { user { email } } }';
const M_SESSION = () => `mutation { createCourse(input: {title: "Outage", code: "${unique('OUT')}"}) { id } }`;

async function cluster(...args) {
  const { stdout } = await execFileP(PG_CLUSTER, args, { encoding: 'utf8' });
  return stdout.trim();
}

// A 503 from /api/graphql: Retry-After, one error UNAVAILABLE with a message, no data.
function assertUnavailable(r, what) {
  const ctx = `${what}: ${r.status} ${JSON.stringify(r.body)}`;
  assert.equal(r.status, 503, ctx);
  assert.match(r.headers['retry-after'] ?? '', /^\d+$/, `Retry-After ${ctx}`);
  assert.equal(typeof r.body, 'object', ctx);
  assert.equal(r.body?.data, undefined, `a 503 carries no data ${ctx}`);
  assert.equal(r.body?.errors?.length, 1, ctx);
  assert.equal(r.body.errors[0].extensions?.code, 'UNAVAILABLE', ctx);
  assert.match(r.body.errors[0].message, /\S/, ctx);
}

describe('PostgreSQL stops while lectern serves, then starts again', { skip: SKIP }, () => {
  let dir;
  let port;
  let srv;
  let admin;
  let tok;

  before(async () => {
    dir = path.join(makeTempDir('lectern-pgout-'), 'pg');
    port = await freePort();
    const base = await cluster('start', dir, String(port));
    srv = await startLectern({ store: await createDatabase('lectern_outage', base), args: ['--rate-limit', '0'] });
    admin = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    tok = await createToken(srv, admin);
  });

  after(async () => {
    if (srv) await srv.stop();
    if (dir) await cluster('stop', dir);
  });

  test('while it is down: 503 with Retry-After and a clear error, the process stays up; back up: served again without a restart', async (t) => {
    // Up: everything works, and the token is in the cache (a cached token must not hide the outage).
    await ok(srv, Q_TOKEN, null, { token: tok.secret });
    await ok(srv, Q_SESSION, null, { session: admin });

    await cluster('stop', dir);

    // The very first requests after the stop, then more of them for a while.
    const until = Date.now() + 1500;
    let n = 0;
    do {
      assertUnavailable(await gql(srv, Q_TOKEN, null, { token: tok.secret }), `token query #${n}`);
      assertUnavailable(await gql(srv, Q_SESSION, null, { session: admin }), `session query #${n}`);
      assertUnavailable(await gql(srv, M_SESSION(), null, { session: admin }), `session mutation #${n}`);
      n++;
      await sleep(50);
    } while (Date.now() < until);

    const li = await loginRaw(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.equal(li.status, 503, JSON.stringify(li.body));
    assert.equal(li.body?.error?.code, 'UNAVAILABLE', JSON.stringify(li.body));
    assert.match(li.body.error.message, /\S/);
    assert.match(li.headers['retry-after'] ?? '', /^\d+$/, 'Retry-After on the login\'s 503');
    assert.equal(li.cookie, null, 'a session cookie without a store');
    const ready = await fetch(`${srv.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'not ready', reason: 'store unavailable' });
    const health = await fetch(`${srv.url}/healthz`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    assert.equal(srv.proc.exitCode, null, 'the server exited');
    assert.ok(srv.records().some((r) => r.level === 'error' || r.level === 'warn'), 'the outage is not logged');

    // Back: the same process serves again by itself.
    await cluster('start', dir, String(port));
    const t0 = Date.now();
    for (;;) {
      const r = await gql(srv, Q_TOKEN, null, { token: tok.secret });
      if (r.status === 200) break;
      assertUnavailable(r, 'token query while PostgreSQL starts');
      assert.ok(Date.now() - t0 < RECOVERY_GUARD_MS, `still ${r.status} ${RECOVERY_GUARD_MS} ms after PostgreSQL started`);
      await sleep(50);
    }
    t.diagnostic(`served again ${Date.now() - t0} ms after PostgreSQL had started`);
    const d = await ok(srv, Q_TOKEN, null, { token: tok.secret });
    assert.equal(d.users.totalCount, 1);
    await ok(srv, Q_SESSION, null, { session: admin }); // the session survived
    await ok(srv, M_SESSION(), null, { session: admin }); // writes work
    const fresh = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    await ok(srv, Q_SESSION, null, { session: fresh });
    const readyAgain = await fetch(`${srv.url}/readyz`);
    assert.equal(readyAgain.status, 200);
    await readyAgain.arrayBuffer();
    assert.equal(srv.proc.exitCode, null, 'the server exited');
    assert.equal(srv.records().filter((r) => r.event === 'http.listening').length, 1, 'the server restarted');
  });
});
