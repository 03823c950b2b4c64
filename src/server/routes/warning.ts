import { z } from 'zod';
import { capAlert, CAP_SENDER, warningView } from '../../app/warning.js';
import { storedAlertsFeed } from '../../app/warning-alerts.js';
import { UtcInstant } from '../../domain/common.js';
import { renderCapFeed } from '../../warning/index.js';
import type { RouteDef } from '../route.js';
import { IdParams, route } from '../route.js';

const WarningQuery = z.strictObject({
  as_of: UtcInstant.optional(),
  window_hours: z.coerce.number().min(1).max(24 * 60).optional(),
  chain_min_length: z.coerce.number().int().min(2).max(100).optional(),
  z_min: z.coerce.number().min(0).max(100).optional(),
});
type WarningQuery = z.infer<typeof WarningQuery>;

const Doc = z.record(z.string(), z.unknown());

const opts = (q: WarningQuery) => ({
  ...(q.as_of ? { asOf: q.as_of } : {}),
  ...(q.window_hours ? { windowHours: q.window_hours } : {}),
  thresholds: { ...(q.chain_min_length ? { chainMinLength: q.chain_min_length } : {}), ...(q.z_min !== undefined ? { zMin: q.z_min } : {}) },
});

// Every route reads only what the caller may see (scope-filtered in app/warning.ts), so all are `public`.
export const warningRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/warning',
    summary: 'Early warning as of an instant (default now): indicators, retaliation chains, the Hawkes model with its 7-day forecast per dyad, peace indicators and alerts',
    tag: 'warning',
    access: 'public',
    query: WarningQuery,
    response: Doc,
    handler: ({ app, principal, query }) => warningView(app, principal, opts(query)),
  }),
  route({
    method: 'GET',
    url: '/api/v1/warning/indicators',
    summary: 'Events and deaths per dyad and per district in the last 7 and 28 days, against the previous 6 months, with z-scores',
    tag: 'warning',
    access: 'public',
    query: WarningQuery,
    response: Doc,
    handler: async ({ app, principal, query }) => {
      const v = await warningView(app, principal, { ...opts(query), forecast: false });
      return { as_of: v.as_of, items: v.indicators };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/warning/chains',
    summary: 'Retaliation chains: A against B answered by B against A within the window (default 72 h), chained',
    tag: 'warning',
    access: 'public',
    query: WarningQuery,
    response: Doc,
    handler: async ({ app, principal, query }) => {
      const v = await warningView(app, principal, { ...opts(query), forecast: false });
      return { as_of: v.as_of, window_hours: v.window_hours, items: v.chains };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/warning/alerts',
    summary: 'Alerts from the rules on chains, indicators and the forecast, computed as of the instant (stored alerts: alerts.xml)',
    tag: 'warning',
    access: 'public',
    query: WarningQuery,
    response: Doc,
    handler: async ({ app, principal, query }) => {
      const v = await warningView(app, principal, opts(query));
      return { as_of: v.as_of, thresholds: v.thresholds, items: v.alerts };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/warning/cap',
    summary: 'The alerts as an Atom feed of CAP 1.2 documents',
    tag: 'warning',
    access: 'public',
    query: WarningQuery,
    handler: async ({ app, principal, query, reply }) => {
      const v = await warningView(app, principal, opts(query));
      const suffix = query.as_of ? `?as_of=${encodeURIComponent(query.as_of)}` : '';
      void reply.type('application/atom+xml; charset=utf-8');
      return renderCapFeed(v.alerts, {
        id: 'urn:mizan:warning:cap-feed',
        selfUrl: `/api/v1/warning/cap${suffix}`,
        alertUrl: (id) => `/api/v1/warning/cap/${encodeURIComponent(id)}${suffix}`,
        updated: v.as_of,
        sender: CAP_SENDER,
      });
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/warning/cap/:id',
    summary: 'One alert as a CAP 1.2 document',
    tag: 'warning',
    access: 'public',
    params: IdParams,
    query: WarningQuery,
    handler: async ({ app, principal, params, query, reply }) => {
      const xml = await capAlert(app, principal, params.id, opts(query));
      void reply.type('application/cap+xml; charset=utf-8');
      return xml;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/warning/alerts.xml',
    summary: 'Stored alerts (issued by `mizan warning run`) the caller may see, as an Atom feed with each CAP 1.2 document inline',
    tag: 'warning',
    access: 'public',
    handler: async ({ app, principal, reply }) => {
      const xml = await storedAlertsFeed(app, principal, '/api/v1/warning/alerts.xml');
      void reply.type('application/atom+xml; charset=utf-8');
      return xml;
    },
  }),
];
