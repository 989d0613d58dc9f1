// SPDX-License-Identifier: MIT
// The Console's building blocks (src/console/README.md, "ui.js"): an element builder that only
// ever makes text nodes of strings, dates, badges, alerts and form errors, toasts, modal
// dialogs, a pager, busy buttons, CSV download, labelled form fields, tables and form submission.
// The classes used here are styled by app.css.

let uid = 0;
// A fresh id for wiring labels and descriptions: `${prefix}-${n}`.
export function newId(prefix = 'ui') {
  uid += 1;
  return `${prefix}-${uid}`;
}

const PROPERTY_PROPS = new Set(['value', 'checked', 'indeterminate', 'selected']);

// Element builder. props: attributes; 'class' (or className); 'on' + Event name (onClick,
// onSubmit, onKeydown…) → addEventListener; 'dataset': {}; boolean attributes true/false;
// value/checked/selected/indeterminate set as properties; null/undefined skipped. children:
// strings and numbers (text nodes, never HTML), nodes, arrays, null/false/undefined (skipped).
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, v] of Object.entries(props)) {
      if (v === null || v === undefined) continue;
      if (key === 'class' || key === 'className') {
        if (v) el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : String(v);
      } else if (key === 'dataset') {
        for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
      } else if (/^on[A-Z]/.test(key) && typeof v === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), v);
      } else if (PROPERTY_PROPS.has(key) && key in el) {
        // As properties: a value set this way is not an attribute (not in outerHTML).
        el[key] = v;
        if (v === true && key !== 'indeterminate') el.setAttribute(key, '');
      } else if (v === true) {
        el.setAttribute(key === 'htmlFor' ? 'for' : key, '');
      } else if (v === false) {
        // a false boolean attribute is absent
      } else {
        el.setAttribute(key === 'htmlFor' ? 'for' : key, String(v));
      }
    }
  }
  appendChildren(el, children);
  return el;
}

