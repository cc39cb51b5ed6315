// DEPTHWISE_CONV_2D int8 with depth multiplier 2 or more, within the weight cache: channel pairs'
// weights packed into one number (internal/packed-dot.ts), so one multiply serves two channels.
// The requantization's fast factors are derived per output from the multiplier and shift
// (depthwise-data.ts).
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { ADD_NEGATIVE, ADD_POSITIVE, Field, offsetsAt, SCALE, SHIFT_BASE, type DepthwiseData } from './depthwise-data.js';
import { fieldsStart, groupSize, packedDot, packedLength, packWeights, paddedPairs } from './packed-dot.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';
import type { TensorData } from '../../core/types.js';

/** Packs the weights of channel pairs into `out` from R[a + K_AT] (laid out as the two evals below read them). */
export function packDepthwiseWeights(R: Int32Array, a: number, weights: TensorData, out: Int32Array | Float64Array): void {
  const M = R[a + Field.MULT], C = R[a + Field.IN_D], fH = R[a + Field.F_H], fW = R[a + Field.F_W], O = R[a + Field.OUT_D], field = R[a + Field.FIELD];
  const wb = R[a + Field.W_AT], kb = R[a + Field.K_AT];
  if (R[a + Field.ROW_MODE]) {
    // Input depth 1: the window's rows lie in place in the input.
    packWeights(M, fH, fW, weights, wb, 1, fW * O, O, field, out, kb);
    return;
  }
  const taps = fH * fW, block = packedLength(M, 1, taps);
  for (let ic = 0; ic < C; ic++) packWeights(M, 1, taps, weights, wb + ic * M, 1, 0, O, field, out, kb + ic * block);
}

/**
 * Packed path for input depth 1 with rows a multiple of 8 long: the window's rows are read in
 * place from a ring of padded input rows. Each row is stored twice, R rows apart, so the R rows
 * a window spans always sit one after another.
 */
export function evalDepthwisePackedRows(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, Y = d.y || X, S = d.s || X, W = d.k || R, sums = d.p!, B = d.t || X;
  const lim = R[a + Field.FAST] ? FAST_REQUANT_LIMIT : 0;
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP], zp = R[a + Field.IN_ZP];
  const O = R[a + Field.OUT_D], batches = R[a + Field.BATCHES], H = R[a + Field.IN_H], inW = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const fH = R[a + Field.F_H], fW = R[a + Field.F_W], sH = R[a + Field.S_H], sW = R[a + Field.S_W], dH = R[a + Field.D_H], padH = R[a + Field.PAD_H];
  const mAt = a + Field.COUNT, oAt = a + offsetsAt(O), sAt = R[a + Field.S_AT];
  const xb = R[a + Field.X_AT], kb = R[a + Field.K_AT], tb = R[a + Field.T_AT];
  const pairs = (O + 1) >> 1, paddedPairCount = paddedPairs(O), group = groupSize(O);
  const field = R[a + Field.FIELD], start = fieldsStart(field);
  const ringRows = R[a + Field.RING_ROWS], ringRow = R[a + Field.RING_WIDTH], dataStart = tb + R[a + Field.PAD_W], tapY = dH * ringRow;
  B.fill(zp, tb, tb + 2 * ringRows * ringRow);
  let out = R[a + Field.Y_AT];
  for (let b = 0; b < batches; b++) {
    let loaded = -1;
    for (let oy = 0; oy < outH; oy++) {
      const top = oy * sH, last = top + (fH - 1) * dH;
      for (let py = loaded + 1 > top ? loaded + 1 : top; py <= last; py++) {
        let at = (py % ringRows) * ringRow + dataStart, twin = at + ringRows * ringRow;
        const end = at + inW, iy = py - padH;
        if (iy < 0 || iy >= H) {
          while (at < end) { B[at++] = zp; B[twin++] = zp; }
        } else {
          let xi = xb + (b * H + iy) * inW;
          while (at < end) { const v = X[xi++]; B[at++] = v; B[twin++] = v; }
        }
      }
      loaded = last;
      let window = tb + (top % ringRows) * ringRow;
      for (let ox = 0; ox < outW; ox++) {
        packedDot(B, window, fH, tapY, fW, W, kb, sums, paddedPairCount, group, start);
        for (let pair = 0, c = 0; pair < pairs; pair++, c += 2) {
          const T = sums[pair];
          const high = (T / field) | 0;
          let acc = T - high * field + R[oAt + c];
          let r: number;
          if (acc >= 0) r = acc < lim ? (acc * (R[mAt + c] * SCALE[S[sAt + c] + SHIFT_BASE]) + ADD_POSITIVE[S[sAt + c] + SHIFT_BASE]) | 0 : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[sAt + c]);
          else r = acc > -lim ? -((ADD_NEGATIVE[S[sAt + c] + SHIFT_BASE] - acc * (R[mAt + c] * SCALE[S[sAt + c] + SHIFT_BASE])) | 0) : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[sAt + c]);
          r += outZp;
          Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          const c1 = c + 1;
          if (c1 === O) break;
          acc = high + R[oAt + c1];
          if (acc >= 0) r = acc < lim ? (acc * (R[mAt + c1] * SCALE[S[sAt + c1] + SHIFT_BASE]) + ADD_POSITIVE[S[sAt + c1] + SHIFT_BASE]) | 0 : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c1], S[sAt + c1]);
          else r = acc > -lim ? -((ADD_NEGATIVE[S[sAt + c1] + SHIFT_BASE] - acc * (R[mAt + c1] * SCALE[S[sAt + c1] + SHIFT_BASE])) | 0) : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c1], S[sAt + c1]);
          r += outZp;
          Y[out + c1] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        out += O;
        window += sW;
      }
    }
  }
}

