// SPDX-License-Identifier: MIT
// The operator's command line beyond init: more tenants, users, developer tokens (shown once,
// stored as a hash, never beyond the creator's permissions), and `lectern demo`, which seeds a
// fresh data directory and serves it. Checks the database with the sqlite3 CLI, or psql when the
// suite runs on PostgreSQL (lib/store.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, runLectern, sleep, spawnServing } from './lib/server.mjs';
import {
  bindMissingStore, onPostgres, sql, storeContaining, storeExists, storeTables,
} from './lib/store.mjs';

const PASSWORD = 'correct horse battery staple';
const USER_PASSWORD = 'a user password, long enough';
const TOKEN_RE = /lct_[0-9A-Za-z]{36}/g;

// A data directory with tenant acme (admin@acme.test, Console Admin).
async function initDir() {
  const dir = makeTempDir('lectern-cli51-');
  const r = await runLectern(
    ['init', '--data-dir', dir, '--tenant', 'acme', '--admin-email', 'admin@acme.test'],
    { env: { LECTERN_ADMIN_PASSWORD: PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
  return { dir };
}

// `lectern <args...> --data-dir dir`.
function cli(dir, args, env = {}) {
  return runLectern([...args, '--data-dir', dir], { env });
}

// Every file under dir and, on PostgreSQL, the instance's database: where a secret must never be.
const filesContaining = storeContaining;

// The rows of a query joined by commas (group_concat in SQLite, string_agg in PostgreSQL).
async function joined(dir, query) {
  return (await sql(dir, query)).split('\n').filter(Boolean).join(',');
}

function expectUsage(r, re) {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}: ${r.stderr}${r.stdout}`);
  if (re) assert.match(r.stderr, re);
}

function expectFail(r, re) {
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.stderr}${r.stdout}`);
  if (re) assert.match(r.stderr, re);
}

test('--help lists the new commands; each group and action has its own help', async () => {
  const r = await runLectern(['--help']);
  assert.equal(r.code, 0);
  const actions = {
    tenant: ['create', 'list'],
    user: ['create', 'list', 'passwd', 'deactivate', 'reactivate'],
    token: ['list', 'create', 'deactivate', 'reactivate'],
  };
  assert.match(r.stdout, /^ {2}demo\b/m);
  for (const [group, acts] of Object.entries(actions)) {
    const g = await runLectern([group, '--help']);
    assert.equal(g.code, 0, g.stderr);
    assert.match(g.stdout, new RegExp(`Usage: lectern ${group} <action>`));
    for (const a of acts) {
      assert.match(r.stdout, new RegExp(`^  ${group} ${a}\\b`, 'm'));
      assert.match(g.stdout, new RegExp(`^  ${a}\\b`, 'm'));
      const h = await runLectern([group, a, '--help']);
      assert.equal(h.code, 0, h.stderr);
      assert.match(h.stdout, new RegExp(`Usage: lectern ${group} ${a} \\[options\\]`));
      assert.match(h.stdout, /--data-dir/);
    }
    const h2 = await runLectern(['help', group, acts[0]]);
    assert.equal(h2.code, 0);
    assert.match(h2.stdout, new RegExp(`Usage: lectern ${group} ${acts[0]}`));
  }
  const d = await runLectern(['demo', '--help']);
  assert.equal(d.code, 0);
  assert.match(d.stdout, /Usage: lectern demo/);
  assert.match(d.stdout, /--listen/);
  const t = await runLectern(['token', 'create', '--help']);
  for (const o of ['--tenant SLUG', '--user EMAIL', '--name NAME', '--expires YYYY-MM-DD',
    '--permission P']) assert.ok(t.stdout.includes(o), o);
});

test('a group without an action, or with an unknown one, is a usage error', async () => {
  let r = await runLectern(['user']);
  expectUsage(r, /lectern user: which action\? one of: create, list, passwd, deactivate, reactivate/);
  r = await runLectern(['token', 'frob']);
  expectUsage(r, /lectern token: unknown action "frob"/);
  r = await runLectern(['tenant', '--tenant', 'x']);
  expectUsage(r, /which action/);
  r = await runLectern(['user', 'list', '--no-such', '1']);
  expectUsage(r, /lectern user list: unknown option --no-such/);
});

// On PostgreSQL the missing database is a database the server does not have.
test('the commands need an initialised data directory', async () => {
  const dir = makeTempDir('lectern-cli51-');
  bindMissingStore(dir);
  for (const args of [['tenant', 'list'], ['user', 'list', '--tenant', 'acme'],
    ['token', 'list', '--tenant', 'acme'],
    ['tenant', 'create', '--tenant', 'beta', '--admin-email', 'a@beta.test']]) {
    const r = await cli(dir, args, { LECTERN_ADMIN_PASSWORD: PASSWORD });
    expectFail(r, /no database at .*run `lectern init/);
  }
  assert.deepEqual(fs.readdirSync(dir), []);
  assert.equal(await storeExists(dir), false, 'the database was created');
});

test('tenant create adds a tenant and its admin; tenant list shows both', async () => {
  const { dir } = await initDir();
  let r = await cli(dir, ['tenant', 'create', '--tenant', 'beta', '--tenant-name', 'Beta Corp',
    '--admin-email', 'boss@beta.test', '--admin-name', 'Bea Boss']);
  assert.equal(r.code, 0, r.stderr);
  const m = r.stdout.match(/password: ([0-9A-Za-z]{20})\n/);
  assert.ok(m, r.stdout);
  assert.match(r.stdout, /shown this once/);
  assert.doesNotMatch(r.stderr, new RegExp(m[1]));
  assert.deepEqual(filesContaining(dir, m[1]), []);
  assert.equal(await sql(dir, "SELECT name FROM tenants WHERE slug = 'beta'"), 'Beta Corp');
  assert.equal(await sql(dir,
    "SELECT r.builtin FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE u.email = 'boss@beta.test'"),
    'console_admin');
  assert.equal(await sql(dir, "SELECT count(*) FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = 'beta'"), '2');
  assert.equal(await sql(dir, "SELECT CAST(actor_user_id IS NULL AS INTEGER) FROM audit_events WHERE action = 'tenant.bootstrap' AND tenant_id = 2"), '1');

  // The password from the environment, as for init.
  r = await cli(dir, ['tenant', 'create', '--tenant', 'gamma', '--admin-email', 'g@gamma.test'],
    { LECTERN_ADMIN_PASSWORD: PASSWORD });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /password: as given/);

  r = await cli(dir, ['tenant', 'list']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^id\s+slug\s+name\s+users$/);
  assert.match(lines[1], /^1\s+acme\s+acme\s+1$/);
  assert.match(lines[2], /^2\s+beta\s+Beta Corp\s+1$/);
  assert.match(lines[3], /^3\s+gamma\s+gamma\s+1$/);

  r = await cli(dir, ['tenant', 'create', '--tenant', 'beta', '--admin-email', 'x@beta.test'],
    { LECTERN_ADMIN_PASSWORD: PASSWORD });
  expectFail(r, /tenant "beta" already exists.*nothing was changed/);
  assert.equal(await sql(dir, 'SELECT count(*) FROM tenants'), '3');

  for (const [args, re] of [
    [['--tenant', 'Bad Slug', '--admin-email', 'a@b.test'], /--tenant SLUG is required/],
    [['--tenant', 'bad-', '--admin-email', 'a@b.test'], /--tenant SLUG is required/],
    [['--admin-email', 'a@b.test'], /--tenant SLUG is required/],
    [['--tenant', 'delta', '--admin-email', 'nope'], /--admin-email EMAIL is required/],
    [['--tenant', 'delta'], /--admin-email EMAIL is required/],
  ]) {
    expectUsage(await cli(dir, ['tenant', 'create', ...args], { LECTERN_ADMIN_PASSWORD: PASSWORD }), re);
  }
  r = await cli(dir, ['tenant', 'create', '--tenant', 'delta', '--admin-email', 'd@delta.test'],
    { LECTERN_ADMIN_PASSWORD: 'short' });
  expectUsage(r, /password must have 12 to 1024 characters/);
  assert.equal(await sql(dir, 'SELECT count(*) FROM tenants'), '3');
});

test('user create: roles, the three password sources, and its errors', async () => {
  const { dir } = await initDir();
  // No password: no Console login.
  let r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'lee@acme.test',
    '--name', 'Lee Learner', '--role', 'learner']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Created user \d+ in tenant acme/);
  assert.match(r.stdout, /roles: +Learner/);
  assert.match(r.stdout, /password: none/);
  assert.equal(await sql(dir, "SELECT CAST(password_hash IS NULL AS INTEGER) FROM users WHERE email = 'lee@acme.test'"), '1');

  // From the environment, with two roles (names ignore case; repeats count once).
  r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'Ann@Acme.test',
    '--name', 'Ann Zoë Admin', '--role', 'Console Admin', '--role', 'LEARNER', '--role', 'learner',
    '--password-from-env'], { LECTERN_USER_PASSWORD: USER_PASSWORD });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /roles: +Console Admin, Learner/);
  assert.match(r.stdout, /password: from LECTERN_USER_PASSWORD/);
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(USER_PASSWORD));
  assert.match(await sql(dir, "SELECT password_hash FROM users WHERE email = 'Ann@Acme.test'"), /^\$argon2id\$/);
  assert.equal(await sql(dir, "SELECT name FROM users WHERE email = 'Ann@Acme.test'"), 'Ann Zoë Admin');
  assert.equal(await sql(dir, "SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE u.email = 'Ann@Acme.test'"), '2');
  assert.deepEqual(filesContaining(dir, USER_PASSWORD), []);

  // Generated: printed once on stdout only.
  r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'gen@acme.test',
    '--name', 'Gen', '--generate-password']);
  assert.equal(r.code, 0, r.stderr);
  const m = r.stdout.match(/password: ([0-9A-Za-z]{20})\n/);
  assert.ok(m, r.stdout);
  assert.ok(!r.stderr.includes(m[1]));
  assert.deepEqual(filesContaining(dir, m[1]), []);

  // The audit rows name the system as actor, with no IP.
  assert.equal(await sql(dir,
    "SELECT count(*) FROM audit_events WHERE action = 'user.create' AND actor_user_id IS NULL AND actor_token_id IS NULL AND ip IS NULL"),
    '3');

  const before = await sql(dir, 'SELECT count(*) FROM users');
  for (const [args, env, re] of [
    [['--email', 'ANN@acme.test', '--name', 'Again'], {}, /a user with email ANN@acme.test already exists in tenant acme/],
    [['--email', 'x@acme.test', '--name', 'X', '--role', 'Wizard'], {}, /no role "Wizard" in tenant acme; roles: "Console Admin", "Learner"/],
  ]) {
    expectFail(await cli(dir, ['user', 'create', '--tenant', 'acme', ...args], env), re);
  }
  expectFail(await cli(dir, ['user', 'create', '--tenant', 'nope', '--email', 'x@acme.test',
    '--name', 'X']), /no tenant "nope"; tenants: acme/);
  for (const [args, env, re] of [
    [['--email', 'x@acme.test'], {}, /--name NAME is required/],
    [['--name', 'X'], {}, /--email EMAIL is required/],
    [['--email', 'not an email', '--name', 'X'], {}, /--email EMAIL is required/],
    [['--email', 'x@acme.test', '--name', 'X', '--password-from-env'], {}, /LECTERN_USER_PASSWORD is not set/],
    [['--email', 'x@acme.test', '--name', 'X', '--password-from-env'], { LECTERN_USER_PASSWORD: 'short' }, /must have 12 to 1024 characters/],
    [['--email', 'x@acme.test', '--name', 'X', '--password-from-env', '--generate-password'],
      { LECTERN_USER_PASSWORD: USER_PASSWORD }, /exclude each other/],
  ]) {
    expectUsage(await cli(dir, ['user', 'create', '--tenant', 'acme', ...args], env), re);
  }
  expectUsage(await cli(dir, ['user', 'create', '--email', 'x@acme.test', '--name', 'X']),
    /--tenant SLUG is required/);
  assert.equal(await sql(dir, 'SELECT count(*) FROM users'), before);
});

test('user list: the table, its filters and their errors', async () => {
  const { dir } = await initDir();
  for (const [email, name, role] of [['amy@acme.test', 'Amy Pond', 'Learner'],
    ['rory@acme.test', 'Rory Williams', 'Learner'], ['clara@acme.test', 'Clara Oswald', null]]) {
    const r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', email, '--name', name,
      ...(role ? ['--role', role] : [])]);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.equal((await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'rory@acme.test'])).code, 0);

  let r = await cli(dir, ['user', 'list', '--tenant', 'acme']);
  assert.equal(r.code, 0, r.stderr);
  let lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^id\s+email\s+name\s+status\s+roles$/);
  assert.match(lines[1], /^1\s+admin@acme\.test\s+Administrator\s+active\s+Console Admin$/);
  assert.match(lines[2], /^2\s+amy@acme\.test\s+Amy Pond\s+active\s+Learner$/);
  assert.match(lines[3], /^3\s+rory@acme\.test\s+Rory Williams\s+deactivated\s+Learner$/);
  assert.match(lines[4], /^4\s+clara@acme\.test\s+Clara Oswald\s+active\s+-$/);
  assert.equal(lines[5], '(4 users)');

  const emails = (out) => [...out.matchAll(/^\d+\s+(\S+@\S+)/gm)].map((x) => x[1]);
  r = await cli(dir, ['user', 'list', '--tenant', 'acme', '--query', 'POND']);
  assert.deepEqual(emails(r.stdout), ['amy@acme.test']);
  r = await cli(dir, ['user', 'list', '--tenant', 'acme', '--query', '4']);
  assert.deepEqual(emails(r.stdout), ['clara@acme.test']);
  r = await cli(dir, ['user', 'list', '--tenant', 'acme', '--status', 'deactivated']);
  assert.deepEqual(emails(r.stdout), ['rory@acme.test']);
  r = await cli(dir, ['user', 'list', '--tenant', 'acme', '--status', 'active', '--role', 'learner']);
  assert.deepEqual(emails(r.stdout), ['amy@acme.test']);
  r = await cli(dir, ['user', 'list', '--tenant', 'acme', '--query', 'nobody']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /\(0 users\)/);

  expectUsage(await cli(dir, ['user', 'list', '--tenant', 'acme', '--status', 'gone']),
    /--status must be active or deactivated/);
  expectFail(await cli(dir, ['user', 'list', '--tenant', 'acme', '--role', 'Wizard']), /no role "Wizard"/);
  expectFail(await cli(dir, ['user', 'list', '--tenant', 'nope']), /no tenant "nope"/);
  expectUsage(await cli(dir, ['user', 'list']), /--tenant SLUG is required/);
});

test('user passwd sets a password from the environment or a generated one', async () => {
  const { dir } = await initDir();
  const hash = () => sql(dir, "SELECT password_hash FROM users WHERE email = 'admin@acme.test'");
  const h0 = await hash();
  let r = await cli(dir, ['user', 'passwd', '--tenant', 'acme', '--email', 'ADMIN@acme.test'],
    { LECTERN_USER_PASSWORD: USER_PASSWORD });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Set a new Console password for admin@acme\.test/);
  assert.match(r.stdout, /password: from LECTERN_USER_PASSWORD/);
  const h1 = await hash();
  assert.notEqual(h1, h0);
  assert.match(h1, /^\$argon2id\$/);

  r = await cli(dir, ['user', 'passwd', '--tenant', 'acme', '--email', 'admin@acme.test']);
  assert.equal(r.code, 0, r.stderr);
  const m = r.stdout.match(/password: ([0-9A-Za-z]{20})\n/);
  assert.ok(m, r.stdout);
  assert.notEqual(await hash(), h1);
  assert.ok(!r.stderr.includes(m[1]));
  assert.deepEqual(filesContaining(dir, m[1]), []);
  assert.equal(await sql(dir, "SELECT count(*) FROM audit_events WHERE action = 'user.password' AND actor_user_id IS NULL"), '2');

  expectFail(await cli(dir, ['user', 'passwd', '--tenant', 'acme', '--email', 'ghost@acme.test']),
    /no user with email ghost@acme\.test in tenant acme/);
  expectUsage(await cli(dir, ['user', 'passwd', '--tenant', 'acme', '--email', 'admin@acme.test'],
    { LECTERN_USER_PASSWORD: 'short' }), /must have 12 to 1024 characters/);
  expectUsage(await cli(dir, ['user', 'passwd', '--tenant', 'acme']), /--email EMAIL is required/);
});

test('user deactivate / reactivate; the last active Console Admin cannot be deactivated', async () => {
  const { dir } = await initDir();
  const status = (e) => sql(dir, `SELECT status FROM users WHERE email = '${e}'`);
  let r = await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'admin@acme.test']);
  expectFail(r, /admin@acme\.test is the last active Console Admin of tenant acme.*nothing was changed/);
  assert.equal(await status('admin@acme.test'), 'active');

  r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'two@acme.test', '--name',
    'Second Admin', '--role', 'Console Admin']);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'admin@acme.test']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Deactivated admin@acme\.test/);
  assert.equal(await status('admin@acme.test'), 'deactivated');
  r = await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'admin@acme.test']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /already deactivated; nothing was changed/);
  // Now two@ is the last one.
  expectFail(await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'two@acme.test']),
    /last active Console Admin/);
  r = await cli(dir, ['user', 'reactivate', '--tenant', 'acme', '--email', 'admin@acme.test']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Reactivated admin@acme\.test/);
  assert.equal(await status('admin@acme.test'), 'active');
  assert.equal(await joined(dir,
    "SELECT action FROM audit_events WHERE action LIKE 'user.%activate' AND actor_user_id IS NULL ORDER BY id"),
    'user.deactivate,user.reactivate');

  expectFail(await cli(dir, ['user', 'reactivate', '--tenant', 'acme', '--email', 'ghost@acme.test']),
    /no user with email ghost@acme\.test/);
  expectFail(await cli(dir, ['user', 'deactivate', '--tenant', 'zzz', '--email', 'admin@acme.test']),
    /no tenant "zzz"/);
});

test('token create shows the secret once, on stdout only, and stores its hash and hint', async () => {
  const { dir } = await initDir();
  const r = await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'admin@acme.test',
    '--name', 'HRIS sync', '--expires', '2999-12-31', '--log-level', 'debug']);
  assert.equal(r.code, 0, r.stderr);
  const secrets = r.stdout.match(TOKEN_RE);
  assert.equal(secrets.length, 1, r.stdout);
  const secret = secrets[0];
  assert.match(r.stdout, /will not be shown again/);
  assert.match(r.stdout, /Created developer token 1 "HRIS sync" \(lct_…[0-9A-Za-z]{4}\) for admin@acme\.test/);
  assert.match(r.stdout, /permissions: all of admin@acme\.test's, live/);
  assert.match(r.stdout, /expires: +2999-12-31T00:00Z/);
  // Nowhere else: not in the log (stderr, at debug level), not in any file of the data dir.
  assert.ok(!r.stderr.includes(secret), 'secret in stderr');
  assert.ok(!r.stderr.includes(secret.slice(4, 34)), 'secret body in stderr');
  assert.deepEqual(filesContaining(dir, secret), []);
  assert.deepEqual(filesContaining(dir, secret.slice(4, 34)), []);
  const sha = crypto.createHash('sha256').update(secret).digest('hex').toUpperCase();
  assert.equal((await sql(dir, onPostgres ? "SELECT encode(token_hash, 'hex') FROM developer_tokens WHERE id = 1"
    : 'SELECT hex(token_hash) FROM developer_tokens WHERE id = 1')).toUpperCase(), sha);
  assert.equal(await sql(dir, 'SELECT hint FROM developer_tokens WHERE id = 1'), `lct_…${secret.slice(-4)}`);
  assert.equal(await sql(dir, 'SELECT CAST(permissions IS NULL AS INTEGER) FROM developer_tokens WHERE id = 1'), '1');
  assert.equal(new Date(Number(await sql(dir, 'SELECT expires_at FROM developer_tokens WHERE id = 1')) * 1000)
    .toISOString(), '2999-12-31T00:00:00.000Z');
  assert.equal(await sql(dir,
    "SELECT count(*) FROM audit_events WHERE action = 'token.create' AND actor_user_id IS NULL AND ip IS NULL AND detail NOT LIKE '%lct_%'"),
    '1');
  // `token list` never shows it either.
  const l = await cli(dir, ['token', 'list', '--tenant', 'acme']);
  assert.ok(!l.stdout.includes(secret));
});

test('token create: a permission subset must lie within the user\'s live permissions', async () => {
  const { dir } = await initDir();
  // An admin may narrow a token to any permissions (repeated and comma-separated).
  let r = await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'admin@acme.test',
    '--name', 'narrow', '--permission', 'read:users,read:courses', '--permission', 'read:users']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /permissions: read:users, read:courses \(as long as/);
  assert.deepEqual(JSON.parse(await sql(dir, "SELECT permissions FROM developer_tokens WHERE name = 'narrow'")),
    ['read:users', 'read:courses']);

  // A learner holds nothing: any subset goes beyond.
  r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'lee@acme.test', '--name',
    'Lee', '--role', 'Learner']);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'lee@acme.test',
    '--name', 'escalate', '--permission', 'read:users', '--permission', 'create:developer_tokens']);
  expectFail(r, /lee@acme\.test does not hold read:users, create:developer_tokens.*they hold: \(none\)/);
  assert.ok(!TOKEN_RE.test(r.stdout + r.stderr));
  TOKEN_RE.lastIndex = 0;
  assert.equal(await sql(dir, "SELECT count(*) FROM developer_tokens WHERE name = 'escalate'"), '0');

  // Without a subset the learner's token is created (it can do nothing until they get a role).
  r = await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'lee@acme.test',
    '--name', 'harmless']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /holds no permission now/);

  // A deactivated user gets no token.
  assert.equal((await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'lee@acme.test'])).code, 0);
  expectFail(await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'lee@acme.test',
    '--name', 'late']), /lee@acme\.test is deactivated/);

  const before = await sql(dir, 'SELECT count(*) FROM developer_tokens');
  for (const [args, re] of [
    [['--user', 'admin@acme.test', '--name', 'x', '--permission', 'read:everything'],
      /unknown permission "read:everything"; the catalog has: read:users, .*read:audit_events/],
    [['--user', 'admin@acme.test', '--name', 'x', '--permission', ','], /names no permission/],
    [['--user', 'admin@acme.test', '--name', 'x', '--expires', '2020-01-01'], /not in the future/],
    [['--user', 'admin@acme.test', '--name', 'x', '--expires', '2030-02-30'], /--expires must be a date YYYY-MM-DD/],
    [['--user', 'admin@acme.test', '--name', 'x', '--expires', 'tomorrow'], /--expires must be a date/],
    [['--user', 'admin@acme.test'], /--name NAME is required/],
    [['--name', 'x'], /--user EMAIL is required/],
  ]) {
    expectUsage(await cli(dir, ['token', 'create', '--tenant', 'acme', ...args]), re);
  }
  expectFail(await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'ghost@acme.test',
    '--name', 'x']), /no user with email ghost@acme\.test in tenant acme/);
  expectFail(await cli(dir, ['token', 'create', '--tenant', 'nope', '--user', 'admin@acme.test',
    '--name', 'x']), /no tenant "nope"/);
  assert.equal(await sql(dir, 'SELECT count(*) FROM developer_tokens'), before);
});

test('token list shows status (also expired), creator and use; deactivate / reactivate', async () => {
  const { dir } = await initDir();
  for (const name of ['first', 'second', 'third']) {
    const r = await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'admin@acme.test',
      '--name', name]);
    assert.equal(r.code, 0, r.stderr);
  }
  // Make `third` expire a second after its creation, and `second` used from an address.
  await sql(dir, "UPDATE developer_tokens SET expires_at = created_at + 1 WHERE name = 'third'");
  await sql(dir, "UPDATE developer_tokens SET last_used_at = 1700000000, last_used_ip = '203.0.113.9' WHERE name = 'second'");
  const created = Number(await sql(dir, "SELECT created_at FROM developer_tokens WHERE name = 'third'"));
  while (Date.now() / 1000 < created + 1.1) await sleep(100);

  let r = await cli(dir, ['token', 'deactivate', '--tenant', 'acme', '--id', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Deactivated token 1 "first"/);
  r = await cli(dir, ['token', 'deactivate', '--tenant', 'acme', '--id', '1']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /already deactivated; nothing was changed/);

  r = await cli(dir, ['token', 'list', '--tenant', 'acme']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^id\s+name\s+hint\s+creator\s+status\s+created\s+last used\s+expires\s+permissions$/);
  assert.match(lines[1], /^1\s+first\s+lct_…\w{4}\s+admin@acme\.test\s+deactivated\s+\d{4}-\d\d-\d\dT\d\d:\d\dZ\s+never\s+never\s+all of the creator's$/);
  assert.match(lines[2], /^2\s+second\s+.*\sactive\s+.*\s2023-11-14T22:13Z from 203\.0\.113\.9\s+never\s/);
  assert.match(lines[3], /^3\s+third\s+.*\sexpired\s/);
  assert.equal(lines[4], '(3 tokens)');

  r = await cli(dir, ['token', 'reactivate', '--tenant', 'acme', '--id', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Reactivated token 1 "first"/);
  assert.equal(await sql(dir, 'SELECT status FROM developer_tokens WHERE id = 1'), 'active');
  r = await cli(dir, ['token', 'deactivate', '--tenant', 'acme', '--id', '3']);
  assert.equal(r.code, 0);
  r = await cli(dir, ['token', 'reactivate', '--tenant', 'acme', '--id', '3']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /has expired, so it still does not work/);
  assert.equal(await joined(dir,
    "SELECT action FROM audit_events WHERE action IN ('token.deactivate', 'token.reactivate') AND actor_user_id IS NULL AND ip IS NULL ORDER BY id"),
    'token.deactivate,token.reactivate,token.deactivate,token.reactivate');

  expectFail(await cli(dir, ['token', 'deactivate', '--tenant', 'acme', '--id', '99']),
    /no token with id 99 in tenant acme/);
  for (const id of ['0', '-1', 'abc', '1x']) {
    expectUsage(await cli(dir, ['token', 'deactivate', '--tenant', 'acme', '--id', id]), /--id ID is required/);
  }
  expectUsage(await cli(dir, ['token', 'reactivate', '--tenant', 'acme']), /--id ID is required/);
  expectFail(await cli(dir, ['token', 'list', '--tenant', 'nope']), /no tenant "nope"/);
});

test('two tenants: the same email in each, and one tenant\'s tokens are not the other\'s', async () => {
  const { dir } = await initDir();
  let r = await cli(dir, ['tenant', 'create', '--tenant', 'beta', '--admin-email', 'admin@acme.test'],
    { LECTERN_ADMIN_PASSWORD: PASSWORD });
  assert.equal(r.code, 0, r.stderr);
  r = await cli(dir, ['user', 'create', '--tenant', 'beta', '--email', 'same@example.test', '--name', 'B']);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'same@example.test', '--name', 'A']);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(dir, ['token', 'create', '--tenant', 'acme', '--user', 'admin@acme.test', '--name', 'acme-only']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.match(/Created developer token (\d+)/)[1];

  r = await cli(dir, ['token', 'list', '--tenant', 'beta']);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /acme-only/);
  assert.match(r.stdout, /\(0 tokens\)/);
  // Another tenant's token id behaves like a missing one.
  expectFail(await cli(dir, ['token', 'deactivate', '--tenant', 'beta', '--id', id]),
    new RegExp(`no token with id ${id} in tenant beta`));
  assert.equal(await sql(dir, `SELECT status FROM developer_tokens WHERE id = ${id}`), 'active');
  r = await cli(dir, ['user', 'list', '--tenant', 'beta']);
  assert.match(r.stdout, /\(2 users\)/);
  // Each tenant's last admin is its own: beta's admin@acme.test is beta's only admin.
  expectFail(await cli(dir, ['user', 'deactivate', '--tenant', 'beta', '--email', 'admin@acme.test']),
    /last active Console Admin of tenant beta/);
  r = await cli(dir, ['user', 'create', '--tenant', 'acme', '--email', 'a2@acme.test', '--name',
    'A2', '--role', 'Console Admin']);
  assert.equal(r.code, 0);
  r = await cli(dir, ['user', 'deactivate', '--tenant', 'acme', '--email', 'admin@acme.test']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await joined(dir, "SELECT status FROM users WHERE email = 'admin@acme.test' ORDER BY tenant_id"),
    'deactivated,active');
});

test('demo seeds a fresh data directory, prints the credentials once and serves', async () => {
  const dir = path.join(makeTempDir('lectern-demo-'), 'data');
  const srv = await spawnServing(['demo', '--data-dir', dir, '--listen', '127.0.0.1:0']);
  let stdout;
  try {
    await srv.waitForStdout(/Console: http:\/\/\S+\/console\//);
    stdout = srv.stdout();
    assert.ok(stdout.includes(`Console: http://127.0.0.1:${srv.port}/console/`), stdout);
    const pw = stdout.match(/password: ([0-9A-Za-z]{20})\n/);
    assert.ok(pw, stdout);
    assert.match(stdout, /shown this once/);
    for (const e of ['admin@demo.test', 'tokens@demo.test', 'support@demo.test', 'courses@demo.test']) {
      assert.ok(stdout.includes(e), e);
    }
    // The time is reported (no assertion on it: these machines are shared and noisy).
    assert.match(stdout, /seeded in [\d.]+ s/);
    assert.ok(!srv.logs().join('\n').includes(pw[1]), 'password in the log');
    assert.ok(srv.records().some((x) => x.event === 'demo.seeded'));

    const res = await fetch(`${srv.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    const ready = await fetch(`${srv.url}/readyz`);
    assert.equal(ready.status, 200);
    await ready.arrayBuffer();

    const demo = "(SELECT id FROM tenants WHERE slug = 'demo')";
    assert.equal(await sql(dir, "SELECT slug || '|' || name FROM tenants ORDER BY id"), 'demo|Demo Academy\nother|Other Industries');
    const perms = (role) => joined(dir,
      `SELECT p.permission FROM role_permissions p JOIN roles r ON r.id = p.role_id WHERE r.name = '${role}' AND r.tenant_id = ${demo} ORDER BY 1`);
    assert.equal(await perms('Token Manager'), 'create:developer_tokens,read:developer_tokens,update:developer_tokens');
    assert.equal(await perms('Support'), 'read:users,update:users');
    assert.equal(await perms('Course Manager'),
      'create:courses,create:enrollments,read:courses,read:enrollments,update:courses,update:enrollments');
    const holder = (email) => sql(dir,
      `SELECT r.name FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE u.email = '${email}'`);
    assert.equal(await holder('admin@demo.test'), 'Console Admin');
    assert.equal(await holder('tokens@demo.test'), 'Token Manager');
    assert.equal(await holder('support@demo.test'), 'Support');
    assert.equal(await holder('courses@demo.test'), 'Course Manager');
    assert.equal(await sql(dir, `SELECT count(*) FROM users WHERE tenant_id = ${demo} AND password_hash LIKE '$argon2id$%'`), '4');
    const learners = Number(await sql(dir,
      `SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE r.builtin = 'learner' AND u.tenant_id = ${demo}`));
    assert.ok(learners >= 300, `${learners} learners`);
    assert.ok(Number(await sql(dir, `SELECT count(DISTINCT name) FROM users WHERE tenant_id = ${demo}`)) >= 300);
    assert.ok(Number(await sql(dir, `SELECT count(*) FROM users WHERE tenant_id = ${demo} AND status = 'deactivated'`)) > 0);
    const courses = Number(await sql(dir, `SELECT count(*) FROM courses WHERE tenant_id = ${demo}`));
    assert.ok(courses >= 10 && courses <= 15, `${courses} courses`);
    assert.equal(await sql(dir, `SELECT count(DISTINCT status) FROM courses WHERE tenant_id = ${demo}`), '3');
    const enrollments = Number(await sql(dir, `SELECT count(*) FROM enrollments WHERE tenant_id = ${demo}`));
    assert.ok(enrollments >= 700 && enrollments <= 900, `${enrollments} enrollments`);
    assert.equal(await joined(dir, `SELECT DISTINCT status FROM enrollments WHERE tenant_id = ${demo} ORDER BY 1`),
      'completed,enrolled,in_progress,withdrawn');
    assert.equal(await sql(dir, "SELECT count(*) FROM enrollments WHERE status = 'completed' AND (progress <> 100 OR ended_at IS NULL)"), '0');
    assert.ok(Number(await sql(dir, 'SELECT count(DISTINCT progress) FROM enrollments')) > 20);
    assert.ok(Number(await sql(dir, 'SELECT max(started_at) - min(started_at) FROM enrollments')) > 90 * 86400);
    assert.ok(Number(await sql(dir, "SELECT count(*) FROM users WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'other')")) >= 3);
    assert.equal(await sql(dir,
      "SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.tenant_id <> e.tenant_id"), '0');
    assert.deepEqual(filesContaining(dir, pw[1]), []);

    // The operator commands work on the demo data while it is served.
    const r = await runLectern(['user', 'list', '--data-dir', dir, '--tenant', 'demo', '--role', 'support']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /support@demo\.test\s+Sam Okafor\s+active\s+Support/);
    assert.match(r.stdout, /\(1 user\)/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
  assert.ok(srv.records().some((x) => x.event === 'server.stopped'));
  assert.equal(srv.stdout().match(/password: [0-9A-Za-z]{20}/g).length, 1, 'password printed once');

  // A second demo on the same directory (on PostgreSQL: the same database) changes nothing and
  // says how to serve it.
  const users = await sql(dir, 'SELECT count(*) FROM users');
  const again = await runLectern(['demo', '--data-dir', dir, '--listen', '127.0.0.1:0']);
  expectFail(again, onPostgres
    ? /the store already holds 2 tenants; nothing was changed\. Serve it with `lectern serve`/
    : /already holds a lectern database; nothing was changed\. Serve it with `lectern serve --data-dir /);
  assert.equal(await sql(dir, 'SELECT count(*) FROM users'), users);
});

test('demo takes the password from LECTERN_ADMIN_PASSWORD and rejects a bad one', async (t) => {
  const bad = path.join(makeTempDir('lectern-demo-'), 'data');
  expectUsage(await runLectern(['demo', '--data-dir', bad, '--listen', '127.0.0.1:0'],
    { env: { LECTERN_ADMIN_PASSWORD: 'short' } }), /password must have 12 to 1024 characters/);
  assert.equal(fs.existsSync(bad), false);
  assert.deepEqual(await storeTables(bad), [], 'a refused demo left tables behind');

  const dir = path.join(makeTempDir('lectern-demo-'), 'data');
  const srv = await spawnServing(['demo', '--data-dir', dir, '--listen', '127.0.0.1:0'],
    { env: { LECTERN_ADMIN_PASSWORD: PASSWORD } });
  try {
    await srv.waitForStdout(/Console: /);
    assert.match(srv.stdout(), /password: from LECTERN_ADMIN_PASSWORD/);
    assert.doesNotMatch(srv.stdout(), new RegExp(PASSWORD));
    const res = await fetch(`${srv.url}/healthz`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  } finally {
    assert.equal(await srv.stop(), 0);
  }
  await t.test('the data directory it creates is private (0700)', {
    skip: onPostgres && 'the store is a PostgreSQL database: lectern keeps nothing in the data directory',
  }, () => assert.equal(fs.statSync(dir).mode & 0o777, 0o700));
});
