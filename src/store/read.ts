import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { Visibility } from '../domain/common.js';
import { MizanError } from '../domain/errors.js';
import type { Database, RecordTable } from './schema.js';
import type { Db } from './store.js';
import type { DialectName } from './dialect.js';

export interface Page<T> {
  readonly items: T[];
  readonly next_cursor: string | null;
  readonly total: number;
  /** Set when `total` is a lower bound: the count stopped at the cap (see INCIDENT_COUNT_CAP). */
  readonly total_capped?: boolean;
}

/**
 * The incident list counts at most this many matches. A full count reads every matching index
 * entry on every page: at a million incidents that was most of each request (70 ms to 1.1 s),
 * while the page itself reads only its rows. Past the cap, `total` is a lower bound.
 */
export const INCIDENT_COUNT_CAP = 10_000;

export interface IncidentFilter {
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  country?: string | undefined;
  admin1?: string | undefined;
  event_type?: string | undefined;
  actor?: string | undefined;
}

/** Cursors are opaque to callers; inside they are the sort key of the last item returned. */
function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2) return v;
  } catch {
    // fall through: the cursor came from outside and is not ours
  }
  throw new MizanError('VALIDATION_FAILED', 'cursor is not one this server issued', [{ path: ['cursor'], code: 'invalid_cursor', message: 'is not a cursor this server issued' }]);
}

/**
 * Full-text query as FTS5 / tsquery input. Every word becomes a quoted prefix term, so operators
 * typed by a caller (NEAR, *, quotes, parentheses) are searched for as text, never interpreted.
 */
export function searchTerms(q: string): string[] {
  return q
    .normalize('NFKC')
    .split(/[\s"'()*:^{}[\]\-+,.;!?&|<>~\\/]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16);
}

function matchingIncidentIds(eb: ExpressionBuilder<Database, 'incidents'>, dialect: DialectName, q: string, levels: Visibility[]): Expression<SqlBool> {
  const terms = searchTerms(q);
  if (terms.length === 0) return sql<SqlBool>`1 = 1`;
  if (dialect === 'sqlite') {
    const match = terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' ');
    const docs = sql`SELECT incident_id FROM search_fts WHERE search_fts MATCH ${match} AND visibility IN (${sql.join(levels)}) AND incident_id IS NOT NULL`;
    const actors = sql`SELECT ia.incident_id FROM incident_actors ia WHERE ia.actor_id IN (SELECT record_id FROM search_fts WHERE search_fts MATCH ${match} AND kind = 'actor')`;
    return eb.or([sql<SqlBool>`incidents.id IN (${docs})`, sql<SqlBool>`incidents.id IN (${actors})`]);
  }
  const tsq = terms.map((t) => `${t.replace(/[^\p{L}\p{N}_]/gu, '')}:*`).filter((t) => t !== ':*').join(' & ');
  if (tsq === '') return sql<SqlBool>`1 = 1`;
  const docs = sql`SELECT incident_id FROM search_docs WHERE tsv @@ to_tsquery('simple', ${tsq}) AND visibility IN (${sql.join(levels)}) AND incident_id IS NOT NULL`;
  const actors = sql`SELECT ia.incident_id FROM incident_actors ia WHERE ia.actor_id IN (SELECT record_id FROM search_docs WHERE tsv @@ to_tsquery('simple', ${tsq}) AND kind = 'actor')`;
  return eb.or([sql<SqlBool>`incidents.id IN (${docs})`, sql<SqlBool>`incidents.id IN (${actors})`]);
}

/** The incident list's filters and scope, shared by every query that lists incidents (list, exports). */
export function incidentConditions(eb: ExpressionBuilder<Database, 'incidents'>, dialect: DialectName, levels: Visibility[], filter: IncidentFilter): Expression<SqlBool>[] {
  const conds: Expression<SqlBool>[] = [eb('incidents.visibility', 'in', levels)];
  // Interval overlap with [from, to): an incident counts when any instant of it lies inside.
  if (filter.from) conds.push(eb('incidents.occurred_to', '>', new Date(filter.from).toISOString()));
  if (filter.to) conds.push(eb('incidents.occurred_from', '<', new Date(filter.to).toISOString()));
  if (filter.country) conds.push(eb('incidents.country', '=', filter.country));
  if (filter.admin1) conds.push(eb('incidents.admin1', '=', filter.admin1));
  if (filter.event_type) conds.push(eb('incidents.event_type', '=', filter.event_type));
  if (filter.actor) conds.push(eb('incidents.id', 'in', eb.selectFrom('incident_actors').select('incident_id').where('actor_id', '=', filter.actor)));
  if (filter.q) conds.push(matchingIncidentIds(eb, dialect, filter.q, levels));
  return conds;
}

export async function listIncidents(
  db: Db,
  dialect: DialectName,
  levels: Visibility[],
  filter: IncidentFilter,
  limit: number,
  cursor: string | undefined,
  countCap = INCIDENT_COUNT_CAP,
): Promise<Page<unknown>> {
  const base = db.selectFrom('incidents').where((eb) => eb.and(incidentConditions(eb, dialect, levels, filter)));
  const matches = base.select(sql<number>`1`.as('one')).limit(countCap + 1).as('matches');
  const totalRow = await db.selectFrom(matches).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const counted = Number(totalRow.n);
  let page = base.select(['incidents.doc', 'incidents.id', 'incidents.occurred_from']);
  if (cursor) {
    const [from, id] = decodeCursor(cursor) as [string, string];
    page = page.where((eb) => eb.or([eb('incidents.occurred_from', '<', from), eb.and([eb('incidents.occurred_from', '=', from), eb('incidents.id', '<', id)])]));
  }
  const rows = await page.orderBy('incidents.occurred_from', 'desc').orderBy('incidents.id', 'desc').limit(limit + 1).execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => JSON.parse(r.doc) as unknown),
    next_cursor: more && last ? encodeCursor([last.occurred_from, last.id]) : null,
    total: Math.min(counted, countCap),
    ...(counted > countCap ? { total_capped: true } : {}),
  };
}

