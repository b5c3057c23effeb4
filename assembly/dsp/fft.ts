// Real FFT of any size n >= 2.
//
// Even n: one complex FFT of n/2 points over z[k] = x[2k] + i x[2k+1], then a split step
// (the classic "two real halves" identity). Odd n: a complex FFT of n points with zero imaginary part.
// The complex FFT is a Stockham autosort (no bit reversal, ping-pong between two buffers), decimation
// in frequency, with radix-4, 2, 3 and 5 butterflies and a direct-DFT butterfly for any other prime
// factor (441 = 3·3·7·7 works, just slower).
//
// One transform on the SIMD build (rfftLaneSplit) when m = n/2 = 4·q with q ≥ 4: the m-point FFT is
// done as four q-point FFTs of the decimated sequences z[4j + l], l = 0..3. Those sequences are
// already the lane-interleaved layout cfftLanes<v128> consumes (lane l = sequence l), so the q-point
// plan runs once on v128 lanes; a radix-4 step across the lanes (twiddles W_m^(l·k), a 4×4 transpose,
// one butterfly) and a vectorised split finish it. Without it a lone frame would run on scalar f32
// lanes at a quarter of the machine's width. Other sizes, and the scalar build, take rfftScalar.
//
// Plans are precomputed in memory the caller owns (rfftPlanBytes / rfftPlanInit); twiddles are
// computed in f64 and stored as f32. Layout (byte offsets from the plan base):
//   i32 header[0..256): n, m (complex length), odd flag, pass count, real-split twiddle offset, bytes,
//                       lane-split sub-plan offset (0: no lane split), lane twiddle offset,
//                       then per pass (radix, twiddle offset, roots offset) from word 8 on.
//   f32 tables after the header: per-pass twiddles; the split twiddles W_n^k, k = 0..m, as [re m+1]
//   then [im m+1] (separate so the SIMD split loads four bins of each at once); then, for the lane
//   split only, a complete q-point complex plan (same layout, its offsets relative to itself) and
//   W_m^(l·k) for l = 1..3, k < q as [l][re, im][q].
// Both builds lay plans out the same way; the scalar build never reads the lane-split part.

import { add, sub, mul, loadSplat } from "../simd";

const HEADER: i32 = 256;
const MAX_PASSES: i32 = 18;

/** Radices in the order the passes apply them: 4s first, then 2, 3, 5, then other primes ascending. */
function factorize(m: i32, out: usize): i32 {
  let count = 0;
  while (m % 4 == 0) { store<i32>(out + (count++ << 2), 4); m /= 4; }
  while (m % 2 == 0) { store<i32>(out + (count++ << 2), 2); m /= 2; }
  for (let p = 3; m > 1; p += 2) {
    if (p * p > m) p = m;
    while (m % p == 0) { store<i32>(out + (count++ << 2), p); m /= p; }
  }
  return count;
}

/** Stores W_n^k = exp(−2πi·k/n) as f32, re at pr and im at pi; exact at quarter turns, where cos/sin
 * of the f64 angle would leave ~1e-16 instead of 0 (numpy's rfft gives exact zeros there). */
function storeTwiddle(pr: usize, pi: usize, k: i64, n: i64): void {
  k %= n;
  let re: f64, im: f64;
  if ((k * 4) % n == 0) {
    const q = <i32>((k * 4) / n);
    re = q == 0 ? 1 : q == 2 ? -1 : 0;
    im = q == 1 ? -1 : q == 3 ? 1 : 0;
  } else {
    const a = -2.0 * Math.PI * <f64>k / <f64>n;
    re = Math.cos(a);
    im = Math.sin(a);
  }
  store<f32>(pr, <f32>re);
  store<f32>(pi, <f32>im);
}

// @ts-ignore: decorator
@inline function align16(b: i32): i32 { return (b + 15) & ~15; }

/** q for the lane-split path (m = 4·q, q ≥ 4, n even), else 0. */
function laneSplitQ(n: i32): i32 {
  if (n & 1) return 0;
  const m = n >> 1;
  return (m & 3) == 0 && m >= 16 ? m >> 2 : 0;
}

/** Bytes of an m-point complex plan (header and pass twiddles), 16-aligned; 0 if too many passes. */
function complexPlanBytes(m: i32): i32 {
  const radices = memory.data(4 * 64);
  const passes = factorize(m, radices);
  if (passes > MAX_PASSES) return 0;
  let bytes = HEADER;
  let len = m;
  for (let i = 0; i < passes; i++) {
    const p = load<i32>(radices + (i << 2));
    bytes += 8 * (p - 1) * (len / p);
    if (p > 5) bytes += 8 * p;
    len /= p;
  }
  return align16(bytes);
}

/**
 * Writes an m-point complex plan's header words 1, 3 and its pass tables at plan (the words
 * cfftLanes reads); returns the byte offset just past the tables.
 */
