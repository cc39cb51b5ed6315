// ABS (TFLM elementwise.cc): float32 std::abs; int8 and quantized int16 take |q - input zero
// point|, rescaled by input scale / output scale when the scales differ (int16 symmetric), plus
// the output zero point, saturated; unquantized int16 is std::abs cast back to int16.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnaryMath } from './internal/math-unary.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, typeRange } from './internal/quantization.js';

export interface AbsData {
  input: TensorData;
  output: TensorData;
  /** 0 float32 / plain int16, 1 quantized without rescale, 2 quantized with rescale. */
  path: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

function prepare(ctx: PrepareContext, node: Node): AbsData {
  const { input, output } = prepareUnaryMath(ctx, node, TYPES);
  const data: AbsData = {
    input: input.data, output: output.data, path: 0, inputZeroPoint: 0, outputZeroPoint: 0, multiplier: 0, shift: 0, min: 0, max: 0,
  };
  if (input.type === TensorType.FLOAT32 || (input.type === TensorType.INT16 && !input.quantization)) return data;
  if (!input.quantization || !(input.scale > 0)) ctx.fail(`input ${input.describe()} needs a positive quantization scale`);
  if (!output.quantization || !(output.scale > 0)) ctx.fail(`output ${output.describe()} needs a positive quantization scale`);
  data.inputZeroPoint = input.zeroPoint;
  data.outputZeroPoint = output.zeroPoint;
  if (input.type === TensorType.INT16 && (input.zeroPoint !== 0 || output.zeroPoint !== 0)) {
    ctx.fail(`int16 zero points must be 0, got ${input.zeroPoint} (input) and ${output.zeroPoint} (output)`);
  }
  [data.min, data.max] = typeRange(input.type);
  // The float scales compared as floats, the ratio taken in double (SetAbsOutputMultiplier).
  if (input.scale !== output.scale) {
    const q = quantizeMultiplier(input.scale / output.scale);
    data.multiplier = q.multiplier;
    data.shift = q.shift;
    data.path = 2;
  } else {
    data.path = 1;
  }
  return data;
}

function evalAbs(data: AbsData): void {
  const input = data.input, output = data.output, n = input.length;
  const path = data.path;
  if (path === 0) {
    // Float: Math.abs. Plain int16: the int16 store wraps |-32768| to -32768 as C's cast does.
    for (let i = 0; i < n; i++) output[i] = Math.abs(input[i]);
    return;
  }
  const zero = data.inputZeroPoint, outZero = data.outputZeroPoint, min = data.min, max = data.max;
  if (path === 1) {
    for (let i = 0; i < n; i++) {
      const d = input[i] - zero;
      const v = (d < 0 ? -d : d) + outZero;
      output[i] = v < min ? min : v > max ? max : v;
    }
    return;
  }
  const multiplier = data.multiplier, shift = data.shift;
  for (let i = 0; i < n; i++) {
    const d = input[i] - zero;
    const v = multiplyByQuantizedMultiplier(d < 0 ? -d : d, multiplier, shift) + outZero;
    output[i] = v < min ? min : v > max ? max : v;
  }
}

export const ABS: Kernel<AbsData> = Object.freeze({
  code: 101,
  name: 'ABS',
  types: TYPES,
  prepare,
  eval: evalAbs,
});
