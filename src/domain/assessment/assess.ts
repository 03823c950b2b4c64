import type { Obligation } from '../agreement.js';
import type { Context } from './context.js';
import { buildContext } from './context.js';
import type { Evidence } from './facts.js';
import { gatherEvidence } from './facts.js';
import type { AssessmentAgreement, AssessmentIncident, AssessmentInput } from './input.js';
import type { AssessmentRow, AssessmentStep } from './row.js';
import type { Evaluation } from './rules.js';
import { evaluateCeaseAttacks, evaluateNoSupport } from './rules.js';
import { sortOpenQuestions, statusWords } from './status.js';
import { step } from './steps.js';
import { instant, interval, isoOrNull, list, period } from './text.js';
import type { Coverage, Period } from './window.js';
import { coverage, periodsInForce } from './window.js';

/** The obligations the engine assesses; the others (mechanisms, free text) have no status. */
type AssessedObligation = Extract<Obligation, { type: 'cease_attacks' | 'no_support' }>;

function assessedObligations(agreement: AssessmentAgreement): AssessedObligation[] {
  const out: AssessedObligation[] = [];
  for (const o of agreement.obligations) {
    switch (o.type) {
      case 'cease_attacks':
      case 'no_support':
        out.push(o);
        break;
      case 'establish_mechanism':
      case 'other':
        break;
      default: {
        const never: never = o;
        return never;
      }
    }
  }
  return out;
}

// Ids are compared by code unit, not locale, so the order is the same on every machine.
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Assess every incident against every `cease_attacks` and `no_support` obligation of every
 * agreement (issue 5, section 1): one row each, `not_in_force` rows included, sorted by
 * incident, agreement and obligation id. Pure and total on well-formed input.
 */
export function assess(input: AssessmentInput): AssessmentRow[] {
  const ctx = buildContext(input);
  return sortRows(input.incidents.flatMap((incident) => rowsFor(ctx, input, incident)));
}

/** The rows of one incident; empty when there is no incident with that id. */
export function assessIncident(input: AssessmentInput, incidentId: string): AssessmentRow[] {
  const incident = input.incidents.find((i) => i.id === incidentId);
  if (!incident) return [];
  return sortRows(rowsFor(buildContext(input), input, incident));
}

function sortRows(rows: AssessmentRow[]): AssessmentRow[] {
  return rows.sort((a, b) => byCodeUnit(a.incident, b.incident) || byCodeUnit(a.agreement, b.agreement) || byCodeUnit(a.obligation, b.obligation));
}

function rowsFor(ctx: Context, input: AssessmentInput, incident: AssessmentIncident): AssessmentRow[] {
  const rows: AssessmentRow[] = [];
  const from = Date.parse(incident.occurred.from);
  const to = Date.parse(incident.occurred.to);
  for (const agreement of input.agreements) {
    const obligations = assessedObligations(agreement);
    if (obligations.length === 0) continue;
    const periods = periodsInForce(agreement.windows);
    const cov = coverage(from, to, periods);
    const windowStep = inForceStep(agreement, from, to, periods, cov, incident.occurred.precision);
    // Facts are read per agreement, because whose claims count as verified depends on its mediators.
    const ev = gatherEvidence(ctx, incident, agreement);
    for (const o of obligations) {
      const base = { incident: incident.id, agreement: agreement.id, obligation: o.id, bearer: o.bearer, against: o.against ?? null };
      if (cov.kind === 'outside') {
        rows.push({ ...base, status: 'not_in_force', open_questions: [], steps: [windowStep] });
        continue;
      }
      const evaluation = evaluate(ctx, ev, agreement, o);
      rows.push(withCoverage(base, cov, windowStep, evaluation));
    }
  }
  return rows;
}

function evaluate(ctx: Context, ev: Evidence, agreement: AssessmentAgreement, o: AssessedObligation): Evaluation {
  switch (o.type) {
    case 'cease_attacks':
      return evaluateCeaseAttacks(ctx, ev, o.bearer, o.against, o.targets);
    case 'no_support':
      return evaluateNoSupport(ctx, ev, o.bearer, {
        against: o.against,
        list: o.actors === 'agreed_list' ? { agreement: agreement.id, versions: ctx.agreedLists.get(agreement.id) ?? [] } : undefined,
      });
    default: {
      const never: never = o;
      return never;
    }
  }
}

