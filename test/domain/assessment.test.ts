import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../src/domain/agreement.js';
import { AgreementInput as AgreementInputSchema, applyAmendment } from '../../src/domain/agreement.js';
import type { Basis } from '../../src/domain/common.js';
import type {
  AssessmentAgreement,
  AssessmentClaim,
  AssessmentIncident,
  AssessmentInput,
  AssessmentRelation,
  AssessmentRow,
} from '../../src/domain/assessment/index.js';
import {
  AssessmentRows,
  SEVERITY,
  assess,
  assessIncident,
  assessmentInputFromScenario,
  compareSeverity,
  periodsInForce,
} from '../../src/domain/assessment/index.js';
import { Scenario } from '../../src/domain/scenario.js';
import { resolveOccurred } from '../../src/domain/time.js';

// A small world for the rule tests: two parties, a mediator, forces each party controls,
// armed groups no party controls, and the October truce (two joined windows) with
// Pakistan's and Afghanistan's obligations.

const PROTECTED = ['security_forces', 'civilians', 'critical_infrastructure'] as const;

const OBLIGATIONS: Obligation[] = [
  { id: 'PAK-CEASE', type: 'cease_attacks', bearer: 'PAK', against: 'AFG', targets: [...PROTECTED] },
  { id: 'AFG-CEASE', type: 'cease_attacks', bearer: 'AFG', against: 'PAK', targets: [...PROTECTED] },
  { id: 'AFG-NO-SUPPORT', type: 'no_support', bearer: 'AFG', against: 'PAK' },
  { id: 'MECHANISM', type: 'establish_mechanism', text: 'Set up a mechanism.' },
  { id: 'NOTE', type: 'other', text: 'Meet in Doha.' },
];

const TRUCE: AssessmentAgreement = {
  id: 'TRUCE',
  parties: ['PAK', 'AFG'],
  mediators: [],
  windows: [
    { from: '2025-10-15T13:00:00Z', to: '2025-10-17T13:00:00Z' },
    { from: '2025-10-17T13:00:00Z', to: '2025-10-19T13:00:00Z' },
  ],
  obligations: OBLIGATIONS,
};

const rel = (subject: string, type: AssessmentRelation['type'], to: { party?: string; actor?: string }): AssessmentRelation => ({
  subject,
  type,
  party: to.party,
  object_actor: to.actor,
  basis: 'reported',
  by: 'SRC',
});

const BASE: AssessmentInput = {
  parties: [
    { id: 'PAK', kind: 'state', country: 'PAK' },
    { id: 'AFG', kind: 'de_facto_authority', country: 'AFG' },
    { id: 'QAT', kind: 'mediator', country: 'QAT' },
    { id: 'OIC', kind: 'observer' },
  ],
  actors: [
    { id: 'PAK-AF', controlled_by: 'PAK', name: 'Pakistan Armed Forces' },
    { id: 'PAK-PAF', controlled_by: 'PAK' },
    { id: 'AFG-F', controlled_by: 'AFG' },
    { id: 'TTP', controlled_by: null, name: 'Tehrik-i-Taliban Pakistan' },
    { id: 'TNSM', controlled_by: null },
    { id: 'HGB', controlled_by: null },
    { id: 'ISKP', controlled_by: null },
  ],
  relations: [rel('TTP', 'allied_with', { party: 'AFG' }), rel('TNSM', 'faction_of', { actor: 'TTP' }), rel('HGB', 'allied_with', { actor: 'TTP' })],
  agreements: [TRUCE],
  incidents: [],
  claims: [],
};

/** An incident inside the truce, in Pakistan unless said otherwise. */
function incident(over: Partial<AssessmentIncident> = {}): AssessmentIncident {
  return { id: 'I', occurred: { from: '2025-10-16T10:00:00Z', to: '2025-10-16T11:00:00Z' }, location: { country: 'PAK' }, ...over };
}

function claim(id: string, by: string, basis: Basis, asserts: AssessmentClaim['asserts'], over: Partial<AssessmentClaim> = {}): AssessmentClaim {
  return { id, incident: 'I', by, basis, asserts, ...over };
}

function world(inc: AssessmentIncident, claims: AssessmentClaim[], over: Partial<AssessmentInput> = {}): AssessmentInput {
  return { ...BASE, incidents: [inc], claims, ...over };
}

function row(input: AssessmentInput, obligation: string, incidentId = 'I'): AssessmentRow {
  const found = assess(input).find((r) => r.incident === incidentId && r.obligation === obligation);
  if (!found) throw new Error(`no row for ${incidentId} × ${obligation}`);
  return found;
}

const last = (r: AssessmentRow) => r.steps[r.steps.length - 1]!;

// ---------------------------------------------------------------------------------------

