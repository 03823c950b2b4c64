import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Tables of the warning module. */
export interface WarningTables {
  /** Alerts issued by `mizan warning run`: each one also a `warning.alert` log entry (`log_index`). */
  alerts: {
    /** Deterministic (rule, subject, first event or day): the same alert is never stored twice. */
    id: string;
    rule: string;
    subject: string;
    visibility: string;
    as_of: string;
    /** The alert (src/warning/alerts.ts `WarningAlert`) as JSON. */
    doc: string;
    log_index: number;
    recorded_at: string;
    /** Webhook delivery: null (no webhook), 'sent', or 'failed: <why>'. Operational, not a record. */
    delivery: string | null;
  };
}

export function warningMigration(_dialect: DialectName): Migration {
  return {
    async up(_db: Kysely<unknown>) {
      // no tables yet (kept: applied databases list it)
    },
  };
}

export function alertsMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('delivery', 'text')
        .execute();
      await db.schema.createIndex('alerts_as_of').on('alerts').column('as_of').execute();
    },
  };
}
