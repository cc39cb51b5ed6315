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
import { refuseHybrid } from './internal/ops-hybrid.js';
import { indexIn, sharedViews, viewNumber, type SharedViews } from './internal/shared-views.js';

/** Fields of an operator's record (Int32 elements at SvdfData.at in SharedViews.rec). */
const enum F {
  INTEGER, BATCHES, INPUT_SIZE, FILTERS, UNITS, RANK, MEMORY, ACTIVATION,
  /** Element indices, in their views, of input, weights_feature, weights_time, bias (-1: none), state, output. */
  X, WF, WT, B, STATE, O,
  /** float32: per batch and filter, the time dot product; int8: one batch's input less its zero point (-1: none). */
  SCRATCH,
  /** View numbers in SharedViews.views, two to a field (low, high 16 bits). */
  X_O_VIEWS, WF_WT_VIEWS, B_STATE_VIEWS, SCRATCH_VIEW,
  STATE_ZERO_POINT, INPUT_OFFSET, OUTPUT_ZERO_POINT,
  /** Input × feature weights → state, and state × time weights → output. */
  MULTIPLIER1, SHIFT1, MULTIPLIER2, SHIFT2,
  STATE_MIN, STATE_MAX,
  /** Index in rec of per filter Σ weights_time (folds the state's zero point out of the loop), or -1. */
  TIME_SUMS,
  /** 1: refill the time sums at every eval (weights_time is not constant). */
  TIME_SUMS_AT_EVAL,
  /** Index in rec of weights_feature packed two filters per int32 (weight cache), or -1. */
  PACKED,
  SIZE,
}

/** One operator's op data: its record's index and the interpreter's shared views (3 heap slots). */
export interface SvdfData {
  at: number;
  s: SharedViews;
}

