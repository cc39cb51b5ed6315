// DEPTHWISE_CONV_2D (TFLM depthwise_conv.cc, depthwise_conv_common.cc; reference
// depthwiseconv_float.h and integer_ops/depthwise_conv.h): float32, int8 with per-channel int8
// weights, and 16x8 (int16 activations, int8 weights, int64 bias); any depth multiplier,
// stride, dilation and padding.
//
// int8 on XS: output positions whose window lies inside the input take the fast paths, where
// the zero point's share of the sum, zp * sum(w), is a per-channel constant folded into the
// bias; the few positions at the border sum w * (x - zp) over their inside taps, as the
// reference does. The fast paths:
//  - 3x3 filters (MobileNet's layers) run row by row over a ring of three input rows bordered
//    with the zero point (so there are no border positions at all), channel by channel with
//    the channel's nine weights held in locals;
//  - other filters with depth multiplier 2 or more pack the weights of two output channels
//    that read the same input into one double (internal/packed-dot.ts) over the window,
//    gathered (taps outside the input get the zero point, which adds nothing) or, for input
//    depth 1 and rows a multiple of 8 long, read in place from a ring of bordered rows;
//  - anything else loops over the window.
import type { Kernel, Node, PrepareContext, Scratch } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import {
  biasValues, constantData, convQuantization, FAST_REQUANT_LIMIT, floatBounds, requirePositive, requireRank4, type ChannelQuantization,
} from './internal/conv-params.js';
import { computePaddingHeightWidth, paddingName } from './internal/padding.js';
import { fieldFor, fieldsStart, groupSize, MAX_PACKED_TERMS, maxAbs, packedArray, packedDot, packedLength, paddedPairs, packWeights } from './internal/packed-dot.js';
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
}

const FLOAT_MAX = 3.4028234663852886e38;

export interface DepthwiseConv2DData {
  path: Path;
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputDepth: number;
  outputHeight: number;
  outputWidth: number;
  outputDepth: number;
  depthMultiplier: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padHeight: number;
  padWidth: number;
  floatMin: number;
  floatMax: number;
  quant: ChannelQuantization | null;
  inputZeroPoint: number;
  outputZeroPoint: number;
  bias: Float64Array;
  biasConstant: boolean;
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
}

