// SPDX-License-Identifier: MIT
// `lectern backup` and `lectern migrate --from/--to`, driven as an operator would: a backup of
// the demo store taken while `lectern demo` serves it and takes writes, then served itself; a
// move from SQLite to another SQLite file and, when LECTERN_TEST_PG is set, to PostgreSQL, each
// then served, with a login and a developer token created before the move. Bad inputs get a
// clear error and change nothing. The sources are SQLite on both runs (bindStore), since both
// commands start from a SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, runLectern, sleep, spawnServing } from './lib/server.mjs';
import { gql, listAll, login, ok } from './lib/api.mjs';
import { bindStore, createDatabase, onPostgres, sql } from './lib/store.mjs';

const PASSWORD = 'e2e backup password, long enough';
const TOKEN_RE = /lct_[0-9A-Za-z]{36}/;
const COPIED = ['tenants', 'users', 'roles', 'role_permissions', 'user_roles',
  'developer_tokens', 'courses', 'enrollments', 'audit_events'];

// A data directory whose store is <dir>/lectern.db on either run.
function sqliteDir(prefix = 'lectern-e2e52-') {
  const dir = makeTempDir(prefix);
  bindStore(dir, `sqlite:${path.join(dir, 'lectern.db')}`);
  return dir;
}

// An initialised SQLite instance: tenant acme (admin@acme.test), a learner, and a developer
// token of the admin's made with the CLI. Resolves {dir, db, url, token}.
async function sourceInstance() {
  const dir = sqliteDir();
  let r = await runLectern(['init', '--data-dir', dir, '--tenant', 'acme',
    '--admin-email', 'admin@acme.test'], { env: { LECTERN_ADMIN_PASSWORD: PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
  r = await runLectern(['user', 'create', '--data-dir', dir, '--tenant', 'acme',
    '--email', 'learner@acme.test', '--name', 'Zoë O\'Learner']);
  assert.equal(r.code, 0, r.stderr);
  r = await runLectern(['token', 'create', '--data-dir', dir, '--tenant', 'acme',
    '--user', 'admin@acme.test', '--name', 'made before the move']);
  assert.equal(r.code, 0, r.stderr);
  const db = path.join(dir, 'lectern.db');
  return { dir, db, url: `sqlite:${db}`, token: r.stdout.match(TOKEN_RE)[0] };
}

// The table of a move's output: {table: {source, dest, check}}.
function moveTable(stdout) {
  const rows = {};
  for (const m of stdout.matchAll(/^(\w+) +(\d+) +(\d+|-) +(.+)$/gm)) {
    rows[m[1]] = { source: Number(m[2]), dest: m[3] === '-' ? null : Number(m[3]), check: m[4] };
  }
  return rows;
}

function assertMoveOk(r, tenants) {
  assert.equal(r.code, 0, `${r.stderr}${r.stdout}`);
  assert.match(r.stdout, /^Copied sqlite:.* to .*: \d+ rows in \d+ ms \(schema version \d+\)$/m);
  assert.match(r.stdout, /^Every table matches\. Next: lectern serve --store '.*'$/m);
  const rows = moveTable(r.stdout);
  for (const t of COPIED) {
    assert.ok(rows[t], `${t} missing from the report:\n${r.stdout}`);
    assert.equal(rows[t].check, 'ok', t);
    assert.equal(rows[t].dest, rows[t].source, t);
  }
  assert.equal(rows.tenants.source, tenants);
  assert.equal(rows.console_sessions.dest, null);
  assert.match(rows.console_sessions.check, /not copied: users sign in again/);
  return rows;
}

// What a token may see of the tenant: its users' emails and its courses' codes.
async function tenantView(srv, token) {
  const users = await listAll(srv, { token }, 'users', '', 'email');
  const courses = await listAll(srv, { token }, 'courses', '', 'code');
  return { users: users.map((u) => u.email).sort(), courses: courses.map((c) => c.code).sort() };
}

// Serves a store URL on a free port (the data directory is only a place for nothing).
function serveStore(url) {
  return spawnServing(['serve', '--store', url, '--data-dir', makeTempDir('lectern-e2e52-srv-'),
    '--listen', '127.0.0.1:0']);
}

test('backup and migrate have their own --help; `lectern --help` lists backup', async () => {
  const top = await runLectern(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /^ {2}backup +write a consistent copy/m);
  const b = await runLectern(['backup', '--help']);
  assert.equal(b.code, 0);
  assert.match(b.stdout, /Usage: lectern backup \[options\]/);
  assert.match(b.stdout, /--to FILE/);
  assert.match(b.stdout, /pg_dump/);
  const m = await runLectern(['migrate', '--help']);
  assert.equal(m.code, 0);
  assert.match(m.stdout, /--from URL/);
  assert.match(m.stdout, /--to URL/);
  assert.match(m.stdout, /Console sessions are not copied/);
});

test('backup of the demo store while it serves and takes writes; the backup serves the same data', async () => {
  const dir = sqliteDir();
  const demo = await spawnServing(['demo', '--data-dir', dir, '--listen', '127.0.0.1:0']);
  let backupSrv = null;
  try {
    const password = (await demo.waitForStdout(/password: (\S+)\n/))[1];
    // A token made with the CLI while the server runs, before the backup.
    const t = await runLectern(['token', 'create', '--data-dir', dir, '--tenant', 'demo',
      '--user', 'admin@demo.test', '--name', 'before the backup']);
    assert.equal(t.code, 0, t.stderr);
    const token = t.stdout.match(TOKEN_RE)[0];
    const session = await login(demo, 'demo', 'admin@demo.test', password);
    const before = await tenantView(demo, token);

    // Courses DUR-0, DUR-1, ... created one after the other through the API until stopped.
    let stop = false;
    let done = 0;
    const failures = [];
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const r = await gql(demo, 'mutation($i: CreateCourseInput!) { createCourse(input: $i) { code } }',
          { i: { title: `Written during the backup ${i}`, code: `DUR-${i}` } }, { session });
        if (r.status === 200 && !r.body.errors) done++;
        else failures.push(r.body);
      }
    })();
    while (done < 3 && failures.length === 0) await sleep(5);

    // A backup takes tens of ms, a write a few: one of a few backups sees writes complete.
    const out = makeTempDir('lectern-e2e52-bak-');
    const file = path.join(out, 'demo-backup.db');
    let b;
    let startedAt = 0;
    let endedAt = 0;
    for (let i = 0; i < 5 && endedAt === startedAt; i++) {
      fs.rmSync(file, { force: true });
      startedAt = done;
      b = await runLectern(['backup', '--data-dir', dir, '--to', file]);
      endedAt = done;
      assert.equal(b.code, 0, b.stderr);
    }
    stop = true;
    await writer;
    assert.deepEqual(failures, [], 'every write during the backup succeeded');
    assert.ok(endedAt > startedAt, 'the server took writes while the backup ran');
    const m = b.stdout.match(/^Backed up sqlite:.*lectern\.db to (.*)\n {2}size: +(\d+) bytes \(.* MiB\)\n {2}schema version: (\d+)\n {2}tenants: +(\d+)\n {2}took: +(\d+) ms$/m);
    assert.ok(m, b.stdout);
    assert.equal(m[1], file);
    assert.equal(Number(m[2]), fs.statSync(file).size);
    assert.equal(Number(m[4]), 2);
    console.log(`demo backup: ${m[2]} bytes in ${m[5]} ms while ${endedAt - startedAt} writes went through`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(out), ['demo-backup.db'], 'no temporary file left behind');
    const bdir = makeTempDir('lectern-e2e52-bakdir-');
    bindStore(bdir, `sqlite:${file}`);
    assert.equal(await sql(bdir, 'PRAGMA integrity_check'), 'ok');

    // The backup is one snapshot: the courses written before it started, and then a run of the
    // ones written while it ran, in order, with no gap.
    const codes = (await sql(bdir, "SELECT code FROM courses WHERE code LIKE 'DUR-%'"))
      .split('\n').filter(Boolean).map((c) => Number(c.slice(4))).sort((x, y) => x - y);
    assert.ok(codes.length >= startedAt && codes.length <= endedAt + 1,
      `${codes.length} courses written during the backup are in it (${startedAt}..${endedAt})`);
    assert.deepEqual(codes, [...Array(codes.length).keys()]);

    // Served, it answers the token made before it and the demo password, with the same data.
    backupSrv = await serveStore(`sqlite:${file}`);
    const after = await tenantView(backupSrv, token);
    assert.deepEqual(after.users, before.users);
    assert.deepEqual(after.courses,
      [...before.courses, ...codes.map((i) => `DUR-${i}`)].sort());
    await login(backupSrv, 'demo', 'admin@demo.test', password);
    await login(backupSrv, 'other', 'admin@other.test', password);
  } finally {
    if (backupSrv) assert.equal(await backupSrv.stop(), 0);
    assert.equal(await demo.stop(), 0);
  }
});

