import type { TargetCategory } from '../common.js';
import type { Context } from './context.js';
import type { Evidence, PerpetratorFact } from './facts.js';
import { facilitation, targetCategory, targetParty } from './facts.js';
import { linksTo } from './links.js';
import type { AssessmentStep } from './row.js';
import type { InForceStatus, OpenQuestion } from './status.js';
import { sortOpenQuestions, statusWords } from './status.js';
import { agreedListStep, categoryStep, facilitationStep, linkStep, perpetratorSteps, step, targetPartyStep } from './steps.js';
import type { AgreedListVersion, Listing } from '../threat/agreed-list.js';
import { listingDuring } from '../threat/agreed-list.js';
import { list } from './text.js';

/** What an obligation's rule gives when the agreement is taken to be in force. */
export interface Evaluation {
  readonly status: InForceStatus;
  readonly open_questions: readonly OpenQuestion[];
  readonly steps: readonly AssessmentStep[];
  /**
   * Set when the obligation applies only because of an agreed list that changed inside the
   * incident's interval: the changes (UTC ms). A prohibited status then becomes `window_uncertain`.
   */
  readonly list_boundaries?: readonly number[];
}

const nonRefuted = (ev: Evidence): PerpetratorFact[] => ev.perpetrators.filter((p) => p.status !== 'refuted');
const isAre = (n: number): string => (n > 1 ? 'are' : 'is');

function conclude(
  rule: AssessmentStep['rule'],
  status: InForceStatus,
  open: readonly OpenQuestion[],
  reason: string,
  facts: Record<string, unknown> = {},
): AssessmentStep {
  const sorted = sortOpenQuestions(open);
  const openText = sorted.length > 0 ? ` Open: ${sorted.join(', ')}.` : '';
  return step(rule, `${reason}: ${statusWords(status)}.${openText}`, [], { status, open_questions: sorted, ...facts });
}

/**
 * Issue 5, `cease_attacks {bearer B, against C, targets T}`: only attacks on a target that
 * belongs to C matter; then rule 1 (a perpetrator B controls), rule 2 (a perpetrator no
 * party controls, linked to B or said to be facilitated by B), rule 3 (neither).
 */
