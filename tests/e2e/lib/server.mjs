// SPDX-License-Identifier: MIT
// End-to-end harness: runs the real `lectern` binary on a temporary data directory and a free
// port, the way an operator would (init, then serve), and talks to it like a client. Node 20,
// no dependencies. The binary is $LECTERN_BIN, or build/debug/lectern in this repository.
// With LECTERN_TEST_PG set (a PostgreSQL base URL) each data directory's commands share a fresh
// database of their own instead of <data dir>/lectern.db (lib/store.mjs): every lectern command
// started here that names a --data-dir gets it as LECTERN_STORE, unless it names a store itself.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bindStore, dataDirOf, storeEnv, storeOf } from './store.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const lecternBin = process.env.LECTERN_BIN
  ? path.resolve(process.env.LECTERN_BIN)
  : path.join(repoRoot, 'build', 'debug', 'lectern');

export const TENANT = 'acme';
export const ADMIN_EMAIL = 'admin@acme.test';
export const ADMIN_PASSWORD = 'e2e admin password, long enough';

const STARTUP_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 30000;

// Servers still running and directories still on disk when the test process ends.
const live = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  if (!process.env.LECTERN_E2E_KEEP) {
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => process.exit(130));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The environment a child gets: ours without LECTERN_* (so that an operator's settings cannot
// leak into a test), plus the test's own.
function childEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('LECTERN_')) out[k] = v;
  }
  return { ...out, ...env };
}

// The environment of a lectern command line: env, plus the store of its data directory when it
// names one and no store of its own (--store, or LECTERN_STORE in env).
async function commandEnv(args, env) {
  if ('LECTERN_STORE' in env || args.some((a) => a === '--store' || String(a).startsWith('--store='))) {
    return env;
  }
  const dir = dataDirOf(args);
  return dir === null ? env : { ...(await storeEnv(dir)), ...env };
}

export function makeTempDir(prefix = 'lectern-e2e-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

// Runs the CLI to completion. Resolves {code, signal, stdout, stderr}; never rejects for a
// non-zero exit (tests assert on code). `input` is written to stdin.
export async function runLectern(args, { env = {}, input, timeoutMs = 60000, cwd } = {}) {
  const cmdEnv = await commandEnv(args, env);
  return new Promise((resolve, reject) => {
    const p = spawn(lecternBin, args, { env: childEnv(cmdEnv), cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(p);
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (err) => {
      clearTimeout(timer);
      live.delete(p);
      reject(new Error(`cannot run ${lecternBin}: ${err.message}`));
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(p);
      resolve({ code, signal, stdout, stderr });
    });
    p.stdin.on('error', () => {}); // the child may exit without reading
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

function configText(config) {
  if (typeof config === 'string') return config;
  return Object.entries(config)
    .map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}\n`)
    .join('');
}

// Starts a server: `lectern init` on a fresh data directory, then `lectern serve` on
// 127.0.0.1:0. `config` (object of key = value, or file text) becomes a configuration file
// passed to both commands; `args` are extra flags for serve; `env` extra environment.
// `store`: serve (and init) this store URL instead of the instance's own (another node of a
// cluster: pass the first node's `server.store` and init: false); commands run later with
// --data-dir server.dataDir use it too. Resolves once /readyz answers 200. The server's
// `store` is its store URL (sqlite:<data dir>/lectern.db or the PostgreSQL database's).
export async function startLectern({ config, env = {}, args = [], init = true, store } = {}) {
  const dataDir = makeTempDir();
  if (store !== undefined) bindStore(dataDir, store);
  const storeUrl = await storeOf(dataDir);
  const common = [];
  if (config !== undefined) {
    const file = path.join(dataDir, 'lectern.conf');
    fs.writeFileSync(file, configText(config));
    common.push('--config', file);
  }
  if (init) {
    const r = await runLectern(
      ['init', '--data-dir', dataDir, '--tenant', TENANT, '--admin-email', ADMIN_EMAIL, ...common],
      { env: { LECTERN_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env } });
    if (r.code !== 0) {
      throw new Error(`lectern init failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    }
  }

  const serveArgs = ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...common, ...args];
  const proc = spawn(lecternBin, serveArgs,
    { env: childEnv(await commandEnv(serveArgs, env)), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  const lines = [];
  let stdout = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  const exited = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  const spawnError = new Promise((_, reject) => proc.on('error', reject));
  spawnError.catch(() => {});

  let listenHost = '127.0.0.1';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no http.listening log line within ${STARTUP_TIMEOUT_MS} ms:\n` +
        lines.join('\n'))),
      STARTUP_TIMEOUT_MS);
    const rl = readline.createInterface({ input: proc.stderr, crlfDelay: Infinity });
    rl.on('line', (line) => {
      lines.push(line);
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        return;
      }
      if (rec && rec.event === 'http.listening' && typeof rec.port === 'number') {
        clearTimeout(timer);
        listenHost = rec.host;
        resolve(rec.port);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`lectern serve exited (code ${code}, signal ${signal}) before ` +
        `listening:\n${lines.join('\n')}`));
    });
    spawnError.catch((err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${lecternBin}: ${err.message}`));
    });
  });

  // Where a client reaches it: the wildcard addresses mean this host's loopback.
  let host = listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost === '::' ? '::1' : listenHost;
  host = host.replace(/^\[(.*)\]$/, '$1');
  const url = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  const server = {
    url,
    host,
    port,
    proc,
    dataDir,
    store: storeUrl,
    exited,
    logs: () => lines.slice(),
    stdout: () => stdout,
    // Parsed JSON log records so far (lines that are not JSON are skipped).
    records: () => lines.flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    }),
    // Waits until a log record satisfies pred; resolves with it.
    async waitForLog(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = server.records().find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) {
          throw new Error(`no matching log record within ${timeoutMs} ms:\n${lines.join('\n')}`);
        }
        await sleep(20);
      }
    },
    // Sends `signal` (unless the process already ended) and resolves with the exit code
    // (128 + signal number when it died of a signal).
    async stop(signal = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const { code, signal: sig } = await exited;
      clearTimeout(timer);
      if (code !== null) return code;
      return 128 + (os.constants.signals[sig] ?? 0);
    },
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      await server.stop('SIGKILL');
      throw new Error(`/readyz did not answer 200 within ${STARTUP_TIMEOUT_MS} ms:\n` +
        lines.join('\n'));
    }
    await sleep(50);
  }
  return server;
}

