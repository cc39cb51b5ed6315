// DEPTHWISE_CONV_2D (TFLM depthwise_conv.cc, depthwise_conv_common.cc; reference
// depthwiseconv_float.h and integer_ops/depthwise_conv.h): float32, int8 with per-channel int8
// weights, and 16x8 (int16 activations, int8 weights, int64 bias); any depth multiplier,
// stride, dilation and padding.
//
// int8 on XS: the zero point's share of the sum, zp * sum(w), is a per-channel constant folded
// into the bias, so inputs enter the sums as they are; taps in the padding then take the zero
// point (which adds nothing) or are left out with their zp * w given back. The paths, all
// reading the weights in place unless the interpreter grants a weight cache:
//  - 3x3 filters with no dilation across and stride 1 or 2 across (MobileNet's layers), when
//    weights and bias are constant and the activation's lower bound is the output zero point:
//    windows slide along each row in locals, channel by channel (evalInt8Slide);
//  - other 3x3 filters: a ring of three zero-point-bordered input rows, channel by channel;
//  - other filters with depth multiplier 2 or more: four output positions at a time as two
//    packed pairs (internal/quad-dot.ts), or, within the weight cache, channel pairs' weights
//    packed into one number (internal/packed-dot.ts);
//  - anything else loops over the window, positions at the border as the reference does.
import type { Kernel, Node, PrepareContext, Scratch } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  biasValues, checkConvTypes, constantBias, constantData, convOperands, convRange, FAST_REQUANT_LIMIT, type ConvShape,
} from './internal/conv-params.js';
import { checkedPadding } from './internal/padding.js';
import { fieldFor, fieldsStart, groupSize, MAX_PACKED_TERMS, maxAbs, packedArray, packedDot, packedLength, paddedPairs, packWeights } from './internal/packed-dot.js';
import { accumulatorsBounded, requantizeQuad } from './internal/quad-dot.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './internal/quantization.js';

const enum Path {
  FLOAT = 0,
  INT16 = 1,
  /** int8, window loops. */
  INT8 = 2,
  /** int8, 3x3 filter. */
  INT8_3X3 = 3,
  /** int8, depth multiplier >= 2, channel pairs packed. */
  INT8_PACKED = 4,
  /** int8, depth multiplier >= 2, weights in place, four output positions at a time. */
  INT8_QUAD = 5,
  /** int8, 3x3 filter, stride 1 or 2 across, no dilation across: windows slid along rows, in place. */
  INT8_SLIDE = 6,
}

export interface DepthwiseConv2DData extends ConvShape {
  path: Path;
  depthMultiplier: number;
  dilationHeight: number;
  dilationWidth: number;
  weightsConstant: boolean;
  // int8 paths:
  /**
   * 3x3 and row paths: a ring of ringRows padded input rows, ringWidth columns each (padding
   * columns at the zero point), so every window reads inside it; each input row is copied once.
   */
  ring: Scratch | null;
  ringRows: number;
  ringWidth: number;
  /** Output rows [top, bottom) and columns [left, right) whose windows lie inside the input. */
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Per output channel: bias - zp * sum(w), less 2^25 on the packed path. */
  offsets: Float64Array;
  /** Packed path: weights per input channel (internal/packed-dot.ts), pair sums, the gathered window. */
  packed: Int32Array | Float64Array;
  /** Field weight of the packed weights (internal/packed-dot.ts). */
  field: number;
  sums: Float64Array;
  /** Input depth 1 and window rows a multiple of 8 long: windows are read in place from the ring. */
  rowMode: boolean;
  patch: Scratch | null;
  /** Quad path: channel sums of the two position pairs; requantizeQuad's quick case holds. */
  sumsA: Float64Array;
  sumsB: Float64Array;
  quick: boolean;
  /** INT8_SLIDE: see slideSafe. */
  slideSafe: number;
}

