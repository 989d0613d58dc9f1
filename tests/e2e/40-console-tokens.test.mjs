// SPDX-License-Identifier: MIT
// Settings → API Tokens in a real browser (Debian's Chromium via playwright-core), against the
// real binary; each test starts its own lectern (tests/e2e/lib/browser.mjs):
// - the seed's flow, step by step: Settings → API Tokens → "Generate token" at the top right →
//   a name → Generate → the token shown once, read-only, with the warning and "Copy to
//   clipboard" (read back from the clipboard); closing the dialog forgets it; the token opens
//   /api/graphql and the table then shows when and from where it was last used;
// - deactivate / reactivate with a confirmation: Escape or Cancel changes nothing; deactivated,
//   the API answers 401; reactivated, it works again;
// - rename in place (Escape cancels, an empty name is refused beside the field);
// - expiry and a permission subset at generation, the effective permissions on demand, and the
//   server's refusal (an expiry in the past) shown beside the field at fault;
// - a long list pages (20 a page), and the status filter;
// - without the Clipboard API, Copy to clipboard falls back to selecting the token (and copying);
// - a user who may only read tokens sees the table and is offered no Generate, Rename or
//   Deactivate.
// Every test also checks that the page logged no error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogin, openSettingsPage, screenshot } from './lib/browser.mjs';
import { testServer, useBrowser } from './lib/console.mjs';
import {
  TENANT, assertForbidden, assertUnauthenticated, createToken, gql, isWellFormedToken, ok,
  setTokenActive, userWithPermissions,
} from './lib/api.mjs';

const TOKENS = '/console/settings/tokens';

const openPage = useBrowser();

// A server seeded for the Console and a page (own context) logged in as `who` (default the
// admin); both are cleaned up when the test ends.
async function setup(t, { who, page: pageOpts = {}, next } = {}) {
  const srv = await testServer(t);
  const page = await openPage(t, pageOpts);
  await consoleLogin(page, srv.url, { ...(who ?? srv.admin), next });
  return { srv, page };
}

const row = (page, name) => page.locator(`#tokens-table tbody tr[data-token-name="${name}"]`);
const cell = (r, label) => r.locator(`td[data-label="${label}"]`);

function assertNoErrors(page) {
  assert.deepEqual(page.lecternErrors, [], 'the page logged errors');
}

