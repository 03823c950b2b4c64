import type { Assertions } from './claim.js';
import type { Fatalities } from './common.js';

/** A claim as the contest view needs it: who, on what basis, asserting what. */
export interface ContestClaim {
  readonly id: string;
  readonly by: string;
  readonly basis: string;
  readonly asserts: Assertions;
  readonly supersedes?: string | undefined;
}

export type ContestField = 'perpetrator' | 'target_category' | 'fatalities' | 'civilian_fatalities' | 'facilitation' | 'date';
export const CONTEST_FIELDS: readonly ContestField[] = ['perpetrator', 'target_category', 'fatalities', 'civilian_fatalities', 'facilitation', 'date'];

export interface FieldComparison {
  readonly field: ContestField;
  /** agree: every claim that speaks gives the same value; differ: they do not; silent: none speaks. */
  readonly agreement: 'agree' | 'differ' | 'silent';
  readonly values: readonly { by: string; claim: string; basis: string; value: unknown }[];
  /** For fatality fields: the lowest low, the spread of best figures, the highest high. */
  readonly range?: { low: number | null; best_min: number | null; best_max: number | null; high: number | null };
}

export interface ContestView {
  readonly incident: string;
  readonly groups: readonly { by: string; kind: 'party' | 'source'; claims: readonly ContestClaim[] }[];
  readonly fields: readonly FieldComparison[];
  /** Claims replaced by a later claim of the same author; kept for history, not compared. */
  readonly superseded: readonly string[];
}

function valueOf(field: ContestField, a: Assertions): unknown {
  switch (field) {
    case 'perpetrator':
      return a.perpetrator ?? (a.denies ? { denies: a.denies } : undefined);
    case 'target_category':
      return a.target_category;
    case 'fatalities':
      return a.fatalities;
    case 'civilian_fatalities':
      return a.civilian_fatalities;
    case 'facilitation':
      return a.facilitated_by;
    case 'date':
      return a.occurred;
    default: {
      const never: never = field;
      return never;
    }
  }
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

function fatalityRange(values: readonly unknown[]): FieldComparison['range'] {
  const fs = values as Fatalities[];
  const nums = (k: keyof Fatalities) => fs.map((f) => f[k]).filter((n): n is number => typeof n === 'number');
  const min = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);
  return { low: min([...nums('low'), ...nums('best')]), best_min: min(nums('best')), best_max: max(nums('best')), high: max([...nums('high'), ...nums('best')]) };
}

/**
 * Side by side, never merged: group the current claims by who made them and say, field by
 * field, whether they agree, differ or are silent. A denial differs from any named perpetrator.
 */
export function contest(incident: string, claims: readonly ContestClaim[], isParty: (id: string) => boolean): ContestView {
  const superseded = new Set(claims.map((c) => c.supersedes).filter((x): x is string => !!x));
  const current = claims.filter((c) => !superseded.has(c.id));
  const groups = new Map<string, ContestClaim[]>();
  for (const c of current) groups.set(c.by, [...(groups.get(c.by) ?? []), c]);
  const fields = CONTEST_FIELDS.map((field): FieldComparison => {
    const values = current.flatMap((c) => {
      const value = valueOf(field, c.asserts);
      return value === undefined ? [] : [{ by: c.by, claim: c.id, basis: c.basis, value }];
    });
    const agreement = values.length === 0 ? 'silent' : values.every((v) => same(v.value, values[0]!.value)) ? 'agree' : 'differ';
    const out: FieldComparison = { field, agreement, values };
    return field === 'fatalities' || field === 'civilian_fatalities' ? (values.length ? { ...out, range: fatalityRange(values.map((v) => v.value)) } : out) : out;
  });
  return {
    incident,
    groups: [...groups].map(([by, cs]) => ({ by, kind: isParty(by) ? 'party' : 'source', claims: cs })),
    fields,
    superseded: [...superseded],
  };
}
