// LEAKY_RELU (TFLM leaky_relu.cc, leaky_relu_common.cc, reference/leaky_relu.h): x for x > 0,
// alpha * x otherwise. Quantized, the two branches rescale with their own multipliers
// (input_scale / output_scale and input_scale * alpha / output_scale); int8 runs from a table.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized } from './internal/elementwise.js';
import { applyInt8Table, int8Table } from './internal/lut.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './internal/quantization.js';

export interface LeakyReluData {
  type: number;
  alpha: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  identityMultiplier: number;
  identityShift: number;
  /** |alpha multiplier|; the sign goes in alphaSign (MultiplyByQuantizedMultiplier wants it positive). */
  alphaMultiplier: number;
  alphaShift: number;
  alphaSign: number;
  table: Int8Array | null;
}

/** One quantized element, as QuantizeLeakyRelu computes it (before the cast to the output type). */
function leakyRelu(q: number, d: LeakyReluData): number {
  const x = q - d.inputZeroPoint;
  if (x >= 0) return d.outputZeroPoint + multiplyByQuantizedMultiplier(x, d.identityMultiplier, d.identityShift);
  return d.outputZeroPoint + d.alphaSign * multiplyByQuantizedMultiplier(x, d.alphaMultiplier, d.alphaShift);
}

function prepare(ctx: PrepareContext, node: Node): LeakyReluData {
  const { input, output } = prepareUnary(ctx, node, ['float32', 'int8', 'int16']);
  const alpha = node.options.alpha as number;
  const data: LeakyReluData = {
    type: input.type, alpha, inputZeroPoint: 0, outputZeroPoint: 0, identityMultiplier: 0, identityShift: 0,
    alphaMultiplier: 0, alphaShift: 0, alphaSign: 1, table: null,
  };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  data.inputZeroPoint = input.zeroPoint;
  data.outputZeroPoint = output.zeroPoint;
  // leaky_relu_common.cc forms both ratios in float before widening to double.
  const f = Math.fround;
  const alphaQ = quantizeMultiplier(f(f(input.scale * alpha) / output.scale));
  const identityQ = quantizeMultiplier(f(input.scale / output.scale));
  data.identityMultiplier = identityQ.multiplier;
  data.identityShift = identityQ.shift;
  data.alphaSign = alphaQ.multiplier < 0 ? -1 : 1;
  // Negating INT32_MIN wraps in C; `| 0` does the same.
  data.alphaMultiplier = (alphaQ.multiplier < 0 ? -alphaQ.multiplier : alphaQ.multiplier) | 0;
  data.alphaShift = alphaQ.shift;
  if (input.type === TensorType.INT8) data.table = int8Table(q => leakyRelu(q, data));
  return data;
}

function evalLeakyRelu(node: Node, data: LeakyReluData): void {
  const input: TensorData = node.inputs[0]!.data, output: TensorData = node.outputs[0].data;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
  } else if (data.type === TensorType.FLOAT32) {
    const alpha = data.alpha;
    for (let i = 0; i < n; i++) {
      const v = input[i];
      output[i] = v > 0 ? v : v * alpha;
    }
  } else {
    const inZero = data.inputZeroPoint, outZero = data.outputZeroPoint;
    const idMul = data.identityMultiplier, idShift = data.identityShift;
    const alphaMul = data.alphaMultiplier, alphaShift = data.alphaShift, alphaSign = data.alphaSign;
    for (let i = 0; i < n; i++) {
      const x = input[i] - inZero;
      const v = x >= 0
        ? outZero + multiplyByQuantizedMultiplier(x, idMul, idShift)
        : outZero + alphaSign * multiplyByQuantizedMultiplier(x, alphaMul, alphaShift);
      output[i] = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
    }
  }
}

export const LEAKY_RELU: Kernel<LeakyReluData> = {
  code: 98,
  name: 'LEAKY_RELU',
  options: 'LeakyReluOptions',
  types: ['float32', 'int8', 'int16'],
  prepare,
  eval: evalLeakyRelu,
};
