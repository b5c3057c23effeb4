/**
 * Which models a folder holds, for the page (GET models/index.json). Looked up on every request,
 * so a model trained while the server runs appears on the next reload.
 *
 *   recogniser  recognizer.json, else the first top-level *.json that starts like a file of
 *         `speechcore train --out` (schema "speechcore-recognizer"): the speaker-independent one;
 *   HMM   hmm.json, else model.json, else the first top-level *.json that starts like a file of
 *         `speechcore hmm train --out` (schema "speechcore-hmm-classifier");
 *   LSTM  lstm.json, else lstm/best.json (`speechcore lstm train --checkpoint DIR/lstm`), else
 *         best.json, else a top-level .json file or a subfolder's best.json that starts like a
 *         SequenceClassifier.
 *
 * Names decide before contents, so a corrupt hmm.json is still offered as the HMM and the page
 * reports what is wrong with it rather than acting as if there were none.
 *
 * @module
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ModelManifest {
  dir: string;
  exists: boolean;
  recognizer: string | null;
  hmm: string | null;
  lstm: string | null;
}

const RECOGNIZER_NAMES = ['recognizer.json'];
const HMM_NAMES = ['hmm.json', 'model.json'];
const LSTM_NAMES = ['lstm.json', 'lstm/best.json', 'best.json'];
const HMM_HEAD = /^\s*\{\s*"schema"\s*:\s*"speechcore-hmm-classifier"/;
const RECOGNIZER_HEAD = /^\s*\{\s*"schema"\s*:\s*"speechcore-recognizer"/;
const LSTM_HEAD = /^\s*\{\s*"format"\s*:\s*"speechcore\.SequenceClassifier"/;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The first bytes of a file as text ('' when unreadable). */
function head(p: string, n = 200): string {
  let fd = -1;
  try {
    fd = openSync(p, 'r');
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Finds the models in `dir` (paths in the manifest are relative to it, with '/' separators). */
export function scanModels(dir: string): ModelManifest {
  const abs = resolve(dir);
  const manifest: ModelManifest = { dir: abs, exists: existsSync(abs), recognizer: null, hmm: null, lstm: null };
  if (!manifest.exists) return manifest;
  manifest.recognizer = RECOGNIZER_NAMES.find((n) => isFile(join(abs, n))) ?? null;
  manifest.hmm = HMM_NAMES.find((n) => isFile(join(abs, n))) ?? null;
  manifest.lstm = LSTM_NAMES.find((n) => isFile(join(abs, n))) ?? null;
  const complete = () => manifest.recognizer && manifest.hmm && manifest.lstm;
  if (complete()) return manifest;
  let top: string[] = [];
  try {
    top = readdirSync(abs).sort();
  } catch {
    return manifest;
  }
  const candidates = [
    ...top.filter((n) => n.endsWith('.json')),
    ...top.filter((n) => isFile(join(abs, n, 'best.json'))).map((n) => `${n}/best.json`),
  ].filter((n) => isFile(join(abs, n)));
  for (const n of candidates) {
    const h = complete() ? '' : head(join(abs, n));
    if (!manifest.recognizer && RECOGNIZER_HEAD.test(h)) manifest.recognizer = n;
    if (!manifest.hmm && HMM_HEAD.test(h)) manifest.hmm = n;
    if (!manifest.lstm && LSTM_HEAD.test(h)) manifest.lstm = n;
  }
  return manifest;
}
