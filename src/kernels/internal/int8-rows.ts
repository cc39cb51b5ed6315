// Dot products of an input row with several weight rows read where they are (the model's
// bytes, flash on a device): the int8 path of FULLY_CONNECTED and SVDF when no weight cache is
// granted. XS meters every bytecode, and a term `x * w[i]` is the floor (a typed-array read, a
// multiply, an add); everything else is spread thin:
//  - 8 rows per pass (then 4), so one input value (in a local) feeds 8 sums;
//  - 8 terms per statement and per loop test, with the 7 shifted indices computed once per step
//    and shared by every row;
//  - rows are either read through views shifted by one row each (index i serves all the rows of
//    a group: the cheapest term), or by offsets into the whole matrix (one more add per term, no
//    objects). A view is a few heap slots: the shifted views are shared by the operators whose
//    rows have the same length (shared-views.ts), and made only for long rows.
// Sums of int8/int16 × int8 products stay exact in doubles (below 2^53); the caller wraps.
import type { TensorData } from '../../core/types.js';

/**
 * Rows at least this long are read through views of the weights, view k starting at row k, so
 * one index serves the rows of a pass (the cheapest term); shorter rows do not repay the views'
 * heap slots (mlperf_ad's 128-long rows would gain 9% for 28 slots, over its RAM target).
 */
export const ROW_VIEW_MIN_DEPTH = 256;

/**
 * sums[k] = Σ_d x[xStart + d] · w[p + k · stride + d] for k < 8, d < depth.
 */
export function dotRows8(x: TensorData, xStart: number, w: TensorData, p: number, stride: number, depth: number, sums: Float64Array): void {
  const d1 = 1 * stride, d2 = 2 * stride, d3 = 3 * stride, d4 = 4 * stride, d5 = 5 * stride, d6 = 6 * stride, d7 = 7 * stride;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  let x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
  let i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
  let i = p, xi = xStart;
  const end = p + depth, end8 = end - (depth & 7);
  while (i < end8) {
    i1 = i + 1; i2 = i + 2; i3 = i + 3; i4 = i + 4; i5 = i + 5; i6 = i + 6; i7 = i + 7;
    x0 = x[xi]; x1 = x[xi + 1]; x2 = x[xi + 2]; x3 = x[xi + 3]; x4 = x[xi + 4]; x5 = x[xi + 5]; x6 = x[xi + 6]; x7 = x[xi + 7];
    a0 += x0 * w[i] + x1 * w[i1] + x2 * w[i2] + x3 * w[i3] + x4 * w[i4] + x5 * w[i5] + x6 * w[i6] + x7 * w[i7];
    a1 += x0 * w[i + d1] + x1 * w[i1 + d1] + x2 * w[i2 + d1] + x3 * w[i3 + d1] + x4 * w[i4 + d1] + x5 * w[i5 + d1] + x6 * w[i6 + d1] + x7 * w[i7 + d1];
    a2 += x0 * w[i + d2] + x1 * w[i1 + d2] + x2 * w[i2 + d2] + x3 * w[i3 + d2] + x4 * w[i4 + d2] + x5 * w[i5 + d2] + x6 * w[i6 + d2] + x7 * w[i7 + d2];
    a3 += x0 * w[i + d3] + x1 * w[i1 + d3] + x2 * w[i2 + d3] + x3 * w[i3 + d3] + x4 * w[i4 + d3] + x5 * w[i5 + d3] + x6 * w[i6 + d3] + x7 * w[i7 + d3];
    a4 += x0 * w[i + d4] + x1 * w[i1 + d4] + x2 * w[i2 + d4] + x3 * w[i3 + d4] + x4 * w[i4 + d4] + x5 * w[i5 + d4] + x6 * w[i6 + d4] + x7 * w[i7 + d4];
    a5 += x0 * w[i + d5] + x1 * w[i1 + d5] + x2 * w[i2 + d5] + x3 * w[i3 + d5] + x4 * w[i4 + d5] + x5 * w[i5 + d5] + x6 * w[i6 + d5] + x7 * w[i7 + d5];
    a6 += x0 * w[i + d6] + x1 * w[i1 + d6] + x2 * w[i2 + d6] + x3 * w[i3 + d6] + x4 * w[i4 + d6] + x5 * w[i5 + d6] + x6 * w[i6 + d6] + x7 * w[i7 + d6];
    a7 += x0 * w[i + d7] + x1 * w[i1 + d7] + x2 * w[i2 + d7] + x3 * w[i3 + d7] + x4 * w[i4 + d7] + x5 * w[i5 + d7] + x6 * w[i6 + d7] + x7 * w[i7 + d7];
    i += 8;
    xi += 8;
  }
  while (i < end) {
    x0 = x[xi];
    a0 += x0 * w[i]; a1 += x0 * w[i + d1]; a2 += x0 * w[i + d2]; a3 += x0 * w[i + d3]; a4 += x0 * w[i + d4]; a5 += x0 * w[i + d5]; a6 += x0 * w[i + d6]; a7 += x0 * w[i + d7];
    i++;
    xi++;
  }
  sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3; sums[4] = a4; sums[5] = a5; sums[6] = a6; sums[7] = a7;
}