/** Generic list for the smaller record tables, in insertion order, with an optional column filter. */
export async function listRecords(
  db: Db,
  table: RecordTable,
  levels: Visibility[],
  limit: number,
  cursor: string | undefined,
  where: Record<string, string> = {},
): Promise<Page<unknown>> {
  const base = db.selectFrom(table as 'parties').where((eb) => {
    const conds: Expression<SqlBool>[] = [eb('visibility', 'in', levels)];
    for (const [col, val] of Object.entries(where)) conds.push(eb(col as 'id', '=', val));
    return eb.and(conds);
  });
  const totalRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let page = base.select(['doc', 'log_index']);
  if (cursor) {
    const [seq] = decodeCursor(cursor) as [number];
    if (typeof seq !== 'number') throw new MizanError('VALIDATION_FAILED', 'cursor is not one this server issued', [{ path: ['cursor'], code: 'invalid_cursor', message: 'is not a cursor this server issued' }]);
    page = page.where('log_index', '>', seq);
  }
  const rows = await page.orderBy('log_index', 'asc').limit(limit + 1).execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => JSON.parse(r.doc) as unknown), next_cursor: more && last ? encodeCursor([last.log_index, 0]) : null, total: Number(totalRow.n) };
}

export async function getRecord(db: Db, table: RecordTable, id: string, levels: Visibility[]): Promise<Record<string, unknown> | null> {
  const row = await db
    .selectFrom(table as 'parties')
    .select('doc')
    .where('id', '=', id)
    .where('visibility', 'in', levels)
    .executeTakeFirst();
  return row ? (JSON.parse(row.doc) as Record<string, unknown>) : null;
}

/** Which of `ids` exist in `table` (regardless of visibility: reference checks are not reads), with a party's kind or an incident's visibility as the value. */
export async function existingIds(db: Db, table: RecordTable, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (table === 'parties') {
      for (const r of await db.selectFrom('parties').select(['id', 'kind']).where('id', 'in', chunk).execute()) out.set(r.id, r.kind);
    } else if (table === 'incidents') {
      for (const r of await db.selectFrom('incidents').select(['id', 'visibility']).where('id', 'in', chunk).execute()) out.set(r.id, r.visibility);
    } else {
      for (const r of await db.selectFrom(table as 'actors').select('id').where('id', 'in', chunk).execute()) out.set(r.id, r.id);
    }
  }
  return out;
}

export type { Database };
