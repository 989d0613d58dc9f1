// SPDX-License-Identifier: MIT
// Users, the Console's home page (/console/users): search by name, email or ID, filter by role
// and status, page through, export every user of the current filter as CSV, create a user.
// The filter and the page live in the URL query (?q=&role=&status=&after=…), so that reload,
// back and a shared link show the same list. Also exports the small helpers the other pages of
// this part share (URL list state, the roles list, the user picker).
import { gql } from './api.js';
import {
  h, alertBox, badge, clearFormErrors, downloadCsv, field, formatTime, newId, openDialog, pager,
  relativeTime, showFormError, toast, withBusy,
} from './ui.js';

export const BASE = '/console';
export const PAGE_SIZE = 20;
const EXPORT_PAGE = 100;

// ---- List state in the URL ------------------------------------------------------------------
// A list's state: filter values (strings, '' = not set) and the `after` cursors of the pages
// before this one (the API pages forward only, so page n carries the n-1 cursors that lead to
// it; the last one is this page's `after`). Cursors are opaque: passed back, never read.

export function readListState(keys) {
  const sp = new URLSearchParams(location.search);
  const values = {};
  for (const k of keys) values[k] = (sp.get(k) ?? '').trim();
  return { values, afters: sp.getAll('after').filter(Boolean) };
}

// "/console/users?q=ada&after=…" for an app path and a state.
export function listHref(path, values, afters = []) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) sp.set(k, v);
  for (const a of afters) sp.append('after', a);
  const s = sp.toString();
  return `${BASE}${path}${s ? `?${s}` : ''}`;
}

// Records a new list state as a history entry (Back returns to the previous one: app.js
// renders the page again from the URL on popstate).
export function pushListState(path, values, afters = []) {
  const href = listHref(path, values, afters);
  if (href !== location.pathname + location.search) history.pushState(null, '', href);
}

// The pager of a list whose state is in the URL: onChange(newAfters) is called on a click.
export function listPager(conn, afters, onChange) {
  return pager({
    pageInfo: conn.pageInfo,
    totalCount: conn.totalCount,
    pageSize: PAGE_SIZE,
    page: afters.length + 1,
    onPage: (_page, dir) => {
      if (dir === 'next' && conn.pageInfo.endCursor) onChange([...afters, conn.pageInfo.endCursor]);
      else if (dir === 'prev') onChange(afters.slice(0, -1));
    },
  });
}

// ---- Shared bits ----------------------------------------------------------------------------

// Every role of the tenant (needs read:roles), page by page: [{id, name, kind, permissions}].
export async function allRoles() {
  const out = [];
  let after = null;
  for (;;) {
    const d = await gql(`query($after: String) { roles(first: 100, after: $after) {
      nodes { id name kind builtIn permissions { name } } pageInfo { hasNextPage endCursor } } }`, { after });
    out.push(...d.roles.nodes);
    if (!d.roles.pageInfo.hasNextPage || !d.roles.pageInfo.endCursor) return out;
    after = d.roles.pageInfo.endCursor;
  }
}

// Whether the viewer may give or take a role: assign:roles and every permission of the role
// (the server checks the same; this only decides what to offer).
export function canAssign(ctx, role) {
  return ctx.can('assign:roles') && role.permissions.every((p) => ctx.viewer.permissions.has(p.name));
}

export function userStatusBadge(status) {
  return status === 'ACTIVE' ? badge('Active', 'ok') : badge('Deactivated', 'danger');
}

export function userHref(id) {
  return `${BASE}/users/${encodeURIComponent(id)}`;
}

// A time cell: the local date and time, with how long ago as a tooltip.
export function timeText(iso) {
  return h('span', { class: 'nowrap', title: iso ? `${relativeTime(iso)} (${iso})` : null }, formatTime(iso));
}

// A table inside a horizontal scroller that stacks into cards on phones. columns: [label];
// rows: [<tr>]. Cells should carry data-label (see cell()).
export function dataTable({ caption, columns, rows, className = '' }) {
  return h('div', { class: ['table-wrap', 'stack', className] },
    h('table', { class: 'table' },
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows)));
}

export function cell(label, ...children) {
  return h('td', { 'data-label': label }, ...children);
}

// Replaces the children of el with children, skipping null/false and flattening arrays (the
// DOM's replaceChildren would write "null"). Strings become text nodes, never HTML.
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

// "Loading…" while a part of a page is fetched.
export function loading(what) {
  return h('p', { class: 'muted loading', role: 'status' }, `Loading ${what}…`);
}

