// CONV_2D (TFLM conv.cc, conv_common.cc; reference conv.h and integer_ops/conv.h): float32,
// int8 with per-channel int8 weights, and 16x8 (int16 activations, int8 weights, int32 or
// int64 bias). Grouped convolution (input depth a multiple of the filter's) as in the reference.
//
// The int8 path is the one XS spends its time in. Two things make it cheap there:
//  - The input zero point leaves the inner loop: sum(w * (x - zp)) = sum(w * x) - zp * sum(w),
//    with zp * sum(w) folded into the bias once. Window positions in the padding must then add
//    nothing, so each output position's window is gathered (im2col) with padding filled by zp,
//    which makes w * (zp - zp) = 0 there too. 1x1 filters without padding read the input in place.
//  - One multiply does the work of two: with the weights read in place (the default), two
//    output positions' inputs share a number and positions go four, six or eight at a time, so
//    one weight read feeds them all (internal/quad-dot.ts); for fewer than four positions and
//    within the interpreter's weight cache, two output channels' weights share a number instead
//    (internal/packed-dot.ts). Both for ungrouped filters and windows whose sums fit.
import type { Kernel, Node, PrepareContext, Scratch } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  biasValues, checkConvTypes, constantBias, constantData, convOperands, convRange, FAST_REQUANT_LIMIT, type ConvShape,
} from './internal/conv-params.js';
import { checkedPadding } from './internal/padding.js';
import { fieldFor, fieldsStart, groupSize, MAX_PACKED_TERMS, maxAbs, packedArray, packedDot, packedLength, paddedPairs, packWeights } from './internal/packed-dot.js';
import { accumulatorsBounded, octetDot, quadDot, requantizePair, requantizeQuad, sextetDot } from './internal/quad-dot.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './internal/quantization.js';

const enum Path {
  FLOAT = 0,
  INT8 = 1,
  INT8_PACKED = 2,
  INT16_ACC64 = 3,
  INT16_ACC32 = 4,
  /** int8, weights read in place, four, six or eight output positions at a time (internal/quad-dot.ts). */
  INT8_QUAD = 5,
}

export interface Conv2DData extends ConvShape {
  path: Path;
  filterDepth: number;
  filtersPerGroup: number;
  dilationHeight: number;
  dilationWidth: number;
  hasBias: boolean;
  // Packed int8 path:
  /** Window length: filter height * width * depth. */
  windowSize: number;
  /** The input is read in place (1x1 filter) instead of gathered into `patch`. */
  direct: boolean;
  /** Packed weights (internal/packed-dot.ts), their field weight, and the pairs' sums of one position. */
  packed: Int32Array | Float64Array;
  field: number;
  sums: Float64Array;
  /** Per channel: bias - zp * sum(w) - 2^25 (the field offset). */
  offsets: Float64Array;
  weightsConstant: boolean;
  patch: Scratch | null;
  /** In-place path: channel sums of the position pairs (the third and fourth for six and eight positions). */
  sumsA: Float64Array;
  sumsB: Float64Array;
  sumsE: Float64Array;
  sumsG: Float64Array;
  /** Positions taken at a time (positionGroup). */
  group: number;
  /** requantizeQuad's quick case holds (constant weights and bias). */
  quick: boolean;
}

