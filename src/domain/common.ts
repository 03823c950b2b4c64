import { z } from 'zod';

/** Record ids are short, printable and safe in URLs and CSV. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1–128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');

export const Alpha3 = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code such as PAK or AFG');

/** An instant in UTC, written as ISO 8601 with a Z or an explicit offset. */
export const UtcInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'must be an ISO 8601 date-time with Z or an offset, e.g. 2025-10-15T13:00:00Z',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date-time');

export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => isRealDate(s), 'is not a real calendar date');

export const Visibility = z.enum(['public', 'parties', 'mediators']);
export type Visibility = z.infer<typeof Visibility>;

export const Basis = z.enum(['claimed_by_perpetrator', 'alleged', 'reported', 'verified']);
export type Basis = z.infer<typeof Basis>;

export const TargetCategory = z.enum(['security_forces', 'civilians', 'critical_infrastructure', 'militants', 'government']);
export type TargetCategory = z.infer<typeof TargetCategory>;

export const Fatalities = z
  .strictObject({
    low: z.number().int().nonnegative().optional(),
    best: z.number().int().nonnegative().optional(),
    high: z.number().int().nonnegative().optional(),
  })
  .superRefine((f, ctx) => {
    const order: ['low' | 'best' | 'high', number | undefined][] = [
      ['low', f.low],
      ['best', f.best],
      ['high', f.high],
    ];
    const present = order.filter(([, v]) => v !== undefined) as ['low' | 'best' | 'high', number][];
    for (let i = 1; i < present.length; i++) {
      const [prevName, prev] = present[i - 1]!;
      const [name, value] = present[i]!;
      if (value < prev) ctx.addIssue({ code: 'custom', path: [name], message: `must not be less than ${prevName} (${prev})` });
    }
  });
export type Fatalities = z.infer<typeof Fatalities>;

/** A name as a record: the string, its language or script, and which parties use it. */
export const NameEntry = z.union([
  z.string().min(1).max(300),
  z.strictObject({
    name: z.string().min(1).max(300),
    lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as ps, ur, fa-AF').optional(),
    used_by: z.array(Id).optional(),
  }),
]);
export type NameEntry = z.infer<typeof NameEntry>;

export interface NormalisedName {
  readonly name: string;
  readonly lang?: string;
  readonly used_by?: readonly string[];
}

export function normaliseName(entry: NameEntry): NormalisedName {
  return typeof entry === 'string' ? { name: entry } : entry;
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
