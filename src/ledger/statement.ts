// Mizan log entries: signed statements, one per record, written as RFC 8785 canonical JSON.
//
// entry bytes  = UTF-8(canonicalJson({statement, signatures: [{key, sig}]}))   (the RFC 6962 leaf)
// signed bytes = UTF-8("mizan-statement/v1\n" + canonicalJson(statement))      (domain-separated)
// commitment   = "sha256:" + hex(SHA-256(salt[32] || UTF-8(canonicalJson(body))))
import { base64Decode, base64Encode, concatBytes, hexEncode, utf8Decode, utf8Encode } from './bytes.js';
import { canonicalJson } from './canonical-json.js';
import type { JsonObject } from './canonical-json.js';
import type { LedgerCrypto } from './crypto.js';
import { ED25519_SIGNATURE_SIZE } from './crypto.js';
import { LedgerError } from './errors.js';
import type { LedgerErrorCode } from './errors.js';
import { formatKeyId, isValidKeyName } from './note.js';
import type { NoteSigner, NoteVerifier } from './note.js';
import { MAX_ENTRY_SIZE } from './tiles.js';

/** Domain separation: a statement signature can never be replayed as a note or another protocol's signature. */
export const STATEMENT_SIGNING_PREFIX = 'mizan-statement/v1\n';
export const COMMITMENT_SALT_SIZE = 32;
export const MAX_ENTRY_SIGNATURES = 16;
const MAX_KIND_LENGTH = 128;
const MAX_AUTHOR_FIELD_LENGTH = 256;

export interface StatementAuthor {
  /** The party (delegation) the author acts for, if any. */
  readonly party?: string;
  /** The user who made the submission, if any. */
  readonly user?: string;
  /** The signing key, as `<key name>+<8 hex key ID>` (a vkey without its public key). */
  readonly key: string;
}

interface StatementHead {
  readonly v: 1;
  readonly kind: string;
  readonly author: StatementAuthor;
  /** RFC 3339 UTC time, e.g. 2025-10-19T12:00:00Z. */
  readonly at: string;
}

/** A public record: its body is in the log. */
export interface PublicStatement extends StatementHead {
  readonly body: JsonObject;
  readonly commitment?: never;
}

/** A record that is not public: only its salted commitment is in the log. */
export interface CommittedStatement extends StatementHead {
  readonly commitment: string;
  readonly body?: never;
}

export type Statement = PublicStatement | CommittedStatement;

export interface EntrySignature {
  /** `<key name>+<8 hex key ID>` of the signing key. */
  readonly key: string;
  /** base64 of the 64-byte Ed25519 signature over `statementSigningBytes(statement)`. */
  readonly sig: string;
}

export interface Entry {
  readonly statement: Statement;
  readonly signatures: readonly EntrySignature[];
}

/** The reference a statement uses for a key: `<name>+<8 hex key ID>`. */
export function keyReference(key: { readonly name: string; readonly keyId: number }): string {
  return `${key.name}+${formatKeyId(key.keyId)}`;
}

/** Checks a statement's shape (exact fields, types, time format) and returns it typed; throws MALFORMED_STATEMENT. */
export function validateStatement(value: unknown): Statement {
  return checkStatement(value, 'MALFORMED_STATEMENT');
}

/** UTF-8("mizan-statement/v1\n" + canonicalJson(statement)): the bytes every entry signature covers. */
export function statementSigningBytes(statement: Statement): Uint8Array {
  const s = validateStatement(statement);
  return utf8Encode(STATEMENT_SIGNING_PREFIX + canonicalJson(s), 'MALFORMED_STATEMENT', 'statement');
}

/** Signs a statement with an Ed25519 note signer (see `noteSigner`). */
export function signStatement(statement: Statement, signer: NoteSigner): EntrySignature {
  const sig = signer.sign(statementSigningBytes(statement));
  return { key: keyReference(signer), sig: base64Encode(sig) };
}

/** Signs a statement with every signer (the author's key must be among them) and checks the resulting entry. */
export function createEntry(statement: Statement, signers: readonly NoteSigner[]): Entry {
  const entry: Entry = { statement, signatures: signers.map((s) => signStatement(statement, s)) };
  checkEntry(entry, 'MALFORMED_ENTRY');
  return entry;
}

