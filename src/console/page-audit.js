// SPDX-License-Identifier: MIT
// The audit log (/console/audit): every change and token lifecycle event of the organisation,
// newest first, filtered by actor, action (exact, or a family ending in a dot) and time range,
// paged. Each row: when, who (and through which developer token), what, on what, from where,
// and on demand the event's JSON detail as text. The filter lives in the URL query.
import { gql } from './api.js';
import { h, cell, dataTable, field, newId, timeText } from './ui.js';
import {
  BASE, PAGE_SIZE, pagedList, readListState, userHref, userPicker,
} from './list.js';

const KEYS = ['actor', 'action', 'since', 'until'];

// The actions lectern writes (src/store), for the action box's suggestions.
const ACTIONS = [
  'user.', 'user.create', 'user.update', 'user.password', 'user.deactivate', 'user.reactivate',
  'role.', 'role.create', 'role.update', 'role.delete', 'role.assign', 'role.unassign',
  'course.', 'course.create', 'course.update',
  'enrollment.', 'enrollment.create', 'enrollment.update',
  'token.', 'token.create', 'token.rename', 'token.update', 'token.deactivate', 'token.reactivate',
  'login.', 'login.success', 'login.failure', 'login.locked',
  'tenant.', 'tenant.bootstrap', 'tenant.rate',
];

