import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Columns the threat module's record tables share (as every record table: the record as JSON plus its log entry). */
interface ThreatRecordRow {
  id: string;
  visibility: string;
  doc: string;
  log_index: number;
  recorded_at: string;
}

/** Tables of the threat module: reference designations, same-as links, joint-definition proposals, responses, annexes. */
export interface ThreatTables {
  threat_references: ThreatRecordRow & { actor_id: string; list_name: string };
  /** `active` is 1 until a later statement undoes the link; the link and its undoing are both log entries. */
  threat_same_as: ThreatRecordRow & { actor_a: string; actor_b: string; active: number };
  threat_proposals: ThreatRecordRow;
  threat_responses: ThreatRecordRow & { proposal_id: string; by_party: string };
  threat_annexes: ThreatRecordRow & { proposal_id: string; agreement_id: string };
}

export function threatMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const recordTable = (name: string) =>
        db.schema
          .createTable(name)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('visibility', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('log_index', 'integer', (c) => c.notNull().unique())
          .addColumn('recorded_at', 'text', (c) => c.notNull());
      await recordTable('threat_references').addColumn('actor_id', 'text', (c) => c.notNull()).addColumn('list_name', 'text', (c) => c.notNull()).execute();
      await recordTable('threat_same_as')
        .addColumn('actor_a', 'text', (c) => c.notNull())
        .addColumn('actor_b', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .execute();
      await recordTable('threat_proposals').execute();
      await recordTable('threat_responses').addColumn('proposal_id', 'text', (c) => c.notNull()).addColumn('by_party', 'text', (c) => c.notNull()).execute();
      await recordTable('threat_annexes').addColumn('proposal_id', 'text', (c) => c.notNull()).addColumn('agreement_id', 'text', (c) => c.notNull()).execute();
      await db.schema.createIndex('threat_references_actor').on('threat_references').column('actor_id').execute();
      await db.schema.createIndex('threat_responses_proposal').on('threat_responses').column('proposal_id').execute();
      await db.schema.createIndex('threat_annexes_agreement').on('threat_annexes').column('agreement_id').execute();
    },
  };
}