describe('the built-in scenario (data/scenarios/af-pk-2025.json)', () => {
  const scenario = Scenario.parse(JSON.parse(readFileSync(new URL('../../data/scenarios/af-pk-2025.json', import.meta.url), 'utf8')));
  const input = assessmentInputFromScenario(scenario);
  const rows = assess(input);
  const status = (inc: string, obl: string) => rows.find((r) => r.incident === inc && r.obligation === obl);

  it('converts with occurred resolved through resolveOccurred and relations taken from actors[].relations', () => {
    const mirAli = input.incidents.find((i) => i.id === 'INC-20251017-MIR-ALI')!;
    const stated = scenario.incidents!.find((i) => i.id === 'INC-20251017-MIR-ALI')!.occurred;
    expect(mirAli.occurred).toMatchObject({ from: resolveOccurred(stated).from, to: resolveOccurred(stated).to });
    expect(input.relations).toContainEqual(expect.objectContaining({ subject: 'TTP', type: 'allied_with', party: 'AFG' }));
    expect(input.relations).toContainEqual(expect.objectContaining({ subject: 'TNSM', type: 'faction_of', object_actor: 'TTP' }));
  });

  it('gives one row per incident × cease_attacks/no_support obligation, sorted, all valid', () => {
    // 15 incidents × (2 truce + 3 Doha obligations); mechanisms and free text have no row.
    expect(rows).toHaveLength(15 * 5);
    expect(AssessmentRows.parse(rows)).toEqual(rows);
    const keys = rows.map((r) => [r.incident, r.agreement, r.obligation].join('\u0000'));
    expect(keys).toEqual([...keys].sort());
  });

  it('the 9 October Kabul strike and the border attacks after it are not_in_force', () => {
    for (const inc of [
      'INC-20251009-KABUL',
      'INC-20251009-PAKTIKA',
      'INC-20251011-BORDER-POSTS',
      'INC-20251011-FIRE-INTO-AFG',
      'INC-20251011-FIRE-INTO-PAK',
      'INC-20251015-SPIN-BOLDAK',
    ]) {
      const mine = rows.filter((r) => r.incident === inc);
      expect(mine).toHaveLength(5);
      for (const r of mine) expect(r.status, `${inc} × ${r.obligation}`).toBe('not_in_force');
    }
  });

  it('the TTP-linked suicide attack at Mir Ali during the truce is a contingent_violation of Afghanistan’s cease_attacks (open: facilitation)', () => {
    const r = status('INC-20251017-MIR-ALI', 'TRUCE-AFG-CEASE')!;
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
    expect(last(r).rule).toBe('cease_attacks.2');
    expect(r.steps.flatMap((s) => s.claims)).toEqual(expect.arrayContaining(['CLM-MIRALI-PAK', 'CLM-MIRALI-OPI', 'CLM-MIRALI-AFG']));
    expect(status('INC-20251017-MIR-ALI', 'TRUCE-PAK-CEASE')!.status).toBe('no_violation');
  });

  it('the Paktika strikes (Urgun, Barmal) on the evening of 17 October are alleged_violations of Pakistan’s cease_attacks', () => {
    for (const inc of ['INC-20251017-URGUN', 'INC-20251017-BARMAL']) {
      const r = status(inc, 'TRUCE-PAK-CEASE')!;
      // Islamabad did not claim them, and the target is contested (civilians vs militant hideouts).
      expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution', 'target_category'] });
      expect(last(r).rule).toBe('cease_attacks.1');
      expect(status(inc, 'TRUCE-AFG-CEASE')!.status).toBe('no_violation');
    }
  });

  it('the Kurram fighting after Doha is a contingent_violation of Afghanistan’s cease_attacks and no_support', () => {
    expect(status('INC-202510-KURRAM', 'DOHA-AFG-CEASE')).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
    expect(status('INC-202510-KURRAM', 'DOHA-AFG-NO-SUPPORT')).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
    expect(status('INC-202510-KURRAM', 'DOHA-PAK-CEASE')!.status).toBe('no_violation');
    expect(status('INC-202510-KURRAM', 'TRUCE-AFG-CEASE')!.status).toBe('not_in_force');
  });

  it('gives these statuses to every row that is in force or near a boundary', () => {
    const table = Object.fromEntries(rows.filter((r) => r.status !== 'not_in_force').map((r) => [`${r.incident} ${r.obligation}`, r.status]));
    expect(table).toEqual({
      'INC-202510-KURRAM DOHA-AFG-CEASE': 'contingent_violation',
      'INC-202510-KURRAM DOHA-AFG-NO-SUPPORT': 'contingent_violation',
      'INC-202510-KURRAM DOHA-PAK-CEASE': 'no_violation',
      // Pakistan's allegation of camps is dated "October 2025" (spans both agreements'
      // boundaries) and placed in Afghanistan: no attack on Pakistan, so no_violation.
      'INC-202510-TTP-CAMPS DOHA-AFG-CEASE': 'no_violation',
      'INC-202510-TTP-CAMPS DOHA-AFG-NO-SUPPORT': 'no_violation',
      'INC-202510-TTP-CAMPS DOHA-PAK-CEASE': 'no_violation',
      'INC-202510-TTP-CAMPS TRUCE-AFG-CEASE': 'no_violation',
      'INC-202510-TTP-CAMPS TRUCE-PAK-CEASE': 'no_violation',
      'INC-20251017-BARMAL TRUCE-AFG-CEASE': 'no_violation',
      'INC-20251017-BARMAL TRUCE-PAK-CEASE': 'alleged_violation',
      'INC-20251017-MIR-ALI TRUCE-AFG-CEASE': 'contingent_violation',
      'INC-20251017-MIR-ALI TRUCE-PAK-CEASE': 'no_violation',
      'INC-20251017-URGUN TRUCE-AFG-CEASE': 'no_violation',
      'INC-20251017-URGUN TRUCE-PAK-CEASE': 'alleged_violation',
      // The Doha talks (a day in Doha time) span the end of the truce and the start of the
      // ceasefire; not an attack, so no_violation under both.
      'INC-20251019-DOHA DOHA-AFG-CEASE': 'no_violation',
      'INC-20251019-DOHA DOHA-AFG-NO-SUPPORT': 'no_violation',
      'INC-20251019-DOHA DOHA-PAK-CEASE': 'no_violation',
      'INC-20251019-DOHA TRUCE-AFG-CEASE': 'no_violation',
      'INC-20251019-DOHA TRUCE-PAK-CEASE': 'no_violation',
      'INC-20251025-ISTANBUL-TALKS DOHA-AFG-CEASE': 'no_violation',
      'INC-20251025-ISTANBUL-TALKS DOHA-AFG-NO-SUPPORT': 'no_violation',
      'INC-20251025-ISTANBUL-TALKS DOHA-PAK-CEASE': 'no_violation',
      'INC-20251030-ISTANBUL-JS DOHA-AFG-CEASE': 'no_violation',
      'INC-20251030-ISTANBUL-JS DOHA-AFG-NO-SUPPORT': 'no_violation',
      'INC-20251030-ISTANBUL-JS DOHA-PAK-CEASE': 'no_violation',
      'INC-202511-ISTANBUL-BREAKDOWN DOHA-AFG-CEASE': 'no_violation',
      'INC-202511-ISTANBUL-BREAKDOWN DOHA-AFG-NO-SUPPORT': 'no_violation',
      'INC-202511-ISTANBUL-BREAKDOWN DOHA-PAK-CEASE': 'no_violation',
    });
  });

  it('explains the Urgun strike in plain words', () => {
    const texts = status('INC-20251017-URGUN', 'TRUCE-PAK-CEASE')!.steps.map((s) => s.text);
    expect(texts).toEqual([
      "The incident (2025-10-17 13:30–19:30 UTC) lies inside AGR-TRUCE-48H's period in force [2025-10-15 13:00, 2025-10-19 13:00) UTC (windows that join are one period).",
      'The target belongs to AFG: the incident took place in AFG.',
      'Perpetrator PAK-PAF (Pakistan Air Force), controlled by PAK, is alleged, not established: named by AFG (claim CLM-URGUN-AFG) and SRC-OPI-20251022 (claim CLM-URGUN-OPI); no mediator has verified it and PAK has not claimed it.',
      'The target category is open, the claims disagree: AFG says civilians (claim CLM-URGUN-AFG), PAK says militants (claim CLM-URGUN-PAK) and SRC-OPI-20251022 says civilians (claim CLM-URGUN-OPI). Protected: security_forces, civilians and critical_infrastructure.',
      'Rule 1: PAK-PAF, controlled by PAK, is named; a violation if the attribution to PAK-PAF and the target category are confirmed: alleged violation. Open: attribution, target_category.',
    ]);
  });

  it('a mediator verifying the Paktika facts would turn the Urgun strike into a violation', () => {
    const verified: AssessmentClaim = {
      id: 'CLM-URGUN-QAT',
      incident: 'INC-20251017-URGUN',
      by: 'QAT',
      basis: 'verified',
      asserts: { perpetrator: 'PAK-PAF', target_category: 'civilians' },
    };
    const after = assessIncident({ ...input, claims: [...input.claims, verified] }, 'INC-20251017-URGUN');
    expect(after.find((r) => r.obligation === 'TRUCE-PAK-CEASE')).toMatchObject({ status: 'violation', open_questions: [] });
  });

  it('rows carry only JSON (they are served over HTTP and printed by mizan assess --json)', () => {
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});

// ---------------------------------------------------------------------------------------

describe('in force: windows, time zones and boundaries', () => {
  const ptt = { perpetrator: 'PAK-PAF', target_category: 'civilians' } as const;
  const strike = (occurred: AssessmentIncident['occurred']) =>
    world(incident({ occurred, location: { country: 'AFG' } }), [claim('c1', 'AFG', 'alleged', ptt)]);

  it('a strike at 17:45 in Kabul on 15 October is 13:15 UTC: inside the truce', () => {
    const occurred = resolveOccurred({ local: '2025-10-15T17:45', zone: 'Asia/Kabul', precision: 'exact' });
    expect(occurred.from).toBe('2025-10-15T13:15:00.000Z');
    const r = row(strike(occurred), 'PAK-CEASE');
    expect(r.status).toBe('alleged_violation');
    expect(r.steps[0]).toMatchObject({ rule: 'in_force', facts: { coverage: 'inside' } });
  });

  it('a strike at 17:55 in Karachi on 15 October is 12:55 UTC: before the truce, not_in_force', () => {
    const occurred = resolveOccurred({ local: '2025-10-15T17:55', zone: 'Asia/Karachi', precision: 'exact' });
    expect(occurred.from).toBe('2025-10-15T12:55:00.000Z');
    const r = row(strike(occurred), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'not_in_force', open_questions: [] });
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.text).toContain('lies outside TRUCE');
  });

  it('18:00 in Karachi is exactly the truce start (13:00 UTC) and is inside', () => {
    const occurred = resolveOccurred({ local: '2025-10-15T18:00', zone: 'Asia/Karachi', precision: 'exact' });
    expect(row(strike(occurred), 'PAK-CEASE').status).toBe('alleged_violation');
  });

  it('a day-precision incident straddling the truce start is window_uncertain, with status_if_in_force', () => {
    // 15 October in Kabul is [14 Oct 19:30, 15 Oct 19:30) UTC; the truce starts at 13:00 UTC.
    const occurred = resolveOccurred({ local: '2025-10-15', zone: 'Asia/Kabul', precision: 'day' });
    const r = row(strike(occurred), 'PAK-CEASE');
    expect(r).toMatchObject({
      status: 'window_uncertain',
      status_if_in_force: 'alleged_violation',
      open_questions: ['attribution', 'timing'],
    });
    expect(r.steps[0]!.facts).toMatchObject({ coverage: 'straddles', boundaries: ['2025-10-15T13:00:00.000Z'] });
    expect(r.steps[0]!.text).toContain('day precision');
    expect(last(r)).toMatchObject({ rule: 'in_force.boundary', facts: { status_if_in_force: 'alleged_violation' } });
  });

  it('straddling a boundary keeps no_violation when the act would not be prohibited anyway', () => {
    const occurred = resolveOccurred({ local: '2025-10-15', zone: 'Asia/Kabul', precision: 'day' });
    const r = row(world(incident({ occurred, location: { country: 'AFG' } }), [claim('c1', 'AFG', 'alleged', { perpetrator: 'PAK-PAF', target_category: 'militants' })]), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'no_violation', open_questions: [] });
    expect(r).not.toHaveProperty('status_if_in_force');
    expect(last(r).rule).toBe('in_force.boundary');
  });

  it('window_uncertain also carries the rule’s open questions (contingent: facilitation + timing)', () => {
    const occurred = resolveOccurred({ local: '2025-10-19', zone: 'Asia/Karachi', precision: 'day' });
    const r = row(world(incident({ occurred }), [claim('c1', 'PAK', 'alleged', { perpetrator: 'TTP', target_category: 'security_forces' })]), 'AFG-CEASE');
    expect(r).toMatchObject({ status: 'window_uncertain', status_if_in_force: 'contingent_violation', open_questions: ['facilitation', 'timing'] });
  });

  it('the truce and its extension make one continuous period: an incident across the join is inside', () => {
    const occurred = { from: '2025-10-17T12:00:00Z', to: '2025-10-17T14:00:00Z' };
    const r = row(strike(occurred), 'PAK-CEASE');
    expect(r.status).toBe('alleged_violation');
    expect(r.steps[0]!.facts).toMatchObject({ coverage: 'inside', in_force: [{ from: '2025-10-15T13:00:00.000Z', to: '2025-10-19T13:00:00.000Z' }] });
  });

  it('joins windows given out of order or overlapping, and keeps a gap as a gap', () => {
    expect(
      periodsInForce([
        { from: '2025-10-17T13:00:00Z', to: '2025-10-19T13:00:00Z' },
        { from: '2025-10-15T13:00:00Z', to: '2025-10-17T13:00:00Z' },
        { from: '2025-10-16T00:00:00Z', to: '2025-10-16T01:00:00Z' },
      ]),
    ).toEqual([{ from: Date.parse('2025-10-15T13:00:00Z'), to: Date.parse('2025-10-19T13:00:00Z') }]);
    const gap = [
      { from: '2025-10-15T13:00:00Z', to: '2025-10-17T13:00:00Z' },
      { from: '2025-10-17T14:00:00Z', to: null },
    ];
    expect(periodsInForce(gap)).toEqual([
      { from: Date.parse('2025-10-15T13:00:00Z'), to: Date.parse('2025-10-17T13:00:00Z') },
      { from: Date.parse('2025-10-17T14:00:00Z'), to: Infinity },
    ]);
    const agreements = [{ ...TRUCE, windows: gap }];
    const inGap = { from: '2025-10-17T13:10:00Z', to: '2025-10-17T13:20:00Z' };
    expect(row({ ...strike(inGap), agreements }, 'PAK-CEASE').status).toBe('not_in_force');
    const acrossGap = { from: '2025-10-17T12:00:00Z', to: '2025-10-17T15:00:00Z' };
    const r = row({ ...strike(acrossGap), agreements }, 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'window_uncertain', status_if_in_force: 'alleged_violation' });
    expect(r.steps[0]!.facts).toMatchObject({ boundaries: ['2025-10-17T13:00:00.000Z', '2025-10-17T14:00:00.000Z'] });
  });

  it('an exact incident in the last minute of a window is inside; one at its end instant is outside', () => {
    // 19 October 17:29 in Kabul is 12:59 UTC, the last minute of the extended truce.
    const lastMinute = resolveOccurred({ local: '2025-10-19T17:29', zone: 'Asia/Kabul', precision: 'exact' });
    expect(lastMinute).toMatchObject({ from: '2025-10-19T12:59:00.000Z', to: '2025-10-19T13:00:00.000Z' });
    expect(row(strike(lastMinute), 'PAK-CEASE').status).toBe('alleged_violation');
    const atEnd = resolveOccurred({ local: '2025-10-19T17:30', zone: 'Asia/Kabul', precision: 'exact' });
    expect(row(strike(atEnd), 'PAK-CEASE').status).toBe('not_in_force');
  });

  it('an exact incident at the end of the truce falls under the ceasefire that starts then', () => {
    const doha: AssessmentAgreement = { ...TRUCE, id: 'DOHA', mediators: ['QAT'], windows: [{ from: '2025-10-19T13:00:00Z', to: null }] };
    const atEnd = resolveOccurred({ local: '2025-10-19T18:00', zone: 'Asia/Karachi', precision: 'exact' });
    const input = { ...strike(atEnd), agreements: [TRUCE, doha] };
    const rows = assess(input).filter((r) => r.obligation === 'PAK-CEASE');
    expect(rows.map((r) => [r.agreement, r.status])).toEqual([
      ['DOHA', 'alleged_violation'],
      ['TRUCE', 'not_in_force'],
    ]);
    expect(rows[0]!.steps[0]!.text).toContain('[2025-10-19 13:00, no end) UTC');
  });

  it('an agreement terminated before the incident is not in force; one with no windows never is', () => {
    const cut = applyAmendment(TRUCE.windows, { type: 'termination', at: '2025-10-16T00:00:00Z' });
    const input = strike({ from: '2025-10-16T10:00:00Z', to: '2025-10-16T11:00:00Z' });
    expect(row({ ...input, agreements: [{ ...TRUCE, windows: cut }] }, 'PAK-CEASE').status).toBe('not_in_force');
    const r = row({ ...input, agreements: [{ ...TRUCE, windows: [] }] }, 'PAK-CEASE');
    expect(r.status).toBe('not_in_force');
    expect(r.steps[0]!.text).toContain('none (no window)');
  });

  it('describes an incident that spans midnight with both dates', () => {
    const r = row(strike({ from: '2025-10-16T22:00:00Z', to: '2025-10-17T02:00:00Z' }), 'PAK-CEASE');
    expect(r.steps[0]!.text).toContain('(2025-10-16 22:00 – 2025-10-17 02:00 UTC)');
  });

  it('an unreadable interval is placed nowhere rather than throwing', () => {
    expect(row(strike({ from: 'not a time', to: '2025-10-16T11:00:00Z' }), 'PAK-CEASE').status).toBe('not_in_force');
    expect(row(strike({ from: '2025-10-16T11:00:00Z', to: '2025-10-16T10:00:00Z' }), 'PAK-CEASE').status).toBe('not_in_force');
    expect(row(strike({ from: '2025-10-16T11:00:00Z', to: '2025-10-16T11:00:00Z' }), 'PAK-CEASE').status).toBe('alleged_violation');
    expect(row(strike({ from: '2025-10-14T11:00:00Z', to: '2025-10-14T11:00:00Z' }), 'PAK-CEASE').status).toBe('not_in_force');
  });
});