function prepare(ctx: PrepareContext, node: Node): SvdfData {
  const inputs = node.inputs;
  if (inputs.length !== 5) ctx.fail(`has ${inputs.length} inputs, expected 5 (input, weights_feature, weights_time, bias, state)`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const names = ['input', 'weights_feature', 'weights_time', 'bias', 'activation_state'];
  for (const i of [0, 1, 2, 4]) if (!inputs[i]) ctx.fail(`input ${i} (${names[i]}) is missing`);
  const input = inputs[0]!, weightsFeature = inputs[1]!, weightsTime = inputs[2]!, bias = inputs[3], state = inputs[4]!;
  const output = node.outputs[0];
  refuseHybrid(ctx, input, weightsFeature, 'weights_feature');
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

  const integer = input.type !== TensorType.FLOAT32;
  let multiplier1 = 0, shift1 = 0, multiplier2 = 0, shift2 = 0, stateMin = 0, stateMax = 0;
  if (!integer) {
    if (weightsFeature.type !== TensorType.FLOAT32 || weightsTime.type !== TensorType.FLOAT32 || state.type !== TensorType.FLOAT32) {
      ctx.fail('float32 input needs float32 weights and state');
    }
    if (bias && bias.type !== TensorType.FLOAT32) ctx.fail(`bias ${bias.describe()} must be float32`);
    if (output.type !== TensorType.FLOAT32) ctx.fail(`output ${output.describe()} must be float32`);
    if (activation > Activation.SIGN_BIT + 1) ctx.fail(`fused activation ${activationName(activation)} is not supported`);
  } else {
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
    multiplier1 = m1.multiplier;
    shift1 = m1.shift;
    multiplier2 = m2.multiplier;
    shift2 = m2.shift;
    stateMin = stateType === TensorType.INT16 ? -32768 : -128;
    stateMax = stateType === TensorType.INT16 ? 32767 : 127;
  }
  const inputOffset = integer ? -input.zeroPoint : 0, stateZeroPoint = integer ? state.zeroPoint : 0;

  // Memory, in the same order in both prepare runs: the record (and the time sums), the packed
  // feature weights (when the weight cache grants them), the shared views, the scratch.
  const timeSums = stateZeroPoint !== 0 ? filters : 0;
  const record = ctx.persistent(TensorType.INT32, F.SIZE + timeSums) as Int32Array;
  const packed = integer && weightsFeature.isConstant && filters >= 2 && inputSize >= PACK_MIN_DEPTH &&
    ctx.reserveWeightCache(packedLength(filters, inputSize) * 4) ? ctx.persistent(TensorType.INT32, packedLength(filters, inputSize)) as Int32Array : null;
  const s = sharedViews(ctx);
  // float32: the time dot products; int8: the input less its zero point, one batch at a time,
  // so the zero point needs no per-filter Σw.
  const scratch = !integer ? ctx.scratch(TensorType.FLOAT32, batches * filters) : inputOffset !== 0 ? ctx.scratch(TensorType.INT16, inputSize) : null;

  const at = indexIn(record);
  const xv = viewNumber(s, input.data), ov = viewNumber(s, output.data), wfv = viewNumber(s, weightsFeature.data);
  const wtv = viewNumber(s, weightsTime.data), bv = bias ? viewNumber(s, bias.data) : 0, sv = viewNumber(s, state.data);
  const scv = scratch ? viewNumber(s, scratch) : 0;
  if (s.views.length > 0xffff) ctx.fail('too many shared views');
  if (!ctx.sizing) {
    const rec = s.rec;
    rec[at + F.INTEGER] = integer ? 1 : 0;
    rec[at + F.BATCHES] = batches;
    rec[at + F.INPUT_SIZE] = inputSize;
    rec[at + F.FILTERS] = filters;
    rec[at + F.UNITS] = units;
    rec[at + F.RANK] = rank;
    rec[at + F.MEMORY] = memory;
    rec[at + F.ACTIVATION] = activation;
    rec[at + F.X] = indexIn(input.data);
    rec[at + F.WF] = indexIn(weightsFeature.data);
    rec[at + F.WT] = indexIn(weightsTime.data);
    rec[at + F.B] = bias ? indexIn(bias.data) : -1;
    rec[at + F.STATE] = indexIn(state.data);
    rec[at + F.O] = indexIn(output.data);
    rec[at + F.SCRATCH] = scratch ? indexIn(scratch) : -1;
    rec[at + F.X_O_VIEWS] = xv | ov << 16;
    rec[at + F.WF_WT_VIEWS] = wfv | wtv << 16;
    rec[at + F.B_STATE_VIEWS] = bv | sv << 16;
    rec[at + F.SCRATCH_VIEW] = scv;
    rec[at + F.STATE_ZERO_POINT] = stateZeroPoint;
    rec[at + F.INPUT_OFFSET] = inputOffset;
    rec[at + F.OUTPUT_ZERO_POINT] = integer ? output.zeroPoint : 0;
    rec[at + F.MULTIPLIER1] = multiplier1;
    rec[at + F.SHIFT1] = shift1;
    rec[at + F.MULTIPLIER2] = multiplier2;
    rec[at + F.SHIFT2] = shift2;
    rec[at + F.STATE_MIN] = stateMin;
    rec[at + F.STATE_MAX] = stateMax;
    rec[at + F.TIME_SUMS] = timeSums ? at + F.SIZE : -1;
    rec[at + F.TIME_SUMS_AT_EVAL] = timeSums && !weightsTime.isConstant ? 1 : 0;
    rec[at + F.PACKED] = packed ? indexIn(packed) : -1;
    if (timeSums && weightsTime.isConstant) rowSums(constantData(weightsTime), 0, filters, memory, rec, at + F.SIZE);
    if (packed) packInt8RowPairs(constantData(weightsFeature), filters, inputSize, packed, 0);
  }
  return { at, s };
}

/** sums[to + r] = Σ of row r of the [rows, depth] matrix at m[from] (Σ of int16 over a memory below 2^16 fits int32). */
function rowSums(m: TensorData, from: number, rows: number, depth: number, sums: Int32Array, to: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = from + r * depth, end = i + depth; i < end; i++) sum += m[i];
    sums[to + r] = sum;
  }
}

