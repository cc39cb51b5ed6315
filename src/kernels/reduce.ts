// MEAN, SUM, REDUCE_MAX, REDUCE_MIN and REDUCE_ALL (TFLM reduce.cc, reduce_common.cc,
// reference/reduce.h). The input is walked once in row-major order, each element folded into
// the output slot its kept coordinates name: the same order of accumulation as TFLM's Reduce,
// so float sums round exactly as TFLM's do. Quantized MEAN and SUM add into int32 (wrapping as
// TFLM's int32 does) and requantize with TFLM's multiplier, which for MEAN folds in 1/count.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, typeRange } from './internal/quantization.js';
import { formatShape, readConstantInts, requireInput, requireInputOutput, requireShape, requireType } from './internal/shape-util.js';

const enum Mode { MEAN, SUM, MAX, MIN, ALL }

export interface ReduceData {
  mode: Mode;
  input: TensorData;
  output: TensorData;
  /**
   * Axis loop over the input (merged where contiguous), persistent: `rank` iterations, then
   * `rank` output steps, then `rank` loop counters.
   */
  rank: number;
  axes: Int32Array;
  inputCount: number;
  outputCount: number;
  /** Elements folded into each output (product of the reduced dimensions). */
  reducedCount: number;
  quantized: boolean;
  /** int32 sums for quantized MEAN / SUM (scratch). */
  sums: Int32Array | null;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
  low: number;
  high: number;
  /** Starting value of MAX / MIN (the type's lowest / highest) and ALL (1). */
  initial: number;
}

/** floor(m * 2^s / n) for 0 <= m < 2^31, s <= 32, n >= 1, exact without 64-bit integers. */
function shiftedQuotient(m: number, s: number, n: number): number {
  let q = Math.floor(m / n);
  let r = m - q * n;
  for (let i = 0; i < s; i++) {
    r *= 2;
    q *= 2;
    if (r >= n) {
      r -= n;
      q += 1;
    }
  }
  return q;
}

function lowest(type: number): number {
  return type === TensorType.FLOAT32 ? -3.4028234663852886e38 : typeRange(type)[0];
}

function highest(type: number): number {
  return type === TensorType.FLOAT32 ? 3.4028234663852886e38 : typeRange(type)[1];
}

const MODE_TYPES: Readonly<Record<Mode, readonly number[]>> = Object.freeze({
  [Mode.MEAN]: Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.UINT8]),
  [Mode.SUM]: Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.UINT8, TensorType.INT32]),
  [Mode.MAX]: Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.UINT8, TensorType.INT32]),
  [Mode.MIN]: Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.UINT8, TensorType.INT32]),
  [Mode.ALL]: Object.freeze([TensorType.BOOL]),
});

