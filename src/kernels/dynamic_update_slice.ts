// DYNAMIC_UPDATE_SLICE (TFLM dynamic_update_slice.cc): the operand with a block replaced by the
// update, starting at the start indices (int32 or int64, read at eval), each clamped into
// [0, operand size - update size]. float32, int8, int16 and int32 as TFLM's eval. When the update is as
// large as the operand it is copied whole. TFLM copies the block recursively; here one row of
// the last dimension at a time, its place found from the row number (no recursion).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireSameType, requireShape, requireType, stridesOf, wordsPerElement } from './internal/shape-util.js';
import { MAX_RANK, indexAt, persistentInts, requireOperands } from './internal/shape-group.js';

export interface DynamicUpdateSliceData {
  operand: TensorData;
  update: TensorData;
  indices: TensorData;
  output: TensorData;
  /** Per dimension: operand size, update size, output stride, update stride (4 × rank). */
  dims: Int32Array;
  /** Clamped start indices, found at each eval. */
  start: Int32Array;
  /** 1: the update is copied whole (same element count as the operand). */
  whole: number;
  words: number;
  size: number;
  updateSize: number;
}

function prepare(ctx: PrepareContext, node: Node): DynamicUpdateSliceData {
  const [operand, update, indices] = requireOperands(ctx, node, 3, 1);
  const output = node.outputs[0];
  requireSameType(ctx, operand, update, 'update');
  requireType(ctx, indices, [TensorType.INT32, TensorType.INT64], 'start indices');
  const rank = operand.rank;
  if (indices.rank !== 1) ctx.fail(`start indices ${indices.describe()} must have 1 dimension`);
  if (indices.shape[0] !== rank) ctx.fail(`start indices ${indices.describe()} must hold ${rank} values, one per operand dimension`);
  if (update.rank !== rank) ctx.fail(`update ${update.describe()} must have the operand's rank ${rank}`);
  for (let i = 0; i < rank; i++) {
    if (update.shape[i] > operand.shape[i]) ctx.fail(`update ${update.describe()} is larger than operand ${operand.describe()} in dimension ${i}`);
  }
  requireType(ctx, operand, [TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32], 'operand');
  requireSameType(ctx, operand, output, 'output');
  requireShape(ctx, output, operand.shape, 'output');
  const whole = operand.elementCount === update.elementCount ? 1 : 0;
  if (!whole && rank > MAX_RANK) ctx.fail(`DYNAMIC_UPDATE_SLICE: Operand rank ${rank} exceeds max supported ${MAX_RANK}.`);
  const outStrides = stridesOf(operand.shape), upStrides = stridesOf(update.shape);
  const values: number[] = [];
  for (let i = 0; i < rank; i++) values.push(operand.shape[i], update.shape[i], outStrides[i], upStrides[i]);
  return {
    operand: operand.data, update: update.data, indices: indices.data, output: output.data,
    dims: persistentInts(ctx, values), start: ctx.persistent(TensorType.INT32, rank) as Int32Array,
    whole, words: wordsPerElement(indices.type), size: operand.elementCount, updateSize: update.elementCount,
  };
}

function evalDynamicUpdateSlice(d: DynamicUpdateSliceData): void {
  const output = d.output, update = d.update;
  if (d.whole === 1) {
    for (let i = 0, n = d.size; i < n; i++) output[i] = update[i];
    return;
  }
  const operand = d.operand;
  if (operand !== output) for (let i = 0, n = d.size; i < n; i++) output[i] = operand[i];
  const updateSize = d.updateSize;
  if (updateSize === 0) return;
  const dims = d.dims, rank = dims.length >> 2, start = d.start, indices = d.indices, words = d.words;
  for (let i = 0; i < rank; i++) {
    const v = indexAt(indices, i, words), limit = dims[4 * i] - dims[4 * i + 1];
    start[i] = v < 0 ? 0 : v > limit ? limit : v;
  }
  // Rows of the last dimension: `rows` of `length` elements each.
  const last = rank - 1, length = dims[4 * last + 1], rows = updateSize / length;
  const rowStart = start[last];
  let from = 0;
  for (let row = 0; row < rows; row++) {
    let rest = row * length, to = rowStart;
    for (let i = 0; i < last; i++) {
      const upStride = dims[4 * i + 3];
      const p = (rest / upStride) | 0;
      rest -= p * upStride;
      to += (start[i] + p) * dims[4 * i + 2];
    }
    for (let k = 0; k < length; k++) output[to + k] = update[from + k];
    from += length;
  }
}

export const DYNAMIC_UPDATE_SLICE: Kernel<DynamicUpdateSliceData> = Object.freeze({
  code: 151,
  name: 'DYNAMIC_UPDATE_SLICE',
  options: 'DynamicUpdateSliceOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32']),
  prepare,
  eval: evalDynamicUpdateSlice,
});
