// SPDX-License-Identifier: MIT
// Users, the Console's home page (/console/users): search by name, email or ID, filter by role
// and status, page through, export every user of the current filter as CSV, create a user.
// The filter and the page live in the URL query (?q=&role=&status=&after=…), so that reload,
// back and a shared link show the same list (list.js).
import { gql } from './api.js';
import {
  h, alertBox, cell, dataTable, downloadCsv, field, formDialog, newId, submitBusy, timeText, toast,
  withBusy,
} from './ui.js';
import {
  BASE, PAGE_SIZE, allRoles, canAssign, pagedList, readListState, userHref, userStatusBadge,
} from './list.js';

const EXPORT_PAGE = 100;

// ---- The users list ---------------------------------------------------------------------------

const KEYS = ['q', 'role', 'status'];

function apiFilter(values) {
  const f = {};
  if (values.q) f.query = values.q;
  if (values.role) f.roleId = values.role;
  if (values.status === 'ACTIVE' || values.status === 'DEACTIVATED') f.status = values.status;
  return f;
}

function usersQuery(withRoles) {
  return `query($first: Int, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id name email status lastLoginAt createdAt ${withRoles ? 'roles { id name }' : ''} }
    } }`;
}

function userRow(u, withRoles) {
  return h('tr', null,
    cell('Name', h('a', { href: userHref(u.id), class: 'row-link' }, u.name)),
    cell('Email', h('span', { class: 'break' }, u.email)),
    withRoles ? cell('Roles', u.roles.length
      ? h('ul', { class: 'chips' }, u.roles.map((r) => h('li', { class: 'chip chip-role' }, r.name)))
      : h('span', { class: 'muted' }, 'None')) : null,
    cell('Status', userStatusBadge(u.status)),
    cell('Last login', timeText(u.lastLoginAt)),
    cell('Created', timeText(u.createdAt)));
}

// The CSV of every user of `filter`, fetched 100 at a time; progress(done, total) after each
// page; stops (resolving null) when cancelled() says so.
async function exportRows(filter, withRoles, progress, cancelled) {
  const header = ['id', 'name', 'email', 'status'];
  if (withRoles) header.push('roles');
  header.push('last login', 'created');
  const rows = [header];
  let after = null;
  for (;;) {
    const d = await gql(usersQuery(withRoles), { first: EXPORT_PAGE, after, filter });
    if (cancelled()) return null;
    for (const u of d.users.nodes) {
      const r = [u.id, u.name, u.email, u.status];
      if (withRoles) r.push(u.roles.map((x) => x.name).join('; '));
      r.push(u.lastLoginAt ?? '', u.createdAt);
      rows.push(r);
    }
    progress(rows.length - 1, d.users.totalCount);
    if (!d.users.pageInfo.hasNextPage || !d.users.pageInfo.endCursor) return rows;
    after = d.users.pageInfo.endCursor;
  }
}

function newUserDialog(ctx, roles) {
  const formId = newId('new-user');
  const assignable = roles.filter((r) => canAssign(ctx, r));
  const roleBoxes = assignable.map((r) => field({
    label: r.name, name: 'roleIds', type: 'checkbox', value: r.id,
    hint: r.kind === 'LEARNER' ? 'No administrative permission.' : `${r.permissions.length} permission${r.permissions.length === 1 ? '' : 's'}`,
  }));
  const form = h('form', { id: formId, class: 'form-new-user', novalidate: true },
    field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off' }),
    field({ label: 'Name', name: 'name', required: true, autocomplete: 'off' }),
    field({
      label: 'Password (optional)', name: 'password', type: 'password', autocomplete: 'new-password',
      hint: '12 to 1024 characters. Without one, the user cannot sign in to the Console (learners need none).',
    }),
    ctx.can('assign:roles') && assignable.length
      ? h('fieldset', { class: 'role-choices' }, h('legend', null, 'Roles'),
        h('p', { class: 'field-hint' }, 'Without a role the user is a learner. Only roles whose permissions you hold are offered.'),
        roleBoxes)
      : h('p', { class: 'field-hint' }, ctx.can('assign:roles')
        ? 'The user will be a learner.'
        : 'The user will be a learner: giving roles needs the assign:roles permission.'));
  formDialog({
    title: 'New user',
    form,
    submitLabel: 'Create user',
    onSubmit: async (fd, dlg) => {
      const input = { email: String(fd.get('email')).trim(), name: String(fd.get('name')).trim() };
      const pw = String(fd.get('password') ?? '');
      if (pw) input.password = pw;
      const roleIds = fd.getAll('roleIds').map(String);
      if (roleIds.length) input.roleIds = roleIds;
      await submitBusy(dlg.dialog.querySelector('button[type="submit"]'), form, async () => {
        const d = await gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id name } }', { i: input });
        dlg.close('created');
        toast(`User ${d.createUser.name} created.`);
        ctx.navigate(`/users/${encodeURIComponent(d.createUser.id)}`);
      });
    },
  });
}

