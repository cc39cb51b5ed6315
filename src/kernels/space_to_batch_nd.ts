// SPACE_TO_BATCH_ND (TFLM space_to_batch_nd.cc, reference/space_to_batch_nd.h): pads the spatial
// dimensions, then moves blocks of them into the batch. 3-D inputs are [batch, height, depth].
// The padding is 0 as stored (TFLM never sets its op data's output_offset, so int8 pads with raw
// 0, not the zero point). block_shape and paddings must give exactly the output's shape (at
// prepare when they are constant, else at every eval).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireSameType, requireType } from './internal/shape-util.js';
import { extend4, persistentInts, requireOperands, requireRank } from './internal/shape-group.js';

export interface SpaceToBatchData {
  input: TensorData;
  block: Int32Array;
  paddings: Int32Array;
  output: TensorData;
  /** Input batch, height, width, depth; output batch, height, width; 1 when 4-D. */
  dims: Int32Array;
  index: number;
}

function check(block: Int32Array, pads: Int32Array, d: ArrayLike<number>): string | null {
  const four = d[7] === 1;
  const bh = block[0], bw = four ? block[1] : 1;
  const top = pads[0], bottom = pads[1], left = four ? pads[2] : 0, right = four ? pads[3] : 0;
  if (!(bh >= 1 && bw >= 1)) return `block_shape (${bh}, ${bw}) must be positive`;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return `paddings (${top}, ${bottom}, ${left}, ${right}) must not be negative`;
  const h = d[1] + top + bottom, w = d[2] + left + right;
  if (h % bh !== 0 || w % bw !== 0 || d[5] !== h / bh || d[6] !== w / bw || d[4] !== d[0] * bh * bw) {
    return `block_shape (${bh}, ${bw}) and paddings (${top}, ${bottom}, ${left}, ${right}) do not give the output's shape`;
  }
  return null;
}

function prepare(ctx: PrepareContext, node: Node): SpaceToBatchData {
  const [input, block, paddings] = requireOperands(ctx, node, 3, 1);
  const output = node.outputs[0];
  requireRank(ctx, input, 3, 4, 'input');
  requireRank(ctx, output, 3, 4, 'output');
  requireType(ctx, input, [TensorType.FLOAT32, TensorType.INT8], 'input');
  requireSameType(ctx, input, output, 'output');
  if (output.rank !== input.rank) ctx.fail(`output ${output.describe()} must have the input's rank`);
  requireType(ctx, block, [TensorType.INT32], 'block_shape');
  requireType(ctx, paddings, [TensorType.INT32], 'paddings');
  const spatial = input.rank - 2;
  if (block.elementCount !== spatial) ctx.fail(`block_shape ${block.describe()} must hold ${spatial} values`);
  if (paddings.elementCount !== 2 * spatial) ctx.fail(`paddings ${paddings.describe()} must hold ${2 * spatial} values`);
  const i4 = extend4(input.shape), o4 = extend4(output.shape);
  if (o4[3] !== i4[3]) ctx.fail(`output ${output.describe()} must keep the input's depth ${i4[3]}`);
  const values = [i4[0], i4[1], i4[2], i4[3], o4[0], o4[1], o4[2], input.rank === 4 ? 1 : 0];
  if (block.isConstant && paddings.isConstant) {
    const error = check(block.data as Int32Array, paddings.data as Int32Array, values);
    if (error) ctx.fail(error);
  }
  return {
    input: input.data, block: block.data as Int32Array, paddings: paddings.data as Int32Array, output: output.data,
    dims: persistentInts(ctx, values), index: node.index,
  };
}

function evalSpaceToBatch(data: SpaceToBatchData): void {
  const d = data.dims, block = data.block, pads = data.paddings;
  const error = check(block, pads, d);
  if (error) throw new OpError('SPACE_TO_BATCH_ND', data.index, error);
  const four = d[7] === 1;
  const bh = block[0], bw = four ? block[1] : 1, top = pads[0], left = four ? pads[2] : 0;
  const inBatch = d[0], inHeight = d[1], inWidth = d[2], depth = d[3];
  const outBatch = d[4], outHeight = d[5], outWidth = d[6];
  const input = data.input, output = data.output;
  let q = 0;
  for (let ob = 0; ob < outBatch; ob++) {
    const b = ob % inBatch, shift = (ob / inBatch) | 0;
    const sw = shift % bw, sh = (shift / bw) | 0;
    for (let oy = 0; oy < outHeight; oy++) {
      const y = oy * bh + sh - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x = ox * bw + sw - left;
        if (y < 0 || y >= inHeight || x < 0 || x >= inWidth) {
          for (let c = 0; c < depth; c++) output[q++] = 0;
        } else {
          let p = ((b * inHeight + y) * inWidth + x) * depth;
          for (let c = 0; c < depth; c++) output[q++] = input[p++];
        }
      }
    }
  }
}

export const SPACE_TO_BATCH_ND: Kernel<SpaceToBatchData> = Object.freeze({
  code: 38,
  name: 'SPACE_TO_BATCH_ND',
  options: 'SpaceToBatchNDOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalSpaceToBatch,
});
