// SPDX-License-Identifier: MIT
// The authorization matrix of /api/graphql: every query and mutation of src/api/schema.graphql
// (read from the SDL: a field added there without a row here fails the first test) against
// every kind of caller, each cell checked on the real response (HTTP status, WWW-Authenticate,
// data, errors with code, message, path and permission) and, for every refused call, on the
// absence of any side effect (the tenant's audit log did not grow). After each refused call a
// normal token request must still work.
//
// Callers (COLUMNS): no credentials; a Console session with its CSRF header; the session
// without the header (POST: refused; GET: a query runs, a mutation is 405); a token holding
// only the permission the field needs; a token holding every permission but that one; a token
// whose creator is deactivated; an expired token; a deactivated token; malformed tokens (bad
// checksum, bad prefix, wrong length both ways, a bad character); a well-formed token that does
// not exist; a wrong Authorization scheme; and the other tenant's token used on this tenant's
// IDs (which must behave exactly like IDs that do not exist).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startLectern } from './lib/server.mjs';
import {
  CATALOG, MISSING_CREDENTIALS, assertCode, assertForbidden, assertUnauthenticated, auditCount,
  builtinRoles, createRole, createToken, createUser, gql, listAll, login, malformedVariants,
  missingId, ok, randomWellFormedToken, requiredPermission, rootFields, schema, setTokenActive,
  setUserActive, twoTenants, unique,
} from './lib/api.mjs';

let srv;
let A; // tenant acme: {slug, session, admin}
let B; // tenant beta
const FX = {}; // fixture IDs of tenant A
const TOK = {}; // secrets

async function freshLearner() {
  return (await createUser(srv, A.session, { name: 'Matrix Learner' })).id;
}
async function freshCourse() {
  const d = await ok(srv, 'mutation($i: CreateCourseInput!) { createCourse(input: $i) { id } }',
    { i: { title: 'Matrix course', code: unique('C') } }, { session: A.session });
  return d.createCourse.id;
}

