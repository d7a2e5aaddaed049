// A video being made: six stages with live progress, percent and time left,
// a cancel button, and plain words when it fails. A task started for review
// stops after reading the site and offers the editor; a finished one offers to
// edit it and make it again.

import { movies } from '../api.js';
import { h, replace } from '../dom.js';
import { formatETA, t } from '../i18n.js';
import { ended, follow, settled } from '../progress.js';
import { confirmDialog, explain, thumb, toast } from '../ui.js';
import { shortURL } from './dashboard.js';

// The seed's six stages, in order (TaskView.stages[].stage).
export const STAGES = ['crawl', 'lyrics', 'images', 'music', 'video', 'merge'];

// Failures that the same address will meet again.
const PERMANENT = new Set(['CRAWL_003', 'CRAWL_004', 'CRAWL_005', 'CRAWL_006', 'CRAWL_007']);

const STATE_ICON = { done: '✓', running: '', failed: '!', cancelled: '–', queued: '', pending: '' };

export async function renderTask(ctx) {
  const [taskId] = ctx.params;
  ctx.setTitle(t('task_title'));

  const heading = h('h1', {}, t('task_title'));
  const site = h('p', { class: 'lead task-site' });
  const bar = h('progress', { max: 100, value: 0, 'aria-labelledby': 'overall-label' });
  const pctText = h('span', { class: 'overall-pct' }, '0%');
  const etaText = h('span', { class: 'overall-eta' });
  const overall = h('div', { class: 'overall' },
    h('p', { class: 'overall-line', id: 'overall-label' }, h('span', { class: 'sr-only' }, `${t('overall_progress')}: `), pctText, etaText),
    bar);
  const rows = {};
  const list = h('ol', { class: 'stages', 'aria-label': t('stages_label') },
    STAGES.map((s) => {
      const icon = h('span', { class: 'stage-icon', 'aria-hidden': 'true' });
      const state = h('span', { class: 'stage-state' });
      const mini = h('progress', { class: 'stage-bar', max: 100, value: 0, hidden: true, 'aria-hidden': 'true' });
      const li = h('li', { class: 'stage stage-pending' },
        icon, h('span', { class: 'stage-label' }, t(`stage_${s}`)), state, mini);
      rows[s] = { li, icon, state, mini };
      return li;
    }));
  const live = h('p', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const outcome = h('div', { class: 'outcome' });
  // Hidden until the first state arrives: a button shown before then would
  // offer to stop a video that may already be finished.
  const cancelBtn = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, t('cancel_making'));
  const actions = h('div', { class: 'task-actions' }, cancelBtn);
  // The outcome comes first: on a phone the result (or the problem) is what
  // the owner must see without scrolling.
  const card = h('section', { class: 'card task-card', 'aria-labelledby': 'task-h' },
    heading, site, outcome, overall, list, live, actions);
  heading.id = 'task-h';
  heading.tabIndex = -1; // focus lands here when the stop button goes away
  ctx.root.append(card);

  let lastAnnounced = '';
  let lastState = '';
  const announce = (msg) => {
    if (msg && msg !== lastAnnounced) {
      lastAnnounced = msg;
      live.textContent = msg;
    }
  };

  const show = (v) => {
    if (!ctx.alive()) return;
    site.textContent = t('task_site', { site: shortURL(v.url), shape: v.aspect, seconds: Math.round(v.duration || 0) });
    const pct = Math.round(v.state === 'completed' ? 100 : v.percent || 0);
    bar.value = pct;
    pctText.textContent = `${pct}%`;
    etaText.textContent = !settled(v) && v.eta_seconds !== undefined ? ` · ${formatETA(v.eta_seconds)}` : '';
    if (v.state === 'queued' && pct === 0) etaText.textContent = ` · ${t('task_waiting')}`;

    const reused = new Set(v.reused || []);
    for (const sv of v.stages || []) {
      const row = rows[sv.stage];
      if (!row) continue;
      row.li.className = `stage stage-${sv.state}${reused.has(sv.stage) ? ' stage-reused' : ''}`;
      row.icon.textContent = STATE_ICON[sv.state] ?? '';
      const spct = Math.round(sv.percent || 0);
      let label = t(`stage_state_${sv.state}`);
      if (reused.has(sv.stage)) label = t('stage_state_reused');
      else if (v.state === 'review' && sv.state === 'pending') label = t('stage_state_after_review');
      if (sv.state === 'running' && spct > 0) label = `${t('stage_state_running')} ${spct}%`;
      // After a failure the later stages were never reached; "cancelled" would
      // suggest someone stopped them.
      if (v.state === 'failed' && (sv.state === 'cancelled' || sv.state === 'pending')) label = t('stage_state_skipped');
      row.state.textContent = label;
      row.mini.hidden = sv.state !== 'running';
      row.mini.value = spct;
      if (sv.state === 'running') row.li.setAttribute('aria-current', 'step');
      else row.li.removeAttribute('aria-current');
    }

    const changed = v.state !== lastState;
    lastState = v.state;
    heading.textContent = t(`task_heading_${v.state}`);
    ctx.setTitle(t(`task_heading_${v.state}`));
    cancelBtn.hidden = ended(v);
    // Waiting for review, a percentage would look stuck; the box above says why it waits.
    overall.hidden = v.state === 'failed' || v.state === 'cancelled' || v.state === 'review';

    if (v.state === 'review') {
      if (!changed) return;
      const go = h('a', { class: 'btn btn-primary btn-large', href: editorPath(taskId), 'data-link': true, id: 'review-open' }, t('review_open'));
      replace(outcome,
        h('div', { class: 'review-box' },
          h('p', { class: 'done-text' }, t(v.remade ? 'task_review_remade' : 'task_review_text')),
          h('p', { class: 'hint' }, t(v.remade ? 'task_review_remade_hint' : 'task_review_hint')),
          h('div', { class: 'row' }, go)));
      announce(t('task_heading_review'));
      go.focus();
      return;
    }
    if (!ended(v)) {
      const current = (v.current_stages || []).map((s) => t(`stage_${s}`)).join(', ');
      announce(current ? `${current}…` : t('task_waiting'));
      return;
    }
    if (!changed) return;
    if (v.state === 'completed') {
      const watch = h('a', { class: 'btn btn-primary btn-large', href: `/app/videos/${encodeURIComponent(v.video?.id || '')}`, 'data-link': true }, t('watch_video'));
      replace(outcome,
        h('div', { class: 'done-box' },
          v.video?.thumbnail_url ? h('div', { class: 'done-thumb' }, thumb(v.video.thumbnail_url, '', 'thumb-img')) : null,
          h('div', {},
            h('p', { class: 'done-text' }, t('task_done_text')),
            h('div', { class: 'row' }, watch,
              h('a', { class: 'btn btn-secondary', href: editorPath(taskId), 'data-link': true, id: 'edit-again' }, t('edit_again')),
              h('a', { class: 'btn btn-quiet', href: '/app/', 'data-link': true }, t('back_to_videos'))))));
      announce(t('task_heading_completed'));
      watch.focus();
    } else if (v.state === 'failed') {
      const code = v.error?.error_code || 'SERVER_001';
      const e = explain(code);
      // Trying the same address again helps only when the trouble may pass.
      const transient = !PERMANENT.has(code);
      const retry = h('button', { type: 'button', class: `btn ${transient ? 'btn-primary' : 'btn-secondary'}` }, t('try_again'));
      retry.addEventListener('click', async () => {
        retry.disabled = true;
        try {
          const res = await movies.start(v.url, v.aspect, v.duration);
          ctx.go(`/app/tasks/${encodeURIComponent(res.task_id)}`, { replace: true });
        } catch (err) {
          retry.disabled = false;
          if (err.code !== 'AUTH_004') {
            const x = explain(err.code);
            toast(`${x.title} ${x.help}`, 'error');
          }
        }
      });
      replace(outcome,
        h('div', { class: 'alert alert-problem', role: 'alert' },
          h('h2', {}, e.title),
          h('p', {}, e.help),
          h('p', { class: 'hint' }, t('error_code', { code }))),
        h('div', { class: 'row' },
          transient ? retry : null,
          h('a', { class: `btn ${transient ? 'btn-secondary' : 'btn-primary'}`, href: `/app/new?url=${encodeURIComponent(v.url)}`, 'data-link': true }, t('try_other_address'))));
    } else if (v.state === 'cancelled') {
      replace(outcome,
        h('p', {}, t('task_cancelled_text')),
        h('div', { class: 'row' },
          h('a', { class: 'btn btn-primary', href: `/app/new?url=${encodeURIComponent(v.url)}`, 'data-link': true }, t('start_again'))));
      announce(t('task_heading_cancelled'));
    }
  };

  const showError = (err) => {
    if (!ctx.alive() || err.code === 'AUTH_004') return;
    if (err.code === 'TASK_001') {
      replace(card, h('h1', {}, t('task_not_found')), h('p', {}, t('task_not_found_text')),
        h('a', { class: 'btn btn-primary', href: '/app/', 'data-link': true }, t('back_to_videos')));
      return;
    }
    const e = explain(err.code);
    replace(outcome, h('div', { class: 'alert', role: 'alert' }, h('strong', {}, e.title), h('p', {}, e.help)));
  };

  // The first state comes over HTTP so the page is complete before the socket
  // opens (and a wrong id says so at once).
  let first;
  try {
    first = await movies.progress(taskId);
  } catch (err) {
    showError(err);
    return undefined;
  }
  if (!ctx.alive()) return undefined;
  if (first.source_task_id) {
    site.after(h('p', { class: 'hint task-source' }, t('task_remake_of'), ' ',
      h('a', { href: `/app/tasks/${encodeURIComponent(first.source_task_id)}`, 'data-link': true }, t('task_remake_source'))));
  }
  show(first);
  if (ended(first)) return undefined;

  cancelBtn.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: t('cancel_title'),
      body: t('cancel_body'),
      confirm: t('cancel_confirm'),
      cancel: t('keep_going'),
    });
    if (!ok) return;
    cancelBtn.disabled = true;
    try {
      show(await movies.cancel(taskId));
    } catch (err) {
      // TASK_002: it ended meanwhile; show how.
      if (err.code === 'TASK_002') await movies.progress(taskId).then(show, showError);
      else showError(err);
    } finally {
      cancelBtn.disabled = false;
    }
    // The button is hidden once the task has ended; keep focus on the page.
    if (cancelBtn.hidden && ctx.alive()) heading.focus();
  });

  // A task waiting for review changes only when the owner acts (here, or by
  // cancelling it); there is nothing to follow.
  if (settled(first)) return undefined;
  return follow(taskId, {
    onView: show,
    onError: showError,
    onMode: (mode) => {
      card.dataset.follow = mode; // how the page hears of changes (tests read it)
    },
  });
}

/** The editor of a task's draft. */
export function editorPath(taskId) {
  return `/app/tasks/${encodeURIComponent(taskId)}/edit`;
}