// ---------------------------------------------------------------------------------------

describe('cease_attacks: whose target', () => {
  it('a target that does not belong to the protected party: no_violation without looking further', () => {
    const r = row(world(incident({ location: { country: 'PAK' } }), [claim('c1', 'PAK', 'alleged', { perpetrator: 'PAK-AF', target_category: 'civilians' })]), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'no_violation', open_questions: [] });
    expect(r.steps.map((s) => s.rule)).toEqual(['in_force', 'fact.target_party', 'cease_attacks.target']);
  });

  it('a named target controlled by the protected party counts wherever the incident took place', () => {
    // Pakistani fire on Afghan forces, recorded at a place in Pakistan.
    const r = row(world(incident({ location: { country: 'PAK' } }), [claim('c1', 'AFG', 'alleged', { perpetrator: 'PAK-AF', target: 'AFG-F', target_category: 'security_forces' })]), 'PAK-CEASE');
    expect(r.status).toBe('alleged_violation');
    expect(r.steps[1]).toMatchObject({ rule: 'fact.target_party', claims: ['c1'], facts: { belongs: true, by_location: false } });
  });

  it('so does a target in the incident record, or a party named as the target', () => {
    const fromRecord = incident({ location: { country: 'QAT' }, actors: [{ actor: 'AFG-F', role: 'target' }] });
    expect(row(world(fromRecord, [claim('c1', 'AFG', 'alleged', { perpetrator: 'PAK-AF', target_category: 'security_forces' })]), 'PAK-CEASE').status).toBe(
      'alleged_violation',
    );
    const party = incident({ location: { country: 'QAT' } });
    expect(row(world(party, [claim('c1', 'AFG', 'alleged', { perpetrator: 'PAK-AF', target: 'AFG', target_category: 'government' })]), 'PAK-CEASE').status).toBe(
      'no_violation',
    );
    expect(
      row(world(party, [claim('c1', 'AFG', 'alleged', { perpetrator: 'PAK-AF', target: 'AFG', target_category: 'government' })]), 'PAK-CEASE').steps.map((s) => s.rule),
    ).toContain('cease_attacks.1');
  });
});

