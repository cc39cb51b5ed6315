// LEAKY_RELU (TFLM leaky_relu.cc, leaky_relu_common.cc, reference/leaky_relu.h): x for x > 0,
// alpha * x otherwise. Quantized, the two branches rescale with their own multipliers
// (input_scale / output_scale and input_scale * alpha / output_scale); int8 runs from a table.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized } from './internal/elementwise.js';
import { applyInt8Table, int8Table } from './internal/lut.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './internal/quantization.js';

export interface LeakyReluData {
  input: TensorData;
  output: TensorData;
  /** float32: alpha. */
  alpha: number;
  /** int8: the table (256 bytes in the arena); else null. */
  table: Int8Array | null;
  /** int16: the R fields below; else null. */
  record: Int32Array | null;
}

const enum R {
  INPUT_ZERO_POINT,
  OUTPUT_ZERO_POINT,
  IDENTITY_MULTIPLIER,
  IDENTITY_SHIFT,
  /** |alpha multiplier|; the sign goes in ALPHA_SIGN (MultiplyByQuantizedMultiplier wants it positive). */
  ALPHA_MULTIPLIER,
  ALPHA_SHIFT,
  ALPHA_SIGN,
  LENGTH,
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

function prepare(ctx: PrepareContext, node: Node): LeakyReluData {
  const { input, output } = prepareUnary(ctx, node, TYPES);
  const alpha = node.options.alpha as number;
  const data: LeakyReluData = { input: input.data, output: output.data, alpha, table: null, record: null };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  const inZero = input.zeroPoint, outZero = output.zeroPoint;
  // leaky_relu_common.cc forms both ratios in float before widening to double.
  const f = Math.fround;
  const alphaQ = quantizeMultiplier(f(f(input.scale * alpha) / output.scale));
  const identityQ = quantizeMultiplier(f(input.scale / output.scale));
  const idMul = identityQ.multiplier, idShift = identityQ.shift;
  const alphaSign = alphaQ.multiplier < 0 ? -1 : 1;
  // Negating INT32_MIN wraps in C; `| 0` does the same.
  const alphaMul = (alphaQ.multiplier < 0 ? -alphaQ.multiplier : alphaQ.multiplier) | 0;
  const alphaShift = alphaQ.shift;
  if (input.type === TensorType.INT8) {
    // QuantizeLeakyRelu before the cast to the output type.
    data.table = int8Table(ctx, q => {
      const x = q - inZero;
      if (x >= 0) return outZero + multiplyByQuantizedMultiplier(x, idMul, idShift);
      return outZero + alphaSign * multiplyByQuantizedMultiplier(x, alphaMul, alphaShift);
    });
    return data;
  }
  const r = ctx.persistent(TensorType.INT32, R.LENGTH) as Int32Array;
  r[R.INPUT_ZERO_POINT] = inZero;
  r[R.OUTPUT_ZERO_POINT] = outZero;
  r[R.IDENTITY_MULTIPLIER] = idMul;
  r[R.IDENTITY_SHIFT] = idShift;
  r[R.ALPHA_MULTIPLIER] = alphaMul;
  r[R.ALPHA_SHIFT] = alphaShift;
  r[R.ALPHA_SIGN] = alphaSign;
  data.record = r;
  return data;
}

function evalLeakyRelu(data: LeakyReluData): void {
  const input = data.input, output = data.output, r = data.record;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
  } else if (r === null) {
    const alpha = data.alpha;
    for (let i = 0; i < n; i++) {
      const v = input[i];
      output[i] = v > 0 ? v : v * alpha;
    }
  } else {
    const inZero = r[R.INPUT_ZERO_POINT], outZero = r[R.OUTPUT_ZERO_POINT];
    const idMul = r[R.IDENTITY_MULTIPLIER], idShift = r[R.IDENTITY_SHIFT];
    const alphaMul = r[R.ALPHA_MULTIPLIER], alphaShift = r[R.ALPHA_SHIFT], alphaSign = r[R.ALPHA_SIGN];
    for (let i = 0; i < n; i++) {
      const x = input[i] - inZero;
      const v = x >= 0
        ? outZero + multiplyByQuantizedMultiplier(x, idMul, idShift)
        : outZero + alphaSign * multiplyByQuantizedMultiplier(x, alphaMul, alphaShift);
      output[i] = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
    }
  }
}

export const LEAKY_RELU: Kernel<LeakyReluData> = Object.freeze<Kernel<LeakyReluData>>({
  code: 98,
  name: 'LEAKY_RELU',
  options: 'LeakyReluOptions',
  types: TYPES,
  prepare,
  eval: evalLeakyRelu,
});
