// The owner's profile: see and change name, email and phone.

import { user } from '../api.js';
import { h, replace } from '../dom.js';
import { EMAIL_PATTERN, PHONE_PATTERN, busy, checkFields, showFieldErrors } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { explain, field, formAlert, toast } from '../ui.js';

function given(value) {
  return value ? h('dd', {}, value) : h('dd', { class: 'not-given' }, t('not_given'));
}

export async function renderProfile(ctx) {
  ctx.setTitle(t('profile_title'));
  const p = await user.profile();
  if (!ctx.alive()) return;

  const facts = h('dl', { class: 'facts' });
  const showFacts = (x) => replace(facts,
    h('dt', {}, t('field_user_id')), h('dd', {}, x.user_id),
    h('dt', {}, t('field_name')), h('dd', {}, x.name),
    h('dt', {}, t('field_email')), given(x.email),
    h('dt', {}, t('field_phone')), given(x.phone_number),
    h('dt', {}, t('member_since')), h('dd', {}, h('time', { datetime: x.created_at }, formatDate(x.created_at))));
  showFacts(p);

  const alert = formAlert();
  const name = field({ label: t('field_name'), name: 'name', value: p.name, required: true, attrs: { autocomplete: 'name', maxlength: 50 } });
  const email = field({ label: t('field_email'), name: 'email', type: 'email', value: p.email, optional: true, attrs: { autocomplete: 'email', maxlength: 254, pattern: EMAIL_PATTERN } });
  const phone = field({ label: t('field_phone'), name: 'phone_number', type: 'tel', value: p.phone_number, optional: true, hint: t('hint_phone'), attrs: { autocomplete: 'tel', inputmode: 'tel', maxlength: 32, pattern: PHONE_PATTERN } });
  const fields = [name, email, phone];
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('save_changes'));
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'edit-h' },
    alert.el, fields.map((f) => f.wrap), save);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alert.hide();
    if (!checkFields(fields)) return;
    await busy(save, t('saving'), async () => {
      try {
        const body = { name: name.input.value.trim(), email: email.input.value.trim(), phone_number: phone.input.value.trim() };
        await user.update(body);
        const fresh = await user.profile();
        ctx.session.name = fresh.name;
        showFacts(fresh);
        toast(t('saved'), 'success');
      } catch (err) {
        if (err.code === 'AUTH_004') return;
        if (err.code === 'AUTH_003') {
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
    h('h1', {}, t('profile_title')),
    h('div', { class: 'profile-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'facts-h' }, h('h2', { id: 'facts-h' }, t('profile_facts')), facts),
      h('section', { class: 'card', 'aria-labelledby': 'edit-h' }, h('h2', { id: 'edit-h' }, t('profile_edit')), form)),
  );
}