function prepare(ctx: PrepareContext, node: Node): DepthwiseConv2DData {
  const operands = convOperands(ctx, node, false);
  const { input, filter, bias, output, strideHeight, strideWidth, dilationHeight, dilationWidth } = operands;
  // TFLM reads the 16x8 bias as int64 whatever its type.
  checkConvTypes(ctx, operands, 'depthwise conv', 'filter', [TensorType.INT64]);
  const inType = input.type;
  let path = inType === TensorType.FLOAT32 ? Path.FLOAT : inType === TensorType.INT8 ? Path.INT8 : Path.INT16;

  const batches = input.dim(0), inputHeight = input.dim(1), inputWidth = input.dim(2), inputDepth = input.dim(3);
  const filterHeight = filter.dim(1), filterWidth = filter.dim(2), outputDepth = filter.dim(3);
  if (filter.dim(0) !== 1) ctx.fail(`filter ${filter.describe()} must have 1 as its first dimension`);
  if (output.dim(0) !== batches) ctx.fail(`output batches ${output.dim(0)} differ from input batches ${batches}`);
  if (output.dim(3) !== outputDepth) ctx.fail(`output depth ${output.dim(3)} differs from the filter's ${outputDepth} channels`);
  if (inputDepth <= 0 || outputDepth % inputDepth !== 0) ctx.fail(`filter's ${outputDepth} channels are not a multiple of input depth ${inputDepth}`);
  const depthMultiplier = outputDepth / inputDepth;
  // TFLM takes the multiplier from the options; converters write it, but some leave it 0.
  const declared = node.options.depthMultiplier as number;
  if (declared !== 0 && declared !== depthMultiplier) {
    ctx.fail(`depth multiplier ${declared} does not match ${outputDepth} output channels over ${inputDepth} input channels`);
  }
  if (bias && bias.elementCount !== outputDepth) ctx.fail(`bias has ${bias.elementCount} values for ${outputDepth} output channels`);
  const pad = checkedPadding(ctx, output, strideHeight, strideWidth, dilationHeight, dilationWidth,
    inputHeight, inputWidth, filterHeight, filterWidth, operands.padding);
  const { floatMin, floatMax, quant } = convRange(ctx, operands, outputDepth, 3);

  const taps = filterHeight * filterWidth;
  let field = 0;
  if (path === Path.INT8) {
    if (depthMultiplier >= 2 && taps <= MAX_PACKED_TERMS && !(filterHeight === 3 && filterWidth === 3)) {
      field = fieldFor(taps, filter.isConstant ? maxAbs(constantData(filter)) : 128);
      // The packed copy is RAM outside the arena: only within the interpreter's weightCacheBytes.
      const packedBytes = packedArray(field, 0).BYTES_PER_ELEMENT * (inputDepth === 1 && dilationWidth === 1 && (filterWidth & 7) === 0
        ? packedLength(depthMultiplier, filterHeight, filterWidth) : inputDepth * packedLength(depthMultiplier, 1, taps));
      // Asked for only where it pays: the in-place path is the faster one when it can take
      // eight taps and eight channels at a time.
      const inPlaceFaster = filterWidth >= 8 && depthMultiplier % 8 === 0;
      if (field && !inPlaceFaster && ctx.reserveWeightCache(packedBytes)) path = Path.INT8_PACKED;
      else if (field) path = Path.INT8_QUAD;
    }
    if (path === Path.INT8 && filterHeight === 3 && filterWidth === 3) {
      path = dilationWidth === 1 && (strideWidth === 1 || strideWidth === 2) && filter.isConstant && (bias === null || bias.isConstant)
        ? Path.INT8_SLIDE : Path.INT8_3X3;
    }
  }
  const rows = insideRange(pad.outHeight, inputHeight, filterHeight, strideHeight, dilationHeight, pad.height);
  // The 3x3 and row paths' ring of padded rows: as many rows as a window spans, as many
  // columns as the windows reach.
  const ringRows = (filterHeight - 1) * dilationHeight + 1;
  const ringWidth = Math.max(inputWidth + pad.width, (pad.outWidth - 1) * strideWidth + (filterWidth - 1) * dilationWidth + 1);
  const cols = insideRange(pad.outWidth, inputWidth, filterWidth, strideWidth, dilationWidth, pad.width);
  const pairs = (depthMultiplier + 1) >> 1;
  const rowMode = path === Path.INT8_PACKED && inputDepth === 1 && dilationWidth === 1 && (filterWidth & 7) === 0;
  const data: DepthwiseConv2DData = {
    path, batches, inputHeight, inputWidth, inputDepth,
    outputHeight: pad.outHeight, outputWidth: pad.outWidth, outputDepth, depthMultiplier,
    filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth,
    padHeight: pad.height, padWidth: pad.width, floatMin, floatMax, quant,
    inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint,
    bias: constantBias(bias, outputDepth),
    biasConstant: bias === null || bias.isConstant,
    weightsConstant: filter.isConstant,
    ring: null, ringRows, ringWidth,
    top: rows[0], bottom: rows[1], left: cols[0], right: cols[1],
    offsets: new Float64Array(path >= Path.INT8 ? outputDepth + 1 : 0),
    field,
    packed: packedArray(field, path !== Path.INT8_PACKED ? 0
      : rowMode ? packedLength(depthMultiplier, filterHeight, filterWidth) : inputDepth * packedLength(depthMultiplier, 1, taps)),
    sums: new Float64Array(path === Path.INT8_PACKED ? paddedPairs(depthMultiplier) : 0),
    rowMode,
    patch: path === Path.INT8_PACKED && !rowMode ? ctx.requestScratch(TensorType.INT8, taps) : null,
    sumsA: new Float64Array(path === Path.INT8_QUAD ? outputDepth : 0),
    sumsB: new Float64Array(path === Path.INT8_QUAD ? outputDepth : 0),
    quick: false,
    slideSafe: slideSafe(pad.outWidth, inputWidth, strideWidth, pad.width),
  };
  if (path === Path.INT8_3X3) data.ring = ctx.requestScratch(TensorType.INT8, ringRows * ringWidth * inputDepth);
  if (rowMode) data.ring = ctx.requestScratch(TensorType.INT8, 2 * ringRows * ringWidth);
  if (path >= Path.INT8 && filter.isConstant && data.biasConstant) {
    fold(data, constantData(filter));
    data.quick = (path === Path.INT8_QUAD || path === Path.INT8_SLIDE) && quant!.fast && quant!.outputMin === output.zeroPoint &&
      accumulatorsBounded(constantData(filter), data.bias, outputDepth, taps, 1, outputDepth, input.zeroPoint);
  }
  if (path === Path.INT8_SLIDE && !data.quick) {
    // The sliding path inlines only the quick requantization.
    data.path = Path.INT8_3X3;
    data.ring = ctx.requestScratch(TensorType.INT8, ringRows * ringWidth * inputDepth);
  }
  return data;
}

/** Outputs [first, end) along one axis whose windows lie inside the input. */
function insideRange(outSize: number, inSize: number, filter: number, stride: number, dilation: number, pad: number): [number, number] {
  const first = Math.min(outSize, Math.ceil(pad / stride));
  const lastStart = inSize - 1 - (filter - 1) * dilation + pad;
  const end = lastStart < 0 ? 0 : Math.min(outSize, Math.floor(lastStart / stride) + 1);
  return end > first ? [first, end] : [0, 0];
}

/** Folds bias and zero point into `offsets` and, on the packed path, packs channel pairs. */
function fold(d: DepthwiseConv2DData, weights: TensorData): void {
  const O = d.outputDepth, taps = d.filterHeight * d.filterWidth, zp = d.inputZeroPoint;
  const packedPath = d.path === Path.INT8_PACKED;
  const fieldOffset = packedPath || d.path === Path.INT8_QUAD ? d.field / 2 : 0;
  for (let c = 0; c < O; c++) {
    let sum = 0;
    for (let t = 0; t < taps; t++) sum += weights[t * O + c];
    d.offsets[c] = d.bias[c] - zp * sum - fieldOffset;
  }
  d.offsets[O] = -fieldOffset;
  if (!packedPath) return;
  const M = d.depthMultiplier, C = d.inputDepth, fW = d.filterWidth;
  if (d.rowMode) {
    // Input depth 1: the window's rows lie in place in the input.
    packWeights(M, d.filterHeight, fW, weights, 0, 1, fW * O, O, d.field, d.packed, 0);
    return;
  }
  const block = packedLength(M, 1, taps);
  for (let ic = 0; ic < C; ic++) {
    packWeights(M, 1, taps, weights, ic * M, 1, 0, O, d.field, d.packed, ic * block);
  }
}