// One row per root field: `vars` declares the operation's variables, `field` is the root
// selection (only fields that need no permission of their own), `setup` returns the variables
// (creating what the call consumes, in tenant A, with the admin's session), `ids` says which
// variables are IDs of which type (a path into the variables and the ID's type).
const OPS = [
  { name: 'viewer', field: 'viewer { user { id } permissions }' },
  { name: 'permissions', field: 'permissions { name }' },
  { name: 'users', field: 'users(first: 100) { totalCount nodes { id } }', list: true },
  {
    name: 'user', vars: '($id: ID!)', field: 'user(id: $id) { id email }',
    setup: () => ({ id: FX.learner }), ids: [[['id'], 'User']],
  },
  { name: 'roles', field: 'roles(first: 100) { totalCount nodes { id } }', list: true },
  {
    name: 'role', vars: '($id: ID!)', field: 'role(id: $id) { id name }',
    setup: () => ({ id: FX.role }), ids: [[['id'], 'Role']],
  },
  { name: 'courses', field: 'courses(first: 100) { totalCount nodes { id } }', list: true },
  {
    name: 'course', vars: '($id: ID!)', field: 'course(id: $id) { id code }',
    setup: () => ({ id: FX.course }), ids: [[['id'], 'Course']],
  },
  { name: 'enrollments', field: 'enrollments(first: 100) { totalCount nodes { id } }', list: true },
  {
    name: 'enrollment', vars: '($id: ID!)', field: 'enrollment(id: $id) { id progress }',
    setup: () => ({ id: FX.enrollment }), ids: [[['id'], 'Enrollment']],
  },
  { name: 'developerTokens', field: 'developerTokens(first: 100) { totalCount nodes { id } }', list: true },
  {
    name: 'developerToken', vars: '($id: ID!)', field: 'developerToken(id: $id) { id name }',
    setup: () => ({ id: FX.token }), ids: [[['id'], 'DeveloperToken']],
  },
  { name: 'auditEvents', field: 'auditEvents(first: 100) { totalCount nodes { id } }', list: true },

  {
    name: 'createUser', vars: '($i: CreateUserInput!)', field: 'createUser(input: $i) { id email }',
    setup: () => ({ i: { email: `${unique('m')}@example.test`, name: 'Matrix Made' } }),
  },
  {
    name: 'updateUser', vars: '($id: ID!)', field: 'updateUser(id: $id, input: {name: "Renamed Learner"}) { id name }',
    setup: () => ({ id: FX.learner }), ids: [[['id'], 'User']],
  },
  {
    name: 'deactivateUser', vars: '($id: ID!)', field: 'deactivateUser(id: $id) { id status }',
    setup: async () => ({ id: await freshLearner() }), ids: [[['id'], 'User']],
  },
  {
    name: 'reactivateUser', vars: '($id: ID!)', field: 'reactivateUser(id: $id) { id status }',
    setup: async () => {
      const id = await freshLearner();
      await setUserActive(srv, A.session, id, false);
      return { id };
    },
    ids: [[['id'], 'User']],
  },
  {
    name: 'createRole', vars: '($i: CreateRoleInput!)', field: 'createRole(input: $i) { id name }',
    setup: () => ({ i: { name: unique('mrole-'), permissions: [] } }),
  },
  {
    name: 'updateRole', vars: '($id: ID!)', field: 'updateRole(id: $id, input: {description: "changed"}) { id }',
    setup: () => ({ id: FX.role }), ids: [[['id'], 'Role']],
  },
  {
    name: 'deleteRole', vars: '($id: ID!)', field: 'deleteRole(id: $id)',
    setup: async () => ({ id: await createRole(srv, A.session, []) }), ids: [[['id'], 'Role']],
  },
  {
    name: 'assignRole', vars: '($u: ID!, $r: ID!)', field: 'assignRole(userId: $u, roleId: $r) { id }',
    setup: async () => ({ u: FX.learner, r: await createRole(srv, A.session, []) }),
    ids: [[['u'], 'User'], [['r'], 'Role']],
  },
  {
    name: 'unassignRole', vars: '($u: ID!, $r: ID!)', field: 'unassignRole(userId: $u, roleId: $r) { id }',
    setup: async () => {
      const r = await createRole(srv, A.session, []);
      await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }',
        { u: FX.learner, r }, { session: A.session });
      return { u: FX.learner, r };
    },
    ids: [[['u'], 'User'], [['r'], 'Role']],
  },
  {
    name: 'createCourse', vars: '($i: CreateCourseInput!)', field: 'createCourse(input: $i) { id }',
    setup: () => ({ i: { title: 'Matrix', code: unique('MC') } }),
  },
  {
    name: 'updateCourse', vars: '($id: ID!)', field: 'updateCourse(id: $id, input: {title: "Changed"}) { id title }',
    setup: () => ({ id: FX.course }), ids: [[['id'], 'Course']],
  },
  {
    name: 'enrollUser', vars: '($i: EnrollUserInput!)', field: 'enrollUser(input: $i) { id }',
    setup: async () => ({ i: { userId: FX.learner, courseId: await freshCourse() } }),
    ids: [[['i', 'userId'], 'User'], [['i', 'courseId'], 'Course']],
  },
  {
    name: 'updateEnrollment', vars: '($id: ID!)', field: 'updateEnrollment(id: $id, input: {progress: 42}) { id progress }',
    setup: () => ({ id: FX.enrollment }), ids: [[['id'], 'Enrollment']],
  },
  {
    name: 'createDeveloperToken', vars: '($i: CreateDeveloperTokenInput!)',
    field: 'createDeveloperToken(input: $i) { secret token { id } }',
    setup: () => ({ i: { name: unique('mtok-') } }),
    // PRODUCT.md, No escalation: a request authenticated by a token cannot generate tokens.
    tokenForbidden: true,
  },
  {
    name: 'updateDeveloperToken', vars: '($id: ID!)', field: 'updateDeveloperToken(id: $id, input: {name: "renamed"}) { id name }',
    setup: () => ({ id: FX.token }), ids: [[['id'], 'DeveloperToken']],
  },
];

