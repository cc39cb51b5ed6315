// PRELU (TFLM prelu.cc, prelu_common.cc, reference/prelu.h): x for x >= 0, alpha * x otherwise,
// alpha broadcast against the input. Quantized: the two branches have their own multipliers
// (input / output scale, input * alpha / output scale); int16 inputs take int8 alphas.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { Binary, binaryData, evalBroadcast, prepareBinary, requireQuantized, type BroadcastData } from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, typeRange } from './internal/quantization.js';

export type PreluData = BroadcastData<PreluData>;

/** Fields of the op data's record (quantized types only). */
const enum F {
  INPUT_OFFSET = Binary.FIRST,
  ALPHA_OFFSET,
  OUTPUT_OFFSET,
  MULTIPLIER1,
  SHIFT1,
  MULTIPLIER2,
  SHIFT2,
  MIN,
  MAX,
  END,
  FIELDS = END - Binary.FIRST,
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

function prepare(ctx: PrepareContext, node: Node): PreluData {
  const tensors = prepareBinary(ctx, node, TYPES, true);
  const { input1: input, input2: alpha, output } = tensors;
  if (input.type === TensorType.FLOAT32) {
    if (alpha.type !== TensorType.FLOAT32) ctx.fail(`alpha type ${alpha.typeName} must be float32 for a float32 input`);
    return binaryData(ctx, tensors, 0, floatSegment);
  }
  if (alpha.type !== TensorType.INT8) ctx.fail(`alpha type ${alpha.typeName} must be int8 for a ${input.typeName} input`);
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, alpha, 'alpha');
  requireQuantized(ctx, output, 'output');
  const q1 = quantizeMultiplier(input.scale / output.scale);
  const q2 = quantizeMultiplier(input.scale * alpha.scale / output.scale);
  const [min, max] = typeRange(output.type);
  const data = binaryData(ctx, tensors, F.FIELDS, quantizedSegment);
  const r = data.record;
  r[F.MULTIPLIER1] = q1.multiplier;
  r[F.SHIFT1] = q1.shift;
  r[F.MULTIPLIER2] = q2.multiplier;
  r[F.SHIFT2] = q2.shift;
  r[F.INPUT_OFFSET] = -input.zeroPoint;
  r[F.ALPHA_OFFSET] = -alpha.zeroPoint;
  r[F.OUTPUT_OFFSET] = output.zeroPoint;
  r[F.MIN] = min;
  r[F.MAX] = max;
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
  const r = data.record;
  const inputOffset = r[F.INPUT_OFFSET], alphaOffset = r[F.ALPHA_OFFSET], outputOffset = r[F.OUTPUT_OFFSET];
  const m1 = r[F.MULTIPLIER1], s1 = r[F.SHIFT1], m2 = r[F.MULTIPLIER2], s2 = r[F.SHIFT2];
  const min = r[F.MIN], max = r[F.MAX];
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

export const PRELU: Kernel<PreluData> = Object.freeze<Kernel<PreluData>>({
  code: 54,
  name: 'PRELU',
  types: TYPES,
  prepare,
  eval: evalBroadcast,
});
