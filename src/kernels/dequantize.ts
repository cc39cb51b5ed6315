// DEQUANTIZE (TFLM dequantize.cc, dequantize_common.cc; reference dequantize.h): int8, uint8
// and int16 → float32 as float(scale · (q - zeroPoint)), the product taken in double. Like TFLM
// it uses the tensor's first (per-tensor) scale and zero point.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';

export interface DequantizeData {
  input: TensorData;
  output: TensorData;
  scale: number;
  zeroPoint: number;
}

function prepare(ctx: PrepareContext, node: Node): DequantizeData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = node.inputs[0];
  if (!input) return ctx.fail('input 0 is missing');
  const output = node.outputs[0];
  const t = input.type;
  if (t !== TensorType.INT8 && t !== TensorType.UINT8 && t !== TensorType.INT16) {
    ctx.fail(`input type ${typeName(t)} is not supported (int8, uint8, int16)`);
  }
  if (output.type !== TensorType.FLOAT32) ctx.fail(`output ${output.describe()} must be float32`);
  if (!input.quantization) ctx.fail(`input ${input.describe()} has no scale and zero point`);
  if (input.elementCount !== output.elementCount) ctx.fail(`input ${input.describe()} and output ${output.describe()} differ in size`);
  return { input: input.data, output: output.data, scale: input.scale, zeroPoint: input.zeroPoint };
}

function evalDequantize(data: DequantizeData): void {
  const input = data.input;
  const output = data.output;
  const n = output.length;
  const scale = data.scale, zeroPoint = data.zeroPoint;
  // The Float32Array store rounds the double product to float, as the reference's cast does.
  for (let i = 0; i < n; i++) output[i] = scale * (input[i] - zeroPoint);
}

export const DEQUANTIZE: Kernel<DequantizeData> = Object.freeze<Kernel<DequantizeData>>({
  code: 6,
  name: 'DEQUANTIZE',
  options: 'DequantizeOptions',
  types: Object.freeze(['int8', 'uint8', 'int16']),
  prepare,
  eval: evalDequantize,
});
