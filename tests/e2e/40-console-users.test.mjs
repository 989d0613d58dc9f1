// SPDX-License-Identifier: MIT
// The Console's Users pages in Debian's Chromium (src/console/page-users.js, page-user.js);
// each test starts its own lectern (seeded by startConsoleServer with five learners and a custom
// role "Course Editor"; the paging and export tests add 121 "Bulk" users, every tenth
// deactivated, every 25th holding the custom role):
// - search by name, by email and by an opaque ID; each answer equals the API's for the filter;
// - filter by role and status; the filter is in the URL, so reload and Back show the same list;
// - paging: "1–20 of 121", Next and Previous show the API's pages, reload stays on the page;
// - Export filtered: while it runs a progress bar says how far it is (the test holds back the
//   second page of 100 until the bar says 100 of 121); the CSV's rows equal the API's users of
//   the filter, in order, with RFC 4180 quoting and the spreadsheet-formula guard;
// - New user: a duplicate email is refused beside the email field; a user with a role and a
//   password is created (checked through the API, and by signing in);
// - user detail: edit name and email, deactivate / reactivate after a confirmation, add and
//   remove a role, a new password (too short: the server's words beside the field) — each
//   checked through the API afterwards;
// - the last Console Admin cannot be deactivated or lose the role: the CONFLICT in words;
// - the detail lists the user's developer tokens and the audit events about and by them;
// - a reader (read:users only) is offered nothing they may not do;
// - at 390 px nothing sticks out of the page (tables stack into cards).
// Every test also checks that the page logged no error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { consoleLogin } from './lib/browser.mjs';
import { eventually, overflow, shot, testServer, useBrowser } from './lib/console.mjs';
import {
  TENANT, createRole, createToken, createUser, listAll, loginRaw, ok, setUserActive,
} from './lib/api.mjs';

const BULK = 121;
const FORMULA_NAME = '=Bulk Formula';
const QUOTED_NAME = 'Bulk "Quoted", Person';

// RFC 4180: quoted cells, doubled quotes, CRLF line ends.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const openPage = useBrowser();

// A lectern seeded for the Console (5 learners, the custom role "Course Editor"; with `bulk`,
// the BULK users described at the top), stopped when the test ends, and a page (own context)
// signed in as the admin; `next` is the page to land on. Returns the helpers of a test.
async function setup(t, { bulk = false, next, width, height } = {}) {
  const srv = await testServer(t, { learners: 5 });
  const s = srv.admin.session;
  const editorRole = await createRole(srv, s, ['read:courses', 'update:courses'], 'Course Editor');
  if (bulk) {
    const made = [];
    for (let i = 0; i < BULK; i++) {
      const n = String(i).padStart(3, '0');
      let name = `Bulk Person ${n}`;
      if (i === 7) name = FORMULA_NAME;
      if (i === 8) name = QUOTED_NAME;
      // Every 25th holds the custom role; one of them two roles (the CSV joins them).
      let roleIds;
      if (i % 25 === 0) roleIds = i === 25 ? [editorRole, srv.roles.learner] : [editorRole];
      made.push(await createUser(srv, s, { email: `bulk-${n}@acme.test`, name, roleIds }));
    }
    for (let i = 0; i < BULK; i += 10) await setUserActive(srv, s, made[i].id, false);
  }
  const page = await openPage(t, { width, height });
  await consoleLogin(page, srv.url, { ...srv.admin, next });

  const w = {
    srv,
    page,
    editorRole,
    api: (q, v) => ok(srv, q, v, { session: s }),
    apiNames: async (f) => (await listAll(srv, { session: s }, 'users', filterArg(f), 'name')).map((u) => u.name),
    rowNames: () => page.locator('.users-table tbody td[data-label="Name"]').allTextContents(),
    searchBox: () => page.getByRole('searchbox', { name: 'Search' }),
    filterForm: () => page.locator('form[role="search"]'),
    pagerText: () => page.locator('.pager-text').textContent(),
    async openUsers(query = '') {
      await page.goto(`${srv.url}/console/users${query}`);
      await page.locator('h1', { hasText: 'Users' }).waitFor();
    },
    async openUser(id) {
      await page.goto(`${srv.url}/console/users/${id}`);
      await page.locator('.user-detail .page-head h1').waitFor();
    },
    async search(text) {
      await w.searchBox().fill(text);
      await w.searchBox().press('Enter');
    },
    async expectNames(expected) {
      await eventually(async () => {
        assert.equal(await page.locator('.list-results[aria-busy]').count(), 0, 'the list is still loading');
        assert.deepEqual(await w.rowNames(), expected);
      });
    },
  };
  return w;
}