/** The leaf bytes of an entry; throws ENTRY_TOO_LARGE above 65535 bytes (the entry-bundle limit). */
export function encodeEntry(entry: Entry): Uint8Array {
  const e = checkEntry(entry, 'MALFORMED_ENTRY');
  const bytes = utf8Encode(canonicalJson(e), 'MALFORMED_ENTRY', 'entry');
  if (bytes.length > MAX_ENTRY_SIZE) throw new LedgerError('ENTRY_TOO_LARGE', `entry is ${bytes.length} bytes, the limit is ${MAX_ENTRY_SIZE}`);
  return bytes;
}

/**
 * Parses leaf bytes back into an entry. The bytes are attacker-controlled (any
 * tile mirror can serve them), so this accepts exactly the bytes `encodeEntry`
 * writes: valid UTF-8, JSON, the exact shape, and canonical form (re-encoding
 * must give the same bytes, which also rules out duplicate keys, "1.0",
 * escapes JCS does not use, and whitespace). Signatures are NOT verified here.
 */
export function decodeEntry(bytes: Uint8Array): Entry {
  if (!(bytes instanceof Uint8Array)) throw new LedgerError('MALFORMED_ENTRY', 'entry must be bytes');
  if (bytes.length > MAX_ENTRY_SIZE) throw new LedgerError('ENTRY_TOO_LARGE', `entry is larger than ${MAX_ENTRY_SIZE} bytes`);
  try {
    const text = utf8Decode(bytes, 'MALFORMED_ENTRY', 'entry');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new LedgerError('MALFORMED_ENTRY', 'entry is not JSON');
    }
    const entry = checkEntry(parsed, 'MALFORMED_ENTRY');
    if (canonicalJson(entry) !== text) throw new LedgerError('MALFORMED_ENTRY', 'entry is not in canonical JSON form');
    return entry;
  } catch (err) {
    // Whatever went wrong inside (deep nesting, odd numbers), a hostile entry is only ever MALFORMED_ENTRY.
    if (err instanceof LedgerError && err.code === 'MALFORMED_ENTRY') throw err;
    throw new LedgerError('MALFORMED_ENTRY', err instanceof LedgerError ? err.message : 'entry cannot be parsed');
  }
}

/**
 * Verifies every signature of an entry. `resolveKey` maps a key reference
 * (`name+hexid`) to a verifier for that key (see `noteVerifier`), or undefined
 * when the key is not known: then UNKNOWN_KEY. A signature that fails is
 * BAD_SIGNATURE. Returns the verified key references.
 */
export function verifyEntrySignatures(entry: Entry, resolveKey: (key: string) => NoteVerifier | undefined): string[] {
  const e = checkEntry(entry, 'MALFORMED_ENTRY');
  const msg = statementSigningBytes(e.statement);
  const verified: string[] = [];
  for (const s of e.signatures) {
    const v = resolveKey(s.key);
    // A resolver that answers with a different key than asked for must not make a signature count.
    if (v === undefined || keyReference(v) !== s.key) throw new LedgerError('UNKNOWN_KEY', `unknown signing key ${s.key}`);
    const sig = base64Decode(s.sig, 'MALFORMED_ENTRY', 'signature');
    if (!v.verify(msg, sig)) throw new LedgerError('BAD_SIGNATURE', `signature by ${s.key} does not verify`);
    verified.push(s.key);
  }
  return verified;
}

/**
 * "sha256:" + hex(SHA-256(salt || UTF-8(canonicalJson(body)))), with a 32-byte random salt chosen by the
 * caller. `body` is any JSON value (checked at run time: INVALID_JSON otherwise).
 */
export function makeCommitment(crypto: LedgerCrypto, body: unknown, salt: Uint8Array): string {
  if (!(salt instanceof Uint8Array) || salt.length !== COMMITMENT_SALT_SIZE) {
    throw new LedgerError('INVALID_ARGUMENT', `a commitment salt is ${COMMITMENT_SALT_SIZE} bytes`);
  }
  const data = utf8Encode(canonicalJson(body), 'INVALID_JSON', 'body');
  return 'sha256:' + hexEncode(crypto.sha256(concatBytes(salt, data)));
}

/** Whether `body` and `salt` open `commitment`; false for any malformed input. */
export function checkCommitment(crypto: LedgerCrypto, commitment: string, body: unknown, salt: Uint8Array): boolean {
  if (typeof commitment !== 'string' || !COMMITMENT.test(commitment)) return false;
  try {
    return makeCommitment(crypto, body, salt) === commitment;
  } catch {
    return false;
  }
}

