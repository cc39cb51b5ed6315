// The requantization of the int8 conv dot products' sums (quad-dot.ts: two positions per sum,
// packed as lo + hi * F): each channel's fast requantization factors are derived as it goes
// (conv-record.ts's tables).
import type { TensorData } from '../../core/types.js';
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';
import { ADD_NEGATIVE, ADD_POSITIVE, SCALE } from './conv-record.js';

/**
 * Requantizes `count` (1 to 8) consecutive output positions from their pair sums: positions 0
 * and 1 of channel c from D0[s + c], 2 and 3 from D1, 4 and 5 from D2, 6 and 7 from D3 (views
 * not read may be any). Adds the channel's offset (bias, zero point and fields' start folded:
 * the record P from m + C), requantizes with its multiplier (P[m + c]) and right shift (the int8
 * E[e + c]), clamps and stores position j at Y[y + j * C + c]. The fast form's factors are
 * derived once per channel from the shift (conv-record.ts's tables).
 *
 * `quick`: the accumulators are known to be in the fast requantization's range and the lower
 * activation bound is the output zero point (RELU, RELU6), so a negative accumulator, which
 * requantizes to zero or below, stores the bound and a positive one needs no lower clamp.
 */
export function requantizeRows(
  P: Int32Array, m: number, E: TensorData, e: number, quick: boolean, fast: boolean, F: number, C: number,
  outZp: number, outMin: number, outMax: number,
  D0: Float64Array, D1: Float64Array, D2: Float64Array, D3: Float64Array, s: number,
  Y: TensorData, y: number, count: number,
): void {
  // One running index i = s + c for every table: the others are shifted to match.
  const mi = m - s, oi = m + C - s, ei = e - s, end = s + C;
  const y0 = y - s, y1 = y0 + C, y2 = y1 + C, y3 = y2 + C, y4 = y3 + C, y5 = y4 + C, y6 = y5 + C, y7 = y6 + C;
  const scale = SCALE, addP = ADD_POSITIVE, addN = ADD_NEGATIVE;
  let i = s, T = 0, hi = 0, off = 0, sc = 0, ap = 0, an = 0, acc = 0, r = 0, x = 0, mult = 0;
  if (quick && count === 8) {
    do {
      x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];
      T = D0[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y0 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y0 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y1 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y1 + i] = r > outMax ? outMax : r; }
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y2 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y2 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y3 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y3 + i] = r > outMax ? outMax : r; }
      T = D2[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y4 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y4 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y5 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y5 + i] = r > outMax ? outMax : r; }
      T = D3[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y6 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y6 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y7 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y7 + i] = r > outMax ? outMax : r; }
    } while (++i < end);
    return;
  }
  if (quick && count === 6) {
    do {
      x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];
      T = D0[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y0 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y0 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y1 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y1 + i] = r > outMax ? outMax : r; }
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y2 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y2 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y3 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y3 + i] = r > outMax ? outMax : r; }
      T = D2[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y4 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y4 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y5 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y5 + i] = r > outMax ? outMax : r; }
    } while (++i < end);
    return;
  }
  if (quick && count === 4) {
    do {
      x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];
      T = D0[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y0 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y0 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y1 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y1 + i] = r > outMax ? outMax : r; }
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y2 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y2 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y3 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y3 + i] = r > outMax ? outMax : r; }
    } while (++i < end);
    return;
  }
  const lim = fast ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  do {
    x = E[ei + i]; mult = P[mi + i]; off = P[oi + i];
    if (fast) { sc = mult * scale[x]; ap = addP[x]; an = addN[x]; }
    T = D0[i]; hi = (T / F) | 0;
    acc = T - hi * F + off;
    if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
    else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
    r += outZp;
    Y[y0 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
    if (count > 1) {
      acc = hi + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      r += outZp;
      Y[y1 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
    if (count > 2) {
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      r += outZp;
      Y[y2 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
      if (count > 3) {
        acc = hi + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        r += outZp;
        Y[y3 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
      }
      if (count > 4) {
        T = D2[i]; hi = (T / F) | 0;
        acc = T - hi * F + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        r += outZp;
        Y[y4 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
        if (count > 5) {
          acc = hi + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          r += outZp;
          Y[y5 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        if (count > 6) {
          T = D3[i]; hi = (T / F) | 0;
          acc = T - hi * F + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          r += outZp;
          Y[y6 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
          if (count > 7) {
            acc = hi + off;
            if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
            else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
            r += outZp;
            Y[y7 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
      }
    }
  } while (++i < end);
}
