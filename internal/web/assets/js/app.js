// The page's start: language, configuration, who is signed in, and a router over
// real paths under /app/ (the server answers every one of them with this page,
// so each works after a reload and can be bookmarked or shared).

import { auth, user, whenSignedOut } from './api.js';
import { h, replace } from './dom.js';
import { getLang, initI18n, otherLang, setLang, t, translateStatic } from './i18n.js';
import { focusHeading, toast } from './ui.js';
import { renderSignin, renderSignup } from './views/auth.js';
import { renderBusiness } from './views/business.js';
import { renderDashboard } from './views/dashboard.js';
import { renderEditor } from './views/editor.js';
import { renderNewVideo } from './views/new.js';
import { renderProfile } from './views/profile.js';
import { renderTask } from './views/task.js';
import { renderVideo } from './views/video.js';

const ID = '([A-Za-z0-9_-]{1,64})';

// Must agree with the route list in web.go (which answers 404 for the rest).
const ROUTES = [
  { re: /^\/app\/?$/, view: renderDashboard, auth: true, nav: 'home' },
  { re: /^\/app\/signin\/?$/, view: renderSignin, guest: true },
  { re: /^\/app\/signup\/?$/, view: renderSignup, guest: true },
  { re: /^\/app\/new\/?$/, view: renderNewVideo, auth: true, nav: 'new' },
  { re: /^\/app\/profile\/?$/, view: renderProfile, auth: true, nav: 'profile' },
  { re: new RegExp(`^/app/tasks/${ID}/?$`), view: renderTask, auth: true, nav: 'new' },
  { re: new RegExp(`^/app/tasks/${ID}/edit/?$`), view: renderEditor, auth: true, nav: 'home' },
  { re: new RegExp(`^/app/videos/${ID}/?$`), view: renderVideo, auth: true, nav: 'home' },
  { re: new RegExp(`^/app/businesses/${ID}/?$`), view: renderBusiness, auth: true, nav: 'home' },
];

const session = { signedIn: false, name: '', userId: '' };
let config = { google: false };
let cleanup = null;
let generation = 0;
let firstRender = true;

const main = document.getElementById('main');

function renderNotFound(ctx) {
  ctx.setTitle(t('notfound_title'));
  ctx.root.append(
    h('h1', {}, t('notfound_title')),
    h('p', {}, t('notfound_text')),
    h('p', {}, h('a', { class: 'btn btn-primary', href: '/app/', 'data-link': true }, t('notfound_home'))),
  );
}

