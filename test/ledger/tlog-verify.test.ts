// Interop: a log written by src/ledger alone (checkpoints, tiles, entry bundles, proofs) must be
// accepted by the independent Go verifier ../shared/tools/tlog-verify (x/mod sumdb/note + tlog and
// a separate RFC 9162 implementation), and rejected once any byte of it is tampered with.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendLeaves,
  assemble,
  base64Encode,
  consistencyProofPlan,
  cosign,
  createEntry,
  decodeEntryBundle,
  decodeTile,
  encodeEntry,
  encodeEntryBundle,
  encodeTile,
  formatCheckpoint,
  formatSignerKey,
  formatTilePath,
  formatTlogProof,
  formatVerifierKey,
  hashLeaf,
  inclusionProofPlan,
  keyReference,
  makeCommitment,
  nodeKey,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  rootFromFrontier,
  rootFromLeafHashes,
  signCheckpoint,
  tileNodes,
  tilesForSize,
} from '../../src/ledger/index.js';
import type { NodeId, Statement } from '../../src/ledger/index.js';
import { nodeCrypto as crypto } from '../../src/ledger/node-crypto.js';
import { inCI, repoRoot, sharedDir } from './fixtures.js';

const ORIGIN = 'mizan.example/interop-test';
const SIZE = 1000;
const OLD_SIZE = 300;
const INCLUDED = [0, 1, 255, 256, 299, 511, 767, 768, 998, 999];

/** The verifier binary, (re)built by scripts/tlog-verify.sh when Go and the sources are here, else a prebuilt .tmp/tlogverify. */
function findVerifier(): { bin?: string; why: string } {
  const bin = path.join(repoRoot, '.tmp', 'tlogverify');
  const script = path.join(repoRoot, 'scripts', 'tlog-verify.sh');
  let why = `no verifier sources at ${sharedDir}/tools/tlog-verify and no prebuilt ${bin}`;
  if (existsSync(path.join(sharedDir, 'tools', 'tlog-verify'))) {
    const r = spawnSync('bash', [script], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0 && existsSync(bin)) return { bin, why: '' };
    why = `scripts/tlog-verify.sh failed (exit ${String(r.status)}): ${r.stderr.trim()}`;
  }
  return existsSync(bin) ? { bin, why: '' } : { why };
}

