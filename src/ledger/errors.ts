/**
 * Every way the ledger can refuse an input. The set is closed so that callers
 * (the HTTP error table, the CLI, tests) can switch on it exhaustively; the
 * message is for people and may change, the code may not.
 */
export type LedgerErrorCode =
  | 'INVALID_ARGUMENT' // a caller inside Mizan passed something impossible (a bug, not an attack)
  | 'INVALID_JSON' // a value cannot be written as RFC 8785 canonical JSON
  | 'MALFORMED_NOTE'
  | 'MALFORMED_KEY'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'MALFORMED_CHECKPOINT'
  | 'ORIGIN_MISMATCH'
  | 'MALFORMED_COSIGNATURE'
  | 'MALFORMED_PROOF'
  | 'BAD_PROOF'
  | 'INDEX_OUT_OF_RANGE'
  | 'MALFORMED_TILE_PATH'
  | 'MALFORMED_TILE'
  | 'MALFORMED_ENTRY_BUNDLE'
  | 'ENTRY_TOO_LARGE'
  | 'MALFORMED_ENTRY'
  | 'MALFORMED_STATEMENT';

/** The one error type thrown by `src/ledger`; assert on `code`, not on `message`. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Narrowing helper for callers that catch `unknown`. */
export function isLedgerError(err: unknown, code?: LedgerErrorCode): err is LedgerError {
  return err instanceof LedgerError && (code === undefined || err.code === code);
}
