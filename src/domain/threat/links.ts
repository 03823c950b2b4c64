import type { SameAsLink } from './types.js';

/** Actors grouped by active same-as links (connected components); undone links no longer join anything. */
export function sameAsClasses(links: readonly SameAsLink[]): Map<string, Set<string>> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const l of links) {
    if (!l.active) continue;
    if (!parent.has(l.a)) parent.set(l.a, l.a);
    if (!parent.has(l.b)) parent.set(l.b, l.b);
    const ra = find(l.a);
    const rb = find(l.b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, Set<string>>();
  for (const x of parent.keys()) {
    const r = find(x);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = new Set()));
    g.add(x);
  }
  const out = new Map<string, Set<string>>();
  for (const g of groups.values()) for (const x of g) out.set(x, g);
  return out;
}
