import type { z } from 'zod';
import type { FieldIssue } from './errors.js';
import { MizanError } from './errors.js';

/** Turn zod issues into our field issues: unknown keys become one issue per key, at the key's own path. */
export function issuesFromZod(error: z.ZodError, prefix: readonly (string | number)[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...base, key], code: 'unknown_field', message: 'unknown field' });
    } else if (issue.code === 'invalid_union') {
      // Report the branch that got furthest, so "occurred" errors read like the form the caller meant.
      const branches = (issue as unknown as { errors: z.core.$ZodIssue[][] }).errors;
      const best = branches.reduce<z.core.$ZodIssue[] | undefined>(
        (acc, b) => (acc === undefined || b.length < acc.length ? b : acc),
        undefined,
      );
      const fromBranch = best?.filter((i) => i.code !== 'invalid_type' || i.path.length > 0) ?? [];
      if (fromBranch.length > 0 && fromBranch.length <= 3) {
        for (const i of fromBranch) {
          const p = [...base, ...(i.path as (string | number)[])];
          if (i.code === 'unrecognized_keys') for (const key of i.keys) out.push({ path: [...p, key], code: 'unknown_field', message: 'unknown field' });
          else out.push({ path: p, code: i.code, message: i.message });
        }
      } else {
        out.push({ path: base, code: 'invalid_union', message: 'does not match any accepted form' });
      }
    } else {
      out.push({ path: base, code: issue.code, message: humanMessage(issue) });
    }
  }
  return out;
}

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return 'is required';
  return issue.message;
}

/** Parse with a zod schema or throw VALIDATION_FAILED naming every bad path. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string, prefix: readonly (string | number)[] = []): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new MizanError('VALIDATION_FAILED', `${what} is not valid`, issuesFromZod(result.error, prefix));
}