function evalDepthwise(node: Node, d: DepthwiseConv2DData): void {
  if (!d.biasConstant || !d.weightsConstant) {
    const bias = node.inputs.length === 3 ? node.inputs[2] : null;
    if (bias && !d.biasConstant) biasValues(bias, bias.data, d.bias);
    if (d.path >= Path.INT8) fold(d, (node.inputs[1] as Tensor).data);
  }
  switch (d.path) {
    case Path.FLOAT: evalFloat(node, d); break;
    case Path.INT16: evalInt16(node, d); break;
    case Path.INT8_3X3: evalInt8By3x3(node, d); break;
    case Path.INT8_PACKED: if (d.rowMode) evalInt8PackedRows(node, d); else evalInt8Packed(node, d); break;
    case Path.INT8_QUAD: evalInt8Quad(node, d); break;
    case Path.INT8_SLIDE: evalInt8Slide(node, d); break;
    default: evalInt8(node, d);
  }
}

/**
 * One output at the border, as the reference computes it: the bias plus w * (x - zp) over the
 * window's taps inside the input; requantized, offset, clamped and stored.
 */
function edge(X: TensorData, F: TensorData, Y: TensorData, d: DepthwiseConv2DData, b: number, oy: number, ox: number, c: number, out: number): void {
  const H = d.inputHeight, W = d.inputWidth, C = d.inputDepth, O = d.outputDepth, fH = d.filterHeight, fW = d.filterWidth;
  const zp = d.inputZeroPoint, ic = (c / d.depthMultiplier) | 0;
  const iy0 = oy * d.strideHeight - d.padHeight, ix0 = ox * d.strideWidth - d.padWidth;
  let acc = d.bias[c];
  for (let fy = 0; fy < fH; fy++) {
    const iy = iy0 + fy * d.dilationHeight;
    if (iy < 0 || iy >= H) continue;
    for (let fx = 0; fx < fW; fx++) {
      const ix = ix0 + fx * d.dilationWidth;
      if (ix < 0 || ix >= W) continue;
      acc += F[(fy * fW + fx) * O + c] * (X[((b * H + iy) * W + ix) * C + ic] - zp);
    }
  }
  const q = d.quant!;
  const r = multiplyByQuantizedMultiplier(acc | 0, q.multipliers[c], q.shifts[c]) + d.outputZeroPoint;
  Y[out] = r < q.outputMin ? q.outputMin : r > q.outputMax ? q.outputMax : r;
}

function evalInt8By3x3(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, F = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const B = d.ring!.data;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, SC = q.scaled, AP = q.addPositive, AN = q.addNegative;
  const lim = q.fast ? FAST_REQUANT_LIMIT : 0;
  const outMin = q.outputMin, outMax = q.outputMax, outZp = d.outputZeroPoint, offsets = d.offsets, zp = d.inputZeroPoint;
  const C = d.inputDepth, O = d.outputDepth, depthMultiplier = d.depthMultiplier, batches = d.batches, H = d.inputHeight, W = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const sH = d.strideHeight, dH = d.dilationHeight, padH = d.padHeight;
  const ringRows = d.ringRows, ringRow = d.ringWidth * C, dataStart = d.padWidth * C, dataLength = W * C;
  const stepX = d.strideWidth * C, a1 = d.dilationWidth * C, a2 = 2 * a1;
  // Padding columns stay at the zero point; rows are written over their data columns only.
  B.fill(zp);
  for (let b = 0; b < batches; b++) {
    let loaded = -1;
    for (let oy = 0; oy < outH; oy++) {
      // Bring the window's rows (in padded coordinates) into the ring.
      const top = oy * sH, last = top + 2 * dH;
      for (let py = loaded + 1 > top ? loaded + 1 : top; py <= last; py++) {
        let at = (py % ringRows) * ringRow + dataStart;
        const end = at + dataLength, iy = py - padH;
        if (iy < 0 || iy >= H) {
          while (at < end) B[at++] = zp;
        } else {
          let xi = (b * H + iy) * dataLength;
          while (at < end) B[at++] = X[xi++];
        }
      }
      loaded = last;
      const row0 = (top % ringRows) * ringRow;
      const r1 = ((top + dH) % ringRows) * ringRow - row0, r2 = ((top + 2 * dH) % ringRows) * ringRow - row0;
      const a4 = r1 + a1, a5 = r1 + a2, a7 = r2 + a1, a8 = r2 + a2;
      const outRow = (b * outH + oy) * outW * O;
      for (let c = 0; c < O; c++) {
        const w0 = F[c], w1 = F[O + c], w2 = F[2 * O + c], w3 = F[3 * O + c], w4 = F[4 * O + c];
        const w5 = F[5 * O + c], w6 = F[6 * O + c], w7 = F[7 * O + c], w8 = F[8 * O + c];
        const offset = offsets[c], mult = M[c], shift = S[c], scaled = SC[c], addPositive = AP[c], addNegative = AN[c];
        let p = row0 + ((c / depthMultiplier) | 0), out = outRow + c;
        for (let ox = 0; ox < outW; ox++) {
          const acc = B[p] * w0 + B[p + a1] * w1 + B[p + a2] * w2 + B[p + r1] * w3 + B[p + a4] * w4 +
            B[p + a5] * w5 + B[p + r2] * w6 + B[p + a7] * w7 + B[p + a8] * w8 + offset;
          let r: number;
          if (acc >= 0) r = acc < lim ? (acc * scaled + addPositive) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, shift);
          else r = acc > -lim ? -((addNegative - acc * scaled) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, shift);
          r += outZp;
          Y[out] = r < outMin ? outMin : r > outMax ? outMax : r;
          p += stepX;
          out += O;
        }
      }
    }
  }
}

/**
 * Packed path for input depth 1 with rows a multiple of 8 long: the window's rows are read in
 * place from a ring of padded input rows. Each row is stored twice, R rows apart, so the R rows
 * a window spans always sit one after another.
 */
