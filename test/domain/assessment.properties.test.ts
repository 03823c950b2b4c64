import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Obligation, Window } from '../../src/domain/agreement.js';
import type { Basis, TargetCategory } from '../../src/domain/common.js';
import type {
  AssessmentAgreement,
  AssessmentClaim,
  AssessmentIncident,
  AssessmentInput,
  AssessmentRelation,
  AssessmentRow,
} from '../../src/domain/assessment/index.js';
import { AssessmentRows, assess, assessIncident, compareSeverity } from '../../src/domain/assessment/index.js';
import { buildContext } from '../../src/domain/assessment/context.js';
import { gatherEvidence } from '../../src/domain/assessment/facts.js';
import { overlaps } from '../../src/domain/time.js';

// Random well-formed worlds: three states, a mediator and an observer; forces and groups
// whose control is drawn at random; random relations, agreements, windows, incidents and
// claims (including claims about incidents that do not exist, unknown actor ids and
// superseded claims).

const STATES = ['PAK', 'AFG', 'IRN'] as const;
const PARTIES = [
  { id: 'PAK', kind: 'state', country: 'PAK' },
  { id: 'AFG', kind: 'de_facto_authority', country: 'AFG' },
  { id: 'IRN', kind: 'state', country: 'IRN' },
  { id: 'QAT', kind: 'mediator', country: 'QAT' },
  { id: 'OIC', kind: 'observer' },
] as const;
const ACTOR_IDS = ['F1', 'F2', 'TTP', 'HGB', 'ISKP', 'BLA'] as const;
const NAMEABLE = [...ACTOR_IDS, ...STATES, 'GHOST-GROUP'] as const;
const CATEGORIES: readonly TargetCategory[] = ['security_forces', 'civilians', 'critical_infrastructure', 'militants', 'government'];
const BASES: readonly Basis[] = ['claimed_by_perpetrator', 'alleged', 'reported', 'verified'];
const BY = ['PAK', 'AFG', 'IRN', 'QAT', 'OIC', 'SRC-1'] as const;
const T0 = Date.parse('2025-10-01T00:00:00Z');
const HOUR = 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString();

const controller = fc.constantFrom<string | null>(null, null, 'PAK', 'AFG', 'IRN');

const relationArb: fc.Arbitrary<AssessmentRelation> = fc
  .record({
    subject: fc.constantFrom(...ACTOR_IDS),
    type: fc.constantFrom('allied_with', 'faction_of', 'hosted_by', 'supported_by' as const),
    toParty: fc.boolean(),
    party: fc.constantFrom(...STATES),
    actor: fc.constantFrom(...ACTOR_IDS),
    basis: fc.constantFrom(...BASES),
  })
  .map((r) => ({ subject: r.subject, type: r.type, party: r.toParty ? r.party : undefined, object_actor: r.toParty ? undefined : r.actor, basis: r.basis, by: 'SRC-1' }));

const windowArb: fc.Arbitrary<Window> = fc
  .record({ start: fc.integer({ min: 0, max: 30 * 24 }), length: fc.option(fc.integer({ min: 1, max: 10 * 24 }), { nil: null }) })
  .map(({ start, length }) => ({ from: iso(T0 + start * HOUR), to: length === null ? null : iso(T0 + (start + length) * HOUR) }));

const obligationArb: fc.Arbitrary<Omit<Obligation, 'id'>> = fc.oneof(
  fc.record({
    type: fc.constant('cease_attacks' as const),
    bearer: fc.constantFrom(...STATES),
    against: fc.constantFrom(...STATES),
    targets: fc.subarray([...CATEGORIES], { minLength: 1 }),
  }),
  fc.record({ type: fc.constant('no_support' as const), bearer: fc.constantFrom(...STATES), against: fc.constantFrom(...STATES) }),
  fc.constant({ type: 'establish_mechanism' as const, text: 'a mechanism' }),
);

/** `observerMediates`: whether an agreement may list the observer OIC as its mediator. */
const agreementArb = (observerMediates: boolean): fc.Arbitrary<Omit<AssessmentAgreement, 'id'>> =>
  fc.record({
    parties: fc.subarray([...STATES], { minLength: 1 }),
    mediators: observerMediates ? fc.subarray(['QAT', 'OIC']) : fc.subarray(['QAT']),
    windows: fc.array(windowArb, { maxLength: 3 }),
    obligations: fc.array(obligationArb, { maxLength: 4 }).map((os) => os.map((o, i) => ({ ...o, id: `O${i}` }) as Obligation)),
  });

