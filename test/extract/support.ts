import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGeo } from '../../src/geo/index.js';
import { actorEntries, agreementEntries, createExtractor, placeEntries, type Extractor } from '../../src/intake/extract/index.js';
import { REPO_ROOT } from '../support/env.js';

export const scenario = JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'scenarios', 'af-pk-2025.json'), 'utf8')) as {
  parties: unknown[];
  actors: unknown[];
  agreements: unknown[];
  incidents: unknown[];
};

let cached: Extractor | null = null;
/** The extractor over the built-in scenario's actors and agreements and the real gazetteer. */
export function extractor(): Extractor {
  return (cached ??= createExtractor({
    actors: actorEntries(scenario.parties, scenario.actors),
    agreements: agreementEntries(scenario.agreements),
    places: placeEntries(loadGeo().places()),
  }));
}
