// SPDX-License-Identifier: MIT
// Prometheus /metrics (docs/deploy.md, Monitoring): off unless metrics_listen names a listener of
// its own, never on the API's; the text exposition format 0.0.4, read back by a parser that
// checks every line; counters that move by exactly the requests a client sent; no secret and no
// per-tenant label in it. A request is counted once its response has been sent, so each check
// scrapes until the counter has caught up (a wait for an event, not a timing assertion).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, createToken, gql, login,
} from './lib/api.mjs';
import { runLectern, sleep, startLectern } from './lib/server.mjs';

// Parses the text format strictly: HELP and TYPE once per family and before its samples, every
// sample line `name{label="value",...} number`, names and labels well formed, samples of a
// family together. Returns { types, help, samples: [{ name, labels, value }] }.
function parseExposition(text) {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const types = new Map();
  const help = new Map();
  const samples = [];
  const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  const closed = new Set();
  let current = null;
  for (const line of text.slice(0, -1).split('\n')) {
    let m = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line);
    if (m) {
      const [, kind, name, rest] = m;
      assert.match(name, NAME, line);
      const table = kind === 'TYPE' ? types : help;
      assert.ok(!table.has(name), `${kind} ${name} twice`);
      if (kind === 'TYPE') assert.ok(['counter', 'gauge', 'histogram'].includes(rest), line);
      table.set(name, rest);
      if (current !== name) {
        if (current) closed.add(current);
        assert.ok(!closed.has(name), `family ${name} split`);
        current = name;
      }
      continue;
    }
    assert.ok(!line.startsWith('#') && line.trim() !== '', `unexpected line ${JSON.stringify(line)}`);
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `bad sample line ${JSON.stringify(line)}`);
    const [, name, labelText, valueText] = m;
    const labels = {};
    if (labelText !== undefined) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/y;
      let at = 0;
      while (at < labelText.length) {
        re.lastIndex = at;
        const l = re.exec(labelText);
        assert.ok(l, `bad labels in ${line}`);
        assert.ok(!(l[1] in labels), `label ${l[1]} twice in ${line}`);
        labels[l[1]] = l[2];
        at = re.lastIndex;
      }
    }
    const value = valueText === '+Inf' ? Infinity : Number(valueText);
    assert.ok(!Number.isNaN(value), `bad value in ${line}`);
    const family = name.replace(/_(bucket|sum|count)$/, '');
    const fam = types.has(name) ? name : family;
    assert.ok(types.has(fam), `sample ${name} without a TYPE`);
    assert.ok(help.has(fam), `sample ${name} without a HELP`);
    assert.equal(current, fam, `sample ${name} outside its family`);
    samples.push({ name, labels, value });
  }
  return { types, help, samples };
}

function value(parsed, name, labels = {}) {
  const hits = parsed.samples.filter((s) => s.name === name &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
    Object.keys(s.labels).length === Object.keys(labels).length);
  assert.ok(hits.length <= 1, `${name} ${JSON.stringify(labels)} is ambiguous`);
  return hits.length ? hits[0].value : 0;
}

async function scrape(url) {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  return { text, parsed: parseExposition(text) };
}

// Scrapes until check(parsed) holds (the counters catch up after the responses), then returns.
async function scrapeUntil(url, check, what) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = await scrape(url);
    if (check(s.parsed)) return s;
    if (Date.now() > deadline) assert.fail(`${what}: not reached; last scrape:\n${s.text}`);
    await sleep(20);
  }
}

