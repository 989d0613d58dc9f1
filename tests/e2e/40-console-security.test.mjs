// SPDX-License-Identifier: MIT
// The Console's security in a real browser (Debian's Chromium via playwright-core), against the
// real binary; each test starts its own lectern (tests/e2e/lib/browser.mjs):
// - a "Token Manager" (a custom role of exactly the three developer-token permissions) sees API
//   Tokens in the nav and nothing else; Users and Roles reached by URL say which permission is
//   missing; the API refuses them the same (session and token);
// - the login page: wrong credentials in the server's words; five failures lock the account,
//   and the sixth attempt with the right password is refused with the locked message;
// - CSRF: with the cookie but without X-CSRF-Token, a state-changing request is refused (403)
//   from the page itself and from a plain fetch with the cookie copied; nothing changed; the
//   session cookie is HttpOnly and SameSite;
// - headers (CSP and the others) on every Console response, an inline script refused by the
//   browser, no inline style or on* attribute in the DOM, and server text (a token named like
//   markup) shown as text;
// - the session ends elsewhere (logout in another tab, or the session deleted on the server):
//   the next action brings the login page with "Your session has ended — sign in again" and the
//   reason, and signing in again goes back where the user was; Sign out;
// - a permission taken away while the page is open: the server refuses and the page says so;
//   when the tab comes back into view the Console stops offering it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { consoleLogin, navLabels, screenshot } from './lib/browser.mjs';
import { testServer, useBrowser } from './lib/console.mjs';
import {
  TOKEN_PERMS, assertForbidden, createToken, createUser, gql, logout, ok, sessionInfo,
} from './lib/api.mjs';
import { repoRoot } from './lib/server.mjs';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const CSRF_MISSING = 'This request changes data and needs the X-CSRF-Token header of the session.';
const CSRF_MISMATCH = 'The X-CSRF-Token header does not match the session: reload the Console.';
const INVALID = 'Invalid email or password.';
const ENDED_TITLE = 'Your session has ended — sign in again';

const openPage = useBrowser();

const deniedHeading = (p) => p.getByRole('heading', { level: 1, name: "You don't have access to this page" });

