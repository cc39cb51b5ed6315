// SQUEEZE (TFLM squeeze.cc): drops size-1 axes (the listed ones, or all); the bytes are unchanged.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import {
  COPY_TYPE_NAMES, COPY_TYPES, copyData, evalCopy, formatShape, planFlatCopy, requireInputOutput, requireShape, wordsPerElement,
  type CopyData,
} from './internal/shape-util.js';

export type SqueezeData = CopyData;

function prepare(ctx: PrepareContext, node: Node): SqueezeData {
  const { input, output } = requireInputOutput(ctx, node, COPY_TYPES, 1);
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
  return copyData(ctx, planFlatCopy(input.elementCount, wordsPerElement(input.type)), input, output);
}

export const SQUEEZE: Kernel<SqueezeData> = Object.freeze({
  code: 43,
  name: 'SQUEEZE',
  options: 'SqueezeOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalCopy,
});
