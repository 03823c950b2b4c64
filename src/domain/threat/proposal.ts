import type { ProposalInput, ResponseInput } from './types.js';

export type ItemStatus = 'pending' | 'accepted' | 'rejected';
export type ProposalState = 'open' | 'under_consideration' | 'accepted' | 'partially_accepted' | 'rejected' | 'adopted';

export interface StoredProposal extends Omit<ProposalInput, 'parties'> {
  readonly parties: readonly string[];
  readonly proposed_by: string | null;
  readonly recorded_at: string;
  readonly log_index: number;
}

export interface StoredResponse extends ResponseInput {
  readonly id: string;
  readonly proposal: string;
  readonly recorded_at: string;
  readonly log_index: number;
}

export interface Annex {
  readonly id: string;
  readonly proposal: string;
  readonly agreement: string;
  readonly actors: readonly string[];
  /** When the annex takes effect; absent on annexes recorded before it was kept (then `recorded_at`). */
  readonly adopted_at?: string;
  /** The earlier annex of the same agreement that this one replaces. */
  readonly replaces?: string;
  readonly note?: string;
  readonly recorded_at: string;
  readonly log_index: number;
}

export interface ProposalItemView {
  readonly actor: string;
  readonly status: ItemStatus;
  readonly decisions: Readonly<Record<string, { decision: 'accept' | 'reject'; reason: string; response: string }>>;
}

export interface ProposalView {
  readonly id: string;
  readonly title: string;
  readonly criteria: string;
  readonly parties: readonly string[];
  readonly proposed_by: string | null;
  readonly recorded_at: string;
  readonly log_index: number;
  readonly state: ProposalState;
  readonly items: readonly ProposalItemView[];
  /** Actors every party accepted: the joint list for collective action. */
  readonly agreed_list: readonly string[];
  readonly annexes: readonly Annex[];
}

/**
 * A proposal's state from its responses: an item is accepted when every party's latest decision on
 * it is accept, rejected when any is reject, pending otherwise. Adoption as an annex is final.
 */
export function deriveProposal(p: StoredProposal, responses: readonly StoredResponse[], annexes: readonly Annex[] = []): ProposalView {
  const ordered = responses.filter((r) => r.proposal === p.id).sort((a, b) => a.log_index - b.log_index);
  const items: ProposalItemView[] = p.actors.map((actor) => {
    const decisions: Record<string, { decision: 'accept' | 'reject'; reason: string; response: string }> = {};
    for (const r of ordered) {
      if (!p.parties.includes(r.by)) continue;
      for (const it of r.items) if (it.actor === actor) decisions[r.by] = { decision: it.decision, reason: it.reason, response: r.id };
    }
    const values = p.parties.map((party) => decisions[party]?.decision);
    const status: ItemStatus = values.includes('reject') ? 'rejected' : values.every((v) => v === 'accept') ? 'accepted' : 'pending';
    return { actor, status, decisions };
  });
  const mine = annexes.filter((a) => a.proposal === p.id);
  const agreed = items.filter((i) => i.status === 'accepted').map((i) => i.actor);
  let state: ProposalState;
  if (mine.length > 0) state = 'adopted';
  else if (ordered.length === 0) state = 'open';
  else if (items.some((i) => i.status === 'pending')) state = 'under_consideration';
  else if (agreed.length === items.length) state = 'accepted';
  else if (agreed.length > 0) state = 'partially_accepted';
  else state = 'rejected';
  return {
    id: p.id,
    title: p.title,
    criteria: p.criteria,
    parties: p.parties,
    proposed_by: p.proposed_by,
    recorded_at: p.recorded_at,
    log_index: p.log_index,
    state,
    items,
    agreed_list: agreed,
    annexes: mine,
  };
}

/** Whether a proposal in this state may still take responses. */
export function acceptsResponses(state: ProposalState): boolean {
  return state !== 'adopted';
}

/** Whether a proposal in this state may be adopted: every item decided and at least one agreed. */
export function adoptable(state: ProposalState): boolean {
  return state === 'accepted' || state === 'partially_accepted';
}
