// SVDF (TFLM svdf.cc, svdf_common.cc): a rank-`rank` singular-value-decomposition filter over
// time. Each invoke shifts the activation state (a variable tensor input, kept across invokes)
// one step left, writes the feature projection of the new input into each filter's last
// memory slot, then dots every filter's memory with its time weights and sums `rank` filters
// per output unit, plus bias.
//  - float32: all float32 arithmetic, fused activation applied.
//  - int8 input/output with int16 (or int8) weights_time and state: TFLM's integer algorithm,
//    two requantizations (into the state, into the output), no fused activation (as TFLM).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { constantData } from './internal/constant-data.js';
import { dotRow, dotRows4, dotRows8 } from './internal/int8-rows.js';
import { dotPackedPair, PACK_MIN_DEPTH, packedLength, packInt8RowPairs } from './internal/packed-int8.js';
import { Activation, activationName, quantizeMultiplier, requantizeInt32 } from './internal/quantization.js';
import { groupSums } from './internal/shared-views.js';

export interface SvdfData {
  integer: boolean;
  batches: number;
  inputSize: number;
  filters: number;
  units: number;
  rank: number;
  memory: number;
  activation: number;
  input: TensorData;
  weightsFeature: TensorData;
  weightsTime: TensorData;
  bias: TensorData | null;
  state: TensorData;
  output: TensorData;
  /** Per batch and filter: the float32 time dot product (float path); int8: one batch's input less its zero point, or null. */
  scratch: TensorData | null;
  stateZeroPoint: number;
  inputOffset: number;
  outputZeroPoint: number;
  /** Input × feature weights → state, and state × time weights → output. */
  multiplier1: number;
  shift1: number;
  multiplier2: number;
  shift2: number;
  stateMin: number;
  stateMax: number;
  /** Per filter Σ weights_time, to fold the state's zero point out of the loop (null when it is 0). */
  timeSums: Int32Array | null;
  /** Refill timeSums at every eval: weights_time is not constant. */
  timeSumsAtEval: boolean;
  /** weights_feature packed two filters per int32 (weight cache), or null. */
  packedFeatures: Int32Array | null;
  /** The feature sums of one group of filters (shared). */
  groupSums: Float64Array;
}

