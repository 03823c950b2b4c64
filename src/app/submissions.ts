import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MizanError } from '../domain/errors.js';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import type { Entry } from '../ledger/index.js';
import { canonicalJson, decodeEntry, isLedgerError, noteVerifier, statementSigningBytes, verifyEntrySignatures } from '../ledger/index.js';
import { parseOrThrow } from '../domain/validation.js';
import type { Mizan } from './mizan.js';
import { createClaim, createDesignation, createIncident } from './records.js';

export const SubmissionBody = z.strictObject({ entry: z.record(z.string(), z.unknown()) });

/** How far a signed statement's `at` may be from the server's clock: limits replays of old signatures. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const SUBMITTABLE = ['incident', 'claim', 'designation'] as const;

/**
 * A statement signed by a delegation's own key (CLI/API): checked against the party's registered
 * key, refused if replayed, then written through the same use case as any other write — and
 * logged byte for byte as the party signed it, so the party, not the server, is its author.
 */
export async function submitSigned(app: Mizan, p: Principal, body: unknown): Promise<unknown> {
  // Not even the operator's own processes: the signature names a party, and only its delegation speaks for it.
  if (p.kind !== 'user') throw new MizanError('FORBIDDEN', 'signed submissions are made by a delegation for its own party');
  authorize(p, 'submission.sign', { by: p.party ?? undefined });
  const { entry: raw } = parseOrThrow(SubmissionBody, body, 'the submission');
  let entry: Entry;
  let bytes: Uint8Array;
  try {
    bytes = new TextEncoder().encode(canonicalJson(raw));
    entry = decodeEntry(bytes);
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `the signed entry is malformed: ${e instanceof Error ? e.message : ''}`, [{ path: ['entry'], code: 'malformed_entry', message: e instanceof Error ? e.message : 'malformed' }]);
  }
  const st = entry.statement;
  if (st.author.party !== p.party) throw new MizanError('FORBIDDEN', `the statement names party ${String(st.author.party)}; you sign for ${p.party}`);
  if (st.body === undefined) throw new MizanError('VALIDATION_FAILED', 'a signed submission carries its body (public records only)');
  if (!(SUBMITTABLE as readonly string[]).includes(st.kind)) throw new MizanError('VALIDATION_FAILED', `statements of kind ${st.kind} cannot be submitted; one of ${SUBMITTABLE.join(', ')}`);
  const skew = Math.abs(Date.parse(st.at) - app.clock().getTime());
  if (!(skew <= MAX_SKEW_MS)) throw new MizanError('BAD_SIGNATURE', `the statement is dated ${st.at}, more than 15 minutes from the server's time; sign it again`);

  const keys = await app.store.db.selectFrom('party_keys').selectAll().where('party', '=', p.party).where('purpose', '=', 'signing').where('revoked_at', 'is', null).execute();
  const byRef = new Map(keys.map((k) => [k.key_name, noteVerifier(app.log.crypto, k.vkey)]));
  if (!byRef.has(st.author.key)) throw new MizanError('BAD_SIGNATURE', `key ${st.author.key} is not a registered, unrevoked signing key of ${p.party}`);
  try {
    verifyEntrySignatures(entry, (ref) => byRef.get(ref));
  } catch (e) {
    if (isLedgerError(e)) throw new MizanError('BAD_SIGNATURE', `the signature does not verify: ${e.message}`);
    throw e;
  }
  // A signature is good once: the same signed bytes submitted again are a replay.
  const nonce = createHash('sha256').update(statementSigningBytes(st)).digest('hex');
  const signed = { kind: st.kind, entry: bytes, nonce };
  const visibility = (st.body as { visibility?: string }).visibility;
  if (visibility !== undefined && visibility !== 'public') throw new MizanError('VALIDATION_FAILED', 'a signed submission puts its body in the public log: only public records can be submitted signed');
  switch (st.kind) {
    case 'incident':
      return createIncident(app, p, st.body, signed);
    case 'claim': {
      const incident = (st.body as { incident?: unknown }).incident;
      if (typeof incident !== 'string') throw new MizanError('VALIDATION_FAILED', 'a claim names its incident', [{ path: ['entry', 'statement', 'body', 'incident'], code: 'required', message: 'is required' }]);
      return createClaim(app, p, incident, st.body, signed);
    }
    case 'designation':
      return createDesignation(app, p, st.body, signed);
    default:
      throw new MizanError('VALIDATION_FAILED', `unsupported kind ${st.kind}`);
  }
}
