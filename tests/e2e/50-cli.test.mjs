// SPDX-License-Identifier: MIT
// The lectern command line as an operator uses it: help, configuration precedence and errors,
// init (once only), migrate, and a database newer than the binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, runLectern, startLectern } from './lib/server.mjs';
import {
  bindMissingStore, onPostgres, sql, storeContaining, storeExists, storeTables,
} from './lib/store.mjs';

const PASSWORD = 'correct horse battery staple';

function tmpdir() {
  return makeTempDir('lectern-cli-');
}

async function initDir(extraEnv = {}) {
  const dir = tmpdir();
  const r = await runLectern(
    ['init', '--data-dir', dir, '--tenant', 'acme', '--admin-email', 'admin@acme.test'],
    { env: { LECTERN_ADMIN_PASSWORD: PASSWORD, ...extraEnv } });
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

test('--help lists the subcommands, and each has its own --help', async () => {
  const r = await runLectern(['--help']);
  assert.equal(r.code, 0);
  for (const cmd of ['serve', 'init', 'migrate', 'version']) {
    assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
    const h = await runLectern([cmd, '--help']);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, new RegExp(`Usage: lectern ${cmd}`));
    assert.match(h.stdout, /--data-dir/);
  }
  const v = await runLectern(['version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^lectern \d+\.\d+\.\d+/);
});

test('an unknown command or option is a usage error (exit 2)', async () => {
  let r = await runLectern(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  r = await runLectern(['serve', '--no-such-option', '1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option --no-such-option/);
  r = await runLectern(['serve', '--listen']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--listen needs a value/);
});

test('configuration precedence: flag > environment > file > default', async () => {
  const dir = tmpdir();
  const conf = path.join(dir, 'lectern.conf');
  fs.writeFileSync(conf, '# test\nthreads = 2\nmax_body_bytes = "2M"\nlog_level = warn\n');
  let r = await runLectern(['serve', '--config', conf, '--print-config']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^threads = 2 {2}# file$/m);
  assert.match(r.stdout, /^max_body_bytes = 2097152 {2}# file$/m);
  assert.match(r.stdout, /^listen = 127\.0\.0\.1:8080 {2}# default$/m);
  r = await runLectern(['serve', '--config', conf, '--print-config'], { env: { LECTERN_THREADS: '3' } });
  assert.match(r.stdout, /^threads = 3 {2}# env$/m);
  r = await runLectern(['serve', '--config', conf, '--threads=4', '--print-config'],
    { env: { LECTERN_THREADS: '3' } });
  assert.match(r.stdout, /^threads = 4 {2}# flag$/m);
  // LECTERN_CONFIG names the file too.
  r = await runLectern(['serve', '--print-config'], { env: { LECTERN_CONFIG: conf } });
  assert.match(r.stdout, /^log_level = warn {2}# file$/m);
});

test('bad configuration is a clear error with the key and the source (exit 2)', async () => {
  const dir = tmpdir();
  const conf = path.join(dir, 'lectern.conf');
  const cases = [
    ['threads = 2\nfrobs = 1\n', /lectern\.conf:2: unknown key "frobs"/],
    ['threads = lots\n', /lectern\.conf:1: bad value "lots" for threads: expected a whole number from 0 to 256/],
    ['threads = 2\nthreads = 3\n', /lectern\.conf:2: key threads is already set on line 1/],
    ['just words\n', /lectern\.conf:1: expected `key = value`/],
    ['max_body_bytes = 10\n', /bad value "10" for max_body_bytes/],
    ['listen = 8080\n', /bad value "8080" for listen: expected HOST:PORT/],
    ['access_log = maybe\n', /bad value "maybe" for access_log/],
    ['log_level = loud\n', /bad value "loud" for log_level/],
  ];
  for (const [text, re] of cases) {
    fs.writeFileSync(conf, text);
    const r = await runLectern(['serve', '--config', conf, '--print-config']);
    assert.equal(r.code, 2, `${text} -> ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  let r = await runLectern(['serve', '--config', path.join(dir, 'missing.conf'), '--print-config']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing\.conf: cannot open configuration file/);
  r = await runLectern(['serve', '--print-config'], { env: { LECTERN_THREADS: '-1' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /LECTERN_THREADS: bad value "-1" for threads/);
  r = await runLectern(['serve', '--listen', '127.0.0.1:99999', '--print-config']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--listen: bad value "127\.0\.0\.1:99999"/);
});

test('--print-config masks the password of a store URL', async () => {
  const r = await runLectern(['serve', '--store', 'postgres://app:hunter2@db.internal/lectern',
    '--print-config']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^store = postgres:\/\/app:\*\*\*\*@db\.internal\/lectern {2}# flag$/m);
  assert.doesNotMatch(r.stdout, /hunter2/);
});

test('init creates the tenant and its admin once; a second init changes nothing', async (t) => {
  const dir = await initDir();
  assert.equal(await sql(dir, 'SELECT slug FROM tenants'), 'acme');
  assert.equal(await sql(dir, 'SELECT count(*) FROM users'), '1');
  assert.equal(await sql(dir,
    "SELECT r.builtin FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE u.email = 'admin@acme.test'"),
    'console_admin');
  assert.match(await sql(dir, 'SELECT password_hash FROM users'), /^\$argon2id\$/);
  await t.test('the data directory is private (0700)', {
    skip: onPostgres && 'the store is a PostgreSQL database: lectern keeps nothing in the data directory',
  }, () => assert.equal(fs.statSync(dir).mode & 0o777, 0o700));

  const r = await runLectern(
    ['init', '--data-dir', dir, '--tenant', 'other', '--admin-email', 'x@other.test'],
    { env: { LECTERN_ADMIN_PASSWORD: PASSWORD } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already initialised.*nothing was changed/);
  assert.equal(await sql(dir, 'SELECT count(*) FROM tenants'), '1');
  assert.equal(await sql(dir, 'SELECT count(*) FROM users'), '1');
});

test('init generates a password when none is given, prints it once, stores only its hash', async () => {
  const dir = tmpdir();
  const r = await runLectern(['init', '--data-dir', dir, '--tenant', 'acme',
    '--admin-email', 'admin@acme.test'], { env: { LECTERN_ADMIN_PASSWORD: undefined } });
  assert.equal(r.code, 0, r.stderr);
  const m = r.stdout.match(/password: ([0-9A-Za-z]{20})\n/);
  assert.ok(m, r.stdout);
  assert.deepEqual(storeContaining(dir, m[1]), [], 'the password is at rest');
});

test('init rejects bad input with a usage error and creates nothing', async () => {
  const dir = path.join(tmpdir(), 'data');
  const cases = [
    [['--tenant', 'Bad Slug', '--admin-email', 'a@b.test'], /--tenant SLUG is required/],
    [['--admin-email', 'a@b.test'], /--tenant SLUG is required/],
    [['--tenant', 'acme', '--admin-email', 'not-an-email'], /--admin-email EMAIL is required/],
    [['--tenant', 'acme'], /--admin-email EMAIL is required/],
  ];
  for (const [args, re] of cases) {
    const r = await runLectern(['init', '--data-dir', dir, ...args], { env: { LECTERN_ADMIN_PASSWORD: PASSWORD } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
  }
  const r = await runLectern(['init', '--data-dir', dir, '--tenant', 'acme', '--admin-email', 'a@b.test'],
    { env: { LECTERN_ADMIN_PASSWORD: 'short' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /password must have 12 to 1024 characters/);
  assert.equal(fs.existsSync(dir), false);
  assert.deepEqual(await storeTables(dir), [], 'init left tables behind');
});

// On PostgreSQL the missing database is a database the server does not have.
test('serve and migrate on a missing database say to run init (exit 1)', async () => {
  const dir = tmpdir();
  bindMissingStore(dir);
  for (const cmd of ['serve', 'migrate']) {
    const r = await runLectern([cmd, '--data-dir', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no database at .*run `lectern init/);
  }
  assert.equal(await storeExists(dir), false, 'the database was created');
});

test('migrate on a current database changes nothing; a newer database is refused', async () => {
  const dir = await initDir();
  let r = await runLectern(['migrate', '--data-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /schema is current \(version \d+\)/);
  const before = await sql(dir, 'SELECT count(*) FROM schema_migrations');
  await sql(dir, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, '9999_future.sql', 0)");
  for (const cmd of ['migrate', 'serve']) {
    r = await runLectern([cmd, '--data-dir', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.code, 1, `${cmd}: ${r.stderr}`);
    assert.match(r.stderr, /schema version 9999, newer than this binary's \d+.*nothing was changed/);
  }
  assert.equal(await sql(dir, 'SELECT count(*) FROM schema_migrations'), String(Number(before) + 1));
});

test('a second init against a running server fails and the server keeps serving', async () => {
  const srv = await startLectern();
  try {
    const r = await runLectern(['init', '--data-dir', srv.dataDir, '--tenant', 'again',
      '--admin-email', 'a@again.test'], { env: { LECTERN_ADMIN_PASSWORD: PASSWORD } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already initialised/);
    const res = await fetch(`${srv.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test('docs/configuration.md documents every configuration key', () => {
  const def = fs.readFileSync(new URL('../../include/lectern/config.def', import.meta.url), 'utf8');
  const doc = fs.readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const keys = [...def.matchAll(/^LC_CFG\((\w+),/gm)].map((m) => m[1]);
  assert.ok(keys.length >= 10);
  for (const k of keys) assert.match(doc, new RegExp('`' + k + '`'), `${k} missing from docs`);
});
