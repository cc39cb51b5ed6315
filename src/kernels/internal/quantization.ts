// The one home of TFLM's fixed-point rounding rules (kernels/internal/common.h, common.cc,
// quantization_util.cc, kernel_util.cc), bit-exact, without BigInt: 64-bit products are split
// into parts that doubles hold exactly. Also the float limits kernels clamp to and the int64
// reader (re-exported from core/int64.ts), so that no kernel keeps a copy of its own.
//
// Requantization (TFLM's MultiplyByQuantizedMultiplier: x · multiplier · 2^shift, rounded as
// gemmlowp does), in three forms:
//  - multiplyByQuantizedMultiplier: the exact routine, any int32 x and any multiplier. The
//    reference for the others; use it where a value is requantized once per tensor or row.
//  - requantizeInt32: the fast form per output value. Exact for an int32 x and a multiplier in
//    [0, 2^31) (quantizeMultiplier's); it computes the product in one double and falls back to
//    the exact routine in the rare case that double cannot decide the rounding.
//  - multiplyByQuantizedMultiplier64: the int64-accumulator form (16x8 kernels), |x| < 2^47.
// Kernels that inline the fast form in their hot loops (conv, depthwise) must keep its
// conditions: int32 x after the `| 0` wrap, multiplier from quantizeMultiplier, and the exact
// fallback when the double's fraction lies within 2^-20 of an integer.
export { int64At, setInt64At } from '../../core/int64.js';

const TWO_POW_31 = 2147483648;
const TWO_POW_16 = 65536;
const TWO_POW_24 = 16777216;
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** gemmlowp's SaturatingRoundingDoublingHighMul: (a * b * 2 + 2^31) >> 32, rounding to nearest. */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // a * b = a * high * 2^16 + a * low, each part below 2^47 and exact in a double.
  const low = b & 0xffff;
  const high = (b - low) / TWO_POW_16;
  const nudge = (a >= 0) === (b >= 0) || a === 0 || b === 0 ? 1073741824 : -1073741823;
  // (a*b + nudge) / 2^31 truncated toward zero, from exact parts:
  // a*high = q*2^15 + r (0 <= r < 2^15), so a*b + nudge = q*2^31 + (r*2^16 + a*low + nudge).
  const ah = a * high;
  const q = Math.floor(ah / 32768);
  const rest = (ah - q * 32768) * TWO_POW_16 + a * low + nudge;
  const restQuotient = Math.floor(rest / TWO_POW_31);
  let result = q + restQuotient;
  // Floor to truncation: a negative quotient with a remainder rounds up toward zero.
  if (result < 0 && rest - restQuotient * TWO_POW_31 !== 0) result += 1;
  return result | 0;
}

/** gemmlowp's RoundingDivideByPOT: x / 2^exponent, rounding half away from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/**
 * TFLM's MultiplyByQuantizedMultiplier for an int32 value (double rounding, TFLM's default):
 * RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x << left, multiplier), right). Written
 * flat, without calls, because every quantized kernel pays for it per output element in XS.
 */
export function multiplyByQuantizedMultiplier(x: number, quantizedMultiplier: number, shift: number): number {
  const a = shift > 0 ? (x << shift) | 0 : x;
  const b = quantizedMultiplier;
  let high: number;
  if (a === -2147483648 && b === -2147483648) {
    high = 2147483647;
  } else {
    // a * b = a * (b >> 16) * 2^16 + a * (b & 0xffff): both parts are exact in doubles. Then
    // (a*b + nudge) / 2^31, truncated toward zero, from a*(b>>16) = q*2^15 + r.
    const ah = a * (b >> 16);
    const q = Math.floor(ah / 32768);
    const rest = (ah - q * 32768) * 65536 + a * (b & 0xffff) + ((a < 0) !== (b < 0) && a !== 0 && b !== 0 ? -1073741823 : 1073741824);
    const restQuotient = Math.floor(rest / 2147483648);
    high = q + restQuotient;
    if (high < 0 && rest !== restQuotient * 2147483648) high += 1;
    high |= 0;
  }
  if (shift >= 0) return high;
  const exponent = -shift;
  const mask = (1 << exponent) - 1;
  const threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> exponent) + ((high & mask) > threshold ? 1 : 0);
}

/**
 * TFLM's MultiplyByQuantizedMultiplier for an int64 accumulator (int16 activations): the multiplier
 * is reduced to 15 bits and applied with one rounding. `x` is an integer double, |x| < 2^47.
 */
export function multiplyByQuantizedMultiplier64(x: number, quantizedMultiplier: number, shift: number): number {
  const reduced = quantizedMultiplier < 0x7fff0000 ? (quantizedMultiplier + 32768) >> 16 : 0x7fff;
  const totalShift = 15 - shift;
  // x * reduced + 2^(totalShift-1), shifted right arithmetically; x = xh * 2^24 + xl.
  const xl = x - Math.floor(x / TWO_POW_24) * TWO_POW_24;
  const xh = (x - xl) / TWO_POW_24;
  const a = xh * reduced;                                   // |a| < 2^38
  const b = xl * reduced + Math.pow(2, totalShift - 1);     // < 2^40 + 2^45
  let result: number;
  if (totalShift <= 24) {
    // Reduce a modulo 2^(32-k) first so an out-of-range result wraps as C's int32 cast does.
    const k = 24 - totalShift;
    const wrap = Math.pow(2, 32 - k);
    result = (a - Math.floor(a / wrap) * wrap) * Math.pow(2, k) + Math.floor(b / Math.pow(2, totalShift));
  } else {
    const k = Math.pow(2, totalShift - 24);
    const aq = Math.floor(a / k);
    result = aq + Math.floor(((a - aq * k) * TWO_POW_24 + b) / Math.pow(2, totalShift));
  }
  return result | 0;
}

