// Response shapes of the Mizan API as the web app reads them. Records reuse the domain types
// (src/domain); the derived views (assessment, contest, allegations) follow the contracts in the
// accountability issue and are read defensively, because those endpoints are still being built.
// Pure types and constants: no DOM, no JSX, so component tests can import this file too.
import type { Actor } from '../../../src/domain/actor.js';
import type { Agreement, Obligation, Window } from '../../../src/domain/agreement.js';
import type { Claim } from '../../../src/domain/claim.js';
import type { Designation } from '../../../src/domain/designation.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { Party } from '../../../src/domain/party.js';
import type { Source } from '../../../src/domain/source.js';
import type { MatrixRow } from '../../../src/domain/threat/matrix.js';

export type { Actor, Agreement, Claim, Designation, Incident, Obligation, Party, Source, Window };

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
  readonly total: number;
  /** The incident list counts up to 10,000: then total is a lower bound. */
  readonly total_capped?: boolean;
}

/** Every stored record says where it sits in the log. */
export interface Logged {
  readonly log_index?: number | null;
  readonly recorded_at?: string;
}

export type PartyRecord = Party & Logged;
export type ActorRecord = Actor & Logged;
export type SourceRecord = Source & Logged;
export type AgreementRecord = Agreement & Logged;
export type DesignationRecord = Designation & Logged;

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly role: 'admin' | 'mediator' | 'delegate' | 'monitor' | 'analyst';
  readonly party: string | null;
}

/** DESIGN.md's severity order, most severe first: maps, filters and legends follow it. */
export const STATUSES = ['violation', 'alleged_violation', 'contingent_violation', 'window_uncertain', 'no_violation', 'not_in_force'] as const;
export type AssessmentStatus = (typeof STATUSES)[number];

export const OPEN_QUESTIONS = ['attribution', 'target_category', 'facilitation', 'timing'] as const;
export type OpenQuestion = (typeof OPEN_QUESTIONS)[number];

export interface AssessmentStep {
  readonly rule: string;
  readonly text: string;
  readonly claims: readonly string[];
  readonly facts?: unknown;
}

/** One incident × agreement × obligation (GET /api/v1/incidents/:id/assessment, /api/v1/assessments). */
export interface AssessmentRow {
  readonly incident: string;
  readonly agreement: string;
  readonly obligation: string;
  readonly bearer: string;
  /** Null for a no_support obligation that names only the agreed list. */
  readonly against: string | null;
  readonly status: AssessmentStatus;
  readonly status_if_in_force?: AssessmentStatus | null;
  readonly open_questions: readonly OpenQuestion[];
  readonly steps: readonly AssessmentStep[];
}

export type FieldAgreement = 'agree' | 'differ' | 'silent';

/** A claim as the versions view shows it; the server sends whole claim records. */
export interface ContestClaim {
  readonly id: string;
  readonly by: string;
  readonly basis: string;
  readonly asserts: Claim['asserts'];
  readonly supersedes?: string | undefined;
  readonly evidence?: readonly string[] | undefined;
  readonly log_index?: number | null | undefined;
}

export interface ContestGroup {
  readonly by: string;
  readonly kind: 'party' | 'source';
  readonly claims: readonly ContestClaim[];
}

export interface ContestField {
  /** perpetrator, target_category, fatalities, civilian_fatalities, facilitation, date */
  readonly field: string;
  readonly agreement: FieldAgreement;
  readonly values: readonly { readonly by: string; readonly claim?: string; readonly basis?: string; readonly value: unknown }[];
  /** For fatality fields: the lowest low, the spread of best figures, the highest high. */
  readonly range?: { readonly low: number | null; readonly best_min: number | null; readonly best_max: number | null; readonly high: number | null } | null;
}

