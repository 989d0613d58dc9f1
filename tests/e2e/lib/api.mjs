// SPDX-License-Identifier: MIT
// Helpers of the authorization e2e tests (tests/e2e/3*.test.mjs): Console login, GraphQL
// requests with a token or a session, a second tenant, token-format utilities, opaque IDs, the
// permission catalog and the root fields of src/api/schema.graphql with the permission each one
// @requires (read from the SDL, so that a field added to the schema shows up in the tests).
// Node 20, no dependencies beyond graphql (already a devDependency).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, repoRoot, runLectern } from './server.mjs';
import { storeContaining } from './store.mjs';

export { ADMIN_EMAIL, ADMIN_PASSWORD, TENANT };

// ---- The schema and the catalog -----------------------------------------------------------

export const SCHEMA_SDL = fs.readFileSync(path.join(repoRoot, 'src/api/schema.graphql'), 'utf8');
export const schema = buildSchema(SCHEMA_SDL);

// The permission a field's @requires names, or null.
export function requiredPermission(field) {
  const d = field.astNode?.directives?.find((x) => x.name.value === 'requires');
  if (!d) return null;
  const a = d.arguments.find((x) => x.name.value === 'permission');
  return a ? a.value.value : null;
}

// [{name, kind: 'query'|'mutation', permission, args: [names]}] for every root field.
export function rootFields() {
  const out = [];
  for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]]) {
    for (const f of Object.values(type.getFields())) {
      out.push({ name: f.name, kind, permission: requiredPermission(f), args: f.args.map((a) => a.name) });
    }
  }
  return out;
}

// The catalog as PRODUCT.md and include/lectern/permission.def give it, in catalog order.
export const CATALOG = [
  'read:users', 'create:users', 'update:users', 'deactivate:users',
  'read:roles', 'create:roles', 'update:roles', 'assign:roles',
  'read:courses', 'create:courses', 'update:courses',
  'read:enrollments', 'create:enrollments', 'update:enrollments',
  'read:developer_tokens', 'create:developer_tokens', 'update:developer_tokens',
  'read:audit_events',
];
export const TOKEN_PERMS = ['read:developer_tokens', 'create:developer_tokens', 'update:developer_tokens'];

// ---- Token format (docs/token-format.md) ---------------------------------------------------

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(str) {
  let c = 0xffffffff;
  for (const b of Buffer.from(str, 'latin1')) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
export function checksum(body) {
  let c = crc32(body);
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = B62[c % 62] + s;
    c = Math.floor(c / 62);
  }
  return s;
}
// A well-formed token (right prefix, length, alphabet, checksum) for a 30-character body.
export function tokenFromBody(body) {
  assert.equal(body.length, 30);
  return `lct_${body}${checksum(body)}`;
}
export function randomBody() {
  let s = '';
  for (const b of crypto.randomBytes(30)) s += B62[b % 62];
  return s;
}
export const randomWellFormedToken = () => tokenFromBody(randomBody());
export const tokenBody = (secret) => secret.slice(4, 34);
export function isWellFormedToken(s) {
  return /^lct_[0-9A-Za-z]{36}$/.test(s) && checksum(s.slice(4, 34)) === s.slice(34);
}
// Malformed variants of a real secret, with the message lectern gives for each
// (src/auth/token.c lc_token_fault_text, docs/token-format.md "Checking a token").
export function malformedVariants(secret) {
  const last = secret.at(-1);
  const other = last === 'A' ? 'B' : 'A';
  return [
    {
      what: 'bad checksum', token: secret.slice(0, -1) + other,
      message: 'The token is malformed: its checksum does not match (a character was mistyped or changed).',
    },
    {
      what: 'bad prefix', token: `lcx_${secret.slice(4)}`,
      message: 'The token is malformed: it does not start with "lct_".',
    },
    {
      what: 'wrong length (truncated)', token: secret.slice(0, -1),
      message: 'The token is malformed: it is not 40 characters long (it was truncated or has extra characters).',
    },
    {
      what: 'wrong length (extra character)', token: `${secret}A`,
      message: 'The token is malformed: it is not 40 characters long (it was truncated or has extra characters).',
    },
    {
      what: 'bad character', token: `${secret.slice(0, 10)}-${secret.slice(11)}`,
      message: 'The token is malformed: it contains a character other than a letter or a digit after "lct_".',
    },
  ];
}

