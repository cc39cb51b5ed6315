// TRANSPOSE_CONV (TFLM transpose_conv.cc; reference transpose_conv.h and
// integer_ops/transpose_conv.h): float32, int8 with per-channel int8 weights, and 16x8 (int16
// activations, int8 weights, int16 or int64 bias). Inputs: output shape, weights
// [output depth, height, width, input depth], input, optional bias.
//
// Every input pixel scatters into the outputs its window covers. The quantized kernels sum
// into a scratch accumulator (int32 for int8, int64 as exact doubles for 16x8) and requantize
// at the end; integer sums do not depend on order, so the products over input channels are
// summed before they are added. The float kernel adds every product into the output in
// the reference's order, since float sums do.
import type { Kernel, Node, PrepareContext, Scratch } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';
import {
  biasValues, checkConvTypes, constantBias, constantData, convOperands, convRange, type ConvShape,
} from './internal/conv-params.js';
import { computePaddingHeightWidth } from './internal/padding.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './internal/quantization.js';

const enum Path {
  FLOAT = 0,
  INT8 = 1,
  INT16 = 2,
}

export interface TransposeConvData extends ConvShape {
  path: Path;
  /** Accumulators, one per output element: Int32Array (int8) or Float64Array (16x8). */
  scratch: Scratch | null;
}

function prepare(ctx: PrepareContext, node: Node): TransposeConvData {
  const operands = convOperands(ctx, node, true);
  const { input, filter, bias, output, strideHeight, strideWidth, padding } = operands;
  const shapeTensor = node.inputs[0];
  // TFLM widens an int16 bias and reads any other as int64.
  checkConvTypes(ctx, operands, 'transpose conv', 'weights', [TensorType.INT16, TensorType.INT64]);
  const inType = input.type;
  const path = inType === TensorType.FLOAT32 ? Path.FLOAT : inType === TensorType.INT8 ? Path.INT8 : Path.INT16;

  const batches = input.dim(0), inputHeight = input.dim(1), inputWidth = input.dim(2), inputDepth = input.dim(3);
  const outputDepth = filter.dim(0), filterHeight = filter.dim(1), filterWidth = filter.dim(2);
  const outputHeight = output.dim(1), outputWidth = output.dim(2);
  if (filter.dim(3) !== inputDepth) ctx.fail(`weights take depth ${filter.dim(3)}, input has ${inputDepth}`);
  if (output.dim(0) !== batches) ctx.fail(`output batches ${output.dim(0)} differ from input batches ${batches}`);
  if (output.dim(3) !== outputDepth) ctx.fail(`output depth ${output.dim(3)} differs from the weights' ${outputDepth} output channels`);
  if (bias && bias.elementCount !== outputDepth) ctx.fail(`bias has ${bias.elementCount} values for ${outputDepth} output channels`);
  if (shapeTensor && shapeTensor.isConstant) {
    const shape = constantData(shapeTensor);
    if (shapeTensor.type !== TensorType.INT32 || shape.length !== 4) ctx.fail(`output shape ${shapeTensor.describe()} must be 4 int32 values`);
    for (let i = 0; i < 4; i++) {
      if (shape[i] !== output.dim(i)) ctx.fail(`output shape input [${Array.from(shape).join(', ')}] differs from the output ${output.describe()}`);
    }
  }
  // As TFLM: the padding that a convolution from the output's size back to the input's would use.
  const pad = computePaddingHeightWidth(strideHeight, strideWidth, 1, 1, outputHeight, outputWidth, filterHeight, filterWidth, padding);

  const { floatMin, floatMax, quant } = convRange(ctx, operands, outputDepth, 0);
  const data: TransposeConvData = {
    path, batches, inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth,
    filterHeight, filterWidth, strideHeight, strideWidth, padHeight: pad.height, padWidth: pad.width,
    floatMin, floatMax, quant,
    inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint,
    bias: constantBias(bias, outputDepth),
    biasConstant: bias === null || bias.isConstant,
    scratch: path === Path.INT8 ? ctx.requestScratch(TensorType.INT32, output.elementCount)
      : path === Path.INT16 ? ctx.requestScratch(TensorType.FLOAT64, output.elementCount) : null,
  };
  return data;
}

function evalTransposeConv(node: Node, d: TransposeConvData): void {
  if (!d.biasConstant) {
    const bias = node.inputs[3] as Tensor;
    biasValues(bias, bias.data, d.bias);
  }
  if (d.path === Path.FLOAT) evalFloat(node, d);
  else evalQuantized(node, d);
}

