// SPACE_TO_DEPTH (TFLM space_to_depth.cc, reference SpaceToDepth): each block_size × block_size
// patch of input pixels becomes one output pixel's depth:
// output[b, y, x, ((dy * bs) + dx) * inDepth + c] = input[b, y * bs + dy, x * bs + dx, c].
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { prepareDepthSpace, type DepthSpaceData } from './internal/depth-space.js';

function outputShape(ctx: PrepareContext, input: Tensor, blockSize: number): number[] {
  const [batches, inHeight, inWidth, inDepth] = Array.from(input.shape);
  const outHeight = Math.floor(inHeight / blockSize), outWidth = Math.floor(inWidth / blockSize);
  if (outHeight * blockSize !== inHeight || outWidth * blockSize !== inWidth) {
    ctx.fail(`input ${input.describe()} height and width must be multiples of block_size ${blockSize}`);
  }
  return [batches, outHeight, outWidth, inDepth * blockSize * blockSize];
}

function prepare(ctx: PrepareContext, node: Node): DepthSpaceData {
  return prepareDepthSpace(ctx, node, outputShape);
}

function evalSpaceToDepth(d: DepthSpaceData): void {
  const input = d.input, output = d.output, bs = d.blockSize;
  const batches = d.batches, inHeight = d.inHeight, inWidth = d.inWidth, inDepth = d.inDepth;
  const outHeight = (inHeight / bs) | 0, outWidth = (inWidth / bs) | 0;
  let q = 0;
  for (let b = 0; b < batches; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        for (let dy = 0; dy < bs; dy++) {
          for (let dx = 0; dx < bs; dx++) {
            let p = ((b * inHeight + y * bs + dy) * inWidth + x * bs + dx) * inDepth;
            for (let c = 0; c < inDepth; c++) output[q++] = input[p++];
          }
        }
      }
    }
  }
}

export const SPACE_TO_DEPTH: Kernel<DepthSpaceData> = Object.freeze({
  code: 26,
  name: 'SPACE_TO_DEPTH',
  options: 'SpaceToDepthOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalSpaceToDepth,
});
