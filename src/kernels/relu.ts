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
  input: TensorData;
  output: TensorData;
  /** int8 RELU and RELU_N1_TO_1: the table (256 bytes in the arena); else null. */
  table: Int8Array | null;
  /** Float bounds, or the quantized clamp bounds. */
  min: number;
  max: number;
  /** int16 RELU and RELU_N1_TO_1: [input zero point, output zero point, multiplier, shift]; else null. */
  rescale: Int32Array | null;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

/** CalculateReluOpData with activation bounds [low, high] in real terms (high may be Infinity). */
function prepareRescaled(ctx: PrepareContext, node: Node, low: number, high: number): ReluData {
  const { input, output } = prepareUnary(ctx, node, TYPES);
  const data: ReluData = { input: input.data, output: output.data, table: null, min: low, max: high, rescale: null };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  if (input.type === TensorType.INT16) {
    requireZeroPoint(ctx, input, 'input');
    requireZeroPoint(ctx, output, 'output');
  }
  const [qmin, qmax] = typeRange(input.type);
  const f = Math.fround;
  const inZero = input.zeroPoint, outZero = output.zeroPoint;
  // roundf of a float quotient, as activations_common.cc.
  const min = Math.max(qmin, outZero + roundHalfAway(f(low / output.scale)));
  const max = high === Infinity ? qmax : Math.min(qmax, outZero + roundHalfAway(f(high / output.scale)));
  const { multiplier, shift } = quantizeMultiplier(f(input.scale / output.scale));
  data.min = min;
  data.max = max;
  if (input.type === TensorType.INT8) {
    // ReluQuantized before the cast: rescale, then clamp.
    data.table = int8Table(ctx, q => {
      const v = outZero + multiplyByQuantizedMultiplier(q - inZero, multiplier, shift);
      return v < min ? min : v > max ? max : v;
    });
    return data;
  }
  const rescale = ctx.persistent(TensorType.INT32, 4) as Int32Array;
  rescale[0] = inZero;
  rescale[1] = outZero;
  rescale[2] = multiplier;
  rescale[3] = shift;
  data.rescale = rescale;
  return data;
}

function prepareRelu6(ctx: PrepareContext, node: Node): ReluData {
  const { input, output } = prepareUnary(ctx, node, TYPES);
  const data: ReluData = { input: input.data, output: output.data, table: null, min: 0, max: 6, rescale: null };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  const [qmin, qmax] = typeRange(input.type);
  // FloatToQuantizedType: round(6 / scale) + zero point, saturated.
  data.min = input.zeroPoint;
  data.max = Math.min(qmax, Math.max(qmin, roundHalfAway(Math.fround(6 / input.scale)) + input.zeroPoint));
  return data;
}

function evalRelu(data: ReluData): void {
  const input = data.input, output = data.output;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
    return;
  }
  const min = data.min, max = data.max, rescale = data.rescale;
  if (rescale !== null) {
    const inZero = rescale[0], outZero = rescale[1], multiplier = rescale[2], shift = rescale[3];
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

export const RELU: Kernel<ReluData> = Object.freeze<Kernel<ReluData>>({
  code: 19,
  name: 'RELU',
  types: TYPES,
  prepare: (ctx, node) => prepareRescaled(ctx, node, 0, Infinity),
  eval: evalRelu,
});

export const RELU6: Kernel<ReluData> = Object.freeze<Kernel<ReluData>>({
  code: 21,
  name: 'RELU6',
  types: TYPES,
  prepare: prepareRelu6,
  eval: evalRelu,
});

export const RELU_N1_TO_1: Kernel<ReluData> = Object.freeze<Kernel<ReluData>>({
  code: 20,
  name: 'RELU_N1_TO_1',
  types: TYPES,
  prepare: (ctx, node) => prepareRescaled(ctx, node, -1, 1),
  eval: evalRelu,
});
