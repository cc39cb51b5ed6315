// SPACE_TO_BATCH_ND (TFLM space_to_batch_nd.cc, reference/space_to_batch_nd.h): pads the spatial
// dimensions, then moves blocks of them into the batch. 3-D inputs are [batch, height, depth].
// The padding is 0 as stored (TFLM never sets its op data's output_offset, so int8 pads with raw
// 0, not the zero point). block_shape and paddings must give exactly the output's shape (at
// prepare when they are constant, else at every eval).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { badBlockOrPads, prepareSpaceBatch, type SpaceBatchData } from './internal/space-batch.js';

function check(block: Int32Array, pads: Int32Array, d: ArrayLike<number>): string | null {
  const four = d[7] === 1;
  const bh = block[0], bw = four ? block[1] : 1;
  const top = pads[0], bottom = pads[1], left = four ? pads[2] : 0, right = four ? pads[3] : 0;
  const bad = badBlockOrPads(bh, bw, top, bottom, left, right, 'paddings');
  if (bad) return bad;
  const h = d[1] + top + bottom, w = d[2] + left + right;
  if (h % bh !== 0 || w % bw !== 0 || d[5] !== h / bh || d[6] !== w / bw || d[4] !== d[0] * bh * bw) {
    return `block_shape (${bh}, ${bw}) and paddings (${top}, ${bottom}, ${left}, ${right}) do not give the output's shape`;
  }
  return null;
}

function prepare(ctx: PrepareContext, node: Node): SpaceBatchData {
  return prepareSpaceBatch(ctx, node, 'paddings', check);
}

function evalSpaceToBatch(data: SpaceBatchData): void {
  const d = data.dims, block = data.block, pads = data.pads;
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

export const SPACE_TO_BATCH_ND: Kernel<SpaceBatchData> = Object.freeze({
  code: 38,
  name: 'SPACE_TO_BATCH_ND',
  options: 'SpaceToBatchNDOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalSpaceToBatch,
});