/** Packed path for other shapes: each window gathered (the padding at the zero point), input channel by input channel. */
export function evalDepthwisePacked(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, Y = d.y || X, S = d.s || X, W = d.k || R, sums = d.p!, P = d.t || X;
  const lim = R[a + Field.FAST] ? FAST_REQUANT_LIMIT : 0;
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP], zp = R[a + Field.IN_ZP];
  const C = R[a + Field.IN_D], depthMultiplier = R[a + Field.MULT], O = R[a + Field.OUT_D], mAt = a + Field.COUNT, oAt = a + offsetsAt(O);
  const batches = R[a + Field.BATCHES], H = R[a + Field.IN_H], inW = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const fH = R[a + Field.F_H], fW = R[a + Field.F_W], taps = fH * fW;
  const sH = R[a + Field.S_H], sW = R[a + Field.S_W], dH = R[a + Field.D_H], dW = R[a + Field.D_W], padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W];
  const sAt = R[a + Field.S_AT], xb = R[a + Field.X_AT], kb = R[a + Field.K_AT], tb = R[a + Field.T_AT];
  const pairs = (depthMultiplier + 1) >> 1, paddedPairCount = paddedPairs(depthMultiplier), group = groupSize(depthMultiplier);
  const field = R[a + Field.FIELD], start = fieldsStart(field);
  const block = packedLength(depthMultiplier, 1, taps);
  let out = R[a + Field.Y_AT];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let ic = 0; ic < C; ic++) {
          // Gather the window; taps outside the input hold the zero point.
          let pi = tb;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            const rowEnd = pi + fW;
            if (iy < 0 || iy >= H) {
              while (pi < rowEnd) P[pi++] = zp;
              continue;
            }
            let ix = ix0, xi = xb + ((b * H + iy) * inW + ix0) * C + ic;
            const tapX = dW * C;
            while (pi < rowEnd) {
              P[pi++] = ix >= 0 && ix < inW ? X[xi] : zp;
              ix += dW;
              xi += tapX;
            }
          }
          packedDot(P, tb, 1, taps, taps, W, kb + ic * block, sums, paddedPairCount, group, start);
          const oc0 = ic * depthMultiplier, ocEnd = oc0 + depthMultiplier;
          for (let pair = 0, c = oc0; pair < pairs; pair++, c += 2) {
            const T = sums[pair];
            const high = (T / field) | 0;
            let acc = T - high * field + R[oAt + c];
            let r: number;
            if (acc >= 0) r = acc < lim ? (acc * (R[mAt + c] * SCALE[S[sAt + c] + SHIFT_BASE]) + ADD_POSITIVE[S[sAt + c] + SHIFT_BASE]) | 0 : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[sAt + c]);
            else r = acc > -lim ? -((ADD_NEGATIVE[S[sAt + c] + SHIFT_BASE] - acc * (R[mAt + c] * SCALE[S[sAt + c] + SHIFT_BASE])) | 0) : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[sAt + c]);
            r += outZp;
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
            const c1 = c + 1;
            if (c1 === ocEnd) break;
            acc = high + R[oAt + c1];
            if (acc >= 0) r = acc < lim ? (acc * (R[mAt + c1] * SCALE[S[sAt + c1] + SHIFT_BASE]) + ADD_POSITIVE[S[sAt + c1] + SHIFT_BASE]) | 0 : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c1], S[sAt + c1]);
            else r = acc > -lim ? -((ADD_NEGATIVE[S[sAt + c1] + SHIFT_BASE] - acc * (R[mAt + c1] * SCALE[S[sAt + c1] + SHIFT_BASE])) | 0) : multiplyByQuantizedMultiplier(acc | 0, R[mAt + c1], S[sAt + c1]);
            r += outZp;
            Y[out + c1] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}
