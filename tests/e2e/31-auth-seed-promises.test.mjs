// SPDX-License-Identifier: MIT
// The promises of the seed article (/work/shared/seed, PRODUCT.md "Developer tokens"), each
// checked end to end on a running server with two tenants:
// - a custom role holding only the three developer-token permissions can read, create and
//   update tokens, and nothing else;
// - a token made by a user without update:users can never update a learner: no subset can name
//   it, and a token's subset cannot be changed afterwards;
// - removing a role (or a permission of a role) from the creator removes it from every token of
//   theirs on the very next request;
// - deactivating the creator makes their tokens 401, reactivating restores them (through the
//   API, and through the CLI in another process within the cache's second);
// - the secret is returned exactly once: never in a later response, a log line or the data
//   directory's files (where only its hash is).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { runLectern, sleep, startLectern } from './lib/server.mjs';
import {
  ADMIN_PASSWORD, CATALOG, TOKEN_PERMS, assertCode, assertForbidden, assertUnauthenticated,
  createRole, createToken, createUser, filesContaining, gql, login, loginRaw, malformedVariants,
  minimalDoc, ok, rootFields, schema, setTokenActive, setUserActive, tokenBody, twoTenants, unique,
  userWithPermissions,
} from './lib/api.mjs';

const sorted = (a) => [...a].sort();

let srv;
let A;
let B;
let bToken; // tenant B's admin token: must keep working whatever happens in A

async function bStillWorks() {
  const d = await ok(srv, '{ viewer { tenant { slug } } developerTokens { totalCount } }', null, { token: bToken });
  assert.equal(d.viewer.tenant.slug, B.slug);
}

before(async () => {
  srv = await startLectern({ args: ['--rate-limit', '0'] });
  ({ a: A, b: B } = await twoTenants(srv));
  bToken = (await createToken(srv, B.session, { name: 'beta control' })).secret;
});

after(async () => {
  if (srv) assert.equal(await srv.stop(), 0, 'lectern did not exit cleanly');
});

