/**
 * The lab's commands, which the `speechcore` CLI looks up by this package's name
 * (`@speechcore/lab/cli`) when asked for one of them.
 *
 * @module
 */
import type { Command } from 'speechcore/cli';
import { classifyCommand } from './classify.ts';
import { dataCommand } from './data.ts';
import { reportCommand } from './report.ts';
import { seq2seqCommand } from './seq2seq.ts';
import { serveCommand } from './serve.ts';

export const commands: Record<string, Command> = {
  classify: classifyCommand, seq2seq: seq2seqCommand, report: reportCommand, serve: serveCommand, data: dataCommand,
};
