// Candidate incidents and agreements from text (issue 9 §1). Pure: data in, data out.
export { createExtractor, extractCandidates, MAX_TEXT } from './extract.js';
export type { Extractor } from './extract.js';
export { parsePublished, weekdayOnOrBefore, zoneForCountry } from './dates.js';
export { cleanText, splitSentences } from './text.js';
export { HEDGING_BASIS } from './types.js';
export type {
  ActorEntry,
  AgreementCandidate,
  AgreementEntry,
  CandidateLocation,
  CandidateTime,
  ExtractOptions,
  Extraction,
  FatalityFigure,
  Hedging,
  IncidentCandidate,
  NamedRef,
  PlaceEntry,
  TargetCategory,
  TextSpan,
} from './types.js';
export { actorEntries, agreementEntries, placeEntries } from './reference.js';