export function evaluateCeaseAttacks(
  ctx: Context,
  ev: Evidence,
  bearer: string,
  against: string,
  targets: readonly TargetCategory[],
): Evaluation {
  const steps: AssessmentStep[] = [];
  const tp = targetParty(ctx, ev, against);
  steps.push(targetPartyStep(tp, ev.incident.location.country));
  if (!tp.belongs) {
    const s = conclude('cease_attacks.target', 'no_violation', [], `${bearer}'s obligation protects ${against}, and the target is not ${against}'s`);
    return { status: 'no_violation', open_questions: [], steps: [...steps, s] };
  }
  steps.push(...perpetratorSteps(ctx, ev));
  const cat = targetCategory(ev, targets);
  steps.push(categoryStep(cat, targets));

  // Rule 1: a non-refuted perpetrator controlled by the bearer.
  const own = nonRefuted(ev).filter((p) => p.controlled_by === bearer);
  if (own.length > 0) {
    const established = own.filter((p) => p.status === 'established').map((p) => p.actor);
    const names = list(own.map((p) => p.actor));
    const facts = { perpetrators: own.map((p) => p.actor), established, category: cat.verdict };
    if (cat.verdict === 'outside') {
      steps.push(conclude('cease_attacks.1', 'no_violation', [], `Rule 1: ${names}, controlled by ${bearer}, ${isAre(own.length)} named, but the target is not in a protected category`, facts));
      return { status: 'no_violation', open_questions: [], steps };
    }
    if (established.length > 0 && cat.verdict === 'in') {
      steps.push(conclude('cease_attacks.1', 'violation', [], `Rule 1: ${list(established)}, controlled by ${bearer}, ${isAre(established.length)} established as perpetrator and the target is protected`, facts));
      return { status: 'violation', open_questions: [], steps };
    }
    const open: OpenQuestion[] = [];
    const confirm: string[] = [];
    if (established.length === 0) {
      open.push('attribution');
      confirm.push(`the attribution to ${names}`);
    }
    if (cat.verdict === 'open') {
      open.push('target_category');
      confirm.push('the target category');
    }
    steps.push(conclude('cease_attacks.1', 'alleged_violation', open, `Rule 1: ${names}, controlled by ${bearer}, ${isAre(own.length)} named; a violation if ${list(confirm)} ${isAre(confirm.length)} confirmed`, facts));
    return { status: 'alleged_violation', open_questions: sortOpenQuestions(open), steps };
  }

  // Rule 2: a non-refuted perpetrator no party controls, linked to the bearer, or a claim
  // that the bearer facilitated the attack.
  const free = nonRefuted(ev).filter((p) => p.controlled_by === null);
  const linked: string[] = [];
  for (const p of free) {
    const links = linksTo(ctx, p.actor, bearer);
    if (links.length > 0) linked.push(p.actor);
    steps.push(linkStep(ctx, p.actor, bearer, links));
  }
  const fac = facilitation(ev, bearer);
  steps.push(facilitationStep(ev, fac));
  const facts = { linked_perpetrators: linked, facilitation_asserted_by: fac.asserted_by, facilitation_verified_by: fac.verified_by, category: cat.verdict };
  if (linked.length > 0 || fac.asserted_by.length > 0) {
    const basis = [
      linked.length > 0 ? `${list(linked)}, controlled by no party, ${isAre(linked.length)} linked to ${bearer}` : null,
      fac.asserted_by.length > 0 ? `a claim says ${bearer} facilitated the attack` : null,
    ].filter((x): x is string => x !== null);
    const why = `Rule 2: ${list(basis)}`;
    if (cat.verdict === 'outside') {
      steps.push(conclude('cease_attacks.2', 'no_violation', [], `${why}, but the target is not in a protected category`, facts));
      return { status: 'no_violation', open_questions: [], steps };
    }
    if (fac.verified_by.length > 0) {
      if (cat.verdict === 'in') {
        steps.push(conclude('cease_attacks.2', 'violation', [], `${why}; a mediator verified ${bearer}'s facilitation and the target is protected`, facts));
        return { status: 'violation', open_questions: [], steps };
      }
      steps.push(
        conclude('cease_attacks.2', 'alleged_violation', ['target_category'], `${why}; a mediator verified ${bearer}'s facilitation; a violation if the target category is confirmed`, facts),
      );
      return { status: 'alleged_violation', open_questions: ['target_category'], steps };
    }
    const open: OpenQuestion[] = cat.verdict === 'open' ? ['facilitation', 'target_category'] : ['facilitation'];
    steps.push(conclude('cease_attacks.2', 'contingent_violation', open, `${why}; a violation only if ${bearer}'s support or facilitation is established`, facts));
    return { status: 'contingent_violation', open_questions: sortOpenQuestions(open), steps };
  }

  // Rule 3.
  steps.push(
    conclude(
      'cease_attacks.3',
      'no_violation',
      [],
      `Rule 3: no perpetrator controlled by ${bearer}, none controlled by no party and linked to ${bearer}, and no claim that ${bearer} facilitated the attack`,
      facts,
    ),
  );
  return { status: 'no_violation', open_questions: [], steps };
}

/** What a `no_support` obligation covers: attacks on `against`, actors on the agreed list, or both. */
export interface NoSupportScope {
  readonly against?: string | undefined;
  /** Present when the obligation names the agreed list: the agreement and its list's versions. */
  readonly list?: { readonly agreement: string; readonly versions: readonly AgreedListVersion[] } | undefined;
}

/**
 * Issue 5, `no_support {bearer B, against C}`: applies when a non-refuted perpetrator that
 * no party controls attacks a target that belongs to C. Issue 6, `actors: "agreed_list"`: the
 * perpetrator must also be on the agreement's agreed list as adopted when the incident happened
 * (with no `against`, whoever the target). When the list changed inside the incident's interval
 * and no perpetrator was listed throughout, `list_boundaries` says where, and the caller makes a
 * prohibited status `window_uncertain`.
 */
