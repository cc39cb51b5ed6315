// CONV_2D (TFLM conv.cc, conv_common.cc; reference conv.h and integer_ops/conv.h): float32,
// int8 with per-channel int8 weights, and 16x8 (int16 activations, int8 weights, int32 or
// int64 bias). Grouped convolution (input depth a multiple of the filter's) as in the reference.
//
// This file is glue: prepare validates, chooses the path (internal/conv-path.ts), and lays the
// op data out in the arena (internal/conv-record.ts); each path's loops live in their own module:
//  - int8, weights read in place, positions four to eight at a time: internal/conv-int8-quad.ts
//  - int8, channel pairs' weights packed (weight cache only): internal/conv-int8-packed.ts
//  - float32 and 16x8 ungrouped, positions four or eight at a time: internal/conv-float-window.ts,
//    internal/conv-int16-window.ts
//  - grouped float32, int8 and 16x8, the reference loops: internal/conv-reference.ts
//  - int8 and 16x8 where the engine has E.convolve (Espruino): internal/conv-convolve.ts
// The int8 fast paths take the input zero point out of the inner loop:
// sum(w * (x - zp)) = sum(w * x) - zp * sum(w), with zp * sum(w) folded into the bias once
// (the record's int32 offsets); windows are gathered with the zero point in the padding, so
// padding adds nothing there either.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { channelQuantization, checkConvTypes, constantData, convOperands, floatBounds, FAST_REQUANT_LIMIT } from './internal/conv-params.js';
import { refuseHybrid } from './internal/ops-hybrid.js';
import { evalInt8Packed, packConvWeights, packedSums } from './internal/conv-int8-packed.js';
import { evalInt8Quad } from './internal/conv-int8-quad.js';
import { evalConvolve } from './internal/conv-convolve.js';
import { convolvePrimitive, weightRows } from './internal/convolve.js';
import { evalFloatWindow } from './internal/conv-float-window.js';
import { evalInt16Window } from './internal/conv-int16-window.js';
import { ConvPath, chooseConvPath, positionGroup, referencePath, wantsPackedWeights, windowGroup, type ConvPathShape } from './internal/conv-path.js';
import { BiasKind, biasAt, foldOffsets, Rec, recordLength, shiftAt, viewIndex, viewList, type ConvData } from './internal/conv-record.js';
import { indexIn, wholeView } from './internal/shared-views.js';
import { evalFloat, evalQuantized } from './internal/conv-reference.js';
import { checkedPadding } from './internal/padding.js';
import { fieldFor, MAX_PACKED_TERMS, maxAbs, packedBytes, packedLength, packedType } from './internal/packed-dot.js';

export type { ConvData as Conv2DData } from './internal/conv-record.js';

const INT32_LIMIT = 2147483648;

