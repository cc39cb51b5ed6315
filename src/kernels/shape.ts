// SHAPE (TFLM shape.cc): writes the input's dimensions, as int32 or int64 (out_type).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { formatShape, requireInput, requireInputCount, requireType } from './internal/shape-util.js';

export interface ShapeData {
  /** The words to write (persistent): the dimensions, or (low, high) pairs of them for int64. */
  words: Int32Array;
  output: TensorData;
}

function prepare(ctx: PrepareContext, node: Node): ShapeData {
  requireInputCount(ctx, node.inputs, 1);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const output = node.outputs[0];
  requireType(ctx, output, [TensorType.INT32, TensorType.INT64], 'output');
  const outType = (node.options as { outType: number }).outType;
  if (outType !== 0 && outType !== output.type) ctx.fail(`out_type ${outType} does not match output ${output.describe()}`);
  const rank = input.rank;
  if (output.elementCount !== rank || output.rank > 1) {
    ctx.fail(`output ${output.describe()} must hold the ${rank} dimensions of input ${formatShape(input.shape)}`);
  }
  const pairs = output.type === TensorType.INT64;
  const words = ctx.persistent(TensorType.INT32, pairs ? 2 * rank : rank) as Int32Array;
  for (let i = 0; i < rank; i++) words[pairs ? 2 * i : i] = input.shape[i];
  return { words, output: output.data };
}

function evalShape(data: ShapeData): void {
  // A loop, not set(): both views are on the arena, where XS's set() would copy the source first.
  const words = data.words, output = data.output;
  for (let i = 0; i < words.length; i++) output[i] = words[i];
}

export const SHAPE: Kernel<ShapeData> = Object.freeze({
  code: 77,
  name: 'SHAPE',
  options: 'ShapeOptions',
  types: Object.freeze(['int32', 'int64']),
  prepare,
  eval: evalShape,
});