// A GraphQL filter argument from an object: {query: "x", status: ACTIVE}.
const filterArg = (f) => `filter: ${JSON.stringify(f).replace(/"(\w+)":/g, '$1:').replace(/"(ACTIVE|DEACTIVATED)"/g, '$1')}`;

describe('Console: users', () => {
  test('Users is the home page; search by name, by email and by ID', async (t) => {
    const { srv, page, search, expectNames, apiNames } = await setup(t);
    assert.match(new URL(page.url()).pathname, /^\/console\/users$/);
    assert.equal(await page.title(), 'Users · lectern Console');
    const nav = page.getByRole('navigation', { name: 'Console' });
    assert.equal(await nav.getByRole('link', { name: 'Users' }).getAttribute('aria-current'), 'page');

    await search('Grace');
    await expectNames(['Grace Student']);
    assert.deepEqual(await apiNames({ query: 'Grace' }), ['Grace Student']);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'Grace');

    await search('learner3@ACME');
    await expectNames(['Alan Trainee']);
    assert.deepEqual(await apiNames({ query: 'learner3@ACME' }), ['Alan Trainee']);

    // An opaque ID pasted in (with the spaces a copy may bring) finds that user.
    const edsger = srv.learners[3];
    await search(`  ${edsger.id} `);
    await expectNames(['Edsger Pupil']);
    assert.deepEqual(await apiNames({ query: edsger.id }), ['Edsger Pupil']);
    assert.equal(await page.locator('.users-table tbody tr a').getAttribute('href'), `/console/users/${edsger.id}`);

    await search('nobody-is-called-this');
    await eventually(async () => assert.match(await page.locator('.list-results .empty-state').textContent(), /No user matches/));
    assert.deepEqual(page.lecternErrors, []);
  });

  test('filter by role and status; reload and Back keep the filter', async (t) => {
    const w = await setup(t);
    const { srv, page, editorRole, filterForm, expectNames, apiNames } = w;
    const [ada, grace, alan, edsger] = srv.learners;
    for (const u of [ada, grace, alan]) {
      await w.api('mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: u.id, r: editorRole });
    }
    for (const u of [grace, edsger]) await setUserActive(srv, srv.admin.session, u.id, false);
    await w.openUsers();

    await filterForm().getByLabel('Role').selectOption({ label: 'Course Editor' });
    const editors = await apiNames({ roleId: editorRole });
    assert.deepEqual(editors, [ada.name, grace.name, alan.name]);
    await expectNames(editors);

    await filterForm().getByLabel('Status').selectOption('DEACTIVATED');
    assert.deepEqual(await apiNames({ roleId: editorRole, status: 'DEACTIVATED' }), [grace.name]);
    await expectNames([grace.name]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('role'), editorRole);
    assert.equal(url.searchParams.get('status'), 'DEACTIVATED');
    assert.equal(await page.locator('.users-table td[data-label="Status"]').textContent(), 'Deactivated');

    await page.reload();
    await expectNames([grace.name]);
    assert.equal(await filterForm().getByLabel('Role').inputValue(), editorRole);
    assert.equal(await filterForm().getByLabel('Status').inputValue(), 'DEACTIVATED');

    await page.goBack();
    await expectNames(editors);
    assert.equal(await filterForm().getByLabel('Status').inputValue(), '');
    assert.equal(await filterForm().getByLabel('Role').inputValue(), editorRole);

    await filterForm().getByLabel('Role').selectOption('');
    await filterForm().getByLabel('Status').selectOption('DEACTIVATED');
    assert.deepEqual(await apiNames({ status: 'DEACTIVATED' }), [grace.name, edsger.name]);
    await expectNames([grace.name, edsger.name]);
    await filterForm().getByLabel('Status').selectOption('ACTIVE');
    await expectNames(await apiNames({ status: 'ACTIVE' }));
    assert.deepEqual(page.lecternErrors, []);
  });

  test(`paging: "1–20 of ${BULK}", Next and Previous show the API pages; reload stays on the page`, async (t) => {
    const { srv, page, expectNames, pagerText } = await setup(t, { bulk: true, next: '/console/users?q=bulk' });
    const all = (await listAll(srv, { session: srv.admin.session }, 'users', 'filter: {query: "bulk"}', 'name')).map((u) => u.name);
    assert.equal(all.length, BULK);
    await expectNames(all.slice(0, 20));
    assert.equal(await pagerText(), `1–20 of ${BULK}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectNames(all.slice(20, 40));
    assert.equal(await pagerText(), `21–40 of ${BULK}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectNames(all.slice(40, 60));
    assert.equal(new URL(page.url()).searchParams.getAll('after').length, 2);

    await page.reload();
    await expectNames(all.slice(40, 60));
    assert.equal(await pagerText(), `41–60 of ${BULK}`);

    await page.getByRole('button', { name: 'Previous page' }).click();
    await expectNames(all.slice(20, 40));
    await page.goBack();
    await expectNames(all.slice(40, 60));
    await page.goBack();
    await expectNames(all.slice(20, 40));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expectNames(all.slice(0, 20));
    assert.equal(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), true);
    // The last page.
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Next page' }).click();
    await expectNames(all.slice(120));
    assert.equal(await pagerText(), `121–121 of ${BULK}`);
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await page.goto(`${srv.url}/console/users`);
    await expectNames((await listAll(srv, { session: srv.admin.session }, 'users', '', 'name')).slice(0, 20).map((u) => u.name));
    await shot(page, 'console-users');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('Export filtered: a progress bar, then a CSV whose rows are the API users of the filter', async (t) => {
    const { srv, page, expectNames, apiNames, rowNames, filterForm } = await setup(t, { bulk: true, next: '/console/users?q=bulk' });
    await expectNames((await apiNames({ query: 'bulk' })).slice(0, 20));

    // Hold back the export's second page of 100 until the progress bar has said 100 of BULK.
    let release;
    const gate = new Promise((r) => {
      release = r;
    });
    let held = 0;
    await page.route('**/api/graphql', async (route) => {
      const v = route.request().postDataJSON()?.variables ?? {};
      if (v.first === 100 && v.after) {
        held++;
        await gate;
      }
      await route.continue();
    });
    try {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export filtered' }).click();
      const status = page.locator('.export-status');
      await eventually(async () => {
        assert.match(await status.textContent(), new RegExp(`Exporting users: 100 of ${BULK}`));
        assert.equal(await status.locator('progress').evaluate((p) => [p.value, p.max].join('/')), `100/${BULK}`);
      });
      assert.equal(held, 1);
      assert.equal(await page.getByRole('button', { name: 'Export filtered' }).isDisabled(), true);
      release();
      const file = await download;
      assert.match(file.suggestedFilename(), /^users-acme-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = fs.readFileSync(await file.path(), 'utf8');
      const csv = parseCsv(text);
      const users = await listAll(srv, { session: srv.admin.session }, 'users', 'filter: {query: "bulk"}',
        'id name email status lastLoginAt createdAt roles { name }');
      const guard = (x) => (/^[=+\-@]/.test(x) ? `'${x}` : x);
      assert.deepEqual(csv[0], ['id', 'name', 'email', 'status', 'roles', 'last login', 'created']);
      assert.deepEqual(csv.slice(1), users.map((u) => [
        u.id, guard(u.name), u.email, u.status, u.roles.map((r) => r.name).join('; '), u.lastLoginAt ?? '', u.createdAt,
      ]));
      assert.equal(csv.length, BULK + 1);
      assert.ok(text.includes('"Bulk ""Quoted"", Person"'), 'a name with a quote and a comma is quoted');
      assert.ok(csv.some((r) => r[1] === `'${FORMULA_NAME}`), 'a name starting with = is guarded');
      assert.ok(csv.some((r) => r[4] === 'Course Editor; Learner'), 'two roles in one cell');
      await eventually(async () => assert.match(await status.textContent(), new RegExp(`Exported ${BULK} users`)));
    } finally {
      release();
      await page.unroute('**/api/graphql');
    }

    // Another filter: the deactivated ones.
    await filterForm().getByLabel('Status').selectOption('DEACTIVATED');
    const want = await listAll(srv, { session: srv.admin.session }, 'users', 'filter: {query: "bulk", status: DEACTIVATED}', 'id');
    assert.equal(want.length, 13);
    await eventually(async () => assert.equal((await rowNames()).length, want.length));
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export filtered' }).click()]);
    const csv = parseCsv(fs.readFileSync(await file.path(), 'utf8'));
    assert.deepEqual(csv.slice(1).map((r) => r[0]), want.map((u) => u.id));
    assert.ok(csv.slice(1).every((r) => r[3] === 'DEACTIVATED'));
    assert.deepEqual(page.lecternErrors, []);
  });

  test('New user: a duplicate email is refused beside the email field; then the user is created', async (t) => {
    const { srv, page, editorRole, api } = await setup(t);
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Email').fill('learner1@acme.test');
    await dialog.getByLabel('Name').fill('Second Ada');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const email = dialog.getByLabel('Email');
    await eventually(async () => assert.equal(await email.getAttribute('aria-invalid'), 'true'));
    const fieldBox = dialog.locator('.field', { has: page.locator('input[name="email"]') });
    assert.equal(await fieldBox.locator('.field-error').textContent(), 'A user with this email already exists.');
    assert.equal(await dialog.locator('input[name="name"]').getAttribute('aria-invalid'), null);
    assert.equal((await api('{ users(filter: {query: "Second Ada"}) { totalCount } }')).users.totalCount, 0);

    await email.fill('new.person@acme.test');
    await dialog.getByLabel('Password (optional)').fill('new person password 123');
    await dialog.getByRole('checkbox', { name: 'Course Editor' }).check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.locator('.user-detail h1', { hasText: 'Second Ada' }).waitFor();
    const d = await api('{ users(filter: {email: "new.person@acme.test"}) { nodes { id name status canLogIn roles { id } } } }');
    assert.equal(d.users.nodes.length, 1);
    const u = d.users.nodes[0];
    assert.deepEqual([u.name, u.status, u.canLogIn, u.roles.map((r) => r.id)], ['Second Ada', 'ACTIVE', true, [editorRole]]);
    assert.equal(new URL(page.url()).pathname, `/console/users/${u.id}`);
    assert.equal((await loginRaw(srv, TENANT, 'new.person@acme.test', 'new person password 123')).status, 200);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('user detail: edit the name and email (checked through the API)', async (t) => {
    const { srv, page, api, openUser } = await setup(t);
    const u = srv.learners[1];
    await openUser(u.id);
    const form = page.locator('#profile-form');
    await form.getByLabel('Name').fill('Grace Hopper');
    await form.getByLabel('Email').fill('grace.hopper@acme.test');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.user-detail h1', { hasText: 'Grace Hopper' }).waitFor();
    const d = await api('query($id: ID!) { user(id: $id) { name email } }', { id: u.id });
    assert.deepEqual(d.user, { name: 'Grace Hopper', email: 'grace.hopper@acme.test' });

    // The server's refusal (a taken email) beside the email field; nothing changed.
    await form.getByLabel('Email').fill('learner1@acme.test');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => assert.equal(
      await form.locator('.field', { has: page.locator('input[name="email"]') }).locator('.field-error').textContent(),
      'A user with this email already exists.'));
    assert.equal((await api('query($id: ID!) { user(id: $id) { email } }', { id: u.id })).user.email, 'grace.hopper@acme.test');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('user detail: deactivate and reactivate after a confirmation (checked through the API)', async (t) => {
    const { srv, page, api, openUser } = await setup(t);
    const u = srv.learners[2];
    await openUser(u.id);
    const status = async () => (await api('query($id: ID!) { user(id: $id) { status } }', { id: u.id })).user.status;

    await page.locator('#user-status-action').click();
    let dialog = page.getByRole('dialog', { name: `Deactivate ${u.name}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await status(), 'ACTIVE');

    await page.locator('#user-status-action').click();
    dialog = page.getByRole('dialog', { name: `Deactivate ${u.name}?` });
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await eventually(async () => assert.equal(await page.locator('#user-status-action').textContent(), 'Reactivate'));
    assert.equal(await status(), 'DEACTIVATED');
    assert.match(await page.locator('.user-head').textContent(), /Deactivated/);

    await page.locator('#user-status-action').click();
    dialog = page.getByRole('dialog', { name: `Reactivate ${u.name}?` });
    await dialog.getByRole('button', { name: 'Reactivate' }).click();
    await eventually(async () => assert.equal(await page.locator('#user-status-action').textContent(), 'Deactivate'));
    assert.equal(await status(), 'ACTIVE');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('user detail: add a role and remove it (checked through the API)', async (t) => {
    const { srv, page, api, editorRole, openUser } = await setup(t);
    const u = srv.learners[4];
    await openUser(u.id);
    const roleIds = async () => (await api('query($id: ID!) { user(id: $id) { roles { id } } }', { id: u.id })).user.roles.map((r) => r.id);
    assert.deepEqual(await roleIds(), [srv.roles.learner]);

    await page.getByLabel('Add a role').selectOption({ label: 'Course Editor' });
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByRole('button', { name: 'Remove the role Course Editor' }).waitFor();
    assert.deepEqual((await roleIds()).sort(), [srv.roles.learner, editorRole].sort());

    await page.getByRole('button', { name: 'Remove the role Course Editor' }).click();
    await page.getByRole('button', { name: 'Remove the role Course Editor' }).waitFor({ state: 'detached' });
    assert.deepEqual(await roleIds(), [srv.roles.learner]);
    await page.getByRole('button', { name: 'Remove the role Learner' }).click();
    await page.locator('.roles-empty').waitFor();
    assert.deepEqual(await roleIds(), []);
    // Only roles the viewer may assign are offered, and not the ones held.
    const offered = await page.getByLabel('Add a role').locator('option').allTextContents();
    assert.deepEqual(offered.slice(1).sort(), ['Console Admin', 'Course Editor', 'Learner', 'Token Manager']);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('the last Console Admin: deactivation and losing the role are refused in words', async (t) => {
    const { srv, page, api, openUser } = await setup(t);
    await openUser(srv.admin.id);
    await page.locator('#user-status-action').click();
    await page.getByRole('dialog', { name: 'Deactivate Administrator?' }).getByRole('button', { name: 'Deactivate' }).click();
    const alert = page.locator('#status-alert [role="alert"]');
    await alert.waitFor();
    assert.equal(await alert.textContent(),
      'This user is the last active Console Admin of the tenant: give the Console Admin role to another active user first.');
    await page.locator('.detail-card', { has: page.locator('h2', { hasText: 'Recent activity' }) }).locator('table').first().waitFor();
    await shot(page, 'console-user-detail');

    await page.getByRole('button', { name: 'Remove the role Console Admin' }).click();
    const rolesAlert = page.locator('.roles-alert [role="alert"]');
    await rolesAlert.waitFor();
    assert.match(await rolesAlert.textContent(), /last active Console Admin/);
    const d = await api('query($id: ID!) { user(id: $id) { status roles { id } } }', { id: srv.admin.id });
    assert.deepEqual(d.user, { status: 'ACTIVE', roles: [{ id: srv.roles.admin }] });
    assert.deepEqual(page.lecternErrors, []);
  });

  test('user detail: a new password; too short is refused beside the field, a good one signs in', async (t) => {
    const { srv, page, api, openUser } = await setup(t);
    const u = srv.learners[0];
    await openUser(u.id);
    const form = page.locator('#password-form');
    await form.getByLabel('New password').fill('short');
    await form.getByLabel('Repeat it').fill('short');
    await form.getByRole('button', { name: 'Set password' }).click();
    const pwField = form.locator('.field', { has: page.locator('input[name="password"]') });
    await eventually(async () => assert.equal(await pwField.locator('.field-error').textContent(),
      'input.password must be 12 to 1024 bytes long.'));

    await form.getByLabel('New password').fill('a good new password');
    await form.getByLabel('Repeat it').fill('a different one');
    await form.getByRole('button', { name: 'Set password' }).click();
    await eventually(async () => assert.equal(
      await form.locator('.field', { has: page.locator('input[name="repeat"]') }).locator('.field-error').textContent(),
      'The two passwords differ.'));
    assert.equal((await api('query($id: ID!) { user(id: $id) { canLogIn } }', { id: u.id })).user.canLogIn, false);

    await form.getByLabel('Repeat it').fill('a good new password');
    await form.getByRole('button', { name: 'Set password' }).click();
    await eventually(async () => assert.equal(await form.getByLabel('New password').inputValue(), ''));
    assert.equal((await api('query($id: ID!) { user(id: $id) { canLogIn } }', { id: u.id })).user.canLogIn, true);
    assert.equal((await loginRaw(srv, TENANT, u.email, 'a good new password')).status, 200);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('user detail: the developer tokens of the user and the audit events about and by them', async (t) => {
    const { srv, page, api, openUser } = await setup(t);
    const tm = srv.tokenManager;
    const tok = await createToken(srv, tm.session, { name: 'HRIS sync' });
    await api('mutation($id: ID!) { updateUser(id: $id, input: {name: "Tess Tokens"}) { id } }', { id: tm.id });
    await openUser(tm.id);
    const tokens = page.locator('.detail-card', { has: page.locator('h2', { hasText: 'Developer tokens' }) });
    await eventually(async () => {
      const row = tokens.locator('tbody tr');
      assert.equal(await row.count(), 1);
      assert.equal(await row.locator('td[data-label="Name"]').textContent(), 'HRIS sync');
      assert.equal(await row.locator('td[data-label="Token"]').textContent(), tok.token.hint);
      assert.equal(await row.locator('td[data-label="Status"]').textContent(), 'Active');
    });
    const activity = page.locator('.detail-card', { has: page.locator('h2', { hasText: 'Recent activity' }) });
    await eventually(async () => {
      const about = await activity.locator('table').first().locator('td[data-label="Action"]').allTextContents();
      assert.equal(about[0], 'user.update');
      assert.deepEqual([...about].sort(), ['login.success', 'user.create', 'user.update']);
      const by = await activity.locator('table').nth(1).locator('td[data-label="Action"]').allTextContents();
      assert.deepEqual(by, ['token.create', 'login.success']);
    });
    assert.deepEqual(page.lecternErrors, []);
  });

  test('a reader (read:users only) is offered nothing they may not do', async (t) => {
    const { srv } = await setup(t);
    const roleId = await createRole(srv, srv.admin.session, ['read:users'], 'User Reader');
    const password = 'user reader password 123';
    const reader = await createUser(srv, srv.admin.session, { email: 'reader@acme.test', name: 'Rita Reader', password, roleIds: [roleId] });
    const p = await openPage(t);
    await consoleLogin(p, srv.url, { email: reader.email, password });
    await p.locator('.users-table').waitFor();
    assert.equal(await p.getByRole('button', { name: 'New user' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: 'Export filtered' }).count(), 1);
    assert.equal(await p.locator('form[role="search"]').getByLabel('Role').count(), 0, 'no role filter without read:roles');
    assert.equal(await p.locator('.users-table th', { hasText: 'Roles' }).count(), 0);
    await p.goto(`${srv.url}/console/users/${srv.learners[0].id}`);
    await p.locator('.user-detail .page-head h1').waitFor();
    for (const sel of ['#profile-form', '#password-form', '#user-status-action', '.add-role']) {
      assert.equal(await p.locator(sel).count(), 0, `${sel} is not offered`);
    }
    for (const title of ['Roles', 'Developer tokens', 'Recent activity']) {
      assert.equal(await p.locator('.detail-card h2', { hasText: title }).count(), 0, `${title} is not shown`);
    }
    assert.deepEqual(p.lecternErrors, []);
  });

  test('at 390 px the list, the New user dialog and the detail stay inside the screen', async (t) => {
    const { srv, page: p } = await setup(t, { width: 390, height: 844 });
    await p.locator('.users-table').waitFor();
    assert.deepEqual(await overflow(p), []);
    await p.getByRole('searchbox', { name: 'Search' }).fill('acme.test');
    await p.getByRole('button', { name: 'Search', exact: true }).click();
    await eventually(async () => assert.equal(new URL(p.url()).searchParams.get('q'), 'acme.test'));
    await eventually(async () => assert.equal(await p.locator('.users-table tbody tr').count(), 7));
    assert.deepEqual(await overflow(p), []);
    await p.getByRole('button', { name: 'New user' }).click();
    await p.getByRole('dialog', { name: 'New user' }).waitFor();
    assert.deepEqual(await overflow(p), []);
    await p.keyboard.press('Escape');
    await p.goto(`${srv.url}/console/users/${srv.admin.id}`);
    await p.locator('.detail-card h2', { hasText: 'Recent activity' }).waitFor();
    await p.locator('.detail-card table').first().waitFor();
    assert.deepEqual(await overflow(p), []);
    assert.deepEqual(p.lecternErrors, []);
  });
});