function prepare(ctx: PrepareContext, node: Node): SvdfData {
  const inputs = node.inputs;
  if (inputs.length !== 5) ctx.fail(`has ${inputs.length} inputs, expected 5 (input, weights_feature, weights_time, bias, state)`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const names = ['input', 'weights_feature', 'weights_time', 'bias', 'activation_state'];
  for (const i of [0, 1, 2, 4]) if (!inputs[i]) ctx.fail(`input ${i} (${names[i]}) is missing`);
  const input = inputs[0]!, weightsFeature = inputs[1]!, weightsTime = inputs[2]!, bias = inputs[3], state = inputs[4]!;
  const output = node.outputs[0];
  const options = node.options as unknown as { rank: number; fusedActivationFunction: number };
  const rank = options.rank | 0;
  const activation = options.fusedActivationFunction | 0;

  if (input.rank !== 2) ctx.fail(`input ${input.describe()} must have 2 dimensions (batch, input size)`);
  if (weightsFeature.rank !== 2) ctx.fail(`weights_feature ${weightsFeature.describe()} must have 2 dimensions`);
  if (weightsTime.rank !== 2) ctx.fail(`weights_time ${weightsTime.describe()} must have 2 dimensions`);
  const batches = input.shape[0], inputSize = input.shape[1];
  const filters = weightsFeature.shape[0];
  const memory = weightsTime.shape[1];
  if (rank <= 0 || filters % rank !== 0) ctx.fail(`rank ${rank} does not divide the ${filters} filters`);
  const units = filters / rank;
  if (weightsFeature.shape[1] !== inputSize) ctx.fail(`weights_feature ${weightsFeature.describe()} must have ${inputSize} columns`);
  if (weightsTime.shape[0] !== filters) ctx.fail(`weights_time ${weightsTime.describe()} must have ${filters} rows`);
  if (output.rank !== 2 || output.shape[0] !== batches || output.shape[1] !== units) {
    ctx.fail(`output ${output.describe()} must be [${batches}, ${units}]`);
  }
  if (bias && bias.elementCount !== units) ctx.fail(`bias ${bias.describe()} must hold ${units} values`);
  if (state.rank !== 2 || state.shape[0] !== batches || state.shape[1] !== memory * filters) {
    ctx.fail(`activation_state ${state.describe()} must be [${batches}, ${memory * filters}]`);
  }
  if (!state.isVariable) ctx.fail(`activation_state ${state.describe()} must be a variable tensor`);

  const data: SvdfData = {
    integer: false, batches, inputSize, filters, units, rank, memory, activation,
    input: input.data, weightsFeature: weightsFeature.data, weightsTime: weightsTime.data, bias: bias ? bias.data : null,
    state: state.data, output: output.data, scratch: null,
    stateZeroPoint: 0, inputOffset: 0, outputZeroPoint: 0,
    multiplier1: 0, shift1: 0, multiplier2: 0, shift2: 0, stateMin: 0, stateMax: 0,
    timeSums: null, timeSumsAtEval: false, packedFeatures: null, groupSums: groupSums(ctx),
  };

  if (input.type === TensorType.FLOAT32) {
    if (weightsFeature.type !== TensorType.FLOAT32 || weightsTime.type !== TensorType.FLOAT32 || state.type !== TensorType.FLOAT32) {
      ctx.fail('float32 input needs float32 weights and state');
    }
    if (bias && bias.type !== TensorType.FLOAT32) ctx.fail(`bias ${bias.describe()} must be float32`);
    if (output.type !== TensorType.FLOAT32) ctx.fail(`output ${output.describe()} must be float32`);
    if (activation > Activation.SIGN_BIT + 1) ctx.fail(`fused activation ${activationName(activation)} is not supported`);
    data.scratch = ctx.scratch(TensorType.FLOAT32, batches * filters);
    return data;
  }
  if (input.type !== TensorType.INT8) ctx.fail(`input type ${typeName(input.type)} is not supported (float32, int8)`);
  if (weightsFeature.type !== TensorType.INT8) ctx.fail(`weights_feature ${weightsFeature.describe()} must be int8`);
  const stateType = weightsTime.type;
  if (stateType !== TensorType.INT16 && stateType !== TensorType.INT8) ctx.fail(`weights_time ${weightsTime.describe()} must be int16 or int8`);
  if (state.type !== stateType) ctx.fail(`activation_state ${state.describe()} must have the type of weights_time (${typeName(stateType)})`);
  if (bias && bias.type !== TensorType.INT32) ctx.fail(`bias ${bias.describe()} must be int32`);
  if (output.type !== TensorType.INT8) ctx.fail(`output ${output.describe()} must be int8`);
  for (const t of [input, weightsFeature, weightsTime, state, output]) {
    if (!t.quantization) ctx.fail(`${t.describe()} has no scale and zero point`);
  }
  // TFLM computes both scales in float before widening to double.
  const fround = Math.fround;
  const scale1 = fround(fround(input.scale * weightsFeature.scale) / state.scale);
  const scale2 = fround(fround(state.scale * weightsTime.scale) / output.scale);
  if (bias && Math.abs(bias.scale - fround(state.scale * weightsTime.scale)) >= 1e-5) {
    ctx.fail(`bias scale ${bias.scale} must equal state scale × weights_time scale`);
  }
  const m1 = quantizeMultiplier(scale1), m2 = quantizeMultiplier(scale2);
  data.integer = true;
  data.multiplier1 = m1.multiplier;
  data.shift1 = m1.shift;
  data.multiplier2 = m2.multiplier;
  data.shift2 = m2.shift;
  data.inputOffset = -input.zeroPoint;
  data.stateZeroPoint = state.zeroPoint;
  data.outputZeroPoint = output.zeroPoint;
  data.stateMin = stateType === TensorType.INT16 ? -32768 : -128;
  data.stateMax = stateType === TensorType.INT16 ? 32767 : 127;
  if (weightsFeature.isConstant && filters >= 2 && inputSize >= PACK_MIN_DEPTH && ctx.reserveWeightCache(packedLength(filters, inputSize) * 4)) {
    const packed = ctx.persistent(TensorType.INT32, packedLength(filters, inputSize)) as Int32Array;
    if (!ctx.sizing) packInt8RowPairs(constantData(weightsFeature), filters, inputSize, packed, 0);
    data.packedFeatures = packed;
  }
  // The input less its zero point, one batch at a time, so the zero point needs no per-filter Σw.
  if (data.inputOffset !== 0) data.scratch = ctx.scratch(TensorType.INT16, inputSize);
  if (data.stateZeroPoint !== 0) {
    const sums = ctx.persistent(TensorType.INT32, filters) as Int32Array;
    data.timeSums = sums;
    data.timeSumsAtEval = !weightsTime.isConstant;
    if (!ctx.sizing && weightsTime.isConstant) rowSums(constantData(weightsTime), filters, memory, sums);
  }
  return data;
}

/** Σ of each row of a [rows, depth] matrix (Σ of int16 over a memory below 2^16 fits int32). */
function rowSums(matrix: TensorData, rows: number, depth: number, sums: Int32Array): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = r * depth, end = i + depth; i < end; i++) sum += matrix[i];
    sums[r] = sum;
  }
}

