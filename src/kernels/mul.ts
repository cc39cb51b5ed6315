// MUL (TFLM mul.cc, mul_common.cc, reference/mul.h, reference/integer_ops/mul.h): float32
// products, int32 wrapping products, int8 and int16 as (a - za) * (b - zb) rescaled by
// s1 * s2 / so; broadcasting of any rank.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { runBroadcast, type BroadcastPlan, type Segment } from './internal/broadcast.js';
import { floatActivationBounds, int32ActivationBounds, prepareBinary, requireQuantized, requireZeroPoint } from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, quantizedActivationRange, typeRange } from './internal/quantization.js';

export interface MulData {
  plan: BroadcastPlan;
  segment: Segment<MulData>;
  min: number;
  max: number;
  offset1: number;
  offset2: number;
  outputOffset: number;
  multiplier: number;
  shift: number;
}

const TYPES = ['float32', 'int8', 'int16', 'int32'];

function prepare(ctx: PrepareContext, node: Node): MulData {
  const { input1, input2, output, plan } = prepareBinary(ctx, node, TYPES);
  const activation = node.options.fusedActivationFunction as number;
  const data: MulData = {
    plan, segment: floatSegment, min: 0, max: 0, offset1: 0, offset2: 0, outputOffset: 0, multiplier: 0, shift: 0,
  };
  const type = output.type;
  if (type === TensorType.FLOAT32) {
    [data.min, data.max] = floatActivationBounds(activation);
    return data;
  }
  if (type === TensorType.INT32) {
    [data.min, data.max] = int32ActivationBounds(activation);
    data.segment = int32Segment;
    return data;
  }
  requireQuantized(ctx, input1, 'input 1');
  requireQuantized(ctx, input2, 'input 2');
  requireQuantized(ctx, output, 'output');
  if (type === TensorType.INT16) {
    requireZeroPoint(ctx, input1, 'input 1');
    requireZeroPoint(ctx, input2, 'input 2');
    requireZeroPoint(ctx, output, 'output');
  }
  const q = quantizeMultiplier(input1.scale * input2.scale / output.scale);
  data.multiplier = q.multiplier;
  data.shift = q.shift;
  data.offset1 = -input1.zeroPoint;
  data.offset2 = -input2.zeroPoint;
  data.outputOffset = output.zeroPoint;
  const [qmin, qmax] = typeRange(type);
  [data.min, data.max] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  data.segment = quantizedSegment;
  return data;
}

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = a[ai] * b[bi];
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function int32Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = Math.imul(a[ai], b[bi]);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function quantizedSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const offset1 = data.offset1, offset2 = data.offset2, outputOffset = data.outputOffset;
  const multiplier = data.multiplier, shift = data.shift, min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = outputOffset + multiplyByQuantizedMultiplier((offset1 + a[ai]) * (offset2 + b[bi]), multiplier, shift);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function evalMul(node: Node, data: MulData): void {
  runBroadcast(data.plan, node.inputs[0]!.data, node.inputs[1]!.data, node.outputs[0].data, data, data.segment);
}

export const MUL: Kernel<MulData> = {
  code: 18,
  name: 'MUL',
  options: 'MulOptions',
  types: TYPES,
  prepare,
  eval: evalMul,
};
