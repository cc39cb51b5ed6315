// BATCH_TO_SPACE_ND (TFLM batch_to_space_nd.cc, reference/batch_to_space_nd.h): moves blocks of
// the batch into the spatial dimensions, then crops. 3-D inputs are [batch, height, depth] with
// one spatial dimension. TFLM reads block_shape and crops at eval and leaves the output
// unchecked; here their values must give exactly the output's shape (at prepare when they are
// constant, else at every eval), so no element is left unwritten or written out of bounds.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireSameType, requireType } from './internal/shape-util.js';
import { extend4, persistentInts, requireOperands, requireRank } from './internal/shape-group.js';

export interface BatchToSpaceData {
  input: TensorData;
  block: Int32Array;
  crops: Int32Array;
  output: TensorData;
  /** Input batch, height, width, depth; output batch, height, width; 1 when 4-D. */
  dims: Int32Array;
  index: number;
}

/** Whether block_shape and crops give the output shape; an error message, or null. */
function check(block: Int32Array, crops: Int32Array, d: ArrayLike<number>): string | null {
  const four = d[7] === 1;
  const bh = block[0], bw = four ? block[1] : 1;
  const top = crops[0], bottom = crops[1], left = four ? crops[2] : 0, right = four ? crops[3] : 0;
  if (!(bh >= 1 && bw >= 1)) return `block_shape (${bh}, ${bw}) must be positive`;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return `crops (${top}, ${bottom}, ${left}, ${right}) must not be negative`;
  const blocks = bh * bw;
  if (d[0] % blocks !== 0 || d[4] !== d[0] / blocks || d[5] !== d[1] * bh - top - bottom || d[6] !== d[2] * bw - left - right) {
    return `block_shape (${bh}, ${bw}) and crops (${top}, ${bottom}, ${left}, ${right}) do not give the output's shape`;
  }
  return null;
}

function prepare(ctx: PrepareContext, node: Node): BatchToSpaceData {
  const [input, block, crops] = requireOperands(ctx, node, 3, 1);
  const output = node.outputs[0];
  requireRank(ctx, input, 3, 4, 'input');
  requireRank(ctx, output, 3, 4, 'output');
  requireType(ctx, input, [TensorType.FLOAT32, TensorType.INT8], 'input');
  requireSameType(ctx, input, output, 'output');
  if (output.rank !== input.rank) ctx.fail(`output ${output.describe()} must have the input's rank`);
  requireType(ctx, block, [TensorType.INT32], 'block_shape');
  requireType(ctx, crops, [TensorType.INT32], 'crops');
  const spatial = input.rank - 2;
  if (block.elementCount !== spatial) ctx.fail(`block_shape ${block.describe()} must hold ${spatial} values`);
  if (crops.elementCount !== 2 * spatial) ctx.fail(`crops ${crops.describe()} must hold ${2 * spatial} values`);
  const i4 = extend4(input.shape), o4 = extend4(output.shape);
  if (o4[3] !== i4[3]) ctx.fail(`output ${output.describe()} must keep the input's depth ${i4[3]}`);
  const values = [i4[0], i4[1], i4[2], i4[3], o4[0], o4[1], o4[2], input.rank === 4 ? 1 : 0];
  if (block.isConstant && crops.isConstant) {
    const error = check(block.data as Int32Array, crops.data as Int32Array, values);
    if (error) ctx.fail(error);
  }
  return {
    input: input.data, block: block.data as Int32Array, crops: crops.data as Int32Array, output: output.data,
    dims: persistentInts(ctx, values), index: node.index,
  };
}

function evalBatchToSpace(data: BatchToSpaceData): void {
  const d = data.dims, block = data.block, crops = data.crops;
  const error = check(block, crops, d);
  if (error) throw new OpError('BATCH_TO_SPACE_ND', data.index, error);
  const four = d[7] === 1;
  const bh = block[0], bw = four ? block[1] : 1, top = crops[0], left = four ? crops[2] : 0;
  const inBatch = d[0], inHeight = d[1], inWidth = d[2], depth = d[3];
  const outBatch = d[4], outHeight = d[5], outWidth = d[6];
  const input = data.input, output = data.output;
  for (let b = 0; b < inBatch; b++) {
    const ob = b % outBatch, spatial = (b / outBatch) | 0;
    const dy = ((spatial / bw) | 0) - top, dx = spatial % bw - left;
    for (let y = 0; y < inHeight; y++) {
      const oy = y * bh + dy;
      if (oy < 0 || oy >= outHeight) continue;
      for (let x = 0; x < inWidth; x++) {
        const ox = x * bw + dx;
        if (ox < 0 || ox >= outWidth) continue;
        let p = ((b * inHeight + y) * inWidth + x) * depth, q = ((ob * outHeight + oy) * outWidth + ox) * depth;
        for (let c = 0; c < depth; c++) output[q++] = input[p++];
      }
    }
  }
}

export const BATCH_TO_SPACE_ND: Kernel<BatchToSpaceData> = Object.freeze({
  code: 37,
  name: 'BATCH_TO_SPACE_ND',
  options: 'BatchToSpaceNDOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalBatchToSpace,
});
