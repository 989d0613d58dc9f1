// SPDX-License-Identifier: MIT
// What the Console test files (tests/e2e/40-console-*.test.mjs) share on top of browser.mjs:
// one Chromium per file, a server and a page per test (both cleaned up when the test ends),
// retrying assertions, screenshots without toasts and the "nothing sticks out" check.
//
//   const openPage = useBrowser();                  // at the top level of a test file
//   test('…', async (t) => {
//     const srv = await testServer(t);              // startConsoleServer's, stopped at the end
//     const page = await openPage(t, { width: 390, height: 844 });
//     await eventually(async () => assert.equal(await …, …));
//     assert.deepEqual(await overflow(page), []);
//   });
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, screenshot, startConsoleServer } from './browser.mjs';

// Launches Chromium before the file's tests and closes it after them. Returns
// openPage(t, opts): a newPage (opts as newPage's) whose context is closed when test t ends.
export function useBrowser(launchOpts) {
  let browser;
  before(async () => {
    browser = await launchBrowser(launchOpts);
  });
  after(async () => {
    await browser?.close();
  });
  return async function openPage(t, opts) {
    const page = await newPage(browser, opts);
    t.after(() => page.context().close());
    return page;
  };
}

// startConsoleServer(opts) for test t; when t ends the server is stopped and must exit cleanly.
export async function testServer(t, opts) {
  const srv = await startConsoleServer(opts);
  t.after(async () => {
    assert.equal(await srv.stop(), 0, 'lectern did not exit cleanly');
  });
  return srv;
}

// Retries fn (which asserts) until it passes or timeoutMs has gone by; then its last error.
export async function eventually(fn, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// A screenshot for docs/ (LECTERN_SCREENSHOTS=1) without the transient toasts of the steps
// before it.
export async function shot(page, name) {
  if (process.env.LECTERN_SCREENSHOTS !== '1') return;
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((el) => el.remove()));
  await screenshot(page, name);
}

// Everything in #main (and an open dialog) outside a table scroller ends inside the viewport,
// and the page itself does not scroll sideways: [] when so, else what sticks out.
export const overflow = (p) => p.evaluate(() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > w) out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${w}`);
  for (const el of document.querySelectorAll('#main *, dialog[open] *')) {
    if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 1 || r.left < -1)) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return out;
});
