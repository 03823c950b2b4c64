import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LedgerError,
  appendLeaves,
  assemble,
  assembleRoot,
  consistencyProofPlan,
  emptyRoot,
  hashChildren,
  hashLeaf,
  inclusionProofPlan,
  neededNodes,
  nodeKey,
  nodeRange,
  nodesCompletedByAppend,
  perfectSubtrees,
  rootFromFrontier,
  rootFromLeafHashes,
  rootPlan,
} from '../../src/ledger/index.js';
import type { LedgerCrypto, NodeId, ProofElement, ProofPlan } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { toHex, utf8 } from './fixtures.js';

// ---- Naive reference: RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF, written literally over leaf ranges. ----
type Range = readonly [number, number];
const largestPow2Below = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
// PATH(m, D[a:b]) as the list of ranges whose MTH form the proof.
function refPath(m: number, a: number, b: number): Range[] {
  if (b - a <= 1) return [];
  const k = largestPow2Below(b - a);
  return m < k ? [...refPath(m, a, a + k), [a + k, b]] : [...refPath(m - k, a + k, b), [a, a + k]];
}
// SUBPROOF(m, D[a:b], flag).
function refSubproof(m: number, a: number, b: number, flag: boolean): Range[] {
  const n = b - a;
  if (m === n) return flag ? [] : [[a, b]];
  const k = largestPow2Below(n);
  return m <= k ? [...refSubproof(m, a, a + k, flag), [a + k, b]] : [...refSubproof(m - k, a + k, b, false), [a, a + k]];
}
const refInclusion = (m: number, n: number) => refPath(m, 0, n);
const refConsistency = (m: number, n: number) => refSubproof(m, 0, n, true);

/** The leaf range a plan element hashes, checking that ephemeral nodes are contiguous and left to right. */
function elementRange(el: ProofElement): Range {
  const nodes = el.kind === 'node' ? [el.node] : el.nodes;
  const first = nodeRange(nodes[0]!);
  let end = first.end;
  for (const n of nodes.slice(1)) {
    const r = nodeRange(n);
    expect(r.start).toBe(end);
    end = r.end;
  }
  return [first.start, end];
}
const planRanges = (plan: ProofPlan) => plan.map(elementRange);

function mthRange(crypto: LedgerCrypto, leaves: Uint8Array[], a: number, b: number): Uint8Array {
  return rootFromLeafHashes(crypto, leaves.slice(a, b));
}

/** A node store filled only through nodesCompletedByAppend, as a database would be. */
function buildStore(crypto: LedgerCrypto, leaves: Uint8Array[]): Map<string, Uint8Array> {
  const store = new Map<string, Uint8Array>();
  leaves.forEach((leaf, i) => {
    store.set(nodeKey({ level: 0, index: i }), leaf);
    for (const c of nodesCompletedByAppend(i)) {
      store.set(nodeKey(c.node), hashChildren(crypto, store.get(nodeKey(c.left))!, store.get(nodeKey(c.right))!));
    }
  });
  return store;
}

const crypto = nodeCrypto;
const LEAVES = Array.from({ length: 1100 }, (_, i) => hashLeaf(crypto, utf8(`entry ${i}`)));
const STORE = buildStore(crypto, LEAVES);
const lookup = (id: NodeId) => {
  const h = STORE.get(nodeKey(id));
  if (!h) throw new Error(`store has no node ${nodeKey(id)}`);
  return h;
};
const completeIn = (id: NodeId, size: number) => nodeRange(id).end <= size;

