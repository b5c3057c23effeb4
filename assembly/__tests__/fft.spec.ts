// rfft / rfft4 (assembly/dsp/fft.ts) against a direct f64 DFT written here, and the SIMD build's
// lane-split rfft against rfftScalar / rfft4's lanes (same maths, different rounding).
import { rfftPlanBytes, rfftPlanInit, rfft, rfftScalar, rfft4 } from "../dsp/fft";
import {
  allocF32, allocBytes, free, seed, fillRandom, fillF32, getF32,
  checkEq, checkBitsN, checkAtMost, checkInt, checkFilled,
} from "./helpers";

// 2·3·5-smooth sizes, both parities, plus 49 = 7² and 441 = 3²·7² (generic prime butterflies).
// n = 8·q with q ≥ 4 takes the lane split on the SIMD build: q = 4, 5 (no full block of 4 k),
// 6, 8, 12, 15, 30 (240: two leftover k), 32, 49 (392: generic radix on lanes), 50, 64, 125, 128.
// The rest keep rfftScalar: n ≤ 16, m = n/2 not a multiple of 4 (6, 12, 30, 882), odd n.
const SIZES: i32[] = [2, 3, 4, 5, 6, 8, 12, 15, 16, 30, 32, 40, 48, 49, 64, 96, 120, 240, 256, 392, 400, 441, 512, 882, 1000, 1024];

/** Direct DFT in f64 of the f32 signal at x: bins 0 … n/2 into re, im. */
function dft(x: usize, n: i32, re: Float64Array, im: Float64Array): void {
  const nBins = (n >> 1) + 1;
  for (let k = 0; k < nBins; k++) {
    let sr = 0.0, si = 0.0;
    for (let j = 0; j < n; j++) {
      // Reduce j·k mod n first so the angle stays exact for large n.
      const a = -2.0 * Math.PI * <f64>(<i64>j * <i64>k % <i64>n) / <f64>n;
      const v = <f64>getF32(x, j);
      sr += v * Math.cos(a);
      si += v * Math.sin(a);
    }
    re[k] = sr;
    im[k] = si;
  }
}

const SENTINEL: f32 = -9999.5;

/** Set to true to log the measured DFT errors (npx asp --config as-pect.config.js --verbose). */
const VERBOSE = false;

/** A plan in memory pre-filled with junk, as the bindings' arena hands it out unzeroed. */
function newPlan(n: i32): usize {
  const plan = allocBytes(rfftPlanBytes(n));
  memory.fill(plan, 0xa5, <usize>rfftPlanBytes(n));
  rfftPlanInit(n, plan);
  return plan;
}

function checkAgainstDft(n: i32): void {
  const nBins = (n >> 1) + 1;
  const plan = newPlan(n);
  const x = allocF32(n), out = allocF32(2 * nBins), work = allocF32(4 * n);
  seed(<u32>(1000 + n));
  fillRandom(x, n);
  rfft(plan, x, out, work, 0);
  const re = new Float64Array(nBins), im = new Float64Array(nBins);
  dft(x, n, re, im);
  let peak = 0.0, err = 0.0;
  for (let k = 0; k < nBins; k++) {
    peak = Math.max(peak, Math.hypot(re[k], im[k]));
    const er = <f64>getF32(out, 2 * k) - re[k], ei = <f64>getF32(out, 2 * k + 1) - im[k];
    err = Math.max(err, Math.hypot(er, ei));
  }
  checkAtMost(err / peak, 1e-5, "rfft n=" + n.toString() + ": max |X - DFT| / max |DFT|");
  if (VERBOSE) log<string>("rfft n=" + n.toString() + " relative error " + (err / peak).toString());

  // Power 1 and 2 are the same transform: |X| and |X|² of the complex output, in f32.
  const mag = allocF32(nBins), pow = allocF32(nBins), magRef = allocF32(nBins), powRef = allocF32(nBins);
  rfft(plan, x, mag, work, 1);
  rfft(plan, x, pow, work, 2);
  for (let k = 0; k < nBins; k++) {
    const xr = getF32(out, 2 * k), xi = getF32(out, 2 * k + 1);
    const p: f32 = xr * xr + xi * xi;
    store<f32>(powRef + <usize>k * 4, p);
    store<f32>(magRef + <usize>k * 4, sqrt<f32>(p));
  }
  checkBitsN(pow, powRef, nBins, "rfft n=" + n.toString() + " power 2 = re² + im² of power 0");
  checkBitsN(mag, magRef, nBins, "rfft n=" + n.toString() + " power 1 = sqrt(re² + im²) of power 0");
  free(magRef); free(powRef);
  free(mag); free(pow);
  free(plan); free(x); free(out); free(work);
}