/** sums[k] = Σ_d x[xStart + d] · w[pk + d] for the 4 rows starting at p0..p3 (rows may repeat). */
export function dotRows4(
  x: TensorData, xStart: number, w: TensorData, p0: number, p1: number, p2: number, p3: number, depth: number, sums: Float64Array,
): void {
  const d1 = p1 - p0, d2 = p2 - p0, d3 = p3 - p0;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
  let i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
  let i = p0, xi = xStart;
  const end = p0 + depth, end8 = end - (depth & 7);
  while (i < end8) {
    i1 = i + 1; i2 = i + 2; i3 = i + 3; i4 = i + 4; i5 = i + 5; i6 = i + 6; i7 = i + 7;
    x0 = x[xi]; x1 = x[xi + 1]; x2 = x[xi + 2]; x3 = x[xi + 3]; x4 = x[xi + 4]; x5 = x[xi + 5]; x6 = x[xi + 6]; x7 = x[xi + 7];
    a0 += x0 * w[i] + x1 * w[i1] + x2 * w[i2] + x3 * w[i3] + x4 * w[i4] + x5 * w[i5] + x6 * w[i6] + x7 * w[i7];
    a1 += x0 * w[i + d1] + x1 * w[i1 + d1] + x2 * w[i2 + d1] + x3 * w[i3 + d1] + x4 * w[i4 + d1] + x5 * w[i5 + d1] + x6 * w[i6 + d1] + x7 * w[i7 + d1];
    a2 += x0 * w[i + d2] + x1 * w[i1 + d2] + x2 * w[i2 + d2] + x3 * w[i3 + d2] + x4 * w[i4 + d2] + x5 * w[i5 + d2] + x6 * w[i6 + d2] + x7 * w[i7 + d2];
    a3 += x0 * w[i + d3] + x1 * w[i1 + d3] + x2 * w[i2 + d3] + x3 * w[i3 + d3] + x4 * w[i4 + d3] + x5 * w[i5 + d3] + x6 * w[i6 + d3] + x7 * w[i7 + d3];
    i += 8;
    xi += 8;
  }
  while (i < end) {
    x0 = x[xi];
    a0 += x0 * w[i]; a1 += x0 * w[i + d1]; a2 += x0 * w[i + d2]; a3 += x0 * w[i + d3];
    i++;
    xi++;
  }
  sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3;
}

/**
 * sums[k] = Σ_d x[xStart + d] · wk[p + d] for k < 8, d < depth, where wk views the weights from
 * row k on: the 8 rows of a group share the index p + d.
 */
