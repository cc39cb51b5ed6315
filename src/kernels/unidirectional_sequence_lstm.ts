// UNIDIRECTIONAL_SEQUENCE_LSTM as TFLM runs it (unidirectional_sequence_lstm.cc, lstm_eval.h,
// lstm_eval.cc, lstm_eval_common.cc): the standard Keras LSTM without peephole, projection,
// CIFG or layer norm. Each gate is FC(input) + FC(hidden) followed by sigmoid (tanh for the cell
// gate). Quantized variants compute the gates in Q3.12 int16, their activations in Q0.15, and
// keep the cell state in int16; int8 activations use int32 biases, int16 activations int64.
// The hidden and cell states are variable tensors (inputs 18 and 19) that persist across invokes.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { refuseHybrid } from './internal/ops-hybrid.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import { cellTanhInput, GATE_ACTIVATION_MULTIPLIER, GATE_ACTIVATION_SHIFT } from './internal/lstm-math.js';
import { LOGISTIC_CUTOFF_LOWER, LOGISTIC_CUTOFF_UPPER, sigmoidInt16 } from './internal/sigmoid.js';
import {
  activationName, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64, quantizeMultiplier,
} from './internal/quantization.js';

const enum Input {
  INPUT = 0,
  INPUT_TO_INPUT = 1, INPUT_TO_FORGET = 2, INPUT_TO_CELL = 3, INPUT_TO_OUTPUT = 4,
  RECURRENT_TO_INPUT = 5, RECURRENT_TO_FORGET = 6, RECURRENT_TO_CELL = 7, RECURRENT_TO_OUTPUT = 8,
  INPUT_GATE_BIAS = 12, FORGET_GATE_BIAS = 13, CELL_GATE_BIAS = 14, OUTPUT_GATE_BIAS = 15,
  HIDDEN_STATE = 18, CELL_STATE = 19,
}

const enum Kind { FLOAT = 0, INT8 = 1, INT16 = 2 }

/** ActivationFunctionType TANH: the only cell-gate activation TFLM's LSTM evaluates. */
const ACTIVATION_TANH = 4;
/** Gate pre-activations are Q3.12 (scale 2^-12), gate outputs Q0.15 (scale 2^-15). */
const GATE_INPUT_SCALE = 0.000244140625;
const GATE_OUTPUT_SCALE = 0.000030517578125;
/** CalculateActivationRange(kTfLiteActNone) clamps float results to ±FLT_MAX. */
const FLOAT_MAX = 3.4028234663852886e38;
const fround = Math.fround;

/** Gates, in the order of their tensors in `LstmData.tensors` and their fields in `LstmData.gates`. */
const enum Gate { FORGET = 0, INPUT = 1, CELL = 2, OUTPUT = 3 }

/** Per gate, in `LstmData.gates`: the requantization of its two fully connected parts and whether folds exist. */
const enum GateField { INPUT_MULTIPLIER = 0, INPUT_SHIFT = 1, RECURRENT_MULTIPLIER = 2, RECURRENT_SHIFT = 3, INPUT_FOLD = 4, RECURRENT_FOLD = 5, SIZE = 6 }

/** `LstmData.tensors`: the input, states and output, then per gate its input weights, recurrent weights and bias. */
const enum View { INPUT = 0, HIDDEN = 1, CELL = 2, OUTPUT = 3, GATES = 4 }