/** Requantizes the feature sums of filters f .. f + n - 1 into their newest state slots. */
function storeFeatures(rec: Int32Array, at: number, sums: Float64Array, f: number, n: number, state: TensorData, stateStart: number): void {
  const multiplier1 = rec[at + F.MULTIPLIER1], shift1 = rec[at + F.SHIFT1];
  const stateMin = rec[at + F.STATE_MIN], stateMax = rec[at + F.STATE_MAX], stateZeroPoint = rec[at + F.STATE_ZERO_POINT];
  const memory = rec[at + F.MEMORY];
  let slot = stateStart + f * memory + memory - 1;
  for (let k = 0; k < n; k++) {
    let scaled = requantizeInt32(sums[k] | 0, multiplier1, shift1);
    scaled = scaled < stateMin ? stateMin : scaled > stateMax ? stateMax : scaled;
    state[slot] = stateZeroPoint + scaled;
    slot += memory;
  }
}

function evalInteger(at: number, s: SharedViews): void {
  const rec = s.rec, views = s.views, sums = s.sums;
  const xoViews = rec[at + F.X_O_VIEWS], wViews = rec[at + F.WF_WT_VIEWS], bsViews = rec[at + F.B_STATE_VIEWS];
  const input = views[xoViews & 0xffff], output = views[xoViews >>> 16];
  const weightsFeature = views[wViews & 0xffff], weightsTime = views[wViews >>> 16];
  const biasData = views[bsViews & 0xffff], state = views[bsViews >>> 16];
  const row = views[rec[at + F.SCRATCH_VIEW]];
  const xAt = rec[at + F.X], wfAt = rec[at + F.WF], wtAt = rec[at + F.WT], bAt = rec[at + F.B];
  const sAt = rec[at + F.STATE], rowAt = rec[at + F.SCRATCH];
  const batches = rec[at + F.BATCHES], inputSize = rec[at + F.INPUT_SIZE], filters = rec[at + F.FILTERS];
  const units = rec[at + F.UNITS], rank = rec[at + F.RANK], memory = rec[at + F.MEMORY];
  const stateZeroPoint = rec[at + F.STATE_ZERO_POINT], inputOffset = rec[at + F.INPUT_OFFSET];
  const timeSums = rec[at + F.TIME_SUMS];
  if (rec[at + F.TIME_SUMS_AT_EVAL]) rowSums(weightsTime, wtAt, filters, memory, rec, timeSums);

  // The whole buffer moves one element left, across filters too, as the reference does.
  state.copyWithin(sAt, sAt + 1, sAt + batches * filters * memory);

  // Feature projection into each filter's newest memory slot: Σ w · (x - zx), with x - zx
  // written once per batch into scratch when zx is not 0.
  const packedAt = rec[at + F.PACKED];
  for (let b = 0; b < batches; b++) {
    let x = input, xStart = xAt + b * inputSize;
    if (rowAt >= 0) {
      for (let i = 0; i < inputSize; i++) row[rowAt + i] = input[xStart + i] + inputOffset;
      x = row;
      xStart = rowAt;
    }
    const stateStart = sAt + b * filters * memory;
    let f = 0;
    if (packedAt >= 0) {
      for (; f + 2 <= filters; f += 2) {
        dotPackedPair(x, xStart, rec, packedAt + (f >> 1) * inputSize, inputSize, sums);
        storeFeatures(rec, at, sums, f, 2, state, stateStart);
      }
    } else {
      for (; f + 8 <= filters; f += 8) {
        dotRows8(x, xStart, weightsFeature, wfAt + f * inputSize, inputSize, inputSize, sums);
        storeFeatures(rec, at, sums, f, 8, state, stateStart);
      }
      // Three filters left still go 4 at a time (the last row twice).
      if (f + 3 <= filters) {
        const p = wfAt + f * inputSize, more = f + 4 <= filters;
        dotRows4(x, xStart, weightsFeature, p, p + inputSize, p + 2 * inputSize, p + (more ? 3 : 2) * inputSize, inputSize, sums);
        storeFeatures(rec, at, sums, f, more ? 4 : 3, state, stateStart);
        f += more ? 4 : 3;
      }
    }
    for (; f < filters; f++) {
      sums[0] = dotRow(x, xStart, weightsFeature, wfAt + f * inputSize, inputSize);
      storeFeatures(rec, at, sums, f, 1, state, stateStart);
    }
  }

  // Time: each filter's memory against its time weights, Σ wt · (s - zs) = Σ wt · s - zs · Σ wt,
  // summed with the bias over each unit's rank filters and requantized into the output. A state
  // index is its time weight's index plus the batch's offset. The sums are exact in doubles and
  // wrap to int32 where the reference's int32 accumulators (and its int32 scratch) do.
  const memory8 = memory & ~7;
  const multiplier2 = rec[at + F.MULTIPLIER2], shift2 = rec[at + F.SHIFT2], outputZeroPoint = rec[at + F.OUTPUT_ZERO_POINT];
  let o = rec[at + F.O];
  for (let b = 0; b < batches; b++) {
    const offset = sAt + b * memory * filters - wtAt;
    let ti = wtAt, f = timeSums;
    for (let u = 0; u < units; u++) {
      let sum = bAt >= 0 ? biasData[bAt + u] : 0;
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
        sum = (sum + dot - (timeSums >= 0 ? stateZeroPoint * rec[f] : 0)) | 0;
        f++;
      }
      const value = requantizeInt32(sum, multiplier2, shift2) + outputZeroPoint;
      output[o++] = value < -128 ? -128 : value > 127 ? 127 : value;
    }
  }
}