function appendChildren(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false || c === true) continue;
    if (Array.isArray(c)) appendChildren(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

// Removes every child of el; returns el.
export function clear(el) {
  el.replaceChildren();
  return el;
}

const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function parseTime(iso) {
  if (iso === null || iso === undefined || iso === '') return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

// Local date and time ("12 Mar 2026, 14:05"); '—' for null; the text itself when unparseable.
export function formatTime(iso) {
  const d = parseTime(iso);
  if (d === null) return '—';
  if (d === undefined) return String(iso);
  return dateTimeFmt.format(d);
}

// A calendar date ("12 Mar 2026"); '—' for null. A bare YYYY-MM-DD is that day, not UTC midnight.
export function formatDate(iso) {
  if (iso === null || iso === undefined || iso === '') return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : parseTime(iso);
  if (!d) return String(iso);
  return dateFmt.format(d);
}

// '3 minutes ago', 'in 2 days', 'now'; '—' for null.
export function relativeTime(iso, now = Date.now()) {
  const d = parseTime(iso);
  if (d === null) return '—';
  if (d === undefined) return String(iso);
  const s = Math.round((d.getTime() - now) / 1000);
  const a = Math.abs(s);
  if (a < 45) return relFmt.format(0, 'second');
  const units = [
    ['minute', 60, 45 * 60],
    ['hour', 3600, 22 * 3600],
    ['day', 86400, 26 * 86400],
    ['month', 30 * 86400, 320 * 86400],
  ];
  for (const [unit, size, limit] of units) {
    if (a < limit) return relFmt.format(Math.round(s / size), unit);
  }
  return relFmt.format(Math.round(s / (365 * 86400)), 'year');
}

// A small label: kind 'ok' | 'muted' | 'warn' | 'danger' (and 'info').
export function badge(text, kind = 'muted') {
  return h('span', { class: `badge badge-${kind}` }, text);
}

function errorMessage(err) {
  if (err === null || err === undefined) return 'Something went wrong.';
  if (typeof err === 'string') return err;
  return err.message || String(err);
}

// A role="alert" box with err.message (an ApiError, an Error or a string). For a FORBIDDEN
// error it also names the permission that was needed. kind: 'danger' (default), 'warn', 'ok',
// 'info'.
export function alertBox(err, kind = 'danger') {
  const box = h('div', { class: `alert alert-${kind}`, role: 'alert' }, h('p', null, errorMessage(err)));
  if (err && typeof err === 'object' && err.permission && !errorMessage(err).includes(err.permission)) {
    box.append(h('p', { class: 'alert-detail' }, 'Permission needed: ', h('code', null, err.permission)));
  }
  return box;
}

// The control of `form` an error's field names: the exact name, else its last segment
// ("input.name" → "name").
function fieldControl(form, field) {
  if (!field) return null;
  const candidates = [field, field.split('.').pop()];
  for (const name of candidates) {
    const el = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (el) return el;
  }
  return null;
}

// Shows err at the top of the form (role="alert"); when err.field names a control of the form
// (its name attribute, or the last segment of a path like "input.name"), marks it aria-invalid
// and puts the message beside it. Focuses the control at fault, else the alert.
export function showFormError(form, err) {
  clearFormErrors(form);
  const box = alertBox(err);
  box.classList.add('form-alert');
  box.tabIndex = -1;
  form.prepend(box);
  const control = fieldControl(form, err && typeof err === 'object' ? err.field : null);
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    const msg = h('p', { class: 'field-error', id: newId('err') }, errorMessage(err));
    const before = control.getAttribute('aria-describedby');
    control.dataset.describedbyBefore = before ?? '';
    control.setAttribute('aria-describedby', before ? `${msg.id} ${before}` : msg.id);
    const wrap = control.closest('.field') ?? control.parentElement;
    wrap.append(msg);
    control.focus();
  } else {
    box.focus();
  }
  return box;
}

// Removes what showFormError added.
export function clearFormErrors(form) {
  for (const el of form.querySelectorAll('.form-alert, .field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    if ('describedbyBefore' in el.dataset) {
      if (el.dataset.describedbyBefore) el.setAttribute('aria-describedby', el.dataset.describedbyBefore);
      else el.removeAttribute('aria-describedby');
      delete el.dataset.describedbyBefore;
    }
  }
}

function toastRegion() {
  let region = document.getElementById('toasts');
  if (!region) {
    region = h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite', role: 'status' });
    document.body.append(region);
  }
  return region;
}

// A transient status message (read out by screen readers): kind 'ok' | 'warn' | 'danger' |
// 'info'. Stays 5 s (8 s for errors); a click dismisses it.
export function toast(message, kind = 'ok') {
  const region = toastRegion();
  const t = h('div', { class: `toast toast-${kind}` }, message);
  t.addEventListener('click', () => t.remove());
  // Inside an open modal dialog, the rest of the page is inert: show the toast in the dialog.
  const modal = [...document.querySelectorAll('dialog[open]')].pop();
  (modal ? modalToastRegion(modal) : region).append(t);
  setTimeout(() => t.remove(), kind === 'danger' ? 8000 : 5000);
  return t;
}

// A toast for a failed action: `${prefix}: ${err.message}`. Says nothing when the session has
// ended (UNAUTHENTICATED): the login page is on its way with the reason.
export function toastError(prefix, err) {
  if (err && err.code === 'UNAUTHENTICATED') return null;
  return toast(`${prefix}: ${errorMessage(err)}`, 'danger');
}

function modalToastRegion(dialog) {
  let r = dialog.querySelector(':scope > .toasts');
  if (!r) {
    r = h('div', { class: 'toasts toasts-dialog', 'aria-live': 'polite', role: 'status' });
    dialog.append(r);
  }
  return r;
}

function button(label, kind, extra = {}) {
  const cls = ['btn', kind ? `btn-${kind}` : 'btn-secondary'];
  return h('button', { type: 'button', class: cls, ...extra }, label);
}

// A modal <dialog> (focus stays inside; Escape closes) with a title, the content node and
// action buttons [{label, kind: 'primary' | 'danger' | '', onClick, type, form}]:
// onClick(event, {dialog, close}) runs on a click; when it returns a promise the button is busy
// until it settles, and a rejection is shown in the dialog. An action without onClick (and not
// type 'submit') closes the dialog. type 'submit' with form: the id of a form in the content
// (its submit handler does the work). onClose runs once, when the dialog closes in any way; the
// dialog then leaves the DOM. Resolves nothing; returns {dialog, close, body, setActions}.
export function openDialog({ title, content, actions = [], onClose, wide = false } = {}) {
  const titleId = newId('dlg-title');
  const body = h('div', { class: 'dialog-body' }, content);
  const footer = h('div', { class: 'dialog-actions' });
  const closeX = h('button', { type: 'button', class: 'dialog-x', 'aria-label': 'Close' }, '×');
  const dialog = h('dialog', { class: ['dialog', wide && 'dialog-wide'], 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId, class: 'dialog-title' }, title), closeX),
    body,
    footer);
  let closed = false;
  // Where the focus goes back to when the dialog closes (the button that opened it).
  const opener = document.activeElement;
  const close = (value) => {
    if (closed) return;
    if (dialog.open) dialog.close(value ?? '');
    finish();
  };
  function finish() {
    if (closed) return;
    closed = true;
    dialog.remove();
    if (onClose) onClose(dialog.returnValue);
    if (opener && opener instanceof HTMLElement && opener.isConnected && !document.querySelector('dialog[open]')) opener.focus();
  }
  dialog.addEventListener('close', finish);
  closeX.addEventListener('click', () => close('cancel'));

  function setActions(list) {
    footer.replaceChildren();
    for (const a of list) {
      const extra = {};
      if (a.type === 'submit') {
        extra.type = 'submit';
        if (a.form) extra.form = a.form;
      }
      if (a.disabled) extra.disabled = true;
      const b = button(a.label, a.kind, extra);
      if (a.id) b.id = a.id;
      if (a.type !== 'submit') {
        b.addEventListener('click', async (event) => {
          if (!a.onClick) {
            close('cancel');
            return;
          }
          const r = a.onClick(event, { dialog, close });
          if (r && typeof r.then === 'function') {
            await withBusy(b, async () => {
              try {
                await r;
              } catch (err) {
                for (const old of body.querySelectorAll(':scope > .dialog-alert')) old.remove();
                const box = alertBox(err);
                box.classList.add('dialog-alert');
                body.prepend(box);
              }
            });
          }
        });
      }
      footer.append(b);
    }
  }
  setActions(actions);
  document.body.append(dialog);
  dialog.showModal();
  const first = body.querySelector('[autofocus], input:not([type=hidden]):not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled])')
    ?? footer.querySelector('.btn-primary, .btn-danger, button');
  if (first) first.focus();
  return { dialog, close, body, setActions };
}

