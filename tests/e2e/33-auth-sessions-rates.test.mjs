// SPDX-License-Identifier: MIT
// Console sessions and rate limits end to end, with two tenants:
// - POST /console/login: cookies (HttpOnly session, script-readable CSRF), the CSRF token in the
//   body; a wrong password, an unknown email and an unknown tenant get the same answer; five
//   failures in a row lock the account for 30 minutes, even against the right password, and an
//   unknown email goes through the same sequence of answers;
// - POST /console/logout ends the session (the old cookie gets 401 everywhere); GET
//   /console/session before and after; deactivation and a password change end sessions;
// - CSRF: a POST with the cookie but without X-CSRF-Token, or with a wrong one, is refused and
//   changes nothing; a GET query needs none;
// - rate limits (a server started with --rate-limit 5 --rate-window-s 60): RateLimit-Policy and
//   RateLimit on each token request, the 6th gets 429 with Retry-After and RATE_LIMITED, the
//   Console and the other tenant still work;
// - last used: a token used twice within a minute has lastUsedAt written once, from 127.0.0.1;
//   a refused request is not a use.
// Idle (30 min) and absolute (12 h) session expiry cannot be waited for here (the smallest idle
// time the configuration accepts is 60 s): they are unit-tested with an injected clock in
// tests/unit/auth/test_session.c (session_idle_expiry and the absolute-expiry test); this file
// checks that the configuration refuses a shorter idle time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runLectern, sleep, startLectern } from './lib/server.mjs';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, B_ADMIN_EMAIL, B_ADMIN_PASSWORD, B_TENANT, TENANT,
  assertUnauthenticated, awayFromWindowEdge, createToken, createUser, gql, login, loginRaw, logout,
  ok, sessionInfo, setTokenActive, setUserActive, twoTenants, unique,
} from './lib/api.mjs';

const INVALID = { error: { code: 'INVALID_CREDENTIALS', message: 'Invalid email or password.' } };
const CSRF_MISSING = 'This request changes data and needs the X-CSRF-Token header of the session.';
const CSRF_MISMATCH = 'The X-CSRF-Token header does not match the session: reload the Console.';
const ENDED = 'The session has ended: sign in again.';

function cookieAttrs(setCookie) {
  const [first, ...rest] = setCookie.split(';').map((s) => s.trim());
  const attrs = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? true : a.slice(i + 1);
  }
  return { name: first.slice(0, first.indexOf('=')), value: first.slice(first.indexOf('=') + 1), attrs };
}

// A POST /api/graphql with the session cookie refused for CSRF: nothing ran.
function assertCsrfRefused(r, message) {
  const ctx = `${r.status} ${JSON.stringify(r.body)}`;
  assert.ok(r.status === 401 || r.status === 403, ctx);
  assert.equal('data' in r.body, false, ctx);
  assert.equal(r.body.errors.length, 1, ctx);
  assert.ok(['UNAUTHENTICATED', 'FORBIDDEN'].includes(r.body.errors[0].extensions?.code), ctx);
  assert.equal(r.body.errors[0].message, message, ctx);
}

