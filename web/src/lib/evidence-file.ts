// A photo or file the monitor picks: hashed as captured, stripped of its location unless the
// monitor keeps it, hashed again as it will be uploaded. Runs on the phone, before anything is
// queued, so the original's digest is taken from the bytes the monitor chose.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { MAX_EVIDENCE_BYTES } from '../../../src/domain/evidence.js';
import { mayHoldLocation, stripLocation } from './image-metadata.js';
import type { QueuedFile } from './queue.js';

export { MAX_EVIDENCE_BYTES };

export const sha256Hex = (b: Uint8Array): string => bytesToHex(sha256(b));

export type Prepared =
  /** `checked`: a JPEG, PNG or WebP, whose location metadata is removed; other formats go as they are. */
  | { readonly ok: true; readonly file: QueuedFile; readonly hadLocation: boolean; readonly stripped: boolean; readonly checked: boolean }
  /** too-big: over the server's limit; cannot-strip: a damaged image whose location cannot be removed safely. */
  | { readonly ok: false; readonly reason: 'too-big' | 'empty' | 'cannot-strip' };

/**
 * Prepare one file for the queue. With `keepLocation` the bytes are sent as they are; otherwise a
 * JPEG, PNG or WebP loses its location metadata (exif.ts, image-metadata.ts), other formats are
 * sent as they are (the page says so), and an image too damaged to strip is refused rather than
 * sent with its location.
 */
export function prepareFile(name: string, type: string, original: Uint8Array, keepLocation: boolean): Prepared {
  if (original.length === 0) return { ok: false, reason: 'empty' };
  if (original.length > MAX_EVIDENCE_BYTES) return { ok: false, reason: 'too-big' };
  const original_sha256 = sha256Hex(original);
  const hadLocation = mayHoldLocation(original);
  const r = stripLocation(original);
  const checked = r.kind !== 'other-format';
  if (!keepLocation && r.kind === 'malformed') return { ok: false, reason: 'cannot-strip' };
  const bytes = keepLocation ? original : r.bytes;
  const digest = bytes === original ? original_sha256 : sha256Hex(bytes);
  return {
    ok: true,
    hadLocation,
    checked,
    stripped: digest !== original_sha256,
    file: { name, type: type || 'application/octet-stream', size: bytes.length, bytes, sha256: digest, original_sha256, location_kept: keepLocation, uploaded: false },
  };
}