const incidentArb: fc.Arbitrary<Omit<AssessmentIncident, 'id'>> = fc
  .record({
    start: fc.integer({ min: 0, max: 40 * 24 * 60 }),
    minutes: fc.integer({ min: 1, max: 5 * 24 * 60 }),
    country: fc.constantFrom('PAK', 'AFG', 'IRN', 'QAT'),
    actors: fc.array(fc.record({ actor: fc.constantFrom(...NAMEABLE), role: fc.constantFrom('perpetrator', 'target' as const) }), { maxLength: 3 }),
  })
  .map((r) => ({
    occurred: { from: iso(T0 + r.start * 60_000), to: iso(T0 + (r.start + r.minutes) * 60_000) },
    location: { country: r.country },
    actors: r.actors,
  }));

const assertsArb: fc.Arbitrary<AssessmentClaim['asserts']> = fc.record(
  {
    perpetrator: fc.constantFrom(...NAMEABLE),
    denies: fc.constantFrom(...NAMEABLE),
    target: fc.constantFrom(...NAMEABLE),
    target_category: fc.constantFrom(...CATEGORIES),
    facilitated_by: fc.constantFrom(...STATES),
  },
  { requiredKeys: [] },
);

const claimArb = (incidentIds: readonly string[]): fc.Arbitrary<Omit<AssessmentClaim, 'id'>> =>
  fc.record({
    incident: fc.constantFrom(...incidentIds, 'GHOST-INCIDENT'),
    by: fc.constantFrom(...BY),
    basis: fc.constantFrom(...BASES),
    asserts: assertsArb,
    superseded_by: fc.constantFrom<string | null | undefined>(undefined, undefined, undefined, null, 'LATER'),
  });

const worldArb = (observerMediates = true): fc.Arbitrary<AssessmentInput> =>
  fc
    .record({
      control: fc.tuple(...ACTOR_IDS.map(() => controller)),
      relations: fc.array(relationArb, { maxLength: 8 }),
      agreements: fc.array(agreementArb(observerMediates), { minLength: 1, maxLength: 3 }),
      incidents: fc.array(incidentArb, { minLength: 1, maxLength: 4 }),
    })
    .chain((w) => {
      const incidents = w.incidents.map((i, n) => ({ ...i, id: `I${n}` }));
      return fc.array(claimArb(incidents.map((i) => i.id)), { maxLength: 12 }).map(
        (claims): AssessmentInput => ({
          parties: [...PARTIES],
          // F1 and F2 start as each party's forces, but control is drawn like the rest.
          actors: ACTOR_IDS.map((id, n) => ({ id, controlled_by: w.control[n] ?? null })),
          relations: w.relations,
          agreements: w.agreements.map((a, n) => ({ ...a, id: `A${n}` })),
          incidents,
          claims: claims.map((c, n) => ({ ...c, id: `C${n}` })),
        }),
      );
    });

const keyOf = (r: AssessmentRow) => `${r.incident}/${r.agreement}/${r.obligation}`;
const assessedCount = (input: AssessmentInput) =>
  input.incidents.length * input.agreements.reduce((n, a) => n + a.obligations.filter((o) => o.type === 'cease_attacks' || o.type === 'no_support').length, 0);