describe('a custom role with only the three developer-token permissions', () => {
  let M; // the token manager
  let adminTok; // a token of the admin, for M to manage

  before(async () => {
    M = await userWithPermissions(srv, A.session, A.slug, TOKEN_PERMS);
    adminTok = await createToken(srv, A.session, { name: 'admin integration' });
  });

  test('the role holds exactly those permissions, with the seed\'s wording', async () => {
    const d = await ok(srv, 'query($id: ID!) { role(id: $id) { kind permissions { name description } } }',
      { id: M.roleId }, { session: A.session });
    assert.equal(d.role.kind, 'CUSTOM');
    assert.deepEqual(d.role.permissions, [
      { name: 'read:developer_tokens', description: 'Grants a user the ability to read applicable developer_tokens' },
      { name: 'create:developer_tokens', description: 'Grants a user the ability to create applicable developer_tokens' },
      { name: 'update:developer_tokens', description: 'Grants a user the ability to update applicable developer_tokens' },
    ]);
    const v = await ok(srv, '{ viewer { permissions } }', null, { session: M.session });
    assert.deepEqual(sorted(v.viewer.permissions), sorted(TOKEN_PERMS));
  });

  test('in the Console: reads every token of the tenant, generates one, renames, deactivates and reactivates any', async () => {
    const list = await ok(srv, '{ developerTokens(first: 100) { totalCount nodes { id name hint creator { id } status } } }', null, { session: M.session });
    const mine = list.developerTokens.nodes.find((n) => n.id === adminTok.token.id);
    assert.ok(mine, 'the admin\'s token is not listed for the token manager');
    assert.equal(mine.creator.id, A.admin.id);
    const one = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { id name effectivePermissions } }', { id: adminTok.token.id }, { session: M.session });
    assert.equal(one.developerToken.name, 'admin integration');
    assert.equal(one.developerToken.effectivePermissions.length, CATALOG.length);

    const made = await createToken(srv, M.session, { name: 'made by the token manager' });
    assert.deepEqual(sorted(made.token.effectivePermissions), sorted(TOKEN_PERMS));
    assert.equal(made.token.permissionSubset, null);

    let u = await ok(srv, 'mutation($id: ID!) { updateDeveloperToken(id: $id, input: {name: "renamed by M"}) { name status } }', { id: adminTok.token.id }, { session: M.session });
    assert.deepEqual(u.updateDeveloperToken, { name: 'renamed by M', status: 'ACTIVE' });
    u = await setTokenActive(srv, M.session, adminTok.token.id, false);
    assert.equal(u.updateDeveloperToken.status, 'DEACTIVATED');
    assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { token: adminTok.secret }), 'The token has been deactivated.');
    u = await setTokenActive(srv, M.session, adminTok.token.id, true);
    assert.equal(u.updateDeveloperToken.status, 'ACTIVE');
    await ok(srv, '{ viewer { user { id } } }', null, { token: adminTok.secret });
    await bStillWorks();
  });

  test('in the Console: every other field is FORBIDDEN, naming its permission', async () => {
    for (const f of rootFields()) {
      const r = await gql(srv, minimalDoc(f.name), null, { session: M.session });
      if (f.permission === null || TOKEN_PERMS.includes(f.permission)) {
        // allowed: data (the placeholder ID of updateDeveloperToken is NOT_FOUND, not FORBIDDEN)
        assert.equal(r.status, 200, f.name);
        assert.ok(r.body.data && f.name in r.body.data, `${f.name}: ${JSON.stringify(r.body)}`);
        assert.deepEqual((r.body.errors ?? []).map((e) => e.extensions?.code).filter((c) => c !== 'NOT_FOUND'), [],
          `${f.name}: ${JSON.stringify(r.body)}`);
      } else {
        assertForbidden(r, f.name, f.permission, f.name);
      }
    }
  });

  test('a token of theirs: reads and updates tokens, cannot create one, and nothing else', async () => {
    const t = await createToken(srv, M.session, { name: 'M token' });
    const v = await ok(srv, '{ viewer { permissions token { id effectivePermissions } } }', null, { token: t.secret });
    assert.deepEqual(sorted(v.viewer.permissions), sorted(TOKEN_PERMS));
    assert.equal(v.viewer.token.id, t.token.id);
    const list = await ok(srv, '{ developerTokens(first: 100) { nodes { id } } }', null, { token: t.secret });
    assert.ok(list.developerTokens.nodes.some((n) => n.id === adminTok.token.id));
    const u = await ok(srv, 'mutation($id: ID!) { updateDeveloperToken(id: $id, input: {name: "renamed by M token"}) { name } }', { id: adminTok.token.id }, { token: t.secret });
    assert.equal(u.updateDeveloperToken.name, 'renamed by M token');
    const before = (await ok(srv, '{ developerTokens { totalCount } }', null, { session: A.session })).developerTokens.totalCount;
    for (const f of rootFields()) {
      const r = await gql(srv, minimalDoc(f.name), null, { token: t.secret });
      if (f.name === 'createDeveloperToken') {
        assertCode(r, f.name, 'FORBIDDEN', 'a token creating a token');
      } else if (f.permission === null || TOKEN_PERMS.includes(f.permission)) {
        assert.equal(r.status, 200, f.name);
        assert.deepEqual((r.body.errors ?? []).map((e) => e.extensions?.code).filter((c) => c !== 'NOT_FOUND'), [],
          `${f.name}: ${JSON.stringify(r.body)}`);
      } else {
        assertForbidden(r, f.name, f.permission, f.name);
      }
    }
    const afterCount = (await ok(srv, '{ developerTokens { totalCount } }', null, { session: A.session })).developerTokens.totalCount;
    assert.equal(afterCount, before, 'a token created a token');
  });

  test("tenant B's tokens are not the token manager's to see or change", async () => {
    const bList = await ok(srv, '{ developerTokens(first: 100) { nodes { id } } }', null, { session: B.session });
    const aList = await ok(srv, '{ developerTokens(first: 100) { nodes { id } } }', null, { session: M.session });
    const aIds = new Set(aList.developerTokens.nodes.map((n) => n.id));
    for (const n of bList.developerTokens.nodes) {
      assert.ok(!aIds.has(n.id), 'tenant B\'s token listed in tenant A');
      const one = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { id } }', { id: n.id }, { session: M.session });
      assert.equal(one.developerToken, null);
      const r = await gql(srv, 'mutation($id: ID!) { updateDeveloperToken(id: $id, input: {active: false}) { id } }', { id: n.id }, { session: M.session });
      assertCode(r, 'updateDeveloperToken', 'NOT_FOUND');
    }
    await bStillWorks();
  });
});

