// SPDX-License-Identifier: MIT
// The HTTP layer as a client meets it: health routes, 404/405 errors, the body and header
// limits, malformed and slow clients, keep-alive, the access log, and graceful shutdown.
// After every abuse case a normal request must still work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rawConnect, sleep, startLectern } from './lib/server.mjs';

const BODY_LIMIT = 1024;

async function assertHealthy(srv) {
  const res = await fetch(`${srv.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
}

function assertJsonError(res, body, code) {
  assert.match(res.headers['content-type'] ?? res.headers.get?.('content-type') ?? '',
    /^application\/json/);
  const doc = typeof body === 'string' ? JSON.parse(body) : body;
  assert.equal(doc.error.code, code);
  assert.equal(typeof doc.error.message, 'string');
  assert.ok(doc.error.message.length > 0);
  return doc;
}

// Sends bytes on a fresh connection and resolves with the first response.
async function exchange(port, data, { timeoutMs = 10000, head = false } = {}) {
  const raw = await rawConnect(port);
  try {
    await raw.write(data);
    return await raw.response(timeoutMs, { head });
  } finally {
    raw.close();
  }
}

describe('routes, errors and limits', () => {
  let srv;
  before(async () => {
    srv = await startLectern({ args: ['--max-body-bytes', String(BODY_LIMIT)] });
  });
  after(async () => {
    assert.equal(await srv.stop(), 0);
  });

  test('GET /healthz and /readyz answer 200 JSON with a request id', async () => {
    const ids = new Set();
    for (const p of ['/healthz', '/readyz']) {
      const res = await fetch(srv.url + p);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
      ids.add(res.headers.get('x-request-id'));
      const doc = await res.json();
      assert.equal(typeof doc.status, 'string');
    }
    assert.equal(ids.size, 2);
    const listening = srv.records().find((r) => r.event === 'http.listening');
    assert.equal(listening.host, '127.0.0.1');
    assert.equal(listening.port, srv.port);
    assert.ok(Number.isInteger(listening.threads) && listening.threads >= 1);
  });

  test('HEAD /healthz answers 200 with no body', async () => {
    const res = await fetch(`${srv.url}/healthz`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
    const r = await exchange(srv.port, 'HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
      { head: true });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '15');
    assert.equal(r.rest.length, 0);
  });

  test('an unknown path is a 404 with a JSON error naming it', async () => {
    const res = await fetch(`${srv.url}/no/such/thing?x=1`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
    const doc = assertJsonError(res, await res.json(), 'NOT_FOUND');
    assert.match(doc.error.message, /\/no\/such\/thing/);
    assert.doesNotMatch(doc.error.message, /x=1/);
    // a path with quotes and control bytes still yields valid JSON
    const r = await exchange(srv.port, 'GET /"a\\b%00%0a HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(r.status, 404);
    assertJsonError(r, r.body, 'NOT_FOUND');
    await assertHealthy(srv);
  });

  test('a wrong method is a 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await fetch(`${srv.url}/healthz`, { method });
      assert.equal(res.status, 405, method);
      const allow = res.headers.get('allow').split(/,\s*/).sort();
      assert.deepEqual(allow, ['GET', 'HEAD']);
      assertJsonError(res, await res.json(), 'METHOD_NOT_ALLOWED');
    }
    // a method no route knows
    const r = await exchange(srv.port, 'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(r.status, 405);
    assert.match(r.headers.allow, /GET/);
    await assertHealthy(srv);
  });

  test('keep-alive: several requests on one connection', async () => {
    const raw = await rawConnect(srv.port);
    try {
      const ids = [];
      for (let i = 0; i < 3; i++) {
        await raw.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
        const deadline = Date.now() + 5000;
        for (;;) {
          const text = raw.received().toString('latin1');
          const found = text.match(/X-Request-Id: ([0-9a-f]{16})/gi) ?? [];
          if (found.length === i + 1 && text.endsWith('{"status":"ok"}')) break;
          assert.ok(Date.now() < deadline, `response ${i + 1} did not arrive: ${text}`);
          await sleep(10);
        }
        assert.ok(!raw.sock.destroyed, 'the server closed a keep-alive connection');
      }
      const text = raw.received().toString('latin1');
      for (const m of text.matchAll(/X-Request-Id: ([0-9a-f]{16})/gi)) ids.push(m[1]);
      assert.equal(new Set(ids).size, 3);
      assert.doesNotMatch(text, /Connection: close/i);
      // two requests sent together (pipelined) are answered in order
      const before = raw.received().length;
      await raw.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n');
      const deadline = Date.now() + 5000;
      while (!/404 Not Found[\s\S]*NOT_FOUND"[^}]*}}$/.test(
        raw.received().subarray(before).toString('latin1'))) {
        assert.ok(Date.now() < deadline, raw.received().subarray(before).toString('latin1'));
        await sleep(10);
      }
      assert.match(raw.received().subarray(before).toString('latin1'), /^HTTP\/1\.1 200/);
    } finally {
      raw.close();
    }
  });

  test('a body within the limit is read (405 here, not 413)', async () => {
    const res = await fetch(`${srv.url}/healthz`, { method: 'POST', body: 'x'.repeat(BODY_LIMIT) });
    assert.equal(res.status, 405);
    await res.arrayBuffer();
    await assertHealthy(srv);
  });

  test('a declared Content-Length over the limit gets 413 before the body is sent', async () => {
    const r = await exchange(srv.port,
      `POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: ${BODY_LIMIT + 1}\r\n\r\n`);
    assert.equal(r.status, 413);
    const doc = assertJsonError(r, r.body, 'PAYLOAD_TOO_LARGE');
    assert.match(doc.error.message, new RegExp(`\\b${BODY_LIMIT} bytes\\b`));
    assert.match(r.headers['x-request-id'], /^[0-9a-f]{16}$/);
    // A Content-Length too big for any integer is refused as cleanly.
    const huge = await exchange(srv.port,
      'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n');
    assert.equal(huge.status, 413);
    await assertHealthy(srv);
  });

  test('fetch with a body over the limit gets 413', async () => {
    const res = await fetch(`${srv.url}/healthz`, {
      method: 'POST',
      body: 'y'.repeat(BODY_LIMIT * 2),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assertJsonError(res, await res.json(), 'PAYLOAD_TOO_LARGE');
    await assertHealthy(srv);
  });

  test('a chunked body over the limit gets 413', async () => {
    const chunk = 'z'.repeat(400);
    const chunks = Array.from({ length: 4 }, () => `${(400).toString(16)}\r\n${chunk}\r\n`);
    const r = await exchange(srv.port,
      'POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
      chunks.join('') + '0\r\n\r\n');
    assert.equal(r.status, 413);
    const doc = assertJsonError(r, r.body, 'PAYLOAD_TOO_LARGE');
    assert.match(doc.error.message, new RegExp(`\\b${BODY_LIMIT} bytes\\b`));

    // The same from a streaming fetch (no Content-Length).
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const res = await fetch(`${srv.url}/healthz`, { method: 'POST', body, duplex: 'half' });
    assert.equal(res.status, 413);
    assertJsonError(res, await res.json(), 'PAYLOAD_TOO_LARGE');

    // A chunked body within the limit is fine.
    const ok = await exchange(srv.port,
      'POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
      `5\r\nhello\r\n0\r\n\r\n`);
    assert.equal(ok.status, 405);
    await assertHealthy(srv);
  });

  test('oversized headers get 431', async () => {
    // Just past max_header_bytes (16 KiB by default): lectern's own JSON 431.
    const res = await fetch(`${srv.url}/healthz`, { headers: { 'x-big': 'a'.repeat(17 * 1024) } });
    assert.equal(res.status, 431);
    const doc = assertJsonError(res, await res.json(), 'REQUEST_HEADER_FIELDS_TOO_LARGE');
    assert.match(doc.error.message, /16384 bytes/);
    await assertHealthy(srv);

    // Far past it: the HTTP library refuses the head itself, still with a clean 4xx.
    const r = await exchange(srv.port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(200 * 1024)}\r\n\r\n`);
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
    // A request line that long gets a 4xx (414) too.
    const u = await exchange(srv.port, `GET /${'c'.repeat(200 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.ok(u.status >= 400 && u.status < 500, `status ${u.status}`);
    await assertHealthy(srv);
  });

  test('a malformed request gets a 400 and the server keeps serving', async () => {
    for (const bad of [
      'GET / FOO\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/x.y\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n',
      'POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    ]) {
      const r = await exchange(srv.port, bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      await assertHealthy(srv);
    }
    // Lines that are not HTTP at all: the server hangs up (with or without a 400) and lives on.
    for (const junk of ['GARBAGE\r\n\r\n', Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)),
      '\r\n\r\n\r\n', 'GET\r\n\r\n']) {
      const raw = await rawConnect(srv.port);
      await raw.write(junk);
      raw.end();
      await Promise.race([raw.closed, sleep(3000)]);
      const text = raw.received().toString('latin1');
      assert.ok(text === '' || /^HTTP\/1\.1 4\d\d /.test(text), text);
      raw.close();
      await assertHealthy(srv);
    }
  });

  test('slow clients do not block other requests', async () => {
    const slow = [];
    for (let i = 0; i < 16; i++) {
      const raw = await rawConnect(srv.port);
      await raw.write(i % 2 ? 'GET /heal' : 'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab');
      slow.push(raw);
    }
    try {
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 20 }, () => assertHealthy(srv)));
      assert.ok(Date.now() - t0 < 3000, `20 requests took ${Date.now() - t0} ms`);
    } finally {
      for (const raw of slow) raw.close();
    }
    await assertHealthy(srv);
  });

  test('access log: one JSON line per request, no header values, no query string', async () => {
    const res = await fetch(`${srv.url}/healthz?access_token=query-secret-abc`, {
      headers: {
        authorization: 'Bearer secret-xyz',
        cookie: 'session=cookie-secret-123',
      },
    });
    assert.equal(res.status, 200);
    const id = res.headers.get('x-request-id');
    await res.arrayBuffer();
    const rec = await srv.waitForLog((r) => r.event === 'http.access' && r.request_id === id);
    assert.equal(rec.method, 'GET');
    assert.equal(rec.path, '/healthz');
    assert.equal(rec.status, 200);
    assert.equal(rec.bytes, '{"status":"ok"}'.length);
    assert.equal(typeof rec.duration_us, 'number');
    assert.ok(rec.duration_us >= 0);
    assert.equal(rec.ip, '127.0.0.1');
    assert.equal(rec.level, 'info');
    assert.match(rec.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const bad = await fetch(`${srv.url}/missing`, {
      method: 'POST', body: 'body-secret-456', headers: { authorization: 'Bearer secret-xyz' },
    });
    const badId = bad.headers.get('x-request-id');
    await bad.arrayBuffer();
    const rec404 = await srv.waitForLog((r) => r.event === 'http.access' && r.request_id === badId);
    assert.equal(rec404.status, 404);
    assert.equal(rec404.method, 'POST');
    assert.equal(rec404.path, '/missing');
    assert.ok(rec404.bytes > 0);

    for (const line of srv.logs()) {
      assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
      for (const secret of ['secret-xyz', 'query-secret-abc', 'cookie-secret-123', 'body-secret-456']) {
        assert.ok(!line.includes(secret), `a log line leaks ${secret}: ${line}`);
      }
    }
    // Every access line has the same fields.
    const access = srv.records().filter((r) => r.event === 'http.access');
    assert.ok(access.length > 10);
    for (const r of access) {
      for (const k of ['path', 'status', 'bytes', 'duration_us', 'request_id', 'ip']) {
        assert.ok(k in r, `${k} missing in ${JSON.stringify(r)}`);
      }
    }
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM during a request: it still gets its response, then exit 0', async () => {
    const srv = await startLectern();
    const body = 'a'.repeat(20);
    const raw = await rawConnect(srv.port);
    await raw.write(`POST /e2e-slow-post HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    await sleep(300); // let the server read the head
    srv.proc.kill('SIGTERM');
    await srv.waitForLog((r) => r.event === 'http.signal' || r.event === 'server.shutdown');
    await sleep(300);
    assert.equal(srv.proc.exitCode, null, 'the server exited with a request in flight');
    // No new connections while draining.
    await assert.rejects(new Promise((resolve, reject) => {
      const c = net.connect({ port: srv.port, host: '127.0.0.1' });
      c.once('connect', () => {
        c.destroy();
        resolve();
      });
      c.once('error', reject);
    }), /ECONNREFUSED|ECONNRESET/);
    await raw.write(body.slice(10));
    const r = await raw.response();
    assert.equal(r.status, 404);
    assertJsonError(r, r.body, 'NOT_FOUND');
    assert.match(r.headers.connection ?? '', /close/i);
    raw.close();
    assert.equal(await srv.stop(), 0);
    const drained = srv.records().find((x) => x.event === 'http.drained');
    assert.ok(drained, 'no http.drained line');
    assert.equal(drained.abandoned, 0);
  });

  test('SIGTERM and SIGINT with idle keep-alive connections exit 0 promptly', async () => {
    for (const sig of ['SIGTERM', 'SIGINT']) {
      const srv = await startLectern();
      const idle = await rawConnect(srv.port);
      await idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await idle.response();
      const slow = await rawConnect(srv.port);
      await slow.write('GET /hea');
      const t0 = Date.now();
      assert.equal(await srv.stop(sig), 0, sig);
      assert.ok(Date.now() - t0 < 3000, `${sig}: shutdown took ${Date.now() - t0} ms`);
      await idle.closed;
      await slow.closed;
    }
  });

  test('a request that never finishes is abandoned after --shutdown-timeout-s', async () => {
    const srv = await startLectern({ args: ['--shutdown-timeout-s', '1'] });
    const raw = await rawConnect(srv.port);
    await raw.write('POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc');
    await sleep(200);
    const t0 = Date.now();
    assert.equal(await srv.stop(), 0);
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 5000, `shutdown took ${took} ms`);
    await raw.closed;
    const drained = srv.records().find((x) => x.event === 'http.drained');
    assert.equal(drained.abandoned, 1);
  });
});

