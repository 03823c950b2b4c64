// C2SP tlog-checkpoint v1.0.0 (c2sp.org/tlog-checkpoint): the note text of a signed tree head.
import { base64Decode, base64Encode, hasControlCharacter, hasLoneSurrogate, isUint, parseCanonicalDecimal } from './bytes.js';
import { LedgerError } from './errors.js';
import { HASH_SIZE } from './merkle.js';
import { formatKeyId, openNote, signNote } from './note.js';
import type { NoteSignature, NoteSigner, NoteVerifier } from './note.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions: readonly string[];
}

/** RFC 6962 §2.1 root of the empty tree, SHA-256(""), as a checkpoint writes it. */
export const EMPTY_ROOT_BASE64 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

// tlog-checkpoint §Note text: origin, tree size, base64 root hash, optional extension lines, each ending in a newline.
export function formatCheckpoint(checkpoint: { origin: string; size: number; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  checkLine(origin, 'origin');
  if (!isUint(size)) throw new LedgerError('MALFORMED_CHECKPOINT', 'tree size must be a non-negative safe integer');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) throw new LedgerError('MALFORMED_CHECKPOINT', 'root hash must be 32 bytes');
  for (const e of extensions) checkLine(e, 'extension line');
  return [origin, String(size), base64Encode(rootHash), ...extensions].map((l) => l + '\n').join('');
}

// tlog-checkpoint §Note text, parsed strictly: every line ends in a newline,
// the size is canonical decimal (no sign, no leading zeros), the root is the
// canonical padded base64 of exactly 32 bytes, extension lines are non-empty.
/** Parses checkpoint note text (already verified by `openNote`). Sizes above 2^53 - 1 are refused. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new LedgerError('MALFORMED_CHECKPOINT', 'checkpoint text must end with a newline');
  if (hasLoneSurrogate(text)) throw new LedgerError('MALFORMED_CHECKPOINT', 'checkpoint is not valid Unicode');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new LedgerError('MALFORMED_CHECKPOINT', 'a checkpoint has at least three lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new LedgerError('MALFORMED_CHECKPOINT', 'origin line is empty');
  if (hasControlCharacter(text)) throw new LedgerError('MALFORMED_CHECKPOINT', 'checkpoint contains a control character');
  const size = parseCanonicalDecimal(sizeText);
  if (size === undefined) throw new LedgerError('MALFORMED_CHECKPOINT', 'tree size is not a canonical decimal below 2^53');
  const rootHash = base64Decode(rootText, 'MALFORMED_CHECKPOINT', 'root hash');
  if (rootHash.length !== HASH_SIZE) throw new LedgerError('MALFORMED_CHECKPOINT', 'root hash is not 32 bytes');
  if (size === 0 && rootText !== EMPTY_ROOT_BASE64) throw new LedgerError('MALFORMED_CHECKPOINT', 'the empty tree has root SHA-256("")');
  for (const e of extensions) if (e.length === 0) throw new LedgerError('MALFORMED_CHECKPOINT', 'extension lines must be non-empty');
  return { origin, size, rootHash, extensions };
}

/** Formats and signs a checkpoint; the log's key name SHOULD equal the origin. */
export function signCheckpoint(checkpoint: Checkpoint | Parameters<typeof formatCheckpoint>[0], signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint note text (what cosigners sign after their header). */
  readonly text: string;
  /** Verified signatures by the log's keys. */
  readonly logSignatures: readonly NoteSignature[];
  /** Verified signatures by the witnesses passed in (see `cosignatureTime`). */
  readonly cosignatures: readonly NoteSignature[];
  /** Signatures by keys not passed in, ignored. */
  readonly unverified: readonly NoteSignature[];
}

/**
 * Verifies a signed checkpoint: signed-note rules over the log keys and the
 * optional witness keys, at least one verified signature by a LOG key (a
 * witness alone is not enough), then strict parsing and the expected origin.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  logVerifiers: readonly NoteVerifier[],
  origin: string,
  witnessVerifiers: readonly NoteVerifier[] = [],
): OpenedCheckpoint {
  if (logVerifiers.length === 0) throw new LedgerError('INVALID_ARGUMENT', 'at least one log key is needed');
  const opened = openNote(note, [...logVerifiers, ...witnessVerifiers]);
  const logKeys = new Set(logVerifiers.map((v) => `${v.name}+${formatKeyId(v.keyId)}`));
  const logSignatures = opened.signatures.filter((s) => logKeys.has(`${s.name}+${formatKeyId(s.keyId)}`));
  const cosignatures = opened.signatures.filter((s) => !logKeys.has(`${s.name}+${formatKeyId(s.keyId)}`));
  if (logSignatures.length === 0) throw new LedgerError('UNKNOWN_KEY', 'checkpoint is not signed by a log key');
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== origin) throw new LedgerError('ORIGIN_MISMATCH', 'checkpoint origin is not the expected one');
  return { checkpoint, text: opened.text, logSignatures, cosignatures, unverified: opened.unverified };
}

function checkLine(line: string, what: string): void {
  if (typeof line !== 'string' || line.length === 0) throw new LedgerError('MALFORMED_CHECKPOINT', `${what} must be non-empty`);
  if (line.includes('\n') || hasControlCharacter(line) || hasLoneSurrogate(line)) {
    throw new LedgerError('MALFORMED_CHECKPOINT', `${what} must be one line of valid text without control characters`);
  }
}
