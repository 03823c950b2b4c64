import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MizanError } from '../../src/domain/errors.js';
import type { SourceItem } from '../../src/intake/index.js';
import { ACLED_COLUMNS, MAX_RECORD_BYTES, openSourceRows, REJECT_REASONS } from '../../src/intake/index.js';
import { acledCsv, acledRow, cell, UCDP_PAKISTAN } from './support.js';

async function all(text: string | Readable, format: 'acled' | 'ucdp' = 'acled'): Promise<SourceItem[]> {
  const rows = await openSourceRows(text, format);
  const out: SourceItem[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const line = (r: SourceItem) => (r.kind === 'row' ? r.line : r.rejection.line);

describe('the streaming CSV reader', () => {
  it('gives each row the line it starts on, across quoted newlines and blank lines', async () => {
    const header = ACLED_COLUMNS.join(',');
    const a = ACLED_COLUMNS.map((c) => cell(acledRow({ event_id_cnty: 'A' })[c] ?? '')).join(',');
    const b = ACLED_COLUMNS.map((c) => cell(acledRow({ event_id_cnty: 'B', notes: 'two\nlines\nhere' })[c] ?? '')).join(',');
    const c = ACLED_COLUMNS.map((col) => cell(acledRow({ event_id_cnty: 'C' })[col] ?? '')).join(',');
    const items = await all([header, a, '', b, c].join('\n') + '\n');
    expect(items.map((i) => [i.kind, line(i)])).toEqual([
      ['row', 2],
      ['row', 4],
      ['row', 7],
    ]);
  });

  it("skips HDX's hashtag row under the header, and only there", async () => {
    const rows = await openSourceRows(createReadStream(UCDP_PAKISTAN), 'ucdp');
    const it1 = rows[Symbol.asyncIterator]();
    const first = (await it1.next()).value as SourceItem;
    expect(first).toMatchObject({ kind: 'row', line: 3 });
    expect(rows.stats.hxlRowSkipped).toBe(true);
    await it1.return?.();
  });

  it('reports a row with the wrong number of fields and reads on', async () => {
    const text = acledCsv([acledRow({ event_id_cnty: 'A' })]) + 'B,2025-10-12\n' + acledCsv([acledRow({ event_id_cnty: 'C' })]).split('\n')[1] + '\n';
    const items = await all(text);
    expect(items.map((i) => (i.kind === 'row' ? `row@${i.line}` : `${i.rejection.reason}@${i.rejection.line}`))).toEqual(['row@2', 'wrong_column_count@3', 'row@4']);
  });

  it('turns an unclosed quote into a malformed_csv rejection with its line instead of swallowing the file', async () => {
    const good = acledCsv([acledRow({ event_id_cnty: 'A' })]);
    const items = await all(good + 'B,"never closed,2025\n');
    expect(items[0]).toMatchObject({ kind: 'row', line: 2 });
    expect(items[1]).toMatchObject({ kind: 'rejected', rejection: { reason: 'malformed_csv', line: 3 } });
  });

  it('refuses a record larger than the limit (a quote left open on purpose)', async () => {
    const huge = acledCsv([acledRow({ event_id_cnty: 'A' })]) + 'B,"' + 'x'.repeat(MAX_RECORD_BYTES + 10) + '"\n';
    const items = await all(Readable.from([huge]));
    expect(items.some((i) => i.kind === 'rejected' && i.rejection.reason === 'malformed_csv')).toBe(true);
  });

  it('ignores a UTF-8 byte-order mark and Mizan’s trailing attribution comment', async () => {
    const items = await all('\uFEFF' + acledCsv([acledRow()]) + '# Attribution: UCDP GED (CC BY 4.0); GeoNames (CC BY 4.0)\n');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'row', record: { event_id_cnty: 'PAK1001' } });
  });

  it('refuses an empty file and a file of the other format before reading rows', async () => {
    await expect(openSourceRows('', 'acled')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(openSourceRows(createReadStream(UCDP_PAKISTAN), 'acled')).rejects.toThrow(/looks like a UCDP file/);
  });

  it('never fails with anything but a coded error, whatever the bytes (property)', async () => {
    const header = ACLED_COLUMNS.join(',');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400, unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', '#', ' ', '\u00e9', '\uFEFF', '-') }), fc.boolean(), async (body, withHeader) => {
        try {
          for (const item of await all(withHeader ? `${header}\n${body}` : body)) {
            if (item.kind === 'rejected') expect(REJECT_REASONS).toContain(item.rejection.reason);
            expect(line(item)).toBeGreaterThanOrEqual(0);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(MizanError);
          expect((e as MizanError).code).toBe('VALIDATION_FAILED');
        }
      }),
      { numRuns: 500 },
    );
  });
});