function run(bin: string, vkey: string, caseFile: string): { status: number | null; out: string } {
  const r = spawnSync(bin, ['-vkey', vkey, '-origin', ORIGIN, caseFile], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

function write(dir: string, rel: string, data: Uint8Array | string): void {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, data);
}

/** Builds the whole log in memory, as the store would (nodes persisted through appendLeaves), and exports it. */
function exportLog(dir: string) {
  const logSeed = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff);
  const partySeed = Uint8Array.from({ length: 32 }, (_, i) => (i * 5 + 3) & 0xff);
  const log = noteSigner(crypto, formatSignerKey(crypto, ORIGIN, logSeed));
  const party = noteSigner(crypto, formatSignerKey(crypto, 'mizan.example/party/af', partySeed));
  const vkey = formatVerifierKey(crypto, ORIGIN, crypto.ed25519PublicKey(logSeed));

  const entries: Uint8Array[] = [];
  for (let i = 0; i < SIZE; i++) {
    const head = { v: 1 as const, kind: i % 10 === 0 ? 'monitor.registered' : 'incident.reported', author: { party: 'AF', key: keyReference(party) }, at: '2025-10-19T12:00:00Z' };
    const body = { n: i, place: 'Spin Boldak', text: `report ${i} — ${'x'.repeat(i % 37)}` };
    const statement: Statement = i % 10 === 0 ? { ...head, commitment: makeCommitment(crypto, body, new Uint8Array(32).fill(i & 0xff)) } : { ...head, body };
    entries.push(encodeEntry(createEntry(statement, [party])));
  }
  const leaves = entries.map((e) => hashLeaf(crypto, e));

  // The "store": only complete nodes, appended in uneven batches.
  const nodes = new Map<string, Uint8Array>();
  let size = 0;
  let frontier: Uint8Array[] = [];
  const checkpoints = new Map<number, string>();
  for (const batch of [1, 2, 97, 200, 37, 263, 400]) {
    const out = appendLeaves(crypto, size, frontier, leaves.slice(size, size + batch));
    for (const n of out.nodes) nodes.set(nodeKey(n.node), n.hash);
    size = out.size;
    frontier = out.frontier;
    if (size === OLD_SIZE || size === SIZE) {
      checkpoints.set(size, signCheckpoint({ origin: ORIGIN, size, rootHash: rootFromFrontier(crypto, frontier) }, [log]));
    }
  }
  expect(size).toBe(SIZE);
  const lookup = (id: NodeId) => nodes.get(nodeKey(id));

  // Tiles and bundles for both published sizes (a log MUST keep the partial tiles of every checkpoint).
  for (const s of [OLD_SIZE, SIZE]) {
    for (const t of tilesForSize(s)) {
      const data =
        t.kind === 'entries'
          ? encodeEntryBundle(entries.slice(t.index * 256, t.index * 256 + t.width))
          : encodeTile(tileNodes(t.level, t.index, t.width).map((id) => nodes.get(nodeKey(id))!));
      write(dir, formatTilePath(t), data);
    }
  }
  // A witness cosignature on the new checkpoint: unknown to the verifier, so it must be ignored.
  const cpText = formatCheckpoint({ origin: ORIGIN, size: SIZE, rootHash: rootFromFrontier(crypto, frontier) });
  const cosigned = checkpoints.get(SIZE)! + cosign(crypto, cpText, 'witness.example/w1', new Uint8Array(32).fill(3), 1_760_000_000);
  write(dir, 'checkpoint', cosigned);
  write(dir, `checkpoint.${OLD_SIZE}`, checkpoints.get(OLD_SIZE)!);

  const inclusions = INCLUDED.map((index) => ({
    leaf_b64: base64Encode(entries[index]!),
    index,
    proof: assemble(crypto, inclusionProofPlan(index, SIZE), lookup).map(base64Encode),
  }));
  const consistency = assemble(crypto, consistencyProofPlan(OLD_SIZE, SIZE), lookup).map(base64Encode);
  write(
    dir,
    'case.json',
    JSON.stringify({
      description: 'Mizan log written by src/ledger',
      checkpoint_file: 'checkpoint',
      tiles_dir: '.',
      require_entry_bundles: true,
      inclusions,
      old_checkpoint_file: `checkpoint.${OLD_SIZE}`,
      consistency_proof: consistency,
    }),
  );
  const tlogProof = formatTlogProof({ index: 511, proof: assemble(crypto, inclusionProofPlan(511, SIZE), lookup), checkpoint: cosigned });
  write(dir, 'entry-511.tlog-proof', tlogProof);
  write(dir, 'tlog-proof-case.json', JSON.stringify({ tlog_proof_file: 'entry-511.tlog-proof', leaf_b64: base64Encode(entries[511]!) }));
  return { vkey, entries, leaves, otherVkey: formatVerifierKey(crypto, ORIGIN, crypto.ed25519PublicKey(partySeed)) };
}

