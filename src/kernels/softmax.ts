// SOFTMAX (TFLM softmax.cc, softmax_common.cc; reference softmax.h) over the last dimension.
//  - float32: exp((x - max) · beta) / Σ, in float32 arithmetic.
//  - int8 → int8 / int16: gemmlowp fixed point. Differences from the row maximum are scaled by
//    beta into Q5.26, exponentiated, summed in Q12.19, and divided by the sum's reciprocal.
//    A difference of two int8 values takes one of 256 values, so where an invoke computes more
//    exps than that, prepare tabulates them (the same routine, once per value, 1 KB in the
//    arena) and eval looks them up; a small softmax (a few classes) computes them once per
//    row into scratch.
//  - int16 → int16: TFLM's two 513-entry tables (exp on [-10, 0] and 1 / (1 + x)), built here.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { expOnNegativeValues, getReciprocal, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './internal/fixedpoint.js';
import { INT16_LUT_SIZE, populateInt16Lut } from './internal/lut-populate.js';
import { LOWEST_FLOAT, quantizeMultiplier, requantizeInt32 } from './internal/quantization.js';
import { indexIn, sharedViews, viewNumber, type SharedViews } from './internal/shared-views.js';

const enum Mode {
  FLOAT = 0,
  INT8 = 1,
  INT16 = 2,
}

/** Fields of an operator's record (Int32 elements at SoftmaxData.at in SharedViews.rec). */
const enum F {
  MODE, OUTER, DEPTH,
  /** Element indices of input and output in their views; their view numbers (low, high 16 bits). */
  X, O, XO_VIEWS,
  /** Quantized: the input multiplier and shift. */
  MULTIPLIER, SHIFT,
  /** int8 input: the smallest difference that counts, the output type's minimum, maximum and bit width. */
  DIFF_MIN, OUTPUT_MIN, OUTPUT_MAX, OUTPUT_BITS,
  /**
   * int8 input: index in rec of the exps of the scaled differences -i, i in 0..255 (Q0.31, 0
   * below diffMin), or -1; then EXPS is the index in rec of one row's exps (scratch).
   */
  EXP_TABLE, EXPS,
  /** int16: index of the exp table then the reciprocal table (INT16_LUT_SIZE each), in view LUT_VIEW. */
  LUTS, LUT_VIEW,
  /** float32: index of beta (float32) in view BETA_VIEW. */
  BETA, BETA_VIEW,
  SIZE,
}

