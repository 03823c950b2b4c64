import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackEvidence } from '../../src/cli/evidence-backup.js';

const dir = mkdtempSync(join(tmpdir(), 'mizan-evbak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function backupWith(rows: { sha256: string; content: Buffer }[]): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE mizan_backup_evidence (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL)');
  for (const r of rows) db.prepare('INSERT INTO mizan_backup_evidence VALUES (?, ?)').run(r.sha256, r.content);
  return db;
}

describe('restoring evidence from a backup file (outside input)', () => {
  it('writes each file under its digest', () => {
    const content = Buffer.from('imagery');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = join(dir, 'ok');
    expect(unpackEvidence(backupWith([{ sha256, content }]), target)).toBe(1);
    expect(readFileSync(join(target, 'evidence', sha256)).equals(content)).toBe(true);
  });

  it('refuses bytes that do not match their digest, and a name that would be a path', () => {
    const target = join(dir, 'bad');
    expect(() => unpackEvidence(backupWith([{ sha256: 'a'.repeat(64), content: Buffer.from('x') }]), target)).toThrow(/does not match its bytes/);
    const content = Buffer.from('y');
    expect(() => unpackEvidence(backupWith([{ sha256: '../../keys/log.key', content }]), target)).toThrow(/does not match/);
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    expect(existsSync(join(target, 'evidence')) ? readdirSync(join(target, 'evidence')) : []).toEqual([]);
  });

  it('restores nothing from a backup made before evidence files existed', () => {
    expect(unpackEvidence(new Database(':memory:'), join(dir, 'old'))).toBe(0);
  });
});
