// Follows a task: the WebSocket pushes each change; if it cannot be opened or
// drops before the task ended, the page polls POST /moviemaker/progress instead.

import { movies } from './api.js';

const POLL_MS = 1500;
const ENDED = new Set(['completed', 'failed', 'cancelled']);

export function ended(view) {
  return !!view && ENDED.has(view.state);
}

/**
 * Whether nothing more happens to the task by itself: it ended, or it waits in
 * `review` for the owner (POST /moviemaker/remake continues it as a new task).
 */
export function settled(view) {
  return ended(view) || view?.state === 'review';
}

/**
 * follow(taskId, {onView, onError, onMode}) → stop(). onView gets each TaskView
 * (as POST /moviemaker/progress answers); onError gets an ApiError when polling
 * fails for good (the task is gone, or the session ended); onMode is told
 * 'websocket' or 'polling' whenever that changes.
 */
export function follow(taskId, { onView, onError, onMode = () => {} }) {
  let stopped = false;
  let socket = null;
  let timer = 0;
  let last = null;
  let failures = 0;

  const deliver = (view) => {
    if (stopped) return;
    last = view;
    onView(view);
  };

  const poll = async () => {
    timer = 0;
    if (stopped) return;
    onMode('polling');
    try {
      const view = await movies.progress(taskId);
      failures = 0;
      deliver(view);
      if (settled(view)) return;
    } catch (err) {
      if (stopped) return;
      // A lost connection, a server restarting behind its proxy (5xx) or a rate
      // limit (429) is retried; any other answer from the API is final.
      const passing = err.status === 0 || err.status === 429 || err.status >= 500;
      if (!passing || ++failures > 20) {
        onError(err);
        return;
      }
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS * Math.min(1 + failures, 5));
  };

  const open = () => {
    if (typeof WebSocket !== 'function') {
      poll();
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    try {
      socket = new WebSocket(`${scheme}//${location.host}/ws/progress/${encodeURIComponent(taskId)}`);
    } catch {
      poll();
      return;
    }
    socket.addEventListener('open', () => onMode('websocket'));
    socket.addEventListener('message', (ev) => {
      try {
        deliver(JSON.parse(ev.data));
      } catch {
        // a message we cannot read; the next one or the poll will do
      }
    });
    socket.addEventListener('close', (ev) => {
      socket = null;
      if (stopped) return;
      // 1000 after the last state (or on reaching review): done. Anything else (no
      // upgrade, a proxy without WebSocket, a restart): poll, which also gets the
      // final state.
      if (ev.code === 1000 && settled(last)) return;
      poll();
    });
  };

  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (socket) {
      const s = socket;
      socket = null;
      if (s.readyState === WebSocket.CONNECTING) {
        // Closing a socket that is still connecting logs a console error; close
        // it as soon as it opens instead.
        s.addEventListener('open', () => s.close(1000));
      } else {
        s.close(1000);
      }
    }
  };
}
