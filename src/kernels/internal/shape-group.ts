// Shared by the "shape" group of kernels (REVERSE_V2, the *_TO_* data movers, GATHER_ND,
// MIRROR_PAD, BATCH_MATMUL, IF, WHILE, ...): operand counts, small integer records kept in the
// arena, and a word copy that allocates nothing.
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, type TensorData } from '../../core/types.js';

/** RuntimeShape::kMaxSmallSize: the rank TFLM's fixed-size kernels assume. */
export const MAX_RANK = 6;

/** Fails unless the node has exactly `inputs` inputs (none left out) and `outputs` outputs. */
export function requireOperands(ctx: PrepareContext, node: Node, inputs: number, outputs: number): Tensor[] {
  if (node.inputs.length !== inputs) ctx.fail(`takes ${inputs} inputs, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== outputs) ctx.fail(`has ${node.outputs.length} outputs, expected ${outputs}`);
  const out: Tensor[] = [];
  for (let i = 0; i < inputs; i++) {
    const t = node.inputs[i];
    if (!t) ctx.fail(`input ${i} is missing`);
    out.push(t as Tensor);
  }
  return out;
}

/** Fails unless the tensor's rank is within [low, high]. */
export function requireRank(ctx: PrepareContext, t: Tensor, low: number, high: number, what: string): void {
  if (t.rank < low || t.rank > high) {
    ctx.fail(`${what} ${t.describe()} must have ${low === high ? low : `${low} to ${high}`} dimensions`);
  }
}

/**
 * `values` as an Int32Array in the arena's persistent tail (filled in the binding run only;
 * the sizing run's view is empty).
 */
export function persistentInts(ctx: PrepareContext, values: ArrayLike<number>): Int32Array {
  const view = ctx.persistent(TensorType.INT32, values.length) as Int32Array;
  if (!ctx.sizing) for (let i = 0; i < values.length; i++) view[i] = values[i];
  return view;
}

/** Copies `count` words between typed arrays of one kind. */
export function copyWords(src: TensorData, from: number, dst: TensorData, to: number, count: number): void {
  for (let i = 0; i < count; i++) dst[to + i] = src[from + i];
}

/**
 * The value of element `i` of an int32 or int64 index tensor's view (`words` 1 or 2) as C reads
 * it into an int64: int64 values beyond ±2^53 are taken as out of range by the callers' checks.
 */
export function indexAt(view: TensorData, i: number, words: number): number {
  if (words === 1) return view[i];
  const low = view[2 * i] >>> 0, high = view[2 * i + 1];
  return high * 4294967296 + low;
}

/** [batch, height, width, depth] of a 3-D or 4-D shape (3-D: width 1), as TFLM's ExtendShape*. */
export function extend4(shape: ArrayLike<number>): number[] {
  return shape.length === 4 ? [shape[0], shape[1], shape[2], shape[3]] : [shape[0], shape[1], 1, shape[2]];
}
