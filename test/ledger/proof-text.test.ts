import { describe, expect, it } from 'vitest';
import {
  assemble,
  formatSignerKey,
  formatTlogProof,
  formatVerifierKey,
  hashChildren,
  hashLeaf,
  inclusionProofPlan,
  noteSigner,
  noteVerifier,
  parseTlogProof,
  rootFromLeafHashes,
  signCheckpoint,
  verifyTlogProof,
  base64Encode,
} from '../../src/ledger/index.js';
import type { NodeId } from '../../src/ledger/index.js';
import { adapters, utf8, codeOf } from './fixtures.js';


describe.each(adapters)('tlog-proof (c2sp.org/tlog-proof@v1) with %s', (_name, crypto) => {
  const origin = 'mizan.example/log';
  const seed = new Uint8Array(32).fill(5);
  const signer = noteSigner(crypto, formatSignerKey(crypto, origin, seed));
  const verifier = noteVerifier(crypto, formatVerifierKey(crypto, origin, crypto.ed25519PublicKey(seed)));
  const leaves = Array.from({ length: 11 }, (_, i) => hashLeaf(crypto, utf8(`e${i}`)));
  const lookup = (id: NodeId) => rootFromLeafHashes(crypto, leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level));
  const checkpoint = signCheckpoint({ origin, size: 11, rootHash: rootFromLeafHashes(crypto, leaves) }, [signer]);
  const proof = assemble(crypto, inclusionProofPlan(6, 11), lookup);

  it('formats the spec layout and verifies', () => {
    const text = formatTlogProof({ index: 6, proof, checkpoint, extra: utf8('age-v1.2.1') });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nextra ${base64Encode(utf8('age-v1.2.1'))}\nindex 6\n${proof.map((p) => base64Encode(p) + '\n').join('')}\n${checkpoint}`);
    expect(parseTlogProof(text)).toEqual({ index: 6, proof, checkpoint, extra: utf8('age-v1.2.1') });
    expect(verifyTlogProof(crypto, text, leaves[6]!, [verifier], origin).index).toBe(6);
    expect(parseTlogProof(formatTlogProof({ index: 6, proof, checkpoint })).extra).toBeUndefined();
  });

  it('attack: the proof re-pointed at another leaf index or another leaf (BAD_PROOF)', () => {
    const text = formatTlogProof({ index: 6, proof, checkpoint });
    expect(codeOf(() => verifyTlogProof(crypto, text.replace('index 6', 'index 7'), leaves[6]!, [verifier], origin))).toBe('BAD_PROOF');
    expect(codeOf(() => verifyTlogProof(crypto, text, leaves[5]!, [verifier], origin))).toBe('BAD_PROOF');
    expect(codeOf(() => verifyTlogProof(crypto, text, hashChildren(crypto, leaves[6]!, leaves[7]!), [verifier], origin))).toBe('BAD_PROOF');
  });

  it('rejects malformed proofs', () => {
    const text = formatTlogProof({ index: 6, proof, checkpoint });
    const bad: Record<string, string> = {
      'other header': text.replace('tlog-proof@v1', 'tlog-proof@v2'),
      'no index': text.replace('index 6\n', ''),
      'index with leading zero': text.replace('index 6', 'index 06'),
      'negative index': text.replace('index 6', 'index -6'),
      'short hash': text.replace(base64Encode(proof[0]!), base64Encode(proof[0]!.subarray(1))),
      'no blank line': text.replace('\n\n', '\n'),
      'no checkpoint': text.slice(0, text.indexOf('\n\n') + 2),
      'truncated': 'c2sp.org/tlog-proof@v1',
      'extra not base64': text.replace('index 6', 'extra !!\nindex 6'),
    };
    for (const [what, t] of Object.entries(bad)) expect(codeOf(() => parseTlogProof(t)), what).toBe('MALFORMED_PROOF');
  });
});
