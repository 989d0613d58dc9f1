// SPDX-License-Identifier: MIT
// No escalation, and no way across tenants (PRODUCT.md "No escalation", "Domain", "API
// conventions: IDs"):
// - a token's subset only names permissions its creator holds (FORBIDDEN naming the one that
//   is not), and a request authenticated by a token cannot create tokens or set passwords;
// - what goes into a role, and which roles a user may give or take, is bounded by the actor's
//   own permissions (createRole, updateRole, assignRole, unassignRole, createUser with roleIds);
//   built-in roles cannot be changed;
// - the last active Console Admin of a tenant cannot be deactivated or lose the role (CONFLICT);
// - every query and mutation that takes an ID (as an argument, in an input or in a filter)
//   answers for another tenant's ID exactly what it answers for a well-formed ID that names
//   nothing, and changes nothing there; list queries never show another tenant's rows.
// After each refused attempt a normal request must still work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLInputObjectType, getNamedType, isInputObjectType } from 'graphql';
import { runLectern, startLectern } from './lib/server.mjs';
import {
  ADMIN_EMAIL, CATALOG, assertCode, assertForbidden, auditCount, builtinRoles, createRole,
  createToken, createUser, gql, listAll, login, missingId, ok, rootFields, schema, setUserActive,
  twoTenants, unique, userWithPermissions,
} from './lib/api.mjs';

const sorted = (a) => [...a].sort();

let srv;
let A;
let B;
let aTok; // tenant A admin's token
let bTok;
let roles; // built-in role IDs of A: {admin, learner}

async function normalStillWorks() {
  const d = await ok(srv, '{ viewer { user { id } } users(first: 1) { totalCount } }', null, { token: aTok });
  assert.equal(d.viewer.user.id, A.admin.id);
  const e = await ok(srv, '{ viewer { user { id } } }', null, { token: bTok });
  assert.equal(e.viewer.user.id, B.admin.id);
}

async function userRoleIds(id) {
  const d = await ok(srv, 'query($id: ID!) { user(id: $id) { status roles { id } } }', { id }, { session: A.session });
  return d.user;
}

before(async () => {
  srv = await startLectern({ args: ['--rate-limit', '0'] });
  ({ a: A, b: B } = await twoTenants(srv));
  roles = await builtinRoles(srv, A.session);
  aTok = (await createToken(srv, A.session, { name: 'A admin' })).secret;
  bTok = (await createToken(srv, B.session, { name: 'B admin' })).secret;
});

after(async () => {
  if (srv) assert.equal(await srv.stop(), 0, 'lectern did not exit cleanly');
});

const CREATE_TOKEN = 'mutation($i: CreateDeveloperTokenInput!) { createDeveloperToken(input: $i) { secret token { id effectivePermissions } } }';

