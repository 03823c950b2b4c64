import { isKnownTimeZone, localToUtcMs, zoneOffsetMs } from '../time.js';
import { latinDigits } from './digits.js';
import type { Lang, WhatCode } from './vocabulary.js';
import { CORR_WORDS, REPORT_WORDS, STATUS_WORDS, STOP_WORDS, TODAY_WORDS, WHAT, WHAT_CODES, YESTERDAY_WORDS } from './vocabulary.js';

/**
 * The SMS report grammar (docs/sms.md):
 *   R <place> <when> <what> [K<killed>] [W<wounded>] [CIV|SEC] [BY <actor alias>] [PUB] [free text]
 *   STATUS <n> | CORR <n> <report body> | STOP
 * Pure and total: any string yields a parse or a coded error with the position it refers to.
 */
export const MAX_SMS_LENGTH = 1600;

export type SmsErrorCode =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'UNKNOWN_COMMAND'
  | 'MISSING_PLACE'
  | 'MISSING_WHEN'
  | 'BAD_DATE'
  | 'BAD_TIME'
  | 'FUTURE_DATE'
  | 'MISSING_WHAT'
  | 'BAD_WHAT'
  | 'BAD_NUMBER'
  | 'MISSING_ACTOR'
  | 'UNCLOSED_QUOTE'
  | 'BAD_ZONE'
  | 'BAD_RECEIVED';

export interface SmsError {
  readonly code: SmsErrorCode;
  readonly message: string;
  /** Offset (UTF-16 code units) into the original text where the problem starts. */
  readonly position: number;
}

export interface ParsedReport {
  readonly place: { readonly query: string; readonly candidates: readonly PlaceCandidate[] };
  readonly occurred: { readonly from: string; readonly to: string; readonly local: string; readonly zone: string; readonly precision: 'exact' | 'day' };
  readonly what: WhatCode;
  readonly event_type: string;
  readonly sub_event_type: string;
  readonly killed: number | null;
  readonly wounded: number | null;
  readonly target_category: 'civilians' | 'security_forces' | null;
  readonly by: string | null;
  readonly text: string | null;
  /** Files a web report cites (never set by SMS). */
  readonly evidence?: readonly { readonly sha256: string; readonly original_sha256: string; readonly location_kept: boolean }[];
}

export interface PlaceCandidate {
  readonly id: string;
  readonly name: string;
  readonly country: string | null;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly score: number;
}

export type SmsCommand =
  | { readonly type: 'report'; readonly report: ParsedReport; readonly publish: boolean }
  | { readonly type: 'correction'; readonly of: number; readonly report: ParsedReport; readonly publish: boolean }
  | { readonly type: 'status'; readonly of: number }
  | { readonly type: 'stop' };

export type SmsParse =
  | { readonly ok: true; readonly command: SmsCommand; readonly lang: Lang | null }
  | { readonly ok: false; readonly error: SmsError; readonly lang: Lang | null };

export interface SmsContext {
  /** The monitor's zone: Asia/Kabul or Asia/Karachi. */
  readonly zone: string;
  /** When the gateway received the message (ISO 8601); dates never fall after it. */
  readonly receivedAt: string;
}

interface Token {
  readonly raw: string;
  /** Latin digits, Latin letters upper-cased, Arabic-script letter variants unified. */
  readonly key: string;
  readonly pos: number;
}

// Arabic ي/ك/ى and Persian ی/ک are typed interchangeably by phone keyboards.
function tokenKey(raw: string): string {
  return latinDigits(raw.normalize('NFKC'))
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[\u064B-\u065F\u0670\u200C\u200D]/g, '')
    .toUpperCase();
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[^\s\u200F\u200E]+/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push({ raw: m[0], key: tokenKey(m[0]), pos: m.index });
  return out;
}

const lookupWord = (table: Readonly<Record<string, Lang>>, key: string): Lang | undefined =>
  Object.prototype.hasOwnProperty.call(table, key.toLowerCase()) ? table[key.toLowerCase()] : undefined;

class Fail {
  constructor(readonly error: SmsError) {}
}
const fail = (code: SmsErrorCode, position: number, message: string): Fail => new Fail({ code, position, message });

