// SPDX-License-Identifier: MIT
// A user (/console/users/:id): profile with edit (name, email), deactivate / reactivate with
// confirmation, roles (add and remove the ones the viewer may assign), a new Console password,
// the developer tokens the user generated, and recent audit events about and by the user. Each
// part appears only with the permission it needs; what the server refuses is shown in words
// beside the control that asked.
import { gql } from './api.js';
import {
  h, alertBox, badge, cell, changedFields, confirmDialog, dataTable, field, fill, loading,
  onFormSubmit, showFormError, submitBusy, timeText, toast, withBusy,
} from './ui.js';
import { BASE, allRoles, canAssign, userStatusBadge } from './list.js';

// How many recent audit events are read per family to find those about the user (the API
// filters the audit log by actor, action and time, not by target: see docs/console-pages-part2.md).
const AUDIT_SCAN = 100;
const AUDIT_SHOW = 10;
const TARGET_FAMILIES = ['user.', 'role.', 'login.'];

function userQuery(ctx) {
  return `query($id: ID!) { user(id: $id) {
    id name email status canLogIn lastLoginAt createdAt updatedAt
    ${ctx.can('read:roles') ? 'roles { id name kind builtIn permissions { name } }' : ''}
  } }`;
}

function card(title, ...children) {
  return h('section', { class: 'card detail-card' }, h('h2', null, title), ...children);
}

