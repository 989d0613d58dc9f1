// SPDX-License-Identifier: MIT
// The Console's shell at two sizes and from the keyboard, in a real browser (Debian's Chromium
// via playwright-core) against the real binary; each test starts its own lectern:
// - 390 px (a phone): the nav is a top menu behind "Menu" (aria-expanded; Escape closes it);
//   the tokens and roles tables are stacked, every cell labelled by its column; nothing is wider
//   than the screen; the Generate dialog fits;
// - the keyboard: the login form used with Tab and Enter; a skip link; a visible focus ring;
//   the Generate dialog keeps the focus inside while open, Escape closes it and the focus goes
//   back to the button that opened it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogin, navLabels, screenshot } from './lib/browser.mjs';
import { testServer, useBrowser } from './lib/console.mjs';
import { createToken } from './lib/api.mjs';

const openPage = useBrowser();

// Whether anything sticks out to the right of the viewport.
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('Console layout and keyboard', () => {
  test('390 px: a top menu, stacked tables with labelled cells, nothing wider than the screen', async (t) => {
    const srv = await testServer(t);
    await createToken(srv, srv.admin.session, { name: 'Phone-sized token' });
    await createToken(srv, srv.tokenManager.session, { name: 'Another integration with a rather long name' });
    const page = await openPage(t, { width: 390, height: 844 });
    await consoleLogin(page, srv.url, { ...srv.admin, next: '/console/settings/tokens' });
    assert.equal(await overflow(page), 0, 'the page scrolls sideways');

    // the nav is hidden behind Menu
    const nav = page.getByRole('navigation', { name: 'Console' });
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await nav.isVisible(), false);
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await nav.getByRole('link', { name: 'API Tokens' }).waitFor();
    await screenshot(page, 'console-mobile-menu', { fullPage: false });
    await page.keyboard.press('Escape');
    assert.equal(await nav.isVisible(), false, 'Escape closes the menu');
    assert.equal(await menu.evaluate((b) => b === document.activeElement), true, 'the focus is back on Menu');
    assert.ok((await navLabels(page)).includes('Roles and Permissions'));
    await nav.getByRole('link', { name: 'API Tokens' }).click();
    assert.equal(await nav.isVisible(), false, 'following a link closes the menu');

    // the tokens table is stacked: no header row shown, each cell says its column
    const table = page.locator('#tokens-table');
    await table.locator('tbody tr[data-token-name="Phone-sized token"]').waitFor();
    assert.equal(await table.locator('thead').evaluate((el) => el.getBoundingClientRect().height <= 1), true);
    const labels = await table.locator('tbody tr:not(.row-detail)').first().locator('td').evaluateAll((tds) =>
      tds.map((td) => getComputedStyle(td, '::before').content));
    assert.deepEqual(labels, ['"Name"', '"Token"', '"Created by"', '"Created"', '"Last used"', '"Expires"', '"Status"', '"Actions"']);
    const tableBox = await table.boundingBox();
    assert.ok(tableBox.x >= 0 && tableBox.x + tableBox.width <= 390, JSON.stringify(tableBox));
    assert.equal(await overflow(page), 0);
    await screenshot(page, 'console-mobile-tokens');

    // the Generate dialog fits the screen
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.waitFor();
    const db = await dialog.boundingBox();
    assert.ok(db.x >= 0 && db.x + db.width <= 390, JSON.stringify(db));
    await page.keyboard.press('Escape');

    // the roles table too
    await page.goto(`${srv.url}/console/settings/roles`);
    await page.locator('#roles-table tbody tr').first().waitFor();
    assert.equal(await overflow(page), 0);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('keyboard: login with Tab and Enter, a skip link, visible focus, a dialog that keeps the focus and gives it back', async (t) => {
    const srv = await testServer(t);
    const page = await openPage(t);
    await page.goto(`${srv.url}/console/login?next=${encodeURIComponent('/console/settings/tokens')}`);
    const org = page.getByLabel('Organisation');
    await org.waitFor();
    assert.equal(await org.evaluate((el) => el === document.activeElement), true, 'the first empty field has the focus');
    await page.keyboard.type('acme');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'email');
    await page.keyboard.type(srv.admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(srv.admin.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();

    // the first Tab of a freshly loaded page reaches the skip link, which leads to the content
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.closest('#main') !== null), true, 'the skip link leads to the content');

    // Generate token from the keyboard, with a visible focus ring
    const gen = page.getByRole('button', { name: 'Generate token' });
    await gen.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = await gen.evaluate((b) => {
      const s = getComputedStyle(b);
      return { style: s.outlineStyle, width: s.outlineWidth, focused: b === document.activeElement };
    });
    assert.deepEqual(ring, { style: 'solid', width: '3px', focused: true });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'name');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => !!document.activeElement?.closest('dialog') || document.activeElement === document.body);
      assert.equal(inside, true, `Tab ${i + 1} left the dialog`);
    }
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelectorAll('dialog').length === 0);
    assert.equal(await gen.evaluate((b) => b === document.activeElement), true, 'the focus is back on Generate token');

    // Enter in the name field generates
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('Keyboard token');
    await page.keyboard.press('Enter');
    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    await shown.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Copy to clipboard');
    await page.keyboard.press('Escape');
    await page.locator('#tokens-table tbody tr[data-token-name="Keyboard token"]').waitFor();
    assert.deepEqual(page.lecternErrors, []);
  });
});
