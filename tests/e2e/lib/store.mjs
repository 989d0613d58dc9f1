// SPDX-License-Identifier: MIT
// The store behind each lectern instance of the e2e tests, on either backend. An instance is a
// data directory: every command a test runs on it (init, serve, demo, user, token, tenant,
// migrate) uses the same store. On SQLite that is <data dir>/lectern.db. With LECTERN_TEST_PG
// set to a PostgreSQL base URL (postgres://postgres@127.0.0.1:55400/postgres, from
// scripts/pg-cluster.sh) it is a fresh database per data directory, created on first use with
// postgresql-client's psql and dropped when the test process exits; server.mjs passes its URL
// to each command as LECTERN_STORE. Tests read and change a store with sql() and look for
// secrets at rest with storeContaining(), the same calls on both backends.
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const PG_BASE = process.env.LECTERN_TEST_PG || '';
export const onPostgres = PG_BASE !== '';
export const backend = onPostgres ? 'postgres' : 'sqlite';

// Data directory (resolved) -> its database's URL: a promise while it is being created, and
// the URL itself once it exists.
const pending = new Map();
const resolved = new Map();
const created = [];
const runId = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
let seq = 0;

// The URL of database `name` on the cluster of base.
export function pgUrl(name, base = PG_BASE) {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

// Runs psql on `url` (no .psqlrc, stop at the first error, unaligned tuples only: one row a
// line, columns joined by "|", as the sqlite3 CLI prints them). Resolves stdout.
export async function psql(url, args) {
  const { stdout } = await execFileP('psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args],
    { encoding: 'utf8', maxBuffer: 256 << 20 });
  return stdout;
}

// Creates a new empty database on the cluster of base; resolves its URL.
export async function createDatabase(prefix = 'lectern_e2e', base = PG_BASE) {
  const name = `${prefix}_${runId}_${++seq}`;
  await psql(base, ['-c', `CREATE DATABASE "${name}"`]);
  if (base === PG_BASE) {
    created.push(name);
    dropCreatedOnExit();
  }
  return pgUrl(name, base);
}

// The databases this process created go when it exits (also after a failure), connections and
// all. Registered on the first creation, so after server.mjs's own exit handler, which kills the
// servers still running first; WITH (FORCE) ends a backend that lingers.
let dropOnExit = false;
function dropCreatedOnExit() {
  if (dropOnExit) return;
  dropOnExit = true;
  process.on('exit', () => {
    if (!created.length || process.env.LECTERN_E2E_KEEP) return;
    const args = ['-X', '-q', '-d', PG_BASE];
    for (const name of created) args.push('-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    try {
      execFileSync('psql', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30000 });
    } catch (err) {
      process.stderr.write(`e2e: could not drop the test databases ${created.join(', ')}: ${err.message}\n`);
    }
  });
}

// Makes dataDir an instance of the store at url (another node on the same database, or a
// database of another cluster): storeOf(dataDir) answers url from now on.
export function bindStore(dataDir, url) {
  const key = path.resolve(dataDir);
  pending.set(key, Promise.resolve(url));
  resolved.set(key, url);
}

// Makes dataDir an instance whose store does not exist: on SQLite a data directory without
// lectern.db is that already; on PostgreSQL it is bound to a database that was never created.
export function bindMissingStore(dataDir) {
  if (onPostgres) bindStore(dataDir, pgUrl(`lectern_e2e_missing_${runId}_${++seq}`));
}

// Whether the instance's store exists: <data dir>/lectern.db, or its PostgreSQL database.
export async function storeExists(dataDir) {
  const url = await storeOf(dataDir);
  if (!isPg(url)) return fs.existsSync(url.replace(/^sqlite:/, ''));
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const base = new URL(url);
  base.pathname = '/postgres';
  return (await psql(base.toString(), ['-c', `SELECT count(*) FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`])).trim() === '1';
}

// The store URL of the instance whose data directory is dataDir: on PostgreSQL its own
// database, created on the first call; on SQLite the file in the data directory.
export async function storeOf(dataDir) {
  const key = path.resolve(dataDir);
  if (resolved.has(key)) return resolved.get(key);
  if (!onPostgres) return `sqlite:${path.join(key, 'lectern.db')}`;
  let p = pending.get(key);
  if (!p) {
    // A second caller waits for the same database.
    p = createDatabase().then((url) => {
      resolved.set(key, url);
      return url;
    });
    pending.set(key, p);
  }
  return p;
}

// The environment that points a command at dataDir's store: {LECTERN_STORE: url} on
// PostgreSQL or when the data directory was bound to a store (bindStore); {} otherwise (on
// SQLite the data directory says it all).
export async function storeEnv(dataDir) {
  const key = path.resolve(dataDir);
  if (resolved.has(key)) return { LECTERN_STORE: resolved.get(key) };
  return onPostgres ? { LECTERN_STORE: await storeOf(dataDir) } : {};
}

const isPg = (url) => /^postgres(ql)?:/i.test(url);

// The data directory of a lectern command line (`--data-dir DIR` or `--data-dir=DIR`), or null.
export function dataDirOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir' && i + 1 < args.length) return args[i + 1];
    if (typeof args[i] === 'string' && args[i].startsWith('--data-dir=')) return args[i].slice(11);
  }
  return null;
}

// Runs one SQL statement on the instance's store; returns its output trimmed (rows a line,
// columns joined by "|"). Write it in the SQL both backends accept; booleans are best cast to
// INTEGER (CAST(x IS NULL AS INTEGER)) so that both print 0/1.
export async function sql(dataDir, query) {
  const url = await storeOf(dataDir);
  if (!isPg(url)) {
    return execFileSync('sqlite3', [url.replace(/^sqlite:/, ''), query], { encoding: 'utf8' }).trim();
  }
  return (await psql(url, ['-c', query])).trim();
}

// The names of the tables in the instance's store (an uninitialised store has none).
export async function storeTables(dataDir) {
  const url = await storeOf(dataDir);
  if (!isPg(url)) {
    if (!fs.existsSync(url.replace(/^sqlite:/, ''))) return [];
    return (await sql(dataDir, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")).split('\n').filter(Boolean);
  }
  return (await sql(dataDir,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).split('\n').filter(Boolean);
}

// Every place at rest where `needle` (a string or Buffer) is found: the files under dataDir
// (recursively; none when it does not exist) and, on PostgreSQL, the instance's database as
// pg_dump writes it (plain SQL; bytea appears as hex) — reported as "postgres:<database>".
export function storeContaining(dataDir, needle) {
  const n = Buffer.isBuffer(needle) ? needle : Buffer.from(needle);
  const hits = [];
  if (fs.existsSync(dataDir)) {
    for (const e of fs.readdirSync(dataDir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const p = path.join(e.parentPath ?? e.path, e.name);
      if (fs.readFileSync(p).includes(n)) hits.push(p);
    }
  }
  // No database yet means no command ran on this instance: nothing at rest.
  const url = resolved.get(path.resolve(dataDir));
  if (url && isPg(url)) {
    if (pgDump(url).includes(n)) hits.push(`postgres:${new URL(url).pathname.slice(1)}`);
  }
  return hits;
}

// The whole database as pg_dump prints it (schema and data, plain format).
export function pgDump(url) {
  return execFileSync('pg_dump', ['--no-owner', '--no-privileges', '-d', url],
    { maxBuffer: 1 << 30 });
}