function prepare(ctx: PrepareContext, node: Node): Conv2DData {
  const operands = convOperands(ctx, node, false);
  const { input, filter, bias, output, strideHeight, strideWidth, dilationHeight, dilationWidth } = operands;
  checkConvTypes(ctx, operands, 'conv', 'filter', [TensorType.INT32, TensorType.INT64]);
  const inType = input.type;
  let path = inType === TensorType.FLOAT32 ? Path.FLOAT : inType === TensorType.INT8 ? Path.INT8
    : (bias ? bias.type === TensorType.INT32 : node.options.quantizedBiasType === TensorType.INT32) ? Path.INT16_ACC32 : Path.INT16_ACC64;

  const batches = input.dim(0), inputHeight = input.dim(1), inputWidth = input.dim(2), inputDepth = input.dim(3);
  const outputDepth = filter.dim(0), filterHeight = filter.dim(1), filterWidth = filter.dim(2), filterDepth = filter.dim(3);
  if (output.dim(0) !== batches) ctx.fail(`output batches ${output.dim(0)} differ from input batches ${batches}`);
  if (output.dim(3) !== outputDepth) ctx.fail(`output depth ${output.dim(3)} differs from the filter's ${outputDepth} output channels`);
  if (filterDepth <= 0 || inputDepth % filterDepth !== 0) ctx.fail(`input depth ${inputDepth} is not a multiple of filter depth ${filterDepth}`);
  const groups = inputDepth / filterDepth;
  if (outputDepth % groups !== 0) ctx.fail(`${outputDepth} output channels do not split into ${groups} groups`);
  if (bias && bias.elementCount !== outputDepth) ctx.fail(`bias has ${bias.elementCount} values for ${outputDepth} output channels`);
  const pad = checkedPadding(ctx, output, strideHeight, strideWidth, dilationHeight, dilationWidth,
    inputHeight, inputWidth, filterHeight, filterWidth, operands.padding);
  const { floatMin, floatMax, quant } = convRange(ctx, operands, outputDepth, 0);

  const windowSize = filterHeight * filterWidth * filterDepth;
  let field = 0;
  if (path === Path.INT8 && groups === 1 && windowSize <= MAX_PACKED_TERMS) {
    field = fieldFor(windowSize, filter.isConstant ? maxAbs(constantData(filter)) : 128);
    // The packed copy is RAM outside the arena: only within the interpreter's weightCacheBytes,
    // and only asked for where it pays: the in-place path, taking positions four or more at a
    // time, is the faster one unless there are fewer than four.
    const positions = batches * pad.outHeight * pad.outWidth;
    if (field && positions < 4 && ctx.reserveWeightCache(packedArray(field, 0).BYTES_PER_ELEMENT * packedLength(outputDepth, 1, windowSize))) {
      path = Path.INT8_PACKED;
    } else if (field) {
      path = Path.INT8_QUAD;
    }
  }
  const direct = filterHeight === 1 && filterWidth === 1 && pad.height === 0 && pad.width === 0;
  const data: Conv2DData = {
    path, batches, inputHeight, inputWidth, inputDepth,
    outputHeight: pad.outHeight, outputWidth: pad.outWidth, outputDepth,
    filterHeight, filterWidth, filterDepth, filtersPerGroup: outputDepth / groups,
    strideHeight, strideWidth, dilationHeight, dilationWidth, padHeight: pad.height, padWidth: pad.width,
    floatMin, floatMax, quant,
    inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint,
    hasBias: bias !== null,
    bias: constantBias(bias, outputDepth),
    biasConstant: bias === null || bias.isConstant,
    windowSize, direct,
    packed: packedArray(field, path === Path.INT8_PACKED ? packedLength(outputDepth, 1, windowSize) : 0),
    field,
    sums: new Float64Array(path === Path.INT8_PACKED ? paddedPairs(outputDepth) : 0),
    offsets: new Float64Array(path === Path.INT8_PACKED || path === Path.INT8_QUAD ? outputDepth + 1 : 0),
    weightsConstant: filter.isConstant,
    patch: path === Path.INT8_PACKED && !direct ? ctx.requestScratch(TensorType.INT8, windowSize)
      : path === Path.INT8_QUAD && !direct ? ctx.requestScratch(TensorType.INT8, positionGroup(windowSize, batches * pad.outHeight * pad.outWidth) * windowSize) : null,
    sumsA: new Float64Array(path === Path.INT8_QUAD ? outputDepth : 0),
    sumsB: new Float64Array(path === Path.INT8_QUAD ? outputDepth : 0),
    sumsE: new Float64Array(path === Path.INT8_QUAD && windowSize >= 16 ? outputDepth : 0),
    sumsG: new Float64Array(path === Path.INT8_QUAD && windowSize >= 16 ? outputDepth : 0),
    group: positionGroup(windowSize, batches * pad.outHeight * pad.outWidth),
    quick: false,
  };
  if ((path === Path.INT8_PACKED || path === Path.INT8_QUAD) && filter.isConstant && data.biasConstant) {
    pack(data, constantData(filter));
    data.quick = quant!.fast && quant!.outputMin === output.zeroPoint &&
      accumulatorsBounded(constantData(filter), data.bias, outputDepth, windowSize, windowSize, 1, input.zeroPoint);
  }
  return data;
}

/**
 * Folds bias, zero point and field offsets into `offsets` and, on the packed path, packs
 * channel pairs' weights.
 */