describe('a token of a user without update:users can never update a learner', () => {
  let U;
  let learner;
  let tok;

  before(async () => {
    U = await userWithPermissions(srv, A.session, A.slug, ['read:users', ...TOKEN_PERMS]);
    learner = await createUser(srv, A.session, { name: 'Lena Learner' });
    tok = await createToken(srv, U.session, { name: 'U sync' });
  });

  async function learnerName() {
    return (await ok(srv, 'query($id: ID!) { user(id: $id) { name } }', { id: learner.id }, { session: A.session })).user.name;
  }
  async function tokenCountOfU() {
    return (await ok(srv, 'query($c: ID) { developerTokens(filter: {creatorId: $c}) { totalCount } }', { c: U.id }, { session: A.session })).developerTokens.totalCount;
  }
  const UPDATE = 'mutation($id: ID!) { updateUser(id: $id, input: {name: "Hacked"}) { id name } }';

  test('the token is refused with FORBIDDEN update:users and the learner is unchanged', async () => {
    assert.ok(!tok.token.effectivePermissions.includes('update:users'));
    const r = await gql(srv, UPDATE, { id: learner.id }, { token: tok.secret });
    assertForbidden(r, 'updateUser', 'update:users');
    assert.equal(await learnerName(), 'Lena Learner');
    // the token can read the learner: it is the permission, not the target, that is missing
    const d = await ok(srv, 'query($id: ID!) { user(id: $id) { name } }', { id: learner.id }, { token: tok.secret });
    assert.equal(d.user.name, 'Lena Learner');
  });

  test('a new token whose subset names update:users is refused, and none is created', async () => {
    const before = await tokenCountOfU();
    for (const permissions of [['update:users'], ['read:users', 'update:users'], CATALOG]) {
      const r = await gql(srv, 'mutation($i: CreateDeveloperTokenInput!) { createDeveloperToken(input: $i) { secret token { id } } }',
        { i: { name: 'escalate', permissions } }, { session: U.session });
      const lacking = permissions.filter((p) => !['read:users', ...TOKEN_PERMS].includes(p));
      const e = assertForbidden(r, 'createDeveloperToken', lacking.length === 1 ? lacking[0] : undefined);
      assert.ok(lacking.includes(e.extensions.permission), `names ${e.extensions.permission}, not one U lacks`);
      assert.match(e.message, new RegExp(e.extensions.permission));
      assert.doesNotMatch(JSON.stringify(r.body), /lct_/);
    }
    assert.equal(await tokenCountOfU(), before);
    assert.equal((await gql(srv, UPDATE, { id: learner.id }, { token: tok.secret })).body.data.updateUser, null);
  });

  test("a token's subset cannot be changed after generation, nor its creator", async () => {
    const input = schema.getType('UpdateDeveloperTokenInput');
    assert.deepEqual(Object.keys(input.getFields()).sort(), ['active', 'name']);
    assert.deepEqual(Object.keys(schema.getType('CreateDeveloperTokenInput').getFields()).sort(), ['expiresAt', 'name', 'permissions']);
    // the server's own schema says the same
    const intro = await gql(srv, '{ __type(name: "UpdateDeveloperTokenInput") { inputFields { name } } }');
    assert.deepEqual(intro.body.data.__type.inputFields.map((f) => f.name).sort(), ['active', 'name']);
    // trying anyway is a validation error: nothing runs
    for (const opts of [{ session: A.session }, { session: U.session }]) {
      const r = await gql(srv, 'mutation($id: ID!) { updateDeveloperToken(id: $id, input: {name: "x", permissions: ["update:users"]}) { id } }',
        { id: tok.token.id }, { ...opts, accept: 'application/graphql-response+json' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal('data' in r.body, false);
      assert.equal(r.body.errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(r.body));
    }
    const t = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { name permissionSubset creator { id } } }', { id: tok.token.id }, { session: A.session });
    assert.deepEqual(t.developerToken, { name: 'U sync', permissionSubset: null, creator: { id: U.id } });
  });

  test('an admin renaming, deactivating and reactivating the token gives it nothing', async () => {
    await ok(srv, 'mutation($id: ID!) { updateDeveloperToken(id: $id, input: {name: "renamed by admin"}) { id } }', { id: tok.token.id }, { session: A.session });
    await setTokenActive(srv, A.session, tok.token.id, false);
    await setTokenActive(srv, A.session, tok.token.id, true);
    assertForbidden(await gql(srv, UPDATE, { id: learner.id }, { token: tok.secret }), 'updateUser', 'update:users');
    assert.equal(await learnerName(), 'Lena Learner');
  });

  test('the CLI refuses a token for that user whose subset names update:users', async () => {
    const before = await tokenCountOfU();
    const r = await runLectern(['token', 'create', '--data-dir', srv.dataDir, '--tenant', A.slug,
      '--user', U.email, '--name', 'cli escalate', '--permission', 'update:users']);
    assert.notEqual(r.code, 0, `the CLI created the token:\n${r.stdout}`);
    assert.match(r.stderr, /update:users/);
    assert.doesNotMatch(r.stdout, /lct_[0-9A-Za-z]{36}/);
    await sleep(1100); // the server's cache re-reads another process's writes within 1 s
    assert.equal(await tokenCountOfU(), before);
    assertForbidden(await gql(srv, UPDATE, { id: learner.id }, { token: tok.secret }), 'updateUser', 'update:users');
    await bStillWorks();
  });
});

describe("removing a role from the creator removes it from every token of theirs, at the next request", () => {
  let P;
  let rUsers;
  let rCourses;
  const toks = {};
  const Q = '{ users(first: 1) { totalCount } courses(first: 1) { totalCount } viewer { permissions } }';

  before(async () => {
    P = await userWithPermissions(srv, A.session, A.slug, ['create:developer_tokens']);
    rUsers = await createRole(srv, A.session, ['read:users']);
    rCourses = await createRole(srv, A.session, ['read:courses']);
    for (const r of [rUsers, rCourses]) {
      await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: P.id, r }, { session: A.session });
    }
    toks.all = await createToken(srv, P.session, { name: 'P all' });
    toks.both = await createToken(srv, P.session, { name: 'P both', permissions: ['read:users', 'read:courses'] });
    toks.users = await createToken(srv, P.session, { name: 'P users', permissions: ['read:users'] });
  });

  async function check(t, { users, courses }) {
    const r = await gql(srv, Q, null, { token: t.secret });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const want = t === toks.all ? ['create:developer_tokens'] : [];
    if (users) assert.equal(typeof r.body.data.users?.totalCount, 'number', `users should resolve: ${JSON.stringify(r.body)}`);
    else assertForbidden(r, 'users', 'read:users');
    if (courses) assert.equal(typeof r.body.data.courses?.totalCount, 'number', `courses should resolve: ${JSON.stringify(r.body)}`);
    else assertForbidden(r, 'courses', 'read:courses');
    if (users) want.push('read:users');
    if (courses) want.push('read:courses');
    assert.deepEqual(sorted(r.body.data.viewer.permissions), sorted(want));
  }
  async function effective(t) {
    const d = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { effectivePermissions } }', { id: t.token.id }, { session: A.session });
    return sorted(d.developerToken.effectivePermissions);
  }

  test('before: each token has its share (and the cache is warm)', async () => {
    for (let i = 0; i < 3; i++) {
      await check(toks.all, { users: true, courses: true });
      await check(toks.both, { users: true, courses: true });
      await check(toks.users, { users: true, courses: false });
    }
    assert.deepEqual(await effective(toks.all), sorted(['create:developer_tokens', 'read:users', 'read:courses']));
  });

  test('unassignRole: read:users is gone from all three on the very next request', async () => {
    await ok(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: P.id, r: rUsers }, { session: A.session });
    await check(toks.all, { users: false, courses: true });
    await check(toks.both, { users: false, courses: true });
    await check(toks.users, { users: false, courses: false });
    assert.deepEqual(await effective(toks.users), []);
    assert.deepEqual(await effective(toks.all), sorted(['create:developer_tokens', 'read:courses']));
    await bStillWorks();
  });

  test('assignRole again: it is back on the very next request (tokens follow the creator, live)', async () => {
    await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: P.id, r: rUsers }, { session: A.session });
    await check(toks.users, { users: true, courses: false });
    await check(toks.all, { users: true, courses: true });
  });

  test("updateRole removing a permission of the creator's role: gone on the very next request", async () => {
    await ok(srv, 'mutation($id: ID!) { updateRole(id: $id, input: {permissions: []}) { id } }', { id: rCourses }, { session: A.session });
    await check(toks.all, { users: true, courses: false });
    await check(toks.both, { users: true, courses: false });
  });

  test('deleteRole: gone on the very next request', async () => {
    await ok(srv, 'mutation($id: ID!) { deleteRole(id: $id) }', { id: rUsers }, { session: A.session });
    await check(toks.all, { users: false, courses: false });
    await check(toks.users, { users: false, courses: false });
    // the tokens themselves still authenticate: they just hold nothing now
    const d = await ok(srv, '{ viewer { token { name } permissions } }', null, { token: toks.users.secret });
    assert.deepEqual(d.viewer, { token: { name: 'P users' }, permissions: [] });
    await bStillWorks();
  });
});

