import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureEvidence, DEFAULT_DAILY_QUOTA_BYTES, evidenceConfigFromEnv } from '../../src/app/evidence.js';
import { MAX_EVIDENCE_BYTES } from '../../src/domain/evidence.js';
import type { Caller, Callers, StoreKind, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(kinds)('evidence files on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  const now = new Date('2025-10-20T08:00:00Z');

  beforeAll(async () => {
    t = await makeTestApp(kind, { clock: () => now, places: false });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const upload = (bytes: Buffer, c: Caller, headers: Record<string, string> = {}, query = '') =>
    server.inject({ method: 'POST', url: `/api/v1/evidence${query}`, payload: bytes, headers: { 'content-type': 'application/octet-stream', ...headers, ...auth(c) } });
  const post = (url: string, body: unknown, c: Caller) => server.inject({ method: 'POST', url, payload: body as object, headers: auth(c) });
  const logKinds = async () => (await t.app.store.db.selectFrom('log_entries').select(['kind', 'record_id']).orderBy('idx').execute()).map((r) => `${r.kind} ${r.record_id ?? ''}`);

  it('stores the original under its SHA-256 with one log entry, and is idempotent on the same bytes', async () => {
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(5000)]);
    const digest = sha256(bytes);
    const size0 = await t.app.log.size();
    const first = await upload(bytes, who.afg1, { 'content-type': 'image/png', 'x-filename': encodeURIComponent('خوست/crater 1.png') });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ sha256: digest, ref: `sha256:${digest}`, size: bytes.length, media_type: 'image/png', filename: 'crater 1.png', party: 'AFG', uploaded_by: 'afg1', created: true });
    expect(readFileSync(join(t.dataDir, 'evidence', digest)).equals(bytes)).toBe(true);
    expect(await t.app.log.size()).toBe(size0 + 1);
    expect((await logKinds()).at(-1)).toBe(`evidence.add sha256:${digest}`);

    const again = await upload(bytes, who.pak1, { 'content-type': 'text/plain' }, '?filename=other.txt');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ sha256: digest, filename: 'crater 1.png', party: 'AFG', created: false });
    expect(await t.app.log.size()).toBe(size0 + 1);
    // No temp files are left behind.
    expect(readdirSync(join(t.dataDir, 'evidence', '.tmp'))).toEqual([]);
  });

  it('keeps one record and one log entry when the same bytes are uploaded at once', async () => {
    const bytes = randomBytes(2048);
    const size0 = await t.app.log.size();
    const answers = await Promise.all([who.pak1, who.afg1, who.mediator1, who.pak1].map((c) => upload(bytes, c)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().log_index)).size).toBe(1);
    expect(await t.app.log.size()).toBe(size0 + 1);
  });

  it('serves the bytes unmodified, as an attachment, to delegates, mediators and admins only', async () => {
    const bytes = Buffer.from('<html><script>alert(1)</script></html>');
    const digest = (await upload(bytes, who.mediator1, { 'content-type': 'text/html; charset=utf-8' }, '?filename=report.html')).json().sha256 as string;
    for (const c of [who.pak1, who.afg1, who.mediator1, who.admin1]) {
      const r = await server.inject({ method: 'GET', url: `/api/v1/evidence/${digest}`, headers: auth(c) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.rawPayload.equals(bytes)).toBe(true);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['content-disposition']).toBe(`attachment; filename="report.html"; filename*=UTF-8''report.html`);
    }
    expect((await server.inject({ method: 'GET', url: `/api/v1/evidence/${digest}`, headers: auth(who.analyst1) })).statusCode).toBe(403);
    expect((await server.inject({ method: 'GET', url: `/api/v1/evidence/${digest}`, headers: auth(who.monitor1) })).statusCode).toBe(403);
    expect((await server.inject({ method: 'GET', url: `/api/v1/evidence/${digest}` })).statusCode).toBe(401);
    expect((await upload(bytes, who.analyst1)).statusCode).toBe(403);
  });

  it('accepts only well-formed digests in the path (no traversal) and 404s unknown ones', async () => {
    for (const bad of ['..%2F..%2Fconfig.json', 'A'.repeat(64), 'g'.repeat(64), 'a'.repeat(63), `${'a'.repeat(64)}%00`]) {
      const r = await server.inject({ method: 'GET', url: `/api/v1/evidence/${bad}`, headers: auth(who.pak1) });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
    }
    // Unencoded dot segments are resolved before routing and never reach the handler.
    for (const path of ['/api/v1/evidence/../../config.json', '/api/v1/evidence/..', '/api/v1/evidence/%2e%2e']) {
      const r = await server.inject({ method: 'GET', url: path, headers: auth(who.pak1) });
      expect(r.statusCode, path).toBe(404);
      expect(r.body).not.toContain('origin');
    }
    const unknown = await server.inject({ method: 'GET', url: `/api/v1/evidence/${'0'.repeat(64)}`, headers: auth(who.pak1) });
    expect(unknown.statusCode).toBe(404);
  });

  it('takes files above the 2 MiB JSON limit, up to its own 25 MiB, and describes itself in OpenAPI', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const r = await upload(bytes, who.pak1, { 'content-type': 'video/mp4' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ sha256: sha256(bytes), size: bytes.length, media_type: 'video/mp4' });
    const doc = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.paths['/api/v1/evidence'].post.requestBody.content).toHaveProperty(['*/*']);
    expect(doc.paths['/api/v1/evidence/{sha256}'].get.responses['200'].content['*/*'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(doc.paths['/api/v1/evidence/{sha256}'].get['x-mizan-access']).toBe('evidence.read');
  });

  it('refuses an empty body and one over the limit, writing nothing', async () => {
    const size0 = await t.app.log.size();
    const empty = await server.inject({ method: 'POST', url: '/api/v1/evidence', headers: { ...auth(who.pak1), 'content-type': 'application/pdf' } });
    expect(empty.statusCode).toBe(400);
    const big = await upload(Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 1), who.pak1);
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: "the body is larger than this route's limit of 25 MiB" });
    // Sent without a length (chunked), it is cut off as it passes the limit, and nothing is kept.
    async function* chunks() {
      for (let sent = 0; sent <= MAX_EVIDENCE_BYTES; sent += 1024 * 1024) yield Buffer.alloc(1024 * 1024, 2);
    }
    const chunked = await server.inject({ method: 'POST', url: '/api/v1/evidence', payload: Readable.from(chunks()), headers: { ...auth(who.pak1), 'content-type': 'video/mp4' } });
    expect(chunked.statusCode, chunked.body).toBe(413);
    expect(readdirSync(join(t.dataDir, 'evidence', '.tmp'))).toEqual([]);
    expect(await t.app.log.size()).toBe(size0);
    // The raw parser is confined to the upload route: other routes still want JSON.
    const notJson = await server.inject({ method: 'POST', url: '/api/v1/allegations', payload: '<a/>', headers: { ...auth(who.afg1), 'content-type': 'application/xml' } });
    expect(notJson.statusCode).toBe(415);
    expect(notJson.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/application\/json/) });
  });

  it('lets allegations, replies and task outcomes cite uploaded files, and refuses citations of files never uploaded', async () => {
    const photo = (await upload(randomBytes(300), who.afg1, { 'content-type': 'image/jpeg' })).json().ref as string;
    const missing = `sha256:${'ab'.repeat(32)}`;
    const base = { agreement: 'AGR-DOHA-2025', by: 'AFG', against: 'PAK', incidents: ['INC-202510-KURRAM'], text: 'Shelling after Doha.' };

    const bad = await post('/api/v1/allegations', { ...base, id: 'ALG-E0', evidence: ['witness statement, 21 Oct', photo, missing] }, who.afg1);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ path: '/evidence/2', code: 'evidence_not_found', message: `no evidence file ${missing}` }]);
    const malformed = await post('/api/v1/allegations', { ...base, id: 'ALG-E0', evidence: ['sha256:xyz'] }, who.afg1);
    expect(malformed.json().error.fields[0]).toMatchObject({ path: '/evidence/0', code: 'invalid_evidence_ref' });
    expect((await server.inject({ method: 'GET', url: '/api/v1/allegations/ALG-E0' })).statusCode).toBe(404);

    const filed = await post('/api/v1/allegations', { ...base, id: 'ALG-E1', evidence: ['witness statement, 21 Oct', photo] }, who.afg1);
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().evidence).toEqual(['witness statement, 21 Oct', photo]);

    expect((await post('/api/v1/allegations/ALG-E1/reply', { kind: 'deny', text: 'No.', evidence: [missing] }, who.pak1)).json().error.fields[0]).toMatchObject({ path: '/evidence/0', code: 'evidence_not_found' });
    const map = (await upload(Buffer.from('{"type":"FeatureCollection","features":[]}'), who.pak1, { 'content-type': 'application/geo+json' })).json().ref as string;
    const replied = await post('/api/v1/allegations/ALG-E1/reply', { kind: 'deny', text: 'Our positions were elsewhere.', evidence: [map] }, who.pak1);
    expect(replied.statusCode, replied.body).toBe(201);

    expect((await post('/api/v1/allegations/ALG-E1/tasks', { kind: 'imagery', assignees: ['QAT imagery'], due: '2025-10-30T00:00:00Z' }, who.mediator1)).statusCode).toBe(201);
    const noFile = await post('/api/v1/allegations/ALG-E1/tasks/ALG-E1.task1/outcome', { outcome: 'Craters.', evidence: [missing] }, who.mediator1);
    expect(noFile.json().error.fields[0]).toMatchObject({ path: '/evidence/0', code: 'evidence_not_found' });
    const imagery = (await upload(randomBytes(100), who.mediator1, { 'content-type': 'image/tiff' })).json().ref as string;
    expect((await post('/api/v1/allegations/ALG-E1/tasks/ALG-E1.task1/outcome', { outcome: 'Craters.', evidence: [imagery] }, who.mediator1)).statusCode).toBe(201);
  });

  it('never serves a file whose bytes no longer match its digest', async () => {
    const bytes = randomBytes(64);
    const digest = (await upload(bytes, who.pak1)).json().sha256 as string;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.dataDir, 'evidence', digest), Buffer.concat([bytes, Buffer.from('tampered')]));
    const r = await server.inject({ method: 'GET', url: `/api/v1/evidence/${digest}`, headers: auth(who.pak1) });
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('tampered');
    expect(existsSync(join(t.dataDir, 'evidence', digest))).toBe(true);
  });

  it('limits what one account uploads in 24 hours: refused with 429 and a reason, nothing written; others and later uploads go on', async () => {
    configureEvidence(t.app, t.dataDir, { dailyQuotaBytes: 10_000 });
    const start = now.getTime();
    try {
      const first = randomBytes(6000);
      expect((await upload(first, who.monitor1)).statusCode).toBe(201);
      const size0 = await t.app.log.size();
      const over = randomBytes(6000);
      const r = await upload(over, who.monitor1);
      expect(r.statusCode, r.body).toBe(429);
      const err = r.json<{ error: { code: string; message: string; fields: { path: string; code: string }[] } }>().error;
      expect(err.code).toBe('RATE_LIMITED');
      expect(err.message).toBe('monitor1 has uploaded 5.9 KiB of evidence in the last 24 hours; this 5.9 KiB file would pass the limit of 9.8 KiB a day. Try again later, or ask the operator to raise MIZAN_EVIDENCE_QUOTA_MIB');
      expect(err.fields).toEqual([expect.objectContaining({ path: '/body', code: 'quota_exceeded' })]);
      expect(await t.app.log.size()).toBe(size0);
      expect(existsSync(join(t.dataDir, 'evidence', sha256(over)))).toBe(false);
      // Bytes already kept cost nothing: the same file again is answered from the record.
      expect((await upload(first, who.monitor1)).statusCode).toBe(200);
      // Another account has its own allowance.
      expect((await upload(over, who.mediator1)).statusCode).toBe(201);
      // A day later the first account may upload again.
      now.setTime(start + 24 * 60 * 60 * 1000 + 1);
      expect((await upload(randomBytes(6000), who.monitor1)).statusCode).toBe(201);
    } finally {
      now.setTime(start);
      configureEvidence(t.app, t.dataDir, { dailyQuotaBytes: DEFAULT_DAILY_QUOTA_BYTES });
    }
  });
});

describe('the evidence quota setting', () => {
  it('reads MIZAN_EVIDENCE_QUOTA_MIB in MiB, 0 for no limit, and refuses anything else', () => {
    expect(evidenceConfigFromEnv({})).toEqual({ dailyQuotaBytes: DEFAULT_DAILY_QUOTA_BYTES });
    expect(evidenceConfigFromEnv({ MIZAN_EVIDENCE_QUOTA_MIB: '200' })).toEqual({ dailyQuotaBytes: 200 * 1024 * 1024 });
    expect(evidenceConfigFromEnv({ MIZAN_EVIDENCE_QUOTA_MIB: '0' })).toEqual({ dailyQuotaBytes: null });
    for (const bad of ['-1', '1.5', 'lots', '1e3x']) expect(() => evidenceConfigFromEnv({ MIZAN_EVIDENCE_QUOTA_MIB: bad }), bad).toThrow(/MIZAN_EVIDENCE_QUOTA_MIB must be a whole number/);
  });
});
