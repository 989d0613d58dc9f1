// SPDX-License-Identifier: MIT
// The Console's boot and router: checks the session (GET /console/session), loads the viewer
// (who, which tenant, which permissions now), draws the header and the nav (entries the viewer
// may not use are left out), and renders the page module whose path matches location.pathname
// (History API). A page the viewer may not see shows what permission it needs instead. A 401
// from the API at any time brings the login page back with the server's reason.
import { gql, logout, onSessionExpired, currentSession, ApiError } from './api.js';
import { h, alertBox, toast } from './ui.js';
import loginPage from './page-login.js';

const BASE = '/console';
const APP_NAME = 'lectern Console';
// Page modules, in nav order. A module's default export is a page or an array of pages
// (src/console/README.md, "Page modules"). A module that fails to load is left out, and said so.
const PAGE_MODULES = [
  'page-users.js', 'page-user.js', 'page-courses.js', 'page-audit.js',
  'page-tokens.js', 'page-roles.js',
];
const SECTIONS = [
  { id: 'main', label: null },
  { id: 'settings', label: 'Settings' },
];

export const VIEWER_QUERY = '{ viewer { user { id name email } tenant { slug name } permissions } }';

const state = {
  pages: [],            // [{page, re, keys}]
  loadErrors: [],       // [file]
  viewer: null,         // {user, tenant, permissions: Set}
  flash: null,          // {kind, title, detail} shown once by the login page
  renderSeq: 0,
  menuOpen: false,
  settingsOpen: null,   // null: follow the route
};

const $ = (id) => document.getElementById(id);

// ---- Paths ----------------------------------------------------------------------------------

function compile(path) {
  const keys = [];
  const src = path.replace(/\/+$/, '').split('/').map((seg) => {
    if (seg.startsWith(':')) {
      keys.push(seg.slice(1));
      return '([^/]+)';
    }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { re: new RegExp(`^${src}/?$`), keys };
}

// The app's path of a location ("/users/12"), without /console.
function appPath(pathname = location.pathname) {
  let p = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (p === '') p = '/';
  return p;
}

function match(path) {
  for (const entry of state.pages) {
    const m = entry.re.exec(path);
    if (m) {
      const params = {};
      entry.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1]);
      });
      return { entry, params };
    }
  }
  return null;
}

// ---- Viewer and permissions -----------------------------------------------------------------

function can(permission) {
  return !permission || (state.viewer?.permissions.has(permission) ?? false);
}

async function loadViewer() {
  const d = await gql(VIEWER_QUERY);
  state.viewer = { ...d.viewer, permissions: new Set(d.viewer.permissions) };
  return state.viewer;
}

function ctx() {
  return {
    viewer: state.viewer,
    can,
    navigate,
    refreshViewer: async () => {
      await loadViewer();
      drawChrome();
      return state.viewer;
    },
  };
}

function visiblePages() {
  return state.pages.map((e) => e.page).filter((p) => p.nav && can(p.permission));
}

// ---- Navigation -------------------------------------------------------------------------------

// Goes to an app path ("/settings/tokens", or with /console) and renders it.
export function navigate(path, { replace = false } = {}) {
  const url = path.startsWith(BASE) ? path : `${BASE}${path.startsWith('/') ? '' : '/'}${path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  return route({ focus: true });
}

function onLinkClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.getAttribute('href').startsWith('#')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`))) return;
  if (url.pathname.startsWith(`${BASE}/static/`)) return;
  event.preventDefault();
  closeMenu();
  if (url.pathname === location.pathname && url.search === location.search) {
    if (url.hash) location.hash = url.hash;
    return;
  }
  navigate(url.pathname + url.search);
}

// ---- Chrome: header and nav -----------------------------------------------------------------

function closeMenu() {
  state.menuOpen = false;
  $('nav').classList.remove('is-open');
  $('menu-toggle').setAttribute('aria-expanded', 'false');
}

function drawChrome() {
  const v = state.viewer;
  const header = $('app-header');
  const nav = $('nav');
  const body = $('app-body');
  if (!v) {
    header.hidden = true;
    nav.hidden = true;
    body.classList.add('no-nav');
    return;
  }
  header.hidden = false;
  $('user-area').replaceChildren(
    h('div', { class: 'user-who' },
      h('span', { class: 'user-name', title: v.user.email }, v.user.name),
      h('span', { class: 'user-tenant', title: `Tenant ${v.tenant.slug}` }, v.tenant.name || v.tenant.slug)),
    h('button', { type: 'button', class: 'btn btn-small', id: 'sign-out', onClick: signOut }, 'Sign out'));
  drawNav();
}

