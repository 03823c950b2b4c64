import { z } from 'zod';
import { Basis, Fatalities, Id, TargetCategory, Visibility } from './common.js';
import { LocationInput } from './incident.js';
import { OccurredInput } from './time.js';

/** What one party or source asserts about an incident. Claims are kept side by side, never merged. */
export const Assertions = z.strictObject({
  perpetrator: Id.optional(),
  denies: Id.optional(),
  target: Id.optional(),
  target_category: TargetCategory.optional(),
  fatalities: Fatalities.optional(),
  civilian_fatalities: Fatalities.optional(),
  facilitated_by: Id.optional(),
  occurred: OccurredInput.optional(),
  location: LocationInput.optional(),
  text: z.string().max(20_000).optional(),
});
export type Assertions = z.infer<typeof Assertions>;

export const ClaimInput = z.strictObject({
  id: Id,
  incident: Id,
  by: Id,
  basis: Basis,
  asserts: Assertions,
  evidence: z.array(z.string().min(1).max(5000)).max(100).optional(),
  supersedes: Id.optional(),
  visibility: Visibility.optional(),
});
export type ClaimInput = z.infer<typeof ClaimInput>;

export interface Claim extends ClaimInput {
  readonly visibility: z.infer<typeof Visibility>;
  readonly recorded_by: string | null;
  readonly recorded_at: string;
  readonly log_index: number | null;
  /** Set on read when a later claim names this one in `supersedes`. */
  readonly superseded_by?: string | null;
}
