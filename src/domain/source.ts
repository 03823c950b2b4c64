import { z } from 'zod';
import { CalendarDate, Id, UtcInstant } from './common.js';

/** NATO Admiralty grading: reliability of the source A–F, credibility of the information 1–6. */
export const SourceInput = z.strictObject({
  id: Id,
  title: z.string().min(1).max(1000),
  publisher: z.string().min(1).max(300).optional(),
  published: z.union([CalendarDate, UtcInstant]).optional(),
  url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  reliability: z.enum(['A', 'B', 'C', 'D', 'E', 'F']).optional(),
  credibility: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]).optional(),
  archive_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256').optional(),
});
export type SourceInput = z.infer<typeof SourceInput>;
export type Source = SourceInput;