export function dotRows8Shifted(
  x: TensorData, xStart: number, w0: TensorData, w1: TensorData, w2: TensorData, w3: TensorData,
  w4: TensorData, w5: TensorData, w6: TensorData, w7: TensorData, p: number, depth: number, sums: Float64Array,
): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  let x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
  let i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
  let i = p, xi = xStart;
  const end = p + depth, end8 = end - (depth & 7);
  while (i < end8) {
    i1 = i + 1; i2 = i + 2; i3 = i + 3; i4 = i + 4; i5 = i + 5; i6 = i + 6; i7 = i + 7;
    x0 = x[xi]; x1 = x[xi + 1]; x2 = x[xi + 2]; x3 = x[xi + 3]; x4 = x[xi + 4]; x5 = x[xi + 5]; x6 = x[xi + 6]; x7 = x[xi + 7];
    a0 += x0 * w0[i] + x1 * w0[i1] + x2 * w0[i2] + x3 * w0[i3] + x4 * w0[i4] + x5 * w0[i5] + x6 * w0[i6] + x7 * w0[i7];
    a1 += x0 * w1[i] + x1 * w1[i1] + x2 * w1[i2] + x3 * w1[i3] + x4 * w1[i4] + x5 * w1[i5] + x6 * w1[i6] + x7 * w1[i7];
    a2 += x0 * w2[i] + x1 * w2[i1] + x2 * w2[i2] + x3 * w2[i3] + x4 * w2[i4] + x5 * w2[i5] + x6 * w2[i6] + x7 * w2[i7];
    a3 += x0 * w3[i] + x1 * w3[i1] + x2 * w3[i2] + x3 * w3[i3] + x4 * w3[i4] + x5 * w3[i5] + x6 * w3[i6] + x7 * w3[i7];
    a4 += x0 * w4[i] + x1 * w4[i1] + x2 * w4[i2] + x3 * w4[i3] + x4 * w4[i4] + x5 * w4[i5] + x6 * w4[i6] + x7 * w4[i7];
    a5 += x0 * w5[i] + x1 * w5[i1] + x2 * w5[i2] + x3 * w5[i3] + x4 * w5[i4] + x5 * w5[i5] + x6 * w5[i6] + x7 * w5[i7];
    a6 += x0 * w6[i] + x1 * w6[i1] + x2 * w6[i2] + x3 * w6[i3] + x4 * w6[i4] + x5 * w6[i5] + x6 * w6[i6] + x7 * w6[i7];
    a7 += x0 * w7[i] + x1 * w7[i1] + x2 * w7[i2] + x3 * w7[i3] + x4 * w7[i4] + x5 * w7[i5] + x6 * w7[i6] + x7 * w7[i7];
    i += 8;
    xi += 8;
  }
  while (i < end) {
    x0 = x[xi];
    a0 += x0 * w0[i]; a1 += x0 * w1[i]; a2 += x0 * w2[i]; a3 += x0 * w3[i]; a4 += x0 * w4[i]; a5 += x0 * w5[i]; a6 += x0 * w6[i]; a7 += x0 * w7[i];
    i++;
    xi++;
  }
  sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3; sums[4] = a4; sums[5] = a5; sums[6] = a6; sums[7] = a7;
}

/** dotRows8Shifted for 4 rows. */
export function dotRows4Shifted(
  x: TensorData, xStart: number, w0: TensorData, w1: TensorData, w2: TensorData, w3: TensorData, p: number, depth: number, sums: Float64Array,
): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
  let i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
  let i = p, xi = xStart;
  const end = p + depth, end8 = end - (depth & 7);
  while (i < end8) {
    i1 = i + 1; i2 = i + 2; i3 = i + 3; i4 = i + 4; i5 = i + 5; i6 = i + 6; i7 = i + 7;
    x0 = x[xi]; x1 = x[xi + 1]; x2 = x[xi + 2]; x3 = x[xi + 3]; x4 = x[xi + 4]; x5 = x[xi + 5]; x6 = x[xi + 6]; x7 = x[xi + 7];
    a0 += x0 * w0[i] + x1 * w0[i1] + x2 * w0[i2] + x3 * w0[i3] + x4 * w0[i4] + x5 * w0[i5] + x6 * w0[i6] + x7 * w0[i7];
    a1 += x0 * w1[i] + x1 * w1[i1] + x2 * w1[i2] + x3 * w1[i3] + x4 * w1[i4] + x5 * w1[i5] + x6 * w1[i6] + x7 * w1[i7];
    a2 += x0 * w2[i] + x1 * w2[i1] + x2 * w2[i2] + x3 * w2[i3] + x4 * w2[i4] + x5 * w2[i5] + x6 * w2[i6] + x7 * w2[i7];
    a3 += x0 * w3[i] + x1 * w3[i1] + x2 * w3[i2] + x3 * w3[i3] + x4 * w3[i4] + x5 * w3[i5] + x6 * w3[i6] + x7 * w3[i7];
    i += 8;
    xi += 8;
  }
  while (i < end) {
    x0 = x[xi];
    a0 += x0 * w0[i]; a1 += x0 * w1[i]; a2 += x0 * w2[i]; a3 += x0 * w3[i];
    i++;
    xi++;
  }
  sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3;
}

/** Σ_d x[xStart + d] · w[p + d]. */
export function dotRow(x: TensorData, xStart: number, w: TensorData, p: number, depth: number): number {
  let acc = 0;
  let i = p, xi = xStart;
  const end = p + depth, end8 = end - (depth & 7);
  while (i < end8) {
    acc += x[xi] * w[i] + x[xi + 1] * w[i + 1] + x[xi + 2] * w[i + 2] + x[xi + 3] * w[i + 3] + x[xi + 4] * w[i + 4] + x[xi + 5] * w[i + 5] + x[xi + 6] * w[i + 6] + x[xi + 7] * w[i + 7];
    i += 8;
    xi += 8;
  }
  while (i < end) acc += x[xi++] * w[i++];
  return acc;
}
