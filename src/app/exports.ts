import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { Alpha3, UtcInstant } from '../domain/common.js';
import type { Visibility } from '../domain/common.js';
import type { Principal } from '../domain/principal.js';
import { EVENT_TYPES } from '../domain/taxonomy.js';
import type { ActorInfo, StoredIncident } from '../exchange/index.js';
import { ACLED_EXPORT_HEADER, acledCsvRow, ATTRIBUTION_TEXT, geojsonClose, geojsonFeature, geojsonOpen, HXL_HEADER, HXL_TAGS, hxlRow } from '../exchange/index.js';
import type { IncidentFilter } from '../store/read.js';
import { incidentConditions } from '../store/read.js';
import { visibleLevels } from '../store/scope.js';
import { recordAudit } from './accounts.js';
import type { Mizan } from './mizan.js';

/** Formats of the incident list (streamed, filtered): `GET /api/v1/export/{format}` and `mizan export`. */
export const EXPORT_FORMATS = ['csv', 'geojson', 'hxl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * What `mizan export --format` takes: the incident formats, and `stix`, one STIX 2.1 bundle of the
 * public record (actors, positions, incidents; `stixBundle` in src/app/threat.ts), which the list
 * filters do not apply to.
 */
export const EXPORT_COMMAND_FORMATS = [...EXPORT_FORMATS, 'stix'] as const;
export type ExportCommandFormat = (typeof EXPORT_COMMAND_FORMATS)[number];

/** The incident list's filters (GET /api/v1/incidents), without paging: an export is the whole list. */
export const ExportFilter = z.strictObject({
  q: z.string().max(500).optional(),
  from: UtcInstant.optional(),
  to: UtcInstant.optional(),
  country: Alpha3.optional(),
  admin1: z.string().max(200).optional(),
  event_type: z.enum(EVENT_TYPES as [string, ...string[]]).optional(),
  actor: z.string().max(128).optional(),
});

export const EXPORT_MEDIA_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  hxl: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};

export const EXPORT_EXTENSION: Record<ExportFormat, string> = { csv: 'csv', hxl: 'hxl.csv', geojson: 'geojson' };

const PAGE = 1000;

/**
 * The incidents a caller may see that match the filter, newest first, a page at a time — the
 * incident list's own conditions (scope, filters, full text), read by a keyset scan over
 * (occurred_from, id), which needs no count per page.
 */
export async function* incidentPages(app: Mizan, principal: Principal, filter: IncidentFilter, pageSize = PAGE): AsyncGenerator<StoredIncident[]> {
  const levels = visibleLevels(principal);
  let after: { from: string; id: string } | null = null;
  for (;;) {
    const mark: { from: string; id: string } | null = after;
    const rows = await app.store.db
      .selectFrom('incidents')
      .select(['id', 'doc', 'occurred_from', 'visibility'])
      .where((eb) => {
        const conds = incidentConditions(eb, app.store.dialect, levels, filter);
        if (mark) conds.push(eb.or([eb('incidents.occurred_from', '<', mark.from), eb.and([eb('incidents.occurred_from', '=', mark.from), eb('incidents.id', '<', mark.id)])]));
        return eb.and(conds);
      })
      .orderBy('incidents.occurred_from', 'desc')
      .orderBy('incidents.id', 'desc')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    // Mediator-only records read in bulk are audited like any other read of them.
    const secret = rows.filter((r) => r.visibility === 'mediators').map((r) => r.id);
    if (secret.length > 0) await recordAudit(app, principal, 'export incidents', secret.join(','));
    yield rows.map((r) => JSON.parse(r.doc) as StoredIncident);
    const last = rows[rows.length - 1]!;
    after = { from: last.occurred_from, id: last.id };
    if (rows.length < pageSize) return;
  }
}

async function actorNames(app: Mizan, levels: readonly Visibility[]): Promise<Map<string, ActorInfo>> {
  const out = new Map<string, ActorInfo>();
  for (const r of await app.store.db.selectFrom('actors').select(['id', 'doc']).where('visibility', 'in', levels).execute()) {
    const doc = JSON.parse(r.doc) as { names?: unknown[]; kind?: string };
    const first = doc.names?.[0];
    const name = typeof first === 'string' ? first : typeof first === 'object' && first !== null && typeof (first as { name?: unknown }).name === 'string' ? (first as { name: string }).name : r.id;
    out.set(r.id, { name, ...(doc.kind ? { kind: doc.kind } : {}) });
  }
  return out;
}

const csv = (rows: readonly (readonly string[])[]): string => (rows.length === 0 ? '' : stringify(rows as string[][]));

/**
 * The export as text chunks (a page at a time), for the server to stream and the CLI to write.
 * CSV ends with the attribution as a comment line; HXL carries it in a note row above the header
 * (HXL readers skip rows above the header); GeoJSON as a top-level "attribution" member.
 */
export async function* exportIncidents(
  app: Mizan,
  principal: Principal,
  format: ExportFormat,
  filter: IncidentFilter,
  opts: { pageSize?: number; onCount?: (n: number) => void } = {},
): AsyncGenerator<string> {
  const names = await actorNames(app, visibleLevels(principal));
  let count = 0;
  switch (format) {
    case 'csv':
      yield csv([ACLED_EXPORT_HEADER]);
      for await (const page of incidentPages(app, principal, filter, opts.pageSize)) {
        count += page.length;
        yield csv(page.map((i) => acledCsvRow(i, names)));
        opts.onCount?.(count);
      }
      yield `# ${ATTRIBUTION_TEXT}\n`;
      break;
    case 'hxl':
      yield csv([[ATTRIBUTION_TEXT], HXL_HEADER, HXL_TAGS]);
      for await (const page of incidentPages(app, principal, filter, opts.pageSize)) {
        count += page.length;
        yield csv(page.map((i) => hxlRow(i, names)));
        opts.onCount?.(count);
      }
      break;
    case 'geojson':
      yield geojsonOpen();
      for await (const page of incidentPages(app, principal, filter, opts.pageSize)) {
        yield (count > 0 ? ',\n' : '') + page.map((i) => JSON.stringify(geojsonFeature(i, names))).join(',\n');
        count += page.length;
        opts.onCount?.(count);
      }
      yield geojsonClose({ generated_at: app.clock().toISOString(), count });
      break;
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}
