import { z } from 'zod';
import { AssessmentStatus, OpenQuestion, ProhibitedStatus } from './status.js';

/**
 * Which rule of docs/assessment.md a step applies. `fact.*` steps state a derived fact;
 * the last step of a row is the branch that decided its status.
 */
export const RULES = [
  'in_force',
  'fact.target_party',
  'fact.perpetrator',
  'fact.target_category',
  'fact.link',
  'fact.facilitation',
  'fact.agreed_list',
  'cease_attacks.target',
  'cease_attacks.1',
  'cease_attacks.2',
  'cease_attacks.3',
  'no_support',
  'in_force.boundary',
] as const;
export const RuleId = z.enum(RULES);
export type RuleId = z.infer<typeof RuleId>;

export const AssessmentStep = z.strictObject({
  rule: RuleId,
  /** Short plain English a mediator can read. */
  text: z.string(),
  /** The claims this step relied on. */
  claims: z.array(z.string()),
  /** The facts this step relied on, as JSON. */
  facts: z.record(z.string(), z.unknown()),
});
export type AssessmentStep = z.infer<typeof AssessmentStep>;

const rowFields = {
  incident: z.string(),
  agreement: z.string(),
  obligation: z.string(),
  bearer: z.string(),
  /** The party the obligation protects; null for a `no_support` that names only the agreed list. */
  against: z.string().nullable(),
  open_questions: z.array(OpenQuestion),
  steps: z.array(AssessmentStep).min(1),
};

/**
 * One incident × one `cease_attacks` or `no_support` obligation. `status_if_in_force` is
 * present exactly when the status is `window_uncertain`.
 */
export const AssessmentRow = z.discriminatedUnion('status', [
  z.strictObject({ ...rowFields, status: z.literal('window_uncertain'), status_if_in_force: ProhibitedStatus }),
  z.strictObject({ ...rowFields, status: AssessmentStatus.exclude(['window_uncertain']) }),
]);
export type AssessmentRow = z.infer<typeof AssessmentRow>;
export const AssessmentRows = z.array(AssessmentRow);