describe("deactivating the creator makes their tokens 401; reactivating restores them", () => {
  let Qu;
  let t1;
  let t2;
  const CREATOR = "The token's creator is deactivated.";

  before(async () => {
    Qu = await userWithPermissions(srv, A.session, A.slug, ['read:users', 'create:developer_tokens']);
    t1 = await createToken(srv, Qu.session, { name: 'Q one' });
    t2 = await createToken(srv, Qu.session, { name: 'Q two', permissions: ['read:users'] });
    for (const t of [t1, t2]) await ok(srv, '{ users { totalCount } }', null, { token: t.secret });
  });

  test('through the API: 401 on the very next request, the session ends too', async () => {
    await setUserActive(srv, A.session, Qu.id, false);
    for (const t of [t1, t2]) assertUnauthenticated(await gql(srv, '{ users { totalCount } }', null, { token: t.secret }), CREATOR);
    // the tokens themselves are still active; what they may do is nothing
    const d = await ok(srv, 'query($c: ID) { developerTokens(filter: {creatorId: $c}) { nodes { status effectivePermissions } } }', { c: Qu.id }, { session: A.session });
    assert.deepEqual(d.developerTokens.nodes, [{ status: 'ACTIVE', effectivePermissions: [] }, { status: 'ACTIVE', effectivePermissions: [] }]);
    const s = await gql(srv, '{ viewer { user { id } } }', null, { session: Qu.session });
    assert.equal(s.status, 401, JSON.stringify(s.body));
    const l = await loginRaw(srv, A.slug, Qu.email, Qu.password);
    assert.equal(l.status, 401);
    assert.equal(l.cookie, null);
    await bStillWorks();
  });

  test('through the API: reactivating restores both tokens on the very next request', async () => {
    await setUserActive(srv, A.session, Qu.id, true);
    for (const t of [t1, t2]) {
      const d = await ok(srv, '{ users { totalCount } viewer { user { id } } }', null, { token: t.secret });
      assert.equal(d.viewer.user.id, Qu.id);
    }
  });

  test('through the CLI (another process): in effect within the cache\'s second, both ways', async () => {
    const until = async (pred, what) => {
      const t0 = Date.now();
      for (;;) {
        if (await pred()) return Date.now() - t0;
        assert.ok(Date.now() - t0 < 2500, `${what} not seen by the server within 2.5 s`);
        await sleep(100);
      }
    };
    let r = await runLectern(['user', 'deactivate', '--data-dir', srv.dataDir, '--tenant', A.slug, '--email', Qu.email]);
    assert.equal(r.code, 0, r.stderr);
    const off = await until(async () => (await gql(srv, '{ users { totalCount } }', null, { token: t1.secret })).status === 401, 'the deactivation');
    assertUnauthenticated(await gql(srv, '{ users { totalCount } }', null, { token: t2.secret }), CREATOR);
    r = await runLectern(['user', 'reactivate', '--data-dir', srv.dataDir, '--tenant', A.slug, '--email', Qu.email]);
    assert.equal(r.code, 0, r.stderr);
    const on = await until(async () => (await gql(srv, '{ users { totalCount } }', null, { token: t1.secret })).status === 200, 'the reactivation');
    await ok(srv, '{ users { totalCount } }', null, { token: t2.secret });
    assert.ok(off <= 1600 && on <= 1600, `took ${off} ms and ${on} ms (PRODUCT.md: within one second)`);
    await bStillWorks();
  });
});

