// DEPTHWISE_CONV_2D (TFLM depthwise_conv.cc, depthwise_conv_common.cc; reference
// depthwiseconv_float.h and integer_ops/depthwise_conv.h): float32, int8 with per-channel int8
// weights, and 16x8 (int16 activations, int8 weights, int64 bias); any depth multiplier,
// stride, dilation and padding.
//
// This file validates the operator, lets chooseDepthwisePath (internal/depthwise-path.ts) pick
// the path and lays the op data out in the arena (internal/depthwise-data.ts); each path is a
// module of its own. int8 on XS: the zero point's share of the sum, zp * sum(w), is a
// per-channel constant folded with the bias into the offsets, so inputs enter the sums as they are.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { checkConvTypes, convOperands, floatBounds, FLOAT_MAX } from './internal/conv-params.js';
import { refuseHybrid } from './internal/ops-hybrid.js';
import {
  accumulatorsBounded, channelQuantization, Field, foldOffsets, type ChannelRange, type DepthwiseData,
} from './internal/depthwise-data.js';
import { convolvePrimitive, weightRows } from './internal/convolve.js';
import { evalDepthwiseConvolve, transposeWeights } from './internal/depthwise-convolve.js';
import { evalDepthwiseFloat } from './internal/depthwise-float.js';
import { evalDepthwiseFloatRows } from './internal/depthwise-float-rows.js';
import { evalDepthwiseInt16 } from './internal/depthwise-int16.js';
import { evalDepthwiseInt8 } from './internal/depthwise-int8.js';
import { evalDepthwisePacked, evalDepthwisePackedRows, packDepthwiseWeights } from './internal/depthwise-packed.js';
import { chooseDepthwisePath, DepthwisePath, NARROW_FIELD, type DepthwiseShape } from './internal/depthwise-path.js';
import { evalDepthwiseQuad } from './internal/depthwise-quad.js';
import { evalDepthwiseRing } from './internal/depthwise-ring.js';
import { evalDepthwiseSlide, slideSafe } from './internal/depthwise-slide.js';
import { maxAbs, paddedPairs } from './internal/packed-dot.js';
import { checkedPadding } from './internal/padding.js';
import { indexIn, wholeView } from './internal/shared-views.js';

