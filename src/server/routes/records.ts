import { z } from 'zod';
import {
  amendAgreement,
  createActor,
  createAgreement,
  createClaim,
  createDesignation,
  createIncident,
  createParty,
  createRelation,
  createSource,
} from '../../app/records.js';
import { ActorInput, RelationInput } from '../../domain/actor.js';
import { AgreementInput, AmendmentInput } from '../../domain/agreement.js';
import { ClaimInput } from '../../domain/claim.js';
import { Alpha3 } from '../../domain/common.js';
import { DesignationInput } from '../../domain/designation.js';
import type { ContestClaim } from '../../domain/contest.js';
import { contest } from '../../domain/contest.js';
import { IncidentInput } from '../../domain/incident.js';
import { PartyInput } from '../../domain/party.js';
import { SourceInput } from '../../domain/source.js';
import { EVENT_TYPES } from '../../domain/taxonomy.js';
import { UtcInstant } from '../../domain/common.js';
import { notFound } from '../../domain/errors.js';
import type { RouteDef } from '../route.js';
import { IdParams, PageQuery, pageOf, route } from '../route.js';

const Doc = z.record(z.string(), z.unknown());

const IncidentQuery = PageQuery.extend({
  q: z.string().max(500).optional(),
  from: UtcInstant.optional(),
  to: UtcInstant.optional(),
  country: Alpha3.optional(),
  admin1: z.string().max(200).optional(),
  event_type: z.enum(EVENT_TYPES as [string, ...string[]]).optional(),
  actor: z.string().max(128).optional(),
});

/** list + get for a plain record table. */
function listAndGet(path: string, table: 'parties' | 'actors' | 'sources' | 'agreements' | 'designations' | 'relations', tag: string, noun: string): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: `/api/v1/${path}`,
      summary: `List ${path}`,
      tag,
      access: 'public',
      query: PageQuery,
      response: pageOf(Doc),
      handler: ({ app, principal, query }) => app.list(principal, table, query.limit, query.cursor),
    }),
    route({
      method: 'GET',
      url: `/api/v1/${path}/:id`,
      summary: `Get one ${noun}`,
      tag,
      access: 'public',
      params: IdParams,
      response: Doc,
      handler: ({ app, principal, params }) => app.get(principal, table, params.id),
    }),
  ];
}

export const recordRoutes: RouteDef[] = [
  ...listAndGet('parties', 'parties', 'parties', 'party'),
  route({ method: 'POST', url: '/api/v1/parties', summary: 'Create a party', tag: 'parties', access: 'party.create', body: PartyInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createParty(app, principal, body) }),

  ...listAndGet('actors', 'actors', 'actors', 'actor'),
  route({ method: 'POST', url: '/api/v1/actors', summary: 'Create an armed actor', tag: 'actors', access: 'actor.create', body: ActorInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createActor(app, principal, body) }),
  route({
    method: 'GET',
    url: '/api/v1/actors/:id/relations',
    summary: "List an actor's relations, each a claim with its basis",
    tag: 'actors',
    access: 'public',
    params: IdParams,
    query: PageQuery,
    response: pageOf(Doc),
    handler: async ({ app, principal, params, query }) => {
      await app.get(principal, 'actors', params.id);
      return app.list(principal, 'relations', query.limit, query.cursor, { actor_id: params.id });
    },
  }),
  route({ method: 'POST', url: '/api/v1/actors/:id/relations', summary: 'Record a relation of an actor (a claim by a party or a source)', tag: 'actors', access: 'relation.create', params: IdParams, body: RelationInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => createRelation(app, principal, params.id, body) }),

  ...listAndGet('sources', 'sources', 'sources', 'source'),
  route({ method: 'POST', url: '/api/v1/sources', summary: 'Add a source', tag: 'sources', access: 'source.create', body: SourceInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createSource(app, principal, body) }),

  route({
    method: 'GET',
    url: '/api/v1/incidents',
    summary: 'List incidents, newest first, with filters',
    tag: 'incidents',
    access: 'public',
    query: IncidentQuery,
    response: pageOf(Doc),
    handler: ({ app, principal, query }) => {
      const { limit, cursor, ...filter } = query;
      return app.listIncidents(principal, filter, limit, cursor);
    },
  }),
  route({ method: 'GET', url: '/api/v1/incidents/:id', summary: 'Get one incident', tag: 'incidents', access: 'public', params: IdParams, response: Doc, handler: ({ app, principal, params }) => app.get(principal, 'incidents', params.id) }),
  route({ method: 'POST', url: '/api/v1/incidents', summary: 'File an incident', tag: 'incidents', access: 'incident.create', body: IncidentInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createIncident(app, principal, body) }),
  route({
    method: 'GET',
    url: '/api/v1/incidents/:id/claims',
    summary: "List the claims about an incident, side by side",
    tag: 'claims',
    access: 'public',
    params: IdParams,
    query: PageQuery,
    response: pageOf(Doc),
    handler: async ({ app, principal, params, query }) => {
      await app.get(principal, 'incidents', params.id);
      return app.list(principal, 'claims', query.limit, query.cursor, { incident_id: params.id });
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/incidents/:id/claims/:claim',
    summary: 'Get one claim about an incident',
    tag: 'claims',
    access: 'public',
    params: z.strictObject({ id: z.string().min(1).max(128), claim: z.string().min(1).max(128) }),
    response: Doc,
    handler: async ({ app, principal, params }) => {
      const claim = (await app.get(principal, 'claims', params.claim)) as { incident?: string };
      if (claim.incident !== params.id) throw notFound('claim', `${params.id}/${params.claim}`);
      return claim;
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/incidents/:id/claims',
    summary: 'File a claim about an incident',
    tag: 'claims',
    access: 'claim.create',
    params: IdParams,
    body: ClaimInput.omit({ incident: true }).extend({ incident: z.string().optional() }),
    response: Doc,
    status: 201,
    handler: ({ app, principal, params, body }) => createClaim(app, principal, params.id, body),
  }),

  route({
    method: 'GET',
    url: '/api/v1/incidents/:id/contest',
    summary: 'The claims about an incident grouped by party and source, and field by field whether they agree, differ or are silent',
    tag: 'claims',
    access: 'public',
    params: IdParams,
    response: Doc,
    handler: async ({ app, principal, params }) => {
      await app.get(principal, 'incidents', params.id);
      const claims = (await app.list(principal, 'claims', 500, undefined, { incident_id: params.id })).items as ContestClaim[];
      const parties = new Set((await app.list(principal, 'parties', 500)).items.map((p) => (p as { id: string }).id));
      return contest(params.id, claims, (id) => parties.has(id));
    },
  }),
  ...listAndGet('agreements', 'agreements', 'agreements', 'agreement'),
  route({ method: 'POST', url: '/api/v1/agreements', summary: 'Record an agreement', tag: 'agreements', access: 'agreement.create', body: AgreementInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createAgreement(app, principal, body) }),
  route({
    method: 'POST',
    url: '/api/v1/agreements/:id/amendments',
    summary: 'Extend or terminate an agreement',
    tag: 'agreements',
    access: 'agreement.amend',
    params: IdParams,
    body: AmendmentInput,
    response: Doc,
    status: 201,
    handler: ({ app, principal, params, body }) => amendAgreement(app, principal, params.id, body),
  }),

  ...listAndGet('designations', 'designations', 'designations', 'designation'),
  route({ method: 'POST', url: '/api/v1/designations', summary: "State a party's position on an armed actor", tag: 'designations', access: 'designation.create', body: DesignationInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createDesignation(app, principal, body) }),
];