function drawNav() {
  const nav = $('nav');
  const body = $('app-body');
  const current = appPath();
  const pages = visiblePages();
  nav.hidden = pages.length === 0;
  body.classList.toggle('no-nav', pages.length === 0);
  const isCurrent = (p) => {
    const m = match(current);
    return m && m.entry.page === p;
  };
  const link = (p) => h('li', null, h('a', {
    class: 'nav-link',
    href: `${BASE}${p.path}`,
    'aria-current': isCurrent(p) || current.startsWith(`${p.path}/`) ? 'page' : null,
  }, p.nav.label));
  const lists = [];
  for (const s of SECTIONS) {
    const inSection = pages.filter((p) => (p.nav.section ?? 'main') === s.id);
    if (inSection.length === 0) continue;
    if (!s.label) {
      lists.push(h('ul', { class: 'nav-list' }, inSection.map(link)));
      continue;
    }
    const here = inSection.some((p) => isCurrent(p) || current.startsWith(`${p.path}/`));
    const open = state.settingsOpen ?? here;
    const subId = `nav-${s.id}`;
    const toggle = h('button', {
      type: 'button', class: 'nav-group-toggle', 'aria-expanded': String(open), 'aria-controls': subId,
      onClick: () => {
        state.settingsOpen = toggle.getAttribute('aria-expanded') !== 'true';
        drawNav();
        $(`nav-${s.id}-toggle`)?.focus();
      },
    }, s.label);
    toggle.id = `nav-${s.id}-toggle`;
    lists.push(h('div', { class: 'nav-group' }, toggle,
      h('ul', { class: 'nav-list nav-sub', id: subId, hidden: !open }, inSection.map(link))));
  }
  nav.replaceChildren(...lists);
}

async function signOut(event) {
  const b = event.currentTarget;
  b.disabled = true;
  try {
    await logout();
  } catch (err) {
    b.disabled = false;
    toast(`Could not sign out: ${err.message}`, 'danger');
    return;
  }
  onSessionExpired(sessionExpired);
  state.viewer = null;
  state.flash = { kind: 'ok', title: 'You have signed out.' };
  drawChrome();
  navigate('/login', { replace: false });
}

// The API said 401: the session ended (logout elsewhere, expiry, deactivation, password change).
function sessionExpired(err) {
  if (!state.viewer && appPath() === '/login') return;
  const missingCookie = !document.cookie.split(';').some((c) => c.trim().startsWith('lectern_csrf='));
  const detail = missingCookie
    ? 'You signed out in another tab or window, or the session cookie was removed.'
    : err?.message;
  state.flash = { kind: 'warn', title: 'Your session has ended — sign in again', detail };
  state.viewer = null;
  document.querySelectorAll('dialog[open]').forEach((d) => d.close());
  drawChrome();
  const here = location.pathname + location.search;
  const next = here.startsWith(`${BASE}/login`) ? '' : `?next=${encodeURIComponent(here)}`;
  navigate(`/login${next}`, { replace: true });
}

// ---- Rendering ------------------------------------------------------------------------------

function setTitle(title) {
  document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
}

function deniedView(page) {
  return h('section', { class: 'denied' },
    h('h1', { tabindex: '-1' }, "You don't have access to this page"),
    h('p', null, `${page.title} needs the permission `, h('code', null, page.permission),
      ', which your roles do not give you now.'),
    h('p', { class: 'muted' }, 'Ask a Console Admin to give you a role that holds it.'),
    homeLink());
}

function homeLink() {
  const first = visiblePages()[0];
  return first ? h('p', null, h('a', { href: `${BASE}${first.path}` }, `Go to ${first.nav.label}`)) : null;
}

function notFoundView() {
  return h('section', null,
    h('h1', { tabindex: '-1' }, 'Page not found'),
    h('p', null, 'There is no Console page at this address.'),
    homeLink());
}

function nothingView() {
  return h('section', null,
    h('h1', { tabindex: '-1' }, 'Nothing to show'),
    h('p', null, 'Your roles give you no Console page. Ask a Console Admin for a role with the permissions you need.'));
}

function loadErrorView() {
  if (state.loadErrors.length === 0) return null;
  return alertBox(`Part of the Console could not be loaded (${state.loadErrors.join(', ')}): reload the page.`, 'warn');
}