describe('cease_attacks rule 1: a perpetrator the bearer controls', () => {
  const inAfg = incident({ location: { country: 'AFG' } });

  it('verified by a mediator and a protected target: violation', () => {
    const r = row(world(inAfg, [claim('v', 'QAT', 'verified', { perpetrator: 'PAK-PAF', target_category: 'civilians' })]), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'violation', open_questions: [] });
    expect(r.steps.find((s) => s.rule === 'fact.perpetrator')).toMatchObject({ facts: { status: 'established', established_by: ['v'] } });
    expect(r.steps.find((s) => s.rule === 'fact.perpetrator')!.text).toContain('verified by QAT (claim v)');
  });

  it('claimed by the controlling party itself: violation (the border posts, had a truce been in force)', () => {
    const r = row(
      world(incident(), [claim('own', 'AFG', 'claimed_by_perpetrator', { perpetrator: 'AFG-F', target: 'PAK-AF', target_category: 'security_forces' })]),
      'AFG-CEASE',
    );
    expect(r.status).toBe('violation');
    expect(r.steps.find((s) => s.rule === 'fact.perpetrator')!.text).toContain('claimed as its own act by AFG (claim own)');
  });

  it('a party named as perpetrator is controlled by itself', () => {
    expect(row(world(inAfg, [claim('own', 'PAK', 'claimed_by_perpetrator', { perpetrator: 'PAK', target_category: 'civilians' })]), 'PAK-CEASE').status).toBe('violation');
  });

  it('claimed_by_perpetrator counts only from the party that controls the actor', () => {
    const byOther = claim('c1', 'PAK', 'claimed_by_perpetrator', { perpetrator: 'AFG-F', target_category: 'security_forces' });
    const bySource = claim('c2', 'SRC-X', 'claimed_by_perpetrator', { perpetrator: 'AFG-F', target_category: 'security_forces' });
    for (const c of [byOther, bySource]) {
      expect(row(world(incident(), [c]), 'AFG-CEASE')).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution'] });
    }
  });

  it('"verified" counts only from a mediator: a party, a source or an observer cannot verify', () => {
    for (const by of ['AFG', 'SRC-X', 'OIC']) {
      const r = row(world(inAfg, [claim('c1', by, 'verified', { perpetrator: 'PAK-PAF', target_category: 'civilians' })]), 'PAK-CEASE');
      expect(r.status, by).toBe('alleged_violation');
    }
  });

  it('an agreement’s listed mediator verifies for that agreement even if it is an observer; a party to the agreement never does', () => {
    const c = claim('c1', 'OIC', 'verified', { perpetrator: 'PAK-PAF', target_category: 'civilians' });
    const withOic = { ...TRUCE, mediators: ['OIC'] };
    expect(row(world(inAfg, [c], { agreements: [withOic] }), 'PAK-CEASE').status).toBe('violation');
    const qatarAsParty = { ...TRUCE, parties: ['PAK', 'AFG', 'QAT'] };
    const q = claim('c1', 'QAT', 'verified', { perpetrator: 'PAK-PAF', target_category: 'civilians' });
    expect(row(world(inAfg, [q], { agreements: [qatarAsParty] }), 'PAK-CEASE').status).toBe('alleged_violation');
  });

  it('established but the target category is open: alleged_violation (target_category)', () => {
    const r = row(
      world(inAfg, [
        claim('v', 'QAT', 'verified', { perpetrator: 'PAK-PAF' }),
        claim('a', 'AFG', 'alleged', { target_category: 'civilians' }),
        claim('p', 'PAK', 'alleged', { target_category: 'militants' }),
      ]),
      'PAK-CEASE',
    );
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['target_category'] });
  });

  it('alleged with a protected target: alleged_violation (attribution)', () => {
    const r = row(world(inAfg, [claim('a', 'AFG', 'alleged', { perpetrator: 'PAK-PAF', target_category: 'civilians' })]), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution'] });
  });

  it('alleged, and no claim states a category: alleged_violation (attribution, target_category)', () => {
    const r = row(world(inAfg, [claim('a', 'AFG', 'alleged', { perpetrator: 'PAK-PAF' })]), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution', 'target_category'] });
    expect(r.steps.find((s) => s.rule === 'fact.target_category')!.text).toContain('no claim states one');
  });

  it('named only in the incident record: alleged', () => {
    const r = row(world(incident({ location: { country: 'AFG' }, actors: [{ actor: 'PAK-PAF', role: 'perpetrator' }] }), []), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution', 'target_category'] });
    expect(r.steps.find((s) => s.rule === 'fact.perpetrator')!.text).toContain('named in the incident record');
  });

  it('the target category is outside the protected ones: no_violation, even when established', () => {
    const r = row(world(inAfg, [claim('v', 'QAT', 'verified', { perpetrator: 'PAK-PAF', target_category: 'militants' })]), 'PAK-CEASE');
    expect(r).toMatchObject({ status: 'no_violation', open_questions: [] });
    expect(last(r).rule).toBe('cease_attacks.1');
  });

  it('a denial keeps the attribution open; it does not refute', () => {
    const r = row(
      world(inAfg, [claim('a', 'AFG', 'alleged', { perpetrator: 'PAK-PAF', target_category: 'civilians' }), claim('d', 'PAK', 'alleged', { denies: 'PAK-PAF' })]),
      'PAK-CEASE',
    );
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution'] });
    const perp = r.steps.find((s) => s.rule === 'fact.perpetrator')!;
    expect(perp.claims).toEqual(['a', 'd']);
    expect(perp.text).toContain('PAK denies it (claim d); a denial keeps the question open.');
  });

  it('refuted when mediator-verified claims name someone else: then rules 2 and 3 apply', () => {
    const r = row(
      world(inAfg, [claim('a', 'AFG', 'alleged', { perpetrator: 'PAK-PAF', target_category: 'civilians' }), claim('v', 'QAT', 'verified', { perpetrator: 'ISKP' })]),
      'PAK-CEASE',
    );
    expect(r).toMatchObject({ status: 'no_violation' });
    expect(last(r).rule).toBe('cease_attacks.3');
    const refuted = r.steps.find((s) => s.rule === 'fact.perpetrator' && s.facts['actor'] === 'PAK-PAF')!;
    expect(refuted).toMatchObject({ facts: { status: 'refuted', refuted_by: ['v'] }, claims: ['a', 'v'] });
  });

  it('a party’s own admission stands even when a mediator names another perpetrator', () => {
    const r = row(
      world(inAfg, [
        claim('own', 'PAK', 'claimed_by_perpetrator', { perpetrator: 'PAK-PAF', target_category: 'civilians' }),
        claim('v', 'QAT', 'verified', { perpetrator: 'ISKP' }),
      ]),
      'PAK-CEASE',
    );
    expect(r.status).toBe('violation');
  });

  it('rule 1 comes before rule 2: an alleged own perpetrator decides even when facilitation is verified', () => {
    const r = row(
      world(incident(), [
        claim('a', 'PAK', 'alleged', { perpetrator: 'AFG-F', target_category: 'security_forces' }),
        claim('b', 'PAK', 'alleged', { perpetrator: 'TTP' }),
        claim('v', 'QAT', 'verified', { facilitated_by: 'AFG' }),
      ]),
      'AFG-CEASE',
    );
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['attribution'] });
    expect(last(r).rule).toBe('cease_attacks.1');
  });

  it('several own perpetrators: one established is enough', () => {
    const r = row(
      world(inAfg, [
        claim('a', 'AFG', 'alleged', { perpetrator: 'PAK-AF', target_category: 'civilians' }),
        claim('own', 'PAK', 'claimed_by_perpetrator', { perpetrator: 'PAK-PAF' }),
      ]),
      'PAK-CEASE',
    );
    expect(r.status).toBe('violation');
    expect(last(r).text).toContain('PAK-PAF, controlled by PAK, is established');
  });
});