/** One operator's op data: its record's index and the interpreter's shared views (3 heap slots). */
export interface SoftmaxData {
  at: number;
  s: SharedViews;
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
  const outer = depth === 0 ? 0 : input.elementCount / depth;
  const inType = input.type, outType = output.type;
  let mode = Mode.FLOAT, multiplier = 0, shift = 0, diffMin = 0, outputMin = 0, outputMax = 0, outputBits = 0;
  if (inType === TensorType.FLOAT32) {
    if (outType !== TensorType.FLOAT32) ctx.fail(`float32 input needs a float32 output, got ${output.describe()}`);
  } else if (inType === TensorType.INT8 || inType === TensorType.INT16) {
    if (!input.quantization || !output.quantization) ctx.fail('quantized input and output need scales and zero points');
    if (inType === TensorType.INT8) {
      if (outType === TensorType.INT16) {
        if (output.zeroPoint !== -32768) ctx.fail(`int16 output zero point must be -32768, got ${output.zeroPoint}`);
        if (Math.abs(output.scale - 1 / 65536) > 0.001 / 65536) ctx.fail(`int16 output scale must be 1/65536, got ${output.scale}`);
        outputMin = -32768;
        outputMax = 32767;
        outputBits = 16;
      } else if (outType === TensorType.INT8) {
        if (output.zeroPoint !== -128) ctx.fail(`int8 output zero point must be -128, got ${output.zeroPoint}`);
        if (output.scale !== 1 / 256) ctx.fail(`int8 output scale must be 1/256, got ${output.scale}`);
        outputMin = -128;
        outputMax = 127;
        outputBits = 8;
      } else {
        ctx.fail(`int8 input needs an int8 or int16 output, got ${output.describe()}`);
      }
      mode = Mode.INT8;
      const m = softmaxInputMultiplier(beta, input.scale, SCALED_DIFF_INTEGER_BITS);
      if (m.shift < 0) ctx.fail(`input scale ${input.scale} × beta ${beta} is too small`);
      multiplier = m.multiplier;
      shift = m.shift;
      diffMin = -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift);
    } else {
      if (outType !== TensorType.INT16) ctx.fail(`int16 input needs an int16 output, got ${output.describe()}`);
      if (input.zeroPoint !== 0) ctx.fail(`int16 input zero point must be 0, got ${input.zeroPoint}`);
      if (output.zeroPoint !== 0) ctx.fail(`int16 output zero point must be 0, got ${output.zeroPoint}`);
      if (Math.abs(output.scale - 1 / 32768) > 0.001 / 32768) ctx.fail(`int16 output scale must be 1/32768, got ${output.scale}`);
      mode = Mode.INT16;
      // Differences in [-65535, 0] map onto [-10, 0], the range of the exp table.
      const m = quantizeMultiplier(input.scale * beta / (10 / 65535));
      multiplier = m.multiplier;
      shift = m.shift;
    }
  } else {
    ctx.fail(`input type ${typeName(inType)} is not supported (float32, int8, int16)`);
  }

  // Memory, in the same order in both prepare runs: the record with the int8 exp table, the
  // int16 tables or float32 beta, the shared views, the int8 row of exps.
  const expTable = mode === Mode.INT8 && input.elementCount > EXP_TABLE_MIN_ELEMENTS;
  const record = ctx.persistent(TensorType.INT32, F.SIZE + (expTable ? 256 : 0)) as Int32Array;
  const luts = mode === Mode.INT16 ? ctx.persistent(TensorType.INT16, 2 * INT16_LUT_SIZE) as Int16Array : null;
  const betaView = mode === Mode.FLOAT ? ctx.persistent(TensorType.FLOAT32, 1) as Float32Array : null;
  const s = sharedViews(ctx);
  const exps = mode === Mode.INT8 && !expTable ? ctx.scratch(TensorType.INT32, depth) as Int32Array : null;
  const at = indexIn(record);
  const xv = viewNumber(s, input.data), ov = viewNumber(s, output.data);
  const lutView = luts ? viewNumber(s, luts) : 0, betaNumber = betaView ? viewNumber(s, betaView) : 0;
  if (s.views.length > 0xffff) ctx.fail('too many shared views');
  if (!ctx.sizing) {
    const rec = s.rec;
    rec[at + F.MODE] = mode;
    rec[at + F.OUTER] = outer;
    rec[at + F.DEPTH] = depth;
    rec[at + F.X] = indexIn(input.data);
    rec[at + F.O] = indexIn(output.data);
    rec[at + F.XO_VIEWS] = xv | ov << 16;
    rec[at + F.MULTIPLIER] = multiplier;
    rec[at + F.SHIFT] = shift;
    rec[at + F.DIFF_MIN] = diffMin;
    rec[at + F.OUTPUT_MIN] = outputMin;
    rec[at + F.OUTPUT_MAX] = outputMax;
    rec[at + F.OUTPUT_BITS] = outputBits;
    rec[at + F.EXP_TABLE] = expTable ? at + F.SIZE : -1;
    rec[at + F.EXPS] = exps ? indexIn(exps) : -1;
    rec[at + F.LUTS] = luts ? indexIn(luts) : -1;
    rec[at + F.LUT_VIEW] = lutView;
    rec[at + F.BETA] = betaView ? indexIn(betaView) : -1;
    rec[at + F.BETA_VIEW] = betaNumber;
    if (expTable) {
      for (let i = 0; i < 256 && -i >= diffMin; i++) rec[at + F.SIZE + i] = scaledExp(i, multiplier, shift);
    }
    if (luts) {
      const fround = Math.fround, range = 65535;
      populateInt16Lut(fround(10 / range), 32767, fround(2 / range), 0, (v: number) => fround(Math.exp(v)), luts.subarray(0, INT16_LUT_SIZE));
      populateInt16Lut(fround(1 / range), -32768, fround(2 / range), 0, (v: number) => fround(1 / fround(1 + v)), luts.subarray(INT16_LUT_SIZE));
    }
    if (betaView) betaView[0] = beta;
  }
  return { at, s };
}