// ---- Opaque IDs (src/api/ids.c): base64url without padding of "<Type>:<decimal>" ----------

export function opaqueId(type, n) {
  return Buffer.from(`${type}:${n}`).toString('base64url');
}
export function decodeId(id) {
  return Buffer.from(id, 'base64url').toString();
}
// A well-formed ID of `type` that names no row (row numbers stay far below this in tests).
export const missingId = (type) => opaqueId(type, 900000000 + Math.floor(Math.random() * 1000));

// ---- HTTP ---------------------------------------------------------------------------------

function headersObject(h) {
  const o = {};
  for (const [k, v] of h) o[k] = v;
  return o;
}

async function readBody(res) {
  const text = await res.text();
  let body;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  return body;
}

// POST /console/login. Resolves {status, headers, body, setCookies, cookie, csrf}; cookie is
// "lectern_session=<value>" (what the browser sends back), csrf the body's csrfToken.
export async function loginRaw(srv, tenant, email, password, { headers = {} } = {}) {
  const res = await fetch(`${srv.url}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ tenant, email, password }),
  });
  const body = await readBody(res);
  const setCookies = res.headers.getSetCookie();
  const sess = setCookies.map((c) => /^lectern_session=([^;]*)/.exec(c)).find(Boolean);
  const csrfCookie = setCookies.map((c) => /^lectern_csrf=([^;]*)/.exec(c)).find(Boolean);
  return {
    status: res.status,
    headers: headersObject(res.headers),
    body,
    setCookies,
    sessionValue: sess ? sess[1] : null,
    csrfCookieValue: csrfCookie ? csrfCookie[1] : null,
    cookie: sess ? `lectern_session=${sess[1]}` : null,
    csrf: body && typeof body === 'object' ? body.csrfToken : null,
  };
}

// A Console session ({cookie, csrf}); fails the test when the login is refused.
export async function login(srv, tenant, email, password) {
  const r = await loginRaw(srv, tenant, email, password);
  assert.equal(r.status, 200, `login of ${email}@${tenant} refused: ${JSON.stringify(r.body)}`);
  assert.ok(r.cookie, 'no lectern_session cookie');
  assert.ok(r.csrf, 'no csrfToken');
  return { cookie: r.cookie, csrf: r.csrf, tenant, email };
}

export async function logout(srv, session, { csrf = session.csrf } = {}) {
  const headers = { cookie: session.cookie };
  if (csrf !== null) headers['x-csrf-token'] = csrf;
  const res = await fetch(`${srv.url}/console/logout`, { method: 'POST', headers });
  return { status: res.status, headers: headersObject(res.headers), setCookies: res.headers.getSetCookie(), body: await readBody(res) };
}

export async function sessionInfo(srv, cookie) {
  const res = await fetch(`${srv.url}/console/session`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, headers: headersObject(res.headers), body: await readBody(res) };
}

// A GraphQL request to /api/graphql. opts:
//   token: a developer token (Authorization: Bearer <token>); authorization: a raw header value
//   session: {cookie, csrf}; csrf: the X-CSRF-Token to send (default session.csrf; null = none)
//   method: 'POST' (default) or 'GET'; accept: the Accept header (default application/json)
// Resolves {status, headers, body} (body parsed as JSON when it is).
export async function gql(srv, query, variables, opts = {}) {
  const { token, authorization, session, method = 'POST', accept = 'application/json', headers: extra = {} } = opts;
  const headers = { accept, ...extra };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (authorization !== undefined) headers.authorization = authorization;
  if (session) {
    headers.cookie = session.cookie;
    const csrf = 'csrf' in opts ? opts.csrf : session.csrf;
    if (csrf !== null && csrf !== undefined) headers['x-csrf-token'] = csrf;
  } else if (opts.csrf) {
    headers['x-csrf-token'] = opts.csrf;
  }
  let res;
  if (method === 'GET') {
    const u = new URL(`${srv.url}/api/graphql`);
    u.searchParams.set('query', query);
    if (variables && Object.keys(variables).length) u.searchParams.set('variables', JSON.stringify(variables));
    res = await fetch(u, { method: 'GET', headers });
  } else {
    headers['content-type'] = 'application/json';
    res = await fetch(`${srv.url}/api/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify(variables ? { query, variables } : { query }),
    });
  }
  return { status: res.status, headers: headersObject(res.headers), body: await readBody(res) };
}

