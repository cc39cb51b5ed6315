// GATHER_ND (TFLM gather_nd.cc): each innermost row of `indices` addresses a slice of `params`;
// the slices are copied out in order. As TFLM, an index row is checked only as a whole (its
// flat position and slice must lie within params), so a row may step past one dimension into
// the next; anything outside params is an error naming the op.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireShape, requireType, requireSameType } from './internal/shape-util.js';
import { persistentInts, requireOperands } from './internal/shape-group.js';

/** TFLM's MAX_INDICES_ND. */
const MAX_INDICES_ND = 5;

export interface GatherNdData {
  params: TensorData;
  indices: Int32Array;
  output: TensorData;
  /** Elements one step of each indexed dimension moves. */
  strides: Int32Array;
  slices: number;
  sliceSize: number;
  paramsSize: number;
  index: number;
}

function prepare(ctx: PrepareContext, node: Node): GatherNdData {
  const [params, indices] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  requireType(ctx, params, [TensorType.FLOAT32, TensorType.INT8], 'params');
  requireType(ctx, indices, [TensorType.INT32], 'indices');
  requireSameType(ctx, params, output, 'output');
  const pRank = params.rank, iRank = indices.rank;
  if (pRank < 1) ctx.fail(`params ${params.describe()} must be at least a vector`);
  if (iRank < 1) ctx.fail(`indices ${indices.describe()} must be at least a vector`);
  const nd = indices.shape[iRank - 1];
  if (nd > pRank) ctx.fail(`index rows of ${nd} exceed params rank ${pRank}`);
  if (nd > MAX_INDICES_ND) ctx.fail(`index rows of ${nd} exceed ${MAX_INDICES_ND}`);
  const shape: number[] = [];
  let slices = 1, sliceSize = 1;
  for (let i = 0; i < iRank - 1; i++) {
    shape.push(indices.shape[i]);
    slices *= indices.shape[i];
  }
  for (let i = nd; i < pRank; i++) {
    shape.push(params.shape[i]);
    sliceSize *= params.shape[i];
  }
  requireShape(ctx, output, shape, 'output');
  const strides: number[] = [];
  let remain = params.elementCount;
  for (let i = 0; i < nd; i++) {
    remain = remain / params.shape[i];
    strides.push(remain);
  }
  return {
    params: params.data, indices: indices.data as Int32Array, output: output.data, strides: persistentInts(ctx, strides),
    slices, sliceSize, paramsSize: params.elementCount, index: node.index,
  };
}

function evalGatherNd(d: GatherNdData): void {
  const params = d.params, indices = d.indices, output = d.output, strides = d.strides;
  const nd = strides.length, slices = d.slices, size = d.sliceSize, total = d.paramsSize;
  let q = 0;
  for (let i = 0; i < slices; i++) {
    let from = 0;
    for (let j = 0; j < nd; j++) from += indices[i * nd + j] * strides[j];
    if (from < 0 || from + size > total) throw new OpError('GATHER_ND', d.index, `index row ${i} is out of bounds`);
    for (let k = 0; k < size; k++) output[q++] = params[from + k];
  }
}

export const GATHER_ND: Kernel<GatherNdData> = Object.freeze({
  code: 107,
  name: 'GATHER_ND',
  options: 'GatherNdOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalGatherNd,
});
