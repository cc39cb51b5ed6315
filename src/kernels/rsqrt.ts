// RSQRT (TFLM elementwise.cc): float32 1.f / std::sqrt(x); int8 and int16 (zero points 0)
// through GetInvSqrtQuantizedMultiplierExp and two requantizations, saturated, with TFLM's eval
// error for a value below the input zero point. (TFLM's eval has the int16 path and its tests
// run it; some TFLM versions' prepare lists only float32 and int8.) The int8 result depends on
// the input value alone, so prepare tabulates the 256 results (256 bytes in the arena) and eval
// looks them up; int16 computes each element.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { invSqrtMultiplier, invSqrtShift } from './internal/math-invsqrt.js';
import { prepareUnaryMath } from './internal/math-unary.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './internal/quantization.js';

export interface RsqrtData {
  input: TensorData;
  output: TensorData;
  /** int8: result per input value + 128; float32, int16: null. */
  table: Int8Array | null;
  /** 0 float32, 1 int8, 2 int16. */
  path: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
  opIndex: number;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);
const K_SHIFT = 20;

/** RsqrtEvalQuantized for one int8 value at or above the zero point. */
function rsqrtQuantized(q: number, zero: number, outZero: number, multiplier: number, shift: number, min: number, max: number): number {
  const value = q - zero;
  if (value === 0) return max;
  const data = multiplyByQuantizedMultiplier(1, invSqrtMultiplier(value), invSqrtShift(value) + K_SHIFT);
  const v = multiplyByQuantizedMultiplier(data, multiplier, shift - K_SHIFT) + outZero;
  return v < min ? min : v > max ? max : v;
}

function prepare(ctx: PrepareContext, node: Node): RsqrtData {
  const { input, output } = prepareUnaryMath(ctx, node, TYPES);
  const data: RsqrtData = {
    input: input.data, output: output.data, table: null, path: 0, inputZeroPoint: 0, outputZeroPoint: 0, multiplier: 0, shift: 0, opIndex: node.index,
  };
  if (input.type === TensorType.FLOAT32) return data;
  if (!input.quantization || !(input.scale > 0)) ctx.fail(`input ${input.describe()} needs a positive quantization scale`);
  if (!output.quantization || !(output.scale > 0)) ctx.fail(`output ${output.describe()} needs a positive quantization scale`);
  const zero = input.zeroPoint, outZero = output.zeroPoint;
  if (input.type === TensorType.INT16 && (zero !== 0 || outZero !== 0)) {
    ctx.fail(`int16 zero points must be 0, got ${zero} (input) and ${outZero} (output)`);
  }
  // SetRsqrtOutputMultiplier: 1 / (sqrt(input scale) * output scale) in double.
  const { multiplier, shift } = quantizeMultiplier(1 / (Math.sqrt(input.scale) * output.scale));
  data.inputZeroPoint = zero;
  data.outputZeroPoint = outZero;
  data.multiplier = multiplier;
  data.shift = shift;
  if (input.type === TensorType.INT16) {
    data.path = 2;
    return data;
  }
  const table = ctx.persistent(TensorType.INT8, 256) as Int8Array;
  if (!ctx.sizing) {
    // Values below the zero point are refused at eval; their entries stay 0.
    for (let q = zero < -128 ? -128 : zero; q <= 127; q++) table[q + 128] = rsqrtQuantized(q, zero, outZero, multiplier, shift, -128, 127);
  }
  data.table = table;
  data.path = 1;
  return data;
}

function evalRsqrt(data: RsqrtData): void {
  const input = data.input, output = data.output, n = input.length;
  const path = data.path;
  if (path === 0) {
    const f = Math.fround;
    for (let i = 0; i < n; i++) output[i] = 1 / f(Math.sqrt(input[i]));
    return;
  }
  const zero = data.inputZeroPoint;
  const table = data.table!;
  const outZero = data.outputZeroPoint, multiplier = data.multiplier, shift = data.shift;
  for (let i = 0; i < n; i++) {
    const q = input[i];
    if (q < zero) throw new OpError('RSQRT', data.opIndex, `Rsqrt is only defined for positive values (element ${i} is ${q}, below the zero point ${zero})`);
    output[i] = path === 1 ? table[q + 128] : rsqrtQuantized(q, zero, outZero, multiplier, shift, -32768, 32767);
  }
}

export const RSQRT: Kernel<RsqrtData> = Object.freeze({
  code: 76,
  name: 'RSQRT',
  types: TYPES,
  prepare,
  eval: evalRsqrt,
});
