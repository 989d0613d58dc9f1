// SPDX-License-Identifier: MIT
// Browser helpers of the Console e2e tests (tests/e2e/40-console-*.test.mjs): Debian's Chromium
// driven by playwright-core (never a downloaded browser), pages that record their errors, a
// Console login, optional screenshots for docs/, and a server seeded for Console tests.
//
//   const srv = await startConsoleServer();        // admin, "Token Manager" role + user, learners
//   const browser = await launchBrowser();
//   const page = await newPage(browser);            // 1280 x 800
//   await consoleLogin(page, srv.url, srv.admin);   // lands on the home page
//   ... assert.deepEqual(page.lecternErrors, []);
//   await browser.close(); await srv.stop();
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, repoRoot, startLectern } from './server.mjs';
import { TOKEN_PERMS, createRole, createUser, login, ok } from './api.mjs';

export const CHROMIUM = process.env.LECTERN_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(repoRoot, 'docs', 'screenshots');

// Headless Chromium. `--no-sandbox` only when running as root (Chromium refuses to start
// sandboxed as root). Extra launch options (args are appended) may be given.
export async function launchBrowser(opts = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-deps.sh, or set ` +
      'LECTERN_CHROMIUM to a Chromium binary');
  }
  const args = ['--disable-dev-shm-usage', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    ...opts,
    args: [...args, ...(opts.args ?? [])],
  });
}

// A page in a fresh context (own cookies, own storage) of the given viewport. The page records
// what went wrong in it, so that a test can assert there was nothing:
//   page.lecternErrors   uncaught exceptions and console.error messages (strings)
//   page.lecternFailed   requests that failed at the network level (strings)
// `contextOptions` go to browser.newContext (e.g. permissions: ['clipboard-read']).
// Console messages about a failed HTTP request ("Failed to load resource: … 401") are left
// out of lecternErrors: they are how Chromium reports an error status a page handled (a
// refused login, an ended session); `ignore` (RegExps) leaves out more.
export async function newPage(browser, { width = 1280, height = 800, contextOptions = {}, ignore = [] } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...contextOptions });
  const page = await context.newPage();
  page.lecternErrors = [];
  page.lecternFailed = [];
  const skip = [/^Failed to load resource: the server responded with a status of/, ...ignore];
  page.on('pageerror', (err) => page.lecternErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (skip.some((re) => re.test(text))) return;
    page.lecternErrors.push(`console.error: ${text}`);
  });
  page.on('requestfailed', (req) => {
    page.lecternFailed.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  return page;
}

// Logs into the Console through its login page, like a person: fills tenant, email and
// password and submits. Waits until the app shows a logged-in page (the header's Sign out
// button) unless `expectFailure` (then resolves once an error is shown, with its text).
// `next` opens /console/login?next=<next>.
export async function consoleLogin(page, baseUrl, { tenant = TENANT, email = ADMIN_EMAIL, password = ADMIN_PASSWORD, next, expectFailure = false } = {}) {
  const u = new URL('/console/login', baseUrl);
  if (next) u.searchParams.set('next', next);
  await page.goto(u.href);
  const form = page.locator('form#login-form');
  await form.waitFor();
  await form.getByLabel('Organisation').fill(tenant);
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  if (expectFailure) {
    const alert = form.getByRole('alert');
    await alert.waitFor();
    return (await alert.textContent()).trim();
  }
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return null;
}

// Writes docs/screenshots/<name>.png when LECTERN_SCREENSHOTS=1; otherwise does nothing.
// `fullPage` by default; options go to page.screenshot.
export async function screenshot(page, name, opts = {}) {
  if (process.env.LECTERN_SCREENSHOTS !== '1') return null;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions (toasts, focus rings) settle: the page has no animation longer than this.
  // From the top, so that the sticky header sits at the top of a full-page image.
  if (opts.fullPage !== false) await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', ...opts });
  return file;
}

// Opens a page of the Settings group of the nav the way a person does: expands "Settings" when
// it is collapsed (on a phone, opens the Menu first), then follows the link. Resolves once the
// page's <h1> reads `heading` (default: the link's label).
export async function openSettingsPage(page, label, heading = label) {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible() && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  const settings = page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Settings' });
  if ((await settings.getAttribute('aria-expanded')) !== 'true') await settings.click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

// The names of the nav's links, with the Settings group expanded (on a phone, the Menu open).
export async function navLabels(page) {
  const nav = page.getByRole('navigation', { name: 'Console' });
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible() && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  const settings = nav.getByRole('button', { name: 'Settings' });
  if (await settings.count() && (await settings.getAttribute('aria-expanded')) !== 'true') await settings.click();
  return (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
}

export const TOKEN_MANAGER_ROLE = 'Token Manager';
export const TOKEN_MANAGER_EMAIL = 'tokens@acme.test';
export const TOKEN_MANAGER_PASSWORD = 'token manager password, long enough';

// A server seeded for Console tests (startLectern's options pass through). Resolves the server
// with, in addition:
//   admin:        {tenant, email, password, id, session}   the Console Admin made by init
//   tokenManager: {tenant, email, password, id, roleId, session}  holds only the custom role
//                 "Token Manager" = exactly the three developer-token permissions
//   learners:     [{id, email, name}]  `learners` of them (default 3), holding the built-in
//                 Learner role (given explicitly: a user created without roles holds none), no
//                 password
//   roles:        {admin, learner, tokenManager}  role IDs
export async function startConsoleServer({ learners = 3, ...opts } = {}) {
  const srv = await startLectern(opts);
  try {
    const adminSession = await login(srv, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD);
    const d = await ok(srv, '{ viewer { user { id } } roles(first: 100) { nodes { id kind } } }',
      null, { session: adminSession });
    srv.admin = { tenant: TENANT, email: ADMIN_EMAIL, password: ADMIN_PASSWORD, id: d.viewer.user.id, session: adminSession };
    const tmRole = await createRole(srv, adminSession, TOKEN_PERMS, TOKEN_MANAGER_ROLE);
    await ok(srv, 'mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { id } }',
      { id: tmRole, i: { description: 'Generates and manages developer tokens for integrations.' } },
      { session: adminSession });
    srv.roles = {
      admin: d.roles.nodes.find((r) => r.kind === 'CONSOLE_ADMIN').id,
      learner: d.roles.nodes.find((r) => r.kind === 'LEARNER').id,
      tokenManager: tmRole,
    };
    const tm = await createUser(srv, adminSession, {
      email: TOKEN_MANAGER_EMAIL, name: 'Tess Token', password: TOKEN_MANAGER_PASSWORD, roleIds: [tmRole],
    });
    srv.tokenManager = {
      tenant: TENANT, email: TOKEN_MANAGER_EMAIL, password: TOKEN_MANAGER_PASSWORD, id: tm.id, roleId: tmRole,
      session: await login(srv, TENANT, TOKEN_MANAGER_EMAIL, TOKEN_MANAGER_PASSWORD),
    };
    const names = ['Ada Learner', 'Grace Student', 'Alan Trainee', 'Edsger Pupil', 'Barbara Novice'];
    srv.learners = [];
    for (let i = 0; i < learners; i++) {
      const name = i < names.length ? names[i] : `Learner ${i + 1}`;
      const email = `learner${i + 1}@acme.test`;
      const u = await createUser(srv, adminSession, { email, name, roleIds: [srv.roles.learner] });
      srv.learners.push({ id: u.id, email, name });
    }
  } catch (err) {
    await srv.stop('SIGKILL');
    throw err;
  }
  return srv;
}
