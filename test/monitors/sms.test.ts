import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGS, parseSms, replyText, SMS_MAX_UCS2, WHAT, WHAT_CODES } from '../../src/domain/monitors/index.js';
import type { SmsErrorCode } from '../../src/domain/monitors/index.js';
import type { SmsParse } from '../../src/domain/monitors/index.js';

const KABUL = { zone: 'Asia/Kabul', receivedAt: '2025-10-18T10:00:00Z' }; // 14:30 in Kabul
const KARACHI = { zone: 'Asia/Karachi', receivedAt: '2025-10-18T10:00:00Z' }; // 15:00 in Karachi

function report(r: SmsParse) {
  if (!r.ok) throw new Error(`expected a parse, got ${r.error.code} at ${r.error.position}: ${r.error.message}`);
  if (r.command.type !== 'report') throw new Error(`expected a report, got ${r.command.type}`);
  return r.command.report;
}

describe('SMS grammar: examples in four languages', () => {
  it('English: the issue’s example', () => {
    const r = report(parseSms('R Barmal 17/10 20:30 AIR K10 W12 CIV houses hit near the bazaar', KABUL));
    expect(r).toMatchObject({
      place: { query: 'Barmal' },
      occurred: { from: '2025-10-17T16:00:00.000Z', to: '2025-10-17T16:01:00.000Z', local: '2025-10-17T20:30', zone: 'Asia/Kabul', precision: 'exact' },
      what: 'AIR',
      event_type: 'Explosions/Remote violence',
      sub_event_type: 'Air/drone strike',
      killed: 10,
      wounded: 12,
      target_category: 'civilians',
      by: null,
      text: 'houses hit near the bazaar',
    });
  });

  it('Pashto with Persian digits: a strike in برمل', () => {
    const p = parseSms('راپور برمل ۱۷/۱۰ ۲۰:۳۰ AIR K۱۰ W۱۲ CIV کورونه ویجاړ شول', KABUL);
    expect(p.lang).toBe('ps');
    expect(report(p)).toMatchObject({ place: { query: 'برمل' }, occurred: { local: '2025-10-17T20:30' }, killed: 10, wounded: 12, text: 'کورونه ویجاړ شول' });
  });

  it('Dari: گزارش … دیروز with Arabic-Indic digits', () => {
    const p = parseSms('گزارش   سپین بولدک   دیروز ٠٩:١٥  shell  k٣  SEC', KABUL);
    expect(p.lang).toBe('fa');
    expect(report(p)).toMatchObject({ place: { query: 'سپین بولدک' }, occurred: { local: '2025-10-17T09:15', precision: 'exact' }, what: 'SHELL', killed: 3, target_category: 'security_forces' });
  });

  it('Urdu: رپورٹ … آج in Karachi time, BY an alias', () => {
    const p = parseSms('رپورٹ چمن آج CLASH BY TTP سرحد پر فائرنگ', KARACHI);
    expect(p.lang).toBe('ur');
    expect(report(p)).toMatchObject({ place: { query: 'چمن' }, occurred: { from: '2025-10-17T19:00:00.000Z', to: '2025-10-18T19:00:00.000Z', local: '2025-10-18', precision: 'day' }, what: 'CLASH', by: 'TTP', text: 'سرحد پر فائرنگ' });
  });

  it('BY takes a name of several words in quotes, straight, curly or «guillemets»; the options go on after it', () => {
    expect(report(parseSms('R Barmal 17/10 AIR BY "Pakistan  army" K2 CIV houses hit', KABUL))).toMatchObject({ by: 'Pakistan army', killed: 2, target_category: 'civilians', text: 'houses hit' });
    expect(report(parseSms('R Barmal 17/10 AIR BY “Tehrik-e-Taliban Pakistan”', KABUL))).toMatchObject({ by: 'Tehrik-e-Taliban Pakistan', text: null });
    expect(report(parseSms('راپور برمل ۱۷/۱۰ AIR BY «د پاکستان پوځ» کورونه ویجاړ شول', KABUL))).toMatchObject({ by: 'د پاکستان پوځ', text: 'کورونه ویجاړ شول' });
    // One quoted word is the same as the word alone.
    expect(report(parseSms('R Barmal 17/10 AIR BY "TTP" K1', KABUL))).toMatchObject({ by: 'TTP', killed: 1 });
  });

  it('peace is reported too: PEACE maps to Strategic developments – Agreement', () => {
    expect(report(parseSms('REPORT Angoor Adda 16.10 PEACE jirga agreed to reopen the road', KABUL))).toMatchObject({ place: { query: 'Angoor Adda' }, event_type: 'Strategic developments', sub_event_type: 'Agreement' });
  });

  it('PUB asks for publication under the mediator’s name; without it nothing is asked', () => {
    const asked = parseSms('R Barmal 17/10 AIR K2 PUB pub is also a word', KABUL);
    expect(asked.ok && asked.command.type === 'report' && asked.command.publish).toBe(true);
    expect(report(asked)).toMatchObject({ killed: 2, text: 'pub is also a word' });
    const plain = parseSms('R Barmal 17/10 AIR K2 near the pub', KABUL);
    expect(plain.ok && plain.command.type === 'report' && plain.command.publish).toBe(false);
    const corr = parseSms('CORR 3 R Barmal 17/10 AIR PUB', KABUL);
    expect(corr.ok && corr.command.type === 'correction' && corr.command.publish).toBe(true);
  });

  it('Arabic ي/ك typed for Persian ی/ک still match the keywords', () => {
    expect(parseSms('R Barmal ديروز AIR', KABUL).ok).toBe(true);
  });

  it('every <what> code maps to an ACLED pair', () => {
    for (const w of WHAT_CODES) expect(report(parseSms(`R X 17/10 ${w.toLowerCase()}`, KABUL))).toMatchObject({ what: w, event_type: WHAT[w][0], sub_event_type: WHAT[w][1] });
  });

  it('the year is the latest that does not put the date after receipt', () => {
    expect(report(parseSms('R Barmal 18/10 AIR', KABUL)).occurred.local).toBe('2025-10-18');
    expect(report(parseSms('R Barmal 19/10 AIR', KABUL)).occurred.local).toBe('2024-10-19');
    expect(report(parseSms('R Barmal 18/10 14:00 AIR', KABUL)).occurred.local).toBe('2025-10-18T14:00');
    expect(report(parseSms('R Barmal 18/10 15:00 AIR', KABUL)).occurred.local).toBe('2024-10-18T15:00');
    expect(report(parseSms('R Barmal 29/02 AIR', KABUL)).occurred.local).toBe('2024-02-29');
  });

  it('commands: STATUS, CORR, STOP', () => {
    expect(parseSms('status ۱۲', KABUL)).toMatchObject({ ok: true, command: { type: 'status', of: 12 } });
    expect(parseSms('وضعیت 3', KABUL)).toMatchObject({ ok: true, command: { type: 'status', of: 3 }, lang: 'fa' });
    expect(parseSms('CORR 4 R Barmal 17/10 BOMB K2', KABUL)).toMatchObject({ ok: true, command: { type: 'correction', of: 4, report: { what: 'BOMB', killed: 2 } } });
    expect(parseSms('CORR 4 Barmal 17/10 BOMB', KABUL)).toMatchObject({ ok: true, command: { type: 'correction', of: 4 } });
    expect(parseSms('  STOP ', KABUL)).toMatchObject({ ok: true, command: { type: 'stop' } });
  });
});

