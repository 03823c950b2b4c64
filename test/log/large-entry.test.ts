import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeLogSource } from '../../src/cli/verify.js';
import { auditLog } from '../../src/ledger/audit.js';
import { canonicalJson, decodeEntry, keyReference, noteVerifier, parseVerifierKey, verifyEntrySignatures } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

/**
 * An entry is at most 65,535 bytes (entry bundles prefix each entry with a 16-bit length). A public
 * record whose statement would be larger enters the log by the SHA-256 of its canonical body; the
 * record itself stays whole in the store. A mediator's finding may run to 50,000 characters, and in
 * Arabic script each is two bytes in UTF-8 — about 100 kB.
 */
const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

const MAX_ENTRY = 65_535;
const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** 50,000 characters of Arabic text (two UTF-8 bytes per letter, one per space). */
function longArabic(): string {
  const words = ['الوسيط', 'وجد', 'أن', 'القصف', 'وقع', 'بعد', 'وقف', 'إطلاق', 'النار'];
  let s = '';
  for (let i = 0; s.length < 50_000; i++) s += `${words[i % words.length]} `;
  return s.slice(0, 49_999) + '.';
}

describe.each(stores)('a record too large for one log entry, on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp(kind);
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  async function findingOn(id: string, reasoning: string): Promise<number> {
    const filed = await server.inject({ method: 'POST', url: '/api/v1/allegations', payload: { id, agreement: 'AGR-DOHA-2025', by: 'AFG', against: 'PAK', incidents: ['INC-202510-KURRAM'], text: 'Shelling after Doha.' }, headers: auth(who.afg1) });
    expect(filed.statusCode, filed.body).toBe(201);
    const reply = await server.inject({ method: 'POST', url: `/api/v1/allegations/${id}/reply`, payload: { kind: 'deny', text: 'Not us.' }, headers: auth(who.pak1) });
    expect(reply.statusCode, reply.body).toBeLessThan(300);
    const finding = await server.inject({ method: 'POST', url: `/api/v1/allegations/${id}/finding`, payload: { outcome: 'substantiated', reasoning }, headers: auth(who.mediator1) });
    expect(finding.statusCode, finding.body).toBeLessThan(300);
    return finding.json<{ finding: { log_index: number } }>().finding.log_index;
  }

  it('logs the content’s SHA-256 instead of the body, keeps the entry within 65,535 bytes and signed, and the audit verifies', async () => {
    const reasoning = longArabic();
    const body = { allegation: 'ALG-BIG', outcome: 'substantiated', reasoning };
    const canonical = canonicalJson(body);
    expect(Buffer.byteLength(canonical, 'utf8')).toBeGreaterThan(MAX_ENTRY);

    const index = await findingOn('ALG-BIG', reasoning);
    const bytes = (await t.app.log.entry(index))!;
    expect(bytes.length).toBeLessThanOrEqual(MAX_ENTRY);
    const entry = decodeEntry(bytes);
    expect(entry.statement.kind).toBe('allegation.finding');
    expect(entry.statement.body).toEqual({ content_sha256: sha256hex(canonical), content_bytes: Buffer.byteLength(canonical, 'utf8') });
    expect(entry.statement.commitment).toBeUndefined();
    // Still the operator's attested statement, with its usual header.
    expect(entry.statement.author).toMatchObject({ user: 'mediator1', party: 'QAT' });
    const operator = noteVerifier(nodeCrypto, t.app.log.operatorVerifierKey);
    const ref = keyReference(parseVerifierKey(nodeCrypto, t.app.log.operatorVerifierKey));
    expect(verifyEntrySignatures(entry, (k) => (k === ref ? operator : undefined))).toEqual([ref]);

    // The record itself is whole in the store, and hashes to what the log says.
    const got = await server.inject({ method: 'GET', url: '/api/v1/allegations/ALG-BIG' });
    expect(got.statusCode).toBe(200);
    const finding = got.json<{ finding: { outcome: string; reasoning: string } }>().finding;
    expect(finding.reasoning).toBe(reasoning);
    expect(sha256hex(canonicalJson({ allegation: 'ALG-BIG', outcome: finding.outcome, reasoning: finding.reasoning }))).toBe(sha256hex(canonical));

    await t.app.log.signCheckpoint();
    const audit = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey });
    expect(audit).toMatchObject({ ok: true });
  });

  it('logs a body that fits as it is', async () => {
    const reasoning = longArabic().slice(0, 20_000);
    const index = await findingOn('ALG-FITS', reasoning);
    const entry = decodeEntry((await t.app.log.entry(index))!);
    expect(entry.statement.body).toEqual({ allegation: 'ALG-FITS', outcome: 'substantiated', reasoning });
  });
});
