// FILL (TFLM fill.cc, reference/fill.h): every output element set to the scalar `value` input;
// float32, int32 and int8 as TFLM's eval. The output shape is the model's; a constant `dims`
// input must be 1-D, of an integer type, and equal to it, as TFLM's prepare checks.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';

export interface FillData {
  value: TensorData;
  output: TensorData;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int32', 'int8']);

function prepare(ctx: PrepareContext, node: Node): FillData {
  if (node.inputs.length !== 2) ctx.fail(`takes 2 inputs, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const dims = node.inputs[0], value = node.inputs[1], output = node.outputs[0];
  if (!dims || !value) return ctx.fail('both inputs are required');
  if (value.rank !== 0) ctx.fail(`value ${value.describe()} must be a scalar`);
  if (value.type !== output.type) ctx.fail(`value type ${value.typeName} differs from the output type ${output.typeName}`);
  if (!TYPES.includes(value.typeName)) ctx.fail(`value type ${value.typeName} is not supported (supported: ${TYPES.join(', ')})`);
  if (dims.isConstant) {
    if (dims.rank !== 1) ctx.fail(`dims ${dims.describe()} must be 1-D`);
    const rank = output.rank;
    if (dims.dim(0) !== rank) ctx.fail(`dims has ${dims.dim(0)} entries, the output has rank ${rank}`);
    const d = dims.data, type = dims.type;
    const words = type === TensorType.INT64 ? 2 : 1;
    if (type !== TensorType.INT8 && type !== TensorType.INT16 && type !== TensorType.INT32 && type !== TensorType.INT64) {
      ctx.fail(`dims type ${dims.typeName} is not an integer type`);
    }
    for (let i = 0; i < rank; i++) {
      // int64: the low word, with a high word that only sign-extends it.
      const v = d[i * words];
      const high = words === 2 ? d[i * 2 + 1] : v < 0 ? -1 : 0;
      if (v !== output.dim(i) || high !== (v < 0 ? -1 : 0)) {
        ctx.fail(`dims [${dimsText(d, rank, words)}] differ from the output shape [${output.dims().join(', ')}]`);
      }
    }
  }
  return { value: value.data, output: output.data };
}

function dimsText(d: TensorData, rank: number, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < rank; i++) parts.push(String(d[i * words]));
  return parts.join(', ');
}

function evalFill(data: FillData): void {
  data.output.fill(data.value[0]);
}

export const FILL: Kernel<FillData> = Object.freeze({
  code: 94,
  name: 'FILL',
  types: TYPES,
  prepare,
  eval: evalFill,
});
