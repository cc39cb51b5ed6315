// RESIZE_NEAREST_NEIGHBOR (TFLM resize_nearest_neighbor.cc, reference/resize_nearest_neighbor.h):
// each output pixel copies the input pixel GetNearestNeighbor picks, computed in float as TFLM
// does. The picks depend only on the shapes, so prepare computes them.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { COPY_TYPES, prepareResize, wordsPerElement } from './internal/shape-util.js';

export interface ResizeNearestNeighborData {
  batches: number;
  /** Input row offset (in words) of each output row, and input column offset of each output column. */
  rowOffsets: Int32Array;
  colOffsets: Int32Array;
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
    input, batches, inHeight, inWidth, depth, outHeight, outWidth, alignCorners: align, halfPixelCenters: half,
  } = prepareResize(ctx, node, COPY_TYPES);
  const words = wordsPerElement(input.type);
  const pixelWords = depth * words;
  const rowOffsets = new Int32Array(outHeight), colOffsets = new Int32Array(outWidth);
  for (let y = 0; y < outHeight; y++) rowOffsets[y] = nearestNeighbor(y, inHeight, outHeight, align, half) * inWidth * pixelWords;
  for (let x = 0; x < outWidth; x++) colOffsets[x] = nearestNeighbor(x, inWidth, outWidth, align, half) * pixelWords;
  return { batches, rowOffsets, colOffsets, pixelWords, batchWords: inHeight * inWidth * pixelWords };
}

function evalResize(node: Node, data: ResizeNearestNeighborData): void {
  const input = node.inputs[0]!.data, output = node.outputs[0].data;
  const rows = data.rowOffsets, cols = data.colOffsets, pixel = data.pixelWords;
  const height = rows.length, width = cols.length, batches = data.batches, batchWords = data.batchWords;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    const batchBase = b * batchWords;
    for (let y = 0; y < height; y++) {
      const rowBase = batchBase + rows[y];
      for (let x = 0; x < width; x++) {
        let p = rowBase + cols[x];
        for (let c = 0; c < pixel; c++) output[out++] = input[p++];
      }
    }
  }
}

export const RESIZE_NEAREST_NEIGHBOR: Kernel<ResizeNearestNeighborData> = {
  code: 97,
  name: 'RESIZE_NEAREST_NEIGHBOR',
  options: 'ResizeNearestNeighborOptions',
  types: ['float32', 'int8', 'int16', 'uint8', 'int32', 'int64', 'bool'],
  prepare,
  eval: evalResize,
};
