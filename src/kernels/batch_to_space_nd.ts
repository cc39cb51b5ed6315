// BATCH_TO_SPACE_ND (TFLM batch_to_space_nd.cc, reference/batch_to_space_nd.h): moves blocks of
// the batch into the spatial dimensions, then crops. 3-D inputs are [batch, height, depth] with
// one spatial dimension. TFLM reads block_shape and crops at eval and leaves the output
// unchecked; here their values must give exactly the output's shape (at prepare when they are
// constant, else at every eval), so no element is left unwritten or written out of bounds.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { badBlockOrPads, prepareSpaceBatch, type SpaceBatchData } from './internal/space-batch.js';

/** Whether block_shape and crops give the output shape; an error message, or null. */
function check(block: Int32Array, crops: Int32Array, d: ArrayLike<number>): string | null {
  const four = d[7] === 1;
  const bh = block[0], bw = four ? block[1] : 1;
  const top = crops[0], bottom = crops[1], left = four ? crops[2] : 0, right = four ? crops[3] : 0;
  const bad = badBlockOrPads(bh, bw, top, bottom, left, right, 'crops');
  if (bad) return bad;
  const blocks = bh * bw;
  if (d[0] % blocks !== 0 || d[4] !== d[0] / blocks || d[5] !== d[1] * bh - top - bottom || d[6] !== d[2] * bw - left - right) {
    return `block_shape (${bh}, ${bw}) and crops (${top}, ${bottom}, ${left}, ${right}) do not give the output's shape`;
  }
  return null;
}

function prepare(ctx: PrepareContext, node: Node): SpaceBatchData {
  return prepareSpaceBatch(ctx, node, 'crops', check);
}

function evalBatchToSpace(data: SpaceBatchData): void {
  const d = data.dims, block = data.block, crops = data.pads;
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

export const BATCH_TO_SPACE_ND: Kernel<SpaceBatchData> = Object.freeze({
  code: 37,
  name: 'BATCH_TO_SPACE_ND',
  options: 'BatchToSpaceNDOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalBatchToSpace,
});
