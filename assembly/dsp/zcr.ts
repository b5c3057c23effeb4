// Zero crossings per frame, librosa.feature.zero_crossing_rate semantics: samples with
// |x| ≤ threshold count as +0 (so they are positive), a crossing is a change of sign bit between
// neighbours inside the frame, and the first sample of a frame has no left neighbour.

/**
 * counts [nFrames] i32 = crossings in frame t = x[t·hop .. t·hop + frameLength) of x (already
 * edge-padded when centring). Does not allocate.
 */
export function zeroCrossings(x: usize, frameLength: i32, hop: i32, nFrames: i32, threshold: f32, counts: usize): void {
  for (let t = 0; t < nFrames; t++) {
    const f = x + <usize>(t * hop) * 4;
    let prev = signOf(load<f32>(f), threshold);
    let c = 0;
    for (let i = 1; i < frameLength; i++) {
      const s = signOf(load<f32>(f + <usize>i * 4), threshold);
      c += s ^ prev;
      prev = s;
    }
    store<i32>(counts + <usize>t * 4, c);
  }
}

// @ts-ignore: decorator
@inline function signOf(v: f32, threshold: f32): i32 {
  return abs(v) <= threshold ? 0 : <i32>(reinterpret<u32>(v) >>> 31);
}
