import { normaliseName } from '../common.js';
import type { Scenario } from '../scenario.js';
import { resolveOccurred } from '../time.js';
import type { AssessmentInput } from './input.js';

/**
 * The engine's input from a scenario document that has already passed validation
 * (`occurred` forms resolve; a bad one throws TimeError). A claim is superseded when a
 * later claim in the document names it in `supersedes`. A scenario has no amendments, so its
 * windows are used as written.
 */
export function assessmentInputFromScenario(scenario: Scenario): AssessmentInput {
  const claims = scenario.claims ?? [];
  const supersededBy = new Map<string, string>();
  for (const c of claims) if (c.supersedes !== undefined) supersededBy.set(c.supersedes, c.id);
  return {
    parties: (scenario.parties ?? []).map((p) => ({ id: p.id, kind: p.kind, country: p.country })),
    actors: (scenario.actors ?? []).map((a) => {
      const first = a.names[0];
      return { id: a.id, controlled_by: a.controlled_by, name: first === undefined ? undefined : normaliseName(first).name };
    }),
    relations: (scenario.actors ?? []).flatMap((a) =>
      (a.relations ?? []).map((r) => ({ subject: a.id, type: r.type, party: r.party, object_actor: r.actor, basis: r.basis, by: r.by })),
    ),
    agreements: (scenario.agreements ?? []).map((ag) => ({
      id: ag.id,
      parties: ag.parties,
      mediators: ag.mediators,
      windows: ag.windows,
      obligations: ag.obligations,
    })),
    incidents: (scenario.incidents ?? []).map((i) => {
      const o = resolveOccurred(i.occurred);
      return { id: i.id, occurred: { from: o.from, to: o.to, precision: o.precision }, location: { country: i.location.country }, actors: i.actors };
    }),
    claims: claims.map((c) => ({
      id: c.id,
      incident: c.incident,
      by: c.by,
      basis: c.basis,
      asserts: c.asserts,
      superseded_by: supersededBy.get(c.id) ?? null,
    })),
  };
}
