// Proof generation for a store that persists the hashes of complete subtrees only.
//
// A NodeId {level, index} names the perfect subtree over leaves
// [index * 2^level, (index + 1) * 2^level); level 0 is a leaf hash. Such a node
// is *complete* in a tree of size n when its last leaf is below n, and then its
// hash never changes, so a store can write it once. Every hash that RFC 9162
// proofs need is either one complete node or an *ephemeral* node over the
// right edge of the tree [start, n), which is computed on demand by folding the
// complete nodes that cover that range from right to left.
//
// A store uses this module in three steps, without knowing any Merkle math:
//   const plan = inclusionProofPlan(index, size);
//   const rows = await db.fetch(neededNodes(plan));          // one query
//   const proof = assemble(crypto, plan, (id) => rows.get(nodeKey(id)));
import { isUint } from './bytes.js';
import type { LedgerCrypto } from './crypto.js';
import { LedgerError } from './errors.js';
import { HASH_SIZE, emptyRoot, hashChildren } from './merkle.js';

export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** One hash of a proof: a stored node, or the fold of several stored nodes (left to right, hashed right to left). */
export type ProofElement =
  | { readonly kind: 'node'; readonly node: NodeId }
  | { readonly kind: 'ephemeral'; readonly nodes: readonly NodeId[] };

export type ProofPlan = readonly ProofElement[];

/** A node that became complete, and the two children its hash is made of. */
export interface CompletedNode {
  readonly node: NodeId;
  readonly left: NodeId;
  readonly right: NodeId;
}

export interface NodeHash {
  readonly node: NodeId;
  readonly hash: Uint8Array;
}

/** A stable string key for maps and SQL (`"level/index"`). */
export function nodeKey(node: NodeId): string {
  return `${node.level}/${node.index}`;
}

/** The leaves [start, end) covered by a node. */
export function nodeRange(node: NodeId): { readonly start: number; readonly end: number } {
  const width = 2 ** node.level;
  return { start: node.index * width, end: (node.index + 1) * width };
}

/**
 * The nodes of level >= 1 that become complete when the leaf at `leafIndex` is
 * appended (that is, when the tree grows from leafIndex to leafIndex + 1
 * leaves), lowest level first, so each can be hashed from its children as soon
 * as the one before it is known. One node on average, log2(n) at most.
 */
export function nodesCompletedByAppend(leafIndex: number): CompletedNode[] {
  checkUint(leafIndex, 'leaf index');
  const out: CompletedNode[] = [];
  let index = leafIndex;
  let level = 0;
  // The node at `level` containing the new leaf is complete exactly when it is a right child all the way down.
  while (index % 2 === 1) {
    const parent = (index - 1) / 2;
    out.push({
      node: { level: level + 1, index: parent },
      left: { level, index: index - 1 },
      right: { level, index },
    });
    index = parent;
    level++;
  }
  return out;
}

/**
 * The complete nodes that together cover leaves [start, end), left to right,
 * largest first. `start` must be a multiple of the largest power of two not
 * above `end - start` (true for 0, and for every range a proof asks for).
 */
export function perfectSubtrees(start: number, end: number): NodeId[] {
  checkUint(start, 'start');
  checkUint(end, 'end');
  if (end < start) throw new LedgerError('INVALID_ARGUMENT', 'range end is before its start');
  const out: NodeId[] = [];
  let pos = start;
  while (pos < end) {
    let width = largestPowerOfTwoAtMost(end - pos);
    // Keep the node aligned: a misaligned start only happens on a caller bug, but must not yield a wrong node.
    while (pos % width !== 0) width /= 2;
    out.push({ level: Math.log2(width), index: pos / width });
    pos += width;
  }
  return out;
}

// RFC 9162 §2.1.3.1 (PATH) computed bottom-up: walk from the leaf to the root
// of the tree of `size` leaves, taking at each level the sibling subtree
// clipped to the tree: a complete node on the left, a complete or ephemeral
// node on the right, nothing when the sibling lies wholly past the end (the
// RFC tree promotes such a node unchanged).
/** The plan of the inclusion proof for leaf `index` in the tree of `size` leaves, leaf side first. */
export function inclusionProofPlan(index: number, size: number): ProofPlan {
  checkUint(index, 'index');
  checkUint(size, 'size');
  if (index >= size) throw new LedgerError('INDEX_OUT_OF_RANGE', `leaf index ${index} is not below tree size ${size}`);
  return pathToRoot({ level: 0, index }, size);
}

// RFC 9162 §2.1.4.1 (SUBPROOF) computed bottom-up. The old tree's last leaf
// m-1 ends the largest complete node X = (tz, m/2^tz - 1), tz = trailing zeros
// of m. If X is the whole old tree (m is a power of two) the verifier already
// has its hash (root1) and the proof omits it; otherwise the proof starts with
// X. Then come X's siblings up to the root of the new tree, as for inclusion.
/** The plan of the consistency proof from `size1` to `size2` leaves; empty when the sizes are equal. */
export function consistencyProofPlan(size1: number, size2: number): ProofPlan {
  checkUint(size1, 'size1');
  checkUint(size2, 'size2');
  if (size1 > size2) throw new LedgerError('INDEX_OUT_OF_RANGE', `old size ${size1} is larger than new size ${size2}`);
  if (size1 === 0) throw new LedgerError('INVALID_ARGUMENT', 'a consistency proof from the empty tree is meaningless');
  if (size1 === size2) return [];
  let level = 0;
  let end = size1;
  while (end % 2 === 0) {
    end /= 2;
    level++;
  }
  const x: NodeId = { level, index: end - 1 };
  const rest = pathToRoot(x, size2);
  return x.index === 0 ? rest : [{ kind: 'node', node: x }, ...rest];
}

