import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { citedDigests, cleanFilename, contentDisposition, normalizeMediaType } from '../../src/domain/evidence.js';
import { MizanError } from '../../src/domain/errors.js';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

describe('evidence citations', () => {
  it('finds sha256: citations among free-text evidence, with their positions', () => {
    const d = 'a'.repeat(64);
    expect(citedDigests(['photo taken 21 Oct', `sha256:${d}`, 'https://example.org/x'])).toEqual([{ digest: d, path: ['evidence', 1] }]);
  });

  it('refuses a malformed citation instead of keeping it as text (the author meant a file)', () => {
    for (const bad of ['sha256:', 'sha256:xyz', `sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(65)}`, `SHA256:${'a'.repeat(63)}`, `sha256:${'a'.repeat(64)}/../x`]) {
      expect(() => citedDigests([bad]), bad).toThrow(MizanError);
    }
  });

  it('property: every digest returned is 64 lowercase hex and sits where it was cited', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), hex64.map((h) => `sha256:${h}`), fc.string().map((s) => `sha256:${s}`))), (list) => {
        try {
          for (const c of citedDigests(list)) {
            expect(c.digest).toMatch(/^[0-9a-f]{64}$/);
            expect(list[c.path[1] as number]!.slice(7)).toBe(c.digest);
          }
        } catch (e) {
          // Refusals always say where: a field issue per bad citation.
          expect((e as MizanError).code).toBe('VALIDATION_FAILED');
          expect((e as MizanError).fields.every((f) => f.code === 'invalid_evidence_ref' && f.path[0] === 'evidence')).toBe(true);
        }
      }),
    );
  });
});

describe('uploaded file names and media types (attacker-controlled header values)', () => {
  it('keeps the last path part only; a traversal name never survives as a path', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\x\\photo.jpg')).toBe('photo.jpg');
    expect(cleanFilename('..')).toBeNull();
    expect(cleanFilename('a/')).toBeNull();
    expect(cleanFilename('عکس "۱".png')).toBe('عکس ۱.png');
    expect(cleanFilename('a\ud800b.jpg')).toBe('a\ufffdb.jpg');
  });

  it('property: a cleaned name has no separators, quotes or control characters and is at most 255 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (name) => {
        const c = cleanFilename(name);
        if (c === null) return;
        // eslint-disable-next-line no-control-regex -- asserts that no control character survives
        expect(c).not.toMatch(/[/\\"\u0000-\u001f\u007f]/);
        expect(c.length).toBeLessThanOrEqual(255);
        expect(['', '.', '..']).not.toContain(c);
      }),
    );
  });

  it('property: Content-Disposition is printable ASCII (no header injection) and carries the exact name', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '"', '\\', '/', '\r'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 300 }), (name) => {
        const c = cleanFilename(name);
        const header = contentDisposition(c, 'f'.repeat(64));
        expect(header).toMatch(/^attachment; filename="[\x20-\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[\x21-\x7e]*$/);
        const encoded = header.slice(header.indexOf("UTF-8''") + 7);
        expect(decodeURIComponent(encoded)).toBe(c ?? `${'f'.repeat(64)}.bin`);
      }),
    );
  });

  it('property: a media type is type/subtype (plus a text charset) or application/octet-stream; never a CR or LF', () => {
    expect(normalizeMediaType('Image/JPEG')).toBe('image/jpeg');
    expect(normalizeMediaType('text/plain; charset=UTF-8')).toBe('text/plain; charset=utf-8');
    expect(normalizeMediaType('application/json; charset=utf-8')).toBe('application/json');
    expect(normalizeMediaType(undefined)).toBe('application/octet-stream');
    expect(normalizeMediaType('text/html\r\nSet-Cookie: x=1')).toBe('application/octet-stream');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (raw) => {
        expect(normalizeMediaType(raw)).toMatch(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(; charset=[a-z0-9._-]+)?$/);
      }),
    );
  });
});
