// Form handling shared by the views: client-side checks in the page's language
// (the browser's own bubbles would follow the browser, not the switch), the
// API's field errors put next to their fields, and a busy submit button.

import { t } from './i18n.js';

/** Field names the API reports → the message key for each. */
const FIELD_MESSAGES = {
  user_id: 'err_user_id',
  name: 'err_name',
  password: 'err_password',
  email: 'err_email',
  phone_number: 'err_phone_number',
  url: 'err_url',
  address: 'err_address',
  hashtags: 'err_hashtags',
};

/**
 * What a phone number of any country is written with (o2sound.PhoneE164): digits,
 * also full-width, spaces, + ( ) . and dashes. Which numbers exist only the API
 * knows (libphonenumber); this catches letters and stray text before a 422, and
 * never refuses a number the API takes. Escaped for the pattern attribute's v flag.
 */
export const PHONE_PATTERN = '[0-9０-９+＋ \\(\\)（）.\\-－–—‐‑‒−]{4,32}';

/** The API also wants a dot in the email's domain, which type=email does not. */
export const EMAIL_PATTERN = '[^@\\s]+@[^@\\s]+\\.[^@\\s]+';

export function fieldMessage(name, fallback) {
  const key = FIELD_MESSAGES[name];
  return key ? t(key) : fallback || t('err_invalid');
}

/**
 * Checks each {input, setError} with the input's own constraints (required,
 * minlength, pattern, type=email…). Shows the messages and focuses the first
 * bad field. Returns true when all are fine.
 */
export function checkFields(fields) {
  let first = null;
  for (const f of fields) {
    const v = f.input.validity;
    if (v.valid) {
      f.setError('');
      continue;
    }
    f.setError(v.valueMissing ? t('err_required') : fieldMessage(f.input.name));
    first = first || f.input;
  }
  if (first) first.focus();
  return !first;
}

/**
 * Puts a REQ_001 answer's field errors next to the fields (by name). Returns
 * true when at least one was shown.
 */
export function showFieldErrors(err, fields) {
  const bad = err.fields ? err.fields() : {};
  let first = null;
  for (const f of fields) {
    if (f.input.name in bad) {
      f.setError(fieldMessage(f.input.name, bad[f.input.name]));
      first = first || f.input;
    }
  }
  if (first) first.focus();
  return !!first;
}

/** Disables the button and shows a busy label while fn runs. */
export async function busy(button, label, fn) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await fn();
  } finally {
    if (button.isConnected) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = old;
    }
  }
}
