// Metadata that can place a monitor, removed from PNG and WebP files on the phone before upload
// (JPEG is exif.ts). Screenshots of a map app and photos saved by messaging apps come as PNG or
// WebP, and both formats can carry Exif (with its GPS IFD) and XMP.
//
// PNG (PNG 3rd edition §5.3, §11.3): every chunk is length, type, data, CRC. Removed: eXIf (Exif),
// and the text chunks tEXt, zTXt and iTXt (XMP travels in iTXt "XML:com.adobe.xmp"; free text can
// name a place). Everything else is kept byte for byte, so no CRC has to be recomputed.
//
// WebP (RFC 9649 §2.7): a RIFF container of chunks. Removed: EXIF and "XMP ". The extended header
// VP8X announces them in its flags, which are cleared to match, and the RIFF size is rewritten.
//
// As with JPEG, whole chunks go rather than only the GPS inside them: the original's SHA-256 is
// recorded with the report, so nothing of provenance is lost.
import type { StripResult } from './exif.js';
import { hasGpsLocation, isJpeg, stripJpegLocation } from './exif.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt']);
const WEBP_DROPPED = new Set(['EXIF', 'XMP ']);
/** VP8X flag bits (RFC 9649 §2.7.1.1): E (Exif present) and X (XMP present). */
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

interface Chunk {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

const fourCC = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u32le = (b: Uint8Array, at: number) => b[at]! + (b[at + 1]! << 8) + (b[at + 2]! << 16) + ((b[at + 3]! << 24) >>> 0);

export const isPng = (b: Uint8Array): boolean => b.length >= 8 && PNG_SIGNATURE.every((x, i) => b[i] === x);
export const isWebp = (b: Uint8Array): boolean => b.length >= 12 && fourCC(b, 0) === 'RIFF' && fourCC(b, 8) === 'WEBP';

/** The chunks after the signature, up to and including IEND; null if one runs past the end. */
function pngChunks(b: Uint8Array): Chunk[] | null {
  const out: Chunk[] = [];
  let at = 8;
  while (at < b.length) {
    if (at + 12 > b.length) return null;
    const length = u32be(b, at);
    const end = at + 12 + length;
    if (end > b.length) return null;
    const type = fourCC(b, at + 4);
    out.push({ type, start: at, end });
    at = end;
    if (type === 'IEND') return out;
  }
  return null;
}

/** The chunks after the 12-byte RIFF header; null if one runs past the end. Odd sizes are padded. */
function webpChunks(b: Uint8Array): Chunk[] | null {
  const out: Chunk[] = [];
  const riffEnd = Math.min(b.length, 8 + u32le(b, 4));
  let at = 12;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) return null;
    const size = u32le(b, at + 4);
    const end = at + 8 + size + (size % 2);
    if (end > riffEnd + (size % 2)) return null;
    out.push({ type: fourCC(b, at), start: at, end: Math.min(end, b.length) });
    at = end;
  }
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** PNG without eXIf and text chunks. Never throws; `other-format` and `malformed` leave the bytes unchanged. */
export function stripPngMetadata(b: Uint8Array): StripResult {
  if (!isPng(b)) return { kind: 'other-format', bytes: b };
  const chunks = pngChunks(b);
  if (!chunks) return { kind: 'malformed', bytes: b, at: 8 };
  const removed = chunks.filter((c) => PNG_DROPPED.has(c.type)).length;
  if (removed === 0) return { kind: 'clean', bytes: b };
  const kept = chunks.filter((c) => !PNG_DROPPED.has(c.type)).map((c) => b.subarray(c.start, c.end));
  return { kind: 'stripped', bytes: concat([b.subarray(0, 8), ...kept]), removed };
}

/** WebP without EXIF and XMP chunks, its VP8X flags and RIFF size to match. Never throws. */
export function stripWebpMetadata(b: Uint8Array): StripResult {
  if (!isWebp(b)) return { kind: 'other-format', bytes: b };
  const chunks = webpChunks(b);
  if (!chunks) return { kind: 'malformed', bytes: b, at: 12 };
  const removed = chunks.filter((c) => WEBP_DROPPED.has(c.type)).length;
  if (removed === 0) return { kind: 'clean', bytes: b };
  const kept = chunks.filter((c) => !WEBP_DROPPED.has(c.type)).map((c) => {
    const bytes = b.slice(c.start, c.end);
    if (c.type === 'VP8X' && bytes.length > 8) bytes[8] = bytes[8]! & ~(VP8X_EXIF | VP8X_XMP);
    return bytes;
  });
  const out = concat([b.subarray(0, 12), ...kept]);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(4, out.length - 8, true);
  return { kind: 'stripped', bytes: out, removed };
}

/** The chunks of a PNG or WebP that can carry a location (Exif, XMP, text), found without changing anything. */
export function hasLocationMetadata(b: Uint8Array): boolean {
  if (isPng(b)) return (pngChunks(b) ?? []).some((c) => PNG_DROPPED.has(c.type));
  if (isWebp(b)) return (webpChunks(b) ?? []).some((c) => WEBP_DROPPED.has(c.type));
  return false;
}

/** A picked file without the metadata that can place its sender: JPEG, PNG or WebP; anything else is `other-format`. */
export function stripLocation(b: Uint8Array): StripResult {
  if (isJpeg(b)) return stripJpegLocation(b);
  if (isPng(b)) return stripPngMetadata(b);
  if (isWebp(b)) return stripWebpMetadata(b);
  return { kind: 'other-format', bytes: b };
}

/** Whether the file carries a location: a JPEG's GPS (Exif or XMP), or a PNG's or WebP's metadata chunks, which may. */
export function mayHoldLocation(b: Uint8Array): boolean {
  return hasGpsLocation(b) || hasLocationMetadata(b);
}