export interface LstmData {
  kind: number;
  timeMajor: boolean;
  batches: number;
  steps: number;
  inputSize: number;
  stateSize: number;
  /** The tensors' data (View order). */
  tensors: TensorData[];
  /** Persistent: GateField.SIZE int32 per gate. */
  gates: Int32Array;
  /**
   * Persistent, quantized kinds with constant weights: per gate, per unit, bias + input offset ×
   * Σ input weights (at 2·gate·units), then hidden offset × Σ recurrent weights (at (2·gate+1)·units).
   */
  folds: Float64Array | null;
  /** Negated zero points of the input and of the hidden state (FC input offsets). */
  inputOffset: number;
  hiddenOffset: number;
  /** forget gate × cell state → cell state. */
  forgetMultiplier: number;
  forgetShift: number;
  /** input gate × cell gate → cell state. */
  inputMultiplier: number;
  inputShift: number;
  /** tanh(cell) × output gate → hidden state, with the hidden state's zero point and range. */
  hiddenMultiplier: number;
  hiddenShift: number;
  hiddenZeroPoint: number;
  hiddenMin: number;
  hiddenMax: number;
  /** Cell clipping: applied when cellClip > 0, in float or as quantizedCellClip. */
  cellClip: number;
  quantizedCellClip: number;
  /** Input rescaling of the int16 tanh applied to the cell state (from the cell scale's power of two). */
  cellTanhMultiplier: number;
  cellTanhShift: number;
  /** Scratch: forget gate, input gate, cell gate, and the recurrent half of a gate. */
  forgetGate: TensorData;
  inputGate: TensorData;
  cellGate: TensorData;
  scratch: TensorData;
}

function requireTensor(ctx: PrepareContext, node: Node, index: number, what: string): Tensor {
  const t = node.inputs[index];
  if (!t) ctx.fail(`input ${index} (${what}) is missing`);
  return t;
}

function requireShape(ctx: PrepareContext, t: Tensor, dims: number[], what: string): void {
  let same = t.rank === dims.length;
  for (let i = 0; same && i < dims.length; i++) same = t.shape[i] === dims[i];
  if (!same) ctx.fail(`${what} ${t.describe()} must have shape [${dims.join(', ')}]`);
}

/** GetQuantizedConvolutionMultipler (float product of the scales) then QuantizeMultiplier. */
function fcMultiplier(ctx: PrepareContext, input: Tensor, weights: Tensor, what: string): { multiplier: number; shift: number } {
  if (!weights.quantization) ctx.fail(`${what} ${weights.describe()} is not quantized`);
  if (weights.quantization.scale.length > 1) {
    ctx.fail(`${what} ${weights.describe()} is quantized per channel; TFLM's LSTM takes per-tensor weights only`);
  }
  if (weights.zeroPoint !== 0) ctx.fail(`${what} ${weights.describe()} must be symmetric (zero point 0), has ${weights.zeroPoint}`);
  const product = fround(input.scale * weights.scale);
  if (!(product >= 0)) ctx.fail(`${what}: input and weight scales give a negative product`);
  return quantizeMultiplier(product / GATE_INPUT_SCALE);
}

/** CreateInterGateMulParams: scales multiplied in double. */
function mulMultiplier(scale1: number, scale2: number, outputScale: number): { multiplier: number; shift: number } {
  return quantizeMultiplier((scale1 * scale2) / outputScale);
}

/**
 * Into `fold` from `at`: bias[c] + offset × Σ_d weights[c, d] for constant int8 weights
 * [units, depth] and an int32 or int64 (low, high word pairs) bias.
 */
function foldOffsets(weights: Tensor, bias: Tensor | null, offset: number, fold: Float64Array, at: number): void {
  const units = weights.shape[0], depth = weights.shape[1];
  const w = weights.data;
  const b = bias ? bias.data : null;
  const wide = bias !== null && bias.type === TensorType.INT64;
  for (let c = 0; c < units; c++) {
    let sum = 0;
    for (let d = 0; d < depth; d++) sum += w[c * depth + d];
    let value = offset * sum;
    if (b !== null) value += wide ? (b[2 * c] >>> 0) + b[2 * c + 1] * 4294967296 : b[c];
    fold[at + c] = value;
  }
}

