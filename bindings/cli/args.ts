/**
 * Option parsing for the CLI: node:util parseArgs with numbers checked here, so every bad flag
 * becomes a one-line UsageError naming the flag and value.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses argv strictly; every flag also accepts --debug (stack traces on error). */
export function parse<O extends Options>(argv: string[], options: O, positionals = true):
  ReturnType<typeof parseArgs<{ args: string[]; options: O & { debug: { type: 'boolean' } }; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: argv, options: { ...options, debug: { type: 'boolean' as const } }, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

/** A numeric flag: undefined when absent, else a finite number (an integer when int). */
export function num(values: Record<string, unknown>, name: string, int = true): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || (int && !Number.isInteger(n))) {
    throw new UsageError(`--${name}=${String(v)} must be ${int ? 'an integer' : 'a number'}`);
  }
  return n;
}

/**
 * An integer flag with a default and a lower bound (UsageError naming the flag otherwise).
 * `name` is the spelling to report (a deprecated alias's, when the user typed that).
 */
export function intFlag(values: Record<string, unknown>, flag: string, dflt: number, min = 1, name = flag): number {
  const v = values[flag] === undefined ? dflt : num({ [name]: values[flag] }, name)!;
  if (v < min) throw new UsageError(`--${name}=${v} must be an integer >= ${min}`);
  return v;
}