function complexPlanInit(m: i32, plan: usize): i32 {
  const radices = memory.data(4 * 64);
  const passes = factorize(m, radices);
  memory.fill(plan, 0, HEADER); // arena memory is not zeroed; unused words read as "absent"
  store<i32>(plan, m, 4);
  store<i32>(plan, passes, 12);
  let off = HEADER;
  let len = m;
  for (let i = 0; i < passes; i++) {
    const p = load<i32>(radices + (i << 2));
    const mm = len / p;
    const h = plan + 32 + <usize>(i * 12);
    store<i32>(h, p);
    store<i32>(h, off, 4);
    // W_len^(j·k) for k < mm, j = 1..p-1, k-major so one butterfly's twiddles are adjacent.
    for (let k = 0; k < mm; k++) {
      for (let j = 1; j < p; j++) {
        storeTwiddle(plan + off, plan + off + 4, <i64>j * <i64>k, len);
        off += 8;
      }
    }
    if (p > 5) {
      store<i32>(h, off, 8);
      for (let k = 0; k < p; k++) {
        storeTwiddle(plan + off, plan + off + 4, k, p);
        off += 8;
      }
    } else store<i32>(h, 0, 8);
    len = mm;
  }
  return off;
}

/** Bytes a plan for a real FFT of `n` points needs; 0 if n < 2 or n has too many factors. */
export function rfftPlanBytes(n: i32): i32 {
  if (n < 2) return 0;
  const odd = n & 1;
  const m = odd ? n : n >> 1;
  let bytes = complexPlanBytes(m);
  if (bytes == 0) return 0;
  if (!odd) bytes = align16(bytes + 8 * (m + 1));
  const q = laneSplitQ(n);
  if (q) bytes += complexPlanBytes(q) + 24 * q;
  return align16(bytes);
}

/** Fills a plan for an n-point real FFT at `plan` (rfftPlanBytes(n) bytes, 16-byte aligned). */
export function rfftPlanInit(n: i32, plan: usize): void {
  const odd = n & 1;
  const m = odd ? n : n >> 1;
  let off = complexPlanInit(m, plan);
  store<i32>(plan, n);
  store<i32>(plan, odd, 8);
  store<i32>(plan, off, 16);
  if (!odd) {
    for (let k = 0; k <= m; k++) storeTwiddle(plan + off + <usize>k * 4, plan + off + <usize>(m + 1 + k) * 4, k, n);
    off = align16(off + 8 * (m + 1));
  }
  const q = laneSplitQ(n);
  if (q) {
    const sub = plan + <usize>off;
    complexPlanInit(q, sub);
    store<i32>(sub, 2 * q);
    store<i32>(plan, off, 24);
    off += complexPlanBytes(q);
    store<i32>(plan, off, 28);
    for (let l = 1; l < 4; l++) {
      const re = plan + <usize>off + <usize>(2 * (l - 1) * q) * 4, im = re + <usize>q * 4;
      for (let k = 0; k < q; k++) storeTwiddle(re + <usize>k * 4, im + <usize>k * 4, <i64>l * <i64>k, m);
    }
    off += 24 * q;
  }
  store<i32>(plan, align16(off), 20);
}

// @ts-ignore: decorator
@inline function ld<T>(p: usize): T { return load<T>(p); }
// @ts-ignore: decorator
@inline function st<T>(p: usize, v: T): void { store<T>(p, v); }

/** Stores (br, bi)·(wr, wi) at p. */
// @ts-ignore: decorator
@inline function storeTwiddled<T>(p: usize, br: T, bi: T, wr: T, wi: T): void {
  st<T>(p, sub<T>(mul<T>(br, wr), mul<T>(bi, wi)));
  st<T>(p + sizeof<T>(), add<T>(mul<T>(br, wi), mul<T>(bi, wr)));
}

function pass2<T>(x: usize, y: usize, s: i32, mm: i32, tw: usize): void {
  const S = sizeof<T>(), C = S << 1;
  const half = <usize>(s * mm) * C;
  for (let k = 0; k < mm; k++) {
    const wr = loadSplat<T>(tw + <usize>k * 8), wi = loadSplat<T>(tw + <usize>k * 8 + 4);
    let a = x + <usize>(s * k) * C;
    let o = y + <usize>(s * 2 * k) * C;
    const os = <usize>s * C;
    for (let q = 0; q < s; q++, a += C, o += C) {
      const a0r = ld<T>(a), a0i = ld<T>(a + S), a1r = ld<T>(a + half), a1i = ld<T>(a + half + S);
      st<T>(o, add<T>(a0r, a1r));
      st<T>(o + S, add<T>(a0i, a1i));
      storeTwiddled<T>(o + os, sub<T>(a0r, a1r), sub<T>(a0i, a1i), wr, wi);
    }
  }
}

function pass4<T>(x: usize, y: usize, s: i32, mm: i32, tw: usize): void {
  const S = sizeof<T>(), C = S << 1;
  const q1 = <usize>(s * mm) * C;
  const os = <usize>s * C;
  for (let k = 0; k < mm; k++) {
    const w = tw + <usize>k * 24;
    const w1r = loadSplat<T>(w), w1i = loadSplat<T>(w + 4);
    const w2r = loadSplat<T>(w + 8), w2i = loadSplat<T>(w + 12);
    const w3r = loadSplat<T>(w + 16), w3i = loadSplat<T>(w + 20);
    let a = x + <usize>(s * k) * C;
    let o = y + <usize>(s * 4 * k) * C;
    for (let q = 0; q < s; q++, a += C, o += C) {
      butterfly4<T>(o, os,
        ld<T>(a), ld<T>(a + S), ld<T>(a + q1), ld<T>(a + q1 + S),
        ld<T>(a + 2 * q1), ld<T>(a + 2 * q1 + S), ld<T>(a + 3 * q1), ld<T>(a + 3 * q1 + S),
        w1r, w1i, w2r, w2i, w3r, w3i);
    }
  }
}

