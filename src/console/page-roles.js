// SPDX-License-Identifier: MIT
// Settings → Roles and Permissions: the tenant's roles (/console/settings/roles) with their
// description, permissions and number of holders, and the role editor
// (/console/settings/roles/new, /console/settings/roles/:id): name, description and the
// permissions ticked by resource with the catalog's descriptions. Only permissions the viewer
// holds can be ticked (the server refuses the others anyway, and its error is shown). The
// built-in roles (Console Admin, Learner) are read-only and marked so.
import { gql } from './api.js';
import {
  h, clear, badge, alertBox, showFormError, clearFormErrors, toast, toastError, confirmDialog, pager,
  withBusy, field, permissionPicker, checkedPermissions, permissionChips,
} from './ui.js';

const PAGE_SIZE = 50;
const ROLE_FIELDS = 'id name description kind builtIn userCount permissions { name }';
const LIST = `query Roles($first: Int, $after: String) {
  roles(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${ROLE_FIELDS} }
  }
}`;
const ONE = `query Role($id: ID!) { role(id: $id) { ${ROLE_FIELDS} } permissions { name action resource description } }`;
const CATALOG = '{ permissions { name action resource description } }';
const CREATE = `mutation CreateRole($i: CreateRoleInput!) { createRole(input: $i) { ${ROLE_FIELDS} } }`;
const UPDATE = `mutation UpdateRole($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { ${ROLE_FIELDS} } }`;
const DELETE = 'mutation DeleteRole($id: ID!) { deleteRole(id: $id) }';

const BASE = '/console/settings/roles';

function kindBadge(role) {
  return role.builtIn ? badge('Built-in · read-only', 'info') : badge('Custom', 'muted');
}

function holders(n) {
  return n === 1 ? '1 user' : `${n} users`;
}

// Asks, then deletes a custom role; resolves true when it was deleted.
async function deleteRole(role, ctx) {
  const body = h('div', null,
    h('p', null, role.userCount > 0
      ? `${role.userCount === 1 ? '1 user holds' : `${role.userCount} users hold`} this role. They lose its permissions at once, and so do the developer tokens they generated.`
      : 'No user holds this role.'),
    h('p', null, 'This cannot be undone.'));
  const ok = await confirmDialog({ title: `Delete the role “${role.name}”?`, body, confirmLabel: 'Delete role', danger: true });
  if (!ok) return false;
  try {
    await gql(DELETE, { id: role.id });
  } catch (err) {
    toastError('The role was not deleted', err);
    return false;
  }
  toast(`Role “${role.name}” deleted.`);
  await ctx.refreshViewer().catch(() => {});
  return true;
}

// ---- The list ----------------------------------------------------------------------------------

