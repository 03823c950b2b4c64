import { z } from 'zod';
import { Id, TargetCategory, UtcInstant } from './common.js';

export const Window = z
  .strictObject({ from: UtcInstant, to: UtcInstant.nullable() })
  .refine((w) => w.to === null || Date.parse(w.from) < Date.parse(w.to), { message: 'window must end after it starts', path: ['to'] });
export type Window = z.infer<typeof Window>;

export const Obligation = z.discriminatedUnion('type', [
  z.strictObject({
    id: Id,
    type: z.literal('cease_attacks'),
    bearer: Id,
    against: Id,
    targets: z.array(TargetCategory).min(1),
    text: z.string().max(5000).optional(),
  }),
  // no_support names the groups it covers in one of two ways, or both: `against` — any group that
  // attacks that party; `actors: "agreed_list"` — any actor on the agreement's agreed list (issue 6),
  // as adopted when the incident happened.
  z
    .strictObject({
      id: Id,
      type: z.literal('no_support'),
      bearer: Id,
      against: Id.optional(),
      actors: z.literal('agreed_list').optional(),
      text: z.string().max(5000).optional(),
    })
    .refine((o) => o.against !== undefined || o.actors !== undefined, { message: 'name the groups: against (a party) or actors: "agreed_list", or both', path: ['against'] }),
  z.strictObject({ id: Id, type: z.literal('establish_mechanism'), text: z.string().min(1).max(5000) }),
  z.strictObject({ id: Id, type: z.literal('other'), text: z.string().min(1).max(5000) }),
]);
export type Obligation = z.infer<typeof Obligation>;

export const AgreementInput = z.strictObject({
  id: Id,
  title: z.string().min(1).max(500),
  parties: z.array(Id).min(1),
  mediators: z.array(Id),
  windows: z.array(Window).min(1),
  reply_deadline_hours: z.number().positive().max(24 * 365).optional(),
  obligations: z.array(Obligation),
});
export type AgreementInput = z.infer<typeof AgreementInput>;

/** An extension adds a window; a termination closes every open window at `at`. */
export const AmendmentInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('extension'), window: Window, note: z.string().max(5000).optional() }),
  z.strictObject({ type: z.literal('termination'), at: UtcInstant, note: z.string().max(5000).optional() }),
]);
export type AmendmentInput = z.infer<typeof AmendmentInput>;

export interface Agreement extends AgreementInput {
  readonly amendments: readonly (AmendmentInput & { readonly id: string; readonly recorded_at: string })[];
}

/** Windows after amendments: termination at t cuts every window that is still open at t. */
export function applyAmendment(windows: readonly Window[], amendment: AmendmentInput): Window[] {
  switch (amendment.type) {
    case 'extension':
      return [...windows, amendment.window];
    case 'termination': {
      const at = Date.parse(amendment.at);
      return windows
        .filter((w) => Date.parse(w.from) < at)
        .map((w) => (w.to === null || Date.parse(w.to) > at ? { from: w.from, to: new Date(at).toISOString() } : w));
    }
    default: {
      const never: never = amendment;
      return never;
    }
  }
}
