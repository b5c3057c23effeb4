/**
 * `speechcore/cli`: what a command of the `speechcore` CLI is made of, for applications that add
 * their own commands to it (the lab in this repository does: report, classify, serve, ...). The
 * same option parsing, usage errors (exit 2), progress bar and atomic file writes as the engine's
 * commands, so every command behaves alike.
 *
 * @module
 */
export { parse, num, UsageError } from './args.ts';
export { progressBar, type Progress } from './progress.ts';
export { writeFileAtomic } from '../io/atomic.ts';

/** One usage block: a line saying what it does, then its synopsis. */
export interface Usage {
  summary: string;
  usage: string;
}

/** A command: its usage (or one per subcommand) and what runs it. */
export interface Command extends Usage {
  subcommands?: Record<string, Usage>;
  run(argv: string[]): Promise<void> | void;
}