function evalInt8PackedRows(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, Y = node.outputs[0].data, W = d.packed, B = d.ring!.data;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, SC = q.scaled, AP = q.addPositive, AN = q.addNegative;
  const lim = q.fast ? FAST_REQUANT_LIMIT : 0;
  const outMin = q.outputMin, outMax = q.outputMax, outZp = d.outputZeroPoint, offsets = d.offsets, zp = d.inputZeroPoint;
  const O = d.outputDepth, batches = d.batches, H = d.inputHeight, inW = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth, dH = d.dilationHeight, padH = d.padHeight;
  const sums = d.sums, pairs = (O + 1) >> 1, paddedPairCount = sums.length, group = groupSize(O);
  const field = d.field, start = fieldsStart(field);
  const ringRows = d.ringRows, ringRow = d.ringWidth, dataStart = d.padWidth, tapY = dH * ringRow;
  B.fill(zp);
  let out = 0;
  for (let b = 0; b < batches; b++) {
    let loaded = -1;
    for (let oy = 0; oy < outH; oy++) {
      const top = oy * sH, last = top + (fH - 1) * dH;
      for (let py = loaded + 1 > top ? loaded + 1 : top; py <= last; py++) {
        let at = (py % ringRows) * ringRow + dataStart, twin = at + ringRows * ringRow;
        const end = at + inW, iy = py - padH;
        if (iy < 0 || iy >= H) {
          while (at < end) { B[at++] = zp; B[twin++] = zp; }
        } else {
          let xi = (b * H + iy) * inW;
          while (at < end) { const v = X[xi++]; B[at++] = v; B[twin++] = v; }
        }
      }
      loaded = last;
      let window = (top % ringRows) * ringRow;
      for (let ox = 0; ox < outW; ox++) {
        packedDot(B, window, fH, tapY, fW, W, 0, sums, paddedPairCount, group, start);
        for (let pair = 0, c = 0; pair < pairs; pair++, c += 2) {
          const T = sums[pair];
          const high = (T / field) | 0;
          let acc = T - high * field + offsets[c];
          let r: number;
          if (acc >= 0) r = acc < lim ? (acc * SC[c] + AP[c]) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]);
          else r = acc > -lim ? -((AN[c] - acc * SC[c]) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]);
          r += outZp;
          Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          const c1 = c + 1;
          if (c1 === O) break;
          acc = high + offsets[c1];
          if (acc >= 0) r = acc < lim ? (acc * SC[c1] + AP[c1]) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c1], S[c1]);
          else r = acc > -lim ? -((AN[c1] - acc * SC[c1]) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c1], S[c1]);
          r += outZp;
          Y[out + c1] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        out += O;
        window += sW;
      }
    }
  }
}

function evalInt8Packed(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, Y = node.outputs[0].data, P = d.patch!.data, W = d.packed;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, SC = q.scaled, AP = q.addPositive, AN = q.addNegative;
  const lim = q.fast ? FAST_REQUANT_LIMIT : 0;
  const outMin = q.outputMin, outMax = q.outputMax, outZp = d.outputZeroPoint, offsets = d.offsets, zp = d.inputZeroPoint;
  const C = d.inputDepth, depthMultiplier = d.depthMultiplier, O = d.outputDepth;
  const batches = d.batches, H = d.inputHeight, inW = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const fH = d.filterHeight, fW = d.filterWidth, taps = fH * fW;
  const sH = d.strideHeight, sW = d.strideWidth, dH = d.dilationHeight, dW = d.dilationWidth, padH = d.padHeight, padW = d.padWidth;
  const sums = d.sums, pairs = (depthMultiplier + 1) >> 1, paddedPairCount = sums.length, group = groupSize(depthMultiplier);
  const field = d.field, start = fieldsStart(field);
  const block = packedLength(depthMultiplier, 1, taps);
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let ic = 0; ic < C; ic++) {
          // Gather the window; taps outside the input hold the zero point.
          let pi = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            const rowEnd = pi + fW;
            if (iy < 0 || iy >= H) {
              while (pi < rowEnd) P[pi++] = zp;
              continue;
            }
            let ix = ix0, xi = ((b * H + iy) * inW + ix0) * C + ic;
            const tapX = dW * C;
            while (pi < rowEnd) {
              P[pi++] = ix >= 0 && ix < inW ? X[xi] : zp;
              ix += dW;
              xi += tapX;
            }
          }
          packedDot(P, 0, 1, taps, taps, W, ic * block, sums, paddedPairCount, group, start);
          const oc0 = ic * depthMultiplier, ocEnd = oc0 + depthMultiplier;
          for (let pair = 0, c = oc0; pair < pairs; pair++, c += 2) {
            const T = sums[pair];
            const high = (T / field) | 0;
            let acc = T - high * field + offsets[c];
            let r: number;
            if (acc >= 0) r = acc < lim ? (acc * SC[c] + AP[c]) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]);
            else r = acc > -lim ? -((AN[c] - acc * SC[c]) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]);
            r += outZp;
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
            const c1 = c + 1;
            if (c1 === ocEnd) break;
            acc = high + offsets[c1];
            if (acc >= 0) r = acc < lim ? (acc * SC[c1] + AP[c1]) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c1], S[c1]);
            else r = acc > -lim ? -((AN[c1] - acc * SC[c1]) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c1], S[c1]);
            r += outZp;
            Y[out + c1] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}

/**
 * Depth multiplier 2 or more with the weights read in place: output positions four at a time,
 * as two pairs packed into one number each (internal/quad-dot.ts), so one multiply by a weight
 * serves two positions. The channels of one input channel share its values; eight of them at a
 * time keep their sums in locals over the window. Windows reaching into the padding take the
 * zero point there (it adds nothing once zp * sum(w) is in the offsets).
 */
