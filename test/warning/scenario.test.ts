import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningView } from '../../src/app/warning.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import type { TestApp } from '../support/app.js';
import { makeServer, makeTestApp } from '../support/app.js';
import { REPO_ROOT, requireOrSkip } from '../support/env.js';

const XSD = join(REPO_ROOT, 'test', 'fixtures', 'warning', 'cap12.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const AS_OF = '2025-10-16T00:00:00Z';

/** Runs xmllint --schema on a document; returns its exit status and messages. */
function xmllint(xml: string, schema?: string): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mizan-cap-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', ...(schema ? ['--schema', schema] : []), file], { encoding: 'utf8' });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('early warning on the built-in scenario', () => {
  let t: TestApp;
  let server: FastifyInstance;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { places: false });
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('detects the October 2025 retaliation chain: the 9 October strikes answered at the border and answered again', async () => {
    const v = await warningView(t.app, SYSTEM, { asOf: AS_OF });
    // The strikes on Kabul and Paktika share a start time, so each heads its own chain; the
    // longer one runs strike (PAK→AFG) → border posts attacked (AFG→PAK) → fire into Afghanistan (PAK→AFG).
    const heads = ['INC-20251009-KABUL', 'INC-20251009-PAKTIKA'];
    const chain = v.chains[0]!;
    expect(chain.length).toBeGreaterThanOrEqual(3);
    expect(heads).toContain(chain.events[0]);
    expect(chain.events).toContain('INC-20251011-BORDER-POSTS');
    expect(chain.events).toContain('INC-20251011-FIRE-INTO-AFG');
    expect(chain.first).toBe('PAK');
    expect(chain.second).toBe('AFG');
    expect(v.chains.filter((c) => heads.includes(c.events[0]!))).toHaveLength(2);
    expect(v.alerts.some((a) => a.rule === 'retaliation_chain' && a.events.includes('INC-20251011-BORDER-POSTS'))).toBe(true);
    // Nothing after as_of counts.
    expect(v.chains.every((c) => Date.parse(c.to) < Date.parse(AS_OF))).toBe(true);
  });

  it('serves indicators, chains and alerts to an anonymous caller from public records only', async () => {
    for (const path of ['indicators', 'chains', 'alerts']) {
      const r = await server.inject({ method: 'GET', url: `/api/v1/warning/${path}?as_of=${AS_OF}` });
      expect(r.statusCode).toBe(200);
      expect(Array.isArray(r.json().items)).toBe(true);
    }
    const all = await warningView(t.app, ANONYMOUS, { asOf: '2025-12-01T00:00:00Z' });
    expect(all.alerts.every((a) => a.visibility === 'public')).toBe(true);
  });

  it('rejects a malformed as_of with VALIDATION_FAILED', async () => {
    const r = await server.inject({ method: 'GET', url: '/api/v1/warning/alerts?as_of=yesterday' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('serves a CAP feed and CAP documents that validate against the CAP 1.2 schema', async (ctx) => {
    const feed = await server.inject({ method: 'GET', url: `/api/v1/warning/cap?as_of=${AS_OF}` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const ids = [...feed.body.matchAll(/href="\/api\/v1\/warning\/cap\/([^"?]+)/g)].map((m) => decodeURIComponent(m[1]!));
    expect(ids.length).toBeGreaterThan(0);
    const doc = await server.inject({ method: 'GET', url: `/api/v1/warning/cap/${encodeURIComponent(ids[0]!)}?as_of=${AS_OF}` });
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('application/cap+xml');
    expect(doc.body).toContain('<category>Security</category>');
    const missing = await server.inject({ method: 'GET', url: `/api/v1/warning/cap/no-such-alert?as_of=${AS_OF}` });
    expect(missing.statusCode).toBe(404);
    if (!requireOrSkip('xmllint (Debian libxml2-utils)', hasXmllint)) return ctx.skip();
    expect(xmllint(feed.body)).toMatchObject({ ok: true });
    const r = xmllint(doc.body, XSD);
    expect(r.out).toContain('validates');
    expect(r.ok).toBe(true);
  });
});

