// EXPAND_DIMS (TFLM expand_dims.cc): inserts a size-1 axis at the given position; the bytes are
// unchanged.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType } from '../core/types.js';
import {
  planFlatCopy, readConstantInts, requireInput, requireInputCount, requireSameType, requireShape, requireType,
  runStridedCopy, wordsPerElement, type StridedCopy,
} from './internal/shape-util.js';

export interface ExpandDimsData {
  copy: StridedCopy;
}

const TYPES = [TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL];

function prepare(ctx: PrepareContext, node: Node): ExpandDimsData {
  requireInputCount(ctx, node.inputs, 2);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const axisT = requireInput(ctx, node.inputs, 1, 'axis');
  const output = node.outputs[0];
  requireType(ctx, input, TYPES, 'input');
  requireSameType(ctx, input, output, 'output');
  if (axisT.rank > 1 || axisT.elementCount !== 1) ctx.fail(`axis ${axisT.describe()} must hold one value`);
  const value = readConstantInts(ctx, axisT, 'axis')[0];
  const rank = input.rank;
  const axis = value < 0 ? value + rank + 1 : value;
  if (axis < 0 || axis > rank) ctx.fail(`axis ${value} is out of range for input ${input.describe()}`);
  const outShape = Array.from(input.shape);
  outShape.splice(axis, 0, 1);
  requireShape(ctx, output, outShape, 'output');
  return { copy: planFlatCopy(input.elementCount, wordsPerElement(input.type)) };
}

function evalExpandDims(node: Node, data: ExpandDimsData): void {
  runStridedCopy(data.copy, node.inputs[0]!.data, node.outputs[0].data);
}

export const EXPAND_DIMS: Kernel<ExpandDimsData> = {
  code: 70,
  name: 'EXPAND_DIMS',
  options: 'ExpandDimsOptions',
  types: ['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool'],
  prepare,
  eval: evalExpandDims,
};
