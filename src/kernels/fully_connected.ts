// FULLY_CONNECTED (TFLM fully_connected.cc, fully_connected_common.cc; reference
// fully_connected.h and integer_ops/fully_connected.h): output[b][c] = Σ_d input[b][d] · w[c][d]
// + bias[c], requantized per tensor or per output channel, clamped by the fused activation.
//
// The quantized reference computes Σ (w + wOffset)(x + xOffset) + bias. Expanded, everything but
// Σ w·x is per channel (bias + xOffset·Σw + n·wOffset·xOffset) or per batch (wOffset·Σx), so
// prepare folds the per-channel part and the inner loop is a bare multiply-add. Sums are exact in
// doubles (|Σ| < 2^53); `| 0` then wraps them as TFLM's int32 accumulator does.
//
// Quantized: several output channels per pass over the weights where they are
// (internal/int8-rows.ts). int8 × int8 with constant weights can instead run two channels per
// multiply over packed weights (internal/packed-int8.ts), fewer bytecodes per MAC in XS for
// 2 bytes of RAM per weight, when the interpreter's weightCacheBytes grants that RAM.
import type { Kernel, Node, PrepareContext, Scratch } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { constantData } from './internal/constant-data.js';
import { dotRow, dotRows4, dotRows4Views, dotRows8, dotRows8Views, ROW_VIEW_MIN_DEPTH, rowViews } from './internal/int8-rows.js';
import { dotPackedPair, PACK_MIN_DEPTH, packInt8RowPairs } from './internal/packed-int8.js';
import { requantizeInt32 } from './internal/requantize.js';
import {
  activationName, floatActivationRange, multiplyByQuantizedMultiplier64,
  quantizedActivationRange, quantizeMultiplier, typeRange,
} from './internal/quantization.js';

const enum Mode {
  FLOAT = 0,
  /** int8 or int16 activations with an int32 accumulator and bias. */
  INT32_ACC = 1,
  /** int16 activations with an int64 accumulator and bias (the default 16x8 scheme). */
  INT64_ACC = 2,
}

export interface FullyConnectedData {
  mode: Mode;
  batches: number;
  outputDepth: number;
  accumDepth: number;
  /** Per output channel: bias + xOffset·Σw + n·wOffset·xOffset (quantized), or the float bias. */
  channelOffset: Float64Array;
  /** Recompute channelOffset at every eval: weights or bias are not constant. */
  foldAtEval: boolean;
  inputOffset: number;
  filterOffset: number;
  outputZeroPoint: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  activationMin: number;
  activationMax: number;
  /** Packed int8 weights, one view per pair of output channels (null: not packed). */
  packedRows: Int32Array[] | null;
  /** A copy of one batch's input row when there are several batches (packed and row-view paths). */
  inputRow: Scratch | null;
  /** One view per weight row (constant, long rows, not packed); null: rows are read by offset. */
  rowViews: TensorData[] | null;
  /** The sums of one group of output channels. */
  groupSums: Float64Array;
}

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

  const data: FullyConnectedData = {
    mode, batches, outputDepth, accumDepth,
    channelOffset: new Float64Array(outputDepth),
    foldAtEval: !filter.isConstant || (bias !== null && !bias.isConstant),
    inputOffset: 0, filterOffset: 0, outputZeroPoint: 0,
    multipliers: new Int32Array(outputDepth), shifts: new Int32Array(outputDepth),
    activationMin: 0, activationMax: 0, packedRows: null, inputRow: null, rowViews: null, groupSums: new Float64Array(8),
  };

  if (mode === Mode.FLOAT) {
    [data.activationMin, data.activationMax] = floatActivationRange(activation);
  } else {
    if (!input.quantization || !filter.quantization || !output.quantization) {
      ctx.fail('quantized input, weights and output need scales and zero points');
    }
    const inputScale = input.scale, outputScale = output.scale;
    if (isPerChannel(filter)) {
      const q = filter.quantization!;
      if (q.scale.length !== filter.shape[q.quantizedDimension]) {
        ctx.fail(`weights ${filter.describe()} have ${q.scale.length} scales for dimension ${q.quantizedDimension}`);
      }
      if (q.quantizedDimension !== 0 || q.scale.length < outputDepth) {
        ctx.fail(`per-channel weights must be quantized along their ${outputDepth} output units`);
      }
      for (let c = 0; c < outputDepth; c++) {
        const m = quantizeMultiplier(inputScale * q.scale[c] / outputScale);
        data.multipliers[c] = m.multiplier;
        data.shifts[c] = m.shift;
      }
    } else {
      // TFLite multiplies the two scales in float before widening (GetQuantizedConvolutionMultipler).
      const productScale = Math.fround(inputScale * filter.scale);
      if (bias && bias.quantization && Math.abs(inputScale * filter.scale - bias.scale) / outputScale > 0.02) {
        ctx.fail(`bias scale ${bias.scale} does not match input scale × weights scale ${inputScale * filter.scale}`);
      }
      const m = quantizeMultiplier(productScale / outputScale);
      data.multipliers.fill(m.multiplier);
      data.shifts.fill(m.shift);
      data.filterOffset = -filter.zeroPoint;
    }
    data.inputOffset = -input.zeroPoint;
    data.outputZeroPoint = output.zeroPoint;
    const [qmin, qmax] = typeRange(output.type);
    [data.activationMin, data.activationMax] = quantizedActivationRange(activation, outputScale, output.zeroPoint, qmin, qmax);
  }
  if (!data.foldAtEval) foldChannelOffsets(data, constantData(filter), bias ? constantData(bias) : null);
  // The packed copy is RAM the interpreter's weightCacheBytes must grant; otherwise the weights
  // are read where they are (flash, on a device).
  if (inType === TensorType.INT8 && filter.isConstant && outputDepth >= 2 && accumDepth >= PACK_MIN_DEPTH &&
      ctx.reserveWeightCache((outputDepth >> 1) * accumDepth * 4)) {
    data.packedRows = packInt8RowPairs(constantData(filter), outputDepth, accumDepth);
    if (batches > 1) data.inputRow = ctx.requestScratch(TensorType.INT8, accumDepth);
  } else if (mode !== Mode.FLOAT && filter.isConstant && outputDepth >= 3 && accumDepth >= ROW_VIEW_MIN_DEPTH) {
    data.rowViews = rowViews(constantData(filter), outputDepth, accumDepth);
    if (batches > 1) data.inputRow = ctx.requestScratch(inType, accumDepth);
  }
  return data;
}

