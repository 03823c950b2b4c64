import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator, sql } from 'kysely';
import { inspect } from 'node:util';
import type { DialectName } from './dialect.js';
import { intakeMigration } from './tables/intake.js';
import { monitorsMigration } from './tables/monitors.js';
import { threatMigration } from './tables/threat.js';
import { alertsMigration, warningMigration } from './tables/warning.js';
import { evidenceMigration } from './tables/evidence.js';

/** Migrations are code, shared by SQLite and PostgreSQL; only column types and search differ. */
function initial(dialect: DialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();

      const recordTable = (name: string) =>
        db.schema
          .createTable(name)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('visibility', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('log_index', 'integer', (c) => c.notNull().unique())
          .addColumn('recorded_at', 'text', (c) => c.notNull());

      await recordTable('parties').addColumn('kind', 'text', (c) => c.notNull()).execute();
      await recordTable('actors').execute();
      await recordTable('sources').execute();
      await recordTable('agreements').execute();
      await recordTable('relations').addColumn('actor_id', 'text', (c) => c.notNull()).execute();
      await recordTable('amendments').addColumn('agreement_id', 'text', (c) => c.notNull()).execute();
      await recordTable('incidents')
        .addColumn('occurred_from', 'text', (c) => c.notNull())
        .addColumn('occurred_to', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('admin1', 'text')
        .addColumn('admin2', 'text')
        .addColumn('event_type', 'text', (c) => c.notNull())
        .execute();
      await recordTable('claims')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .execute();
      await recordTable('designations')
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('by_party', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('actor_names')
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('norm', 'text', (c) => c.notNull())
        .addColumn('lang', 'text')
        .execute();
      await db.schema
        .createTable('incident_actors')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_actors_pk', ['incident_id', 'actor_id', 'role'])
        .execute();

      await db.schema.createIndex('incidents_occurred').on('incidents').columns(['occurred_from', 'id']).execute();
      await db.schema.createIndex('incidents_country').on('incidents').columns(['country', 'admin1']).execute();
      await db.schema.createIndex('incidents_event_type').on('incidents').column('event_type').execute();
      await db.schema.createIndex('incident_actors_actor').on('incident_actors').column('actor_id').execute();
      await db.schema.createIndex('claims_incident').on('claims').column('incident_id').execute();
      await db.schema.createIndex('designations_actor').on('designations').column('actor_id').execute();
      await db.schema.createIndex('relations_actor').on('relations').column('actor_id').execute();
      await db.schema.createIndex('amendments_agreement').on('amendments').column('agreement_id').execute();
      await db.schema.createIndex('actor_names_norm').on('actor_names').column('norm').execute();

      if (dialect === 'sqlite') {
        // Full text over incident titles, places, actor names and claim texts; diacritics folded.
        await sql`CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, record_id UNINDEXED, incident_id UNINDEXED, visibility UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
      } else {
        await db.schema
          .createTable('search_docs')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('incident_id', 'text')
          .addColumn('visibility', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('tsv', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`to_tsvector('simple', text)`).stored())
          .execute();
        await sql`CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv)`.execute(db);
        await sql`CREATE INDEX search_docs_record ON search_docs (record_id)`.execute(db);
      }

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('party', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .addColumn('sessions_valid_after', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('log_entries')
        .addColumn('idx', 'integer', (c) => c.primaryKey())
        .addColumn('leaf_hash', bytes, (c) => c.notNull())
        .addColumn('entry', bytes, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text')
        .execute();
      await db.schema
        .createTable('log_nodes')
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('hash', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('log_nodes_pk', ['level', 'idx'])
        .execute();
      await db.schema
        .createTable('log_salts')
        .addColumn('idx', 'integer', (c) => c.primaryKey())
        .addColumn('salt', bytes)
        .execute();
      await db.schema
        .createTable('log_checkpoints')
        .addColumn('size', 'integer', (c) => c.primaryKey())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('log_cosignatures')
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('witness', 'text', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('log_cosignatures_pk', ['size', 'witness'])
        .execute();
      await db.schema
        .createTable('party_keys')
        .addColumn('key_name', 'text', (c) => c.primaryKey())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('vkey', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('used_nonces')
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

function allegations(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('allegations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('log_index', 'integer', (c) => c.notNull().unique())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('agreement_id', 'text', (c) => c.notNull())
        .addColumn('by_party', 'text', (c) => c.notNull())
        .addColumn('against_party', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reply_deadline', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('allegations_state').on('allegations').columns(['state', 'reply_deadline']).execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('party', 'text')
        .addColumn('user_id', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema.createIndex('notifications_party').on('notifications').columns(['party', 'at']).execute();
    },
  };
}

function keyPurpose(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('party_keys').addColumn('purpose', 'text', (c) => c.notNull().defaultTo('signing')).execute();
      await db.schema.alterTable('party_keys').addColumn('log_index', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}

/**
 * The incident list counts what the caller may see and pages newest first. With visibility (and
 * the interval's end) inside the indexes, the count and the page read the index instead of every
 * row's JSON document, and a country or event-type filter pages in time order without sorting.
 */
function incidentListing(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('incidents_listing').on('incidents').columns(['occurred_from', 'id', 'visibility', 'occurred_to']).execute();
      await db.schema.dropIndex('incidents_occurred').execute();
      await db.schema.createIndex('incidents_place').on('incidents').columns(['country', 'admin1', 'visibility']).execute();
      await db.schema.dropIndex('incidents_country').execute();
      await db.schema.createIndex('incidents_country_time').on('incidents').columns(['country', 'occurred_from', 'id', 'visibility']).execute();
      await db.schema.createIndex('incidents_type_time').on('incidents').columns(['event_type', 'occurred_from', 'id', 'visibility', 'occurred_to']).execute();
      await db.schema.dropIndex('incidents_event_type').execute();
    },
  };
}

/** What an authorised reader needs to open a commitment: the record's visibility and its exact committed body. */
function logOpenings(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('log_salts').addColumn('visibility', 'text').execute();
      await db.schema.alterTable('log_salts').addColumn('body', 'text').execute();
    },
  };
}

class CodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return { '0001_initial': initial(this.dialect), '0002_allegations': allegations(), '0003_key_purpose': keyPurpose(),
      '0004_threat': threatMigration(this.dialect),
      '0005_monitors': monitorsMigration(this.dialect),
      '0006_warning': warningMigration(this.dialect),
      '0007_evidence': evidenceMigration(this.dialect),
      '0008_alerts': alertsMigration(this.dialect),
      '0009_intake_reports': intakeMigration(),
      '0010_incident_listing': incidentListing(),
      '0011_log_openings': logOpenings(),
    };
  }
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({ db, provider: new CodeMigrations(dialect), migrationTableName: 'mizan_migrations', migrationLockTableName: 'mizan_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    // Kysely types the error as unknown; a driver may reject with a plain object, which String() would print as [object Object].
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : inspect(error)}`, { cause: error });
  }
}
