import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Tables of the monitors module. Identities live only in `monitors.identity_enc` (AES-256-GCM)
 * and `monitors.phone_hmac` (lookup); erasure sets both to null and deletes the log salt.
 */
export interface MonitorsTables {
  monitors: {
    id: string;
    pseudonym: string;
    /** The profile (no identity) as JSON. */
    doc: string;
    zone: string;
    status: string;
    user_name: string | null;
    phone_hmac: string | null;
    identity_enc: Buffer | null;
    identity_log_index: number | null;
    opted_out: number;
    log_index: number;
    recorded_at: string;
  };
  monitor_reports: {
    id: string;
    number: number;
    monitor_id: string;
    channel: string;
    visibility: string;
    status: string;
    doc: string;
    supersedes: string | null;
    idempotency_key: string | null;
    message_id: string | null;
    incident_id: string | null;
    log_index: number;
    recorded_at: string;
  };
  monitor_links: {
    id: string;
    report_id: string;
    incident_id: string;
    score: number;
    explanation: string;
    status: string;
    decided_by: string | null;
    visibility: string;
    log_index: number;
    recorded_at: string;
  };
  monitor_assessments: { id: string; monitor_id: string; report_id: string; outcome: string; note: string | null; log_index: number; recorded_at: string };
  monitor_outbox: {
    id: string;
    monitor_id: string | null;
    kind: string;
    lang: string;
    text: string;
    status: string;
    report_id: string | null;
    created_at: string;
    updated_at: string;
  };
  monitor_inbound: { message_id: string; received_at: string };
}

export function monitorsMigration(dialect: DialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('monitors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pseudonym', 'text', (c) => c.notNull())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text')
        .addColumn('phone_hmac', 'text', (c) => c.unique())
        .addColumn('identity_enc', bytes)
        .addColumn('identity_log_index', 'integer')
        .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('monitor_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'integer', (c) => c.notNull().unique())
        .addColumn('monitor_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('supersedes', 'text')
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('message_id', 'text', (c) => c.unique())
        .addColumn('incident_id', 'text')
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('monitor_reports_monitor').on('monitor_reports').column('monitor_id').execute();
      await db.schema
        .createTable('monitor_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('explanation', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('monitor_links_report').on('monitor_links').column('report_id').execute();
      await db.schema
        .createTable('monitor_assessments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('monitor_id', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('monitor_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('monitor_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('lang', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('monitor_inbound').addColumn('message_id', 'text', (c) => c.primaryKey()).addColumn('received_at', 'text', (c) => c.notNull()).execute();
    },
  };
}
