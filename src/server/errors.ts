import type { ErrorCode } from '../domain/errors.js';
import { jsonPointer, MizanError } from '../domain/errors.js';

/** The one table from error code to HTTP status (STYLE.md item 11). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  DANGLING_REFERENCE: 400,
  DUPLICATE_ID: 409,
  NOT_FOUND: 404,
  DATA_DIR_NOT_EMPTY: 409,
  DATA_DIR_MISSING: 500,
  UNAUTHENTICATED: 401,
  SESSION_ENDED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  ALLEGATION_REPLY_OVERDUE: 409,
  BAD_SIGNATURE: 400,
  LOG_INCONSISTENT: 500,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields: { path: string; code: string; message: string }[] };
}

export function errorBody(e: MizanError): ErrorBody {
  return {
    error: {
      code: e.code,
      message: e.message,
      fields: e.fields.map((f) => ({ path: jsonPointer(f.path), code: f.code, message: f.message })),
    },
  };
}

/** What the failing route accepts, when the error handler knows it: named in 413/415 messages. */
export interface RouteBodyInfo {
  readonly mediaTypes?: readonly string[];
  readonly contentType?: string | undefined;
}

/** Anything that is not one of ours becomes INTERNAL; the caller never sees a stack trace. */
export function toMizanError(err: unknown, route: RouteBodyInfo = {}): MizanError {
  if (err instanceof MizanError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (e && typeof e === 'object' && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new MizanError('PAYLOAD_TOO_LARGE', 'the request body is too large for this route');
    if (e.statusCode === 415) {
      const accepted = ['application/json', ...(route.mediaTypes ?? [])].join(', ');
      const message = `${route.contentType ? `Content-Type ${JSON.stringify(route.contentType)} is not accepted here` : 'the request has no Content-Type'}; send ${accepted}`;
      return new MizanError('UNSUPPORTED_MEDIA_TYPE', message, [{ path: ['headers', 'content-type'], code: 'unsupported_media_type', message: `must be one of ${accepted}` }]);
    }
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/i.test(e.message ?? ''))
      return new MizanError('VALIDATION_FAILED', `the request body is not valid JSON: ${e.message ?? ''}`.trim(), [{ path: [], code: 'invalid_json', message: 'is not valid JSON' }]);
    if (e.statusCode === 429) return new MizanError('RATE_LIMITED', 'too many requests; slow down and try again');
    return new MizanError('VALIDATION_FAILED', e.message ?? 'the request is not valid');
  }
  return new MizanError('INTERNAL', 'an internal error occurred; nothing was written');
}
