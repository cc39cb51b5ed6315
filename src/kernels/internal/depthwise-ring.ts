// DEPTHWISE_CONV_2D int8, 3x3 filters where the sliding path does not apply: a ring of three
// zero-point-bordered input rows (each input row copied once), channel by channel; the padding
// at the zero point adds nothing once zp * sum(w) is in the offsets (depthwise-data.ts).
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { ADD_NEGATIVE, ADD_POSITIVE, Field, offsetsAt, SCALE, SHIFT_BASE, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

export function evalDepthwiseRing(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, F = d.w, Y = d.y || X, S = d.s || X, B = d.t || X;
  const lim = R[a + Field.FAST] ? FAST_REQUANT_LIMIT : 0;
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP], zp = R[a + Field.IN_ZP];
  const C = R[a + Field.IN_D], O = R[a + Field.OUT_D], depthMultiplier = R[a + Field.MULT], batches = R[a + Field.BATCHES];
  const H = R[a + Field.IN_H], W = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W], mAt = a + Field.COUNT, oAt = a + offsetsAt(O);
  const sH = R[a + Field.S_H], dH = R[a + Field.D_H], padH = R[a + Field.PAD_H];
  const xb = R[a + Field.X_AT], wb = R[a + Field.W_AT], yb = R[a + Field.Y_AT], sAt = R[a + Field.S_AT], tb = R[a + Field.T_AT];
  const ringRows = R[a + Field.RING_ROWS], ringRow = R[a + Field.RING_WIDTH] * C, dataStart = tb + R[a + Field.PAD_W] * C, dataLength = W * C;
  const stepX = R[a + Field.S_W] * C, a1 = R[a + Field.D_W] * C, a2 = 2 * a1;
  const O2 = 2 * O, O3 = 3 * O, O4 = 4 * O, O5 = 5 * O, O6 = 6 * O, O7 = 7 * O, O8 = 8 * O;
  // Padding columns stay at the zero point; rows are written over their data columns only.
  B.fill(zp, tb, tb + ringRows * ringRow);
  for (let b = 0; b < batches; b++) {
    let loaded = -1;
    for (let oy = 0; oy < outH; oy++) {
      // Bring the window's rows (in padded coordinates) into the ring.
      const top = oy * sH, last = top + 2 * dH;
      for (let py = loaded + 1 > top ? loaded + 1 : top; py <= last; py++) {
        let at = (py % ringRows) * ringRow + dataStart;
        const end = at + dataLength, iy = py - padH;
        if (iy < 0 || iy >= H) {
          while (at < end) B[at++] = zp;
        } else {
          let xi = xb + (b * H + iy) * dataLength;
          while (at < end) B[at++] = X[xi++];
        }
      }
      loaded = last;
      const first = (top % ringRows) * ringRow, row0 = tb + first;
      const r1 = ((top + dH) % ringRows) * ringRow - first, r2 = ((top + 2 * dH) % ringRows) * ringRow - first;
      const a4 = r1 + a1, a5 = r1 + a2, a7 = r2 + a1, a8 = r2 + a2;
      const outRow = yb + (b * outH + oy) * outW * O;
      for (let c = 0; c < O; c++) {
        const wc = wb + c, w0 = F[wc], w1 = F[wc + O], w2 = F[wc + O2], w3 = F[wc + O3], w4 = F[wc + O4];
        const w5 = F[wc + O5], w6 = F[wc + O6], w7 = F[wc + O7], w8 = F[wc + O8];
        const offset = R[oAt + c], mult = R[mAt + c], shift = S[sAt + c], k = shift + SHIFT_BASE;
        const scaled = mult * SCALE[k], addPositive = ADD_POSITIVE[k], addNegative = ADD_NEGATIVE[k];
        let p = row0 + ((c / depthMultiplier) | 0), out = outRow + c;
        for (let ox = 0; ox < outW; ox++) {
          const acc = B[p] * w0 + B[p + a1] * w1 + B[p + a2] * w2 + B[p + r1] * w3 + B[p + a4] * w4 +
            B[p + a5] * w5 + B[p + r2] * w6 + B[p + a7] * w7 + B[p + a8] * w8 + offset;
          let r: number;
          if (acc >= 0) r = acc < lim ? (acc * scaled + addPositive) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, shift);
          else r = acc > -lim ? -((addNegative - acc * scaled) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, shift);
          r += outZp;
          Y[out] = r < outMin ? outMin : r > outMax ? outMax : r;
          p += stepX;
          out += O;
        }
      }
    }
  }
}
