/**
 * `speechcore serve [--port 8000] [--host 127.0.0.1] [--models DIR]`: the live digit page on this
 * machine. Runs until interrupted; prints the URL and which models it found.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanModels } from '../serve/models.ts';
import { startServer } from '../serve/server.ts';
import { num, parse, UsageError, type Command } from 'speechcore/cli';

const usage = `speechcore serve [--port 8000] [--host 127.0.0.1] [--models DIR (default ./models, else the lab's shipped model)]`;

/**
 * The lab's shipped models folder (lab/models: the default recogniser and its provenance), from
 * the built CLI (lab/dist) or from source (lab/src/cli).
 */
function shippedModels(): string | null {
  for (const rel of ['../models/', '../../models/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}recognizer.json`)) return dir;
  }
  return null;
}

async function runServe(argv: string[]): Promise<void> {
  const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, models: { type: 'string' } }, false);
  const port = num(values, 'port') ?? 8000;
  if (port < 0 || port > 65535) throw new UsageError(`--port=${port} must be an integer in [0, 65535]`);
  if (values.host !== undefined && values.host.trim() === '') throw new UsageError('--host must not be empty');
  // A newcomer without ./models gets the recogniser the repository ships (lab/models/README.md).
  const models = values.models ?? (existsSync('models') ? 'models' : shippedModels() ?? 'models');
  const s = await startServer({ port, host: values.host, models, onError: (line) => process.stderr.write(`speechcore serve: ${line}\n`) });
  const m = scanModels(models);
  const found = !m.exists
    ? `${m.dir} does not exist (the page will say how to train a model)`
    : `${m.dir}: ${m.recognizer ? `recogniser ${m.recognizer}` : m.hmm ? `HMM ${m.hmm}` : 'no recogniser (recognizer.json) or HMM (hmm.json)'}, ${m.lstm ? `LSTM ${m.lstm}` : 'no LSTM'}`;
  process.stdout.write(`speechcore: serving ${s.url} (page ${s.root}; models ${found}); Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void s.close().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const serveCommand: Command = {
  summary: 'the live digit page (record or drop a WAV) on localhost',
  usage,
  run: runServe,
};
