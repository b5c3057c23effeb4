/**
 * A dense row-major f32 matrix. Feature functions return frame-major matrices (rows = frames,
 * cols = features), the layout HMMs and tfjs take; librosa returns the transpose ([feature][frame]).
 */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Wraps data [rows·cols] as a Matrix. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  return { data, rows, cols };
}

/** The transpose, e.g. frame-major [T][D] → librosa orientation [D][T]. */
export function transpose(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[r * m.cols + c];
  return { data: out, rows: m.cols, cols: m.rows };
}

/** Nested arrays [rows][cols], for JSON. */
export function toArrays(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}