function dl(items) {
  return h('dl', { class: 'facts' }, items.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function tokenStatusBadge(status) {
  if (status === 'ACTIVE') return badge('Active', 'ok');
  if (status === 'EXPIRED') return badge('Expired', 'warn');
  return badge('Deactivated', 'danger');
}

// The "Profile" card: facts, and the edit form with update:users.
function profileCard(ctx, u, reload) {
  const facts = dl([
    ['ID', h('code', { class: 'user-id' }, u.id)],
    ['Status', userStatusBadge(u.status)],
    ['Console access', u.canLogIn ? 'Has a password' : 'No password (cannot sign in)'],
    ['Last login', timeText(u.lastLoginAt)],
    ['Created', timeText(u.createdAt)],
    ['Changed', timeText(u.updatedAt)],
  ]);
  if (!ctx.can('update:users')) return card('Profile', facts);
  const form = h('form', { class: 'form-profile', id: 'profile-form', novalidate: true },
    field({ label: 'Name', name: 'name', value: u.name, required: true, autocomplete: 'off' }),
    field({ label: 'Email', name: 'email', type: 'email', value: u.email, required: true, autocomplete: 'off' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save changes')));
  onFormSubmit(form, async (fd) => {
    const input = changedFields(fd, u, ['name', 'email']);
    if (Object.keys(input).length === 0) {
      toast('Nothing changed.', 'info');
      return;
    }
    await submitBusy(form.querySelector('button[type="submit"]'), form, async () => {
      await gql('mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }', { id: u.id, i: input });
      toast('Saved.');
      if (u.id === ctx.viewer.user.id) await ctx.refreshViewer();
      await reload();
    });
  });
  return card('Profile', facts, h('h3', null, 'Edit'), form);
}

// The "Roles" card: the user's roles; with assign:roles, remove (roles the viewer may assign)
// and add (the same, not held yet).
function rolesCard(ctx, u, roles, reload) {
  const box = h('div', { class: 'roles-alert' });
  const mayAssign = ctx.can('assign:roles');
  const held = new Set(u.roles.map((r) => r.id));
  const fail = (err) => {
    box.replaceChildren(alertBox(err));
    box.querySelector('.alert').tabIndex = -1;
    box.querySelector('.alert').focus();
  };
  const afterChange = async () => {
    if (u.id === ctx.viewer.user.id) {
      // The viewer's own permissions changed: the nav and this page may change with them.
      await ctx.refreshViewer();
      await ctx.navigate(location.pathname, { replace: true });
      return;
    }
    await reload();
  };
  const list = u.roles.length === 0
    ? h('p', { class: 'muted roles-empty' }, 'No role: a learner with no administrative permission.')
    : h('ul', { class: 'role-list' }, u.roles.map((r) => {
      const removable = mayAssign && canAssign(ctx, r);
      const btn = removable ? h('button', {
        type: 'button', class: 'btn btn-small', 'aria-label': `Remove the role ${r.name}`,
      }, 'Remove') : null;
      btn?.addEventListener('click', () => withBusy(btn, async () => {
        box.replaceChildren();
        try {
          await gql('mutation($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { id } }', { u: u.id, r: r.id });
          toast(`Role ${r.name} removed.`);
          await afterChange();
        } catch (err) {
          fail(err);
        }
      }));
      return h('li', { class: 'role-item' },
        h('span', { class: 'role-name' }, r.name),
        r.builtIn ? badge('Built in', 'muted') : null,
        h('span', { class: 'muted small' }, r.kind === 'CONSOLE_ADMIN' ? 'every permission'
          : `${r.permissions.length} permission${r.permissions.length === 1 ? '' : 's'}`),
        btn ?? (mayAssign ? h('span', { class: 'muted small' }, 'You cannot remove it: it holds permissions you do not.') : null));
    }));

  let add = null;
  if (mayAssign) {
    const offer = roles.filter((r) => !held.has(r.id) && canAssign(ctx, r));
    if (offer.length === 0) {
      add = h('p', { class: 'muted small' }, 'No other role you may assign.');
    } else {
      const sel = field({
        label: 'Add a role', name: 'roleId',
        options: [{ value: '', label: 'Choose a role…' }, ...offer.map((r) => ({ value: r.id, label: r.name }))],
      });
      const form = h('form', { class: 'form-inline add-role', novalidate: true }, sel,
        h('button', { type: 'submit', class: 'btn' }, 'Add role'));
      onFormSubmit(form, async () => {
        box.replaceChildren();
        const roleId = sel.control.value;
        if (!roleId) {
          showFormError(form, { message: 'Choose a role to add.', field: 'roleId' });
          return;
        }
        await submitBusy(form.querySelector('button[type="submit"]'), form, async () => {
          await gql('mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { id } }', { u: u.id, r: roleId });
          toast(`Role ${offer.find((r) => r.id === roleId)?.name ?? ''} added.`);
          await afterChange();
        });
      });
      add = form;
    }
  }
  return card('Roles', box, list, add);
}

// The "Password" card (update:users): sets a new Console password.
function passwordCard(ctx, u) {
  const self = u.id === ctx.viewer.user.id;
  const form = h('form', { class: 'form-password', id: 'password-form', novalidate: true },
    field({
      label: 'New password', name: 'password', type: 'password', autocomplete: 'new-password',
      hint: '12 to 1024 characters.',
    }),
    field({ label: 'Repeat it', name: 'repeat', type: 'password', autocomplete: 'new-password' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn' }, 'Set password')));
  onFormSubmit(form, async (fd) => {
    const pw = String(fd.get('password'));
    if (pw !== String(fd.get('repeat'))) {
      showFormError(form, { message: 'The two passwords differ.', field: 'repeat' });
      return;
    }
    if (self) {
      const ok = await confirmDialog({
        title: 'Change your own password?',
        body: 'Your Console sessions end with it, this one too: you will sign in again with the new password.',
        confirmLabel: 'Change and sign out',
      });
      if (!ok) return;
    }
    await submitBusy(form.querySelector('button[type="submit"]'), form, async () => {
      await gql('mutation($id: ID!, $pw: String) { updateUser(id: $id, input: {password: $pw}) { id canLogIn } }', { id: u.id, pw });
      form.reset();
      toast(`New password set. ${u.name}'s Console sessions have ended.`);
      // Yours too: the next request says so and the sign-in page comes back.
      if (self) await ctx.refreshViewer().catch(() => {});
    });
  });
  return card(u.canLogIn ? 'Password' : 'Console access',
    h('p', { class: 'muted small' }, u.canLogIn
      ? 'Set a new Console password. It ends the user\'s Console sessions; their developer tokens keep working.'
      : 'This user has no Console password and cannot sign in. Set one to give them Console access (their roles decide what they may do there).'),
    form);
}

// The "Status" part of the head: deactivate / reactivate with confirmation.
function statusButton(ctx, u, alertHost, reload) {
  if (!ctx.can('deactivate:users')) return null;
  const deactivate = u.status === 'ACTIVE';
  const btn = h('button', { type: 'button', class: ['btn', deactivate && 'btn-danger'], id: 'user-status-action' },
    deactivate ? 'Deactivate' : 'Reactivate');
  btn.addEventListener('click', async () => {
    alertHost.replaceChildren();
    const ok = await confirmDialog(deactivate ? {
      title: `Deactivate ${u.name}?`,
      body: h('div', null,
        h('p', null, `${u.name} will not be able to sign in to the Console, their sessions end, and every developer token they generated stops working at once.`),
        h('p', null, 'You can reactivate them later; their tokens then work again.')),
      confirmLabel: 'Deactivate',
      danger: true,
    } : {
      title: `Reactivate ${u.name}?`,
      body: `${u.name} will be able to sign in again (with a password), and the developer tokens they generated that are still active work again.`,
      confirmLabel: 'Reactivate',
    });
    if (!ok) return;
    await withBusy(btn, async () => {
      try {
        const m = deactivate ? 'deactivateUser' : 'reactivateUser';
        await gql(`mutation($id: ID!) { ${m}(id: $id) { id status } }`, { id: u.id });
        toast(deactivate ? `${u.name} is deactivated.` : `${u.name} is active again.`);
        await reload();
      } catch (err) {
        const box = alertBox(err);
        box.tabIndex = -1;
        alertHost.replaceChildren(box);
        box.focus();
      }
    });
  });
  return btn;
}

function tokensCard(u) {
  const body = h('div', null, loading('tokens'));
  const c = card('Developer tokens', body);
  (async () => {
    let d;
    try {
      d = await gql(`query($id: ID!) { developerTokens(first: 20, filter: {creatorId: $id}, orderBy: {direction: DESC}) {
        totalCount nodes { id name hint status createdAt lastUsedAt lastUsedIp expiresAt } } }`, { id: u.id });
    } catch (err) {
      body.replaceChildren(alertBox(err));
      return;
    }
    const conn = d.developerTokens;
    const more = conn.totalCount > conn.nodes.length
      ? h('p', { class: 'muted small' }, `The newest ${conn.nodes.length} of ${conn.totalCount}.`) : null;
    fill(body,
      conn.nodes.length === 0 ? h('p', { class: 'muted' }, `${u.name} has generated no developer token.`)
        : dataTable({
          caption: `Developer tokens generated by ${u.name}`,
          columns: ['Name', 'Token', 'Status', 'Created', 'Last used', 'Expires'],
          rows: conn.nodes.map((t) => h('tr', null,
            cell('Name', t.name),
            cell('Token', h('code', null, t.hint)),
            cell('Status', tokenStatusBadge(t.status)),
            cell('Created', timeText(t.createdAt)),
            cell('Last used', timeText(t.lastUsedAt), t.lastUsedIp ? h('span', { class: 'cell-sub' }, t.lastUsedIp) : null),
            cell('Expires', t.expiresAt ? timeText(t.expiresAt) : h('span', { class: 'muted' }, 'Never')))),
        }),
      more,
      h('p', { class: 'small' }, h('a', { href: `${BASE}/settings/tokens` }, 'Manage tokens in Settings → API Tokens')),
      u.status !== 'ACTIVE' ? h('p', { class: 'muted small' }, 'The user is deactivated: none of these tokens works now.') : null);
  })();
  return c;
}

function auditRow(e, u) {
  const target = e.targetType === 'user' && e.targetId === u.id ? 'this user' : e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—';
  return h('tr', null,
    cell('Time', timeText(e.createdAt)),
    cell('Action', h('code', null, e.action)),
    cell('By', e.actor === undefined ? '—' : e.actor ? (e.actor.id === u.id ? 'this user' : e.actor.name) : 'System'),
    cell('Target', target),
    cell('IP', e.ip ?? '—'));
}

function auditCard(ctx, u) {
  const about = h('div', null, loading('events'));
  const by = h('div', null, loading('events'));
  const actorSel = ctx.can('read:users') ? 'actor { id name }' : '';
  const sel = `nodes { id action createdAt targetType targetId ip ${actorSel} }`;
  const columns = ['Time', 'Action', 'By', 'Target', 'IP'];
  const c = card('Recent activity',
    h('h3', null, 'Changes to this user'), about,
    h('h3', null, 'Done by this user'), by,
    h('p', { class: 'small' }, h('a', { href: `${BASE}/audit?actor=${encodeURIComponent(u.id)}` }, 'All events by this user in the audit log')));
  (async () => {
    try {
      // Nothing is about a user before it was created: since bounds the scan for new users.
      const results = await Promise.all(TARGET_FAMILIES.map((action) => gql(
        `query($a: String, $since: DateTime) { auditEvents(first: ${AUDIT_SCAN}, filter: {action: $a, since: $since}) { ${sel} } }`,
        { a: action, since: u.createdAt })));
      const events = results.flatMap((d) => d.auditEvents.nodes)
        .filter((e) => e.targetType === 'user' && e.targetId === u.id)
        // Newest first; a stable sort keeps the server's order within a family and a second.
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
        .slice(0, AUDIT_SHOW);
      about.replaceChildren(events.length === 0
        ? h('p', { class: 'muted' }, 'No recent change to this user.')
        : dataTable({ caption: 'Recent changes to this user', columns, rows: events.map((e) => auditRow(e, u)) }),
      h('p', { class: 'muted small' }, `Looked for among the latest ${AUDIT_SCAN} user, role and login events.`));
    } catch (err) {
      about.replaceChildren(alertBox(err));
    }
  })();
  (async () => {
    try {
      const d = await gql(`query($id: ID) { auditEvents(first: ${AUDIT_SHOW}, filter: {actorId: $id}) { totalCount ${sel} } }`, { id: u.id });
      const conn = d.auditEvents;
      by.replaceChildren(conn.nodes.length === 0
        ? h('p', { class: 'muted' }, 'Nothing yet.')
        : dataTable({ caption: 'Recent events done by this user', columns, rows: conn.nodes.map((e) => auditRow(e, u)) }));
    } catch (err) {
      by.replaceChildren(alertBox(err));
    }
  })();
  return c;
}

async function render(main, ctx, params) {
  const id = params.id;
  const host = h('div', { class: 'user-detail' }, loading('the user'));
  main.append(host);
  let roles = [];

  async function load() {
    const wantRoles = ctx.can('read:roles') && ctx.can('assign:roles');
    const [d, r] = await Promise.all([
      gql(userQuery(ctx), { id }),
      wantRoles ? allRoles().catch((err) => err) : Promise.resolve([]),
    ]);
    const u = d.user;
    if (!u) {
      document.title = 'User not found · lectern Console';
      host.replaceChildren(
        h('p', { class: 'breadcrumb' }, h('a', { href: `${BASE}/users` }, 'Users')),
        h('h1', null, 'User not found'),
        h('p', null, 'There is no user with this ID in your organisation.'),
        h('p', null, h('a', { href: `${BASE}/users` }, 'Back to the users')));
      return;
    }
    document.title = `${u.name} · lectern Console`;
    roles = Array.isArray(r) ? r : [];
    const statusAlert = h('div', { class: 'status-alert', id: 'status-alert' });
    // Profile at the left; roles and password at the right; tokens and activity below.
    const side = [];
    if (ctx.can('read:roles')) {
      const rc = rolesCard(ctx, u, roles, reload);
      if (r instanceof Error) rc.append(alertBox(`The roles you may assign could not be loaded: ${r.message}`));
      side.push(rc);
    }
    if (ctx.can('update:users')) side.push(passwordCard(ctx, u));
    const wide = [];
    if (ctx.can('read:developer_tokens')) wide.push(tokensCard(u));
    if (ctx.can('read:audit_events')) wide.push(auditCard(ctx, u));
    host.replaceChildren(
      h('p', { class: 'breadcrumb' }, h('a', { href: `${BASE}/users` }, 'Users'), ' › ', u.name),
      h('div', { class: 'page-head' },
        h('div', { class: 'user-head' },
          h('h1', null, u.name),
          h('p', { class: 'page-intro' }, h('span', { class: 'break' }, u.email), ' ', userStatusBadge(u.status),
            u.id === ctx.viewer.user.id ? [' ', badge('You', 'info')] : null)),
        h('div', { class: 'page-actions' }, statusButton(ctx, u, statusAlert, reload))),
      statusAlert,
      h('div', { class: ['detail-grid', side.length === 0 && 'detail-grid-one'] },
        h('div', { class: 'detail-col' }, profileCard(ctx, u, reload)),
        side.length ? h('div', { class: 'detail-col' }, side) : null),
      wide.length ? h('div', { class: 'detail-wide' }, wide) : null);
  }

  // After a change: read the user again, keeping the focus on the same control when it is
  // still there (by id), else on the heading.
  async function reload() {
    const focusId = document.activeElement?.id;
    await load();
    const again = focusId && document.getElementById(focusId);
    if (again && host.contains(again)) again.focus();
    else {
      const h1 = host.querySelector('h1');
      if (h1) {
        h1.tabIndex = -1;
        h1.focus();
      }
    }
  }

  await load();
}

export default {
  path: '/users/:id',
  title: 'User',
  permission: 'read:users',
  nav: null,
  render,
};
