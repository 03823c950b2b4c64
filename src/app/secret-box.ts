// Secrets the server must use again later (a party's webhook signing secret) are kept sealed in the
// database with a key that lives only in the data directory. A database dump or a PostgreSQL
// replica then does not hand anyone the means to forge a party's notifications.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MizanError } from '../domain/errors.js';
import type { Mizan } from './mizan.js';

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM; `context` (e.g. the table and row) is bound in, so a sealed value cannot be moved to another row. */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/**
 * The plaintext of a sealed value. A value without the prefix was stored before sealing existed and
 * is returned as it is; it is sealed the next time it is set.
 */
export function unseal(key: Buffer, stored: string, context: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw unopenable(context);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw unopenable(context);
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

function unopenable(context: string): MizanError {
  return new MizanError('INTERNAL', `the secret of ${context} cannot be opened with keys/secrets.key (was the key replaced or the row copied from elsewhere?); set it again`);
}

/**
 * `<data dir>/keys/secrets.key`, created on first use. Created under a temporary name and linked
 * into place, so two processes starting together agree on one key and never read half a file.
 */
export function loadSecretsKey(dataDir: string): Buffer {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'secrets.key');
  try {
    return parseKey(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

function parseKey(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key in base64`);
  return key;
}

const boxes = new WeakMap<Mizan, { dataDir: string; key?: Buffer }>();

/** Set by the composition root, next to the evidence directory and the monitors' settings. */
export function configureSecretBox(app: Mizan, dataDir: string): void {
  boxes.set(app, { dataDir });
}

/** Loaded (or created) on first use: commands that never touch a secret leave the keys folder alone. */
export function secretsKeyOf(app: Mizan): Buffer {
  const box = boxes.get(app);
  if (!box) throw new MizanError('INTERNAL', 'the secret box is not configured with the data directory');
  box.key ??= loadSecretsKey(box.dataDir);
  return box.key;
}