/**
 * pass4 as the first pass (s = 1) of the lane split, reading the real input x [8·mm·4] f32 directly:
 * point j, lane l = x[8j + 2l] + i·x[8j + 2l + 1], de-interleaved by two shuffles per point, so the
 * copy into the lane layout costs no extra store and reload.
 */
function pass4Real(x: usize, y: usize, mm: i32, tw: usize): void {
  if (!ASC_FEATURE_SIMD) return;
  const q1 = <usize>mm * 32;
  for (let k = 0; k < mm; k++) {
    const w = tw + <usize>k * 24;
    const a = x + <usize>k * 32;
    const v0 = v128.load(a), v1 = v128.load(a, 16);
    const v2 = v128.load(a + q1), v3 = v128.load(a + q1, 16);
    const v4 = v128.load(a + 2 * q1), v5 = v128.load(a + 2 * q1, 16);
    const v6 = v128.load(a + 3 * q1), v7 = v128.load(a + 3 * q1, 16);
    butterfly4<v128>(y + <usize>k * 128, 32,
      v128.shuffle<f32>(v0, v1, 0, 2, 4, 6), v128.shuffle<f32>(v0, v1, 1, 3, 5, 7),
      v128.shuffle<f32>(v2, v3, 0, 2, 4, 6), v128.shuffle<f32>(v2, v3, 1, 3, 5, 7),
      v128.shuffle<f32>(v4, v5, 0, 2, 4, 6), v128.shuffle<f32>(v4, v5, 1, 3, 5, 7),
      v128.shuffle<f32>(v6, v7, 0, 2, 4, 6), v128.shuffle<f32>(v6, v7, 1, 3, 5, 7),
      v128.load32_splat(w), v128.load32_splat(w + 4), v128.load32_splat(w + 8),
      v128.load32_splat(w + 12), v128.load32_splat(w + 16), v128.load32_splat(w + 20));
  }
}

/** One radix-4 butterfly of a0..a3, outputs j = 0..3 at o + j·os, times w_j (j ≥ 1). */
// @ts-ignore: decorator
@inline function butterfly4<T>(o: usize, os: usize, a0r: T, a0i: T, a1r: T, a1i: T, a2r: T, a2i: T, a3r: T, a3i: T,
  w1r: T, w1i: T, w2r: T, w2i: T, w3r: T, w3i: T): void {
  const S = sizeof<T>();
  const t0r = add<T>(a0r, a2r), t0i = add<T>(a0i, a2i);
  const t1r = add<T>(a1r, a3r), t1i = add<T>(a1i, a3i);
  const t2r = sub<T>(a0r, a2r), t2i = sub<T>(a0i, a2i);
  const t3r = sub<T>(a1r, a3r), t3i = sub<T>(a1i, a3i);
  st<T>(o, add<T>(t0r, t1r));
  st<T>(o + S, add<T>(t0i, t1i));
  // W4 = -i: b1 = t2 - i·t3, b3 = t2 + i·t3
  storeTwiddled<T>(o + os, add<T>(t2r, t3i), sub<T>(t2i, t3r), w1r, w1i);
  storeTwiddled<T>(o + 2 * os, sub<T>(t0r, t1r), sub<T>(t0i, t1i), w2r, w2i);
  storeTwiddled<T>(o + 3 * os, sub<T>(t2r, t3i), add<T>(t2i, t3r), w3r, w3i);
}

function pass3<T>(x: usize, y: usize, s: i32, mm: i32, tw: usize): void {
  const S = sizeof<T>(), C = S << 1;
  const q1 = <usize>(s * mm) * C;
  const os = <usize>s * C;
  const c = splat3<T>(-0.5), sn = splat3<T>(<f32>0.8660254037844386); // W3 = c - i·sn
  for (let k = 0; k < mm; k++) {
    const w = tw + <usize>k * 16;
    const w1r = loadSplat<T>(w), w1i = loadSplat<T>(w + 4);
    const w2r = loadSplat<T>(w + 8), w2i = loadSplat<T>(w + 12);
    let a = x + <usize>(s * k) * C;
    let o = y + <usize>(s * 3 * k) * C;
    for (let q = 0; q < s; q++, a += C, o += C) {
      const a0r = ld<T>(a), a0i = ld<T>(a + S);
      const a1r = ld<T>(a + q1), a1i = ld<T>(a + q1 + S);
      const a2r = ld<T>(a + 2 * q1), a2i = ld<T>(a + 2 * q1 + S);
      const tr = add<T>(a1r, a2r), ti = add<T>(a1i, a2i);
      const ur = mul<T>(sn, sub<T>(a1r, a2r)), ui = mul<T>(sn, sub<T>(a1i, a2i));
      const mr = add<T>(a0r, mul<T>(c, tr)), mi = add<T>(a0i, mul<T>(c, ti));
      st<T>(o, add<T>(a0r, tr));
      st<T>(o + S, add<T>(a0i, ti));
      // b1 = m - i·u, b2 = m + i·u
      storeTwiddled<T>(o + os, add<T>(mr, ui), sub<T>(mi, ur), w1r, w1i);
      storeTwiddled<T>(o + 2 * os, sub<T>(mr, ui), add<T>(mi, ur), w2r, w2i);
    }
  }
}