// Renders the page of location.pathname into a fresh container in <main>, so that a slow
// render of a page left already cannot write into the next one.
async function route({ focus = false } = {}) {
  const seq = ++state.renderSeq;
  const main = $('main');
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  closeMenu();
  const path = appPath();

  if (path === '/login' || path.startsWith('/login/')) {
    state.viewer = null;
    drawChrome();
    setTitle(loginPage.title);
    const flash = state.flash;
    state.flash = null;
    await loginPage.render(view, { ...ctx(), flash, onLoggedIn: enterApp }, {});
    return;
  }

  if (!state.viewer) {
    await boot();
    return;
  }
  drawNav();

  if (path === '/') {
    const first = visiblePages()[0];
    if (first) {
      history.replaceState(null, '', `${BASE}${first.path}`);
      return route({ focus });
    }
    setTitle('Home');
    view.append(nothingView());
    return;
  }

  const m = match(path);
  if (!m) {
    setTitle('Not found');
    view.append(...[loadErrorView(), notFoundView()].filter(Boolean));
    return;
  }
  const { page } = m.entry;
  setTitle(page.title);
  if (!can(page.permission)) {
    view.append(deniedView(page));
    if (focus) view.querySelector('h1')?.focus();
    return;
  }
  try {
    await page.render(view, ctx(), m.params);
  } catch (err) {
    if (seq !== state.renderSeq) return;
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') return; // the login page is on its way
    console.warn(err);
    view.append(alertBox(err));
  }
  if (focus && seq === state.renderSeq) {
    const h1 = view.querySelector('h1');
    if (h1) {
      if (!h1.hasAttribute('tabindex')) h1.tabIndex = -1;
      h1.focus();
    } else {
      main.focus();
    }
  }
}

// The viewer is unknown: check the session; without one, the login page (coming back here
// after); with one, the viewer, then the page.
async function boot() {
  const here = location.pathname + location.search;
  let session;
  try {
    session = await currentSession();
  } catch (err) {
    $('main').replaceChildren(alertBox(err));
    return;
  }
  if (!session) {
    const p = appPath();
    const next = p === '/' ? '' : `?next=${encodeURIComponent(here)}`;
    return navigate(`/login${next}`, { replace: true });
  }
  try {
    await loadViewer();
  } catch (err) {
    if (err.code === 'UNAUTHENTICATED') return; // sessionExpired took over
    $('main').replaceChildren(alertBox(err));
    return;
  }
  drawChrome();
  return route();
}

// After a successful login: go to `next` when it is a Console page, else home.
async function enterApp(next) {
  onSessionExpired(sessionExpired);
  state.viewer = null;
  let target = '/';
  if (typeof next === 'string' && next.startsWith(`${BASE}/`) && !next.startsWith('//') &&
      !next.startsWith(`${BASE}/login`) && !next.includes('\\')) {
    target = next;
  }
  history.replaceState(null, '', target === '/' ? `${BASE}/` : target);
  await boot();
}

// The viewer's permissions may change while the Console is open (a role taken away in another
// tab): when the tab comes back into view, ask again; a 401 here brings the login page.
async function recheck() {
  if (!state.viewer || document.visibilityState !== 'visible') return;
  const before = [...state.viewer.permissions].sort().join(',');
  try {
    await loadViewer();
  } catch {
    return; // 401: sessionExpired took over; others: the next action will say
  }
  if ([...state.viewer.permissions].sort().join(',') !== before) {
    drawChrome();
    route();
  }
}

async function loadPages() {
  const results = await Promise.allSettled(PAGE_MODULES.map((f) => import(`./${f}`)));
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      state.loadErrors.push(PAGE_MODULES[i]);
      console.warn(`lectern Console: ${PAGE_MODULES[i]} did not load: ${r.reason?.message ?? r.reason}`);
      return;
    }
    const def = r.value.default;
    for (const page of Array.isArray(def) ? def : [def]) {
      if (!page || typeof page.path !== 'string' || typeof page.render !== 'function') continue;
      state.pages.push({ page, ...compile(page.path) });
    }
  });
  // Nav order: as listed in PAGE_MODULES; routes: fixed paths before parameterised ones.
  state.pages.sort((a, b) => a.keys.length - b.keys.length);
}

async function start() {
  onSessionExpired(sessionExpired);
  document.addEventListener('click', onLinkClick);
  window.addEventListener('popstate', () => route({ focus: true }));
  document.addEventListener('visibilitychange', recheck);
  window.addEventListener('focus', recheck);
  $('menu-toggle').addEventListener('click', () => {
    state.menuOpen = !state.menuOpen;
    $('nav').classList.toggle('is-open', state.menuOpen);
    $('menu-toggle').setAttribute('aria-expanded', String(state.menuOpen));
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.menuOpen && !document.querySelector('dialog[open]')) {
      closeMenu();
      $('menu-toggle').focus();
    }
  });
  // The skip link moves the focus itself (a fragment link only scrolls).
  document.querySelector('.skip-link')?.addEventListener('click', (e) => {
    e.preventDefault();
    const main = $('main');
    const h1 = main.querySelector('h1');
    if (h1 && !h1.hasAttribute('tabindex')) h1.tabIndex = -1;
    (h1 ?? main).focus();
  });
  await loadPages();
  await route();
}

start();