// Runs an operation that must succeed (200, no errors) and returns its data.
export async function ok(srv, query, variables, opts) {
  const r = await gql(srv, query, variables, opts);
  assert.equal(r.status, 200, `expected 200 for ${query}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body?.errors, undefined, `unexpected errors for ${query} ${JSON.stringify(variables)}: ${JSON.stringify(r.body?.errors)}`);
  assert.ok(r.body?.data, `no data for ${query}`);
  return r.body.data;
}

// ---- Expectations -------------------------------------------------------------------------

export const MISSING_CREDENTIALS = /^Authentication required/;

// A 401 with WWW-Authenticate: Bearer…, no data, one error UNAUTHENTICATED with `message`
// (a string: equal; a RegExp: matching).
export function assertUnauthenticated(r, message, what = '') {
  const ctx = `${what}: ${r.status} ${JSON.stringify(r.body)}`;
  assert.equal(r.status, 401, ctx);
  assert.match(r.headers['www-authenticate'] ?? '', /^Bearer\b/, `WWW-Authenticate ${ctx}`);
  assert.equal(typeof r.body, 'object', ctx);
  assert.equal('data' in r.body, false, `a refused request has no data ${ctx}`);
  assert.equal(r.body.errors?.length, 1, ctx);
  const e = r.body.errors[0];
  assert.equal(e.extensions?.code, 'UNAUTHENTICATED', ctx);
  if (message instanceof RegExp) assert.match(e.message, message, ctx);
  else if (message !== undefined) assert.equal(e.message, message, ctx);
}

// The error of a root field `path` (a field name) in a 200 response whose data.path is null.
export function fieldError(r, field) {
  const ctx = `${field}: ${r.status} ${JSON.stringify(r.body)}`;
  assert.equal(r.status, 200, ctx);
  assert.ok(r.body.data && field in r.body.data, `data.${field} missing ${ctx}`);
  assert.equal(r.body.data[field], null, `data.${field} should be null ${ctx}`);
  const errs = (r.body.errors ?? []).filter((e) => e.path?.[0] === field);
  assert.equal(errs.length, 1, `one error at path [${field}] ${ctx}`);
  assert.deepEqual(errs[0].path, [field], ctx);
  return errs[0];
}

export function assertForbidden(r, field, permission, what = '') {
  const e = fieldError(r, field);
  assert.equal(e.extensions?.code, 'FORBIDDEN', `${what} ${JSON.stringify(r.body)}`);
  if (permission !== undefined) {
    assert.equal(e.extensions?.permission, permission, `${what} ${JSON.stringify(r.body)}`);
    assert.match(e.message, new RegExp(permission.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), what);
  }
  return e;
}

export function assertCode(r, field, code, what = '') {
  const e = fieldError(r, field);
  assert.equal(e.extensions?.code, code, `${what} ${JSON.stringify(r.body)}`);
  return e;
}

// ---- Fixtures -----------------------------------------------------------------------------

let uniq = 0;
export const unique = (p = 'x') => `${p}${Date.now().toString(36)}${(uniq++).toString(36)}`;

export const B_TENANT = 'beta';
export const B_ADMIN_EMAIL = 'admin@beta.test';
export const B_ADMIN_PASSWORD = 'beta admin password, long enough';

// A second tenant on the data directory of a running server, the operator's way
// (`lectern tenant create`, while the server runs: SQLite WAL allows it).
export async function createTenant(srv, slug = B_TENANT, email = B_ADMIN_EMAIL, password = B_ADMIN_PASSWORD) {
  const r = await runLectern(
    ['tenant', 'create', '--data-dir', srv.dataDir, '--tenant', slug, '--admin-email', email],
    { env: { LECTERN_ADMIN_PASSWORD: password } });
  assert.equal(r.code, 0, `lectern tenant create failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  return { slug, email, password };
}

// Both tenants with an admin session each: {a: {slug, session, admin}, b: {...}}; `admin` is
// the viewer's user {id, email}.
export async function twoTenants(srv) {
  await createTenant(srv);
  const a = { slug: TENANT, session: await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD) };
  const b = { slug: B_TENANT, session: await login(srv, B_TENANT, B_ADMIN_EMAIL, B_ADMIN_PASSWORD) };
  for (const t of [a, b]) {
    const d = await ok(srv, '{ viewer { user { id email } tenant { id slug } } }', null, { session: t.session });
    assert.equal(d.viewer.tenant.slug, t.slug);
    t.admin = d.viewer.user;
    t.tenantId = d.viewer.tenant.id;
  }
  return { a, b };
}

