// SPDX-License-Identifier: MIT
// nginx as the load balancer of a lectern cluster in the e2e tests (tests/e2e/60-cluster-*):
// Debian's /usr/sbin/nginx ($NGINX_BIN) in the foreground on a loopback port, with its own
// configuration, pid file, logs and temporary directories in a temporary folder, proxying to an
// upstream of lectern nodes. A node that refuses connections, times out or answers 502/503 is
// skipped for the request (proxy_next_upstream) and then left alone for fail_timeout
// (max_fails). Works as root (workers then run as nobody, as a packaged nginx does as
// www-data) and as any other user. docs/deploy.md shows the production form of this file.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './songs.mjs';
import { makeTempDir, sleep } from './server.mjs';

export const nginxBin = process.env.NGINX_BIN || '/usr/sbin/nginx';

const STARTUP_TIMEOUT_MS = 10000;
const PORT_ATTEMPTS = 8;

const live = new Set();
process.on('exit', () => {
  // SIGTERM, not SIGKILL: the master stops its workers (a killed master would orphan them).
  for (const p of live) {
    try {
      p.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
});

// The temporary-file directives of the modules this nginx was built with (nginx-light leaves
// some out, and a directive of a missing module is a configuration error).
function tempPaths(dir) {
  const r = spawnSync(nginxBin, ['-V'], { encoding: 'utf8' }); // nginx -V writes to stderr
  const v = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const out = [`client_body_temp_path ${dir}/tmp/body;`, `proxy_temp_path ${dir}/tmp/proxy;`];
  for (const m of ['fastcgi', 'uwsgi', 'scgi']) {
    if (!v.includes(`--without-http_${m}_module`)) out.push(`${m}_temp_path ${dir}/tmp/${m};`);
  }
  return out.join('\n    ');
}

// The user directive: as root, workers run as nobody (with nobody's group); otherwise nginx
// runs as the calling user and the directive must be absent.
function userDirective() {
  if (process.getuid() !== 0) return '';
  const group = execFileSync('id', ['-gn', 'nobody'], { encoding: 'utf8' }).trim();
  return `user nobody ${group};`;
}

// The configuration text: an upstream of `nodes` ([{host, port}]), served on 127.0.0.1:port.
export function nginxConfig(dir, port, nodes, { maxFails = 1, failTimeout = '10s' } = {}) {
  const servers = nodes
    .map((n) => `server ${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port} max_fails=${maxFails} fail_timeout=${failTimeout};`)
    .join('\n        ');
  return `# Written by tests/e2e/lib/nginx.mjs: the load balancer of an e2e lectern cluster.
daemon off;
worker_processes 1;
${userDirective()}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;

events {
    worker_connections 512;
}

http {
    ${tempPaths(dir)}
    log_format upstream '$remote_addr "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr upstream_status=$upstream_status '
                        'time=$request_time';
    access_log ${dir}/access.log upstream;

    upstream lectern {
        ${servers}
        keepalive 16;
    }

    server {
        listen 127.0.0.1:${port};

        location / {
            proxy_pass http://lectern;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A node that is down (refused, reset, silent) or answers 502/503 is skipped and
            # the request goes to the next one. A POST that already reached a node that then
            # died is not sent again (nginx resends only idempotent requests).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            add_header X-Upstream $upstream_addr always;
        }
    }
}
`;
}

// Starts nginx in front of `nodes` (objects with host and port, e.g. startLectern's servers).
// Resolves {url, port, dir, proc, config, errorLog(), accessLog(), stop()} once a request
// through it reaches a node (/healthz answers 200).
export async function startNginx(nodes, opts = {}) {
  const dir = makeTempDir('lectern-nginx-');
  fs.mkdirSync(path.join(dir, 'tmp'));
  // As root the workers run as nobody: they must be able to reach their temporary directories.
  if (process.getuid() === 0) fs.chmodSync(dir, 0o711);
  let lastError = '';
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    const config = nginxConfig(dir, port, nodes, opts);
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, config);
    fs.rmSync(path.join(dir, 'error.log'), { force: true });
    const proc = spawn(nginxBin, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(proc);
    let output = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => (output += d));
    proc.stderr.setEncoding('utf8').on('data', (d) => (output += d));
    const exited = new Promise((resolve) => proc.on('close', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    }));
    proc.on('error', () => {});
    const errorLog = () => {
      try {
        return fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    };
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let up = false;
    while (Date.now() < deadline && proc.exitCode === null && proc.signalCode === null) {
      try {
        const res = await fetch(`${url}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) {
          up = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    if (up) {
      return {
        url,
        port,
        dir,
        proc,
        config,
        errorLog,
        accessLog: () => {
          try {
            return fs.readFileSync(path.join(dir, 'access.log'), 'utf8');
          } catch {
            return '';
          }
        },
        // SIGQUIT: graceful (in-flight requests finish); SIGKILL after timeoutMs.
        async stop(timeoutMs = 10000) {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGQUIT');
          const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
          const r = await exited;
          clearTimeout(timer);
          return r;
        },
      };
    }
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
    lastError = `${output}${errorLog()}`;
    // Lost the race for the port: try another one; anything else is fatal.
    if (!/Address already in use/.test(lastError)) break;
  }
  throw new Error(`nginx did not start:\n${lastError}`);
}
