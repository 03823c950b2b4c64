// Numbers and dates through Intl, per interface language. Dates are Gregorian in every language
// (the agreements and both governments' statements date events that way), written with the
// locale's digits: Eastern Arabic (۱۲۳) for Pashto and Dari, Latin for Urdu (CLDR's default
// for ur-PK). Every time is shown in both Pakistan and Afghanistan time. Chromium ships ICU
// without Pashto's formats, so Pashto falls back to CLDR's Pashto patterns built here.
import { useTranslation } from 'react-i18next';
import { languageInfo } from '../i18n/index.js';

export const PK_ZONE = 'Asia/Karachi';
export const AF_ZONE = 'Asia/Kabul';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dtf(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(`${locale}-u-ca-gregory`, opts);
    cache.set(key, f);
  }
  return f;
}

function nf(locale: string, opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    cache.set(key, f);
  }
  return f;
}

// Function properties, not methods: callers pass them around detached (`const fmt = f.date`).
export interface Formatter {
  readonly locale: string;
  readonly num: (n: number, opts?: Intl.NumberFormatOptions) => string;
  /** "17 Oct 2025" in the given zone. */
  readonly date: (iso: string, zone?: string) => string;
  /** "17 Oct 2025, 18:30" in the given zone. */
  readonly dateTime: (iso: string, zone?: string) => string;
  readonly time: (iso: string, zone?: string) => string;
  readonly month: (iso: string, zone?: string) => string;
  /** "17 Oct" (axis labels). */
  readonly dayShort: (iso: string | Date, zone?: string) => string;
  /** Relative duration like "in 5 hours" / "3 days ago". */
  readonly relative: (ms: number) => string;
}

/** Does this runtime have real CLDR data for the locale? (Chromium ships without Pashto's.) */
const hasData = new Map<string, boolean>();
function localeSupported(locale: string): boolean {
  let ok = hasData.get(locale);
  if (ok === undefined) {
    const resolved = new Intl.DateTimeFormat(locale).resolvedOptions().locale;
    ok = resolved.split('-')[0] === locale.split('-')[0];
    hasData.set(locale, ok);
  }
  return ok;
}

// CLDR's Pashto Gregorian month names and patterns (y MMMM d, H:mm), for runtimes without ps data.
const PS_MONTHS = ['جنوري', 'فبروري', 'مارچ', 'اپریل', 'مۍ', 'جون', 'جولای', 'اګست', 'سپتمبر', 'اکتوبر', 'نومبر', 'دسمبر'];
const ARABEXT = '۰۱۲۳۴۵۶۷۸۹';
const toArabext = (s: string) => s.replace(/[0-9]/g, (d) => ARABEXT[Number(d)]!);

function parts(iso: string | Date, zone: string) {
  const f = dtf('en-GB', { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(typeof iso === 'string' ? new Date(iso) : iso)) out[p.type] = p.value;
  return { y: out['year']!, m: Number(out['month']), d: out['day']!, hm: `${Number(out['hour'])}:${out['minute']}` };
}

function pashtoFallback(locale: string): Formatter {
  const num = (n: number, opts?: Intl.NumberFormatOptions) => nf('fa-AF', opts).format(n);
  const date = (iso: string, zone = 'UTC') => {
    const p = parts(iso, zone);
    return toArabext(`${p.y} ${PS_MONTHS[p.m - 1]} ${p.d}`);
  };
  const time = (iso: string, zone = 'UTC') => toArabext(parts(iso, zone).hm);
  const unit = { minute: 'دقیقې', hour: 'ساعته', day: 'ورځې' } as const;
  return {
    locale,
    num,
    date,
    time,
    dateTime: (iso, zone = 'UTC') => `${date(iso, zone)} ${time(iso, zone)}`,
    month: (iso, zone = 'UTC') => {
      const p = parts(iso, zone);
      return toArabext(`${p.y} ${PS_MONTHS[p.m - 1]}`);
    },
    dayShort: (iso, zone = 'UTC') => {
      const p = parts(iso, zone);
      return toArabext(`${PS_MONTHS[p.m - 1]} ${p.d}`);
    },
    relative: (ms) => {
      const abs = Math.abs(ms);
      const [n, u] = abs < 3_600_000 ? [Math.round(abs / 60_000), unit.minute] : abs < 2 * 86_400_000 ? [Math.round(abs / 3_600_000), unit.hour] : [Math.round(abs / 86_400_000), unit.day];
      return ms >= 0 ? `په ${num(n)} ${u} کې` : `${num(n)} ${u} مخکې`;
    },
  };
}

export function makeFormatter(lang: string): Formatter {
  const locale = languageInfo(lang).intl;
  if (lang === 'ps' && !localeSupported(locale)) return pashtoFallback(locale);
  return {
    locale,
    num: (n, opts) => nf(locale, opts).format(n),
    date: (iso, zone = 'UTC') => dtf(locale, { dateStyle: 'medium', timeZone: zone }).format(new Date(iso)),
    dateTime: (iso, zone = 'UTC') => dtf(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone, hourCycle: 'h23' }).format(new Date(iso)),
    time: (iso, zone = 'UTC') => dtf(locale, { timeStyle: 'short', timeZone: zone, hourCycle: 'h23' }).format(new Date(iso)),
    month: (iso, zone = 'UTC') => dtf(locale, { year: 'numeric', month: 'long', timeZone: zone }).format(new Date(iso)),
    dayShort: (iso, zone = 'UTC') => dtf(locale, { day: 'numeric', month: 'short', timeZone: zone }).format(typeof iso === 'string' ? new Date(iso) : iso),
    relative: (ms) => {
      const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      const abs = Math.abs(ms);
      if (abs < 3_600_000) return rtf.format(Math.round(ms / 60_000), 'minute');
      if (abs < 2 * 86_400_000) return rtf.format(Math.round(ms / 3_600_000), 'hour');
      return rtf.format(Math.round(ms / 86_400_000), 'day');
    },
  };
}

export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  return makeFormatter(i18n.language);
}

/** Same calendar day in a zone? (used to shorten "from – to" ranges) */
export function sameLocalDay(a: string, b: string, zone: string): boolean {
  const f = dtf('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone });
  return f.format(new Date(a)) === f.format(new Date(b));
}

/** The UTC day (YYYY-MM-DD) an instant falls on: the timeline buckets by UTC day. */
export function utcDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}
