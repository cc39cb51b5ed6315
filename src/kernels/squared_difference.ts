// SQUARED_DIFFERENCE (TFLM squared_difference.cc): (a - b)^2 with broadcasting. float32 and
// int32 directly (int32 wrapping); int8 and int16 rescale both inputs to a common scale (left
// shift 7 for int8, 0 for int16), square the difference, and rescale to the output.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  evalBroadcast, prepareBinary, requireQuantizedOperands, setCommonScale, type BroadcastData, type CommonScaleData,
} from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, typeRange } from './internal/quantization.js';

export interface SquaredDifferenceData extends BroadcastData<SquaredDifferenceData>, CommonScaleData {
  min: number;
  max: number;
}

const TYPES = ['float32', 'int8', 'int16', 'int32'];

function prepare(ctx: PrepareContext, node: Node): SquaredDifferenceData {
  const { input1, input2, output, plan } = prepareBinary(ctx, node, TYPES);
  const data: SquaredDifferenceData = {
    plan, segment: floatSegment, offset1: 0, offset2: 0, outputOffset: 0, leftShift: 0,
    multiplier1: 0, shift1: 0, multiplier2: 0, shift2: 0, outputMultiplier: 0, outputShift: 0, min: 0, max: 0,
  };
  const type = output.type;
  if (type === TensorType.FLOAT32) return data;
  if (type === TensorType.INT32) {
    data.segment = int32Segment;
    return data;
  }
  requireQuantizedOperands(ctx, input1, input2, output, true);
  // 255^2 * 2^14 still fits int32 for int8; int16 values are already 16-bit.
  data.leftShift = type === TensorType.INT8 ? 7 : 0;
  const twiceMax = 2 * Math.max(input1.scale, input2.scale);
  const real1 = input1.scale / twiceMax;
  const real2 = input2.scale / twiceMax;
  // (1 << 2 * left_shift) * output scale is a float product in squared_difference.cc.
  const realOut = (twiceMax * twiceMax) / Math.fround((1 << (2 * data.leftShift)) * output.scale);
  if (!(real1 > 0 && real1 < 1) || !(real2 > 0 && real2 < 1)) ctx.fail('input multipliers are outside (0, 1)');
  setCommonScale(data, input1, input2, output, quantizeMultiplier(real1), quantizeMultiplier(real2), quantizeMultiplier(realOut));
  [data.min, data.max] = typeRange(type);
  data.segment = quantizedSegment;
  return data;
}

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const f = Math.fround;
  const end = oi + n;
  for (; oi < end; oi++) {
    const d = f(a[ai] - b[bi]);
    out[oi] = d * d;
    ai += as;
    bi += bs;
  }
}

function int32Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    const d = (a[ai] - b[bi]) | 0;
    out[oi] = Math.imul(d, d);
    ai += as;
    bi += bs;
  }
}

function quantizedSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: SquaredDifferenceData): void {
  const offset1 = data.offset1, offset2 = data.offset2, scale = 1 << data.leftShift;
  const m1 = data.multiplier1, s1 = data.shift1, m2 = data.multiplier2, s2 = data.shift2;
  const multiplier = data.outputMultiplier, shift = data.outputShift, outputOffset = data.outputOffset;
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const scaled1 = multiplyByQuantizedMultiplier((offset1 + a[ai]) * scale, m1, s1);
    const scaled2 = multiplyByQuantizedMultiplier((offset2 + b[bi]) * scale, m2, s2);
    const diff = scaled1 - scaled2;
    const v = multiplyByQuantizedMultiplier(Math.imul(diff, diff), multiplier, shift) + outputOffset;
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

export const SQUARED_DIFFERENCE: Kernel<SquaredDifferenceData> = {
  code: 99,
  name: 'SQUARED_DIFFERENCE',
  types: TYPES,
  prepare,
  eval: evalBroadcast,
};