/** rfft4 on 4 interleaved signals equals rfftScalar on each, bit for bit, for power 0, 1, 2. */
function checkRfft4(n: i32): void {
  const nBins = (n >> 1) + 1;
  const plan = newPlan(n);
  const x4 = allocF32(4 * n), out4 = allocF32(4 * 2 * nBins + 4), ref4 = allocF32(4 * 2 * nBins), work4 = allocF32(16 * n);
  const x = allocF32(n), out = allocF32(2 * nBins), work = allocF32(4 * n);
  seed(<u32>(7000 + n));
  fillRandom(x4, 4 * n);
  for (let power = 0; power <= 2; power++) {
    // power 0: out4 is [bin][re/im][lane]; power 1, 2: [bin][lane]; both are [i][lane], i < width.
    const width = power == 0 ? 2 * nBins : nBins;
    fillF32(out4, 4 * 2 * nBins + 4, SENTINEL);
    rfft4(plan, x4, out4, work4, power);
    checkFilled(out4, 4 * width, 4 * 2 * nBins + 4, SENTINEL, "rfft4 n=" + n.toString() + " power " + power.toString() + ": wrote past out");
    for (let f = 0; f < 4; f++) {
      for (let i = 0; i < n; i++) store<f32>(x + <usize>i * 4, getF32(x4, 4 * i + f));
      rfftScalar(plan, x, out, work, power);
      for (let i = 0; i < width; i++) store<f32>(ref4 + <usize>(4 * i + f) * 4, getF32(out, i));
    }
    checkBitsN(out4, ref4, 4 * width, "rfft4 n=" + n.toString() + " power " + power.toString() + " vs rfftScalar per lane");
  }
  free(plan); free(x4); free(out4); free(ref4); free(work4); free(x); free(out); free(work);
}

/** max |a − b| / max |b| over len f32 (normwise: tiny bins make per-bin ratios meaningless). */
function normwiseErr(a: usize, b: usize, len: i32): f64 {
  let peak = 0.0, err = 0.0;
  for (let i = 0; i < len; i++) {
    peak = Math.max(peak, Math.abs(<f64>getF32(b, i)));
    err = Math.max(err, Math.abs(<f64>getF32(a, i) - <f64>getF32(b, i)));
  }
  return peak > 0 ? err / peak : err;
}

/** True when n gets the lane split on this build (n = 8·q, q ≥ 4, SIMD). */
function laneSplit(n: i32): bool {
  return ASC_FEATURE_SIMD && (n & 7) == 0 && n >= 32;
}

/**
 * rfft vs rfftScalar and vs rfft4's lanes for power 0, 1, 2: to f32 rounding where rfft takes the
 * lane split, bit for bit where it does not; and it writes nothing past out.
 */
function checkVsLanes(n: i32): void {
  const nBins = (n >> 1) + 1;
  const plan = newPlan(n);
  const x4 = allocF32(4 * n), out4 = allocF32(4 * 2 * nBins), work4 = allocF32(16 * n);
  const x = allocF32(n), out = allocF32(2 * nBins + 4), ref = allocF32(2 * nBins), lane = allocF32(2 * nBins);
  const work = allocF32(4 * n);
  seed(<u32>(5000 + n));
  fillRandom(x4, 4 * n);
  for (let power = 0; power <= 2; power++) {
    const width = power == 0 ? 2 * nBins : nBins;
    const tag = "rfft n=" + n.toString() + " power " + power.toString();
    rfft4(plan, x4, out4, work4, power);
    for (let f = 0; f < 4; f++) {
      for (let i = 0; i < n; i++) store<f32>(x + <usize>i * 4, getF32(x4, 4 * i + f));
      fillF32(out, 2 * nBins + 4, SENTINEL);
      rfft(plan, x, out, work, power);
      checkFilled(out, width, 2 * nBins + 4, SENTINEL, tag + ": wrote past out");
      rfftScalar(plan, x, ref, work, power);
      for (let i = 0; i < width; i++) store<f32>(lane + <usize>i * 4, getF32(out4, 4 * i + f));
      if (laneSplit(n)) {
        // Measured ≤ 4e-7 for these sizes; 2e-6 leaves room and still fails any indexing slip.
        const e = normwiseErr(out, ref, width);
        checkAtMost(e, 2e-6, tag + " lane " + f.toString() + ": vs rfftScalar, normwise");
        checkAtMost(normwiseErr(out, lane, width), 2e-6, tag + " lane " + f.toString() + ": vs rfft4, normwise");
        if (VERBOSE && f == 0) log<string>(tag + " vs rfftScalar " + e.toString());
      } else {
        checkBitsN(out, ref, width, tag + " lane " + f.toString() + ": vs rfftScalar");
        checkBitsN(out, lane, width, tag + " lane " + f.toString() + ": vs rfft4");
      }
    }
  }
  free(plan); free(x4); free(out4); free(work4); free(x); free(out); free(ref); free(lane); free(work);
}