function evalInt8Quad(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, Wt = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const SA = d.sumsA, SB = d.sumsB, F = d.field, start = fieldsStart(F), zp = d.inputZeroPoint;
  const C = d.inputDepth, Mult = d.depthMultiplier, O = d.outputDepth;
  const H = d.inputHeight, W = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const dH = d.dilationHeight, dW = d.dilationWidth, padH = d.padHeight, padW = d.padWidth;
  const top = d.top, bottom = d.bottom, left = d.left, right = d.right;
  const tapX = dW * C, tapY = dH * W * C - fW * tapX, blocks = Mult - (Mult & 7), tapX8 = 8 * tapX, O8 = 8 * O;
  const e1 = tapX, e2 = 2 * tapX, e3 = 3 * tapX, e4 = 4 * tapX, e5 = 5 * tapX, e6 = 6 * tapX, e7 = 7 * tapX;
  const g1 = O, g2 = 2 * O, g3 = 3 * O, g4 = 4 * O, g5 = 5 * O, g6 = 6 * O, g7 = 7 * O;
  let xa0 = 0, xa1 = 0, xa2 = 0, xa3 = 0, xa4 = 0, xa5 = 0, xa6 = 0, xa7 = 0;
  let xb0 = 0, xb1 = 0, xb2 = 0, xb3 = 0, xb4 = 0, xb5 = 0, xb6 = 0, xb7 = 0;
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0, jj = 0;
  const f1 = dW, f2 = 2 * dW, f3 = 3 * dW, f4 = 4 * dW, f5 = 5 * dW, f6 = 6 * dW, f7 = 7 * dW;
  // A border window's values, per position and tap.
  let q00 = 0, q01 = 0, q02 = 0, q03 = 0, q04 = 0, q05 = 0, q06 = 0, q07 = 0;
  let q10 = 0, q11 = 0, q12 = 0, q13 = 0, q14 = 0, q15 = 0, q16 = 0, q17 = 0;
  let q20 = 0, q21 = 0, q22 = 0, q23 = 0, q24 = 0, q25 = 0, q26 = 0, q27 = 0;
  let q30 = 0, q31 = 0, q32 = 0, q33 = 0, q34 = 0, q35 = 0, q36 = 0, q37 = 0;
  let ty = 0, tx = 0, at = 0;
  const total = d.batches * outH * outW;
  let b = 0, oy = 0, ox = 0, outIndex = 0;
  // Per position: batch row offset (b * H), window origin, and whether the window is inside.
  let h0 = 0, h1 = 0, h2 = 0, h3 = 0, y0 = 0, y1 = 0, y2 = 0, y3 = 0, x0 = 0, x1 = 0, x2 = 0, x3 = 0;
  let xa = 0, xb = 0, w = 0, iy = 0, ix = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  let T0 = 0, T1 = 0, T2 = 0, T3 = 0, T4 = 0, T5 = 0, T6 = 0, T7 = 0;
  let U0 = 0, U1 = 0, U2 = 0, U3 = 0, U4 = 0, U5 = 0, U6 = 0, U7 = 0;
  for (let p = 0; p < total; p += 4) {
    const count = total - p < 4 ? total - p : 4;
    let inside = true;
    for (let i = 0; i < 4; i++) {
      // Missing positions (past the end) repeat the last one and are not stored.
      if (i < count) {
        if (!(oy >= top && oy < bottom && ox >= left && ox < right)) inside = false;
        const hb = b * H, wy = oy * sH - padH, wx = ox * sW - padW;
        if (i === 0) { h0 = hb; y0 = wy; x0 = wx; h1 = hb; y1 = wy; x1 = wx; h2 = hb; y2 = wy; x2 = wx; h3 = hb; y3 = wy; x3 = wx; }
        else if (i === 1) { h1 = hb; y1 = wy; x1 = wx; h2 = hb; y2 = wy; x2 = wx; h3 = hb; y3 = wy; x3 = wx; }
        else if (i === 2) { h2 = hb; y2 = wy; x2 = wx; h3 = hb; y3 = wy; x3 = wx; }
        else { h3 = hb; y3 = wy; x3 = wx; }
        if (++ox === outW) { ox = 0; if (++oy === outH) { oy = 0; b++; } }
      }
    }
    const p0 = ((h0 + y0) * W + x0) * C, p1 = ((h1 + y1) * W + x1) * C, p2 = ((h2 + y2) * W + x2) * C, p3 = ((h3 + y3) * W + x3) * C;
    for (let ic = 0; ic < C; ic++) {
      const c0 = ic * Mult;
      for (let m = 0; m < Mult; m += 8) {
        const eight = m < blocks;
        T0 = T1 = T2 = T3 = T4 = T5 = T6 = T7 = U0 = U1 = U2 = U3 = U4 = U5 = U6 = U7 = start;
        let j = c0 + m, t = ic;
        for (let fy = 0; fy < fH; fy++, t += tapY) {
          let fx = 0;
          if (eight) {
            // Eight taps of the row at a time: each channel's sums take them in one expression.
            for (; fx + 8 <= fW; fx += 8, t += tapX8, j += O8) {
              if (inside) {
                v0 = p0 + t; v1 = p1 + t; v2 = p2 + t; v3 = p3 + t;
                xa0 = X[v0] + F * X[v1]; xa1 = X[v0 + e1] + F * X[v1 + e1]; xa2 = X[v0 + e2] + F * X[v1 + e2]; xa3 = X[v0 + e3] + F * X[v1 + e3];
                xa4 = X[v0 + e4] + F * X[v1 + e4]; xa5 = X[v0 + e5] + F * X[v1 + e5]; xa6 = X[v0 + e6] + F * X[v1 + e6]; xa7 = X[v0 + e7] + F * X[v1 + e7];
                xb0 = X[v2] + F * X[v3]; xb1 = X[v2 + e1] + F * X[v3 + e1]; xb2 = X[v2 + e2] + F * X[v3 + e2]; xb3 = X[v2 + e3] + F * X[v3 + e3];
                xb4 = X[v2 + e4] + F * X[v3 + e4]; xb5 = X[v2 + e5] + F * X[v3 + e5]; xb6 = X[v2 + e6] + F * X[v3 + e6]; xb7 = X[v2 + e7] + F * X[v3 + e7];
              } else {
                // Taps in the padding take the zero point.
                ty = fy * dH;
                tx = fx * dW;
                iy = y0 + ty;
                if (iy < 0 || iy >= H) q00 = q01 = q02 = q03 = q04 = q05 = q06 = q07 = zp;
                else {
                  ix = x0 + tx;
                  at = ((h0 + iy) * W + ix) * C + ic;
                  if (ix >= 0 && ix + f7 < W) { q00 = X[at]; q01 = X[at + e1]; q02 = X[at + e2]; q03 = X[at + e3]; q04 = X[at + e4]; q05 = X[at + e5]; q06 = X[at + e6]; q07 = X[at + e7]; }
                  else {
                    q00 = ix >= 0 && ix < W ? X[at] : zp;
                    q01 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q02 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q03 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q04 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q05 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q06 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q07 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                iy = y1 + ty;
                if (iy < 0 || iy >= H) q10 = q11 = q12 = q13 = q14 = q15 = q16 = q17 = zp;
                else {
                  ix = x1 + tx;
                  at = ((h1 + iy) * W + ix) * C + ic;
                  if (ix >= 0 && ix + f7 < W) { q10 = X[at]; q11 = X[at + e1]; q12 = X[at + e2]; q13 = X[at + e3]; q14 = X[at + e4]; q15 = X[at + e5]; q16 = X[at + e6]; q17 = X[at + e7]; }
                  else {
                    q10 = ix >= 0 && ix < W ? X[at] : zp;
                    q11 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q12 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q13 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q14 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q15 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q16 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q17 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                iy = y2 + ty;
                if (iy < 0 || iy >= H) q20 = q21 = q22 = q23 = q24 = q25 = q26 = q27 = zp;
                else {
                  ix = x2 + tx;
                  at = ((h2 + iy) * W + ix) * C + ic;
                  if (ix >= 0 && ix + f7 < W) { q20 = X[at]; q21 = X[at + e1]; q22 = X[at + e2]; q23 = X[at + e3]; q24 = X[at + e4]; q25 = X[at + e5]; q26 = X[at + e6]; q27 = X[at + e7]; }
                  else {
                    q20 = ix >= 0 && ix < W ? X[at] : zp;
                    q21 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q22 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q23 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q24 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q25 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q26 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q27 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                iy = y3 + ty;
                if (iy < 0 || iy >= H) q30 = q31 = q32 = q33 = q34 = q35 = q36 = q37 = zp;
                else {
                  ix = x3 + tx;
                  at = ((h3 + iy) * W + ix) * C + ic;
                  if (ix >= 0 && ix + f7 < W) { q30 = X[at]; q31 = X[at + e1]; q32 = X[at + e2]; q33 = X[at + e3]; q34 = X[at + e4]; q35 = X[at + e5]; q36 = X[at + e6]; q37 = X[at + e7]; }
                  else {
                    q30 = ix >= 0 && ix < W ? X[at] : zp;
                    q31 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q32 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q33 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q34 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q35 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q36 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q37 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                xa0 = q00 + F * q10; xa1 = q01 + F * q11; xa2 = q02 + F * q12; xa3 = q03 + F * q13;
                xa4 = q04 + F * q14; xa5 = q05 + F * q15; xa6 = q06 + F * q16; xa7 = q07 + F * q17;
                xb0 = q20 + F * q30; xb1 = q21 + F * q31; xb2 = q22 + F * q32; xb3 = q23 + F * q33;
                xb4 = q24 + F * q34; xb5 = q25 + F * q35; xb6 = q26 + F * q36; xb7 = q27 + F * q37;
              }
              T0 += xa0 * (w0 = Wt[j]) + xa1 * (w1 = Wt[j + g1]) + xa2 * (w2 = Wt[j + g2]) + xa3 * (w3 = Wt[j + g3]) +
                xa4 * (w4 = Wt[j + g4]) + xa5 * (w5 = Wt[j + g5]) + xa6 * (w6 = Wt[j + g6]) + xa7 * (w7 = Wt[j + g7]);
              U0 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 1;
              T1 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U1 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 2;
              T2 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U2 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 3;
              T3 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U3 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 4;
              T4 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U4 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 5;
              T5 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U5 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 6;
              T6 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U6 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 7;
              T7 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U7 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
            }
          }
          for (; fx < fW; fx++, t += tapX, j += O) {
            if (inside) {
              xa = X[p0 + t] + F * X[p1 + t];
              xb = X[p2 + t] + F * X[p3 + t];
            } else {
              ty = fy * dH;
              tx = fx * dW;
              iy = y0 + ty; ix = x0 + tx;
              r0 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h0 + iy) * W + ix) * C + ic] : zp;
              iy = y1 + ty; ix = x1 + tx;
              r1 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h1 + iy) * W + ix) * C + ic] : zp;
              iy = y2 + ty; ix = x2 + tx;
              r2 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h2 + iy) * W + ix) * C + ic] : zp;
              iy = y3 + ty; ix = x3 + tx;
              r3 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h3 + iy) * W + ix) * C + ic] : zp;
              xa = r0 + F * r1;
              xb = r2 + F * r3;
            }
            if (eight) {
              T0 += xa * (w = Wt[j]); U0 += xb * w;
              T1 += xa * (w = Wt[j + 1]); U1 += xb * w;
              T2 += xa * (w = Wt[j + 2]); U2 += xb * w;
              T3 += xa * (w = Wt[j + 3]); U3 += xb * w;
              T4 += xa * (w = Wt[j + 4]); U4 += xb * w;
              T5 += xa * (w = Wt[j + 5]); U5 += xb * w;
              T6 += xa * (w = Wt[j + 6]); U6 += xb * w;
              T7 += xa * (w = Wt[j + 7]); U7 += xb * w;
            } else {
              // The last channels of this input channel, fewer than eight (taken from the block).
              const left = Mult - m;
              T0 += xa * (w = Wt[j]); U0 += xb * w;
              if (left > 1) { T1 += xa * (w = Wt[j + 1]); U1 += xb * w; }
              if (left > 2) { T2 += xa * (w = Wt[j + 2]); U2 += xb * w; }
              if (left > 3) { T3 += xa * (w = Wt[j + 3]); U3 += xb * w; }
              if (left > 4) { T4 += xa * (w = Wt[j + 4]); U4 += xb * w; }
              if (left > 5) { T5 += xa * (w = Wt[j + 5]); U5 += xb * w; }
              if (left > 6) { T6 += xa * (w = Wt[j + 6]); U6 += xb * w; }
            }
          }
        }
        const c = c0 + m;
        SA[c] = T0; SB[c] = U0;
        if (eight || Mult - m > 1) { SA[c + 1] = T1; SB[c + 1] = U1; }
        if (eight || Mult - m > 2) { SA[c + 2] = T2; SB[c + 2] = U2; }
        if (eight || Mult - m > 3) { SA[c + 3] = T3; SB[c + 3] = U3; }
        if (eight || Mult - m > 4) { SA[c + 4] = T4; SB[c + 4] = U4; }
        if (eight || Mult - m > 5) { SA[c + 5] = T5; SB[c + 5] = U5; }
        if (eight || Mult - m > 6) { SA[c + 6] = T6; SB[c + 6] = U6; }
        if (eight) { SA[c + 7] = T7; SB[c + 7] = U7; }
      }
    }
    requantizeQuad(d.quant!, d.quick, d.offsets, F, O, d.outputZeroPoint, SA, SB, Y, outIndex, count);
    outIndex += 4 * O;
  }
}

