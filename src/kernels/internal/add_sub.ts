// ADD and SUB share TFLM's quantized recipe (add_common.cc, sub_common.cc, reference/add.h,
// reference/sub.h, reference/integer_ops/add.h): each input is offset by its zero point, shifted
// left (20 bits for int8, 15 for int16), scaled by input_scale / (2 * max input scale), summed,
// then scaled by 2 * max input scale / (2^left_shift * output scale). TFLM's int16 paths always
// take this general recipe: its kernels pass pot_scale = false and ignore pot_scale_int16.
import type { Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';
import {
  Binary, binaryData, evalBroadcast, FLOAT_BOUNDS, floatActivationCode, int32ActivationBounds, prepareBinary,
  requireQuantizedOperands, type BroadcastData,
} from './elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, quantizedActivationRange, typeRange } from './quantization.js';

export type AddSubData = BroadcastData<AddSubData>;

/** Fields of the op data's record. */
const enum F {
  /** +1 for ADD, -1 for SUB. */
  SIGN = Binary.FIRST,
  /** Output bounds in the output's own representation; float32: MIN is the activation code. */
  MIN,
  MAX,
  OFFSET1,
  OFFSET2,
  OUTPUT_OFFSET,
  /**
   * int8: input i's multiplier split as (m >> 11, m & 2047), and its right shift as a
   * RoundingDivideByPOT mask and half mask; int16: M1H and M1L hold the multiplier and shift.
   */
  M1H,
  M1L,
  MASK1,
  HALF1,
  E1,
  M2H,
  M2L,
  MASK2,
  HALF2,
  E2,
  /** The output multiplier split as (m >> 16, m & 0xffff), and its right shift. */
  OUT_MH,
  OUT_ML,
  OUT_MASK,
  OUT_HALF,
  OUT_E,
  /** int16: the left shift (15), and whether input i's multiplier is an exact halving. */
  LEFT_SHIFT,
  HALVE1,
  HALVE2,
  /** int16: the output multiplier and shift as multiplyByQuantizedMultiplier takes them. */
  OUT_MULTIPLIER,
  OUT_SHIFT,
  END,
  FIELDS = END - Binary.FIRST,
}

export const ADD_SUB_TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16', 'int32']);

interface Multiplier {
  multiplier: number;
  shift: number;
}

/** QuantizeMultiplierSmallerThanOneExp: TFLM CHECK-fails outside (0, 1). */
function smallerThanOne(ctx: PrepareContext, real: number, what: string): Multiplier {
  if (!(real > 0 && real < 1)) ctx.fail(`${what} multiplier ${real} is outside (0, 1)`);
  return quantizeMultiplier(real);
}

/** A right shift as RoundingDivideByPOT's mask, half mask and exponent, at `at`. */
function writeRightShift(r: Int32Array, at: number, exponent: number): void {
  const mask = (1 << exponent) - 1;
  r[at] = mask;
  r[at + 1] = mask >> 1;
  r[at + 2] = exponent;
}

export function prepareAddSub(ctx: PrepareContext, node: Node, isSub: boolean): AddSubData {
  const tensors = prepareBinary(ctx, node, ADD_SUB_TYPES);
  const { input1, input2, output } = tensors;
  const activation = node.options.fusedActivationFunction as number;
  const type = output.type;
  if (type === TensorType.FLOAT32) {
    const data = binaryData(ctx, tensors, F.FIELDS, floatSegment);
    data.record[F.SIGN] = isSub ? -1 : 1;
    data.record[F.MIN] = floatActivationCode(activation);
    return data;
  }
  if (type === TensorType.INT32) {
    if (input1.quantization || input2.quantization || (isSub && output.quantization)) {
      ctx.fail('int32 inputs must not be quantized');
    }
    // TFLM's int32 ADD ignores the fused activation; its int32 SUB applies it.
    const [min, max] = isSub ? int32ActivationBounds(activation) : [-2147483648, 2147483647];
    const data = binaryData(ctx, tensors, F.FIELDS, int32Segment);
    data.record[F.SIGN] = isSub ? -1 : 1;
    data.record[F.MIN] = min;
    data.record[F.MAX] = max;
    return data;
  }
  requireQuantizedOperands(ctx, input1, input2, output, false);
  const s1 = input1.scale, s2 = input2.scale, so = output.scale;
  const leftShift = type === TensorType.INT16 ? 15 : 20;
  const shiftScale = 1 << leftShift;
  let real1: number, real2: number, realOut: number;
  if (isSub) {
    // sub_common.cc computes these in float, then widens.
    const f = Math.fround;
    const twiceMax = f(2 * Math.max(s1, s2));
    real1 = f(s1 / twiceMax);
    real2 = f(s2 / twiceMax);
    realOut = f(twiceMax / f(shiftScale * so));
  } else {
    const twiceMax = 2 * Math.max(s1, s2);
    real1 = s1 / twiceMax;
    real2 = s2 / twiceMax;
    realOut = twiceMax / (shiftScale * so);
  }
  const q1 = smallerThanOne(ctx, real1, 'input 1');
  const q2 = smallerThanOne(ctx, real2, 'input 2');
  const qo = smallerThanOne(ctx, realOut, 'output');
  const [qmin, qmax] = typeRange(type);
  const [min, max] = quantizedActivationRange(activation, so, output.zeroPoint, qmin, qmax);
  const data = binaryData(ctx, tensors, F.FIELDS, type === TensorType.INT8 ? int8Segment : int16Segment);
  const r = data.record;
  r[F.SIGN] = isSub ? -1 : 1;
  r[F.MIN] = min;
  r[F.MAX] = max;
  r[F.OFFSET1] = -input1.zeroPoint;
  r[F.OFFSET2] = -input2.zeroPoint;
  r[F.OUTPUT_OFFSET] = output.zeroPoint;
  if (type === TensorType.INT8) {
    // The shifted inputs are (q - zero point) * 2^20 with |q - zero point| <= 255, so the
    // doubling high multiply by m is floor((v * m + 2^10) / 2^11) (see int8Segment). Every
    // multiplier is below 1 (smallerThanOne): no left shift.
    r[F.M1H] = q1.multiplier >> 11;
    r[F.M1L] = q1.multiplier & 2047;
    writeRightShift(r, F.MASK1, -q1.shift);
    r[F.M2H] = q2.multiplier >> 11;
    r[F.M2L] = q2.multiplier & 2047;
    writeRightShift(r, F.MASK2, -q2.shift);
    r[F.OUT_MH] = qo.multiplier >> 16;
    r[F.OUT_ML] = qo.multiplier & 0xffff;
    writeRightShift(r, F.OUT_MASK, -qo.shift);
  } else {
    r[F.LEFT_SHIFT] = leftShift;
    r[F.M1H] = q1.multiplier;
    r[F.M1L] = q1.shift;
    r[F.M2H] = q2.multiplier;
    r[F.M2L] = q2.shift;
    r[F.HALVE1] = q1.multiplier === 1073741824 && q1.shift === 0 ? 1 : 0;
    r[F.HALVE2] = q2.multiplier === 1073741824 && q2.shift === 0 ? 1 : 0;
    r[F.OUT_MULTIPLIER] = qo.multiplier;
    r[F.OUT_SHIFT] = qo.shift;
  }
  return data;
}

/** eval of ADD and SUB. */
export const evalAddSub: (data: AddSubData) => void = evalBroadcast;

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const r = data.record, bounds = FLOAT_BOUNDS, code = r[F.MIN];
  const min = bounds[2 * code], max = bounds[2 * code + 1];
  const end = oi + n;
  if (r[F.SIGN] > 0) {
    for (; oi < end; oi++) {
      const v = a[ai] + b[bi];
      out[oi] = v < min ? min : v > max ? max : v;
      ai += as;
      bi += bs;
    }
  } else {
    for (; oi < end; oi++) {
      const v = a[ai] - b[bi];
      out[oi] = v < min ? min : v > max ? max : v;
      ai += as;
      bi += bs;
    }
  }
}

