// The claims a report keeps are built from whatever the extractor read: for any candidate text,
// every figure becomes exactly one valid claim by the source, and nothing is merged or dropped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimsOf, ingestKey } from '../../src/app/ingest.js';
import { ClaimInput } from '../../src/domain/claim.js';
import { extractor } from './support.js';

const sentence = fc
  .tuple(
    fc.constantFrom('Pakistani jets bombed homes in Barmal', 'A suicide attack hit a checkpoint in Mir Ali', 'Afghan forces attacked border posts in Kurram', 'TTP fighters attacked soldiers in Bajaur'),
    fc.constantFrom('on Friday evening', 'on 12 October', 'late Thursday', 'early on October 18'),
    fc.constantFrom('killing', 'leaving'),
    fc.constantFrom('7', 'seven', 'at least 10', 'more than 200', 'between 12 and 15', 'dozens of', 'up to 5'),
    fc.constantFrom('civilians', 'soldiers', 'militants', 'people'),
    fc.constantFrom(', Taliban officials said.', ', the military said.', ', residents said.', '.', '; the TTP claimed responsibility.', ', allegedly.'),
  )
  .map(([a, b, c, d, e, f]) => `${a} ${b}, ${c} ${d} ${e}${f}`);

describe('claims of an extracted report', () => {
  it('one valid claim per figure, by the source, ids unique, figures as read', () => {
    fc.assert(
      fc.property(sentence, fc.constantFrom('2025-10-22', '2025-10-19'), (text, published) => {
        const incidents = extractor().extract(text, published).incidents;
        expect(incidents.length, text).toBeGreaterThan(0);
        for (const [i, c] of incidents.entries()) {
          const id = `SRC-X-0123456789abcdef.r${i + 1}`;
          const claims = claimsOf(id, 'SRC-X-0123456789abcdef', c);
          expect(claims).toHaveLength(Math.max(1, c.fatalities.length));
          expect(new Set(claims.map((x) => x.id)).size).toBe(claims.length);
          claims.forEach((cl, k) => {
            expect(cl.by).toBe('SRC-X-0123456789abcdef');
            // the claim fits the domain's claim schema (figures ordered, basis known)
            const { stated_by: _speaker, ...rest } = cl;
            expect(ClaimInput.safeParse({ ...rest, incident: 'INC-X' }).success, JSON.stringify(cl)).toBe(true);
            const f = c.fatalities[k];
            if (f) {
              const got = cl.asserts.fatalities!;
              expect(got.best ?? got.low ?? null).toBe(f.low);
              expect(got.best ?? got.high ?? null).toBe(f.high);
              expect(cl.stated_by).toEqual(f.who);
            }
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the ingest key changes with the title and with any change to the text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (text, title, other) => {
        const k = ingestKey(text, title).key;
        expect(ingestKey(text, title).key).toBe(k);
        if (other.trim() !== title.trim()) expect(ingestKey(text, other).key).not.toBe(k);
        if (other !== text) expect(ingestKey(other, title).key).not.toBe(k);
      }),
    );
  });
});