/** The plan of the root hash of the tree of `size` leaves: one element, or none for the empty tree (whose root is SHA-256 of nothing). */
export function rootPlan(size: number): ProofPlan {
  checkUint(size, 'size');
  if (size === 0) return [];
  return [element(perfectSubtrees(0, size))];
}

/** Every distinct node a plan needs, sorted by level then index, so a store can fetch them in one query. */
export function neededNodes(...plans: readonly ProofPlan[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const plan of plans) {
    for (const el of plan) {
      const ids = el.kind === 'node' ? [el.node] : el.nodes;
      for (const id of ids) seen.set(nodeKey(id), id);
    }
  }
  return [...seen.values()].sort((a, b) => a.level - b.level || a.index - b.index);
}

/**
 * Turn a plan into hashes, in plan order. `lookup` returns the stored hash of a
 * complete node (and should throw if the store lacks it); an ephemeral element
 * is folded right to left with RFC 6962 node hashing.
 */
export function assemble(crypto: LedgerCrypto, plan: ProofPlan, lookup: (node: NodeId) => Uint8Array | undefined): Uint8Array[] {
  const get = (id: NodeId): Uint8Array => {
    const h = lookup(id);
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new LedgerError('INVALID_ARGUMENT', `no ${HASH_SIZE}-byte hash for node ${nodeKey(id)}`);
    }
    return h;
  };
  return plan.map((el) => {
    if (el.kind === 'node') return get(el.node);
    let h = get(el.nodes[el.nodes.length - 1]!);
    for (let i = el.nodes.length - 2; i >= 0; i--) h = hashChildren(crypto, get(el.nodes[i]!), h);
    return h;
  });
}

/** The root hash of the tree of `size` leaves from stored complete nodes. */
export function assembleRoot(crypto: LedgerCrypto, size: number, lookup: (node: NodeId) => Uint8Array | undefined): Uint8Array {
  const hashes = assemble(crypto, rootPlan(size), lookup);
  return hashes[0] ?? emptyRoot(crypto);
}

/**
 * The *frontier* of a tree is the list of hashes of `perfectSubtrees(0, size)`:
 * everything needed to keep appending. A store that appends many entries in one
 * transaction loads the frontier once (`neededNodes(rootPlan(size))`), calls
 * this, and writes every returned node; the new root is `rootFromFrontier`.
 */
export function appendLeaves(
  crypto: LedgerCrypto,
  size: number,
  frontier: readonly Uint8Array[],
  leafHashes: readonly Uint8Array[],
): { readonly size: number; readonly frontier: Uint8Array[]; readonly nodes: NodeHash[] } {
  checkUint(size, 'size');
  const ids = perfectSubtrees(0, size);
  if (ids.length !== frontier.length) {
    throw new LedgerError('INVALID_ARGUMENT', `a tree of ${size} leaves has ${ids.length} frontier nodes, got ${frontier.length}`);
  }
  const stack: NodeHash[] = ids.map((node, i) => ({ node, hash: frontier[i]! }));
  const nodes: NodeHash[] = [];
  let n = size;
  for (const leaf of leafHashes) {
    if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE) throw new LedgerError('INVALID_ARGUMENT', 'leaf hashes must be 32 bytes');
    let top: NodeHash = { node: { level: 0, index: n }, hash: leaf };
    nodes.push(top);
    for (;;) {
      const below = stack[stack.length - 1];
      if (below === undefined || below.node.level !== top.node.level) break;
      stack.pop();
      top = { node: { level: top.node.level + 1, index: below.node.index / 2 }, hash: hashChildren(crypto, below.hash, top.hash) };
      nodes.push(top);
    }
    stack.push(top);
    n++;
  }
  return { size: n, frontier: stack.map((s) => s.hash), nodes };
}

/** RFC 6962 root from a frontier (see `appendLeaves`): fold right to left. */
export function rootFromFrontier(crypto: LedgerCrypto, frontier: readonly Uint8Array[]): Uint8Array {
  if (frontier.length === 0) return emptyRoot(crypto);
  let h = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i--) h = hashChildren(crypto, frontier[i]!, h);
  return h;
}

function pathToRoot(start: NodeId, size: number): ProofElement[] {
  const out: ProofElement[] = [];
  let { level, index } = start;
  let width = 2 ** level;
  // Stop once the current node covers the whole tree.
  while (!(index === 0 && width >= size)) {
    const sibling = index % 2 === 0 ? index + 1 : index - 1;
    const sibStart = sibling * width;
    if (sibStart + width <= size) out.push({ kind: 'node', node: { level, index: sibling } });
    else if (sibStart < size) out.push(element(perfectSubtrees(sibStart, size)));
    // else: no sibling in this tree; the node is promoted to the next level unchanged.
    index = Math.floor(index / 2);
    width *= 2;
    level++;
  }
  return out;
}

function element(nodes: NodeId[]): ProofElement {
  return nodes.length === 1 ? { kind: 'node', node: nodes[0]! } : { kind: 'ephemeral', nodes };
}

function largestPowerOfTwoAtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

function checkUint(n: number, what: string): void {
  if (!isUint(n)) throw new LedgerError('INVALID_ARGUMENT', `${what} must be a non-negative safe integer`);
}