describe('interop with the independent Go verifier (tlogverify)', () => {
  let dir = '';
  let verifier: { bin?: string; why: string } = { why: '' };
  let log: ReturnType<typeof exportLog>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mizan-tlog-'));
    log = exportLog(dir);
    verifier = findVerifier();
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Skips (locally) or fails (CI=true) when the Go verifier cannot be built. */
  function binOrSkip(ctx: { skip: (note?: string) => void }): string {
    if (verifier.bin) return verifier.bin;
    if (inCI) throw new Error(`tlogverify is required under CI=true: ${verifier.why}`);
    ctx.skip(verifier.why);
    return '';
  }

  /** A copy of the exported log with one file changed. */
  function tampered(rel: string, change: (b: Uint8Array) => Uint8Array): string {
    const copy = mkdtempSync(path.join(tmpdir(), 'mizan-tlog-bad-'));
    cpSync(dir, copy, { recursive: true });
    writeFileSync(path.join(copy, rel), change(new Uint8Array(readFileSync(path.join(copy, rel)))));
    return copy;
  }
  const flipAt = (offset: number) => (b: Uint8Array) => {
    const c = Uint8Array.from(b);
    c[offset] = c[offset]! ^ 0x01;
    return c;
  };

  it('reads back its own export: checkpoint, tiles and bundles agree (TypeScript side)', () => {
    const opened = openCheckpoint(readFileSync(path.join(dir, 'checkpoint')), [noteVerifier(crypto, log.vkey)], ORIGIN);
    expect(opened.checkpoint.size).toBe(SIZE);
    expect(opened.unverified.map((s) => s.name)).toEqual(['witness.example/w1']);
    const level0 = tilesForSize(SIZE).filter((t) => t.kind === 'hashes' && t.level === 0);
    const hashes = level0.flatMap((t) => decodeTile(new Uint8Array(readFileSync(path.join(dir, formatTilePath(t)))), t.width));
    expect(base64Encode(rootFromLeafHashes(crypto, hashes))).toBe(base64Encode(opened.checkpoint.rootHash));
    const bundle = decodeEntryBundle(new Uint8Array(readFileSync(path.join(dir, 'tile/entries/003.p/232'))), 232);
    expect(bundle[231]).toEqual(log.entries[999]);
  });

  it('accepts the checkpoint, every tile and bundle, the inclusion proofs and the consistency proof', (ctx) => {
    const bin = binOrSkip(ctx);
    const r = run(bin, log.vkey, path.join(dir, 'case.json'));
    expect(r.out).toContain('RESULT: VALID');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/inclusion\[9\]/);
    expect(r.out).toMatch(/consistency:.*300 -> 1000/);
    expect(r.out).toMatch(/ok +tiles: +5 hash tiles.*4 entry bundle\(s\), every entry hashes to its tile hash/);
  });

  it('accepts a c2sp.org/tlog-proof@v1 file', (ctx) => {
    const bin = binOrSkip(ctx);
    const r = run(bin, log.vkey, path.join(dir, 'tlog-proof-case.json'));
    expect(r.out).toContain('RESULT: VALID');
    expect(r.status).toBe(0);
  });

  const tamperings: [string, string, (b: Uint8Array) => Uint8Array][] = [
    ['one byte of an entry in a bundle', 'tile/entries/001', flipAt(100)],
    ['one byte of a level-0 hash in a full tile', 'tile/0/002', flipAt(32 * 17 + 5)],
    ['one byte of a partial level-1 tile', 'tile/1/000.p/3', flipAt(40)],
    ['one character of the log signature', 'checkpoint', (b) => {
      const s = new TextDecoder().decode(b);
      const i = s.indexOf(`\u2014 ${ORIGIN} `) + ORIGIN.length + 10;
      return new TextEncoder().encode(s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1));
    }],
    ['the old checkpoint replaced by a forked one', `checkpoint.${OLD_SIZE}`, () => {
      const fork = noteSigner(crypto, formatSignerKey(crypto, ORIGIN, Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff)));
      return new TextEncoder().encode(signCheckpoint({ origin: ORIGIN, size: OLD_SIZE, rootHash: hashLeaf(crypto, new Uint8Array(1)) }, [fork]));
    }],
    ['one byte of a consistency proof hash', 'case.json', (b) => {
      const c = JSON.parse(new TextDecoder().decode(b)) as { consistency_proof: string[] };
      c.consistency_proof[0] = base64Encode(flipAt(0)(Uint8Array.from(Buffer.from(c.consistency_proof[0]!, 'base64'))));
      return new TextEncoder().encode(JSON.stringify(c));
    }],
  ];

  it.for(tamperings)('rejects the log after tampering with %s', ([, rel, change], ctx) => {
    const bin = binOrSkip(ctx);
    const copy = tampered(rel, change);
    try {
      const r = run(bin, log.vkey, path.join(copy, 'case.json'));
      expect(r.out).toContain('RESULT: INVALID');
      expect(r.status).toBe(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('rejects the untouched log under another key (the data never supplies its own trust anchor)', (ctx) => {
    const bin = binOrSkip(ctx);
    const r = run(bin, log.otherVkey, path.join(dir, 'case.json'));
    expect(r.status).toBe(1);
  });
});
