// TRANSPOSE (TFLM transpose.cc, reference/transpose.h): output axis k walks input axis perm[k],
// a strided copy with the input's strides permuted.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType } from '../core/types.js';
import {
  formatShape, planStridedCopy, readConstantInts, requireInput, requireInputCount, requireSameType, requireType,
  copyData, evalCopy, stridesOf, wordsPerElement, type CopyData,
} from './internal/shape-util.js';

export type TransposeData = CopyData;

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL]);

function prepare(ctx: PrepareContext, node: Node): TransposeData {
  requireInputCount(ctx, node.inputs, 2);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const permT = requireInput(ctx, node.inputs, 1, 'perm');
  const output = node.outputs[0];
  requireType(ctx, input, TYPES, 'input');
  requireSameType(ctx, input, output, 'output');
  const rank = input.rank;
  if (permT.rank !== 1 || permT.elementCount !== rank) ctx.fail(`perm ${permT.describe()} must hold ${rank} values`);
  const perm = readConstantInts(ctx, permT, 'perm');
  const seen: boolean[] = [];
  for (let k = 0; k < rank; k++) {
    if (!(perm[k] >= 0 && perm[k] < rank) || seen[perm[k]]) ctx.fail(`perm ${formatShape(perm)} is not a permutation of ${rank} axes`);
    seen[perm[k]] = true;
  }
  const outShape = perm.map(p => input.shape[p]);
  if (output.rank !== rank || outShape.some((v, k) => v !== output.shape[k])) {
    ctx.fail(`output ${output.describe()} should have shape ${formatShape(outShape)}`);
  }
  const inStrides = stridesOf(input.shape);
  const plan = planStridedCopy(outShape, perm.map(p => inStrides[p]), stridesOf(outShape), 0, 0, wordsPerElement(input.type));
  return copyData(ctx, plan, input, output);
}

export const TRANSPOSE: Kernel<TransposeData> = Object.freeze({
  code: 39,
  name: 'TRANSPOSE',
  options: 'TransposeOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']),
  prepare,
  eval: evalCopy,
});
