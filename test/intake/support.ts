import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportOptions, ImportSummary } from '../../src/app/imports.js';
import { importIncidents } from '../../src/app/imports.js';
import type { Mizan } from '../../src/app/mizan.js';
import type { Principal } from '../../src/domain/principal.js';
import type { ImportFormat } from '../../src/intake/index.js';
import { ACLED_COLUMNS, openSourceRows } from '../../src/intake/index.js';
import { REPO_ROOT } from '../support/env.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'events');
export const UCDP_PAKISTAN = join(FIXTURES, 'ucdp_ged_pakistan_hdx_v22_1989-2021.csv');
export const UCDP_SAMPLE = join(FIXTURES, 'ucdp_ged_v23_1_sample1000_uncertainUCDP.csv');
export const GAZETTEER = join(REPO_ROOT, 'data', 'geo', 'gazetteer.json');

export const readFixture = (file: string) => readFileSync(file, 'utf8');

/** RFC 4180 cell, for building small files by hand. */
export function cell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvText(header: readonly string[], rows: readonly Record<string, string>[]): string {
  return [header.join(','), ...rows.map((r) => header.map((c) => cell(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** A well-formed ACLED row (Parachinar, Kurram), with overrides. */
export function acledRow(over: Record<string, string> = {}): Record<string, string> {
  return {
    event_id_cnty: 'PAK1001',
    event_date: '2025-10-12',
    year: '2025',
    time_precision: '1',
    disorder_type: 'Political violence',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actor1: 'TTP: Tehrik-i-Taliban Pakistan',
    inter1: '2',
    actor2: 'Military Forces of Pakistan (2018-)',
    inter2: '1',
    interaction: '12',
    iso: '586',
    region: 'South Asia',
    country: 'Pakistan',
    admin1: 'Khyber Pakhtunkhwa',
    admin2: 'Kurram',
    location: 'Parachinar',
    latitude: '33.89968',
    longitude: '70.10012',
    geo_precision: '1',
    source: 'Dawn',
    source_scale: 'National',
    notes: 'Militants attacked a checkpost near Parachinar.',
    fatalities: '3',
    tags: '',
    timestamp: '1760300000',
    ...over,
  };
}

export const acledCsv = (rows: readonly Record<string, string>[]) => csvText(ACLED_COLUMNS, rows);

export async function importText(app: Mizan, p: Principal, text: string, format: ImportFormat, opts: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  return importIncidents(app, p, await openSourceRows(text, format), { format, ...opts });
}

export async function count(app: Mizan, table: 'incidents' | 'actors' | 'log_entries' | 'incident_actors'): Promise<number> {
  const r = await app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
