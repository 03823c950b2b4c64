/**
 * Why a source row was not imported. A closed union: tests, the rejects CSV and the API's
 * summary use these codes unchanged; the message beside each is for people.
 */
export const REJECT_REASONS = [
  'malformed_csv',
  'wrong_column_count',
  'missing_field',
  'invalid_id',
  'duplicate_id',
  'invalid_date',
  'invalid_number',
  'invalid_coordinates',
  'unknown_country',
  'unknown_event_type',
  'unknown_sub_event_type',
  'unknown_violence_type',
  'field_too_long',
  'invalid_value',
  'invalid_extension',
  'unknown_source',
  'visibility_not_allowed',
  'id_in_use',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** One rejected row: where it is in the file, which column is wrong, and why. */
export interface RowRejection {
  /** 1-based line of the file on which the row starts (the header is line 1). */
  readonly line: number;
  readonly reason: RejectReason;
  /** The source column at fault, when there is one. */
  readonly field: string | null;
  readonly message: string;
}

export function reject(line: number, reason: RejectReason, field: string | null, message: string): RowRejection {
  return { line, reason, field, message };
}

export function isRejection(x: unknown): x is RowRejection {
  return typeof x === 'object' && x !== null && 'reason' in x && 'line' in x && !('id' in x);
}
