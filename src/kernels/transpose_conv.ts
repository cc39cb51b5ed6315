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
//
// Op data: one Int32Array record from ctx.persistent (the shape, then per output channel the Q31
// multiplier and the shift as int32: 8 B a channel, as TFLM's), the views, and the float bounds.
// The bias is read from its view at each invoke (constant or not): the quantized kernels start
// every accumulator from its channel's bias (one row read, then copied over the rest by doubling),
// the float kernel adds it at the end, as the reference does.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { channelQuantization, checkConvTypes, constantData, convOperands, floatBounds, FLOAT_MAX } from './internal/conv-params.js';
import { refuseHybrid } from './internal/ops-hybrid.js';
import { BiasKind, biasAt } from './internal/conv-record.js';
import { computePaddingHeightWidth } from './internal/padding.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './internal/quantization.js';
import { Path, Rec, type TransposeConvData } from './internal/transpose-conv-record.js';
import { evalInt16Window } from './internal/transpose-int16-window.js';

export type { TransposeConvData } from './internal/transpose-conv-record.js';

function prepare(ctx: PrepareContext, node: Node): TransposeConvData {
  const operands = convOperands(ctx, node, true);
  const { input, filter, bias, output, strideHeight, strideWidth, padding } = operands;
  const shapeTensor = node.inputs[0];
  // TFLM widens an int16 bias and reads any other as int64.
  refuseHybrid(ctx, input, filter, 'weights');
  checkConvTypes(ctx, operands, 'transpose conv', 'weights', [TensorType.INT16, TensorType.INT64]);
  const inType = input.type;
  // 16x8 with constant weights takes the window path; weights from the graph, the reference loops
  // (which test-host/window-paths.test.mjs holds the window path to, bit for bit).
  const path = inType === TensorType.FLOAT32 ? Path.FLOAT : inType === TensorType.INT8 ? Path.INT8
    : filter.isConstant ? Path.INT16_WINDOW : Path.INT16;

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
      if (shape[i] !== output.dim(i)) {
        ctx.fail(`output shape input [${shape[0]}, ${shape[1]}, ${shape[2]}, ${shape[3]}] differs from the output ${output.describe()}`);
      }
    }
  }
  // As TFLM: the padding that a convolution from the output's size back to the input's would use.
  const pad = computePaddingHeightWidth(strideHeight, strideWidth, 1, 1, outputHeight, outputWidth, filterHeight, filterWidth, padding);

  const P = ctx.persistent(TensorType.INT32, path === Path.FLOAT ? Rec.TABLES : Rec.TABLES + 2 * outputDepth) as Int32Array;
  const a = path === Path.INT8 ? ctx.scratch(TensorType.INT32, output.elementCount)
    : path === Path.INT16 ? ctx.scratch(TensorType.FLOAT64, output.elementCount)
    : path === Path.INT16_WINDOW ? ctx.scratch(TensorType.FLOAT64, output.elementCount + 4 * outputDepth) : null;

  let floatMin = -FLOAT_MAX, floatMax = FLOAT_MAX, outputMin = 0, outputMax = 0;
  if (path === Path.FLOAT) {
    const bounds = floatBounds(ctx, operands.activation);
    floatMin = Math.max(bounds[0], -FLOAT_MAX);
    floatMax = Math.min(bounds[1], FLOAT_MAX);
  } else {
    const bounds = channelQuantization(ctx, input, filter, output, outputDepth, 0, operands.activation, (c, multiplier, shift) => {
      P[Rec.TABLES + c] = multiplier;
      P[Rec.TABLES + outputDepth + c] = shift;
    });
    outputMin = bounds[0];
    outputMax = bounds[1];
  }
  const empty = input.elementCount === 0 || filter.elementCount === 0 || output.elementCount === 0;
  const fields = [
    path, empty ? 0 : batches, inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth,
    filterHeight, filterWidth, strideHeight, strideWidth, pad.height, pad.width,
    outputMin, outputMax, input.zeroPoint, output.zeroPoint, output.elementCount,
    bias === null ? BiasKind.NONE : bias.type === TensorType.INT64 ? BiasKind.INT64 : BiasKind.PLAIN,
  ];
  if (!ctx.sizing) for (let i = 0; i < Rec.TABLES; i++) P[i] = fields[i];
  return {
    p: P, x: input.data, w: filter.data, b: bias ? bias.data : null, y: output.data, a, floatMin, floatMax,
  };
}

