// SLICE (TFLM slice.cc, reference/slice.h): a contiguous block [begin, begin + size) per axis,
// size -1 meaning "to the end". Begin and size are planned in prepare when constant; otherwise
// they are read at eval into the plan's own arrays (the output shape is fixed either way).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  Copy, COPY_TYPE_NAMES, COPY_TYPES, formatShape, planStridedCopy, readConstantInts, requireInput, requireInputOutput,
  requireSameType, requireType, runStridedCopy, storeCopies, stridesOf, wordsPerElement,
} from './internal/shape-util.js';

export interface SliceData {
  copy: Int32Array;
  input: TensorData;
  output: TensorData;
  /**
   * Set when begin or size is not constant: their data, and per axis (input shape, output shape,
   * input stride) triples from which eval recomputes the copy's start.
   */
  begin: TensorData | null;
  size: TensorData | null;
  axes: Int32Array | null;
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
  const copy = storeCopies(ctx, [planStridedCopy(output.shape, inStrides, stridesOf(output.shape), inStart, 0, words)]);
  let axes: Int32Array | null = null;
  if (dynamic) {
    axes = ctx.persistent(TensorType.INT32, 3 * rank) as Int32Array;
    for (let i = 0; i < rank; i++) {
      axes[3 * i] = input.shape[i];
      axes[3 * i + 1] = output.shape[i];
      axes[3 * i + 2] = inStrides[i];
    }
  }
  return {
    copy, input: input.data, output: output.data,
    begin: dynamic ? beginT.data : null, size: dynamic ? sizeT.data : null, axes,
    beginWords: wordsPerElement(beginT.type), words, index: node.index,
  };
}

function evalSlice(data: SliceData): void {
  const copy = data.copy, axes = data.axes;
  if (axes !== null) {
    const begin = data.begin!, size = data.size!;
    const w = data.beginWords, rank = axes.length / 3;
    let start = 0;
    for (let i = 0; i < rank; i++) {
      const b = begin[i * w];
      const s = size[i * w];
      const inSize = axes[3 * i];
      const extent = s === -1 ? inSize - b : s;
      if (b < 0 || extent !== axes[3 * i + 1] || b + extent > inSize) {
        throw new OpError('SLICE', data.index, 'begin and size do not match the output shape');
      }
      start += b * axes[3 * i + 2];
    }
    copy[copy[0] + Copy.IN_START] = start * data.words;
  }
  runStridedCopy(copy, 0, data.input, data.output);
}

export const SLICE: Kernel<SliceData> = Object.freeze({
  code: 65,
  name: 'SLICE',
  options: 'SliceOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalSlice,
});