describe("a token's subset is within its creator's permissions", () => {
  let S;
  const held = ['create:developer_tokens', 'read:users', 'read:courses'];
  async function countOfS() {
    return (await ok(srv, 'query($c: ID) { developerTokens(filter: {creatorId: $c}) { totalCount } }', { c: S.id }, { session: A.session })).developerTokens.totalCount;
  }

  before(async () => {
    S = await userWithPermissions(srv, A.session, A.slug, held);
  });

  test('a subset of what the creator holds is accepted', async () => {
    const t = await createToken(srv, S.session, { permissions: ['read:users'] });
    assert.deepEqual(t.token.permissionSubset, ['read:users']);
    assert.deepEqual(t.token.effectivePermissions, ['read:users']);
    const r = await gql(srv, '{ users { totalCount } courses { totalCount } }', null, { token: t.secret });
    assert.equal(typeof r.body.data.users.totalCount, 'number');
    assertForbidden(r, 'courses', 'read:courses');
  });

  for (const [subset, lacking] of [
    [['read:users', 'update:users'], 'update:users'],
    [['read:audit_events'], 'read:audit_events'],
    [['create:developer_tokens', 'assign:roles'], 'assign:roles'],
  ]) {
    test(`a subset naming ${lacking}, which the creator lacks → FORBIDDEN naming it, no token`, async () => {
      const before = await countOfS();
      const auditBefore = await auditCount(srv, A.session);
      const r = await gql(srv, CREATE_TOKEN, { i: { name: 'escalate', permissions: subset } }, { session: S.session });
      assertForbidden(r, 'createDeveloperToken', lacking);
      assert.doesNotMatch(JSON.stringify(r.body), /lct_/);
      assert.equal(await countOfS(), before);
      assert.equal(await auditCount(srv, A.session), auditBefore);
      await normalStillWorks();
    });
  }

  test('the whole catalog as a subset → FORBIDDEN naming a permission the creator lacks', async () => {
    const r = await gql(srv, CREATE_TOKEN, { i: { name: 'everything', permissions: CATALOG } }, { session: S.session });
    const e = assertForbidden(r, 'createDeveloperToken');
    assert.ok(CATALOG.includes(e.extensions.permission) && !held.includes(e.extensions.permission), JSON.stringify(e));
    // the admin, who holds the catalog, may
    const t = await createToken(srv, A.session, { permissions: CATALOG });
    assert.deepEqual(sorted(t.token.effectivePermissions), sorted(CATALOG));
  });

  test('the subset bounds the token even when its creator gains permissions later', async () => {
    const t = await createToken(srv, S.session, { permissions: ['read:users'] });
    const extra = await createRole(srv, A.session, ['read:audit_events']);
    await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: S.id, r: extra }, { session: A.session });
    const r = await gql(srv, '{ auditEvents { totalCount } viewer { permissions } }', null, { token: t.secret });
    assertForbidden(r, 'auditEvents', 'read:audit_events');
    assert.deepEqual(r.body.data.viewer.permissions, ['read:users']);
    // while a token without a subset follows the creator
    const all = await createToken(srv, S.session, {});
    await ok(srv, '{ auditEvents { totalCount } }', null, { token: all.secret });
    await ok(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: S.id, r: extra }, { session: A.session });
    assertForbidden(await gql(srv, '{ auditEvents { totalCount } }', null, { token: all.secret }), 'auditEvents', 'read:audit_events');
  });

  test('a permission not in the catalog → BAD_USER_INPUT on input.permissions', async () => {
    const r = await gql(srv, CREATE_TOKEN, { i: { name: 'bogus', permissions: ['read:users', 'launch:missiles'] } }, { session: S.session });
    const e = assertCode(r, 'createDeveloperToken', 'BAD_USER_INPUT');
    assert.equal(e.extensions.field, 'input.permissions');
    await normalStillWorks();
  });
});