describe('SMS grammar: coded errors with positions', () => {
  const cases: [string, string, number][] = [
    ['', 'EMPTY', 0],
    ['hello there', 'UNKNOWN_COMMAND', 0],
    ['R', 'MISSING_PLACE', 1],
    ['R 17/10 AIR', 'MISSING_PLACE', 2],
    ['R Barmal AIR', 'MISSING_WHEN', 12],
    ['R Barmal 31/02 AIR', 'BAD_DATE', 9],
    ['R Barmal 12/13 AIR', 'BAD_DATE', 9],
    ['R Barmal 17/10 25:00 AIR', 'BAD_TIME', 15],
    ['R Barmal today 23:59 AIR', 'FUTURE_DATE', 9],
    ['R Barmal 17/10', 'MISSING_WHAT', 14],
    ['R Barmal 17/10 DRONE', 'BAD_WHAT', 15],
    ['R Barmal 17/10 AIR BY', 'MISSING_ACTOR', 21],
    ['R Barmal 17/10 AIR BY "Pakistan army K2', 'UNCLOSED_QUOTE', 22],
    ['R Barmal 17/10 AIR BY "  " K2', 'MISSING_ACTOR', 22],
    ['STATUS x', 'BAD_NUMBER', 7],
    ['R Barmal 17/10 AIR K12345678', 'BAD_NUMBER', 19],
  ];
  it.each(cases)('%j → %s at %d', (text, code, position) => {
    expect(parseSms(text, KABUL)).toMatchObject({ ok: false, error: { code, position } });
  });

  it('refuses over-long messages and bad contexts without throwing', () => {
    expect(parseSms('R '.repeat(900), KABUL)).toMatchObject({ ok: false, error: { code: 'TOO_LONG' } });
    expect(parseSms('R Barmal today AIR', { zone: 'Mars/Olympus', receivedAt: KABUL.receivedAt })).toMatchObject({ ok: false, error: { code: 'BAD_ZONE' } });
    expect(parseSms('R Barmal today AIR', { zone: 'Asia/Kabul', receivedAt: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'BAD_RECEIVED' } });
  });
});

