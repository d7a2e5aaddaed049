// The O2Sound API, same origin, session cookie. Errors arrive in one envelope
// {status, error_code, error_message, details}; they become ApiError.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }

  /** The field errors of a REQ_001 answer: {field: message}. */
  fields() {
    const out = {};
    for (const f of this.details.fields || []) {
      if (f && f.field) out[f.field] = f.message || '';
    }
    return out;
  }
}

let onSignedOut = () => {};

/** Called when the API says the session ended (AUTH_004). */
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body instanceof FormData) {
    init.body = body; // the browser writes the multipart Content-Type with its boundary
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  let data = null;
  const text = await resp.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!resp.ok) {
    const err = new ApiError(resp.status, data?.error_code || `HTTP_${resp.status}`, data?.error_message, data?.details);
    if (err.code === 'AUTH_004') onSignedOut(err);
    throw err;
  }
  return data;
}

export const auth = {
  join: (b) => api('POST', '/auth/join', b),
  login: (userId, password) => api('POST', '/auth/login', { user_id: userId, password }),
  logout: () => api('POST', '/auth/logout'),
};

export const user = {
  profile: () => api('POST', '/user/profile', {}),
  update: (b) => api('PUT', '/user/profile/update', b),
  items: (page, pageSize) => api('POST', '/user/items', { page, page_size: pageSize }),
  updateItem: (b) => api('PUT', '/user/item/update', b),
  deleteItem: (id) => api('DELETE', '/user/item/delete', { item_id: id }),
  videos: (page, pageSize) => api('POST', '/user/videos', { page, page_size: pageSize }),
  deleteVideo: (id) => api('DELETE', '/user/video/delete', { video_id: id }),
};

export const movies = {
  start: (url, aspect, duration, review) => api('POST', '/moviemaker/start-workflow', { url, aspect, duration, review: review || undefined }),
  draft: (id) => api('POST', '/moviemaker/draft', { task_id: id }),
  remake: (body) => api('POST', '/moviemaker/remake', body),
  progress: (id) => api('POST', '/moviemaker/progress', { task_id: id }),
  cancel: (id) => api('POST', '/moviemaker/cancel', { task_id: id }),
  tasks: (page, pageSize) => api('GET', `/moviemaker/tasks?page=${page}&page_size=${pageSize}`),
};

export const photos = {
  /** Uploads files as one multipart request of `file` parts: all are stored, or none. */
  upload: (files) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    return api('POST', '/moviemaker/photos', form);
  },
  remove: (id) => api('DELETE', `/moviemaker/photos/${encodeURIComponent(id)}`),
};

/**
 * Finds one entry of a paged list (the API has no single-video or single-item
 * read): pages through, newest first, until found.
 */
export async function findInPages(fetchPage, key, id) {
  const size = 100;
  for (let page = 1; page <= 1000; page++) {
    const data = await fetchPage(page, size);
    const list = data[key] || [];
    const found = list.find((x) => (x.id ?? x.item_id) === id);
    if (found) return found;
    if (!data.total_pages || page >= data.total_pages) return null;
  }
  return null;
}