function prepare(ctx: PrepareContext, node: Node): ConvData {
  const operands = convOperands(ctx, node, false);
  const { input, filter, bias, output, strideHeight, strideWidth, dilationHeight, dilationWidth } = operands;
  refuseHybrid(ctx, input, filter, 'filter');
  checkConvTypes(ctx, operands, 'conv', 'filter', [TensorType.INT32, TensorType.INT64]);
  const inType = input.type;
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
  if (inType === TensorType.FLOAT32) floatBounds(ctx, operands.activation);

  const windowSize = filterHeight * filterWidth * filterDepth;
  const positions = batches * pad.outHeight * pad.outWidth;
  const biasKind = bias === null ? BiasKind.NONE : bias.type === TensorType.INT64 ? BiasKind.INT64 : BiasKind.PLAIN;
  const isStatic = filter.isConstant && (bias === null || bias.isConstant);
  const zp = input.zeroPoint;
  const convolve = convolvePrimitive();
  const shape: ConvPathShape = {
    inputType: inType,
    biasType: bias ? bias.type : node.options.quantizedBiasType as number,
    groups, windowSize, positions,
    field: inType === TensorType.INT8 && groups === 1 && windowSize <= MAX_PACKED_TERMS
      ? fieldFor(windowSize, filter.isConstant ? maxAbs(constantData(filter)) : 128) : 0,
    offsetsFit: !isStatic || inType !== TensorType.INT8 ||
      offsetsFit(constantData(filter), bias ? constantData(bias) : null, biasKind, outputDepth, windowSize, zp),
    convolve: convolve !== null,
    weightsFinite: inType === TensorType.FLOAT32 && filter.isConstant && allFinite(constantData(filter)),
  };
  const granted = wantsPackedWeights(shape) &&
    ctx.reserveWeightCache(packedBytes(shape.field) * packedLength(outputDepth, 1, windowSize));
  const path = chooseConvPath(shape, granted);
  const quad = path === ConvPath.INT8_QUAD, packed = path === ConvPath.INT8_PACKED, fastInt8 = quad || packed;
  const direct = filterHeight === 1 && filterWidth === 1 && pad.height === 0 && pad.width === 0;
  const convolved = path === ConvPath.CONVOLVE;
  // CONVOLVE keeps the arithmetic of the reference path it replaces.
  const reference = convolved ? referencePath(shape) : 0;
  const isFloat = inType === TensorType.FLOAT32;
  const window = path === ConvPath.FLOAT_WINDOW || path === ConvPath.INT16_WINDOW_ACC32 || path === ConvPath.INT16_WINDOW_ACC64;
  const group = quad ? positionGroup(windowSize, positions) : window ? windowGroup(positions, direct ? 0 : windowSize * (isFloat ? 4 : 2)) : 0;

  // Arena: the record, then the packed weights (persistent); the sums, then the patch (scratch).
  // The window paths' patch is of the input's type, viewed through VK (PATCH its element index).
  const record = ctx.persistent(TensorType.INT32, isFloat ? Rec.TABLES : recordLength(outputDepth)) as Int32Array;
  const packedWeights = packed ? ctx.persistent(packedType(shape.field), packedLength(outputDepth, 1, windowSize)) as Int32Array | Float64Array : null;
  const sums = quad ? (group >> 1) * outputDepth : packed ? packedSums(outputDepth) : window ? group * outputDepth : 0;
  const sumsView = sums > 0 ? ctx.scratch(TensorType.FLOAT64, sums) as Float64Array : null;
  const patch = fastInt8 && !direct ? ctx.scratch(TensorType.INT8, quad ? group * windowSize : windowSize) as Int8Array : null;
  const convolveWindow = convolved ? ctx.scratch(inType, windowSize) : null;
  const windowPatch = window && !direct ? ctx.scratch(inType, group * windowSize) : null;

  // Everything is an index into views shared by the interpreter's CONV_2D operators (conv-record.ts).
  const P = wholeView(ctx, record), r = indexIn(record);
  const bytes = new Int8Array(record.buffer, record.byteOffset, record.length * 4);
  const E = wholeView(ctx, bytes), shifts = record.byteOffset + 4 * shiftAt(outputDepth);
  const VX = viewIndex(ctx, input.data, 0), VW = viewIndex(ctx, filter.data, 0), VY = viewIndex(ctx, output.data, 0);
  const VB = bias ? viewIndex(ctx, bias.data, 0) : VX, VI8 = viewIndex(ctx, bytes, 0);
  const VK = packedWeights ? viewIndex(ctx, packedWeights, 0) : windowPatch ? viewIndex(ctx, windowPatch, 0) : VX;
  const VD0 = sumsView ? viewIndex(ctx, sumsView, 0) : VX;
  const VD1 = sumsView && quad ? viewIndex(ctx, sumsView, outputDepth) : VD0;
  const VD2 = sumsView && quad && group > 4 ? viewIndex(ctx, sumsView, 2 * outputDepth) : VD0;
  const VD3 = sumsView && quad && group > 6 ? viewIndex(ctx, sumsView, 3 * outputDepth) : VD0;

  let fast = true, outputMin = 0, outputMax = 0;
  if (inType !== TensorType.FLOAT32) {
    const bounds = channelQuantization(ctx, input, filter, output, outputDepth, 0, operands.activation, (c, multiplier, shift) => {
      // The shift is kept as a byte (negated: the right shift the fast form indexes its tables by).
      if (shift > 127) ctx.fail(`channel ${c}: effective scale is too large (shift ${shift})`);
      if (shift > 0 || shift < -20) fast = false;
      P[r + Rec.TABLES + c] = multiplier;
      E[shifts + c] = -shift;
    });
    outputMin = bounds[0];
    outputMax = bounds[1];
  }
  const quick = (fastInt8 || convolved && inType === TensorType.INT8) && isStatic && fast && outputMin === output.zeroPoint &&
    accumulatorsBounded(constantData(filter), bias ? constantData(bias) : null, outputDepth, windowSize, zp);

  if (!ctx.sizing) {
    const fields = [
      path, batches, inputHeight, inputWidth, inputDepth, pad.outHeight, pad.outWidth, outputDepth,
      filterHeight, filterWidth, filterDepth, outputDepth / groups, strideHeight, strideWidth, dilationHeight, dilationWidth,
      pad.height, pad.width, windowSize, direct ? 1 : 0, fastInt8 ? shape.field : reference, group, quick ? 1 : 0, fast ? 1 : 0,
      outputMin, outputMax, zp, output.zeroPoint, biasKind, isStatic ? 1 : 0, operands.activation,
      indexIn(input.data), indexIn(filter.data), bias ? indexIn(bias.data) : 0, indexIn(output.data),
      sumsView ? indexIn(sumsView) : 0, patch ? patch.byteOffset : windowPatch ? indexIn(windowPatch) : 0, packedWeights ? indexIn(packedWeights) : 0, shifts,
      VX, VW, VB, VY, VI8, VK, VD0, VD1, VD2, VD3,
    ];
    for (let i = 0; i < Rec.TABLES; i++) P[r + i] = fields[i];
    if (convolved && inType === TensorType.INT8 && isStatic) foldOffsets(P, r, constantData(filter), 0, bias ? constantData(bias) : null, 0, 0);
    if (fastInt8 && isStatic) {
      foldOffsets(P, r, constantData(filter), 0, bias ? constantData(bias) : null, 0, shape.field / 2);
      if (packed) packConvWeights(P, r, constantData(filter), 0, packedWeights!, 0);
    }
  }
  const data: ConvData = { p: P, r, v: viewList(ctx) };
  if (convolved && !ctx.sizing) {
    data.f = convolve!;
    data.k = weightRows(filter.data, 0, windowSize, outputDepth);
    data.q = convolveWindow!;
  }
  return data;
}

