import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WarningAlert } from '../../src/warning/index.js';
import { capArea, capDateTime, escapeXml, renderCap } from '../../src/warning/index.js';
import { REPO_ROOT, requireOrSkip } from '../support/env.js';

const XSD = join(REPO_ROOT, 'test', 'fixtures', 'warning', 'cap12.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** One xmllint run over many documents (starting xmllint and loading the schema dominates). */
function validate(...xml: string[]): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mizan-cap-'));
  try {
    const files = xml.map((x, i) => {
      const file = join(dir, `alert-${i}.xml`);
      writeFileSync(file, x);
      return file;
    });
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8' });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const alert = (over: Partial<WarningAlert> = {}): WarningAlert => ({
  id: 'chain-PAK-AFG-INC-1-3',
  rule: 'retaliation_chain',
  subject: 'PAK<->AFG',
  headline: 'Retaliation chain of 3 events',
  description: 'Events: INC-1, INC-2, INC-3.',
  severity: 'Moderate',
  certainty: 'Possible',
  as_of: '2025-10-16T00:00:00.000Z',
  onset: '2025-10-10T19:30:00.000Z',
  events: ['INC-1', 'INC-2', 'INC-3'],
  points: [
    { lat: 34.52813, lon: 69.17233 },
    { lat: 32.9515, lon: 69.1828 },
    { lat: 33.00059, lon: 70.07117 },
  ],
  districts: ['AFG/Kabul', 'AFG/Paktika', 'PAK/Khyber Pakhtunkhwa'],
  visibility: 'public',
  ...over,
});

describe('CAP 1.2', () => {
  it('renders the required elements in schema order, with a closed polygon', () => {
    const x = renderCap(alert(), { sender: 'mizan-early-warning' });
    expect(x).toMatch(/<identifier>mizan-chain-PAK-AFG-INC-1-3<\/identifier>\s*<sender>mizan-early-warning<\/sender>\s*<sent>2025-10-16T00:00:00\+00:00<\/sent>\s*<status>Actual<\/status>\s*<msgType>Alert<\/msgType>\s*<scope>Public<\/scope>/);
    expect(x).toContain('<category>Security</category>');
    const poly = /<polygon>([^<]+)<\/polygon>/.exec(x)![1]!.split(' ');
    expect(poly.length).toBeGreaterThanOrEqual(4);
    expect(poly[0]).toBe(poly[poly.length - 1]);
  });

  it('has one info block per language of the mechanism, each with the same area and the incidents', () => {
    const x = renderCap(alert(), { sender: 'mizan-early-warning' });
    const infos = x.split('<info>').slice(1);
    expect(infos.map((i) => /<language>([^<]+)<\/language>/.exec(i)![1])).toEqual(['en-US', 'ur-PK', 'ps-AF', 'fa-AF']);
    const areas = new Set(infos.map((i) => /<area>[\s\S]*<\/area>/.exec(i)![0]));
    expect(areas.size).toBe(1);
    for (const i of infos.slice(1)) {
      const headline = /<headline>([^<]+)<\/headline>/.exec(i)![1]!;
      expect(headline).toMatch(/[\u0600-\u06FF]/); // written in the Arabic script
      expect(headline).toContain('PAK&lt;-&gt;AFG — 3 ');
      expect(i).toContain('INC-1, INC-2, INC-3');
    }
  });

  it('uses a circle for one or two points and a Restricted scope for non-public records', () => {
    expect(capArea([{ lat: 33, lon: 70 }])).toEqual({ circle: '33,70 25' });
    expect(capArea([])).toEqual({});
    const x = renderCap(alert({ points: [{ lat: 33, lon: 70 }], visibility: 'parties' }), { sender: 's' });
    expect(x).toContain('<circle>33,70 25</circle>');
    expect(x).toContain('<scope>Restricted</scope>');
    expect(x).toContain('<restriction>');
  });

  it('escapes markup an attacker puts in record ids, names and districts', () => {
    const evil = alert({ headline: '</headline><script>&x"\'', districts: ['AFG/<b>&', '\u0001bell\uFFFE'], subject: ']]><!--' });
    const x = renderCap(evil, { sender: 'a&b' });
    expect(x).not.toContain('<script>');
    expect(x).toContain('&lt;/headline&gt;&lt;script&gt;&amp;x&quot;&apos;');
    expect(x).not.toContain('\u0001');
    expect(x).toContain('<sender>a&amp;b</sender>');
    expect(escapeXml('a\uD800b')).toBe('ab');
  });

  it('rejects a date it cannot render rather than emitting an invalid one', () => {
    expect(capDateTime('2025-10-15T13:00:00+05:00')).toBe('2025-10-15T08:00:00+00:00');
    expect(() => capDateTime('nonsense')).toThrow(RangeError);
  });

  it('validates against cap12.xsd (xmllint), hostile text included', (ctx) => {
    if (!requireOrSkip('xmllint (Debian libxml2-utils)', hasXmllint)) return ctx.skip();
    const alerts = [alert(), alert({ visibility: 'mediators', points: [], headline: '<&>' }), alert({ rule: 'escalation', severity: 'Severe', certainty: 'Likely' })];
    const r = validate(...alerts.map((a) => renderCap(a, { sender: 'mizan-early-warning', senderName: 'Mizan' })));
    expect(r.out.match(/validates/g)).toHaveLength(alerts.length);
    expect(r.ok).toBe(true);
  });

  it('stays schema-valid for any text (50 random samples, one xmllint run)', (ctx) => {
    if (!requireOrSkip('xmllint (Debian libxml2-utils)', hasXmllint)) return ctx.skip();
    const samples = fc.sample(fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 })), 50);
    const r = validate(...samples.map(([h, d]) => renderCap(alert({ headline: h, description: d, districts: [d], subject: h }), { sender: h || 's' })));
    expect(r.out.match(/validates/g)).toHaveLength(samples.length);
    expect(r.ok).toBe(true);
  });
});
