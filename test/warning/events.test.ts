import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/domain/claim.js';
import type { Incident } from '../../src/domain/incident.js';
import { eventsFromRecords } from '../../src/warning/index.js';

const parties = [
  { id: 'PAK', country: 'PAK' },
  { id: 'AFG', country: 'AFG' },
];
const actors = [
  { id: 'PAK-AF', controlled_by: 'PAK' },
  { id: 'AFG-F', controlled_by: 'AFG' },
  { id: 'TTP', controlled_by: null },
];

const incident = (id: string, country: string, actors: Incident['actors'] = [], extra: Partial<Incident> = {}): Incident =>
  ({
    id,
    title: null,
    occurred: { from: '2025-10-10T00:00:00.000Z', to: '2025-10-11T00:00:00.000Z', precision: 'day', stated: { from: '2025-10-10T00:00:00Z', to: '2025-10-11T00:00:00Z' } },
    location: { country, admin1: 'X' },
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actors,
    fatalities: { best: 4 },
    sources: [],
    visibility: 'public',
    notes: null,
    recorded_by: null,
    recorded_at: '2025-10-10T00:00:00.000Z',
    log_index: null,
    ...extra,
  });

const claim = (id: string, incidentId: string, basis: Claim['basis'], perpetrator?: string, supersedes?: string): Claim =>
  ({ id, incident: incidentId, by: 'SRC', basis, asserts: perpetrator ? { perpetrator } : {}, visibility: 'public', recorded_by: null, recorded_at: '', log_index: null, ...(supersedes ? { supersedes } : {}) });

describe('dyads from Mizan records', () => {
  it("a party's forces acting in the other country: PAK→AFG, whoever the target", () => {
    const [e] = eventsFromRecords({ parties, actors, incidents: [incident('I1', 'AFG', [{ actor: 'PAK-AF', role: 'perpetrator' }, { actor: 'TTP', role: 'target' }])], claims: [] });
    expect(e!.dyad).toEqual({ a: 'PAK', b: 'AFG', directed: true });
    expect(e!.fatalities).toBe(4);
    expect(e!.district).toBe('AFG/X');
  });

  it('a non-state actor against a party: TTP→PAK', () => {
    const [e] = eventsFromRecords({ parties, actors, incidents: [incident('I2', 'PAK', [{ actor: 'TTP', role: 'perpetrator' }, { actor: 'PAK-AF', role: 'target' }])], claims: [] });
    expect(e!.dyad).toEqual({ a: 'TTP', b: 'PAK', directed: true });
  });

  it('two acting sides (a clash) give an undirected pair', () => {
    const [e] = eventsFromRecords({ parties, actors, incidents: [incident('I3', 'AFG', [{ actor: 'PAK-AF', role: 'perpetrator' }, { actor: 'AFG-F', role: 'perpetrator' }])], claims: [] });
    expect(e!.dyad).toEqual({ a: 'AFG', b: 'PAK', directed: false });
  });

  it('without actors on the incident, the strongest basis among live claims decides; superseded claims do not count', () => {
    const inc = incident('I4', 'PAK');
    const claims = [claim('C1', 'I4', 'reported', 'AFG-F'), claim('C2', 'I4', 'verified', 'TTP'), claim('C3', 'I4', 'verified', 'AFG-F', 'C2')];
    const [e] = eventsFromRecords({ parties, actors, incidents: [inc], claims });
    expect(e!.dyad).toEqual({ a: 'AFG', b: 'PAK', directed: true });
  });

  it('a strategic development (talks, an agreement, camps reported) is not an attack', () => {
    const talks = incident('I7', 'AFG', [{ actor: 'TTP', role: 'perpetrator' }], { event_type: 'Strategic developments', sub_event_type: 'Other' });
    expect(eventsFromRecords({ parties, actors, incidents: [talks], claims: [] })).toEqual([]);
  });

  it('an incident with no attributable perpetrator, or an unreadable time, is not an event', () => {
    const bad = incident('I5', 'PAK', [{ actor: 'TTP', role: 'perpetrator' }], { occurred: { from: 'garbage', to: 'x', precision: 'day', stated: { from: 'x', to: 'y' } } });
    expect(eventsFromRecords({ parties, actors, incidents: [incident('I6', 'PAK'), bad], claims: [] })).toEqual([]);
  });
});
