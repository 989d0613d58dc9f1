// SPDX-License-Identifier: MIT
// Starts bench/songs' songs-server (lectern's engine, HTTP server and GraphQL-over-HTTP handler
// on the songs schema) for the GraphQL conformance tests, and the graphql-js reference server
// of the same schema and data. songs-server has no "listening" log line to read a port 0 back
// from, so the port is picked here: bind port 0, close, hand the number to the server; retried
// when the server loses the race for it. The binary is $SONGS_BIN, or songs-server next to
// $LECTERN_BIN in the same build tree.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { lecternBin, repoRoot, sleep } from './server.mjs';

export const songsBin = process.env.SONGS_BIN
  ? path.resolve(process.env.SONGS_BIN)
  : path.join(path.dirname(lecternBin), 'bench', 'songs', 'songs-server');

// A file of this repository by its path from the root.
export const repoFile = (p) => path.join(repoRoot, p);

const STARTUP_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;
const PORT_ATTEMPTS = 8;

export const GQL_MEDIA = 'application/graphql-response+json';

const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

// A TCP port that was free a moment ago on 127.0.0.1.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// POSTs a GraphQL request; resolves {status, headers, body (parsed JSON or null), text}.
export async function postGraphQL(url, body, { accept = GQL_MEDIA } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; the caller looks at text
  }
  return { status: res.status, headers: res.headers, body: json, text };
}

// One attempt on one port. Resolves the server, or rejects with err.portLost = true when the
// process exited before answering (most likely: someone else took the port meanwhile).
async function startOn(port, threads) {
  const proc = spawn(songsBin, ['--listen', `127.0.0.1:${port}`, '--threads', String(threads)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let output = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (output += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (output += d));
  let spawnError = null;
  proc.on('error', (err) => (spawnError = err));
  const exited = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  const alive = () => proc.exitCode === null && proc.signalCode === null && !spawnError;
  const url = `http://127.0.0.1:${port}/graphql`;

  const stop = async (signal = 'SIGTERM') => {
    if (alive()) proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const { code, signal: sig } = await exited;
    clearTimeout(timer);
    return code !== null ? code : 128 + ({ SIGTERM: 15, SIGKILL: 9, SIGINT: 2 }[sig] ?? 0);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (spawnError) {
      throw new Error(`cannot run ${songsBin}: ${spawnError.message} (build the songs-server ` +
        'target next to lectern, or set SONGS_BIN)');
    }
    if (!alive()) {
      await exited;
      const err = new Error(`songs-server exited (code ${proc.exitCode}, signal ` +
        `${proc.signalCode}) before answering on port ${port}:\n${output}`);
      err.portLost = /cannot listen|in use/i.test(output);
      throw err;
    }
    try {
      const r = await postGraphQL(url, { query: '{ __typename }' });
      // The answer must come from our process: lectern's HTTP server stamps X-Request-Id,
      // and our process must still be alive (had it lost the port, it would be exiting).
      if (r.status === 200 && r.body?.data?.__typename === 'Query' &&
          r.headers.get('x-request-id')) {
        await sleep(20);
        if (alive()) break;
      }
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`songs-server did not answer within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(25);
  }
  return { url, port, proc, output: () => output, alive, stop };
}

// Starts songs-server on a free port of 127.0.0.1 with fresh data. Resolves {url, port, stop(),
// alive(), output()}; url is the /graphql endpoint; stop() resolves with the exit code.
export async function startSongs({ threads = 2 } = {}) {
  let lastErr;
  for (let i = 0; i < PORT_ATTEMPTS; i++) {
    const port = await freePort();
    try {
      return await startOn(port, threads);
    } catch (err) {
      lastErr = err;
      if (!err.portLost) throw err;
    }
  }
  throw lastErr;
}
