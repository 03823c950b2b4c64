// Byte helpers with no platform dependency (no Buffer: this code also runs in the browser).
import { LedgerError } from './errors.js';
import type { LedgerErrorCode } from './errors.js';

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_LOOKUP: Int16Array = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64_ALPHABET.length; i++) t[B64_ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** RFC 4648 §4 standard base64 with padding. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + B64_ALPHABET[(n >>> 6) & 63]! + B64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + B64_ALPHABET[(n >>> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Strict RFC 4648 §4 decoding: standard alphabet, mandatory padding, no
 * whitespace, and zero pad bits. Rejecting non-canonical encodings means one
 * byte string has exactly one text form, so an attacker cannot make two
 * different-looking notes or entries that mean the same thing.
 */
export function base64Decode(text: string, code: LedgerErrorCode, what: string): Uint8Array {
  if (text.length % 4 !== 0) throw new LedgerError(code, `${what}: base64 length is not a multiple of 4`);
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = text.charCodeAt(i + j);
      let v: number;
      if (ch === 61 /* = */ && last && j >= 4 - pad) v = 0;
      else {
        v = ch < 128 ? B64_LOOKUP[ch]! : -1;
        if (v < 0) throw new LedgerError(code, `${what}: not standard base64`);
      }
      n = (n << 6) | v;
    }
    const bytesHere = last ? 3 - pad : 3;
    if (bytesHere >= 1) out[o++] = (n >>> 16) & 0xff;
    if (bytesHere >= 2) out[o++] = (n >>> 8) & 0xff;
    if (bytesHere >= 3) out[o++] = n & 0xff;
    if (last && bytesHere < 3 && (n & (bytesHere === 1 ? 0xffff : 0xff)) !== 0) {
      throw new LedgerError(code, `${what}: non-canonical base64 (pad bits set)`);
    }
  }
  return out;
}

export function hexEncode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Lowercase hex only, even length. */
export function hexDecode(text: string, code: LedgerErrorCode, what: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) throw new LedgerError(code, `${what}: not lowercase hex`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error, not U+FFFD; ignoreBOM: a BOM is kept, so it is seen (and refused) by parsers.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 of a well-formed string; lone surrogates are refused because they have no UTF-8 form. */
export function utf8Encode(text: string, code: LedgerErrorCode, what: string): Uint8Array {
  if (hasLoneSurrogate(text)) throw new LedgerError(code, `${what}: contains a lone UTF-16 surrogate`);
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array, code: LedgerErrorCode, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new LedgerError(code, `${what}: not valid UTF-8`);
  }
}

// In /u mode a surrogate pair is one code point, so this class only matches lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Whether `s` has an ASCII control character (below U+0020) other than newline: signed notes forbid them. */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A canonical non-negative decimal (no sign, no leading zeros) that is a safe integer, or undefined. */
export function parseCanonicalDecimal(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function isUint(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
