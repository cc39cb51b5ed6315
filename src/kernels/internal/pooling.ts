// AVERAGE_POOL_2D and MAX_POOL_2D (TFLM pooling_common.cc; reference pooling.h and
// integer_ops/pooling.h): validation, padding, activation bounds and the input window of each
// output row and column, computed once at prepare; one eval walks the windows for both.
import type { Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, typeName } from '../../core/types.js';
import { checkActivation, FLOAT_MAX, requirePositive, requireRank4, type WindowShape } from './conv-params.js';
import { checkedPadding } from './padding.js';
import { floatActivationRange, quantizedActivationRange, typeRange } from './quantization.js';

export interface PoolData extends WindowShape {
  /** AVERAGE_POOL_2D; MAX_POOL_2D otherwise. */
  average: boolean;
  type: number;
  depth: number;
  /** Output bounds under the fused activation: float, or quantized for int8 and int16. */
  outputMin: number;
  outputMax: number;
  /** Per output row / column: the input window clipped to the input, [start, end). */
  yStart: Int32Array;
  yEnd: Int32Array;
  xStart: Int32Array;
  xEnd: Int32Array;
}

/** The clipped windows along one axis. */
function windows(outSize: number, inSize: number, stride: number, pad: number, filter: number): [Int32Array, Int32Array] {
  const start = new Int32Array(outSize), end = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const origin = o * stride - pad;
    start[o] = origin < 0 ? 0 : origin;
    end[o] = origin + filter < inSize ? origin + filter : inSize;
  }
  return [start, end];
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
  let outputMin: number, outputMax: number;
  if (type === TensorType.FLOAT32) {
    const bounds = floatActivationRange(activation);
    outputMin = Math.max(bounds[0], -FLOAT_MAX);
    outputMax = Math.min(bounds[1], FLOAT_MAX);
  } else {
    if (!input.quantization || !output.quantization) ctx.fail('quantized pooling needs input and output quantization');
    // TFLM: the scales may differ by float rounding only, and the zero points not at all.
    if (!(Math.abs(Math.fround(input.scale - output.scale)) <= 1.0e-6)) {
      ctx.fail(`input scale ${input.scale} and output scale ${output.scale} differ`);
    }
    if (input.zeroPoint !== output.zeroPoint) ctx.fail(`input zero point ${input.zeroPoint} and output zero point ${output.zeroPoint} differ`);
    const [qmin, qmax] = typeRange(type);
    [outputMin, outputMax] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  }
  const [yStart, yEnd] = windows(pad.outHeight, inputHeight, strideHeight, pad.height, filterHeight);
  const [xStart, xEnd] = windows(pad.outWidth, inputWidth, strideWidth, pad.width, filterWidth);
  return {
    average, type, batches, inputHeight, inputWidth, depth, outputHeight: pad.outHeight, outputWidth: pad.outWidth,
    filterHeight, filterWidth, strideHeight, strideWidth, padHeight: pad.height, padWidth: pad.width,
    outputMin, outputMax, yStart, yEnd, xStart, xEnd,
  };
}

export function evalPool(node: Node, d: PoolData): void {
  const X = node.inputs[0]!.data, Y = node.outputs[0].data;
  const average = d.average, isFloat = d.type === TensorType.FLOAT32, fround = Math.fround;
  // MAX_POOL_2D starts from the type's lowest value (for float, -FLT_MAX), as the reference does.
  const lowest = isFloat ? -FLOAT_MAX : d.type === TensorType.INT8 ? -128 : -32768;
  const lo = d.outputMin, hi = d.outputMax;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, C = d.depth;
  const yStarts = d.yStart, yEnds = d.yEnd, xStarts = d.xStart, xEnds = d.xEnd;
  const outH = yStarts.length, outW = xStarts.length;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const yStart = yStarts[oy], yEnd = yEnds[oy];
      for (let ox = 0; ox < outW; ox++) {
        const xStart = xStarts[ox], xEnd = xEnds[ox];
        if (average) {
          const count = (yEnd - yStart) * (xEnd - xStart);
          // The reference stops the whole op at an empty window.
          if (!(yEnd > yStart && xEnd > xStart)) return;
          const half = count >> 1;
          for (let c = 0; c < C; c++) {
            let sum = 0;
            for (let iy = yStart; iy < yEnd; iy++) {
              let xi = ((b * inH + iy) * inW + xStart) * C + c;
              for (let ix = xStart; ix < xEnd; ix++) {
                sum = isFloat ? fround(sum + X[xi]) : sum + X[xi];
                xi += C;
              }
            }
            let v: number;
            if (isFloat) v = fround(sum / count);
            else v = ((sum > 0 ? sum + half : sum - half) / count) | 0;
            Y[out++] = v < lo ? lo : hi < v ? hi : v;
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
