import { MizanError } from './errors.js';
import type { Principal, Role } from './principal.js';

/**
 * DESIGN.md "Who may do what", in one place. Use cases call `authorize` with who is acting and
 * the facts the rule depends on; the authorization matrix test is generated from the same table.
 */
export type Action =
  | 'party.create'
  | 'party.key.manage'
  | 'actor.create'
  | 'source.create'
  | 'incident.create'
  | 'claim.create'
  | 'relation.create'
  | 'designation.create'
  | 'agreement.create'
  | 'agreement.amend'
  | 'import'
  | 'scenario.load'
  | 'user.manage'
  | 'audit.read'
  | 'allegation.file'
  | 'allegation.reply'
  | 'allegation.review'
  | 'allegation.opinion'
  | 'threat.propose'
  | 'threat.respond'
  | 'threat.adopt'
  | 'same_as.link'
  | 'designation.reference'
  | 'monitor.register'
  | 'monitor.read'
  | 'monitor.erase'
  | 'monitor.message'
  | 'report.submit'
  | 'report.read'
  | 'report.publish'
  | 'link.read'
  | 'link.confirm'
  | 'extract'
  | 'evidence.upload'
  | 'evidence.read'
  | 'party.webhook.manage'
  | 'submission.sign';

/** Facts a rule may need: for whom the caller acts, and what the statement claims. */
export interface ActionFacts {
  /** The party or source a statement is made by (`by`). */
  readonly by?: string;
  /** Whether `by` names a source rather than a party. */
  readonly byIsSource?: boolean;
  readonly basis?: string;
  /** The mediators an agreement names (empty: any mediator may act). */
  readonly mediators?: readonly string[];
}

type Rule = (p: Extract<Principal, { kind: 'user' }>, f: ActionFacts) => boolean | string;

const ownParty: Rule = (p, f) => (f.by !== undefined && f.by === p.party) || `a delegate acts only for its own party (${p.party ?? 'none'})`;

/** Each rule returns true, or the reason it refuses. Roles not listed are refused. */
export const POLICY: Record<Action, Partial<Record<Role, Rule>>> = {
  'party.create': { admin: () => true },
  'party.key.manage': { admin: () => true },
  'actor.create': { admin: () => true, mediator: () => true, analyst: () => true },
  'source.create': { analyst: () => true, mediator: () => true, admin: () => true },
  'incident.create': { delegate: () => true },
  'claim.create': {
    delegate: (p, f) => (f.basis === 'verified' ? 'only a mediator files verified claims' : ownParty(p, f)),
    mediator: (p, f) => (f.basis === 'verified' ? f.by === p.party || 'a mediator verifies as its own party' : (f.byIsSource === true && f.basis === 'reported') || 'a mediator files reported claims by a source, or verified claims as itself'),
    analyst: (_p, f) => (f.byIsSource === true && f.basis === 'reported') || 'an analyst files only claims reported by a source',
    admin: (_p, f) => (f.byIsSource === true && f.basis === 'reported') || 'an admin files only claims reported by a source',
  },
  'relation.create': {
    delegate: (p, f) => ownParty(p, f),
    mediator: (_p, f) => f.byIsSource === true || 'relations are stated by a party for itself, or recorded from a source',
    analyst: (_p, f) => f.byIsSource === true || 'an analyst records relations only from a source',
  },
  'designation.create': { delegate: (p, f) => ownParty(p, f) },
  'agreement.create': { mediator: () => true },
  'agreement.amend': { mediator: () => true },
  import: { analyst: () => true, mediator: () => true, admin: () => true },
  'scenario.load': { admin: () => true },
  'user.manage': { admin: () => true },
  'audit.read': { admin: () => true, mediator: () => true },
  'allegation.file': { delegate: (p, f) => ownParty(p, f) },
  // `by` is the accused party here: only its delegates answer.
  'allegation.reply': { delegate: (p, f) => (f.by !== undefined && f.by === p.party) || 'only the accused party replies to an allegation' },
  'allegation.review': {
    mediator: (p, f) => !f.mediators || f.mediators.length === 0 || (p.party !== null && f.mediators.includes(p.party)) || `only this agreement's mediators (${f.mediators.join(', ')}) review its allegations`,
  },
  'allegation.opinion': { delegate: (p, f) => ownParty(p, f) },
  'threat.propose': { mediator: () => true, admin: () => true },
  'threat.respond': { delegate: (p, f) => ownParty(p, f) },
  'threat.adopt': { mediator: () => true },
  'same_as.link': { mediator: () => true, analyst: () => true },
  'designation.reference': { mediator: () => true, admin: () => true },
  // Monitor identities and phone numbers: mediators only, never admins (a reprisal risk).
  'monitor.register': { mediator: () => true },
  'monitor.read': { mediator: () => true },
  'monitor.erase': { mediator: () => true },
  'monitor.message': { mediator: () => true },
  'report.submit': { monitor: () => true },
  // Which reports each role then sees is decided by scope.
  'report.read': { mediator: () => true, delegate: () => true, admin: () => true, monitor: () => true },
  'report.publish': { mediator: () => true },
  'link.read': { analyst: () => true, mediator: () => true },
  'link.confirm': { analyst: () => true, mediator: () => true },
  extract: { analyst: () => true, mediator: () => true, admin: () => true },
  // Whoever may file, answer or review allegations may attach files; files are party-level
  // material (photos, witness statements), so analysts neither add nor read them. A monitor
  // attaches photos to its own reports but reads no one's files; what it uploads is readable by
  // mediators only (src/app/evidence.ts), since a photo can place the monitor.
  'evidence.upload': { delegate: () => true, mediator: () => true, admin: () => true, monitor: () => true },
  'evidence.read': { delegate: () => true, mediator: () => true, admin: () => true },
  // A party's webhook receives that party's notifications: its own delegates or an admin set it.
  'party.webhook.manage': { admin: () => true, delegate: (p, f) => ownParty(p, f) },
  // A statement signed with a party's key is made by that party's delegation, through its own account.
  'submission.sign': { delegate: (p, f) => ownParty(p, f) },
};

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN with the rule's reason otherwise. */
export function authorize(p: Principal, action: Action, facts: ActionFacts = {}): void {
  if (p.kind === 'system') return;
  if (p.kind === 'anonymous') throw new MizanError('UNAUTHENTICATED', 'sign in first: this action needs an account');
  const rule = POLICY[action][p.role];
  if (!rule) throw new MizanError('FORBIDDEN', `the ${p.role} role may not ${action.replace('.', ' ')}`);
  const verdict = rule(p, facts);
  if (verdict !== true) throw new MizanError('FORBIDDEN', typeof verdict === 'string' ? verdict : `not allowed: ${action}`);
}

/**
 * Who may know which monitor stands behind a report or a file: mediators (and the operator's own
 * processes). An elder's identity in the wrong hands is a reprisal risk, so not even admins.
 */
export function seesMonitorIdentities(p: Principal): boolean {
  return p.kind === 'system' || (p.kind === 'user' && p.role === 'mediator');
}

/**
 * Who counts monitors' unpublished reports (as peace indicators, say): everyone who may read reports
 * except monitors, who read only their own. Others see published reports, which are public incidents.
 */
export function readsUnpublishedReports(p: Principal): boolean {
  return isAllowed(p, 'report.read') && !(p.kind === 'user' && p.role === 'monitor');
}

export function isAllowed(p: Principal, action: Action, facts: ActionFacts = {}): boolean {
  try {
    authorize(p, action, facts);
    return true;
  } catch {
    return false;
  }
}
