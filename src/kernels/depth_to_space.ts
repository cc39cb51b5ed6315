// DEPTH_TO_SPACE (TFLM depth_to_space.cc, reference DepthToSpace): each input pixel's depth
// becomes a block_size × block_size patch of output pixels:
// output[b, y, x, c] = input[b, y / bs, x / bs, ((y % bs) * bs + x % bs) * outDepth + c].
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { formatShape, requireSameType, requireShape, requireType } from './internal/shape-util.js';
import { requireOperands, requireRank } from './internal/shape-group.js';

export interface DepthToSpaceData {
  input: TensorData;
  output: TensorData;
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  blockSize: number;
}

function prepare(ctx: PrepareContext, node: Node): DepthToSpaceData {
  const [input] = requireOperands(ctx, node, 1, 1);
  const output = node.outputs[0];
  requireRank(ctx, input, 4, 4, 'input');
  requireType(ctx, output, [TensorType.FLOAT32, TensorType.INT8], 'output');
  requireSameType(ctx, input, output, 'output');
  const blockSize = (node.options as { blockSize: number }).blockSize;
  if (!(blockSize > 0)) ctx.fail(`block_size ${blockSize} must be positive`);
  const [batches, inHeight, inWidth, inDepth] = Array.from(input.shape);
  const outDepth = Math.floor(inDepth / blockSize / blockSize);
  if (outDepth * blockSize * blockSize !== inDepth) ctx.fail(`input depth ${inDepth} is not a multiple of block_size² (${blockSize * blockSize})`);
  // TFLM writes the output's dimensions; ours are the model's, so they must be those.
  const shape = [batches, inHeight * blockSize, inWidth * blockSize, outDepth];
  if (!(shape[1] <= 0x7fffffff && shape[2] <= 0x7fffffff)) ctx.fail(`output ${formatShape(shape)} is too large`);
  requireShape(ctx, output, shape, 'output');
  return { input: input.data, output: output.data, batches, inHeight, inWidth, inDepth, blockSize };
}

function evalDepthToSpace(d: DepthToSpaceData): void {
  const input = d.input, output = d.output, bs = d.blockSize;
  const batches = d.batches, inHeight = d.inHeight, inWidth = d.inWidth, inDepth = d.inDepth;
  const outDepth = (inDepth / (bs * bs)) | 0, outHeight = inHeight * bs, outWidth = inWidth * bs;
  let q = 0;
  for (let b = 0; b < batches; b++) {
    for (let y = 0; y < outHeight; y++) {
      const iy = (y / bs) | 0, rowBase = (y % bs) * bs;
      for (let x = 0; x < outWidth; x++) {
        const ix = (x / bs) | 0;
        let p = ((b * inHeight + iy) * inWidth + ix) * inDepth + (rowBase + x % bs) * outDepth;
        for (let c = 0; c < outDepth; c++) output[q++] = input[p++];
      }
    }
  }
}

export const DEPTH_TO_SPACE: Kernel<DepthToSpaceData> = Object.freeze({
  code: 5,
  name: 'DEPTH_TO_SPACE',
  options: 'DepthToSpaceOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalDepthToSpace,
});