function prepareReduce(ctx: PrepareContext, node: Node, mode: Mode): ReduceData {
  const { input, output } = requireInputOutput(ctx, node, MODE_TYPES[mode], 2);
  const axisT = requireInput(ctx, node.inputs, 1, 'axis');
  requireType(ctx, axisT, [TensorType.INT32], 'axis');
  const keepDims = (node.options as { keepDims: number }).keepDims !== 0;
  const axisValues = readConstantInts(ctx, axisT, 'axis');
  const rank = input.rank;
  const shape = input.shape;
  const reduced: boolean[] = new Array(rank).fill(false);
  if (rank > 0) {
    for (const a of axisValues) {
      const axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank) ctx.fail(`axis ${a} is out of range for input ${input.describe()}`);
      reduced[axis] = true;
    }
  }
  const outShape: number[] = [];
  let reducedCount = 1;
  for (let i = 0; i < rank; i++) {
    if (reduced[i]) {
      reducedCount *= shape[i];
      if (keepDims) outShape.push(1);
    } else {
      outShape.push(shape[i]);
    }
  }
  requireShape(ctx, output, outShape, 'output');

  // Output step per input axis: the kept axes' row-major strides in the output, 0 for reduced ones.
  const steps: number[] = new Array(rank).fill(0);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    if (!reduced[i]) {
      steps[i] = s;
      s *= shape[i];
    }
  }
  const counts: number[] = [], outSteps: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (shape[i] === 1) continue;
    const c = shape[i], s = steps[i];
    const k = counts.length - 1;
    // Fold into the previous axis when the output moves on with it as if they were one axis.
    if (k >= 0 && outSteps[k] === s * c) {
      counts[k] *= c;
      outSteps[k] = s;
    } else {
      counts.push(c);
      outSteps.push(s);
    }
  }

  const loops = counts.length;
  const axes = ctx.persistent(TensorType.INT32, 3 * loops) as Int32Array;
  for (let i = 0; i < loops; i++) {
    axes[i] = counts[i];
    axes[loops + i] = outSteps[i];
  }
  const data: ReduceData = {
    mode,
    input: input.data,
    output: output.data,
    rank: loops,
    axes,
    inputCount: input.elementCount,
    outputCount: output.elementCount,
    reducedCount,
    quantized: false,
    sums: null,
    inputZeroPoint: 0,
    outputZeroPoint: 0,
    multiplier: 0,
    shift: 0,
    low: 0,
    high: 0,
    initial: mode === Mode.MAX ? lowest(input.type) : mode === Mode.MIN ? highest(input.type) : 1,
  };

  const integer = input.type === TensorType.INT8 || input.type === TensorType.INT16 || input.type === TensorType.UINT8;
  if ((mode === Mode.MEAN || mode === Mode.SUM) && integer) {
    if (input.type === TensorType.INT16 && (input.zeroPoint !== 0 || output.zeroPoint !== 0)) {
      ctx.fail(`int16 input ${input.describe()} and output must have zero point 0`);
    }
    if (!(input.scale > 0 && output.scale > 0)) ctx.fail(`input ${input.describe()} and output ${output.describe()} must be quantized`);
    data.quantized = true;
    data.sums = ctx.scratch(TensorType.INT32, output.elementCount) as Int32Array;
    data.inputZeroPoint = input.zeroPoint;
    data.outputZeroPoint = output.zeroPoint;
    [data.low, data.high] = typeRange(input.type);
    const q = quantizeMultiplier(input.scale / output.scale);
    let multiplier = q.multiplier, shift = q.shift;
    if (mode === Mode.MEAN && reducedCount > 0) {
      // QuantizedMeanOrSum: divide the multiplier by the count, keeping log2(count) more bits.
      let extra = 31 - Math.clz32(reducedCount);
      extra = Math.min(extra, 32, 31 + shift);
      if (extra < 0) ctx.fail(`output scale ${output.scale} is too large for input scale ${input.scale}`);
      multiplier = shiftedQuotient(multiplier, extra, reducedCount) | 0;
      shift -= extra;
    }
    data.multiplier = multiplier;
    data.shift = shift;
  } else if (input.type === TensorType.INT8 || input.type === TensorType.INT16 || input.type === TensorType.UINT8) {
    if (input.scale !== output.scale || input.zeroPoint !== output.zeroPoint) {
      ctx.fail(`input ${input.describe()} and output ${output.describe()} must have the same scale and zero point`);
    }
  } else if (mode === Mode.MEAN && input.type !== TensorType.FLOAT32) {
    ctx.fail(`type ${input.typeName} is not supported`);
  }
  if (input.elementCount === 0 && output.elementCount > 0 && mode === Mode.MEAN && !data.quantized) {
    ctx.fail(`input ${formatShape(shape)} is empty`);
  }
  return data;
}

/**
 * Folds every input element into `acc` (a typed array with one slot per output) with the
 * operation of `mode`. Walks the input row by row along the innermost axis.
 */
