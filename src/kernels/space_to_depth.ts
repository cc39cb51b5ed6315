// SPACE_TO_DEPTH (TFLM space_to_depth.cc, reference SpaceToDepth): each block_size × block_size
// patch of input pixels becomes one output pixel's depth:
// output[b, y, x, ((dy * bs) + dx) * inDepth + c] = input[b, y * bs + dy, x * bs + dx, c].
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireSameType, requireShape, requireType } from './internal/shape-util.js';
import { requireOperands, requireRank } from './internal/shape-group.js';

export interface SpaceToDepthData {
  input: TensorData;
  output: TensorData;
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  blockSize: number;
}

function prepare(ctx: PrepareContext, node: Node): SpaceToDepthData {
  const [input] = requireOperands(ctx, node, 1, 1);
  const output = node.outputs[0];
  requireRank(ctx, input, 4, 4, 'input');
  requireType(ctx, output, [TensorType.FLOAT32, TensorType.INT8], 'output');
  requireSameType(ctx, input, output, 'output');
  const blockSize = (node.options as { blockSize: number }).blockSize;
  // TFLM divides by block_size unchecked; zero or negative sizes are refused here.
  if (!(blockSize > 0)) ctx.fail(`block_size ${blockSize} must be positive`);
  const [batches, inHeight, inWidth, inDepth] = Array.from(input.shape);
  const outHeight = Math.floor(inHeight / blockSize), outWidth = Math.floor(inWidth / blockSize);
  if (outHeight * blockSize !== inHeight || outWidth * blockSize !== inWidth) {
    ctx.fail(`input ${input.describe()} height and width must be multiples of block_size ${blockSize}`);
  }
  requireShape(ctx, output, [batches, outHeight, outWidth, inDepth * blockSize * blockSize], 'output');
  return { input: input.data, output: output.data, batches, inHeight, inWidth, inDepth, blockSize };
}

function evalSpaceToDepth(d: SpaceToDepthData): void {
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

export const SPACE_TO_DEPTH: Kernel<SpaceToDepthData> = Object.freeze({
  code: 26,
  name: 'SPACE_TO_DEPTH',
  options: 'SpaceToDepthOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalSpaceToDepth,
});
