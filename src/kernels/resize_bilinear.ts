// RESIZE_BILINEAR (TFLM resize_bilinear.cc, reference/resize_bilinear.h). float32 (and uint8,
// as TFLite does) interpolate in float, each operation rounded to float as in C++; int8 and
// int16 take ResizeBilinearInteger's fixed-point path (10-bit positions, 20-bit products,
// rounding half away from zero). The sample positions depend only on the shapes: prepare
// computes them per output row and column.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareResize } from './internal/shape-util.js';

export interface ResizeBilinearData {
  input: TensorData;
  output: TensorData;
  integer: boolean;
  /** 0.5 for uint8 (rounding before the truncating cast), 0 for float32. */
  roundingOffset: number;
  batches: number;
  depth: number;
  batchSize: number;
  height: number;
  width: number;
  /**
   * Persistent, per output row then per output column: the input rows (y0, y1) as element
   * offsets within a batch, or columns (x0, x1) within a row; the integer path adds the weight
   * of y1 / x1 (input_pos - 1024 * pos0) as a third entry.
   */
  positions: Int32Array;
  /** Float path (persistent): fractional part (input_y - y0) and 1 - that, per row then per column. */
  fractions: Float32Array | null;
}

const TYPES = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.UINT8]);

function prepare(ctx: PrepareContext, node: Node): ResizeBilinearData {
  const {
    input, output, batches, inHeight, inWidth, depth, outHeight, outWidth, alignCorners: align, halfPixelCenters: half,
  } = prepareResize(ctx, node, TYPES);
  if (align && half) ctx.fail('half_pixel_centers and align_corners cannot both be set');
  if (outHeight <= 0 || outWidth <= 0) ctx.fail(`output size ${outHeight}x${outWidth} must be positive`);
  if ((inHeight <= 0 || inWidth <= 0) && output.elementCount > 0) ctx.fail(`input ${input.describe()} is empty`);
  const integer = input.type === TensorType.INT8 || input.type === TensorType.INT16;
  const rowStride = inWidth * depth;
  // A zero-element output has nothing to compute: no table, no loop (its other dimensions may be huge).
  const empty = output.elementCount === 0;
  const height = empty ? 0 : outHeight, width = empty ? 0 : outWidth;
  const per = integer ? 3 : 2;
  const positions = ctx.persistent(TensorType.INT32, per * (height + width)) as Int32Array;
  const fractions = integer ? null : ctx.persistent(TensorType.FLOAT32, 2 * (height + width)) as Float32Array;
  const data: ResizeBilinearData = {
    input: input.data, output: output.data,
    integer,
    roundingOffset: input.type === TensorType.UINT8 ? 0.5 : 0,
    batches: empty ? 0 : batches, depth, batchSize: inHeight * rowStride, height, width, positions, fractions,
  };
  if (ctx.sizing) return data;
  if (integer) {
    const scale10 = (inSize: number, outSize: number) => align && outSize > 1
      ? Math.floor((1024 * (inSize - 1) + Math.floor((outSize - 1) / 2)) / (outSize - 1))
      : Math.floor((1024 * inSize + Math.floor(outSize / 2)) / outSize);
    // ComputeInterpolationValuesInteger; C's division truncates toward zero.
    const fill = (outSize: number, inSize: number, at: number, unit: number) => {
      const scale = scale10(inSize, outSize);
      for (let v = 0; v < outSize; v++, at += 3) {
        const scaled = half ? v * scale + Math.floor(scale / 2) - 512 : v * scale;
        const p0 = Math.max(Math.trunc(scaled / 1024), 0);
        const p1 = Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1);
        positions[at] = p0 * unit;
        positions[at + 1] = p1 * unit;
        positions[at + 2] = scaled - 1024 * p0;
      }
    };
    fill(height, inHeight, 0, rowStride);
    fill(width, inWidth, 3 * height, depth);
  } else {
    const fround = Math.fround;
    const scaleOf = (inSize: number, outSize: number) => align && outSize > 1
      ? fround((inSize - 1) / (outSize - 1)) : fround(inSize / outSize);
    const frac = fractions!;
    // ComputeInterpolationValues, in float.
    const fill = (outSize: number, inSize: number, at: number, unit: number) => {
      const scale = scaleOf(inSize, outSize);
      for (let v = 0; v < outSize; v++, at += 2) {
        const scaled = half ? fround(fround(fround(v + 0.5) * scale) - 0.5) : fround(v * scale);
        const p0 = Math.max(Math.floor(scaled), 0);
        const p1 = Math.min(Math.ceil(scaled), inSize - 1);
        positions[at] = p0 * unit;
        positions[at + 1] = p1 * unit;
        frac[at] = fround(scaled - p0);
        frac[at + 1] = fround(1 - frac[at]);
      }
    };
    fill(height, inHeight, 0, rowStride);
    fill(width, inWidth, 2 * height, depth);
  }
  return data;
}

function evalFloat(data: ResizeBilinearData): void {
  const fround = Math.fround;
  const input = data.input, output = data.output;
  const pos = data.positions, frac = data.fractions!;
  const height = data.height, width = data.width, depth = data.depth, batches = data.batches;
  const cols = 2 * height, colsEnd = cols + 2 * width;
  const offset = data.roundingOffset;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    const base = b * data.batchSize;
    for (let y = 0; y < cols; y += 2) {
      const r0 = base + pos[y], r1 = base + pos[y + 1];
      const dy = frac[y], ey = frac[y + 1];
      for (let x = cols; x < colsEnd; x += 2) {
        const c0 = pos[x], c1 = pos[x + 1];
        const dx = frac[x], ex = frac[x + 1];
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

function evalInteger(data: ResizeBilinearData): void {
  const input = data.input, output = data.output;
  const pos = data.positions;
  const height = data.height, width = data.width, depth = data.depth, batches = data.batches;
  const cols = 3 * height, colsEnd = cols + 3 * width;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    const base = b * data.batchSize;
    for (let y = 0; y < cols; y += 3) {
      const r0 = base + pos[y], r1 = base + pos[y + 1];
      const dy = pos[y + 2], ey = 1024 - dy;
      for (let x = cols; x < colsEnd; x += 3) {
        const c0 = pos[x], c1 = pos[x + 1];
        const dx = pos[x + 2], ex = 1024 - dx;
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

function evalResize(data: ResizeBilinearData): void {
  if (data.integer) evalInteger(data);
  else evalFloat(data);
}

export const RESIZE_BILINEAR: Kernel<ResizeBilinearData> = Object.freeze({
  code: 23,
  name: 'RESIZE_BILINEAR',
  options: 'ResizeBilinearOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'uint8']),
  prepare,
  eval: evalResize,
});
