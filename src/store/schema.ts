import type { Generated } from 'kysely';

/** Columns every record table shares: the full record as JSON plus what queries filter on. */
interface RecordRow {
  id: string;
  visibility: string;
  doc: string;
  /** The record's log entry; also its insertion order. */
  log_index: number;
  recorded_at: string;
}

interface SearchRow {
  kind: string;
  record_id: string;
  incident_id: string | null;
  visibility: string;
  text: string;
}

import type { IntakeTables } from './tables/intake.js';
import type { MonitorsTables } from './tables/monitors.js';
import type { ThreatTables } from './tables/threat.js';
import type { WarningTables } from './tables/warning.js';
import type { EvidenceTables } from './tables/evidence.js';

export interface Database extends ThreatTables, MonitorsTables, WarningTables, EvidenceTables, IntakeTables {
  meta: { key: string; value: string };
  parties: RecordRow & { kind: string };
  actors: RecordRow;
  actor_names: { actor_id: string; name: string; norm: string; lang: string | null };
  relations: RecordRow & { actor_id: string };
  sources: RecordRow;
  agreements: RecordRow;
  amendments: RecordRow & { agreement_id: string };
  incidents: RecordRow & {
    occurred_from: string;
    occurred_to: string;
    country: string;
    admin1: string | null;
    admin2: string | null;
    event_type: string;
  };
  incident_actors: { incident_id: string; actor_id: string; role: string };
  claims: RecordRow & { incident_id: string; by_id: string; basis: string };
  designations: RecordRow & { actor_id: string; by_party: string };
  /** PostgreSQL's search table; SQLite uses the FTS5 table search_fts with the same columns. */
  search_docs: SearchRow;
  search_fts: SearchRow;
  users: {
    id: string;
    name: string;
    role: string;
    party: string | null;
    password_hash: string | null;
    created_at: string;
    disabled_at: string | null;
    sessions_valid_after: string;
  };
  sessions: {
    id_hash: string;
    user_id: string;
    csrf: string;
    created_at: string;
    last_seen_at: string;
  };
  api_tokens: {
    id: string;
    token_hash: string;
    user_id: string;
    label: string | null;
    created_at: string;
    revoked_at: string | null;
  };
  audit: { seq: Generated<number>; at: string; user_id: string | null; action: string; target: string };
  allegations: RecordRow & { agreement_id: string; by_party: string; against_party: string; state: string; reply_deadline: string };
  notifications: { id: string; party: string | null; user_id: string | null; at: string; kind: string; subject: string; text: string; read_at: string | null };
  log_entries: { idx: number; leaf_hash: Buffer; entry: Buffer; kind: string; record_id: string | null };
  log_nodes: { level: number; idx: number; hash: Buffer };
  /** Salt and committed body (canonical JSON) of each non-public entry; both null once erased. Null visibility and body: written before 0011. */
  log_salts: { idx: number; salt: Buffer | null; visibility: string | null; body: string | null };
  log_checkpoints: { size: number; note: string; created_at: string };
  log_cosignatures: { size: number; witness: string; line: string; created_at: string };
  party_keys: { key_name: string; party: string; vkey: string; purpose: string; registered_at: string; revoked_at: string | null; log_index: number };
  used_nonces: { nonce: string; at: string };
}

export type RecordTable = 'allegations' | 'parties' | 'actors' | 'relations' | 'sources' | 'agreements' | 'amendments' | 'incidents' | 'claims' | 'designations';
