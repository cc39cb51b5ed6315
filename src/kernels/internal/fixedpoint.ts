// gemmlowp's fixed-point arithmetic (fixedpoint/fixedpoint.h) and the fixed-point helpers of
// TFLite's kernels/internal/common.h that build on it, on int32 raw values, bit-exact.
//
// A gemmlowp FixedPoint<int32, IntegerBits> is just its raw int32: the value is
// raw / 2^(31 - IntegerBits). Where gemmlowp takes IntegerBits as a template parameter these
// functions take it as an argument. Additions wrap as int32 additions do (gemmlowp's Add);
// products are SaturatingRoundingDoublingHighMul. Every function returns an int32 number.
import {
  INT32_MAX,
  INT32_MIN,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from './quantization.js';

export { roundingDivideByPOT, saturatingRoundingDoublingHighMul };

const srdhm = saturatingRoundingDoublingHighMul;

/**
 * gemmlowp's SaturatingRoundingMultiplyByPOT<exponent> (and TFLite's ...POTParam): a saturating
 * left shift for exponent > 0, a rounding right shift for exponent < 0.
 */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = exponent >= 31 ? 0 : (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (x << exponent) | 0;
}

/** gemmlowp's Rescale: the same value with `dstIntegerBits` instead of `srcIntegerBits`. */
export function rescale(x: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(x, srcIntegerBits - dstIntegerBits);
}

/** gemmlowp's RoundingHalfSum for int32: (a + b) / 2 rounded half away from zero. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // exact in a double
  return ((sum >= 0 ? sum + 1 : sum - 1) / 2) | 0;
}

/** int32 addition clamped to the int32 range (TFLite's SaturatingAddNonGemmlowp). */
export function saturatingAdd(a: number, b: number): number {
  const sum = a + b;
  return sum > INT32_MAX ? INT32_MAX : sum < INT32_MIN ? INT32_MIN : sum;
}

/** int32 subtraction clamped to the int32 range (TFLite's SaturatingSub). */
export function saturatingSub(a: number, b: number): number {
  const diff = a - b;
  return diff > INT32_MAX ? INT32_MAX : diff < INT32_MIN ? INT32_MIN : diff;
}

/** gemmlowp's int16 SaturatingRoundingDoublingHighMul (for FixedPoint<int16, n>). */
export function saturatingRoundingDoublingHighMul16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  const nudged = ab >= 0 ? ab + 16384 : ab + 1 - 16384;
  // C's division truncates toward zero; then the cast to int16 wraps.
  return (((nudged / 32768) | 0) << 16) >> 16;
}

/** gemmlowp's int16 SaturatingAdd. */
export function saturatingAdd16(a: number, b: number): number {
  const sum = a + b;
  return sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
}

/** TFLite's CountLeadingSignBits for int32. */
export function countLeadingSignBits(x: number): number {
  if (x === 0) return 31;
  if (x > 0) return Math.clz32(x) - 1;
  if (x === INT32_MIN) return 0;
  return Math.clz32(2 * -x - 1);
}

// --- exp, tanh, logistic, 1/(1+x) ---------------------------------------------------------

/** exp(a) for a in [-1/4, 0), Q0.31 in and out. */
export function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const oneThird = 715827883;
  // Taylor expansion around -1/8: x = a + 1/8.
  const x = (a + (1 << 28)) | 0;
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT((srdhm((x4Over4 + x3) | 0, oneThird) + x2) | 0, 1);
  return (constantTerm + srdhm(constantTerm, (x + poly) | 0)) | 0;
}

// exp(-2^k) in Q0.31 for k = -2 .. 4: the barrel shifter of exp_on_negative_values.
const EXP_BARREL_MULTIPLIERS: readonly number[] = Object.freeze([1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242]);

/** exp(a) for a <= 0 given with `integerBits` integer bits; result in Q0.31. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusQuarter, integerBits, 0));
  const remainder = (aModQuarterMinusQuarter - a) | 0;
  for (let k = 0; k < 7; k++) {
    const exponent = k - 2;
    if (integerBits > exponent) {
      const bit = 1 << (fractionalBits + exponent);
      if ((remainder & bit) !== 0) result = srdhm(result, EXP_BARREL_MULTIPLIERS[k]);
    }
  }
  if (integerBits > 5) {
    const clamp = -(1 << (36 - integerBits)); // -32 in the input's format
    if (a < clamp) result = 0;
  }
  if (a === 0) result = INT32_MAX;
  return result;
}

// Newton-Raphson steps shared by the two divisions below; returns x ≈ 1/half_denominator in Q2.29.
function newtonReciprocalQ2(halfDenominator: number): number {
  const constant48Over17 = 1515870810;
  const constantNeg32Over17 = -1010580540;
  const oneQ2 = 1 << 29;
  let x = (constant48Over17 + srdhm(halfDenominator, constantNeg32Over17)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = srdhm(halfDenominator, x);
    const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + saturatingRoundingMultiplyByPOT(srdhm(x, oneMinus), 2)) | 0;
  }
  return x;
}

/** 1 / (1 + a) for a in [0, 1), Q0.31 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  const x = newtonReciprocalQ2(roundingHalfSum(a, INT32_MAX));
  // ExactMulByPot<-1> makes it Q1.30; Rescale<0> shifts left by one, saturating.
  return saturatingRoundingMultiplyByPOT(x, 1);
}

/** (1 - a) / (1 + a) for a in [0, 1), Q0.31 in and out. */
export function oneMinusXOverOnePlusXForXIn01(a: number): number {
  const x = newtonReciprocalQ2(roundingHalfSum(a, INT32_MAX));
  return saturatingRoundingMultiplyByPOT((x - (1 << 29)) | 0, 2);
}

