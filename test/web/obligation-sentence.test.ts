// @vitest-environment jsdom
// An obligation in words: a no_support obligation names the party attacked, the agreed list, or both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import type { ComponentType } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Obligation } from '../../web/src/api/types.js';
import { REPO_ROOT } from '../support/env.js';
import type { ContextModule, I18nModule } from './load.js';
import { loadWeb } from './load.js';

const scenario = JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'scenarios', 'af-pk-2025.json'), 'utf8')) as { parties: { id: string; name: string; kind: string }[] };

let ObligationSentence: ComponentType<{ o: Obligation }>;
let ctx: ContextModule;
let i18n: I18nModule;

beforeAll(async () => {
  i18n = await loadWeb<I18nModule>('i18n/index.ts');
  i18n.initI18n();
  ({ ObligationSentence } = await loadWeb<{ ObligationSentence: typeof ObligationSentence }>('pages/Agreements.tsx'));
  ctx = await loadWeb<ContextModule>('app/context.tsx');
});
afterEach(cleanup);

const say = (o: Obligation): string => {
  const directory = { parties: new Map(scenario.parties.map((p) => [p.id, p])), actors: new Map(), sources: new Map(), agreements: new Map() };
  const { container } = render(createElement(ctx.StaticDirectory, { value: directory }, createElement(ObligationSentence, { o })));
  return container.textContent ?? '';
};

describe('no_support in words', () => {
  it('names the party attacked, the agreed list, or both', () => {
    const pak = scenario.parties.find((p) => p.id === 'PAK')!.name;
    const afg = scenario.parties.find((p) => p.id === 'AFG')!.name;
    const byParty = say({ id: 'O1', type: 'no_support', bearer: 'AFG', against: 'PAK' });
    expect(byParty).toContain(afg);
    expect(byParty).toContain(`attacking ${pak}`);
    expect(byParty).not.toContain('agreed list');
    const listed = say({ id: 'O2', type: 'no_support', bearer: 'AFG', actors: 'agreed_list' });
    expect(listed).toContain('agreed list');
    expect(listed).not.toContain('attacking');
    const both = say({ id: 'O3', type: 'no_support', bearer: 'AFG', against: 'PAK', actors: 'agreed_list' });
    expect(both).toContain(`attacking ${pak}`);
    expect(both).toContain('agreed list');
  });

  it('says the list form in Urdu, Pashto and Dari too', () => {
    const listed = { id: 'O2', type: 'no_support', bearer: 'AFG', actors: 'agreed_list' } as const;
    const words = { ur: 'متفقہ فہرست', ps: 'موافقه شوي لېست', 'fa-AF': 'فهرست توافق‌شده' } as const;
    try {
      for (const [lang, phrase] of Object.entries(words)) {
        i18n.changeLanguage(lang as keyof typeof words);
        expect(say(listed), lang).toContain(phrase);
        cleanup();
      }
    } finally {
      i18n.changeLanguage('en');
    }
  });
});