/**
 * 3x3 filters read in place, channel by channel and row by row: the window's three columns sit
 * in nine locals and slide along the row, so each step reads only the columns that enter it;
 * three steps are unrolled so that the locals change roles instead of values. Columns in the
 * padding hold the zero point (adding nothing once zp * sum(w) is in the offset); rows in the
 * padding instead get zero weights, the offset gets their zp * sum(w) back, and they read
 * some row inside. Only for requantizeQuad's quick case (internal/quad-dot.ts).
 */
function evalInt8Slide(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, Wt = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const q = d.quant!;
  const SC = q.scaled, AP = q.addPositive;
  const outMin = q.outputMin, outMax = q.outputMax, outZp = d.outputZeroPoint, offsets = d.offsets, zp = d.inputZeroPoint;
  const C = d.inputDepth, Mult = d.depthMultiplier, O = d.outputDepth, batches = d.batches;
  const H = d.inputHeight, W = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const sH = d.strideHeight, dH = d.dilationHeight, padH = d.padHeight, padW = d.padWidth;
  const two = d.strideWidth === 2, rowStride = W * C, O2 = 2 * O, safe = d.slideSafe;
  const top = d.top, bottom = d.bottom, rowGap = dH * rowStride;
  let A0 = 0, A1 = 0, A2 = 0, B0 = 0, B1 = 0, B2 = 0, E0 = 0, E1 = 0, E2 = 0;
  let acc = 0, r = 0, ox = 0, ix = 0, at = 0, o = 0, off = 0, row0 = 0, D1 = 0, D2 = 0;
  let k00 = 0, k01 = 0, k02 = 0, k10 = 0, k11 = 0, k12 = 0, k20 = 0, k21 = 0, k22 = 0;
  for (let c = 0; c < O; c++) {
    const ic = (c / Mult) | 0;
    const w00 = Wt[c], w01 = Wt[O + c], w02 = Wt[O2 + c], w10 = Wt[3 * O + c], w11 = Wt[4 * O + c];
    const w12 = Wt[5 * O + c], w20 = Wt[6 * O + c], w21 = Wt[7 * O + c], w22 = Wt[8 * O + c];
    const offset = offsets[c], sc = SC[c], ap = AP[c];
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        k00 = w00; k01 = w01; k02 = w02; k10 = w10; k11 = w11; k12 = w12; k20 = w20; k21 = w21; k22 = w22;
        off = offset;
        if (oy >= top && oy < bottom) {
          row0 = (b * H + oy * sH - padH) * rowStride + ic;
          D1 = rowGap;
          D2 = rowGap + rowGap;
        } else {
          const iy0 = oy * sH - padH, iy1 = iy0 + dH, iy2 = iy1 + dH;
          // Some row inside the input for rows in the padding to read.
          const inside = iy0 >= 0 && iy0 < H ? iy0 : iy1 >= 0 && iy1 < H ? iy1 : iy2;
          let y0 = iy0, y1 = iy1, y2 = iy2;
          if (iy0 < 0 || iy0 >= H) { off += zp * (w00 + w01 + w02); k00 = k01 = k02 = 0; y0 = inside; }
          if (iy1 < 0 || iy1 >= H) { off += zp * (w10 + w11 + w12); k10 = k11 = k12 = 0; y1 = inside; }
          if (iy2 < 0 || iy2 >= H) { off += zp * (w20 + w21 + w22); k20 = k21 = k22 = 0; y2 = inside; }
          row0 = (b * H + y0) * rowStride + ic;
          D1 = (y1 - y0) * rowStride;
          D2 = (y2 - y0) * rowStride;
        }
        // The columns before the first window's new ones.
        ix = -padW;
        at = row0 + ix * C;
        if (ix >= 0 && ix < W) { A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; } else A0 = A1 = A2 = zp;
        at += C;
        ix++;
        if (!two) {
          if (ix >= 0 && ix < W) { B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; } else B0 = B1 = B2 = zp;
          at += C;
          ix++;
        }
        o = ((b * outH + oy) * outW) * O + c;
        ox = 0;
        // While the columns entering lie inside the input, three steps at a time; on leaving,
        // the window's last columns move back to A (and B).
        if (safe > 0) {
          if (two) {
            for (;;) {
              B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; at += C; E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; at += C;
              acc = off + k00 * A0 + k01 * B0 + k02 * E0 + k10 * A1 + k11 * B1 + k12 * E1 + k20 * A2 + k21 * B2 + k22 * E2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { A0 = E0; A1 = E1; A2 = E2; break; }
              A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; at += C; B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; at += C;
              acc = off + k00 * E0 + k01 * A0 + k02 * B0 + k10 * E1 + k11 * A1 + k12 * B1 + k20 * E2 + k21 * A2 + k22 * B2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { A0 = B0; A1 = B1; A2 = B2; break; }
              E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; at += C; A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; at += C;
              acc = off + k00 * B0 + k01 * E0 + k02 * A0 + k10 * B1 + k11 * E1 + k12 * A1 + k20 * B2 + k21 * E2 + k22 * A2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) break;
            }
            ix += 2 * ox;
          } else {
            for (;;) {
              E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; at += C;
              acc = off + k00 * A0 + k01 * B0 + k02 * E0 + k10 * A1 + k11 * B1 + k12 * E1 + k20 * A2 + k21 * B2 + k22 * E2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { A0 = B0; A1 = B1; A2 = B2; B0 = E0; B1 = E1; B2 = E2; break; }
              A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; at += C;
              acc = off + k00 * B0 + k01 * E0 + k02 * A0 + k10 * B1 + k11 * E1 + k12 * A1 + k20 * B2 + k21 * E2 + k22 * A2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { B0 = A0; B1 = A1; B2 = A2; A0 = E0; A1 = E1; A2 = E2; break; }
              B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; at += C;
              acc = off + k00 * E0 + k01 * A0 + k02 * B0 + k10 * E1 + k11 * A1 + k12 * B1 + k20 * E2 + k21 * A2 + k22 * B2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) break;
            }
            ix += ox;
          }
        }
        // The rest, one step at a time: columns outside the input are the zero point.
        for (; ox < outW; ox++) {
          if (two) {
            if (ix >= 0 && ix < W) { B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; } else B0 = B1 = B2 = zp;
            at += C;
            ix++;
          }
          if (ix >= 0 && ix < W) { E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; } else E0 = E1 = E2 = zp;
          at += C;
          ix++;
          acc = off + k00 * A0 + k01 * B0 + k02 * E0 + k10 * A1 + k11 * B1 + k12 * E1 + k20 * A2 + k21 * B2 + k22 * E2;
          if (acc < 0) Y[o] = outMin;
          else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
          o += O;
          if (two) { A0 = E0; A1 = E1; A2 = E2; }
          else { A0 = B0; A1 = B1; A2 = B2; B0 = E0; B1 = E1; B2 = E2; }
        }
      }
    }
  }
}

