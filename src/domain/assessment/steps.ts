import type { TargetCategory } from '../common.js';
import type { Context } from './context.js';
import { actorLabel } from './context.js';
import type { CategoryFact, Evidence, FacilitationFact, PerpetratorFact, TargetPartyFact } from './facts.js';
import type { AgreedListVersion, Listing } from '../threat/agreed-list.js';
import type { LinkVia } from './links.js';
import { describeLink } from './links.js';
import type { AssessmentStep, RuleId } from './row.js';
import { cite, instant, list, uniq } from './text.js';

// Builders of the fact steps. Each cites the claims it used and carries its facts as JSON.

export function step(rule: RuleId, text: string, claims: readonly string[], facts: Record<string, unknown>): AssessmentStep {
  return { rule, text, claims: uniq(claims), facts };
}

function byWhom(ev: Evidence, claimIds: readonly string[]): string {
  const parts = claimIds.map((id) => {
    const c = ev.claims.find((x) => x.id === id);
    return `${c?.by ?? '?'} (claim ${id})`;
  });
  return list(parts);
}

function controlWords(p: { controlled_by: string | null }): string {
  return p.controlled_by === null ? 'controlled by no party' : `controlled by ${p.controlled_by}`;
}

export function targetPartyStep(tp: TargetPartyFact, incidentCountry: string): AssessmentStep {
  const reasons: string[] = [];
  if (tp.by_location) reasons.push(`the incident took place in ${incidentCountry}`);
  for (const a of tp.target_actors) {
    const where = [a.in_incident_record ? 'incident record' : null, a.claims.length > 0 ? `${a.claims.length === 1 ? 'claim' : 'claims'} ${a.claims.join(', ')}` : null];
    reasons.push(`the named target ${a.actor} is controlled by ${tp.party} (${where.filter((x) => x !== null).join('; ')})`);
  }
  const text = tp.belongs
    ? `The target belongs to ${tp.party}: ${list(reasons)}.`
    : `The target does not belong to ${tp.party}: the incident took place in ${incidentCountry} and no named target is controlled by ${tp.party}.`;
  return step(
    'fact.target_party',
    text,
    tp.target_actors.flatMap((a) => a.claims),
    { party: tp.party, belongs: tp.belongs, by_location: tp.by_location, location_country: incidentCountry, target_actors: tp.target_actors },
  );
}

export function perpetratorSteps(ctx: Context, ev: Evidence): AssessmentStep[] {
  const steps: AssessmentStep[] = [];
  if (ev.perpetrators.length === 0) {
    steps.push(step('fact.perpetrator', 'Neither the incident record nor any claim names a perpetrator.', [], { perpetrators: [] }));
  }
  for (const p of ev.perpetrators) steps.push(perpetratorStep(ctx, ev, p));
  const candidates = new Set(ev.perpetrators.map((p) => p.actor));
  for (const d of ev.denials) {
    if (candidates.has(d.actor)) continue;
    steps.push(
      step(
        'fact.perpetrator',
        `${list(d.by)} ${d.by.length === 1 ? 'denies' : 'deny'} that ${actorLabel(ctx, d.actor)} was involved ${cite(d.claims)}; no claim names it as perpetrator.`,
        d.claims,
        { denied: d.actor, denied_by: d.by },
      ),
    );
  }
  return steps;
}

function perpetratorStep(ctx: Context, ev: Evidence, p: PerpetratorFact): AssessmentStep {
  const who = `Perpetrator ${actorLabel(ctx, p.actor)}, ${controlWords(p)},`;
  const sources: string[] = [];
  if (p.in_incident_record) sources.push('in the incident record');
  if (p.named_by.length > 0) sources.push(`by ${byWhom(ev, p.named_by)}`);
  let text: string;
  switch (p.status) {
    case 'established': {
      const how = p.established_by.map((id) => {
        const c = ev.claims.find((x) => x.id === id);
        return ev.verified.has(id) ? `verified by ${c?.by ?? '?'} (claim ${id})` : `claimed as its own act by ${c?.by ?? '?'} (claim ${id})`;
      });
      text = `${who} is established: ${list(how)}.`;
      break;
    }
    case 'refuted':
      text = `${who} is refuted: it is named ${list(sources)}, but the mediator-verified claims name another perpetrator ${cite(p.refuted_by)}.`;
      break;
    case 'alleged': {
      const why = p.controlled_by === null ? 'no mediator has verified it' : `no mediator has verified it and ${p.controlled_by} has not claimed it`;
      text = `${who} is alleged, not established: named ${list(sources)}; ${why}.`;
      break;
    }
    default: {
      const never: never = p.status;
      text = never;
    }
  }
  const denial = ev.denials.find((d) => d.actor === p.actor);
  if (denial) text += ` ${list(denial.by)} ${denial.by.length === 1 ? 'denies' : 'deny'} it ${cite(denial.claims)}; a denial keeps the question open.`;
  return step('fact.perpetrator', text, [...p.named_by, ...(p.status === 'refuted' ? p.refuted_by : []), ...(denial?.claims ?? [])], {
    actor: p.actor,
    controlled_by: p.controlled_by,
    status: p.status,
    in_incident_record: p.in_incident_record,
    named_by: p.named_by,
    established_by: p.established_by,
    refuted_by: p.refuted_by,
    denied_by: denial?.by ?? [],
  });
}