/**
 * Issue 5, "In force": inside → the rule's status; overlapping a boundary → the rule's
 * status if it is `no_violation`, otherwise `window_uncertain` with `status_if_in_force`.
 */
function withCoverage(
  base: Pick<AssessmentRow, 'incident' | 'agreement' | 'obligation' | 'bearer' | 'against'>,
  cov: Exclude<Coverage, { kind: 'outside' }>,
  windowStep: AssessmentStep,
  evaluation: Evaluation,
): AssessmentRow {
  const steps = [windowStep, ...evaluation.steps];
  const open = [...evaluation.open_questions];
  const listBoundaries = evaluation.list_boundaries ?? [];
  if (listBoundaries.length > 0 && evaluation.status !== 'no_violation') {
    // Issue 6: the obligation covered the perpetrator only under part of the incident's interval.
    const ifListed = evaluation.status;
    const boundaries = [...(cov.kind === 'straddles' ? cov.boundaries : []), ...listBoundaries].sort((a, b) => a - b);
    steps.push(
      step(
        'in_force.boundary',
        `If the perpetrator was on the agreed list for the whole incident this would be ${statusWords(ifListed)}; the list changed at ${list(listBoundaries.map((b) => `${instant(b)} UTC`))}, inside the incident's interval, so: window uncertain. Open: timing.`,
        [],
        { status_if_in_force: ifListed, boundaries: boundaries.map(isoOrNull), list_boundaries: listBoundaries.map(isoOrNull) },
      ),
    );
    return { ...base, status: 'window_uncertain', status_if_in_force: ifListed, open_questions: sortOpenQuestions([...open, 'timing']), steps };
  }
  if (cov.kind === 'inside' || evaluation.status === 'no_violation') {
    if (cov.kind === 'straddles') {
      steps.push(
        step('in_force.boundary', 'Even if the agreement was in force throughout, this is no violation, so the uncertain timing does not matter: no violation.', [], {
          status_if_in_force: 'no_violation',
        }),
      );
    }
    return { ...base, status: evaluation.status, open_questions: sortOpenQuestions(open), steps };
  }
  const ifInForce = evaluation.status;
  steps.push(
    step(
      'in_force.boundary',
      `If the incident fell inside the period in force this would be ${statusWords(ifInForce)}; its time spans a boundary of that period, so: window uncertain. Open: timing.`,
      [],
      { status_if_in_force: ifInForce, boundaries: cov.boundaries.map(isoOrNull) },
    ),
  );
  return { ...base, status: 'window_uncertain', status_if_in_force: ifInForce, open_questions: sortOpenQuestions([...open, 'timing']), steps };
}

function inForceStep(
  agreement: AssessmentAgreement,
  from: number,
  to: number,
  periods: readonly Period[],
  cov: Coverage,
  precision: string | undefined,
): AssessmentStep {
  const when = `${interval(from, to)}${precision && precision !== 'exact' && precision !== 'range' ? `, ${precision} precision` : ''}`;
  const inForce = periods.length === 0 ? 'none (no window)' : list(periods.map(period));
  const facts: Record<string, unknown> = {
    incident: { from: isoOrNull(from), to: isoOrNull(to), precision: precision ?? null },
    in_force: periods.map((p) => ({ from: isoOrNull(p.from), to: isoOrNull(p.to) })),
    coverage: cov.kind,
  };
  switch (cov.kind) {
    case 'inside': {
      const joined = agreement.windows.length > periods.length ? ' (windows that join are one period)' : '';
      return step('in_force', `The incident (${when}) lies inside ${agreement.id}'s period in force ${period(cov.period)}${joined}.`, [], facts);
    }
    case 'outside':
      return step('in_force', `The incident (${when}) lies outside ${agreement.id}'s period in force ${inForce}: not in force.`, [], facts);
    case 'straddles':
      return step(
        'in_force',
        `The incident (${when}) spans a boundary of ${agreement.id}'s period in force ${inForce}, at ${list(cov.boundaries.map((b) => `${instant(b)} UTC`))}; it is assessed as if in force.`,
        [],
        { ...facts, boundaries: cov.boundaries.map(isoOrNull) },
      );
    default: {
      const never: never = cov;
      return never;
    }
  }
}
