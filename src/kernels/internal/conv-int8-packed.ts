// CONV_2D int8 with two output channels' weights packed into one number (internal/packed-dot.ts):
// for fewer than four output positions, within the interpreter's weight cache (the packed copy
// is persistent arena).
import type { TensorData } from '../../core/types.js';
import { deriveRows, Rec, shiftOf, type ConvData } from './conv-record.js';
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { fieldsStart, groupSize, packedDot, packWeights, paddedPairs } from './packed-dot.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

/** Doubles of sums the packed path needs before the derived rows. */
export function packedSums(channels: number): number {
  return paddedPairs(channels);
}

/** Packs the weights W (channel-major windows) into the arena copy. */
export function packConvWeights(P: Int32Array, W: ArrayLike<number>, out: Int32Array | Float64Array): void {
  const K = P[Rec.WINDOW];
  packWeights(P[Rec.OUT_D], 1, K, W, 0, K, 0, 1, P[Rec.FIELD], out, 0);
}

export function evalInt8Packed(d: ConvData): void {
  const P = d.p, X = d.x, Y = d.y, sums = d.sa as Float64Array, W = d.packed as Int32Array | Float64Array;
  const offsets = d.off as Float64Array, SC = d.sc as Float64Array, AP = d.ap as Float64Array, AN = d.an as Float64Array;
  if (P[Rec.STATIC] !== 1) packConvWeights(P, d.w, W);
  deriveRows(P, offsets, SC, AP, AN, d.w, d.b);
  const lim = P[Rec.FAST] === 1 ? FAST_REQUANT_LIMIT : 0;
  const outMin = P[Rec.OUT_MIN], outMax = P[Rec.OUT_MAX], outZp = P[Rec.OUT_ZP], zp = P[Rec.IN_ZP];
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], inD = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], outD = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], sH = P[Rec.S_H], sW = P[Rec.S_W];
  const dH = P[Rec.D_H], dW = P[Rec.D_W], padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
  const K = P[Rec.WINDOW], direct = P[Rec.DIRECT] === 1, mAt = Rec.TABLES;
  const pairs = (outD + 1) >> 1, paddedPairCount = paddedPairs(outD), group = groupSize(outD);
  const field = P[Rec.FIELD], start = fieldsStart(field);
  const Pt = d.patch !== null ? d.patch : X;
  const rowRun = fW * inD;
  let outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let S0: TensorData = Pt, base = 0;
        if (direct) {
          S0 = X;
          base = ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          // Gather the window; positions in the padding hold the zero point.
          let pi = 0;
          const rowInside = ix0 >= 0 && ix0 + (fW - 1) * dW < inW && dW === 1;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) {
              const end = pi + rowRun;
              while (pi < end) Pt[pi++] = zp;
              continue;
            }
            const rowBase = (b * inH + iy) * inW;
            if (rowInside) {
              let s = (rowBase + ix0) * inD;
              const end = pi + rowRun;
              while (pi < end) Pt[pi++] = X[s++];
              continue;
            }
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              const end = pi + inD;
              if (ix < 0 || ix >= inW) {
                while (pi < end) Pt[pi++] = zp;
              } else {
                let s = (rowBase + ix) * inD;
                while (pi < end) Pt[pi++] = X[s++];
              }
            }
          }
        }
        packedDot(S0, base, 1, K, K, W, 0, sums, paddedPairCount, group, start);
        for (let pair = 0, c = 0; pair < pairs; pair++, c += 2) {
          const T = sums[pair];
          const high = (T / field) | 0;
          // Channel c: the low field.
          let acc = T - high * field + offsets[c];
          let r: number;
          if (acc >= 0) r = acc < lim ? (acc * SC[c] + AP[c]) | 0 : multiplyByQuantizedMultiplier(acc | 0, P[mAt + c], shiftOf(P, outD, c));
          else r = acc > -lim ? -((AN[c] - acc * SC[c]) | 0) : multiplyByQuantizedMultiplier(acc | 0, P[mAt + c], shiftOf(P, outD, c));
          r += outZp;
          Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          if (c + 1 === outD) break;
          // Channel c + 1: the high field.
          const c1 = c + 1;
          acc = high + offsets[c1];
          if (acc >= 0) r = acc < lim ? (acc * SC[c1] + AP[c1]) | 0 : multiplyByQuantizedMultiplier(acc | 0, P[mAt + c1], shiftOf(P, outD, c1));
          else r = acc > -lim ? -((AN[c1] - acc * SC[c1]) | 0) : multiplyByQuantizedMultiplier(acc | 0, P[mAt + c1], shiftOf(P, outD, c1));
          r += outZp;
          Y[outIndex + c1] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        outIndex += outD;
      }
    }
  }
}
