// powerToDbInPlace and clipBelow (assembly/dsp/db.ts) against 10·log10 computed in f64.
import { powerToDbInPlace, clipBelow } from "../dsp/db";
import {
  allocF32, free, setF32, getF32, fillF32,
  checkBits, checkAtMost, checkF32s, checkNear, checkFilled,
} from "./helpers";

const AMIN: f32 = 1e-10;

/** Sweep of magnitudes 10^e, e = −10 … 10 in steps of 0.01 (2001 values: SIMD body + 1 tail). */
function sweep(p: usize): i32 {
  const n = 2001;
  for (let i = 0; i < n; i++) store<f32>(p + <usize>i * 4, <f32>Math.pow(10.0, -10.0 + 0.01 * <f64>i));
  return n;
}

function refDb(x: f32, amin: f32, ref: f32): f64 {
  return 10.0 * Math.log10(Math.max(<f64>amin, <f64>x)) - <f64>ref;
}

function checkSweep(ref: f32): void {
  const X = allocF32(2001), copy = allocF32(2001);
  const n = sweep(X);
  memory.copy(copy, X, <usize>n * 4);
  const best = powerToDbInPlace(X, n, AMIN, ref);
  let err = 0.0;
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) {
    err = Math.max(err, Math.abs(<f64>getF32(X, i) - refDb(getF32(copy, i), AMIN, ref)));
    m = max(m, getF32(X, i));
  }
  checkAtMost(err, 1e-4, "refDb " + ref.toString() + ": max |dB − f64 reference|");
  checkBits(best, m, "refDb " + ref.toString() + ": returns the largest result");
  checkNear(best, 100.0 - <f64>ref, 1e-4, "refDb " + ref.toString() + ": max is 10·log10(1e10) − ref");
  free(X); free(copy);
}

describe("powerToDbInPlace", () => {
  it("matches 10·log10(max(amin, x)) − refDb over 1e-10 … 1e10 within 1e-4 dB", () => {
    checkSweep(0);
    checkSweep(20);
    checkSweep(-3.5);
  });

  it("is exact-ish at powers of ten and floors below amin", () => {
    const X = allocF32(9);
    setF32(X, [1, 10, 100, 0.01, 0, 1e-12, -5, 1e-10, 1e10]);
    const best = powerToDbInPlace(X, 9, AMIN, 0);
    const expected: f64[] = [0, 10, 20, -20, -100, -100, -100, -100, 100];
    for (let i = 0; i < 9; i++) checkNear(<f64>getF32(X, i), expected[i], 1e-4, "value " + i.toString());
    checkNear(best, 100, 1e-4, "max");
    free(X);
  });

  it("returns the max for lengths 1, 2, 3, 5, 8 (scalar tail and SIMD body)", () => {
    const X = allocF32(8 + 4);
    const lengths: i32[] = [1, 2, 3, 5, 8];
    for (let j = 0; j < lengths.length; j++) {
      const n = lengths[j];
      fillF32(X, 12, 4321);
      // The largest value sits last, so it is in the tail whenever n % 4 != 0.
      for (let i = 0; i < n; i++) store<f32>(X + <usize>i * 4, <f32>(i + 1));
      const best = powerToDbInPlace(X, n, AMIN, 0);
      checkNear(best, 10.0 * Math.log10(<f64>n), 1e-4, "n=" + n.toString() + ": max");
      let m: f32 = -Infinity;
      for (let i = 0; i < n; i++) m = max(m, getF32(X, i));
      checkBits(best, m, "n=" + n.toString() + ": returns the largest result");
      checkFilled(X, n, 12, 4321, "n=" + n.toString() + ": nothing past n");
    }
    free(X);
  });

  it("returns -Infinity for n = 0", () => {
    const X = allocF32(4);
    checkBits(powerToDbInPlace(X, 0, AMIN, 0), -Infinity, "n = 0");
    free(X);
  });
});

describe("clipBelow", () => {
  it("raises values below the floor, SIMD body and tail", () => {
    const X = allocF32(7 + 1);
    setF32(X, [-5, 0, 3, -1, 10, -100, 2, 999]);
    clipBelow(X, 7, -2);
    checkF32s(X, [-2, 0, 3, -1, 10, -2, 2, 999], "n = 7 (floor −2; the 8th value is past n)");
    free(X);
  });

  it("handles n < 4 (tail only)", () => {
    const X = allocF32(4);
    setF32(X, [-80, -20, -90, -95]);
    clipBelow(X, 3, -85);
    checkF32s(X, [-80, -20, -85, -95], "n = 3 (floor −85)");
    free(X);
  });
});
