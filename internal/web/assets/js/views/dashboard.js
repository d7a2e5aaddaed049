// The dashboard: videos being made (or waiting for the owner's review), the
// owner's videos (versions of one business's video together) and businesses,
// newest first.

import { movies, user } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate, formatLength, t, tn } from '../i18n.js';
import { thumb, toast, usableImage } from '../ui.js';
import { onDeleteBusiness } from './business.js';
import { editorPath } from './task.js';

const PAGE = 12;
// Versions are grouped among the videos loaded, so load many at once.
const VIDEO_PAGE = 24;
const RECENT_FAILURE_MS = 24 * 3600 * 1000;

/** "540x960" → "540 / 960", for CSS aspect-ratio. */
export function aspectOf(resolution) {
  const m = /^(\d+)x(\d+)$/.exec(resolution || '');
  return m ? `${m[1]} / ${m[2]}` : '16 / 9';
}

export function hashtagList(tags) {
  if (!tags || !tags.length) return null;
  return h('ul', { class: 'tags', 'aria-label': t('hashtags') }, tags.map((tag) => h('li', {}, `#${tag}`)));
}

function statusBadge(status) {
  const known = ['completed', 'processing', 'failed'].includes(status) ? status : 'processing';
  return h('span', { class: `badge badge-${known}` }, t(`video_status_${known}`));
}

/**
 * Puts the versions of one business's video together: groups in the order of
 * their newest video (the list comes newest first), each newest first. Videos
 * without a business stand alone.
 */
export function groupByItem(videos) {
  const groups = [];
  const byItem = new Map();
  for (const v of videos) {
    const g = v.item_id ? byItem.get(v.item_id) : null;
    if (g) {
      g.versions.push(v);
    } else {
      const ng = { key: v.item_id || `video:${v.id}`, versions: [v] };
      if (v.item_id) byItem.set(v.item_id, ng);
      groups.push(ng);
    }
  }
  for (const g of groups) g.versions.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return groups;
}

/** The card of one video and, below it, its older versions ("version N", oldest is 1). */
function drawVideoCard(li, versions) {
  const v = versions[0];
  const picture = h('div', { class: 'video-thumb' }, thumb(v.thumbnail_url, v.title, 'thumb-img'));
  picture.style.aspectRatio = aspectOf(v.resolution);
  const n = versions.length;
  const title = v.title || t('untitled_video');
  replace(li,
    h('a', { class: 'card-link', href: `/app/videos/${encodeURIComponent(v.id)}`, 'data-link': true },
      picture,
      h('span', { class: 'card-title' }, title),
    ),
    n > 1 ? h('p', { class: 'version-tag' }, t('version_newest', { n })) : null,
    h('p', { class: 'meta' },
      statusBadge(v.status),
      h('span', {}, formatLength(v.duration)),
      h('span', {}, tn('downloads', v.download_count || 0)),
    ),
    h('p', { class: 'meta meta-date' }, h('time', { datetime: v.created_at }, formatDate(v.created_at))),
    n > 1
      ? h('ol', { class: 'versions', 'aria-label': t('versions_of', { title }) },
        versions.slice(1).map((o, i) => h('li', {},
          h('a', { href: `/app/videos/${encodeURIComponent(o.id)}`, 'data-link': true },
            t('version_n', { n: n - 1 - i }), h('span', { class: 'sr-only' }, ` ${title}`)),
          ' ',
          h('time', { class: 'meta-date', datetime: o.created_at }, formatDate(o.created_at)),
          o.status !== 'completed' ? [' ', statusBadge(o.status)] : null)))
      : null,
  );
  li.dataset.versions = String(n);
}