/** No infinity or NaN among the values. */
function allFinite(values: TensorData): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * Whether every channel's bias - zp * sum(w) fits int32 (the fast paths' condition).
 */
function offsetsFit(weights: TensorData, biasData: TensorData | null, kind: number, channels: number, K: number, zp: number): boolean {
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = c * K, end = k + K; k < end; k++) sum += weights[k];
    const off = biasAt(biasData, 0, kind, c) - zp * sum;
    if (!(off >= -INT32_LIMIT && off < INT32_LIMIT)) return false;
  }
  return true;
}

/**
 * True when every accumulator, bias + sum(w * (x - zp)) over int8 x, stays below
 * FAST_REQUANT_LIMIT in magnitude, so the inlined requantization needs no range check.
 */
function accumulatorsBounded(weights: TensorData, biasData: TensorData | null, channels: number, K: number, zp: number): boolean {
  const spread = Math.max(127 - zp, zp + 128);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = c * K, end = k + K; k < end; k++) {
      const w = weights[k];
      sum += w < 0 ? -w : w;
    }
    const b = biasData !== null ? biasData[c] : 0;
    if (sum * spread + Math.abs(b) >= FAST_REQUANT_LIMIT) return false;
  }
  return true;
}

function evalConv(d: ConvData): void {
  switch (d.p[d.r + Rec.PATH]) {
    case ConvPath.INT8_QUAD: evalInt8Quad(d); break;
    case ConvPath.INT8_PACKED: evalInt8Packed(d); break;
    case ConvPath.FLOAT_WINDOW: evalFloatWindow(d); break;
    case ConvPath.INT16_WINDOW_ACC32: case ConvPath.INT16_WINDOW_ACC64: evalInt16Window(d); break;
    case ConvPath.FLOAT: evalFloat(d); break;
    case ConvPath.CONVOLVE: evalConvolve(d); break;
    default: evalQuantized(d); break;
  }
}

export const CONV_2D: Kernel<ConvData> = Object.freeze<Kernel<ConvData>>({
  code: 3,
  name: 'CONV_2D',
  options: 'Conv2DOptions',
  types: Object.freeze(['float32', 'int8', 'int16x8']),
  prepare,
  eval: evalConv,
});