function pack(data: Conv2DData, weights: TensorData): void {
  const windowSize = data.windowSize, outputDepth = data.outputDepth;
  const offsets = data.offsets, bias = data.bias, zeroPoint = data.inputZeroPoint;
  if (data.path === Path.INT8_PACKED) packWeights(outputDepth, 1, windowSize, weights, 0, windowSize, 0, 1, data.field, data.packed, 0);
  for (let c = 0; c < outputDepth; c++) {
    let sum = 0;
    for (let k = 0; k < windowSize; k++) sum += weights[c * windowSize + k];
    offsets[c] = bias[c] - zeroPoint * sum - data.field / 2;
  }
}

function refresh(node: Node, data: Conv2DData): void {
  const bias = node.inputs.length === 3 ? node.inputs[2] : null;
  if (bias && !data.biasConstant) biasValues(bias, bias.data, data.bias);
  if (data.path === Path.INT8_PACKED || data.path === Path.INT8_QUAD) pack(data, (node.inputs[1] as Tensor).data);
}

function evalConv(node: Node, data: Conv2DData): void {
  if (!data.biasConstant || !data.weightsConstant) refresh(node, data);
  switch (data.path) {
    case Path.INT8_QUAD: evalInt8Quad(node, data); break;
    case Path.INT8_PACKED: evalInt8Packed(node, data); break;
    case Path.FLOAT: evalFloat(node, data); break;
    default: evalQuantized(node, data); break;
  }
}

/**
 * int8 with the weights read in place: output positions four, six or eight at a time
 * (internal/quad-dot.ts), read in place for 1x1 filters without padding, else gathered with the
 * zero point in the padding (which adds nothing once zp * sum(w) is folded into the offsets).
 */
function evalInt8Quad(node: Node, d: Conv2DData): void {
  const X = (node.inputs[0] as Tensor).data, Wt = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, inD = d.inputDepth;
  const outH = d.outputHeight, outW = d.outputWidth, outD = d.outputDepth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const dH = d.dilationHeight, dW = d.dilationWidth, padH = d.padHeight, padW = d.padWidth;
  const K = d.windowSize, direct = d.direct, zp = d.inputZeroPoint;
  const field = d.field, start = fieldsStart(field), SA = d.sumsA, SB = d.sumsB, SE = d.sumsE, SG = d.sumsG;
  const q = d.quant!, quick = d.quick, offsets = d.offsets, outZp = d.outputZeroPoint;
  const group = d.group;
  const P = d.patch !== null ? d.patch.data : X;
  const S = direct ? X : P;
  const rowRun = fW * inD;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, n = 0, outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let base = 0;
        if (direct) {
          base = ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          // Gather the window into slot n; positions in the padding hold the zero point.
          let pi = n * K;
          base = pi;
          const rowInside = ix0 >= 0 && ix0 + (fW - 1) * dW < inW && dW === 1;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) {
              const end = pi + rowRun;
              while (pi < end) P[pi++] = zp;
              continue;
            }
            const rowBase = (b * inH + iy) * inW;
            if (rowInside) {
              let s = (rowBase + ix0) * inD;
              const end = pi + rowRun;
              while (pi < end) P[pi++] = X[s++];
              continue;
            }
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              const end = pi + inD;
              if (ix < 0 || ix >= inW) {
                while (pi < end) P[pi++] = zp;
              } else {
                let s = (rowBase + ix) * inD;
                while (pi < end) P[pi++] = X[s++];
              }
            }
          }
        }
        if (n === 0) a0 = base;
        else if (n === 1) a1 = base;
        else if (n === 2) a2 = base;
        else if (n === 3) a3 = base;
        else if (n === 4) a4 = base;
        else if (n === 5) a5 = base;
        else if (n === 6) a6 = base;
        else a7 = base;
        if (++n === group) {
          if (group === 8) {
            octetDot(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, outD, SA, SB, SE, SG, start, field);
            requantizePair(q, quick, offsets, field, outD, outZp, SA, Y, outIndex, 2);
            requantizePair(q, quick, offsets, field, outD, outZp, SB, Y, outIndex + 2 * outD, 2);
            requantizePair(q, quick, offsets, field, outD, outZp, SE, Y, outIndex + 4 * outD, 2);
            requantizePair(q, quick, offsets, field, outD, outZp, SG, Y, outIndex + 6 * outD, 2);
          } else if (group === 6) {
            sextetDot(S, a0, a1, a2, a3, a4, a5, K, Wt, outD, SA, SB, SE, start, field);
            requantizePair(q, quick, offsets, field, outD, outZp, SA, Y, outIndex, 2);
            requantizePair(q, quick, offsets, field, outD, outZp, SB, Y, outIndex + 2 * outD, 2);
            requantizePair(q, quick, offsets, field, outD, outZp, SE, Y, outIndex + 4 * outD, 2);
          } else {
            quadDot(S, a0, a1, a2, a3, K, Wt, outD, SA, SB, start, field);
            requantizeQuad(q, quick, offsets, field, outD, outZp, SA, SB, Y, outIndex, 4);
          }
          outIndex += group * outD;
          n = 0;
        }
      }
    }
  }
  // The last positions: missing ones repeat the first and are not stored.
  if (n > 4) {
    if (n < 6) a5 = a0;
    if (n < 7) a6 = a0;
    a7 = a0;
    if (group === 8) octetDot(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, outD, SA, SB, SE, SG, start, field);
    else sextetDot(S, a0, a1, a2, a3, a4, a5, K, Wt, outD, SA, SB, SE, start, field);
    requantizePair(q, quick, offsets, field, outD, outZp, SA, Y, outIndex, 2);
    requantizePair(q, quick, offsets, field, outD, outZp, SB, Y, outIndex + 2 * outD, 2);
    requantizePair(q, quick, offsets, field, outD, outZp, SE, Y, outIndex + 4 * outD, n > 5 ? 2 : 1);
    if (n > 6) requantizePair(q, quick, offsets, field, outD, outZp, SG, Y, outIndex + 6 * outD, 1);
  } else if (n > 0) {
    if (n < 2) a1 = a0;
    if (n < 3) a2 = a0;
    if (n < 4) a3 = a0;
    quadDot(S, a0, a1, a2, a3, K, Wt, outD, SA, SB, start, field);
    requantizeQuad(q, quick, offsets, field, outD, outZp, SA, SB, Y, outIndex, n);
  }
}