function businessCard(ctx, it, fallbackThumb, onDeleted) {
  const picture = usableImage(it.thumbnail_url) ? it.thumbnail_url : fallbackThumb;
  const del = h('button', { type: 'button', class: 'btn btn-quiet btn-small btn-danger-text' }, t('delete'));
  const card = h(
    'li',
    { class: 'card biz-card' },
    h('div', { class: 'biz-head' },
      thumb(picture, it.name, 'biz-thumb'),
      h('div', {},
        h('h3', {}, it.name || t('unnamed_business')),
        it.url ? h('a', { class: 'biz-url', href: it.url, target: '_blank', rel: 'noopener noreferrer' }, shortURL(it.url), h('span', { class: 'sr-only' }, ` (${t('opens_new_tab')})`)) : null,
      ),
    ),
    h('dl', { class: 'biz-facts' },
      it.address ? [h('dt', {}, t('field_address')), h('dd', {}, it.address)] : null,
      it.phone_number ? [h('dt', {}, t('field_phone')), h('dd', {}, h('a', { href: `tel:${it.phone_number.replace(/[^0-9+]/g, '')}` }, it.phone_number))] : null,
    ),
    hashtagList(it.hashtags),
    h('div', { class: 'card-actions' },
      h('a', { class: 'btn btn-secondary btn-small', href: `/app/new?url=${encodeURIComponent(it.url || '')}`, 'data-link': true }, t('make_video_for')),
      h('a', { class: 'btn btn-quiet btn-small', href: `/app/businesses/${encodeURIComponent(it.item_id)}`, 'data-link': true },
        t('edit'), h('span', { class: 'sr-only' }, ` ${it.name}`)),
      del,
    ),
  );
  del.append(h('span', { class: 'sr-only' }, ` ${it.name}`));
  onDeleteBusiness(del, it, () => onDeleted(card));
  return card;
}

export function shortURL(u) {
  try {
    const x = new URL(u);
    return (x.host + (x.pathname === '/' ? '' : x.pathname)).replace(/^www\./, '');
  } catch {
    return u;
  }
}

function taskRow(task) {
  const failed = task.state === 'failed';
  const pct = Math.round(task.percent || 0);
  if (task.state === 'review') {
    return h('li', { class: 'task-row task-review' },
      h('div', { class: 'task-row-main' },
        h('span', { class: 'task-url' }, shortURL(task.url)),
        h('span', { class: 'badge badge-review' }, t('task_state_review'))),
      h('p', { class: 'hint' }, t('task_review_short')),
      h('a', { href: editorPath(task.task_id), 'data-link': true }, t('review_open'),
        h('span', { class: 'sr-only' }, ` (${shortURL(task.url)})`)));
  }
  return h(
    'li',
    { class: `task-row${failed ? ' task-failed' : ''}` },
    h('div', { class: 'task-row-main' },
      h('span', { class: 'task-url' }, shortURL(task.url)),
      failed
        ? h('span', { class: 'badge badge-failed' }, t('task_state_failed'))
        : h('span', { class: 'task-pct' }, `${pct}%`),
    ),
    failed ? null : h('progress', { max: 100, value: pct, 'aria-label': t('progress_of', { site: shortURL(task.url) }) }),
    h('a', { href: `/app/tasks/${encodeURIComponent(task.task_id)}`, 'data-link': true }, failed ? t('see_why') : t('see_progress')),
  );
}

/**
 * A list that loads more on request: {section, next(), removed()}. Pages are the
 * API's (pageSize entries); key(entry) names an entry, so entries that deletions
 * moved to earlier pages are neither skipped nor shown twice.
 */
function pagedList({ title, emptyText, emptyAction, load, card, key, listClass, pageSize }) {
  const list = h('ul', { class: listClass });
  const count = h('span', { class: 'count' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, t('show_more'));
  const headingId = `h-${listClass}`;
  const heading = h('h2', { id: headingId, tabindex: '-1' }, title, ' ', count);
  const section = h('section', { class: 'dash-section', 'aria-labelledby': headingId }, heading, list, more);
  let total = 0;
  let shown = 0;
  const seen = new Set();
  const add = (entries) => {
    let added = 0;
    for (const entry of entries) {
      if (seen.has(key(entry))) continue;
      seen.add(key(entry));
      const el = card(entry); // null: the entry joined a card already shown
      if (el) list.append(el);
      added += 1;
    }
    shown += added;
    return added;
  };
  const next = async () => {
    // The next unseen entry is at position `shown` (every deletion was of an entry
    // shown here). Entries added meanwhile push it later: read on, a few pages at most.
    let page = Math.floor(shown / pageSize) + 1;
    for (let tries = 0; tries < 5; tries += 1, page += 1) {
      const data = await load(page);
      total = data.total_count || 0;
      if (add(data.entries) > 0 || data.entries.length < pageSize || shown >= total) break;
    }
    count.textContent = total ? `(${total})` : '';
    more.hidden = shown >= total;
    if (!total) replace(list, h('li', { class: 'empty' }, h('p', {}, emptyText), emptyAction || null));
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const firstNew = list.children.length;
      await next();
      list.children[firstNew]?.querySelector('a, button')?.focus();
    } catch (err) {
      if (err.code !== 'AUTH_004') toast(t('load_more_failed'), 'error');
    } finally {
      more.disabled = false;
    }
  });
  const removed = () => {
    total -= 1;
    shown -= 1;
    count.textContent = total ? `(${total})` : '';
    if (!total) replace(list, h('li', { class: 'empty' }, h('p', {}, emptyText)));
    // The deleted card had focus; the list's heading is the nearest place that stays.
    heading.focus();
  };
  return { section, next, removed };
}