function pass5<T>(x: usize, y: usize, s: i32, mm: i32, tw: usize): void {
  const S = sizeof<T>(), C = S << 1;
  const q1 = <usize>(s * mm) * C;
  const os = <usize>s * C;
  const c1 = splat3<T>(<f32>0.30901699437494745), c2 = splat3<T>(<f32>-0.8090169943749473);
  const s1 = splat3<T>(<f32>0.9510565162951535), s2 = splat3<T>(<f32>0.5877852522924732);
  for (let k = 0; k < mm; k++) {
    const w = tw + <usize>k * 32;
    let a = x + <usize>(s * k) * C;
    let o = y + <usize>(s * 5 * k) * C;
    for (let q = 0; q < s; q++, a += C, o += C) {
      const a0r = ld<T>(a), a0i = ld<T>(a + S);
      const a1r = ld<T>(a + q1), a1i = ld<T>(a + q1 + S);
      const a2r = ld<T>(a + 2 * q1), a2i = ld<T>(a + 2 * q1 + S);
      const a3r = ld<T>(a + 3 * q1), a3i = ld<T>(a + 3 * q1 + S);
      const a4r = ld<T>(a + 4 * q1), a4i = ld<T>(a + 4 * q1 + S);
      const t1r = add<T>(a1r, a4r), t1i = add<T>(a1i, a4i);
      const t2r = add<T>(a2r, a3r), t2i = add<T>(a2i, a3i);
      const u1r = sub<T>(a1r, a4r), u1i = sub<T>(a1i, a4i);
      const u2r = sub<T>(a2r, a3r), u2i = sub<T>(a2i, a3i);
      st<T>(o, add<T>(a0r, add<T>(t1r, t2r)));
      st<T>(o + S, add<T>(a0i, add<T>(t1i, t2i)));
      const m1r = add<T>(a0r, add<T>(mul<T>(c1, t1r), mul<T>(c2, t2r)));
      const m1i = add<T>(a0i, add<T>(mul<T>(c1, t1i), mul<T>(c2, t2i)));
      const m2r = add<T>(a0r, add<T>(mul<T>(c2, t1r), mul<T>(c1, t2r)));
      const m2i = add<T>(a0i, add<T>(mul<T>(c2, t1i), mul<T>(c1, t2i)));
      const v1r = add<T>(mul<T>(s1, u1r), mul<T>(s2, u2r)), v1i = add<T>(mul<T>(s1, u1i), mul<T>(s2, u2i));
      const v2r = sub<T>(mul<T>(s2, u1r), mul<T>(s1, u2r)), v2i = sub<T>(mul<T>(s2, u1i), mul<T>(s1, u2i));
      // b1 = m1 - i·v1, b4 = m1 + i·v1, b2 = m2 - i·v2, b3 = m2 + i·v2
      storeTwiddled<T>(o + os, add<T>(m1r, v1i), sub<T>(m1i, v1r), loadSplat<T>(w), loadSplat<T>(w + 4));
      storeTwiddled<T>(o + 2 * os, add<T>(m2r, v2i), sub<T>(m2i, v2r), loadSplat<T>(w + 8), loadSplat<T>(w + 12));
      storeTwiddled<T>(o + 3 * os, sub<T>(m2r, v2i), add<T>(m2i, v2r), loadSplat<T>(w + 16), loadSplat<T>(w + 20));
      storeTwiddled<T>(o + 4 * os, sub<T>(m1r, v1i), add<T>(m1i, v1r), loadSplat<T>(w + 24), loadSplat<T>(w + 28));
    }
  }
}