function evalQuantized(node: Node, d: TransposeConvData): void {
  const F = (node.inputs[1] as Tensor).data, X = (node.inputs[2] as Tensor).data, Y = node.outputs[0].data;
  const A = d.scratch!.data;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, outMin = q.outputMin, outMax = q.outputMax, bias = d.bias;
  const int8 = d.path === Path.INT8;
  // The 16x8 reference ignores zero points (they are 0 for int16).
  const inputOffset = int8 ? -d.inputZeroPoint : 0, outZp = int8 ? d.outputZeroPoint : 0;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, I = d.inputDepth;
  const outH = d.outputHeight, outW = d.outputWidth, O = d.outputDepth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const padH = d.padHeight, padW = d.padWidth;
  const filterStride = fH * fW * I;
  A.fill(0);
  let xi = 0;
  for (let b = 0; b < batches; b++) {
    for (let iy = 0; iy < inH; iy++) {
      const oy0 = iy * sH - padH;
      for (let ix = 0; ix < inW; ix++) {
        const ox0 = ix * sW - padW;
        for (let fy = 0; fy < fH; fy++) {
          const oy = oy0 + fy;
          if (oy < 0 || oy >= outH) continue;
          for (let fx = 0; fx < fW; fx++) {
            const ox = ox0 + fx;
            if (ox < 0 || ox >= outW) continue;
            const outBase = ((b * outH + oy) * outW + ox) * O;
            let wi = (fy * fW + fx) * I;
            const xEnd = xi + I;
            for (let oc = 0; oc < O; oc++) {
              let sum = 0, k = xi, w = wi;
              while (k < xEnd) sum += (X[k++] + inputOffset) * F[w++];
              A[outBase + oc] += sum;
              wi += filterStride;
            }
          }
        }
        xi += I;
      }
    }
  }
  const count = batches * outH * outW;
  let at = 0;
  for (let i = 0; i < count; i++) {
    for (let oc = 0; oc < O; oc++) {
      let r: number;
      if (int8) r = multiplyByQuantizedMultiplier((A[at] + bias[oc]) | 0, M[oc], S[oc]) + outZp;
      else r = multiplyByQuantizedMultiplier64(A[at] + bias[oc], M[oc], S[oc]);
      Y[at++] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
  }
}

function evalFloat(node: Node, d: TransposeConvData): void {
  const F = (node.inputs[1] as Tensor).data, X = (node.inputs[2] as Tensor).data, Y = node.outputs[0].data;
  const bias = d.bias, lo = d.floatMin, hi = d.floatMax, fround = Math.fround;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, I = d.inputDepth;
  const outH = d.outputHeight, outW = d.outputWidth, O = d.outputDepth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const padH = d.padHeight, padW = d.padWidth;
  const filterStride = fH * fW * I;
  Y.fill(0);
  let xi = 0;
  for (let b = 0; b < batches; b++) {
    for (let iy = 0; iy < inH; iy++) {
      const oy0 = iy * sH - padH;
      for (let ix = 0; ix < inW; ix++) {
        const ox0 = ix * sW - padW;
        for (let ic = 0; ic < I; ic++) {
          const x = X[xi + ic];
          for (let fy = 0; fy < fH; fy++) {
            const oy = oy0 + fy;
            if (oy < 0 || oy >= outH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ox = ox0 + fx;
              if (ox < 0 || ox >= outW) continue;
              let o = ((b * outH + oy) * outW + ox) * O;
              let w = (fy * fW + fx) * I + ic;
              const oEnd = o + O;
              // Float32Array stores round each sum to float, as the C++ float += does.
              while (o < oEnd) {
                Y[o] += fround(x * F[w]);
                o++;
                w += filterStride;
              }
            }
          }
        }
        xi += I;
      }
    }
  }
  const count = batches * outH * outW;
  let at = 0;
  for (let i = 0; i < count; i++) {
    for (let oc = 0; oc < O; oc++) {
      const v = fround(Y[at] + bias[oc]);
      Y[at++] = v < lo ? lo : hi < v ? hi : v;
    }
  }
}

export const TRANSPOSE_CONV: Kernel<TransposeConvData> = {
  code: 67,
  name: 'TRANSPOSE_CONV',
  options: 'TransposeConvOptions',
  types: ['float32', 'int8', 'int16x8'],
  prepare,
  eval: evalTransposeConv,
};
