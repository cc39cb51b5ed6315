// BROADCAST_ARGS (TFLM broadcast_args.cc, reference/broadcast_args.h): the broadcast shape of two
// shapes, int32 or int64 (all three tensors of one type). As TFLM, each value is read as a C int
// (an int64 value truncated to its low 32 bits), the shapes are aligned at their ends (missing
// dimensions count as 1), and the output's length decides how many values are written. Two
// values that are neither equal nor 1 are TFLM's failed TFLITE_CHECK_EQ: an error at eval here.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireSameType, requireType, wordsPerElement } from './internal/shape-util.js';
import { requireOperands } from './internal/shape-group.js';

export interface BroadcastArgsData {
  a: TensorData;
  b: TensorData;
  output: TensorData;
  aLength: number;
  bLength: number;
  outLength: number;
  words: number;
  index: number;
}

function prepare(ctx: PrepareContext, node: Node): BroadcastArgsData {
  const [a, b] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  requireType(ctx, a, [TensorType.INT32, TensorType.INT64], 'shape1');
  requireSameType(ctx, a, b, 'shape2');
  requireSameType(ctx, a, output, 'output');
  if (a.rank !== 1) ctx.fail(`shape1 ${a.describe()} must have 1 dimension`);
  if (b.rank !== 1) ctx.fail(`shape2 ${b.describe()} must have 1 dimension`);
  if (output.rank !== 1) ctx.fail(`output ${output.describe()} must have 1 dimension`);
  return {
    a: a.data, b: b.data, output: output.data, aLength: a.elementCount, bLength: b.elementCount,
    outLength: output.elementCount, words: wordsPerElement(a.type), index: node.index,
  };
}

function evalBroadcastArgs(d: BroadcastArgsData): void {
  const a = d.a, b = d.b, out = d.output, words = d.words, n = d.outLength, aLength = d.aLength, bLength = d.bLength;
  for (let i = 0; i < n; i++) {
    const back = n - 1 - i, ai = aLength - 1 - i, bi = bLength - 1 - i;
    // The low word of an int64 value is its truncation to int.
    const x = ai < 0 ? 1 : a[ai * words] | 0, y = bi < 0 ? 1 : b[bi * words] | 0;
    let v: number;
    if (x === 1) v = y;
    else if (y === 1 || x === y) v = x;
    else throw new OpError('BROADCAST_ARGS', d.index, `shapes do not broadcast: ${x} and ${y} at dimension ${back} from the end`);
    if (words === 1) {
      out[back] = v;
    } else {
      out[2 * back] = v;
      out[2 * back + 1] = v < 0 ? -1 : 0;
    }
  }
}

export const BROADCAST_ARGS: Kernel<BroadcastArgsData> = Object.freeze({
  code: 145,
  name: 'BROADCAST_ARGS',
  types: Object.freeze(['int32', 'int64']),
  prepare,
  eval: evalBroadcastArgs,
});
