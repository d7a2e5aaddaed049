// The editor of a video's draft: what the site told us (name, tagline, contacts,
// hashtags), the lyrics line by line, the photos in video order (move, remove,
// add from the phone), the logo, the style, the shape and the length. It shows
// which steps will run again and starts a re-make with only what changed.
// Used for a task waiting for review and for a finished video ("edit and make again").

import { movies, photos as photoApi } from '../api.js';
import { changesOf, parseFieldPath, remakeBody, rerunStages, stateOf, syllables, validate } from '../draft.js';
import { h, newId, replace, srOnly } from '../dom.js';
import { PHONE_PATTERN, busy } from '../forms.js';
import { getLang, t } from '../i18n.js';
import { explain, field, formAlert, usableImage } from '../ui.js';
import { parseHashtags } from './business.js';
import { LENGTHS, SHAPES, radioGroup, shapeIcon } from './new.js';

// What the server takes (POST /moviemaker/photos); checked here first so an
// owner learns at once, without sending 15 MB, that a file will not do.
const UPLOAD_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const MAX_FILE_BYTES = 15 * 1024 * 1024;

// Photo upload failures the page explains (photo_err_<code>); the rest get OTHER.
const PHOTO_CODES = new Set(['PHOTO_001', 'PHOTO_002', 'PHOTO_003', 'PHOTO_004', 'PHOTO_005', 'PHOTO_006', 'REQ_002', 'TASK_003', 'NETWORK', 'LIMIT']);

// What the owner did here, kept while the same editor is drawn again in the other language.
let kept = null;

/** A stage list in words: "Composing the song, Cutting the video and Putting it all together". */
function stageList(stages) {
  const names = stages.map((s) => t(`stage_${s}`));
  try {
    return new Intl.ListFormat(getLang(), { type: 'conjunction' }).format(names);
  } catch {
    return names.join(', ');
  }
}