const FIELDS = Object.fromEntries(rootFields().map((f) => [f.name, f]));
for (const op of OPS) {
  op.kind = FIELDS[op.name]?.kind;
  op.permission = FIELDS[op.name]?.permission ?? null;
  op.doc = `${op.kind} ${op.vars ?? ''} { ${op.field} }`;
}

// The same document with a second root field the caller may use: it must still resolve next
// to a refused one (PRODUCT.md: "other fields still resolve").
function pairedDoc(op) {
  let pair;
  if (op.kind === 'query') pair = 'viewer { permissions }';
  else if (op.name === 'updateCourse') pair = `other: updateEnrollment(id: "${FX.enrollment}", input: {progress: 7}) { id }`;
  else pair = `other: updateCourse(id: "${FX.course}", input: {title: "Paired"}) { id }`;
  return `${op.kind} ${op.vars ?? ''} { ${op.field} ${pair} }`;
}

async function varsOf(op) {
  return op.setup ? await op.setup() : undefined;
}

function withIds(op, vars, idFor) {
  const v = structuredClone(vars);
  for (const [p, type] of op.ids ?? []) {
    let o = v;
    for (const k of p.slice(0, -1)) o = o[k];
    o[p.at(-1)] = idFor(type, o[p.at(-1)]);
  }
  return v;
}

// After a refused call: nothing was written, and a normal request still works.
async function assertNoEffect(auditBefore, what) {
  assert.equal(await auditCount(srv, A.session), auditBefore, `${what}: the audit log grew: something was written`);
  const d = await ok(srv, '{ viewer { user { id } } }', null, { token: TOK.full });
  assert.equal(d.viewer.user.id, A.admin.id);
}

function assertSuccess(r, op, vars, what) {
  const ctx = `${what}: ${r.status} ${JSON.stringify(r.body)}`;
  assert.equal(r.status, 200, ctx);
  assert.equal(r.body.errors, undefined, ctx);
  assert.ok(r.body.data && r.body.data[op.name] !== null && r.body.data[op.name] !== undefined, ctx);
  const idVar = op.ids?.find(([p]) => p.length === 1 && p[0] === 'id');
  if (idVar && op.name !== 'deleteRole') assert.equal(r.body.data[op.name].id, vars.id, ctx);
  if (op.name === 'deleteRole') assert.equal(r.body.data.deleteRole, vars.id, ctx);
  if (op.list) assert.ok(r.body.data[op.name].totalCount >= 1, ctx);
}

// ---- The columns ---------------------------------------------------------------------------

const UNAUTH_COLUMNS = [
  { name: 'no credentials', opts: () => ({}), message: MISSING_CREDENTIALS, header: /^Bearer realm="lectern"$/ },
  {
    name: "token whose creator is deactivated", opts: () => ({ token: TOK.creatorDeactivated }),
    message: "The token's creator is deactivated.",
  },
  { name: 'expired token', opts: () => ({ token: TOK.expired }), message: () => TOK.expiredMessage },
  { name: 'deactivated token', opts: () => ({ token: TOK.deactivated }), message: 'The token has been deactivated.' },
  { name: 'unknown well-formed token', opts: () => ({ token: TOK.unknown }), message: 'The token is not recognised.' },
  {
    name: 'Basic scheme', opts: () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
    message: 'The Authorization header must be "Bearer", one space, then the developer token.',
  },
  {
    name: 'token without scheme', opts: () => ({ authorization: TOK.full }),
    message: 'The Authorization header must be "Bearer", one space, then the developer token.',
  },
  ...[0, 1, 2, 3, 4].map((i) => ({
    name: `malformed token #${i}`,
    opts: () => ({ token: TOK.malformed[i].token }),
    message: () => TOK.malformed[i].message,
    describe: () => TOK.malformed[i].what,
  })),
];

