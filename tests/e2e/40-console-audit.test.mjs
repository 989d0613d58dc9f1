// SPDX-License-Identifier: MIT
// The Console's audit log in Debian's Chromium (src/console/page-audit.js); each test starts its
// own lectern, with a change made through a developer token and 20 courses created through the
// API (for a second page); the first test also makes changes through the Console itself (a
// course created, a user renamed, deactivated and reactivated). The audit log:
// - shows those events newest first, as the API lists them, each with who (and the token when
//   one was used), action, target, IP and time, and the JSON detail on demand, as text;
// - filters by exact action and by family ("user."), by actor (picked by searching) and by a
//   time range typed in local time (that test's browser runs in Asia/Kolkata, +05:30, so that
//   the conversion to UTC is checked); a filter the server refuses is shown beside its field;
// - pages like the API; the filter and page are in the URL (reload and Back keep them);
// - at 390 px nothing sticks out of the page, with a detail open.
// Every test also checks that the page logged no error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogin } from './lib/browser.mjs';
import { eventually, overflow, shot, testServer, useBrowser } from './lib/console.mjs';
import { createToken, gql, listAll, ok } from './lib/api.mjs';

const TZ = 'Asia/Kolkata';

const openPage = useBrowser();

const EVENT_FIELDS = 'id action targetType targetId ip detail createdAt actor { id name } actorToken { id name hint }';

// A lectern seeded for the Console, a developer token "ETL job" of the admin that publishes a
// course, and 20 more courses; stopped when the test ends; a page (own context, in the time
// zone `timezoneId` when given) signed in as the admin on `next`.
async function setup(t, { next = '/console/audit', width, height, timezoneId } = {}) {
  const srv = await testServer(t);
  const api = (q, v) => ok(srv, q, v, { session: srv.admin.session });
  const token = await createToken(srv, srv.admin.session, { name: 'ETL job' });
  const published = (await api('mutation { createCourse(input: {title: "Token Course", code: "TOK-1"}) { id } }')).createCourse;
  const r = await gql(srv, 'mutation($id: ID!) { updateCourse(id: $id, input: {status: PUBLISHED}) { id } }', { id: published.id }, { token: token.secret });
  assert.equal(r.body.errors, undefined, JSON.stringify(r.body));
  for (let i = 0; i < 20; i++) {
    await api('mutation($i: CreateCourseInput!) { createCourse(input: $i) { id } }', { i: { title: `Filler ${i}`, code: `FILL-${i}` } });
  }
  const page = await openPage(t, { width, height, contextOptions: timezoneId ? { timezoneId } : {} });
  await consoleLogin(page, srv.url, { ...srv.admin, next });
  const w = {
    srv,
    page,
    api,
    token,
    apiEvents: (filter = '') => listAll(srv, { session: srv.admin.session }, 'auditEvents', filter, EVENT_FIELDS),
    rowIds: () => page.locator('.audit-table tbody tr[data-event]').evaluateAll((trs) => trs.map((tr) => tr.dataset.event)),
    rowActions: () => page.locator('.audit-table tbody td[data-label="Action"]').allTextContents(),
    async openAudit(query = '') {
      await page.goto(`${srv.url}/console/audit${query}`);
      await page.locator('h1', { hasText: 'Audit log' }).waitFor();
    },
    async expectIds(expected) {
      await eventually(async () => {
        assert.equal(await page.locator('.list-results[aria-busy]').count(), 0);
        assert.deepEqual(await w.rowIds(), expected);
      });
    },
  };
  return w;
}

// datetime-local text for a Date, in the browser's zone (TZ).
function localInput(d) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

