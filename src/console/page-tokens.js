// SPDX-License-Identifier: MIT
// Settings → API Tokens (/console/settings/tokens): the tenant's developer tokens, newest first
// (a token just generated is the first row of the first page), paged, with their effective
// permissions on demand; "Generate token" at the top right opens a dialog
// (name, optional expiry and permission subset) that shows the new secret once, with Copy to
// clipboard, and forgets it on close; rename in place; deactivate / reactivate after a
// confirmation. What the viewer may not do (create, update) is not offered.
import { gql } from './api.js';
import {
  h, clear, formatTime, formatDate, relativeTime, badge, alertBox, showFormError, clearFormErrors, toast, toastError,
  confirmDialog, openDialog, pager, withBusy, field, permissionPicker, checkedPermissions,
  permissionChips,
} from './ui.js';

const PAGE_SIZE = 20;

const LIST = `query Tokens($first: Int, $after: String, $filter: DeveloperTokenFilter) {
  developerTokens(first: $first, after: $after, filter: $filter, orderBy: {direction: DESC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name hint status createdAt lastUsedAt lastUsedIp expiresAt
      permissionSubset effectivePermissions
      creator { id name email status }
    }
  }
}`;
const CATALOG = '{ permissions { name action resource description } }';
const CREATE = `mutation Generate($i: CreateDeveloperTokenInput!) {
  createDeveloperToken(input: $i) { secret token { id name hint } }
}`;
const UPDATE = `mutation UpdateToken($id: ID!, $i: UpdateDeveloperTokenInput!) {
  updateDeveloperToken(id: $id, input: $i) { id name status }
}`;

const STATUS = {
  ACTIVE: ['Active', 'ok'],
  DEACTIVATED: ['Deactivated', 'muted'],
  EXPIRED: ['Expired', 'warn'],
};

// A date on one line and its time below, in local time.
function when(iso) {
  const d = new Date(iso);
  return h('time', { datetime: iso },
    h('span', { class: 'nowrap' }, formatDate(iso)),
    h('span', { class: 'cell-sub' }, d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })));
}

