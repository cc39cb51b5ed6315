// PRELU (TFLM prelu.cc, prelu_common.cc, reference/prelu.h): x for x >= 0, alpha * x otherwise,
// alpha broadcast against the input. Quantized: the two branches have their own multipliers
// (input / output scale, input * alpha / output scale); int16 inputs take int8 alphas.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { evalBroadcast, prepareBinary, requireQuantized, type BroadcastData } from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, typeRange } from './internal/quantization.js';

export interface PreluData extends BroadcastData<PreluData> {
  inputOffset: number;
  alphaOffset: number;
  outputOffset: number;
  multiplier1: number;
  shift1: number;
  multiplier2: number;
  shift2: number;
  min: number;
  max: number;
}

function prepare(ctx: PrepareContext, node: Node): PreluData {
  const { input1: input, input2: alpha, output, plan } = prepareBinary(ctx, node, ['float32', 'int8', 'int16'], true);
  const data: PreluData = {
    plan, segment: floatSegment, inputOffset: 0, alphaOffset: 0, outputOffset: 0,
    multiplier1: 0, shift1: 0, multiplier2: 0, shift2: 0, min: 0, max: 0,
  };
  if (input.type === TensorType.FLOAT32) {
    if (alpha.type !== TensorType.FLOAT32) ctx.fail(`alpha type ${alpha.typeName} must be float32 for a float32 input`);
    return data;
  }
  if (alpha.type !== TensorType.INT8) ctx.fail(`alpha type ${alpha.typeName} must be int8 for a ${input.typeName} input`);
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, alpha, 'alpha');
  requireQuantized(ctx, output, 'output');
  const q1 = quantizeMultiplier(input.scale / output.scale);
  const q2 = quantizeMultiplier(input.scale * alpha.scale / output.scale);
  data.multiplier1 = q1.multiplier;
  data.shift1 = q1.shift;
  data.multiplier2 = q2.multiplier;
  data.shift2 = q2.shift;
  data.inputOffset = -input.zeroPoint;
  data.alphaOffset = -alpha.zeroPoint;
  data.outputOffset = output.zeroPoint;
  [data.min, data.max] = typeRange(output.type);
  data.segment = quantizedSegment;
  return data;
}

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = a[ai];
    out[oi] = v >= 0 ? v : v * b[bi];
    ai += as;
    bi += bs;
  }
}

function quantizedSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: PreluData): void {
  const inputOffset = data.inputOffset, alphaOffset = data.alphaOffset, outputOffset = data.outputOffset;
  const m1 = data.multiplier1, s1 = data.shift1, m2 = data.multiplier2, s2 = data.shift2;
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const x = inputOffset + a[ai];
    const v = outputOffset + (x >= 0
      ? multiplyByQuantizedMultiplier(x, m1, s1)
      : multiplyByQuantizedMultiplier(x * (alphaOffset + b[bi]), m2, s2));
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

export const PRELU: Kernel<PreluData> = {
  code: 54,
  name: 'PRELU',
  types: ['float32', 'int8', 'int16'],
  prepare,
  eval: evalBroadcast,
};