export function evaluateNoSupport(ctx: Context, ev: Evidence, bearer: string, scope: NoSupportScope): Evaluation {
  const steps: AssessmentStep[] = [];
  const against = scope.against;
  const tp = against === undefined ? null : targetParty(ctx, ev, against);
  if (tp) steps.push(targetPartyStep(tp, ev.incident.location.country));
  steps.push(...perpetratorSteps(ctx, ev));
  const free = nonRefuted(ev).filter((p) => p.controlled_by === null);
  const listing = new Map<string, Listing>();
  if (scope.list) {
    const from = Date.parse(ev.incident.occurred.from);
    const to = Date.parse(ev.incident.occurred.to);
    for (const p of free) {
      const l = listingDuring(scope.list.versions, p.actor, from, to);
      listing.set(p.actor, l);
      steps.push(agreedListStep(ctx, scope.list.agreement, l, scope.list.versions));
    }
  }
  const covered = scope.list ? free.filter((p) => listing.get(p.actor)?.kind !== 'not_listed') : free;
  const listFacts = scope.list ? { agreed_list: scope.list.agreement, listed_perpetrators: covered.map((p) => p.actor) } : {};
  const onList = scope.list ? ` and on ${scope.list.agreement}'s agreed list` : '';
  const did = against === undefined ? 'carried out the attack' : `attacked ${against}`;
  if ((tp !== null && !tp.belongs) || covered.length === 0) {
    const why =
      tp !== null && !tp.belongs
        ? `The no-support obligation covers attacks on ${against ?? '?'}, and the target is not ${against ?? '?'}'s`
        : free.length === 0
          ? `The no-support obligation covers attacks by a perpetrator that no party controls, and no such perpetrator is named (or all are refuted)`
          : `The no-support obligation covers actors on ${scope.list?.agreement ?? '?'}'s agreed list, and no perpetrator named was on it when the incident happened`;
    steps.push(conclude('no_support', 'no_violation', [], why, { applies: false, ...listFacts }));
    return { status: 'no_violation', open_questions: [], steps };
  }
  const linked: string[] = [];
  for (const p of covered) {
    const links = linksTo(ctx, p.actor, bearer);
    if (links.length > 0) linked.push(p.actor);
    steps.push(linkStep(ctx, p.actor, bearer, links));
  }
  const fac = facilitation(ev, bearer);
  steps.push(facilitationStep(ev, fac));
  // The list's timing decides only when no covered perpetrator was listed for the whole interval.
  const uncertain = scope.list !== undefined && covered.every((p) => listing.get(p.actor)?.kind === 'partly');
  const boundaries = uncertain ? [...new Set(covered.flatMap((p) => listing.get(p.actor)?.boundaries ?? []))].sort((a, b) => a - b) : [];
  const timing = uncertain ? { list_boundaries: boundaries } : {};
  const facts = { applies: true, ...listFacts, linked_perpetrators: linked, facilitation_asserted_by: fac.asserted_by, facilitation_verified_by: fac.verified_by };
  const attackers = list(covered.map((p) => p.actor));
  if (fac.verified_by.length > 0) {
    steps.push(conclude('no_support', 'violation', [], `${attackers}, controlled by no party${onList}, ${did}, and a mediator verified that ${bearer} facilitated it`, facts));
    return { status: 'violation', open_questions: [], steps, ...timing };
  }
  if (linked.length > 0 || fac.asserted_by.length > 0) {
    const basis = [
      linked.length > 0 ? `${list(linked)} ${isAre(linked.length)} linked to ${bearer}` : null,
      fac.asserted_by.length > 0 ? `a claim says ${bearer} facilitated the attack` : null,
    ].filter((x): x is string => x !== null);
    steps.push(
      conclude(
        'no_support',
        'contingent_violation',
        ['facilitation'],
        `${attackers}, controlled by no party${onList}, ${did}; ${list(basis)}; a violation only if ${bearer}'s support is established`,
        facts,
      ),
    );
    return { status: 'contingent_violation', open_questions: ['facilitation'], steps, ...timing };
  }
  steps.push(
    conclude(
      'no_support',
      'no_violation',
      [],
      `${attackers}, controlled by no party${onList}, ${did}, but ${attackers} ${isAre(covered.length)} not linked to ${bearer} and no claim says ${bearer} facilitated it`,
      facts,
    ),
  );
  return { status: 'no_violation', open_questions: [], steps };
}
