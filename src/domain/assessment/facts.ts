import type { TargetCategory } from '../common.js';
import type { Context } from './context.js';
import { controllerOf } from './context.js';
import type { AssessmentAgreement, AssessmentClaim, AssessmentIncident } from './input.js';

// Issue 5, "Facts from claims". Claims are never merged into one truth; only these facts
// are derived from them, each with the claims it rests on.

/** What the claims about one incident say, read for one agreement (whose mediators verify). */
export interface Evidence {
  readonly incident: AssessmentIncident;
  readonly claims: readonly AssessmentClaim[];
  /** Ids of the claims that count as `verified` for this agreement. */
  readonly verified: ReadonlySet<string>;
  readonly perpetrators: readonly PerpetratorFact[];
  readonly denials: readonly { readonly actor: string; readonly claims: readonly string[]; readonly by: readonly string[] }[];
}

export type PerpetratorStatus = 'established' | 'alleged' | 'refuted';

export interface PerpetratorFact {
  readonly actor: string;
  readonly controlled_by: string | null;
  readonly status: PerpetratorStatus;
  readonly in_incident_record: boolean;
  /** Claims that name the actor as perpetrator. */
  readonly named_by: readonly string[];
  /** The subset that establishes it: verified by a mediator, or claimed by its controlling party. */
  readonly established_by: readonly string[];
  /** When refuted: the verified claims that name someone else. */
  readonly refuted_by: readonly string[];
}

/**
 * Only a mediator's claim counts as `verified` (issue 5). A mediator is a party of kind
 * `mediator` or one the agreement lists among its mediators — never one of the
 * agreement's own parties, who cannot verify their own case.
 */
export function isVerified(ctx: Context, claim: AssessmentClaim, agreement: AssessmentAgreement): boolean {
  if (claim.basis !== 'verified') return false;
  const party = ctx.parties.get(claim.by);
  if (!party || agreement.parties.includes(claim.by)) return false;
  return party.kind === 'mediator' || agreement.mediators.includes(claim.by);
}

/**
 * A `claimed_by_perpetrator` claim counts only when `by` is the party that controls the
 * actor it names — an admission against one's own interest.
 */
function isCountingAdmission(ctx: Context, claim: AssessmentClaim, actor: string): boolean {
  return claim.basis === 'claimed_by_perpetrator' && controllerOf(ctx, actor) === claim.by && ctx.parties.has(claim.by);
}

export function gatherEvidence(ctx: Context, incident: AssessmentIncident, agreement: AssessmentAgreement): Evidence {
  const claims = ctx.claimsOf.get(incident.id) ?? [];
  const verified = new Set(claims.filter((c) => isVerified(ctx, c, agreement)).map((c) => c.id));

  // Candidates in order of first mention: the incident record, then the claims.
  const candidates: string[] = [];
  const inRecord = new Set<string>();
  for (const a of incident.actors ?? []) {
    if (a.role !== 'perpetrator') continue;
    inRecord.add(a.actor);
    if (!candidates.includes(a.actor)) candidates.push(a.actor);
  }
  for (const c of claims) {
    const p = c.asserts.perpetrator;
    if (p !== undefined && !candidates.includes(p)) candidates.push(p);
  }

  const verifiedNaming = claims.filter((c) => verified.has(c.id) && c.asserts.perpetrator !== undefined);
  const perpetrators = candidates.map((actor): PerpetratorFact => {
    const naming = claims.filter((c) => c.asserts.perpetrator === actor);
    const establishing = naming.filter((c) => verified.has(c.id) || isCountingAdmission(ctx, c, actor));
    const refutedBy = verifiedNaming.some((c) => c.asserts.perpetrator === actor) ? [] : verifiedNaming.map((c) => c.id);
    // An admission by the controlling party stands even if a mediator names someone else.
    const status: PerpetratorStatus = establishing.length > 0 ? 'established' : refutedBy.length > 0 ? 'refuted' : 'alleged';
    return {
      actor,
      controlled_by: controllerOf(ctx, actor),
      status,
      in_incident_record: inRecord.has(actor),
      named_by: naming.map((c) => c.id),
      established_by: establishing.map((c) => c.id),
      refuted_by: status === 'refuted' ? refutedBy : [],
    };
  });

  const denials = new Map<string, { claims: string[]; by: string[] }>();
  for (const c of claims) {
    const d = c.asserts.denies;
    if (d === undefined) continue;
    const entry = denials.get(d) ?? { claims: [], by: [] };
    entry.claims.push(c.id);
    if (!entry.by.includes(c.by)) entry.by.push(c.by);
    denials.set(d, entry);
  }

  return {
    incident,
    claims,
    verified,
    perpetrators,
    denials: [...denials].map(([actor, e]) => ({ actor, ...e })),
  };
}

