import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Visibility } from '../domain/common.js';
import { MizanError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import type { ImportFormat, MappedActor, MappedIncident, QualityFlag, RejectReason, RowRejection, SourceRows } from '../intake/index.js';
import { fieldIssue, mapRow, reject, resolveOccurredCached } from '../intake/index.js';
import { canonicalJson } from '../ledger/index.js';
import { visibleLevels } from '../store/scope.js';
import { applyScenario, buildIncident, nameKey } from './apply.js';
import type { Mizan } from './mizan.js';
import type { PlacesPort } from './ports.js';
import type { WriteSession } from './session.js';

export interface ImportProgress {
  readonly rows: number;
  readonly imported: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
}

export interface ImportOptions {
  readonly format: ImportFormat;
  /** Import the valid rows and report the others; by default one bad row means nothing is written. */
  readonly skipInvalid?: boolean;
  /** Every rejected row with its values in header order (the CLI writes them to the rejects CSV). */
  readonly onReject?: (rejection: RowRejection, values: readonly string[]) => void | Promise<void>;
  /** Called every `progressEvery` rows and once at the end of reading. */
  readonly onProgress?: (p: ImportProgress) => void;
  readonly progressEvery?: number;
  /** Rows looked up in the store together (one query per batch, not per row). */
  readonly batchSize?: number;
  /** Queued rows are written every this many rows, inside the one transaction, to bound memory. */
  readonly flushEvery?: number;
  /** How many rejections the summary and the error list one by one; counts are always complete. */
  readonly maxListed?: number;
}

export interface ImportSummary {
  readonly format: ImportFormat;
  /** Data rows read (the header, HDX's hashtag row and comment lines not counted). */
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejected_by_reason: Partial<Record<RejectReason, number>>;
  /** The first `maxListed` rejections, in file order. */
  rejections: RowRejection[];
  actors_created: number;
  /** Rows kept with a data-quality flag, by flag. */
  quality: Partial<Record<QualityFlag, number>>;
  hxl_row_skipped: boolean;
  /** Entries this import appended to the log (one per record written). */
  log_entries: number;
  committed: boolean;
}

/** An import that wrote nothing because rows were invalid; carries the complete summary. */
export class ImportRejectedError extends MizanError {
  constructor(readonly summary: ImportSummary) {
    const reasons = Object.entries(summary.rejected_by_reason).map(([r, n]) => `${n} ${r}`).join(', ');
    super(
      'VALIDATION_FAILED',
      `nothing was imported: ${summary.rejected} of ${summary.rows} rows are invalid (${reasons}); fix them, or import the valid rows with --skip-invalid (skip_invalid=true)`,
      summary.rejections.map(fieldIssue),
    );
    this.name = 'ImportRejectedError';
  }
}

/** The incident as stored by an import: the model plus published figures, flags and provenance. */
export type ImportedIncident = Omit<Incident, 'log_index' | 'fatalities'> & {
  readonly fatalities: MappedIncident['fatalities'];
  readonly quality?: readonly QualityFlag[];
  readonly origin: MappedIncident['origin'];
  readonly supersedes?: number;
};

/**
 * Import ACLED or UCDP rows in one transaction: one log entry per record written, rows flushed
 * every `flushEvery` so that memory stays flat. A row whose stable id (acled:<event_id_cnty>,
 * ucdp:<id>) already exists updates that incident with an `incident.update` entry that names the
 * entry it supersedes; an identical row changes nothing.
 */
export async function importIncidents(app: Mizan, principal: Principal, rows: SourceRows, opts: ImportOptions): Promise<ImportSummary> {
  authorize(principal, 'import');
  const levels = visibleLevels(principal);
  const batchSize = opts.batchSize ?? 1000;
  const flushEvery = opts.flushEvery ?? 10_000;
  const progressEvery = opts.progressEvery ?? 1000;
  const maxListed = opts.maxListed ?? 100;
  const places = app.places ? cachedPlaces(app.places) : null;
  const summary: ImportSummary = {
    format: opts.format,
    rows: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejected_by_reason: {},
    rejections: [],
    actors_created: 0,
    quality: {},
    hxl_row_skipped: false,
    log_entries: 0,
    committed: false,
  };
  const progress = () => opts.onProgress?.({ rows: summary.rows, imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected });

  const header = rows.header.columns.filter((c) => c !== '');
  const valuesOf = (record: Readonly<Record<string, string>>) => header.map((c) => record[c] ?? '');

  // The connection's own page-cache size (better-sqlite3 builds with 16 MiB, not SQLite's 2 MiB),
  // restored after the import so that a server's later reads are not left with a smaller cache.
  const cacheBefore = app.store.dialect === 'sqlite' ? await sqliteCacheSize(app) : null;
  let failed = false;
  const onRejected = async (r: RowRejection, values: readonly string[]) => {
    summary.rejected++;
    summary.rejected_by_reason[r.reason] = (summary.rejected_by_reason[r.reason] ?? 0) + 1;
    if (summary.rejections.length < maxListed) summary.rejections.push(r);
    if (!opts.skipInvalid) failed = true;
    await opts.onReject?.(r, values);
  };

  try {
    await app.write(principal, async (w) => {
      const writer = await IncidentWriter.open(w, app.store.dialect, places, levels, summary, onRejected);
      const seen = new Set<string>();
      let batch: { m: MappedIncident; values: readonly string[] }[] = [];
      let sinceFlush = 0;
      for await (const item of rows) {
        summary.rows++;
        if (summary.rows % progressEvery === 0) progress();
        if (item.kind === 'rejected') {
          await onRejected(item.rejection, item.values);
          continue;
        }
        const m = mapRow(opts.format, item.record, item.line, rows.header.fromMizan);
        if (!('id' in m)) {
          await onRejected(m, valuesOf(item.record));
          continue;
        }
        const own = writer.check(m);
        if (own) {
          await onRejected(own, valuesOf(item.record));
          continue;
        }
        if (seen.has(m.id)) {
          await onRejected(reject(m.line, 'duplicate_id', null, `${m.id} appears earlier in the file`), valuesOf(item.record));
          continue;
        }
        seen.add(m.id);
        // After the first invalid row of an all-or-nothing import, rows are only checked, not written.
        if (failed) continue;
        batch.push({ m, values: valuesOf(item.record) });
        if (batch.length >= batchSize) {
          await writer.write(batch);
          sinceFlush += batch.length;
          batch = [];
          if (sinceFlush >= flushEvery) {
            await w.flush();
            sinceFlush = 0;
          }
        }
      }
      summary.hxl_row_skipped = rows.stats.hxlRowSkipped;
      progress();
      if (!failed) await writer.write(batch);
      if (failed) throw new ImportRejectedError(summary);
      await writer.finish();
      summary.log_entries = w.log.nextIndex() - writer.startIndex;
    });
  } catch (e) {
    if (e instanceof ImportRejectedError) throw new ImportRejectedError({ ...summary, imported: 0, updated: 0, unchanged: 0, actors_created: 0, quality: {}, log_entries: 0 });
    throw e;
  } finally {
    if (cacheBefore !== null) await sql.raw(`PRAGMA cache_size = ${cacheBefore}`).execute(app.store.db);
  }
  summary.committed = true;
  return summary;
}

/** SQLite page cache during an import (256 MiB); afterwards the connection gets its own back. */
const SQLITE_IMPORT_CACHE = -262_144;

async function sqliteCacheSize(app: Mizan): Promise<number> {
  const r = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(app.store.db);
  const n = Number(r.rows[0]?.cache_size);
  return Number.isInteger(n) ? n : -2000;
}

interface Existing {
  readonly visibility: string;
  readonly log_index: number;
  readonly doc: string;
}

/** Writes mapped rows through the session: actors matched by normalised name from a cache, existing ids looked up per batch. */
class IncidentWriter {
  private constructor(
    private readonly w: WriteSession,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly places: PlacesPort | null,
    private readonly levels: readonly Visibility[],
    private readonly summary: ImportSummary,
    private readonly onRejected: (r: RowRejection, values: readonly string[]) => Promise<void>,
    private readonly actorByKey: Map<string, string>,
    private readonly takenIds: Set<string>,
    private readonly sourceIds: Set<string>,
    readonly startIndex: number,
    private readonly searchRowidBefore: number,
  ) {}

  static async open(
    w: WriteSession,
    dialect: 'sqlite' | 'postgres',
    places: PlacesPort | null,
    levels: readonly Visibility[],
    summary: ImportSummary,
    onRejected: (r: RowRejection, values: readonly string[]) => Promise<void>,
  ): Promise<IncidentWriter> {
    const tx = w.tx;
    const actorByKey = new Map<string, string>();
    for (const r of await tx.selectFrom('actor_names').select(['actor_id', 'norm']).orderBy('actor_id').execute()) if (!actorByKey.has(r.norm)) actorByKey.set(r.norm, r.actor_id);
    // Parties, actors and sources share one id space.
    const takenIds = new Set<string>();
    for (const t of ['parties', 'actors', 'sources'] as const) for (const r of await tx.selectFrom(t).select('id').execute()) takenIds.add(r.id);
    const sourceIds = new Set((await tx.selectFrom('sources').select('id').execute()).map((r) => r.id));
    let searchRowidBefore = 0;
    if (dialect === 'sqlite') {
      // A long transaction spills dirty pages to the WAL when the page cache (16 MiB by default here) is
      // full, and writes hot index pages again and again; give this connection room while it imports.
      await sql.raw(`PRAGMA cache_size = ${SQLITE_IMPORT_CACHE}`).execute(tx);
      const row = await sql<{ m: number | null }>`SELECT max(rowid) AS m FROM search_fts`.execute(tx);
      searchRowidBefore = Number(row.rows[0]?.m ?? 0);
      await sql`CREATE TEMP TABLE IF NOT EXISTS mizan_import_updated (id TEXT PRIMARY KEY)`.execute(tx);
      await sql`DELETE FROM temp.mizan_import_updated`.execute(tx);
    }
    return new IncidentWriter(w, dialect, places, levels, summary, onRejected, actorByKey, takenIds, sourceIds, w.log.nextIndex(), searchRowidBefore);
  }

  /** Checks that need the caller and the store's reference data but no per-row query. */
  check(m: MappedIncident): RowRejection | null {
    const v = m.core.visibility ?? 'public';
    if (!this.levels.includes(v)) return reject(m.line, 'visibility_not_allowed', 'mizan_visibility', `you may not write records with visibility ${v}`);
    const unknown = m.sources.find((s) => !this.sourceIds.has(s));
    if (unknown) return reject(m.line, 'unknown_source', 'mizan_sources', `no source ${JSON.stringify(unknown)} exists`);
    return null;
  }

  async write(batch: readonly { m: MappedIncident; values: readonly string[] }[]): Promise<void> {
    if (batch.length === 0) return;
    const tx = this.w.tx;
    const existing = new Map<string, Existing>();
    const ids = [...new Set(batch.flatMap((b) => (b.m.native ? [b.m.id, b.m.native] : [b.m.id])))];
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await tx.selectFrom('incidents').select(['id', 'visibility', 'log_index', 'doc']).where('id', 'in', ids.slice(i, i + 500)).execute()) existing.set(r.id, r);
    }
    const writes: { incident: ImportedIncident; previous: Existing | undefined }[] = [];
    for (const { m, values } of batch) {
      const native = m.native ? existing.get(m.native) : undefined;
      if (m.native && native) {
        // A record filed in Mizan itself, exported and read back: the same is unchanged; imports never change it.
        if (this.levels.includes(native.visibility as Visibility) && sameContent(native.doc, { ...this.build(m), id: m.native }, NATIVE_IGNORED)) this.summary.unchanged++;
        else await this.onRejected(reject(m.line, 'id_in_use', 'mizan_id', `${m.native} is a record filed in Mizan; an import cannot change it`), values);
        continue;
      }
      const ex = existing.get(m.id);
      // The id belongs to a record this caller cannot see: refuse rather than overwrite it.
      if (ex && !this.levels.includes(ex.visibility as Visibility)) {
        await this.onRejected(reject(m.line, 'id_in_use', null, `${m.id} is already used by a record you cannot update`), values);
        continue;
      }
      const incident = this.build(m);
      if (ex && sameContent(ex.doc, incident)) {
        this.summary.unchanged++;
        continue;
      }
      writes.push({ incident, previous: ex });
    }
    const replaced = writes.filter((x) => x.previous).map((x) => x.incident.id);
    if (replaced.length > 0) await this.removeRows(replaced);
    for (const { incident, previous } of writes) {
      const body = previous ? { ...incident, supersedes: previous.log_index } : incident;
      this.w.record('incidents', previous ? 'incident.update' : 'incident', incident.id, body, incident.visibility, {
        occurred_from: incident.occurred.from,
        occurred_to: incident.occurred.to,
        country: incident.location.country,
        admin1: incident.location.admin1 ?? null,
        admin2: incident.location.admin2 ?? null,
        event_type: incident.event_type,
      });
      for (const a of incident.actors) this.w.queue('incident_actors', { incident_id: incident.id, actor_id: a.actor, role: a.role });
      const loc = incident.location;
      this.w.queue('search_docs', {
        kind: 'incident',
        record_id: incident.id,
        incident_id: incident.id,
        visibility: incident.visibility,
        text: [incident.title, loc.place, loc.admin2, loc.admin1, incident.event_type, incident.sub_event_type, incident.notes].filter(Boolean).join(' '),
      });
      for (const q of incident.quality ?? []) this.summary.quality[q] = (this.summary.quality[q] ?? 0) + 1;
      if (previous) this.summary.updated++;
      else this.summary.imported++;
    }
  }

  /** The rows of incidents about to be rewritten; the log keeps their old entries. */
  private async removeRows(ids: readonly string[]): Promise<void> {
    const tx = this.w.tx;
    await tx.deleteFrom('incidents').where('id', 'in', ids).execute();
    await tx.deleteFrom('incident_actors').where('incident_id', 'in', ids).execute();
    if (this.dialect === 'postgres') {
      await tx.deleteFrom('search_docs').where('kind', '=', 'incident').where('record_id', 'in', ids).execute();
    } else {
      // search_fts has no index on record_id: collect the ids and delete their old rows in one pass at the end.
      for (let i = 0; i < ids.length; i += 500) {
        await sql`INSERT OR IGNORE INTO temp.mizan_import_updated (id) VALUES ${sql.join(ids.slice(i, i + 500).map((id) => sql`(${id})`))}`.execute(tx);
      }
    }
  }

  async finish(): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    // New search rows all have rowids above the mark taken at the start, so only old ones go.
    await sql`DELETE FROM search_fts WHERE rowid <= ${this.searchRowidBefore} AND kind = 'incident' AND record_id IN (SELECT id FROM temp.mizan_import_updated)`.execute(this.w.tx);
    await sql`DROP TABLE IF EXISTS temp.mizan_import_updated`.execute(this.w.tx);
  }

  private build(m: MappedIncident): ImportedIncident {
    const actors = this.actorsFor(m.actors);
    // buildIncident gets the interval (cheap to resolve); the stated form is resolved once per distinct value.
    const occurred = resolveOccurredCached(m.core.occurred);
    const base = buildIncident({ ...m.core, occurred: { from: occurred.from, to: occurred.to }, actors, sources: [...m.sources] }, this.places, this.w);
    const loc = base.location;
    const quality = [...m.quality];
    if (loc.lat !== undefined && loc.computed_country !== loc.country) quality.push('outside_stated_country');
    return { ...base, occurred, fatalities: m.fatalities, ...(quality.length > 0 ? { quality } : {}), origin: m.origin };
  }

  private actorsFor(list: readonly MappedActor[]): { actor: string; role: 'perpetrator' | 'target' }[] {
    const out: { actor: string; role: 'perpetrator' | 'target' }[] = [];
    const seen = new Set<string>();
    for (const a of list) {
      const key = nameKey(a.name);
      if (key === '') continue;
      let id = this.actorByKey.get(key);
      if (id === undefined) {
        id = newActorId(key, this.takenIds);
        applyScenario(this.w, { actors: [{ id, names: [a.name], kind: a.kind, controlled_by: null }] }, null);
        this.actorByKey.set(key, id);
        this.takenIds.add(id);
        this.summary.actors_created++;
      }
      const k = `${id}\u0000${a.role}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ actor: id, role: a.role });
    }
    return out;
  }
}

/** A readable id from the name (`actor-government-of-pakistan`), or a hash for names in other scripts. */
export function newActorId(key: string, taken: ReadonlySet<string>): string {
  const slug = key.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 10);
  const plain = slug ? `actor-${slug}` : `actor-${hash}`;
  if (!taken.has(plain)) return plain;
  const hashed = slug ? `actor-${slug}-${hash}` : `actor-${hash}-x`;
  if (!taken.has(hashed)) return hashed;
  for (let i = 2; ; i++) if (!taken.has(`${hashed}-${i}`)) return `${hashed}-${i}`;
}

const BOOKKEEPING = new Set(['recorded_at', 'recorded_by', 'log_index', 'supersedes']);
/** What an import adds that a record filed in Mizan does not have. */
const NATIVE_IGNORED = new Set([...BOOKKEEPING, 'origin', 'quality']);

/** Same incident apart from who recorded it when: re-importing an unchanged row writes nothing. */
function sameContent(storedDoc: string, incident: ImportedIncident, ignored: ReadonlySet<string> = BOOKKEEPING): boolean {
  const stored = JSON.parse(storedDoc) as Record<string, unknown>;
  const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k, v]) => !ignored.has(k) && v !== undefined));
  // Compared canonically: key order differs, e.g. when an admin unit filled in from the point is stated on re-import.
  return canonicalJson(strip(stored)) === canonicalJson(strip(JSON.parse(JSON.stringify(incident)) as Record<string, unknown>));
}

/**
 * Point facts and place lookups are pure functions of their arguments; source files repeat the
 * same coordinates (admin centroids, towns) many times, so an import remembers them.
 */
export function cachedPlaces(places: PlacesPort, max = 100_000): PlacesPort {
  const facts = new Map<string, ReturnType<PlacesPort['pointFacts']>>();
  const resolved = new Map<string, ReturnType<PlacesPort['resolvePlace']>>();
  return {
    pointFacts(lat, lon) {
      const k = `${lat},${lon}`;
      let f = facts.get(k);
      if (f === undefined) {
        if (facts.size >= max) facts.clear();
        f = places.pointFacts(lat, lon);
        facts.set(k, f);
      }
      return f;
    },
    resolvePlace(name, country) {
      const k = `${name}\u0000${country ?? ''}`;
      if (resolved.has(k)) return resolved.get(k)!;
      if (resolved.size >= max) resolved.clear();
      const r = places.resolvePlace(name, country);
      resolved.set(k, r);
      return r;
    },
  };
}
