// Korean and English. The page follows the browser's language until the owner
// picks one, and remembers that choice in localStorage.

const STORAGE_KEY = 'o2sound.lang';
export const LANGS = ['ko', 'en'];

const dicts = {};
let lang = 'en';

function storedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null; // storage can be off (private modes); fall back to the browser
  }
}

function browserLang() {
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const p of prefs) {
    const base = String(p).toLowerCase().split('-')[0];
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

async function loadDict(l) {
  if (dicts[l]) return;
  const resp = await fetch(`/app/assets/i18n/${l}.json`, { credentials: 'same-origin' });
  if (!resp.ok) throw new Error(`i18n: ${l}: ${resp.status}`);
  dicts[l] = await resp.json();
}

/** Loads both dictionaries (switching is then instant) and picks the language. */
export async function initI18n() {
  lang = storedLang() || browserLang();
  await Promise.all(LANGS.map(loadDict));
  document.documentElement.lang = lang;
}

export function getLang() {
  return lang;
}

export function setLang(l) {
  if (!LANGS.includes(l)) return;
  lang = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // not remembered; still switched for this visit
  }
  document.documentElement.lang = l;
}

/** The other language, for the switch button. */
export function otherLang() {
  return lang === 'ko' ? 'en' : 'ko';
}

/** t(key, {name: 'x'}) → the text in the current language, with {name} filled in. */
export function t(key, vars) {
  let s = dicts[lang]?.[key] ?? dicts.en?.[key];
  if (s === undefined) return key;
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  }
  return s;
}

/** tn('downloads', 3) picks downloads_one / downloads_other by the language's plural rules. */
export function tn(key, n, vars) {
  const rule = new Intl.PluralRules(lang).select(n);
  const k = dicts[lang]?.[`${key}_${rule}`] !== undefined ? `${key}_${rule}` : `${key}_other`;
  return t(k, { n: formatNumber(n), ...vars });
}

export function formatNumber(n) {
  return new Intl.NumberFormat(lang).format(n);
}

export function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** 75 → "1:15" */
export function formatLength(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "about 20 seconds left", rounded so it does not flicker every second. */
export function formatETA(seconds) {
  if (seconds === undefined || seconds === null || seconds < 0) return '';
  if (seconds < 10) return t('eta_moment');
  if (seconds < 60) return tn('eta_seconds', Math.ceil(seconds / 5) * 5);
  return tn('eta_minutes', Math.ceil(seconds / 60));
}

/** Fills [data-i18n] (text) and [data-i18n-aria-label] in static markup. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}
