import type { NameEntry } from '../common.js';
import { normaliseName } from '../common.js';
import type { PartyKind } from '../party.js';
import { sameAsClasses } from './links.js';
import type { ReferenceDesignation, SameAsLink } from './types.js';

export type Position = 'terrorist' | 'not_terrorist' | 'under_review';
export type Stance = 'support' | 'oppose' | 'undecided';

/** A stored designation: one party's statement about one actor. */
export interface StatedDesignation {
  readonly id: string;
  readonly actor: string;
  readonly by: string;
  readonly position: Position;
  readonly collective_action: Stance;
  readonly basis?: string | undefined;
  readonly at?: string | undefined;
  readonly recorded_at: string;
  readonly log_index: number;
}

export const THREAT_STATUSES = ['contested', 'unknown', 'agreed_collective_action', 'agreed_threat_no_joint_action', 'agreed_not_threat', 'under_review'] as const;
export type ThreatStatus = (typeof THREAT_STATUSES)[number];

export interface MatrixPosition {
  readonly position: Position;
  readonly collective_action: Stance;
  readonly basis: string | null;
  readonly at: string | null;
  readonly designation: string;
  readonly recorded_at: string;
  /** Set when the statement was made about an actor recorded as the same as this one. */
  readonly via?: string;
}

export interface Difference {
  readonly on: 'position' | 'collective_action';
  readonly by: Readonly<Record<string, string>>;
}

export interface MatrixRow {
  readonly actor: string;
  readonly names: readonly { name: string; lang?: string; used_by?: readonly string[] }[];
  readonly same_as: readonly string[];
  readonly positions: Readonly<Record<string, MatrixPosition>>;
  readonly references: readonly ReferenceDesignation[];
  readonly status: ThreatStatus;
  readonly differences: readonly Difference[];
  /** Parties that count and have stated nothing. */
  readonly silent: readonly string[];
}

export interface MatrixParty {
  readonly id: string;
  readonly kind: PartyKind;
}

export interface MatrixActor {
  readonly id: string;
  readonly names: readonly NameEntry[];
  readonly kind?: string | undefined;
  readonly controlled_by?: string | null | undefined;
}

/** Only states and de facto authorities designate; mediators propose and observers watch. */
export function designatingParties(parties: readonly MatrixParty[]): string[] {
  return parties.filter((p) => p.kind === 'state' || p.kind === 'de_facto_authority').map((p) => p.id);
}

/** Armed actors a party's own forces are not: a state's forces are a party to the talks, not a candidate threat. */
export function isCandidateActor(a: MatrixActor): boolean {
  return a.kind !== 'state_forces';
}

/**
 * The status rule of the joint view, first that applies (issue 6, item 4):
 * contested → unknown → agreed_collective_action → agreed_threat_no_joint_action → agreed_not_threat → under_review.
 */
export function deriveStatus(positions: Readonly<Record<string, { position: Position; collective_action: Stance }>>, parties: readonly string[]): { status: ThreatStatus; differences: Difference[] } {
  const stated = parties.filter((p) => positions[p] !== undefined);
  const differences: Difference[] = [];
  for (const on of ['position', 'collective_action'] as const) {
    const values = new Set(stated.map((p) => positions[p]![on]));
    if (values.size > 1) differences.push({ on, by: Object.fromEntries(stated.map((p) => [p, positions[p]![on]])) });
  }
  if (differences.length > 0) return { status: 'contested', differences };
  if (stated.length < parties.length || parties.length === 0) return { status: 'unknown', differences };
  const all = stated.map((p) => positions[p]!);
  if (all.every((x) => x.position === 'terrorist')) {
    return { status: all.every((x) => x.collective_action === 'support') ? 'agreed_collective_action' : 'agreed_threat_no_joint_action', differences };
  }
  if (all.every((x) => x.position !== 'terrorist') && all.every((x) => x.position === 'not_terrorist')) return { status: 'agreed_not_threat', differences };
  return { status: 'under_review', differences };
}

/** Each party's latest statement about an actor or any actor recorded as the same (later log index wins). */
function latestPositions(actor: string, cls: ReadonlySet<string>, designations: readonly StatedDesignation[], parties: readonly string[]): Record<string, MatrixPosition> {
  const out: Record<string, MatrixPosition & { log_index: number }> = {};
  for (const d of designations) {
    if (!cls.has(d.actor) || !parties.includes(d.by)) continue;
    const prev = out[d.by];
    if (prev && prev.log_index > d.log_index) continue;
    out[d.by] = {
      position: d.position,
      collective_action: d.collective_action,
      basis: d.basis ?? null,
      at: d.at ?? null,
      designation: d.id,
      recorded_at: d.recorded_at,
      log_index: d.log_index,
      ...(d.actor !== actor ? { via: d.actor } : {}),
    };
  }
  return Object.fromEntries(Object.entries(out).map(([k, { log_index: _drop, ...v }]) => [k, v]));
}

export interface MatrixInput {
  readonly parties: readonly MatrixParty[];
  readonly actors: readonly MatrixActor[];
  readonly designations: readonly StatedDesignation[];
  readonly references: readonly ReferenceDesignation[];
  readonly links: readonly SameAsLink[];
}

/** The joint view: one row per candidate actor, with every counting party's current position and the derived status. */
export function buildMatrix(input: MatrixInput): MatrixRow[] {
  const parties = designatingParties(input.parties);
  const classes = sameAsClasses(input.links);
  return input.actors.filter(isCandidateActor).map((a) => {
    const cls = classes.get(a.id) ?? new Set([a.id]);
    const positions = latestPositions(a.id, cls, input.designations, parties);
    const { status, differences } = deriveStatus(positions, parties);
    return {
      actor: a.id,
      names: a.names.map((n) => {
        const x = normaliseName(n);
        return { name: x.name, ...(x.lang ? { lang: x.lang } : {}), ...(x.used_by ? { used_by: x.used_by } : {}) };
      }),
      same_as: [...cls].filter((x) => x !== a.id).sort(),
      positions,
      references: input.references.filter((r) => cls.has(r.actor)),
      status,
      differences,
      silent: parties.filter((p) => positions[p] === undefined),
    };
  });
}

export interface MatrixChange {
  readonly log_index: number;
  readonly recorded_at: string;
  readonly actor: string;
  readonly by: string;
  readonly designation: string;
  readonly from: ThreatStatus;
  readonly to: ThreatStatus;
}

/**
 * How the matrix changed: replay the designations in log order and report every statement that
 * changed an actor's status (same-as links are taken as they stand now).
 */
export function matrixHistory(input: MatrixInput): MatrixChange[] {
  const parties = designatingParties(input.parties);
  const classes = sameAsClasses(input.links);
  const ordered = [...input.designations].sort((a, b) => a.log_index - b.log_index);
  const candidates = input.actors.filter(isCandidateActor);
  const status = new Map<string, ThreatStatus>(candidates.map((a) => [a.id, deriveStatus({}, parties).status]));
  const seen: StatedDesignation[] = [];
  const changes: MatrixChange[] = [];
  for (const d of ordered) {
    seen.push(d);
    for (const a of candidates) {
      const cls = classes.get(a.id) ?? new Set([a.id]);
      if (!cls.has(d.actor)) continue;
      const next = deriveStatus(latestPositions(a.id, cls, seen, parties), parties).status;
      const prev = status.get(a.id)!;
      if (next !== prev) {
        changes.push({ log_index: d.log_index, recorded_at: d.recorded_at, actor: a.id, by: d.by, designation: d.id, from: prev, to: next });
        status.set(a.id, next);
      }
    }
  }
  return changes;
}
