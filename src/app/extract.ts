// Use case of issue 9: text + publication date → candidate incidents and agreements, each
// incident with a link suggestion against the incidents the caller may see. Nothing is
// written: a person reviews the candidates before anything becomes a record.
import { z } from 'zod';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { resolveOccurred, type OccurredInput } from '../domain/time.js';
import { parseOrThrow } from '../domain/validation.js';
import { actorEntries, agreementEntries, createExtractor, parsePublished, type Extraction, type PlaceEntry } from '../intake/extract/index.js';
import { reportOfCandidate, suggestLink, type LinkIncident, type LinkSuggestion } from '../intake/link/index.js';
import type { Mizan } from './mizan.js';

/** Largest text accepted over the API (the server's body limit is 2 MiB). */
export const MAX_EXTRACT_TEXT = 1_000_000;

export const ExtractRequest = z.strictObject({
  text: z.string().min(1, 'text is empty').max(MAX_EXTRACT_TEXT, `text is longer than ${MAX_EXTRACT_TEXT} characters`),
  published: z.string().refine((s) => parsePublished(s) !== null, 'must be a real date, YYYY-MM-DD'),
});
export type ExtractRequest = z.infer<typeof ExtractRequest>;

export interface ExtractResult extends Extraction {
  /** One per incident candidate, same order. */
  readonly links: readonly LinkSuggestion[];
}

/** Analysts, mediators and admins (POLICY 'extract' in src/domain/policy.ts); throws UNAUTHENTICATED / FORBIDDEN. */
export function authorizeExtract(p: Principal): void {
  authorize(p, 'extract');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored (or scenario) incident in the matcher's terms; null when its time cannot be read. */
export function linkIncidentOf(doc: unknown): LinkIncident | null {
  if (!isObj(doc) || typeof doc.id !== 'string' || !isObj(doc.occurred) || !isObj(doc.location)) return null;
  let from = doc.occurred.from;
  let to = doc.occurred.to;
  if (typeof from !== 'string' || typeof to !== 'string') {
    try {
      const r = resolveOccurred(doc.occurred as OccurredInput);
      from = r.from;
      to = r.to;
    } catch {
      return null;
    }
  }
  const loc = doc.location;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const actors = Array.isArray(doc.actors) ? doc.actors.filter(isObj).flatMap((a) => (typeof a.actor === 'string' ? [{ actor: a.actor, role: s(a.role) ?? undefined }] : [])) : [];
  return {
    id: doc.id,
    occurred: { from: from as string, to: to as string },
    location: { country: s(loc.country), admin1: s(loc.admin1), admin2: s(loc.admin2), lat: num(loc.lat), lon: num(loc.lon) },
    event_type: s(doc.event_type) ?? '',
    sub_event_type: s(doc.sub_event_type) ?? '',
    actors,
  };
}

/** Pure core: extraction plus a link suggestion per incident candidate. */
export function extractAndLink(
  input: ExtractRequest,
  reference: { readonly parties: readonly unknown[]; readonly actors: readonly unknown[]; readonly agreements: readonly unknown[]; readonly places: readonly PlaceEntry[] },
  incidents: readonly LinkIncident[],
): ExtractResult {
  const extractor = createExtractor({ actors: actorEntries(reference.parties, reference.actors), agreements: agreementEntries(reference.agreements), places: reference.places });
  const out = extractor.extract(input.text, input.published);
  return { ...out, links: out.incidents.map((c) => suggestLink(reportOfCandidate(c), incidents)) };
}

/** Every record of a small table the caller may see (parties, actors, agreements: hundreds at most). */
export async function listAll(app: Mizan, p: Principal, table: 'parties' | 'actors' | 'agreements'): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await app.list(p, table, 500, cursor);
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

/**
 * Candidates from `text` for `principal`, linked against the incidents it may see. `places`
 * is the gazetteer (the composition root passes loadGeo().places()).
 */
export async function extractForCaller(app: Mizan, principal: Principal, body: unknown, places: readonly PlaceEntry[]): Promise<ExtractResult> {
  authorizeExtract(principal);
  const input = parseOrThrow(ExtractRequest, body, 'the extraction request');
  const [parties, actors, agreements] = [await listAll(app, principal, 'parties'), await listAll(app, principal, 'actors'), await listAll(app, principal, 'agreements')];
  const first = extractAndLink(input, { parties, actors, agreements, places }, []);
  // Only incidents near the candidates' times can match (blocking); fetch those.
  const times = first.incidents.flatMap((c) => (c.occurred.from && c.occurred.to ? [Date.parse(c.occurred.from), Date.parse(c.occurred.to)] : []));
  if (first.incidents.length === 0) return first;
  const week = 8 * 86_400_000;
  const filter = times.length > 0 && first.incidents.every((c) => c.occurred.from) ? { from: new Date(Math.min(...times) - week).toISOString(), to: new Date(Math.max(...times) + week).toISOString() } : {};
  const incidents: LinkIncident[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await app.listIncidents(principal, filter, 500, cursor);
    for (const doc of page.items) {
      const li = linkIncidentOf(doc);
      if (li) incidents.push(li);
    }
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return { ...first, links: first.incidents.map((c) => suggestLink({ occurred: c.occurred, location: c.location, event_type: c.event_type, sub_event_type: c.sub_event_type, actors: [c.actors.perpetrator?.id, c.actors.target?.id].filter((x): x is string => typeof x === 'string') }, incidents)) };
}
