// DEPTH_TO_SPACE (TFLM depth_to_space.cc, reference DepthToSpace): each input pixel's depth
// becomes a block_size × block_size patch of output pixels:
// output[b, y, x, c] = input[b, y / bs, x / bs, ((y % bs) * bs + x % bs) * outDepth + c].
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { formatShape } from './internal/shape-util.js';
import { prepareDepthSpace, type DepthSpaceData } from './internal/depth-space.js';

function outputShape(ctx: PrepareContext, input: Tensor, blockSize: number): number[] {
  const [batches, inHeight, inWidth, inDepth] = Array.from(input.shape);
  const outDepth = Math.floor(inDepth / blockSize / blockSize);
  if (outDepth * blockSize * blockSize !== inDepth) ctx.fail(`input depth ${inDepth} is not a multiple of block_size² (${blockSize * blockSize})`);
  const shape = [batches, inHeight * blockSize, inWidth * blockSize, outDepth];
  if (!(shape[1] <= 0x7fffffff && shape[2] <= 0x7fffffff)) ctx.fail(`output ${formatShape(shape)} is too large`);
  return shape;
}

function prepare(ctx: PrepareContext, node: Node): DepthSpaceData {
  return prepareDepthSpace(ctx, node, outputShape);
}

function evalDepthToSpace(d: DepthSpaceData): void {
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

export const DEPTH_TO_SPACE: Kernel<DepthSpaceData> = Object.freeze({
  code: 5,
  name: 'DEPTH_TO_SPACE',
  options: 'DepthToSpaceOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalDepthToSpace,
});