/** Any prime p: a direct p-point DFT per butterfly, O(p²) but exact in structure. */
function passGeneric<T>(x: usize, y: usize, s: i32, mm: i32, p: i32, tw: usize, roots: usize): void {
  const S = sizeof<T>(), C = S << 1;
  const q1 = <usize>(s * mm) * C;
  const os = <usize>s * C;
  for (let k = 0; k < mm; k++) {
    for (let q = 0; q < s; q++) {
      const a = x + <usize>(s * k + q) * C;
      const o = y + <usize>(s * p * k + q) * C;
      for (let j = 0; j < p; j++) {
        let br = ld<T>(a), bi = ld<T>(a + S);
        for (let r = 1; r < p; r++) {
          const root = roots + <usize>((j * r) % p) * 8;
          const wr = loadSplat<T>(root), wi = loadSplat<T>(root + 4);
          const ar = ld<T>(a + <usize>r * q1), ai = ld<T>(a + <usize>r * q1 + S);
          br = add<T>(br, sub<T>(mul<T>(ar, wr), mul<T>(ai, wi)));
          bi = add<T>(bi, add<T>(mul<T>(ar, wi), mul<T>(ai, wr)));
        }
        if (j == 0) {
          st<T>(o, br);
          st<T>(o + S, bi);
        } else {
          const w = tw + <usize>(k * (p - 1) + j - 1) * 8;
          storeTwiddled<T>(o + <usize>j * os, br, bi, loadSplat<T>(w), loadSplat<T>(w + 4));
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function splat3<T>(v: f32): T {
  if (isVector<T>()) return f32x4.splat(v);
  else return v;
}

/**
 * In-place-ish complex FFT of the plan's m points on lane type T: data at x ([m] complex, each
 * part one T), scratch at y (same size). Returns the buffer holding the result (x or y).
 */
export function cfftLanes<T>(plan: usize, x: usize, y: usize): usize {
  return cfftPasses<T>(plan, x, y, 0);
}

/** cfftLanes from pass `first` on (the earlier passes already done, their output at x). */
function cfftPasses<T>(plan: usize, x: usize, y: usize, first: i32): usize {
  const passes = load<i32>(plan, 12);
  let len = load<i32>(plan, 4);
  let s = 1;
  for (let i = 0; i < first; i++) {
    const p = load<i32>(plan + 32 + <usize>(i * 12));
    len /= p;
    s *= p;
  }
  for (let i = first; i < passes; i++) {
    const h = plan + 32 + <usize>(i * 12);
    const p = load<i32>(h);
    const tw = plan + <usize>load<i32>(h, 4);
    const mm = len / p;
    if (p == 4) pass4<T>(x, y, s, mm, tw);
    else if (p == 2) pass2<T>(x, y, s, mm, tw);
    else if (p == 3) pass3<T>(x, y, s, mm, tw);
    else if (p == 5) pass5<T>(x, y, s, mm, tw);
    else passGeneric<T>(x, y, s, mm, p, tw, plan + <usize>load<i32>(h, 8));
    len = mm;
    s *= p;
    const t = x; x = y; y = t;
  }
  return x;
}

/**
 * Splits the packed half-length transform z ([m] complex lanes) into the spectrum X[0..m] of the
 * real input and writes |X_k|^2 (power 2), |X_k| (power 1) or the complex X_k (power 0: re, im
 * pairs) to out, in lanes of T. Even n only.
 */
export function realSplitLanes<T>(plan: usize, z: usize, out: usize, power: i32): void {
  const S = sizeof<T>(), C = S << 1;
  const m = load<i32>(plan, 4);
  const twr = plan + <usize>load<i32>(plan, 16), twi = twr + <usize>(m + 1) * 4;
  const half = splat3<T>(0.5);
  for (let k = 0; k <= m; k++) {
    const a = z + <usize>(k == m ? 0 : k) * C;
    const b = z + <usize>(k == 0 ? 0 : m - k) * C;
    const ar = ld<T>(a), ai = ld<T>(a + S), br = ld<T>(b), bi = ld<T>(b + S);
    // E = (A + conj B)/2, O = (A - conj B)/2, X = E - i·W·O
    const er = mul<T>(half, add<T>(ar, br)), ei = mul<T>(half, sub<T>(ai, bi));
    const or = mul<T>(half, sub<T>(ar, br)), oi = mul<T>(half, add<T>(ai, bi));
    const wr = loadSplat<T>(twr + <usize>k * 4), wi = loadSplat<T>(twi + <usize>k * 4);
    const xr = add<T>(er, add<T>(mul<T>(wr, oi), mul<T>(wi, or)));
    const xi = sub<T>(ei, sub<T>(mul<T>(wr, or), mul<T>(wi, oi)));
    storeSpectrum<T>(out, k, xr, xi, power);
  }
}

/** Odd n: the first (n+1)/2 bins of the full complex transform, in the requested form. */
export function oddSpectrumLanes<T>(plan: usize, z: usize, out: usize, power: i32): void {
  const S = sizeof<T>(), C = S << 1;
  const nBins = (load<i32>(plan) >> 1) + 1;
  for (let k = 0; k < nBins; k++) {
    const a = z + <usize>k * C;
    storeSpectrum<T>(out, k, ld<T>(a), ld<T>(a + S), power);
  }
}

// @ts-ignore: decorator
@inline function storeSpectrum<T>(out: usize, k: i32, xr: T, xi: T, power: i32): void {
  const S = sizeof<T>();
  if (power == 0) {
    st<T>(out + <usize>k * 2 * S, xr);
    st<T>(out + <usize>k * 2 * S + S, xi);
  } else {
    let p = add<T>(mul<T>(xr, xr), mul<T>(xi, xi));
    if (power == 1) p = sqrtLanes<T>(p);
    st<T>(out + <usize>k * S, p);
  }
}

// @ts-ignore: decorator
@inline function sqrtLanes<T>(a: T): T {
  if (isVector<T>()) return f32x4.sqrt(a);
  else return sqrt<f32>(a);
}

/**
 * Forward real FFT of one signal: x [n] f32 → out [n/2+1] complex (re, im) f32, or the power /
 * magnitude spectrum [n/2+1] f32 when power is 2 / 1. work: 4·n f32 of scratch (2·n are used).
 * SIMD build: the lane split when the plan has one (n = 8·q, q ≥ 4), so results differ from
 * rfftScalar / rfft4 by f32 rounding only. Does not allocate.
 */
export function rfft(plan: usize, x: usize, out: usize, work: usize, power: i32): void {
  if (ASC_FEATURE_SIMD) {
    if (load<i32>(plan, 24) != 0) {
      rfftLaneSplit(plan, x, out, work, power);
      return;
    }
  }
  rfftScalar(plan, x, out, work, power);
}

/**
 * rfft on scalar f32 lanes, any n: the same arithmetic as one lane of rfft4 (bit for bit), which
 * the specs compare against. On the scalar build it is `rfft` itself. Same buffers as rfft.
 */
export function rfftScalar(plan: usize, x: usize, out: usize, work: usize, power: i32): void {
  const n = load<i32>(plan), m = load<i32>(plan, 4), odd = load<i32>(plan, 8);
  const a = work, b = work + <usize>m * 8;
  if (odd) {
    for (let i = 0; i < n; i++) {
      store<f32>(a + <usize>i * 8, load<f32>(x + <usize>i * 4));
      store<f32>(a + <usize>i * 8, 0, 4);
    }
    oddSpectrumLanes<f32>(plan, cfftLanes<f32>(plan, a, b), out, power);
  } else {
    memory.copy(a, x, <usize>n * 4); // x[2k] + i·x[2k+1] is exactly the real array's layout
    realSplitLanes<f32>(plan, cfftLanes<f32>(plan, a, b), out, power);
  }
}

/** SIMD build, plans with a lane split (m = 4·q): rfft's arguments, work 2·n f32. */
function rfftLaneSplit(plan: usize, x: usize, out: usize, work: usize, power: i32): void {
  if (!ASC_FEATURE_SIMD) return;
  const m = load<i32>(plan, 4), q = m >> 2;
  const a = work, b = work + <usize>m * 8;
  const sub = plan + <usize>load<i32>(plan, 24);
  let z: usize;
  if (load<i32>(sub, 32) == 4) {
    pass4Real(x, a, q >> 2, sub + <usize>load<i32>(sub, 36));
    z = cfftPasses<v128>(sub, a, b, 1);
  } else {
    // Point j, lane l = z[4j + l]: the real array's even samples are the real parts, odd the imaginary.
    for (let j = 0; j < q; j++) {
      const s = x + <usize>j * 32, d = a + <usize>j * 32;
      const v0 = v128.load(s), v1 = v128.load(s, 16);
      v128.store(d, v128.shuffle<f32>(v0, v1, 0, 2, 4, 6));
      v128.store(d, v128.shuffle<f32>(v0, v1, 1, 3, 5, 7), 16);
    }
    z = cfftLanes<v128>(sub, a, b);
  }
  // The other ping-pong buffer (m·8 bytes) takes Z [m] as split re / im arrays.
  const zr = z == a ? b : a, zi = zr + <usize>m * 4;
  laneCombine(plan, z, zr, zi, q);
  realSplitPlanar(plan, zr, zi, out, power);
}

/**
 * Z[k + q·r] = Σ_l W_4^(l·r) · W_m^(l·k) · Z_l[k] for the lane transforms Z_l at z ([q] points of
 * v128 re, v128 im), written to zr, zi ([m] f32 each). Four k at a time, transposed so the lanes
 * hold consecutive k and the radix-4 butterfly needs no horizontal operations.
 */
function laneCombine(plan: usize, z: usize, zr: usize, zi: usize, q: i32): void {
  if (!ASC_FEATURE_SIMD) return;
  const tw = plan + <usize>load<i32>(plan, 28); // [l = 1..3][re, im][q]
  const row = <usize>q * 4;
  let k = 0;
  for (; k + 4 <= q; k += 4) {
    const p = z + <usize>k * 32;
    const o = <usize>k * 4;
    let r0 = v128.load(p), r1 = v128.load(p, 32), r2 = v128.load(p, 64), r3 = v128.load(p, 96);
    let t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    let t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const u0r = v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), u1r0 = v128.shuffle<f32>(t0, t2, 2, 3, 6, 7);
    const u2r0 = v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), u3r0 = v128.shuffle<f32>(t1, t3, 2, 3, 6, 7);
    r0 = v128.load(p, 16); r1 = v128.load(p, 48); r2 = v128.load(p, 80); r3 = v128.load(p, 112);
    t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5); t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const u0i = v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), u1i0 = v128.shuffle<f32>(t0, t2, 2, 3, 6, 7);
    const u2i0 = v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), u3i0 = v128.shuffle<f32>(t1, t3, 2, 3, 6, 7);
    const w = tw + o;
    const w1r = v128.load(w), w1i = v128.load(w + row);
    const w2r = v128.load(w + 2 * row), w2i = v128.load(w + 3 * row);
    const w3r = v128.load(w + 4 * row), w3i = v128.load(w + 5 * row);
    const u1r = f32x4.sub(f32x4.mul(u1r0, w1r), f32x4.mul(u1i0, w1i));
    const u1i = f32x4.add(f32x4.mul(u1r0, w1i), f32x4.mul(u1i0, w1r));
    const u2r = f32x4.sub(f32x4.mul(u2r0, w2r), f32x4.mul(u2i0, w2i));
    const u2i = f32x4.add(f32x4.mul(u2r0, w2i), f32x4.mul(u2i0, w2r));
    const u3r = f32x4.sub(f32x4.mul(u3r0, w3r), f32x4.mul(u3i0, w3i));
    const u3i = f32x4.add(f32x4.mul(u3r0, w3i), f32x4.mul(u3i0, w3r));
    const s0r = f32x4.add(u0r, u2r), s0i = f32x4.add(u0i, u2i);
    const s1r = f32x4.add(u1r, u3r), s1i = f32x4.add(u1i, u3i);
    const d0r = f32x4.sub(u0r, u2r), d0i = f32x4.sub(u0i, u2i);
    const d1r = f32x4.sub(u1r, u3r), d1i = f32x4.sub(u1i, u3i);
    // W4 = -i: Y1 = d0 - i·d1, Y3 = d0 + i·d1
    v128.store(zr + o, f32x4.add(s0r, s1r));
    v128.store(zi + o, f32x4.add(s0i, s1i));
    v128.store(zr + o + row, f32x4.add(d0r, d1i));
    v128.store(zi + o + row, f32x4.sub(d0i, d1r));
    v128.store(zr + o + 2 * row, f32x4.sub(s0r, s1r));
    v128.store(zi + o + 2 * row, f32x4.sub(s0i, s1i));
    v128.store(zr + o + 3 * row, f32x4.sub(d0r, d1i));
    v128.store(zi + o + 3 * row, f32x4.add(d0i, d1r));
  }
  // q % 4 leftover k (q = 30 for n = 240): the same butterfly one k at a time.
  for (; k < q; k++) {
    const p = z + <usize>k * 32;
    const o = <usize>k * 4;
    const w = tw + o;
    const u0r = load<f32>(p), u0i = load<f32>(p, 16);
    const v1r = load<f32>(p, 4), v1i = load<f32>(p, 20), w1r = load<f32>(w), w1i = load<f32>(w + row);
    const v2r = load<f32>(p, 8), v2i = load<f32>(p, 24), w2r = load<f32>(w + 2 * row), w2i = load<f32>(w + 3 * row);
    const v3r = load<f32>(p, 12), v3i = load<f32>(p, 28), w3r = load<f32>(w + 4 * row), w3i = load<f32>(w + 5 * row);
    const u1r = v1r * w1r - v1i * w1i, u1i = v1r * w1i + v1i * w1r;
    const u2r = v2r * w2r - v2i * w2i, u2i = v2r * w2i + v2i * w2r;
    const u3r = v3r * w3r - v3i * w3i, u3i = v3r * w3i + v3i * w3r;
    const s0r = u0r + u2r, s0i = u0i + u2i, s1r = u1r + u3r, s1i = u1i + u3i;
    const d0r = u0r - u2r, d0i = u0i - u2i, d1r = u1r - u3r, d1i = u1i - u3i;
    store<f32>(zr + o, s0r + s1r);
    store<f32>(zi + o, s0i + s1i);
    store<f32>(zr + o + row, d0r + d1i);
    store<f32>(zi + o + row, d0i - d1r);
    store<f32>(zr + o + 2 * row, s0r - s1r);
    store<f32>(zi + o + 2 * row, s0i - s1i);
    store<f32>(zr + o + 3 * row, d0r - d1i);
    store<f32>(zi + o + 3 * row, d0i + d1r);
  }
}

