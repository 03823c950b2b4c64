// An uploaded CSV is first written to a private temporary file, then imported from there: the
// import's write transaction then lasts as long as the import itself, never as long as a slow
// client's upload, and the file is never held in memory.
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { MizanError } from '../domain/errors.js';
import type { ImportFormat } from '../intake/index.js';

export interface SpooledUpload {
  readonly file: string;
  readonly bytes: number;
  open(): Readable;
  dispose(): void;
}

/** Write the body to a new file readable only by this user; the body stream enforces its own byte limit. */
export async function spoolUpload(body: Readable): Promise<SpooledUpload> {
  const dir = mkdtempSync(join(tmpdir(), 'mizan-upload-'));
  const file = join(dir, 'upload.csv');
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const out = createWriteStream(file, { mode: 0o600 });
  try {
    await pipeline(body, out);
  } catch (e) {
    dispose();
    if (e instanceof MizanError) throw e;
    throw new MizanError('VALIDATION_FAILED', `the upload was interrupted after ${out.bytesWritten} bytes; nothing was imported`);
  }
  return { file, bytes: out.bytesWritten, open: () => createReadStream(file), dispose };
}

/** Columns that only one of the formats has. */
const SIGNATURE: Record<ImportFormat, readonly string[]> = {
  acled: ['event_id_cnty'],
  ucdp: ['type_of_violence', 'dyad_name', 'where_prec'],
};

/** How much of the file's start is read to find the header row. */
const HEAD_BYTES = 64 * 1024;

/** The header row's column names, lower-cased: the first line that is neither empty nor a # comment. */
export function headerColumns(head: string): string[] {
  const text = head.replace(/^\uFEFF/, '');
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      const [row] = parse(line, { relax_quotes: true, to_line: 1 });
      return (row ?? []).map((c) => c.trim().toLowerCase());
    } catch {
      return [];
    }
  }
  return [];
}

/** ACLED or UCDP GED from the header row; null when it names neither's own columns (or both's). */
export function sniffFormat(columns: readonly string[]): ImportFormat | null {
  const has = new Set(columns);
  const matches = (Object.keys(SIGNATURE) as ImportFormat[]).filter((f) => SIGNATURE[f].some((c) => has.has(c)));
  return matches.length === 1 ? matches[0]! : null;
}

/** Sniff the format of a spooled file; VALIDATION_FAILED at line 1 when the header does not say. */
export async function sniffFileFormat(file: string): Promise<ImportFormat> {
  const fh = await open(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
  const format = sniffFormat(headerColumns(head));
  if (format === null) {
    const message = "the header row has neither ACLED's event_id_cnty nor UCDP GED's type_of_violence column; say which format the file is in with ?format=acled or ?format=ucdp";
    throw new MizanError('VALIDATION_FAILED', message, [{ path: ['line', 1], code: 'unknown_format', message: 'is not an ACLED or UCDP GED header' }]);
  }
  return format;
}