/**
 * Positions taken at a time on the in-place path: four for windows under 16 values, else six
 * or eight, whichever leaves the cheaper leftovers (a rough count of bytecodes per 16 values:
 * 270 for four positions, 344 for six, 418 for eight).
 */
function leftoverCost(left: number, whole: number): number {
  return left === 0 ? 0 : left <= 4 ? 270 : whole;
}

function positionGroup(windowSize: number, positions: number): number {
  if (windowSize < 16) return 4;
  const eights = Math.floor(positions / 8) * 418 + leftoverCost(positions % 8, 418);
  const sixes = Math.floor(positions / 6) * 344 + leftoverCost(positions % 6, 344);
  return sixes < eights ? 6 : 8;
}

function evalInt8Packed(node: Node, d: Conv2DData): void {
  const X = (node.inputs[0] as Tensor).data, Y = node.outputs[0].data;
  const W = d.packed, offsets = d.offsets;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, SC = q.scaled, AP = q.addPositive, AN = q.addNegative;
  const lim = q.fast ? FAST_REQUANT_LIMIT : 0;
  const outMin = q.outputMin, outMax = q.outputMax, outZp = d.outputZeroPoint, zp = d.inputZeroPoint;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, inD = d.inputDepth;
  const outH = d.outputHeight, outW = d.outputWidth, outD = d.outputDepth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const dH = d.dilationHeight, dW = d.dilationWidth, padH = d.padHeight, padW = d.padWidth;
  const K = d.windowSize, direct = d.direct, sums = d.sums;
  const pairs = (outD + 1) >> 1, paddedPairCount = sums.length, group = groupSize(outD);
  const field = d.field, start = fieldsStart(field);
  const P = d.patch !== null ? d.patch.data : X;
  const rowRun = fW * inD;
  let outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let S0: TensorData = P, base = 0;
        if (direct) {
          S0 = X;
          base = ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          // Gather the window; positions in the padding hold the zero point.
          let pi = 0;
          const rowInside = ix0 >= 0 && ix0 + (fW - 1) * dW < inW && dW === 1;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) {
              const end = pi + rowRun;
              while (pi < end) P[pi++] = zp;
              continue;
            }
            const rowBase = (b * inH + iy) * inW;
            if (rowInside) {
              let s = (rowBase + ix0) * inD;
              const end = pi + rowRun;
              while (pi < end) P[pi++] = X[s++];
              continue;
            }
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              const end = pi + inD;
              if (ix < 0 || ix >= inW) {
                while (pi < end) P[pi++] = zp;
              } else {
                let s = (rowBase + ix) * inD;
                while (pi < end) P[pi++] = X[s++];
              }
            }
          }
        }
        packedDot(S0, base, 1, K, K, W, 0, sums, paddedPairCount, group, start);
        for (let pair = 0, c = 0; pair < pairs; pair++, c += 2) {
          const T = sums[pair];
          const high = (T / field) | 0;
          // Channel c: the low field.
          let acc = T - high * field + offsets[c];
          let r: number;
          if (acc >= 0) r = acc < lim ? (acc * SC[c] + AP[c]) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]);
          else r = acc > -lim ? -((AN[c] - acc * SC[c]) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]);
          r += outZp;
          Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          if (c + 1 === outD) break;
          // Channel c + 1: the high field.
          const c1 = c + 1;
          acc = high + offsets[c1];
          if (acc >= 0) r = acc < lim ? (acc * SC[c1] + AP[c1]) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c1], S[c1]);
          else r = acc > -lim ? -((AN[c1] - acc * SC[c1]) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c1], S[c1]);
          r += outZp;
          Y[outIndex + c1] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        outIndex += outD;
      }
    }
  }
}