/**
 * realSplitLanes for one transform held as planar arrays zr, zi ([m] f32 each). Bins k and m−k
 * share their inputs (A = Z[k], B = Z[m−k], swapped) and, as W_n^(m−k) = −conj W_n^k, their
 * products: with E, O, P = W·O from bin k, X[k] = (Er + Pi, Ei − Pr) and X[m−k] = (Er − Pi,
 * −Ei − Pr). So bins 1..m/2−1 go four at a time, each block writing its mirror too (the last
 * block slides back to end at m/2−1, recomputing a few bins identically); Z[m−k..] is read as the
 * mirrored block reversed by one shuffle. Bins 0, m/2 and m one at a time.
 */
function realSplitPlanar(plan: usize, zr: usize, zi: usize, out: usize, power: i32): void {
  if (!ASC_FEATURE_SIMD) return;
  const m = load<i32>(plan, 4), h = m >> 1;
  const twr = plan + <usize>load<i32>(plan, 16), twi = twr + <usize>(m + 1) * 4;
  const half = f32x4.splat(0.5);
  for (let k0 = 1; k0 < h; k0 += 4) {
    const k = min(k0, h - 4); // m ≥ 16, so h − 4 ≥ 4
    const o = <usize>k * 4, mo = <usize>(m - k - 3) * 4;
    const ar = v128.load(zr + o), ai = v128.load(zi + o);
    const brr = v128.load(zr + mo), bir = v128.load(zi + mo);
    const br = v128.shuffle<f32>(brr, brr, 3, 2, 1, 0), bi = v128.shuffle<f32>(bir, bir, 3, 2, 1, 0);
    const er = f32x4.mul(half, f32x4.add(ar, br)), ei = f32x4.mul(half, f32x4.sub(ai, bi));
    const or = f32x4.mul(half, f32x4.sub(ar, br)), oi = f32x4.mul(half, f32x4.add(ai, bi));
    const wr = v128.load(twr + o), wi = v128.load(twi + o);
    const pr = f32x4.sub(f32x4.mul(wr, or), f32x4.mul(wi, oi));
    const pi = f32x4.add(f32x4.mul(wr, oi), f32x4.mul(wi, or));
    const xr = f32x4.add(er, pi), xi = f32x4.sub(ei, pr);
    const yr = f32x4.sub(er, pi), yi = f32x4.neg(f32x4.add(ei, pr)); // lanes: bins m−k, m−k−1, …
    if (power == 0) {
      v128.store(out + o * 2, v128.shuffle<f32>(xr, xi, 0, 4, 1, 5));
      v128.store(out + o * 2, v128.shuffle<f32>(xr, xi, 2, 6, 3, 7), 16);
      v128.store(out + mo * 2, v128.shuffle<f32>(yr, yi, 3, 7, 2, 6));
      v128.store(out + mo * 2, v128.shuffle<f32>(yr, yi, 1, 5, 0, 4), 16);
    } else {
      let px = f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi));
      let py = f32x4.add(f32x4.mul(yr, yr), f32x4.mul(yi, yi));
      if (power == 1) {
        px = f32x4.sqrt(px);
        py = f32x4.sqrt(py);
      }
      v128.store(out + o, px);
      v128.store(out + mo, v128.shuffle<f32>(py, py, 3, 2, 1, 0));
    }
  }
  splitBin(zr, zi, m, twr, twi, out, 0, power);
  splitBin(zr, zi, m, twr, twi, out, h, power);
  splitBin(zr, zi, m, twr, twi, out, m, power);
}

