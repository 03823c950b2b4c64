import type { Context } from './context.js';
import { controllerOf } from './context.js';
import type { AssessmentRelation } from './input.js';

/** One relation that ties an actor to a party, and how it was reached. */
export interface LinkVia {
  readonly relation: AssessmentRelation;
  /** Parents through which the relation is inherited (`faction_of`), nearest first. */
  readonly inherited_through: readonly string[];
  /** True when the relation is an `allied_with` recorded on the other actor. */
  readonly reverse: boolean;
}

const LINKING = new Set(['allied_with', 'hosted_by', 'supported_by']);

/**
 * Issue 5, "Actor A is linked to party B": A has an `allied_with`, `hosted_by` or
 * `supported_by` relation, with any basis, to B or to an actor controlled by B, and a
 * `faction_of` relation passes the parent's relations on to the faction.
 *
 * Interpretations (docs/assessment.md): an alliance is mutual, so an `allied_with`
 * recorded on the other actor counts too; being a faction of B itself, or of an actor B
 * controls, links to B.
 */
export function linksTo(ctx: Context, actor: string, party: string): LinkVia[] {
  const out: LinkVia[] = [];
  const seen = new Set<string>();
  const points = (r: AssessmentRelation, reverse: boolean): boolean => {
    if (reverse) return controllerOf(ctx, r.subject) === party;
    if (r.party !== undefined) return r.party === party;
    return r.object_actor !== undefined && controllerOf(ctx, r.object_actor) === party;
  };
  const walk = (id: string, through: readonly string[]): void => {
    // faction_of chains are data; a cycle (A faction_of B faction_of A) must not loop.
    if (seen.has(id)) return;
    seen.add(id);
    for (const r of ctx.relationsOf.get(id) ?? []) {
      if (LINKING.has(r.type) || r.type === 'faction_of') {
        if (points(r, false)) out.push({ relation: r, inherited_through: through, reverse: false });
      }
    }
    for (const r of ctx.alliedWithMe.get(id) ?? []) {
      if (r.subject !== id && points(r, true)) out.push({ relation: r, inherited_through: through, reverse: true });
    }
    for (const r of ctx.relationsOf.get(id) ?? []) {
      if (r.type === 'faction_of' && r.object_actor !== undefined) walk(r.object_actor, [...through, r.object_actor]);
    }
  };
  walk(actor, []);
  return out;
}

/** "TTP is allied_with AFG (reported by SRC-RUSI-20251112)". */
export function describeLink(actor: string, via: LinkVia): string {
  const r = via.relation;
  const source = `${r.basis}${r.by ? ` by ${r.by}` : ''}`;
  const core = via.reverse
    ? `${r.subject} is allied_with ${r.object_actor ?? '?'} (${source})`
    : `${r.subject} is ${r.type} ${r.party ?? r.object_actor ?? '?'} (${source})`;
  if (via.inherited_through.length === 0) return core;
  return `${actor} is a faction of ${via.inherited_through.join(', a faction of ')}, and ${core}`;
}