// YYYY-MM-DD of a local date.
function isoDay(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// The end of a chosen day, local time, as the API's DateTime (UTC, seconds).
function endOfDay(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function render(main, ctx) {
  const canCreate = ctx.can('create:developer_tokens');
  const canUpdate = ctx.can('update:developer_tokens');
  const st = { page: 1, cursors: [null], status: '', mine: false, open: new Set(), catalog: null };

  const generateBtn = canCreate
    ? h('button', { type: 'button', class: 'btn btn-primary', id: 'generate-token', onClick: () => generateDialog() }, 'Generate token')
    : null;
  const statusSel = field({
    label: 'Status', name: 'status', value: '',
    options: [
      { value: '', label: 'All' }, { value: 'ACTIVE', label: 'Active' },
      { value: 'DEACTIVATED', label: 'Deactivated' }, { value: 'EXPIRED', label: 'Expired' },
    ],
  });
  const mine = field({ label: 'Only tokens I generated', name: 'mine', type: 'checkbox' });
  statusSel.control.addEventListener('change', () => {
    st.status = statusSel.control.value;
    restart();
  });
  mine.control.addEventListener('change', () => {
    st.mine = mine.control.checked;
    restart();
  });
  const results = h('div', { class: 'tokens-results', 'aria-live': 'polite', 'aria-busy': 'false' });

  main.append(
    h('div', { class: 'page-head' },
      h('div', null,
        h('p', { class: 'breadcrumb' }, 'Settings'),
        h('h1', null, 'API Tokens'),
        h('p', { class: 'page-intro' },
          'Developer tokens open the GraphQL API at ', h('code', null, '/api/graphql'),
          '. A token acts with the permissions of the person who generated it, as they are at each request: when that person loses a role or a permission, their tokens lose it too.')),
      h('div', { class: 'page-actions' }, generateBtn)),
    h('div', { class: 'toolbar' }, statusSel, mine),
    results);

  function restart() {
    st.page = 1;
    st.cursors = [null];
    return load();
  }

  async function load() {
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) results.append(h('p', { class: 'muted' }, 'Loading tokens…'));
    const filter = {};
    if (st.status) filter.status = st.status;
    if (st.mine) filter.creatorId = ctx.viewer.user.id;
    let conn;
    try {
      const d = await gql(LIST, { first: PAGE_SIZE, after: st.cursors[st.page - 1], filter });
      conn = d.developerTokens;
    } catch (err) {
      results.setAttribute('aria-busy', 'false');
      clear(results).append(alertBox(err), h('button', { type: 'button', class: 'btn', onClick: () => load() }, 'Try again'));
      return;
    }
    results.setAttribute('aria-busy', 'false');
    if (conn.nodes.length === 0 && st.page > 1) {
      st.page -= 1;
      return load();
    }
    st.cursors[st.page] = conn.pageInfo.endCursor;
    clear(results).append(table(conn));
    if (conn.totalCount > 0) results.append(pager({
      pageInfo: conn.pageInfo, totalCount: conn.totalCount, pageSize: PAGE_SIZE, page: st.page,
      onPage: (p) => {
        st.page = p;
        load();
      },
    }));
  }

  function table(conn) {
    if (conn.nodes.length === 0) {
      const filtered = st.status || st.mine;
      return h('div', { class: 'empty-state' },
        h('p', null, filtered ? 'No token matches these filters.' : 'No developer token has been generated yet.'),
        !filtered && canCreate ? h('p', null, 'Use ', h('strong', null, 'Generate token'), ' to make the first one.') : null);
    }
    const rows = [];
    for (const t of conn.nodes) rows.push(...tokenRows(t));
    return h('div', { class: 'table-wrap stack' },
      h('table', { class: 'table tokens-table', id: 'tokens-table' },
        h('caption', { class: 'visually-hidden' }, 'Developer tokens'),
        h('thead', null, h('tr', null,
          ['Name', 'Token', 'Created by', 'Created', 'Last used', 'Expires', 'Status', canUpdate ? 'Actions' : null]
            .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows)));
  }

  function tokenRows(t) {
    const detailId = `token-detail-${t.id}`;
    const [statusText, statusKind] = STATUS[t.status] ?? [t.status, 'muted'];
    const creatorOff = t.creator.status !== 'ACTIVE';
    const open = st.open.has(t.id);
    const permsBtn = h('button', {
      type: 'button', class: 'btn-link perm-toggle small', 'aria-expanded': String(open), 'aria-controls': detailId,
      'aria-label': `Permissions of ${t.name}`,
      onClick: () => {
        const now = permsBtn.getAttribute('aria-expanded') !== 'true';
        permsBtn.setAttribute('aria-expanded', String(now));
        detail.hidden = !now;
        if (now) st.open.add(t.id);
        else st.open.delete(t.id);
      },
    }, 'Permissions');
    const nameCell = h('div', { class: 'token-name' }, h('span', { class: 'token-name-text' }, t.name));
    const nameTd = h('td', { 'data-label': 'Name' }, nameCell, permsBtn);
    const actions = h('div', { class: 'actions' });
    if (canUpdate) {
      actions.append(h('button', { type: 'button', class: 'btn btn-small', onClick: () => renameInPlace(t, nameCell) }, 'Rename'));
      if (t.status === 'ACTIVE') {
        actions.append(h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onClick: (e) => setActive(t, false, e.currentTarget) }, 'Deactivate'));
      } else if (t.status === 'DEACTIVATED') {
        actions.append(h('button', { type: 'button', class: 'btn btn-small', onClick: (e) => setActive(t, true, e.currentTarget) }, 'Reactivate'));
      }
    }
    const row = h('tr', { dataset: { tokenId: t.id, tokenName: t.name } },
      nameTd,
      h('td', { 'data-label': 'Token' }, h('code', { class: 'token-hint' }, t.hint)),
      h('td', { 'data-label': 'Created by' }, t.creator.name, h('span', { class: 'cell-sub' }, t.creator.email),
        creatorOff ? h('span', { class: 'cell-sub' }, badge('Creator deactivated', 'danger')) : null),
      h('td', { 'data-label': 'Created' }, when(t.createdAt)),
      h('td', { 'data-label': 'Last used' }, t.lastUsedAt
        ? [h('time', { datetime: t.lastUsedAt, title: formatTime(t.lastUsedAt), class: 'nowrap' }, relativeTime(t.lastUsedAt)),
          t.lastUsedIp ? h('span', { class: 'cell-sub' }, `from ${t.lastUsedIp}`) : null]
        : h('span', { class: 'muted' }, 'Never')),
      h('td', { 'data-label': 'Expires' }, t.expiresAt ? when(t.expiresAt) : h('span', { class: 'muted' }, 'Never')),
      h('td', { 'data-label': 'Status' }, badge(statusText, statusKind)),
      canUpdate ? h('td', { 'data-label': 'Actions' }, actions) : null);
    const detail = h('tr', { class: 'row-detail', id: detailId, hidden: !open },
      h('td', { colspan: canUpdate ? '8' : '7' }, permissionDetail(t, creatorOff)));
    return [row, detail];
  }

  function permissionDetail(t, creatorOff) {
    let why = null;
    if (t.effectivePermissions.length === 0) {
      why = creatorOff ? 'None: its creator is deactivated.' : 'None: its creator holds none of the permissions it may use.';
    }
    return h('div', { class: 'token-perms' },
      h('div', null,
        h('h3', { class: 'detail-title' }, 'Effective permissions now'),
        why ? h('p', { class: 'muted' }, why) : permissionChips(t.effectivePermissions)),
      h('div', null,
        h('h3', { class: 'detail-title' }, 'Limited at generation to'),
        t.permissionSubset === null
          ? h('p', { class: 'muted' }, "No limit: all of the creator's permissions, whatever they are at each request.")
          : permissionChips(t.permissionSubset, 'No permission at all')),
      t.status !== 'ACTIVE' ? h('p', { class: 'small muted' }, `This token is ${t.status === 'EXPIRED' ? 'expired' : 'deactivated'}: the API refuses it whatever these permissions say.`) : null);
  }

  function renameInPlace(t, cell) {
    if (cell.querySelector('form')) {
      cell.querySelector('input').focus();
      return;
    }
    const before = [...cell.childNodes];
    const input = h('input', { type: 'text', name: 'name', value: t.name, required: true, maxlength: '200', 'aria-label': `New name for token ${t.name}`, autocomplete: 'off' });
    const save = h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'btn btn-small' }, 'Cancel');
    const form = h('form', { class: 'rename-form', novalidate: true }, h('div', { class: 'field' }, input), h('div', { class: 'actions' }, save, cancel));
    const restore = () => {
      cell.replaceChildren(...before);
      cell.closest('tr')?.querySelector('.actions button')?.focus();
    };
    cancel.addEventListener('click', restore);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        restore();
      }
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormErrors(form);
      const name = input.value.trim();
      if (!name) {
        showFormError(form, { message: 'Give the token a name.', field: 'name' });
        return;
      }
      if (name === t.name) {
        restore();
        return;
      }
      await withBusy(save, async () => {
        try {
          const d = await gql(UPDATE, { id: t.id, i: { name } });
          t.name = d.updateDeveloperToken.name;
        } catch (err) {
          showFormError(form, err);
          return;
        }
        toast(`Token renamed to “${t.name}”.`);
        load();
      });
    });
    cell.replaceChildren(form);
    input.focus();
    input.select();
  }

  async function setActive(t, active, btn) {
    const ok = await confirmDialog(active
      ? {
        title: `Reactivate “${t.name}”?`,
        body: 'The token will work again at once, with the permissions its creator holds now.',
        confirmLabel: 'Reactivate',
      }
      : {
        title: `Deactivate “${t.name}”?`,
        body: 'Every request made with this token will be refused at once (HTTP 401). You can reactivate it later.',
        confirmLabel: 'Deactivate',
        danger: true,
      });
    if (!ok) {
      btn.focus();
      return;
    }
    await withBusy(btn, async () => {
      try {
        await gql(UPDATE, { id: t.id, i: { active } });
      } catch (err) {
        toastError(`${active ? 'Reactivation' : 'Deactivation'} failed`, err);
        return;
      }
      toast(active ? `Token “${t.name}” reactivated.` : `Token “${t.name}” deactivated.`);
      await load();
    });
    results.querySelector(`tr[data-token-id="${CSS.escape(t.id)}"] .actions button`)?.focus();
  }

  async function catalog() {
    if (!st.catalog) st.catalog = (await gql(CATALOG)).permissions;
    return st.catalog;
  }

  async function generateDialog() {
    let perms;
    try {
      perms = await withBusy(generateBtn, catalog);
    } catch (err) {
      toastError('Cannot open the dialog', err);
      return;
    }
    generateBtn.focus();
    const held = ctx.viewer.permissions;
    const name = field({
      label: 'Name', name: 'name', required: true, maxlength: '200', autocomplete: 'off',
      hint: 'What the token is for, e.g. “HRIS sync”: it helps you find it to deactivate it later. You can rename it at any time.',
    });
    const expiry = field({
      label: 'Expiry date (optional)', name: 'expiresAt', type: 'date', min: isoDay(new Date()),
      hint: 'The token stops working at the end of this day (your time). Leave empty for a token that does not expire.',
    });
    const picker = permissionPicker({ catalog: perms, held, onlyHeld: true, idPrefix: 'gen' });
    picker.hidden = true;
    const allRadio = h('input', { type: 'radio', name: 'scope', value: 'all', id: 'scope-all', checked: true });
    const someRadio = h('input', { type: 'radio', name: 'scope', value: 'some', id: 'scope-some' });
    const onScope = () => {
      picker.hidden = !someRadio.checked;
    };
    allRadio.addEventListener('change', onScope);
    someRadio.addEventListener('change', onScope);
    const scope = h('fieldset', { class: 'scope' },
      h('legend', null, 'Permissions'),
      h('div', { class: 'field field-check' }, allRadio, h('label', { for: 'scope-all', class: 'field-label' }, 'All my permissions'),
        h('p', { class: 'field-hint' }, 'The token follows your roles: it gains and loses permissions with you.')),
      h('div', { class: 'field field-check' }, someRadio, h('label', { for: 'scope-some', class: 'field-label' }, 'Only the permissions I tick'),
        h('p', { class: 'field-hint' }, 'Never more than these, and only while you hold them. Only permissions you hold are listed.')),
      picker);
    const form = h('form', { id: 'generate-form', novalidate: true },
      h('p', { class: 'muted' }, 'The token will act with your permissions, as they are at each request.'),
      name, expiry, scope);

    const dlg = openDialog({
      title: 'Generate token',
      content: form,
      wide: true,
      actions: [
        { label: 'Cancel', kind: '' },
        { label: 'Generate', kind: 'primary', type: 'submit', form: 'generate-form', id: 'generate-submit' },
      ],
      onClose: () => {
        // The secret lives only in the read-only field of this dialog: empty it before the
        // dialog leaves the DOM, so nothing keeps it after close.
        const s = dlg?.dialog.querySelector('#token-secret');
        if (s) s.value = '';
        // Back to the first page, where the new token is the first row.
        if (generated) restart();
      },
    });
    let generated = false;
    name.control.focus();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFormErrors(form);
      const input = { name: name.control.value.trim() };
      if (!input.name) {
        showFormError(form, { message: 'Give the token a name.', field: 'name' });
        return;
      }
      if (expiry.control.value) {
        const at = endOfDay(expiry.control.value);
        if (!at) {
          showFormError(form, { message: 'The expiry date is not a valid date.', field: 'expiresAt' });
          return;
        }
        input.expiresAt = at;
      }
      if (someRadio.checked) {
        input.permissions = checkedPermissions(picker);
        if (input.permissions.length === 0) {
          showFormError(form, { message: 'Tick at least one permission, or choose “All my permissions”.' });
          return;
        }
      }
      const submit = dlg.dialog.querySelector('#generate-submit');
      await withBusy(submit, async () => {
        let d;
        try {
          d = await gql(CREATE, { i: input });
        } catch (err) {
          showFormError(form, err);
          return;
        }
        generated = true;
        showSecret(d.createDeveloperToken.token, d.createDeveloperToken.secret);
        d = null;
      });
    });

    // The secret, once: a read-only field, Copy to clipboard, the warning. Nothing else holds it.
    function showSecret(token, secret) {
      const out = h('input', {
        type: 'text', id: 'token-secret', class: 'mono secret-input', readonly: true,
        autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'secret-warning',
      });
      out.value = secret;
      const status = h('p', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
      const copyBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'copy-token' }, 'Copy to clipboard');
      copyBtn.addEventListener('click', async () => {
        const text = out.value;
        let done = false;
        try {
          if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            done = true;
          }
        } catch {
          done = false;
        }
        if (!done) {
          out.focus();
          out.select();
          try {
            done = document.execCommand('copy');
          } catch {
            done = false;
          }
        }
        if (done) {
          copyBtn.textContent = 'Copied';
          status.textContent = 'The token is in your clipboard.';
          status.className = 'copy-status is-ok';
        } else {
          out.focus();
          out.select();
          status.textContent = 'Your browser did not let the Console copy: the token is selected, press Ctrl+C (⌘C on a Mac) to copy it.';
          status.className = 'copy-status is-warn';
        }
      });
      const content = h('div', { class: 'secret-view' },
        h('p', null, 'Token ', h('strong', null, token.name), ' (', h('code', null, token.hint), ') is ready.'),
        h('label', { for: 'token-secret', class: 'field-label' }, 'Your new token'),
        h('div', { class: 'secret-row' }, out, copyBtn),
        status,
        h('div', { class: 'alert alert-warn', id: 'secret-warning' },
          h('p', { class: 'alert-title' }, 'Copy it now: it will not be shown again.'),
          h('p', null, 'lectern stores only a hash of it, not the token itself. If you lose it, deactivate it and generate another.')),
        h('p', { class: 'small muted' }, 'Send it as ', h('code', null, 'Authorization: Bearer <token>'), ' to ', h('code', null, '/api/graphql'), '.'));
      dlg.dialog.querySelector('.dialog-title').textContent = 'Copy your new token';
      dlg.body.replaceChildren(content);
      dlg.setActions([{ label: 'Done', kind: '', id: 'secret-done' }]);
      copyBtn.focus();
    }
  }

  return load();
}

export default {
  path: '/settings/tokens',
  title: 'API Tokens',
  permission: 'read:developer_tokens',
  nav: { label: 'API Tokens', section: 'settings' },
  render,
};
