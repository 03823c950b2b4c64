// Report → incident linking (issue 9 §2). Pure: scores and suggestions, never a merge.
export { scoreLink, suggestLink, reportOfCandidate, LINK_THRESHOLD, QUEUE_THRESHOLD, BLOCK_DAYS, BLOCK_KM } from './link.js';
export type { LinkReport, LinkIncident, LinkDecision, LinkScore, LinkSuggestion } from './link.js';
