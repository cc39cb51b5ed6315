// SQUEEZE (TFLM squeeze.cc): drops size-1 axes (the listed ones, or all); the bytes are unchanged.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType } from '../core/types.js';
import {
  formatShape, planFlatCopy, requireInput, requireInputCount, requireSameType, requireShape, requireType,
  runStridedCopy, wordsPerElement, type StridedCopy,
} from './internal/shape-util.js';

export interface SqueezeData {
  copy: StridedCopy;
}

const TYPES = [TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL];

function prepare(ctx: PrepareContext, node: Node): SqueezeData {
  requireInputCount(ctx, node.inputs, 1);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const output = node.outputs[0];
  requireType(ctx, input, TYPES, 'input');
  requireSameType(ctx, input, output, 'output');
  const dims = (node.options as { squeezeDims: Int32Array }).squeezeDims;
  const rank = input.rank;
  const squeeze: boolean[] = new Array(rank).fill(false);
  if (dims.length === 0) {
    for (let i = 0; i < rank; i++) squeeze[i] = input.shape[i] === 1;
  } else {
    for (let k = 0; k < dims.length; k++) {
      const d = dims[k] < 0 ? dims[k] + rank : dims[k];
      if (d < 0 || d >= rank || input.shape[d] !== 1) {
        ctx.fail(`squeeze_dims ${formatShape(dims)} names an axis that is not of size 1 in input ${input.describe()}`);
      }
      squeeze[d] = true;
    }
  }
  const outShape: number[] = [];
  for (let i = 0; i < rank; i++) if (!squeeze[i]) outShape.push(input.shape[i]);
  requireShape(ctx, output, outShape, 'output');
  return { copy: planFlatCopy(input.elementCount, wordsPerElement(input.type)) };
}

function evalSqueeze(node: Node, data: SqueezeData): void {
  runStridedCopy(data.copy, node.inputs[0]!.data, node.outputs[0].data);
}

export const SQUEEZE: Kernel<SqueezeData> = {
  code: 43,
  name: 'SQUEEZE',
  options: 'SqueezeOptions',
  types: ['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool'],
  prepare,
  eval: evalSqueeze,
};