describe('Console: Settings → API Tokens', () => {
  test("the seed's flow: Generate token, the secret shown once, copied, forgotten on close, and working on /api/graphql", async (t) => {
    const { srv, page } = await setup(t, {
      page: { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } },
    });
    // 1–2. Settings → API Tokens
    await openSettingsPage(page, 'API Tokens');
    assert.equal(new URL(page.url()).pathname, TOKENS);
    assert.equal(await page.title(), 'API Tokens · lectern Console');
    await page.getByText('No developer token has been generated yet.').waitFor();

    // 3. "Generate token" in the top right
    const gen = page.getByRole('button', { name: 'Generate token' });
    const box = await gen.boundingBox();
    const h1 = await page.getByRole('heading', { level: 1, name: 'API Tokens' }).boundingBox();
    const vw = page.viewportSize().width;
    assert.ok(box.x + box.width > vw * 0.85, `Generate token is not at the right: ${JSON.stringify(box)}`);
    assert.ok(box.y < h1.y + h1.height, `Generate token is below the title: ${JSON.stringify({ box, h1 })}`);
    await gen.click();

    // 4. a name, Generate
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.waitFor();
    const name = dialog.getByLabel('Name');
    assert.equal(await name.evaluate((el) => el === document.activeElement), true, 'the name field has the focus');
    // a name is required: Generate without one is refused in words, beside the field
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.getByText('Give the token a name.').first().waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    await name.fill('HRIS sync');
    await screenshot(page, 'console-tokens-generate');
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();

    // 5. the token appears, ready to be copied, with the warning
    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    await shown.waitFor();
    const field = shown.getByLabel('Your new token');
    const secret = await field.inputValue();
    assert.ok(isWellFormedToken(secret), `not a lectern token: ${secret}`);
    assert.equal(await field.getAttribute('readonly'), '', 'the secret field is read-only');
    await shown.getByText('Copy it now: it will not be shown again.').waitFor();
    await screenshot(page, 'console-tokens-secret');
    await shown.getByRole('button', { name: 'Copy to clipboard' }).click();
    await shown.getByText('The token is in your clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, 'the clipboard holds the token');

    // closing forgets it: no dialog, no field, no text, no attribute holds it any more
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.waitForFunction(() => document.querySelectorAll('dialog').length === 0);
    const traces = await page.evaluate((s) => ({
      dialogs: document.querySelectorAll('dialog').length,
      html: document.documentElement.outerHTML.includes(s),
      fields: [...document.querySelectorAll('input, textarea')].filter((i) => i.value.includes(s)).length,
      text: document.body.innerText.includes(s),
    }), secret);
    assert.deepEqual(traces, { dialogs: 0, html: false, fields: 0, text: false });

    // the table: the new token with its hint (never the secret), creator, status
    const r = row(page, 'HRIS sync');
    await r.waitFor();
    assert.equal((await cell(r, 'Token').textContent()).trim(), `lct_…${secret.slice(-4)}`);
    assert.match(await cell(r, 'Created by').textContent(), /Administrator\s*admin@acme\.test/);
    assert.equal((await cell(r, 'Status').textContent()).trim(), 'Active');
    assert.equal((await cell(r, 'Last used').textContent()).trim(), 'Never');
    assert.equal((await cell(r, 'Expires').textContent()).trim(), 'Never');

    // the token opens the API with the admin's permissions
    const d = await ok(srv, '{ viewer { user { email } token { name } } users(first: 1) { totalCount } }', null, { token: secret });
    assert.deepEqual(d.viewer, { user: { email: srv.admin.email }, token: { name: 'HRIS sync' } });
    assert.equal(d.users.totalCount, 2 + srv.learners.length);
    // … and the table then says when and from where it was last used
    await page.reload();
    await cell(row(page, 'HRIS sync'), 'Last used').getByText('from 127.0.0.1').waitFor();
    await screenshot(page, 'console-tokens');
    assertNoErrors(page);
  });

  test('deactivate and reactivate with a confirmation; the API follows at once', async (t) => {
    const { srv, page } = await setup(t, { next: TOKENS });
    const { secret } = await createToken(srv, srv.admin.session, { name: 'ETL job' });
    await page.reload();
    const r = row(page, 'ETL job');
    await r.waitFor();
    const query = '{ viewer { user { email } } }';
    await ok(srv, query, null, { token: secret });

    // Escape, then Cancel: nothing changes
    await r.getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate “ETL job”?' });
    await confirm.waitFor();
    assert.equal(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement), true,
      'the safe choice has the focus');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await r.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await cell(r, 'Status').textContent()).trim(), 'Active');
    await ok(srv, query, null, { token: secret });

    // confirmed: deactivated, and the API refuses the token
    await r.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await r.getByRole('button', { name: 'Reactivate' }).waitFor();
    assert.equal((await cell(r, 'Status').textContent()).trim(), 'Deactivated');
    assertUnauthenticated(await gql(srv, query, null, { token: secret }), 'The token has been deactivated.');

    // reactivated (confirmed too): it works again
    await r.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('dialog', { name: 'Reactivate “ETL job”?' }).getByRole('button', { name: 'Reactivate' }).click();
    await r.getByRole('button', { name: 'Deactivate' }).waitFor();
    assert.equal((await cell(r, 'Status').textContent()).trim(), 'Active');
    await ok(srv, query, null, { token: secret });
    assertNoErrors(page);
  });

  test('rename in place: Escape cancels, an empty name is refused beside the field, Enter saves', async (t) => {
    const { srv, page } = await setup(t, { next: TOKENS });
    const { token } = await createToken(srv, srv.admin.session, { name: 'Old name' });
    await page.reload();
    let r = row(page, 'Old name');
    await r.getByRole('button', { name: 'Rename' }).click();
    const input = r.getByRole('textbox', { name: 'New name for token Old name' });
    assert.equal(await input.inputValue(), 'Old name');
    assert.equal(await input.evaluate((el) => el === document.activeElement), true);
    await input.fill('Discarded');
    await input.press('Escape');
    await input.waitFor({ state: 'detached' });
    assert.equal((await r.locator('.token-name-text').textContent()), 'Old name');

    await r.getByRole('button', { name: 'Rename' }).click();
    await input.fill('   ');
    await input.press('Enter');
    await r.getByText('Give the token a name.').first().waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');

    await input.fill('LMS nightly sync');
    await input.press('Enter');
    r = row(page, 'LMS nightly sync');
    await r.waitFor();
    const d = await ok(srv, 'query($id: ID!) { developerToken(id: $id) { name } }', { id: token.id }, { session: srv.admin.session });
    assert.equal(d.developerToken.name, 'LMS nightly sync');
    assertNoErrors(page);
  });

  test('expiry and a permission subset at generation; effective permissions on demand; the server refuses a past expiry beside the field', async (t) => {
    const { srv, page } = await setup(t, { next: TOKENS });
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Name').fill('Course report');
    // the picker appears only when limiting, and offers the viewer's permissions by resource
    const boxes = dialog.locator('input[type="checkbox"][name="permissions"]');
    assert.equal(await boxes.first().isVisible(), false);
    await dialog.getByLabel('Only the permissions I tick').check();
    assert.equal(await boxes.count(), 18, 'the admin holds the whole catalog');
    const courses = dialog.getByRole('group', { name: 'Courses' });
    await courses.getByText('Grants a user the ability to read applicable courses').waitFor();
    await dialog.getByRole('checkbox', { name: 'read:courses' }).check();
    await dialog.getByRole('checkbox', { name: 'read:users' }).check();

    // a date in the past: the server's refusal, beside the expiry field
    const y = new Date(Date.now() - 2 * 86400000);
    const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const expiry = dialog.getByLabel('Expiry date (optional)');
    await expiry.fill(iso(y));
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.locator('.field-error').getByText('input.expiresAt must be in the future.').waitFor();
    assert.equal(await expiry.getAttribute('aria-invalid'), 'true');
    assert.equal((await ok(srv, '{ developerTokens { totalCount } }', null, { session: srv.admin.session })).developerTokens.totalCount, 0);

    // a future date: generated, expiring at the end of that day (local time)
    const future = new Date(Date.now() + 30 * 86400000);
    await expiry.fill(iso(future));
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    const secret = await shown.getByLabel('Your new token').inputValue();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelectorAll('dialog').length === 0);
    assert.equal(await page.evaluate((s) => document.documentElement.outerHTML.includes(s) ||
      [...document.querySelectorAll('input')].some((i) => i.value === s), secret), false, 'Escape forgets the secret too');

    const d = await ok(srv, '{ viewer { permissions token { expiresAt permissionSubset } } courses { totalCount } }', null, { token: secret });
    assert.deepEqual([...d.viewer.permissions].sort(), ['read:courses', 'read:users']);
    assert.deepEqual([...d.viewer.token.permissionSubset].sort(), ['read:courses', 'read:users']);
    const end = new Date(future.getFullYear(), future.getMonth(), future.getDate(), 23, 59, 59);
    assert.equal(new Date(d.viewer.token.expiresAt).getTime(), end.getTime(), d.viewer.token.expiresAt);
    assertForbidden(await gql(srv, '{ developerTokens { totalCount } }', null, { token: secret }), 'developerTokens', 'read:developer_tokens');

    // the table: the expiry, and the permissions on demand
    const r = row(page, 'Course report');
    await r.waitFor();
    assert.notEqual((await cell(r, 'Expires').textContent()).trim(), 'Never');
    const toggle = r.getByRole('button', { name: 'Permissions of Course report' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    const detail = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
    assert.equal(await detail.isVisible(), false);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await detail.waitFor();
    await detail.getByText('Effective permissions now').waitFor();
    await detail.getByText('Limited at generation to').waitFor();
    const lists = detail.locator('ul.chips');
    assert.equal(await lists.count(), 2);
    assert.deepEqual((await lists.nth(0).locator('.chip').allTextContents()).sort(), ['read:courses', 'read:users'], 'effective');
    assert.deepEqual((await lists.nth(1).locator('.chip').allTextContents()).sort(), ['read:courses', 'read:users'], 'subset');
    await toggle.click();
    assert.equal(await detail.isVisible(), false);
    assertNoErrors(page);
  });

  test('a long list pages by 20, newest first, and the status filter narrows it', async (t) => {
    const { srv, page } = await setup(t, { next: TOKENS });
    const made = [];
    for (let i = 1; i <= 23; i++) made.push(await createToken(srv, srv.admin.session, { name: `batch ${String(i).padStart(2, '0')}` }));
    await setTokenActive(srv, srv.admin.session, made[4].token.id, false);
    await page.reload();
    const rows = page.locator('#tokens-table tbody tr:not(.row-detail)');
    const pagerText = page.locator('.pager-text');
    await page.getByText('1–20 of 23').waitFor();
    assert.equal(await rows.count(), 20);
    assert.equal(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('21–23 of 23').waitFor();
    assert.deepEqual(await page.locator('#tokens-table .token-name-text').allTextContents(), ['batch 03', 'batch 02', 'batch 01']);
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('1–20 of 23').waitFor();
    assert.equal((await page.locator('#tokens-table .token-name-text').first().textContent()), 'batch 23');

    // Generated from the second page: the dialog closes onto the first page, the new token on top.
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('21–23 of 23').waitFor();
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Name').fill('batch 24');
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    await shown.waitFor();
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByText('1–20 of 24').waitFor();
    assert.equal((await page.locator('#tokens-table .token-name-text').first().textContent()), 'batch 24');

    await page.getByLabel('Status').selectOption('DEACTIVATED');
    await pagerText.getByText('1–1 of 1').waitFor();
    assert.deepEqual(await page.locator('#tokens-table .token-name-text').allTextContents(), ['batch 05']);
    await page.getByLabel('Status').selectOption('EXPIRED');
    await page.getByText('No token matches these filters.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByText('1–20 of 24').waitFor();
    assertNoErrors(page);
  });

  test('without the Clipboard API, Copy to clipboard selects the token and copies it the old way', async (t) => {
    const { page } = await setup(t, {
      next: TOKENS,
      page: { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } },
    });
    // this page has no navigator.clipboard (as on plain HTTP away from localhost)
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await page.reload();
    assert.equal(await page.evaluate(() => navigator.clipboard === undefined), true);
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Name').fill('Fallback');
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    const field = shown.getByLabel('Your new token');
    const secret = await field.inputValue();
    await shown.getByRole('button', { name: 'Copy to clipboard' }).click();
    await shown.locator('.copy-status').getByText(/clipboard|selected/).waitFor();
    const sel = await field.evaluate((el) => ({ focused: el === document.activeElement, start: el.selectionStart, end: el.selectionEnd }));
    assert.deepEqual(sel, { focused: true, start: 0, end: secret.length }, 'the whole token is selected');
    // another tab of the same browser, with the Clipboard API, reads what was copied
    const copied = (await shown.locator('.copy-status').textContent()).includes('in your clipboard');
    if (copied) {
      const other = await page.context().newPage();
      await other.goto(page.url());
      assert.equal(await other.evaluate(() => navigator.clipboard.readText()), secret);
      await other.close();
    }
    assertNoErrors(page);
  });

  test('a user who may only read tokens sees them and is offered no Generate, Rename or Deactivate', async (t) => {
    const srv = await testServer(t);
    await createToken(srv, srv.admin.session, { name: 'Seen, not touched' });
    const reader = await userWithPermissions(srv, srv.admin.session, TENANT, ['read:developer_tokens']);
    const page = await openPage(t);
    await consoleLogin(page, srv.url, { email: reader.email, password: reader.password });
    await page.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
    const r = row(page, 'Seen, not touched');
    await r.waitFor();
    assert.equal(await page.getByRole('button', { name: 'Generate token' }).count(), 0);
    assert.equal(await r.getByRole('button', { name: /Rename|Deactivate|Reactivate/ }).count(), 0);
    assert.deepEqual(await page.locator('#tokens-table thead th').allTextContents(),
      ['Name', 'Token', 'Created by', 'Created', 'Last used', 'Expires', 'Status']);
    // the permissions are still there on demand
    await r.getByRole('button', { name: 'Permissions of Seen, not touched' }).click();
    await page.getByText('Effective permissions now').waitFor();
    // and the server refuses what is not offered
    const g = await gql(srv, 'mutation { createDeveloperToken(input: {name: "x"}) { secret } }', null, { session: reader.session });
    assertForbidden(g, 'createDeveloperToken', 'create:developer_tokens');
    assertNoErrors(page);
  });
});