function prepare(ctx: PrepareContext, node: Node): DepthwiseData {
  const operands = convOperands(ctx, node, false);
  const { input, filter, bias, output, strideHeight, strideWidth, dilationHeight, dilationWidth } = operands;
  // TFLM reads the 16x8 bias as int64 whatever its type.
  refuseHybrid(ctx, input, filter, 'filter');
  checkConvTypes(ctx, operands, 'depthwise conv', 'filter', [TensorType.INT64]);
  const type = input.type, quantized = type !== TensorType.FLOAT32, int8 = type === TensorType.INT8;

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

  // The record, then multipliers (quantized) and offsets (int8); shifts apart, one byte each.
  const O = outputDepth, taps = filterHeight * filterWidth;
  const R = ctx.persistent(TensorType.INT32, Field.COUNT + (quantized ? O : 0) + (int8 ? O : 0)) as Int32Array;
  const S = quantized ? ctx.persistent(TensorType.INT8, O) as Int8Array : null;
  let range: ChannelRange = { fast: false, outputMin: 0, outputMax: 0 };
  let floatMin = -FLOAT_MAX, floatMax = FLOAT_MAX;
  if (S) {
    range = channelQuantization(ctx, input, filter, output, O, operands.activation, R, S);
  } else {
    const bounds = floatBounds(ctx, operands.activation);
    floatMin = Math.max(bounds[0], -FLOAT_MAX);
    floatMax = Math.min(bounds[1], FLOAT_MAX);
  }

  // Constants' data are real in both prepare runs; anything else is read at eval only.
  const weights = filter.data, biasData = bias ? bias.data : null;
  const weightsConstant = filter.isConstant, biasConstant = bias === null || bias.isConstant;
  const quick = int8 && weightsConstant && biasConstant && range.fast && range.outputMin === output.zeroPoint &&
    accumulatorsBounded(weights, biasData, O, taps, input.zeroPoint);
  const convolve = convolvePrimitive();
  const shape: DepthwiseShape = {
    type, filterHeight, filterWidth, inputDepth, depthMultiplier, strideWidth, dilationWidth, weightsConstant, biasConstant,
    maxAbsWeight: int8 && weightsConstant && depthMultiplier >= 2 ? maxAbs(weights) : 128, quick, weightCacheBytes: Infinity,
    convolve: convolve !== null,
    weightsFinite: type === TensorType.FLOAT32 && weightsConstant && allFinite(weights),
  };
  let choice = chooseDepthwisePath(shape);
  if (choice.path === DepthwisePath.INT8_PACKED && !ctx.reserveWeightCache(choice.packedBytes)) {
    shape.weightCacheBytes = 0;
    choice = chooseDepthwisePath(shape);
  }
  const path = choice.path, field = choice.field;
  const fold = int8 && !(weightsConstant && biasConstant);

  const rows = insideRange(pad.outHeight, inputHeight, filterHeight, strideHeight, dilationHeight, pad.height);
  const cols = insideRange(pad.outWidth, inputWidth, filterWidth, strideWidth, dilationWidth, pad.width);
  // The 3x3 and row paths' ring of padded rows: as many rows as a window spans, as many
  // columns as the windows reach.
  const ringRows = (filterHeight - 1) * dilationHeight + 1;
  const ringWidth = Math.max(inputWidth + pad.width, (pad.outWidth - 1) * strideWidth + (filterWidth - 1) * dilationWidth + 1);
  // Element writes are no-ops in the sizing run.
  R[Field.PATH] = path; R[Field.BATCHES] = batches; R[Field.IN_H] = inputHeight; R[Field.IN_W] = inputWidth;
  R[Field.IN_D] = inputDepth; R[Field.OUT_H] = pad.outHeight; R[Field.OUT_W] = pad.outWidth; R[Field.OUT_D] = O;
  R[Field.MULT] = depthMultiplier; R[Field.F_H] = filterHeight; R[Field.F_W] = filterWidth;
  R[Field.S_H] = strideHeight; R[Field.S_W] = strideWidth; R[Field.D_H] = dilationHeight; R[Field.D_W] = dilationWidth;
  R[Field.PAD_H] = pad.height; R[Field.PAD_W] = pad.width;
  R[Field.IN_ZP] = input.zeroPoint; R[Field.OUT_ZP] = output.zeroPoint;
  R[Field.OUT_MIN] = range.outputMin; R[Field.OUT_MAX] = range.outputMax;
  R[Field.FAST] = range.fast ? 1 : 0; R[Field.QUICK] = quick ? 1 : 0; R[Field.FOLD] = fold ? 1 : 0;
  R[Field.TOP] = rows[0]; R[Field.BOTTOM] = rows[1]; R[Field.LEFT] = cols[0]; R[Field.RIGHT] = cols[1];
  R[Field.RING_ROWS] = ringRows; R[Field.RING_WIDTH] = ringWidth; R[Field.FIELD] = field;
  R[Field.SLIDE_SAFE] = slideSafe(pad.outWidth, inputWidth, strideWidth, pad.width);
  R[Field.ROW_MODE] = choice.rowMode ? 1 : 0;

  // Views of whole buffers shared by the interpreter's operators; this operator keeps indices.
  const r = wholeView(ctx, R), a = indexIn(R), x = wholeView(ctx, input.data);
  const data: DepthwiseData = { r, a, x, w: wholeView(ctx, weights) };
  const y = wholeView(ctx, output.data);
  if (y !== x) data.y = y;
  R[Field.X_AT] = indexIn(input.data); R[Field.W_AT] = indexIn(weights); R[Field.Y_AT] = indexIn(output.data);
  R[Field.B_AT] = 0; R[Field.T_AT] = -1; R[Field.K_AT] = -1; R[Field.S_AT] = -1;
  if (S) {
    const s = wholeView(ctx, S);
    if (s !== x) data.s = s;
    R[Field.S_AT] = indexIn(S);
  }
  if (biasData) {
    R[Field.B_AT] = indexIn(biasData);
    if (!int8 || fold) data.b = wholeView(ctx, biasData);
  }
  if (path === DepthwisePath.FLOAT_3X3) {
    const ring = ctx.scratch(TensorType.FLOAT32, 3 * ringWidth * inputDepth);
    const t = wholeView(ctx, ring);
    if (t !== x) data.t = t;
    R[Field.T_AT] = indexIn(ring);
  }
  if (!int8) {
    if (!S) { data.lo = floatMin; data.hi = floatMax; }
    return data;
  }
  let scratch: TensorData | null = null, packed: Int32Array | Float64Array | null = null;
  if (path === DepthwisePath.INT8_3X3) {
    scratch = ctx.scratch(TensorType.INT8, ringRows * ringWidth * inputDepth);
  } else if (path === DepthwisePath.INT8_QUAD) {
    // The pairs' sums (first pairs, second pairs), then the fast requantization's factors.
    scratch = ctx.scratch(TensorType.FLOAT64, 5 * O);
  } else if (path === DepthwisePath.INT8_PACKED) {
    packed = ctx.persistent(field === NARROW_FIELD ? TensorType.INT32 : TensorType.FLOAT64, choice.packedLength) as Int32Array | Float64Array;
    // packedDot writes the sums from index 0: a view of their own (weight cache only).
    data.p = ctx.scratch(TensorType.FLOAT64, paddedPairs(depthMultiplier)) as Float64Array;
    scratch = choice.rowMode ? ctx.scratch(TensorType.INT8, 2 * ringRows * ringWidth) : ctx.scratch(TensorType.INT8, taps);
  } else if (path === DepthwisePath.CONVOLVE) {
    // Each channel's weights as one row (persistent), the gathered window (scratch): views of their own.
    const rows = ctx.persistent(TensorType.INT8, O * taps);
    const patch = ctx.scratch(TensorType.INT8, taps);
    if (!ctx.sizing) {
      transposeWeights(weights, 0, O, taps, rows);
      data.f = convolve!;
      data.cr = weightRows(rows, 0, taps, O);
      data.q = patch;
    }
  }
  if (scratch) {
    const t = wholeView(ctx, scratch);
    if (t !== x) data.t = t;
    R[Field.T_AT] = indexIn(scratch);
  }
  if (packed) {
    const k = wholeView(ctx, packed);
    if (k !== r) data.k = k;
    R[Field.K_AT] = indexIn(packed);
  }
  if (!ctx.sizing && !fold) {
    foldOffsets(r, a, data.w, biasData ? wholeView(ctx, biasData) : null, fieldOffset(path, field));
    if (packed) packDepthwiseWeights(r, a, data.w, data.k || r);
  }
  return data;
}