function foldChannelOffsets(data: FullyConnectedData, weights: TensorData, biasData: TensorData | null): void {
  const offsets = data.channelOffset;
  const outputDepth = data.outputDepth, accumDepth = data.accumDepth;
  const mode = data.mode;
  const inputOffset = data.inputOffset;
  const constant = accumDepth * data.filterOffset * inputOffset;
  for (let c = 0; c < outputDepth; c++) {
    let value = 0;
    if (biasData) {
      // int64 bias: (low, high) int32 pairs.
      value = mode === Mode.INT64_ACC ? (biasData[2 * c] >>> 0) + biasData[2 * c + 1] * 4294967296 : biasData[c];
    }
    if (mode !== Mode.FLOAT) {
      let sum = 0;
      const start = c * accumDepth, end = start + accumDepth;
      for (let i = start; i < end; i++) sum += weights[i];
      value += inputOffset * sum + constant;
    }
    offsets[c] = value;
  }
}

function evalFullyConnected(node: Node, data: FullyConnectedData): void {
  if (data.foldAtEval) {
    const bias = node.inputs.length > 2 ? node.inputs[2] : null;
    foldChannelOffsets(data, node.inputs[1]!.data, bias ? bias.data : null);
  }
  if (data.mode === Mode.FLOAT) evalFloat(node, data);
  else if (data.packedRows) evalInt8Packed(node, data, data.packedRows);
  else evalQuantized(node, data);
}

function evalQuantized(node: Node, data: FullyConnectedData): void {
  const x = node.inputs[0]!.data;
  const w = node.inputs[1]!.data;
  const out = node.outputs[0].data;
  const batches = data.batches, outputDepth = data.outputDepth, accumDepth = data.accumDepth;
  const filterOffset = data.filterOffset;
  const sums = data.groupSums, views = data.rowViews;
  for (let b = 0; b < batches; b++) {
    const xStart = b * accumDepth;
    let batchOffset = 0;
    if (filterOffset !== 0) {
      let sumX = 0;
      for (let i = xStart, end = xStart + accumDepth; i < end; i++) sumX += x[i];
      batchOffset = filterOffset * sumX;
    }
    const o = b * outputDepth;
    let c = 0;
    // Three channels left still go 4 at a time (the last row twice): cheaper than one by one.
    if (views) {
      let row = x;
      if (data.inputRow) {
        row = data.inputRow.data;
        for (let d = 0; d < accumDepth; d++) row[d] = x[xStart + d];
      }
      for (; c + 8 <= outputDepth; c += 8) {
        dotRows8Views(row, views[c], views[c + 1], views[c + 2], views[c + 3], views[c + 4], views[c + 5], views[c + 6], views[c + 7], accumDepth, sums);
        requantize(data, sums, c, 8, batchOffset, out, o);
      }
      for (; c + 3 <= outputDepth; c += 4) {
        const more = c + 4 <= outputDepth;
        dotRows4Views(row, views[c], views[c + 1], views[c + 2], views[more ? c + 3 : c + 2], accumDepth, sums);
        requantize(data, sums, c, more ? 4 : 3, batchOffset, out, o);
      }
    } else {
      for (; c + 8 <= outputDepth; c += 8) {
        dotRows8(x, xStart, w, c * accumDepth, accumDepth, accumDepth, sums);
        requantize(data, sums, c, 8, batchOffset, out, o);
      }
      if (c + 3 <= outputDepth) {
        const p = c * accumDepth, more = c + 4 <= outputDepth;
        dotRows4(x, xStart, w, p, p + accumDepth, p + 2 * accumDepth, p + (more ? 3 : 2) * accumDepth, accumDepth, sums);
        requantize(data, sums, c, more ? 4 : 3, batchOffset, out, o);
        c += more ? 4 : 3;
      }
    }
    for (; c < outputDepth; c++) {
      sums[0] = dotRow(x, xStart, w, c * accumDepth, accumDepth);
      requantize(data, sums, c, 1, batchOffset, out, o);
    }
  }
}