async function render(main, ctx) {
  const withRoles = ctx.can('read:roles');
  const state = readListState(KEYS);
  const tenant = ctx.viewer?.tenant?.slug ?? 'lectern';

  const results = h('div', { class: 'list-results', tabindex: '-1', 'aria-live': 'polite' });
  const exportStatus = h('div', { class: 'export-status', role: 'status', hidden: true });
  const newBtn = ctx.can('create:users')
    ? h('button', { type: 'button', class: 'btn btn-primary', id: 'new-user' }, 'New user') : null;
  const exportBtn = h('button', { type: 'button', class: 'btn', id: 'export-users' }, 'Export filtered');

  // The filter form.
  const q = field({
    label: 'Search', name: 'q', type: 'search', value: state.values.q,
    placeholder: 'Name, email or ID', autocomplete: 'off', spellcheck: 'false',
  });
  q.classList.add('field-grow');
  const roleSel = withRoles
    ? field({ label: 'Role', name: 'role', options: [{ value: '', label: 'All roles' }], value: state.values.role })
    : null;
  const statusSel = field({
    label: 'Status', name: 'status', value: state.values.status,
    options: [{ value: '', label: 'Any status' }, { value: 'ACTIVE', label: 'Active' }, { value: 'DEACTIVATED', label: 'Deactivated' }],
  });
  const clearLink = h('a', { href: `${BASE}/users`, class: 'btn btn-ghost clear-filters' }, 'Clear');
  const form = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': 'Filter users' },
    q, roleSel, statusSel,
    h('div', { class: 'toolbar-buttons' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'), clearLink));

  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Users'),
        h('p', { class: 'page-intro' }, 'Everyone of your organisation: administrators and learners.')),
      h('div', { class: 'page-actions' }, exportBtn, newBtn)),
    form, exportStatus, results);

  let roles = [];

  function formValues() {
    const fd = new FormData(form);
    return {
      q: String(fd.get('q') ?? '').trim(),
      role: String(fd.get('role') ?? ''),
      status: String(fd.get('status') ?? ''),
    };
  }

  const list = pagedList({
    results,
    path: '/users',
    noun: ['user', 'users'],
    countId: 'user-count',
    fetch: async (st) => (await gql(usersQuery(withRoles), {
      first: PAGE_SIZE, after: st.afters.at(-1) ?? null, filter: apiFilter(st.values),
    })).users,
    filtered: (st) => KEYS.some((k) => st.values[k]),
    clearLink,
    empty: (st, filtered) => (filtered ? 'No user matches these filters.' : 'There are no users yet.'),
    table: (conn) => {
      const columns = ['Name', 'Email', withRoles && 'Roles', 'Status', 'Last login', 'Created'].filter(Boolean);
      return dataTable({ caption: 'Users', columns, rows: conn.nodes.map((u) => userRow(u, withRoles)), className: 'users-table' });
    },
  });
  const go = list.go;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go({ values: formValues(), afters: [] });
  });
  for (const sel of [roleSel, statusSel]) {
    sel?.control.addEventListener('change', () => go({ values: formValues(), afters: [] }));
  }

  newBtn?.addEventListener('click', () => newUserDialog(ctx, roles));

  let exporting = null;
  exportBtn.addEventListener('click', async () => {
    if (exporting) return;
    const filter = apiFilter(list.state.values);
    const bar = h('progress', { max: '1', value: '0', 'aria-label': 'Export progress' });
    const text = h('span', { class: 'export-text' }, 'Exporting users…');
    const cancel = h('button', { type: 'button', class: 'btn btn-small' }, 'Cancel');
    exportStatus.classList.remove('is-error');
    exportStatus.replaceChildren(bar, text, cancel);
    exportStatus.hidden = false;
    const job = { cancelled: false };
    exporting = job;
    cancel.addEventListener('click', () => {
      job.cancelled = true;
      exportStatus.replaceChildren(h('span', null, 'Export cancelled.'));
    });
    await withBusy(exportBtn, async () => {
      try {
        const rows = await exportRows(filter, withRoles, (done, total) => {
          bar.max = Math.max(total, 1);
          bar.value = done;
          text.textContent = `Exporting users: ${done} of ${total}…`;
        }, () => job.cancelled);
        if (!rows) return;
        const stamp = new Date().toISOString().slice(0, 10);
        downloadCsv(`users-${tenant}-${stamp}.csv`, rows);
        exportStatus.replaceChildren(h('span', null,
          `Exported ${rows.length - 1} user${rows.length === 2 ? '' : 's'} to users-${tenant}-${stamp}.csv.`));
      } catch (err) {
        if (job.cancelled) return;
        exportStatus.classList.add('is-error');
        exportStatus.replaceChildren(alertBox(`The export stopped: ${err.message}`));
      } finally {
        exporting = null;
      }
    });
  });

  const listing = list.show(state);
  if (withRoles) {
    try {
      roles = await allRoles();
      for (const r of roles) roleSel.control.append(h('option', { value: r.id, selected: r.id === state.values.role }, r.name));
      if (state.values.role && !roles.some((r) => r.id === state.values.role)) {
        roleSel.control.append(h('option', { value: state.values.role, selected: true }, 'Unknown role'));
      }
    } catch (err) {
      roleSel.after(alertBox(`The roles could not be loaded: ${err.message}`));
    }
  }
  await listing;
}

export default {
  path: '/users',
  title: 'Users',
  permission: 'read:users',
  nav: { label: 'Users', section: 'main' },
  render,
};
