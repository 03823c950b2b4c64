import type { Obligation, Window } from '../agreement.js';
import type { Basis, TargetCategory } from '../common.js';
import type { PartyKind } from '../party.js';
import type { Precision } from '../time.js';
import type { RelationType } from '../actor.js';
import type { AgreedListAnnex } from '../threat/agreed-list.js';

/**
 * What the engine reads: plain data, already loaded and resolved by the caller (the store,
 * or a scenario file through `assessmentInputFromScenario`). Nothing here is fetched.
 */
export interface AssessmentInput {
  readonly parties: readonly AssessmentParty[];
  readonly actors: readonly AssessmentActor[];
  readonly relations: readonly AssessmentRelation[];
  readonly agreements: readonly AssessmentAgreement[];
  readonly incidents: readonly AssessmentIncident[];
  readonly claims: readonly AssessmentClaim[];
  /**
   * Agreed-list annexes adopted into the agreements (issue 6), which `no_support` obligations with
   * `actors: "agreed_list"` read; none when absent. Each carries when it took effect, so the list
   * is read as it stood at the incident.
   */
  readonly annexes?: readonly AgreedListAnnex[] | undefined;
}

export interface AssessmentParty {
  readonly id: string;
  readonly kind: PartyKind;
  /** ISO 3166-1 alpha-3; an organisation has none. */
  readonly country?: string | undefined;
}

export interface AssessmentActor {
  readonly id: string;
  readonly controlled_by: string | null;
  /** The neutral default name, for the steps' text. */
  readonly name?: string | undefined;
}

/**
 * One relation of an armed actor, itself a claim. `subject` is the actor the relation is
 * recorded on; it points at exactly one of `party` or `object_actor`.
 */
export interface AssessmentRelation {
  readonly subject: string;
  readonly type: RelationType;
  readonly party?: string | undefined;
  readonly object_actor?: string | undefined;
  readonly basis: Basis;
  readonly by?: string | undefined;
}

export interface AssessmentAgreement {
  readonly id: string;
  readonly parties: readonly string[];
  readonly mediators: readonly string[];
  /** Windows after every amendment (extensions added, terminations applied). */
  readonly windows: readonly Window[];
  readonly obligations: readonly Obligation[];
}

export interface AssessmentIncident {
  readonly id: string;
  /** The half-open UTC interval [from, to) resolved from the stated local time. */
  readonly occurred: { readonly from: string; readonly to: string; readonly precision?: Precision | undefined };
  readonly location: { readonly country: string };
  readonly actors?: readonly { readonly actor: string; readonly role: 'perpetrator' | 'target' }[] | undefined;
}

export interface AssessmentClaim {
  readonly id: string;
  readonly incident: string;
  /** A party or a source. */
  readonly by: string;
  readonly basis: Basis;
  readonly asserts: {
    readonly perpetrator?: string | undefined;
    readonly denies?: string | undefined;
    readonly target?: string | undefined;
    readonly target_category?: TargetCategory | undefined;
    readonly facilitated_by?: string | undefined;
  };
  /** Set when a later claim supersedes this one; such a claim is not used. */
  readonly superseded_by?: string | null | undefined;
}
