// @vitest-environment jsdom
// The versions view: one column per party and source, fields aligned, differences marked —
// for the built-in scenario's Paktika strikes and for the server's own contest answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Claim, Contest } from '../../web/src/api/types.js';
import { contest as domainContest } from '../../src/domain/contest.js';
import { REPO_ROOT } from '../support/env.js';
import type { ContextModule, I18nModule } from './load.js';
import { el, loadWeb, text } from './load.js';

interface Scenario {
  parties: { id: string; name: string; kind: string; names?: unknown[] }[];
  actors: { id: string; names: unknown[]; controlled_by: string | null }[];
  sources: { id: string; title: string; publisher?: string; reliability?: string; credibility?: number }[];
  claims: Claim[];
}
const scenario = JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'scenarios', 'af-pk-2025.json'), 'utf8')) as Scenario;
const claimsOf = (incident: string) => scenario.claims.filter((c) => c.incident === incident);
const isParty = (id: string) => scenario.parties.some((p) => p.id === id);

let VersionsView: ComponentType<{ contest: Contest; hideSilent?: boolean }>;
let contestFromClaims: (incident: string, claims: readonly Claim[], isParty: (id: string) => boolean) => Contest;
let ctx: ContextModule;

beforeAll(async () => {
  (await loadWeb<I18nModule>('i18n/index.ts')).initI18n();
  ({ VersionsView } = await loadWeb<{ VersionsView: typeof VersionsView }>('components/VersionsView.tsx'));
  ({ contestFromClaims } = await loadWeb<{ contestFromClaims: typeof contestFromClaims }>('lib/contest.ts'));
  ctx = await loadWeb<ContextModule>('app/context.tsx');
});
afterEach(cleanup);

const directory = () => ({
  parties: new Map(scenario.parties.map((p) => [p.id, p])),
  actors: new Map(scenario.actors.map((a) => [a.id, a])),
  sources: new Map(scenario.sources.map((s) => [s.id, s])),
  agreements: new Map(),
});

function show(contest: Contest): void {
  const child: ReactNode = createElement(VersionsView, { contest });
  render(createElement(ctx.StaticDirectory, { value: directory() }, child));
}

const table = () => el(screen.getByRole('table'));
const row = (field: string) => {
  const r = table().querySelector(`tr[data-field="${field}"]`);
  if (!r) throw new Error(`no row for ${field}`);
  return r;
};
const cell = (field: string, by: string) => text(row(field).querySelector(`td[data-by="${by}"]`));

describe('versions view', () => {
  it("puts Kabul's and Islamabad's claims about the Paktika strikes side by side and marks where they differ", () => {
    show(contestFromClaims('INC-20251017-URGUN', claimsOf('INC-20251017-URGUN'), isParty));
    // Parties first, then the source, each a column with its basis.
    const heads = Array.from(table().querySelectorAll('thead th[data-by]')).map((h) => h.getAttribute('data-by'));
    expect(heads).toEqual(['AFG', 'PAK', 'SRC-OPI-20251022']);
    expect(text(table().querySelector('thead th[data-by="AFG"]'))).toContain('alleged');
    // The source column carries its Admiralty grading (C3).
    expect(text(table().querySelector('thead th[data-by="SRC-OPI-20251022"]'))).toContain('C3');

    // Target category: civilians against militants — the row is marked, in words too.
    expect(row('target_category').className).toContain('agreement-differ');
    expect(text(row('target_category'))).toContain('Differ');
    expect(cell('target_category', 'AFG')).toContain('civilians');
    expect(cell('target_category', 'PAK')).toContain('militants');
    expect(row('target_category').querySelectorAll('td.cell-differ').length).toBe(3);

    // Perpetrator: Kabul and the source name the Pakistan Air Force; Islamabad says nothing (not a denial).
    expect(row('perpetrator').className).toContain('agreement-agree');
    expect(cell('perpetrator', 'AFG')).toContain('Pakistan Air Force');
    expect(cell('perpetrator', 'PAK')).toContain('not stated');

    // Fields nobody speaks to are left out; each side's own words are kept, in full.
    expect(table().querySelector('tr[data-field="civilian_fatalities"]')).toBeNull();
    expect(text(table())).toContain('Islamabad has not formally claimed the strikes');
    expect(text(screen.getByTestId('versions-summary'))).toContain('They differ on: Target category.');
  });

  it('shows a denial as a denial, and fatality figures with their range across claims', () => {
    show(contestFromClaims('INC-20251017-MIR-ALI', claimsOf('INC-20251017-MIR-ALI'), isParty));
    // Islamabad names the Hafiz Gul Bahadur group; Kabul denies its forces were involved.
    expect(row('perpetrator').className).toContain('agreement-differ');
    expect(cell('perpetrator', 'PAK')).toContain('Hafiz Gul Bahadur group');
    expect(cell('perpetrator', 'AFG')).toMatch(/denies involvement of\s*Afghan forces/);
    expect(text(row('fatalities'))).toContain('range 7–7');
    // Facilitation: only Pakistan alleges it — one voice, not an agreement.
    expect(text(row('facilitated_by'))).toContain('One voice');
  });

  it('renders the server contest answer (src/domain/contest.ts) the same way as the one computed here', () => {
    const claims = claimsOf('INC-20251017-BARMAL');
    const fromServer = domainContest('INC-20251017-BARMAL', claims, isParty) as unknown as Contest;
    show(fromServer);
    const serverText = text(table());
    cleanup();
    show(contestFromClaims('INC-20251017-BARMAL', claims, isParty));
    expect(text(table())).toBe(serverText);
    expect(cell('target_category', 'AFG')).toContain('civilians');
    expect(cell('target_category', 'PAK')).toContain('militants');
  });

  it('says so when there are no claims yet', () => {
    show({ incident: 'X', groups: [], fields: [] });
    expect(screen.getByText('No claims about this incident yet.')).toBeTruthy();
  });
});