export async function renderDashboard(ctx) {
  ctx.setTitle(t('dashboard_title'));
  const tasksBox = h('div');
  const [videosFirst, itemsFirst, tasks] = await Promise.all([
    user.videos(1, VIDEO_PAGE),
    user.items(1, PAGE),
    movies.tasks(1, 10).catch(() => ({ tasks: [] })),
  ]);
  if (!ctx.alive()) return;

  // A business without an https picture borrows its newest video's thumbnail.
  const videoThumbByItem = {};
  for (const v of videosFirst.videos || []) {
    if (v.item_id && v.thumbnail_url && !videoThumbByItem[v.item_id]) videoThumbByItem[v.item_id] = v.thumbnail_url;
  }

  const now = Date.now();
  const active = (tasks.tasks || []).filter(
    // A review task stays in review after it was continued (remade); it waits no more.
    (tk) => tk.state === 'queued' || tk.state === 'running' || (tk.state === 'review' && !tk.remade) || (tk.state === 'failed' && now - Date.parse(tk.created_at) < RECENT_FAILURE_MS),
  );
  if (active.length) {
    replace(tasksBox, h('section', { class: 'dash-section', 'aria-labelledby': 'h-tasks' },
      h('h2', { id: 'h-tasks' }, t('being_made')),
      h('ul', { class: 'task-list' }, active.map(taskRow))));
  }

  const newButton = () => h('a', { class: 'btn btn-primary', href: '/app/new', 'data-link': true }, t('make_first_video'));
  let firstVideos = videosFirst;
  const groups = new Map(); // item_id → {li, versions}
  const videos = pagedList({
    title: t('your_videos'),
    emptyText: t('no_videos'),
    emptyAction: newButton(),
    listClass: 'video-grid',
    pageSize: VIDEO_PAGE,
    card: (v) => {
      // Newest first: a video of a business already shown is an older version.
      const g = v.item_id && groups.get(v.item_id);
      if (g) {
        g.versions.push(v);
        drawVideoCard(g.li, groupByItem(g.versions)[0].versions);
        return null;
      }
      const li = h('li', { class: 'card video-card' });
      if (v.item_id) groups.set(v.item_id, { li, versions: [v] });
      drawVideoCard(li, [v]);
      return li;
    },
    key: (v) => v.id,
    load: async (page) => {
      const data = page === 1 && firstVideos ? firstVideos : await user.videos(page, VIDEO_PAGE);
      firstVideos = null;
      return { total_count: data.total_count, entries: data.videos || [] };
    },
  });
  let firstItems = itemsFirst;
  const items = pagedList({
    title: t('your_businesses'),
    emptyText: t('no_businesses'),
    listClass: 'biz-grid',
    pageSize: PAGE,
    key: (it) => it.item_id,
    card: (it) => businessCard(ctx, it, videoThumbByItem[it.item_id], (card) => {
      card.remove();
      items.removed();
    }),
    load: async (page) => {
      const data = page === 1 && firstItems ? firstItems : await user.items(page, PAGE);
      firstItems = null;
      return { total_count: data.total_count, entries: data.items || [] };
    },
  });
  await Promise.all([videos.next(), items.next()]);
  if (!ctx.alive()) return;

  ctx.root.append(
    h('div', { class: 'dash-hero' },
      h('div', {},
        h('h1', {}, t('dashboard_hello', { name: ctx.session.name })),
        h('p', { class: 'lead' }, t('dashboard_lead')),
      ),
      h('a', { class: 'btn btn-primary btn-large', href: '/app/new', 'data-link': true },
        h('span', { 'aria-hidden': 'true', class: 'plus' }, '+'), ' ', t('new_video_button')),
    ),
    tasksBox,
    videos.section,
    items.section,
  );
}