function fold(input: ArrayLike<number>, acc: TensorData, data: ReduceData, mode: Mode, wrapInt: boolean): void {
  const total = data.inputCount;
  if (total === 0) return;
  const rank = data.rank;
  if (rank === 0) {
    // A single element (every dimension 1).
    const v = input[0];
    const a = acc[0];
    acc[0] = mode === Mode.MAX ? (v > a ? v : a) : mode === Mode.MIN ? (v < a ? v : a)
      : mode === Mode.ALL ? (v && a ? 1 : 0) : (wrapInt ? (a + v) | 0 : a + v);
    return;
  }
  // The loop record: iterations from 0, output steps from `rank`, counters from 2 × rank.
  const axes = data.axes, steps = rank, index = 2 * rank;
  const last = rank - 1;
  const n = axes[last], step = axes[steps + last];
  for (let a = 0; a < last; a++) axes[index + a] = 0;
  let p = 0, out = 0;
  const float = acc instanceof Float32Array;
  for (;;) {
    if (step === 0) {
      // The innermost axis is reduced: fold the row into one local.
      let a = acc[out];
      if (mode === Mode.SUM) {
        if (float) for (let j = 0; j < n; j++) a = Math.fround(a + input[p++]);
        else if (wrapInt) for (let j = 0; j < n; j++) a = (a + input[p++]) | 0;
        else for (let j = 0; j < n; j++) a += input[p++];
      } else if (mode === Mode.MAX) {
        for (let j = 0; j < n; j++) { const v = input[p++]; if (v > a) a = v; }
      } else if (mode === Mode.MIN) {
        for (let j = 0; j < n; j++) { const v = input[p++]; if (v < a) a = v; }
      } else {
        for (let j = 0; j < n; j++) if (!input[p++]) a = 0;
      }
      acc[out] = a;
    } else if (mode === Mode.SUM) {
      if (wrapInt) for (let j = 0, q = out; j < n; j++, q += step) acc[q] = (acc[q] + input[p++]) | 0;
      else for (let j = 0, q = out; j < n; j++, q += step) acc[q] = acc[q] + input[p++];
    } else if (mode === Mode.MAX) {
      for (let j = 0, q = out; j < n; j++, q += step) { const v = input[p++]; if (v > acc[q]) acc[q] = v; }
    } else if (mode === Mode.MIN) {
      for (let j = 0, q = out; j < n; j++, q += step) { const v = input[p++]; if (v < acc[q]) acc[q] = v; }
    } else {
      for (let j = 0, q = out; j < n; j++, q += step) if (!input[p++]) acc[q] = 0;
    }
    let a = last - 1;
    for (; a >= 0; a--) {
      out += axes[steps + a];
      if (++axes[index + a] < axes[a]) break;
      out -= axes[steps + a] * axes[a];
      axes[index + a] = 0;
    }
    if (a < 0) return;
  }
}

function evalReduce(data: ReduceData): void {
  const input = data.input, output = data.output;
  const mode = data.mode, count = data.outputCount;
  if (data.quantized) {
    const sums = data.sums!;
    sums.fill(0);
    output.fill(0);
    if (data.inputCount === 0 || data.reducedCount === 0) return;
    fold(input, sums, data, Mode.SUM, true);
    const offset = data.inputZeroPoint * data.reducedCount;
    const multiplier = data.multiplier, shift = data.shift, zeroPoint = data.outputZeroPoint;
    const low = data.low, high = data.high;
    for (let i = 0; i < count; i++) {
      let v = multiplyByQuantizedMultiplier((sums[i] - offset) | 0, multiplier, shift) + zeroPoint;
      output[i] = v < low ? low : v > high ? high : v;
    }
    return;
  }
  if (mode === Mode.MEAN || mode === Mode.SUM) {
    output.fill(0);
    fold(input, output, data, Mode.SUM, output instanceof Int32Array);
    if (mode === Mode.MEAN && data.reducedCount > 0) {
      const n = Math.fround(data.reducedCount);
      for (let i = 0; i < count; i++) output[i] = output[i] / n;
    }
    return;
  }
  output.fill(data.initial);
  fold(input, output, data, mode, false);
}

/** The five reductions differ only in their mode, which also sets the types they take. */
function reducer(code: number, name: string, mode: Mode): Kernel<ReduceData> {
  return Object.freeze({
    code,
    name,
    options: 'ReducerOptions',
    types: Object.freeze(MODE_TYPES[mode].map(type => typeName(type))),
    prepare: (ctx: PrepareContext, node: Node) => prepareReduce(ctx, node, mode),
    eval: evalReduce,
  });
}

export const MEAN: Kernel<ReduceData> = reducer(40, 'MEAN', Mode.MEAN);
export const SUM: Kernel<ReduceData> = reducer(74, 'SUM', Mode.SUM);
export const REDUCE_MAX: Kernel<ReduceData> = reducer(82, 'REDUCE_MAX', Mode.MAX);
export const REDUCE_MIN: Kernel<ReduceData> = reducer(89, 'REDUCE_MIN', Mode.MIN);
export const REDUCE_ALL: Kernel<ReduceData> = reducer(140, 'REDUCE_ALL', Mode.ALL);
