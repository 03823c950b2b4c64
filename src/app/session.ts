import type { Visibility } from '../domain/common.js';
import type { Principal } from '../domain/principal.js';
import type { LogAppender, StatementAuthor } from '../store/log-store.js';
import type { Database, RecordTable } from '../store/schema.js';

/** Module tables with the record columns (id, visibility, doc, log_index, recorded_at). */
type RecordLikeTable = 'threat_references' | 'threat_same_as' | 'threat_proposals' | 'threat_responses' | 'threat_annexes';
import type { Tx } from '../store/store.js';
import { insertChunked } from '../store/store.js';

/**
 * One write: every record it adds gets its log entry and its rows, buffered and inserted together
 * at `flush`, inside the caller's transaction. Nothing reaches the tables without a log entry.
 */
export class WriteSession {
  private readonly rows = new Map<keyof Database, Record<string, unknown>[]>();
  readonly recordedAt: string;
  /** A party-signed entry to use for the next record instead of an operator-attested one. */
  presigned: { kind: string; entry: Uint8Array } | null = null;

  constructor(
    readonly tx: Tx,
    readonly log: LogAppender,
    readonly principal: Principal,
    now: Date,
    private readonly searchTable: 'search_docs' | 'search_fts',
  ) {
    this.recordedAt = now.toISOString();
  }

  get author(): StatementAuthor {
    const p = this.principal;
    // Entry headers are public even when the body is a commitment: a monitor's login would tie
    // every report's time and kind to a person, so monitors' entries name only the role.
    if (p.kind === 'user' && p.role === 'monitor') return { user: 'monitor' };
    if (p.kind === 'user') return p.party ? { user: p.name, party: p.party } : { user: p.name };
    return { user: p.kind };
  }

  /** Append the record's statement to the log and queue its row; returns the log index. */
  record(
    table: RecordTable | RecordLikeTable,
    kind: string,
    id: string,
    body: object,
    visibility: Visibility,
    columns: Record<string, unknown> = {},
  ): number {
    const presigned = this.presigned;
    if (presigned && presigned.kind !== kind) throw new Error(`a signed ${presigned.kind} statement cannot record a ${kind}`);
    this.presigned = null;
    const logIndex = this.log.append({ kind, recordId: id, body, visibility, author: this.author, at: this.recordedAt, ...(presigned ? { presigned: presigned.entry } : {}) });
    const doc = { ...body, visibility, recorded_at: this.recordedAt, log_index: logIndex };
    this.queue(table, { id, visibility, doc: JSON.stringify(doc), log_index: logIndex, recorded_at: this.recordedAt, ...columns });
    return logIndex;
  }

  /** A log entry whose rows the caller writes itself (genesis, keys, transitions, module tables). */
  statement(kind: string, body: object, visibility: Visibility = 'public', recordId: string | null = null): number {
    return this.log.append({ kind, recordId, body, visibility, author: this.author, at: this.recordedAt });
  }

  queue(table: keyof Database, row: Record<string, unknown>): void {
    if (table === 'search_docs') table = this.searchTable;
    let list = this.rows.get(table);
    if (!list) this.rows.set(table, (list = []));
    list.push(row);
  }

  async flush(): Promise<void> {
    for (const [table, rows] of this.rows) await insertChunked(this.tx, table, rows);
    this.rows.clear();
    await this.log.flush();
  }
}