/**
 * INT8_SLIDE: how many leading outputs of a row find the columns entering their window (one,
 * or two for stride 2) inside the input.
 */
function slideSafe(outW: number, inW: number, stride: number, pad: number): number {
  let n = 0;
  while (n < outW && n * stride - pad + 2 < inW && n * stride - pad + 3 - stride >= 0) n++;
  return n;
}

/** int8 window loops (depth multiplier 1 with other filters, or windows too long to pack). */
function evalInt8(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, F = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, outMin = q.outputMin, outMax = q.outputMax;
  const outZp = d.outputZeroPoint, offsets = d.offsets;
  const C = d.inputDepth, depthMultiplier = d.depthMultiplier, O = d.outputDepth;
  const batches = d.batches, H = d.inputHeight, W = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const top = d.top, bottom = d.bottom, left = d.left, right = d.right;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth, padH = d.padHeight, padW = d.padWidth;
  const rowStride = W * C, tapX = d.dilationWidth * C, tapY = d.dilationHeight * rowStride;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const rowInside = oy >= top && oy < bottom;
      for (let ox = 0; ox < outW; ox++) {
        if (!(rowInside && ox >= left && ox < right)) {
          for (let c = 0; c < O; c++) edge(X, F, Y, d, b, oy, ox, c, out + c);
          out += O;
          continue;
        }
        const pixel = ((b * H + oy * sH - padH) * W + ox * sW - padW) * C;
        for (let ic = 0; ic < C; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const c = ic * depthMultiplier + m;
            let acc = offsets[c], row = pixel + ic, wi = c;
            for (let fy = 0; fy < fH; fy++) {
              let xi = row;
              for (let fx = 0; fx < fW; fx++) {
                acc += X[xi] * F[wi];
                xi += tapX;
                wi += O;
              }
              row += tapY;
            }
            const r = multiplyByQuantizedMultiplier(acc | 0, M[c], S[c]) + outZp;
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}

function evalInt16(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, F = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const q = d.quant!;
  const M = q.multipliers, S = q.shifts, outMin = q.outputMin, outMax = q.outputMax, bias = d.bias;
  const C = d.inputDepth, depthMultiplier = d.depthMultiplier, O = d.outputDepth;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const dH = d.dilationHeight, dW = d.dilationWidth, padH = d.padHeight, padW = d.padWidth;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let ic = 0; ic < C; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const c = ic * depthMultiplier + m;
            let acc = 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = iy0 + fy * dH;
              if (iy < 0 || iy >= inH) continue;
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                if (ix < 0 || ix >= inW) continue;
                acc += F[(fy * fW + fx) * O + c] * X[((b * inH + iy) * inW + ix) * C + ic];
              }
            }
            const r = multiplyByQuantizedMultiplier64(acc + bias[c], M[c], S[c]);
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}