function evalFloat(at: number, s: SharedViews): void {
  const fround = Math.fround;
  const rec = s.rec, views = s.views;
  const xoViews = rec[at + F.X_O_VIEWS], wViews = rec[at + F.WF_WT_VIEWS], bsViews = rec[at + F.B_STATE_VIEWS];
  const input = views[xoViews & 0xffff], output = views[xoViews >>> 16];
  const weightsFeature = views[wViews & 0xffff], weightsTime = views[wViews >>> 16];
  const biasData = views[bsViews & 0xffff], state = views[bsViews >>> 16];
  const scratch = views[rec[at + F.SCRATCH_VIEW]];
  const xAt = rec[at + F.X], wfAt = rec[at + F.WF], wtAt = rec[at + F.WT], bAt = rec[at + F.B];
  const sAt = rec[at + F.STATE], scAt = rec[at + F.SCRATCH];
  const batches = rec[at + F.BATCHES], inputSize = rec[at + F.INPUT_SIZE], filters = rec[at + F.FILTERS];
  const units = rec[at + F.UNITS], rank = rec[at + F.RANK], memory = rec[at + F.MEMORY];

  state.copyWithin(sAt, sAt + 1, sAt + batches * filters * memory);

  let slot = sAt + memory - 1;
  for (let b = 0; b < batches; b++) {
    const xStart = xAt + b * inputSize, xEnd = xStart + inputSize;
    let wi = wfAt;
    for (let f = 0; f < filters; f++) {
      let dot = 0;
      for (let xi = xStart; xi < xEnd; xi++) dot = fround(dot + fround(weightsFeature[wi++] * input[xi]));
      state[slot] = dot;
      slot += memory;
    }
  }

  for (let b = 0; b < batches; b++) {
    let si = sAt + b * memory * filters;
    let ti = wtAt;
    const scratchStart = scAt + b * filters;
    for (let f = 0; f < filters; f++) {
      let dot = 0;
      for (let j = 0; j < memory; j++) dot = fround(dot + fround(weightsTime[ti++] * state[si++]));
      scratch[scratchStart + f] = dot;
    }
  }

  const activation = rec[at + F.ACTIVATION];
  let o = rec[at + F.O];
  for (let b = 0; b < batches; b++) {
    let k = scAt + b * filters;
    for (let u = 0; u < units; u++) {
      let sum = bAt >= 0 ? biasData[bAt + u] : 0;
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
  const at = data.at, s = data.s;
  if (s.rec[at + F.INTEGER]) evalInteger(at, s);
  else evalFloat(at, s);
}

export const SVDF: Kernel<SvdfData> = Object.freeze<Kernel<SvdfData>>({
  code: 27,
  name: 'SVDF',
  options: 'SVDFOptions',
  types: Object.freeze(['float32', 'int8 (int16 or int8 state)']),
  prepare,
  eval: evalSvdf,
});