function prepare(ctx: PrepareContext, node: Node): DepthwiseConv2DData {
  const inputs = node.inputs;
  if (inputs.length !== 2 && inputs.length !== 3) ctx.fail(`expected 2 or 3 inputs, got ${inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`expected 1 output, got ${node.outputs.length}`);
  const input = inputs[0], filter = inputs[1], bias = inputs.length === 3 ? inputs[2] : null;
  const output = node.outputs[0];
  if (!input || !filter) ctx.fail('input and filter are required');
  requireRank4(ctx, input!, 'input');
  requireRank4(ctx, filter!, 'filter');
  requireRank4(ctx, output, 'output');
  const opts = node.options;
  const strideHeight = opts.strideH as number, strideWidth = opts.strideW as number;
  const dilationHeight = opts.dilationHFactor as number, dilationWidth = opts.dilationWFactor as number;
  const activation = opts.fusedActivationFunction as number, padding = opts.padding as number;
  requirePositive(ctx, strideHeight, 'stride height');
  requirePositive(ctx, strideWidth, 'stride width');
  requirePositive(ctx, dilationHeight, 'dilation height');
  requirePositive(ctx, dilationWidth, 'dilation width');

  const inType = input!.type;
  if (output.type !== inType) ctx.fail(`output type ${output.typeName} differs from input type ${input!.typeName}`);
  let path: Path;
  if (inType === TensorType.FLOAT32) {
    if (filter!.type !== TensorType.FLOAT32) ctx.fail(`float32 input needs float32 filter, got ${filter!.typeName}`);
    if (bias && bias.type !== TensorType.FLOAT32) ctx.fail(`float32 depthwise conv needs a float32 bias, got ${bias.typeName}`);
    path = Path.FLOAT;
  } else if (inType === TensorType.INT8) {
    if (filter!.type !== TensorType.INT8) ctx.fail(`int8 input needs int8 filter, got ${filter!.typeName}`);
    if (bias && bias.type !== TensorType.INT32) ctx.fail(`int8 depthwise conv needs an int32 bias, got ${bias.typeName}`);
    path = Path.INT8;
  } else if (inType === TensorType.INT16) {
    if (filter!.type !== TensorType.INT8) ctx.fail(`int16 input needs int8 filter, got ${filter!.typeName}`);
    // TFLM reads the 16x8 bias as int64 whatever its type.
    if (bias && bias.type !== TensorType.INT64) ctx.fail(`int16 depthwise conv needs an int64 bias, got ${bias.typeName}`);
    path = Path.INT16;
  } else {
    return ctx.fail(`input type ${typeName(inType)} is not supported (float32, int8, int16)`);
  }

  const batches = input!.dim(0), inputHeight = input!.dim(1), inputWidth = input!.dim(2), inputDepth = input!.dim(3);
  const filterHeight = filter!.dim(1), filterWidth = filter!.dim(2), outputDepth = filter!.dim(3);
  if (filter!.dim(0) !== 1) ctx.fail(`filter ${filter!.describe()} must have 1 as its first dimension`);
  if (output.dim(0) !== batches) ctx.fail(`output batches ${output.dim(0)} differ from input batches ${batches}`);
  if (output.dim(3) !== outputDepth) ctx.fail(`output depth ${output.dim(3)} differs from the filter's ${outputDepth} channels`);
  if (inputDepth <= 0 || outputDepth % inputDepth !== 0) ctx.fail(`filter's ${outputDepth} channels are not a multiple of input depth ${inputDepth}`);
  const depthMultiplier = outputDepth / inputDepth;
  // TFLM takes the multiplier from the options; converters write it, but some leave it 0.
  const declared = opts.depthMultiplier as number;
  if (declared !== 0 && declared !== depthMultiplier) {
    ctx.fail(`depth multiplier ${declared} does not match ${outputDepth} output channels over ${inputDepth} input channels`);
  }
  if (bias && bias.elementCount !== outputDepth) ctx.fail(`bias has ${bias.elementCount} values for ${outputDepth} output channels`);
  const pad = computePaddingHeightWidth(strideHeight, strideWidth, dilationHeight, dilationWidth,
    inputHeight, inputWidth, filterHeight, filterWidth, padding);
  if (pad.outHeight < 0) ctx.fail(`${paddingName(padding)} padding with these sizes has no output`);
  if (output.dim(1) !== pad.outHeight || output.dim(2) !== pad.outWidth) {
    ctx.fail(`output is ${output.dim(1)}x${output.dim(2)}, ${paddingName(padding)} padding gives ${pad.outHeight}x${pad.outWidth}`);
  }

  let floatMin = -FLOAT_MAX, floatMax = FLOAT_MAX, quant: ChannelQuantization | null = null;
  if (path === Path.FLOAT) {
    const bounds = floatBounds(ctx, activation);
    floatMin = Math.max(bounds[0], -FLOAT_MAX);
    floatMax = Math.min(bounds[1], FLOAT_MAX);
  } else {
    quant = convQuantization(ctx, input!, filter!, output, outputDepth, 3, activation);
  }

  const taps = filterHeight * filterWidth;
  let field = 0;
  if (path === Path.INT8) {
    if (filterHeight === 3 && filterWidth === 3) path = Path.INT8_3X3;
    else if (depthMultiplier >= 2 && taps <= MAX_PACKED_TERMS) {
      field = fieldFor(taps, filter!.isConstant ? maxAbs(constantData(filter!)) : 128);
      // The packed copy is RAM outside the arena: only within the interpreter's weightCacheBytes.
      const packedBytes = packedArray(field, 0).BYTES_PER_ELEMENT * (inputDepth === 1 && dilationWidth === 1 && (filterWidth & 7) === 0
        ? packedLength(depthMultiplier, filterHeight, filterWidth) : inputDepth * packedLength(depthMultiplier, 1, taps));
      if (field && ctx.reserveWeightCache(packedBytes)) path = Path.INT8_PACKED;
      else field = 0;
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
    inputZeroPoint: input!.zeroPoint, outputZeroPoint: output.zeroPoint,
    bias: new Float64Array(outputDepth),
    biasConstant: bias === null || bias.isConstant,
    weightsConstant: filter!.isConstant,
    ring: null, ringRows, ringWidth,
    top: rows[0], bottom: rows[1], left: cols[0], right: cols[1],
    offsets: new Float64Array(path >= Path.INT8 ? outputDepth + 1 : 0),
    field,
    packed: packedArray(field, path !== Path.INT8_PACKED ? 0
      : rowMode ? packedLength(depthMultiplier, filterHeight, filterWidth) : inputDepth * packedLength(depthMultiplier, 1, taps)),
    sums: new Float64Array(path === Path.INT8_PACKED ? paddedPairs(depthMultiplier) : 0),
    rowMode,
    patch: path === Path.INT8_PACKED && !rowMode ? ctx.requestScratch(TensorType.INT8, taps) : null,
  };
  if (path === Path.INT8_3X3) data.ring = ctx.requestScratch(TensorType.INT8, ringRows * ringWidth * inputDepth);
  if (rowMode) data.ring = ctx.requestScratch(TensorType.INT8, 2 * ringRows * ringWidth);
  if (bias && bias.isConstant) biasValues(bias, constantData(bias), data.bias);
  if (path >= Path.INT8 && filter!.isConstant && data.biasConstant) fold(data, constantData(filter!));
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
  const fieldOffset = packedPath ? d.field / 2 : 0;
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
