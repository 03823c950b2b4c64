import { notFound } from '../domain/errors.js';
import { recordAudit } from './accounts.js';
import type { Principal } from '../domain/principal.js';
import type { LogService } from '../store/log-store.js';
import type { IncidentFilter, Page } from '../store/read.js';
import { getRecord, listIncidents, listRecords } from '../store/read.js';
import type { RecordTable } from '../store/schema.js';
import { visibleLevels } from '../store/scope.js';
import type { Store } from '../store/store.js';
import type { Clock, PlacesPort } from './ports.js';
import { WriteSession } from './session.js';

const SINGULAR: Record<RecordTable, string> = {
  allegations: 'allegation',
  parties: 'party',
  actors: 'actor',
  relations: 'relation',
  sources: 'source',
  agreements: 'agreement',
  amendments: 'amendment',
  incidents: 'incident',
  claims: 'claim',
  designations: 'designation',
};

/**
 * The application: the store, its log and the places module, wired once per executable.
 * Use cases (records.ts and later modules) take it plus who is acting.
 */
export class Mizan {
  /** Wired by the composition root once the assessment engine is loaded; rows for the cited incidents. */
  assessIncidents: ((incidentIds: readonly string[], agreementId?: string) => Promise<unknown[]>) | null = null;
  /** Background work (webhook deliveries) that must stop before the store closes under it. */
  private readonly beforeClose: (() => Promise<void>)[] = [];

  constructor(
    readonly store: Store,
    readonly log: LogService,
    readonly places: PlacesPort | null,
    readonly clock: Clock = () => new Date(),
  ) {}

  /**
   * One transaction: the log entries and the table rows commit together or not at all.
   * Inside `fn`, read through `w.tx` only: on SQLite the transaction holds the one connection,
   * so a query through `store.db` would wait for it forever.
   */
  async write<T>(principal: Principal, fn: (w: WriteSession) => T | Promise<T>): Promise<T> {
    const result = await this.store.transaction(async (tx) => {
      const appender = await this.log.begin(tx);
      const session = new WriteSession(tx, appender, principal, this.clock(), this.store.dialect === 'sqlite' ? 'search_fts' : 'search_docs');
      const value = await fn(session);
      await session.flush();
      return value;
    });
    this.log.afterCommit();
    return result;
  }

  async get(p: Principal, table: RecordTable, id: string): Promise<Record<string, unknown>> {
    const rec = await getRecord(this.store.db, table, id, visibleLevels(p));
    if (!rec) throw notFound(SINGULAR[table], id);
    if (rec.visibility === 'mediators') await recordAudit(this, p, `read ${SINGULAR[table]}`, id);
    return rec;
  }

  async list(p: Principal, table: RecordTable, limit: number, cursor?: string, where: Record<string, string> = {}): Promise<Page<unknown>> {
    return this.audited(p, table, await listRecords(this.store.db, table, visibleLevels(p), limit, cursor, where));
  }

  async listIncidents(p: Principal, filter: IncidentFilter, limit: number, cursor?: string): Promise<Page<unknown>> {
    return this.audited(p, 'incidents', await listIncidents(this.store.db, this.store.dialect, visibleLevels(p), filter, limit, cursor));
  }

  /** Every read of mediator-only records is recorded: who, which records, when. */
  private async audited(p: Principal, table: RecordTable, page: Page<unknown>): Promise<Page<unknown>> {
    const secret = page.items.filter((i) => (i as { visibility?: string }).visibility === 'mediators').map((i) => (i as { id: string }).id);
    if (secret.length > 0) await recordAudit(this, p, `list ${table}`, secret.join(','));
    return page;
  }

  onClose(stop: () => Promise<void>): void {
    this.beforeClose.push(stop);
  }

  async close(): Promise<void> {
    for (const stop of this.beforeClose.splice(0)) await stop();
    await this.log.close();
    await this.store.close();
  }
}
