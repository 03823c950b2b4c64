import { z } from 'zod';
import { Id, UtcInstant } from './common.js';
import { MizanError } from './errors.js';

/**
 * Allegations: filed by one party against another under an agreement, answered, examined and
 * decided by a mediator. The state is derived from the events; every event is one log entry.
 */
export const AllegationState = z.enum(['filed', 'awaiting_reply', 'replied', 'reply_overdue', 'under_review', 'finding']);
export type AllegationState = z.infer<typeof AllegationState>;
export const FindingOutcome = z.enum(['substantiated', 'not_substantiated', 'inconclusive', 'could_not_be_attributed']);
export const ReplyKind = z.enum(['deny', 'admit', 'partial', 'counter_allegation']);

const Evidence = z.array(z.string().min(1).max(2000)).max(100);

export const AllegationInput = z.strictObject({
  id: Id,
  agreement: Id,
  by: Id,
  against: Id,
  obligations: z.array(Id).max(20).optional(),
  incidents: z.array(Id).min(1, 'cite at least one incident').max(100),
  claims: z.array(Id).max(200).optional(),
  text: z.string().min(1).max(20_000),
  evidence: Evidence.optional(),
});
export type AllegationInput = z.infer<typeof AllegationInput>;

export const ReplyInput = z.strictObject({ kind: ReplyKind, text: z.string().min(1).max(20_000), evidence: Evidence.optional(), counter_allegation: Id.optional() });
export const TaskInput = z.strictObject({
  kind: z.enum(['site_visit', 'interviews', 'imagery', 'request_for_information']),
  assignees: z.array(z.string().min(1).max(200)).min(1).max(20),
  due: UtcInstant,
  party: Id.optional(),
  text: z.string().max(5000).optional(),
});
export const TaskOutcomeInput = z.strictObject({ outcome: z.string().min(1).max(20_000), evidence: Evidence.optional() });
export const AccessDenialInput = z.strictObject({ party: Id, at: UtcInstant, place: z.string().max(300).optional(), text: z.string().min(1).max(5000) });
export const FindingInput = z.strictObject({ outcome: FindingOutcome, reasoning: z.string().min(1).max(50_000), verified_claims: z.array(Id).max(200).optional() });
export const OpinionInput = z.strictObject({ position: z.enum(['agree', 'disagree']), text: z.string().max(20_000).optional() });
export const RemedyInput = z.strictObject({ text: z.string().min(1).max(20_000), due: UtcInstant.optional() });
export const RemedyProgressInput = z.strictObject({ status: z.enum(['agreed', 'in_progress', 'completed', 'not_carried_out']), text: z.string().max(5000).optional() });

export type AllegationEvent =
  | { readonly type: 'filed'; readonly deadline: string }
  | { readonly type: 'replied' }
  | { readonly type: 'reply_overdue' }
  | { readonly type: 'task_opened' }
  | { readonly type: 'finding' };

/** Which states an event may leave from, and where it goes. Anything else is refused. */
export function nextState(state: AllegationState, event: AllegationEvent['type']): AllegationState {
  switch (event) {
    case 'filed':
      if (state === 'filed') return 'awaiting_reply';
      break;
    case 'replied':
      if (state === 'awaiting_reply') return 'replied';
      if (state === 'reply_overdue') break;
      break;
    case 'reply_overdue':
      if (state === 'awaiting_reply') return 'reply_overdue';
      break;
    case 'task_opened':
      if (state === 'replied' || state === 'reply_overdue' || state === 'under_review') return 'under_review';
      // Verification may start before the reply is in; the reply clock keeps running.
      if (state === 'awaiting_reply') return 'awaiting_reply';
      break;
    case 'finding':
      if (state === 'replied' || state === 'reply_overdue' || state === 'under_review') return 'finding';
      break;
    default: {
      const never: never = event;
      return never;
    }
  }
  if (event === 'replied' && state === 'reply_overdue') throw new MizanError('ALLEGATION_REPLY_OVERDUE', 'the reply deadline has passed; the allegation is recorded as unanswered');
  if (event === 'finding' && state === 'finding') throw new MizanError('ILLEGAL_TRANSITION', 'a finding has already been issued; a correction is a new allegation or a remedy');
  if (event === 'finding' && state === 'awaiting_reply') throw new MizanError('ILLEGAL_TRANSITION', 'the accused party may still reply; issue the finding after the reply or the deadline');
  throw new MizanError('ILLEGAL_TRANSITION', `an allegation in state ${state} cannot take "${event.replace('_', ' ')}"`);
}

/** The reply deadline: filing time plus the agreement's reply window (72 h unless it says otherwise). */
export function replyDeadline(filedAt: string, hours: number | undefined): string {
  return new Date(Date.parse(filedAt) + (hours ?? 72) * 3_600_000).toISOString();
}
