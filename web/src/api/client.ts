// The one place the web app talks HTTP. Same origin only: the session is an HttpOnly cookie, and
// every write echoes the session's CSRF token in X-CSRF-Token.
import type { ApiErrorBody } from './types.js';

export interface FieldError {
  /** JSON Pointer into the request body, e.g. /asserts/fatalities/best */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly FieldError[];

  constructor(status: number, code: string, message: string, fields: readonly FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /**
   * The route itself does not exist yet (the server's not-found handler answers "no route …"),
   * as opposed to a record that does not exist or is not visible to the caller.
   */
  get endpointMissing(): boolean {
    return this.status === 404 && this.message.startsWith('no route');
  }
}

const CSRF_KEY = 'mizan.csrf';
let csrfToken: string | null = readStoredCsrf();

function readStoredCsrf(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(CSRF_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * The server returns the CSRF token at sign-in and with each session check (GET /api/v1/session);
 * it is kept for the tab's lifetime in sessionStorage, so a reload keeps working writes.
 */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // Storage may be disabled; the token still lives in memory.
  }
}

export function hasCsrfToken(): boolean {
  return csrfToken !== null;
}

let sessionEndedListener: (() => void) | null = null;

/** Called when the server answers that the browser's session has ended (SESSION_ENDED). */
export function onSessionEnded(listener: (() => void) | null): void {
  sessionEndedListener = listener;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  /** JSON, or a Blob (a File) sent as its own bytes with its own media type. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  if (!x || typeof x !== 'object') return false;
  const e = (x as { error?: unknown }).error;
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string';
}

/** JSON request to the API. Throws ApiError with the server's code and field errors. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  const raw = opts.body instanceof Blob ? opts.body : null;
  if (raw) headers['content-type'] = raw.type || 'application/octet-stream';
  else if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: raw ?? (opts.body === undefined ? null : JSON.stringify(opts.body)),
      credentials: 'same-origin',
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'the server cannot be reached');
  }
  // The server's SPA fallback answers unknown GET paths with index.html (200, text/html): for an
  // API path that means the route does not exist yet, exactly like a "no route" 404.
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && path.startsWith('/api/') && type.includes('text/html')) {
    throw new ApiError(404, 'NOT_FOUND', `no route ${method} ${path.split('?')[0]}`);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    if (isErrorBody(parsed) && parsed.error.code === 'SESSION_ENDED') {
      setCsrfToken(null);
      sessionEndedListener?.();
    }
    if (isErrorBody(parsed)) throw new ApiError(res.status, parsed.error.code, parsed.error.message, parsed.error.fields ?? []);
    throw new ApiError(res.status, res.status === 404 ? 'NOT_FOUND' : 'HTTP', `the server answered ${res.status}`);
  }
  return parsed as T;
}

/** Raw bytes or text from the log's read path (/log/...). */
export async function fetchBytes(path: string, signal?: AbortSignal): Promise<Uint8Array> {
  const res = await fetch(path, { credentials: 'omit', signal: signal ?? null });
  if (!res.ok) throw new ApiError(res.status, res.status === 404 ? 'NOT_FOUND' : 'HTTP', `${path}: the server answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function fetchText(path: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(path, { credentials: 'omit', cache: 'no-cache', signal: signal ?? null });
  if (!res.ok) throw new ApiError(res.status, res.status === 404 ? 'NOT_FOUND' : 'HTTP', `${path}: the server answered ${res.status}`);
  return res.text();
}

/** Every page of a list endpoint, up to `max` items (the overview needs all incidents). */
export async function fetchAll<T>(path: string, max = 5000, signal?: AbortSignal): Promise<{ items: T[]; total: number; totalCapped: boolean; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let total = 0;
  let totalCapped = false;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const url: string = `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; next_cursor: string | null; total: number; total_capped?: boolean } = await api(url, signal ? { signal } : {});
    items.push(...page.items);
    total = page.total;
    totalCapped = page.total_capped === true;
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return { items, total, totalCapped, truncated: cursor !== null };
}

/** Query string from a record, skipping empty values. */
export function qs(params: Readonly<Record<string, string | number | undefined | null>>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s === '' ? '' : `?${s}`;
}
