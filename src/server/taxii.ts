import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Mizan } from '../app/mizan.js';
import { stixObjects } from '../app/threat.js';
import { MizanError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { StixObject } from '../domain/threat/index.js';
import { uuidv5 } from '../domain/threat/index.js';
import { parseOrThrow } from '../domain/validation.js';
import { visibleLevels } from '../store/scope.js';
import { authenticator } from './auth.js';
import { HTTP_STATUS, toMizanError } from './errors.js';

/**
 * TAXII 2.1 read-only server (OASIS TAXII Version 2.1, https://docs.oasis-open.org/cti/taxii/v2.1/taxii-v2.1.html):
 * discovery (§4.1), API root (§4.2), collections (§5.1–5.2), objects (§5.3–5.4) and manifest (§5.6),
 * behind the same authentication and visibility scopes as /api/v1.
 */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const TAXII_ROOT = '/taxii2/';
export const TAXII_API_ROOT = '/taxii2/api/';
export const THREAT_COLLECTION_ID = uuidv5('taxii-collection:threat');
const MAX_PAGE = 500;

const ObjectsQuery = z
  .object({
    added_after: z.string().datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
    next: z.string().max(200).optional(),
    'match[id]': z.string().max(5000).optional(),
    'match[type]': z.string().max(1000).optional(),
    'match[version]': z.string().max(200).optional(),
    'match[spec_version]': z.string().max(50).optional(),
  })
  .strict();

/** TAXII §3.6.1 error message body. */
function taxiiError(reply: FastifyReply, status: number, title: string, description?: string) {
  return reply
    .status(status)
    .header('content-type', TAXII_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify({ title, ...(description ? { description } : {}), http_status: String(status) })));
}

/** TAXII §1.6.8: a client names the media type; we accept ours, the bare TAXII type, JSON and wildcards. */
function acceptable(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const t = part.trim().toLowerCase().replace(/\s+/g, '');
    return t.startsWith('application/taxii+json') || t.startsWith('*/*') || t.startsWith('application/*') || t.startsWith('application/json');
  });
}

interface Entry {
  readonly object: StixObject;
  readonly dateAdded: string;
}

function sortEntries(objects: readonly StixObject[]): Entry[] {
  return objects.map((o) => ({ object: o, dateAdded: o.modified })).sort((a, b) => (a.dateAdded < b.dateAdded ? -1 : a.dateAdded > b.dateAdded ? 1 : a.object.id < b.object.id ? -1 : 1));
}

/** `next` is opaque to clients; inside it is the offset into the filtered, ordered list. */
function decodeNext(next: string | undefined): number {
  if (next === undefined) return 0;
  const n = Number.parseInt(Buffer.from(next, 'base64url').toString('utf8'), 10);
  // The token comes from the client: anything but a non-negative integer we issued is refused.
  if (!Number.isSafeInteger(n) || n < 0) throw new MizanError('VALIDATION_FAILED', 'next is not a token this server issued');
  return n;
}

function filterEntries(entries: Entry[], q: z.infer<typeof ObjectsQuery>): Entry[] {
  let out = entries;
  if (q.added_after) {
    const after = Date.parse(q.added_after);
    out = out.filter((e) => Date.parse(e.dateAdded) > after);
  }
  if (q['match[id]']) {
    const ids = new Set(q['match[id]'].split(','));
    out = out.filter((e) => ids.has(e.object.id));
  }
  if (q['match[type]']) {
    const types = new Set(q['match[type]'].split(','));
    out = out.filter((e) => types.has(e.object.type));
  }
  if (q['match[spec_version]']) {
    const versions = new Set(q['match[spec_version]'].split(','));
    if (!versions.has('2.1')) out = [];
  }
  return out;
}

function page(entries: Entry[], q: z.infer<typeof ObjectsQuery>) {
  const start = decodeNext(q.next);
  const limit = q.limit ?? MAX_PAGE;
  const slice = entries.slice(start, start + limit);
  const more = start + limit < entries.length;
  return { slice, more, next: more ? Buffer.from(String(start + limit)).toString('base64url') : undefined };
}

