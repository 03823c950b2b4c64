import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from '../../src/server/auth.js';
import { buildServer } from '../../src/server/app.js';
import { DEFAULT_IMPORT_MAX_BYTES, importBodyLimit } from '../../src/server/routes/exchange.js';
import { route } from '../../src/server/route.js';
import { headerColumns, sniffFormat } from '../../src/server/upload.js';
import { ACLED_COLUMNS, UCDP_COLUMNS } from '../../src/intake/index.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeTestApp } from '../support/app.js';
import { acledCsv, acledRow, count, UCDP_PAKISTAN } from '../intake/support.js';

const TWO_MIB = 2 * 1024 * 1024;

/** A test-only route with a tiny streamed-body limit: the mechanism the import route uses, checkable without sending 256 MiB. */
const smallUpload = route({
  method: 'POST',
  url: '/api/v1/test-upload',
  summary: 'test only',
  tag: 'test',
  access: 'public',
  streamedBody: { mediaTypes: ['text/csv'], limit: 1000 },
  handler: async ({ body }) => {
    let bytes = 0;
    for await (const chunk of body as Readable) bytes += (chunk as Buffer).length;
    return { bytes };
  },
});

describe('POST /api/v1/imports with a raw CSV body', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    who = await makeCallers(t.app);
    server = await buildServer({ app: t.app, authenticate: authenticator(t.app), extraRoutes: [smallUpload] });
    await server.ready();
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const post = (payload: string, contentType: string, query = '', headers: Record<string, string> = auth(who.analyst1)) =>
    server.inject({ method: 'POST', url: `/api/v1/imports${query}`, payload, headers: { ...headers, 'content-type': contentType } });

  it('imports a CSV larger than the 2 MiB JSON limit, sent as text/csv, its format sniffed from the header', async () => {
    const padding = 'Shelling reported near the checkpost; residents moved to the district centre. '.repeat(14);
    const rows = Array.from({ length: 2200 }, (_, i) => acledRow({ event_id_cnty: `BIG${i}`, notes: `${i}: ${padding}` }));
    const csv = acledCsv(rows);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(TWO_MIB);
    const before = await count(t.app, 'incidents');
    const r = await post(csv, 'text/csv; charset=utf-8');
    expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
    expect(r.json()).toMatchObject({ format: 'acled', rows: 2200, imported: 2200, rejected: 0, committed: true });
    // The route lives in a scope of its own; the server-wide security headers still apply.
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(await count(t.app, 'incidents')).toBe(before + 2200);
    // The same file again changes nothing.
    expect((await post(csv, 'text/csv', '?format=acled')).json()).toMatchObject({ imported: 0, unchanged: 2200 });
  });

  it('imports UCDP GED as text/csv without ?format=, and text/plain still works', async () => {
    const lines = readFileSync(UCDP_PAKISTAN, 'utf8').split('\n');
    const head = lines.slice(0, 41).join('\n') + '\n';
    const r = await post(head, 'text/csv');
    expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
    expect(r.json().format).toBe('ucdp');
    expect(r.json().imported + r.json().unchanged).toBe(r.json().rows);
    expect(r.json().rows).toBeGreaterThan(30);
    const plain = await post(acledCsv([acledRow({ event_id_cnty: 'PLAIN1' })]), 'text/plain', '?format=acled');
    expect(plain.json()).toMatchObject({ imported: 1 });
  });

  it('a malformed row refuses the whole file and names its line', async () => {
    const rows = [acledRow({ event_id_cnty: 'BAD1' }), acledRow({ event_id_cnty: 'BAD2' }), acledRow({ event_id_cnty: 'BAD3', event_date: '2025-13-45' })];
    const before = await count(t.app, 'incidents');
    const r = await post(acledCsv(rows), 'text/csv');
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: '/line/4/event_date', code: 'invalid_date' }] });
    expect(r.json().error.message).toContain('nothing was imported');
    expect(await count(t.app, 'incidents')).toBe(before);

    // A record cut short (fewer fields than the header) on line 3.
    const text = acledCsv([acledRow({ event_id_cnty: 'CUT1' })]) + 'CUT2,2025-10-12,2025\n';
    const cut = await post(text, 'text/csv');
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.fields).toEqual([expect.objectContaining({ path: '/line/3', code: 'wrong_column_count' })]);

    const skipped = await post(text, 'text/csv', '?skip_invalid=true');
    expect(skipped.json()).toMatchObject({ imported: 1, rejected: 1, rejections: [{ line: 3, reason: 'wrong_column_count' }] });
  });

  it('a header that is neither ACLED nor UCDP, without ?format=, is refused at line 1', async () => {
    const r = await post('name,when,where\nx,2025-10-12,Kabul\n', 'text/csv');
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: '/line/1', code: 'unknown_format' }] });
    const empty = await post('', 'text/csv');
    expect(empty.statusCode).toBe(400);
  });

  it('an unsupported content type gets 415 UNSUPPORTED_MEDIA_TYPE naming what the route takes', async () => {
    const r = await post('<csv/>', 'application/xml', '?format=acled');
    expect(r.statusCode).toBe(415);
    expect(r.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', fields: [{ path: '/headers/content-type', code: 'unsupported_media_type' }] });
    expect(r.json().error.message).toContain('text/csv');
  });

  it('only the import route takes text/csv: another write route answers 415', async () => {
    const r = await server.inject({ method: 'POST', url: '/api/v1/incidents', payload: 'a,b\n1,2\n', headers: { ...auth(who.pak1), 'content-type': 'text/csv' } });
    expect(r.statusCode).toBe(415);
    expect(r.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('who may import is settled before the body is read: 401 and 403 for a CSV body', async () => {
    const body = acledCsv([acledRow({ event_id_cnty: 'AUTH1' })]);
    expect((await post(body, 'text/csv', '', {})).statusCode).toBe(401);
    expect((await post(body, 'text/csv', '', auth(who.pak1))).statusCode).toBe(403);
  });

  it('JSON bodies keep the general 2 MiB limit on this route', async () => {
    const csv = acledCsv([acledRow({ event_id_cnty: 'JSONBIG', notes: 'x'.repeat(50) })]) + '#' + 'y'.repeat(TWO_MIB) + '\n';
    const r = await server.inject({ method: 'POST', url: '/api/v1/imports', payload: { format: 'acled', csv }, headers: auth(who.analyst1) });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a streamed body over the route limit is refused with 413 PAYLOAD_TOO_LARGE, declared or not', async () => {
    const ok = await server.inject({ method: 'POST', url: '/api/v1/test-upload', payload: 'a'.repeat(1000), headers: { 'content-type': 'text/csv' } });
    expect(ok.json()).toEqual({ bytes: 1000 });
    const over = await server.inject({ method: 'POST', url: '/api/v1/test-upload', payload: 'a'.repeat(1001), headers: { 'content-type': 'text/csv' } });
    expect(over.statusCode).toBe(413);
    expect(over.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', fields: [{ path: '/body', code: 'too_large' }] });
    // Chunked, so no Content-Length to refuse up front: the byte count catches it.
    const { Readable } = await import('node:stream');
    const chunked = await server.inject({ method: 'POST', url: '/api/v1/test-upload', payload: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), headers: { 'content-type': 'text/csv' } });
    expect(chunked.statusCode).toBe(413);
  });

  it('hostile CSV bodies never crash the route: a coded error or a summary, and a refused file writes nothing (property)', async () => {
    const header = ACLED_COLUMNS.join(',');
    const cellText = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('"', '""', '"a,b"', '\r', '\n', '#', '=1+1', '2025-10-12', '-91', '\uFEFF'));
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.array(cellText, { maxLength: ACLED_COLUMNS.length + 2 }).map((cells) => cells.join(',')), { maxLength: 6 }).map((rows) => [header, ...rows].join('\n')),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (text, withFormat) => {
        const before = await count(t.app, 'log_entries');
        const r = await post(text, 'text/csv', withFormat ? '?format=acled' : '');
        expect(r.statusCode, r.body.slice(0, 300)).toBeLessThan(500);
        if (r.statusCode >= 400) {
          expect(r.json().error.code).toMatch(/^[A-Z_]+$/);
          expect(await count(t.app, 'log_entries')).toBe(before);
        } else expect(r.json().committed).toBe(true);
      }),
      { numRuns: process.env.CI === 'true' ? 2000 : 60 },
    );
  });

  it('the OpenAPI document lists text/csv and text/plain bodies for the import route', async () => {
    const doc = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const body = doc.paths['/api/v1/imports'].post.requestBody.content;
    expect(Object.keys(body).sort()).toEqual(['application/json', 'text/csv', 'text/plain']);
  });
});