describe('authorization matrix: every root field × every kind of caller', () => {
  before(async () => {
    srv = await startLectern({ args: ['--rate-limit', '0'] });
    ({ a: A, b: B } = await twoTenants(srv));

    FX.builtin = await builtinRoles(srv, A.session);
    FX.learner = await freshLearner();
    FX.course = await freshCourse();
    FX.role = await createRole(srv, A.session, ['read:courses']);
    FX.enrollment = (await ok(srv, 'mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }',
      { i: { userId: FX.learner, courseId: FX.course } }, { session: A.session })).enrollUser.id;

    // Tokens of tenant A's admin.
    const full = await createToken(srv, A.session, { name: 'full' });
    TOK.full = full.secret;
    FX.token = full.token.id;
    TOK.only = {};
    TOK.without = {};
    for (const p of CATALOG) {
      TOK.only[p] = (await createToken(srv, A.session, { name: `only ${p}`, permissions: [p] })).secret;
      TOK.without[p] = (await createToken(srv, A.session, {
        name: `all but ${p}`, permissions: CATALOG.filter((x) => x !== p),
      })).secret;
    }
    TOK.perless = (await createToken(srv, A.session, { name: 'only read:courses', permissions: ['read:courses'] })).secret;

    // An expired token: expiry two seconds ahead, on a whole second.
    const expiresMs = (Math.floor(Date.now() / 1000) + 3) * 1000;
    const expiresAt = new Date(expiresMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const exp = await createToken(srv, A.session, { name: 'expiring', expiresAt });
    assert.equal(exp.token.expiresAt, expiresAt);
    TOK.expired = exp.secret;
    FX.expiredToken = exp.token.id;
    const d = new Date(expiresMs);
    const day = expiresAt.slice(0, 10);
    TOK.expiredMessage = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0
      ? `The token expired on ${day}.`
      : `The token expired on ${day} at ${expiresAt.slice(11, 16)} UTC.`;

    const deact = await createToken(srv, A.session, { name: 'to deactivate' });
    TOK.deactivated = deact.secret;
    FX.deactivatedToken = deact.token.id;
    await setTokenActive(srv, A.session, deact.token.id, false);

    // A second Console Admin whose token outlives their deactivation.
    const pw = 'dee admin password, long enough';
    const dee = await createUser(srv, A.session, { name: 'Dee Admin', password: pw, roleIds: [FX.builtin.admin] });
    const deeSession = await login(srv, A.slug, dee.email, pw);
    TOK.creatorDeactivated = (await createToken(srv, deeSession, { name: 'dee' })).secret;
    FX.dee = dee.id;
    // works before the deactivation
    await ok(srv, '{ viewer { user { id } } }', null, { token: TOK.creatorDeactivated });
    await setUserActive(srv, A.session, dee.id, false);

    TOK.unknown = randomWellFormedToken();
    TOK.malformed = malformedVariants(TOK.full);

    // Tenant B's admin token.
    TOK.other = (await createToken(srv, B.session, { name: 'beta full' })).secret;

    while (Date.now() < expiresMs + 1100) await sleep(100);
  });

  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0, 'lectern did not exit cleanly');
  });

  test('the matrix covers every root field of the schema, each with its @requires permission', () => {
    const schemaNames = rootFields().map((f) => f.name).sort();
    assert.deepEqual(OPS.map((o) => o.name).sort(), schemaNames);
    for (const op of OPS) {
      if (op.name === 'viewer' || op.name === 'permissions') assert.equal(op.permission, null, op.name);
      else assert.ok(CATALOG.includes(op.permission), `${op.name} requires ${op.permission}`);
    }
    // every permission of the catalog guards at least one root field
    for (const p of CATALOG) assert.ok(OPS.some((o) => o.permission === p), `no root field requires ${p}`);
  });

  for (const op of OPS) {
    describe(op.name, () => {
      for (const col of UNAUTH_COLUMNS) {
        test(`${col.name} → 401 UNAUTHENTICATED`, async () => {
          const vars = await varsOf(op);
          const before = await auditCount(srv, A.session);
          const r = await gql(srv, op.doc, vars, col.opts());
          const msg = typeof col.message === 'function' ? col.message() : col.message;
          assertUnauthenticated(r, msg, `${op.name} / ${col.describe ? col.describe() : col.name}`);
          if (col.header) assert.match(r.headers['www-authenticate'], col.header);
          await assertNoEffect(before, `${op.name} / ${col.name}`);
        });
      }

      test('Console session with its X-CSRF-Token → 200 with data', async () => {
        const vars = await varsOf(op);
        const r = await gql(srv, op.doc, vars, { session: A.session });
        assertSuccess(r, op, vars, `${op.name} / session`);
        if (op.name === 'viewer') {
          assert.equal(r.body.data.viewer.user.id, A.admin.id);
          assert.deepEqual([...r.body.data.viewer.permissions].sort(), [...CATALOG].sort());
        }
      });

      test('Console session without X-CSRF-Token, POST → refused, nothing runs', async () => {
        const vars = await varsOf(op);
        const before = await auditCount(srv, A.session);
        const r = await gql(srv, op.doc, vars, { session: A.session, csrf: null });
        const ctx = `${r.status} ${JSON.stringify(r.body)}`;
        assert.ok(r.status === 401 || r.status === 403, ctx);
        assert.equal('data' in r.body, false, ctx);
        assert.equal(r.body.errors.length, 1, ctx);
        assert.ok(['UNAUTHENTICATED', 'FORBIDDEN'].includes(r.body.errors[0].extensions?.code), ctx);
        assert.equal(r.body.errors[0].message,
          'This request changes data and needs the X-CSRF-Token header of the session.', ctx);
        await assertNoEffect(before, `${op.name} / session without CSRF`);
      });

      if (op.kind === 'query') {
        test('Console session without X-CSRF-Token, GET → the query runs', async () => {
          const vars = await varsOf(op);
          const r = await gql(srv, op.doc, vars, { session: A.session, csrf: null, method: 'GET' });
          assertSuccess(r, op, vars, `${op.name} / GET session`);
        });
      } else {
        test('Console session, GET → 405 (a mutation never runs over GET), nothing runs', async () => {
          const vars = await varsOf(op);
          const before = await auditCount(srv, A.session);
          const r = await gql(srv, op.doc, vars, { session: A.session, csrf: null, method: 'GET' });
          assert.equal(r.status, 405, JSON.stringify(r.body));
          assert.match(r.headers.allow ?? '', /POST/);
          await assertNoEffect(before, `${op.name} / GET mutation`);
        });
      }

      if (op.permission) {
        test(`token holding only ${op.permission}${op.tokenForbidden ? ' → FORBIDDEN (a token cannot create tokens)' : ' → 200 with data'}`, async () => {
          const vars = await varsOf(op);
          const before = await auditCount(srv, A.session);
          const r = await gql(srv, op.doc, vars, { token: TOK.only[op.permission] });
          if (op.tokenForbidden) {
            const e = assertCode(r, op.name, 'FORBIDDEN', op.name);
            assert.doesNotMatch(JSON.stringify(r.body), /lct_[0-9A-Za-z]{36}/, 'a secret in the refusal');
            assert.ok(e.message.length > 0);
            await assertNoEffect(before, `${op.name} / token`);
          } else {
            assertSuccess(r, op, vars, `${op.name} / token with ${op.permission}`);
          }
        });

        test(`token holding everything but ${op.permission} → null, FORBIDDEN with permission and path; the other field resolves`, async () => {
          const vars = await varsOf(op);
          const before = await auditCount(srv, A.session);
          const r = await gql(srv, pairedDoc(op), vars, { token: TOK.without[op.permission] });
          const e = assertForbidden(r, op.name, op.permission, op.name);
          assert.ok(Array.isArray(e.locations) && e.locations.length === 1, JSON.stringify(e));
          assert.equal(r.body.errors.length, 1, JSON.stringify(r.body));
          if (op.kind === 'query') {
            assert.deepEqual([...r.body.data.viewer.permissions].sort(),
              CATALOG.filter((p) => p !== op.permission).sort());
            assert.equal(await auditCount(srv, A.session), before);
          } else {
            assert.ok(r.body.data.other?.id, `the other mutation did not resolve: ${JSON.stringify(r.body)}`);
            // exactly one write: the other mutation's
            assert.equal(await auditCount(srv, A.session), before + 1);
          }
        });
      } else {
        test('token with no permission it needs (only read:courses) → 200 with data', async () => {
          const vars = await varsOf(op);
          const r = await gql(srv, op.doc, vars, { token: TOK.perless });
          assertSuccess(r, op, vars, `${op.name} / token`);
          if (op.name === 'viewer') assert.deepEqual(r.body.data.viewer.permissions, ['read:courses']);
          if (op.name === 'permissions') {
            assert.deepEqual(r.body.data.permissions.map((p) => p.name).sort(), [...CATALOG].sort());
          }
        });
      }

      test("the other tenant's token on this tenant's IDs → exactly like IDs that do not exist", async () => {
        const vars = await varsOf(op);
        const before = await auditCount(srv, A.session);
        const r = await gql(srv, op.doc, vars, { token: TOK.other });
        const ctx = `${op.name}: ${JSON.stringify(r.body)}`;
        if (op.ids) {
          const random = await gql(srv, op.doc, withIds(op, vars, (t) => missingId(t)), { token: TOK.other });
          assert.equal(r.status, random.status, ctx);
          assert.deepEqual(r.body, random.body, `another tenant's ID answers differently from a missing one:\n${ctx}\n${JSON.stringify(random.body)}`);
          if (op.kind === 'query') {
            assert.deepEqual(r.body, { data: { [op.name]: null } }, ctx);
          } else {
            const e = assertCode(r, op.name, 'NOT_FOUND', op.name);
            assert.ok(e.extensions.field, ctx);
          }
          await assertNoEffect(before, `${op.name} / other tenant`);
        } else if (op.tokenForbidden) {
          assertCode(r, op.name, 'FORBIDDEN', op.name);
          await assertNoEffect(before, `${op.name} / other tenant`);
        } else if (op.list) {
          assert.equal(r.status, 200, ctx);
          assert.equal(r.body.errors, undefined, ctx);
          const seen = r.body.data[op.name].nodes.map((n) => n.id);
          const ours = (await listAll(srv, { session: A.session }, op.name)).map((n) => n.id);
          const leaked = seen.filter((id) => ours.includes(id));
          assert.deepEqual(leaked, [], `${op.name}: tenant B sees tenant A's rows`);
          const theirs = await ok(srv, `{ ${op.name}(first: 0) { totalCount } }`, null, { session: B.session });
          assert.equal(r.body.data[op.name].totalCount, theirs[op.name].totalCount);
        } else if (op.name === 'viewer') {
          assert.equal(r.status, 200, ctx);
          assert.equal(r.body.data.viewer.user.id, B.admin.id);
        } else if (op.kind === 'mutation') {
          // A create: it lands in tenant B, not in A.
          assert.equal(r.status, 200, ctx);
          assert.equal(r.body.errors, undefined, ctx);
          assert.equal(await auditCount(srv, A.session), before, `${op.name} by B wrote into A's audit log`);
          const type = { createUser: 'user', createRole: 'role', createCourse: 'course' }[op.name];
          const id = r.body.data[op.name].id;
          const inA = await ok(srv, `query($id: ID!) { ${type}(id: $id) { id } }`, { id }, { session: A.session });
          assert.equal(inA[type], null, `${op.name} by tenant B is visible in tenant A`);
          const inB = await ok(srv, `query($id: ID!) { ${type}(id: $id) { id } }`, { id }, { session: B.session });
          assert.equal(inB[type]?.id, id);
        } else {
          assert.equal(r.status, 200, ctx);
          assert.equal(r.body.errors, undefined, ctx);
        }
      });
    });
  }

  // Fields below the root that need a permission of their own (from the SDL): reached through a
  // root field the token may read, with a token lacking only that permission, each one is null
  // at its own path with FORBIDDEN and the permission, and its siblings still resolve.
  const NESTED_VIA = {
    User: (f) => `users(first: 5) { nodes { id ${f} } }`,
    Course: (f) => `courses(first: 5) { nodes { id ${f} } }`,
    Enrollment: (f) => `enrollments(first: 5) { nodes { id ${f} } }`,
    AuditEvent: (f) => `auditEvents(first: 5) { nodes { id ${f} } }`,
  };
  const NESTED_SELECTION = { enrollments: 'enrollments { totalCount }', permissions: 'permissions', roles: 'roles { id }' };
  const nested = [];
  for (const t of Object.values(schema.getTypeMap())) {
    if (t.name.startsWith('__') || !t.getFields || t === schema.getQueryType() || t === schema.getMutationType()) continue;
    for (const f of Object.values(t.getFields())) {
      const p = requiredPermission(f);
      if (p) nested.push({ type: t.name, field: f.name, permission: p });
    }
  }
  describe('nested fields with their own permission', () => {
    test('the schema has them, each reachable here', () => {
      assert.ok(nested.length >= 8, JSON.stringify(nested));
      for (const n of nested) assert.ok(NESTED_VIA[n.type], `no way to reach ${n.type}.${n.field}: add one`);
    });
    for (const n of nested) {
      test(`${n.type}.${n.field} without ${n.permission} → null at its path, FORBIDDEN; siblings resolve`, async () => {
        const sel = NESTED_SELECTION[n.field] ?? `${n.field} { id }`;
        const doc = `{ ${NESTED_VIA[n.type](sel)} }`;
        const root = doc.match(/^\{ (\w+)/)[1];
        const r = await gql(srv, doc, null, { token: TOK.without[n.permission] });
        const ctx = `${doc}: ${JSON.stringify(r.body)}`;
        assert.equal(r.status, 200, ctx);
        const nodes = r.body.data?.[root]?.nodes;
        assert.ok(Array.isArray(nodes) && nodes.length > 0, ctx);
        assert.equal(r.body.errors?.length, nodes.length, ctx);
        nodes.forEach((node, i) => {
          assert.ok(node.id, ctx);
          assert.equal(node[n.field], null, ctx);
          const e = r.body.errors.find((x) => JSON.stringify(x.path) === JSON.stringify([root, 'nodes', i, n.field]));
          assert.ok(e, `no error at ${root}.nodes.${i}.${n.field}: ${ctx}`);
          assert.equal(e.extensions.code, 'FORBIDDEN', ctx);
          assert.equal(e.extensions.permission, n.permission, ctx);
        });
        // with the permission (the admin's full token) the same document has no error
        const full = await gql(srv, doc, null, { token: TOK.full });
        assert.equal(full.body.errors, undefined, JSON.stringify(full.body));
      });
    }
  });

  describe('around the matrix', () => {
    test('an expired token is listed EXPIRED, a deactivated one DEACTIVATED', async () => {
      const status = async (id) => (await ok(srv, 'query($id: ID!) { developerToken(id: $id) { status } }', { id }, { session: A.session })).developerToken.status;
      assert.equal(await status(FX.expiredToken), 'EXPIRED');
      assert.equal(await status(FX.deactivatedToken), 'DEACTIVATED');
      assert.equal(await status(FX.token), 'ACTIVE');
      const e = await ok(srv, '{ developerTokens(first: 100, filter: {status: EXPIRED}) { nodes { name } } }', null, { session: A.session });
      assert.deepEqual(e.developerTokens.nodes.map((n) => n.name), ['expiring']);
    });

    test('introspection alone needs no credentials; asking for data too does', async () => {
      let r = await gql(srv, '{ __typename }');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { data: { __typename: 'Query' } });
      r = await gql(srv, '{ __schema { queryType { name } mutationType { name } } }');
      assert.deepEqual(r.body, { data: { __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } } } });
      r = await gql(srv, '{ __typename viewer { user { id } } }');
      assertUnauthenticated(r, MISSING_CREDENTIALS);
      r = await gql(srv, '{ __typename permissions { name } }');
      assertUnauthenticated(r, MISSING_CREDENTIALS);
    });

    test('a 401 is written in the negotiated media type', async () => {
      for (const [accept, ct] of [
        ['application/graphql-response+json', /^application\/graphql-response\+json/],
        ['application/json', /^application\/json/],
      ]) {
        const r = await gql(srv, '{ viewer { user { id } } }', null, { token: TOK.deactivated, accept });
        assertUnauthenticated(r, 'The token has been deactivated.');
        assert.match(r.headers['content-type'], ct);
        assert.match(r.headers['www-authenticate'], /^Bearer realm="lectern", error="invalid_token"/);
      }
      const r = await gql(srv, '{ users { totalCount } }', null, { accept: 'application/graphql-response+json' });
      assertUnauthenticated(r, MISSING_CREDENTIALS);
      assert.match(r.headers['content-type'], /^application\/graphql-response\+json/);
    });

    test('the Bearer scheme is case-insensitive and white space is tolerated', async () => {
      for (const h of [`bearer ${TOK.full}`, `BEARER ${TOK.full}`, `Bearer   ${TOK.full}  `, `Bearer\t${TOK.full}`]) {
        const d = await ok(srv, '{ viewer { user { id } } }', null, { authorization: h });
        assert.equal(d.viewer.user.id, A.admin.id, h);
      }
      for (const h of ['Bearer', 'Bearer ', `Bearer ${TOK.full} extra`, `Token ${TOK.full}`]) {
        const r = await gql(srv, '{ viewer { user { id } } }', null, { authorization: h });
        assert.equal(r.status, 401, `${JSON.stringify(h)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.errors[0].extensions.code, 'UNAUTHENTICATED');
      }
    });

    test('a failed token does not fall back to a session cookie sent with it', async () => {
      const r = await gql(srv, '{ viewer { user { id } } }', null, { token: TOK.deactivated, session: A.session });
      assertUnauthenticated(r, 'The token has been deactivated.');
    });

    test('the failure messages name no tenant, user or other token', async () => {
      for (const t of [TOK.deactivated, TOK.expired, TOK.creatorDeactivated, TOK.unknown]) {
        const r = await gql(srv, '{ viewer { user { id } } }', null, { token: t });
        const text = JSON.stringify(r.body);
        for (const leak of [A.slug, B.slug, 'admin@', 'Dee', A.admin.id, FX.dee]) {
          assert.ok(!text.includes(leak), `${text} mentions ${leak}`);
        }
      }
    });

    test('reactivating the deactivated creator restores the token on the next request', async () => {
      await setUserActive(srv, A.session, FX.dee, true);
      const d = await ok(srv, '{ viewer { user { id } token { name } } }', null, { token: TOK.creatorDeactivated });
      assert.equal(d.viewer.user.id, FX.dee);
      assert.equal(d.viewer.token.name, 'dee');
      await setUserActive(srv, A.session, FX.dee, false);
      assertUnauthenticated(await gql(srv, '{ viewer { user { id } } }', null, { token: TOK.creatorDeactivated }),
        "The token's creator is deactivated.");
    });

    test('the server logged no secret during the matrix', () => {
      const logs = srv.logs().join('\n');
      for (const s of [TOK.full, TOK.other, TOK.deactivated, TOK.expired, TOK.full.slice(4, 34)]) {
        assert.ok(!logs.includes(s), 'a token appears in the server log');
      }
    });
  });
});
