// CAST (TFLM cast.cc): static_cast of every element between float32, int8, uint8, int16, int32,
// uint32, int64 and bool. Integer → integer wraps to the target width; float → integer
// truncates toward zero, with the x86 host's answer for values the target cannot hold (the
// "integer indefinite" value of the conversion instruction); anything → bool is `!= 0`.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';

export interface CastData {
  input: TensorData;
  output: TensorData;
  inType: number;
  outType: number;
  count: number;
}

const TYPES: readonly number[] = Object.freeze([
  TensorType.FLOAT32, TensorType.INT8, TensorType.UINT8, TensorType.INT16, TensorType.INT32,
  TensorType.UINT32, TensorType.INT64, TensorType.BOOL,
]);

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 9223372036854775808;

function prepare(ctx: PrepareContext, node: Node): CastData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = node.inputs[0];
  if (!input) return ctx.fail('input 0 is missing');
  const output = node.outputs[0];
  if (TYPES.indexOf(input.type) < 0) ctx.fail(`input type ${typeName(input.type)} is not supported`);
  if (TYPES.indexOf(output.type) < 0) ctx.fail(`output type ${typeName(output.type)} is not supported`);
  if (input.elementCount !== output.elementCount) ctx.fail(`input ${input.describe()} and output ${output.describe()} differ in size`);
  return { input: input.data, output: output.data, inType: input.type, outType: output.type, count: output.elementCount };
}

/** Stores integer `v` (|v| < 2^64, exact) into element i, wrapping to the output's width. */
function storeInteger(out: TensorData, outType: number, i: number, v: number): void {
  if (outType === TensorType.INT64) {
    const high = Math.floor(v / TWO_POW_32);
    out[2 * i] = v - high * TWO_POW_32;
    out[2 * i + 1] = high;
  } else if (outType === TensorType.FLOAT32) {
    out[i] = v;
  } else if (outType === TensorType.BOOL) {
    out[i] = v !== 0 ? 1 : 0;
  } else {
    // Typed-array stores of an integer wrap modulo the element width, as C's conversion does.
    out[i] = v;
  }
}

/** float → integer as the x86 reference host converts (truncation; out of range → indefinite). */
function storeFromFloat(out: TensorData, outType: number, i: number, x: number): void {
  if (outType === TensorType.FLOAT32) {
    out[i] = x;
    return;
  }
  if (outType === TensorType.BOOL) {
    out[i] = x !== 0 ? 1 : 0;
    return;
  }
  const t = Math.trunc(x);
  if (outType === TensorType.INT64 || outType === TensorType.UINT32) {
    // Converted through int64: out of range (or NaN) gives INT64_MIN, whose low word is 0.
    const inRange = t >= -TWO_POW_63 && t < TWO_POW_63;
    if (outType === TensorType.UINT32) out[i] = inRange ? t : 0;
    else if (inRange) storeInteger(out, outType, i, t);
    else {
      out[2 * i] = 0;
      out[2 * i + 1] = -2147483648;
    }
    return;
  }
  // int8, uint8, int16, int32: converted through int32, then narrowed.
  out[i] = t >= -2147483648 && t < 2147483648 ? t : -2147483648;
}

function evalCast(data: CastData): void {
  const input = data.input;
  const output = data.output;
  const inType = data.inType, outType = data.outType, count = data.count;
  if (inType === TensorType.FLOAT32) {
    for (let i = 0; i < count; i++) storeFromFloat(output, outType, i, input[i]);
  } else if (inType === TensorType.INT64) {
    for (let i = 0; i < count; i++) {
      const low = input[2 * i] >>> 0, high = input[2 * i + 1];
      if (outType === TensorType.FLOAT32 || outType === TensorType.BOOL || outType === TensorType.INT64) {
        storeInteger(output, outType, i, high * TWO_POW_32 + low);
      } else {
        // Narrowing keeps the low bits, all of which are in the low word.
        output[i] = low;
      }
    }
  } else {
    for (let i = 0; i < count; i++) storeInteger(output, outType, i, input[i]);
  }
}

export const CAST: Kernel<CastData> = Object.freeze<Kernel<CastData>>({
  code: 53,
  name: 'CAST',
  options: 'CastOptions',
  types: Object.freeze(['float32', 'int8', 'uint8', 'int16', 'int32', 'uint32', 'int64', 'bool']),
  prepare,
  eval: evalCast,
});