// "2026-11-28T12:00:00Z" → the value of a datetime-local input in local time ("2026-11-28T13:00").
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A datetime-local value (local time) → RFC 3339 UTC with seconds; '' when empty or invalid.
function fromLocalInput(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, 19)}Z`;
}

// Where an audit target is in the Console, when it has a page.
function targetLink(type, id) {
  if (!id) return null;
  if (type === 'user') return userHref(id);
  if (type === 'course') return `${BASE}/courses/${encodeURIComponent(id)}`;
  return null;
}

function whoCell(ctx, e) {
  const parts = [];
  if (!ctx.can('read:users')) {
    parts.push(h('span', { class: 'muted', title: 'Seeing who needs the read:users permission.' }, 'Hidden'));
  } else if (e.actor) {
    parts.push(h('a', { href: userHref(e.actor.id) }, e.actor.name), h('span', { class: 'cell-sub break' }, e.actor.email));
  } else {
    parts.push(h('span', { class: 'muted' }, 'System (command line)'));
  }
  if (e.actorToken) {
    parts.push(h('span', { class: 'cell-sub via-token' }, 'via token ', h('strong', null, e.actorToken.name), ' ',
      h('code', null, e.actorToken.hint)));
  }
  return cell('Who', ...parts);
}

function eventRows(ctx, e) {
  const detailId = newId('detail');
  const hasDetail = e.detail !== null && e.detail !== undefined;
  const toggle = hasDetail ? h('button', {
    type: 'button', class: 'btn btn-small detail-toggle', 'aria-expanded': 'false', 'aria-controls': detailId,
  }, 'Detail') : h('span', { class: 'muted' }, '—');
  const href = targetLink(e.targetType, e.targetId);
  const row = h('tr', { dataset: { event: e.id, action: e.action } },
    cell('Time', timeText(e.createdAt)),
    whoCell(ctx, e),
    cell('Action', h('code', { class: 'action' }, e.action)),
    cell('Target', e.targetType
      ? [h('span', { class: 'target-type' }, e.targetType), ' ',
        e.targetId ? (href ? h('a', { href, class: 'mono break' }, e.targetId) : h('code', { class: 'break' }, e.targetId)) : null]
      : h('span', { class: 'muted' }, '—')),
    cell('IP', e.ip ? h('span', { class: 'mono' }, e.ip) : h('span', { class: 'muted' }, '—')),
    cell('Detail', toggle));
  if (!hasDetail) return [row];
  const detail = h('tr', { class: 'row-detail', id: detailId, hidden: true },
    h('td', { colspan: '6' }, h('pre', { class: 'json-detail' }, JSON.stringify(e.detail, null, 2))));
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide' : 'Detail';
    detail.hidden = !open;
  });
  return [row, detail];
}

async function render(main, ctx) {
  const state = readListState(KEYS);
  const withUsers = ctx.can('read:users');
  const withTokens = ctx.can('read:developer_tokens');
  const results = h('div', { class: 'list-results', tabindex: '-1', 'aria-live': 'polite' });

  // Actor: picked by searching the users (read:users), or an ID typed in.
  const actorHost = h('div', { class: 'actor-filter' });
  let actorId = state.values.actor;
  let picker = null;
  function drawActor(label) {
    if (actorId) {
      const remove = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Remove the actor filter' }, 'Remove');
      remove.addEventListener('click', () => {
        actorId = '';
        drawActor();
        apply();
      });
      actorHost.replaceChildren(h('div', { class: 'field' },
        h('span', { class: 'field-label' }, 'Actor'),
        h('span', { class: 'actor-chip' }, h('span', { class: 'actor-name' }, label ?? actorId), remove)));
      return;
    }
    if (withUsers) {
      picker = userPicker({
        name: 'actorPick', label: 'Actor', hint: 'Search by name or email, then pick one.',
        onPick: (u) => {
          actorId = u.id;
          drawActor(`${u.name} <${u.email}>`);
          apply();
        },
      });
      actorHost.replaceChildren(picker.el);
    } else {
      actorHost.replaceChildren(field({
        label: 'Actor ID', name: 'actorId', autocomplete: 'off', spellcheck: 'false',
        hint: 'The ID of a user (naming users needs read:users).',
      }));
    }
  }
  drawActor();
  if (actorId && withUsers) {
    gql('query($id: ID!) { user(id: $id) { id name email } }', { id: actorId }).then((d) => {
      if (actorId === state.values.actor) drawActor(d.user ? `${d.user.name} <${d.user.email}>` : `No user with the ID ${actorId}`);
    }, (err) => {
      if (actorId === state.values.actor) drawActor(`${actorId} (the name could not be read: ${err.message})`);
    });
  }

  const listId = newId('actions');
  const action = field({
    label: 'Action', name: 'action', value: state.values.action, list: listId, autocomplete: 'off', spellcheck: 'false',
    hint: 'Exact (user.create) or a family ending in a dot (user.).',
  });
  const since = field({ label: 'From', name: 'since', type: 'datetime-local', value: toLocalInput(state.values.since) });
  const until = field({ label: 'Until', name: 'until', type: 'datetime-local', value: toLocalInput(state.values.until), hint: 'Up to, not including, this minute.' });
  const clearLink = h('a', { href: `${BASE}/audit`, class: 'btn btn-ghost clear-filters' }, 'Clear');
  const form = h('form', { class: 'toolbar filters audit-filters', role: 'search', 'aria-label': 'Filter the audit log', novalidate: true },
    actorHost, action, h('datalist', { id: listId }, ACTIONS.map((a) => h('option', { value: a }))), since, until,
    h('div', { class: 'toolbar-buttons' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply'), clearLink));

  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Audit log'),
        h('p', { class: 'page-intro' }, 'Every change and every developer-token event of your organisation, newest first.'))),
    form, results);

  function formValues() {
    const fd = new FormData(form);
    // Without read:users the actor is an ID typed in, unless one is already chosen (from the URL).
    const typed = form.querySelector('input[name="actorId"]');
    const typedActor = typed ? String(fd.get('actorId') ?? '').trim() : actorId;
    return {
      actor: typedActor,
      action: String(fd.get('action') ?? '').trim(),
      since: fromLocalInput(String(fd.get('since') ?? '')),
      until: fromLocalInput(String(fd.get('until') ?? '')),
    };
  }

  const sel = ['id action targetType targetId ip detail createdAt',
    withUsers ? 'actor { id name email }' : '',
    withTokens ? 'actorToken { id name hint }' : ''].join(' ');
  const list = pagedList({
    results,
    path: '/audit',
    noun: ['event', 'events'],
    fetch: async (st) => {
      const filter = {};
      if (st.values.actor) filter.actorId = st.values.actor;
      if (st.values.action) filter.action = st.values.action;
      if (st.values.since) filter.since = st.values.since;
      if (st.values.until) filter.until = st.values.until;
      return (await gql(`query($first: Int, $after: String, $filter: AuditEventFilter) {
        auditEvents(first: $first, after: $after, filter: $filter) {
          totalCount pageInfo { hasNextPage endCursor } nodes { ${sel} } } }`, {
        first: PAGE_SIZE, after: st.afters.at(-1) ?? null, filter,
      })).auditEvents;
    },
    // A filter the server refused: the message beside the filter at fault too.
    onError: (err) => {
      const where = { 'filter.action': action, 'filter.since': since, 'filter.until': until }[err.field];
      if (where) {
        where.control.setAttribute('aria-invalid', 'true');
        where.append(h('p', { class: 'field-error' }, err.message));
      }
    },
    filtered: (st) => KEYS.some((k) => st.values[k]),
    clearLink,
    empty: (st, filtered) => (filtered ? 'No event matches these filters.' : 'Nothing has happened yet.'),
    table: (conn) => dataTable({
      caption: 'Audit events, newest first',
      columns: ['Time', 'Who', 'Action', 'Target', 'IP', 'Detail'],
      className: 'audit-table',
      rows: conn.nodes.flatMap((e) => eventRows(ctx, e)),
    }),
  });

  function apply() {
    for (const el of form.querySelectorAll('.field-error')) el.remove();
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    list.go({ values: formValues(), afters: [] });
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  await list.show(state);
}

export default {
  path: '/audit',
  title: 'Audit log',
  permission: 'read:audit_events',
  nav: { label: 'Audit log', section: 'main' },
  render,
};
