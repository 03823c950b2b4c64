import { z } from 'zod';
import { UtcInstant } from './common.js';

/**
 * When something happened, as the source stated it, and the half-open UTC interval
 * [from, to) that statement covers. Windows of agreements are half-open too, so an
 * incident is "inside" a window exactly when the intervals say so.
 */

const LOCAL_MINUTE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const LOCAL_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_MONTH = /^(\d{4})-(\d{2})$/;

export const TimeZone = z.string().min(1).max(64).refine(isKnownTimeZone, 'is not a known IANA time zone (e.g. Asia/Karachi, Asia/Kabul, UTC)');

export const OccurredInput = z.union([
  z.strictObject({ from: UtcInstant, to: UtcInstant }),
  z.strictObject({
    local: z.string(),
    zone: TimeZone,
    precision: z.enum(['exact', 'day', 'month']),
  }),
  z.strictObject({ local_from: z.string(), local_to: z.string(), zone: TimeZone }),
]);
export type OccurredInput = z.infer<typeof OccurredInput>;

export type Precision = 'exact' | 'day' | 'month' | 'range';

export interface Occurred {
  /** Inclusive start, ISO 8601 UTC with milliseconds. */
  readonly from: string;
  /** Exclusive end. */
  readonly to: string;
  readonly precision: Precision;
  /** The form the source gave, kept for display. */
  readonly stated: OccurredInput;
}

export class TimeError extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

const knownZones = new Map<string, boolean>();

/** Building an Intl formatter costs ~0.1 ms; imports ask about the same few zones millions of times. */
export function isKnownTimeZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(zone, known);
  }
  return known;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at the instant `utcMs`, in milliseconds (Asia/Kabul: +4:30). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  let fmt = offsetFormatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(zone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant at which the wall clock in `zone` shows the given local time. */
export function localToUtcMs(zone: string, y: number, mo: number, d: number, h = 0, mi = 0): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset around DST changes; the zones we care about have none.
  let guess = naive - zoneOffsetMs(zone, naive);
  guess = naive - zoneOffsetMs(zone, guess);
  return guess;
}

function checkedParts(re: RegExp, text: string, path: (string | number)[], what: string): number[] {
  const m = re.exec(text);
  if (!m) throw new TimeError(path, `must be ${what}`);
  const nums = m.slice(1).map(Number);
  const [y, mo, d = 1, h = 0, mi = 0] = nums as [number, number, number?, number?, number?];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (
    mo < 1 ||
    mo > 12 ||
    probe.getUTCFullYear() !== y ||
    probe.getUTCMonth() !== mo - 1 ||
    probe.getUTCDate() !== d ||
    h > 23 ||
    mi > 59
  ) {
    throw new TimeError(path, `is not a real ${what.replace(/^an? /, '')}: ${JSON.stringify(text)}`);
  }
  return nums;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Turn any accepted `occurred` form into its half-open UTC interval. Throws TimeError with a path. */
export function resolveOccurred(input: OccurredInput): Occurred {
  if ('from' in input) {
    const from = Date.parse(input.from);
    const to = Date.parse(input.to);
    if (!(from < to)) throw new TimeError(['to'], 'must be later than from (intervals are half-open [from, to))');
    return { from: iso(from), to: iso(to), precision: 'range', stated: input };
  }
  if ('local' in input) {
    const { local, zone, precision } = input;
    switch (precision) {
      case 'exact': {
        const [y, mo, d, h, mi] = checkedParts(LOCAL_MINUTE, local, ['local'], 'a local time YYYY-MM-DDTHH:MM for precision "exact"') as [
          number, number, number, number, number,
        ];
        const from = localToUtcMs(zone, y, mo, d, h, mi);
        return { from: iso(from), to: iso(from + 60_000), precision, stated: input };
      }
      case 'day': {
        const [y, mo, d] = checkedParts(LOCAL_DAY, local, ['local'], 'a local date YYYY-MM-DD for precision "day"') as [number, number, number];
        const from = localToUtcMs(zone, y, mo, d);
        const to = localToUtcMs(zone, y, mo, d + 1);
        return { from: iso(from), to: iso(to), precision, stated: input };
      }
      case 'month': {
        const [y, mo] = checkedParts(LOCAL_MONTH, local, ['local'], 'a local month YYYY-MM for precision "month"') as [number, number];
        const from = localToUtcMs(zone, y, mo, 1);
        const to = localToUtcMs(zone, y, mo + 1, 1);
        return { from: iso(from), to: iso(to), precision, stated: input };
      }
      default: {
        const never: never = precision;
        throw new TimeError(['precision'], `unknown precision ${String(never)}`);
      }
    }
  }
  const a = checkedParts(LOCAL_MINUTE, input.local_from, ['local_from'], 'a local time YYYY-MM-DDTHH:MM') as [number, number, number, number, number];
  const b = checkedParts(LOCAL_MINUTE, input.local_to, ['local_to'], 'a local time YYYY-MM-DDTHH:MM') as [number, number, number, number, number];
  const from = localToUtcMs(input.zone, ...a);
  const to = localToUtcMs(input.zone, ...b);
  if (!(from < to)) throw new TimeError(['local_to'], 'must be later than local_from (ranges are half-open)');
  return { from: iso(from), to: iso(to), precision: 'range', stated: input };
}

/** Do the half-open intervals [aFrom, aTo) and [bFrom, bTo) share an instant? A null end is open. */
export function overlaps(aFrom: string, aTo: string | null, bFrom: string, bTo: string | null): boolean {
  const af = Date.parse(aFrom);
  const at = aTo === null ? Infinity : Date.parse(aTo);
  const bf = Date.parse(bFrom);
  const bt = bTo === null ? Infinity : Date.parse(bTo);
  return af < bt && bf < at;
}
