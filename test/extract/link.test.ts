// Issue 9 §2: the same strike reported three ways lands on one incident; a different strike does not.
import { describe, expect, it } from 'vitest';
import { linkIncidentOf } from '../../src/app/extract.js';
import { LINK_THRESHOLD, reportOfCandidate, scoreLink, suggestLink, type LinkIncident } from '../../src/intake/link/index.js';
import { extractor, scenario } from './support.js';

const incidents: LinkIncident[] = scenario.incidents.map(linkIncidentOf).filter((x): x is LinkIncident => x !== null);

const reports = [
  // Afghan side, 22 October: weekday and Latin spelling Barmal
  { text: 'Pakistani jets bombed homes in Barmal district of Paktika on Friday evening, killing 10 civilians, Taliban officials said.', published: '2025-10-22' },
  // Pakistani side, a day later, other spelling, other figures
  { text: 'ISPR said precision strikes hit TTP hideouts in Bermal early on October 18, killing more than 30 militants.', published: '2025-10-19' },
  // a wire, Arabic-script place, day given with date
  { text: 'An air strike hit houses in برمل on 17 October, residents said; at least five people were killed.', published: '2025-10-18' },
];

describe('linking reports to incidents', () => {
  it('three differently worded reports of the Barmal strike all land on INC-20251017-BARMAL, each keeping its own figures', () => {
    const figures: unknown[] = [];
    for (const r of reports) {
      const x = extractor().extract(r.text, r.published);
      expect(x.incidents).toHaveLength(1);
      const c = x.incidents[0]!;
      figures.push(c.fatalities.map((f) => [f.low, f.high, f.who.id]));
      const s = suggestLink(reportOfCandidate(c), incidents);
      expect(s.incident, `${r.text}\n${JSON.stringify(s)}`).toBe('INC-20251017-BARMAL');
      expect(s.decision).toBe('linked');
      expect(s.score).toBeGreaterThanOrEqual(LINK_THRESHOLD);
      // the strike on the same evening in the next district is the runner-up, not the match
      expect(s.alternatives[0]?.incident).toBe('INC-20251017-URGUN');
      expect(s.alternatives[0]!.score).toBeLessThan(s.score);
      expect(s.explanation).toMatch(/same district \(Barmal\)/);
    }
    // no merge: each report's claims stay its own
    expect(figures).toEqual([[[10, 10, 'AFG']], [[31, null, 'PAK']], [[5, null, null]]]);
  });

  it('a different strike (Kabul, 9 October) does not link to the Barmal incident', () => {
    const x = extractor().extract('Pakistan carried out air strikes in Kabul on 9 October, targeting a TTP leader.', '2025-10-10');
    const c = x.incidents[0]!;
    const barmal = incidents.find((i) => i.id === 'INC-20251017-BARMAL')!;
    expect(scoreLink(reportOfCandidate(c), barmal)).toBeNull(); // blocked: 8 days and 170 km apart
    expect(suggestLink(reportOfCandidate(c), incidents)).toMatchObject({ incident: 'INC-20251009-KABUL', decision: 'linked' });
  });

  it('a strike with nothing near it becomes a new incident', () => {
    const x = extractor().extract('An air strike hit a house in Chaman on 3 October.', '2025-10-04');
    expect(suggestLink(reportOfCandidate(x.incidents[0]!), incidents)).toMatchObject({ incident: null, decision: 'new' });
  });

  it('a vague report in the grey zone is queued for a person, not linked', () => {
    const s = suggestLink(
      { occurred: { from: '2025-10-17T00:00:00Z', to: '2025-10-19T00:00:00Z' }, location: { country: 'AFG', admin1: null, admin2: null, lat: null, lon: null }, event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike', actors: [] },
      incidents,
    );
    expect(s.decision).toBe('queued');
    expect(s.score).toBeLessThan(LINK_THRESHOLD);
  });
});
