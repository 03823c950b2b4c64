import { z } from 'zod';
import {
  accessDenialCounts,
  addOpinion,
  addRemedy,
  AllegationQuery,
  fileAllegation,
  getAllegation,
  inbox,
  issueFinding,
  listAllegations,
  openTask,
  recordAccessDenial,
  recordRemedyProgress,
  recordTaskOutcome,
  replyToAllegation,
} from '../../app/allegations.js';
import { AccessDenialInput, AllegationInput, FindingInput, OpinionInput, RemedyInput, RemedyProgressInput, ReplyInput, TaskInput, TaskOutcomeInput } from '../../domain/allegation.js';
import type { RouteDef } from '../route.js';
import { IdParams, pageOf, route } from '../route.js';

const Doc = z.record(z.string(), z.unknown());
const SubParams = z.strictObject({ id: z.string().min(1).max(128), sub: z.string().min(1).max(200) });

export const allegationRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/v1/allegations', summary: 'List allegations (deadlines enforced on read)', tag: 'allegations', access: 'public', query: AllegationQuery, response: pageOf(Doc), handler: ({ app, principal, query }) => listAllegations(app, principal, query) }),
  route({ method: 'GET', url: '/api/v1/allegations/:id', summary: 'One allegation with its reply, tasks, denials, finding, opinions, remedies and history', tag: 'allegations', access: 'public', params: IdParams, response: Doc, handler: ({ app, principal, params }) => getAllegation(app, principal, params.id) }),
  route({ method: 'POST', url: '/api/v1/allegations', summary: 'File an allegation against another party under an agreement', tag: 'allegations', access: 'allegation.file', body: AllegationInput, response: Doc, status: 201, handler: ({ app, principal, body }) => fileAllegation(app, principal, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/reply', summary: "The accused party's reply, before the deadline", tag: 'allegations', access: 'allegation.reply', params: IdParams, body: ReplyInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => replyToAllegation(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/tasks', summary: 'Open a verification task (mediator)', tag: 'allegations', access: 'allegation.review', params: IdParams, body: TaskInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => openTask(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/tasks/:sub/outcome', summary: "Record a verification task's outcome (mediator)", tag: 'allegations', access: 'allegation.review', params: SubParams, body: TaskOutcomeInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => recordTaskOutcome(app, principal, params.id, params.sub, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/access-denials', summary: 'Record that a party refused verifiers access (mediator)', tag: 'allegations', access: 'allegation.review', params: IdParams, body: AccessDenialInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => recordAccessDenial(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/finding', summary: 'Issue the finding (mediator; once)', tag: 'allegations', access: 'allegation.review', params: IdParams, body: FindingInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => issueFinding(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/opinions', summary: "A party's opinion on the finding", tag: 'allegations', access: 'allegation.opinion', params: IdParams, body: OpinionInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => addOpinion(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/remedies', summary: 'Record a remedy or penalty for a substantiated violation (mediator)', tag: 'allegations', access: 'allegation.review', params: IdParams, body: RemedyInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => addRemedy(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/allegations/:id/remedies/:sub/progress', summary: "Track a remedy's progress (mediator)", tag: 'allegations', access: 'allegation.review', params: SubParams, body: RemedyProgressInput, response: Doc, status: 201, handler: ({ app, principal, params, body }) => recordRemedyProgress(app, principal, params.id, params.sub, body) }),
  route({ method: 'GET', url: '/api/v1/access-denials', summary: 'Access denials counted per party', tag: 'allegations', access: 'public', response: z.object({ items: z.array(z.object({ party: z.string(), denials: z.number() })) }), handler: async ({ app, principal }) => ({ items: await accessDenialCounts(app, principal) }) }),
  route({ method: 'GET', url: '/api/v1/inbox', summary: "Notifications for the caller's party: allegations filed, replies due, findings", tag: 'allegations', access: 'user', response: z.object({ items: z.array(Doc) }), handler: async ({ app, principal }) => ({ items: await inbox(app, principal) }) }),
];