describe('connection limits', () => {
  test('--conn-timeout-s closes a stalled connection and the server keeps serving', async () => {
    const srv = await startLectern({ args: ['--conn-timeout-s', '1'] });
    try {
      const raw = await rawConnect(srv.port);
      await raw.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      const t0 = Date.now();
      await Promise.race([raw.closed, sleep(5000)]);
      assert.ok(raw.sock.destroyed, 'stalled connection still open after 5 s');
      assert.ok(Date.now() - t0 < 4000);
      // On a fresh connection: a pooled keep-alive one may be closed by the same timeout.
      const r = await exchange(srv.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal(r.status, 200);
      assert.equal(r.headers['keep-alive'], 'timeout=1');
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('--max-connections: connections past the limit are refused, then service resumes', async () => {
    const srv = await startLectern({ args: ['--max-connections', '4', '--threads', '1'] });
    try {
      const held = [];
      for (let i = 0; i < 4; i++) {
        const raw = await rawConnect(srv.port);
        await raw.write('GET /hea');
        held.push(raw);
      }
      await sleep(100);
      // The fifth is accepted by the kernel and closed by the server without an answer.
      const extra = await rawConnect(srv.port);
      await extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await Promise.race([extra.closed, sleep(3000)]);
      assert.ok(extra.sock.destroyed, 'a connection past the limit was kept open');
      assert.equal(extra.received().length, 0);
      for (const raw of held) raw.close();
      await sleep(200);
      await assertHealthy(srv);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });
});

describe('listening', () => {
  test('serves on IPv6 when asked', async (t) => {
    let srv;
    try {
      srv = await startLectern({ args: ['--listen', '[::1]:0'] });
    } catch (err) {
      if (/Cannot assign requested address|Address family not supported/.test(err.message)) {
        t.skip('no IPv6 loopback here');
        return;
      }
      throw err;
    }
    try {
      assert.equal(srv.url, `http://[::1]:${srv.port}`);
      const res = await fetch(`${srv.url}/healthz`);
      assert.equal(res.status, 200);
      const id = res.headers.get('x-request-id');
      await res.arrayBuffer();
      const rec = await srv.waitForLog((r) => r.event === 'http.access' && r.request_id === id);
      assert.equal(rec.ip, '::1');
      assert.equal(srv.records().find((r) => r.event === 'http.listening').host, '::1');
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('a port in use is a clear startup error', async () => {
    const first = await startLectern();
    try {
      await assert.rejects(
        startLectern({ args: ['--listen', `127.0.0.1:${first.port}`] }),
        (err) => {
          assert.match(err.message, /exited \(code [1-9]/);
          assert.match(err.message, /"event":"http\.bind"/);
          assert.match(err.message, /Address already in use/);
          return true;
        });
      await assertHealthy(first);
    } finally {
      assert.equal(await first.stop(), 0);
    }
  });
});
