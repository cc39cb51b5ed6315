// FULLY_CONNECTED (TFLM fully_connected.cc, fully_connected_common.cc; reference
// fully_connected.h and integer_ops/fully_connected.h): output[b][c] = Σ_d input[b][d] · w[c][d]
// + bias[c], requantized per tensor or per output channel, clamped by the fused activation.
//
// The quantized reference computes Σ (w + wOffset)(x + xOffset) + bias. eval adds xOffset to one
// batch of input at a time (into scratch), or, where that row would take more bytes than one
// int32 per output channel, prepare folds xOffset·Σw per channel. The bias is read in place
// (from the model) and wOffset (0 in TFLM's int8 models) costs one Σx per batch. Sums are
// exact in doubles (|Σ| < 2^53); `| 0` then wraps them as TFLM's int32 accumulator does. Per-
// channel weights keep TFLM's 8 B per channel (multiplier, shift) in the arena.
//
// Quantized: several output channels per pass over the weights where they are
// (internal/int8-rows.ts). int8 × int8 with constant weights can instead run two channels per
// multiply over packed weights (internal/packed-int8.ts), fewer bytecodes per MAC in XS for
// 2 bytes of RAM per weight, when the interpreter's weightCacheBytes grants that RAM.
// Where the engine has E.convolve (Espruino), the quantized sums are native calls, one per
// output channel (internal/fc-convolve.ts), and neither packed nor shifted views are made.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { refuseHybrid } from './internal/ops-hybrid.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { constantData } from './internal/constant-data.js';
import { convolvePrimitive, weightRows, type Convolve } from './internal/convolve.js';
import { chooseFcConvolve, convolveChannels } from './internal/fc-convolve.js';
import { floatDot1 } from './internal/window-dot.js';
import { dotRow, dotRows4, dotRows4Shifted, dotRows8, dotRows8Shifted, ROW_VIEW_MIN_DEPTH } from './internal/int8-rows.js';
import { dotPackedPair, PACK_MIN_DEPTH, packedLength, packInt8RowPairs } from './internal/packed-int8.js';
import {
  Activation, activationName, FLT_MAX, multiplyByQuantizedMultiplier64,
  quantizedActivationRange, quantizeMultiplier, requantizeInt32, typeRange,
} from './internal/quantization.js';
import { indexIn, shiftedViews, sharedViews, viewNumber, type SharedViews } from './internal/shared-views.js';

const enum Mode {
  FLOAT = 0,
  /** int8 or int16 activations with an int32 accumulator and bias. */
  INT32_ACC = 1,
  /** int16 activations with an int64 accumulator and bias (the default 16x8 scheme). */
  INT64_ACC = 2,
}

/** Fields of an operator's record (Int32 elements at FullyConnectedData.at in FullyConnectedData.rec). */
const enum F {
  MODE, BATCHES, OUTPUT_DEPTH, DEPTH,
  /** Element indices, in their views (SharedViews.views), of input, weights, bias (-1: none), output. */
  X, W, B,
  O,
  /** Index of the (input - zero point) row; -1: the input is read in place. */
  ROW,
  /** View numbers, two to a field (low 16 bits, high 16 bits): input and output, weights and bias. */
  XO_VIEWS, WB_VIEWS,
  /**
   * The row's view and, plus 1, the first of the weights' views shifted by 1, 2, ... rows
   * (int8-rows.ts: 7 for 8 rows a pass, 3 for 4; 0: none).
   */
  ROW_SHIFTED_VIEWS,
  FILTER_OFFSET, INPUT_OFFSET, OUTPUT_ZERO_POINT,
  /** Per-tensor multiplier and shift; or -1 and the index in `rec` of per-channel (multiplier, shift) pairs. */
  MULTIPLIER, SHIFT,
  /** Quantized: output bounds. float32: the fused activation. */
  LOW, HIGH,
  /** Index in `rec` of the weights packed two rows per int32 (weight cache), or -1. */
  PACKED,
  /** Index in `rec` of per-channel offsets inputOffset·Σw + n·filterOffset·inputOffset, or -1. */
  OFFSETS,
  SIZE,
}

/**
 * One operator's op data: the index of its record in the arena (s.rec) and the views every
 * operator of the interpreter shares (internal/shared-views.ts): 3 heap slots, no bytes
 * outside the arena.
 */