describe('cease_attacks rule 2: a perpetrator no party controls', () => {
  it('linked to the bearer, no facilitation claim: contingent_violation (facilitation) — the Kurram case', () => {
    const r = row(world(incident(), [claim('c', 'SRC-X', 'reported', { perpetrator: 'TTP', target: 'PAK-AF', target_category: 'security_forces' })]), 'AFG-CEASE');
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
    expect(r.steps.find((s) => s.rule === 'fact.link')!.text).toBe(
      'TTP (Tehrik-i-Taliban Pakistan) is linked to AFG: TTP is allied_with AFG (reported by SRC).',
    );
  });

  it('not linked, but a claim says the bearer facilitated it: contingent_violation', () => {
    const r = row(
      world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP', target_category: 'civilians', facilitated_by: 'AFG' })]),
      'AFG-CEASE',
    );
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
    expect(r.steps.find((s) => s.rule === 'fact.facilitation')).toMatchObject({ claims: ['c'], facts: { asserted_by: ['c'], verified_by: [] } });
  });

  it('a facilitation claim with no perpetrator named at all still brings rule 2', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { facilitated_by: 'AFG', target_category: 'civilians' })]), 'AFG-CEASE');
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
  });

  it('contingent with an open category: target_category and facilitation (open questions keep the issue’s order)', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP' })]), 'AFG-CEASE');
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['target_category', 'facilitation'] });
  });

  it('facilitation verified by a mediator and a protected target: violation', () => {
    const r = row(
      world(incident(), [
        claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', target_category: 'security_forces', facilitated_by: 'AFG' }),
        claim('v', 'QAT', 'verified', { facilitated_by: 'AFG' }),
      ]),
      'AFG-CEASE',
    );
    expect(r).toMatchObject({ status: 'violation', open_questions: [] });
    expect(last(r).rule).toBe('cease_attacks.2');
  });

  it('facilitation verified but the category open: alleged_violation (target_category)', () => {
    const r = row(
      world(incident(), [
        claim('a', 'PAK', 'alleged', { perpetrator: 'TTP', target_category: 'security_forces' }),
        claim('b', 'AFG', 'alleged', { target_category: 'militants' }),
        claim('v', 'QAT', 'verified', { facilitated_by: 'AFG' }),
      ]),
      'AFG-CEASE',
    );
    expect(r).toMatchObject({ status: 'alleged_violation', open_questions: ['target_category'] });
  });

  it('the category outside the protected ones: no_violation', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', target_category: 'militants', facilitated_by: 'AFG' })]), 'AFG-CEASE');
    expect(r).toMatchObject({ status: 'no_violation', open_questions: [] });
    expect(last(r).rule).toBe('cease_attacks.2');
  });

  it('a faction inherits its parent’s relations (TNSM, a faction of the TTP)', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TNSM', target_category: 'civilians' })]), 'AFG-CEASE');
    expect(r.status).toBe('contingent_violation');
    expect(r.steps.find((s) => s.rule === 'fact.link')!.text).toContain('TNSM is a faction of TTP, and TTP is allied_with AFG (reported by SRC)');
  });

  it('an alliance with an ally is not a link: HGB is allied with the TTP, not with Kabul', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'HGB', target_category: 'security_forces' })]), 'AFG-CEASE');
    expect(r.status).toBe('no_violation');
    expect(r.steps.find((s) => s.rule === 'fact.link')!.facts).toMatchObject({ linked: false });
    expect(last(r).rule).toBe('cease_attacks.3');
  });

  it('a relation to an actor the bearer controls is a link, and so is hosted_by or supported_by with any basis', () => {
    const relations = [
      { subject: 'ISKP', type: 'hosted_by' as const, object_actor: 'AFG-F', basis: 'alleged' as const, by: 'PAK' },
      { subject: 'HGB', type: 'supported_by' as const, party: 'AFG', basis: 'alleged' as const },
    ];
    for (const actor of ['ISKP', 'HGB']) {
      const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: actor, target_category: 'civilians' })], { relations }), 'AFG-CEASE');
      expect(r.status, actor).toBe('contingent_violation');
    }
  });

  it('an alliance is mutual: allied_with recorded on the bearer’s forces links the group', () => {
    const relations = [rel('AFG-F', 'allied_with', { actor: 'ISKP' })];
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP', target_category: 'civilians' })], { relations }), 'AFG-CEASE');
    expect(r.status).toBe('contingent_violation');
    expect(r.steps.find((s) => s.rule === 'fact.link')!.text).toContain('AFG-F is allied_with ISKP');
  });

  it('a faction of the bearer itself, or of its forces, is linked to it (the Haqqani network)', () => {
    for (const to of [{ party: 'AFG' }, { actor: 'AFG-F' }]) {
      const relations = [rel('ISKP', 'faction_of', to)];
      const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP', target_category: 'civilians' })], { relations }), 'AFG-CEASE');
      expect(r.status).toBe('contingent_violation');
    }
  });

  it('a faction_of cycle ends', () => {
    const relations = [rel('ISKP', 'faction_of', { actor: 'HGB' }), rel('HGB', 'faction_of', { actor: 'ISKP' })];
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP', target_category: 'civilians' })], { relations }), 'AFG-CEASE');
    expect(r.status).toBe('no_violation');
  });

  it('an actor nobody recorded is controlled by no party and linked to nobody', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'UNKNOWN-GROUP', target_category: 'civilians' })]), 'AFG-CEASE');
    expect(r.status).toBe('no_violation');
    expect(r.steps.find((s) => s.rule === 'fact.perpetrator')!.facts).toMatchObject({ controlled_by: null });
  });
});

