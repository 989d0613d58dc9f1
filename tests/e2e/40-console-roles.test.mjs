// SPDX-License-Identifier: MIT
// Settings → Roles and Permissions in a real browser (Debian's Chromium via playwright-core),
// against the real binary; each test starts its own lectern (tests/e2e/lib/browser.mjs):
// - the roles with description, permissions and holders; the built-in ones marked read-only
//   and shown read-only; a custom role created in the editor by ticking permissions grouped by
//   resource; assigned (through the API) to the Token Manager, whose token then gains its
//   permissions; edited in the Console to drop one, and the token loses it at once (seen
//   through the API and in the token's effective permissions in the Console); deleted after a
//   confirmation (Cancel keeps it);
// - a user who may manage roles but holds only some permissions can tick only those; a
//   permission forced on in the page is refused by the server and its words are shown; built-in
//   roles offer no Edit or Delete; a user without create:roles is offered no "New role"; without
//   read:developer_tokens, API Tokens is neither in the nav nor reachable by URL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogin, navLabels, openSettingsPage, screenshot } from './lib/browser.mjs';
import { testServer, useBrowser } from './lib/console.mjs';
import {
  TENANT, TOKEN_PERMS, assertForbidden, createToken, gql, ok, userWithPermissions,
} from './lib/api.mjs';

const openPage = useBrowser();

async function setup(t, who) {
  const srv = await testServer(t);
  const page = await openPage(t);
  await consoleLogin(page, srv.url, who ? who(srv) : srv.admin);
  return { srv, page };
}

const roleRow = (page, name) => page.locator(`#roles-table tbody tr[data-role-name="${name}"]`);
const cell = (r, label) => r.locator(`td[data-label="${label}"]`);

