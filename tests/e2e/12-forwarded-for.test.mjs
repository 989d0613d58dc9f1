// SPDX-License-Identifier: MIT
// The client's address behind a balancer (trusted_proxies, docs/deploy.md): with the balancer's
// address trusted, what lectern records — a token's last use, audit events, a Console login's
// audit event, the access log — is the client's from X-Forwarded-For, read from the right so
// that what a client writes into the header itself is never believed; without it, the header is
// ignored. The tests talk to lectern from 127.0.0.1, standing in for the balancer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, createToken, gql, login, loginRaw, ok,
} from './lib/api.mjs';
import { runLectern, startLectern } from './lib/server.mjs';

const VIEWER = '{ viewer { user { id } } }';

async function lastUsedIp(srv, admin, tokenId) {
  const d = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { lastUsedIp } }',
    { id: tokenId }, { session: admin });
  return d.developerToken.lastUsedIp;
}

async function newestEvent(srv, admin, action) {
  const d = await ok(srv, 'query($f: AuditEventFilter) { auditEvents(first: 1, filter: $f) { nodes { action ip } } }',
    { f: { action } }, { session: admin });
  return d.auditEvents.nodes[0];
}

describe('X-Forwarded-For from a trusted proxy', () => {
  let srv;
  let admin;

  before(async () => {
    srv = await startLectern({ args: ['--trusted-proxies', '127.0.0.1, 203.0.113.0/24'] });
    admin = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0);
  });

  test("a token's last use records the client, not the balancer", async () => {
    const cases = [
      [undefined, '127.0.0.1'],
      ['198.51.100.7', '198.51.100.7'],
      // The client wrote 10.9.9.9 itself; the balancer appended what it saw.
      ['10.9.9.9, 198.51.100.8', '198.51.100.8'],
      // Two balancers, both trusted.
      ['198.51.100.9, 203.0.113.4', '198.51.100.9'],
      ['[2001:db8::5]:443', '2001:db8::5'],
      // Garbage where the balancer's entry should be: the balancer is all that is known.
      ['198.51.100.10, not-an-address', '127.0.0.1'],
    ];
    for (const [xff, want] of cases) {
      const t = await createToken(srv, admin);
      const headers = xff === undefined ? {} : { 'x-forwarded-for': xff };
      const r = await gql(srv, VIEWER, null, { token: t.secret, headers });
      assert.equal(r.status, 200);
      assert.equal(await lastUsedIp(srv, admin, t.token.id), want, `X-Forwarded-For: ${xff}`);
    }
  });

  test('audit events of API writes and of Console logins record the client', async () => {
    const name = `fwd-${Date.now()}`;
    const c = await gql(srv, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }',
      { i: { name, permissions: ['read:users'] } },
      { session: admin, headers: { 'x-forwarded-for': '198.51.100.21' } });
    assert.equal(c.body.errors, undefined, JSON.stringify(c.body));
    assert.equal((await newestEvent(srv, admin, 'role.create')).ip, '198.51.100.21');

    const l = await loginRaw(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD,
      { headers: { 'x-forwarded-for': '198.51.100.22' } });
    assert.equal(l.status, 200);
    const ev = await newestEvent(srv, admin, 'login.success');
    assert.equal(ev.ip, '198.51.100.22', JSON.stringify(ev));
  });

  test('the access log names the client and the peer', async () => {
    const res = await fetch(`${srv.url}/healthz`, { headers: { 'x-forwarded-for': '198.51.100.30' } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const rec = await srv.waitForLog((x) => x.event === 'http.access' && x.ip === '198.51.100.30');
    assert.equal(rec.peer, '127.0.0.1');
  });
});

describe('X-Forwarded-For without trusted_proxies', () => {
  test('is ignored: the peer is the client', async () => {
    const srv = await startLectern();
    try {
      const admin = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
      const t = await createToken(srv, admin);
      const r = await gql(srv, VIEWER, null, { token: t.secret, headers: { 'x-forwarded-for': '198.51.100.7' } });
      assert.equal(r.status, 200);
      assert.equal(await lastUsedIp(srv, admin, t.token.id), '127.0.0.1');
      const rec = await srv.waitForLog((x) => x.event === 'http.access' && x.path === '/api/graphql');
      assert.equal(rec.ip, '127.0.0.1');
      assert.equal(rec.peer, undefined);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('a bad trusted_proxies value stops lectern with exit code 2 and names the entry', async () => {
    const r = await runLectern(['serve', '--trusted-proxies', '127.0.0.1, balancer', '--print-config']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--trusted-proxies: bad value for trusted_proxies: bad entry "balancer": expected an IP address or a range/);
  });
});
