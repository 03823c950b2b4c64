import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Evidence files (the bytes live under `<dataDir>/evidence/<sha256>`; the row and its log entry
 * are written in one transaction) and party webhooks with their delivery outcomes.
 */
export interface EvidenceTables {
  evidence: {
    sha256: string;
    size: number;
    media_type: string;
    filename: string | null;
    party: string | null;
    uploaded_by: string;
    log_index: number;
    recorded_at: string;
  };
  /** One webhook per party. The secret signs deliveries and is never returned by the API. */
  party_webhooks: { party: string; url: string; secret: string; set_by: string; set_at: string };
  /** One row per notification sent to a webhook: the outbox and its outcome, for admins to read. */
  webhook_deliveries: {
    notification_id: string;
    party: string;
    url: string;
    status: string;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    next_attempt_at: string | null;
    created_at: string;
    delivered_at: string | null;
  };
}

export function evidenceMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('evidence')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('filename', 'text')
        .addColumn('party', 'text')
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('log_index', 'integer', (c) => c.notNull().unique())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('party_webhooks')
        .addColumn('party', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('set_by', 'text', (c) => c.notNull())
        .addColumn('set_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('notification_id', 'text', (c) => c.primaryKey())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .execute();
      await db.schema.createIndex('webhook_deliveries_party').on('webhook_deliveries').columns(['party', 'created_at']).execute();
      await db.schema.createIndex('webhook_deliveries_status').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  };
}