/** int8 (grouped or very long windows) and 16x8, following the reference loops. */
function evalQuantized(node: Node, d: Conv2DData): void {
  const X = (node.inputs[0] as Tensor).data, F = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, outMin = q.outputMin, outMax = q.outputMax;
  const bias = d.bias, path = d.path;
  // The 16x8 reference ignores zero points (they are 0 for int16).
  const inputOffset = path === Path.INT8 ? -d.inputZeroPoint : 0;
  const outZp = path === Path.INT8 ? d.outputZeroPoint : 0;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, inD = d.inputDepth;
  const outH = d.outputHeight, outW = d.outputWidth, outD = d.outputDepth;
  const fH = d.filterHeight, fW = d.filterWidth, fD = d.filterDepth, perGroup = d.filtersPerGroup;
  const sH = d.strideHeight, sW = d.strideWidth, dH = d.dilationHeight, dW = d.dilationWidth;
  const padH = d.padHeight, padW = d.padWidth;
  let outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let c = 0; c < outD; c++) {
          const groupStart = ((c / perGroup) | 0) * fD;
          let acc = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              if (ix < 0 || ix >= inW) continue;
              let xi = ((b * inH + iy) * inW + ix) * inD + groupStart;
              let wi = ((c * fH + fy) * fW + fx) * fD;
              const wEnd = wi + fD;
              while (wi < wEnd) acc += F[wi++] * (X[xi++] + inputOffset);
            }
          }
          acc += bias[c];
          let r: number;
          if (path === Path.INT16_ACC64) r = multiplyByQuantizedMultiplier64(acc, M[c], S[c]);
          else r = multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]) + outZp;
          Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        outIndex += outD;
      }
    }
  }
}

function evalFloat(node: Node, d: Conv2DData): void {
  const X = (node.inputs[0] as Tensor).data, F = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const bias = d.bias, lo = d.floatMin, hi = d.floatMax, fround = Math.fround;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, inD = d.inputDepth;
  const outH = d.outputHeight, outW = d.outputWidth, outD = d.outputDepth;
  const fH = d.filterHeight, fW = d.filterWidth, fD = d.filterDepth, perGroup = d.filtersPerGroup;
  const sH = d.strideHeight, sW = d.strideWidth, dH = d.dilationHeight, dW = d.dilationWidth;
  const padH = d.padHeight, padW = d.padWidth;
  let outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let c = 0; c < outD; c++) {
          const groupStart = ((c / perGroup) | 0) * fD;
          // float accumulation, rounded at every step as C++ does.
          let total = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              if (ix < 0 || ix >= inW) continue;
              let xi = ((b * inH + iy) * inW + ix) * inD + groupStart;
              let wi = ((c * fH + fy) * fW + fx) * fD;
              const wEnd = wi + fD;
              while (wi < wEnd) total = fround(total + fround(X[xi++] * F[wi++]));
            }
          }
          const v = fround(total + bias[c]);
          Y[outIndex + c] = v < lo ? lo : hi < v ? hi : v;
        }
        outIndex += outD;
      }
    }
  }
}

export const CONV_2D: Kernel<Conv2DData> = {
  code: 3,
  name: 'CONV_2D',
  options: 'Conv2DOptions',
  types: ['float32', 'int8', 'int16x8'],
  prepare,
  eval: evalConv,
};