function evalTransposeConv(d: TransposeConvData): void {
  const path = d.p[Rec.PATH];
  if (path === Path.FLOAT) evalFloat(d);
  else if (path === Path.INT16_WINDOW) evalInt16Window(d);
  else evalQuantized(d);
}

function evalQuantized(d: TransposeConvData): void {
  const P = d.p, F = d.w, X = d.x, Y = d.y, A = d.a!;
  const outMin = P[Rec.OUT_MIN], outMax = P[Rec.OUT_MAX];
  const int8 = P[Rec.PATH] === Path.INT8;
  // The 16x8 reference ignores zero points (they are 0 for int16).
  const inputOffset = int8 ? -P[Rec.IN_ZP] : 0, outZp = int8 ? P[Rec.OUT_ZP] : 0;
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], I = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], O = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], sH = P[Rec.S_H], sW = P[Rec.S_W];
  const padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
  const mAt = Rec.TABLES, sAt = Rec.TABLES + O;
  const filterStride = fH * fW * I, total = P[Rec.TOTAL];
  // Accumulators start from the bias (int8: int32 sums wrap alike whenever the bias is added).
  if (total > 0) {
    const B = d.b, kind = P[Rec.BIAS];
    for (let c = 0; c < O; c++) A[c] = biasAt(B, 0, kind, c);
    for (let filled = O; filled < total; filled *= 2) A.copyWithin(filled, 0, filled < total - filled ? filled : total - filled);
  }
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
            const xEnd = xi + I, xEnd4 = xi + (I & ~3);
            // Products four at a time (integer sums: exact in any order); without an input offset
            // (16x8, or an int8 zero point of 0) the add is left out.
            if (inputOffset === 0) {
              for (let oc = 0; oc < O; oc++) {
                let sum = 0, k = xi, w = wi;
                while (k < xEnd4) {
                  sum += X[k] * F[w] + X[k + 1] * F[w + 1] + X[k + 2] * F[w + 2] + X[k + 3] * F[w + 3];
                  k += 4;
                  w += 4;
                }
                while (k < xEnd) sum += X[k++] * F[w++];
                A[outBase + oc] += sum;
                wi += filterStride;
              }
            } else {
              for (let oc = 0; oc < O; oc++) {
                let sum = 0, k = xi, w = wi;
                while (k < xEnd4) {
                  sum += (X[k] + inputOffset) * F[w] + (X[k + 1] + inputOffset) * F[w + 1] +
                    (X[k + 2] + inputOffset) * F[w + 2] + (X[k + 3] + inputOffset) * F[w + 3];
                  k += 4;
                  w += 4;
                }
                while (k < xEnd) sum += (X[k++] + inputOffset) * F[w++];
                A[outBase + oc] += sum;
                wi += filterStride;
              }
            }
          }
        }
        xi += I;
      }
    }
  }
  let at = 0;
  while (at < total) {
    for (let oc = 0; oc < O; oc++) {
      let r: number;
      if (int8) r = multiplyByQuantizedMultiplier(A[at], P[mAt + oc], P[sAt + oc]) + outZp;
      else r = multiplyByQuantizedMultiplier64(A[at], P[mAt + oc], P[sAt + oc]);
      Y[at++] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
  }
}

function evalFloat(d: TransposeConvData): void {
  const P = d.p, F = d.w, X = d.x, Y = d.y;
  const B = d.b, lo = d.floatMin, hi = d.floatMax, fround = Math.fround;
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], I = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], O = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], sH = P[Rec.S_H], sW = P[Rec.S_W];
  const padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
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
  // The bias is float32 (checkConvTypes); without one the sums are only clamped.
  const total = P[Rec.TOTAL];
  let at = 0;
  if (B !== null) {
    while (at < total) {
      for (let oc = 0; oc < O; oc++) {
        const v = fround(Y[at] + B[oc]);
        Y[at++] = v < lo ? lo : hi < v ? hi : v;
      }
    }
  } else {
    while (at < total) {
      const v = Y[at];
      Y[at++] = v < lo ? lo : hi < v ? hi : v;
    }
  }
}

export const TRANSPOSE_CONV: Kernel<TransposeConvData> = Object.freeze<Kernel<TransposeConvData>>({
  code: 67,
  name: 'TRANSPOSE_CONV',
  options: 'TransposeConvOptions',
  types: Object.freeze(['float32', 'int8', 'int16x8']),
  prepare,
  eval: evalTransposeConv,
});
