// Plain text and Markdown → clean prose with a map back to the input, then sentences.
// Everything downstream works on the clean text and maps its spans back, so a candidate's
// text_span always indexes the caller's input exactly, markup and all.

/** Clean text plus, for every clean index i, the input index it came from (`map[clean.length]` = end). */
export interface CleanText {
  readonly clean: string;
  readonly map: Int32Array;
}

// Markup dropped from the prose: Markdown link targets, HTML tags, emphasis marks, escapes.
// Bounded quantifiers: the input is attacker-controlled, so no pattern may backtrack without limit.
const MARKUP = /\]\([^()\s]{0,2000}\)|<\/?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]{0,200})?>|[[\]*_#`]|\\(?=[()[\]*_#`\\])/g;

export function cleanText(input: string): CleanText {
  let skipUntil = 0;
  // YAML front matter (Jekyll posts) is metadata, not prose.
  if (input.startsWith('---\n') || input.startsWith('---\r\n')) {
    const end = input.indexOf('\n---', 4);
    if (end > 0) {
      const nl = input.indexOf('\n', end + 4);
      skipUntil = nl < 0 ? input.length : nl + 1;
    }
  }
  const parts: string[] = [];
  const map: number[] = [];
  let pos = skipUntil;
  MARKUP.lastIndex = skipUntil;
  const emit = (from: number, to: number): void => {
    if (to <= from) return;
    parts.push(input.slice(from, to));
    for (let i = from; i < to; i++) map.push(i);
  };
  for (let m = MARKUP.exec(input); m !== null; m = MARKUP.exec(input)) {
    if (m[0].length === 0) {
      MARKUP.lastIndex++;
      continue;
    }
    emit(pos, m.index);
    pos = m.index + m[0].length;
  }
  emit(pos, input.length);
  map.push(input.length);
  const clean = parts.join('');
  return { clean, map: Int32Array.from(map) };
}

/** Input span of the clean span [start, end), trimmed of the markup that borders it. */
export function toInputSpan(ct: CleanText, start: number, end: number): { start: number; end: number } {
  if (end <= start) {
    const at = ct.map[start] ?? 0;
    return { start: at, end: at };
  }
  const s = ct.map[start] ?? 0;
  const e = (ct.map[end - 1] ?? s) + 1;
  return { start: s, end: e };
}

export interface Sentence {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const ABBREVIATIONS = new Set(['u.s', 'u.k', 'u.n', 'mr', 'mrs', 'ms', 'dr', 'gen', 'lt', 'col', 'maj', 'capt', 'no', 'st', 'e.g', 'i.e', 'etc', 'vs', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'approx', 'govt', 'sen', 'rep', 'prof']);

/**
 * Sentences of the clean text: a break after . ! ? (not after a known abbreviation or a single
 * initial) when followed by space and an upper-case letter, a digit, a quote or another script,
 * and at every blank line or line that is a heading.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s) out.push({ start: s, end: e, text: text.slice(s, e) });
    start = end;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      // blank line, or a line break before a list item / heading-like short line
      let j = i + 1;
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (j >= n || text[j] === '\n' || /[-+>|0-9]/.test(text[j] ?? '')) {
        push(i);
      }
      continue;
    }
    if (c !== 46 && c !== 33 && c !== 63 && c !== 0x6d4 && c !== 0x61f) continue; // . ! ? ۔ ؟
    let j = i + 1;
    while (j < n && /["'”’)\]]/.test(text[j] ?? '')) j++;
    if (j < n && !/\s/.test(text[j] ?? '')) continue;
    let k = j;
    while (k < n && /\s/.test(text[k] ?? '')) k++;
    if (k < n && !/[\p{Lu}\p{N}"“‘'(\p{Script=Arabic}]/u.test(text[k] ?? '')) continue;
    if (c === 46) {
      const before = /([\p{L}.]{1,8})$/u.exec(text.slice(Math.max(0, i - 8), i));
      const word = before?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word)) continue;
    }
    push(j);
  }
  push(n);
  return out;
}
