import { z } from 'zod';
import { ActorInput } from './actor.js';
import { AgreementInput } from './agreement.js';
import { ClaimInput } from './claim.js';
import { DesignationInput } from './designation.js';
import type { FieldIssue } from './errors.js';
import { MizanError } from './errors.js';
import { IncidentInput } from './incident.js';
import { PartyInput } from './party.js';
import { SourceInput } from './source.js';
import type { Visibility } from './common.js';
import { resolveOccurred, TimeError } from './time.js';
import { issuesFromZod } from './validation.js';

/** The scenario file: one JSON document. A public contract — see docs/scenario.md. */
export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  parties: z.array(PartyInput).optional(),
  actors: z.array(ActorInput).optional(),
  sources: z.array(SourceInput).optional(),
  agreements: z.array(AgreementInput).optional(),
  incidents: z.array(IncidentInput).optional(),
  claims: z.array(ClaimInput).optional(),
  designations: z.array(DesignationInput).optional(),
});
export type Scenario = z.infer<typeof Scenario>;

/** What the store already holds, for a scenario appended to existing data. */
export interface KnownRecords {
  /** party id → party kind */
  readonly parties: ReadonlyMap<string, string>;
  readonly actors: ReadonlySet<string>;
  readonly sources: ReadonlySet<string>;
  /** incident id → its visibility (a claim may not be more visible than its incident) */
  readonly incidents: ReadonlyMap<string, Visibility>;
  readonly claims: ReadonlySet<string>;
  readonly agreements: ReadonlySet<string>;
}

export const NOTHING_KNOWN: KnownRecords = {
  parties: new Map(),
  actors: new Set(),
  sources: new Set(),
  incidents: new Map(),
  claims: new Set(),
  agreements: new Set(),
};

/** Ids a scenario refers to without defining them; the store is asked for exactly these. */
export function externalReferences(s: Scenario): { kind: keyof KnownRecords; id: string }[] {
  const defined = {
    parties: new Set((s.parties ?? []).map((p) => p.id)),
    actors: new Set((s.actors ?? []).map((a) => a.id)),
    sources: new Set((s.sources ?? []).map((x) => x.id)),
    incidents: new Set((s.incidents ?? []).map((i) => i.id)),
    claims: new Set((s.claims ?? []).map((c) => c.id)),
    agreements: new Set((s.agreements ?? []).map((a) => a.id)),
  };
  const out = new Map<string, { kind: keyof KnownRecords; id: string }>();
  const want = (kind: keyof KnownRecords, id: string | undefined | null) => {
    if (id && !defined[kind].has(id)) out.set(`${kind}:${id}`, { kind, id });
  };
  for (const a of s.actors ?? []) {
    want('parties', a.controlled_by);
    for (const r of a.relations ?? []) {
      want('parties', r.party);
      want('actors', r.actor);
      if (r.by) {
        want('parties', r.by);
        want('sources', r.by);
      }
    }
  }
  for (const ag of s.agreements ?? []) for (const p of [...ag.parties, ...ag.mediators]) want('parties', p);
  for (const i of s.incidents ?? []) {
    for (const a of i.actors ?? []) want('actors', a.actor);
    for (const src of i.sources ?? []) want('sources', src);
  }
  for (const c of s.claims ?? []) {
    want('incidents', c.incident);
    want('parties', c.by);
    want('sources', c.by);
    want('claims', c.supersedes);
    for (const a of [c.asserts.perpetrator, c.asserts.denies, c.asserts.target]) want('actors', a);
    want('parties', c.asserts.facilitated_by);
  }
  for (const d of s.designations ?? []) {
    want('actors', d.actor);
    want('parties', d.by);
  }
  return [...out.values()];
}

/**
 * Validate a whole scenario before anything is written: shape, unknown fields, time forms,
 * duplicate ids and every reference (against the document itself and what the store holds).
 */