/** Requantizes the feature sums of filters f .. f + n - 1 into their newest state slots. */
function storeFeatures(data: SvdfData, sums: Float64Array, f: number, n: number, state: TensorData, stateStart: number): void {
  const multiplier1 = data.multiplier1, shift1 = data.shift1;
  const stateMin = data.stateMin, stateMax = data.stateMax, stateZeroPoint = data.stateZeroPoint;
  const memory = data.memory;
  let slot = stateStart + f * memory + memory - 1;
  for (let k = 0; k < n; k++) {
    let scaled = requantizeInt32(sums[k] | 0, multiplier1, shift1);
    scaled = scaled < stateMin ? stateMin : scaled > stateMax ? stateMax : scaled;
    state[slot] = stateZeroPoint + scaled;
    slot += memory;
  }
}

function evalInteger(data: SvdfData): void {
  const input = data.input;
  const weightsFeature = data.weightsFeature;
  const weightsTime = data.weightsTime;
  const state = data.state;
  const output = data.output;
  const batches = data.batches, inputSize = data.inputSize, filters = data.filters;
  const units = data.units, rank = data.rank, memory = data.memory;
  const stateZeroPoint = data.stateZeroPoint, inputOffset = data.inputOffset;
  const timeSums = data.timeSums;
  if (data.timeSumsAtEval) rowSums(weightsTime, filters, memory, timeSums!);

  // The whole buffer moves one element left, across filters too, as the reference does.
  state.copyWithin(0, 1, batches * filters * memory);

  // Feature projection into each filter's newest memory slot: Σ w · (x - zx), with x - zx
  // written once per batch into scratch when zx is not 0.
  const packed = data.packedFeatures;
  const sums = data.groupSums;
  const row = data.scratch;
  for (let b = 0; b < batches; b++) {
    let x = input, xStart = b * inputSize;
    if (row !== null) {
      for (let i = 0; i < inputSize; i++) row[i] = input[xStart + i] + inputOffset;
      x = row;
      xStart = 0;
    }
    const stateStart = b * filters * memory;
    let f = 0;
    if (packed) {
      for (; f + 2 <= filters; f += 2) {
        dotPackedPair(x, xStart, packed, (f >> 1) * inputSize, inputSize, sums);
        storeFeatures(data, sums, f, 2, state, stateStart);
      }
    } else {
      for (; f + 8 <= filters; f += 8) {
        dotRows8(x, xStart, weightsFeature, f * inputSize, inputSize, inputSize, sums);
        storeFeatures(data, sums, f, 8, state, stateStart);
      }
      // Three filters left still go 4 at a time (the last row twice).
      if (f + 3 <= filters) {
        const p = f * inputSize, more = f + 4 <= filters;
        dotRows4(x, xStart, weightsFeature, p, p + inputSize, p + 2 * inputSize, p + (more ? 3 : 2) * inputSize, inputSize, sums);
        storeFeatures(data, sums, f, more ? 4 : 3, state, stateStart);
        f += more ? 4 : 3;
      }
    }
    for (; f < filters; f++) {
      sums[0] = dotRow(x, xStart, weightsFeature, f * inputSize, inputSize);
      storeFeatures(data, sums, f, 1, state, stateStart);
    }
  }

  // Time: each filter's memory against its time weights, Σ wt · (s - zs) = Σ wt · s - zs · Σ wt,
  // summed with the bias over each unit's rank filters and requantized into the output. A state
  // index is its time weight's index plus the batch's offset. The sums are exact in doubles and
  // wrap to int32 where the reference's int32 accumulators (and its int32 scratch) do.
  const memory8 = memory & ~7;
  const biasData = data.bias;
  const multiplier2 = data.multiplier2, shift2 = data.shift2, outputZeroPoint = data.outputZeroPoint;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    const offset = b * memory * filters;
    let ti = 0, f = 0;
    for (let u = 0; u < units; u++) {
      let sum = biasData ? biasData[u] : 0;
      for (let r = 0; r < rank; r++) {
        const stop8 = ti + memory8, stop = ti + memory;
        let si = ti + offset;
        let dot = 0;
        while (ti < stop8) {
          dot += weightsTime[ti] * state[si] + weightsTime[ti + 1] * state[si + 1] + weightsTime[ti + 2] * state[si + 2] + weightsTime[ti + 3] * state[si + 3] + weightsTime[ti + 4] * state[si + 4] + weightsTime[ti + 5] * state[si + 5] + weightsTime[ti + 6] * state[si + 6] + weightsTime[ti + 7] * state[si + 7];
          ti += 8;
          si += 8;
        }
        while (ti < stop) dot += weightsTime[ti++] * state[si++];
        sum = (sum + dot - (timeSums !== null ? stateZeroPoint * timeSums[f] : 0)) | 0;
        f++;
      }
      const value = requantizeInt32(sum, multiplier2, shift2) + outputZeroPoint;
      output[o++] = value < -128 ? -128 : value > 127 ? 127 : value;
    }
  }
}