// The IDs of the built-in roles of the session's tenant: {admin, learner}.
export async function builtinRoles(srv, session) {
  const d = await ok(srv, '{ roles(first: 100) { nodes { id kind } } }', null, { session });
  return {
    admin: d.roles.nodes.find((r) => r.kind === 'CONSOLE_ADMIN').id,
    learner: d.roles.nodes.find((r) => r.kind === 'LEARNER').id,
  };
}

export async function createRole(srv, session, permissions, name = unique('role-')) {
  const d = await ok(srv, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { id name } }',
    { i: { name, description: 'e2e', permissions } }, { session });
  return d.createRole.id;
}

// A user; with `password` they can log into the Console; roleIds given at creation.
export async function createUser(srv, session, { email = `${unique('u')}@example.test`, name = 'E2E User', password, roleIds } = {}) {
  const input = { email, name };
  if (password) input.password = password;
  if (roleIds) input.roleIds = roleIds;
  const d = await ok(srv, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id email } }', { i: input }, { session });
  return { id: d.createUser.id, email, password };
}

// A user holding a new custom role with `permissions`, logged in: {id, email, password, roleId, session}.
export async function userWithPermissions(srv, admin, tenant, permissions) {
  const roleId = await createRole(srv, admin, permissions);
  const password = `pw ${unique()} long enough`;
  const u = await createUser(srv, admin, { password, roleIds: [roleId] });
  const session = await login(srv, tenant, u.email, password);
  return { ...u, roleId, session };
}

// createDeveloperToken from a Console session: {secret, token: {id, hint, ...}}.
export async function createToken(srv, session, input = {}) {
  const r = await gql(srv,
    'mutation($i: CreateDeveloperTokenInput!) { createDeveloperToken(input: $i) { secret token { id name hint status expiresAt permissionSubset effectivePermissions } } }',
    { i: { name: unique('tok-'), ...input } }, { session });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.errors, undefined, `createDeveloperToken: ${JSON.stringify(r.body.errors)}`);
  const p = r.body.data.createDeveloperToken;
  assert.ok(isWellFormedToken(p.secret), `not a well-formed token: ${p.secret}`);
  return p;
}

export async function setTokenActive(srv, session, id, active) {
  return ok(srv, 'mutation($id: ID!, $a: Boolean) { updateDeveloperToken(id: $id, input: {active: $a}) { id status } }',
    { id, a: active }, { session });
}

export async function setUserActive(srv, session, id, active) {
  const m = active ? 'reactivateUser' : 'deactivateUser';
  return ok(srv, `mutation($id: ID!) { ${m}(id: $id) { id status } }`, { id }, { session });
}

export async function auditCount(srv, session) {
  const d = await ok(srv, '{ auditEvents(first: 0) { totalCount } }', null, { session });
  return d.auditEvents.totalCount;
}

