// Field parsers shared by the ACLED and UCDP mappers. Every value comes from a file someone
// else wrote: each parser returns a value or a rejection, and never throws.
import type { Occurred, OccurredInput } from '../domain/time.js';
import { resolveOccurred } from '../domain/time.js';
import type { RejectReason, RowRejection } from './errors.js';
import { reject } from './errors.js';

/** A row as read: column name → raw text (absent columns read as ''). */
export type SourceRecord = Readonly<Record<string, string>>;

export class RowProblem {
  constructor(readonly reason: RejectReason, readonly field: string | null, readonly message: string) {}
  at(line: number): RowRejection {
    return reject(line, this.reason, this.field, this.message);
  }
}

/** Thrown inside a mapper and caught at its top: keeps the field-by-field code linear. */
export function problem(reason: RejectReason, field: string | null, message: string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- control flow, not an error: the mapper's own catch turns it into a rejection, and no stack is captured for each bad row
  throw new RowProblem(reason, field, message);
}

// C0 controls other than tab and newline, and DEL: they have no business in names or notes and
// confuse terminals that later print the value.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Trimmed text without control characters; '' for a missing column. */
export function text(r: SourceRecord, field: string, max: number): string {
  const raw = r[field];
  if (raw === undefined || raw === '') return '';
  const v = raw.replace(CONTROL, '').trim();
  if (v.length > max) problem('field_too_long', field, `is ${v.length} characters long; at most ${max} are accepted`);
  return v;
}

export function required(r: SourceRecord, field: string, max: number): string {
  const v = text(r, field, max);
  if (v === '') problem('missing_field', field, 'is empty');
  return v;
}

/** A non-negative integer, or undefined when empty. "12.0" is accepted (UCDP and spreadsheets write it). */
export function count(r: SourceRecord, field: string): number | undefined {
  const v = text(r, field, 32);
  if (v === '') return undefined;
  if (!/^\d{1,12}(\.0+)?$/.test(v)) problem('invalid_number', field, `must be a whole number ≥ 0, not ${JSON.stringify(v)}`);
  return Number.parseInt(v, 10);
}

/** A small integer code such as a precision, or undefined when empty. */
export function code(r: SourceRecord, field: string, allowed: readonly number[]): number | undefined {
  const v = text(r, field, 32);
  if (v === '') return undefined;
  const n = /^\d{1,3}(\.0+)?$/.test(v) ? Number.parseInt(v, 10) : NaN;
  if (!allowed.includes(n)) problem('invalid_number', field, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return n;
}

/** Latitude and longitude together, in range; both empty means no coordinates. */
export function coordinates(r: SourceRecord, latField: string, lonField: string): { lat: number; lon: number } | null {
  const a = text(r, latField, 40);
  const b = text(r, lonField, 40);
  if (a === '' && b === '') return null;
  if (a === '' || b === '') problem('invalid_coordinates', a === '' ? latField : lonField, 'latitude and longitude go together');
  const num = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  const lat = num.test(a) ? Number(a) : NaN;
  const lon = num.test(b) ? Number(b) : NaN;
  if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90)) problem('invalid_coordinates', latField, `must be a number between -90 and 90, not ${JSON.stringify(a)}`);
  if (!(Number.isFinite(lon) && lon >= -180 && lon <= 180)) problem('invalid_coordinates', lonField, `must be a number between -180 and 180, not ${JSON.stringify(b)}`);
  return { lat, lon };
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

/** A calendar day as [year, month, day], checked to exist. */
export type Day = readonly [number, number, number];

function realDay(y: number, m: number, d: number): Day | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? [y, m, d] : null;
}

/**
 * The day of an event as the sources write it: `2023-01-15` (ACLED API, Mizan), `2023-01-15
 * 00:00:00.000` (UCDP GED), `15 January 2023` and `15-Jan-2023` (older ACLED exports),
 * `15/01/2023` and `15-01-2023` (day first, as ACLED's codebook gives it).
 */
export function day(r: SourceRecord, field: string): Day {
  const v = required(r, field, 40);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(v);
  let out: Day | null = null;
  if (m) out = realDay(Number(m[1]), Number(m[2]), Number(m[3]));
  else if ((m = /^(\d{1,2})[ \-/]([A-Za-z]{3,9})\.?[ \-/,]+(\d{4})$/.exec(v))) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    if (mo !== undefined) out = realDay(Number(m[3]), mo, Number(m[1]));
  } else if ((m = /^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$/.exec(v))) out = realDay(Number(m[3]), Number(m[2]), Number(m[1]));
  if (!out) problem('invalid_date', field, `is not a date Mizan can read (YYYY-MM-DD, "15 January 2023", DD/MM/YYYY): ${JSON.stringify(v)}`);
  return out;
}

export function isoDay([y, m, d]: Day): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays([y, m, d]: Day, n: number): Day {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

export function compareDays(a: Day, b: Day): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Local days are read in the time zone of the stated country: the two the platform is about,
 * and UTC for any other (a source file may cover more countries than the ceasefire does).
 */
export function zoneFor(alpha3: string): string {
  if (alpha3 === 'PAK') return 'Asia/Karachi';
  if (alpha3 === 'AFG') return 'Asia/Kabul';
  return 'UTC';
}

/** The days [first, last] (inclusive, as UCDP's date_start..date_end) as local days in `zone`. */
export function dayRange(first: Day, last: Day, zone: string): OccurredInput {
  if (compareDays(first, last) === 0) return { local: isoDay(first), zone, precision: 'day' };
  return { local_from: `${isoDay(first)}T00:00`, local_to: `${isoDay(addDays(last, 1))}T00:00`, zone };
}

const resolvedCache = new Map<string, Occurred>();

/**
 * resolveOccurred, remembered: it asks Intl for zone offsets several times per call, and a
 * source file repeats the same days many thousand times. Throws TimeError as resolveOccurred does.
 */
export function resolveOccurredCached(stated: OccurredInput): Occurred {
  const key = JSON.stringify(stated);
  let o = resolvedCache.get(key);
  if (o === undefined) {
    o = resolveOccurred(stated);
    if (resolvedCache.size >= 50_000) resolvedCache.clear();
    resolvedCache.set(key, o);
  }
  return o;
}
