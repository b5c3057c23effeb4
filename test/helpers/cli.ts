/**
 * What every failing CLI run must look like (DESIGN §4): the error on one line naming the flag or
 * file; a usage error (exit 2) then adds "usage:" and the usage of that command (or subcommand) only.
 *
 * @module
 */
import * as assert from 'uvu/assert';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Exits with `status` (or any non-zero), the error line mentions every part, and any usage is one command's. */
export function failsWith(r: CliRun, status: number | 'non-zero', ...parts: string[]): void {
  if (status === 'non-zero') assert.ok(r.status !== 0 && r.status !== null, `expected a non-zero exit, got ${r.status}`);
  else assert.is(r.status, status, `exit status (stderr: ${r.stderr.trim()})`);
  const [first, ...rest] = r.stderr.trimEnd().split('\n');
  for (const p of parts) assert.ok(first!.includes(p), `"${first}" should mention "${p}"`);
  if (rest.length === 0) return;
  assert.is(r.status, 2, `only usage errors add lines to the error:\n${r.stderr}`);
  assert.is(rest[0], 'usage:', r.stderr);
  const commands = new Set(rest.filter((l) => /^ {2}speechcore /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')));
  assert.is(commands.size, 1, `a usage error prints one command's usage, got: ${[...commands].join(' | ')}`);
}