export function parseSms(text: string, ctx: SmsContext): SmsParse {
  let lang: Lang | null = null;
  const done = (r: SmsCommand | Fail): SmsParse => (r instanceof Fail ? { ok: false, error: r.error, lang } : { ok: true, command: r, lang });
  if (text.length > MAX_SMS_LENGTH) return done(fail('TOO_LONG', MAX_SMS_LENGTH, `a message may have at most ${MAX_SMS_LENGTH} characters`));
  if (!isKnownTimeZone(ctx.zone)) return done(fail('BAD_ZONE', 0, `unknown time zone ${JSON.stringify(ctx.zone)}`));
  const received = Date.parse(ctx.receivedAt);
  if (Number.isNaN(received)) return done(fail('BAD_RECEIVED', 0, 'the receipt time is not a date-time'));
  const tokens = tokenize(text);
  const first = tokens[0];
  if (!first) return done(fail('EMPTY', 0, 'the message is empty'));
  const sawLang = (l: Lang | undefined) => {
    if (l && lang === null) lang = l;
  };
  const number = (i: number, after: number): number | Fail => {
    const t = tokens[i];
    if (!t) return fail('BAD_NUMBER', after, 'a report number is expected here');
    if (!/^\d{1,9}$/.test(t.key)) return fail('BAD_NUMBER', t.pos, `"${t.raw}" is not a report number`);
    return Number(t.key);
  };
  const end = text.length;

  const l0 = lookupWord(STATUS_WORDS, first.key);
  if (l0) {
    sawLang(l0);
    const n = number(1, end);
    return done(n instanceof Fail ? n : { type: 'status', of: n });
  }
  const ls = lookupWord(STOP_WORDS, first.key);
  if (ls && tokens.length === 1) {
    sawLang(ls);
    return done({ type: 'stop' });
  }
  const lc = lookupWord(CORR_WORDS, first.key);
  if (lc) {
    sawLang(lc);
    const n = number(1, end);
    if (n instanceof Fail) return done(n);
    let start = 2;
    const kw = tokens[2] && lookupWord(REPORT_WORDS, tokens[2].key);
    if (kw) start = 3;
    const body = reportBody(text, tokens, start, ctx, received);
    return done(body instanceof Fail ? body : { type: 'correction', of: n, ...body });
  }
  const lr = lookupWord(REPORT_WORDS, first.key);
  if (lr) {
    sawLang(lr);
    const body = reportBody(text, tokens, 1, ctx, received);
    return done(body instanceof Fail ? body : { type: 'report', ...body });
  }
  return done(fail('UNKNOWN_COMMAND', first.pos, `a message starts with R (report), STATUS, CORR or STOP, not "${first.raw.slice(0, 20)}"`));
}

const DATE_RE = /^(\d{1,2})[/.-](\d{1,2})$/;
const TIME_RE = /^(\d{1,2}):(\d{2})$/;

function isWhen(t: Token): boolean {
  return DATE_RE.test(t.key) || lookupWord(TODAY_WORDS, t.key) !== undefined || lookupWord(YESTERDAY_WORDS, t.key) !== undefined;
}

/** Local calendar fields of an instant in a zone. */
function localFields(ms: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const t = new Date(ms + zoneOffsetMs(zone, ms));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes() };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isRealDay = (y: number, mo: number, d: number) => {
  const t = new Date(Date.UTC(y, mo - 1, d));
  return mo >= 1 && mo <= 12 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
};

/** Opening quotes a phone keyboard types, each with the closing quote that ends it. */
const QUOTES: Readonly<Record<string, string>> = { '"': '"', '“': '”', '«': '»', '„': '“' };

/**
 * A name of several words after BY, in quotes (`BY "Pakistan army"`, `BY «د پاکستان پوځ»`): the
 * words inside, spaces collapsed, and the offset just after the closing quote. Null when the word
 * at `pos` does not open a quote.
 */
function quotedName(text: string, pos: number): { name: string; end: number } | null | Fail {
  const close = QUOTES[text[pos]!];
  if (close === undefined) return null;
  const at = text.indexOf(close, pos + 1);
  if (at < 0) return fail('UNCLOSED_QUOTE', pos, `the name after BY opens a quote (${text[pos]}) that is never closed`);
  const name = text.slice(pos + 1, at).replace(/[\s\u200E\u200F]+/gu, ' ').trim();
  if (name === '') return fail('MISSING_ACTOR', pos, 'BY needs the name of who did it, inside the quotes');
  return { name, end: at + 1 };
}

