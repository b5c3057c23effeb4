// melApply (assembly/dsp/mel.ts) with a hand-built sparse plan: i32 (firstBin, count) per band,
// then every band's non-zero weights back to back.
import { melApply, melLanes } from "../dsp/mel";
import {
  allocF32, allocBytes, free, setF32, fillF32, seed, fillRandom, getF32,
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
