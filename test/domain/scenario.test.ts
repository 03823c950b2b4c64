import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPath, MizanError } from '../../src/domain/errors.js';
import { NOTHING_KNOWN, validateScenario } from '../../src/domain/scenario.js';

const builtin = JSON.parse(readFileSync(new URL('../../data/scenarios/af-pk-2025.json', import.meta.url), 'utf8')) as Record<string, unknown[]>;

function issuesOf(doc: unknown): string[] {
  try {
    validateScenario(doc);
  } catch (e) {
    if (e instanceof MizanError) return e.fields.map((f) => `${formatPath(f.path)}: ${f.message}`);
    throw e;
  }
  return [];
}

const minimal = {
  parties: [
    { id: 'PAK', name: 'Pakistan', kind: 'state', country: 'PAK' },
    { id: 'AFG', name: 'Afghanistan', kind: 'de_facto_authority', country: 'AFG' },
    { id: 'QAT', name: 'Qatar', kind: 'mediator', country: 'QAT' },
  ],
  actors: [{ id: 'TTP', names: ['Tehrik-i-Taliban Pakistan', { name: 'Fitna al-Khawarij', used_by: ['PAK'] }], controlled_by: null }],
  sources: [{ id: 'src1', title: 'A report' }],
  incidents: [
    {
      id: 'i1',
      occurred: { local: '2025-10-17', zone: 'Asia/Karachi', precision: 'day' },
      location: { country: 'PAK', admin1: 'Khyber Pakhtunkhwa', lat: 33.0, lon: 70.2 },
      event_type: 'Explosions/Remote violence',
      sub_event_type: 'Suicide bomb',
      actors: [{ actor: 'TTP', role: 'perpetrator' }],
      sources: ['src1'],
    },
  ],
  claims: [{ id: 'c1', incident: 'i1', by: 'PAK', basis: 'alleged', asserts: { perpetrator: 'TTP', facilitated_by: 'AFG' } }],
};

// A copy of the minimal scenario to break on purpose: walked as untyped JSON, since the point is
// to write what the scenario type forbids.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const broken = (): Record<string, any> => structuredClone(minimal);

describe('validateScenario', () => {
  it('accepts the built-in October 2025 scenario', () => {
    const s = validateScenario(builtin);
    expect(s.incidents!.length).toBeGreaterThanOrEqual(8);
    expect(s.parties!.map((p) => p.id)).toEqual(expect.arrayContaining(['PAK', 'AFG', 'QAT', 'TUR']));
  });

  it('accepts a minimal scenario', () => {
    expect(issuesOf(minimal)).toEqual([]);
  });

  it('names the JSON path of an unknown field', () => {
    const doc = broken();
    doc.incidents[0].locaton = doc.incidents[0].location;
    expect(issuesOf(doc)).toContain('incidents[0].locaton: unknown field');
  });

  it('rejects dangling references with their paths', () => {
    const doc = broken();
    doc.claims[0].asserts.perpetrator = 'ISKP';
    doc.incidents[0].sources = ['nope'];
    const issues = issuesOf(doc);
    expect(issues).toContain('claims[0].asserts.perpetrator: no actor with id "ISKP"');
    expect(issues).toContain('incidents[0].sources[0]: no source with id "nope"');
  });

  it('accepts a verified claim only from a mediator', () => {
    const doc = broken();
    doc.claims.push({ id: 'c2', incident: 'i1', by: 'PAK', basis: 'verified', asserts: {} });
    expect(issuesOf(doc)).toEqual(['claims[1].basis: only a mediator party may file a verified claim']);
    doc.claims[1].by = 'QAT';
    expect(issuesOf(doc)).toEqual([]);
  });

  it('keeps a claim as hidden as its incident: inherits the incident’s visibility, never shows more', () => {
    const doc = broken();
    doc.incidents[0].visibility = 'parties';
    expect(validateScenario(doc).claims?.[0]?.visibility).toBe('parties');
    doc.claims[0].visibility = 'mediators';
    expect(validateScenario(doc).claims?.[0]?.visibility).toBe('mediators');
    doc.claims[0].visibility = 'public';
    expect(issuesOf(doc)).toEqual(['claims[0].visibility: a claim about a parties incident cannot be public']);
    // Against an incident already in the store, too.
    const claimOnly = { claims: [{ ...doc.claims[0], visibility: 'public' }] };
    const known = { ...NOTHING_KNOWN, parties: new Map([['PAK', 'state']]), incidents: new Map([['i1', 'mediators' as const]]) };
    expect(() => validateScenario(claimOnly, known)).toThrow(expect.objectContaining({ fields: expect.arrayContaining([expect.objectContaining({ code: 'wider_than_incident', message: 'a claim about a mediators incident cannot be public' })]) }));
  });

  it('keeps one id space across parties, actors and sources', () => {
    const doc = broken();
    doc.sources.push({ id: 'TTP', title: 'clash' });
    expect(issuesOf(doc)[0]).toMatch(/^sources\[1\]\.id: id "TTP" is already used by an actor/);
  });

  it('requires a country for states and rejects bad coordinates and sub-event types', () => {
    const doc = broken();
    delete doc.parties[0].country;
    doc.incidents[0].location.lat = 123;
    doc.incidents[0].sub_event_type = 'Armed clash';
    const issues = issuesOf(doc);
    expect(issues).toContain('parties[0].country: is required for a party of kind state');
    expect(issues).toContain('incidents[0].location.lat: latitude must be between -90 and 90');
    expect(issues.some((i) => i.startsWith('incidents[0].sub_event_type: is not a sub-event type of "Explosions/Remote violence"'))).toBe(true);
  });

  it('reports time errors inside occurred at their path', () => {
    const doc = broken();
    doc.incidents[0].occurred = { local: '2025-13-01', zone: 'Asia/Kabul', precision: 'day' };
    expect(issuesOf(doc)[0]).toMatch(/^incidents\[0\]\.occurred\.local: /);
    doc.incidents[0].occurred = { local: '2025-10-01', zone: 'Mars/Olympus', precision: 'day' };
    expect(issuesOf(doc)[0]).toMatch(/^incidents\[0\]\.occurred\.zone: is not a known IANA time zone/);
  });

  it('rejects duplicate incident ids and obligations naming non-parties', () => {
    const doc = broken();
    doc.incidents.push(structuredClone(doc.incidents[0]));
    doc.agreements = [
      {
        id: 'a1',
        title: 'Truce',
        parties: ['PAK', 'AFG'],
        mediators: ['QAT'],
        windows: [{ from: '2025-10-15T13:00:00Z', to: '2025-10-17T13:00:00Z' }],
        obligations: [{ id: 'o1', type: 'cease_attacks', bearer: 'PAK', against: 'QAT', targets: ['civilians'] }],
      },
    ];
    const issues = issuesOf(doc);
    expect(issues).toContain('incidents[1].id: incident id "i1" is used twice');
    expect(issues).toContain('agreements[0].obligations[0].against: against "QAT" is not one of this agreement\'s parties');
  });
});