// A raw TCP exchange for what fetch cannot send (malformed requests, stalls, exact bytes).
// Opens a connection to port; `raw.write(bytes)`, `raw.end()`, `raw.close()`; `raw.received()`
// is every byte so far; `await raw.closed` resolves when the server closes (or on an error:
// `raw.error`); `await raw.response()` resolves with the first complete response parsed.
export async function rawConnect(port, host = '127.0.0.1') {
  const sock = net.connect({ port, host });
  await new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  let buf = Buffer.alloc(0);
  const waiters = new Set();
  const raw = {
    sock,
    error: null,
    write: (data) => new Promise((resolve) => sock.write(data, () => resolve())),
    end: () => sock.end(),
    close: () => sock.destroy(),
    received: () => buf,
    closed: null,
    // Resolves with the first complete response (status, headers, body) once fully read;
    // `head: true` for the answer to a HEAD request (a Content-Length but no body).
    response(timeoutMs = 10000, { head = false } = {}) {
      return waitUntil(() => parseResponse(buf, { head }), timeoutMs, 'a complete HTTP response');
    },
  };
  raw.closed = new Promise((resolve) => {
    sock.on('close', () => {
      for (const w of waiters) w();
      resolve();
    });
  });
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (const w of waiters) w();
  });
  sock.on('error', (err) => {
    raw.error = err;
  });
  function waitUntil(pred, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const check = () => {
        let v;
        try {
          v = pred();
        } catch (err) {
          cleanup();
          reject(err);
          return;
        }
        if (v) {
          cleanup();
          resolve(v);
        } else if (sock.destroyed) {
          cleanup();
          reject(new Error(`connection closed before ${what}; received: ` +
            JSON.stringify(buf.toString('latin1'))));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} within ${timeoutMs} ms; received: ` +
          JSON.stringify(buf.toString('latin1'))));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }
  return raw;
}

// Parses one HTTP/1.1 response from the start of buf; null until it is complete. Knows
// Content-Length bodies (all lectern sends) and responses that have none.
export function parseResponse(buf, { head: isHead = false } = {}) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(head[0])}`);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const len = !isHead && headers['content-length'] !== undefined
    ? Number(headers['content-length']) : 0;
  if (buf.length < end + 4 + len) return null;
  const body = buf.subarray(end + 4, end + 4 + len).toString('utf8');
  return { status: Number(m[1]), headers, body, rest: buf.subarray(end + 4 + len) };
}

// Spawns `lectern <args>` for a subcommand that serves (serve, demo) and resolves once its
// `http.listening` log line names the port, without running init first or waiting for /readyz.
// Resolves {url, host, port, proc, exited, logs(), records(), stdout(), waitForStdout(re),
// stop(signal)} with the same meanings as startLectern's; rejects when the process exits first.
export async function spawnServing(args, { env = {} } = {}) {
  const proc = spawn(lecternBin, args,
    { env: childEnv(await commandEnv(args, env)), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  const lines = [];
  let stdout = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  const exited = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  const spawnError = new Promise((_, reject) => proc.on('error', reject));
  spawnError.catch(() => {});
  const rl = readline.createInterface({ input: proc.stderr, crlfDelay: Infinity });
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no http.listening log line within ${STARTUP_TIMEOUT_MS} ms:\n` +
        lines.join('\n'))),
      STARTUP_TIMEOUT_MS);
    rl.on('line', (line) => {
      lines.push(line);
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        return;
      }
      if (rec && rec.event === 'http.listening' && typeof rec.port === 'number') {
        clearTimeout(timer);
        resolve(rec);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`lectern ${args[0]} exited (code ${code}, signal ${signal}) before ` +
        `listening:\nstdout:\n${stdout}\nstderr:\n${lines.join('\n')}`));
    });
    spawnError.catch((err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${lecternBin}: ${err.message}`));
    });
  });
  const rec = await listening;
  let host = rec.host === '0.0.0.0' ? '127.0.0.1' : rec.host === '::' ? '::1' : rec.host;
  host = host.replace(/^\[(.*)\]$/, '$1');
  const url = host.includes(':') ? `http://[${host}]:${rec.port}` : `http://${host}:${rec.port}`;
  return {
    url,
    host,
    port: rec.port,
    proc,
    exited,
    logs: () => lines.slice(),
    stdout: () => stdout,
    records: () => lines.flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    }),
    // Waits until stdout matches re; resolves with the match.
    async waitForStdout(re, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = stdout.match(re);
        if (m) return m;
        if (Date.now() > deadline) {
          throw new Error(`stdout did not match ${re} within ${timeoutMs} ms:\n${stdout}`);
        }
        await sleep(20);
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const { code, signal: sig } = await exited;
      clearTimeout(timer);
      if (code !== null) return code;
      return 128 + (os.constants.signals[sig] ?? 0);
    },
  };
}
