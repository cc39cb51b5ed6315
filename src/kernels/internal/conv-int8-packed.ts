// CONV_2D int8 with two output channels' weights packed into one number (internal/packed-dot.ts):
// for fewer than four output positions, within the interpreter's weight cache (the packed copy
// is persistent arena).
import type { TensorData } from '../../core/types.js';
import { gatherWindow } from './conv-gather.js';
import { ADD_NEGATIVE, ADD_POSITIVE, foldOffsets, Rec, SCALE, type ConvData } from './conv-record.js';
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { fieldsStart, groupSize, packedDot, packWeights, paddedPairs } from './packed-dot.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

/** Doubles of sums the packed path needs. */
export function packedSums(channels: number): number {
  return paddedPairs(channels);
}

/** Packs the weights W (channel-major windows from w) into the arena copy K from k. */
export function packConvWeights(P: Int32Array, r: number, W: TensorData, w: number, K: Int32Array | Float64Array, k: number): void {
  const n = P[r + Rec.WINDOW];
  packWeights(P[r + Rec.OUT_D], 1, n, W, w, n, 0, 1, P[r + Rec.FIELD], K, k);
}

export function evalInt8Packed(d: ConvData): void {
  const P = d.p, r = d.r, V = d.v;
  const X = V[P[r + Rec.VX]], Y = V[P[r + Rec.VY]], E = V[P[r + Rec.VI8]];
  const sums = V[P[r + Rec.VD0]] as Float64Array, W = V[P[r + Rec.VK]] as Int32Array | Float64Array;
  const x0 = P[r + Rec.X], s = P[r + Rec.SUMS], patch = P[r + Rec.PATCH], k0 = P[r + Rec.PACKED];
  const field = P[r + Rec.FIELD], start = fieldsStart(field);
  if (P[r + Rec.STATIC] !== 1) {
    const Wt = V[P[r + Rec.VW]], w = P[r + Rec.W];
    packConvWeights(P, r, Wt, w, W, k0);
    foldOffsets(P, r, Wt, w, V[P[r + Rec.VB]], P[r + Rec.B], field / 2);
  }
  const lim = P[r + Rec.FAST] === 1 ? FAST_REQUANT_LIMIT : 0;
  const outMin = P[r + Rec.OUT_MIN], outMax = P[r + Rec.OUT_MAX], outZp = P[r + Rec.OUT_ZP], zp = P[r + Rec.IN_ZP];
  const batches = P[r + Rec.BATCHES], inH = P[r + Rec.IN_H], inW = P[r + Rec.IN_W], inD = P[r + Rec.IN_D];
  const outH = P[r + Rec.OUT_H], outW = P[r + Rec.OUT_W], outD = P[r + Rec.OUT_D];
  const fH = P[r + Rec.F_H], fW = P[r + Rec.F_W], sH = P[r + Rec.S_H], sW = P[r + Rec.S_W];
  const dH = P[r + Rec.D_H], dW = P[r + Rec.D_W], padH = P[r + Rec.PAD_H], padW = P[r + Rec.PAD_W];
  const K = P[r + Rec.WINDOW], direct = P[r + Rec.DIRECT] === 1;
  const mAt = r + Rec.TABLES, oAt = mAt + outD, eAt = P[r + Rec.SHIFTS];
  const pairs = (outD + 1) >> 1, paddedPairCount = paddedPairs(outD), group = groupSize(outD);
  const scale = SCALE, addP = ADD_POSITIVE, addN = ADD_NEGATIVE;
  const Pt = E;
  let outIndex = P[r + Rec.Y];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let S0: TensorData = Pt, base = patch;
        if (direct) {
          S0 = X;
          base = x0 + ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          // Gather the window; positions in the padding hold the zero point.
          gatherWindow(X, x0, b, inH, inW, inD, iy0, ix0, fH, fW, dH, dW, Pt, patch, zp);
        }
        packedDot(S0, base, 1, K, K, W, k0, sums, paddedPairCount, group, start, s);
        for (let pair = 0, c = 0; pair < pairs; pair++, c += 2) {
          const T = sums[s + pair];
          const high = (T / field) | 0;
          for (let h = 0; h < 2; h++) {
            const ch = c + h;
            if (ch === outD) break;
            // Channel c: the low field; channel c + 1: the high field.
            const acc = (h === 0 ? T - high * field : high) + P[oAt + ch];
            const x = E[eAt + ch], mult = P[mAt + ch];
            let v: number;
            if (acc >= 0) v = acc < lim ? (acc * (mult * scale[x]) + addP[x]) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
            else v = acc > -lim ? -((addN[x] - acc * (mult * scale[x])) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
            v += outZp;
            Y[outIndex + ch] = v < outMin ? outMin : v > outMax ? outMax : v;
          }
        }
        outIndex += outD;
      }
    }
  }
}
