import { Readable } from 'node:stream';
import { z } from 'zod';
import { EXPORT_EXTENSION, EXPORT_MEDIA_TYPE, ExportFilter, exportIncidents } from '../../app/exports.js';
import type { ExportFormat } from '../../app/exports.js';
import { importIncidents } from '../../app/imports.js';
import type { ImportSummary } from '../../app/imports.js';
import type { Mizan } from '../../app/mizan.js';
import type { Principal } from '../../domain/principal.js';
import { MizanError } from '../../domain/errors.js';
import { authorize } from '../../domain/policy.js';
import { IMPORT_FORMATS, openSourceRows, REJECT_REASONS } from '../../intake/index.js';
import type { ImportFormat } from '../../intake/index.js';
import type { RouteDef } from '../route.js';
import { route } from '../route.js';
import { sniffFileFormat, spoolUpload } from '../upload.js';

/** Largest CSV accepted over HTTP by default; MIZAN_IMPORT_MAX_BYTES changes it. Bigger files go through `mizan import`. */
export const DEFAULT_IMPORT_MAX_BYTES = 256 * 1024 * 1024;

/** The import route's body limit from the environment (a positive whole number of bytes), else the default. */
export function importBodyLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MIZAN_IMPORT_MAX_BYTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_IMPORT_MAX_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`MIZAN_IMPORT_MAX_BYTES must be a positive whole number of bytes, not ${JSON.stringify(raw)}`);
  return n;
}

/** Media types the import route takes as a raw CSV body, streamed to a temporary file. */
export const IMPORT_MEDIA_TYPES = ['text/csv', 'text/plain'] as const;

const ImportQuery = z.strictObject({
  format: z.enum(IMPORT_FORMATS).optional(),
  skip_invalid: z.enum(['true', 'false']).optional(),
});

/** The JSON form of the body, for clients that cannot send text/plain: the CSV as a string. */
const ImportJsonBody = z.strictObject({
  format: z.enum(IMPORT_FORMATS).optional(),
  skip_invalid: z.boolean().optional(),
  csv: z.string(),
});

const Rejection = z.object({ line: z.number().int(), reason: z.enum(REJECT_REASONS), field: z.string().nullable(), message: z.string() });

const ImportSummaryResponse = z.object({
  format: z.enum(IMPORT_FORMATS),
  rows: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  rejected_by_reason: z.record(z.string(), z.number().int()),
  rejections: z.array(Rejection),
  actors_created: z.number().int(),
  quality: z.record(z.string(), z.number().int()),
  hxl_row_skipped: z.boolean(),
  log_entries: z.number().int(),
  committed: z.boolean(),
});

function exportRoute(format: ExportFormat, summary: string): RouteDef {
  return route({
    method: 'GET',
    url: `/api/v1/export/${format}`,
    summary,
    tag: 'exchange',
    access: 'public',
    query: ExportFilter,
    handler: async ({ app, principal, query, reply }) => {
      const stream = Readable.from(exportIncidents(app, principal, format, query));
      void reply
        .header('content-type', EXPORT_MEDIA_TYPE[format])
        .header('content-disposition', `attachment; filename="mizan-incidents.${EXPORT_EXTENSION[format]}"`)
        .header('cache-control', 'no-store');
      // Returning the reply tells Fastify the stream is the response.
      return reply.send(stream);
    },
  });
}

/** A raw CSV body: spooled to a private temporary file, its format sniffed if not given, then imported from the file. */
async function importUpload(app: Mizan, principal: Principal, body: Readable, format: ImportFormat | undefined, skipInvalid: boolean): Promise<ImportSummary> {
  const upload = await spoolUpload(body);
  try {
    if (upload.bytes === 0) throw new MizanError('VALIDATION_FAILED', 'the body is empty: send the CSV file', [{ path: ['line', 1], code: 'invalid_header', message: 'no header row' }]);
    const fmt = format ?? (await sniffFileFormat(upload.file));
    return await importIncidents(app, principal, await openSourceRows(upload.open(), fmt), { format: fmt, skipInvalid });
  } finally {
    upload.dispose();
  }
}

export const exchangeRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/imports',
    summary:
      'Import ACLED or UCDP GED CSV. Body: the raw CSV as text/csv or text/plain (up to 256 MiB by default; ?format=acled|ucdp, or sniffed from the header row), or JSON {format, csv} up to 2 MiB. All or nothing unless skip_invalid=true; errors name the line. Re-importing updates (stable ids acled:<event_id_cnty>, ucdp:<id>). Returns the summary.',
    tag: 'exchange',
    access: 'import',
    query: ImportQuery,
    body: ImportJsonBody,
    response: ImportSummaryResponse,
    streamedBody: { mediaTypes: IMPORT_MEDIA_TYPES, limit: importBodyLimit() },
    handler: async ({ app, principal, query, body }) => {
      // Who may import is settled before the body is read, so a refused caller learns nothing about its file.
      authorize(principal, 'import');
      if (body instanceof Readable) return importUpload(app, principal, body, query.format, query.skip_invalid === 'true');
      const parsed = ImportJsonBody.safeParse(body);
      if (!parsed.success) throw new MizanError('VALIDATION_FAILED', 'send the CSV as text/csv (or text/plain) with ?format=acled|ucdp, or as JSON {"format": "acled"|"ucdp", "csv": "..."}', [{ path: ['csv'], code: 'invalid_body', message: 'is required' }]);
      const format = parsed.data.format ?? query.format;
      if (!format) throw new MizanError('VALIDATION_FAILED', 'say which format the file is in: {"format": "acled"} or {"format": "ucdp"}', [{ path: ['format'], code: 'required', message: 'is required' }]);
      const rows = await openSourceRows(parsed.data.csv, format);
      return importIncidents(app, principal, rows, { format, skipInvalid: parsed.data.skip_invalid ?? query.skip_invalid === 'true' });
    },
  }),
  exportRoute('csv', 'Export incidents as ACLED-compatible CSV (with Mizan columns after ACLED\'s), same filters and scope as the incident list; streamed'),
  exportRoute('geojson', 'Export incidents as an RFC 7946 GeoJSON FeatureCollection, same filters and scope as the incident list; streamed'),
  exportRoute('hxl', 'Export incidents as HXL-tagged CSV (hashtag row under the header), same filters and scope as the incident list; streamed'),
];