// The whole of a connection, page by page (ids, or the selected fields of each node).
export async function listAll(srv, opts, field, args = '', nodeFields = 'id') {
  const out = [];
  let after = null;
  for (let i = 0; i < 100; i++) {
    const q = `query($after: String) { ${field}(first: 100, after: $after${args ? `, ${args}` : ''}) { nodes { ${nodeFields} } pageInfo { hasNextPage endCursor } } }`;
    const d = await ok(srv, q, { after }, opts);
    out.push(...d[field].nodes);
    if (!d[field].pageInfo.hasNextPage) return out;
    after = d[field].pageInfo.endCursor;
  }
  throw new Error(`${field}: more than 100 pages`);
}

// Waits until the wall clock is at least `margin` seconds away from the next multiple of
// `window` seconds (fixed rate-limit windows reset there).
export async function awayFromWindowEdge(window = 60, margin = 12) {
  for (;;) {
    const into = (Date.now() / 1000) % window;
    if (window - into > margin && into > 1) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

// A valid document for each root field with placeholder arguments (IDs that name nothing):
// enough to reach the field's permission check. Selections ask only for fields that need no
// permission of their own.
export function minimalDoc(name) {
  const X = (t) => JSON.stringify(missingId(t));
  const docs = {
    viewer: '{ viewer { user { id } permissions } }',
    permissions: '{ permissions { name } }',
    users: '{ users { totalCount } }',
    user: `{ user(id: ${X('User')}) { id } }`,
    roles: '{ roles { totalCount } }',
    role: `{ role(id: ${X('Role')}) { id } }`,
    courses: '{ courses { totalCount } }',
    course: `{ course(id: ${X('Course')}) { id } }`,
    enrollments: '{ enrollments { totalCount } }',
    enrollment: `{ enrollment(id: ${X('Enrollment')}) { id } }`,
    developerTokens: '{ developerTokens { totalCount } }',
    developerToken: `{ developerToken(id: ${X('DeveloperToken')}) { id } }`,
    auditEvents: '{ auditEvents { totalCount } }',
    createUser: `mutation { createUser(input: {email: "${unique('min')}@example.test", name: "Min"}) { id } }`,
    updateUser: `mutation { updateUser(id: ${X('User')}, input: {name: "n"}) { id } }`,
    deactivateUser: `mutation { deactivateUser(id: ${X('User')}) { id } }`,
    reactivateUser: `mutation { reactivateUser(id: ${X('User')}) { id } }`,
    createRole: `mutation { createRole(input: {name: "${unique('minrole')}", permissions: []}) { id } }`,
    updateRole: `mutation { updateRole(id: ${X('Role')}, input: {description: "d"}) { id } }`,
    deleteRole: `mutation { deleteRole(id: ${X('Role')}) }`,
    assignRole: `mutation { assignRole(userId: ${X('User')}, roleId: ${X('Role')}) { id } }`,
    unassignRole: `mutation { unassignRole(userId: ${X('User')}, roleId: ${X('Role')}) { id } }`,
    createCourse: `mutation { createCourse(input: {title: "t", code: "${unique('MIN')}"}) { id } }`,
    updateCourse: `mutation { updateCourse(id: ${X('Course')}, input: {title: "t"}) { id } }`,
    enrollUser: `mutation { enrollUser(input: {userId: ${X('User')}, courseId: ${X('Course')}}) { id } }`,
    updateEnrollment: `mutation { updateEnrollment(id: ${X('Enrollment')}, input: {progress: 1}) { id } }`,
    createDeveloperToken: `mutation { createDeveloperToken(input: {name: "${unique('min')}"}) { secret token { id } } }`,
    updateDeveloperToken: `mutation { updateDeveloperToken(id: ${X('DeveloperToken')}, input: {name: "n"}) { id } }`,
  };
  if (!(name in docs)) throw new Error(`no minimal document for ${name}: add one`);
  return docs[name];
}

// Every place at rest of an instance whose bytes contain `needle` (a string or Buffer): the
// files under its data directory and, on PostgreSQL, its database (lib/store.mjs).
export function filesContaining(dir, needle) {
  return storeContaining(dir, needle);
}