// Asks for a confirmation; resolves true (confirmed) or false (cancelled, Escape, closed).
// body: a string or a node.
export function confirmDialog({ title, body, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const content = typeof body === 'string' || typeof body === 'number' ? h('p', null, body) : body;
    const { dialog, close } = openDialog({
      title,
      content,
      actions: [
        { label: 'Cancel', kind: '' },
        {
          label: confirmLabel,
          kind: danger ? 'danger' : 'primary',
          onClick: () => {
            answer = true;
            close('confirm');
          },
        },
      ],
      onClose: () => resolve(answer),
    });
    dialog.classList.add('dialog-confirm');
    // The safe choice has the focus: Enter does not confirm by accident.
    dialog.querySelector('.dialog-actions .btn')?.focus();
  });
}

// "1–20 of 304" with Previous / Next. page is 1-based; pageSize the page size asked for;
// pageInfo the connection's ({hasNextPage}); onPage(newPage, 'prev' | 'next') is called on a
// click (the caller keeps the cursors: the API pages forward only, so remember each page's
// `after`). Returns a <nav>.
export function pager({ pageInfo, totalCount, pageSize, page = 1, onPage }) {
  const p = Math.max(1, page);
  const total = Number(totalCount) || 0;
  const start = total === 0 ? 0 : (p - 1) * pageSize + 1;
  const end = Math.min(p * pageSize, total);
  const text = total === 0 ? '0 of 0' : `${start}–${end} of ${total}`;
  const prev = button('Previous', '', { disabled: p <= 1, 'aria-label': 'Previous page' });
  const next = button('Next', '', { disabled: !pageInfo?.hasNextPage, 'aria-label': 'Next page' });
  prev.addEventListener('click', () => onPage(p - 1, 'prev'));
  next.addEventListener('click', () => onPage(p + 1, 'next'));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' }, h('span', { class: 'pager-text', 'aria-live': 'polite' }, text), h('span', { class: 'pager-buttons' }, prev, next));
}

