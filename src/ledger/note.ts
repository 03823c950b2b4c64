// C2SP signed-note v1.0.0 (c2sp.org/signed-note): keys, key IDs, signing and opening notes.
import { base64Decode, base64Encode, concatBytes, hasControlCharacter, hasLoneSurrogate, utf8Decode, utf8Encode } from './bytes.js';
import type { LedgerCrypto } from './crypto.js';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE } from './crypto.js';
import { LedgerError } from './errors.js';

/** signed-note §Signature types: 0x01 Ed25519 note signatures. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** signed-note §Signature types: 0x04 timestamped Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

export type SignatureType = typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;

/**
 * Limits for untrusted notes. The spec asks verifiers to accept at least 16
 * signatures; Go's x/mod stops at 100. A checkpoint is a few hundred bytes.
 */
export const MAX_NOTE_SIGNATURES = 100;
export const MAX_NOTE_BYTES = 1_000_000;

/** Signs note text; `sign` returns the signature bytes that follow the 4-byte key ID. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** Verifies one key's signatures; `verify` gets the note text bytes and the bytes after the key ID. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  readonly signature: Uint8Array;
}

export interface OpenedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  /** Signatures by known keys; every one of them verified. */
  readonly signatures: readonly NoteSignature[];
  /** Signatures by keys the caller did not pass (ignored, as the spec requires). */
  readonly unverified: readonly NoteSignature[];
}

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  readonly publicKey: Uint8Array;
}

export interface SignerKey extends VerifierKey {
  readonly seed: Uint8Array;
}

const EM_DASH_SPACE = '\u2014 ';
// Go's unicode.IsSpace is the Unicode White_Space property; JavaScript's \s differs (it includes U+FEFF).
const UNICODE_SPACE = /\p{White_Space}/u;

// signed-note §Format: "Key names MUST be non-empty and MUST NOT contain any Unicode spaces or plus (U+002B) characters."
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !name.includes('+') && !UNICODE_SPACE.test(name) && !hasLoneSurrogate(name) && !hasControlCharacter(name);
}