describe('a request authenticated by a token cannot create tokens or set passwords', () => {
  test('createDeveloperToken with a token → FORBIDDEN, whatever the token holds; nothing is created', async () => {
    const onlyCreate = (await createToken(srv, A.session, { permissions: ['create:developer_tokens'] })).secret;
    const before = (await ok(srv, '{ developerTokens { totalCount } }', null, { session: A.session })).developerTokens.totalCount;
    const auditBefore = await auditCount(srv, A.session);
    for (const t of [aTok, onlyCreate]) {
      for (const input of [{ name: 'successor' }, { name: 'successor', permissions: ['read:users'] }]) {
        const r = await gql(srv, CREATE_TOKEN, { i: input }, { token: t });
        const e = assertCode(r, 'createDeveloperToken', 'FORBIDDEN');
        assert.match(e.message, /token/i);
        assert.doesNotMatch(JSON.stringify(r.body), /lct_[0-9A-Za-z]{36}/);
      }
      // two at once, aliased
      const r = await gql(srv, 'mutation { a: createDeveloperToken(input: {name: "a"}) { secret } b: createDeveloperToken(input: {name: "b"}) { secret } }', null, { token: t });
      assert.deepEqual(r.body.data, { a: null, b: null });
      assert.deepEqual(r.body.errors.map((e) => e.extensions.code), ['FORBIDDEN', 'FORBIDDEN']);
    }
    assert.equal((await ok(srv, '{ developerTokens { totalCount } }', null, { session: A.session })).developerTokens.totalCount, before);
    assert.equal(await auditCount(srv, A.session), auditBefore);
    await normalStillWorks();
  });

  test('a token cannot give anyone a Console password (which would open a session that can)', async () => {
    const email = `${unique('pw')}@example.test`;
    let r = await gql(srv, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { email, name: 'Pw', password: 'a password long enough' } }, { token: aTok });
    assertCode(r, 'createUser', 'FORBIDDEN');
    const found = await ok(srv, 'query($e: String) { users(filter: {email: $e}) { totalCount } }', { e: email }, { session: A.session });
    assert.equal(found.users.totalCount, 0);
    const u = await createUser(srv, A.session, {});
    r = await gql(srv, 'mutation($id: ID!) { updateUser(id: $id, input: {password: "a password long enough"}) { id canLogIn } }', { id: u.id }, { token: aTok });
    assertCode(r, 'updateUser', 'FORBIDDEN');
    r = await gql(srv, 'mutation($id: ID!) { updateUser(id: $id, input: {password: "a password long enough"}) { id } }', { id: A.admin.id }, { token: aTok });
    assertCode(r, 'updateUser', 'FORBIDDEN');
    const d = await ok(srv, 'query($id: ID!) { user(id: $id) { canLogIn } }', { id: u.id }, { session: A.session });
    assert.equal(d.user.canLogIn, false);
    await normalStillWorks();
  });
});

