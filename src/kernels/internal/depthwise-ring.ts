// DEPTHWISE_CONV_2D int8, 3x3 filters where the sliding path does not apply: a ring of three
// zero-point-bordered input rows (each input row copied once), channel by channel; the padding
// at the zero point adds nothing once zp * sum(w) is in the offsets (depthwise-data.ts).
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { ADD_NEGATIVE, ADD_POSITIVE, Field, offsetsAt, SCALE, SHIFT_BASE, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

export function evalDepthwiseRing(d: DepthwiseData): void {
  const R = d.r, S = d.s!, X = d.x, F = d.w, Y = d.y, B = d.t!;
  const lim = R[Field.FAST] ? FAST_REQUANT_LIMIT : 0;
  const outMin = R[Field.OUT_MIN], outMax = R[Field.OUT_MAX], outZp = R[Field.OUT_ZP], zp = R[Field.IN_ZP];
  const C = R[Field.IN_D], O = R[Field.OUT_D], depthMultiplier = R[Field.MULT], batches = R[Field.BATCHES];
  const H = R[Field.IN_H], W = R[Field.IN_W], outH = R[Field.OUT_H], outW = R[Field.OUT_W], mAt = Field.COUNT, oAt = offsetsAt(O);
  const sH = R[Field.S_H], dH = R[Field.D_H], padH = R[Field.PAD_H];
  const ringRows = R[Field.RING_ROWS], ringRow = R[Field.RING_WIDTH] * C, dataStart = R[Field.PAD_W] * C, dataLength = W * C;
  const stepX = R[Field.S_W] * C, a1 = R[Field.D_W] * C, a2 = 2 * a1;
  // Padding columns stay at the zero point; rows are written over their data columns only.
  B.fill(zp);
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
          let xi = (b * H + iy) * dataLength;
          while (at < end) B[at++] = X[xi++];
        }
      }
      loaded = last;
      const row0 = (top % ringRows) * ringRow;
      const r1 = ((top + dH) % ringRows) * ringRow - row0, r2 = ((top + 2 * dH) % ringRows) * ringRow - row0;
      const a4 = r1 + a1, a5 = r1 + a2, a7 = r2 + a1, a8 = r2 + a2;
      const outRow = (b * outH + oy) * outW * O;
      for (let c = 0; c < O; c++) {
        const w0 = F[c], w1 = F[O + c], w2 = F[2 * O + c], w3 = F[3 * O + c], w4 = F[4 * O + c];
        const w5 = F[5 * O + c], w6 = F[6 * O + c], w7 = F[7 * O + c], w8 = F[8 * O + c];
        const offset = R[oAt + c], mult = R[mAt + c], shift = S[c], k = shift + SHIFT_BASE;
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