describe('Console sessions', () => {
  let srv;
  let A;
  let B;

  async function normalStillWorks() {
    await ok(srv, '{ viewer { user { id } } }', null, { session: A.session });
    await ok(srv, 'mutation { createCourse(input: {title: "still works", code: "' + unique('SW') + '"}) { id } }', null, { session: A.session });
    await ok(srv, '{ viewer { user { id } } }', null, { session: B.session });
  }

  before(async () => {
    srv = await startLectern();
    ({ a: A, b: B } = await twoTenants(srv));
  });
  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0, 'lectern did not exit cleanly');
  });

  test('login: an HttpOnly session cookie, a script-readable CSRF cookie, the CSRF token in the body', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const r = await loginRaw(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ['csrfToken', 'expiresAt']);
    assert.match(r.body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Math.abs(r.body.expiresAt - (t0 + 12 * 3600)) <= 5, `expiresAt ${r.body.expiresAt}: 12 h after login`);
    assert.match(r.headers['cache-control'] ?? '', /no-store/);
    const cookies = Object.fromEntries(r.setCookies.map(cookieAttrs).map((c) => [c.name, c]));
    const s = cookies.lectern_session;
    const c = cookies.lectern_csrf;
    assert.ok(s && c, r.setCookies.join(' | '));
    assert.match(s.value, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(s.attrs.httponly, true, 'the session cookie must be HttpOnly');
    assert.match(String(s.attrs.samesite), /^(Lax|Strict)$/i);
    assert.equal(s.attrs.path, '/');
    assert.equal(s.attrs.secure, undefined, 'Secure on plain HTTP');
    assert.equal(c.attrs.httponly, undefined, 'the CSRF cookie must be readable by the Console');
    assert.equal(c.value, r.body.csrfToken);
    assert.notEqual(s.value, c.value);
    // behind a TLS proxy, Secure
    const tls = await loginRaw(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    for (const sc of tls.setCookies) assert.equal(cookieAttrs(sc).attrs.secure, true, sc);
    // the new session works and is the admin's
    const d = await ok(srv, '{ viewer { user { email } token { id } } }', null, { session: { cookie: r.cookie, csrf: r.csrf } });
    assert.deepEqual(d.viewer, { user: { email: ADMIN_EMAIL }, token: null });
  });

  test('login errors: wrong password, unknown email, unknown tenant and a learner without password answer alike', async () => {
    const learner = await createUser(srv, A.session, { name: 'No Password' });
    for (const [tenant, email, password] of [
      [TENANT, ADMIN_EMAIL, 'wrong password, long enough'],
      [TENANT, 'nobody@acme.test', ADMIN_PASSWORD],
      ['no-such-tenant', ADMIN_EMAIL, ADMIN_PASSWORD],
      [B_TENANT, ADMIN_EMAIL, ADMIN_PASSWORD], // tenant A's admin in tenant B
      [TENANT, learner.email, 'any password at all, long'],
    ]) {
      const r = await loginRaw(srv, tenant, email, password);
      assert.equal(r.status, 401, `${tenant}/${email}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, INVALID, `${tenant}/${email}`);
      assert.equal(r.cookie, null);
    }
    // malformed requests
    let res = await fetch(`${srv.url}/console/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `tenant=${TENANT}&email=${ADMIN_EMAIL}&password=x` });
    assert.equal(res.status, 415);
    await res.arrayBuffer();
    res = await fetch(`${srv.url}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: TENANT, email: ADMIN_EMAIL }) });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, 'BAD_REQUEST');
    await normalStillWorks();
  });

  test('five failures in a row lock the account for 30 minutes, even against the right password; an unknown email goes through the same answers', async () => {
    const password = 'locked user password, long enough';
    const victim = await createUser(srv, A.session, { name: 'Lock Me', password });
    const run = async (email, right) => {
      const seq = [];
      for (let i = 0; i < 5; i++) {
        const r = await loginRaw(srv, TENANT, email, `wrong password number ${i}`);
        assert.equal(r.status, 401);
        seq.push(r.body);
      }
      const sixth = await loginRaw(srv, TENANT, email, right);
      seq.push(sixth.body);
      assert.equal(sixth.status, 401, `the 6th attempt with the right password: ${JSON.stringify(sixth.body)}`);
      assert.equal(sixth.cookie, null);
      return seq;
    };
    const real = await run(victim.email, password);
    for (let i = 0; i < 4; i++) assert.deepEqual(real[i], INVALID, `attempt ${i + 1}`);
    assert.ok(['INVALID_CREDENTIALS', 'LOCKED'].includes(real[4].error.code), JSON.stringify(real[4]));
    assert.equal(real[5].error.code, 'LOCKED', JSON.stringify(real[5]));
    assert.match(real[5].error.message, /locked/i);
    assert.match(real[5].error.message, /\b30 minutes\b/);
    const fake = await run(`${unique('ghost')}@acme.test`, password);
    assert.deepEqual(fake, real, 'an unknown email is answered differently: the lockout tells which emails exist');
    // still locked a moment later, whatever the password
    const again = await loginRaw(srv, TENANT, victim.email, password);
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, 'LOCKED');
    // the lock is the account's: the admin, and the same email in tenant B, still log in
    await createUser(srv, B.session, { email: victim.email, name: 'Lock Me in B', password });
    await login(srv, B_TENANT, victim.email, password);
    await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    // the audit log of tenant A recorded the failures and the lock
    const ev = await ok(srv, '{ auditEvents(first: 100, filter: {action: "login."}) { nodes { action targetId } } }', null, { session: A.session });
    const mine = ev.auditEvents.nodes.filter((n) => n.targetId === victim.id).map((n) => n.action);
    assert.ok(mine.filter((a) => a === 'login.failure').length >= 5 || mine.includes('login.locked'), mine.join(','));
    await normalStillWorks();
  });

  test('GET /console/session before and after logout; the old cookie gets 401 everywhere', async () => {
    const s = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    const other = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    let info = await sessionInfo(srv, s.cookie);
    assert.equal(info.status, 200);
    assert.deepEqual(info.body, { authenticated: true });
    info = await sessionInfo(srv, null);
    assert.equal(info.status, 401);
    info = await sessionInfo(srv, 'lectern_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(info.status, 401);

    // logout without the CSRF header is refused and ends nothing
    let out = await logout(srv, s, { csrf: null });
    assert.equal(out.status, 403, JSON.stringify(out.body));
    assert.equal((await sessionInfo(srv, s.cookie)).status, 200);

    out = await logout(srv, s);
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.deepEqual(out.body, { ok: true });
    const cleared = Object.fromEntries(out.setCookies.map(cookieAttrs).map((c) => [c.name, c]));
    for (const n of ['lectern_session', 'lectern_csrf']) {
      assert.ok(cleared[n], `logout does not clear ${n}: ${out.setCookies.join(' | ')}`);
      assert.equal(cleared[n].value, '');
      assert.equal(cleared[n].attrs['max-age'], '0');
    }

    info = await sessionInfo(srv, s.cookie);
    assert.equal(info.status, 401, JSON.stringify(info.body));
    assert.equal(info.body.error.code, 'UNAUTHENTICATED');
    assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { session: s }), ENDED);
    assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { session: s, method: 'GET' }), ENDED);
    assertUnauthenticated(await gql(srv, 'mutation { createCourse(input: {title: "x", code: "LOGGED-OUT"}) { id } }', null, { session: s }), ENDED);
    // logging out again is harmless; the other session of the same user lives on
    assert.equal((await logout(srv, s)).status, 200);
    await ok(srv, '{ viewer { user { email } } }', null, { session: other });
    await normalStillWorks();
  });

  test('deactivating a user, or changing their password, ends their sessions', async () => {
    const pw = 'session user password, long';
    const u = await createUser(srv, A.session, { name: 'Sessions', password: pw, roleIds: [] });
    const s1 = await login(srv, TENANT, u.email, pw);
    await ok(srv, '{ viewer { user { id } } }', null, { session: s1 });
    await setUserActive(srv, A.session, u.id, false);
    assert.equal((await gql(srv, '{ viewer { user { id } } }', null, { session: s1 })).status, 401);
    assert.equal((await sessionInfo(srv, s1.cookie)).status, 401);
    const dl = await loginRaw(srv, TENANT, u.email, pw);
    assert.equal(dl.status, 401);
    assert.equal(dl.body.error.code, 'USER_DEACTIVATED');
    await setUserActive(srv, A.session, u.id, true);
    // the ended session stays ended after the reactivation
    assert.equal((await gql(srv, '{ viewer { user { id } } }', null, { session: s1 })).status, 401);

    const s2 = await login(srv, TENANT, u.email, pw);
    const pw2 = 'a brand new password, long';
    await ok(srv, 'mutation($id: ID!, $p: String) { updateUser(id: $id, input: {password: $p}) { id } }', { id: u.id, p: pw2 }, { session: A.session });
    assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { session: s2 }), ENDED);
    assert.deepEqual((await loginRaw(srv, TENANT, u.email, pw)).body, INVALID);
    await login(srv, TENANT, u.email, pw2);
    await normalStillWorks();
  });

  test('CSRF: a POST with the cookie but without X-CSRF-Token, or with a wrong one, is refused and changes nothing', async () => {
    const s = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    const sOther = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    const code = unique('CSRF');
    const M = `mutation { createCourse(input: {title: "csrf", code: "${code}"}) { id } }`;
    assertCsrfRefused(await gql(srv, M, null, { session: s, csrf: null }), CSRF_MISSING);
    assertCsrfRefused(await gql(srv, M, null, { session: s, csrf: '' }), CSRF_MISSING);
    assertCsrfRefused(await gql(srv, M, null, { session: s, csrf: 'A'.repeat(43) }), CSRF_MISMATCH);
    assertCsrfRefused(await gql(srv, M, null, { session: s, csrf: s.csrf.slice(0, -1) }), CSRF_MISMATCH);
    assertCsrfRefused(await gql(srv, M, null, { session: s, csrf: sOther.csrf }), CSRF_MISMATCH); // another session's
    assertCsrfRefused(await gql(srv, M, null, { session: s, csrf: B.session.csrf }), CSRF_MISMATCH); // another tenant's
    // a POST query needs it too (the Console sends every POST with it)
    assertCsrfRefused(await gql(srv, '{ viewer { user { id } } }', null, { session: s, csrf: null }), CSRF_MISSING);
    // the CSRF header alone is no credential
    const alone = await gql(srv, M, null, { csrf: s.csrf });
    assert.equal(alone.status, 401);
    // nothing was created
    const found = await ok(srv, '{ courses(first: 100) { nodes { code } } }', null, { session: A.session });
    assert.ok(!found.courses.nodes.some((c) => c.code === code), 'a refused request created the course');
    // a GET query needs no CSRF header; a GET mutation never runs
    await ok(srv, '{ viewer { user { email } } }', null, { session: s, csrf: null, method: 'GET' });
    const g = await gql(srv, M, null, { session: s, csrf: null, method: 'GET' });
    assert.equal(g.status, 405);
    // with the right header it works, and the refusals did not end the session
    const d = await ok(srv, M, null, { session: s });
    assert.ok(d.createCourse.id);
    await normalStillWorks();
  });

  test('idle and absolute expiry: configurable within bounds (waiting for them is unit-tested)', async () => {
    for (const [flag, value] of [['--session-idle-s', '59'], ['--session-max-s', '299']]) {
      const r = await runLectern(['serve', flag, value, '--print-config']);
      assert.equal(r.code, 2, `${flag} ${value} accepted:\n${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(flag));
    }
    const r = await runLectern(['serve', '--session-idle-s', '60', '--session-max-s', '300', '--print-config']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^session_idle_s = 60 {2}# flag$/m);
    assert.match(r.stdout, /^session_max_s = 300 {2}# flag$/m);
  });

  describe('last used', () => {
    test('a token used twice within a minute: lastUsedAt written once, lastUsedIp 127.0.0.1', async () => {
      const t = await createToken(srv, A.session, { name: 'coalesced' });
      const Q = 'query($id: ID!) { developerToken(id: $id) { lastUsedAt lastUsedIp } }';
      let d = await ok(srv, Q, { id: t.token.id }, { session: A.session });
      assert.deepEqual(d.developerToken, { lastUsedAt: null, lastUsedIp: null });
      const t0 = Date.now();
      await ok(srv, '{ viewer { user { id } } }', null, { token: t.secret });
      d = await ok(srv, Q, { id: t.token.id }, { session: A.session });
      const first = d.developerToken;
      assert.equal(first.lastUsedIp, '127.0.0.1');
      assert.match(first.lastUsedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(Math.abs(Date.parse(first.lastUsedAt) - t0) < 5000, `${first.lastUsedAt} is not now`);
      await sleep(1100); // a second later: a write would show a different time
      await ok(srv, '{ viewer { user { id } } }', null, { token: t.secret });
      await ok(srv, '{ users { totalCount } }', null, { token: t.secret });
      d = await ok(srv, Q, { id: t.token.id }, { session: A.session });
      assert.deepEqual(d.developerToken, first);
      // the list says the same
      const l = await ok(srv, '{ developerTokens(first: 100) { nodes { id lastUsedAt lastUsedIp } } }', null, { session: A.session });
      const row = l.developerTokens.nodes.find((n) => n.id === t.token.id);
      assert.deepEqual({ lastUsedAt: row.lastUsedAt, lastUsedIp: row.lastUsedIp }, first);
    });

    test('a refused request is not a use', async () => {
      const t = await createToken(srv, A.session, { name: 'never used' });
      await setTokenActive(srv, A.session, t.token.id, false);
      assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { token: t.secret }), 'The token has been deactivated.');
      const d = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { lastUsedAt lastUsedIp } }', { id: t.token.id }, { session: A.session });
      assert.deepEqual(d.developerToken, { lastUsedAt: null, lastUsedIp: null });
    });
  });
});

