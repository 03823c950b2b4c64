import { z } from 'zod';
import { CalendarDate, Id, UtcInstant } from './common.js';

export const DesignationInput = z.strictObject({
  actor: Id,
  by: Id,
  position: z.enum(['terrorist', 'not_terrorist', 'under_review']),
  collective_action: z.enum(['support', 'oppose', 'undecided']),
  basis: z.string().min(1).max(5000).optional(),
  at: z.union([CalendarDate, UtcInstant]).optional(),
});
export type DesignationInput = z.infer<typeof DesignationInput>;

export interface Designation extends DesignationInput {
  readonly id: string;
  readonly recorded_at: string;
  readonly log_index: number | null;
}