/** Goes to a path inside the page. */
export function go(path, { replace: rep = false } = {}) {
  if (rep) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

async function route({ focus = true, redraw = false } = {}) {
  const gen = ++generation;
  // The page being left stays on screen until the next one is drawn, but must not
  // work any more: a second click there would submit its form again. A question
  // it asked (the confirmation dialog) is answered "no".
  main.firstElementChild?.setAttribute('inert', '');
  const dlg = document.getElementById('confirm');
  if (dlg?.open) dlg.close();
  if (cleanup) {
    try {
      cleanup();
    } catch {
      // a view's cleanup must not stop the next view
    }
    cleanup = null;
  }
  const path = location.pathname;
  let match = null;
  let entry = null;
  for (const r of ROUTES) {
    match = path.match(r.re);
    if (match) {
      entry = r;
      break;
    }
  }
  if (entry?.auth && !session.signedIn) {
    const next = path === '/app/' || path === '/app' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
    history.replaceState(null, '', `/app/signin${next}`);
    return route({ focus });
  }
  if (entry?.guest && session.signedIn) {
    history.replaceState(null, '', '/app/');
    return route({ focus });
  }
  updateChrome(entry?.nav);

  // The old view stays until the new one is drawn (no blank flash); a slow
  // one gets a loading line after a moment.
  const root = h('div', { class: 'view' });
  let attached = false;
  const attach = () => {
    if (!attached && gen === generation) {
      attached = true;
      replace(main, root);
    }
  };
  const slow = setTimeout(() => {
    if (!root.childNodes.length) root.append(h('p', { class: 'loading' }, t('loading')));
    attach();
  }, 400);
  const ctx = {
    root,
    params: match ? match.slice(1) : [],
    query: new URLSearchParams(location.search),
    // The same view drawn again (the language changed): a view may keep what the
    // owner did that the form fields alone do not hold (lines added, photos moved).
    redraw,
    session,
    config,
    alive: () => gen === generation,
    go: (p, opts) => {
      if (gen === generation) go(p, opts);
    },
    setTitle: (title) => {
      document.title = title ? `${title} · O2Sound` : 'O2Sound';
    },
    signedIn: (u) => {
      session.signedIn = true;
      session.name = u.name || '';
      session.userId = u.user_id || '';
      updateChrome();
    },
    rerender: () => {
      if (gen === generation) route();
    },
  };
  const moveFocus = focus && !firstRender;
  firstRender = false;
  try {
    const result = await (entry ? entry.view(ctx) : renderNotFound(ctx));
    if (gen !== generation) {
      if (typeof result === 'function') result();
      return;
    }
    if (typeof result === 'function') cleanup = result;
  } catch (err) {
    if (gen !== generation || err?.code === 'AUTH_004') return;
    replace(root, h('h1', {}, t('error_title')), h('p', { class: 'alert', role: 'alert' }, t('error_text')));
  } finally {
    clearTimeout(slow);
  }
  root.querySelector('.loading')?.remove();
  attach();
  // After a click inside the page, focus the new heading so keyboard and
  // screen-reader users start at the top of the new content.
  if (moveFocus && gen === generation) focusHeading(root);
}

/** Header state: navigation, current page, sign-out and language buttons. */
function updateChrome(current) {
  const nav = document.getElementById('mainnav');
  nav.hidden = !session.signedIn;
  if (current !== undefined) {
    for (const a of nav.querySelectorAll('a[data-nav]')) {
      if (a.dataset.nav === current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }
  document.getElementById('signout').hidden = !session.signedIn;
  const lt = document.getElementById('lang-toggle');
  const other = otherLang();
  replace(lt, h('span', { class: 'sr-only' }, `${t('language')}: `), h('span', { lang: other }, other === 'ko' ? '한국어' : 'English'));
  lt.hidden = false;
}

/**
 * Remembers what the owner typed or chose in the page's forms, and returns a
 * function that puts it back into the page drawn next (the same view, in the other
 * language), so switching language loses nothing.
 */
function keepTypedInput() {
  const kept = [];
  for (const el of main.querySelectorAll('input[name], textarea[name], select[name]')) {
    if (el.type === 'radio' || el.type === 'checkbox') {
      if (el.checked !== el.defaultChecked) kept.push({ name: el.name, value: el.value, checked: el.checked });
    } else if (el.type !== 'hidden' && el.type !== 'file' && el.value !== el.defaultValue) {
      kept.push({ name: el.name, value: el.value });
    }
  }
  return () => {
    for (const k of kept) {
      for (const el of main.querySelectorAll(`[name="${CSS.escape(k.name)}"]`)) {
        if ('checked' in k) {
          if (el.value === k.value) el.checked = k.checked;
        } else {
          el.value = k.value;
        }
      }
    }
  };
}

function onLinkClick(ev) {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/app/') || url.pathname.startsWith('/app/assets/')) return;
  ev.preventDefault();
  if (url.pathname + url.search === location.pathname + location.search) return;
  go(url.pathname + url.search);
}

async function signOut() {
  try {
    await auth.logout();
  } catch {
    // the cookie is cleared by the answer; if the request failed the session
    // stays valid on the server, which is what the owner sees next time
  }
  session.signedIn = false;
  session.name = '';
  toast(t('signed_out'));
  go('/app/signin', { replace: true });
}

async function boot() {
  const [, cfg] = await Promise.all([
    initI18n(),
    fetch('/app/config.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({})),
  ]);
  config = { google: !!cfg.google };
  translateStatic();

  // Only ask who is signed in when a session cookie exists: asking without one
  // would be a 401, which browsers log as an error.
  if (cfg.session) {
    try {
      const p = await user.profile();
      session.signedIn = true;
      session.name = p.name;
      session.userId = p.user_id;
    } catch (err) {
      if (err.code === 'AUTH_004') {
        // The session ended; the logout answer clears the stale cookie so the
        // next visit does not ask again.
        auth.logout().catch(() => {});
      }
    }
  }

  whenSignedOut(() => {
    if (!session.signedIn) return;
    session.signedIn = false;
    toast(t('session_ended'));
    const here = location.pathname + location.search;
    go(`/app/signin?next=${encodeURIComponent(here)}`, { replace: true });
  });

  document.addEventListener('click', onLinkClick);
  window.addEventListener('popstate', () => route());
  document.getElementById('signout').addEventListener('click', signOut);
  document.getElementById('lang-toggle').addEventListener('click', async () => {
    setLang(otherLang());
    translateStatic();
    const restore = keepTypedInput();
    // Keep focus on the switch so a keyboard user can switch back.
    const done = route({ focus: false, redraw: true });
    const redraw = generation; // route() counted itself in before its first await
    document.getElementById('lang-toggle').focus();
    await done;
    // Only into the redrawn view: not into a page the owner went on to meanwhile.
    if (generation === redraw) restore();
  });
  document.documentElement.lang = getLang();
  await route();
}

boot().catch(() => {
  replace(main, h('p', { class: 'alert', role: 'alert' }, 'O2Sound could not start. Reload the page. · 페이지를 새로 고쳐 주세요.'));
});
