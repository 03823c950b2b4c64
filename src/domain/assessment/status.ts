import { z } from 'zod';

/**
 * The statuses of the accountability issue (issue 5, "Assessment engine"), most severe
 * first. The order is the contract for maps and filters.
 */
export const SEVERITY = [
  'violation',
  'alleged_violation',
  'contingent_violation',
  'window_uncertain',
  'no_violation',
  'not_in_force',
] as const;

export const AssessmentStatus = z.enum(SEVERITY);
export type AssessmentStatus = z.infer<typeof AssessmentStatus>;

/** What an obligation's rule gives when the agreement is taken to be in force. */
export const InForceStatus = z.enum(['violation', 'alleged_violation', 'contingent_violation', 'no_violation']);
export type InForceStatus = z.infer<typeof InForceStatus>;

/** The in-force statuses that a window boundary turns into `window_uncertain`. */
export const ProhibitedStatus = z.enum(['violation', 'alleged_violation', 'contingent_violation']);
export type ProhibitedStatus = z.infer<typeof ProhibitedStatus>;

/** The questions whose answer would change a status, in the order rows list them. */
export const OPEN_QUESTIONS = ['attribution', 'target_category', 'facilitation', 'timing'] as const;
export const OpenQuestion = z.enum(OPEN_QUESTIONS);
export type OpenQuestion = z.infer<typeof OpenQuestion>;

const rank = new Map<AssessmentStatus, number>(SEVERITY.map((s, i) => [s, i]));

/**
 * Sort comparator by severity: negative when `a` is more severe than `b`, so
 * `rows.sort((x, y) => compareSeverity(x.status, y.status))` puts violations first.
 */
export function compareSeverity(a: AssessmentStatus, b: AssessmentStatus): number {
  return (rank.get(a) ?? SEVERITY.length) - (rank.get(b) ?? SEVERITY.length);
}

/** Plain words for what a rule gave, as the steps print it. */
export function statusWords(status: InForceStatus): string {
  switch (status) {
    case 'violation':
      return 'violation';
    case 'alleged_violation':
      return 'alleged violation';
    case 'contingent_violation':
      return 'contingent violation';
    case 'no_violation':
      return 'no violation';
    default: {
      const never: never = status;
      return never;
    }
  }
}

export function sortOpenQuestions(questions: Iterable<OpenQuestion>): OpenQuestion[] {
  const set = new Set(questions);
  return OPEN_QUESTIONS.filter((q) => set.has(q));
}