/** One bin of realSplitPlanar, in f32 (realSplitLanes' arithmetic). */
// @ts-ignore: decorator
@inline function splitBin(zr: usize, zi: usize, m: i32, twr: usize, twi: usize, out: usize, k: i32, power: i32): void {
  const a = <usize>(k == m ? 0 : k) * 4, b = <usize>(k == 0 ? 0 : m - k) * 4;
  const ar = load<f32>(zr + a), ai = load<f32>(zi + a), br = load<f32>(zr + b), bi = load<f32>(zi + b);
  const half: f32 = 0.5;
  const er = half * (ar + br), ei = half * (ai - bi);
  const or = half * (ar - br), oi = half * (ai + bi);
  const wr = load<f32>(twr + <usize>k * 4), wi = load<f32>(twi + <usize>k * 4);
  const xr = er + (wr * oi + wi * or);
  const xi = ei - (wr * or - wi * oi);
  storeSpectrum<f32>(out, k, xr, xi, power);
}

/**
 * Four real FFTs at once, lane-interleaved: x is [n][4] f32 (sample i of signal f at x[4i+f]);
 * out is [n/2+1][2][4] (complex, power 0) or [n/2+1][4] (power 1, 2). work: 16·n f32 of scratch.
 * SIMD build only; the scalar build exports a loop over rfft for the same layout.
 */
