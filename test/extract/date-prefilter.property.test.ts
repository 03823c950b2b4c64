// The speed-up in dates.ts skips chrono on sentences that cannot hold a date it keeps. This checks
// the premise against chrono itself: whenever chrono, run on the whole sentence, finds a result
// that findDateMentions would keep, the pre-filter lets the sentence through.
import * as chrono from 'chrono-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldDate } from '../../src/intake/extract/dates.js';

const DATES = [
  '17 October', 'October 17', 'Oct 17', '17 Oct.', 'Sept. 3', '17/10/2025', '2025-10-17', '17.10.2025', 'Friday', 'Fri 10pm', 'on Friday evening',
  'last Friday', 'late Thursday', '3 days ago', 'two days ago', 'yesterday', 'tonight', 'today', 'the 17th', 'on may 17', 'May 17', 'May 2025',
  'October 2025', '10:30', 'at 10 pm', 'the first of October', 'the fifteenth of October', 'noon on Sunday', 'midnight', 'in 2 hours', '2 hours later',
  'two weeks ago', 'this morning', '48 hours', 'on the 9th', 'Sat., Oct. 18', 'Tues 14', 'wed 15th', 'in 2025', '9 to 10 October', 'dec 1',
];
const NOISE = ['killing', '12', 'people', 'at least 10', 'market', 'Sunni', 'decided', 'many', 'sat', 'may', 'months', 'in Kabul', ',', 'the', 'strike', '1,000', '3.5', 'F-16', 'sun', 'march', 'Mar'];
const sentence = fc.array(fc.oneof(fc.constantFrom(...DATES), fc.constantFrom(...NOISE)), { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));

const MONTH = /\b(?:january|february|march|april|june|july|august|september|october|november|december)\b/i;
const MAY = /\bMay\b|\bMAY\b/;
const KEPT = /\d|yesterday|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday/i;

/** The results findDateMentions keeps from chrono (its filter, before the day-part rules). */
function keptByChrono(s: string): string[] {
  const ref = new Date(Date.UTC(2025, 9, 22, 12));
  return chrono.en.casual
    .parse(s, ref, { forwardDate: false })
    .filter((r) => {
      const text = r.text.replace(/[\s,;:.]+$/, '');
      if (/\b(?:last|this|next|past) week\b/i.test(text)) return false;
      if (!KEPT.test(text) && !MONTH.test(text) && !MAY.test(text)) return false;
      const c = r.start;
      return /\b(?:yesterday|today|tonight)\b/i.test(text) || (c.isCertain('day') && c.isCertain('month')) || (c.isCertain('weekday') && !c.isCertain('day')) || (c.isCertain('month') && c.isCertain('year'));
    })
    .map((r) => r.text);
}

describe('the chrono pre-filter', () => {
  it('never skips a sentence in which chrono finds a date that would be kept', () => {
    fc.assert(
      fc.property(sentence, (s) => {
        if (keptByChrono(s).length > 0) expect(mayHoldDate(s), `${s} → ${keptByChrono(s).join(' | ')}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never skips one among every sentence of up to three of the words above', () => {
    const words = [...DATES, ...NOISE];
    const skipped: string[] = [];
    const check = (s: string): void => {
      if (!mayHoldDate(s) && keptByChrono(s).length > 0) skipped.push(s);
    };
    for (const a of words) for (const b of words) for (const c of ['', ...words]) check(`${a} ${b} ${c}`.trim());
    expect(skipped).toEqual([]);
  });

  it('each listed date expression alone passes when chrono keeps it, and plain figures do not', () => {
    for (const d of DATES) if (keptByChrono(d).length > 0) expect(mayHoldDate(d), d).toBe(true);
    expect(mayHoldDate('in 2025 12 12'), 'chrono reads year month day separated by spaces').toBe(true);
    expect(mayHoldDate('this morning may midnight two days ago'), 'lower-case "may" is the verb, here and in the kept filter').toBe(false);
    expect(mayHoldDate('Pakistani jets killed 12 people in Kabul')).toBe(false);
    expect(mayHoldDate('Officials said many may have died in the market')).toBe(false);
  });
});
