// Sign in and sign up.

import { auth, user } from '../api.js';
import { h } from '../dom.js';
import { EMAIL_PATTERN, PHONE_PATTERN, busy, checkFields, showFieldErrors } from '../forms.js';
import { t } from '../i18n.js';
import { explain, field, formAlert, toast } from '../ui.js';

/**
 * Where to go after signing in: the page asked for, with its query (a video's
 * address, say), if it is a page of ours.
 */
function nextPath(ctx) {
  const next = ctx.query.get('next') || '';
  if (!next.startsWith('/app/') || next.startsWith('//')) return '/app/';
  try {
    const u = new URL(next, location.origin);
    if (u.origin !== location.origin || !/^\/app\/[A-Za-z0-9_\-/]*$/.test(u.pathname)) return '/app/';
    return u.pathname + u.search;
  } catch {
    return '/app/';
  }
}

/** What a failed Google sign-in (sent back as ?google_error=code) means to the owner. */
function googleFailure(ctx, alert) {
  const code = ctx.query.get('google_error');
  if (!code) return;
  if (code === 'access_denied') alert.show(t('google_cancelled'), t('google_cancelled_help'));
  else alert.show(t('google_failed'), t('google_failed_help', { code: code.replace(/[^a-z_]/g, '').slice(0, 40) }));
  // Said once: a reload or a bookmark of this address should not say it again.
  const rest = new URLSearchParams(location.search);
  rest.delete('google_error');
  const query = rest.toString();
  history.replaceState(null, '', location.pathname + (query ? `?${query}` : ''));
}

function googleButton(ctx) {
  if (!ctx.config.google) return null;
  const href = `/social/google/login?return_url=${encodeURIComponent(nextPath(ctx))}`;
  return [
    h(
      'a',
      { class: 'btn btn-google', href },
      h('svg:svg', { viewBox: '0 0 24 24', width: 20, height: 20, 'aria-hidden': 'true', focusable: 'false' },
        h('svg:path', { fill: '#4285F4', d: 'M23.5 12.3c0-.8-.1-1.6-.2-2.3H12v4.5h6.5a5.6 5.6 0 0 1-2.4 3.6v3h3.9c2.2-2.1 3.5-5.1 3.5-8.8z' }),
        h('svg:path', { fill: '#34A853', d: 'M12 24c3.2 0 6-1.1 8-2.9l-3.9-3c-1.1.7-2.5 1.2-4.1 1.2-3.1 0-5.8-2.1-6.7-5H1.3v3.1A12 12 0 0 0 12 24z' }),
        h('svg:path', { fill: '#FBBC05', d: 'M5.3 14.3a7.2 7.2 0 0 1 0-4.6V6.6H1.3a12 12 0 0 0 0 10.8z' }),
        h('svg:path', { fill: '#EA4335', d: 'M12 4.8c1.8 0 3.3.6 4.6 1.8l3.4-3.4A12 12 0 0 0 1.3 6.6l4 3.1c.9-2.9 3.6-4.9 6.7-4.9z' }),
      ),
      h('span', {}, t('google_signin')),
    ),
    h('p', { class: 'divider' }, h('span', {}, t('or'))),
  ];
}

function showPasswordToggle(input) {
  const id = `${input.id}-show`;
  return h(
    'div',
    { class: 'check' },
    h('input', {
      type: 'checkbox',
      id,
      onchange: (ev) => {
        input.type = ev.target.checked ? 'text' : 'password';
      },
    }),
    h('label', { for: id }, t('show_password')),
  );
}

