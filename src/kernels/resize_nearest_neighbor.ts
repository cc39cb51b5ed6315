// RESIZE_NEAREST_NEIGHBOR (TFLM resize_nearest_neighbor.cc, reference/resize_nearest_neighbor.h):
// each output pixel copies the input pixel GetNearestNeighbor picks, computed in float as TFLM
// does. The picks depend only on the shapes, so prepare computes them.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { COPY_TYPES, prepareResize, wordsPerElement } from './internal/shape-util.js';

export interface ResizeNearestNeighborData {
  input: TensorData;
  output: TensorData;
  batches: number;
  height: number;
  width: number;
  /**
   * Persistent: the input row offset (in words) of each output row, then the input column
   * offset of each output column. Empty when the output is: nothing is sized by a dimension
   * whose product with the others is 0.
   */
  offsets: Int32Array;
  /** Words per pixel (depth times words per element). */
  pixelWords: number;
  batchWords: number;
}

/** GetNearestNeighbor, float arithmetic as in TFLM. */
export function nearestNeighbor(value: number, inputSize: number, outputSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const fround = Math.fround;
  const scale = alignCorners && outputSize > 1 ? fround((inputSize - 1) / (outputSize - 1)) : fround(inputSize / outputSize);
  const scaled = fround(fround(value + (halfPixelCenters ? 0.5 : 0)) * scale);
  let result = alignCorners ? (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) : Math.floor(scaled);
  if (result > inputSize - 1) result = inputSize - 1;
  if (halfPixelCenters && result < 0) result = 0;
  return result;
}

function prepare(ctx: PrepareContext, node: Node): ResizeNearestNeighborData {
  const {
    input, output, batches, inHeight, inWidth, depth, outHeight, outWidth, alignCorners: align, halfPixelCenters: half,
  } = prepareResize(ctx, node, COPY_TYPES);
  const words = wordsPerElement(input.type);
  const pixelWords = depth * words;
  // A zero-element output has nothing to compute: no table, no loop (its other dimensions may be huge).
  const empty = output.elementCount === 0;
  const height = empty ? 0 : outHeight, width = empty ? 0 : outWidth;
  const offsets = ctx.persistent(TensorType.INT32, height + width) as Int32Array;
  if (!ctx.sizing) {
    for (let y = 0; y < height; y++) offsets[y] = nearestNeighbor(y, inHeight, outHeight, align, half) * inWidth * pixelWords;
    for (let x = 0; x < width; x++) offsets[height + x] = nearestNeighbor(x, inWidth, outWidth, align, half) * pixelWords;
  }
  return {
    input: input.data, output: output.data, batches: empty ? 0 : batches, height, width, offsets, pixelWords,
    batchWords: inHeight * inWidth * pixelWords,
  };
}

function evalResize(data: ResizeNearestNeighborData): void {
  const input = data.input, output = data.output;
  const offsets = data.offsets, pixel = data.pixelWords;
  const height = data.height, width = data.width, batches = data.batches, batchWords = data.batchWords;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    const batchBase = b * batchWords;
    for (let y = 0; y < height; y++) {
      const rowBase = batchBase + offsets[y];
      for (let x = height, end = height + width; x < end; x++) {
        let p = rowBase + offsets[x];
        for (let c = 0; c < pixel; c++) output[out++] = input[p++];
      }
    }
  }
}

export const RESIZE_NEAREST_NEIGHBOR: Kernel<ResizeNearestNeighborData> = Object.freeze({
  code: 97,
  name: 'RESIZE_NEAREST_NEIGHBOR',
  options: 'ResizeNearestNeighborOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'uint8', 'int32', 'int64', 'bool']),
  prepare,
  eval: evalResize,
});
