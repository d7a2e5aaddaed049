// Edit (or delete) one of the owner's businesses.

import { findInPages, user } from '../api.js';
import { h } from '../dom.js';
import { PHONE_PATTERN, busy, checkFields, showFieldErrors } from '../forms.js';
import { t } from '../i18n.js';
import { confirmDialog, explain, field, formAlert, thumb, toast, usableImage } from '../ui.js';

/**
 * Makes button delete the business it (after the owner confirms), then calls done.
 * The dashboard's cards and this page share it.
 */
export function onDeleteBusiness(button, it, done) {
  button.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: t('delete_business_title', { name: it.name }),
      body: t('delete_business_body'),
      confirm: t('delete_business_confirm'),
    });
    if (!ok) return;
    button.disabled = true;
    try {
      await user.deleteItem(it.item_id);
      toast(t('business_deleted', { name: it.name }), 'success');
      done();
    } catch (err) {
      button.disabled = false;
      if (err.code !== 'AUTH_004') toast(t('delete_failed'), 'error');
    }
  });
}

/** "#카페 브런치, #coffee" → ["카페", "브런치", "coffee"] */
export function parseHashtags(s) {
  const seen = new Set();
  const out = [];
  for (const raw of (s || '').split(/[\s,]+/)) {
    const tag = raw.replace(/^#+/, '').replace(/#/g, '');
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}

export async function renderBusiness(ctx) {
  const [id] = ctx.params;
  ctx.setTitle(t('business_title'));
  const it = await findInPages((p, s) => user.items(p, s), 'items', id);
  if (!ctx.alive()) return;
  if (!it) {
    ctx.root.append(h('section', { class: 'card' },
      h('h1', {}, t('business_not_found')),
      h('p', {}, t('business_not_found_text')),
      h('a', { class: 'btn btn-primary', href: '/app/', 'data-link': true }, t('back_to_videos'))));
    return;
  }
  ctx.setTitle(it.name);

  const alert = formAlert();
  const name = field({ label: t('field_business_name'), name: 'name', value: it.name, required: true, attrs: { maxlength: 50 } });
  const address = field({ label: t('field_address'), name: 'address', value: it.address, attrs: { maxlength: 200, autocomplete: 'street-address' } });
  const phone = field({ label: t('field_phone'), name: 'phone_number', type: 'tel', value: it.phone_number, hint: t('hint_business_phone'), attrs: { inputmode: 'tel', maxlength: 32, pattern: PHONE_PATTERN } });
  const url = field({ label: t('field_website'), name: 'url', type: 'url', value: it.url, required: true, attrs: { inputmode: 'url', maxlength: 2048, spellcheck: 'false' } });
  const tags = field({
    label: t('hashtags'), name: 'hashtags', value: (it.hashtags || []).map((x) => `#${x}`).join(' '),
    hint: t('hint_hashtags'), attrs: { spellcheck: 'false' },
  });
  const fields = [name, address, phone, url, tags];
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('save'));
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'biz-h' },
    alert.el, fields.map((f) => f.wrap),
    h('div', { class: 'row' }, save, h('a', { class: 'btn btn-quiet', href: '/app/', 'data-link': true }, t('cancel'))));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alert.hide();
    if (!checkFields(fields)) return;
    const hashtags = parseHashtags(tags.input.value);
    if (hashtags.length > 20 || hashtags.some((x) => [...x].length > 30)) {
      tags.setError(t('err_hashtags'));
      tags.input.focus();
      return;
    }
    await busy(save, t('saving'), async () => {
      try {
        await user.updateItem({
          item_id: it.item_id,
          name: name.input.value.trim(),
          address: address.input.value.trim(),
          phone_number: phone.input.value.trim(),
          url: url.input.value.trim(),
          hashtags,
        });
        toast(t('saved'), 'success');
        ctx.go('/app/');
      } catch (err) {
        if (err.code === 'AUTH_004') return;
        if (err.code === 'ITEM_002') {
          url.setError(t('err_url_taken'));
          url.input.focus();
        } else if (!showFieldErrors(err, fields)) {
          const e = explain(err.code);
          alert.show(e.title, e.help);
        }
      }
    });
  });

  const del = h('button', { type: 'button', class: 'btn btn-danger-outline' }, t('delete_business'));
  onDeleteBusiness(del, it, () => ctx.go('/app/', { replace: true }));

  ctx.root.append(
    h('p', { class: 'crumb' }, h('a', { href: '/app/', 'data-link': true }, `← ${t('back_to_videos')}`)),
    h('section', { class: 'card form-card' },
      h('div', { class: 'biz-head' },
        thumb(usableImage(it.thumbnail_url) ? it.thumbnail_url : '', it.name, 'biz-thumb'),
        h('h1', { id: 'biz-h' }, t('business_title'))),
      form,
      h('div', { class: 'danger-zone' }, h('p', { class: 'hint' }, t('delete_business_body')), del)),
  );
}