/** A gate's fields (and folds, when its weights are constant) for the quantized kinds. */
function prepareGate(
  ctx: PrepareContext, node: Node, data: LstmData, gate: Gate, name: string,
  inputWeights: number, recurrentWeights: number, bias: number,
): void {
  const input = node.inputs[Input.INPUT]!, hidden = node.inputs[Input.HIDDEN_STATE]!;
  const w = node.inputs[inputWeights]!, r = node.inputs[recurrentWeights]!, b = node.inputs[bias]!;
  const inputScaling = fcMultiplier(ctx, input, w, `${name} input weights`);
  const recurrentScaling = fcMultiplier(ctx, hidden, r, `${name} recurrent weights`);
  const f = data.gates, at = gate * GateField.SIZE, units = data.stateSize;
  f[at + GateField.INPUT_MULTIPLIER] = inputScaling.multiplier;
  f[at + GateField.INPUT_SHIFT] = inputScaling.shift;
  f[at + GateField.RECURRENT_MULTIPLIER] = recurrentScaling.multiplier;
  f[at + GateField.RECURRENT_SHIFT] = recurrentScaling.shift;
  f[at + GateField.INPUT_FOLD] = w.isConstant && b.isConstant ? 1 : 0;
  f[at + GateField.RECURRENT_FOLD] = r.isConstant ? 1 : 0;
  if (ctx.sizing) return;
  if (w.isConstant && b.isConstant) foldOffsets(w, b, -input.zeroPoint, data.folds!, 2 * gate * units);
  if (r.isConstant) foldOffsets(r, null, -hidden.zeroPoint, data.folds!, (2 * gate + 1) * units);
}