describe('the secret is returned exactly once', () => {
  let made;
  let secret;
  let body;
  let adminCookieValue;
  const TOKEN_FIELDS = 'id name hint creator { id email name } status createdAt updatedAt lastUsedAt lastUsedIp expiresAt permissionSubset effectivePermissions';

  before(async () => {
    made = await createToken(srv, A.session, { name: 'once', expiresAt: '2099-01-01T00:00:00Z', permissions: ['read:users', 'read:developer_tokens', 'read:audit_events'] });
    secret = made.secret;
    body = tokenBody(secret);
    adminCookieValue = A.session.cookie.split('=')[1];
    // use it, rightly and wrongly
    await ok(srv, '{ users { totalCount } }', null, { token: secret });
    for (const m of malformedVariants(secret)) await gql(srv, '{ viewer { user { id } } }', null, { token: m.token });
    await gql(srv, '{ courses { totalCount } }', null, { token: secret }); // FORBIDDEN
  });

  test('the hint is lct_… and the last four characters, nothing of the body', () => {
    assert.equal(made.token.hint, `lct_\u2026${secret.slice(-4)}`);
  });

  test('no field of the schema but CreateDeveloperTokenPayload.secret can carry it', () => {
    const secretish = [];
    for (const t of Object.values(schema.getTypeMap())) {
      if (t.name.startsWith('__') || !t.getFields) continue;
      for (const f of Object.keys(t.getFields())) if (/secret|hash|password/i.test(f)) secretish.push(`${t.name}.${f}`);
    }
    // (passwords are inputs only)
    assert.deepEqual(secretish.sort(), ['CreateDeveloperTokenPayload.secret', 'CreateUserInput.password', 'UpdateUserInput.password']);
    assert.deepEqual(Object.keys(schema.getType('DeveloperToken').getFields()).filter((f) => /secret|hash/i.test(f)), []);
  });

  test('it appears in no later response: list, by ID, viewer, audit log (session and token)', async () => {
    const responses = [];
    for (const opts of [{ session: A.session }, { token: secret }]) {
      responses.push(await gql(srv, `{ developerTokens(first: 100) { nodes { ${TOKEN_FIELDS} } } }`, null, opts));
      responses.push(await gql(srv, `query($id: ID!) { developerToken(id: $id) { ${TOKEN_FIELDS} } }`, { id: made.token.id }, opts));
      responses.push(await gql(srv, `{ auditEvents(first: 100) { nodes { id action targetType targetId ip detail createdAt actor { id } actorToken { id name hint } } } }`, null, opts));
    }
    responses.push(await gql(srv, `{ viewer { permissions token { ${TOKEN_FIELDS} } } }`, null, { token: secret }));
    for (const r of responses) {
      assert.equal(r.status, 200);
      const text = JSON.stringify(r.body);
      assert.ok(!text.includes(body), `the token's body is in a later response: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(body.slice(8, 22)), 'part of the token\'s body is in a later response');
    }
    // the audit log did record the creation, with the hint at most
    const ev = await ok(srv, '{ auditEvents(first: 100, filter: {action: "token.create"}) { nodes { targetId detail } } }', null, { session: A.session });
    const mine = ev.auditEvents.nodes.find((n) => n.targetId === made.token.id);
    assert.ok(mine, 'no token.create audit event for the token');
  });

  test('it appears in no log line of the server (nor does a session cookie or a password)', () => {
    const logs = srv.logs().join('\n');
    assert.ok(logs.length > 0);
    for (const [what, s] of [['secret', secret], ['body', body], ['body fragment', body.slice(5, 20)],
      ['session cookie', adminCookieValue], ['csrf token', A.session.csrf], ['admin password', ADMIN_PASSWORD]]) {
      assert.ok(!logs.includes(s), `the ${what} is in the server's log`);
    }
    for (const m of malformedVariants(secret)) assert.ok(!logs.includes(m.token), `a malformed variant (${m.what}) is logged`);
  });

  test('the data directory holds its SHA-256 and hint, never the secret or its body', async () => {
    const sha = crypto.createHash('sha256').update(secret).digest();
    const check = () => {
      assert.deepEqual(filesContaining(srv.dataDir, secret), [], 'the secret is on disk');
      assert.deepEqual(filesContaining(srv.dataDir, body), [], 'the token\'s body is on disk');
      assert.deepEqual(filesContaining(srv.dataDir, body.slice(0, 16)), [], 'the first half of the body is on disk');
      assert.deepEqual(filesContaining(srv.dataDir, body.slice(14)), [], 'the second half of the body is on disk');
      assert.deepEqual(filesContaining(srv.dataDir, adminCookieValue), [], 'a session ID is on disk');
      assert.deepEqual(filesContaining(srv.dataDir, A.session.csrf), [], 'a CSRF token is on disk');
      assert.deepEqual(filesContaining(srv.dataDir, ADMIN_PASSWORD), [], 'a password is on disk');
    };
    check();
    // the search does look at the right bytes: the hash is there (raw or hex)
    const withHash = [...filesContaining(srv.dataDir, sha), ...filesContaining(srv.dataDir, sha.toString('hex'))];
    assert.ok(withHash.length > 0, 'the token\'s SHA-256 is not in the data directory: is the search looking at the store?');
    // and once the server has stopped (WAL checkpointed into the database file)
    assert.equal(await srv.stop(), 0);
    check();
  });
});
