import type { Kysely, Migration } from 'kysely';

/**
 * Tables of extraction intake (issue 9 §2). A report extracted from a source is its own record,
 * holding its own claims; its links to incidents are rows of `monitor_links` (one link table for
 * every kind of report, so confirming and undoing work the same way for all of them).
 */
export interface IntakeTables {
  extract_reports: {
    id: string;
    source_id: string;
    visibility: string;
    /**
     * The matcher's last decision: linked | queued | new. The live state is the link rows in
     * `monitor_links` (a person's confirm or undo changes those, not this column).
     */
    status: string;
    /** The report as logged: candidate, claims, source. */
    doc: string;
    incident_id: string | null;
    log_index: number;
    recorded_at: string;
  };
  /** One row per ingested (text, source title): a second ingest of the same file is refused. */
  extract_ingests: {
    key: string;
    source_id: string;
    recorded_at: string;
  };
}

export function intakeMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('extract_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('log_index', 'integer', (c) => c.notNull().unique())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('extract_reports_source').on('extract_reports').column('source_id').execute();
      await db.schema.createIndex('extract_reports_incident').on('extract_reports').column('incident_id').execute();
      await db.schema
        .createTable('extract_ingests')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