function int32Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const r = data.record, min = r[F.MIN], max = r[F.MAX];
  const end = oi + n;
  if (r[F.SIGN] > 0) {
    for (; oi < end; oi++) {
      const v = (a[ai] + b[bi]) | 0;
      out[oi] = v < min ? min : v > max ? max : v;
      ai += as;
      bi += bs;
    }
  } else {
    for (; oi < end; oi++) {
      const v = (a[ai] - b[bi]) | 0;
      out[oi] = v < min ? min : v > max ? max : v;
      ai += as;
      bi += bs;
    }
  }
}

/**
 * TFLM's int8 recipe, inlined (no call per element) and exact:
 * - SaturatingRoundingDoublingHighMul(x, m) with m > 0 is floor((x * m + 2^30) / 2^31) (gemmlowp's
 *   nudge and truncation give round-half-up for both signs; the saturating case needs m < 0).
 *   For an input, x = v * 2^20 with |v| <= 255: floor((v * m + 2^10) / 2^11), which splitting
 *   m = mh * 2^11 + ml keeps in int32: v * mh + ((v * ml + 1024) >> 11).
 * - For the output, x * m reaches 2^62: with m = mh * 2^16 + ml and t = x * mh (< 2^46, exact),
 *   t = tq * 2^15 + tr, the quotient is tq + floor((tr * 2^16 + x * ml + 2^30) / 2^31), every term
 *   exact in a double; both floors are taken on values made positive by a power-of-two bias, so
 *   `>>> 0` and `| 0` floor them.
 * - RoundingDivideByPOT as multiplyByQuantizedMultiplier's: (x >> e) + ((x & mask) > half + sign).
 */