describe('assessment properties', () => {
  it('assess never throws on well-formed input, and gives one valid row per incident × assessed obligation', () => {
    fc.assert(
      fc.property(worldArb(), (input) => {
        const rows = assess(input);
        expect(rows).toHaveLength(assessedCount(input));
        AssessmentRows.parse(rows);
        for (const r of rows) expect(r.steps.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('not_in_force exactly when the incident overlaps no window (checked with time.ts overlaps)', () => {
    fc.assert(
      fc.property(worldArb(), (input) => {
        for (const r of assess(input)) {
          const inc = input.incidents.find((i) => i.id === r.incident)!;
          const ag = input.agreements.find((a) => a.id === r.agreement)!;
          const touches = ag.windows.some((w) => overlaps(inc.occurred.from, inc.occurred.to, w.from, w.to));
          expect(r.status === 'not_in_force').toBe(!touches);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a claim about another incident never changes a status (nor any other part of a row)', () => {
    fc.assert(
      fc.property(
        worldArb().chain((input) =>
          fc.tuple(fc.constant(input), claimArb(input.incidents.map((i) => i.id)).map((c) => ({ ...c, id: 'NEW', superseded_by: null }))),
        ),
        ([input, extra]) => {
          const before = assess(input);
          const after = assess({ ...input, claims: [...input.claims, extra] });
          const unaffected = (rows: AssessmentRow[]) => rows.filter((r) => r.incident !== extra.incident);
          expect(unaffected(after)).toEqual(unaffected(before));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adding a verified claim that agrees with the current facts never lowers the severity', () => {
    // Mediators are uniform here (QAT only, never a party), so "the current facts" are the
    // same under every agreement and can be read once per incident.
    const arb = worldArb(false).chain((input) =>
      fc.record({
        input: fc.constant(input),
        incident: fc.constantFrom(...input.incidents.map((i) => i.id)),
        takePerpetrator: fc.boolean(),
        takeCategory: fc.boolean(),
        facilitationPick: fc.nat(),
        targetPick: fc.nat(),
      }),
    );
    fc.assert(
      fc.property(arb, ({ input, incident, takePerpetrator, takeCategory, facilitationPick, targetPick }) => {
        const inc = input.incidents.find((i) => i.id === incident)!;
        const ev = gatherEvidence(buildContext(input), inc, { id: 'any', parties: [], mediators: [], windows: [], obligations: [] });
        const asserts: { -readonly [K in keyof AssessmentClaim['asserts']]: AssessmentClaim['asserts'][K] } = {};

        // The perpetrator, if the claims leave exactly one standing.
        const standing = ev.perpetrators.filter((p) => p.status !== 'refuted');
        if (takePerpetrator && standing.length === 1) asserts.perpetrator = standing[0]!.actor;
        // The target category, if every claim that states one states the same.
        const categories = new Set(ev.claims.flatMap((c) => (c.asserts.target_category ? [c.asserts.target_category] : [])));
        if (takeCategory && categories.size === 1) asserts.target_category = [...categories][0];
        // A facilitation someone already asserts; a target someone already names.
        const facilitators = [...new Set(ev.claims.flatMap((c) => (c.asserts.facilitated_by ? [c.asserts.facilitated_by] : [])))];
        if (facilitators.length > 0) asserts.facilitated_by = facilitators[facilitationPick % (facilitators.length + 1)];
        const targets = [...new Set([...(inc.actors ?? []).filter((a) => a.role === 'target').map((a) => a.actor), ...ev.claims.flatMap((c) => (c.asserts.target ? [c.asserts.target] : []))])];
        if (targets.length > 0) asserts.target = targets[targetPick % (targets.length + 1)];

        const verified: AssessmentClaim = { id: 'VERIFIED', incident, by: 'QAT', basis: 'verified', asserts, superseded_by: null };
        const before = new Map(assessIncident(input, incident).map((r) => [keyOf(r), r.status]));
        for (const r of assessIncident({ ...input, claims: [...input.claims, verified] }, incident)) {
          const was = before.get(keyOf(r))!;
          expect(compareSeverity(r.status, was), `${keyOf(r)}: ${was} → ${r.status}`).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the order in which claims arrive does not change a status or its open questions', () => {
    fc.assert(
      fc.property(
        worldArb().chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.claims], { minLength: input.claims.length, maxLength: input.claims.length }))),
        ([input, shuffled]) => {
          const summary = (rows: AssessmentRow[]) => rows.map((r) => [keyOf(r), r.status, r.open_questions]);
          expect(summary(assess({ ...input, claims: shuffled }))).toEqual(summary(assess(input)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('assessIncident is assess restricted to one incident', () => {
    fc.assert(
      fc.property(worldArb(), (input) => {
        const all = assess(input);
        for (const i of input.incidents) expect(assessIncident(input, i.id)).toEqual(all.filter((r) => r.incident === i.id));
      }),
      { numRuns: 100 },
    );
  });
});