describe("roles and assignments are bounded by the actor's permissions", () => {
  let R; // a role manager without the course permissions
  let rTok;
  let coursesRole; // a custom role holding read:courses (made by the admin)
  let heldRole; // a custom role holding read:users
  let learner;
  const mine = ['read:roles', 'create:roles', 'update:roles', 'assign:roles', 'read:users', 'create:users', 'update:users', 'create:developer_tokens'];

  before(async () => {
    R = await userWithPermissions(srv, A.session, A.slug, mine);
    rTok = (await createToken(srv, R.session, { name: 'R token' })).secret;
    coursesRole = await createRole(srv, A.session, ['read:courses']);
    heldRole = await createRole(srv, A.session, ['read:users']);
    learner = await createUser(srv, A.session, { name: 'Bound Learner' });
  });

  for (const via of ['session', 'token']) {
    const opts = () => (via === 'session' ? { session: R.session } : { token: rTok });

    test(`createRole with a permission the actor lacks → FORBIDDEN, no role (${via})`, async () => {
      const name = unique('esc-');
      const r = await gql(srv, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }',
        { i: { name, permissions: ['read:users', 'read:courses'] } }, opts());
      assertForbidden(r, 'createRole', 'read:courses');
      const all = await listAll(srv, { session: A.session }, 'roles', '', 'name');
      assert.ok(!all.some((x) => x.name === name), 'the role was created');
      // within its own permissions it may
      const okName = unique('fine-');
      await ok(srv, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }', { i: { name: okName, permissions: ['read:users'] } }, opts());
      await normalStillWorks();
    });

    test(`updateRole adding a permission the actor lacks → FORBIDDEN, role unchanged (${via})`, async () => {
      const r = await gql(srv, 'mutation($id: ID!) { updateRole(id: $id, input: {permissions: ["read:users", "read:courses"]}) { id } }',
        { id: heldRole }, opts());
      assertForbidden(r, 'updateRole', 'read:courses');
      const d = await ok(srv, 'query($id: ID!) { role(id: $id) { permissions { name } } }', { id: heldRole }, { session: A.session });
      assert.deepEqual(d.role.permissions.map((p) => p.name), ['read:users']);
      await normalStillWorks();
    });

    test(`built-in roles cannot be changed or deleted, even by an admin (${via})`, async () => {
      for (const o of [opts(), { session: A.session }]) {
        for (const id of [roles.admin, roles.learner]) {
          let r = await gql(srv, 'mutation($id: ID!) { updateRole(id: $id, input: {permissions: []}) { id } }', { id }, o);
          assertCode(r, 'updateRole', 'FORBIDDEN');
          r = await gql(srv, 'mutation($id: ID!) { updateRole(id: $id, input: {name: "Renamed"}) { id } }', { id }, o);
          assertCode(r, 'updateRole', 'FORBIDDEN');
          r = await gql(srv, 'mutation($id: ID!) { deleteRole(id: $id) }', { id }, o);
          assertCode(r, 'deleteRole', 'FORBIDDEN');
        }
      }
      const d = await ok(srv, 'query($id: ID!) { role(id: $id) { name permissions { name } } }', { id: roles.admin }, { session: A.session });
      assert.equal(d.role.permissions.length, CATALOG.length);
      await normalStillWorks();
    });

    test(`assignRole of a role with more permissions than the actor's → FORBIDDEN, nothing assigned (${via})`, async () => {
      const fresh = await createUser(srv, A.session, { name: 'Fresh Learner' });
      for (const [roleId, lacking] of [[coursesRole, 'read:courses'], [roles.admin, undefined]]) {
        for (const target of [fresh.id, R.id]) { // to a learner, or to oneself
          const r = await gql(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: target, r: roleId }, opts());
          const e = assertForbidden(r, 'assignRole', lacking);
          assert.ok(!mine.includes(e.extensions.permission), JSON.stringify(e));
          const u = await userRoleIds(target);
          assert.ok(!u.roles.some((x) => x.id === roleId), 'the role was assigned');
        }
      }
      const v = await ok(srv, '{ viewer { permissions } }', null, opts());
      assert.deepEqual(sorted(v.viewer.permissions), sorted(mine));
      // a role within its permissions it may give
      await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: learner.id, r: heldRole }, opts());
      await normalStillWorks();
    });

    test(`unassignRole of a role with more permissions than the actor's → FORBIDDEN (${via})`, async () => {
      // the admin gives the learner the courses role; R may not take it away
      await gql(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: learner.id, r: coursesRole }, { session: A.session });
      let r = await gql(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: learner.id, r: coursesRole }, opts());
      assertForbidden(r, 'unassignRole', 'read:courses');
      r = await gql(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: A.admin.id, r: roles.admin }, opts());
      assertForbidden(r, 'unassignRole');
      assert.ok((await userRoleIds(learner.id)).roles.some((x) => x.id === coursesRole));
      assert.ok((await userRoleIds(A.admin.id)).roles.some((x) => x.id === roles.admin));
      await normalStillWorks();
    });

    test(`createUser with roleIds beyond the actor's permissions → FORBIDDEN, no user (${via})`, async () => {
      for (const [roleIds, lacking] of [[[coursesRole], 'read:courses'], [[roles.admin], undefined], [[heldRole, coursesRole], 'read:courses']]) {
        const email = `${unique('esc')}@example.test`;
        const r = await gql(srv, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email, name: 'Esc', roleIds } }, opts());
        const e = assertForbidden(r, 'createUser', lacking);
        assert.ok(!mine.includes(e.extensions.permission));
        const found = await ok(srv, 'query($e: String) { users(filter: {email: $e}) { totalCount } }', { e: email }, { session: A.session });
        assert.equal(found.users.totalCount, 0, 'the user was created');
      }
      const d = await ok(srv, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email: `${unique('fine')}@example.test`, name: 'Fine', roleIds: [heldRole] } }, opts());
      assert.ok(d.createUser.id);
      await normalStillWorks();
    });

    test(`changing the email of a user who holds more → FORBIDDEN (${via})`, async () => {
      const r = await gql(srv, 'mutation($id: ID!) { updateUser(id: $id, input: {email: "taken-over@example.test"}) { id } }', { id: A.admin.id }, opts());
      assertForbidden(r, 'updateUser');
      const d = await ok(srv, 'query($id: ID!) { user(id: $id) { email } }', { id: A.admin.id }, { session: A.session });
      assert.equal(d.user.email, ADMIN_EMAIL);
      await normalStillWorks();
    });
  }

  test('without assign:roles, createUser with any roleIds → FORBIDDEN assign:roles', async () => {
    const X = await userWithPermissions(srv, A.session, A.slug, ['create:users', 'read:users']);
    const email = `${unique('nr')}@example.test`;
    const r = await gql(srv, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email, name: 'NR', roleIds: [roles.learner] } }, { session: X.session });
    assertForbidden(r, 'createUser', 'assign:roles');
    const found = await ok(srv, 'query($e: String) { users(filter: {email: $e}) { totalCount } }', { e: email }, { session: A.session });
    assert.equal(found.users.totalCount, 0);
  });
});

