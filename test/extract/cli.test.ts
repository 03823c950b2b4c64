// `mizan extract FILE --published DATE --json` without a data directory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { extractFile, registerExtractCommands } from '../../src/cli/extract.js';
import { MizanError } from '../../src/domain/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mizan-extract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'wire.md');
writeFileSync(file, '# Wire\n\nSeven Pakistani soldiers were killed in a [suicide attack](#) in **Mir Ali** on Friday, the military said.\n\nQatar brokered a ceasefire between the two countries on 19 October in Doha.\n');

describe('mizan extract', () => {
  it('prints {incidents, agreements} in the shape of the issue', async () => {
    const program = new Command().exitOverride();
    registerExtractCommands(program);
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    try {
      await program.parseAsync(['node', 'mizan', 'extract', file, '--published', '2025-10-22', '--json']);
    } finally {
      spy.mockRestore();
    }
    const json = JSON.parse(out) as { incidents: Record<string, unknown>[]; agreements: Record<string, unknown>[] };
    expect(Object.keys(json).sort()).toEqual(['agreements', 'incidents']);
    const i = json.incidents[0]!;
    expect(Object.keys(i).sort()).toEqual(['actors', 'confidence', 'event_type', 'fatalities', 'hedging', 'kind', 'location', 'occurred', 'sub_event_type', 'target_category', 'text_span'].sort());
    expect(Object.keys(i.location as object).sort()).toEqual(['admin1', 'admin2', 'country', 'lat', 'lon', 'name']);
    expect(i).toMatchObject({
      kind: 'incident',
      occurred: { from: '2025-10-16T19:00:00.000Z', to: '2025-10-17T19:00:00.000Z', stated: 'on Friday' },
      location: { name: 'Mir Ali', country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'North Waziristan' },
      event_type: 'Explosions/Remote violence',
      sub_event_type: 'Suicide bomb',
      actors: { target: { id: 'PAK-AF', name: 'Pakistani soldiers' } },
      fatalities: [{ low: 7, high: 7, who: { id: 'PAK', name: 'the military' } }],
      hedging: 'reported',
    });
    expect(json.agreements[0]).toMatchObject({ kind: 'agreement', mediators: [{ id: 'QAT' }], terms: [] });
    expect(Object.keys(json.agreements[0]!).sort()).toEqual(['kind', 'mediators', 'occurred', 'parties', 'terms', 'text_span']);
  });

  it('a bad --published or a missing file is a VALIDATION_FAILED error', () => {
    expect(() => extractFile(file, '22/10/2025')).toThrow(MizanError);
    expect(() => extractFile(join(dir, 'missing.txt'), '2025-10-22')).toThrow(/cannot read/);
  });
});
