import { z } from 'zod';
import {
  adoptProposal,
  agreedListFor,
  createProposal,
  getProposal,
  importReferences,
  linkSameAs,
  listProposals,
  listReferences,
  listSameAs,
  nameCandidates,
  respondToProposal,
  stixBundle,
  threatMatrix,
  threatMatrixHistory,
  undoSameAs,
} from '../../app/threat.js';
import { Id, UtcInstant } from '../../domain/common.js';
import { AdoptInput, ProposalInput, ReferenceFile, ResponseInput, SameAsInput, UndoInput } from '../../domain/threat/index.js';
import type { RouteDef } from '../route.js';
import { IdParams, route } from '../route.js';

const Doc = z.record(z.string(), z.unknown());
const Items = z.object({ items: z.array(Doc) });

/**
 * The joint threat definition (issue 6). Each write names its action in src/domain/policy.ts; the
 * use case checks it (with the party it acts for), as in every module, so the CLI gets the same check.
 */
export const threatRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/threat-matrix',
    summary: "The joint view: each party's current position on each armed actor, reference listings, and the derived status (agreed, contested, unknown)",
    tag: 'threat',
    access: 'public',
    response: Doc,
    handler: ({ app }) => threatMatrix(app),
  }),
  route({ method: 'GET', url: '/api/v1/threat-matrix/history', summary: 'How the threat matrix changed over time: each statement that changed an actor’s status', tag: 'threat', access: 'public', response: Doc, handler: ({ app }) => threatMatrixHistory(app) }),
  route({
    method: 'GET',
    url: '/api/v1/threat/name-candidates',
    summary: 'Actors whose names match a name (case, diacritics, transliteration and Arabic-script variants folded), with scores; never a merge',
    tag: 'threat',
    access: 'public',
    query: z.strictObject({ q: z.string().min(1).max(300) }),
    response: Doc,
    handler: ({ app, query }) => nameCandidates(app, query.q),
  }),
  route({ method: 'GET', url: '/api/v1/threat/same-as', summary: 'Same-as links between actor records, active and undone', tag: 'threat', access: 'public', response: Items, handler: ({ app }) => listSameAs(app) }),
  route({ method: 'POST', url: '/api/v1/threat/same-as', summary: 'Record that two actor records name the same group (reversible; mediators and analysts)', tag: 'threat', access: 'same_as.link', body: SameAsInput, response: Doc, status: 201, handler: ({ app, principal, body }) => linkSameAs(app, principal, body) }),
  route({ method: 'POST', url: '/api/v1/threat/same-as/:id/undo', summary: 'Undo a same-as link (a new statement; the link stays in the history)', tag: 'threat', access: 'same_as.link', params: IdParams, body: UndoInput, response: Doc, handler: ({ app, principal, params, body }) => undoSameAs(app, principal, params.id, body) }),
  route({ method: 'GET', url: '/api/v1/threat/references', summary: 'Reference designations by third parties (UN Security Council and national lists)', tag: 'threat', access: 'public', query: z.strictObject({ actor: Id.optional() }), response: Items, handler: ({ app, query }) => listReferences(app, query.actor) }),
  route({ method: 'POST', url: '/api/v1/threat/references', summary: 'Import reference designations (mediators and admins); identical re-imports are no-ops', tag: 'threat', access: 'designation.reference', body: ReferenceFile, response: Doc, status: 201, handler: ({ app, principal, body }) => importReferences(app, principal, body) }),
  route({ method: 'GET', url: '/api/v1/threat/proposals', summary: 'Joint-definition proposals with their derived state and agreed list', tag: 'threat', access: 'public', response: Items, handler: ({ app }) => listProposals(app) }),
  route({ method: 'GET', url: '/api/v1/threat/proposals/:id', summary: 'One joint-definition proposal, item by item', tag: 'threat', access: 'public', params: IdParams, response: Doc, handler: ({ app, params }) => getProposal(app, params.id) }),
  route({ method: 'POST', url: '/api/v1/threat/proposals', summary: 'Propose a joint definition: actors for collective action with criteria (mediators and admins)', tag: 'threat', access: 'threat.propose', body: ProposalInput, response: Doc, status: 201, handler: ({ app, principal, body }) => createProposal(app, principal, body) }),
  route({
    method: 'POST',
    url: '/api/v1/threat/proposals/:id/responses',
    summary: "Accept or reject items of a proposal, each with a reason (a party's delegates)",
    tag: 'threat',
    access: 'threat.respond',
    params: IdParams,
    body: ResponseInput.extend({ by: Id.optional() }),
    response: Doc,
    status: 201,
    handler: ({ app, principal, params, body }) => respondToProposal(app, principal, params.id, body),
  }),
  route({ method: 'POST', url: '/api/v1/threat/proposals/:id/adopt', summary: "Adopt a proposal's agreed list as an annex to an agreement (mediators)", tag: 'threat', access: 'threat.adopt', params: IdParams, body: AdoptInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => adoptProposal(app, principal, params.id, body) }),
  route({
    method: 'GET',
    url: '/api/v1/threat/agreed-list/:id',
    summary: 'The agreed list adopted into an agreement as it stood at `at` (default now), with every version: the actors a no_support obligation names as "any actor on the agreed list"',
    tag: 'threat',
    access: 'public',
    params: IdParams,
    query: z.strictObject({ at: UtcInstant.optional() }),
    response: Doc,
    handler: ({ app, params, query }) => agreedListFor(app, params.id, query.at),
  }),
  route({
    method: 'GET',
    url: '/api/v1/export/stix',
    summary: 'STIX 2.1 bundle: identities, intrusion sets with aliases, opinions for positions, relationships, reports, locations and sightings (deterministic ids)',
    tag: 'threat',
    access: 'public',
    response: Doc,
    handler: async ({ app, principal, reply }) => {
      void reply.header('content-type', 'application/stix+json;version=2.1');
      return stixBundle(app, principal);
    },
  }),
];
