// SOFTMAX (TFLM softmax.cc, softmax_common.cc; reference softmax.h) over the last dimension.
//  - float32: exp((x - max) · beta) / Σ, in float32 arithmetic.
//  - int8 → int8 / int16: gemmlowp fixed point. Differences from the row maximum are scaled by
//    beta into Q5.26, exponentiated, summed in Q12.19, and divided by the sum's reciprocal.
//    A difference of two int8 values takes one of 256 values, so where an invoke computes more
//    exps than that, prepare tabulates them (the same routine, once per value, 1 KB in the
//    arena) and eval looks them up; a small softmax (a few classes) computes them in place.
//  - int16 → int16: TFLM's two 513-entry tables (exp on [-10, 0] and 1 / (1 + x)), built here.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { expOnNegativeValues, getReciprocal, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './internal/fixedpoint.js';
import { INT16_LUT_SIZE, lookupInt16, populateInt16Lut } from './internal/lut-populate.js';
import { LOWEST_FLOAT, quantizeMultiplier, requantizeInt32 } from './internal/quantization.js';

const enum Mode {
  FLOAT = 0,
  INT8 = 1,
  INT16 = 2,
}

export interface SoftmaxData {
  mode: Mode;
  input: TensorData;
  output: TensorData;
  outer: number;
  depth: number;
  /** float32 beta. */
  beta: number;
  inputMultiplier: number;
  inputShift: number;
  diffMin: number;
  /** int8 input: output type's minimum, maximum and bit width. */
  outputMin: number;
  outputMax: number;
  outputBits: number;
  /** int8 input: exp of the scaled difference -i for i in 0..255, Q0.31 (0 where below diffMin); null: computed at eval. */
  expTable: Int32Array | null;
  expLut: Int16Array | null;
  reciprocalLut: Int16Array | null;
}

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;
/** An int8 softmax over more values than this tabulates its 256 exps. */
const EXP_TABLE_MIN_ELEMENTS = 128;

/** TFLite's PreprocessSoftmaxScaling: beta · scale as a multiplier into Q(integerBits). */
export function softmaxInputMultiplier(beta: number, inputScale: number, integerBits: number): { multiplier: number; shift: number } {
  const real = Math.min(beta * inputScale * Math.pow(2, 31 - integerBits), 2147483647);
  return quantizeMultiplier(real);
}

/** TFLite's CalculateInputRadius: the largest input difference that does not overflow the scaling. */
export function calculateInputRadius(integerBits: number, leftShift: number, totalSignedBits = 31): number {
  return Math.floor(((1 << integerBits) - 1) * Math.pow(2, totalSignedBits - integerBits) / Math.pow(2, leftShift));
}