// Picks a user by searching (needs read:users): a search box and, below it, the matches as
// radio buttons named `name` (so that a server error about that field lands beside them).
// Returns {el, value(), clear()}; value() is the picked user's ID or ''. onPick(user) is called
// when one is picked. `label` labels the search box.
export function userPicker({ name = 'userId', label = 'Find a user', hint = 'Type part of a name or email, or paste an ID.', onPick = () => {} } = {}) {
  const id = newId('picker');
  const input = h('input', {
    type: 'search', id, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': `${id}-hint`, 'aria-controls': `${id}-results`,
  });
  const results = h('fieldset', { class: 'picker-results', id: `${id}-results`, 'aria-live': 'polite' });
  const status = h('p', { class: 'picker-status muted small', role: 'status' });
  const el = h('div', { class: 'field user-picker' },
    h('label', { for: id, class: 'field-label' }, label),
    input,
    h('p', { class: 'field-hint', id: `${id}-hint` }, hint),
    status,
    results);
  let seq = 0;
  let timer = null;
  let picked = '';

  async function search() {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      results.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = 'Searching…';
    let d;
    try {
      d = await gql(`query($q: String) { users(first: 8, filter: {query: $q}) {
        totalCount nodes { id name email status } } }`, { q });
    } catch (err) {
      if (mine !== seq) return;
      status.textContent = '';
      results.replaceChildren(alertBox(err));
      return;
    }
    if (mine !== seq) return;
    const nodes = d.users.nodes;
    status.textContent = nodes.length === 0 ? 'No user matches.'
      : d.users.totalCount > nodes.length ? `The first ${nodes.length} of ${d.users.totalCount} matches: type more to narrow.`
        : `${nodes.length} match${nodes.length === 1 ? '' : 'es'}.`;
    fill(results,
      h('legend', { class: 'visually-hidden' }, 'Matching users'),
      nodes.map((u) => {
        const rid = newId('pick');
        const radio = h('input', {
          type: 'radio', name, value: u.id, id: rid, checked: u.id === picked,
          onChange: () => {
            picked = u.id;
            onPick(u);
          },
        });
        return h('div', { class: 'picker-item' }, radio,
          h('label', { for: rid },
            h('span', { class: 'picker-name' }, u.name), ' ',
            h('span', { class: 'picker-email' }, u.email),
            u.status !== 'ACTIVE' ? [' ', badge('Deactivated', 'danger')] : null));
      }));
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      // Enter searches now instead of submitting the surrounding form.
      e.preventDefault();
      clearTimeout(timer);
      search();
    }
  });
  return {
    el,
    input,
    value: () => picked || (results.querySelector(`input[name="${CSS.escape(name)}"]:checked`)?.value ?? ''),
    clear: () => {
      picked = '';
      input.value = '';
      results.replaceChildren();
      status.textContent = '';
    },
  };
}

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
  const dlg = openDialog({
    title: 'New user',
    content: form,
    actions: [{ label: 'Cancel', kind: '' }, { label: 'Create user', kind: 'primary', type: 'submit', form: formId }],
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const fd = new FormData(form);
    const input = { email: String(fd.get('email')).trim(), name: String(fd.get('name')).trim() };
    const pw = String(fd.get('password') ?? '');
    if (pw) input.password = pw;
    const roleIds = fd.getAll('roleIds').map(String);
    if (roleIds.length) input.roleIds = roleIds;
    const submit = dlg.dialog.querySelector('button[type="submit"]');
    await withBusy(submit, async () => {
      try {
        const d = await gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id name } }', { i: input });
        dlg.close('created');
        toast(`User ${d.createUser.name} created.`);
        ctx.navigate(`/users/${encodeURIComponent(d.createUser.id)}`);
      } catch (err) {
        showFormError(form, err);
      }
    });
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

  let current = state;
  let seq = 0;
  let roles = [];

  function formValues() {
    const fd = new FormData(form);
    return {
      q: String(fd.get('q') ?? '').trim(),
      role: String(fd.get('role') ?? ''),
      status: String(fd.get('status') ?? ''),
    };
  }

  async function show(st, { focus = false } = {}) {
    current = st;
    const mine = ++seq;
    clearLink.hidden = !KEYS.some((k) => st.values[k]);
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) results.append(loading('users'));
    let d;
    try {
      d = await gql(usersQuery(withRoles), {
        first: PAGE_SIZE, after: st.afters.at(-1) ?? null, filter: apiFilter(st.values),
      });
    } catch (err) {
      if (mine !== seq) return;
      results.removeAttribute('aria-busy');
      results.replaceChildren(alertBox(err));
      return;
    }
    if (mine !== seq) return;
    const conn = d.users;
    const filtered = KEYS.some((k) => st.values[k]);
    let body;
    if (conn.nodes.length === 0) {
      body = h('div', { class: 'empty-state' },
        st.afters.length ? h('p', null, 'No more users here. ', h('a', { href: listHref('/users', st.values) }, 'Back to the first page'))
          : h('p', null, filtered ? 'No user matches these filters.' : 'There are no users yet.'));
    } else {
      const columns = ['Name', 'Email', withRoles && 'Roles', 'Status', 'Last login', 'Created'].filter(Boolean);
      body = dataTable({ caption: 'Users', columns, rows: conn.nodes.map((u) => userRow(u, withRoles)), className: 'users-table' });
    }
    results.removeAttribute('aria-busy');
    fill(results,
      h('p', { class: 'result-count muted small', id: 'user-count' },
        `${conn.totalCount} user${conn.totalCount === 1 ? '' : 's'}${filtered ? ' match' : ''}`),
      body,
      conn.totalCount > 0 ? listPager(conn, st.afters, (afters) => go({ values: st.values, afters }, true)) : null);
    if (focus) results.focus();
  }

  function go(st, focus = false) {
    pushListState('/users', st.values, st.afters);
    return show(st, { focus });
  }

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
    const filter = apiFilter(current.values);
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

  const listing = show(state);
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
