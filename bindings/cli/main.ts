#!/usr/bin/env node
/**
 * The `speechcore` command. Errors: non-zero exit and one line on stderr naming the file or
 * parameter (DESIGN §4); a usage error (exit 2) adds that command's usage only; --debug adds the
 * stack. `speechcore <command> [<sub>] --help` prints that command's usage and exits 0.
 *
 * The engine's commands are here. The lab's (report, classify, seq2seq, serve, data) belong to the
 * lab application (lab/ in the repository, package `@speechcore/lab`); they are looked up by
 * package name when asked for, the way git finds `git-<name>`, and the installed package says
 * where to get them when they are absent.
 */
import { readFileSync } from 'node:fs';
import { UsageError, type Command, type Usage } from './kit.ts';
import { featuresCommand } from './features.ts';
import { extractCommand } from './extract.ts';
import { benchCommand } from './bench.ts';
import { hmmCommand } from './hmm.ts';
import { pitchCommand, formantsCommand } from './praat.ts';
import { lstmCommand } from './lstm.ts';
import { recognizeCommand, trainCommand } from './recognize.ts';
import { digitsCommand } from './digits.ts';

const ENGINE: Record<string, Command> = {
  train: trainCommand, recognize: recognizeCommand, digits: digitsCommand,
  features: featuresCommand, extract: extractCommand, pitch: pitchCommand, formants: formantsCommand,
  hmm: hmmCommand, lstm: lstmCommand, bench: benchCommand,
};

/** The lab's commands, named here so `--help` lists them without loading the lab. */
const LAB: Record<string, string> = {
  classify: 'step 7: classic classifiers (naive Bayes, KNN, SVM, MLP) on utterance vectors',
  seq2seq: 'step 8: RNN/LSTM/GRU warm-up predicting cosines from sines',
  report: 'every step of the lab as figures (SVG/PNG) and an HTML index',
  serve: 'the live digit page (record or drop a WAV) on localhost',
  data: 'data fetch: download FSDD when you have none',
};
const LAB_PACKAGE = '@speechcore/lab';

function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (pkg.name === 'speechcore') return pkg.version;
    } catch { /* not there */ }
  }
  return 'unknown';
}

function overview(): string {
  const pad = (s: string) => s.padEnd(10);
  return [
    `speechcore ${version()}: speech features, Praat pitch/formants, GMM-HMM and LSTM recognisers on WebAssembly`,
    '', 'usage: speechcore <command> [<subcommand>] [options]    speechcore <command> --help    speechcore --version', '',
    'commands:',
    ...Object.entries(ENGINE).map(([n, c]) => `  ${pad(n)}${c.summary}`),
    '', `lab commands (the lab application, ${LAB_PACKAGE}, in the repository's lab/ folder):`,
    ...Object.entries(LAB).map(([n, s]) => `  ${pad(n)}${s}`),
  ].join('\n');
}

/** A command's help: its line, then its usage (one subcommand's when given). */
function help(c: Usage & { subcommands?: Record<string, Usage> }, sub?: string): string {
  const u = sub && c.subcommands?.[sub] ? c.subcommands[sub] : c;
  return `${u.summary}\n\nusage:\n  ${u.usage}`;
}

const labAbsent = (name: string) => `'${name}' is a command of the lab application (${LAB_PACKAGE}), which is not installed here: ` +
  `it runs from a clone of the speechcore repository (npm ci, then npx speechcore ${name})`;

/** The lab's command, or null when the lab package itself cannot be found (its own failures throw). */
async function labCommand(name: string): Promise<Command | null> {
  let mod: { commands: Record<string, Command> };
  try {
    // A computed specifier: bundlers must not pull the lab into the engine's CLI.
    const spec = `${LAB_PACKAGE}/cli`;
    mod = await import(spec);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const missing = (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') &&
      String(err.message).includes(LAB_PACKAGE);
    if (!missing) throw e;
    return null;
  }
  const c = mod.commands[name];
  if (!c) throw new UsageError(`the installed ${LAB_PACKAGE} has no command '${name}'`);
  return c;
}

let current: { command: Usage & { subcommands?: Record<string, Usage> }; sub?: string } | null = null;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(overview() + '\n');
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(version() + '\n');
    return;
  }
  if (name === 'help') return main([rest[0]!, ...rest.slice(1), '--help']);
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  if (!(name in ENGINE) && !(name in LAB)) throw new UsageError(`unknown command '${name}' (speechcore --help lists them)`);
  const command = ENGINE[name] ?? await labCommand(name);
  if (!command) {
    if (!wantsHelp) throw new UsageError(labAbsent(name));
    process.stdout.write(`${LAB[name]}\n\n${labAbsent(name)}.\n`);
    return;
  }
  const sub = command.subcommands && rest[0] && rest[0] in command.subcommands ? rest[0] : undefined;
  current = { command, sub };
  if (wantsHelp) {
    process.stdout.write(help(command, sub) + '\n');
    return;
  }
  await command.run(rest);
}

main(process.argv.slice(2)).catch((thrown: unknown) => {
  const e = thrown instanceof Error ? thrown : new Error(String(thrown));
  const debug = process.argv.includes('--debug');
  process.stderr.write(`speechcore: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}\n`);
  const usage = e.name === 'UsageError';
  if (usage && current) {
    const c = current.sub ? current.command.subcommands![current.sub]! : current.command;
    process.stderr.write(`usage:\n  ${c.usage}\n`);
  }
  if (debug && e.stack) process.stderr.write(e.stack + '\n');
  process.exitCode = usage ? 2 : 1;
});