describe('Console: audit log', () => {
  test('the events of Console actions, newest first, with who, what, target, IP, time and detail', async (t) => {
    const { srv, page, token, apiEvents, expectIds } = await setup(t, { next: '/console/courses' });

    // Through the Console: a course, a user renamed, deactivated and reactivated.
    await page.getByRole('button', { name: 'New course' }).click();
    const dlg = page.getByRole('dialog', { name: 'New course' });
    await dlg.getByLabel('Title').fill('Audit Course');
    await dlg.getByLabel('Code').fill('AUD-1');
    await dlg.getByRole('button', { name: 'Create course' }).click();
    await page.locator('.course-detail h1', { hasText: 'Audit Course' }).waitFor();
    const course = { id: new URL(page.url()).pathname.split('/').pop() };
    const learner = srv.learners[0];
    await page.goto(`${srv.url}/console/users/${learner.id}`);
    await page.locator('#profile-form').getByLabel('Name').fill('Ada Lovelace');
    await page.locator('#profile-form').getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.user-detail h1', { hasText: 'Ada Lovelace' }).waitFor();
    await page.locator('#user-status-action').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await eventually(async () => assert.equal(await page.locator('#user-status-action').textContent(), 'Reactivate'));
    await page.locator('#user-status-action').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
    await eventually(async () => assert.equal(await page.locator('#user-status-action').textContent(), 'Deactivate'));

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.locator('h1', { hasText: 'Audit log' }).waitFor();
    const all = await apiEvents();
    await expectIds(all.slice(0, 20).map((e) => e.id));
    assert.equal(await page.locator('.pager-text').textContent(), `1–20 of ${all.length}`);
    assert.deepEqual(all.slice(0, 4).map((e) => e.action), ['user.reactivate', 'user.deactivate', 'user.update', 'course.create']);
    const rowOf = (e) => page.locator(`.audit-table tbody tr[data-event="${e.id}"]`);

    const created = all[3];
    assert.equal(created.targetId, course.id);
    const row = rowOf(created);
    assert.equal(await row.locator('td[data-label="Who"]').textContent(), 'Administratoradmin@acme.test');
    assert.equal(await row.locator('td[data-label="Action"]').textContent(), 'course.create');
    assert.equal(await row.locator('td[data-label="Target"]').textContent(), `course ${course.id}`);
    assert.equal(await row.locator('td[data-label="Target"] a').getAttribute('href'), `/console/courses/${course.id}`);
    assert.equal(await row.locator('td[data-label="IP"]').textContent(), '127.0.0.1');
    assert.ok((await row.locator('td[data-label="Time"] span').getAttribute('title')).endsWith(`(${created.createdAt})`));

    // The detail, on demand, as text.
    const toggle = row.getByRole('button', { name: 'Detail' });
    const controls = await toggle.getAttribute('aria-controls');
    assert.equal(await page.locator(`#${controls}`).isHidden(), true);
    await toggle.click();
    assert.equal(await page.locator(`#${controls}`).isVisible(), true);
    assert.equal(await page.locator(`#${controls} pre`).textContent(), JSON.stringify(created.detail, null, 2));
    assert.deepEqual(created.detail, { title: 'Audit Course', code: 'AUD-1', status: 'draft' });
    assert.equal(await row.getByRole('button', { name: 'Hide' }).getAttribute('aria-expanded'), 'true');

    for (const e of all.slice(0, 3)) {
      assert.equal(e.targetId, learner.id);
      assert.equal(e.actor.id, srv.admin.id);
      assert.equal(await rowOf(e).locator('td[data-label="Action"]').textContent(), e.action);
      assert.equal(await rowOf(e).locator('td[data-label="Target"] a').getAttribute('href'), `/console/users/${learner.id}`);
    }
    await rowOf(all[2]).getByRole('button', { name: 'Detail' }).click();
    assert.match(await rowOf(all[2]).locator('xpath=following-sibling::tr[1]').textContent(), /Ada Lovelace/);
    await shot(page, 'console-audit');

    // Page 2: the change made with a token says which.
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectIds(all.slice(20, 40).map((e) => e.id));
    const viaToken = all.find((e) => e.action === 'course.update');
    assert.equal(viaToken.actorToken.id, token.token.id);
    assert.equal(await rowOf(viaToken).locator('td[data-label="Who"] .via-token').textContent(), `via token ETL job ${token.token.hint}`);
    assert.equal(await rowOf(viaToken).locator('td[data-label="Who"] a').textContent(), 'Administrator');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('filter by exact action and by family; reload and Back keep the filter', async (t) => {
    const { page, apiEvents, expectIds, rowActions } = await setup(t);
    const action = page.getByRole('combobox', { name: 'Action' });
    await action.fill('course.create');
    await page.getByRole('button', { name: 'Apply' }).click();
    const creates = await apiEvents('filter: {action: "course.create"}');
    assert.equal(creates.length, 21);
    await expectIds(creates.slice(0, 20).map((e) => e.id));
    assert.ok((await rowActions()).every((a) => a === 'course.create'));
    assert.equal(new URL(page.url()).searchParams.get('action'), 'course.create');

    await action.fill('user.');
    await page.getByRole('button', { name: 'Apply' }).click();
    const users = await apiEvents('filter: {action: "user."}');
    assert.ok(users.length >= 4, users.map((e) => e.action).join());
    await expectIds(users.slice(0, 20).map((e) => e.id));
    assert.ok((await rowActions()).every((a) => a.startsWith('user.')));

    await page.reload();
    await expectIds(users.slice(0, 20).map((e) => e.id));
    assert.equal(await page.getByRole('combobox', { name: 'Action' }).inputValue(), 'user.');
    await page.goBack();
    await expectIds(creates.slice(0, 20).map((e) => e.id));

    // A filter the server refuses: its words beside the action field.
    await page.getByRole('combobox', { name: 'Action' }).fill('x'.repeat(65));
    await page.getByRole('button', { name: 'Apply' }).click();
    const actionField = page.locator('.field', { has: page.locator('input[name="action"]') });
    await eventually(async () => assert.match(await actionField.locator('.field-error').textContent(), /^filter\.action must be/));
    assert.equal(await page.locator('input[name="action"]').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('filter by actor, picked by searching', async (t) => {
    const { srv, page, apiEvents, expectIds } = await setup(t);
    await page.getByLabel('Actor', { exact: true }).fill('tess');
    await page.getByRole('radio', { name: /Tess Token/ }).click(); // picking replaces the search with the actor
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('actor'), srv.tokenManager.id));
    const hers = await apiEvents(`filter: {actorId: "${srv.tokenManager.id}"}`);
    assert.ok(hers.length >= 1);
    await expectIds(hers.map((e) => e.id));
    const who = await page.locator('.audit-table tbody td[data-label="Who"] a').allTextContents();
    assert.ok(who.every((n) => n === 'Tess Token'), who.join());
    assert.match(await page.locator('.actor-chip').textContent(), /Tess Token <tokens@acme\.test>/);

    // Reload names the actor again; Remove drops the filter.
    await page.reload();
    await expectIds(hers.map((e) => e.id));
    await eventually(async () => assert.match(await page.locator('.actor-chip').textContent(), /Tess Token/));
    await page.getByRole('button', { name: 'Remove the actor filter' }).click();
    const all = await apiEvents();
    await expectIds(all.slice(0, 20).map((e) => e.id));
    assert.equal(new URL(page.url()).searchParams.get('actor'), null);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('filter by a time range typed in local time', async (t) => {
    const { page, apiEvents, expectIds } = await setup(t, { timezoneId: TZ });
    const all = await apiEvents();
    const newest = new Date(all[0].createdAt);
    const oldest = new Date(all.at(-1).createdAt);
    // From the minute after the newest event: nothing.
    const later = new Date(Math.floor(newest.getTime() / 60000) * 60000 + 60000);
    await page.getByLabel('From').fill(localInput(later));
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => assert.match(await page.locator('.list-results .empty-state').textContent(), /No event matches/));
    assert.equal(new URL(page.url()).searchParams.get('since'), later.toISOString().replace('.000Z', 'Z'));

    // From the minute of the oldest to the minute after the newest: all of them.
    const from = new Date(Math.floor(oldest.getTime() / 60000) * 60000);
    await page.getByLabel('From').fill(localInput(from));
    await page.getByLabel('Until').fill(localInput(later));
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectIds(all.slice(0, 20).map((e) => e.id));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('since'), from.toISOString().replace('.000Z', 'Z'));
    assert.equal(url.searchParams.get('until'), later.toISOString().replace('.000Z', 'Z'));
    assert.equal(await page.locator('.pager-text').textContent(), `1–20 of ${all.length}`);

    // Until the newest event's minute only: the API's answer for that range (until is exclusive).
    const upTo = new Date(Math.floor(newest.getTime() / 60000) * 60000);
    await page.getByLabel('From').fill('');
    await page.getByLabel('Until').fill(localInput(upTo));
    await page.getByRole('button', { name: 'Apply' }).click();
    const earlier = await apiEvents(`filter: {until: "${upTo.toISOString()}"}`);
    assert.equal(new URL(page.url()).searchParams.get('since'), null);
    if (earlier.length === 0) {
      await eventually(async () => assert.match(await page.locator('.list-results .empty-state').textContent(), /No event matches/));
    } else {
      await expectIds(earlier.slice(0, 20).map((e) => e.id));
    }
    assert.deepEqual(page.lecternErrors, []);
  });

  test('at 390 px the log, its filters and an open detail stay inside the screen', async (t) => {
    const { page: p } = await setup(t, { next: '/console/audit?action=course.create', width: 390, height: 844 });
    await p.locator('.audit-table').waitFor();
    await p.locator('.audit-table').getByRole('button', { name: 'Detail' }).first().click();
    await p.locator('.audit-table pre').first().waitFor();
    assert.deepEqual(await overflow(p), []);
    // The stacked table itself fits too: nothing in it scrolls sideways.
    assert.equal(await p.locator('.audit-table').evaluate((el) => el.scrollWidth > el.clientWidth), false);
    assert.deepEqual(p.lecternErrors, []);
  });
});