function renderList(main, ctx) {
  const canCreate = ctx.can('create:roles');
  const canUpdate = ctx.can('update:roles');
  const st = { page: 1, cursors: [null], total: null };
  const results = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading roles…'));
  main.append(
    h('div', { class: 'page-head' },
      h('div', null,
        h('p', { class: 'breadcrumb' }, 'Settings'),
        h('h1', null, 'Roles and Permissions'),
        h('p', { class: 'page-intro' },
          'A role is a named set of permissions; a user holds the permissions of all their roles, and their developer tokens act with them. Console Admin and Learner are built in and cannot be changed.')),
      h('div', { class: 'page-actions' },
        canCreate ? h('a', { class: 'btn btn-primary', href: `${BASE}/new`, id: 'new-role' }, 'New role') : null)),
    results);

  async function load() {
    let conn;
    try {
      conn = (await gql(LIST, { first: PAGE_SIZE, after: st.cursors[st.page - 1] })).roles;
    } catch (err) {
      clear(results).append(alertBox(err), h('button', { type: 'button', class: 'btn', onClick: () => load() }, 'Try again'));
      return;
    }
    st.cursors[st.page] = conn.pageInfo.endCursor;
    const rows = conn.nodes.map((r) => {
      const perms = r.kind === 'CONSOLE_ADMIN'
        ? h('span', null, `Every permission (${r.permissions.length})`)
        : permissionChips(r.permissions.map((p) => p.name), 'No administrative permission');
      const actions = h('div', { class: 'actions' });
      const editable = !r.builtIn && canUpdate;
      actions.append(h('a', { class: 'btn btn-small', href: `${BASE}/${encodeURIComponent(r.id)}`, 'aria-label': `${editable ? 'Edit' : 'View'} ${r.name}` }, editable ? 'Edit' : 'View'));
      if (editable) {
        actions.append(h('button', {
          type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Delete ${r.name}`,
          onClick: async (e) => {
            const b = e.currentTarget;
            if (await withBusy(b, () => deleteRole(r, ctx))) await load();
            else b.focus();
          },
        }, 'Delete'));
      }
      return h('tr', { dataset: { roleId: r.id, roleName: r.name } },
        h('td', { 'data-label': 'Role' }, h('a', { href: `${BASE}/${encodeURIComponent(r.id)}`, class: 'role-name' }, r.name), ' ', kindBadge(r)),
        h('td', { 'data-label': 'Description' }, r.description || h('span', { class: 'muted' }, '—')),
        h('td', { 'data-label': 'Permissions' }, perms),
        h('td', { 'data-label': 'Holders', class: 'num' }, String(r.userCount)),
        h('td', { 'data-label': 'Actions' }, actions));
    });
    clear(results).append(
      h('div', { class: 'table-wrap stack' },
        h('table', { class: 'table roles-table', id: 'roles-table' },
          h('caption', { class: 'visually-hidden' }, 'Roles'),
          h('thead', null, h('tr', null, ['Role', 'Description', 'Permissions', 'Holders', 'Actions'].map((c) => h('th', { scope: 'col', class: c === 'Holders' ? 'num' : null }, c)))),
          h('tbody', null, rows))),
      ...(conn.totalCount > PAGE_SIZE || st.page > 1 ? [pager({
        pageInfo: conn.pageInfo, totalCount: conn.totalCount, pageSize: PAGE_SIZE, page: st.page,
        onPage: (p) => {
          st.page = p;
          load();
        },
      })] : []));
  }
  return load();
}

// ---- The editor ----------------------------------------------------------------------------

async function renderEditor(main, ctx, params) {
  const isNew = params.id === 'new';
  const back = h('p', { class: 'breadcrumb' }, 'Settings / ', h('a', { href: BASE }, 'Roles and Permissions'));
  let role = null;
  let catalog;
  if (isNew) {
    if (!ctx.can('create:roles')) {
      main.append(back, h('h1', null, "You don't have access to this page"),
        h('p', null, 'Creating a role needs the permission ', h('code', null, 'create:roles'), '.'));
      return;
    }
    catalog = (await gql(CATALOG)).permissions;
  } else {
    const d = await gql(ONE, { id: params.id });
    role = d.role;
    catalog = d.permissions;
    if (!role) {
      main.append(back, h('h1', null, 'Role not found'), h('p', null, 'There is no such role in this organisation (it may have been deleted).'));
      return;
    }
  }
  const readOnly = role ? role.builtIn || !ctx.can('update:roles') : false;
  const held = ctx.viewer.permissions;
  const selected = new Set(role ? role.permissions.map((p) => p.name) : []);

  const name = field({ label: 'Name', name: 'name', required: true, maxlength: '200', value: role?.name ?? '', disabled: readOnly, autocomplete: 'off' });
  const description = field({ label: 'Description', name: 'description', type: 'textarea', maxlength: '1000', value: role?.description ?? '', disabled: readOnly, rows: '2', hint: readOnly ? null : 'What the role is for, e.g. “Runs the HRIS integration”.' });
  const picker = permissionPicker({ catalog, held, selected, readOnly, idPrefix: 'role' });
  const notHeld = [...selected].filter((p) => !held.has(p));

  const form = h('form', { id: 'role-form', class: 'role-form', novalidate: true },
    name, description,
    h('fieldset', { class: 'perm-fieldset' },
      h('legend', null, 'Permissions'),
      readOnly ? null : h('p', { class: 'field-hint' }, 'Tick what holders of this role may do. You can only give permissions you hold yourself; the others are greyed out.'),
      notHeld.length && !readOnly
        ? alertBox(`This role holds ${notHeld.length === 1 ? 'a permission' : 'permissions'} you do not hold (${notHeld.join(', ')}): the server will refuse a change unless someone who holds ${notHeld.length === 1 ? 'it' : 'them'} makes it.`, 'warn')
        : null,
      picker));

  const title = isNew ? 'New role' : role.name;
  document.title = `${title} · lectern Console`;
  const headBadges = role ? h('span', { class: 'role-badges' }, kindBadge(role), ' ', badge(holders(role.userCount), 'muted')) : null;
  main.append(h('div', { class: 'page-head' },
    h('div', null, back, h('h1', null, title, ' ', headBadges)),
    null));

  if (role?.builtIn) {
    main.append(alertBox(role.kind === 'CONSOLE_ADMIN'
      ? 'Console Admin is built in: it holds every permission, including any a later version of lectern adds, and cannot be changed or deleted.'
      : 'Learner is built in: it holds no administrative permission and cannot be changed or deleted.', 'info'));
  } else if (readOnly) {
    main.append(alertBox('You can see this role; changing it needs the permission update:roles.', 'info'));
  }
  main.append(form);

  if (readOnly) {
    form.append(h('div', { class: 'form-actions' }, h('a', { class: 'btn', href: BASE }, 'Back to roles')));
    return;
  }

  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-role' }, isNew ? 'Create role' : 'Save changes');
  const actions = h('div', { class: 'form-actions' }, save, h('a', { class: 'btn', href: BASE }, 'Cancel'));
  if (!isNew) {
    actions.append(h('button', {
      type: 'button', class: 'btn btn-danger-outline push-right', id: 'delete-role',
      onClick: async (e) => {
        if (await withBusy(e.currentTarget, () => deleteRole(role, ctx))) ctx.navigate('/settings/roles');
      },
    }, 'Delete role'));
  }
  form.append(actions);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const input = {
      name: name.control.value.trim(),
      description: description.control.value.trim(),
      permissions: checkedPermissions(picker),
    };
    if (!input.name) {
      showFormError(form, { message: 'Give the role a name.', field: 'name' });
      return;
    }
    await withBusy(save, async () => {
      let saved;
      try {
        saved = isNew
          ? (await gql(CREATE, { i: input })).createRole
          : (await gql(UPDATE, { id: role.id, i: input })).updateRole;
      } catch (err) {
        showFormError(form, err);
        return;
      }
      toast(isNew ? `Role “${saved.name}” created.` : `Role “${saved.name}” saved.`);
      // The viewer may hold this role: their own permissions may have changed.
      await ctx.refreshViewer().catch(() => {});
      ctx.navigate('/settings/roles');
    });
  });
}

export default [
  {
    path: '/settings/roles',
    title: 'Roles and Permissions',
    permission: 'read:roles',
    nav: { label: 'Roles and Permissions', section: 'settings' },
    render: renderList,
  },
  {
    path: '/settings/roles/:id',
    title: 'Role',
    permission: 'read:roles',
    nav: null,
    render: renderEditor,
  },
];
