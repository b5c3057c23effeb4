/**
 * How the recogniser's recipe was chosen (README, "How the recipe was chosen"): inner validation
 * that never touches a test speaker. For each of the six leave-one-speaker-out folds, the fold's
 * test speaker is left out entirely; the models train on four of the other five speakers and are
 * scored on the fifth (speaker k+1 for fold k). Prints the mean and worst over the six validation
 * speakers.
 *
 *   npm run bench:recipe -- '{"recipe": {"nStates": 8, "nMix": 8}, "features": {"trimDb": null}, "tts": 20}'
 *
 * The argument: `recipe` and `features` (partial, as trainRecognizer takes them), `tts` (flite
 * takes per voice, default none) and `vtlnWarps` (scored at test time). Two worker threads.
 *
 * @module
 */
import { getEngine, HmmPool, readFsdd, Recognizer, synthesizeDigits, trainRecognizer } from '../bindings/index.ts';

const cfg = JSON.parse(process.argv[2] ?? '{}') as { recipe?: object; features?: object; tts?: number; vtlnWarps?: number[] | null };
const all = readFsdd(process.env.SPEECHCORE_DATA ?? '../shared/data/fsdd');
const speakers = [...new Set(all.map((u) => u.speaker))].sort();
const tts = cfg.tts ? synthesizeDigits({ takes: cfg.tts, seed: 0 }) : [];
const pool = await HmmPool.create(2, getEngine());
const t0 = performance.now();
const accs: number[] = [];
try {
  for (let k = 0; k < speakers.length; k++) {
    const valSpeaker = speakers[(k + 1) % speakers.length]!;
    const train = all.filter((u) => u.speaker !== speakers[k] && u.speaker !== valSpeaker);
    const val = all.filter((u) => u.speaker === valSpeaker);
    const r = await trainRecognizer([...train, ...tts], { recipe: cfg.recipe, features: cfg.features, fit: pool.fitDigits });
    const j = r.recognizer.toJSON();
    const m = cfg.vtlnWarps === undefined ? r.recognizer : Recognizer.fromJSON({ ...j, features: { ...j.features, vtlnWarps: cfg.vtlnWarps } });
    const acc = m.recognizeMany(val).filter((x, i) => x.digit === val[i]!.digit).length / val.length;
    accs.push(acc);
    process.stderr.write(`fold ${k} (test speaker ${speakers[k]} untouched): validation on ${valSpeaker} ${acc.toFixed(3)}\n`);
  }
} finally {
  await pool.close();
}
const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
process.stdout.write(`${JSON.stringify(cfg)}: inner validation mean ${mean.toFixed(4)}, worst ${Math.min(...accs).toFixed(3)} ` +
  `(${accs.map((a) => a.toFixed(3)).join(' ')}); ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
