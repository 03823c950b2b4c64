import { z } from 'zod';
import { authorizeExtract, extractForCaller, ExtractRequest } from '../../app/extract.js';
import { IngestRequest, ingestExtraction, LinkRunRequest, runLinkerFor } from '../../app/ingest.js';
import { loadGeo } from '../../geo/index.js';
import { placeEntries, type PlaceEntry } from '../../intake/extract/index.js';
import type { RouteDef } from '../route.js';
import { route } from '../route.js';

let places: readonly PlaceEntry[] | null = null;
const gazetteer = (): readonly PlaceEntry[] => (places ??= placeEntries(loadGeo().places()));

const Doc = z.record(z.string(), z.unknown());

/** POST /api/v1/extract (issue 9): candidates for review, with link suggestions. Writes nothing. */
export const extractRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/extract',
    summary: 'Extract candidate incidents and agreements from text, with link suggestions (nothing is recorded)',
    tag: 'intake',
    access: 'extract',
    body: ExtractRequest,
    response: z.object({ incidents: z.array(Doc), agreements: z.array(Doc), links: z.array(Doc) }),
    handler: async ({ app, principal, body }) => {
      authorizeExtract(principal); // before parsing: a forbidden caller learns nothing about the body
      return extractForCaller(app, principal, body, gazetteer());
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/extract/ingest',
    summary: 'Record a source and one report per incident candidate (with its claims), then link them to incidents; mediator-only by default',
    tag: 'intake',
    access: 'import',
    body: IngestRequest,
    response: z.object({ source: z.string(), reports: z.array(Doc), links: z.array(Doc) }),
    status: 201,
    handler: ({ app, principal, body }) => ingestExtraction(app, principal, body, gazetteer()),
  }),
  route({
    method: 'POST',
    url: '/api/v1/extract/link',
    summary: 'Run the matcher over extracted reports with no live link (dry_run: decide without writing)',
    tag: 'intake',
    access: 'link.confirm',
    body: LinkRunRequest,
    response: z.object({ items: z.array(Doc) }),
    handler: async ({ app, principal, body }) => ({ items: await runLinkerFor(app, principal, body) }),
  }),
];