describe('the last active Console Admin', () => {
  const LAST = async (r, field) => {
    const e = assertCode(r, field, 'CONFLICT');
    assert.match(e.message, /Console Admin/i);
  };

  test('cannot deactivate themselves or lose the role (CONFLICT); still an active admin after', async () => {
    const auditBefore = await auditCount(srv, A.session);
    await LAST(await gql(srv, 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: A.admin.id }, { session: A.session }), 'deactivateUser');
    await LAST(await gql(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: A.admin.id, r: roles.admin }, { session: A.session }), 'unassignRole');
    await LAST(await gql(srv, 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: A.admin.id }, { token: aTok }), 'deactivateUser');
    const u = await userRoleIds(A.admin.id);
    assert.equal(u.status, 'ACTIVE');
    assert.ok(u.roles.some((x) => x.id === roles.admin));
    assert.equal(await auditCount(srv, A.session), auditBefore);
    await normalStillWorks();
  });

  test('with a second active admin either may go; a deactivated admin does not count', async () => {
    const pw = 'second admin password, long enough';
    const second = await createUser(srv, A.session, { name: 'Second Admin', password: pw, roleIds: [roles.admin] });
    // deactivate the second: allowed (the first stays)
    await setUserActive(srv, A.session, second.id, false);
    // now the first is the last *active* one again
    await LAST(await gql(srv, 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: A.admin.id }, { session: A.session }), 'deactivateUser');
    await LAST(await gql(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: A.admin.id, r: roles.admin }, { session: A.session }), 'unassignRole');
    // reactivated, the second may lose the role, and the first may not afterwards
    await setUserActive(srv, A.session, second.id, true);
    await ok(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: second.id, r: roles.admin }, { session: A.session });
    await LAST(await gql(srv, 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: A.admin.id, r: roles.admin }, { session: A.session }), 'unassignRole');
    // with the role again, two active admins: the first may deactivate the second
    await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: second.id, r: roles.admin }, { session: A.session });
    const s2 = await login(srv, A.slug, second.email, pw);
    const d = await ok(srv, 'mutation($id: ID!) { deactivateUser(id: $id) { status } }', { id: second.id }, { session: A.session });
    assert.equal(d.deactivateUser.status, 'DEACTIVATED');
    assert.equal((await gql(srv, '{ viewer { user { id } } }', null, { session: s2 })).status, 401, 'the deactivated admin\'s session lives on');
    await LAST(await gql(srv, 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: A.admin.id }, { session: A.session }), 'deactivateUser');
    await normalStillWorks();
  });

  test('the CLI refuses too, and tenant B counts its own admins', async () => {
    const r = await runLectern(['user', 'deactivate', '--data-dir', srv.dataDir, '--tenant', B.slug, '--email', 'admin@beta.test']);
    assert.notEqual(r.code, 0, `the CLI deactivated tenant B's last admin:\n${r.stdout}`);
    await LAST(await gql(srv, 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: B.admin.id }, { session: B.session }), 'deactivateUser');
    const d = await ok(srv, '{ viewer { user { status } } }', null, { session: B.session });
    assert.equal(d.viewer.user.status, 'ACTIVE');
    await normalStillWorks();
  });
});

// ---- Tenancy ---------------------------------------------------------------------------------