function prepare(ctx: PrepareContext, node: Node): SoftmaxData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = node.inputs[0];
  if (!input) return ctx.fail('input 0 is missing');
  const output = node.outputs[0];
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  if (output.rank !== input.rank || input.shape.some((d, i) => d !== output.shape[i])) {
    ctx.fail(`output ${output.describe()} must have the input's shape`);
  }
  const beta = Math.fround((node.options as { beta: number }).beta);
  const depth = input.dim(-1);
  const data: SoftmaxData = {
    mode: Mode.FLOAT, input: input.data, output: output.data, outer: depth === 0 ? 0 : input.elementCount / depth, depth, beta,
    inputMultiplier: 0, inputShift: 0, diffMin: 0, outputMin: 0, outputMax: 0, outputBits: 0,
    expTable: null, expLut: null, reciprocalLut: null,
  };
  const inType = input.type, outType = output.type;
  if (inType === TensorType.FLOAT32) {
    if (outType !== TensorType.FLOAT32) ctx.fail(`float32 input needs a float32 output, got ${output.describe()}`);
    return data;
  }
  if (!input.quantization || !output.quantization) ctx.fail('quantized input and output need scales and zero points');
  if (inType === TensorType.INT8) {
    if (outType === TensorType.INT16) {
      if (output.zeroPoint !== -32768) ctx.fail(`int16 output zero point must be -32768, got ${output.zeroPoint}`);
      if (Math.abs(output.scale - 1 / 65536) > 0.001 / 65536) ctx.fail(`int16 output scale must be 1/65536, got ${output.scale}`);
      data.outputMin = -32768;
      data.outputMax = 32767;
      data.outputBits = 16;
    } else if (outType === TensorType.INT8) {
      if (output.zeroPoint !== -128) ctx.fail(`int8 output zero point must be -128, got ${output.zeroPoint}`);
      if (output.scale !== 1 / 256) ctx.fail(`int8 output scale must be 1/256, got ${output.scale}`);
      data.outputMin = -128;
      data.outputMax = 127;
      data.outputBits = 8;
    } else {
      ctx.fail(`int8 input needs an int8 or int16 output, got ${output.describe()}`);
    }
    data.mode = Mode.INT8;
    const m = softmaxInputMultiplier(beta, input.scale, SCALED_DIFF_INTEGER_BITS);
    if (m.shift < 0) ctx.fail(`input scale ${input.scale} × beta ${beta} is too small`);
    data.inputMultiplier = m.multiplier;
    data.inputShift = m.shift;
    data.diffMin = -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift);
    if (input.elementCount > EXP_TABLE_MIN_ELEMENTS) {
      const table = ctx.persistent(TensorType.INT32, 256) as Int32Array;
      if (!ctx.sizing) for (let i = 0; i < 256 && -i >= data.diffMin; i++) table[i] = scaledExp(i, m.multiplier, m.shift);
      data.expTable = table;
    }
    return data;
  }
  if (inType === TensorType.INT16) {
    if (outType !== TensorType.INT16) ctx.fail(`int16 input needs an int16 output, got ${output.describe()}`);
    if (input.zeroPoint !== 0) ctx.fail(`int16 input zero point must be 0, got ${input.zeroPoint}`);
    if (output.zeroPoint !== 0) ctx.fail(`int16 output zero point must be 0, got ${output.zeroPoint}`);
    if (Math.abs(output.scale - 1 / 32768) > 0.001 / 32768) ctx.fail(`int16 output scale must be 1/32768, got ${output.scale}`);
    data.mode = Mode.INT16;
    // Differences in [-65535, 0] map onto [-10, 0], the range of the exp table.
    const m = quantizeMultiplier(input.scale * beta / (10 / 65535));
    data.inputMultiplier = m.multiplier;
    data.inputShift = m.shift;
    const range = 65535;
    const fround = Math.fround;
    const expLut = ctx.persistent(TensorType.INT16, INT16_LUT_SIZE) as Int16Array;
    const reciprocalLut = ctx.persistent(TensorType.INT16, INT16_LUT_SIZE) as Int16Array;
    if (!ctx.sizing) {
      populateInt16Lut(fround(10 / range), 32767, fround(2 / range), 0, (v: number) => fround(Math.exp(v)), expLut);
      populateInt16Lut(fround(1 / range), -32768, fround(2 / range), 0, (v: number) => fround(1 / fround(1 + v)), reciprocalLut);
    }
    data.expLut = expLut;
    data.reciprocalLut = reciprocalLut;
    return data;
  }
  return ctx.fail(`input type ${typeName(inType)} is not supported (float32, int8, int16)`);
}

/** exp(-i · beta · scale) in Q0.31, from the Q5.26 scaled difference. */
function scaledExp(i: number, multiplier: number, shift: number): number {
  return expOnNegativeValues(saturatingRoundingDoublingHighMul((-i << shift) | 0, multiplier), SCALED_DIFF_INTEGER_BITS);
}

function evalFloat(data: SoftmaxData): void {
  const fround = Math.fround, exp = Math.exp;
  const input = data.input;
  const output = data.output;
  const outer = data.outer, depth = data.depth, beta = data.beta;
  for (let i = 0; i < outer; i++) {
    const start = i * depth, end = start + depth;
    let max = LOWEST_FLOAT;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    let sum = 0;
    for (let c = start; c < end; c++) {
      const e = fround(exp(fround(fround(input[c] - max) * beta)));
      output[c] = e;
      sum = fround(sum + e);
    }
    for (let c = start; c < end; c++) output[c] = output[c] / sum;
  }
}

