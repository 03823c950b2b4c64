// The review queue's pure parts: the shapes of GET /api/v1/report-links and POST /api/v1/extract,
// who may act (mirroring src/domain/policy.ts), and the text cut into highlighted spans.
import { z } from 'zod';
import type { AgreementCandidate, IncidentCandidate, TextSpan } from '../../../src/intake/extract/types.js';
import type { LinkSuggestion } from '../../../src/intake/link/link.js';

export type { AgreementCandidate, IncidentCandidate, LinkSuggestion, TextSpan };

export type LinkStatus = 'candidate' | 'confirmed' | 'undone';

/** A report ↔ incident link proposed by the monitors' intake (src/app/monitors.ts listLinks). */
export interface QueuedLink {
  readonly id: string;
  readonly report_id: string;
  readonly incident_id: string;
  /** 0–1. */
  readonly score: number;
  readonly explanation: string;
  readonly status: LinkStatus;
  readonly decided_by: string | null;
  readonly recorded_at: string;
}

export interface ExtractAnswer {
  readonly incidents: readonly IncidentCandidate[];
  readonly agreements: readonly AgreementCandidate[];
  /** One per incident candidate, same order. */
  readonly links: readonly LinkSuggestion[];
}

type Role = 'admin' | 'mediator' | 'delegate' | 'monitor' | 'analyst';

/** policy.ts: 'link.read' and 'link.confirm' are for analysts and mediators. */
export const mayReviewLinks = (role: Role | undefined): boolean => role === 'analyst' || role === 'mediator';
/** policy.ts: 'extract' is for analysts, mediators and admins. */
export const mayExtract = (role: Role | undefined): boolean => role === 'analyst' || role === 'mediator' || role === 'admin';

/** The decisions a link in each state can take; "reject" is the server's undo of a candidate. */
export function linkActions(status: LinkStatus): readonly ('confirm' | 'reject' | 'undo')[] {
  switch (status) {
    case 'candidate':
      return ['confirm', 'reject'];
    case 'confirmed':
      return ['undo'];
    case 'undone':
      return ['confirm'];
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** The server route each action calls. */
export const linkActionPath = (id: string, action: 'confirm' | 'reject' | 'undo') => `/api/v1/report-links/${encodeURIComponent(id)}/${action === 'confirm' ? 'confirm' : 'undo'}`;

/**
 * The extraction request as the form builds it. The server checks it with ExtractRequest
 * (src/app/extract.ts); that module pulls in the whole extractor (and chrono-node), so the browser
 * checks the same two rules here: text present and not too long, publication date a real day.
 */
export const MAX_EXTRACT_TEXT = 1_000_000;
export const ExtractForm = z.strictObject({
  text: z.string().min(1, 'text is empty').max(MAX_EXTRACT_TEXT, `text is longer than ${MAX_EXTRACT_TEXT} characters`),
  published: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a real date, YYYY-MM-DD')
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return Number.isFinite(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, 'must be a real date, YYYY-MM-DD'),
});

export interface Segment {
  readonly text: string;
  /** Which candidate the characters belong to, or null for plain text. */
  readonly mark: { readonly kind: 'incident' | 'agreement'; readonly n: number } | null;
}

/**
 * The input cut at the candidates' spans, in order. Spans come from the server and may overlap or
 * run past the text: each is clipped to the text and to the end of the previous one.
 */
export function segments(text: string, answer: Pick<ExtractAnswer, 'incidents' | 'agreements'>): Segment[] {
  const spans = [
    ...answer.incidents.map((c, i) => ({ span: c.text_span, mark: { kind: 'incident' as const, n: i + 1 } })),
    ...answer.agreements.map((c, i) => ({ span: c.text_span, mark: { kind: 'agreement' as const, n: i + 1 } })),
  ]
    .filter((s) => Number.isInteger(s.span?.start) && Number.isInteger(s.span?.end))
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const out: Segment[] = [];
  let at = 0;
  for (const s of spans) {
    const start = Math.max(at, Math.min(text.length, s.span.start));
    const end = Math.max(start, Math.min(text.length, s.span.end));
    if (end === start) continue;
    if (start > at) out.push({ text: text.slice(at, start), mark: null });
    out.push({ text: text.slice(start, end), mark: s.mark });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: null });
  return out;
}