describe("rfftPlanBytes", () => {
  it("is 0 for n < 2", () => {
    checkInt(rfftPlanBytes(1), 0, "n = 1");
    checkInt(rfftPlanBytes(0), 0, "n = 0");
    checkInt(rfftPlanBytes(-4), 0, "n = -4");
  });
  it("is a positive multiple of 16 for n ≥ 2", () => {
    for (let i = 0; i < SIZES.length; i++) {
      const b = rfftPlanBytes(SIZES[i]);
      checkAtMost(<f64>256, <f64>b, "plan bytes ≥ header, n=" + SIZES[i].toString());
      checkInt(b & 15, 0, "plan bytes % 16, n=" + SIZES[i].toString());
    }
  });
});

describe("rfft", () => {
  it("matches a direct f64 DFT (complex output) and power 1/2 agree with it", () => {
    for (let i = 0; i < SIZES.length; i++) checkAgainstDft(SIZES[i]);
  });

  it("turns an impulse into a flat spectrum", () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s], nBins = (n >> 1) + 1;
      const plan = newPlan(n), x = allocF32(n), out = allocF32(2 * nBins), work = allocF32(4 * n);
      store<f32>(x, 1);
      rfft(plan, x, out, work, 0);
      // Exact: every butterfly sees one non-zero input, times the k = 0 twiddle (1, -0).
      for (let k = 0; k < nBins; k++) {
        checkEq(getF32(out, 2 * k), 1, "impulse n=" + n.toString() + ": Re X" + k.toString());
        checkEq(getF32(out, 2 * k + 1), 0, "impulse n=" + n.toString() + ": Im X" + k.toString());
      }
      free(plan); free(x); free(out); free(work);
    }
  });

  it("puts a constant entirely into DC", () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s], nBins = (n >> 1) + 1;
      const plan = newPlan(n), x = allocF32(n), out = allocF32(2 * nBins), work = allocF32(4 * n);
      fillF32(x, n, 0.75);
      rfft(plan, x, out, work, 0);
      const dc = 0.75 * <f64>n;
      checkAtMost(Math.abs(<f64>getF32(out, 0) - dc) / dc, 1e-6, "constant n=" + n.toString() + ": DC");
      checkEq(getF32(out, 1), 0, "constant n=" + n.toString() + ": Im DC");
      let rest = 0.0;
      for (let k = 1; k < nBins; k++) {
        rest = Math.max(rest, Math.hypot(<f64>getF32(out, 2 * k), <f64>getF32(out, 2 * k + 1)));
      }
      checkAtMost(rest / dc, 1e-6, "constant n=" + n.toString() + ": max |X_k| / DC, k > 0");
      free(plan); free(x); free(out); free(work);
    }
  });

  it("handles n = 4 by hand", () => {
    // x = [1, 2, 3, 4]: X0 = 10, X1 = -2 + 2i, X2 = -2.
    const plan = newPlan(4), x = allocF32(4), out = allocF32(6), work = allocF32(16);
    store<f32>(x, 1); store<f32>(x, 2, 4); store<f32>(x, 3, 8); store<f32>(x, 4, 12);
    rfft(plan, x, out, work, 0);
    checkEq(getF32(out, 0), 10, "X0 re"); checkEq(getF32(out, 1), 0, "X0 im");
    checkEq(getF32(out, 2), -2, "X1 re"); checkEq(getF32(out, 3), 2, "X1 im");
    checkEq(getF32(out, 4), -2, "X2 re");
    // Im X at Nyquist is sin(-π)·(…) with sin(-π) rounded to f32 (-1.2e-16), not exactly 0.
    checkAtMost(Math.abs(<f64>getF32(out, 5)), 1e-12, "X2 im");
    free(plan); free(x); free(out); free(work);
  });
});

describe("rfft lane split", () => {
  it("plans carry a lane-split sub-plan exactly for n = 8·q, q ≥ 4", () => {
    for (let i = 0; i < SIZES.length; i++) {
      const n = SIZES[i], plan = newPlan(n);
      checkInt(load<i32>(plan, 24) != 0 ? 1 : 0, (n & 7) == 0 && n >= 32 ? 1 : 0, "sub-plan offset, n=" + n.toString());
      free(plan);
    }
  });
  it("agrees with rfftScalar and rfft4's lanes (to f32 rounding on the lane split), power 0, 1, 2", () => {
    for (let i = 0; i < SIZES.length; i++) checkVsLanes(SIZES[i]);
  });
});

describe("rfft4", () => {
  it("equals rfft on each of the 4 interleaved signals, bit for bit", () => {
    for (let i = 0; i < SIZES.length; i++) checkRfft4(SIZES[i]);
  });
});