export function validateScenario(input: unknown, known: KnownRecords = NOTHING_KNOWN): Scenario {
  const parsed = Scenario.safeParse(input);
  if (!parsed.success) throw new MizanError('VALIDATION_FAILED', 'the scenario is not valid', issuesFromZod(parsed.error));
  const s = parsed.data;
  const issues: FieldIssue[] = [];
  const add = (path: (string | number)[], code: string, message: string) => issues.push({ path, code, message });

  // Parties, actors and sources share one id space: a claim's `by` may name a party or a source.
  const namespace = new Map<string, string>();
  const claimId = (kind: string, id: string, path: (string | number)[]) => {
    const prev = namespace.get(id);
    if (prev) add(path, 'duplicate_id', `id ${JSON.stringify(id)} is already used by ${prev}`);
    else namespace.set(id, kind);
  };
  s.parties?.forEach((p, i) => {
    claimId('a party', p.id, ['parties', i, 'id']);
    if (known.parties.has(p.id)) add(['parties', i, 'id'], 'duplicate_id', `party ${p.id} already exists in the store`);
  });
  s.actors?.forEach((a, i) => {
    claimId('an actor', a.id, ['actors', i, 'id']);
    if (known.actors.has(a.id)) add(['actors', i, 'id'], 'duplicate_id', `actor ${a.id} already exists in the store`);
  });
  s.sources?.forEach((x, i) => {
    claimId('a source', x.id, ['sources', i, 'id']);
    if (known.sources.has(x.id)) add(['sources', i, 'id'], 'duplicate_id', `source ${x.id} already exists in the store`);
  });
  const uniqueWithin = (list: { id: string }[] | undefined, section: string, existing: { has(id: string): boolean }) => {
    const seen = new Set<string>();
    list?.forEach((r, i) => {
      if (seen.has(r.id) || existing.has(r.id)) add([section, i, 'id'], 'duplicate_id', `${section.replace(/s$/, '')} id ${JSON.stringify(r.id)} is used twice`);
      seen.add(r.id);
    });
  };
  uniqueWithin(s.incidents, 'incidents', known.incidents);
  uniqueWithin(s.claims, 'claims', known.claims);
  uniqueWithin(s.agreements, 'agreements', known.agreements);

  const partyKind = new Map<string, string>(known.parties);
  for (const p of s.parties ?? []) partyKind.set(p.id, p.kind);
  const actors = new Set([...known.actors, ...(s.actors ?? []).map((a) => a.id)]);
  const sources = new Set([...known.sources, ...(s.sources ?? []).map((x) => x.id)]);
  const incidentVisibility = new Map<string, Visibility>(known.incidents);
  for (const inc of s.incidents ?? []) incidentVisibility.set(inc.id, inc.visibility ?? 'public');
  const incidents = new Set(incidentVisibility.keys());
  const claims = new Set([...known.claims, ...(s.claims ?? []).map((x) => x.id)]);

  const mustParty = (id: string | null | undefined, path: (string | number)[]) => {
    if (id && !partyKind.has(id)) add(path, 'dangling_reference', `no party with id ${JSON.stringify(id)}`);
  };
  const mustActor = (id: string | undefined, path: (string | number)[]) => {
    if (id && !actors.has(id)) add(path, 'dangling_reference', `no actor with id ${JSON.stringify(id)}`);
  };

  s.actors?.forEach((a, i) => {
    mustParty(a.controlled_by, ['actors', i, 'controlled_by']);
    a.relations?.forEach((r, j) => {
      mustParty(r.party, ['actors', i, 'relations', j, 'party']);
      mustActor(r.actor, ['actors', i, 'relations', j, 'actor']);
      if (r.by && !partyKind.has(r.by) && !sources.has(r.by)) add(['actors', i, 'relations', j, 'by'], 'dangling_reference', `no party or source with id ${JSON.stringify(r.by)}`);
    });
  });
  s.agreements?.forEach((ag, i) => {
    ag.parties.forEach((p, j) => mustParty(p, ['agreements', i, 'parties', j]));
    ag.mediators.forEach((p, j) => {
      mustParty(p, ['agreements', i, 'mediators', j]);
      if (partyKind.has(p) && partyKind.get(p) !== 'mediator') add(['agreements', i, 'mediators', j], 'not_a_mediator', `party ${p} is not of kind mediator`);
    });
    const obligationIds = new Set<string>();
    ag.obligations.forEach((o, j) => {
      if (obligationIds.has(o.id)) add(['agreements', i, 'obligations', j, 'id'], 'duplicate_id', `obligation id ${o.id} is used twice in this agreement`);
      obligationIds.add(o.id);
      if (o.type === 'cease_attacks' || o.type === 'no_support') {
        for (const field of ['bearer', 'against'] as const) {
          const id = o[field];
          if (id !== undefined && !ag.parties.includes(id)) add(['agreements', i, 'obligations', j, field], 'dangling_reference', `${field} ${JSON.stringify(id)} is not one of this agreement's parties`);
        }
      }
    });
  });
  s.incidents?.forEach((inc, i) => {
    try {
      resolveOccurred(inc.occurred);
    } catch (e) {
      if (e instanceof TimeError) add(['incidents', i, 'occurred', ...e.path], 'invalid_time', e.message);
      else throw e;
    }
    inc.actors?.forEach((a, j) => mustActor(a.actor, ['incidents', i, 'actors', j, 'actor']));
    inc.sources?.forEach((x, j) => {
      if (!sources.has(x)) add(['incidents', i, 'sources', j], 'dangling_reference', `no source with id ${JSON.stringify(x)}`);
    });
  });
  s.claims?.forEach((c, i) => {
    if (!incidents.has(c.incident)) add(['claims', i, 'incident'], 'dangling_reference', `no incident with id ${JSON.stringify(c.incident)}`);
    const under = incidentVisibility.get(c.incident);
    if (under && c.visibility && wider(c.visibility, under)) add(['claims', i, 'visibility'], 'wider_than_incident', `a claim about a ${under} incident cannot be ${c.visibility}`);
    const byParty = partyKind.get(c.by);
    if (byParty === undefined && !sources.has(c.by)) add(['claims', i, 'by'], 'dangling_reference', `no party or source with id ${JSON.stringify(c.by)}`);
    if (c.basis === 'verified' && byParty !== 'mediator') add(['claims', i, 'basis'], 'verified_needs_mediator', 'only a mediator party may file a verified claim');
    if (c.supersedes && !claims.has(c.supersedes)) add(['claims', i, 'supersedes'], 'dangling_reference', `no claim with id ${JSON.stringify(c.supersedes)}`);
    if (c.supersedes === c.id) add(['claims', i, 'supersedes'], 'self_reference', 'a claim cannot supersede itself');
    mustActor(c.asserts.perpetrator, ['claims', i, 'asserts', 'perpetrator']);
    mustActor(c.asserts.denies, ['claims', i, 'asserts', 'denies']);
    mustActor(c.asserts.target, ['claims', i, 'asserts', 'target']);
    mustParty(c.asserts.facilitated_by, ['claims', i, 'asserts', 'facilitated_by']);
    if (c.asserts.occurred) {
      try {
        resolveOccurred(c.asserts.occurred);
      } catch (e) {
        if (e instanceof TimeError) add(['claims', i, 'asserts', 'occurred', ...e.path], 'invalid_time', e.message);
        else throw e;
      }
    }
  });
  s.designations?.forEach((d, i) => {
    mustActor(d.actor, ['designations', i, 'actor']);
    mustParty(d.by, ['designations', i, 'by']);
  });

  if (issues.length > 0) {
    const dangling = issues.every((x) => x.code === 'dangling_reference');
    throw new MizanError(dangling ? 'DANGLING_REFERENCE' : 'VALIDATION_FAILED', 'the scenario is not valid', issues);
  }
  // A claim names its incident, so a claim without a visibility of its own is as hidden as the incident.
  return s.claims ? { ...s, claims: s.claims.map((c) => (c.visibility ? c : { ...c, visibility: incidentVisibility.get(c.incident) ?? 'public' })) } : s;
}

const VISIBILITY_RANK: Record<Visibility, number> = { public: 0, parties: 1, mediators: 2 };
/** Whether `a` shows a record to more people than `b`. */
function wider(a: Visibility, b: Visibility): boolean {
  return VISIBILITY_RANK[a] < VISIBILITY_RANK[b];
}

/** JSON Schema (draft 2020-12) of the scenario file, for `mizan schema scenario`. */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(Scenario, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
}
