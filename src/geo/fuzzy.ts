/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), computed
 * only up to `max`: returns max + 1 as soon as the distance must exceed it.
 */
export function editDistance(a: string, b: string, max: number): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (s.length === 0 || t.length === 0) return Math.max(s.length, t.length);
  const width = t.length + 1;
  let prev2 = new Array<number>(width).fill(0);
  let prev = Array.from({ length: width }, (_, j) => j);
  let cur = new Array<number>(width).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[t.length]!;
}

function trigrams(key: string): string[] {
  const chars = Array.from(`^${key}$`);
  const out = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  return [...out];
}

/**
 * Trigram postings over a fixed set of keys: the candidates for a fuzzy match are the keys
 * sharing the most trigrams with the query (Dice coefficient), so edit distances are only
 * computed for a bounded handful of keys instead of the whole gazetteer.
 */
export class TrigramIndex {
  private readonly keys: readonly string[];
  private readonly gramCount: readonly number[];
  private readonly postings = new Map<string, number[]>();

  constructor(keys: readonly string[]) {
    this.keys = keys;
    this.gramCount = keys.map((k, id) => {
      const grams = trigrams(k);
      for (const g of grams) {
        const list = this.postings.get(g);
        if (list) list.push(id);
        else this.postings.set(g, [id]);
      }
      return grams.length;
    });
  }

  /** Up to `limit` keys by decreasing trigram similarity (Dice ≥ minDice). */
  candidates(query: string, limit: number, minDice = 0.25): { readonly key: string; readonly dice: number }[] {
    const grams = trigrams(query);
    const shared = new Map<number, number>();
    for (const g of grams) for (const id of this.postings.get(g) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    const scored: { key: string; dice: number }[] = [];
    for (const [id, n] of shared) {
      const dice = (2 * n) / (grams.length + (this.gramCount[id] ?? 0));
      const key = this.keys[id];
      if (dice >= minDice && key !== undefined) scored.push({ key, dice });
    }
    scored.sort((p, q) => q.dice - p.dice || (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
    return scored.slice(0, limit);
  }
}
