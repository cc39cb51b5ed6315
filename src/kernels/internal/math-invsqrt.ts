// TFLite's GetInvSqrtQuantizedMultiplierExp (kernels/internal/common.h): 1 / sqrt(input) as a
// Q31 multiplier and a shift, by five Newton-Raphson steps in gemmlowp's FixedPoint<int32, 3>,
// bit-exact. Used by RSQRT (int8) and L2_NORMALIZATION (int8).
import { rescale, saturatingRoundingDoublingHighMul as mul } from './fixedpoint.js';
import { roundingDivideByPOT } from './quantization.js';

const F3_ONE = 1 << 28;
const F3_THREE_HALVES = (1 << 28) + (1 << 27);
const F0_HALF_SQRT_2 = 1518500250;

/** The shift before the reverse: 11 adjusted for the input's normalisation (may be negative). */
function rawShift(input: number): number {
  let shift = 11;
  // Bounded: each step divides by 4, 16 steps at most for an int32.
  while (input >= 1 << 29) {
    input = (input / 4) | 0;
    shift++;
  }
  return shift - ((Math.clz32(input) - 1) >> 1) + 1;
}

/**
 * The shift of 1/sqrt(input) with TFLite's reverse_shift = -1 applied (negative means a right
 * shift); 0 for inputs 0 and 1.
 */
export function invSqrtShift(input: number): number {
  if (input <= 1) return 0;
  const shift = rawShift(input);
  return shift < 0 ? 0 : -shift;
}

/** The Q31 multiplier of 1/sqrt(input); INT32_MAX for inputs 0 and 1. */
export function invSqrtMultiplier(input: number): number {
  if (input <= 1) return 2147483647;
  let shift = 11;
  while (input >= 1 << 29) {
    input = (input / 4) | 0;
    shift++;
  }
  const leftShiftBitPairs = ((Math.clz32(input) - 1) >> 1) - 1;
  shift -= leftShiftBitPairs;
  input = input << (2 * leftShiftBitPairs);
  const halfInput = roundingDivideByPOT(input >> 1, 1);
  let x = F3_ONE;
  for (let i = 0; i < 5; i++) {
    // x * x * x: F3 * F3 = F6, * F3 = F9, rescaled to F3.
    const x3 = rescale(mul(mul(x, x), x), 9, 3);
    // F3 * F3 products are F6; gemmlowp's subtraction wraps.
    x = rescale((mul(F3_THREE_HALVES, x) - mul(halfInput, x3)) | 0, 6, 3);
  }
  const multiplier = mul(x, F0_HALF_SQRT_2);
  return shift < 0 ? (multiplier << -shift) | 0 : multiplier;
}
