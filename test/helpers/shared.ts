/**
 * Location of the read-only `shared/` folder (datasets, librosa fixtures) that sits beside the
 * repo: /work/main is the repo, /work/shared the data.
 *
 * @module
 */

import { fileURLToPath } from 'node:url';

/** Absolute path of `shared/`, with a trailing slash; fixture `input.path`s are relative to it. */
export const sharedDir: string = fileURLToPath(new URL('../../../shared/', import.meta.url));
