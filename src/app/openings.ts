import { z } from 'zod';
import type { Visibility } from '../domain/common.js';
import { MizanError, notFound } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { base64Encode } from '../ledger/index.js';
import { visibleLevels } from '../store/scope.js';
import { recordAudit } from './accounts.js';
import type { Mizan } from './mizan.js';

export const OpeningOut = z.object({
  index: z.number().int().describe('The entry’s index in the log'),
  kind: z.string(),
  record_id: z.string().nullable(),
  visibility: z.enum(['parties', 'mediators']),
  body: z.record(z.string(), z.unknown()).describe('The record exactly as committed; its RFC 8785 canonical JSON is what was hashed'),
  salt: z.string().describe('Base64 of the 32-byte salt: commitment = "sha256:" + hex(SHA-256(salt || canonical JSON of body))'),
  entry: z.string().describe('Base64 of the entry bytes as they are in the tiles (check its commitment, then its inclusion with /log/proof/inclusion)'),
});
export type Opening = z.infer<typeof OpeningOut>;

/**
 * The opening of a non-public log entry: the committed body and its salt, for a reader whose scope
 * includes the entry. With it the reader checks that the record they were shown is the one the
 * public log committed to. Entries outside the caller's scope are "not found", as records are.
 */
export async function openLogEntry(app: Mizan, p: Principal, index: number): Promise<Opening> {
  const row = await app.store.db
    .selectFrom('log_salts')
    .innerJoin('log_entries', 'log_entries.idx', 'log_salts.idx')
    .select(['log_salts.salt', 'log_salts.visibility', 'log_salts.body', 'log_entries.kind', 'log_entries.record_id', 'log_entries.entry'])
    .where('log_salts.idx', '=', index)
    .executeTakeFirst();
  const visibility = row?.visibility as Visibility | null | undefined;
  if (!row || !visibility || !visibleLevels(p).includes(visibility)) throw notFound('opening of log entry', String(index));
  if (row.salt === null || row.body === null) throw new MizanError('NOT_FOUND', `log entry ${index} was erased: its salt was deleted, so its content can no longer be opened`);
  if (visibility === 'mediators') await recordAudit(app, p, 'open log entry', String(index));
  return {
    index,
    kind: row.kind,
    record_id: row.record_id,
    visibility: visibility as 'parties' | 'mediators',
    body: JSON.parse(row.body) as Record<string, unknown>,
    salt: base64Encode(row.salt),
    entry: base64Encode(row.entry),
  };
}