/** lut-populate.ts's lookupInt16 for a table at `at` in `lut`. */
function lookupInt16(value: number, lut: TensorData, at: number): number {
  const index = at + 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = lut[index];
  const slope = lut[index + 1] - base;
  return ((base + ((slope * offset + 64) >> 7)) << 16) >> 16;
}

/** exp(-i · beta · scale) in Q0.31, from the Q5.26 scaled difference. */
function scaledExp(i: number, multiplier: number, shift: number): number {
  return expOnNegativeValues(saturatingRoundingDoublingHighMul((-i << shift) | 0, multiplier), SCALED_DIFF_INTEGER_BITS);
}

function evalFloat(at: number, s: SharedViews): void {
  const fround = Math.fround, exp = Math.exp;
  const rec = s.rec, views = s.views, xoViews = rec[at + F.XO_VIEWS];
  const input = views[xoViews & 0xffff], output = views[xoViews >>> 16];
  const xAt = rec[at + F.X], oAt = rec[at + F.O];
  const outer = rec[at + F.OUTER], depth = rec[at + F.DEPTH], beta = views[rec[at + F.BETA_VIEW]][rec[at + F.BETA]];
  for (let i = 0; i < outer; i++) {
    const start = xAt + i * depth, end = start + depth, shift = oAt - xAt;
    let max = LOWEST_FLOAT;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    let sum = 0;
    for (let c = start; c < end; c++) {
      const e = fround(exp(fround(fround(input[c] - max) * beta)));
      output[c + shift] = e;
      sum = fround(sum + e);
    }
    for (let c = start + shift, stop = end + shift; c < stop; c++) output[c] = output[c] / sum;
  }
}

function evalInt8(at: number, s: SharedViews): void {
  const srdhm = saturatingRoundingDoublingHighMul;
  const rec = s.rec, views = s.views, xoViews = rec[at + F.XO_VIEWS];
  const input = views[xoViews & 0xffff], output = views[xoViews >>> 16];
  const xAt = rec[at + F.X], oAt = rec[at + F.O];
  const table = rec[at + F.EXP_TABLE], exps = rec[at + F.EXPS];
  const multiplier = rec[at + F.MULTIPLIER], shift = rec[at + F.SHIFT];
  const outer = rec[at + F.OUTER], depth = rec[at + F.DEPTH];
  // Differences at most this far below the maximum count (diff >= diffMin).
  const reach = -rec[at + F.DIFF_MIN];
  const outputMin = rec[at + F.OUTPUT_MIN], outputMax = rec[at + F.OUTPUT_MAX], outputBits = rec[at + F.OUTPUT_BITS];
  for (let i = 0; i < outer; i++) {
    const start = xAt + i * depth, end = start + depth;
    let max = -128;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    // Each exp (0 where the difference does not count: it then yields outputMin, as the
    // reference's) from the table, or computed once into the row's scratch.
    let sum = 0;
    if (table >= 0) {
      for (let c = start; c < end; c++) {
        const below = max - input[c];
        if (below <= reach) sum = (sum + roundingDivideByPOT(rec[table + below], ACCUMULATION_INTEGER_BITS)) | 0;
      }
    } else {
      for (let c = start, k = exps; c < end; c++, k++) {
        const below = max - input[c];
        const e = below <= reach ? scaledExp(below, multiplier, shift) : 0;
        rec[k] = e;
        sum = (sum + roundingDivideByPOT(e, ACCUMULATION_INTEGER_BITS)) | 0;
      }
    }
    const numBitsOverUnit = ACCUMULATION_INTEGER_BITS - Math.clz32(sum);
    const shiftedScale = getReciprocal(sum);
    const exponent = numBitsOverUnit + 31 - outputBits;
    for (let c = start, o = oAt + i * depth, k = exps; c < end; c++, o++, k++) {
      let e = 0;
      if (table >= 0) {
        const below = max - input[c];
        e = below <= reach ? rec[table + below] : 0;
      } else {
        e = rec[k];
      }
      const value = roundingDivideByPOT(srdhm(shiftedScale, e), exponent) + outputMin;
      output[o] = value > outputMax ? outputMax : value < outputMin ? outputMin : value;
    }
  }
}

