// The worked examples in docs/log.md, pinned: a change in any byte format breaks this test first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  base64Encode,
  cosign,
  createEntry,
  encodeEntry,
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  formatWitnessVerifierKey,
  hashLeaf,
  keyReference,
  makeCommitment,
  noteSigner,
  signCheckpoint,
} from '../../src/ledger/index.js';
import type { Statement } from '../../src/ledger/index.js';
import { adapters, repoRoot } from './fixtures.js';

const docs = readFileSync(path.join(repoRoot, 'docs', 'log.md'), 'utf8');

describe.each(adapters)('docs/log.md examples with %s', (_name, crypto) => {
  const logSeed = new Uint8Array(32).fill(1);
  const partySeed = new Uint8Array(32).fill(2);
  const witnessSeed = new Uint8Array(32).fill(3);
  const origin = 'mizan.example/log';
  const party = noteSigner(crypto, formatSignerKey(crypto, 'mizan.example/party/af', partySeed));

  it('keys', () => {
    expect(docs).toContain(formatVerifierKey(crypto, origin, crypto.ed25519PublicKey(logSeed)));
    expect(docs).toContain(formatWitnessVerifierKey(crypto, 'witness.example/w1', crypto.ed25519PublicKey(witnessSeed)));
    expect(docs).toContain(keyReference(party));
  });

  it('entry, leaf hash, commitment, checkpoint and cosignature', () => {
    const statement: Statement = { v: 1, kind: 'claim.created', author: { party: 'AF', key: keyReference(party) }, at: '2025-10-19T12:00:00Z', body: { incident: 'inc-1', position: 'denies' } };
    const entry = encodeEntry(createEntry(statement, [party]));
    expect(docs).toContain(new TextDecoder().decode(entry));
    const leaf = hashLeaf(crypto, entry);
    expect(docs).toContain(`Its leaf hash is \`${base64Encode(leaf)}\``);
    expect(docs).toContain(makeCommitment(crypto, { name: 'Gul', district: 'Spin Boldak' }, new Uint8Array(32).fill(7)));
    const log = noteSigner(crypto, formatSignerKey(crypto, origin, logSeed));
    const note = signCheckpoint({ origin, size: 1, rootHash: leaf }, [log]) + cosign(crypto, formatCheckpoint({ origin, size: 1, rootHash: leaf }), 'witness.example/w1', witnessSeed, 1760875200);
    expect(docs).toContain('```\n' + note + '```');
  });
});