function evalFloat(data: SvdfData): void {
  const fround = Math.fround;
  const input = data.input;
  const weightsFeature = data.weightsFeature;
  const weightsTime = data.weightsTime;
  const state = data.state;
  const output = data.output;
  const scratch = data.scratch!;
  const batches = data.batches, inputSize = data.inputSize, filters = data.filters;
  const units = data.units, rank = data.rank, memory = data.memory;

  state.copyWithin(0, 1, batches * filters * memory);

  let slot = memory - 1;
  for (let b = 0; b < batches; b++) {
    const xStart = b * inputSize, xEnd = xStart + inputSize;
    let wi = 0;
    for (let f = 0; f < filters; f++) {
      let dot = 0;
      for (let xi = xStart; xi < xEnd; xi++) dot = fround(dot + fround(weightsFeature[wi++] * input[xi]));
      state[slot] = dot;
      slot += memory;
    }
  }

  for (let b = 0; b < batches; b++) {
    let si = b * memory * filters;
    let ti = 0;
    const scratchStart = b * filters;
    for (let f = 0; f < filters; f++) {
      let dot = 0;
      for (let j = 0; j < memory; j++) dot = fround(dot + fround(weightsTime[ti++] * state[si++]));
      scratch[scratchStart + f] = dot;
    }
  }

  const biasData = data.bias;
  const activation = data.activation;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    let k = b * filters;
    for (let u = 0; u < units; u++) {
      let sum = biasData ? biasData[u] : 0;
      for (let r = 0; r < rank; r++) sum = fround(sum + scratch[k++]);
      output[o++] = activate(activation, sum);
    }
  }
}

/** TFLM's ActivationValFloat. */
function activate(activation: number, x: number): number {
  switch (activation) {
    case Activation.RELU: return x < 0 ? 0 : x;
    case Activation.RELU_N1_TO_1: return x < -1 ? -1 : x > 1 ? 1 : x;
    case Activation.RELU6: return x < 0 ? 0 : x > 6 ? 6 : x;
    case Activation.TANH: return Math.tanh(x);
    case Activation.SIGN_BIT: return x < 0 || (x === 0 && 1 / x < 0) ? 1 : 0;
    case Activation.SIGN_BIT + 1: return Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-x))));
    default: return x;
  }
}

function evalSvdf(data: SvdfData): void {
  if (data.integer) evalInteger(data);
  else evalFloat(data);
}

export const SVDF: Kernel<SvdfData> = {
  code: 27,
  name: 'SVDF',
  options: 'SVDFOptions',
  types: ['float32', 'int8 (int16 or int8 state)'],
  prepare,
  eval: evalSvdf,
};