describe('Prometheus /metrics on its own listener', () => {
  let srv;
  let metricsUrl;
  let admin;
  let token;

  before(async () => {
    srv = await startLectern({ args: ['--metrics-listen', '127.0.0.1:0', '--rate-limit', '5'] });
    const rec = await srv.waitForLog((r) => r.event === 'http.listening' && r.port !== srv.port);
    metricsUrl = `http://127.0.0.1:${rec.port}`;
    admin = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    token = await createToken(srv, admin);
  });

  after(async () => {
    if (srv) assert.equal(await srv.stop(), 0);
  });

  test('the API listener has no /metrics; the metrics listener has nothing else', async () => {
    const res = await fetch(`${srv.url}/metrics`);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
    for (const p of ['/', '/healthz', '/api/graphql', '/metrics/']) {
      const r = await fetch(`${metricsUrl}${p}`);
      assert.equal(r.status, 404, p);
      await r.arrayBuffer();
    }
    const post = await fetch(`${metricsUrl}/metrics`, { method: 'POST', body: '' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    await post.arrayBuffer();
    const head = await fetch(`${metricsUrl}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('well-formed exposition with the documented families', async () => {
    const { parsed } = await scrape(metricsUrl);
    const want = {
      lectern_build_info: 'gauge',
      process_start_time_seconds: 'gauge',
      lectern_store_up: 'gauge',
      lectern_http_requests_total: 'counter',
      lectern_http_request_duration_seconds: 'histogram',
      lectern_http_connections: 'gauge',
      lectern_http_requests_in_flight: 'gauge',
      lectern_auth_token_loads_total: 'counter',
      lectern_auth_token_last_used_writes_total: 'counter',
      lectern_auth_session_loads_total: 'counter',
      lectern_auth_session_touches_total: 'counter',
      lectern_auth_failures_total: 'counter',
      lectern_rate_limited_total: 'counter',
      lectern_rate_table_full_total: 'counter',
    };
    assert.deepEqual(Object.fromEntries(parsed.types), want);
    assert.equal(value(parsed, 'lectern_store_up'), 1);
    const build = parsed.samples.find((s) => s.name === 'lectern_build_info');
    assert.equal(build.value, 1);
    assert.match(build.labels.version, /^\d+\.\d+\.\d+/);
    assert.ok(['sqlite', 'postgres'].includes(build.labels.store));
    const started = value(parsed, 'process_start_time_seconds');
    assert.ok(Math.abs(started - Date.now() / 1000) < 600, `start time ${started}`);
    // Routes are the server's patterns, never request paths: no label grows with traffic.
    const routes = new Set(parsed.samples.filter((s) => s.labels.route).map((s) => s.labels.route));
    assert.deepEqual([...routes].sort(), ['/api/graphql', '/console', '/console/*', '/console/login',
      '/console/logout', '/console/session', '/healthz', '/readyz', 'unmatched']);
  });

  test('request counters move by exactly what a client sent, by route and status class', async () => {
    const before0 = (await scrape(metricsUrl)).parsed;
    const api2xx = value(before0, 'lectern_http_requests_total', { route: '/api/graphql', code: '2xx' });
    const api4xx = value(before0, 'lectern_http_requests_total', { route: '/api/graphql', code: '4xx' });
    const none4xx = value(before0, 'lectern_http_requests_total', { route: 'unmatched', code: '4xx' });
    const failures = value(before0, 'lectern_auth_failures_total');
    const histCount = value(before0, 'lectern_http_request_duration_seconds_count', { route: '/api/graphql' });

    for (let i = 0; i < 3; i++) {
      const r = await gql(srv, '{ viewer { user { id } } }', null, { token: token.secret });
      assert.equal(r.status, 200);
    }
    const bad = await gql(srv, '{ viewer { user { id } } }', null, { token: `${token.secret.slice(0, -1)}x` });
    assert.equal(bad.status, 401);
    for (const p of ['/nope', '/api/graphq']) {
      const r = await fetch(`${srv.url}${p}`);
      assert.equal(r.status, 404);
      await r.arrayBuffer();
    }

    const { parsed, text } = await scrapeUntil(metricsUrl, (p) =>
      value(p, 'lectern_http_request_duration_seconds_count', { route: '/api/graphql' }) >= histCount + 4 &&
      value(p, 'lectern_http_requests_total', { route: 'unmatched', code: '4xx' }) >= none4xx + 2,
    'the API requests counted');
    assert.equal(value(parsed, 'lectern_http_requests_total', { route: '/api/graphql', code: '2xx' }), api2xx + 3);
    assert.equal(value(parsed, 'lectern_http_requests_total', { route: '/api/graphql', code: '4xx' }), api4xx + 1);
    assert.equal(value(parsed, 'lectern_http_requests_total', { route: 'unmatched', code: '4xx' }), none4xx + 2);
    assert.equal(value(parsed, 'lectern_http_request_duration_seconds_count', { route: '/api/graphql' }), histCount + 4);
    assert.equal(value(parsed, 'lectern_auth_failures_total'), failures + 1);

    // The histogram of each route: cumulative buckets ending in +Inf = count, a sum that fits.
    for (const route of ['/api/graphql', '/healthz', 'unmatched']) {
      const buckets = parsed.samples.filter((s) => s.name === 'lectern_http_request_duration_seconds_bucket' &&
        s.labels.route === route);
      assert.equal(buckets.at(-1).labels.le, '+Inf');
      for (let i = 1; i < buckets.length; i++) {
        assert.ok(Number(buckets[i].labels.le) > Number(buckets[i - 1].labels.le) ||
          buckets[i].labels.le === '+Inf', `${route}: bucket bounds ascend`);
        assert.ok(buckets[i].value >= buckets[i - 1].value, `${route}: buckets are cumulative`);
      }
      const count = value(parsed, 'lectern_http_request_duration_seconds_count', { route });
      assert.equal(buckets.at(-1).value, count, route);
      const sum = value(parsed, 'lectern_http_request_duration_seconds_sum', { route });
      assert.ok(sum >= 0 && (count > 0 || sum === 0), `${route}: sum ${sum}`);
    }

    // Nothing secret, nothing about who: no token, no session, no email, no tenant.
    for (const s of [token.secret, admin.cookie.split('=')[1], admin.csrf, ADMIN_EMAIL, TENANT]) {
      if (s) assert.ok(!text.includes(s), 'a secret or a name in /metrics');
    }
  });

  test('requests refused by the rate limit are counted', async () => {
    const before0 = (await scrape(metricsUrl)).parsed;
    const limited = value(before0, 'lectern_rate_limited_total');
    const t = await createToken(srv, admin);
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const r = await gql(srv, '{ viewer { user { id } } }', null, { token: t.secret });
      if (r.status === 429) refused++;
    }
    assert.ok(refused >= 3, `${refused} refused with a limit of 5`);
    const { parsed } = await scrapeUntil(metricsUrl,
      (p) => value(p, 'lectern_rate_limited_total') >= limited + refused, 'the 429s counted');
    assert.equal(value(parsed, 'lectern_rate_limited_total'), limited + refused);
  });
});

describe('metrics_listen refused and off', () => {
  test('a bad value stops lectern with exit code 2 and says why', async () => {
    const r = await runLectern(['serve', '--metrics-listen', '9464', '--print-config']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--metrics-listen: bad value "9464" for metrics_listen: expected HOST:PORT.*, or nothing for off/);
  });

  test('a taken port stops serve with exit code 1 and a message naming the listener', async () => {
    const blocker = net.createServer();
    await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address();
    const srv = await startLectern();
    await srv.stop();
    try {
      const r = await runLectern(['serve', '--data-dir', srv.dataDir, '--listen', '127.0.0.1:0',
        '--metrics-listen', `127.0.0.1:${port}`]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`cannot serve metrics on 127\\.0\\.0\\.1:${port}`));
    } finally {
      blocker.close();
    }
  });

  test('off by default: --print-config shows it empty', async () => {
    const r = await runLectern(['serve', '--print-config']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^metrics_listen = "" +# default$/m);
  });
});
