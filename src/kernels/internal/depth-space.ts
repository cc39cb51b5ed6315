// Shared by DEPTH_TO_SPACE and SPACE_TO_DEPTH: one 4-D float32/int8 input, a positive block_size
// option, and an output whose shape the model must already give (TFLM writes the output's
// dimensions; ours are the model's, so they must be those).
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { requireSameType, requireShape, requireType } from './shape-util.js';
import { requireOperands, requireRank } from './shape-group.js';

export interface DepthSpaceData {
  input: TensorData;
  output: TensorData;
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  blockSize: number;
}

/** The output shape for `input` and `blockSize`; fails (through ctx) when there is none. */
export type DepthSpaceShape = (ctx: PrepareContext, input: Tensor, blockSize: number) => number[];

export function prepareDepthSpace(ctx: PrepareContext, node: Node, outputShape: DepthSpaceShape): DepthSpaceData {
  const [input] = requireOperands(ctx, node, 1, 1);
  const output = node.outputs[0];
  requireRank(ctx, input, 4, 4, 'input');
  requireType(ctx, output, [TensorType.FLOAT32, TensorType.INT8], 'output');
  requireSameType(ctx, input, output, 'output');
  const blockSize = (node.options as { blockSize: number }).blockSize;
  // TFLM divides by block_size unchecked; zero or negative sizes are refused here.
  if (!(blockSize > 0)) ctx.fail(`block_size ${blockSize} must be positive`);
  requireShape(ctx, output, outputShape(ctx, input, blockSize), 'output');
  const [batches, inHeight, inWidth, inDepth] = Array.from(input.shape);
  return { input: input.data, output: output.data, batches, inHeight, inWidth, inDepth, blockSize };
}
