import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isSealed, loadSecretsKey, seal, unseal } from '../../src/app/secret-box.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mizan-secret-box-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the secret box', () => {
  const key = randomBytes(32);

  it('opens what it sealed, for any text and context, and never stores the text itself', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }), fc.string({ maxLength: 80 }), (text, context) => {
        const sealed = seal(key, text, context);
        expect(isSealed(sealed)).toBe(true);
        expect(sealed.includes(text) && text.length > 3).toBe(false);
        expect(unseal(key, sealed, context)).toBe(text);
      }),
    );
  });

  it('seals the same text differently each time (a fresh nonce)', () => {
    expect(seal(key, 'same', 'ctx')).not.toBe(seal(key, 'same', 'ctx'));
  });

  it('refuses another key, another context, and any changed byte', () => {
    const sealed = seal(key, 'the webhook secret', 'the webhook of party PAK');
    expect(() => unseal(randomBytes(32), sealed, 'the webhook of party PAK')).toThrow(/cannot be opened/);
    expect(() => unseal(key, sealed, 'the webhook of party AFG')).toThrow(/the webhook of party AFG cannot be opened/);
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    for (const at of [0, 12, 28, raw.length - 1]) {
      const bent = Buffer.from(raw);
      bent[at]! ^= 1;
      expect(() => unseal(key, `sealed:v1:${bent.toString('base64')}`, 'the webhook of party PAK'), `byte ${at}`).toThrow(/cannot be opened/);
    }
    expect(() => unseal(key, 'sealed:v1:AAAA', 'x')).toThrow(/cannot be opened/);
  });

  it('passes a value stored before sealing existed through unchanged', () => {
    expect(unseal(key, 'plain-old-secret', 'ctx')).toBe('plain-old-secret');
  });
});

describe('keys/secrets.key', () => {
  it('is created once, private to its owner, and read back the same', () => {
    const dir = tmp();
    const first = loadSecretsKey(dir);
    expect(first).toHaveLength(32);
    const file = join(dir, 'keys', 'secrets.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretsKey(dir).equals(first)).toBe(true);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);
  });

  it('refuses a key file that does not hold a 32-byte key', () => {
    const dir = tmp();
    loadSecretsKey(dir);
    writeFileSync(join(dir, 'keys', 'secrets.key'), 'c2hvcnQ=\n');
    expect(() => loadSecretsKey(dir)).toThrow(/does not hold a 32-byte key/);
  });
});
