// REVERSE_V2 (TFLM reverse.cc, reference/reverse.h): reverses the input along a contiguous run
// of axes. The axes are an input TFLM reads at eval, so a non-constant axis tensor is checked
// there (a constant one already at prepare).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { COPY_TYPES, COPY_TYPE_NAMES, requireSameType, requireShape, requireType, wordsPerElement } from './internal/shape-util.js';
import { MAX_RANK, persistentInts, requireOperands } from './internal/shape-group.js';

export interface ReverseData {
  input: TensorData;
  axis: Int32Array;
  output: TensorData;
  /** The input's dimensions. */
  dims: Int32Array;
  /** First and last reversed axis, found at each eval. */
  bounds: Int32Array;
  words: number;
  index: number;
}

/** TFLM's eval-time checks of the axes; an error message, or null. `into[0..2]`: first, last axis. */
function checkAxes(axis: Int32Array, count: number, rank: number, into: Int32Array | number[]): string | null {
  let min = rank, max = -1, seen = 0;
  for (let i = 0; i < count; i++) {
    let a = axis[i];
    if (a < 0) a += rank;
    if (!(a >= 0 && a < rank)) return `axis ${axis[i]} is out of range for rank ${rank}`;
    // A repeated axis breaks TFLM's contiguity test as well.
    if (seen & (1 << a)) return `axes repeat axis ${a} (only contiguous axes are supported)`;
    seen |= 1 << a;
    if (a < min) min = a;
    if (a > max) max = a;
  }
  if (count > 0 && max - min + 1 !== count) return 'non-contiguous axes are not supported';
  into[0] = min;
  into[1] = max;
  return null;
}

function prepare(ctx: PrepareContext, node: Node): ReverseData {
  const [input, axis] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  if (axis.rank !== 1) ctx.fail(`axis ${axis.describe()} must have 1 dimension`);
  if (input.rank > MAX_RANK) ctx.fail(`input ${input.describe()} has more than ${MAX_RANK} dimensions`);
  if (input.rank < axis.elementCount) ctx.fail(`axis ${axis.describe()} names more axes than input ${input.describe()} has`);
  requireType(ctx, input, COPY_TYPES, 'input');
  requireType(ctx, axis, [TensorType.INT32], 'axis');
  requireSameType(ctx, input, output, 'output');
  // TFLM writes the input's shape into the output's buffer: it must have that shape.
  requireShape(ctx, output, input.shape, 'output');
  if (axis.isConstant) {
    const error = checkAxes(axis.data as Int32Array, axis.elementCount, input.rank, [0, 0]);
    if (error) ctx.fail(error);
  }
  return {
    input: input.data, axis: axis.data as Int32Array, output: output.data,
    dims: persistentInts(ctx, input.shape), bounds: ctx.persistent(TensorType.INT32, 2) as Int32Array, words: wordsPerElement(input.type), index: node.index,
  };
}

function evalReverse(data: ReverseData): void {
  const dims = data.dims, rank = dims.length, bounds = data.bounds;
  const error = checkAxes(data.axis, data.axis.length, rank, bounds);
  if (error) throw new OpError('REVERSE_V2', data.index, error);
  const min = bounds[0], max = bounds[1];
  let upper = 1, middle = 1, lower = data.words;
  for (let i = 0; i < rank; i++) {
    if (i < min) upper *= dims[i];
    else if (i > max) lower *= dims[i];
    else middle *= dims[i];
  }
  const input = data.input, output = data.output;
  for (let i = 0; i < upper; i++) {
    const base = i * middle;
    for (let j = 0; j < middle; j++) {
      let p = (base + j) * lower, q = (base + middle - 1 - j) * lower;
      for (let k = 0; k < lower; k++) output[q++] = input[p++];
    }
  }
}

export const REVERSE_V2: Kernel<ReverseData> = Object.freeze({
  code: 105,
  name: 'REVERSE_V2',
  options: 'ReverseV2Options',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalReverse,
});