describe('rate limits (--rate-limit 5 --rate-window-s 60)', () => {
  let srv;
  let A;
  let B;
  let t1;
  let t2;
  let tb;

  before(async () => {
    srv = await startLectern({ args: ['--rate-limit', '5', '--rate-window-s', '60'] });
    ({ a: A, b: B } = await twoTenants(srv));
    // Console requests (the setup) are not counted
    t1 = (await createToken(srv, A.session, { name: 'rl one' })).secret;
    t2 = (await createToken(srv, A.session, { name: 'rl two' })).secret;
    tb = (await createToken(srv, B.session, { name: 'rl beta' })).secret;
  });
  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0, 'lectern did not exit cleanly');
  });

  test('5 token requests carry the headers; the 6th is 429 with Retry-After and RATE_LIMITED; the Console and the other tenant still work', async () => {
    await awayFromWindowEdge(60, 15);
    const windowEnd = (Math.floor(Date.now() / 60000) + 1) * 60;
    const tLeft = () => windowEnd - Math.floor(Date.now() / 1000);
    for (let i = 0; i < 5; i++) {
      // both tokens of the tenant share its quota
      const r = await gql(srv, '{ viewer { user { id } } }', null, { token: i % 2 ? t2 : t1 });
      assert.equal(r.status, 200, `request ${i + 1}: ${JSON.stringify(r.body)}`);
      assert.equal(r.headers['ratelimit-policy'], '"tenant";q=5;w=60', `request ${i + 1}`);
      const m = /^"tenant";r=(\d+);t=(\d+)$/.exec(r.headers.ratelimit ?? '');
      assert.ok(m, `request ${i + 1}: RateLimit ${r.headers.ratelimit}`);
      assert.equal(Number(m[1]), 4 - i, `request ${i + 1}: remaining`);
      assert.ok(Math.abs(Number(m[2]) - tLeft()) <= 1, `request ${i + 1}: t=${m[2]}, window ends in ${tLeft()} s`);
    }
    for (const tok of [t1, t2]) {
      const r = await gql(srv, '{ viewer { user { id } } }', null, { token: tok });
      assert.equal(r.status, 429, JSON.stringify(r.body));
      const ra = Number(r.headers['retry-after']);
      assert.ok(Number.isInteger(ra) && ra >= 1 && Math.abs(ra - tLeft()) <= 1, `Retry-After ${r.headers['retry-after']}, window ends in ${tLeft()} s`);
      assert.equal(r.headers['ratelimit-policy'], '"tenant";q=5;w=60');
      assert.match(r.headers.ratelimit ?? '', /^"tenant";r=0;t=\d+$/);
      assert.equal('data' in r.body, false);
      assert.equal(r.body.errors.length, 1);
      assert.equal(r.body.errors[0].extensions.code, 'RATE_LIMITED');
      assert.match(r.body.errors[0].message, /^Rate limit exceeded: 5 requests per 60 s for this tenant\. Retry in \d+ s\.$/);
    }
    // a mutation is refused as well, and does not run
    const code = unique('RL');
    const m = await gql(srv, `mutation { updateDeveloperToken(id: "x", input: {name: "${code}"}) { id } }`, null, { token: t1 });
    assert.equal(m.status, 429);
    // the Console is not rate limited, and sends no RateLimit headers
    for (let i = 0; i < 3; i++) {
      const r = await gql(srv, '{ viewer { user { id } } developerTokens { totalCount } }', null, { session: A.session });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.headers['ratelimit'], undefined);
    }
    // ... so an admin can deactivate the runaway token
    const list = await ok(srv, '{ developerTokens(first: 100) { nodes { id name } } }', null, { session: A.session });
    const runaway = list.developerTokens.nodes.find((n) => n.name === 'rl one');
    await setTokenActive(srv, A.session, runaway.id, false);
    // credentials are checked before the limit: a deactivated token is 401, not 429
    assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { token: t1 }), 'The token has been deactivated.');
    // introspection without credentials is not the tenant's quota
    assert.equal((await gql(srv, '{ __typename }')).status, 200);
    // the other tenant has its own quota
    const rb = await gql(srv, '{ viewer { tenant { slug } } }', null, { token: tb });
    assert.equal(rb.status, 200, JSON.stringify(rb.body));
    assert.equal(rb.body.data.viewer.tenant.slug, B_TENANT);
    assert.match(rb.headers.ratelimit, /^"tenant";r=4;t=\d+$/);
  });

  test('the next window lets the tenant in again', { timeout: 90000 }, async () => {
    const into = (Date.now() / 1000) % 60;
    await sleep((60 - into + 1) * 1000);
    const r = await gql(srv, '{ viewer { user { id } } }', null, { token: t2 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.headers.ratelimit, /^"tenant";r=4;t=\d+$/);
  });
});
