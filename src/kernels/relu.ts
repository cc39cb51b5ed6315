// RELU, RELU6 and RELU_N1_TO_1 (TFLM activations.cc, activations_common.cc). Quantized RELU
// rescales input to output scale and clamps at the output's real 0; quantized RELU6 clamps the
// input's own values to [zero point, quantized 6] without rescaling, as TFLM does.
// TFLM has no RELU_N1_TO_1; it follows TFLite's (the RELU recipe clamped at real -1 and 1).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized, requireZeroPoint } from './internal/elementwise.js';
import { applyInt8Table, int8Table } from './internal/lut.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundHalfAway, typeRange } from './internal/quantization.js';

export interface ReluData {
  type: number;
  /** Float bounds, or the quantized clamp bounds. */
  min: number;
  max: number;
  /** Quantized rescaling (RELU, RELU_N1_TO_1); RELU6 clamps without it. */
  rescale: boolean;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
  table: Int8Array | null;
}

const TYPES = ['float32', 'int8', 'int16'];

function newData(type: number, min: number, max: number): ReluData {
  return { type, min, max, rescale: false, inputZeroPoint: 0, outputZeroPoint: 0, multiplier: 0, shift: 0, table: null };
}

/** ReluQuantized before the cast: rescale, then clamp. */
function reluQuantized(q: number, d: ReluData): number {
  const v = d.outputZeroPoint + multiplyByQuantizedMultiplier(q - d.inputZeroPoint, d.multiplier, d.shift);
  return v < d.min ? d.min : v > d.max ? d.max : v;
}

/** CalculateReluOpData with activation bounds [low, high] in real terms (high may be Infinity). */
function prepareRescaled(ctx: PrepareContext, node: Node, low: number, high: number): ReluData {
  const { input, output } = prepareUnary(ctx, node, TYPES);
  if (input.type === TensorType.FLOAT32) return newData(input.type, low, high);
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  if (input.type === TensorType.INT16) {
    requireZeroPoint(ctx, input, 'input');
    requireZeroPoint(ctx, output, 'output');
  }
  const [qmin, qmax] = typeRange(input.type);
  const f = Math.fround;
  const zero = output.zeroPoint;
  // roundf of a float quotient, as activations_common.cc.
  const min = Math.max(qmin, zero + roundHalfAway(f(low / output.scale)));
  const max = high === Infinity ? qmax : Math.min(qmax, zero + roundHalfAway(f(high / output.scale)));
  const data = newData(input.type, min, max);
  const q = quantizeMultiplier(f(input.scale / output.scale));
  data.rescale = true;
  data.multiplier = q.multiplier;
  data.shift = q.shift;
  data.inputZeroPoint = input.zeroPoint;
  data.outputZeroPoint = zero;
  if (input.type === TensorType.INT8) data.table = int8Table(v => reluQuantized(v, data));
  return data;
}

function prepareRelu6(ctx: PrepareContext, node: Node): ReluData {
  const { input } = prepareUnary(ctx, node, TYPES);
  if (input.type === TensorType.FLOAT32) return newData(input.type, 0, 6);
  requireQuantized(ctx, input, 'input');
  const [qmin, qmax] = typeRange(input.type);
  // FloatToQuantizedType: round(6 / scale) + zero point, saturated.
  const six = Math.min(qmax, Math.max(qmin, roundHalfAway(Math.fround(6 / input.scale)) + input.zeroPoint));
  return newData(input.type, input.zeroPoint, six);
}

function evalRelu(node: Node, data: ReluData): void {
  const input: TensorData = node.inputs[0]!.data, output: TensorData = node.outputs[0].data;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
    return;
  }
  const min = data.min, max = data.max;
  if (data.rescale) {
    const inZero = data.inputZeroPoint, outZero = data.outputZeroPoint, multiplier = data.multiplier, shift = data.shift;
    for (let i = 0; i < n; i++) {
      const v = outZero + multiplyByQuantizedMultiplier(input[i] - inZero, multiplier, shift);
      output[i] = v < min ? min : v > max ? max : v;
    }
    return;
  }
  // Comparisons in TFLM's order, so NaN and -0 pass through as they do there.
  if (max === Infinity) {
    for (let i = 0; i < n; i++) {
      const v = input[i];
      output[i] = v < min ? min : v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = input[i];
      output[i] = v > max ? max : v < min ? min : v;
    }
  }
}

export const RELU: Kernel<ReluData> = {
  code: 19,
  name: 'RELU',
  types: TYPES,
  prepare: (ctx, node) => prepareRescaled(ctx, node, 0, Infinity),
  eval: evalRelu,
};

export const RELU6: Kernel<ReluData> = {
  code: 21,
  name: 'RELU6',
  types: TYPES,
  prepare: prepareRelu6,
  eval: evalRelu,
};

export const RELU_N1_TO_1: Kernel<ReluData> = {
  code: 20,
  name: 'RELU_N1_TO_1',
  types: TYPES,
  prepare: (ctx, node) => prepareRescaled(ctx, node, -1, 1),
  eval: evalRelu,
};