function collection() {
  return {
    id: THREAT_COLLECTION_ID,
    title: 'Mizan: joint threat definition and incidents',
    description: "Parties and mediators, armed actors with their aliases, each party's designations as opinions, reference listings, relations, incidents as reports with locations, and corroborations as sightings.",
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/** Register the TAXII 2.1 endpoints on a Fastify instance (add it to buildServer's `plugins`). */
export function taxiiPlugin(app: Mizan) {
  const authenticate = authenticator(app);
  return async (f: FastifyInstance) => {
    const principals = new WeakMap<FastifyRequest, Principal>();
    const opts = {
      onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
        try {
          principals.set(req, await authenticate(req, reply));
        } catch (e) {
          const err = toMizanError(e);
          return taxiiError(reply, HTTP_STATUS[err.code], err.code, err.message);
        }
        if (!acceptable(req.headers.accept)) return taxiiError(reply, 406, 'Not Acceptable', `this server answers with ${TAXII_MEDIA_TYPE}`);
        return undefined;
      },
    };
    const send = (reply: FastifyReply, body: unknown, headers: Record<string, string> = {}) => {
      for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
      // Serialised here so the media type goes out exactly as TAXII §1.6.8 writes it (a Buffer, so Fastify adds no charset and no quoting).
      return reply.header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body)));
    };
    const guard = (handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(req, reply);
      } catch (e) {
        const err = toMizanError(e);
        if (err.code === 'INTERNAL') req.log.error({ err: e }, 'taxii error');
        return taxiiError(reply, HTTP_STATUS[err.code], err.code, err.message);
      }
    };
    const principal = (req: FastifyRequest): Principal => principals.get(req) ?? { kind: 'anonymous' };
    const checkCollection = (id: string) => {
      if (id !== THREAT_COLLECTION_ID) throw new MizanError('NOT_FOUND', `no collection ${id}`);
    };

    f.get(TAXII_ROOT, opts, guard(async (_req, reply) =>
      send(reply, { title: 'Mizan TAXII 2.1', description: 'Read-only TAXII 2.1 server of the Mizan ceasefire record.', default: TAXII_API_ROOT, api_roots: [TAXII_API_ROOT] }),
    ));
    f.get(TAXII_API_ROOT, opts, guard(async (_req, reply) => send(reply, { title: 'Mizan', description: 'The joint threat definition and the incident record.', versions: [TAXII_MEDIA_TYPE], max_content_length: 10 * 1024 * 1024 })));
    f.get(`${TAXII_API_ROOT}collections/`, opts, guard(async (_req, reply) => send(reply, { collections: [collection()] })));
    f.get(`${TAXII_API_ROOT}collections/:collection/`, opts, guard(async (req, reply) => {
      checkCollection((req.params as { collection: string }).collection);
      return send(reply, collection());
    }));

    // The collection is rebuilt only when the log has grown: every write appends to the log, and
    // what a caller sees depends only on its visibility levels, so (levels, log size) names a version.
    const built = new Map<string, { size: number; entries: Entry[] }>();
    const collectionFor = async (p: Principal): Promise<Entry[]> => {
      const key = visibleLevels(p).join(',');
      const size = await app.log.size();
      const hit = built.get(key);
      if (hit && hit.size === size) return hit.entries;
      const entries = sortEntries(await stixObjects(app, p));
      built.set(key, { size, entries });
      return entries;
    };
    const objectsOf = async (req: FastifyRequest) => {
      checkCollection((req.params as { collection: string }).collection);
      const q = parseOrThrow(ObjectsQuery, req.query ?? {}, 'the query');
      const entries = filterEntries(await collectionFor(principal(req)), q);
      return { q, entries };
    };
    const rangeHeaders = (slice: Entry[]): Record<string, string> =>
      slice.length ? { 'X-TAXII-Date-Added-First': slice[0]!.dateAdded, 'X-TAXII-Date-Added-Last': slice[slice.length - 1]!.dateAdded } : {};

    f.get(`${TAXII_API_ROOT}collections/:collection/objects/`, opts, guard(async (req, reply) => {
      const { q, entries } = await objectsOf(req);
      const { slice, more, next } = page(entries, q);
      return send(reply, { more, ...(next ? { next } : {}), objects: slice.map((e) => e.object) }, rangeHeaders(slice));
    }));
    f.get(`${TAXII_API_ROOT}collections/:collection/objects/:id/`, opts, guard(async (req, reply) => {
      const { q, entries } = await objectsOf(req);
      const id = (req.params as { id: string }).id;
      const mine = entries.filter((e) => e.object.id === id);
      if (mine.length === 0) throw new MizanError('NOT_FOUND', `no object ${id} in this collection`);
      const { slice, more, next } = page(mine, q);
      return send(reply, { more, ...(next ? { next } : {}), objects: slice.map((e) => e.object) }, rangeHeaders(slice));
    }));
    f.get(`${TAXII_API_ROOT}collections/:collection/manifest/`, opts, guard(async (req, reply) => {
      const { q, entries } = await objectsOf(req);
      const { slice, more, next } = page(entries, q);
      return send(reply, { more, ...(next ? { next } : {}), objects: slice.map((e) => ({ id: e.object.id, date_added: e.dateAdded, version: e.object.modified, media_type: STIX_MEDIA_TYPE })) }, rangeHeaders(slice));
    }));
  };
}