function prepare(ctx: PrepareContext, node: Node): LstmData {
  if (node.inputs.length !== 24) ctx.fail(`has ${node.inputs.length} inputs, expected 24`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const opts = node.options;
  const input = requireTensor(ctx, node, Input.INPUT, 'input');
  const hidden = requireTensor(ctx, node, Input.HIDDEN_STATE, 'hidden state');
  const cell = requireTensor(ctx, node, Input.CELL_STATE, 'cell state');
  const output = node.outputs[0];
  if (!hidden.isVariable) ctx.fail(`hidden state ${hidden.describe()} must be a variable tensor`);
  if (!cell.isVariable) ctx.fail(`cell state ${cell.describe()} must be a variable tensor`);
  if (hidden.type !== input.type) ctx.fail(`hidden state ${hidden.describe()} must have the input's type ${input.typeName}`);
  if (output.type !== input.type) ctx.fail(`output ${output.describe()} must have the input's type ${input.typeName}`);
  const forgetWeights = requireTensor(ctx, node, Input.INPUT_TO_FORGET, 'input-to-forget weights');
  refuseHybrid(ctx, input, forgetWeights, 'input-to-forget weights');
  const weightType = forgetWeights.type;
  for (let i = 1; i < 9; i++) {
    const w = requireTensor(ctx, node, i, 'weights');
    if (w.type !== weightType) ctx.fail(`weights ${w.describe()} must all have one type (${node.inputs[2]!.typeName})`);
  }
  const biasType = requireTensor(ctx, node, Input.FORGET_GATE_BIAS, 'forget gate bias').type;
  for (let i = 12; i < 16; i++) {
    const b = requireTensor(ctx, node, i, 'gate bias');
    if (b.type !== biasType) ctx.fail(`gate biases ${b.describe()} must all have one type (${node.inputs[13]!.typeName})`);
  }
  for (const i of [9, 10, 11, 16, 17, 20, 21, 22, 23]) {
    if (node.inputs[i]) {
      ctx.fail(`input ${i} is present: peephole, projection and layer-norm LSTMs are not supported (TFLM runs the standard LSTM only)`);
    }
  }

  let kind: number;
  if (input.type === TensorType.FLOAT32 && weightType === TensorType.FLOAT32 && biasType === TensorType.FLOAT32 && cell.type === TensorType.FLOAT32) {
    kind = Kind.FLOAT;
  } else if (input.type === TensorType.INT8 && weightType === TensorType.INT8 && biasType === TensorType.INT32 && cell.type === TensorType.INT16) {
    kind = Kind.INT8;
  } else if (input.type === TensorType.INT16 && weightType === TensorType.INT8 && biasType === TensorType.INT64 && cell.type === TensorType.INT16) {
    kind = Kind.INT16;
  } else {
    return ctx.fail(`unsupported types: input ${input.typeName}, weights ${node.inputs[2]!.typeName}, bias ${node.inputs[13]!.typeName}, ` +
      'cell state ' + cell.typeName + ' (supported: all float32; int8/int8/int32/int16; int16/int8/int64/int16)');
  }

  const activation = Number(opts.fusedActivationFunction ?? 0);
  if (activation !== ACTIVATION_TANH) ctx.fail(`cell gate activation ${activationName(activation)} is not supported (TFLM evaluates TANH)`);

  if (input.rank !== 3) ctx.fail(`input ${input.describe()} must have rank 3`);
  if (hidden.rank !== 2) ctx.fail(`hidden state ${hidden.describe()} must have rank 2 [batch, units]`);
  const timeMajor = Boolean(opts.timeMajor);
  const batches = timeMajor ? input.shape[1] : input.shape[0];
  const steps = timeMajor ? input.shape[0] : input.shape[1];
  const inputSize = input.shape[2];
  const stateSize = hidden.shape[1];
  for (let i = 1; i < 5; i++) requireShape(ctx, node.inputs[i]!, [stateSize, inputSize], 'input weights');
  for (let i = 5; i < 9; i++) requireShape(ctx, node.inputs[i]!, [stateSize, stateSize], 'recurrent weights');
  for (let i = 12; i < 16; i++) requireShape(ctx, node.inputs[i]!, [stateSize], 'gate bias');
  if (hidden.elementCount !== batches * stateSize) ctx.fail(`hidden state ${hidden.describe()} must hold ${batches} × ${stateSize} values`);
  if (cell.elementCount !== batches * stateSize) ctx.fail(`cell state ${cell.describe()} must hold ${batches} × ${stateSize} values`);
  if (output.rank !== 3 || output.shape[0] !== input.shape[0] || output.shape[1] !== input.shape[1] || output.shape[2] !== stateSize) {
    ctx.fail(`output ${output.describe()} must have shape [${input.shape[0]}, ${input.shape[1]}, ${stateSize}]`);
  }

  const n = batches * stateSize;
  const quantized = kind !== Kind.FLOAT;
  const cellType = quantized ? TensorType.INT16 : TensorType.FLOAT32;
  const tensors: TensorData[] = [input.data, hidden.data, cell.data, output.data];
  const GATE_TENSORS = [
    [Input.INPUT_TO_FORGET, Input.RECURRENT_TO_FORGET, Input.FORGET_GATE_BIAS],
    [Input.INPUT_TO_INPUT, Input.RECURRENT_TO_INPUT, Input.INPUT_GATE_BIAS],
    [Input.INPUT_TO_CELL, Input.RECURRENT_TO_CELL, Input.CELL_GATE_BIAS],
    [Input.INPUT_TO_OUTPUT, Input.RECURRENT_TO_OUTPUT, Input.OUTPUT_GATE_BIAS],
  ];
  for (const g of GATE_TENSORS) for (const i of g) tensors.push(node.inputs[i]!.data);
  const data: LstmData = {
    kind, timeMajor, batches, steps, inputSize, stateSize, tensors,
    gates: ctx.persistent(TensorType.INT32, 4 * GateField.SIZE) as Int32Array,
    folds: quantized ? ctx.persistent(TensorType.FLOAT64, 8 * stateSize) as Float64Array : null,
    inputOffset: -input.zeroPoint,
    hiddenOffset: -hidden.zeroPoint,
    forgetMultiplier: 0, forgetShift: 0, inputMultiplier: 0, inputShift: 0,
    hiddenMultiplier: 0, hiddenShift: 0, hiddenZeroPoint: 0, hiddenMin: 0, hiddenMax: 0,
    cellClip: fround(Number(opts.cellClip ?? 0)),
    quantizedCellClip: 0,
    cellTanhMultiplier: 0, cellTanhShift: 0,
    forgetGate: ctx.scratch(cellType, n), inputGate: ctx.scratch(cellType, n),
    cellGate: ctx.scratch(cellType, n), scratch: ctx.scratch(cellType, n),
  };

  if (quantized) {
    const names = ['forget gate', 'input gate', 'cell gate', 'output gate'];
    for (let g = 0; g < 4; g++) {
      const [w, r, b] = GATE_TENSORS[g];
      prepareGate(ctx, node, data, g, names[g], w, r, b);
    }
    if (!input.quantization || !hidden.quantization || !cell.quantization) {
      ctx.fail('quantized LSTM needs scales on the input, hidden state and cell state');
    }
    const cellScale = cell.scale;
    if (!(cellScale > 0)) ctx.fail(`cell state ${cell.describe()} has scale ${cellScale}`);
    const cellTanh = cellTanhInput(cellScale);
    data.cellTanhMultiplier = cellTanh.multiplier;
    data.cellTanhShift = cellTanh.leftShift;
    const clip = data.cellClip / cellScale;
    data.quantizedCellClip = Math.trunc(clip < -32768 ? -32768 : clip > 32767 ? 32767 : clip);

    const forgetMul = mulMultiplier(GATE_OUTPUT_SCALE, cellScale, cellScale);
    const inputMul = mulMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cellScale);
    const hiddenMul = mulMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, hidden.scale);
    data.forgetMultiplier = forgetMul.multiplier;
    data.forgetShift = forgetMul.shift;
    data.inputMultiplier = inputMul.multiplier;
    data.inputShift = inputMul.shift;
    data.hiddenMultiplier = hiddenMul.multiplier;
    data.hiddenShift = hiddenMul.shift;
    data.hiddenZeroPoint = hidden.zeroPoint;
    data.hiddenMin = kind === Kind.INT8 ? -128 : -32768;
    data.hiddenMax = kind === Kind.INT8 ? 127 : 32767;
  }
  return data;
}

