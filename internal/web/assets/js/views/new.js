// New video: the website's address, the shape and the length, whether the owner
// reviews the words and photos first, then start.

import { movies } from '../api.js';
import { h, newId } from '../dom.js';
import { busy } from '../forms.js';
import { t } from '../i18n.js';
import { explain, field, formAlert } from '../ui.js';

export const SHAPES = [
  { value: '9:16', key: 'shape_tall', w: 18, h: 32 },
  { value: '1:1', key: 'shape_square', w: 26, h: 26 },
  { value: '16:9', key: 'shape_wide', w: 34, h: 19 },
];
export const LENGTHS = [15, 30, 45, 60, 90];
const DEFAULT_SHAPE = '9:16'; // most owners post from a phone: Reels, Shorts, Stories
const DEFAULT_LENGTH = 30;

/**
 * Makes what the owner typed into an address: "bluemoon.cafe" → "https://bluemoon.cafe".
 * Returns '' when it cannot be one.
 */
export function normalizeURL(raw) {
  let s = (raw || '').trim();
  if (!s) return '';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  try {
    const u = new URL(s);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || u.username || u.password) return '';
    if (!u.hostname.includes('.') && u.hostname !== 'localhost' && !u.hostname.startsWith('[')) return '';
    return u.href;
  } catch {
    return '';
  }
}

export function radioGroup({ legend, name, options, value, describe }) {
  const hintId = describe ? newId('hint') : null;
  return h(
    'fieldset',
    { class: `choice-group choice-${name}`, 'aria-describedby': hintId },
    h('legend', {}, legend),
    describe ? h('p', { class: 'hint', id: hintId }, describe) : null,
    h('div', { class: 'choices' },
      options.map((o) => {
        const id = newId(name);
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name, id, value: o.value, checked: o.value === value }),
          h('label', { for: id }, o.content));
      })),
  );
}

export function shapeIcon(s) {
  return h('svg:svg', { class: 'shape-icon', viewBox: '0 0 36 36', width: 36, height: 36, 'aria-hidden': 'true', focusable: 'false' },
    h('svg:rect', { x: (36 - s.w) / 2, y: (36 - s.h) / 2, width: s.w, height: s.h, rx: 3 }));
}

export function renderNewVideo(ctx) {
  ctx.setTitle(t('new_title'));
  const alert = formAlert();
  const url = field({
    label: t('field_website'), name: 'url', type: 'url', required: true, hint: t('hint_website'),
    value: ctx.query.get('url') || '',
    attrs: { inputmode: 'url', autocomplete: 'url', autocapitalize: 'none', spellcheck: 'false', placeholder: 'https://', maxlength: 2048 },
  });
  const shape = radioGroup({
    legend: t('field_shape'), name: 'aspect', value: DEFAULT_SHAPE,
    options: SHAPES.map((s) => ({
      value: s.value,
      content: [shapeIcon(s), h('span', { class: 'choice-title' }, t(`${s.key}`)), h('span', { class: 'choice-sub' }, t(`${s.key}_use`))],
    })),
  });
  const length = radioGroup({
    legend: t('field_length'), name: 'duration', value: String(DEFAULT_LENGTH), describe: t('hint_length'),
    options: LENGTHS.map((n) => ({ value: String(n), content: h('span', { class: 'choice-title' }, t('seconds_short', { n })) })),
  });
  const reviewId = newId('review');
  const review = h('div', { class: 'check check-card' },
    h('input', { type: 'checkbox', name: 'review', id: reviewId, value: '1', 'aria-describedby': `${reviewId}-hint` }),
    h('div', {},
      h('label', { for: reviewId, class: 'choice-title' }, t('field_review')),
      h('p', { class: 'hint', id: `${reviewId}-hint` }, t('hint_review'))));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-large btn-block' }, t('start_button'));
  const form = h('form', { class: 'form form-wide', novalidate: true, 'aria-labelledby': 'new-h' },
    alert.el, url.wrap, shape, length, review, submit,
    h('p', { class: 'hint center' }, t('start_note')));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alert.hide();
    const address = normalizeURL(url.input.value);
    if (!address) {
      url.setError(url.input.value.trim() ? t('fail_CRAWL_007_help') : t('err_required'));
      url.input.focus();
      return;
    }
    url.input.value = address;
    const aspect = form.querySelector('input[name=aspect]:checked')?.value || DEFAULT_SHAPE;
    const duration = Number(form.querySelector('input[name=duration]:checked')?.value || DEFAULT_LENGTH);
    const wantsReview = form.querySelector('input[name=review]').checked;
    await busy(submit, t('starting'), async () => {
      try {
        const res = await movies.start(address, aspect, duration, wantsReview);
        ctx.go(`/app/tasks/${encodeURIComponent(res.task_id)}`);
      } catch (err) {
        if (err.code === 'AUTH_004') return;
        const e = explain(err.code === 'REQ_001' && 'url' in err.fields() ? 'CRAWL_007' : err.code);
        if (err.code.startsWith('CRAWL_') || err.code === 'REQ_001') {
          url.setError(`${e.title} ${e.help}`);
          url.input.focus();
        } else {
          alert.show(e.title, e.help);
        }
      }
    });
  });

  ctx.root.append(
    h('section', { class: 'card form-card' },
      h('h1', { id: 'new-h' }, t('new_title')),
      h('p', { class: 'lead' }, t('new_lead')),
      form,
    ),
  );
}
