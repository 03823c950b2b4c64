// The shapes of issue 9 §1: candidates pulled from text, reviewed by a person before anything
// becomes an incident or an agreement. Every candidate points back at the exact characters it
// came from, so a reviewer can see what the machine read.

/** Characters [start, end) of the input; `text === input.slice(start, end)`. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Half-open UTC interval the text places the event in; nulls when the text gives no date. */
export interface CandidateTime {
  readonly from: string | null;
  readonly to: string | null;
  /** The words the text used ("Friday evening", "during the initial 48-hour truce"). */
  readonly stated: string | null;
}

export interface CandidateLocation {
  readonly name: string | null;
  /** ISO 3166-1 alpha-3. */
  readonly country: string | null;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
}

/** An actor as named in the text, with the record id when the alias table knows it. */
export interface NamedRef {
  readonly id: string | null;
  readonly name: string;
}

export type Hedging = 'reported' | 'alleged' | 'claimed' | 'denied';

/** Claim bases (domain/claim.ts) the hedging words map to. */
export const HEDGING_BASIS: Readonly<Record<Hedging, string>> = {
  reported: 'reported',
  alleged: 'alleged',
  claimed: 'claimed_by_perpetrator',
  denied: 'denied',
};

export type TargetCategory = 'civilians' | 'security_forces' | 'critical_infrastructure' | 'armed_group' | 'unknown';

export interface FatalityFigure {
  readonly low: number | null;
  readonly high: number | null;
  /** Who states the figure; `{id: null, name: "unattributed"}` when the text does not say. */
  readonly who: NamedRef;
}

export interface IncidentCandidate {
  readonly kind: 'incident';
  readonly text_span: TextSpan;
  readonly occurred: CandidateTime;
  readonly location: CandidateLocation;
  readonly event_type: string;
  readonly sub_event_type: string;
  readonly actors: { readonly perpetrator: NamedRef | null; readonly target: NamedRef | null };
  readonly target_category: TargetCategory;
  readonly fatalities: readonly FatalityFigure[];
  readonly hedging: Hedging;
  /** 0–1: how much of the candidate the text pinned down. */
  readonly confidence: number;
}

export interface AgreementCandidate {
  readonly kind: 'agreement';
  readonly text_span: TextSpan;
  readonly occurred: CandidateTime;
  readonly parties: readonly NamedRef[];
  readonly mediators: readonly NamedRef[];
  readonly terms: readonly string[];
}

export interface Extraction {
  readonly incidents: readonly IncidentCandidate[];
  readonly agreements: readonly AgreementCandidate[];
}

// ---- what the caller passes in (data, never a store)

/** An actor or party with every name it goes by (all scripts). */
export interface ActorEntry {
  readonly id: string;
  readonly names: readonly string[];
  /** state_forces | armed_group | … ; parties have kind "party". */
  readonly kind: string;
  /** For state forces: the party controlling them; for a party: its own id. */
  readonly party: string | null;
  /** Alpha-3 of a party (or of the party controlling state forces). */
  readonly country: string | null;
}

/** An agreement's time windows, so "the 48-hour truce" or "after the extension" resolve. */
export interface AgreementEntry {
  readonly id: string;
  readonly title: string;
  readonly windows: readonly { readonly from: string; readonly to: string | null }[];
}

/** A gazetteer place, as src/geo gives it. */
export interface PlaceEntry {
  readonly id: string;
  readonly name: string;
  readonly names: readonly string[];
  readonly country: string | null;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly population: number;
  readonly kind: string;
}

export interface ExtractOptions {
  /** Publication date, YYYY-MM-DD: relative dates resolve against it. */
  readonly published: string;
  readonly actors: readonly ActorEntry[];
  readonly agreements?: readonly AgreementEntry[];
  readonly places: readonly PlaceEntry[];
}