// ---- integer path ----

/**
 * reference_integer_ops::FullyConnected into int16 (Q3.12): rows of `depth` values from `x` at
 * `xStart`, weights [units, depth], requantized and saturated to int16. With `fold` (constant
 * weights) the input offset and bias are already summed per unit; otherwise they are applied as
 * TFLM does, with an optional bias (int32, or int64 as (low, high) pairs when `wide`).
 */
function fullyConnectedInt(
  x: TensorData, xStart: number, depth: number, xOffset: number, weights: TensorData, bias: TensorData | null,
  folds: Float64Array | null, foldAt: number, multiplier: number, shift: number, wide: boolean, rows: number, units: number,
  out: Int16Array,
): void {
  for (let b = 0; b < rows; b++) {
    const row = xStart + b * depth;
    const outRow = b * units;
    for (let c = 0; c < units; c++) {
      const w = c * depth;
      let acc: number;
      let d = 0;
      if (foldAt >= 0) {
        // Integer sums are exact in doubles, so the order of the additions does not matter:
        // four products per iteration halve XS's loop overhead.
        acc = folds![foldAt + c];
        for (; d + 3 < depth; d += 4) {
          acc += weights[w + d] * x[row + d] + weights[w + d + 1] * x[row + d + 1] +
            weights[w + d + 2] * x[row + d + 2] + weights[w + d + 3] * x[row + d + 3];
        }
        for (; d < depth; d++) acc += weights[w + d] * x[row + d];
      } else {
        acc = 0;
        for (; d < depth; d++) acc += weights[w + d] * (x[row + d] + xOffset);
        if (bias !== null) acc += wide ? (bias[2 * c] >>> 0) + bias[2 * c + 1] * 4294967296 : bias[c];
      }
      // The int8 path accumulates in int32 in TFLM: wrap as C does. Sums are exact in doubles,
      // and wrapping commutes with the additions, so folding first gives the same result.
      const scaled = wide ? multiplyByQuantizedMultiplier64(acc, multiplier, shift) : multiplyByQuantizedMultiplier(acc | 0, multiplier, shift);
      out[outRow + c] = scaled < -32768 ? -32768 : scaled > 32767 ? 32767 : scaled;
    }
  }
}

