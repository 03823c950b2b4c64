import { z } from 'zod';
import { Basis, CalendarDate, Id, NameEntry, UtcInstant } from './common.js';

export const ActorKind = z.enum(['state_forces', 'armed_group', 'militia', 'other']);
export const RelationType = z.enum(['allied_with', 'faction_of', 'hosted_by', 'supported_by']);
export type RelationType = z.infer<typeof RelationType>;

/** A relation is itself a claim: who says so, on what basis, when. */
export const RelationInput = z
  .strictObject({
    type: RelationType,
    party: Id.optional(),
    actor: Id.optional(),
    basis: Basis,
    by: Id.optional(),
    at: z.union([CalendarDate, UtcInstant]).optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.party === undefined) === (r.actor === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['party'], message: 'a relation names exactly one of party or actor' });
    }
  });
export type RelationInput = z.infer<typeof RelationInput>;

export const ActorInput = z.strictObject({
  id: Id,
  names: z.array(NameEntry).min(1, 'an actor needs at least one name').max(100),
  kind: ActorKind.optional(),
  controlled_by: Id.nullable(),
  relations: z.array(RelationInput).max(200).optional(),
});
export type ActorInput = z.infer<typeof ActorInput>;
export type Actor = ActorInput;