describe('Console security', () => {
  test('a Token Manager sees API Tokens only; Users and Roles by URL say what is missing; the API refuses them too', async (t) => {
    const srv = await testServer(t);
    const p = await openPage(t);
    await consoleLogin(p, srv.url, srv.tokenManager);
    // home is the first page they may see
    await p.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
    assert.equal(new URL(p.url()).pathname, '/console/settings/tokens');
    assert.deepEqual(await navLabels(p), ['API Tokens']);
    assert.match(await p.locator('#user-area').textContent(), /Tess Token/);

    for (const [url, perm] of [
      ['/console/users', 'read:users'],
      [`/console/users/${encodeURIComponent(srv.admin.id)}`, 'read:users'],
      ['/console/settings/roles', 'read:roles'],
      ['/console/settings/roles/new', 'read:roles'],
      ['/console/audit', 'read:audit_events'],
      ['/console/courses', 'read:courses'],
    ]) {
      await p.goto(srv.url + url);
      await deniedHeading(p).waitFor();
      await p.locator('.denied code').getByText(perm, { exact: true }).waitFor();
      assert.deepEqual(await navLabels(p), ['API Tokens'], `nav on ${url}`);
    }
    // following the nav from a refused page works
    await p.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API Tokens' }).click();
    await p.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();

    // they may generate, and are offered only the permissions they hold
    await p.getByRole('button', { name: 'Generate token' }).click();
    const dialog = p.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Only the permissions I tick').check();
    assert.deepEqual(await dialog.locator('input[name="permissions"]').evaluateAll((bs) => bs.map((b) => b.value)), TOKEN_PERMS);
    await dialog.getByLabel('Name').fill('TM token');
    await dialog.getByLabel('All my permissions').check();
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const secret = await p.getByRole('dialog', { name: 'Copy your new token' }).getByLabel('Your new token').inputValue();
    await p.keyboard.press('Escape');

    // the server refuses what the Console hides: with their session and with their token
    for (const opts of [{ session: srv.tokenManager.session }, { token: secret }]) {
      assertForbidden(await gql(srv, '{ users { totalCount } }', null, opts), 'users', 'read:users');
      assertForbidden(await gql(srv, '{ roles { totalCount } }', null, opts), 'roles', 'read:roles');
      assertForbidden(await gql(srv, 'mutation { createRole(input: {name: "Mine", permissions: []}) { id } }', null, opts), 'createRole', 'create:roles');
      const d = await ok(srv, '{ viewer { permissions } developerTokens { totalCount } }', null, opts);
      assert.deepEqual([...d.viewer.permissions].sort(), [...TOKEN_PERMS].sort());
    }
    assert.deepEqual(p.lecternErrors, []);
  });

  test('login: wrong credentials in words; five failures lock the account and the right password is then refused', async (t) => {
    const srv = await testServer(t);
    const password = 'the right password, long enough';
    const victim = await createUser(srv, srv.admin.session, { email: 'locked@acme.test', name: 'Lock Me', password, roleIds: [srv.roles.tokenManager] });
    const p = await openPage(t);
    await p.goto(`${srv.url}/console/`);
    await p.waitForURL(/\/console\/login$/);
    await p.locator('#login-form').waitFor();
    assert.equal(await p.title(), 'Sign in · lectern Console');
    await screenshot(p, 'console-login');

    const attempt = async (pw) => {
      const msg = await consoleLogin(p, srv.url, { email: victim.email, password: pw, expectFailure: true });
      assert.equal(new URL(p.url()).pathname, '/console/login');
      assert.equal(await p.getByLabel('Password').inputValue(), '', 'the password field is emptied after a failure');
      return msg;
    };
    const answers = [];
    for (let i = 1; i <= 5; i++) answers.push(await attempt(`wrong password number ${i}`));
    for (let i = 0; i < 4; i++) assert.equal(answers[i], INVALID, `attempt ${i + 1}`);
    assert.ok(answers[4] === INVALID || /locked/.test(answers[4]), answers[4]);
    const sixth = await attempt(password);
    assert.match(sixth, /locked/i);
    assert.match(sixth, /30 minutes/);
    assert.equal((await p.context().cookies()).some((c) => c.name === 'lectern_session'), false, 'no session cookie');
    // still locked through the API; another account is not
    const again = await fetch(`${srv.url}/console/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', email: victim.email, password }),
    });
    assert.equal(again.status, 401);
    assert.equal((await again.json()).error.code, 'LOCKED');
    await consoleLogin(p, srv.url, srv.admin);
    assert.deepEqual(p.lecternErrors, []);
  });

  test('CSRF: with the cookie but without X-CSRF-Token a change is refused (403), from the page and from a plain fetch', async (t) => {
    const srv = await testServer(t);
    const p = await openPage(t);
    await consoleLogin(p, srv.url, srv.admin);
    const cookies = await p.context().cookies();
    const sess = cookies.find((c) => c.name === 'lectern_session');
    const csrf = cookies.find((c) => c.name === 'lectern_csrf');
    assert.ok(sess && csrf, JSON.stringify(cookies));
    assert.equal(sess.httpOnly, true, 'the session cookie is HttpOnly');
    assert.equal(sess.sameSite, 'Lax');
    assert.equal(csrf.httpOnly, false, 'the Console reads the CSRF cookie');
    assert.equal(await p.evaluate(() => document.cookie.includes('lectern_session')), false, 'script cannot read the session');

    const mutation = (code) => `mutation { createCourse(input: {title: "CSRF probe", code: "${code}"}) { id } }`;
    const inPage = (body, header) => p.evaluate(async ({ body: b, header: hdr }) => {
      const headers = { 'content-type': 'application/json' };
      if (hdr !== null) headers['x-csrf-token'] = hdr;
      const res = await fetch('/api/graphql', { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ query: b }) });
      return { status: res.status, body: await res.json() };
    }, { body, header });

    // from the page, with its cookie: no header, a wrong header → 403; the right one → 200
    let r = await inPage(mutation('P1'), null);
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.errors[0].extensions.code, 'FORBIDDEN');
    assert.equal(r.body.errors[0].message, CSRF_MISSING);
    assert.equal('data' in r.body, false);
    r = await inPage(mutation('P2'), 'not-the-token');
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.errors[0].message, CSRF_MISMATCH);

    // a plain fetch with the cookie copied
    const session = { cookie: `lectern_session=${sess.value}`, csrf: csrf.value };
    r = await gql(srv, mutation('F1'), null, { session, csrf: null });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.errors[0].message, CSRF_MISSING);
    const out = await logout(srv, session, { csrf: null });
    assert.equal(out.status, 403, 'logout needs the header too');
    assert.equal((await sessionInfo(srv, session.cookie)).status, 200, 'the session survived');

    // nothing was created; the same requests with the header work
    let d = await ok(srv, '{ courses { totalCount } }', null, { session });
    assert.equal(d.courses.totalCount, 0);
    r = await inPage(mutation('P3'), csrf.value);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await ok(srv, mutation('F2'), null, { session });
    d = await ok(srv, '{ courses { nodes { code } } }', null, { session });
    assert.deepEqual(d.courses.nodes.map((n) => n.code).sort(), ['F2', 'P3']);
    assert.deepEqual(p.lecternErrors, []);
  });

  test('CSP and the other headers on every Console response; inline script refused; server text shown as text', async (t) => {
    const srv = await testServer(t);
    for (const u of ['/console/', '/console/login', '/console/settings/tokens', '/console/static/app.js', '/console/static/app.css']) {
      const res = await fetch(srv.url + u);
      await res.arrayBuffer();
      assert.equal(res.status, 200, u);
      assert.equal(res.headers.get('content-security-policy'), CSP, u);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', u);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', u);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', u);
    }
    // names made of markup, from the server, end up as text
    const evil = '<img src=x onerror="window.__xss=1">';
    await createToken(srv, srv.admin.session, { name: evil });
    await ok(srv, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }',
      { i: { name: '<b>bold</b> role', description: '<script>window.__xss=2</script>', permissions: ['read:users'] } },
      { session: srv.admin.session });

    const p = await openPage(t);
    await consoleLogin(p, srv.url, { ...srv.admin, next: '/console/settings/tokens' });
    await p.locator('#tokens-table .token-name-text').getByText(evil, { exact: true }).waitFor();
    await p.goto(`${srv.url}/console/settings/roles`);
    await p.locator('#roles-table a.role-name').getByText('<b>bold</b> role', { exact: true }).waitFor();
    await p.getByText('<script>window.__xss=2</script>').waitFor();
    const dom = await p.evaluate(() => ({
      xss: window.__xss ?? null,
      img: document.querySelectorAll('main img').length,
      b: document.querySelectorAll('main b').length,
      styled: document.querySelectorAll('[style]').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
      inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    }));
    assert.deepEqual(dom, { xss: null, img: 0, b: 0, styled: 0, handlers: [], inlineScripts: 0 });

    // the browser enforces the CSP: an inline script is refused and reported
    const violation = await p.evaluate(() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, blocked: e.blockedURI }), { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1;';
      document.body.append(s);
    }));
    assert.equal(violation.directive, 'script-src-elem');
    assert.equal(await p.evaluate(() => window.__inline ?? null), null);
    // (the page's own errors, minus the violation this test caused on purpose)
    assert.deepEqual(p.lecternErrors.filter((e) => !/Content Security Policy/.test(e)), []);

    // the sources follow the same rules: no HTML from strings, no eval, no inline style
    const dir = path.join(repoRoot, 'src/console');
    for (const f of ['app.js', 'api.js', 'ui.js', 'page-login.js', 'page-tokens.js', 'page-roles.js']) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const bad of [/\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/, /setAttribute\(\s*['"]style/]) {
        assert.doesNotMatch(src, bad, `${f} uses ${bad}`);
      }
    }
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'an inline <script> in index.html');
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i, 'an inline style or handler in index.html');
  });

  test('logout in another tab: the next action brings the login page with a clear message, and signing in goes back', async (t) => {
    const srv = await testServer(t);
    const a = await openPage(t);
    await consoleLogin(a, srv.url, { ...srv.admin, next: '/console/settings/roles' });
    await a.getByRole('heading', { level: 1, name: 'Roles and Permissions' }).waitFor();
    // a second tab of the same browser (same cookies) signs out
    const b = await a.context().newPage();
    await b.goto(`${srv.url}/console/settings/tokens`);
    await b.getByRole('button', { name: 'Sign out' }).click();
    await b.getByText('You have signed out.').waitFor();
    assert.equal(new URL(b.url()).pathname, '/console/login');

    // the first tab does something: the login page, with why
    await a.getByRole('link', { name: 'New role' }).click();
    await a.getByText(ENDED_TITLE).waitFor();
    await a.getByText('You signed out in another tab or window, or the session cookie was removed.').waitFor();
    const u = new URL(a.url());
    assert.equal(u.pathname, '/console/login');
    assert.equal(u.searchParams.get('next'), '/console/settings/roles/new');
    assert.equal(await a.getByRole('button', { name: 'Sign out' }).count(), 0, 'no header any more');
    // signing in again goes back there
    const form = a.locator('#login-form');
    assert.equal(await form.getByLabel('Organisation').inputValue(), 'acme', 'the organisation is remembered');
    await form.getByLabel('Email').fill(srv.admin.email);
    await form.getByLabel('Password').fill(srv.admin.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await a.getByRole('heading', { level: 1, name: 'New role' }).waitFor();
    assert.equal(new URL(a.url()).pathname, '/console/settings/roles/new');
    assert.deepEqual(a.lecternErrors, []);
    assert.deepEqual(b.lecternErrors ?? [], []);
  });

  test("the session deleted on the server: the login page gives the server's reason; Sign out ends the session", async (t) => {
    const srv = await testServer(t);
    const p = await openPage(t);
    await consoleLogin(p, srv.url, { ...srv.tokenManager, next: '/console/settings/tokens' });
    await p.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
    const cookies = await p.context().cookies();
    const session = {
      cookie: `lectern_session=${cookies.find((c) => c.name === 'lectern_session').value}`,
      csrf: cookies.find((c) => c.name === 'lectern_csrf').value,
    };
    // the session ends on the server; the browser still has its cookies
    assert.equal((await logout(srv, session)).status, 200);
    await p.getByRole('button', { name: 'Generate token' }).click();
    await p.getByText(ENDED_TITLE).waitFor();
    await p.locator('#login-flash').getByText('The session has ended: sign in again.').waitFor();
    assert.equal(await p.getByText('The session has ended: sign in again.').count(), 1, 'said once (no toast besides)');
    assert.equal(new URL(p.url()).searchParams.get('next'), '/console/settings/tokens');
    assert.equal(await p.locator('dialog').count(), 0, 'no dialog left open');

    // Sign out: the server forgets the session, the cookies go, protected pages need a login
    await consoleLogin(p, srv.url, { ...srv.tokenManager, next: '/console/settings/tokens' });
    const live = (await p.context().cookies()).find((c) => c.name === 'lectern_session').value;
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByText('You have signed out.').waitFor();
    assert.equal((await sessionInfo(srv, `lectern_session=${live}`)).status, 401);
    assert.equal((await p.context().cookies()).some((c) => c.name === 'lectern_session' && c.value), false);
    await p.goto(`${srv.url}/console/settings/tokens`);
    await p.locator('#login-form').waitFor();
    assert.equal(new URL(p.url()).searchParams.get('next'), '/console/settings/tokens');
    assert.deepEqual(p.lecternErrors, []);
  });

  test('a permission taken away while the Console is open: the server refuses at once, the page follows when the tab comes back', async (t) => {
    const srv = await testServer(t);
    await createToken(srv, srv.admin.session, { name: 'Admin token' });
    const p = await openPage(t);
    await consoleLogin(p, srv.url, { ...srv.tokenManager, next: '/console/settings/tokens' });
    const tr = p.locator('#tokens-table tbody tr[data-token-name="Admin token"]');
    await tr.getByRole('button', { name: 'Deactivate' }).waitFor();

    // the admin narrows the Token Manager role to reading tokens
    await ok(srv, 'mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { id } }',
      { id: srv.roles.tokenManager, i: { permissions: ['read:developer_tokens'] } }, { session: srv.admin.session });

    // the page still offers Deactivate; the server refuses it, and the Console says so
    await tr.getByRole('button', { name: 'Deactivate' }).click();
    await p.getByRole('dialog', { name: 'Deactivate “Admin token”?' }).getByRole('button', { name: 'Deactivate' }).click();
    await p.locator('.toast').getByText(/Deactivation failed: .*update:developer_tokens/).waitFor();
    const d = await ok(srv, '{ developerTokens { nodes { status } } }', null, { session: srv.admin.session });
    assert.deepEqual(d.developerTokens.nodes, [{ status: 'ACTIVE' }]);

    // the tab comes back into view: the Console asks again and stops offering what is gone
    await p.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await p.getByRole('button', { name: 'Generate token' }).waitFor({ state: 'detached' });
    await tr.waitFor();
    assert.equal(await tr.getByRole('button', { name: /Deactivate|Rename/ }).count(), 0);

    // all token permissions gone: the page itself is refused
    await ok(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }',
      { u: srv.tokenManager.id, r: srv.roles.tokenManager }, { session: srv.admin.session });
    await p.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await deniedHeading(p).waitFor();
    assert.deepEqual(await navLabels(p), []);
    assert.deepEqual(p.lecternErrors, []);
  });
});
