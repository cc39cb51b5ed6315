// SQUARED_DIFFERENCE (TFLM squared_difference.cc): (a - b)^2 with broadcasting. float32 and
// int32 directly (int32 wrapping); int8 and int16 rescale both inputs to a common scale (left
// shift 7 for int8, 0 for int16), square the difference, and rescale to the output.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  Binary, binaryData, evalBroadcast, prepareBinary, requireQuantizedOperands, type BroadcastData,
} from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, typeRange } from './internal/quantization.js';

export type SquaredDifferenceData = BroadcastData<SquaredDifferenceData>;

/** Fields of the op data's record (quantized types only). */
const enum F {
  OFFSET1 = Binary.FIRST,
  OFFSET2,
  OUTPUT_OFFSET,
  LEFT_SHIFT,
  MULTIPLIER1,
  SHIFT1,
  MULTIPLIER2,
  SHIFT2,
  OUTPUT_MULTIPLIER,
  OUTPUT_SHIFT,
  MIN,
  MAX,
  END,
  FIELDS = END - Binary.FIRST,
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16', 'int32']);

function prepare(ctx: PrepareContext, node: Node): SquaredDifferenceData {
  const tensors = prepareBinary(ctx, node, TYPES);
  const { input1, input2, output } = tensors;
  const type = output.type;
  if (type === TensorType.FLOAT32) return binaryData(ctx, tensors, 0, floatSegment);
  if (type === TensorType.INT32) return binaryData(ctx, tensors, 0, int32Segment);
  requireQuantizedOperands(ctx, input1, input2, output, true);
  // 255^2 * 2^14 still fits int32 for int8; int16 values are already 16-bit.
  const leftShift = type === TensorType.INT8 ? 7 : 0;
  const twiceMax = 2 * Math.max(input1.scale, input2.scale);
  const real1 = input1.scale / twiceMax;
  const real2 = input2.scale / twiceMax;
  // (1 << 2 * left_shift) * output scale is a float product in squared_difference.cc.
  const realOut = (twiceMax * twiceMax) / Math.fround((1 << (2 * leftShift)) * output.scale);
  if (!(real1 > 0 && real1 < 1) || !(real2 > 0 && real2 < 1)) ctx.fail('input multipliers are outside (0, 1)');
  const q1 = quantizeMultiplier(real1), q2 = quantizeMultiplier(real2), qo = quantizeMultiplier(realOut);
  const [min, max] = typeRange(type);
  const data = binaryData(ctx, tensors, F.FIELDS, quantizedSegment);
  const r = data.record;
  r[F.OFFSET1] = -input1.zeroPoint;
  r[F.OFFSET2] = -input2.zeroPoint;
  r[F.OUTPUT_OFFSET] = output.zeroPoint;
  r[F.LEFT_SHIFT] = leftShift;
  r[F.MULTIPLIER1] = q1.multiplier;
  r[F.SHIFT1] = q1.shift;
  r[F.MULTIPLIER2] = q2.multiplier;
  r[F.SHIFT2] = q2.shift;
  r[F.OUTPUT_MULTIPLIER] = qo.multiplier;
  r[F.OUTPUT_SHIFT] = qo.shift;
  r[F.MIN] = min;
  r[F.MAX] = max;
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
  const r = data.record;
  const offset1 = r[F.OFFSET1], offset2 = r[F.OFFSET2], scale = 1 << r[F.LEFT_SHIFT];
  const m1 = r[F.MULTIPLIER1], s1 = r[F.SHIFT1], m2 = r[F.MULTIPLIER2], s2 = r[F.SHIFT2];
  const multiplier = r[F.OUTPUT_MULTIPLIER], shift = r[F.OUTPUT_SHIFT], outputOffset = r[F.OUTPUT_OFFSET];
  const min = r[F.MIN], max = r[F.MAX];
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

export const SQUARED_DIFFERENCE: Kernel<SquaredDifferenceData> = Object.freeze<Kernel<SquaredDifferenceData>>({
  code: 99,
  name: 'SQUARED_DIFFERENCE',
  types: TYPES,
  prepare,
  eval: evalBroadcast,
});
