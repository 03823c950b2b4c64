// The assessment engine of issue 5, section 1: each incident against each `cease_attacks`
// and `no_support` obligation of each agreement. Pure: data in, rows out. The rules as
// implemented, with the interpretations, are in docs/assessment.md.

export { assess, assessIncident } from './assess.js';
export { assessmentInputFromScenario } from './from-scenario.js';

export type {
  AssessmentActor,
  AssessmentAgreement,
  AssessmentClaim,
  AssessmentIncident,
  AssessmentInput,
  AssessmentParty,
  AssessmentRelation,
} from './input.js';

export { AssessmentRow, AssessmentRows, AssessmentStep, RULES, RuleId } from './row.js';

export {
  AssessmentStatus,
  InForceStatus,
  OPEN_QUESTIONS,
  OpenQuestion,
  ProhibitedStatus,
  SEVERITY,
  compareSeverity,
} from './status.js';

export { periodsInForce } from './window.js';
export type { Period } from './window.js';
