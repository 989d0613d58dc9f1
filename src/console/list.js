// SPDX-License-Identifier: MIT
// What the users, user, courses and audit pages share (src/console/README.md, "list.js"): list
// state in the URL (filter and page), the paged list drawn from it, the roles list, the user
// picker, and user links and badges. Not a page: app.js does not route to it.
import { gql } from './api.js';
import { h, alertBox, badge, fill, loading, newId, pager } from './ui.js';

export const BASE = '/console';
export const PAGE_SIZE = 20;

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

// A paged list whose filter and page are in the URL (readListState), drawn into `results` (a
// .list-results element) at the app path `path`:
//   fetch(state)            → the connection {totalCount, pageInfo, nodes}; what it throws is
//                             shown as an alert in results, then onError(err) is called
//   table(conn, state)      → the table of conn.nodes (not called when there are none)
//   noun: [one, many]       ('user', 'users') for "Loading users…", "3 users", "No more users here"
//   empty(state, filtered)  → the words when the first page is empty
//   filtered(state)         → whether a filter is set (the count then says "match"; clearLink,
//                             a "Clear" link, is hidden while none is); countId: the count's id
// Returns {state, show(state, {focus}), go(state, focus)}: go records the state in the URL
// (a history entry) and shows it. A show overtaken by a newer one draws nothing.
export function pagedList({
  results, path, noun: [one, many], fetch, table, empty, filtered = () => false, clearLink = null,
  onError = () => {}, countId,
}) {
  let seq = 0;
  const list = {
    state: null,
    async show(st, { focus = false } = {}) {
      list.state = st;
      const mine = ++seq;
      if (clearLink) clearLink.hidden = !filtered(st);
      results.setAttribute('aria-busy', 'true');
      if (!results.firstChild) results.append(loading(many));
      let conn;
      try {
        conn = await fetch(st);
      } catch (err) {
        if (mine !== seq) return;
        results.removeAttribute('aria-busy');
        results.replaceChildren(alertBox(err));
        onError(err);
        return;
      }
      if (mine !== seq) return;
      results.removeAttribute('aria-busy');
      const isFiltered = filtered(st);
      fill(results,
        h('p', { class: 'result-count muted small', id: countId },
          `${conn.totalCount} ${conn.totalCount === 1 ? one : many}${isFiltered ? ' match' : ''}`),
        conn.nodes.length === 0
          ? h('div', { class: 'empty-state' }, st.afters.length
            ? h('p', null, `No more ${many} here. `, h('a', { href: listHref(path, st.values) }, 'Back to the first page'))
            : h('p', null, empty(st, isFiltered)))
          : table(conn, st),
        conn.totalCount > 0 ? listPager(conn, st.afters, (afters) => list.go({ values: st.values, afters }, true)) : null);
      if (focus) results.focus();
    },
    go(st, focus = false) {
      pushListState(path, st.values, st.afters);
      return list.show(st, { focus });
    },
  };
  return list;
}

// ---- Users and roles ----------------------------------------------------------------------------

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
