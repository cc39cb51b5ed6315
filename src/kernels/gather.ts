// GATHER (TFLM gather.cc): output[batch, outer, coord, inner] = input[batch, outer, coords[batch,
// coord], inner] with batch_dims leading axes shared by input and indices.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  formatShape, product, requireInput, requireInputCount, requireSameType, requireShape, requireType, wordsPerElement,
} from './internal/shape-util.js';

export interface GatherData {
  batchSize: number;
  outerSize: number;
  axisSize: number;
  coordSize: number;
  /** Words per gathered block (inner elements times words per element). */
  blockWords: number;
  /** Words per index: 2 for int64 indices, whose low word is the index. */
  indexWords: number;
  index: number;
  input: TensorData;
  coords: TensorData;
  output: TensorData;
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL]);

function prepare(ctx: PrepareContext, node: Node): GatherData {
  requireInputCount(ctx, node.inputs, 2);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const coords = requireInput(ctx, node.inputs, 1, 'indices');
  const output = node.outputs[0];
  requireType(ctx, input, TYPES, 'input');
  requireSameType(ctx, input, output, 'output');
  requireType(ctx, coords, [TensorType.INT32, TensorType.INT64], 'indices');
  const o = node.options as { axis: number; batchDims: number };
  const rank = input.rank;
  const axis = o.axis < 0 ? o.axis + rank : o.axis;
  if (axis < 0 || axis >= rank) ctx.fail(`axis ${o.axis} is out of range for input ${input.describe()}`);
  const batchDims = o.batchDims < 0 ? o.batchDims + coords.rank : o.batchDims;
  if (batchDims < 0 || batchDims > axis || batchDims >= rank || batchDims > coords.rank) {
    ctx.fail(`batch_dims ${o.batchDims} is out of range (axis ${axis}, input rank ${rank}, indices rank ${coords.rank})`);
  }
  for (let i = 0; i < batchDims; i++) {
    if (input.shape[i] !== coords.shape[i]) {
      ctx.fail(`input ${formatShape(input.shape)} and indices ${formatShape(coords.shape)} differ on batch axis ${i}`);
    }
  }
  const outShape: number[] = [];
  for (let i = 0; i < axis; i++) outShape.push(input.shape[i]);
  for (let i = batchDims; i < coords.rank; i++) outShape.push(coords.shape[i]);
  for (let i = axis + 1; i < rank; i++) outShape.push(input.shape[i]);
  requireShape(ctx, output, outShape, 'output');
  return {
    batchSize: product(input.shape, 0, batchDims),
    outerSize: product(input.shape, batchDims, axis),
    axisSize: input.shape[axis],
    coordSize: product(coords.shape, batchDims),
    blockWords: product(input.shape, axis + 1) * wordsPerElement(input.type),
    indexWords: wordsPerElement(coords.type),
    index: node.index,
    input: input.data, coords: coords.data, output: output.data,
  };
}

function evalGather(data: GatherData): void {
  const input = data.input, coords = data.coords, output = data.output;
  const batchSize = data.batchSize, outerSize = data.outerSize, axisSize = data.axisSize;
  const coordSize = data.coordSize, block = data.blockWords, iw = data.indexWords;
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    const coordBase = b * coordSize;
    for (let outer = 0; outer < outerSize; outer++) {
      const inBase = (b * outerSize + outer) * axisSize;
      for (let c = 0; c < coordSize; c++) {
        const at = coords[(coordBase + c) * iw];
        if (at < 0 || at >= axisSize || (iw === 2 && coords[(coordBase + c) * 2 + 1] !== 0)) {
          throw new OpError('GATHER', data.index, `index ${at} is out of range [0, ${axisSize})`);
        }
        let p = (inBase + at) * block;
        for (let j = 0; j < block; j++) output[out++] = input[p++];
      }
    }
  }
}

export const GATHER: Kernel<GatherData> = Object.freeze({
  code: 36,
  name: 'GATHER',
  options: 'GatherOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']),
  prepare,
  eval: evalGather,
});