describe('SMS grammar: properties (hostile input)', () => {
  const words = fc.constantFrom('R', 'REPORT', 'راپور', 'گزارش', 'رپورٹ', 'STATUS', 'CORR', 'STOP', 'today', 'نن', 'پرون', 'امروز', 'آج', 'کل', '17/10', '۱۷/۱۰', '٣١.١٢', '29-02', '20:30', '۲۰:۳۰', '99:99', 'AIR', 'SHELL', 'PEACE', 'K10', 'W۱۲', 'K', 'CIV', 'SEC', 'BY', 'TTP', '"TTP', 'army"', '«پوځ', '»', '“', 'برمل', 'Barmal', '\u200f', '\u0000', '"', '%', '\n');
  const grammarish = fc.array(words, { maxLength: 14 }).map((ws) => ws.join(' '));
  const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), grammarish);
  const ctx = fc.record({
    zone: fc.constantFrom('Asia/Kabul', 'Asia/Karachi'),
    receivedAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  });

  it('never throws; every failure has a known code and a position inside the text', () => {
    fc.assert(
      fc.property(anyText, ctx, (text, c) => {
        const r = parseSms(text, c);
        if (!r.ok) {
          expect(r.error.code).toMatch(/^[A-Z_]+$/);
          expect(r.error.position).toBeGreaterThanOrEqual(0);
          expect(r.error.position).toBeLessThanOrEqual(text.length);
          expect(r.error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a parsed report is well-formed: [from, to) not after receipt, counts bounded, ACLED pair', () => {
    fc.assert(
      fc.property(grammarish, ctx, (text, c) => {
        const r = parseSms(text, c);
        if (!r.ok || (r.command.type !== 'report' && r.command.type !== 'correction')) return;
        const rep = r.command.report;
        expect(Date.parse(rep.occurred.from)).toBeLessThan(Date.parse(rep.occurred.to));
        expect(Date.parse(rep.occurred.from)).toBeLessThanOrEqual(Date.parse(c.receivedAt));
        expect(rep.place.query.length).toBeGreaterThan(0);
        expect(WHAT[rep.what]).toEqual([rep.event_type, rep.sub_event_type]);
        for (const n of [rep.killed, rep.wounded]) if (n !== null) expect(n).toBeLessThan(1_000_000);
      }),
      { numRuns: 1000 },
    );
  });

  it('digits in any of the three scripts parse the same', () => {
    const toScript = (s: string, base: number) => s.replace(/[0-9]/g, (d) => String.fromCharCode(base + Number(d)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 999 }), (d, m, h, k) => {
        const latin = `R Barmal ${d}/${m} ${h}:30 AIR K${k}`;
        const a = parseSms(latin, KABUL);
        expect(parseSms(toScript(latin, 0x0660), KABUL)).toEqual(a);
        expect(parseSms(toScript(latin, 0x06f0), KABUL)).toEqual(a);
      }),
    );
  });
});

describe('replies', () => {
  it('exist in all four languages and fit in an SMS', () => {
    for (const l of LANGS) {
      for (const t of [replyText.receipt(l, 123456), replyText.error(l, 'BAD_WHAT', 'x'.repeat(500)), replyText.status(l, 7, 'published', null), replyText.stop(l), replyText.unknownReport(l, 9)]) {
        expect(t.length).toBeLessThanOrEqual(459);
        if (/[^\x20-\x7E\n]/.test(t)) expect(t.length).toBeLessThanOrEqual(SMS_MAX_UCS2);
      }
    }
    expect(replyText.receipt('ps', 5)).toContain('راپور 5');
  });

  it('carry findings and ceasefire news in every language, whole and within one SMS', () => {
    for (const l of LANGS) {
      for (const o of ['substantiated', 'not_substantiated', 'inconclusive', 'could_not_be_attributed'] as const) {
        const t = replyText.finding(l, 'Spin Boldak', o);
        expect(t).toContain('Spin Boldak');
        expect(t.length).toBeLessThanOrEqual(SMS_MAX_UCS2);
        expect(t).not.toMatch(/…$|\.\.\.$/);
      }
      const ext = replyText.agreement(l, 'AGR-DOHA-2025', { type: 'extension', until: '2026-01-19T13:00:00Z' });
      const open = replyText.agreement(l, 'AGR-DOHA-2025', { type: 'extension', until: null });
      const end = replyText.agreement(l, 'AGR-DOHA-2025', { type: 'termination', at: '2025-12-01T00:00:00Z' });
      expect(ext).toContain('2026-01-19 13:00 UTC');
      expect(open).not.toContain('UTC');
      expect(end).toContain('2025-12-01 00:00 UTC');
      for (const t of [ext, open, end]) expect(t.length).toBeLessThanOrEqual(SMS_MAX_UCS2);
    }
    expect(replyText.finding('en', 'Barmal', 'could_not_be_attributed')).toBe("Mizan: the mediators' finding on the incident at Barmal: could not be attributed.");
  });

  it('say what was wrong in the monitor’s own language, whole, with the example', () => {
    const codes: SmsErrorCode[] = ['EMPTY', 'TOO_LONG', 'UNKNOWN_COMMAND', 'MISSING_PLACE', 'MISSING_WHEN', 'BAD_DATE', 'BAD_TIME', 'FUTURE_DATE', 'MISSING_WHAT', 'BAD_WHAT', 'BAD_NUMBER', 'MISSING_ACTOR'];
    for (const l of ['ps', 'fa', 'ur'] as const) {
      const replies = codes.map((c) => replyText.error(l, c, 'the English hint'));
      for (const r of replies) {
        expect(r).toMatch(/R Barmal 17\/10 20:30 AIR K10 W12 CIV$/); // not cut short
        expect(r).not.toContain('the English hint');
        expect(r.length).toBeLessThanOrEqual(SMS_MAX_UCS2);
      }
      // Each code has its own explanation, not one generic text.
      expect(new Set(replies.map((r) => r.replace(/\([A-Z_]+\)/, ''))).size).toBe(codes.length);
    }
    expect(replyText.error('ps', 'BAD_DATE', 'x')).toContain('نېټه سمه نه ده');
    expect(replyText.error('en', 'BAD_DATE', '31/02 is not a date')).toContain('31/02 is not a date');
  });
});
