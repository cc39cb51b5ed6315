// PACK (TFLM pack.cc): N tensors of one shape stacked along a new axis; each input is a block
// copy into every outer step of the output.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  formatShape, planStridedCopy, product, requireInput, requireSameType, requireType, runStridedCopy, storeCopies,
  wordsPerElement, type CopyPlan,
} from './internal/shape-util.js';

export interface PackData {
  copies: Int32Array;
  inputs: TensorData[];
  output: TensorData;
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL]);

function prepare(ctx: PrepareContext, node: Node): PackData {
  const inputs = node.inputs;
  const o = node.options as { valuesCount: number; axis: number };
  if (inputs.length < 1) ctx.fail('has no inputs');
  if (o.valuesCount !== inputs.length) ctx.fail(`values_count is ${o.valuesCount} but the model gives ${inputs.length} inputs`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const output = node.outputs[0];
  requireType(ctx, output, TYPES, 'output');
  const first = requireInput(ctx, inputs, 0, 'input 0');
  const rank = output.rank;
  if (first.rank + 1 !== rank) ctx.fail(`output ${output.describe()} must have one more dimension than input ${first.describe()}`);
  const axis = o.axis < 0 ? o.axis + rank : o.axis;
  if (axis < 0 || axis >= rank) ctx.fail(`axis ${o.axis} is out of range for output ${output.describe()}`);
  for (let d = 0, k = 0; d < rank; d++) {
    const want = d === axis ? inputs.length : first.shape[k++];
    if (output.shape[d] !== want) ctx.fail(`output ${output.describe()} does not stack ${inputs.length} inputs of shape ${formatShape(first.shape)} on axis ${axis}`);
  }
  const outerSize = product(output.shape, 0, axis);
  const copySize = product(output.shape, axis + 1);
  const words = wordsPerElement(output.type);
  const plans: CopyPlan[] = [], views: TensorData[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = requireInput(ctx, inputs, i, `input ${i}`);
    requireSameType(ctx, output, input, `input ${i}`);
    if (input.rank !== first.rank || input.shape.some((v, d) => v !== first.shape[d])) {
      ctx.fail(`input ${i} ${input.describe()} must have the shape of input 0 ${formatShape(first.shape)}`);
    }
    plans.push(planStridedCopy([outerSize, copySize], [copySize, 1], [inputs.length * copySize, 1], 0, i * copySize, words));
    views.push(input.data);
  }
  return { copies: storeCopies(ctx, plans), inputs: views, output: output.data };
}

function evalPack(data: PackData): void {
  const inputs = data.inputs, output = data.output, copies = data.copies;
  for (let i = 0; i < inputs.length; i++) runStridedCopy(copies, i, inputs[i], output);
}

export const PACK: Kernel<PackData> = Object.freeze({
  code: 83,
  name: 'PACK',
  options: 'PackOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']),
  prepare,
  eval: evalPack,
});