/** CalculateLstmGate before its activation: saturate16(FC(input) + FC(hidden)) into `out`. */
function gateInt(
  d: LstmData, gate: Gate, x: TensorData, xStart: number, hidden: TensorData, hiddenStart: number,
  rows: number, out: Int16Array, scratch: Int16Array,
): void {
  const tensors = d.tensors, t = View.GATES + 3 * gate;
  const f = d.gates, at = gate * GateField.SIZE, folds = d.folds;
  const wide = d.kind === Kind.INT16;
  const units = d.stateSize;
  const inputFold = f[at + GateField.INPUT_FOLD] ? 2 * gate * units : -1;
  const recurrentFold = f[at + GateField.RECURRENT_FOLD] ? (2 * gate + 1) * units : -1;
  fullyConnectedInt(x, xStart, d.inputSize, d.inputOffset, tensors[t], tensors[t + 2],
    folds, inputFold, f[at + GateField.INPUT_MULTIPLIER], f[at + GateField.INPUT_SHIFT], wide, rows, units, out);
  fullyConnectedInt(hidden, hiddenStart, units, d.hiddenOffset, tensors[t + 1], null,
    folds, recurrentFold, f[at + GateField.RECURRENT_MULTIPLIER], f[at + GateField.RECURRENT_SHIFT], wide, rows, units, scratch);
  const n = rows * units;
  for (let i = 0; i < n; i++) {
    const sum = out[i] + scratch[i];
    out[i] = sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
  }
}

/** reference_integer_ops::MulElementwise of two int16 arrays (symmetric inputs) into `out`. */
function mulInt(
  a: TensorData, aStart: number, b: TensorData, bStart: number, out: TensorData, outStart: number, n: number,
  multiplier: number, shift: number, zeroPoint: number, min: number, max: number,
): void {
  for (let i = 0; i < n; i++) {
    const v = zeroPoint + multiplyByQuantizedMultiplier(a[aStart + i] * b[bStart + i], multiplier, shift);
    out[outStart + i] = v < min ? min : v > max ? max : v;
  }
}