export function categoryStep(cat: CategoryFact, targets: readonly TargetCategory[]): AssessmentStep {
  const said = (x: CategoryFact['statements'][number]): string => `${x.by} says ${x.category} (claim ${x.claim})`;
  const protectedText = `Protected: ${list(targets)}.`;
  let text: string;
  switch (cat.verdict) {
    case 'in':
    case 'outside': {
      const used = cat.decided_by_verified ? cat.statements.filter((x) => x.verified) : cat.statements;
      const categories = list(uniq(used.map((x) => x.category)));
      const head = cat.verdict === 'in' ? `The target category is protected: ${categories}.` : `The target category is not protected: ${categories}.`;
      const basis = cat.decided_by_verified
        ? `Verified by a mediator: ${list(used.map(said))}.`
        : used.length === 1
          ? `The only claim that states one: ${list(used.map(said))}.`
          : `Every claim that states one agrees: ${list(used.map(said))}.`;
      text = `${head} ${basis} ${protectedText}`;
      break;
    }
    case 'open':
      text =
        cat.statements.length === 0
          ? `The target category is open: no claim states one. ${protectedText}`
          : `The target category is open, the claims disagree: ${list(cat.statements.map(said))}. ${protectedText}`;
      break;
    default: {
      const never: never = cat.verdict;
      text = never;
    }
  }
  return step(
    'fact.target_category',
    text,
    cat.statements.map((x) => x.claim),
    { verdict: cat.verdict, targets: [...targets], statements: cat.statements, decided_by_verified: cat.decided_by_verified },
  );
}

export function linkStep(ctx: Context, actor: string, party: string, links: readonly LinkVia[]): AssessmentStep {
  const text =
    links.length > 0
      ? `${actorLabel(ctx, actor)} is linked to ${party}: ${list(links.map((l) => describeLink(actor, l)))}.`
      : `${actorLabel(ctx, actor)} is not linked to ${party}: no allied_with, hosted_by or supported_by relation to ${party} or to an actor it controls.`;
  return step('fact.link', text, [], {
    actor,
    party,
    linked: links.length > 0,
    via: links.map((l) => ({ ...l.relation, inherited_through: l.inherited_through, reverse: l.reverse })),
  });
}

export function facilitationStep(ev: Evidence, fac: FacilitationFact): AssessmentStep {
  let text: string;
  if (fac.asserted_by.length === 0) text = `No claim says that ${fac.party} facilitated the attack.`;
  else if (fac.verified_by.length > 0) text = `A mediator verified that ${fac.party} facilitated the attack: ${byWhom(ev, fac.verified_by)}.`;
  else text = `That ${fac.party} facilitated the attack is asserted by ${byWhom(ev, fac.asserted_by)}; no mediator has verified it.`;
  return step('fact.facilitation', text, fac.asserted_by, { party: fac.party, asserted_by: fac.asserted_by, verified_by: fac.verified_by });
}

function versionWords(v: AgreedListVersion): string {
  return `version ${v.version} (annex ${v.annex}, in effect from ${instant(v.from)} UTC)`;
}

function versionFacts(v: AgreedListVersion | null): Record<string, unknown> | null {
  return v === null ? null : { version: v.version, annex: v.annex, from: new Date(v.from).toISOString(), to: Number.isFinite(v.to) ? new Date(v.to).toISOString() : null };
}

/**
 * Issue 6: which version of the agreement's agreed list was in effect at the incident, and whether
 * the perpetrator was on it. A later version that adds or removes the actor is named, and does not count.
 */
export function agreedListStep(ctx: Context, agreement: string, l: Listing, all: readonly AgreedListVersion[]): AssessmentStep {
  const who = actorLabel(ctx, l.actor);
  const seen = l.versions.filter((v): v is AgreedListVersion => v !== null);
  const lastTouched = l.versions[l.versions.length - 1] ?? null;
  const isOn = (v: AgreedListVersion | null): boolean => v?.actors.some((a) => a.actor === l.actor) ?? false;
  // The first later version that changes the actor's membership, for the reader who sees today's list.
  const later = all.find((v) => v.from >= (lastTouched?.to ?? all[0]?.from ?? Infinity) && isOn(v) !== isOn(lastTouched));
  let text: string;
  switch (l.kind) {
    case 'listed':
      text = `${who} was on ${agreement}'s agreed list when the incident happened: ${list(seen.map(versionWords))}, listed by annex ${l.annex ?? '?'}.`;
      break;
    case 'not_listed':
      text =
        seen.length === 0
          ? `${who} was not on ${agreement}'s agreed list when the incident happened: no annex of ${agreement} was in effect yet.`
          : `${who} was not on ${agreement}'s agreed list when the incident happened: ${list(seen.map(versionWords))}.`;
      break;
    case 'partly':
      text = `${agreement}'s agreed list changed while the incident may have happened (at ${list(l.boundaries.map((b) => `${instant(b)} UTC`))}): ${who} was on it for only part of the incident's interval (${list(l.versions.map((v) => (v === null ? 'no list' : `${versionWords(v)}: ${isOn(v) ? 'listed' : 'not listed'}`)))}).`;
      break;
    default: {
      const never: never = l.kind;
      text = never;
    }
  }
  if (later) text += ` A later version ${isOn(later) ? 'adds' : 'removes'} it (${versionWords(later)}); the list as it stood at the incident is what counts.`;
  return step('fact.agreed_list', text, [], {
    agreement,
    actor: l.actor,
    listed: l.kind,
    annex: l.annex,
    versions: l.versions.map(versionFacts),
    boundaries: l.boundaries.map((b) => new Date(b).toISOString()),
    later: later ? { ...versionFacts(later), listed: isOn(later) } : null,
  });
}
