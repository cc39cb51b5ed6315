// RSQRT (TFLM elementwise.cc): float32 1.f / std::sqrt(x); int8 (TFLM refuses int16 in prepare)
// through GetInvSqrtQuantizedMultiplierExp and two requantizations, saturated, with TFLM's eval
// error for a value below the input zero point. The int8 result depends on the input value
// alone, so prepare tabulates the 256 results (256 bytes in the arena) and eval looks them up.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { invSqrtMultiplier, invSqrtShift } from './internal/math-invsqrt.js';
import { prepareUnaryMath } from './internal/math-unary.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './internal/quantization.js';

export interface RsqrtData {
  input: TensorData;
  output: TensorData;
  /** int8: result per input value + 128; float32: null. */
  table: Int8Array | null;
  inputZeroPoint: number;
  opIndex: number;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8']);
const K_SHIFT = 20;

/** RsqrtEvalQuantized for one int8 value at or above the zero point. */
function rsqrtInt8(q: number, zero: number, outZero: number, multiplier: number, shift: number): number {
  const value = q - zero;
  if (value === 0) return 127;
  const data = multiplyByQuantizedMultiplier(1, invSqrtMultiplier(value), invSqrtShift(value) + K_SHIFT);
  const v = multiplyByQuantizedMultiplier(data, multiplier, shift - K_SHIFT) + outZero;
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

function prepare(ctx: PrepareContext, node: Node): RsqrtData {
  const { input, output } = prepareUnaryMath(ctx, node, TYPES);
  const data: RsqrtData = { input: input.data, output: output.data, table: null, inputZeroPoint: 0, opIndex: node.index };
  if (input.type === TensorType.FLOAT32) return data;
  if (!input.quantization || !(input.scale > 0)) ctx.fail(`input ${input.describe()} needs a positive quantization scale`);
  if (!output.quantization || !(output.scale > 0)) ctx.fail(`output ${output.describe()} needs a positive quantization scale`);
  const zero = input.zeroPoint, outZero = output.zeroPoint;
  // SetRsqrtOutputMultiplier: 1 / (sqrt(input scale) * output scale) in double.
  const { multiplier, shift } = quantizeMultiplier(1 / (Math.sqrt(input.scale) * output.scale));
  const table = ctx.persistent(TensorType.INT8, 256) as Int8Array;
  if (!ctx.sizing) {
    // Values below the zero point are refused at eval; their entries stay 0.
    for (let q = zero < -128 ? -128 : zero; q <= 127; q++) table[q + 128] = rsqrtInt8(q, zero, outZero, multiplier, shift);
  }
  data.table = table;
  data.inputZeroPoint = zero;
  return data;
}

function evalRsqrt(data: RsqrtData): void {
  const input = data.input, output = data.output, n = input.length;
  const table = data.table;
  if (table === null) {
    const f = Math.fround;
    for (let i = 0; i < n; i++) output[i] = 1 / f(Math.sqrt(input[i]));
    return;
  }
  const zero = data.inputZeroPoint;
  for (let i = 0; i < n; i++) {
    const q = input[i];
    if (q < zero) throw new OpError('RSQRT', data.opIndex, `Rsqrt is only defined for positive values (element ${i} is ${q}, below the zero point ${zero})`);
    output[i] = table[q + 128];
  }
}

export const RSQRT: Kernel<RsqrtData> = Object.freeze({
  code: 76,
  name: 'RSQRT',
  types: TYPES,
  prepare,
  eval: evalRsqrt,
});