function stepInt(
  d: LstmData, x: TensorData, xStart: number, hidden: TensorData, cell: Int16Array, stateStart: number,
  out: TensorData, outStart: number, rows: number,
): void {
  const forgetGate = d.forgetGate as Int16Array;
  const inputGate = d.inputGate as Int16Array;
  const cellGate = d.cellGate as Int16Array;
  const scratch = d.scratch as Int16Array;
  const n = rows * d.stateSize;

  gateInt(d, Gate.FORGET, x, xStart, hidden, stateStart, rows, forgetGate, scratch);
  sigmoidInt16(forgetGate, 0, forgetGate, 0, n, GATE_ACTIVATION_MULTIPLIER, GATE_ACTIVATION_SHIFT, false);
  gateInt(d, Gate.INPUT, x, xStart, hidden, stateStart, rows, inputGate, scratch);
  sigmoidInt16(inputGate, 0, inputGate, 0, n, GATE_ACTIVATION_MULTIPLIER, GATE_ACTIVATION_SHIFT, false);
  gateInt(d, Gate.CELL, x, xStart, hidden, stateStart, rows, cellGate, scratch);
  // Gate inputs are Q3.12: a scale power of -12 makes the tanh input shift 0.
  sigmoidInt16(cellGate, 0, cellGate, 0, n, GATE_ACTIVATION_MULTIPLIER, GATE_ACTIVATION_SHIFT, true);

  // cell = clip(saturate16(forget × cell + input × cellGate))
  mulInt(forgetGate, 0, cell, stateStart, cell, stateStart, n, d.forgetMultiplier, d.forgetShift, 0, -32768, 32767);
  mulInt(inputGate, 0, cellGate, 0, inputGate, 0, n, d.inputMultiplier, d.inputShift, 0, -32768, 32767);
  for (let i = 0; i < n; i++) {
    const sum = cell[stateStart + i] + inputGate[i];
    cell[stateStart + i] = sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
  }
  if (d.cellClip > 0) {
    const high = d.quantizedCellClip, low = -high;
    for (let i = 0; i < n; i++) {
      const v = cell[stateStart + i];
      cell[stateStart + i] = v > high ? high : v < low ? low : v;
    }
  }

  // hidden = tanh(cell) × output gate; the output gate reuses the input gate's buffer.
  const outputGate = inputGate;
  gateInt(d, Gate.OUTPUT, x, xStart, hidden, stateStart, rows, outputGate, scratch);
  sigmoidInt16(outputGate, 0, outputGate, 0, n, GATE_ACTIVATION_MULTIPLIER, GATE_ACTIVATION_SHIFT, false);
  const cellTanh = forgetGate;
  sigmoidInt16(cell, stateStart, cellTanh, 0, n, d.cellTanhMultiplier, d.cellTanhShift, true);
  mulInt(cellTanh, 0, outputGate, 0, hidden, stateStart, n, d.hiddenMultiplier, d.hiddenShift, d.hiddenZeroPoint, d.hiddenMin, d.hiddenMax);
  for (let i = 0; i < n; i++) out[outStart + i] = hidden[stateStart + i];
}

// ---- float path ----

/** reference_ops::FullyConnected in float32 with the ±FLT_MAX clamp of no activation. */
function fullyConnectedFloat(
  x: Float32Array, xStart: number, depth: number, weights: Float32Array, bias: Float32Array | null,
  rows: number, units: number, out: Float32Array,
): void {
  for (let b = 0; b < rows; b++) {
    const row = xStart + b * depth;
    const outRow = b * units;
    for (let c = 0; c < units; c++) {
      const w = c * depth;
      let total = 0;
      for (let d = 0; d < depth; d++) total = fround(total + fround(x[row + d] * weights[w + d]));
      const v = fround(total + (bias !== null ? bias[c] : 0));
      out[outRow + c] = v < -FLOAT_MAX ? -FLOAT_MAX : v > FLOAT_MAX ? FLOAT_MAX : v;
    }
  }
}

function gateFloat(
  d: LstmData, gate: Gate, x: Float32Array, xStart: number, hidden: Float32Array, hiddenStart: number,
  rows: number, out: Float32Array, scratch: Float32Array, tanh: boolean,
): void {
  const tensors = d.tensors, t = View.GATES + 3 * gate;
  const units = d.stateSize;
  fullyConnectedFloat(x, xStart, d.inputSize, tensors[t] as Float32Array, tensors[t + 2] as Float32Array, rows, units, out);
  fullyConnectedFloat(hidden, hiddenStart, units, tensors[t + 1] as Float32Array, null, rows, units, scratch);
  const n = rows * units;
  for (let i = 0; i < n; i++) {
    const v = fround(out[i] + scratch[i]);
    if (tanh) {
      out[i] = Math.tanh(v);
    } else if (v > LOGISTIC_CUTOFF_UPPER) {
      out[i] = 1;
    } else if (v < LOGISTIC_CUTOFF_LOWER) {
      out[i] = Math.exp(v);
    } else {
      out[i] = 1 / fround(1 + fround(Math.exp(-v)));
    }
  }
}

