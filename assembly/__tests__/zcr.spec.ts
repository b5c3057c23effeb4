// zeroCrossings (assembly/dsp/zcr.ts), librosa semantics: |x| ≤ threshold counts as +0 (positive),
// a crossing is a sign-bit change between neighbours inside one frame.
import { zeroCrossings } from "../dsp/zcr";
import { allocF32, allocBytes, free, setF32, checkInt } from "./helpers";

/** Runs zeroCrossings on `values` and checks counts[nFrames] plus one untouched slot after them. */
function checkCounts(values: f64[], frameLength: i32, hop: i32, threshold: f32, expected: i32[], what: string): void {
  const x = allocF32(values.length);
  setF32(x, values);
  const n = expected.length;
  const counts = allocBytes((n + 1) * 4);
  store<i32>(counts + <usize>n * 4, -99);
  zeroCrossings(x, frameLength, hop, n, threshold, counts);
  for (let t = 0; t < n; t++) checkInt(load<i32>(counts + <usize>t * 4), expected[t], what + ": frame " + t.toString());
  checkInt(load<i32>(counts + <usize>n * 4), -99, what + ": wrote past nFrames");
  free(x); free(counts);
}

describe("zeroCrossings", () => {
  it("counts 3 crossings in [1,-1,1,-1]", () => {
    checkCounts([1, -1, 1, -1], 4, 4, 0, [3], "alternating");
  });

  it("counts nothing in a constant-sign frame and in a 1-sample frame", () => {
    checkCounts([1, 2, 3, 4], 4, 4, 0, [0], "positive");
    checkCounts([-1, -2, -3, -4], 4, 4, 0, [0], "negative");
    checkCounts([1, -1, 1, -1], 1, 1, 0, [0, 0, 0, 0], "frameLength 1");
  });

  it("treats |x| ≤ threshold as positive: 0, -0, -1e-12", () => {
    // threshold 0: 0 and -0 are positive, -1e-12 is negative.
    checkCounts([1, 0, -0.0, 1], 4, 4, 0, [0], "0 and -0 at threshold 0");
    checkCounts([-1, 0, -1, -0.0], 4, 4, 0, [3], "-1, 0, -1, -0 at threshold 0");
    checkCounts([1, -1e-12, 1, 1], 4, 4, 0, [2], "-1e-12 at threshold 0");
    // threshold 1e-10: -1e-12 becomes positive too; -1 stays negative.
    checkCounts([1, -1e-12, -0.0, 0, 1], 5, 5, 1e-10, [0], "small values at threshold 1e-10");
    checkCounts([-1, -1e-12, -1, 1e-12], 4, 4, 1e-10, [3], "-1, -1e-12, -1, 1e-12 at threshold 1e-10");
    // |x| == threshold counts as zero (≤), just above does not.
    checkCounts([1, -0.5, 1, -0.5001], 4, 4, 0.5, [1], "|x| == threshold");
  });

  it("overlaps frames with hop < frameLength", () => {
    // x:        1 -1 -1 -1  1 -1  1  1
    // frame 0: [1 -1 -1 -1]        → 1
    // frame 1:       [-1 -1  1 -1] → 2
    // frame 2:             [1 -1  1  1] → 2
    checkCounts([1, -1, -1, -1, 1, -1, 1, 1], 4, 2, 0, [1, 2, 2], "hop 2, frame 4");
  });

  it("skips samples when hop > frameLength, and counts nothing across frames", () => {
    // frames [1 -1], [1 1], [-1 -1]  (hop 3: samples 2, 5 are skipped; -1→1 at 1→3 is not counted)
    checkCounts([1, -1, 5, 1, 1, 5, -1, -1], 2, 3, 0, [1, 0, 0], "hop 3, frame 2");
  });
});