function evalInt8(data: SoftmaxData): void {
  const srdhm = saturatingRoundingDoublingHighMul;
  const input = data.input;
  const output = data.output;
  const expTable = data.expTable;
  const multiplier = data.inputMultiplier, shift = data.inputShift;
  const outer = data.outer, depth = data.depth;
  // Differences at most this far below the maximum count (diff >= diffMin).
  const reach = -data.diffMin;
  const outputMin = data.outputMin, outputMax = data.outputMax, outputBits = data.outputBits;
  for (let i = 0; i < outer; i++) {
    const start = i * depth, end = start + depth;
    let max = -128;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    let sum = 0;
    for (let c = start; c < end; c++) {
      const below = max - input[c];
      if (below <= reach) {
        const e = expTable !== null ? expTable[below] : scaledExp(below, multiplier, shift);
        sum = (sum + roundingDivideByPOT(e, ACCUMULATION_INTEGER_BITS)) | 0;
      }
    }
    const numBitsOverUnit = ACCUMULATION_INTEGER_BITS - Math.clz32(sum);
    const shiftedScale = getReciprocal(sum);
    const exponent = numBitsOverUnit + 31 - outputBits;
    for (let c = start; c < end; c++) {
      const below = max - input[c];
      if (below <= reach) {
        const e = expTable !== null ? expTable[below] : scaledExp(below, multiplier, shift);
        const value = roundingDivideByPOT(srdhm(shiftedScale, e), exponent) + outputMin;
        output[c] = value > outputMax ? outputMax : value < outputMin ? outputMin : value;
      } else {
        output[c] = outputMin;
      }
    }
  }
}

function evalInt16(data: SoftmaxData): void {
  const input = data.input;
  const output = data.output;
  const outer = data.outer, depth = data.depth;
  const multiplier = data.inputMultiplier, shift = data.inputShift;
  const expLut = data.expLut!, reciprocalLut = data.reciprocalLut!;
  for (let i = 0; i < outer; i++) {
    const start = i * depth, end = start + depth;
    let max = -32768;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    // The exps are kept in the output until the sum is known, as the reference does.
    let sum = 0;
    for (let c = start; c < end; c++) {
      let scaled = requantizeInt32(input[c] - max, multiplier, shift) + 32767;
      if (scaled < -32768) scaled = -32768;
      if (scaled > 32767) scaled = 32767;
      const e = lookupInt16(scaled, expLut);
      output[c] = e;
      sum = (sum + e) | 0;
    }
    const headroomPlusOne = Math.clz32(sum);
    // ((sum << (headroom)) + 2^13) >> 14 in 64 bits: sum · 2^(headroom) < 2^32.
    const shiftedSum = Math.floor((sum * Math.pow(2, headroomPlusOne - 1) + 8192) / 16384);
    let symmetric = shiftedSum - (32768 + 65536);
    if (symmetric < -32768) symmetric = -32768;
    if (symmetric > 32767) symmetric = 32767;
    const reciprocal = lookupInt16(symmetric, reciprocalLut);
    const rightShift = 31 - headroomPlusOne;
    const divisor = Math.pow(2, rightShift);
    const round = divisor / 2;
    for (let c = start; c < end; c++) {
      const result = Math.floor((output[c] * reciprocal + round) / divisor);
      output[c] = result < 0 ? 0 : result > 32767 ? 32767 : result;
    }
  }
}

function evalSoftmax(data: SoftmaxData): void {
  if (data.mode === Mode.INT8) evalInt8(data);
  else if (data.mode === Mode.INT16) evalInt16(data);
  else evalFloat(data);
}

export const SOFTMAX: Kernel<SoftmaxData> = {
  code: 25,
  name: 'SOFTMAX',
  options: 'SoftmaxOptions',
  types: ['float32', 'int8', 'int8→int16', 'int16'],
  prepare,
  eval: evalSoftmax,
};
