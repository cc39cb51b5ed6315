// RESIZE_BILINEAR (TFLM resize_bilinear.cc, reference/resize_bilinear.h). float32 (and uint8,
// as TFLite does) interpolate in float, each operation rounded to float as in C++; int8 and
// int16 take ResizeBilinearInteger's fixed-point path (10-bit positions, 20-bit products,
// rounding half away from zero). The sample positions depend only on the shapes: prepare
// computes them per output row and column.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType } from '../core/types.js';
import { prepareResize } from './internal/shape-util.js';

export interface ResizeBilinearData {
  integer: boolean;
  /** 0.5 for uint8 (rounding before the truncating cast), 0 for float32. */
  roundingOffset: number;
  batches: number;
  depth: number;
  batchSize: number;
  /** Per output row: input rows y0 and y1 as element offsets within a batch. */
  row0: Int32Array;
  row1: Int32Array;
  /** Per output column: input columns x0 and x1 as element offsets within a row. */
  col0: Int32Array;
  col1: Int32Array;
  /** Float path: fractional parts (input_y - y0) and (1 - that), per row / column. */
  fy: Float32Array;
  gy: Float32Array;
  fx: Float32Array;
  gx: Float32Array;
  /** Integer path: weights of y1 / x1 (input_pos - 1024 * pos0) per row / column. */
  wy: Int32Array;
  wx: Int32Array;
}

const TYPES = [TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.UINT8];

function prepare(ctx: PrepareContext, node: Node): ResizeBilinearData {
  const {
    input, output, batches, inHeight, inWidth, depth, outHeight, outWidth, alignCorners: align, halfPixelCenters: half,
  } = prepareResize(ctx, node, TYPES);
  if (align && half) ctx.fail('half_pixel_centers and align_corners cannot both be set');
  if (outHeight <= 0 || outWidth <= 0) ctx.fail(`output size ${outHeight}x${outWidth} must be positive`);
  if ((inHeight <= 0 || inWidth <= 0) && output.elementCount > 0) ctx.fail(`input ${input.describe()} is empty`);
  const integer = input.type === TensorType.INT8 || input.type === TensorType.INT16;
  const rowStride = inWidth * depth;
  const data: ResizeBilinearData = {
    integer,
    roundingOffset: input.type === TensorType.UINT8 ? 0.5 : 0,
    batches, depth, batchSize: inHeight * rowStride,
    row0: new Int32Array(outHeight), row1: new Int32Array(outHeight),
    col0: new Int32Array(outWidth), col1: new Int32Array(outWidth),
    fy: new Float32Array(integer ? 0 : outHeight), gy: new Float32Array(integer ? 0 : outHeight),
    fx: new Float32Array(integer ? 0 : outWidth), gx: new Float32Array(integer ? 0 : outWidth),
    wy: new Int32Array(integer ? outHeight : 0), wx: new Int32Array(integer ? outWidth : 0),
  };
  if (integer) {
    const scale10 = (inSize: number, outSize: number) => align && outSize > 1
      ? Math.floor((1024 * (inSize - 1) + Math.floor((outSize - 1) / 2)) / (outSize - 1))
      : Math.floor((1024 * inSize + Math.floor(outSize / 2)) / outSize);
    // ComputeInterpolationValuesInteger; C's division truncates toward zero.
    const positions = (outSize: number, inSize: number, lower: Int32Array, upper: Int32Array, weight: Int32Array, unit: number) => {
      const scale = scale10(inSize, outSize);
      for (let v = 0; v < outSize; v++) {
        const scaled = half ? v * scale + Math.floor(scale / 2) - 512 : v * scale;
        const p0 = Math.max(Math.trunc(scaled / 1024), 0);
        const p1 = Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1);
        lower[v] = p0 * unit;
        upper[v] = p1 * unit;
        weight[v] = scaled - 1024 * p0;
      }
    };
    positions(outHeight, inHeight, data.row0, data.row1, data.wy, rowStride);
    positions(outWidth, inWidth, data.col0, data.col1, data.wx, depth);
  } else {
    const fround = Math.fround;
    const scaleOf = (inSize: number, outSize: number) => align && outSize > 1
      ? fround((inSize - 1) / (outSize - 1)) : fround(inSize / outSize);
    // ComputeInterpolationValues, in float.
    const positions = (outSize: number, inSize: number, lower: Int32Array, upper: Int32Array, frac: Float32Array, rest: Float32Array, unit: number) => {
      const scale = scaleOf(inSize, outSize);
      for (let v = 0; v < outSize; v++) {
        const scaled = half ? fround(fround(fround(v + 0.5) * scale) - 0.5) : fround(v * scale);
        const p0 = Math.max(Math.floor(scaled), 0);
        const p1 = Math.min(Math.ceil(scaled), inSize - 1);
        lower[v] = p0 * unit;
        upper[v] = p1 * unit;
        frac[v] = fround(scaled - p0);
        rest[v] = fround(1 - frac[v]);
      }
    };
    positions(outHeight, inHeight, data.row0, data.row1, data.fy, data.gy, rowStride);
    positions(outWidth, inWidth, data.col0, data.col1, data.fx, data.gx, depth);
  }
  return data;
}

