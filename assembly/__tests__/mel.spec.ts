// melApply (assembly/dsp/mel.ts) with a hand-built sparse plan: i32 (firstBin, count) per band,
// then every band's non-zero weights back to back; and melOneFrame through the plan's single-frame
// layout (melGroupInit), which must give melApply's bits.
import { melApply, melGroupInit, melLanes, melOneFrame, melPlanBytes } from "../dsp/mel";
import {
  allocF32, allocBytes, free, setF32, fillF32, seed, fillRandom, getF32, uniform,
  checkBits, checkF32s, checkFilled,
} from "./helpers";

const SENTINEL: f32 = -777.25;

/**
 * 3 bands over 6 bins:
 *   band 0: bins 1..3, weights [0.5, 1, 0.5]
 *   band 1: empty (count 0; firstBin 5 is never read)
 *   band 2: bins 3..4, weights [0.25, 0.75]
 */
function handPlan(): usize {
  const plan = allocBytes(3 * 8 + 5 * 4);
  store<i32>(plan, 1); store<i32>(plan, 3, 4);
  store<i32>(plan, 5, 8); store<i32>(plan, 0, 12);
  store<i32>(plan, 3, 16); store<i32>(plan, 2, 20);
  setF32(plan + 24, [0.5, 1, 0.5, 0.25, 0.75]);
  return plan;
}

describe("melApply", () => {
  it("applies a hand-built sparse plan with an empty band", () => {
    const plan = handPlan();
    // Two frames of 6 bins, frame-major.
    const S = allocF32(12);
    setF32(S, [1, 2, 3, 4, 5, 6, 0, 10, 0, -2, 1, 0]);
    const out = allocF32(3 * 2 + 4);
    fillF32(out, 10, SENTINEL);
    melApply(plan, 3, S, 6, 2, out);
    // frame 0: 0.5·2 + 3 + 0.5·4 = 6;  0;  0.25·4 + 0.75·5 = 4.75
    // frame 1: 0.5·10 + 0 + 0.5·(−2) = 4;  0;  0.25·(−2) + 0.75·1 = 0.25
    checkF32s(out, [6, 0, 4.75, 4, 0, 0.25], "out [2][3]");
    checkFilled(out, 6, 10, SENTINEL, "nothing written past [nFrames][nMels]");
    checkF32s(S, [1, 2, 3, 4, 5, 6, 0, 10, 0, -2, 1, 0], "input untouched");
    free(plan); free(S); free(out);
  });

  it("writes nothing for 0 frames", () => {
    const plan = handPlan();
    const S = allocF32(6), out = allocF32(4);
    fillF32(out, 4, SENTINEL);
    melApply(plan, 3, S, 6, 0, out);
    checkFilled(out, 0, 4, SENTINEL, "0 frames");
    free(plan); free(S); free(out);
  });

  it("gives the same bits on f32x4 lanes (four frames side by side) as on f32", () => {
    if (!ASC_FEATURE_SIMD) return; // scalar build (as-pect.scalar.asconfig.json): no v128
    const plan = handPlan();
    const S = allocF32(4 * 6), S4 = allocF32(6 * 4), out = allocF32(4 * 3), out4 = allocF32(3 * 4);
    seed(4242);
    fillRandom(S, 24);
    for (let f = 0; f < 4; f++) {
      for (let k = 0; k < 6; k++) store<f32>(S4 + <usize>(k * 4 + f) * 4, getF32(S, f * 6 + k));
    }
    melApply(plan, 3, S, 6, 4, out);
    melLanes<v128>(plan, 3, S4, out4);
    for (let f = 0; f < 4; f++) {
      for (let j = 0; j < 3; j++) {
        checkBits(getF32(out4, j * 4 + f), getF32(out, f * 3 + j), "lane " + f.toString() + " band " + j.toString());
      }
    }
    free(plan); free(S); free(S4); free(out); free(out4);
  });
});

/**
 * A random sparse plan over nBins bins: bands of 0–5 bins at random places (overlapping, some
 * empty, including a whole group of four when nMels ≥ 8), with its single-frame layout written.
 */
function randomPlan(nBins: i32, nMels: i32): usize {
  const head = allocBytes(nMels * 8);
  let total = 0;
  for (let m = 0; m < nMels; m++) {
    const empty = m % 7 == 3 || (nMels >= 8 && m >= 4 && m < 8);
    const count = empty ? 0 : 1 + <i32>((<f64>uniform() + 1) * 2.5);
    const first = <i32>((<f64>uniform() + 1) * 0.5 * <f64>(nBins - count));
    store<i32>(head + <usize>m * 8, first);
    store<i32>(head + <usize>m * 8, count, 4);
    total += count;
  }
  const plan = allocBytes(melPlanBytes(head, nMels));
  memory.copy(plan, head, <usize>nMels * 8);
  free(head);
  fillRandom(plan + <usize>nMels * 8, total);
  melGroupInit(plan, nMels);
  return plan;
}

describe("melOneFrame", () => {
  it("equals melApply bit for bit on random plans (nMels 1–13, 40, 128; empty bands and groups), and writes nothing past nMels", () => {
    seed(977);
    const sizes: i32[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 40, 128];
    for (let i = 0; i < sizes.length; i++) {
      const nMels = sizes[i], nBins = 121;
      const plan = randomPlan(nBins, nMels);
      const S = allocF32(nBins), ref = allocF32(nMels), out = allocF32(nMels + 4);
      fillRandom(S, nBins);
      for (let k = 0; k < nBins; k++) store<f32>(S + <usize>k * 4, Mathf.abs(getF32(S, k))); // powers are ≥ 0
      melApply(plan, nMels, S, nBins, 1, ref);
      fillF32(out, nMels + 4, SENTINEL);
      melOneFrame(plan, nMels, S, out);
      for (let j = 0; j < nMels; j++) checkBits(getF32(out, j), getF32(ref, j), "nMels " + nMels.toString() + " band " + j.toString());
      checkFilled(out, nMels, nMels + 4, SENTINEL, "nMels " + nMels.toString() + ": nothing past the bands");
      free(plan); free(S); free(ref); free(out);
    }
  });
});