/** GET /api/v1/incidents/:id/contest: claims grouped by who made them, compared field by field. */
export interface Contest {
  readonly incident: string;
  readonly groups: readonly ContestGroup[];
  readonly fields: readonly ContestField[];
  readonly superseded?: readonly string[];
}

export const ALLEGATION_STATES = ['filed', 'awaiting_reply', 'replied', 'reply_overdue', 'under_review', 'finding'] as const;
export type AllegationState = (typeof ALLEGATION_STATES)[number];
export type ReplyKind = 'deny' | 'admit' | 'partial' | 'counter_allegation';
export type FindingOutcome = 'substantiated' | 'not_substantiated' | 'inconclusive' | 'could_not_be_attributed';

export interface AllegationReply {
  readonly kind: ReplyKind | 'no_reply';
  readonly text?: string | null;
  readonly evidence?: readonly string[];
  readonly counter_allegation?: string;
  readonly at?: string;
  readonly by_user?: string | null;
  readonly log_index?: number | null;
}
export interface AllegationTask {
  readonly id: string;
  readonly kind: string;
  readonly assignees: readonly string[];
  readonly due: string;
  readonly party?: string | null;
  readonly text?: string | null;
  readonly opened_at?: string;
  readonly outcome?: { readonly outcome: string; readonly evidence?: readonly string[]; readonly at?: string } | null;
}
export interface AccessDenial {
  readonly party: string;
  readonly at: string;
  readonly place?: string | null;
  readonly text: string;
  readonly recorded_at?: string;
  readonly log_index?: number | null;
}
export interface AllegationFinding {
  readonly outcome: FindingOutcome;
  readonly reasoning: string;
  readonly verified_claims?: readonly string[];
  readonly by?: string | null;
  readonly at?: string;
  readonly log_index?: number | null;
}
export interface Opinion {
  /** The party whose opinion it is. */
  readonly party: string;
  readonly position: 'agree' | 'disagree';
  readonly text?: string | null;
  readonly at?: string;
  readonly log_index?: number | null;
}
export interface Remedy {
  readonly id: string;
  readonly text: string;
  readonly due?: string | null;
  readonly status: string;
  readonly history?: readonly { readonly at: string; readonly status: string; readonly text?: string }[];
}
export interface HistoryEvent {
  readonly at: string;
  readonly event: string;
  readonly by?: string | null;
  readonly log_index?: number | null;
}

/** GET /api/v1/allegations/:id (src/app/allegations.ts). */
export interface Allegation {
  readonly id: string;
  readonly agreement: string;
  readonly by: string;
  readonly against: string;
  readonly obligations?: readonly string[];
  readonly incidents: readonly string[];
  readonly claims?: readonly string[];
  readonly text: string;
  readonly evidence?: readonly string[];
  readonly visibility?: string;
  readonly state: AllegationState;
  readonly filed_at?: string;
  readonly reply_deadline?: string | null;
  readonly assessment_at_filing?: readonly AssessmentRow[] | null;
  readonly reply?: AllegationReply | null;
  readonly tasks?: readonly AllegationTask[];
  readonly access_denials?: readonly AccessDenial[];
  readonly finding?: AllegationFinding | null;
  readonly opinions?: readonly Opinion[];
  readonly remedies?: readonly Remedy[];
  readonly history?: readonly HistoryEvent[];
  readonly log_index?: number | null;
  readonly recorded_at?: string;
}

/** The error body every API failure carries. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly fields: readonly { readonly path: string; readonly code: string; readonly message: string }[];
  };
}

/** GET /api/v1/threat-matrix (src/domain/threat/matrix.ts). */
export type { MatrixChange, MatrixRow, ThreatStatus } from '../../../src/domain/threat/matrix.js';
export interface ThreatMatrix {
  readonly parties: readonly string[];
  readonly actors: readonly MatrixRow[];
}
/** GET /api/v1/threat/proposals (src/domain/threat/proposal.ts). */
export type { ProposalView } from '../../../src/domain/threat/proposal.js';
