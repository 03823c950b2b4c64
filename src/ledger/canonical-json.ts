// RFC 8785 JSON Canonicalization Scheme (JCS).
import { hasLoneSurrogate } from './bytes.js';
import { LedgerError } from './errors.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** Nesting deeper than this is refused: it defends the recursive writer against stack exhaustion. */
export const MAX_JSON_DEPTH = 64;

/**
 * RFC 8785 canonical JSON of `value`: no whitespace, object members sorted by
 * the UTF-16 code units of their names (§3.2.3), numbers as ECMAScript
 * Number::toString (§3.2.2.3), strings with the minimal JSON escapes
 * (§3.2.2.2). Throws INVALID_JSON for anything that is not I-JSON (RFC 7493):
 * non-finite numbers, undefined, functions, symbols, bigints, lone surrogates,
 * class instances (Date, Map, Uint8Array...), sparse arrays, cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_JSON_DEPTH) throw new LedgerError('INVALID_JSON', `nesting deeper than ${MAX_JSON_DEPTH}`);
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      // §3.2.2.3: ECMAScript serialisation; JSON.stringify of a finite number is Number::toString (and -0 is "0").
      if (!Number.isFinite(value)) throw new LedgerError('INVALID_JSON', 'non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value, depth);
      return writeObject(value, depth);
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new LedgerError('INVALID_JSON', `a ${typeof value} has no JSON form`);
  }
}

// §3.2.2.2: JSON.stringify already escapes exactly as JCS requires (\b \t \n \f \r \" \\ and \u00xx
// for other C0 controls, lowercase hex); only lone surrogates differ, and I-JSON forbids them.
function writeString(s: string): string {
  if (hasLoneSurrogate(s)) throw new LedgerError('INVALID_JSON', 'string contains a lone surrogate');
  return JSON.stringify(s);
}

function writeArray(a: readonly unknown[], depth: number): string {
  const parts: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (!(i in a)) throw new LedgerError('INVALID_JSON', 'sparse array');
    parts.push(write(a[i], depth + 1));
  }
  return '[' + parts.join(',') + ']';
}

function writeObject(o: object, depth: number): string {
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) {
    throw new LedgerError('INVALID_JSON', 'only plain objects have a JSON form');
  }
  if (Object.getOwnPropertySymbols(o).length > 0) throw new LedgerError('INVALID_JSON', 'symbol-keyed property');
  // §3.2.3: sort by UTF-16 code units, which is what the default string comparison does.
  const keys = Object.keys(o).sort();
  const rec = o as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of keys) {
    const v = rec[k];
    if (v === undefined) throw new LedgerError('INVALID_JSON', `property ${JSON.stringify(k)} is undefined`);
    parts.push(writeString(k) + ':' + write(v, depth + 1));
  }
  return '{' + parts.join(',') + '}';
}
