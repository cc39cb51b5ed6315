// ADD and SUB share TFLM's quantized recipe (add_common.cc, sub_common.cc, reference/add.h,
// reference/sub.h, reference/integer_ops/add.h): each input is offset by its zero point, shifted
// left (20 bits for int8, 15 for int16), scaled by input_scale / (2 * max input scale), summed,
// then scaled by 2 * max input scale / (2^left_shift * output scale). TFLM's int16 paths always
// take this general recipe: its kernels pass pot_scale = false and ignore pot_scale_int16.
import type { Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';
import {
  evalBroadcast, floatActivationBounds, int32ActivationBounds, prepareBinary, requireQuantizedOperands, setCommonScale,
  type BroadcastData, type CommonScaleData,
} from './elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, quantizedActivationRange, typeRange } from './quantization.js';

export interface AddSubData extends BroadcastData<AddSubData>, CommonScaleData {
  /** +1 for ADD, -1 for SUB. */
  sign: number;
  /** Output bounds: the fused activation's, in the output's own representation. */
  min: number;
  max: number;
  /** int8: each input's scaled value per int8 value (index q & 255); input 2's carries the sign. */
  scaled1: Int32Array | null;
  scaled2: Int32Array | null;
  /**
   * int16: the input with the larger scale has multiplier 1/2 (2^30, shift 0), and on its even
   * shifted values SaturatingRoundingDoublingHighMul by 2^30 is an exact halving: a multiply by
   * 2^(left_shift - 1) gives the same result without the call.
   */
  halve1: boolean;
  halve2: boolean;
}

export const ADD_SUB_TYPES = ['float32', 'int8', 'int16', 'int32'];

/** QuantizeMultiplierSmallerThanOneExp: TFLM CHECK-fails outside (0, 1). */
function smallerThanOne(ctx: PrepareContext, real: number, what: string): { multiplier: number; shift: number } {
  if (!(real > 0 && real < 1)) ctx.fail(`${what} multiplier ${real} is outside (0, 1)`);
  return quantizeMultiplier(real);
}

export function prepareAddSub(ctx: PrepareContext, node: Node, isSub: boolean): AddSubData {
  const { input1, input2, output, plan } = prepareBinary(ctx, node, ADD_SUB_TYPES);
  const activation = node.options.fusedActivationFunction as number;
  const data: AddSubData = {
    plan, segment: floatSegment, sign: isSub ? -1 : 1, min: 0, max: 0,
    offset1: 0, offset2: 0, leftShift: 0, multiplier1: 0, shift1: 0, multiplier2: 0, shift2: 0,
    outputMultiplier: 0, outputShift: 0, outputOffset: 0, scaled1: null, scaled2: null, halve1: false, halve2: false,
  };
  const type = output.type;
  if (type === TensorType.FLOAT32) {
    [data.min, data.max] = floatActivationBounds(activation);
    data.segment = floatSegment;
    return data;
  }
  if (type === TensorType.INT32) {
    if (input1.quantization || input2.quantization || (isSub && output.quantization)) {
      ctx.fail('int32 inputs must not be quantized');
    }
    // TFLM's int32 ADD ignores the fused activation; its int32 SUB applies it.
    [data.min, data.max] = isSub ? int32ActivationBounds(activation) : [-2147483648, 2147483647];
    data.segment = int32Segment;
    return data;
  }
  requireQuantizedOperands(ctx, input1, input2, output, false);
  const s1 = input1.scale, s2 = input2.scale, so = output.scale;
  data.leftShift = type === TensorType.INT16 ? 15 : 20;
  const shiftScale = 1 << data.leftShift;
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
  setCommonScale(data, input1, input2, output, q1, q2, qo);
  const [qmin, qmax] = typeRange(type);
  [data.min, data.max] = quantizedActivationRange(activation, so, output.zeroPoint, qmin, qmax);
  if (type === TensorType.INT8) {
    const scaled1 = new Int32Array(256), scaled2 = new Int32Array(256);
    for (let q = -128; q < 128; q++) {
      scaled1[q & 255] = multiplyByQuantizedMultiplier((data.offset1 + q) * shiftScale, q1.multiplier, q1.shift);
      scaled2[q & 255] = data.sign * multiplyByQuantizedMultiplier((data.offset2 + q) * shiftScale, q2.multiplier, q2.shift);
    }
    data.scaled1 = scaled1;
    data.scaled2 = scaled2;
    data.segment = int8Segment;
  } else {
    data.halve1 = q1.multiplier === 1073741824 && q1.shift === 0;
    data.halve2 = q2.multiplier === 1073741824 && q2.shift === 0;
    data.segment = int16Segment;
  }
  return data;
}

/** eval of ADD and SUB. */
export const evalAddSub: (node: Node, data: AddSubData) => void = evalBroadcast;

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const min = data.min, max = data.max;
  const end = oi + n;
  if (data.sign > 0) {
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
  const min = data.min, max = data.max;
  const end = oi + n;
  if (data.sign > 0) {
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

function int8Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const scaled1 = data.scaled1!, scaled2 = data.scaled2!;
  const multiplier = data.outputMultiplier, shift = data.outputShift, offset = data.outputOffset;
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = multiplyByQuantizedMultiplier(scaled1[a[ai] & 255] + scaled2[b[bi] & 255], multiplier, shift) + offset;
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function int16Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: AddSubData): void {
  const offset1 = data.offset1, offset2 = data.offset2, scale = 1 << data.leftShift, halfScale = scale >> 1;
  const m1 = data.multiplier1, s1 = data.shift1, m2 = data.multiplier2, s2 = data.shift2, sign = data.sign;
  const halve1 = data.halve1, halve2 = data.halve2;
  const multiplier = data.outputMultiplier, shift = data.outputShift, offset = data.outputOffset;
  const min = data.min, max = data.max;
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