function evalFloat(input: ArrayLike<number>, output: Float32Array | Uint8Array, data: ResizeBilinearData): void {
  const fround = Math.fround;
  const row0 = data.row0, row1 = data.row1, col0 = data.col0, col1 = data.col1;
  const fy = data.fy, gy = data.gy, fx = data.fx, gx = data.gx;
  const height = row0.length, width = col0.length, depth = data.depth, batches = data.batches;
  const offset = data.roundingOffset;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    const base = b * data.batchSize;
    for (let y = 0; y < height; y++) {
      const r0 = base + row0[y], r1 = base + row1[y];
      const dy = fy[y], ey = gy[y];
      for (let x = 0; x < width; x++) {
        const c0 = col0[x], c1 = col1[x];
        const dx = fx[x], ex = gx[x];
        const p00 = r0 + c0, p10 = r1 + c0, p01 = r0 + c1, p11 = r1 + c1;
        for (let c = 0; c < depth; c++) {
          const t00 = fround(fround(input[p00 + c] * ey) * ex);
          const t10 = fround(fround(input[p10 + c] * dy) * ex);
          const t01 = fround(fround(input[p01 + c] * ey) * dx);
          const t11 = fround(fround(input[p11 + c] * dy) * dx);
          const sum = fround(fround(fround(fround(t00 + t10) + t01) + t11) + offset);
          // uint8 storage truncates toward zero as static_cast does (the sum is never negative).
          output[out++] = offset === 0 ? sum : Math.trunc(sum);
        }
      }
    }
  }
}

function evalInteger(input: ArrayLike<number>, output: Int8Array | Int16Array, data: ResizeBilinearData): void {
  const row0 = data.row0, row1 = data.row1, col0 = data.col0, col1 = data.col1, wy = data.wy, wx = data.wx;
  const height = row0.length, width = col0.length, depth = data.depth, batches = data.batches;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    const base = b * data.batchSize;
    for (let y = 0; y < height; y++) {
      const r0 = base + row0[y], r1 = base + row1[y];
      const dy = wy[y], ey = 1024 - dy;
      for (let x = 0; x < width; x++) {
        const c0 = col0[x], c1 = col1[x];
        const dx = wx[x], ex = 1024 - dx;
        const p00 = r0 + c0, p10 = r1 + c0, p01 = r0 + c1, p11 = r1 + c1;
        for (let c = 0; c < depth; c++) {
          // Products stay below 2^38: exact in a double.
          const sum = input[p00 + c] * ey * ex + input[p10 + c] * dy * ex + input[p01 + c] * ey * dx + input[p11 + c] * dy * dx;
          output[out++] = Math.trunc((sum + (sum > 0 ? 524288 : -524288)) / 1048576);
        }
      }
    }
  }
}

function evalResize(node: Node, data: ResizeBilinearData): void {
  const input = node.inputs[0]!.data, output = node.outputs[0].data;
  if (data.integer) evalInteger(input, output as Int8Array | Int16Array, data);
  else evalFloat(input, output as Float32Array | Uint8Array, data);
}

export const RESIZE_BILINEAR: Kernel<ResizeBilinearData> = {
  code: 23,
  name: 'RESIZE_BILINEAR',
  options: 'ResizeBilinearOptions',
  types: ['float32', 'int8', 'int16', 'uint8'],
  prepare,
  eval: evalResize,
};