describe('Console: Settings → Roles and Permissions', () => {
  test('built-in roles read-only; a custom role created, assigned, edited and deleted; the holder’s token follows at once', async (t) => {
    const { srv, page } = await setup(t);
    await openSettingsPage(page, 'Roles and Permissions');
    assert.equal(new URL(page.url()).pathname, '/console/settings/roles');

    // the list: built-ins first, marked; holders counted
    assert.deepEqual(await page.locator('#roles-table a.role-name').allTextContents(), ['Console Admin', 'Learner', 'Token Manager']);
    for (const [name, holders, kind] of [['Console Admin', '1', 'Built-in · read-only'], ['Learner', String(srv.learners.length), 'Built-in · read-only'], ['Token Manager', '1', 'Custom']]) {
      const r = roleRow(page, name);
      assert.equal((await cell(r, 'Holders').textContent()).trim(), holders, name);
      await cell(r, 'Role').getByText(kind, { exact: true }).waitFor();
    }
    assert.equal((await cell(roleRow(page, 'Console Admin'), 'Permissions').textContent()).trim(), 'Every permission (18)');
    assert.deepEqual(await cell(roleRow(page, 'Token Manager'), 'Permissions').locator('.chip').allTextContents(), TOKEN_PERMS);
    await cell(roleRow(page, 'Token Manager'), 'Description').getByText('Generates and manages developer tokens for integrations.').waitFor();
    for (const name of ['Console Admin', 'Learner']) {
      const r = roleRow(page, name);
      assert.equal(await r.getByRole('link', { name: `Edit ${name}` }).count(), 0, `${name} offers Edit`);
      assert.equal(await r.getByRole('button', { name: `Delete ${name}` }).count(), 0, `${name} offers Delete`);
    }
    await screenshot(page, 'console-roles');

    // a built-in role opens read-only
    await roleRow(page, 'Console Admin').getByRole('link', { name: 'View Console Admin' }).click();
    await page.getByRole('heading', { level: 1, name: /^Console Admin/ }).waitFor();
    await page.getByText('Console Admin is built in').waitFor();
    const adminBoxes = page.locator('#role-form input[name="permissions"]');
    assert.equal(await adminBoxes.count(), 18);
    assert.equal(await adminBoxes.evaluateAll((bs) => bs.every((b) => b.checked && b.disabled)), true);
    assert.equal(await page.getByRole('button', { name: /Save|Delete/ }).count(), 0);

    // the Token Manager's token: the three token permissions, no courses
    const { secret } = await createToken(srv, srv.tokenManager.session, { name: 'TM integration' });
    assertForbidden(await gql(srv, '{ courses { totalCount } }', null, { token: secret }), 'courses', 'read:courses');

    // a new role, by ticking permissions grouped by resource
    await page.getByRole('link', { name: 'Roles and Permissions', exact: true }).first().click();
    await page.getByRole('link', { name: 'New role' }).click();
    await page.getByRole('heading', { level: 1, name: 'New role' }).waitFor();
    await page.getByLabel('Name').fill('Course Reader');
    await page.getByLabel('Description').fill('Reads courses and who is enrolled.');
    const coursesGroup = page.getByRole('group', { name: 'Courses' });
    await coursesGroup.getByText('Grants a user the ability to read applicable courses').waitFor();
    await coursesGroup.getByRole('checkbox', { name: 'read:courses' }).check();
    await page.getByRole('group', { name: 'Enrollments' }).getByRole('checkbox', { name: 'read:enrollments' }).check();
    await screenshot(page, 'console-role-editor');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('heading', { level: 1, name: 'Roles and Permissions' }).waitFor();
    const cr = roleRow(page, 'Course Reader');
    await cr.waitFor();
    assert.deepEqual(await cell(cr, 'Permissions').locator('.chip').allTextContents(), ['read:courses', 'read:enrollments']);
    assert.equal((await cell(cr, 'Holders').textContent()).trim(), '0');

    // assigned to the Token Manager (through the API): their token gains read:courses
    const d = await ok(srv, '{ roles(first: 100) { nodes { id name } } }', null, { session: srv.admin.session });
    const roleId = d.roles.nodes.find((r) => r.name === 'Course Reader').id;
    await ok(srv, 'mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: srv.tokenManager.id, r: roleId }, { session: srv.admin.session });
    await ok(srv, '{ courses { totalCount } }', null, { token: secret });
    await page.reload();
    await cell(roleRow(page, 'Course Reader'), 'Holders').getByText('1', { exact: true }).waitFor();
    // … and the Console shows it in the token's effective permissions
    const effective = async () => {
      await page.goto(`${srv.url}/console/settings/tokens`);
      const tr = page.locator('#tokens-table tbody tr[data-token-name="TM integration"]');
      await tr.getByRole('button', { name: 'Permissions of TM integration' }).click();
      const detail = page.locator(`#${await tr.getByRole('button', { name: 'Permissions of TM integration' }).getAttribute('aria-controls')}`);
      return (await detail.locator('ul.chips').first().locator('.chip').allTextContents()).sort();
    };
    assert.deepEqual(await effective(), [...TOKEN_PERMS, 'read:courses', 'read:enrollments'].sort());

    // edited in the Console: read:courses unticked; the token loses it on its next request
    await page.goto(`${srv.url}/console/settings/roles`);
    await roleRow(page, 'Course Reader').getByRole('link', { name: 'Edit Course Reader' }).click();
    await page.getByRole('heading', { level: 1, name: /^Course Reader/ }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'read:courses' }).isChecked(), true);
    await page.getByRole('checkbox', { name: 'read:courses' }).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Roles and Permissions' }).waitFor();
    assert.deepEqual(await cell(roleRow(page, 'Course Reader'), 'Permissions').locator('.chip').allTextContents(), ['read:enrollments']);
    assertForbidden(await gql(srv, '{ courses { totalCount } }', null, { token: secret }), 'courses', 'read:courses');
    await ok(srv, '{ enrollments { totalCount } }', null, { token: secret });
    assert.deepEqual(await effective(), [...TOKEN_PERMS, 'read:enrollments'].sort());

    // deleted, after a confirmation (Cancel first keeps it)
    await page.goto(`${srv.url}/console/settings/roles`);
    await roleRow(page, 'Course Reader').getByRole('button', { name: 'Delete Course Reader' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the role “Course Reader”?' });
    await confirm.getByText('1 user holds this role.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await roleRow(page, 'Course Reader').waitFor();
    await roleRow(page, 'Course Reader').getByRole('button', { name: 'Delete Course Reader' }).click();
    await confirm.getByRole('button', { name: 'Delete role' }).click();
    await roleRow(page, 'Course Reader').waitFor({ state: 'detached' });
    assertForbidden(await gql(srv, '{ enrollments { totalCount } }', null, { token: secret }), 'enrollments', 'read:enrollments');
    const v = await ok(srv, '{ viewer { permissions } }', null, { token: secret });
    assert.deepEqual([...v.viewer.permissions].sort(), [...TOKEN_PERMS].sort());
    assert.deepEqual(page.lecternErrors, []);
  });

  test('only permissions the viewer holds can be ticked; the server refuses a forced one, in words; no New role without create:roles', async (t) => {
    const srv = await testServer(t);
    const rm = await userWithPermissions(srv, srv.admin.session, TENANT, ['read:roles', 'create:roles', 'update:roles', 'read:users']);
    const page = await openPage(t);
    await consoleLogin(page, srv.url, { email: rm.email, password: rm.password, next: '/console/settings/roles/new' });
    await page.getByRole('heading', { level: 1, name: 'New role' }).waitFor();
    const boxes = page.locator('#role-form input[name="permissions"]');
    assert.equal(await boxes.count(), 18, 'the whole catalog is listed');
    const enabled = await boxes.evaluateAll((bs) => bs.filter((b) => !b.disabled).map((b) => b.value));
    assert.deepEqual(enabled, ['read:users', 'read:roles', 'create:roles', 'update:roles']);
    await page.getByRole('group', { name: 'Courses' }).getByText('you do not hold this permission', { exact: false }).first().waitFor();

    // forced on in the page: the server refuses, the form says so, nothing is created
    await page.getByLabel('Name').fill('Sneaky');
    await page.getByRole('checkbox', { name: 'read:users' }).check();
    await page.locator('#role-form input[value="read:courses"]').evaluate((b) => {
      b.disabled = false;
      b.checked = true;
    });
    await page.getByRole('button', { name: 'Create role' }).click();
    const alert = page.locator('#role-form .form-alert');
    await alert.getByText('You cannot grant the read:courses permission: you do not hold it.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/settings/roles/new');
    const names = async () => (await ok(srv, '{ roles(first: 100) { nodes { name } } }', null, { session: srv.admin.session })).roles.nodes.map((r) => r.name);
    assert.equal((await names()).includes('Sneaky'), false);

    // a role holding permissions they lack: a warning, and the server's refusal on save
    await page.goto(`${srv.url}/console/settings/roles`);
    await roleRow(page, 'Token Manager').getByRole('link', { name: 'Edit Token Manager' }).click();
    await page.getByText('This role holds permissions you do not hold').waitFor();
    await page.getByLabel('Description').fill('changed by someone without the token permissions');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#role-form .form-alert').getByText(/You cannot grant the \w+:developer_tokens permission/).waitFor();

    // a name that exists: the server's words beside the name field
    await page.goto(`${srv.url}/console/settings/roles/new`);
    await page.getByLabel('Name').fill('Token Manager');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.locator('.field-error').getByText('A role with this name already exists.').waitFor();
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');

    // the same user without create:roles: no New role, and the editor for a new role refused
    await ok(srv, 'mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { id } }',
      { id: rm.roleId, i: { permissions: ['read:roles', 'update:roles', 'read:users'] } }, { session: srv.admin.session });
    await page.goto(`${srv.url}/console/settings/roles`);
    await roleRow(page, 'Token Manager').waitFor();
    assert.equal(await page.getByRole('link', { name: 'New role' }).count(), 0);
    await page.goto(`${srv.url}/console/settings/roles/new`);
    await page.getByRole('heading', { level: 1, name: "You don't have access to this page" }).waitFor();
    await page.getByText('create:roles', { exact: true }).waitFor();
    // they hold no token permission: no API Tokens in the nav, and refused by URL
    assert.equal((await navLabels(page)).includes('API Tokens'), false);
    await page.goto(`${srv.url}/console/settings/tokens`);
    await page.getByRole('heading', { level: 1, name: "You don't have access to this page" }).waitFor();
    await page.locator('.denied code').getByText('read:developer_tokens', { exact: true }).waitFor();
    assert.deepEqual(page.lecternErrors, []);
  });
});
