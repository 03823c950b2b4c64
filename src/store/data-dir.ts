import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MizanError } from '../domain/errors.js';

/**
 * The data directory: the SQLite file (unless DATABASE_URL points at PostgreSQL), the log's
 * and the operator's private keys (mode 0600) and a small config fixed at init.
 */
export interface DataDirConfig {
  readonly origin: string;
  readonly created_at: string;
}

export const DEFAULT_DATA_DIR = 'mizan-data';

export function resolveDataDir(flag: string | undefined): string {
  return resolve(flag ?? process.env.MIZAN_DATA ?? DEFAULT_DATA_DIR);
}

export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

export function sqlitePath(dir: string): string {
  return join(dir, 'mizan.sqlite');
}

export function keyPath(dir: string, name: 'log' | 'operator'): string {
  return join(dir, 'keys', `${name}.key`);
}

/** A random origin that never depends on host or port, as C2SP recommends for log names. */
export function defaultOrigin(): string {
  return `mizan.local/${randomBytes(6).toString('hex')}`;
}

export function createDataDir(dir: string, origin: string): DataDirConfig {
  if (!isEmptyDir(dir)) throw new MizanError('DATA_DIR_NOT_EMPTY', `the data directory ${dir} is not empty; choose another with --data or remove it`);
  mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  const config: DataDirConfig = { origin, created_at: new Date().toISOString() };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  return config;
}

export function readDataDir(dir: string): DataDirConfig {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) throw new MizanError('DATA_DIR_MISSING', `no Mizan data directory at ${dir}; run \`mizan init\` (or \`mizan start\`) first`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirConfig>;
  if (typeof parsed.origin !== 'string' || typeof parsed.created_at !== 'string') throw new MizanError('DATA_DIR_MISSING', `${file} is damaged: it needs origin and created_at`);
  return { origin: parsed.origin, created_at: parsed.created_at };
}

export function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readSecret(file: string): string {
  if (!existsSync(file)) throw new MizanError('DATA_DIR_MISSING', `missing key file ${file}`);
  return readFileSync(file, 'utf8').trim();
}
