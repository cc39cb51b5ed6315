// BROADCAST_TO (TFLM broadcast_to.cc, reference/broadcast_to.h): copies the input into an output
// of the shape the shape tensor gives, repeating it along the dimensions where the input has size
// 1 (or that the input lacks). Up to 5 dimensions, every type but string. TFLM reads the shape
// values (int64 truncated to int32) at prepare; here a constant shape is checked at prepare and
// a shape given as an input at every eval, so the output always has the shape it names.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { COPY_TYPES, COPY_TYPE_NAMES, requireSameType, requireType, stridesOf, wordsPerElement } from './internal/shape-util.js';
import { persistentInts, requireOperands } from './internal/shape-group.js';

/** TFLM's kMaxDims for BROADCAST_TO. */
const MAX_DIMS = 5;

export interface BroadcastToData {
  input: TensorData;
  shape: Int32Array;
  output: TensorData;
  /** Per output dimension: output size, output stride, input stride (0 where repeated), input size (4 × rank). */
  dims: Int32Array;
  /** Words per shape value (2 for int64). */
  shapeWords: number;
  words: number;
  outputSize: number;
  index: number;
}

/** Whether the shape values name the output's shape and the input broadcasts to it; an error message, or null. */
function check(shape: Int32Array, shapeWords: number, dims: ArrayLike<number>, rank: number, extending: number): string | null {
  for (let i = 0; i < rank; i++) {
    // get_shape_data: an int64 value is truncated to int32 (its low word).
    const value = shape[i * shapeWords] | 0;
    if (i >= extending) {
      const inSize = dims[4 * i + 3];
      if (inSize !== 1 && inSize !== value) return `Output shape must be broadcastable from input shape (dimension ${i}: ${inSize} to ${value})`;
    }
  }
  for (let i = 0; i < rank; i++) {
    const value = shape[i * shapeWords] | 0;
    if (dims[4 * i] !== value) return `output dimension ${i} is ${dims[4 * i]}, the shape tensor names ${value}`;
  }
  return null;
}

function prepare(ctx: PrepareContext, node: Node): BroadcastToData {
  const [input, shape] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  if (input.rank > MAX_DIMS) ctx.fail('BroadcastTo only supports 1-5D tensor.');
  requireType(ctx, shape, [TensorType.INT32, TensorType.INT64], 'shape');
  requireSameType(ctx, input, output, 'output');
  requireType(ctx, input, COPY_TYPES, 'input');
  if (shape.rank !== 1) ctx.fail(`shape ${shape.describe()} must have 1 dimension`);
  const rank = output.rank, inRank = input.rank;
  if (rank !== shape.shape[0]) ctx.fail('Output must match with the expected shape dimension.');
  if (inRank > rank) ctx.fail('Output shape must be broadcastable from input shape.');
  if (rank > MAX_DIMS) ctx.fail('BroadcastTo only supports 1-5D tensor.');
  const extending = rank - inRank;
  const inStrides = stridesOf(input.shape), outStrides = stridesOf(output.shape);
  const values: number[] = [];
  for (let i = 0; i < rank; i++) {
    const j = i - extending;
    const inSize = j >= 0 ? input.shape[j] : 1;
    values.push(output.shape[i], outStrides[i], j >= 0 && inSize !== 1 ? inStrides[j] : 0, inSize);
  }
  // A repeated dimension must come from size 1 whatever the shape values say (the reads stay in the input).
  for (let i = extending; i < rank; i++) {
    const inSize = values[4 * i + 3];
    if (inSize !== 1 && inSize !== output.shape[i]) ctx.fail(`Output shape must be broadcastable from input shape (dimension ${i}: ${inSize} to ${output.shape[i]})`);
  }
  const shapeWords = wordsPerElement(shape.type);
  if (shape.isConstant) {
    const error = check(shape.data as Int32Array, shapeWords, values, rank, extending);
    if (error) ctx.fail(error);
  }
  return {
    input: input.data, shape: shape.data as Int32Array, output: output.data, dims: persistentInts(ctx, values),
    shapeWords, words: wordsPerElement(input.type), outputSize: output.elementCount, index: node.index,
  };
}

function evalBroadcastTo(d: BroadcastToData): void {
  const dims = d.dims, rank = dims.length >> 2, words = d.words;
  const error = check(d.shape, d.shapeWords, dims, rank, 0);
  if (error) throw new OpError('BROADCAST_TO', d.index, error);
  const input = d.input, output = d.output, n = d.outputSize;
  let q = 0;
  for (let o = 0; o < n; o++) {
    let rest = o, from = 0;
    for (let i = 0; i < rank; i++) {
      const outStride = dims[4 * i + 1];
      const p = (rest / outStride) | 0;
      rest -= p * outStride;
      from += p * dims[4 * i + 2];
    }
    if (words === 1) {
      output[q++] = input[from];
    } else {
      output[q++] = input[2 * from];
      output[q++] = input[2 * from + 1];
    }
  }
}

export const BROADCAST_TO: Kernel<BroadcastToData> = Object.freeze({
  code: 130,
  name: 'BROADCAST_TO',
  options: 'BroadcastToOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalBroadcastTo,
});
