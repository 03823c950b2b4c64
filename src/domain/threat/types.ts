import { z } from 'zod';
import { CalendarDate, Id, UtcInstant } from '../common.js';

/** A third party's listing of an actor (UN Security Council sanctions lists, national lists), as data with its source. */
export const ReferenceInput = z.strictObject({
  id: Id,
  actor: Id,
  /** Who keeps the list: "UN Security Council", "United States Department of State". */
  authority: z.string().min(1).max(300),
  /** The list itself: "ISIL (Da'esh) and Al-Qaida Sanctions List". */
  list: z.string().min(1).max(300),
  /** The name the list uses for the entry. */
  listed_name: z.string().min(1).max(300).optional(),
  /** The list's own reference number, e.g. QDe.132. */
  reference: z.string().min(1).max(100).optional(),
  listed_on: CalendarDate,
  /** Where the entry can be checked: a title and, when there is one, a URL. */
  source: z.string().min(1).max(1000),
  url: z.string().url().max(2000).optional(),
  note: z.string().max(5000).optional(),
});
export type ReferenceInput = z.infer<typeof ReferenceInput>;

export interface ReferenceDesignation extends ReferenceInput {
  readonly recorded_at?: string;
  readonly log_index?: number;
}

export const ReferenceFile = z.strictObject({
  $comment: z.string().optional(),
  references: z.array(ReferenceInput).min(1).max(10_000),
});

/** A mediator's (or analyst's) statement that two actor records name the same group. */
export const SameAsInput = z.strictObject({
  id: Id.optional(),
  a: Id,
  b: Id,
  reason: z.string().min(1).max(5000),
});
export type SameAsInput = z.infer<typeof SameAsInput>;

export const UndoInput = z.strictObject({ reason: z.string().min(1).max(5000) });

export interface SameAsLink {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly reason: string;
  readonly decided_by: string;
  readonly active: boolean;
  readonly undone?: { readonly by: string; readonly reason: string; readonly at: string };
}

export const ProposalInput = z.strictObject({
  id: Id,
  title: z.string().min(1).max(500),
  criteria: z.string().min(1).max(20_000),
  actors: z.array(Id).min(1).max(200),
  /** The parties asked to respond; by default every state and de facto authority. */
  parties: z.array(Id).min(1).max(20).optional(),
  agreement: Id.optional(),
});
export type ProposalInput = z.infer<typeof ProposalInput>;

export const ResponseInput = z.strictObject({
  by: Id,
  items: z
    .array(
      z.strictObject({
        actor: Id,
        decision: z.enum(['accept', 'reject']),
        reason: z.string().min(1).max(5000),
      }),
    )
    .min(1)
    .max(200),
  at: UtcInstant.optional(),
});
export type ResponseInput = z.infer<typeof ResponseInput>;

export const AdoptInput = z.strictObject({
  agreement: Id,
  note: z.string().max(5000).optional(),
  /** When the annex takes effect, if not when it is recorded: never in the future, never before the parties' last response. */
  adopted_at: UtcInstant.optional(),
  /** An earlier annex of the same agreement that this one replaces (how an actor leaves the list). */
  replaces: Id.optional(),
});
export type AdoptInput = z.infer<typeof AdoptInput>;