export function rfft4(plan: usize, x: usize, out: usize, work: usize, power: i32): void {
  const n = load<i32>(plan), m = load<i32>(plan, 4), odd = load<i32>(plan, 8);
  if (ASC_FEATURE_SIMD) {
    const a = work, b = work + <usize>m * 32;
    if (odd) {
      const zero = f32x4.splat(0);
      for (let i = 0; i < n; i++) {
        v128.store(a + <usize>i * 32, v128.load(x + <usize>i * 16));
        v128.store(a + <usize>i * 32 + 16, zero);
      }
      oddSpectrumLanes<v128>(plan, cfftLanes<v128>(plan, a, b), out, power);
    } else {
      memory.copy(a, x, <usize>n * 16);
      realSplitLanes<v128>(plan, cfftLanes<v128>(plan, a, b), out, power);
    }
  } else {
    // Scalar build: de-interleave, transform one at a time, re-interleave.
    const nOut = power == 0 ? 2 * ((n >> 1) + 1) : (n >> 1) + 1;
    const xs = work, os = work + <usize>n * 4, w = os + <usize>(n + 2) * 4;
    for (let f = 0; f < 4; f++) {
      for (let i = 0; i < n; i++) store<f32>(xs + <usize>i * 4, load<f32>(x + <usize>(i * 4 + f) * 4));
      rfft(plan, xs, os, w, power);
      for (let i = 0; i < nOut; i++) store<f32>(out + <usize>(i * 4 + f) * 4, load<f32>(os + <usize>i * 4));
    }
  }
}
