// The draft of a video and what editing it means, without the DOM: the editor's
// state, what changed against the loaded draft, which steps that makes run again
// (the rule of POST /moviemaker/remake), the body of that request, and the checks
// that mirror the server's limits (draft.choices). Node runs these in web_test.go.

// The pipeline's stages in order (TaskView.stages[].stage).
export const STAGES = ['crawl', 'lyrics', 'images', 'music', 'video', 'merge'];

export const FACT_FIELDS = ['name', 'tagline', 'phone', 'address', 'website', 'hashtags'];
const STYLE_FIELDS = ['genre', 'mood', 'tempo'];

/** Korean phone numbers as the API accepts them (same as forms.js's PHONE_PATTERN). */
const PHONE_RE = /^(?:0(2|[3-6][1-5]|1[016789]|70|50[2-8])-?[0-9]{3,4}-?[0-9]{4}|1[5-9][0-9]{2}-?[0-9]{4})$/;

/** The editor's state from a draft (POST /moviemaker/draft's answer), as plain data. */
export function stateOf(draft) {
  const f = draft.facts || {};
  return {
    facts: {
      name: f.name || '',
      tagline: f.tagline || '',
      phone: f.phone || '',
      address: f.address || '',
      website: f.website || '',
      hashtags: [...(f.hashtags || [])],
    },
    lyrics: {
      title: draft.lyrics?.title || '',
      sections: (draft.lyrics?.sections || []).map((s) => ({ name: s.name, lines: [...(s.lines || [])] })),
    },
    photos: (draft.photos || []).map((p) => p.photo_id),
    logo: draft.logo?.photo_id || '',
    style: { genre: draft.style?.genre || '', mood: draft.style?.mood || '', tempo: Number(draft.style?.tempo) || 0 },
    aspect: draft.aspect || '',
    duration: Number(draft.duration) || 0,
  };
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Lines as they will be sung: trimmed, inner runs of spaces made one. */
export function cleanLine(s) {
  return String(s || '').trim().replace(/\s+/g, ' ');
}

function cleanLyrics(l) {
  return { title: String(l.title || '').trim(), sections: l.sections.map((s) => ({ name: s.name, lines: s.lines.map(cleanLine) })) };
}

function sameLyrics(a, b) {
  return a.title === b.title && a.sections.length === b.sections.length
    && a.sections.every((s, i) => s.name === b.sections[i].name && sameList(s.lines, b.sections[i].lines));
}

/**
 * The remake's fields that differ from the draft: {facts?, lyrics?, photos?, logo?,
 * style?, aspect?, duration?}. facts and style hold only their changed fields (the
 * API keeps the rest); lyrics and photos are whole (the API replaces them).
 */
export function changesOf(draft, cur) {
  const base = stateOf(draft);
  const out = {};
  const facts = {};
  for (const k of FACT_FIELDS) {
    if (k === 'hashtags') {
      if (!sameList(base.facts.hashtags, cur.facts.hashtags)) facts.hashtags = [...cur.facts.hashtags];
    } else if (String(cur.facts[k]).trim() !== String(base.facts[k]).trim()) {
      facts[k] = String(cur.facts[k]).trim();
    }
  }
  if (Object.keys(facts).length) out.facts = facts;
  const lyrics = cleanLyrics(cur.lyrics);
  if (!sameLyrics(cleanLyrics(base.lyrics), lyrics)) out.lyrics = lyrics;
  if (!sameList(base.photos, cur.photos)) out.photos = [...cur.photos];
  if (base.logo !== cur.logo) out.logo = cur.logo;
  const style = {};
  // '' (or tempo 0): "goes with the other choice" — left out, the server decides.
  for (const k of STYLE_FIELDS) {
    if (cur.style[k] !== base.style[k] && cur.style[k] !== '' && cur.style[k] !== 0) style[k] = cur.style[k];
  }
  if (Object.keys(style).length) out.style = style;
  if (cur.aspect !== base.aspect) out.aspect = cur.aspect;
  if (cur.duration !== base.duration) out.duration = cur.duration;
  return out;
}

/**
 * The stages a re-make with these changes runs, in pipeline order: lyrics → music,
 * video, merge; photos, logo or facts → video, merge; style or duration → music,
 * video, merge; aspect → video, merge; nothing → merge only. A task waiting for
 * review has never made its song or video, so those always run for it.
 */
export function rerunStages(changes, review) {
  const run = new Set();
  const add = (...s) => s.forEach((x) => run.add(x));
  if (changes.lyrics) add('music', 'video', 'merge');
  if (changes.photos || changes.logo !== undefined || changes.facts) add('video', 'merge');
  if (changes.style || changes.duration !== undefined) add('music', 'video', 'merge');
  if (changes.aspect !== undefined) add('video', 'merge');
  if (review) add('music', 'video', 'merge');
  add('merge');
  return STAGES.filter((s) => run.has(s));
}

/** The body of POST /moviemaker/remake: the task and only what changed. */
export function remakeBody(taskId, changes) {
  return { task_id: taskId, ...changes };
}

/**
 * Checks the changed fields against the limits the server applies (choices from
 * the draft; the business rules the API has for names, phones and hashtags).
 * Returns [{field, key, vars}] with the API's field paths and a message key.
 */
export function validate(cur, changes, choices) {
  const c = choices || {};
  const errs = [];
  const bad = (field, key, vars) => errs.push({ field, key, vars: vars || {} });
  const f = changes.facts || {};
  if ('name' in f) {
    if (!f.name) bad('facts.name', 'err_required');
    else if ([...f.name].length > 80) bad('facts.name', 'err_fact_name');
  }
  if ('phone' in f && f.phone && !PHONE_RE.test(f.phone)) bad('facts.phone', 'err_phone_number');
  if ('website' in f && f.website && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(f.website)) bad('facts.website', 'err_url');
  if ('tagline' in f && [...f.tagline].length > 120) bad('facts.tagline', 'err_tagline');
  if ('address' in f && [...f.address].length > 200) bad('facts.address', 'err_address');
  if ('hashtags' in f && (f.hashtags.length > 20 || f.hashtags.some((x) => [...x].length > 30))) bad('facts.hashtags', 'err_hashtags');
  if (changes.lyrics) {
    const secs = cur.lyrics.sections;
    if (secs.length < 2 || (c.max_sections && secs.length > c.max_sections)) {
      bad('lyrics.sections', 'err_sections', { max: c.max_sections || 0 });
    }
    secs.forEach((s, i) => {
      if (!s.lines.length || (c.max_lines_per_section && s.lines.length > c.max_lines_per_section)) {
        bad(`lyrics.sections[${i}]`, 'err_lines_count', { max: c.max_lines_per_section || 0 });
      }
      s.lines.forEach((line, j) => {
        const n = syllables(line);
        const min = c.min_line_syllables || 1;
        const max = c.max_line_syllables || Infinity;
        if (!cleanLine(line)) bad(`lyrics.sections[${i}].lines[${j}]`, 'err_required');
        else if (n < min) bad(`lyrics.sections[${i}].lines[${j}]`, 'err_line_short', { min, n });
        else if (n > max) bad(`lyrics.sections[${i}].lines[${j}]`, 'err_line_long', { max, n });
      });
    });
  }
  if (changes.photos) {
    if (!cur.photos.length) bad('photos', 'err_photos_none');
    else if (c.max_photos && cur.photos.length > c.max_photos) bad('photos', 'err_photos_many', { max: c.max_photos });
  }
  if (changes.style) {
    if ('genre' in changes.style && c.genres && !c.genres.includes(cur.style.genre)) bad('style.genre', 'err_invalid');
    if ('mood' in changes.style && c.moods && !c.moods.includes(cur.style.mood)) bad('style.mood', 'err_invalid');
    if ('tempo' in changes.style && c.tempos && !c.tempos.includes(cur.style.tempo)) bad('style.tempo', 'err_invalid');
  }
  if (changes.aspect !== undefined && c.aspects && !c.aspects.includes(cur.aspect)) bad('aspect', 'err_invalid');
  if (changes.duration !== undefined && ((c.min_duration && cur.duration < c.min_duration) || (c.max_duration && cur.duration > c.max_duration))) {
    bad('duration', 'err_duration', { min: c.min_duration || 0, max: c.max_duration || 0 });
  }
  return errs;
}

// Sung syllables, as the server counts them (internal/lyrics/syllable.go): one per
// Hangul block and per digit, Latin words split at vowel groups. web_test.go
// compares the two on the same lines.

const LATIN_EXCEPTIONS = {
  latte: 2, lattes: 2, recipe: 3, recipes: 3, karaoke: 4, sesame: 3, adobe: 3, cafe: 2, cafes: 2, maybe: 2,
};
const VOWELS = new Set([...'aeiouyàáâäèéêëìíîïòóôöùúûü']);
const isVowel = (r) => VOWELS.has(r.toLowerCase());
const isHangul = (r) => r >= '\uAC00' && r <= '\uD7A3';
const DIGIT = /^\p{Nd}$/u;
const LETTER = /^\p{L}$/u;
const LATIN = /^\p{Script=Latin}$/u;
const ASCII_LETTER = /^[A-Za-z]$/;
const SEPARATOR = /[\s\-/~]+/u;

/** The number of notes a line is sung on. */
export function syllables(line) {
  let n = 0;
  for (const word of String(line || '').split(SEPARATOR)) {
    if (word) n += wordSyllables(word);
  }
  return n;
}

function wordSyllables(word) {
  let n = 0;
  let latin = '';
  const flush = () => {
    if (latin) n += latinSyllables(latin);
    latin = '';
  };
  for (const r of word) {
    if (isHangul(r)) {
      flush();
      n += 1;
    } else if (DIGIT.test(r)) {
      flush();
      n += 1;
    } else if (ASCII_LETTER.test(r) || r === "'") {
      latin += r;
    } else if (LETTER.test(r)) {
      if (LATIN.test(r)) {
        latin += r;
      } else {
        flush();
        n += 1;
      }
    }
  }
  flush();
  return n;
}

function latinSyllables(raw) {
  const w = raw.replace(/^'+|'+$/g, '');
  if (!w) return 0;
  const rs = [...w];
  if (rs.length >= 2 && rs.length <= 4 && w.toUpperCase() === w && !w.includes("'") && rs.every((r) => LETTER.test(r))) {
    return rs.length; // acronyms are spelled out
  }
  const lowWord = w.toLowerCase();
  if (lowWord in LATIN_EXCEPTIONS) return LATIN_EXCEPTIONS[lowWord];
  const low = [...lowWord];
  const n = low.length;
  const vowel = low.map((r) => isVowel(r));
  low.forEach((r, i) => {
    if (r === 'y' && (i === 0 || (i + 1 < n && isVowel(low[i + 1]) && low[i + 1] !== 'y'))) vowel[i] = false;
  });
  const vowelBefore = (end) => vowel.slice(0, end).some(Boolean);
  if (n >= 3 && low[n - 1] === 'e' && !vowel[n - 2]) {
    const le = low[n - 2] === 'l' && n >= 4 && !vowel[n - 3];
    if (!le && vowelBefore(n - 2)) vowel[n - 1] = false;
  }
  if (n >= 4 && (low[n - 1] === 's' || low[n - 1] === 'd') && low[n - 2] === 'e' && !vowel[n - 3] && vowelBefore(n - 3)) {
    const c = low[n - 3];
    const keep = (low[n - 1] === 'd' && (c === 't' || c === 'd'))
      || (low[n - 1] === 's' && 'szxc'.includes(c))
      || (low[n - 1] === 's' && c === 'h' && n >= 5 && (low[n - 4] === 's' || low[n - 4] === 'c'))
      || (low[n - 1] === 's' && c === 'g');
    if (!keep) vowel[n - 2] = false;
  }
  let groups = 0;
  for (let i = 0; i < n; i++) {
    if (vowel[i] && (i === 0 || !vowel[i - 1])) groups += 1;
  }
  return Math.max(groups, 1);
}

/**
 * Puts the API's field path (lyrics.sections[1].lines[2]) into parts the editor
 * can find its input by: {kind: 'line', section: 1, line: 2}, {kind: 'facts', name},
 * {kind: 'photos'}, {kind: 'style', name}, or {kind: 'other', field}.
 */
export function parseFieldPath(field) {
  let m = /^lyrics\.sections\[(\d+)\]\.lines\[(\d+)\]$/.exec(field);
  if (m) return { kind: 'line', section: Number(m[1]), line: Number(m[2]) };
  m = /^lyrics\.sections\[(\d+)\](?:\.lines)?$/.exec(field);
  if (m) return { kind: 'section', section: Number(m[1]) };
  m = /^facts\.(\w+)(?:\[\d+\])?$/.exec(field);
  if (m) return { kind: 'facts', name: m[1] };
  m = /^style\.(\w+)$/.exec(field);
  if (m) return { kind: 'style', name: m[1] };
  if (/^photos(\[\d+\])?$/.test(field)) return { kind: 'photos' };
  if (field === 'logo') return { kind: 'logo' };
  if (field === 'aspect' || field === 'duration') return { kind: field };
  if (/^lyrics(\.title|\.sections)?$/.test(field)) return { kind: field === 'lyrics.title' ? 'title' : 'lyrics' };
  return { kind: 'other', field };
}
