// The public API of Mizan's verifiable log. Pure: no I/O, and crypto only
// through the LedgerCrypto port (nodeCrypto in Node, nobleCrypto in the browser).
// Formats are documented in docs/log.md.

export { LedgerError, isLedgerError } from './errors.js';
export type { LedgerErrorCode } from './errors.js';

export type { LedgerCrypto } from './crypto.js';
export { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ED25519_SIGNATURE_SIZE } from './crypto.js';

export { base64Decode, base64Encode, bytesEqual, hexEncode } from './bytes.js';

export { MAX_JSON_DEPTH, canonicalJson } from './canonical-json.js';
export type { JsonObject, JsonValue } from './canonical-json.js';

export {
  HASH_SIZE,
  MAX_PROOF_LENGTH,
  emptyRoot,
  hashChildren,
  hashLeaf,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

export {
  appendLeaves,
  assemble,
  assembleRoot,
  consistencyProofPlan,
  inclusionProofPlan,
  neededNodes,
  nodeKey,
  nodeRange,
  nodesCompletedByAppend,
  perfectSubtrees,
  rootFromFrontier,
  rootPlan,
} from './proof-plan.js';
export type { CompletedNode, NodeHash, NodeId, ProofElement, ProofPlan } from './proof-plan.js';

export {
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  checkNoteText,
  formatKeyId,
  formatSignatureLine,
  formatSignerKey,
  formatVerifierKey,
  isValidKeyName,
  isWeakEd25519PublicKey,
  keyId,
  noteSigner,
  noteVerifier,
  openNote,
  parseNote,
  parseSignatureLine,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './note.js';
export type { NoteSignature, NoteSigner, NoteVerifier, OpenedNote, SignatureType, SignerKey, VerifierKey } from './note.js';

export { EMPTY_ROOT_BASE64, formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
export type { Checkpoint, OpenedCheckpoint } from './checkpoint.js';

export {
  COSIGNATURE_SIZE,
  cosign,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTime,
  cosignatureVerifier,
  formatWitnessVerifierKey,
  verifyCosignature,
} from './cosignature.js';

export {
  MAX_ENTRY_SIZE,
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  encodeTile,
  formatTilePath,
  parseTilePath,
  partialTileWidth,
  tileLeafRange,
  tileNodes,
  tilesForSize,
} from './tiles.js';
export type { TilePath } from './tiles.js';

export { TLOG_PROOF_HEADER, formatTlogProof, parseTlogProof, verifyTlogProof } from './proof-text.js';
export type { TlogProof } from './proof-text.js';

export {
  COMMITMENT_SALT_SIZE,
  MAX_ENTRY_SIGNATURES,
  STATEMENT_SIGNING_PREFIX,
  checkCommitment,
  createEntry,
  decodeEntry,
  encodeEntry,
  keyReference,
  makeCommitment,
  signStatement,
  statementSigningBytes,
  validateStatement,
  verifyEntrySignatures,
} from './statement.js';
export type { CommittedStatement, Entry, EntrySignature, PublicStatement, Statement, StatementAuthor } from './statement.js';