function int8Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const r = data.record;
  const sign = r[F.SIGN], min = r[F.MIN], max = r[F.MAX];
  const offset1 = r[F.OFFSET1], offset2 = r[F.OFFSET2], outputOffset = r[F.OUTPUT_OFFSET];
  const m1h = r[F.M1H], m1l = r[F.M1L], mask1 = r[F.MASK1], half1 = r[F.HALF1], e1 = r[F.E1];
  const m2h = r[F.M2H], m2l = r[F.M2L], mask2 = r[F.MASK2], half2 = r[F.HALF2], e2 = r[F.E2];
  const mh = r[F.OUT_MH], ml = r[F.OUT_ML], mask = r[F.OUT_MASK], half = r[F.OUT_HALF], e = r[F.OUT_E];
  const end = oi + n;
  for (; oi < end; oi++) {
    const v1 = a[ai] + offset1, v2 = b[bi] + offset2;
    const h1 = v1 * m1h + ((v1 * m1l + 1024) >> 11);
    const h2 = v2 * m2h + ((v2 * m2l + 1024) >> 11);
    const x = (h1 >> e1) + ((h1 & mask1) > half1 + (h1 >>> 31) ? 1 : 0)
      + sign * ((h2 >> e2) + ((h2 & mask2) > half2 + (h2 >>> 31) ? 1 : 0));
    const t = x * mh;
    const tq = ((t + 70368744177664) / 32768 >>> 0) - 2147483648;
    const high = tq - 131072 + ((((t - tq * 32768) * 65536 + x * ml + 281476050452480) / 2147483648) | 0);
    const v = (high >> e) + ((high & mask) > half + (high >>> 31) ? 1 : 0) + outputOffset;
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function int16Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const r = data.record;
  const offset1 = r[F.OFFSET1], offset2 = r[F.OFFSET2], scale = 1 << r[F.LEFT_SHIFT], halfScale = scale >> 1;
  const m1 = r[F.M1H], s1 = r[F.M1L], m2 = r[F.M2H], s2 = r[F.M2L], sign = r[F.SIGN];
  const halve1 = r[F.HALVE1] !== 0, halve2 = r[F.HALVE2] !== 0;
  const multiplier = r[F.OUT_MULTIPLIER], shift = r[F.OUT_SHIFT], offset = r[F.OUTPUT_OFFSET];
  const min = r[F.MIN], max = r[F.MAX];
  const end = oi + n;
  for (; oi < end; oi++) {
    const scaled1 = halve1 ? (a[ai] + offset1) * halfScale : multiplyByQuantizedMultiplier((a[ai] + offset1) * scale, m1, s1);
    const scaled2 = halve2 ? (b[bi] + offset2) * halfScale : multiplyByQuantizedMultiplier((b[bi] + offset2) * scale, m2, s2);
    const v = multiplyByQuantizedMultiplier(scaled1 + sign * scaled2, multiplier, shift) + offset;
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}
