import type { AgreedListVersion } from '../threat/agreed-list.js';
import { agreedListVersions } from '../threat/agreed-list.js';
import type { AssessmentActor, AssessmentClaim, AssessmentInput, AssessmentParty, AssessmentRelation } from './input.js';

/** Lookups built once per `assess` call from the plain input. */
export interface Context {
  readonly parties: ReadonlyMap<string, AssessmentParty>;
  readonly actors: ReadonlyMap<string, AssessmentActor>;
  /** Relations by the actor they are recorded on. */
  readonly relationsOf: ReadonlyMap<string, readonly AssessmentRelation[]>;
  /** `allied_with` relations by the actor they point at (an alliance is mutual). */
  readonly alliedWithMe: ReadonlyMap<string, readonly AssessmentRelation[]>;
  /** Claims by incident, without superseded ones, in input order. */
  readonly claimsOf: ReadonlyMap<string, readonly AssessmentClaim[]>;
  /** The versions of each agreement's agreed list, by agreement id (absent: no annex). */
  readonly agreedLists: ReadonlyMap<string, readonly AgreedListVersion[]>;
}

function group<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const bucket = out.get(k);
    if (bucket) bucket.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function buildContext(input: AssessmentInput): Context {
  return {
    // The first record wins on a duplicate id, so a later stray record cannot take an id over.
    parties: new Map([...input.parties].reverse().map((p) => [p.id, p])),
    actors: new Map([...input.actors].reverse().map((a) => [a.id, a])),
    relationsOf: group(input.relations, (r) => r.subject),
    alliedWithMe: group(input.relations, (r) => (r.type === 'allied_with' ? r.object_actor : undefined)),
    // A superseded claim is history, not evidence (issue 5: superseded claims are ignored).
    claimsOf: group(input.claims, (c) => (c.superseded_by ? undefined : c.incident)),
    agreedLists: new Map(
      [...new Set((input.annexes ?? []).map((a) => a.agreement))].map((ag) => [ag, agreedListVersions(input.annexes ?? [], ag)]),
    ),
  };
}

/**
 * The party that controls `id`: the actor's `controlled_by`, or the party itself when a
 * claim names a party (for instance `perpetrator: "PAK"`). An unknown id is controlled by
 * no party.
 */
export function controllerOf(ctx: Context, id: string): string | null {
  if (ctx.parties.has(id)) return id;
  return ctx.actors.get(id)?.controlled_by ?? null;
}

/** "HGB (Hafiz Gul Bahadur group)", or the bare id. */
export function actorLabel(ctx: Context, id: string): string {
  const name = ctx.actors.get(id)?.name;
  if (!name || name === id) return id;
  return name.includes('(') ? `${id} [${name}]` : `${id} (${name})`;
}
