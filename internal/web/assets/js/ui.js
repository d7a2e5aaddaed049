// Shared pieces of the interface: the confirmation dialog, toasts, form fields,
// the "problem" box that explains a failure, and thumbnails.

import { h, newId, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * Asks before something that cannot be undone. Uses the page's <dialog>, so
 * focus stays inside, Escape cancels, and focus returns where it was.
 * Resolves true only when the owner confirms.
 */
export function confirmDialog({ title, body, confirm, cancel, danger = true }) {
  const dlg = document.getElementById('confirm');
  const yes = document.getElementById('confirm-yes');
  const no = document.getElementById('confirm-no');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-body').textContent = body;
  yes.textContent = confirm;
  no.textContent = cancel || t('cancel');
  yes.className = danger ? 'btn btn-danger' : 'btn btn-primary';
  const back = document.activeElement;
  return new Promise((resolve) => {
    const done = (answer) => {
      yes.removeEventListener('click', onYes);
      no.removeEventListener('click', onNo);
      dlg.removeEventListener('cancel', onCancel);
      dlg.removeEventListener('close', onClose);
      if (dlg.open) dlg.close();
      if (back && back.isConnected && typeof back.focus === 'function') back.focus();
      resolve(answer);
    };
    const onYes = () => done(true);
    const onNo = () => done(false);
    // Escape fires 'cancel' at once; the 'close' that follows is queued and may arrive
    // after the dialog was opened again (Escape, then a quick second click), so a close
    // only counts while the dialog is really shut.
    const onCancel = () => done(false);
    const onClose = () => { if (!dlg.open) done(false); };
    yes.addEventListener('click', onYes);
    no.addEventListener('click', onNo);
    dlg.addEventListener('cancel', onCancel);
    dlg.addEventListener('close', onClose);
    dlg.showModal();
    no.focus(); // the safe choice is the default
  });
}

let toastTimer = 0;

/** A short message in the polite live region at the bottom of the screen. */
export function toast(message, kind = 'info') {
  const region = document.getElementById('toast');
  clearTimeout(toastTimer);
  replace(region, h('div', { class: `toast toast-${kind}` }, message));
  toastTimer = setTimeout(() => region.replaceChildren(), 6000);
}

/**
 * A labelled input with a hint and an error slot wired by aria-describedby.
 * Returns {wrap, input, setError(msg)}.
 */
export function field({ label, name, type = 'text', value = '', hint, required, attrs = {}, optional }) {
  const id = newId(name);
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  const input = h(type === 'textarea' ? 'textarea' : 'input', {
    id,
    name,
    type: type === 'textarea' ? null : type,
    value,
    required: !!required,
    'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
    ...attrs,
  });
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const wrap = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'optional' }, ` ${t('optional')}`) : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    err,
  );
  const setError = (msg) => {
    if (msg) {
      err.textContent = msg;
      err.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    } else {
      err.textContent = '';
      err.hidden = true;
      input.removeAttribute('aria-invalid');
    }
  };
  input.addEventListener('input', () => setError(''));
  return { wrap, input, setError };
}

/** A form-level message box (role=alert so it is read out at once). */
export function formAlert() {
  const el = h('div', { class: 'alert', role: 'alert', hidden: true });
  return {
    el,
    show(title, text) {
      replace(el, h('strong', {}, title), text ? h('p', {}, text) : null);
      el.hidden = false;
    },
    hide() {
      el.hidden = true;
      el.replaceChildren();
    },
  };
}

const KNOWN_FAILURES = new Set([
  'CRAWL_001', 'CRAWL_002', 'CRAWL_003', 'CRAWL_004', 'CRAWL_005', 'CRAWL_006', 'CRAWL_007', 'CRAWL_008',
  'TASK_003', 'AUTH_005', 'NETWORK', 'SERVER_002',
]);

/** Plain words for a failure: what happened and what the owner can do. */
export function explain(code) {
  const c = KNOWN_FAILURES.has(code) ? code : 'OTHER';
  return { title: t(`fail_${c}_title`), help: t(`fail_${c}_help`) };
}

/** A business or video picture; a letter tile when there is none we may show. */
export function thumb(url, name, cls = 'thumb') {
  const letter = (name || '?').trim().charAt(0).toUpperCase() || '?';
  const tile = h('span', { class: `${cls} thumb-tile`, 'aria-hidden': 'true' }, letter);
  if (!usableImage(url)) return tile;
  const img = h('img', { class: cls, src: url, alt: '', loading: 'lazy', decoding: 'async' });
  img.addEventListener('error', () => img.replaceWith(tile), { once: true });
  return img;
}

/**
 * Pictures come from this server or from https sites: the page's policy allows
 * only those, and an http picture on an https page would be blocked anyway.
 */
export function usableImage(url) {
  if (!url) return false;
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.origin === location.origin;
  } catch {
    return false;
  }
}

/** Moves focus to the page's heading after a route change (keyboard and screen readers). */
export function focusHeading(root) {
  const h1 = root.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: true });
  }
}
