import { MizanError } from '../domain/errors.js';
import { ACLED_REQUIRED, mapAcledRow } from './acled.js';
import type { RowRejection } from './errors.js';
import type { SourceRecord } from './fields.js';
import type { MappedIncident } from './mapped.js';
import { mapUcdpRow, UCDP_REQUIRED } from './ucdp.js';

export const IMPORT_FORMATS = ['acled', 'ucdp'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Hostile-file limits: a header this wide or a column name this long is not ACLED or GED. */
export const MAX_COLUMNS = 100;
export const MAX_COLUMN_NAME = 64;

export interface HeaderInfo {
  readonly columns: readonly string[];
  /** The file is a Mizan export: its mizan_* columns are read, its formula guards undone. */
  readonly fromMizan: boolean;
}

const LOOKS_LIKE: Record<ImportFormat, readonly string[]> = {
  acled: ['event_id_cnty', 'sub_event_type', 'actor1'],
  ucdp: ['type_of_violence', 'side_a', 'where_prec'],
};

/** Check the header row: every column named once, the format's required columns present. */
export function checkHeader(format: ImportFormat, raw: readonly string[]): HeaderInfo {
  const columns = raw.map((c) => c.trim().toLowerCase());
  const fail = (message: string, column?: string): never => {
    throw new MizanError('VALIDATION_FAILED', message, [{ path: column ? ['line', 1, column] : ['line', 1], code: 'invalid_header', message }]);
  };
  if (columns.length > MAX_COLUMNS) fail(`the header has ${columns.length} columns; an ${format.toUpperCase()} file has at most ${MAX_COLUMNS}`);
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.length > MAX_COLUMN_NAME) fail(`a column name is longer than ${MAX_COLUMN_NAME} characters`);
    if (c !== '' && seen.has(c)) fail(`the column ${JSON.stringify(c)} appears twice`, c);
    seen.add(c);
  }
  const required: readonly string[] = format === 'acled' ? ACLED_REQUIRED : UCDP_REQUIRED;
  const missing = required.filter((c) => !seen.has(c));
  const countryColumns = format === 'acled' ? ['country', 'iso'] : ['country', 'iso3'];
  if (!countryColumns.some((c) => seen.has(c))) missing.push(countryColumns.join(' or '));
  if (missing.length > 0) {
    const other: ImportFormat = format === 'acled' ? 'ucdp' : 'acled';
    const hint = LOOKS_LIKE[other].every((c) => seen.has(c)) ? ` — it looks like a ${other.toUpperCase()} file: import it with format ${other}` : '';
    throw new MizanError(
      'VALIDATION_FAILED',
      `the file is not ${format.toUpperCase()} CSV: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${hint}`,
      missing.map((c) => ({ path: ['line', 1, c], code: 'missing_column', message: 'is a required column' })),
    );
  }
  return { columns, fromMizan: format === 'acled' && seen.has('mizan_id') };
}

/**
 * HDX copies carry HXL hashtags (https://hxlstandard.org/standard/1-1final/) in the row after
 * the header: every non-empty cell is a hashtag with attributes, e.g. `#adm1+name`.
 */
export function isHxlHashtagRow(values: readonly string[]): boolean {
  let tags = 0;
  for (const v of values) {
    const t = v.trim();
    if (t === '') continue;
    if (!/^#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*$/.test(t)) return false;
    tags++;
  }
  return tags > 0;
}

export function mapRow(format: ImportFormat, record: SourceRecord, line: number, fromMizan: boolean): MappedIncident | RowRejection {
  switch (format) {
    case 'acled':
      return mapAcledRow(record, line, fromMizan);
    case 'ucdp':
      return mapUcdpRow(record, line);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
