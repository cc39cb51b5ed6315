// QUANTIZE (TFLM quantize.cc, quantize_common.cc; reference quantize.h, requantize.h):
// float32 → int8/uint8/int16 by round(x / scale) + zero point in float, and integer → integer
// requantization by (q - inZeroPoint) · (inScale / outScale) + outZeroPoint in fixed point.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { quantizeMultiplier, requantizeInt32, typeRange } from './internal/quantization.js';

export interface QuantizeData {
  input: TensorData;
  output: TensorData;
  fromFloat: boolean;
  /** float32 path: the output scale as float32, the divisor of the reference. */
  scale: number;
  multiplier: number;
  shift: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  min: number;
  max: number;
}

const FLOAT_OUTPUTS: readonly number[] = Object.freeze([TensorType.INT8, TensorType.UINT8, TensorType.INT16]);
// Integer pairs TFLM requantizes (quantize_common.cc).
// (from, to) pairs, flat.
const REQUANTIZE: readonly number[] = Object.freeze([
  TensorType.INT16, TensorType.INT8, TensorType.INT8, TensorType.INT8, TensorType.INT8, TensorType.UINT8,
  TensorType.UINT8, TensorType.INT8, TensorType.INT8, TensorType.INT16, TensorType.INT8, TensorType.INT32,
  TensorType.INT16, TensorType.INT16, TensorType.INT16, TensorType.INT32, TensorType.INT32, TensorType.INT8,
  TensorType.INT32, TensorType.INT16,
]);

function prepare(ctx: PrepareContext, node: Node): QuantizeData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = node.inputs[0];
  if (!input) return ctx.fail('input 0 is missing');
  const output = node.outputs[0];
  const q = output.quantization;
  if (!q || q.scale.length !== 1) ctx.fail(`output ${output.describe()} needs one scale and zero point (per-channel is not supported)`);
  if (input.elementCount !== output.elementCount) ctx.fail(`input ${input.describe()} and output ${output.describe()} differ in size`);
  const [min, max] = typeRange(output.type);
  const data: QuantizeData = {
    input: input.data, output: output.data,
    fromFloat: input.type === TensorType.FLOAT32,
    scale: Math.fround(output.scale), multiplier: 0, shift: 0,
    inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint, min, max,
  };
  if (data.fromFloat) {
    if (FLOAT_OUTPUTS.indexOf(output.type) < 0) ctx.fail(`cannot quantize float32 to ${typeName(output.type)} (int8, uint8, int16)`);
    return data;
  }
  let supported = false;
  for (let i = 0; i < REQUANTIZE.length; i += 2) if (REQUANTIZE[i] === input.type && REQUANTIZE[i + 1] === output.type) supported = true;
  if (!supported) ctx.fail(`cannot requantize ${typeName(input.type)} to ${typeName(output.type)}`);
  if (!input.quantization) ctx.fail(`input ${input.describe()} has no scale to requantize from`);
  const m = quantizeMultiplier(input.scale / output.scale);
  data.multiplier = m.multiplier;
  data.shift = m.shift;
  return data;
}

function evalQuantize(data: QuantizeData): void {
  const input = data.input;
  const output = data.output;
  const n = output.length;
  const zeroPoint = data.outputZeroPoint, min = data.min, max = data.max;
  if (data.fromFloat) {
    const fround = Math.fround;
    const scale = data.scale;
    for (let i = 0; i < n; i++) {
      const x = fround(input[i] / scale);
      // roundf (half away from zero), then the int32 cast, which on the reference's x86 host
      // turns NaN and out-of-range values into INT32_MIN; the zero point is added with wrap-around.
      let q = x < 0 ? -Math.round(-x) : Math.round(x);
      if (!(q >= -2147483648 && q <= 2147483647)) q = -2147483648;
      q = (q + zeroPoint) | 0;
      output[i] = q < min ? min : q > max ? max : q;
    }
    return;
  }
  const multiplier = data.multiplier, shift = data.shift, inputZeroPoint = data.inputZeroPoint;
  for (let i = 0; i < n; i++) {
    const q = requantizeInt32((input[i] - inputZeroPoint) | 0, multiplier, shift) + zeroPoint;
    output[i] = q < min ? min : q > max ? max : q;
  }
}

export const QUANTIZE: Kernel<QuantizeData> = Object.freeze<Kernel<QuantizeData>>({
  code: 114,
  name: 'QUANTIZE',
  options: 'QuantizeOptions',
  types: Object.freeze(['float32→int8', 'float32→uint8', 'float32→int16', 'int8/uint8/int16/int32 requantize']),
  prepare,
  eval: evalQuantize,
});