/** Output channels c .. c + n - 1 of one batch from their sums of products. */
function requantize(data: FullyConnectedData, sums: Float64Array, c: number, n: number, batchOffset: number, out: TensorData, o: number): void {
  const offsets = data.channelOffset, multipliers = data.multipliers, shifts = data.shifts;
  const outputZeroPoint = data.outputZeroPoint, low = data.activationMin, high = data.activationMax;
  const wide = data.mode === Mode.INT64_ACC;
  for (let k = 0; k < n; k++) {
    const acc = sums[k] + offsets[c] + batchOffset;
    let result = wide
      ? multiplyByQuantizedMultiplier64(acc, multipliers[c], shifts[c])
      : requantizeInt32(acc | 0, multipliers[c], shifts[c]);
    result += outputZeroPoint;
    out[o + c] = result < low ? low : result > high ? high : result;
    c++;
  }
}

function evalInt8Packed(node: Node, data: FullyConnectedData, rows: Int32Array[]): void {
  const input = node.inputs[0]!.data;
  const w = node.inputs[1]!.data;
  const out = node.outputs[0].data;
  const batches = data.batches, outputDepth = data.outputDepth, accumDepth = data.accumDepth;
  const pairs = outputDepth >> 1;
  const filterOffset = data.filterOffset;
  const row = data.inputRow ? data.inputRow.data : input;
  const sums = data.groupSums;
  for (let b = 0; b < batches; b++) {
    const xStart = b * accumDepth;
    if (data.inputRow) {
      for (let d = 0; d < accumDepth; d++) row[d] = input[xStart + d];
    }
    let batchOffset = 0;
    if (filterOffset !== 0) {
      let sumX = 0;
      for (let d = 0; d < accumDepth; d++) sumX += row[d];
      batchOffset = filterOffset * sumX;
    }
    const o = b * outputDepth;
    for (let p = 0; p < pairs; p++) {
      dotPackedPair(row, rows[p], accumDepth, sums);
      requantize(data, sums, 2 * p, 2, batchOffset, out, o);
    }
    if (outputDepth & 1) {
      const c = outputDepth - 1;
      sums[0] = dotRow(row, 0, w, c * accumDepth, accumDepth);
      requantize(data, sums, c, 1, batchOffset, out, o);
    }
  }
}

function evalFloat(node: Node, data: FullyConnectedData): void {
  const fround = Math.fround;
  const x = node.inputs[0]!.data;
  const w = node.inputs[1]!.data;
  const out = node.outputs[0].data;
  const batches = data.batches, outputDepth = data.outputDepth, accumDepth = data.accumDepth;
  const bias = data.channelOffset;
  const low = data.activationMin, high = data.activationMax;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    const xStart = b * accumDepth, xEnd = xStart + accumDepth, xEnd4 = xEnd - (accumDepth & 3);
    let wi = 0;
    for (let c = 0; c < outputDepth; c++) {
      // float32 accumulation in order, as the reference loop does.
      let total = 0;
      let xi = xStart;
      while (xi < xEnd4) {
        total = fround(total + fround(x[xi] * w[wi]));
        total = fround(total + fround(x[xi + 1] * w[wi + 1]));
        total = fround(total + fround(x[xi + 2] * w[wi + 2]));
        total = fround(total + fround(x[xi + 3] * w[wi + 3]));
        xi += 4;
        wi += 4;
      }
      while (xi < xEnd) {
        total = fround(total + fround(x[xi] * w[wi]));
        xi++;
        wi++;
      }
      // TFLM adds a 0 bias when there is none; the sum also turns -0 into +0.
      let value = fround(total + bias[c]);
      if (value < low) value = low;
      if (value > high) value = high;
      out[o++] = value;
    }
  }
}

export const FULLY_CONNECTED: Kernel<FullyConnectedData> = {
  code: 9,
  name: 'FULLY_CONNECTED',
  options: 'FullyConnectedOptions',
  types: ['float32', 'int8', 'int16x8'],
  prepare,
  eval: evalFullyConnected,
};