describe('proof plans against the literal RFC 9162 recursion', () => {
  it('inclusion plans cover exactly the RFC ranges, for every (index, size) up to 64', () => {
    for (let n = 1; n <= 64; n++) for (let m = 0; m < n; m++) expect(planRanges(inclusionProofPlan(m, n))).toEqual(refInclusion(m, n));
  });

  it('consistency plans cover exactly the RFC ranges, for every 0 < size1 <= size2 up to 64', () => {
    for (let n = 1; n <= 64; n++) for (let m = 1; m <= n; m++) expect(planRanges(consistencyProofPlan(m, n))).toEqual(refConsistency(m, n));
  });

  it('matches the reference ranges for random sizes up to 2^52', () => {
    const sizes = fc.integer({ min: 1, max: 2 ** 52 });
    fc.assert(
      fc.property(sizes.chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n))), ([m, n]) => {
        expect(planRanges(inclusionProofPlan(m, n))).toEqual(refInclusion(m, n));
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(sizes.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))), ([m, n]) => {
        expect(planRanges(consistencyProofPlan(m, n))).toEqual(refConsistency(m, n));
      }),
      { numRuns: 150 },
    );
  });

  it('only ever asks the store for nodes that are complete at the proof size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 52 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n))), ([m, n]) => {
        const plans = [inclusionProofPlan(m, n), rootPlan(n), ...(m > 0 ? [consistencyProofPlan(m, n)] : [])];
        for (const id of neededNodes(...plans)) expect(completeIn(id, n)).toBe(true);
        // O(log n): at most ~2 log2(n) nodes in all.
        expect(neededNodes(...plans).length).toBeLessThanOrEqual(3 * 53);
      }),
      { numRuns: 150 },
    );
  });

  it('assembles the same hashes as the naive RFC proof, from a store filled by nodesCompletedByAppend', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1100 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n }), fc.constant(n))), ([m, s1, n]) => {
        const inc = assemble(crypto, inclusionProofPlan(m, n), lookup).map(toHex);
        expect(inc).toEqual(refInclusion(m, n).map(([a, b]) => toHex(mthRange(crypto, LEAVES, a, b))));
        const con = assemble(crypto, consistencyProofPlan(s1, n), lookup).map(toHex);
        expect(con).toEqual(refConsistency(s1, n).map(([a, b]) => toHex(mthRange(crypto, LEAVES, a, b))));
        expect(toHex(assembleRoot(crypto, n, lookup))).toBe(toHex(mthRange(crypto, LEAVES, 0, n)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('nodesCompletedByAppend', () => {
  it('lists exactly the nodes whose last leaf is the new one, lowest first, with their children', () => {
    for (let i = 0; i < 300; i++) {
      const got = nodesCompletedByAppend(i);
      const want: NodeId[] = [];
      for (let level = 1; 2 ** level <= i + 1; level++) {
        if ((i + 1) % 2 ** level === 0) want.push({ level, index: (i + 1) / 2 ** level - 1 });
      }
      expect(got.map((c) => c.node)).toEqual(want);
      for (const c of got) {
        expect(c.left).toEqual({ level: c.node.level - 1, index: c.node.index * 2 });
        expect(c.right).toEqual({ level: c.node.level - 1, index: c.node.index * 2 + 1 });
      }
    }
  });

  it('is amortised O(1): n appends complete n - popcount(n) nodes', () => {
    let total = 0;
    for (let i = 0; i < 4096; i++) total += nodesCompletedByAppend(i).length;
    expect(total).toBe(4096 - 1);
    expect(nodesCompletedByAppend(2 ** 40 - 1)).toHaveLength(40);
  });

  it('fills every complete node of the tree (what tiles and proofs read)', () => {
    for (let level = 0; level <= 10; level++) {
      for (let index = 0; (index + 1) * 2 ** level <= LEAVES.length; index++) expect(STORE.has(nodeKey({ level, index }))).toBe(true);
    }
    expect(STORE.size).toBe(LEAVES.length * 2 - [...LEAVES.length.toString(2)].filter((b) => b === '1').length);
  });
});

describe('frontier appends (batch appends in one transaction)', () => {
  it('produces the same nodes and roots as appending one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }), (batches) => {
        let size = 0;
        let frontier: Uint8Array[] = [];
        for (const count of batches) {
          if (size + count > LEAVES.length) break;
          const out = appendLeaves(crypto, size, frontier, LEAVES.slice(size, size + count));
          for (const n of out.nodes) expect(toHex(n.hash)).toBe(toHex(lookup(n.node)));
          const expected = [...Array(count).keys()].flatMap((k) => [{ level: 0, index: size + k }, ...nodesCompletedByAppend(size + k).map((c) => c.node)]);
          expect(out.nodes.map((n) => n.node)).toEqual(expected);
          size = out.size;
          frontier = out.frontier;
          expect(neededNodes(rootPlan(size))).toEqual([...perfectSubtrees(0, size)].sort((a, b) => a.level - b.level || a.index - b.index));
          expect(toHex(rootFromFrontier(crypto, frontier))).toBe(toHex(mthRange(crypto, LEAVES, 0, size)));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a frontier of the wrong length (a store bug must not yield a wrong root)', () => {
    expect(() => appendLeaves(crypto, 3, [LEAVES[0]!], [LEAVES[1]!])).toThrow(LedgerError);
  });
});

describe('plan edge cases', () => {
  it('has an empty root plan for the empty tree, whose root is SHA-256("")', () => {
    expect(rootPlan(0)).toEqual([]);
    expect(toHex(assembleRoot(crypto, 0, lookup))).toBe(toHex(emptyRoot(crypto)));
  });
  it('returns an empty consistency plan for equal sizes and refuses rollback and size 0', () => {
    expect(consistencyProofPlan(5, 5)).toEqual([]);
    expect(() => consistencyProofPlan(6, 5)).toThrow(expect.objectContaining({ code: 'INDEX_OUT_OF_RANGE' }));
    expect(() => consistencyProofPlan(0, 5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  it('refuses an index outside the tree and non-integer sizes', () => {
    expect(() => inclusionProofPlan(5, 5)).toThrow(expect.objectContaining({ code: 'INDEX_OUT_OF_RANGE' }));
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => inclusionProofPlan(0, bad)).toThrow(LedgerError);
  });
  it('refuses to assemble from a store that lacks a node or returns a short hash', () => {
    const plan = inclusionProofPlan(3, 7);
    expect(() => assemble(crypto, plan, () => undefined)).toThrow(LedgerError);
    expect(() => assemble(crypto, plan, () => new Uint8Array(31))).toThrow(LedgerError);
  });
  it('lists needed nodes once each, in a stable order', () => {
    const ids = neededNodes(inclusionProofPlan(5, 1000), inclusionProofPlan(6, 1000), rootPlan(1000));
    expect(new Set(ids.map(nodeKey)).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a.level - b.level || a.index - b.index));
  });
});