describe('import body limit and format sniffing', () => {
  it('MIZAN_IMPORT_MAX_BYTES sets the limit; anything but a positive whole number is refused', () => {
    expect(importBodyLimit({})).toBe(DEFAULT_IMPORT_MAX_BYTES);
    expect(importBodyLimit({ MIZAN_IMPORT_MAX_BYTES: '1048576' })).toBe(1048576);
    for (const bad of ['0', '-5', '1.5', 'lots', '1e400']) expect(() => importBodyLimit({ MIZAN_IMPORT_MAX_BYTES: bad })).toThrow(/MIZAN_IMPORT_MAX_BYTES/);
  });

  it('sniffs ACLED and UCDP GED from their headers (BOM, comment lines and quoted names allowed)', () => {
    expect(sniffFormat(headerColumns(ACLED_COLUMNS.join(',') + '\n1,2'))).toBe('acled');
    expect(sniffFormat(headerColumns('\uFEFF# exported\n' + UCDP_COLUMNS.map((c) => `"${c}"`).join(',') + '\r\n'))).toBe('ucdp');
    expect(sniffFormat(headerColumns(readFileSync(UCDP_PAKISTAN, 'utf8').slice(0, 4096)))).toBe('ucdp');
    expect(sniffFormat(headerColumns(''))).toBeNull();
  });

  it('a header naming columns of both formats, or of neither, is not guessed (property)', () => {
    const other = fc.constantFrom('name', 'date', 'country', 'latitude', 'longitude', 'notes', 'admin1', 'source');
    fc.assert(
      fc.property(fc.array(other, { maxLength: 10 }), fc.boolean(), (cols, both) => {
        const header = both ? [...cols, 'event_id_cnty', 'type_of_violence'] : cols;
        expect(sniffFormat(headerColumns(header.join(',')))).toBeNull();
      }),
    );
  });
});

describe('an import and the page cache', () => {
  it('leaves the SQLite connection with the page cache it had (a server keeps reading fast after an HTTP import)', async () => {
    const t = await makeTestApp('sqlite', { scenario: false });
    try {
      const { sql } = await import('kysely');
      const cache = async () => Number((await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(t.app.store.db)).rows[0]!.cache_size);
      await sql.raw('PRAGMA cache_size = -12345').execute(t.app.store.db);
      const { importText } = await import('../intake/support.js');
      const { SYSTEM } = await import('../../src/domain/principal.js');
      await importText(t.app, SYSTEM, acledCsv([acledRow({ event_id_cnty: 'CACHE1' })]), 'acled');
      expect(await cache()).toBe(-12345);
      await expect(importText(t.app, SYSTEM, acledCsv([acledRow({ event_id_cnty: 'CACHE2', event_date: 'never' })]), 'acled')).rejects.toThrow(/nothing was imported/);
      expect(await cache()).toBe(-12345);
    } finally {
      await t.close();
    }
  });
});
