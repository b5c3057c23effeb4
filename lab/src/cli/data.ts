/**
 * `speechcore data fetch [--dest DIR]`: downloads FSDD (pinned GitHub archive, sha256 or git-tree
 * verified, resumable, extracted atomically) when the user has none.
 */
import { FSDD, fetchFsdd } from '../data/fetch.ts';
import { parse, UsageError, progressBar, type Command } from 'speechcore/cli';

const usage = `speechcore data fetch [--dest ./data/fsdd] [--force] [--url URL --sha256 HEX]`;

async function runData(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'fetch') throw new UsageError(`data: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`} (fetch)`);
  const { values } = parse(rest, {
    dest: { type: 'string' }, url: { type: 'string' }, sha256: { type: 'string' }, force: { type: 'boolean' },
  }, false);
  const bar = progressBar('fetch MB');
  let started = false;
  const mb = (b: number) => Math.round(b / 1e5) / 10;
  const result = await fetchFsdd({
    dest: values.dest, url: values.url, sha256: values.sha256, force: values.force,
    onProgress: (r, t) => { started = true; bar.update(mb(r), mb(t || r)); },
    onWarning: (m) => process.stderr.write(`speechcore: warning: ${m}\n`),
  }).finally(() => { if (started) bar.finish(); });
  if (!result.downloaded) {
    process.stderr.write(`${result.dest} already has ${result.files} recordings (pass --force to download again)\n`);
    return;
  }
  process.stderr.write(`FSDD ${values.url ? '' : FSDD.version + ' '}→ ${result.dest}: ${result.files} recordings, ` +
    `${result.resumed ? 'resumed, ' : ''}${mb(result.bytesFetched)} MB fetched, verified by ${result.verifiedBy}\n`);
}

export const dataCommand: Command = {
  summary: 'download FSDD (verified, resumable) when you have none',
  usage,
  subcommands: { fetch: { summary: 'download FSDD (verified, resumable) when you have none', usage } },
  run: runData,
};
