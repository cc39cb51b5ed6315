// Shared by BATCH_TO_SPACE_ND and SPACE_TO_BATCH_ND: the same operands (input, block_shape, and
// crops or paddings as [top, bottom, left, right]), the same 3-D/4-D dimension record and the
// same rule that block_shape and the pads must give exactly the output's shape (at prepare when
// they are constant, else at every eval, since TFLM leaves the output unchecked).
import type { Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { requireSameType, requireType } from './shape-util.js';
import { extend4, persistentInts, requireOperands, requireRank } from './shape-group.js';

export interface SpaceBatchData {
  input: TensorData;
  block: Int32Array;
  /** Crops (BATCH_TO_SPACE_ND) or paddings (SPACE_TO_BATCH_ND): top, bottom[, left, right]. */
  pads: Int32Array;
  output: TensorData;
  /** Input batch, height, width, depth; output batch, height, width; 1 when 4-D. */
  dims: Int32Array;
  index: number;
}

/** Whether block_shape and the pads give the output shape in `d`; an error message, or null. */
export type SpaceBatchCheck = (block: Int32Array, pads: Int32Array, d: ArrayLike<number>) => string | null;

/** The message for a non-positive block or a negative pad, or null; `what` names the pads. */
export function badBlockOrPads(bh: number, bw: number, top: number, bottom: number, left: number, right: number,
  what: string): string | null {
  if (!(bh >= 1 && bw >= 1)) return `block_shape (${bh}, ${bw}) must be positive`;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return `${what} (${top}, ${bottom}, ${left}, ${right}) must not be negative`;
  return null;
}

/** Validates the operands and keeps the dimension record; `what` names the pads operand. */
export function prepareSpaceBatch(ctx: PrepareContext, node: Node, what: string, check: SpaceBatchCheck): SpaceBatchData {
  const [input, block, pads] = requireOperands(ctx, node, 3, 1);
  const output = node.outputs[0];
  requireRank(ctx, input, 3, 4, 'input');
  requireRank(ctx, output, 3, 4, 'output');
  requireType(ctx, input, [TensorType.FLOAT32, TensorType.INT8], 'input');
  requireSameType(ctx, input, output, 'output');
  if (output.rank !== input.rank) ctx.fail(`output ${output.describe()} must have the input's rank`);
  requireType(ctx, block, [TensorType.INT32], 'block_shape');
  requireType(ctx, pads, [TensorType.INT32], what);
  const spatial = input.rank - 2;
  if (block.elementCount !== spatial) ctx.fail(`block_shape ${block.describe()} must hold ${spatial} values`);
  if (pads.elementCount !== 2 * spatial) ctx.fail(`${what} ${pads.describe()} must hold ${2 * spatial} values`);
  const i4 = extend4(input.shape), o4 = extend4(output.shape);
  if (o4[3] !== i4[3]) ctx.fail(`output ${output.describe()} must keep the input's depth ${i4[3]}`);
  const values = [i4[0], i4[1], i4[2], i4[3], o4[0], o4[1], o4[2], input.rank === 4 ? 1 : 0];
  if (block.isConstant && pads.isConstant) {
    const error = check(block.data as Int32Array, pads.data as Int32Array, values);
    if (error) ctx.fail(error);
  }
  return {
    input: input.data, block: block.data as Int32Array, pads: pads.data as Int32Array, output: output.data,
    dims: persistentInts(ctx, values), index: node.index,
  };
}