// Disables the button and shows it busy while fn runs; resolves fn's result (rethrows its
// error). A button already busy runs fn without more ado.
export async function withBusy(button, fn) {
  if (!button || button.getAttribute('aria-busy') === 'true') return fn();
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.classList.add('is-busy');
  try {
    return await fn();
  } finally {
    button.disabled = wasDisabled;
    button.removeAttribute('aria-busy');
    button.classList.remove('is-busy');
  }
}

// One CSV cell: RFC 4180 quoting; a text cell starting with = + - @ (or a tab or carriage
// return) is prefixed with ' so that a spreadsheet does not run it as a formula. Numbers are
// written as they are; null/undefined as an empty cell.
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? String(v) : String(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s)) s = `"${s.replaceAll('"', '""')}"`;
  return s;
}

// The text of a CSV file (CRLF line ends) of rows (arrays of cells).
export function csvText(rows) {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// Downloads rows (an array of arrays) as a CSV file named filename.
export function downloadCsv(filename, rows) {
  const blob = new Blob([csvText(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A labelled control in a <div class="field">: <label> + <input> (or <select> when
// attrs.options = [{value, label}], or <textarea> when type is 'textarea'), wired by ids, with
// an optional hint (aria-describedby). Other attrs go to the control. The control is also
// wrapper.control.
export function field({ label, name, type = 'text', value, required, hint, ...attrs }) {
  const { options, id: givenId, ...rest } = attrs;
  const id = givenId ?? newId(`f-${name ?? 'field'}`);
  let control;
  if (options) {
    control = h('select', { id, name, required: !!required, ...rest },
      options.map((o) => h('option', { value: o.value, selected: value !== undefined && String(o.value) === String(value) }, o.label)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, required: !!required, ...rest });
    if (value !== undefined && value !== null) control.value = value;
  } else {
    control = h('input', { id, name, type, required: !!required, ...rest });
    if (value !== undefined && value !== null) control.value = value;
  }
  const labelEl = h('label', { for: id, class: 'field-label' }, label, required ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : null);
  const wrapper = h('div', { class: ['field', type === 'checkbox' && 'field-check'] });
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'field-hint', id: `${id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  if (type === 'checkbox') wrapper.append(control, labelEl, hintEl ?? []);
  else wrapper.append(labelEl, control, hintEl ?? []);
  wrapper.control = control;
  return wrapper;
}

// ---- Tables and page parts --------------------------------------------------------------------

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

// A <td> labelled by its column (shown beside the value when the table stacks on a phone).
export function cell(label, ...children) {
  return h('td', { 'data-label': label }, ...children);
}

// ---- Forms that send ----------------------------------------------------------------------------

// On submit: no page load, the form's earlier errors cleared, then fn(formData, event).
export function onFormSubmit(form, fn) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    await fn(new FormData(form), event);
  });
}

// Runs fn with `button` busy (withBusy); an error it throws is shown on the form (showFormError).
export function submitBusy(button, form, fn) {
  return withBusy(button, async () => {
    try {
      await fn();
    } catch (err) {
      showFormError(form, err);
    }
  });
}

// A dialog around `form` (which needs an id) with Cancel and a primary submit button labelled
// submitLabel; onSubmit(formData, dlg) as onFormSubmit's. Returns openDialog's result.
export function formDialog({ title, form, submitLabel, wide = false, onSubmit }) {
  const dlg = openDialog({
    title,
    content: form,
    wide,
    actions: [{ label: 'Cancel', kind: '' }, { label: submitLabel, kind: 'primary', type: 'submit', form: form.id }],
  });
  onFormSubmit(form, (fd) => onSubmit(fd, dlg));
  return dlg;
}

// The fields of an edit form that differ from `original`: {key: trimmed value} for each of keys.
export function changedFields(fd, original, keys) {
  const input = {};
  for (const k of keys) {
    const v = String(fd.get(k)).trim();
    if (v !== original[k]) input[k] = v;
  }
  return input;
}

// ---- Permissions (the tokens and roles pages; usable by any page) ---------------------------

const RESOURCE_LABELS = {
  users: 'Users',
  roles: 'Roles',
  courses: 'Courses',
  enrollments: 'Enrollments',
  developer_tokens: 'Developer tokens',
  audit_events: 'Audit log',
};

// "developer_tokens" → "Developer tokens".
export function resourceLabel(resource) {
  if (RESOURCE_LABELS[resource]) return RESOURCE_LABELS[resource];
  const s = String(resource).replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// The catalog ([{name, action, resource, description}], from the `permissions` query) grouped by
// resource, in catalog order: [{resource, label, permissions: [...]}].
export function groupPermissions(catalog) {
  const groups = new Map();
  for (const p of catalog) {
    if (!groups.has(p.resource)) groups.set(p.resource, { resource: p.resource, label: resourceLabel(p.resource), permissions: [] });
    groups.get(p.resource).permissions.push(p);
  }
  return [...groups.values()];
}

// Checkboxes of permissions grouped by resource (a fieldset each), with the catalog's
// descriptions. held: the permissions that may be ticked (a Set; null = all); the others are
// disabled and say why, or left out with onlyHeld. selected: ticked at first. readOnly: all
// disabled. Returns a <div class="perm-groups">; read the ticks with checkedPermissions(el).
export function permissionPicker({ catalog, held = null, selected = new Set(), name = 'permissions', readOnly = false, onlyHeld = false, idPrefix = 'perm' }) {
  const root = h('div', { class: 'perm-groups' });
  for (const g of groupPermissions(catalog)) {
    const items = g.permissions.filter((p) => !onlyHeld || !held || held.has(p.name));
    if (items.length === 0) continue;
    const fs = h('fieldset', { class: 'perm-group' }, h('legend', null, g.label));
    for (const p of items) {
      const mayTick = !held || held.has(p.name);
      const id = newId(`${idPrefix}-${p.name.replace(/[^a-z0-9]/gi, '-')}`);
      const descId = `${id}-desc`;
      const box = h('input', {
        type: 'checkbox', id, name, value: p.name, checked: selected.has(p.name),
        disabled: readOnly || !mayTick, 'aria-describedby': descId,
      });
      fs.append(h('div', { class: ['perm-item', !mayTick && 'is-unavailable'] },
        box,
        h('label', { for: id }, p.name),
        h('p', { class: 'perm-desc', id: descId }, p.description,
          !mayTick && !readOnly ? ' — you do not hold this permission, so you cannot give it.' : null)));
    }
    root.append(fs);
  }
  return root;
}

// The permission names ticked in a permissionPicker (disabled but ticked ones included).
export function checkedPermissions(el, name = 'permissions') {
  return [...el.querySelectorAll(`input[type="checkbox"][name="${CSS.escape(name)}"]`)].filter((b) => b.checked).map((b) => b.value);
}

// Permission names as chips ("read:users" …), or `empty` when there are none.
export function permissionChips(names, empty = 'None') {
  if (!names || names.length === 0) return h('span', { class: 'muted' }, empty);
  return h('ul', { class: 'chips' }, names.map((n) => h('li', { class: 'chip' }, n)));
}
