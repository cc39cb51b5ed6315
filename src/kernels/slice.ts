// SLICE (TFLM slice.cc, reference/slice.h): a contiguous block [begin, begin + size) per axis,
// size -1 meaning "to the end". Begin and size are planned in prepare when constant; otherwise
// they are read at eval into the plan's own arrays (the output shape is fixed either way).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType } from '../core/types.js';
import {
  COPY_TYPE_NAMES, COPY_TYPES, formatShape, planStridedCopy, readConstantInts, requireInput, requireInputOutput,
  requireSameType, requireType, runStridedCopy, stridesOf, wordsPerElement, type StridedCopy,
} from './internal/shape-util.js';

export interface SliceData {
  copy: StridedCopy;
  /** Set when begin is not constant: its start is recomputed each eval from these. */
  dynamic: boolean;
  inStrides: Int32Array;
  inShape: Int32Array;
  outShape: Int32Array;
  beginWords: number;
  words: number;
  index: number;
}

function prepare(ctx: PrepareContext, node: Node): SliceData {
  const inputs = node.inputs;
  const { input, output } = requireInputOutput(ctx, node, COPY_TYPES, 3);
  const beginT = requireInput(ctx, inputs, 1, 'begin');
  const sizeT = requireInput(ctx, inputs, 2, 'size');
  requireType(ctx, beginT, [TensorType.INT32, TensorType.INT64], 'begin');
  requireSameType(ctx, beginT, sizeT, 'size');
  const rank = input.rank;
  if (beginT.rank !== 1 || beginT.elementCount !== rank || sizeT.rank !== 1 || sizeT.elementCount !== rank) {
    ctx.fail(`begin ${beginT.describe()} and size ${sizeT.describe()} must each hold ${rank} values`);
  }
  if (output.rank !== rank) ctx.fail(`output ${output.describe()} must have the input's rank ${rank}`);
  const inStrides = stridesOf(input.shape);
  const words = wordsPerElement(input.type);
  const dynamic = !beginT.isConstant || !sizeT.isConstant;
  let inStart = 0;
  if (!dynamic) {
    const begin = readConstantInts(ctx, beginT, 'begin');
    const size = readConstantInts(ctx, sizeT, 'size');
    for (let i = 0; i < rank; i++) {
      const b = begin[i];
      const extent = size[i] === -1 ? input.shape[i] - b : size[i];
      if (b < 0 || extent < 0 || b + extent > input.shape[i]) {
        ctx.fail(`begin ${formatShape(begin)} and size ${formatShape(size)} fall outside input ${formatShape(input.shape)}`);
      }
      if (extent !== output.shape[i]) {
        ctx.fail(`output ${output.describe()} does not match begin ${formatShape(begin)} and size ${formatShape(size)}`);
      }
      inStart += b * inStrides[i];
    }
  }
  const copy = planStridedCopy(output.shape, inStrides, stridesOf(output.shape), inStart, 0, words);
  return {
    copy, dynamic, words, index: node.index,
    inStrides: Int32Array.from(inStrides), inShape: Int32Array.from(input.shape), outShape: Int32Array.from(output.shape),
    beginWords: wordsPerElement(beginT.type),
  };
}

function evalSlice(node: Node, data: SliceData): void {
  const inputs = node.inputs;
  if (data.dynamic) {
    const begin = inputs[1]!.data, size = inputs[2]!.data;
    const w = data.beginWords, inShape = data.inShape, outShape = data.outShape, strides = data.inStrides;
    let start = 0;
    for (let i = 0; i < inShape.length; i++) {
      const b = begin[i * w];
      const s = size[i * w];
      const extent = s === -1 ? inShape[i] - b : s;
      if (b < 0 || extent !== outShape[i] || b + extent > inShape[i]) {
        throw new OpError('SLICE', data.index, 'begin and size do not match the output shape');
      }
      start += b * strides[i];
    }
    data.copy.inStart = start * data.words;
  }
  runStridedCopy(data.copy, inputs[0]!.data, node.outputs[0].data);
}

export const SLICE: Kernel<SliceData> = {
  code: 65,
  name: 'SLICE',
  options: 'SliceOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalSlice,
};
