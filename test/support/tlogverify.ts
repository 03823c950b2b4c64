import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, requireOrSkip } from './env.js';

let cached: string | null | undefined;

/** Path of the independent Go verifier, built from ../shared on first use; null (skip) when Go or ../shared is absent outside CI. */
export function tlogVerifyBinary(): string | null {
  if (cached !== undefined) return cached;
  const bin = join(REPO_ROOT, '.tmp', 'tlogverify');
  const built = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'tlog-verify.sh')], { encoding: 'utf8' });
  cached = built.status === 0 && existsSync(bin) ? bin : null;
  if (!requireOrSkip(`the Go verifier tlog-verify (${built.stderr.trim()})`, cached !== null)) cached = null;
  return cached;
}

export function runTlogVerify(bin: string, args: string[]): { status: number; out: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}