describe('cease_attacks rule 3', () => {
  it('no perpetrator at all: no_violation', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { target_category: 'civilians' })]), 'AFG-CEASE');
    expect(r).toMatchObject({ status: 'no_violation' });
    expect(last(r).rule).toBe('cease_attacks.3');
    expect(r.steps.find((s) => s.rule === 'fact.perpetrator')!.text).toBe('Neither the incident record nor any claim names a perpetrator.');
  });

  it('a perpetrator controlled by the other party: no_violation of this bearer’s obligation', () => {
    const r = row(world(incident(), [claim('c', 'AFG', 'alleged', { perpetrator: 'PAK-AF', target_category: 'civilians' })]), 'AFG-CEASE');
    expect(r.status).toBe('no_violation');
    expect(last(r).rule).toBe('cease_attacks.3');
  });
});

describe('no_support', () => {
  it('facilitation verified by a mediator: violation', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP' }), claim('v', 'QAT', 'verified', { facilitated_by: 'AFG' })]), 'AFG-NO-SUPPORT');
    expect(r).toMatchObject({ status: 'violation', open_questions: [] });
    expect(last(r).rule).toBe('no_support');
  });

  it('the group is linked to the bearer: contingent_violation (facilitation)', () => {
    const r = row(world(incident(), [claim('c', 'SRC-X', 'reported', { perpetrator: 'TTP' })]), 'AFG-NO-SUPPORT');
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
  });

  it('a claim says the bearer facilitated it: contingent_violation', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP', facilitated_by: 'AFG' })]), 'AFG-NO-SUPPORT');
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
  });

  it('neither: no_violation', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP' })]), 'AFG-NO-SUPPORT');
    expect(r.status).toBe('no_violation');
    expect(last(r).facts).toMatchObject({ applies: true });
  });

  it('does not apply to attacks on someone else, nor to perpetrators a party controls, nor when every group named is refuted', () => {
    const abroad = row(world(incident({ location: { country: 'AFG' } }), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })]), 'AFG-NO-SUPPORT');
    expect(abroad.status).toBe('no_violation');
    expect(last(abroad).facts).toMatchObject({ applies: false });
    const byForces = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'AFG-F', facilitated_by: 'AFG' })]), 'AFG-NO-SUPPORT');
    expect(byForces.status).toBe('no_violation');
    const refuted = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP' }), claim('v', 'QAT', 'verified', { perpetrator: 'AFG-F' })]), 'AFG-NO-SUPPORT');
    expect(refuted.status).toBe('no_violation');
  });

  it('the target category does not matter to no_support', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', target_category: 'militants' })]), 'AFG-NO-SUPPORT');
    expect(r.status).toBe('contingent_violation');
  });
});

describe('target category', () => {
  const inAfg = incident({ location: { country: 'AFG' } });
  const cat = (claims: AssessmentClaim[]) =>
    row(world(inAfg, [claim('p', 'QAT', 'verified', { perpetrator: 'PAK-PAF' }), ...claims]), 'PAK-CEASE').steps.find((s) => s.rule === 'fact.target_category')!.facts['verdict'];

  it('a verified category in T decides, whatever the others say', () => {
    expect(cat([claim('a', 'PAK', 'alleged', { target_category: 'militants' }), claim('v', 'QAT', 'verified', { target_category: 'civilians' })])).toBe('in');
  });

  it('verified categories all outside T decide', () => {
    expect(cat([claim('a', 'AFG', 'alleged', { target_category: 'civilians' }), claim('v', 'QAT', 'verified', { target_category: 'militants' })])).toBe('outside');
  });

  it('without verified ones: unanimity, or open', () => {
    expect(cat([claim('a', 'AFG', 'alleged', { target_category: 'civilians' }), claim('b', 'SRC', 'reported', { target_category: 'security_forces' })])).toBe('in');
    expect(cat([claim('a', 'AFG', 'alleged', { target_category: 'militants' }), claim('b', 'SRC', 'reported', { target_category: 'government' })])).toBe('outside');
    expect(cat([claim('a', 'AFG', 'alleged', { target_category: 'civilians' }), claim('b', 'PAK', 'alleged', { target_category: 'militants' })])).toBe('open');
    expect(cat([])).toBe('open');
  });
});