// signed-note §Signatures: key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian.
export function keyId(crypto: LedgerCrypto, name: string, type: number, publicKey: Uint8Array): number {
  const h = crypto.sha256(concatBytes(utf8Encode(name, 'MALFORMED_KEY', 'key name'), Uint8Array.of(0x0a, type), publicKey));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** A key ID as 8 lowercase hex digits. */
export function formatKeyId(id: number): string {
  return id.toString(16).padStart(8, '0');
}

// signed-note §Verifier keys: <key name>+hex(key ID)+base64(signature type || public key).
export function formatVerifierKey(crypto: LedgerCrypto, name: string, publicKey: Uint8Array, type: SignatureType = SIGNATURE_TYPE_ED25519): string {
  checkName(name, 'MALFORMED_KEY');
  checkKeyBytes(publicKey, ED25519_PUBLIC_KEY_SIZE, 'public key');
  if (isWeakEd25519PublicKey(publicKey)) throw new LedgerError('MALFORMED_KEY', 'a small-order or non-canonical Ed25519 key');
  return `${name}+${formatKeyId(keyId(crypto, name, type, publicKey))}+${base64Encode(concatBytes(Uint8Array.of(type), publicKey))}`;
}

/** Parses and checks a vkey (Ed25519 0x01 or cosignature 0x04); the key ID must match the key. */
export function parseVerifierKey(crypto: LedgerCrypto, vkey: string): VerifierKey {
  if (typeof vkey !== 'string') throw new LedgerError('MALFORMED_KEY', 'verifier key must be a string');
  const [name, hexId, b64] = splitKey(vkey, 'verifier key');
  const { type, material } = parseKeyMaterial(b64, ED25519_PUBLIC_KEY_SIZE, 'verifier key');
  if (isWeakEd25519PublicKey(material)) throw new LedgerError('MALFORMED_KEY', 'verifier key: a small-order or non-canonical Ed25519 key');
  const id = checkKeyId(crypto, name, hexId, type, material, 'verifier key');
  return { name, keyId: id, type, publicKey: material };
}

// x/mod sumdb/note signer key format: PRIVATE+KEY+<name>+hex(key ID)+base64(type || 32-byte seed).
// (Type 0x04 is Mizan's extension for witness keys; x/mod knows only 0x01.)
export function formatSignerKey(crypto: LedgerCrypto, name: string, seed: Uint8Array, type: SignatureType = SIGNATURE_TYPE_ED25519): string {
  checkName(name, 'MALFORMED_KEY');
  checkKeyBytes(seed, ED25519_SEED_SIZE, 'seed');
  const pub = crypto.ed25519PublicKey(seed);
  return `PRIVATE+KEY+${name}+${formatKeyId(keyId(crypto, name, type, pub))}+${base64Encode(concatBytes(Uint8Array.of(type), seed))}`;
}

export function parseSignerKey(crypto: LedgerCrypto, skey: string): SignerKey {
  if (typeof skey !== 'string' || !skey.startsWith('PRIVATE+KEY+')) throw new LedgerError('MALFORMED_KEY', 'signer key must start with PRIVATE+KEY+');
  const [name, hexId, b64] = splitKey(skey.slice('PRIVATE+KEY+'.length), 'signer key');
  const { type, material: seed } = parseKeyMaterial(b64, ED25519_SEED_SIZE, 'signer key');
  const publicKey = crypto.ed25519PublicKey(seed);
  const id = checkKeyId(crypto, name, hexId, type, publicKey, 'signer key');
  return { name, keyId: id, type, publicKey, seed };
}

/** A note verifier for an Ed25519 (0x01) vkey. Cosigner vkeys (0x04) go through `cosignatureVerifier`. */
export function noteVerifier(crypto: LedgerCrypto, key: string | VerifierKey): NoteVerifier {
  const k = typeof key === 'string' ? parseVerifierKey(crypto, key) : key;
  if (k.type !== SIGNATURE_TYPE_ED25519) throw new LedgerError('MALFORMED_KEY', 'not an Ed25519 (0x01) note key');
  if (k.publicKey.length !== ED25519_PUBLIC_KEY_SIZE || isWeakEd25519PublicKey(k.publicKey)) throw new LedgerError('MALFORMED_KEY', 'not a usable Ed25519 public key');
  const pub = k.publicKey;
  return { name: k.name, keyId: k.keyId, verify: (message, signature) => crypto.ed25519Verify(pub, message, signature) };
}

/** A note signer for an Ed25519 (0x01) signer key. */
export function noteSigner(crypto: LedgerCrypto, key: string | SignerKey): NoteSigner {
  const k = typeof key === 'string' ? parseSignerKey(crypto, key) : key;
  if (k.type !== SIGNATURE_TYPE_ED25519) throw new LedgerError('MALFORMED_KEY', 'not an Ed25519 (0x01) signer key');
  const seed = k.seed;
  return { name: k.name, keyId: k.keyId, sign: (message) => crypto.ed25519Sign(seed, message) };
}

// signed-note §Format: "— <key name> base64(32-bit key ID || signature)\n".
export function formatSignatureLine(name: string, id: number, signature: Uint8Array): string {
  checkName(name, 'MALFORMED_NOTE');
  const head = Uint8Array.of((id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff);
  return `${EM_DASH_SPACE}${name} ${base64Encode(concatBytes(head, signature))}\n`;
}

// signed-note §Format: text (ending in a newline), a blank line, then one signature line per signer.
/** Signs `text` (which must end with a newline) with every signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkNoteText(text);
  if (signers.length === 0) throw new LedgerError('INVALID_ARGUMENT', 'a note needs at least one signer');
  const msg = utf8Encode(text, 'MALFORMED_NOTE', 'note text');
  let out = text + '\n';
  for (const s of signers) out += formatSignatureLine(s.name, s.keyId, s.sign(msg));
  return out;
}

/**
 * Splits a note into text and signature lines WITHOUT verifying anything.
 * The spec says the text MUST be ignored until a trusted signature verified:
 * use `openNote` unless you only need to look at the signature lines.
 */
export function parseNote(note: string | Uint8Array): { readonly text: string; readonly signatures: readonly NoteSignature[] } {
  let s: string;
  if (note instanceof Uint8Array) {
    if (note.length > MAX_NOTE_BYTES) throw new LedgerError('MALFORMED_NOTE', `note is larger than ${MAX_NOTE_BYTES} bytes`);
    s = utf8Decode(note, 'MALFORMED_NOTE', 'note');
  } else if (typeof note === 'string') {
    // Cheap bound first (a code unit is at least one byte), then the exact UTF-8 size.
    if (note.length > MAX_NOTE_BYTES || utf8Encode(note, 'MALFORMED_NOTE', 'note').length > MAX_NOTE_BYTES) {
      throw new LedgerError('MALFORMED_NOTE', `note is larger than ${MAX_NOTE_BYTES} bytes`);
    }
    s = note;
  } else {
    throw new LedgerError('MALFORMED_NOTE', 'note must be text or bytes');
  }
  if (hasControlCharacter(s)) throw new LedgerError('MALFORMED_NOTE', 'note contains a control character other than newline');
  // The text is separated from the signatures by the LAST blank line: the text itself may contain blank lines.
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw new LedgerError('MALFORMED_NOTE', 'note has no blank line before its signatures');
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new LedgerError('MALFORMED_NOTE', 'signature block is missing or does not end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new LedgerError('MALFORMED_NOTE', `more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map(parseSignatureLine);
  return { text, signatures };
}

/**
 * signed-note §Signatures, verifier rules: signatures by unknown (name, key ID)
 * pairs are ignored; every signature by a known key must verify (else
 * BAD_SIGNATURE, the whole note is rejected); at least one must be by a known
 * key (else UNKNOWN_KEY).
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    const k = `${v.name}+${formatKeyId(v.keyId)}`;
    const prior = known.get(k);
    if (prior !== undefined && prior !== v) throw new LedgerError('INVALID_ARGUMENT', `two different verifiers for ${k}`);
    known.set(k, v);
  }
  const { text, signatures: lines } = parseNote(note);
  const msg = utf8Encode(text, 'MALFORMED_NOTE', 'note text');
  const signatures: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of lines) {
    // The name is attacker-controlled: it is only ever compared as a literal map key.
    const k = `${sig.name}+${formatKeyId(sig.keyId)}`;
    const v = known.get(k);
    if (v === undefined) {
      unverified.push(sig);
      continue;
    }
    // Every line by a known key is verified, duplicates included, so a bogus extra line cannot hide behind a good one.
    if (!v.verify(msg, sig.signature)) throw new LedgerError('BAD_SIGNATURE', `signature by ${k} does not verify`);
    if (!seen.has(k)) {
      seen.add(k);
      signatures.push(sig);
    }
  }
  if (signatures.length === 0) throw new LedgerError('UNKNOWN_KEY', 'no signature by a known key');
  return { text, signatures, unverified };
}

/** Parses one signature line (with or without its final newline). */
export function parseSignatureLine(line: string): NoteSignature {
  if (typeof line !== 'string') throw new LedgerError('MALFORMED_NOTE', 'signature line must be text');
  if (line.endsWith('\n')) line = line.slice(0, -1);
  if (line.includes('\n') || hasControlCharacter(line) || hasLoneSurrogate(line)) throw new LedgerError('MALFORMED_NOTE', 'signature line must be one line of valid text');
  if (!line.startsWith(EM_DASH_SPACE)) throw new LedgerError('MALFORMED_NOTE', 'signature line does not start with an em dash and a space');
  const rest = line.slice(EM_DASH_SPACE.length);
  const sp = rest.indexOf(' ');
  if (sp < 0) throw new LedgerError('MALFORMED_NOTE', 'signature line has no signature');
  const name = rest.slice(0, sp);
  const b64 = rest.slice(sp + 1);
  if (!isValidKeyName(name)) throw new LedgerError('MALFORMED_NOTE', 'signature line has an invalid key name');
  if (b64.length === 0) throw new LedgerError('MALFORMED_NOTE', 'signature line has an empty signature');
  const raw = base64Decode(b64, 'MALFORMED_NOTE', 'signature');
  if (raw.length < 5) throw new LedgerError('MALFORMED_NOTE', 'signature is shorter than a key ID and one byte');
  const id = ((raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!) >>> 0;
  return { name, keyId: id, signature: raw.subarray(4) };
}

/** signed-note §Format: valid text ends with a newline and has no control characters other than newline. */
export function checkNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new LedgerError('MALFORMED_NOTE', 'note text must end with a newline');
  if (hasControlCharacter(text)) throw new LedgerError('MALFORMED_NOTE', 'note text contains a control character other than newline');
  if (hasLoneSurrogate(text)) throw new LedgerError('MALFORMED_NOTE', 'note text is not valid Unicode');
}

function checkName(name: string, code: 'MALFORMED_KEY' | 'MALFORMED_NOTE'): void {
  if (!isValidKeyName(name)) throw new LedgerError(code, 'key names must be non-empty, without spaces, "+" or control characters');
}

function checkKeyBytes(b: Uint8Array, size: number, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== size) throw new LedgerError('MALFORMED_KEY', `${what} must be ${size} bytes`);
}

// Encodings (sign bit ignored) of the Ed25519 points of small order, plus the non-canonical
// encodings p and p+1 of such points: libsodium's blocklist. Under such a "public key" anyone can
// forge signatures (with A of small order, S·B = R works for every message), and verifiers disagree
// on them (OpenSSL accepts them, @noble's strict mode does not), so they are refused as keys.
const SMALL_ORDER_KEYS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

/** Whether a 32-byte Ed25519 public key is a small-order point or a non-canonical encoding (y >= p). */
export function isWeakEd25519PublicKey(publicKey: Uint8Array): boolean {
  const y = Uint8Array.from(publicKey);
  y[31] = y[31]! & 0x7f;
  const h = Array.from(y, (b) => b.toString(16).padStart(2, '0')).join('');
  if (SMALL_ORDER_KEYS.includes(h)) return true;
  // y >= p = 2^255 - 19 (little-endian): bytes 1..30 all 0xff, byte 31 is 0x7f and byte 0 >= 0xed.
  return y[31] === 0x7f && y[0]! >= 0xed && y.subarray(1, 31).every((b) => b === 0xff);
}

function splitKey(s: string, what: string): [string, string, string] {
  // The name cannot contain "+", the base64 part can: split at the first two only.
  const a = s.indexOf('+');
  const b = a < 0 ? -1 : s.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new LedgerError('MALFORMED_KEY', `${what}: want <name>+<key id>+<base64 key>`);
  const name = s.slice(0, a);
  if (!isValidKeyName(name)) throw new LedgerError('MALFORMED_KEY', `${what}: invalid key name`);
  return [name, s.slice(a + 1, b), s.slice(b + 1)];
}

function parseKeyMaterial(b64: string, size: number, what: string): { type: SignatureType; material: Uint8Array } {
  const raw = base64Decode(b64, 'MALFORMED_KEY', what);
  const type = raw[0];
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new LedgerError('MALFORMED_KEY', `${what}: unsupported signature type`);
  }
  if (raw.length !== 1 + size) throw new LedgerError('MALFORMED_KEY', `${what}: key must be ${size} bytes`);
  return { type, material: raw.slice(1) };
}

function checkKeyId(crypto: LedgerCrypto, name: string, hexId: string, type: number, pub: Uint8Array, what: string): number {
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new LedgerError('MALFORMED_KEY', `${what}: key ID must be 8 lowercase hex digits`);
  const id = keyId(crypto, name, type, pub);
  if (formatKeyId(id) !== hexId) throw new LedgerError('MALFORMED_KEY', `${what}: key ID does not match the key`);
  return id;
}
