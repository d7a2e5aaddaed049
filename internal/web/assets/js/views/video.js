// A finished video: play it here (with its sung lines as captions), download it,
// copy or share its link, edit it and make it again, delete it.

import { findInPages, user } from '../api.js';
import { h } from '../dom.js';
import { formatDate, formatLength, formatNumber, t } from '../i18n.js';
import { confirmDialog, toast, usableImage } from '../ui.js';
import { aspectOf } from './dashboard.js';
import { editorPath } from './task.js';

/** Copies text; falls back to selecting it when the clipboard is not allowed. */
async function copyText(text, input) {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

export async function renderVideo(ctx) {
  const [id] = ctx.params;
  ctx.setTitle(t('video_title'));
  const v = await findInPages((p, s) => user.videos(p, s), 'videos', id);
  if (!ctx.alive()) return undefined;
  if (!v) {
    ctx.root.append(
      h('section', { class: 'card' },
        h('h1', {}, t('video_not_found')),
        h('p', {}, t('video_not_found_text')),
        h('a', { class: 'btn btn-primary', href: '/app/', 'data-link': true }, t('back_to_videos'))));
    return undefined;
  }
  ctx.setTitle(v.title || t('untitled_video'));

  const ready = v.status === 'completed';
  const shareURL = new URL(v.url, location.origin).href;
  let player = null;
  if (ready) {
    player = h('video', {
      class: 'player',
      controls: true,
      playsinline: true,
      preload: 'metadata',
      src: v.url,
      poster: usableImage(v.thumbnail_url) ? v.thumbnail_url : null,
      'aria-label': v.title,
    });
    if (v.captions_url) {
      // Same origin, so no crossorigin attribute is needed; media-src 'self' allows it.
      player.append(h('track', {
        kind: 'captions', src: v.captions_url, srclang: captionLang(v), label: t('captions_label'), default: true,
      }));
    }
  }
  const stage = h('div', { class: `player-wrap${isTall(v.resolution) ? ' player-tall' : ''}` },
    player || h('p', { class: 'player-missing' }, t(`video_status_${v.status}_long`)));
  stage.style.aspectRatio = aspectOf(v.resolution);

  const shareInput = h('input', { id: 'share-link', type: 'text', readonly: true, value: shareURL, class: 'share-input', 'aria-describedby': 'share-hint' });
  const copyBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'copy-link' }, t('copy_link'));
  copyBtn.addEventListener('click', async () => {
    const ok = await copyText(shareURL, shareInput);
    toast(ok ? t('link_copied') : t('link_copy_manual'), ok ? 'success' : 'info');
  });
  shareInput.addEventListener('focus', () => shareInput.select());
  const shareBtn = typeof navigator.share === 'function'
    ? h('button', {
      type: 'button',
      class: 'btn btn-secondary',
      onclick: () => navigator.share({ title: v.title, url: shareURL }).catch(() => {}),
    }, t('share'))
    : null;

  const del = h('button', { type: 'button', class: 'btn btn-danger-outline', id: 'delete-video' }, t('delete_video'));
  del.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: t('delete_video_title'),
      body: t('delete_video_body'),
      confirm: t('delete_video_confirm'),
    });
    if (!ok) return;
    del.disabled = true;
    if (player) {
      // Stop fetching ranges of a file that is about to disappear.
      player.pause();
      player.removeAttribute('src');
      player.load();
    }
    try {
      await user.deleteVideo(v.id);
      toast(t('video_deleted'), 'success');
      ctx.go('/app/', { replace: true });
    } catch (err) {
      del.disabled = false;
      if (player) {
        // Still here: give the player its video back.
        player.src = v.url;
        player.load();
      }
      if (err.code !== 'AUTH_004') toast(t('delete_failed'), 'error');
    }
  });

  ctx.root.append(
    h('p', { class: 'crumb' }, h('a', { href: '/app/', 'data-link': true }, `← ${t('back_to_videos')}`)),
    h('article', { class: 'video-page' },
      stage,
      h('div', { class: 'video-side card' },
        h('h1', {}, v.title || t('untitled_video')),
        v.description ? h('p', { class: 'video-desc' }, v.description) : null,
        h('dl', { class: 'facts' },
          h('dt', {}, t('fact_length')), h('dd', {}, formatLength(v.duration)),
          h('dt', {}, t('fact_size')), h('dd', {}, v.resolution || '–'),
          h('dt', {}, t('fact_downloads')), h('dd', {}, formatNumber(v.download_count || 0)),
          h('dt', {}, t('fact_made')), h('dd', {}, h('time', { datetime: v.created_at }, formatDate(v.created_at)))),
        ready
          ? [
            h('div', { class: 'row' },
              h('a', { class: 'btn btn-primary', href: `${v.url}?download=1`, download: '', id: 'download' }, t('download')),
              v.task_id ? h('a', { class: 'btn btn-secondary', href: editorPath(v.task_id), 'data-link': true, id: 'edit-again' }, t('edit_again')) : null),
            h('div', { class: 'share' },
              h('label', { for: 'share-link' }, t('share_link')),
              h('p', { class: 'hint', id: 'share-hint' }, t('share_hint')),
              h('div', { class: 'share-row' }, shareInput, copyBtn, shareBtn)),
          ]
          : null,
        h('div', { class: 'danger-zone' }, del),
      ),
    ),
  );
  return () => {
    if (player) player.pause();
  };
}

/**
 * The language of the sung lines: the song is written in the language of the
 * business's site, which shows in the video's title (Hangul → Korean).
 */
export function captionLang(v) {
  return /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/.test(`${v.title || ''}${v.description || ''}`) ? 'ko' : 'en';
}

function isTall(resolution) {
  const m = /^(\d+)x(\d+)$/.exec(resolution || '');
  return !!m && Number(m[2]) > Number(m[1]);
}