describe('claims: what is used and what is not', () => {
  it('a superseded claim is ignored', () => {
    const claims = [
      claim('old', 'PAK', 'claimed_by_perpetrator', { perpetrator: 'PAK-PAF', target_category: 'civilians' }, { superseded_by: 'new' }),
      claim('new', 'PAK', 'alleged', { target_category: 'militants' }),
    ];
    const r = row(world(incident({ location: { country: 'AFG' } }), claims), 'PAK-CEASE');
    expect(r.status).toBe('no_violation');
    expect(r.steps.flatMap((s) => s.claims)).not.toContain('old');
  });

  it('claims about other incidents are not used', () => {
    const other = claim('x', 'QAT', 'verified', { perpetrator: 'PAK-PAF', target_category: 'civilians' }, { incident: 'OTHER' });
    const r = row(world(incident({ location: { country: 'AFG' } }), [other]), 'PAK-CEASE');
    expect(r.status).toBe('no_violation');
  });

  it('every step cites the claims it used; conclusions cite none', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', target: 'PAK-AF', target_category: 'civilians', facilitated_by: 'AFG' })]), 'AFG-CEASE');
    expect(r.steps.map((s) => [s.rule, s.claims])).toEqual([
      ['in_force', []],
      ['fact.target_party', ['c']],
      ['fact.perpetrator', ['c']],
      ['fact.target_category', ['c']],
      ['fact.link', []],
      ['fact.facilitation', ['c']],
      ['cease_attacks.2', []],
    ]);
  });
});