export function renderSignin(ctx) {
  ctx.setTitle(t('signin_title'));
  const alert = formAlert();
  const userId = field({
    label: t('field_user_id'), name: 'user_id', required: true,
    attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 },
  });
  const password = field({
    label: t('field_password'), name: 'password', type: 'password', required: true,
    attrs: { autocomplete: 'current-password', maxlength: 1024 },
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('signin_button'));
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'signin-h' },
    alert.el, userId.wrap, password.wrap, showPasswordToggle(password.input), submit);
  googleFailure(ctx, alert);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alert.hide();
    if (!checkFields([userId, password])) return;
    await busy(submit, t('signing_in'), async () => {
      try {
        await auth.login(userId.input.value.trim(), password.input.value);
        const p = await user.profile();
        ctx.signedIn(p);
        toast(t('welcome_back', { name: p.name }));
        ctx.go(nextPath(ctx), { replace: true });
      } catch (err) {
        if (err.code === 'AUTH_001') {
          alert.show(t('signin_failed'), t('signin_failed_help'));
          password.input.select();
          password.input.focus();
        } else if (err.code === 'AUTH_005') {
          const mins = Math.max(1, Math.ceil((err.details.retry_after_seconds || 60) / 60));
          alert.show(t('fail_AUTH_005_title'), t('fail_AUTH_005_help', { minutes: mins }));
        } else if (!showFieldErrors(err, [userId, password])) {
          const e = explain(err.code);
          alert.show(e.title, e.help);
        }
      }
    });
  });

  ctx.root.append(
    h('section', { class: 'auth-card card' },
      h('h1', { id: 'signin-h' }, t('signin_title')),
      h('p', { class: 'lead' }, t('signin_lead')),
      googleButton(ctx),
      form,
      h('p', { class: 'switch-auth' }, t('no_account'), ' ', h('a', { href: '/app/signup', 'data-link': true }, t('create_account'))),
    ),
  );
}

export function renderSignup(ctx) {
  ctx.setTitle(t('signup_title'));
  const alert = formAlert();
  const name = field({
    label: t('field_name'), name: 'name', required: true, hint: t('hint_name'),
    attrs: { autocomplete: 'name', maxlength: 50 },
  });
  const userId = field({
    label: t('field_user_id'), name: 'user_id', required: true, hint: t('hint_user_id'),
    attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', minlength: 3, maxlength: 32, pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{2,31}' },
  });
  const password = field({
    label: t('field_password'), name: 'password', type: 'password', required: true, hint: t('hint_password'),
    attrs: { autocomplete: 'new-password', minlength: 8, maxlength: 128 },
  });
  const email = field({
    label: t('field_email'), name: 'email', type: 'email', optional: true,
    attrs: { autocomplete: 'email', maxlength: 254, pattern: EMAIL_PATTERN },
  });
  const phone = field({
    label: t('field_phone'), name: 'phone_number', type: 'tel', optional: true, hint: t('hint_phone'),
    attrs: { autocomplete: 'tel', inputmode: 'tel', maxlength: 32, pattern: PHONE_PATTERN },
  });
  const fields = [name, userId, password, email, phone];
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('signup_button'));
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'signup-h' },
    alert.el, fields.map((f) => f.wrap), showPasswordToggle(password.input), submit);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alert.hide();
    if (!checkFields(fields)) return;
    await busy(submit, t('creating_account'), async () => {
      const body = {
        user_id: userId.input.value.trim(),
        name: name.input.value.trim(),
        password: password.input.value,
      };
      if (email.input.value.trim()) body.email = email.input.value.trim();
      if (phone.input.value.trim()) body.phone_number = phone.input.value.trim();
      try {
        await auth.join(body);
        // Signed up: sign in straight away, nobody wants to type it twice.
        await auth.login(body.user_id, body.password);
        const p = await user.profile();
        ctx.signedIn(p);
        toast(t('welcome_new', { name: p.name }), 'success');
        ctx.go('/app/', { replace: true });
      } catch (err) {
        if (err.code === 'AUTH_002') {
          userId.setError(t('err_user_id_taken'));
          userId.input.focus();
        } else if (err.code === 'AUTH_003') {
          email.setError(t('err_email_taken'));
          email.input.focus();
        } else if (!showFieldErrors(err, fields)) {
          const e = explain(err.code);
          alert.show(e.title, e.help);
        }
      }
    });
  });

  ctx.root.append(
    h('section', { class: 'auth-card card' },
      h('h1', { id: 'signup-h' }, t('signup_title')),
      h('p', { class: 'lead' }, t('signup_lead')),
      googleButton(ctx),
      form,
      h('p', { class: 'switch-auth' }, t('have_account'), ' ', h('a', { href: '/app/signin', 'data-link': true }, t('signin_button'))),
    ),
  );
}
