import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addUser } from '../app/accounts.js';
import { registerKey } from '../app/keys.js';
import { registerMonitor } from '../app/monitors.js';
import { formatSignerKey, formatWitnessVerifierKey, parseSignerKey, SIGNATURE_TYPE_COSIGNATURE_V1 } from '../ledger/index.js';
import type { SignerKey } from '../ledger/index.js';
import { nodeCrypto } from '../ledger/node-crypto.js';
import { readSecret, writeSecret } from '../store/data-dir.js';
import type { Mizan } from '../app/mizan.js';
import { SYSTEM } from '../domain/principal.js';

export interface DemoAccount {
  readonly name: string;
  readonly role: string;
  readonly party: string | null;
  readonly password: string;
}

/** One account per role of the built-in scenario: a delegate per party, one mediator. */
const DEMO = [
  { name: 'admin', role: 'admin' },
  { name: 'mediator-qat', role: 'mediator', party: 'QAT' },
  { name: 'delegate-pak', role: 'delegate', party: 'PAK' },
  { name: 'delegate-afg', role: 'delegate', party: 'AFG' },
  { name: 'monitor', role: 'monitor' },
  { name: 'analyst', role: 'analyst' },
] as const;

export async function createDemoAccounts(app: Mizan): Promise<DemoAccount[]> {
  const out: DemoAccount[] = [];
  for (const d of DEMO) {
    const { user, password } = await addUser(app, SYSTEM, d);
    out.push({ name: user.name, role: user.role, party: user.party, password: password! });
  }
  // The demo monitor account can report at once: registered as a (fictional) elder of Barmal.
  await registerMonitor(app, SYSTEM, {
    id: 'MON-DEMO',
    pseudonym: 'Demo elder of Barmal',
    districts: ['Barmal', 'Spin Boldak'],
    languages: ['ps'],
    zone: 'Asia/Kabul',
    account: 'monitor',
    identity: { name: 'Demo monitor (fictional)', phone: '+93 700 000 001' },
  });
  return out;
}

/** The parties whose witnesses the built-in setup runs: each government and the mediator. */
export const DEMO_WITNESS_PARTIES = ['PAK', 'AFG', 'QAT'] as const;

export function witnessKeyPath(dataDir: string, party: string): string {
  return join(dataDir, 'keys', `witness-${party}.key`);
}

/** A witness key per party, kept in the data directory and registered in the log. */
export async function createDemoWitnesses(app: Mizan, dataDir: string): Promise<void> {
  for (const party of DEMO_WITNESS_PARTIES) {
    const file = witnessKeyPath(dataDir, party);
    if (existsSync(file)) continue;
    const name = `witness.${party.toLowerCase()}.${app.log.origin.replace(/[^A-Za-z0-9.-]/g, '-')}`;
    const seed = randomBytes(32);
    writeSecret(file, formatSignerKey(nodeCrypto, name, seed, SIGNATURE_TYPE_COSIGNATURE_V1) + '\n');
    await registerKey(app, SYSTEM, party, { vkey: formatWitnessVerifierKey(nodeCrypto, name, nodeCrypto.ed25519PublicKey(seed)), purpose: 'witness' });
  }
}

export function readWitnessKey(file: string): SignerKey {
  return parseSignerKey(nodeCrypto, readSecret(file));
}