const COMMITMENT = /^sha256:[0-9a-f]{64}$/;
const KIND = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,${MAX_KIND_LENGTH - 1}}$`);
// RFC 3339 §5.6 date-time restricted to UTC ("Z") and upper-case separators, so each instant has few spellings.
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

function checkEntry(value: unknown, code: LedgerErrorCode): Entry {
  const o = exactObject(value, ['statement', 'signatures'], ['statement', 'signatures'], 'entry', code);
  const statement = checkStatement(o['statement'], code);
  const sigs = o['signatures'];
  if (!Array.isArray(sigs) || sigs.length < 1 || sigs.length > MAX_ENTRY_SIGNATURES) {
    throw new LedgerError(code, `an entry has 1 to ${MAX_ENTRY_SIGNATURES} signatures`);
  }
  const seen = new Set<string>();
  const signatures: EntrySignature[] = sigs.map((s: unknown) => {
    const so = exactObject(s, ['key', 'sig'], ['key', 'sig'], 'signature', code);
    const key = checkKeyRef(so['key'], code, 'signature key');
    if (seen.has(key)) throw new LedgerError(code, `two signatures by ${key}`);
    seen.add(key);
    const sig = so['sig'];
    if (typeof sig !== 'string' || base64Decode(sig, code, 'signature').length !== ED25519_SIGNATURE_SIZE) {
      throw new LedgerError(code, 'a signature is the base64 of 64 bytes');
    }
    return { key, sig };
  });
  if (!seen.has(statement.author.key)) throw new LedgerError(code, "the author's key has not signed the statement");
  return { statement, signatures };
}

function checkStatement(value: unknown, code: LedgerErrorCode): Statement {
  const o = exactObject(value, ['v', 'kind', 'author', 'at', 'body', 'commitment'], ['v', 'kind', 'author', 'at'], 'statement', code);
  if (o['v'] !== 1) throw new LedgerError(code, 'statement version must be 1');
  const kind = o['kind'];
  if (typeof kind !== 'string' || !KIND.test(kind)) throw new LedgerError(code, 'statement kind must be 1-128 characters of [A-Za-z0-9._:/-]');
  const a = exactObject(o['author'], ['party', 'user', 'key'], ['key'], 'author', code);
  const author: { party?: string; user?: string; key: string } = { key: checkKeyRef(a['key'], code, 'author key') };
  for (const f of ['party', 'user'] as const) {
    const x = a[f];
    if (x === undefined) continue;
    if (typeof x !== 'string' || x.length === 0 || x.length > MAX_AUTHOR_FIELD_LENGTH) {
      throw new LedgerError(code, `author ${f} must be 1-${MAX_AUTHOR_FIELD_LENGTH} characters`);
    }
    author[f] = x;
  }
  const at = o['at'];
  if (typeof at !== 'string' || !isRfc3339Utc(at)) throw new LedgerError(code, 'statement time must be RFC 3339 UTC, e.g. 2025-10-19T12:00:00Z');
  const head = { v: 1 as const, kind, author, at };
  const hasBody = 'body' in o;
  const hasCommitment = 'commitment' in o;
  if (hasBody === hasCommitment) throw new LedgerError(code, 'a statement has either a body or a commitment');
  if (hasBody) {
    const body = o['body'];
    if (!isPlainObject(body)) throw new LedgerError(code, 'statement body must be a JSON object');
    return { ...head, body: body as JsonObject };
  }
  const commitment = o['commitment'];
  if (typeof commitment !== 'string' || !COMMITMENT.test(commitment)) throw new LedgerError(code, 'commitment must be "sha256:" and 64 lowercase hex digits');
  return { ...head, commitment };
}

function checkKeyRef(value: unknown, code: LedgerErrorCode, what: string): string {
  if (typeof value !== 'string') throw new LedgerError(code, `${what} must be <key name>+<8 hex key ID>`);
  const plus = value.lastIndexOf('+');
  if (plus < 0 || !isValidKeyName(value.slice(0, plus)) || !/^[0-9a-f]{8}$/.test(value.slice(plus + 1))) {
    throw new LedgerError(code, `${what} must be <key name>+<8 hex key ID>`);
  }
  return value;
}

function exactObject(value: unknown, allowed: readonly string[], required: readonly string[], what: string, code: LedgerErrorCode): Record<string, unknown> {
  if (!isPlainObject(value)) throw new LedgerError(code, `${what} must be a JSON object`);
  for (const k of Object.keys(value)) if (!allowed.includes(k)) throw new LedgerError(code, `${what} has an unknown field`);
  for (const k of required) if (!(k in value)) throw new LedgerError(code, `${what} has no ${k}`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isRfc3339Utc(s: string): boolean {
  const m = RFC3339_UTC.exec(s);
  if (m === null) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const daysInMonth = mo === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31;
  return d <= daysInMonth;
}