/** A translated label for a value the server names (genre, mood, section), else the value. */
function named(prefix, value) {
  const key = `${prefix}_${String(value).toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
  const s = t(key);
  return s === key ? value : s;
}

function photoError(code) {
  return t(`photo_err_${PHOTO_CODES.has(code) ? code : 'OTHER'}`);
}

export async function renderEditor(ctx) {
  const [taskId] = ctx.params;
  ctx.setTitle(t('editor_title'));
  let draft;
  let task;
  try {
    [draft, task] = await Promise.all([movies.draft(taskId), movies.progress(taskId)]);
  } catch (err) {
    if (!ctx.alive() || err.code === 'AUTH_004') return undefined;
    const gone = err.code === 'TASK_004';
    ctx.root.append(h('section', { class: 'card form-card' },
      h('h1', {}, t(gone ? 'editor_no_draft' : err.code === 'TASK_001' ? 'task_not_found' : 'error_title')),
      h('p', {}, t(gone ? 'editor_no_draft_text' : err.code === 'TASK_001' ? 'task_not_found_text' : 'error_text')),
      h('div', { class: 'row' },
        gone ? h('a', { class: 'btn btn-secondary', href: `/app/tasks/${encodeURIComponent(taskId)}`, 'data-link': true }, t('editor_see_task')) : null,
        h('a', { class: 'btn btn-primary', href: '/app/', 'data-link': true }, t('back_to_videos')))));
    return undefined;
  }
  if (!ctx.alive()) return undefined;

  const review = task.state === 'review';
  const choices = draft.choices || {};
  const cur = ctx.redraw && kept?.taskId === taskId ? kept.cur : stateOf(draft);
  // Every picture the owner may use: the draft's photos, its logo, uploads made here.
  const known = ctx.redraw && kept?.taskId === taskId ? kept.known : new Map();
  for (const p of [...(draft.photos || []), draft.logo].filter(Boolean)) {
    if (!known.has(p.photo_id)) known.set(p.photo_id, { ...p });
  }
  kept = { taskId, cur, known };

  const heading = t(review ? 'editor_title_review' : 'editor_title_again');
  ctx.setTitle(heading);
  const alert = formAlert();
  const live = h('p', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const slots = new Map(); // API field path → {setError, focus}
  const register = (path, setError, focusEl) => slots.set(path, { setError, focus: () => focusEl.focus() });

  // Facts.
  const factDefs = [
    { k: 'name', label: t('field_business_name'), required: true, attrs: { maxlength: 80 } },
    { k: 'tagline', label: t('field_tagline'), hint: t('hint_tagline'), attrs: { maxlength: 120 } },
    { k: 'phone', label: t('field_phone'), type: 'tel', hint: t('hint_phone'), attrs: { inputmode: 'tel', maxlength: 32, pattern: PHONE_PATTERN } },
    { k: 'address', label: t('field_address'), attrs: { maxlength: 200, autocomplete: 'street-address' } },
    { k: 'website', label: t('field_website'), type: 'url', attrs: { inputmode: 'url', maxlength: 2048, spellcheck: 'false' } },
    { k: 'hashtags', label: t('hashtags'), hint: t('hint_hashtags'), attrs: { spellcheck: 'false' } },
  ];
  const factFields = factDefs.map((d) => {
    const value = d.k === 'hashtags' ? cur.facts.hashtags.map((x) => `#${x}`).join(' ') : cur.facts[d.k];
    const f = field({ label: d.label, name: `facts.${d.k}`, type: d.type || 'text', value, hint: d.hint, required: d.required, attrs: d.attrs, optional: !d.required });
    f.input.addEventListener('input', () => {
      cur.facts[d.k] = d.k === 'hashtags' ? parseHashtags(f.input.value) : f.input.value;
      update();
    });
    register(`facts.${d.k}`, f.setError, f.input);
    return f;
  });
  const factsCard = h('section', { class: 'card edit-card', 'aria-labelledby': 'ed-facts' },
    h('h2', { id: 'ed-facts' }, t('editor_facts')),
    h('p', { class: 'hint' }, t('editor_facts_hint')),
    h('div', { class: 'form' }, factFields.map((f) => f.wrap)));

  // Lyrics: each line an input, in its section.
  const title = field({ label: t('field_song_title'), name: 'lyrics.title', value: cur.lyrics.title, attrs: { maxlength: 80 } });
  title.input.addEventListener('input', () => {
    cur.lyrics.title = title.input.value;
    update();
  });
  register('lyrics.title', title.setError, title.input);
  const sectionsBox = h('div', { class: 'lyric-sections' });
  const maxLines = choices.max_lines_per_section || 8;
  const sectionLabel = (i) => {
    const name = cur.lyrics.sections[i].name;
    const same = cur.lyrics.sections.filter((s) => s.name === name).length;
    const nth = cur.lyrics.sections.slice(0, i + 1).filter((s) => s.name === name).length;
    return same > 1 ? `${named('section', name)} ${nth}` : named('section', name);
  };
  const drawSection = (i, box, focusLine) => {
    const sec = cur.lyrics.sections[i];
    const label = sectionLabel(i);
    const secErr = h('p', { class: 'field-error', hidden: true });
    const list = h('ol', { class: 'lyric-lines' });
    let focusEl = null;
    // Lines were renumbered: forget the old ones' places for errors.
    for (const k of [...slots.keys()]) {
      if (k.startsWith(`lyrics.sections[${i}].lines[`)) slots.delete(k);
    }
    sec.lines.forEach((line, j) => {
      const id = newId('line');
      const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
      const input = h('input', {
        type: 'text', id, name: `lyrics.sections[${i}].lines[${j}]`, value: line, class: 'lyric-input',
        'aria-label': t('line_label', { section: label, n: j + 1 }), 'aria-describedby': `${id}-err`,
        maxlength: 120, autocomplete: 'off',
      });
      const setError = (msg) => {
        err.textContent = msg || '';
        err.hidden = !msg;
        if (msg) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      };
      input.addEventListener('input', () => {
        sec.lines[j] = input.value;
        setError('');
        update();
      });
      const remove = h('button', {
        type: 'button', class: 'btn btn-quiet btn-icon line-remove', disabled: sec.lines.length <= 1,
        'aria-label': t('line_remove', { section: label, n: j + 1 }), title: t('line_remove', { section: label, n: j + 1 }),
      }, h('span', { 'aria-hidden': 'true' }, '×'));
      remove.addEventListener('click', () => {
        sec.lines.splice(j, 1);
        drawSection(i, box, Math.min(j, sec.lines.length - 1));
        live.textContent = t('line_removed', { section: label });
        update();
      });
      register(`lyrics.sections[${i}].lines[${j}]`, setError, input);
      list.append(h('li', { class: 'lyric-line' }, h('div', { class: 'lyric-row' }, input, remove), err));
      if (j === focusLine) focusEl = input;
    });
    const add = h('button', { type: 'button', class: 'btn btn-quiet btn-small line-add', disabled: sec.lines.length >= maxLines },
      h('span', { 'aria-hidden': 'true' }, '+ '), t('line_add'), srOnly(` (${label})`));
    add.addEventListener('click', () => {
      sec.lines.push('');
      drawSection(i, box, sec.lines.length - 1);
      update();
    });
    register(`lyrics.sections[${i}]`, (msg) => {
      secErr.textContent = msg || '';
      secErr.hidden = !msg;
    }, add);
    replace(box, h('legend', {}, label), list, secErr,
      sec.lines.length >= maxLines ? h('p', { class: 'hint' }, t('lines_full', { max: maxLines })) : null, add);
    if (focusLine !== undefined) (focusEl || add).focus();
  };
  cur.lyrics.sections.forEach((s, i) => {
    const box = h('fieldset', { class: 'lyric-section', 'data-section': s.name });
    drawSection(i, box);
    sectionsBox.append(box);
  });
  const lyricsCard = h('section', { class: 'card edit-card', 'aria-labelledby': 'ed-lyrics' },
    h('h2', { id: 'ed-lyrics' }, t('editor_lyrics')),
    h('p', { class: 'hint' }, t('editor_lyrics_hint', { min: choices.min_line_syllables || 2, max: choices.max_line_syllables || 16 })),
    h('div', { class: 'form' }, title.wrap, sectionsBox));

  // Photos, in video order.
  const maxPhotos = choices.max_photos || 30;
  const grid = h('ol', { class: 'photo-grid', 'aria-labelledby': 'ed-photos' });
  const photoCount = h('p', { class: 'hint', id: 'photo-count' });
  const photosErr = h('p', { class: 'field-error', id: 'photos-err', hidden: true, tabindex: '-1' });
  const setPhotosError = (msg) => {
    photosErr.textContent = msg || '';
    photosErr.hidden = !msg;
  };
  register('photos', setPhotosError, photosErr);
  const picture = (id, cls) => {
    const p = known.get(id);
    const url = p?.url || `/moviemaker/photos/${encodeURIComponent(id)}`;
    return usableImage(url) ? h('img', { class: cls, src: url, alt: '', loading: 'lazy', decoding: 'async' }) : h('span', { class: `${cls} thumb-tile` }, '?');
  };
  const drawPhotos = (focus) => {
    const n = cur.photos.length;
    photoCount.textContent = t('photos_count', { n, max: maxPhotos });
    replace(grid, cur.photos.map((id, i) => {
      const num = i + 1;
      const earlier = h('button', { type: 'button', class: 'btn btn-quiet btn-icon photo-earlier', disabled: i === 0, 'aria-label': t('photo_earlier', { n: num }), title: t('photo_earlier', { n: num }) },
        h('span', { 'aria-hidden': 'true' }, '←'));
      const later = h('button', { type: 'button', class: 'btn btn-quiet btn-icon photo-later', disabled: i === n - 1, 'aria-label': t('photo_later', { n: num }), title: t('photo_later', { n: num }) },
        h('span', { 'aria-hidden': 'true' }, '→'));
      const remove = h('button', { type: 'button', class: 'btn btn-quiet btn-small btn-danger-text photo-remove', disabled: n <= 1 },
        t('photo_remove'), srOnly(` ${t('photo_n', { n: num })}`));
      const move = (to, which) => {
        cur.photos.splice(i, 1);
        cur.photos.splice(to, 0, id);
        drawPhotos({ id, which });
        live.textContent = t('photo_moved', { n: to + 1, total: n });
        update();
      };
      earlier.addEventListener('click', () => move(i - 1, 'earlier'));
      later.addEventListener('click', () => move(i + 1, 'later'));
      remove.addEventListener('click', () => {
        cur.photos.splice(i, 1);
        drawPhotos({ id: cur.photos[Math.min(i, cur.photos.length - 1)], which: 'remove' });
        live.textContent = t('photo_removed', { n: num });
        update();
      });
      const p = known.get(id);
      const li = h('li', { class: 'photo-item', 'data-photo': id },
        h('div', { class: 'photo-frame' }, picture(id, 'photo-img'),
          h('span', { class: 'photo-num', 'aria-hidden': 'true' }, String(num)),
          p?.source === 'upload' ? h('span', { class: 'photo-tag' }, t('photo_yours')) : null),
        srOnly(t('photo_n', { n: num })),
        h('div', { class: 'photo-tools' }, earlier, later, remove));
      if (focus && focus.id === id) {
        // The same button on the same photo, or the nearest one that still works
        // (a photo moved to the front can no longer move earlier).
        const order = { earlier: [earlier, later, remove], later: [later, earlier, remove], remove: [remove, later, earlier] }[focus.which];
        queueMicrotask(() => (order.find((b) => !b.disabled) || addInput).focus());
      }
      return li;
    }));
    if (focus?.which === 'remove' && !cur.photos.length) addInput.focus();
    drawLogo();
  };

  // Adding photos from the phone's camera roll.
  const addInput = h('input', { type: 'file', id: 'photo-add', class: 'file-input', accept: 'image/*', multiple: true, 'aria-describedby': 'photo-add-hint photo-count' });
  const addLabel = h('label', { for: 'photo-add', class: 'btn btn-secondary file-label' }, h('span', { 'aria-hidden': 'true', class: 'plus' }, '+'), ' ', t('photo_add'));
  const uploads = h('ul', { class: 'upload-results', 'aria-live': 'polite' });
  addInput.addEventListener('change', async () => {
    const files = [...addInput.files];
    addInput.value = ''; // the same file can be picked again
    if (!files.length) return;
    addInput.disabled = true;
    addLabel.classList.add('is-busy');
    uploads.replaceChildren();
    let added = 0;
    let refused = 0;
    for (const file of files) {
      const row = h('li', { class: 'upload-row' }, h('span', { class: 'upload-name' }, file.name), ' ', h('span', { class: 'upload-state' }, t('photo_uploading')));
      uploads.append(row);
      const state = row.querySelector('.upload-state');
      const refuse = (code) => {
        refused += 1;
        row.classList.add('upload-bad');
        state.textContent = photoError(code);
      };
      if (cur.photos.length >= maxPhotos) {
        refuse('LIMIT');
        continue;
      }
      if (file.type && !UPLOAD_TYPES.has(file.type)) {
        refuse('PHOTO_002');
        continue;
      }
      if (file.size > MAX_FILE_BYTES) {
        refuse('PHOTO_005');
        continue;
      }
      try {
        // One file a request: the server takes a request whole or not at all,
        // and one bad picture must not keep the good ones out.
        const res = await photoApi.upload([file]);
        for (const p of res.photos || []) {
          known.set(p.photo_id, { ...p, source: 'upload' });
          cur.photos.push(p.photo_id);
        }
        added += 1;
        row.classList.add('upload-ok');
        state.textContent = t('photo_added');
      } catch (err) {
        if (err.code === 'AUTH_004') return;
        refuse(err.code);
      }
      if (!ctx.alive()) return;
    }
    addInput.disabled = false;
    addLabel.classList.remove('is-busy');
    if (added) {
      setPhotosError('');
      drawPhotos();
      update();
    }
    live.textContent = t('photos_upload_done', { added, refused });
    // Back to the picker, unless the owner went on to something else meanwhile.
    if (document.activeElement === document.body || document.activeElement === addInput) addInput.focus();
  });
  const photosCard = h('section', { class: 'card edit-card', 'aria-labelledby': 'ed-photos' },
    h('h2', { id: 'ed-photos' }, t('editor_photos')),
    h('p', { class: 'hint' }, t('editor_photos_hint')),
    photoCount, photosErr, grid,
    h('div', { class: 'photo-add' }, addInput, addLabel,
      h('p', { class: 'hint', id: 'photo-add-hint' }, t('photo_add_hint'))),
    uploads);

  // The logo: one of the pictures, or none.
  const logoBox = h('div', { class: 'logo-choices' });
  const logoErr = h('p', { class: 'field-error', hidden: true, tabindex: '-1' });
  register('logo', (msg) => {
    logoErr.textContent = msg || '';
    logoErr.hidden = !msg;
  }, logoErr);
  function drawLogo() {
    // In video order, then the pictures not in the video (the site's logo, removed photos).
    const ids = [...new Set([...cur.photos, ...known.keys()])];
    const option = (value, content, label) => {
      const id = newId('logo');
      const input = h('input', { type: 'radio', name: 'logo', id, value, checked: cur.logo === value });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        cur.logo = value;
        update();
      });
      return h('div', { class: 'choice logo-choice' }, input, h('label', { for: id }, content, h('span', { class: 'choice-sub' }, label)));
    };
    replace(logoBox,
      option('', h('span', { class: 'logo-none', 'aria-hidden': 'true' }, '∅'), t('logo_none')),
      ids.map((id) => {
        const place = cur.photos.indexOf(id);
        const label = id === draft.logo?.photo_id ? t('logo_site') : place >= 0 ? t('photo_n', { n: place + 1 }) : t('logo_unused_photo');
        return option(id, picture(id, 'logo-img'), label);
      }));
  }
  const logoCard = h('section', { class: 'card edit-card', 'aria-labelledby': 'ed-logo' },
    h('fieldset', { class: 'choice-group', 'aria-describedby': 'ed-logo-hint' },
      h('legend', {}, h('h2', { id: 'ed-logo' }, t('editor_logo'))),
      h('p', { class: 'hint', id: 'ed-logo-hint' }, t('editor_logo_hint')),
      logoErr, logoBox));

  // Style, shape and length.
  const selects = {};
  const select = (k, label, values, show, fits) => {
    const id = newId(k);
    const errId = `${id}-err`;
    const err = h('p', { class: 'field-error', id: errId, hidden: true });
    const vals = values.includes(cur.style[k]) || cur.style[k] === '' ? values : [cur.style[k], ...values];
    const el = h('select', { id, name: `style.${k}`, 'aria-describedby': errId },
      fits ? h('option', { value: '' }, fits) : null,
      vals.map((v) => h('option', { value: String(v), selected: v === cur.style[k] }, show(v))));
    el.value = String(cur.style[k]);
    selects[k] = el;
    el.addEventListener('change', () => {
      cur.style[k] = k === 'tempo' ? Number(el.value) : el.value;
      // Each genre has its own mood: choosing one leaves the other to the server
      // (the mood of that genre, or a genre of that mood), unless both go back.
      const other = { genre: 'mood', mood: 'genre' }[k];
      if (other) {
        if (cur.style[k] === draft.style?.[k]) cur.style[other] = draft.style?.[other] || '';
        else cur.style[other] = '';
        selects[other].value = cur.style[other];
      }
      update();
    });
    register(`style.${k}`, (msg) => {
      err.textContent = msg || '';
      err.hidden = !msg;
    }, el);
    return h('div', { class: 'field' }, h('label', { for: id }, label), el, err);
  };
  const shapes = SHAPES.filter((s) => !choices.aspects || choices.aspects.includes(s.value));
  const shape = radioGroup({
    legend: t('field_shape'), name: 'aspect', value: cur.aspect,
    options: shapes.map((s) => ({
      value: s.value,
      content: [shapeIcon(s), h('span', { class: 'choice-title' }, t(s.key)), h('span', { class: 'choice-sub' }, t(`${s.key}_use`))],
    })),
  });
  const min = choices.min_duration || 15;
  const max = choices.max_duration || 90;
  const lengths = [...new Set([...LENGTHS.filter((n) => n >= min && n <= max), cur.duration].filter(Boolean))].sort((a, b) => a - b);
  const length = radioGroup({
    legend: t('field_length'), name: 'duration', value: String(cur.duration),
    options: lengths.map((n) => ({ value: String(n), content: h('span', { class: 'choice-title' }, t('seconds_short', { n })) })),
  });
  for (const input of shape.querySelectorAll('input')) {
    input.addEventListener('change', () => {
      cur.aspect = input.value;
      update();
    });
  }
  for (const input of length.querySelectorAll('input')) {
    input.addEventListener('change', () => {
      cur.duration = Number(input.value);
      update();
    });
  }
  const styleCard = h('section', { class: 'card edit-card', 'aria-labelledby': 'ed-style' },
    h('h2', { id: 'ed-style' }, t('editor_style')),
    h('p', { class: 'hint' }, t('editor_style_hint')),
    h('div', { class: 'form' },
      h('div', { class: 'style-row' },
        select('genre', t('field_genre'), choices.genres || [], (v) => named('genre', v), t('genre_fits_mood')),
        select('mood', t('field_mood'), choices.moods || [], (v) => named('mood', v), t('mood_fits_genre')),
        select('tempo', t('field_tempo'), choices.tempos || [], (v) => t('tempo_bpm', { n: v }))),
      shape, length));

  // What will run, and start.
  const rerun = h('p', { class: 'rerun-line', id: 'rerun-line', 'aria-live': 'polite' });
  const rerunNote = h('p', { class: 'hint', id: 'rerun-note' });
  const start = h('button', { type: 'submit', class: 'btn btn-primary btn-large', id: 'remake-start', 'aria-describedby': 'rerun-line' },
    t(review ? 'editor_start_review' : 'editor_start_again'));
  const back = review ? `/app/tasks/${encodeURIComponent(taskId)}` : (task.video?.id ? `/app/videos/${encodeURIComponent(task.video.id)}` : '/app/');
  const startCard = h('section', { class: 'card edit-card edit-start', 'aria-label': t('editor_start_label') },
    rerun, rerunNote,
    h('div', { class: 'row' }, start, h('a', { class: 'btn btn-quiet', href: back, 'data-link': true }, t('cancel'))));

  function update() {
    const changes = changesOf(draft, cur);
    const stages = rerunStages(changes, review);
    rerun.textContent = t(review ? 'editor_will_run' : 'editor_will_rerun', { steps: stageList(stages) });
    rerun.dataset.stages = stages.join(' '); // tests read it
    const n = Object.keys(changes).length;
    rerunNote.textContent = n ? t('editor_changed', { parts: Object.keys(changes).map((k) => t(`part_${k}`)).join(', ') }) : t(review ? 'editor_unchanged_review' : 'editor_unchanged');
    kept = { taskId, cur, known };
  }

  const clearErrors = () => {
    for (const s of slots.values()) s.setError('');
    for (const f of factFields) f.setError('');
    alert.hide();
  };
  // Shows errors [{field, message}] by the API's field paths; returns how many found a place.
  const showErrors = (errs) => {
    let first = null;
    const loose = [];
    for (const e of errs) {
      const p = parseFieldPath(e.field);
      let path = e.field;
      if (p.kind === 'facts') path = `facts.${p.name}`;
      else if (p.kind === 'section') path = `lyrics.sections[${p.section}]`;
      else if (p.kind === 'photos') path = 'photos';
      const slot = slots.get(path);
      if (slot) {
        slot.setError(e.message);
        first = first || slot;
      } else {
        loose.push(e.message);
      }
    }
    if (first) first.focus();
    return { placed: !!first, loose };
  };
  // Our words for a field the API refused: its message may be in another language.
  const serverMessage = (f) => {
    const p = parseFieldPath(f.field || '');
    const facts = { name: 'err_fact_name', tagline: 'err_tagline', phone: 'err_phone_number', website: 'err_url', address: 'err_address', hashtags: 'err_hashtags' };
    if (p.kind === 'facts' && facts[p.name]) return t(facts[p.name]);
    if (p.kind === 'line') {
      const line = cur.lyrics.sections[p.section]?.lines[p.line] || '';
      const min = choices.min_line_syllables || 2;
      const max = choices.max_line_syllables || 16;
      const n = syllables(line);
      // Not the length: some other trouble the server names (stray symbols, say).
      return n >= min && n <= max ? t('err_line_other', { message: f.message || '' }) : t('err_line', { min, max, n });
    }
    if (p.kind === 'section') return t('err_lines_count', { max: maxLines });
    if (p.kind === 'photos') return cur.photos.length ? t('err_photos_many', { max: maxPhotos }) : t('err_photos_none');
    return f.message || t('err_invalid');
  };

  const form = h('form', { class: 'editor', novalidate: true, 'aria-labelledby': 'ed-h' },
    alert.el, factsCard, lyricsCard, photosCard, logoCard, styleCard, startCard, live);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const changes = changesOf(draft, cur);
    const errs = validate(cur, changes, choices);
    if (errs.length) {
      showErrors(errs.map((e) => ({ field: e.field, message: t(e.key, e.vars) })));
      alert.show(t('editor_check_title'), t('editor_check_text'));
      return;
    }
    await busy(start, t('starting'), async () => {
      try {
        const res = await movies.remake(remakeBody(taskId, changes));
        kept = null;
        ctx.go(`/app/tasks/${encodeURIComponent(res.task_id)}`);
      } catch (err) {
        if (err.code === 'AUTH_004') return;
        if (err.code === 'REQ_001') {
          const fields = (err.details.fields || []).map((f) => ({ field: f.field || '', message: serverMessage(f) }));
          const { placed, loose } = showErrors(fields);
          alert.show(t('editor_check_title'), loose.length ? loose.join(' ') : placed ? t('editor_check_text') : err.message);
        } else if (err.code === 'PHOTO_001') {
          setPhotosError(t('photo_err_PHOTO_001'));
          photosErr.focus();
        } else if (err.code === 'TASK_004' || err.code === 'TASK_001') {
          alert.show(t(err.code === 'TASK_004' ? 'editor_no_draft' : 'task_not_found'), t(err.code === 'TASK_004' ? 'editor_no_draft_text' : 'task_not_found_text'));
        } else {
          const e = explain(err.code);
          alert.show(e.title, e.help);
        }
        if (!alert.el.hidden) alert.el.scrollIntoView({ block: 'nearest' });
      }
    });
  });

  drawPhotos();
  update();
  ctx.root.append(
    h('p', { class: 'crumb' }, h('a', { href: back, 'data-link': true }, `← ${t(review ? 'editor_back_task' : 'editor_back_video')}`)),
    h('div', { class: 'editor-head' },
      h('h1', { id: 'ed-h' }, heading),
      h('p', { class: 'lead' }, t(review ? 'editor_lead_review' : 'editor_lead_again'))),
    form);
  return undefined;
}