describe('output contract', () => {
  const two: AssessmentInput = {
    ...BASE,
    agreements: [TRUCE, { ...TRUCE, id: 'A-EARLIER', windows: [{ from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' }] }],
    incidents: [incident({ id: 'Z' }), incident({ id: 'B' }), incident({ id: 'a' })],
  };

  it('sorts by incident, agreement and obligation id (code-unit order) and includes not_in_force rows', () => {
    const rows = assess(two);
    expect(rows.map((r) => `${r.incident}/${r.agreement}/${r.obligation}`)).toEqual([
      'B/A-EARLIER/AFG-CEASE',
      'B/A-EARLIER/AFG-NO-SUPPORT',
      'B/A-EARLIER/PAK-CEASE',
      'B/TRUCE/AFG-CEASE',
      'B/TRUCE/AFG-NO-SUPPORT',
      'B/TRUCE/PAK-CEASE',
      'Z/A-EARLIER/AFG-CEASE',
      'Z/A-EARLIER/AFG-NO-SUPPORT',
      'Z/A-EARLIER/PAK-CEASE',
      'Z/TRUCE/AFG-CEASE',
      'Z/TRUCE/AFG-NO-SUPPORT',
      'Z/TRUCE/PAK-CEASE',
      'a/A-EARLIER/AFG-CEASE',
      'a/A-EARLIER/AFG-NO-SUPPORT',
      'a/A-EARLIER/PAK-CEASE',
      'a/TRUCE/AFG-CEASE',
      'a/TRUCE/AFG-NO-SUPPORT',
      'a/TRUCE/PAK-CEASE',
    ]);
    expect(rows.filter((r) => r.agreement === 'A-EARLIER').every((r) => r.status === 'not_in_force')).toBe(true);
    expect(rows.find((r) => r.obligation === 'AFG-NO-SUPPORT')).toMatchObject({ bearer: 'AFG', against: 'PAK' });
  });

  it('assessIncident gives the rows of one incident, and none for an unknown id', () => {
    expect(assessIncident(two, 'Z')).toEqual(assess(two).filter((r) => r.incident === 'Z'));
    expect(assessIncident(two, 'nope')).toEqual([]);
  });

  it('an agreement with only mechanisms gives no rows', () => {
    const mechanismsOnly = { ...TRUCE, obligations: OBLIGATIONS.filter((o) => o.type === 'establish_mechanism' || o.type === 'other') };
    expect(assess({ ...two, agreements: [mechanismsOnly] })).toEqual([]);
  });

  it('the row schema requires status_if_in_force exactly with window_uncertain', () => {
    const base = { incident: 'I', agreement: 'A', obligation: 'O', bearer: 'PAK', against: 'AFG', open_questions: [], steps: [{ rule: 'in_force', text: 't', claims: [], facts: {} }] };
    expect(AssessmentRows.safeParse([{ ...base, status: 'window_uncertain', status_if_in_force: 'violation' }]).success).toBe(true);
    expect(AssessmentRows.safeParse([{ ...base, status: 'window_uncertain' }]).success).toBe(false);
    expect(AssessmentRows.safeParse([{ ...base, status: 'violation', status_if_in_force: 'violation' }]).success).toBe(false);
    expect(AssessmentRows.safeParse([{ ...base, status: 'window_uncertain', status_if_in_force: 'no_violation' }]).success).toBe(false);
  });

  it('severity: violation > alleged > contingent > window_uncertain > no_violation > not_in_force', () => {
    expect(SEVERITY).toEqual(['violation', 'alleged_violation', 'contingent_violation', 'window_uncertain', 'no_violation', 'not_in_force']);
    const shuffled = ['no_violation', 'window_uncertain', 'violation', 'not_in_force', 'contingent_violation', 'alleged_violation'] as const;
    expect([...shuffled].sort(compareSeverity)).toEqual([...SEVERITY]);
    expect(compareSeverity('violation', 'not_in_force')).toBeLessThan(0);
    expect(compareSeverity('no_violation', 'no_violation')).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------
// Issue 6: no_support naming "any actor on the agreed list", read as adopted at the incident.

describe('no_support with actors: "agreed_list"', () => {
  const LIST_ONLY: Obligation = { id: 'AFG-NO-SUPPORT-LIST', type: 'no_support', bearer: 'AFG', actors: 'agreed_list' };
  const BOTH: Obligation = { id: 'AFG-NO-SUPPORT-LIST-PAK', type: 'no_support', bearer: 'AFG', against: 'PAK', actors: 'agreed_list' };
  const withList = (annexes: AssessmentInput['annexes']): Partial<AssessmentInput> => ({
    agreements: [{ ...TRUCE, obligations: [...OBLIGATIONS, LIST_ONLY, BOTH] }],
    annexes,
  });
  // The incident() default is 2025-10-16 10:00–11:00 UTC.
  const annex = (id: string, adopted_at: string, actors: string[], over: Partial<NonNullable<AssessmentInput['annexes']>[number]> = {}) => ({
    id,
    agreement: 'TRUCE',
    actors,
    adopted_at,
    log_index: Number(id.replace(/\D/g, '')) || 1,
    ...over,
  });
  const listStep = (r: AssessmentRow) => r.steps.find((s) => s.rule === 'fact.agreed_list');

  it('the against form is unchanged: an agreed list does not touch it', () => {
    const input = world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP' })], withList([annex('A1', '2025-10-15T00:00:00Z', ['TTP'])]));
    const r = row(input, 'AFG-NO-SUPPORT');
    expect(r.status).toBe('no_violation');
    expect(r.against).toBe('PAK');
    expect(r.steps.some((s) => s.rule === 'fact.agreed_list')).toBe(false);
  });

  it('a listed actor linked to the bearer: contingent_violation, naming the list version and the actor', () => {
    const input = world(incident(), [claim('c', 'SRC-X', 'reported', { perpetrator: 'TTP' })], withList([annex('A1', '2025-10-15T00:00:00Z', ['TTP', 'ISKP'])]));
    const r = row(input, 'AFG-NO-SUPPORT-LIST');
    expect(r).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'], against: null });
    const s = listStep(r)!;
    expect(s.text).toContain('TTP (Tehrik-i-Taliban Pakistan) was on TRUCE\'s agreed list when the incident happened: version 1 (annex A1, in effect from 2025-10-15 00:00 UTC), listed by annex A1.');
    expect(s.facts).toMatchObject({ agreement: 'TRUCE', actor: 'TTP', listed: 'listed', annex: 'A1', versions: [{ version: 1, annex: 'A1' }] });
    expect(last(r).text).toContain("TTP, controlled by no party and on TRUCE's agreed list, carried out the attack");
    expect(last(r).facts).toMatchObject({ applies: true, agreed_list: 'TRUCE', listed_perpetrators: ['TTP'] });
  });

  it('verified facilitation of a listed actor: violation, whoever the target (list-only form)', () => {
    const input = world(incident({ location: { country: 'AFG' } }), [claim('c', 'AFG', 'alleged', { perpetrator: 'ISKP' }), claim('v', 'QAT', 'verified', { facilitated_by: 'AFG' })], withList([annex('A1', '2025-10-15T00:00:00Z', ['ISKP'])]));
    expect(row(input, 'AFG-NO-SUPPORT-LIST').status).toBe('violation');
    // With `against: PAK` as well, an attack in Afghanistan on no Pakistani target is not covered.
    const both = row(input, 'AFG-NO-SUPPORT-LIST-PAK');
    expect(both.status).toBe('no_violation');
    expect(last(both).facts).toMatchObject({ applies: false });
  });

  it('an actor not on the list: no_violation, even with facilitation asserted', () => {
    const input = world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'HGB', facilitated_by: 'AFG' })], withList([annex('A1', '2025-10-15T00:00:00Z', ['ISKP'])]));
    const r = row(input, 'AFG-NO-SUPPORT-LIST');
    expect(r.status).toBe('no_violation');
    expect(listStep(r)!.facts).toMatchObject({ listed: 'not_listed' });
    expect(last(r).text).toContain("no perpetrator named was on it when the incident happened");
    // The against form still catches it.
    expect(row(input, 'AFG-NO-SUPPORT').status).toBe('contingent_violation');
  });

  it('no annex at all: the list form never applies', () => {
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList([])), 'AFG-NO-SUPPORT-LIST');
    expect(r.status).toBe('no_violation');
    expect(listStep(r)!.text).toContain('no annex of TRUCE was in effect yet');
  });

  it('a list adopted after the incident does not apply to it, and the step says a later version adds the actor', () => {
    const input = world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList([annex('A1', '2025-10-18T00:00:00Z', ['TTP'])]));
    const r = row(input, 'AFG-NO-SUPPORT-LIST');
    expect(r.status).toBe('no_violation');
    const s = listStep(r)!;
    expect(s.facts).toMatchObject({ listed: 'not_listed', versions: [null], later: { version: 1, annex: 'A1', listed: true } });
    expect(s.text).toContain('A later version adds it (version 1 (annex A1, in effect from 2025-10-18 00:00 UTC)); the list as it stood at the incident is what counts.');
  });

  it('a list adopted before the incident applies', () => {
    const input = world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList([annex('A1', '2025-10-16T09:59:59Z', ['TTP'])]));
    expect(row(input, 'AFG-NO-SUPPORT-LIST').status).toBe('contingent_violation');
  });

  it('an actor removed from the list later still counts for an incident while it was listed, and not after', () => {
    const annexes = [annex('A1', '2025-10-15T00:00:00Z', ['TTP', 'ISKP']), annex('A2', '2025-10-17T00:00:00Z', ['ISKP'], { replaces: 'A1' })];
    const before = world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList(annexes));
    const r = row(before, 'AFG-NO-SUPPORT-LIST');
    expect(r.status).toBe('contingent_violation');
    const s = listStep(r)!;
    expect(s.facts).toMatchObject({ listed: 'listed', annex: 'A1', versions: [{ version: 1 }], later: { version: 2, annex: 'A2', listed: false } });
    expect(s.text).toContain('A later version removes it (version 2 (annex A2');
    const after = world(
      incident({ occurred: { from: '2025-10-18T10:00:00Z', to: '2025-10-18T11:00:00Z' } }),
      [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })],
      withList(annexes),
    );
    const r2 = row(after, 'AFG-NO-SUPPORT-LIST');
    expect(r2.status).toBe('no_violation');
    expect(listStep(r2)!.facts).toMatchObject({ listed: 'not_listed', versions: [{ version: 2, annex: 'A2' }] });
    // ISKP stays listed across the change: version 2 lists it under A2.
    const iskp = world(incident({ occurred: { from: '2025-10-18T10:00:00Z', to: '2025-10-18T11:00:00Z' } }), [claim('c', 'PAK', 'alleged', { perpetrator: 'ISKP', facilitated_by: 'AFG' })], withList(annexes));
    expect(listStep(row(iskp, 'AFG-NO-SUPPORT-LIST'))!.facts).toMatchObject({ listed: 'listed', annex: 'A2' });
  });

  it('a second annex that does not replace the first adds to the list', () => {
    const annexes = [annex('A1', '2025-10-15T00:00:00Z', ['ISKP']), annex('A2', '2025-10-16T00:00:00Z', ['TTP'])];
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList(annexes)), 'AFG-NO-SUPPORT-LIST');
    expect(r.status).toBe('contingent_violation');
    expect(listStep(r)!.facts).toMatchObject({ listed: 'listed', annex: 'A2', versions: [{ version: 2, annex: 'A2' }] });
  });

  it('a list that changes inside the incident interval: window_uncertain with timing open', () => {
    const annexes = [annex('A1', '2025-10-16T10:30:00Z', ['TTP'])];
    const r = row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList(annexes)), 'AFG-NO-SUPPORT-LIST');
    expect(r).toMatchObject({ status: 'window_uncertain', status_if_in_force: 'contingent_violation', open_questions: ['facilitation', 'timing'] });
    expect(listStep(r)!.facts).toMatchObject({ listed: 'partly', boundaries: ['2025-10-16T10:30:00.000Z'] });
    expect(last(r)).toMatchObject({ rule: 'in_force.boundary', facts: { list_boundaries: ['2025-10-16T10:30:00.000Z'] } });
    expect(AssessmentRows.safeParse([r]).success).toBe(true);
  });

  it('an annex for another agreement, or with an unreadable date, is not read', () => {
    const annexes = [annex('A1', '2025-10-15T00:00:00Z', ['TTP'], { agreement: 'OTHER' }), annex('A2', 'not a date', ['TTP'])];
    expect(row(world(incident(), [claim('c', 'PAK', 'alleged', { perpetrator: 'TTP', facilitated_by: 'AFG' })], withList(annexes)), 'AFG-NO-SUPPORT-LIST').status).toBe('no_violation');
  });

  it('the obligation schema takes either form or both, and refuses neither', () => {
    const parse = (o: unknown) => AgreementInputSchema.safeParse({ id: 'A', title: 'A', parties: ['PAK', 'AFG'], mediators: [], windows: [{ from: '2025-10-15T00:00:00Z', to: null }], obligations: [o] });
    expect(parse({ id: 'O', type: 'no_support', bearer: 'AFG', against: 'PAK' }).success).toBe(true);
    expect(parse({ id: 'O', type: 'no_support', bearer: 'AFG', actors: 'agreed_list' }).success).toBe(true);
    expect(parse({ id: 'O', type: 'no_support', bearer: 'AFG', against: 'PAK', actors: 'agreed_list' }).success).toBe(true);
    expect(parse({ id: 'O', type: 'no_support', bearer: 'AFG' }).success).toBe(false);
    expect(parse({ id: 'O', type: 'no_support', bearer: 'AFG', actors: 'any' }).success).toBe(false);
  });
});