function stepFloat(
  d: LstmData, x: Float32Array, xStart: number, hidden: Float32Array, cell: Float32Array, stateStart: number,
  out: Float32Array, outStart: number, rows: number,
): void {
  const forgetGate = d.forgetGate as Float32Array;
  const inputGate = d.inputGate as Float32Array;
  const cellGate = d.cellGate as Float32Array;
  const scratch = d.scratch as Float32Array;
  const n = rows * d.stateSize;

  gateFloat(d, Gate.FORGET, x, xStart, hidden, stateStart, rows, forgetGate, scratch, false);
  gateFloat(d, Gate.INPUT, x, xStart, hidden, stateStart, rows, inputGate, scratch, false);
  gateFloat(d, Gate.CELL, x, xStart, hidden, stateStart, rows, cellGate, scratch, true);

  const clip = d.cellClip;
  for (let i = 0; i < n; i++) {
    let kept = fround(forgetGate[i] * cell[stateStart + i]);
    kept = kept < -FLOAT_MAX ? -FLOAT_MAX : kept > FLOAT_MAX ? FLOAT_MAX : kept;
    let added = fround(inputGate[i] * cellGate[i]);
    added = added < -FLOAT_MAX ? -FLOAT_MAX : added > FLOAT_MAX ? FLOAT_MAX : added;
    let v = fround(kept + added);
    if (clip > 0) {
      // std::max(std::min(clip, v), -clip), NaN included
      v = v < clip ? v : clip;
      v = v < -clip ? -clip : v;
    }
    cell[stateStart + i] = v;
  }

  const outputGate = inputGate;
  gateFloat(d, Gate.OUTPUT, x, xStart, hidden, stateStart, rows, outputGate, scratch, false);
  for (let i = 0; i < n; i++) {
    let v = fround(fround(Math.tanh(cell[stateStart + i])) * outputGate[i]);
    v = v < -FLOAT_MAX ? -FLOAT_MAX : v > FLOAT_MAX ? FLOAT_MAX : v;
    hidden[stateStart + i] = v;
    out[outStart + i] = v;
  }
}

function evalLstm(d: LstmData): void {
  const tensors = d.tensors;
  const x = tensors[View.INPUT];
  const hidden = tensors[View.HIDDEN];
  const cell = tensors[View.CELL];
  const out = tensors[View.OUTPUT];
  const batches = d.batches, steps = d.steps, inputSize = d.inputSize, stateSize = d.stateSize;
  const isFloat = d.kind === Kind.FLOAT;
  if (d.timeMajor) {
    // Every batch advances together, one time step at a time.
    const inputStride = batches * inputSize, outputStride = batches * stateSize;
    for (let t = 0; t < steps; t++) {
      if (isFloat) {
        stepFloat(d, x as Float32Array, t * inputStride, hidden as Float32Array, cell as Float32Array, 0,
          out as Float32Array, t * outputStride, batches);
      } else {
        stepInt(d, x, t * inputStride, hidden, cell as Int16Array, 0, out, t * outputStride, batches);
      }
    }
    return;
  }
  // Batch-major: each batch runs its whole sequence on its own slice of the states.
  for (let b = 0; b < batches; b++) {
    const stateStart = b * stateSize;
    for (let t = 0; t < steps; t++) {
      const at = b * steps + t;
      if (isFloat) {
        stepFloat(d, x as Float32Array, at * inputSize, hidden as Float32Array, cell as Float32Array, stateStart,
          out as Float32Array, at * stateSize, 1);
      } else {
        stepInt(d, x, at * inputSize, hidden, cell as Int16Array, stateStart, out, at * stateSize, 1);
      }
    }
  }
}

export const UNIDIRECTIONAL_SEQUENCE_LSTM: Kernel<LstmData> = Object.freeze({
  code: 44,
  name: 'UNIDIRECTIONAL_SEQUENCE_LSTM',
  options: 'UnidirectionalSequenceLSTMOptions',
  types: Object.freeze(['float32', 'int8', 'int16x8']),
  prepare,
  eval: evalLstm,
});
