// The columns Mizan's CSV export adds after ACLED's own, so that importing an export gives
// back the same incidents (docs/exchange.md). ACLED tools ignore columns they do not know.
// On import they come from a file like any other: each is parsed with a schema and ignored
// (or the row rejected) when it does not hold what Mizan writes there.
import { z } from 'zod';
import { Visibility } from '../domain/common.js';
import { OccurredInput } from '../domain/time.js';
import type { MappedActor, Origin } from './mapped.js';
import { problem } from './fields.js';
import type { SourceRecord } from './fields.js';

export const MIZAN_COLUMNS = [
  'mizan_id',
  'mizan_title',
  'mizan_occurred',
  'mizan_occurred_from',
  'mizan_occurred_to',
  'mizan_country',
  'mizan_fatalities_low',
  'mizan_fatalities_high',
  'mizan_actors',
  'mizan_sources',
  'mizan_visibility',
  'mizan_quality',
  'mizan_computed_country',
  'mizan_computed_admin1',
  'mizan_computed_admin2',
  'mizan_side',
  'mizan_distance_to_border_km',
  'mizan_origin',
  'mizan_recorded_at',
  'mizan_log_index',
] as const;

/** Ids only imports create; a file may name one of these as the row's id, never a native record's. */
export const IMPORT_ID = /^(acled|ucdp):[A-Za-z0-9][A-Za-z0-9._:-]{0,120}$/;

const ActorList = z
  .array(z.strictObject({ role: z.enum(['perpetrator', 'target']), name: z.string().min(1).max(300), kind: z.enum(['state_forces', 'armed_group', 'militia', 'other']).optional() }))
  .max(50);

const OriginSchema = z.strictObject({
  dataset: z.enum(['acled', 'ucdp']),
  id: z.string().min(1).max(128),
  fields: z.record(z.string().max(64), z.string().max(20_000)).refine((f) => Object.keys(f).length <= 80, 'has too many fields'),
});

function json(r: SourceRecord, field: string): unknown {
  const v = r[field];
  if (v === undefined || v.trim() === '') return undefined;
  if (v.length > 100_000) problem('field_too_long', field, 'is longer than 100,000 characters');
  try {
    return JSON.parse(v) as unknown;
  } catch {
    problem('invalid_extension', field, 'is not the JSON Mizan writes in this column');
  }
}

export function extActors(r: SourceRecord): MappedActor[] | undefined {
  const v = json(r, 'mizan_actors');
  if (v === undefined) return undefined;
  const p = ActorList.safeParse(v);
  if (!p.success) problem('invalid_extension', 'mizan_actors', `is not a list of {role, name}: ${p.error.issues[0]?.message ?? ''}`);
  return p.data.map((a) => ({ role: a.role, name: a.name, kind: a.kind ?? 'other' }));
}

export function extOrigin(r: SourceRecord): Origin | undefined {
  const v = json(r, 'mizan_origin');
  if (v === undefined) return undefined;
  const p = OriginSchema.safeParse(v);
  if (!p.success) problem('invalid_extension', 'mizan_origin', `is not {dataset, id, fields}: ${p.error.issues[0]?.message ?? ''}`);
  return p.data;
}

export function extOccurred(r: SourceRecord): OccurredInput | undefined {
  const v = json(r, 'mizan_occurred');
  if (v === undefined) return undefined;
  const p = OccurredInput.safeParse(v);
  if (!p.success) problem('invalid_extension', 'mizan_occurred', 'is not an occurred form Mizan accepts');
  return p.data;
}

export function extVisibility(r: SourceRecord): Visibility | undefined {
  const v = (r.mizan_visibility ?? '').trim();
  if (v === '') return undefined;
  const p = Visibility.safeParse(v);
  if (!p.success) problem('invalid_extension', 'mizan_visibility', 'must be public, parties or mediators');
  return p.data;
}

const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function extSources(r: SourceRecord): string[] {
  const v = (r.mizan_sources ?? '').trim();
  if (v === '') return [];
  const ids = v.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length > 100) problem('invalid_extension', 'mizan_sources', 'lists more than 100 sources');
  for (const id of ids) if (!SOURCE_ID.test(id)) problem('invalid_extension', 'mizan_sources', `${JSON.stringify(id.slice(0, 40))} is not a source id`);
  return ids;
}

/**
 * Cells a spreadsheet would run as a formula (= + - @, tab, carriage return at the start), also
 * behind any apostrophes already there, so that guarding stays reversible.
 */
export const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Undo the export's formula guard: Mizan writes such a cell behind one more apostrophe; reading
 * its own export, that apostrophe goes again.
 */
export function unguard(v: string): string {
  return v.charCodeAt(0) === 39 && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}