function evalInt16(at: number, s: SharedViews): void {
  const rec = s.rec, views = s.views, xoViews = rec[at + F.XO_VIEWS];
  const input = views[xoViews & 0xffff], output = views[xoViews >>> 16];
  const xAt = rec[at + F.X], oAt = rec[at + F.O];
  const outer = rec[at + F.OUTER], depth = rec[at + F.DEPTH];
  const multiplier = rec[at + F.MULTIPLIER], shift = rec[at + F.SHIFT];
  const luts = views[rec[at + F.LUT_VIEW]], expAt = rec[at + F.LUTS], reciprocalAt = expAt + INT16_LUT_SIZE;
  for (let i = 0; i < outer; i++) {
    const start = xAt + i * depth, end = start + depth, toOut = oAt - xAt;
    let max = -32768;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    // The exps are kept in the output until the sum is known, as the reference does.
    let sum = 0;
    for (let c = start; c < end; c++) {
      let scaled = requantizeInt32(input[c] - max, multiplier, shift) + 32767;
      if (scaled < -32768) scaled = -32768;
      if (scaled > 32767) scaled = 32767;
      const e = lookupInt16(scaled, luts, expAt);
      output[c + toOut] = e;
      sum = (sum + e) | 0;
    }
    const headroomPlusOne = Math.clz32(sum);
    // ((sum << (headroom)) + 2^13) >> 14 in 64 bits: sum · 2^(headroom) < 2^32.
    const shiftedSum = Math.floor((sum * Math.pow(2, headroomPlusOne - 1) + 8192) / 16384);
    let symmetric = shiftedSum - (32768 + 65536);
    if (symmetric < -32768) symmetric = -32768;
    if (symmetric > 32767) symmetric = 32767;
    const reciprocal = lookupInt16(symmetric, luts, reciprocalAt);
    const rightShift = 31 - headroomPlusOne;
    const divisor = Math.pow(2, rightShift);
    const round = divisor / 2;
    for (let c = start + toOut, stop = end + toOut; c < stop; c++) {
      const result = Math.floor((output[c] * reciprocal + round) / divisor);
      output[c] = result < 0 ? 0 : result > 32767 ? 32767 : result;
    }
  }
}

function evalSoftmax(data: SoftmaxData): void {
  const at = data.at, s = data.s, mode = s.rec[at + F.MODE];
  if (mode === Mode.INT8) evalInt8(at, s);
  else if (mode === Mode.INT16) evalInt16(at, s);
  else evalFloat(at, s);
}

export const SOFTMAX: Kernel<SoftmaxData> = Object.freeze<Kernel<SoftmaxData>>({
  code: 25,
  name: 'SOFTMAX',
  options: 'SoftmaxOptions',
  types: Object.freeze(['float32', 'int8', 'int8→int16', 'int16']),
  prepare,
  eval: evalSoftmax,
});