/** Exactly multiplyByQuantizedMultiplier(x, multiplier, shift) for an int32 x and a multiplier in [0, 2^31). */
// SaturatingRoundingDoublingHighMul's (a·m + nudge) / 2^31 truncated toward zero equals
// floor((a·m + 2^30) / 2^31) for either sign. In doubles, a·m (below 2^62) and the added 2^30 are
// each rounded by at most 2^9, so w = (a·m + 2^30) / 2^31 is within 2^-21 of the exact quotient:
// its floor is exact unless w lies that close to an integer, which the exact routine then
// handles (about one value in a million, and exact ties).
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

/** std::frexp: [mantissa in [0.5, 1), exponent] with value = mantissa * 2^exponent. */
export function frexp(value: number): [number, number] {
  if (value === 0 || !isFinite(value)) return [value, 0];
  const magnitude = Math.abs(value);
  let exponent = Math.max(-1073, Math.floor(Math.log2(magnitude)) + 1);
  let mantissa = magnitude * Math.pow(2, -exponent);
  // log2 may be off by one near powers of two; the scaling by 2 is exact.
  while (mantissa < 0.5) { mantissa *= 2; exponent--; }
  while (mantissa >= 1) { mantissa /= 2; exponent++; }
  return [value < 0 ? -mantissa : mantissa, exponent];
}

/** C's round(): half away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** TFLM's QuantizeMultiplier: a real multiplier as a Q31 integer and a power-of-two shift. */
export function quantizeMultiplier(realMultiplier: number): { multiplier: number; shift: number } {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  let [mantissa, shift] = frexp(realMultiplier);
  let fixed = roundHalfAway(mantissa * TWO_POW_31);
  if (fixed === TWO_POW_31) {
    fixed /= 2;
    shift++;
  }
  if (shift < -31) {
    shift = 0;
    fixed = 0;
  }
  return { multiplier: fixed, shift };
}

/** Writes the Q31 multiplier and shift of `realMultiplier` into the arrays at `index`. */
export function quantizeMultiplierInto(realMultiplier: number, multipliers: Int32Array, shifts: Int32Array, index: number): void {
  const q = quantizeMultiplier(realMultiplier);
  multipliers[index] = q.multiplier;
  shifts[index] = q.shift;
}

/** Activation bounds in the quantized domain (kernel_util's CalculateActivationRangeQuantized). */
export const enum Activation {
  NONE = 0,
  RELU = 1,
  RELU_N1_TO_1 = 2,
  RELU6 = 3,
  TANH = 4,
  SIGN_BIT = 5,
}

export function activationName(activation: number): string {
  return ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'][activation] ?? `activation ${activation}`;
}

/** [min, max] a quantized output may take under a fused activation. */
export function quantizedActivationRange(activation: number, scale: number, zeroPoint: number, qmin: number, qmax: number): [number, number] {
  const quantize = (f: number) => zeroPoint + roundHalfAway(Math.fround(f / scale));
  let low = qmin, high = qmax;
  if (activation === Activation.RELU) {
    low = Math.max(qmin, quantize(0));
  } else if (activation === Activation.RELU6) {
    low = Math.max(qmin, quantize(0));
    high = Math.min(qmax, quantize(6));
  } else if (activation === Activation.RELU_N1_TO_1) {
    low = Math.max(qmin, quantize(-1));
    high = Math.min(qmax, quantize(1));
  }
  return [low, high];
}

/** [min, max] of a float output under a fused activation (CalculateActivationRange). */
export function floatActivationRange(activation: number): [number, number] {
  // TFLM clamps to the float range (std::numeric_limits<float>), so ±Infinity becomes ±FLT_MAX.
  if (activation === Activation.RELU) return [0, FLT_MAX];
  if (activation === Activation.RELU6) return [0, 6];
  if (activation === Activation.RELU_N1_TO_1) return [-1, 1];
  return [-FLT_MAX, FLT_MAX];
}

/** Largest float32 (std::numeric_limits<float>::max()): float bounds clamp to it. */
export const FLT_MAX = 3.4028234663852886e38;
/** The same, under the name conv-params.ts and pooling use. */
export const FLOAT_MAX = FLT_MAX;
/** std::numeric_limits<float>::lowest(): where float maxima start. */
export const LOWEST_FLOAT = -FLT_MAX;

/** Smallest and largest value of an integer tensor type, by TensorType code. */
export function typeRange(type: number): [number, number] {
  switch (type) {
    case 9: return [-128, 127];            // int8
    case 3: return [0, 255];               // uint8
    case 7: return [-32768, 32767];        // int16
    case 2: return [INT32_MIN, INT32_MAX]; // int32
    default: return [-Infinity, Infinity];
  }
}

/**
 * multiplyByQuantizedMultiplier64, exactly, with one rounding division where it is exact in
 * doubles: for |x| < 2^37 the product with the reduced (16-bit) multiplier stays below 2^52,
 * so floor((x * reduced + 2^(t-1)) / 2^t) is computed without splitting x (t = 15 - shift in
 * 1..46). Other inputs take the general routine. For the 16x8 conv paths' per-output requantization.
 */
export function multiplyByQuantizedMultiplier64Quick(x: number, quantizedMultiplier: number, shift: number): number {
  const t = 15 - shift;
  if (x < 137438953472 && x > -137438953472 && t >= 1 && t <= 46) {
    const reduced = quantizedMultiplier < 0x7fff0000 ? (quantizedMultiplier + 32768) >> 16 : 0x7fff;
    return Math.floor((x * reduced + 2 ** (t - 1)) * 2 ** -t) | 0;
  }
  return multiplyByQuantizedMultiplier64(x, quantizedMultiplier, shift);
}