/** No infinity or NaN among the values. */
function allFinite(values: TensorData): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** What the pair paths' offsets give back for the fields' starting values (internal/packed-dot.ts). */
function fieldOffset(path: number, field: number): number {
  return path === DepthwisePath.INT8_PACKED || path === DepthwisePath.INT8_QUAD ? field / 2 : 0;
}

/** Outputs [first, end) along one axis whose windows lie inside the input. */
function insideRange(outSize: number, inSize: number, filter: number, stride: number, dilation: number, pad: number): [number, number] {
  const first = Math.min(outSize, Math.ceil(pad / stride));
  const lastStart = inSize - 1 - (filter - 1) * dilation + pad;
  const end = lastStart < 0 ? 0 : Math.min(outSize, Math.floor(lastStart / stride) + 1);
  return end > first ? [first, end] : [0, 0];
}

function evalDepthwise(d: DepthwiseData): void {
  const R = d.r, a = d.a, path = R[a + Field.PATH];
  if (R[a + Field.FOLD]) {
    // Weights or bias are computed by the graph: fold (and pack) them again.
    foldOffsets(R, a, d.w, d.b ?? null, fieldOffset(path, R[a + Field.FIELD]));
    if (path === DepthwisePath.INT8_PACKED) packDepthwiseWeights(R, a, d.w, d.k || R);
  }
  switch (path) {
    case DepthwisePath.FLOAT: evalDepthwiseFloat(d); break;
    case DepthwisePath.FLOAT_3X3: evalDepthwiseFloatRows(d); break;
    case DepthwisePath.INT16: evalDepthwiseInt16(d); break;
    case DepthwisePath.INT8_3X3: evalDepthwiseRing(d); break;
    case DepthwisePath.INT8_PACKED: if (R[a + Field.ROW_MODE]) evalDepthwisePackedRows(d); else evalDepthwisePacked(d); break;
    case DepthwisePath.INT8_QUAD: evalDepthwiseQuad(d); break;
    case DepthwisePath.INT8_SLIDE: evalDepthwiseSlide(d); break;
    case DepthwisePath.CONVOLVE: evalDepthwiseConvolve(d); break;
    default: evalDepthwiseInt8(d);
  }
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16x8']);

export const DEPTHWISE_CONV_2D: Kernel<DepthwiseData> = Object.freeze<Kernel<DepthwiseData>>({
  code: 4,
  name: 'DEPTHWISE_CONV_2D',
  options: 'DepthwiseConv2DOptions',
  types: TYPES,
  prepare,
  eval: evalDepthwise,
});