test('backup refuses an existing file, a missing directory and a missing store; nothing is written', async () => {
  const src = await sourceInstance();
  const out = makeTempDir('lectern-e2e52-bak-');
  const existing = path.join(out, 'existing.db');
  fs.writeFileSync(existing, 'precious');
  let r = await runLectern(['backup', '--data-dir', src.dir, '--to', existing]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /existing\.db already exists: a backup never replaces a file/);
  assert.equal(fs.readFileSync(existing, 'utf8'), 'precious');

  r = await runLectern(['backup', '--data-dir', src.dir, '--to', path.join(out, 'no', 'b.db')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the directory of .*no\/b\.db does not exist \(nothing was written\)/);

  r = await runLectern(['backup', '--data-dir', src.dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--to FILE is required/);

  const empty = sqliteDir();
  r = await runLectern(['backup', '--data-dir', empty, '--to', path.join(out, 'c.db')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no database at .*run `lectern init/);
  assert.deepEqual(fs.readdirSync(out), ['existing.db']);
  assert.deepEqual(fs.readdirSync(empty), []);
});

test('migrate --from sqlite --to sqlite: the destination serves the same tenants, logins and tokens', async () => {
  const src = await sourceInstance();
  const out = makeTempDir('lectern-e2e52-dst-');
  const dst = `sqlite:${path.join(out, 'moved.db')}`;
  const r = await runLectern(['migrate', '--from', src.url, '--to', dst]);
  const rows = assertMoveOk(r, 1);
  assert.equal(rows.users.source, 2);
  assert.equal(rows.developer_tokens.source, 1);

  const ddir = sqliteDir();
  bindStore(ddir, dst);
  for (const t of COPIED) {
    const q = `SELECT * FROM ${t} ORDER BY 1, 2, 3`;
    assert.equal(await sql(ddir, q), await sql(src.dir, q), `${t}: every row, ids included`);
  }

  // A second move into it is refused, and changes nothing.
  const total = async () => Number(await sql(ddir,
    COPIED.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ').replace(/^/, 'SELECT ')));
  const n = await total();
  const again = await runLectern(['migrate', '--from', src.url, '--to', dst]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds 1 tenant: a move needs an empty store; nothing was changed/);
  assert.equal(await total(), n);

  const srv = await serveStore(dst);
  try {
    const view = await tenantView(srv, src.token);
    assert.deepEqual(view.users, ['admin@acme.test', 'learner@acme.test']);
    const session = await login(srv, 'acme', 'admin@acme.test', PASSWORD);
    // New rows get new ids after the copied ones.
    const d = await ok(srv, 'mutation { createCourse(input: {title: "After the move", code: "AFT-1"}) { id } }',
      null, { session });
    assert.ok(d.createCourse.id);
    assert.equal(await sql(ddir, "SELECT count(*) FROM audit_events WHERE action = 'course.create'"), '1');
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test('migrate --from/--to refuses bad input with a clear error and changes nothing', async () => {
  const src = await sourceInstance();
  const out = makeTempDir('lectern-e2e52-bad-');
  const dst = path.join(out, 'dst.db');
  const cases = [
    [['--from', src.url], 2, /--from needs --to URL \(postgres:\/\/USER@HOST\/DB or sqlite:PATH/],
    [['--to', `sqlite:${dst}`], 2, /--to needs --from sqlite:PATH/],
    [['--from', src.url, '--to', 'mysql://root:hunter2@db/lectern'], 2,
      /--to must be postgres:\/\/USER\[:PASSWORD\]@HOST\[:PORT\]\/DB or sqlite:PATH; unknown scheme "mysql"/],
    [['--from', src.db, '--to', `sqlite:${dst}`], 2, /--from must be sqlite:PATH .*: write --from sqlite:/],
    [['--from', 'postgres://u:hunter2@h/db', '--to', `sqlite:${dst}`], 2, /not a "postgres:" URL/],
    [['--from', `sqlite:${path.join(out, 'missing.db')}`, '--to', `sqlite:${dst}`], 1,
      /no database at sqlite:.*missing\.db \(--from\); nothing was changed/],
    [['--from', src.url, '--to', `sqlite:${path.join(out, 'no-dir', 'x.db')}`], 1,
      /cannot create sqlite:.*no-dir\/x\.db \(--to\): its directory does not exist/],
    [['--from', src.url, '--to', `sqlite:${src.dir}/../${path.basename(src.dir)}/lectern.db`], 2,
      /--from and --to name the same database/],
  ];
  for (const [args, code, re] of cases) {
    const r = await runLectern(['migrate', ...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2/, 'no password in messages');
    assert.deepEqual(fs.readdirSync(out), [], `${args.join(' ')} left something behind`);
  }

  // A source that says it is one migration behind (its last row in schema_migrations gone).
  const last = (await sql(src.dir, 'SELECT version, name, applied_at FROM schema_migrations'
    + ' ORDER BY version DESC LIMIT 1')).split('|');
  const v = Number(last[0]);
  await sql(src.dir, `DELETE FROM schema_migrations WHERE version = ${v}`);
  let r = await runLectern(['migrate', '--from', src.url, '--to', `sqlite:${dst}`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`has schema version ${v - 1}, this binary's is ${v}: run \`lectern migrate --store sqlite:.*\` on it first; nothing was changed`));
  assert.deepEqual(fs.readdirSync(out), []);
  await sql(src.dir, `INSERT INTO schema_migrations VALUES (${v}, '${last[1]}', ${last[2]})`);

  // A destination that holds a tenant, and one newer than the binary: refused, unchanged.
  const other = await sourceInstance();
  const before = await sql(other.dir, 'SELECT count(*) FROM users');
  r = await runLectern(['migrate', '--from', src.url, '--to', other.url]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already holds 1 tenant/);
  assert.equal(await sql(other.dir, 'SELECT count(*) FROM users'), before);
  assert.equal(await sql(other.dir, 'SELECT count(*) FROM tenants'), '1');

  // After all that, the move goes through.
  assertMoveOk(await runLectern(['migrate', '--from', src.url, '--to', `sqlite:${dst}`]), 1);
});

test('migrate --from sqlite --to postgres: the database serves logins and tokens made before the move',
  { skip: !onPostgres && 'LECTERN_TEST_PG is not set' }, async () => {
    const src = await sourceInstance();
    const url = await createDatabase('lectern_e2e_move');
    const started = Date.now();
    const r = await runLectern(['migrate', '--from', src.url, '--to', url]);
    const rows = assertMoveOk(r, 1);
    console.log(`move to PostgreSQL: ${Object.values(rows).reduce((n, x) => n + (x.dest ?? 0), 0)} rows, ${Date.now() - started} ms (command)`);

    // Every row, ids included, with text and hashes exactly as they were.
    const pgdir = makeTempDir('lectern-e2e52-pg-');
    bindStore(pgdir, url);
    for (const [t, cols] of [
      ['tenants', 'id, slug, name, status, created_at, updated_at, rate_limit, rate_window_s'],
      ['users', 'id, tenant_id, email, name, status, password_hash, failed_logins, created_at'],
      ['roles', 'id, tenant_id, name, description, builtin, created_at'],
      ['user_roles', 'tenant_id, user_id, role_id, created_at'],
      ['developer_tokens', 'id, tenant_id, creator_user_id, name, hint, status, permissions, created_at'],
      ['audit_events', 'id, tenant_id, actor_user_id, actor_token_id, action, target_type, target_id, ip, detail, created_at'],
    ]) {
      const q = `SELECT ${cols} FROM ${t} ORDER BY 1, 2, 3`;
      assert.equal(await sql(pgdir, q), await sql(src.dir, q), t);
    }
    assert.equal(await sql(pgdir, "SELECT encode(token_hash, 'hex') FROM developer_tokens"),
      await sql(src.dir, 'SELECT lower(hex(token_hash)) FROM developer_tokens'));

    const again = await runLectern(['migrate', '--from', src.url, '--to', url]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds 1 tenant/);

    const srv = await serveStore(url);
    try {
      const view = await tenantView(srv, src.token);
      assert.deepEqual(view.users, ['admin@acme.test', 'learner@acme.test']);
      const session = await login(srv, 'acme', 'admin@acme.test', PASSWORD);
      const maxUser = Number(await sql(pgdir, 'SELECT max(id) FROM users'));
      await ok(srv, 'mutation { createUser(input: {email: "after@acme.test", name: "After"}) { id } }',
        null, { session });
      assert.ok(Number(await sql(pgdir, "SELECT id FROM users WHERE email = 'after@acme.test'")) > maxUser);
    } finally {
      assert.equal(await srv.stop(), 0);
    }

    const b = await runLectern(['backup', '--store', url, '--to', path.join(pgdir, 'x.db')]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /the store is postgres, .*use pg_dump/);
    assert.equal(fs.existsSync(path.join(pgdir, 'x.db')), false);
  });
