/**
 * Every failure that reaches a caller carries one of these codes. The API returns the code
 * unchanged; the one table that maps codes to HTTP statuses lives in server/errors.ts.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'DANGLING_REFERENCE'
  | 'DUPLICATE_ID'
  | 'NOT_FOUND'
  | 'DATA_DIR_NOT_EMPTY'
  | 'DATA_DIR_MISSING'
  | 'UNAUTHENTICATED'
  | 'SESSION_ENDED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'ILLEGAL_TRANSITION'
  | 'ALLEGATION_REPLY_OVERDUE'
  | 'BAD_SIGNATURE'
  | 'LOG_INCONSISTENT'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

export interface FieldIssue {
  /** Path into the input, as segments; rendered as a JSON Pointer by the API. */
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly message: string;
}

export class MizanError extends Error {
  readonly code: ErrorCode;
  readonly fields: readonly FieldIssue[];

  constructor(code: ErrorCode, message: string, fields: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'MizanError';
    this.code = code;
    this.fields = fields;
  }
}

/** `incidents[3].location` — the form people read in CLI messages. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(root)' : out;
}

/** RFC 6901 JSON Pointer, the form the API returns. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** One line per issue, for terminals: `incidents[3].locaton: unknown field`. */
export function describeIssues(err: MizanError): string {
  if (err.fields.length === 0) return err.message;
  const lines = err.fields.slice(0, 20).map((f) => `  ${formatPath(f.path)}: ${f.message}`);
  if (err.fields.length > 20) lines.push(`  … and ${err.fields.length - 20} more`);
  return `${err.message}\n${lines.join('\n')}`;
}

export function notFound(kind: string, id: string): MizanError {
  return new MizanError('NOT_FOUND', `${kind} ${JSON.stringify(id)} does not exist or is not visible to you`);
}
