/**
 * Reading a saved GMM-HMM recogniser from disk (Node); classifier-file.ts parses the text.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Engine } from '../engine.ts';
import { ModelFormatError } from '../errors.ts';
import { parseClassifier, type LoadedClassifier } from './classifier-file.ts';

/**
 * Reads a model file written by `speechcore hmm train` (parseClassifier checks it).
 * @throws ModelFormatError naming the file and the problem (missing, not JSON, other schema or
 *   version, inconsistent shapes, invalid model).
 */
export function loadClassifier(path: string, engine?: Engine): LoadedClassifier {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ModelFormatError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseClassifier(text, path, engine);
}
