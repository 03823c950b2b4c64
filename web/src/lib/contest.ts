// The versions view's data. The server computes it at GET /api/v1/incidents/:id/contest with
// src/domain/contest.ts; when that answer is unavailable the browser runs the very same function
// on the incident's claims, so both always compare the same way. Claims are never merged.
import { contest } from '../../../src/domain/contest.js';
import type { Claim, Contest, ContestField, ContestGroup } from '../api/types.js';

/** The same comparison the server makes, from the incident's claims. */
export function contestFromClaims(incident: string, claims: readonly Claim[], isParty: (id: string) => boolean): Contest {
  const view = contest(incident, claims, isParty);
  // Keep the whole claim records (evidence, log index) in the groups, as the server does.
  const byId = new Map(claims.map((c) => [c.id, c]));
  return { ...view, groups: view.groups.map((g) => ({ ...g, claims: g.claims.map((c) => byId.get(c.id) ?? c) })) };
}

/** The server names two fields after the question (facilitation, date); claims name them after the assertion. */
export const FIELD_ALIASES: Readonly<Record<string, string>> = { facilitation: 'facilitated_by', date: 'occurred' };
export const canonicalField = (f: string) => FIELD_ALIASES[f] ?? f;

/** Values one group states for a field. */
export function valuesOf(field: ContestField, by: string): unknown[] {
  return field.values.filter((v) => v.by === by).map((v) => v.value);
}

/** How many groups state a value for the field (one voice "agrees" only with itself). */
export function voices(field: ContestField): number {
  return new Set(field.values.map((v) => v.by)).size;
}

/** Parties first, then sources; each in the order the server gave. */
export function orderGroups(groups: readonly ContestGroup[]): ContestGroup[] {
  return [...groups].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'party' ? -1 : 1));
}
