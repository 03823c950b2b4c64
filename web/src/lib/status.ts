// Assessment statuses and event types as the map, legend and filters draw them.
import { STATUSES } from '../api/types.js';
import type { AssessmentRow, AssessmentStatus } from '../api/types.js';

export { STATUSES };

/** 0 = most severe. Unassessed incidents sort after every status. */
export function severity(s: AssessmentStatus | null | undefined): number {
  if (!s) return STATUSES.length;
  const i = STATUSES.indexOf(s);
  return i < 0 ? STATUSES.length : i;
}

/** The most severe status across an incident's rows. */
export function worstStatus(rows: readonly Pick<AssessmentRow, 'status'>[]): AssessmentStatus | null {
  let best: AssessmentStatus | null = null;
  for (const r of rows) if (severity(r.status) < severity(best)) best = r.status;
  return best;
}

export type Shape = 'diamond' | 'triangle' | 'square' | 'triangle-down' | 'circle' | 'ring' | 'dot';

/** Shape per status: filled and angular for the severe ones, round and hollow for the mild. */
export const STATUS_SHAPE: Record<AssessmentStatus | 'unassessed', Shape> = {
  violation: 'diamond',
  alleged_violation: 'triangle',
  contingent_violation: 'square',
  window_uncertain: 'triangle-down',
  no_violation: 'circle',
  not_in_force: 'ring',
  unassessed: 'dot',
};

/** Outline weight per status, in px: the heavier, the more severe. */
export const STATUS_OUTLINE: Record<AssessmentStatus | 'unassessed', number> = {
  violation: 3,
  alleged_violation: 2.5,
  contingent_violation: 2,
  window_uncertain: 1.5,
  no_violation: 1,
  not_in_force: 1,
  unassessed: 1,
};

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
export const EVENT_COLOURS: Record<string, string> = {
  Battles: '#0072B2',
  'Explosions/Remote violence': '#D55E00',
  'Violence against civilians': '#CC79A7',
  Protests: '#009E73',
  Riots: '#E69F00',
  'Strategic developments': '#6b6b6b',
};

export const eventColour = (t: string) => EVENT_COLOURS[t] ?? '#444444';

/** SVG path of a shape centred in a 20×20 box. */
export function shapePath(shape: Shape): string {
  switch (shape) {
    case 'diamond':
      return 'M10 1 L19 10 L10 19 L1 10 Z';
    case 'triangle':
      return 'M10 2 L19 18 L1 18 Z';
    case 'square':
      return 'M3 3 H17 V17 H3 Z';
    case 'triangle-down':
      return 'M1 2 H19 L10 18 Z';
    case 'circle':
    case 'ring':
      return 'M10 2 A8 8 0 1 1 9.99 2 Z';
    case 'dot':
      return 'M10 5 A5 5 0 1 1 9.99 5 Z';
    default: {
      const never: never = shape;
      return never;
    }
  }
}