function evalFloat(node: Node, d: DepthwiseConv2DData): void {
  const X = (node.inputs[0] as Tensor).data, F = (node.inputs[1] as Tensor).data, Y = node.outputs[0].data;
  const bias = d.bias, lo = d.floatMin, hi = d.floatMax, fround = Math.fround;
  const C = d.inputDepth, depthMultiplier = d.depthMultiplier, O = d.outputDepth;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, outH = d.outputHeight, outW = d.outputWidth;
  const fH = d.filterHeight, fW = d.filterWidth, sH = d.strideHeight, sW = d.strideWidth;
  const dH = d.dilationHeight, dW = d.dilationWidth, padH = d.padHeight, padW = d.padWidth;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let ic = 0; ic < C; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const c = ic * depthMultiplier + m;
            let total = 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = iy0 + fy * dH;
              if (iy < 0 || iy >= inH) continue;
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                if (ix < 0 || ix >= inW) continue;
                total = fround(total + fround(X[((b * inH + iy) * inW + ix) * C + ic] * F[(fy * fW + fx) * O + c]));
              }
            }
            const v = fround(total + bias[c]);
            Y[out + c] = v < lo ? lo : hi < v ? hi : v;
          }
        }
        out += O;
      }
    }
  }
}

export const DEPTHWISE_CONV_2D: Kernel<DepthwiseConv2DData> = {
  code: 4,
  name: 'DEPTHWISE_CONV_2D',
  options: 'DepthwiseConv2DOptions',
  types: ['float32', 'int8', 'int16x8'],
  prepare,
  eval: evalDepthwise,
};