export type CategoryVerdict = 'in' | 'outside' | 'open';

export interface CategoryFact {
  readonly verdict: CategoryVerdict;
  readonly statements: readonly { readonly claim: string; readonly by: string; readonly category: TargetCategory; readonly verified: boolean }[];
  /** Whether verified claims decided the verdict. */
  readonly decided_by_verified: boolean;
}

/**
 * Issue 5, "Target category" for targets T: in T when a verified claim states a category
 * in T, or every claim that states one (at least one does) states one in T; outside T when
 * verified claims state only categories outside T, or every claim that states one states
 * one outside T; open otherwise.
 */
export function targetCategory(ev: Evidence, targets: readonly TargetCategory[]): CategoryFact {
  const statements = ev.claims.flatMap((c) =>
    c.asserts.target_category === undefined ? [] : [{ claim: c.id, by: c.by, category: c.asserts.target_category, verified: ev.verified.has(c.id) }],
  );
  const inT = (s: { category: TargetCategory }): boolean => targets.includes(s.category);
  const verified = statements.filter((s) => s.verified);
  if (verified.some(inT)) return { verdict: 'in', statements, decided_by_verified: true };
  if (verified.length > 0) return { verdict: 'outside', statements, decided_by_verified: true };
  if (statements.length > 0 && statements.every(inT)) return { verdict: 'in', statements, decided_by_verified: false };
  if (statements.length > 0 && !statements.some(inT)) return { verdict: 'outside', statements, decided_by_verified: false };
  return { verdict: 'open', statements, decided_by_verified: false };
}

export interface TargetPartyFact {
  readonly party: string;
  readonly belongs: boolean;
  readonly by_location: boolean;
  /** Named targets controlled by the party, with the claims naming them. */
  readonly target_actors: readonly { readonly actor: string; readonly in_incident_record: boolean; readonly claims: readonly string[] }[];
}

/**
 * Issue 5: the target belongs to party C when the incident's `location.country` is C's
 * country, or the incident or a claim names a target actor controlled by C.
 */
export function targetParty(ctx: Context, ev: Evidence, party: string): TargetPartyFact {
  const country = ctx.parties.get(party)?.country;
  const byLocation = country !== undefined && ev.incident.location.country === country;
  const named = new Map<string, { in_incident_record: boolean; claims: string[] }>();
  const note = (actor: string, claim: string | null): void => {
    if (controllerOf(ctx, actor) !== party) return;
    const entry = named.get(actor) ?? { in_incident_record: false, claims: [] };
    if (claim === null) entry.in_incident_record = true;
    else entry.claims.push(claim);
    named.set(actor, entry);
  };
  for (const a of ev.incident.actors ?? []) if (a.role === 'target') note(a.actor, null);
  for (const c of ev.claims) if (c.asserts.target !== undefined) note(c.asserts.target, c.id);
  const targetActors = [...named].map(([actor, e]) => ({ actor, ...e }));
  return { party, belongs: byLocation || targetActors.length > 0, by_location: byLocation, target_actors: targetActors };
}

export interface FacilitationFact {
  readonly party: string;
  /** Claims asserting `facilitated_by: party`. */
  readonly asserted_by: readonly string[];
  /** The subset verified by a mediator. */
  readonly verified_by: readonly string[];
}

export function facilitation(ev: Evidence, party: string): FacilitationFact {
  const asserting = ev.claims.filter((c) => c.asserts.facilitated_by === party);
  return {
    party,
    asserted_by: asserting.map((c) => c.id),
    verified_by: asserting.filter((c) => ev.verified.has(c.id)).map((c) => c.id),
  };
}
