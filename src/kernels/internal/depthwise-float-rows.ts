// DEPTHWISE_CONV_2D float32 with a 3x3 filter (MobileNet's layers), finite constant weights:
// the window's three input rows are copied, zero-padded, into a ring of three rows (scratch),
// so every output reads its nine values with no bounds checks, channel by channel with the
// channel's nine weights in locals. Sums follow the reference step for step (float32
// `total += x * w` in (row, column) order from 0, then the bias); a padded value adds
// fround(0 * w) = ±0, which leaves any total reached from +0 unchanged, as the reference's skip does.
import { Field, type DepthwiseData } from './depthwise-data.js';

export function evalDepthwiseFloatRows(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, F = d.w, Y = d.y || X, B = d.b, T = (d.t || X) as Float32Array;
  const lo = d.lo!, hi = d.hi!, fround = Math.fround;
  const C = R[a + Field.IN_D], M = R[a + Field.MULT], O = R[a + Field.OUT_D];
  const batches = R[a + Field.BATCHES], inH = R[a + Field.IN_H], inW = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const sH = R[a + Field.S_H], sW = R[a + Field.S_W], dH = R[a + Field.D_H], dW = R[a + Field.D_W];
  const padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W], width = R[a + Field.RING_WIDTH];
  const xb = R[a + Field.X_AT], wb = R[a + Field.W_AT], bb = R[a + Field.B_AT], t0 = R[a + Field.T_AT];
  const rowLength = width * C, d1 = dW * C, d2 = 2 * dW * C, step = sW * C;
  // Ring slots by input row modulo 3 (rows kept from one output row to the next), unless
  // the dilation makes a window's rows collide modulo 3: then slot = filter row, always copied.
  const byRow = dH % 3 !== 0;
  let tag0 = NaN, tag1 = NaN, tag2 = NaN;
  let out = R[a + Field.Y_AT];
  for (let b = 0; b < batches; b++) {
    tag0 = tag1 = tag2 = NaN;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      let q0 = 0, q1 = 0, q2 = 0;
      for (let fy = 0; fy < 3; fy++) {
        const iy = iy0 + fy * dH;
        const slot = byRow ? ((iy % 3) + 3) % 3 : fy;
        const q = t0 + slot * rowLength;
        if (fy === 0) q0 = q; else if (fy === 1) q1 = q; else q2 = q;
        const tag = slot === 0 ? tag0 : slot === 1 ? tag1 : tag2;
        if (byRow && tag === iy) continue;
        if (slot === 0) tag0 = iy; else if (slot === 1) tag1 = iy; else tag2 = iy;
        fillRow(X, xb + (b * inH + iy) * inW * C, iy >= 0 && iy < inH, inW, C, padW, width, T, q);
      }
      const q01 = q0 + d1, q02 = q0 + d2, q11 = q1 + d1, q12 = q1 + d2, q21 = q2 + d1, q22 = q2 + d2;
      for (let ic = 0; ic < C; ic++) {
        for (let m = 0; m < M; m++) {
          const c = ic * M + m;
          const w00 = F[wb + c], w01 = F[wb + O + c], w02 = F[wb + 2 * O + c];
          const w10 = F[wb + 3 * O + c], w11 = F[wb + 4 * O + c], w12 = F[wb + 5 * O + c];
          const w20 = F[wb + 6 * O + c], w21 = F[wb + 7 * O + c], w22 = F[wb + 8 * O + c];
          const bias = B ? B[bb + c] : 0;
          let i = ic, y = out + c;
          for (let ox = 0; ox < outW; ox++) {
            const v = fround(fround(fround(fround(fround(fround(fround(fround(fround(fround(
              0 + fround(T[q0 + i] * w00)) + fround(T[q01 + i] * w01)) + fround(T[q02 + i] * w02)) +
              fround(T[q1 + i] * w10)) + fround(T[q11 + i] * w11)) + fround(T[q12 + i] * w12)) +
              fround(T[q2 + i] * w20)) + fround(T[q21 + i] * w21)) + fround(T[q22 + i] * w22)) + bias);
            Y[y] = v < lo ? lo : hi < v ? hi : v;
            i += step;
            y += O;
          }
        }
      }
      out += outW * O;
    }
  }
}

/** Copies input row `x` (all columns, C channels each) into T[q ...], `width` columns from column -padW, zeros outside. */
function fillRow(X: ArrayLike<number>, x: number, inside: boolean, inW: number, C: number, padW: number, width: number, T: Float32Array, q: number): void {
  const end = q + width * C;
  if (!inside) {
    T.fill(0, q, end);
    return;
  }
  const left = padW < width ? padW : width;
  T.fill(0, q, q + left * C);
  let p = q + left * C, s = x + (left - padW) * C;
  const copyEnd = q + Math.min(width, padW + inW) * C;
  while (p < copyEnd) T[p++] = X[s++];
  if (p < end) T.fill(0, p, end);
}