export interface FullyConnectedData {
  at: number;
  s: SharedViews;
  /** E.convolve path only (fc-convolve.ts): the primitive, the weight rows, the input (or row) view. */
  f?: Convolve;
  k?: TensorData[];
  x?: TensorData;
}

/**
 * Folded offsets stay int32 below this depth: |inputOffset·Σw + n·filterOffset·inputOffset| <=
 * n · (255·128 + 255·255) < 2^31. (TFLM's int8 weights have no zero point.)
 */
const FOLD_MAX_DEPTH = 21000;

function isPerChannel(t: Tensor): boolean {
  return t.quantization !== null && t.quantization.scale.length > 1;
}

function prepare(ctx: PrepareContext, node: Node): FullyConnectedData {
  const inputs = node.inputs;
  if (inputs.length < 2 || inputs.length > 3) ctx.fail(`has ${inputs.length} inputs, expected 2 or 3 (input, weights, bias)`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = inputs[0], filter = inputs[1];
  if (!input) return ctx.fail('input 0 (input) is missing');
  if (!filter) return ctx.fail('input 1 (weights) is missing');
  const bias = inputs.length > 2 ? inputs[2] : null;
  const output = node.outputs[0];
  const options = node.options as unknown as { fusedActivationFunction: number; weightsFormat: number; keepNumDims: boolean; quantizedBiasType: number };
  const activation = options.fusedActivationFunction | 0;
  // TFLM clamps float outputs for the RELU family only and refuses other activations when quantized.
  if (activation > 3 && inputs[0] !== null && inputs[0].type !== TensorType.FLOAT32) ctx.fail(`fused activation ${activationName(activation)} is not supported`);
  if (options.weightsFormat) ctx.fail(`weights format ${options.weightsFormat} (shuffled) is not supported`);

  refuseHybrid(ctx, input, filter, 'weights');
  if (input.type !== output.type) ctx.fail(`input ${input.describe()} and output ${output.describe()} must have the same type`);
  const inType = input.type;
  if (inType === TensorType.FLOAT32) {
    if (filter.type !== TensorType.FLOAT32) ctx.fail(`float32 input needs float32 weights, got ${filter.describe()}`);
  } else if (inType === TensorType.INT8 || inType === TensorType.INT16) {
    if (filter.type !== TensorType.INT8) ctx.fail(`${typeName(inType)} input needs int8 weights, got ${filter.describe()}`);
  } else {
    ctx.fail(`input type ${typeName(inType)} is not supported (float32, int8, int16)`);
  }

  if (filter.rank < 2) ctx.fail(`weights ${filter.describe()} must have at least 2 dimensions`);
  if (output.rank < 1) ctx.fail(`output ${output.describe()} must have at least 1 dimension`);
  const accumDepth = filter.dim(-1);
  const filterRows = filter.elementCount / (accumDepth || 1);
  const outputDepth = output.dim(-1);
  if (outputDepth > filterRows) ctx.fail(`output ${output.describe()} has more units than weights ${filter.describe()} has rows`);
  const batches = outputDepth === 0 ? 0 : output.elementCount / outputDepth;
  if (input.elementCount !== batches * accumDepth) {
    ctx.fail(`input ${input.describe()} does not hold ${batches} batches of ${accumDepth} values for output ${output.describe()}`);
  }

  let mode = Mode.FLOAT;
  if (inType === TensorType.INT8) mode = Mode.INT32_ACC;
  if (inType === TensorType.INT16) {
    const int32Bias = bias ? bias.type === TensorType.INT32 : options.quantizedBiasType === TensorType.INT32;
    mode = int32Bias ? Mode.INT32_ACC : Mode.INT64_ACC;
  }
  if (bias) {
    const want = mode === Mode.FLOAT ? TensorType.FLOAT32 : mode === Mode.INT64_ACC ? TensorType.INT64 : TensorType.INT32;
    if (bias.type !== want) ctx.fail(`bias ${bias.describe()} must be ${typeName(want)} for ${typeName(inType)} input`);
    if (bias.elementCount < outputDepth) ctx.fail(`bias ${bias.describe()} has fewer than ${outputDepth} values`);
  }

  let perChannel = false, multiplier = 0, shift = 0, inputOffset = 0, filterOffset = 0, outputZeroPoint = 0;
  let low = activation, high = 0;
  if (mode !== Mode.FLOAT) {
    if (!input.quantization || !filter.quantization || !output.quantization) {
      ctx.fail('quantized input, weights and output need scales and zero points');
    }
    if (isPerChannel(filter)) {
      const q = filter.quantization!;
      if (q.scale.length !== filter.shape[q.quantizedDimension]) {
        ctx.fail(`weights ${filter.describe()} have ${q.scale.length} scales for dimension ${q.quantizedDimension}`);
      }
      if (q.quantizedDimension !== 0 || q.scale.length < outputDepth) {
        ctx.fail(`per-channel weights must be quantized along their ${outputDepth} output units`);
      }
      perChannel = true;
    } else {
      // TFLite multiplies the two scales in float before widening (GetQuantizedConvolutionMultipler).
      const productScale = Math.fround(input.scale * filter.scale);
      if (bias && bias.quantization && Math.abs(input.scale * filter.scale - bias.scale) / output.scale > 0.02) {
        ctx.fail(`bias scale ${bias.scale} does not match input scale × weights scale ${input.scale * filter.scale}`);
      }
      const m = quantizeMultiplier(productScale / output.scale);
      multiplier = m.multiplier;
      shift = m.shift;
      filterOffset = -filter.zeroPoint;
    }
    inputOffset = -input.zeroPoint;
    outputZeroPoint = output.zeroPoint;
    const [qmin, qmax] = typeRange(output.type);
    [low, high] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  }

  // The input's zero point: either added to one batch of input at a time in scratch (2 B per
  // input value, shared with other operators), or folded with the constant weights into one
  // int32 per output channel (4 B each, kept): whichever is smaller.
  const foldOffsets = mode !== Mode.FLOAT && inputOffset !== 0 && filter.isConstant &&
    2 * outputDepth <= accumDepth && accumDepth < FOLD_MAX_DEPTH;
  // Memory, in the same order in both prepare runs: the record, per-channel pairs and offsets,
  // the packed weights (only when the weight cache grants them), the shared sums, the input row.
  const channelPairs = perChannel ? 2 * outputDepth : 0;
  const offsets = foldOffsets ? outputDepth : 0;
  const convolve = convolvePrimitive();
  const useConvolve = chooseFcConvolve({ quantized: mode !== Mode.FLOAT, accumDepth, outputDepth, convolve: convolve !== null });
  const packed = !useConvolve && inType === TensorType.INT8 && filter.isConstant && outputDepth >= 2 && accumDepth >= PACK_MIN_DEPTH &&
    ctx.reserveWeightCache(packedLength(outputDepth, accumDepth) * 4);
  const record = ctx.persistent(TensorType.INT32, F.SIZE + channelPairs + offsets) as Int32Array;
  const packedView = packed ? ctx.persistent(TensorType.INT32, packedLength(outputDepth, accumDepth)) as Int32Array : null;
  const s = sharedViews(ctx);
  // The input less its zero point, one batch at a time: the zero point then needs no table.
  const rowType = inType === TensorType.INT8 ? TensorType.INT16 : TensorType.INT32;
  const rowView = mode !== Mode.FLOAT && inputOffset !== 0 && !foldOffsets ? ctx.scratch(rowType, accumDepth) : null;

  const rec = s.rec;
  const at = indexIn(record);
  const filterData = filter.data;
  const xv = viewNumber(s, input.data), wv = viewNumber(s, filterData), bv = bias ? viewNumber(s, bias.data) : 0;
  const ov = viewNumber(s, output.data), rowv = rowView ? viewNumber(s, rowView) : 0;
  // Rows long enough without the weight cache: views of the weights shifted by 1, 2 ... rows
  // (shared by operators with rows of this length), so one index serves the rows of a pass.
  let shifted = 0;
  if (!packed && !useConvolve && mode !== Mode.FLOAT && outputDepth >= 4 && accumDepth >= ROW_VIEW_MIN_DEPTH && filterData.length >= outputDepth * accumDepth) {
    shifted = 1 + shiftedViews(s, filterData, accumDepth, outputDepth >= 8 ? 7 : 3);
  }
  if (s.views.length > 0xffff) ctx.fail('too many shared views');
  const data: FullyConnectedData = { at, s };
  if (useConvolve && !ctx.sizing) {
    data.f = convolve!;
    data.k = weightRows(filterData, 0, accumDepth, outputDepth);
    data.x = rowView ?? input.data;
  }
  if (!ctx.sizing) {
    const r = at;
    rec[r + F.MODE] = mode;
    rec[r + F.BATCHES] = batches;
    rec[r + F.OUTPUT_DEPTH] = outputDepth;
    rec[r + F.DEPTH] = accumDepth;
    rec[r + F.X] = indexIn(input.data);
    rec[r + F.W] = indexIn(filterData);
    rec[r + F.B] = bias ? indexIn(bias.data) : -1;
    rec[r + F.O] = indexIn(output.data);
    rec[r + F.ROW] = rowView ? indexIn(rowView) : -1;
    rec[r + F.XO_VIEWS] = xv | ov << 16;
    rec[r + F.WB_VIEWS] = wv | bv << 16;
    rec[r + F.ROW_SHIFTED_VIEWS] = rowv | shifted << 16;
    rec[r + F.FILTER_OFFSET] = filterOffset;
    rec[r + F.INPUT_OFFSET] = inputOffset;
    rec[r + F.OUTPUT_ZERO_POINT] = outputZeroPoint;
    rec[r + F.MULTIPLIER] = perChannel ? -1 : multiplier;
    rec[r + F.SHIFT] = perChannel ? r + F.SIZE : shift;
    rec[r + F.LOW] = low;
    rec[r + F.HIGH] = high;
    rec[r + F.PACKED] = packedView ? indexIn(packedView) : -1;
    rec[r + F.OFFSETS] = foldOffsets ? r + F.SIZE + channelPairs : -1;
    if (foldOffsets) {
      const weights = constantData(filter), start = r + F.SIZE + channelPairs;
      const constant = accumDepth * filterOffset * inputOffset;
      for (let c = 0; c < outputDepth; c++) {
        let sum = 0;
        for (let i = c * accumDepth, end = i + accumDepth; i < end; i++) sum += weights[i];
        rec[start + c] = inputOffset * sum + constant;
      }
    }
    if (perChannel) {
      const scales = filter.quantization!.scale;
      for (let c = 0; c < outputDepth; c++) {
        const m = quantizeMultiplier(input.scale * scales[c] / output.scale);
        rec[r + F.SIZE + 2 * c] = m.multiplier;
        rec[r + F.SIZE + 2 * c + 1] = m.shift;
      }
    }
    if (packedView) packInt8RowPairs(constantData(filter), outputDepth, accumDepth, packedView, 0);
  }
  return data;
}

function evalFullyConnected(data: FullyConnectedData): void {
  if (data.s.rec[data.at + F.MODE] === Mode.FLOAT) evalFloat(data);
  else if (data.k === undefined) evalQuantized(data);
  else evalConvolve(data);
}

/** The quantized path's sums through E.convolve, eight channels to a requantize call. */
function evalConvolve(data: FullyConnectedData): void {
  const at = data.at, s = data.s, convolve = data.f!, rows = data.k!, v = data.x!;
  const rec = s.rec, views = s.views, sums = s.sums;
  const xoViews = rec[at + F.XO_VIEWS], wbViews = rec[at + F.WB_VIEWS];
  const x = views[xoViews & 0xffff], out = views[xoViews >>> 16], bias = views[wbViews >>> 16];
  const row = views[rec[at + F.ROW_SHIFTED_VIEWS] & 0xffff];
  const batches = rec[at + F.BATCHES], outputDepth = rec[at + F.OUTPUT_DEPTH], accumDepth = rec[at + F.DEPTH];
  const filterOffset = rec[at + F.FILTER_OFFSET], inputOffset = rec[at + F.INPUT_OFFSET];
  const xAt = rec[at + F.X], oAt = rec[at + F.O], rowAt = rec[at + F.ROW];
  for (let b = 0; b < batches; b++) {
    // The offset of the batch in `v`: the row holds one batch, the input all of them.
    let offset = b * accumDepth;
    if (rowAt >= 0) {
      for (let d = 0, xi = xAt + offset; d < accumDepth; d++) row[rowAt + d] = x[xi + d] + inputOffset;
      offset = 0;
    }
    let batchOffset = 0;
    if (filterOffset !== 0) {
      let sumX = 0;
      for (let d = 0; d < accumDepth; d++) sumX += v[offset + d];
      batchOffset = filterOffset * sumX;
    }
    const o = oAt + b * outputDepth;
    for (let c = 0; c < outputDepth; c += 8) {
      const n = outputDepth - c < 8 ? outputDepth - c : 8;
      convolveChannels(convolve, rows, c, n, v, offset, sums);
      requantize(rec, at, sums, out, bias, c, n, batchOffset, o);
    }
  }
}

function evalQuantized(data: FullyConnectedData): void {
  const at = data.at, s = data.s;
  const rec = s.rec, views = s.views, sums = s.sums;
  const xoViews = rec[at + F.XO_VIEWS], wbViews = rec[at + F.WB_VIEWS], rowShifted = rec[at + F.ROW_SHIFTED_VIEWS];
  const x = views[xoViews & 0xffff], out = views[xoViews >>> 16], w = views[wbViews & 0xffff], bias = views[wbViews >>> 16];
  const batches = rec[at + F.BATCHES], outputDepth = rec[at + F.OUTPUT_DEPTH], accumDepth = rec[at + F.DEPTH];
  const filterOffset = rec[at + F.FILTER_OFFSET], inputOffset = rec[at + F.INPUT_OFFSET];
  const xAt = rec[at + F.X], wAt = rec[at + F.W], oAt = rec[at + F.O], packedAt = rec[at + F.PACKED];
  const rowAt = rec[at + F.ROW];
  const row = views[rowShifted & 0xffff], shifted = (rowShifted >>> 16) - 1;
  let v = x;
  for (let b = 0; b < batches; b++) {
    let xStart = xAt + b * accumDepth;
    if (rowAt >= 0) {
      // x + inputOffset, once per batch, so the loops below need no per-channel Σw.
      for (let d = 0; d < accumDepth; d++) row[rowAt + d] = x[xStart + d] + inputOffset;
      v = row;
      xStart = rowAt;
    }
    let batchOffset = 0;
    if (filterOffset !== 0) {
      let sumX = 0;
      for (let i = xStart, end = xStart + accumDepth; i < end; i++) sumX += v[i];
      batchOffset = filterOffset * sumX;
    }
    const o = oAt + b * outputDepth;
    let c = 0;
    if (packedAt >= 0) {
      for (; c + 2 <= outputDepth; c += 2) {
        dotPackedPair(v, xStart, rec, packedAt + (c >> 1) * accumDepth, accumDepth, sums);
        requantize(rec, at, sums, out, bias, c, 2, batchOffset, o);
      }
    } else if (shifted >= 0) {
      const w1 = views[shifted], w2 = views[shifted + 1], w3 = views[shifted + 2];
      if (outputDepth >= 8) {
        const w4 = views[shifted + 3], w5 = views[shifted + 4], w6 = views[shifted + 5], w7 = views[shifted + 6];
        for (; c + 8 <= outputDepth; c += 8) {
          dotRows8Shifted(v, xStart, w, w1, w2, w3, w4, w5, w6, w7, wAt + c * accumDepth, accumDepth, sums);
          requantize(rec, at, sums, out, bias, c, 8, batchOffset, o);
        }
      }
      if (c + 4 <= outputDepth) {
        dotRows4Shifted(v, xStart, w, w1, w2, w3, wAt + c * accumDepth, accumDepth, sums);
        requantize(rec, at, sums, out, bias, c, 4, batchOffset, o);
        c += 4;
      }
    } else {
      for (; c + 8 <= outputDepth; c += 8) {
        dotRows8(v, xStart, w, wAt + c * accumDepth, accumDepth, accumDepth, sums);
        requantize(rec, at, sums, out, bias, c, 8, batchOffset, o);
      }
    }
    // Three channels left still go 4 at a time (the last row twice): cheaper than one by one.
    if (c + 3 <= outputDepth) {
      const p = wAt + c * accumDepth, more = c + 4 <= outputDepth;
      dotRows4(v, xStart, w, p, p + accumDepth, p + 2 * accumDepth, p + (more ? 3 : 2) * accumDepth, accumDepth, sums);
      requantize(rec, at, sums, out, bias, c, more ? 4 : 3, batchOffset, o);
      c += more ? 4 : 3;
    }
    for (; c < outputDepth; c++) {
      sums[0] = dotRow(v, xStart, w, wAt + c * accumDepth, accumDepth);
      requantize(rec, at, sums, out, bias, c, 1, batchOffset, o);
    }
  }
}

/** Output channels c .. c + n - 1 of one batch (at o in the output) from their sums. */
function requantize(
  rec: Int32Array, at: number, sums: Float64Array, out: TensorData, b: TensorData, c: number, n: number, batchOffset: number, o: number,
): void {
  const outputZeroPoint = rec[at + F.OUTPUT_ZERO_POINT], low = rec[at + F.LOW], high = rec[at + F.HIGH];
  const bAt = rec[at + F.B], offsets = rec[at + F.OFFSETS];
  let multiplier = rec[at + F.MULTIPLIER], shift = rec[at + F.SHIFT];
  const channels = multiplier < 0 ? shift : -1;
  if (rec[at + F.MODE] === Mode.INT64_ACC) {
    for (let k = 0; k < n; k++, c++) {
      if (channels >= 0) {
        multiplier = rec[channels + 2 * c];
        shift = rec[channels + 2 * c + 1];
      }
      // int64 bias: (low, high) int32 pairs from element bAt.
      const acc = sums[k] + batchOffset + (offsets >= 0 ? rec[offsets + c] : 0) +
        (bAt >= 0 ? (b[bAt + 2 * c] >>> 0) + b[bAt + 2 * c + 1] * 4294967296 : 0);
      const result = multiplyByQuantizedMultiplier64(acc, multiplier, shift) + outputZeroPoint;
      out[o + c] = result < low ? low : result > high ? high : result;
    }
    return;
  }
  for (let k = 0; k < n; k++, c++) {
    if (channels >= 0) {
      multiplier = rec[channels + 2 * c];
      shift = rec[channels + 2 * c + 1];
    }
    // Exact in doubles; `| 0` wraps as TFLM's int32 accumulator does.
    const acc = (sums[k] + batchOffset + (offsets >= 0 ? rec[offsets + c] : 0) + (bAt >= 0 ? b[bAt + c] : 0)) | 0;
    const result = requantizeInt32(acc, multiplier, shift) + outputZeroPoint;
    out[o + c] = result < low ? low : result > high ? high : result;
  }
}

function evalFloat(data: FullyConnectedData): void {
  const fround = Math.fround;
  const at = data.at, rec = data.s.rec, views = data.s.views;
  const xoViews = rec[at + F.XO_VIEWS], wbViews = rec[at + F.WB_VIEWS];
  const x = views[xoViews & 0xffff], out = views[xoViews >>> 16], w = views[wbViews & 0xffff], bias = views[wbViews >>> 16];
  const batches = rec[at + F.BATCHES], outputDepth = rec[at + F.OUTPUT_DEPTH], accumDepth = rec[at + F.DEPTH];
  const wAt = rec[at + F.W], bAt = rec[at + F.B];
  // TFLM clamps to the float range (std::numeric_limits<float>), so ±Infinity becomes ±FLT_MAX.
  const activation = rec[at + F.LOW];
  let low = -FLT_MAX, high = FLT_MAX;
  if (activation === Activation.RELU) low = 0;
  else if (activation === Activation.RELU6) { low = 0; high = 6; }
  else if (activation === Activation.RELU_N1_TO_1) { low = -1; high = 1; }
  // Eight channels' float32 sums at a time (in the reference's order: floatDot1) in the
  // interpreter's shared eight doubles, so the path takes no memory of its own.
  const sums = data.s.sums;
  let o = rec[at + F.O];
  for (let b = 0; b < batches; b++) {
    const xStart = rec[at + F.X] + b * accumDepth;
    for (let c0 = 0; c0 < outputDepth; c0 += 8) {
      const n = outputDepth - c0 < 8 ? outputDepth - c0 : 8;
      floatDot1(x, xStart, accumDepth, w, wAt + c0 * accumDepth, accumDepth, n, sums, 0, n);
      for (let k = 0, c = c0; k < n; k++, c++) {
        // TFLM adds a 0 bias when there is none; the sum also turns -0 into +0.
        let value = fround(sums[k] + (bAt >= 0 ? bias[bAt + c] : 0));
        if (value < low) value = low;
        if (value > high) value = high;
        out[o++] = value;
      }
    }
  }
}

export const FULLY_CONNECTED: Kernel<FullyConnectedData> = Object.freeze<Kernel<FullyConnectedData>>({
  code: 9,
  name: 'FULLY_CONNECTED',
  options: 'FullyConnectedOptions',
  types: Object.freeze(['float32', 'int8', 'int16x8']),
  prepare,
  eval: evalFullyConnected,
});
