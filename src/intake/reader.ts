// The streaming edge of the importers: CSV text in, one row at a time out, so a file of a
// million rows is never held in memory. csv-parse does the RFC 4180 work.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { MizanError } from '../domain/errors.js';
import type { RowRejection } from './errors.js';
import { reject } from './errors.js';
import type { SourceRecord } from './fields.js';
import type { HeaderInfo, ImportFormat } from './format.js';
import { checkHeader, isHxlHashtagRow } from './format.js';

/** A record larger than this is refused: an unclosed quote must not swallow the file into memory. */
export const MAX_RECORD_BYTES = 1_000_000;

export type SourceItem =
  | { readonly kind: 'row'; readonly line: number; readonly record: SourceRecord }
  | { readonly kind: 'rejected'; readonly rejection: RowRejection; readonly values: readonly string[] };

export interface ReaderStats {
  /** HDX's HXL hashtag row was found under the header and skipped. */
  hxlRowSkipped: boolean;
  /** Lines starting with "#" (Mizan's export ends with its attribution as one). */
  commentLines: number;
}

export interface SourceRows extends AsyncIterable<SourceItem> {
  readonly header: HeaderInfo;
  readonly stats: ReaderStats;
}

interface Parsed {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/**
 * Open a CSV stream as rows of `format`. Reads the header (checked, or MizanError
 * VALIDATION_FAILED) before returning; rows then come one by one. Broken records (an unclosed
 * quote, a record over MAX_RECORD_BYTES, a wrong number of fields) come as rejections with their
 * line, and reading goes on.
 */
export async function openSourceRows(input: Readable | string, format: ImportFormat): Promise<SourceRows> {
  const skipped: { error: CsvError | undefined }[] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    comment: '#',
    comment_no_infix: true,
    max_record_size: MAX_RECORD_BYTES,
    skip_records_with_error: true,
    on_skip: (error) => {
      skipped.push({ error });
      return undefined;
    },
  });
  if (typeof input === 'string') {
    parser.end(input);
  } else {
    input.on('error', (e) => parser.destroy(e));
    input.pipe(parser);
  }
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<Parsed>;
  let first: IteratorResult<Parsed>;
  try {
    first = await it.next();
  } catch (e) {
    throw asMizanError(e);
  }
  if (first.done) throw new MizanError('VALIDATION_FAILED', 'the file is empty: no header row', [{ path: ['line', 1], code: 'invalid_header', message: 'no header row' }]);
  const header = checkHeader(format, first.value.record);
  const stats: ReaderStats = { hxlRowSkipped: false, commentLines: 0 };
  const width = header.columns.length;

  function* brokenBefore(line: number): Generator<SourceItem> {
    while (skipped.length > 0) {
      const e = skipped[0]!.error;
      const at = typeof e?.lines === 'number' ? e.lines : 0;
      if (at >= line) return;
      skipped.shift();
      yield { kind: 'rejected', rejection: reject(at, 'malformed_csv', null, e?.message ?? 'the record could not be read as CSV'), values: [] };
    }
  }

  async function* rows(): AsyncGenerator<SourceItem> {
    let index = 0;
    for (;;) {
      let next: IteratorResult<Parsed>;
      try {
        next = await it.next();
      } catch (e) {
        throw asMizanError(e);
      }
      if (next.done) {
        yield* brokenBefore(Infinity);
        break;
      }
      const { record, info } = next.value;
      const line = startLine(record, info.lines);
      // The parser may have met a broken record further on while reading ahead: keep file order.
      yield* brokenBefore(line);
      if (index++ === 0 && isHxlHashtagRow(record)) {
        stats.hxlRowSkipped = true;
        continue;
      }
      if (record.length < width || (record.length > width && record.slice(width).some((v) => v.trim() !== ''))) {
        yield {
          kind: 'rejected',
          rejection: reject(line, 'wrong_column_count', null, `has ${record.length} fields; the header has ${width}`),
          values: record.slice(0, width),
        };
        continue;
      }
      const out: Record<string, string> = {};
      for (let i = 0; i < width; i++) {
        const name = header.columns[i]!;
        if (name !== '') out[name] = record[i]!;
      }
      yield { kind: 'row', line, record: out };
    }
    stats.commentLines = parser.info.comment_lines;
  }
  const iterable = rows();
  return { header, stats, [Symbol.asyncIterator]: () => iterable };
}

/** csv-parse reports the line a record ends on; a quoted field may span lines. */
function startLine(record: readonly string[], endLine: number): number {
  let breaks = 0;
  for (const v of record) {
    if (v.length === 0 || v.indexOf('\n') < 0) continue;
    for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) === 10) breaks++;
  }
  return endLine - breaks;
}

function asMizanError(e: unknown): MizanError {
  if (e instanceof MizanError) return e;
  const err = e as { code?: string; lines?: number; message?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('CSV_')) {
    const line = err.lines ?? 1;
    return new MizanError('VALIDATION_FAILED', `the file is not valid CSV at line ${line}: ${err.message ?? err.code}`, [{ path: ['line', line], code: 'malformed_csv', message: err.message ?? err.code }]);
  }
  if (e instanceof Error && (e as NodeJS.ErrnoException).code) return new MizanError('VALIDATION_FAILED', `cannot read the file: ${e.message}`);
  throw e;
}
