import { z } from 'zod';
import { Alpha3, Id, NameEntry } from './common.js';

export const PartyKind = z.enum(['state', 'de_facto_authority', 'mediator', 'observer']);
export type PartyKind = z.infer<typeof PartyKind>;

export const PartyInput = z
  .strictObject({
    id: Id,
    name: z.string().min(1).max(300),
    names: z.array(NameEntry).max(50).optional(),
    kind: PartyKind,
    country: Alpha3.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.kind === 'state' || p.kind === 'de_facto_authority') && p.country === undefined) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: `is required for a party of kind ${p.kind}` });
    }
  });
export type PartyInput = z.infer<typeof PartyInput>;
export type Party = PartyInput;
