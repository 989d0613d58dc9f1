// SPDX-License-Identifier: MIT
// The Console's only way to the server: GraphQL on /api/graphql with the session cookie and the
// X-CSRF-Token header, and the three session endpoints of /console (login, logout, session).
// Every failure becomes an ApiError whose message is words for a person (src/console/README.md).

const ENDPOINT = '/api/graphql';
const CSRF_COOKIE = 'lectern_csrf';

// A failed call: message for a person, code, HTTP status, and what the server said about it.
export class ApiError extends Error {
  constructor(message, { code = 'SERVER', status = 0, field = null, permission = null, path = null, errors = [], data = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
    this.permission = permission;
    this.path = path;
    this.errors = errors;
    // The partial data of a response that had errors (null when none): a page may still use it.
    this.data = data;
  }
}

let expiredHandler = null;
let expiredFired = false;

// app.js sets it: called once per session with the ApiError of the first 401.
export function onSessionExpired(handler) {
  expiredHandler = handler;
  expiredFired = false;
}

function sessionEnded(err) {
  if (expiredFired || !expiredHandler) return;
  expiredFired = true;
  try {
    expiredHandler(err);
  } catch (e) {
    console.error(e);
  }
}

// The CSRF token of the session: the script-readable cookie the login set (docs/authentication.md).
export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === CSRF_COOKIE) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

const STATUS_CODES = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 429: 'RATE_LIMITED', 503: 'UNAVAILABLE' };

function statusWords(status) {
  switch (status) {
    case 401: return 'You are not signed in.';
    case 403: return 'The server refused this request.';
    case 413: return 'The request is too large.';
    case 429: return 'Too many requests: wait a moment and try again.';
    case 503: return 'The server is not available right now: try again in a moment.';
    default: return `The server answered with an error (HTTP ${status}).`;
  }
}

async function send(url, init) {
  try {
    return await fetch(url, { credentials: 'same-origin', cache: 'no-store', ...init });
  } catch {
    throw new ApiError('The server cannot be reached: check your connection and try again.', { code: 'NETWORK', status: 0 });
  }
}

async function readJson(res) {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function retryAfterWords(res) {
  const s = Number(res.headers.get('retry-after'));
  return Number.isFinite(s) && s > 0 ? ` Try again in ${s} second${s === 1 ? '' : 's'}.` : '';
}

// Runs a GraphQL operation; resolves with its data. Throws an ApiError when the HTTP status is
// not 200 or the response has errors (the first error's message, code, field, permission and
// path; `errors` has them all, `data` the partial data). A 401 also calls the handler given to
// onSessionExpired before throwing.
export async function gql(query, variables = {}) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json;q=0.9',
  };
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await send(ENDPOINT, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await readJson(res);
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (res.status === 200 && body && errors.length === 0 && body.data) return body.data;

  const first = errors[0];
  const ext = first?.extensions ?? {};
  let code = ext.code ?? STATUS_CODES[res.status] ?? 'SERVER';
  if (res.status === 401) code = 'UNAUTHENTICATED';
  let message = first?.message || statusWords(res.status);
  if (res.status === 429) message += retryAfterWords(res);
  const err = new ApiError(message, {
    code,
    status: res.status,
    field: ext.field ?? null,
    permission: ext.permission ?? null,
    path: first?.path ?? null,
    errors,
    data: body?.data ?? null,
  });
  if (res.status === 401) sessionEnded(err);
  throw err;
}

// The {error: {code, message}} answer of a /console endpoint as an ApiError.
async function consoleError(res) {
  const body = await readJson(res);
  const e = body?.error ?? {};
  let message = e.message || statusWords(res.status);
  if (res.status === 429) message += retryAfterWords(res);
  return new ApiError(message, { code: e.code || STATUS_CODES[res.status] || 'SERVER', status: res.status });
}

// Signs in: resolves with the session JSON ({csrfToken, expiresAt}); the server sets the
// cookies. Throws an ApiError with the server's words (wrong credentials, account locked…).
export async function login(tenant, email, password) {
  const res = await send('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ tenant, email, password }),
  });
  if (res.status !== 200) throw await consoleError(res);
  const session = await readJson(res);
  expiredFired = false;
  return session;
}

// Ends the session. A session that had already ended is not an error.
export async function logout() {
  const headers = { accept: 'application/json' };
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await send('/console/logout', { method: 'POST', headers });
  if (res.status !== 200 && res.status !== 401) throw await consoleError(res);
  await res.arrayBuffer().catch(() => {});
}

// The session JSON when a session is live, or null when not logged in (401).
export async function currentSession() {
  const res = await send('/console/session', { headers: { accept: 'application/json' } });
  if (res.status === 401) {
    await res.arrayBuffer().catch(() => {});
    return null;
  }
  if (res.status !== 200) throw await consoleError(res);
  return readJson(res);
}
