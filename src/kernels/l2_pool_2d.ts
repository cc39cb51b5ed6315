// L2_POOL_2D (TFLM l2_pool_2d.cc, reference pooling.h L2Pool): float32 only. Each output is the
// square root of the mean of the squares over its window (clipped to the input; padding is left
// out of the count), then the fused activation. As TFLM in float32: each square and each sum
// rounded to float32, the mean a float32 division, the square root rounded to float32. An empty
// window gives NaN as 0/0 does in TFLM.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { checkActivation, FLOAT_MAX, requirePositive, requireRank4 } from './internal/conv-params.js';
import { checkedPadding } from './internal/padding.js';
import { floatActivationRange } from './internal/quantization.js';

/** Fields of the shape record. */
const enum Rec {
  BATCHES = 0, IN_H, IN_W, DEPTH, OUT_H, OUT_W, F_H, F_W, S_H, S_W, PAD_H, PAD_W,
  LENGTH,
}

export interface L2PoolData {
  p: Int32Array;
  x: TensorData;
  y: TensorData;
  lo: number;
  hi: number;
}

function prepare(ctx: PrepareContext, node: Node): L2PoolData {
  if (node.inputs.length !== 1) ctx.fail(`expected 1 input, got ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`expected 1 output, got ${node.outputs.length}`);
  const input = node.inputs[0], output = node.outputs[0];
  if (!input) return ctx.fail('input is required');
  requireRank4(ctx, input, 'input');
  requireRank4(ctx, output, 'output');
  if (output.type !== input.type) ctx.fail(`output type ${output.typeName} differs from input type ${input.typeName}`);
  const opts = node.options;
  const strideHeight = opts.strideH as number, strideWidth = opts.strideW as number;
  const filterHeight = opts.filterHeight as number, filterWidth = opts.filterWidth as number;
  const padding = opts.padding as number, activation = opts.fusedActivationFunction as number;
  requirePositive(ctx, strideHeight, 'stride height');
  requirePositive(ctx, strideWidth, 'stride width');
  requirePositive(ctx, filterHeight, 'filter height');
  requirePositive(ctx, filterWidth, 'filter width');
  const batches = input.dim(0), inputHeight = input.dim(1), inputWidth = input.dim(2), depth = input.dim(3);
  // TFLM sets the output's shape; here it must already be that shape.
  if (output.dim(0) !== batches || output.dim(3) !== depth) {
    ctx.fail(`output ${output.describe()} must keep the input's batches and depth (${input.describe()})`);
  }
  const pad = checkedPadding(ctx, output, strideHeight, strideWidth, 1, 1, inputHeight, inputWidth, filterHeight, filterWidth, padding);
  if (input.type !== TensorType.FLOAT32) ctx.fail(`L2_POOL_2D only supports float32 currently, got ${input.typeName}`);
  checkActivation(ctx, activation);
  const bounds = floatActivationRange(activation);
  const P = ctx.persistent(TensorType.INT32, Rec.LENGTH) as Int32Array;
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
  return { p: P, x: input.data, y: output.data, lo: Math.max(bounds[0], -FLOAT_MAX), hi: Math.min(bounds[1], FLOAT_MAX) };
}

function evalL2Pool(d: L2PoolData): void {
  const P = d.p, X = d.x, Y = d.y, fround = Math.fround, sqrt = Math.sqrt;
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
        const count = yEnd > yStart && xEnd > xStart ? (yEnd - yStart) * (xEnd - xStart) : 0;
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let iy = yStart; iy < yEnd; iy++) {
            let xi = ((b * inH + iy) * inW + xStart) * C + c;
            for (let ix = xStart; ix < xEnd; ix++) {
              const v = X[xi];
              sum = fround(sum + fround(v * v));
              xi += C;
            }
          }
          // Square root of a float32 rounded to float32 is the float32 square root.
          const r = fround(sqrt(fround(sum / count)));
          Y[out++] = r < lo ? lo : hi < r ? hi : r;
        }
      }
    }
  }
}

export const L2_POOL_2D: Kernel<L2PoolData> = Object.freeze({
  code: 12,
  name: 'L2_POOL_2D',
  options: 'Pool2DOptions',
  types: Object.freeze(['float32']),
  prepare,
  eval: evalL2Pool,
});
