// SPDX-License-Identifier: MIT
// The login page (/console/login): organisation (tenant), email and password, POST
// /console/login; the server's words on failure (wrong credentials, locked account) next to
// the form; then `next` (a Console path) or the home page. Shows why the previous session
// ended when app.js says so (ctx.flash).
import { login, currentSession } from './api.js';
import { h, field, showFormError, clearFormErrors, withBusy } from './ui.js';

const TENANT_KEY = 'lectern.console.tenant';

function remembered() {
  try {
    return localStorage.getItem(TENANT_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(tenant) {
  try {
    localStorage.setItem(TENANT_KEY, tenant);
  } catch {
    // storage refused: the field starts empty next time
  }
}

export default {
  path: '/login',
  title: 'Sign in',
  permission: null,
  nav: null,
  async render(main, ctx) {
    const params = new URLSearchParams(location.search);
    const next = params.get('next');

    // Already signed in (a second tab, the back button): straight on.
    if (!ctx.flash) {
      let session = null;
      try {
        session = await currentSession();
      } catch {
        session = null;
      }
      if (session) {
        await ctx.onLoggedIn(next);
        return;
      }
    }

    const tenant = field({
      label: 'Organisation', name: 'tenant', required: true, value: params.get('tenant') ?? remembered(),
      autocomplete: 'organization', autocapitalize: 'none', spellcheck: 'false',
      hint: 'The short name of your organisation, e.g. acme.',
    });
    const email = field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
    const password = field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
    const form = h('form', { id: 'login-form', class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
      tenant, email, password, h('div', { class: 'form-actions' }, submit));

    let flashBox = null;
    if (ctx.flash) {
      const f = ctx.flash;
      flashBox = h('div', { class: `alert alert-${f.kind}`, role: f.kind === 'ok' ? 'status' : 'alert', id: 'login-flash' },
        h('p', { class: 'alert-title' }, f.title),
        f.detail ? h('p', null, f.detail) : null);
    }

    main.append(h('div', { class: 'login-wrap' },
      h('div', { class: 'login-card card' },
        h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'L'), h('span', null, 'lectern Console')),
        h('h1', { id: 'login-title' }, 'Sign in'),
        flashBox,
        form),
      h('p', { class: 'login-foot muted small' }, 'Integration developers: the API is at ', h('code', null, '/api/graphql'), '; generate a token under Settings → API Tokens.')));

    const firstEmpty = [tenant, email, password].map((w) => w.control).find((c) => !c.value);
    (firstEmpty ?? password.control).focus();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFormErrors(form);
      const values = {
        tenant: tenant.control.value.trim(),
        email: email.control.value.trim(),
        password: password.control.value,
      };
      for (const [name, label] of [['tenant', 'Organisation'], ['email', 'Email'], ['password', 'Password']]) {
        if (!values[name]) {
          showFormError(form, { message: `${label} is required.`, field: name });
          return;
        }
      }
      await withBusy(submit, async () => {
        try {
          await login(values.tenant, values.email, values.password);
        } catch (err) {
          password.control.value = '';
          showFormError(form, err);
          if (!err.field) password.control.focus();
          return;
        }
        remember(values.tenant);
        flashBox?.remove();
        await ctx.onLoggedIn(next);
      });
    });
  },
};
