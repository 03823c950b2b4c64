import { z } from 'zod';
import { MizanError, notFound } from '../domain/errors.js';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import { isLedgerError, keyReference, parseNote, parseSignatureLine, parseVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519, verifyCosignature } from '../ledger/index.js';
import type { Mizan } from './mizan.js';

export const KeyInput = z.strictObject({
  vkey: z.string().min(10).max(500),
  purpose: z.enum(['signing', 'witness']).default('signing'),
});

export interface PartyKey {
  key: string;
  party: string;
  vkey: string;
  purpose: string;
  registered_at: string;
  revoked_at: string | null;
  log_index: number;
}

/**
 * Register a party's verifier key: `signing` keys sign the party's own submissions, `witness`
 * keys cosign checkpoints. The registration is a log entry, so verifiers learn keys from the log.
 */
export async function registerKey(app: Mizan, p: Principal, party: string, body: unknown): Promise<PartyKey> {
  authorize(p, 'party.key.manage');
  const input = parseOrThrow(KeyInput, body, 'the key');
  let key;
  try {
    key = parseVerifierKey(app.log.crypto, input.vkey);
  } catch (e) {
    if (isLedgerError(e)) throw new MizanError('VALIDATION_FAILED', 'the key is not valid', [{ path: ['vkey'], code: 'malformed_key', message: e.message }]);
    throw e;
  }
  const wantType = input.purpose === 'witness' ? SIGNATURE_TYPE_COSIGNATURE_V1 : SIGNATURE_TYPE_ED25519;
  if (key.type !== wantType) throw new MizanError('VALIDATION_FAILED', 'the key is not valid', [{ path: ['vkey'], code: 'wrong_key_type', message: `a ${input.purpose} key must be of type 0x0${wantType}` }]);
  const ref = keyReference(key);
  return app.write(p, async (w) => {
    if (!(await w.tx.selectFrom('parties').select('id').where('id', '=', party).executeTakeFirst())) throw notFound('party', party);
    if (await w.tx.selectFrom('party_keys').select('key_name').where('key_name', '=', ref).executeTakeFirst()) throw new MizanError('DUPLICATE_ID', `key ${ref} is already registered`);
    const logIndex = w.statement('key.register', { party, key: ref, vkey: input.vkey, purpose: input.purpose });
    const row = { key_name: ref, party, vkey: input.vkey, purpose: input.purpose, registered_at: w.recordedAt, revoked_at: null, log_index: logIndex };
    await w.tx.insertInto('party_keys').values(row).execute();
    return { key: ref, party, vkey: input.vkey, purpose: input.purpose, registered_at: w.recordedAt, revoked_at: null, log_index: logIndex };
  });
}

/** Revocation is a logged statement; signatures made before it stay valid. */
export async function revokeKey(app: Mizan, p: Principal, party: string, ref: string): Promise<void> {
  authorize(p, 'party.key.manage');
  await app.write(p, async (w) => {
    const row = await w.tx.selectFrom('party_keys').selectAll().where('key_name', '=', ref).where('party', '=', party).executeTakeFirst();
    if (!row) throw notFound('key', ref);
    if (row.revoked_at) throw new MizanError('CONFLICT', `key ${ref} was already revoked at ${row.revoked_at}`);
    w.statement('key.revoke', { party, key: ref });
    await w.tx.updateTable('party_keys').set({ revoked_at: w.recordedAt }).where('key_name', '=', ref).execute();
  });
}

export async function listKeys(app: Mizan, party?: string): Promise<PartyKey[]> {
  let q = app.store.db.selectFrom('party_keys').selectAll().orderBy('log_index');
  if (party) q = q.where('party', '=', party);
  return (await q.execute()).map((r) => ({ key: r.key_name, party: r.party, vkey: r.vkey, purpose: r.purpose, registered_at: r.registered_at, revoked_at: r.revoked_at, log_index: r.log_index }));
}

export const CosignatureInput = z.strictObject({
  size: z.number().int().min(0),
  cosignature: z.string().min(10).max(1000),
});

/**
 * Accept a witness's cosignature of a checkpoint this log signed. It is self-authenticating:
 * the line must verify under a registered, unrevoked witness key over that exact checkpoint.
 */
export async function acceptCosignature(app: Mizan, body: unknown): Promise<{ size: number; witness: string }> {
  const input = parseOrThrow(CosignatureInput, body, 'the cosignature');
  const note = await app.log.checkpointAt(input.size);
  if (!note) throw new MizanError('NOT_FOUND', `this log signed no checkpoint of size ${input.size}`);
  const text = parseNote(note).text;
  let line;
  try {
    line = parseSignatureLine(input.cosignature.trim());
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `the cosignature line is malformed: ${e instanceof Error ? e.message : ''}`);
  }
  const keys = await app.store.db.selectFrom('party_keys').selectAll().where('purpose', '=', 'witness').where('revoked_at', 'is', null).execute();
  const key = keys.find((k) => k.key_name.startsWith(`${line.name}+`));
  if (!key) throw new MizanError('FORBIDDEN', `${line.name} is not a registered witness of this log`);
  try {
    verifyCosignature(app.log.crypto, text, input.cosignature.trim(), key.vkey);
  } catch (e) {
    throw new MizanError('BAD_SIGNATURE', `the cosignature does not verify: ${e instanceof Error ? e.message : ''}`);
  }
  await app.store.db
    .insertInto('log_cosignatures')
    .values({ size: input.size, witness: key.key_name, line: input.cosignature.trim(), created_at: app.clock().toISOString() })
    .onConflict((oc) => oc.columns(['size', 'witness']).doUpdateSet({ line: input.cosignature.trim() }))
    .execute();
  return { size: input.size, witness: key.key_name };
}