/** The report's fields, and whether the monitor asked (PUB) for it to be published under the mediator's name. */
function reportBody(text: string, tokens: readonly Token[], start: number, ctx: SmsContext, received: number): { report: ParsedReport; publish: boolean } | Fail {
  const end = text.length;
  const whenIdx = tokens.findIndex((t, i) => i >= start && isWhen(t));
  if (whenIdx === start) return fail('MISSING_PLACE', tokens[start]!.pos, 'the place comes first, before the date: R Barmal 17/10 AIR');
  if (whenIdx < 0) {
    if (start >= tokens.length) return fail('MISSING_PLACE', end, 'the place is missing: R Barmal 17/10 AIR');
    return fail('MISSING_WHEN', end, 'the date is missing after the place: today, yesterday or DD/MM');
  }
  const placeFrom = tokens[start]!.pos;
  const lastPlace = tokens[whenIdx - 1]!;
  const query = text.slice(placeFrom, lastPlace.pos + lastPlace.raw.length);

  // <when>
  const w = tokens[whenIdx]!;
  const now = localFields(received, ctx.zone);
  let y: number, mo: number, d: number;
  const dm = DATE_RE.exec(w.key);
  let i = whenIdx + 1;
  const tm = tokens[i] ? TIME_RE.exec(tokens[i]!.key) : null;
  let hh: number | null = null;
  let mm: number | null = null;
  if (tm) {
    hh = Number(tm[1]);
    mm = Number(tm[2]);
    if (hh > 23 || mm > 59) return fail('BAD_TIME', tokens[i]!.pos, `"${tokens[i]!.raw}" is not a time of day (HH:MM, 00:00–23:59)`);
    i++;
  }
  if (dm) {
    d = Number(dm[1]);
    mo = Number(dm[2]);
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return fail('BAD_DATE', w.pos, `"${w.raw}" is not a day/month (DD/MM)`);
    // The latest year that does not put the date after the message's receipt.
    const key = (mo_: number, d_: number, h_: number, mi_: number) => ((mo_ * 32 + d_) * 24 + h_) * 60 + mi_;
    y = key(mo, d, hh ?? 0, mm ?? 0) > key(now.mo, now.d, now.h, now.mi) ? now.y - 1 : now.y;
    let tries = 0;
    while (!isRealDay(y, mo, d) && tries < 8) {
      y--;
      tries++;
    }
    if (!isRealDay(y, mo, d)) return fail('BAD_DATE', w.pos, `"${w.raw}" is not a real day`);
  } else {
    const yesterday = lookupWord(YESTERDAY_WORDS, w.key) !== undefined;
    const base = new Date(Date.UTC(now.y, now.mo - 1, now.d - (yesterday ? 1 : 0)));
    y = base.getUTCFullYear();
    mo = base.getUTCMonth() + 1;
    d = base.getUTCDate();
  }
  let from: number, to: number, local: string, precision: 'exact' | 'day';
  if (hh !== null && mm !== null) {
    from = localToUtcMs(ctx.zone, y, mo, d, hh, mm);
    to = from + 60_000;
    local = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(hh)}:${pad(mm)}`;
    precision = 'exact';
    if (from > received) return fail('FUTURE_DATE', w.pos, 'the time is after the message was sent');
  } else {
    from = localToUtcMs(ctx.zone, y, mo, d);
    to = localToUtcMs(ctx.zone, y, mo, d + 1);
    local = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
    precision = 'day';
  }

  // <what>
  const wt = tokens[i];
  if (!wt) return fail('MISSING_WHAT', end, `what happened is missing: one of ${WHAT_CODES.join(', ')}`);
  if (!(WHAT_CODES as readonly string[]).includes(wt.key)) return fail('BAD_WHAT', wt.pos, `"${wt.raw.slice(0, 20)}" is not one of ${WHAT_CODES.join(', ')}`);
  const what = wt.key as WhatCode;
  i++;

  let killed: number | null = null;
  let wounded: number | null = null;
  let target: 'civilians' | 'security_forces' | null = null;
  let by: string | null = null;
  let publish = false;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    const kw = /^([KW])(\d{1,6})$/.exec(t.key);
    if (kw && kw[1] === 'K' && killed === null) killed = Number(kw[2]);
    else if (kw && kw[1] === 'W' && wounded === null) wounded = Number(kw[2]);
    else if (/^[KW]\d{7,}$/.test(t.key)) return fail('BAD_NUMBER', t.pos, 'a count has at most six digits');
    else if (t.key === 'CIV' && target === null) target = 'civilians';
    else if (t.key === 'SEC' && target === null) target = 'security_forces';
    else if (t.key === 'PUB' && !publish) publish = true;
    else if (t.key === 'BY' && by === null) {
      const a = tokens[i + 1];
      if (!a) return fail('MISSING_ACTOR', end, 'BY needs the name of who did it');
      const quoted = quotedName(text, a.pos);
      if (quoted instanceof Fail) return quoted;
      if (quoted === null) {
        by = latinDigits(a.raw).slice(0, 100);
        i++;
      } else {
        by = latinDigits(quoted.name).slice(0, 100);
        // Go on after the closing quote; `i` ends on the last token inside the quotes.
        while (i + 1 < tokens.length && tokens[i + 1]!.pos < quoted.end) i++;
      }
    } else break;
  }
  const rest = tokens[i];
  const free = rest ? text.slice(rest.pos).trim() : '';
  const [event_type, sub_event_type] = WHAT[what];
  const report: ParsedReport = {
    place: { query, candidates: [] },
    occurred: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), local, zone: ctx.zone, precision },
    what,
    event_type,
    sub_event_type,
    killed,
    wounded,
    target_category: target,
    by,
    text: free === '' ? null : free,
  };
  return { report, publish };
}
