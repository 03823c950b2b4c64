// Dates in news text, resolved against the publication date (issue 9 §1).
//
// chrono-node finds the explicit expressions ("9 October", "October 9, 2025", "Sunday,
// October 19th", "yesterday"); our rules fix what news text means by them:
// - a bare weekday is the most recent one on or before publication (chrono looks forward);
// - a day and month without a year take the publication year, or the year before when that
//   would put the day after publication;
// - "late", "early", "early hours", "evening", "overnight" narrow the day;
// - "last week" is the calendar week (Monday–Sunday) before the week of publication;
// - "the 48-hour truce", "hours after the extension", "ongoing" resolve through the agreements'
//   windows, which the caller passes in as data.
// Local days become UTC through the zone of the country the event is in.
import * as chrono from 'chrono-node';
import { localToUtcMs } from '../../domain/time.js';
import type { AgreementEntry } from './types.js';

export interface CivilDate {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

/** `YYYY-MM-DD` → a real calendar date, or null. */
export function parsePublished(s: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

const DAY_MS = 86_400_000;
const civilMs = (c: CivilDate): number => Date.UTC(c.y, c.m - 1, c.d);
function fromMs(ms: number): CivilDate {
  const t = new Date(ms);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
export const addDays = (c: CivilDate, n: number): CivilDate => fromMs(civilMs(c) + n * DAY_MS);
const weekdayOf = (c: CivilDate): number => new Date(civilMs(c)).getUTCDay();

/** "Friday" in an article of Wednesday 22 October 2025 → Friday 17 October (on or before). */
export function weekdayOnOrBefore(published: CivilDate, weekday: number): CivilDate {
  const back = (weekdayOf(published) - weekday + 7) % 7;
  return addDays(published, -back);
}

const ZONES: Readonly<Record<string, string>> = {
  AFG: 'Asia/Kabul',
  PAK: 'Asia/Karachi',
  QAT: 'Asia/Qatar',
  TUR: 'Europe/Istanbul',
};

/** The zone whose wall clock the text's "Friday evening" is read in; UTC when the country is unknown. */
export function zoneForCountry(country: string | null): string {
  return (country !== null && ZONES[country]) || 'UTC';
}

/** Hours of the local day [from, to); `to` may pass 24 (overnight runs into the next morning). */
export type DayPart = readonly [number, number];

export type DateMention =
  | { readonly kind: 'day'; readonly start: number; readonly end: number; readonly text: string; readonly date: CivilDate; readonly part: DayPart | null }
  | { readonly kind: 'week' | 'month'; readonly start: number; readonly end: number; readonly text: string; readonly first: CivilDate; readonly next: CivilDate }
  /** Absolute UTC interval from an agreement window. */
  | { readonly kind: 'window'; readonly start: number; readonly end: number; readonly text: string; readonly from: number; readonly to: number }
  /** "Following the airstrike": after the incident told just before. */
  | { readonly kind: 'after_previous'; readonly start: number; readonly end: number; readonly text: string }
  /** A bare year ("In 2025 alone", "since 2007"): marks aggregate or historical statements. */
  | { readonly kind: 'year'; readonly start: number; readonly end: number; readonly text: string; readonly year: number };

/** Specificity rank: lower is narrower. */
export function mentionRank(m: DateMention): number {
  switch (m.kind) {
    case 'day':
      return m.part ? 0 : 1;
    case 'window':
      return 2;
    case 'after_previous':
      return 3;
    case 'week':
      return 4;
    case 'month':
      return 5;
    case 'year':
      return 6;
  }
}

const PARTS: readonly (readonly [RegExp, DayPart])[] = [
  [/\b(?:early hours|small hours|pre-?dawn|before dawn)\b/i, [0, 6]],
  [/\b(?:overnight|night)\b/i, [20, 30]],
  [/\bevening\b/i, [18, 24]],
  [/\bafternoon\b/i, [12, 18]],
  [/\bmorning\b/i, [6, 12]],
  [/\blate\s+(?:on\s+)?$/i, [18, 24]],
  [/\bearly\s+(?:on\s+)?$/i, [0, 9]],
];

function dayPart(before: string, text: string, after: string): DayPart | null {
  const near = `${before.slice(-24)}${text}${after.slice(0, 12)}`;
  for (const [re, part] of PARTS) {
    if (re.source.endsWith('$')) {
      if (re.test(before)) return part;
    } else if (re.test(near)) return part;
  }
  return null;
}

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const MONTH_YEAR = new RegExp(`\\b(${MONTHS})\\s+((?:19|20)\\d\\d)\\b`, 'gi');
/** A chrono result is kept only if its text has one of these (see the filter in findDateMentions). */
const KEPT_WORD = /\d|yesterday|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday/i;

// chrono is the slowest step, so it runs only on sentences that can yield a date we keep. A kept
// result needs a full weekday or month name, a deictic day, or digits; among digits only those
// that can be part of a date count — "killing 12 people" alone never makes one. The month "May"
// counts capitalised only unless a digit is near: the modal verb is everywhere in news text.
// chrono also reads a year, month and day separated by spaces alone ("2025 12 12") as a date.
const MONTH_NAME = /\b(?:january|february|march|april|june|july|august|september|october|november|december)\b/i;
const MAY_MONTH = /\bMay\b|\bMAY\b/;
const DATE_WORDS = /yesterday|today|tonight|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/i;
/** A month name; a lower-case "may" is the verb (chrono may still fold it into a longer result). */
const namesMonth = (text: string): boolean => MONTH_NAME.test(text) || MAY_MONTH.test(text);
const DATE_DIGITS =
  /\d\s*[/.-]\s*\d|\d{4}\s+\d{1,2}\s+\d|\d\s*(?:-\s*)?(?:days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|h)\b|\d\s*(?:a\.?m\b|p\.?m\b|:\d)|\d(?:st|nd|rd|th)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b|\b(?:noon|midnight|morning|evening|night|afternoon|ago|later|earlier)\b/i;

/** Whether chrono could find a date in `sentence` that findDateMentions keeps. */
export function mayHoldDate(sentence: string): boolean {
  if (DATE_WORDS.test(sentence) || namesMonth(sentence)) return true;
  return /\d/.test(sentence) && DATE_DIGITS.test(sentence);
}

function truceAgreement(agreements: readonly AgreementEntry[], hours: string | undefined): AgreementEntry | undefined {
  if (hours !== undefined) {
    const byHours = agreements.find((a) => a.title.includes(`${hours}-hour`));
    if (byHours) return byHours;
  }
  return agreements.find((a) => a.windows.length > 1);
}

/**
 * Every date expression in one sentence, with its offsets in the sentence. Never throws:
 * chrono's failures on odd input are treated as "no date found".
 */
export function findDateMentions(sentence: string, published: CivilDate, agreements: readonly AgreementEntry[]): DateMention[] {
  const out: DateMention[] = [];
  const ref = new Date(Date.UTC(published.y, published.m - 1, published.d, 12));
  let results: chrono.ParsedResult[] = [];
  try {
    // chrono is the slow step: only sentences with a digit, a month, a weekday or a deictic day can hold a date.
    if (mayHoldDate(sentence)) results = chrono.en.casual.parse(sentence, ref, { forwardDate: false });
  } catch {
    results = [];
  }
  for (const r of results) {
    const text = r.text.replace(/[\s,;:.]+$/, '');
    const start = r.index;
    const end = r.index + text.length;
    if (/\b(?:last|this|next|past) week\b/i.test(text)) continue; // our own rule below
    // "after several days", "the weekend": relative phrases the rules below handle or news text leaves vague
    if (!KEPT_WORD.test(text) && !namesMonth(text)) continue;
    // "intended to last 48 hours", "in the past 24 hours": durations, not dates
    if (/\b(?:last|past|next|within|for)\s+(?:\d+|a few|several|the)\s*(?:-\s*)?(?:hours?|days?)\b/i.test(text) || /^\d+\s*hours?$/i.test(text)) continue;
    const s = r.start;
    let date: CivilDate | null = null;
    if (/\byesterday\b/i.test(text)) date = addDays(published, -1);
    else if (/\b(?:today|tonight)\b/i.test(text)) date = published;
    else if (s.isCertain('day') && s.isCertain('month')) {
      const m = s.get('month') ?? 1;
      const d = s.get('day') ?? 1;
      let y = s.isCertain('year') ? (s.get('year') ?? published.y) : published.y;
      if (!s.isCertain('year') && civilMs({ y, m, d }) > civilMs(published)) y -= 1;
      const probe = fromMs(Date.UTC(y, m - 1, d));
      if (probe.m === m && probe.d === d) date = probe;
    } else if (s.isCertain('weekday') && !s.isCertain('day')) {
      date = weekdayOnOrBefore(published, s.get('weekday') ?? 0);
    } else if (s.isCertain('month') && s.isCertain('year')) {
      const y = s.get('year') ?? published.y;
      const m = s.get('month') ?? 1;
      out.push({ kind: 'month', start, end, text, first: { y, m, d: 1 }, next: fromMs(Date.UTC(y, m, 1)) });
      continue;
    }
    if (date === null) continue;
    let part = dayPart(sentence.slice(Math.max(0, start - 24), start), text, sentence.slice(end, end + 12));
    if (part === null && s.isCertain('hour') && /\d/.test(text)) {
      const h = s.get('hour') ?? 0;
      part = [h + (s.get('minute') ?? 0) / 60, h + 1];
    }
    out.push({ kind: 'day', start, end, text, date, part });
  }
  // "October 2025" alone, which chrono leaves out
  for (const m of sentence.matchAll(MONTH_YEAR)) {
    const start = m.index;
    if (out.some((o) => o.start <= start && start < o.end)) continue;
    const mo = MONTHS.split('|').indexOf((m[1] ?? '').toLowerCase()) + 1;
    const y = Number(m[2]);
    out.push({ kind: 'month', start, end: start + m[0].length, text: m[0], first: { y, m: mo, d: 1 }, next: fromMs(Date.UTC(y, mo, 1)) });
  }
  for (const m of sentence.matchAll(/\b(last|this|past) week\b/gi)) {
    const monday = addDays(published, -((weekdayOf(published) + 6) % 7));
    const first = (m[1] ?? '').toLowerCase() === 'this' ? monday : addDays(monday, -7);
    const next = (m[1] ?? '').toLowerCase() === 'this' ? addDays(published, 1) : monday;
    out.push({ kind: 'week', start: m.index, end: m.index + m[0].length, text: m[0], first, next });
  }
  for (const m of sentence.matchAll(/\b(?:during|in|throughout|amid|within|under)\s+(?:the|a)\s+(?:(initial|first|original|extended|second)\s+)?(\d{1,3})[- ]hours?\s+(?:truce|ceasefire)\b/gi)) {
    const a = truceAgreement(agreements, m[2]);
    const w = a?.windows;
    if (!w || w.length === 0) continue;
    const which = (m[1] ?? '').toLowerCase();
    const first = which === 'extended' || which === 'second' ? w[w.length - 1] : which === '' ? w[0] : w[0];
    const last = which === '' ? w[w.length - 1] : first;
    const from = Date.parse(first?.from ?? '');
    const to = Date.parse(last?.to ?? '');
    if (Number.isFinite(from) && Number.isFinite(to)) out.push({ kind: 'window', start: m.index, end: m.index + m[0].length, text: m[0], from, to });
  }
  for (const m of sentence.matchAll(/\b(?:just |only |a few |several )?hours (?:after|following) the (?:extension|truce was extended|ceasefire was extended)\b/gi)) {
    const a = truceAgreement(agreements, undefined);
    const w = a?.windows;
    const ext = w && w.length > 1 ? w[w.length - 1] : undefined;
    const from = Date.parse(ext?.from ?? '');
    if (Number.isFinite(from)) out.push({ kind: 'window', start: m.index, end: m.index + m[0].length, text: m[0], from, to: from + 12 * 3_600_000 });
  }
  for (const m of sentence.matchAll(/\b(?:ongoing|continuing|is continuing|has not ceased)\b/gi)) {
    // The fighting still going on at publication: since the latest agreement window opened.
    const pubEnd = Date.UTC(published.y, published.m - 1, published.d) + DAY_MS;
    let from = -Infinity;
    for (const a of agreements) for (const w of a.windows) {
      const f = Date.parse(w.from);
      if (Number.isFinite(f) && f < pubEnd && f > from) from = f;
    }
    if (!Number.isFinite(from) || pubEnd - from > 60 * DAY_MS) from = pubEnd - 14 * DAY_MS;
    out.push({ kind: 'window', start: m.index, end: m.index + m[0].length, text: m[0], from, to: pubEnd });
  }
  for (const m of sentence.matchAll(/^\W*(?:following|after|in response to|in retaliation for) (?:the|this|that|these) (?:air ?strikes?|strikes?|attacks?|bombings?|raids?)\b/gi)) {
    out.push({ kind: 'after_previous', start: m.index, end: m.index + m[0].length, text: m[0].replace(/^\W+/, '') });
  }
  for (const m of sentence.matchAll(/\b(?:in |since |of |by |from |during |between |to |and )?((?:19|20)\d\d)s?\b/g)) {
    const start = m.index;
    if (out.some((o) => o.start <= start + m[0].length - 1 && start < o.end)) continue;
    out.push({ kind: 'year', start, end: start + m[0].length, text: m[0], year: Number(m[1]) });
  }
  return out;
}

// Intl-based zone offsets are the costly part of a conversion; the same local hours recur.
const utcCache = new Map<string, number>();
function localUtc(zone: string, y: number, m: number, d: number, h = 0, mi = 0): number {
  const key = `${zone}|${y}|${m}|${d}|${h}|${mi}`;
  let v = utcCache.get(key);
  if (v === undefined) {
    if (utcCache.size > 50_000) utcCache.clear();
    v = localToUtcMs(zone, y, m, d, h, mi);
    utcCache.set(key, v);
  }
  return v;
}

/** UTC interval [from, to) of a mention read in `zone`; null for the kinds resolved elsewhere. */
export function resolveMention(m: DateMention, zone: string): { from: number; to: number } | null {
  switch (m.kind) {
    case 'day': {
      const [h0, h1] = m.part ?? [0, 24];
      const from = localUtc(zone, m.date.y, m.date.m, m.date.d, Math.floor(h0), Math.round((h0 % 1) * 60));
      const to = localUtc(zone, m.date.y, m.date.m, m.date.d, Math.floor(h1), Math.round((h1 % 1) * 60));
      return { from, to };
    }
    case 'week':
    case 'month':
      return { from: localUtc(zone, m.first.y, m.first.m, m.first.d), to: localUtc(zone, m.next.y, m.next.m, m.next.d) };
    case 'window':
      return { from: m.from, to: m.to };
    case 'after_previous':
    case 'year':
      return null;
  }
}