// Whether an argument's type is, or holds (in an input object), an ID.
function holdsId(type, seen = new Set()) {
  const t = getNamedType(type);
  if (t.name === 'ID') return true;
  if (!isInputObjectType(t) || seen.has(t.name)) return false;
  seen.add(t.name);
  return Object.values(t.getFields()).some((f) => holdsId(f.type, seen));
}
const ID_TAKING = [schema.getQueryType(), schema.getMutationType()]
  .flatMap((t) => Object.values(t.getFields()))
  .filter((f) => f.args.some((a) => holdsId(a.type)))
  .map((f) => f.name);
assert.ok(GraphQLInputObjectType); // (imported for holdsId's isInputObjectType)

// X: the IDs under test (tenant B's, or well-formed IDs that name nothing); M: tenant A's own.
const TENANCY_CASES = [
  ['user', 'query($id: ID!) { user(id: $id) { id email } }', (X) => ({ id: X.user })],
  ['role', 'query($id: ID!) { role(id: $id) { id name } }', (X) => ({ id: X.role })],
  ['role', 'query($id: ID!) { role(id: $id) { id name } }', (X) => ({ id: X.adminRole })],
  ['course', 'query($id: ID!) { course(id: $id) { id code } }', (X) => ({ id: X.course })],
  ['enrollment', 'query($id: ID!) { enrollment(id: $id) { id } }', (X) => ({ id: X.enrollment })],
  ['developerToken', 'query($id: ID!) { developerToken(id: $id) { id name } }', (X) => ({ id: X.token })],
  ['users', 'query($id: ID) { users(filter: {id: $id}) { totalCount nodes { id } } }', (X) => ({ id: X.user })],
  ['users', 'query($id: ID) { users(filter: {roleId: $id}) { totalCount nodes { id } } }', (X) => ({ id: X.adminRole })],
  ['users', 'query($q: String) { users(filter: {query: $q}) { totalCount nodes { id } } }', (X) => ({ q: X.user })],
  ['enrollments', 'query($id: ID) { enrollments(filter: {userId: $id}) { totalCount nodes { id } } }', (X) => ({ id: X.learner })],
  ['enrollments', 'query($id: ID) { enrollments(filter: {courseId: $id}) { totalCount nodes { id } } }', (X) => ({ id: X.course })],
  ['developerTokens', 'query($id: ID) { developerTokens(filter: {creatorId: $id}) { totalCount nodes { id } } }', (X) => ({ id: X.user })],
  ['auditEvents', 'query($id: ID) { auditEvents(filter: {actorId: $id}) { totalCount nodes { id } } }', (X) => ({ id: X.user })],
  ['createUser', 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', (X, M) => ({ i: { email: M.email, name: 'Cross', roleIds: [X.role] } })],
  ['createUser', 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', (X, M) => ({ i: { email: M.email, name: 'Cross', roleIds: [M.role, X.adminRole] } })],
  ['updateUser', 'mutation($id: ID!) { updateUser(id: $id, input: {name: "Cross"}) { id } }', (X) => ({ id: X.user })],
  ['updateUser', 'mutation($id: ID!) { updateUser(id: $id, input: {email: "cross@example.test", password: "cross password, long enough"}) { id } }', (X) => ({ id: X.user })],
  ['deactivateUser', 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', (X) => ({ id: X.learner })],
  ['deactivateUser', 'mutation($id: ID!) { deactivateUser(id: $id) { id } }', (X) => ({ id: X.user })],
  ['reactivateUser', 'mutation($id: ID!) { reactivateUser(id: $id) { id } }', (X) => ({ id: X.deactivated })],
  ['updateRole', 'mutation($id: ID!) { updateRole(id: $id, input: {permissions: []}) { id } }', (X) => ({ id: X.role })],
  ['updateRole', 'mutation($id: ID!) { updateRole(id: $id, input: {name: "Cross"}) { id } }', (X) => ({ id: X.adminRole })],
  ['deleteRole', 'mutation($id: ID!) { deleteRole(id: $id) }', (X) => ({ id: X.role })],
  ['assignRole', 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', (X, M) => ({ u: X.learner, r: M.role })],
  ['assignRole', 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', (X, M) => ({ u: M.user, r: X.role })],
  ['assignRole', 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', (X) => ({ u: X.learner, r: X.adminRole })],
  ['unassignRole', 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', (X) => ({ u: X.user, r: X.adminRole })],
  ['unassignRole', 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', (X, M) => ({ u: M.user, r: X.role })],
  ['unassignRole', 'mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', (X, M) => ({ u: X.learner, r: M.role })],
  ['updateCourse', 'mutation($id: ID!) { updateCourse(id: $id, input: {title: "Cross", status: ARCHIVED}) { id } }', (X) => ({ id: X.course })],
  ['enrollUser', 'mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', (X, M) => ({ i: { userId: X.learner, courseId: M.course } })],
  ['enrollUser', 'mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', (X, M) => ({ i: { userId: M.user, courseId: X.course } })],
  ['enrollUser', 'mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', (X) => ({ i: { userId: X.learner, courseId: X.course } })],
  ['updateEnrollment', 'mutation($id: ID!) { updateEnrollment(id: $id, input: {progress: 99, status: WITHDRAWN}) { id } }', (X) => ({ id: X.enrollment })],
  ['updateDeveloperToken', 'mutation($id: ID!) { updateDeveloperToken(id: $id, input: {active: false, name: "Cross"}) { id } }', (X) => ({ id: X.token })],
];

const SNAPSHOT = `{
  users(first: 100) { totalCount nodes { id email name status roles { id } } }
  roles(first: 100) { totalCount nodes { id name description userCount permissions { name } } }
  courses(first: 100) { totalCount nodes { id title code status } }
  enrollments(first: 100) { totalCount nodes { id status progress } }
  developerTokens(first: 100) { totalCount nodes { id name status } }
  auditEvents(first: 0) { totalCount }
}`;

describe("another tenant's IDs behave exactly like IDs that do not exist", () => {
  const X = {}; // tenant B's
  const M = {}; // tenant A's own
  let bBefore;

  before(async () => {
    const bRoles = await builtinRoles(srv, B.session);
    X.adminRole = bRoles.admin;
    X.user = B.admin.id;
    X.learner = (await createUser(srv, B.session, { name: 'Beta Learner' })).id;
    X.deactivated = (await createUser(srv, B.session, { name: 'Beta Gone' })).id;
    await setUserActive(srv, B.session, X.deactivated, false);
    X.role = await createRole(srv, B.session, ['read:courses']);
    X.course = (await ok(srv, 'mutation { createCourse(input: {title: "Beta course", code: "BETA-1"}) { id } }', null, { session: B.session })).createCourse.id;
    X.enrollment = (await ok(srv, 'mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', { i: { userId: X.learner, courseId: X.course } }, { session: B.session })).enrollUser.id;
    await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: X.learner, r: X.role }, { session: B.session });
    X.token = (await ok(srv, '{ viewer { token { id } } }', null, { token: bTok })).viewer.token.id;

    M.user = (await createUser(srv, A.session, { name: 'Alpha Learner' })).id;
    M.role = await createRole(srv, A.session, []);
    M.course = (await ok(srv, 'mutation { createCourse(input: {title: "Alpha course", code: "ALPHA-1"}) { id } }', null, { session: A.session })).createCourse.id;
    await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: M.user, r: M.role }, { session: A.session });
    M.enrollment = (await ok(srv, 'mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', { i: { userId: M.user, courseId: M.course } }, { session: A.session })).enrollUser.id;
    M.email = `${unique('cross')}@example.test`;

    bBefore = await ok(srv, SNAPSHOT, null, { session: B.session });
  });

  test('the cases cover every root field that takes an ID (argument, input or filter)', () => {
    const covered = new Set(TENANCY_CASES.map((c) => c[0]));
    assert.deepEqual(ID_TAKING.filter((n) => !covered.has(n)), []);
    assert.ok(ID_TAKING.length >= 20, ID_TAKING.join(', '));
  });

  const missing = () => ({
    user: missingId('User'), learner: missingId('User'), deactivated: missingId('User'),
    role: missingId('Role'), adminRole: missingId('Role'), course: missingId('Course'),
    enrollment: missingId('Enrollment'), token: missingId('DeveloperToken'),
  });

  TENANCY_CASES.forEach(([name, doc, vars], i) => {
    for (const via of ['session', 'token']) {
      test(`#${i} ${name}(${Object.keys(vars({}, {}).i ?? vars({}, {})).join(', ')}) by tenant A's ${via}`, async () => {
        const opts = via === 'session' ? { session: A.session } : { token: aTok };
        const auditBefore = await auditCount(srv, A.session);
        const other = await gql(srv, doc, vars(X, M), opts);
        const none = await gql(srv, doc, vars(missing(), M), opts);
        const ctx = `\n  B's IDs:  ${other.status} ${JSON.stringify(other.body)}\n  missing: ${none.status} ${JSON.stringify(none.body)}`;
        assert.equal(other.status, none.status, ctx);
        assert.deepEqual(other.body, none.body, `another tenant's ID answers differently from a missing one:${ctx}`);
        const v = other.body.data?.[name];
        if (schema.getQueryType().getFields()[name]) {
          assert.equal(other.body.errors, undefined, ctx);
          if (v && 'totalCount' in v) assert.deepEqual(v, { totalCount: 0, nodes: [] }, ctx);
          else assert.equal(v, null, ctx);
        } else {
          const e = assertCode(other, name, 'NOT_FOUND', ctx);
          assert.ok(e.extensions.field, ctx);
          assert.equal(await auditCount(srv, A.session), auditBefore, `${name} wrote something${ctx}`);
        }
        await normalStillWorks();
      });
    }
  });

  test("tenant B's data is exactly as it was", async () => {
    const bAfter = await ok(srv, SNAPSHOT, null, { session: B.session });
    assert.deepEqual(bAfter, bBefore);
    await normalStillWorks();
  });

  for (const field of ['users', 'roles', 'courses', 'enrollments', 'developerTokens', 'auditEvents']) {
    test(`${field}: neither tenant's list shows a row of the other (session and token)`, async () => {
      const aIds = (await listAll(srv, { session: A.session }, field)).map((n) => n.id);
      const bIds = (await listAll(srv, { session: B.session }, field)).map((n) => n.id);
      assert.ok(aIds.length > 0 && bIds.length > 0, `${field}: ${aIds.length} / ${bIds.length}`);
      assert.deepEqual(aIds.filter((id) => bIds.includes(id)), []);
      assert.deepEqual((await listAll(srv, { token: aTok }, field)).map((n) => n.id), aIds);
      assert.deepEqual((await listAll(srv, { token: bTok }, field)).map((n) => n.id), bIds);
    });
  }

  test('nested lists stay in the tenant too', async () => {
    for (const opts of [{ session: A.session }, { token: aTok }]) {
      const d = await ok(srv, 'query($id: ID!) { user(id: $id) { enrollments { totalCount nodes { id } } roles { id } } }', { id: M.user }, opts);
      assert.deepEqual(d.user.roles, [{ id: M.role }]);
      assert.deepEqual(d.user.enrollments, { totalCount: 1, nodes: [{ id: M.enrollment }] });
      const c = await ok(srv, 'query($id: ID!) { course(id: $id) { enrollments { totalCount nodes { id } } } }', { id: M.course }, opts);
      assert.deepEqual(c.course.enrollments, { totalCount: 1, nodes: [{ id: M.enrollment }] });
    }
    // and tenant B's through its own user and course, seen by B only
    const b = await ok(srv, 'query($id: ID!) { user(id: $id) { enrollments { totalCount } } }', { id: X.learner }, { session: B.session });
    assert.equal(b.user.enrollments.totalCount, 1);
    const a = await ok(srv, 'query($id: ID!) { user(id: $id) { id } }', { id: X.learner }, { token: aTok });
    assert.equal(a.user, null);
  });
});
