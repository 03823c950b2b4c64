import { z } from 'zod';
import { describePoint } from '../../geo/crossings.js';
import { loadGeo } from '../../geo/index.js';
import { MizanError } from '../../domain/errors.js';
import type { RouteDef } from '../route.js';
import { route } from '../route.js';

const Place = z.object({ name: z.string(), country: z.string().nullable(), admin1: z.string().nullable(), admin2: z.string().nullable(), lat: z.number(), lon: z.number(), kind: z.string(), score: z.number() }).passthrough();

export const placeRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/places',
    summary: 'Look up a place name (any spelling or script); ambiguity is reported, never resolved silently',
    tag: 'places',
    access: 'public',
    query: z.strictObject({ q: z.string().min(1).max(200), country: z.enum(['AFG', 'PAK']).optional(), limit: z.coerce.number().int().min(1).max(50).default(10) }),
    response: z.object({ items: z.array(Place), ambiguous: z.boolean() }),
    handler: async ({ query }) => {
      const r = loadGeo().lookup(query.q, { ...(query.country ? { country: query.country } : {}), limit: query.limit });
      return { items: r.items, ambiguous: r.ambiguous };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/places/point',
    summary: 'Which country, province and district a point is in, its side of the Afghanistan–Pakistan border (Durand Line), its distance to it and the nearest crossing',
    tag: 'places',
    access: 'public',
    query: z.strictObject({ lat: z.coerce.number().min(-90).max(90), lon: z.coerce.number().min(-180).max(180) }),
    response: z.record(z.string(), z.unknown()),
    handler: async ({ query }) => {
      try {
        return describePoint(loadGeo(), query.lat, query.lon);
      } catch (e) {
        throw new MizanError('VALIDATION_FAILED', e instanceof Error ? e.message : 'invalid coordinates');
      }
    },
  }),
];
