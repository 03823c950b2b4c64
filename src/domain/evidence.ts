import { z } from 'zod';
import type { FieldIssue } from './errors.js';
import { MizanError } from './errors.js';

/**
 * Evidence files are named by the SHA-256 of their bytes. Statements cite them as
 * `sha256:<64 lowercase hex>`; any other evidence string (a URL, a description) is free text.
 */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
const REF_PREFIX = 'sha256:';

export const Sha256Hex = z.string().regex(SHA256_HEX, 'must be 64 lowercase hexadecimal digits (a SHA-256 digest)');

/** The most an upload may hold; the server refuses larger bodies before reading them whole. */
export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

/** A size as people read it in messages: bytes, KiB or MiB. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

/** The digest an evidence string cites, or null when it is not a `sha256:` reference. */
export function citedDigest(evidence: string): string | null {
  if (!evidence.toLowerCase().startsWith(REF_PREFIX)) return null;
  return evidence.slice(REF_PREFIX.length);
}

/**
 * The digests a statement's evidence list cites, with where each sits. A string that starts
 * with `sha256:` but is not a well-formed digest is an error, not free text: the author meant
 * to cite a file and would otherwise never learn the citation points nowhere.
 */
export function citedDigests(list: readonly string[] | undefined, path: readonly (string | number)[] = ['evidence']): { digest: string; path: (string | number)[] }[] {
  const out: { digest: string; path: (string | number)[] }[] = [];
  const bad: FieldIssue[] = [];
  for (const [i, item] of (list ?? []).entries()) {
    const digest = citedDigest(item);
    if (digest === null) continue;
    if (!SHA256_HEX.test(digest)) bad.push({ path: [...path, i], code: 'invalid_evidence_ref', message: 'a sha256: citation needs 64 lowercase hexadecimal digits' });
    else out.push({ digest, path: [...path, i] });
  }
  if (bad.length > 0) throw new MizanError('VALIDATION_FAILED', 'an evidence citation is malformed', bad);
  return out;
}

/** A media type as sent in Content-Type, reduced to `type/subtype` (parameters kept only for text). */
export function normalizeMediaType(header: string | undefined): string {
  const raw = (header ?? '').trim().toLowerCase();
  const m = /^([a-z0-9][a-z0-9!#$&^_.+-]{0,126})\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126})(\s*;.*)?$/.exec(raw);
  if (!m) return 'application/octet-stream';
  const base = `${m[1]}/${m[2]}`;
  const charset = /;\s*charset=("?)([a-z0-9._-]{1,40})\1/.exec(m[3] ?? '');
  return m[1] === 'text' && charset ? `${base}; charset=${charset[2]}` : base;
}

/**
 * The uploader's file name, kept as a label only (files are stored under their digest, never
 * under this name). Path parts and control characters are dropped so it is safe to show and to
 * put in a Content-Disposition header.
 */
export function cleanFilename(name: string | undefined): string | null {
  if (name === undefined) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are what this strips: they would break the header
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    // A lone surrogate cannot be percent-encoded for the header; it becomes U+FFFD.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .trim()
    .slice(0, 255)
    .replace(/[\ud800-\udbff]$/, '');
  return clean === '' || clean === '.' || clean === '..' ? null : clean;
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): ASCII fallback plus the real name. */
export function contentDisposition(filename: string | null, digest: string): string {
  const name = filename ?? `${digest}.bin`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
