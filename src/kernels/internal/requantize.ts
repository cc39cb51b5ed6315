// TFLM's MultiplyByQuantizedMultiplier on an int32 value, for the per-channel step after a dot
// product, in fewer bytecodes than the exact routine (XS meters every one; this runs once per
// output value). Multipliers are quantizeMultiplier's: 0 or in [2^30, 2^31).
//
// SaturatingRoundingDoublingHighMul's (a·m + nudge) / 2^31 truncated toward zero equals
// floor((a·m + 2^30) / 2^31) for either sign. In doubles, a·m (below 2^62) and the added 2^30 are
// each rounded by at most 2^9, so w = (a·m + 2^30) / 2^31 is within 2^-21 of the exact quotient:
// its floor is exact unless w lies that close to an integer, which the exact routine then
// handles (about one value in a million, and exact ties).
import { multiplyByQuantizedMultiplier } from './quantization.js';

/** Exactly multiplyByQuantizedMultiplier(x, multiplier, shift) for an int32 x and a multiplier in [0, 2^31). */
export function requantizeInt32(x: number, multiplier: number, shift: number): number {
  const a = shift > 0 ? (x << shift) | 0 : x;
  const w = (a * multiplier + 1073741824) / 2147483648;
  const high = Math.floor(w);
  const f = w - high;
  if (f < 9.5367431640625e-7 || f > 0.9999990463256836) return multiplyByQuantizedMultiplier(x, multiplier, shift);
  if (shift >= 0) return high;
  // RoundingDivideByPOT: halves round away from zero; the sum stays inside int32 for |high| < 2^30.
  const half = 1 << (-shift - 1);
  if (high < 1073741824 && high >= -1073741824) return high >= 0 ? (high + half) >> -shift : (high + half - 1) >> -shift;
  const mask = (1 << -shift) - 1;
  return (high >> -shift) + ((high & mask) > (mask >> 1) + (high < 0 ? 1 : 0) ? 1 : 0);
}
