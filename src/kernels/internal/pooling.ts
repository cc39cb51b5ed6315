// AVERAGE_POOL_2D and MAX_POOL_2D (TFLM pooling_common.cc; reference pooling.h and
// integer_ops/pooling.h): validation, padding and activation bounds at prepare; one eval walks
// the windows for both.
//
// Op data: one Int32Array record from ctx.persistent (the shape, fields at Rec indices), the
// input and output views and the two output bounds (numbers: float bounds need not be integers).
// Each output row's and column's window, clipped to the input, is computed as the loops reach it
// (a few operations per output pixel, against the window's reads), so no table is kept.
import type { Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../../core/types.js';
import { checkActivation, FLOAT_MAX, requirePositive, requireRank4 } from './conv-params.js';
import { checkedPadding } from './padding.js';
import { floatActivationRange, quantizedActivationRange, typeRange } from './quantization.js';

/** Fields of the pooling record (Int32Array indices). */
const enum Rec {
  /** 1 for AVERAGE_POOL_2D, 0 for MAX_POOL_2D. */
  AVERAGE = 0,
  /** 1 for float32 data. */
  FLOAT,
  /** The type's lowest value (MAX_POOL_2D's start) for int8 and int16. */
  LOWEST,
  /** 0 when the output has no element: nothing to compute, however large the other sizes. */
  BATCHES,
  IN_H, IN_W, DEPTH, OUT_H, OUT_W, F_H, F_W, S_H, S_W, PAD_H, PAD_W,
  LENGTH,
}

export interface PoolData {
  p: Int32Array;
  x: TensorData;
  y: TensorData;
  /** Output bounds under the fused activation: float, or quantized for int8 and int16. */
  lo: number;
  hi: number;
}

export function preparePool(ctx: PrepareContext, node: Node, average: boolean): PoolData {
  if (node.inputs.length !== 1) ctx.fail(`expected 1 input, got ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`expected 1 output, got ${node.outputs.length}`);
  const input = node.inputs[0], output = node.outputs[0];
  if (!input) return ctx.fail('input is required');
  requireRank4(ctx, input, 'input');
  requireRank4(ctx, output, 'output');
  const type = input.type;
  if (type !== TensorType.FLOAT32 && type !== TensorType.INT8 && type !== TensorType.INT16) {
    ctx.fail(`input type ${typeName(type)} is not supported (float32, int8, int16)`);
  }
  if (output.type !== type) ctx.fail(`output type ${output.typeName} differs from input type ${input.typeName}`);
  const opts = node.options;
  const strideHeight = opts.strideH as number, strideWidth = opts.strideW as number;
  const filterHeight = opts.filterHeight as number, filterWidth = opts.filterWidth as number;
  const padding = opts.padding as number, activation = opts.fusedActivationFunction as number;
  requirePositive(ctx, strideHeight, 'stride height');
  requirePositive(ctx, strideWidth, 'stride width');
  requirePositive(ctx, filterHeight, 'filter height');
  requirePositive(ctx, filterWidth, 'filter width');
  checkActivation(ctx, activation);
  const batches = input.dim(0), inputHeight = input.dim(1), inputWidth = input.dim(2), depth = input.dim(3);
  if (output.dim(0) !== batches || output.dim(3) !== depth) {
    ctx.fail(`output ${output.describe()} must keep the input's batches and depth (${input.describe()})`);
  }
  const pad = checkedPadding(ctx, output, strideHeight, strideWidth, 1, 1, inputHeight, inputWidth, filterHeight, filterWidth, padding);
  let lo: number, hi: number;
  if (type === TensorType.FLOAT32) {
    const bounds = floatActivationRange(activation);
    lo = Math.max(bounds[0], -FLOAT_MAX);
    hi = Math.min(bounds[1], FLOAT_MAX);
  } else {
    if (!input.quantization || !output.quantization) ctx.fail('quantized pooling needs input and output quantization');
    // TFLM: the scales may differ by float rounding only, and the zero points not at all.
    if (!(Math.abs(Math.fround(input.scale - output.scale)) <= 1.0e-6)) {
      ctx.fail(`input scale ${input.scale} and output scale ${output.scale} differ`);
    }
    if (input.zeroPoint !== output.zeroPoint) ctx.fail(`input zero point ${input.zeroPoint} and output zero point ${output.zeroPoint} differ`);
    const [qmin, qmax] = typeRange(type);
    [lo, hi] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  }
  const P = ctx.persistent(TensorType.INT32, Rec.LENGTH) as Int32Array;
  P[Rec.AVERAGE] = average ? 1 : 0;
  P[Rec.FLOAT] = type === TensorType.FLOAT32 ? 1 : 0;
  P[Rec.LOWEST] = type === TensorType.INT8 ? -128 : -32768;
  P[Rec.BATCHES] = output.elementCount === 0 ? 0 : batches;
  P[Rec.IN_H] = inputHeight;
  P[Rec.IN_W] = inputWidth;
  P[Rec.DEPTH] = depth;
  P[Rec.OUT_H] = pad.outHeight;
  P[Rec.OUT_W] = pad.outWidth;
  P[Rec.F_H] = filterHeight;
  P[Rec.F_W] = filterWidth;
  P[Rec.S_H] = strideHeight;
  P[Rec.S_W] = strideWidth;
  P[Rec.PAD_H] = pad.height;
  P[Rec.PAD_W] = pad.width;
  return { p: P, x: input.data, y: output.data, lo, hi };
}

export function evalPool(d: PoolData): void {
  const P = d.p, X = d.x, Y = d.y, fround = Math.fround;
  const average = P[Rec.AVERAGE] === 1, isFloat = P[Rec.FLOAT] === 1;
  // MAX_POOL_2D starts from the type's lowest value (for float, -FLT_MAX), as the reference does.
  const lowest = isFloat ? -FLOAT_MAX : P[Rec.LOWEST];
  const lo = d.lo, hi = d.hi;
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], C = P[Rec.DEPTH];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], fH = P[Rec.F_H], fW = P[Rec.F_W];
  const sH = P[Rec.S_H], sW = P[Rec.S_W], padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const yOrigin = oy * sH - padH;
      const yStart = yOrigin < 0 ? 0 : yOrigin, yEnd = yOrigin + fH < inH ? yOrigin + fH : inH;
      for (let ox = 0; ox < outW; ox++) {
        const xOrigin = ox * sW - padW;
        const xStart = xOrigin < 0 ? 0 : xOrigin, xEnd = xOrigin + fW < inW ? xOrigin + fW : inW;
        if (average) {
          const count = (yEnd - yStart) * (xEnd - xStart);
          // The reference stops the whole op at an empty window.
          if (!(yEnd > yStart && xEnd > xStart)) return;
          if (isFloat) {
            for (let c = 0; c < C; c++) {
              let sum = 0;
              for (let iy = yStart; iy < yEnd; iy++) {
                let xi = ((b * inH + iy) * inW + xStart) * C + c;
                for (let ix = xStart; ix < xEnd; ix++) {
                  sum = fround(sum + X[xi]);
                  xi += C;
                }
              }
              const v = fround(sum / count);
              Y[out++] = v < lo ? lo : hi < v ? hi : v;
            }
          } else {
            const half = count >> 1;
            for (let c = 0; c < C; c++) {
              let sum = 0;
              for (let iy = yStart; iy < yEnd; iy++) {
                let xi = ((b * inH + iy) * inW + xStart) * C + c;
                for (let ix = xStart; ix < xEnd; ix++) {
                  sum += X[xi];
                  xi += C;
                }
              }
              const v = ((sum > 0 ? sum + half : sum - half) / count) | 0;
              Y[out++] = v < lo ? lo : hi < v ? hi : v;
            }
          }
        } else {
          for (let c = 0; c < C; c++) {
            let max = lowest;
            for (let iy = yStart; iy < yEnd; iy++) {
              let xi = ((b * inH + iy) * inW + xStart) * C + c;
              for (let ix = xStart; ix < xEnd; ix++) {
                const v = X[xi];
                // std::max(max, v) keeps max unless max < v (so a NaN input is skipped).
                if (max < v) max = v;
                xi += C;
              }
            }
            Y[out++] = max < lo ? lo : hi < max ? hi : max;
          }
        }
      }
    }
  }
}
