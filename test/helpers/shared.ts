/**
 * Location of the read-only `shared/` folder (datasets, librosa fixtures) that sits beside the
 * repo: /work/main is the repo, /work/shared the data. SPEECHCORE_SHARED overrides it.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fromEnv = process.env.SPEECHCORE_SHARED;

/** Absolute path of `shared/`, with a trailing slash; fixture `input.path`s are relative to it. */
export const sharedDir: string = fromEnv
  ? fromEnv.replace(/\/?$/, '/')
  : fileURLToPath(new URL('../../../shared/', import.meta.url));

if (!existsSync(sharedDir)) {
  throw new Error(`test data not found at ${sharedDir}: tests need the shared folder beside the checkout (or SPEECHCORE_SHARED)`);
}
