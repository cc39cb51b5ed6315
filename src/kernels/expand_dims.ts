// EXPAND_DIMS (TFLM expand_dims.cc): inserts a size-1 axis at the given position; the bytes are
// unchanged.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import {
  COPY_TYPE_NAMES, COPY_TYPES, copyData, evalCopy, planFlatCopy, readAxis, requireInput, requireInputOutput, requireShape,
  wordsPerElement, type CopyData,
} from './internal/shape-util.js';

export type ExpandDimsData = CopyData;

function prepare(ctx: PrepareContext, node: Node): ExpandDimsData {
  const { input, output } = requireInputOutput(ctx, node, COPY_TYPES, 2);
  const axisT = requireInput(ctx, node.inputs, 1, 'axis');
  if (axisT.rank > 1) ctx.fail(`axis ${axisT.describe()} must hold one value`);
  // The new axis may also go after the last one.
  const axis = readAxis(ctx, axisT, input, input.rank + 1);
  const outShape = Array.from(input.shape);
  outShape.splice(axis, 0, 1);
  requireShape(ctx, output, outShape, 'output');
  return copyData(ctx, planFlatCopy(input.elementCount, wordsPerElement(input.type)), input, output);
}

export const EXPAND_DIMS: Kernel<ExpandDimsData> = Object.freeze({
  code: 70,
  name: 'EXPAND_DIMS',
  options: 'ExpandDimsOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalCopy,
});
