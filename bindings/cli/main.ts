/**
 * The `speechcore` command. Errors: non-zero exit and one line on stderr naming the file or
 * parameter (DESIGN §4); --debug adds the stack.
 */
import { runFeatures, featuresUsage } from './features.ts';
import { runExtract, extractUsage } from './extract.ts';
import { runBench, benchUsage } from './bench.ts';
import { runHmm, hmmUsage } from './hmm.ts';
import { runData, dataUsage } from './data.ts';
import { runPitch, runFormants, pitchUsage, formantsUsage } from './praat.ts';
import { runLstm, lstmUsage } from './lstm.ts';
import { runSeq2seq, seq2seqUsage } from './seq2seq.ts';
import { runClassify, classifyUsage } from './classify.ts';
import { runReport, reportUsage } from './report.ts';
import { runServe, serveUsage } from './serve.ts';
import { UsageError } from './args.ts';

const usage = `usage:
  ${featuresUsage}
  ${lstmUsage}
  ${seq2seqUsage}
  ${extractUsage}
  ${benchUsage}
  ${hmmUsage}
  ${pitchUsage}
  ${formantsUsage}
  ${dataUsage}
  ${classifyUsage}
  ${reportUsage}
  ${serveUsage}`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'features': return runFeatures(rest);
    case 'extract': return runExtract(rest);
    case 'bench': return runBench(rest);
    case 'lstm': return runLstm(rest);
    case 'seq2seq': return runSeq2seq(rest);
    case 'data': return runData(rest);
    case 'hmm': return runHmm(rest);
    case 'pitch': return runPitch(rest);
    case 'formants': return runFormants(rest);
    case 'classify': return runClassify(rest);
    case 'report': return runReport(rest);
    case 'serve': return runServe(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(usage + '\n');
      return;
    default: throw new UsageError(`unknown command '${command}'\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  const debug = process.argv.includes('--debug');
  process.stderr.write(`speechcore: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}\n`);
  if (debug && e.stack) process.stderr.write(e.stack + '\n');
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