/** tanh(a), `a` with `integerBits` integer bits; result Q0.31. */
export function tanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const negative = a < 0;
  const n = negative ? a : -a | 0;
  // -tanh(n) for n < 0: (1 - exp(2n)) / (1 + exp(2n)); 2n is n with one more integer bit.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return negative ? -t | 0 : t;
}

/** logistic(a) = 1 / (1 + exp(-a)), `a` with `integerBits` integer bits; result Q0.31. */
export function logistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const positive = a > 0;
  const magnitude = positive ? a : -a | 0;
  const ifPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-magnitude | 0, integerBits));
  return positive ? ifPositive : (INT32_MAX - ifPositive) | 0;
}

/**
 * TFLite's GetReciprocal without its out-parameter: the Q0.31 reciprocal of x scaled into [0.5, 1).
 * The caller's num_bits_over_unit is `xIntegerDigits - Math.clz32(x)`.
 */
export function getReciprocal(x: number): number {
  const headroomPlusOne = Math.clz32(x);
  // (uint32(x) << headroom) - 2^31, as int32.
  const shiftedSumMinusOne = ((x << headroomPlusOne) - INT32_MIN) | 0;
  return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
}

/** TFLite's min_log_x_output_bits. */
export function minLogXOutputBits(inputBits: number): number {
  return inputBits > 90 ? 7 : inputBits > 44 ? 6 : inputBits > 21 ? 5 : inputBits > 10 ? 4 : inputBits > 4 ? 3 : inputBits > 1 ? 2 : 1;
}

/**
 * TFLite's log_x_for_x_greater_than_or_equal_to_1: log(x) for x given with `inputIntegerBits`,
 * result with `outputIntegerBits` integer bits.
 */
export function logXForXGreaterThanOrEqualTo1(x: number, inputIntegerBits: number, outputIntegerBits: number): number {
  const accumIntegerBits = outputIntegerBits + 1;
  const log2 = 1488522236;
  const sqrtSqrtHalf = 1805811301;
  const sqrtHalf = 1518500250;
  const oneQuarter = 536870912;
  const alphaN = 117049297;
  const alphaD = 127690142;
  const alphaI = 1057819769;
  const alphaF = 638450708;
  const shiftedQuarter = rescale(oneQuarter, 0, accumIntegerBits);

  const za = x;
  const zaHeadroomPlus1 = Math.clz32(za);
  const raTmp = saturatingRoundingMultiplyByPOT(za, zaHeadroomPlus1 - 1);
  const raRaw = saturatingRoundingMultiplyByPOT(srdhm(raTmp, sqrtHalf), 1);
  const zaPow2Adj = saturatingAdd(
    saturatingRoundingMultiplyByPOT(inputIntegerBits - zaHeadroomPlus1, 31 - accumIntegerBits), shiftedQuarter);

  const zb = srdhm(za, sqrtHalf);
  const zbHeadroom = Math.clz32(zb) - 1;
  const rbRaw = saturatingRoundingMultiplyByPOT(za, zbHeadroom);
  const zbPow2Adj = saturatingSub(
    saturatingRoundingMultiplyByPOT(inputIntegerBits - zbHeadroom, 31 - accumIntegerBits), shiftedQuarter);

  const r = raRaw < rbRaw ? raRaw : rbRaw;
  const zPow2Adj = zaPow2Adj > zbPow2Adj ? zaPow2Adj : zbPow2Adj;

  const p = roundingHalfSum(r, sqrtSqrtHalf);
  let q = (r - sqrtSqrtHalf) | 0;
  q = (q + q) | 0;
  const commonSq = srdhm(q, q);
  const num = (srdhm(q, r) + srdhm(srdhm(q, commonSq), alphaN)) | 0;
  const denomMinusOne = (srdhm(p, (alphaI + q + srdhm(alphaD, commonSq)) | 0) + srdhm(alphaF, q)) | 0;
  const recipDenom = oneOverOnePlusXForXIn01(denomMinusOne);
  const numScaled = rescale(num, 0, accumIntegerBits);
  const sum = (srdhm(zPow2Adj, log2) + srdhm(numScaled, recipDenom)) | 0;
  return rescale(sum, accumIntegerBits, outputIntegerBits);
}
